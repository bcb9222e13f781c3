"""Rules of the live classroom game: scoring, deadlines, nicknames, PINs, states, rankings.

Pure Python: time (`now`, datetimes or seconds) and randomness (`random.Random`) are
passed in. The services (quiz/services/games.py) load and store games; this module only
decides.
"""
from __future__ import annotations

import math
import random
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Iterable, Mapping, Sequence

from .question_types import QUESTION_TYPES

# --- scoring -------------------------------------------------------------------------

SCORING_MODES: dict[str, str] = {
    "accuracy": "Accuracy only: 1,000 points for a right answer (partial credit in proportion)",
    "speed": "Speed points: up to 1,000, the faster the more (half at the last second)",
    "speed_streak": "Speed points with answer streak bonuses (+100 per answer in a row, up to +500)",
}
MAX_POINTS = 1000
STREAK_STEP = 100   # bonus for each right answer in a row after the first
STREAK_CAP = 500    # the bonus never exceeds this


def _rounded(value: float) -> int:
    """Half rounded up (595.5 → 596), not to the even neighbour as round() does."""
    return math.floor(value + 0.5)


def speed_points(elapsed: float, limit: float) -> int:
    """Kahoot-style points for a right answer after `elapsed` of `limit` seconds:
    1000 × (1 − t/T/2), rounded; t is clamped to 0…T (1,000 at once, 500 at the end)."""
    if limit <= 0:
        return MAX_POINTS
    t = min(max(elapsed, 0.0), limit)
    return _rounded(MAX_POINTS * (1 - t / limit / 2))


def is_right(score: float) -> bool:
    """A fully right answer (a grade of 1); partial credit is not right for streaks."""
    return score >= 0.999


@dataclass(frozen=True)
class Award:
    """What one answer earns: points (bonus included), the bonus alone, and the streak after it."""

    points: int
    bonus: int
    streak: int


def award(mode: str, score: float, elapsed: float, limit: float, streak_before: int) -> Award:
    """Points for an answer graded `score` (0…1, partial credit between) after `elapsed` seconds
    of `limit`, in a scoring mode; the answer streak counts right answers in a row."""
    if mode not in SCORING_MODES:
        raise ValueError(f"unknown scoring mode '{mode}'")
    streak = streak_before + 1 if is_right(score) else 0
    base = MAX_POINTS if mode == "accuracy" else speed_points(elapsed, limit)
    points = _rounded(base * max(0.0, min(score, 1.0)))
    bonus = min(STREAK_STEP * (streak - 1), STREAK_CAP) if mode == "speed_streak" and streak > 1 else 0
    return Award(points + bonus, bonus, streak)


# --- deadlines -----------------------------------------------------------------------

# An answer sent in the last instant reaches the server a little later: this much after the
# deadline it is still taken (the countdown on the phones ends at the deadline itself).
GRACE = timedelta(milliseconds=500)


def accepts_answer(now: datetime, deadline: datetime) -> bool:
    """Whether an answer arriving at `now` (the server's clock) is in time."""
    return now <= deadline + GRACE


def elapsed_seconds(now: datetime, deadline: datetime, limit: float) -> float:
    """Seconds of the question's time used at `now` (pauses excluded: the deadline moves on
    resume), between 0 and the limit."""
    left = (deadline - now).total_seconds()
    return min(max(limit - left, 0.0), limit)


def seconds_left(now: datetime, deadline: datetime | None) -> float:
    """Seconds until the deadline (0 when past, or no deadline)."""
    if deadline is None:
        return 0.0
    return max((deadline - now).total_seconds(), 0.0)


# --- states --------------------------------------------------------------------------

STATES = ("lobby", "question", "reveal", "paused", "ended")
ACTIONS = ("start", "next", "skip", "pause", "resume", "end")


class GameRuleError(ValueError):
    """An action the game's state does not allow, with a message for the host."""


def next_state(state: str, action: str, index: int, count: int) -> tuple[str, int]:
    """The state and question index after a host's action; GameRuleError when not allowed.

    start: lobby → question 0. next: a question closes early (→ reveal), after a reveal the
    next question (or the end after the last). skip: the question (or its reveal) is dropped
    — its points are taken back — and the next one starts (or the game ends). end: ended.
    pause/resume are handled by the services (they keep the time left)."""
    if state == "ended":
        raise GameRuleError("The game is over.")
    if action == "end":
        return "ended", index
    if state == "paused":
        raise GameRuleError("The game is paused: resume it first.")
    if action == "start":
        if state != "lobby":
            raise GameRuleError("The game has already started.")
        return ("question", 0) if count else ("ended", index)
    if state == "lobby":
        raise GameRuleError("Start the game first.")
    if action == "next":
        if state == "question":
            return "reveal", index
        return ("question", index + 1) if index + 1 < count else ("ended", index)
    if action == "skip":
        return ("question", index + 1) if index + 1 < count else ("ended", index)
    raise GameRuleError(f"Unknown action '{action}'.")


# --- PINs ----------------------------------------------------------------------------

def new_pin(rng: random.Random, taken: Iterable[str] = ()) -> str:
    """A 6-digit PIN (100000–999999, no leading zero) not among `taken`."""
    used = set(taken)
    for _ in range(1000):
        pin = str(rng.randrange(100_000, 1_000_000))
        if pin not in used:
            return pin
    raise RuntimeError("no free PIN")  # pragma: no cover - 900,000 of them


def normalize_pin(text: str) -> str:
    """A PIN as typed ("123 456", "123-456") → its digits."""
    return "".join(c for c in text if c.isdigit() and c.isascii())


# --- nicknames -----------------------------------------------------------------------

