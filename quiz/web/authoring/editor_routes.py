"""The form editor of a web bank (/my/banks/<id>/edit…) and the preview of a draft question.

Every change is a POST form (CSRF) that works without JavaScript, saved through the authoring
service as the draft (even with problems: the problems then show next to the fields), followed by
a redirect (303) to the page to see. Only the bank's owner and co-authors reach these pages.
"""
from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from ...domain.problems import Problem
from ...domain.question_types import QUESTION_TYPES, Unreadable
from ...models.types import utcnow
from ...services import authoring, bank_editor
from ..auth.forms import ActionForm
from . import bp
from .editor_forms import (
    AddQuestionForm,
    DetailsForm,
    MoveForm,
    QuestionForm,
    problem_field,
)
from .routes import editor


def _saved(problems: list[Problem], what: str) -> None:
    flash(f"{what} saved" + (f"; the draft has {len(problems)} problem(s) to fix before publishing." if problems
                             else "."), "success")


def _unreadable(bank_id: str, error: bank_editor.EditError) -> tuple[str, int]:
    """The page for a draft the form editor cannot read: why, and the way to the source editor."""
    web = authoring.overview(bank_id)
    assert web is not None
    return render_template("authoring/editor_unreadable.html", web=web.web, message=str(error)), 409


def _bank_page(bank_id: str, form: DetailsForm | None = None, status: int = 200) -> tuple[str, int]:
    summary = authoring.overview(bank_id)
    assert summary is not None
    try:
        draft = bank_editor.draft(bank_id)
    except bank_editor.EditError as error:
        return _unreadable(bank_id, error)
    if form is None:
        form = DetailsForm(formdata=None)
        form.fill(draft.bank.details, draft.bank.sources)
    return render_template("authoring/editor.html", web=summary.web, form=form, bank=draft.bank,
                           problems=draft.problems, add_form=AddQuestionForm(formdata=None), move_form=MoveForm(),
                           action_form=ActionForm(), types=QUESTION_TYPES), status


@bp.route("/<bank_id>/edit", methods=["GET", "POST"])
@login_required
def edit_bank(bank_id: str) -> tuple[str, int] | Response:
    """The bank's details and sources, and its questions with add, duplicate, move and delete."""
    user = editor(bank_id)
    if request.method == "GET":
        return _bank_page(bank_id)
    form = DetailsForm()
    if not form.validate_on_submit():
        return _bank_page(bank_id, form, 422)
    details, sources = form.values(bank_id)
    try:
        problems = bank_editor.save_details(user, bank_id, details, sources, utcnow())
    except bank_editor.EditError as error:
        return _unreadable(bank_id, error)
    _saved(problems, "Bank details")
    return redirect(url_for("authoring.edit_bank", bank_id=bank_id), 303)


def _question_page(bank_id: str, position: int | None, form: QuestionForm, status: int = 200,
                   draft: bank_editor.Draft | None = None) -> tuple[str, int]:
    summary = authoring.overview(bank_id)
    assert summary is not None
    try:
        draft = draft or bank_editor.draft(bank_id, position)
    except bank_editor.EditError as error:
        return _unreadable(bank_id, error)
    sources = [s.id for s in draft.bank.sources]
    current = form.source_id.data or ""
    form.source_id.choices = [("", "— choose —")] + [(s, s) for s in sources] + (
        [(current, f"{current} (not in the bank's sources)")] if current and current not in sources else [])
    form.adapt()
    question_problems = [p.message for p in draft.placed.question]
    listed: dict[str, list[str]] = {}  # problems of the lists of rows (options, events, pairs)
    if status == 200 and position is not None:  # problems of the saved draft, next to the fields they are in
        for key, messages in draft.placed.by_field.items():
            name = problem_field(key, form.qtype.data or "")
            if name is None:
                question_problems += [f"{key}: {m}" for m in messages]
            elif name in ("options", "items", "pairs"):
                listed.setdefault(name, []).extend(messages)
            else:
                form[name].errors = list(form[name].errors) + messages
    return render_template("authoring/editor_question.html", web=summary.web, form=form, position=position,
                           question_problems=question_problems, listed=listed, elsewhere=draft.placed.elsewhere,
                           problems=draft.problems, types=QUESTION_TYPES), status


def _position(bank_id: str, position: int) -> bank_editor.Draft:
    try:
        draft = bank_editor.draft(bank_id, position)
    except bank_editor.EditError:
        abort(409, "The draft cannot be read as a bank: fix it in the source editor first.")
    if not 0 <= position < len(draft.bank.questions):
        abort(404)
    return draft


@bp.route("/<bank_id>/edit/questions/<int:position>", methods=["GET", "POST"])
@login_required
def edit_question(bank_id: str, position: int) -> tuple[str, int] | Response:
    """One question's form; "Change type" shows the fields of another type without saving."""
    user = editor(bank_id)
    draft = _position(bank_id, position)
    if request.method == "GET":
        form = QuestionForm(formdata=None)
        form.fill(draft.bank.questions[position])
        return _question_page(bank_id, position, form, draft=draft)
    form = QuestionForm()
    if request.form.get("action") == "retype":
        form.carry_over()
        form.add_spare_rows()
        return _question_page(bank_id, position, _without_errors(form), 200, draft)
    if not form.validate_on_submit():
        form.add_spare_rows()
        return _question_page(bank_id, position, form, 422, draft)
    try:
        problems = bank_editor.save_question(user, bank_id, position, form.expected_id.data or "", form.values(),
                                             utcnow())
    except bank_editor.EditError as error:
        flash(str(error), "error")
        return redirect(url_for("authoring.edit_bank", bank_id=bank_id), 303)
    _saved(problems, "Question")
    return redirect(url_for("authoring.edit_question", bank_id=bank_id, position=position), 303)


