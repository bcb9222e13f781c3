"""Insights through the services: item analysis of an assignment (its figures equal
domain.item_analysis.analyse on the same answers), bank lint across classes, class mastery
from Card and ReviewLog rows, and the demo class."""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator

import pytest
from flask import Flask
from sqlalchemy import func, select

from quiz.domain import item_analysis as ia, scheduling
from quiz.extensions import db
from quiz.models import Assignment, Attempt, Bank, Card, Classroom, Enrollment, User
from quiz.services import accounts, assignments, authoring, classes, demo, item_analysis, mastery_map, quizzes, studying
from quiz.services.assignments import AssignmentSpec
from quiz.services.banks import sync_banks

from .test_bank_sync import EXAMPLES

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
CHOICE = ["ex-mcq", "ex-multi", "ex-truefalse", "ex-short"]
KEYS = {"ex-mcq": ("Konna",), "ex-multi": ("AQIM", "MUJAO", "Ansar Dine"), "ex-truefalse": ("True",)}

# What five students answer, in quiz order (None: left unanswered), and the mark each answer earns
# by the bank's rules (multi: right picks − wrong picks over 3 keys; "Serval" stands for the short answer, Sévaré).
#            mcq            multi                              truefalse  short
ANSWERS: dict[str, list[Any]] = {
    "ali":    ["Konna",  ["AQIM", "MUJAO", "Ansar Dine"],         True,  "Serval"],
    "bintou": ["konna ", ["AQIM", "MUJAO"],                        True,  "nothing"],
    "chaka":  ["Gao",    ["AQIM", "MNLA"],                          False, "Serval"],
    "dado":   ["Gao",    [],                                        False, "nothing"],
    "enzo":   [None,     ["AQIM", "MUJAO", "Ansar Dine", "MNLA"],  True,  None],
}
MARKS = {
    "ali": [1, 1, 1, 1], "bintou": [1, 2 / 3, 1, 0], "chaka": [0, 0, 0, 1], "dado": [0, 0, 0, 0],
    "enzo": [0, 2 / 3, 1, 0],
}
CHOSEN = {  # options as the bank writes them
    "ali": [("Konna",), ("AQIM", "MUJAO", "Ansar Dine"), ("True",)],
    "bintou": [("Konna",), ("AQIM", "MUJAO"), ("True",)],
    "chaka": [("Gao",), ("AQIM", "MNLA"), ("False",)],
    "dado": [("Gao",), (), ("False",)],
    "enzo": [(), ("AQIM", "MUJAO", "Ansar Dine", "MNLA"), ("True",)],
}


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    with app.app_context():
        sync_banks([EXAMPLES], T0)
        yield


def _short_answer() -> str:
    question = db.session.get(quizzes.Question, "ex-short")
    assert question is not None
    return str(question.data["answer"])


@pytest.fixture
def room(ctx: None) -> Classroom:
    teacher = accounts.create_user("teacher@example.org", "password123", "instructor")
    classroom = classes.create_class(teacher, "History 9B", "", "UTC", T0, random.Random(1))
    for name in ANSWERS:
        classes.join(accounts.create_user(f"{name}@example.org", "password123"), classroom.join_code, name.title(), T0)
    return classroom


def _user(name: str) -> User:
    return db.session.scalars(select(User).where(User.email == f"{name}@example.org")).one()


def _set(room: Classroom, **values: Any) -> Assignment:
    teacher = _user("teacher")
    spec = AssignmentSpec(**{"title": "Konna", "picked_ids": CHOICE, "count": 4, "shuffle": False,
                             "attempts_allowed": None, **values})
    return assignments.create_assignment(room, spec, teacher, T0, random.Random(2))


def _take(assignment: Assignment, name: str, responses: list[Any], at: datetime, finish: bool = True) -> Attempt:
    """A student takes the assignment through the quiz engine (None: the question is skipped)."""
    attempt = assignments.start_attempt(_user(name), assignment, at, random.Random(3))
    short = _short_answer()
    for position, qid in enumerate(attempt.question_ids):
        response = responses[CHOICE.index(qid)]
        if response is None:
            continue
        if qid == "ex-short":
            response = short if response == "Serval" else response
        quizzes.submit_answer(attempt, position, response, at)
    if finish:
        quizzes.finish(attempt, at)
    return attempt


