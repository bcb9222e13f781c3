"""Spaced-repetition rules on top of py-fsrs (FSRS-6): reviews, previews, study days.

Pure: the time is passed in. Card state is py-fsrs's own dict form, so what we store is
exactly what py-fsrs computes. Fuzzing is off, so the interval shown on a grade button is
the interval the learner gets.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Sequence
from zoneinfo import ZoneInfo

import fsrs

RATINGS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
STATUS = {fsrs.State.Learning: "learning", fsrs.State.Review: "review", fsrs.State.Relearning: "relearning"}
DEFAULT_PARAMETERS: tuple[float, ...] = tuple(fsrs.Scheduler().parameters)


def scheduler(desired_retention: float = 0.9, parameters: Sequence[float] | None = None) -> fsrs.Scheduler:
    """A py-fsrs scheduler for a learner's retention and (fitted or default) parameters."""
    return fsrs.Scheduler(parameters=tuple(parameters or DEFAULT_PARAMETERS),
                          desired_retention=desired_retention, enable_fuzzing=False)


def _card(state: dict[str, Any] | None, now: datetime) -> fsrs.Card:
    # An explicit card_id: py-fsrs otherwise sleeps 1 ms per new Card to make ids unique.
    return fsrs.Card.from_dict(state) if state else fsrs.Card(card_id=0, due=now)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Reviewed:
    """A card after a review, as stored."""

    state: dict[str, Any]
    due: datetime
    status: str
    stability: float | None


def review(state: dict[str, Any] | None, rating: int, now: datetime, sched: fsrs.Scheduler) -> Reviewed:
    """Apply one rating (1 Again … 4 Easy) at `now` to a card (None: a new card)."""
    if rating not in RATINGS:
        raise ValueError(f"rating must be 1–4, not {rating}")
    card, _log = sched.review_card(_card(state, now), fsrs.Rating(rating), now)
    return Reviewed(card.to_dict(), card.due, STATUS[card.state], card.stability)


def preview(state: dict[str, Any] | None, now: datetime, sched: fsrs.Scheduler) -> dict[int, timedelta]:
    """The interval each rating would give, for the grade buttons."""
    return {rating: review(state, rating, now, sched).due - now for rating in RATINGS}


def retrievability(state: dict[str, Any] | None, now: datetime, sched: fsrs.Scheduler) -> float:
    """Probability of recall now (0 for a card never reviewed)."""
    if not state:
        return 0.0
    return float(sched.get_card_retrievability(_card(state, now), now))


def retrievability_at(stability: float | None, last_review: datetime | None, now: datetime,
                      sched: fsrs.Scheduler) -> float:
    """Probability of recall now from a card's stability and last review (0 if never reviewed)."""
    if stability is None or last_review is None:
        return 0.0
    card = fsrs.Card(card_id=0, stability=stability, last_review=last_review)
    return float(sched.get_card_retrievability(card, now))


def format_interval(delta: timedelta) -> str:
    """Short human form: '1 min', '10 min', '3 h', '4 d', '2 mo', '1.5 y'."""
    seconds = max(delta.total_seconds(), 0)
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} min"
    if seconds < 86400:
        return f"{round(seconds / 3600)} h"
    days = seconds / 86400
    if days < 30.5:
        return f"{round(days)} d"
    if days < 365:
        return f"{days / 30.44:.1f} mo".replace(".0 ", " ")
    return f"{days / 365.25:.1f} y".replace(".0 ", " ")


def study_day_start(now: datetime, tz_name: str, cutoff_hour: int) -> datetime:
    """When the learner's current study day began, in UTC.

    A study day runs from the cut-off hour (default 4 a.m.) in the learner's time zone to
    the same hour the next day, so a late-night session counts for the day before.
    """
    zone = ZoneInfo(tz_name)
    local = now.astimezone(zone)
    start_date = local.date() if local.hour >= cutoff_hour else local.date() - timedelta(days=1)
    start = datetime.combine(start_date, time(cutoff_hour), tzinfo=zone)
    return start.astimezone(timezone.utc)


def next_day_start(now: datetime, tz_name: str, cutoff_hour: int) -> datetime:
    """When the learner's next study day begins, in UTC (daylight-saving safe)."""
    zone = ZoneInfo(tz_name)
    start = study_day_start(now, tz_name, cutoff_hour).astimezone(zone)
    following = datetime.combine(start.date() + timedelta(days=1), time(cutoff_hour), tzinfo=zone)
    return following.astimezone(timezone.utc)


def study_date(moment: datetime, tz_name: str, cutoff_hour: int) -> date:
    """The learner's study day that `moment` falls in (02:00 with a 4 a.m. cut-off: the day before)."""
    return study_day_start(moment, tz_name, cutoff_hour).astimezone(ZoneInfo(tz_name)).date()


def day_start(day: date, zone: ZoneInfo, cutoff_hour: int) -> datetime:
    """When the study day `day` begins, in UTC."""
    return datetime.combine(day, time(cutoff_hour), tzinfo=zone).astimezone(timezone.utc)
