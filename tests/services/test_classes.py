"""Classes, assignments and the gradebook, through the services (time and randomness given)."""
from __future__ import annotations

import csv
import io
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Iterator

import pytest
from flask import Flask

from quiz.domain.classroom import JOIN_CODE_ALPHABET
from quiz.extensions import db
from quiz.models import Attempt, Card, Classroom, User
from quiz.services import accounts, assignments, classes, gradebook, quiz_results, quizzes, studying
from quiz.services.assignments import AssignmentError, AssignmentSpec
from quiz.services.banks import sync_banks
from quiz.services.classes import ClassError

from .test_bank_sync import EXAMPLES

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
ALL_QUESTIONS = ["ex-mcq", "ex-multi", "ex-truefalse", "ex-short", "ex-number", "ex-date", "ex-order",
                 "ex-match", "ex-cloze", "ex-card"]


def hours(n: float) -> datetime:
    return T0 + timedelta(hours=n)


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    with app.app_context():
        sync_banks([EXAMPLES], T0)
        yield


@pytest.fixture
def person(ctx: None) -> Callable[..., User]:
    def make(name: str, role: str = "learner") -> User:
        return accounts.create_user(f"{name}@example.org", "password123", role)
    return make


@pytest.fixture
def room(person: Callable[..., User]) -> Classroom:
    teacher = person("teacher", "instructor")
    classroom = classes.create_class(teacher, "History 9B", "Autumn", "Africa/Bamako", T0, random.Random(1))
    for name in ("ali", "bintou"):
        classes.join(person(name), classroom.join_code, name.title(), T0)
    return classroom


def user(name: str) -> User:
    found = db.session.query(User).filter_by(email=f"{name}@example.org").one()
    return found


def answer_all(attempt: Attempt, right: bool, now: datetime) -> None:
    """Answer every question: right ones by grading the key, wrong ones with an empty answer."""
    for position, qid in enumerate(attempt.question_ids):
        question = db.session.get(quizzes.Question, qid)
        assert question is not None
        response = _right_response(question) if right else None
        quizzes.submit_answer(attempt, position, response, now)


def _right_response(question: quizzes.Question) -> object:
    data = question.data
    return {"mcq": data.get("answer"), "truefalse": data.get("answer"), "short": data.get("answer")}.get(
        question.type, data.get("answer"))


def spec(**values: object) -> AssignmentSpec:
    return AssignmentSpec(**{"title": "Homework", "bank_ids": ["examples"], "types": ["mcq", "truefalse", "short"],
                             "count": 3, **values})  # type: ignore[arg-type]


# --- classes ---------------------------------------------------------------------------

def test_an_instructor_creates_a_class_with_a_code(person: Callable[..., User]) -> None:
    teacher = person("t", "instructor")
    first = classes.create_class(teacher, "  History  ", "", "UTC", T0, random.Random(3))
    second = classes.create_class(teacher, "Geography", "", "UTC", T0, random.Random(3))  # same draw: taken
    assert first.name == "History"
    assert set(first.join_code) <= set(JOIN_CODE_ALPHABET) and len(first.join_code) == 6
    assert first.join_code != second.join_code
    assert classes.teaching(teacher) == [second, first]


@pytest.mark.parametrize("role, name, zone, message", [
    ("learner", "History", "UTC", "Only instructors"),
    ("instructor", "   ", "UTC", "name"),
    ("instructor", "History", "Mars/Olympus", "Unknown time zone"),
])
def test_create_class_refusals(person: Callable[..., User], role: str, name: str, zone: str, message: str) -> None:
    with pytest.raises(ClassError, match=message):
        classes.create_class(person("x", role), name, "", zone, T0, random.Random(1))


def test_students_join_with_a_loosely_typed_code_once(room: Classroom) -> None:
    code = room.join_code
    again = classes.join(user("ali"), f" {code[:3].lower()}-{code[3:].lower()} ", "Ali again", T0)
    assert again.id == room.id
    assert [s.name for s in classes.students(room)] == ["Ali", "Bintou"]


