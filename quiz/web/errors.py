"""Error pages."""
from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: "The request could not be understood.",
    403: "You are not allowed to see this page.",
    404: "There is no page at this address.",
    405: "This page cannot be used that way.",
    429: "Too many requests; please wait a moment.",
    500: "Something went wrong on our side. Nothing you did was lost; please try again.",
}


def _render(code: int, message: str) -> tuple[str, int]:
    return render_template("errors/error.html", code=code, message=message), code


def _http_error(error: HTTPException) -> tuple[str, int]:
    code = error.code or 500
    return _render(code, MESSAGES.get(code, error.description or ""))


def _csrf_error(error: CSRFError) -> tuple[str, int]:
    return _render(400, "This form has expired or was sent from another site. Go back, reload the page and try again.")


def _server_error(error: Exception) -> tuple[str, int]:
    return _render(500, MESSAGES[500])


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(500, _server_error)
