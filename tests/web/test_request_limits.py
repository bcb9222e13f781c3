"""Requests that used to end in a 500: ids beyond 64 bits, odd digits, NUL characters, huge bodies."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quiz.services.banks import sync_banks

from ..conftest import csrf_token
from ..services.test_bank_sync import EXAMPLES
from .test_quiz import start

HUGE = str(2**64)


@pytest.fixture
def banks(app: Flask) -> None:
    with app.app_context():
        sync_banks([EXAMPLES], datetime.now(timezone.utc))


@pytest.mark.parametrize("path", [
    f"/quiz/{HUGE}", f"/quiz/{HUGE}/q/0", f"/quiz/{HUGE}/results", "/quiz/{own}/q/" + HUGE,
    "/quiz/" + "9" * 5000, "/quiz/{own}/q/" + "1" * 5000, "/quiz/٣", "/quiz/{own}/q/٠",
])
def test_ids_out_of_range_are_no_page(client: FlaskClient, banks: None, path: str) -> None:
    own = start(client)
    response = client.get(path.format(own=own))
    assert response.status_code == 404
    assert "There is no page at this address" in response.get_data(as_text=True)


@pytest.mark.parametrize("action", ["finish", "retry", "q/0"])
def test_posts_to_ids_out_of_range_are_no_page(client: FlaskClient, banks: None, action: str) -> None:
    own = start(client)
    token = csrf_token(client, f"/quiz/{own}/q/0")
    for attempt in (HUGE, str(own)):
        url = f"/quiz/{attempt}/{action}" if attempt == HUGE else f"/quiz/{attempt}/q/{HUGE}"
        response = client.post(url, data={"csrf_token": token})
        assert response.status_code == 404, url


def test_a_nul_character_is_refused_with_a_message(client: FlaskClient, banks: None) -> None:
    response = client.get("/study?bank=exa\x00mples")
    assert response.status_code == 400
    assert "NUL character" in response.get_data(as_text=True)


def test_a_body_over_the_limit_gets_a_413_page(client: FlaskClient, banks: None) -> None:
    token = csrf_token(client, "/quiz/new")
    response = client.post("/quiz/new", data={"csrf_token": token, "count": "10", "padding": "x" * 5_000_000})
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "Too large to accept" in html and "256 KB" in html and "Nothing was saved" in html


def test_the_limit_is_configurable(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    from quiz.config import TestConfig

    monkeypatch.setenv("QUIZ_MAX_CONTENT_LENGTH", "2048")
    assert TestConfig("sqlite://", tmp_path).MAX_CONTENT_LENGTH == 2048
