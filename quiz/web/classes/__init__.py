"""Classes: teachers set work, students join and do it, the gradebook shows it."""
from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("classes", __name__, url_prefix="/classes")


def init_app(app: Flask) -> None:
    from . import assignment_routes, routes  # noqa: F401

    app.register_blueprint(bp)
