"""A simulated class for the demo: students of varied ability, their quiz attempts and their
flashcard reviews — plain data that `flask classes demo` stores.

Pure: randomness is an injected `random.Random` (same seed, same class) and time is passed in.
Answers follow the Rasch model, P(right) = 1 / (1 + e^−(ability − difficulty)), both in logits;
a question's difficulty comes from the bank's `difficulty` field (easy / medium / hard) with a
little seeded spread, so two "medium" questions differ. A wrong choice answer picks a distractor,
some distractors pulling far more than others (as in real classes, where one is never chosen).
Reviews go through the app's own FSRS scheduler, so the stored cards are what the app would
have computed from the same ratings.
"""
from __future__ import annotations

import math
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone

import fsrs

from . import scheduling

# Logits of the bank's difficulty field; a question without one is "medium".
DIFFICULTY_LOGITS = {"easy": -1.2, "medium": 0.0, "hard": 1.2}
DIFFICULTY_SPREAD = 0.4  # sd of the seeded spread around that logit
ABILITY_SPREAD = 1.0  # sd of the students' abilities (logits, mean 0)
ABILITY_LIMIT = 2.5  # no student beyond ±2.5 logits
# Homework habits
MISSING_SHARE = 0.07  # students who never take an assignment
LATE_SHARE = 0.10  # students who take it after the due date (within LATE_DAYS)
LATE_DAYS = 3
RETRY_BELOW = 0.6  # with attempts left, a student below this score may try again …
RETRY_SHARE = 0.5  # … this often
RETRY_GAIN = 0.3  # logits learnt between two attempts
SECONDS_PER_QUESTION = (15, 90)
# Flashcards
NEW_PER_DAY = 10
SESSION_HOURS = (16.0, 21.5)  # when students study (UTC hours)
SECONDS_PER_CARD = (6, 40)
RETRIES_PER_SESSION = 4  # at most this many extra goes at one card in a session (learning steps)
RECALL_ABILITY_EFFECT = 0.5  # how much ability and difficulty shift FSRS's recall probability (logits)
QUIT_SHARE = 0.15  # students who stop studying part-way (their recall fades, their cards pile up) …
QUIT_AFTER = (0.2, 0.6)  # … after this share of the period

FIRST_NAMES = (
    "Awa", "Moussa", "Fatoumata", "Ibrahim", "Aminata", "Seydou", "Mariam", "Oumar", "Kadiatou", "Bakary",
    "Salif", "Rokia", "Adama", "Hawa", "Youssouf", "Lucas", "Emma", "Noah", "Chloé", "Léa", "Hugo", "Inès",
    "Sofia", "Mateo", "Chen", "Mei", "Arjun", "Priya", "Omar", "Leila", "Jonas", "Ana", "Tomás", "Zeynep",
)
LAST_NAMES = (
    "Diallo", "Keïta", "Traoré", "Coulibaly", "Sissoko", "Konaté", "Touré", "Cissé", "Diarra", "Camara",
    "Martin", "Dubois", "García", "Silva", "Nguyen", "Müller", "Rossi", "Kowalski", "Haddad", "Okafor",
)


# --- students ----------------------------------------------------------------------------

@dataclass(frozen=True)
class SimulatedStudent:
    """A student: display name, an ASCII handle for a login (unique in the class), ability
    (logits), diligence (the chance they study on a given day, 0–1) and the share of the
    review period after which they stop studying (1: they never stop)."""

    name: str
    handle: str
    ability: float
    diligence: float
    studies_until: float = 1.0


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def students(rng: random.Random, count: int = 30) -> list[SimulatedStudent]:
    """`count` students with different names, abilities around 0 and varied diligence."""
    pairs = [(first, last) for first in FIRST_NAMES for last in LAST_NAMES]
    if count > len(pairs):
        raise ValueError(f"at most {len(pairs)} simulated students, not {count}")
    roster: list[SimulatedStudent] = []
    handles: set[str] = set()
    for first, last in rng.sample(pairs, count):
        handle = f"{_ascii(first)}.{_ascii(last)}"
        while handle in handles:  # "Chloé" and "Chloe" would meet here
            handle += "1"
        handles.add(handle)
        ability = max(-ABILITY_LIMIT, min(ABILITY_LIMIT, rng.gauss(0.0, ABILITY_SPREAD)))
        diligence = rng.betavariate(4, 2)
        until = rng.uniform(*QUIT_AFTER) if rng.random() < QUIT_SHARE else 1.0
        roster.append(SimulatedStudent(f"{first} {last}", handle, round(ability, 3), round(diligence, 3),
                                       round(until, 3)))
    return roster


# --- questions -----------------------------------------------------------------------------

