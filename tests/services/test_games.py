"""Live games through the services: a whole game, scoring, deadlines, double taps from
real threads, skips, pauses, removals, the gradebook and flashcards, results."""
from __future__ import annotations

import random
import threading
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import pytest
from flask import Flask
from sqlalchemy import func, select

from quiz.domain.game import NicknameError
from quiz.domain.question_types import QUESTION_TYPES
from quiz.extensions import db
from quiz.models import Card, Game, GameAnswer, GamePlayer, Question, User
from quiz.services import game_cache, game_frames, game_players, games
from quiz.services.banks import sync_banks

from .test_bank_sync import EXAMPLES

T0 = datetime(2026, 12, 2, 10, 0, tzinfo=timezone.utc)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@pytest.fixture
def setup(app: Flask, create_user: Callable[..., User]) -> Callable[..., int]:
    """Factory: a game of the example bank's mcq/truefalse questions in its lobby; its id."""
    create_user("host@example.org", role="instructor")
    with app.app_context():
        sync_banks([EXAMPLES], T0)
        db.session.remove()

    def make(scoring: str = "speed_streak", seconds: int = 20, count: int = 3, **extra: Any) -> int:
        with app.app_context():
            host = db.session.scalar(select(User).where(User.email == "host@example.org"))
            bank_id = db.session.scalar(select(Question.bank_id).limit(1))
            settings = games.GameSettings(source="bank", bank_id=bank_id, count=count, seconds=seconds,
                                          scoring=scoring, **extra)
            game = games.create_game(host, settings, T0, random.Random(4))
            game_id = game.id
            db.session.remove()
            return game_id

    return make


def _right_form(game: Game) -> dict[str, list[str]]:
    """A form with the right answer to the current question, as a phone would send it."""
    question = game_cache.question_at(game, game.question_index)
    assert question is not None
    shown = question.shown
    data = question.data
    kind = question.type
    if kind == "mcq":
        return {"choice": [data["answer"]]}
    if kind == "multi":
        return {"choice": list(data["answers"])}
    if kind == "truefalse":
        return {"choice": ["true" if data["answer"] else "false"]}
    if kind == "short":
        return {"answer": [data["answer"]]}
    if kind == "number":
        return {"answer": [f"{data['answer']:g}"]}
    if kind == "order":
        order = [item["text"] for item in data["items"]]  # sorted by date: the right order
        return {f"pos-{i}": [str(order.index(t) + 1)] for i, t in enumerate(shown["items"])}
    if kind == "match":
        pairs = {p["left"]: p["right"] for p in data["pairs"]}
        return {f"match-{i}": [pairs[left]] for i, left in enumerate(shown["lefts"])}
    if kind == "date":
        parts = data["answer"].split("-")
        return {"year": [parts[0]], "month": [str(int(parts[1]))] if len(parts) > 1 else [],
                "day": [str(int(parts[2]))] if len(parts) > 2 else []}
    if kind == "cloze":
        return {f"gap-{i}": [gap[0]] for i, gap in enumerate(data["gaps"])}
    raise AssertionError(f"no right form for {kind}: {QUESTION_TYPES[kind].answer_text(data)}")


def _reveal(game: Game, now: datetime) -> game_frames.Reveal | None:
    """What the screens show as the reveal (None outside one: never the answer early)."""
    frame = game_frames.latest(game.id, now, (game.version, game.players_version))
    assert frame is not None
    return frame.reveal


def _wrong_form(game: Game) -> dict[str, list[str]]:
    question = game_cache.question_at(game, game.question_index)
    assert question is not None
    if question.type == "mcq":
        return {"choice": [question.data["distractors"][0]]}
    if question.type == "truefalse":
        return {"choice": ["false" if question.data["answer"] else "true"]}
    return {"answer": ["zzzz"], "choice": [], **{f"pos-{i}": ["1"] for i in range(8)}}


