"""The reference: entries merged across banks, an entry's questions, the timeline's order and filters."""
from __future__ import annotations

from typing import Any

import pytest

from quiz.domain.assembly import Candidate, gives_away
from quiz.domain.reference import (
    StoredQuestion,
    TimelineFilter,
    build,
    by_letter,
    timeline,
)

SOURCES = {"b1": {"s": {"title": "Article", "publisher": "Paper", "date": "2014-10"}},
           "b2": {"s": {"title": "Article", "publisher": "Paper", "date": "2013-01-12"}}}
EVENT_A = {"kind": "event", "key": "a", "date": "2013-01-11", "what": "Strikes begin.", "who": ["p"], "where": [],
           "source": {"id": "s", "paragraph": 2}, "other_dates": [{"date": "2013-01-12", "note": None,
                                                                    "source": {"id": "s", "paragraph": 3}}]}
EVENT_B = {"kind": "event", "key": "b", "date": "2012", "what": "A coup.", "who": [], "where": [],
           "source": {"id": "s", "paragraph": 1}}
PERSON = {"kind": "person", "key": "p", "name": "Hollande", "roles": [], "did": "Decided.",
          "source": {"id": "s", "paragraph": 2}}


def question(qid: str, bank: str, about: list[str], tags: tuple[str, ...] = ()) -> StoredQuestion:
    entries = {"a": EVENT_A, "b": EVENT_B, "p": PERSON}
    return StoredQuestion(qid, bank, "s", tags, {"answer": "x", "explore": {"about": about, "entries": entries}})


QUESTIONS = [question("q1", "b1", ["a"], ("chronology",)), question("q2", "b1", ["p"]),
             question("q3", "b2", ["b"], ("who",)), question("q4", "b2", [])]


def test_entries_merge_and_know_their_questions() -> None:
    reference = build(QUESTIONS, SOURCES, {"b1": "One", "b2": "Two"})
    assert sorted(reference.entries) == ["a", "b", "p"]
    assert reference.entries["p"].question_ids == ["q1", "q2"]  # through event a, and directly (question order)
    assert reference.entries["a"].question_ids == ["q1"]
    assert reference.entries["b"].question_banks == {"b2"}
    assert reference.entries["a"].citation is not None and reference.entries["a"].citation.date == "2014-10"
    assert reference.entries["p"].first_seen == "2014-10"
    (other, _, cited), = reference.entries["a"].extra["other_dates"]
    assert str(other) == "2013-01-12" and cited.paragraph == 3


@pytest.mark.parametrize("chosen,keys", [
    (TimelineFilter(), ["b", "a"]),
    (TimelineFilter(start=2013), ["a"]),
    (TimelineFilter(end=2012), ["b"]),
    (TimelineFilter(bank="b2"), ["b"]),
    (TimelineFilter(tag="chronology"), ["a"]),
    (TimelineFilter(start=2014), []),
])
def test_the_timeline_orders_groups_and_filters(chosen: TimelineFilter, keys: list[str]) -> None:
    years = timeline(build(QUESTIONS, SOURCES, {}), chosen)
    assert [e.key for _, events in years for e in events] == keys
    assert all(e.date is not None and e.date.year == year for year, events in years for e in events)


def test_letters_group_entries_by_their_first_letter() -> None:
    reference = build(QUESTIONS, SOURCES, {})
    assert [(letter, [e.key for e in found]) for letter, found in by_letter(reference.of_kind("person"))] == [
        ("H", ["p"])]


def test_people_are_listed_by_family_name_then_full_name_other_entries_by_name() -> None:
    names = {"hollande": "François Hollande", "le-drian": "Jean-Yves Le Drian", "boumama": "Boumama",
             "s-dupont": "Sophie Dupont", "g-dupont": "Ghislaine Dupont", "parly": "Florence Parly"}
    entries = {key: {**PERSON, "key": key, "name": name} for key, name in names.items()}
    entries["fama"] = {"kind": "organisation", "key": "fama", "name": "Malian Armed Forces", "what": "The army.",
                       "source": {"id": "s", "paragraph": 1}}
    about = StoredQuestion("q", "b1", "s", (), {"answer": "x", "explore": {"about": list(entries), "entries": entries}})
    reference = build([about], SOURCES, {})
    assert [(letter, [e.key for e in found]) for letter, found in by_letter(reference.of_kind("person"))] == [
        ("B", ["boumama"]), ("D", ["g-dupont", "s-dupont"]), ("H", ["hollande"]), ("L", ["le-drian"]),
        ("P", ["parly"])]
    # the particle goes with the family name: Ag Ghaly under A, Abou Zeid under A, Le Drian under L
    assert by_letter(reference.of_kind("organisation")) == [("M", [reference.entries["fama"]])]


def test_what_a_question_is_about_never_counts_as_giving_an_answer_away() -> None:
    data: dict[str, Any] = {"answer": "Serval", "distractors": ["Barkhane", "Takuba"]}
    about_konna = {**data, "explore": {"about": ["k"], "entries": {"k": {"name": "Konna", "what": "Konna"}}}}
    konna = Candidate.of("q-konna", "Which town fell?", "It was first.", {"answer": "Konna"}, ["Konna"])
    assert not gives_away(Candidate.of("q1", "Which operation?", "Because.", about_konna, ["Serval"]), konna)
