"""Fixtures for the interchange tests: validated banks to export, the shared interop folder."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from quiz.domain.banks import BankSpec, read_bank

ROOT = Path(__file__).resolve().parents[2]
EVERY_TYPE = ROOT / "questions" / "examples" / "every-type.yaml"
BUNDLED = sorted(ROOT.glob("questions/**/*.yaml"))


def interop_dir() -> Path | None:
    """<repo>/../shared/interop; from a git worktree, the main checkout's ../shared/interop;
    QUIZ_INTEROP_DIR overrides both."""
    candidates = [Path(os.environ["QUIZ_INTEROP_DIR"])] if os.environ.get("QUIZ_INTEROP_DIR") else []
    candidates.append(ROOT.parent / "shared" / "interop")
    git = ROOT / ".git"
    if git.is_file():  # a worktree: "gitdir: <main>/.git/worktrees/<name>"
        gitdir = Path(git.read_text().split(":", 1)[1].strip())
        candidates.append(gitdir.parents[2].parent / "shared" / "interop")
    return next((c for c in candidates if c.is_dir()), None)


def bank(path: Path) -> BankSpec:
    spec, problems = read_bank(str(path), path.read_bytes())
    assert spec is not None and not problems, problems
    return spec


@pytest.fixture
def every_type() -> BankSpec:
    return bank(EVERY_TYPE)
