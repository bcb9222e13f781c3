"""Item analysis after Moodle's quiz statistics: every figure against arithmetic done by hand on
a small fixture (written out beside each value), and against an independent computation with
numpy on larger seeded data; edge cases give None, never NaN or a division by zero."""
from __future__ import annotations

import dataclasses
import json
import math
import random
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from quiz.domain import item_analysis as ia, item_report

NS = {"svg": "http://www.w3.org/2000/svg"}
QUESTIONS = ("Q1", "Q2", "Q3")
CAPITAL = ia.Item("Q2", "Capital of Mali under Sundiata", options=("Niani", "Gao", "Timbuktu"), keys=("Niani",))


def attempt(name: str, marks: dict[str, float], chose: str | None = None, slots: dict[str, int] | None = None,
            max_mark: float = 1.0) -> ia.Attempt:
    """An attempt from {question: mark}; `chose` is the option picked on Q2, the choice question."""
    return ia.Attempt(tuple(
        ia.Response(qid, mark, max_mark=max_mark, choices=(chose,) if qid == "Q2" and chose else (),
                    slot=(slots or {}).get(qid))
        for qid, mark in marks.items()), name)


# Five attempts at three questions of 1 mark; Q3 gives partial credit; E left Q2 unanswered.
#          Q1  Q2  Q3   T   rest of Q1 / Q2 / Q3
#   A       1   1   1   3       2    2    2
#   B       1   1   0   2       1    1    2
#   C       1   0  .5  1.5     .5   1.5   1
#   D       0   0   0   0       0    0    0
#   E       1   0   1   2       1    2    1
FIXTURE = [
    attempt("A", {"Q1": 1, "Q2": 1, "Q3": 1}, "Niani"),
    attempt("B", {"Q1": 1, "Q2": 1, "Q3": 0}, "Niani"),
    attempt("C", {"Q1": 1, "Q2": 0, "Q3": 0.5}, "Timbuktu"),
    attempt("D", {"Q1": 0, "Q2": 0, "Q3": 0}, "Timbuktu"),
    attempt("E", {"Q1": 1, "Q2": 0, "Q3": 1}),
]
ITEMS = [ia.Item("Q1"), CAPITAL, ia.Item("Q3")]


@pytest.fixture(scope="module")
def fixture_analysis() -> ia.ItemAnalysis:
    return ia.analyse(FIXTURE, ITEMS)


@pytest.mark.parametrize("field, expected", [
    ("attempts", 5),
    ("items", 3),
    ("max_mark", 3.0),
    # totals 3, 2, 1.5, 0, 2: sum 8.5 → mean 1.7; sorted 0, 1.5, 2, 2, 3 → median 2
    ("mean", 1.7),
    ("median", 2.0),
    # deviations 1.3, .3, −.2, −1.7, .3; squares 1.69 + .09 + .04 + 2.89 + .09 = 4.8; 4.8 / 4 = 1.2
    ("standard_deviation", math.sqrt(1.2)),
    # cubes 2.197 + .027 − .008 − 4.913 + .027 = −2.67; fourth powers 2.8561 + .0081 + .0016 + 8.3521 + .0081 = 11.226
    # m2 = .96, m3 = −.534, m4 = 2.2452; k2 = 5 × .96 / 4 = 1.2; k3 = 25 × −.534 / (4 × 3) = −1.1125
    ("skewness", -1.1125 / 1.2 ** 1.5),  # −0.8463
    # k4 = 25 × (6 × 2.2452 − 3 × 4 × .96²) / (4 × 3 × 2) = 25 × 2.412 / 24 = 2.5125; / k2² = 1.44
    ("kurtosis", 2.5125 / 1.44),  # 1.7448
    # item variances: Q1 (.2² × 4 + .8²) / 4 = .2; Q2 (.6² × 2 + .4² × 3) / 4 = .3; Q3 (.5² × 4) / 4 = .25
    # α = 3/2 × (1 − .75 / 1.2) = .5625
    ("internal_consistency", 0.5625),
    ("error_ratio", math.sqrt(0.4375)),  # √(1 − .5625) = .6614
    ("standard_error", math.sqrt(0.4375) * math.sqrt(1.2)),  # .6614 × 1.0954 = .7246
])
def test_quiz_figures_match_hand_arithmetic(fixture_analysis: ia.ItemAnalysis, field: str, expected: float) -> None:
    assert getattr(fixture_analysis.quiz, field) == pytest.approx(expected)


