"""Requests that used to end in a 500: ids beyond 64 bits, odd digits, NUL characters, huge bodies."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quiz.services.banks import sync_banks
from quiz.web.inputs import at_most

from ..conftest import csrf_token
from ..services.test_bank_sync import EXAMPLES
from .test_quiz import start

HUGE = str(2**64)
OVER_INTEGER = str(2**31)  # one more than PostgreSQL's INTEGER holds


@pytest.fixture
def banks(app: Flask) -> None:
    with app.app_context():
        sync_banks([EXAMPLES], datetime.now(timezone.utc))


@pytest.mark.parametrize("path", [
    f"/quiz/{HUGE}", f"/quiz/{HUGE}/q/0", f"/quiz/{HUGE}/results", "/quiz/{own}/q/" + HUGE,
    f"/quiz/{OVER_INTEGER}", f"/quiz/{OVER_INTEGER}/results", "/quiz/{own}/q/" + OVER_INTEGER,
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
    for url in (f"/quiz/{HUGE}/{action}", f"/quiz/{OVER_INTEGER}/{action}", f"/quiz/{own}/q/{HUGE}",
                f"/quiz/{own}/q/{OVER_INTEGER}"):
        response = client.post(url, data={"csrf_token": token})
        assert response.status_code == 404, url


@pytest.mark.parametrize("limit", [0, 7, 10, 109, 1000, 2**31 - 1, 2**63 - 1])
def test_the_id_pattern_takes_every_number_up_to_its_limit_and_no_more(limit: int) -> None:
    pattern = re.compile(at_most(limit) + r"\Z")
    for number in [*range(300), limit - 1, limit, limit + 1, limit * 10, *range(limit - 300, limit + 300, 7)]:
        if number >= 0:
            assert bool(pattern.match(str(number))) == (number <= limit), number


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


@pytest.mark.parametrize("url", ["/my/banks/%00/upload", "/my/banks/web%00/export/csv", "/banks/exa%00mples"])
def test_a_nul_character_in_the_address_is_refused_before_the_database(client: FlaskClient, banks: None,
                                                                       url: str) -> None:
    # PostgreSQL raised DataError (a 500) on such an id before the check looked at the path
    response = client.post(url) if url.endswith("upload") else client.get(url)
    assert response.status_code == 404


@pytest.mark.parametrize("url", ["/banks/exa%00mples", "/my/banks/%00", "/my/banks/%00/source"])
def test_a_nul_character_in_the_address_is_no_page(client: FlaskClient, banks: None, url: str) -> None:
    assert client.get(url).status_code == 404
