"""Quizlet-style paste: one card per line, a term and its definition split by a separator.

    Serval<TAB>The 2013 French operation in Mali
    MINUSMA<TAB>The UN stabilisation mission in Mali

becomes a bank of `card` questions (the term on the front, the definition on the back). The
separator is a tab (Quizlet's default), a comma, a semicolon or any text the author chooses;
only its first occurrence on a line splits it, so a definition may contain it.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from ..domain.problems import Problem
from . import IMPORTED_SOURCE, ImportResult, bank_id_from_name, check_document, decode_text, imported_source, \
    new_document

SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";"}
SEPARATOR_NAMES = {"\t": "a tab", ",": "a comma", ";": "a semicolon"}
MAX_CUSTOM_SEPARATOR = 10  # characters


def separator_of(choice: str) -> str:
    """The separator text for a choice: 'tab', 'comma', 'semicolon' or the text itself."""
    return SEPARATORS.get(choice, choice)


def _name(separator: str) -> str:
    return SEPARATOR_NAMES.get(separator, f"'{separator}'")


def import_bank(data: bytes, name: str, *, separator: str = "tab", bank_id: str | None = None,
                title: str | None = None, language: str = "en", today: date | None = None,
                **_: Any) -> ImportResult:
    """Read pasted term/definition lines into a bank of flashcards."""
    sep = separator_of(separator)
    bank = bank_id or bank_id_from_name(name)
    document = new_document(bank, title or name.rsplit("/", 1)[-1] or "Imported cards", language)
    result = ImportResult(document)
    if not sep or len(sep) > MAX_CUSTOM_SEPARATOR or sep.isspace() and sep != "\t":
        result.problems.append(Problem(name, 1, 1, f"choose a separator of 1 to {MAX_CUSTOM_SEPARATOR} characters "
                                                    "(a tab, a comma, a semicolon or your own, such as ' - ')"))
        return result
    text, problems = decode_text(data, name)
    result.problems.extend(problems)
    if text is None:
        return result
    lines = [(number, line) for number, line in enumerate(text.split("\n"), start=1) if line.strip()]
    if not lines:
        result.problems.append(Problem(name, 1, 1, "there is nothing to import: paste one card per line, "
                                                    f"the term and the definition separated by {_name(sep)}"))
        return result
    without = [number for number, line in lines if sep not in line]
    if len(without) == len(lines):
        result.problems.append(Problem(name, lines[0][0], 1, _no_separator_anywhere(sep, [line for _, line in lines])))
        return result
    document["sources"] = {IMPORTED_SOURCE: imported_source(name, "Quizlet-style paste", today or date.today())}
    places: list[tuple[int, int]] = []
    columns: list[dict[str, int]] = []
    for paragraph, (number, line) in enumerate(lines, start=1):
        if sep not in line:
            result.problems.append(Problem(name, number, 1, f"this line has no separator ({_name(sep)}), so it is "
                                                            "a term without a definition; add one or delete the line"))
            continue
        term, definition = line.split(sep, 1)
        back_col = len(term) + len(sep) + 1
        if not term.strip():
            result.problems.append(Problem(name, number, 1, "the term (before the separator) is empty"))
            continue
        if not definition.strip():
            result.problems.append(Problem(name, number, back_col, "the definition (after the separator) is empty"))
            continue
        document["questions"].append({
            "id": f"{bank}-{len(document['questions']) + 1}", "type": "card",
            "prompt": term.strip(), "back": definition.strip(),
            "explanation": f"Flashcard imported from {document['sources'][IMPORTED_SOURCE]['title']}, line {number}.",
            "source": {"id": IMPORTED_SOURCE, "paragraph": paragraph},
        })
        places.append((number, 1))
        columns.append({"prompt": 1, "back": back_col})
    if document["questions"]:
        result.problems.extend(check_document(document, name, places, columns))
    result.problems.sort()
    return result


def _no_separator_anywhere(sep: str, lines: list[str]) -> str:
    """Say that no line has the chosen separator, and suggest the one the text seems to use."""
    message = f"no line has {_name(sep)} between a term and its definition"
    for other in ("\t", ",", ";", " - ", ":"):
        if other != sep and sum(other in line for line in lines) * 2 > len(lines):
            return f"{message}; the lines seem to use {_name(other)}: choose that separator"
    return f"{message}; choose the separator your text uses"
