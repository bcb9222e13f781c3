"""Flashcard study: what to show next, grading (once, version-checked), undo, suspend, bury.

A deck is a bank, a tag, a list of questions (those missed in a quiz), or everything. Every review is one transaction: the card's new
state and the review-log entry (with the card as it was before) land together.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import fsrs
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import contains_eager

from ..domain import scheduling
from ..extensions import db
from ..models import Bank, Card, LearnerSettings, ParameterSet, Question, QuestionTag, ReviewLog
from .sharing import visible_banks

LEARN_AHEAD = timedelta(minutes=20)
SNAPSHOT_FIELDS = ("state", "reps", "lapses", "due_at", "last_review_at", "stability", "status", "version")


class StudyError(Exception):
    """A grade that cannot be applied, with a message for the learner."""


class Conflict(StudyError):
    """The card changed since it was shown (graded in another tab)."""


@dataclass(frozen=True)
class Deck:
    """Which questions a study session draws from."""

    bank_id: str | None = None
    tag: str | None = None
    question_ids: tuple[str, ...] | None = None  # e.g. the questions missed in one quiz
    viewer_id: int | None = None  # the learner: only banks they may see (private web banks)

    def condition(self) -> Any:
        clauses = [Question.retired_at.is_(None), Bank.retired_at.is_(None), visible_banks(self.viewer_id)]
        if self.question_ids is not None:
            clauses.append(Question.id.in_(self.question_ids))
        if self.bank_id:
            clauses.append(Question.bank_id == self.bank_id)
        if self.tag:
            clauses.append(Question.id.in_(select(QuestionTag.question_id).where(QuestionTag.tag == self.tag)))
        return and_(*clauses)


def get_settings(user_id: int) -> LearnerSettings:
    """The learner's settings (defaults until they save their own; not stored until then)."""
    settings = db.session.get(LearnerSettings, user_id)
    if settings is None:
        settings = LearnerSettings(user_id=user_id, desired_retention=0.9, new_per_day=20, reviews_per_day=200,
                                   timezone="UTC", day_cutoff_hour=4)
    return settings


def save_settings(user_id: int, values: dict[str, Any], now: datetime) -> LearnerSettings:
    settings = db.session.get(LearnerSettings, user_id)
    if settings is None:
        settings = LearnerSettings(user_id=user_id)
        db.session.add(settings)
    for key, value in values.items():
        setattr(settings, key, value)
    settings.updated_at = now
    db.session.commit()
    return settings


def active_parameters(user_id: int) -> list[float] | None:
    """The learner's adopted FSRS parameters, or None for the defaults."""
    return db.session.scalar(
        select(ParameterSet.parameters).where(ParameterSet.user_id == user_id, ParameterSet.active.is_(True)))


@dataclass(frozen=True)
class Profile:
    """A learner's settings and the scheduler built from them, loaded once per request."""

    user_id: int
    settings: LearnerSettings
    scheduler: fsrs.Scheduler


def profile(user_id: int) -> Profile:
    settings = get_settings(user_id)
    if settings in db.session:
        db.session.expunge(settings)  # a read-only copy: a commit later in the request must not expire it
    return Profile(user_id, settings, scheduler_for(user_id, settings))


def scheduler_for(user_id: int, settings: LearnerSettings | None = None) -> fsrs.Scheduler:
    settings = settings or get_settings(user_id)
    return scheduling.scheduler(settings.desired_retention, active_parameters(user_id))


# --- reviewing ---------------------------------------------------------------------

def _snapshot(card: Card) -> dict[str, Any]:
    return {
        "state": card.state, "reps": card.reps, "lapses": card.lapses,
        "due_at": card.due_at.isoformat() if card.due_at else None,
        "last_review_at": card.last_review_at.isoformat() if card.last_review_at else None,
        "stability": card.stability, "status": card.status, "version": card.version,
    }


