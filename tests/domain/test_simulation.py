"""The demo's simulated class: seeded (same seed, same class), students of varied ability whose
answers follow the Rasch model, plausible homework habits and flashcard histories that the
app's own scheduler would have produced."""
from __future__ import annotations

import dataclasses
import itertools
import math
import random
import statistics
from datetime import datetime, timedelta, timezone

import pytest

from quiz.domain import item_analysis as ia
from quiz.domain import scheduling
from quiz.domain import simulation as sim

NOW = datetime(2026, 12, 2, 6, 0, tzinfo=timezone.utc)
OPENS, DUE = NOW - timedelta(days=10), NOW - timedelta(days=3)
QUESTIONS = [
    sim.DemoQuestion("mali-capital", "easy", keys=("Niani",), distractors=("Gao", "Timbuktu", "Djenné")),
    sim.DemoQuestion("mali-founder", "medium", keys=("Sundiata Keita",), distractors=("Mansa Musa", "Sumanguru")),
    sim.DemoQuestion("mali-hajj", "hard", keys=("1324",), distractors=("1235", "1468", "1591")),
    sim.DemoQuestion("mali-salt", None, keys=("Taghaza",), distractors=("Walata", "Koumbi Saleh")),
    sim.DemoQuestion("mali-trade", "medium", keys=("gold", "salt"), distractors=("silk", "spices")),  # several keys
    sim.DemoQuestion("mali-griot", "easy"),  # typed answer: no options
    sim.DemoQuestion("mali-true", "hard", keys=("True",), distractors=("False",)),
]


def rng(seed: int = 7) -> random.Random:
    return random.Random(seed)


def analysed(taken: list[sim.SimulatedAttempt]) -> ia.ItemAnalysis:
    return ia.analyse([ia.Attempt(tuple(ia.Response(a.question_id, a.score, choices=a.choices) for a in t.answers))
                       for t in taken])


@pytest.mark.parametrize("ability, difficulty, p", [
    (0.0, 0.0, 0.5), (1.0, 0.0, 1 / (1 + math.exp(-1))), (0.0, 1.0, 1 / (1 + math.exp(1))), (2.0, 2.0, 0.5),
    (-3.0, 3.0, 1 / (1 + math.exp(6))),
])
def test_rasch_probability(ability: float, difficulty: float, p: float) -> None:
    assert sim.p_correct(ability, difficulty) == pytest.approx(p)


@pytest.mark.parametrize("field, logit", [("easy", -1.2), ("medium", 0.0), ("hard", 1.2), (None, 0.0)])
def test_difficulty_field_gives_the_logit(field: str | None, logit: float) -> None:
    assert sim.difficulty_logit(field) == logit


def test_an_unknown_difficulty_is_refused() -> None:
    with pytest.raises(ValueError, match="'brutal' should be one of easy, medium, hard"):
        sim.items(rng(), [sim.DemoQuestion("q", "brutal")])


def test_the_same_seed_gives_the_same_class_and_another_seed_another() -> None:
    def demo(seed: int) -> tuple[object, ...]:
        r = rng(seed)
        roster = sim.students(r)
        items = sim.items(r, QUESTIONS)
        return roster, items, sim.attempts(r, roster, items, opens_at=OPENS, due_at=DUE)
    assert demo(1) == demo(1)
    assert demo(1) != demo(2)


def test_thirty_students_with_different_names_handles_and_abilities() -> None:
    roster = sim.students(rng())
    assert len(roster) == 30
    assert len({s.name for s in roster}) == 30 and len({s.handle for s in roster}) == 30
    assert all(s.handle.isascii() and " " not in s.handle for s in roster)
    abilities = [s.ability for s in roster]
    assert all(-sim.ABILITY_LIMIT <= a <= sim.ABILITY_LIMIT for a in abilities)
    assert statistics.stdev(abilities) > 0.5  # varied, not a class of clones
    assert all(0 <= s.diligence <= 1 for s in roster)


