"""The progress dashboard: one learner's figures per bank and tag, reviews per day over
the past year, cards due over the next 30 days and retention per week.

Days are the learner's study days (their time zone, starting at their cut-off hour, as
in scheduling.study_day_start). Day and week boundaries are computed here, DST-safe, and
the database counts rows between them (GROUP BY over a bucket expression), so every
figure takes one query whatever the size of the history. Only the per-card figures
(seen, learning, mature, mastery) load the learner's cards, once: retrievability is
py-fsrs's formula, computed per card.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Sequence
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, func, literal_column, select

from ..domain import scheduling
from ..domain.question_types import QUESTION_TYPES
from ..extensions import db
from ..models import Attempt, AttemptAnswer, Bank, Card, LearnerSettings, Question, QuestionTag, ReviewLog
from .studying import Deck, get_settings, next_card, scheduler_for

MATURE_DAYS = 21.0  # a review card is mature once its stability reaches this many days
# Mastered = a mature card (in review, stability ≥ MATURE_DAYS: you would still recall it 90 % of
# the time three weeks after the last review) whose recall probability is still ≥ 90 % now. A
# card answered wrongly goes to relearning with a cut stability, and a card seen once in a
# quiz is still learning: neither counts, so mastery can never run ahead of accuracy the way
# "recall probability right now" alone did (every card just reviewed is at ~100 %).
MASTERY_RETRIEVABILITY = 0.9
HEATMAP_DAYS = 365
FORECAST_DAYS = 30
RETENTION_WEEKS = 26


@dataclass
class GroupProgress:
    """The figures of one bank or one tag (its active questions only)."""

    kind: str  # bank | tag
    key: str
    title: str
    questions: int = 0  # active questions in the group
    seen: int = 0  # cards reviewed at least once (status other than new)
    learning: int = 0  # learning or relearning
    young: int = 0  # review, stability under MATURE_DAYS
    mature: int = 0  # review, stability of MATURE_DAYS or more
    mastered: int = 0  # mature and retrievability at least MASTERY_RETRIEVABILITY now
    answers: int = 0  # quiz answers given to the group's questions
    accuracy: float | None = None  # mean score of those answers, 0–1

    @property
    def mastery(self) -> float:
        """Share of the group's questions mastered now (unseen questions count as not mastered)."""
        return self.mastered / self.questions if self.questions else 0.0


@dataclass(frozen=True)
class WeekRetention:
    """Reviews of cards in review during one ISO week, and how many were recalled (rated 2–4)."""

    start: date  # the Monday
    reviews: int
    recalled: int

    @property
    def retention(self) -> float | None:
        return self.recalled / self.reviews if self.reviews else None


@dataclass(frozen=True)
class MonthReviews:
    """Reviews in one calendar month of study days (for the heatmap's data table)."""

    month: date  # its first day
    reviews: int
    days: int  # days with at least one review


@dataclass
class Dashboard:
    """Everything the progress page shows."""

    today: date  # the learner's current study day
    timezone: str
    cutoff_hour: int
    desired_retention: float
    review_total: int  # every review ever (undone ones excluded)
    banks: list[GroupProgress] = field(default_factory=list)
    tags: list[GroupProgress] = field(default_factory=list)
    reviews_per_day: list[tuple[date, int]] = field(default_factory=list)  # past HEATMAP_DAYS, oldest first
    due_per_day: list[tuple[date, int]] = field(default_factory=list)  # today (overdue included) onwards
    retention_per_week: list[WeekRetention] = field(default_factory=list)  # oldest first

    @property
    def is_empty(self) -> bool:
        """Nothing studied yet: no review and no quiz answer."""
        return not self.review_total and not any(group.answers for group in self.banks)

    @property
    def reviews_past_year(self) -> int:
        return sum(count for _day, count in self.reviews_per_day)

    @property
    def days_studied(self) -> int:
        return sum(1 for _day, count in self.reviews_per_day if count)

    @property
    def cards_seen(self) -> int:
        return sum(group.seen for group in self.banks)

    @property
    def due_today(self) -> int:
        return self.due_per_day[0][1] if self.due_per_day else 0

    @property
    def reviews_per_month(self) -> list[MonthReviews]:
        months: dict[date, list[int]] = {}
        for day, count in self.reviews_per_day:
            totals = months.setdefault(day.replace(day=1), [0, 0])
            totals[0] += count
            totals[1] += 1 if count else 0
        return [MonthReviews(month, reviews, days) for month, (reviews, days) in months.items()]


