"""Assignment and gradebook pages of a class: setting, editing, starting and regrading work,
the gradebook grid and its CSV files, a student's work, score overrides."""
from __future__ import annotations

import random
import re
from datetime import datetime
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from wtforms.fields.choices import SelectChoice

from ...domain.classroom import local_to_utc, utc_to_local
from ...domain.question_types import QUESTION_TYPES
from ...models import Classroom
from ...models.types import utcnow
from ...services import assignments, catalog, classes, gradebook, quizzes
from ..auth.forms import ActionForm
from ..auth.learner import current_learner
from . import bp
from .forms import AssignmentForm, AssignmentRulesForm, OverrideForm
from .routes import _assignment, _back, _teacher_class, _user


# --- assignments ---------------------------------------------------------------------

PICKED_SPLIT = re.compile(r"[\s,;]+")


def _assignment_form(classroom: Classroom) -> tuple[AssignmentForm, list[object]]:
    form = AssignmentForm()
    options = quizzes.quiz_options(viewer=current_learner())
    form.banks.choices = [SelectChoice(s.bank.id, s.bank.title) for s in catalog.list_banks(viewer=current_learner())]
    form.tags.choices = [SelectChoice(t, f"#{t}") for t in options["tags"]]
    form.types.choices = [SelectChoice(t, QUESTION_TYPES[t].label) for t in options["types"]]
    query = request.args.get("q", "").strip()
    found = assignments.search_questions(query, viewer=current_learner()) if query else []
    form.picked.choices = [SelectChoice(q.id, f"{q.id}: {QUESTION_TYPES[q.type].display_prompt(q.prompt)}")
                           for q in found]
    return form, found


def _local(value: datetime | None, classroom: Classroom) -> datetime | None:
    return local_to_utc(value, classroom.timezone) if value else None


def _rules(form: AssignmentRulesForm, classroom: Classroom) -> dict[str, Any]:
    """The title, times (read in the class's time zone) and rules a form gives."""
    return {"title": form.title.data or "", "time_limit_minutes": form.time_limit.data,
            "opens_at": _local(form.opens_at.data, classroom), "due_at": _local(form.due_at.data, classroom),
            "attempts_allowed": form.attempts_allowed.data, "counting": form.counting.data or "best",
            "late_policy": form.late_policy.data or "accept", "reveal": form.reveal.data or "after_due"}


@bp.route("/<int:class_id>/assignments/new", methods=["GET", "POST"])
@login_required
def new_assignment(class_id: int) -> str | tuple[str, int] | Response:
    classroom = _teacher_class(class_id, write=True)
    form, found = _assignment_form(classroom)
    if form.validate_on_submit():
        picked = [*(form.picked.data or []), *[p for p in PICKED_SPLIT.split(form.picked_ids.data or "") if p]]
        spec = assignments.AssignmentSpec(
            kind=form.kind.data or "quiz", bank_ids=form.banks.data or [],
            tags=form.tags.data or [], types=form.types.data or [], picked_ids=list(dict.fromkeys(picked)) or None,
            count=form.count.data or 1, same_set=form.same_set.data == "same", shuffle=bool(form.shuffle.data),
            shuffle_options=bool(form.shuffle_options.data), mode=form.mode.data or "test", **_rules(form, classroom))
        try:
            assignment = assignments.create_assignment(classroom, spec, _user(), utcnow(), random.SystemRandom())
        except assignments.AssignmentError as exc:
            form.form_errors.append(str(exc))
        else:
            flash(f"Assignment “{assignment.title}” set.", "success")
            return _back(classroom)
    return render_template("classes/assignment_form.html", form=form, classroom=classroom, found=found,
                           query=request.args.get("q", "")), 422 if form.errors else 200


@bp.route("/<int:class_id>/assignments/<int:assignment_id>/edit", methods=["GET", "POST"])
@login_required
def edit_assignment(class_id: int, assignment_id: int) -> str | tuple[str, int] | Response:
    classroom = _teacher_class(class_id, write=True)
    assignment = _assignment(classroom, assignment_id)
    form = AssignmentRulesForm()
    if request.method == "GET":
        form.title.data, form.time_limit.data = assignment.title, assignment.time_limit_minutes
        for field, value in ((form.opens_at, assignment.opens_at), (form.due_at, assignment.due_at)):
            field.data = utc_to_local(value, classroom.timezone).replace(tzinfo=None) if value else None
        form.attempts_allowed.data, form.counting.data = assignment.attempts_allowed, assignment.counting
        form.late_policy.data, form.reveal.data = assignment.late_policy, assignment.reveal
    if form.validate_on_submit():
        try:
            assignments.update_rules(assignment, assignments.AssignmentSpec(**_rules(form, classroom)))
        except assignments.AssignmentError as exc:
            form.form_errors.append(str(exc))
        else:
            flash("Assignment saved.", "success")
            return _back(classroom, "classes.show_assignment", assignment_id=assignment.id)
    return render_template("classes/assignment_rules.html", form=form, classroom=classroom,
                           assignment=assignment), 422 if form.errors else 200


