"""Publishing a web bank, its version history, the diff between two versions, restoring one,
and the regrade prompt after a publish changed answer keys."""
from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import login_required

from ...models.types import utcnow
from ...services import authoring, regrading, sharing
from ..auth.forms import ActionForm
from . import bp
from .forms import PublishForm, UploadForm
from .routes import back, editor


def _published(bank_id: str, result: authoring.Published, what: str) -> Response | tuple[str, int]:
    """After a publish or restore: the regrade prompt, the overview, or the refusal with its problems."""
    if result.version is None:
        summary = authoring.overview(bank_id)
        assert summary is not None
        owner, coauthors = sharing.editors(bank_id)
        return render_template("authoring/show.html", web=summary.web, summary=summary, problems=result.problems,
                               refused=True, publish_form=PublishForm(), upload=UploadForm(), owner=owner,
                               coauthors=coauthors), 422
    flash(f"{what} as version {result.version.number}: learners see it now.", "success")
    if result.answered_key_changes:
        return back(bank_id, "authoring.regrade")
    return back(bank_id)


@bp.route("/<bank_id>/publish", methods=["POST"])
@login_required
def publish(bank_id: str) -> Response | tuple[str, int]:
    """Publish the draft after the full check; refused with the problems listed."""
    user = editor(bank_id)
    form = PublishForm()
    if not form.validate_on_submit():
        flash("The note is too long (300 characters at most); nothing was published.", "error")
        return back(bank_id)
    return _published(bank_id, authoring.publish(user, bank_id, utcnow(), form.note.data or ""), "Published")


@bp.route("/<bank_id>/versions")
@login_required
def versions(bank_id: str) -> str:
    editor(bank_id)
    summary = authoring.overview(bank_id)
    assert summary is not None
    history = authoring.versions(bank_id)
    names = sharing.user_names({v.published_by for v in history if v.published_by is not None})
    return render_template("authoring/versions.html", web=summary.web, history=list(reversed(history)),
                           names=names, form=ActionForm())


def _number(name: str) -> int:
    value = request.args.get(name, "")
    return int(value) if value.isdecimal() and len(value) < 9 else 0


@bp.route("/<bank_id>/diff")
@login_required
def diff(bank_id: str) -> str | tuple[str, int]:
    """The line diff between two versions (?from=N&to=M)."""
    editor(bank_id)
    summary = authoring.overview(bank_id)
    assert summary is not None
    history = authoring.versions(bank_id)
    numbers = [v.number for v in history]
    old, new = _number("from"), _number("to")
    if not old and not new and len(numbers) >= 2:
        old, new = numbers[-2], numbers[-1]
    hunks = authoring.diff(bank_id, old, new)
    status = 200 if hunks is not None or not (old or new) else 404
    return render_template("authoring/diff.html", web=summary.web, hunks=hunks, old=old, new=new,
                           numbers=numbers), status


@bp.route("/<bank_id>/versions/<int:number>/restore", methods=["POST"])
@login_required
def restore(bank_id: str, number: int) -> Response | tuple[str, int]:
    """Publish an old version's text again as a new version (and make it the draft)."""
    user = editor(bank_id)
    if not ActionForm().validate_on_submit():
        return back(bank_id, "authoring.versions")
    try:
        result = authoring.restore(user, bank_id, number, utcnow())
    except authoring.AuthoringError as exc:
        flash(str(exc), "error")
        return back(bank_id, "authoring.versions")
    return _published(bank_id, result, f"Version {number} restored")


@bp.route("/<bank_id>/regrade", methods=["GET", "POST"])
@login_required
def regrade(bank_id: str) -> str | Response:
    """The last publish changed answer keys of answered questions: regrade those answers, or not."""
    user = editor(bank_id)
    summary = authoring.overview(bank_id)
    assert summary is not None
    changed = list((summary.latest.changes if summary.latest else {}).get("key_changed", []))
    form = ActionForm()
    if form.validate_on_submit():
        moved = regrading.regrade_questions(changed, user, utcnow())
        flash(f"Answers regraded: {moved} score{'s' if moved != 1 else ''} changed.", "success")
        return redirect(url_for("authoring.show", bank_id=bank_id), 303)
    return render_template("authoring/regrade.html", web=summary.web, summary=summary, changed=changed,
                           affected=regrading.affected(changed), form=form)
