"""Class pages: my classes, a class (teacher or student view), roster, co-teachers, joining
by code or link. Assignments and the gradebook are in `assignment_routes`; both share the
access helpers here."""
from __future__ import annotations

import random
from datetime import datetime
from typing import Callable, TypeVar

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from ...domain.classroom import utc_to_local
from ...models import Assignment, Classroom, User
from ...models.types import utcnow
from ...services import assignments, classes, gradebook
from ..auth.forms import ActionForm
from ..auth.learner import current_learner
from . import bp
from .forms import (
    ClassForm,
    EmailForm,
    JoinForm,
)
from .qr import qr_svg

T = TypeVar("T")


def _user() -> User:
    user = current_learner()
    assert user is not None  # login_required ran
    return user


def _teacher_class(class_id: int, write: bool = False) -> Classroom:
    """The class if the current user teaches it (else 404); a change to an archived class
    is turned back with a message (it is read-only until restored)."""
    classroom = classes.class_for_teacher(class_id, current_learner())
    if classroom is None:
        abort(404)
    if write and request.method == "POST" and classroom.archived_at is not None:
        flash("This class is archived and read-only; restore it first.", "error")
        abort(redirect(url_for("classes.show_class", class_id=classroom.id), 303))
    return classroom


def _assignment(classroom: Classroom, assignment_id: int) -> Assignment:
    assignment = assignments.get_assignment(classroom, assignment_id)
    if assignment is None:
        abort(404)
    return assignment


def _back(classroom: Classroom, endpoint: str = "classes.show_class", **values: object) -> Response:
    return redirect(url_for(endpoint, class_id=classroom.id, **values), 303)


@bp.app_template_filter("class_time")
def class_time(moment: datetime | None, zone: str) -> str:
    """A UTC time as the class's wall clock, e.g. "Mon 7 Dec 2026, 09:00"."""
    if moment is None:
        return "—"
    local = utc_to_local(moment, zone)
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"


@bp.app_template_global("class_work_due")
def class_work_due() -> list[assignments.DueItem]:
    """The logged-in student's class work (for the home page), or nothing."""
    user = current_learner()
    if user is None or user.is_guest:
        return []
    return assignments.due_for(user, utcnow())


def _join_url(classroom: Classroom) -> str:
    return url_for("classes.join_link", code=classroom.join_code, _external=True)


# --- my classes, create, edit ----------------------------------------------------------

@bp.route("/")
@login_required
def index() -> str:
    user = _user()
    teacher = classes.is_teacher(user)
    return render_template(
        "classes/index.html", teacher=teacher, join_form=JoinForm(),
        teaching=classes.teaching(user) if teacher else [],
        archived=classes.teaching(user, archived=True) if teacher else [],
        studying=classes.studying_in(user), due=assignments.due_for(user, utcnow()))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new_class() -> str | tuple[str, int] | Response:
    user = _user()
    if not classes.is_teacher(user):
        abort(403)
    form = ClassForm()
    if form.validate_on_submit():
        try:
            classroom = classes.create_class(user, form.name.data or "", form.term.data or "",
                                             form.timezone.data or "UTC", utcnow(), random.SystemRandom())
        except classes.ClassError as exc:
            form.form_errors.append(str(exc))
        else:
            flash(f"Class created. Its join code is {classroom.join_code}.", "success")
            return _back(classroom)
    return render_template("classes/form.html", form=form, classroom=None), 422 if form.errors else 200


@bp.route("/<int:class_id>/edit", methods=["GET", "POST"])
@login_required
def edit_class(class_id: int) -> str | tuple[str, int] | Response:
    classroom = _teacher_class(class_id, write=True)
    form = ClassForm(obj=classroom)
    if form.validate_on_submit():
        try:
            classes.update_class(classroom, form.name.data or "", form.term.data or "", form.timezone.data or "UTC")
        except classes.ClassError as exc:
            form.form_errors.append(str(exc))
        else:
            flash("Class saved.", "success")
            return _back(classroom)
    return render_template("classes/form.html", form=form, classroom=classroom), 422 if form.errors else 200


# --- one class -------------------------------------------------------------------------

@bp.route("/<int:class_id>")
@login_required
def show_class(class_id: int) -> str:
    user = _user()
    classroom = classes.class_for_teacher(class_id, user)
    now = utcnow()
    if classroom is not None:
        return render_template("classes/teacher.html", classroom=classroom, join_url=_join_url(classroom),
                               teachers=classes.teacher_accounts(classroom), action_form=ActionForm(),
                               email_form=EmailForm())
    classroom = classes.class_for_student(class_id, user)
    if classroom is None:
        abort(404)
    cells = assignments.cells_for(list(classroom.assignments), [user.id], now)
    return render_template("classes/student.html", classroom=classroom, action_form=ActionForm(),
                           items=[(a, cells[(user.id, a.id)]) for a in classroom.assignments])


@bp.route("/<int:class_id>/qr.svg")
@login_required
def qr_code(class_id: int) -> Response:
    classroom = _teacher_class(class_id)
    svg = qr_svg(_join_url(classroom), f"Join {classroom.name}")
    return Response(svg, mimetype="image/svg+xml", headers={"Cache-Control": "private, no-store"})


