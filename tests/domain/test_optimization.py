"""Fitting FSRS parameters: histories to training items, parameter conversion, the adoption rule."""
from __future__ import annotations

from quiz.domain import scheduling

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

import fsrs_rs_python as fsrs_rs
import pytest

from quiz.domain import optimization
from quiz.domain.optimization import Evaluation, Review, TrainingSet

UTC = timezone.utc
START = datetime(2025, 9, 1, tzinfo=UTC)

# A learner whose memory is NOT what the default parameters assume: first memories
# stronger, but each success makes a memory grow much less.
TRUE_PARAMETERS = list(scheduling.DEFAULT_PARAMETERS)
TRUE_PARAMETERS[0:4] = [0.4, 2.0, 4.0, 12.0]
TRUE_PARAMETERS[8] = 1.0


# --- a simulated learner ---------------------------------------------------------------

@dataclass(frozen=True)
class SimulatedReview:
    card: int  # 0 … cards-1
    rating: int
    reviewed_at: datetime
    status_before: str
    state_before: dict[str, Any]


@dataclass
class SimulatedHistory:
    reviews: list[SimulatedReview] = field(default_factory=list)
    cards: dict[int, scheduling.Reviewed] = field(default_factory=dict)  # each card as it ends up


def simulate_history(cards: int = 60, days: int = 120, new_per_day: int = 6, seed: int = 1) -> SimulatedHistory:
    """A learner studying with the default parameters while their memory follows TRUE_PARAMETERS.

    Each day, at a random hour, they review what is due (learning steps included, so some
    cards come back the same day) and start a few new cards. A review succeeds with the
    probability of recall under the true model; a first view is rated from a fixed mix.
    """
    rng = random.Random(seed)
    app = scheduling.scheduler()
    truth = scheduling.scheduler(parameters=TRUE_PARAMETERS)
    shown: dict[int, scheduling.Reviewed] = {}
    true_state: dict[int, dict[str, Any]] = {}
    history = SimulatedHistory()
    for day in range(days):
        now = START + timedelta(days=day, hours=rng.randint(7, 20), minutes=rng.randint(0, 59))
        session_end = now + timedelta(hours=1)
        new = [c for c in range(cards) if c not in shown][:new_per_day]
        queue = set(new)
        while True:
            queue |= {c for c, r in shown.items() if r.due <= now}
            if not queue:
                upcoming = [r.due for r in shown.values() if r.due <= session_end]
                if not upcoming:
                    break
                now = max(now, min(upcoming))
                continue
            card = min(queue)
            queue.discard(card)
            before = shown.get(card)
            if before is None:
                rating = rng.choices([1, 2, 3, 4], [0.25, 0.1, 0.55, 0.1])[0]
            elif rng.random() < scheduling.retrievability(true_state[card], now, truth):
                rating = rng.choices([2, 3, 4], [0.1, 0.8, 0.1])[0]
            else:
                rating = 1
            history.reviews.append(SimulatedReview(card, rating, now, before.status if before else "new",
                                                   before.state if before else {}))
            shown[card] = scheduling.review(before.state if before else None, rating, now, app)
            true_state[card] = scheduling.review(true_state.get(card), rating, now, truth).state
            now += timedelta(seconds=rng.randint(5, 40))
    history.cards = shown
    return history


_SIMULATED: dict[tuple[int, int], SimulatedHistory] = {}


def simulated(cards: int = 60, days: int = 120) -> SimulatedHistory:
    """The simulated history (computed once per size; it is deterministic)."""
    if (cards, days) not in _SIMULATED:
        _SIMULATED[cards, days] = simulate_history(cards, days)
    return _SIMULATED[cards, days]


def training_from(history: SimulatedHistory) -> TrainingSet:
    return optimization.training_set([Review(r.card + 1, r.rating, r.reviewed_at) for r in history.reviews])


# --- study days and training items ------------------------------------------------------