NICKNAME_MAX = 20
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})
# Refused anywhere in a name (no ordinary name contains them).
_OFFENSIVE_PARTS = ("fuck", "fuk", "nigg", "fagg", "whore", "hitler", "nazi", "putain", "salope",
                    "encule", "connard", "connasse", "shit", "bitch", "asshole", "pussy", "wank", "rapist",
                    "retard", "slut", "dickhead", "nique")
# Refused as a whole word only ("Dickens", "Hitchcock", "Scunthorpe" are fine).
_OFFENSIVE_WORDS = ("cunt", "cunts", "ass", "dick", "cock", "fag", "pd", "pute", "merde", "con", "rape", "sex", "porn", "penis",
                    "anus", "tits", "bastard", "batard")


class NicknameError(ValueError):
    """A nickname that cannot be used, with a message saying why and what to do."""


def nickname_key(name: str) -> str:
    """How nicknames are compared: no case, no spaces, compatible characters folded
    ("Ana B", "anab" and "ＡＮＡＢ" are one name)."""
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def _folded(name: str) -> tuple[str, list[str]]:
    """The name without accents and with look-alike digits as letters: joined, and word by word."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_LEET)
    words = "".join(c if c.isalnum() else " " for c in text).split()
    return "".join(words), words


def is_offensive(name: str) -> bool:
    """A simple filter: a rude or hateful word in the name, written plainly or with digits for letters."""
    joined, words = _folded(name)
    squeezed = "".join(c for i, c in enumerate(joined) if i == 0 or c != joined[i - 1])  # "fuuuck" → "fuck"
    if any(part in joined or part in squeezed for part in _OFFENSIVE_PARTS):
        return True
    return any(word in _OFFENSIVE_WORDS for word in words) or joined in _OFFENSIVE_WORDS


def clean_nickname(name: str, taken: Iterable[str] = (), blocked: Iterable[str] = ()) -> str:
    """The nickname as shown (spaces tidied), or NicknameError: empty, too long, control
    characters, offensive, blocked by the host, or already used in this game (`taken` and
    `blocked` hold nickname keys)."""
    shown = " ".join(unicodedata.normalize("NFC", name).split())
    if not shown:
        raise NicknameError("Type a nickname.")
    if len(shown) > NICKNAME_MAX:
        raise NicknameError(f"A nickname has at most {NICKNAME_MAX} characters; yours has {len(shown)}.")
    if any(unicodedata.category(c).startswith("C") for c in shown):
        raise NicknameError("A nickname can only have letters, digits, spaces and punctuation.")
    key = nickname_key(shown)
    if key in set(blocked) or is_offensive(shown):
        raise NicknameError("This nickname is not allowed here: choose another one.")
    if key in set(taken):
        raise NicknameError(f"Someone in this game is already called “{shown}”: choose another nickname.")
    return shown


# --- questions -----------------------------------------------------------------------

def playable_types() -> tuple[str, ...]:
    """Question types a game can ask: every type answered in the time — not flashcards
    (self-assessed)."""
    return tuple(name for name, qtype in QUESTION_TYPES.items() if not qtype.self_assessed)


def allowed_types(requested: Sequence[str]) -> list[str]:
    """The requested types that a game can ask (all playable ones when none is requested)."""
    playable = playable_types()
    return [t for t in requested if t in playable] if requested else list(playable)


def draw(candidate_ids: Sequence[str], count: int, rng: random.Random) -> list[str]:
    """Up to `count` of the candidates, drawn at random, in their given order."""
    drawn = set(rng.sample(list(candidate_ids), min(max(count, 0), len(candidate_ids))))
    return [qid for qid in candidate_ids if qid in drawn]


# --- the reveal and the leaderboard -----------------------------------------------------

@dataclass(frozen=True)
class Bar:
    """One bar of an answer distribution: its label, how many chose it, whether it is right."""

    label: str
    count: int
    right: bool


def _key(text: Any) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text)).split()).casefold()


def distribution(qtype: str, data: Mapping[str, Any], options: Sequence[str],
                 answers: Sequence[tuple[Any, float]]) -> list[Bar]:
    """How the players answered: per option for choice questions (mcq, multi, true/false),
    otherwise right / partly right / wrong. `answers` are (response, grade) pairs."""
    if qtype in ("mcq", "multi"):
        right = {_key(a) for a in (data["answers"] if qtype == "multi" else [data["answer"]])}
        counts = {_key(o): 0 for o in options}
        for response, _score in answers:
            for picked in (response if isinstance(response, list) else [response]):
                if _key(picked) in counts:
                    counts[_key(picked)] += 1
        return [Bar(o, counts[_key(o)], _key(o) in right) for o in options]
    if qtype == "truefalse":
        return [Bar(label, sum(1 for r, _ in answers if r is value), data["answer"] is value)
                for label, value in (("True", True), ("False", False))]
    return [Bar("Right", sum(1 for _, s in answers if is_right(s)), True),
            Bar("Partly right", sum(1 for _, s in answers if 0 < s and not is_right(s)), False),
            Bar("Wrong", sum(1 for _, s in answers if s <= 0), False)]


@dataclass(frozen=True)
class Standing:
    """A player's place: rank (ties share it), nickname, points."""

    rank: int
    player_id: int
    nickname: str
    score: int


def ranking(players: Iterable[tuple[int, str, int]]) -> list[Standing]:
    """Players (id, nickname, score) from the most points down; equal scores share a rank
    (1, 2, 2, 4), ties listed by nickname."""
    ordered = sorted(players, key=lambda p: (-p[2], nickname_key(p[1]), p[0]))
    result: list[Standing] = []
    for position, (player_id, nickname, score) in enumerate(ordered, start=1):
        rank = result[-1].rank if result and result[-1].score == score else position
        result.append(Standing(rank, player_id, nickname, score))
    return result
