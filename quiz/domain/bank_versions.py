"""Versions of a bank written in the app: a new bank's skeleton, what changed between two
versions, a line diff, and a copy of a bank's text under new ids. Pure Python."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Literal

from .banks import ID_PATTERN, BankSpec
from .yamldoc import Map, Scalar, Seq, parse

SKELETON = """\
# A bank written in the app; see the bank format in docs/banks.md.
id: {bank_id}
title: {title}
language: en
sources:
  source-1:
    title: The article or book the questions come from
    publisher: Its publisher
    date: 2026-01-01
questions:
  - id: {bank_id}-1
    type: mcq
    prompt: Write the first question here
    answer: The correct answer
    distractors: [A wrong answer, Another wrong answer]
    explanation: Why the answer is right, in a sentence or two.
    source: {{id: source-1, paragraph: 1}}
"""


def _yaml_text(value: str) -> str:
    """A one-line YAML string that reads back as value (double-quoted, escaped)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def skeleton(bank_id: str, title: str) -> str:
    """A valid one-question bank with this id and title, to start from."""
    return SKELETON.format(bank_id=bank_id, title=_yaml_text(" ".join(title.split())))


@dataclass
class Changes:
    """Question ids added, changed and removed between two versions; key_changed are the changed
    ones whose type or answer data differ (answers to them may grade differently now)."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    key_changed: list[str] = field(default_factory=list)
    bank_details: bool = False  # title, description, language, sources or bank tags

    def as_dict(self) -> dict[str, object]:
        return {"added": self.added, "changed": self.changed, "removed": self.removed,
                "key_changed": self.key_changed, "bank_details": self.bank_details}

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed or self.bank_details)


def changes(old: BankSpec | None, new: BankSpec) -> Changes:
    """What publishing new over old changes (old None: every question is added)."""
    before = {q.id: q for q in old.questions} if old else {}
    after = {q.id: q for q in new.questions}
    result = Changes(added=[q for q in after if q not in before], removed=[q for q in before if q not in after])
    for qid, question in after.items():
        previous = before.get(qid)
        if previous is None or previous.content_hash() == question.content_hash():
            continue
        result.changed.append(qid)
        if (previous.type, previous.data) != (question.type, question.data):
            result.key_changed.append(qid)
    result.bank_details = old is not None and old.content_hash() != new.content_hash()
    return result


@dataclass(frozen=True)
class DiffLine:
    """One line of a diff: kept, added or removed, with its number in the old and new text."""

    kind: Literal["same", "added", "removed"]
    old_number: int | None
    new_number: int | None
    text: str


def line_diff(old: str, new: str, context: int = 3) -> list[list[DiffLine]]:
    """The changed lines of new against old, in hunks with `context` unchanged lines around."""
    a, b = old.splitlines(), new.splitlines()
    hunks: list[list[DiffLine]] = []
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context):
        hunk: list[DiffLine] = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                hunk += [DiffLine("same", i + 1, j + 1, a[i]) for i, j in zip(range(i1, i2), range(j1, j2))]
                continue
            hunk += [DiffLine("removed", i + 1, None, a[i]) for i in range(i1, i2)]
            hunk += [DiffLine("added", None, j + 1, b[j]) for j in range(j1, j2)]
        hunks.append(hunk)
    return hunks


def _id_scalars(text: str) -> tuple[Scalar | None, list[Scalar]]:
    """The bank's id scalar and each question's id scalar, as written in the text."""
    root = parse(text, lambda line, col, message: None)
    if not isinstance(root, Map):
        return None, []
    bank_id = root.get("id")
    questions = root.get("questions")
    ids = []
    if isinstance(questions, Seq):
        for item in questions.items:
            qid = item.get("id") if isinstance(item, Map) else None
            if isinstance(qid, Scalar) and isinstance(qid.value, str):
                ids.append(qid)
    return bank_id if isinstance(bank_id, Scalar) else None, ids


def copied_question_id(new_bank_id: str, question_id: str) -> str:
    """A copy's question id: the new bank's id before the old question id (ids are global)."""
    candidate = f"{new_bank_id}.{question_id}"
    return candidate[:100] if ID_PATTERN.match(candidate[:100]) else candidate[:100].rstrip("._-")


def copy_text(text: str, new_bank_id: str) -> str:
    """The bank text with its bank id and every question id replaced (see copied_question_id),
    comments, order and everything else kept. Ids written as plain or quoted one-line scalars."""
    bank_scalar, question_scalars = _id_scalars(text)
    lines = text.splitlines(keepends=True)
    edits = [(s, new_bank_id) for s in ([bank_scalar] if bank_scalar else [])]
    edits += [(s, copied_question_id(new_bank_id, str(s.value))) for s in question_scalars]
    for scalar, value in sorted(edits, key=lambda e: (e[0].line, e[0].col), reverse=True):
        line = lines[scalar.line - 1]
        start = scalar.col - 1
        width = len(scalar.raw) + (2 if scalar.quoted else 0)
        if line[start:start + width].strip("'\"") != scalar.raw:
            continue  # not a simple one-line scalar: left as it is (the check then reports the clash)
        lines[scalar.line - 1] = line[:start] + value + line[start + width:]
    return "".join(lines)
