"""Malformed banks: each mistake is reported at its line and column, in plain words."""
from __future__ import annotations

import pytest

from quiz.domain.banks import check_across, read_bank
from quiz.domain.problems import Problem

VALID = """\
id: t
title: Test bank
language: en
sources:
  s1: {title: An article, publisher: A paper, date: 2013-01-12}
questions:
  - id: q1
    type: mcq
    prompt: Which town fell first?
    answer: Konna
    distractors: [Gao, Kidal]
    explanation: Because it was closest.
    source: {id: s1, paragraph: 1}
"""


def problems_of(text: str | bytes) -> list[Problem]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    bank, problems = read_bank("bank.yaml", data)
    if bank is not None:
        problems += check_across([bank])
    return sorted(problems)


def edit(old: str, new: str) -> str:
    assert old in VALID, old
    return VALID.replace(old, new)


def question(body: str) -> str:
    """VALID plus a second question (starting at line 14) with this body."""
    return VALID + body


def test_the_valid_bank_has_no_problems() -> None:
    bank, problems = read_bank("bank.yaml", VALID.encode())
    assert problems == []
    assert bank is not None and [q.id for q in bank.questions] == ["q1"]


CASES = [
    # (name, text, line, col, words the message must contain)
    ("unknown type with suggestion", edit("type: mcq", "type: mqc"), 8, 11,
     "unknown question type 'mqc' (did you mean 'mcq'?)"),
    ("type synonym suggestion", edit("type: mcq", "type: multiple-choice"), 8, 11, "did you mean 'mcq'"),
    ("mcq answer also a distractor", edit("[Gao, Kidal]", "[Gao, Konna]"), 11, 24,
     "the distractor 'Konna' is also the answer"),
    ("citation of an unknown source", edit("{id: s1, paragraph: 1}", "{id: s2, paragraph: 1}"), 13, 18,
     "names the source 's2', which the bank does not list"),
    ("empty prompt", edit("prompt: Which town fell first?", 'prompt: ""'), 9, 13, "'prompt' is empty"),
    ("missing prompt", edit("    prompt: Which town fell first?\n", ""), 7, 5, "has no 'prompt'"),
    ("paragraph that is not a number", edit("paragraph: 1}", "paragraph: two}"), 13, 33,
     "'paragraph' should be a whole number, not text ('two')"),
    ("paragraph zero", edit("paragraph: 1}", "paragraph: 0}"), 13, 33, "should be 1 or more"),
    ("unknown field with suggestion", edit("distractors:", "distractor:"), 11, 5,
     "unknown field 'distractor' in question 'q1' (did you mean 'distractors'?)"),
    ("duplicate key", edit("    explanation: Because it was closest.\n",
                           "    explanation: Because it was closest.\n    prompt: Again?\n"), 13, 5,
     "the field 'prompt' appears twice (first at line 9)"),
    ("yaml syntax error", edit("prompt: Which town fell first?", "prompt: Which town: fell first?"), 9, 23,
     "YAML syntax error: a ':' followed by a space is not allowed here"),
    ("unclosed quote is shown where it opens", edit("prompt: Which town fell first?", 'prompt: "Which town fell first?'),
     9, 13, "this quote is never closed; add the closing quote"),
    ("unclosed single quote", edit("prompt: Which town fell first?", "prompt: 'Which town fell first?"),
     9, 13, "this quote is never closed"),
    ("unclosed bracket", edit("[Gao, Kidal]", "[Gao, Kidal"), 11, 18, "this '[' list is not closed; end it with ']'"),
    ("unclosed brace", edit("{id: s1, paragraph: 1}", "{id: s1, paragraph: 1"), 13, 13,
     "this '{' set of fields is not closed; end it with '}'"),
    ("tab used for indentation", edit("    answer: Konna", "\tanswer: Konna"), 10, 1,
     "a tab is used for indentation"),
    ("line after a tab indented differently, in plain words", edit("    answer: Konna", "\tanswer: Konna"), 10, 2,
     "this line is indented differently from the lines above it; give it the same number of spaces"),
    ("line indented one space too little", edit("    answer: Konna", "   answer: Konna"), 10, 4,
     "this line is indented differently from the lines above it"),
    ("a second document", VALID + "---\nid: other\n", 14, 1,
     "a second YAML document starts here ('---'); a bank file holds one bank"),
    ("value starting with @", edit("answer: Konna", "answer: @Konna"), 10, 13,
     "a value cannot start with this character; put the whole text in quotes"),
    ("NUL byte", edit("answer: Konna", "answer: Ko\x00nna"), 10, 15,
     "the control character U+0000 is not allowed in a bank"),
    ("other control byte", edit("explanation: Because", "explanation: Be\x07cause"), 12, 20,
     "the control character U+0007 is not allowed"),
    ("50,000 nested brackets", edit("questions:\n", "questions: " + "[" * 50000 + "\n"), 6, 1011,
     "the values are nested too deeply here"),
    ("1,500 indented levels", VALID + "    deep:\n" + "".join(" " * (2 * i + 6) + f"k{i}:\n" for i in range(1500)),
     32, 41, "the values are nested more than 20 levels deep here"),
    ("1,500 nested list items", VALID + "    deep:\n" + "".join(" " * (2 * i + 6) + "-\n" for i in range(1500)),
     32, 41, "the values are nested more than 20 levels deep here"),
    ("paragraph beyond what the database holds", edit("paragraph: 1}", "paragraph: 100000000000000000000}"), 13, 33,
     "'paragraph' is too large: it should be at most 2,147,483,647"),
    ("anchor", edit("prompt: Which town fell first?", "prompt: &p Which town fell first?"), 9, 13,
     "anchors (&p) are not allowed in banks"),
    ("python tag", edit("answer: Konna", "answer: !!python/object/apply:os.system [ls]"), 10, 13,
     "the YAML tag tag:yaml.org,2002:python/object/apply:os.system is not allowed"),
    ("alias", edit("answer: Konna", "answer: *a"), 10, 13, "aliases (*a) are not allowed"),
    ("anchor and alias: the anchor first", edit("answer: Konna", "answer: &a Konna\n    accept: *a"), 10, 13,
     "anchors (&a) are not allowed"),
    ("merge key", edit("    explanation: Because it was closest.\n",
                       "    explanation: Because it was closest.\n    <<: {tags: [x]}\n"), 13, 5,
     "merge keys (<<) are not allowed"),
    ("question not a mapping", VALID + "  - just some text\n", 14, 5,
     "question 2 should be a set of fields"),
    ("bank without sources", edit("sources:\n  s1: {title: An article, publisher: A paper, date: 2013-01-12}\n", ""),
     1, 1, "the bank has no 'sources'"),
    ("bad language tag", edit("language: en", "language: English"), 3, 11, "'English' is not a language tag"),
    ("bad question id", edit("- id: q1", "- id: Q 1"), 7, 9, "the question id 'Q 1' may only use"),
    ("bad difficulty", edit("    explanation:", "    difficulty: hardest\n    explanation:"), 12, 17,
     "difficulty 'hardest' should be one of easy, medium, hard (did you mean 'hard'?)"),
    ("too few distractors", edit("[Gao, Kidal]", "[Gao]"), 11, 18, "'distractors' needs at least 2 items, it has 1"),
    ("tag not in kebab case", edit("    explanation:", "    tags: [Who Did What]\n    explanation:"), 12, 12,
     "the tag 'Who Did What' should be lowercase words joined by '-' (for example 'who-did-what')"),
    ("short answer read as boolean", question("""\
  - id: q2
    type: short
    prompt: Did France intervene?
    answer: yes
    explanation: It did.
    source: {id: s1, paragraph: 1}
"""), 17, 13, "'yes' is read as true/false; put it in quotes"),
    ("number answer that is text", question("""\
  - id: q2
    type: number
    prompt: How many troops?
    answer: many
    explanation: Several thousand.
    source: {id: s1, paragraph: 1}
"""), 17, 13, "'answer' should be a number, not text ('many')"),
    ("truefalse answer that is text", question("""\
  - id: q2
    type: truefalse
    prompt: Konna fell in 2013.
    answer: maybe
    explanation: It did.
    source: {id: s1, paragraph: 1}
"""), 17, 13, "'answer' should be true or false"),
    ("impossible date", question("""\
  - id: q2
    type: date
    prompt: When did it start?
    answer: 2013-02-30
    explanation: In February.
    source: {id: s1, paragraph: 1}
"""), 17, 13, "'2013-02-30' is not a real date: February 2013 has 28 days"),
    ("impossible month", question("""\
  - id: q2
    type: date
    prompt: When did it start?
    answer: 2013-13
    explanation: Never.
    source: {id: s1, paragraph: 1}
"""), 17, 13, "there is no month 13"),
    ("order item without a date", question("""\
  - id: q2
    type: order
    prompt: Put in order.
    items:
      - {text: Konna falls, date: 2013-01-10}
      - {text: Serval begins}
    explanation: One day apart.
    source: {id: s1, paragraph: 1}
"""), 19, 9, "item 2 of 'items' has no 'date'"),
    ("order item in year 0", question("""\
  - id: q2
    type: order
    prompt: Put in order.
    items:
      - {text: Konna falls, date: 0000}
      - {text: Serval begins, date: 2013-01-11}
    explanation: One day apart.
    source: {id: s1, paragraph: 1}
"""), 18, 35, "'0000' is not a real date: there is no year 0"),
    ("date answer in year 0", question("""\
  - id: q2
    type: date
    prompt: When did it start?
    answer: 0000-01-01
    explanation: Never.
    source: {id: s1, paragraph: 1}
"""), 17, 13, "'0000-01-01' is not a real date: there is no year 0"),
    *[(f"number answer {value}", question(f"""\
  - id: q2
    type: number
    prompt: How many troops?
    answer: {value}
    explanation: Several thousand.
    source: {{id: s1, paragraph: 1}}
"""), 17, 13, f"'answer' should be a finite number, not {value}") for value in (".nan", ".inf", "-.inf", "1.0e+400")],
    ("number tolerance .inf", question("""\
  - id: q2
    type: number
    prompt: How many troops?
    answer: 4000
    tolerance: .inf
    explanation: Several thousand.
    source: {id: s1, paragraph: 1}
"""), 18, 16, "'tolerance' should be a finite number, not .inf"),
    ("order items with overlapping dates", question("""\
  - id: q2
    type: order
    prompt: Put in order.
    items:
      - {text: Konna falls, date: 2013}
      - {text: Serval begins, date: 2013-01-11}
    explanation: One day apart.
    source: {id: s1, paragraph: 1}
"""), 19, 9, "the date 2013-01-11 of 'Serval begins' overlaps the date 2013 of 'Konna falls'"),
    ("cloze without a gap", question("""\
  - id: q2
    type: cloze
    prompt: France launched Operation Serval.
    explanation: In 2013.
    source: {id: s1, paragraph: 1}
"""), 16, 13, "a cloze prompt needs at least one gap"),
    ("match with a repeated left item", question("""\
  - id: q2
    type: match
    prompt: Match them.
    pairs:
      - {left: Hollande, right: President}
      - {left: Hollande, right: Minister}
    explanation: Roles.
    source: {id: s1, paragraph: 1}
"""), 19, 9, "the left item 'Hollande' is used twice (first at line 18)"),
    ("multi answer also a distractor", question("""\
  - id: q2
    type: multi
    prompt: Which groups?
    answers: [AQIM, MUJAO]
    distractors: [MNLA, AQIM]
    explanation: Both.
    source: {id: s1, paragraph: 1}
"""), 18, 25, "'AQIM' is both an answer and a distractor"),
    ("card without a back", question("""\
  - id: q2
    type: card
    prompt: MINUSMA
    explanation: The UN mission.
    source: {id: s1, paragraph: 1}
"""), 14, 5, "question 'q2' has no 'back'"),
    ("duplicate question id", question("""\
  - id: q1
    type: truefalse
    prompt: Konna fell in 2013.
    answer: true
    explanation: It did.
    source: {id: s1, paragraph: 1}
"""), 14, 5, "duplicate question id 'q1' (also at bank.yaml:7:5)"),
]


