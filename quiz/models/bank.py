"""Banks and their questions, as loaded from YAML files."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow


class Bank(db.Model):
    """A question bank; its id is the one written in its YAML file. Its origin is "file" (a
    YAML file under questions/, synced by `flask banks sync`) or "web" (written in the app, see
    models/authoring.py; these rows then hold its published version)."""

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    origin: Mapped[str] = mapped_column(String(10), default="file", server_default="file")
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(20))
    sources: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    path: Mapped[str] = mapped_column(String(1000))
    content_hash: Mapped[str] = mapped_column(String(64))
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    questions: Mapped[list["Question"]] = relationship(back_populates="bank", order_by="Question.position")


class Question(db.Model):
    """One question; its id is stable across edits so progress stays attached to it."""

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    bank_id: Mapped[str] = mapped_column(ForeignKey("bank.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    type: Mapped[str] = mapped_column(String(20))
    prompt: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    explanation: Mapped[str] = mapped_column(Text)
    source_id: Mapped[str] = mapped_column(String(100))
    paragraph: Mapped[int] = mapped_column(Integer)
    difficulty: Mapped[str | None] = mapped_column(String(10), nullable=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)

    bank: Mapped[Bank] = relationship(back_populates="questions")
    tags: Mapped[list["QuestionTag"]] = relationship(
        cascade="all, delete-orphan", order_by="QuestionTag.tag")

    @property
    def tag_names(self) -> list[str]:
        return [t.tag for t in self.tags]

    @property
    def source(self) -> dict[str, Any]:
        """The cited source's details (title, publisher, date…), from the bank."""
        return self.bank.sources.get(self.source_id, {})


class QuestionTag(db.Model):
    """A tag of a question (the bank's default tags included)."""

    question_id: Mapped[str] = mapped_column(ForeignKey("question.id"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)
