"""Writing plain values into round-trip YAML (ruamel.yaml) without disturbing what is around them.

A value equal to the one written is left alone (its quoting and comments stay); a changed text
keeps the style of the old one (folded, literal, quoted); a changed list is changed in place so it
keeps its flow or block style; a new field goes where the field order says. Reading for display
uses PyYAML's fast loader; ruamel.yaml is only used on the part of a text being rewritten.
"""
from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

_FAST_LOADER: Any = getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader)
FOLD_WIDTH = 80  # characters per line when a long text is written folded (`>-`)


class EditError(ValueError):
    """The text cannot be edited in the form (its YAML does not read, or it is not a bank)."""


def round_trip() -> YAML:
    """ruamel.yaml set up to write a bank back as it was read (quotes, indentation, long lines)."""
    rt = YAML()
    rt.preserve_quotes = True
    rt.indent(mapping=2, sequence=4, offset=2)
    rt.width = 4096
    return rt


def _unreadable(exc: Exception) -> EditError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
    what = getattr(exc, "problem", None) or getattr(exc, "context", None) or str(exc)
    return EditError(f"the YAML cannot be read{where}: {what}; fix it in the source editor first")


def load_round_trip(text: str) -> Any:
    """The text as ruamel.yaml's commented maps and lists; EditError when it does not read."""
    try:
        return round_trip().load(text)
    except (MarkedYAMLError, YAMLError, ValueError, TypeError) as exc:
        raise _unreadable(exc) from exc


def load_fast(text: str, read: Callable[[str, Any], Any]) -> Any:
    """`read` (PyYAML's load or compose) with the C loader; EditError when the YAML does not read."""
    try:
        return read(text, _FAST_LOADER)
    except (pyyaml.YAMLError, ValueError, TypeError) as exc:
        raise _unreadable(exc) from exc


def dump_round_trip(data: Any) -> str:
    """Commented maps and lists written back as YAML text."""
    out = io.StringIO()
    round_trip().dump(data, out)
    return out.getvalue()


def number_value(text: str) -> Any:
    """A number when the text is one, else the text (the loader says what is wrong with it)."""
    text = text.strip()
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if re.fullmatch(r"[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?", text):
        return float(text)
    return text


def date_value(text: str) -> Any:
    """A year as a number, a full date as a date, a month (or anything else) as text."""
    text = text.strip()
    if re.fullmatch(r"\d{4}", text):
        return int(text)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text
    return text


def boolean_value(text: str) -> Any:
    return {"true": True, "false": False}.get(text.strip().lower(), text)


def clean_text(text: str) -> str:
    """Text from a form box: Windows line ends made plain, spaces at the ends of lines removed."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")).strip()


def folded(text: str) -> FoldedScalarString:
    """Long text written as `>-`, folded at spaces into lines of about FOLD_WIDTH characters."""
    folded = FoldedScalarString(text)
    positions, start = [], 0
    while len(text) - start > FOLD_WIDTH:
        cut = text.rfind(" ", start, start + FOLD_WIDTH)
        if cut <= start:
            break
        positions.append(cut)
        start = cut + 1
    folded.fold_pos = positions  # type: ignore[attr-defined]
    return folded


def styled(old: Any, new: Any) -> Any:
    """`new` written in the style of `old` (folded, literal or quoted text; flow lists)."""
    if isinstance(new, str):
        if "\n" in new:
            return LiteralScalarString(new)
        if isinstance(old, (FoldedScalarString, LiteralScalarString)):
            return folded(new)
        for style in (SingleQuotedScalarString, DoubleQuotedScalarString):
            if isinstance(old, style):
                return style(new)
    return new


def same(old: Any, new: Any) -> bool:
    if isinstance(old, list) or isinstance(new, list):
        return (isinstance(old, list) and isinstance(new, list) and len(old) == len(new)
                and all(same(a, b) for a, b in zip(old, new)))
    if isinstance(old, dict) or isinstance(new, dict):
        return isinstance(old, dict) and isinstance(new, dict) and list(old) == list(new) and all(
            same(old[k], new[k]) for k in old)
    if old is None or new is None:
        return old is new
    return isinstance(old, bool) == isinstance(new, bool) and old == new


def flow_list(values: list[Any]) -> CommentedSeq:
    seq = CommentedSeq(values)
    seq.fa.set_flow_style()
    return seq


def flow_map(values: dict[str, Any]) -> CommentedMap:
    mapping = CommentedMap(values)
    mapping.fa.set_flow_style()
    return mapping


def put(mapping: CommentedMap, key: str, value: Any, order: tuple[str, ...], optional: bool = False) -> None:
    """Set one field, changing nothing when the value is the same; a new field goes where `order`
    puts it among the fields present; an optional field left empty is removed."""
    if optional and value in ("", [], None):
        mapping.pop(key, None)
        return
    if key in mapping:
        old = mapping[key]
        if same(old, value):
            return
        if isinstance(old, CommentedSeq) and isinstance(value, list):
            update_list(old, value)
            return
        if isinstance(old, CommentedMap) and isinstance(value, dict):
            for name, item in value.items():
                put(old, name, item, tuple(value))
            return
        mapping[key] = styled(old, value)
        return
    if isinstance(value, list):
        value = flow_list([flow_map(v) if isinstance(v, dict) else v for v in value])
        if value and isinstance(value[0], dict):
            value.fa.set_block_style()
    elif isinstance(value, dict) and not isinstance(value, CommentedMap):
        value = flow_map(value)
    elif isinstance(value, str) and ("\n" in value or len(value) > FOLD_WIDTH and key in ("explanation", "description")):
        value = styled(FoldedScalarString(""), value)
    rank = order.index(key) if key in order else len(order)
    position = sum(1 for name in mapping if name in order and order.index(name) < rank)
    mapping.insert(position, key, value)


def update_list(seq: CommentedSeq, values: list[Any]) -> None:
    """A list changed in place, so that it keeps its style and its unchanged items."""
    for index, value in enumerate(values):
        if index < len(seq) and same(seq[index], value):
            continue
        if index < len(seq) and isinstance(seq[index], CommentedMap) and isinstance(value, dict):
            for name, item in value.items():
                put(seq[index], name, item, tuple(value))
        elif index < len(seq):
            seq[index] = styled(seq[index], value)
        else:
            seq.append(flow_map(value) if isinstance(value, dict) else value)
    del seq[len(values):]


def text_list(values: list[str]) -> list[str]:
    """The non-empty texts of a list of form boxes, cleaned."""
    return [clean_text(v) for v in values if clean_text(v)]
