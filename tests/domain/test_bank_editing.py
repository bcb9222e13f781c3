"""Editing a bank through form values: comments, key order and untouched lines survive."""
from __future__ import annotations

import difflib
from dataclasses import replace
from pathlib import Path

import pytest

from quiz.domain.bank_editing import (
    BankDetails,
    EditError,
    QuestionValues,
    SourceValues,
    add_question,
    delete_question,
    duplicate_question,
    move_question,
    new_question_id,
    place_problems,
    read_editable,
    update_details,
    update_question,
    update_sources,
)
from quiz.domain.banks import read_bank

ROOT = Path(__file__).resolve().parents[2]
BANKS = sorted((ROOT / "questions").rglob("*.yaml"))
EXAMPLE = (ROOT / "questions" / "examples" / "every-type.yaml").read_text(encoding="utf-8")

SMALL = """\
# A bank with comments everywhere
id: small   # the id
title: Small
language: en
sources:
  src:
    title: A source
    publisher: Someone
    date: 2013-01-12
questions:
  # first: the easy one
  - id: q-one
    type: mcq
    prompt: "Which?"   # quoted on purpose
    answer: A
    distractors: [B, C]
    explanation: Because.
    source: {id: src, paragraph: 1}

  # second: a card
  - id: q-two
    type: card
    prompt: Front
    back: Back
    explanation: Why.
    source: {id: src, paragraph: 2}
# the end
"""


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]


def checked(text: str) -> dict[str, object]:
    """The bank read by the real loader, which must find no problem; its questions by id."""
    bank, problems = read_bank("bank.yaml", text.encode())
    assert problems == [] and bank is not None
    return {q.id: q for q in bank.questions}


