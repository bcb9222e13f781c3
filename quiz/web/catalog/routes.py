"""Catalog pages."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug import Response

from ...domain.question_types import QUESTION_TYPES
from ...models.types import utcnow
from ...services import catalog
from ..auth.forms import ActionForm
from ..auth.learner import current_learner, ensure_learner
from . import bp


@bp.route("/")
def index() -> str:
    return render_template("catalog/index.html", banks=catalog.list_banks(), types=QUESTION_TYPES)


@bp.route("/banks/<bank_id>")
def show_bank(bank_id: str) -> str:
    summary = catalog.get_bank(bank_id)
    if summary is None:
        abort(404)
    user = current_learner()
    show_answers = bool(user and user.can_author)
    return render_template(
        "catalog/bank.html", summary=summary, questions=catalog.bank_questions(bank_id),
        types=QUESTION_TYPES, show_answers=show_answers, form=ActionForm(),
        studying=bool(user and catalog.is_studying(user, bank_id)))


@bp.route("/banks/<bank_id>/study", methods=["POST"])
def study_bank(bank_id: str) -> str | Response:
    if catalog.get_bank(bank_id) is None:
        abort(404)
    user = ensure_learner()
    added = catalog.study_bank(user, bank_id, utcnow())
    if request.headers.get("HX-Request"):
        return render_template("catalog/_study_button.html", bank_id=bank_id, studying=True,
                               form=ActionForm(), just_added=added)
    if added:
        flash("Added to your study list.", "success")
    return redirect(url_for("catalog.show_bank", bank_id=bank_id), 303)