@pytest.mark.parametrize("qid, field, expected", [
    ("Q1", "attempts", 5),
    ("Q1", "facility", 0.8),  # 4 / 5
    ("Q1", "standard_deviation", math.sqrt(0.2)),
    # rest 2, 1, .5, 0, 1 (mean .9): Σ dx·dX = .22 + .02 − .08 + .72 + .02 = .9 → C = .225
    # V(rest) = (1.21 + .01 + .16 + .81 + .01) / 4 = .55; r = .225 / √(.2 × .55) = .6784
    ("Q1", "discrimination_index", 0.225 / math.sqrt(0.2 * 0.55)),
    # sorted pairs (0, 0) (1, .5) (1, 1) (1, 1) (1, 2) give the same .9 → Cmax = C: efficiency 100 %
    ("Q1", "discriminative_efficiency", 1.0),
    ("Q2", "facility", 0.4),  # 2 / 5
    ("Q2", "standard_deviation", math.sqrt(0.3)),
    # rest 2, 1, 1.5, 0, 2 (mean 1.3): .42 − .18 − .08 + .52 − .28 = .4 → C = .1; V(rest) = 2.8 / 4 = .7
    ("Q2", "discrimination_index", 0.1 / math.sqrt(0.3 * 0.7)),  # .2182
    # sorted: x 0 0 0 1 1, rest 0 1 1.5 2 2: .52 + .12 − .08 + .42 + .42 = 1.4 → Cmax .35; .1 / .35
    ("Q2", "discriminative_efficiency", 0.1 / 0.35),  # .2857
    ("Q3", "facility", 0.5),  # 2.5 / 5
    ("Q3", "standard_deviation", 0.5),
    # rest 2, 2, 1, 0, 1 (mean 1.2): .4 − .4 + 0 + .6 − .1 = .5 → C = .125; V(rest) = 2.8 / 4 = .7
    ("Q3", "discrimination_index", 0.125 / math.sqrt(0.25 * 0.7)),  # .2988
    # sorted: x 0 0 .5 1 1, rest 0 1 1 2 2: .6 + .1 + 0 + .4 + .4 = 1.5 → Cmax .375; .125 / .375
    ("Q3", "discriminative_efficiency", 1 / 3),
])
def test_question_figures_match_hand_arithmetic(fixture_analysis: ia.ItemAnalysis, qid: str, field: str,
                                                expected: float) -> None:
    stats = {q.question_id: q for q in fixture_analysis.questions}[qid]
    assert getattr(stats, field) == pytest.approx(expected)


def test_options_are_counted_with_the_key_and_the_one_nobody_chose(fixture_analysis: ia.ItemAnalysis) -> None:
    q1, q2, _q3 = fixture_analysis.questions
    assert [q.question_id for q in fixture_analysis.questions] == ["Q1", "Q2", "Q3"]
    assert q2.label == "Capital of Mali under Sundiata"
    assert [(o.option, o.key, o.count, o.share) for o in q2.options] == [
        ("Niani", True, 2, 0.4), ("Gao", False, 0, 0.0), ("Timbuktu", False, 2, 0.4)]
    assert q2.unanswered == 1  # E chose nothing
    assert q1.options == () and not q1.is_choice


def test_an_option_not_listed_is_still_counted() -> None:
    """A response naming an option the bank no longer lists (edited since) is kept, after the listed ones."""
    stats = ia.analyse([attempt("A", {"Q2": 0}, "Mopti")], [CAPITAL]).questions[0]
    assert [(o.option, o.key, o.count) for o in stats.options] == [
        ("Niani", True, 0), ("Gao", False, 0), ("Timbuktu", False, 0), ("Mopti", False, 1)]