@bp.route("/<int:class_id>/assignments/<int:assignment_id>")
@login_required
def show_assignment(class_id: int, assignment_id: int) -> str:
    user = _user()
    now = utcnow()
    classroom = classes.class_for_teacher(class_id, user)
    if classroom is not None:
        assignment = _assignment(classroom, assignment_id)
        rows = gradebook.assignment_rows(classroom, assignment, now)
        return render_template("classes/assignment.html", classroom=classroom, assignment=assignment, rows=rows,
                               action_form=ActionForm(), stale=len(gradebook.stale_answers(assignment)),
                               regrades=gradebook.regrades(assignment),
                               names={r.student.user_id: r.student.name for r in rows})
    classroom = classes.class_for_student(class_id, user)
    if classroom is None:
        abort(404)
    assignment = _assignment(classroom, assignment_id)
    cell = assignments.cells_for([assignment], [user.id], now)[(user.id, assignment.id)]
    return render_template("classes/my_assignment.html", classroom=classroom, assignment=assignment, cell=cell,
                           attempts=assignments.attempts_of(assignment, user.id), action_form=ActionForm(), now=now)


@bp.route("/<int:class_id>/assignments/<int:assignment_id>/start", methods=["POST"])
@login_required
def start_assignment(class_id: int, assignment_id: int) -> Response:
    user = _user()
    assignment = assignments.assignment_for_student(class_id, assignment_id, user)
    if assignment is None:
        abort(404)
    try:
        attempt = assignments.start_attempt(user, assignment, utcnow(), random.SystemRandom())
    except assignments.AssignmentError as exc:
        flash(str(exc), "error")
        if assignment.classroom.archived_at is not None:  # its pages are hidden from students now
            return redirect(url_for("classes.index"), 303)
        return _back(assignment.classroom, "classes.show_assignment", assignment_id=assignment.id)
    return redirect(url_for("quiz.show_attempt", attempt_id=attempt.id), 303)


@bp.route("/<int:class_id>/assignments/<int:assignment_id>/delete", methods=["POST"])
@login_required
def delete_assignment(class_id: int, assignment_id: int) -> Response:
    classroom = _teacher_class(class_id, write=True)
    assignment = _assignment(classroom, assignment_id)
    assignments.delete_assignment(assignment)
    flash(f"Assignment “{assignment.title}” deleted. Students keep their attempts in their own history.", "success")
    return _back(classroom)


@bp.route("/<int:class_id>/assignments/<int:assignment_id>/regrade", methods=["POST"])
@login_required
def regrade_assignment(class_id: int, assignment_id: int) -> Response:
    classroom = _teacher_class(class_id, write=True)
    assignment = _assignment(classroom, assignment_id)
    done = gradebook.regrade(assignment, _user(), utcnow())
    flash(f"{done.answers_checked} answer{'s' if done.answers_checked != 1 else ''} graded again; "
          f"{len(done.changes)} score{'s' if len(done.changes) != 1 else ''} changed.", "success")
    return _back(classroom, "classes.show_assignment", assignment_id=assignment.id)


# --- gradebook -----------------------------------------------------------------------

@bp.route("/<int:class_id>/gradebook")
@login_required
def show_gradebook(class_id: int) -> str:
    classroom = _teacher_class(class_id)
    table = gradebook.grid(classroom, utcnow(), request.args.get("sort", "name"), request.args.get("dir") == "desc")
    return render_template("classes/gradebook.html", classroom=classroom, grid=table,
                           regraded=gradebook.regraded_assignment_ids(classroom))


@bp.route("/<int:class_id>/gradebook.csv")
@login_required
def export_gradebook(class_id: int) -> Response:
    classroom = _teacher_class(class_id)
    excel = request.args.get("excel") == "1"
    answers = request.args.get("answers") == "1"
    text = gradebook.answers_csv(classroom, excel) if answers else gradebook.grid_csv(classroom, utcnow(), excel)
    name = f"{classroom.join_code}-{'answers' if answers else 'gradebook'}{'-excel' if excel else ''}.csv"
    return Response(text.encode("utf-8"), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "private, no-store"})


@bp.route("/<int:class_id>/students/<int:user_id>")
@login_required
def show_student(class_id: int, user_id: int) -> str:
    classroom = _teacher_class(class_id)
    student = gradebook.find_student(classroom, user_id)
    if student is None:
        abort(404)
    work = gradebook.student_work(classroom, student, utcnow())
    return render_template("classes/student_work.html", classroom=classroom, student=student, work=work,
                           questions=gradebook.questions_for([a for w in work for a in w.attempts]),
                           types=QUESTION_TYPES)


@bp.route("/<int:class_id>/assignments/<int:assignment_id>/override/<int:user_id>", methods=["POST"])
@login_required
def override_score(class_id: int, assignment_id: int, user_id: int) -> Response:
    classroom = _teacher_class(class_id, write=True)
    assignment = _assignment(classroom, assignment_id)
    form = OverrideForm()
    if request.form.get("clear") == "1":
        assignments.clear_override(assignment, user_id)
        flash("Override removed: the computed score counts again.", "success")
    elif not form.validate_on_submit():
        flash("; ".join(e for errors in form.errors.values() for e in errors), "error")
    else:
        try:
            assignments.set_override(assignment, user_id, float(form.score.data or 0) / 100,
                                     form.comment.data or "", _user(), utcnow())
        except assignments.AssignmentError as exc:
            flash(str(exc), "error")
        else:
            flash("Score overridden.", "success")
    return _back(classroom, "classes.show_student", user_id=user_id)
