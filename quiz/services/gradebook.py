"""The gradebook: students × assignments, per-student and per-assignment work, CSV files."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from statistics import fmean
from typing import Any

from sqlalchemy import func, select

from ..domain.question_types import grade
from ..domain.spreadsheet import to_csv
from ..extensions import db
from ..models import Assignment, Attempt, AttemptAnswer, Classroom, Question, Regrade, User
from .assignments import Cell, attempts_of, class_cells
from .classes import Student, students

SORT_KEYS = ("name", "email", "last", "average")


@dataclass
class GridRow:
    """One student's line: a cell per assignment, their average and counts."""

    student: Student
    cells: list[Cell]

    @property
    def average(self) -> float | None:
        """Mean of counted scores over work done or past due (missing counts 0)."""
        scores = [c.standing.score or 0.0 for c in self.cells
                  if c.standing.status in ("done", "missing") or c.standing.overridden]
        return fmean(scores) if scores else None

    def count(self, what: str) -> int:
        """How many assignments are done, late or missing."""
        if what == "late":
            return sum(1 for c in self.cells if c.standing.status == "done" and c.standing.late)
        return sum(1 for c in self.cells if c.standing.status == what)


@dataclass
class Grid:
    assignments: list[Assignment]
    rows: list[GridRow]
    sort: str
    descending: bool


def _sort_value(row: GridRow, sort: str, assignments: list[Assignment]) -> tuple[bool, Any]:
    """A key that puts missing values last whatever the direction is handled by the caller."""
    if sort == "email":
        return False, row.student.email
    if sort == "last":
        return row.student.last_activity is None, row.student.last_activity
    if sort == "average":
        return row.average is None, row.average
    if sort.startswith("a") and sort[1:].isdigit():
        for index, assignment in enumerate(assignments):
            if assignment.id == int(sort[1:]):
                score = row.cells[index].standing.score
                return score is None, score
    return False, row.student.name.casefold()


def grid(classroom: Classroom, now: datetime, sort: str = "name", descending: bool = False) -> Grid:
    """The class's grid, sorted by name, email, last activity, average or one assignment ("a<ID>")."""
    assignments = list(classroom.assignments)
    cells = class_cells(classroom, now)
    rows = [GridRow(s, [cells[(s.user_id, a.id)] for a in assignments]) for s in students(classroom)]
    valid = sort in SORT_KEYS or (sort.startswith("a") and sort[1:].isdigit()
                                  and any(a.id == int(sort[1:]) for a in assignments))
    sort = sort if valid else "name"
    present = [r for r in rows if not _sort_value(r, sort, assignments)[0]]
    absent = [r for r in rows if _sort_value(r, sort, assignments)[0]]
    present.sort(key=lambda r: (_sort_value(r, sort, assignments)[1], r.student.name.casefold()), reverse=descending)
    return Grid(assignments, present + absent, sort, descending)


# --- one student, one assignment ---------------------------------------------------------

@dataclass
class Work:
    """A student's attempts on one assignment, with the questions they were asked."""

    assignment: Assignment
    cell: Cell
    attempts: list[Attempt]


def questions_for(attempts: list[Attempt]) -> dict[str, Question]:
    ids = {qid for a in attempts for qid in a.question_ids}
    return {q.id: q for q in db.session.scalars(select(Question).where(Question.id.in_(ids)))}


def student_work(classroom: Classroom, student: Student, now: datetime) -> list[Work]:
    """Every assignment of the class with this student's cell and attempts."""
    cells = class_cells(classroom, now)
    return [Work(a, cells[(student.user_id, a.id)], attempts_of(a, student.user_id)) for a in classroom.assignments]


def find_student(classroom: Classroom, user_id: int) -> Student | None:
    return next((s for s in students(classroom) if s.user_id == user_id), None)


@dataclass
class AssignmentRow:
    student: Student
    cell: Cell
    attempts: list[Attempt]


def assignment_rows(classroom: Classroom, assignment: Assignment, now: datetime) -> list[AssignmentRow]:
    """Each student's standing and attempts on one assignment."""
    cells = class_cells(classroom, now)
    return [AssignmentRow(s, cells[(s.user_id, assignment.id)], attempts_of(assignment, s.user_id))
            for s in students(classroom)]


# --- CSV ----------------------------------------------------------------------------------

def _pct(score: float | None) -> float | None:
    return None if score is None else round(score * 100, 1)


