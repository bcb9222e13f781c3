"""Account page: what the learner studies, their quizzes, password and sessions."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug import Response

from ...models import User
from ...services import accounts, catalog, quizzes
from ..auth.forms import ActionForm
from . import bp
from .forms import PasswordForm


def _page(password_form: PasswordForm, status: int = 200) -> tuple[str, int]:
    user = current_user
    return render_template("account/show.html", banks=catalog.studied_banks(user),  # type: ignore[arg-type]
                           attempts=quizzes.history(user),  # type: ignore[arg-type]
                           password_form=password_form, action_form=ActionForm()), status


def _registered_user() -> User:
    user: User = current_user._get_current_object()  # type: ignore[attr-defined]
    if user.is_guest:
        abort(404)  # a guest has no password and no other sessions
    return user


@bp.route("/account")
@login_required
def show() -> tuple[str, int]:
    return _page(PasswordForm(formdata=None))


@bp.route("/account/password", methods=["POST"])
@login_required
def change_password() -> tuple[str, int] | Response:
    user = _registered_user()
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(user, form.current_password.data or "", form.new_password.data or "")
        except accounts.AccountError as exc:
            form.current_password.errors.append(str(exc))
        else:
            # The change ended every session, this one too: start a new one here.
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
            login_user(user, remember=remembered)
            flash("Your password is changed. Other devices are logged out.", "success")
            return redirect(url_for("account.show"), 303)
    return _page(form, 422)


@bp.route("/account/sessions/end", methods=["POST"])
@login_required
def end_sessions() -> Response:
    # CSRFProtect has already checked the token of this POST.
    accounts.end_sessions(_registered_user())
    logout_user()
    flash("You are logged out on every device.", "success")
    return redirect(url_for("auth.login"), 303)
