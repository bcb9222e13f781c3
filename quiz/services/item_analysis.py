"""Item analysis of class work: the attempts of an assignment's students (or of every class
that used a bank's questions) turned into `domain.item_analysis` input, and the figures out.

Each answered question is one response: its mark (0–1, as graded) and, for a choice question,
the options chosen, named as the bank writes them. A question left unanswered in a finished
attempt counts 0, as the attempt's score counts it. Only finished attempts are analysed.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ..domain import item_analysis as ia, item_report
from ..domain.banks import read_bank
from ..domain.question_types import QUESTION_TYPES
from ..domain.question_types.base import _option_key
from ..extensions import db
from ..models import Assignment, Attempt, AttemptAnswer, Bank, Classroom, Enrollment, Question
from . import authoring

WHICH = ("first", "all")  # which attempts of each student: Moodle's default is the first
CHOICE_TYPES = ("mcq", "multi", "truefalse")
LABEL_LENGTH = 70


# --- questions as the analysis sees them ---------------------------------------------------

def _options(question: Question) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(every option, the keys) of a choice question, as written in the bank; () for others."""
    data = question.data
    if question.type == "mcq":
        return (data["answer"], *data["distractors"]), (data["answer"],)
    if question.type == "multi":
        return (*data["answers"], *data["distractors"]), tuple(data["answers"])
    if question.type == "truefalse":
        return ("True", "False"), ("True" if data["answer"] else "False",)
    return (), ()


def label(question: Question) -> str:
    """The question's prompt as shown before answering, cut to one line."""
    text = " ".join(QUESTION_TYPES[question.type].display_prompt(question.prompt).split()) \
        if question.type in QUESTION_TYPES else question.prompt
    return text if len(text) <= LABEL_LENGTH else text[:LABEL_LENGTH - 1].rstrip() + "…"


def item(question: Question) -> ia.Item:
    options, keys = _options(question)
    return ia.Item(question.id, label(question), options, keys)


def option_names(question: Question) -> dict[str, str]:
    """A choice question's options by the key a form's answer is compared with."""
    options, _keys = _options(question)
    return {_option_key(o): o for o in options}


def choices(question: Question, response: Any, names: dict[str, str] | None = None) -> tuple[str, ...]:
    """The options a stored response chose, named as the bank writes them (a response the
    bank does not list is kept as typed); () when nothing was chosen or not a choice question.
    `names`: the question's `option_names`, when already at hand."""
    if question.type == "truefalse":
        return ("True",) if response is True else ("False",) if response is False else ()
    if question.type not in ("mcq", "multi"):
        return ()
    canonical = option_names(question) if names is None else names
    picked = response if isinstance(response, list) else [response]
    found: list[str] = []
    for value in picked:
        if isinstance(value, str) and value.strip():
            name = canonical.get(_option_key(value), " ".join(value.split()))
            if name not in found:
                found.append(name)
    return tuple(found)


def _questions(ids: Iterable[str]) -> dict[str, Question]:
    wanted = set(ids)
    if not wanted:
        return {}
    return {q.id: q for q in db.session.scalars(select(Question).where(Question.id.in_(wanted)))}


def to_attempts(rows: Sequence[Any], questions: dict[str, Question], *, slots: bool) -> list[ia.Attempt]:
    """Stored attempts (rows with id and question_ids) as analysis input: one response per question asked (a question no longer
    in the database is left out); `slots`: each position is one item (random draws)."""
    answers: dict[int, dict[str, tuple[float, Any]]] = {}
    ids = [a.id for a in rows]
    for start in range(0, len(ids), 500):
        for attempt_id, qid, score, response in db.session.execute(
                select(AttemptAnswer.attempt_id, AttemptAnswer.question_id, AttemptAnswer.score, AttemptAnswer.response)
                .where(AttemptAnswer.attempt_id.in_(ids[start:start + 500]))):
            answers.setdefault(attempt_id, {})[qid] = (score, response)
    names = {qid: option_names(q) for qid, q in questions.items() if q.type in ("mcq", "multi")}
    seen: dict[tuple[str, Any], tuple[str, ...]] = {}  # a class gives the same few responses: read each once
    made = []
    for attempt in rows:
        given = answers.get(attempt.id, {})
        responses = []
        for position, qid in enumerate(attempt.question_ids):
            question = questions.get(qid)
            if question is None:
                continue
            score, response = given.get(qid, (0.0, None))
            key = (qid, tuple(response) if isinstance(response, list) else response)
            try:
                chosen = seen[key]
            except (KeyError, TypeError):  # TypeError: a response that cannot be a key (a dict)
                chosen = choices(question, response, names.get(qid))
                if not isinstance(response, dict):
                    seen[key] = chosen
            responses.append(ia.Response(qid, min(max(score, 0.0), 1.0), choices=chosen,
                                         slot=position if slots else None))
        made.append(ia.Attempt(tuple(responses), attempt.id))
    return made


