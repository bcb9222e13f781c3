"""`flask classes demo`: a demo instructor, a class of 30 simulated students who have taken two
assignments and studied flashcards for four weeks, so that a newcomer sees a full gradebook,
item analysis and mastery map at once.

The students and their answers come from `domain.simulation` (seeded); the answers are stored
as real Attempt / AttemptAnswer rows graded by the real question types (so every page shows
real feedback and partial credit), and the reviews as Card / ReviewLog rows computed by the
app's own FSRS scheduler. A second run refuses, saying why.
"""
from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from flask import current_app
from sqlalchemy import insert, select
from werkzeug.security import generate_password_hash

from ..domain import scheduling, simulation as sim
from ..domain.classroom import new_join_code
from ..domain.question_types import grade
from ..extensions import db
from ..models import (Assignment, Attempt, AttemptAnswer, Bank, Card, ClassTeacher, Classroom, Enrollment, Question,
                      ReviewLog, StudyBank, User)
from . import quizzes

TEACHER_EMAIL = "demo.teacher@example.org"
STUDENT_DOMAIN = "students.example.org"
CLASS_NAME = "History 9B (demo)"
CLASS_TERM = "Autumn 2026"
CLASS_ZONE = "Africa/Bamako"
STUDENTS = 30
CHOICE_TYPES = ["mcq", "multi", "truefalse"]
REVIEW_DAYS = 28
DEFAULT_SEED = 2026


@dataclass(frozen=True)
class DemoWork:
    """One assignment of the demo: its bank and how it is set, in days before now."""

    title: str
    bank_id: str
    count: int
    same_set: bool
    opens_days_ago: int
    due_days_ago: int
    attempts_allowed: int


WORK = (
    DemoWork("Who did what: homework", "mali-who-did-what", 12, True, 21, 14, 2),
    DemoWork("Acronyms and organisations: class test", "mali-organisations", 10, False, 9, 2, 1),
)


class DemoError(Exception):
    """The demo cannot be made, with what to do about it."""


@dataclass(frozen=True)
class DemoReport:
    classroom: Classroom
    teacher_email: str
    teacher_password: str
    student_emails: list[str]
    student_password: str
    assignments: list[Assignment]
    attempts: int
    answers: int
    reviews: int


def _hash(password: str) -> str:
    return generate_password_hash(password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))


def _check() -> None:
    if db.session.scalar(select(User.id).where(User.email == TEACHER_EMAIL)) is not None:
        raise DemoError(f"The demo class already exists: log in as {TEACHER_EMAIL} with the password printed "
                        "when it was made. Nothing was changed. (To make it again, start from an empty database.)")
    missing = [w.bank_id for w in WORK if db.session.scalar(
        select(Bank.id).where(Bank.id == w.bank_id, Bank.retired_at.is_(None))) is None]
    if missing:
        raise DemoError(f"The demo uses the bank{'s' if len(missing) > 1 else ''} {', '.join(missing)}, which "
                        "the database does not have: load the bundled banks first with "
                        "`flask --app wsgi banks sync`. Nothing was changed.")


def demo_question(question: Question) -> sim.DemoQuestion:
    """A bank question as the simulation needs it: difficulty, and the keys and distractors of a choice question."""
    data = question.data
    difficulty = question.difficulty if question.difficulty in sim.DIFFICULTY_LOGITS else None
    if question.type == "mcq":
        return sim.DemoQuestion(question.id, difficulty, (data["answer"],), tuple(data["distractors"]))
    if question.type == "multi":
        return sim.DemoQuestion(question.id, difficulty, tuple(data["answers"]), tuple(data["distractors"]))
    if question.type == "truefalse":
        key, other = ("True", "False") if data["answer"] else ("False", "True")
        return sim.DemoQuestion(question.id, difficulty, (key,), (other,))
    return sim.DemoQuestion(question.id, difficulty)


def response_for(question: Question, choices: tuple[str, ...]) -> Any:
    """What the quiz page would have stored for these ticked options."""
    if question.type == "mcq":
        return choices[0] if choices else None
    if question.type == "multi":
        return list(choices)
    if question.type == "truefalse":
        return (choices[0] == "True") if choices else None
    raise ValueError(f"the demo answers choice questions only, not {question.type}")


