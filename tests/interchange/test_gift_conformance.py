"""GIFT conformance: every file of the GIFT-grammar-PEG.js test corpus (../shared/interop/gift,
each .gift with the .json that reference parser gives) imported by our importer and compared,
question by question, with the reference parse.

Every question our format can hold must be imported with the reference's kind, stem, answers,
weights, tolerances or ranges, feedback and category; every other one must be reported in
`skipped`, at its line. The files are read in place, never copied into the project.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from quiz.domain.problems import Problem
from quiz.interchange.gift import import_bank, plain_text, slug

from .conftest import interop_dir

ROOT = Path(__file__).resolve().parents[2]


INTEROP = interop_dir()
GIFT = INTEROP / "gift" if INTEROP and (INTEROP / "gift").is_dir() else None
FILES = sorted(GIFT.glob("*.gift")) if GIFT else []
pytestmark = pytest.mark.skipif(
    GIFT is None, reason="the GIFT corpus ../shared/interop/gift is not there (set QUIZ_SHARED_DIR to the folder holding interop/)")
TODAY = date(2026, 12, 2)


def _text(value: dict[str, Any] | None) -> str:
    """A reference text ({format, text}) as plain text, the way our bank holds text."""
    if not value:
        return ""
    return plain_text(value["text"], value.get("format") or "moodle")


def _spaced(text: str) -> str:
    """Text compared without the spacing around a blank or a gap."""
    return re.sub(r"\s*(_____|\{\{[^}]*\}\})\s*", r"\1", " ".join(text.split()))


@dataclass
class Expected:
    """What our importer must make of one reference question."""

    kind: str  # our type, or "skipped"
    fields: dict[str, Any]
    feedback: list[str]
    title: str
    tags: list[str]


def _full(choice: dict[str, Any]) -> bool:
    return choice["weight"] in (None, 100)


def _number(choice: dict[str, Any]) -> tuple[Decimal, Decimal]:
    kind = choice["type"]
    if kind == "simple":
        return Decimal(str(choice["number"])), Decimal(0)
    if kind == "range":
        return Decimal(str(choice["number"])), Decimal(str(choice["range"]))
    low, high = Decimal(str(choice["numberLow"])), Decimal(str(choice["numberHigh"]))
    return (low + high) / 2, (high - low) / 2


def _expected(ref: dict[str, Any], tags: list[str]) -> Expected:
    """The reference parser's question, mapped to our format as docs/interchange.md says."""
    kind = ref["type"]
    stem = _text(ref.get("stem"))
    feedback = [_text(ref.get("globalFeedback"))]
    choices = ref.get("choices")
    fields: dict[str, Any] = {"prompt": stem}
    ours = "skipped"
    if kind == "TF":
        ours, fields["answer"] = "truefalse", ref["isTrue"]
        feedback += [_text(ref.get("trueFeedback")), _text(ref.get("falseFeedback"))]
    elif kind == "MC":
        feedback += [_text(c["feedback"]) for c in choices]
        right = [c for c in choices if c["isCorrect"]]
        if right:
            wrong = [_text(c["text"]) for c in choices if not c["isCorrect"]]
            if len(right) == 1 and len(wrong) >= 2:
                ours, fields["answer"], fields["distractors"] = "mcq", _text(right[0]["text"]), wrong
        else:
            answers = [_text(c["text"]) for c in choices if (c["weight"] or 0) > 0]
            distractors = [_text(c["text"]) for c in choices if (c["weight"] or 0) <= 0]
            if answers and distractors:
                ours, fields["answers"], fields["distractors"] = "multi", answers, distractors
    elif kind == "Short":
        feedback += [_text(c["feedback"]) for c in choices]
        right = [_text(c["text"]) for c in choices if _full(c) and _text(c["text"]) != "*"]
        if ref["hasEmbeddedAnswers"] or len(re.findall(r"_{3,}", stem)) == 1:
            gap = "{{" + "|".join(right) + "}}"
            ours, fields["prompt"] = "cloze", re.sub(r"_{3,}", lambda _: gap, stem)
        else:
            ours, fields["answer"] = "short", right[0]
            if right[1:]:
                fields["accept"] = right[1:]
    elif kind == "Numerical":
        if isinstance(choices, dict):
            value, tolerance = _number(choices)
        else:
            feedback += [_text(c["feedback"]) for c in choices]
            value, tolerance = _number(next(c["text"] for c in choices if c["isCorrect"] and _full(c)))
        ours, fields["answer"] = "number", value
        if tolerance:
            fields["tolerance"] = tolerance
    elif kind == "Matching":
        pairs = [(_text(p["subquestion"]), p["subanswer"].strip()) for p in ref["matchPairs"]]
        ours, fields["pairs"] = "match", [{"left": left, "right": right} for left, right in pairs if left]
        if any(not left for left, _ in pairs):
            fields["distractors"] = [right for left, right in pairs if not left]
    return Expected(ours, fields, [f for f in feedback if f], ref.get("title") or "",
                    [*tags, *(slug(t) for t in ref.get("tags") or [])])


