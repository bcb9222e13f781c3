"""The progress page through the test client: an empty state for visitors, charts with their data
tables, the empty state, and only the learner's own data."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quiz.models import User
from quiz.web.progress import routes

from ..conftest import AuthActions, csrf_token
from ..services.test_progress import NOW, build_history


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """The page is seen on the fixture history's day, Wednesday 12 March 2025."""
    monkeypatch.setattr(routes, "utcnow", lambda: NOW)


def page(client: FlaskClient) -> str:
    response = client.get("/progress")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_first_time_visitor_sees_how_to_start(client: FlaskClient) -> None:
    """Issue 9, edge 12: a visitor who opened Progress was sent to the login page."""
    html = page(client)  # 200, not a redirect to /auth/login
    assert "Nothing to show yet" in html
    assert 'action="/quiz/quick"' in html and "Start a 10-question quiz" in html and 'href="/study"' in html
    assert 'href="/auth/login?next=/progress"' in html  # someone with an account can still log in
    assert '<a href="/progress" aria-current="page">Progress</a>' in html  # in the menu for everyone


def test_dashboard_shows_figures_charts_and_data_tables(app: Flask, client: FlaskClient, auth: AuthActions,
                                                        write_bank: Callable[..., Path]) -> None:
    build_history(app, write_bank)
    auth.login("learner@example.org")
    html = page(client)
    assert '<a href="/progress" aria-current="page">Progress</a>' in html
    # per bank and tag
    assert "Example bank — every question type" in html and "Small bank" in html and "#places" in html
    assert "7 of 10" in html  # seen
    assert '30 % <span class="muted">(3 of 10)</span>' in html  # mastery: mature and still recalled
    assert '50 % <span class="muted">(3 answers)</span>' in html  # quiz accuracy
    assert "21 days" in html  # what mature means
    assert "never counts a question you have just missed" in html  # what mastery means
    # three charts, each an image with a title and description, each followed by a data table
    svgs = re.findall(r'<svg [^>]*role="img" aria-labelledby="(\w+)-title \1-desc"', html)
    assert svgs == ["heatmap", "forecast", "retention"]
    assert html.count("<details") == 3 and html.count("<summary>Data table") == 3
    for caption in ("Progress per bank", "Progress per tag", "Reviews per month, past year",
                    "Cards due per day, next 30 days", "Retention per week, past 26 weeks"):
        assert f"<caption>{caption}</caption>" in html
    assert html.count('class="heat heat-') == 365
    assert html.count('<rect class="bar"') == 30 + 4  # every forecast day; the 4 weeks with reviews
    assert "<title>Wed 12 Mar 2025: 2 reviews</title>" in html
    assert "<title>Mon 10 Mar 2025: 1 review</title>" in html  # 02:00 on the 11th, in Paris
    assert "<title>Today (Wed 12 Mar): 3 cards due</title>" in html
    assert "<title>Week of 10 Mar 2025 (W11): 67 % (2 of 3 recalled)</title>" in html
    assert '<th scope="row">March 2025</th><td class="num">6</td><td class="num">5</td>' in html
    assert "style=" not in html and "<script>" not in html  # the CSP allows no inline style or script


def test_another_learners_data_is_not_shown(app: Flask, client: FlaskClient, auth: AuthActions,
                                           write_bank: Callable[..., Path]) -> None:
    build_history(app, write_bank)
    auth.login("someone@example.org")
    html = page(client)
    assert "Other bank" in html and "#organisations" in html and "#unused" in html
    assert "Small bank" not in html  # only the first learner answered its question
    assert "1 of 10" in html and "7 of 10" not in html
    auth.logout()
    auth.login("learner@example.org")
    html = page(client)
    assert "Other bank" not in html and "#organisations" not in html and "#unused" not in html


def test_a_learner_with_no_reviews_is_invited_to_study(client: FlaskClient, auth: AuthActions,
                                                      create_user: Callable[..., User]) -> None:
    create_user("learner@example.org")
    auth.login()
    html = page(client)
    assert "Nothing to show yet" in html and 'href="/study"' in html
    assert 'role="img"' not in html and "<details" not in html  # no chart (the logo is decoration)


def test_guests_have_a_dashboard_too(app: Flask, client: FlaskClient, write_bank: Callable[..., Path]) -> None:
    build_history(app, write_bank)
    token = csrf_token(client, "/banks/examples")
    assert client.post("/quiz/quick", data={"bank": "examples", "csrf_token": token}).status_code == 303  # now a guest
    html = page(client)
    assert 'href="/progress"' in html and "Nothing to show yet" in html
    assert "Example bank" not in html  # nothing of the learners' data