def _students(roster: list[sim.SimulatedStudent], password_hash: str, classroom: Classroom,
              joined_at: datetime) -> list[User]:
    users = [User(email=f"{s.handle}@{STUDENT_DOMAIN}", password_hash=password_hash, role="learner",
                  created_at=joined_at) for s in roster]
    db.session.add_all(users)
    db.session.flush()
    for student, user in zip(roster, users):
        db.session.add(Enrollment(classroom_id=classroom.id, user_id=user.id, display_name=student.name,
                                  joined_at=joined_at))
    return users


def _take(work: DemoWork, assignment: Assignment, roster: list[sim.SimulatedStudent], users: list[User],
          rng: random.Random, now: datetime) -> tuple[int, int]:
    """The class's simulated attempts at one assignment, stored and graded; (attempts, answers)."""
    ids = list(assignment.question_ids) if assignment.question_ids else quizzes.candidate_ids(
        quizzes.QuizRequest(bank_ids=[work.bank_id], tags=[], types=CHOICE_TYPES, count=work.count))
    questions = {q.id: q for q in db.session.scalars(select(Question).where(Question.id.in_(ids)))}
    items = sim.items(rng, [demo_question(questions[qid]) for qid in ids])
    taken = sim.attempts(rng, roster, items, opens_at=now - timedelta(days=work.opens_days_ago),
                         due_at=now - timedelta(days=work.due_days_ago),
                         draw=None if work.same_set else work.count, attempts_allowed=work.attempts_allowed)
    stored = answers = 0
    for sitting in taken:
        if sitting.finished_at >= now:  # late work that would come after now: not yet
            continue
        stored += 1
        order = [a.question_id for a in sitting.answers]
        rows = []
        for position, simulated in enumerate(sitting.answers):
            question = questions[simulated.question_id]
            response = response_for(question, simulated.choices)
            result = grade(question.type, question.data, response)
            rows.append(AttemptAnswer(question_id=question.id, position=position, response=response,
                                      score=result.score, feedback=list(result.feedback),
                                      answered_at=simulated.answered_at))
        attempt = Attempt(user_id=users[sitting.student].id, mode=assignment.mode, title=assignment.title,
                          question_ids=order, seed=rng.randrange(2**31), started_at=sitting.started_at,
                          finished_at=sitting.finished_at, assignment_id=assignment.id,
                          settings={**assignment.settings, "time_limit_minutes": None, "count": len(order)},
                          score=sum(r.score for r in rows) / len(order) if order else 0.0)
        attempt.answers = rows
        db.session.add(attempt)
        answers += len(rows)
    return stored, answers


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _study(roster: list[sim.SimulatedStudent], users: list[User], bank_ids: list[str], rng: random.Random,
           now: datetime) -> int:
    """Four weeks of flashcard reviews of the demo banks' questions; returns the review count."""
    questions = list(db.session.scalars(select(Question).where(
        Question.bank_id.in_(bank_ids), Question.retired_at.is_(None)).order_by(Question.bank_id, Question.position)))
    start = now - timedelta(days=REVIEW_DAYS)
    for user in users:
        for bank_id in bank_ids:
            db.session.add(StudyBank(user_id=user.id, bank_id=bank_id, added_at=start))
    return store_reviews(roster, users, questions, rng, start, now)


def store_reviews(roster: list[sim.SimulatedStudent], users: list[User], questions: list[Question],
                  rng: random.Random, start: datetime, now: datetime) -> int:
    """Simulated flashcard histories of these questions from `start` to `now`, stored as Card and
    ReviewLog rows (one student of the roster per user; not committed); returns the review count."""
    cards = sim.items(rng, [demo_question(q) for q in questions])
    sched = scheduling.scheduler()
    total = 0
    for student, user in zip(roster, users):
        history = sim.reviews(rng, student, cards, start=start, now=now, sched=sched)
        if not history:
            continue
        by_card: dict[str, list[sim.SimulatedReview]] = {}
        for review in history:
            by_card.setdefault(review.question_id, []).append(review)
        rows: dict[str, Card] = {}
        for qid, reviews in by_card.items():
            last = reviews[-1]
            lapses = sum(1 for r in reviews if r.rating == 1 and r.status_before == "review")
            rows[qid] = Card(user_id=user.id, question_id=qid, state=last.after.state, reps=len(reviews),
                             lapses=lapses, due_at=last.after.due, last_review_at=last.reviewed_at,
                             stability=last.after.stability, created_at=reviews[0].reviewed_at,
                             status=last.after.status, suspended=False, version=len(reviews))
        db.session.add_all(rows.values())
        db.session.flush()
        logs = []
        for qid, reviews in by_card.items():
            before: dict[str, Any] = {"state": {}, "reps": 0, "lapses": 0, "due_at": None, "last_review_at": None,
                                      "stability": None, "status": "new", "version": 0}
            for review in reviews:
                logs.append({"user_id": user.id, "card_id": rows[qid].id, "question_id": qid, "rating": review.rating,
                             "reviewed_at": review.reviewed_at, "source": "study", "duration_ms": None,
                             "status_before": review.status_before, "card_before": before,
                             "version_before": before["version"], "undone_at": None})
                before = {"state": review.after.state, "reps": before["reps"] + 1,
                          "lapses": before["lapses"] + (review.rating == 1 and review.status_before == "review"),
                          "due_at": _iso(review.after.due), "last_review_at": _iso(review.reviewed_at),
                          "stability": review.after.stability, "status": review.after.status,
                          "version": before["version"] + 1}
        db.session.execute(insert(ReviewLog), logs)
        total += len(logs)
    return total


