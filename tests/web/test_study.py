"""The flashcard pages through the test client."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import func, select

from quiz.extensions import db
from quiz.models import LearnerSettings, Question, ReviewLog
from quiz.services.banks import sync_banks

from ..conftest import AuthActions, csrf_from, csrf_token
from ..services.test_bank_sync import EXAMPLES


@pytest.fixture
def banks(app: Flask) -> None:
    with app.app_context():
        sync_banks([EXAMPLES], datetime.now(timezone.utc))


def start(client: FlaskClient) -> str:
    token = csrf_token(client, "/study")
    response = client.post("/study/start", data={"csrf_token": token})
    assert response.status_code == 303
    return client.get("/study").get_data(as_text=True)


def front_question(app: Flask, html: str) -> Question:
    qid = re.search(r'name="question_id" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    with app.app_context():
        question = db.session.get(Question, qid)
        assert question is not None
        db.session.expunge(question)
        return question


def test_visitor_starts_as_guest_and_sees_a_card_without_its_answer(app: Flask, client: FlaskClient,
                                                                    banks: None) -> None:
    html = client.get("/study").get_data(as_text=True)
    assert "Start studying" in html
    html = start(client)
    question = front_question(app, html)
    assert question.id == "ex-mcq"
    assert "Show the answer" in html and 'class="grade' not in html
    assert escape(question.explanation[:40]) not in html and "Konna" not in html
    revealed = client.get("/study?reveal=1").get_data(as_text=True)
    assert "Konna" in revealed and escape(question.explanation[:40]) in revealed
    assert re.findall(r'class="grade-label">(\w+)<', revealed) == ["Again", "Hard", "Good", "Easy"]
    assert re.search(r'class="grade-interval">\d', revealed)


def grade(client: FlaskClient, rating: int, htmx: bool = False, url: str = "/study?reveal=1"):
    html = client.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_from(html), "rating": str(rating),
            "question_id": re.search(r'name="question_id" value="([^"]+)"', html).group(1),  # type: ignore[union-attr]
            "version": re.search(r'name="version" value="(\d+)"', html).group(1)}  # type: ignore[union-attr]
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post("/study/grade", data=data, headers=headers), data


def test_grading_moves_to_the_next_card_full_page_and_fragment(app: Flask, client: FlaskClient, banks: None) -> None:
    start(client)
    response, _ = grade(client, 3)
    assert response.status_code == 303 and response.headers["Location"] == "/study"
    assert front_question(app, client.get("/study").get_data(as_text=True)).id == "ex-multi"
    response, _ = grade(client, 4, htmx=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith('<div id="study-card"') and "<html" not in html
    assert front_question(app, html).id == "ex-truefalse"


def test_a_double_submitted_grade_counts_once(app: Flask, client: FlaskClient, banks: None) -> None:
    start(client)
    response, data = grade(client, 3)
    again = client.post("/study/grade", data=data)
    assert again.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 1


def test_grade_needs_csrf(app: Flask, client: FlaskClient, banks: None) -> None:
    start(client)
    response = client.post("/study/grade", data={"question_id": "ex-mcq", "version": "0", "rating": "3"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 0


def test_undo_and_done_for_today(app: Flask, client: FlaskClient, banks: None, auth: AuthActions) -> None:
    start(client)
    grade(client, 3)
    token = csrf_token(client, "/study")
    assert client.post("/study/undo", data={"csrf_token": token}).status_code == 303
    assert front_question(app, client.get("/study").get_data(as_text=True)).id == "ex-mcq"
    with app.app_context():
        db.session.add(LearnerSettings(user_id=1, new_per_day=0))
        db.session.commit()
    html = client.get("/study").get_data(as_text=True)
    assert "Done for today" in html and "Tomorrow:" in html


def reviews_in_progress(client: FlaskClient) -> int:
    """The "Reviews in the past year" figure of the progress page."""
    html = client.get("/progress").get_data(as_text=True)
    found = re.search(r"<dt>Reviews in the past year</dt><dd>([\d,]+)</dd>", html)
    assert found, "no review count on the progress page"
    return int(found.group(1).replace(",", ""))


def test_grade_undo_grade_again_without_javascript(app: Flask, client: FlaskClient, banks: None) -> None:
    start(client)
    grade(client, 3)
    _, second = grade(client, 4)
    assert client.post("/study/undo", data={"csrf_token": csrf_token(client, "/study")}).status_code == 303
    response, again = grade(client, 2)
    assert again["question_id"] == second["question_id"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "already graded" not in page
    assert front_question(app, page).id not in ("ex-mcq", again["question_id"])  # the study goes on
    assert reviews_in_progress(client) == 2


def test_grade_undo_grade_again_with_htmx(app: Flask, client: FlaskClient, banks: None) -> None:
    start(client)
    grade(client, 3, htmx=True)
    grade(client, 4, htmx=True)
    html = client.post("/study/undo", data={"csrf_token": csrf_token(client, "/study")},
                       headers={"HX-Request": "true"}).get_data(as_text=True)
    assert front_question(app, html).id == "ex-multi"
    response, _ = grade(client, 2, htmx=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "already graded" not in html
    assert front_question(app, html).id == "ex-truefalse"
    assert reviews_in_progress(client) == 2


def test_settings_validate_and_save(app: Flask, client: FlaskClient, auth: AuthActions, create_user) -> None:
    assert client.get("/study/settings").status_code == 302
    create_user("learner@example.org")
    auth.login()
    html = client.get("/study/settings").get_data(as_text=True)
    assert 'value="0.90"' in html and "Europe/Paris" in html and "400 are needed" not in html
    token = csrf_from(html)
    bad = client.post("/study/settings", data={"csrf_token": token, "desired_retention": "0.99", "new_per_day": "20",
                                               "reviews_per_day": "200", "timezone": "Mars/Base", "day_cutoff_hour": "4"})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Choose between 0.80 and 0.95." in page and "Not a valid choice" in page
    good = client.post("/study/settings", data={"csrf_token": token, "desired_retention": "0.85", "new_per_day": "5",
                                                "reviews_per_day": "100", "timezone": "Europe/Paris",
                                                "day_cutoff_hour": "3"})
    assert good.status_code == 303
    with app.app_context():
        saved = db.session.scalar(select(LearnerSettings))
        assert saved is not None and (saved.desired_retention, saved.new_per_day, saved.timezone) == (
            0.85, 5, "Europe/Paris")


def test_optimize_button_explains_the_threshold(client: FlaskClient, auth: AuthActions, create_user) -> None:
    create_user("learner@example.org")
    auth.login()
    html = client.get("/study/settings").get_data(as_text=True)
    assert "400 more reviews until you can fit your own parameters." in html
    assert "Fit my parameters" not in html
    response = client.post("/study/settings/optimize", data={"csrf_token": csrf_from(html)}, follow_redirects=True)
    assert "Not yet: 0 reviews; 400 are needed." in response.get_data(as_text=True)


def test_guest_reviews_and_quizzes_move_to_the_account_logged_in(app: Flask, client: FlaskClient, banks: None,
                                                                 auth: AuthActions, create_user) -> None:
    owner = create_user("owner@example.org")
    start(client)
    grade(client, 3)
    token = csrf_token(client, "/banks/examples")
    client.post("/quiz/quick", data={"bank": "examples", "csrf_token": token})
    assert auth.login("owner@example.org").status_code == 303
    with app.app_context():
        from quiz.models import Attempt, Card, User

        assert db.session.scalar(select(func.count()).select_from(User)) == 1
        assert db.session.scalar(select(func.count()).select_from(ReviewLog).where(ReviewLog.user_id == owner.id)) == 1
        assert db.session.scalar(select(func.count()).select_from(Card).where(Card.user_id == owner.id)) == 1
        assert db.session.scalar(select(func.count()).select_from(Attempt).where(Attempt.user_id == owner.id)) == 1
    assert "Example bank" in client.get("/account").get_data(as_text=True)


def test_suspend_then_unsuspend_from_settings(app: Flask, client: FlaskClient, banks: None) -> None:
    html = start(client)
    client.post("/study/suspend", data={"csrf_token": csrf_from(html), "question_id": "ex-mcq"})
    assert front_question(app, client.get("/study").get_data(as_text=True)).id == "ex-multi"
    settings = client.get("/study/settings").get_data(as_text=True)
    assert "Unsuspend" in settings and "Which central Malian town" in settings
    client.post("/study/settings/unsuspend", data={"csrf_token": csrf_from(settings), "question_id": "ex-mcq"})
    assert front_question(app, client.get("/study").get_data(as_text=True)).id == "ex-mcq"


def test_grading_an_unknown_card_is_refused_with_a_message(app: Flask, client: FlaskClient, banks: None) -> None:
    html = start(client)
    response = client.post("/study/grade", data={"csrf_token": csrf_from(html), "question_id": "nope",
                                                 "version": "0", "rating": "3"}, follow_redirects=True)
    assert response.status_code == 200 and "This card is no longer in any bank." in response.get_data(as_text=True)
    response = client.post("/study/bury", data={"csrf_token": csrf_from(html), "question_id": "nope"},
                           follow_redirects=True)
    assert response.status_code == 200 and "no longer in any bank" in response.get_data(as_text=True)


@pytest.mark.parametrize("shown_at", ["²", "٣", "9" * 5000, "-5", "1e3", ""])
def test_an_odd_shown_at_still_grades_the_card(app: Flask, client: FlaskClient, banks: None, shown_at: str) -> None:
    start(client)
    html = client.get("/study?reveal=1").get_data(as_text=True)
    data = {"csrf_token": csrf_from(html), "rating": "3", "question_id": "ex-mcq", "shown_at": shown_at,
            "version": re.search(r'name="version" value="(\d+)"', html).group(1)}  # type: ignore[union-attr]
    response = client.post("/study/grade", data=data)
    assert response.status_code == 303
    with app.app_context():
        log = db.session.scalar(select(ReviewLog))
        assert log is not None and log.duration_ms is None  # graded; no made-up answer time


@pytest.mark.parametrize("version", ["9" * 30, "٣" * 30, "-1"])
def test_an_impossible_version_is_refused_with_a_message(app: Flask, client: FlaskClient, banks: None,
                                                         version: str) -> None:
    start(client)
    html = client.get("/study?reveal=1").get_data(as_text=True)
    response = client.post("/study/grade", data={"csrf_token": csrf_from(html), "rating": "3",
                                                  "question_id": "ex-mcq", "version": version})
    assert response.status_code == 303
    assert "That grade could not be read" in client.get("/study").get_data(as_text=True)


@pytest.mark.parametrize("retention", ["sNaN", "NaN", "-Infinity", "Infinity"])
def test_settings_refuse_a_number_that_is_not_finite(client: FlaskClient, auth: AuthActions, create_user,
                                                     retention: str) -> None:
    create_user("learner@example.org")
    auth.login()
    token = csrf_token(client, "/study/settings")
    response = client.post("/study/settings", data={
        "csrf_token": token, "desired_retention": retention, "new_per_day": "20", "reviews_per_day": "200",
        "timezone": "Europe/Paris", "day_cutoff_hour": "4"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Type a number, such as 0.90." in html or "Choose between 0.80 and 0.95." in html
