"""Where a draft's problems belong in the form editor: at the field of a question they point into,
with the question as a whole, or elsewhere in the bank."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml as pyyaml

from . import yaml_roundtrip as yamlrt
from .problems import Problem
from .yaml_roundtrip import EditError


@dataclass
class PlacedProblems:
    """A draft's problems sorted for one question's form: by the field they are in, about the
    question as a whole, and elsewhere in the bank."""

    by_field: dict[str, list[str]] = field(default_factory=dict)
    question: list[Problem] = field(default_factory=list)
    elsewhere: list[Problem] = field(default_factory=list)


def place_problems(text: str, position: int | None, problems: list[Problem]) -> PlacedProblems:
    """Each problem (1-based line and column of `text`) put with the field of question `position`
    it points into — "source.id", "source.paragraph", "distractors", "items"… — or, for a missing
    field, with the field it names."""
    placed = PlacedProblems()
    spans: list[tuple[str, tuple[int, int], tuple[int, int]]] = []
    item_span = ((0, 0), (0, 0))
    item = _question_node(text, position)
    if item is not None:
        item_span = (_at(item.start_mark), _at(item.end_mark))
        for key, value in item.value:
            if isinstance(value, pyyaml.MappingNode):  # the citation: its id and paragraph apart
                spans += [(f"{key.value}.{k.value}", _at(k.start_mark), _at(v.end_mark)) for k, v in value.value]
            spans.append((str(key.value), _at(key.start_mark), _at(value.end_mark)))
    for problem in problems:
        where = (problem.line, problem.col)
        inside = item_span[0] <= where < item_span[1]
        missing = re.search(r"has no '([a-z]+)'", problem.message)
        containing = [(end, name) for name, start, end in spans if start <= where < end]
        if inside and missing:
            placed.by_field.setdefault(missing.group(1), []).append(problem.message)
        elif inside and containing:
            placed.by_field.setdefault(min(containing)[1], []).append(problem.message)
        elif inside:
            placed.question.append(problem)
        else:
            placed.elsewhere.append(problem)
    return placed


def _question_node(text: str, position: int | None) -> Any:
    """The composed mapping of question `position`, or None."""
    if position is None:
        return None
    try:
        root = yamlrt.load_fast(text, pyyaml.compose)
        questions = next(v for k, v in root.value if k.value == "questions")
        item = questions.value[position]
    except (EditError, AttributeError, StopIteration, IndexError, TypeError):
        return None
    return item if isinstance(item, pyyaml.MappingNode) else None


def _at(mark: Any) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1