def test_a_whole_game_scores_speed_and_streaks_and_ends_on_the_podium(app: Flask, setup: Callable[..., int]) -> None:
    game_id = setup(types=None) if False else setup()
    with app.app_context():
        game = db.session.get(Game, game_id)
        awa, _ = game_players.join(game.pin, "Awa", None, T0)
        bintou, _ = game_players.join(game.pin, "Bintou", None, T0)
        assert games.snapshot(game, T0)["players"] == 2
        games.control(game, "start", game.version, at(1))
        assert game.state == "question" and game.question_index == 0
        # Awa answers right at once, Bintou wrong after 10 s
        first = game_players.submit(game, awa, 0, _right_form(game), at(1))
        assert first.first and first.answer.points == 1000
        game_players.submit(game, bintou, 0, _wrong_form(game), at(11))
        db.session.refresh(game)
        assert game.state == "question"  # an answer never counts the others…
        assert games.answered_so_far(game, at(11)) == 2  # …the host's screen does, every second:
        db.session.refresh(game)
        assert game.state == "reveal"  # everyone answered: the question closed without waiting
        reveal = _reveal(game, at(11))
        assert reveal is not None and reveal.answered == 2 and sum(b.count for b in reveal.bars) >= 2
        games.control(game, "next", game.version, at(12))
        # second question: Awa right after 10 of 20 s → 750 + streak bonus 100
        stored = game_players.submit(game, awa, 1, _right_form(game), at(22))
        assert (stored.answer.points, stored.answer.bonus) == (850, 100)
        # Bintou never answers: the deadline closes it (the server's clock), Bintou's streak is 0
        assert not games.tick(game, at(32.4))
        assert games.tick(game, at(33))
        db.session.refresh(game)
        assert game.state == "reveal"
        games.control(game, "next", game.version, at(40))
        games.control(game, "end", game.version, at(41))
        db.session.refresh(game)
        assert game.state == "ended"
        table = games.standings(game)
        assert [(s.nickname, s.score) for s in table] == [("Awa", 1850), ("Bintou", 0)]
        csv = game_players.results_csv(game)
        assert "Awa,1850,2,1000,850," in csv.replace("\r\n", "\n").split("\n")[1]


def test_an_answer_after_the_deadline_is_refused_and_nothing_is_stored(app: Flask, setup: Callable[..., int]) -> None:
    game_id = setup(seconds=10)
    with app.app_context():
        game = db.session.get(Game, game_id)
        player, _ = game_players.join(game.pin, "Late", None, T0)
        game_players.join(game.pin, "Other", None, T0)
        games.control(game, "start", game.version, at(0))
        assert game_players.submit(game, player, 0, _right_form(game), at(10.5)).first  # within the grace
        games.control(game, "next", game.version, at(11))  # close question 1
        games.control(game, "next", game.version, at(12))
        with pytest.raises(game_players.LateAnswer, match="Too late"):
            game_players.submit(game, player, 1, _right_form(game), at(22.6))
        with pytest.raises(game_players.LateAnswer):  # an earlier question's index is refused too
            game_players.submit(game, player, 0 + 5, _right_form(game), at(13))
        assert db.session.scalar(select(func.count()).select_from(GameAnswer).where(
            GameAnswer.player_id == player.id)) == 1


@pytest.mark.parametrize("way", ["submit", "answer"])
def test_a_double_tap_from_two_threads_counts_once(app: Flask, setup: Callable[..., int], way: str) -> None:
    """Through submit() (the session) and through answer() (a phone's request: on PostgreSQL one
    autocommit statement)."""
    game_id = setup()
    with app.app_context():
        game = db.session.get(Game, game_id)
        player, token = game_players.join(game.pin, "Tap", None, T0)
        game_players.join(game.pin, "Other", None, T0)
        games.control(game, "start", game.version, at(0))
        form = _right_form(game)
        player_id = player.id
        db.session.remove()
    barrier = threading.Barrier(4)
    outcomes: list[Any] = []

    def tap() -> None:
        with app.app_context():
            game = db.session.get(Game, game_id)
            me = db.session.get(GamePlayer, player_id)
            barrier.wait()
            try:
                if way == "submit":
                    outcomes.append(game_players.submit(game, me, 0, form, at(2)).first)
                else:
                    answered = game_players.answer(game_id, token, 0, form, at(2))
                    assert answered is not None and answered.stored is not None, answered
                    outcomes.append(answered.stored.first)
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                outcomes.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=tap) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes, key=str) == [False, False, False, True], outcomes  # all acknowledged, one stored
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(GameAnswer).where(
            GameAnswer.player_id == player_id)) == 1
        assert db.session.get(GamePlayer, player_id).score == 950  # 2 s of 20, counted once


