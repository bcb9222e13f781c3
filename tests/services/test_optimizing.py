"""Fitting a learner's FSRS parameters: thresholds, adoption, the kept history, `flask srs optimize`."""
from __future__ import annotations

from quiz.domain import scheduling

import math
import os
import re
import threading
import time
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterator, Sequence

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, insert, select

from quiz.domain import optimization
from quiz.extensions import db
from quiz.models import Bank, Card, ParameterSet, Question, ReviewLog, User
from quiz.services import accounts, optimizing, studying

from ..domain.test_optimization import SimulatedHistory, SimulatedReview, simulated, training_from

NOW = datetime(2026, 2, 2, 12, 0, tzinfo=timezone.utc)
QUESTIONS = 400
PREVIOUS = [5.0, 10.0, 20.0, 50.0, *scheduling.DEFAULT_PARAMETERS[4:]]  # a poor set in use before


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    """An app context with a bank of QUESTIONS questions to review."""
    with app.app_context():
        db.session.add(Bank(id="sim", title="Simulated", language="en", path="sim.yaml", content_hash="0"))
        db.session.execute(insert(Question), [
            {"id": f"sim-{n}", "bank_id": "sim", "position": n, "type": "card", "prompt": f"Question {n}",
             "data": {}, "explanation": "", "source_id": "s", "paragraph": 1, "content_hash": "0"}
            for n in range(QUESTIONS)])
        db.session.commit()
        yield


def store(user_id: int, reviews: Sequence[SimulatedReview], history: SimulatedHistory | None = None,
          undone: int = 0, source: str = "study") -> None:
    """Store reviews as the app records them: a Card per question, a ReviewLog per review.
    The first `undone` reviews are stored as undone."""
    cards: dict[int, Card] = {}
    for review in reviews:
        if review.card not in cards:
            final = history.cards.get(review.card) if history else None
            cards[review.card] = Card(
                user_id=user_id, question_id=f"sim-{review.card}", state=final.state if final else {},
                status=final.status if final else "new", due_at=final.due if final else None,
                stability=final.stability if final else None, reps=0, lapses=0, version=0, suspended=False,
                created_at=review.reviewed_at)
    db.session.add_all(cards.values())
    db.session.flush()
    db.session.execute(insert(ReviewLog), [
        {"user_id": user_id, "card_id": cards[r.card].id, "question_id": f"sim-{r.card}", "rating": r.rating,
         "reviewed_at": r.reviewed_at, "source": source, "status_before": r.status_before,
         "card_before": {"state": r.state_before, "status": r.status_before}, "version_before": 0,
         "undone_at": r.reviewed_at + timedelta(seconds=5) if n < undone else None}
        for n, r in enumerate(reviews)])
    db.session.commit()


@pytest.fixture
def learner(ctx: None) -> Callable[..., int]:
    """Factory: learner(email, reviews=None (the whole simulated history) or a count)."""

    def make(email: str = "learner@example.org", reviews: int | None = None, guest: bool = False) -> int:
        user = accounts.create_guest() if guest else accounts.create_user(email, "password123")
        history = simulated()
        if reviews is None:
            store(user.id, history.reviews, history)
        elif reviews:
            store(user.id, history.reviews[:reviews])
        return user.id

    return make


def parameter_sets(user_id: int) -> list[ParameterSet]:
    return list(db.session.scalars(select(ParameterSet).where(ParameterSet.user_id == user_id)
                                   .order_by(ParameterSet.id)))


# --- counting and the threshold -----------------------------------------------------------

def test_reviews_count_from_study_and_quizzes_but_not_undone_ones(learner: Callable[..., int]) -> None:
    user_id = learner(reviews=0)
    reviews = simulated().reviews
    store(user_id, reviews[:30], undone=5)
    assert optimizing.review_count(user_id) == 25
    other = learner("other@example.org", reviews=0)
    store(other, reviews[:12], source="quiz")
    assert optimizing.review_count(other) == 12


def test_below_400_reviews_nothing_is_fitted(learner: Callable[..., int]) -> None:
    user_id = learner(reviews=0)
    store(user_id, simulated().reviews[:400], undone=1)  # 400 logged, one of them undone
    with pytest.raises(optimizing.NotEnoughReviews) as info:
        optimizing.optimize(user_id, NOW)
    assert (info.value.count, info.value.needed) == (399, 400)
    assert optimizing.history(user_id) == []


