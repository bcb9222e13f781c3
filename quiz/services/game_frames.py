"""A game's frame: everything the players' screens show at one version of the game, read once
per app process and shared by every phone that process serves.

When the host moves the game on, each phone's event stream needs the new screen. Reading it per
phone is 6–10 statements each, 1,000 times at the same instant; a frame is read once (2–3
statements) by whichever stream asks first, while the others wait for it (game_cache.shared),
and each stream then renders its player's screen from it without touching the database.
A frame is keyed by the game's (version, players_version): any process reads the same frame
from the same rows.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from ..domain import game as rules
from ..domain.question_types import QUESTION_TYPES
from ..extensions import db
from ..models import Game, GameAnswer, GamePlayer
from . import games
from .game_cache import AskedQuestion, cache, question_at

POLL_SECONDS = 0.25  # a frame read this recently is as good as a new read (streams polling the database)


@dataclass(frozen=True)
class AnswerView:
    """A player's answer as screens show it."""

    question_index: int
    response: Any
    grade: float
    points: int
    bonus: int


@dataclass(frozen=True)
class Reveal:
    """What the reveal shows: the question, its options, the answer distribution, the correct
    answer, explanation and source, and the top 5."""

    question: AskedQuestion
    shown: Any
    bars: list[rules.Bar]
    answer_text: str
    answered: int
    top: list[rules.Standing]


@dataclass
class Frame:
    """The game (a detached copy of its row) and what its players' screens show at this version."""

    game: Game
    frozen: str  # the state shown (a pause shows the state it froze)
    question: AskedQuestion | None
    standings: list[rules.Standing]  # every player still in, best first
    removed: frozenset[int]
    answers: dict[int, dict[int, AnswerView]] = field(default_factory=dict)  # player → question index → answer
    reveal: Reveal | None = None
    ranks: dict[int, rules.Standing] = field(default_factory=dict)
    rendered: dict[str, Any] = field(default_factory=dict)  # screens the web layer made of it, to reuse

    @property
    def version(self) -> int:
        return self.game.version

    @property
    def players_version(self) -> int:
        return self.game.players_version

    def snapshot(self, now: datetime) -> dict[str, Any]:
        """The state as events and the polling fallback carry it (games.snapshot), at `now`."""
        game, ms_left = self.game, 0
        if game.state == "question" and game.question_deadline_at is not None:
            ms_left = int(rules.seconds_left(now, game.question_deadline_at) * 1000)
        elif game.state == "paused" and game.paused_state == "question":
            ms_left = game.paused_ms_left or 0
        return {"game": game.id, "version": game.version, "state": game.state, "index": game.question_index,
                "count": len(game.question_ids), "ms_left": ms_left, "players": len(self.standings),
                "players_version": game.players_version}

    def answer_of(self, player_id: int, index: int) -> AnswerView | None:
        return self.answers.get(player_id, {}).get(index)


def _copy(game: Game) -> Game:
    """A copy of the game's row outside the session: the frame's, shared by streams, never
    reloaded (and the request's own Game object stays in its session)."""
    return Game(**{column.key: getattr(game, column.key) for column in Game.__table__.columns})


def _read(game: Game) -> Frame:
    """Build the frame of a game row just read (2–3 statements)."""
    frozen = game.paused_state if game.state == "paused" else game.state
    players = db.session.execute(select(GamePlayer.id, GamePlayer.nickname, GamePlayer.score, GamePlayer.removed_at)
                                 .where(GamePlayer.game_id == game.id)).all()
    standings = rules.ranking((id_, nickname, score) for id_, nickname, score, removed in players if removed is None)
    removed = frozenset(id_ for id_, _n, _s, gone in players if gone is not None)
    question = question_at(game, game.question_index) if frozen in ("question", "reveal") else None
    answers: dict[int, dict[int, AnswerView]] = {}
    if frozen in ("reveal", "ended"):
        query = select(GameAnswer.player_id, GameAnswer.question_index, GameAnswer.response, GameAnswer.grade,
                       GameAnswer.points, GameAnswer.bonus).where(GameAnswer.game_id == game.id)
        if frozen == "reveal":
            query = query.where(GameAnswer.question_index == game.question_index)
        for player_id, index, response, grade, points, bonus in db.session.execute(query):
            answers.setdefault(player_id, {})[index] = AnswerView(index, response, grade, points, bonus)
    frame = Frame(game, frozen, question, standings, removed, answers, ranks={s.player_id: s for s in standings})
    if frozen == "reveal" and question is not None:
        given = [(a[game.question_index].response, a[game.question_index].grade) for a in answers.values()]
        bars = rules.distribution(question.type, question.data, question.shown.get("options", []), given)
        frame.reveal = Reveal(question, question.shown, bars, QUESTION_TYPES[question.type].answer_text(question.data),
                              len(given), standings[:5])
    return frame


def latest(game_id: int, now: datetime, at_least: tuple[int, int] = (-1, -1)) -> Frame | None:
    """The game's frame as the database has it now — or the one this process has already read,
    when it is at least at (version, players_version) `at_least` and was read at most POLL
    seconds ago. Closes a question whose time is up on the way (games.tick). Concurrent calls
    share one read; None when the game is gone."""
    store = cache()
    known: Frame | None = store.peek(("latest", game_id), max_age=POLL_SECONDS)
    if known is not None and (known.version, known.players_version) >= at_least and not _due(known, now):
        return known

    def read() -> Frame | None:
        game = db.session.scalar(select(Game).where(Game.id == game_id).execution_options(populate_existing=True))
        if game is None:
            db.session.rollback()
            return None
        games.tick(game, now)
        try:
            frame = store.shared(("frame", game_id, game.version, game.players_version), lambda: _read(_copy(game)))
        finally:
            db.session.rollback()  # end the read: the connection goes back to the pool
        store.put(("latest", game_id), frame)
        return frame

    frame = store.shared(("read", game_id), read, keep=False)
    for _ in range(3):  # we joined a read that started before the change we were told of: read again
        if frame is None or (frame.version, frame.players_version) >= at_least:
            break
        frame = store.shared(("read", game_id), read, keep=False)
    return frame


def _due(frame: Frame, now: datetime) -> bool:
    """Whether the frame's question has passed its deadline (read again: tick closes it)."""
    game = frame.game
    return (game.state == "question" and game.question_deadline_at is not None
            and not rules.accepts_answer(now, game.question_deadline_at))

