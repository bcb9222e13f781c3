"""The source editor's live check: `POST /my/banks/<bank_id>/check` answers with the problems of
a draft text as JSON, the same located messages as `flask banks check`; and the bank JSON Schema
that the editor's completion reads.

The request carries the source page's form fields `csrf_token` and `source` (static/js/source-editor.js
sends them as multipart/form-data, so the text is not percent-encoded); nothing is saved. The answer is
`{"problems": [{"path", "line", "col", "message"}]}` (line and column 1-based), or
`{"error": "…"}` with 400 (CSRF, no text), 401, 403, 404 or 413 (a body over the request limit)
— never an HTML page, which the script could not show. A text over the bank size limit gets the
service's located problem, as the page's Check button does.
"""
from __future__ import annotations

import hashlib

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from ...config import ROOT
from ...domain.banks import ID_PATTERN
from ...services import authoring, sharing
from ..auth.learner import current_learner
from ..errors import _size as size_text  # the 413 page's wording of the limit

bp = Blueprint("authoring_check", __name__)

SCHEMA = ROOT / "questions" / "schema.json"


def _error(status: int, message: str) -> tuple[Response, int]:
    return jsonify(error=message), status


@bp.errorhandler(CSRFError)
def _csrf_error(error: CSRFError) -> tuple[Response, int]:
    return _error(400, "This page has expired, so the text was not checked. Copy your text, reload the "
                       "page and paste it back.")


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> tuple[Response, int]:
    # e.g. the NUL-character refusal of quiz.web.inputs: its message, in JSON
    code = error.code or 500
    if error.description and error.description != type(error).description:
        return _error(code, error.description)
    return _error(code, f"The check was refused ({code} {error.name}). Reload the page and try again.")


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error: RequestEntityTooLarge) -> tuple[Response, int]:
    # A body over MAX_CONTENT_LENGTH is refused before it is read; a text over the service's
    # limit (authoring.MAX_TEXT characters) gets the service's own located problem instead.
    size = size_text(current_app.config.get("MAX_CONTENT_LENGTH"))
    return _error(413, f"The text is larger than this site accepts ({size}): it was not checked. "
                       f"Split the bank into several banks.")


@bp.post("/my/banks/<bank_id>/check")
def check_source(bank_id: str) -> Response | tuple[Response, int]:
    """The problems of the posted text as the draft of this bank (nothing is saved).
    The same access as the source page: editors only; another author gets 404, as there."""
    user = current_learner()
    if user is None or user.is_guest:
        return _error(401, "Log in to check a bank.")
    if not sharing.is_author(user):
        return _error(403, "Only instructors can write banks.")
    if not ID_PATTERN.match(bank_id) or not authoring.can_edit(user, bank_id):  # (no NUL reaches the database)
        return _error(404, "There is no such bank among yours.")
    text = request.form.get("source")
    if text is None:
        return _error(400, "Nothing to check: send the bank text as `source`.")
    problems = authoring.check_draft(bank_id, text.replace("\r\n", "\n"))
    return jsonify(problems=[{"path": p.path, "line": p.line, "col": p.col, "message": p.message}
                             for p in problems])


@bp.get("/schema/bank.json")
def bank_schema() -> Response:
    """questions/schema.json, the JSON Schema of a bank, for the source editor's completion."""
    data = SCHEMA.read_bytes()
    response = Response(data, mimetype="application/schema+json")
    response.headers["Cache-Control"] = "public, max-age=3600"  # not per user: security's no-store stays off
    response.set_etag(hashlib.sha256(data).hexdigest()[:16])
    return response.make_conditional(request)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
