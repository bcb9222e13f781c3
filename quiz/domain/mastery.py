"""Class mastery: per student and topic (a bank or a tag), how well the cards are remembered
now, what is overdue and how much was reviewed this week; a heatmap table a teacher reads at a
glance, and a per-topic summary naming who is falling behind.

Pure: the service reads each card's FSRS recall probability now, the overdue counts and the
week's reviews; figures and words come out. A cell's level (0–4) picks its colour, and its
words say the same, so colour is never the only signal.
"""
from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from . import charts

# Falling behind on a topic: the cards studied are remembered, on average, below this …
BEHIND_RECALL = 0.80  # (FSRS schedules for 90 %; below 80 % much is being forgotten)
# … or many cards wait overdue: this many, or this share of the cards studied.
BEHIND_OVERDUE_CARDS = 10
BEHIND_OVERDUE_SHARE = 0.5
# Heatmap levels by mean recall: 1 below 70 %, 2 below 80 %, 3 below 90 %, 4 from 90 % (0: not started).
RECALL_LEVELS = (0.70, 0.80, 0.90)
LEVEL_NAMES = ("not started", "weak (below 70 %)", "shaky (70–80 %)", "fair (80–90 %)", "strong (90 % or more)")


@dataclass(frozen=True)
class Learner:
    """A student of the class, as the table names them."""

    student_id: int | str
    name: str


@dataclass(frozen=True)
class TopicProgress:
    """One student's cards in one topic, now: the recall probability of each card studied
    (reviewed at least once), how many are overdue, the reviews in the past 7 days, and how
    many cards the topic has (None: not known)."""

    student_id: int | str
    topic: str
    recall: tuple[float, ...] = ()
    overdue: int = 0
    reviews_this_week: int = 0
    cards: int | None = None

    def __post_init__(self) -> None:
        where = f"student {self.student_id}, topic {self.topic}"
        if any(not 0.0 <= r <= 1.0 for r in self.recall):
            raise ValueError(f"{where}: a recall probability is between 0 and 1")
        if self.overdue < 0 or self.reviews_this_week < 0:
            raise ValueError(f"{where}: counts of cards and reviews are 0 or more")
        if self.overdue > len(self.recall):
            raise ValueError(f"{where}: {self.overdue} overdue of {len(self.recall)} cards studied")