@pytest.mark.parametrize(("moment", "tz_name", "cutoff", "expected"), [
    (datetime(2026, 3, 2, 3, 59, tzinfo=UTC), "UTC", 4, date(2026, 3, 1)),   # before the cut-off: yesterday
    (datetime(2026, 3, 2, 4, 0, tzinfo=UTC), "UTC", 4, date(2026, 3, 2)),
    (datetime(2026, 3, 2, 3, 59, tzinfo=UTC), "UTC", 0, date(2026, 3, 2)),
    (datetime(2026, 3, 2, 20, 0, tzinfo=UTC), "Asia/Tokyo", 4, date(2026, 3, 3)),  # 05:00 the next day there
    (datetime(2026, 3, 2, 7, 0, tzinfo=UTC), "America/New_York", 4, date(2026, 3, 1)),  # 02:00 there
])
def test_study_day_follows_the_learners_zone_and_cutoff(moment: datetime, tz_name: str, cutoff: int,
                                                        expected: date) -> None:
    assert scheduling.study_date(moment, tz_name, cutoff) == expected


def shape(training: TrainingSet) -> list[list[tuple[int, int]]]:
    return [list(history) for history in training.histories]


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return START + timedelta(days=day, hours=hour, minutes=minute)


def test_one_item_per_review_on_a_later_day_with_the_history_before_it() -> None:
    reviews = [Review(1, 3, at(0, 10)), Review(1, 3, at(0, 10, 10)),  # a learning step, same day
               Review(1, 3, at(2, 9)), Review(1, 1, at(5, 18)), Review(1, 3, at(5, 18, 10)),
               Review(1, 3, at(6, 18))]
    training = optimization.training_set(reviews)
    assert shape(training) == [
        [(3, 0), (3, 0), (3, 2)],
        [(3, 0), (3, 0), (3, 2), (1, 3)],
        [(3, 0), (3, 0), (3, 2), (1, 3), (3, 0), (3, 1)],
    ]
    assert training.card_ids == [1, 1, 1]


def test_days_are_study_days_not_calendar_days() -> None:
    late, after_midnight, next_evening = at(0, 23), at(1, 2), at(1, 20)
    reviews = [Review(1, 3, late), Review(1, 3, after_midnight), Review(1, 3, next_evening)]
    # UTC, cut-off 4 a.m.: 02:00 still belongs to the evening before
    assert shape(optimization.training_set(reviews, "UTC", 4)) == [[(3, 0), (3, 0), (3, 1)]]
    # with a midnight cut-off it is a new day (and the evening review a same-day one)
    assert shape(optimization.training_set(reviews, "UTC", 0)) == [[(3, 0), (3, 1)]]
    # in Tokyo (UTC+9) 23:00 UTC is 08:00 the next morning, 02:00 UTC is 11:00 the same morning
    assert shape(optimization.training_set(reviews, "Asia/Tokyo", 4)) == [[(3, 0), (3, 0), (3, 1)]]


def test_items_are_in_time_order_across_cards_and_input_order_does_not_matter() -> None:
    reviews = [Review(7, 3, at(0, 9)), Review(7, 3, at(4, 9)),
               Review(2, 3, at(1, 9)), Review(2, 2, at(2, 9)), Review(2, 3, at(6, 9))]
    training = optimization.training_set(reversed(reviews))
    assert training.card_ids == [2, 7, 2]
    assert shape(training) == [[(3, 0), (2, 1)], [(3, 0), (3, 4)], [(3, 0), (2, 1), (3, 4)]]


def test_a_single_review_gives_nothing_to_learn_from() -> None:
    assert optimization.training_set([Review(1, 3, at(0, 9)), Review(2, 1, at(0, 9))]).histories == []
    with pytest.raises(ValueError, match="nothing to fit"):
        optimization.fit(TrainingSet([], []))


# --- parameters ---------------------------------------------------------------------------

def test_fsrs6_parameters_pass_through_and_older_versions_are_converted() -> None:
    assert optimization.fsrs6_parameters(scheduling.DEFAULT_PARAMETERS) == pytest.approx(
        list(scheduling.DEFAULT_PARAMETERS))
    fsrs5 = optimization.fsrs6_parameters(scheduling.DEFAULT_PARAMETERS[:19])
    assert len(fsrs5) == 21 and fsrs5[:19] == pytest.approx(list(scheduling.DEFAULT_PARAMETERS[:19]), rel=1e-6)
    assert fsrs5[19:] == pytest.approx([0.0, 0.5])  # FSRS-5: no short-term exponent, decay 0.5
    fsrs45 = optimization.fsrs6_parameters([0.4, 0.6, 2.4, 5.8, 4.93, 0.94, 0.86, 0.01, 1.49, 0.14, 0.94,
                                            2.18, 0.05, 0.34, 1.26, 0.29, 2.61])
    assert len(fsrs45) == 21 and fsrs45[20] == pytest.approx(0.5)
    for converted in (fsrs5, fsrs45):
        scheduling.scheduler(parameters=converted)  # py-fsrs accepts them


