"""A bank's reference entries (events, people, organisations, places) and the questions about them.

A bank may list, under `entries`, the dated events, people, organisations and places its
questions are about, each with a citation; a question names the entries it is about in
`about`. The timeline, glossary, who's who and places views are built from them. Reading
them reports every mistake at its line and column, like the rest of a bank.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from .fields import Fields, did_you_mean
from .yamldoc import Map, Node

KINDS = ("events", "people", "organisations", "places")
KIND_NAMES = {"events": "event", "people": "person", "organisations": "organisation", "places": "place"}
PLACE_KINDS = ("country", "region", "town", "mountains", "site")
_COMMON = ("source",)
KIND_FIELDS = {
    "events": ("date", "date-note", "other-dates", "what", "who", "where") + _COMMON,
    "people": ("name", "also", "roles", "did") + _COMMON,
    "organisations": ("name", "also", "english", "french", "what") + _COMMON,
    "places": ("name", "also", "kind", "in", "what") + _COMMON,
}
# Which kinds of entry each reference field may name.
REFERENCE_KINDS = {"who": ("people", "organisations"), "where": ("places",), "in": ("places",)}
EXPLORE_KEY = "explore"  # where a stored question's data keeps its entries

Sources = Iterable[str]


def read_citation(f: Fields, sources: Sources, name: str = "source") -> tuple[str | None, int | None]:
    """A citation `{id: <source id>, paragraph: <n>}`; the id must be one of the bank's sources."""
    node = f.mapping(name, required=True)
    if node is None:
        return None, None
    c = Fields(node, f"the citation '{name}'", f.report)
    c.check_known(("id", "paragraph"))
    source_id = c.text("id")
    paragraph = c.integer("paragraph", required=True, minimum=1)
    known = list(sources)
    if source_id is not None and source_id not in known:
        c.at(node.get("id") or node,
             f"the citation names the source '{source_id}', which the bank does not list in 'sources'"
             f"{did_you_mean(source_id, known)} (listed: {', '.join(known) or 'none'})")
        source_id = None
    return source_id, paragraph


@dataclass
class Entry:
    """One entry as read: its kind, key, stored fields, and the entries it names (with their nodes)."""

    kind: str
    key: str
    record: dict[str, Any]
    refs: list[tuple[str, str, Node]] = field(default_factory=list)  # (field, key, node)
    line: int = 0
    col: int = 0


def _citation_record(f: Fields, sources: Sources, name: str = "source") -> dict[str, Any] | None:
    source_id, paragraph = read_citation(f, sources, name)
    return {"id": source_id, "paragraph": paragraph} if source_id and paragraph else None


def _sub_items(f: Fields, name: str, what: str) -> list[Fields]:
    node = f.sequence(name, required=False)
    items = []
    for index, item in enumerate(node.items if node else [], start=1):
        if not isinstance(item, Map):
            f.at(item, f"item {index} of '{name}' should be a set of fields ({what})")
            continue
        items.append(Fields(item, f"item {index} of '{name}'", f.report))
    return items


def _read_event(f: Fields, record: dict[str, Any], sources: Sources) -> None:
    when = f.date("date")
    record["date"] = str(when) if when else None
    record["date_note"] = f.text("date-note", required=False)
    record["what"] = f.text("what")
    others = []
    for g in _sub_items(f, "other-dates", "date, source and an optional note"):
        g.check_known(("date", "source", "note"))
        other = g.date("date")
        citation = _citation_record(g, sources)
        note = g.text("note", required=False)
        if other and citation:
            others.append({"date": str(other), "source": citation, "note": note})
    record["other_dates"] = others


def _read_person(f: Fields, record: dict[str, Any], sources: Sources) -> None:
    roles = []
    for g in _sub_items(f, "roles", "role, an optional date, and source"):
        g.check_known(("role", "date", "source"))
        role = g.text("role")
        when = g.date("date", required=False)
        citation = _citation_record(g, sources)
        if role and citation:
            roles.append({"role": role, "date": str(when) if when else None, "source": citation})
    record["roles"] = roles
    record["did"] = f.text("did")


def _read_organisation(f: Fields, record: dict[str, Any], sources: Sources) -> None:
    record["english"] = f.text("english", required=False)
    record["french"] = f.text("french", required=False)
    record["what"] = f.text("what")


def _read_place(f: Fields, record: dict[str, Any], sources: Sources) -> None:
    kind = f.text("kind")
    if kind is not None and kind not in PLACE_KINDS:
        f.at(f.node.get("kind") or f.node, f"the place kind '{kind}' should be one of {', '.join(PLACE_KINDS)}"
                                           f"{did_you_mean(kind, PLACE_KINDS)}")
        kind = None
    record["place_kind"] = kind
    record["what"] = f.text("what")


