"""Classes: their teachers and students, assignments, and score overrides."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow


class Classroom(db.Model):
    """A class an instructor teaches; students join it with its code."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    term: Mapped[str] = mapped_column(String(100), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    joining_open: Mapped[bool] = mapped_column(Boolean, default=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    teachers: Mapped[list["ClassTeacher"]] = relationship(cascade="all, delete-orphan")
    enrollments: Mapped[list["Enrollment"]] = relationship(cascade="all, delete-orphan",
                                                          order_by="Enrollment.display_name")
    assignments: Mapped[list["Assignment"]] = relationship(
        cascade="all, delete-orphan", order_by="Assignment.id")


class ClassTeacher(db.Model):
    """An instructor who teaches a class (its owner or a co-teacher): same rights."""

    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Enrollment(db.Model):
    """A student in a class, with the name their teachers see."""

    __table_args__ = (UniqueConstraint("classroom_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    display_name: Mapped[str] = mapped_column(String(200))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Assignment(db.Model):
    """Work set for a class: a quiz drawn from banks/tags/types or picked questions, or
    a number of flashcards to study. Times are stored in UTC, shown in the class's zone."""

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default="quiz")  # quiz | cards
    title: Mapped[str] = mapped_column(String(300))
    bank_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    types: Mapped[list[str]] = mapped_column(JSON, default=list)
    picked_ids: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)  # hand-picked questions
    count: Mapped[int] = mapped_column(Integer, default=10)
    same_set: Mapped[bool] = mapped_column(Boolean, default=True)
    question_ids: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)  # the drawn set when same_set
    shuffle: Mapped[bool] = mapped_column(Boolean, default=True)
    # False: choice options in a fixed order (alphabetical) rather than shuffled per attempt
    shuffle_options: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    mode: Mapped[str] = mapped_column(String(10), default="test")  # practice | test
    time_limit_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    attempts_allowed: Mapped[int | None] = mapped_column(Integer, nullable=True)  # None: unlimited
    counting: Mapped[str] = mapped_column(String(10), default="best")  # best | last | mean
    late_policy: Mapped[str] = mapped_column(String(10), default="accept")  # accept | refuse
    reveal: Mapped[str] = mapped_column(String(12), default="after_due")  # immediately | after_due | never
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    classroom: Mapped[Classroom] = relationship(back_populates="assignments")

    @property
    def settings(self) -> dict[str, Any]:
        """What the attempt engine needs to know about this assignment."""
        return {"assignment_id": self.id, "reveal": self.reveal,
                "due_at": self.due_at.isoformat() if self.due_at else None}


class ScoreOverride(db.Model):
    """A teacher's score for one student on one assignment, replacing the computed one."""

    __table_args__ = (UniqueConstraint("assignment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float)
    comment: Mapped[str] = mapped_column(Text, default="")
    set_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Regrade(db.Model):
    """A teacher's regrade of an assignment's answers after questions changed: which
    scores moved, kept so that the gradebook can show it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"), index=True)
    done_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    done_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answers_checked: Mapped[int] = mapped_column(Integer, default=0)
    # [{"answer_id", "attempt_id", "user_id", "question_id", "before", "after"}] for scores that moved
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
