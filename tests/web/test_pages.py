"""Pages, roles, CSRF, guests and security headers, through the test client."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quiz.extensions import db
from quiz.models import StudyBank, User
from quiz.services.banks import sync_banks

from ..conftest import AuthActions, csrf_token
from ..services.test_bank_sync import EXAMPLES


@pytest.fixture
def banks(app: Flask) -> None:
    with app.app_context():
        sync_banks([EXAMPLES], datetime.now(timezone.utc))


def page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def test_catalog_is_a_grid_of_bank_cards(client: FlaskClient, banks: None) -> None:
    html = page(client, "/banks")
    assert html.count('<article class="card bank-card"') == 1
    assert "Example bank — every question type" in html
    assert "10 questions · 10 types · 2 sources" in html
    assert 'aria-label="Quick quiz: Example bank — every question type"' in html


def test_bank_page_sums_up_the_bank_first(client: FlaskClient, banks: None) -> None:
    html = page(client, "/banks/examples")
    assert html.index("10 questions from 2 sources") < html.index("Questions</h2>")
    assert "Multiple choice · 1" in html
    assert "French troops intervene in Mali" in html and "Bill Roggio" in html
    # one call to action for a quiz, one for flashcards
    assert html.count("Take a 10-question quiz") == 1 and html.count("Study as flashcards") == 1
    assert "Study this bank" not in html


def test_empty_catalog_explains_how_to_load_banks(client: FlaskClient) -> None:
    assert "banks sync" in page(client, "/banks")


def test_a_first_time_visitor_gets_an_explanation_and_one_start_button(client: FlaskClient, banks: None) -> None:
    html = page(client, "/")
    assert "Learn it once. Keep it." in html
    assert html.count('class="large"') == 1 and "Start a 10-question quiz" in html
    assert "Study now" not in html and "This week" not in html


def test_home_says_what_to_do_now(app: Flask, client: FlaskClient, banks: None) -> None:
    """Cards due today with Study now, the unfinished quiz to resume, this week's progress."""
    token = csrf_token(client, "/")
    location = client.post("/quiz/quick", data={"bank": "examples", "csrf_token": token}).headers["Location"]
    attempt_id = int(location.rsplit("/", 1)[1])
    html = page(client, "/")
    assert "Learn it once" not in html and "<h1>Today</h1>" in html
    assert "Study now" in html and "0 to review, 10 new to learn" in html
    assert f'href="/quiz/{attempt_id}"' in html and "0 of 10 answered" in html and "Resume the quiz" in html
    assert "0</p>" in html and "on 0 of 7 days" in html
    # finishing the quiz leaves nothing to resume; the missed cards are due now
    client.post(f"/quiz/{attempt_id}/finish", data={"csrf_token": token})
    html = page(client, "/")
    assert "Resume the quiz" not in html and "Quick quiz" in html


def test_bank_page_shows_prompts_but_no_answers_to_learners(client: FlaskClient, banks: None,
                                                           auth: AuthActions, create_user: Callable[..., User]) -> None:
    for who in ("visitor", "learner"):
        if who == "learner":
            create_user("learner@example.org")
            auth.login()
        html = page(client, "/banks/examples")
        assert "Which central Malian town did jihadist fighters overrun" in html
        for secret in ("Tessalit", "Boko Haram", "Sévaré", "Sevare", "UN stabilisation"):
            assert secret not in html, (who, secret)  # answers, options, card backs
        assert 'class="answer"' not in html
        assert "Sérval" not in html and "_____" in html, who  # cloze gaps are blanked


def test_bank_page_shows_answers_to_instructors(client: FlaskClient, banks: None, auth: AuthActions,
                                               create_user: Callable[..., User]) -> None:
    create_user("teach@example.org", role="instructor")
    auth.login("teach@example.org")
    html = page(client, "/banks/examples")
    assert "Konna" in html and "January 2013" in html
    assert "Serval → The 2013 intervention" in html
    assert "paragraph 2" in html


def test_unknown_bank_is_404_page(client: FlaskClient) -> None:
    response = client.get("/banks/nope")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_bank_text_is_escaped(app: Flask, client: FlaskClient, write_bank: Callable) -> None:
    text = EXAMPLES.read_text().replace("id: examples", "id: xss").replace("ex-", "x-").replace(
        "Which central Malian town", "<script>alert(1)</script> Which town")
    with app.app_context():
        sync_banks([write_bank(text)], datetime.now(timezone.utc))
    html = page(client, "/banks/xss")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_register_log_out_log_in(client: FlaskClient, auth: AuthActions) -> None:
    response = auth.register("Ada@Example.org")
    assert response.status_code == 303
    assert "Log out" in page(client, "/")
    assert "ada@example.org" in page(client, "/account")
    assert auth.logout().status_code == 303
    assert client.get("/account").status_code == 302  # back to login
    assert auth.login("ada@example.org").status_code == 303
    assert "ada@example.org" in page(client, "/account")