def test_join_refusals(room: Classroom, person: Callable[..., User]) -> None:
    carla = person("carla")
    with pytest.raises(ClassError, match="No class has this code"):
        classes.join(carla, "ZZZZZZ", "Carla", T0)
    old = room.join_code
    classes.regenerate_code(room, random.Random(99))
    assert room.join_code != old
    with pytest.raises(ClassError, match="No class has this code"):
        classes.join(carla, old, "Carla", T0)
    classes.set_joining(room, False)
    with pytest.raises(ClassError, match="not taking new students"):
        classes.join(carla, room.join_code, "Carla", T0)
    classes.set_joining(room, True)
    guest = accounts.create_guest()
    with pytest.raises(ClassError, match="Log in or register"):
        classes.join(guest, room.join_code, "Guest", T0)
    classes.archive(room, T0)
    with pytest.raises(ClassError, match="No class has this code"):
        classes.join(carla, room.join_code, "Carla", T0)


def test_archived_classes_are_hidden_from_students_and_read_only(room: Classroom) -> None:
    ali = user("ali")
    assert classes.studying_in(ali) == [room]
    classes.archive(room, T0)
    assert classes.studying_in(ali) == []
    assert classes.class_for_student(room.id, ali) is None
    teacher = user("teacher")
    assert classes.teaching(teacher) == [] and classes.teaching(teacher, archived=True) == [room]
    with pytest.raises(AssignmentError, match="archived"):
        assignments.create_assignment(room, spec(), teacher, T0, random.Random(1))
    classes.restore(room)
    assert classes.studying_in(ali) == [room]


def test_teachers_see_their_own_and_co_taught_classes_admins_all(room: Classroom,
                                                                  person: Callable[..., User]) -> None:
    other = person("other", "instructor")
    admin = person("admin", "admin")
    own = classes.create_class(other, "Other's class", "", "UTC", T0, random.Random(5))
    assert classes.teaching(other) == [own]
    assert classes.class_for_teacher(room.id, other) is None
    classes.add_teacher(room, "OTHER@example.org ", T0)
    assert classes.teaching(other) == [room, own]
    assert classes.class_for_teacher(room.id, other) is room
    assert {c.id for c in classes.teaching(admin)} == {room.id, own.id}
    with pytest.raises(ClassError, match="not an instructor"):
        classes.add_teacher(room, "ali@example.org", T0)
    with pytest.raises(ClassError, match="owner cannot be removed"):
        classes.remove_teacher(room, room.owner_id)
    classes.remove_teacher(room, other.id)
    assert classes.class_for_teacher(room.id, other) is None


def test_teacher_adds_and_removes_students_a_student_leaves(room: Classroom, person: Callable[..., User]) -> None:
    person("carla")
    with pytest.raises(ClassError, match="No account has the email"):
        classes.add_student(room, "nobody@example.org", T0)
    classes.add_student(room, "carla@example.org", T0)
    with pytest.raises(ClassError, match="already in the class"):
        classes.add_student(room, "carla@example.org", T0)
    classes.remove_student(room, user("ali").id)
    classes.leave(user("bintou"), room)
    assert [s.email for s in classes.students(room)] == ["carla@example.org"]


# --- assignments ----------------------------------------------------------------------

def test_same_set_for_everyone_and_a_draw_per_student(room: Classroom) -> None:
    teacher, ali, bintou = user("teacher"), user("ali"), user("bintou")
    same = assignments.create_assignment(room, spec(count=2, shuffle=False), teacher, T0, random.Random(1))
    a1 = assignments.start_attempt(ali, same, hours(1), random.Random(2))
    b1 = assignments.start_attempt(bintou, same, hours(1), random.Random(3))
    assert a1.question_ids == b1.question_ids == same.question_ids
    assert len(same.question_ids or []) == 2
    drawn = assignments.create_assignment(room, spec(count=2, same_set=False, types=[]), teacher, T0,
                                          random.Random(1))
    assert drawn.question_ids is None
    draws = {tuple(sorted(assignments.start_attempt(s, drawn, hours(1), random.Random(seed)).question_ids))
             for s, seed in ((ali, 10), (bintou, 11))}
    assert len(draws) == 2  # these seeds give two different sets
    assert all(set(d) <= set(ALL_QUESTIONS) and len(d) == 2 for d in draws)


