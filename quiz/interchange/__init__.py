"""Importing banks from other formats and exporting them to other formats.

Minimal placeholder until the interchange registry (h-export) is merged: only ImportResult.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from quiz.domain.problems import Problem


@dataclass
class ImportResult:
    """A bank document in our YAML format (plain Python data), the problems found in the input
    and the questions that were not imported because our format cannot hold them."""

    document: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