_READERS: dict[str, Callable[[Fields, dict[str, Any], Sources], None]] = {
    "events": _read_event, "people": _read_person, "organisations": _read_organisation, "places": _read_place,
}


def _read_entry(kind: str, key: str, key_node: Node, node: Map, sources: Sources, report: Any) -> Entry:
    f = Fields(node, f"the {KIND_NAMES[kind]} '{key}'", report)
    f.check_known(KIND_FIELDS[kind])
    record: dict[str, Any] = {"kind": KIND_NAMES[kind], "key": key}
    if kind != "events":
        record["name"] = f.text("name")
        record["also"] = [text for text, _ in f.texts("also", required=False)]
    _READERS[kind](f, record, sources)
    record["source"] = _citation_record(f, sources)
    entry = Entry(kind, key, record, line=key_node.line, col=key_node.col)
    for name in REFERENCE_KINDS:
        if name in KIND_FIELDS[kind]:
            refs = f.texts(name, required=False)
            entry.refs += [(name, text, ref_node) for text, ref_node in refs]
            record[name] = [text for text, _ in refs]
    return entry


def read_entries(root: Fields, sources: Sources, key_pattern: Any) -> dict[str, Entry]:
    """The bank's `entries` (optional): every entry by key, each kind's keys sharing one namespace."""
    node = root.mapping("entries", required=False)
    entries: dict[str, Entry] = {}
    if node is None:
        return entries
    f = Fields(node, "'entries'", root.report)
    f.check_known(KINDS)
    for kind in KINDS:
        group = f.mapping(kind, required=False)
        for key, (key_node, value) in (group.entries.items() if group else ()):
            if not key_pattern.match(key):
                f.at(key_node, f"the entry key '{key}' may only use lowercase letters, digits, '-', '_' and '.'")
                continue
            if key in entries:
                other = entries[key]
                f.at(key_node, f"the entry key '{key}' is used twice (also the {KIND_NAMES[other.kind]} "
                               f"at line {other.line}); keys are shared by all kinds of entry")
                continue
            if not isinstance(value, Map):
                f.at(value, f"the {KIND_NAMES[kind]} '{key}' should be a set of fields")
                continue
            entries[key] = _read_entry(kind, key, key_node, value, sources, root.report)
    return entries


def read_about(f: Fields) -> list[tuple[str, Node]]:
    """A question's `about`: the keys of the entries it is about (optional)."""
    return f.texts("about", required=False)


def _unknown(key: str, wanted: tuple[str, ...], entries: dict[str, Entry]) -> str:
    choices = [k for k, e in entries.items() if e.kind in wanted]
    names = [KIND_NAMES[k] for k in wanted]
    names_text = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    article = "an" if names_text[0] in "aeiou" else "a"
    return (f"'{key}', which is not {article} {names_text} in this bank's 'entries'"
            f"{did_you_mean(key, choices)}")


class Linker:
    """Checks every reference between questions and entries and gives each question its stored entries."""

    def __init__(self, entries: dict[str, Entry], report: Callable[[int, int, str], None]) -> None:
        self.entries = entries
        self.report = report
        self.reached: set[str] = set()
        for entry in entries.values():
            for name, key, node in entry.refs:
                target = entries.get(key)
                if target is None or target.kind not in REFERENCE_KINDS[name]:
                    report(node.line, node.col, f"'{name}' names {_unknown(key, REFERENCE_KINDS[name], entries)}")

    def _closure(self, keys: list[str]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        todo = list(keys)
        while todo:
            key = todo.pop()
            entry = self.entries.get(key)
            if entry is None or key in found:
                continue
            found[key] = entry.record
            todo += [ref for _, ref, _ in entry.refs]
        return found

    def link(self, about: list[tuple[str, Node]]) -> dict[str, Any] | None:
        """A question's stored entries: the keys it is about and every entry they lead to."""
        if not about:
            return None
        keys = []
        for key, node in about:
            if key in self.entries:
                keys.append(key)
            else:
                self.report(node.line, node.col, f"'about' names {_unknown(key, KINDS, self.entries)}")
        linked = self._closure(keys)
        self.reached |= set(linked)
        return {"about": keys, "entries": dict(sorted(linked.items()))}

    def finish(self) -> None:
        """Report entries no question leads to (a view could not link them to any question)."""
        for key, entry in self.entries.items():
            if key not in self.reached:
                self.report(entry.line, entry.col,
                            f"no question is about the {KIND_NAMES[entry.kind]} '{key}': name it in a question's "
                            "'about' (or in the 'who' or 'where' of an event a question is about), or remove it")
