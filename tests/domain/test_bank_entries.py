"""A bank's entries (events, people, organisations, places) and questions' `about`: read, linked,
and every mistake reported at its line and column."""
from __future__ import annotations

import pytest

from quiz.domain.banks import read_bank
from quiz.domain.entries import EXPLORE_KEY
from quiz.domain.problems import Problem

BANK = """\
id: t
title: Test bank
language: en
sources:
  s1: {title: An article, publisher: A paper, date: 2013-01-12}
  s2: {title: Another, publisher: A paper, date: 2014-10}
entries:
  events:
    serval:
      date: 2013-01-11
      date-note: "'Friday' in a report of Saturday 12 January 2013"
      other-dates:
        - {date: 2013-01-12, source: {id: s2, paragraph: 3}, note: The second article}
      what: France starts air strikes in Mali.
      who: [hollande, aqim]
      where: [konna]
      source: {id: s1, paragraph: 5}
  people:
    hollande:
      name: François Hollande
      also: [Francois Hollande]
      roles:
        - {role: President of France, date: 2013-01, source: {id: s1, paragraph: 5}}
      did: Authorised French air power in Mali.
      source: {id: s1, paragraph: 5}
  organisations:
    aqim:
      name: AQIM
      english: Al-Qaeda in the Islamic Maghreb
      what: Al-Qaeda's North African branch.
      source: {id: s1, paragraph: 4}
  places:
    mali: {name: Mali, kind: country, what: A West African country., source: {id: s1, paragraph: 1}}
    konna:
      name: Konna
      kind: town
      in: [mali]
      what: A town in central Mali.
      source: {id: s1, paragraph: 2}
questions:
  - id: q1
    type: mcq
    prompt: Which town fell first?
    answer: Konna
    distractors: [Gao, Kidal]
    explanation: Because it was closest.
    source: {id: s1, paragraph: 1}
    about: [serval]
  - id: q2
    type: truefalse
    prompt: France intervened in 2013.
    answer: true
    explanation: It did.
    source: {id: s1, paragraph: 1}
"""


def problems_of(text: str) -> list[Problem]:
    return sorted(read_bank("bank.yaml", text.encode())[1])


def edit(old: str, new: str) -> str:
    assert old in BANK, old
    return BANK.replace(old, new, 1)


def test_entries_are_read_and_each_question_keeps_what_it_is_about() -> None:
    bank, problems = read_bank("bank.yaml", BANK.encode())
    assert problems == [] and bank is not None
    q1, q2 = bank.questions
    assert q1.explore is not None and q1.explore["about"] == ["serval"]
    # the event leads to its people, organisations and places, and a place to the place it is in
    assert sorted(q1.explore["entries"]) == ["aqim", "hollande", "konna", "mali", "serval"]
    event = q1.explore["entries"]["serval"]
    assert event["date"] == "2013-01-11" and event["other_dates"][0]["date"] == "2013-01-12"
    assert event["source"] == {"id": "s1", "paragraph": 5}
    assert q1.explore["entries"]["hollande"]["roles"][0]["role"] == "President of France"
    assert q1.stored_data()[EXPLORE_KEY] == q1.explore and EXPLORE_KEY not in q1.data
    # a question without 'about' is stored exactly as before (its content hash does not change)
    assert q2.explore is None and q2.stored_data() == q2.data


def test_a_bank_without_entries_reads_as_before() -> None:
    plain = BANK[:BANK.index("entries:")] + BANK[BANK.index("questions:"):].replace("    about: [serval]\n", "")
    bank, problems = read_bank("bank.yaml", plain.encode())
    assert problems == [] and bank is not None and bank.entries == {}
    assert all(q.explore is None for q in bank.questions)


CASES = [
    # (name, text, line, col, words the message must contain)
    ("about an unknown entry, with a suggestion", edit("about: [serval]", "about: [servall]"), 48, 13,
     ("'about' names 'servall', which is not an event, person, organisation or place in this bank's 'entries' "
      "(did you mean 'serval'?)")),
    ("who names a place", edit("who: [hollande, aqim]", "who: [hollande, konna]"), 15, 23,
     "'who' names 'konna', which is not a person or organisation"),
    ("where names an unknown place", edit("where: [konna]", "where: [kona]"), 16, 15,
     "(did you mean 'konna'?)"),
    ("an impossible event date", edit("date: 2013-01-11", "date: 2013-02-30"), 10, 13,
     "'2013-02-30' is not a real date: February 2013 has 28 days"),
    ("an event without a date", edit("      date: 2013-01-11\n", ""), 10, 7, "the event 'serval' has no 'date'"),
    ("a disagreeing date that is not a date", edit("{date: 2013-01-12, source", "{date: soon, source"), 13, 18,
     "'soon' is not a date"),
    ("an entry without a citation", edit("      what: A town in central Mali.\n      source: {id: s1, paragraph: 2}\n",
                                         "      what: A town in central Mali.\n"), 35, 7, "the place 'konna' has no 'source'"),
    ("a role without a citation", edit("date: 2013-01, source: {id: s1, paragraph: 5}}", "date: 2013-01}"), 23, 11,
     "item 1 of 'roles' has no 'source'"),
    ("a citation of an unknown source", edit("what: Al-Qaeda's North African branch.\n      source: {id: s1",
                                             "what: Al-Qaeda's North African branch.\n      source: {id: s3"), 31, 20,
     "the citation names the source 's3', which the bank does not list"),
    ("an unknown place kind", edit("kind: town", "kind: towm"), 36, 13,
     "the place kind 'towm' should be one of country, region, town, mountains, site (did you mean 'town'?)"),
    ("an unknown field in an entry", edit("did: Authorised", "didd: Authorised"), 24, 7,
     "unknown field 'didd' in the person 'hollande' (did you mean 'did'?)"),
    ("an unknown kind of entry", edit("  organisations:", "  organizations:"), 26, 3,
     "unknown field 'organizations' in 'entries' (did you mean 'organisations'?)"),
    ("a key used by two kinds", edit("    aqim:\n", "    konna:\n"), 34, 5,
     "the entry key 'konna' is used twice (also the organisation at line 27)"),
    ("an entry no question is about", edit("about: [serval]", "about: [mali]"), 9, 5,
     "no question is about the event 'serval'"),
    ("about is not a list of texts", edit("about: [serval]", "about: {serval: 1}"), 48, 12,
     "item 1 of 'about' should be text, not a set of fields"),
]


@pytest.mark.parametrize("name,text,line,col,words", CASES, ids=[c[0] for c in CASES])
def test_each_mistake_is_reported_where_it_is(name: str, text: str, line: int, col: int, words: str) -> None:
    problems = problems_of(text)
    assert any(p.line == line and p.col == col and words in p.message for p in problems), \
        "\n".join(str(p) for p in problems)
