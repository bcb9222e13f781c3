"""Syncing banks into the database: idempotent, keyed by id, all or nothing."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

import pytest
from flask import Flask
from sqlalchemy import func, select

from quiz.domain.banks import QuestionSpec, read_bank
from quiz.domain.problems import BankError
from quiz.extensions import db
from quiz.models import Bank, Card, Question, User
from quiz.services.banks import export_questions, load_banks, sync_banks

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "questions" / "examples" / "every-type.yaml"
NOW = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)

BANK = """\
id: small
title: Small bank
language: en
sources:
  s1: {title: An article, publisher: A paper, date: 2013-01-12}
questions:
  - id: s-konna
    type: mcq
    prompt: Which town fell first?
    answer: Konna
    distractors: [Gao, Kidal]
    explanation: It was closest to the front.
    source: {id: s1, paragraph: 1}
  - id: s-serval
    type: truefalse
    prompt: Serval began in 2013.
    answer: true
    explanation: In January.
    source: {id: s1, paragraph: 2}
  - id: s-year
    type: date
    prompt: In which year did Barkhane begin?
    answer: 2014
    explanation: It replaced Serval.
    source: {id: s1, paragraph: 3}
"""


def active_ids() -> set[str]:
    return set(db.session.scalars(select(Question.id).where(Question.retired_at.is_(None))))


def test_sync_is_idempotent(app: Flask, write_bank: Callable[..., Path]) -> None:
    path = write_bank(BANK)
    with app.app_context():
        first = sync_banks([path], NOW)
        assert sorted(first.added) == ["s-konna", "s-serval", "s-year"]
        stamps = dict(db.session.execute(select(Question.id, Question.updated_at)).all())
        second = sync_banks([path], NOW + timedelta(hours=1))
        assert (second.added, second.updated, second.retired) == ([], [], [])
        assert sorted(second.unchanged) == ["s-konna", "s-serval", "s-year"]
        assert dict(db.session.execute(select(Question.id, Question.updated_at)).all()) == stamps
        assert db.session.scalar(select(func.count()).select_from(Question)) == 3


def test_edited_question_is_updated_in_place_and_progress_kept(app: Flask, write_bank: Callable[..., Path]) -> None:
    path = write_bank(BANK)
    with app.app_context():
        sync_banks([path], NOW)
        learner = User(email="l@example.org", role="learner")
        db.session.add(learner)
        db.session.flush()
        db.session.add(Card(user_id=learner.id, question_id="s-konna", reps=4, state={"stability": 3.2}))
        db.session.commit()

        path.write_text(BANK.replace("Which town fell first?", "Which town did the jihadists take first?"))
        report = sync_banks([path], NOW + timedelta(days=1))
        assert report.updated == ["s-konna"]
        assert sorted(report.unchanged) == ["s-serval", "s-year"]
        question = db.session.get(Question, "s-konna")
        assert question is not None and question.prompt == "Which town did the jihadists take first?"
        card = db.session.scalar(select(Card).where(Card.question_id == "s-konna"))
        assert card is not None and card.reps == 4 and card.state == {"stability": 3.2}


def test_removed_question_is_retired_and_comes_back(app: Flask, write_bank: Callable[..., Path]) -> None:
    path = write_bank(BANK)
    without_year = BANK[:BANK.index("  - id: s-year")]
    with app.app_context():
        sync_banks([path], NOW)
        path.write_text(without_year)
        report = sync_banks([path], NOW + timedelta(days=1))
        assert report.retired == ["s-year"]
        assert active_ids() == {"s-konna", "s-serval"}
        retired = db.session.get(Question, "s-year")
        assert retired is not None and retired.retired_at == NOW + timedelta(days=1)
        path.write_text(BANK)
        report = sync_banks([path], NOW + timedelta(days=2))
        assert report.updated == ["s-year"] and active_ids() == {"s-konna", "s-serval", "s-year"}


def test_a_bank_with_an_error_changes_nothing(app: Flask, write_bank: Callable[..., Path]) -> None:
    good = write_bank(BANK, "good.yaml")
    with app.app_context():
        sync_banks([good], NOW)
        before = {q.id: q.prompt for q in db.session.scalars(select(Question))}
        good.write_text(BANK.replace("Which town fell first?", "Changed prompt?"))
        write_bank(BANK.replace("id: small", "id: other").replace("s-", "o-").replace("type: mcq", "type: mqc"),
                   "broken.yaml")
        with pytest.raises(BankError) as error:
            sync_banks([good.parent], NOW + timedelta(days=1))
        assert any("broken.yaml" in p.path and "unknown question type" in p.message for p in error.value.problems)
        assert {q.id: q.prompt for q in db.session.scalars(select(Question))} == before
        assert db.session.get(Bank, "other") is None


def test_duplicate_ids_across_files_name_both_places(write_bank: Callable[..., Path]) -> None:
    first = write_bank(BANK, "a.yaml")
    second = write_bank(BANK.replace("id: small", "id: small-two"), "b.yaml")
    with pytest.raises(BankError) as error:
        load_banks([first.parent])
    messages = [str(p) for p in error.value.problems]
    assert f"{second}:7:5: duplicate question id 's-konna' (also at {first}:7:5)" in messages
    assert len(messages) == 3


def test_bank_file_removed_from_synced_folder_is_retired(app: Flask, write_bank: Callable[..., Path]) -> None:
    keep = write_bank(BANK, "keep.yaml")
    gone = write_bank(BANK.replace("id: small", "id: gone").replace("s-", "g-"), "gone.yaml")
    with app.app_context():
        sync_banks([keep.parent], NOW)
        gone.unlink()
        report = sync_banks([keep.parent], NOW + timedelta(days=1))
        assert sorted(report.retired) == ["g-konna", "g-serval", "g-year"]
        bank = db.session.get(Bank, "gone")
        assert bank is not None and bank.retired_at is not None


def test_export_round_trip_matches_the_yaml(app: Flask) -> None:
    bank, problems = read_bank(str(EXAMPLES), EXAMPLES.read_bytes())
    assert bank is not None and not problems
    with app.app_context():
        sync_banks([EXAMPLES], NOW)
        records = [json.loads(json.dumps(r)) for r in export_questions("examples")]
    assert [r["id"] for r in records] == [q.id for q in bank.questions]
    for record, spec in zip(records, bank.questions):
        rebuilt = QuestionSpec(record["id"], record["type"], record["prompt"], record["data"],
                               record["explanation"], record["source"]["id"], record["source"]["paragraph"],
                               record["tags"], record["difficulty"])
        assert rebuilt.content_hash() == spec.content_hash(), record["id"]
        assert record["bank"] == "examples"
        assert record["source"]["title"] == bank.sources[spec.source_id].title
    by_id = {r["id"]: r for r in records}
    assert by_id["ex-mcq"]["answer"] == "Konna"
    assert by_id["ex-mcq"]["distractors"] == ["Gao", "Kidal", "Tessalit"]
    assert sorted(by_id["ex-mcq"]["options"]) == ["Gao", "Kidal", "Konna", "Tessalit"]
    assert by_id["ex-order"]["answer"][0] == "Jihadist groups seize Konna"
    assert by_id["ex-match"]["answer"]["Serval"].startswith("The 2013 intervention")
    assert by_id["ex-cloze"]["answer"] == ["Serval", "Barkhane"]


def test_single_file_sync_cannot_take_over_another_banks_question(app: Flask, write_bank: Callable[..., Path]) -> None:
    thief = write_bank(BANK.replace("id: small", "id: thief").replace("id: s-konna", "id: ex-mcq"), "thief.yaml")
    with app.app_context():
        sync_banks([EXAMPLES], NOW)
        before = {q.id: (q.bank_id, q.prompt, q.content_hash) for q in db.session.scalars(select(Question))}
        with pytest.raises(BankError) as error:
            sync_banks([thief], NOW + timedelta(days=1))
        assert [str(p) for p in error.value.problems] == [
            f"{thief}:7:5: the question id 'ex-mcq' is already used by the bank 'examples' (also at {EXAMPLES}:23:5); "
            "question ids are unique across all banks — give this question another id"]
        assert {q.id: (q.bank_id, q.prompt, q.content_hash) for q in db.session.scalars(select(Question))} == before
        assert db.session.get(Bank, "thief") is None
        assert len(active_ids()) == 10


def test_a_clash_with_a_bank_only_in_the_database_names_the_bank(app: Flask, write_bank: Callable[..., Path]) -> None:
    first = write_bank(BANK, "first.yaml")
    with app.app_context():
        sync_banks([first], NOW)
        first.unlink()
        second = write_bank(BANK.replace("id: small", "id: second").replace("s-serval", "x-serval")
                            .replace("s-year", "x-year"), "second.yaml")
        with pytest.raises(BankError) as error:
            sync_banks([second], NOW)
        assert [str(p) for p in error.value.problems] == [
            f"{second}:7:5: the question id 's-konna' is already used by the bank 'small' "
            "(also at the bank 'small' in the database); "
            "question ids are unique across all banks — give this question another id"]
        question = db.session.get(Question, "s-konna")
        assert question is not None and question.bank_id == "small"


def test_a_question_moves_between_banks_synced_together(app: Flask, write_bank: Callable[..., Path]) -> None:
    without_year = BANK[:BANK.index("  - id: s-year")]
    year = BANK[BANK.index("  - id: s-year"):]
    first = write_bank(BANK, "first.yaml")
    other = BANK.replace("id: small", "id: other").replace("s-konna", "o-konna").replace("s-serval", "o-serval")
    with app.app_context():
        sync_banks([first.parent], NOW)
        first.write_text(without_year)
        write_bank(other[:other.index("  - id: s-year")] + year, "other.yaml")
        report = sync_banks([first.parent], NOW + timedelta(days=1))
        assert report.updated == ["s-year"] and report.retired == []
        question = db.session.get(Question, "s-year")
        assert question is not None and question.bank_id == "other" and question.retired_at is None


def test_sync_of_a_large_bank_writes_in_a_few_statements(app: Flask, write_bank: Callable[..., Path]) -> None:
    """Bulk inserts and updates: the number of statements does not grow with the questions."""
    from sqlalchemy import event

    head, body = BANK[:BANK.index("  - id: s-konna")], BANK[BANK.index("  - id: s-konna"):]
    path = write_bank(head + "".join(body.replace("id: s-", f"id: s{n}-") for n in range(300)))
    statements: list[str] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
        sync_banks([path], NOW)
        added = len(statements)
        path.write_text(path.read_text().replace("It was closest to the front.", "It was nearest."))
        report = sync_banks([path], NOW + timedelta(days=1))
        assert len(report.updated) == 300 and len(report.unchanged) == 600
        updated = len(statements) - added
        assert db.session.scalar(select(func.count()).select_from(Question)) == 900
        assert db.session.get(Question, "s7-konna").explanation == "It was nearest."  # type: ignore[union-attr]
    # one executemany counts once; SQLite may split a big INSERT into batches of rows
    assert added < 60 and updated < 60, (added, updated)
