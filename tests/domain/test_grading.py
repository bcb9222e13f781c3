"""Grading every question type: scores, partial credit and the feedback a learner reads."""
from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest

from quiz.domain.question_types import QUESTION_TYPES, Grade, Unreadable, grade

# Answer data shaped exactly as each type's read() produces it.
MCQ = {"answer": "Konna", "distractors": ["Gao", "Kidal", "Tessalit"]}
MULTI = {"answers": ["AQIM", "MUJAO", "Ansar Dine"], "distractors": ["MNLA", "Boko Haram"]}
TRUE = {"answer": True}
FALSE = {"answer": False}
SHORT = {"answer": "Sévaré", "accept": ["Sevare"], "fuzzy": True}
SHORT_STRICT = {"answer": "MINUSMA", "accept": [], "fuzzy": False}
SHORT_MALI = {"answer": "Mali", "accept": [], "fuzzy": True}
SHORT_SAHEL = {"answer": "the Sahel", "accept": [], "fuzzy": True}
SHORT_FR = {"answer": "l'Adrar des Ifoghas", "accept": [], "fuzzy": True}
NUMBER = {"answer": 3000, "tolerance": 500, "unit": "troops"}
NUMBER_EXACT = {"answer": 2.5, "tolerance": 0, "unit": None}
NUMBER_DECIMAL_TOLERANCE = {"answer": 0.3, "tolerance": 0.1, "unit": "km"}
DAY = {"answer": "2013-01-11", "precision": "day", "tolerance": 1}
MONTH = {"answer": "2014-08", "precision": "month", "tolerance": 2}
YEAR = {"answer": "2013", "precision": "year", "tolerance": 0}
ORDER = {"items": [
    {"text": "Jihadist groups seize Konna", "date": "2013-01-10"},
    {"text": "France launches its intervention", "date": "2013-01-11"},
    {"text": "Barkhane takes over from Serval", "date": "2014-08"},
    {"text": "A French soldier is killed in a clash in northern Mali", "date": "2014-10"},
]}
KONNA, LAUNCH, BARKHANE, SOLDIER = (item["text"] for item in ORDER["items"])
MATCH = {"pairs": [
    {"left": "Serval", "right": "The 2013 intervention in Mali"},
    {"left": "Barkhane", "right": "The regional operation from 2014"},
    {"left": "Takuba", "right": "The European special forces task force"},
    {"left": "EUTM", "right": "The EU training mission"},
], "distractors": ["The UN stabilisation mission"]}
SERVAL, BARKHANE_R, TAKUBA, EUTM = (pair["right"] for pair in MATCH["pairs"])
CLOZE = {"gaps": [["Serval", "Sérval"], ["Barkhane"]], "fuzzy": True}
CLOZE_STRICT = {"gaps": [["Serval", "Sérval"], ["Barkhane"]], "fuzzy": False}
CLOZE_ONE = {"gaps": [["Mopti"]], "fuzzy": True}
CLOZE_LOOKALIKE = {"gaps": [["Marseille"], ["Marseilles"]], "fuzzy": True}
CARD = {"back": "The United Nations stabilisation mission in Mali, deployed from 2013."}

NBSP, NNBSP = "\u00a0", "\u202f"

