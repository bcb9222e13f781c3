"""The learner behind a request: the logged-in user, or a guest made on demand."""
from __future__ import annotations

from flask_login import current_user, login_user

from ...models import User
from ...services import accounts


def current_learner() -> User | None:
    """The logged-in user or guest, if any."""
    return current_user if current_user.is_authenticated else None  # type: ignore[return-value]


def ensure_learner() -> User:
    """The current user; a visitor's first study action makes them a guest learner."""
    user = current_learner()
    if user is None:
        user = accounts.create_guest()
        login_user(user, remember=True)
    return user
