"""Item analysis of quiz attempts, after Moodle's quiz statistics.

Pure: attempts in (each a list of per-question marks and, for choice questions, the options
chosen), figures out. The definitions and names follow Moodle's "Quiz statistics
calculations" (docs.moodle.org/dev/Quiz_statistics_calculations) and its calculators
(`quiz_statistics\\calculator`, `core_question\\statistics\\questions\\calculator`):

- an attempt's total T is the sum of its marks; the test figures are over the totals: mean,
  median, standard deviation (sample, n − 1), skewness and kurtosis (Moodle's k-statistics);
- per question, over the attempts that include it (a random draw leaves it out of others),
  x is its mark and X = T − x the mark on the rest of the test:
  facility index F = mean(x) / max mark; standard deviation SD = sd(x) / max mark;
  discrimination index D = r(x, X), the correlation with the rest of the test;
  discriminative efficiency DE = C(x, X) / Cmax(x, X), where Cmax pairs x and X each sorted;
- coefficient of internal consistency (Cronbach's α) CIC = P/(P−1) · (1 − Σ V(x_p) / V(T))
  over the P items (positions); error ratio ER = √(1 − CIC); standard error SE = ER · SD(T).

Moodle shows these as percentages; here they are fractions (0.5 for 50 %) and the page
formats them. A figure that cannot be computed — too few attempts, or no spread to divide by
(everyone scored the same) — is None, never a division by zero or NaN.

What authors and teachers read from these figures (lint, charts) is in `item_report`.
"""
from __future__ import annotations

import math
import statistics
from collections.abc import Hashable, Sequence
from dataclasses import dataclass


# Below this a variance counts as zero: sums of floats leave crumbs (3 × 0.1 ≠ 0.3).
ZERO_VARIANCE = 1e-12

# Moodle's report marks a question "dubious" when its discriminative efficiency is below 15 %.
DUBIOUS_EFFICIENCY = 0.15


# --- input -------------------------------------------------------------------------

@dataclass(frozen=True)
class Response:
    """One question in one attempt: the mark earned (0 … max_mark), and for a choice
    question the options chosen (none: not a choice question, or left unanswered).
    `slot` is the question's position in the quiz; give it when questions are drawn at
    random, so that the internal consistency treats each position as one item, as Moodle
    does for random questions. Without it the question itself is the item."""

    question_id: str
    score: float
    max_mark: float = 1.0
    choices: tuple[str, ...] = ()
    slot: int | None = None

    def __post_init__(self) -> None:
        if not self.max_mark > 0:
            raise ValueError(f"question {self.question_id}: a max mark is above 0, not {self.max_mark}")
        if not 0.0 <= self.score <= self.max_mark:
            raise ValueError(f"question {self.question_id}: a score is between 0 and {self.max_mark}, "
                             f"not {self.score}")


@dataclass(frozen=True)
class Attempt:
    """One attempt at a quiz: its responses, at most one per question."""

    responses: tuple[Response, ...]
    attempt_id: int | str = ""

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for response in self.responses:
            if response.question_id in seen:
                raise ValueError(f"attempt {self.attempt_id or '?'}: question {response.question_id} "
                                 "is answered twice")
            seen.add(response.question_id)

    @property
    def total(self) -> float:
        """T: the sum of the marks."""
        return math.fsum(r.score for r in self.responses)

    @property
    def max_total(self) -> float:
        return math.fsum(r.max_mark for r in self.responses)


@dataclass(frozen=True)
class Item:
    """What the analysis knows of a question besides the responses: how to name it and, for a
    choice question, every option (so that one chosen by nobody is counted) and the keys."""

    question_id: str
    label: str = ""
    options: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()


# --- output ------------------------------------------------------------------------

@dataclass(frozen=True)
class OptionCount:
    """How many responses chose an option, and their share of the question's responses."""

    option: str
    key: bool
    count: int
    share: float


