"""The reference built from the banks' entries: a timeline, a glossary, a who's who and places.

Pure: it takes the stored questions (each with the entries it is about, see quiz.domain.entries)
and the banks' sources, and merges entries of the same key across banks. An entry's questions are
those about it, directly or through an event (an event's people, organisations and places).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from .dates import DateFormatError, PartialDate
from .entries import EXPLORE_KEY

VIEWS = {"event": "timeline", "person": "people", "organisation": "glossary", "place": "places"}
PLACE_GROUPS = (("country", "Countries"), ("region", "Regions"), ("town", "Towns"), ("mountains", "Mountains"),
                ("site", "Sites"))


# Words that belong to the family name that follows them (French, Arabic, Tamasheq, Dutch…):
# "Jean-Yves Le Drian" is listed under L, "Iyad Ag Ghaly" under A.
PARTICLES = frozenset({"le", "la", "de", "du", "des", "van", "von", "ag", "ould", "ben", "ibn", "abou", "abu", "al", "el"})


@dataclass(frozen=True)
class StoredQuestion:
    """What the reference needs of a stored question."""

    id: str
    bank_id: str
    source_id: str
    tags: tuple[str, ...]
    data: Mapping[str, Any]


@dataclass(frozen=True)
class Citation:
    """An article and a paragraph, with the article's details from the bank."""

    source_id: str
    paragraph: int
    title: str
    publisher: str
    date: str

    @classmethod
    def of(cls, cited: Mapping[str, Any] | None, sources: Mapping[str, Mapping[str, Any]]) -> Citation | None:
        if not cited:
            return None
        source = sources.get(cited["id"], {})
        return cls(cited["id"], int(cited["paragraph"]), str(source.get("title", cited["id"])),
                   str(source.get("publisher", "")), str(source.get("date", "")))


@dataclass
class Entry:
    """One entry of the reference, merged across the banks that define it."""

    key: str
    kind: str
    record: dict[str, Any]
    citation: Citation | None
    bank_ids: list[str] = field(default_factory=list)
    question_ids: list[str] = field(default_factory=list)
    question_banks: set[str] = field(default_factory=set)
    tags: set[str] = field(default_factory=set)
    first_seen: str = ""  # the date of the earliest article behind it
    extra: dict[str, Any] = field(default_factory=dict)  # citations of roles and other dates

    @property
    def name(self) -> str:
        return str(self.record.get("name") or self.record.get("what") or self.key)

    @property
    def view(self) -> str:
        return VIEWS[self.kind]

    @property
    def date(self) -> PartialDate | None:
        return _date(self.record.get("date"))

    @property
    def index_name(self) -> str:
        """What the entry is listed under, A–Z: a person's family name (the last word of the name,
        with the particle before it: Le Drian, Ag Ghaly, Abou Zeid), anything else's whole name."""
        words = self.name.split()
        if self.kind != "person" or not words:
            return self.name
        if len(words) > 2 and words[-2].casefold() in PARTICLES:
            return " ".join(words[-2:])
        return words[-1]

    @property
    def sort_name(self) -> tuple[str, str]:
        """The A–Z order: by the name it is listed under, then by the whole name."""
        return self.index_name.casefold(), self.name.casefold()


def _date(text: Any) -> PartialDate | None:
    try:
        return PartialDate.parse(str(text)) if text else None
    except DateFormatError:
        return None


@dataclass
class Reference:
    """Every entry by key, and the banks' titles."""

    entries: dict[str, Entry]
    bank_titles: dict[str, str]

    def of_kind(self, kind: str) -> list[Entry]:
        """The entries of one kind, A–Z by name (people by family name; events: in date order)."""
        found = [e for e in self.entries.values() if e.kind == kind]
        if kind == "event":
            return sorted(found, key=lambda e: (e.date.first_day() if e.date else PartialDate(1).first_day(),
                                                e.date.last_day() if e.date else PartialDate(1).last_day(), e.key))
        return sorted(found, key=lambda e: (e.sort_name, e.key))

    def named(self, keys: Iterable[str]) -> list[Entry]:
        """The entries of these keys that exist, in the order given."""
        return [self.entries[k] for k in keys if k in self.entries]

    def events_with(self, key: str) -> list[Entry]:
        """The events whose people, organisations or places include this entry, in date order."""
        return [e for e in self.of_kind("event") if key in e.record.get("who", []) + e.record.get("where", [])]

    def people_at(self, place: str) -> list[str]:
        """The people of the events at a place, in the order of the events."""
        found: list[str] = []
        for event in self.events_with(place):
            found += [k for k in event.record.get("who", [])
                      if k not in found and k in self.entries and self.entries[k].kind == "person"]
        return found


