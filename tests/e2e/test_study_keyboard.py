"""A learner studies ten flashcards with the keyboard only, then sees them on the dashboard."""
from __future__ import annotations

from typing import Any

import pytest

from .conftest import LiveServer, assert_accessible, wait_settled
from .test_quiz_keyboard import tab_to

pytestmark = pytest.mark.e2e


def test_study_ten_cards_with_the_keyboard_then_see_progress(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server("/study?bank=examples"))
    assert_accessible(page)
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#card-front")
    page.wait_for_load_state()  # study.js (deferred) listens for the keys only from then on
    assert_accessible(page)
    fronts = []
    for number in range(10):
        front = page.inner_text("#card-front")
        fronts.append(front)
        assert page.locator(".grade-buttons").count() == 0  # no answer before reveal
        page.keyboard.press("Space")
        page.wait_for_selector(".grade-buttons")
        wait_settled(page)
        if number == 0:
            assert_accessible(page)
            labels = page.locator(".grade-buttons button").all_inner_texts()
            assert [label.split()[0] for label in labels] == ["Again", "Hard", "Good", "Easy"]
        page.keyboard.press("3" if number % 3 else "4")
        page.wait_for_function(
            "(before) => { const f = document.querySelector('#card-front, #done-heading');"
            " return f && f.innerText !== before && !document.querySelector('.grade-buttons'); }", arg=front)
        wait_settled(page)
    assert len(set(fronts)) == 10  # ten different new cards
    # U undoes the last review: the tenth card comes back
    page.keyboard.press("u")
    page.wait_for_function("(t) => document.querySelector('#card-front') && "
                           "document.querySelector('#card-front').innerText === t", arg=fronts[-1])
    wait_settled(page)
    page.keyboard.press("Space")
    page.wait_for_selector(".grade-buttons")
    wait_settled(page)
    page.keyboard.press("3")
    page.wait_for_function("() => !document.querySelector('.grade-buttons')")
    page.goto(live_server("/progress"))
    assert_accessible(page)
    body = page.inner_text("main")
    assert "10" in body
    assert page.locator("main svg").count() >= 3
