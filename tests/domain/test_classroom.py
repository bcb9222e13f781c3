"""Classroom rules: join codes, counting attempts, late and missing work, answer visibility,
time zones, and spreadsheet-safe CSV."""
from __future__ import annotations

import csv
import io
import random
from datetime import datetime, timedelta, timezone

import pytest

from quiz.domain.classroom import (JOIN_CODE_ALPHABET, Submission, answers_visible, counted, local_to_utc,
                                   may_start, new_join_code, normalize_join_code, standing, utc_to_local)
from quiz.domain.spreadsheet import escape_cell, to_csv

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


# --- join codes --------------------------------------------------------------------

def test_join_codes_use_no_ambiguous_characters() -> None:
    rng = random.Random(1)
    codes = [new_join_code(rng) for _ in range(500)]
    assert all(len(c) == 6 for c in codes)
    assert not set("".join(codes)) & set("0O1IL")
    assert set("".join(codes)) <= set(JOIN_CODE_ALPHABET)


def test_join_code_avoids_taken_codes() -> None:
    first = new_join_code(random.Random(7))
    second = new_join_code(random.Random(7), taken={first})
    assert second != first


@pytest.mark.parametrize("typed, expected", [
    ("abc-def", "ABCDEF"), (" a b c d e f ", "ABCDEF"), ("", ""), ("--", ""), ("xy7q9k", "XY7Q9K"),
])
def test_join_code_typed_loosely(typed: str, expected: str) -> None:
    assert normalize_join_code(typed) == expected


# --- which attempt counts --------------------------------------------------------------

SUBS = [Submission(at(1), 0.5), Submission(at(3), 0.7), Submission(at(2), 0.9)]


@pytest.mark.parametrize("rule, score, sources", [
    ("best", 0.9, [at(2)]),
    ("last", 0.7, [at(3)]),
    ("mean", pytest.approx(0.7), [at(1), at(2), at(3)]),
])
def test_counting_rules(rule: str, score: object, sources: list[datetime]) -> None:
    got, used = counted(SUBS, rule)
    assert got == score
    assert [s.finished_at for s in used] == sources


def test_counting_nothing_and_unknown_rule() -> None:
    assert counted([], "best") == (None, [])
    with pytest.raises(ValueError):
        counted(SUBS, "median")


# --- standing: status, late, missing -----------------------------------------------------

@pytest.mark.parametrize("subs, now, opens, due, rule, running, override, expected", [
    # nothing done yet
    ([], at(0), at(1), at(10), "best", False, None, ("upcoming", None, False, 0)),
    ([], at(2), at(1), at(10), "best", False, None, ("open", None, False, 0)),
    ([], at(2), None, None, "best", False, None, ("open", None, False, 0)),
    ([], at(2), None, at(10), "best", True, None, ("in_progress", None, False, 0)),
    ([], at(11), None, at(10), "best", False, None, ("missing", None, False, 0)),
    # done on time, done late
    ([Submission(at(5), 0.8)], at(20), None, at(10), "best", False, None, ("done", 0.8, False, 1)),
    ([Submission(at(12), 0.8)], at(20), None, at(10), "best", False, None, ("done", 0.8, True, 1)),
    # a late better attempt makes the best late; with "last" the late last counts
    ([Submission(at(5), 0.5), Submission(at(12), 0.9)], at(20), None, at(10), "best", False, None,
     ("done", 0.9, True, 2)),
    ([Submission(at(5), 0.9), Submission(at(12), 0.5)], at(20), None, at(10), "best", False, None,
     ("done", 0.9, False, 2)),
    ([Submission(at(5), 0.9), Submission(at(12), 0.5)], at(20), None, at(10), "mean", False, None,
     ("done", pytest.approx(0.7), True, 2)),
    # an override replaces the score, even of missing work
    ([], at(11), None, at(10), "best", False, 0.6, ("missing", 0.6, False, 0)),
    ([Submission(at(5), 0.2)], at(11), None, at(10), "last", False, 1.0, ("done", 1.0, False, 1)),
])
def test_standing(subs: list[Submission], now: datetime, opens: datetime | None, due: datetime | None, rule: str,
                  running: bool, override: float | None, expected: tuple[object, ...]) -> None:
    s = standing(subs, now=now, opens_at=opens, due_at=due, rule=rule, in_progress=running, override=override)
    assert (s.status, s.score, s.late, s.attempts) == expected
    assert s.overridden == (override is not None)