# --- one assignment ------------------------------------------------------------------------

@dataclass(frozen=True)
class AssignmentAnalysis:
    """An assignment's figures, with what they were computed from."""

    assignment: Assignment
    which: str  # first | all
    analysis: ia.ItemAnalysis
    questions: dict[str, Question]
    students: int  # students with an attempt counted
    in_progress: int  # attempts left out because they are not finished
    random_draw: bool

    def question(self, question_id: str) -> Question | None:
        return self.questions.get(question_id)


def _finished_attempts(assignment: Assignment, which: str) -> tuple[list[Any], int]:
    """The finished attempts of the class's current students (the first of each, or all),
    and how many of the wanted attempts are still in progress."""
    enrolled = select(Enrollment.user_id).where(Enrollment.classroom_id == assignment.classroom_id)
    rows = list(db.session.execute(  # only the columns used: much faster than whole rows at 1,000 attempts
        select(Attempt.id, Attempt.user_id, Attempt.question_ids, Attempt.finished_at)
        .where(Attempt.assignment_id == assignment.id, Attempt.user_id.in_(enrolled))
        .order_by(Attempt.user_id, Attempt.started_at, Attempt.id)))
    if which == "first":
        firsts: dict[int, Any] = {}
        for attempt in rows:
            firsts.setdefault(attempt.user_id, attempt)
        rows = list(firsts.values())
    finished = [a for a in rows if a.finished_at is not None]
    return finished, len(rows) - len(finished)


def analyse_assignment(assignment: Assignment, which: str = "first") -> AssignmentAnalysis:
    """Moodle's statistics for one quiz assignment over its students' finished attempts: the
    first of each student (Moodle's default) or all of them."""
    if which not in WHICH:
        raise ValueError(f"which attempts: one of {', '.join(WHICH)}, not {which!r}")
    attempts, in_progress = _finished_attempts(assignment, which)
    random_draw = not assignment.same_set
    asked = [qid for a in attempts for qid in a.question_ids]
    order = list(assignment.question_ids or []) + asked
    questions = _questions(order)
    ordered = [questions[qid] for qid in dict.fromkeys(order) if qid in questions]
    if random_draw:  # no set order: the bank's
        ordered.sort(key=lambda q: (q.bank_id, q.position))
    analysis = ia.analyse(to_attempts(attempts, questions, slots=random_draw), [item(q) for q in ordered])
    return AssignmentAnalysis(assignment, which, analysis, questions, len({a.user_id for a in attempts}),
                              in_progress, random_draw)


def quiz_assignments(classroom: Classroom) -> list[Assignment]:
    """The class's quiz assignments (flashcard ones have no items to analyse)."""
    return [a for a in classroom.assignments if a.kind == "quiz"]


def figures(result: AssignmentAnalysis) -> dict[str, Any]:
    """The figures as plain JSON-ready values (fractions, as the domain gives them)."""
    quiz = result.analysis.quiz
    return {
        "assignment": {"id": result.assignment.id, "title": result.assignment.title},
        "attempts_analysed": result.which,
        "students": result.students,
        "attempts_in_progress_left_out": result.in_progress,
        "random_draw": result.random_draw,
        "quiz": {name: getattr(quiz, name) for name in quiz.__dataclass_fields__},
        "questions": [
            {"position": index + 1, "question_id": q.question_id, "label": q.label,
             "bank_id": result.questions[q.question_id].bank_id if q.question_id in result.questions else None,
             "attempts": q.attempts, "max_mark": q.max_mark, "mean_mark": q.mean_mark, "facility": q.facility,
             "standard_deviation": q.standard_deviation, "discrimination_index": q.discrimination_index,
             "discriminative_efficiency": q.discriminative_efficiency, "dubious": q.is_dubious,
             "unanswered": q.unanswered,
             "options": [{"option": o.option, "key": o.key, "count": o.count, "share": o.share} for o in q.options]}
            for index, q in enumerate(result.analysis.questions)],
    }


