"""Class assignments: set them, start attempts through the quiz engine, and work out
where every student stands (done, late, missing, with the score that counts)."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..domain.classroom import (COUNTING_RULES, LATE_POLICIES, REVEAL_RULES, Standing, Submission, may_start,
                                standing)
from ..extensions import db
from ..models import (Assignment, Attempt, Bank, Classroom, Enrollment, Question, ReviewLog, ScoreOverride,
                      User)
from . import quizzes
from .sharing import visible_banks
from .classes import ClassError, enrollment_of, studying_in

KINDS = ("quiz", "cards")


class AssignmentError(ClassError):
    """An assignment that cannot be set or started, with a message for the user."""


ARCHIVED = ("This class is archived: its assignments are read-only and can no longer be started or "
            "continued. Ask your teacher if you think it should be restored.")


@dataclass
class AssignmentSpec:
    """What a teacher sets: the questions and the rules."""

    title: str
    kind: str = "quiz"
    bank_ids: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    picked_ids: list[str] | None = None
    count: int = 10
    same_set: bool = True
    shuffle: bool = True
    shuffle_options: bool = True
    mode: str = "test"
    time_limit_minutes: int | None = None
    opens_at: datetime | None = None
    due_at: datetime | None = None
    attempts_allowed: int | None = 1
    counting: str = "best"
    late_policy: str = "accept"
    reveal: str = "after_due"


def _request(spec: AssignmentSpec | Assignment, viewer: User | None = None) -> quizzes.QuizRequest:
    """The assignment's questions as a quiz request, from the banks its teacher may see (the
    teacher who set it, for an assignment already made)."""
    if isinstance(spec, Assignment) and viewer is None and spec.created_by is not None:
        viewer = db.session.get(User, spec.created_by)
    return quizzes.QuizRequest(bank_ids=list(spec.bank_ids), tags=list(spec.tags), types=list(spec.types),
                               count=spec.count, question_ids=list(spec.picked_ids) if spec.picked_ids else None,
                               viewer=viewer)


def _check_rules(spec: AssignmentSpec) -> None:
    if not spec.title.strip():
        raise AssignmentError("Give the assignment a title.")
    if spec.kind not in KINDS:
        raise AssignmentError("Choose a quiz or a flashcard assignment.")
    if not 1 <= spec.count <= 500:
        raise AssignmentError("Choose between 1 and 500 questions.")
    if spec.counting not in COUNTING_RULES or spec.late_policy not in LATE_POLICIES or spec.reveal not in REVEAL_RULES:
        raise AssignmentError("Choose the attempt, late-work and answer rules from the lists.")
    if spec.mode not in quizzes.MODES:
        raise AssignmentError("Choose practice or test mode.")
    if spec.mode == "practice" and spec.reveal != "immediately" and spec.kind == "quiz":
        raise AssignmentError("Practice mode shows the answer after each question: choose test mode to keep "
                              "the answers back until the due date, or show them at once.")
    if spec.attempts_allowed is not None and spec.attempts_allowed < 1:
        raise AssignmentError("Allow at least one attempt (or leave it empty for unlimited).")
    if spec.opens_at and spec.due_at and spec.due_at <= spec.opens_at:
        raise AssignmentError("The due date must come after the opening date.")
    if spec.kind == "cards" and spec.due_at is None:
        raise AssignmentError("A flashcard assignment needs a due date.")


def _check(spec: AssignmentSpec, author: User | None = None) -> list[str]:
    """Check the rules and the questions; the ids of the questions that can be drawn."""
    _check_rules(spec)
    if spec.picked_ids:
        known = set(db.session.scalars(select(Question.id).where(Question.id.in_(spec.picked_ids))))
        unknown = [qid for qid in spec.picked_ids if qid not in known]
        if unknown:
            raise AssignmentError("No question has the id " + ", ".join(unknown) + ".")
    candidates = quizzes.candidate_ids(_request(spec, author))
    if not candidates:
        raise AssignmentError("No questions match this choice of banks, tags, types and questions.")
    return candidates


def create_assignment(classroom: Classroom, spec: AssignmentSpec, author: User, now: datetime,
                      rng: random.Random) -> Assignment:
    """A new assignment; a same-for-everyone quiz draws its questions now."""
    if classroom.archived_at is not None:
        raise AssignmentError("This class is archived; restore it first.")
    candidates = _check(spec, author)
    assignment = Assignment(classroom_id=classroom.id, created_by=author.id, created_at=now,
                            **{k: v for k, v in vars(spec).items()})
    assignment.title = spec.title.strip()
    if spec.kind == "quiz" and spec.same_set:
        drawn = set(rng.sample(candidates, min(spec.count, len(candidates))))
        assignment.question_ids = [qid for qid in candidates if qid in drawn]
    db.session.add(assignment)
    db.session.commit()
    return assignment


RULES = ("title", "time_limit_minutes", "opens_at", "due_at", "attempts_allowed", "counting", "late_policy", "reveal")


def update_rules(assignment: Assignment, spec: AssignmentSpec) -> None:
    """Change an assignment's title, times and rules (not its questions); attempts already
    started follow the new due date and answer rule."""
    current = AssignmentSpec(**{name: getattr(assignment, name) for name in vars(AssignmentSpec(title=""))})
    for name in RULES:
        setattr(current, name, getattr(spec, name))
    current.picked_ids = None  # the questions are not checked again
    _check_rules(current)
    for name in RULES:
        setattr(assignment, name, getattr(current, name))
    assignment.title = current.title.strip()
    for attempt in db.session.scalars(select(Attempt).where(Attempt.assignment_id == assignment.id)):
        attempt.settings = {**attempt.settings, **assignment.settings}
    db.session.commit()


def delete_assignment(assignment: Assignment) -> None:
    """Remove an assignment; its attempts stay in the students' own histories."""
    db.session.delete(assignment)
    db.session.commit()


