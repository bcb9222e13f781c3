"""Live game pages: who may see what, CSRF, joining and answering with plain forms, the
JSON acknowledgement, and the event stream (database polling and Redis pub/sub)."""
from __future__ import annotations

import os
import re
import threading
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quiz import create_app
from quiz import config as quiz_config
from quiz.extensions import db
from quiz.models import Game, User
from quiz.services.banks import sync_banks

from ..conftest import AuthActions, csrf_from, database_url
from ..services.test_bank_sync import EXAMPLES
from ..services.test_games import _right_form as right_form


@pytest.fixture
def game_url(app: Flask, client: FlaskClient, auth: AuthActions, create_user: Callable[..., User]) -> str:
    """A game in its lobby hosted by host@example.org (logged in on `client`); its host URL."""
    with app.app_context():
        sync_banks([EXAMPLES], datetime.now(timezone.utc))
        db.session.remove()
    create_user("host@example.org", role="instructor")
    auth.login("host@example.org")
    page = client.get("/games/new?bank=examples").get_data(as_text=True)
    response = client.post("/games/new", data={"csrf_token": csrf_from(page), "source": "bank", "bank": "examples",
                                               "count": "3", "seconds": "30", "scoring": "speed"})
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"]


def _pin(client: FlaskClient, host_url: str) -> str:
    match = re.search(r'class="game-pin">(\d{6})<', client.get(host_url).get_data(as_text=True))
    assert match
    return match.group(1)


def _join(app: Flask, pin: str, nickname: str) -> tuple[FlaskClient, str]:
    player = app.test_client()
    page = player.get(f"/play?pin={pin}").get_data(as_text=True)
    response = player.post("/play", data={"csrf_token": csrf_from(page), "pin": pin, "nickname": nickname})
    assert response.status_code == 303, response.get_data(as_text=True)
    return player, response.headers["Location"]


def test_host_pages_are_for_the_host_and_admins_only(app: Flask, client: FlaskClient, game_url: str,
                                                     create_user: Callable[..., User]) -> None:
    game_id = game_url.split("/")[2]
    pages = [game_url, f"/games/{game_id}/results", f"/games/{game_id}/results.csv", f"/games/{game_id}/qr.svg",
             f"/games/{game_id}/state"]
    for url in pages:
        assert client.get(url).status_code == 200, url
    create_user("other@example.org", role="instructor")
    create_user("learner@example.org")
    create_user("admin@example.org", role="admin")
    for email, expected in [("other@example.org", 404), ("learner@example.org", 404), ("admin@example.org", 200)]:
        visitor = app.test_client()
        AuthActions(visitor).login(email)
        for url in pages:
            assert visitor.get(url).status_code == expected, (email, url)
    learner = app.test_client()
    AuthActions(learner).login("learner@example.org")
    assert learner.get("/games/new").status_code == 403
    assert learner.get("/games").status_code == 403
    anonymous = app.test_client()
    assert anonymous.get(game_url).status_code == 302  # to the login page
    assert anonymous.get("/games/new").status_code == 302
    # a player's pages need the player's cookie; the host's login is not enough there
    for visitor in (anonymous, client):
        assert visitor.get(f"/play/{game_id}/events").status_code == 403
        assert visitor.get(f"/play/{game_id}/state").status_code == 403
        assert visitor.get(f"/play/{game_id}").status_code == 303  # to the join form
    assert anonymous.get("/play/999999").status_code == 404


def test_every_post_needs_a_csrf_token(app: Flask, client: FlaskClient, game_url: str) -> None:
    game_id = game_url.split("/")[2]
    assert client.post(f"/games/{game_id}/control", data={"action": "start"}).status_code == 400
    assert client.post("/games/new", data={"source": "bank", "bank": "examples"}).status_code == 400
    assert app.test_client().post("/play", data={"pin": _pin(client, game_url), "nickname": "x"}).status_code == 400
    assert "Waiting" not in client.get(game_url).get_data(as_text=True)


