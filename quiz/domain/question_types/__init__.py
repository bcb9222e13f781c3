"""The question types: one class per type, registered by name.

Each class reads and validates its answer data from a bank, describes its correct
answer for export and for instructors, presents itself in a quiz and grades a
learner's response. Adding a type is adding a class in one of the family modules
(and its templates) and listing it here; nothing else changes.
"""
from __future__ import annotations

from typing import Any

from .base import ANSWER_LIMIT, Data, Form, Grade, QuestionType, Shown, Unreadable, cloze_segments
from .cards import Card
from .choice import Mcq, Multi, TrueFalse
from .ordering import Match, Order
from .typed import Cloze, Date, Number, Short

QUESTION_TYPES: dict[str, QuestionType] = {
    cls.name: cls() for cls in (Mcq, Multi, TrueFalse, Short, Number, Date, Order, Match, Cloze, Card)
}


def grade(qtype: str, data: Data, response: Any) -> Grade:
    """Grade a response to a question of this type; ValueError for an unknown type."""
    question_type = QUESTION_TYPES.get(qtype)
    if question_type is None:
        raise ValueError(f"unknown question type '{qtype}'")
    return question_type.grade(data, response)

# Names authors often try, mapped to ours, for "did you mean".
TYPE_SYNONYMS = {
    "multiple-choice": "mcq", "multiple_choice": "mcq", "choice": "mcq", "single": "mcq", "qcm": "mcq",
    "multiple": "multi", "checkbox": "multi", "checkboxes": "multi",
    "true-false": "truefalse", "true_false": "truefalse", "tf": "truefalse", "bool": "truefalse",
    "boolean": "truefalse", "yesno": "truefalse",
    "text": "short", "answer": "short", "free": "short", "string": "short",
    "numeric": "number", "integer": "number", "int": "number", "float": "number",
    "year": "date", "when": "date", "sequence": "order", "ordering": "order", "chronology": "order",
    "matching": "match", "pairs": "match", "fill": "cloze", "gap": "cloze", "gaps": "cloze",
    "fill-in": "cloze", "flashcard": "card", "front-back": "card",
}


__all__ = ["ANSWER_LIMIT", "QUESTION_TYPES", "TYPE_SYNONYMS", "Data", "Form", "Grade", "QuestionType", "Shown",
           "Unreadable", "cloze_segments", "grade"]
