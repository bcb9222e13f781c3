"""Quizzes: start one, answer its questions once each, finish (the results: quiz_results.py)."""
from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..domain import assembly
from ..domain.question_types import QUESTION_TYPES, Form, Grade, Shown, Unreadable, grade
from ..extensions import db
from ..models import Assignment, Attempt, AttemptAnswer, Bank, Classroom, Question, QuestionTag, User
from . import studying
from .sharing import visible_banks

MODES = ("practice", "test")
DEFAULT_COUNT = 10
TIME_UP_MESSAGE = "Time is up: the quiz ended at its time limit. Questions left unanswered count 0."


class QuizError(Exception):
    """A quiz that cannot be started or an answer that cannot be taken, with a message."""


class TimeUp(QuizError):
    """The attempt's time limit has passed."""


class AnswerUnreadable(QuizError):
    """The submitted form cannot be graded as sent (nothing was stored): the learner fixes it.
    `field` names the form field the message is about."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


SKIPPED = "You skipped this question."


@dataclass
class QuizRequest:
    bank_ids: list[str]
    tags: list[str]
    types: list[str]
    count: int = DEFAULT_COUNT
    mode: str = "practice"
    time_limit_minutes: int | None = None
    time_limit_seconds: int | None = None  # a finer limit (tests); when set it replaces the minutes
    question_ids: list[str] | None = None  # a retry names its questions
    title: str | None = None  # the attempt's title when it is not the banks' (e.g. "About Konna")
    # whose view of the banks limits the questions (private web banks); start_quiz sets the learner
    viewer: User | None = None


def _candidates(request: QuizRequest, visible_only: bool = True) -> list[assembly.Candidate]:
    """The questions the request selects (from the banks its viewer may see, if visible_only), as
    quiz assembly sees them."""
    query = (select(Question.id, Question.type, Question.prompt, Question.explanation, Question.data).join(Bank)
             .where(Question.retired_at.is_(None), Bank.retired_at.is_(None))
             .order_by(Question.bank_id, Question.position))
    if visible_only:
        query = query.where(visible_banks(request.viewer))
    if request.question_ids is not None:
        query = query.where(Question.id.in_(request.question_ids))
    if request.bank_ids:
        query = query.where(Question.bank_id.in_(request.bank_ids))
    if request.types:
        query = query.where(Question.type.in_(request.types))
    if request.tags:
        query = query.where(Question.id.in_(
            select(QuestionTag.question_id).where(QuestionTag.tag.in_(request.tags))))
    return [assembly.Candidate.of(row.id, row.prompt, row.explanation, row.data,
                                  QUESTION_TYPES[row.type].named_answers(row.data))
            for row in db.session.execute(query)]


def _title(request: QuizRequest) -> str:
    if request.title:
        return request.title
    titles = list(db.session.scalars(select(Bank.title).where(Bank.id.in_(request.bank_ids)).order_by(Bank.title)))
    title = " + ".join(titles) if titles else "All banks"
    if request.tags:
        title += " · " + ", ".join(f"#{t}" for t in request.tags)
    return title


def _deadline(request: QuizRequest, now: datetime) -> datetime | None:
    if request.time_limit_seconds:
        return now + timedelta(seconds=request.time_limit_seconds)
    if request.time_limit_minutes:
        return now + timedelta(minutes=request.time_limit_minutes)
    return None


def start_quiz(user: User, request: QuizRequest, now: datetime, rng: random.Random) -> Attempt:
    """A new attempt with up to `count` questions drawn at random from the selection, ordered so that
    no question's prompt, options or explanation gives away a later one's answer."""
    if request.mode not in MODES:
        raise QuizError("Choose practice or test mode.")
    if request.viewer is None:
        request = replace(request, viewer=user)
    candidates = _candidates(request)
    if not candidates:
        raise QuizError("No questions match this choice of banks, tags and types. Widen the selection.")
    if request.question_ids is not None:  # a retry keeps every question it names
        chosen = assembly.order_all(candidates, rng)
    else:  # no question shown before one it gives away
        chosen = assembly.choose(candidates, max(request.count, 1), rng)
    attempt = Attempt(
        user_id=user.id, mode=request.mode, title=_title(request), question_ids=chosen,
        seed=rng.randrange(2**31), started_at=now,
        deadline_at=_deadline(request, now),
        settings={"bank_ids": request.bank_ids, "tags": request.tags, "types": request.types,
                  "count": request.count, "time_limit_minutes": request.time_limit_minutes},
    )
    db.session.add(attempt)
    db.session.commit()
    return attempt


def get_attempt(attempt_id: int, user: User | None) -> Attempt | None:
    """The attempt if it belongs to this user, else None (the caller answers 404)."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or user is None or attempt.user_id != user.id:
        return None
    return attempt


