"""Import (upload or paste -> preview -> draft bank) and export downloads through the test client:
who may do what, CSRF, size limits, located problems for malformed files, never a 500."""
from __future__ import annotations

import html
import io
import random
import re
import zipfile
from datetime import datetime, timezone

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from quiz.domain.banks import read_bank
from quiz.extensions import db
from quiz.interchange import IMPORTERS
from quiz.models import User, WebBank
from quiz.services import accounts, authoring, sharing
from quiz.services.banks import sync_banks

from ..conftest import AuthActions, csrf_from
from ..services.test_bank_sync import EXAMPLES

PASSWORD = "password123"
NOW = datetime.now(timezone.utc)
PERSONAS = ("anonymous", "learner", "other", "admin", "coauthor", "owner")
WEB = EXAMPLES.read_text(encoding="utf-8").replace("id: examples", "id: web-small").replace("id: ex-", "id: w-")


@pytest.fixture
def world(app: Flask) -> None:
    """The bundled example bank, and web-small: a private web bank of owner, co-authored by coauthor."""
    with app.app_context():
        sync_banks([EXAMPLES], NOW)
        owner = accounts.create_user("owner@example.org", PASSWORD, "instructor")
        for email, role in (("coauthor", "instructor"), ("other", "instructor"), ("admin", "admin"),
                            ("learner", "learner")):
            accounts.create_user(f"{email}@example.org", PASSWORD, role)
        bank_id, problems = authoring.create_draft_bank(owner, WEB, NOW)
        assert bank_id == "web-small" and problems == []
        sharing.add_coauthor(owner, "web-small", "coauthor@example.org", NOW)


def owner_user() -> User:
    return db.session.scalars(select(User).where(User.email == "owner@example.org")).one()


def as_(app: Flask, persona: str) -> FlaskClient:
    client = app.test_client()
    if persona != "anonymous":
        AuthActions(client).login(f"{persona}@example.org")
    return client


