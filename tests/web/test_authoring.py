"""My banks through the test client: who may see and do what on every authoring route, the
source page without JavaScript, upload and download, publish/versions/diff/restore, sharing,
copying a file bank, the regrade prompt, and CSRF."""
from __future__ import annotations

import io
import random
from datetime import datetime, timezone
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from quiz.extensions import db
from quiz.models import Bank, BankCoauthor, User, WebBank
from quiz.services import accounts, authoring, classes, sharing
from quiz.services.banks import sync_banks

from ..conftest import CSRF_RE, AuthActions, csrf_token
from ..services.test_authoring import WEB
from ..services.test_bank_sync import EXAMPLES

PASSWORD = "password123"
NOW = datetime.now(timezone.utc)
PERSONAS = ("anonymous", "learner", "other", "admin", "coauthor", "owner")
EDITORS = {"coauthor", "owner"}


@pytest.fixture
def world(app: Flask) -> None:
    """web-small: owned by owner, co-authored by coauthor, published once (private)."""
    with app.app_context():
        sync_banks([EXAMPLES], NOW)
        owner = accounts.create_user("owner@example.org", PASSWORD, "instructor")
        accounts.create_user("coauthor@example.org", PASSWORD, "instructor")
        accounts.create_user("other@example.org", PASSWORD, "instructor")
        accounts.create_user("admin@example.org", PASSWORD, "admin")
        accounts.create_user("learner@example.org", PASSWORD)
        authoring.create_draft_bank(owner, WEB, NOW)
        sharing.add_coauthor(owner, "web-small", "coauthor@example.org", NOW)
        authoring.publish(owner, "web-small", NOW)


def _as(app: Flask, persona: str) -> FlaskClient:
    client = app.test_client()
    if persona != "anonymous":
        AuthActions(client).login(f"{persona}@example.org")
    return client


def _token(client: FlaskClient) -> str:
    """The session's CSRF token, from a page with a form (the header's logout form, or login)."""
    match = CSRF_RE.search(client.get("/banks").get_data(as_text=True))
    return match.group(1) if match else csrf_token(client, "/auth/login")