def _expected(names: list[str]) -> ia.ItemAnalysis:
    """The same answers written out by hand, through the domain directly."""
    attempts = [ia.Attempt(tuple(
        ia.Response(qid, MARKS[name][i], choices=CHOSEN[name][i] if i < 3 else ()) for i, qid in enumerate(CHOICE)))
        for name in names]
    items = [ia.Item("ex-mcq", options=("Konna", "Gao", "Kidal", "Tessalit"), keys=KEYS["ex-mcq"]),
             ia.Item("ex-multi", options=("AQIM", "MUJAO", "Ansar Dine", "MNLA", "Boko Haram"), keys=KEYS["ex-multi"]),
             ia.Item("ex-truefalse", options=("True", "False"), keys=KEYS["ex-truefalse"]), ia.Item("ex-short")]
    return ia.analyse(attempts, items)


def _same(got: ia.ItemAnalysis, expected: ia.ItemAnalysis) -> None:
    for field in expected.quiz.__dataclass_fields__:
        assert getattr(got.quiz, field) == pytest.approx(getattr(expected.quiz, field)), field
    assert [q.question_id for q in got.questions] == [q.question_id for q in expected.questions]
    for mine, theirs in zip(got.questions, expected.questions):
        for field in ("attempts", "facility", "standard_deviation", "discrimination_index",
                      "discriminative_efficiency", "unanswered"):
            assert getattr(mine, field) == pytest.approx(getattr(theirs, field)), (mine.question_id, field)
        assert [(o.option, o.key, o.count) for o in mine.options] == [(o.option, o.key, o.count) for o in theirs.options]


def test_assignment_figures_equal_the_domains_on_the_same_answers(room: Classroom) -> None:
    work = _set(room)
    for hour, (name, responses) in enumerate(ANSWERS.items()):
        _take(work, name, responses, T0 + timedelta(hours=hour + 1))
    result = item_analysis.analyse_assignment(work)
    _same(result.analysis, _expected(list(ANSWERS)))
    assert result.students == 5 and result.in_progress == 0 and not result.random_draw
    mcq = result.analysis.questions[0]
    # "konna " was typed loosely and counts for the option as the bank writes it; enzo skipped it
    assert [(o.option, o.count) for o in mcq.options] == [("Konna", 2), ("Gao", 2), ("Kidal", 0), ("Tessalit", 0)]
    assert mcq.unanswered == 1 and mcq.facility == pytest.approx(0.4)
    assert result.analysis.quiz.mean == pytest.approx((4 + 8 / 3 + 1 + 0 + 5 / 3) / 5)  # the rows of MARKS


def test_first_attempts_by_default_all_on_request_and_unfinished_ones_left_out(room: Classroom) -> None:
    work = _set(room)
    _take(work, "ali", ANSWERS["dado"], T0 + timedelta(hours=1))  # ali's first go: all wrong
    _take(work, "ali", ANSWERS["ali"], T0 + timedelta(hours=2))  # then all right
    _take(work, "bintou", ANSWERS["bintou"], T0 + timedelta(hours=1))
    _take(work, "chaka", [*ANSWERS["chaka"][:3], None], T0 + timedelta(hours=1), finish=False)  # still going
    first = item_analysis.analyse_assignment(work)
    assert first.analysis.quiz.attempts == 2 and first.in_progress == 1
    _same(first.analysis, _expected(["dado", "bintou"]))
    every = item_analysis.analyse_assignment(work, "all")
    assert every.analysis.quiz.attempts == 3 and every.students == 2
    _same(every.analysis, _expected(["dado", "ali", "bintou"]))
    with pytest.raises(ValueError, match="first, all"):
        item_analysis.analyse_assignment(work, "best")


def test_a_student_who_left_the_class_is_not_counted(room: Classroom) -> None:
    work = _set(room)
    for name in ("ali", "bintou", "chaka"):
        _take(work, name, ANSWERS[name], T0 + timedelta(hours=1))
    classes.leave(_user("chaka"), room)
    _same(item_analysis.analyse_assignment(work).analysis, _expected(["ali", "bintou"]))


