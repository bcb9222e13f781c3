"""Real concurrent requests to a real server: the same card graded twice at once (a double
tap, two tabs, or a quiz answer and a study grade together).

The app is served by werkzeug's threaded server on a random port, on the suite's database
(SQLite, or PostgreSQL when QUIZ_TEST_DATABASE_URL is set). Two threads open their
connections, wait at a barrier, and send their requests at the same moment, with the same
session cookie, as two tabs of one browser would.

Sent at the same moment, the two requests still race only about half the time (one may
finish before the other reaches the card). So that every round is a race, the server's
database connections make the two requests meet at the statement where they collide: just
before INSERT INTO card (both have looked for a new card and found none), or just before
the card is read (both read it before either reviews it).
"""
from __future__ import annotations

import http.client
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.cookies import SimpleCookie
from typing import Iterator
from urllib.parse import urlencode, urlsplit

import pytest
from flask import Flask
from sqlalchemy import event, func, select
from werkzeug.serving import WSGIRequestHandler, make_server

from quiz.extensions import db
from quiz.models import Attempt, AttemptAnswer, Card, ReviewLog
from quiz.services.banks import sync_banks

from ..conftest import csrf_from as csrf
from ..services.test_bank_sync import EXAMPLES

ROUNDS = 4  # cards raced one after another, a different card each round


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@pytest.fixture
def server(app: Flask) -> Iterator[str]:
    """The app with the example bank, served on 127.0.0.1 by a threaded server; its base URL."""
    with app.app_context():
        sync_banks([EXAMPLES], datetime.now(timezone.utc))
        db.session.remove()
    httpd = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=httpd.serve_forever, name="concurrency-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
        with app.app_context():
            db.engine.dispose()  # no pooled connection from the server's threads left open


@contextmanager
def requests_meet_before(app: Flask, statement: str) -> Iterator[None]:
    """Hold each SQL statement matching `statement` until a second request reaches its own."""
    pattern = re.compile(statement, re.IGNORECASE | re.DOTALL)
    meeting = threading.Barrier(2)

    def meet(conn: object, cursor: object, sql: str, *args: object) -> None:
        if pattern.match(sql):
            try:
                meeting.wait(timeout=10)
            except threading.BrokenBarrierError:  # the other request never came: go on alone
                meeting.reset()

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", meet)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", meet)


CARD_INSERT = r"\s*INSERT INTO card\b"  # both requests looked for the card, found none, and now create it
CARD_READ = r"\s*SELECT card\.id\b.*\bFROM card\s+WHERE card\.user_id = .* AND card\.question_id = "


@dataclass
class Reply:
    status: int
    body: str


@dataclass
class Tab:
    """A browser tab: plain HTTP with the session cookie shared by every tab of the visitor."""

    base: str
    cookies: dict[str, str] = field(default_factory=dict)

    def connect(self) -> http.client.HTTPConnection:
        parts = urlsplit(self.base)
        connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
        connection.connect()
        return connection

    def send(self, connection: http.client.HTTPConnection, method: str, path: str,
             form: dict[str, str] | None = None) -> Reply:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return Reply(response.status, text)

    def get(self, path: str) -> Reply:
        return self.send(self.connect(), "GET", path)

    def post(self, path: str, form: dict[str, str]) -> Reply:
        return self.send(self.connect(), "POST", path, form)