def _without_errors(form: QuestionForm) -> QuestionForm:
    for field in form:
        field.errors = []
    return form


@bp.route("/<bank_id>/edit/questions/new", methods=["GET", "POST"])
@login_required
def new_question(bank_id: str) -> tuple[str, int] | Response:
    """A new question of the chosen type; nothing is added until it is saved."""
    user = editor(bank_id)
    qtype = request.args.get("type", "mcq")
    if qtype not in QUESTION_TYPES:
        abort(404)
    if request.method == "GET":
        form = QuestionForm(formdata=None)
        try:
            values = bank_editor.QuestionValues(id=bank_editor.new_question_id(bank_id), type=qtype)
            draft = bank_editor.draft(bank_id)
        except bank_editor.EditError as error:
            return _unreadable(bank_id, error)
        if draft.bank.sources:
            values.source_id = draft.bank.sources[0].id
        form.fill(values)
        form.expected_id.data = ""
        return _question_page(bank_id, None, form)
    form = QuestionForm()
    retype = request.form.get("action") == "retype"
    if retype or not form.validate_on_submit():
        if retype:
            form.carry_over()
        form.add_spare_rows()
        return _question_page(bank_id, None, _without_errors(form) if retype else form, 200 if retype else 422)
    try:
        position, problems = bank_editor.add_question(user, bank_id, form.values(), utcnow())
    except bank_editor.EditError as error:
        return _unreadable(bank_id, error)
    _saved(problems, "New question")
    return redirect(url_for("authoring.edit_question", bank_id=bank_id, position=position), 303)


@bp.route("/<bank_id>/edit/questions/add", methods=["POST"])
@login_required
def add_question(bank_id: str) -> Response:
    """The "Add a question" button: to the new question's form for the chosen type."""
    editor(bank_id)
    form = AddQuestionForm()
    if not form.validate_on_submit():
        abort(400)
    return redirect(url_for("authoring.new_question", bank_id=bank_id, type=form.qtype.data), 303)


_MOVES: dict[str, Any] = {
    "up": lambda user, bank_id, p, qid, now: bank_editor.move_question(user, bank_id, p, qid, p - 1, now),
    "down": lambda user, bank_id, p, qid, now: bank_editor.move_question(user, bank_id, p, qid, p + 1, now),
    "duplicate": bank_editor.duplicate_question,
    "delete": bank_editor.delete_question,
}
_DONE = {"up": "Question moved up", "down": "Question moved down", "duplicate": "Copy of the question",
         "delete": "Question deleted; the draft"}


@bp.route("/<bank_id>/edit/questions/<int:position>/<any(up, down, duplicate, delete):action>", methods=["POST"])
@login_required
def change_question(bank_id: str, position: int, action: str) -> Response:
    """Move a question up or down, duplicate it (new id, just below) or delete it."""
    user = editor(bank_id)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        problems = _MOVES[action](user, bank_id, position, form.expected_id.data or "", utcnow())
    except bank_editor.EditError as error:
        flash(str(error), "error")
    else:
        _saved(problems, _DONE[action])
    return redirect(url_for("authoring.edit_bank", bank_id=bank_id) + "#questions", 303)


@bp.route("/<bank_id>/edit/questions/<int:position>/delete", methods=["GET"])
@login_required
def confirm_delete(bank_id: str, position: int) -> tuple[str, int]:
    """Ask before deleting a question from the draft (the button that does it posts to change_question)."""
    editor(bank_id)
    draft = _position(bank_id, position)
    summary = authoring.overview(bank_id)
    assert summary is not None
    return render_template("authoring/editor_delete.html", web=summary.web, position=position,
                           question=draft.bank.questions[position], form=MoveForm(), types=QUESTION_TYPES), 200


@bp.route("/<bank_id>/questions/<question_id>/preview", methods=["GET", "POST"])
@login_required
def preview_question(bank_id: str, question_id: str) -> tuple[str, int]:
    """The draft question as learners see it; answering it shows the grade and feedback (not stored)."""
    editor(bank_id)
    try:
        found = bank_editor.preview(bank_id, question_id)
    except bank_editor.EditError as error:
        return _unreadable(bank_id, error)
    if found is None:
        abort(404)
    summary = authoring.overview(bank_id)
    assert summary is not None
    context: dict[str, Any] = {"web": summary.web, "preview": found, "question": found.question,
                               "shown": found.shown, "types": QUESTION_TYPES, "action_form": ActionForm(),
                               "item_position": 0, "reveal": request.args.get("reveal") == "1", "sent": {},
                               "answer": None, "error": None, "error_field": None,
                               "preview_reveal_url": url_for("authoring.preview_question", bank_id=bank_id,
                                                             question_id=question_id, reveal=1)}
    status = 200
    if request.method == "POST" and found.question is not None and found.shown is not None:
        if not ActionForm().validate_on_submit():
            abort(400)
        sent = request.form.to_dict(flat=False)
        context["sent"] = sent
        try:
            response, grade = bank_editor.try_answer(found.question, found.shown, sent)
        except Unreadable as problem:
            context.update(error=problem.message, error_field=problem.field, reveal=True)
            status = 422
        else:
            context["answer"] = {"response": response, "score": grade.score, "feedback": grade.feedback}
    if request.headers.get("HX-Request") == "true" and found.question is not None:
        return render_template("authoring/_preview_step.html", **context), status
    return render_template("authoring/editor_preview.html", **context), status