# --- study days --------------------------------------------------------------------


def _scored() -> ColumnElement[bool]:
    """Quiz answers that count toward accuracy: not self-assessed flashcards ("I knew it" is
    the learner's word, not a graded answer)."""
    return Question.type.in_([name for name, qtype in QUESTION_TYPES.items() if not qtype.self_assessed])

def _bucket(column: Any, edges: Sequence[datetime], low: int = 0, high: int | None = None) -> ColumnElement[Any]:
    """SQL for the index i with edges[i] <= column < edges[i + 1] (a binary search in CASEs,
    so each row takes log2(len(edges)) comparisons). Below edges[1] counts as 0; the
    caller keeps rows at or past edges[-1] out."""
    high = len(edges) - 1 if high is None else high
    if high - low <= 1:
        return literal_column(str(int(low)))
    middle = (low + high) // 2
    return case((column < edges[middle], _bucket(column, edges, low, middle)),
                else_=_bucket(column, edges, middle, high))


# --- the dashboard -------------------------------------------------------------------

def dashboard(user_id: int, now: datetime) -> Dashboard:
    """The learner's progress at `now`, from their own cards, reviews and quiz answers."""
    settings = get_settings(user_id)
    zone = ZoneInfo(settings.timezone)
    today = scheduling.study_date(now, settings.timezone, settings.day_cutoff_hour)
    review_total = db.session.scalar(
        select(func.count()).select_from(ReviewLog)
        .where(ReviewLog.user_id == user_id, ReviewLog.undone_at.is_(None))) or 0
    board = Dashboard(today=today, timezone=settings.timezone, cutoff_hour=settings.day_cutoff_hour,
                      desired_retention=settings.desired_retention, review_total=review_total)
    board.banks, board.tags = _groups(user_id, now, settings)
    board.reviews_per_day = _reviews_per_day(user_id, today, zone, settings.day_cutoff_hour)
    board.due_per_day = _due_per_day(user_id, today, zone, settings.day_cutoff_hour)
    board.retention_per_week = _retention_per_week(user_id, today, zone, settings.day_cutoff_hour)
    return board


def _reviews_per_day(user_id: int, today: date, zone: ZoneInfo, cutoff: int) -> list[tuple[date, int]]:
    """Reviews (undone ones excluded) on each of the last HEATMAP_DAYS study days, today last."""
    days = [today - timedelta(days=HEATMAP_DAYS - 1 - i) for i in range(HEATMAP_DAYS)]
    edges = [scheduling.day_start(d, zone, cutoff) for d in days] + [scheduling.day_start(today + timedelta(days=1), zone, cutoff)]
    rows = select(_bucket(ReviewLog.reviewed_at, edges).label("bucket")).where(
        ReviewLog.user_id == user_id, ReviewLog.undone_at.is_(None),
        ReviewLog.reviewed_at >= edges[0], ReviewLog.reviewed_at < edges[-1]).subquery()
    counts = dict(db.session.execute(select(rows.c.bucket, func.count()).group_by(rows.c.bucket)).all())
    return [(day, counts.get(i, 0)) for i, day in enumerate(days)]


def _due_per_day(user_id: int, today: date, zone: ZoneInfo, cutoff: int) -> list[tuple[date, int]]:
    """Cards reviewed at least once and not suspended, by the study day they fall due
    (overdue ones today), on questions still in use."""
    days = [today + timedelta(days=i) for i in range(FORECAST_DAYS)]
    edges = [scheduling.day_start(today + timedelta(days=i), zone, cutoff) for i in range(FORECAST_DAYS + 1)]
    rows = (select(_bucket(Card.due_at, edges).label("bucket")).select_from(Card)
            .join(Question, Card.question_id == Question.id).join(Bank)
            .where(Card.user_id == user_id, Card.status != "new", Card.suspended.is_(False),
                   Card.due_at < edges[-1], Question.retired_at.is_(None), Bank.retired_at.is_(None))
            .subquery())
    counts = dict(db.session.execute(select(rows.c.bucket, func.count()).group_by(rows.c.bucket)).all())
    return [(day, counts.get(i, 0)) for i, day in enumerate(days)]