def test_a_random_draw_takes_each_position_as_an_item(room: Classroom) -> None:
    work = _set(room, same_set=False, count=2, picked_ids=None, bank_ids=["examples"],
                types=["mcq", "multi", "truefalse", "short"])
    for hour, name in enumerate(ANSWERS):
        _take(work, name, ANSWERS[name], T0 + timedelta(hours=hour + 1))
    result = item_analysis.analyse_assignment(work)
    assert result.random_draw and result.analysis.quiz.items == 2  # two positions, whatever was drawn
    assert [q.question_id for q in result.analysis.questions] == \
        [qid for qid in CHOICE if any(q.question_id == qid for q in result.analysis.questions)]  # bank order
    assert sum(q.attempts for q in result.analysis.questions) == 10


def test_figures_are_plain_json_values(room: Classroom) -> None:
    work = _set(room)
    _take(work, "ali", ANSWERS["ali"], T0 + timedelta(hours=1))
    data = item_analysis.figures(item_analysis.analyse_assignment(work))
    assert data["quiz"]["attempts"] == 1 and data["quiz"]["standard_deviation"] is None  # one attempt: no spread
    assert data["questions"][0]["options"][0] == {"option": "Konna", "key": True, "count": 1, "share": 1.0}


# --- bank lint -----------------------------------------------------------------------

def _many_attempts(room: Classroom, count: int, at: datetime, prefix: str = "ex") -> Assignment:
    """`count` finished attempts stored directly: everyone right on mcq (with Konna), wrong on true/false
    (the questions `<prefix>-mcq` and `<prefix>-truefalse`)."""
    mcq, truefalse = f"{prefix}-mcq", f"{prefix}-truefalse"
    work = _set(room, picked_ids=[mcq, truefalse], count=2)
    for index in range(count):
        user = User(email=f"many-{index}@example.org", password_hash="x", role="learner")
        db.session.add(user)
        db.session.flush()
        db.session.add(Enrollment(classroom_id=room.id, user_id=user.id, display_name=f"Many {index}", joined_at=at))
        attempt = Attempt(user_id=user.id, mode="test", title="Konna", question_ids=[mcq, truefalse],
                          seed=index, started_at=at, finished_at=at, score=0.5, assignment_id=work.id)
        attempt.answers = [quizzes.AttemptAnswer(question_id=mcq, position=0, response="Konna", score=1.0,
                                                 feedback=[], answered_at=at),
                           quizzes.AttemptAnswer(question_id=truefalse, position=1, response=index % 5 == 0,
                                                 score=1.0 if index % 5 == 0 else 0.0, feedback=[], answered_at=at)]
        db.session.add(attempt)
    db.session.commit()
    return work


def _line_of(question_id: str) -> int:
    lines = Path(EXAMPLES).read_text(encoding="utf-8").splitlines()
    return next(i + 1 for i, line in enumerate(lines) if line.strip() == f"- id: {question_id}")


def test_bank_lint_names_the_question_its_file_and_line(room: Classroom, app: Flask) -> None:
    bank = db.session.get(Bank, "examples")
    assert bank is not None
    quiet = item_analysis.bank_lint(bank, str(app.config["BANKS_DIR"]))
    assert quiet.answers == 0 and quiet.findings == ()
    _many_attempts(room, 30, T0)
    found = item_analysis.bank_lint(bank, str(app.config["BANKS_DIR"]))
    assert found.answers == 60 and found.questions_answered == 2 and found.classes == 1
    by_question = {f.question.id: f for f in found.findings}
    mcq = by_question["ex-mcq"]
    assert [r.message for r in mcq.remarks] == [
        "facility 1.00: too easy (30 answers)",
        "distractor 'Gao' chosen by nobody in 30 answers",
        "distractor 'Kidal' chosen by nobody in 30 answers",
        "distractor 'Tessalit' chosen by nobody in 30 answers"]
    assert str(mcq.place) == f"questions/examples/every-type.yaml:{_line_of('ex-mcq')}"
    tf = by_question["ex-truefalse"]
    assert "distractor 'False' chosen more often than the key (24 against 6 of 30 answers): check the key" in \
        [r.message for r in tf.remarks]


