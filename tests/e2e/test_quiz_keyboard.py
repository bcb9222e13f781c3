"""A learner takes a quiz with every question type using only the keyboard, in Chromium."""
from __future__ import annotations

from typing import Any

import pytest

from quiz.domain.dates import PartialDate
from quiz.extensions import db
from quiz.models import Question

from .conftest import LiveServer, assert_accessible

pytestmark = pytest.mark.e2e

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


def tab_to(page: Any, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching selector has the focus."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"could not reach {selector} with Tab")


def questions_by_prompt(live_server: LiveServer) -> dict[str, dict[str, Any]]:
    with live_server.app.app_context():
        rows = db.session.query(Question).filter(Question.bank_id == "examples").all()
        return {q.id: {"type": q.type, "prompt": q.prompt, "data": q.data} for q in rows}


def find_question(page: Any, bank: dict[str, dict[str, Any]]) -> dict[str, Any]:
    qtype = page.get_attribute("form.quiz-item", "class").split("quiz-item-")[1].split()[0]
    matches = [q for q in bank.values() if q["type"] == qtype]
    assert len(matches) == 1
    return matches[0]


def answer_with_keyboard(page: Any, q: dict[str, Any]) -> None:
    data, qtype = q["data"], q["type"]
    if qtype in ("mcq", "truefalse"):
        target = data["answer"] if qtype == "mcq" else ("true" if data["answer"] else "false")
        tab_to(page, "form.quiz-item input[type=radio]")
        for _ in range(12):  # arrows move the choice within the radio group
            if page.evaluate("() => document.activeElement.value") == target:
                break
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Space")
    elif qtype == "multi":
        for _ in range(len(data["answers"]) + len(data["distractors"])):
            tab_to(page, "form.quiz-item input[type=checkbox]:not([data-seen])")
            value = page.evaluate("() => { const e = document.activeElement; e.dataset.seen = 1; return e.value; }")
            if value in data["answers"]:
                page.keyboard.press("Space")
            page.keyboard.press("Tab")
    elif qtype in ("short", "number"):
        tab_to(page, "form.quiz-item input[name=answer]")
        page.keyboard.type(data["answer"] if qtype == "short" else f"{data['answer']:g}")
    elif qtype == "date":
        d = PartialDate.parse(data["answer"])
        if d.day:
            tab_to(page, "form.quiz-item input[name=day]")
            page.keyboard.type(str(d.day))
        if d.month:
            tab_to(page, "form.quiz-item select[name=month]")
            page.keyboard.type(MONTHS[d.month - 1])
        tab_to(page, "form.quiz-item input[name=year]")
        page.keyboard.type(str(d.year))
    elif qtype == "cloze":
        for index, gap in enumerate(data["gaps"]):
            tab_to(page, f"form.quiz-item input[name=gap-{index}]")
            page.keyboard.type(gap[0])
    elif qtype == "match":
        pairs = {p["left"]: p["right"] for p in data["pairs"]}
        count = page.locator("form.quiz-item .match-list select").count()
        for index in range(count):
            left = page.locator(f"form.quiz-item label[for$='-{index}']").inner_text().strip()
            tab_to(page, f"form.quiz-item select[name=match-{index}]")
            options = page.locator(f"form.quiz-item select[name=match-{index}] option").all_inner_texts()
            steps = options.index(pairs[left])
            for _ in range(steps):
                page.keyboard.press("ArrowDown")
            assert page.evaluate("() => document.activeElement.value") == pairs[left]
    elif qtype == "order":
        right = [item["text"] for item in data["items"]]
        for target_index, text in enumerate(right):  # selection sort with "Move up"
            while True:
                current = [t.strip() for t in page.locator("form.quiz-item .order-text").all_inner_texts()]
                if current.index(text) == target_index:
                    break
                tab_to(page, f"form.quiz-item button.move-up[aria-label='Move up: {text}']")
                page.keyboard.press("Enter")
    elif qtype == "card":
        tab_to(page, "form.quiz-item a.button")
        page.keyboard.press("Enter")
        page.wait_for_selector("#card-back")
        assert_accessible(page)
        tab_to(page, "form.quiz-item input[value=yes]")
        page.keyboard.press("Space")


def test_quiz_of_every_type_with_the_keyboard_only(page: Any, live_server: LiveServer) -> None:
    bank = questions_by_prompt(live_server)
    page.goto(live_server("/banks/examples"))
    assert_accessible(page)
    tab_to(page, "form[action='/quiz/quick'] button")
    page.keyboard.press("Enter")
    page.wait_for_selector("form.quiz-item")
    seen = set()
    for step in range(10):
        assert_accessible(page)
        q = find_question(page, bank)
        seen.add(q["type"])
        answer_with_keyboard(page, q)
        tab_to(page, "form.quiz-item button[type=submit]")
        page.keyboard.press("Enter")
        page.wait_for_selector(f"#feedback:has-text('Question {step + 1}:')")
        expected = "self-assessed — you knew it" if q["type"] == "card" else "Right"
        assert expected in page.inner_text("#feedback h2"), (q["type"], page.inner_text("#feedback"))
        assert_accessible(page)
    assert len(seen) == 10
    tab_to(page, ".done a.button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/results")
    assert "100 %" in page.inner_text(".result-summary")
    assert_accessible(page)


def test_refresh_in_the_middle_loses_nothing(page: Any, live_server: LiveServer) -> None:
    bank = questions_by_prompt(live_server)
    page.goto(live_server("/quiz/new?bank=examples"))
    assert_accessible(page)
    page.get_by_label("Test — see the answers at the end").check()
    page.get_by_role("button", name="Start the quiz").click()
    for done in range(1, 4):
        q = find_question(page, bank)
        answer_with_keyboard(page, q)
        page.get_by_role("button", name="Save and continue").click()
        page.wait_for_selector(f".quiz-progress:has-text('{done} of 10 answered')")
    page.reload()
    assert "3 of 10 answered" in page.inner_text(".quiz-progress")
    first_prompt = page.inner_text("form.quiz-item .prompt")
    page.reload()
    assert page.inner_text("form.quiz-item .prompt") == first_prompt


def test_test_mode_ends_on_the_results_page(page: Any, live_server: LiveServer) -> None:
    bank = questions_by_prompt(live_server)
    page.goto(live_server("/quiz/new?bank=examples"))
    page.check("input[value=mcq]")
    page.check("input[value=truefalse]")
    page.get_by_label("Test — see the answers at the end").check()
    page.get_by_role("button", name="Start the quiz").click()
    for done in range(1, 3):
        page.wait_for_selector("form.quiz-item")
        answer_with_keyboard(page, find_question(page, bank))
        assert page.locator("#feedback").count() == 0  # test mode: no feedback on the way
        page.get_by_role("button", name="Save and continue").click()
        if done == 1:  # the next question, not the one just saved, before answering again
            page.wait_for_selector(".quiz-progress:has-text('1 of 2 answered')")
    page.wait_for_url("**/results")
    assert "2 of 2" in page.inner_text(".result-summary") and "100 %" in page.inner_text(".result-summary")
    assert page.locator(".result-item").count() == 2
    assert_accessible(page)
