"""Checking, syncing and exporting question banks."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from sqlalchemy import bindparam, delete, select, text, update

from ..domain.banks import BankSpec, QuestionSpec, check_across, export_record, read_bank
from ..domain.problems import BankError, Problem
from ..extensions import db
from ..models import Bank, Question, QuestionTag
from ..models.types import UTCDateTime

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


def read_banks(paths: Iterable[Path], progress: Progress | None = None) -> tuple[list[BankSpec], list[Problem]]:
    """Read and validate every bank under paths: the valid banks and every problem found."""
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
    return banks, problems


def load_banks(paths: Iterable[Path], progress: Progress | None = None) -> list[BankSpec]:
    """Read and validate every bank under paths; raise BankError with all problems found."""
    banks, problems = read_banks(paths, progress)
    if problems:
        raise BankError(problems)
    return banks


def check_banks(paths: list[Path], progress: Progress | None = None, with_database: bool = True) -> list[BankSpec]:
    """As load_banks, and (with_database) question ids that other banks in the database use."""
    banks, problems = read_banks(paths, progress)
    if with_database and banks:
        problems += clashes_with_database(banks, _banks_to_retire(paths, {b.id for b in banks}))
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


# Rows per statement when a list of ids goes into an IN (…): well under SQLite's and
# PostgreSQL's limits on bound parameters.
_CHUNK = 500


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


@dataclass(frozen=True)
class _Stored:
    """What sync needs to know of a question already in the database."""

    id: str
    bank_id: str
    content_hash: str
    position: int
    retired: bool
    bank_retired: bool


def _stored_questions() -> dict[str, _Stored]:
    rows = db.session.execute(
        select(Question.id, Question.bank_id, Question.content_hash, Question.position,
               Question.retired_at.is_not(None), Bank.retired_at.is_not(None)).join(Bank))
    return {row[0]: _Stored(*row) for row in rows}


def _bank_paths() -> dict[str, str]:
    """Where each file bank's file is (web banks have no file on disk)."""
    return {bank_id: path for bank_id, path in db.session.execute(select(Bank.id, Bank.path)
                                                                  .where(Bank.origin == "file"))}


def clashes_with_database(specs: list[BankSpec], leaving: Iterable[str] = (),
                          stored: dict[str, _Stored] | None = None) -> list[Problem]:
    """Question ids of these banks that an active question of another bank already uses.

    A bank in specs (synced together) or in leaving (retired by the same sync) may hand
    its questions over; any other bank keeps them. Each clash names the other place:
    file:line:col when that bank's file still has the id, else the bank id.
    """
    stored = _stored_questions() if stored is None else stored
    free = {spec.id for spec in specs} | set(leaving)
    taken: list[tuple[BankSpec, str, int, int, str]] = []
    for spec in specs:
        for qid, line, col in spec.id_places:
            row = stored.get(qid)
            if row is not None and row.bank_id not in free and not row.retired and not row.bank_retired:
                taken.append((spec, qid, line, col, row.bank_id))
    if not taken:
        return []
    paths = _bank_paths()
    places = _places_in_files({bank_id: paths.get(bank_id, "") for *_, bank_id in taken})
    problems = []
    for spec, qid, line, col, bank_id in taken:
        other = places.get((bank_id, qid)) or f"the bank '{bank_id}' in the database"
        problems.append(Problem(spec.path, line, col,
                                f"the question id '{qid}' is already used by the bank '{bank_id}' (also at {other}); "
                                "question ids are unique across all banks — give this question another id"))
    return problems


def _places_in_files(paths: dict[str, str]) -> dict[tuple[str, str], str]:
    """(bank id, question id) -> file:line:col, from each bank's file as it is on disk now."""
    places: dict[tuple[str, str], str] = {}
    for bank_id, path in paths.items():
        try:
            data = Path(path).read_bytes()
        except OSError:
            continue
        bank, _ = read_bank(path, data)
        if bank is not None and bank.id == bank_id:
            for qid, line, col in bank.id_places:
                places.setdefault((bank_id, qid), f"{path}:{line}:{col}")
    return places