def test_accents_are_dropped_from_handles() -> None:
    r = random.Random(0)
    roster = sim.students(r, count=len(sim.FIRST_NAMES) * len(sim.LAST_NAMES))  # every pair
    assert "chloe.keita" in {s.handle for s in roster}
    assert "Chloé Keïta" in {s.name for s in roster}
    with pytest.raises(ValueError, match="at most"):
        sim.students(r, count=len(sim.FIRST_NAMES) * len(sim.LAST_NAMES) + 1)


def test_distractor_pulls_are_shares_and_difficulties_follow_the_field() -> None:
    many = [sim.DemoQuestion(f"q{i}", field, keys=("A",), distractors=("B", "C", "D"))
            for i, field in enumerate(["easy", "hard"] * 50)]
    items = sim.items(rng(), many)
    assert all(sum(item.pulls) == pytest.approx(1.0) for item in items)
    easy = [item.difficulty for item, q in zip(items, many) if q.difficulty == "easy"]
    hard = [item.difficulty for item, q in zip(items, many) if q.difficulty == "hard"]
    assert statistics.mean(easy) < -0.8 and statistics.mean(hard) > 0.8
    assert len(set(easy)) == len(easy)  # two easy questions differ


@pytest.mark.parametrize("right, keys, distractors, chosen", [
    (True, ("Niani",), ("Gao", "Timbuktu"), {("Niani",)}),
    (False, ("Niani",), ("Gao", "Timbuktu"), {("Gao",), ("Timbuktu",)}),
    (True, ("gold", "salt"), ("silk",), {("gold", "salt")}),
    (False, ("gold", "salt"), ("silk",), {("gold", "silk"), ("salt", "silk")}),  # one key missed, a distractor ticked
    (False, ("gold", "salt"), (), {("gold",), ("salt",)}),
    (True, (), (), {()}),  # not a choice question
    (False, (), (), {()}),
])
def test_an_answer_ticks_the_keys_when_right_and_a_distractor_when_wrong(
        right: bool, keys: tuple[str, ...], distractors: tuple[str, ...], chosen: set[tuple[str, ...]]) -> None:
    # a difficulty far below or above the ability makes the outcome certain
    item = sim.SimulatedItem("q", -50.0 if right else 50.0, keys, distractors,
                             tuple(1 / len(distractors) for _ in distractors))
    answers = [sim.answer(rng(seed), 0.0, item, NOW) for seed in range(40)]
    assert {a.correct for a in answers} == {right}
    assert {a.score for a in answers} == {1.0 if right else 0.0}
    assert {a.choices for a in answers} == chosen


def test_a_distractor_that_pulls_nobody_is_never_chosen() -> None:
    item = sim.SimulatedItem("q", 50.0, ("Niani",), ("Gao", "Timbuktu"), (1.0, 0.0))
    assert {sim.answer(rng(seed), 0.0, item, NOW).choices for seed in range(40)} == {("Gao",)}


def test_stronger_students_score_higher_and_easy_questions_are_easier() -> None:
    r = rng(3)
    roster = sim.students(r, count=300)
    copies = [dataclasses.replace(q, question_id=f"{q.question_id}-{n}") for n in range(3) for q in QUESTIONS]
    items = sim.items(r, copies)
    taken = [t for t in sim.attempts(r, roster, items, opens_at=OPENS, due_at=DUE) if t.number == 1]
    abilities = [roster[t.student].ability for t in taken]
    assert statistics.correlation(abilities, [t.score for t in taken]) > 0.5
    result = analysed(taken)

    def facility(field: str) -> float:
        return statistics.mean(s.facility or 0.0 for s, q in zip(result.questions, copies) if q.difficulty == field)
    assert facility("easy") > facility("medium") > facility("hard")
    assert all((q.discrimination_index or 0) > 0 for q in result.questions)  # every question tells them apart
    assert result.quiz.internal_consistency is not None and result.quiz.internal_consistency > 0.5


