"""The results page (score first, one compact row per question, each expandable) and its
two follow-ups: retry the missed ones, study them as flashcards."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

from quiz.models import Question
from quiz.services.banks import sync_banks

from ..conftest import AuthActions, csrf_token
from ..services.test_bank_sync import EXAMPLES
from .test_quiz import attempt_state, right_form, start


@pytest.fixture
def banks(app: Flask) -> None:
    with app.app_context():
        sync_banks([EXAMPLES], datetime.now(timezone.utc))


def wrong_form(question: Question) -> dict[str, Any]:
    """A readable but wrong answer to a multiple-choice or true-or-false question."""
    if question.type == "mcq":
        return {"choice": question.data["distractors"][0]}
    return {"choice": "false" if question.data["answer"] else "true"}


def take_quiz(app: Flask, client: FlaskClient) -> tuple[int, list[Question]]:
    """Two questions: the first answered right, the second wrongly, the quiz then finished."""
    attempt_id = start(client, count="2", types=["mcq", "truefalse"])
    questions, shown = attempt_state(app, attempt_id)
    token = csrf_token(client, f"/quiz/{attempt_id}/q/0")
    for position, form in enumerate((right_form(questions[0], shown[0]), wrong_form(questions[1]))):
        client.post(f"/quiz/{attempt_id}/q/{position}", data={**form, "csrf_token": token})
    return attempt_id, questions


def test_score_first_then_one_collapsed_row_per_question(app: Flask, client: FlaskClient, banks: None) -> None:
    attempt_id, questions = take_quiz(app, client)
    html = client.get(f"/quiz/{attempt_id}/results").get_data(as_text=True)
    assert html.index("Score") < html.index("Time") < html.index("Question by question")
    assert "1 right · 0 partly right · 1 wrong" in html
    rows = re.findall(r'<details class="disclosure result-item is-(\w+)"[^>]*>', html)
    assert rows == ["right", "wrong"]  # collapsed: no "open" attribute
    for question in questions:  # the feedback is there, inside its row
        assert escape(question.explanation[:40]) in html


def test_each_question_is_numbered_once(app: Flask, client: FlaskClient, banks: None) -> None:
    """Issue 9, edge 11: the list numbered each question and its heading said "Question 1:" again."""
    attempt_id, _questions = take_quiz(app, client)
    html = client.get(f"/quiz/{attempt_id}/results").get_data(as_text=True)
    assert "Question 1" not in html and "Question 2" not in html
    assert html.count('<span class="q-number">1.</span>') == 1 and html.count('<span class="q-number">2.</span>') == 1
    assert '<ol class="result-list"' in html  # its markers are hidden by the stylesheet: the number shows once


def test_study_the_missed_ones_as_flashcards(app: Flask, client: FlaskClient, banks: None) -> None:
    """"Study them as flashcards" opens a study session of exactly the questions missed."""
    attempt_id = start(client, count="4", types=["mcq", "truefalse", "short", "number"])
    questions, shown = attempt_state(app, attempt_id)
    token = csrf_token(client, f"/quiz/{attempt_id}/q/0")
    client.post(f"/quiz/{attempt_id}/q/0", data={**right_form(questions[0], shown[0]), "csrf_token": token})
    client.post(f"/quiz/{attempt_id}/finish", data={"csrf_token": token})  # three left unanswered
    results = client.get(f"/quiz/{attempt_id}/results").get_data(as_text=True)
    assert f'href="/study?quiz={attempt_id}">Study them as flashcards</a>' in results
    missed = {q.id for q in questions[1:]}
    seen = []
    for _ in range(10):
        html = client.get(f"/study?quiz={attempt_id}&reveal=1").get_data(as_text=True)
        found = re.search(r'name="question_id" value="([^"]+)">\s*<input type="hidden" name="version" value="(\d+)"', html)
        if found is None:
            assert "Done for today" in html
            break
        assert "Missed in" in html
        seen.append(found.group(1))
        client.post("/study/grade", data={"question_id": found.group(1), "version": found.group(2), "rating": "4",
                                          "quiz": str(attempt_id), "csrf_token": csrf_token(client, "/study")})
    assert set(seen) == missed and len(seen) == 3


def test_someone_elses_quiz_cannot_be_studied(app: Flask, client: FlaskClient, banks: None,
                                              auth: AuthActions) -> None:
    attempt_id, _questions = take_quiz(app, client)
    assert client.get(f"/study?quiz={attempt_id}").status_code == 200
    auth.logout()
    assert client.get(f"/study?quiz={attempt_id}").status_code == 404
    assert client.get("/study?quiz=nonsense").status_code == 404