def _reference(path: Path) -> list[Expected]:
    expected: list[Expected] = []
    tags: list[str] = []
    for ref in json.loads(path.with_suffix(".json").read_text(encoding="utf-8")):
        if ref["type"] == "Category":
            levels = [level for level in ref["title"].split("/") if level and level != "top"
                      and not re.fullmatch(r"\$\w+\$", level)]
            tags = [slug(level) for level in levels]
        else:
            expected.append(_expected(ref, tags))
    return expected


def _question_lines(text: str) -> list[int]:
    """The line where each question of a GIFT file starts (a first line after blank lines or
    comments; a $CATEGORY block is not a question)."""
    starts: list[int] = []
    previous_blank = True
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            previous_blank = True
        elif stripped.startswith("//"):
            continue
        else:
            if previous_blank and not stripped.startswith("$CATEGORY:"):
                starts.append(number)
            previous_blank = False
    return starts


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_gift_file_imports_like_the_reference_parser(path: Path) -> None:
    data = path.read_bytes()
    result = import_bank(data, path.name, today=TODAY)
    expected = _reference(path)
    questions = result.document["questions"]
    held = [e for e in expected if e.kind != "skipped"]
    not_held = [e for e in expected if e.kind == "skipped"]

    # nothing malformed in the corpus; a file with nothing we can hold makes an empty bank
    assert [p.message for p in result.problems] == ([] if held else ["the bank has no questions"])
    assert [q["type"] for q in questions] == [e.kind for e in held]
    assert len(result.skipped) == len(not_held)

    # each imported question and each skipped one at the line where it starts, in file order
    lines = _question_lines(data.decode("utf-8"))
    placed = sorted([(q["source"]["paragraph"], "imported") for q in questions]
                    + [(p.line, "skipped") for p in result.skipped])
    assert [line for line, _ in placed] == lines
    assert [what for _, what in placed] == ["skipped" if e.kind == "skipped" else "imported" for e in expected]

    for ours, wanted in zip(questions, held):
        _assert_question(ours, wanted)


def _assert_question(ours: dict[str, Any], wanted: Expected) -> None:
    fields = dict(wanted.fields)
    assert _spaced(ours["prompt"]) == _spaced(fields.pop("prompt"))
    if ours["type"] == "number":
        assert Decimal(str(ours["answer"])) == fields.pop("answer")
        assert Decimal(str(ours.get("tolerance", 0))) == fields.pop("tolerance", Decimal(0))
    for name, value in fields.items():
        assert ours.get(name) == value, name
    for name in ("accept", "distractors"):
        if name not in fields:
            assert name not in ours
    for text in wanted.feedback:  # every feedback of the reference is in the explanation
        assert text in ours["explanation"]
    if wanted.title:
        assert re.fullmatch(rf".*{re.escape(slug(wanted.title))}(-\d+)?", ours["id"])
    assert ours.get("tags", []) == [t for t in dict.fromkeys(wanted.tags) if t]


def _skipped_kind(problem: Problem) -> str:
    return "essay" if "essay" in problem.message else "description" if "description" in problem.message else "other"


def test_the_corpus_is_all_there_and_every_question_is_accounted_for() -> None:
    """51 files; every reference question is imported or skipped, and the kinds GIFT has that a
    bank cannot hold (essay, description) are all among the skipped."""
    assert len(FILES) == 51
    references = imported = 0
    skipped: list[Problem] = []
    for path in FILES:
        result = import_bank(path.read_bytes(), path.name, today=TODAY)
        expected = _reference(path)
        references += len(expected)
        imported += len(result.document["questions"])
        skipped += result.skipped
        essays = sum(1 for ref in json.loads(path.with_suffix(".json").read_text()) if ref["type"] == "Essay")
        assert sum(1 for p in result.skipped if _skipped_kind(p) == "essay") == essays
    assert imported + len(skipped) == references
    assert imported >= 80
