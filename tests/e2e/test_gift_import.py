"""A Moodle user brings a GIFT file in a real Chromium: the preview lists the questions, the
skipped essay at its line and no problem; the draft bank is created and exported back to GIFT.
A broken GIFT file gets its problem at line and column, and nothing is created."""
from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from quiz.extensions import db
from quiz.models import WebBank
from quiz.services import accounts

from .conftest import LiveServer, log_in

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery"
GIFT = """// Exported from Moodle
$CATEGORY: $course$/top/Mali

::Konna::[html]<p>Which town fell <b>just before</b> France intervened?</p>{
  =Konna#Right: it fell on 10 January.
  ~Gao
  ~Kidal
}

Serval began in {=2013} as a French operation.

Barkhane replaced Serval in 2014.{TRUE}

Write an essay about the intervention.{}
"""


def _login_instructor(page: Any, live_server: LiveServer) -> None:
    email = f"teacher-{uuid.uuid4().hex[:8]}@example.org"
    with live_server.app.app_context():
        accounts.create_user(email, PASSWORD, "instructor")
        db.session.remove()
    log_in(page, email, PASSWORD)


def _upload(page: Any, name: str, text: str, bank_id: str) -> None:
    page.goto("/my/banks/import")
    form = page.locator("form", has=page.get_by_role("button", name="Preview the import"))
    form.get_by_label("Format").select_option("gift")
    form.get_by_label("File").set_input_files({"name": name, "mimeType": "text/plain", "buffer": text.encode()})
    form.get_by_label("Bank id (optional)").fill(bank_id)
    form.get_by_role("button", name="Preview the import").click()


def test_a_gift_file_is_previewed_created_and_exported_back(page: Any, live_server: LiveServer) -> None:
    _login_instructor(page, live_server)
    _upload(page, "mali.gift", GIFT, "moodle-mali")

    expect(page.get_by_role("heading", level=1)).to_have_text("Import preview: mali.gift")
    problems = page.locator("#import-problems")
    expect(problems.get_by_role("heading", level=2)).to_have_text("No problems")
    expect(problems).to_contain_text("1 item skipped")
    essay_line = GIFT.split("\n").index("Write an essay about the intervention.{}") + 1
    expect(problems).to_contain_text(f"mali.gift:{essay_line}:1 question skipped: an essay question")
    rows = page.locator("#import-questions tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Which town fell just before France intervened?")  # HTML made plain text

    page.get_by_role("button", name="Create draft bank").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("moodle-mali")
    with live_server.app.app_context():
        web = db.session.get(WebBank, "moodle-mali")
        assert web is not None and "{{2013}}" in web.draft_text and "tags: [mali]" in web.draft_text
        db.session.remove()

    page.goto("/my/banks/moodle-mali/export")
    with page.expect_download() as download:
        page.get_by_role("link", name="GIFT (Moodle)").click()
    exported = Path(download.value.path()).read_text(encoding="utf-8")
    assert "::moodle-mali-konna::[plain]Which town fell just before France intervened? {" in exported
    assert "\t=Konna\n" in exported and "Serval began in {\n\t=2013\n\t####" in exported
    assert "\n} as a French operation.\n" in exported


def test_a_broken_gift_file_shows_its_problem_at_line_and_column(page: Any, live_server: LiveServer) -> None:
    _login_instructor(page, live_server)
    _upload(page, "broken.gift", "Fine?{T}\n\nBroken?{=a ~b ~c\n", "broken-gift")
    problems = page.locator("#import-problems")
    expect(problems.get_by_role("heading", level=2)).to_have_text("1 problem")
    expect(problems).to_contain_text("broken.gift:3:8 the answers opened with '{' are not closed")
