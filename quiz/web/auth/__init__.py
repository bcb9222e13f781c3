"""Accounts: register, log in, log out; guests for visitors who start studying."""
from __future__ import annotations

from flask import Blueprint, Flask

from ...extensions import login_manager
from ...models import User
from ...services import accounts

bp = Blueprint("auth", __name__, url_prefix="/auth")


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    return accounts.get_user(int(user_id)) if user_id.isdigit() else None


def init_app(app: Flask) -> None:
    from . import routes  # noqa: F401

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see this page."
    login_manager.session_protection = "basic"
    app.register_blueprint(bp)
