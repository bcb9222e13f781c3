"""The source editor's live check, POST /my/banks/<id>/check: who may use it, CSRF, size limits,
broken YAML; its answers are the loader's located messages, as `flask banks check` prints them.
Also the bank schema it completes from, and the CSP nonce the editor's styles need."""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from quiz.config import ROOT
from quiz.extensions import db
from quiz.models import User
from quiz.services import authoring, sharing

from ..conftest import AuthActions, csrf_from, csrf_token

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)
BANK_ID = "web-check"
GOOD = f"""id: {BANK_ID}
title: A bank written in the browser
language: en
sources:
  s1: {{title: An article, publisher: A paper, date: 2024}}
questions:
  - id: wc-1
    type: truefalse
    prompt: The sky is blue.
    answer: true
    explanation: It is, on a clear day.
    source: {{id: s1, paragraph: 1}}
"""
URL = f"/my/banks/{BANK_ID}/check"


@pytest.fixture
def bank(app: Flask, create_user: Callable[..., User]) -> None:
    """A web bank owned by owner@, co-authored by coauthor@; other@ is another instructor."""
    create_user("owner@example.org", role="instructor")
    create_user("coauthor@example.org", role="instructor")
    create_user("other@example.org", role="instructor")
    create_user("learner@example.org")
    create_user("admin@example.org", role="admin")
    with app.app_context():
        owner = db.session.scalars(select(User).where(User.email == "owner@example.org")).one()
        assert authoring.create_draft_bank(owner, GOOD, NOW) == (BANK_ID, [])
        sharing.add_coauthor(owner, BANK_ID, "coauthor@example.org", NOW)


def session_token(client: FlaskClient) -> str:
    """The CSRF token of the client's session, from a page with a form (logged in or not)."""
    page = client.get("/auth/login")
    return csrf_token(client, "/") if page.status_code in (302, 303) else csrf_from(page.get_data(as_text=True))


def check(client: FlaskClient, text: str | None, token: str | None = "page") -> Any:
    """POST the text as the editor does (multipart, with the page's CSRF token)."""
    data: dict[str, str] = {}
    if token == "page":
        data["csrf_token"] = session_token(client)
    elif token is not None:
        data["csrf_token"] = token
    if text is not None:
        data["source"] = text
    return client.post(URL, data=data, content_type="multipart/form-data")


def located(response: Any) -> list[tuple[int, int, str]]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return [(p["line"], p["col"], p["message"]) for p in response.get_json()["problems"]]


@pytest.mark.usefixtures("bank")
@pytest.mark.parametrize("email", ["owner@example.org", "coauthor@example.org"])
def test_the_banks_editors_get_the_problems_of_their_text(client: FlaskClient, auth: AuthActions, email: str) -> None:
    auth.login(email)
    assert located(check(client, GOOD)) == []
    broken = GOOD.replace("type: truefalse", "type: trufalse")
    [(line, col, message)] = located(check(client, broken))
    assert (line, col) == (8, 11) and "did you mean 'truefalse'" in message
    assert check(client, broken).get_json()["problems"][0]["path"] == f"{BANK_ID}.yaml"


@pytest.mark.usefixtures("bank")
@pytest.mark.parametrize(("email", "status"), [
    (None, 401),                      # anonymous
    ("learner@example.org", 403),     # not an author
    ("other@example.org", 404),       # another instructor: not theirs (as on the source page)
    ("admin@example.org", 404),       # an admin who is not an author of it either
])
def test_nobody_else_can_use_the_check(client: FlaskClient, auth: AuthActions, email: str | None, status: int) -> None:
    if email:
        auth.login(email)
    response = check(client, GOOD.replace("true", "maybe"))
    assert response.status_code == status
    assert response.mimetype == "application/json"
    assert "problems" not in response.get_json() and response.get_json()["error"]


@pytest.mark.usefixtures("bank")
def test_the_source_page_and_the_check_agree_on_who_may_edit(client: FlaskClient, auth: AuthActions) -> None:
    for email, allowed in [("other@example.org", False), ("coauthor@example.org", True)]:
        auth.login(email)
        page = client.get(f"/my/banks/{BANK_ID}/source").status_code
        assert (page == 200, check(client, GOOD).status_code == 200) == (allowed, allowed)
        auth.logout()


@pytest.mark.usefixtures("bank")
@pytest.mark.parametrize("token", [None, "not-a-token"])
def test_a_check_without_a_valid_csrf_token_is_refused_in_json(client: FlaskClient, auth: AuthActions,
                                                             token: str | None) -> None:
    auth.login("owner@example.org")
    response = check(client, GOOD, token=token)
    assert response.status_code == 400
    assert "reload the page" in response.get_json()["error"]


@pytest.mark.usefixtures("bank")
def test_the_token_can_also_come_in_a_header(client: FlaskClient, auth: AuthActions) -> None:
    auth.login("owner@example.org")
    token = session_token(client)
    response = client.post(URL, data={"source": GOOD}, headers={"X-CSRFToken": token})
    assert located(response) == []


