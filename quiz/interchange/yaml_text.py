"""Bank documents as YAML text in our format: keys in the order authors read them, block style,
short lists and citations on one line, a blank line between questions."""
from __future__ import annotations

import re
from typing import Any

import yaml

from ..domain.banks import BANK_FIELDS, SOURCE_FIELDS
from ..domain.question_types import QUESTION_TYPES

Document = dict[str, Any]


def _order(mapping: dict[str, Any], first: tuple[str, ...]) -> dict[str, Any]:
    ordered = {k: mapping[k] for k in first if k in mapping}
    ordered.update((k, v) for k, v in mapping.items() if k not in ordered)
    return ordered


def _question_order(qtype: Any) -> tuple[str, ...]:
    kind = QUESTION_TYPES.get(qtype) if isinstance(qtype, str) else None
    own = kind.fields if kind is not None else ()
    return ("id", "type", "prompt", *own, "explanation", "source", "tags", "difficulty")


def ordered_document(document: Document) -> Document:
    """The document with its keys in the order authors read them (unknown keys kept, last)."""
    result = _order(document, BANK_FIELDS)
    sources = result.get("sources")
    if isinstance(sources, dict):
        result["sources"] = {k: _order(v, SOURCE_FIELDS) if isinstance(v, dict) else v for k, v in sources.items()}
    questions = result.get("questions")
    if isinstance(questions, list):
        result["questions"] = [
            _order(q, _question_order(q.get("type"))) if isinstance(q, dict) else q for q in questions
        ]
        for q in result["questions"]:
            if isinstance(q, dict) and isinstance(q.get("source"), dict):
                q["source"] = _order(q["source"], ("id", "paragraph"))
    return result


class _Dumper(yaml.SafeDumper):
    """Block style, list items indented under their key, no anchors."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True


class _Flow(list):  # type: ignore[type-arg]
    """A short list of short texts, written on one line: [Gao, Kidal, Tessalit]."""


class _FlowMap(dict):  # type: ignore[type-arg]
    """A small set of fields written on one line: {id: lwj-2013, paragraph: 2}."""


class _Plain(str):
    """A full date, written without quotes (2013-01-12): the loader reads it as written."""


FOLD_AT = 80  # longer one-line texts are written folded (>-) over several lines


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = None
    if "\n" in value.strip("\n"):
        style = "|"  # several lines: a literal block keeps them exactly
    elif len(value) > FOLD_AT and value == value.strip() and "  " not in value:
        style = ">"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(_Plain, lambda d, v: d.represent_scalar("tag:yaml.org,2002:timestamp", str(v)))
_Dumper.add_representer(_Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))
_Dumper.add_representer(_FlowMap, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v, flow_style=True))
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PLAIN_SAFE = re.compile(r"^[^\s\[\]{},:#&*!|>'\"%@`-][^\[\]{},#]*$")


def _styled(value: Any, key: str = "") -> Any:
    """Mark what reads best on one line (citations, short lists, pairs) and full dates."""
    if isinstance(value, dict):
        styled = {k: _styled(v, k) for k, v in value.items()}
        small = all(isinstance(v, (str, int, float, bool)) for v in value.values())
        if small and (key == "source" or key == "") and len(str(value)) < 90 and _is_item(value):
            return _FlowMap(styled)
        return styled
    if isinstance(value, list):
        items = [_styled(v) for v in value]
        if any(isinstance(v, _FlowMap) for v in items) and not all(isinstance(v, _FlowMap) for v in items):
            items = [dict(v) if isinstance(v, _FlowMap) else v for v in items]  # one style per list
        if (value and all(isinstance(v, str) and _PLAIN_SAFE.match(v) and ": " not in v for v in value)
                and sum(len(v) + 2 for v in value) < 70):
            return _Flow(items)
        return items
    if key == "date" and isinstance(value, str) and _FULL_DATE.match(value):
        return _Plain(value)
    return value


_QUESTION_START = re.compile(r"^  - id: ", re.MULTILINE)


def _is_item(value: dict[str, Any]) -> bool:
    """An order item, a match pair or a citation: a few short fields."""
    return set(value) in ({"text", "date"}, {"left", "right"}, {"id", "paragraph"})


def dump_document(document: Document) -> str:
    """A bank document as YAML text in our format: keys in the usual order, block style,
    a blank line between questions. `read_bank` reads it back to the same data."""
    text = yaml.dump(_styled(ordered_document(document)), Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=100, indent=2)
    text = text.replace("\nquestions:\n", "\n\nquestions:\n", 1)
    head, sep, rest = text.partition("\nquestions:\n")
    if sep:
        rest = _QUESTION_START.sub("\n  - id: ", rest)
        text = head + sep + rest.lstrip("\n")
    return text