# --- lint for a bank's authors -------------------------------------------------------------

@dataclass(frozen=True)
class Place:
    """Where a question is written: its bank file, and the line when the file still matches."""

    path: str
    line: int | None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True)
class QuestionLint:
    """The remarks on one question of a bank, with its pooled figures and where it is written."""

    question: Question
    stats: ia.QuestionStatistics
    remarks: tuple[item_report.Lint, ...]
    place: Place


@dataclass(frozen=True)
class BankLint:
    bank: Bank
    questions_answered: int  # questions of the bank with at least one answer in a class
    answers: int  # their answers in all
    classes: int  # classes whose assignments used them
    findings: tuple[QuestionLint, ...]
    min_answers: int = item_report.MIN_ANSWERS_FOR_LINT


def _shown_path(path: str, banks_dir: str | None) -> str:
    """The bank file's path as an author knows it: relative to the banks' folder's parent."""
    if banks_dir:
        base = Path(banks_dir).resolve().parent
        try:
            return os.fspath(Path(path).resolve().relative_to(base))
        except ValueError:
            pass
    return path


def _text(bank: Bank) -> bytes | None:
    """The YAML the bank's questions were loaded from: a web bank's published version (stored in
    the database), a file bank's file; None when it is not there."""
    if bank.origin == "web":
        published = authoring.latest(bank.id)
        return published.text.encode("utf-8") if published is not None else None
    try:
        return Path(bank.path).read_bytes()
    except OSError:
        return None


def _lines(bank: Bank) -> dict[str, int]:
    """Each question id's line in the bank's text, if it is there and reads without error;
    empty otherwise (the page then names the file and the id)."""
    data = _text(bank)
    spec = read_bank(bank.path, data)[0] if data is not None else None
    if spec is None:
        return {}
    return {qid: line for qid, line, _col in spec.id_places}


def _shown_file(bank: Bank, banks_dir: str | None) -> str:
    """The bank's file name as its authors know it (a web bank's, as the editor names it)."""
    return authoring.file_name(bank.id) if bank.origin == "web" else _shown_path(bank.path, banks_dir)


def bank_lint(bank: Bank, banks_dir: str | None = None, *, min_answers: int = item_report.MIN_ANSWERS_FOR_LINT) -> BankLint:
    """Moodle's per-question figures for a bank's questions pooled over every finished class
    attempt that asked them (every class, every attempt), and the lint remarks on them."""
    questions = {q.id: q for q in db.session.scalars(
        select(Question).where(Question.bank_id == bank.id, Question.retired_at.is_(None)).order_by(Question.position))}
    if not questions:
        return BankLint(bank, 0, 0, 0, (), min_answers)
    ids = list(questions)
    asked = (select(AttemptAnswer.attempt_id).where(AttemptAnswer.question_id.in_(ids)))
    rows = list(db.session.execute(
        select(Attempt.id, Attempt.assignment_id, Attempt.question_ids)
        .where(Attempt.assignment_id.is_not(None), Attempt.finished_at.is_not(None), Attempt.id.in_(asked))
        .order_by(Attempt.id)))
    classes = len(set(db.session.scalars(
        select(Assignment.classroom_id).where(Assignment.id.in_({a.assignment_id for a in rows}))))) if rows else 0
    everything = _questions({qid for a in rows for qid in a.question_ids})
    # each attempt's total counts every question it asked; only this bank's questions get a row
    analysis = ia.analyse(to_attempts(rows, everything, slots=False), [item(q) for q in questions.values()])
    mine = [s for s in analysis.questions if s.question_id in questions and s.attempts]
    findings = []
    lines: dict[str, int] | None = None
    for stats in mine:
        remarks = item_report.question_lint(stats, min_answers=min_answers)
        if not remarks:
            continue
        if lines is None:
            lines = _lines(bank)
        findings.append(QuestionLint(questions[stats.question_id], stats, tuple(remarks),
                                     Place(_shown_file(bank, banks_dir), lines.get(stats.question_id))))
    return BankLint(bank, len(mine), sum(s.attempts for s in mine), classes, tuple(findings), min_answers)


def lint_for_bank(bank_id: str, banks_dir: str | None = None) -> BankLint | None:
    """`bank_lint` of the bank with this id, or None when there is no such bank."""
    bank = db.session.get(Bank, bank_id)
    return bank_lint(bank, banks_dir) if bank is not None else None
