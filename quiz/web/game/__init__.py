"""The live classroom game: the host's pages (/games…) and the players' (/play…)."""
from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("game", __name__)


def init_app(app: Flask) -> None:
    from ...services import game_cache, game_events
    from . import host_routes, play_routes  # noqa: F401

    game_events.init_app(app)
    game_cache.init_app(app)
    app.register_blueprint(bp)