def test_400_first_views_and_no_second_give_nothing_to_fit(learner: Callable[..., int]) -> None:
    user_id = learner(reviews=0)
    start = datetime(2025, 9, 1, 9, tzinfo=timezone.utc)
    store(user_id, [SimulatedReview(n, 3, start + timedelta(minutes=n), "new", {}) for n in range(400)])
    with pytest.raises(optimizing.NotEnoughReviews, match="no card was reviewed again on a later day"):
        optimizing.optimize(user_id, NOW)
    assert optimizing.history(user_id) == []


# --- fitting and adopting -------------------------------------------------------------------

def test_a_better_fit_is_stored_and_adopted(learner: Callable[..., int]) -> None:
    user_id = learner()
    count = len(simulated().reviews)
    assert count >= 400
    result = optimizing.optimize(user_id, NOW)
    assert result.review_count == count and result.adopted
    figures = (result.log_loss_before, result.rmse_before, result.log_loss_after, result.rmse_after)
    assert all(math.isfinite(f) and f > 0 for f in figures)
    assert result.log_loss_after < result.log_loss_before and result.rmse_after <= result.rmse_before

    db.session.expire_all()
    [stored] = optimizing.history(user_id)
    assert stored.id == result.parameter_set.id
    assert (stored.log_loss_before, stored.rmse_before, stored.log_loss_after, stored.rmse_after) == figures
    assert stored.review_count == count and stored.created_at == NOW
    assert stored.adopted and stored.active
    assert len(stored.parameters) == 21 and all(math.isfinite(p) for p in stored.parameters)
    assert stored.parameters != pytest.approx(list(scheduling.DEFAULT_PARAMETERS))
    # the scheduler now uses them
    assert studying.active_parameters(user_id) == stored.parameters
    assert list(studying.scheduler_for(user_id).parameters) == stored.parameters


def test_a_fit_that_is_not_better_is_kept_in_the_history_but_not_adopted(learner: Callable[..., int]) -> None:
    user_id = learner()
    first = optimizing.optimize(user_id, NOW)
    assert first.adopted
    # same history, the fitted set already in use: refitting finds nothing better
    second = optimizing.optimize(user_id, NOW + timedelta(hours=1))
    assert not second.adopted
    assert second.log_loss_before == pytest.approx(first.log_loss_after, abs=optimization.NOISE)
    assert second.log_loss_after == pytest.approx(second.log_loss_before, abs=optimization.NOISE)
    db.session.expire_all()
    newest, oldest = optimizing.history(user_id)
    assert (newest.id, oldest.id) == (second.parameter_set.id, first.parameter_set.id)
    assert not newest.adopted and not newest.active
    assert oldest.adopted and oldest.active
    assert studying.active_parameters(user_id) == oldest.parameters


def test_adopting_retires_the_active_set_but_keeps_it(learner: Callable[..., int]) -> None:
    user_id = learner()
    db.session.add(ParameterSet(user_id=user_id, parameters=PREVIOUS, created_at=NOW - timedelta(days=30),
                                review_count=450, log_loss_before=0.4, rmse_before=0.1, log_loss_after=0.39,
                                rmse_after=0.09, adopted=True, active=True))
    db.session.commit()
    result = optimizing.optimize(user_id, NOW)
    assert result.adopted
    # "before" measures the set that was in use, not the defaults
    in_use = optimization.evaluate(PREVIOUS, training_from(simulated()))
    assert result.log_loss_before == pytest.approx(in_use.log_loss, abs=optimization.NOISE)
    assert result.rmse_before == pytest.approx(in_use.rmse, abs=optimization.NOISE)
    db.session.expire_all()
    new, old = optimizing.history(user_id)
    assert new.active and new.adopted
    assert old.parameters == PREVIOUS and old.adopted and not old.active
    assert db.session.scalar(select(func.count()).select_from(ParameterSet)
                             .where(ParameterSet.user_id == user_id, ParameterSet.active.is_(True))) == 1


