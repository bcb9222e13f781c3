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


# libyaml's parser when PyYAML was built with it (it always is from the wheels); the events
# are the same from the pure-Python parser, only slower.
_EventLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
MAX_DEPTH = 20  # a bank needs 5 levels (bank, questions, question, items, item)

# A character YAML does not allow in a file (the same set PyYAML's reader refuses).
_NON_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")
_FIX_QUOTES = "put the whole text in quotes"
_FIX_INDENT = ("give it the same number of spaces as the fields it belongs with "
               "(or, for a list item, as the '-' of the items above it)")

# libyaml's (and PyYAML's) error, matched on its problem and its context, in plain words.
# Where the message is best shown at the context's place (an unclosed quote or bracket
# is where it opens), the third element is True.
_SYNTAX_HINTS: list[tuple[re.Pattern[str], str, bool]] = [
    (re.compile(r"quoted scalar.*unexpected end of stream"),
     "this quote is never closed; add the closing quote at the end of the text", True),
    (re.compile(r"quoted scalar.*unknown escape"),
     "a backslash in double quotes starts an escape such as \\n; write \\\\ for a backslash, "
     "or use single quotes", False),
    (re.compile(r"flow sequence.*expected ',' or ']'"),
     "this '[' list is not closed; end it with ']' (and separate its items with commas)", True),
    (re.compile(r"flow mapping.*expected ',' or '}'"),
     "this '{' set of fields is not closed; end it with '}' (and separate its fields with commas)", True),
    (re.compile(r"block scalar.*unexpected end of stream|unexpected end of stream"),
     "the file ends in the middle of a value; is a quote or bracket not closed?", False),
    (re.compile(r"exceeded maximum nesting depth"),
     f"the values are nested too deeply here; a bank needs only a few levels (at most {MAX_DEPTH})", False),
    (re.compile(r"mapping values are not allowed"),
     f"a ':' followed by a space is not allowed here; if it is part of the text, {_FIX_QUOTES}, "
     "otherwise " + _FIX_INDENT, False),
    (re.compile(r"could not find expected ':'"),
     f"this line is not a 'field: value' pair; {_FIX_INDENT}, or {_FIX_QUOTES} if it goes on from the line above",
     False),
    (re.compile(r"tab character"),
     "a tab character is not allowed here; use spaces", False),
    (re.compile(r"block (mapping|collection).*(expected key|expected '-')|expected <block end>"),
     f"this line is indented differently from the lines above it; {_FIX_INDENT}", False),
    (re.compile(r"block sequence entries are not allowed"),
     "a list item ('- …') cannot start here; put it on its own line, indented under its field", False),
    (re.compile(r"expected <document start>|another document"),
     "the text goes on after the bank ends; is a line indented too little?", False),
    (re.compile(r"cannot start any token"),
     f"a value cannot start with this character; {_FIX_QUOTES}", False),
    (re.compile(r"while scanning an? (anchor|alias)"),
     f"'&' and '*' at the start of a value are not allowed in banks; {_FIX_QUOTES}", False),
    (re.compile(r"while scanning a (tag|directive)|undefined tag handle"),
     f"'!' and '%' at the start of a value are not allowed in banks; {_FIX_QUOTES}", False),
    (re.compile(r"expected node content"),
     f"a value is missing or starts with a character that needs quotes; {_FIX_QUOTES}", False),
]


def _syntax_problem(error: yaml.MarkedYAMLError) -> tuple[int, int, str]:
    """Where and what, in words an author understands, for a parser error."""
    context, problem = error.context or "", error.problem or str(error)
    where = error.problem_mark or error.context_mark
    for pattern, words, at_context in _SYNTAX_HINTS:
        if pattern.search(f"{context} {problem}"):
            if at_context and error.context_mark is not None:
                where = error.context_mark
            break
    else:
        words = f"{problem}" + (f" ({context})" if context else "")
    line, col = (where.line + 1, where.column + 1) if where is not None else (1, 1)
    return line, col, f"YAML syntax error: {words}"


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
    if _NON_PRINTABLE.search(text):
        text = _replace_control_characters(text, report)
    if "\t" not in text:
        return text
    lines = text.split("\n")
    cleaned: list[str] = []
    for number, line in enumerate(lines, start=1):
        indent = len(line) - len(line.lstrip(" \t"))
        if "\t" in line[:indent]:
            report(number, line.index("\t") + 1, "a tab is used for indentation; YAML needs spaces")
            line = line[:indent].replace("\t", " ") + line[indent:]
        cleaned.append(line)
    return "\n".join(cleaned)


def _replace_control_characters(text: str, report: Report) -> str:
    """Report each character YAML refuses (NUL, other control characters…) and put a U+FFFD in
    its place, so that the rest of the file is still checked at the right columns."""
    shown = 0
    for match in _NON_PRINTABLE.finditer(text):
        if shown == 10:
            break
        shown += 1
        where = match.start()
        line = text.count("\n", 0, where) + 1
        col = where - (text.rfind("\n", 0, where) + 1) + 1
        report(line, col, f"the control character U+{ord(match.group()):04X} is not allowed in a bank "
                          "(an editor or a copy-paste may have put it there); delete it")
    return _NON_PRINTABLE.sub("\ufffd", text)


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
    """Parse YAML text into located nodes; None if the text is not valid YAML or not a plain bank.

    The nodes are built here from the parser's events (libyaml's when available), without
    recursion, so that anchors, aliases, tags and deep nesting are refused where they appear.
    """
    loader = _EventLoader(text)
    try:
        return _compose(loader, report)
    except yaml.MarkedYAMLError as exc:
        report(*_syntax_problem(exc))
        return None
    except yaml.YAMLError as exc:
        report(1, 1, f"YAML error: {exc}")
        return None
    finally:
        loader.dispose()


