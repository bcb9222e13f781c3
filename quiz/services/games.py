"""Live games, the host's side: set one up from a bank, tag or assignment, pace it (start,
next, skip, pause, resume, end), remove players, and read where it stands.

Every change is a conditional update on the game's version (two processes, or a double
click, cannot both move the game), committed, then published (quiz/services/game_events.py).
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError

from ..domain import game as rules
from ..extensions import db
from ..models import Assignment, Attempt, Bank, Game, GameAnswer, GamePlayer, User
from . import game_events, quizzes
from .classes import is_teacher, teaches

MAX_QUESTIONS = 100
SECONDS_RANGE = (5, 240)


class GameError(Exception):
    """A game action that cannot be done, with a message for the user."""


@dataclass
class GameSettings:
    """What the host chooses: where the questions come from and how the game is played."""

    source: str = "bank"  # bank | tag | assignment
    bank_id: str | None = None
    tag: str | None = None
    assignment_id: int | None = None
    count: int = 10
    seconds: int = 20
    scoring: str = "speed"
    require_account: bool = False


def may_host(user: User | None) -> bool:
    """Instructors and admins host games."""
    return is_teacher(user)


def assignments_for(host: User) -> list[Assignment]:
    """Quiz assignments of the classes this host teaches (admins: all), for the form."""
    rows = db.session.scalars(select(Assignment).where(Assignment.kind == "quiz").order_by(Assignment.id.desc()))
    return [a for a in rows if a.classroom.archived_at is None and teaches(host, a.classroom)]


def _questions_for(host: User, settings: GameSettings, rng: random.Random) -> tuple[str, list[str], int | None]:
    """The game's title, its question ids in play order, and the assignment it belongs to."""
    types = rules.allowed_types([])
    assignment_id = None
    if settings.source == "bank":
        bank = db.session.get(Bank, settings.bank_id or "")
        if bank is None or bank.retired_at is not None:
            raise GameError("Choose one of the banks.")
        title, request = bank.title, quizzes.QuizRequest(bank_ids=[bank.id], tags=[], types=types, viewer=host)
    elif settings.source == "tag":
        if not settings.tag:
            raise GameError("Choose a tag.")
        title, request = f"#{settings.tag}", quizzes.QuizRequest(bank_ids=[], tags=[settings.tag], types=types,
                                                                 viewer=host)
    elif settings.source == "assignment":
        assignment = db.session.get(Assignment, settings.assignment_id or 0)
        if assignment is None or assignment.kind != "quiz" or not teaches(host, assignment.classroom):
            raise GameError("Choose one of your classes' quiz assignments.")
        if assignment.classroom.archived_at is not None:
            raise GameError("This assignment's class is archived: restore it first.")
        assignment_id, title = assignment.id, assignment.title
        ids = assignment.question_ids or assignment.picked_ids
        request = quizzes.QuizRequest(bank_ids=[] if ids else list(assignment.bank_ids),
                                      tags=[] if ids else list(assignment.tags),
                                      types=rules.allowed_types(list(assignment.types)), question_ids=ids)
    else:
        raise GameError("Choose where the questions come from: a bank, a tag or an assignment.")
    candidates = quizzes.candidate_ids(request)
    if not candidates:
        raise GameError("No question there can be played live (flashcards cannot): choose another source.")
    drawn = rules.draw(candidates, settings.count, rng)
    return title, quizzes.shuffled_without_giveaways(drawn, rng), assignment_id


def create_game(host: User, settings: GameSettings, now: datetime, rng: random.Random) -> Game:
    """A new game in its lobby, with a PIN no running game has."""
    if not may_host(host):
        raise GameError("Only instructors can host a game.")
    if not 1 <= settings.count <= MAX_QUESTIONS:
        raise GameError(f"Choose between 1 and {MAX_QUESTIONS} questions.")
    if not SECONDS_RANGE[0] <= settings.seconds <= SECONDS_RANGE[1]:
        raise GameError(f"Choose between {SECONDS_RANGE[0]} and {SECONDS_RANGE[1]} seconds per question.")
    if settings.scoring not in rules.SCORING_MODES:
        raise GameError("Choose a scoring mode from the list.")
    title, question_ids, assignment_id = _questions_for(host, settings, rng)
    for _ in range(5):  # another host may take the same PIN at the same moment
        taken = set(db.session.scalars(select(Game.pin).where(Game.state != "ended")))
        game = Game(pin=rules.new_pin(rng, taken), host_id=host.id, title=title, question_ids=question_ids,
                    source={"kind": settings.source, "bank_id": settings.bank_id, "tag": settings.tag},
                    assignment_id=assignment_id, seconds_per_question=settings.seconds, scoring=settings.scoring,
                    require_account=settings.require_account, seed=rng.randrange(2**31), created_at=now,
                    skipped=[], blocked_names=[])
        db.session.add(game)
        try:
            db.session.commit()
            return game
        except IntegrityError:
            db.session.rollback()
    raise GameError("Could not find a free PIN: try again.")


def get_game(game_id: int) -> Game | None:
    return db.session.get(Game, game_id)


