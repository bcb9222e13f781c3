"""A quiz with JavaScript on, in Chromium: no console errors, the tab title follows the
question, and a time limit ends the quiz on its own."""
from __future__ import annotations

import random
import re
from typing import Any, Callable

import pytest
from playwright.sync_api import expect

from quiz.extensions import db
from quiz.models import User
from quiz.models.types import utcnow
from quiz.services import quizzes

from .conftest import LiveServer, assert_accessible
from .test_quiz_keyboard import answer_with_keyboard, find_question, questions_by_prompt

pytestmark = pytest.mark.e2e


def collect_console_errors(page: Any) -> list[str]:
    """Every console error and uncaught exception of the page, as they happen."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_a_quiz_of_every_type_has_no_console_error_and_titles_each_question(page: Any,
                                                                            live_server: LiveServer) -> None:
    errors = collect_console_errors(page)
    bank = questions_by_prompt(live_server)
    page.goto("/banks/examples")
    page.locator("form[action='/quiz/quick'] button").click()
    page.wait_for_selector("form.quiz-item")
    seen = set()
    for step in range(10):
        expect(page).to_have_title(re.compile(rf"— question {step + 1} · "))
        q = find_question(page, bank)
        seen.add(q["type"])
        answer_with_keyboard(page, q)  # a flashcard is revealed first, through htmx
        page.locator("form.quiz-item button[type=submit]").click()
        page.wait_for_selector(f"#feedback:has-text('Question {step + 1}:')")
    assert len(seen) == 10
    expect(page).to_have_title(re.compile(r"— question 10 · "))  # the last feedback
    page.get_by_role("link", name="See your results").click()
    page.wait_for_url("**/results")
    assert errors == []


def test_the_time_limit_ends_the_quiz_and_shows_the_results(page: Any, live_server: LiveServer,
                                                            user: Callable[..., tuple[str, str]]) -> None:
    errors = collect_console_errors(page)
    email, password = user()
    page.goto("/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server("/"))
    with live_server.app.app_context():  # a short limit through the service; the form only offers minutes
        learner = db.session.scalar(db.select(User).where(User.email == email))
        assert learner is not None
        attempt = quizzes.start_quiz(learner, quizzes.QuizRequest(
            ["examples"], [], ["mcq", "truefalse", "short"], time_limit_seconds=3),
            utcnow(), random.Random(1))
        attempt_id = attempt.id
        db.session.remove()
    page.goto(f"/quiz/{attempt_id}")
    expect(page.locator(".time-left")).to_contain_text(re.compile(r"Time left: 0 min 0\d s"))
    # Nobody answers: the countdown ends the quiz and the browser lands on the results.
    page.wait_for_url(f"**/quiz/{attempt_id}/results", timeout=30_000)
    expect(page.get_by_role("status")).to_contain_text("Time is up")
    expect(page.locator(".result-summary")).to_contain_text("0 of 3")
    assert_accessible(page)
    page.goto(f"/quiz/{attempt_id}/q/0")  # the quiz stays over
    expect(page).to_have_url(re.compile(rf"/quiz/{attempt_id}/results$"))
    assert errors == []
