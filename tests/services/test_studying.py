"""The study loop: order, daily limits, the day cut-off, undo, idempotent grading."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Callable

import fsrs
import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from quiz.extensions import db
from quiz.models import Card, ReviewLog, User
from quiz.services import progress, studying
from quiz.services.banks import sync_banks

from .test_bank_sync import EXAMPLES

NOW = datetime(2026, 2, 2, 12, 0, tzinfo=timezone.utc)  # a Monday, noon UTC
ALL = studying.Deck()


@pytest.fixture
def learner(app: Flask, create_user: Callable[..., User]) -> int:
    with app.app_context():
        sync_banks([EXAMPLES], NOW - timedelta(days=30))
    return create_user("learner@example.org").id


def study_all_new(user_id: int, now: datetime, rating: int = 3) -> list[str]:
    seen = []
    while (card := studying.next_card(user_id, ALL, now)) is not None and card.kind == "new":
        studying.grade(user_id, card.question.id, rating, 0, now)
        seen.append(card.question.id)
    return seen


def test_new_cards_come_in_bank_order_up_to_the_daily_limit(app: Flask, learner: int) -> None:
    with app.app_context():
        studying.save_settings(learner, {"new_per_day": 3}, NOW)
        first = studying.next_card(learner, ALL, NOW)
        assert first is not None and first.kind == "new" and first.question.id == "ex-mcq"
        assert first.counts.new == 3
        seen = study_all_new(learner, NOW)
        assert seen == ["ex-mcq", "ex-multi", "ex-truefalse"]
        # the three are now in learning, due in minutes: shown once due, not before
        later = NOW + timedelta(minutes=30)
        upcoming = studying.next_card(learner, ALL, later)
        assert upcoming is not None and upcoming.kind == "learning"


def test_learning_first_then_lowest_retrievability_reviews_then_new(app: Flask, learner: int) -> None:
    with app.app_context():
        sched = studying.scheduler_for(learner)
        old = NOW - timedelta(days=40)
        # two review cards: one reviewed long ago (low retrievability), one recently
        # ex-multi comes after ex-mcq in the bank but was reviewed longer ago: it goes first
        for qid, last in (("ex-mcq", NOW - timedelta(days=8)), ("ex-multi", old)):
            card = fsrs.Card(card_id=1, state=fsrs.State.Review, step=None, stability=5.0, difficulty=5.0,
                             due=NOW - timedelta(days=1), last_review=last)
            db.session.add(Card(user_id=learner, question_id=qid, state=card.to_dict(), status="review",
                                due_at=card.due, stability=5.0, last_review_at=last, reps=3, lapses=0, version=3,
                                suspended=False))
        learning = fsrs.Card(card_id=2, state=fsrs.State.Learning, step=1, stability=1.0, difficulty=5.0,
                             due=NOW - timedelta(minutes=1), last_review=NOW - timedelta(minutes=11))
        db.session.add(Card(user_id=learner, question_id="ex-short", state=learning.to_dict(), status="learning",
                            due_at=learning.due, stability=1.0, reps=1, lapses=0, version=1, suspended=False))
        db.session.commit()
        assert sched is not None
        order = []
        for _ in range(4):
            card = studying.next_card(learner, ALL, NOW)
            assert card is not None
            order.append((card.kind, card.question.id))
            studying.grade(learner, card.question.id, 3, card.card.version if card.card else 0, NOW)
        assert order == [("learning", "ex-short"), ("review", "ex-multi"), ("review", "ex-mcq"), ("new", "ex-truefalse")]


def test_the_day_cut_off_decides_when_new_cards_return(app: Flask, learner: int) -> None:
    with app.app_context():
        studying.save_settings(learner, {"new_per_day": 2, "timezone": "America/New_York", "day_cutoff_hour": 4}, NOW)
        late = datetime(2026, 2, 3, 6, 30, tzinfo=timezone.utc)  # 01:30 in New York: still 2 February's study day
        assert len(study_all_new(learner, late)) == 2
        still_same_day = datetime(2026, 2, 3, 8, 59, tzinfo=timezone.utc)  # 03:59 local
        assert all(c.kind != "new" for c in [studying.next_card(learner, ALL, still_same_day)] if c)
        next_day = datetime(2026, 2, 3, 9, 0, tzinfo=timezone.utc)  # 04:00 local
        upcoming = studying.next_card(learner, ALL, next_day)
        assert upcoming is not None and upcoming.counts.new == 2


def test_daily_review_limit(app: Flask, learner: int) -> None:
    with app.app_context():
        study_all_new(learner, NOW - timedelta(days=20), rating=4)  # all ten become review cards
        studying.save_settings(learner, {"reviews_per_day": 3, "new_per_day": 0}, NOW)
        reviewed = 0
        while (card := studying.next_card(learner, ALL, NOW)) is not None:
            assert card.kind == "review"
            studying.grade(learner, card.question.id, 3, card.card.version, NOW)  # type: ignore[union-attr]
            reviewed += 1
        assert reviewed == 3
        assert studying.due_tomorrow(learner, ALL, NOW) >= 7


def test_undo_restores_the_card_as_it_was(app: Flask, learner: int) -> None:
    with app.app_context():
        study_all_new(learner, NOW - timedelta(days=20), rating=4)
        card = studying.next_card(learner, ALL, NOW)
        assert card is not None and card.card is not None
        before = (card.card.state, card.card.due_at, card.card.reps, card.card.status)
        studying.grade(learner, card.question.id, 1, card.card.version, NOW)
        row = db.session.scalar(select(Card).where(Card.question_id == card.question.id, Card.user_id == learner))
        assert row is not None and row.status == "relearning" and row.lapses == 1
        undone = studying.undo_last(learner, NOW + timedelta(seconds=5))
        assert undone is not None and undone.undone_at is not None
        db.session.refresh(row)
        assert (row.state, row.due_at, row.reps, row.status) == before and row.lapses == 0
        again = studying.next_card(learner, ALL, NOW)
        assert again is not None and again.question.id == card.question.id
        assert studying.undo_last(learner, NOW) is None  # the earlier reviews were on another study day
        assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 11  # nothing deleted


def test_undo_of_a_new_card_brings_it_back_as_new(app: Flask, learner: int) -> None:
    with app.app_context():
        first = studying.next_card(learner, ALL, NOW)
        assert first is not None
        studying.grade(learner, first.question.id, 3, 0, NOW)
        studying.undo_last(learner, NOW)
        again = studying.next_card(learner, ALL, NOW)
        assert again is not None and again.kind == "new" and again.question.id == first.question.id
        assert again.counts.new == 10


def test_after_undo_the_card_can_be_graded_again_and_every_other_review_stays(app: Flask, learner: int) -> None:
    # On /study: Space, 3, Space, 4, U, Space, 2 — each grade carries the version the page shows.
    with app.app_context():
        first = studying.next_card(learner, ALL, NOW)
        assert first is not None
        studying.grade(learner, first.question.id, 3, first.version, NOW)
        second = studying.next_card(learner, ALL, NOW)
        assert second is not None and second.question.id != first.question.id
        studying.grade(learner, second.question.id, 4, second.version, NOW)
        studying.undo_last(learner, NOW)
        again = studying.next_card(learner, ALL, NOW)
        assert again is not None and again.question.id == second.question.id and again.kind == "new"
        studying.grade(learner, again.question.id, 2, again.version, NOW)  # was: Conflict, "already graded"
        kept = db.session.execute(select(ReviewLog.question_id, ReviewLog.rating)
                                  .where(ReviewLog.undone_at.is_(None)).order_by(ReviewLog.id)).all()
        assert [tuple(row) for row in kept] == [(first.question.id, 3), (second.question.id, 2)]
        assert progress.dashboard(learner, NOW).review_total == 2
        following = studying.next_card(learner, ALL, NOW)
        assert following is not None and following.question.id not in (first.question.id, second.question.id)


def test_a_new_card_back_from_bury_or_suspend_can_be_graded(app: Flask, learner: int) -> None:
    with app.app_context():
        studying.bury(learner, "ex-mcq", NOW)
        studying.suspend(learner, "ex-multi", NOW)
        studying.unsuspend(learner, "ex-multi")
        tomorrow = NOW + timedelta(days=1)
        for question_id in ("ex-mcq", "ex-multi"):
            shown = studying.next_card(learner, ALL, tomorrow)
            assert shown is not None and shown.question.id == question_id and shown.kind == "new"
            studying.grade(learner, question_id, 3, shown.version, tomorrow)
        assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 2


def test_a_grade_sent_twice_is_applied_once(app: Flask, learner: int) -> None:
    with app.app_context():
        first = studying.next_card(learner, ALL, NOW)
        assert first is not None
        log1 = studying.grade(learner, first.question.id, 3, 0, NOW)
        log2 = studying.grade(learner, first.question.id, 3, 0, NOW + timedelta(seconds=1))  # network retry
        assert log1.id == log2.id
        assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 1
        with pytest.raises(studying.Conflict):  # another tab showed the card before and grades differently
            studying.grade(learner, first.question.id, 1, 0, NOW + timedelta(seconds=2))
        card = db.session.scalar(select(Card).where(Card.question_id == first.question.id))
        assert card is not None and card.version == 1 and card.reps == 1


def test_suspend_and_bury(app: Flask, learner: int) -> None:
    with app.app_context():
        studying.suspend(learner, "ex-mcq", NOW)
        studying.bury(learner, "ex-multi", NOW)
        upcoming = studying.next_card(learner, ALL, NOW)
        assert upcoming is not None and upcoming.question.id == "ex-truefalse"
        assert upcoming.counts.new == 8
        tomorrow = NOW + timedelta(days=1)
        upcoming = studying.next_card(learner, ALL, tomorrow)
        assert upcoming is not None and upcoming.question.id == "ex-multi"


def test_decks_by_bank_and_tag(app: Flask, learner: int) -> None:
    with app.app_context():
        card = studying.next_card(learner, studying.Deck(tag="organisations"), NOW)
        assert card is not None and card.question.id == "ex-multi" and card.counts.new == 2
        assert studying.next_card(learner, studying.Deck(bank_id="examples", tag="nope"), NOW) is None


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(1, 4), st.integers(0, 60 * 24 * 40)), min_size=1, max_size=12))
def test_cards_in_the_database_are_scheduled_as_py_fsrs_would(app: Flask, learner: int,
                                                               history: list[tuple[int, int]]) -> None:
    with app.app_context():
        db.session.execute(delete(ReviewLog))
        db.session.execute(delete(Card))
        db.session.commit()
        reference = fsrs.Scheduler(enable_fuzzing=False)
        expected = fsrs.Card(due=NOW)
        now = NOW
        version = 0
        for rating, minutes in history:
            now += timedelta(minutes=minutes)
            expected, _ = reference.review_card(expected, fsrs.Rating(rating), now)
            studying.grade(learner, "ex-card", rating, version, now)
            version += 1
        card = db.session.scalar(select(Card).where(Card.question_id == "ex-card"))
        assert card is not None
        assert card.due_at == expected.due
        assert card.state["stability"] == expected.stability and card.state["difficulty"] == expected.difficulty
