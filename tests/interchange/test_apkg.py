"""Anki packages, opened with the official `anki` library: notes, cloze notes, stable GUIDs."""
from __future__ import annotations

from pathlib import Path

import pytest

from quiz.domain.banks import BankSpec
from quiz.interchange import EXPORTERS
from quiz.interchange.apkg import note_guid, package_bytes

collection_module = pytest.importorskip("anki.collection", reason="the `anki` package (test extra) is not installed")


def import_into(collection_path: Path, package: bytes, name: str) -> tuple[object, int, int, int]:
    """Import a package into the collection at collection_path; (collection, new, updated, duplicate)."""
    apkg = collection_path.parent / name
    apkg.write_bytes(package)
    col = collection_module.Collection(str(collection_path))
    result = col.import_anki_package(collection_module.ImportAnkiPackageRequest(
        package_path=str(apkg), options=collection_module.ImportAnkiPackageOptions(with_scheduling=True)))
    return col, len(result.log.new), len(result.log.updated), len(result.log.duplicate)


def notes_by_guid(col: object) -> dict[str, object]:
    return {note.guid: note for note in (col.get_note(nid) for nid in col.find_notes(""))}  # type: ignore[attr-defined]


def test_one_note_per_question_with_front_back_explanation_and_source(tmp_path: Path, every_type: BankSpec) -> None:
    col, new, _, _ = import_into(tmp_path / "collection.anki2", EXPORTERS["apkg"](every_type), "bank.apkg")
    try:
        notes = notes_by_guid(col)
        assert new == len(every_type.questions) == len(notes)
        by_id = {q.id: notes[note_guid(q.id)] for q in every_type.questions}
        card = by_id["ex-card"]
        assert card.note_type()["name"] == "Quiz question"
        assert card["Front"] == "MINUSMA"
        assert card["Back"].startswith("The United Nations stabilisation mission")
        assert card["Explanation"].startswith("VICE gives the day")
        assert "VICE News: French soldier killed in Mali clash" in card["Source"] and "paragraph 11" in card["Source"]
        assert sorted(card.tags) == ["examples", "organisations"]
        mcq = by_id["ex-mcq"]
        assert all(option in mcq["Front"] for option in ("Konna", "Gao", "Kidal", "Tessalit"))
        assert mcq["Back"] == "<ul><li>Konna</li></ul>"
        assert by_id["ex-truefalse"]["Back"] == "True"
        assert by_id["ex-date"]["Back"] == "January 2013"
        assert "Sévaré" in by_id["ex-short"]["Back"] and "Sevare" in by_id["ex-short"]["Back"]
        assert col.card_count() == len(every_type.questions) + 1  # type: ignore[attr-defined]  # 2 gaps, 2 cards
    finally:
        col.close()  # type: ignore[attr-defined]


def test_cloze_questions_are_anki_cloze_notes(tmp_path: Path, every_type: BankSpec) -> None:
    col, _, _, _ = import_into(tmp_path / "collection.anki2", EXPORTERS["apkg"](every_type), "bank.apkg")
    try:
        note = notes_by_guid(col)[note_guid("ex-cloze")]
        assert note.note_type()["type"] == 1  # Anki's cloze note type  # type: ignore[index]
        assert "Operation {{c1::Serval}}, which was replaced by Operation {{c2::Barkhane}}" in note["Text"]
        assert "Sérval" in note["Back Extra"]
        assert len(note.cards()) == 2
    finally:
        col.close()  # type: ignore[attr-defined]


def test_bank_text_is_escaped_for_anki(tmp_path: Path, every_type: BankSpec) -> None:
    card = next(q for q in every_type.questions if q.id == "ex-card")
    card.prompt = "<script>alert(1)</script> & more"
    col, _, _, _ = import_into(tmp_path / "collection.anki2", EXPORTERS["apkg"](every_type), "bank.apkg")
    try:
        assert notes_by_guid(col)[note_guid("ex-card")]["Front"] == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"
    finally:
        col.close()  # type: ignore[attr-defined]


def test_a_second_export_updates_the_notes_instead_of_adding_copies(tmp_path: Path, every_type: BankSpec) -> None:
    first = package_bytes(every_type, timestamp=1_700_000_000)
    every_type.questions[-1].data["back"] = "Changed back"
    second = package_bytes(every_type, timestamp=1_700_000_100)  # written later: Anki takes the newer copy
    col, new, _, _ = import_into(tmp_path / "collection.anki2", first, "first.apkg")
    col.close()  # type: ignore[attr-defined]
    col, new_again, updated, _ = import_into(tmp_path / "collection.anki2", second, "second.apkg")
    try:
        assert new == len(every_type.questions) and new_again == 0
        assert updated == len(every_type.questions)
        notes = notes_by_guid(col)
        assert set(notes) == {note_guid(q.id) for q in every_type.questions}
        assert notes[note_guid("ex-card")]["Back"] == "Changed back"
    finally:
        col.close()  # type: ignore[attr-defined]