def questions_of(attempt: Attempt) -> list[Question]:
    """The attempt's questions in quiz order (retired ones included: history is kept)."""
    rows = {q.id: q for q in db.session.scalars(select(Question).where(Question.id.in_(attempt.question_ids)))}
    return [rows[qid] for qid in attempt.question_ids if qid in rows]


def shown(attempt: Attempt, question: Question) -> Shown:
    """What this attempt shows for the question: shuffled once per attempt, the same on every refresh;
    choice options in a fixed order when a class assignment turned option shuffling off."""
    rng = random.Random(f"{attempt.seed}:{question.id}")
    return QUESTION_TYPES[question.type].shown(question.prompt, question.data, rng,
                                               shuffle_options=attempt.settings.get("shuffle_options", True))


def answers_by_question(attempt: Attempt) -> dict[str, AttemptAnswer]:
    return {a.question_id: a for a in attempt.answers}


def next_position(attempt: Attempt) -> int | None:
    """Index of the first unanswered question, or None when all are answered."""
    answered = answers_by_question(attempt)
    for index, qid in enumerate(attempt.question_ids):
        if qid not in answered:
            return index
    return None


def is_over(attempt: Attempt, now: datetime) -> bool:
    """Finished, or past its time limit."""
    return attempt.finished_at is not None or _time_is_up(attempt, now)


def last_feedback_to_show(attempt: Attempt, position: int, now: datetime) -> bool:
    """In a practice quiz that the answer at `position` just finished (not one that ran out of
    time), that answer's feedback is still shown before the results."""
    return (attempt.mode == "practice" and not _time_is_up(attempt, now)
            and attempt.question_ids[position] in answers_by_question(attempt))


def _time_is_up(attempt: Attempt, now: datetime) -> bool:
    return attempt.deadline_at is not None and now >= attempt.deadline_at


def finish_if_time_is_up(attempt: Attempt, now: datetime) -> bool:
    """End an unfinished attempt whose time limit has passed (at the limit); True when this ended it."""
    if attempt.finished_at is not None or not _time_is_up(attempt, now):
        return False
    assert attempt.deadline_at is not None
    finish(attempt, attempt.deadline_at)
    return True


ARCHIVED_CLASS = ("This quiz is an assignment of a class that has been archived: it is read-only, so your "
                  "answer was not stored.")


def _class_archived(attempt: Attempt) -> bool:
    """Whether the attempt is a class assignment whose class is archived (read-only)."""
    if attempt.assignment_id is None:
        return False
    archived_at = db.session.scalar(select(Classroom.archived_at).join(Assignment)
                                    .where(Assignment.id == attempt.assignment_id))
    return archived_at is not None


def _answered(attempt: Attempt, position: int, now: datetime) -> AttemptAnswer | None:
    """The answer already given at this position, or None when one may be given now;
    QuizError (TimeUp) when the quiz has no such question, is over or ran out of time."""
    if not 0 <= position < len(attempt.question_ids):
        raise QuizError("This quiz has no such question.")
    existing = answers_by_question(attempt).get(attempt.question_ids[position])
    if existing is not None:
        return existing
    if _class_archived(attempt):
        raise QuizError(ARCHIVED_CLASS)
    if finish_if_time_is_up(attempt, now) or (attempt.finished_at is not None and _time_is_up(attempt, now)):
        raise TimeUp("Time is up: this answer arrived after the quiz's time limit and was not counted.")
    if attempt.finished_at is not None:
        raise QuizError("This quiz is finished; answers can no longer be changed.")
    return None


def answer_form(attempt: Attempt, position: int, form: Form, now: datetime,
                skip: bool = False) -> tuple[AttemptAnswer, bool]:
    """Read the learner's form for the question at a position, then grade and store it as
    submit_answer does. AnswerUnreadable (nothing stored) when the form cannot be graded as
    sent. In a test-mode quiz, `skip` records the question as skipped (wrong)."""
    existing = _answered(attempt, position, now)
    if existing is not None:
        return existing, False
    question = db.session.get(Question, attempt.question_ids[position])
    assert question is not None
    if skip and attempt.mode == "test":
        return submit_answer(attempt, position, None, now, skipped=True)
    try:
        response = QUESTION_TYPES[question.type].read_response(form, shown(attempt, question))
    except Unreadable as problem:
        raise AnswerUnreadable(problem.message, problem.field) from problem
    return submit_answer(attempt, position, response, now)