def _retention_per_week(user_id: int, today: date, zone: ZoneInfo, cutoff: int) -> list[WeekRetention]:
    """Per ISO week of study days: reviews of cards that were in review before, and how
    many were recalled (Hard, Good or Easy)."""
    this_monday = today - timedelta(days=today.weekday())
    mondays = [this_monday - timedelta(weeks=RETENTION_WEEKS - 1 - i) for i in range(RETENTION_WEEKS)]
    edges = [scheduling.day_start(d, zone, cutoff) for d in mondays] + [scheduling.day_start(this_monday + timedelta(weeks=1), zone, cutoff)]
    rows = (select(_bucket(ReviewLog.reviewed_at, edges).label("bucket"),
                   case((ReviewLog.rating >= 2, 1), else_=0).label("recalled"))
            .where(ReviewLog.user_id == user_id, ReviewLog.undone_at.is_(None), ReviewLog.status_before == "review",
                   ReviewLog.reviewed_at >= edges[0], ReviewLog.reviewed_at < edges[-1])
            .subquery())
    found = {bucket: (reviews, int(recalled or 0)) for bucket, reviews, recalled in db.session.execute(
        select(rows.c.bucket, func.count(), func.sum(rows.c.recalled)).group_by(rows.c.bucket))}
    return [WeekRetention(monday, *found.get(i, (0, 0))) for i, monday in enumerate(mondays)]


def is_mastered(status: str, stability: float | None, state: dict[str, Any] | None, now: datetime,
                sched: Any) -> bool:
    """Mature (in review with stability ≥ MATURE_DAYS) and still recalled with probability ≥ 90 % now."""
    return (status == "review" and (stability or 0.0) >= MATURE_DAYS
            and scheduling.retrievability(state, now, sched) >= MASTERY_RETRIEVABILITY)


def _groups(user_id: int, now: datetime, settings: LearnerSettings) -> tuple[list[GroupProgress], list[GroupProgress]]:
    """A row per bank and per tag in which the learner has a card or a quiz answer."""
    active = and_(Question.retired_at.is_(None), Bank.retired_at.is_(None))
    sched = scheduler_for(user_id, settings)
    banks: dict[str, GroupProgress] = {}
    tags: dict[str, GroupProgress] = {}

    def bank(key: str) -> GroupProgress:
        return banks.setdefault(key, GroupProgress("bank", key, key))

    def tag(key: str) -> GroupProgress:
        return tags.setdefault(key, GroupProgress("tag", key, f"#{key}"))

    cards = db.session.execute(
        select(Card.question_id, Question.bank_id, Card.status, Card.stability, Card.state)
        .join(Question, Card.question_id == Question.id).join(Bank)
        .where(Card.user_id == user_id, active)).all()
    tags_of: dict[str, list[str]] = defaultdict(list)
    for question_id, name in db.session.execute(
            select(QuestionTag.question_id, QuestionTag.tag)
            .join(Card, and_(Card.question_id == QuestionTag.question_id, Card.user_id == user_id))):
        tags_of[question_id].append(name)
    for question_id, bank_id, status, stability, state in cards:
        groups = [bank(bank_id), *(tag(name) for name in tags_of[question_id])]
        mastered = is_mastered(status, stability, state, now, sched)
        for group in groups:
            group.seen += status != "new"
            group.learning += status in ("learning", "relearning")
            group.young += status == "review" and (stability or 0.0) < MATURE_DAYS
            group.mature += status == "review" and (stability or 0.0) >= MATURE_DAYS
            group.mastered += mastered

    answers = (select(AttemptAnswer.score, Question.bank_id, Question.id.label("question_id"))
               .select_from(AttemptAnswer).join(Attempt)
               .join(Question, AttemptAnswer.question_id == Question.id).join(Bank)
               .where(Attempt.user_id == user_id, active, _scored()).subquery())
    for bank_id, count, mean in db.session.execute(
            select(answers.c.bank_id, func.count(), func.avg(answers.c.score)).group_by(answers.c.bank_id)):
        bank(bank_id).answers, bank(bank_id).accuracy = count, float(mean)
    for name, count, mean in db.session.execute(
            select(QuestionTag.tag, func.count(), func.avg(answers.c.score)).select_from(answers)
            .join(QuestionTag, QuestionTag.question_id == answers.c.question_id).group_by(QuestionTag.tag)):
        tag(name).answers, tag(name).accuracy = count, float(mean)

    for bank_id, title, count in db.session.execute(
            select(Bank.id, Bank.title, func.count(Question.id)).join(Question)
            .where(active, Bank.id.in_(list(banks))).group_by(Bank.id, Bank.title)):
        banks[bank_id].title, banks[bank_id].questions = title, count
    for name, count in db.session.execute(
            select(QuestionTag.tag, func.count()).join(Question).join(Bank)
            .where(active, QuestionTag.tag.in_(list(tags))).group_by(QuestionTag.tag)):
        tags[name].questions = count
    return (sorted(banks.values(), key=lambda g: (g.title.casefold(), g.key)),
            sorted(tags.values(), key=lambda g: g.key.casefold()))


