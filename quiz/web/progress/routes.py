"""Progress page: figures per bank and tag, and three charts, each with its data table."""
from __future__ import annotations

from flask import render_template

from ...domain import charts
from ...models.types import utcnow
from ...services import progress
from ..auth.forms import ActionForm
from ..auth.learner import current_learner
from . import bp


@bp.route("/progress")
def dashboard() -> str:
    """The learner's dashboard; a visitor who has not studied yet sees how to start."""
    user = current_learner()
    board = progress.dashboard(user.id, utcnow()) if user else None
    svgs: dict[str, str] = {}
    if board is not None and not board.is_empty:
        svgs = {
            "heatmap": charts.heatmap(board.reviews_per_day, chart_id="heatmap"),
            "forecast": charts.forecast(board.due_per_day, chart_id="forecast"),
            "retention": charts.retention([(w.start, w.recalled, w.reviews) for w in board.retention_per_week],
                                          target=board.desired_retention, chart_id="retention"),
        }
    return render_template("progress/dashboard.html", board=board, svgs=svgs, charts=charts,
                           mature_days=progress.MATURE_DAYS, mastery=progress.MASTERY_RETRIEVABILITY,
                           form=ActionForm())
