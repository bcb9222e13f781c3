"""The learner's progress dashboard."""
from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("progress", __name__)


def init_app(app: Flask) -> None:
    from . import routes  # noqa: F401

    app.register_blueprint(bp)