@pytest.mark.usefixtures("bank")
def test_checking_saves_nothing(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    auth.login("owner@example.org")
    located(check(client, "id: something-else\n"))
    with app.app_context():
        assert authoring.draft_text(BANK_ID) == GOOD


@pytest.mark.usefixtures("bank")
def test_a_body_over_the_request_limit_gets_a_json_413(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    auth.login("owner@example.org")
    token = session_token(client)
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    response = check(client, GOOD + "# " + "x" * 70_000 + "\n", token=token)
    assert response.status_code == 413
    assert "64 KB" in response.get_json()["error"]


@pytest.mark.usefixtures("bank")
def test_a_text_over_the_bank_size_limit_gets_the_services_located_problem(client: FlaskClient,
                                                                           auth: AuthActions) -> None:
    auth.login("owner@example.org")
    text = GOOD + "# " + "x" * authoring.MAX_TEXT + "\n"
    [(line, col, message)] = located(check(client, text))
    assert (line, col) == (1, 1) and "limit" in message


MALFORMED = [
    ("an unclosed quote", GOOD.replace("prompt: The sky is blue.", 'prompt: "The sky is blue.'), 9),
    ("a tab for indentation", GOOD.replace("    answer: true", "\tanswer: true"), 10),
    ("a list where a mapping goes", "id: x\n- a\n", 2),
    ("an unclosed flow sequence", GOOD.replace("sources:", "tags: [a, b\nsources:"), 4),
    ("not a mapping at all", "just some words\n", 1),
    ("an empty text", "", 1),
    ("control characters", "\x01\x02 id: \ufffe", 1),
]


@pytest.mark.usefixtures("bank")
@pytest.mark.parametrize(("what", "text", "line"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_yaml_gets_located_problems_not_a_500(client: FlaskClient, auth: AuthActions,
                                                        what: str, text: str, line: int) -> None:
    auth.login("owner@example.org")
    problems = located(check(client, text))
    assert problems, what
    assert all(p[0] >= 1 and p[1] >= 1 and p[2] for p in problems)
    assert problems[0][0] == line, problems


@pytest.mark.usefixtures("bank")
def test_a_nul_character_is_refused_in_json(client: FlaskClient, auth: AuthActions) -> None:
    auth.login("owner@example.org")
    response = check(client, "id: x\x00\n")
    assert response.status_code == 400 and "NUL" in response.get_json()["error"]


@pytest.mark.usefixtures("bank")
@pytest.mark.parametrize("bank_id", ["%00", "web-check%00", "no-such-bank", "UPPER CASE"])
def test_a_bank_id_that_is_not_one_is_not_found(client: FlaskClient, auth: AuthActions, bank_id: str) -> None:
    auth.login("owner@example.org")
    response = client.post(f"/my/banks/{bank_id}/check", data={"csrf_token": session_token(client), "source": GOOD})
    assert response.status_code == 404 and response.get_json()["error"]


@pytest.mark.usefixtures("bank")
def test_the_messages_are_the_ones_flask_banks_check_prints(client: FlaskClient, auth: AuthActions,
                                                           runner: FlaskCliRunner, tmp_path: Path) -> None:
    broken = (GOOD.replace("type: truefalse", "type: trufalse").replace("paragraph: 1", "paragraph: zero")
              .replace("language: en", "language: English"))
    auth.login("owner@example.org")
    problems = check(client, broken).get_json()["problems"]
    path = tmp_path / f"{BANK_ID}.yaml"
    path.write_text(broken, encoding="utf-8")
    result = runner.invoke(args=["banks", "check", str(path)])
    printed = [line.replace(str(path), path.name) for line in result.output.splitlines()
               if line.startswith(str(path))]
    assert len(problems) >= 2
    assert [f"{p['path']}:{p['line']}:{p['col']}: {p['message']}" for p in problems] == printed


def test_the_schema_for_completion_is_the_banks_json_schema(client: FlaskClient) -> None:
    response = client.get("/schema/bank.json")
    assert response.status_code == 200
    assert json.loads(response.get_data()) == json.loads((ROOT / "questions" / "schema.json").read_text("utf-8"))


@pytest.mark.usefixtures("bank")
def test_the_source_page_loads_the_editor_with_a_style_nonce_in_its_csp(client: FlaskClient,
                                                                       auth: AuthActions) -> None:
    auth.login("owner@example.org")
    response = client.get(f"/my/banks/{BANK_ID}/source")
    html = response.get_data(as_text=True)
    nonce = re.search(r'<script src="/static/js/source-editor\.[0-9a-f]+\.js" defer nonce="([^"]+)"', html)
    assert nonce, "the editor script is not on the page"
    assert re.search(r'<script src="/static/vendor/codemirror-[0-9.]+\.min\.[0-9a-f]+\.js" defer>', html)
    assert f"style-src 'self' 'nonce-{nonce[1]}';" in response.headers["Content-Security-Policy"]
    assert f'data-check-url="{URL}"' in html
    # a page that does not ask for a nonce keeps the strict policy
    assert "nonce-" not in client.get("/").headers["Content-Security-Policy"]
    assert nonce[1] not in client.get(f"/my/banks/{BANK_ID}/source").get_data(as_text=True)  # new each time
