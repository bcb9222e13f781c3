"""Shared fixtures: an app on a throw-away database (SQLite, or PostgreSQL when
QUIZ_TEST_DATABASE_URL is set), its client and CLI runner, and factories."""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from quiz import create_app
from quiz.config import TestConfig
from quiz.extensions import db
from quiz.models import User
from quiz.services import accounts

ROOT = Path(__file__).resolve().parent.parent
# The seed articles and third-party interchange fixtures live beside the project
# (../shared); QUIZ_SHARED_DIR points elsewhere (CI sets it for a clone in /tmp).
SHARED = Path(os.environ.get("QUIZ_SHARED_DIR") or ROOT.parent / "shared")
SEEDS = SHARED / "seeds"
INTEROP = SHARED / "interop"


def database_url(tmp_path: Path) -> str:
    """PostgreSQL when QUIZ_TEST_DATABASE_URL is set (CI's second run), else a SQLite file."""
    return os.environ.get("QUIZ_TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    app = create_app(TestConfig(database_url(tmp_path), tmp_path / "instance"))
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def csrf_token(client: FlaskClient, url: str = "/auth/login") -> str:
    """The CSRF token of the form on a page, as a browser would read it."""
    return csrf_from(client.get(url).get_data(as_text=True))


@pytest.fixture
def create_user(app: Flask) -> Callable[..., User]:
    """Factory: create_user(email, password='password123', role='learner')."""

    def make(email: str = "learner@example.org", password: str = "password123", role: str = "learner") -> User:
        with app.app_context():
            user = accounts.create_user(email, password, role)
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return make


class AuthActions:
    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, email: str = "learner@example.org", password: str = "password123", follow: bool = False):
        token = csrf_token(self.client, "/auth/login")
        return self.client.post("/auth/login", data={"email": email, "password": password, "csrf_token": token},
                                follow_redirects=follow)

    def register(self, email: str = "new@example.org", password: str = "password123", confirm: str | None = None):
        token = csrf_token(self.client, "/auth/register")
        return self.client.post("/auth/register", data={
            "email": email, "password": password, "confirm": confirm or password, "csrf_token": token})

    def logout(self):
        token = csrf_token(self.client, "/")
        return self.client.post("/auth/logout", data={"csrf_token": token})


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def write_bank(tmp_path: Path) -> Callable[..., Path]:
    """Factory: write_bank(text, name='bank.yaml') writes a bank file and returns its path."""

    def write(text: str | bytes, name: str = "bank.yaml") -> Path:
        path = tmp_path / "banks" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return write
