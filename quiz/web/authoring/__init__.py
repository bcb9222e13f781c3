"""Banks written in the app: my banks, drafts and their source, publishing, versions, sharing."""
from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("authoring", __name__, url_prefix="/my/banks")


def init_app(app: Flask) -> None:
    from . import import_routes, routes, version_routes  # noqa: F401

    app.register_blueprint(bp)