def get_assignment(classroom: Classroom, assignment_id: int) -> Assignment | None:
    assignment = db.session.get(Assignment, assignment_id)
    return assignment if assignment is not None and assignment.classroom_id == classroom.id else None


def assignment_for_student(class_id: int, assignment_id: int, user: User) -> Assignment | None:
    """The assignment if this user is in its class, archived or not (start_attempt refuses an
    archived class's with a message); else None (the caller answers 404)."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.classroom_id != class_id or enrollment_of(user, assignment.classroom) is None:
        return None
    return assignment


def attempts_of(assignment: Assignment, user_id: int) -> list[Attempt]:
    return list(db.session.scalars(select(Attempt).where(
        Attempt.assignment_id == assignment.id, Attempt.user_id == user_id).order_by(Attempt.started_at)))


def _finish_expired(assignment_ids: list[int], now: datetime) -> None:
    """Close attempts whose time limit has passed, so that they count."""
    expired = list(db.session.scalars(select(Attempt).where(
        Attempt.assignment_id.in_(assignment_ids), Attempt.finished_at.is_(None),
        Attempt.deadline_at.is_not(None), Attempt.deadline_at < now)))
    for attempt in expired:
        quizzes.finish(attempt, attempt.deadline_at or now)


def start_attempt(user: User, assignment: Assignment, now: datetime, rng: random.Random) -> Attempt:
    """The student's open attempt on this assignment, or a new one if the rules allow it."""
    classroom = assignment.classroom
    if enrollment_of(user, classroom) is None:
        raise AssignmentError("You are not in this class.")
    if classroom.archived_at is not None:
        raise AssignmentError(ARCHIVED)
    if assignment.kind != "quiz":
        raise AssignmentError("This assignment is studied with flashcards, not taken as a quiz.")
    _finish_expired([assignment.id], now)
    attempts = attempts_of(assignment, user.id)
    for attempt in attempts:
        if not quizzes.is_over(attempt, now):
            return attempt
    reason = may_start(now=now, opens_at=assignment.opens_at, due_at=assignment.due_at,
                       late_policy=assignment.late_policy, attempts_made=len(attempts),
                       attempts_allowed=assignment.attempts_allowed)
    if reason:
        raise AssignmentError(reason)
    if assignment.same_set and assignment.question_ids:
        ids = list(assignment.question_ids)
    else:
        candidates = quizzes.candidate_ids(_request(assignment))
        if not candidates:
            raise AssignmentError("The questions of this assignment are no longer available. Tell your teacher.")
        drawn = set(rng.sample(candidates, min(assignment.count, len(candidates))))
        ids = [qid for qid in candidates if qid in drawn]
    if assignment.shuffle:
        ids = quizzes.shuffled_without_giveaways(ids, rng)
    deadline = now + timedelta(minutes=assignment.time_limit_minutes) if assignment.time_limit_minutes else None
    if assignment.late_policy == "refuse" and assignment.due_at is not None:
        deadline = min(deadline, assignment.due_at) if deadline else assignment.due_at
    attempt = Attempt(user_id=user.id, mode=assignment.mode, title=assignment.title, question_ids=ids,
                      seed=rng.randrange(2**31), started_at=now, deadline_at=deadline,
                      assignment_id=assignment.id,
                      settings={**assignment.settings, "time_limit_minutes": assignment.time_limit_minutes,
                                "count": len(ids), "shuffle_options": assignment.shuffle_options})
    try:
        db.session.add(attempt)
        db.session.commit()
    except IntegrityError:  # the same student pressed Start twice at once: keep the first attempt
        db.session.rollback()
        first = db.session.scalar(select(Attempt).where(Attempt.assignment_id == assignment.id,
                                                        Attempt.user_id == user.id, Attempt.finished_at.is_(None)))
        assert first is not None
        return first
    return attempt