def test_skip_takes_the_points_back_and_pause_keeps_the_time_left(app: Flask, setup: Callable[..., int]) -> None:
    game_id = setup(scoring="accuracy", seconds=20)
    with app.app_context():
        game = db.session.get(Game, game_id)
        player, _ = game_players.join(game.pin, "Sidi", None, T0)
        game_players.join(game.pin, "Other", None, T0)
        games.control(game, "start", game.version, at(0))
        game_players.submit(game, player, 0, _right_form(game), at(1))
        assert db.session.get(GamePlayer, player.id).score == 1000
        games.control(game, "skip", game.version, at(2))
        db.session.refresh(player)
        assert player.score == 0 and game.question_index == 1 and game.skipped == [0]
        games.control(game, "pause", game.version, at(5))  # 17 s left
        assert games.snapshot(game, at(100))["ms_left"] == 17000
        with pytest.raises(game_players.LateAnswer, match="paused"):
            game_players.submit(game, player, 1, _right_form(game), at(50))
        games.control(game, "resume", game.version, at(100))
        assert game.question_deadline_at == at(117)
        assert game_players.submit(game, player, 1, _right_form(game), at(116)).first


def test_a_stale_host_click_does_not_move_the_game_twice(app: Flask, setup: Callable[..., int]) -> None:
    game_id = setup()
    with app.app_context():
        game = db.session.get(Game, game_id)
        seen = game.version
        games.control(game, "start", seen, at(0))
        with pytest.raises(games.GameError, match="moved on"):
            games.control(game, "start", seen, at(0.1))
        assert game.question_index == 0


def test_nicknames_are_unique_and_blocked_names_stay_out(app: Flask, setup: Callable[..., int]) -> None:
    game_id = setup()
    with app.app_context():
        game = db.session.get(Game, game_id)
        troll, _ = game_players.join(game.pin, "Troll", None, T0)
        with pytest.raises(NicknameError, match="already called"):
            game_players.join(game.pin, "  tROLL ", None, T0)
        games.remove_player(game, troll.id, True, T0)
        with pytest.raises(NicknameError, match="not allowed"):
            game_players.join(game.pin, "troll", None, T0)
        with pytest.raises(NicknameError, match="not allowed"):
            game_players.join(game.pin, "fuck0ff", None, T0)
        with pytest.raises(games.GameError, match="No game"):
            game_players.join("000000", "Awa", None, T0)
        assert [p.nickname for p in games.players_of(game)] == []


def test_a_game_that_needs_an_account_refuses_visitors(app: Flask, setup: Callable[..., int]) -> None:
    game_id = setup(require_account=True)
    with app.app_context():
        game = db.session.get(Game, game_id)
        with pytest.raises(games.GameError, match="needs an account"):
            game_players.join(game.pin, "Awa", None, T0)


def test_a_signed_in_players_answers_update_their_flashcards(app: Flask, setup: Callable[..., int],
                                                              create_user: Callable[..., User]) -> None:
    learner = create_user("awa@example.org")
    game_id = setup()
    with app.app_context():
        game = db.session.get(Game, game_id)
        user = db.session.get(User, learner.id)
        player, _ = game_players.join(game.pin, "Awa", user, T0)
        game_players.join(game.pin, "Other", None, T0)
        games.control(game, "start", game.version, at(0))
        game_players.submit(game, player, 0, _right_form(game), at(1))
        card = db.session.scalar(select(Card).where(Card.user_id == learner.id))
        assert card is not None and card.question_id == game.question_ids[0] and card.reps == 1


def test_no_answer_is_revealed_before_the_reveal(app: Flask, setup: Callable[..., int]) -> None:
    game_id = setup()
    with app.app_context():
        game = db.session.get(Game, game_id)
        games.control(game, "start", game.version, at(0))
        assert _reveal(game, at(0)) is None
        games.control(game, "next", game.version, at(1))
        assert _reveal(game, at(1)) is not None


