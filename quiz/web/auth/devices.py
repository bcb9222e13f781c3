"""Devices a user logged in from: a signed cookie naming the accounts that logged in on this
browser, so a login from a known device is not refused because others on the same address
(a school's NAT) guessed passwords. It only exempts from the per-address limit; it proves nothing else."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug import Response

COOKIE = "quiz_device"
MAX_AGE = timedelta(days=365)
KEEP = 5  # accounts remembered per browser


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key or "", salt="quiz-device")


def trusted_user_ids() -> list[int]:
    """The accounts that logged in on this browser before (none if the cookie is missing or forged)."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return []
    try:
        ids = _serializer().loads(raw)
    except BadSignature:
        return []
    if not isinstance(ids, list):
        return []
    return [i for i in ids if isinstance(i, int) and not isinstance(i, bool)][:KEEP]


def remember(response: Response, user_id: int) -> Response:
    """Mark this browser as one the user logged in on."""
    ids = [user_id] + [i for i in trusted_user_ids() if i != user_id][:KEEP - 1]
    response.set_cookie(COOKIE, _serializer().dumps(ids), max_age=MAX_AGE, httponly=True, samesite="Lax",
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    return response
