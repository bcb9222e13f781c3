"""Class pages through the test client: who may see and do what, joining by link, taking
an assignment, the gradebook, CSV downloads and the CLI."""
from __future__ import annotations

import csv
import io
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from quiz.extensions import db
from quiz.models import Attempt, Classroom, Enrollment, Question, User
from quiz.services import accounts, assignments, classes, studying
from quiz.services.banks import sync_banks

from ..conftest import AuthActions, csrf_from, csrf_token
from ..services.test_bank_sync import EXAMPLES

PASSWORD = "password123"
NOW = datetime.now(timezone.utc)


@dataclass
class World:
    class_id: int
    code: str
    assignment_id: int
    student_id: int
    other_student_id: int


PERSONAS = ("anonymous", "student", "outsider", "other_teacher", "co_teacher", "admin", "owner")


@pytest.fixture
def world(app: Flask) -> World:
    """A class taught by owner (+ co_teacher), with student in it, outsider not, one assignment."""
    with app.app_context():
        sync_banks([EXAMPLES], NOW)
        make = accounts.create_user
        owner = make("owner@example.org", PASSWORD, "instructor")
        co = make("co_teacher@example.org", PASSWORD, "instructor")
        make("other_teacher@example.org", PASSWORD, "instructor")
        make("admin@example.org", PASSWORD, "admin")
        student = make("student@example.org", PASSWORD)
        make("outsider@example.org", PASSWORD)
        classmate = make("classmate@example.org", PASSWORD)
        room = classes.create_class(owner, "History 9B", "Autumn", "Africa/Bamako", NOW, random.Random(4))
        classes.add_teacher(room, co.email or "", NOW)
        classes.join(student, room.join_code, "Student One", NOW)
        classes.join(classmate, room.join_code, "Classmate", NOW)
        work = assignments.create_assignment(room, assignments.AssignmentSpec(
            title="Mali quiz", bank_ids=["examples"], types=["mcq", "truefalse"], count=2, reveal="after_due",
            due_at=NOW + timedelta(days=2), attempts_allowed=None), owner, NOW, random.Random(1))
        return World(room.id, room.join_code, work.id, student.id, classmate.id)


def login_as(client: FlaskClient, auth: AuthActions, persona: str) -> None:
    if persona != "anonymous":
        response = auth.login(f"{persona}@example.org", PASSWORD)
        assert response.status_code == 303


def _token(client: FlaskClient) -> str:
    """A CSRF token for this client's session (from a page with a form)."""
    return csrf_token(client, "/classes/join")


# (method, path template, who may: "teacher" | "mixed" | "student", form data)
ROUTES: list[tuple[str, str, str, dict[str, Any]]] = [
    ("GET", "/classes/{c}", "mixed", {}),
    ("GET", "/classes/{c}/assignments/{a}", "mixed", {}),
    ("GET", "/classes/{c}/edit", "teacher", {}),
    ("GET", "/classes/{c}/qr.svg", "teacher", {}),
    ("GET", "/classes/{c}/roster", "teacher", {}),
    ("GET", "/classes/{c}/gradebook", "teacher", {}),
    ("GET", "/classes/{c}/gradebook.csv", "teacher", {}),
    ("GET", "/classes/{c}/students/{s}", "teacher", {}),
    ("GET", "/classes/{c}/assignments/new", "teacher", {}),
    ("POST", "/classes/{c}/edit", "teacher", {"name": "History 9C", "term": "", "timezone": "UTC"}),
    ("POST", "/classes/{c}/code", "teacher", {}),
    ("POST", "/classes/{c}/joining", "teacher", {"open": "0"}),
    ("POST", "/classes/{c}/archive", "teacher", {}),
    ("POST", "/classes/{c}/restore", "teacher", {}),
    ("POST", "/classes/{c}/students", "teacher", {"email": "outsider@example.org"}),
    ("POST", "/classes/{c}/students/{o}/remove", "teacher", {}),
    ("POST", "/classes/{c}/teachers", "teacher", {"email": "other_teacher@example.org"}),
    ("POST", "/classes/{c}/assignments/new", "teacher", {
        "title": "New one", "kind": "quiz", "count": "2", "same_set": "same", "mode": "test",
        "counting": "best", "late_policy": "accept", "reveal": "never", "attempts_allowed": "1"}),
    ("GET", "/classes/{c}/assignments/{a}/edit", "teacher", {}),
    ("POST", "/classes/{c}/assignments/{a}/edit", "teacher", {
        "title": "Mali quiz", "counting": "best", "late_policy": "accept", "reveal": "never"}),
    ("POST", "/classes/{c}/assignments/{a}/regrade", "teacher", {}),
    ("POST", "/classes/{c}/assignments/{a}/override/{s}", "teacher", {"score": "80", "comment": "ok"}),
    ("POST", "/classes/{c}/assignments/{a}/delete", "teacher", {}),
    ("POST", "/classes/{c}/assignments/{a}/start", "student", {}),
    ("POST", "/classes/{c}/leave", "student", {}),
]
ALLOWED = {
    "teacher": {"co_teacher", "admin", "owner"},
    "mixed": {"student", "co_teacher", "admin", "owner"},
    "student": {"student"},
}