def test_homework_habits_on_time_late_and_missing() -> None:
    r = rng(5)
    roster = sim.students(r, count=400)
    taken = sim.attempts(r, roster, sim.items(r, QUESTIONS), opens_at=OPENS, due_at=DUE)
    firsts = [t for t in taken if t.number == 1]
    assert taken == sorted(taken, key=lambda t: t.started_at)
    missing = 400 - len({t.student for t in firsts})
    late = sum(t.late for t in firsts)
    assert 0.03 * 400 < missing < 0.12 * 400 and 0.05 * 400 < late < 0.16 * 400
    for t in taken:
        assert OPENS <= t.started_at <= t.finished_at <= DUE + timedelta(days=sim.LATE_DAYS, hours=2)
        assert t.late == (t.finished_at > DUE)
        times = [a.answered_at for a in t.answers]
        assert times == sorted(times) and times[-1] == t.finished_at and t.started_at < times[0]
        assert [a.question_id for a in t.answers] == [q.question_id for q in QUESTIONS]


def test_with_attempts_left_weak_students_sometimes_try_again() -> None:
    r = rng(11)
    roster = sim.students(r, count=200)
    taken = sim.attempts(r, roster, sim.items(r, QUESTIONS), opens_at=OPENS, due_at=DUE, attempts_allowed=3)
    by_student: dict[int, list[sim.SimulatedAttempt]] = {}
    for t in taken:
        by_student.setdefault(t.student, []).append(t)
    retried = [ts for ts in by_student.values() if len(ts) > 1]
    assert retried and all(len(ts) <= 3 for ts in by_student.values())
    for ts in by_student.values():
        assert [t.number for t in ts] == list(range(1, len(ts) + 1))
        assert all(earlier.score < sim.RETRY_BELOW for earlier in ts[:-1])  # only a weak score is retried
        assert all(a.finished_at < b.started_at for a, b in itertools.pairwise(ts))
    single = sim.attempts(rng(11), roster, sim.items(rng(11), QUESTIONS), opens_at=OPENS, due_at=DUE)
    assert {t.number for t in single} == {1}


def test_a_random_draw_gives_each_student_some_questions_in_the_order_drawn() -> None:
    r = rng(13)
    roster = sim.students(r)
    taken = sim.attempts(r, roster, sim.items(r, QUESTIONS), opens_at=OPENS, due_at=DUE, draw=4)
    drawn = [tuple(a.question_id for a in t.answers) for t in taken]
    assert all(len(d) == 4 == len(set(d)) for d in drawn)
    assert len(set(drawn)) > 1


@pytest.mark.parametrize("kwargs, message", [
    ({"opens_at": DUE, "due_at": OPENS}, "due date comes after"),
    ({"opens_at": OPENS, "due_at": DUE, "draw": 0}, "draw between 1 and 7"),
    ({"opens_at": OPENS, "due_at": DUE, "draw": 8}, "draw between 1 and 7"),
])
def test_impossible_assignments_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        sim.attempts(rng(), sim.students(rng()), sim.items(rng(), QUESTIONS), **kwargs)  # type: ignore[arg-type]


# --- flashcard reviews -------------------------------------------------------------------------

def student(diligence: float, ability: float = 0.0, studies_until: float = 1.0) -> sim.SimulatedStudent:
    return sim.SimulatedStudent("Awa Diallo", "awa.diallo", ability, diligence, studies_until)


CARDS = sim.items(rng(17), [sim.DemoQuestion(f"card-{i}", ("easy", "medium", "hard")[i % 3]) for i in range(30)])
START = NOW - timedelta(days=28)


def test_a_review_history_is_in_time_order_before_now_and_replays_to_the_same_cards() -> None:
    history = sim.reviews(rng(), student(0.8), CARDS, start=START, now=NOW)
    assert history
    times = [h.reviewed_at for h in history]
    assert times == sorted(times) and START <= times[0] and times[-1] < NOW
    assert {h.rating for h in history} <= {1, 2, 3, 4}
    # replayed through the app's scheduler, each review gives the card stored with it
    sched = scheduling.scheduler()
    states: dict[str, scheduling.Reviewed] = {}
    for h in history:
        before = states.get(h.question_id)
        assert h.status_before == (before.status if before else "new")
        states[h.question_id] = scheduling.review(before.state if before else None, h.rating, h.reviewed_at, sched)
        assert states[h.question_id] == h.after


