"""Safe YAML reading that keeps where every value came from.

Only plain YAML is accepted: no tags that build Python objects, no anchors/aliases
(so no "billion laughs"), no merge keys, no duplicate keys. Every value is returned as a
node that knows its line and column, so later checks can point at the exact place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

import yaml

MAX_BYTES = 5 * 1024 * 1024

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


@dataclass
class Node:
    """A YAML value with its 1-based position."""

    line: int
    col: int


@dataclass
class Scalar(Node):
    value: Any = None
    raw: str = ""
    quoted: bool = False


@dataclass
class Seq(Node):
    items: list[Node] = field(default_factory=list)


@dataclass
class Map(Node):
    # key -> (key node, value node), in file order
    entries: dict[str, tuple[Scalar, Node]] = field(default_factory=dict)

    def get(self, key: str) -> Node | None:
        entry = self.entries.get(key)
        return entry[1] if entry else None


Report = Callable[[int, int, str], None]


def describe(node: Node) -> str:
    """Name the kind of a node in words an author understands."""
    if isinstance(node, Map):
        return "a set of fields"
    if isinstance(node, Seq):
        return "a list"
    assert isinstance(node, Scalar)
    value = node.value
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"true/false ({node.raw})"
    if isinstance(value, (int, float)):
        return f"a number ({node.raw})"
    return f"text ({node.raw!r})"


class _AliasFound(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        self.mark = mark


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases as soon as it meets one."""

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            raise _AliasFound(self.peek_event().start_mark)
        return super().compose_node(parent, index)


_SYNTAX_HINTS = [
    (re.compile(r"mapping values are not allowed"),
     "a ':' followed by a space is not allowed here; if it is part of the text, put the whole text in quotes"),
    (re.compile(r"could not find expected ':'"),
     "a line is not a 'field: value' pair as expected; check the indentation, or put text containing special characters in quotes"),
    (re.compile(r"did not find expected key"),
     "the indentation is wrong here, or text starting with a special character needs quotes"),
    (re.compile(r"did not find expected '-' indicator"),
     "a list item is not aligned with the items above it"),
    (re.compile(r"found unexpected end of stream"),
     "the file ends in the middle of a value; is a quote or bracket not closed?"),
    (re.compile(r"found character '\\t'"),
     "a tab character is not allowed here; use spaces"),
    (re.compile(r"found undefined alias|found unknown escape"),
     "unexpected character sequence; put the text in quotes"),
]


def _syntax_message(error: yaml.MarkedYAMLError) -> str:
    problem = error.problem or str(error)
    for pattern, words in _SYNTAX_HINTS:
        if pattern.search(problem):
            return f"YAML syntax error: {words}"
    return f"YAML syntax error: {problem}"


def decode(data: bytes, report: Report) -> str | None:
    """Turn file bytes into text, reporting size, BOM, non-UTF-8 bytes and tabs."""
    if len(data) > MAX_BYTES:
        report(1, 1, f"the file is {len(data) / 1024 / 1024:.1f} MB; banks larger than 5 MB are refused — split it into several banks")
        return None
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        report(1, 1, "the file is saved as UTF-16; save it as UTF-8")
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        report(1, 1, "the file starts with a byte-order mark (BOM); save it as UTF-8 without BOM")
        data = data[3:]
    text = _decode_utf8(data, report)
    lines = text.split("\n")
    cleaned: list[str] = []
    for number, line in enumerate(lines, start=1):
        indent = len(line) - len(line.lstrip(" \t"))
        if "\t" in line[:indent]:
            report(number, line.index("\t") + 1, "a tab is used for indentation; YAML needs spaces")
            line = line[:indent].replace("\t", " ") + line[indent:]
        cleaned.append(line)
    return "\n".join(cleaned)


def _decode_utf8(data: bytes, report: Report) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    start = 0
    shown = 0
    while True:
        try:
            data[start:].decode("utf-8")
            break
        except UnicodeDecodeError as exc:
            where = start + exc.start
            before = data[:where]
            line = before.count(b"\n") + 1
            col = len(before[before.rfind(b"\n") + 1:].decode("utf-8", errors="replace")) + 1
            if shown < 10:
                report(line, col, f"byte 0x{data[where]:02X} is not valid UTF-8 (was the file saved as Latin-1 or Windows-1252?); save it as UTF-8")
            shown += 1
            start = where + max(1, exc.end - exc.start)
    return text


def parse(text: str, report: Report) -> Node | None:
    """Parse YAML text into located nodes; None if the text is not valid YAML."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except _AliasFound as exc:
        report(exc.mark.line + 1, exc.mark.column + 1, "aliases (*name) are not allowed in banks; write the value out in full")
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        report(line, col, _syntax_message(exc))
        return None
    except yaml.YAMLError as exc:
        report(1, 1, f"YAML error: {exc}")
        return None
    finally:
        loader.dispose()
    if root is None:
        report(1, 1, "the file is empty")
        return None
    return _convert(root, loader, report)


def _convert(node: yaml.Node, loader: _Loader, report: Report) -> Node:
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    if isinstance(node, yaml.MappingNode):
        if node.tag != "tag:yaml.org,2002:map":
            report(line, col, f"the YAML tag {node.tag} is not allowed in banks")
        result = Map(line, col)
        for key_node, value_node in node.value:
            key_line, key_col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                report(key_line, key_col, "merge keys (<<) are not allowed in banks; write the fields out in full")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                report(key_line, key_col, "a field name must be plain text")
                continue
            key = Scalar(key_line, key_col, key_node.value, key_node.value)
            if key_node.value in result.entries:
                first = result.entries[key_node.value][0]
                report(key_line, key_col, f"the field '{key_node.value}' appears twice (first at line {first.line})")
                continue
            result.entries[key_node.value] = (key, _convert(value_node, loader, report))
        return result
    if isinstance(node, yaml.SequenceNode):
        if node.tag != "tag:yaml.org,2002:seq":
            report(line, col, f"the YAML tag {node.tag} is not allowed in banks")
        return Seq(line, col, [_convert(item, loader, report) for item in node.value])
    assert isinstance(node, yaml.ScalarNode)
    quoted = node.style in ("'", '"', "|", ">")
    if node.tag not in _PLAIN_TAGS:
        report(line, col, f"the YAML tag {node.tag} is not allowed in banks; remove it")
        return Scalar(line, col, node.value, node.value, quoted)
    try:
        value = loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError) as exc:
        # An impossible date such as 2013-02-30 stays text; date fields explain what is wrong.
        if node.tag != "tag:yaml.org,2002:timestamp":
            report(line, col, f"cannot read the value '{node.value}': {exc}")
        value = node.value
    return Scalar(line, col, value, node.value, quoted)