@dataclass(frozen=True)
class QuestionStatistics:
    """Moodle's per-question figures, over the attempts that include the question (fractions:
    0.8 is a facility of 80 %). None where it cannot be computed."""

    question_id: str
    label: str
    attempts: int  # Moodle's s: the attempts that include this question
    max_mark: float
    mean_mark: float | None
    facility: float | None  # mean mark / max mark: 0 (nobody) … 1 (everybody)
    standard_deviation: float | None  # of the mark, / max mark; needs two attempts
    discrimination_index: float | None  # r(x, rest of test): −1 … 1
    discriminative_efficiency: float | None  # C(x, X) / Cmax(x, X): at most 1
    options: tuple[OptionCount, ...] = ()  # choice questions: one per option, listed first, then any other chosen
    unanswered: int = 0  # choice questions: responses that chose nothing

    @property
    def is_choice(self) -> bool:
        return bool(self.options)

    @property
    def name(self) -> str:
        return self.label or self.question_id

    @property
    def is_dubious(self) -> bool:
        """Moodle's flag: a discriminative efficiency below 15 % (the question may not pull its weight)."""
        return self.discriminative_efficiency is not None and self.discriminative_efficiency < DUBIOUS_EFFICIENCY


@dataclass(frozen=True)
class QuizStatistics:
    """Moodle's test figures, over the attempts' totals (in marks; `max_mark` is the most an
    attempt could earn, to show them as percentages). None where they cannot be computed."""

    attempts: int
    items: int  # P: questions (or positions, for random draws) in the analysis
    max_mark: float
    mean: float | None
    median: float | None
    standard_deviation: float | None  # sample: needs two attempts
    skewness: float | None  # needs three attempts and some spread
    kurtosis: float | None  # excess kurtosis; needs four attempts and some spread
    internal_consistency: float | None  # Cronbach's α, Moodle's CIC (at most 1; may be negative)
    error_ratio: float | None  # √(1 − α)
    standard_error: float | None  # error ratio × standard deviation, in marks


@dataclass(frozen=True)
class ItemAnalysis:
    quiz: QuizStatistics
    questions: tuple[QuestionStatistics, ...]


# --- arithmetic ----------------------------------------------------------------------

def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def _covariance(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Sample covariance (n − 1); the caller makes sure there are two values or more."""
    mx, my = _mean(xs), _mean(ys)
    return math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys)) / (len(xs) - 1)


def _variance(xs: Sequence[float]) -> float:
    return _covariance(xs, xs)


def _spread(variance: float) -> bool:
    """Whether a variance is more than rounding crumbs."""
    return variance > ZERO_VARIANCE


# --- per question --------------------------------------------------------------------

def _option_counts(item: Item | None, responses: Sequence[Response]) -> tuple[tuple[OptionCount, ...], int]:
    listed = list(item.options) if item else []
    keys = set(item.keys) if item else set()
    chosen = [option for r in responses for option in r.choices]
    options = listed + [o for o in dict.fromkeys(chosen) if o not in listed]
    if not options:
        return (), 0
    counts = {option: 0 for option in options}
    for option in chosen:
        counts[option] += 1
    total = len(responses)
    return (tuple(OptionCount(o, o in keys, counts[o], counts[o] / total if total else 0.0) for o in options),
            sum(1 for r in responses if not r.choices))


def question_statistics(question_id: str, rows: Sequence[tuple[Response, float]], item: Item | None = None,
                        ) -> QuestionStatistics:
    """Moodle's figures for one question from (its response, that attempt's total) pairs."""
    responses = [response for response, _total in rows]
    marks = [response.score for response in responses]
    rest = [total - response.score for response, total in rows]
    fractions = [response.score / response.max_mark for response in responses]
    options, unanswered = _option_counts(item, responses)
    s = len(rows)
    max_mark = max((r.max_mark for r in responses), default=1.0)
    sd = discrimination = efficiency = None
    if s >= 2:
        sd = math.sqrt(_variance(fractions)) if _spread(_variance(fractions)) else 0.0
        v_x, v_rest = _variance(marks), _variance(rest)
        if _spread(v_x) and _spread(v_rest):
            covariance = _covariance(marks, rest)
            discrimination = covariance / math.sqrt(v_x * v_rest)
            covariance_max = _covariance(sorted(marks), sorted(rest))
            if _spread(covariance_max):
                efficiency = covariance / covariance_max
    return QuestionStatistics(
        question_id=question_id, label=item.label if item else "", attempts=s, max_mark=max_mark,
        mean_mark=_mean(marks) if s else None, facility=_mean(fractions) if s else None,
        standard_deviation=sd, discrimination_index=discrimination, discriminative_efficiency=efficiency,
        options=options, unanswered=unanswered)


# --- the whole quiz --------------------------------------------------------------------

def _skewness_kurtosis(totals: Sequence[float]) -> tuple[float | None, float | None]:
    """Moodle's k-statistics: skewness k3 / k2^1.5 (3+ attempts), kurtosis k4 / k2² (4+)."""
    s = len(totals)
    if s < 3:
        return None, None
    mean = _mean(totals)
    m2, m3, m4 = (math.fsum((t - mean) ** power for t in totals) / s for power in (2, 3, 4))
    k2 = s * m2 / (s - 1)
    if not _spread(k2):
        return None, None
    k3 = s * s * m3 / ((s - 1) * (s - 2))
    skewness = k3 / k2 ** 1.5
    if s < 4:
        return skewness, None
    k4 = s * s * ((s + 1) * m4 - 3 * (s - 1) * m2 * m2) / ((s - 1) * (s - 2) * (s - 3))
    return skewness, k4 / (k2 * k2)


