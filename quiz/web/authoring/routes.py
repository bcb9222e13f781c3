"""My banks: list, create (from a title and id, an upload, or a copy of a file bank), the
overview, the source page, download, delete and sharing. Publishing and versions are in
`version_routes`; both share the access helpers here."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from ...domain.bank_versions import skeleton
from ...domain.problems import Problem
from ...models import User
from ...models.types import utcnow
from ...services import authoring, sharing
from ..auth.forms import ActionForm
from ..auth.learner import current_learner
from . import bp
from .forms import CoauthorForm, CopyForm, NewBankForm, PublishForm, SourceForm, UploadForm, VisibilityForm


def author() -> User:
    """The logged-in instructor or admin (others: 403)."""
    user = current_learner()
    if not sharing.is_author(user):
        abort(403, "Only instructors can write banks. Ask an administrator to make your account an instructor's.")
    assert user is not None
    return user


def editor(bank_id: str) -> User:
    """The current user if they own or co-author this web bank (else 404: it is not theirs to see)."""
    user = author()
    if not authoring.can_edit(user, bank_id):
        abort(404)
    return user


def back(bank_id: str, endpoint: str = "authoring.show") -> Response:
    return redirect(url_for(endpoint, bank_id=bank_id), 303)


@bp.route("/")
@login_required
def index() -> str:
    user = author()
    return render_template("authoring/index.html", banks=authoring.my_banks(user), user=user)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> str | tuple[str, int] | Response:
    """A new bank from a title and an id: a valid one-question skeleton to edit."""
    user = author()
    form = NewBankForm()
    if form.validate_on_submit():
        bank_id, problems = authoring.create_draft_bank(
            user, skeleton(form.bank_id.data or "", form.title.data or ""), utcnow())
        if bank_id is not None:
            flash("Bank created as a draft with one example question: replace it with yours.", "success")
            return back(bank_id, "authoring.source")
        form.bank_id.errors = [p.message for p in problems]
    return render_template("authoring/new.html", form=form, upload=UploadForm()), 422 if form.errors else 200


@bp.route("/upload", methods=["POST"])
@login_required
def upload_new() -> tuple[str, int] | Response:
    """A new bank from an uploaded .yaml file (its draft; published later)."""
    user = author()
    form = UploadForm()
    problems: list[Problem] = []
    if form.validate_on_submit():
        name = form.file.data.filename or "bank.yaml"
        text, problems = authoring.text_from_upload(name, form.file.data.read())
        if text is not None and not problems:
            bank_id, problems = authoring.create_draft_bank(user, text, utcnow())
            if bank_id is not None:
                flash(f"Uploaded as the draft of {bank_id}"
                      + (f", with {len(problems)} problem(s) to fix." if problems else "."), "success")
                return back(bank_id)
    return render_template("authoring/new.html", form=NewBankForm(formdata=None), upload=form,
                           problems=problems), 422


@bp.route("/<bank_id>")
@login_required
def show(bank_id: str) -> str:
    editor(bank_id)
    summary = authoring.overview(bank_id)
    assert summary is not None
    owner, coauthors = sharing.editors(bank_id)
    return render_template("authoring/show.html", web=summary.web, summary=summary, problems=summary.problems,
                           publish_form=PublishForm(), upload=UploadForm(), owner=owner, coauthors=coauthors)


@bp.route("/<bank_id>/upload", methods=["POST"])
@login_required
def upload_replace(bank_id: str) -> Response | tuple[str, int]:
    """Replace the draft with an uploaded .yaml file (kept even with problems, like a save)."""
    user = editor(bank_id)
    form = UploadForm()
    if form.validate_on_submit():
        text, problems = authoring.text_from_upload(form.file.data.filename or authoring.file_name(bank_id),
                                                    form.file.data.read())
        if text is not None and not problems:
            problems = authoring.save_draft(user, bank_id, text, utcnow())
            flash("Draft replaced by the uploaded file" +
                  (f"; {len(problems)} problem(s) to fix before publishing." if problems else "."),
                  "error" if problems else "success")
            return back(bank_id)
        flash("The file was not used: " + "; ".join(str(p) for p in problems[:5]), "error")
    else:
        flash("Choose a .yaml file to upload.", "error")
    return back(bank_id)


@bp.route("/<bank_id>/source", methods=["GET", "POST"])
@login_required
def source(bank_id: str) -> str | tuple[str, int] | Response:
    """The draft as YAML: Check shows its problems without saving; Save keeps it (even broken)."""
    user = editor(bank_id)
    form = SourceForm()
    if request.method == "POST" and form.validate_on_submit():
        text = (form.source.data or "").replace("\r\n", "\n")
        if request.form.get("action") == "save":
            problems = authoring.save_draft(user, bank_id, text, utcnow())
            if not (problems and authoring.draft_text(bank_id) != text):  # saved (not refused as too long)
                flash("Draft saved" + (f" with {len(problems)} problem(s)." if problems else "."), "success")
                return back(bank_id, "authoring.source")
        else:
            problems = authoring.check_draft(bank_id, text)
        checked = True
    else:
        if request.method == "POST":
            abort(400)
        text = authoring.draft_text(bank_id)
        form.source.data = text
        problems = authoring.check_draft(bank_id, text)
        checked = False
    summary = authoring.overview(bank_id)
    assert summary is not None
    return render_template("authoring/source.html", web=summary.web, form=form, problems=problems,
                           checked=checked, text=text)


@bp.route("/<bank_id>/download")
@login_required
def download(bank_id: str) -> Response:
    """The draft (or ?version=N) as `<bank-id>.yaml`, as `flask banks check` reads it."""
    editor(bank_id)
    number = request.args.get("version", "")
    if number:
        found = authoring.version(bank_id, int(number)) if number.isdecimal() and len(number) < 9 else None
        if found is None:
            abort(404)
        text, name = found.text, f"{bank_id}.v{found.number}.yaml"
    else:
        text, name = authoring.draft_text(bank_id), authoring.file_name(bank_id)
    return Response(text.encode("utf-8"), mimetype="application/yaml",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/<bank_id>/delete", methods=["GET", "POST"])
@login_required
def delete(bank_id: str) -> str | Response:
    user = editor(bank_id)
    form = ActionForm()
    summary = authoring.overview(bank_id)
    assert summary is not None
    if summary.web.owner_id != user.id:
        abort(403, "Only the bank's owner can delete it.")
    if form.validate_on_submit():
        authoring.delete_bank(user, bank_id, utcnow())
        flash(f"The bank {bank_id} was deleted.", "success")
        return redirect(url_for("authoring.index"), 303)
    return render_template("authoring/delete.html", web=summary.web, summary=summary, form=form)


@bp.route("/<bank_id>/sharing", methods=["GET", "POST"])
@login_required
def sharing_page(bank_id: str) -> str | tuple[str, int] | Response:
    """Who sees the published bank, and who co-authors it (changed by the owner)."""
    user = editor(bank_id)
    summary = authoring.overview(bank_id)
    assert summary is not None
    form = VisibilityForm(data={"visibility": summary.web.visibility} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            sharing.set_visibility(user, bank_id, form.visibility.data or "private")
        except sharing.SharingError as exc:
            abort(403, str(exc))
        flash("Sharing saved.", "success")
        return back(bank_id, "authoring.sharing_page")
    return _sharing(summary, user, form, CoauthorForm())


def _sharing(summary: authoring.Overview, user: User, form: VisibilityForm,
             coauthor_form: CoauthorForm) -> tuple[str, int]:
    owner, coauthors = sharing.editors(summary.web.id)
    status = 422 if form.errors or coauthor_form.errors else 200
    return render_template("authoring/sharing.html", web=summary.web, form=form, coauthor_form=coauthor_form,
                           owner=owner, coauthors=coauthors, is_owner=summary.web.owner_id == user.id,
                           action_form=ActionForm()), status


@bp.route("/<bank_id>/coauthors", methods=["POST"])
@login_required
def add_coauthor(bank_id: str) -> tuple[str, int] | Response:
    user = editor(bank_id)
    form = CoauthorForm()
    if form.validate_on_submit():
        try:
            other = sharing.add_coauthor(user, bank_id, form.email.data or "", utcnow())
        except sharing.SharingError as exc:
            form.email.errors = [str(exc)]
        else:
            flash(f"{other.email} can now edit and publish this bank.", "success")
            return back(bank_id, "authoring.sharing_page")
    summary = authoring.overview(bank_id)
    assert summary is not None
    return _sharing(summary, user, VisibilityForm(data={"visibility": summary.web.visibility}), form)


@bp.route("/<bank_id>/coauthors/<int:user_id>/remove", methods=["POST"])
@login_required
def remove_coauthor(bank_id: str, user_id: int) -> Response:
    user = editor(bank_id)
    if ActionForm().validate_on_submit():
        try:
            sharing.remove_coauthor(user, bank_id, user_id)
        except sharing.SharingError as exc:
            abort(403, str(exc))
        flash("Co-author removed.", "success")
    return back(bank_id, "authoring.sharing_page")


@bp.route("/copy/<bank_id>", methods=["GET", "POST"])
@login_required
def copy(bank_id: str) -> str | tuple[str, int] | Response:
    """Copy a bank from questions/ (read-only here) into my banks, with new bank and question ids."""
    user = author()
    if authoring.is_web_bank(bank_id) or not sharing.can_view(user, bank_id):
        abort(404)
    form = CopyForm(data={"bank_id": f"{bank_id}-copy"} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            new_id, problems = authoring.copy_file_bank(user, bank_id, form.bank_id.data or "", utcnow())
        except authoring.AuthoringError as exc:
            abort(404, str(exc))
        if new_id is not None:
            flash(f"Copied into your banks as the draft {new_id}" +
                  (f", with {len(problems)} problem(s) to fix." if problems else "."), "success")
            return back(new_id)
        form.bank_id.errors = [p.message for p in problems]
    return render_template("authoring/copy.html", form=form, bank_id=bank_id), 422 if form.errors else 200
