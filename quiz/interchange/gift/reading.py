"""Reading a GIFT file into a bank document: each GIFT question as one of our types, or listed as
skipped (a kind a bank cannot hold), or a located problem."""
from __future__ import annotations

import re
from bisect import bisect_right
from datetime import date
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from quiz.domain.banks import ID_PATTERN
from quiz.domain.problems import Problem
from quiz.domain.question_types.base import CLOZE_GAP

from .. import (
    IMPORTED_SOURCE,
    ImportResult,
    bank_id_from_name,
    check_document,
    decode_text,
    imported_source,
    new_document,
)
from .syntax import (
    BLANK,
    Answer,
    Malformed,
    Question,
    numeric_answer,
    parse,
    question_blocks,
    raw,
    skip_space,
    text_of,
    with_blank,
)
from .text import slug

_UNDERSCORES = re.compile(r"_{3,}")
_COMMENT_ID = re.compile(r"\[id:([^\]]*)\]")
_COMMENT_TAG = re.compile(r"\[tag:([^\]]*)\]")


class _Skip(Exception):
    """A question our format cannot hold; the message says what it is."""


def _full(answer: Answer) -> bool:
    return answer.weight is None and answer.marker != "~" or answer.weight == 100


def _explanation(question: Question, labelled: list[Answer]) -> str:
    parts = list(question.feedback)
    for answer in labelled:
        if answer.feedback:
            label = answer.text or answer.value.replace("..", " to ").replace(":", " ± ")
            if label in ("", "*"):
                label = "any other answer"
            parts.append(f"“{label}”: {answer.feedback}")
    return " ".join(parts)


