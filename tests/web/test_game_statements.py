"""What a live game costs the database per player: what decides whether 1,000 phones fit on
two app processes (bench/README.md, the live game). Counted statements, not timings."""
from __future__ import annotations

import re
import threading
from contextlib import contextmanager
from typing import Any, Iterator

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from quiz.extensions import db
from quiz.models import Game

from ..conftest import csrf_from
from ..services.test_games import _right_form as right_form
from .test_game import _join, _next_events, _pin, game_url  # noqa: F401 - the fixture


@contextmanager
def counted(app: Flask) -> Iterator[list[str]]:
    """The SQL statements sent while the block runs."""
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(" ".join(statement.split()))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _start(client: FlaskClient, game_url: str) -> None:  # noqa: F811
    html = client.get(game_url).get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    assert client.post(f"/games/{game_url.split('/')[2]}/control",
                       data={"csrf_token": csrf_from(html), "action": "start", "version": version}).status_code == 303


def test_joining_costs_the_same_for_the_twentieth_player_as_for_the_second(app: Flask, client: FlaskClient,
                                                                          game_url: str) -> None:  # noqa: F811
    pin = _pin(client, game_url)
    _join(app, pin, "p0")
    with counted(app) as second:
        _join(app, pin, "p1")
    for i in range(2, 19):
        _join(app, pin, f"p{i}")
    with counted(app) as twentieth:
        _join(app, pin, "p19")
    assert len(twentieth) == len(second)
    assert not any("SELECT game_player.nickname_key" in s for s in twentieth)  # nobody else's name is read


def test_an_answer_is_one_read_and_one_write_whoever_else_has_answered(app: Flask, client: FlaskClient,
                                                                          game_url: str) -> None:  # noqa: F811
    pin = _pin(client, game_url)
    players = [_join(app, pin, name) for name in ("Awa", "Bintou", "Chaka")]
    _start(client, game_url)
    with app.app_context():
        form = right_form(db.session.get(Game, int(game_url.split("/")[2])))
    sent, tokens = [], []
    for player, screen in players:
        tokens.append(csrf_from(player.get(screen).get_data(as_text=True)))
        with counted(app) as statements:
            response = player.post(f"{screen}/answer", data={"csrf_token": tokens[-1], "index": "0", **form},
                                   headers={"Accept": "application/json"})
        assert response.status_code == 200 and response.json["stored"] and response.json["first"]
        sent.append(statements)
    # the first answer of the process also reads the question (kept for the others); then the
    # player and the game in one read, the answer, the points (and the commit): nothing that
    # grows with the number of players
    with app.app_context():
        dialect = db.engine.dialect.name
    if dialect == "postgresql":  # one statement (answer and points), in autocommit: no BEGIN, no COMMIT
        assert [s.split(" ")[0] for s in sent[1]] == ["SELECT", "WITH"], sent[1]
        assert "INSERT INTO game_answer" in sent[1][1] and "UPDATE game_player" in sent[1][1]
    else:
        assert [s.split(" ")[0] for s in sent[1]] == ["SELECT", "INSERT", "UPDATE"], sent[1]
    assert "FROM game JOIN game_player" in sent[1][0]
    assert sent[2] == sent[1]
    # the host's screen counts the answers (every second): all in, the question closes
    html = client.get(game_url).get_data(as_text=True)
    assert client.get(f"{game_url.rsplit('/', 1)[0]}/state").json["answered"] == 3
    assert client.get(f"{game_url.rsplit('/', 1)[0]}/state").json["state"] == "reveal"
    assert "3 of 3 answered" in html
    # a double tap: the insert finds the first answer, which is returned; nothing else is written
    player, screen = players[0]
    with counted(app) as repeat:
        again = player.post(f"{screen}/answer", data={"csrf_token": tokens[0], "index": "0", **form},
                            headers={"Accept": "application/json"})
    assert again.json == {"stored": True, "first": False, "message": "Your answer was already in: it counts once."}
    assert not any(s.startswith(("INSERT", "UPDATE")) for s in repeat)


