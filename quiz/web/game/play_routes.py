"""The players' pages: join with a PIN and a nickname, then one screen that follows the game."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug import Response

from ...domain.game import NicknameError
from ...models import Game, GamePlayer
from ...models.types import utcnow
from ...services import game_players, games
from ..auth.learner import current_learner
from . import bp
from .forms import JoinForm
from .screens import answered_context, event_stream, is_htmx, player_context, seen_by, state_json

COOKIE_SECONDS = 12 * 3600


def cookie_name(game: Game) -> str:
    return f"game-{game.id}"


def _game(game_id: int) -> Game:
    game = games.get_game(game_id)
    if game is None:
        abort(404)
    return game


def _player(game: Game) -> GamePlayer | None:
    return game_players.player_for(game, request.cookies.get(cookie_name(game)))


def _to_join(game: Game) -> Response:
    """A visitor without this game's cookie: to the join form (htmx: a full-page visit)."""
    url = url_for("game.join", pin=game.pin) if game.state != "ended" else url_for("game.join")
    if is_htmx():
        return Response(status=204, headers={"HX-Redirect": url})
    return redirect(url, 303)


@bp.route("/play", methods=["GET", "POST"])
def join() -> str | tuple[str, int] | Response:
    form = JoinForm()
    if request.method == "GET" and request.args.get("pin"):
        form.pin.data = request.args["pin"][:20]
        game = game_players.live_game_by_pin(form.pin.data)
        if game is not None and _player(game) is not None:  # back on the join link: carry on
            return redirect(url_for("game.play", game_id=game.id), 303)
    if form.validate_on_submit():
        try:
            player, token = game_players.join(form.pin.data or "", form.nickname.data or "", current_learner(), utcnow())
        except NicknameError as error:
            form.nickname.errors = [str(error)]
        except games.GameError as error:
            form.form_errors.append(str(error))
        else:
            response = redirect(url_for("game.play", game_id=player.game_id), 303)
            response.set_cookie(f"game-{player.game_id}", token, max_age=COOKIE_SECONDS, path="/play", httponly=True,
                                samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
            return response
    return render_template("game/join.html", form=form), 422 if request.method == "POST" else 200


@bp.route("/play/<int:game_id>")
def play(game_id: int) -> str | Response:
    game = _game(game_id)
    player = _player(game)
    if player is None:
        return _to_join(game)
    template = "game/_player_screen.html" if is_htmx() else "game/play.html"
    return render_template(template, **player_context(game, player))


@bp.route("/play/<int:game_id>/answer", methods=["POST"])
def answer(game_id: int) -> str | tuple[str, int] | Response | tuple[dict[str, object], int]:
    index = request.form.get("index", "")
    wants_json = request.accept_mimetypes.best == "application/json"
    sent = request.form.to_dict(flat=False)
    answered = game_players.answer(game_id, request.cookies.get(f"game-{game_id}"),
                                   int(index) if index.isdigit() else -1, sent, utcnow())
    if answered is None:
        return _to_join(_game(game_id))
    game, player, problem = answered.game, answered.player, answered.refused
    if isinstance(problem, game_players.AnswerUnreadable):
        status, message, field = 422, str(problem), problem.field
    elif problem is not None:  # late, closed, paused, removed
        status, message, field = 409, str(problem), None
    else:
        stored = answered.stored
        assert stored is not None
        message = "Your answer is in." if stored.first else "Your answer was already in: it counts once."
        if wants_json:
            return {"stored": True, "first": stored.first, "message": message}, 200
        if is_htmx():
            return render_template("game/_player_screen.html", **answered_context(seen_by(game, player)))
        flash(message, "success")
        return redirect(url_for("game.play", game_id=game.id), 303)
    if wants_json:
        return {"stored": False, "first": False, "message": message}, status
    context = player_context(game, player, error=message, sent=sent if status == 422 else None, field=field)
    return render_template("game/_player_screen.html" if is_htmx() else "game/play.html", **context), status


@bp.route("/play/<int:game_id>/events")
def play_events(game_id: int) -> Response:
    game = _game(game_id)
    player = _player(game)
    if player is None:
        abort(403)
    return event_stream(game, player)


@bp.route("/play/<int:game_id>/state")
def play_state(game_id: int) -> dict[str, object]:
    game = _game(game_id)
    if _player(game) is None:
        abort(403)
    return state_json(game)
