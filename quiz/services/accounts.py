"""Accounts: registration, login with rate limiting, sessions, guests and roles."""
from __future__ import annotations

import hmac
import secrets
from collections.abc import Collection
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, delete, func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import (ROLES, Attempt, AttemptAnswer, Card, GuestCreation, LearnerSettings, LoginAttempt,
                      ParameterSet, ReviewLog, StudyBank, User)
from ..models.user import new_session_token


class AccountError(Exception):
    """A registration or login that cannot be done, with a message for the user."""


class TooManyAttempts(AccountError):
    """Too many failed logins for this email or address; try again later."""


class TooManyGuests(AccountError):
    """Too many guest accounts made from one address lately."""


# A hash of a random password per hashing method, made on first use: a login for an unknown
# email checks against it, so it takes as long as a wrong password for a real account.
_DUMMY_HASHES: dict[str, str] = {}


def normalize_email(email: str) -> str:
    return email.strip().lower()


def _method() -> str:
    return str(current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))


def _hash(password: str) -> str:
    return generate_password_hash(password, method=_method())


def _password_matches(user: User | None, password: str) -> bool:
    """Whether the password is the user's; exactly one hash check whether or not the user exists."""
    if user is not None and user.password_hash:
        return check_password_hash(user.password_hash, password)
    method = _method()
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash(secrets.token_urlsafe(16), method=method)
    check_password_hash(_DUMMY_HASHES[method], password)
    return False


def get_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def user_for_session(session_id: str) -> User | None:
    """The user a session or remember-me cookie names ("id:token", see User.get_id), or None
    when the token was replaced since (logout, password change, log out everywhere)."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or len(user_id) > 18 or not token:
        return None
    user = get_user(int(user_id))
    if user is None or not hmac.compare_digest(user.session_token.encode(), token.encode()):
        return None
    return user


def end_sessions(user: User) -> None:
    """End every session of this user on every device: their cookies no longer load the user."""
    user.session_token = new_session_token()
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password if the current one is right; every other session of the user ends."""
    if not _password_matches(user, current):
        raise AccountError("The current password is not right.")
    user.password_hash = _hash(new)
    end_sessions(user)


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
    """A guest learner, saved at once (for tools and tests; visitors get theirs from new_guest)."""
    user = User(is_guest=True, role="learner")
    db.session.add(user)
    db.session.commit()
    return user


def new_guest(ip: str, now: datetime, commit: bool = False) -> User:
    """A guest learner for a visitor's first study action, not yet committed unless asked: it is
    saved by the commit of the action itself, so an action that fails leaves no guest behind.

    Raises TooManyGuests when this address made GUEST_MAX_PER_ADDRESS guests within
    GUEST_WINDOW_SECONDS (counted in the database, so across all app processes).
    """
    config = current_app.config
    window = config["GUEST_WINDOW_SECONDS"]
    made = db.session.scalar(select(func.count()).select_from(GuestCreation).where(
        GuestCreation.ip == ip, GuestCreation.at >= now - timedelta(seconds=window)))
    if (made or 0) >= config["GUEST_MAX_PER_ADDRESS"]:
        minutes = max(1, window // 60)
        raise TooManyGuests(f"Too many guest accounts were started from your network lately. Register or log in "
                            f"to study, or try again within {minutes} minutes.")
    db.session.execute(delete(GuestCreation).where(GuestCreation.at < now - timedelta(seconds=window)))
    db.session.add(GuestCreation(ip=ip, at=now))
    user = User(is_guest=True, role="learner", created_at=now)
    db.session.add(user)
    if commit:
        db.session.commit()
    else:
        db.session.flush()
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


def _failures(condition: ColumnElement[bool], since: datetime) -> int:
    return db.session.scalar(select(func.count()).select_from(LoginAttempt).where(
        condition, LoginAttempt.at >= since)) or 0


def authenticate(email: str, password: str, ip: str, now: datetime,
                 trusted_user_ids: Collection[int] = ()) -> User:
    """The user with these credentials. Failed attempts are counted in the database (shared by
    all app processes), per email and per address, separately:

    - an email with LOGIN_MAX_FAILURES failures in the window is locked, whoever asks;
    - an address with LOGIN_MAX_FAILURES_PER_ADDRESS failures in the window (one address
      guessing many accounts) is refused, except for the accounts in `trusted_user_ids`
      (those the browser logged in to before), so a class behind one NAT address whose
      neighbour guesses still gets in from their usual browser.

    Every attempt that is not refused does exactly one password hash check, for unknown
    emails too, so the answer time does not tell who has an account.
    """
    email = normalize_email(email)
    config = current_app.config
    window = config["LOGIN_WINDOW_SECONDS"]
    since = now - timedelta(seconds=window)
    minutes = max(1, window // 60)
    user = db.session.scalar(select(User).where(User.email == email, User.is_guest.is_(False)))
    if _failures(LoginAttempt.email == email, since) >= config["LOGIN_MAX_FAILURES"]:
        raise TooManyAttempts(f"Too many failed attempts for this account. Please wait {minutes} minutes "
                              "and try again.")
    trusted = user is not None and user.id in trusted_user_ids
    if not trusted and _failures(LoginAttempt.ip == ip, since) >= config["LOGIN_MAX_FAILURES_PER_ADDRESS"]:
        raise TooManyAttempts(f"Too many failed attempts from your network. Please wait {minutes} minutes "
                              "and try again, or log in from a device you used before.")
    if not _password_matches(user, password) or user is None:
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
    _delete_users([guest.id])
    db.session.commit()


def _delete_users(user_ids: list[int]) -> None:
    """Delete these users and every row of theirs (the caller commits)."""
    attempts = select(Attempt.id).where(Attempt.user_id.in_(user_ids)).scalar_subquery()
    db.session.execute(delete(AttemptAnswer).where(AttemptAnswer.attempt_id.in_(attempts)))
    for model in (Attempt, ReviewLog, Card, StudyBank, LearnerSettings, ParameterSet):
        db.session.execute(delete(model).where(model.user_id.in_(user_ids)))
    db.session.execute(delete(User).where(User.id.in_(user_ids)))


def purge_guests(inactive_since: datetime, batch: int = 500) -> int:
    """Delete the guests made before `inactive_since` who did nothing since (no review, quiz,
    answer, study-list entry or settings change), with all their rows; returns how many."""
    recent = [
        select(ReviewLog.user_id).where(ReviewLog.reviewed_at >= inactive_since),
        select(Card.user_id).where(Card.created_at >= inactive_since),
        select(Attempt.user_id).where(Attempt.started_at >= inactive_since),
        select(Attempt.user_id).join(AttemptAnswer).where(AttemptAnswer.answered_at >= inactive_since),
        select(StudyBank.user_id).where(StudyBank.added_at >= inactive_since),
        select(LearnerSettings.user_id).where(LearnerSettings.updated_at >= inactive_since),
    ]
    query = select(User.id).where(User.is_guest.is_(True), User.created_at < inactive_since)
    for active in recent:
        query = query.where(User.id.not_in(active))
    ids = list(db.session.scalars(query))
    for start in range(0, len(ids), batch):
        _delete_users(ids[start:start + batch])
    db.session.commit()
    return len(ids)


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