def token(client: FlaskClient) -> str:
    """The CSRF token of the import page's forms (their fields are prefixed 'file-' and 'paste-')."""
    page = client.get("/my/banks/import").get_data(as_text=True)
    return re.search(r'name="paste-csrf_token" type="hidden" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_instructors_and_admins_import(app: Flask, world: None, persona: str) -> None:
    client = as_(app, persona)
    page = client.get("/my/banks/import")
    assert page.status_code == {"anonymous": 302, "learner": 403}.get(persona, 200)
    if persona in ("anonymous", "learner"):
        posted = client.post("/my/banks/import/paste", data={"paste-text": "a\tb", "paste-separator": "tab"})
        assert posted.status_code in (302, 400, 403)
        with app.app_context():
            assert db.session.query(WebBank).count() == 1


# who may download the answer key: web bank -> its authors and admins; bundled bank -> instructors, admins
EXPORT_STATUS = {
    "web-small": {"anonymous": 302, "learner": 404, "other": 404, "admin": 200, "coauthor": 200, "owner": 200},
    "examples": {"anonymous": 302, "learner": 403, "other": 200, "admin": 200, "coauthor": 200, "owner": 200},
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("bank_id", sorted(EXPORT_STATUS))
def test_who_may_export(app: Flask, world: None, persona: str, bank_id: str) -> None:
    client = as_(app, persona)
    expected = EXPORT_STATUS[bank_id][persona]
    assert client.get(f"/my/banks/{bank_id}/export").status_code == expected
    for fmt in ("yaml", "csv", "apkg", "qti", "gift"):
        response = client.get(f"/my/banks/{bank_id}/export/{fmt}")
        assert response.status_code == expected
        if expected == 200:
            assert response.headers["Content-Disposition"].startswith(f'attachment; filename="{bank_id}.')
            assert "no-store" in response.headers["Cache-Control"]
        else:
            assert b"Konna" not in response.data  # no answer key leaks in an error page


@pytest.mark.parametrize("persona", ["learner", "other"])
def test_a_public_web_bank_is_exported_by_its_authors_only(app: Flask, world: None, persona: str) -> None:
    with app.app_context():
        owner = owner_user()
        authoring.publish(owner, "web-small", NOW)
        sharing.set_visibility(owner, "web-small", "public")
    assert as_(app, persona).get("/my/banks/web-small/export/csv").status_code == 403


def test_downloads_are_the_bank_in_each_format(app: Flask, world: None) -> None:
    client = as_(app, "owner")
    yaml_text = client.get("/my/banks/web-small/export/yaml").data
    spec, problems = read_bank("web-small.yaml", yaml_text)
    assert problems == [] and spec is not None and len(spec.questions) == 10
    csv_data = client.get("/my/banks/web-small/export/csv").data
    assert csv_data.startswith(b"id,type,prompt,")
    assert IMPORTERS["csv"](csv_data, "x.csv", bank_id="web-small").problems == []
    for fmt in ("apkg", "qti"):
        assert zipfile.is_zipfile(io.BytesIO(client.get(f"/my/banks/web-small/export/{fmt}").data))
    page = client.get("/my/banks/web-small/export").get_data(as_text=True)
    assert "The QTI package holds 9 questions and leaves out 1 question:" in page and "w-card" in page
    assert "The GIFT file holds 7 questions and leaves out 3 questions:" in page
    assert "<code>w-cloze</code> (a cloze with 2 gaps" in page
    assert client.get("/my/banks/web-small/export/pdf").status_code == 404


def test_a_broken_draft_is_not_exported_and_its_problems_are_listed(app: Flask, world: None) -> None:
    with app.app_context():
        owner = owner_user()
        authoring.save_draft(owner, "web-small", WEB.replace("answer: Konna", "answer: [Konna"), NOW)
    response = as_(app, "owner").get("/my/banks/web-small/export/apkg")
    assert response.status_code == 422
    assert "web-small.yaml:" in response.get_data(as_text=True)


def paste(client: FlaskClient, text: str, **fields: str) -> tuple[int, str]:
    data = {"paste-text": text, "paste-separator": "tab", "paste-csrf_token": token(client),
            **{f"paste-{k}": v for k, v in fields.items()}}
    response = client.post("/my/banks/import/paste", data=data)
    return response.status_code, response.get_data(as_text=True)


def test_paste_preview_then_create_the_draft(app: Flask, world: None) -> None:
    client = as_(app, "other")
    status, page = paste(client, "Serval\tThe 2013 operation\n<b>MINUSMA</b>\tThe UN mission\nno separator\n",
                         bank_id="my-cards", title="My cards")
    assert status == 200
    assert page.index("1 problem") < page.index("What will be created")  # problems first
    assert "<code>pasted cards:3:1</code> this line has no separator" in page
    assert "&lt;b&gt;MINUSMA&lt;/b&gt;" in page and "<b>MINUSMA</b>" not in page  # plain text, escaped
    text = html.unescape(re.search(r'name="text" type="hidden" value="([^"]*)"', page).group(1))  # type: ignore[union-attr]
    with app.app_context():
        assert db.session.get(WebBank, "my-cards") is None  # nothing created by a preview
    created = client.post("/my/banks/import/create", data={"text": text, "csrf_token": csrf_from(page)})
    assert created.status_code == 303 and created.headers["Location"].endswith("/my/banks/my-cards")
    with app.app_context():
        web = db.session.get(WebBank, "my-cards")
        assert web is not None and web.visibility == "private"
        spec, problems = read_bank("my-cards.yaml", web.draft_text.encode())
        assert problems == [] and spec is not None
        assert [q.prompt for q in spec.questions] == ["Serval", "<b>MINUSMA</b>"]


def test_create_without_csrf_is_refused(app: Flask, world: None) -> None:
    client = as_(app, "other")
    response = client.post("/my/banks/import/create", data={"text": WEB.replace("web-small", "sneaky")})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(WebBank, "sneaky") is None


def test_a_taken_bank_id_cannot_be_created(app: Flask, world: None) -> None:
    client = as_(app, "other")
    status, page = paste(client, "a\tb\n", bank_id="examples")
    assert status == 200 and "the bank id &#39;examples&#39; is already used" in page
    assert "Create draft bank" not in page
    refused = client.post("/my/banks/import/create", data={"text": WEB, "csrf_token": token(client)})
    assert refused.status_code == 422 and "already used" in refused.get_data(as_text=True)


def test_a_custom_separator(app: Flask, world: None) -> None:
    client = as_(app, "other")
    status, page = paste(client, "Serval - the 2013 operation\n", separator="custom", custom=" - ")
    assert status == 200 and "No problems" in page and "the 2013 operation" in page
    status, page = paste(client, "Serval - the 2013 operation\n", separator="custom", custom="")
    assert status == 422 and "Type the separator your text uses" in page


def test_the_format_is_taken_from_the_file_name_unless_chosen(app: Flask, world: None) -> None:
    client = as_(app, "other")
    csv_file = b"type,prompt,back,explanation\ncard,Serval,The 2013 operation,e\n"

    def upload(fmt: str, name: str) -> tuple[int, str]:
        response = client.post("/my/banks/import/file", data={
            "file-fmt": fmt, "file-file": (io.BytesIO(csv_file), name), "file-csrf_token": token(client)},
            content_type="multipart/form-data")
        return response.status_code, response.get_data(as_text=True)

    status, page = upload("auto", "deck.csv")
    assert status == 200 and "No problems" in page and "The 2013 operation" in page
    status, page = upload("auto", "deck.dat")
    assert status == 422 and "The file name does not say its format" in page
    status, page = upload("csv", "deck.dat")
    assert status == 200 and "No problems" in page
    status, page = upload("gift", "deck.csv")  # read as GIFT: nothing to create, said so
    assert status == 200 and "Create draft bank" not in page and "Nothing can be created" in page


def test_size_limits(app: Flask, world: None) -> None:
    client = as_(app, "other")
    status, page = paste(client, "ab" * 100_001)
    assert status == 422 and "Paste at most 200,000 characters" in page
    big = io.BytesIO(b"type,prompt\n" + b"card,x\n" * 30_000)
    response = client.post("/my/banks/import/file", data={"file-fmt": "csv", "file-file": (big, "big.csv"),
                                                           "file-csrf_token": token(client)},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "larger than 200 KB" in response.get_data(as_text=True)


MALFORMED = {
    "csv": [b'type,prompt\ncard,"never closed\n', b"\xff\xfe\x00\x00garbage", b"typ,prmpt\n1,2\n",
            b"type,prompt,answer,explanation\nnumber,How many?,three,e\n"],
    "gift": [b"::Q1:: What? {=yes ~no\n", b"{}{}{}", b"\xc3\x28 invalid utf-8 {=a}"],
}


@pytest.mark.parametrize(("fmt", "data"), [(f, d) for f, ds in MALFORMED.items() for d in ds])
def test_a_malformed_file_gets_located_problems_not_a_500(app: Flask, world: None, fmt: str, data: bytes) -> None:
    if fmt not in IMPORTERS:
        pytest.skip(f"no {fmt} importer on this branch")
    client = as_(app, "other")
    response = client.post("/my/banks/import/file", data={"file-fmt": fmt, "file-file": (io.BytesIO(data), f"bad.{fmt}"),
                                                          "file-csrf_token": token(client)},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f"bad.{fmt}:" in page and "problem" in page


@pytest.mark.parametrize("fmt", ["csv", "gift", "quizlet"])
def test_random_bytes_never_make_a_500(app: Flask, world: None, fmt: str) -> None:
    if fmt not in IMPORTERS:
        pytest.skip(f"no {fmt} importer on this branch")
    client = as_(app, "other")
    rng = random.Random(11)
    for _ in range(5):
        junk = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400)))
        if fmt == "quizlet":
            response = client.post("/my/banks/import/paste", data={
                "paste-text": junk.decode("latin-1"), "paste-separator": "tab", "paste-csrf_token": token(client)})
        else:
            response = client.post("/my/banks/import/file", data={
                "file-fmt": fmt, "file-file": (io.BytesIO(junk), "junk"), "file-csrf_token": token(client)},
                content_type="multipart/form-data")
        # 400: a NUL character, which no form takes (quiz.web.inputs)
        assert response.status_code in ((200, 422, 400) if fmt == "quizlet" and 0 in junk else (200, 422))