@dataclass(frozen=True)
class DemoQuestion:
    """A bank question as the simulation needs it: its difficulty field and, for a choice
    question (mcq, multi, true/false), the right options and the distractors."""

    question_id: str
    difficulty: str | None = None
    keys: tuple[str, ...] = ()
    distractors: tuple[str, ...] = ()


@dataclass(frozen=True)
class SimulatedItem:
    """A question with its simulated difficulty (logits) and how strongly each distractor
    draws a wrong answer (shares that add up to 1)."""

    question_id: str
    difficulty: float
    keys: tuple[str, ...] = ()
    distractors: tuple[str, ...] = ()
    pulls: tuple[float, ...] = ()

    @property
    def is_choice(self) -> bool:
        return bool(self.keys)


def difficulty_logit(field: str | None) -> float:
    """The logit of the bank's difficulty field (None: medium)."""
    if field is None:
        return DIFFICULTY_LOGITS["medium"]
    if field not in DIFFICULTY_LOGITS:
        raise ValueError(f"difficulty '{field}' should be one of {', '.join(DIFFICULTY_LOGITS)}")
    return DIFFICULTY_LOGITS[field]


def items(rng: random.Random, questions: Sequence[DemoQuestion]) -> list[SimulatedItem]:
    """Each question's simulated difficulty and distractor pulls, fixed once for the class."""
    made = []
    for q in questions:
        difficulty = difficulty_logit(q.difficulty) + rng.gauss(0.0, DIFFICULTY_SPREAD)
        weights = [rng.random() ** 3 for _ in q.distractors]  # cubed: one or two distractors pull most
        total = sum(weights) or 1.0
        made.append(SimulatedItem(q.question_id, round(difficulty, 3), q.keys, q.distractors,
                                  tuple(w / total for w in weights)))
    return made


def p_correct(ability: float, difficulty: float) -> float:
    """The Rasch model: the chance a student of `ability` answers a question of `difficulty`."""
    return 1.0 / (1.0 + math.exp(-(ability - difficulty)))


# --- quiz attempts ---------------------------------------------------------------------------

@dataclass(frozen=True)
class SimulatedAnswer:
    """One answer: right or wrong (score 1 or 0) and, for a choice question, the options ticked
    (all the keys when right; when wrong, a distractor — and for several keys, one key missed)."""

    question_id: str
    correct: bool
    score: float
    choices: tuple[str, ...]
    answered_at: datetime


@dataclass(frozen=True)
class SimulatedAttempt:
    """One student's attempt (`student` indexes the roster; `number` 1 is the first)."""

    student: int
    number: int
    started_at: datetime
    finished_at: datetime
    late: bool
    answers: tuple[SimulatedAnswer, ...]

    @property
    def score(self) -> float:
        """The share of the marks: 0–1."""
        return sum(a.score for a in self.answers) / len(self.answers) if self.answers else 0.0


def answer(rng: random.Random, ability: float, item: SimulatedItem, at: datetime) -> SimulatedAnswer:
    """One simulated answer to one question."""
    right = rng.random() < p_correct(ability, item.difficulty)
    choices: tuple[str, ...] = ()
    if item.is_choice:
        if right:
            choices = item.keys
        else:
            kept = list(item.keys)  # several keys: one is missed; a single key: it is missed
            kept.remove(rng.choice(kept)) if len(kept) > 1 else kept.clear()
            distractor = rng.choices(item.distractors, weights=item.pulls)[0] if item.distractors else None
            choices = tuple(kept) + ((distractor,) if distractor else ())
    return SimulatedAnswer(item.question_id, right, 1.0 if right else 0.0, choices, at)


def _sitting(rng: random.Random, student: int, number: int, ability: float, questions: Sequence[SimulatedItem],
             started_at: datetime, due_at: datetime) -> SimulatedAttempt:
    answers = []
    moment = started_at
    for item in questions:
        moment += timedelta(seconds=rng.randint(*SECONDS_PER_QUESTION))
        answers.append(answer(rng, ability, item, moment))
    return SimulatedAttempt(student, number, started_at, moment, moment > due_at, tuple(answers))