def test_hand_picked_questions_in_bank_order_without_shuffle(room: Classroom) -> None:
    teacher = user("teacher")
    picked = assignments.create_assignment(room, spec(types=[], bank_ids=[], picked_ids=["ex-short", "ex-mcq"],
                                                      count=10, shuffle=False), teacher, T0, random.Random(1))
    attempt = assignments.start_attempt(user("ali"), picked, hours(1), random.Random(1))
    assert attempt.question_ids == ["ex-mcq", "ex-short"]
    assert attempt.assignment_id == picked.id and attempt.mode == "test"
    with pytest.raises(AssignmentError, match="No question has the id nope"):
        assignments.create_assignment(room, spec(picked_ids=["nope"]), teacher, T0, random.Random(1))


@pytest.mark.parametrize("values, message", [
    ({"title": " "}, "title"),
    ({"mode": "practice", "reveal": "never"}, "Practice mode shows the answer"),
    ({"opens_at": hours(5), "due_at": hours(4)}, "due date must come after"),
    ({"kind": "cards"}, "needs a due date"),
    ({"tags": ["no-such-tag"]}, "No questions match"),
    ({"attempts_allowed": 0}, "at least one attempt"),
])
def test_assignment_refusals(room: Classroom, values: dict[str, object], message: str) -> None:
    with pytest.raises(AssignmentError, match=message):
        assignments.create_assignment(room, spec(**values), user("teacher"), T0, random.Random(1))


def test_attempts_go_through_the_quiz_engine(room: Classroom) -> None:
    """Same grading, FSRS seam, resume, one answer per question, attempts limit."""
    ali = user("ali")
    work = assignments.create_assignment(room, spec(attempts_allowed=1), user("teacher"), T0, random.Random(1))
    attempt = assignments.start_attempt(ali, work, hours(1), random.Random(1))
    assert assignments.start_attempt(ali, work, hours(1.1), random.Random(2)).id == attempt.id  # resumed
    first, new = quizzes.submit_answer(attempt, 0, "no such answer", hours(1.2))
    again, new_again = quizzes.submit_answer(attempt, 0, "no such answer", hours(1.2))
    assert new and not new_again and again.id == first.id and first.score == 0.0
    assert db.session.query(Card).filter_by(user_id=ali.id, question_id=attempt.question_ids[0]).count() == 1
    answer_all(attempt, True, hours(1.3))
    assert attempt.finished_at is not None
    assert attempt.score == pytest.approx(2 / 3)
    with pytest.raises(AssignmentError, match="used your attempt"):
        assignments.start_attempt(ali, work, hours(2), random.Random(3))
    with pytest.raises(quizzes.QuizError, match="class assignment"):
        quiz_results.retry_missed(attempt, hours(2), random.Random(3))


def test_not_open_yet_and_late_work(room: Classroom) -> None:
    ali, bintou = user("ali"), user("bintou")
    accept = assignments.create_assignment(room, spec(opens_at=hours(1), due_at=hours(24), attempts_allowed=None),
                                           user("teacher"), T0, random.Random(1))
    with pytest.raises(AssignmentError, match="not open yet"):
        assignments.start_attempt(ali, accept, hours(0.5), random.Random(1))
    late = assignments.start_attempt(ali, accept, hours(30), random.Random(1))
    answer_all(late, True, hours(30.5))
    cells = assignments.class_cells(room, hours(31))
    assert cells[(ali.id, accept.id)].standing.late is True
    assert cells[(bintou.id, accept.id)].standing.status == "missing"
    refuse = assignments.create_assignment(room, spec(due_at=hours(24), late_policy="refuse", time_limit_minutes=60),
                                           user("teacher"), T0, random.Random(1))
    with pytest.raises(AssignmentError, match="does not accept late work"):
        assignments.start_attempt(ali, refuse, hours(25), random.Random(1))
    near_due = assignments.start_attempt(bintou, refuse, hours(23.5), random.Random(1))
    assert near_due.deadline_at == hours(24)  # the time limit stops at the due date


