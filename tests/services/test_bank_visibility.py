"""A private web bank stays with its authors: not listed, quizzed, studied, searched or assigned
by anyone else; "my classes" opens it to the owner's classes; drafts are never seen."""
from __future__ import annotations

import random
from datetime import datetime, timezone

import pytest
from flask import Flask
from sqlalchemy import select

from quiz.extensions import db
from quiz.models import User
from quiz.services import accounts, assignments, authoring, catalog, classes, quizzes, sharing, studying
from quiz.services.banks import sync_banks

from .test_authoring import WEB
from .test_bank_sync import EXAMPLES

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)
WEB_IDS = {"w-konna", "w-serval", "w-year"}


def _user(email: str) -> User:
    return db.session.scalars(select(User).where(User.email == email)).one()


@pytest.fixture
def world(app: Flask) -> None:
    with app.app_context():
        sync_banks([EXAMPLES], NOW)
        owner = accounts.create_user("owner@example.org", "password123", "instructor")
        accounts.create_user("other@example.org", "password123", "instructor")
        accounts.create_user("learner@example.org", "password123")
        authoring.create_draft_bank(owner, WEB, NOW)
        authoring.publish(owner, "web-small", NOW)


def _quiz_ids(user: User) -> set[str]:
    request = quizzes.QuizRequest(bank_ids=[], tags=[], types=[], count=50)
    return set(quizzes.start_quiz(user, request, NOW, random.Random(1)).question_ids)


def _new_cards(user: User) -> set[str]:
    """Question ids the learner's "all banks" study session would offer, one per grade."""
    deck = studying.Deck(viewer_id=user.id)
    card = studying.next_card(user.id, deck, NOW)
    return {card.question.id} if card is not None else set()


def test_a_private_bank_is_nobody_elses(app: Flask, world: None) -> None:
    with app.app_context():
        owner, other, learner = (_user(f"{n}@example.org") for n in ("owner", "other", "learner"))
        assert "web-small" in {s.bank.id for s in catalog.list_banks(viewer=owner)}
        for user in (other, learner, None):
            assert "web-small" not in {s.bank.id for s in catalog.list_banks(viewer=user)}
            assert catalog.get_bank("web-small", user) is None
        assert WEB_IDS & _quiz_ids(owner)
        assert not WEB_IDS & _quiz_ids(learner)
        assert not WEB_IDS & {q.id for q in assignments.search_questions("w-", viewer=other)}
        assert WEB_IDS <= {q.id for q in assignments.search_questions("w-", viewer=owner)}
        room = classes.create_class(other, "B", "", "UTC", NOW, random.Random(2))
        with pytest.raises(assignments.AssignmentError):
            assignments.create_assignment(room, assignments.AssignmentSpec(title="x", bank_ids=["web-small"]),
                                          other, NOW, random.Random(3))
        everything = assignments.create_assignment(room, assignments.AssignmentSpec(title="all", count=500),
                                                   other, NOW, random.Random(3))
        assert not WEB_IDS & set(everything.question_ids or [])


def test_my_classes_opens_it_to_the_owners_students_only(app: Flask, world: None) -> None:
    with app.app_context():
        owner, other, learner = (_user(f"{n}@example.org") for n in ("owner", "other", "learner"))
        sharing.set_visibility(owner, "web-small", "classes")
        assert not sharing.can_view(learner, "web-small")
        room = classes.create_class(owner, "A", "", "UTC", NOW, random.Random(2))
        classes.join(learner, room.join_code, "Lea", NOW)
        assert sharing.can_view(learner, "web-small") and not sharing.can_view(other, "web-small")
        assert WEB_IDS & _quiz_ids(learner)
        work = assignments.create_assignment(room, assignments.AssignmentSpec(
            title="web", bank_ids=["web-small"], count=3, same_set=False), owner, NOW, random.Random(3))
        attempt = assignments.start_attempt(learner, work, NOW, random.Random(4))
        assert set(attempt.question_ids) == WEB_IDS


def test_drafts_are_never_seen_and_admins_see_everything(app: Flask, world: None) -> None:
    with app.app_context():
        owner = _user("owner@example.org")
        admin = accounts.create_user("admin@example.org", "password123", "admin")
        sharing.set_visibility(owner, "web-small", "public")
        authoring.save_draft(owner, "web-small", WEB.replace("Which town fell first?", "DRAFT ONLY"), NOW)
        learner = _user("learner@example.org")
        assert sharing.can_view(learner, "web-small") and sharing.can_view(admin, "web-small")
        prompts = {q.prompt for q in catalog.bank_questions("web-small")}
        assert "DRAFT ONLY" not in prompts and "Which town fell first?" in prompts
        assert "web-small" in {s.bank.id for s in catalog.list_banks(viewer=None)}
        sharing.set_visibility(owner, "web-small", "private")
        assert "web-small" in {s.bank.id for s in catalog.list_banks(viewer=admin)}


def test_studying_all_banks_skips_banks_the_learner_may_not_see(app: Flask, world: None) -> None:
    with app.app_context():
        learner = _user("learner@example.org")
        deck = studying.Deck(viewer_id=learner.id, bank_id="web-small")
        assert studying.next_card(learner.id, deck, NOW) is None
        owner = _user("owner@example.org")
        assert studying.next_card(owner.id, studying.Deck(viewer_id=owner.id, bank_id="web-small"), NOW) is not None


# a private web bank whose every question carries a tag no other bank has
SECRET = (WEB.replace("id: web-small", "id: web-secret").replace("id: w-", "id: ws-")
          .replace("language: en\n", "language: en\ntags: [operation-lantern]\n"))


def test_the_quiz_filter_lists_only_tags_and_types_of_banks_the_viewer_may_see(app: Flask) -> None:
    with app.app_context():
        owner = accounts.create_user("owner@example.org", "password123", "instructor")
        other = accounts.create_user("other@example.org", "password123", "instructor")
        learner = accounts.create_user("learner@example.org", "password123")
        admin = accounts.create_user("admin@example.org", "password123", "admin")
        assert authoring.create_draft_bank(owner, SECRET, NOW) == ("web-secret", [])
        assert authoring.publish(owner, "web-secret", NOW).version is not None
        theirs = {"tags": ["operation-lantern"], "types": ["date", "mcq", "truefalse"]}
        assert quizzes.quiz_options(viewer=owner) == quizzes.quiz_options(viewer=admin) == theirs
        for user in (other, learner, None):
            assert quizzes.quiz_options(viewer=user) == {"tags": [], "types": []}
        sharing.set_visibility(owner, "web-secret", "public")
        assert quizzes.quiz_options(viewer=learner) == quizzes.quiz_options() == theirs


def test_a_host_plays_their_own_private_bank_and_nobody_elses(app: Flask, world: None) -> None:
    from quiz.services import games

    settings = games.GameSettings(source="bank", bank_id="web-small", count=3)
    with app.app_context():
        game = games.create_game(_user("owner@example.org"), settings, NOW, random.Random(1))
        assert set(game.question_ids) <= WEB_IDS and game.question_ids
        assert "web-small" in {s.bank.id for s in catalog.list_banks(viewer=_user("owner@example.org"))}
        with pytest.raises(games.GameError):  # its id posted by another instructor: no question of it
            games.create_game(_user("other@example.org"), settings, NOW, random.Random(1))
