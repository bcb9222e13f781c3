"""Quizlet-style paste: term/definition lines become flashcards; every problem at its line."""
from __future__ import annotations

from datetime import date

import pytest

from quiz.interchange import IMPORTERS, load_document

TODAY = date(2026, 12, 2)


def paste(text: str, **options: str) -> tuple[list[tuple[str, str]], list[str]]:
    result = IMPORTERS["quizlet"](text.encode(), "deck.txt", today=TODAY, **options)
    spec, problems = load_document(result.document, "deck.yaml")
    cards = [(q.prompt, q.data["back"]) for q in spec.questions] if spec and result.document["questions"] else []
    assert all(p.path == "deck.txt" for p in result.problems)
    return cards, [f"{p.line}:{p.col}: {p.message}" for p in result.problems]


@pytest.mark.parametrize(("separator", "text"), [
    ("tab", "Serval\tThe 2013 operation\nMINUSMA\tThe UN mission, from 2013\n"),
    ("comma", "Serval,The 2013 operation\nMINUSMA,The UN mission, from 2013\n"),
    (" - ", "Serval - The 2013 operation\r\n\r\nMINUSMA - The UN mission, from 2013"),
])
def test_each_line_becomes_a_card_at_the_first_separator(separator: str, text: str) -> None:
    cards, problems = paste(text, separator=separator)
    assert problems == []
    assert cards == [("Serval", "The 2013 operation"), ("MINUSMA", "The UN mission, from 2013")]


def test_cards_load_as_a_valid_bank_citing_the_pasted_lines() -> None:
    result = IMPORTERS["quizlet"](b"a\tb\n\nc\td\n", "deck.txt", today=TODAY, bank_id="my-deck", title="My deck")
    spec, problems = load_document(result.document, "my-deck.yaml")
    assert problems == [] and spec is not None
    assert (spec.id, spec.title) == ("my-deck", "My deck")
    assert [q.id for q in spec.questions] == ["my-deck-1", "my-deck-2"]
    assert [q.paragraph for q in spec.questions] == [1, 2]  # the n-th non-empty line
    assert spec.sources["imported"].date == "2026-12-02"


@pytest.mark.parametrize(("text", "expected"), [
    ("a\tb\nno separator here\nc\td\n", ["2:1: this line has no separator (a tab)"]),
    ("a\tb\n\t only a definition\n", ["2:1: the term (before the separator) is empty"]),
    ("a\tb\nterm\t   \n", ["2:6: the definition (after the separator) is empty"]),
    ("one,two\nthree,four\n", ["1:1: no line has a tab between a term and its definition; the lines seem to use "
                               "a comma"]),
    ("\n\n", ["1:1: there is nothing to import"]),
    ("a\tb\nc\x00\td\n", ["2:2: the control character U+0000"]),
])
def test_problems_are_located(text: str, expected: list[str]) -> None:
    _, problems = paste(text)
    assert len(problems) == len(expected)
    for problem, start in zip(problems, expected):
        assert problem.startswith(start)


def test_bytes_that_are_not_utf8_are_located() -> None:
    result = IMPORTERS["quizlet"](b"caf\xe9\tcoffee\n", "deck.txt", today=TODAY)
    assert [(p.line, p.col) for p in result.problems] == [(1, 4)]
    assert "not valid UTF-8" in result.problems[0].message


def test_a_separator_that_is_blank_or_too_long_is_refused() -> None:
    for separator in ("", "   ", "x" * 11):
        result = IMPORTERS["quizlet"](b"a\tb\n", "deck.txt", separator=separator)
        assert result.document["questions"] == [] and "separator" in result.problems[0].message


def test_markup_stays_plain_text() -> None:
    cards, problems = paste("<b>bold</b>\t<script>alert(1)</script> &amp;\n")
    assert problems == []
    assert cards == [("<b>bold</b>", "<script>alert(1)</script> &amp;")]


def test_utf16_from_a_spreadsheet_is_read() -> None:
    result = IMPORTERS["quizlet"]("Sévaré\tune ville\n".encode("utf-16"), "deck.txt", today=TODAY)
    assert result.problems == []
    assert result.document["questions"][0]["prompt"] == "Sévaré"