def _fresh_assignment(app: Flask, world: World) -> int:
    with app.app_context():
        room = db.session.get(Classroom, world.class_id)
        owner = db.session.query(User).filter_by(email="owner@example.org").one()
        assert room is not None
        return assignments.create_assignment(room, assignments.AssignmentSpec(
            title="Spare", bank_ids=["examples"], count=1), owner, NOW, random.Random(2)).id


@pytest.mark.parametrize("method, template, who, data", ROUTES, ids=[f"{m} {t}" for m, t, _, _ in ROUTES])
def test_access(app: Flask, world: World, method: str, template: str, who: str, data: dict[str, Any]) -> None:
    """Every route for every persona: anonymous → login; not allowed → 404; allowed → 200 or 303.
    Personas who may not are tried first, so that nothing they do can be hidden by a later change."""
    wrong = []
    order = sorted(PERSONAS, key=lambda p: p in ALLOWED[who])
    for persona in order:
        client = app.test_client()
        login_as(client, AuthActions(client), persona)
        assignment_id = world.assignment_id
        if template.endswith("/delete") and persona in ALLOWED[who]:
            assignment_id = _fresh_assignment(app, world)  # each deleter deletes its own
        path = template.format(c=world.class_id, a=assignment_id, s=world.student_id, o=world.other_student_id)
        if method == "GET":
            response = client.get(path)
        else:
            token = csrf_token(client, "/auth/login" if persona == "anonymous" else "/classes/")
            response = client.post(path, data={**data, "csrf_token": token})
        if persona == "anonymous":
            ok = response.status_code == 302 and "/auth/login" in response.headers["Location"]
        elif persona in ALLOWED[who]:
            ok = response.status_code == (200 if method == "GET" else 303)
        else:
            ok = response.status_code == 404
        if not ok:
            wrong.append(f"{persona}: {response.status_code}")
    assert not wrong, f"{method} {template}: " + ", ".join(wrong)


# Routes outside one class: (method, path, {persona: expected status}); anonymous → login unless listed.
GENERAL_ROUTES: list[tuple[str, str, dict[str, int]]] = [
    ("GET", "/classes/", {p: 200 for p in PERSONAS if p != "anonymous"}),
    ("GET", "/classes/new", {"student": 403, "outsider": 403, "other_teacher": 200, "co_teacher": 200,
                             "admin": 200, "owner": 200}),
    ("POST", "/classes/new", {"student": 403, "outsider": 403, "other_teacher": 303, "co_teacher": 303,
                              "admin": 303, "owner": 303}),
    ("GET", "/classes/join", {p: 200 for p in PERSONAS}),
    ("GET", "/classes/join/ABCDEF", {p: 303 for p in PERSONAS}),
]


@pytest.mark.parametrize("method, path, expected", GENERAL_ROUTES, ids=[f"{m} {p}" for m, p, _ in GENERAL_ROUTES])
def test_access_outside_a_class(app: Flask, world: World, method: str, path: str, expected: dict[str, int]) -> None:
    wrong = []
    for persona in PERSONAS:
        client = app.test_client()
        login_as(client, AuthActions(client), persona)
        if method == "GET":
            response = client.get(path)
        else:
            token = csrf_token(client, "/auth/login" if persona == "anonymous" else "/classes/")
            response = client.post(path, data={"name": "New class", "term": "", "timezone": "UTC",
                                               "csrf_token": token})
        want = expected.get(persona, 302)
        if response.status_code != want or (want == 302 and "/auth/login" not in response.headers["Location"]):
            wrong.append(f"{persona}: {response.status_code} (expected {want})")
    assert not wrong, f"{method} {path}: " + ", ".join(wrong)


