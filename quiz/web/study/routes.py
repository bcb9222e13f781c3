"""Flashcard study pages: the card, reveal, grade, undo, suspend, bury, settings."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug import Response

from ...domain import scheduling
from ...domain.question_types import QUESTION_TYPES
from ...models.types import utcnow
from ...services import catalog, explore, optimizing, progress, quiz_results, quizzes, studying
from ..auth.forms import ActionForm
from ..auth.learner import current_learner, ensure_learner
from . import bp
from .forms import CardActionForm, GradeForm, SettingsForm


@dataclass(frozen=True)
class _QuizDeck(studying.Deck):
    """The questions missed in one of the learner's quizzes ("Study them as flashcards")."""

    quiz_id: int = 0
    quiz_title: str = ""


@dataclass(frozen=True)
class _AboutDeck(studying.Deck):
    """The questions about one entry of the reference ("Study these cards" on the timeline, glossary…)."""

    about: str = ""
    about_name: str = ""


def _deck() -> studying.Deck:
    source = request.form if request.method == "POST" else request.args
    about = source.get("about") or ""
    if about:
        found = explore.entry_questions(about)
        if found is None:
            abort(404)
        return _AboutDeck(question_ids=found[1], about=about, about_name=found[0])
    quiz_id = source.get("quiz") or ""
    if quiz_id:
        attempt = quizzes.get_attempt(int(quiz_id), current_learner()) if quiz_id.isdigit() else None
        if attempt is None:
            abort(404)
        return _QuizDeck(question_ids=tuple(quiz_results.missed_question_ids(attempt)), quiz_id=attempt.id,
                         quiz_title=attempt.title, viewer_id=attempt.user_id)
    user = current_learner()
    return studying.Deck(bank_id=source.get("bank") or None, tag=source.get("tag") or None,
                         viewer_id=user.id if user else None)


def _deck_args(deck: studying.Deck) -> dict[str, str]:
    if isinstance(deck, _QuizDeck):
        return {"quiz": str(deck.quiz_id)}
    if isinstance(deck, _AboutDeck):
        return {"about": deck.about}
    return {k: v for k, v in (("bank", deck.bank_id), ("tag", deck.tag)) if v}


def _is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def _deck_title(deck: studying.Deck) -> str:
    if isinstance(deck, _QuizDeck):
        return f"Missed in {deck.quiz_title}"
    if isinstance(deck, _AboutDeck):
        return f"About {deck.about_name}"
    if deck.bank_id:
        summary = catalog.get_bank(deck.bank_id, current_learner())
        if summary is None:
            abort(404)
        title = summary.bank.title
    else:
        title = "All banks"
    return f"{title} · #{deck.tag}" if deck.tag else title


def _context(deck: studying.Deck, reveal: bool = False, message: str | None = None,
             learner: studying.Profile | None = None) -> dict[str, Any]:
    if learner is None:
        user = current_learner()
        learner = studying.profile(user.id) if user else None
    user_id = learner.user_id if learner else None
    now = utcnow()
    upcoming = studying.next_card(learner.user_id, deck, now, learner) if learner else None
    return {
        "deck": deck, "deck_args": _deck_args(deck), "deck_title": _deck_title(deck), "next": upcoming,
        "reveal": reveal and upcoming is not None, "types": QUESTION_TYPES, "ratings": scheduling.RATINGS,
        "grade_form": GradeForm(), "action_form": ActionForm(), "message": message,
        "tomorrow": studying.due_tomorrow(user_id, deck, now) if user_id and upcoming is None else None,
        "visitor": user_id is None, "shown_at": int(now.timestamp() * 1000),
        "done_today": progress.reviews_today(user_id, now) if upcoming is not None and user_id else 0,
    }


@bp.route("")
def study() -> str:
    deck = _deck()
    context = _context(deck, reveal=request.args.get("reveal") == "1")
    if _is_htmx():
        return render_template("study/_card.html", **context)
    options = quizzes.quiz_options(viewer=current_learner())
    return render_template("study/study.html", banks=catalog.list_banks(viewer=current_learner()), tags=options["tags"], **context)


@bp.route("/start", methods=["POST"])
def start() -> Response:
    ensure_learner(save=True)  # starting is the whole action: keep the guest
    return redirect(url_for("study.study", **_deck_args(_deck())), 303)


