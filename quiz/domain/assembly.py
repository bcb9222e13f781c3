"""Quiz assembly: which questions go in a quiz, and in what order, so that none gives another away.

A question *gives away* another when something the quiz shows for it — its prompt, its
options, its answer or its explanation (shown as feedback once it is answered) — contains
the other question's answer or one of its accepted variants, compared as typed answers are
(case, accents, punctuation and a leading article ignored) and word by word ("Gao" is not
found in "Gaoua"). Such a pair is ordered so that the question given away comes first; a
question that would close a circle (A gives B away and B gives A away) is left out and the
next one drawn instead.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Mapping, Sequence

from .answers import normalize
from .entries import EXPLORE_KEY


@lru_cache(maxsize=8192)
def _normalized(text: str) -> str:
    """`normalize`, remembered: the same bank texts come back at every quiz start."""
    return normalize(text)


def _strings(value: Any) -> Iterable[str]:
    """Every text inside a question's data (options, pairs, items, gaps…), at any depth; not the
    entries it is about (a quiz does not show them)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if key != EXPLORE_KEY:
                yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


@dataclass(frozen=True)
class Candidate:
    """A question as assembly sees it: its id, the answers it asks for, and everything it shows."""

    id: str
    answers: frozenset[str]  # normalized answer texts
    shows: tuple[str, ...]   # normalized texts, each padded with a space on both sides

    @classmethod
    def of(cls, question_id: str, prompt: str, explanation: str, data: Mapping[str, Any],
           answers: Iterable[str]) -> "Candidate":
        """A candidate from a question's prompt, explanation, answer data and the answer texts it
        asks for (its type's `answer_texts`)."""
        answers = frozenset(n for n in (_normalized(a) for a in answers) if n)
        shows = tuple(f" {n} " for n in (_normalized(t) for t in (prompt, explanation, *_strings(data))) if n)
        return cls(question_id, answers, shows)


def gives_away(earlier: Candidate, later: Candidate) -> bool:
    """True when showing `earlier` (prompt, options, answer, explanation) names an answer of `later`."""
    if earlier.id == later.id:
        return False
    return any(f" {answer} " in text for answer in later.answers for text in earlier.shows)


class _Graph:
    """Which question must come before which, among the questions chosen so far."""

    def __init__(self) -> None:
        self.chosen: list[Candidate] = []
        self.before: dict[str, set[str]] = {}  # id -> ids it gives away (they must come first)

    def edges_with(self, candidate: Candidate) -> tuple[set[str], set[str]]:
        gives = {c.id for c in self.chosen if gives_away(candidate, c)}
        given_by = {c.id for c in self.chosen if gives_away(c, candidate)}
        return gives, given_by

    def closes_a_circle(self, candidate: Candidate, gives: set[str], given_by: set[str]) -> bool:
        """Whether adding the candidate makes an order without giveaways impossible: some question it
        must follow (gives) has to come, through a chain, after a question it must precede (given_by)."""
        if not gives or not given_by:
            return False
        seen: set[str] = set()
        stack = list(gives)
        while stack:  # everything that must come before `candidate`
            current = stack.pop()
            if current in given_by:
                return True
            if current not in seen:
                seen.add(current)
                stack.extend(self.before[current])
        return False

    def add(self, candidate: Candidate, gives: set[str], given_by: set[str]) -> None:
        self.chosen.append(candidate)
        self.before[candidate.id] = set(gives)
        for other in given_by:
            self.before[other].add(candidate.id)

    def ordered(self) -> list[str]:
        """The chosen ids, in the order they were drawn except where a giveaway forces one first.

        Each step takes the earliest drawn question whose given-away questions are all placed;
        when none is free (only in `order_all` with a circle), the earliest one left.
        """
        placed: list[str] = []
        left = [c.id for c in self.chosen]
        while left:
            done = set(placed)
            free = next((qid for qid in left if self.before[qid] <= done), left[0])
            placed.append(free)
            left.remove(free)
        return placed


def choose(candidates: Sequence[Candidate], count: int, rng: random.Random) -> list[str]:
    """Up to `count` ids drawn at random, none shown before a question it gives away.

    A candidate that cannot be placed without a giveaway (it and a chosen one give each
    other away) is skipped for the next one, so the quiz keeps its length when it can.
    """
    pool = list(candidates)
    rng.shuffle(pool)
    graph = _Graph()
    for candidate in pool:
        if len(graph.chosen) >= count:
            break
        gives, given_by = graph.edges_with(candidate)
        if not graph.closes_a_circle(candidate, gives, given_by):
            graph.add(candidate, gives, given_by)
    return graph.ordered()


def order_all(candidates: Sequence[Candidate], rng: random.Random) -> list[str]:
    """Every candidate (a retry keeps all it names), shuffled, then ordered to avoid giveaways where possible."""
    pool = list(candidates)
    rng.shuffle(pool)
    graph = _Graph()
    for candidate in pool:
        gives, given_by = graph.edges_with(candidate)
        graph.add(candidate, gives, given_by)
    return graph.ordered()


def giveaways(order: Sequence[Candidate]) -> list[tuple[str, str]]:
    """(earlier, later) pairs in a quiz order where the earlier question gives the later one away."""
    return [(a.id, b.id) for i, a in enumerate(order) for b in order[i + 1:] if gives_away(a, b)]
