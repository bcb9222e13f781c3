"""An answer's way through the database, built for 1,000 phones answering within seconds.

One read finds the game and the player from the cookie's token (the columns an answer needs, not
ORM objects); one write stores the answer and the player's points. On PostgreSQL both run on one
connection in autocommit — the write is a single statement (INSERT … ON CONFLICT DO NOTHING in a
CTE, then the points), so it is atomic without a transaction — which makes an answer three round
trips instead of seven (BEGIN, INSERT, UPDATE, COMMIT…). Each round trip is a moment the
request's greenlet waits behind every other one that is ready. On SQLite (one machine, no
network) the session's transaction does it in two statements. The statements are built once.
"""
from __future__ import annotations

import hashlib
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterator

from sqlalchemy import Connection, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import Game, GameAnswer, GamePlayer

_PLAYER = GamePlayer.__table__
_ANSWER_TABLE = GameAnswer.__table__
_ANSWER_COLUMNS = ("game_id", "player_id", "question_index", "question_id", "response", "grade", "points", "bonus",
                   "elapsed_ms", "answered_at")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SeatedGame:
    """What an answer reads of the game (the columns of Game it needs, not the ORM object)."""

    id: int
    pin: str
    state: str
    paused_state: str | None
    question_index: int
    question_deadline_at: datetime | None
    seconds_per_question: int
    scoring: str
    seed: int
    question_ids: list[str]
    version: int
    players_version: int


@dataclass(frozen=True)
class SeatedPlayer:
    """What an answer reads of the player."""

    id: int
    nickname: str
    removed_at: datetime | None
    streak: int
    user_id: int | None
    attempt_id: int | None


_SEAT = (select(Game.id, Game.pin, Game.state, Game.paused_state, Game.question_index, Game.question_deadline_at,
                Game.seconds_per_question, Game.scoring, Game.seed, Game.question_ids, Game.version,
                Game.players_version, GamePlayer.id.label("player_id"), GamePlayer.nickname, GamePlayer.removed_at,
                GamePlayer.streak, GamePlayer.user_id, GamePlayer.attempt_id)
         .join_from(Game, GamePlayer, GamePlayer.game_id == Game.id)
         .where(GamePlayer.token_hash == bindparam("token"), Game.id == bindparam("game_id")))
_POINTS = (update(_PLAYER).where(_PLAYER.c.id == bindparam("p_id"))
           .values(score=_PLAYER.c.score + bindparam("p_points"), streak=bindparam("p_streak")))
_ANSWER = sqlite.insert(_ANSWER_TABLE).on_conflict_do_nothing(
    index_elements=["player_id", "question_index"]).returning(_ANSWER_TABLE.c.id)
# PostgreSQL: the answer and the player's points in one statement, so that it needs no
# transaction of its own (autocommit): one round trip instead of BEGIN, INSERT, UPDATE, COMMIT.
_STORED = (postgresql.insert(_ANSWER_TABLE)
           .values({c: bindparam(f"a_{c}", type_=_ANSWER_TABLE.c[c].type) for c in _ANSWER_COLUMNS})
           .on_conflict_do_nothing(index_elements=["player_id", "question_index"])
           .returning(_ANSWER_TABLE.c.id, _ANSWER_TABLE.c.player_id, _ANSWER_TABLE.c.points).cte("stored"))
_ANSWER_AND_POINTS = (update(_PLAYER).where(_PLAYER.c.id == _STORED.c.player_id)
                      .values(score=_PLAYER.c.score + _STORED.c.points, streak=bindparam("p_streak"))
                      .returning(_STORED.c.id))



@contextmanager
def connection() -> Iterator[Connection | None]:
    """An autocommit connection for an answer on PostgreSQL; None elsewhere (use the session)."""
    if db.engine.dialect.name != "postgresql":
        yield None
        return
    with db.engine.connect() as conn:
        yield conn.execution_options(isolation_level="AUTOCOMMIT")


def seat(game_id: int, token: str | None, conn: Connection | None = None) -> tuple[SeatedGame, SeatedPlayer] | None:
    """The game and the player whose cookie holds this token, in one read, or None."""
    if not token:
        return None
    params = {"token": token_hash(token), "game_id": game_id}
    row = (conn.execute(_SEAT, params) if conn is not None else db.session.execute(_SEAT, params)).first()
    if row is None:
        return None
    return SeatedGame(*row[:12]), SeatedPlayer(*row[12:])


def store(values: dict[str, Any], streak: int, conn: Connection | None = None) -> int | None:
    """Store an answer (`values`: GameAnswer's columns) and add its points to the player, with
    their new streak; the answer's id, or None when the player had already answered (nothing
    changed). Committed when it returns."""
    together = {f"a_{k}": v for k, v in values.items()} | {"p_streak": streak}
    if conn is not None:
        return conn.scalar(_ANSWER_AND_POINTS, together)
    if db.session.get_bind().dialect.name == "postgresql":
        answer_id = db.session.scalar(_ANSWER_AND_POINTS, together)
    else:
        answer_id = db.session.scalar(_ANSWER, values)
        if answer_id is not None:
            db.session.execute(_POINTS, {"p_id": values["player_id"], "p_points": values["points"], "p_streak": streak})
    if answer_id is None:
        db.session.rollback()
        return None
    db.session.commit()
    return int(answer_id)