def at_once(tab: Tab, requests: list[tuple[str, dict[str, str]]]) -> list[Reply]:
    """POST each (path, form) from its own thread, all sent at the same moment."""
    barrier = threading.Barrier(len(requests))
    replies: list[Reply | BaseException | None] = [None] * len(requests)

    def send(index: int, path: str, form: dict[str, str]) -> None:
        try:
            connection = tab.connect()
            barrier.wait(timeout=30)
            replies[index] = tab.send(connection, "POST", path, form)
        except BaseException as exc:  # reported below, in the test's thread
            replies[index] = exc

    threads = [threading.Thread(target=send, args=(i, path, form)) for i, (path, form) in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    done: list[Reply] = []
    for reply in replies:
        if not isinstance(reply, Reply):
            raise AssertionError(f"a request did not complete: {reply!r}")
        done.append(reply)
    return done


def start_studying(server: str) -> Tab:
    tab = Tab(server)
    token = csrf(tab.get("/study").body)
    assert tab.post("/study/start", {"csrf_token": token}).status == 303
    return tab


def shown_card(tab: Tab) -> dict[str, str]:
    """The grade form of the card shown now (after Show the answer)."""
    html = tab.get("/study?reveal=1").body
    question = re.search(r'name="question_id" value="([^"]+)"', html)
    version = re.search(r'name="version" value="(\d+)"', html)
    assert question and version, "no card to grade"
    return {"csrf_token": csrf(html), "question_id": question.group(1), "version": version.group(1)}


def reviews_of(app: Flask, question_id: str) -> list[ReviewLog]:
    with app.app_context():
        logs = list(db.session.scalars(select(ReviewLog).where(ReviewLog.question_id == question_id)
                                       .order_by(ReviewLog.id)))
        db.session.expunge_all()
        return logs


def card_of(app: Flask, question_id: str) -> Card:
    with app.app_context():
        card = db.session.scalar(select(Card).where(Card.question_id == question_id))
        assert card is not None
        db.session.expunge(card)
        return card


@pytest.mark.parametrize("ratings", [(3, 3), (3, 1)], ids=["double-tap", "two-tabs"])
def test_the_first_grade_of_a_new_card_sent_twice_at_once_is_stored_once(
        app: Flask, server: str, ratings: tuple[int, int]) -> None:
    tab = start_studying(server)
    for _ in range(ROUNDS):
        form = shown_card(tab)
        assert form["version"] == "0"  # a new card, no row yet
        with requests_meet_before(app, CARD_INSERT):
            replies = at_once(tab, [("/study/grade", {**form, "rating": str(rating)}) for rating in ratings])
        assert [r.status for r in replies] == [303, 303], [r.body[:300] for r in replies]
        logs = reviews_of(app, form["question_id"])
        assert len(logs) == 1 and logs[0].rating in ratings
        card = card_of(app, form["question_id"])
        assert card.reps == 1 and card.version == 1
    page = tab.get("/study").body
    assert "Internal Server Error" not in page


def start_quiz(app: Flask, tab: Tab) -> tuple[int, list[str]]:
    """A test-mode quiz of the whole example bank: its id and its questions in order. (Test mode
    offers Skip, an answer every question type reads, which reviews the card like any answer.)"""
    token = csrf(tab.get("/quiz/new").body)
    started = tab.post("/quiz/new", {"csrf_token": token, "banks": "examples", "count": "10", "mode": "test"})
    assert started.status == 303
    with app.app_context():
        attempt = db.session.scalars(select(Attempt)).one()
        return attempt.id, list(attempt.question_ids)


def quiz_and_study_at_once(app: Flask, tab: Tab, attempt_id: int, position: int, version: int,
                           meet_at: str) -> list[ReviewLog]:
    """Answer the quiz question at `position` and grade its card on /study at the same moment;
    both get a normal answer, the quiz answer and its review are stored once, and the card
    has taken every stored review. Returns the question's reviews."""
    with app.app_context():
        question_id = db.session.get(Attempt, attempt_id).question_ids[position]  # type: ignore[union-attr]
    quiz_token = csrf(tab.get(f"/quiz/{attempt_id}/q/{position}").body)
    study_token = csrf(tab.get("/study").body)
    with requests_meet_before(app, meet_at):
        replies = at_once(tab, [
            (f"/quiz/{attempt_id}/q/{position}", {"csrf_token": quiz_token, "skip": "1"}),
            ("/study/grade", {"csrf_token": study_token, "question_id": question_id, "version": str(version),
                              "rating": "3"}),
        ])
    assert [r.status for r in replies] == [303, 303], [r.body[:300] for r in replies]
    with app.app_context():
        answers = db.session.scalar(select(func.count()).select_from(AttemptAnswer).where(
            AttemptAnswer.attempt_id == attempt_id, AttemptAnswer.question_id == question_id))
    assert answers == 1  # the quiz answer is never lost
    logs = reviews_of(app, question_id)
    assert [log.source for log in logs].count("quiz") == 1  # the quiz answer reviewed the card, once
    assert card_of(app, question_id).reps == len(logs)  # every stored review was applied, none lost
    return logs


def test_a_quiz_answer_and_a_study_grade_of_the_same_new_question_at_once(app: Flask, server: str) -> None:
    tab = start_studying(server)
    attempt_id, _ = start_quiz(app, tab)
    for position in range(ROUNDS):
        logs = quiz_and_study_at_once(app, tab, attempt_id, position, 0, CARD_INSERT)
        assert [log.source for log in logs].count("study") <= 1


def test_a_quiz_answer_and_a_study_grade_of_a_reviewed_card_at_once(app: Flask, server: str) -> None:
    tab = start_studying(server)
    for _ in range(ROUNDS):  # these cards now exist, at version 1
        form = shown_card(tab)
        assert tab.post("/study/grade", {**form, "rating": "4"}).status == 303
    attempt_id, question_ids = start_quiz(app, tab)
    with app.app_context():
        reviewed = set(db.session.scalars(select(Card.question_id)))
    for position, question_id in enumerate(question_ids):
        if question_id in reviewed:
            quiz_and_study_at_once(app, tab, attempt_id, position, 1, CARD_READ)
