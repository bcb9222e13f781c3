"""Accounts: register, log in, log out; guests for visitors who start studying."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Flask, flash, render_template, request, url_for

from ...extensions import login_manager
from ...models import User
from ...services import accounts

bp = Blueprint("auth", __name__, url_prefix="/auth")


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    """The user of a session or remember-me cookie, unless that session was ended since."""
    return accounts.user_for_session(session_id)


def _too_many_guests(error: accounts.TooManyGuests) -> tuple[str, int, dict[str, str]]:
    """A page saying why (429); an htmx request, which would not show it, reloads its page with the message."""
    if request.headers.get("HX-Request") == "true":
        flash(str(error), "error")
        back = urlsplit(request.referrer or "")
        same_site = back.netloc == request.host and back.path.startswith("/")
        return "", 429, {"HX-Redirect": back.path if same_site else url_for("catalog.index")}
    return render_template("errors/error.html", code=429, message=str(error)), 429, {}


def init_app(app: Flask) -> None:
    from . import routes  # noqa: F401

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see this page."
    login_manager.session_protection = "basic"
    app.register_blueprint(bp)
    app.register_error_handler(accounts.TooManyGuests, _too_many_guests)
