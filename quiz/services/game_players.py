"""Live games, the players' side: join with a PIN and a nickname, come back with the
cookie's token, answer (stored once, before the acknowledgement, refused after the
deadline), and the results."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from ..domain import game as rules
from ..domain.question_types import QUESTION_TYPES, Form, Unreadable, grade
from ..domain.spreadsheet import to_csv
from ..extensions import db
from ..models import Assignment, Attempt, Game, GameAnswer, GamePlayer, Question, User
from . import game_answers, game_cache, games, quizzes, studying
from .game_answers import SeatedGame, SeatedPlayer, token_hash
from .classes import enrollment_of
from .games import GameError


class LateAnswer(GameError):
    """The answer came after the deadline, or for a question that is no longer asked."""


class AnswerUnreadable(GameError):
    """The form cannot be graded as sent; nothing was stored. `field` names the form field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def live_game_by_pin(pin: str) -> Game | None:
    """The running (not ended) game with this PIN."""
    return db.session.scalar(select(Game).where(Game.pin == rules.normalize_pin(pin), Game.state != "ended"))


def player_for(game: Game, token: str | None) -> GamePlayer | None:
    """The player whose cookie holds this token, in this game, or None."""
    if not token:
        return None
    player = db.session.scalar(select(GamePlayer).where(GamePlayer.token_hash == token_hash(token)))
    return player if player is not None and player.game_id == game.id else None


def _assignment_attempt(game: Game, user: User, now: datetime) -> int | None:
    """A class assignment attempt for a signed-in student of the assignment's class, so that
    the game's answers reach the gradebook; None when they are not in the class or already
    have an unfinished attempt of it."""
    if game.assignment_id is None or user.is_guest:
        return None
    assignment = db.session.get(Assignment, game.assignment_id)
    if (assignment is None or assignment.classroom.archived_at is not None
            or enrollment_of(user, assignment.classroom) is None):
        return None
    attempt = Attempt(user_id=user.id, mode="test", title=f"Live game: {game.title}",
                      question_ids=list(game.question_ids), seed=game.seed, started_at=now,
                      assignment_id=game.assignment_id, settings={"reveal": "immediately", "game_id": game.id})
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:  # an unfinished attempt of this assignment already exists
        return None
    return attempt.id


def join(pin: str, nickname: str, user: User | None, now: datetime) -> tuple[GamePlayer, str]:
    """A new player in the running game with this PIN; returns the player and the token for
    their cookie. GameError / NicknameError (a message) when they cannot join."""
    game = live_game_by_pin(pin)
    if game is None:
        raise GameError("No game is running with this PIN: check the number on the screen.")
    if game.require_account and (user is None or user.is_guest):
        raise GameError("This game needs an account: log in (or register), then join again.")
    # a name already taken in this game is refused by the unique (game, nickname key) row below:
    # joining reads no other player, so the 1,000th join costs what the first did
    shown = rules.clean_nickname(nickname, blocked=game.blocked_names)
    token = secrets.token_urlsafe(24)
    player = GamePlayer(game_id=game.id, nickname=shown, nickname_key=rules.nickname_key(shown),
                        token_hash=token_hash(token), user_id=user.id if user else None, joined_at=now)
    if user is not None:
        player.attempt_id = _assignment_attempt(game, user, now)
    db.session.add(player)
    try:
        db.session.flush()
    except IntegrityError:  # someone took the same name at the same moment
        db.session.rollback()
        raise rules.NicknameError(f"Someone in this game is already called “{shown}”: choose another nickname.")
    games.bump_players(game, now)
    return player, token


def answered(player_id: int, index: int) -> bool:
    """Whether the player has answered question `index` (one read)."""
    return db.session.scalar(select(GameAnswer.id).where(GameAnswer.player_id == player_id,
                                                         GameAnswer.question_index == index)) is not None


def answer_of(player: GamePlayer | SeatedPlayer, index: int) -> GameAnswer | None:
    return db.session.scalar(select(GameAnswer).where(GameAnswer.player_id == player.id,
                                                      GameAnswer.question_index == index))


@dataclass
class Stored:
    """An acknowledged answer: the stored row, and whether this request stored it (False for a
    repeat, which changed nothing)."""

    answer: GameAnswer
    first: bool