def test_new_cards_come_at_most_ten_a_day_and_all_in_one_evening() -> None:
    history = sim.reviews(rng(), student(1.0), CARDS, start=START, now=NOW)
    first_seen: dict[str, datetime] = {}
    for h in history:
        first_seen.setdefault(h.question_id, h.reviewed_at)
    per_day: dict[object, int] = {}
    for moment in first_seen.values():
        per_day[moment.date()] = per_day.get(moment.date(), 0) + 1
    assert max(per_day.values()) <= sim.NEW_PER_DAY and len(first_seen) == 30
    assert all(16 <= h.reviewed_at.hour <= 23 for h in history)


def test_a_student_who_never_studies_has_no_reviews() -> None:
    assert sim.reviews(rng(), student(0.0), CARDS, start=START, now=NOW) == []


def overdue_and_recall(history: list[sim.SimulatedReview]) -> tuple[int, float]:
    sched = scheduling.scheduler()
    last = {h.question_id: h.after for h in history}
    overdue = sum(1 for card in last.values() if card.due < NOW)
    recall = statistics.mean(scheduling.retrievability(card.state, NOW, sched) for card in last.values())
    return overdue, recall


def test_diligent_students_keep_up_and_the_others_fall_behind() -> None:
    keen = [overdue_and_recall(sim.reviews(rng(seed), student(0.95), CARDS, start=START, now=NOW)) for seed in range(8)]
    lax = [overdue_and_recall(sim.reviews(rng(seed), student(0.25), CARDS, start=START, now=NOW)) for seed in range(8)]
    assert statistics.mean(o for o, _r in keen) < statistics.mean(o for o, _r in lax)
    assert statistics.mean(r for _o, r in keen) > statistics.mean(r for _o, r in lax)


def test_a_student_who_stops_studying_lets_recall_fade_and_cards_pile_up() -> None:
    halfway = START + (NOW - START) / 2
    quitter = [sim.reviews(rng(seed), student(0.9, studies_until=0.5), CARDS, start=START, now=NOW) for seed in range(6)]
    steady = [sim.reviews(rng(seed), student(0.9), CARDS, start=START, now=NOW) for seed in range(6)]
    assert all(h.reviewed_at < halfway + timedelta(hours=8) for history in quitter for h in history)
    quit_figures = [overdue_and_recall(history) for history in quitter]
    steady_figures = [overdue_and_recall(history) for history in steady]
    assert statistics.mean(o for o, _r in quit_figures) > statistics.mean(o for o, _r in steady_figures) + 5
    assert statistics.mean(r for _o, r in quit_figures) < statistics.mean(r for _o, r in steady_figures) - 0.1


def test_some_students_stop_studying_part_way() -> None:
    roster = sim.students(rng(), count=400)
    quitters = [s.studies_until for s in roster if s.studies_until < 1]
    assert 0.08 * 400 < len(quitters) < 0.22 * 400
    assert all(sim.QUIT_AFTER[0] <= until <= sim.QUIT_AFTER[1] for until in quitters)


def test_stronger_students_forget_less() -> None:
    def lapses(ability: float) -> int:
        return sum(sum(h.rating == 1 for h in sim.reviews(rng(seed), student(0.8, ability), CARDS, start=START,
                                                          now=NOW)) for seed in range(6))
    assert lapses(2.0) < lapses(-2.0)


def test_reviews_need_utc_times() -> None:
    with pytest.raises(ValueError, match="UTC"):
        sim.reviews(rng(), student(1.0), CARDS, start=START.replace(tzinfo=None), now=NOW)