def test_teacher_and_student_see_different_class_pages(client: FlaskClient, auth: AuthActions,
                                                      world: World) -> None:
    login_as(client, auth, "student")
    page = client.get(f"/classes/{world.class_id}").get_data(as_text=True)
    assert "Mali quiz" in page and "Leave this class" in page
    assert world.code not in page and "Gradebook" not in page
    auth.logout()
    login_as(client, auth, "co_teacher")
    page = client.get(f"/classes/{world.class_id}").get_data(as_text=True)
    assert world.code in page and f"/classes/join/{world.code}" in page and "Student One" not in page
    assert "Invite a co-teacher" in page


def test_posts_need_a_csrf_token(client: FlaskClient, auth: AuthActions, world: World) -> None:
    login_as(client, auth, "owner")
    assert client.post(f"/classes/{world.class_id}/archive").status_code == 400
    assert client.post("/classes/join", data={"code": world.code, "display_name": "x"}).status_code == 400


def test_qr_code_is_an_svg_of_the_join_link(client: FlaskClient, auth: AuthActions, world: World) -> None:
    login_as(client, auth, "owner")
    response = client.get(f"/classes/{world.class_id}/qr.svg")
    assert response.mimetype == "image/svg+xml"
    assert response.get_data(as_text=True).lstrip().startswith("<?xml")
    assert "<svg" in response.get_data(as_text=True)


def test_a_visitor_follows_the_link_logs_in_and_joins(client: FlaskClient, auth: AuthActions, world: World,
                                                      app: Flask) -> None:
    link = client.get(f"/classes/join/{world.code.lower()}")
    assert link.status_code == 303
    page = client.get(link.headers["Location"])
    html = page.get_data(as_text=True)
    assert "log in or create an account first" in html
    login_link = re.search(r'href="(/auth/login\?next=[^"]+)"', html)
    assert login_link
    login_url = login_link.group(1).replace("&amp;", "&")
    response = client.post(login_url, data={"email": "outsider@example.org", "password": PASSWORD,
                                            "csrf_token": csrf_token(client, login_url)})
    assert response.status_code == 303 and response.headers["Location"].startswith("/classes/join?code=")
    form = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You are about to join <strong>History 9B</strong>" in form
    joined = client.post("/classes/join", data={"code": world.code.lower(), "display_name": "Outsider",
                                                "csrf_token": csrf_from(form)})
    assert joined.status_code == 303 and joined.headers["Location"] == f"/classes/{world.class_id}"
    with app.app_context():
        assert db.session.query(Enrollment).filter_by(classroom_id=world.class_id, display_name="Outsider").count() == 1


def test_a_guest_keeps_their_progress_when_registering_from_the_link(client: FlaskClient, auth: AuthActions,
                                                                      world: World, app: Flask) -> None:
    quick = client.post("/quiz/quick", data={"bank": "examples", "csrf_token": csrf_token(client, "/auth/login")})
    assert quick.status_code == 303  # now a guest with one attempt
    page = client.get(f"/classes/join?code={world.code}").get_data(as_text=True)
    assert "What you have studied as a guest moves to your account" in page
    register_url = re.search(r'href="(/auth/register\?next=[^"]+)"', page).group(1).replace("&amp;", "&")  # type: ignore[union-attr]
    response = client.post(register_url, data={"email": "newbie@example.org", "password": PASSWORD,
                                               "confirm": PASSWORD, "csrf_token": csrf_token(client, register_url)})
    assert response.status_code == 303 and "/classes/join" in response.headers["Location"]
    form = client.get(response.headers["Location"]).get_data(as_text=True)
    client.post("/classes/join", data={"code": world.code, "display_name": "Newbie", "csrf_token": csrf_from(form)})
    with app.app_context():
        newbie = db.session.query(User).filter_by(email="newbie@example.org").one()
        assert db.session.query(Attempt).filter_by(user_id=newbie.id).count() == 1
        assert classes.class_for_student(world.class_id, newbie) is not None


