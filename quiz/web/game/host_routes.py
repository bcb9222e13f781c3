"""The host's pages: start a game, run it on the projector, remove players, results."""
from __future__ import annotations

import random

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug import Response
from wtforms.fields.choices import SelectChoice

from ...domain.question_types import QUESTION_TYPES
from ...models import Game
from ...models.types import utcnow
from ...services import catalog, game_players, games, quizzes
from ..auth.forms import ActionForm
from ..auth.learner import current_learner
from ..classes.qr import qr_svg
from . import bp
from .forms import GameForm
from .screens import event_stream, host_context, is_htmx, state_json


def _host() -> None:
    if not games.may_host(current_learner()):
        abort(403)


def _hosted(game_id: int) -> Game:
    game = games.game_for_host(game_id, current_learner())
    if game is None:
        abort(404)
    return game


def _game_form() -> GameForm:
    form = GameForm()
    host = current_learner()
    assert host is not None
    form.bank.choices = [SelectChoice(s.bank.id, s.bank.title) for s in catalog.list_banks(viewer=host)]
    form.tag.choices = [SelectChoice(t, f"#{t}") for t in quizzes.quiz_options(viewer=host)["tags"]]
    form.assignment.choices = [SelectChoice(str(a.id), f"{a.title} ({a.classroom.name})")
                               for a in games.assignments_for(host)]
    return form


@bp.route("/games")
@login_required
def list_games() -> str:
    _host()
    user = current_learner()
    assert user is not None
    return render_template("game/index.html", games=games.hosted_by(user))


@bp.route("/games/new", methods=["GET", "POST"])
@login_required
def new_game() -> str | tuple[str, int] | Response:
    _host()
    form = _game_form()
    if request.method == "GET":
        for name in ("bank", "tag", "assignment"):
            if request.args.get(name):
                form.source.data = name
                getattr(form, name).data = request.args[name]
    if form.validate_on_submit():
        assignment = form.assignment.data
        settings = games.GameSettings(
            source=form.source.data or "bank", bank_id=form.bank.data, tag=form.tag.data,
            assignment_id=int(assignment) if assignment and assignment.isdigit() else None,
            count=form.count.data or 10, seconds=form.seconds.data or 20, scoring=form.scoring.data or "speed",
            require_account=bool(form.require_account.data))
        host = current_learner()
        assert host is not None
        try:
            game = games.create_game(host, settings, utcnow(), random.Random())
        except games.GameError as error:
            form.form_errors.append(str(error))
        else:
            return redirect(url_for("game.host_game", game_id=game.id), 303)
    return render_template("game/new.html", form=form), 422 if request.method == "POST" else 200


@bp.route("/games/<int:game_id>/host")
@login_required
def host_game(game_id: int) -> str:
    game = _hosted(game_id)
    context = host_context(game)
    context["join_url"] = url_for("game.join", pin=game.pin, _external=True)
    return render_template("game/_host_screen.html" if is_htmx() else "game/host.html", **context)


@bp.route("/games/<int:game_id>/control", methods=["POST"])
@login_required
def control_game(game_id: int) -> Response:
    game = _hosted(game_id)
    version = request.form.get("version", "")
    try:
        games.control(game, request.form.get("action", ""), int(version) if version.isdigit() else None, utcnow())
    except games.GameError as error:
        flash(str(error), "error")
    return redirect(url_for("game.host_game", game_id=game.id), 303)


@bp.route("/games/<int:game_id>/players/<int:player_id>/remove", methods=["POST"])
@login_required
def remove_player(game_id: int, player_id: int) -> Response:
    game = _hosted(game_id)
    ActionForm()  # CSRF is checked for every POST by CSRFProtect
    try:
        player = games.remove_player(game, player_id, request.form.get("block") == "1", utcnow())
    except games.GameError:
        abort(404)
    flash(f"{player.nickname} was removed" + (" and the name blocked." if request.form.get("block") == "1" else "."),
          "success")
    return redirect(url_for("game.host_game", game_id=game.id), 303)


@bp.route("/games/<int:game_id>/qr.svg")
@login_required
def game_qr(game_id: int) -> Response:
    game = _hosted(game_id)
    svg = qr_svg(url_for("game.join", pin=game.pin, _external=True), f"Join the game with PIN {game.pin}")
    return Response(svg, mimetype="image/svg+xml", headers={"Cache-Control": "private, no-store"})


@bp.route("/games/<int:game_id>/events")
@login_required
def host_events(game_id: int) -> Response:
    return event_stream(_hosted(game_id), None)


@bp.route("/games/<int:game_id>/state")
@login_required
def host_state(game_id: int) -> dict[str, object]:
    return state_json(_hosted(game_id), answers=True)


@bp.route("/games/<int:game_id>/results")
@login_required
def game_results(game_id: int) -> str:
    game = _hosted(game_id)
    return render_template("game/results.html", game=game, rows=game_players.results(game),
                           count=len(game.question_ids))


@bp.route("/games/<int:game_id>/results.csv")
@login_required
def game_results_csv(game_id: int) -> Response:
    game = _hosted(game_id)
    return Response(game_players.results_csv(game), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="game-{game.id}-results.csv"'})


@bp.route("/games/<int:game_id>/players/<int:player_id>")
@login_required
def player_results(game_id: int, player_id: int) -> str:
    game = _hosted(game_id)
    player = game_players.player_in(game, player_id)
    if player is None:
        abort(404)
    return render_template("game/player_results.html", game=game, player=player,
                           lines=game_players.results_of(game, player), rank=games.rank_of(game, player),
                           types=QUESTION_TYPES)