def submit_answer(attempt: Attempt, position: int, response: Any, now: datetime,
                  skipped: bool = False) -> tuple[AttemptAnswer, bool]:
    """Grade and store the answer at a position; returns (answer, newly_recorded).

    A second submission for the same question returns the first answer unchanged. The first
    answer also updates the learner's memory of the question (right → Good, wrong → Again;
    a skipped question is wrong).
    """
    existing = _answered(attempt, position, now)
    if existing is not None:
        return existing, False
    question_id = attempt.question_ids[position]
    question = db.session.get(Question, question_id)
    assert question is not None
    result: Grade = Grade(0.0, (SKIPPED,)) if skipped else grade(question.type, question.data, response)
    answer = AttemptAnswer(attempt_id=attempt.id, question_id=question_id, position=position, response=response,
                           score=result.score, feedback=list(result.feedback), answered_at=now)
    try:
        db.session.add(answer)
        db.session.flush()
        studying.record_quiz_answer(attempt.user_id, question_id, result.correct, now)
        db.session.flush()
        db.session.refresh(attempt)
        if next_position(attempt) is None:
            _finish(attempt, now)
        db.session.commit()
    except IntegrityError:  # the same answer arrived twice at once: keep the first
        db.session.rollback()
        first = db.session.scalar(select(AttemptAnswer).where(
            AttemptAnswer.attempt_id == attempt.id, AttemptAnswer.question_id == question_id))
        assert first is not None
        return first, False
    return answer, True


def _self_assessed_ids(attempt: Attempt) -> set[str]:
    """The attempt's questions that the learner grades themselves (flashcards)."""
    kinds = {name for name, qtype in QUESTION_TYPES.items() if qtype.self_assessed}
    return set(db.session.scalars(select(Question.id).where(
        Question.id.in_(attempt.question_ids), Question.type.in_(kinds))))


def _finish(attempt: Attempt, now: datetime) -> None:
    """Mark the attempt finished and score it: the mean over graded questions, unanswered ones 0.

    Flashcards are graded by the learner ("I knew it"), so they are not part of the score;
    an attempt of flashcards only has no score.
    """
    if attempt.finished_at is None:
        attempt.finished_at = now
    cards = _self_assessed_ids(attempt)
    scored = [qid for qid in attempt.question_ids if qid not in cards]
    answers = answers_by_question(attempt)
    attempt.score = (sum(answers[qid].score for qid in scored if qid in answers) / len(scored)
                     if scored else None)


def finish(attempt: Attempt, now: datetime) -> None:
    """End the attempt (unanswered questions count 0)."""
    _finish(attempt, now)
    db.session.commit()


def finish_now(attempt: Attempt, now: datetime) -> None:
    """The learner ends the attempt ("Finish the quiz now"); QuizError for an assignment of an
    archived class, which is read-only (its teacher's gradebook may still close it)."""
    if attempt.finished_at is None and _class_archived(attempt):
        raise QuizError("This quiz is an assignment of a class that has been archived: it is read-only, "
                        "so it was not finished.")
    finish(attempt, now)


def history(user: User, limit: int = 50) -> list[Attempt]:
    """The learner's attempts, newest first."""
    return list(db.session.scalars(
        select(Attempt).where(Attempt.user_id == user.id).order_by(Attempt.started_at.desc()).limit(limit)))


def quiz_options(viewer: User | None = None) -> dict[str, list[str]]:
    """The tags and types of the questions a quiz can be drawn from: active questions of the
    active banks the viewer may see. Without a viewer: what a visitor sees (as catalog.list_banks)."""
    drawable = (Question.retired_at.is_(None), Bank.retired_at.is_(None), visible_banks(viewer))
    tags = sorted(set(db.session.scalars(select(QuestionTag.tag).join(Question).join(Bank).where(*drawable))))
    types = sorted(set(db.session.scalars(select(Question.type).join(Bank).where(*drawable))))
    return {"tags": tags, "types": types}


# --- class assignments (quiz/services/assignments.py uses these) -----------------------

def candidate_ids(request: QuizRequest) -> list[str]:
    """Ids of the active questions a quiz request selects, in bank order."""
    return [candidate.id for candidate in _candidates(request)]


def shuffled_without_giveaways(question_ids: list[str], rng: random.Random) -> list[str]:
    """These questions (an assignment's, drawn from the banks its teacher may see) in a random
    order in which none gives away a later one's answer (as a quiz is assembled), every question kept."""
    request = QuizRequest(bank_ids=[], tags=[], types=[], question_ids=list(question_ids))
    return assembly.order_all(_candidates(request, visible_only=False), rng)  # drawn under the teacher's view