def _number_value(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _convert(question: Question) -> dict[str, Any]:
    """Our question's type-specific fields, prompt and explanation; _Skip or Malformed when not."""
    kind = question.kind
    if kind == "essay":
        raise _Skip("an essay question (answered in free text and graded by hand)")
    if kind == "description":
        raise _Skip("a description (text shown between questions, with no answer)")
    if not question.stem.strip(BLANK + " "):
        raise Malformed(question.offset, "the question has no text before or after its answers")
    result: dict[str, Any] = {"prompt": question.stem}
    if kind == "truefalse":
        result.update(type="truefalse", answer=question.truth)
        result["explanation"] = _explanation(question, question.answers)
    elif kind == "numerical":
        right = [a for a in question.answers if a.marker == "=" and _full(a)]
        if not right:
            raise _Skip("a numerical question with no answer worth 100% (only partial credit)")
        value, tolerance = numeric_answer(right[0])
        for answer in question.answers:
            if answer.marker == "=":
                numeric_answer(answer)  # every answer must be a number, not only the first
        result.update(type="number", answer=_number_value(value))
        if tolerance:
            result["tolerance"] = _number_value(tolerance)
        result["explanation"] = _explanation(question, question.answers)
    elif kind == "match":
        pairs = [(left, right) for left, right in question.pairs if left]
        extra = [right for left, right in question.pairs if not left and right]
        if len(pairs) < 2:
            raise _Skip("a matching question with fewer than 2 pairs")
        result.update(type="match", pairs=[{"left": left, "right": right} for left, right in pairs])
        if extra:
            result["distractors"] = extra
        result["explanation"] = _explanation(question, [])
    elif kind == "short":
        result.update(_short(question))
    else:
        result.update(_choice(question))
    return result


def _short(question: Question) -> dict[str, Any]:
    right = [a.text for a in question.answers if _full(a) and a.text and a.text != "*"]
    if not right:
        raise _Skip("a short-answer question with no answer worth 100% (only partial credit)")
    explanation = _explanation(question, question.answers)
    gap = "{{" + "|".join(right) + "}}"
    if any("|" in text or "}}" in text or "{{" in text for text in right) or CLOZE_GAP.search(question.before):
        cloze = False
    else:
        cloze = question.embedded or len(_UNDERSCORES.findall(question.before)) == 1
    if cloze:
        prompt = with_blank(question.before, question.after, gap) if question.embedded \
            else _UNDERSCORES.sub(lambda _: gap, question.before)
        return {"type": "cloze", "prompt": prompt, "explanation": explanation}
    fields: dict[str, Any] = {"type": "short", "answer": right[0]}
    if right[1:]:
        fields["accept"] = right[1:]
    return {**fields, "explanation": explanation}


def _choice(question: Question) -> dict[str, Any]:
    answers = question.answers
    explanation = _explanation(question, answers)
    if any(a.marker == "=" for a in answers):
        right = [a for a in answers if a.marker == "="]
        if len(right) > 1:
            raise _Skip("a single-answer multiple-choice question with several answers marked '='")
        wrong = [a.text for a in answers if a.marker == "~"]
        if len(wrong) < 2:
            raise _Skip("a multiple-choice question with only one wrong option (our multiple choice "
                        "needs at least two)")
        return {"type": "mcq", "answer": right[0].text, "distractors": wrong, "explanation": explanation}
    right_texts = [a.text for a in answers if a.weight is not None and a.weight > 0]
    wrong_texts = [a.text for a in answers if a.weight is None or a.weight <= 0]
    if not right_texts:
        raise Malformed(question.offset, "no right answer: mark it with '=' (or give the right answers "
                                          "of a multiple-answer question a positive %weight%)")
    if not wrong_texts:
        raise _Skip("a multiple-answer question with no wrong option")
    return {"type": "multi", "answers": right_texts, "distractors": wrong_texts, "explanation": explanation}


class _Places:
    """File offsets as 1-based line and column."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def __call__(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def _category_tags(path: str) -> list[str]:
    """Tags of a $CATEGORY path: one per level, without Moodle's $course$ and top."""
    levels = [level.strip() for level in re.split(r"(?<!/)/(?!/)", path)]
    tags = [slug(level) for level in levels if level and not re.fullmatch(r"\$\w+\$|top", level)]
    return [tag for tag in tags if tag]


class _Ids:
    """Question ids: [id:…] when it is a valid id, else <bank>-<title slug>, else <bank>-<n>."""

    def __init__(self, bank_id: str) -> None:
        self.bank_id = bank_id
        self.taken: set[str] = set()
        self.count = 0

    def next(self, given: str, title: str) -> str:
        self.count += 1
        if ID_PATTERN.match(given) and not given.isdigit():
            candidate = given
        elif given.isdigit():
            candidate = f"{self.bank_id}-{given}"
        elif slug(title):
            candidate = f"{self.bank_id}-{slug(title)}"
        else:
            candidate = f"{self.bank_id}-{self.count}"
        unique, n = candidate, 2
        while unique in self.taken:
            unique, n = f"{candidate}-{n}", n + 1
        self.taken.add(unique)
        return unique


def import_bank(data: bytes, name: str, **options: Any) -> ImportResult:
    """Read a GIFT file into a bank document in our format.

    Options: `bank_id`, `title`, `language` (default "en") and `today` (a date, for the imported
    source; default today). Questions our format cannot hold are listed in `skipped` with their
    line; malformed ones, and what the bank loader finds in the result, in `problems`. Never
    raises on bad input.
    """
    file_name = PurePath(name).name
    bank_id = options.get("bank_id") or bank_id_from_name(name)
    today: date = options.get("today") or date.today()
    document = new_document(bank_id, options.get("title") or PurePath(name).stem or "Imported GIFT questions",
                            options.get("language") or "en")
    document["sources"] = {IMPORTED_SOURCE: imported_source(name, "Imported from GIFT", today)}
    text, problems = decode_text(data, name)
    result = ImportResult(document, problems)
    if text is None:
        return result
    where = _Places(text)
    ids = _Ids(bank_id)
    places: list[tuple[int, int]] = []
    category: list[str] = []
    for block in question_blocks(text):
        chars = block.chars
        start = skip_space(chars, 0)
        if raw(chars[start:start + 10]) == "$CATEGORY:":
            newline = next((i for i in range(start, len(chars)) if chars[i].joint), len(chars))
            category = _category_tags(text_of(chars[start + 10:newline], "plain"))
            chars = chars[newline + 1:]
            if not raw(chars).strip():
                continue
        line, col = where(chars[skip_space(chars, 0)].offset)
        question = None
        try:
            question = parse(chars)
            converted = _convert(question)
        except Malformed as error:
            result.problems.append(Problem(name, *where(error.offset), error.message))
            continue
        except _Skip as error:
            title = f" '{question.title}'" if question and question.title else ""
            result.skipped.append(Problem(name, line, col, f"question{title} skipped: {error} cannot be held "
                                                           "in a bank"))
            continue
        comments = " ".join(block.comments)
        given = next(iter(_COMMENT_ID.findall(comments)), "").strip()
        tags = [*category, *(slug(tag) for tag in _COMMENT_TAG.findall(comments))]
        explanation = converted.pop("explanation") or \
            f"Imported from {file_name}, line {line}, without feedback: write why the answer is right."
        entry: dict[str, Any] = {"id": ids.next(given, question.title), "type": converted.pop("type"),
                                 "prompt": converted.pop("prompt"), **converted, "explanation": explanation,
                                 "source": {"id": IMPORTED_SOURCE, "paragraph": line}}
        if any(tags):
            entry["tags"] = list(dict.fromkeys(tag for tag in tags if tag))
        document["questions"].append(entry)
        places.append((line, col))
    result.problems.extend(check_document(document, name, places))
    return result
