"""Self-study quizzes through the test client: pages, fragments, no answer leaks, once-only answers."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import pytest
from markupsafe import escape
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quiz.domain.dates import PartialDate
from quiz.extensions import db
from quiz.models import Attempt, AttemptAnswer, Card, Question, User
from quiz.services import authoring, quizzes
from quiz.services.banks import sync_banks

from ..conftest import AuthActions, csrf_from, csrf_token
from ..services.test_bank_sync import EXAMPLES
from ..services.test_bank_visibility import NOW, SECRET


@pytest.fixture
def banks(app: Flask) -> None:
    with app.app_context():
        sync_banks([EXAMPLES], datetime.now(timezone.utc))


def start(client: FlaskClient, **fields: Any) -> int:
    """Start a quiz through the form; return its id."""
    data = {"banks": ["examples"], "count": "10", "mode": "practice", **fields}
    data["csrf_token"] = csrf_token(client, "/quiz/new")
    response = client.post("/quiz/new", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    return int(re.search(r"/quiz/(\d+)", response.headers["Location"]).group(1))  # type: ignore[union-attr]


def attempt_state(app: Flask, attempt_id: int) -> tuple[list[Question], list[dict[str, Any]]]:
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None
        questions = quizzes.questions_of(attempt)
        shown = [quizzes.shown(attempt, q) for q in questions]
        for q in questions:
            db.session.expunge(q)
        return questions, shown


def right_form(question: Question, shown: dict[str, Any]) -> dict[str, Any]:
    """The form a learner who knows the answer submits."""
    data = question.data
    if question.type == "mcq":
        return {"choice": data["answer"]}
    if question.type == "multi":
        return {"choice": data["answers"]}
    if question.type == "truefalse":
        return {"choice": "true" if data["answer"] else "false"}
    if question.type == "short":
        return {"answer": data["answer"]}
    if question.type == "number":
        return {"answer": f"{data['answer']:g}"}
    if question.type == "date":
        d = PartialDate.parse(data["answer"])
        return {"year": str(d.year), "month": str(d.month or ""), "day": str(d.day or "")}
    if question.type == "order":
        right = [item["text"] for item in data["items"]]
        return {f"pos-{i}": str(right.index(text) + 1) for i, text in enumerate(shown["items"])}
    if question.type == "match":
        pairs = {p["left"]: p["right"] for p in data["pairs"]}
        return {f"match-{i}": pairs[left] for i, left in enumerate(shown["lefts"])}
    if question.type == "cloze":
        return {f"gap-{i}": gap[0] for i, gap in enumerate(data["gaps"])}
    return {"knew": "yes"}


def wrong_form(question: Question, shown: dict[str, Any]) -> dict[str, Any]:
    """A readable form that a learner who does not know the answer submits (it scores 0)."""
    data = question.data
    if question.type == "mcq":
        return {"choice": data["distractors"][0]}
    if question.type == "short":
        return {"answer": "Timbuktu"}
    if question.type == "number":
        return {"answer": "123456"}
    if question.type == "date":
        return {"year": "1900", "month": "1", "day": "1"}
    raise AssertionError(f"no wrong form for {question.type}")


def secrets(question: Question) -> list[str]:
    """Texts that would give the answer away if they were on the page before answering."""
    data = question.data
    found = []
    if question.type == "short":
        found += [data["answer"], *data["accept"]]
    elif question.type == "number":
        found.append(f'value="{data["answer"]:g}"')  # the digit alone also appears in "Question 3 of 10"
    elif question.type == "date":
        found += [data["answer"], PartialDate.parse(data["answer"]).human()]
    elif question.type == "order":
        found += [item["date"] for item in data["items"]]
    elif question.type == "cloze":
        found += [alt for gap in data["gaps"] for alt in gap]
    elif question.type == "card":
        found.append(data["back"])
    elif question.type == "truefalse":
        found.append('value="true" checked')
    return found


def item_form(html: str) -> str:
    """The question form of a page or fragment (where an answer must not leak)."""
    match = re.search(r'<form[^>]*class="quiz-item.*?</form>', html, re.S)
    assert match, "no question form in the page"
    return match.group(0)


def leaked(secret: str, html: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(secret)}(?![\w-])", item_form(html)) is not None


def post_answer(client: FlaskClient, attempt_id: int, position: int, form: dict[str, Any], htmx: bool = False):
    page = client.get(f"/quiz/{attempt_id}/q/{position}")
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/quiz/{attempt_id}/q/{position}", headers=headers,
                       data={**form, "csrf_token": csrf_from(page.get_data(as_text=True))})


def test_quick_quiz_from_the_bank_page(client: FlaskClient, banks: None) -> None:
    token = csrf_token(client, "/banks/examples")
    response = client.post("/quiz/quick", data={"bank": "examples", "csrf_token": token})
    assert response.status_code == 303
    first = client.get(response.headers["Location"])
    assert first.status_code == 303 and first.headers["Location"].endswith("/q/0")
    html = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "Question 1 of 10" in html
    assert "Check my answer" in html or "Show the answer" in html  # a flashcard is revealed first


def test_no_answer_in_any_page_or_fragment_before_it_is_given(app: Flask, client: FlaskClient, banks: None) -> None:
    attempt_id = start(client)
    questions, shown = attempt_state(app, attempt_id)
    assert sorted(q.type for q in questions) == sorted(
        ["mcq", "multi", "truefalse", "short", "number", "date", "order", "match", "cloze", "card"])
    html = client.get(f"/quiz/{attempt_id}/q/0").get_data(as_text=True)
    for position, question in enumerate(questions):
        assert escape(question.explanation[:40]) not in html
        for secret in secrets(question):
            assert not leaked(secret, html), (question.id, secret)
        response = post_answer(client, attempt_id, position, right_form(question, shown[position]), htmx=True)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert "<html" not in html and 'id="quiz-step"' in html
        assert escape(question.explanation[:40]) in html  # the feedback, once answered
        assert "paragraph " + str(question.paragraph) in html
    assert "That was the last question." in html


def test_a_perfect_quiz_scores_100_and_feeds_the_flashcards(app: Flask, client: FlaskClient, banks: None) -> None:
    attempt_id = start(client)
    questions, shown = attempt_state(app, attempt_id)
    for position, question in enumerate(questions):
        assert post_answer(client, attempt_id, position, right_form(question, shown[position])).status_code == 303
    results = client.get(f"/quiz/{attempt_id}/results").get_data(as_text=True)
    assert "100 %" in results and "9 of 9" in results and "knew 1 of 1" in results  # the card is self-assessed
    with app.app_context():
        cards = db.session.scalars(select(Card)).all()
        assert len(cards) == 10 and all(c.reps == 1 and c.due_at is not None for c in cards)


def test_double_submit_is_counted_once(app: Flask, client: FlaskClient, banks: None) -> None:
    attempt_id = start(client, types=["mcq", "short", "date"])
    questions, shown = attempt_state(app, attempt_id)
    token = csrf_token(client, f"/quiz/{attempt_id}/q/0")
    wrong = wrong_form(questions[0], shown[0])
    right = right_form(questions[0], shown[0])
    first = client.post(f"/quiz/{attempt_id}/q/0", data={**wrong, "csrf_token": token})
    second = client.post(f"/quiz/{attempt_id}/q/0", data={**right, "csrf_token": token})
    assert first.status_code == second.status_code == 303
    with app.app_context():
        answers = db.session.scalars(select(AttemptAnswer)).all()
        assert len(answers) == 1 and answers[0].score == 0
        card = db.session.scalar(select(Card))
        assert card is not None and card.reps == 1


def test_refresh_resumes_where_the_learner_was(app: Flask, client: FlaskClient, banks: None) -> None:
    attempt_id = start(client, mode="test")
    questions, shown = attempt_state(app, attempt_id)
    for position in (0, 1):
        response = post_answer(client, attempt_id, position, right_form(questions[position], shown[position]))
        assert response.status_code == 303 and response.headers["Location"] == f"/quiz/{attempt_id}"
    assert client.get(f"/quiz/{attempt_id}").headers["Location"] == f"/quiz/{attempt_id}/q/2"
    page_a = client.get(f"/quiz/{attempt_id}/q/2").get_data(as_text=True)
    page_b = client.get(f"/quiz/{attempt_id}/q/2").get_data(as_text=True)
    strip = re.compile(r'value="[^"]{40,}"')  # CSRF tokens differ; option order must not
    assert strip.sub("", page_a) == strip.sub("", page_b)
    assert "2 of 10 answered" in page_a
    # test mode: no feedback before the end
    assert escape(questions[0].explanation[:40]) not in page_a


def test_test_mode_shows_answers_at_the_end_with_sources(app: Flask, client: FlaskClient, banks: None) -> None:
    attempt_id = start(client, mode="test", count="3", types=["mcq", "short", "number"])
    questions, shown = attempt_state(app, attempt_id)
    post_answer(client, attempt_id, 0, right_form(questions[0], shown[0]))
    assert post_answer(client, attempt_id, 1, {"skip": "1"}).status_code == 303
    last = post_answer(client, attempt_id, 2, right_form(questions[2], shown[2]))
    assert last.headers["Location"] == f"/quiz/{attempt_id}"
    assert client.get(f"/quiz/{attempt_id}").headers["Location"] == f"/quiz/{attempt_id}/results"
    html = client.get(f"/quiz/{attempt_id}/results").get_data(as_text=True)
    assert "2 of 3" in html and "67 %" in html
    assert "(no answer)" in html and "You skipped this question." in html
    for question in questions:
        assert escape(question.explanation[:40]) in html and f"paragraph {question.paragraph}" in html
    assert "Retry the 1 I missed" in html


def test_retry_the_missed_ones(app: Flask, client: FlaskClient, banks: None) -> None:
    attempt_id = start(client, count="3", types=["mcq", "short", "number", "date"])
    questions, shown = attempt_state(app, attempt_id)
    post_answer(client, attempt_id, 0, right_form(questions[0], shown[0]))
    post_answer(client, attempt_id, 1, wrong_form(questions[1], shown[1]))
    token = csrf_token(client, f"/quiz/{attempt_id}/q/2")
    client.post(f"/quiz/{attempt_id}/finish", data={"csrf_token": token})
    token = csrf_token(client, f"/quiz/{attempt_id}/results")
    response = client.post(f"/quiz/{attempt_id}/retry", data={"csrf_token": token})
    retry_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        retry = db.session.get(Attempt, retry_id)
        assert retry is not None and sorted(retry.question_ids) == sorted([questions[1].id, questions[2].id])
        assert retry.title.startswith("Retry: ")


def test_answer_after_the_time_limit_is_refused(app: Flask, client: FlaskClient, banks: None) -> None:
    attempt_id = start(client, time_limit="5")
    questions, shown = attempt_state(app, attempt_id)
    page = client.get(f"/quiz/{attempt_id}/q/0").get_data(as_text=True)
    assert "Time left: 4 min" in page or "Time left: 5 min" in page
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        attempt.deadline_at = datetime.now(timezone.utc) - timedelta(seconds=1)  # type: ignore[union-attr]
        db.session.commit()
    response = client.post(f"/quiz/{attempt_id}/q/0",
                           data={**right_form(questions[0], shown[0]), "csrf_token": csrf_from(page)})
    assert response.headers["Location"] == f"/quiz/{attempt_id}/results"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Time is up" in html and "0 %" in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AttemptAnswer)) == 0


def test_someone_else_cannot_see_an_attempt(client: FlaskClient, app: Flask, banks: None, auth: AuthActions,
                                            create_user: Callable[..., User]) -> None:
    attempt_id = start(client)
    other = app.test_client()
    create_user("other@example.org")
    AuthActions(other).login("other@example.org")
    for url in (f"/quiz/{attempt_id}", f"/quiz/{attempt_id}/q/0", f"/quiz/{attempt_id}/results"):
        assert other.get(url).status_code == 404
    assert app.test_client().get(f"/quiz/{attempt_id}/q/0").status_code == 404  # a new visitor


def test_bad_quiz_form_rerenders_with_errors(client: FlaskClient, banks: None) -> None:
    token = csrf_token(client, "/quiz/new")
    response = client.post("/quiz/new", data={"count": "0", "mode": "practice", "time_limit": "-3",
                                              "csrf_token": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose between 1 and 100 questions." in html and "Choose between 1 and 300 minutes" in html
    response = client.post("/quiz/new", data={"types": ["card"], "tags": ["places"], "count": "5",
                                              "mode": "practice", "csrf_token": token})
    assert response.status_code == 422 and "No questions match" in response.get_data(as_text=True)


def test_tags_and_types_narrow_the_quiz(app: Flask, client: FlaskClient, banks: None) -> None:
    attempt_id = start(client, tags=["places"])
    questions, _ = attempt_state(app, attempt_id)
    assert sorted(q.id for q in questions) == ["ex-mcq", "ex-short"]
    attempt_id = start(client, types=["date", "order"])
    questions, _ = attempt_state(app, attempt_id)
    assert sorted(q.type for q in questions) == ["date", "order"]


def test_card_is_revealed_before_the_learner_says_if_they_knew_it(app: Flask, client: FlaskClient, banks: None) -> None:
    attempt_id = start(client, types=["card"])
    html = client.get(f"/quiz/{attempt_id}/q/0").get_data(as_text=True)
    assert "United Nations stabilisation mission" not in html and "Show the answer" in html
    html = client.get(f"/quiz/{attempt_id}/q/0?reveal=1").get_data(as_text=True)
    assert "United Nations stabilisation mission" in html and "Yes, I knew it" in html


def test_history_on_the_account_page(client: FlaskClient, banks: None) -> None:
    start(client, count="2")
    html = client.get("/account").get_data(as_text=True)
    assert "Your quizzes" in html and "Example bank — every question type" in html and "(in progress)" in html


def test_feedback_says_a_date_as_a_reader_would(app: Flask, client: FlaskClient, banks: None) -> None:
    attempt_id = start(client, types=["date"])
    response = post_answer(client, attempt_id, 0, {"year": "2013", "month": "1"}, htmx=True)
    html = response.get_data(as_text=True)
    assert "<dt>Your answer</dt><dd>January 2013</dd>" in html


def test_the_quiz_form_hides_the_tags_of_another_authors_private_bank(
        app: Flask, client: FlaskClient, banks: None, auth: AuthActions, create_user: Callable[..., User]) -> None:
    author = create_user("author@example.org", role="instructor")
    create_user("learner@example.org")
    with app.app_context():
        assert authoring.create_draft_bank(author, SECRET, NOW) == ("web-secret", [])
        assert authoring.publish(author, "web-secret", NOW).version is not None
    auth.login("learner@example.org")
    for url in ("/quiz/new", "/study"):
        html = client.get(url).get_data(as_text=True)
        assert "#places" in html and "operation-lantern" not in html, url
    auth.logout()
    auth.login("author@example.org")
    for url in ("/quiz/new", "/study"):
        assert "#operation-lantern" in client.get(url).get_data(as_text=True), url
