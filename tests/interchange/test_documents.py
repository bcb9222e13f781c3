"""Bank documents written as YAML by dump_document and read back by the normal loader."""
from __future__ import annotations

from pathlib import Path

import pytest

from quiz.domain.banks import read_bank
from quiz.interchange import bank_id_from_name, check_document, dump_document, spec_document

from .conftest import portable

BANKS = sorted(Path(__file__).resolve().parents[2].glob("questions/**/*.yaml"))


@pytest.mark.parametrize("path", BANKS, ids=lambda p: p.name)
def test_every_bundled_bank_survives_dump_and_read(path: Path) -> None:
    spec, problems = read_bank(str(path), path.read_bytes())
    assert spec is not None and not problems
    text = dump_document(spec_document(spec))
    again, problems = read_bank(str(path), text.encode())
    assert problems == []
    assert again is not None
    assert [portable(q) for q in again.questions] == [portable(q) for q in spec.questions]
    assert again.content_hash() == spec.content_hash()


def test_dumped_text_reads_like_a_hand_written_bank() -> None:
    path = Path(__file__).resolve().parents[2] / "questions/examples/every-type.yaml"
    spec, _ = read_bank(str(path), path.read_bytes())
    assert spec is not None
    text = dump_document(spec_document(spec))
    assert text.startswith("id: examples\ntitle: ")
    assert "\n\nquestions:\n  - id: ex-mcq\n    type: mcq\n    prompt: " in text
    assert "    distractors: [Gao, Kidal, Tessalit]\n" in text
    assert "    source: {id: lwj-2013, paragraph: 2}\n" in text
    assert "    date: 2013-01-12\n" in text  # a full date unquoted
    assert "\n\n  - id: ex-multi\n" in text  # a blank line between questions
    assert "fuzzy" not in text and "tolerance" not in text  # defaults left out


@pytest.mark.parametrize("text", ["yes", "no", "3", "1e3", "null", "- a", "a: b", "#x", "{x}", "'q'", " lead",
                                  "two\nlines", "x" * 200, "trailing "])
def test_awkward_texts_come_back_unchanged(text: str) -> None:
    document = {"id": "b", "title": "T", "language": "en",
                "sources": {"s": {"title": "S", "publisher": "P", "date": "2020"}},
                "questions": [{"id": "q", "type": "card", "prompt": "front", "back": text,
                               "explanation": "e", "source": {"id": "s", "paragraph": 1}}]}
    spec, problems = read_bank("b.yaml", dump_document(document).encode())
    assert problems == [] and spec is not None
    assert spec.questions[0].data["back"] == text.strip()


def test_loader_problems_are_put_at_the_imported_place() -> None:
    document = {"id": "b", "title": "T", "language": "en",
                "sources": {"s": {"title": "S", "publisher": "P", "date": "2020"}},
                "questions": [
                    {"id": "q1", "type": "card", "prompt": "front", "back": "b", "explanation": "e",
                     "source": {"id": "s", "paragraph": 1}},
                    {"id": "q2", "type": "number", "prompt": "how many?", "answer": 3, "tolerance": "lots",
                     "explanation": "e", "source": {"id": "nope", "paragraph": 1}}]}
    problems = check_document(document, "deck.csv", [(2, 1), (3, 1)], columns={"tolerance": 7, "source": 9})
    assert [(p.line, p.col) for p in problems] == [(3, 7), (3, 9)]
    assert "tolerance" in problems[0].message and "nope" in problems[1].message


@pytest.mark.parametrize(("name", "bank_id"), [("My Deck (2).csv", "my-deck-2"), ("/tmp/x/Ça va.txt", "ca-va"),
                                                ("....", "imported"), ("", "imported")])
def test_bank_ids_from_file_names(name: str, bank_id: str) -> None:
    assert bank_id_from_name(name) == bank_id