# --- the home page -------------------------------------------------------------------

@dataclass(frozen=True)
class Resumable:
    """An unfinished quiz the learner can go back to."""

    attempt: Attempt
    answered: int
    total: int


@dataclass
class Home:
    """What the home page needs to answer "what should I do now"."""

    due: int  # learning and review cards to study today (within the daily limit)
    new: int  # new cards available today (within the daily limit)
    resume: Resumable | None
    week: list[tuple[date, int]]  # this week's study days, Monday first, with their review counts
    today: date
    answers_this_week: int
    accuracy_this_week: float | None
    has_history: bool  # any review or quiz answer ever

    @property
    def reviews_this_week(self) -> int:
        return sum(count for _day, count in self.week)

    @property
    def days_this_week(self) -> int:
        return sum(1 for _day, count in self.week if count)


def unfinished_attempt(user_id: int, now: datetime) -> Resumable | None:
    """The learner's most recent quiz that is neither finished nor out of time, if any."""
    attempt = db.session.scalar(
        select(Attempt).where(Attempt.user_id == user_id, Attempt.finished_at.is_(None))
        .order_by(Attempt.started_at.desc(), Attempt.id.desc()).limit(1))
    if attempt is None or (attempt.deadline_at is not None and now > attempt.deadline_at):
        return None
    answered = db.session.scalar(select(func.count()).select_from(AttemptAnswer)
                                 .where(AttemptAnswer.attempt_id == attempt.id)) or 0
    return Resumable(attempt, answered, len(attempt.question_ids))


def home(user_id: int, now: datetime) -> Home:
    """Today's cards, an unfinished quiz and this week's reviews and quiz answers."""
    settings = get_settings(user_id)
    zone = ZoneInfo(settings.timezone)
    today = scheduling.study_date(now, settings.timezone, settings.day_cutoff_hour)
    monday = today - timedelta(days=today.weekday())
    days = [monday + timedelta(days=i) for i in range(7)]
    edges = [scheduling.day_start(d, zone, settings.day_cutoff_hour) for d in days]
    edges.append(scheduling.day_start(monday + timedelta(days=7), zone, settings.day_cutoff_hour))
    rows = select(_bucket(ReviewLog.reviewed_at, edges).label("bucket")).where(
        ReviewLog.user_id == user_id, ReviewLog.undone_at.is_(None),
        ReviewLog.reviewed_at >= edges[0], ReviewLog.reviewed_at < edges[-1]).subquery()
    counts = dict(db.session.execute(select(rows.c.bucket, func.count()).group_by(rows.c.bucket)).all())
    answers, mean = db.session.execute(
        select(func.count(), func.avg(AttemptAnswer.score)).select_from(AttemptAnswer).join(Attempt)
        .join(Question, AttemptAnswer.question_id == Question.id)
        .where(Attempt.user_id == user_id, AttemptAnswer.answered_at >= edges[0], _scored())).one()
    has_history = bool(db.session.scalar(select(ReviewLog.id).where(ReviewLog.user_id == user_id).limit(1))
                       or db.session.scalar(select(Attempt.id).where(Attempt.user_id == user_id).limit(1)))
    upcoming = next_card(user_id, Deck(viewer_id=user_id), now) if has_history else None  # the study queue decides "due today"
    return Home(due=upcoming.counts.learning + upcoming.counts.review if upcoming else 0,
                new=upcoming.counts.new if upcoming else 0, resume=unfinished_attempt(user_id, now),
                week=[(day, counts.get(i, 0)) for i, day in enumerate(days)], today=today,
                answers_this_week=answers or 0, accuracy_this_week=float(mean) if answers else None,
                has_history=has_history)


def reviews_today(user_id: int, now: datetime) -> int:
    """Flashcard reviews the learner has done in the current study day (for the queue's progress bar)."""
    settings = get_settings(user_id)
    start = scheduling.study_day_start(now, settings.timezone, settings.day_cutoff_hour)
    return db.session.scalar(select(func.count()).select_from(ReviewLog).where(
        ReviewLog.user_id == user_id, ReviewLog.undone_at.is_(None), ReviewLog.source == "study",
        ReviewLog.reviewed_at >= start)) or 0
