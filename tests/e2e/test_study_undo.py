"""Grade, undo, grade again: the card comes back, can be graded, and every review that was
not undone is counted on the progress page (keyboard with JavaScript, and buttons without)."""
from __future__ import annotations

from typing import Any

import pytest

from .conftest import LiveServer
from .test_quiz_keyboard import tab_to

pytestmark = pytest.mark.e2e

NEXT_CARD = ("(before) => { const f = document.querySelector('#card-front, #done-heading');"
             " return f && f.innerText !== before && !document.querySelector('.grade-buttons'); }")


def reviews_in_progress(page: Any, live_server: LiveServer) -> str:
    """The "Reviews in the past year" figure of the learner's progress page."""
    page.goto(live_server("/progress"))
    return page.locator("dt:text-is('Reviews in the past year') + dd").inner_text()


def test_space_3_space_4_u_space_2_keeps_both_reviews(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server("/study?bank=examples"))
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#card-front")
    page.wait_for_load_state()  # study.js (deferred) listens for the keys only from then on
    fronts = []
    for key in ("3", "4"):
        fronts.append(page.inner_text("#card-front"))
        page.keyboard.press("Space")
        page.wait_for_selector(".grade-buttons")
        page.keyboard.press(key)
        page.wait_for_function(NEXT_CARD, arg=fronts[-1])
    page.keyboard.press("u")
    page.wait_for_function("(t) => document.querySelector('#card-front') && "
                           "document.querySelector('#card-front').innerText === t", arg=fronts[1])
    page.keyboard.press("Space")
    page.wait_for_selector(".grade-buttons")
    page.keyboard.press("2")
    page.wait_for_function("() => !document.querySelector('.grade-buttons')")  # the grade's answer is in
    card = page.inner_text("#study-card")
    assert "already graded" not in card
    assert page.inner_text("#card-front") not in fronts  # the study goes on with a third card
    assert reviews_in_progress(page, live_server) == "2"


def test_grade_undo_grade_again_without_javascript(browser: Any, live_server: LiveServer) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server("/study?bank=examples"))
        with page.expect_navigation():
            page.get_by_role("button", name="Start studying").click()
        fronts = []
        for label in ("Good", "Easy"):
            fronts.append(page.inner_text("#card-front"))
            with page.expect_navigation():
                page.get_by_role("link", name="Show the answer").click()
            with page.expect_navigation():
                page.locator(f".grade-buttons button:has-text('{label}')").click()
        with page.expect_navigation():
            page.get_by_role("button", name="Undo last review (U)").click()
        assert page.inner_text("#card-front") == fronts[1]
        with page.expect_navigation():
            page.get_by_role("link", name="Show the answer").click()
        with page.expect_navigation():
            page.locator(".grade-buttons button:has-text('Hard')").click()
        assert "already graded" not in page.inner_text("main")
        assert page.inner_text("#card-front") not in fronts
        assert reviews_in_progress(page, live_server) == "2"
    finally:
        context.close()