def game_for_host(game_id: int, user: User | None) -> Game | None:
    """The game if this user hosts it (or is an admin), else None (the caller answers 404)."""
    game = db.session.get(Game, game_id)
    if game is None or user is None or user.is_guest:
        return None
    return game if game.host_id == user.id or user.role == "admin" else None


def hosted_by(user: User) -> list[Game]:
    """The user's games, newest first (an admin sees every game)."""
    query = select(Game).order_by(Game.created_at.desc()).limit(100)
    if user.role != "admin":
        query = query.where(Game.host_id == user.id)
    return list(db.session.scalars(query))


# --- moving the game ---------------------------------------------------------------------

def snapshot(game: Game, now: datetime) -> dict[str, Any]:
    """The game's state as events and the polling fallback carry it."""
    ms_left = 0
    if game.state == "question":
        ms_left = int(rules.seconds_left(now, game.question_deadline_at) * 1000)
    elif game.state == "paused" and game.paused_state == "question":
        ms_left = game.paused_ms_left or 0
    return {"game": game.id, "version": game.version, "state": game.state, "index": game.question_index,
            "count": len(game.question_ids), "ms_left": ms_left, "players": player_count(game),
            "players_version": game.players_version}


def _move(game: Game, now: datetime, **values: Any) -> bool:
    """Apply a change if nobody changed the game since it was read: True when this call did it.
    The caller adds side effects, then calls _commit."""
    result = db.session.execute(update(Game).where(Game.id == game.id, Game.version == game.version)
                                .values(version=Game.version + 1, **values))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        return False
    return True


def _commit(game: Game, now: datetime) -> None:
    db.session.commit()
    db.session.refresh(game)
    game_events.publish(game.id, {"event": "state", **snapshot(game, now)})


def _start_question(index: int, game: Game, now: datetime) -> dict[str, Any]:
    return {"state": "question", "question_index": index, "question_started_at": now,
            "question_deadline_at": now + timedelta(seconds=game.seconds_per_question),
            "paused_state": None, "paused_ms_left": None}


def _close_question(game: Game, index: int) -> None:
    """Side effect of question `index` closing: players who did not answer lose their streak."""
    answered = exists().where(GameAnswer.player_id == GamePlayer.id, GameAnswer.question_index == index)
    db.session.execute(update(GamePlayer).where(GamePlayer.game_id == game.id, ~answered).values(streak=0))


def _take_back(game: Game, index: int) -> None:
    """Side effect of a skip: question `index`'s points are taken back."""
    for answer in db.session.scalars(select(GameAnswer).where(GameAnswer.game_id == game.id,
                                                              GameAnswer.question_index == index)):
        if answer.points:
            db.session.execute(update(GamePlayer).where(GamePlayer.id == answer.player_id)
                               .values(score=GamePlayer.score - answer.points))
            answer.points, answer.bonus = 0, 0


def _finish_attempts(game: Game, now: datetime) -> None:
    """Class assignment attempts made for this game's players end with it."""
    attempt_ids = db.session.scalars(select(GamePlayer.attempt_id).where(
        GamePlayer.game_id == game.id, GamePlayer.attempt_id.is_not(None)))
    for attempt in db.session.scalars(select(Attempt).where(Attempt.id.in_(list(attempt_ids)))):
        if attempt.finished_at is None:
            quizzes.finish(attempt, now)


def tick(game: Game, now: datetime) -> bool:
    """Close the current question if its deadline has passed (exactly once, whoever calls);
    True when this call closed it."""
    if game.state != "question" or game.question_deadline_at is None:
        return False
    if rules.accepts_answer(now, game.question_deadline_at):
        return False
    return close_question(game, now)


def close_question(game: Game, now: datetime) -> bool:
    """Question → reveal (deadline passed, everyone answered, or the host said next)."""
    if game.state != "question":
        return False
    index = game.question_index
    if not _move(game, now, state="reveal"):
        db.session.refresh(game)
        return False
    _close_question(game, index)
    _commit(game, now)
    return True


def control(game: Game, action: str, version: int | None, now: datetime) -> None:
    """A host's action on the game, as seen at `version` (None: whatever the game is at);
    GameError when the game has moved on since or the action is not allowed now."""
    if version is not None and version != game.version:
        raise GameError("The game had already moved on: here is where it is now.")
    if action not in rules.ACTIONS:
        raise GameError("Unknown action.")
    if action == "pause":
        _pause(game, now)
        return
    if action == "resume":
        _resume(game, now)
        return
    try:
        state, index = rules.next_state(game.state, action, game.question_index, len(game.question_ids))
    except rules.GameRuleError as error:
        raise GameError(str(error)) from error
    if action == "next" and game.state == "question":
        close_question(game, now)
        return
    values: dict[str, Any] = _start_question(index, game, now) if state == "question" else {"state": state}
    if action == "start":
        values["started_at"] = now
    if state == "ended":
        values.update(ended_at=now, paused_state=None, paused_ms_left=None)
    if action == "skip":
        values["skipped"] = [*game.skipped, game.question_index]
    previous_state, previous_index = game.state, game.question_index
    if not _move(game, now, **values):  # (the ORM update also sets the new values on `game`)
        raise GameError("The game had already moved on: here is where it is now.")
    if action == "skip":
        _take_back(game, previous_index)
    if previous_state == "question" and action in ("skip", "end"):
        _close_question(game, previous_index)
    if state == "ended":
        _finish_attempts(game, now)
    _commit(game, now)


