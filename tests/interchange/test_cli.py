"""`flask banks import` and `flask banks export --format …`."""
from __future__ import annotations

import zipfile
from pathlib import Path

from flask.testing import FlaskCliRunner

from quiz.domain.banks import read_bank

from .conftest import EVERY_TYPE, bank


def test_import_csv_writes_a_bank_that_banks_check_accepts(runner: FlaskCliRunner, tmp_path: Path) -> None:
    source = tmp_path / "Mali quiz.csv"
    source.write_text("type,prompt,answer,distractors,explanation\n"
                      "mcq,Which town fell?,Konna,Gao | Kidal,It opened the road south.\n"
                      "card,MINUSMA,The UN mission,,Set up in 2013.\n", encoding="utf-8")
    out = tmp_path / "mali.yaml"
    result = runner.invoke(args=["banks", "import", str(source), "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}: 2 questions, 0 skipped, 0 problems." in result.output
    spec, problems = read_bank(str(out), out.read_bytes())
    assert problems == [] and spec is not None and spec.id == "mali-quiz"
    check = runner.invoke(args=["banks", "check", str(out)])
    assert check.exit_code == 0, check.output


def test_import_lists_problems_and_skipped_rows_with_their_place(runner: FlaskCliRunner, tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text("type,prompt,answer,tolerance,explanation\n"
                      "number,How many?,3,lots,e\n"
                      "essay,Write about it,,,\n", encoding="utf-8")
    out = tmp_path / "bad.yaml"
    result = runner.invoke(args=["banks", "import", str(source), "--format", "csv", "-o", str(out)])
    assert result.exit_code == 1
    assert f"{source}:2:4: 'tolerance' should be a number" in result.output
    assert f"{source}:3:1: skipped an essay" in result.output
    assert "1 question, 1 skipped, 1 problem; fix them" in result.output
    assert out.exists()  # nothing is lost: the bank is written for fixing


def test_import_quizlet_with_a_chosen_separator(runner: FlaskCliRunner, tmp_path: Path) -> None:
    source = tmp_path / "deck.txt"
    source.write_text("Serval, the 2013 operation\nMINUSMA, the UN mission\n", encoding="utf-8")
    result = runner.invoke(args=["banks", "import", str(source), "--format", "quizlet", "--separator", "comma",
                                 "--bank-id", "deck", "--title", "My deck"])
    assert result.exit_code == 0, result.output
    assert "id: deck\ntitle: My deck\n" in result.output and "back: the UN mission" in result.output
    wrong = runner.invoke(args=["banks", "import", str(source), "--format", "quizlet"])
    assert wrong.exit_code == 1 and f"{source}:1:1: no line has a tab" in wrong.output


def test_export_every_format_of_a_synced_bank(runner: FlaskCliRunner, tmp_path: Path) -> None:
    assert runner.invoke(args=["banks", "sync", str(EVERY_TYPE)]).exit_code == 0
    original = bank(EVERY_TYPE)
    written = {}
    for fmt in ("yaml", "csv", "apkg", "qti"):
        out = tmp_path / f"examples.{fmt}"
        result = runner.invoke(args=["banks", "export", "--format", fmt, "--bank", "examples", "-o", str(out)])
        assert result.exit_code == 0, result.output
        written[fmt] = out
    again, problems = read_bank("examples.yaml", written["yaml"].read_bytes())
    assert problems == [] and again is not None
    assert [q.content() for q in again.questions] == [q.content() for q in original.questions]
    back = runner.invoke(args=["banks", "import", str(written["csv"]), "--format", "csv", "--bank-id", "examples"])
    assert back.exit_code == 0, back.output
    assert zipfile.is_zipfile(written["apkg"]) and zipfile.is_zipfile(written["qti"])
    qti = runner.invoke(args=["banks", "export", "--format", "qti", "--bank", "examples", "-o", str(written["qti"])])
    assert "left out ex-card: a flashcard" in qti.output and "(9 questions, 1 left out)" in qti.output


def test_gift_export_counts_the_questions_written_and_names_those_left_out(runner: FlaskCliRunner,
                                                                          tmp_path: Path) -> None:
    assert runner.invoke(args=["banks", "sync", str(EVERY_TYPE)]).exit_code == 0
    out = tmp_path / "examples.gift.txt"
    result = runner.invoke(args=["banks", "export", "--format", "gift", "--bank", "examples", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "(7 questions, 3 left out)" in result.output
    for left_out in ("ex-date: a date to the month or day", "ex-cloze: a cloze with 2 gaps", "ex-card: a flashcard"):
        assert f"left out {left_out}" in result.output
    assert out.read_text().count("\n// [id:") == 7


def test_export_refusals(runner: FlaskCliRunner) -> None:
    assert runner.invoke(args=["banks", "sync", str(EVERY_TYPE)]).exit_code == 0
    binary = runner.invoke(args=["banks", "export", "--format", "apkg", "--bank", "examples"])
    assert binary.exit_code == 2 and "write it to a file with -o examples.apkg" in binary.output
    no_bank = runner.invoke(args=["banks", "export", "--format", "csv"])
    assert no_bank.exit_code == 2 and "name it with --bank ID" in no_bank.output
    missing = runner.invoke(args=["banks", "export", "--format", "yaml", "--bank", "nope"])
    assert missing.exit_code == 1 and "there is no bank 'nope'" in missing.output
    text = runner.invoke(args=["banks", "export", "--format", "yaml", "--bank", "examples"])
    assert text.exit_code == 0 and text.output.splitlines().count("id: examples") == 1


def test_yaml_export_of_a_file_bank_is_its_file_with_comments_and_entries(runner: FlaskCliRunner,
                                                                          tmp_path: Path) -> None:
    chronology = EVERY_TYPE.parents[1] / "mali" / "chronology.yaml"
    assert runner.invoke(args=["banks", "sync", str(chronology)]).exit_code == 0
    out = tmp_path / "chronology.yaml"
    result = runner.invoke(args=["banks", "export", "--format", "yaml", "--bank", "mali-chronology", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == chronology.read_bytes()
    assert "\nentries:" in out.read_text() and "about:" in out.read_text()
