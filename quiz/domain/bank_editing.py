"""Editing a bank's YAML through plain values, keeping the author's comments and key order.

`read_editable(text)` gives the bank details, sources and questions as plain, form-friendly
values (text and lists of text). The edit functions (`update_details`, `update_sources`,
`update_question`, `add_question`, `duplicate_question`, `move_question`, `delete_question`) take
the bank text and return the new text. Only what an edit changes is rewritten: a question that
is not edited keeps its lines byte for byte (see bank_layout), and in an edited question the
fields that did not change keep their quoting, comments and place (ruamel.yaml round-trip).

Values are written as typed (a number box's text becomes a number when it is one, a date box's
text a date) and otherwise as text, so that a wrong value is never lost: the bank loader then
reports it at its line and column, like any other problem of a draft.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml as pyyaml
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from . import yaml_roundtrip as yamlrt
from .bank_layout import Layout, dedent_item, indent_item, split
from .banks import BANK_FIELDS, SOURCE_FIELDS
from .citations import cited, rename_citations
from .problem_places import PlacedProblems, place_problems
from .question_types import QUESTION_TYPES
from .yaml_roundtrip import EditError

__all__ = ["BankDetails", "EditError", "EditableBank", "PlacedProblems", "QuestionValues", "SourceValues",
           "add_question", "delete_question", "duplicate_question", "move_question", "new_question_id",
           "place_problems", "question_values", "read_editable", "update_details", "update_question",
           "update_sources"]

TYPE_FIELDS = tuple(dict.fromkeys(name for kind in QUESTION_TYPES.values() for name in kind.fields))


@dataclass
class BankDetails:
    id: str = ""
    title: str = ""
    description: str = ""
    language: str = ""
    tags: list[str] = field(default_factory=list)


@dataclass
class SourceValues:
    id: str = ""
    title: str = ""
    publisher: str = ""
    date: str = ""
    author: str = ""
    url: str = ""
    file: str = ""


@dataclass
class QuestionValues:
    """One question's fields as text; each type uses its own subset of the answer fields."""

    id: str = ""
    type: str = "mcq"
    prompt: str = ""
    explanation: str = ""
    source_id: str = ""
    paragraph: str = ""
    tags: list[str] = field(default_factory=list)
    difficulty: str = ""
    answer: str = ""  # mcq, short: the text; truefalse: "true"/"false"; number; date
    answers: list[str] = field(default_factory=list)  # multi
    distractors: list[str] = field(default_factory=list)  # mcq, multi, match
    accept: list[str] = field(default_factory=list)  # short
    fuzzy: bool = True  # short, cloze
    tolerance: str = ""  # number, date
    unit: str = ""  # number
    items: list[tuple[str, str]] = field(default_factory=list)  # order: (text, date)
    pairs: list[tuple[str, str]] = field(default_factory=list)  # match: (left, right)
    back: str = ""  # card


@dataclass
class EditableBank:
    details: BankDetails
    sources: list[SourceValues]
    questions: list[QuestionValues]


# ---- reading ---------------------------------------------------------------------------------