def test_bad_join_code_is_explained_and_kept(client: FlaskClient, auth: AuthActions, world: World) -> None:
    login_as(client, auth, "outsider")
    response = client.post("/classes/join", data={"code": "QQQQQQ", "display_name": "Me",
                                                  "csrf_token": _token(client)})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "No class has this code" in html and 'value="QQQQQQ"' in html


def _take(client: FlaskClient, world: World, app: Flask) -> int:
    """The student takes the assignment through the quiz pages, answering everything wrong but one."""
    start = client.post(f"/classes/{world.class_id}/assignments/{world.assignment_id}/start",
                        data={"csrf_token": _token(client)})
    assert start.status_code == 303
    attempt_id = int(re.search(r"/quiz/(\d+)", start.headers["Location"]).group(1))  # type: ignore[union-attr]
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None and attempt.assignment_id == world.assignment_id
        ids = list(attempt.question_ids)
        wrong = {q.id: q.data["distractors"][0] for q in db.session.scalars(select(Question).where(
            Question.id.in_(ids), Question.type == "mcq"))}
    for position, qid in enumerate(ids):
        page = client.get(f"/quiz/{attempt_id}/q/{position}").get_data(as_text=True)
        choice = "true" if qid == "ex-truefalse" else wrong[qid]
        client.post(f"/quiz/{attempt_id}/q/{position}", data={"choice": choice, "csrf_token": csrf_from(page)})
    return attempt_id


def test_results_hold_back_answers_until_the_due_date(client: FlaskClient, auth: AuthActions, world: World,
                                                      app: Flask) -> None:
    login_as(client, auth, "student")
    attempt_id = _take(client, world, app)
    results = client.get(f"/quiz/{attempt_id}/results").get_data(as_text=True)
    assert "Your teacher shows the correct answers after the due date" in results
    assert "Correct answer" not in results and "Retry the" not in results
    with app.app_context():
        assignment = db.session.get(assignments.Assignment, world.assignment_id)
        assert assignment is not None
        assignment.due_at = NOW - timedelta(minutes=1)
        db.session.get(Attempt, attempt_id).settings = {**assignment.settings}  # type: ignore[union-attr]
        db.session.commit()
    results = client.get(f"/quiz/{attempt_id}/results").get_data(as_text=True)
    assert "Correct answer" in results


def test_home_page_and_my_classes_show_due_work(client: FlaskClient, auth: AuthActions, world: World,
                                                app: Flask) -> None:
    login_as(client, auth, "student")
    home = client.get("/").get_data(as_text=True)
    assert "Class work" in home and "Mali quiz" in home and "To do" in home
    _take(client, world, app)
    mine = client.get("/classes/").get_data(as_text=True)
    assert "Mali quiz" in mine and "Done" in mine and "50 %" in mine