class _Refused(Exception):
    """The file uses YAML that banks do not allow; already reported."""


def _compose(loader: Any, report: Report) -> Node | None:
    root: Node | None = None
    # open collections, innermost last; for a mapping, its key waiting for a value (or None)
    stack: list[list[Any]] = []
    documents = 0
    check_event, get_event = loader.check_event, loader.get_event
    Scalar_, Seq_, Map_ = yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent
    try:
        while check_event():
            event = get_event()
            kind = type(event)
            if kind is Scalar_:
                node: Node = _scalar(event, report)
            elif kind is Seq_ or kind is Map_:
                node = _collection(event, report)
                if len(stack) >= MAX_DEPTH:
                    mark = event.start_mark
                    report(mark.line + 1, mark.column + 1,
                           f"the values are nested more than {MAX_DEPTH} levels deep here; a bank needs only a few "
                           "levels — is a bracket or an indentation wrong?")
                    raise _Refused
            elif kind is yaml.SequenceEndEvent or kind is yaml.MappingEndEvent:
                stack.pop()
                continue
            elif kind is yaml.AliasEvent:
                mark = event.start_mark
                report(mark.line + 1, mark.column + 1,
                       f"aliases (*{event.anchor}) are not allowed in banks; write the value out in full")
                raise _Refused
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    mark = event.start_mark
                    report(mark.line + 1, mark.column + 1,
                           "a second YAML document starts here ('---'); a bank file holds one bank — "
                           "remove this line, or move what follows to another file")
                    raise _Refused
                continue
            else:
                continue
            if not stack:
                root = node
            else:
                _attach(stack[-1], node, report)
            if kind is not Scalar_:
                stack.append([node, None])
    except _Refused:
        return None
    if root is None:
        report(1, 1, "the file is empty")
    return root


def _attach(frame: list[Any], node: Node, report: Report) -> None:
    """Put node into the open collection of frame: a list item, a field name or its value."""
    parent = frame[0]
    if isinstance(parent, Seq):
        parent.items.append(node)
        return
    key = frame[1]
    if key is None:
        frame[1] = node
        return
    frame[1] = None
    if not isinstance(key, Scalar):
        report(key.line, key.col, "a field name must be plain text")
        return
    if key.raw == "<<" and not key.quoted:
        report(key.line, key.col, "merge keys (<<) are not allowed in banks; write the fields out in full")
        return
    name = key.raw
    if name in parent.entries:
        first = parent.entries[name][0]
        report(key.line, key.col, f"the field '{name}' appears twice (first at line {first.line})")
        return
    parent.entries[name] = (key, node)


def _refuse_anchor(event: Any, report: Report) -> None:
    if event.anchor is not None:
        mark = event.start_mark
        report(mark.line + 1, mark.column + 1,
               f"anchors (&{event.anchor}) are not allowed in banks; write the value out in full")
        raise _Refused


def _collection(event: Any, report: Report) -> Node:
    _refuse_anchor(event, report)
    line, col = event.start_mark.line + 1, event.start_mark.column + 1
    mapping = isinstance(event, yaml.MappingStartEvent)
    tag = event.tag
    if tag is not None and tag != "!" and tag != ("tag:yaml.org,2002:map" if mapping else "tag:yaml.org,2002:seq"):
        report(line, col, f"the YAML tag {tag} is not allowed in banks")
    return Map(line, col) if mapping else Seq(line, col)


def _scalar(event: Any, report: Report) -> Scalar:
    if event.anchor is not None:
        _refuse_anchor(event, report)
    mark = event.start_mark
    line, col = mark.line + 1, mark.column + 1
    raw: str = event.value
    quoted = bool(event.style)
    tag = event.tag
    if tag is None or tag == "!":
        if not event.implicit[0]:
            return Scalar(line, col, raw, raw, quoted)
        tag = _resolve(raw)
    if tag == _STR:
        return Scalar(line, col, raw, raw, quoted)
    if tag == _MERGE:  # only meaningful as a field name; reported there
        return Scalar(line, col, raw, raw, quoted)
    if tag not in _PLAIN_TAGS:
        report(line, col, f"the YAML tag {tag} is not allowed in banks; remove it")
        return Scalar(line, col, raw, raw, quoted)
    try:
        value = _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, yaml.ScalarNode(tag, raw))
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        # An impossible date such as 2013-02-30 stays text; date fields explain what is wrong.
        if tag != _TIMESTAMP:
            report(line, col, f"cannot read the value '{raw}': {exc}")
        value = raw
    return Scalar(line, col, value, raw, quoted)


def _resolve(value: str) -> str:
    """The tag YAML 1.1 gives a plain scalar (as PyYAML resolves it)."""
    for tag, pattern in _RESOLVERS.get(value[0] if value else "", ()):
        if pattern.match(value):
            return tag
    return _STR