def submit(game: Game | SeatedGame, player: GamePlayer | SeatedPlayer, index: int, form: Form,
           now: datetime, connection: Connection | None = None) -> Stored:
    """Grade and store the player's answer to the question at `index`, before anything is
    acknowledged. A repeat returns the first answer; LateAnswer after the deadline (the
    server's clock) or for another question; AnswerUnreadable when the form cannot be read.

    With `game` and `player` read (game_answers.answer), storing a first answer is one statement
    on PostgreSQL (game_answers.store). The question comes from game_cache.question_at, read
    once per process."""
    if player.removed_at is not None:
        raise GameError("The host removed you from this game.")
    if game.state == "question" and game.question_deadline_at is not None \
            and not rules.accepts_answer(now, game.question_deadline_at):
        games.tick(game if isinstance(game, Game) else db.session.get(Game, game.id), now)  # close it now
        raise LateAnswer("Too late: time was up when your answer arrived, so it was not counted.")
    if game.state != "question" or index != game.question_index or game.question_deadline_at is None:
        existing = answer_of(player, index)  # a repeat after the close is still the first answer
        if existing is not None:
            return Stored(existing, False)
        message = ("The game is paused: answer when it resumes." if game.state == "paused" and index == game.question_index
                   else "Too late: this question is closed, so your answer was not counted.")
        raise LateAnswer(message)
    question = game_cache.question_at(game, index)
    assert question is not None
    try:
        response = QUESTION_TYPES[question.type].read_response(form, question.shown)
    except Unreadable as problem:
        raise AnswerUnreadable(problem.message, problem.field) from problem
    result = grade(question.type, question.data, response)
    elapsed = rules.elapsed_seconds(now, game.question_deadline_at, game.seconds_per_question)
    earned = rules.award(game.scoring, result.score, elapsed, game.seconds_per_question, player.streak)
    values = dict(game_id=game.id, player_id=player.id, question_index=index, question_id=question.id,
                  response=response, grade=result.score, points=earned.points, bonus=earned.bonus,
                  elapsed_ms=int(elapsed * 1000), answered_at=now)
    user_id, attempt_id = player.user_id, player.attempt_id  # (the commit expires them)
    answer_id = game_answers.store(values, earned.streak, connection)
    if answer_id is None:  # a double tap: the first one is in
        first = answer_of(player, index)
        assert first is not None
        return Stored(first, False)
    answer = GameAnswer(id=answer_id, **values)  # what was stored (not added to the session)
    _study(user_id, attempt_id, index, question.id, response, result.correct, now)
    # (when everyone has answered, the host's screen closes the question: games.answered_so_far)
    return Stored(answer, True)


@dataclass
class Answered:
    """An answer sent with a player's cookie: who sent it, and what became of it (stored, or
    refused with a GameError: late, unreadable, removed)."""

    game: SeatedGame
    player: SeatedPlayer
    stored: Stored | None
    refused: GameError | None


def answer(game_id: int, token: str | None, index: int, form: Form, now: datetime) -> Answered | None:
    """A phone's answer: the player found from the cookie's token, then submit(), on one
    connection (game_answers); None when no player of this game has this token."""
    with game_answers.connection() as conn:
        seated = game_answers.seat(game_id, token, conn)
        if seated is None:
            return None
        game, player = seated
        try:
            return Answered(game, player, submit(game, player, index, form, now, conn), None)
        except GameError as refused:
            return Answered(game, player, None, refused)


def _study(user_id: int | None, attempt_id: int | None, index: int, question_id: str, response: Any, correct: bool,
           now: datetime) -> None:
    """A signed-in player's answer also reviews their flashcard, and for a class assignment
    goes to its attempt (the gradebook). After the game's own commit: it never delays or
    loses the acknowledged answer."""
    if user_id is None:
        return
    attempt = db.session.get(Attempt, attempt_id) if attempt_id else None
    try:
        if attempt is not None and attempt.finished_at is None:
            quizzes.submit_answer(attempt, index, response, now)  # reviews the card too
        else:
            studying.record_quiz_answer(user_id, question_id, correct, now)
            db.session.commit()
    except (quizzes.QuizError, IntegrityError):
        db.session.rollback()


# --- the player's screen and the results ----------------------------------------------------

@dataclass
class PlayerRow:
    """One line of the results: the player, their rank, and their answers by question index."""

    player: GamePlayer
    rank: int | None
    answers: dict[int, GameAnswer]


def results(game: Game) -> list[PlayerRow]:
    """Every player (removed ones last, without a rank) with their answers."""
    ranks = {s.player_id: s.rank for s in games.standings(game)}
    answers: dict[int, dict[int, GameAnswer]] = {}
    for answer in db.session.scalars(select(GameAnswer).where(GameAnswer.game_id == game.id)):
        answers.setdefault(answer.player_id, {})[answer.question_index] = answer
    rows = [PlayerRow(p, ranks.get(p.id), answers.get(p.id, {})) for p in games.players_of(game, include_removed=True)]
    return sorted(rows, key=lambda r: (r.rank is None, r.rank or 0, r.player.nickname_key))


def results_csv(game: Game) -> str:
    """One row per player: rank, nickname, points, right answers, then points per question."""
    count = len(game.question_ids)
    header = ["rank", "nickname", "points", "right answers", *[f"Q{i + 1} points" for i in range(count)]]
    rows = []
    for row in results(game):
        right = sum(1 for a in row.answers.values() if rules.is_right(a.grade) and a.question_index not in game.skipped)
        rows.append([row.rank if row.rank is not None else "removed", row.player.nickname, row.player.score, right,
                     *[row.answers[i].points if i in row.answers else "" for i in range(count)]])
    return to_csv(header, rows)


@dataclass
class AnswerLine:
    """One question of a player's results: the question, their answer (or None), skipped or not."""

    number: int
    question: Question
    answer: GameAnswer | None
    skipped: bool


def results_of(game: Game, player: GamePlayer) -> list[AnswerLine]:
    """A player's answers to every question asked so far (the game's order)."""
    asked = game.question_ids[:game.question_index + 1] if game.state != "lobby" else []
    questions = {q.id: q for q in db.session.scalars(select(Question).where(Question.id.in_(asked)))}
    answers = {a.question_index: a for a in db.session.scalars(select(GameAnswer).where(
        GameAnswer.player_id == player.id))}
    return [AnswerLine(i + 1, questions[qid], answers.get(i), i in game.skipped)
            for i, qid in enumerate(asked) if qid in questions]


def player_in(game: Game, player_id: int) -> GamePlayer | None:
    player = db.session.get(GamePlayer, player_id)
    return player if player is not None and player.game_id == game.id else None