def test_bad_register_form_rerenders_with_errors(client: FlaskClient, auth: AuthActions,
                                                 create_user: Callable[..., User]) -> None:
    response = auth.register("not-an-email", "short", "different")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Invalid email address." in html and "Use at least 8 characters." in html
    assert 'value="not-an-email"' in html  # nothing typed is lost
    create_user("taken@example.org")
    response = auth.register("taken@example.org")
    assert response.status_code == 422 and "already exists" in response.get_data(as_text=True)


def test_wrong_password_is_refused(client: FlaskClient, auth: AuthActions, create_user: Callable[..., User]) -> None:
    create_user("learner@example.org")
    response = auth.login("learner@example.org", "wrong-password")
    assert response.status_code == 401
    assert "Wrong email or password." in response.get_data(as_text=True)


def test_login_attempts_are_rate_limited(client: FlaskClient, auth: AuthActions,
                                         create_user: Callable[..., User]) -> None:
    create_user("learner@example.org")
    for _ in range(5):
        assert auth.login("learner@example.org", "wrong-password").status_code == 401
    response = auth.login("learner@example.org", "password123")  # even the right password now waits
    assert response.status_code == 429
    assert "Too many failed attempts" in response.get_data(as_text=True)


@pytest.mark.parametrize("url,data", [
    ("/auth/login", {"email": "learner@example.org", "password": "password123"}),
    ("/auth/register", {"email": "n@example.org", "password": "password123", "confirm": "password123"}),
    ("/auth/logout", {}),
    ("/banks/examples/study", {}),
])
def test_state_changing_requests_need_a_csrf_token(app: Flask, client: FlaskClient, banks: None,
                                                   create_user: Callable[..., User], url: str, data: dict) -> None:
    create_user("learner@example.org")
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    response = client.post(url, data={**data, "csrf_token": "forged"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1
        assert db.session.scalar(select(func.count()).select_from(StudyBank)) == 0


def test_account_page_needs_login(client: FlaskClient) -> None:
    response = client.get("/account")
    assert response.status_code == 302 and "/auth/login?next=%2Faccount" in response.headers["Location"]


def test_login_does_not_redirect_off_site(client: FlaskClient, create_user: Callable[..., User]) -> None:
    create_user("learner@example.org")
    token = csrf_token(client, "/auth/login")
    response = client.post("/auth/login?next=https://evil.example/x",
                           data={"email": "learner@example.org", "password": "password123", "csrf_token": token})
    assert response.headers["Location"] == "/"


def study(client: FlaskClient, htmx: bool = False):
    token = csrf_token(client, "/banks/examples")
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post("/banks/examples/study", data={"csrf_token": token}, headers=headers)


def test_visitor_studying_becomes_guest_and_keeps_it_on_register(app: Flask, client: FlaskClient, banks: None,
                                                                  auth: AuthActions) -> None:
    response = study(client)
    assert response.status_code == 303 and response.headers["Location"] == "/study?bank=examples"
    assert 'id="card-front"' in page(client, "/study?bank=examples")  # the first card, at once
    assert "On your study list" in page(client, "/banks/examples")
    assert "Example bank" in page(client, "/account")
    assert auth.register("guest@example.org").status_code == 303
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "guest@example.org"))
        assert user is not None and not user.is_guest
        assert db.session.get(StudyBank, (user.id, "examples")) is not None
        assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_guest_progress_moves_to_the_account_logged_in(app: Flask, client: FlaskClient, banks: None,
                                                       auth: AuthActions, create_user: Callable[..., User]) -> None:
    owner = create_user("owner@example.org")
    study(client)
    assert auth.login("owner@example.org").status_code == 303
    assert "Example bank" in page(client, "/account")
    with app.app_context():
        assert db.session.get(StudyBank, (owner.id, "examples")) is not None
        assert db.session.scalar(select(func.count()).select_from(User).where(User.is_guest)) == 0


def test_study_as_flashcards_opens_the_banks_first_card(client: FlaskClient, banks: None) -> None:
    """Issue 9, edge 10: "Study this bank" only added the bank to a list; the button now does what it says."""
    response = study(client)
    assert response.status_code == 303 and response.headers["Location"] == "/study?bank=examples"
    html = page(client, response.headers["Location"])
    assert "Example bank — every question type" in html and 'id="card-front"' in html and "Start studying" not in html


def test_brand_and_menu_items_have_different_names(client: FlaskClient) -> None:
    """Issue 9, edge 9: the brand link and a menu item were both "Study"."""
    html = page(client, "/banks")
    nav = html.split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]
    names = [re.sub(r"<[^>]+>|\s+", " ", name).strip() for name in re.findall(r"<a [^>]*>(.*?)</a>", nav, re.S)]
    assert names[0] == "Cairn" and len(names) == len(set(names)), names
    assert names[1:4] == ["Banks", "Flashcards", "Progress"]


