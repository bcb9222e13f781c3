"""Progress page: figures per bank and tag, and three charts, each with its data table."""
from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from ...domain import charts
from ...models.types import utcnow
from ...services import progress
from . import bp


@bp.route("/progress")
@login_required
def dashboard() -> str:
    board = progress.dashboard(current_user.id, utcnow())
    svgs: dict[str, str] = {}
    if not board.is_empty:
        svgs = {
            "heatmap": charts.heatmap(board.reviews_per_day, chart_id="heatmap"),
            "forecast": charts.forecast(board.due_per_day, chart_id="forecast"),
            "retention": charts.retention([(w.start, w.recalled, w.reviews) for w in board.retention_per_week],
                                          target=board.desired_retention, chart_id="retention"),
        }
    return render_template("progress/dashboard.html", board=board, svgs=svgs, charts=charts,
                           mature_days=progress.MATURE_DAYS, mastery=progress.MASTERY_RETRIEVABILITY)
