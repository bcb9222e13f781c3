"""Writing a bank in the browser: an instructor creates it in the source textarea (a problem
shown at its line first), publishes it, a learner takes a quiz on it, the instructor edits and
publishes version 2, reads the diff and restores version 1. Every new page is checked with axe."""
from __future__ import annotations

import uuid
from typing import Any, Callable

import pytest
from playwright.sync_api import expect

from quiz.extensions import db
from quiz.services import accounts

from .conftest import LiveServer, assert_accessible, log_in

pytestmark = pytest.mark.e2e

BANK = """\
id: {bank_id}
title: Rivers of Mali
language: en
sources:
  atlas: {{title: An atlas, publisher: A press, date: 2020-01-01}}
questions:
  - id: {bank_id}-niger
    type: truefalse
    prompt: The Niger flows through Bamako.
    answer: true
    explanation: Bamako lies on the Niger.
    source: {{id: atlas, paragraph: 1}}
  - id: {bank_id}-senegal
    type: {second_type}
    prompt: The Senegal river rises in Mali.
    answer: false
    explanation: It rises in Guinea (the Bafing).
    source: {{id: atlas, paragraph: 2}}
"""


def _login(page: Any, email: str, password: str) -> None:
    log_in(page, email, password)


def _set_source(page: Any, text: str) -> None:
    """Replace the bank text as a user would: in the source editor (JavaScript on, the textarea
    is hidden behind it) by selecting all and pasting, else in the plain textarea."""
    editor = page.get_by_role("textbox", name="Bank source (YAML)")
    if page.locator(".cm-content").count():
        editor.click()
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(text)  # like a paste: no auto-indent of each typed line
    else:
        editor.fill(text)


def test_write_publish_quiz_edit_diff_restore(browser: Any, page: Any, live_server: LiveServer,
                                              user: Callable[..., tuple[str, str]]) -> None:
    email, password = f"author-{uuid.uuid4().hex[:8]}@example.org", "correct horse battery"
    with live_server.app.app_context():
        accounts.create_user(email, password, "instructor")
        db.session.remove()
    bank_id = f"rivers-{uuid.uuid4().hex[:6]}"

    _login(page, email, password)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My banks").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My banks")
    assert_accessible(page)
    page.get_by_role("link", name="Create a bank").first.click()
    assert_accessible(page)
    page.get_by_label("Title", exact=True).fill("Rivers of Mali")
    page.get_by_label("Bank id").fill(bank_id)
    page.get_by_role("button", name="Create the bank").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Source of {bank_id}")
    assert_accessible(page)

    # A typo in a type: Check lists it at its line and column, nothing saved yet.
    _set_source(page, BANK.format(bank_id=bank_id, second_type="trufalse"))
    expect(page.locator(".cm-lintRange-error")).to_have_text("trufalse")  # marked live, before Check
    expect(page.locator("#bank-problems")).to_contain_text(f"{bank_id}.yaml:14:11")
    page.get_by_role("button", name="Check").click()
    expect(page.locator("#bank-problems")).to_contain_text(f"{bank_id}.yaml:14:11")
    expect(page.locator("#bank-problems")).to_contain_text("did you mean 'truefalse'")
    _set_source(page, BANK.format(bank_id=bank_id, second_type="truefalse"))
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("status")).to_contain_text("Draft saved.")
    page.get_by_role("navigation", name="Bank").get_by_role("link", name=bank_id).click()
    expect(page.locator("#bank-problems")).to_contain_text("No problems")
    assert_accessible(page)
    page.get_by_role("button", name="Publish the draft").click()
    expect(page.get_by_role("status")).to_contain_text("Published as version 1")

    page.get_by_role("navigation", name="Bank").get_by_role("link", name="Sharing").click()
    assert_accessible(page)
    page.get_by_label("Public — listed in the catalog for everyone").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Sharing saved.")

    # A learner takes a quiz on it.
    learner = browser.new_context(base_url=live_server.url).new_page()
    try:
        learner_email, learner_password = user()
        _login(learner, learner_email, learner_password)
        learner.goto(f"/banks/{bank_id}")
        learner.get_by_role("button", name="Take a 10-question quiz").click()
        for step in range(2):
            learner.wait_for_selector("form.quiz-item")
            learner.get_by_label("True", exact=True).check()
            learner.locator("form.quiz-item button[type=submit]").click()
            learner.wait_for_selector(f"#feedback:has-text('Question {step + 1}:')")
        learner.get_by_role("link", name="See your results").click()
        expect(learner.locator(".result-summary")).to_contain_text("1 of 2")
    finally:
        learner.context.close()

    # Version 2, the diff, and back to version 1.
    page.goto(f"/my/banks/{bank_id}/source")
    _set_source(page, BANK.format(bank_id=bank_id, second_type="truefalse").replace("answer: false", "answer: true"))
    page.get_by_role("button", name="Save the draft").click()
    page.goto(f"/my/banks/{bank_id}")
    page.get_by_label("What changed (optional)").fill("Senegal answer")
    page.get_by_role("button", name="Publish the draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Regrade the answers?")  # the learner answered it
    assert_accessible(page)
    page.get_by_role("link", name="Keep the old grades").click()
    page.get_by_role("navigation", name="Bank").get_by_role("link", name="Versions").click()
    expect(page.locator("table.history")).to_contain_text("Senegal answer")
    assert_accessible(page)
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Changes from version 1 to version 2")
    expect(page.locator("tr.diff-removed")).to_contain_text("answer: false")
    expect(page.locator("tr.diff-added")).to_contain_text("answer: true")
    assert_accessible(page)
    page.get_by_role("navigation", name="Bank").get_by_role("link", name="Versions").click()
    page.get_by_role("button", name="Restore version 1").click()
    expect(page.get_by_role("status")).to_contain_text("Version 1 restored as version 3")
    page.goto(f"/my/banks/{bank_id}/diff?from=1&to=3")
    expect(page.get_by_text("The two versions have the same text.")).to_be_visible()


def test_copy_a_file_bank_then_delete_the_copy(page: Any, live_server: LiveServer) -> None:
    email, password = f"author-{uuid.uuid4().hex[:8]}@example.org", "correct horse battery"
    with live_server.app.app_context():
        accounts.create_user(email, password, "instructor")
        db.session.remove()
    copy_id = f"copy-{uuid.uuid4().hex[:6]}"
    _login(page, email, password)
    page.goto("/banks/examples")
    expect(page.locator("#bank-origin")).to_contain_text("read-only in the browser")
    page.get_by_role("link", name="Copy to my banks").click()
    assert_accessible(page)
    page.get_by_label("Bank id").fill(copy_id)
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(copy_id)
    expect(page.locator("#bank-problems")).to_contain_text("No problems")
    page.get_by_role("link", name="Delete this bank…").click()
    assert_accessible(page)
    page.get_by_role("button", name="Delete the bank").click()
    expect(page.get_by_role("status")).to_contain_text(f"The bank {copy_id} was deleted.")