@pytest.mark.parametrize("query, shown", [
    ("", 10), ("type=mcq", 1), ("tag=places", 2), ("difficulty=easy", 1), ("q=malian+town", 1),
    ("q=KONNA", 1), ("q=Tessalit", 0), ("q=s%C3%A9var%C3%A9", 0), ("type=cloze&q=_____", 1), ("type=nonsense", 10), ("q=" + "x" * 300, 0)])
def test_bank_page_filters_without_javascript(client: FlaskClient, banks: None, query: str, shown: int) -> None:
    """The filter form is a GET: the server marks the questions that do not match as hidden
    (JavaScript, when on, filters the same list as you type). Answers are never searched."""
    html = page(client, f"/banks/examples?{query}")
    items = re.findall(r'<li id="q-[^"]+"[^>]*>', html)
    assert len(items) == 10
    assert sum(1 for item in items if " hidden" not in item) == shown, query
    if query:
        assert f"{shown} of 10 questions match." in html or query == "type=nonsense"


def test_security_headers_and_cookie_flags(client: FlaskClient, auth: AuthActions,
                                           create_user: Callable[..., User]) -> None:
    response = client.get("/auth/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    create_user("learner@example.org")
    login = auth.login()
    cookie = login.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_no_inline_script_and_no_cdn(client: FlaskClient, banks: None) -> None:
    for url in ("/", "/banks/examples", "/auth/login", "/auth/register", "/quiz/new"):
        html = page(client, url)
        assert "<script>" not in html and "http://" not in html and "https://" not in html
        assert '="None"' not in html  # no attribute rendered from a missing value
        if "hx-" in html:  # htmx is vendored, at a fingerprinted local URL, on pages that use it
            assert re.search(r'<script src="/static/vendor/htmx-2\.0\.11\.min\.[0-9a-f]{12}\.js" defer data-if-used>', html)


def test_server_error_shows_a_friendly_page(app: Flask) -> None:
    def broken() -> str:
        raise RuntimeError("boom")

    app.add_url_rule("/broken", "broken", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/broken")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Server error" in html and "boom" not in html


def test_health_endpoint(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_data(as_text=True) == "ok\n"


@pytest.mark.parametrize("url", ["/", "/auth/login", "/auth/register", "/account", "/quiz/new", "/study",
                                 "/study/settings", "/progress", "/banks/examples"])
def test_every_page_has_a_plain_title(client: FlaskClient, banks: None, auth: AuthActions,
                                      create_user: Callable[..., User], url: str) -> None:
    if not url.startswith("/auth/"):  # logged-in users are sent away from login and register
        create_user("learner@example.org")
        auth.login()
    html = page(client, url)
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and title.endswith(" · Cairn") and len(title) < 120, title


def test_styleguide_is_for_admins_only(client: FlaskClient, auth: AuthActions,
                                       create_user: Callable[..., User]) -> None:
    assert client.get("/styleguide").status_code == 404  # a visitor
    for email, role in (("learner@example.org", "learner"), ("teach@example.org", "instructor")):
        create_user(email, role=role)
        auth.login(email)
        assert client.get("/styleguide").status_code == 404, role
        auth.logout()
    create_user("admin@example.org", role="admin")
    auth.login("admin@example.org")
    html = page(client, "/styleguide")
    for component in ("Colour", "Type scale", "Spacing scale", "Buttons", "Form controls", "Cards", "Table",
                      "Badges", "Alerts", "Progress bars", "Disclosure", "Grade buttons"):
        assert f">{component}</h2>" in html, component
    assert "style=" not in html  # swatches are classes: the CSP forbids inline styles


def test_grade_buttons_are_named_by_their_visible_text(client: FlaskClient, banks: None) -> None:
    """Issue 9, edge 14 (axe label-content-name-mismatch): the visible "Again 1 min" was not part of
    the accessible name "Again: next in 1 min (key 1)". The name now comes from the text itself."""
    client.post("/study/start", data={"bank": "examples", "csrf_token": csrf_token(client, "/study")})
    html = page(client, "/study?bank=examples&reveal=1")
    buttons = re.findall(r'<button type="submit" name="rating"[^>]*>(.*?)</button>', html, re.S)
    assert len(buttons) == 4
    for number, (label, inner) in enumerate(zip(("Again", "Hard", "Good", "Easy"), buttons), start=1):
        text = " ".join(re.sub(r"<[^>]+>", " ", inner).split())
        visible = " ".join(re.sub(r'<span class="visually-hidden">.*?</span>|<[^>]+>', " ", inner).split())
        assert visible.startswith(label) and text.startswith(visible) and text.endswith(f"key {number}"), text
    assert 'aria-label="Again' not in html and 'aria-keyshortcuts="1"' in html
