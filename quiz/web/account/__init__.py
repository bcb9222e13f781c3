"""The learner's own account page."""
from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("account", __name__)


def init_app(app: Flask) -> None:
    from . import routes  # noqa: F401

    app.register_blueprint(bp)
