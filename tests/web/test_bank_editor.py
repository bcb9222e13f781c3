"""The form editor and the preview of a web bank: who may use them, what a save writes, CSRF,
forms sent back with their errors, and trying a draft question without storing anything."""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quiz.extensions import db
from quiz.models import Attempt, AttemptAnswer, User
from quiz.services import authoring, sharing

from ..conftest import AuthActions, csrf_from

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "questions" / "examples" / "every-type.yaml").read_text(encoding="utf-8")
# the example bank as a web bank of its own (other ids, so that nothing clashes)
TEXT = EXAMPLE.replace("id: examples", "id: web-ex").replace("id: ex-", "id: we-") \
    .replace("# A small bank", "# An author's comment: kept\n# A small bank")
BANK = "/my/banks/web-ex"


@pytest.fixture
def people(app: Flask, create_user: Callable[..., User]) -> dict[str, User]:
    users = {"owner": create_user("owner@example.org", role="instructor"),
             "coauthor": create_user("co@example.org", role="instructor"),
             "other": create_user("other@example.org", role="instructor"),
             "learner": create_user("learner@example.org"),
             "admin": create_user("admin@example.org", role="admin")}
    with app.app_context():
        owner = db.session.get(User, users["owner"].id)
        assert owner is not None
        assert authoring.create_draft_bank(owner, TEXT, NOW) == ("web-ex", [])
        sharing.add_coauthor(owner, "web-ex", "co@example.org", NOW)
    return users


def draft(app: Flask) -> str:
    with app.app_context():
        return authoring.draft_text("web-ex")


def form_of(html: str, action: str) -> dict[str, str | list[str]]:
    """The fields of the form posting to `action`, as a browser would send them unchanged."""
    start = html.index(f'action="{action}"')
    chunk = html[start:html.index("</form>", start)]
    data: dict[str, str | list[str]] = {}
    for tag in re.findall(r"<(?:input|select|textarea)[^>]*>(?:[^<]*</textarea>)?", chunk):
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        key = name.group(1)
        if tag.startswith("<input"):
            kind = re.search(r'type="([^"]+)"', tag)
            if kind and kind.group(1) in ("radio", "checkbox") and " checked" not in tag:
                continue
            value = re.search(r'value="([^"]*)"', tag)
            text = value.group(1) if value else ""
        elif tag.startswith("<textarea"):
            text = re.sub(r"^<textarea[^>]*>\r?\n?", "", tag).removesuffix("</textarea>")
        else:
            select = chunk[chunk.index(tag):]
            select = select[:select.index("</select>")]
            chosen = re.search(r'<option[^>]*selected[^>]*value="([^"]*)"|<option value="([^"]*)"[^>]*selected', select)
            text = next((g for g in chosen.groups() if g is not None), "") if chosen else ""
        text = text.replace("&amp;", "&").replace("&#34;", '"').replace("&#39;", "'").replace("&lt;", "<") \
            .replace("&gt;", ">").replace("&quot;", '"')
        if key in data:
            old = data[key]
            data[key] = [*old, text] if isinstance(old, list) else [old, text]
        else:
            data[key] = text
    return data


PAGES = [f"{BANK}/edit", f"{BANK}/edit/questions/0", f"{BANK}/edit/questions/new?type=order",
         f"{BANK}/edit/questions/0/delete", f"{BANK}/questions/we-mcq/preview"]


@pytest.mark.parametrize("who", ["coauthor", "owner"])
def test_owner_and_coauthor_reach_every_page(client: FlaskClient, auth: AuthActions, people: dict[str, User],
                                             who: str) -> None:
    auth.login(people[who].email)
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Form editor" in response.get_data(as_text=True)


@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("learner", 403), ("other", 404), ("admin", 404)])
def test_nobody_else_reaches_them(client: FlaskClient, auth: AuthActions, people: dict[str, User],
                                  who: str, status: int) -> None:
    if who != "anonymous":
        auth.login(people[who].email)
    for url in PAGES:
        assert client.get(url).status_code == status, url
    token = csrf_from(client.get("/auth/login").get_data(as_text=True)) if who == "anonymous" else \
        csrf_from(client.get("/").get_data(as_text=True))
    for url in (f"{BANK}/edit", f"{BANK}/edit/questions/0", f"{BANK}/edit/questions/0/delete",
                f"{BANK}/edit/questions/add", f"{BANK}/questions/we-mcq/preview"):
        assert client.post(url, data={"csrf_token": token, "expected_id": "we-mcq", "title": "Hacked"}).status_code \
            == status, url


