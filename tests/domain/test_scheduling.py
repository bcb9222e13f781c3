"""Scheduling rules: equal to py-fsrs, study days across time zones, intervals in words."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import fsrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.domain import scheduling

START = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
histories = st.lists(
    st.tuples(st.integers(min_value=1, max_value=4), st.integers(min_value=0, max_value=60 * 24 * 90)),
    min_size=1, max_size=25)


@settings(max_examples=200, deadline=None)
@given(histories, st.floats(min_value=0.80, max_value=0.95))
def test_reviews_through_stored_state_equal_py_fsrs(history: list[tuple[int, int]], retention: float) -> None:
    """Storing the card as a dict between reviews (as the database does) changes nothing."""
    reference = fsrs.Scheduler(desired_retention=retention, enable_fuzzing=False)
    ours = scheduling.scheduler(retention)
    card = fsrs.Card(due=START)
    state = None
    now = START
    for rating, minutes in history:
        now += timedelta(minutes=minutes)
        card, _ = reference.review_card(card, fsrs.Rating(rating), now)
        reviewed = scheduling.review(state, rating, now, ours)
        state = reviewed.state
        expected = card.to_dict()
        assert {k: v for k, v in state.items() if k != "card_id"} == {
            k: v for k, v in expected.items() if k != "card_id"}
        assert reviewed.due == card.due


def test_preview_matches_what_each_rating_gives() -> None:
    sched = scheduling.scheduler()
    state = scheduling.review(None, 3, START, sched).state
    later = START + timedelta(days=3)
    shown = scheduling.preview(state, later, sched)
    for rating, delta in shown.items():
        assert scheduling.review(state, rating, later, sched).due - later == delta
    assert shown[1] < shown[2] <= shown[3] < shown[4]


def test_retrievability_from_columns_equals_from_state() -> None:
    sched = scheduling.scheduler()
    reviewed = scheduling.review(scheduling.review(None, 3, START, sched).state, 4, START + timedelta(days=2), sched)
    for days in (0, 3, 40):
        now = START + timedelta(days=days)
        assert scheduling.retrievability_at(reviewed.stability, START + timedelta(days=2), now, sched) == \
            scheduling.retrievability(reviewed.state, now, sched)


def test_retrievability_falls_with_time() -> None:
    sched = scheduling.scheduler()
    state = scheduling.review(scheduling.review(None, 3, START, sched).state, 3, START + timedelta(days=1), sched).state
    assert scheduling.retrievability(None, START, sched) == 0.0
    r1 = scheduling.retrievability(state, START + timedelta(days=2), sched)
    r2 = scheduling.retrievability(state, START + timedelta(days=30), sched)
    assert 0 < r2 < r1 <= 1


@pytest.mark.parametrize("now,tz,cutoff,start", [
    # 02:30 in New York on 10 March (EDT, UTC-4) is still the study day of 9 March
    (datetime(2026, 3, 10, 6, 30, tzinfo=timezone.utc), "America/New_York", 4,
     datetime(2026, 3, 9, 8, 0, tzinfo=timezone.utc)),
    # 04:00 exactly starts a new day
    (datetime(2026, 3, 10, 8, 0, tzinfo=timezone.utc), "America/New_York", 4,
     datetime(2026, 3, 10, 8, 0, tzinfo=timezone.utc)),
    # Tokyo (UTC+9): 20:00 UTC on 1 June is 05:00 on 2 June
    (datetime(2026, 6, 1, 20, 0, tzinfo=timezone.utc), "Asia/Tokyo", 4,
     datetime(2026, 6, 1, 19, 0, tzinfo=timezone.utc)),
    # Auckland in summer (UTC+13), cut-off at midnight
    (datetime(2026, 1, 1, 10, 59, tzinfo=timezone.utc), "Pacific/Auckland", 0,
     datetime(2025, 12, 31, 11, 0, tzinfo=timezone.utc)),
    (datetime(2026, 1, 1, 11, 0, tzinfo=timezone.utc), "Pacific/Auckland", 0,
     datetime(2026, 1, 1, 11, 0, tzinfo=timezone.utc)),
    # UTC, default cut-off
    (datetime(2026, 1, 1, 3, 59, tzinfo=timezone.utc), "UTC", 4, datetime(2025, 12, 31, 4, 0, tzinfo=timezone.utc)),
    # Paris on the night summer time starts (29 March 2026, 02:00 → 03:00)
    (datetime(2026, 3, 29, 3, 30, tzinfo=timezone.utc), "Europe/Paris", 4,
     datetime(2026, 3, 29, 2, 0, tzinfo=timezone.utc)),
])
def test_study_day_start_across_time_zones(now: datetime, tz: str, cutoff: int, start: datetime) -> None:
    assert scheduling.study_day_start(now, tz, cutoff) == start
    following = scheduling.next_day_start(now, tz, cutoff)
    assert following > now >= start
    assert timedelta(hours=23) <= following - start <= timedelta(hours=25)


@pytest.mark.parametrize("delta,words", [
    (timedelta(seconds=20), "1 min"), (timedelta(minutes=10), "10 min"), (timedelta(hours=5), "5 h"),
    (timedelta(days=1), "1 d"), (timedelta(days=12), "12 d"), (timedelta(days=61), "2 mo"),
    (timedelta(days=400), "1.1 y"),
])
def test_intervals_in_words(delta: timedelta, words: str) -> None:
    assert scheduling.format_interval(delta) == words


def test_rating_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError):
        scheduling.review(None, 5, START, scheduling.scheduler())


def test_scheduling_never_sleeps(monkeypatch: pytest.MonkeyPatch) -> None:
    """py-fsrs sleeps 1 ms for every Card made without an id; the study loop must not pay that."""
    import time

    def no_sleep(seconds: float) -> None:
        raise AssertionError(f"slept {seconds} s")

    monkeypatch.setattr(time, "sleep", no_sleep)
    sched = scheduling.scheduler()
    scheduling.preview(None, START, sched)
    state = scheduling.review(None, 3, START, sched).state
    scheduling.preview(state, START + timedelta(days=1), sched)
    scheduling.retrievability_at(3.0, START, START + timedelta(days=2), sched)
