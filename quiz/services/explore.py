"""The reference views (timeline, glossary, who's who, places) from the stored banks, and a quiz on one entry."""
from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime

from sqlalchemy import select

from ..domain.reference import Reference, StoredQuestion, build
from ..extensions import db
from ..models import Attempt, Bank, Question, QuestionTag, User
from . import quizzes
from .sharing import visible_banks

QUIZ_SIZE = 10


def _public_banks() -> list[Bank]:
    """The banks whose entries everyone may read: the active file banks and public web banks
    (a private or class-only web bank never shows here, whoever asks)."""
    return list(db.session.scalars(select(Bank).where(Bank.retired_at.is_(None), visible_banks(None))
                                   .order_by(Bank.title)))


def reference() -> Reference:
    """Every entry of the public banks, merged across banks, with the questions about it."""
    banks = _public_banks()
    bank_ids = [b.id for b in banks]
    rows = db.session.execute(
        select(Question.id, Question.bank_id, Question.source_id, Question.data)
        .where(Question.retired_at.is_(None), Question.bank_id.in_(bank_ids))
        .order_by(Question.bank_id, Question.position)).all()
    tags: dict[str, list[str]] = defaultdict(list)
    for question_id, tag in db.session.execute(
            select(QuestionTag.question_id, QuestionTag.tag).join(Question)
            .where(Question.retired_at.is_(None), Question.bank_id.in_(bank_ids))):
        tags[question_id].append(tag)
    questions = [StoredQuestion(r.id, r.bank_id, r.source_id, tuple(sorted(tags[r.id])), r.data) for r in rows]
    return build(questions, {b.id: b.sources for b in banks}, {b.id: b.title for b in banks})


class NoSuchEntry(LookupError):
    """No public bank has an entry with this key (or no question is about it)."""


def quiz_on(user: User, key: str, now: datetime, rng: random.Random) -> Attempt:
    """A practice quiz of up to QUIZ_SIZE questions about one entry; NoSuchEntry if there is none."""
    entry = reference().entries.get(key)
    if entry is None or not entry.question_ids:
        raise NoSuchEntry(key)
    chosen = rng.sample(entry.question_ids, min(QUIZ_SIZE, len(entry.question_ids)))
    request = quizzes.QuizRequest([], [], [], question_ids=chosen, title=f"About {entry.name}")
    return quizzes.start_quiz(user, request, now, rng)


def entry_questions(key: str) -> tuple[str, tuple[str, ...]] | None:
    """An entry's name and the questions about it (a study deck), or None when there is no such entry."""
    entry = reference().entries.get(key)
    return (entry.name, tuple(entry.question_ids)) if entry is not None else None