def test_saving_a_question_changes_only_its_lines_and_keeps_comments(
        app: Flask, client: FlaskClient, auth: AuthActions, people: dict[str, User]) -> None:
    auth.login("owner@example.org")
    url = f"{BANK}/edit/questions/0"
    data = form_of(client.get(url).get_data(as_text=True), url)
    assert data["qid"] == "we-mcq" and data["options"] if "options" in data else True
    options = [data[f"options-{i}"] for i in range(4)]
    assert options == ["Konna", "Gao", "Kidal", "Tessalit"] and data["correct"] == "0"
    data.update({"options-4": "Mopti", "correct": "4", "difficulty": "hard", "action": "save"})
    response = client.post(url, data=data)
    assert response.status_code == 303 and response.headers["Location"].endswith(url)
    after = draft(app)
    assert "# An author's comment: kept\n" in after
    assert "    answer: Mopti\n    distractors: [Konna, Gao, Kidal, Tessalit]\n" in after
    assert after.replace("answer: Mopti\n    distractors: [Konna, Gao, Kidal, Tessalit]",
                         "answer: Konna\n    distractors: [Gao, Kidal, Tessalit]").replace(
        "difficulty: hard", "difficulty: easy") == TEXT
    page = client.get(url).get_data(as_text=True)
    assert "Question saved." in page and 'value="Mopti"' in page


def test_problems_show_next_to_their_field_and_nothing_typed_is_lost(
        app: Flask, client: FlaskClient, auth: AuthActions, people: dict[str, User]) -> None:
    auth.login("co@example.org")
    url = f"{BANK}/edit/questions/4"  # the number question
    data = form_of(client.get(url).get_data(as_text=True), url)
    data.update({"answer": "about three", "paragraph": "x", "action": "save"})
    assert client.post(url, data=data).status_code == 303
    assert "    answer: about three\n" in draft(app)  # saved as typed
    page = client.get(url).get_data(as_text=True)
    assert 'value="about three"' in page and 'value="x"' in page
    answer_errors = page[page.index('id="answer-errors"'):][:400]
    assert "&#39;answer&#39; should be a number" in answer_errors
    assert "&#39;paragraph&#39; should be a whole number" in page[page.index('id="paragraph-errors"'):][:400]