def test_expired_attempts_count_when_the_gradebook_is_read(room: Classroom) -> None:
    ali = user("ali")
    timed = assignments.create_assignment(room, spec(time_limit_minutes=10), user("teacher"), T0, random.Random(1))
    attempt = assignments.start_attempt(ali, timed, hours(1), random.Random(1))
    answer = attempt.question_ids.index("ex-mcq")
    question = db.session.get(quizzes.Question, "ex-mcq")
    assert question is not None
    quizzes.submit_answer(attempt, answer, question.data["answer"], hours(1.05))
    cell = assignments.class_cells(room, hours(2))[(ali.id, timed.id)]
    assert cell.standing.status == "done" and cell.standing.score == pytest.approx(1 / 3)


@pytest.mark.parametrize("rule, expected", [("best", 1.0), ("last", 0.0), ("mean", 0.5)])
def test_which_attempt_counts(room: Classroom, rule: str, expected: float) -> None:
    ali = user("ali")
    work = assignments.create_assignment(room, spec(attempts_allowed=None, counting=rule), user("teacher"), T0,
                                         random.Random(1))
    answer_all(assignments.start_attempt(ali, work, hours(1), random.Random(1)), True, hours(1))
    answer_all(assignments.start_attempt(ali, work, hours(2), random.Random(2)), False, hours(2))
    cell = assignments.class_cells(room, hours(3))[(ali.id, work.id)]
    assert cell.standing.score == pytest.approx(expected) and cell.standing.attempts == 2


def test_reveal_rules_reach_the_attempt(room: Classroom) -> None:
    work = assignments.create_assignment(room, spec(due_at=hours(24), reveal="after_due"), user("teacher"), T0,
                                         random.Random(1))
    attempt = assignments.start_attempt(user("ali"), work, hours(1), random.Random(1))
    assert not quiz_results.answers_visible(attempt, hours(2))
    assert quiz_results.answers_visible(attempt, hours(25))


def _orders_shown(attempt: Attempt, question_id: str, key: str) -> set[tuple[str, ...]]:
    """What the attempt's settings show for a question over many attempts' seeds."""
    question = db.session.get(quizzes.Question, question_id)
    assert question is not None
    return {tuple(quizzes.shown(Attempt(seed=seed, settings=dict(attempt.settings)), question)[key])
            for seed in range(30)}


def test_teacher_chooses_options_in_a_fixed_order(room: Classroom) -> None:
    """With option shuffling off, choice options come alphabetically (not the bank's answer-first
    order) for every student; order and match questions stay shuffled; the default shuffles."""
    picked = {"types": [], "picked_ids": ["ex-mcq", "ex-multi", "ex-order", "ex-match"], "count": 4}
    fixed = assignments.create_assignment(room, spec(shuffle_options=False, **picked), user("teacher"), T0,
                                          random.Random(1))
    attempt = assignments.start_attempt(user("ali"), fixed, hours(1), random.Random(1))
    assert _orders_shown(attempt, "ex-mcq", "options") == {("Gao", "Kidal", "Konna", "Tessalit")}
    assert _orders_shown(attempt, "ex-multi", "options") == {("Ansar Dine", "AQIM", "Boko Haram", "MNLA", "MUJAO")}
    assert len(_orders_shown(attempt, "ex-order", "items")) > 1
    assert len(_orders_shown(attempt, "ex-match", "rights")) > 1
    shuffled = assignments.create_assignment(room, spec(title="Shuffled", **picked), user("teacher"), T0,
                                             random.Random(1))
    attempt = assignments.start_attempt(user("ali"), shuffled, hours(1), random.Random(1))
    assert len(_orders_shown(attempt, "ex-mcq", "options")) > 1