PAGES = ["/my/banks/web-small", "/my/banks/web-small/source", "/my/banks/web-small/versions",
         "/my/banks/web-small/diff", "/my/banks/web-small/sharing", "/my/banks/web-small/download",
         "/my/banks/web-small/regrade"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_authors_open_my_banks_and_only_editors_a_bank(app: Flask, world: None, persona: str) -> None:
    client = _as(app, persona)
    listing = client.get("/my/banks/")
    expected = {"anonymous": 302, "learner": 403}.get(persona, 200)
    assert listing.status_code == expected
    if persona in EDITORS:
        assert "web-small" in listing.get_data(as_text=True)
    elif expected == 200:
        assert "web-small" not in listing.get_data(as_text=True)
    for page in PAGES:
        status = client.get(page).status_code
        assert status == ({"anonymous": 302, "learner": 403}.get(persona, 200 if persona in EDITORS else 404)), page
    assert client.get("/my/banks/web-small/delete").status_code == (
        {"anonymous": 302, "learner": 403, "owner": 200, "coauthor": 403}.get(persona, 404))


def _posts() -> list[tuple[str, dict[str, object]]]:
    return [
        ("/my/banks/web-small/source", {"action": "save", "source": "id: web-small\n"}),
        ("/my/banks/web-small/publish", {"note": "x"}),
        ("/my/banks/web-small/upload", {"file": (io.BytesIO(b"id: web-small\n"), "web-small.yaml")}),
        ("/my/banks/web-small/versions/1/restore", {}),
        ("/my/banks/web-small/sharing", {"visibility": "public"}),
        ("/my/banks/web-small/coauthors", {"email": "other@example.org"}),
        ("/my/banks/web-small/regrade", {}),
        ("/my/banks/web-small/delete", {}),
    ]


@pytest.mark.parametrize("persona", ["anonymous", "learner", "other", "admin"])
def test_no_one_but_the_editors_changes_a_bank(app: Flask, world: None, persona: str) -> None:
    client = _as(app, persona)
    token = _token(client)
    for path, data in _posts():
        status = client.post(path, data={**data, "csrf_token": token}).status_code
        assert status == {"anonymous": 302, "learner": 403}.get(persona, 404), path
    with app.app_context():
        web = db.session.get(WebBank, "web-small")
        assert web is not None and web.draft_text == WEB and web.visibility == "private"
        assert [c.user_id for c in web.coauthors] == [2]
        assert len(authoring.versions("web-small")) == 1


def test_a_coauthor_edits_and_publishes_but_cannot_share_or_delete(app: Flask, world: None) -> None:
    client = _as(app, "coauthor")
    token = _token(client)
    edited = WEB.replace("Which town fell first?", "Which town fell first in 2013?")
    saved = client.post("/my/banks/web-small/source", data={"action": "save", "source": edited, "csrf_token": token})
    assert saved.status_code == 303
    published = client.post("/my/banks/web-small/publish", data={"note": "year", "csrf_token": token})
    assert published.status_code == 303
    assert client.post("/my/banks/web-small/sharing", data={"visibility": "public", "csrf_token": token}).status_code == 403
    assert client.post("/my/banks/web-small/delete", data={"csrf_token": token}).status_code == 403
    with app.app_context():
        assert [v.number for v in authoring.versions("web-small")] == [1, 2]
        assert db.session.get(WebBank, "web-small").visibility == "private"


def test_posts_without_a_csrf_token_are_refused(app: Flask, world: None) -> None:
    client = _as(app, "owner")
    for path, data in _posts():
        assert client.post(path, data=data).status_code == 400, path
    with app.app_context():
        assert db.session.get(WebBank, "web-small") is not None
        assert authoring.draft_text("web-small") == WEB


def test_check_shows_problems_without_saving_and_save_keeps_a_broken_draft(app: Flask, world: None) -> None:
    client = _as(app, "owner")
    token = _token(client)
    broken = WEB.replace("type: truefalse", "type: trufalse")
    checked = client.post("/my/banks/web-small/source", data={"action": "check", "source": broken, "csrf_token": token})
    page = checked.get_data(as_text=True)
    assert checked.status_code == 200 and "web-small.yaml:15:11" in page and "Checked, not saved yet" in page
    with app.app_context():
        assert authoring.draft_text("web-small") == WEB
    saved = client.post("/my/banks/web-small/source", data={"action": "save", "source": broken, "csrf_token": token},
                        follow_redirects=True)
    assert "web-small.yaml:15:11" in saved.get_data(as_text=True)
    refused = client.post("/my/banks/web-small/publish", data={"csrf_token": token})
    assert refused.status_code == 422 and "Not published" in refused.get_data(as_text=True)
    assert 'id="bank-source"' in client.get("/my/banks/web-small/source").get_data(as_text=True)


def test_bank_text_is_escaped(app: Flask, world: None) -> None:
    client = _as(app, "owner")
    token = _token(client)
    hostile = WEB.replace("title: Small bank", "title: <script>alert(1)</script>") + "\n# </textarea><b>x</b>\n"
    client.post("/my/banks/web-small/source", data={"action": "save", "source": hostile, "csrf_token": token})
    page = client.get("/my/banks/web-small/source").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "</textarea><b>" not in page


def test_a_new_bank_from_a_title_is_a_valid_draft(app: Flask, world: None) -> None:
    client = _as(app, "other")
    token = _token(client)
    made = client.post("/my/banks/new", data={"title": "Rivers", "bank_id": "rivers", "csrf_token": token})
    assert made.status_code == 303 and made.headers["Location"].endswith("/my/banks/rivers/source")
    assert "No problems" in client.get("/my/banks/rivers").get_data(as_text=True)
    taken = client.post("/my/banks/new", data={"title": "Again", "bank_id": "examples", "csrf_token": token})
    assert taken.status_code == 422 and "already used" in taken.get_data(as_text=True)
    bad = client.post("/my/banks/new", data={"title": "Bad", "bank_id": "Not An Id", "csrf_token": token})
    assert bad.status_code == 422


def test_upload_reports_located_problems_and_download_passes_banks_check(
        app: Flask, world: None, runner: FlaskCliRunner, tmp_path: Path) -> None:
    client = _as(app, "other")
    token = _token(client)
    broken = client.post("/my/banks/upload", data={"file": (io.BytesIO(b"id: up\ntitle: [unclosed\n"), "up.yaml"),
                                                   "csrf_token": token}, content_type="multipart/form-data")
    assert broken.status_code == 422 and "up.yaml:" in broken.get_data(as_text=True)
    latin = client.post("/my/banks/upload", data={"file": (io.BytesIO("id: é\n".encode("latin-1")), "l.yaml"),
                                                  "csrf_token": token}, content_type="multipart/form-data")
    assert latin.status_code == 422 and "l.yaml:1:" in latin.get_data(as_text=True)
    text = WEB.replace("web-small", "uploaded").replace("id: w-", "id: u-")
    made = client.post("/my/banks/upload", data={"file": (io.BytesIO(text.encode()), "mine.yaml"), "csrf_token": token},
                       content_type="multipart/form-data")
    assert made.status_code == 303 and made.headers["Location"].endswith("/my/banks/uploaded")
    download = client.get("/my/banks/uploaded/download")
    assert download.headers["Content-Disposition"] == 'attachment; filename="uploaded.yaml"'
    assert download.get_data(as_text=True) == text
    (tmp_path / "uploaded.yaml").write_bytes(download.get_data())
    client.post("/my/banks/uploaded/publish", data={"csrf_token": token})
    result = runner.invoke(args=["banks", "check", str(tmp_path / "uploaded.yaml")])
    assert result.exit_code == 0, result.output
    assert "uploaded: 3 questions" in result.output


def test_versions_diff_and_restore(app: Flask, world: None) -> None:
    client = _as(app, "owner")
    token = _token(client)
    edited = WEB.replace("answer: Konna", "answer: Gao").replace("[Gao, Kidal]", "[Konna, Kidal]")
    client.post("/my/banks/web-small/source", data={"action": "save", "source": edited, "csrf_token": token})
    client.post("/my/banks/web-small/publish", data={"note": "new key", "csrf_token": token})
    history = client.get("/my/banks/web-small/versions").get_data(as_text=True)
    assert "new key" in history and "w-konna</code> (answer)" in history
    diff = client.get("/my/banks/web-small/diff?from=1&to=2").get_data(as_text=True)
    assert "answer: Konna" in diff and "answer: Gao" in diff and "removed</span>" in diff and "added</span>" in diff
    assert client.get("/my/banks/web-small/diff?from=1&to=9").status_code == 404
    restored = client.post("/my/banks/web-small/versions/1/restore", data={"csrf_token": token})
    assert restored.status_code == 303
    with app.app_context():
        assert [v.number for v in authoring.versions("web-small")] == [1, 2, 3]
        assert db.session.get(Bank, "web-small").questions[0].data["answer"] == "Konna"


def test_the_versions_table_scrolls_sideways_on_a_phone_instead_of_widening_the_page(
        app: Flask, world: None) -> None:
    html = _as(app, "owner").get("/my/banks/web-small/versions").get_data(as_text=True)
    region = html.index('<div class="table-scroll" role="region" aria-label="Versions" tabindex="0">')
    table = html.index('<table class="history versions">')
    assert region < table < html.index("</table>") < html.index("</div>", html.index("</table>"))
    assert html.count("<table") == 1


def test_sharing_and_coauthors(app: Flask, world: None) -> None:
    client = _as(app, "owner")
    token = _token(client)
    learner = client.post("/my/banks/web-small/coauthors", data={"email": "learner@example.org", "csrf_token": token})
    assert learner.status_code == 422 and "not an instructor" in learner.get_data(as_text=True)
    nobody = client.post("/my/banks/web-small/coauthors", data={"email": "no@example.org", "csrf_token": token})
    assert nobody.status_code == 422
    added = client.post("/my/banks/web-small/coauthors", data={"email": "other@example.org", "csrf_token": token})
    assert added.status_code == 303
    assert _as(app, "other").get("/my/banks/web-small").status_code == 200
    client.post("/my/banks/web-small/coauthors/3/remove", data={"csrf_token": token})
    assert _as(app, "other").get("/my/banks/web-small").status_code == 404
    assert client.post("/my/banks/web-small/sharing", data={"visibility": "nonsense", "csrf_token": token}).status_code == 422
    assert client.post("/my/banks/web-small/sharing", data={"visibility": "public", "csrf_token": token}).status_code == 303
    assert "Small bank" in _as(app, "anonymous").get("/banks").get_data(as_text=True)


@pytest.mark.parametrize("visibility, seen_by", [
    ("private", {"owner", "coauthor", "admin"}),
    ("classes", {"owner", "coauthor", "admin", "learner"}),
    ("public", set(PERSONAS)),
])
def test_the_published_bank_is_seen_as_shared(app: Flask, world: None, visibility: str, seen_by: set[str]) -> None:
    with app.app_context():
        owner = db.session.get(User, 1)
        learner = db.session.scalar(db.select(User).where(User.email == "learner@example.org"))
        room = classes.create_class(owner, "History", "", "UTC", NOW, random.Random(1))
        classes.join(learner, room.join_code, "Lea", NOW)
        sharing.set_visibility(owner, "web-small", visibility)
    for persona in PERSONAS:
        client = _as(app, persona)
        listed = "Small bank" in client.get("/banks").get_data(as_text=True)
        page = client.get("/banks/web-small").status_code
        token = _token(client)
        quiz = client.post("/quiz/quick", data={"bank": "web-small", "csrf_token": token})
        study = client.get("/study?bank=web-small").status_code
        seen = persona in seen_by
        assert (listed, page == 200, study == 200) == (seen, seen, seen), persona
        assert (quiz.status_code == 303) == seen, persona


def test_copy_a_file_bank_to_my_banks(app: Flask, world: None) -> None:
    client = _as(app, "other")
    page = client.get("/banks/examples").get_data(as_text=True)
    assert "read-only in the browser" in page and "Copy to my banks" in page
    assert "Copy to my banks" not in _as(app, "learner").get("/banks/examples").get_data(as_text=True)
    token = _token(client)
    copied = client.post("/my/banks/copy/examples", data={"bank_id": "my-examples", "csrf_token": token})
    assert copied.status_code == 303
    overview = client.get("/my/banks/my-examples").get_data(as_text=True)
    assert "No problems" in overview
    source = client.get("/my/banks/my-examples/source").get_data(as_text=True)
    assert "my-examples.ex-mcq" in source and "# A small bank that uses every question type" in source
    assert client.post("/my/banks/my-examples/publish", data={"csrf_token": token}).status_code == 303
    assert client.get("/my/banks/copy/web-small").status_code == 404
    assert _as(app, "learner").get("/my/banks/copy/examples").status_code == 403


def test_a_new_answer_key_asks_to_regrade_answers_already_given(app: Flask, world: None) -> None:
    client = _as(app, "owner")
    token = _token(client)
    started = client.post("/quiz/quick", data={"bank": "web-small", "csrf_token": token})
    assert started.status_code == 303
    with app.app_context():
        from quiz.models import Attempt, AttemptAnswer
        attempt = db.session.scalars(db.select(Attempt)).one()
        db.session.add(AttemptAnswer(attempt_id=attempt.id, question_id="w-konna", position=0, response="Gao",
                                     score=0.0, feedback=[], answered_at=NOW))
        db.session.commit()
    edited = WEB.replace("answer: Konna", "answer: Gao").replace("[Gao, Kidal]", "[Konna, Kidal]")
    client.post("/my/banks/web-small/source", data={"action": "save", "source": edited, "csrf_token": token})
    published = client.post("/my/banks/web-small/publish", data={"csrf_token": token})
    assert published.headers["Location"].endswith("/my/banks/web-small/regrade")
    prompt = client.get("/my/banks/web-small/regrade").get_data(as_text=True)
    assert "Regrade 1 answer" in prompt and "w-konna" in prompt
    client.post("/my/banks/web-small/regrade", data={"csrf_token": token})
    with app.app_context():
        from quiz.models import AttemptAnswer
        assert db.session.scalars(db.select(AttemptAnswer)).one().score == 1.0


def test_deleting_removes_the_bank_from_everyone(app: Flask, world: None) -> None:
    client = _as(app, "owner")
    token = _token(client)
    client.post("/my/banks/web-small/sharing", data={"visibility": "public", "csrf_token": token})
    assert client.post("/my/banks/web-small/delete", data={"csrf_token": token}).status_code == 303
    assert client.get("/banks/web-small").status_code == 404
    assert client.get("/my/banks/web-small").status_code == 404
    with app.app_context():
        assert db.session.get(WebBank, "web-small") is None
        assert db.session.scalars(db.select(BankCoauthor)).all() == []


def test_a_text_over_the_limit_is_refused_and_kept_in_the_page(app: Flask, world: None) -> None:
    client = _as(app, "owner")
    token = _token(client)
    text = "# " + "x" * 200_000
    response = client.post("/my/banks/web-small/source", data={"action": "save", "source": text, "csrf_token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "the limit is 200,000" in page and "Draft saved" not in page
    assert text in page
    with app.app_context():
        assert authoring.draft_text("web-small") == WEB


ODD = st.one_of(st.text(max_size=40), st.sampled_from(["", " ", "x" * 5000, "²", "../..", "<script>", "\u202e",
                                                       "id: web-small", "questions: [", "- - -", "{a: [b"]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@seed(11)
@given(path=st.sampled_from(["/my/banks/new", "/my/banks/web-small/source", "/my/banks/web-small/publish",
                             "/my/banks/web-small/sharing", "/my/banks/web-small/coauthors",
                             "/my/banks/copy/examples", "/my/banks/web-small/versions/1/restore",
                             "/my/banks/web-small/upload", "/my/banks/upload"]),
       fields=st.dictionaries(st.sampled_from(["title", "bank_id", "source", "action", "note", "visibility",
                                               "email", "file"]), ODD, max_size=4))
def test_odd_input_to_the_authoring_forms_never_ends_in_a_server_error(
        app: Flask, world: None, path: str, fields: dict[str, str]) -> None:
    client = _as(app, "owner")
    response = client.post(path, data={**fields, "csrf_token": _token(client)})
    assert response.status_code < 500, (path, fields)
    for page in PAGES + ["/my/banks/web-small/diff?from=" + fields.get("note", "1") + "&to=2",
                         "/my/banks/web-small/download?version=" + fields.get("title", "1")]:
        assert client.get(page).status_code < 500, page