def _after_action(deck: studying.Deck, message: str | None = None,
                  learner: studying.Profile | None = None) -> str | Response:
    if _is_htmx():
        return render_template("study/_card.html", **_context(deck, message=message, learner=learner))
    if message:
        flash(message, "error")
    return redirect(url_for("study.study", **_deck_args(deck)), 303)


@bp.route("/grade", methods=["POST"])
def grade() -> str | tuple[str, int] | Response:
    deck = _deck()
    form = GradeForm()
    if not form.validate_on_submit():
        return _after_action(deck, "That grade could not be read; please grade the card again.")
    learner = studying.profile(ensure_learner().id)
    now = utcnow()
    shown_at = form.shown_at_ms()
    duration = None if shown_at is None else max(0, min(int(now.timestamp() * 1000) - shown_at, 3_600_000))
    try:
        studying.grade(learner.user_id, form.question_id.data or "", form.rating.data or 0,
                       form.version.data or 0, now, duration_ms=duration, learner=learner)
    except studying.StudyError as exc:
        return _after_action(deck, str(exc), learner)
    return _after_action(deck, learner=learner)


@bp.route("/undo", methods=["POST"])
def undo() -> str | Response:
    deck = _deck()
    user = current_learner()
    undone = studying.undo_last(user.id, utcnow()) if user else None
    return _after_action(deck, None if undone else "There is no review to undo today.")


@bp.route("/<action>", methods=["POST"])
def card_action(action: str) -> str | Response:
    if action not in ("suspend", "bury"):
        abort(404)
    deck = _deck()
    form = CardActionForm()
    if not form.validate_on_submit():
        abort(400)
    user = ensure_learner()
    question_id = form.question_id.data or ""
    try:
        if action == "suspend":
            studying.suspend(user.id, question_id, utcnow())
        else:
            studying.bury(user.id, question_id, utcnow())
    except studying.StudyError as exc:
        return _after_action(deck, str(exc))
    if not _is_htmx():
        flash("Card suspended: it will not come back until you unsuspend it." if action == "suspend"
              else "Card buried until tomorrow.", "success")
    return _after_action(deck)


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings() -> str | tuple[str, int] | Response:
    user = current_user
    current = studying.get_settings(user.id)
    form = SettingsForm(obj=current)
    if form.validate_on_submit():
        studying.save_settings(user.id, {
            "desired_retention": float(form.desired_retention.data or 0.9),
            "new_per_day": form.new_per_day.data, "reviews_per_day": form.reviews_per_day.data,
            "timezone": form.timezone.data, "day_cutoff_hour": form.day_cutoff_hour.data,
        }, utcnow())
        flash("Settings saved.", "success")
        return redirect(url_for("study.settings"), 303)
    status = 422 if form.errors else 200
    return render_template("study/settings.html", form=form, **_optimizer_context(user.id)), status


def _optimizer_context(user_id: int) -> dict[str, Any]:
    return {"review_count": optimizing.review_count(user_id), "min_reviews": optimizing.MIN_REVIEWS,
            "parameter_sets": optimizing.history(user_id), "action_form": ActionForm(),
            "suspended": studying.suspended_questions(user_id), "types": QUESTION_TYPES}


@bp.route("/settings/unsuspend", methods=["POST"])
@login_required
def unsuspend() -> Response:
    form = CardActionForm()
    if form.validate_on_submit():
        studying.unsuspend(current_user.id, form.question_id.data or "")
        flash("The card is back in your reviews.", "success")
    return redirect(url_for("study.settings"), 303)


@bp.route("/settings/optimize", methods=["POST"])
@login_required
def optimize() -> Response:
    try:
        result = optimizing.optimize(current_user.id, utcnow())
    except optimizing.NotEnoughReviews as exc:
        flash(f"Not yet: {exc}.", "error")
    else:
        verdict = "adopted" if result.adopted else "kept the previous ones (the new ones were not better)"
        flash(f"Fitted on {result.review_count} reviews: log loss {result.log_loss_before:.4f} → "
              f"{result.log_loss_after:.4f}, RMSE {result.rmse_before:.4f} → {result.rmse_after:.4f}; {verdict}.",
              "success")
    return redirect(url_for("study.settings"), 303)