def _restore(card: Card, snapshot: dict[str, Any]) -> None:
    card.state = snapshot["state"]
    card.reps = snapshot["reps"]
    card.lapses = snapshot["lapses"]
    card.due_at = datetime.fromisoformat(snapshot["due_at"]) if snapshot["due_at"] else None
    card.last_review_at = datetime.fromisoformat(snapshot["last_review_at"]) if snapshot["last_review_at"] else None
    card.stability = snapshot["stability"]
    card.status = snapshot["status"]


_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _card_row(user_id: int, question_id: str, now: datetime, *, lock: bool = False) -> Card:
    """The learner's card for a question, created (new, version 0) on first use.

    Insert-or-get: two requests creating the same card at once both get the one row
    (INSERT ... ON CONFLICT DO NOTHING, then SELECT). With `lock`, the row stays locked
    until the transaction ends (PostgreSQL; SQLite lets one writer at a time anyway).
    """
    question = db.session.get(Question, question_id)
    if question is None or question.retired_at is not None:
        raise StudyError("This card is no longer in any bank.")
    query = select(Card).where(Card.user_id == user_id, Card.question_id == question_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    card = db.session.scalar(query)
    if card is None:
        insert = _INSERTS[db.session.get_bind().dialect.name](Card).values(
            user_id=user_id, question_id=question_id, state={}, reps=0, lapses=0, status="new", version=0,
            suspended=False, created_at=now)
        db.session.execute(insert.on_conflict_do_nothing(index_elements=[Card.user_id, Card.question_id]))
        card = db.session.scalar(query)
        assert card is not None  # ours, or the one another request has just committed
    return card


def apply_review(user_id: int, question_id: str, rating: int, now: datetime, *, source: str,
                 expected_version: int | None = None, duration_ms: int | None = None,
                 sched: fsrs.Scheduler | None = None) -> ReviewLog:
    """Review a card (creating it for a new question) and log it; the caller commits.

    With `expected_version`, the update only applies if the card is still at that version:
    a repeat of the grade that produced the current version is returned as is (a double
    click or a network retry), anything else raises Conflict. Without it (a quiz answer),
    the review applies to the card as it is now: the card row is locked until the caller
    commits (PostgreSQL), and a quiz answer holds SQLite's write lock before it gets here.
    """
    card = _card_row(user_id, question_id, now, lock=True)
    if expected_version is not None and card.version != expected_version:
        last = db.session.scalar(select(ReviewLog).where(ReviewLog.card_id == card.id, ReviewLog.undone_at.is_(None))
                                 .order_by(ReviewLog.id.desc()).limit(1))
        if last is not None and last.version_before == expected_version and last.rating == rating:
            return last
        raise Conflict("This card was already graded (in another tab?). Here is the next one.")
    before = _snapshot(card)
    reviewed = scheduling.review(card.state or None, rating, now, sched or scheduler_for(user_id))
    changed = db.session.execute(
        update(Card).where(Card.id == card.id, Card.version == card.version).values(
            state=reviewed.state, due_at=reviewed.due, status=reviewed.status, stability=reviewed.stability,
            last_review_at=now, reps=Card.reps + 1, lapses=Card.lapses + (1 if rating == 1 and card.status == "review" else 0),
            version=Card.version + 1)
        .execution_options(synchronize_session=False))
    if changed.rowcount != 1:  # SQLite: another request's grade was written between our read and our update
        raise Conflict("This card was just graded elsewhere. Here is the next one.")
    log = ReviewLog(user_id=user_id, card_id=card.id, question_id=question_id, rating=rating, reviewed_at=now,
                    source=source, duration_ms=duration_ms, status_before=before["status"], card_before=before,
                    version_before=before["version"])
    db.session.add(log)
    db.session.flush()
    db.session.expire(card)  # the UPDATE bypassed the session; reload on next use
    return log


def record_quiz_answer(user_id: int, question_id: str, correct: bool, now: datetime) -> ReviewLog:
    """A quiz's first answer to a question reviews its card: right → Good, wrong → Again."""
    return apply_review(user_id, question_id, 3 if correct else 1, now, source="quiz")


def grade(user_id: int, question_id: str, rating: int, expected_version: int, now: datetime,
          duration_ms: int | None = None, learner: Profile | None = None) -> ReviewLog:
    """A flashcard grade from the study page, in its own transaction."""
    try:
        log = apply_review(user_id, question_id, rating, now, source="study",
                           expected_version=expected_version, duration_ms=duration_ms,
                           sched=learner.scheduler if learner else None)
        db.session.commit()
        return log
    except Exception:
        db.session.rollback()
        raise


def undo_last(user_id: int, now: datetime) -> ReviewLog | None:
    """Undo the learner's last study review today: restore the card as it was before it."""
    settings = get_settings(user_id)
    since = scheduling.study_day_start(now, settings.timezone, settings.day_cutoff_hour)
    log = db.session.scalar(
        select(ReviewLog).where(ReviewLog.user_id == user_id, ReviewLog.undone_at.is_(None),
                                ReviewLog.source == "study", ReviewLog.reviewed_at >= since)
        .order_by(ReviewLog.id.desc()).limit(1))
    if log is None:
        return None
    card = db.session.get(Card, log.card_id)
    assert card is not None
    _restore(card, log.card_before)
    card.version = card.version + 1  # a grade from before the undo must not apply
    log.undone_at = now
    db.session.commit()
    return log


def suspend(user_id: int, question_id: str, now: datetime) -> None:
    """Stop showing a card until it is unsuspended."""
    card = _card_row(user_id, question_id, now)
    card.suspended = True
    card.version += 1
    db.session.commit()


def unsuspend(user_id: int, question_id: str) -> None:
    card = db.session.scalar(select(Card).where(Card.user_id == user_id, Card.question_id == question_id))
    if card is not None:
        card.suspended = False
        db.session.commit()


def suspended_questions(user_id: int) -> list[Question]:
    """The questions whose cards the learner has suspended."""
    return list(db.session.scalars(
        select(Question).join(Card, Card.question_id == Question.id)
        .where(Card.user_id == user_id, Card.suspended.is_(True)).order_by(Question.bank_id, Question.position)))


def bury(user_id: int, question_id: str, now: datetime) -> None:
    """Hide a card until the learner's next study day."""
    settings = get_settings(user_id)
    card = _card_row(user_id, question_id, now)
    card.buried_until = scheduling.next_day_start(now, settings.timezone, settings.day_cutoff_hour)
    card.version += 1
    db.session.commit()


# --- what comes next -----------------------------------------------------------------

@dataclass
class Counts:
    learning: int
    review: int
    new: int


@dataclass
class NextCard:
    question: Question
    card: Card | None  # None: a new card with no row yet
    kind: str  # learning | review | new
    counts: Counts
    intervals: dict[int, str]

    @property
    def version(self) -> int:
        """The card version its grade form carries: a grade applies only while the card is at it."""
        return self.card.version if self.card is not None else 0


def _today_counts(user_id: int, since: datetime) -> tuple[int, int]:
    """(new cards introduced, review cards reviewed) in the current study day."""
    rows = db.session.execute(
        select(ReviewLog.status_before, func.count()).where(
            ReviewLog.user_id == user_id, ReviewLog.reviewed_at >= since, ReviewLog.undone_at.is_(None),
            ReviewLog.source == "study")
        .group_by(ReviewLog.status_before)).all()
    counts = dict(rows)
    return counts.get("new", 0), counts.get("review", 0)


def _visible(user_id: int, now: datetime) -> Any:
    return and_(Card.user_id == user_id, Card.suspended.is_(False),
                or_(Card.buried_until.is_(None), Card.buried_until <= now))


def next_card(user_id: int, deck: Deck, now: datetime, learner: Profile | None = None) -> NextCard | None:
    """The card to show now, or None when the learner is done for today.

    Due learning/relearning cards first, then due reviews (lowest retrievability first),
    then new cards up to the daily limit; reviews within the daily review limit.
    """
    learner = learner or profile(user_id)
    settings, sched = learner.settings, learner.scheduler
    day_start = scheduling.study_day_start(now, settings.timezone, settings.day_cutoff_hour)
    day_end = scheduling.next_day_start(now, settings.timezone, settings.day_cutoff_hour)
    new_done, reviews_done = _today_counts(user_id, day_start)
    reviews_left = max(settings.reviews_per_day - reviews_done, 0)
    new_left = max(settings.new_per_day - new_done, 0)

    # Only the columns that decide the order are loaded; the chosen card is fetched by id.
    due_rows = db.session.execute(
        select(Card.id, Card.status, Card.due_at, Card.stability, Card.last_review_at)
        .join(Question, Card.question_id == Question.id).join(Bank)
        .where(_visible(user_id, now), deck.condition(), Card.status != "new", Card.due_at < day_end)
        .order_by(Card.due_at, Question.bank_id, Question.position)).all()
    learning = [row for row in due_rows if row.status in ("learning", "relearning")]
    reviews = [row for row in due_rows if row.status == "review" and row.due_at <= now]
    learning_now = [row for row in learning if row.due_at <= now]
    new_query = (select(Question).join(Bank)
                 .outerjoin(Card, and_(Card.question_id == Question.id, Card.user_id == user_id))
                 .where(deck.condition(), or_(Card.id.is_(None), and_(Card.status == "new", _visible(user_id, now)))))
    new_count = 0
    if new_left:
        new_count = min(new_left, db.session.scalar(
            select(func.count()).select_from(new_query.with_only_columns(Question.id).subquery())) or 0)
    counts = Counts(len(learning_now), min(len(reviews), reviews_left), new_count)

    chosen_id: int | None = None
    kind = "new"
    if learning_now:
        chosen_id, kind = learning_now[0].id, "learning"
    elif reviews and reviews_left:
        # lowest retrievability first; ties keep the due order
        chosen_id = min(reviews, key=lambda row: scheduling.retrievability_at(
            row.stability, row.last_review_at, now, sched)).id
        kind = "review"
    elif not new_count:
        soon = [row for row in learning if row.due_at <= now + LEARN_AHEAD]
        if soon:
            chosen_id, kind = soon[0].id, "learning"
        else:
            return None
    choice: tuple[Card | None, Question, str] | None = None
    if chosen_id is not None:
        row = db.session.execute(
            select(Card, Question).join(Question, Card.question_id == Question.id).join(Bank)
            .options(contains_eager(Question.bank)).where(Card.id == chosen_id)).one()
        choice = (row[0], row[1], kind)
    else:
        # A new card may already have a row (undone, buried or suspended before its first
        # review), at a version above 0: its grade form must carry that version.
        first = db.session.execute(new_query.add_columns(Card).options(contains_eager(Question.bank))
                                   .order_by(Question.bank_id, Question.position).limit(1)).first()
        if first is None:
            return None
        choice = (first[1], first[0], "new")
    card, question, kind = choice
    state = card.state if card is not None else None
    intervals = {r: scheduling.format_interval(d) for r, d in scheduling.preview(state or None, now, sched).items()}
    return NextCard(question, card, kind, counts, intervals)


def due_tomorrow(user_id: int, deck: Deck, now: datetime) -> int:
    """How many cards will be due by the end of the learner's next study day (new cards not counted)."""
    settings = get_settings(user_id)
    day_after = scheduling.next_day_start(
        scheduling.next_day_start(now, settings.timezone, settings.day_cutoff_hour) + timedelta(hours=1),
        settings.timezone, settings.day_cutoff_hour)
    return db.session.scalar(
        select(func.count()).select_from(Card).join(Question, Card.question_id == Question.id).join(Bank)
        .where(_visible(user_id, now), deck.condition(), Card.status != "new", Card.due_at < day_after)) or 0