# --- missing items (random draws) ----------------------------------------------------------

# Four attempts each drawing two of three questions, in positions (slots) 1 and 2:
#          slot 1   slot 2   T
#   A      Q1 = 1   Q2 = 1   2
#   B      Q1 = 0   Q3 = 1   1
#   C      Q2 = 0   Q3 = 0   0
#   D      Q1 = 1   Q3 = 0   1
DRAWS = [
    attempt("A", {"Q1": 1, "Q2": 1}, slots={"Q1": 1, "Q2": 2}),
    attempt("B", {"Q1": 0, "Q3": 1}, slots={"Q1": 1, "Q3": 2}),
    attempt("C", {"Q2": 0, "Q3": 0}, slots={"Q2": 1, "Q3": 2}),
    attempt("D", {"Q1": 1, "Q3": 0}, slots={"Q1": 1, "Q3": 2}),
]


def test_a_question_is_analysed_over_the_attempts_that_drew_it() -> None:
    q1 = ia.analyse(DRAWS).questions[0]
    # Q1 in A, B, D: x 1, 0, 1 (mean 2/3), rest 1, 1, 0 (mean 2/3)
    # C = (1/3·1/3 − 2/3·1/3 − 1/3·2/3) / 2 = −1/6; V(x) = V(rest) = (1/9 + 4/9 + 1/9) / 2 = 1/3
    assert q1.attempts == 3
    assert q1.facility == pytest.approx(2 / 3)
    assert q1.standard_deviation == pytest.approx(math.sqrt(1 / 3))
    assert q1.discrimination_index == pytest.approx(-0.5)  # −1/6 / 1/3
    # sorted x 0 1 1 and rest 0 1 1 pair up perfectly: Cmax = 1/3, so efficiency −1/6 / 1/3
    assert q1.discriminative_efficiency == pytest.approx(-0.5)


def test_with_slots_internal_consistency_takes_one_item_per_position() -> None:
    quiz = ia.analyse(DRAWS).quiz
    # totals 2, 1, 0, 1: mean 1, V(T) = (1 + 0 + 1 + 0) / 3 = 2/3
    # slot 1: 1, 0, 0, 1 → V = 1/3; slot 2: 1, 1, 0, 0 → V = 1/3; α = 2 × (1 − (2/3) / (2/3)) = 0
    assert (quiz.attempts, quiz.items, quiz.mean, quiz.median) == (4, 2, 1.0, 1.0)
    assert quiz.internal_consistency == pytest.approx(0.0)
    assert quiz.error_ratio == pytest.approx(1.0)
    assert quiz.standard_error == pytest.approx(math.sqrt(2 / 3))  # 1 × SD


def test_without_slots_each_question_is_an_item() -> None:
    unslotted = [ia.Attempt(tuple(ia.Response(r.question_id, r.score) for r in a.responses)) for a in DRAWS]
    quiz = ia.analyse(unslotted).quiz
    # Q1: 1, 0, 1 → 1/3; Q2: 1, 0 → 1/2; Q3: 1, 0, 0 → 1/3; Σ = 7/6
    # α = 3/2 × (1 − (7/6) / (2/3)) = −1.125: possible when items disagree; shown, not hidden
    assert quiz.items == 3
    assert quiz.internal_consistency == pytest.approx(-1.125)
    assert quiz.error_ratio == pytest.approx(math.sqrt(2.125))


# --- edge cases ----------------------------------------------------------------------------

def test_everyone_scoring_the_same_leaves_undefined_figures_as_none() -> None:
    same = [attempt(name, {"Q1": 1, "Q2": 0, "Q3": 0.5}, "Gao") for name in "ABCD"]
    result = ia.analyse(same, ITEMS)
    quiz = result.quiz
    assert (quiz.mean, quiz.median, quiz.standard_deviation) == (1.5, 1.5, 0.0)
    assert quiz.skewness is None and quiz.kurtosis is None
    assert quiz.internal_consistency is None and quiz.error_ratio is None and quiz.standard_error is None
    for stats in result.questions:
        assert stats.standard_deviation == 0.0
        assert stats.discrimination_index is None and stats.discriminative_efficiency is None
    assert [q.facility for q in result.questions] == [1.0, 0.0, 0.5]


