"""Classroom rules, free of Flask and SQLAlchemy: join codes, which attempts count,
when work is late or missing, and when students may see the correct answers."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timezone
from statistics import fmean
from typing import Iterable
from zoneinfo import ZoneInfo

# No 0/O, 1/I/L: a code read off a projector or a phone is copied without doubt.
JOIN_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
JOIN_CODE_LENGTH = 6

COUNTING_RULES = ("best", "last", "mean")
LATE_POLICIES = ("accept", "refuse")
REVEAL_RULES = ("immediately", "after_due", "never")


def new_join_code(rng: random.Random, taken: Iterable[str] = (), length: int = JOIN_CODE_LENGTH) -> str:
    """A random code from the unambiguous alphabet that is not among `taken`."""
    used = set(taken)
    for _ in range(1000):
        code = "".join(rng.choice(JOIN_CODE_ALPHABET) for _ in range(length))
        if code not in used:
            return code
    raise RuntimeError("could not find a free join code")  # pragma: no cover - 31**6 codes


def normalize_join_code(text: str) -> str:
    """A code as typed: case, spaces and dashes ignored; O read as 0 is impossible, so
    the look-alikes a student may type (O, I, L, 0, 1) are kept and simply won't match."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


@dataclass(frozen=True)
class Submission:
    """One finished attempt, as the rules see it."""

    finished_at: datetime
    score: float


@dataclass(frozen=True)
class Standing:
    """A student's standing on one assignment."""

    status: str  # upcoming | open | in_progress | done | missing
    score: float | None  # the score that counts (override included), 0..1
    late: bool
    attempts: int
    overridden: bool = False

    @property
    def label(self) -> str:
        """The status in words, late included."""
        words = {"upcoming": "Not open yet", "open": "To do", "in_progress": "In progress",
                 "done": "Done", "missing": "Missing"}
        text = words[self.status]
        return f"{text} (late)" if self.late and self.status == "done" else text


def counted(submissions: list[Submission], rule: str) -> tuple[float | None, list[Submission]]:
    """The score that counts under `rule` (best, last or mean) and the attempts it comes from."""
    if rule not in COUNTING_RULES:
        raise ValueError(f"unknown counting rule {rule!r}")
    if not submissions:
        return None, []
    ordered = sorted(submissions, key=lambda s: s.finished_at)
    if rule == "last":
        return ordered[-1].score, [ordered[-1]]
    if rule == "best":
        best = max(ordered, key=lambda s: s.score)  # the earliest of equal bests
        return best.score, [best]
    return fmean(s.score for s in ordered), ordered


def standing(submissions: list[Submission], *, now: datetime, opens_at: datetime | None, due_at: datetime | None,
             rule: str, in_progress: bool = False, override: float | None = None) -> Standing:
    """Where a student stands: status, counted score, whether it was late, attempts made.

    Work is late when an attempt that counts was finished after the due date. Work is missing
    when the due date has passed with no finished attempt. An override replaces the score.
    """
    score, sources = counted(submissions, rule)
    late = due_at is not None and any(s.finished_at > due_at for s in sources)
    if submissions:
        status = "done"
    elif in_progress:
        status = "in_progress"
    elif opens_at is not None and now < opens_at:
        status = "upcoming"
    elif due_at is not None and now > due_at:
        status = "missing"
    else:
        status = "open"
    if override is not None:
        return Standing(status, override, late, len(submissions), overridden=True)
    return Standing(status, score, late, len(submissions))


def may_start(*, now: datetime, opens_at: datetime | None, due_at: datetime | None, late_policy: str,
              attempts_made: int, attempts_allowed: int | None) -> str | None:
    """Why a new attempt cannot start now, or None when it can."""
    if opens_at is not None and now < opens_at:
        return "This assignment is not open yet."
    if due_at is not None and now > due_at and late_policy == "refuse":
        return "The due date has passed and this assignment does not accept late work."
    if attempts_allowed is not None and attempts_made >= attempts_allowed:
        return ("You have used your attempt." if attempts_allowed == 1
                else f"You have used all {attempts_allowed} attempts.")
    return None


def answers_visible(rule: str, *, now: datetime, due_at: datetime | None) -> bool:
    """Whether a student may see the correct answers now under `rule`."""
    if rule == "immediately":
        return True
    if rule == "after_due":
        return due_at is not None and now > due_at
    return False


def local_to_utc(local: datetime, zone: str) -> datetime:
    """A wall-clock time in a class's time zone (naive) as an aware UTC datetime."""
    return local.replace(tzinfo=ZoneInfo(zone)).astimezone(timezone.utc)


def utc_to_local(moment: datetime, zone: str) -> datetime:
    """An aware UTC datetime as wall-clock time in a class's time zone (aware)."""
    return moment.astimezone(ZoneInfo(zone))
