"""A game's event stream (Server-Sent Events) for the host's screen and the players' phones.

The stream sends the full current state on connect, then an event at every change: from the
bus (Redis) when a message arrives, or from the game's row, read again whenever the bus has
nothing (every 0.3 s without Redis; at the question's deadline and every heartbeat with it).
Reading the row also closes a question whose time is up (games.tick), so the reveal comes
even when the host's screen is gone. The format is in docs/live-game.md.
"""
from __future__ import annotations

import json
import time
from typing import Any, Callable, Iterator

from ..extensions import db
from . import game_events, game_frames

HEARTBEAT_SECONDS = 15.0
RETRY_MS = 2000


def format_event(name: str, data: dict[str, Any], event_id: int | None = None) -> str:
    """One SSE event."""
    head = f"event: {name}\n" + (f"id: {event_id}\n" if event_id is not None else "")
    return head + f"data: {json.dumps(data, separators=(',', ':'))}\n\n"


def format_html(name: str, html: str) -> str:
    """An SSE event carrying HTML (one `data:` line per line of it)."""
    lines = "".join(f"data: {line}\n" for line in html.replace("\r", "").split("\n") if line.strip())
    return f"event: {name}\n{lines}\n"


# A player's screen from a frame: (frame, whether their answer to the frame's question must be
# looked up) → HTML. Given by the web layer (templates are its business).
Render = Callable[[game_frames.Frame, bool], str]


def events(game_id: int, player_id: int | None, clock: Callable[[], Any], max_seconds: float,
           render: Render | None = None, seen: tuple[int, int] = (-1, -1)) -> Iterator[str]:
    """The stream for one screen (a player's when `player_id` is given) for up to `max_seconds`;
    the browser then reconnects and gets the full state again.

    Every screen gets a `state` event (JSON) at each change; the host's also gets `players`
    events as the lobby fills; a player's also gets `screen` events: the HTML of their screen,
    rendered from the process's frame of the game (game_frames), so that no phone has to fetch
    its screen when the game moves on. `seen`: the (version, players_version) the request read;
    the first event is at least that new."""
    subscription = game_events.bus().subscribe(game_id, lobby=player_id is None)
    started = last_sent = time.monotonic()
    sent_version = sent_players = -1
    sent_index: int | None = None  # the question index of the last screen sent
    wanted = seen  # the (version, players_version) a message (or the request) told of
    # The request's own reads (who is this?) hold a pooled connection until the session ends: give
    # it back before streaming, or 500 phones reconnecting at once hold 500 connections while they wait.
    db.session.rollback()
    try:
        yield f"retry: {RETRY_MS}\n\n"
        while time.monotonic() - started < max_seconds:
            frame = game_frames.latest(game_id, clock(), wanted)
            if frame is None:
                return
            if player_id is not None and player_id in frame.removed:
                yield _removed(frame, clock())
                return
            chunks: list[str] = []
            state = frame.snapshot(clock())
            if player_id is None and frame.players_version > sent_players:
                sent_players = frame.players_version
                chunks.append(format_event("players", {"game": game_id, "players": state["players"],
                                                       "players_version": frame.players_version}))
            if frame.version > sent_version:
                sent_version = frame.version
                if render is not None:
                    index = frame.game.question_index
                    recheck = frame.frozen == "question" and (sent_index is None or sent_index == index)
                    chunks.append(format_html("screen", render(frame, recheck)))
                    sent_index = index
                chunks.append(format_event("state", state, frame.version))
            db.session.rollback()  # a render's read (did they answer?) gives its connection back before the wait
            if chunks:
                yield "".join(chunks)
                last_sent = time.monotonic()
            elif time.monotonic() - last_sent >= HEARTBEAT_SECONDS:
                yield ": keep-alive\n\n"
                last_sent = time.monotonic()
            timeout = HEARTBEAT_SECONDS - (time.monotonic() - last_sent)
            if frame.game.state == "question":  # wake up just after the deadline's grace, to close it
                timeout = min(timeout, state["ms_left"] / 1000 + 0.6)
            message = subscription.get(max(timeout, 0.05))
            if message is not None and message.get("event") == "removed" and message.get("player") == player_id:
                yield _removed(frame, clock())
                return
            wanted = (int(message.get("version", -1)), int(message.get("players_version", -1))) if message else (-1, -1)
    finally:
        subscription.close()
        db.session.remove()


def _removed(frame: game_frames.Frame, now: Any) -> str:
    state = frame.snapshot(now)
    return format_event("state", {**state, "state": "removed"}, state["version"])
