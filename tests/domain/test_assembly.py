"""Quiz assembly: no question is shown before a question whose answer it gives away."""
from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from quiz.domain.assembly import Candidate, choose, gives_away, giveaways, order_all
from quiz.domain.question_types import QUESTION_TYPES
from quiz.services.banks import load_banks

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"


def cand(qid: str, *, answers: tuple[str, ...] = (), prompt: str = "", explanation: str = "",
         data: dict[str, Any] | None = None) -> Candidate:
    return Candidate.of(qid, prompt, explanation, data or {}, answers)


SEVARE = cand("airport", prompt="Name the town with a major airport.", answers=("Sévaré", "Sevare"))


@pytest.mark.parametrize(("earlier", "expected"), [
    # the explanation (shown as feedback) names the answer, with or without accents or case
    (cand("konna", explanation="Losing Konna opened the road to the Sévaré airfield."), True),
    (cand("konna", explanation="…towards Mopti and the SEVARE airfield."), True),
    (cand("konna", explanation="Sévaré, next to Mopti."), True),
    # the prompt or an option names it
    (cand("p", prompt="How far is Sévaré from Mopti?"), True),
    (cand("o", data={"answer": "Gao", "distractors": ["Sevaré", "Kidal"]}), True),
    # word-bounded: a longer word that contains the answer is not it
    (cand("w", explanation="The Sevarean plains."), False),
    (cand("w", explanation="Nothing about it."), False),
])
def test_gives_away(earlier: Candidate, expected: bool) -> None:
    assert gives_away(earlier, SEVARE) is expected


@pytest.mark.parametrize(("answers", "text", "expected"), [
    (("Operation Serval",), "The operation was named Serval.", False),  # only part of the answer
    (("Serval", "Operation Serval"), "The operation was named Serval.", True),  # an accepted variant
    (("the Barkhane force",), "Barkhane took over.", False),
    (("Barkhane",), "Serval gave way to the Sahel-wide Barkhane.", True),
    (("Ansar Dine",), "AQIM, MUJAO and Ansar-Dine joined.", True),  # punctuation is a space
    (("AQIM",), "AQIMs", False),
])
def test_answers_and_variants_are_matched_as_whole_words(answers: tuple[str, ...], text: str,
                                                         expected: bool) -> None:
    assert gives_away(cand("a", explanation=text), cand("b", answers=answers)) is expected


def test_a_question_never_gives_itself_away() -> None:
    own = cand("x", answers=("Konna",), explanation="Konna fell on 10 January.")
    assert not gives_away(own, own)


def test_the_giveaway_is_ordered_after_the_question_it_gives_away() -> None:
    konna = cand("konna", answers=("Konna",), explanation="Losing Konna opened the road to the Sévaré airfield.")
    plain = [cand(f"q{i}", answers=(f"answer{i}",)) for i in range(6)]
    for seed in range(50):
        order = choose([konna, SEVARE, *plain], 8, random.Random(seed))
        assert sorted(order) == sorted(["konna", "airport", *(p.id for p in plain)])  # nothing dropped
        assert order.index("airport") < order.index("konna")


def test_two_questions_that_give_each_other_away_are_not_in_one_quiz() -> None:
    konna = cand("konna", answers=("Konna",), explanation="Holding Sévaré mattered.")
    sevare = cand("sevare", answers=("Sévaré",), explanation="Close to the front line at Konna.")
    plain = [cand(f"q{i}", answers=(f"answer{i}",)) for i in range(5)]
    for seed in range(30):
        order = choose([konna, sevare, *plain], 6, random.Random(seed))
        assert len(order) == 6  # the length is kept by drawing another question
        assert not {"konna", "sevare"} <= set(order)


def test_a_chain_is_ordered_and_a_longer_circle_is_broken() -> None:
    a = cand("a", answers=("Alpha",), explanation="Beta")
    b = cand("b", answers=("Beta",), explanation="Gamma")
    c = cand("c", answers=("Gamma",))
    for seed in range(20):
        assert choose([a, b, c], 3, random.Random(seed)) == ["c", "b", "a"]
    circle_c = cand("c", answers=("Gamma",), explanation="Alpha")
    for seed in range(20):
        order = choose([a, b, circle_c], 3, random.Random(seed))
        assert len(order) == 2 and not giveaways([{"a": a, "b": b, "c": circle_c}[q] for q in order])


def test_a_retry_keeps_every_question_even_in_a_circle() -> None:
    konna = cand("konna", answers=("Konna",), explanation="Holding Sévaré mattered.")
    sevare = cand("sevare", answers=("Sévaré",), explanation="Close to the front line at Konna.")
    chain = [cand("a", answers=("Alpha",), explanation="Beta"), cand("b", answers=("Beta",))]
    for seed in range(10):
        order = order_all([konna, sevare, *chain], random.Random(seed))
        assert sorted(order) == ["a", "b", "konna", "sevare"]
        assert order.index("b") < order.index("a")


def test_named_answers_of_the_types() -> None:
    types = QUESTION_TYPES
    assert types["mcq"].named_answers({"answer": "Konna", "distractors": ["Gao"]}) == ("Konna",)
    assert types["short"].named_answers({"answer": "Sévaré", "accept": ["Sevare"], "fuzzy": True}) == ("Sévaré", "Sevare")
    assert types["multi"].named_answers({"answers": ["AQIM", "MUJAO"], "distractors": ["MNLA"]}) == ("AQIM", "MUJAO")
    assert types["cloze"].named_answers({"gaps": [["Serval", "Sérval"], ["Barkhane"]], "fuzzy": True}) == (
        "Serval", "Sérval", "Barkhane")
    assert types["number"].named_answers({"answer": 3, "tolerance": 0}) == ()


# --- the bundled banks ----------------------------------------------------------------

def _bank_candidates() -> dict[str, list[Candidate]]:
    banks = load_banks([QUESTIONS])
    by_bank = {bank.id: [Candidate.of(q.id, q.prompt, q.explanation, q.data,
                                      QUESTION_TYPES[q.type].named_answers(q.data)) for q in bank.questions]
               for bank in banks}
    by_bank["all banks"] = [c for cands in list(by_bank.values()) for c in cands]
    return by_bank


def test_the_konna_explanation_comes_after_the_airport_town_question() -> None:
    examples = {c.id: c for c in _bank_candidates()["examples"]}
    assert gives_away(examples["ex-mcq"], examples["ex-short"])  # the case the issue reported
    for seed in range(100):
        order = choose(list(examples.values()), 10, random.Random(seed))
        assert len(order) == 10
        assert order.index("ex-short") < order.index("ex-mcq")


def test_no_quick_quiz_from_the_bundled_banks_has_a_giveaway() -> None:
    for bank_id, candidates in _bank_candidates().items():
        by_id = {c.id: c for c in candidates}
        found_pairs = sum(gives_away(a, b) for a in candidates for b in candidates)
        assert found_pairs, f"{bank_id}: no giveaway at all — the check would be empty"
        for seed in range(150):
            order = choose(candidates, 10, random.Random(seed))
            assert len(order) == min(10, len(candidates)), bank_id
            assert giveaways([by_id[q] for q in order]) == [], (bank_id, seed)
