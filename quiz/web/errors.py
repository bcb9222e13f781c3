"""Error pages: every refusal says what happened and what to do next."""
from __future__ import annotations

from flask import Flask, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

MESSAGES = {
    400: "The request could not be understood. Go back, reload the page and try again.",
    403: "You are not allowed to see this page.",
    404: "There is no page at this address. Check the address, or start again from the catalog.",
    405: "This page cannot be used that way.",
    413: "What you sent is larger than this site accepts ({limit}). Nothing was saved: go back, "
         "shorten it and send it again.",
    422: "What you sent could not be used. Go back, correct it and send it again.",
    429: "Too many requests; please wait a moment.",
    500: "Something went wrong on our side. Nothing you did was lost; please try again.",
}


def _size(limit: int | None) -> str:
    if limit is None:
        return "the limit"
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB"
    return f"{limit / 1024:g} KB" if limit >= 1024 else f"{limit} bytes"


def _render(code: int, message: str) -> tuple[str, int]:
    return render_template("errors/error.html", code=code, message=message), code


def _http_error(error: HTTPException) -> tuple[str, int]:
    code = error.code or 500
    if error.description and error.description != type(error).description:
        return _render(code, error.description)  # a route said what to do (abort(400, "…"))
    message = MESSAGES.get(code, error.description or "")
    if code == 413:
        message = message.format(limit=_size(current_app.config.get("MAX_CONTENT_LENGTH")))
    return _render(code, message)


def _too_large(error: RequestEntityTooLarge) -> tuple[str, int]:
    # The body is never read: the page's own forms (the logout button) must see it as empty.
    request.form = ImmutableMultiDict()  # type: ignore[misc]
    request.files = ImmutableMultiDict()  # type: ignore[misc]
    return _http_error(error)


def _csrf_error(error: CSRFError) -> tuple[str, int]:
    return _render(400, "This form has expired or was sent from another site. Go back, reload the page and try again.")


def _server_error(error: Exception) -> tuple[str, int]:
    return _render(500, MESSAGES[500])


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(500, _server_error)