@pytest.mark.parametrize("name,text,line,col,words", CASES, ids=[c[0] for c in CASES])
def test_problem_is_reported_at_its_place(name: str, text: str, line: int, col: int, words: str) -> None:
    problems = problems_of(text)
    assert any(p.line == line and p.col == col and words in p.message for p in problems), (
        f"expected line {line}:{col} '{words}', got:\n" + "\n".join(map(str, problems)))


def test_byte_order_mark_is_reported_and_the_rest_still_checked() -> None:
    problems = problems_of(b"\xef\xbb\xbf" + edit("type: mcq", "type: mqc").encode())
    assert [(p.line, p.col) for p in problems] == [(1, 1), (8, 11)]
    assert "byte-order mark" in problems[0].message


def test_non_utf8_byte_is_located() -> None:
    text = edit("prompt: Which town fell first?", "prompt: Which town is S\xe9var\xe9?")
    problems = problems_of(text.encode("latin-1"))
    assert [(p.line, p.col) for p in problems] == [(9, 28), (9, 32)]
    assert "byte 0xE9 is not valid UTF-8" in problems[0].message


def test_utf16_file_is_refused() -> None:
    problems = problems_of(VALID.encode("utf-16"))
    assert len(problems) == 1 and "UTF-16" in problems[0].message


