"""Accounts service: equal hashing work for every login, rate limits, purging idle guests."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest
from flask import Flask
from sqlalchemy import func, select

from quiz.extensions import db
from quiz.models import Attempt, Card, ReviewLog, StudyBank, User
from quiz.services import accounts, catalog, studying
from quiz.services.banks import sync_banks

from .test_bank_sync import EXAMPLES

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def hash_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every password hash check the accounts service makes, by the hash it checked against."""
    checks: list[str] = []
    real = accounts.check_password_hash

    def counting(pwhash: str, password: str) -> bool:
        checks.append(pwhash)
        return real(pwhash, password)

    monkeypatch.setattr(accounts, "check_password_hash", counting)
    return checks


def test_unknown_email_costs_the_same_hash_check_as_a_wrong_password(
        app: Flask, create_user: Callable[..., User], hash_checks: list[str]) -> None:
    create_user("known@example.org")
    with app.app_context():
        for email in ("known@example.org", "nobody@example.org"):
            with pytest.raises(accounts.AccountError, match="Wrong email or password"):
                accounts.authenticate(email, "wrong-password", "192.0.2.1", NOW)
    assert len(hash_checks) == 2
    # Each check used the configured method: the dummy hash costs what a real one costs.
    method = app.config["PASSWORD_HASH_METHOD"]
    assert all(h.startswith(method + "$") for h in hash_checks), hash_checks


def test_right_password_logs_in_with_one_check(app: Flask, create_user: Callable[..., User],
                                                hash_checks: list[str]) -> None:
    user = create_user("known@example.org")
    with app.app_context():
        assert accounts.authenticate("Known@Example.org ", "password123", "192.0.2.1", NOW).id == user.id
    assert len(hash_checks) == 1


def test_failures_for_made_up_emails_do_not_lock_real_accounts(app: Flask, create_user: Callable[..., User]) -> None:
    user = create_user("real@example.org")
    with app.app_context():
        for n in range(25):
            with pytest.raises(accounts.AccountError):
                accounts.authenticate(f"made-up-{n}@example.org", "guess", "192.0.2.9", NOW)
        assert accounts.authenticate("real@example.org", "password123", "192.0.2.9", NOW).id == user.id


def test_an_account_is_locked_for_everyone_after_its_own_failures(app: Flask,
                                                                   create_user: Callable[..., User]) -> None:
    create_user("target@example.org")
    with app.app_context():
        for n in range(app.config["LOGIN_MAX_FAILURES"]):
            with pytest.raises(accounts.AccountError):
                accounts.authenticate("target@example.org", "guess", f"198.51.100.{n}", NOW)
        with pytest.raises(accounts.TooManyAttempts, match="this account"):
            accounts.authenticate("target@example.org", "password123", "192.0.2.50", NOW)
        later = NOW + timedelta(seconds=app.config["LOGIN_WINDOW_SECONDS"] + 1)
        assert accounts.authenticate("target@example.org", "password123", "192.0.2.50", later).email


def test_a_guessing_address_is_refused_but_not_a_known_device(app: Flask, create_user: Callable[..., User],
                                                               hash_checks: list[str]) -> None:
    user = create_user("student@example.org")
    limit = app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    with app.app_context():
        for n in range(limit):
            with pytest.raises(accounts.AccountError):
                accounts.authenticate(f"victim-{n}@example.org", "123456", "192.0.2.66", NOW)
        checks = len(hash_checks)
        with pytest.raises(accounts.TooManyAttempts, match="your network"):
            accounts.authenticate("victim-x@example.org", "123456", "192.0.2.66", NOW)
        with pytest.raises(accounts.TooManyAttempts):  # a browser that never logged in to this account
            accounts.authenticate("student@example.org", "password123", "192.0.2.66", NOW)
        assert len(hash_checks) == checks  # refused without spending a hash check
        assert accounts.authenticate("student@example.org", "password123", "192.0.2.66", NOW,
                                     trusted_user_ids=[user.id]).id == user.id
        assert accounts.authenticate("student@example.org", "password123", "192.0.2.67", NOW).id == user.id


def test_purge_guests_deletes_only_idle_guests_with_their_rows(app: Flask, create_user: Callable[..., User]) -> None:
    old = NOW - timedelta(days=40)
    with app.app_context():
        sync_banks([EXAMPLES], old)

        def guest(created: datetime) -> int:
            user = accounts.create_guest()
            user.created_at = created
            db.session.commit()
            return user.id

        idle = guest(old)
        idle_with_history = guest(old)
        studying.grade(idle_with_history, "ex-mcq", 3, 0, old + timedelta(days=1))
        catalog.study_bank(db.session.get(User, idle_with_history), "examples", old)
        came_back = guest(old)
        studying.grade(came_back, "ex-mcq", 3, 0, NOW - timedelta(days=2))
        new = guest(NOW - timedelta(days=1))
        registered = create_user("old@example.org").id

        assert accounts.purge_guests(NOW - timedelta(days=30)) == 2

        remaining = set(db.session.scalars(select(User.id)))
        assert remaining == {came_back, new, registered}
        for model in (Card, ReviewLog, StudyBank, Attempt):
            assert db.session.scalar(select(func.count()).select_from(model).where(
                model.user_id.in_([idle, idle_with_history]))) == 0
        assert db.session.scalar(select(func.count()).select_from(Card).where(Card.user_id == came_back)) == 1
        assert accounts.purge_guests(NOW - timedelta(days=30)) == 0