def test_players_join_answer_with_plain_forms_and_come_back(app: Flask, client: FlaskClient, game_url: str) -> None:
    pin = _pin(client, game_url)
    player, screen = _join(app, pin, "Awa")
    assert "You're in!" in player.get(screen).get_data(as_text=True)
    other, _ = _join(app, pin, "Bintou")
    # the same name again is refused with a message
    stranger = app.test_client()
    page = stranger.get(f"/play?pin={pin}").get_data(as_text=True)
    refused = stranger.post("/play", data={"csrf_token": csrf_from(page), "pin": pin, "nickname": " awa "})
    assert refused.status_code == 422 and "already called" in refused.get_data(as_text=True)
    html = client.get(game_url).get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    assert client.post(f"/games/{game_url.split('/')[2]}/control",
                       data={"csrf_token": csrf_from(html), "action": "start", "version": version}).status_code == 303
    question = player.get(screen).get_data(as_text=True)
    assert 'name="index" value="0"' in question
    # never the answer before the reveal
    assert "The answer" not in question and "Correct answer" not in question
    with app.app_context():
        form = right_form(db.session.get(Game, int(game_url.split("/")[2])))
    token = csrf_from(question)
    first = player.post(f"{screen}/answer", data={"csrf_token": token, "index": "0", **form})
    assert first.status_code == 303
    assert client.get(f"{game_url.rsplit('/', 1)[0]}/state").json["answered"] == 1  # the host's count
    again = player.post(f"{screen}/answer", data={"csrf_token": token, "index": "0", **form},
                        headers={"Accept": "application/json"})
    assert again.status_code == 200 and again.json == {"stored": True, "first": False,
                                                       "message": "Your answer was already in: it counts once."}
    # a reload (same cookie) comes back to the same game, nickname and question
    again_page = player.get(screen).get_data(as_text=True)
    assert "Awa" in again_page and "Answer stored" in again_page
    # a stranger without the cookie is sent to the join form
    assert app.test_client().get(screen).status_code == 303
    assert other.get(f"{screen}/state").json["state"] == "question"


def test_unreadable_answer_is_sent_back_with_a_message(app: Flask, client: FlaskClient, game_url: str) -> None:
    pin = _pin(client, game_url)
    player, screen = _join(app, pin, "Awa")
    html = client.get(game_url).get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    client.post(f"/games/{game_url.split('/')[2]}/control",
                data={"csrf_token": csrf_from(html), "action": "start", "version": version})
    page = player.get(screen).get_data(as_text=True)
    response = player.post(f"{screen}/answer", data={"csrf_token": csrf_from(page), "index": "0"})
    assert response.status_code == 422
    late = player.post(f"{screen}/answer", data={"csrf_token": csrf_from(page), "index": "2", "choice": "x"})
    assert late.status_code == 409 and "Too late" in late.get_data(as_text=True)


def _stream_follows_the_game(app: Flask, client: FlaskClient, game_url: str) -> None:
    """The host's stream: the state at once, then the start of the game as it happens."""
    game_id = game_url.split("/")[2]
    stream = client.get(f"/games/{game_id}/events", buffered=False)
    assert stream.mimetype == "text/event-stream"
    chunks = iter(stream.response)
    first = _next_events(chunks, 2)
    assert first[0].startswith("event: players") and '"state":"lobby"' in first[1] and "id: 0" in first[1]
    host = client.get(game_url).get_data(as_text=True)
    started = client.post(f"/games/{game_id}/control", data={"csrf_token": csrf_from(host), "action": "start",
                                                             "version": "0"})
    assert started.status_code == 303 and client.get(f"/games/{game_id}/state").json["state"] == "question"
    change = _next_events(chunks, 1)[0]
    assert "event: state" in change and '"state":"question"' in change and "id: 1" in change
    stream.close()


def _next_events(chunks: Iterator[bytes], count: int) -> list[str]:
    """The next `count` events of a stream (comments and retry lines skipped)."""
    events: list[str] = []
    buffer = ""
    while len(events) < count:
        chunk = next(chunks)
        buffer += chunk.decode() if isinstance(chunk, bytes) else chunk
        while "\n\n" in buffer:
            block, buffer = buffer.split("\n\n", 1)
            if block.startswith("event:"):
                events.append(block)
    return events


def test_event_stream_sends_the_state_then_each_change(app: Flask, client: FlaskClient, game_url: str) -> None:
    _stream_follows_the_game(app, client, game_url)


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("QUIZ_TEST_REDIS_URL", "redis://127.0.0.1:6379/6")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception as error:  # noqa: BLE001
        reason = f"Redis is not reachable at {url} ({error}); set QUIZ_TEST_REDIS_URL or start redis-server"
        if os.environ.get("QUIZ_REQUIRE_REDIS") == "1":  # CI starts one: missing is a failure there
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return url