@dataclass(frozen=True)
class MasteryCell:
    """One student × topic square of the heatmap."""

    topic: str
    studied: int
    cards: int | None
    mean_recall: float | None  # None: not started
    overdue: int
    reviews_this_week: int
    level: int  # 0 not started, 1 weak … 4 strong
    behind: bool

    @property
    def started(self) -> bool:
        return self.studied > 0

    @property
    def text(self) -> str:
        """The cell in words: 'recall 72 %, 3 overdue, 12 reviews this week' (or 'not started')."""
        if not self.started:
            return "not started" + (f", {charts.plural(self.reviews_this_week, 'review')} this week"
                                    if self.reviews_this_week else "")
        studied = (f"{self.studied:,} of {charts.plural(self.cards, 'card')} studied" if self.cards is not None
                   else f"{charts.plural(self.studied, 'card')} studied")
        return (f"recall {charts.percent(self.mean_recall or 0.0)}, {self.overdue:,} overdue, "
                f"{charts.plural(self.reviews_this_week, 'review')} this week, {studied}")

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why the student is behind on this topic (empty when they are not)."""
        return behind_reasons(self.mean_recall, self.overdue, self.studied)


@dataclass(frozen=True)
class MasteryRow:
    """A student's row: one cell per topic, in the topics' order."""

    student_id: int | str
    name: str
    cells: tuple[MasteryCell, ...]

    @property
    def behind_in(self) -> tuple[str, ...]:
        return tuple(cell.topic for cell in self.cells if cell.behind)


@dataclass(frozen=True)
class TopicSummary:
    """The class on one topic: how many started, their mean recall (each student counts once),
    overdue cards and reviews this week in all, and who is falling behind or has not started."""

    topic: str
    students: int
    started: int
    mean_recall: float | None
    lowest_recall: float | None
    overdue: int
    reviews_this_week: int
    behind: tuple[str, ...]  # names
    not_started: tuple[str, ...]  # names

    @property
    def share_behind(self) -> float:
        return len(self.behind) / self.students if self.students else 0.0


@dataclass(frozen=True)
class MasteryMap:
    topics: tuple[str, ...]
    rows: tuple[MasteryRow, ...]
    summaries: tuple[TopicSummary, ...]


def _shown(share: float) -> int:
    """A share as the page shows it, a whole percentage: bands and thresholds compare what the
    teacher reads, so '80 %' is never called 'below 80 %'."""
    return round(share * 100)


def level(mean_recall: float | None) -> int:
    """The heatmap level of a mean recall: 0 not started, then 1–4 by `RECALL_LEVELS`."""
    if mean_recall is None:
        return 0
    return 1 + sum(_shown(mean_recall) >= _shown(bound) for bound in RECALL_LEVELS)


def behind_reasons(mean_recall: float | None, overdue: int, studied: int) -> tuple[str, ...]:
    """Why a student is falling behind on a topic, in words: a mean recall below
    `BEHIND_RECALL`, or many cards overdue. Empty: they are keeping up (or have not started)."""
    found = []
    if mean_recall is not None and _shown(mean_recall) < _shown(BEHIND_RECALL):
        found.append(f"recall {charts.percent(mean_recall)}, below {charts.percent(BEHIND_RECALL)}")
    if overdue and (overdue >= BEHIND_OVERDUE_CARDS or overdue >= BEHIND_OVERDUE_SHARE * studied):
        found.append(f"{overdue:,} of {charts.plural(studied, 'card')} studied overdue")
    return tuple(found)


def cell(topic: str, progress: TopicProgress | None) -> MasteryCell:
    """One square from a student's progress on a topic (None: nothing studied)."""
    if progress is None:
        return MasteryCell(topic, 0, None, None, 0, 0, 0, False)
    studied = len(progress.recall)
    mean = statistics.fmean(progress.recall) if studied else None
    return MasteryCell(topic, studied, progress.cards, mean, progress.overdue, progress.reviews_this_week,
                       level(mean), bool(behind_reasons(mean, progress.overdue, studied)))


def mastery_map(students: Sequence[Learner], topics: Sequence[str], progress: Sequence[TopicProgress]) -> MasteryMap:
    """The heatmap rows (students in the order given, topics in the order given) and a summary
    per topic. A student or topic without progress shows as not started."""
    known_students = {s.student_id for s in students}
    known_topics = set(topics)
    by_key: dict[tuple[int | str, str], TopicProgress] = {}
    for p in progress:
        if p.student_id not in known_students:
            raise ValueError(f"progress for student {p.student_id}, who is not in the class")
        if p.topic not in known_topics:
            raise ValueError(f"progress on topic {p.topic}, which is not in the map")
        if (p.student_id, p.topic) in by_key:
            raise ValueError(f"student {p.student_id} has two progress entries on topic {p.topic}")
        by_key[(p.student_id, p.topic)] = p
    rows = tuple(MasteryRow(s.student_id, s.name, tuple(cell(t, by_key.get((s.student_id, t))) for t in topics))
                 for s in students)
    summaries = []
    for column, topic in enumerate(topics):
        cells = [(row.name, row.cells[column]) for row in rows]
        recalls = [c.mean_recall for _name, c in cells if c.mean_recall is not None]
        summaries.append(TopicSummary(
            topic=topic, students=len(rows), started=len(recalls),
            mean_recall=statistics.fmean(recalls) if recalls else None,
            lowest_recall=min(recalls) if recalls else None,
            overdue=sum(c.overdue for _name, c in cells),
            reviews_this_week=sum(c.reviews_this_week for _name, c in cells),
            behind=tuple(name for name, c in cells if c.behind),
            not_started=tuple(name for name, c in cells if not c.started)))
    return MasteryMap(tuple(topics), rows, tuple(summaries))
