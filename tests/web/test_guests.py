"""Guests are made only by a study action that happens, at most so many per address; idle
ones are purged from the command line."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select

from quiz.extensions import db
from quiz.models import User
from quiz.services import accounts
from quiz.services.banks import sync_banks

from ..conftest import csrf_token
from ..services.test_bank_sync import EXAMPLES


def users(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User)) or 0


def visitor(app: Flask, address: str = "192.0.2.30") -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_study_actions_that_fail_make_no_guest(app: Flask, client: FlaskClient) -> None:
    token = csrf_token(client, "/auth/login")
    response = client.post("/quiz/quick", data={"bank": "", "csrf_token": token}, follow_redirects=True)
    assert response.status_code == 200 and "No questions match" in response.get_data(as_text=True)
    response = client.post("/study/grade", data={"csrf_token": token, "question_id": "nope", "version": "0",
                                                 "rating": "3"}, follow_redirects=True)
    assert response.status_code == 200 and "no longer in any bank" in response.get_data(as_text=True)
    response = client.post("/study/bury", data={"csrf_token": token, "question_id": "nope"}, follow_redirects=True)
    assert response.status_code == 200 and "no longer in any bank" in response.get_data(as_text=True)
    assert client.post("/study/grade", data={"rating": "3"}).status_code == 400  # no CSRF token
    assert users(app) == 0
    assert client.get("/account").status_code == 302  # still a visitor, not a guest without a row


def test_a_study_action_that_happens_makes_one_guest(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        sync_banks([EXAMPLES], datetime.now(timezone.utc))
    token = csrf_token(client, "/auth/login")
    response = client.post("/quiz/quick", data={"bank": "examples", "csrf_token": token})
    assert response.status_code == 303 and response.headers["Location"].startswith("/quiz/")
    assert client.post("/banks/examples/study", data={"csrf_token": token}).status_code == 303
    assert users(app) == 1 and client.get("/account").status_code == 200


def test_guests_per_address_are_limited(app: Flask) -> None:
    with app.app_context():
        sync_banks([EXAMPLES], datetime.now(timezone.utc))
    app.config["GUEST_MAX_PER_ADDRESS"] = 3

    def start(client: FlaskClient):
        return client.post("/study/start", data={"csrf_token": csrf_token(client, "/study")})

    assert [start(visitor(app)).status_code for _ in range(3)] == [303] * 3
    refused = start(visitor(app))
    assert refused.status_code == 429
    assert "Too many guest accounts were started from your network" in refused.get_data(as_text=True)
    assert users(app) == 3
    late = visitor(app)  # with htmx: back to the page, which says why
    token = csrf_token(late, "/banks/examples")
    response = late.post("/banks/examples/study", data={"csrf_token": token},
                         headers={"HX-Request": "true", "Referer": "http://localhost/banks/examples"})
    assert response.status_code == 429 and response.headers["HX-Redirect"] == "/banks/examples"
    assert "Too many guest accounts" in late.get("/banks/examples").get_data(as_text=True)
    assert users(app) == 3
    assert start(visitor(app, "198.51.100.31")).status_code == 303  # another address is not held back
    assert users(app) == 4


def test_purge_guests_command(app: Flask, runner: FlaskCliRunner) -> None:
    with app.app_context():
        for days in (40, 31, 2):
            guest = accounts.create_guest()
            guest.created_at = datetime.now(timezone.utc) - timedelta(days=days)
        db.session.commit()
    result = runner.invoke(args=["users", "purge-guests", "--older-than", "30"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "deleted 2 guests with no activity in the last 30 days"
    assert users(app) == 1
    again = runner.invoke(args=["users", "purge-guests", "--older-than", "30"])
    assert again.output.strip() == "deleted 0 guests with no activity in the last 30 days"


@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_purge_guests_needs_a_number_of_days(runner: FlaskCliRunner, value: str) -> None:
    result = runner.invoke(args=["users", "purge-guests", "--older-than", value])
    assert result.exit_code == 2 and "--older-than" in result.output
