"""The form editor in a real Chromium: an instructor writes a small bank from nothing (an mcq and a
number question) without seeing any YAML, previews the number question and answers it; every
form editor page is checked with axe, in light and dark mode."""
from __future__ import annotations

import uuid
from typing import Any

import pytest
from playwright.sync_api import expect

from quiz.extensions import db
from quiz.services import accounts, authoring

from .conftest import LiveServer, assert_accessible, log_in

pytestmark = pytest.mark.e2e


def test_an_instructor_writes_a_bank_with_the_form_editor(page: Any, live_server: LiveServer) -> None:
    email, password = f"author-{uuid.uuid4().hex[:8]}@example.org", "correct horse battery"
    bank_id = f"serval-{uuid.uuid4().hex[:6]}"
    with live_server.app.app_context():
        accounts.create_user(email, password, "instructor")
        db.session.remove()
    log_in(page, email, password)

    # A new bank (it starts with an example question and source), then the form editor.
    page.goto("/my/banks/new")
    page.get_by_role("textbox", name="Title").fill("Operation Serval")
    page.get_by_label("Bank id").fill(bank_id)
    page.get_by_role("button", name="Create the bank").click()
    page.get_by_role("navigation", name="Bank").get_by_role("link", name="Form editor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Edit {bank_id}")
    assert_accessible(page)

    # The bank's source.
    page.locator("#sources-0-title").fill("French troops intervene in Mali")
    page.locator("#sources-0-publisher").fill("FDD's Long War Journal")
    page.locator("#sources-0-date").fill("2013-01-12")
    page.get_by_role("button", name="Save the bank details").click()
    expect(page.get_by_role("status")).to_contain_text("Bank details saved.")

    # The first question, a multiple choice.
    page.get_by_role("link", name=f"{bank_id}-1", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Question 1")
    assert_accessible(page)
    page.get_by_label("Question", exact=True).fill("Which town did jihadist fighters overrun just before "
                                                   "France intervened?")
    for number, option in enumerate(["Gao", "Konna", "Kidal", "Tessalit"], start=1):
        page.get_by_label(f"Option {number}", exact=True).fill(option)
    page.get_by_label("Option 2 is correct").check()
    page.get_by_label("Explanation").fill("Losing Konna opened the road south towards Mopti.")
    page.get_by_label("Paragraph").fill("2")
    page.get_by_role("button", name="Save the question").click()
    expect(page.get_by_role("status")).to_contain_text("Question saved.")
    expect(page.get_by_label("Option 1", exact=True)).to_have_value("Konna")  # the right one comes first

    # A number question, added with the form.
    page.get_by_role("link", name="All questions").click()
    page.get_by_label("Type").select_option("number")
    page.get_by_role("button", name="Add a question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New question")
    page.get_by_label("Question", exact=True).fill("How many years had Shabaab held Denis Allex?")
    page.get_by_label("Answer (a number)").fill("3")
    page.get_by_label("Unit (optional)").fill("years")
    page.get_by_label("Explanation").fill("The rescue attempt came on the same day as the intervention.")
    page.get_by_label("Paragraph").fill("13")
    assert_accessible(page)
    page.get_by_label("Paragraph").press("Enter")  # Enter adds it (not "Change type", the form's first button)
    expect(page.get_by_role("status")).to_contain_text("New question saved.")
    with live_server.app.app_context():
        text = authoring.draft_text(bank_id)
        assert authoring.check_draft(bank_id, text) == []
        db.session.remove()
    assert "# A bank written in the app" in text  # the skeleton's comment is still there
    assert "    answer: Konna\n    distractors: [Gao, Kidal, Tessalit]\n" in text
    assert "    answer: 3\n    unit: years\n" in text

    # Preview the number question and answer it: graded, with feedback, as a learner would see it.
    page.get_by_role("link", name="Preview and try it").click()
    expect(page.get_by_text("How many years had Shabaab held Denis Allex?")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("How many years had Shabaab held Denis Allex?").fill("4")
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_role("heading", level=2, name="Question 2 of 2: Not quite (0 %)")).to_be_visible()
    expect(page.get_by_text("The answer is 3 years.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Try again").click()
    page.get_by_label("How many years had Shabaab held Denis Allex?").fill("3")
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_role("heading", level=2, name="Question 2 of 2: Right (100 %)")).to_be_visible()

    # Deleting asks first; keeping it changes nothing.
    page.get_by_role("link", name="Edit this question").click()
    page.get_by_role("link", name="All questions").click()
    page.get_by_role("link", name=f"Delete… {bank_id}-1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete question 1?")
    assert_accessible(page)
    page.get_by_role("link", name="Keep it").click()
    expect(page.get_by_role("heading", level=2, name="Questions (2)")).to_be_visible()