def test_a_failed_run_leaves_the_parameters_in_use(learner: Callable[..., int],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    user_id = learner()
    db.session.add(ParameterSet(user_id=user_id, parameters=PREVIOUS, created_at=NOW - timedelta(days=30),
                                review_count=450, log_loss_before=0.4, rmse_before=0.1, log_loss_after=0.39,
                                rmse_after=0.09, adopted=True, active=True))
    db.session.commit()

    def broken(**values: object) -> ParameterSet:  # fails after the old set was marked inactive
        raise RuntimeError("disk full")

    monkeypatch.setattr(optimizing, "ParameterSet", broken)
    with pytest.raises(RuntimeError):
        optimizing.optimize(user_id, NOW)
    monkeypatch.undo()
    assert studying.active_parameters(user_id) == PREVIOUS
    assert len(parameter_sets(user_id)) == 1


def test_each_learner_is_fitted_on_their_own_history(learner: Callable[..., int]) -> None:
    fitted = learner()
    other = learner("other@example.org", reviews=0)
    store(other, [r for r in simulated().reviews if r.card % 2][:300])
    optimizing.optimize(fitted, NOW)
    with pytest.raises(optimizing.NotEnoughReviews):
        optimizing.optimize(other, NOW)
    assert optimizing.history(other) == [] and studying.active_parameters(other) is None


@pytest.mark.skipif(not os.environ.get("QUIZ_TEST_DATABASE_URL"), reason="row locks need PostgreSQL")
def test_two_runs_at_once_leave_one_active_set(app: Flask, learner: Callable[..., int],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    user_id = learner()
    fit = optimization.fit

    def slow_fit(*args: object, **kwargs: object) -> optimization.Fit:
        time.sleep(0.3)
        return fit(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(optimization, "fit", slow_fit)
    adopted: list[bool] = []

    def run() -> None:
        with app.app_context():
            adopted.append(optimizing.optimize(user_id, NOW).adopted)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(adopted) == [False, True]  # the second waited, then measured against the first
    assert [p.active for p in parameter_sets(user_id)] == [True, False]


# --- flask srs optimize ---------------------------------------------------------------------

LINE = re.compile(r"^(?P<email>\S+): (?P<count>\d+) reviews; log loss (?P<ll0>[\d.]+) → (?P<ll1>[\d.]+), "
                  r"RMSE (?P<r0>[\d.]+) → (?P<r1>[\d.]+); (?P<verdict>adopted|kept the current parameters)$")


def test_cli_unknown_email_exits_1(runner: FlaskCliRunner, ctx: None) -> None:
    result = runner.invoke(args=["srs", "optimize", "--user", "nobody@example.org"])
    assert result.exit_code == 1
    assert "there is no account 'nobody@example.org'" in result.output


def test_cli_one_learner_below_the_threshold(runner: FlaskCliRunner, learner: Callable[..., int]) -> None:
    user_id = learner("few@example.org", reviews=120)
    result = runner.invoke(args=["srs", "optimize", "--user", "Few@Example.org"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "few@example.org has 120 reviews; 400 are needed"
    assert optimizing.history(user_id) == []


def test_cli_one_learner_fitted_then_kept(runner: FlaskCliRunner, learner: Callable[..., int]) -> None:
    user_id = learner()
    result = runner.invoke(args=["srs", "optimize", "--user", "learner@example.org"])
    assert result.exit_code == 0, result.output
    line = LINE.match(result.output.strip())
    assert line, result.output
    assert line["email"] == "learner@example.org" and int(line["count"]) == len(simulated().reviews)
    assert line["verdict"] == "adopted" and float(line["ll1"]) < float(line["ll0"])
    [stored] = optimizing.history(user_id)
    assert f"{stored.log_loss_before:.4f} → {stored.log_loss_after:.4f}" in result.output
    again = runner.invoke(args=["srs", "optimize", "--user", "learner@example.org"])
    assert again.exit_code == 0 and again.output.strip().endswith("; kept the current parameters")


def test_cli_every_registered_learner(runner: FlaskCliRunner, learner: Callable[..., int]) -> None:
    fitted = learner("ann@example.org")
    learner("bob@example.org", reviews=120)
    learner("cy@example.org", reviews=0)
    guest = learner(guest=True)
    result = runner.invoke(args=["srs", "optimize"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 3, result.output
    assert (match := LINE.match(lines[0])) and match["email"] == "ann@example.org" and match["verdict"] == "adopted"
    assert lines[1] == "bob@example.org has 120 reviews; 400 are needed"
    assert lines[2] == "1 fitted: 1 adopted, 0 kept; 1 with fewer than 400 reviews"
    assert len(optimizing.history(fitted)) == 1
    assert optimizing.history(guest) == []  # guests are not fitted, whatever their history
    assert db.session.get(User, guest).is_guest  # type: ignore[union-attr]