def _assignment(classroom: Classroom, teacher: User, work: DemoWork, rng: random.Random, now: datetime) -> Assignment:
    """One demo assignment, set the day before it opened (not committed: the demo is one transaction)."""
    candidates = quizzes.candidate_ids(quizzes.QuizRequest(bank_ids=[work.bank_id], tags=[], types=CHOICE_TYPES,
                                                           count=work.count))
    if len(candidates) < work.count:
        raise DemoError(f"The bank {work.bank_id} has {len(candidates)} choice questions; the demo needs {work.count}.")
    drawn = set(rng.sample(candidates, work.count)) if work.same_set else set()
    assignment = Assignment(
        classroom_id=classroom.id, kind="quiz", title=work.title, bank_ids=[work.bank_id], tags=[],
        types=CHOICE_TYPES, picked_ids=None, count=work.count, same_set=work.same_set,
        question_ids=[qid for qid in candidates if qid in drawn] if work.same_set else None, shuffle=False,
        mode="test", time_limit_minutes=None, opens_at=now - timedelta(days=work.opens_days_ago),
        due_at=now - timedelta(days=work.due_days_ago), attempts_allowed=work.attempts_allowed, counting="best",
        late_policy="accept", reveal="after_due", created_by=teacher.id,
        created_at=now - timedelta(days=work.opens_days_ago + 1))
    db.session.add(assignment)
    db.session.flush()
    return assignment


def make_demo(now: datetime, seed: int = DEFAULT_SEED, students: int = STUDENTS) -> DemoReport:
    """The demo instructor, class, students, two assignments taken and four weeks of reviews,
    in one transaction (nothing is stored if any step fails); raises DemoError (changing nothing) when it exists or banks are missing."""
    if now.tzinfo is None or now.utcoffset() != timedelta(0):
        raise ValueError("give now in UTC")
    now = now.astimezone(timezone.utc)
    _check()
    rng = random.Random(seed)
    teacher_password = secrets.token_urlsafe(12)
    student_password = secrets.token_urlsafe(9)
    created = now - timedelta(days=REVIEW_DAYS + 2)
    try:
        teacher = User(email=TEACHER_EMAIL, password_hash=_hash(teacher_password), role="instructor",
                       created_at=created)
        db.session.add(teacher)
        db.session.flush()
        classroom = Classroom(name=CLASS_NAME, term=CLASS_TERM, timezone=CLASS_ZONE, owner_id=teacher.id,
                              join_code=new_join_code(rng, db.session.scalars(select(Classroom.join_code))),
                              created_at=created)
        classroom.teachers.append(ClassTeacher(user_id=teacher.id, added_at=created))
        db.session.add(classroom)
        db.session.flush()
        roster = sim.students(rng, students)
        users = _students(roster, _hash(student_password), classroom, created)
        made, attempts, answers = [], 0, 0
        for work in WORK:
            assignment = _assignment(classroom, teacher, work, rng, now)
            made.append(assignment)
            taken, given = _take(work, assignment, roster, users, rng, now)
            attempts, answers = attempts + taken, answers + given
        reviews = _study(roster, users, [w.bank_id for w in WORK], rng, now)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return DemoReport(classroom, TEACHER_EMAIL, teacher_password, [u.email or "" for u in users], student_password,
                      made, attempts, answers, reviews)
