"""Moving banks in and out of other formats: registries of importers and exporters.

An importer turns another format's bytes into a bank *document* — plain Python data in exactly
our YAML format (id, title, language, sources, tags, questions) — plus the problems and the
skipped items it found, each located in the imported file. `dump_document` writes a document
as YAML text, and that text goes through the normal loader (`quiz.domain.banks.read_bank`)
like any bank file: nothing reaches the database around it.

An exporter turns a validated bank (`BankSpec`) into the bytes of a file.

    IMPORTERS["csv"](data, "deck.csv", bank_id="my-deck")  -> ImportResult
    EXPORTERS["apkg"](spec)                                  -> bytes

Each format lives in its own module and adds itself here with one line.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Protocol

from ..domain.banks import ID_PATTERN, QUESTION_FIELDS, BankSpec, QuestionSpec, check_across, read_bank
from ..domain.problems import Problem
from ..domain.question_types import QUESTION_TYPES
from ..domain.yamldoc import MAX_BYTES, _decode_utf8, _replace_control_characters
from .yaml_text import dump_document, ordered_document

Document = dict[str, Any]
IMPORTED_SOURCE = "imported"  # the source id imported questions cite when their format has no sources


@dataclass
class ImportResult:
    """What an importer made of a file: the bank document, the problems (each at the place of the
    imported file that causes it) and the items it could not hold (skipped, with their place)."""

    document: Document
    problems: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)


class Importer(Protocol):
    """`import_bank(data, name, **options)`: a file's bytes and its name (for messages)."""

    def __call__(self, data: bytes, name: str, **options: Any) -> ImportResult: ...


Exporter = Callable[[BankSpec], bytes]

IMPORTERS: dict[str, Importer] = {}
EXPORTERS: dict[str, Exporter] = {}
# The questions an export format cannot hold, each with why (a format that holds every type has none).
OMISSIONS: dict[str, Callable[[BankSpec], list[tuple[QuestionSpec, str]]]] = {}
# The file extension and media type of each export format, for downloads.
EXPORT_FILES: dict[str, tuple[str, str]] = {
    "yaml": (".yaml", "application/yaml"),
    "csv": (".csv", "text/csv"),
    "apkg": (".apkg", "application/octet-stream"),
    "qti": (".qti.zip", "application/zip"),
    "gift": (".gift.txt", "text/plain"),
}


# --- reading imported text ----------------------------------------------------------------

def decode_text(data: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """An imported file's text with its newlines made plain; problems for a file too large, bytes
    that are not UTF-8 (each located) and control characters (replaced, located). A byte-order
    mark is dropped and UTF-16 (as spreadsheets save "Unicode text") is read."""
    problems: list[Problem] = []

    def report(line: int, col: int, message: str) -> None:
        problems.append(Problem(path, line, col, message.replace("in a bank", "in imported text")))

    if len(data) > MAX_BYTES:
        report(1, 1, f"the file is {len(data) / 1024 / 1024:.1f} MB; imports larger than "
                     f"{MAX_BYTES // 1024 // 1024} MB are refused — split it into several files")
        return None, problems
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            report(1, 1, "the file starts like UTF-16 text but is not; save it as UTF-8")
            return None, problems
    else:
        text = _decode_utf8(data[3:] if data.startswith(b"\xef\xbb\xbf") else data, report)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text or any(ord(c) < 32 and c not in "\t\n" for c in text):
        text = _replace_control_characters(text, report)
    return text, problems


# --- documents -----------------------------------------------------------------------------

def bank_id_from_name(name: str) -> str:
    """A bank id made from a file name: 'My Deck (2).csv' -> 'my-deck-2'."""
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", name.rsplit("/", 1)[-1])
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:60].strip("-")
    return slug if slug and ID_PATTERN.match(slug) else "imported"


def imported_source(name: str, publisher: str, today: date) -> dict[str, str]:
    """The source imported questions cite when their format has none: the imported file itself
    (a question's paragraph is then its line in that file)."""
    return {"title": name.rsplit("/", 1)[-1] or "imported file", "publisher": publisher, "date": today.isoformat()}


