"""CSV import and export: the documented columns, round trips, every problem at row:column."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from quiz.domain.banks import BankSpec
from quiz.interchange import EXPORTERS, IMPORTERS, load_document

from .conftest import BUNDLED, bank, portable

TODAY = date(2026, 12, 2)


def csv_import(text: str | bytes, **options: str) -> tuple[BankSpec | None, list[str], list[str]]:
    data = text.encode() if isinstance(text, str) else text
    result = IMPORTERS["csv"](data, "quiz.csv", today=TODAY, **options)
    spec, _ = load_document(result.document, "quiz.yaml") if result.document["questions"] else (None, [])
    return (spec, [f"{p.line}:{p.col}: {p.message}" for p in result.problems],
            [f"{p.line}:{p.col}: {p.message}" for p in result.skipped])


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_every_bundled_bank_round_trips_through_csv(path: Path) -> None:
    spec = bank(path)
    result = IMPORTERS["csv"](EXPORTERS["csv"](spec), "x.csv", bank_id=spec.id, title=spec.title)
    assert result.problems == [] and result.skipped == []
    again, problems = load_document(result.document, "x.yaml")
    assert problems == [] and again is not None
    assert [q.id for q in again.questions] == [q.id for q in spec.questions]
    assert [portable(q) for q in again.questions] == [portable(q) for q in spec.questions]
    assert {k: vars(v) for k, v in again.sources.items()} == {k: vars(v) for k, v in spec.sources.items()}


def test_awkward_texts_round_trip(every_type: BankSpec) -> None:
    order = next(q for q in every_type.questions if q.type == "order")
    order.data["items"][0]["text"] = r"a | b = c \ d"
    mcq = next(q for q in every_type.questions if q.type == "mcq")
    mcq.data["distractors"][0] = 'say "yes" | no, 1\\2'
    match = next(q for q in every_type.questions if q.type == "match")
    match.data["pairs"][0]["left"] = "x = y"
    result = IMPORTERS["csv"](EXPORTERS["csv"](every_type), "x.csv", bank_id="examples")
    again, problems = load_document(result.document, "x.yaml")
    assert result.problems == [] and problems == [] and again is not None
    assert [q.content() for q in again.questions] == [q.content() for q in every_type.questions]


def test_a_spreadsheet_with_semicolons_and_the_usual_columns() -> None:
    spec, problems, _ = csv_import(
        "Type;Prompt;Answer;Distractors;Explanation;Tags\n"
        "mcq;Which town fell?;Konna;Gao | Kidal;It opened the road south.;places\n"
        "truefalse;Serval began in 2013.;yes;;It began on 11 January.;\n"
        "number;How many years?;3;;Three.;\n"
        "card;MINUSMA;The UN mission;;Set up in 2013.;\n")
    assert problems == [] and spec is not None
    assert [(q.type, q.data.get("answer", q.data.get("back"))) for q in spec.questions] == [
        ("mcq", "Konna"), ("truefalse", True), ("number", 3), ("card", "The UN mission")]
    assert spec.questions[0].tags == ["places"]
    assert spec.questions[0].paragraph == 2  # its row, in the imported file cited as the source


@pytest.mark.parametrize(("text", "expected"), [
    # unknown and missing columns
    ("typ,prompt\ncard,a\n", ["1:1: unknown column 'typ' (did you mean 'type'?)", "1:1: the header has no 'type'"]),
    ("type,prompt,answr,explanation\ncard,a,b,e\n", ["1:3: unknown column 'answr' (did you mean 'answer'?)",
                                                     "2:1: question 'quiz-1' has no 'back'"]),
    ("type,prompt,type,back,explanation\ncard,a,x,b,e\n", ["1:3: the column 'type' appears twice"]),
    # a value of the wrong kind, at its cell
    ("type,prompt,answer,tolerance,explanation\nnumber,How many?,three,1,e\n", ["2:3: 'answer' should be a number"]),
    ("type,prompt,answer,tolerance,explanation\nnumber,How many?,3,lots,e\n", ["2:4: 'tolerance' should be a number"]),
    ("type,prompt,answer,explanation\ntruefalse,Is it?,maybe,e\n", ["2:3: 'answer' should be true or false"]),
    ("type,prompt,answer,explanation\ndate,When?,2013-02-30,e\n", ["2:3: '2013-02-30' is not a real date"]),
    ("type,prompt,items,explanation\norder,Order,2013 = a | b,e\n", ["2:3: item 2 of 'items' should have"]),
    ("explanation,type,prompt,answer,distractors\ne,mcq,Which?,Gao,Gao | Kidal\n", ["2:5: "]),
    ("type,prompt,back\ncard,a,b\n", ["2:1: question 'quiz-1' has no 'explanation'"]),
    ("type,prompt,back,explanation\ncard,a,b,\n", ["2:4: question 'quiz-1' has no 'explanation'"]),
    ("type,prompt,back,explanation\ncard,,b,e\n", ["2:2: question 'quiz-1' has no 'prompt'"]),
    ("type,prompt,back,explanation\nflashcard,a,b,e\n", ["2:1: unknown question type 'flashcard'"]),
    ("type,prompt,back,explanation,tags\ncard,a,b,e,Big_Tag\n", ["2:5: the tag 'Big_Tag' should be lowercase"]),
    ("type,prompt,back,explanation,difficulty\ncard,a,b,e,hardest\n", ["2:5: difficulty 'hardest'"]),
    # sources
    ("type,prompt,back,explanation,source,paragraph\ncard,a,b,e,lwj,2\n", ["2:5: the citation names the source 'lwj'"]),
    ("type,prompt,back,explanation,source,paragraph\ncard,a,b,e,,x\n", ["2:6: 'paragraph' should be a whole number"]),
    ("type,prompt,back,explanation,source,paragraph,source_title,source_publisher,source_date\n"
     "card,a,b,e,s,1,T,P,2020\ncard,c,d,e,s,2,Other,P,2020\n",
     ["3:7: the source 's' has the title 'T' in row 2"]),
    ("type,prompt,back,explanation,source,paragraph,source_title,source_publisher,source_date\n"
     "card,a,b,e,s,1,T,P,\n", ["2:9: the source 's' has no 'date'"]),
    ("type,prompt,back,explanation,source,paragraph,source_title,source_publisher,source_date\n"
     "card,a,b,e,s,1,T,P,2020-13\n", ["2:9: '2020-13' is not a real date"]),
    # the file itself
    ("type,prompt,back,explanation\ncard,a,b,e,extra\n", ["2:5: this row has more cells than the header"]),
    ('type,prompt,back,explanation\ncard,a,b,e\ncard,"never closed,b,e\n', ["3:1: row 3 cannot be read as CSV"]),
    ("", ["1:1: the file is empty"]),
    ("type,prompt\n", ["2:1: there are no questions below the header"]),
    ("id,type,prompt,back,explanation\nx,card,a,b,e\nx,card,c,d,e\n", ["3:1: duplicate question id 'x'"]),
])
def test_every_problem_is_at_its_row_and_column(text: str, expected: list[str]) -> None:
    _, problems, _ = csv_import(text)
    assert len(problems) == len(expected), problems
    for problem, start in zip(problems, expected):
        assert problem.startswith(start), problems


def test_bytes_that_are_not_utf8_are_located() -> None:
    _, problems, _ = csv_import(b"type,prompt,back,explanation\ncard,caf\xe9,b,e\n")
    assert problems[0].startswith("2:9: byte 0xE9 is not valid UTF-8")


def test_kinds_we_cannot_grade_are_skipped_and_listed() -> None:
    spec, problems, skipped = csv_import("type,prompt,back,explanation\nessay,Write,,\ncard,a,b,e\n")
    assert problems == [] and spec is not None and len(spec.questions) == 1
    assert skipped == ["2:1: skipped an essay: the app cannot grade it"]


def test_a_header_with_an_excel_byte_order_mark() -> None:
    spec, problems, _ = csv_import("\ufefftype,prompt,back,explanation\ncard,a,b,e\n".encode())
    assert problems == [] and spec is not None and spec.questions[0].prompt == "a"
