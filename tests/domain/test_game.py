"""Live game rules: scoring modes, streaks, deadlines, states, PINs, nicknames, rankings."""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from quiz.domain.game import (GRACE, GameRuleError, NicknameError, accepts_answer, allowed_types, award,
                              clean_nickname, distribution, draw, elapsed_seconds, is_offensive, new_pin,
                              next_state, nickname_key, normalize_pin, playable_types, ranking, speed_points)

T0 = datetime(2026, 12, 2, 10, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("elapsed, limit, points", [
    (0, 20, 1000), (20, 20, 500), (10, 20, 750), (5, 20, 875), (1, 3, 833), (1.5, 3, 750),
    (-2, 20, 1000), (30, 20, 500),  # clamped to the question's time
    (0.99, 1, 505), (0.999, 2, 750),  # 750.25 → 750
    (1.4, 4, 825),  # 825.0
    (0.5, 1.6, 844),  # 843.75 → 844 (half and above rounds up)
])
def test_speed_points_follow_kahoot_formula(elapsed: float, limit: float, points: int) -> None:
    assert speed_points(elapsed, limit) == points


def test_speed_points_round_half_up_not_to_even() -> None:
    assert speed_points(0.02, 40) == 1000  # 999.75 → 1000
    assert speed_points(0.04, 40) == 1000  # 999.5 → 1000 (round() would give 1000 too: even)
    assert speed_points(0.12, 40) == 999  # 998.5 → 999 (round() would give 998)


@pytest.mark.parametrize("mode, score, elapsed, streak_before, points, streak", [
    ("accuracy", 1.0, 19, 0, 1000, 1),
    ("accuracy", 0.5, 0, 3, 500, 0),      # partial credit: half the points, and the streak breaks
    ("accuracy", 0.0, 0, 3, 0, 0),
    ("speed", 1.0, 10, 4, 750, 5),        # no bonus in plain speed mode
    ("speed", 0.5, 0, 0, 500, 0),         # partial credit scales the speed points
    ("speed_streak", 1.0, 0, 0, 1000, 1),  # a first right answer: no bonus yet
    ("speed_streak", 1.0, 0, 1, 1100, 2),
    ("speed_streak", 1.0, 20, 2, 700, 3),
    ("speed_streak", 1.0, 0, 5, 1500, 6),
    ("speed_streak", 1.0, 0, 40, 1500, 41),  # the bonus stops at +500
    ("speed_streak", 0.0, 0, 7, 0, 0),     # a wrong answer: nothing, streak back to 0
    ("speed_streak", 0.9, 0, 7, 900, 0),   # partly right is not right for the streak
])
def test_award(mode: str, score: float, elapsed: float, streak_before: int, points: int, streak: int) -> None:
    result = award(mode, score, elapsed, 20, streak_before)
    assert (result.points, result.streak) == (points, streak)


def test_unknown_scoring_mode_is_refused() -> None:
    with pytest.raises(ValueError):
        award("luck", 1.0, 0, 20, 0)


def test_deadline_is_decided_by_the_server_clock_with_a_short_grace() -> None:
    deadline = T0 + timedelta(seconds=20)
    assert accepts_answer(T0, deadline)
    assert accepts_answer(deadline, deadline)
    assert accepts_answer(deadline + GRACE, deadline)
    assert not accepts_answer(deadline + GRACE + timedelta(milliseconds=1), deadline)
    assert not accepts_answer(deadline + timedelta(seconds=5), deadline)


def test_elapsed_time_counts_from_the_deadline_so_pauses_do_not_count() -> None:
    deadline = T0 + timedelta(seconds=20)
    assert elapsed_seconds(T0, deadline, 20) == 0
    assert elapsed_seconds(T0 + timedelta(seconds=5), deadline, 20) == 5
    assert elapsed_seconds(deadline + timedelta(seconds=1), deadline, 20) == 20


@pytest.mark.parametrize("state, action, index, expected", [
    ("lobby", "start", -1, ("question", 0)),
    ("question", "next", 0, ("reveal", 0)),
    ("reveal", "next", 0, ("question", 1)),
    ("reveal", "next", 2, ("ended", 2)),
    ("question", "skip", 1, ("question", 2)),
    ("question", "skip", 2, ("ended", 2)),
    ("reveal", "skip", 0, ("question", 1)),
    ("question", "end", 1, ("ended", 1)),
    ("lobby", "end", -1, ("ended", -1)),
    ("paused", "end", 1, ("ended", 1)),
])
def test_host_actions_move_the_game(state: str, action: str, index: int, expected: tuple[str, int]) -> None:
    assert next_state(state, action, index, 3) == expected


@pytest.mark.parametrize("state, action", [
    ("lobby", "next"), ("lobby", "skip"), ("question", "start"), ("ended", "next"), ("ended", "end"),
    ("paused", "next"), ("reveal", "fly"),
])
def test_host_actions_the_state_forbids(state: str, action: str) -> None:
    with pytest.raises(GameRuleError):
        next_state(state, action, 0, 3)


def test_pins_are_six_digits_and_avoid_taken_ones() -> None:
    pins = [new_pin(random.Random(i)) for i in range(300)]
    assert all(len(p) == 6 and p.isdigit() and p[0] != "0" for p in pins)
    first = new_pin(random.Random(5))
    assert new_pin(random.Random(5), taken={first}) != first


@pytest.mark.parametrize("typed, pin", [("123 456", "123456"), ("123-456", "123456"), ("abc", ""),
                                        ("١٢٣٤٥٦", "")])
def test_normalize_pin(typed: str, pin: str) -> None:
    assert normalize_pin(typed) == pin


@pytest.mark.parametrize("a, b", [("Ana B", "anab"), ("  ANA   b ", "Ana B"), ("ＡＮＡ", "ana"), ("Élise", "élise")])
def test_nicknames_compare_without_case_or_spaces(a: str, b: str) -> None:
    assert nickname_key(a) == nickname_key(b)


def test_nickname_taken_in_another_spelling_is_refused() -> None:
    with pytest.raises(NicknameError, match="already called"):
        clean_nickname("ana  b", taken={nickname_key("Ana B")})


def test_nickname_blocked_by_the_host_is_refused() -> None:
    with pytest.raises(NicknameError, match="not allowed"):
        clean_nickname("Troll 2", blocked={nickname_key("troll2")})


@pytest.mark.parametrize("name, message", [("", "Type a nickname"), ("   ", "Type a nickname"),
                                           ("x" * 21, "at most 20"), ("ab\u0007c", "letters")])
def test_unusable_nicknames(name: str, message: str) -> None:
    with pytest.raises(NicknameError, match=message):
        clean_nickname(name)


def test_nickname_spaces_are_tidied() -> None:
    assert clean_nickname("  Mamadou   K ") == "Mamadou K"


@pytest.mark.parametrize("name", ["fuck", "FuCk3r", "f u c k", "Sh1t happens", "CUNTS", "fuuuck", "big ass", "pute",
                                  "Enculé", "n4zi", "DICK"])
def test_offensive_names_are_refused(name: str) -> None:
    assert is_offensive(name)
    with pytest.raises(NicknameError, match="not allowed"):
        clean_nickname(name)


@pytest.mark.parametrize("name", ["Dickens", "Hitchcock", "Cassandra", "Scunthorpe United", "Assia", "Constance",
                                  "Awa", "Moussa", "Sexton"])
def test_ordinary_names_pass_the_filter(name: str) -> None:
    assert not is_offensive(name)


def test_flashcards_are_not_played() -> None:
    assert "card" not in playable_types()
    assert set(playable_types()) == {"mcq", "multi", "truefalse", "short", "number", "date", "order", "match", "cloze"}
    assert allowed_types(["card", "mcq"]) == ["mcq"]
    assert allowed_types([]) == list(playable_types())


def test_draw_keeps_the_given_order() -> None:
    ids = [f"q{i}" for i in range(10)]
    drawn = draw(ids, 4, random.Random(3))
    assert len(drawn) == 4 and drawn == sorted(drawn, key=ids.index)
    assert draw(ids, 50, random.Random(3)) == ids


def test_distribution_of_a_choice_question_counts_each_option() -> None:
    data = {"answer": "Gao", "distractors": ["Kidal", "Mopti"]}
    bars = distribution("mcq", data, ["Kidal", "Gao", "Mopti"], [("Gao", 1.0), ("Gao", 1.0), ("kidal", 0.0)])
    assert [(b.label, b.count, b.right) for b in bars] == [("Kidal", 1, False), ("Gao", 2, True), ("Mopti", 0, False)]


def test_distribution_of_multi_true_false_and_typed_questions() -> None:
    multi = distribution("multi", {"answers": ["A", "B"], "distractors": ["C"]}, ["A", "B", "C"],
                         [(["A", "B"], 1.0), (["A", "C"], 0.0)])
    assert [(b.label, b.count, b.right) for b in multi] == [("A", 2, True), ("B", 1, True), ("C", 1, False)]
    tf = distribution("truefalse", {"answer": False}, [], [(True, 0.0), (False, 1.0), (False, 1.0)])
    assert [(b.label, b.count, b.right) for b in tf] == [("True", 1, False), ("False", 2, True)]
    typed = distribution("short", {}, [], [("x", 1.0), ("y", 0.5), ("z", 0.0), ("w", 0.0)])
    assert [(b.label, b.count) for b in typed] == [("Right", 1), ("Partly right", 1), ("Wrong", 2)]


def test_ranking_shares_ranks_on_ties() -> None:
    table = ranking([(1, "Zoé", 900), (2, "amadou", 1500), (3, "Bintou", 900), (4, "Cheick", 0)])
    assert [(s.rank, s.nickname) for s in table] == [(1, "amadou"), (2, "Bintou"), (2, "Zoé"), (4, "Cheick")]
