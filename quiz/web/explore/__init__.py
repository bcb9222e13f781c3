"""Reading views built from the banks' entries: timeline, glossary, who's who, places."""
from __future__ import annotations

from flask import Blueprint, Flask

from ...domain.dates import DateFormatError, PartialDate

bp = Blueprint("explore", __name__)


@bp.app_template_filter("human_date")
def human_date(text: str | None) -> str:
    """'2013-01-11' as '11 January 2013' (text that is not a date is shown as it is)."""
    try:
        return PartialDate.parse(str(text)).human()
    except DateFormatError:
        return str(text or "")


def init_app(app: Flask) -> None:
    from . import routes  # noqa: F401

    app.register_blueprint(bp)