def new_document(bank_id: str, title: str, language: str = "en", description: str = "") -> Document:
    """An empty bank document."""
    document: Document = {"id": bank_id, "title": title}
    if description:
        document["description"] = description
    document.update({"language": language, "sources": {}, "questions": []})
    return document


# Values a field has when the author leaves it out: not written back.
_DEFAULTS: dict[str, Any] = {"fuzzy": True, "tolerance": 0}


def question_document(question: QuestionSpec, bank_tags: list[str] = ()) -> dict[str, Any]:  # type: ignore[assignment]
    """One validated question as document data, without the values it would have anyway."""
    kind = QUESTION_TYPES[question.type]
    item: dict[str, Any] = {"id": question.id, "type": question.type, "prompt": question.prompt}
    for name in kind.fields:
        value = question.data.get(name)
        if value is None or value == [] or (name in _DEFAULTS and value == _DEFAULTS[name]):
            continue
        item[name] = [dict(v) for v in value] if name in ("items", "pairs") else value
    item["explanation"] = question.explanation
    item["source"] = {"id": question.source_id, "paragraph": question.paragraph}
    own_tags = [t for t in question.tags if t not in bank_tags]
    if own_tags:
        item["tags"] = own_tags
    if question.difficulty:
        item["difficulty"] = question.difficulty
    return item


def spec_document(spec: BankSpec) -> Document:
    """A validated bank as document data (the inverse of reading it)."""
    document = new_document(spec.id, spec.title, spec.language, spec.description)
    document["sources"] = {
        sid: {k: v for k, v in vars(source).items() if k != "id" and v}
        for sid, source in spec.sources.items()
    }
    if spec.tags:
        document["tags"] = list(spec.tags)
    document["questions"] = [question_document(q, spec.tags) for q in spec.questions]
    return ordered_document(document)


# --- checking an imported document with the normal loader ------------------------------------

_KEY_LINE = re.compile(r"^(?P<indent>\s*)(?:- )?(?P<key>[A-Za-z_][\w-]*):(?: |$)")


def _field_at(lines: list[str], index: int) -> list[str]:
    """The keys leading to line `index` of a dumped question, innermost first."""
    keys: list[str] = []
    limit: int | None = None
    for i in range(index, -1, -1):
        line = lines[i]
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if stripped.startswith("- "):
            indent += 2  # a key after '- ' sits two columns further in
        match = _KEY_LINE.match(line)
        if match and (limit is None or indent < limit):
            keys.append(match.group("key"))
            limit = indent
            if indent <= 4:
                break
    return keys


_MISSING = re.compile(r"has no '([a-z_]+)'")
_NAMED = re.compile(r"^'([a-z_]+)' ")  # "'tolerance' should be a number…"


def check_document(document: Document, path: str,
                   places: list[tuple[int, int]],
                   columns: dict[str, int] | list[dict[str, int]] | None = None,
                   bank_place: tuple[int, int] = (1, 1),
                   source_places: dict[str, tuple[int, dict[str, int]]] | None = None) -> list[Problem]:
    """Run the normal loader over a document made by an importer and put each problem it finds at
    the place of the imported file it came from: question i at `places[i]` (line, column); with
    `columns` (field name -> column, for all questions or one map per question), at the column
    of the field at fault. A problem in source `s` goes to `source_places[s]` (line, field name ->
    column); other problems outside the questions go to `bank_place`."""
    text = dump_document(document)
    spec, found = read_bank(path, text.encode())
    if spec is not None:
        found += check_across([spec])  # a question id used twice in the bank
    lines = text.split("\n")
    starts = [i + 1 for i, line in enumerate(lines) if line.startswith("  - ")]
    questions_at = next((i + 1 for i, line in enumerate(lines) if line == "questions:"), len(lines) + 1)
    problems: list[Problem] = []
    for problem in found:
        if problem.line <= questions_at or not starts or problem.line < starts[0]:
            problems.append(Problem(path, *_outside_place(lines, problem, bank_place, source_places or {}),
                                    problem.message))
            continue
        index = sum(1 for s in starts if s <= problem.line) - 1
        line, col = places[index] if index < len(places) else bank_place
        at = columns[index] if isinstance(columns, list) and index < len(columns) else columns
        if isinstance(at, dict):
            named_field = _MISSING.search(problem.message) or _NAMED.match(problem.message)
            keys = [named_field.group(1)] if named_field else _field_at(lines, problem.line - 1)
            named = next((at[_column_key(keys, k)] for k in keys if _column_key(keys, k) in at), None)
            if named is not None:
                col = named
        problems.append(Problem(path, line, col, problem.message))
    return sorted(set(problems))