def sync_banks(paths: list[Path], now: datetime, progress: Progress | None = None) -> SyncReport:
    """Make the database match the bank files, in one transaction.

    Questions are keyed by id: new ones are added, edited ones updated in place (so
    learners' progress stays attached), removed ones retired. A problem in any file, or a
    question id that another bank (not synced now) uses, raises BankError before anything
    changes. Banks written in the app (origin "web") are never retired by a sync, and a file
    may not take a web bank's id. Rows are written in bulk: a few statements whatever the
    number of questions.
    """
    specs = load_banks(paths, progress)
    try:
        web = _web_bank_ids({spec.id for spec in specs})
        if web:
            raise BankError([Problem(spec.path, spec.line, 1,
                                     f"the bank id '{spec.id}' is used by a bank written in the app; "
                                     "give this file's bank another id") for spec in specs if spec.id in web])
        report = write_banks(specs, _banks_to_retire(paths, {spec.id for spec in specs}), now, progress)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    finally:
        db.session.expire_all()
    return report


def _web_bank_ids(bank_ids: set[str]) -> set[str]:
    if not bank_ids:
        return set()
    return set(db.session.scalars(select(Bank.id).where(Bank.origin == "web", Bank.id.in_(sorted(bank_ids)))))


def write_banks(specs: list[BankSpec], leaving: set[str], now: datetime, progress: Progress | None = None,
                origin: str = "file") -> SyncReport:
    """Write valid banks' rows and questions (and retire the banks in leaving), without committing.

    The one writer behind `banks sync` (files) and publishing a web bank (a single spec, origin
    "web"). Raises BankError, before writing anything, when a question id is used by another bank.
    """
    report = SyncReport()
    seen_banks = {spec.id for spec in specs}
    stored = _stored_questions()
    clashes = clashes_with_database(specs, leaving, stored)
    if clashes:
        raise BankError(clashes)
    for spec in specs:
        _sync_bank_row(spec, now, origin)
    db.session.flush()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    moves: list[dict[str, Any]] = []
    tags: list[dict[str, str]] = []
    in_files: set[str] = set()
    for spec in specs:
        for position, qspec in enumerate(spec.questions):
            qid = qspec.id
            in_files.add(qid)
            row = stored.get(qid)
            content_hash = qspec.content_hash()
            if row is not None and row.content_hash == content_hash and row.bank_id == spec.id and not row.retired:
                if row.position != position:
                    moves.append({"id": qid, "position": position})
                report.unchanged.append(qid)
                continue
            values = _question_values(spec.id, position, qspec, content_hash)
            if row is None:
                inserts.append(values)
                report.added.append(qid)
            else:
                updates.append(values)
                report.updated.append(qid)
            tags += ({"question_id": qid, "tag": tag} for tag in qspec.tags)
    if progress:
        progress(f"writing {len(inserts)} new and {len(updates)} changed questions")
    for chunk in _chunks([values["id"] for values in updates]):
        db.session.execute(delete(QuestionTag).where(QuestionTag.question_id.in_(chunk)))
    _upsert_questions(inserts + updates, now)
    if moves:
        db.session.execute(update(Question), moves)
    _insert_tags(tags)
    gone = sorted(qid for qid, row in stored.items()
                  if row.bank_id in seen_banks and qid not in in_files and not row.retired)
    gone += sorted(qid for qid, row in stored.items()
                   if row.bank_id in leaving and qid not in in_files and not row.retired)
    for chunk in _chunks(gone):
        db.session.execute(update(Question).where(Question.id.in_(chunk)).values(retired_at=now))
    report.retired.extend(gone)
    if leaving:
        db.session.execute(update(Bank).where(Bank.id.in_(sorted(leaving))).values(retired_at=now))
    return report


def retire_bank(bank_id: str, now: datetime) -> None:
    """Retire a bank and its questions (answers and cards keep pointing at them), without committing."""
    db.session.execute(update(Question).where(Question.bank_id == bank_id, Question.retired_at.is_(None))
                       .values(retired_at=now))
    db.session.execute(update(Bank).where(Bank.id == bank_id).values(retired_at=now))


def _sync_bank_row(spec: BankSpec, now: datetime, origin: str) -> None:
    row = db.session.get(Bank, spec.id)
    values: dict[str, Any] = {
        "title": spec.title, "description": spec.description, "language": spec.language,
        "sources": {k: {key: val for key, val in vars(v).items() if val is not None} for k, v in spec.sources.items()},
        "tags": spec.tags, "path": str(Path(spec.path).resolve()) if origin == "file" else spec.path,
        "content_hash": spec.content_hash(),
    }
    if row is None:
        db.session.add(Bank(id=spec.id, synced_at=now, origin=origin, **values))
        return
    if row.content_hash != values["content_hash"] or row.path != values["path"] or row.retired_at is not None:
        for key, value in values.items():
            setattr(row, key, value)
        row.retired_at = None
        row.synced_at = now


