"""Dashboard figures on a fixed fixture history: counts per bank and tag, mastery, quiz
accuracy, reviews per study day, the due forecast and retention per week."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Callable
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import event, select

from quiz.domain import scheduling
from quiz.extensions import db
from quiz.models import Attempt, AttemptAnswer, Card, LearnerSettings, ReviewLog
from quiz.services import accounts, progress, studying
from quiz.services.banks import sync_banks

from .test_bank_sync import BANK, EXAMPLES

UTC = timezone.utc
NOW = datetime(2025, 3, 12, 10, 0, tzinfo=UTC)  # Wednesday, 11:00 in Paris (UTC+1 until 30 March)
TODAY = date(2025, 3, 12)
PARIS = ZoneInfo("Europe/Paris")

OTHER_BANK = """\
id: other
title: Other bank
language: en
tags: [unused]
sources:
  s1: {title: An article, publisher: A paper, date: 2013-01-12}
questions:
  - id: o-gao
    type: truefalse
    prompt: Gao is in Mali.
    answer: true
    explanation: On the Niger river.
    source: {id: s1, paragraph: 1}
"""

FSRS_STATE = {"learning": 1, "review": 2, "relearning": 3}


@dataclass
class History:
    learner: int  # the learner whose figures are checked
    other: int  # another learner, whose data must not show


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def add_card(user_id: int, question_id: str, status: str, stability: float | None = None,
             last_review: datetime | None = None, due: datetime | None = None, suspended: bool = False) -> Card:
    state = {}
    if status != "new":
        assert stability is not None and last_review is not None and due is not None
        state = {"card_id": 1, "state": FSRS_STATE[status],
                 "step": None if status == "review" else 0, "stability": stability, "difficulty": 5.0,
                 "due": due.isoformat(), "last_review": last_review.isoformat()}
    card = Card(user_id=user_id, question_id=question_id, state=state, reps=1 if state else 0, lapses=0,
                due_at=due, last_review_at=last_review, stability=stability, status=status, suspended=suspended,
                version=1, created_at=utc(2024, 1, 1, 0))
    db.session.add(card)
    db.session.flush()
    return card


def add_review(card: Card, at: datetime, rating: int = 3, status_before: str = "review",
               undone: bool = False) -> None:
    db.session.add(ReviewLog(user_id=card.user_id, card_id=card.id, question_id=card.question_id, rating=rating,
                             reviewed_at=at, source="study", status_before=status_before, card_before={},
                             version_before=0, undone_at=at + timedelta(minutes=1) if undone else None))


def add_answers(user_id: int, scores: dict[str, float]) -> None:
    attempt = Attempt(user_id=user_id, mode="practice", title="A quiz", settings={}, question_ids=list(scores),
                      seed=1, started_at=NOW - timedelta(days=2))
    db.session.add(attempt)
    db.session.flush()
    for position, (question_id, score) in enumerate(scores.items()):
        db.session.add(AttemptAnswer(attempt_id=attempt.id, question_id=question_id, position=position,
                                     response=None, score=score, feedback=[], answered_at=NOW - timedelta(days=2)))


def build_history(app: Flask, write_bank: Callable[..., Path]) -> History:
    """Two learners; the first studies in Paris with a 4 a.m. cut-off. Every figure the
    tests expect follows from the rows written here."""
    small, other = write_bank(BANK, "small.yaml"), write_bank(OTHER_BANK, "other.yaml")
    with app.app_context():
        sync_banks([EXAMPLES, small, other], NOW - timedelta(days=400))
        learner = accounts.create_user("learner@example.org", "password123", "learner")
        someone = accounts.create_user("someone@example.org", "password123", "learner")
        db.session.add(LearnerSettings(user_id=learner.id, desired_retention=0.9, new_per_day=20, reviews_per_day=200,
                                       timezone="Europe/Paris", day_cutoff_hour=4, updated_at=NOW))
        me = learner.id
        days = timedelta(days=1)
        # cards: status, stability, last review, due
        mcq = add_card(me, "ex-mcq", "review", 30, NOW - 10 * days, NOW + 20 * days)  # mature, mastered
        short = add_card(me, "ex-short", "review", 5, NOW - 8 * days, NOW - 3 * days)  # young, overdue, R < 0.9
        tf = add_card(me, "ex-truefalse", "learning", 1.2, NOW - timedelta(hours=1), NOW + timedelta(minutes=10))
        add_card(me, "ex-number", "relearning", 2, NOW - days, utc(2025, 3, 13, 2, 30))  # 03:30 local: still today
        add_card(me, "ex-date", "review", 25, NOW - 5 * days, NOW + 2 * days, suspended=True)
        add_card(me, "ex-cloze", "review", 21, NOW - 30 * days, utc(2025, 4, 11, 2, 30))  # 04:30 CEST 11 Apr: day 30
        add_card(me, "ex-match", "review", 40, NOW - 10 * days, utc(2025, 4, 11, 1, 30))  # 03:30 CEST: 10 Apr, day 29
        add_card(me, "ex-order", "new", suspended=True)  # suspended before ever seen
        # reviews
        add_review(mcq, utc(2025, 3, 11, 1, 0), rating=3)  # 02:00 local on 11 March: study day 10 March
        add_review(short, utc(2025, 3, 11, 3, 0), rating=1)  # 04:00 local: study day 11 March
        add_review(short, utc(2025, 3, 12, 9, 0), rating=2)
        add_review(tf, utc(2025, 3, 12, 9, 0), rating=1, status_before="learning")  # not a review card: no retention
        add_review(tf, utc(2025, 3, 12, 9, 30), rating=4, undone=True)  # undone: counts nowhere
        add_review(mcq, utc(2025, 3, 10, 1, 0), rating=3)  # Monday 02:00 local: Sunday 9 March, the week before
        add_review(mcq, utc(2025, 3, 3, 0, 30), rating=4)  # Monday 3 March 01:30 local: Sunday 2 March (W09)
        add_review(mcq, utc(2024, 3, 13, 3, 30), rating=3)  # 04:30 local, 13 March 2024: the heatmap's first day
        add_review(mcq, utc(2024, 3, 12, 12, 0), rating=3)  # a year and a day ago: only in the total
        add_review(short, utc(2024, 9, 15, 12, 0), rating=1)  # Sunday before the first retention week
        add_review(short, utc(2024, 9, 16, 10, 0), rating=1)  # first retention week (W38): 0 of 1
        add_answers(me, {"ex-mcq": 1.0, "ex-short": 0.5, "ex-number": 0.0, "s-konna": 1.0})
        # the other learner: a card, a review today, a quiz answer — none of it is the first learner's
        theirs = add_card(someone.id, "ex-mcq", "review", 50, NOW - timedelta(days=1), NOW)
        add_card(someone.id, "o-gao", "learning", 1, NOW - timedelta(days=1), NOW)
        add_review(theirs, utc(2025, 3, 12, 9, 0))
        add_answers(someone.id, {"ex-multi": 1.0})
        db.session.commit()
        return History(me, someone.id)


@pytest.fixture
def history(app: Flask, write_bank: Callable[..., Path]) -> History:
    return build_history(app, write_bank)


def board_of(app: Flask, user_id: int, now: datetime = NOW) -> progress.Dashboard:
    with app.app_context():
        return progress.dashboard(user_id, now)


def figures(group: progress.GroupProgress) -> tuple[object, ...]:
    return (group.key, group.questions, group.seen, group.learning, group.young, group.mature, group.mastered,
            group.answers, group.accuracy)


def test_figures_per_bank(app: Flask, history: History) -> None:
    board = board_of(app, history.learner)
    assert [figures(g) for g in board.banks] == [
        # key, questions, seen, learning, young, mature, mastered, answers, accuracy
        ("examples", 10, 7, 2, 1, 4, 3, 3, 0.5),  # mastered: ex-mcq, ex-date, ex-match (mature, R ≥ 90 %)
        ("small", 3, 0, 0, 0, 0, 0, 1, 1.0),  # a quiz answer only
    ]  # "other" (the other learner's bank) has no row
    assert [g.title for g in board.banks] == ["Example bank — every question type", "Small bank"]
    assert board.banks[0].mastery == 0.3
    assert board.cards_seen == 7


def test_figures_per_tag_leave_out_tags_without_data(app: Flask, history: History) -> None:
    board = board_of(app, history.learner)
    assert [figures(g) for g in board.tags] == [
        ("examples", 10, 7, 2, 1, 4, 3, 3, 0.5),  # the bank's own tag, on every question
        ("places", 2, 2, 0, 1, 1, 1, 2, 0.75),  # ex-mcq and ex-short
    ]  # no #organisations (only the other learner answered one) and no #unused
    assert board.tags[1].title == "#places" and board.tags[1].mastery == 0.5


def test_reviews_per_study_day(app: Flask, history: History) -> None:
    board = board_of(app, history.learner)
    days = dict(board.reviews_per_day)
    assert len(board.reviews_per_day) == 365
    assert board.reviews_per_day[0][0] == date(2024, 3, 13) and board.reviews_per_day[-1][0] == TODAY
    assert {day: count for day, count in days.items() if count} == {
        date(2025, 3, 12): 2,  # the undone review and the other learner's are not counted
        date(2025, 3, 11): 1,  # 04:00 local, the cut-off itself
        date(2025, 3, 10): 1,  # 02:00 local on the 11th belongs to the day before
        date(2025, 3, 9): 1,
        date(2025, 3, 2): 1,
        date(2024, 9, 16): 1,
        date(2024, 9, 15): 1,
        date(2024, 3, 13): 1,
    }
    assert board.reviews_past_year == 9 and board.days_studied == 8
    assert board.review_total == 10  # a year and a day ago still counts in the total
    months = {m.month: (m.reviews, m.days) for m in board.reviews_per_month}
    assert len(months) == 13
    assert months[date(2025, 3, 1)] == (6, 5)
    assert months[date(2024, 9, 1)] == (2, 2)
    assert months[date(2024, 3, 1)] == (1, 1)
    assert months[date(2024, 12, 1)] == (0, 0)


def test_due_forecast(app: Flask, history: History) -> None:
    board = board_of(app, history.learner)
    assert [day for day, _count in board.due_per_day] == [TODAY + timedelta(days=i) for i in range(30)]
    due = {i: count for i, (_day, count) in enumerate(board.due_per_day) if count}
    # today: overdue ex-short, ex-truefalse in 10 minutes, ex-number at 03:30 tomorrow (before the cut-off);
    # day 20: ex-mcq; day 29: ex-match at 03:30 CEST. Not counted: suspended ex-date, new ex-order,
    # ex-cloze (04:30 CEST on day 30), the other learner's cards.
    assert due == {0: 3, 20: 1, 29: 1}
    assert board.due_today == 3


def test_retention_per_week(app: Flask, history: History) -> None:
    board = board_of(app, history.learner)
    weeks = board.retention_per_week
    assert len(weeks) == 26
    assert weeks[0].start == date(2024, 9, 16) and weeks[-1].start == date(2025, 3, 10)
    found = {w.start: (w.recalled, w.reviews, w.retention) for w in weeks if w.reviews}
    assert found == {
        date(2025, 3, 10): (2, 3, pytest.approx(2 / 3)),  # Again on the 11th; Hard and Good count as recalled
        date(2025, 3, 3): (1, 1, 1.0),  # the Monday 02:00 review belongs to Sunday 9 March
        date(2025, 2, 24): (1, 1, 1.0),  # Monday 3 March 01:30 belongs to Sunday 2 March
        date(2024, 9, 16): (0, 1, 0.0),
    }
    assert sum(1 for w in weeks if w.retention is None) == 22  # gaps


def test_mastery_moves_with_time(app: Flask, history: History) -> None:
    """Ten days on, the three mature cards are still mastered; fifty days on without a review,
    none is (each has dropped below 90 %), though they are still mature."""
    later = board_of(app, history.learner, NOW + timedelta(days=10))
    assert later.banks[0].mastered == 3  # ex-mcq, ex-date, ex-match
    assert later.today == TODAY + timedelta(days=10)
    much_later = board_of(app, history.learner, NOW + timedelta(days=50))
    assert much_later.banks[0].mastered == 0 and much_later.banks[0].mature == 4


def test_a_quiz_just_taken_masters_nothing(app: Flask, write_bank: Callable[..., Path]) -> None:
    """Issue 9, edge 3: right after a quiz, mastery said "100 % (10 of 10)" next to 48 %
    accuracy, because every card just answered — wrongly too — was at ~100 % recall
    probability. A question answered a minute ago (right or wrong) is not mastered, and a
    mature card answered wrongly leaves mastery at once."""
    with app.app_context():
        sync_banks([EXAMPLES], NOW - timedelta(days=400))
        learner = accounts.create_user("quiz@example.org", "password123", "learner").id
        mature = add_card(learner, "ex-mcq", "review", 40, NOW - 5 * timedelta(days=1), NOW + timedelta(days=30))
        db.session.commit()
        assert progress.dashboard(learner, NOW).banks[0].mastered == 1  # mature and recalled: mastered
        moment = NOW + timedelta(minutes=1)
        studying.record_quiz_answer(learner, "ex-mcq", False, moment)  # the mature card, missed
        studying.record_quiz_answer(learner, "ex-short", False, moment)  # new cards, one wrong …
        studying.record_quiz_answer(learner, "ex-number", True, moment)  # … and one right
        db.session.add(Attempt(user_id=learner, mode="practice", title="A quiz", settings={},
                               question_ids=["ex-mcq", "ex-short", "ex-number"], seed=1, started_at=moment))
        db.session.flush()
        attempt_id = db.session.scalars(select(Attempt.id)).one()
        for position, (question_id, score) in enumerate((("ex-mcq", 0.0), ("ex-short", 0.0), ("ex-number", 1.0))):
            db.session.add(AttemptAnswer(attempt_id=attempt_id, question_id=question_id, position=position,
                                         response=None, score=score, feedback=[], answered_at=moment))
        db.session.commit()
        assert mature.status == "relearning"
        board = progress.dashboard(learner, moment + timedelta(minutes=1))
    group = board.banks[0]
    assert (group.seen, group.mastered, group.answers) == (3, 0, 3)
    assert group.mastery == 0.0 and group.accuracy == pytest.approx(1 / 3)


def test_the_other_learner_sees_only_their_own(app: Flask, history: History) -> None:
    board = board_of(app, history.other)
    assert [(g.key, g.seen, g.answers) for g in board.banks] == [("examples", 1, 1), ("other", 1, 0)]
    assert [g.key for g in board.tags] == ["examples", "organisations", "places", "unused"]
    assert board.reviews_past_year == 1 and board.due_today == 2  # default settings: UTC, 4 a.m.
    assert not board.is_empty


def test_a_new_learner_has_an_empty_dashboard(app: Flask, history: History) -> None:
    with app.app_context():
        newcomer = accounts.create_user("new@example.org", "password123", "learner").id
    board = board_of(app, newcomer)
    assert board.is_empty and board.banks == [] and board.tags == []
    assert len(board.reviews_per_day) == 365 and board.reviews_past_year == 0
    assert [count for _day, count in board.due_per_day] == [0] * 30
    assert all(w.retention is None for w in board.retention_per_week)


def test_the_number_of_queries_does_not_grow_with_the_history(app: Flask, history: History) -> None:
    def queries() -> int:
        executed: list[str] = []

        def count(*args: object) -> None:
            executed.append(str(args[2]))

        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", count)
            try:
                progress.dashboard(history.learner, NOW)
            finally:
                event.remove(db.engine, "before_cursor_execute", count)
        return len(executed)

    before = queries()
    with app.app_context():
        for question_id in ("ex-multi", "ex-card", "s-konna", "s-serval", "s-year"):
            card = add_card(history.learner, question_id, "review", 10, NOW - timedelta(days=3),
                            NOW + timedelta(days=7))
            for days in range(1, 40):
                add_review(card, NOW - timedelta(days=days))
        db.session.commit()
    assert queries() == before <= 15


@pytest.mark.parametrize("moment, expected", [
    (utc(2025, 3, 11, 1, 0), date(2025, 3, 10)),  # 02:00 local
    (utc(2025, 3, 11, 2, 59), date(2025, 3, 10)),  # 03:59 local
    (utc(2025, 3, 11, 3, 0), date(2025, 3, 11)),  # 04:00 local
    (utc(2025, 3, 30, 1, 30), date(2025, 3, 29)),  # 03:30 CEST, the night clocks go forward
    (utc(2025, 3, 30, 2, 0), date(2025, 3, 30)),  # 04:00 CEST
    (utc(2025, 10, 26, 2, 30), date(2025, 10, 25)),  # 03:30 CET, the night clocks go back
    (utc(2025, 10, 26, 3, 0), date(2025, 10, 26)),  # 04:00 CET
])
def test_study_date_follows_the_cut_off_in_local_time(moment: datetime, expected: date) -> None:
    assert scheduling.study_date(moment, "Europe/Paris", 4) == expected
    start = scheduling.day_start(expected, PARIS, 4)
    assert start == scheduling.study_day_start(moment, "Europe/Paris", 4)
    assert start <= moment < scheduling.day_start(expected + timedelta(days=1), PARIS, 4)


def test_self_assessed_flashcards_do_not_count_toward_quiz_accuracy(app: Flask) -> None:
    """Issue 9, edge 8: "I knew it" on a flashcard inside a quiz is the learner's own word, not a
    graded answer: accuracy on the dashboard and the home page counts only graded questions."""
    with app.app_context():
        sync_banks([EXAMPLES], NOW - timedelta(days=400))
        learner = accounts.create_user("cards@example.org", "password123", "learner").id
        add_answers(learner, {"ex-card": 1.0, "ex-mcq": 0.0})
        db.session.commit()
        group = progress.dashboard(learner, NOW).banks[0]
        week = progress.home(learner, NOW)
    assert (group.answers, group.accuracy) == (1, 0.0)
    assert (week.answers_this_week, week.accuracy_this_week) == (1, 0.0)
