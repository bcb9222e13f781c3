"""Sessions end on the server: logout, a password change and "log out everywhere" make copied
cookies useless. Pages with per-user state are never cached."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quiz.models import User
from quiz.services.banks import sync_banks

from ..conftest import csrf_from, csrf_token
from ..services.test_bank_sync import EXAMPLES

COOKIES = ("session", "remember_token")


def device(app: Flask, email: str = "learner@example.org", password: str = "password123",
           remember: bool = True) -> FlaskClient:
    """A browser logged in to the account."""
    client = app.test_client()
    data = {"email": email, "password": password, "csrf_token": csrf_token(client, "/auth/login")}
    if remember:
        data["remember"] = "y"
    assert client.post("/auth/login", data=data).status_code == 303
    assert client.get("/account").status_code == 200
    return client


def copy_of(app: Flask, client: FlaskClient, *names: str) -> FlaskClient:
    """Another browser holding a copy of these cookies (taken from `client` now)."""
    thief = app.test_client()
    for name in names:
        cookie = client.get_cookie(name)
        assert cookie is not None, name
        thief.set_cookie(name, cookie.value)
    return thief


def opens_account(client: FlaskClient) -> bool:
    response = client.get("/account")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def test_logout_ends_copied_session_and_remember_cookies(app: Flask, create_user: Callable[..., User]) -> None:
    create_user()
    client = device(app)
    session_copy = copy_of(app, client, "session")
    remember_copy = copy_of(app, client, "remember_token")
    assert opens_account(session_copy) and opens_account(remember_copy)  # the copies work while logged in
    assert client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")}).status_code == 303
    assert not opens_account(client)
    assert not opens_account(session_copy)
    assert not opens_account(remember_copy)
    assert opens_account(device(app))  # logging in again works


def log_out_everywhere(client: FlaskClient, token: str | None = None):
    token = token if token is not None else csrf_from(client.get("/account").get_data(as_text=True))
    return client.post("/account/sessions/end", data={"csrf_token": token})


def test_log_out_everywhere_ends_every_device(app: Flask, create_user: Callable[..., User]) -> None:
    create_user()
    create_user("other@example.org")
    laptop, phone = device(app), device(app, remember=False)
    stolen = copy_of(app, phone, *COOKIES[:1])
    someone_else = device(app, "other@example.org")
    assert "Log out everywhere" in laptop.get("/account").get_data(as_text=True)

    assert log_out_everywhere(laptop, token="").status_code == 400  # CSRF refused: nothing ends
    assert opens_account(phone)
    response = log_out_everywhere(laptop)
    assert response.status_code == 303 and response.headers["Location"] == "/auth/login"
    assert "logged out on every device" in laptop.get("/auth/login").get_data(as_text=True)
    assert not any(opens_account(c) for c in (laptop, phone, stolen))
    assert opens_account(someone_else)


def change_password(client: FlaskClient, current: str, new: str, confirm: str | None = None):
    token = csrf_from(client.get("/account").get_data(as_text=True))
    return client.post("/account/password", data={
        "current_password": current, "new_password": new, "confirm": confirm or new, "csrf_token": token})


def test_password_change_ends_other_sessions_and_keeps_this_one(app: Flask,
                                                                 create_user: Callable[..., User]) -> None:
    create_user()
    here, elsewhere = device(app), device(app)
    old_cookies = copy_of(app, here, *COOKIES)

    wrong = change_password(here, "not-my-password", "new-password-1")
    assert wrong.status_code == 422 and "The current password is not right." in wrong.get_data(as_text=True)
    differ = change_password(here, "password123", "new-password-1", "new-password-2")
    assert differ.status_code == 422 and "The passwords differ." in differ.get_data(as_text=True)
    assert opens_account(elsewhere)

    response = change_password(here, "password123", "new-password-1")
    assert response.status_code == 303
    assert opens_account(here)
    assert not opens_account(elsewhere) and not opens_account(old_cookies)
    fresh = app.test_client()
    token = csrf_token(fresh, "/auth/login")
    assert fresh.post("/auth/login", data={"email": "learner@example.org", "password": "password123",
                                           "csrf_token": token}).status_code == 401
    assert opens_account(device(app, password="new-password-1"))


def test_guests_have_no_password_or_session_controls(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        sync_banks([EXAMPLES], datetime.now(timezone.utc))
    token = csrf_token(client, "/study")
    assert client.post("/study/start", data={"csrf_token": token}).status_code == 303
    html = client.get("/account").get_data(as_text=True)
    assert "Log out everywhere" not in html and "Change my password" not in html
    assert log_out_everywhere(client, csrf_token(client, "/study")).status_code == 404
    assert opens_account(client)


@pytest.fixture
def learner_with_quiz(app: Flask, create_user: Callable[..., User]) -> tuple[FlaskClient, str]:
    with app.app_context():
        sync_banks([EXAMPLES], datetime.now(timezone.utc))
    create_user()
    client = device(app)
    response = client.post("/quiz/quick", data={"bank": "examples", "csrf_token": csrf_token(client, "/")})
    attempt_url = response.headers["Location"]
    return client, client.get(attempt_url).headers["Location"]


@pytest.mark.parametrize("url", ["QUIZ", "/study", "/account", "/progress", "/study/settings", "/",
                                 "/banks/examples", "/quiz/new"])
def test_pages_are_never_stored_by_the_browser(learner_with_quiz: tuple[FlaskClient, str], url: str) -> None:
    client, question_url = learner_with_quiz
    response = client.get(question_url if url == "QUIZ" else url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_keep_their_caching(client: FlaskClient) -> None:
    response = client.get("/static/css/app.css")
    response.close()
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert response.headers.get("ETag") or response.headers.get("Last-Modified")