def test_bank_lint_gives_a_web_bank_the_lines_of_its_published_text(room: Classroom, app: Flask) -> None:
    # a web bank's text is stored in the database: its lines are those of the published version
    text = Path(EXAMPLES).read_text(encoding="utf-8").replace("id: examples", "id: web-ex") \
        .replace("id: ex-", "id: we-").replace("questions:\n", "questions:\n  # an author's comment\n\n", 1)
    teacher = _user("teacher")
    assert authoring.create_draft_bank(teacher, text, T0) == ("web-ex", [])
    assert authoring.publish(teacher, "web-ex", T0).version is not None
    authoring.save_draft(teacher, "web-ex", "# a draft saved since, not what learners answered\n" + text, T0)
    _many_attempts(room, 30, T0, prefix="we")
    lint = item_analysis.lint_for_bank("web-ex", str(app.config["BANKS_DIR"]))
    assert lint is not None
    lines = text.splitlines()
    assert {f.question.id: str(f.place) for f in lint.findings} == {
        qid: f"web-ex.yaml:{lines.index(f'  - id: {qid}') + 1}" for qid in ("we-mcq", "we-truefalse")}


def test_bank_lint_waits_for_enough_answers_and_says_the_file_when_the_line_is_unknown(room: Classroom) -> None:
    _many_attempts(room, 29, T0)
    bank = db.session.get(Bank, "examples")
    assert bank is not None
    assert item_analysis.bank_lint(bank).findings == ()  # 29 answers: below the 30 needed
    bank.path = "/nowhere/every-type.yaml"  # the file has moved since it was synced
    found = item_analysis.bank_lint(bank, min_answers=29)
    assert found.findings and all(f.place.line is None and str(f.place) == "/nowhere/every-type.yaml"
                                  for f in found.findings)
    assert item_analysis.lint_for_bank("no-such-bank") is None


# --- class mastery -------------------------------------------------------------------

def test_class_mastery_from_cards_and_reviews(room: Classroom) -> None:
    _set(room)
    now = T0 + timedelta(days=10)
    ali, bintou = _user("ali"), _user("bintou")
    # ali reviews two cards over the days; one of them is overdue now
    for day, qid, rating in ((0, "ex-mcq", 3), (1, "ex-multi", 3), (5, "ex-mcq", 3), (9, "ex-multi", 1)):
        studying.apply_review(ali.id, qid, rating, T0 + timedelta(days=day), source="study")
    db.session.commit()
    # bintou reviewed once, then undid it: not counted this week, the card is back to new
    studying.apply_review(bintou.id, "ex-truefalse", 3, now - timedelta(hours=1), source="study")
    db.session.commit()
    studying.undo_last(bintou.id, now - timedelta(minutes=30))

    result = mastery_map.class_mastery(room, now)
    assert result.by == "bank" and [t.key for t in result.topics] == ["examples"]
    rows = {row.name: row for row in result.map.rows}
    cell = rows["Ali"].cells[0]
    sched = scheduling.scheduler()
    cards = db.session.scalars(select(Card).where(Card.user_id == ali.id)).all()
    expected = [scheduling.retrievability_at(c.stability, c.last_review_at, now, sched) for c in cards]
    assert cell.studied == 2 and cell.mean_recall == pytest.approx(sum(expected) / 2)
    assert cell.overdue == sum(1 for c in cards if c.due_at < now)
    assert cell.reviews_this_week == 2  # days 5 and 9 (days 0 and 1 are more than 7 days before now)
    assert cell.cards == 10  # the example bank's questions
    assert not rows["Bintou"].cells[0].started and rows["Bintou"].cells[0].reviews_this_week == 0
    summary = result.map.summaries[0]
    assert summary.started == 1 and set(summary.not_started) == {"Bintou", "Chaka", "Dado", "Enzo"}


def test_class_mastery_by_tag_and_an_empty_class(room: Classroom, ctx: None) -> None:
    _set(room)
    by_tag = mastery_map.class_mastery(room, T0, "tag")
    assert by_tag.by == "tag" and by_tag.topics and all(t.title.startswith("#") for t in by_tag.topics)
    assert all(not cell.started for row in by_tag.map.rows for cell in row.cells)
    teacher = _user("teacher")
    empty = classes.create_class(teacher, "Empty", "", "UTC", T0, random.Random(5))
    nothing = mastery_map.class_mastery(empty, T0)
    assert nothing.topics == () and nothing.map.rows == ()


# --- the demo class ------------------------------------------------------------------

def test_the_demo_needs_the_banks_and_changes_nothing_without_them(ctx: None) -> None:
    with pytest.raises(demo.DemoError, match="banks sync"):
        demo.make_demo(T0)
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    assert db.session.scalar(select(func.count()).select_from(Classroom)) == 0
