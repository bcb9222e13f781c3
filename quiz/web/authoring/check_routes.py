"""The source editor's live check: `POST /my/banks/<bank_id>/check` answers with the problems of
a draft text as JSON, the same located messages as `flask banks check`; and the bank JSON Schema
that the editor's completion reads.

The request is the source page's own form, sent by static/js/source-editor.js as
`application/x-www-form-urlencoded` (`csrf_token`, `source`); nothing is saved. The answer is
`{"problems": [{"path", "line", "col", "message"}]}` (line and column 1-based), or
`{"error": "…"}` with 400 (CSRF, no text), 401, 403, 404 or 413 (too large) — never an HTML page,
which the script could not show.
"""
from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, jsonify, request, send_file
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import RequestEntityTooLarge

from ...config import ROOT
from ...services import authoring
from ..auth.learner import current_learner

bp = Blueprint("authoring_check", __name__)

SCHEMA = ROOT / "questions" / "schema.json"
# The largest text checked, in bytes of UTF-8 (QUIZ_BANK_SOURCE_MAX_BYTES; never above the
# request limit, MAX_CONTENT_LENGTH, which refuses a larger body before it is read).
DEFAULT_MAX_BYTES = 256 * 1024


def max_bytes() -> int:
    """The largest bank text the check accepts, in bytes."""
    return int(current_app.config.get("BANK_SOURCE_MAX_BYTES") or DEFAULT_MAX_BYTES)


def _error(status: int, message: str) -> tuple[Response, int]:
    return jsonify(error=message), status


def _size(limit: int) -> str:
    return f"{limit / 1024:g} KB" if limit < 1024 * 1024 else f"{limit / (1024 * 1024):g} MB"


@bp.errorhandler(CSRFError)
def _csrf_error(error: CSRFError) -> tuple[Response, int]:
    return _error(400, "This page has expired: reload it (your text is kept in the editor until you do; "
                       "copy it first) and check again.")


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error: RequestEntityTooLarge) -> tuple[Response, int]:
    limit = min(max_bytes(), current_app.config.get("MAX_CONTENT_LENGTH") or max_bytes())
    return _error(413, f"The text is larger than {_size(limit)}: it is not checked. Split the bank in two.")


@bp.post("/my/banks/<bank_id>/check")
def check_source(bank_id: str) -> Response | tuple[Response, int]:
    """The problems of the posted text as the draft of this bank (nothing is saved)."""
    user = current_learner()
    if user is None or user.is_guest:
        return _error(401, "Log in to check a bank.")
    if not authoring.can_edit(user, bank_id):
        if authoring.can_view(user, bank_id):
            return _error(403, "Only the bank's authors can check its drafts.")
        return _error(404, "There is no such bank.")
    text = request.form.get("source")
    if text is None:
        return _error(400, "Nothing to check: send the bank text as `source`.")
    if len(text.encode("utf-8")) > max_bytes():
        raise RequestEntityTooLarge()
    problems = authoring.check_draft(bank_id, text)
    return jsonify(problems=[{"path": p.path, "line": p.line, "col": p.col, "message": p.message}
                             for p in problems])


@bp.get("/schema/bank.json")
def bank_schema() -> Response:
    """questions/schema.json, the JSON Schema of a bank, for the source editor's completion."""
    response = send_file(SCHEMA, mimetype="application/schema+json", conditional=True, max_age=3600)
    response.headers["Cache-Control"] = "public, max-age=3600"  # not per user: security's no-store stays off
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
