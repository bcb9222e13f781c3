"""How a quiz step ends and counts: self-assessed flashcards, the time limit, the tab title."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from quiz.extensions import db
from quiz.models import Attempt, ReviewLog

from ..conftest import csrf_from
from .test_quiz import attempt_state, banks, post_answer, right_form, start  # noqa: F401  (banks is a fixture)


def _wrong_mcq(shown: dict) -> dict:
    return {"choice": next(o for o in shown["options"] if o != "Konna")}


def test_a_self_assessed_flashcard_is_not_counted_in_the_score(app: Flask, client: FlaskClient, banks: None) -> None:
    attempt_id = start(client, types=["card", "mcq"], count="2")
    questions, shown = attempt_state(app, attempt_id)
    card = next(i for i, q in enumerate(questions) if q.type == "card")
    mcq = 1 - card
    assert questions[mcq].data["answer"] == "Konna"
    feedback = post_answer(client, attempt_id, card, {"knew": "yes"}, htmx=True).get_data(as_text=True)
    assert "Your answer</dt><dd>Yes, I knew it" in feedback
    assert "True" not in feedback
    assert "self-assessed" in feedback and "not counted in the quiz score" in feedback
    post_answer(client, attempt_id, mcq, _wrong_mcq(shown[mcq]))
    results = client.get(f"/quiz/{attempt_id}/results").get_data(as_text=True)
    summary = re.search(r'<dl class="result-summary">.*?</dl>', results, re.S).group(0)  # type: ignore[union-attr]
    assert "0 %" in summary and "50 %" not in summary  # the "I knew it" does not lift the score
    assert "0 of 1" in summary and "knew 1 of 1" in summary
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None and attempt.score == 0.0
        # the card's own review still happened: "I knew it" is a Good review of that flashcard
        log = db.session.scalar(select(ReviewLog).where(ReviewLog.question_id == questions[card].id))
        assert log is not None and log.rating == 3 and log.source == "quiz"


def test_a_quiz_of_flashcards_only_has_no_score(app: Flask, client: FlaskClient, banks: None) -> None:
    attempt_id = start(client, types=["card"])
    post_answer(client, attempt_id, 0, {"knew": "no"})
    results = client.get(f"/quiz/{attempt_id}/results").get_data(as_text=True)
    assert "No, I didn&#39;t know it" in results or "No, I didn't know it" in results
    assert "knew 0 of 1" in results
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None and attempt.score is None


def _expire(app: Flask, attempt_id: int) -> None:
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None
        attempt.deadline_at = datetime.now(timezone.utc) - timedelta(seconds=1)
        db.session.commit()


def test_without_javascript_the_next_page_after_the_limit_is_the_results(app: Flask, client: FlaskClient,
                                                                          banks: None) -> None:
    attempt_id = start(client, time_limit="5")
    client.get(f"/quiz/{attempt_id}/q/0")
    _expire(app, attempt_id)
    response = client.get(f"/quiz/{attempt_id}/q/0")  # a refresh, a link: any next request
    assert response.status_code == 303 and response.headers["Location"] == f"/quiz/{attempt_id}/results"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Time is up" in html and "Results" in html
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None and attempt.finished_at is not None
        assert attempt.finished_at == attempt.deadline_at  # ended at the limit, not when next seen
    assert "Time is up" not in client.get(f"/quiz/{attempt_id}/results").get_data(as_text=True)  # said once


def test_with_htmx_a_late_answer_or_step_goes_to_the_results_page(app: Flask, client: FlaskClient,
                                                                  banks: None) -> None:
    attempt_id = start(client, time_limit="5")
    questions, shown = attempt_state(app, attempt_id)
    page = client.get(f"/quiz/{attempt_id}/q/0").get_data(as_text=True)
    _expire(app, attempt_id)
    late = client.post(f"/quiz/{attempt_id}/q/0", headers={"HX-Request": "true"},
                       data={**right_form(questions[0], shown[0]), "csrf_token": csrf_from(page)})
    assert late.status_code == 204 and late.headers["HX-Redirect"] == f"/quiz/{attempt_id}/results"
    step = client.get(f"/quiz/{attempt_id}/q/1", headers={"HX-Request": "true"})
    assert step.status_code == 204 and step.headers["HX-Redirect"] == f"/quiz/{attempt_id}/results"
    assert "Time is up" in client.get(f"/quiz/{attempt_id}/results").get_data(as_text=True)
    assert 'data-results-url="/quiz/%d/results"' % attempt_id in page  # where the countdown goes at zero


def test_the_countdown_never_ends_before_the_server_limit(app: Flask, client: FlaskClient, banks: None) -> None:
    attempt_id = start(client, time_limit="1")
    html = client.get(f"/quiz/{attempt_id}/q/0").get_data(as_text=True)
    seconds = int(re.search(r'data-seconds-left="(-?\d+)"', html).group(1))  # type: ignore[union-attr]
    assert seconds == 60  # rounded up from 59.9…, never down


def test_an_htmx_step_carries_its_tab_title(app: Flask, client: FlaskClient, banks: None) -> None:
    attempt_id = start(client, types=["mcq", "truefalse"])
    questions, shown = attempt_state(app, attempt_id)
    full = client.get(f"/quiz/{attempt_id}/q/0").get_data(as_text=True)
    assert re.search(r"<title>\s*Example bank[^<]*— question 1\s*· Cairn</title>", full)
    assert full.count("<title>") == 1
    fragment = post_answer(client, attempt_id, 0, right_form(questions[0], shown[0]), htmx=True).get_data(as_text=True)
    assert re.match(r"<title>\s*Example bank[^<]*— question 2\s*· Cairn</title>", fragment)


def test_an_unrevealed_flashcard_form_has_no_submit_button_to_disable(app: Flask, client: FlaskClient,
                                                                      banks: None) -> None:
    attempt_id = start(client, types=["card"])
    hidden = client.get(f"/quiz/{attempt_id}/q/0").get_data(as_text=True)
    assert "Show the answer" in hidden
    assert "hx-disabled-elt" not in hidden and 'type="submit" class="primary"' not in hidden
    revealed = client.get(f"/quiz/{attempt_id}/q/0?reveal=1").get_data(as_text=True)
    assert 'hx-disabled-elt="find button[type=submit]"' in revealed and 'type="submit" class="primary"' in revealed