def _question_values(bank_id: str, position: int, q: QuestionSpec, content_hash: str) -> dict[str, Any]:
    """A question's row as stored (the _QUESTION_COLUMNS): its content from the file and where it sits."""
    return {
        "id": q.id, "bank_id": bank_id, "position": position, "type": q.type, "prompt": q.prompt,
        "data": q.data, "explanation": q.explanation, "source_id": q.source_id, "paragraph": q.paragraph,
        "difficulty": q.difficulty, "content_hash": content_hash,
    }


# The question columns a sync writes from a file, with their type for PostgreSQL's json_to_recordset.
_QUESTION_COLUMNS = {
    "id": "varchar", "bank_id": "varchar", "position": "int", "type": "varchar", "prompt": "text", "data": "json",
    "explanation": "text", "source_id": "varchar", "paragraph": "int", "difficulty": "varchar",
    "content_hash": "varchar",
}
_TAG_COLUMNS = {"question_id": "varchar", "tag": "varchar"}


def _rows_from_json(columns: dict[str, str]) -> str:
    """SELECT of the rows sent as one JSON array in the parameter :rows (SQLite or PostgreSQL).

    One parameter for thousands of rows: the database unpacks them, so a sync sends one short
    statement instead of a statement (or a long VALUES list to parse) per row.
    """
    if db.engine.dialect.name == "postgresql":
        fields = ", ".join(f'"{name}" {kind}' for name, kind in columns.items())
        return (f"SELECT {', '.join(f'r.{chr(34)}{name}{chr(34)}' for name in columns)} "
                f"FROM json_to_recordset(CAST(:rows AS json)) AS r({fields})")
    values = ", ".join(f"json_extract(value, '$.{name}')" for name in columns)
    return f"SELECT {values} FROM json_each(:rows)"


def _upsert_questions(rows: list[dict[str, Any]], now: datetime) -> None:
    """Insert new questions and overwrite changed ones (all but created_at) in one statement:
    INSERT … SELECT … ON CONFLICT (id) DO UPDATE, on SQLite and PostgreSQL."""
    if not rows:
        return
    names = ", ".join(f'"{name}"' for name in _QUESTION_COLUMNS)
    changed = ", ".join(f'"{name}" = excluded."{name}"' for name in _QUESTION_COLUMNS if name != "id")
    statement = text(
        f"INSERT INTO {Question.__tablename__} ({names}, created_at, updated_at, retired_at) "
        f"SELECT *, :now, :now, NULL FROM ({_rows_from_json(_QUESTION_COLUMNS)}) AS source "
        "WHERE true "  # without it, SQLite reads ON CONFLICT as a join's ON
        f"ON CONFLICT (id) DO UPDATE SET {changed}, updated_at = excluded.updated_at, retired_at = NULL"
    ).bindparams(bindparam("now", type_=UTCDateTime()))
    db.session.execute(statement, {"rows": json.dumps(rows, ensure_ascii=False), "now": now})


def _insert_tags(rows: list[dict[str, str]]) -> None:
    """Insert question tags in one statement (see _rows_from_json)."""
    if rows:
        statement = text(f"INSERT INTO {QuestionTag.__tablename__} (question_id, tag) "
                         f"{_rows_from_json(_TAG_COLUMNS)}")
        db.session.execute(statement, {"rows": json.dumps(rows, ensure_ascii=False)})


def _banks_to_retire(paths: list[Path], seen: set[str]) -> set[str]:
    """Active file banks whose file was under a synced folder and is gone (not among the banks read)."""
    folders = [p.resolve() for p in paths if p.is_dir()]
    if not folders:
        return set()
    leaving = set()
    for bank_id, path in db.session.execute(select(Bank.id, Bank.path)
                                            .where(Bank.retired_at.is_(None), Bank.origin == "file")):
        if bank_id not in seen and any(Path(path).resolve().is_relative_to(folder) for folder in folders):
            leaving.add(bank_id)
    return leaving


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
