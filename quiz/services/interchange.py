"""Importing files as draft banks and exporting banks to other formats: who may, and what
(the formats themselves are in quiz.interchange)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ..domain.banks import BankSpec, QuestionSpec, SourceSpec, read_bank
from ..domain.problems import Problem
from ..extensions import db
from ..interchange import EXPORT_FILES, EXPORTERS, Conversion, convert
from ..models import Bank, Question, User
from . import authoring, banks as bank_service, sharing


@dataclass(frozen=True)
class ExportFile:
    """An exported bank: the file's name, media type and bytes."""

    filename: str
    mimetype: str
    data: bytes


def bank_spec(bank_id: str) -> BankSpec | None:
    """The stored bank with its active questions, as a validated bank; None when there is none."""
    bank = db.session.get(Bank, bank_id)
    if bank is None:
        return None
    sources = {sid: SourceSpec(id=sid, **{k: v for k, v in details.items() if k != "id"})
               for sid, details in bank.sources.items()}
    spec = BankSpec(bank.id, bank.title, bank.description or "", bank.language, sources, list(bank.tags or []),
                    path=bank.path)
    query = (select(Question).where(Question.bank_id == bank_id, Question.retired_at.is_(None))
             .order_by(Question.position))
    for q in db.session.scalars(query):
        spec.questions.append(QuestionSpec(q.id, q.type, q.prompt, q.data, q.explanation, q.source_id, q.paragraph,
                                           q.tag_names, q.difficulty))
    return spec


def _own_text(spec: BankSpec) -> bytes | None:
    """The bank's YAML as its authors wrote it (comments, entries and all): a web bank's draft,
    a file bank's file; None when neither can be read."""
    if authoring.is_web_bank(spec.id):
        return authoring.draft_text(spec.id).encode()
    path = Path(spec.path) if spec.path else None
    return path.read_bytes() if path is not None and path.is_file() else None


def export_file(spec: BankSpec, fmt: str) -> ExportFile:
    """A bank in an export format (a key of quiz.interchange.EXPORTERS). YAML is the bank's own
    text when there is one, so nothing the other formats cannot hold (comments, entries, `about`)
    is lost; otherwise it is written from the questions."""
    extension, mimetype = EXPORT_FILES.get(fmt, (f".{fmt}", "application/octet-stream"))
    data = _own_text(spec) if fmt == "yaml" else None
    return ExportFile(f"{spec.id}{extension}", mimetype, data if data is not None else EXPORTERS[fmt](spec))


# --- who may export, and what --------------------------------------------------------------

def may_export(user: User | None, bank_id: str) -> bool | None:
    """Whether the user may export the bank (exports carry the answer key): a web bank's owner,
    co-authors and admins; any instructor or admin for a bank from questions/. None when the
    user may not even see the bank (so it is not named to them)."""
    admin = user is not None and not user.is_guest and user.role == "admin"
    if admin and authoring.is_web_bank(bank_id):
        return True  # an admin sees every web bank, published or not
    if not sharing.can_view(user, bank_id):
        return None
    if user is None or user.is_guest:
        return False
    if authoring.is_web_bank(bank_id):
        return sharing.can_edit(user, bank_id)
    return user.role in ("instructor", "admin")


def bank_to_export(bank_id: str) -> tuple[BankSpec | None, list[Problem]]:
    """What an export of the bank holds: a web bank's draft (what its authors work on), read by the
    loader — None with its problems when it cannot be read cleanly — or a stored bank's questions."""
    if authoring.is_web_bank(bank_id):
        spec, problems = read_bank(authoring.file_name(bank_id), authoring.draft_text(bank_id).encode())
        return (spec, []) if spec is not None and not problems else (None, problems)
    return bank_spec(bank_id), []


# --- importing: what would be created -------------------------------------------------------

@dataclass
class Preview:
    """An imported file before it becomes a draft bank: the conversion, and whether it can be created."""

    conversion: Conversion
    problems: list[Problem]  # the importer's and the loader's, and clashes with banks in the database

    @property
    def creatable(self) -> bool:
        """A draft can be made: the text reads as a bank with questions and an id not taken (other
        problems are fixed in the draft)."""
        spec = self.conversion.spec
        return (spec is not None and bool(spec.id) and bool(spec.questions)
                and not any(p.message.startswith(TAKEN) for p in self.problems))


TAKEN = "the bank id"


def preview_import(fmt: str, data: bytes, name: str, **options: Any) -> Preview:
    """Convert an imported file (`fmt` a key of IMPORTERS) and list every problem a draft of it would have."""
    conversion = convert(fmt, data, name, **options)
    problems = list(conversion.problems)
    spec = conversion.spec
    if len(conversion.text) > authoring.MAX_TEXT:
        problems.append(Problem(name, 1, 1, f"the bank would be {len(conversion.text):,} characters long; the limit "
                                            f"is {authoring.MAX_TEXT:,} — split the file into several imports"))
    if spec is not None and spec.id:
        if db.session.get(Bank, spec.id) is not None or authoring.is_web_bank(spec.id):
            problems.append(Problem(name, 1, 1, f"{TAKEN} '{spec.id}' is already used by another bank; "
                                                "choose another bank id"))
        problems += bank_service.clashes_with_database([spec])
    return Preview(conversion, sorted(set(problems)))


def create_from_import(user: User, text: str, now: datetime) -> tuple[str | None, list[Problem]]:
    """Make the previewed bank text a new draft web bank of the user (see authoring.create_draft_bank)."""
    if len(text) > authoring.MAX_TEXT:
        return None, [Problem("bank.yaml", 1, 1, f"the bank is longer than {authoring.MAX_TEXT:,} characters")]
    return authoring.create_draft_bank(user, text, now)