def test_float_crumbs_count_as_no_spread() -> None:
    """0.1 + 0.2 and 0.3 differ by 5.6e-17: the quiz still has no spread, not an α of nonsense."""
    rows = [ia.Attempt((ia.Response("Q1", 0.1), ia.Response("Q2", 0.2))),
            ia.Attempt((ia.Response("Q1", 0.3), ia.Response("Q2", 0.0))),
            ia.Attempt((ia.Response("Q1", 0.0), ia.Response("Q2", 0.3)))]
    quiz = ia.analyse(rows).quiz
    assert quiz.standard_deviation == 0.0
    assert quiz.internal_consistency is None and quiz.skewness is None


def test_one_attempt_has_a_mean_but_no_spread() -> None:
    result = ia.analyse([FIXTURE[0]], ITEMS)
    quiz = result.quiz
    assert (quiz.attempts, quiz.mean, quiz.median) == (1, 3.0, 3.0)
    assert quiz.standard_deviation is None and quiz.internal_consistency is None and quiz.skewness is None
    q1 = result.questions[0]
    assert q1.facility == 1.0
    assert q1.standard_deviation is None and q1.discrimination_index is None


def test_no_attempts_yet() -> None:
    result = ia.analyse([], ITEMS)
    assert result.quiz.attempts == 0 and result.quiz.mean is None and result.quiz.median is None
    assert [q.attempts for q in result.questions] == [0, 0, 0]
    assert all(q.facility is None and q.mean_mark is None for q in result.questions)
    assert [o.count for o in result.questions[1].options] == [0, 0, 0]


def test_skewness_needs_three_attempts_and_kurtosis_four() -> None:
    three = ia.analyse(FIXTURE[:3]).quiz  # totals 3, 2, 1.5
    assert three.skewness is not None and three.kurtosis is None


def test_max_marks_other_than_one() -> None:
    """A question worth 2: facility and SD are shares of the max mark; the test max is the sum."""
    doubled = [attempt(a.attempt_id, {r.question_id: 2 * r.score for r in a.responses}, max_mark=2.0)
               for a in FIXTURE]
    result = ia.analyse(doubled)
    assert result.quiz.max_mark == 6.0 and result.quiz.mean == pytest.approx(3.4)
    assert [q.facility for q in result.questions] == pytest.approx([0.8, 0.4, 0.5])
    assert result.questions[0].standard_deviation == pytest.approx(math.sqrt(0.2))
    assert result.questions[0].discrimination_index == pytest.approx(0.225 / math.sqrt(0.2 * 0.55))
    assert result.quiz.internal_consistency == pytest.approx(0.5625)  # α does not depend on the scale


@pytest.mark.parametrize("efficiency, dubious", [(None, False), (-0.5, True), (0.149, True), (0.15, False), (1.0, False)])
def test_a_question_is_dubious_below_moodles_efficiency_of_15_percent(efficiency: float | None, dubious: bool) -> None:
    assert dataclasses.replace(stats(), discriminative_efficiency=efficiency).is_dubious is dubious


@pytest.mark.parametrize("rows", [FIXTURE, DRAWS, [], FIXTURE[:1]])
def test_every_figure_goes_to_json_without_nan(rows: list[ia.Attempt]) -> None:
    """What `flask classes item-analysis --format json` prints: plain numbers, None for undefined."""
    result = ia.analyse(rows, ITEMS)
    text = json.dumps(dataclasses.asdict(result), allow_nan=False)
    assert json.loads(text)["quiz"]["attempts"] == result.quiz.attempts