@pytest.mark.parametrize("count", [0, 5, 18, 20, 22])
def test_other_parameter_counts_are_refused(count: int) -> None:
    with pytest.raises(optimization.ParameterCountError, match=f"got {count} FSRS parameters.*needs 21"):
        optimization.fsrs6_parameters([0.5] * count)


def test_values_a_float32_hair_outside_py_fsrs_bounds_are_clipped() -> None:
    values = list(scheduling.DEFAULT_PARAMETERS)
    values[19], values[20] = 0.800000011920929, 0.09999999
    with pytest.raises(ValueError):
        scheduling.scheduler(parameters=values)
    clipped = optimization.fsrs6_parameters(values)
    assert clipped[19] == 0.8 and clipped[20] == 0.1
    scheduling.scheduler(parameters=clipped)


def test_non_finite_parameters_are_refused() -> None:
    with pytest.raises(ValueError, match="finite"):
        optimization.fsrs6_parameters([float("nan")] * 21)


# --- the adoption rule ------------------------------------------------------------------

@pytest.mark.parametrize(("after", "adopt"), [
    (Evaluation(0.30, 0.04), True),    # better on both
    (Evaluation(0.30, 0.05), True),    # lower log loss, same RMSE
    (Evaluation(0.30, 0.06), False),   # lower log loss but worse RMSE
    (Evaluation(0.32, 0.04), False),   # same log loss
    (Evaluation(0.32 - 1e-8, 0.04), False),  # float noise is not an improvement
    (Evaluation(0.30, 0.05 + 1e-8), True),   # nor is it a worse RMSE
    (Evaluation(0.33, 0.01), False),   # worse log loss
])
def test_adopt_only_with_lower_log_loss_and_no_worse_rmse(after: Evaluation, adopt: bool) -> None:
    assert optimization.should_adopt(Evaluation(0.32, 0.05), after) is adopt


# --- fitting a simulated learner ------------------------------------------------------------

def test_fit_on_a_simulated_learner_beats_the_defaults() -> None:
    history = simulated()
    assert len(history.reviews) >= 400
    training = training_from(history)
    result = optimization.fit(training)
    assert len(result.parameters) == 21
    scheduling.scheduler(parameters=result.parameters)  # py-fsrs accepts them
    defaults = optimization.evaluate(scheduling.DEFAULT_PARAMETERS, training)
    assert result.before.log_loss == pytest.approx(defaults.log_loss, abs=optimization.NOISE)
    assert result.before.rmse == pytest.approx(defaults.rmse, abs=optimization.NOISE)
    assert result.after.log_loss < result.before.log_loss and result.after.rmse <= result.before.rmse
    assert result.adopted
    # the slower growth of the simulated learner's memories shows in the fitted parameters
    assert result.parameters[8] < scheduling.DEFAULT_PARAMETERS[8]


def test_refitting_with_the_fitted_parameters_in_use_keeps_them() -> None:
    training = training_from(simulated())
    first = optimization.fit(training)
    again = optimization.fit(training, first.parameters)
    assert again.parameters == first.parameters  # fsrs-rs fits deterministically
    assert again.before.log_loss == pytest.approx(again.after.log_loss, abs=optimization.NOISE)
    assert again.before.rmse == pytest.approx(again.after.rmse, abs=optimization.NOISE)
    assert not again.adopted


def test_evaluate_refuses_a_history_with_no_items() -> None:
    with pytest.raises(ValueError):
        optimization.evaluate(scheduling.DEFAULT_PARAMETERS, TrainingSet([], []))


def test_fsrs_rs_and_py_fsrs_share_the_default_parameters() -> None:
    assert list(scheduling.DEFAULT_PARAMETERS) == pytest.approx(fsrs_rs.DEFAULT_PARAMETERS, rel=1e-6)


def test_training_items_carry_the_histories_to_fsrs_rs() -> None:
    training = optimization.training_set([Review(1, 3, at(0, 9)), Review(1, 1, at(3, 9)), Review(1, 3, at(4, 9))])
    items = training.items()
    assert [item.long_term_review_cnt() for item in items] == [1, 2]
    assert repr(items[1].reviews[-1]) == "FSRSReview { rating: 3, delta_t: 1 }"
