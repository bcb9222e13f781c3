"""CSV: one question per row under a header of field names (see docs/interchange.md).

The columns are the fields of a question in a bank file (`type`, `prompt`, `answer`,
`distractors`, `explanation`, `source`, `paragraph`, `tags`…) plus `source_title`,
`source_publisher`, `source_author`, `source_date`, `source_url` and `source_file` to
describe a cited source once. A list is written in one cell with `|` between its items; an
order item is `date = text` and a match pair `left = right`; a backslash makes the next
character plain text (`\\|`, `\\=`, `\\\\`). Every problem is reported at its row (as a
spreadsheet numbers it, the header being row 1) and column.
"""
from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Any

from ..domain.banks import BankSpec
from ..domain.fields import did_you_mean
from ..domain.problems import Problem
from . import IMPORTED_SOURCE, ImportResult, bank_id_from_name, check_document, decode_text, imported_source, \
    new_document, spec_document

QUESTION_COLUMNS = ("id", "type", "prompt", "answer", "answers", "accept", "distractors", "fuzzy", "tolerance",
                    "unit", "items", "pairs", "back", "explanation", "source", "paragraph", "tags", "difficulty")
SOURCE_COLUMNS = ("source_title", "source_publisher", "source_author", "source_date", "source_url", "source_file")
COLUMNS = QUESTION_COLUMNS + SOURCE_COLUMNS
REQUIRED = ("type", "prompt")
# Headers other tools write, read as ours.
ALIASES = {"question": "prompt", "term": "prompt", "front": "prompt", "definition": "back", "feedback": "explanation",
           "correct": "answer", "correct_answer": "answer", "wrong_answers": "distractors", "level": "difficulty"}
LISTS = ("answers", "accept", "distractors", "items", "pairs")
# Kinds of question other tools have and we cannot grade: their rows are skipped (and listed).
FOREIGN_KINDS = {"essay": "an essay", "description": "a description (text without a question)",
                 "open": "an open question", "upload": "a file upload"}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_TRUE, _FALSE = {"true", "yes", "y", "1"}, {"false", "no", "n", "0"}


# --- reading ---------------------------------------------------------------------------------

def _split(cell: str, mark: str, first: bool = False) -> list[str]:
    """Split at each `mark` not made plain by a backslash (only the first with `first`)."""
    parts, current, escaped = [], [], False
    for char in cell:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == mark and not (first and parts):
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if escaped:
        current.append("\\")
    parts.append("".join(current))
    return parts


def _plain(text: str) -> str:
    """The text with its backslash escapes resolved."""
    return re.sub(r"\\(.)", r"\1", text).strip()


def _list(cell: str) -> list[str]:
    return [_plain(part) for part in _split(cell, "|") if part.strip()]


def _pairs(cell: str, first: str, second: str) -> list[Any]:
    result: list[Any] = []
    for part in _split(cell, "|"):
        if not part.strip():
            continue
        halves = _split(part, "=", first=True)
        result.append({first: _plain(halves[0]), second: _plain(halves[1])} if len(halves) == 2 else _plain(part))
    return result


def _number(cell: str) -> Any:
    text = cell.strip()
    if _NUMBER.match(text):
        value = float(text)
        return int(value) if value.is_integer() and "." not in text and "e" not in text.lower() else value
    return text


def _boolean(cell: str) -> Any:
    word = cell.strip().lower()
    return True if word in _TRUE else False if word in _FALSE else cell.strip()


def _value(qtype: str, column: str, cell: str) -> Any:
    """A cell as the value its field has in a bank file (left as text when it does not fit:
    the loader then says what is wrong with it)."""
    if column == "items":
        return _pairs(cell, "date", "text")
    if column == "pairs":
        return _pairs(cell, "left", "right")
    if column in LISTS:
        return _list(cell)
    if column == "tags":
        return [t for t in re.split(r"[|,\s]+", cell.strip()) if t]
    if column == "fuzzy" or (column == "answer" and qtype == "truefalse"):
        return _boolean(cell)
    if column == "tolerance" or (column == "answer" and qtype == "number"):
        return _number(cell)
    if column == "paragraph":
        return int(cell) if cell.strip().isdecimal() else cell.strip()
    return cell.strip()