def test_an_archived_class_s_assignment_cannot_be_started_or_answered(room: Classroom) -> None:
    ali, bintou = user("ali"), user("bintou")
    work = assignments.create_assignment(room, spec(attempts_allowed=None), user("teacher"), T0, random.Random(1))
    attempt = assignments.start_attempt(ali, work, hours(1), random.Random(1))
    quizzes.submit_answer(attempt, 0, None, hours(1.1))
    classes.archive(room, hours(1.2))
    for student in (bintou, ali):  # a new attempt, or the one already running
        with pytest.raises(AssignmentError, match="This class is archived"):
            assignments.start_attempt(student, work, hours(1.3), random.Random(2))
    with pytest.raises(quizzes.QuizError, match="archived.*not stored"):
        quizzes.submit_answer(attempt, 1, "Konna", hours(1.3))
    with pytest.raises(quizzes.QuizError, match="archived.*not stored"):
        quizzes.answer_form(attempt, 1, {"choice": ["true"], "answer": ["Konna"]}, hours(1.3))
    assert len(attempt.answers) == 1 and attempt.finished_at is None
    assert db.session.query(Card).filter_by(user_id=ali.id, question_id=attempt.question_ids[1]).count() == 0
    assert db.session.query(Attempt).filter_by(user_id=bintou.id).count() == 0
    classes.restore(room)
    assert quizzes.submit_answer(attempt, 1, None, hours(1.4))[1]


def test_flashcard_assignment_counts_distinct_cards_reviewed(room: Classroom) -> None:
    ali, bintou = user("ali"), user("bintou")
    cards = assignments.create_assignment(room, spec(kind="cards", count=2, types=[], due_at=hours(24)),
                                          user("teacher"), T0, random.Random(1))
    studying.apply_review(ali.id, "ex-card", 3, hours(1), source="study")
    studying.apply_review(ali.id, "ex-card", 3, hours(2), source="study")  # the same card again
    studying.apply_review(ali.id, "ex-mcq", 3, hours(2), source="quiz")  # a quiz answer is not card study
    cell = assignments.class_cells(room, hours(3))[(ali.id, cards.id)]
    assert (cell.cards_done, cell.standing.status, cell.standing.score) == (1, "in_progress", 0.5)
    studying.apply_review(ali.id, "ex-mcq", 3, hours(30), source="study")
    cells = assignments.class_cells(room, hours(31))
    assert cells[(ali.id, cards.id)].standing.status == "done" and cells[(ali.id, cards.id)].standing.late
    assert cells[(bintou.id, cards.id)].standing.status == "missing"


# --- gradebook --------------------------------------------------------------------------

def test_grid_sorts_and_overrides(room: Classroom) -> None:
    ali, bintou, teacher = user("ali"), user("bintou"), user("teacher")
    work = assignments.create_assignment(room, spec(), teacher, T0, random.Random(1))
    answer_all(assignments.start_attempt(ali, work, hours(1), random.Random(1)), False, hours(1))
    answer_all(assignments.start_attempt(bintou, work, hours(1), random.Random(1)), True, hours(1))
    by_score = gradebook.grid(room, hours(2), f"a{work.id}", descending=True)
    assert [r.student.name for r in by_score.rows] == ["Bintou", "Ali"]
    assert [r.student.name for r in gradebook.grid(room, hours(2), "bogus").rows] == ["Ali", "Bintou"]
    assignments.set_override(work, ali.id, 0.75, "Oral answer in class", teacher, hours(3))
    row = gradebook.grid(room, hours(3)).rows[0]
    assert row.cells[0].standing.score == 0.75 and row.cells[0].standing.overridden
    assert row.cells[0].override_comment == "Oral answer in class"
    with pytest.raises(AssignmentError, match="between 0 and 100"):
        assignments.set_override(work, ali.id, 1.5, "", teacher, hours(3))
    assignments.clear_override(work, ali.id)
    assert gradebook.grid(room, hours(3)).rows[0].cells[0].standing.score == 0.0


