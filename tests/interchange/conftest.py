"""Fixtures for the interchange tests: validated banks to export, the shared interop folder."""
from __future__ import annotations

from pathlib import Path

import pytest

from quiz.domain.banks import BankSpec, QuestionSpec, read_bank
from tests.conftest import INTEROP

ROOT = Path(__file__).resolve().parents[2]
EVERY_TYPE = ROOT / "questions" / "examples" / "every-type.yaml"
BUNDLED = sorted(ROOT.glob("questions/**/*.yaml"))


def interop_dir() -> Path | None:
    """The shared interop folder (../shared/interop, or QUIZ_SHARED_DIR/interop; see
    tests/conftest.py), or None when it is not on this machine."""
    return INTEROP if INTEROP.is_dir() else None


def bank(path: Path) -> BankSpec:
    spec, problems = read_bank(str(path), path.read_bytes())
    assert spec is not None and not problems, problems
    return spec


@pytest.fixture
def every_type() -> BankSpec:
    return bank(EVERY_TYPE)


def portable(question: QuestionSpec) -> dict:
    """What other formats carry of a question: everything but the entries it is about (a bank's
    `entries` and a question's `about` live in our YAML only)."""
    return {**question.content(), "data": question.data}
