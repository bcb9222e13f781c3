"""What the host's and the players' screens show, gathered from the services; and the event
stream and state responses both use."""
from __future__ import annotations

from typing import Any

from flask import Response, current_app, request, stream_with_context

from ...domain.question_types import QUESTION_TYPES
from ...models import Game, GamePlayer
from ...models.types import utcnow
from ...services import game_players, game_stream, games
from ..auth.forms import ActionForm


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def _common(game: Game) -> dict[str, Any]:
    """What both screens show: the state, the question (never its answer before the reveal)."""
    now = utcnow()
    games.tick(game, now)
    state = games.snapshot(game, now)
    frozen = game.paused_state if game.state == "paused" else game.state
    question = games.current_question(game) if frozen in ("question", "reveal") else None
    return {"game": game, "snapshot": state, "frozen": frozen, "question": question,
            "shown": games.shown(game, question) if question is not None else None,
            "reveal": games.reveal(game), "types": QUESTION_TYPES, "action_form": ActionForm(),
            "item_position": max(game.question_index, 0), "sent": {}, "error_field": None}


def host_context(game: Game) -> dict[str, Any]:
    context = _common(game)
    context.update(players=games.players_of(game), answered=games.answer_count(game, game.question_index),
                   standings=games.standings(game) if game.state == "ended" else [])
    return context


def player_context(game: Game, player: GamePlayer, error: str | None = None,
                   sent: dict[str, list[str]] | None = None, field: str | None = None) -> dict[str, Any]:
    context = _common(game)
    mine = game_players.answer_of(player, game.question_index) if game.question_index >= 0 else None
    context.update(player=player, mine=mine, rank=games.rank_of(game, player), error=error,
                   sent=sent or {}, error_field=field,
                   my_answers=game_players.results_of(game, player) if game.state == "ended" else [],
                   standings=games.leaders(game, 3) if game.state == "ended" else [])
    return context


def event_stream(game: Game, player_id: int | None) -> Response:
    """The game's Server-Sent Events for one screen (docs/live-game.md)."""
    body = game_stream.events(game.id, player_id, utcnow, current_app.config["GAME_STREAM_SECONDS"])
    response = Response(stream_with_context(body), mimetype="text/event-stream")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Accel-Buffering"] = "no"  # nginx: pass events on at once
    return response


def state_json(game: Game, answers: bool = False) -> dict[str, Any]:
    """The state as the polling fallback reads it; for the host also how many have answered."""
    now = utcnow()
    games.tick(game, now)
    state = games.snapshot(game, now)
    if answers:
        state["answered"] = games.answer_count(game, game.question_index)
    return state
