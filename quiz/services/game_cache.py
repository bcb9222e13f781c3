"""What each app process keeps of a running game, so that 1,000 phones cost one read, not
1,000: the question being asked, and reads of the game shared by the streams that wait on it.

Nothing here is the truth: the database is. A copy is made from rows that do not change while
it is used — a question while the game asks it, a game's screen at one `version` (every change
of what screens show bumps the version) — and any process makes the same copy from the same
rows, so two processes never disagree. Each app has its own (app.extensions), and each holds at
most a few hundred entries.

`shared(key, load)` is a single flight: while one greenlet (or thread) loads a key, the
others that ask for it wait for that result instead of asking the database themselves.
"""
from __future__ import annotations

import random
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable, Hashable, TypeVar

from flask import Flask, current_app

from ..domain.question_types import QUESTION_TYPES, Shown
from ..extensions import db
from ..models import Game, Question

T = TypeVar("T")
# How many copies of each kind (a key's first item) a process keeps, the least recently used
# going first: a frame holds every player's points (a lobby filling up makes one per join),
# a question is small and a finished game's screens need all of its questions.
MAX_ENTRIES = {"frame": 16, "question": 1024}
DEFAULT_MAX_ENTRIES = 256


@dataclass(frozen=True)
class AskedQuestion:
    """A game's question as every screen and every answer of it needs it (no lazy loading)."""

    id: str
    type: str
    prompt: str
    data: dict[str, Any]
    explanation: str
    paragraph: int
    source: dict[str, Any]
    shown: Shown = field(compare=False)


class _Flight:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None


class GameCache:
    """One app's copies (see the module's docstring)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[Any, OrderedDict[Hashable, tuple[Any, float]]] = {}  # kind → key → (value, when stored)
        self._flights: dict[Hashable, _Flight] = {}
        self.loads = 0  # how many times a value was loaded (tests count them)

    def shared(self, key: Hashable, load: Callable[[], T], keep: bool = True) -> T:
        """The value for `key`: kept (with `keep`), being loaded by someone else (wait for that
        result), or loaded now. Without `keep` only concurrent calls share one load."""
        with self._lock:
            kept = self._kind(key)
            if keep and key in kept:
                kept.move_to_end(key)
                return kept[key][0]  # type: ignore[no-any-return]
            flight = self._flights.get(key)
            mine = flight is None
            if flight is None:
                flight = self._flights[key] = _Flight()
        if not mine:
            flight.done.wait(30)
            if flight.error is not None or not flight.done.is_set():
                return load()  # the loader failed: try for ourselves
            return flight.value  # type: ignore[no-any-return]
        try:
            flight.value = load()
            self.loads += 1
        except BaseException as error:
            flight.error = error
            raise
        finally:
            with self._lock:
                self._flights.pop(key, None)
            if keep and flight.error is None:
                self.put(key, flight.value)
            flight.done.set()
        return flight.value  # type: ignore[no-any-return]

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            kept = self._kind(key)
            kept[key] = (value, time.monotonic())
            kept.move_to_end(key)
            while len(kept) > MAX_ENTRIES.get(self._kind_of(key), DEFAULT_MAX_ENTRIES):
                kept.popitem(last=False)

    def peek(self, key: Hashable, max_age: float) -> Any:
        """The value kept for `key` if it was stored at most `max_age` seconds ago, else None."""
        with self._lock:
            kept = self._kind(key).get(key)
        if kept is None or time.monotonic() - kept[1] > max_age:
            return None
        return kept[0]

    @staticmethod
    def _kind_of(key: Hashable) -> Any:
        return key[0] if isinstance(key, tuple) and key else None

    def _kind(self, key: Hashable) -> OrderedDict[Hashable, tuple[Any, float]]:
        """The kept copies of the key's kind (call with the lock held)."""
        return self._values.setdefault(self._kind_of(key), OrderedDict())


def cache() -> GameCache:
    return current_app.extensions["game_cache"]  # type: ignore[no-any-return]


def init_app(app: Flask) -> None:
    app.extensions["game_cache"] = GameCache()


def shown_for(game: Game, question: Question | AskedQuestion) -> Shown:
    """What the game shows for a question: the same shuffled options on every screen."""
    rng = random.Random(f"{game.seed}:{question.id}")
    return QUESTION_TYPES[question.type].shown(question.prompt, question.data, rng)


def question_at(game: Game, index: int) -> AskedQuestion | None:
    """The game's question at `index` (None outside the game's questions), read once per
    process while the game asks it (the key holds when the question started)."""
    if not 0 <= index < len(game.question_ids):
        return None
    question_id = game.question_ids[index]

    def load() -> AskedQuestion | None:
        row = db.session.get(Question, question_id)
        if row is None:
            return None
        return AskedQuestion(row.id, row.type, row.prompt, dict(row.data), row.explanation, row.paragraph,
                             dict(row.source), shown_for(game, row))

    return cache().shared(("question", game.id, game.seed, index, question_id), load)
