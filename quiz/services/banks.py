"""Checking, syncing and exporting question banks."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from sqlalchemy import select

from ..domain.banks import BankSpec, QuestionSpec, check_across, export_record, read_bank
from ..domain.problems import BankError, Problem
from ..extensions import db
from ..models import Bank, Question, QuestionTag

Progress = Callable[[str], None]
BANK_SUFFIXES = (".yaml", ".yml")


def find_files(paths: Iterable[Path]) -> list[Path]:
    """The bank files named, or found under the folders named, in a stable order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in BANK_SUFFIXES and p.is_file()))
        else:
            files.append(path)
    return files


def load_banks(paths: Iterable[Path], progress: Progress | None = None) -> list[BankSpec]:
    """Read and validate every bank under paths; raise BankError with all problems found."""
    banks: list[BankSpec] = []
    problems: list[Problem] = []
    for file in find_files(paths):
        if progress:
            progress(str(file))
        try:
            data = file.read_bytes()
        except OSError as exc:
            problems.append(Problem(str(file), 1, 1, f"cannot read the file: {exc.strerror}"))
            continue
        bank, found = read_bank(str(file), data)
        problems.extend(found)
        if bank is not None:
            banks.append(bank)
    problems.extend(check_across(banks))
    if not banks and not problems:
        problems.append(Problem(", ".join(str(p) for p in paths) or ".", 1, 1, "no bank files (*.yaml) found here"))
    if problems:
        raise BankError(problems)
    return banks


@dataclass
class BankCounts:
    """What `banks check` reports for one valid bank."""

    bank_id: str
    title: str
    questions: int
    by_type: Counter[str]
    by_tag: Counter[str]


def summarize(banks: list[BankSpec]) -> list[BankCounts]:
    """Counts per bank, type and tag."""
    return [
        BankCounts(b.id, b.title, len(b.questions), Counter(q.type for q in b.questions),
                   Counter(t for q in b.questions for t in q.tags))
        for b in banks
    ]


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def sync_banks(paths: list[Path], now: datetime, progress: Progress | None = None) -> SyncReport:
    """Make the database match the bank files, in one transaction.

    Questions are keyed by id: new ones are added, edited ones updated in place (so
    learners' progress stays attached), removed ones retired. A problem in any file
    raises BankError before anything changes.
    """
    specs = load_banks(paths, progress)
    report = SyncReport()
    try:
        seen_banks = {spec.id for spec in specs}
        for spec in specs:
            _sync_bank_row(spec, now)
        spec_questions = {q.id: (spec, position, q) for spec in specs for position, q in enumerate(spec.questions)}
        existing = {
            q.id: q for q in db.session.scalars(
                select(Question).where(
                    (Question.bank_id.in_(seen_banks)) | (Question.id.in_(list(spec_questions)))))
        }
        for qid, (spec, position, qspec) in spec_questions.items():
            if progress:
                progress(qid)
            row = existing.get(qid)
            if row is None:
                db.session.add(_new_question(spec, position, qspec, now))
                report.added.append(qid)
            elif (row.content_hash == qspec.content_hash() and row.bank_id == spec.id
                  and row.retired_at is None):
                if row.position != position:
                    row.position = position
                report.unchanged.append(qid)
            else:
                _update_question(row, spec, position, qspec, now)
                report.updated.append(qid)
        for qid, row in existing.items():
            if qid not in spec_questions and row.retired_at is None:
                row.retired_at = now
                report.retired.append(qid)
        report.retired.extend(_retire_missing_banks(paths, seen_banks, now))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report


def _sync_bank_row(spec: BankSpec, now: datetime) -> None:
    row = db.session.get(Bank, spec.id)
    values: dict[str, Any] = {
        "title": spec.title, "description": spec.description, "language": spec.language,
        "sources": {k: {key: val for key, val in vars(v).items() if val is not None} for k, v in spec.sources.items()},
        "tags": spec.tags, "path": str(Path(spec.path).resolve()), "content_hash": spec.content_hash(),
    }
    if row is None:
        db.session.add(Bank(id=spec.id, synced_at=now, **values))
        db.session.flush()
        return
    if row.content_hash != values["content_hash"] or row.path != values["path"] or row.retired_at is not None:
        for key, value in values.items():
            setattr(row, key, value)
        row.retired_at = None
        row.synced_at = now


def _new_question(spec: BankSpec, position: int, q: QuestionSpec, now: datetime) -> Question:
    row = Question(id=q.id, created_at=now)
    _update_question(row, spec, position, q, now)
    return row


def _update_question(row: Question, spec: BankSpec, position: int, q: QuestionSpec, now: datetime) -> None:
    row.bank_id = spec.id
    row.position = position
    row.type = q.type
    row.prompt = q.prompt
    row.data = q.data
    row.explanation = q.explanation
    row.source_id = q.source_id
    row.paragraph = q.paragraph
    row.difficulty = q.difficulty
    row.content_hash = q.content_hash()
    row.updated_at = now
    row.retired_at = None
    current = {t.tag: t for t in row.tags}
    for tag in set(current) - set(q.tags):
        row.tags.remove(current[tag])
    for tag in sorted(set(q.tags) - set(current)):
        row.tags.append(QuestionTag(tag=tag))


def _retire_missing_banks(paths: list[Path], seen: set[str], now: datetime) -> list[str]:
    """Retire banks whose file was under a synced folder and is gone; return retired question ids."""
    folders = [p.resolve() for p in paths if p.is_dir()]
    if not folders:
        return []
    retired: list[str] = []
    for bank in db.session.scalars(select(Bank).where(Bank.retired_at.is_(None), Bank.id.not_in(seen))):
        bank_path = Path(bank.path).resolve()
        if any(bank_path.is_relative_to(folder) for folder in folders):
            bank.retired_at = now
            for question in bank.questions:
                if question.retired_at is None:
                    question.retired_at = now
                    retired.append(question.id)
    return retired


def export_questions(bank_id: str | None = None) -> Iterator[dict[str, Any]]:
    """Every active question (of one bank, if given) as an export record."""
    query = (select(Question).join(Bank).where(Question.retired_at.is_(None))
             .order_by(Question.bank_id, Question.position))
    if bank_id is not None:
        query = query.where(Question.bank_id == bank_id)
    for q in db.session.scalars(query):
        yield export_record(
            question_id=q.id, bank_id=q.bank_id, qtype=q.type, prompt=q.prompt, data=q.data,
            explanation=q.explanation, source={"id": q.source_id, **q.source}, paragraph=q.paragraph,
            tags=q.tag_names, difficulty=q.difficulty)


def bank_exists(bank_id: str) -> bool:
    return db.session.get(Bank, bank_id) is not None