@bp.route("/<int:class_id>/code", methods=["POST"])
@login_required
def regenerate_code(class_id: int) -> Response:
    classroom = _teacher_class(class_id, write=True)
    code = classes.regenerate_code(classroom, random.SystemRandom())
    flash(f"New join code: {code}. The old code and link no longer work.", "success")
    return _back(classroom)


@bp.route("/<int:class_id>/joining", methods=["POST"])
@login_required
def set_joining(class_id: int) -> Response:
    classroom = _teacher_class(class_id, write=True)
    open_ = request.form.get("open") == "1"
    classes.set_joining(classroom, open_)
    flash("Students can join with the code again." if open_ else "Joining is switched off.", "success")
    return _back(classroom)


@bp.route("/<int:class_id>/archive", methods=["POST"])
@login_required
def archive_class(class_id: int) -> Response:
    classroom = _teacher_class(class_id)
    classes.archive(classroom, utcnow())
    flash("Class archived: it is read-only and hidden from its students.", "success")
    return _back(classroom)


@bp.route("/<int:class_id>/restore", methods=["POST"])
@login_required
def restore_class(class_id: int) -> Response:
    classroom = _teacher_class(class_id)
    classes.restore(classroom)
    flash("Class restored.", "success")
    return _back(classroom)


# --- roster and teachers ---------------------------------------------------------------

def _flash_outcome(action: Callable[[], T], done: Callable[[T], str]) -> None:
    """Run a class change; flash what was done, or the ClassError that refused it."""
    try:
        result = action()
    except classes.ClassError as exc:
        flash(str(exc), "error")
    else:
        flash(done(result), "success")


@bp.route("/<int:class_id>/students", methods=["POST"])
@login_required
def add_student(class_id: int) -> Response:
    classroom = _teacher_class(class_id, write=True)
    form = EmailForm()
    if not form.validate_on_submit():
        flash("Give the email of an existing account.", "error")
        return _back(classroom, "classes.roster")
    _flash_outcome(lambda: classes.add_student(classroom, form.email.data or "", utcnow()),
                   lambda user: f"{user.email} added to the class.")
    return _back(classroom, "classes.roster")


@bp.route("/<int:class_id>/students/<int:user_id>/remove", methods=["POST"])
@login_required
def remove_student(class_id: int, user_id: int) -> Response:
    classroom = _teacher_class(class_id, write=True)
    _flash_outcome(lambda: classes.remove_student(classroom, user_id),
                   lambda _: "Student removed from the class. Their own history is kept.")
    return _back(classroom, "classes.roster")


@bp.route("/<int:class_id>/roster")
@login_required
def roster(class_id: int) -> str:
    classroom = _teacher_class(class_id)
    return render_template("classes/roster.html", classroom=classroom, grid=gradebook.grid(classroom, utcnow()),
                           action_form=ActionForm(), email_form=EmailForm())


@bp.route("/<int:class_id>/teachers", methods=["POST"])
@login_required
def add_teacher(class_id: int) -> Response:
    classroom = _teacher_class(class_id, write=True)
    form = EmailForm()
    if not form.validate_on_submit():
        flash("Give the email of an existing instructor account.", "error")
        return _back(classroom)
    _flash_outcome(lambda: classes.add_teacher(classroom, form.email.data or "", utcnow()),
                   lambda user: f"{user.email} now teaches this class too.")
    return _back(classroom)


@bp.route("/<int:class_id>/teachers/<int:user_id>/remove", methods=["POST"])
@login_required
def remove_teacher(class_id: int, user_id: int) -> Response:
    classroom = _teacher_class(class_id, write=True)
    _flash_outcome(lambda: classes.remove_teacher(classroom, user_id), lambda _: "Co-teacher removed.")
    return _back(classroom)


# --- joining and leaving ---------------------------------------------------------------

@bp.route("/join", methods=["GET", "POST"])
def join() -> str | tuple[str, int] | Response:
    user = current_learner()
    form = JoinForm()
    if request.method == "GET" and request.args.get("code"):
        form.code.data = request.args["code"]
    if user is None or user.is_guest:
        return render_template("classes/join_login.html", code=form.code.data or "",
                               next_url=request.full_path.rstrip("?")), 401 if request.method == "POST" else 200
    if request.method == "GET" and not form.display_name.data:
        form.display_name.data = (user.email or "").split("@")[0]
    if form.validate_on_submit():
        try:
            classroom = classes.join(user, form.code.data or "", form.display_name.data or "", utcnow())
        except classes.ClassError as exc:
            form.code.errors = [*form.code.errors, str(exc)]
        else:
            flash(f"You joined {classroom.name}.", "success")
            return _back(classroom)
    found = classes.class_by_code(form.code.data or "") if request.method == "GET" else None
    return render_template("classes/join.html", form=form, found=found), 422 if form.errors else 200


@bp.route("/join/<code>")
def join_link(code: str) -> Response:
    """The link a teacher shares: the join form with the code filled in."""
    return redirect(url_for("classes.join", code=code), 303)


@bp.route("/<int:class_id>/leave", methods=["POST"])
@login_required
def leave(class_id: int) -> Response:
    user = _user()
    classroom = classes.class_for_student(class_id, user)
    if classroom is None:
        abort(404)
    classes.leave(user, classroom)
    flash(f"You left {classroom.name}.", "success")
    return redirect(url_for("classes.index"), 303)
