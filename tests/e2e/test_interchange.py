"""Import and export in a real Chromium: an instructor pastes Quizlet cards, sees the preview
with the problem first, creates the draft bank, and downloads it as an Anki deck; axe on
every new page, and the paste works without JavaScript too."""
from __future__ import annotations

import uuid
import zipfile
from typing import Any

import pytest
from playwright.sync_api import expect

from quiz.extensions import db
from quiz.models import WebBank
from quiz.services import accounts

from .conftest import LiveServer, assert_accessible, log_in

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery"


def _instructor(live_server: LiveServer) -> str:
    email = f"teacher-{uuid.uuid4().hex[:8]}@example.org"
    with live_server.app.app_context():
        accounts.create_user(email, PASSWORD, "instructor")
        db.session.remove()
    return email


def _login(page: Any, email: str) -> None:
    log_in(page, email, PASSWORD)


def _paste_and_create(page: Any, bank_id: str, check: bool) -> None:
    page.goto("/my/banks/")
    page.get_by_role("link", name="Import from GIFT, CSV or Quizlet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import questions")
    if check:
        assert_accessible(page)
    page.get_by_label("Cards, one a line").fill(
        "Serval, the 2013 French operation in Mali\n"
        "MINUSMA, the <UN> mission\n"
        "a line without its definition\n")
    page.get_by_label("Comma").check()
    page.locator("form", has=page.get_by_role("button", name="Preview the cards")).get_by_label(
        "Bank id (optional)").fill(bank_id)
    page.get_by_role("button", name="Preview the cards").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Import preview: pasted cards")
    problems = page.locator("#import-problems")
    expect(problems.get_by_role("heading")).to_have_text("1 problem")
    expect(problems).to_contain_text("pasted cards:3:1")
    rows = page.locator("#import-questions tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("the <UN> mission")  # plain text, shown as typed
    if check:
        assert_accessible(page)
    page.get_by_role("button", name="Create draft bank").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(bank_id)


def test_paste_quizlet_cards_preview_create_and_export(page: Any, live_server: LiveServer) -> None:
    email = _instructor(live_server)
    _login(page, email)
    _paste_and_create(page, "pasted-deck", check=True)
    with live_server.app.app_context():
        web = db.session.get(WebBank, "pasted-deck")
        assert web is not None and "the <UN> mission" in web.draft_text
        db.session.remove()

    page.get_by_role("navigation", name="Bank").get_by_role("link", name="Export").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Export pasted-deck")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Anki deck (.apkg)").click()
    path = download.value.path()
    assert download.value.suggested_filename == "pasted-deck.apkg"
    assert zipfile.is_zipfile(path)


def test_the_import_works_without_javascript(browser: Any, live_server: LiveServer) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        _login(page, _instructor(live_server))
        _paste_and_create(page, "no-js-deck", check=False)
    finally:
        context.close()
