"""Fitting FSRS parameters to a learner's own history, on top of fsrs-rs-python.

Pure: reviews come in as plain values. A card's reviews become training items the way
fsrs-rs expects them: one item per review that falls on a later study day than the one
before it, carrying the card's whole history up to and including that review, with
`delta_t` counted in the learner's study days (their time zone, their day cut-off hour,
as the study page counts days). Same-day reviews (learning steps) stay in the histories
but are not predicted. Items are ordered by when their last review happened, because
fsrs-rs weights recent items more.

py-fsrs 6.3 (which schedules) takes exactly 21 FSRS-6 parameters within its own bounds;
whatever fsrs-rs returns is converted to that form (`fsrs6_parameters`) before it is
evaluated, compared or stored.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterable, Sequence

import fsrs_rs_python as fsrs_rs
from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

from .scheduling import DEFAULT_PARAMETERS, scheduler, study_date

FSRS6_COUNT = len(DEFAULT_PARAMETERS)  # 21
OLDER_COUNTS = {17: "FSRS-4.5", 19: "FSRS-5"}  # converted by fsrs-rs's own check_and_fill_parameters
# Our scheduler relearns a lapsed card in this many steps; fsrs-rs bounds two parameters by it.
RELEARNING_STEPS = len(scheduler().relearning_steps)
NOISE = 1e-6  # differences in log loss or RMSE below this are float noise, not a change


class ParameterCountError(ValueError):
    """A parameter list that is neither FSRS-6 nor an older version we can convert."""


@dataclass(frozen=True)
class Review:
    """One review of a card, as the optimizer needs it (undone reviews are left out)."""

    card_id: int
    rating: int  # 1 Again … 4 Easy
    reviewed_at: datetime  # aware


@dataclass(frozen=True)
class TrainingSet:
    """Training items in time order: each a card's (rating, delta_t) reviews up to the one to
    predict (the last), with the card each belongs to."""

    histories: list[tuple[tuple[int, int], ...]]
    card_ids: list[int]

    def items(self) -> list[fsrs_rs.FSRSItem]:
        """The same items as fsrs-rs takes them."""
        return [fsrs_rs.FSRSItem([fsrs_rs.FSRSReview(rating, delta_t) for rating, delta_t in history])
                for history in self.histories]


@dataclass(frozen=True)
class Evaluation:
    """How well a parameter set predicts a history: log loss and RMSE (binned); lower is better."""

    log_loss: float
    rmse: float


@dataclass(frozen=True)
class Fit:
    """Parameters fitted to a history, both sets' figures on it, and whether to adopt."""

    parameters: list[float]
    before: Evaluation
    after: Evaluation
    adopted: bool


def training_set(reviews: Iterable[Review], tz_name: str = "UTC", cutoff_hour: int = 4) -> TrainingSet:
    """Turn review logs (any order) into fsrs-rs training items; see the module docstring."""
    by_card: dict[int, list[Review]] = {}
    for review in sorted(reviews, key=lambda r: (r.card_id, r.reviewed_at)):
        by_card.setdefault(review.card_id, []).append(review)
    dated: list[tuple[datetime, int, tuple[tuple[int, int], ...]]] = []
    for card_id, history in by_card.items():
        steps: list[tuple[int, int]] = []
        previous: date | None = None
        for review in history:
            day = study_date(review.reviewed_at, tz_name, cutoff_hour)
            delta_t = 0 if previous is None else (day - previous).days
            steps.append((review.rating, delta_t))
            if delta_t > 0:
                dated.append((review.reviewed_at, card_id, tuple(steps)))
            previous = day
    dated.sort(key=lambda entry: (entry[0], entry[1]))
    return TrainingSet([steps for _, _, steps in dated], [card_id for _, card_id, _ in dated])


def fsrs6_parameters(parameters: Sequence[float]) -> list[float]:
    """The same parameters as 21 FSRS-6 values within py-fsrs's bounds.

    17 (FSRS-4.5) or 19 (FSRS-5) values are converted with fsrs-rs's own rules; any other
    count raises ParameterCountError. Values are clipped to py-fsrs's bounds: fsrs-rs
    clips to the same bounds but in 32-bit floats, so an upper bound can come back a hair
    above (0.8 as 0.800000011…), which py-fsrs would refuse.
    """
    values = [float(v) for v in parameters]
    if len(values) in OLDER_COUNTS:
        values = list(fsrs_rs.check_and_fill_parameters(values))
    if len(values) != FSRS6_COUNT:
        known = ", ".join(f"{n} ({name})" for n, name in OLDER_COUNTS.items())
        raise ParameterCountError(f"got {len(values)} FSRS parameters; the scheduler (py-fsrs, FSRS-6) needs "
                                  f"{FSRS6_COUNT}, and only {known} can be converted")
    if not all(math.isfinite(v) for v in values):
        raise ValueError("the FSRS parameters contain a value that is not a finite number")
    bounds = zip(LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS)
    return [min(max(value, low), high) for value, (low, high) in zip(values, bounds)]


def evaluate(parameters: Sequence[float], training: TrainingSet) -> Evaluation:
    """Log loss and RMSE of a parameter set's predictions on a history."""
    result = fsrs_rs.FSRS(fsrs6_parameters(parameters)).evaluate(training.items())
    evaluation = Evaluation(float(result.log_loss), float(result.rmse_bins))
    if not (math.isfinite(evaluation.log_loss) and math.isfinite(evaluation.rmse)):
        raise ValueError(f"evaluating the parameters gave {evaluation}")
    return evaluation


def fit_parameters(training: TrainingSet) -> list[float]:
    """FSRS-6 parameters fitted to a history (fsrs-rs; deterministic for the same items)."""
    fitted = fsrs_rs.FSRS(list(DEFAULT_PARAMETERS)).compute_parameters(
        training.items(), card_ids=training.card_ids, num_relearning_steps=RELEARNING_STEPS)
    return fsrs6_parameters(fitted)


def should_adopt(before: Evaluation, after: Evaluation) -> bool:
    """Adopt new parameters only if their log loss is lower and their RMSE no higher.

    Differences within NOISE do not count: fsrs-rs sums in 32-bit floats in parallel, so
    the same parameters on the same history can differ in the 8th digit from run to run.
    """
    return after.log_loss < before.log_loss - NOISE and after.rmse <= before.rmse + NOISE


def fit(training: TrainingSet, current: Sequence[float] | None = None) -> Fit:
    """Fit parameters to a history and compare them with the current ones (None: the defaults)."""
    if not training.histories:
        raise ValueError("no review falls on a later day than the card's previous review; nothing to fit")
    parameters = fit_parameters(training)
    before = evaluate(current or DEFAULT_PARAMETERS, training)
    after = evaluate(parameters, training)
    return Fit(parameters, before, after, should_adopt(before, after))
