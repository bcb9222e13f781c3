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

from sqlalchemy import select

from ..extensions import db
from ..models import Game, GamePlayer
from . import game_events, games

HEARTBEAT_SECONDS = 15.0
RETRY_MS = 2000


def format_event(name: str, data: dict[str, Any], event_id: int | None = None) -> str:
    """One SSE event."""
    head = f"event: {name}\n" + (f"id: {event_id}\n" if event_id is not None else "")
    return head + f"data: {json.dumps(data, separators=(',', ':'))}\n\n"


def _fresh(game_id: int) -> Game | None:
    return db.session.scalar(select(Game).where(Game.id == game_id).execution_options(populate_existing=True))


def _removed(player_id: int | None) -> bool:
    if player_id is None:
        return False
    removed_at = db.session.scalar(select(GamePlayer.removed_at).where(GamePlayer.id == player_id))
    return removed_at is not None


def events(game_id: int, player_id: int | None, clock: Callable[[], Any], max_seconds: float) -> Iterator[str]:
    """The stream for one screen (a player's when `player_id` is given) for up to `max_seconds`;
    the browser then reconnects and gets the full state again."""
    subscription = game_events.bus().subscribe(game_id)
    started = last_sent = time.monotonic()
    # a phone has no use for lobby changes: only the host's stream sends them
    seen: dict[str, int] = {"state": -1, "players": -1 if player_id is None else 2**62}
    deadline_in: float | None = None  # seconds to the current question's deadline, when one runs
    last_row = (-1, -1)  # the (version, players_version) last read
    try:
        yield f"retry: {RETRY_MS}\n\n"
        message: dict[str, Any] | None = None
        while time.monotonic() - started < max_seconds:
            if message is None:  # read the row: the truth, and the deadline
                now = clock()
                game = _fresh(game_id)
                if game is None:
                    return
                games.tick(game, now)
                if (game.version, game.players_version) == last_row:
                    db.session.rollback()  # nothing new: one primary-key read was all this poll cost
                    state, chunks = {}, []
                else:
                    last_row = (game.version, game.players_version)
                    state = games.snapshot(game, now)
                    removed = _removed(player_id)
                    db.session.rollback()  # end the read: the next one sees new commits, the connection goes back
                    if removed:
                        yield format_event("state", {**state, "state": "removed"}, state["version"])
                        return
                    chunks = (_changes({"event": "players", **state}, seen)
                              + _changes({"event": "state", **state}, seen))
            else:
                chunks = _changes(message, seen)
                state = message
            if state.get("event", "state") == "state" and "ms_left" in state:
                deadline_in = state["ms_left"] / 1000 if state["state"] == "question" else None
            if chunks:
                yield "".join(chunks)
                last_sent = time.monotonic()
            elif time.monotonic() - last_sent >= HEARTBEAT_SECONDS:
                yield ": keep-alive\n\n"
                last_sent = time.monotonic()
            timeout = HEARTBEAT_SECONDS - (time.monotonic() - last_sent)
            if deadline_in is not None:
                timeout = min(timeout, deadline_in + 0.6)  # wake up just after the deadline's grace
            waited = time.monotonic()
            message = subscription.get(max(timeout, 0.05))
            if deadline_in is not None:
                deadline_in -= time.monotonic() - waited
    finally:
        subscription.close()
        db.session.remove()


def _changes(message: dict[str, Any], seen: dict[str, int]) -> list[str]:
    """The event to send for a message newer than what this stream has sent ([] otherwise)."""
    kind = message.get("event")
    data = {k: v for k, v in message.items() if k != "event"}
    if kind == "state" and message["version"] > seen["state"]:
        seen["state"] = message["version"]
        return [format_event("state", data, message["version"])]
    if kind == "players" and message["players_version"] > seen["players"]:
        seen["players"] = message["players_version"]
        return [format_event("players", {"game": data["game"], "players": data["players"],
                                         "players_version": data["players_version"]})]
    return []