# (type, data, response, score, words the feedback must contain — all of them, in order of listing)
CASES: list[tuple[str, str, dict[str, Any], Any, float, tuple[str, ...]]] = [
    # --- mcq ---
    ("mcq right", "mcq", MCQ, "Konna", 1.0, ()),
    ("mcq wrong option", "mcq", MCQ, "Gao", 0.0, ("The answer is “Konna”.",)),
    ("mcq None", "mcq", MCQ, None, 0.0, ("No option was chosen", "“Konna”")),
    ("mcq empty", "mcq", MCQ, "", 0.0, ("No option was chosen",)),
    ("mcq only spaces", "mcq", MCQ, f" {NBSP} ", 0.0, ("No option was chosen",)),
    ("mcq surrounding whitespace", "mcq", MCQ, "  Konna\n", 1.0, ()),
    ("mcq other case", "mcq", MCQ, "konna", 1.0, ()),
    ("mcq not an option", "mcq", MCQ, "Timbuktu", 0.0, ("“Timbuktu” is not one of the options", "“Konna”")),
    ("mcq garbage list", "mcq", MCQ, ["Konna"], 0.0, ("Please choose one of the options",)),
    ("mcq garbage number", "mcq", MCQ, 42, 0.0, ("Please choose one of the options",)),
    ("mcq accented option", "mcq", {"answer": "Sévaré", "distractors": ["Sevare", "Mopti"]}, "Sevare", 0.0,
     ("The answer is “Sévaré”.",)),
    # --- multi ---
    ("multi all right", "multi", MULTI, ["AQIM", "MUJAO", "Ansar Dine"], 1.0, ()),
    ("multi any order", "multi", MULTI, ["Ansar Dine", "AQIM", "MUJAO"], 1.0, ()),
    ("multi two of three", "multi", MULTI, ["AQIM", "MUJAO"], 2 / 3, ("You missed “Ansar Dine”.",)),
    ("multi one right one wrong", "multi", MULTI, ["AQIM", "MNLA"], 0.0,
     ("You missed “MUJAO” and “Ansar Dine”.", "“MNLA” is not a right answer.")),
    ("multi all right plus a wrong pick", "multi", MULTI, ["AQIM", "MUJAO", "Ansar Dine", "MNLA"], 2 / 3,
     ("“MNLA” is not a right answer.",)),
    ("multi never below zero", "multi", MULTI, ["MNLA", "Boko Haram"], 0.0,
     ("“MNLA” and “Boko Haram” are not right answers.",)),
    ("multi everything ticked", "multi", MULTI, ["AQIM", "MUJAO", "Ansar Dine", "MNLA", "Boko Haram"], 1 / 3, ()),
    ("multi empty list", "multi", MULTI, [], 0.0, ("No option was chosen", "“AQIM”, “MUJAO” and “Ansar Dine”")),
    ("multi None", "multi", MULTI, None, 0.0, ("No option was chosen",)),
    ("multi duplicate pick counts once", "multi", MULTI, ["AQIM", "AQIM", "aqim "], 1 / 3, ("You missed",)),
    ("multi unknown pick is a wrong pick", "multi", MULTI, ["AQIM", "MUJAO", "Ansar Dine", "Wagner"], 2 / 3,
     ("“Wagner” is not one of the options.",)),
    ("multi single string", "multi", MULTI, "AQIM", 1 / 3, ("You missed",)),
    ("multi garbage", "multi", MULTI, {"AQIM": True}, 0.0, ("Please tick",)),
    # --- truefalse ---
    ("truefalse true right", "truefalse", TRUE, True, 1.0, ()),
    ("truefalse true wrong", "truefalse", TRUE, False, 0.0, ("The statement is true.",)),
    ("truefalse false right", "truefalse", FALSE, False, 1.0, ()),
    ("truefalse false wrong", "truefalse", FALSE, True, 0.0, ("The statement is false.",)),
    ("truefalse None", "truefalse", TRUE, None, 0.0, ("No answer was given.", "The statement is true.")),
    ("truefalse string is garbage", "truefalse", TRUE, "true", 0.0, ("Please choose True or False.",)),
    ("truefalse empty string", "truefalse", FALSE, "", 0.0, ("Please choose True or False.",)),
    ("truefalse 1 is not True", "truefalse", TRUE, 1, 0.0, ("Please choose True or False.",)),
    ("truefalse list", "truefalse", FALSE, [False], 0.0, ("Please choose True or False.",)),
    ("truefalse dict", "truefalse", TRUE, {}, 0.0, ("The statement is true.",)),
    # --- short ---
    ("short exact", "short", SHORT, "Sévaré", 1.0, ()),
    ("short listed alternative", "short", SHORT, "Sevare", 1.0, ()),
    ("short case and spaces", "short", SHORT, f"  sÉVARÉ{NBSP} ", 1.0, ()),
    ("short accents differ", "short", SHORT_FR, "l'Adrar des Ifôghas", 1.0,
     ("You wrote “l'Adrar des Ifôghas” — accepted as “l'Adrar des Ifoghas”.",)),
    ("short accent-only difference", "short", {"answer": "Sévaré", "accept": [], "fuzzy": False}, "Sevaré", 1.0,
     ("You wrote “Sevaré” — accepted as “Sévaré”.",)),
    ("short punctuation", "short", SHORT, "Sévaré!?", 1.0, ()),
    ("short fuzzy near miss", "short", SHORT, "Sevarre", 1.0, ("You wrote “Sevarre” — accepted as “Sévaré”.",)),
    ("short fuzzy swapped letters", "short", {"answer": "Konna", "accept": [], "fuzzy": True}, "Knona", 1.0,
     ("accepted as “Konna”",)),
    ("short fuzzy refuses a different word", "short", SHORT, "Mopti", 0.0, ("The answer is “Sévaré”.",)),
    ("short fuzzy refuses two typos in six letters", "short", SHORT, "Sivarre", 0.0, ("“Sévaré”",)),
    ("short fuzzy false refuses a near miss", "short", SHORT_STRICT, "MINUSNA", 0.0, ("The answer is “MINUSMA”.",)),
    ("short fuzzy false still ignores case and dots", "short", SHORT_STRICT, "M.I.N.U.S.M.A.", 1.0, ()),
    ("short Gao is not Mali", "short", SHORT_MALI, "Gao", 0.0, ("The answer is “Mali”.",)),
    ("short no fuzziness under five letters", "short", SHORT_MALI, "Bali", 0.0, ("“Mali”",)),
    ("short leading article in the answer", "short", SHORT_SAHEL, "Sahel", 1.0, ()),
    ("short leading article in the response", "short", SHORT, "the Sévaré", 1.0, ()),
    ("short French article with curly apostrophe", "short", SHORT_FR, "L’Adrar des Ifoghas", 1.0, ()),
    ("short French article dropped", "short", SHORT_FR, "Adrar des Ifoghas", 1.0, ()),
    ("short article alone is not an answer", "short", SHORT_SAHEL, "the", 0.0, ("“the Sahel”",)),
    ("short None", "short", SHORT, None, 0.0, ("No answer was given.", "“Sévaré”")),
    ("short empty", "short", SHORT, "", 0.0, ("No answer was given.",)),
    ("short whitespace only", "short", SHORT, f"{NNBSP}\t ", 0.0, ("No answer was given.",)),
    ("short punctuation only", "short", SHORT, "?!", 0.0, ("The answer is “Sévaré”.",)),
    ("short garbage", "short", SHORT, ["Sévaré"], 0.0, ("Please type an answer.",)),
    ("short extra words", "short", SHORT, "Sévaré airport near Mopti", 0.0, ("“Sévaré”",)),
    # --- number ---
    ("number exact", "number", NUMBER, "3000", 1.0, ()),
    ("number comma thousands", "number", NUMBER, "3,000", 1.0, ()),
    ("number space thousands", "number", NUMBER, "3 000", 1.0, ()),
    ("number narrow no-break space thousands", "number", NUMBER, f"3{NNBSP}000", 1.0, ()),
    ("number with unit", "number", NUMBER, "3000 troops", 1.0, ()),
    ("number at tolerance above", "number", NUMBER, "3500", 1.0, ("Close enough", "3000 troops")),
    ("number at tolerance below", "number", NUMBER, "2500", 1.0, ("Close enough",)),
    ("number just outside tolerance", "number", NUMBER, "3501", 0.0,
     ("The answer is 3000 troops; answers within 500 were accepted.",)),
    ("number just outside tolerance below", "number", NUMBER, "2499.9", 0.0, ("3000 troops",)),
    ("number decimal point", "number", NUMBER_EXACT, "2.5", 1.0, ()),
    ("number decimal comma", "number", NUMBER_EXACT, "2,5", 1.0, ()),
    ("number no tolerance", "number", NUMBER_EXACT, "2.6", 0.0, ("The answer is 2.5.",)),
    ("number decimal tolerance edge", "number", NUMBER_DECIMAL_TOLERANCE, "0.4", 1.0, ("Close enough",)),
    ("number decimal tolerance outside", "number", NUMBER_DECIMAL_TOLERANCE, "0.41", 0.0, ("0.3 km",)),
    ("number words", "number", NUMBER, "three thousand", 0.0, ("Please type a number.", "3000 troops")),
    ("number range", "number", NUMBER, "3000-3500", 0.0, ("Please type a number.",)),
    ("number empty", "number", NUMBER, "", 0.0, ("No answer was given.",)),
    ("number None", "number", NUMBER, None, 0.0, ("No answer was given.", "3000 troops")),
    ("number negative", "number", NUMBER, "-3000", 0.0, ("The answer is 3000 troops",)),
    ("number garbage", "number", NUMBER, ["3000"], 0.0, ("Please type a number.",)),
    # --- date ---
    ("date exact day", "date", DAY, "2013-01-11", 1.0, ()),
    ("date at tolerance after", "date", DAY, "2013-01-12", 1.0, ("Close enough (1 day off)", "11 January 2013")),
    ("date at tolerance before", "date", DAY, "2013-01-10", 1.0, ("Close enough",)),
    ("date just outside tolerance", "date", DAY, "2013-01-13", 0.0,
     ("The answer is 11 January 2013; yours is 2 days off.",)),
    ("date across a year end", "date", {"answer": "2013-01-01", "precision": "day", "tolerance": 1},
     "2012-12-31", 1.0, ("Close enough (1 day off)", "1 January 2013")),
    ("date single-digit month and day", "date", DAY, "2013-1-11", 1.0, ()),
    ("date spaces around", "date", DAY, f" 2013-01-11{NBSP}", 1.0, ()),
    ("date impossible day", "date", DAY, "2013-02-30", 0.0, ("not a real date", "February 2013 has 28 days")),
    ("date impossible month", "date", MONTH, "2014-13", 0.0, ("not a real date", "no month 13")),
    ("date missing day", "date", DAY, "2013-01", 0.0, ("Please give the day too", "YYYY-MM-DD")),
    ("date missing month and day", "date", DAY, "2013", 0.0, ("Please give the month and the day too",)),
    ("date missing month", "date", MONTH, "2014", 0.0, ("Please give the month too",)),
    ("date finer than asked is compared at the question's precision", "date", YEAR, "2013-12-31", 1.0, ()),
    ("date month tolerance edge", "date", MONTH, "2014-10", 1.0, ("2 months off", "August 2014")),
    ("date month tolerance across years", "date", {"answer": "2014-01", "precision": "month", "tolerance": 2},
     "2013-11", 1.0, ("Close enough (2 months off)", "January 2014")),
    ("date month just outside", "date", MONTH, "2014-11", 0.0, ("3 months off",)),
    ("date year wrong", "date", YEAR, "2012", 0.0, ("The answer is 2013; yours is 1 year off.",)),
    ("date not a date", "date", DAY, "11 January 2013", 0.0, ("Please write the date as YYYY-MM-DD.",)),
    ("date day first", "date", DAY, "11/01/2013", 0.0, ("Please write the date as YYYY-MM-DD.",)),
    ("date empty", "date", DAY, "", 0.0, ("No date was given.", "11 January 2013")),
    ("date None", "date", YEAR, None, 0.0, ("No date was given.",)),
    ("date garbage", "date", YEAR, ["2013"], 0.0, ("Please type a date.",)),
    # --- order ---
    ("order right", "order", ORDER, [KONNA, LAUNCH, BARKHANE, SOLDIER], 1.0, ()),
    ("order reversed", "order", ORDER, [SOLDIER, BARKHANE, LAUNCH, KONNA], 0.0,
     ("0 of 6 pairs", "The right order is “Jihadist groups seize Konna”, “France launches")),
    ("order one swap", "order", ORDER, [LAUNCH, KONNA, BARKHANE, SOLDIER], 5 / 6, ("5 of 6 pairs",)),
    ("order last moved first", "order", ORDER, [SOLDIER, KONNA, LAUNCH, BARKHANE], 3 / 6, ("3 of 6 pairs",)),
    ("order missing item", "order", ORDER, [KONNA, LAUNCH, BARKHANE], 3 / 6,
     ("You left out “A French soldier is killed in a clash in northern Mali”.",)),
    ("order duplicate item", "order", ORDER, [KONNA, KONNA, LAUNCH, BARKHANE, SOLDIER], 3 / 6,
     ("“Jihadist groups seize Konna” is listed more than once",)),
    ("order unknown item is reported", "order", ORDER, [KONNA, LAUNCH, "Operation Takuba", BARKHANE, SOLDIER],
     1.0, ("“Operation Takuba” is not one of the events.",)),
    ("order unknown item replacing one", "order", ORDER, [KONNA, LAUNCH, BARKHANE, "Operation Takuba"], 3 / 6,
     ("not one of the events", "You left out")),
    ("order tolerant of spacing and case", "order", ORDER,
     [f" {KONNA.upper()} ", LAUNCH.replace(" ", NBSP), BARKHANE, SOLDIER], 1.0, ()),
    ("order empty", "order", ORDER, [], 0.0, ("No order was given.",)),
    ("order None", "order", ORDER, None, 0.0, ("No order was given.", "The right order is")),
    ("order garbage", "order", ORDER, {"a": 1}, 0.0, ("Please put the events in order.",)),
    # --- match ---
    ("match all right", "match", MATCH,
     {"Serval": SERVAL, "Barkhane": BARKHANE_R, "Takuba": TAKUBA, "EUTM": EUTM}, 1.0, ()),
    ("match three of four", "match", MATCH,
     {"Serval": SERVAL, "Barkhane": BARKHANE_R, "Takuba": TAKUBA, "EUTM": "The UN stabilisation mission"}, 0.75,
     ("“EUTM” goes with “The EU training mission”, not “The UN stabilisation mission”.",)),
    ("match two swapped", "match", MATCH,
     {"Serval": BARKHANE_R, "Barkhane": SERVAL, "Takuba": TAKUBA, "EUTM": EUTM}, 0.5,
     ("“Serval” goes with", "“Barkhane” goes with")),
    ("match one left unmatched", "match", MATCH, {"Serval": SERVAL, "Barkhane": BARKHANE_R, "Takuba": TAKUBA},
     0.75, ("“EUTM” was not matched; it goes with “The EU training mission”.",)),
    ("match empty choice", "match", MATCH,
     {"Serval": SERVAL, "Barkhane": "", "Takuba": TAKUBA, "EUTM": EUTM}, 0.75, ("“Barkhane” was not matched",)),
    ("match same right twice", "match", MATCH,
     {"Serval": SERVAL, "Barkhane": SERVAL, "Takuba": SERVAL, "EUTM": SERVAL}, 0.25, ("not “The 2013",)),
    ("match unknown left ignored", "match", MATCH,
     {"Serval": SERVAL, "Barkhane": BARKHANE_R, "Takuba": TAKUBA, "EUTM": EUTM, "Sangaris": SERVAL}, 1.0,
     ("“Sangaris” is not one of the items to match.",)),
    ("match tolerant of spacing", "match", MATCH,
     {" Serval ": f"{SERVAL} ", "Barkhane": BARKHANE_R, "Takuba": TAKUBA, "EUTM": EUTM}, 1.0, ()),
    ("match empty", "match", MATCH, {}, 0.0, ("“Serval” was not matched",)),
    ("match None", "match", MATCH, None, 0.0, ("was not matched",)),
    ("match garbage", "match", MATCH, ["Serval"], 0.0, ("Please match each item.", "“Serval” goes with")),
    ("match non-text values", "match", MATCH, {"Serval": 3, "Barkhane": None, "Takuba": TAKUBA, "EUTM": EUTM},
     0.5, ("“Serval” was not matched",)),
    # --- cloze ---
    ("cloze all right", "cloze", CLOZE, ["Serval", "Barkhane"], 1.0, ()),
    ("cloze second alternative", "cloze", CLOZE, ["Sérval", "barkhane"], 1.0, ()),
    ("cloze one of two", "cloze", CLOZE, ["Serval", "Takuba"], 0.5,
     ("Gap 2: You wrote “Takuba”. The answer is “Barkhane”.",)),
    ("cloze near miss", "cloze", CLOZE, ["Servall", "Barkane"], 1.0,
     ("Gap 1: You wrote “Servall” — accepted as “Serval”.", "Gap 2: You wrote “Barkane”")),
    ("cloze fuzzy false refuses near miss", "cloze", CLOZE_STRICT, ["Servall", "Barkhane"], 0.5,
     ("Gap 1: You wrote “Servall”. The answer is “Serval”.",)),
    ("cloze answers swapped", "cloze", CLOZE, ["Barkhane", "Serval"], 0.0, ("Gap 1", "Gap 2")),
    ("cloze near miss closer to another gap", "cloze", CLOZE_LOOKALIKE, ["Marseilles", "Marseilles"], 0.5,
     ("Gap 1: You wrote “Marseilles”. The answer is “Marseille”.",)),
    ("cloze empty gap", "cloze", CLOZE, ["Serval", " "], 0.5, ("Gap 2: No answer was given.",)),
    ("cloze fewer answers than gaps", "cloze", CLOZE, ["Serval"], 0.5, ("Gap 2: No answer was given.",)),
    ("cloze None", "cloze", CLOZE, None, 0.0, ("Gap 1: No answer was given.", "“Barkhane”")),
    ("cloze single gap needs no number", "cloze", CLOZE_ONE, ["the Mopti"], 1.0, ()),
    ("cloze single gap wrong", "cloze", CLOZE_ONE, ["Gao"], 0.0, ("You wrote “Gao”. The answer is “Mopti”.",)),
    ("cloze accents and spaces", "cloze", CLOZE, [f"  SERVAL{NBSP}", "Barkhané"], 1.0,
     ("Gap 2: You wrote “Barkhané” — accepted as “Barkhane”.",)),
    ("cloze garbage", "cloze", CLOZE, {"0": "Serval"}, 0.0, ("Please fill in the gaps.",)),
    ("cloze non-text gap", "cloze", CLOZE, [None, "Barkhane"], 0.5, ("Gap 1: No answer was given.",)),
    # --- card ---
    ("card knew it", "card", CARD, True, 1.0, ()),
    ("card did not know it", "card", CARD, False, 0.0, ()),
    ("card None", "card", CARD, None, 0.0, ("No answer was given.",)),
    ("card string yes is garbage", "card", CARD, "yes", 0.0, ("Please say whether you knew it.",)),
    ("card empty string", "card", CARD, "", 0.0, ("Please say whether you knew it.",)),
    ("card 1 is not True", "card", CARD, 1, 0.0, ("Please say",)),
    ("card 0 is not False", "card", CARD, 0, 0.0, ("Please say",)),
    ("card list", "card", CARD, [True], 0.0, ("Please say",)),
    ("card dict", "card", CARD, {"knew": True}, 0.0, ("Please say",)),
    ("card float", "card", CARD, 1.0, 0.0, ("Please say",)),
]


