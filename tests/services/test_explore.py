"""`banks sync` stores what the reference pages need, and the reference merges entries across banks."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from flask import Flask

from quiz.extensions import db
from quiz.models import Question
from quiz.services import explore
from quiz.services.banks import sync_banks

from .test_bank_sync import BANK

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
ENTRIES = """\
entries:
  events:
    konna-falls:
      date: 2013-01-09
      what: Jihadists storm Konna.
      where: [konna]
      source: {id: s1, paragraph: 1}
  places:
    konna: {name: Konna, kind: town, what: A town of central Mali., source: {id: s1, paragraph: 1}}
questions:
"""


def with_entries(text: str, bank_id: str = "small", prefix: str = "s-") -> str:
    text = text.replace("questions:\n", ENTRIES, 1)
    text = text.replace("    source: {id: s1, paragraph: 1}\n  - id: s-serval",
                        "    source: {id: s1, paragraph: 1}\n    about: [konna-falls]\n  - id: s-serval", 1)
    return text.replace("id: small", f"id: {bank_id}").replace("- id: s-", f"- id: {prefix}")


def test_sync_stores_each_questions_entries_and_an_edit_of_an_entry_updates_them(
        app: Flask, write_bank: Callable[..., Path]) -> None:
    path = write_bank(with_entries(BANK))
    with app.app_context():
        sync_banks([path], NOW)
        stored = db.session.get(Question, "s-konna")
        assert stored is not None
        assert stored.data["explore"]["about"] == ["konna-falls"]
        assert stored.data["explore"]["entries"]["konna"]["name"] == "Konna"
        assert "explore" not in db.session.get(Question, "s-serval").data  # type: ignore[union-attr]
        # the entry's text changes, not the question: the stored copy follows
        path.write_text(with_entries(BANK).replace("Jihadists storm Konna.", "Konna is taken."), encoding="utf-8")
        report = sync_banks([path], NOW)
        assert report.updated == ["s-konna"]
        db.session.expire_all()
        assert db.session.get(Question, "s-konna").data["explore"]["entries"]["konna-falls"]["what"] == "Konna is taken."  # type: ignore[union-attr]


def test_the_reference_merges_an_entry_defined_in_two_banks(app: Flask, write_bank: Callable[..., Path]) -> None:
    first = write_bank(with_entries(BANK), "a.yaml")
    second = write_bank(with_entries(BANK, "other", "o-"), "b.yaml")
    with app.app_context():
        sync_banks([first, second], NOW)
        reference = explore.reference()
        konna = reference.entries["konna"]
        assert konna.bank_ids == ["other", "small"] or konna.bank_ids == ["small", "other"]
        # a place's questions include those about an event there
        assert sorted(konna.question_ids) == ["o-konna", "s-konna"]
        assert [e.key for e in reference.events_with("konna")] == ["konna-falls"]
        assert explore.entry_questions("konna") == ("Konna", tuple(konna.question_ids))
        assert explore.entry_questions("nowhere") is None


def test_a_retired_bank_leaves_the_reference(app: Flask, write_bank: Callable[..., Path]) -> None:
    path = write_bank(with_entries(BANK))
    with app.app_context():
        sync_banks([path.parent], NOW)
        assert "konna" in explore.reference().entries
        path.unlink()
        write_bank(BANK.replace("id: small", "id: plain").replace("- id: s-", "- id: p-"), "plain.yaml")
        sync_banks([path.parent], NOW)
        assert explore.reference().entries == {}
