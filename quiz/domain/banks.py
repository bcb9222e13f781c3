"""Reading a question bank file into validated bank and question specs."""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from .entries import EXPLORE_KEY, Entry, Linker, read_about, read_citation, read_entries
from .fields import Fields, did_you_mean
from .problems import Problem
from .question_types import QUESTION_TYPES, TYPE_SYNONYMS
from .yamldoc import Map, Scalar, decode, parse

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
TAG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
DIFFICULTIES = ("easy", "medium", "hard")

BANK_FIELDS = ("id", "title", "description", "language", "sources", "tags", "entries", "questions")
SOURCE_FIELDS = ("title", "publisher", "author", "date", "url", "file")
QUESTION_FIELDS = ("id", "type", "prompt", "explanation", "source", "tags", "difficulty", "about")


@dataclass(frozen=True)
class SourceSpec:
    id: str
    title: str
    publisher: str
    date: str
    author: str | None = None
    url: str | None = None
    file: str | None = None


@dataclass
class QuestionSpec:
    """A validated question, ready to store."""

    id: str
    type: str
    prompt: str
    data: dict[str, Any]
    explanation: str
    source_id: str
    paragraph: int
    tags: list[str]
    difficulty: str | None
    line: int = 0
    col: int = 0
    # the entries the question is about, as stored (quiz.domain.entries); None without 'about'
    explore: dict[str, Any] | None = None

    def stored_data(self) -> dict[str, Any]:
        """The answer data as stored: with the question's entries, when it has some."""
        return {**self.data, EXPLORE_KEY: self.explore} if self.explore else self.data

    def content(self) -> dict[str, Any]:
        """Everything that defines the question, excluding where it sits in a file."""
        return {
            "type": self.type, "prompt": self.prompt, "data": self.stored_data(), "explanation": self.explanation,
            "source_id": self.source_id, "paragraph": self.paragraph, "tags": self.tags,
            "difficulty": self.difficulty,
        }

    def content_hash(self) -> str:
        canonical = json.dumps(self.content(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass
class BankSpec:
    """A validated bank."""

    id: str
    title: str
    description: str
    language: str
    sources: dict[str, SourceSpec]
    tags: list[str]
    questions: list[QuestionSpec] = field(default_factory=list)
    entries: dict[str, Entry] = field(default_factory=dict)
    path: str = ""
    line: int = 1
    # every question id written in the file, valid question or not, with its line and column
    id_places: list[tuple[str, int, int]] = field(default_factory=list)

    def content_hash(self) -> str:
        canonical = json.dumps(
            {"title": self.title, "description": self.description, "language": self.language,
             "sources": {k: vars(v) for k, v in sorted(self.sources.items())}, "tags": self.tags},
            sort_keys=True, ensure_ascii=False,
        )
        return hashlib.sha256(canonical.encode()).hexdigest()


def read_bank(path: str, data: bytes) -> tuple[BankSpec | None, list[Problem]]:
    """Read one bank file's bytes; return the bank and every problem found in it.

    The bank is None when the file cannot be read at all; a bank returned with problems
    must not be stored. Ids shared with other banks are found by check_across.
    """
    problems: list[Problem] = []

    def report(line: int, col: int, message: str) -> None:
        problems.append(Problem(path, line, col, message))

    text = decode(data, report)
    if text is None:
        return None, problems
    root = parse(text, report)
    if root is None:
        return None, problems
    if not isinstance(root, Map):
        report(root.line, root.col, "a bank file should be a set of fields (id, title, sources, questions…)")
        return None, problems
    bank = _read_bank(root, report)
    if bank is None:
        return None, problems
    bank.path = path
    return bank, problems


def _tags(f: Fields, name: str) -> list[str]:
    tags = []
    for text, node in f.texts(name, required=False):
        if TAG_PATTERN.match(text):
            tags.append(text)
        else:
            suggestion = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
            f.at(node, f"the tag '{text}' should be lowercase words joined by '-' (for example '{suggestion}')")
    return tags


def _identifier(f: Fields, what: str) -> str | None:
    value = f.text("id")
    if value is not None and not ID_PATTERN.match(value):
        f.at(f.node.get("id") or f.node,
             f"the {what} id '{value}' may only use lowercase letters, digits, '-', '_' and '.', and start with a letter or digit")
        return None
    return value


def _read_bank(root: Map, report: Any) -> BankSpec | None:
    f = Fields(root, "the bank", report)
    f.check_known(BANK_FIELDS)
    bank_id = _identifier(f, "bank")
    title = f.text("title")
    description = f.text("description", required=False) or ""
    language = f.text("language")
    if language is not None and not LANGUAGE_PATTERN.match(language):
        f.at(root.get("language") or root, f"'{language}' is not a language tag; write for example 'en', 'fr' or 'en-GB'")
    sources = _read_sources(f)
    tags = _tags(f, "tags")
    questions_node = f.sequence("questions", required=True)
    bank = BankSpec(bank_id or "", title or "", description, language or "", sources, tags, line=root.line,
                    entries=read_entries(f, sources, ID_PATTERN))
    linker = Linker(bank.entries, report)
    if questions_node is None:
        return bank
    if not questions_node.items:
        f.at(questions_node, "the bank has no questions")
    for index, node in enumerate(questions_node.items, start=1):
        if not isinstance(node, Map):
            f.at(node, f"question {index} should be a set of fields (id, type, prompt…)")
            continue
        qid = node.get("id")
        if isinstance(qid, Scalar) and isinstance(qid.value, str):
            bank.id_places.append((qid.value, node.line, node.col))
        question = _read_question(node, index, bank, report, linker)
        if question is not None:
            bank.questions.append(question)
    linker.finish()
    return bank


def _read_sources(f: Fields) -> dict[str, SourceSpec]:
    node = f.mapping("sources", required=True)
    sources: dict[str, SourceSpec] = {}
    if node is None:
        return sources
    if not node.entries:
        f.at(node, "'sources' is empty; list at least one source that questions can cite")
    for key, (key_node, value) in node.entries.items():
        if not ID_PATTERN.match(key):
            f.at(key_node, f"the source id '{key}' may only use lowercase letters, digits, '-', '_' and '.'")
        if not isinstance(value, Map):
            f.at(value, f"the source '{key}' should have a title, a publisher and a date")
            continue
        s = Fields(value, f"the source '{key}'", f.report)
        s.check_known(SOURCE_FIELDS)
        title, publisher, when = s.text("title"), s.text("publisher"), s.date("date")
        sources[key] = SourceSpec(key, title or "", publisher or "", str(when) if when else "",
                                  s.text("author", required=False), s.text("url", required=False),
                                  s.text("file", required=False))
    return sources


def _read_type(f: Fields) -> str | None:
    value = f.text("type")
    if value is None:
        return None
    if value in QUESTION_TYPES:
        return value
    hint = did_you_mean(value, QUESTION_TYPES) or (
        f" (did you mean '{TYPE_SYNONYMS[value.lower()]}'?)" if value.lower() in TYPE_SYNONYMS else "")
    f.at(f.node.get("type") or f.node,
         f"unknown question type '{value}'{hint}; the types are {', '.join(QUESTION_TYPES)}")
    return None


def _read_question(node: Map, index: int, bank: BankSpec, report: Any, linker: Linker) -> QuestionSpec | None:
    qid_node = node.get("id")
    label = f"question '{qid_node.value}'" if isinstance(qid_node, Scalar) and qid_node.value else f"question {index}"
    f = Fields(node, label, report)
    qid = _identifier(f, "question")
    qtype = _read_type(f)
    kind = QUESTION_TYPES.get(qtype or "")
    if kind is not None:
        f.check_known(QUESTION_FIELDS + kind.fields)
    elif qtype is None and node.get("type") is None:
        f.check_known(QUESTION_FIELDS + tuple({n for t in QUESTION_TYPES.values() for n in t.fields}))
    prompt = f.text("prompt")
    explanation = f.text("explanation")
    source_id, paragraph = read_citation(f, bank.sources)
    tags = _tags(f, "tags")
    explore = linker.link(read_about(f))
    difficulty = f.text("difficulty", required=False)
    if difficulty is not None and difficulty not in DIFFICULTIES:
        f.at(node.get("difficulty") or node,
             f"difficulty '{difficulty}' should be one of {', '.join(DIFFICULTIES)}{did_you_mean(difficulty, DIFFICULTIES)}")
        difficulty = None
    data = kind.read(f, prompt) if kind is not None else {}
    if None in (qid, kind, prompt, explanation, source_id, paragraph):
        return None
    assert qid and qtype and prompt and explanation and source_id and paragraph
    all_tags = sorted(set(bank.tags) | set(tags))
    return QuestionSpec(qid, qtype, prompt, data, explanation, source_id, paragraph, all_tags,
                        difficulty, node.line, node.col, explore)


def check_across(banks: Iterable[BankSpec]) -> list[Problem]:
    """Problems between banks: a bank id or a question id used in two places."""
    problems: list[Problem] = []
    bank_ids: dict[str, BankSpec] = {}
    places: dict[str, str] = {}
    for bank in banks:
        if not bank.id:
            pass  # a bank without an id is reported on its own ("the bank has no 'id'")
        elif bank.id in bank_ids:
            other = bank_ids[bank.id]
            problems.append(Problem(bank.path, bank.line, 1,
                                    f"duplicate bank id '{bank.id}' (also in {other.path})"))
        else:
            bank_ids[bank.id] = bank
        for qid, line, col in bank.id_places:
            if qid in places:
                problems.append(Problem(bank.path, line, col,
                                        f"duplicate question id '{qid}' (also at {places[qid]})"))
            else:
                places[qid] = f"{bank.path}:{line}:{col}"
    return problems


def export_record(*, question_id: str, bank_id: str, qtype: str, prompt: str, data: dict[str, Any],
                  explanation: str, source: dict[str, Any], paragraph: int, tags: list[str],
                  difficulty: str | None) -> dict[str, Any]:
    """One question as a self-contained JSON-ready record (for `banks export`)."""
    kind = QUESTION_TYPES[qtype]
    return {
        "id": question_id, "bank": bank_id, "type": qtype, "prompt": prompt,
        "answer": kind.answer(data), **kind.extra_export(data),
        "explanation": explanation,
        "source": {"id": source.get("id"), "title": source.get("title"), "publisher": source.get("publisher"),
                   "author": source.get("author"), "date": source.get("date"), "paragraph": paragraph},
        "tags": tags, "difficulty": difficulty, "data": data,
    }