def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _texts(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [_text(v) for v in value]
    return [_text(value)]


def _pairs(value: Any, first: str, second: str) -> list[tuple[str, str]]:
    if not isinstance(value, list):
        return []
    return [(_text(v.get(first)), _text(v.get(second))) if isinstance(v, dict) else (_text(v), "")
            for v in value]


def _bank_root(text: str) -> dict[str, Any]:
    root = yamlrt.load_fast(text, pyyaml.load)
    if not isinstance(root, dict):
        raise EditError("the text is not a bank (a set of fields: id, title, sources, questions…); "
                        "fix it in the source editor first")
    return root


def _question_maps(root: dict[str, Any]) -> list[dict[str, Any]]:
    questions = root.get("questions")
    if questions is None:
        return []
    if not isinstance(questions, list):
        raise EditError("'questions' is not a list; fix it in the source editor first")
    for number, item in enumerate(questions, start=1):
        if not isinstance(item, dict):
            raise EditError(f"question {number} is not a set of fields; fix it in the source editor first")
    return list(questions)


def question_values(item: dict[str, Any]) -> QuestionValues:
    """A question mapping as form values."""
    source = item.get("source")
    source = source if isinstance(source, dict) else {}
    return QuestionValues(
        id=_text(item.get("id")), type=_text(item.get("type")), prompt=_text(item.get("prompt")),
        explanation=_text(item.get("explanation")), source_id=_text(source.get("id")),
        paragraph=_text(source.get("paragraph")), tags=_texts(item.get("tags")),
        difficulty=_text(item.get("difficulty")), answer=_text(item.get("answer")),
        answers=_texts(item.get("answers")), distractors=_texts(item.get("distractors")),
        accept=_texts(item.get("accept")), fuzzy=item.get("fuzzy") is not False,
        tolerance=_text(item.get("tolerance")), unit=_text(item.get("unit")),
        items=_pairs(item.get("items"), "text", "date"), pairs=_pairs(item.get("pairs"), "left", "right"),
        back=_text(item.get("back")))


def read_editable(text: str) -> EditableBank:
    """The bank's details, sources and questions as plain values; EditError when it cannot be read."""
    root = _bank_root(text)
    sources = root.get("sources")
    source_values = []
    if isinstance(sources, dict):
        for key, value in sources.items():
            value = value if isinstance(value, dict) else {}
            source_values.append(SourceValues(_text(key), **{name: _text(value.get(name)) for name in SOURCE_FIELDS}))
    details = BankDetails(_text(root.get("id")), _text(root.get("title")), _text(root.get("description")),
                          _text(root.get("language")), _texts(root.get("tags")))
    return EditableBank(details, source_values, [question_values(q) for q in _question_maps(root)])


# ---- writing values --------------------------------------------------------------------------

def _write_question(mapping: CommentedMap, v: QuestionValues) -> None:
    """Write every field of `v` into a question mapping (see the module's docstring)."""
    kind = QUESTION_TYPES.get(v.type)
    own = kind.fields if kind else ()
    order = ("id", "type", "prompt", *own, "explanation", "source", "tags", "difficulty")
    for name in TYPE_FIELDS:
        if name not in own:
            mapping.pop(name, None)

    def put(key: str, value: Any, optional: bool = False) -> None:
        yamlrt.put(mapping, key, value, order, optional)

    put("id", yamlrt.clean_text(v.id))
    put("type", yamlrt.clean_text(v.type))
    put("prompt", yamlrt.clean_text(v.prompt))
    if v.type in ("mcq", "short"):
        put("answer", yamlrt.clean_text(v.answer))
    elif v.type == "truefalse":
        put("answer", yamlrt.boolean_value(v.answer))
    elif v.type == "number":
        put("answer", yamlrt.number_value(v.answer))
    elif v.type == "date":
        put("answer", yamlrt.date_value(v.answer))
    if v.type == "multi":
        put("answers", yamlrt.text_list(v.answers))
    if v.type in ("mcq", "multi", "match"):
        put("distractors", yamlrt.text_list(v.distractors), optional=v.type == "match")
    if v.type == "short":
        put("accept", yamlrt.text_list(v.accept), optional=True)
    if v.type in ("short", "cloze") and ("fuzzy" in mapping or not v.fuzzy):
        put("fuzzy", v.fuzzy)  # the default (true) is not written unless it was
    if v.type in ("number", "date"):
        put("tolerance", yamlrt.number_value(v.tolerance) if v.tolerance.strip() else "", optional=True)
    if v.type == "number":
        put("unit", yamlrt.clean_text(v.unit), optional=True)
    if v.type == "order":
        put("items", [{"text": yamlrt.clean_text(t), "date": yamlrt.date_value(d)} for t, d in v.items if yamlrt.clean_text(t) or d.strip()])
    if v.type == "match":
        put("pairs", [{"left": yamlrt.clean_text(a), "right": yamlrt.clean_text(b)} for a, b in v.pairs if yamlrt.clean_text(a) or yamlrt.clean_text(b)])
    if v.type == "card":
        put("back", yamlrt.clean_text(v.back))
    put("explanation", yamlrt.clean_text(v.explanation))
    put("source", {"id": yamlrt.clean_text(v.source_id), "paragraph": yamlrt.number_value(v.paragraph)})
    put("tags", yamlrt.text_list(v.tags), optional=True)
    put("difficulty", yamlrt.clean_text(v.difficulty), optional=True)


# ---- the edits -------------------------------------------------------------------------------

def _layout(text: str) -> Layout:
    """The text cut into its parts, found with PyYAML's fast composer (lines are 0-based)."""
    _question_maps(_bank_root(text))  # a readable bank, or EditError
    root = yamlrt.load_fast(text, pyyaml.compose)
    keys = [key.value for key, _ in root.value]
    if "questions" not in keys:
        return split(text, [], 2, None)
    index = keys.index("questions")
    questions = root.value[index][1]
    end_line = root.value[index + 1][0].start_mark.line if index + 1 < len(keys) else None
    if not isinstance(questions, pyyaml.SequenceNode) or questions.flow_style or not questions.value:
        return split(text, [], 2, questions.end_mark.line + 1)
    items = questions.value
    return split(text, [item.start_mark.line for item in items], items[0].start_mark.column, end_line)


def _checked(text: str, count: int) -> str:
    """The edited text, after making sure it reads and holds `count` questions."""
    if len(_question_maps(_bank_root(text))) != count:
        raise EditError("this edit could not be made in the form; make it in the source editor")
    return text


def _edit_body(layout: Layout, position: int, edit: Callable[[CommentedMap], None]) -> str:
    """One question's lines after `edit`, written back at the list's indentation."""
    item = yamlrt.load_round_trip(dedent_item(layout.bodies[position], layout.indent))
    edit(item)
    return indent_item(yamlrt.dump_round_trip(item), layout.indent)


def _question_position(layout: Layout, position: int) -> None:
    if not 0 <= position < len(layout.bodies):
        raise EditError(f"there is no question {position + 1}")


def update_question(text: str, position: int, values: QuestionValues) -> str:
    """The text with question `position` (0-based) written from `values`."""
    layout = _layout(text)
    _question_position(layout, position)
    layout.bodies[position] = _edit_body(layout, position, lambda item: _write_question(item, values))
    return _checked(layout.text(), len(layout.bodies))


def add_question(text: str, values: QuestionValues, position: int | None = None) -> str:
    """The text with a new question from `values` at `position` (default: at the end)."""
    layout = _layout(text)
    item = CommentedMap()
    _write_question(item, values)
    if not layout.bodies:  # no list yet (or an empty `questions: []`): write the list anew
        root = yamlrt.load_round_trip(text)
        root["questions"] = CommentedSeq([item])
        return _checked(yamlrt.dump_round_trip(root), 1)
    layout.insert(len(layout.bodies) if position is None else position, indent_item(yamlrt.dump_round_trip(item), layout.indent))
    return _checked(layout.text(), len(layout.bodies))


def duplicate_question(text: str, position: int, new_id: str) -> str:
    """The text with a copy of question `position` under `new_id`, just after it."""
    layout = _layout(text)
    _question_position(layout, position)
    body = _edit_body(layout, position, lambda item: item.__setitem__("id", new_id))
    layout.insert(position + 1, body)
    return _checked(layout.text(), len(layout.bodies))


def move_question(text: str, position: int, to: int) -> str:
    """The text with question `position` moved to `to`; it takes its comments with it."""
    layout = _layout(text)
    _question_position(layout, position)
    _question_position(layout, to)
    order = list(range(len(layout.bodies)))
    order.insert(to, order.pop(position))
    layout.reorder(order)
    return _checked(layout.text(), len(layout.bodies))


def delete_question(text: str, position: int) -> str:
    """The text without question `position` and the comments above it."""
    layout = _layout(text)
    _question_position(layout, position)
    layout.remove(position)
    return _checked(layout.text(), len(layout.bodies))


def new_question_id(text: str, base: str) -> str:
    """`base` made unique among the bank's question ids (base, base-2, base-3…)."""
    taken = {q.id for q in read_editable(text).questions}
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _edit_top(text: str, edit: Callable[[CommentedMap], None]) -> str:
    """The text after `edit` of its top-level fields. When the questions come last (as usual),
    only the lines above them are rewritten."""
    layout = _layout(text)
    head_lines = layout.head.splitlines(keepends=True)
    if layout.rest or not layout.bodies or not head_lines:
        root = yamlrt.load_round_trip(text)
        edit(root)
        return yamlrt.dump_round_trip(root)
    # comment lines just above `questions:` stay there
    cut = len(head_lines) - 1
    while cut > 0 and (not head_lines[cut - 1].strip() or head_lines[cut - 1].lstrip().startswith("#")):
        cut -= 1
    top = yamlrt.load_round_trip("".join(head_lines[:cut])) or CommentedMap()
    edit(top)
    layout.head = yamlrt.dump_round_trip(top) + "".join(head_lines[cut:])
    return _checked(layout.text(), len(layout.bodies))


def update_details(text: str, details: BankDetails) -> str:
    """The text with the bank's id, title, description, language and tags from `details`."""
    def edit(root: CommentedMap) -> None:
        yamlrt.put(root, "id", yamlrt.clean_text(details.id), BANK_FIELDS)
        yamlrt.put(root, "title", yamlrt.clean_text(details.title), BANK_FIELDS)
        yamlrt.put(root, "description", yamlrt.clean_text(details.description), BANK_FIELDS, optional=True)
        yamlrt.put(root, "language", yamlrt.clean_text(details.language), BANK_FIELDS)
        yamlrt.put(root, "tags", yamlrt.text_list(details.tags), BANK_FIELDS, optional=True)
    return _edit_top(text, edit)


def update_sources(text: str, sources: list[tuple[str | None, SourceValues]]) -> str:
    """The text with its sources as listed: (the id the source had, None for a new one) and its
    values. A source not listed is removed; a changed id is renamed in place, and the citations of
    the renamed source (in the questions and the entries) follow it."""
    renames: dict[str, str] = {}

    def edit(root: CommentedMap) -> None:
        old = root.get("sources") if isinstance(root.get("sources"), CommentedMap) else CommentedMap()
        renames.update((was, yamlrt.clean_text(values.id)) for was, values in sources
                       if was is not None and was in old and yamlrt.clean_text(values.id) not in ("", was))
        rename_citations(root.get("entries"), renames)
        new = CommentedMap()
        for was, values in sources:
            entry = old.get(was) if was is not None and isinstance(old.get(was), CommentedMap) else CommentedMap()
            for name in SOURCE_FIELDS:
                value = getattr(values, name)
                yamlrt.put(entry, name, yamlrt.date_value(value) if name == "date" else yamlrt.clean_text(value), SOURCE_FIELDS,
                     optional=name in ("author", "url", "file"))
            new[yamlrt.clean_text(values.id)] = entry
        if yamlrt.same(list(old), list(new)):
            return
        for key in list(old):
            if key not in new:
                del old[key]
        for position, (key, entry) in enumerate(new.items()):
            if key in old and list(old).index(key) == position and old[key] is entry:
                continue
            old.pop(key, None)
            old.insert(position, key, entry)
        if "sources" not in root:
            yamlrt.put(root, "sources", old, BANK_FIELDS)
    text = _edit_top(text, edit)
    return _rename_question_citations(text, renames) if renames else text


def _rename_question_citations(text: str, renames: dict[str, str]) -> str:
    """The text with the questions that cite a renamed source rewritten; the others keep their lines."""
    questions = _question_maps(_bank_root(text))
    layout = _layout(text)
    if len(layout.bodies) != len(questions):  # not a list of blocks (`questions: [{…}]`): rewrite the text
        root = yamlrt.load_round_trip(text)
        rename_citations(root["questions"], renames)
        return _checked(yamlrt.dump_round_trip(root), len(questions))
    for position, item in enumerate(questions):
        if cited(item.get("source"), renames):
            layout.bodies[position] = _edit_body(layout, position, lambda q: rename_citations(q, renames))
    return _checked(layout.text(), len(layout.bodies))