def build(questions: Iterable[StoredQuestion], sources: Mapping[str, Mapping[str, Mapping[str, Any]]],
          bank_titles: Mapping[str, str]) -> Reference:
    """Merge the entries stored with the questions (the first bank that defines a key gives its text)."""
    entries: dict[str, Entry] = {}
    about: dict[str, list[StoredQuestion]] = defaultdict(list)
    for question in questions:
        explore = question.data.get(EXPLORE_KEY) or {}
        bank_sources = sources.get(question.bank_id, {})
        for key, record in (explore.get("entries") or {}).items():
            entry = entries.get(key)
            if entry is None:
                entry = entries[key] = _entry(key, record, bank_sources)
            if question.bank_id not in entry.bank_ids:
                entry.bank_ids.append(question.bank_id)
        for key in explore.get("about") or []:
            record = (explore.get("entries") or {}).get(key, {})
            linked = [key] + (record.get("who", []) + record.get("where", []) if record.get("kind") == "event" else [])
            for target in linked:
                if question not in about[target]:
                    about[target].append(question)
    for key, entry in entries.items():
        behind = about.get(key, [])
        entry.question_ids = [q.id for q in behind]
        entry.question_banks = {q.bank_id for q in behind}
        entry.tags = {t for q in behind for t in q.tags}
        dates = [str(sources.get(q.bank_id, {}).get(q.source_id, {}).get("date", "")) for q in behind]
        dates += [entry.citation.date] if entry.citation else []
        entry.first_seen = min((d for d in dates if d), default="")
    return Reference(entries, dict(bank_titles))


def _entry(key: str, record: Mapping[str, Any], sources: Mapping[str, Mapping[str, Any]]) -> Entry:
    entry = Entry(key, str(record.get("kind", "")), dict(record), Citation.of(record.get("source"), sources))
    entry.extra["roles"] = [(role, Citation.of(role.get("source"), sources)) for role in record.get("roles", [])]
    entry.extra["other_dates"] = [(_date(other.get("date")), other.get("note"), Citation.of(other.get("source"), sources))
                                  for other in record.get("other_dates", [])]
    return entry


@dataclass(frozen=True)
class TimelineFilter:
    """The timeline's filters: years from–to, a bank, a tag ("" or None means any)."""

    start: int | None = None
    end: int | None = None
    bank: str = ""
    tag: str = ""

    def matches(self, event: Entry) -> bool:
        when = event.date
        if when is not None and self.start is not None and when.year < self.start:
            return False
        if when is not None and self.end is not None and when.year > self.end:
            return False
        if self.bank and self.bank not in event.question_banks:
            return False
        return not self.tag or self.tag in event.tags

    @property
    def active(self) -> bool:
        return bool(self.start or self.end or self.bank or self.tag)


def timeline(reference: Reference, chosen: TimelineFilter) -> list[tuple[int, list[Entry]]]:
    """The events that pass the filter, in date order, grouped by year."""
    years: dict[int, list[Entry]] = {}
    for event in reference.of_kind("event"):
        if chosen.matches(event) and event.date is not None:
            years.setdefault(event.date.year, []).append(event)
    return list(years.items())


def by_letter(entries: list[Entry]) -> list[tuple[str, list[Entry]]]:
    """Entries (A–Z already) grouped under the first letter of the name they are listed under."""
    letters: dict[str, list[Entry]] = {}
    for entry in entries:
        first = entry.index_name[:1].upper()
        letters.setdefault(first if first.isalpha() else "#", []).append(entry)
    return list(letters.items())


def places_by_kind(reference: Reference) -> list[tuple[str, list[Entry]]]:
    """Places A–Z, grouped by kind (countries, regions, towns…)."""
    places = reference.of_kind("place")
    groups = [(label, [p for p in places if p.record.get("place_kind") == kind]) for kind, label in PLACE_GROUPS]
    return [(label, found) for label, found in groups if found]
