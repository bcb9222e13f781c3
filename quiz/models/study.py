"""A learner's study state: banks on their list, their memory of each question (FSRS
cards), the append-only review log, their settings and their fitted parameters."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow


class StudyBank(db.Model):
    """A bank a learner has added to their study list."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    bank_id: Mapped[str] = mapped_column(ForeignKey("bank.id"), primary_key=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Card(db.Model):
    """A learner's memory of one question: FSRS state, next due time, and a version
    that every review bumps (two tabs grading the same card cannot both win)."""

    __table_args__ = (
        UniqueConstraint("user_id", "question_id"),
        Index("ix_card_user_due", "user_id", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(ForeignKey("question.id"), index=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reps: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    last_review_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    stability: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default="new")  # new|learning|review|relearning
    suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    buried_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


class ReviewLog(db.Model):
    """One review, appended when it happens, with the card as it was just before it.

    Undo restores that snapshot and marks the entry `undone_at`; nothing is deleted.
    """

    __table_args__ = (Index("ix_review_log_user_reviewed", "user_id", "reviewed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    card_id: Mapped[int] = mapped_column(ForeignKey("card.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(ForeignKey("question.id"))
    rating: Mapped[int] = mapped_column(Integer)  # 1 Again, 2 Hard, 3 Good, 4 Easy
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(10), default="study")  # study | quiz
    duration_ms: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status_before: Mapped[str] = mapped_column(String(20))  # new | learning | review | relearning
    card_before: Mapped[dict[str, Any]] = mapped_column(JSON)  # snapshot of the Card row's columns
    version_before: Mapped[int] = mapped_column(Integer)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class LearnerSettings(db.Model):
    """A learner's study settings; defaults apply until they change them."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    desired_retention: Mapped[float] = mapped_column(Float, default=0.9)
    new_per_day: Mapped[int] = mapped_column(Integer, default=20)
    reviews_per_day: Mapped[int] = mapped_column(Integer, default=200)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    day_cutoff_hour: Mapped[int] = mapped_column(Integer, default=4)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ParameterSet(db.Model):
    """FSRS parameters fitted to one learner's history; the active one schedules their
    cards, earlier ones are kept."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    parameters: Mapped[list[float]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    review_count: Mapped[int] = mapped_column(Integer)
    log_loss_before: Mapped[float] = mapped_column(Float)
    rmse_before: Mapped[float] = mapped_column(Float)
    log_loss_after: Mapped[float] = mapped_column(Float)
    rmse_after: Mapped[float] = mapped_column(Float)
    adopted: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=False)
