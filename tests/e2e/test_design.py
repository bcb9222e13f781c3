"""The design in a real Chromium: the home page, bank filtering, results that expand,
dark mode, print, and no horizontal scrolling from 320 to 1920 px. Every page and state
is checked with axe in light and dark mode (assert_accessible)."""
from __future__ import annotations

import re
import uuid
from typing import Any, Iterator

import pytest
from playwright.sync_api import expect

from quiz.extensions import db
from quiz.services import accounts

from .conftest import LiveServer, assert_accessible, wait_settled

pytestmark = pytest.mark.e2e

BANK_PATH = "/banks/examples"


def start_two_question_quiz(page: Any) -> None:
    """A practice quiz of the example bank's multiple-choice and true-or-false questions."""
    page.goto("/quiz/new?bank=examples")
    page.check("input[value=mcq]")
    page.check("input[value=truefalse]")
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_selector("form.quiz-item")


def answer_first_choice(page: Any) -> None:
    """Answer whatever question shows with a readable answer (right or wrong), then submit it."""
    form = page.locator("form.quiz-item")
    reveal = form.get_by_role("link", name="Show the answer")
    if reveal.count():  # a flashcard: reveal it first
        reveal.click()
        form.locator("input[type=radio]").first.wait_for()
    for kind in ("radio", "checkbox"):
        if form.locator(f"input[type={kind}]").count():
            form.locator(f"input[type={kind}]").first.check()
    for field in form.locator("input[type=text], input:not([type])").all():
        name = field.get_attribute("name") or ""
        field.fill({"year": "2013", "day": "1", "answer": "1"}.get(name, "Mali"))
    for select in form.locator("select:not(.order-select)").all():  # an order question works as it is
        select.select_option(index=1)
    form.locator(".item-actions button[type=submit]").click()
    page.wait_for_selector("#feedback")


def finish_quiz(page: Any) -> None:
    """Answer the two questions (first choice each), then open the results."""
    start_two_question_quiz(page)
    answer_first_choice(page)
    page.get_by_role("link", name=re.compile("Next question|Continue", re.I)).or_(
        page.locator("form.quiz-item")).first.wait_for()
    if page.locator("form.quiz-item").count():
        answer_first_choice(page)
    page.get_by_role("link", name="See your results").click()
    page.wait_for_url("**/results")


# --- the home page ---------------------------------------------------------------------

def test_home_page_for_a_newcomer_then_for_a_returning_learner(page: Any) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Learn it once. Keep it.")
    start = page.get_by_role("button", name="Start a 10-question quiz")
    expect(start).to_be_visible()
    assert_accessible(page)

    start.click()  # the one obvious button starts a quiz at once
    expect(page.locator("form.quiz-item")).to_be_visible()
    answer_first_choice(page)

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    expect(page.get_by_role("heading", name="Flashcards")).to_be_visible()
    expect(page.get_by_role("link", name="Study now")).to_be_visible()
    expect(page.get_by_text("1 of 10 answered")).to_be_visible()
    expect(page.get_by_role("list", name="Days studied this week")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Resume the quiz").click()
    expect(page.locator(".quiz-progress")).to_contain_text("1 of 10 answered")


# --- the bank page ---------------------------------------------------------------------

def visible_prompts(page: Any) -> list[str]:
    return [t.strip() for t in page.locator(".question-list > li:not([hidden]) summary").all_inner_texts()]


def test_bank_page_filters_live_with_javascript(page: Any, live_server: LiveServer) -> None:
    page.goto(BANK_PATH)
    assert len(visible_prompts(page)) == 10
    assert_accessible(page)
    page.get_by_label("Search the questions").fill("konna")
    expect(page.locator("#filter-status")).to_have_text("1 of 10 questions match.")
    assert visible_prompts(page) == ["Which groups took part in the January 2013 assault on Konna?"]
    expect(page).to_have_url(re.compile(r"\?q=konna$"))  # a link to the filtered list
    page.get_by_label("Search the questions").fill("")
    page.get_by_label("Type", exact=True).select_option("truefalse")
    expect(page.locator("#filter-status")).to_have_text("1 of 10 questions match.")
    page.get_by_label("Type", exact=True).select_option("")
    page.get_by_label("Tag", exact=True).select_option("places")
    expect(page.locator("#filter-status")).to_have_text("2 of 10 questions match.")
    assert_accessible(page)

    # collapsed: a question opens on click, with its type and tags
    first = page.locator(".question-list > li:not([hidden]) details").first
    expect(first.locator(".meta")).to_be_hidden()
    first.locator("summary").click()
    expect(first.locator(".meta")).to_contain_text("#places")
    assert_accessible(page)


def test_bank_page_filters_without_javascript(browser: Any, live_server: LiveServer) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(BANK_PATH)
        page.get_by_label("Difficulty").select_option("easy")
        page.get_by_role("button", name="Filter").click()
        expect(page).to_have_url(re.compile(r"difficulty=easy"))
        expect(page.locator("#filter-status")).to_have_text("1 of 10 questions match.")
        assert len(visible_prompts(page)) == 1
        assert_accessible(page)
        page.get_by_role("link", name="Clear").click()
        assert len(visible_prompts(page)) == 10
    finally:
        context.close()


# --- results ---------------------------------------------------------------------------

def test_results_rows_expand_to_their_feedback(page: Any) -> None:
    finish_quiz(page)
    expect(page.locator(".result-summary")).to_contain_text("Score")
    rows = page.locator(".result-item")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("dl")).to_be_hidden()  # compact until opened
    assert_accessible(page)
    rows.nth(0).locator("summary").focus()
    page.keyboard.press("Enter")  # by keyboard
    expect(rows.nth(0).locator("dl")).to_be_visible()
    expect(rows.nth(0).locator("dl")).to_contain_text("Why")
    rows.nth(1).locator("summary").click()  # and by pointer
    expect(rows.nth(1).locator("dl")).to_contain_text("Source")
    assert_accessible(page)

    # printing shows every row open, without the site's header
    page.keyboard.press("Enter")  # close the first again
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(rows.nth(0).locator("dl")).to_be_visible()
    page.emulate_media(media="screen")


