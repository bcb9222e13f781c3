"""Insight pages through the test client: who may see the item analysis and the mastery map,
what they show, the bank lint for authors, and the `classes demo` / `classes item-analysis`
commands."""
from __future__ import annotations

import json
import random
import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quiz.domain import item_report
from quiz.extensions import db
from quiz.models import Attempt, AttemptAnswer, Classroom, Enrollment, ReviewLog, User
from quiz.services import assignments, demo, item_analysis
from quiz.services.banks import sync_banks

from ..conftest import ROOT, AuthActions
from .test_classes import ALLOWED, NOW, PERSONAS, World, _take, login_as, world  # noqa: F401 (world: a fixture)

ROUTES = ["/classes/{c}/assignments/{a}/analysis", "/classes/{c}/assignments/{a}/analysis?attempts=all",
          "/classes/{c}/mastery", "/classes/{c}/mastery?by=tag"]


@pytest.mark.parametrize("template", ROUTES)
def test_access(app: Flask, world: World, template: str) -> None:  # noqa: F811
    """Anonymous → login; a student of the class, a student not in it and another instructor → 404;
    a co-teacher, an admin and the owner → the page."""
    path = template.format(c=world.class_id, a=world.assignment_id)
    wrong = []
    for persona in PERSONAS:
        client = app.test_client()
        login_as(client, AuthActions(client), persona)
        response = client.get(path)
        if persona == "anonymous":
            ok = response.status_code == 302 and "/auth/login" in response.headers["Location"]
        elif persona in ALLOWED["teacher"]:
            ok = response.status_code == 200
        else:
            ok = response.status_code == 404
        if not ok:
            wrong.append((persona, response.status_code))
    assert not wrong, f"{path}: {wrong}"


def test_the_analysis_page_shows_the_figures_of_the_answers(client: FlaskClient, auth: AuthActions, world: World,  # noqa: F811
                                                            app: Flask) -> None:
    login_as(client, auth, "student")
    _take(client, world, app)  # a wrong answer but on true/false
    auth.logout()
    login_as(client, auth, "co_teacher")
    page = client.get(f"/classes/{world.class_id}/assignments/{world.assignment_id}/analysis").get_data(as_text=True)
    with app.app_context():
        assignment = db.session.get(assignments.Assignment, world.assignment_id)
        assert assignment is not None
        result = item_analysis.analyse_assignment(assignment)
    assert result.analysis.quiz.attempts == 1
    assert "1 finished attempt by 1 student" in page
    assert f"Marks out of {result.analysis.quiz.max_mark:g}" in page
    for index, question in enumerate(result.analysis.questions, start=1):
        row = re.search(rf'<tr id="question-{index}">(.*?)</tr>', page, re.S)
        assert row and question.question_id in row.group(1)
        assert f'<td class="num">{item_report.figure(question.facility)}</td>' in row.group(1)
    assert "(key)" in page  # choice questions mark their key in words
    assert page.count('<svg') - page.count('aria-hidden="true" focusable="false"') == 2 and "Data of the chart: facility index per question" in page
    assert "Data of the chart: discrimination index per question" in page
    assert "<script" not in page.split("<main", 1)[1]  # nothing on the page needs JavaScript


def test_a_flashcard_assignment_has_no_item_analysis(client: FlaskClient, auth: AuthActions, world: World,  # noqa: F811
                                                     app: Flask) -> None:
    with app.app_context():
        room = db.session.get(Classroom, world.class_id)
        owner = db.session.scalars(select(User).where(User.email == "owner@example.org")).one()
        assert room is not None
        cards = assignments.create_assignment(room, assignments.AssignmentSpec(
            title="Cards", kind="cards", bank_ids=["examples"], count=5, due_at=NOW + timedelta(days=3)),
            owner, NOW, random.Random(3)).id
    login_as(client, auth, "owner")
    assert client.get(f"/classes/{world.class_id}/assignments/{cards}/analysis").status_code == 404
    assert client.get(f"/classes/{world.class_id}/assignments/999/analysis").status_code == 404
    # an unknown choice of attempts falls back to the first ones
    odd = client.get(f"/classes/{world.class_id}/assignments/{world.assignment_id}/analysis?attempts=zzz")
    assert odd.status_code == 200 and 'aria-current="page">first attempt' in odd.get_data(as_text=True)