@pytest.mark.parametrize("path", BANKS, ids=lambda p: p.name)
def test_every_bank_round_trips_byte_for_byte_through_unchanged_values(path: Path) -> None:
    """Every question of the example bank (each type) and a few of every other bank (ruamel is slow)."""
    text = path.read_text(encoding="utf-8")
    bank = read_editable(text)
    assert bank.questions, "the bank's questions are read"
    count = len(bank.questions)
    positions = range(count) if path.name == "every-type.yaml" else sorted({0, count // 3, count // 2, count - 1})
    for position in positions:
        assert update_question(text, position, bank.questions[position]) == text
    assert update_details(text, bank.details) == text
    assert update_sources(text, [(s.id, s) for s in bank.sources]) == text
    last = len(bank.questions) - 1
    assert move_question(move_question(text, 0, last), last, 0) == text


def test_changing_the_answer_changes_only_those_lines() -> None:
    values = read_editable(EXAMPLE).questions[0]
    after = update_question(EXAMPLE, 0, replace(values, answer="Mopti", distractors=["Gao", "Kidal", "Konna"]))
    assert sorted(changed_lines(EXAMPLE, after)) == [
        "+     answer: Mopti", "+     distractors: [Gao, Kidal, Konna]",
        "-     answer: Konna", "-     distractors: [Gao, Kidal, Tessalit]"]
    assert checked(after)["ex-mcq"].data == {"answer": "Mopti", "distractors": ["Gao", "Kidal", "Konna"]}


def test_comments_and_quotes_of_an_edited_question_stay() -> None:
    values = read_editable(SMALL).questions[0]
    after = update_question(SMALL, 0, replace(values, explanation="Because it is.", difficulty="hard"))
    assert changed_lines(SMALL, after) == ["-     explanation: Because.", "+     explanation: Because it is.",
                                           "+     difficulty: hard"]
    assert '    prompt: "Which?"   # quoted on purpose\n' in after


@pytest.mark.parametrize(("position", "change", "expected"), [
    (0, {"answer": "Gao", "distractors": ["Konna", "Kidal"]}, {"answer": "Gao", "distractors": ["Konna", "Kidal"]}),
    (1, {"answers": ["AQIM"], "distractors": ["MNLA", "MUJAO"]}, {"answers": ["AQIM"], "distractors": ["MNLA", "MUJAO"]}),
    (2, {"answer": "false"}, {"answer": False}),
    (3, {"accept": ["Sevare"], "fuzzy": False}, {"answer": "Sévaré", "accept": ["Sevare"], "fuzzy": False}),
    (4, {"answer": "2.5", "tolerance": "0.5", "unit": ""}, {"answer": 2.5, "tolerance": 0.5, "unit": None}),
    (5, {"answer": "2013-01-11", "tolerance": "2"}, {"answer": "2013-01-11", "precision": "day", "tolerance": 2}),
    (6, {"items": [("Serval", "2013"), ("Barkhane", "2014-08")]},
     {"items": [{"text": "Serval", "date": "2013"}, {"text": "Barkhane", "date": "2014-08"}]}),
    (7, {"pairs": [("A", "1"), ("B", "2"), ("C", "3")], "distractors": []},
     {"pairs": [{"left": "A", "right": "1"}, {"left": "B", "right": "2"}, {"left": "C", "right": "3"}],
      "distractors": []}),
    (8, {"prompt": "Operation {{Serval}} began in {{2013|January 2013}}."},
     {"gaps": [["Serval"], ["2013", "January 2013"]], "fuzzy": True}),
    (9, {"back": "The UN mission."}, {"back": "The UN mission."}),
])
def test_each_type_s_own_fields_are_written_so_the_loader_reads_them(
        position: int, change: dict[str, object], expected: dict[str, object]) -> None:
    values = read_editable(EXAMPLE).questions[position]
    after = update_question(EXAMPLE, position, replace(values, **change))  # type: ignore[arg-type]
    data = checked(after)[values.id].data
    assert {key: data[key] for key in expected} == expected


def test_citation_tags_and_difficulty_are_written() -> None:
    values = read_editable(EXAMPLE).questions[2]
    after = update_question(EXAMPLE, 2, replace(values, source_id="lwj-2013", paragraph="4",
                                                tags=["barkhane"], difficulty="hard"))
    question = checked(after)["ex-truefalse"]
    assert (question.source_id, question.paragraph, question.difficulty) == ("lwj-2013", 4, "hard")
    assert "barkhane" in question.tags


def test_changing_the_type_replaces_the_answer_fields() -> None:
    values = read_editable(EXAMPLE).questions[4]
    after = update_question(EXAMPLE, 4, replace(values, type="date", answer="2013-01", tolerance="1"))
    question = checked(after)["ex-number"]
    assert question.type == "date" and question.data["precision"] == "month"
    assert "unit: years" not in after


def test_a_wrong_value_is_kept_and_the_loader_points_at_it() -> None:
    values = read_editable(EXAMPLE).questions[4]
    after = update_question(EXAMPLE, 4, replace(values, tolerance="about three"))
    assert "    tolerance: about three\n" in after
    _, problems = read_bank("b.yaml", after.encode())
    line = after.splitlines().index("    tolerance: about three") + 1
    assert [(p.line, "'tolerance' should be a number" in p.message) for p in problems] == [(line, True)]


def test_a_new_question_goes_at_the_end_separated_like_the_others() -> None:
    new = QuestionValues(id="ex-new", type="number", prompt="How many: yes?", answer="12", unit="men",
                         explanation="Because.", source_id="lwj-2013", paragraph="3")
    after = add_question(EXAMPLE, new)
    assert after.startswith(EXAMPLE)
    assert after[len(EXAMPLE):] == ("\n  - id: ex-new\n    type: number\n    prompt: 'How many: yes?'\n"
                                    "    answer: 12\n    unit: men\n    explanation: Because.\n"
                                    "    source: {id: lwj-2013, paragraph: 3}\n")
    assert checked(after)["ex-new"].data == {"answer": 12, "tolerance": 0, "unit": "men"}


def test_a_first_question_in_an_empty_list() -> None:
    text = SMALL.split("questions:")[0] + "questions: []\n"
    after = add_question(text, QuestionValues(id="q", type="card", prompt="F", back="B", explanation="E",
                                              source_id="src", paragraph="1"))
    assert list(checked(after)) == ["q"]


def test_duplicate_gets_a_new_id_and_sits_below() -> None:
    new_id = new_question_id(SMALL, "q-one")
    assert new_id == "q-one-2"
    after = duplicate_question(SMALL, 0, new_id)
    assert list(checked(after)) == ["q-one", "q-one-2", "q-two"]
    assert after.count("# quoted on purpose") == 2


def test_moving_a_question_takes_its_comments_and_leaves_the_end_comment() -> None:
    after = move_question(SMALL, 1, 0)
    assert list(checked(after)) == ["q-two", "q-one"]
    assert after.index("# second: a card") < after.index("id: q-two") < after.index("# first: the easy one") \
        < after.index("id: q-one")
    assert after.endswith("# the end\n") and after.startswith("# A bank with comments everywhere\n")


def test_deleting_a_question_removes_its_comments_only() -> None:
    after = delete_question(SMALL, 1)
    assert list(checked(after)) == ["q-one"] and "# second" not in after and after.endswith("# the end\n")
    after = delete_question(SMALL, 0)
    assert list(checked(after)) == ["q-two"] and "# first" not in after and "  - id: q-two" in after


def test_bank_details_change_only_their_lines() -> None:
    details = read_editable(SMALL).details
    after = update_details(SMALL, replace(details, title="Smaller", description="Some words.", tags=["mali"]))
    assert changed_lines(SMALL, after) == ["- title: Small", "+ title: Smaller", "+ description: Some words.",
                                           "+ tags: [mali]"]
    assert "id: small   # the id" in after


def test_sources_are_added_renamed_and_removed() -> None:
    bank = read_editable(EXAMPLE)
    lwj, vice = bank.sources
    after = update_sources(EXAMPLE, [("lwj-2013", replace(lwj, author="")), (None, SourceValues(
        "new-src", "A title", "A publisher", "2020-05"))])
    spec, problems = read_bank("b.yaml", after.encode())
    assert spec is not None and list(spec.sources) == ["lwj-2013", "new-src"]
    assert spec.sources["lwj-2013"].author is None and spec.sources["new-src"].date == "2020-05"
    assert problems and all("vice-2014" in p.message for p in problems)  # its citations now point nowhere
    renamed = update_sources(EXAMPLE, [("lwj-2013", replace(lwj, id="lwj")), ("vice-2014", vice)])
    assert "  lwj:\n    title: French troops intervene in Mali\n" in renamed


def test_renaming_a_source_renames_its_citations_in_questions_and_entries_only() -> None:
    """Citations of questions, entries, roles and other dates follow; no other line changes."""
    before = (ROOT / "questions" / "mali" / "organisations.yaml").read_text(encoding="utf-8")
    renames = {"vice-2014": "vice", "mcallister-2021": "mcallister"}
    after = update_sources(before, [(s.id, replace(s, id=renames.get(s.id, s.id)))
                                    for s in read_editable(before).sources])
    changed = changed_lines(before, after)
    removed, added = [line[2:] for line in changed if line[0] == "-"], [line[2:] for line in changed if line[0] == "+"]
    assert len(removed) == sum(1 for line in before.splitlines() if "vice-2014" in line or "mcallister-2021" in line)
    citing = {len(line) - len(line.lstrip()) for line in removed if line.lstrip().startswith("source:")}
    assert citing == {4, 6, 10} and any("role:" in line for line in removed)  # question, entry, other date; role
    expected = [line.replace("vice-2014", "vice").replace("mcallister-2021", "mcallister") for line in removed]
    assert added == expected
    spec, problems = read_bank("questions/mali/organisations.yaml", after.encode())
    assert problems == [] and spec is not None and "vice" in spec.sources


ENTRIES_LAST = SMALL.replace("# the end\n", """\
entries:
  events:
    fall:
      date: 2013-01-10
      what: The town falls.
      source: {id: src, paragraph: 1}
""").replace("""  src:
    title: A source
    publisher: Someone
    date: 2013-01-12
""", """  src:
    title: A source
    publisher: Someone
    date: 2013-01-12
  other:
    title: Another source
    publisher: Someone else
    date: 2014
""").replace("source: {id: src, paragraph: 2}", "source: {id: other, paragraph: 2}") \
    .replace("explanation: Because.\n", "explanation: Because.\n    about: [fall]\n")


def test_swapping_two_source_ids_keeps_every_citation_on_its_source() -> None:
    """Entries after the questions (the whole text is rewritten then): a swap of ids, each citation follows."""
    def cited_titles(text: str) -> list[str]:
        spec, problems = read_bank("bank.yaml", text.encode())
        assert problems == [] and spec is not None
        return [spec.sources[q.source_id].title for q in spec.questions] + [
            spec.sources[e.record["source"]["id"]].title for e in spec.entries.values()]

    src, other = read_editable(ENTRIES_LAST).sources
    after = update_sources(ENTRIES_LAST, [("src", replace(src, id="other")), ("other", replace(other, id="src"))])
    assert cited_titles(after) == cited_titles(ENTRIES_LAST) == ["A source", "Another source", "A source"]
    assert "source: {id: other, paragraph: 1}" in after and "# quoted on purpose" in after


def test_text_that_does_not_read_cannot_be_edited_in_the_form() -> None:
    with pytest.raises(EditError, match="line 3"):
        read_editable("id: x\ntitle: [unclosed\n")
    with pytest.raises(EditError):
        read_editable("- just a list\n")
    with pytest.raises(EditError, match="question 2"):
        read_editable(SMALL.replace("  - id: q-two", "  - just text\n  - id: q-two"))
    with pytest.raises(EditError, match="no question 5"):
        move_question(SMALL, 4, 0)


def test_blank_details_round_trip() -> None:
    assert read_editable("id: x\n").details == BankDetails(id="x")


def test_problems_are_placed_at_the_fields_they_point_into() -> None:
    broken = EXAMPLE.replace("paragraph: 2}", "paragraph: x}", 1) \
        .replace("distractors: [Gao, Kidal, Tessalit]", "distractors: [Gao, Konna]") \
        .replace("    explanation: >-\n      Losing", "    explanatin: >-\n      Losing") \
        .replace("id: ex-multi", "id: ex multi")
    _, problems = read_bank("b.yaml", broken.encode())
    placed = place_problems(broken, 0, problems)
    assert placed.by_field == {
        "explanatin": ["unknown field 'explanatin' in question 'ex-mcq' (did you mean 'explanation'?)"],
        "explanation": ["question 'ex-mcq' has no 'explanation'"],
        "source.paragraph": ["'paragraph' should be a whole number, not text ('x')"],
        "distractors": ["the distractor 'Konna' is also the answer; a distractor must be wrong"]}
    assert [p.message.split(" may")[0] for p in placed.elsewhere] == ["the question id 'ex multi'"]
    assert place_problems(broken, 1, problems).by_field == {
        "id": ["the question id 'ex multi' may only use lowercase letters, digits, '-', '_' and '.', "
               "and start with a letter or digit"]}
    assert place_problems(broken, None, problems).elsewhere == problems