@pytest.mark.parametrize(("qtype", "data", "response", "score", "words"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_grade(qtype: str, data: dict[str, Any], response: Any, score: float, words: tuple[str, ...]) -> None:
    result = grade(qtype, data, response)
    assert result.score == pytest.approx(score)
    feedback = " ".join(result.feedback)
    for word in words:
        assert word in feedback, f"{word!r} not in {result.feedback!r}"
    if not words and score == 1.0:
        assert result.feedback == (), "a plainly right answer needs no feedback"


def test_every_type_has_at_least_ten_cases() -> None:
    counts = {name: sum(1 for case in CASES if case[1] == name) for name in QUESTION_TYPES}
    assert all(count >= 10 for count in counts.values()), counts


@pytest.mark.parametrize(("score", "correct", "partial"), [
    (1.0, True, False), (0.9995, True, False), (2 / 3, False, True), (0.0, False, False),
])
def test_grade_correct_and_partial(score: float, correct: bool, partial: bool) -> None:
    assert (Grade(score).correct, Grade(score).partial) == (correct, partial)


@pytest.mark.parametrize("score", [-0.1, 1.5])
def test_grade_score_stays_between_zero_and_one(score: float) -> None:
    with pytest.raises(ValueError):
        Grade(score)


def test_unknown_type_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown question type 'essay'"):
        grade("essay", {}, "text")


def test_grading_never_changes_the_data() -> None:
    before = repr(CLOZE), repr(ORDER), repr(MATCH)
    grade("cloze", CLOZE, ["Servall", None])
    grade("order", ORDER, [SOLDIER, KONNA])
    grade("match", MATCH, {"Serval": TAKUBA})
    assert (repr(CLOZE), repr(ORDER), repr(MATCH)) == before


def _orders_shown(data: dict[str, Any], trials: int) -> Counter[tuple[str, ...]]:
    """How often each order is shown over many attempts (seeded as a quiz seeds them)."""
    order = QUESTION_TYPES["order"]
    return Counter(tuple(order.present("Put in order", data, random.Random(f"{attempt}:q-order"))["items"])
                   for attempt in range(trials))


def test_a_two_event_order_question_is_shown_in_the_right_order_half_the_time() -> None:
    data = {"items": ORDER["items"][:2]}
    shown = _orders_shown(data, 4000)
    assert set(shown) == {(KONNA, LAUNCH), (LAUNCH, KONNA)}
    assert 0.45 < shown[(KONNA, LAUNCH)] / 4000 < 0.55  # ±6 standard deviations of a fair coin


def test_every_order_of_three_events_is_equally_likely() -> None:
    data = {"items": ORDER["items"][:3]}
    shown = _orders_shown(data, 6000)
    assert len(shown) == 6  # the right order among them
    assert all(850 < count < 1150 for count in shown.values()), shown  # 1000 expected, σ ≈ 29


# --- options shown in a fixed order (a teacher turned option shuffling off) ----------
MCQ_MIXED_CASE = {"answer": "gao", "distractors": ["Tessalit", "Kidal", "Ansongo"]}

# (name, type, data, what the quiz shows under that key when options are not shuffled)
FIXED: list[tuple[str, str, dict[str, Any], str, list[str]]] = [
    ("mcq alphabetical, not answer first", "mcq", MCQ, "options", ["Gao", "Kidal", "Konna", "Tessalit"]),
    ("mcq ignores case", "mcq", MCQ_MIXED_CASE, "options", ["Ansongo", "gao", "Kidal", "Tessalit"]),
    ("multi alphabetical", "multi", MULTI, "options", ["Ansar Dine", "AQIM", "Boko Haram", "MNLA", "MUJAO"]),
]


@pytest.mark.parametrize("name, qtype, data, key, expected", FIXED, ids=[row[0] for row in FIXED])
def test_options_in_a_fixed_order_whatever_the_seed(name: str, qtype: str, data: dict[str, Any], key: str,
                                                    expected: list[str]) -> None:
    shown = {tuple(QUESTION_TYPES[qtype].shown("?", data, random.Random(seed), shuffle_options=False)[key])
             for seed in range(40)}
    assert shown == {tuple(expected)}


# (type, data, key shown, the teacher's choice): still shuffled from attempt to attempt
STILL_SHUFFLED: list[tuple[str, dict[str, Any], str, bool]] = [
    ("order", {"items": ORDER["items"]}, "items", False),  # its shuffled order is the question
    ("match", MATCH, "rights", False),  # so is its right-hand column
    ("mcq", MCQ, "options", True),  # options shuffled: the default
    ("multi", MULTI, "options", True),
]


@pytest.mark.parametrize("qtype, data, key, shuffle_options", STILL_SHUFFLED)
def test_order_and_match_keep_shuffling_and_options_shuffle_by_default(qtype: str, data: dict[str, Any], key: str,
                                                                       shuffle_options: bool) -> None:
    shown = {tuple(QUESTION_TYPES[qtype].shown("?", data, random.Random(seed), shuffle_options=shuffle_options)[key])
             for seed in range(40)}
    assert len(shown) > 1


# --- reading the submitted form -------------------------------------------------------
OPTIONS = {"options": ["Gao", "Konna", "Kidal", "Tessalit"]}
EVENTS = {"items": [LAUNCH, KONNA, BARKHANE]}
LEFTS = {"lefts": ["Serval", "Barkhane"], "rights": [BARKHANE_R, SERVAL, TAKUBA]}

# (name, type, what the quiz showed, the form, the response read)
READABLE: list[tuple[str, str, dict[str, Any], dict[str, list[str]], Any]] = [
    ("mcq option", "mcq", OPTIONS, {"choice": ["Konna"]}, "Konna"),
    ("multi ticks in shown order", "multi", OPTIONS, {"choice": ["Kidal", "Gao", "Wagner"]}, ["Gao", "Kidal"]),
    ("truefalse false", "truefalse", {}, {"choice": ["false"]}, False),
    ("short trimmed", "short", {}, {"answer": ["  Sévaré "]}, "Sévaré"),
    ("short at the limit", "short", {}, {"answer": ["x" * 500]}, "x" * 500),
    ("number with unit", "number", {}, {"answer": ["3 000 troops"]}, "3 000 troops"),
    ("number in Arabic-Indic digits", "number", {}, {"answer": ["٣٠٠٠"]}, "٣٠٠٠"),
    ("date day", "date", {"precision": "day"}, {"day": ["1"], "month": ["1"], "year": ["2013"]}, "2013-01-01"),
    ("date month", "date", {"precision": "month"}, {"month": ["8"], "year": ["2014"]}, "2014-08"),
    ("date year in Arabic-Indic digits", "date", {"precision": "year"}, {"year": ["٢٠١٣"]}, "2013"),
    ("date early year", "date", {"precision": "year"}, {"year": ["732"]}, "0732"),
    ("order by place", "order", EVENTS, {"pos-0": ["2"], "pos-1": ["1"], "pos-2": ["3"]}, [KONNA, LAUNCH, BARKHANE]),
    ("match", "match", LEFTS, {"match-0": [SERVAL], "match-1": [BARKHANE_R]},
     {"Serval": SERVAL, "Barkhane": BARKHANE_R}),
    ("cloze", "cloze", {"gaps": 2}, {"gap-0": [" Serval"], "gap-1": ["Barkhane"]}, ["Serval", "Barkhane"]),
    ("card yes", "card", {}, {"knew": ["yes"]}, True),
    ("card no", "card", {}, {"knew": ["no"]}, False),
]

# (name, type, shown, form, words of the message, the field pointed at)
UNREADABLE: list[tuple[str, str, dict[str, Any], dict[str, list[str]], str, str]] = [
    ("mcq nothing chosen", "mcq", OPTIONS, {}, "choose one of the options", "choice"),
    ("mcq not an option", "mcq", OPTIONS, {"choice": ["Timbuktu"]}, "choose one of the options", "choice"),
    ("multi nothing ticked", "multi", OPTIONS, {}, "No option is ticked", "choice"),
    ("multi only unknown ticks", "multi", OPTIONS, {"choice": ["Wagner"]}, "No option is ticked", "choice"),
    ("truefalse nothing chosen", "truefalse", {}, {"choice": [""]}, "choose True or False", "choice"),
    ("short empty", "short", {}, {"answer": [" \u00a0 "]}, "The answer box is empty", "answer"),
    ("short missing", "short", {}, {}, "The answer box is empty", "answer"),
    ("short too long", "short", {}, {"answer": ["x" * 3000]}, "at most 500 characters and yours has 3,000", "answer"),
    ("number empty", "number", {}, {"answer": [""]}, "The number box is empty", "answer"),
    ("number letters", "number", {}, {"answer": ["about 3000"]}, "“about 3000” is not a number: type it in digits",
     "answer"),
    ("number superscript", "number", {}, {"answer": ["²"]}, "is not a number", "answer"),
    ("number too long", "number", {}, {"answer": ["9" * 5000]}, "at most 100 characters", "answer"),
    ("date letters in the year", "date", {"precision": "month"}, {"month": ["1"], "year": ["abc"]},
     "The Year box takes a year in digits", "year"),
    ("date year 0", "date", {"precision": "day"}, {"day": ["1"], "month": ["1"], "year": ["0"]},
     "from 1 to 9999", "year"),
    ("date superscript year", "date", {"precision": "year"}, {"year": ["²"]}, "The Year box takes a year", "year"),
    ("date year too long", "date", {"precision": "year"}, {"year": ["20130"]}, "The Year box takes a year", "year"),
    ("date no month chosen", "date", {"precision": "month"}, {"month": [""], "year": ["2014"]},
     "Choose a month in the Month menu.", "month"),
    ("date empty boxes in form order", "date", {"precision": "day"}, {},
     "Type the day in the Day box, such as 11. Choose a month in the Month menu. Type the year in the Year box",
     "day"),
    ("date impossible day", "date", {"precision": "day"}, {"day": ["30"], "month": ["2"], "year": ["2013"]},
     "February 2013 has 28 days: the Day box takes 1 to 28.", "day"),
    ("date day letters", "date", {"precision": "day"}, {"day": ["x"], "month": ["2"], "year": ["2013"]},
     "The Day box takes a day of the month", "day"),
    ("order superscript place", "order", EVENTS, {"pos-0": ["²"], "pos-1": ["1"], "pos-2": ["3"]},
     f"Choose a place from 1 to 3 for “{LAUNCH}”.", "pos-0"),
    ("order place out of range", "order", EVENTS, {"pos-0": ["2"], "pos-1": ["1"], "pos-2": ["4"]},
     f"for “{BARKHANE}”", "pos-2"),
    ("order missing places", "order", EVENTS, {"pos-1": ["1"]}, f"for “{LAUNCH}” and “{BARKHANE}”", "pos-0"),
    ("order huge place", "order", EVENTS, {"pos-0": [str(2**70)], "pos-1": ["1"], "pos-2": ["3"]},
     "Choose a place from 1 to 3", "pos-0"),
    ("order same place twice", "order", EVENTS, {"pos-0": ["1"], "pos-1": ["1"], "pos-2": ["3"]},
     f"“{LAUNCH}” and “{KONNA}” both have place 1: give each event a place of its own.", "pos-1"),
    ("match one left blank", "match", LEFTS, {"match-0": [SERVAL], "match-1": [""]},
     "Choose a match for “Barkhane” in its menu.", "match-1"),
    ("match not a shown option", "match", LEFTS, {"match-0": ["Wagner"], "match-1": [SERVAL]},
     "Choose a match for “Serval”", "match-0"),
    ("cloze one gap empty", "cloze", {"gaps": 2}, {"gap-0": ["Serval"], "gap-1": [" "]},
     "Gap 2 is empty: fill in every gap.", "gap-1"),
    ("cloze two gaps empty", "cloze", {"gaps": 3}, {"gap-1": ["x"]}, "Gaps 1 and 3 are empty", "gap-0"),
    ("cloze the only gap empty", "cloze", {"gaps": 1}, {}, "The gap is empty", "gap-0"),
    ("cloze gap too long", "cloze", {"gaps": 2}, {"gap-0": ["x" * 201], "gap-1": ["y"]},
     "Gap 1 takes at most 200 characters", "gap-0"),
    ("card no choice", "card", {}, {}, "Say whether you knew it", "knew"),
    ("card not yes or no", "card", {}, {"knew": ["maybe"]}, "Say whether you knew it", "knew"),
]


@pytest.mark.parametrize(("qtype", "shown", "form", "expected"), [c[1:] for c in READABLE],
                         ids=[c[0] for c in READABLE])
def test_read_response(qtype: str, shown: dict[str, Any], form: dict[str, list[str]], expected: Any) -> None:
    assert QUESTION_TYPES[qtype].read_response(form, shown) == expected


@pytest.mark.parametrize(("qtype", "shown", "form", "words", "field"), [c[1:] for c in UNREADABLE],
                         ids=[c[0] for c in UNREADABLE])
def test_an_unreadable_form_is_sent_back_with_a_message(qtype: str, shown: dict[str, Any],
                                                        form: dict[str, list[str]], words: str, field: str) -> None:
    with pytest.raises(Unreadable) as caught:
        QUESTION_TYPES[qtype].read_response(form, shown)
    assert words in caught.value.message and caught.value.field == field
    assert "YYYY" not in caught.value.message  # it speaks of the boxes and menus the learner sees


def test_every_type_refuses_an_empty_form() -> None:
    shown = {"mcq": OPTIONS, "multi": OPTIONS, "date": {"precision": "year"}, "order": EVENTS, "match": LEFTS,
             "cloze": {"gaps": 1}}
    for name, question_type in QUESTION_TYPES.items():
        with pytest.raises(Unreadable):
            question_type.read_response({}, shown.get(name, {}))


def test_a_year_0_answer_is_graded_not_crashed() -> None:
    result = grade("date", DAY, "0000-01-01")
    assert result.score == 0 and "no year 0" in result.feedback[0].lower()