def test_gradebook_sorts_server_side_and_exports(client: FlaskClient, auth: AuthActions, world: World,
                                                 app: Flask) -> None:
    login_as(client, auth, "student")
    _take(client, world, app)
    auth.logout()
    login_as(client, auth, "co_teacher")
    by_name = client.get(f"/classes/{world.class_id}/gradebook").get_data(as_text=True)
    assert by_name.index("Classmate") < by_name.index("Student One")
    by_score = client.get(f"/classes/{world.class_id}/gradebook?sort=a{world.assignment_id}&dir=desc")
    html = by_score.get_data(as_text=True)
    assert html.index("Student One") < html.index("Classmate")
    assert 'aria-sort="descending"' in html
    plain = client.get(f"/classes/{world.class_id}/gradebook.csv")
    assert plain.headers["Content-Disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(plain.get_data(as_text=True))))
    assert {r["Name"]: r["Mali quiz (%)"] for r in rows} == {"Classmate": "", "Student One": "50.0"}
    excel = client.get(f"/classes/{world.class_id}/gradebook.csv?answers=1&excel=1").get_data()
    assert excel.startswith("\ufeff".encode())
    answer_rows = list(csv.reader(io.StringIO(excel.decode("utf-8-sig")), delimiter=";"))
    assert len(answer_rows) == 3 and answer_rows[1][0] == "Student One"


def test_teacher_sees_every_answer_and_overrides_a_score(client: FlaskClient, auth: AuthActions, world: World,
                                                         app: Flask) -> None:
    login_as(client, auth, "student")
    _take(client, world, app)
    auth.logout()
    login_as(client, auth, "owner")
    page = client.get(f"/classes/{world.class_id}/students/{world.student_id}").get_data(as_text=True)
    assert "Correct answer" in page and "ex-truefalse" in page and "50 %" in page
    bad = client.post(f"/classes/{world.class_id}/assignments/{world.assignment_id}/override/{world.student_id}",
                      data={"score": "150", "csrf_token": csrf_from(page)}, follow_redirects=True)
    assert "Choose between 0 and 100." in bad.get_data(as_text=True)
    client.post(f"/classes/{world.class_id}/assignments/{world.assignment_id}/override/{world.student_id}",
                data={"score": "90", "comment": "Redid it orally", "csrf_token": csrf_from(page)})
    grid = client.get(f"/classes/{world.class_id}/gradebook").get_data(as_text=True)
    assert "90 %" in grid and "(overridden)" in grid
    csv_text = client.get(f"/classes/{world.class_id}/gradebook.csv").get_data(as_text=True)
    assert "Redid it orally" in csv_text


def test_assignment_form_errors_keep_the_input(client: FlaskClient, auth: AuthActions, world: World) -> None:
    login_as(client, auth, "owner")
    path = f"/classes/{world.class_id}/assignments/new"
    response = client.post(path, data={
        "title": "Practice", "kind": "quiz", "count": "3", "same_set": "same", "mode": "practice",
        "counting": "best", "late_policy": "accept", "reveal": "never", "csrf_token": _token(client)})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Practice mode shows the answer after each question" in html and 'value="Practice"' in html
    search = client.get(path + "?q=ex-short").get_data(as_text=True)
    assert 'value="ex-short"' in search


def test_due_dates_are_read_in_the_class_time_zone(client: FlaskClient, auth: AuthActions, world: World,
                                                   app: Flask) -> None:
    login_as(client, auth, "owner")
    client.post(f"/classes/{world.class_id}/edit", data={"name": "History 9B", "term": "", "timezone": "Europe/Paris",
                                                         "csrf_token": _token(client)})
    response = client.post(f"/classes/{world.class_id}/assignments/new", data={
        "title": "Timed", "kind": "quiz", "count": "2", "same_set": "same", "mode": "test", "counting": "best",
        "late_policy": "accept", "reveal": "never", "due_at": "2026-12-07T09:00", "csrf_token": _token(client)})
    assert response.status_code == 303
    with app.app_context():
        timed = db.session.query(assignments.Assignment).filter_by(title="Timed").one()
        assert timed.due_at == datetime(2026, 12, 7, 8, 0, tzinfo=timezone.utc)
    page = client.get(f"/classes/{world.class_id}").get_data(as_text=True)
    assert "Mon 7 Dec 2026, 09:00" in page


def test_cli_gradebook(runner: Any, world: World, app: Flask) -> None:
    result = runner.invoke(args=["classes", "gradebook", world.code.lower(), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0][0] == "Name" and sorted(r[0] for r in rows[1:]) == ["Classmate", "Student One"]
    answers = runner.invoke(args=["classes", "gradebook", world.code, "--answers"])
    assert answers.exit_code == 0 and answers.output.startswith("Name,Email,Assignment,Attempt")
    missing = runner.invoke(args=["classes", "gradebook", "NOPE22"])
    assert missing.exit_code != 0 and "no class has the code NOPE22" in missing.output


def test_flashcard_assignment_tracks_reviews(client: FlaskClient, auth: AuthActions, world: World,
                                             app: Flask) -> None:
    login_as(client, auth, "owner")
    response = client.post(f"/classes/{world.class_id}/assignments/new", data={
        "title": "Cards week 1", "kind": "cards", "banks": ["examples"], "count": "2", "same_set": "same",
        "mode": "test", "counting": "best", "late_policy": "accept", "reveal": "never",
        "due_at": (NOW + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"), "csrf_token": _token(client)})
    assert response.status_code == 303
    auth.logout()
    login_as(client, auth, "student")
    with app.app_context():
        cards_id = db.session.query(assignments.Assignment).filter_by(title="Cards week 1").one().id
        studying.apply_review(world.student_id, "ex-card", 3, datetime.now(timezone.utc), source="study")
        db.session.commit()
    page = client.get(f"/classes/{world.class_id}/assignments/{cards_id}").get_data(as_text=True)
    assert "Cards studied so far: 1 of 2." in page and "Study flashcards" in page
    start = client.post(f"/classes/{world.class_id}/assignments/{cards_id}/start", data={"csrf_token": _token(client)})
    assert start.status_code == 303 and start.headers["Location"].endswith(f"/assignments/{cards_id}")


def test_teacher_extends_the_due_date(client: FlaskClient, auth: AuthActions, world: World, app: Flask) -> None:
    login_as(client, auth, "owner")
    path = f"/classes/{world.class_id}/assignments/{world.assignment_id}/edit"
    form = client.get(path).get_data(as_text=True)
    assert 'value="Mali quiz"' in form
    bad = client.post(path, data={"title": "Mali quiz", "counting": "best", "late_policy": "accept",
                                  "reveal": "after_due", "opens_at": "2026-12-10T10:00", "due_at": "2026-12-09T10:00",
                                  "csrf_token": csrf_from(form)})
    assert bad.status_code == 422 and "The due date must come after the opening date." in bad.get_data(as_text=True)
    saved = client.post(path, data={"title": "Mali quiz (extended)", "counting": "last", "late_policy": "refuse",
                                    "reveal": "after_due", "due_at": "2026-12-20T17:30", "attempts_allowed": "",
                                    "csrf_token": csrf_from(form)})
    assert saved.status_code == 303
    with app.app_context():
        work = db.session.get(assignments.Assignment, world.assignment_id)
        assert work is not None
        assert (work.title, work.counting, work.late_policy, work.attempts_allowed) == (
            "Mali quiz (extended)", "last", "refuse", None)
        assert work.due_at == datetime(2026, 12, 20, 17, 30, tzinfo=timezone.utc)  # Bamako is UTC+0
        assert work.question_ids and len(work.question_ids) == 2  # the questions did not change


def test_teacher_regrades_after_a_question_changed(client: FlaskClient, auth: AuthActions, world: World, app: Flask,
                                                   write_bank: Callable[..., Any]) -> None:
    login_as(client, auth, "student")
    _take(client, world, app)
    auth.logout()
    with app.app_context():
        edited = EXAMPLES.read_text(encoding="utf-8").replace("    answer: true\n", "    answer: false\n", 1)
        sync_banks([write_bank(edited, "every-type.yaml")], datetime.now(timezone.utc))
    login_as(client, auth, "owner")
    page = client.get(f"/classes/{world.class_id}/assignments/{world.assignment_id}").get_data(as_text=True)
    assert "Questions changed" in page and "Regrade 1 answer" in page
    done = client.post(f"/classes/{world.class_id}/assignments/{world.assignment_id}/regrade",
                       data={"csrf_token": csrf_from(page)}, follow_redirects=True).get_data(as_text=True)
    assert "1 answer graded again; 1 score changed." in done
    assert "Student One, ex-truefalse: 100 % → 0 %" in done and "Regrade 1 answer" not in done
    grid = client.get(f"/classes/{world.class_id}/gradebook").get_data(as_text=True)
    assert "(regraded)" in grid


def test_an_archived_class_is_read_only(client: FlaskClient, auth: AuthActions, world: World, app: Flask) -> None:
    login_as(client, auth, "owner")
    client.post(f"/classes/{world.class_id}/archive", data={"csrf_token": _token(client)})
    refused = client.post(f"/classes/{world.class_id}/assignments/{world.assignment_id}/override/{world.student_id}",
                          data={"score": "80", "csrf_token": _token(client)}, follow_redirects=True)
    assert "This class is archived and read-only; restore it first." in refused.get_data(as_text=True)
    deleted = client.post(f"/classes/{world.class_id}/assignments/{world.assignment_id}/delete",
                          data={"csrf_token": _token(client)})
    assert deleted.status_code == 303
    with app.app_context():
        assert db.session.get(assignments.Assignment, world.assignment_id) is not None
        assert db.session.query(assignments.ScoreOverride).count() == 0
    auth.logout()
    login_as(client, auth, "student")
    assert client.get(f"/classes/{world.class_id}").status_code == 404
    assert "History 9B" not in client.get("/classes/").get_data(as_text=True)
    auth.logout()
    login_as(client, auth, "owner")
    client.post(f"/classes/{world.class_id}/restore", data={"csrf_token": _token(client)})
    assert client.post(f"/classes/{world.class_id}/assignments/{world.assignment_id}/delete",
                       data={"csrf_token": _token(client)}).status_code == 303
    with app.app_context():
        assert db.session.get(assignments.Assignment, world.assignment_id) is None


def test_teacher_sets_options_in_a_fixed_order(client: FlaskClient, auth: AuthActions, world: World,
                                               app: Flask) -> None:
    login_as(client, auth, "owner")
    path = f"/classes/{world.class_id}/assignments/new"
    page = client.get(path).get_data(as_text=True)
    assert re.search(r'<input [^>]*checked[^>]*name="shuffle_options"', page)  # on unless turned off
    assert "listed alphabetically" in page
    fields = {"title": "Fixed", "kind": "quiz", "picked_ids": "ex-mcq", "count": "1", "same_set": "same",
              "mode": "test", "counting": "best", "late_policy": "accept", "reveal": "never"}
    for title, box in (("Fixed", {}), ("Shuffled", {"shuffle_options": "y"})):
        assert client.post(path, data={**fields, **box, "title": title,
                                       "csrf_token": _token(client)}).status_code == 303
    auth.logout()
    login_as(client, auth, "student")
    with app.app_context():
        ids = {a.title: a.id for a in db.session.scalars(select(assignments.Assignment))}
    for title, fixed in (("Fixed", True), ("Shuffled", False)):
        start = client.post(f"/classes/{world.class_id}/assignments/{ids[title]}/start",
                            data={"csrf_token": _token(client)})
        attempt_id = int(re.search(r"/quiz/(\d+)", start.headers["Location"]).group(1))  # type: ignore[union-attr]
        page = client.get(f"/quiz/{attempt_id}/q/0").get_data(as_text=True)
        shown = re.findall(r'name="choice" value="([^"]+)"', page)
        assert sorted(shown) == ["Gao", "Kidal", "Konna", "Tessalit"]
        with app.app_context():
            attempt = db.session.get(Attempt, attempt_id)
            assert attempt is not None and attempt.settings["shuffle_options"] is not fixed
        if fixed:
            assert shown == ["Gao", "Kidal", "Konna", "Tessalit"]


def test_an_archived_class_s_assignment_is_refused_with_a_message(client: FlaskClient, auth: AuthActions,
                                                                   world: World, app: Flask) -> None:
    login_as(client, auth, "student")
    start = client.post(f"/classes/{world.class_id}/assignments/{world.assignment_id}/start",
                        data={"csrf_token": _token(client)})
    attempt_id = int(re.search(r"/quiz/(\d+)", start.headers["Location"]).group(1))  # type: ignore[union-attr]
    page = client.get(f"/quiz/{attempt_id}/q/0").get_data(as_text=True)
    with app.app_context():
        room = db.session.get(Classroom, world.class_id)
        assert room is not None
        classes.archive(room, NOW)
    htmx = client.post(f"/quiz/{attempt_id}/q/0", data={"choice": "true", "csrf_token": csrf_from(page)},
                       headers={"HX-Request": "true"})
    assert htmx.headers.get("HX-Redirect") == f"/quiz/{attempt_id}/results"  # a whole page, with the message
    sent = client.post(f"/quiz/{attempt_id}/q/0", data={"choice": "true", "csrf_token": csrf_from(page)},
                       follow_redirects=True)
    assert sent.status_code == 200
    assert "archived: it is read-only, so your answer was not stored" in sent.get_data(as_text=True)
    again = client.post(f"/classes/{world.class_id}/assignments/{world.assignment_id}/start",
                        data={"csrf_token": _token(client)}, follow_redirects=True)
    assert again.status_code == 200
    assert "This class is archived: its assignments are read-only" in again.get_data(as_text=True)
    finished = client.post(f"/quiz/{attempt_id}/finish", data={"csrf_token": csrf_from(page)}, follow_redirects=True)
    assert "archived: it is read-only, so it was not finished" in finished.get_data(as_text=True)
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None and attempt.answers == [] and attempt.finished_at is None
