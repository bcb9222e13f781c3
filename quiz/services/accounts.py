"""Accounts: registration, login with rate limiting, guests and roles."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import (ROLES, Attempt, Card, LearnerSettings, LoginAttempt, ParameterSet, ReviewLog, StudyBank,
                      User)


class AccountError(Exception):
    """A registration or login that cannot be done, with a message for the user."""


class TooManyAttempts(AccountError):
    """Too many failed logins for this email or address; try again later."""


def normalize_email(email: str) -> str:
    return email.strip().lower()


def _hash(password: str) -> str:
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    return generate_password_hash(password, method=method)


def get_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def email_taken(email: str) -> bool:
    return db.session.scalar(select(User.id).where(User.email == normalize_email(email))) is not None


def create_user(email: str, password: str, role: str = "learner") -> User:
    """A new registered account; raises AccountError if the email is taken or the role unknown."""
    if role not in ROLES:
        raise AccountError(f"unknown role '{role}'; choose one of {', '.join(ROLES)}")
    if email_taken(email):
        raise AccountError("an account with this email already exists")
    user = User(email=normalize_email(email), password_hash=_hash(password), role=role)
    db.session.add(user)
    db.session.commit()
    return user


def create_guest() -> User:
    """A guest learner, made on a visitor's first study action."""
    user = User(is_guest=True, role="learner")
    db.session.add(user)
    db.session.commit()
    return user


def register(email: str, password: str, guest: User | None) -> User:
    """Register; a guest's account becomes the registered one, so its progress is kept."""
    if email_taken(email):
        raise AccountError("an account with this email already exists")
    if guest is not None and guest.is_guest:
        guest.email = normalize_email(email)
        guest.password_hash = _hash(password)
        guest.is_guest = False
        db.session.commit()
        return guest
    return create_user(email, password)


def authenticate(email: str, password: str, ip: str, now: datetime) -> User:
    """The user with these credentials; failed attempts are counted in the database
    (shared by all app processes) and refused past the limit."""
    email = normalize_email(email)
    config = current_app.config
    since = now - timedelta(seconds=config["LOGIN_WINDOW_SECONDS"])
    limit = config["LOGIN_MAX_FAILURES"]
    by_email = db.session.scalar(
        select(func.count()).select_from(LoginAttempt).where(LoginAttempt.email == email, LoginAttempt.at >= since))
    by_ip = db.session.scalar(
        select(func.count()).select_from(LoginAttempt).where(LoginAttempt.ip == ip, LoginAttempt.at >= since))
    if (by_email or 0) >= limit or (by_ip or 0) >= limit * 4:
        minutes = config["LOGIN_WINDOW_SECONDS"] // 60
        raise TooManyAttempts(f"Too many failed attempts. Please wait {minutes} minutes and try again.")
    user = db.session.scalar(select(User).where(User.email == email, User.is_guest.is_(False)))
    if user is None or not user.password_hash or not check_password_hash(user.password_hash, password):
        db.session.add(LoginAttempt(email=email, ip=ip, at=now))
        db.session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - timedelta(days=1)))
        db.session.commit()
        raise AccountError("Wrong email or password.")
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.email == email))
    db.session.commit()
    return user


def merge_guest(guest: User | None, user: User) -> None:
    """Move a guest's progress (study list, cards with their review history, quiz attempts,
    settings) to the account they logged in to, then drop the guest.

    Where both have a card for the same question or the same bank listed, the account's is kept.
    """
    if guest is None or not guest.is_guest or guest.id == user.id:
        return
    have_banks = set(db.session.scalars(select(StudyBank.bank_id).where(StudyBank.user_id == user.id)))
    for row in db.session.scalars(select(StudyBank).where(StudyBank.user_id == guest.id)):
        if row.bank_id not in have_banks:
            db.session.add(StudyBank(user_id=user.id, bank_id=row.bank_id, added_at=row.added_at))
    have_cards = set(db.session.scalars(select(Card.question_id).where(Card.user_id == user.id)))
    moved = [card.id for card in db.session.scalars(select(Card).where(Card.user_id == guest.id))
             if card.question_id not in have_cards]
    if moved:
        db.session.execute(update(Card).where(Card.id.in_(moved)).values(user_id=user.id))
        db.session.execute(update(ReviewLog).where(ReviewLog.card_id.in_(moved)).values(user_id=user.id))
    db.session.execute(update(Attempt).where(Attempt.user_id == guest.id).values(user_id=user.id))
    if db.session.get(LearnerSettings, user.id) is None:
        db.session.execute(update(LearnerSettings).where(LearnerSettings.user_id == guest.id).values(user_id=user.id))
    for model in (ReviewLog, Card, StudyBank, LearnerSettings, ParameterSet):
        db.session.execute(delete(model).where(model.user_id == guest.id))
    db.session.delete(guest)
    db.session.commit()


def set_role(email: str, role: str) -> User:
    """Change the role of an existing account."""
    if role not in ROLES:
        raise AccountError(f"unknown role '{role}'; choose one of {', '.join(ROLES)}")
    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        raise AccountError(f"no account with the email {email}")
    user.role = role
    db.session.commit()
    return user
