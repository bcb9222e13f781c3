"""Home, catalog and bank pages."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from werkzeug import Response

from ...domain.question_types import QUESTION_TYPES
from ...models.types import utcnow
from ...services import catalog, progress, sharing
from ..auth.forms import ActionForm
from ..auth.learner import current_learner, ensure_learner
from . import bp


@bp.route("/")
def index() -> str:
    """What to do now: today's cards, an unfinished quiz, this week; or, the first time, how to start."""
    user = current_learner()
    summary = progress.home(user.id, utcnow()) if user else None
    return render_template("catalog/home.html", home=summary, banks=catalog.list_banks(viewer=user), types=QUESTION_TYPES,
                           form=ActionForm())


@bp.route("/banks")
def banks() -> str:
    """Every bank as a grid of equal cards."""
    return render_template("catalog/index.html", banks=catalog.list_banks(viewer=current_learner()), types=QUESTION_TYPES, form=ActionForm())


@bp.route("/banks/<bank_id>")
def show_bank(bank_id: str) -> str:
    user = current_learner()
    summary = catalog.get_bank(bank_id, user)
    if summary is None:
        abort(404)
    show_answers = bool(user and user.can_author)
    chosen = catalog.QuestionFilter.from_args(request.args, summary)
    questions = catalog.bank_questions(bank_id)
    return render_template(
        "catalog/bank.html", summary=summary, questions=questions, shown={q.id for q in chosen.apply(questions)},
        chosen=chosen, types=QUESTION_TYPES, show_answers=show_answers,
        can_write=sharing.is_author(user), can_edit=sharing.can_edit(user, bank_id),
        studying=bool(user and catalog.is_studying(user, bank_id)))


@bp.route("/banks/<bank_id>/study", methods=["POST"])
def study_bank(bank_id: str) -> Response:
    """Study the bank as flashcards: it joins the learner's study list and its first card opens."""
    if catalog.get_bank(bank_id, current_learner()) is None:
        abort(404)
    user = ensure_learner()
    catalog.study_bank(user, bank_id, utcnow())
    return redirect(url_for("study.study", bank=bank_id), 303)
