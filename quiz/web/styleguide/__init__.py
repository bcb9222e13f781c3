"""The living style guide: every token and component of the stylesheet on one page, for admins."""
from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("styleguide", __name__)


def init_app(app: Flask) -> None:
    from . import routes  # noqa: F401

    app.register_blueprint(bp)
