"""Quiz pages: start, answer (full page or htmx fragment), results, retry."""
from __future__ import annotations

import math
import random
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug import Response
from wtforms.fields.choices import SelectChoice

from ...domain.question_types import QUESTION_TYPES
from ...models import Attempt
from ...models.types import utcnow
from ...services import catalog, quiz_results, quizzes
from ..auth.forms import ActionForm
from ..auth.learner import current_learner, ensure_learner
from . import bp
from .forms import QuizForm


def _is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def _own_attempt(attempt_id: int) -> Attempt:
    attempt = quizzes.get_attempt(attempt_id, current_learner())
    if attempt is None:
        abort(404)
    return attempt


def _quiz_form() -> QuizForm:
    form = QuizForm()
    options = quizzes.quiz_options(viewer=current_learner())
    form.banks.choices = [SelectChoice(s.bank.id, s.bank.title) for s in catalog.list_banks(viewer=current_learner())]
    form.tags.choices = [SelectChoice(t, f"#{t}") for t in options["tags"]]
    form.types.choices = [SelectChoice(t, QUESTION_TYPES[t].label) for t in options["types"]]
    return form


@bp.route("/new", methods=["GET", "POST"])
def new_quiz() -> str | tuple[str, int] | Response:
    form = _quiz_form()
    if request.method == "GET" and request.args.get("bank"):
        form.banks.data = [request.args["bank"]]
    if form.validate_on_submit():
        user = ensure_learner()
        quiz_request = quizzes.QuizRequest(
            bank_ids=form.banks.data or [], tags=form.tags.data or [], types=form.types.data or [],
            count=form.count.data or quizzes.DEFAULT_COUNT, mode=form.mode.data or "practice",
            time_limit_minutes=form.time_limit.data)
        try:
            attempt = quizzes.start_quiz(user, quiz_request, utcnow(), random.Random())
        except quizzes.QuizError as exc:
            form.form_errors.append(str(exc))
        else:
            return redirect(url_for("quiz.show_attempt", attempt_id=attempt.id), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("quiz/new.html", form=form), status


@bp.route("/quick", methods=["POST"])
def quick_quiz() -> Response:
    """One button: 10 questions in practice mode from one bank (or all)."""
    bank_id = request.form.get("bank", "")
    if bank_id and catalog.get_bank(bank_id, current_learner()) is None:
        abort(404)
    user = ensure_learner()
    try:
        attempt = quizzes.start_quiz(user, quizzes.QuizRequest([bank_id] if bank_id else [], [], []),
                                     utcnow(), random.Random())
    except quizzes.QuizError as exc:
        flash(str(exc), "error")
        return redirect(url_for("catalog.index"), 303)
    return redirect(url_for("quiz.show_attempt", attempt_id=attempt.id), 303)


def _end_if_time_is_up(attempt: Attempt) -> None:
    """Finish an attempt whose time limit has passed, and say so on the next page."""
    if quizzes.finish_if_time_is_up(attempt, utcnow()):
        flash(quizzes.TIME_UP_MESSAGE, "error")


def _to_results(attempt: Attempt) -> Response:
    """To the results page: a redirect, or for htmx a full-page navigation (never a page inside the step)."""
    url = url_for("quiz.show_results", attempt_id=attempt.id)
    return _htmx_redirect(url) if _is_htmx() else redirect(url, 303)


@bp.route("/<int:attempt_id>")
def show_attempt(attempt_id: int) -> Response:
    attempt = _own_attempt(attempt_id)
    _end_if_time_is_up(attempt)
    position = quizzes.next_position(attempt)
    if position is None or quizzes.is_over(attempt, utcnow()):
        return redirect(url_for("quiz.show_results", attempt_id=attempt.id), 303)
    return redirect(url_for("quiz.show_item", attempt_id=attempt.id, position=position), 303)


def _step_context(attempt: Attempt, position: int, problem: quizzes.AnswerUnreadable | None = None,
                  sent: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """What the step at `position` shows: its feedback once answered (practice), then the next
    question; or the same question again with what was `sent` and the `problem` to fix."""
    now = utcnow()
    questions = quizzes.questions_of(attempt)
    answers = quizzes.answers_by_question(attempt)
    answered = answers.get(attempt.question_ids[position])
    upcoming = quizzes.next_position(attempt)
    item_position = position if answered is None else upcoming
    over = quizzes.is_over(attempt, now)
    item = questions[item_position] if item_position is not None and not over else None
    return {
        "attempt": attempt, "position": position, "total": len(attempt.question_ids),
        "answered_count": len(answers), "feedback_question": questions[position] if answered else None,
        "feedback": answered if attempt.mode == "practice" else None, "saved": answered is not None,
        "item": item, "item_position": item_position, "shown": quizzes.shown(attempt, item) if item else None,
        "types": QUESTION_TYPES, "over": over and upcoming is not None,
        "error": str(problem) if problem else None, "error_field": problem.field if problem else None,
        "sent": sent or {},
        # rounded up, so that a countdown in the page never ends before the server's limit
        "seconds_left": math.ceil((attempt.deadline_at - now).total_seconds()) if attempt.deadline_at else None,
        "action_form": ActionForm(),
        "reveal": (request.args.get("reveal") == "1" or problem is not None) and item is not None
                  and item_position == position,
    }


@bp.route("/<int:attempt_id>/q/<int:position>")
def show_item(attempt_id: int, position: int) -> str | Response:
    attempt = _own_attempt(attempt_id)
    if not 0 <= position < len(attempt.question_ids):
        abort(404)
    now = utcnow()
    if quizzes.is_over(attempt, now) and not quizzes.last_feedback_to_show(attempt, position, now):
        _end_if_time_is_up(attempt)
        return _to_results(attempt)
    context = _step_context(attempt, position)
    if context["saved"] and attempt.mode == "test":
        return redirect(url_for("quiz.show_attempt", attempt_id=attempt.id), 303)
    template = "quiz/_step.html" if _is_htmx() else "quiz/item.html"
    return render_template(template, **context)


@bp.route("/<int:attempt_id>/q/<int:position>", methods=["POST"])
def answer_item(attempt_id: int, position: int) -> str | tuple[str, int] | Response:
    attempt = _own_attempt(attempt_id)
    if not 0 <= position < len(attempt.question_ids):
        abort(404)
    sent = request.form.to_dict(flat=False)
    try:
        quizzes.answer_form(attempt, position, sent, utcnow(), skip="skip" in request.form)
    except quizzes.AnswerUnreadable as problem:  # the same question again, as sent, with what to fix
        context = _step_context(attempt, position, problem, sent)
        return render_template("quiz/_step.html" if _is_htmx() else "quiz/item.html", **context), 422
    except quizzes.TimeUp as exc:
        flash(str(exc), "error")
        return _to_results(attempt)
    except quizzes.QuizError as exc:  # e.g. its class was archived: a full page, so that the message shows
        flash(str(exc), "error")
        return _to_results(attempt)
    if _is_htmx():
        if attempt.mode == "test":
            next_position = quizzes.next_position(attempt)
            if next_position is None:
                return _htmx_redirect(url_for("quiz.show_results", attempt_id=attempt.id))
            return render_template("quiz/_step.html", **_step_context(attempt, next_position))
        return render_template("quiz/_step.html", **_step_context(attempt, position))
    if attempt.mode == "test":
        return redirect(url_for("quiz.show_attempt", attempt_id=attempt.id), 303)
    return redirect(url_for("quiz.show_item", attempt_id=attempt.id, position=position), 303)


def _htmx_redirect(url: str) -> Response:
    response = Response(status=204)
    response.headers["HX-Redirect"] = url
    return response


@bp.route("/<int:attempt_id>/finish", methods=["POST"])
def finish_attempt(attempt_id: int) -> Response:
    attempt = _own_attempt(attempt_id)
    try:
        quizzes.finish_now(attempt, utcnow())
    except quizzes.QuizError as exc:
        flash(str(exc), "error")
        return redirect(url_for("quiz.show_attempt", attempt_id=attempt.id), 303)
    return redirect(url_for("quiz.show_results", attempt_id=attempt.id), 303)


@bp.route("/<int:attempt_id>/results")
def show_results(attempt_id: int) -> str | Response:
    attempt = _own_attempt(attempt_id)
    now = utcnow()
    if attempt.finished_at is None:
        if not quizzes.is_over(attempt, now):
            return redirect(url_for("quiz.show_attempt", attempt_id=attempt.id), 303)
        _end_if_time_is_up(attempt)
    answers = quizzes.answers_by_question(attempt)
    questions = quizzes.questions_of(attempt)
    return render_template("quiz/results.html", attempt=attempt, questions=questions, answers=answers,
                           types=QUESTION_TYPES, missed=quiz_results.missed_question_ids(attempt),
                           summary=quiz_results.summary(attempt, questions),
                           answers_shown=quiz_results.answers_visible(attempt, now),
                           action_form=ActionForm(), outcome_of=quiz_results.outcome)


@bp.route("/<int:attempt_id>/retry", methods=["POST"])
def retry_missed(attempt_id: int) -> Response:
    attempt = _own_attempt(attempt_id)
    try:
        retry = quiz_results.retry_missed(attempt, utcnow(), random.Random())
    except quizzes.QuizError as exc:
        flash(str(exc), "success")
        return redirect(url_for("quiz.show_results", attempt_id=attempt.id), 303)
    return redirect(url_for("quiz.show_attempt", attempt_id=retry.id), 303)