def _delimiter(header_line: str) -> str:
    """The separator a header uses: ',' or, as spreadsheets in many languages write, ';' or a tab."""
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def _header(row: list[str], name: str, result: ImportResult) -> dict[int, str] | None:
    """Column index -> column name; problems for unknown, repeated and missing columns."""
    columns: dict[int, str] = {}
    for index, raw in enumerate(row):
        key = re.sub(r"[\s-]+", "_", raw.strip().lower())
        key = ALIASES.get(key, key)
        if not key:
            continue
        if key not in COLUMNS:
            hint = did_you_mean(key, COLUMNS) or f" (the columns are {', '.join(COLUMNS)})"
            result.problems.append(Problem(name, 1, index + 1, f"unknown column '{raw.strip()}'{hint}; "
                                                               "its cells are not imported"))
        elif key in columns.values():
            result.problems.append(Problem(name, 1, index + 1, f"the column '{key}' appears twice"))
        else:
            columns[index] = key
    missing = [c for c in REQUIRED if c not in columns.values()]
    if missing:
        result.problems.append(Problem(name, 1, 1, f"the header has no {' and no '.join(repr(c) for c in missing)} "
                                                   "column; the first row names the columns (type, prompt, answer…)"))
        return None
    return columns


def import_bank(data: bytes, name: str, *, bank_id: str | None = None, title: str | None = None,
                language: str = "en", delimiter: str | None = None, today: date | None = None,
                **_: Any) -> ImportResult:
    """Read a CSV file of questions into a bank document, every problem at its row and column."""
    bank = bank_id or bank_id_from_name(name)
    document = new_document(bank, title or name.rsplit("/", 1)[-1] or "Imported questions", language)
    result = ImportResult(document)
    text, problems = decode_text(data, name)
    result.problems.extend(problems)
    if text is None:
        return result
    if not text.strip():
        result.problems.append(Problem(name, 1, 1, "the file is empty; the first row names the columns "
                                                   "(type, prompt, answer…) and each row below is a question"))
        return result
    reader = csv.reader(io.StringIO(text), delimiter=delimiter or _delimiter(text.split("\n", 1)[0]), strict=True)
    rows: list[list[str]] = []
    try:
        rows.extend(reader)
    except csv.Error as exc:
        result.problems.append(Problem(name, len(rows) + 1, 1, f"row {len(rows) + 1} cannot be read as CSV ({exc}): "
                                                                "is a quote not closed, or a quote inside a text "
                                                                "not doubled (\"\")? The rows from here on are not read"))
        if len(rows) < 2:
            return result
    columns = _header(rows[0], name, result)
    if columns is None:
        return result
    sources: dict[str, tuple[dict[str, str], int]] = {}
    places: list[tuple[int, int]] = []
    where: list[dict[str, int]] = []
    for number, row in enumerate(rows[1:], start=2):
        cells = {columns[i]: cell for i, cell in enumerate(row) if i in columns and cell.strip()}
        extra = [i for i, cell in enumerate(row) if i >= len(rows[0]) and cell.strip()]
        if extra:
            result.problems.append(Problem(name, number, extra[0] + 1, "this row has more cells than the header "
                                                                       "has columns; is a separator inside a text "
                                                                       "that needs quotes?"))
        if not cells:
            continue
        at = {key: i + 1 for i, key in columns.items()}
        qtype = cells.get("type", "").strip().lower()
        if qtype in FOREIGN_KINDS:
            result.skipped.append(Problem(name, number, at["type"], f"skipped {FOREIGN_KINDS[qtype]}: "
                                                                    "the app cannot grade it"))
            continue
        question = _question(document, cells, qtype, number, at)
        _source(cells, question, sources, number, at, name, result)
        document["questions"].append(question)
        places.append((number, 1))
        where.append(at | ({"back": at["answer"]} if "back" not in at and "answer" in at else {}))
    document["sources"] = {sid: details for sid, (details, _) in sources.items()}
    if not sources or any(q["source"].get("id") == IMPORTED_SOURCE for q in document["questions"]):
        document["sources"].setdefault(IMPORTED_SOURCE, imported_source(name, "CSV import", today or date.today()))
    if not document["questions"] and not result.problems:
        result.problems.append(Problem(name, 2, 1, "there are no questions below the header"))
    if document["questions"]:
        source_rows = {sid: row for sid, (_, row) in sources.items()}
        found = check_document(document, name, places, where,
                               source_places={sid: (row, _source_columns(columns)) for sid, row in source_rows.items()})
        result.problems.extend(found)
    result.problems = sorted(set(result.problems))
    return result


