"""GIFT, Moodle's text format for questions: reading a GIFT file into a bank document
(`import_bank`), and writing a bank as GIFT (`export_bank`).

What maps to what, and what is skipped or approximated, is documented in docs/interchange.md
(section GIFT). Reading never raises on bad input: every problem comes back as file:line:col.
"""
from __future__ import annotations

from .reading import import_bank
from .syntax import BLANK
from .text import plain_text, slug
from .writing import export_bank, not_exported

__all__ = ["BLANK", "export_bank", "import_bank", "not_exported", "plain_text", "slug"]