def test_standing_label_says_late() -> None:
    assert standing([Submission(at(12), 1.0)], now=at(20), opens_at=None, due_at=at(10), rule="best").label \
        == "Done (late)"
    assert standing([], now=at(20), opens_at=None, due_at=at(10), rule="best").label == "Missing"


# --- may a new attempt start -----------------------------------------------------------

@pytest.mark.parametrize("now, opens, due, policy, made, allowed, reason", [
    (at(2), at(1), at(10), "accept", 0, 1, None),
    (at(0), at(1), at(10), "accept", 0, 1, "not open yet"),
    (at(11), None, at(10), "refuse", 0, 1, "does not accept late work"),
    (at(11), None, at(10), "accept", 0, 1, None),
    (at(2), None, None, "accept", 1, 1, "used your attempt"),
    (at(2), None, None, "accept", 3, 3, "all 3 attempts"),
    (at(2), None, None, "accept", 50, None, None),
])
def test_may_start(now: datetime, opens: datetime | None, due: datetime | None, policy: str, made: int,
                   allowed: int | None, reason: str | None) -> None:
    got = may_start(now=now, opens_at=opens, due_at=due, late_policy=policy, attempts_made=made,
                    attempts_allowed=allowed)
    if reason is None:
        assert got is None
    else:
        assert got is not None and reason in got


# --- answer visibility ---------------------------------------------------------------------

@pytest.mark.parametrize("rule, now, due, visible", [
    ("immediately", at(0), at(10), True),
    ("after_due", at(0), at(10), False),
    ("after_due", at(11), at(10), True),
    ("after_due", at(11), None, False),
    ("never", at(100), at(10), False),
])
def test_answers_visible(rule: str, now: datetime, due: datetime | None, visible: bool) -> None:
    assert answers_visible(rule, now=now, due_at=due) is visible


# --- time zones ------------------------------------------------------------------------------

@pytest.mark.parametrize("local, zone, utc", [
    (datetime(2026, 12, 7, 9, 0), "Africa/Bamako", datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)),
    (datetime(2026, 12, 7, 9, 0), "Europe/Paris", datetime(2026, 12, 7, 8, 0, tzinfo=timezone.utc)),
    (datetime(2026, 7, 7, 9, 0), "Europe/Paris", datetime(2026, 7, 7, 7, 0, tzinfo=timezone.utc)),
    (datetime(2026, 12, 7, 23, 59), "America/New_York", datetime(2026, 12, 8, 4, 59, tzinfo=timezone.utc)),
])
def test_class_time_zone_round_trip(local: datetime, zone: str, utc: datetime) -> None:
    assert local_to_utc(local, zone) == utc
    assert utc_to_local(utc, zone).replace(tzinfo=None) == local


# --- CSV ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, cell", [
    ("=SUM(A1:A3)", "'=SUM(A1:A3)"), ("+33 6", "'+33 6"), ("-1+1", "'-1+1"), ("@cmd", "'@cmd"),
    ("\t=1", "'\t=1"), ("Gao", "Gao"), ("a=b", "a=b"), (-0.5, "-0.5"), (12, "12"), (None, ""), (True, "yes"),
])
def test_escape_cell(value: object, cell: str) -> None:
    assert escape_cell(value) == cell


def test_csv_plain_and_excel() -> None:
    rows = [["Ségou, Mali", "=1+1", 50.0]]
    plain = to_csv(["Name", "Formula", "Score"], rows)
    assert not plain.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(plain))) == [["Name", "Formula", "Score"], ["Ségou, Mali", "'=1+1", "50.0"]]
    excel = to_csv(["Name", "Formula", "Score"], rows, excel=True)
    assert excel.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(excel[1:]), delimiter=";"))[1] == ["Ségou, Mali", "'=1+1", "50.0"]
