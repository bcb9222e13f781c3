"""GIFT syntax: a file cut into question blocks (comments apart, escapes resolved, each character
with its place), and one block read as a GIFT question with its answers. Bad syntax raises
Malformed with the place to report."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .text import plain_text

BLANK = "_____"
FORMAT = re.compile(r"\s*\[(html|moodle|plain|markdown)\]")
_WEIGHT = re.compile(r"\s*%(-?\d+(?:\.\d+)?)%")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_ESCAPES = {"~": "~", "=": "=", "#": "#", "{": "{", "}": "}", ":": ":", "\\": "\\", "n": "\n"}


@dataclass(frozen=True)
class Char:
    """One character of a question, after GIFT escapes; `escaped` ones are never syntax."""

    ch: str
    escaped: bool
    offset: int  # where it starts in the file text
    joint: bool = False  # the end of a line inside a question (a space in Moodle's own format)


@dataclass
class Block:
    """The lines of one question (GIFT separates questions by blank lines), without comments."""

    chars: list[Char] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    offset: int = 0


def _scan_line(line: str, offset: int) -> list[Char]:
    chars: list[Char] = []
    i = 0
    while i < len(line):
        c = line[i]
        if c == "\\" and i + 1 < len(line) and line[i + 1] in _ESCAPES:
            chars.append(Char(_ESCAPES[line[i + 1]], True, offset + i))
            i += 2
            continue
        chars.append(Char(c, False, offset + i))
        i += 1
    return chars


def question_blocks(text: str) -> list[Block]:
    """Questions as blocks of lines; lines starting with // are comments (kept apart for
    [id:…] and [tag:…]); blank lines end a block."""
    blocks: list[Block] = []
    current = Block()
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            if current.chars:
                blocks.append(current)
            current = Block()
        elif stripped.startswith("//"):
            if not current.chars and not current.comments:
                current.offset = offset
            current.comments.append(stripped)
        else:
            if current.chars:
                current.chars.append(Char("\n", False, offset - 1, joint=True))
            elif not current.comments:
                current.offset = offset
            current.chars.extend(_scan_line(line, offset))
        offset += len(line) + 1
    if current.chars:
        blocks.append(current)
    return blocks


def _find(chars: list[Char], needle: str, start: int = 0, end: int | None = None) -> int:
    """Index of the first unescaped `needle` in chars[start:end], or -1."""
    end = len(chars) if end is None else min(end, len(chars))
    n = len(needle)
    for i in range(start, end - n + 1):
        if all(not chars[i + k].escaped and chars[i + k].ch == needle[k] for k in range(n)):
            return i
    return -1


def skip_space(chars: list[Char], i: int, end: int | None = None) -> int:
    end = len(chars) if end is None else end
    while i < end and chars[i].ch.isspace() and not chars[i].escaped:
        i += 1
    return i


def text_of(chars: list[Char], fmt: str) -> str:
    """The characters as text; a line end inside a question is a space unless the format keeps
    line ends (HTML and Markdown)."""
    keep = fmt in ("html", "markdown")
    return "".join(" " if c.joint and not keep else c.ch for c in chars)


def raw(chars: list[Char]) -> str:
    """The unescaped characters as typed, for matching syntax such as [html] or %50%."""
    return "".join("\x00" if c.escaped else c.ch for c in chars)


def _take_format(chars: list[Char], default: str) -> tuple[str, list[Char]]:
    match = FORMAT.match(raw(chars))
    if match:
        return match.group(1), chars[match.end():]
    return default, chars


@dataclass
class Answer:
    """One answer of an answer block: its marker (= right, ~ wrong, '' a lone short answer),
    its %weight% if any, its plain text, feedback, and where it starts."""

    marker: str
    weight: Decimal | None
    text: str
    feedback: str
    offset: int
    value: str = ""  # a numerical answer as written (3.14:0.01, 1..5)


@dataclass
class Question:
    """A GIFT question before it becomes one of ours."""

    kind: str  # essay, description, truefalse, numerical, choice, match, short
    title: str
    stem: str
    before: str
    after: str
    embedded: bool
    answers: list[Answer]
    feedback: list[str]
    offset: int
    truth: bool | None = None
    pairs: list[tuple[str, str]] = field(default_factory=list)


class Malformed(Exception):
    """A question that cannot be read as GIFT; offset is where."""

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


def _split_answers(chars: list[Char], markers: str) -> list[tuple[str, list[Char], int]]:
    """The answer block cut at each unescaped marker character: (marker, its text, offset)."""
    pieces: list[tuple[str, list[Char], int]] = []
    start, marker, where = 0, "", chars[0].offset if chars else 0
    for i, c in enumerate(chars):
        if not c.escaped and c.ch in markers:
            if i > start or marker:
                pieces.append((marker, chars[start:i], where))
            marker, start, where = c.ch, i + 1, c.offset
    if start < len(chars) or marker:
        pieces.append((marker, chars[start:], where))
    return pieces


def _answer(marker: str, chars: list[Char], offset: int, fmt: str, numeric: bool) -> Answer:
    weight = None
    match = _WEIGHT.match(raw(chars))
    if match:
        weight = Decimal(match.group(1))
        chars = chars[match.end():]
    elif raw(chars).lstrip().startswith("%"):
        raise Malformed(offset, "a weight is written %number% (for example %50% or %-100%)")
    hash_at = _find(chars, "#")
    text_chars, feedback_chars = (chars, []) if hash_at < 0 else (chars[:hash_at], chars[hash_at + 1:])
    answer_format, text_chars = _take_format(text_chars, fmt)
    feedback_format, feedback_chars = _take_format(feedback_chars, fmt)
    value = text_of(text_chars, "plain").strip() if numeric else ""
    return Answer(marker, weight, plain_text(text_of(text_chars, answer_format), answer_format),
                   plain_text(text_of(feedback_chars, feedback_format), feedback_format), offset, value)


def parse(chars: list[Char]) -> Question:
    """One block as a GIFT question; raises Malformed."""
    offset = chars[0].offset
    i = skip_space(chars, 0)
    title = ""
    if _find(chars, "::", i, i + 2) == i:
        close = _find(chars, "::", i + 2)
        if close < 0:
            raise Malformed(chars[i].offset, "the title opened with '::' is not closed with '::'")
        title = plain_text(text_of(chars[i + 2:close], "plain"), "plain")
        i = close + 2
    body = chars[i:]
    fmt, body = _take_format(body, "moodle")
    open_at = _find(body, "{")
    close_at = _find(body, "}", 0, open_at if open_at >= 0 else None)
    if close_at >= 0:
        raise Malformed(body[close_at].offset, "'}' closes answers that were never opened with '{' "
                                                "(write \\} for a literal brace)")
    if open_at < 0:
        stem = plain_text(text_of(body, fmt), fmt)
        return Question("description", title, stem, stem, "", False, [], [], offset)
    close_at = _find(body, "}", open_at + 1)
    if close_at < 0:
        raise Malformed(body[open_at].offset, "the answers opened with '{' are not closed with '}' before "
                                               "the next blank line (write \\{ for a literal brace)")
    nested = _find(body, "{", open_at + 1, close_at)
    if nested >= 0:
        raise Malformed(body[nested].offset, "a '{' inside the answers: write \\{ for a literal brace")
    again = _find(body, "{", close_at + 1)
    if again >= 0:
        raise Malformed(body[again].offset, "a second answer block: a GIFT question has one '{…}' "
                                             "(leave a blank line between questions)")
    stray = _find(body, "}", close_at + 1)
    if stray >= 0:
        raise Malformed(body[stray].offset, "'}' closes answers that were never opened with '{' "
                                             "(write \\} for a literal brace)")
    before = plain_text(text_of(body[:open_at], fmt), fmt)
    after = plain_text(text_of(body[close_at + 1:], fmt), fmt)
    embedded = bool(after)
    stem = with_blank(before, after, BLANK) if embedded else before
    inner = body[open_at + 1:close_at]
    question = Question("", title, stem, before, after, embedded, [], [], offset)
    _read_answers(question, inner, fmt, body[open_at].offset)
    return question


def with_blank(before: str, after: str, blank: str) -> str:
    """The stem with the blank where the answers were: spaced like words, but not before punctuation."""
    text = f"{before} {blank}" if before else blank
    if after:
        text += after if after[0] in ".,;:!?)»…" else f" {after}"
    return text


def _read_answers(question: Question, inner: list[Char], fmt: str, offset: int) -> None:
    feedback_at = _find(inner, "####")
    if feedback_at >= 0:
        feedback_format, general = _take_format(inner[feedback_at + 4:], fmt)
        text = plain_text(text_of(general, feedback_format), feedback_format)
        if text:
            question.feedback.append(text)
        inner = inner[:feedback_at]
    content = raw(inner).strip()
    if not content:
        question.kind = "essay"
        return
    if content.startswith("#"):
        question.kind = "numerical"
        _read_numerical(question, inner[_find(inner, "#") + 1:], fmt)
        return
    if _find(inner, "~") >= 0:
        question.kind = "choice"
    elif _find(inner, "=") >= 0 and "->" in content:
        question.kind = "match"
    else:
        head = raw(inner[:_find(inner, "#")] if _find(inner, "#") >= 0 else inner).strip()
        question.kind = "truefalse" if head in _TRUE_FALSE else "short"
    if question.kind == "truefalse":
        parts = [inner]
        while (cut := _find(parts[-1], "#")) >= 0:
            parts[-1:] = [parts[-1][:cut], parts[-1][cut + 1:]]
        if len(parts) > 3:
            raise Malformed(parts[3][0].offset if parts[3] else offset,
                             "a true/false question takes at most two feedbacks ({TRUE#if wrong#if right})")
        question.truth = _TRUE_FALSE[raw(parts[0]).strip()]
        # Moodle: the first feedback is for the wrong choice, the second for the right one
        choices = ("False", "True") if question.truth else ("True", "False")
        for choice, part in zip(choices, parts[1:]):
            feedback_format, part = _take_format(part, fmt)
            text = plain_text(text_of(part, feedback_format), feedback_format)
            question.answers.append(Answer("", None, choice, text, part[0].offset if part else offset))
        return
    pieces = _split_answers(inner, "=~")
    if pieces and not pieces[0][0]:
        if raw(pieces[0][1]).strip() and len(pieces) > 1:
            raise Malformed(pieces[0][2], "text before the first answer: each answer starts with '=' (right) "
                                           "or '~' (wrong)")
        if len(pieces) > 1 or not raw(pieces[0][1]).strip():
            pieces = pieces[1:]
    answers = [_answer(marker, chars, where, fmt, False) for marker, chars, where in pieces]
    if question.kind == "match":
        for answer, (marker, chars, where) in zip(answers, pieces):
            arrow = answer.text.find("->")
            if marker != "=" or arrow < 0:
                raise Malformed(where, "each pair of a matching question is written =left -> right")
            question.pairs.append((answer.text[:arrow].strip(), answer.text[arrow + 2:].strip()))
    question.answers = answers


def _read_numerical(question: Question, inner: list[Char], fmt: str) -> None:
    pieces = _split_answers(inner, "=~")
    if len(pieces) == 1 and not pieces[0][0]:
        _, chars, where = pieces[0]
        question.answers = [_answer("=", chars, where, fmt, True)]
    else:
        if pieces and not pieces[0][0]:
            if raw(pieces[0][1]).strip():
                raise Malformed(pieces[0][2], "text before the first answer: each answer of a numerical "
                                               "question starts with '='")
            pieces = pieces[1:]
        question.answers = [_answer(marker, chars, where, fmt, True) for marker, chars, where in pieces]
    for answer in question.answers:
        if answer.marker == "=" and not answer.value:
            raise Malformed(answer.offset, "a numerical answer needs a number, such as {#1822} or {#3.14:0.01}")


def _number(text: str, offset: int) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise Malformed(offset, f"'{text.strip()}' is not a number")
    if value and not -15 <= value.adjusted() <= 15:
        raise Malformed(offset, f"'{text.strip()}' is too {'large' if value.adjusted() > 0 else 'small'} "
                                 "for a number question (at most 15 digits either side of the point)")
    return value


def numeric_answer(answer: Answer) -> tuple[Decimal, Decimal]:
    """The number and tolerance of `3.14:0.01`, `1..5` or `1822`."""
    if ".." in answer.value:
        low_text, high_text = answer.value.split("..", 1)
        low, high = _number(low_text, answer.offset), _number(high_text, answer.offset)
        if high < low:
            raise Malformed(answer.offset, f"the range {answer.value} ends below where it starts")
        return (low + high) / 2, (high - low) / 2
    if ":" in answer.value:
        value_text, tolerance_text = answer.value.split(":", 1)
        tolerance = _number(tolerance_text, answer.offset)
        if tolerance < 0:
            raise Malformed(answer.offset, f"the tolerance {tolerance_text.strip()} is negative")
        return _number(value_text, answer.offset), tolerance
    return _number(answer.value, answer.offset), Decimal(0)
