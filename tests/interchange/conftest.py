"""Fixtures for the interchange tests: validated banks to export, the shared interop folder."""
from __future__ import annotations

from pathlib import Path

import pytest

from quiz.domain.banks import BankSpec, read_bank

ROOT = Path(__file__).resolve().parents[2]
EVERY_TYPE = ROOT / "questions" / "examples" / "every-type.yaml"
BUNDLED = sorted(ROOT.glob("questions/**/*.yaml"))


def interop_dir() -> Path | None:
    """../shared/interop beside the repository (one level further up from a git worktree)."""
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "interop").is_dir():
            return base / "shared" / "interop"
    return None


def bank(path: Path) -> BankSpec:
    spec, problems = read_bank(str(path), path.read_bytes())
    assert spec is not None and not problems, problems
    return spec


@pytest.fixture
def every_type() -> BankSpec:
    return bank(EVERY_TYPE)