def grid_csv(classroom: Classroom, now: datetime, excel: bool = False) -> str:
    """One row per student: per assignment the score (%), status, late, attempts and any override comment."""
    table = grid(classroom, now)
    header = ["Name", "Email", "Last activity (UTC)", "Average (%)", "Done", "Late", "Missing"]
    for a in table.assignments:
        header += [f"{a.title} (%)", f"{a.title}: status", f"{a.title}: late", f"{a.title}: attempts",
                   f"{a.title}: override comment"]
    rows = []
    for row in table.rows:
        line: list[Any] = [row.student.name, row.student.email,
                           row.student.last_activity.isoformat() if row.student.last_activity else "",
                           _pct(row.average), row.count("done"), row.count("late"), row.count("missing")]
        for cell in row.cells:
            status = cell.standing.status + (" (overridden)" if cell.standing.overridden else "")
            line += [_pct(cell.standing.score), status, cell.standing.late, cell.standing.attempts,
                     cell.override_comment or ""]
        rows.append(line)
    return to_csv(header, rows, excel)


def _response(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def answers_csv(classroom: Classroom, excel: bool = False) -> str:
    """One row per answer: student, assignment, attempt, question, response, score, answered at."""
    header = ["Name", "Email", "Assignment", "Attempt", "Attempt id", "Question id", "Response", "Score (%)",
              "Answered at (UTC)"]
    people = {s.user_id: s for s in students(classroom)}
    titles = {a.id: a.title for a in classroom.assignments}
    rows = []
    if people and titles:
        query = (select(Attempt.id, Attempt.user_id, Attempt.assignment_id, AttemptAnswer.question_id,
                        AttemptAnswer.response, AttemptAnswer.score, AttemptAnswer.answered_at)
                 .join(AttemptAnswer)
                 .where(Attempt.assignment_id.in_(titles), Attempt.user_id.in_(people))
                 .order_by(Attempt.user_id, Attempt.assignment_id, Attempt.started_at, Attempt.id,
                           AttemptAnswer.position))
        numbers: dict[int, int] = {}
        seen: dict[tuple[int, int], int] = {}
        for attempt_id, user_id, assignment_id, question_id, response, score, answered_at in db.session.execute(query):
            if attempt_id not in numbers:
                seen[(user_id, assignment_id)] = seen.get((user_id, assignment_id), 0) + 1
                numbers[attempt_id] = seen[(user_id, assignment_id)]
            person = people[user_id]
            rows.append([person.name, person.email, titles[assignment_id], numbers[attempt_id], attempt_id,
                         question_id, _response(response), _pct(score), answered_at.isoformat()])
    return to_csv(header, rows, excel)


# --- regrading after a question changed -----------------------------------------------------

def _last_regrade(assignment: Assignment) -> datetime | None:
    return db.session.scalar(select(func.max(Regrade.done_at)).where(Regrade.assignment_id == assignment.id))


def stale_answers(assignment: Assignment) -> list[AttemptAnswer]:
    """Answers to this assignment given before their question was last edited (and not
    regraded since)."""
    since = _last_regrade(assignment)
    query = (select(AttemptAnswer).join(Attempt).join(Question, Question.id == AttemptAnswer.question_id)
             .where(Attempt.assignment_id == assignment.id, Question.updated_at > AttemptAnswer.answered_at))
    if since is not None:
        query = query.where(Question.updated_at > since)
    return list(db.session.scalars(query.order_by(AttemptAnswer.id)))


def regrade(assignment: Assignment, by: User, now: datetime) -> Regrade:
    """Grade the stale answers again with the questions as they are now; attempts' scores follow.

    Flashcard memory is not touched: the review log is history.
    """
    changes: list[dict[str, Any]] = []
    stale = stale_answers(assignment)
    touched: dict[int, Attempt] = {}
    questions = {q.id: q for q in db.session.scalars(
        select(Question).where(Question.id.in_({answer.question_id for answer in stale})))}
    for answer in stale:
        question = questions[answer.question_id]
        result = grade(question.type, question.data, answer.response)
        if abs(result.score - answer.score) > 1e-9:
            changes.append({"answer_id": answer.id, "attempt_id": answer.attempt_id, "user_id": answer.attempt.user_id,
                            "question_id": answer.question_id, "before": answer.score, "after": result.score})
        answer.score, answer.feedback = result.score, list(result.feedback)
        touched[answer.attempt_id] = answer.attempt
    for attempt in touched.values():
        if attempt.finished_at is not None and attempt.question_ids:
            attempt.score = sum(a.score for a in attempt.answers) / len(attempt.question_ids)
    row = Regrade(assignment_id=assignment.id, done_by=by.id, done_at=now, answers_checked=len(stale),
                  changes=changes)
    db.session.add(row)
    db.session.commit()
    return row


def regrades(assignment: Assignment) -> list[Regrade]:
    """The assignment's regrades, newest first."""
    return list(db.session.scalars(select(Regrade).where(Regrade.assignment_id == assignment.id)
                                   .order_by(Regrade.done_at.desc())))


def regraded_assignment_ids(classroom: Classroom) -> set[int]:
    """Assignments of the class with at least one regrade that changed a score."""
    ids = [a.id for a in classroom.assignments]
    rows = db.session.scalars(select(Regrade).where(Regrade.assignment_id.in_(ids))) if ids else []
    return {r.assignment_id for r in rows if r.changes}