@pytest.fixture
def redis_app(tmp_path: Path, redis_url: str) -> Iterator[Flask]:
    config = quiz_config.TestConfig(database_url(tmp_path), tmp_path / "instance")
    config.REDIS_URL = redis_url
    config.REDIS_CHANNEL_PREFIX = f"test-{uuid.uuid4().hex[:8]}"
    app = create_app(config)
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def test_redis_bus_relays_a_change_to_a_waiting_subscriber(redis_app: Flask) -> None:
    from quiz.services import game_events

    with redis_app.app_context():
        bus = game_events.bus()
        assert isinstance(bus, game_events.RedisBus)
        subscription = bus.subscribe(42)
        other = bus.subscribe(43)
        try:
            game_events.publish(42, {"event": "state", "version": 7})
            assert subscription.get(5) == {"event": "state", "version": 7}
            assert other.get(0.2) is None  # another game's stream hears nothing
        finally:
            subscription.close()
            other.close()


def test_event_stream_over_redis(redis_app: Flask, create_user: Callable[..., User]) -> None:
    client = redis_app.test_client()
    with redis_app.app_context():
        sync_banks([EXAMPLES], datetime.now(timezone.utc))
        from quiz.services import accounts

        accounts.create_user("host@example.org", "password123", "instructor")
        db.session.remove()
    AuthActions(client).login("host@example.org")
    page = client.get("/games/new").get_data(as_text=True)
    response = client.post("/games/new", data={"csrf_token": csrf_from(page), "source": "bank", "bank": "examples",
                                               "count": "3", "seconds": "30", "scoring": "speed"})
    _stream_follows_the_game(redis_app, client, response.headers["Location"])


def test_a_players_stream_skips_lobby_changes_and_ends_when_removed(app: Flask, client: FlaskClient,
                                                                    game_url: str) -> None:
    game_id = game_url.split("/")[2]
    pin = _pin(client, game_url)
    player, screen = _join(app, pin, "Awa")
    stream = player.get(f"{screen}/events", buffered=False)
    chunks = iter(stream.response)
    first = _next_events(chunks, 2)  # the phone's screen itself, then the state
    assert first[0].startswith("event: screen") and "You're in! Waiting for the host" in first[0]
    assert first[1].startswith("event: state")

    def host_removes_awa() -> None:  # in its own thread, as another server thread would serve it
        _join(app, pin, "Bintou")  # a lobby change: not for phones
        host = client.get(game_url).get_data(as_text=True)
        awa_id = re.search(r'/players/(\d+)/remove', host).group(1)
        client.post(f"/games/{game_id}/players/{awa_id}/remove", data={"csrf_token": csrf_from(host)})

    thread = threading.Thread(target=host_removes_awa)
    thread.start()
    thread.join(timeout=30)
    last = _next_events(chunks, 1)[0]
    assert last.startswith("event: state") and '"state":"removed"' in last
    assert list(chunks) == []  # the stream ended
    assert "removed you" in player.get(screen).get_data(as_text=True)


def test_the_list_of_games_scrolls_sideways_on_a_phone_instead_of_widening_the_page(
        client: FlaskClient, game_url: str) -> None:
    html = client.get("/games").get_data(as_text=True)
    region = html.index('<div class="table-scroll" tabindex="0" role="region" aria-label="Your games">')
    assert region < html.index("<table>") < html.index("</table>") < html.index("</div>", html.index("</table>"))


def test_every_game_page_listens_for_the_events_its_script_follows(app: Flask, client: FlaskClient,
                                                                  game_url: str) -> None:
    """The htmx sse extension adds a listener only for the event names in `sse-swap` and
    `hx-trigger="sse:…"`: the host's lobby would not fill itself, nor a removed phone hear of it."""
    host = client.get(game_url).get_data(as_text=True)
    player, screen = _join(app, _pin(client, game_url), "Awa")
    phone = player.get(screen).get_data(as_text=True)
    for page in (host, phone):
        assert 'hx-trigger="sse:state, sse:players"' in page
    assert 'sse-swap="screen"' in phone and 'sse-swap="screen"' not in host