def test_every_playable_type_is_asked_and_graded_but_no_flashcard(app: Flask, setup: Callable[..., int]) -> None:
    game_id = setup(count=100, scoring="accuracy")
    with app.app_context():
        game = db.session.get(Game, game_id)
        kinds = {db.session.get(Question, qid).type for qid in game.question_ids}
        assert kinds == {"mcq", "multi", "truefalse", "short", "number", "date", "order", "match", "cloze"}
        player, _ = game_players.join(game.pin, "Awa", None, T0)
        games.control(game, "start", game.version, at(0))
        for index in range(len(game.question_ids)):
            moment = at(2 * index + 1)
            stored = game_players.submit(game, player, index, _right_form(game), moment)
            assert stored.answer.grade == 1.0, game_cache.question_at(game, index).type
            assert games.answered_so_far(game, moment) == 1
            assert game.state == "reveal"  # the only player answered
            games.control(game, "next", game.version, moment)
        assert game.state == "ended"
        assert db.session.get(GamePlayer, player.id).score == 1000 * len(game.question_ids)


def test_a_game_from_an_assignment_reaches_the_class_gradebook(app: Flask, setup: Callable[..., int],
                                                               create_user: Callable[..., User]) -> None:
    from quiz.services import assignments, classes

    student = create_user("student@example.org")
    outsider = create_user("outsider@example.org")
    setup()  # the host and the bank
    with app.app_context():
        host = db.session.scalar(select(User).where(User.email == "host@example.org"))
        classroom = classes.create_class(host, "History 9B", "", "UTC", T0, random.Random(1))
        me = db.session.get(User, student.id)
        classes.join(me, classroom.join_code, "Awa T.", T0)
        spec = assignments.AssignmentSpec(title="Mali quiz", bank_ids=["examples"], types=["mcq", "truefalse"],
                                          count=2)
        assignment = assignments.create_assignment(classroom, spec, host, T0, random.Random(2))
        game = games.create_game(host, games.GameSettings(source="assignment", assignment_id=assignment.id,
                                                          scoring="accuracy"), T0, random.Random(3))
        assert sorted(game.question_ids) == sorted(assignment.question_ids)
        player, _ = game_players.join(game.pin, "Awa", me, T0)
        stranger, _ = game_players.join(game.pin, "Zed", db.session.get(User, outsider.id), T0)
        assert player.attempt_id is not None and stranger.attempt_id is None  # only the class's students
        games.control(game, "start", game.version, at(0))
        game_players.submit(game, player, 0, _right_form(game), at(1))
        games.control(game, "end", game.version, at(2))
        cell = assignments.cells_for([assignment], [student.id], at(3))[(student.id, assignment.id)]
        assert cell.standing.score == 0.5  # one of two questions right; the unanswered one counts 0


def test_the_leaders_and_a_players_rank_match_the_full_standings(app: Flask, setup: Callable[..., int]) -> None:
    """The reveal's top 5, the podium and each phone's rank read only a few rows: they must show
    what the full standings show (ties share a rank, removed players have none)."""
    game_id = setup()
    with app.app_context():
        game = db.session.get(Game, game_id)
        assert game is not None
        assert games.leaders(game, 5) == []
        scores = {"Awa": 900, "Bintou": 500, "Cheick": 900, "Dado": 300, "Fanta": 900, "Issa": 0, "Kadi": 300,
                  "Lamine": 1000}
        players = {name: game_players.join(game.pin, name, None, T0)[0] for name in scores}
        for name, score in scores.items():
            players[name].score = score
        games.remove_player(game, players["Lamine"].id, False, at(1))  # the best score, but out of the game
        full = games.standings(game)
        assert [(s.rank, s.nickname) for s in full[:5]] == [
            (1, "Awa"), (1, "Cheick"), (1, "Fanta"), (4, "Bintou"), (5, "Dado")]
        for places in (1, 3, 4, 5, 7, 20):
            assert games.leaders(game, places) == full[:places]
        for name, player in players.items():
            expected = next((s for s in full if s.player_id == player.id), None)
            assert games.rank_of(game, player) == expected, name
        assert games.rank_of(game, players["Lamine"]) is None