def attempts(rng: random.Random, roster: Sequence[SimulatedStudent], questions: Sequence[SimulatedItem], *,
             opens_at: datetime, due_at: datetime, draw: int | None = None,
             attempts_allowed: int = 1) -> list[SimulatedAttempt]:
    """The class taking one assignment: most students between `opens_at` and `due_at`, some late,
    some never; each answers every question (or, with `draw`, that many drawn at random, in the
    order drawn); with attempts left, weak students sometimes try again. Sorted by start time."""
    if due_at <= opens_at:
        raise ValueError("the due date comes after the opening")
    if draw is not None and not 0 < draw <= len(questions):
        raise ValueError(f"draw between 1 and {len(questions)} questions, not {draw}")
    window = (due_at - opens_at).total_seconds()
    taken: list[SimulatedAttempt] = []
    for index, student in enumerate(roster):
        habit = rng.random()
        if habit < MISSING_SHARE:
            continue
        if habit < MISSING_SHARE + LATE_SHARE:
            start = due_at + timedelta(seconds=rng.randint(60, LATE_DAYS * 86400))
        else:
            start = opens_at + timedelta(seconds=rng.randint(0, int(window * 0.95)))
        ability = student.ability
        for number in range(1, attempts_allowed + 1):
            drawn = rng.sample(list(questions), draw) if draw else list(questions)
            sitting = _sitting(rng, index, number, ability, drawn, start, due_at)
            taken.append(sitting)
            if sitting.score >= RETRY_BELOW or rng.random() >= RETRY_SHARE:
                break
            ability += RETRY_GAIN
            start = sitting.finished_at + timedelta(minutes=rng.randint(60, 30 * 60))
    return sorted(taken, key=lambda a: (a.started_at, a.student, a.number))


# --- flashcard reviews -------------------------------------------------------------------------

@dataclass(frozen=True)
class SimulatedReview:
    """One review: the rating (1 Again … 4 Easy) given at `reviewed_at`, the card's status just
    before, and the card after it as the app's scheduler computes it (what a Card row stores)."""

    question_id: str
    reviewed_at: datetime
    rating: int
    status_before: str
    after: scheduling.Reviewed


def _logit(p: float) -> float:
    p = min(max(p, 0.01), 0.99)
    return math.log(p / (1 - p))


def _rating(rng: random.Random, recalled: bool, p: float) -> int:
    if not recalled:
        return 1
    roll = rng.random()
    if roll < 0.15:
        return 2  # Hard
    if roll < 0.15 + 0.25 * p:
        return 4  # Easy, more often the surer the recall
    return 3


def reviews(rng: random.Random, student: SimulatedStudent, cards: Sequence[SimulatedItem], *, start: datetime,
            now: datetime, sched: fsrs.Scheduler | None = None, new_per_day: int = NEW_PER_DAY,
            ) -> list[SimulatedReview]:
    """A student's flashcard history from `start` until `now` (or until they stop studying): on
    the days they study (their diligence), one evening session that reviews the cards due, then up to `new_per_day` new
    ones, repeating a card its learning steps bring back within the session. A first review is
    right with the Rasch chance; later ones with FSRS's recall probability, shifted by ability
    and difficulty. In time order, every one before `now`."""
    if start.tzinfo is not timezone.utc or now.tzinfo is not timezone.utc:
        raise ValueError("reviews are simulated in UTC: give start and now with tzinfo=timezone.utc")
    sched = sched or scheduling.scheduler()
    states: dict[str, scheduling.Reviewed] = {}
    unseen = list(cards)
    history: list[SimulatedReview] = []
    by_id = {c.question_id: c for c in cards}
    stop = start + (now - start) * student.studies_until
    day = start.date()
    while True:
        evening = rng.randint(int(SESSION_HOURS[0] * 3600), int(SESSION_HOURS[1] * 3600))
        session = datetime.combine(day, time(), tzinfo=start.tzinfo) + timedelta(seconds=evening)
        if session >= min(now, stop):
            break
        day += timedelta(days=1)
        if session < start or rng.random() >= student.diligence:
            continue
        due = sorted((r.due, c.question_id) for c in cards if (r := states.get(c.question_id)) and r.due <= session)
        queue = [(session, by_id[qid]) for _due, qid in due]
        queue += [(session, card) for card in unseen[:new_per_day]]
        del unseen[:new_per_day]
        goes: dict[str, int] = {}
        moment = session
        while queue:
            queue.sort(key=lambda entry: entry[0])
            ready, card = queue.pop(0)
            moment = max(moment, ready) + timedelta(seconds=rng.randint(*SECONDS_PER_CARD))
            if moment >= now:
                break
            before = states.get(card.question_id)
            if before is None:
                p = p_correct(student.ability, card.difficulty)
            else:
                recall = scheduling.retrievability(before.state, moment, sched)
                p = 1 / (1 + math.exp(-(_logit(recall) + RECALL_ABILITY_EFFECT * (student.ability - card.difficulty))))
            rating = _rating(rng, rng.random() < p, p)
            after = scheduling.review(before.state if before else None, rating, moment, sched)
            states[card.question_id] = after
            history.append(SimulatedReview(card.question_id, moment, rating, before.status if before else "new",
                                           after))
            goes[card.question_id] = goes.get(card.question_id, 0) + 1
            if after.due < moment + timedelta(hours=1) and goes[card.question_id] <= RETRIES_PER_SESSION:
                queue.append((after.due, card))
    return history