def _pause(game: Game, now: datetime) -> None:
    if game.state in ("paused", "ended"):
        raise GameError("The game is already paused." if game.state == "paused" else "The game is over.")
    ms_left = (int(rules.seconds_left(now, game.question_deadline_at) * 1000) if game.state == "question" else None)
    if not _move(game, now, state="paused", paused_state=game.state, paused_ms_left=ms_left):
        raise GameError("The game had already moved on: here is where it is now.")
    _commit(game, now)


def _resume(game: Game, now: datetime) -> None:
    if game.state != "paused":
        raise GameError("The game is not paused.")
    values: dict[str, Any] = {"state": game.paused_state or "lobby", "paused_state": None, "paused_ms_left": None}
    if game.paused_state == "question":
        values["question_deadline_at"] = now + timedelta(milliseconds=game.paused_ms_left or 0)
    if not _move(game, now, **values):
        raise GameError("The game had already moved on: here is where it is now.")
    _commit(game, now)


def bump_players(game: Game, now: datetime) -> None:
    """The lobby changed (someone joined or was removed): commit, then tell the host's screen."""
    db.session.execute(update(Game).where(Game.id == game.id).values(players_version=Game.players_version + 1))
    db.session.commit()
    db.session.refresh(game)
    game_events.publish(game.id, {"event": "players", "game": game.id, "players_version": game.players_version,
                                  "players": snapshot(game, now)["players"]})


def remove_player(game: Game, player_id: int, block: bool, now: datetime) -> GamePlayer:
    """Take a player out of the game (their points stay in the results); with `block` their
    nickname cannot join again."""
    player = db.session.get(GamePlayer, player_id)
    if player is None or player.game_id != game.id:
        raise GameError("No such player in this game.")
    if player.removed_at is None:
        player.removed_at = now
    if block and player.nickname_key not in game.blocked_names:
        game.blocked_names = [*game.blocked_names, player.nickname_key]
    bump_players(game, now)
    game_events.publish(game.id, {"event": "removed", "game": game.id, "player": player_id})
    return player


# --- what screens show -----------------------------------------------------------------------

def player_count(game: Game) -> int:
    """Players still in the game."""
    return db.session.scalar(select(db.func.count()).select_from(GamePlayer).where(
        GamePlayer.game_id == game.id, GamePlayer.removed_at.is_(None))) or 0


def players_of(game: Game, include_removed: bool = False) -> list[GamePlayer]:
    query = select(GamePlayer).where(GamePlayer.game_id == game.id).order_by(GamePlayer.joined_at, GamePlayer.id)
    if not include_removed:
        query = query.where(GamePlayer.removed_at.is_(None))
    return list(db.session.scalars(query))


def answered_so_far(game: Game, now: datetime) -> int:
    """How many have answered the current question, for the host's screen (it asks every second);
    when every player still in has, the question closes (no need to wait for the deadline).
    Answers themselves never count the others: that would be 1,000 counts per question."""
    answered = answer_count(game, game.question_index)
    if game.state == "question" and answered >= player_count(game) > 0:
        close_question(game, now)
    return answered


def answer_count(game: Game, index: int) -> int:
    return db.session.scalar(select(db.func.count()).select_from(GameAnswer).where(
        GameAnswer.game_id == game.id, GameAnswer.question_index == index)) or 0


def standings(game: Game) -> list[rules.Standing]:
    """Every player still in the game, best first."""
    return rules.ranking((p.id, p.nickname, p.score) for p in players_of(game))


def leaders(game: Game, places: int) -> list[rules.Standing]:
    """The first `places` lines of standings(game), reading only the players who can be among
    them (those with at least the points of the player in the last place)."""
    live = (GamePlayer.game_id == game.id, GamePlayer.removed_at.is_(None))
    cutoff = db.session.scalar(select(GamePlayer.score).where(*live).order_by(GamePlayer.score.desc())
                               .offset(places - 1).limit(1))
    query = select(GamePlayer.id, GamePlayer.nickname, GamePlayer.score).where(*live)
    if cutoff is not None:
        query = query.where(GamePlayer.score >= cutoff)
    return rules.ranking((id_, nickname, score) for id_, nickname, score in db.session.execute(query))[:places]


def rank_of(game: Game, player: GamePlayer) -> rules.Standing | None:
    """The player's line of standings(game) (None once removed), without reading the others:
    equal scores share a rank, so it is one more than the players with more points."""
    if player.removed_at is not None or player.game_id != game.id:
        return None
    ahead = db.session.scalar(select(db.func.count()).select_from(GamePlayer).where(
        GamePlayer.game_id == game.id, GamePlayer.removed_at.is_(None), GamePlayer.score > player.score)) or 0
    return rules.Standing(ahead + 1, player.id, player.nickname, player.score)
