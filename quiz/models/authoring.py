"""Banks written in the app: their owner, sharing, co-authors, draft and published versions."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow

VISIBILITIES = ("private", "classes", "public")


class WebBank(db.Model):
    """A bank owned in the app (origin "web"). Its id is the bank id of its YAML; the Bank and
    Question rows hold its published version only, the draft lives here."""

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # private: owner and co-authors; classes: also the students of the owner's classes; public: catalog
    visibility: Mapped[str] = mapped_column(String(10), default="private")
    draft_text: Mapped[str] = mapped_column(Text, default="")
    draft_saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    draft_saved_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    coauthors: Mapped[list["BankCoauthor"]] = relationship(cascade="all, delete-orphan",
                                                          order_by="BankCoauthor.added_at")
    versions: Mapped[list["BankVersion"]] = relationship(cascade="all, delete-orphan",
                                                        order_by="BankVersion.number")


class BankCoauthor(db.Model):
    """Another instructor who may edit and publish a web bank."""

    bank_id: Mapped[str] = mapped_column(ForeignKey("web_bank.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class BankVersion(db.Model):
    """One publish of a web bank: its full text, who published it and what changed."""

    __table_args__ = (UniqueConstraint("bank_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[str] = mapped_column(ForeignKey("web_bank.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    published_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str] = mapped_column(String(300), default="")
    # {"added": [ids], "changed": [ids], "removed": [ids], "key_changed": [ids]}
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
