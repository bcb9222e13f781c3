"""The bundled banks themselves: valid, complete, cited, and checked against the articles."""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import jsonschema
import pytest
import yaml

from quiz.domain.banks import BankSpec
from quiz.services.banks import find_files, load_banks
from tests.conftest import SEEDS

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = ROOT / "questions"
MALI = QUESTIONS / "mali"
SCHEMA = json.loads((QUESTIONS / "schema.json").read_text())
ARTICLES = {
    "vice-2014": "000_284cecf88603a7fc.txt",
    "lwj-2013": "001_30ad00bd8a12ef0d.txt",
    "timbuktu-2014": "002_1a838ca1ea10858a.txt",
    "reuters-2020": "003_5a49036449ce1f1c.txt",
    "mcallister-2021": "004_bb6a1bbc7cc2ef16.txt",
}
THEMES = {  # bank id -> minimum number of questions
    "mali-chronology": 45,
    "mali-organisations": 20,
    "mali-who-did-what": 45,
    "mali-places-figures": 30,
    "mali-causes": 15,
}


@pytest.fixture(scope="module")
def all_banks() -> list[BankSpec]:
    return load_banks([QUESTIONS])


@pytest.fixture(scope="module")
def mali(all_banks: list[BankSpec]) -> dict[str, BankSpec]:
    return {b.id: b for b in all_banks if b.id in THEMES}


class _TextDates(yaml.SafeLoader):
    """Reads dates as text, as editors validating against the JSON Schema do."""


_TextDates.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@pytest.mark.parametrize("path", find_files([QUESTIONS]), ids=lambda p: str(p.relative_to(QUESTIONS)))
def test_every_bundled_bank_validates_against_the_json_schema(path: Path) -> None:
    jsonschema.validate(yaml.load(path.read_text(encoding="utf-8"), Loader=_TextDates), SCHEMA)


@pytest.mark.parametrize("change,words", [
    (("type: mcq", "type: mqc"), "is not one of"),
    (("    answer: Konna\n", ""), "'answer' is a required property"),
    (("distractors:", "distractor:"), "distractor"),
])
def test_the_json_schema_rejects_mistakes(change: tuple[str, str], words: str) -> None:
    text = (QUESTIONS / "examples" / "every-type.yaml").read_text().replace(*change, 1)
    with pytest.raises(jsonschema.ValidationError) as error:
        jsonschema.validate(yaml.load(text, Loader=_TextDates), SCHEMA)
    assert words in str(error.value)


def test_every_bank_passes_the_checker_and_uses_every_type(all_banks: list[BankSpec]) -> None:
    types = Counter(q.type for b in all_banks for q in b.questions)
    assert set(types) == {"mcq", "multi", "truefalse", "short", "number", "date", "order", "match", "cloze", "card"}


def test_mali_themes_with_enough_questions(mali: dict[str, BankSpec]) -> None:
    counts = {bank_id: len(bank.questions) for bank_id, bank in mali.items()}
    assert set(counts) == set(THEMES)
    for bank_id, minimum in THEMES.items():
        assert counts[bank_id] >= minimum, (bank_id, counts[bank_id])
    assert sum(counts.values()) >= 160


def test_chronology_has_order_and_date_questions(mali: dict[str, BankSpec]) -> None:
    questions = mali["mali-chronology"].questions
    orders = [q for q in questions if q.type == "order"]
    assert len(orders) >= 8
    assert all(4 <= len(q.data["items"]) <= 6 for q in orders), [q.id for q in orders]
    assert sum(q.type == "date" for q in questions) >= 8


def test_who_did_what_has_match_questions(mali: dict[str, BankSpec]) -> None:
    assert sum(q.type == "match" for q in mali["mali-who-did-what"].questions) >= 6


def test_organisations_cover_at_least_20_groups_asked_both_ways(mali: dict[str, BankSpec]) -> None:
    questions = mali["mali-organisations"].questions
    assert sum(q.type == "card" for q in questions) >= 8
    assert len(questions) >= 40


def test_every_mali_bank_lists_the_five_articles(mali: dict[str, BankSpec]) -> None:
    for bank in mali.values():
        assert {k: v.file for k, v in bank.sources.items()} == ARTICLES, bank.id
        assert all(v.title and v.publisher and v.date for v in bank.sources.values())


def test_no_two_questions_share_a_prompt(all_banks: list[BankSpec]) -> None:
    prompts = Counter(re.sub(r"\W+", " ", q.prompt.casefold()).strip() for b in all_banks for q in b.questions)
    assert [p for p, n in prompts.items() if n > 1] == []