def _source_columns(columns: dict[int, str]) -> dict[str, int]:
    return {key.removeprefix("source_"): i + 1 for i, key in columns.items() if key.startswith("source_")}


def _question(document: dict[str, Any], cells: dict[str, str], qtype: str, number: int,
              at: dict[str, int]) -> dict[str, Any]:
    """The question a row describes, its cells turned into field values."""
    question: dict[str, Any] = {"id": cells.get("id", "").strip() or f"{document['id']}-{len(document['questions']) + 1}"}
    for column in QUESTION_COLUMNS[1:]:
        if column in cells and column not in ("source", "paragraph"):
            question[column] = _value(qtype, column, cells[column])
    if qtype == "card" and "back" not in question and "answer" in question:
        question["back"] = question.pop("answer")  # a two-column deck: prompt, answer
    if qtype == "multi" and "answers" not in question and "answer" in cells:
        question["answers"] = _list(cells["answer"])
        question.pop("answer")
    source_id = cells.get("source", "").strip() or IMPORTED_SOURCE
    paragraph = _value(qtype, "paragraph", cells["paragraph"]) if "paragraph" in cells else (
        number if source_id == IMPORTED_SOURCE else None)
    question["source"] = {"id": source_id, **({"paragraph": paragraph} if paragraph is not None else {})}
    return question


def _source(cells: dict[str, str], question: dict[str, Any], sources: dict[str, tuple[dict[str, str], int]],
            number: int, at: dict[str, int], name: str, result: ImportResult) -> None:
    """Record the source a row describes; a problem where it differs from an earlier row's."""
    details = {key.removeprefix("source_"): cells[key].strip() for key in SOURCE_COLUMNS if key in cells}
    if not details:
        return
    source_id = question["source"]["id"]
    if source_id not in sources:
        sources[source_id] = (details, number)
        return
    known, row = sources[source_id]
    for key, value in details.items():
        if known.get(key, value) != value:
            result.problems.append(Problem(name, number, at[f"source_{key}"],
                                           f"the source '{source_id}' has the {key} '{known[key]}' in row {row}; "
                                           "describe a source once, or the same way on every row"))
        known.setdefault(key, value)


# --- writing ---------------------------------------------------------------------------------

def _escaped(text: str, marks: str = "|") -> str:
    text = text.replace("\\", "\\\\")
    for mark in marks:
        text = text.replace(mark, "\\" + mark)
    return text


def _cell(column: str, value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if column == "items":
        return " | ".join(f"{item['date']} = {_escaped(item['text'], '|=')}" for item in value)
    if column == "pairs":
        return " | ".join(f"{_escaped(p['left'], '|=')} = {_escaped(p['right'], '|=')}" for p in value)
    if column == "tags":
        return " ".join(value)
    if isinstance(value, list):
        return " | ".join(_escaped(str(v)) for v in value)
    return str(value)


def export_bank(spec: BankSpec) -> bytes:
    """The bank as CSV in the import format (each source described on the first row citing it)."""
    document = spec_document(spec)
    rows: list[dict[str, str]] = []
    described: set[str] = set()
    for question, spec_question in zip(document["questions"], spec.questions):
        row = {column: _cell(column, question[column]) for column in QUESTION_COLUMNS if column in question
               and column != "source"}
        row["tags"] = _cell("tags", spec_question.tags)  # the bank's tags included: the CSV has no bank row
        row["source"], row["paragraph"] = question["source"]["id"], str(question["source"]["paragraph"])
        if row["source"] not in described:
            described.add(row["source"])
            for key, value in document["sources"].get(row["source"], {}).items():
                row[f"source_{key}"] = str(value)
        rows.append(row)
    used = [c for c in COLUMNS if c in REQUIRED or any(row.get(c) for row in rows)]
    out = io.StringIO()
    writer = csv.DictWriter(out, used, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


__all__ = ["COLUMNS", "export_bank", "import_bank"]