def test_a_form_with_errors_comes_back_with_everything_typed(
        app: Flask, client: FlaskClient, auth: AuthActions, people: dict[str, User]) -> None:
    auth.login("owner@example.org")
    url = f"{BANK}/edit/questions/0"
    data = form_of(client.get(url).get_data(as_text=True), url)
    data.update({"qid": "", "correct": [], "prompt": "A new prompt <b>", "action": "save"})
    response = client.post(url, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Give the question an id." in page and "Mark the correct option." in page
    assert "A new prompt &lt;b&gt;" in page and 'value="Tessalit"' in page
    assert draft(app) == TEXT  # nothing saved


def test_every_post_needs_the_csrf_token(app: Flask, client: FlaskClient, auth: AuthActions,
                                         people: dict[str, User]) -> None:
    auth.login("owner@example.org")
    url = f"{BANK}/edit/questions/0"
    data = form_of(client.get(url).get_data(as_text=True), url)
    data.pop("csrf_token")
    assert client.post(url, data={**data, "action": "save"}).status_code == 400
    for action in ("delete", "duplicate", "down"):
        assert client.post(f"{url}/{action}", data={"expected_id": "we-mcq"}).status_code == 400
    assert client.post(f"{BANK}/edit", data={"title": "x"}).status_code == 400
    assert client.post(f"{BANK}/questions/we-mcq/preview", data={"choice": "Konna"}).status_code == 400
    assert draft(app) == TEXT


def test_changing_the_type_shows_its_fields_without_saving(
        app: Flask, client: FlaskClient, auth: AuthActions, people: dict[str, User]) -> None:
    auth.login("owner@example.org")
    url = f"{BANK}/edit/questions/0"
    data = form_of(client.get(url).get_data(as_text=True), url)
    page = client.post(url, data={**data, "qtype": "order", "action": "retype"}).get_data(as_text=True)
    assert "Events" in page and 'aria-label="Date of event 1"' in page and "Mark the one correct option" not in page
    page = client.post(url, data={**data, "qtype": "multi", "action": "retype"}).get_data(as_text=True)
    assert 'type="checkbox" name="correct"' in page and 'value="Tessalit"' in page
    short = client.post(url, data={**data, "qtype": "short", "action": "retype"}).get_data(as_text=True)
    assert 'id="answer" maxlength="2000" name="answer" type="text" value="Konna"' in short  # the marked option
    assert draft(app) == TEXT


def test_add_duplicate_move_and_delete(app: Flask, client: FlaskClient, auth: AuthActions,
                                       people: dict[str, User]) -> None:
    auth.login("owner@example.org")
    page = client.get(f"{BANK}/edit").get_data(as_text=True)
    token = csrf_from(page)
    response = client.post(f"{BANK}/edit/questions/add", data={"csrf_token": token, "qtype": "number"})
    assert response.status_code == 303 and "type=number" in response.headers["Location"]
    new_url = f"{BANK}/edit/questions/new?type=number"
    data = form_of(client.get(new_url).get_data(as_text=True), "/my/banks/web-ex/edit/questions/new?type=number")
    assert data["qid"] == "web-ex-11" and data["source_id"] == "lwj-2013"
    data.update({"prompt": "How many?", "answer": "12", "unit": "men", "explanation": "Because.",
                 "paragraph": "3", "action": "save"})
    response = client.post(new_url, data=data)
    assert response.headers["Location"].endswith(f"{BANK}/edit/questions/10")
    assert draft(app).endswith("\n  - id: web-ex-11\n    type: number\n    prompt: How many?\n    answer: 12\n"
                               "    unit: men\n    explanation: Because.\n    source: {id: lwj-2013, paragraph: 3}\n")
    with app.app_context():
        assert authoring.check_draft("web-ex", draft(app)) == []

    def act(position: int, action: str, qid: str) -> str:
        response = client.post(f"{BANK}/edit/questions/{position}/{action}",
                               data={"csrf_token": token, "expected_id": qid})
        assert response.status_code == 303
        return client.get(response.headers["Location"]).get_data(as_text=True)

    ids = lambda: re.findall(r"^  - id: (\S+)", draft(app), re.MULTILINE)
    act(0, "duplicate", "we-mcq")
    assert ids()[:3] == ["we-mcq", "we-mcq-2", "we-multi"]
    act(1, "down", "we-mcq-2")
    assert ids()[:3] == ["we-mcq", "we-multi", "we-mcq-2"]
    act(2, "up", "we-mcq-2")
    confirm = client.get(f"{BANK}/edit/questions/1/delete").get_data(as_text=True)
    assert "Delete question 2?" in confirm and "we-mcq-2" in confirm and ids()[1] == "we-mcq-2"  # asked, not done
    page = act(1, "delete", "we-mcq-2")
    assert "Question deleted" in page and ids()[:2] == ["we-mcq", "we-multi"]
    stale = act(0, "delete", "we-multi")  # the page showed another question there: nothing happens
    assert "The bank changed since this page was shown" in stale and ids()[0] == "we-mcq"


def test_bank_details_and_sources(app: Flask, client: FlaskClient, auth: AuthActions, people: dict[str, User]) -> None:
    auth.login("co@example.org")
    url = f"{BANK}/edit"
    data = form_of(client.get(url).get_data(as_text=True), url)
    assert data["title"] == "Example bank — every question type" and data["sources-1-was"] == "vice-2014"
    data.update({"title": "My examples", "sources-2-id": "new-src", "sources-2-title": "New",
                 "sources-2-publisher": "Someone", "sources-2-date": "2020"})
    assert client.post(url, data=data).status_code == 303
    after = draft(app)
    assert "\ntitle: My examples\n" in after and "  new-src:\n    title: New\n    publisher: Someone\n    date: 2020\n" \
        in after
    assert after.replace("title: My examples", "title: Example bank — every question type").replace(
        "  new-src:\n    title: New\n    publisher: Someone\n    date: 2020\n", "") == TEXT
    data = form_of(client.get(url).get_data(as_text=True), url)
    response = client.post(url, data={**data, "title": ""})
    assert response.status_code == 422 and "Give the bank a title." in response.get_data(as_text=True)


def test_renaming_a_source_takes_its_citations_along(app: Flask, client: FlaskClient, auth: AuthActions,
                                                     people: dict[str, User]) -> None:
    auth.login("owner@example.org")
    url = f"{BANK}/edit"
    data = form_of(client.get(url).get_data(as_text=True), url)
    assert data["sources-1-was"] == data["sources-1-id"] == "vice-2014"
    assert client.post(url, data={**data, "sources-1-id": "vice"}).status_code == 303
    after = draft(app)
    assert "vice-2014" not in after and after == TEXT.replace("vice-2014", "vice")
    page = client.get(url).get_data(as_text=True)
    assert "Bank details saved." in page and "No problems" in page
    with app.app_context():
        assert authoring.check_draft("web-ex", after) == []


def test_a_draft_that_does_not_read_sends_to_the_source_editor(
        app: Flask, client: FlaskClient, auth: AuthActions, people: dict[str, User]) -> None:
    with app.app_context():
        owner = db.session.get(User, people["owner"].id)
        authoring.save_draft(owner, "web-ex", TEXT + "  - [unclosed\n", NOW)
    auth.login("owner@example.org")
    response = client.get(f"{BANK}/edit")
    assert response.status_code == 409 and "Open the source editor" in response.get_data(as_text=True)


def test_preview_grades_an_answer_without_storing_it(app: Flask, client: FlaskClient, auth: AuthActions,
                                                     people: dict[str, User]) -> None:
    auth.login("owner@example.org")
    url = f"{BANK}/questions/we-mcq/preview"
    page = client.get(url).get_data(as_text=True)
    assert "Which central Malian town" in page and "Check my answer" in page
    assert "Losing Konna opened the road" not in page  # no answer before answering
    token = csrf_from(page)
    wrong = client.post(url, data={"csrf_token": token, "choice": "Gao"}).get_data(as_text=True)
    assert "Not quite" in wrong and "The answer is “Konna”." in wrong and "Losing Konna opened the road" in wrong
    right = client.post(url, data={"csrf_token": token, "choice": "Konna"}).get_data(as_text=True)
    assert "Right" in right
    unread = client.post(url, data={"csrf_token": token})
    assert unread.status_code == 422 and "No option is chosen" in unread.get_data(as_text=True)
    date = client.post(f"{BANK}/questions/we-date/preview", data={"csrf_token": token, "month": "1", "year": "2013"})
    assert "Right" in date.get_data(as_text=True)
    card = client.get(f"{BANK}/questions/we-card/preview").get_data(as_text=True)
    assert "Show the answer" in card and "reveal=1" in card and "United Nations stabilisation" not in card
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attempt)) == 0
        assert db.session.scalar(select(func.count()).select_from(AttemptAnswer)) == 0
    assert client.get(f"{BANK}/questions/nope/preview").status_code == 404