def test_every_mcq_has_three_distinct_distractors(mali: dict[str, BankSpec]) -> None:
    for bank in mali.values():
        for q in bank.questions:
            if q.type == "mcq":
                assert len({d.casefold() for d in q.data["distractors"]}) >= 3, q.id


def test_every_explanation_is_one_to_three_sentences(mali: dict[str, BankSpec]) -> None:
    for bank in mali.values():
        for q in bank.questions:
            sentences = [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z“\"'])", q.explanation.strip()) if s]
            assert 1 <= len(sentences) <= 3, (q.id, q.explanation)
            assert len(q.explanation) >= 30, q.id


def paragraphs(source_id: str) -> list[str]:
    text = (SEEDS / ARTICLES[source_id]).read_text(encoding="utf-8", errors="replace")
    return [line for line in text.splitlines() if line.strip()]


NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
                9: "nine", 10: "ten", 11: "eleven", 12: "twelve", 13: "thirteen", 14: "fourteen", 15: "fifteen",
                16: "sixteen", 17: "seventeen", 18: "eighteen", 19: "nineteen", 20: "twenty", 30: "thirty",
                40: "forty", 50: "fifty", 60: "sixty", 70: "seventy", 80: "eighty", 90: "ninety",
                100: "hundred", 200: "two hundred"}


def number_forms(value: float) -> set[str]:
    forms = {f"{value:g}"}
    if float(value).is_integer():
        n = int(value)
        forms |= {str(n), f"{n:,}"}
        if n in NUMBER_WORDS:
            forms.add(NUMBER_WORDS[n])
        for size, word in ((1_000_000_000, "billion"), (1_000_000, "million")):
            if n >= size:
                forms.add(f"{n / size:g} {word}")
    return forms


needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"the source articles are not at {SEEDS}; "
                                 "citations are checked only where ../shared/seeds is present")


@needs_seeds
def test_every_citation_points_at_an_existing_paragraph(mali: dict[str, BankSpec]) -> None:
    for bank in mali.values():
        for q in bank.questions:
            assert 1 <= q.paragraph <= len(paragraphs(q.source_id)), (q.id, q.source_id, q.paragraph)


@needs_seeds
def test_dates_and_numbers_appear_in_their_cited_paragraph(mali: dict[str, BankSpec]) -> None:
    missing = []
    for bank in mali.values():
        for q in bank.questions:
            text = paragraphs(q.source_id)[q.paragraph - 1].lower()
            if q.type == "date":
                if q.data["answer"][:4] not in text:
                    missing.append((q.id, q.data["answer"]))
            elif q.type == "number":
                if not any(form.lower() in text for form in number_forms(q.data["answer"])):
                    missing.append((q.id, q.data["answer"]))
    assert missing == []


COPY_LIMIT = 9  # words in a row shared with an article: a copied sentence, not a name or a short quotation


def words(text: str) -> list[str]:
    """The words of a text, lowercased, apostrophes dropped, a cloze gap read as its first answer."""
    text = re.sub(r"\{\{([^}|]*)(?:\|[^}]*)?\}\}", r" \1 ", text)
    return re.findall(r"\w+", text.casefold().replace("’", "").replace("'", ""))


def texts(value: object) -> list[str]:
    """Every piece of text in a question's answer data (answers, options, items, pairs, backs)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for key, v in value.items() if key != "date" for t in texts(v)]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in texts(v)]
    return []


@needs_seeds
def test_no_question_copies_a_run_of_words_from_the_articles(mali: dict[str, BankSpec]) -> None:
    runs = {tuple(ws[i:i + COPY_LIMIT])
            for name in ARTICLES.values()
            for ws in [words((SEEDS / name).read_text(encoding="utf-8", errors="replace"))]
            for i in range(len(ws) - COPY_LIMIT + 1)}
    copied = []
    for bank in mali.values():
        for q in bank.questions:
            for text in [q.prompt, q.explanation, *texts(q.data)]:
                ws = words(text)
                hit = next((" ".join(ws[i:i + COPY_LIMIT]) for i in range(len(ws) - COPY_LIMIT + 1)
                            if tuple(ws[i:i + COPY_LIMIT]) in runs), None)
                if hit:
                    copied.append((q.id, hit))
    assert copied == []


def test_the_copy_check_reads_a_cloze_gap_as_its_first_answer() -> None:
    assert words("On {{2 November|2nd}} 2013 AQIM’s men") == ["on", "2", "november", "2013", "aqims", "men"]
