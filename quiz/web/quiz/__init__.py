"""Self-study quizzes."""
from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("quiz", __name__, url_prefix="/quiz")


def init_app(app: Flask) -> None:
    from . import display, routes  # noqa: F401

    display.init_app(app)
    app.register_blueprint(bp)
