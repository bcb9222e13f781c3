"""The live classroom game: a game, its players and their answers. Everything a request
needs is here, so that any app process can serve any request."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow


class Game(db.Model):
    """One live game hosted by an instructor: its questions, settings and where it stands.

    `version` goes up at every change of state that screens must show (a question starts,
    closes, the game pauses…), `players_version` when the lobby changes; the event stream
    and the polling fallback both follow them."""

    # A PIN names one game at a time: unique among games that have not ended.
    __table_args__ = (Index("uq_game_live_pin", "pin", unique=True,
                            sqlite_where=text("state != 'ended'"), postgresql_where=text("state != 'ended'")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pin: Mapped[str] = mapped_column(String(6))
    host_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    source: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # {"bank_ids", "tags", "types"}
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignment.id", ondelete="SET NULL"), nullable=True, index=True)
    question_ids: Mapped[list[str]] = mapped_column(JSON)
    seconds_per_question: Mapped[int] = mapped_column(Integer, default=20)
    scoring: Mapped[str] = mapped_column(String(20), default="speed")  # domain.game.SCORING_MODES
    require_account: Mapped[bool] = mapped_column(Boolean, default=False)
    seed: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(10), default="lobby")  # lobby|question|reveal|paused|ended
    paused_state: Mapped[str | None] = mapped_column(String(10), nullable=True)  # the state a pause froze
    paused_ms_left: Mapped[int | None] = mapped_column(Integer, nullable=True)  # question time left at pause
    question_index: Mapped[int] = mapped_column(Integer, default=-1)
    question_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    question_deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    skipped: Mapped[list[int]] = mapped_column(JSON, default=list)  # indexes of questions dropped by the host
    blocked_names: Mapped[list[str]] = mapped_column(JSON, default=list)  # nickname keys
    version: Mapped[int] = mapped_column(Integer, default=0)
    players_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class GamePlayer(db.Model):
    """A player in a game: a nickname unique in it, the hash of the token in their browser's
    cookie (coming back after a refresh or a lost connection), their points and answer streak."""

    __table_args__ = (UniqueConstraint("game_id", "nickname_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    game_id: Mapped[int] = mapped_column(ForeignKey("game.id", ondelete="CASCADE"), index=True)
    nickname: Mapped[str] = mapped_column(String(40))
    nickname_key: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True, index=True)
    # the class assignment attempt the player's answers also go to (signed-in students)
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempt.id", ondelete="SET NULL"), nullable=True)
    score: Mapped[int] = mapped_column(Integer, default=0)
    streak: Mapped[int] = mapped_column(Integer, default=0)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class GameAnswer(db.Model):
    """A player's answer to one question of a game, stored before it is acknowledged; one per
    player and question, so a double tap counts once."""

    __table_args__ = (UniqueConstraint("player_id", "question_index"),
                      Index("ix_game_answer_game_question", "game_id", "question_index"))

    id: Mapped[int] = mapped_column(primary_key=True)
    game_id: Mapped[int] = mapped_column(ForeignKey("game.id", ondelete="CASCADE"))
    player_id: Mapped[int] = mapped_column(ForeignKey("game_player.id", ondelete="CASCADE"), index=True)
    question_index: Mapped[int] = mapped_column(Integer)
    question_id: Mapped[str] = mapped_column(ForeignKey("question.id"))
    response: Mapped[Any] = mapped_column(JSON, nullable=True)
    grade: Mapped[float] = mapped_column(Float)  # 0…1, partial credit between
    points: Mapped[int] = mapped_column(Integer)  # bonus included; 0 once the question is skipped
    bonus: Mapped[int] = mapped_column(Integer, default=0)
    elapsed_ms: Mapped[int] = mapped_column(Integer)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
