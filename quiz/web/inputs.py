"""Limits on what a request may carry before any route reads it.

- Whole numbers in URLs (`<int:…>`) are 1 to 18 ASCII digits, so they always fit a 64-bit
  database id; anything else matches no route, whatever the method: "no page here" (404)
  rather than an overflow deep in the database.
- Text with a NUL character is refused (400): no form of ours sends one, and PostgreSQL
  cannot store or compare it.
- The body size limit is Flask's MAX_CONTENT_LENGTH (config `QUIZ_MAX_CONTENT_LENGTH`);
  a larger request gets the 413 page from errors.py.
"""
from __future__ import annotations

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

MAX_DIGITS = 18  # 10**18 − 1 is below 2**63 − 1, the largest BIGINT (PostgreSQL) and INTEGER (SQLite)


class IdConverter(IntegerConverter):
    """`<int:name>`: 0 to 10**18 − 1 in ASCII digits. Bounded in the pattern itself (not in
    to_python), so that a POST to an impossible id is a 404 too, not a 405 from the GET rule."""

    regex = r"[0-9]{1,%d}" % MAX_DIGITS


def _refuse_nul() -> None:
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            if "\x00" in key or "\x00" in value:
                abort(400, "What you sent contains a NUL character, which no form here can take. "
                           "Go back, retype it and send it again.")


def init_app(app: Flask) -> None:
    """Register the bounded `int` converter (before any blueprint) and the NUL check."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(_refuse_nul)
