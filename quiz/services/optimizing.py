"""Fitting a learner's own FSRS parameters to their review history.

Every run is kept as a ParameterSet with the figures of the parameters in use before it
and of the fitted ones, both measured on the learner's whole history. The fitted set is
adopted (made active; the previous active set stays, inactive) only when it predicts that
history better: lower log loss and RMSE no higher (`optimization.should_adopt`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select

from ..domain import optimization
from ..extensions import db
from ..models import ParameterSet, ReviewLog, User
from . import studying
from .accounts import normalize_email

MIN_REVIEWS = 400


class NotEnoughReviews(Exception):
    """The learner's history is too short to fit parameters to it."""

    def __init__(self, count: int, needed: int = MIN_REVIEWS, message: str | None = None) -> None:
        self.count = count
        self.needed = needed
        super().__init__(message or f"{count} reviews; {needed} are needed")


@dataclass
class OptimizeResult:
    """One fit: the figures before (parameters in use) and after (fitted), and the stored row."""

    review_count: int
    adopted: bool
    log_loss_before: float
    rmse_before: float
    log_loss_after: float
    rmse_after: float
    parameter_set: ParameterSet  # stored every time (adopted or not), so history is kept


@dataclass(frozen=True)
class Learner:
    """A registered learner who has reviewed at least one card."""

    user_id: int
    email: str
    review_count: int


def _counted(user_id: int) -> list[ColumnElement[bool]]:
    return [ReviewLog.user_id == user_id, ReviewLog.undone_at.is_(None)]


def review_count(user_id: int) -> int:
    """How many reviews (study and quiz, not undone) the learner has."""
    return db.session.scalar(select(func.count()).select_from(ReviewLog).where(*_counted(user_id))) or 0


def history(user_id: int) -> list[ParameterSet]:
    """Every fit kept for the learner, newest first."""
    return list(db.session.scalars(select(ParameterSet).where(ParameterSet.user_id == user_id)
                                   .order_by(ParameterSet.created_at.desc(), ParameterSet.id.desc())))


def learners() -> list[Learner]:
    """Registered (non-guest) accounts with at least one review, by email."""
    rows = db.session.execute(
        select(User.id, User.email, func.count(ReviewLog.id)).join(ReviewLog, ReviewLog.user_id == User.id)
        .where(User.is_guest.is_(False), User.email.is_not(None), ReviewLog.undone_at.is_(None))
        .group_by(User.id, User.email).order_by(User.email)).all()
    return [Learner(user_id, email, count) for user_id, email, count in rows if email]


def find_learner(email: str) -> Learner | None:
    """A registered account by email, with its review count (None: no such account)."""
    user_id = db.session.scalar(select(User.id).where(User.email == normalize_email(email),
                                                      User.is_guest.is_(False)))
    return None if user_id is None else Learner(user_id, normalize_email(email), review_count(user_id))


def _training_set(user_id: int) -> optimization.TrainingSet:
    settings = studying.get_settings(user_id)
    rows = db.session.execute(select(ReviewLog.card_id, ReviewLog.rating, ReviewLog.reviewed_at)
                              .where(*_counted(user_id)).order_by(ReviewLog.card_id, ReviewLog.reviewed_at,
                                                                  ReviewLog.id)).all()
    reviews = [optimization.Review(card_id, rating, reviewed_at) for card_id, rating, reviewed_at in rows]
    return optimization.training_set(reviews, settings.timezone, settings.day_cutoff_hour)


def optimize(user_id: int, now: datetime) -> OptimizeResult:
    """Fit parameters to the learner's whole history, store the run, adopt if better.

    One transaction. Runs for the same learner are serialised (a row lock on the account,
    on PostgreSQL), so two runs cannot both leave an active set.
    Raises NotEnoughReviews below MIN_REVIEWS.
    """
    try:
        # FOR NO KEY UPDATE: other runs for this learner wait; their grading (which only
        # references the account row) does not.
        db.session.execute(select(User.id).where(User.id == user_id).with_for_update(key_share=True))
        count = review_count(user_id)
        if count < MIN_REVIEWS:
            raise NotEnoughReviews(count)
        training = _training_set(user_id)
        if not training.histories:
            raise NotEnoughReviews(count, message=f"{count} reviews, but no card was reviewed again on a "
                                                  "later day; there is nothing to fit yet")
        actives = list(db.session.scalars(select(ParameterSet).where(ParameterSet.user_id == user_id,
                                                                     ParameterSet.active.is_(True))
                                          .order_by(ParameterSet.id.desc())))
        fit = optimization.fit(training, actives[0].parameters if actives else None)
        if fit.adopted:
            for previous in actives:
                previous.active = False
            db.session.flush()
        row = ParameterSet(user_id=user_id, parameters=fit.parameters, created_at=now, review_count=count,
                           log_loss_before=fit.before.log_loss, rmse_before=fit.before.rmse,
                           log_loss_after=fit.after.log_loss, rmse_after=fit.after.rmse,
                           adopted=fit.adopted, active=fit.adopted)
        db.session.add(row)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return OptimizeResult(count, fit.adopted, fit.before.log_loss, fit.before.rmse, fit.after.log_loss,
                          fit.after.rmse, row)