def test_a_new_question_reaches_every_phone_for_the_reads_of_one(app: Flask, client: FlaskClient,
                                                                game_url: str) -> None:  # noqa: F811
    pin = _pin(client, game_url)
    phones = [_join(app, pin, f"phone {i}") for i in range(5)] + [_join(app, pin, "A&B <i>")]
    streams, responses = [], []
    for player, screen in phones:
        responses.append(player.get(f"{screen}/events", buffered=False))
        chunks = iter(responses[-1].response)
        assert "Waiting for the host" in _next_events(chunks, 2)[0]  # the lobby screen, then the state
        streams.append(chunks)
    # the host's click in its own thread, as another server thread serves it (a suspended stream
    # keeps its request's context in this one)
    host = threading.Thread(target=_start, args=(client, game_url))
    host.start()
    host.join(timeout=30)
    with counted(app) as statements:
        screens = [_next_events(chunks, 1)[0] for chunks in streams]
    for (player, _), pushed in zip(phones, screens):
        assert pushed.startswith("event: screen") and 'name="index" value="0"' in pushed
        assert "The answer" not in pushed  # never the answer before the reveal
    # the frame (the players' points, the question) is read once for all six; what is left is the
    # game's row, which each poll of the database bus reads (in a server the streams of one process
    # share even that read: game_frames.latest)
    frame_reads = [s for s in statements if "FROM game_player" in s or "FROM question" in s]
    assert len(frame_reads) == 2, frame_reads
    assert all(s.startswith("SELECT") and ("FROM game WHERE" in s or s in frame_reads or "FROM bank" in s)
               for s in statements), statements
    assert not any("FROM game_answer" in s for s in statements)  # nobody answered a question they never saw
    for response in reversed(responses):  # each suspended stream holds a request context: last in, first out
        response.close()


def _comparable(html: str) -> str:
    """A player's screen without what changes from one rendering to the next (seconds, token)."""
    html = html[html.index('<div id="player-screen"'):]
    html = re.sub(r'data-ms-left="\d+"|<span data-countdown>\d+</span>', "", html)
    html = re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', "", html)
    return "\n".join(line for line in html.split("\n") if line.strip())


def test_the_question_pushed_to_each_phone_is_the_screen_their_page_shows(app: Flask, client: FlaskClient,
                                                                         game_url: str) -> None:  # noqa: F811
    """The question's screen is rendered once per frame and filled in per phone: it must be
    exactly what that phone's own page shows (name escaped, points, rank, its own token)."""
    pin = _pin(client, game_url)
    phones = [_join(app, pin, name) for name in ("Awa", "A&B <i>", "Chaka")]
    _start(client, game_url)
    pushed = []
    for player, screen in phones:
        response = player.get(f"{screen}/events", buffered=False)
        event = _next_events(iter(response.response), 1)[0]
        response.close()
        pushed.append("\n".join(line[6:] for line in event.split("\n") if line.startswith("data: ")))
    for (player, screen), html in zip(phones, pushed):
        page = player.get(screen, headers={"HX-Request": "true"}).get_data(as_text=True)
        assert _comparable(html) == _comparable(page)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
        assert player.post(f"{screen}/answer", data={"csrf_token": token, "index": "0", "choice": "x"},
                           headers={"Accept": "application/json"}).status_code in (200, 422)  # its token works
    assert "<strong>A&amp;B &lt;i&gt;</strong>" in pushed[1] and "<i>" not in pushed[1]
    assert "<strong>Awa</strong> · 0 points · rank 1" in pushed[0]



def test_a_waiting_stream_holds_no_database_connection(app: Flask, client: FlaskClient,
                                                       game_url: str) -> None:  # noqa: F811
    """500 phones reconnecting at once (a server process killed) must not hold 500 connections
    while they wait for their first screen: the pool (10 + 10 per process) would run dry."""
    pin = _pin(client, game_url)
    player, screen = _join(app, pin, "Awa")
    _start(client, game_url)
    with app.app_context():
        pool = db.engine.pool
    before = pool.checkedout()
    response = player.get(f"{screen}/events", buffered=False)
    assert "Question 1 of 3" in _next_events(iter(response.response), 1)[0]  # it looked up its answer too
    assert pool.checkedout() == before
    response.close()
