"""A quiz's results: each question's outcome, the summary, whether the answers may be shown,
and retrying the questions missed."""
from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from ..domain.classroom import answers_visible as _answers_visible
from ..domain.question_types import QUESTION_TYPES
from ..extensions import db
from ..models import Attempt, AttemptAnswer, Question, User
from .quizzes import QuizError, QuizRequest, answers_by_question, questions_of, start_quiz


@dataclass(frozen=True)
class Summary:
    """An attempt's outcome: graded questions right, partly right, wrong or unanswered of those
    scored, and self-assessed flashcards apart (known or not)."""

    right: int = 0
    partial: int = 0
    wrong: int = 0
    unanswered: int = 0
    knew: int = 0
    unknown: int = 0

    @property
    def scored(self) -> int:
        return self.right + self.partial + self.wrong + self.unanswered

    @property
    def self_assessed(self) -> int:
        return self.knew + self.unknown


def outcome(question: Question, answer: AttemptAnswer | None) -> str:
    """How results file one question: right, partial, wrong or unanswered; a self-assessed
    flashcard is knew or unknown (it is not scored)."""
    if answer is None:
        return "unanswered"
    if QUESTION_TYPES[question.type].self_assessed:
        return "knew" if answer.score >= 0.999 else "unknown"
    return "right" if answer.score >= 0.999 else ("partial" if answer.score > 0 else "wrong")


def summary(attempt: Attempt, questions: list[Question] | None = None) -> Summary:
    """How many questions of each outcome the attempt has (its `questions` when already loaded)."""
    answers = answers_by_question(attempt)
    counts = Counter(outcome(q, answers.get(q.id)) for q in (questions if questions is not None else questions_of(attempt)))
    return Summary(**counts)


def missed_question_ids(attempt: Attempt) -> list[str]:
    answered = answers_by_question(attempt)
    return [qid for qid in attempt.question_ids if qid not in answered or answered[qid].score < 0.999]


def retry_missed(attempt: Attempt, now: datetime, rng: random.Random) -> Attempt:
    """A new attempt, same settings, with only the questions missed or left unanswered."""
    if attempt.assignment_id is not None:
        raise QuizError("This quiz is a class assignment: start another attempt from the class page.")
    missed = missed_question_ids(attempt)
    if not missed:
        raise QuizError("You got every question right — nothing to retry.")
    settings = attempt.settings
    request = QuizRequest(bank_ids=[], tags=[], types=[], count=len(missed), mode=attempt.mode,
                          time_limit_minutes=settings.get("time_limit_minutes"), question_ids=missed)
    user = db.session.get(User, attempt.user_id)
    assert user is not None
    retry = start_quiz(user, request, now, rng)
    retry.title = f"Retry: {attempt.title}"
    db.session.commit()
    return retry


def answers_visible(attempt: Attempt, now: datetime) -> bool:
    """Whether the learner may see the correct answers of this attempt now: always for
    self-study; for a class assignment, as its teacher chose (at once, after due, never)."""
    rule = attempt.settings.get("reveal", "immediately")
    due = attempt.settings.get("due_at")
    return _answers_visible(rule, now=now, due_at=datetime.fromisoformat(due) if due else None)
