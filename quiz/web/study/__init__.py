"""Flashcard study and study settings."""
from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("study", __name__, url_prefix="/study")


def init_app(app: Flask) -> None:
    from . import routes  # noqa: F401

    app.register_blueprint(bp)