def test_study_the_missed_questions_from_the_results(page: Any) -> None:
    start_two_question_quiz(page)
    page.get_by_role("button", name="Finish the quiz now").click()  # both left unanswered: both missed
    page.wait_for_url("**/results")
    page.get_by_role("link", name="Study them as flashcards").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Missed in")
    expect(page.locator("#card-front")).to_be_visible()
    wait_settled(page)  # study.js (the keys) is deferred
    page.keyboard.press("Space")
    expect(page.locator(".grade-buttons")).to_be_visible()
    assert_accessible(page)
    for _ in range(2):  # the two missed questions, then nothing else
        wait_settled(page)
        page.keyboard.press("4")
        page.wait_for_function("() => !document.querySelector('.grade-buttons')")
        wait_settled(page)
        if page.locator("#done-heading").count():
            break
        page.keyboard.press("Space")
        page.wait_for_selector(".grade-buttons")
    expect(page.locator("#done-heading")).to_have_text("Done for today")


# --- dark mode -------------------------------------------------------------------------

def background(page: Any) -> str:
    return page.evaluate("() => getComputedStyle(document.documentElement).backgroundColor")


def test_dark_mode_follows_the_system(browser: Any, live_server: LiveServer) -> None:
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(base_url=live_server.url, color_scheme=scheme)
        try:
            page = context.new_page()
            page.goto(BANK_PATH)
            colours[scheme] = (background(page), page.evaluate(
                "() => getComputedStyle(document.querySelector('h1')).color"))
            assert_accessible(page)
        finally:
            context.close()
    assert colours["light"] == ("rgb(246, 245, 241)", "rgb(27, 34, 37)")
    assert colours["dark"] == ("rgb(17, 22, 24)", "rgb(233, 237, 236)")


# --- every main page, 320 to 1920 px -----------------------------------------------------

@pytest.fixture
def admin(live_server: LiveServer) -> tuple[str, str]:
    email = f"admin-{uuid.uuid4().hex[:10]}@example.org"
    with live_server.app.app_context():
        accounts.create_user(email, "a long enough password", "admin")
        db.session.remove()
    return email, "a long enough password"


def main_pages(page: Any, admin: tuple[str, str]) -> Iterator[str]:
    """Walk the main pages and states as a learner would; yield a name at each one."""
    for path in ("/", "/banks", BANK_PATH, "/progress", "/auth/login", "/auth/register"):
        page.goto(path)
        yield path
    start_two_question_quiz(page)
    yield "quiz question"
    answer_first_choice(page)
    yield "quiz feedback"
    page.goto("/")
    yield "home, returning"
    page.goto("/study?bank=examples")
    yield "study card"
    page.get_by_role("link", name="Show the answer").click()
    page.wait_for_selector(".grade-buttons")
    wait_settled(page)
    yield "study answer"
    page.keyboard.press("3")
    page.wait_for_function("() => !document.querySelector('.grade-buttons')")
    page.goto("/progress")
    yield "progress"
    page.goto("/quiz/new")
    yield "new quiz"
    page.goto("/account")
    yield "account"
    page.goto("/auth/login")
    page.get_by_label("Email").fill(admin[0])
    page.get_by_label("Password", exact=True).fill(admin[1])
    page.get_by_role("button", name="Log in").click()
    page.goto("/styleguide")
    yield "style guide"
    page.goto("/study/settings")
    yield "study settings"


@pytest.mark.parametrize("width", [320, 1920])
def test_no_horizontal_scrolling(browser: Any, live_server: LiveServer, admin: tuple[str, str], width: int) -> None:
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        wide = []
        for name in main_pages(page, admin):
            scroll, client = page.evaluate(
                "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            if scroll > client:
                wide.append(f"{name}: {scroll} px in a {client} px window")
        assert wide == []
    finally:
        context.close()


def test_the_style_guide_is_accessible(page: Any, admin: tuple[str, str]) -> None:
    for _name in main_pages(page, admin):
        pass
    page.goto("/styleguide")
    expect(page.get_by_role("heading", level=1)).to_have_text("Style guide")
    assert_accessible(page)
