"""Template filters that show stored answers and durations to people."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from ...domain.dates import DateFormatError, PartialDate


def response_text(response: Any, qtype: str | None = None) -> str:
    """A learner's stored response in words (a date as a reader says it)."""
    if response is None or response == "" or response == [] or response == {}:
        return "(no answer)"
    if qtype == "date" and isinstance(response, str):
        try:
            return PartialDate.parse(response).human()
        except DateFormatError:
            return response
    if qtype == "card" and isinstance(response, bool):
        return "Yes, I knew it" if response else "No, I didn't know it"
    if isinstance(response, bool):
        return "True" if response else "False"
    if isinstance(response, list):
        return "; ".join(str(r) if str(r).strip() else "(blank)" for r in response)
    if isinstance(response, dict):
        return "; ".join(f"{k} → {v}" for k, v in response.items())
    return str(response)


def duration(delta: timedelta | None) -> str:
    if delta is None:
        return "—"
    seconds = int(delta.total_seconds())
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {seconds:02d} s"


def percent(score: float | None) -> str:
    return "—" if score is None else f"{round(score * 100)} %"


@pass_context
def sent_value(context: Context, name: str) -> str:
    """What the learner sent in a field of a question sent back to be fixed ("" otherwise)."""
    values = (context.get("sent") or {}).get(name) or [""]
    return values[0]


@pass_context
def sent_values(context: Context, name: str) -> list[str]:
    """Every value sent in a field (ticked boxes) of a question sent back to be fixed."""
    return list((context.get("sent") or {}).get(name) or [])


@pass_context
def field_state(context: Context, name: str) -> Markup:
    """Attributes for the field that the question's error message is about: marked invalid,
    described by the message, and focused."""
    if context.get("error_field") != name:
        return Markup("")
    return Markup(' aria-invalid="true" aria-describedby="answer-error" autofocus')


def init_app(app: Flask) -> None:
    app.add_template_filter(response_text)
    app.add_template_filter(duration)
    app.add_template_filter(percent)
    for function in (sent_value, sent_values, field_state):
        app.add_template_global(function)
