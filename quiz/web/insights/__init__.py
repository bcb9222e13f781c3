"""Insights for teachers and authors: item analysis of an assignment, class mastery, and
lint on a bank's questions from every class that used them."""
from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("insights", __name__, url_prefix="/classes")


def init_app(app: Flask) -> None:
    from . import routes  # noqa: F401

    app.register_blueprint(bp)
