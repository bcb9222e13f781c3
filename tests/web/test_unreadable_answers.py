"""Answers that cannot be graded as sent come back to be fixed (422, nothing stored), the same
way for every question type, with and without JavaScript (htmx fragment and full page)."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import func, select

from quiz.domain.question_types import QUESTION_TYPES
from quiz.extensions import db
from quiz.models import AttemptAnswer, Card, Question
from quiz.services.banks import sync_banks

from ..services.test_bank_sync import EXAMPLES
from .test_quiz import attempt_state, post_answer, right_form, start


@pytest.fixture
def banks(app: Flask) -> None:
    with app.app_context():
        sync_banks([EXAMPLES], datetime.now(timezone.utc))


def stored(app: Flask) -> tuple[int, int]:
    """(quiz answers, flashcards) in the database."""
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(AttemptAnswer)) or 0,
                db.session.scalar(select(func.count()).select_from(Card)) or 0)


def error_of(html: str) -> str:
    match = re.search(r'<p class="form-errors" id="answer-error" role="alert">(.*?)</p>', html, re.S)
    assert match, "no error message next to the question"
    return match.group(1)


@pytest.mark.parametrize("htmx", [False, True], ids=["full page", "htmx fragment"])
@pytest.mark.parametrize("qtype", sorted(QUESTION_TYPES))
def test_an_empty_answer_is_sent_back_for_every_type(app: Flask, client: FlaskClient, banks: None, qtype: str,
                                                     htmx: bool) -> None:
    attempt_id = start(client, types=[qtype], count="1")
    response = post_answer(client, attempt_id, 0, {}, htmx=htmx)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_of(html)
    assert ('<html' in html) is not htmx and 'id="quiz-step"' in html
    assert 'id="item-0"' in html and 'aria-invalid="true"' in html  # the same question, the field marked
    assert stored(app) == (0, 0)
    assert "0 of 1 answered" in html


def test_letters_in_the_number_box_keep_what_was_typed(app: Flask, client: FlaskClient, banks: None) -> None:
    attempt_id = start(client, types=["number"], count="1")
    html = post_answer(client, attempt_id, 0, {"answer": "about three"}).get_data(as_text=True)
    assert escape("“about three” is not a number: type it in digits") in error_of(html)
    assert 'value="about three"' in html
    assert stored(app) == (0, 0)


def test_date_messages_speak_of_the_month_menu_and_year_box(app: Flask, client: FlaskClient, banks: None) -> None:
    attempt_id = start(client, types=["date"], count="1")
    response = post_answer(client, attempt_id, 0, {"year": "abc", "month": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The Year box takes a year in digits" in error_of(html)
    assert "YYYY" not in html and "abc-01" not in html
    assert '<option value="1" selected>January</option>' in html and 'value="abc"' in html
    response = post_answer(client, attempt_id, 0, {"year": "2013", "month": ""})
    assert "Choose a month in the Month menu." in error_of(response.get_data(as_text=True))
    assert stored(app) == (0, 0)


def test_a_day_date_with_year_0_is_sent_back(app: Flask, client: FlaskClient, banks: None) -> None:
    attempt_id = start(client, types=["date"], count="1")
    questions, _ = attempt_state(app, attempt_id)
    with app.app_context():  # the example asks for a month; make it ask for a day
        question = db.session.get(Question, questions[0].id)
        question.data = {**question.data, "answer": "2013-01-11", "precision": "day"}  # type: ignore[union-attr]
        db.session.commit()
    assert 'name="day"' in client.get(f"/quiz/{attempt_id}/q/0").get_data(as_text=True)
    response = post_answer(client, attempt_id, 0, {"year": "0", "month": "1", "day": "1"})
    assert response.status_code == 422
    assert "from 1 to 9999" in error_of(response.get_data(as_text=True))
    assert stored(app) == (0, 0)


def test_an_order_place_in_superscript_is_sent_back(app: Flask, client: FlaskClient, banks: None) -> None:
    attempt_id = start(client, types=["order"], count="1")
    questions, shown = attempt_state(app, attempt_id)
    form = right_form(questions[0], shown[0])
    response = post_answer(client, attempt_id, 0, {**form, "pos-0": "²"}, htmx=True)
    assert response.status_code == 422
    assert escape(f"Choose a place from 1 to {len(shown[0]['items'])} for “{shown[0]['items'][0]}”") in \
        error_of(response.get_data(as_text=True))
    assert stored(app) == (0, 0)


def test_a_long_answer_is_refused_with_the_limit_not_cut(app: Flask, client: FlaskClient, banks: None) -> None:
    attempt_id = start(client, types=["short"], count="1")
    page = client.get(f"/quiz/{attempt_id}/q/0").get_data(as_text=True)
    assert 'maxlength="500"' in page and "Up to 500 characters." in page
    response = post_answer(client, attempt_id, 0, {"answer": "x" * 3000})
    assert response.status_code == 422
    assert "at most 500 characters and yours has 3,000" in error_of(response.get_data(as_text=True))
    assert stored(app) == (0, 0)
    assert post_answer(client, attempt_id, 0, {"answer": "y" * 500}).status_code == 303
    with app.app_context():
        answer = db.session.scalar(select(AttemptAnswer))
        assert answer is not None and answer.response == "y" * 500


def test_a_flashcard_needs_yes_or_no(app: Flask, client: FlaskClient, banks: None) -> None:
    attempt_id = start(client, types=["card"], count="1")
    response = post_answer(client, attempt_id, 0, {}, htmx=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Say whether you knew it" in error_of(html)
    assert "United Nations stabilisation mission" in html and "Yes, I knew it" in html  # still revealed
    assert stored(app) == (0, 0)


@pytest.mark.parametrize("mode", ["practice", "test"])
def test_skip_is_offered_in_test_mode_only(app: Flask, client: FlaskClient, banks: None, mode: str) -> None:
    attempt_id = start(client, types=["short"], count="1", mode=mode)
    page = client.get(f"/quiz/{attempt_id}/q/0").get_data(as_text=True)
    assert ("Skip this question" in page) is (mode == "test")
    response = post_answer(client, attempt_id, 0, {"skip": "1"})
    if mode == "practice":
        assert response.status_code == 422 and stored(app) == (0, 0)
        return
    assert response.status_code == 303
    with app.app_context():
        answer = db.session.scalar(select(AttemptAnswer))
        assert answer is not None and answer.score == 0 and answer.feedback == ["You skipped this question."]
    html = client.get(f"/quiz/{attempt_id}/results").get_data(as_text=True)
    assert "You skipped this question." in html and "0 %" in html


def test_a_fixed_answer_is_then_graded(app: Flask, client: FlaskClient, banks: None) -> None:
    attempt_id = start(client, types=["cloze"], count="1")
    questions, shown = attempt_state(app, attempt_id)
    right: dict[str, Any] = right_form(questions[0], shown[0])
    first = post_answer(client, attempt_id, 0, {**right, "gap-1": " "}, htmx=True)
    assert first.status_code == 422 and "Gap 2 is empty" in error_of(first.get_data(as_text=True))
    assert f'value="{right["gap-0"]}"' in first.get_data(as_text=True)  # what was typed is kept
    assert post_answer(client, attempt_id, 0, right, htmx=True).status_code == 200
    assert stored(app) == (1, 1)
