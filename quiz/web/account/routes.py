"""Account page."""
from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from ...services import catalog, quizzes
from . import bp


@bp.route("/account")
@login_required
def show() -> str:
    user = current_user
    return render_template("account/show.html", banks=catalog.studied_banks(user),  # type: ignore[arg-type]
                           attempts=quizzes.history(user))  # type: ignore[arg-type]