def _outside_place(lines: list[str], problem: Problem, bank_place: tuple[int, int],
                   source_places: dict[str, tuple[int, dict[str, int]]]) -> tuple[int, int]:
    """Where a problem of the bank's own fields belongs: its source's place, or the bank's."""
    field_name = ""
    for i in range(min(problem.line, len(lines)) - 1, -1, -1):
        line = lines[i]
        if not line.startswith(" "):
            return bank_place
        match = _KEY_LINE.match(line)
        if match and len(match.group("indent")) == 4 and not field_name:
            field_name = match.group("key")
        elif match and len(match.group("indent")) == 2:
            place = source_places.get(match.group("key"))
            if place is None:
                return bank_place
            missing = _MISSING.search(problem.message)
            row, at = place
            return row, at.get(missing.group(1) if missing else field_name, 1)
    return bank_place


def _column_key(keys: list[str], key: str) -> str:
    """The table column a dumped key comes from: the citation's 'id' is the 'source' column."""
    if key == "id" and len(keys) > 1 and keys[keys.index(key) + 1:] and keys[keys.index(key) + 1] == "source":
        return "source"
    return key


def load_document(document: Document, path: str) -> tuple[BankSpec | None, list[Problem]]:
    """Read a document through the normal loader, as if it were the file `path` (with the check
    `banks check` makes between questions: no id used twice)."""
    spec, problems = read_bank(path, dump_document(document).encode())
    return spec, problems + (check_across([spec]) if spec is not None else [])


__all__ = ["EXPORTERS", "EXPORT_FILES", "IMPORTED_SOURCE", "IMPORTERS", "OMISSIONS", "Conversion", "Document",
           "Exporter", "ImportResult", "Importer", "QUESTION_FIELDS", "bank_id_from_name", "check_document", "convert",
           "decode_text", "dump_document", "imported_source", "left_out_of", "load_document", "new_document",
           "question_document", "spec_document"]


@dataclass
class Conversion:
    """An imported file ready to become a bank: its YAML text, the bank it reads as (None when it
    cannot be read), every problem (at its place in the imported file) and the skipped items."""

    text: str
    spec: BankSpec | None
    problems: list[Problem]
    skipped: list[Problem]


def convert(fmt: str, data: bytes, name: str, **options: Any) -> Conversion:
    """Import a file with the importer of `fmt` and read the result through the normal loader."""
    result = IMPORTERS[fmt](data, name, **options)
    text = dump_document(result.document)
    spec, loaded = read_bank(f"{result.document.get('id') or 'imported'}.yaml", text.encode())
    problems = list(result.problems)
    if not problems:
        # an importer that reports nothing lets the loader speak (at the place in the YAML text)
        problems = loaded + (check_across([spec]) if spec is not None else [])
    return Conversion(text, spec, problems, list(result.skipped))


from . import apkg, gift, qti, quizlet, table  # noqa: E402  (each format registered with one line)

IMPORTERS["quizlet"] = quizlet.import_bank
IMPORTERS["csv"] = table.import_bank
IMPORTERS["gift"] = gift.import_bank
EXPORTERS["csv"] = table.export_bank
EXPORTERS["apkg"] = apkg.export_bank
EXPORTERS["qti"] = qti.export_bank
EXPORTERS["gift"] = gift.export_bank
EXPORTERS["yaml"] = lambda spec: dump_document(spec_document(spec)).encode()
OMISSIONS["qti"] = lambda spec: [(q, qti.LEFT_OUT[q.type]) for q in qti.left_out(spec)]
OMISSIONS["gift"] = gift.not_exported


def left_out_of(fmt: str, spec: BankSpec) -> list[tuple[QuestionSpec, str]]:
    """The questions of `spec` an export as `fmt` leaves out, each with why."""
    omissions = OMISSIONS.get(fmt)
    return omissions(spec) if omissions is not None else []
