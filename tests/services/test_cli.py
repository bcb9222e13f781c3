"""The command line as an instructor or admin uses it."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from quiz.extensions import db
from quiz.models import Question, User

from .test_bank_sync import BANK, EXAMPLES


def test_check_lists_every_problem_and_exits_1(runner: FlaskCliRunner, write_bank: Callable[..., Path]) -> None:
    path = write_bank(BANK.replace("type: mcq", "type: mcqq").replace("paragraph: 2", "paragraph: two")
                      .replace("answer: 2014", "answer: 2014-02-30").replace("language: en", "language: e n")
                      .replace("prompt: Serval began in 2013.", 'prompt: " "'))
    result = runner.invoke(args=["banks", "check", str(path)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith(str(path))]
    assert [line.split(":")[1] for line in lines] == ["3", "8", "16", "19", "23"]
    assert "5 problems in 1 file." in result.output


def test_check_counts_per_bank_type_and_tag(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["banks", "check", str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    assert "examples: 10 questions" in result.output
    assert "card 1, cloze 1, date 1, match 1, mcq 1, multi 1, number 1, order 1, short 1, truefalse 1" in result.output
    assert "examples 10" in result.output
    assert "OK: 1 bank, 10 questions, no problems." in result.output


def test_sync_prints_counts_and_refuses_bad_banks(app: Flask, runner: FlaskCliRunner,
                                                  write_bank: Callable[..., Path]) -> None:
    path = write_bank(BANK)
    result = runner.invoke(args=["banks", "sync", str(path)])
    assert result.output.strip() == "added 3, updated 0, retired 0, unchanged 0"
    path.write_text(BANK.replace("Which town fell first?", "").replace("Serval began", "Serval started"))
    result = runner.invoke(args=["banks", "sync", str(path)])
    assert result.exit_code == 1
    assert "'prompt' is empty" in result.output and "Nothing was changed" in result.output
    with app.app_context():
        assert db.session.get(Question, "s-serval").prompt == "Serval began in 2013."  # type: ignore[union-attr]


def test_export_jsonl_one_object_per_active_question(runner: FlaskCliRunner) -> None:
    runner.invoke(args=["banks", "sync", str(EXAMPLES)])
    result = runner.invoke(args=["banks", "export", "--format", "jsonl", "--bank", "examples"])
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.output.splitlines()]
    assert len(records) == 10
    for record in records:
        assert {"id", "bank", "type", "prompt", "answer", "explanation", "source", "tags"} <= set(record)
        assert {"id", "title", "paragraph"} <= set(record["source"])
    missing = runner.invoke(args=["banks", "export", "--bank", "nope"])
    assert missing.exit_code != 0 and "there is no bank 'nope'" in missing.output


def test_users_create_with_role(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["users", "create", "--role", "instructor", "Teach@Example.org"],
                           input="s3cret-pass\ns3cret-pass\n")
    assert result.exit_code == 0, result.output
    assert "created instructor teach@example.org" in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "teach@example.org"))
        assert user is not None and user.role == "instructor" and user.password_hash != "s3cret-pass"
    again = runner.invoke(args=["users", "create", "teach@example.org", "--password", "another-pass"])
    assert again.exit_code == 1 and "already exists" in again.output
    short = runner.invoke(args=["users", "create", "x@example.org", "--password", "short"])
    assert short.exit_code == 1 and "at least 8 characters" in short.output


def test_sync_and_check_name_the_bank_that_has_the_question_already(
        app: Flask, runner: FlaskCliRunner, write_bank: Callable[..., Path]) -> None:
    runner.invoke(args=["banks", "sync", str(EXAMPLES)])
    thief = write_bank(BANK.replace("id: small", "id: thief").replace("id: s-konna", "id: ex-mcq"))
    for command in ("check", "sync"):
        result = runner.invoke(args=["banks", command, str(thief)])
        assert result.exit_code == 1, result.output
        assert (f"{thief}:7:5: the question id 'ex-mcq' is already used by the bank 'examples' "
                f"(also at {EXAMPLES}:23:5)") in result.output
    assert "Nothing was changed in the database." in result.output
    with app.app_context():
        question = db.session.get(Question, "ex-mcq")
        assert question is not None and question.bank_id == "examples"


@pytest.mark.parametrize("args", [
    ["banks", "export"], ["banks", "sync", str(EXAMPLES)], ["users", "create", "a@example.org", "--password", "long-enough"],
    ["users", "set-role", "a@example.org", "admin"], ["srs", "optimize"],
])
def test_commands_on_a_database_never_migrated_say_what_to_run(app: Flask, runner: FlaskCliRunner,
                                                              args: list[str]) -> None:
    with app.app_context():
        db.drop_all()
    result = runner.invoke(args=args)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: the database has no tables yet: run `flask --app wsgi db upgrade` first"]


def test_check_works_without_a_migrated_database(app: Flask, runner: FlaskCliRunner) -> None:
    with app.app_context():
        db.drop_all()
    result = runner.invoke(args=["banks", "check", str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    assert "OK: 1 bank, 10 questions, no problems." in result.output
