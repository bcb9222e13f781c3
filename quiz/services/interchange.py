"""Exporting stored banks to other formats (the formats themselves are in quiz.interchange)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..domain.banks import BankSpec, QuestionSpec, SourceSpec
from ..extensions import db
from ..interchange import EXPORT_FILES, EXPORTERS
from ..models import Bank, Question


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


def export_file(spec: BankSpec, fmt: str) -> ExportFile:
    """A bank in an export format (a key of quiz.interchange.EXPORTERS)."""
    extension, mimetype = EXPORT_FILES.get(fmt, (f".{fmt}", "application/octet-stream"))
    return ExportFile(f"{spec.id}{extension}", mimetype, EXPORTERS[fmt](spec))
