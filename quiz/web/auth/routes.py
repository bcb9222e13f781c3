"""Register, log in, log out."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug import Response

from ...models.types import utcnow
from ...services import accounts
from ..security import client_address
from . import bp, devices
from .forms import ActionForm, LoginForm, RegisterForm
from .learner import current_learner


def _safe_next(default: str) -> str:
    target = request.args.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.scheme and not parts.netloc:
        return target
    return default


@bp.route("/register", methods=["GET", "POST"])
def register() -> str | Response:
    user = current_learner()
    if user is not None and not user.is_guest:
        return redirect(url_for("account.show"), 303)
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.register(form.email.data or "", form.password.data or "", guest=user)
        except accounts.AccountError as exc:
            form.email.errors.append(str(exc))
        else:
            login_user(user)
            flash("Welcome! Your account is ready.", "success")
            return devices.remember(redirect(_safe_next(url_for("catalog.index")), 303), user.id)
    status = 422 if form.errors else 200
    return render_template("auth/register.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | tuple[str, int] | Response:
    guest = current_learner()
    if guest is not None and not guest.is_guest:
        return redirect(url_for("account.show"), 303)
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data or "", form.password.data or "",
                                         client_address(), utcnow(), devices.trusted_user_ids())
        except accounts.TooManyAttempts as exc:
            form.form_errors.append(str(exc))
            status = 429
        except accounts.AccountError as exc:
            form.form_errors.append(str(exc))
            status = 401
        else:
            accounts.merge_guest(guest, user)
            login_user(user, remember=bool(form.remember.data))
            flash("You are logged in.", "success")
            return devices.remember(redirect(_safe_next(url_for("catalog.index")), 303), user.id)
    elif form.errors:
        status = 422
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    # CSRFProtect has already checked the token of this POST. Ending the sessions server-side
    # means a copy of the session or remember-me cookie no longer opens the account.
    accounts.end_sessions(current_user)  # type: ignore[arg-type]
    logout_user()
    flash("You are logged out.", "success")
    return redirect(url_for("catalog.index"), 303)


@bp.app_context_processor
def _forms() -> dict[str, object]:
    return {"logout_form": ActionForm(), "current_user": current_user}