# --- standings --------------------------------------------------------------------

@dataclass
class Cell:
    """One student on one assignment: their standing, and for flashcards the cards studied."""

    standing: Standing
    cards_done: int | None = None
    override_comment: str | None = None


def _cards_cells(assignment: Assignment, user_ids: list[int], now: datetime,
                 overrides: dict[int, ScoreOverride]) -> dict[int, Cell]:
    """Progress on "study N cards by DATE": distinct cards reviewed in flashcard study (quiz
    answers do not count) since it opened."""
    since = assignment.opens_at or assignment.created_at
    question_ids = quizzes.candidate_ids(_request(assignment))
    first_reviews = db.session.execute(
        select(ReviewLog.user_id, ReviewLog.question_id, func.min(ReviewLog.reviewed_at))
        .where(ReviewLog.user_id.in_(user_ids), ReviewLog.question_id.in_(question_ids),
               ReviewLog.undone_at.is_(None), ReviewLog.reviewed_at >= since, ReviewLog.source == "study")
        .group_by(ReviewLog.user_id, ReviewLog.question_id)).all()
    times: dict[int, list[datetime]] = {}
    for user_id, _qid, moment in first_reviews:
        times.setdefault(user_id, []).append(moment)
    cells = {}
    for user_id in user_ids:
        moments = sorted(times.get(user_id, []))
        done = len(moments)
        submissions = [Submission(moments[assignment.count - 1], 1.0)] if done >= assignment.count else []
        override = overrides.get(user_id)
        result = standing(submissions, now=now, opens_at=assignment.opens_at, due_at=assignment.due_at,
                          rule="best", in_progress=done > 0, override=override.score if override else None)
        if not submissions and override is None:
            result = Standing(result.status, min(1.0, done / assignment.count) if done else None, False, 0)
        cells[user_id] = Cell(result, cards_done=done, override_comment=override.comment if override else None)
    return cells


