"""What the host's and the players' screens show, gathered from the services; and the event
stream and state responses both use."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Callable

from flask import Response, abort, current_app, render_template, request, stream_with_context
from flask_wtf.csrf import generate_csrf
from markupsafe import escape

from ...domain import game as rules
from ...domain.question_types import QUESTION_TYPES
from ...models import Game, GamePlayer
from ...models.types import utcnow
from ...services import game_cache, game_frames, game_players, game_stream, games
from ..auth.forms import ActionForm


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def _shown(frame: game_frames.Frame) -> dict[str, Any]:
    """What every screen of the game shows at this frame: the state, the question (never its
    answer before the reveal), the reveal."""
    game = frame.game
    return {"game": game, "snapshot": frame.snapshot(utcnow()), "frozen": frame.frozen, "question": frame.question,
            "shown": frame.question.shown if frame.question is not None else None, "reveal": frame.reveal,
            "types": QUESTION_TYPES, "action_form": ActionForm(), "item_position": max(game.question_index, 0),
            "sent": {}, "error_field": None}


def host_context(game: Game) -> dict[str, Any]:
    """The host's screen: the frame the phones see, with the lobby's players and the answers so far."""
    frame = player_frame(game)
    context = _shown(frame)
    context.update(players=games.players_of(frame.game),
                   answered=games.answer_count(frame.game, frame.game.question_index),
                   standings=frame.standings if frame.game.state == "ended" else [])
    return context


@dataclass(frozen=True)
class PlayerView:
    """The player as their screen shows them (points as of the frame: no hint before the reveal)."""

    id: int
    nickname: str
    score: int
    removed_at: Any


def player_frame(game: Game) -> game_frames.Frame:
    """The process's frame of the game (every screen's, the host's too), at least as new as the
    row the request has read."""
    frame = game_frames.latest(game.id, utcnow(), (game.version, game.players_version))
    if frame is None:
        abort(404)
    return frame


def frame_context(frame: game_frames.Frame, player: PlayerView, mine: Any = None, error: str | None = None,
                  sent: dict[str, list[str]] | None = None, field: str | None = None) -> dict[str, Any]:
    """What a player's screen shows, from the frame alone (and their answer to the question, when
    it is asked: `mine`)."""
    game = frame.game
    index = game.question_index
    if frame.frozen in ("reveal", "ended"):
        mine = frame.answer_of(player.id, index)
    standing = frame.ranks.get(player.id)
    if standing is not None:
        player = replace(player, score=standing.score)
    lines = []
    if game.state == "ended":
        for i in range(max(index, -1) + 1):
            question = game_cache.question_at(game, i)
            if question is not None:
                lines.append(game_players.AnswerLine(i + 1, question, frame.answer_of(player.id, i),  # type: ignore[arg-type]
                                                     i in game.skipped))
    return {**_shown(frame), "player": player, "mine": mine, "rank": standing, "error": error, "sent": sent or {},
            "error_field": field, "my_answers": lines, "standings": frame.standings[:3]}


def player_context(game: Game, player: GamePlayer, error: str | None = None,
                   sent: dict[str, list[str]] | None = None, field: str | None = None) -> dict[str, Any]:
    """A player's screen as a request shows it (their page, a refused answer)."""
    frame = player_frame(game)
    view = PlayerView(player.id, player.nickname, 0, player.removed_at)
    index = frame.game.question_index
    mine = game_players.answer_of(player, index) if frame.frozen == "question" else None
    return frame_context(frame, view, mine, error, sent, field)


def seen_by(game: Game, player: GamePlayer) -> tuple[int, tuple[int, int], PlayerView]:
    """What answered_context needs, taken before the answer's commit expires the rows."""
    return game.id, (game.version, game.players_version), PlayerView(player.id, player.nickname, 0, player.removed_at)


def answered_context(seen: tuple[int, tuple[int, int], PlayerView]) -> dict[str, Any]:
    """The screen right after an answer was stored, from the frame (no further read)."""
    game_id, at_least, view = seen
    frame = game_frames.latest(game_id, utcnow(), at_least)
    if frame is None:
        abort(404)
    return frame_context(frame, view, mine=True)


def stream_renderer(player: GamePlayer) -> Callable[[game_frames.Frame, bool], str]:
    """How a player's event stream renders their screen from a frame (game_stream.Render)."""
    view = PlayerView(player.id, player.nickname, 0, player.removed_at)

    def render(frame: game_frames.Frame, recheck: bool) -> str:
        mine = None
        if recheck:  # their first screen of this question on this stream: did they answer already?
            mine = game_players.answered(view.id, frame.game.question_index)
        if frame.game.state == "question" and not mine:
            return question_screen(frame, view)
        return render_template("game/_player_screen.html", **frame_context(frame, view, mine))

    return render


# A question's screen is the same for every phone but for the player's name, points and rank, their
# CSRF token and the seconds left: it is rendered once per frame with stand-ins for those, which
# each stream then fills in (1,000 phones get a new question at the same instant).
_NAME, _SCORE, _RANK = "qz-nickname-qz", 918273645, 546372819
_MS_LEFT = re.compile(r'data-ms-left="\d+"')
_SECONDS = re.compile(r"<span data-countdown>\d+</span>")


def question_screen(frame: game_frames.Frame, view: PlayerView) -> str:
    """A player's screen of the frame's question (not yet answered), from the frame's one rendering."""
    shared = frame.rendered.get("question")
    token = generate_csrf()
    if shared is None:
        context = frame_context(frame, PlayerView(-1, _NAME, _SCORE, None))
        context["rank"] = rules.Standing(_RANK, -1, _NAME, _SCORE)
        shared = frame.rendered["question"] = (render_template("game/_player_screen.html", **context), token)
    html, stand_in_token = shared
    standing = frame.ranks.get(view.id)
    ms_left = frame.snapshot(utcnow())["ms_left"]
    html = (html.replace(_NAME, str(escape(view.nickname))).replace(str(_SCORE), str(standing.score if standing else 0))
            .replace(f" · rank {_RANK}", f" · rank {standing.rank}" if standing else "")
            .replace(stand_in_token, token))
    html = _MS_LEFT.sub(f'data-ms-left="{ms_left}"', html, count=1)
    return _SECONDS.sub(f"<span data-countdown>{(ms_left + 999) // 1000}</span>", html, count=1)


def event_stream(game: Game, player: GamePlayer | None) -> Response:
    """The game's Server-Sent Events for one screen, the host's or a player's (docs/live-game.md)."""
    body = game_stream.events(game.id, player.id if player is not None else None, utcnow,
                              current_app.config["GAME_STREAM_SECONDS"],
                              stream_renderer(player) if player is not None else None,
                              (game.version, game.players_version))
    response = Response(stream_with_context(body), mimetype="text/event-stream")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Accel-Buffering"] = "no"  # nginx: pass events on at once
    return response


def state_json(game: Game, answers: bool = False) -> dict[str, Any]:
    """The state as the polling fallback reads it; for the host also how many have answered."""
    now = utcnow()
    games.tick(game, now)
    answered = games.answered_so_far(game, now) if answers else None  # (it may close the question)
    state = games.snapshot(game, now)
    if answered is not None:
        state["answered"] = answered
    return state