def test_csv_exports(room: Classroom) -> None:
    ali, teacher = user("ali"), user("teacher")
    db.session.query(classes.Enrollment).filter_by(user_id=ali.id).update({"display_name": "=HYPERLINK(\"x\")"})
    db.session.commit()
    work = assignments.create_assignment(room, spec(title="Mali; empires"), teacher, T0, random.Random(1))
    answer_all(assignments.start_attempt(ali, work, hours(1), random.Random(1)), True, hours(1))
    assignments.set_override(work, ali.id, 0.5, "-see me", teacher, hours(2))
    grid = list(csv.reader(io.StringIO(gradebook.grid_csv(room, hours(2)))))
    assert grid[0][:4] == ["Name", "Email", "Last activity (UTC)", "Average (%)"]
    assert "Mali; empires (%)" in grid[0]
    first = dict(zip(grid[0], grid[1]))
    assert first["Name"] == "'=HYPERLINK(\"x\")"
    assert first["Mali; empires (%)"] == "50.0"
    assert first["Mali; empires: status"] == "done (overridden)"
    assert first["Mali; empires: override comment"] == "'-see me"
    excel = gradebook.answers_csv(room, excel=True)
    assert excel.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(excel[1:]), delimiter=";"))
    assert rows[0] == ["Name", "Email", "Assignment", "Attempt", "Attempt id", "Question id", "Response", "Score (%)",
                       "Answered at (UTC)"]
    assert len(rows) == 1 + 3 and {r[5] for r in rows[1:]} == {"ex-mcq", "ex-truefalse", "ex-short"}
    assert all(r[7] == "100.0" for r in rows[1:])


def test_changing_the_due_date_reaches_started_attempts(room: Classroom) -> None:
    work = assignments.create_assignment(room, spec(due_at=hours(24), reveal="after_due"), user("teacher"), T0,
                                         random.Random(1))
    attempt = assignments.start_attempt(user("ali"), work, hours(1), random.Random(1))
    assert quiz_results.answers_visible(attempt, hours(25))
    assignments.update_rules(work, spec(title="Homework", due_at=hours(48), reveal="after_due"))
    assert not quiz_results.answers_visible(attempt, hours(25))
    with pytest.raises(AssignmentError, match="Practice mode"):
        work.mode = "practice"
        assignments.update_rules(work, spec(reveal="never"))


def test_regrade_after_a_question_changed(room: Classroom, write_bank: Callable[..., Path]) -> None:
    ali, bintou, teacher = user("ali"), user("bintou"), user("teacher")
    work = assignments.create_assignment(room, spec(picked_ids=["ex-mcq", "ex-truefalse"], bank_ids=[], types=[]),
                                         teacher, T0, random.Random(1))
    answer_all(assignments.start_attempt(ali, work, hours(1), random.Random(1)), True, hours(1))  # Konna: right
    attempt = assignments.start_attempt(bintou, work, hours(1), random.Random(1))
    quizzes.submit_answer(attempt, attempt.question_ids.index("ex-mcq"), "Gao", hours(1))  # wrong, for now
    assert gradebook.stale_answers(work) == []
    edited = EXAMPLES.read_text(encoding="utf-8").replace(
        "    answer: Konna\n    distractors: [Gao, Kidal, Tessalit]", "    answer: Gao\n    distractors: [Konna, Kidal, Tessalit]")
    path = write_bank(edited, "every-type.yaml")
    sync_banks([path], hours(2))
    assert len(gradebook.stale_answers(work)) == 2  # Ali's and Bintou's answers to ex-mcq
    done = gradebook.regrade(work, teacher, hours(3))
    assert done.answers_checked == 2
    assert sorted((c["user_id"], c["before"], c["after"]) for c in done.changes) == [(ali.id, 1.0, 0.0),
                                                                                  (bintou.id, 0.0, 1.0)]
    cells = assignments.class_cells(room, hours(3))
    assert cells[(ali.id, work.id)].standing.score == pytest.approx(0.5)  # finished: its score follows
    assert gradebook.stale_answers(work) == []
    assert gradebook.regraded_assignment_ids(room) == {work.id}


def test_two_starts_at_once_make_one_attempt(room: Classroom, monkeypatch: pytest.MonkeyPatch) -> None:
    ali = user("ali")
    work = assignments.create_assignment(room, spec(attempts_allowed=1), user("teacher"), T0, random.Random(1))
    first = assignments.start_attempt(ali, work, hours(1), random.Random(1))
    # The second request read the attempts before the first one was saved:
    monkeypatch.setattr(assignments, "attempts_of", lambda assignment, user_id: [])
    second = assignments.start_attempt(ali, work, hours(1), random.Random(2))
    assert second.id == first.id
    assert db.session.query(Attempt).filter_by(assignment_id=work.id, user_id=ali.id).count() == 1
