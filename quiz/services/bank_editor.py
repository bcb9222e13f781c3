"""The form editor: a web bank's draft read as form values, edited and saved; a draft question
previewed and tried without storing anything.

Every edit is a text-to-text function of quiz.domain.bank_editing applied to the saved draft and
saved through authoring.save_draft, so that the draft is checked by the same loader as files.
"""
from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..domain import bank_editing
from ..domain.bank_editing import (
    EditableBank,
    EditError,
    PlacedProblems,
    QuestionValues,
    SourceValues,
)
from ..domain.banks import SourceSpec, read_bank
from ..domain.problems import Problem
from ..domain.question_types import QUESTION_TYPES, Form, Grade, Shown
from ..models import User
from . import authoring

__all__ = [
    "Draft",
    "EditError",
    "Preview",
    "PreviewQuestion",
    "add_question",
    "delete_question",
    "draft",
    "duplicate_question",
    "move_question",
    "preview",
    "save_details",
    "save_question",
    "try_answer",
]


@dataclass
class Draft:
    """A draft as the form editor shows it: its values, its problems, and them placed at a question's fields."""

    bank: EditableBank
    problems: list[Problem]
    placed: PlacedProblems = field(default_factory=PlacedProblems)


def draft(bank_id: str, position: int | None = None) -> Draft:
    """The draft's values and problems (placed at question `position`'s fields when given);
    EditError when its YAML cannot be edited in the form."""
    text = authoring.draft_text(bank_id)
    problems = authoring.check_draft(bank_id, text)
    return Draft(bank_editing.read_editable(text), problems, bank_editing.place_problems(text, position, problems))


def _save(user: User, bank_id: str, change: Callable[[str], str], now: datetime) -> list[Problem]:
    text = authoring.draft_text(bank_id)
    new = change(text)
    if new == text:
        return authoring.check_draft(bank_id, text)
    return authoring.save_draft(user, bank_id, new, now)


def _save_at(user: User, bank_id: str, position: int, expected_id: str, change: Callable[[str], str],
             now: datetime) -> list[Problem]:
    """Save `change` of question `position`, refused (EditError) when that question no longer has
    `expected_id` (another author or another tab changed the bank since the page was shown)."""
    def checked(text: str) -> str:
        questions = bank_editing.read_editable(text).questions
        if not 0 <= position < len(questions) or questions[position].id != expected_id:
            raise EditError("The bank changed since this page was shown (another author, or another tab): "
                            "nothing was changed; here is the bank as it is now.")
        return change(text)
    return _save(user, bank_id, checked, now)


def save_details(user: User, bank_id: str, details: bank_editing.BankDetails,
                 sources: list[tuple[str | None, SourceValues]], now: datetime) -> list[Problem]:
    """Save the bank's title, description, language, tags and sources."""
    return _save(user, bank_id, lambda text: bank_editing.update_sources(
        bank_editing.update_details(text, details), sources), now)


def save_question(user: User, bank_id: str, position: int, expected_id: str, values: QuestionValues,
                  now: datetime) -> list[Problem]:
    """Save question `position` (which must still have `expected_id`) from the form's values."""
    return _save_at(user, bank_id, position, expected_id,
                    lambda text: bank_editing.update_question(text, position, values), now)


def add_question(user: User, bank_id: str, values: QuestionValues, now: datetime) -> tuple[int, list[Problem]]:
    """Add a question at the end of the bank; its position and the draft's problems."""
    text = authoring.draft_text(bank_id)
    position = len(bank_editing.read_editable(text).questions)
    return position, _save(user, bank_id, lambda t: bank_editing.add_question(t, values), now)


def new_question_id(bank_id: str) -> str:
    """An id for a new question of this bank: `<bank-id>-<n>`, the first n not used."""
    text = authoring.draft_text(bank_id)
    count = len(bank_editing.read_editable(text).questions)
    return bank_editing.new_question_id(text, f"{bank_id}-{count + 1}")


def duplicate_question(user: User, bank_id: str, position: int, expected_id: str, now: datetime) -> list[Problem]:
    """A copy of question `position` just below it, under a new id (`<id>-2`, …)."""
    return _save_at(user, bank_id, position, expected_id, lambda text: bank_editing.duplicate_question(
        text, position, bank_editing.new_question_id(text, expected_id)), now)


def move_question(user: User, bank_id: str, position: int, expected_id: str, to: int,
                  now: datetime) -> list[Problem]:
    """Move question `position` to `to` (it takes its comments along)."""
    return _save_at(user, bank_id, position, expected_id,
                    lambda text: bank_editing.move_question(text, position, to), now)


def delete_question(user: User, bank_id: str, position: int, expected_id: str, now: datetime) -> list[Problem]:
    """Delete question `position` with the comments above it."""
    return _save_at(user, bank_id, position, expected_id, lambda text: bank_editing.delete_question(text, position),
                    now)


@dataclass
class PreviewQuestion:
    """A draft question in the shape the quiz templates show."""

    id: str
    type: str
    prompt: str
    data: dict[str, Any]
    explanation: str
    paragraph: int
    source: SourceSpec


@dataclass
class Preview:
    position: int  # from 0
    total: int  # questions in the draft
    question: PreviewQuestion | None  # None: the question has problems to fix first
    problems: list[Problem]  # the problems inside this question
    shown: Shown | None = None


def preview(bank_id: str, question_id: str) -> Preview | None:
    """The draft question with this id as learners would see it (None: no such question)."""
    text = authoring.draft_text(bank_id)
    ids = [q.id for q in bank_editing.read_editable(text).questions]
    if question_id not in ids:
        return None
    position = ids.index(question_id)
    spec, problems = read_bank(authoring.file_name(bank_id), text.encode("utf-8"))
    placed = bank_editing.place_problems(text, position, problems)
    inside = [p for p in problems if p not in placed.elsewhere]
    found = next((q for q in spec.questions if q.id == question_id), None) if spec else None
    if spec is None or found is None or inside:
        return Preview(position, len(ids), None, inside)
    question = PreviewQuestion(found.id, found.type, found.prompt, found.data, found.explanation, found.paragraph,
                               spec.sources[found.source_id])
    # the same order on every showing and on answering: the options a form may send are those shown
    shown = QUESTION_TYPES[found.type].shown(found.prompt, found.data, random.Random(f"{bank_id}/{question_id}"))
    return Preview(position, len(ids), question, [], shown)


def try_answer(question: PreviewQuestion, shown: Shown, form: Form) -> tuple[Any, Grade]:
    """The response read from the form and its grade; Unreadable when the form cannot be graded.
    Nothing is stored."""
    kind = QUESTION_TYPES[question.type]
    response = kind.read_response(form, shown)
    return response, kind.grade(question.data, response)