def test_file_over_5_mb_is_refused_without_parsing() -> None:
    problems = problems_of(VALID + "#" * (5 * 1024 * 1024))
    assert len(problems) == 1
    assert problems[0].line == 1 and "larger than 5 MB are refused" in problems[0].message


def test_alias_bomb_is_refused_quickly() -> None:
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    problems = problems_of(bomb)
    assert len(problems) == 1 and "anchors (&a) are not allowed" in problems[0].message


def test_empty_file() -> None:
    assert [str(p) for p in problems_of("")] == ["bank.yaml:1:1: the file is empty"]


def test_five_mistakes_are_all_reported_with_their_lines() -> None:
    text = (VALID
            .replace("type: mcq", "type: mqc")
            .replace("{id: s1, paragraph: 1}", "{id: s9, paragraph: 1}")
            .replace("language: en", "language: English")) + """\
  - id: q2
    type: date
    prompt: ""
    answer: 2014-02-29
    explanation: Leap years.
    source: {id: s1, paragraph: 1}
"""
    problems = problems_of(text)
    assert [(p.line, p.message.split(" ")[0]) for p in problems] == [
        (3, "'English'"), (8, "unknown"), (13, "the"), (16, "'prompt'"), (17, "'2014-02-29'")]


def test_problem_prints_as_file_line_col_message() -> None:
    problems = problems_of(edit("type: mcq", "type: mqc"))
    assert str(problems[0]).startswith("bank.yaml:8:11: unknown question type 'mqc'")


