"""After a published version changes answer keys: which answers it touches, and regrading them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from ..domain.question_types import grade
from ..extensions import db
from ..models import Assignment, Attempt, AttemptAnswer, Question, User
from . import gradebook


def answered_questions(question_ids: list[str], before: datetime) -> list[str]:
    """The ones of question_ids that some learner answered before the given time."""
    if not question_ids:
        return []
    return sorted(set(db.session.scalars(select(AttemptAnswer.question_id).where(
        AttemptAnswer.question_id.in_(question_ids), AttemptAnswer.answered_at < before))))


@dataclass
class Affected:
    """Answers given before their question last changed: how many, in how many attempts,
    and the class assignments they belong to."""

    answers: int
    attempts: int
    assignments: list[Assignment]


def _stale(question_ids: list[str]) -> list[AttemptAnswer]:
    if not question_ids:
        return []
    return list(db.session.scalars(
        select(AttemptAnswer).join(Question, Question.id == AttemptAnswer.question_id)
        .where(AttemptAnswer.question_id.in_(question_ids), Question.updated_at > AttemptAnswer.answered_at)
        .order_by(AttemptAnswer.id)))


def affected(question_ids: list[str]) -> Affected:
    """The answers to these questions that were given before the question last changed."""
    stale = _stale(question_ids)
    assignment_ids = {a.attempt.assignment_id for a in stale if a.attempt.assignment_id is not None}
    assignments = list(db.session.scalars(select(Assignment).where(Assignment.id.in_(assignment_ids))
                                          .order_by(Assignment.id))) if assignment_ids else []
    return Affected(len(stale), len({a.attempt_id for a in stale}), assignments)


def regrade_questions(question_ids: list[str], by: User, now: datetime) -> int:
    """Grade again, with the questions as they are now, the answers given before they changed:
    a class assignment's through the gradebook's regrade (its teachers see it there), a
    learner's own quizzes in place. Returns the number of answers whose score moved."""
    stale = _stale(question_ids)
    moved = 0
    assignment_ids = sorted({a.attempt.assignment_id for a in stale if a.attempt.assignment_id is not None})
    for assignment in db.session.scalars(select(Assignment).where(Assignment.id.in_(assignment_ids))):
        moved += len(gradebook.regrade(assignment, by, now).changes)
    own = [a for a in stale if a.attempt.assignment_id is None]
    questions = {q.id: q for q in db.session.scalars(select(Question).where(Question.id.in_(question_ids)))}
    touched: dict[int, Attempt] = {}
    for answer in own:
        question = questions[answer.question_id]
        result = grade(question.type, question.data, answer.response)
        if abs(result.score - answer.score) > 1e-9:
            moved += 1
        answer.score, answer.feedback = result.score, list(result.feedback)
        touched[answer.attempt_id] = answer.attempt
    for attempt in touched.values():
        if attempt.finished_at is not None and attempt.question_ids:
            attempt.score = sum(a.score for a in attempt.answers) / len(attempt.question_ids)
    db.session.commit()
    return moved


def answered_count(question_ids: list[str]) -> int:
    """How many answers these questions have had."""
    if not question_ids:
        return 0
    return db.session.scalar(select(func.count()).select_from(AttemptAnswer)
                             .where(AttemptAnswer.question_id.in_(question_ids))) or 0
