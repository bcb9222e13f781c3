"""Limits on what a request may carry before any route reads it.

- Whole numbers in URLs (`<int:…>`) are ASCII digits from 0 to 2**31 − 1, the largest id
  an INTEGER column holds in PostgreSQL; anything else matches no route, whatever the
  method: "no page here" (404) rather than an overflow deep in the database.
- Text with a NUL character is refused (400): no form of ours sends one, and PostgreSQL
  cannot store or compare it. In the address itself (`/my/banks/%00`) it is "no page here" (404).
- The body size limit is Flask's MAX_CONTENT_LENGTH (config `QUIZ_MAX_CONTENT_LENGTH`);
  a larger request gets the 413 page from errors.py.
"""
from __future__ import annotations

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # INTEGER in PostgreSQL (SQLite's holds 64 bits)


def at_most(limit: int) -> str:
    """A regular expression matching the decimal numbers from 0 to `limit` (ASCII digits, no
    longer than `limit` itself): shorter numbers, or a prefix of `limit` and a smaller digit."""
    digits = str(limit)
    alternatives = [f"[0-9]{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    for index, digit in enumerate(digits):
        if digit != "0":
            alternatives.append(f"{digits[:index]}[0-{int(digit) - 1}][0-9]{{{len(digits) - index - 1}}}")
    alternatives.append(digits)
    return "(?:" + "|".join(alternatives) + ")"


class IdConverter(IntegerConverter):
    """`<int:name>`: 0 to MAX_ID in ASCII digits. Bounded in the pattern itself (not in
    to_python), so that a POST to an impossible id is a 404 too, not a 405 from the GET rule
    of the same address."""

    regex = at_most(MAX_ID)


def _refuse_nul() -> None:
    if any(isinstance(value, str) and "\x00" in value for value in (request.view_args or {}).values()):
        abort(404)  # no page has a NUL in its address (and PostgreSQL cannot compare one)
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            if "\x00" in key or "\x00" in value:
                abort(400, "What you sent contains a NUL character, which no form here can take. "
                           "Go back, retype it and send it again.")


def init_app(app: Flask) -> None:
    """Register the bounded `int` converter (before any blueprint) and the NUL check."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(_refuse_nul)