def test_duplicate_id_is_reported_even_when_the_first_question_has_errors() -> None:
    text = edit("type: mcq", "type: mqc") + """\
  - id: q1
    type: card
    prompt: MINUSMA
    back: The UN mission.
    explanation: Set up in 2013.
    source: {id: s1, paragraph: 1}
"""
    messages = [str(p) for p in problems_of(text)]
    assert "bank.yaml:14:5: duplicate question id 'q1' (also at bank.yaml:7:5)" in messages
    assert any("unknown question type 'mqc'" in m for m in messages)


def test_no_traceback_for_any_control_byte() -> None:
    for code in [*range(0, 9), 11, 12, *range(14, 32), 127]:
        problems = problems_of(edit("answer: Konna", f"answer: Ko{chr(code)}nna"))
        assert [(p.line, p.col) for p in problems] == [(10, 15)], (code, problems)
        assert f"U+{code:04X}" in problems[0].message


def test_syntax_errors_speak_plainly() -> None:
    """No parser jargon: no <block end>, no 'document', no 'scalar', no 'token'."""
    broken = [
        edit("    answer: Konna", "\tanswer: Konna"), edit("    answer: Konna", "   answer: Konna"),
        edit("    answer: Konna", "     answer: Konna"), VALID + "---\nid: other\n", VALID + "id: other\n  x: y\n",
        edit("answer: Konna", "answer: @Konna"), edit("[Gao, Kidal]", "[Gao, Kidal"),
        edit("prompt: Which town fell first?", 'prompt: "Which town'), edit("answer: Konna", "answer: Kon: na"),
        edit("answer: Konna", "answer: %Konna"), edit("answer: Konna", "answer: !Konna"),
        edit("answer: Konna", "answer: `Konna"),
    ]
    for text in broken:
        messages = [p.message for p in problems_of(text)]
        assert messages, text
        for message in messages:
            for jargon in ("<block", "another document", "scalar", "token", "expected", "while "):
                assert jargon not in message, (message, text)


@pytest.mark.parametrize("name,text,line,col,words", [c for c in CASES if c[0] != "50,000 nested brackets"],
                         ids=[c[0] for c in CASES if c[0] != "50,000 nested brackets"])
def test_without_libyaml_the_same_places_and_words(monkeypatch: pytest.MonkeyPatch, name: str, text: str,
                                                   line: int, col: int, words: str) -> None:
    """PyYAML built without libyaml parses in pure Python: the same events, the same reports
    (only libyaml's own nesting limit, 1,000 brackets, differs)."""
    import yaml

    from quiz.domain import yamldoc

    monkeypatch.setattr(yamldoc, "_EventLoader", yaml.SafeLoader)
    test_problem_is_reported_at_its_place(name, text, line, col, words)


def test_two_banks_without_an_id_are_not_called_duplicates() -> None:
    """Each says it has no id; neither is reported as a "duplicate bank id ''"."""
    specs = []
    for name in ("a.yaml", "b.yaml"):
        bank, problems = read_bank(name, b"title: No id\nlanguage: en\nquestions: []\n")
        assert any("has no 'id'" in p.message for p in problems)
        if bank is not None:
            specs.append(bank)
    assert not [p for p in check_across(specs) if "duplicate bank id" in p.message]
