"""In Chromium, with and without JavaScript: a long answer is refused with its limit and never
widens the page; an unreadable answer comes back with a message naming the field."""
from __future__ import annotations

from typing import Any, Iterator

import pytest

from .conftest import TIMEOUT_MS, LiveServer, assert_accessible

pytestmark = pytest.mark.e2e

WIDTH = 390  # a phone


@pytest.fixture(params=[True, False], ids=["javascript", "no javascript"])
def phone(request: pytest.FixtureRequest, browser: Any, live_server: LiveServer) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=request.param,
                                  viewport={"width": WIDTH, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def start_quiz(page: Any, qtype: str) -> None:
    page.goto("/quiz/new")
    page.get_by_label("Example bank — every question type").check()
    page.locator(f"input[name=types][value={qtype}]").check()
    page.get_by_label("Number of questions").fill("1")
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_selector(f"form.quiz-item-{qtype}")


def page_width(page: Any) -> int:
    return int(page.evaluate("() => document.documentElement.scrollWidth"))


def test_a_long_answer_is_refused_and_the_page_stays_inside_the_window(phone: Any) -> None:
    page = phone
    start_quiz(page, "short")
    box = page.locator("form.quiz-item input[name=answer]")
    assert box.get_attribute("maxlength") == "500"
    assert page.get_by_text("Up to 500 characters.").is_visible()
    box.evaluate("(input) => input.removeAttribute('maxlength')")  # as an old browser or a script would send it
    box.fill("x" * 3000)
    page.get_by_role("button", name="Check my answer").click()
    error = page.locator("#answer-error")
    error.wait_for()
    assert "at most 500 characters and yours has 3,000" in error.inner_text()
    assert page_width(page) <= WIDTH
    page.locator("form.quiz-item input[name=answer]").fill("y" * 500)  # the longest answer taken, no spaces
    page.get_by_role("button", name="Check my answer").click()
    feedback = page.locator("#feedback")
    feedback.wait_for()
    assert "y" * 500 in feedback.inner_text().replace("\n", "")
    assert page_width(page) <= WIDTH, "the feedback widens the page"
    assert_accessible(page)


def test_letters_in_the_year_box_come_back_with_a_message(phone: Any) -> None:
    page = phone
    start_quiz(page, "date")
    page.get_by_label("Month").select_option(label="January")
    page.get_by_label("Year").fill("abc")
    page.get_by_role("button", name="Check my answer").click()
    error = page.locator("#answer-error")
    error.wait_for()
    assert "The Year box takes a year in digits" in error.inner_text()
    assert page.get_by_label("Year").input_value() == "abc"  # nothing typed is lost
    assert page.get_by_label("Month").input_value() == "1"
    assert page.locator("#feedback").count() == 0  # not graded
    assert page.get_by_label("Year").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    page.get_by_label("Year").fill("2013")
    page.get_by_role("button", name="Check my answer").click()
    page.locator("#feedback").wait_for()
    assert "January 2013" in page.locator("#feedback").inner_text()


def test_a_test_mode_question_can_be_skipped_with_the_box_empty(phone: Any) -> None:
    page = phone
    page.goto("/quiz/new")
    page.get_by_label("Example bank — every question type").check()
    page.locator("input[name=types][value=short]").check()
    page.get_by_label("Number of questions").fill("1")
    page.get_by_label("Test — see the answers at the end").check()
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_selector("form.quiz-item-short")
    page.get_by_role("button", name="Save and continue").click()  # empty: the browser asks for an answer
    assert page.locator("form.quiz-item-short").is_visible() and page.locator(".feedback").count() == 0
    page.get_by_role("button", name="Skip this question").click()
    page.wait_for_url("**/results")
    row = page.locator("details.result-item").first
    assert "Wrong" in row.inner_text()
    row.locator("summary").click()  # the row opens to its feedback
    assert "You skipped this question." in row.inner_text()
