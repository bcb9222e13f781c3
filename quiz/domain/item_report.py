"""What authors and teachers read from item-analysis figures: lint for bank authors, and the
facility and discrimination charts.

Lint reads the per-question figures of `item_analysis` pooled over every use of a question,
and stays silent until a question has `MIN_ANSWERS_FOR_LINT` answers.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from . import charts
from .item_analysis import QuestionStatistics

# Lint thresholds (Moodle's quiz report bands: a facility of 95 % or more is "extremely easy",
# 10 % or less "very difficult"; a discrimination below 20 % "very weak", negative "probably invalid").
MIN_ANSWERS_FOR_LINT = 30
TOO_EASY_FACILITY = 0.95
TOO_HARD_FACILITY = 0.10
WEAK_DISCRIMINATION = 0.20


# --- lint for bank authors -------------------------------------------------------------

@dataclass(frozen=True)
class Lint:
    """A remark on a question for its authors: `kind` names the check (stable, for CSS and
    tests), `message` says it in words."""

    question_id: str
    kind: str
    message: str


def question_lint(stats: QuestionStatistics, *, min_answers: int = MIN_ANSWERS_FOR_LINT) -> list[Lint]:
    """Remarks on one question from its figures pooled over every use; none below `min_answers`."""
    n = stats.attempts
    if n < min_answers:
        return []
    found: list[Lint] = []

    def say(kind: str, message: str) -> None:
        found.append(Lint(stats.question_id, kind, message))

    answers = charts.plural(n, "answer")
    # thresholds compare the figures as the messages show them, to two decimals
    facility = None if stats.facility is None else round(stats.facility, 2)
    if facility is not None and facility >= TOO_EASY_FACILITY:
        say("too-easy", f"facility {facility:.2f}: too easy ({answers})")
    elif facility is not None and facility <= TOO_HARD_FACILITY:
        say("too-hard", f"facility {facility:.2f}: too hard ({answers})")
    d = None if stats.discrimination_index is None else round(stats.discrimination_index, 2) + 0.0  # no "-0.00"
    if d is not None and d < 0:
        say("negative-discrimination", f"negative discrimination {d:.2f}: check the key ({answers})")
    elif d is not None and d < WEAK_DISCRIMINATION:
        say("weak-discrimination",
            f"weak discrimination {d:.2f}: stronger students do hardly better than weaker ones ({answers})")
    key_counts = [o.count for o in stats.options if o.key]
    for option in stats.options:
        if option.key:
            continue
        if option.count == 0:
            say("unchosen-distractor", f"distractor '{option.option}' chosen by nobody in {answers}")
        elif key_counts and option.count > max(key_counts):
            say("distractor-beats-key", f"distractor '{option.option}' chosen more often than the key "
                                        f"({option.count:,} against {max(key_counts):,} of {answers}): check the key")
    return found


def lint(questions: Sequence[QuestionStatistics], *, min_answers: int = MIN_ANSWERS_FOR_LINT) -> list[Lint]:
    """Remarks on every question, in the order given."""
    return [remark for stats in questions for remark in question_lint(stats, min_answers=min_answers)]


# --- charts ----------------------------------------------------------------------------

def figure(value: float | None) -> str:
    """A fraction as Moodle shows it, a percentage ('80 %'); '—' when it cannot be computed."""
    return "—" if value is None else charts.percent(value)


def _tick(index: int, count: int) -> str:
    """Number every question under its bar; past 30, every fifth (and the first)."""
    return str(index + 1) if count <= 30 or index == 0 or (index + 1) % 5 == 0 else ""


def facility_chart(questions: Sequence[QuestionStatistics], *, chart_id: str = "facility",
                   title: str = "Facility index per question") -> str:
    """Bars of each question's facility index (0–100 %), numbered in order."""
    count = len(questions)
    bars = [charts.Bar(f"Q{i + 1} {q.name}", q.facility,
                       f"facility {figure(q.facility)} ({charts.plural(q.attempts, 'attempt')})", _tick(i, count))
            for i, q in enumerate(questions)]
    rated = [(i, q) for i, q in enumerate(questions) if q.facility is not None]
    if rated:
        easiest = max(rated, key=lambda iq: iq[1].facility or 0.0)
        hardest = min(rated, key=lambda iq: iq[1].facility or 0.0)
        desc = (f"Facility index of {charts.plural(count, 'question')}: the share of the marks students earned "
                f"on each, numbered in quiz order. Easiest: Q{easiest[0] + 1} ({figure(easiest[1].facility)}); "
                f"hardest: Q{hardest[0] + 1} ({figure(hardest[1].facility)}).")
    else:
        desc = "No attempts yet: no facility index to show."
    ticks = [(share, charts.percent(share)) for share in (0.0, 0.25, 0.5, 0.75, 1.0)]
    return charts.bar_chart(bars, chart_id=chart_id, kind="facility", title=title, desc=desc, top=1.0, ticks=ticks)


def discrimination_chart(questions: Sequence[QuestionStatistics], *, chart_id: str = "discrimination",
                         title: str = "Discrimination index per question") -> str:
    """Bars of each question's discrimination index; a negative one hangs below the zero line.
    A question without one (no spread) is a gap."""
    count = len(questions)
    bars = [charts.Bar(f"Q{i + 1} {q.name}", q.discrimination_index,
                       f"discrimination {figure(q.discrimination_index)}", _tick(i, count))
            for i, q in enumerate(questions)]
    values = [q.discrimination_index for q in questions if q.discrimination_index is not None]
    lowest = min(values, default=0.0)
    bottom = -0.5 if lowest >= -0.5 else -1.0
    if not values:
        bottom = 0.0
    negative = [f"Q{i + 1}" for i, q in enumerate(questions)
                if q.discrimination_index is not None and q.discrimination_index < 0]
    if values:
        desc = (f"Discrimination index of {charts.plural(count, 'question')}: how well each one's marks agree "
                f"with the rest of the test, from −100 % to 100 %, numbered in quiz order; "
                f"{charts.plural(len(values), 'question')} with a figure. "
                + (f"Negative, worth checking: {', '.join(negative)}." if negative else "None is negative."))
    else:
        desc = "No discrimination index to show: it needs two attempts or more that differ."
    ticks = [(v / 4, charts.percent(v / 4)) for v in range(int(bottom * 4), 5)]
    return charts.bar_chart(bars, chart_id=chart_id, kind="discrimination", title=title, desc=desc, top=1.0,
                            ticks=ticks, bottom=bottom)
