"""A learner's memory of each question, shared by quizzes and flashcards (FSRS-6).

The seam quizzes use: `record_quiz_answer`. The flashcard issue builds the study loop,
review log, undo and per-learner parameters on the same `Card` rows.
"""
from __future__ import annotations

from datetime import datetime

import fsrs
from sqlalchemy import select

from ..extensions import db
from ..models import Card


def record_quiz_answer(user_id: int, question_id: str, correct: bool, now: datetime) -> Card:
    """Update the learner's card for a question from a quiz answer: right → Good, wrong → Again.

    The caller commits, so the answer and the card change land together.
    """
    card = db.session.scalar(select(Card).where(Card.user_id == user_id, Card.question_id == question_id))
    if card is None:
        card = Card(user_id=user_id, question_id=question_id, state={}, reps=0, created_at=now)
        db.session.add(card)
    current = fsrs.Card.from_dict(card.state) if card.state else fsrs.Card(due=now)
    rating = fsrs.Rating.Good if correct else fsrs.Rating.Again
    updated, _log = fsrs.Scheduler().review_card(current, rating, now)
    card.state = updated.to_dict()
    card.due_at = updated.due
    card.reps = (card.reps or 0) + 1
    card.status = {fsrs.State.Learning: "learning", fsrs.State.Review: "review",
                   fsrs.State.Relearning: "relearning"}[updated.state]
    return card
