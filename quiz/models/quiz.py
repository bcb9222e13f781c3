"""Quiz attempts and the answers given in them."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow


class Attempt(db.Model):
    """One quiz taken by one learner: its questions, in order, and its settings."""

    # A learner has at most one unfinished attempt per class assignment (a double "Start" makes one).
    __table_args__ = (Index("uq_attempt_open_assignment", "assignment_id", "user_id", unique=True,
                            sqlite_where=text("finished_at IS NULL"), postgresql_where=text("finished_at IS NULL")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    mode: Mapped[str] = mapped_column(String(10))  # practice | test
    title: Mapped[str] = mapped_column(String(300))
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    question_ids: Mapped[list[str]] = mapped_column(JSON)
    seed: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    # Set when the attempt is a class assignment's (quiz/services/assignments.py).
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignment.id", ondelete="SET NULL"), nullable=True, index=True)

    answers: Mapped[list["AttemptAnswer"]] = relationship(
        back_populates="attempt", order_by="AttemptAnswer.position", cascade="all, delete-orphan")


class AttemptAnswer(db.Model):
    """The first answer to one question of an attempt; a second submission is ignored."""

    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(ForeignKey("question.id"))
    position: Mapped[int] = mapped_column(Integer)
    response: Mapped[Any] = mapped_column(JSON, nullable=True)
    score: Mapped[float] = mapped_column(Float)
    feedback: Mapped[list[str]] = mapped_column(JSON, default=list)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    attempt: Mapped[Attempt] = relationship(back_populates="answers")