@pytest.mark.parametrize("make, message", [
    (lambda: ia.Response("Q1", 1.5), "between 0 and 1.0"),
    (lambda: ia.Response("Q1", -0.1), "between 0 and 1.0"),
    (lambda: ia.Response("Q1", 0, max_mark=0), "above 0"),
    (lambda: ia.Attempt((ia.Response("Q1", 1), ia.Response("Q1", 0)), "A"), "answered twice"),
])
def test_bad_input_is_refused_with_a_clear_message(make, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()


# --- against numpy -------------------------------------------------------------------------

def simulated(seed: int, students: int, questions: int, drawn: int | None = None) -> list[ia.Attempt]:
    """Seeded attempts with partial credit; `drawn` questions per attempt (random draw, with slots)."""
    rng = random.Random(seed)
    attempts = []
    for s in range(students):
        ability = rng.gauss(0, 1)
        picked = rng.sample(range(questions), drawn) if drawn else range(questions)
        responses = []
        for slot, q in enumerate(picked):
            p = 1 / (1 + math.exp(-(ability - (q - questions / 2) / 3)))
            score = rng.choice((0.0, 0.5, 1.0)) if q % 4 == 3 else float(rng.random() < p)
            responses.append(ia.Response(f"q{q}", score, slot=slot if drawn else None))
        attempts.append(ia.Attempt(tuple(responses), f"s{s}"))
    return attempts


def numpy_figures(attempts: list[ia.Attempt], questions: int, by_slot: bool) -> dict[str, object]:
    """The same figures, computed independently: a matrix with NaN for a question not drawn."""
    marks = np.full((len(attempts), questions), np.nan)
    slots = np.full((len(attempts), questions), np.nan)
    for row, a in enumerate(attempts):
        for r in a.responses:
            marks[row, int(r.question_id[1:])] = r.score
            if r.slot is not None:
                slots[row, r.slot] = r.score
    totals = np.nansum(marks, axis=1)
    n = len(totals)
    m2, m3, m4 = (np.mean((totals - totals.mean()) ** k) for k in (2, 3, 4))
    g1, g2 = m3 / m2 ** 1.5, m4 / m2 ** 2 - 3
    items = slots[:, :int(np.sum(~np.isnan(slots[0])))] if by_slot else marks
    item_variances = [np.var(col[~np.isnan(col)], ddof=1) for col in items.T]
    alpha = items.shape[1] / (items.shape[1] - 1) * (1 - sum(item_variances) / np.var(totals, ddof=1))
    per_question = []
    for q in range(questions):
        present = ~np.isnan(marks[:, q])
        x, rest = marks[present, q], totals[present] - marks[present, q]
        covariance = np.cov(x, rest)[0, 1]
        per_question.append((np.mean(x), np.std(x, ddof=1), np.corrcoef(x, rest)[0, 1],
                             covariance / np.cov(np.sort(x), np.sort(rest))[0, 1], int(present.sum())))
    return {
        "mean": np.mean(totals), "median": np.median(totals), "sd": np.std(totals, ddof=1),
        "skewness": g1 * math.sqrt(n * (n - 1)) / (n - 2),  # the adjusted Fisher–Pearson G1
        "kurtosis": (n - 1) / ((n - 2) * (n - 3)) * ((n + 1) * g2 + 6),  # G2, sample excess kurtosis
        "alpha": alpha, "questions": per_question,
    }


@pytest.mark.parametrize("seed, students, questions, drawn", [
    (1, 30, 8, None),  # a class, everyone the same questions
    (2, 200, 12, None),
    (3, 60, 10, 6),  # random draws of 6 of 10 questions
])
def test_figures_agree_with_numpy(seed: int, students: int, questions: int, drawn: int | None) -> None:
    attempts = simulated(seed, students, questions, drawn)
    result = ia.analyse(attempts)
    expected = numpy_figures(attempts, questions, by_slot=drawn is not None)
    quiz = result.quiz
    assert quiz.mean == pytest.approx(expected["mean"])
    assert quiz.median == pytest.approx(expected["median"])
    assert quiz.standard_deviation == pytest.approx(expected["sd"])
    assert quiz.skewness == pytest.approx(expected["skewness"])
    assert quiz.kurtosis == pytest.approx(expected["kurtosis"])
    assert quiz.internal_consistency == pytest.approx(expected["alpha"])
    assert quiz.error_ratio == pytest.approx(math.sqrt(1 - expected["alpha"]))
    assert quiz.standard_error == pytest.approx(math.sqrt(1 - expected["alpha"]) * expected["sd"])
    by_id = {q.question_id: q for q in result.questions}
    for q, (facility, sd, r, efficiency, count) in enumerate(expected["questions"]):
        stats = by_id[f"q{q}"]
        assert (stats.attempts, stats.facility, stats.standard_deviation) == (count, pytest.approx(facility),
                                                                              pytest.approx(sd))
        assert stats.discrimination_index == pytest.approx(r)
        assert stats.discriminative_efficiency == pytest.approx(efficiency)


# --- lint ------------------------------------------------------------------------------------

def stats(attempts: int = 120, facility: float = 0.6, discrimination: float | None = 0.4,
          options: tuple[tuple[str, bool, int], ...] = ()) -> ia.QuestionStatistics:
    return ia.QuestionStatistics(
        question_id="mali-07", label="", attempts=attempts, max_mark=1.0, mean_mark=facility, facility=facility,
        standard_deviation=0.4, discrimination_index=discrimination, discriminative_efficiency=None,
        options=tuple(ia.OptionCount(o, key, count, count / attempts) for o, key, count in options))


OPTIONS_OK = (("Niani", True, 70), ("Gao", False, 30), ("Timbuktu", False, 20))


@pytest.mark.parametrize("question, expected", [
    (stats(options=OPTIONS_OK), []),
    (stats(options=(("Niani", True, 90), ("Gao", False, 0), ("Timbuktu", False, 30))),
     [("unchosen-distractor", "distractor 'Gao' chosen by nobody in 120 answers")]),
    (stats(facility=0.97), [("too-easy", "facility 0.97: too easy (120 answers)")]),
    (stats(facility=0.95), [("too-easy", "facility 0.95: too easy (120 answers)")]),  # the threshold itself
    (stats(facility=0.94), []),
    (stats(facility=0.9496), [("too-easy", "facility 0.95: too easy (120 answers)")]),  # as shown
    (stats(facility=0.9449), []),
    (stats(discrimination=-0.004), [("weak-discrimination", ("weak discrimination 0.00: stronger students do "
                                                            "hardly better than weaker ones (120 answers)"))]),
    (stats(facility=0.08), [("too-hard", "facility 0.08: too hard (120 answers)")]),
    (stats(facility=0.11), []),
    (stats(discrimination=-0.21), [("negative-discrimination",
                                    "negative discrimination -0.21: check the key (120 answers)")]),
    (stats(discrimination=0.12), [("weak-discrimination", ("weak discrimination 0.12: stronger students do "
                                                          "hardly better than weaker ones (120 answers)"))]),
    (stats(discrimination=0.20), []),
    (stats(discrimination=None), []),  # no spread: nothing to say
    (stats(options=(("Niani", True, 40), ("Gao", False, 60), ("Timbuktu", False, 20))),
     [("distractor-beats-key", ("distractor 'Gao' chosen more often than the key (60 against 40 of 120 answers): "
                               "check the key"))]),
    # below the minimum number of answers nothing fires, however odd the figures
    (stats(attempts=29, facility=1.0, discrimination=-0.5, options=(("Niani", True, 29), ("Gao", False, 0))), []),
    (stats(attempts=30, facility=1.0, discrimination=None, options=(("Niani", True, 30), ("Gao", False, 0))),
     [("too-easy", "facility 1.00: too easy (30 answers)"),
      ("unchosen-distractor", "distractor 'Gao' chosen by nobody in 30 answers")]),
])
def test_lint(question: ia.QuestionStatistics, expected: list[tuple[str, str]]) -> None:
    assert [(remark.kind, remark.message) for remark in item_report.lint([question])] == expected
    assert all(remark.question_id == "mali-07" for remark in item_report.lint([question]))


def test_lint_pooled_over_every_use_of_a_question() -> None:
    """The bank page pools every class's attempts: a distractor nobody chose in any of them is named."""
    pooled = [attempt(f"s{i}", {"Q1": 1, "Q2": float(i % 3 != 0), "Q3": 0},
                      "Niani" if i % 3 else "Timbuktu") for i in range(120)]
    remarks = item_report.lint(ia.analyse(pooled, ITEMS).questions)
    assert ("Q2", "distractor 'Gao' chosen by nobody in 120 answers") in [(r.question_id, r.message) for r in remarks]
    assert ("Q1", "too-easy") in [(r.question_id, r.kind) for r in remarks]  # everyone got Q1
    assert ("Q3", "too-hard") in [(r.question_id, r.kind) for r in remarks]  # nobody got Q3


# --- charts ----------------------------------------------------------------------------------

def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and "style=" not in svg and "<script" not in svg
    return root


def bars(root: ET.Element) -> dict[str, ET.Element]:
    return {rect.findtext("svg:title", namespaces=NS) or "": rect
            for rect in root.findall("svg:rect", NS) if "bar" in (rect.get("class") or "").split()}


def test_facility_chart_has_a_bar_per_question_with_its_figure(fixture_analysis: ia.ItemAnalysis) -> None:
    root = parse(item_report.facility_chart(fixture_analysis.questions))
    assert set(bars(root)) == {"Q1 Q1: facility 80 % (5 attempts)",
                               "Q2 Capital of Mali under Sundiata: facility 40 % (5 attempts)",
                               "Q3 Q3: facility 50 % (5 attempts)"}
    heights = {title[:2]: float(rect.get("height", 0)) for title, rect in bars(root).items()}
    assert heights["Q1"] == pytest.approx(2 * heights["Q2"])  # 80 % is twice 40 %
    assert "Easiest: Q1 (80 %); hardest: Q2 (40 %)" in (root.findtext("svg:desc", namespaces=NS) or "")


def test_discrimination_chart_shows_a_negative_index_below_zero() -> None:
    result = ia.analyse(DRAWS)  # Q1 and Q3 discriminate −50 % (worked out above for Q1), Q2 100 %
    root = parse(item_report.discrimination_chart(result.questions))
    shown = bars(root)
    q1, q2, q3 = (shown[f"Q{n} Q{n}: discrimination {text}"] for n, text in ((1, "-50 %"), (2, "100 %"), (3, "-50 %")))
    assert [rect.get("class") for rect in (q1, q2, q3)] == ["bar bar-negative", "bar", "bar bar-negative"]
    # the positive bar stands on the zero line, the negative ones hang from it, half as long
    zero_line = float(q2.get("y", 0)) + float(q2.get("height", 0))
    assert float(q1.get("y", 0)) == pytest.approx(zero_line) == float(q3.get("y", 0))
    assert float(q1.get("height", 0)) == pytest.approx(float(q2.get("height", 0)) / 2)
    assert "Negative, worth checking: Q1, Q3." in (root.findtext("svg:desc", namespaces=NS) or "")


def test_a_question_without_a_discrimination_index_is_a_gap_and_labels_are_escaped() -> None:
    same = [attempt(name, {"Q1": 1, "Q2": 0}) for name in "AB"]
    named = [ia.Item("Q1", "<b>Sundiata</b> & Sumanguru"), ia.Item("Q2")]
    svg = item_report.discrimination_chart(ia.analyse(same, named).questions)
    root = parse(svg)
    assert bars(root) == {}
    assert "<b>" not in svg
    facility = parse(item_report.facility_chart(ia.analyse(same, named).questions))
    assert "Q1 <b>Sundiata</b> & Sumanguru: facility 100 % (2 attempts)" in bars(facility)


@pytest.mark.parametrize("value, text", [(None, "—"), (0.8, "80 %"), (0.5625, "56 %"), (-0.21, "-21 %")])
def test_figure_is_a_percentage_or_a_dash(value: float | None, text: str) -> None:
    assert item_report.figure(value) == text