def _internal_consistency(attempts: Sequence[Attempt], totals: Sequence[float]) -> tuple[int, float | None]:
    """(P, Cronbach's α) with one item per position (slot) or, without slots, per question."""
    marks: dict[Hashable, list[float]] = {}
    for attempt in attempts:
        for response in attempt.responses:
            key = ("slot", response.slot) if response.slot is not None else ("question", response.question_id)
            marks.setdefault(key, []).append(response.score)
    p = len(marks)
    if p < 2 or len(totals) < 2 or any(len(values) < 2 for values in marks.values()):
        return p, None
    v_total = _variance(totals)
    if not _spread(v_total):
        return p, None
    return p, p / (p - 1) * (1 - math.fsum(_variance(values) for values in marks.values()) / v_total)


def quiz_statistics(attempts: Sequence[Attempt]) -> QuizStatistics:
    """Moodle's test figures over the attempts' totals."""
    totals = [attempt.total for attempt in attempts]
    s = len(totals)
    items, alpha = _internal_consistency(attempts, totals)
    sd = None
    if s >= 2:
        variance = _variance(totals)
        sd = math.sqrt(variance) if _spread(variance) else 0.0
    skewness, kurtosis = _skewness_kurtosis(totals)
    error_ratio = math.sqrt(1 - alpha) if alpha is not None and alpha <= 1 else None
    return QuizStatistics(
        attempts=s, items=items, max_mark=max((a.max_total for a in attempts), default=0.0),
        mean=_mean(totals) if s else None, median=statistics.median(totals) if s else None,
        standard_deviation=sd, skewness=skewness, kurtosis=kurtosis, internal_consistency=alpha,
        error_ratio=error_ratio,
        standard_error=error_ratio * sd if error_ratio is not None and sd is not None else None)


def analyse(attempts: Sequence[Attempt], items: Sequence[Item] = ()) -> ItemAnalysis:
    """The quiz's figures and one row per question: the `items` first, in their order, then
    any other question the attempts answered, in the order first met."""
    known = {item.question_id: item for item in items}
    rows: dict[str, list[tuple[Response, float]]] = {item.question_id: [] for item in items}
    for attempt in attempts:
        total = attempt.total
        for response in attempt.responses:
            rows.setdefault(response.question_id, []).append((response, total))
    return ItemAnalysis(quiz_statistics(attempts),
                        tuple(question_statistics(qid, pairs, known.get(qid)) for qid, pairs in rows.items()))