def cells_for(assignments: list[Assignment], user_ids: list[int], now: datetime) -> dict[tuple[int, int], Cell]:
    """Every (user id, assignment id) cell: status, counted score, late, attempts."""
    if not assignments or not user_ids:
        return {}
    ids = [a.id for a in assignments]
    _finish_expired(ids, now)
    attempts = db.session.execute(
        select(Attempt.assignment_id, Attempt.user_id, Attempt.finished_at, Attempt.score, Attempt.deadline_at)
        .where(Attempt.assignment_id.in_(ids), Attempt.user_id.in_(user_ids))).all()
    finished: dict[tuple[int, int], list[Submission]] = {}
    running: set[tuple[int, int]] = set()
    for assignment_id, user_id, finished_at, score, _deadline in attempts:
        if finished_at is not None:
            finished.setdefault((user_id, assignment_id), []).append(Submission(finished_at, score or 0.0))
        else:
            running.add((user_id, assignment_id))
    overrides: dict[int, dict[int, ScoreOverride]] = {}
    for row in db.session.scalars(select(ScoreOverride).where(ScoreOverride.assignment_id.in_(ids),
                                                              ScoreOverride.user_id.in_(user_ids))):
        overrides.setdefault(row.assignment_id, {})[row.user_id] = row
    cells: dict[tuple[int, int], Cell] = {}
    for assignment in assignments:
        by_user = overrides.get(assignment.id, {})
        if assignment.kind == "cards":
            for user_id, cell in _cards_cells(assignment, user_ids, now, by_user).items():
                cells[(user_id, assignment.id)] = cell
            continue
        for user_id in user_ids:
            override = by_user.get(user_id)
            key = (user_id, assignment.id)
            result = standing(finished.get(key, []), now=now, opens_at=assignment.opens_at,
                              due_at=assignment.due_at, rule=assignment.counting, in_progress=key in running,
                              override=override.score if override else None)
            cells[key] = Cell(result, override_comment=override.comment if override else None)
    return cells


def class_cells(classroom: Classroom, now: datetime) -> dict[tuple[int, int], Cell]:
    """Every cell of a class's grid."""
    user_ids = list(db.session.scalars(select(Enrollment.user_id).where(Enrollment.classroom_id == classroom.id)))
    return cells_for(list(classroom.assignments), user_ids, now)


@dataclass
class DueItem:
    classroom: Classroom
    assignment: Assignment
    cell: Cell


def due_for(user: User, now: datetime) -> list[DueItem]:
    """A student's assignments in all their classes: late or missing first, then by due date, done last."""
    items: list[DueItem] = []
    for classroom in studying_in(user):
        assignments = list(classroom.assignments)
        cells = cells_for(assignments, [user.id], now)
        items.extend(DueItem(classroom, a, cells[(user.id, a.id)]) for a in assignments)
    order = {"missing": 0, "in_progress": 1, "open": 2, "upcoming": 3, "done": 4}
    far = datetime.max.replace(tzinfo=now.tzinfo)
    return sorted(items, key=lambda i: (order[i.cell.standing.status], i.assignment.due_at or far, i.assignment.id))


def set_override(assignment: Assignment, user_id: int, score: float, comment: str, by: User, now: datetime) -> None:
    """Replace a student's computed score (0..1) with the teacher's, with a comment."""
    if not 0.0 <= score <= 1.0:
        raise AssignmentError("Give a score between 0 and 100 %.")
    if db.session.scalar(select(Enrollment.id).where(Enrollment.classroom_id == assignment.classroom_id,
                                                     Enrollment.user_id == user_id)) is None:
        raise AssignmentError("This student is not in the class.")
    row = db.session.scalar(select(ScoreOverride).where(ScoreOverride.assignment_id == assignment.id,
                                                        ScoreOverride.user_id == user_id))
    values = {"score": score, "comment": comment.strip(), "set_by": by.id, "set_at": now}
    if row is None:
        db.session.add(ScoreOverride(assignment_id=assignment.id, user_id=user_id, **values))
    else:
        for name, value in values.items():
            setattr(row, name, value)
    db.session.commit()


def clear_override(assignment: Assignment, user_id: int) -> None:
    """Go back to the computed score."""
    row = db.session.scalar(select(ScoreOverride).where(ScoreOverride.assignment_id == assignment.id,
                                                        ScoreOverride.user_id == user_id))
    if row is not None:
        db.session.delete(row)
        db.session.commit()



def search_questions(text: str, limit: int = 50, viewer: User | None = None) -> list[Question]:
    """Active questions of banks the viewer may see whose id, prompt or bank id contains `text`
    (to pick by hand)."""
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    query = (select(Question).join(Bank).where(Question.retired_at.is_(None), visible_banks(viewer))
             .where(Question.id.ilike(pattern, escape="\\") | Question.prompt.ilike(pattern, escape="\\")
                    | Question.bank_id.ilike(pattern, escape="\\"))
             .order_by(Question.bank_id, Question.position).limit(limit))
    return list(db.session.scalars(query))
