"""Timeline, glossary, who's who and places (public pages), and "quiz me on this"."""
from __future__ import annotations

import random
from typing import Mapping

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug import Response

from ...domain.reference import TimelineFilter, by_letter, places_by_kind, timeline
from ...models.types import utcnow
from ...services import explore, quizzes
from ..auth.learner import ensure_learner
from . import bp


def _year(args: Mapping[str, str], name: str) -> int | None:
    """A year typed in a filter box; anything else means "any"."""
    value = (args.get(name) or "").strip()
    return int(value) if value.isdecimal() and len(value) == 4 else None


@bp.route("/timeline")
def show_timeline() -> str:
    """Every dated event in order, grouped by year; filters: years from–to, bank, tag."""
    reference = explore.reference()
    events = reference.of_kind("event")
    tags = sorted({t for e in events for t in e.tags})
    bank = request.args.get("bank") or ""
    tag = request.args.get("tag") or ""
    chosen = TimelineFilter(start=_year(request.args, "from"), end=_year(request.args, "to"),
                            bank=bank if bank in reference.bank_titles else "", tag=tag if tag in tags else "")
    years = timeline(reference, chosen)
    return render_template("explore/timeline.html", reference=reference, years=years, chosen=chosen, tags=tags,
                           shown=sum(len(found) for _, found in years), total=len(events))


@bp.route("/glossary")
def show_glossary() -> str:
    """Acronyms and organisations A–Z."""
    reference = explore.reference()
    return render_template("explore/glossary.html", reference=reference,
                           letters=by_letter(reference.of_kind("organisation")))


@bp.route("/people")
def show_people() -> str:
    """Who's who: every person A–Z."""
    reference = explore.reference()
    return render_template("explore/people.html", reference=reference, letters=by_letter(reference.of_kind("person")))


@bp.route("/places")
def show_places() -> str:
    """Countries, regions, towns, mountains and sites, with their events and people."""
    reference = explore.reference()
    return render_template("explore/places.html", reference=reference, groups=places_by_kind(reference))


@bp.route("/explore/<key>/quiz", methods=["POST"])
def quiz_entry(key: str) -> Response:
    """Quiz me on this: a practice quiz on the questions about one entry."""
    if explore.entry_questions(key) is None:
        abort(404)
    user = ensure_learner()
    try:
        attempt = explore.quiz_on(user, key, utcnow(), random.Random())
    except explore.NoSuchEntry:
        abort(404)
    except quizzes.QuizError as exc:
        flash(str(exc), "error")
        return redirect(url_for("explore.show_timeline"), 303)
    return redirect(url_for("quiz.show_attempt", attempt_id=attempt.id), 303)
