"""The learner behind a request: the logged-in user, or a guest made on demand."""
from __future__ import annotations

from flask_login import current_user, login_user

from ...models import User
from ...models.types import utcnow
from ...services import accounts
from ..security import client_address


def current_learner() -> User | None:
    """The logged-in user or guest, if any."""
    if not current_user.is_authenticated:
        return None
    return current_user._get_current_object()  # type: ignore[attr-defined,no-any-return]  # not the proxy


def ensure_learner(save: bool = False) -> User:
    """The current user; a visitor's first study action makes them a guest learner.

    The new guest is saved by the commit of the action that follows (grading a card, starting a
    quiz, adding a bank), so a request whose action fails leaves no guest behind; `save=True`
    saves it at once, for an action that is only "start". Raises accounts.TooManyGuests (a 429
    page) when the visitor's address made too many guests lately.
    """
    user = current_learner()
    if user is None:
        user = accounts.new_guest(client_address(), utcnow(), commit=save)
        login_user(user, remember=True)
    return user