def test_preview_of_a_question_with_problems_lists_them(app: Flask, client: FlaskClient, auth: AuthActions,
                                                        people: dict[str, User]) -> None:
    with app.app_context():
        owner = db.session.get(User, people["owner"].id)
        authoring.save_draft(owner, "web-ex", TEXT.replace("distractors: [Gao, Kidal, Tessalit]",
                                                           "distractors: [Gao, Konna]"), NOW)
    auth.login("owner@example.org")
    page = client.get(f"{BANK}/questions/we-mcq/preview").get_data(as_text=True)
    line = TEXT.splitlines().index("    distractors: [Gao, Kidal, Tessalit]") + 1
    assert "cannot be shown until its problems are fixed" in page and f"web-ex.yaml:{line}:" in page
    assert "Check my answer" not in page


def test_preview_titles_the_question_with_its_place_in_the_bank(app: Flask, client: FlaskClient, auth: AuthActions,
                                                                people: dict[str, User]) -> None:
    auth.login("owner@example.org")
    total = TEXT.count("\n  - id: we-")
    url = f"{BANK}/questions/we-date/preview"  # the sixth question of the example bank
    page = client.get(url).get_data(as_text=True)
    assert f"Question 6 of {total}" in page and "Question 1 " not in page
    answered = client.post(url, data={"csrf_token": csrf_from(page), "month": "1", "year": "2013"},
                           headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Question 6 of" in answered and "Question 1:" not in answered