def test_the_mastery_page_has_words_in_every_cell(client: FlaskClient, auth: AuthActions, world: World) -> None:  # noqa: F811
    login_as(client, auth, "owner")
    page = client.get(f"/classes/{world.class_id}/mastery").get_data(as_text=True)
    cells = re.findall(r'<td class="mastery-cell mastery-level-(\d)">(.*?)</td>', page, re.S)
    assert len(cells) == 2  # two students × one bank
    assert all(level == "0" and "not started" in text for level, text in cells)
    assert "Example bank" in page


@pytest.mark.parametrize("persona, sees", [("anonymous", False), ("student", False), ("other_teacher", True),
                                           ("admin", True)])
def test_bank_lint_is_for_authors(app: Flask, world: World, persona: str, sees: bool) -> None:  # noqa: F811
    client = app.test_client()
    login_as(client, AuthActions(client), persona)
    page = client.get("/banks/examples").get_data(as_text=True)
    assert ("How the questions did in classes" in page) is sees


# --- the commands ------------------------------------------------------------------------

def test_cli_item_analysis_prints_the_figures_of_the_page(runner: Any, world: World, app: Flask,  # noqa: F811
                                                          client: FlaskClient, auth: AuthActions) -> None:
    login_as(client, auth, "student")
    _take(client, world, app)
    result = runner.invoke(args=["classes", "item-analysis", world.code.lower(), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["class"]["code"] == world.code and len(data["assignments"]) == 1
    with app.app_context():
        assignment = db.session.get(assignments.Assignment, world.assignment_id)
        assert assignment is not None
        expected = item_analysis.figures(item_analysis.analyse_assignment(assignment))
    assert data["assignments"][0] == json.loads(json.dumps(expected))
    one = runner.invoke(args=["classes", "item-analysis", world.code, "--assignment", str(world.assignment_id),
                              "--attempts", "all"])
    assert one.exit_code == 0 and json.loads(one.output)["assignments"][0]["attempts_analysed"] == "all"
    for args, message in ((["NOPE22"], "no class has the code NOPE22"),
                          ([world.code, "--assignment", "999"], "has no assignment 999")):
        refused = runner.invoke(args=["classes", "item-analysis", *args])
        assert refused.exit_code != 0 and message in refused.output


def test_cli_demo_makes_a_full_class_once(runner: Any, app: Flask) -> None:
    missing = runner.invoke(args=["classes", "demo"])
    assert missing.exit_code != 0 and "banks sync" in missing.output
    with app.app_context():
        sync_banks([ROOT / "questions"], NOW)
    made = runner.invoke(args=["classes", "demo"])
    assert made.exit_code == 0, made.output
    email = re.search(r"email:\s+(\S+)", made.output).group(1)  # type: ignore[union-attr]
    password = re.search(r"password:\s+(\S+)", made.output).group(1)  # type: ignore[union-attr]
    assert email == demo.TEACHER_EMAIL and len(password) >= 12
    again = runner.invoke(args=["classes", "demo"])
    assert again.exit_code != 0 and "already exists" in again.output

    with app.app_context():
        room = db.session.scalars(select(Classroom)).one()
        assert db.session.scalar(select(func.count()).select_from(Enrollment)) == 30
        assert db.session.scalar(select(func.count()).select_from(Classroom)) == 1  # the second run added nothing
        assert len(room.assignments) == 2
        attempts = db.session.scalars(select(Attempt)).all()
        assert len(attempts) >= 40 and all(a.finished_at is not None for a in attempts)
        wrong = db.session.scalars(select(AttemptAnswer).where(AttemptAnswer.score < 1)).first()
        assert wrong is not None and wrong.feedback  # graded by the question types: real feedback
        assert db.session.scalar(select(func.count()).select_from(ReviewLog)) > 1000
        class_id, assignment_id = room.id, room.assignments[0].id

    client = app.test_client()
    assert AuthActions(client).login(email, password).status_code == 303
    gradebook = client.get(f"/classes/{class_id}/gradebook").get_data(as_text=True)
    assert gradebook.count('<th scope="row">') == 30
    analysis = client.get(f"/classes/{class_id}/assignments/{assignment_id}/analysis").get_data(as_text=True)
    assert "Cronbach" in analysis and "—</dd>" not in analysis.split("Skewness")[0]  # every test figure computed
    mastery = client.get(f"/classes/{class_id}/mastery").get_data(as_text=True)
    assert re.search(r'mastery-level-[1-4]">', mastery) and "Falling behind" in mastery
