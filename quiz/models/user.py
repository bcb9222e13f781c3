"""Accounts, login attempts and guest creations."""
from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow

ROLES = ("learner", "instructor", "admin")


def new_session_token() -> str:
    """A fresh random token; replacing a user's token ends every session made with the old one."""
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    """A learner, instructor or admin; a guest has no email until they register."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str | None] = mapped_column(String(320), unique=True, nullable=True)
    password_hash: Mapped[str | None] = mapped_column(String(300), nullable=True)
    role: Mapped[str] = mapped_column(String(20), default="learner")
    is_guest: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)

    @property
    def can_author(self) -> bool:
        """Instructors and admins may see answers in bank listings."""
        return self.role in ("instructor", "admin")

    def get_id(self) -> str:
        """What the session and remember-me cookies hold: the id and the current session token,
        so a cookie made before the token changed no longer loads the user."""
        return f"{self.id}:{self.session_token}"


class LoginAttempt(db.Model):
    """A failed login, kept for rate limiting across all app processes."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    ip: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class GuestCreation(db.Model):
    """A guest account made for a visitor, kept (without the user) to limit guests per address."""

    id: Mapped[int] = mapped_column(primary_key=True)
    ip: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
