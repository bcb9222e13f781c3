"""Login limits as users meet them: a class behind one address, a guessing address, proxies."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from quiz import config as quiz_config
from quiz import create_app
from quiz.extensions import db
from quiz.models import LoginAttempt, User

from ..conftest import csrf_token

SCHOOL = "203.0.113.7"  # one NAT address for a whole class


def browser(app: Flask, address: str = SCHOOL, **headers: str) -> FlaskClient:
    """A browser of its own (cookies) whose requests come from `address`."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    client.environ_base.update({f"HTTP_{k.upper()}": v for k, v in headers.items()})
    return client


def log_in(client: FlaskClient, email: str, password: str) -> int:
    token = csrf_token(client, "/auth/login")
    return client.post("/auth/login", data={"email": email, "password": password, "csrf_token": token}).status_code


def test_a_class_behind_one_address_all_get_in_despite_typos(app: Flask, create_user: Callable[..., User]) -> None:
    students = [create_user(f"student{n:02d}@school.example").email or "" for n in range(40)]
    browsers = [browser(app) for _ in students]
    # Within the same minute, 14 students fail twice (28 failures, 5 of them with a mistyped
    # email) before the class has got in...
    for n, (client, email) in enumerate(zip(browsers, students)):
        if n % 3 == 0:
            assert log_in(client, email, "pasword123") == 401
            assert log_in(client, email if n % 9 else f"x{email}", "password12") == 401
    # ... and then everyone types it right.
    assert [log_in(client, email, "password123") for client, email in zip(browsers, students)] == [303] * 40
    assert all(client.get("/account").status_code == 200 for client in browsers)


def test_an_address_guessing_many_accounts_is_slowed_down(app: Flask, create_user: Callable[..., User]) -> None:
    create_user("student@school.example")
    regular = browser(app)
    assert log_in(regular, "student@school.example", "password123") == 303  # this browser is now known
    regular.post("/auth/logout", data={"csrf_token": csrf_token(regular, "/")})

    guesser = browser(app)
    limit = app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    answers = [log_in(guesser, f"teacher{n}@school.example", "123456") for n in range(limit + 10)]
    assert answers == [401] * limit + [429] * 10
    with app.app_context():  # refused attempts are not even checked
        assert len(db.session.scalars(select(LoginAttempt)).all()) == limit

    assert log_in(regular, "student@school.example", "password123") == 303  # a known device still gets in
    assert log_in(browser(app, "198.51.100.20"), "student@school.example", "password123") == 303
    refused = browser(app)
    token = csrf_token(refused, "/auth/login")
    response = refused.post("/auth/login", data={"email": "student@school.example", "password": "password123",
                                                 "csrf_token": token})
    assert response.status_code == 429
    assert "Too many failed attempts from your network" in response.get_data(as_text=True)


@pytest.fixture
def app_behind(app: Flask) -> Iterator[Callable[[int], Flask]]:
    """Factory: the app on the same database, configured with that many trusted proxies."""
    made: list[Flask] = []

    def make(proxies: int) -> Flask:
        config = quiz_config.TestConfig(app.config["SQLALCHEMY_DATABASE_URI"], Path(app.instance_path))
        config.TRUSTED_PROXIES = proxies
        made.append(create_app(config))
        return made[-1]

    yield make
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def failures_by_address(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(LoginAttempt.ip).order_by(LoginAttempt.id)))


def test_without_trusted_proxies_forwarded_headers_are_ignored(app_behind: Callable[[int], Flask]) -> None:
    app = app_behind(0)
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    answers = [log_in(browser(app, "192.0.2.10", x_forwarded_for=f"10.0.0.{n}"), f"u{n}@example.org", "guess")
               for n in range(4)]
    assert answers == [401, 401, 401, 429]  # a made-up X-Forwarded-For does not escape the limit
    assert failures_by_address(app) == ["192.0.2.10"] * 3


def test_one_trusted_proxy_gives_each_client_its_own_address(app_behind: Callable[[int], Flask]) -> None:
    app = app_behind(1)
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    nginx = "127.0.0.1"
    guesser = [log_in(browser(app, nginx, x_forwarded_for="198.51.100.5"), f"u{n}@example.org", "guess")
               for n in range(4)]
    assert guesser == [401, 401, 401, 429]
    # Another client behind the same proxy is not held back; a forged first hop is not believed.
    other = browser(app, nginx, x_forwarded_for="203.0.113.99, 192.0.2.44")
    assert log_in(other, "v@example.org", "guess") == 401
    assert failures_by_address(app) == ["198.51.100.5"] * 3 + ["192.0.2.44"]
