"""GIFT import and export: what an instructor's file becomes, the problems a broken file gets
(located, never an exception), and banks going out to GIFT and back through our importer."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.domain.banks import BankSpec, QuestionSpec, read_bank
from quiz.domain.question_types.base import CLOZE_GAP
from quiz.interchange import EXPORTERS, IMPORTERS, load_document
from quiz.interchange.gift import export_bank, import_bank, not_exported, plain_text

ROOT = Path(__file__).resolve().parents[2]
BANK_FILES = sorted((ROOT / "questions").glob("**/*.yaml"))
TODAY = date(2026, 12, 2)


def _import(text: str, **options: Any) -> Any:
    return import_bank(text.encode(), "quiz.gift", today=TODAY, **options)


def _one(text: str) -> dict[str, Any]:
    result = _import(text)
    assert result.problems == [] and result.skipped == []
    [question] = result.document["questions"]
    return question


def test_gift_is_registered_for_import_and_export() -> None:
    assert IMPORTERS["gift"] is import_bank
    assert EXPORTERS["gift"] is export_bank


@pytest.mark.parametrize("text,fields", [
    ("Capital of Mali?{=Bamako ~Gao ~Timbuktu}", {"type": "mcq", "answer": "Bamako", "distractors": ["Gao", "Timbuktu"]}),
    ("Which are in Mali?{~%50%Gao ~%50%Kidal ~%-100%Niamey}",
     {"type": "multi", "answers": ["Gao", "Kidal"], "distractors": ["Niamey"]}),
    ("Which are in Mali?{~%50%Gao ~%50%Kidal ~Niamey ~%0%Dakar}",
     {"type": "multi", "answers": ["Gao", "Kidal"], "distractors": ["Niamey", "Dakar"]}),
    ("Mali is in Africa.{T}", {"type": "truefalse", "answer": True}),
    ("Mali is in Asia.{FALSE}", {"type": "truefalse", "answer": False}),
    ("Capital of Mali?{=Bamako =Bamakó}", {"type": "short", "answer": "Bamako", "accept": ["Bamakó"]}),
    ("Capital of Mali?{Bamako}", {"type": "short", "answer": "Bamako"}),
    ("Capital of Mali?{=Bamako =%50%Gao}", {"type": "short", "answer": "Bamako"}),
    ("Year?{#2013}", {"type": "number", "answer": 2013}),
    ("Year?{#2013:1}", {"type": "number", "answer": 2013, "tolerance": 1}),
    ("Pi?{#3.141..3.142}", {"type": "number", "answer": 3.1415, "tolerance": 0.0005}),
    ("Year?{#=%50%2012:0 =2013:0 =%25%2014}", {"type": "number", "answer": 2013}),
    ("Match.{=Serval -> 2013 =Barkhane -> 2014 = -> 2020}",
     {"type": "match", "pairs": [{"left": "Serval", "right": "2013"}, {"left": "Barkhane", "right": "2014"}],
      "distractors": ["2020"]}),
    ("France launched {=Serval =Sérval} in 2013.", {"type": "cloze", "prompt": "France launched {{Serval|Sérval}} in 2013."}),
    ("_____ is the capital.{=Bamako}", {"type": "cloze", "prompt": "{{Bamako}} is the capital."}),
    ("Konna fell to {~MNLA =AQIM ~Ansar Eddine} fighters.",
     {"type": "mcq", "prompt": "Konna fell to _____ fighters.", "answer": "AQIM"}),
])
def test_each_gift_kind_becomes_one_of_our_types(text: str, fields: dict[str, Any]) -> None:
    question = _one(text)
    for name, value in fields.items():
        assert question[name] == value, name


@pytest.mark.parametrize("text,prompt,answer", [
    (r"Which is \{braced\}?{=a \= b ~c\~d ~e\#f}", "Which is {braced}?", "a = b"),
    (r"Time\: noon?{=yes ~no ~maybe}", "Time: noon?", "yes"),
    ("Back\\\\slash?{=a\\\\b ~c ~d}", "Back\\slash?", "a\\b"),
    (r"Two\nlines?{=yes ~no ~maybe}", "Two\nlines?", "yes"),
    ("[html]<p>Is <b>this</b> &amp; that?</p>{=yes ~no ~maybe}", "Is this & that?", "yes"),
    ("[markdown]Is **this** _it_?{=yes ~no ~maybe}", "Is this it?", "yes"),
    ("[plain]Is <b> kept?{=yes ~no ~maybe}", "Is <b> kept?", "yes"),
    ("Split over\ntwo lines?{=yes ~no ~maybe}", "Split over two lines?", "yes"),
])
def test_escapes_and_formats_become_plain_text(text: str, prompt: str, answer: str) -> None:
    question = _one(text)
    assert (question["prompt"], question["answer"]) == (prompt, answer)


def test_feedback_becomes_the_explanation() -> None:
    question = _one("::Q::Capital?{=Bamako#Yes. ~Gao#No, in the north. ~Kidal ####Bamako since 1960.}")
    assert question["explanation"] == "Bamako since 1960. “Bamako”: Yes. “Gao”: No, in the north."
    bare = _one("Capital?{=Bamako ~Gao ~Kidal}")
    assert "line 1" in bare["explanation"] and "quiz.gift" in bare["explanation"]


@pytest.mark.parametrize("text,explanation", [
    ("Mali is in Asia.{FALSE#No, in Africa.#Right.}", "“True”: No, in Africa. “False”: Right."),
    ("Mali is in Africa.{TRUE#No, it is.#Right.}", "“False”: No, it is. “True”: Right."),
    ("Mali is in Africa.{T####Since ever.}", "Since ever."),
])
def test_true_false_feedback_is_labelled_with_the_choice_it_answers(text: str, explanation: str) -> None:
    assert _one(text)["explanation"] == explanation


def test_comments_categories_titles_ids_and_tags() -> None:
    result = _import(
        "// a comment {not a question}\n"
        "$CATEGORY: $course$/top/Mali/Operations\n\n"
        "// [id:op-serval] [tag:French Army]\n"
        "::Serval::When did Serval start?{#2013}\n\n"
        "::Serval::Who led Serval?{=France ~Chad ~Niger}\n\n"
        "// [id:42]\n"
        "Who?{=France ~Chad ~Niger}\n\n"
        "Last?{T}\n", bank_id="mali")
    assert result.problems == []
    questions = result.document["questions"]
    assert [q["id"] for q in questions] == ["op-serval", "mali-serval", "mali-42", "mali-4"]
    assert questions[0]["tags"] == ["mali", "operations", "french-army"]
    assert all(q["tags"][:2] == ["mali", "operations"] for q in questions)
    assert [q["source"]["paragraph"] for q in questions] == [5, 7, 10, 12]


@pytest.mark.parametrize("text,line,words", [
    ("Essay?{}", 1, "an essay question"),
    ("\n\n::Intro::Read this first.", 3, "a description"),
    ("Pick one.{=yes ~no}", 1, "only one wrong option"),
    ("Seasons?{=spring =summer ~easter}", 1, "several answers marked '='"),
    ("All right?{~%50%a ~%50%b}", 1, "no wrong option"),
    ("Pairs?{=a -> b}", 1, "fewer than 2 pairs"),
    ("Partial only?{=%50%maybe}", 1, "no answer worth 100%"),
])
def test_kinds_we_cannot_hold_are_skipped_with_their_line(text: str, line: int, words: str) -> None:
    result = _import(text + "\n\nKept?{T}")
    assert [q["prompt"] for q in result.document["questions"]] == ["Kept?"]
    [skipped] = result.skipped
    assert (skipped.path, skipped.line, skipped.col) == ("quiz.gift", line, 1)
    assert words in skipped.message


@pytest.mark.parametrize("text,line,col,words", [
    ("Good?{T}\n\nBroken?{=a ~b ~c\n", 3, 8, "not closed with '}'"),
    ("Broken?}{T}", 1, 8, "never opened"),
    ("Nested?{=a {b} ~c ~d}", 1, 12, "a '{' inside the answers"),
    ("Two?{T} and {F}", 1, 13, "a second answer block"),
    ("::Title without end {T}", 1, 1, "title opened with '::'"),
    ("Year?{#twenty}", 1, 8, "'twenty' is not a number"),
    ("Year?{#2013:-1}", 1, 8, "negative"),
    ("Range?{#5..1}", 1, 9, "ends below"),
    ("Huge?{#1e5000}", 1, 8, "too large"),
    ("Tiny?{#=1e-400:0}", 1, 8, "too small"),
    ("Which?{~a ~b ~c}", 1, 1, "no right answer"),
    ("Which?{~%fifty%a ~b =c}", 1, 8, "a weight is written %number%"),
    ("Text first?{oops =a =b}", 1, 13, "text before the first answer"),
    ("Pairs?{=a -> b =c}", 1, 16, "=left -> right"),
    ("{=Bamako ~Gao ~Kidal}", 1, 1, "no text"),
    ("TF?{TRUE#a#b#c}", 1, 14, "at most two feedbacks"),
])
def test_malformed_gift_gets_located_problems(text: str, line: int, col: int, words: str) -> None:
    result = _import(text + "\n\nStill read?{T}")
    assert [str(p) for p in result.problems if words in p.message] == \
        [f"quiz.gift:{line}:{col}: {next(p.message for p in result.problems if words in p.message)}"]
    assert result.document["questions"][-1]["prompt"] == "Still read?"


def test_bytes_that_are_not_utf8_get_a_located_problem() -> None:
    result = import_bank(b"Caf\xe9?{T}", "quiz.gift", today=TODAY)
    assert [(p.line, p.col) for p in result.problems] == [(1, 4)]
    assert "not valid UTF-8" in result.problems[0].message


def test_a_file_over_5_mb_is_refused_with_a_problem() -> None:
    result = import_bank(b"x" * (5 * 1024 * 1024 + 1), "quiz.gift", today=TODAY)
    assert result.document["questions"] == []
    assert any("larger than 5 MB" in p.message for p in result.problems)


def test_a_byte_order_mark_and_windows_line_ends_are_read() -> None:
    result = import_bank(b"\xef\xbb\xbfOne?{T}\r\n\r\nTwo?{F}\r\n", "quiz.gift", today=TODAY)
    assert [(q["prompt"], q["source"]["paragraph"]) for q in result.document["questions"]] == [("One?", 1), ("Two?", 3)]


def test_loader_problems_are_reported_at_the_gift_line() -> None:
    result = _import("Fine?{T}\n\nSame answer twice?{=Gao ~Gao ~Kidal}")
    assert [(p.line, p.col) for p in result.problems] == [(3, 1)]
    assert "also the answer" in result.problems[0].message


def test_imported_document_loads_as_a_bank() -> None:
    result = _import("::A::Capital?{=Bamako ~Gao ~Kidal}\n\nYear?{#2013:1}", title="Mali quiz")
    bank, problems = load_document(result.document, "mali.yaml")
    assert problems == [] and bank is not None
    assert (bank.title, [q.type for q in bank.questions]) == ("Mali quiz", ["mcq", "number"])
    assert bank.sources["imported"].title == "quiz.gift"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="{}~=#:\\%[]->/$\n abT.0123456789*_", max_size=80))
def test_any_text_gives_problems_not_an_exception(text: str) -> None:
    result = import_bank(text.encode(), "fuzz.gift", today=TODAY)
    assert all(p.path == "fuzz.gift" and p.line >= 1 and p.col >= 1 for p in result.problems + result.skipped)


# ---------------------------------------------------------------- export and round trip

HELD = {"mcq", "multi", "truefalse", "short", "number", "match", "cloze"}


def _banks() -> list[BankSpec]:
    banks = []
    for path in BANK_FILES:
        bank, problems = read_bank(str(path), path.read_bytes())
        assert bank is not None and problems == []
        banks.append(bank)
    return banks


def _answers(question: QuestionSpec | dict[str, Any]) -> Any:
    """The answer key of a question, from a loaded question or an imported one."""
    if isinstance(question, QuestionSpec):
        data, kind, prompt = question.data, question.type, question.prompt
    else:
        data, kind, prompt = question, question["type"], question["prompt"]
    if kind == "cloze":
        return [[a.strip() for a in gap.split("|")] for gap in CLOZE_GAP.findall(prompt)]
    if kind == "short":
        return data["answer"], data.get("accept", [])
    if kind == "number":
        return data["answer"], data.get("tolerance") or 0
    if kind == "match":
        return data["pairs"], data.get("distractors", [])
    if kind in ("mcq", "truefalse"):
        return data["answer"], data.get("distractors")
    return data["answers"], data["distractors"]


def _exportable(question: QuestionSpec) -> bool:
    return question.type in HELD and not (question.type == "cloze" and len(CLOZE_GAP.findall(question.prompt)) != 1)


@pytest.mark.parametrize("bank", _banks(), ids=lambda b: b.id)
def test_every_question_gift_can_hold_comes_back_with_the_same_answers(bank: BankSpec) -> None:
    gift = export_bank(bank)
    result = import_bank(gift, f"{bank.id}.gift", today=TODAY)
    assert result.problems == [] and result.skipped == []
    back = {q["id"]: q for q in result.document["questions"]}
    held = [q for q in bank.questions if _exportable(q)]
    assert held
    for question in held:
        again = back[question.id]
        assert again["type"] == question.type
        assert _answers(again) == _answers(question), question.id
        assert again["explanation"] == " ".join(question.explanation.split())
        if question.type != "cloze":
            assert again["prompt"] == question.prompt
        own_tags = [t for t in question.tags if t not in bank.tags]
        assert set(own_tags) <= set(again.get("tags", []))


@pytest.mark.parametrize("bank", _banks(), ids=lambda b: b.id)
def test_questions_gift_cannot_hold_are_approximated_or_named_in_a_comment(bank: BankSpec) -> None:
    text = export_bank(bank).decode()
    back = {q["id"]: q for q in import_bank(text.encode(), "x.gift", today=TODAY).document["questions"]}
    for question in bank.questions:
        if _exportable(question):
            continue
        if question.type == "order":
            assert back[question.id]["type"] == "match"
            assert [p["right"] for p in back[question.id]["pairs"]] == [i["text"] for i in question.data["items"]]
        elif question.type == "date" and len(str(question.data["answer"])) == 4:
            assert (back[question.id]["type"], back[question.id]["answer"]) == ("number", int(question.data["answer"]))
        else:
            assert question.id not in back
            assert f"// not exported: {question.id} ({question.type}): " in text
    assert [f"// not exported: {q.id} ({q.type}): {why}" for q, why in not_exported(bank)] == \
        [line for line in text.split("\n") if line.startswith("// not exported: ")]


def test_export_escapes_what_gift_would_read_as_syntax() -> None:
    source = ROOT / "questions/examples/every-type.yaml"
    text = source.read_text().replace(
        "answer: Konna\n", "answer: '[html] ~Konna = {town} #1: a\\b'\n").replace(
        "prompt: Which central Malian town did jihadist fighters overrun just before France intervened in "
        "January 2013?", "prompt: '%50% Which central: Malian town {x}'")
    bank, problems = read_bank("every-type.yaml", text.encode())
    assert bank is not None and problems == []
    gift = export_bank(bank).decode()
    assert r"=[plain][html] \~Konna \= \{town\} \#1\: a\\b" in gift
    again = import_bank(gift.encode(), "x.gift", today=TODAY).document["questions"][0]
    assert again["answer"] == "[html] ~Konna = {town} #1: a\\b"
    assert again["prompt"].startswith("%50% Which central: Malian town {x}")


def test_export_keeps_tags_citation_unit_and_multi_weights_in_the_file() -> None:
    bank, _ = read_bank("every-type.yaml", (ROOT / "questions/examples/every-type.yaml").read_bytes())
    assert bank is not None
    gift = export_bank(bank).decode()
    assert "// [tag:places]" in gift and "// unit: years" in gift
    assert "// source: French troops intervene in Mali (FDD's Long War Journal, 2013-01-12), paragraph 2" in gift
    assert "~%33.33333%AQIM" in gift and "~%-33.33333%MNLA" in gift


def test_the_file_counts_the_questions_written_and_those_left_out() -> None:
    bank, _ = read_bank("every-type.yaml", (ROOT / "questions/examples/every-type.yaml").read_bytes())
    assert bank is not None
    gift = export_bank(bank).decode()
    assert "// 7 questions written, 3 left out (each named in a comment where it would stand)." in gift.split("\n")
    assert gift.count("\n// [id:") == 7 and gift.count("\n// not exported: ") == 3
    holdable = BankSpec(bank.id, bank.title, "", bank.language, bank.sources, [],
                        questions=[q for q in bank.questions if q.type == "mcq"])
    assert "// 1 question written." in export_bank(holdable).decode().split("\n")


@pytest.mark.parametrize("html,plain", [
    ("<p>One</p><p>Two&nbsp;three</p>", "One\nTwo three"),
    ("a<br>b", "a\nb"),
    ("<img alt='a map'> of Mali", "a map of Mali"),
    ("<script>alert(1)</script>safe", "safe"),
    ("<pre>x\n  y</pre>", "x\ny"),
])
def test_html_becomes_plain_text(html: str, plain: str) -> None:
    assert plain_text(html, "html") == plain
