"""The bundled banks' entries (timeline, glossary, who's who, places): consistent across banks,
cited at paragraphs that exist and that carry the date, and written in the authors' own words."""
from __future__ import annotations

import re
from typing import Any, Iterator

import jsonschema
import pytest
import yaml

from quiz.domain.banks import BankSpec
from quiz.services.banks import load_banks

from tests.conftest import SEEDS

from .test_bundled_banks import ARTICLES, MALI, SCHEMA, _TextDates

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"the source articles are not at {SEEDS} "
                                 "(set QUIZ_SHARED_DIR to the folder holding seeds/)")
COPIED_RUN = 8  # words in a row shared with an article count as copied


@pytest.fixture(scope="module")
def mali() -> list[BankSpec]:
    return load_banks([MALI])


def paragraphs(source_id: str) -> list[str]:
    text = (SEEDS / ARTICLES[source_id]).read_text(encoding="utf-8", errors="replace")
    return [line for line in text.splitlines() if line.strip()]


def citations(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield record["source"]
    for item in record.get("roles", []) + record.get("other_dates", []):
        yield item["source"]


def test_every_mali_question_is_about_something(mali: list[BankSpec]) -> None:
    assert [q.id for bank in mali for q in bank.questions if not q.explore] == []


def test_an_entry_in_several_banks_is_the_same_everywhere(mali: list[BankSpec]) -> None:
    seen: dict[str, tuple[str, dict[str, Any]]] = {}
    different = []
    for bank in mali:
        for key, entry in bank.entries.items():
            if key in seen and seen[key][1] != entry.record:
                different.append((key, seen[key][0], bank.id))
            seen.setdefault(key, (bank.id, entry.record))
    assert different == []
    kinds = {record["kind"] for _, record in seen.values()}
    assert kinds == {"event", "person", "organisation", "place"}


@needs_seeds
def test_every_entry_citation_points_at_an_existing_paragraph(mali: list[BankSpec]) -> None:
    bad = [(bank.id, key, cited) for bank in mali for key, entry in bank.entries.items()
           for cited in citations(entry.record) if not 1 <= cited["paragraph"] <= len(paragraphs(cited["id"]))]
    assert bad == []


@needs_seeds
def test_an_event_year_is_in_its_paragraph_or_its_date_is_explained(mali: list[BankSpec]) -> None:
    """A date the paragraph does not give in full ("on Friday", "last year") says how it was resolved."""
    unexplained = []
    for bank in mali:
        for key, entry in bank.entries.items():
            record = entry.record
            if record["kind"] != "event" or record.get("date_note"):
                continue
            text = paragraphs(record["source"]["id"])[record["source"]["paragraph"] - 1]
            if record["date"][:4] not in text:
                unexplained.append((key, record["date"]))
    assert unexplained == []


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


@needs_seeds
def test_entries_are_in_their_own_words(mali: list[BankSpec]) -> None:
    article_runs = set()
    for name in ARTICLES.values():
        words = _words((SEEDS / name).read_text(encoding="utf-8", errors="replace"))
        article_runs |= {" ".join(words[i:i + COPIED_RUN]) for i in range(len(words) - COPIED_RUN + 1)}
    copied = []
    for bank in mali:
        for key, entry in bank.entries.items():
            record = entry.record
            texts = [record.get(f) or "" for f in ("what", "did", "date_note")]
            texts += [r["role"] for r in record.get("roles", [])] + [o.get("note") or "" for o in record.get("other_dates", [])]
            for text in texts:
                words = _words(text)
                runs = {" ".join(words[i:i + COPIED_RUN]) for i in range(len(words) - COPIED_RUN + 1)}
                copied += [(key, run) for run in runs & article_runs]
    assert copied == []


@pytest.mark.parametrize("change", [
    ("kind: town", "kind: towm"),
    ("      date: 2013-01-11\n", ""),
    ("      who: [bourgeot]\n", "      who: [bourgeot]\n      when: 1916\n"),
])
def test_the_json_schema_checks_entries_too(change: tuple[str, str]) -> None:
    text = (MALI / "chronology.yaml").read_text(encoding="utf-8")
    assert change[0] in text
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(yaml.load(text.replace(*change, 1), Loader=_TextDates), SCHEMA)
