"""Web banks: drafts, the full check, publishing into the same tables as files, versions,
restore, delete, and who may do what."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

import pytest
from flask import Flask
from sqlalchemy import select

from quiz.domain.bank_versions import skeleton
from quiz.extensions import db
from quiz.models import Bank, Question, User
from quiz.services import authoring
from quiz.services.banks import sync_banks

from .test_bank_sync import BANK, EXAMPLES

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)
WEB = BANK.replace("id: small", "id: web-small").replace("id: s-", "id: w-")


@pytest.fixture
def users(app: Flask, create_user: Callable[..., User]) -> dict[str, User]:
    return {"owner": create_user("owner@example.org", role="instructor"),
            "other": create_user("other@example.org", role="instructor"),
            "learner": create_user("learner@example.org"),
            "admin": create_user("admin@example.org", role="admin")}


def _user(email: str) -> User:
    return db.session.scalars(select(User).where(User.email == email)).one()


def test_a_new_draft_bank_is_private_to_its_owner_until_published(app: Flask, users: dict[str, User]) -> None:
    with app.app_context():
        owner = _user("owner@example.org")
        bank_id, problems = authoring.create_draft_bank(owner, WEB, NOW)
        assert (bank_id, problems) == ("web-small", [])
        assert authoring.draft_text("web-small") == WEB
        assert authoring.can_edit(owner, "web-small") and authoring.can_view(owner, "web-small")
        assert not authoring.can_edit(_user("other@example.org"), "web-small")
        assert not authoring.can_view(_user("learner@example.org"), "web-small")
        assert db.session.get(Bank, "web-small") is None  # nothing published yet


def test_a_draft_keeps_its_problems_with_file_line_and_column(app: Flask, users: dict[str, User]) -> None:
    with app.app_context():
        owner = _user("owner@example.org")
        authoring.create_draft_bank(owner, WEB, NOW)
        broken = WEB.replace("type: truefalse", "type: trufalse")
        problems = authoring.save_draft(owner, "web-small", broken, NOW)
        assert [str(p).split(": ", 1)[0] for p in problems] == ["web-small.yaml:15:11"]
        assert "did you mean 'truefalse'" in problems[0].message
        assert authoring.draft_text("web-small") == broken  # saved even though broken
        refused = authoring.publish(owner, "web-small", NOW)
        assert refused.version is None and refused.problems == problems
        assert db.session.get(Bank, "web-small") is None


def test_taken_ids_are_refused(app: Flask, users: dict[str, User]) -> None:
    with app.app_context():
        sync_banks([EXAMPLES], NOW)
        owner = _user("owner@example.org")
        bank_id, problems = authoring.create_draft_bank(owner, WEB.replace("id: web-small", "id: examples"), NOW)
        assert bank_id is None and "already used" in problems[0].message
        authoring.create_draft_bank(owner, WEB, NOW)
        clash = authoring.check_draft("web-small", WEB.replace("id: w-konna", "id: ex-mcq"))
        assert len(clash) == 1 and "'ex-mcq' is already used by the bank 'examples'" in clash[0].message
        renamed = authoring.check_draft("web-small", WEB.replace("id: web-small", "id: other"))
        assert "must stay 'web-small'" in renamed[0].message


def test_learners_cannot_write_banks(app: Flask, users: dict[str, User]) -> None:
    with app.app_context():
        with pytest.raises(authoring.AuthoringError):
            authoring.create_draft_bank(_user("learner@example.org"), WEB, NOW)
        authoring.create_draft_bank(_user("owner@example.org"), WEB, NOW)
        with pytest.raises(authoring.AuthoringError):
            authoring.save_draft(_user("other@example.org"), "web-small", "x", NOW)
        assert authoring.draft_text("web-small") == WEB


def test_publishing_writes_questions_like_a_sync_and_records_versions(app: Flask, users: dict[str, User]) -> None:
    with app.app_context():
        owner = _user("owner@example.org")
        authoring.create_draft_bank(owner, WEB, NOW)
        first = authoring.publish(owner, "web-small", NOW)
        assert first.version is not None and first.version.number == 1
        assert first.version.changes["added"] == ["w-konna", "w-serval", "w-year"]
        bank = db.session.get(Bank, "web-small")
        assert bank is not None and bank.origin == "web" and bank.path == "web-small.yaml"
        assert [q.id for q in bank.questions] == ["w-konna", "w-serval", "w-year"]
        edited = WEB.replace("answer: Konna", "answer: Gao").replace("distractors: [Gao, Kidal]",
                                                                      "distractors: [Konna, Kidal]")
        edited = edited[:edited.index("  - id: w-year")]
        authoring.save_draft(owner, "web-small", edited, NOW + timedelta(hours=1))
        second = authoring.publish(owner, "web-small", NOW + timedelta(hours=1), note="fix")
        assert second.version is not None and second.version.number == 2
        assert second.version.changes["changed"] == ["w-konna"]
        assert second.version.changes["removed"] == ["w-year"]
        assert second.version.changes["key_changed"] == ["w-konna"]
        assert db.session.get(Question, "w-year").retired_at is not None
        assert db.session.get(Question, "w-konna").data["answer"] == "Gao"
        again = authoring.publish(owner, "web-small", NOW + timedelta(hours=2))
        assert again.version is None and "nothing to publish" in again.problems[0].message
        restored = authoring.restore(owner, "web-small", 1, NOW + timedelta(hours=3))
        assert restored.version is not None and restored.version.number == 3
        assert authoring.draft_text("web-small") == WEB
        assert db.session.get(Question, "w-year").retired_at is None
        assert [v.number for v in authoring.versions("web-small")] == [1, 2, 3]


def test_a_file_sync_leaves_web_banks_alone(app: Flask, users: dict[str, User], write_bank: Callable[..., Path]) -> None:
    with app.app_context():
        owner = _user("owner@example.org")
        authoring.create_draft_bank(owner, WEB, NOW)
        authoring.publish(owner, "web-small", NOW)
        folder = write_bank(BANK).parent
        report = sync_banks([folder], NOW + timedelta(hours=1))
        assert report.retired == []
        assert db.session.get(Bank, "web-small").retired_at is None


def test_the_skeleton_is_a_valid_bank(app: Flask, users: dict[str, User]) -> None:
    with app.app_context():
        text = skeleton("my-bank", 'Rivers "and" lakes: a: b')
        bank_id, problems = authoring.create_draft_bank(_user("owner@example.org"), text, NOW)
        assert (bank_id, problems) == ("my-bank", [])


def test_only_the_owner_deletes_and_published_questions_retire(app: Flask, users: dict[str, User]) -> None:
    with app.app_context():
        owner = _user("owner@example.org")
        authoring.create_draft_bank(owner, WEB, NOW)
        authoring.publish(owner, "web-small", NOW)
        with pytest.raises(authoring.AuthoringError):
            authoring.delete_bank(_user("other@example.org"), "web-small", NOW)
        authoring.delete_bank(owner, "web-small", NOW)
        assert db.session.get(Bank, "web-small").retired_at is not None
        assert db.session.get(Question, "w-konna").retired_at is not None
        assert authoring.my_banks(owner) == []
