"""GIFT, Moodle's text format for questions: reading a GIFT file into a bank document, and
writing a bank as GIFT.

What maps to what (and what is skipped) is documented in docs/interchange.md, section GIFT.
Reading never raises on bad input: every problem comes back located as file:line:col.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from pathlib import PurePath
from typing import Any

from quiz.domain.banks import ID_PATTERN, BankSpec, QuestionSpec
from quiz.domain.dates import PartialDate
from quiz.domain.problems import Problem
from quiz.domain.question_types.base import CLOZE_GAP

from . import IMPORTED_SOURCE, ImportResult, bank_id_from_name, check_document, imported_source, new_document

MAX_BYTES = 5 * 1024 * 1024
BLANK = "_____"
_FORMAT = re.compile(r"\s*\[(html|moodle|plain|markdown)\]")
_WEIGHT = re.compile(r"\s*%(-?\d+(?:\.\d+)?)%")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_UNDERSCORES = re.compile(r"_{3,}")
_COMMENT_ID = re.compile(r"\[id:([^\]]*)\]")
_COMMENT_TAG = re.compile(r"\[tag:([^\]]*)\]")
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>|&[a-zA-Z]+;|&#\d+;")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_ESCAPES = {"~": "~", "=": "=", "#": "#", "{": "{", "}": "}", ":": ":", "\\": "\\", "n": "\n"}


# ---------------------------------------------------------------- characters and blocks


@dataclass(frozen=True)
class _Char:
    """One character of a question, after GIFT escapes; `escaped` ones are never syntax."""

    ch: str
    escaped: bool
    offset: int  # where it starts in the file text
    joint: bool = False  # the end of a line inside a question (a space in Moodle's own format)


@dataclass
class _Block:
    """The lines of one question (GIFT separates questions by blank lines), without comments."""

    chars: list[_Char] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    offset: int = 0


def _scan_line(line: str, offset: int) -> list[_Char]:
    chars: list[_Char] = []
    i = 0
    while i < len(line):
        c = line[i]
        if c == "\\" and i + 1 < len(line) and line[i + 1] in _ESCAPES:
            chars.append(_Char(_ESCAPES[line[i + 1]], True, offset + i))
            i += 2
            continue
        chars.append(_Char(c, False, offset + i))
        i += 1
    return chars


def _blocks(text: str) -> list[_Block]:
    """Questions as blocks of lines; lines starting with // are comments (kept apart for
    [id:…] and [tag:…]); blank lines end a block."""
    blocks: list[_Block] = []
    current = _Block()
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            if current.chars:
                blocks.append(current)
            current = _Block()
        elif stripped.startswith("//"):
            if not current.chars and not current.comments:
                current.offset = offset
            current.comments.append(stripped)
        else:
            if current.chars:
                current.chars.append(_Char("\n", False, offset - 1, joint=True))
            elif not current.comments:
                current.offset = offset
            current.chars.extend(_scan_line(line, offset))
        offset += len(line) + 1
    if current.chars:
        blocks.append(current)
    return blocks


def _find(chars: list[_Char], needle: str, start: int = 0, end: int | None = None) -> int:
    """Index of the first unescaped `needle` in chars[start:end], or -1."""
    end = len(chars) if end is None else min(end, len(chars))
    n = len(needle)
    for i in range(start, end - n + 1):
        if all(not chars[i + k].escaped and chars[i + k].ch == needle[k] for k in range(n)):
            return i
    return -1


def _skip_space(chars: list[_Char], i: int, end: int | None = None) -> int:
    end = len(chars) if end is None else end
    while i < end and chars[i].ch.isspace() and not chars[i].escaped:
        i += 1
    return i


def _string(chars: list[_Char], fmt: str) -> str:
    """The characters as text; a line end inside a question is a space unless the format keeps
    line ends (HTML and Markdown)."""
    keep = fmt in ("html", "markdown")
    return "".join(" " if c.joint and not keep else c.ch for c in chars)


def _raw(chars: list[_Char]) -> str:
    """The unescaped characters as typed, for matching syntax such as [html] or %50%."""
    return "".join("\x00" if c.escaped else c.ch for c in chars)


def _take_format(chars: list[_Char], default: str) -> tuple[str, list[_Char]]:
    match = _FORMAT.match(_raw(chars))
    if match:
        return match.group(1), chars[match.end():]
    return default, chars


# ---------------------------------------------------------------- plain text


class _HtmlText(HTMLParser):
    """The text of an HTML fragment: block elements become line breaks, images their alt text."""

    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote",
              "ul", "ol", "table", "hr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.pre = 0
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.hidden += 1
        if tag in self.BLOCKS:
            self.parts.append("\n")
        if tag == "pre":
            self.pre += 1
        if tag == "img":
            alt = dict(attrs).get("alt") or ""
            if alt.strip():
                self.parts.append(f" {alt.strip()} ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self.hidden:
            self.hidden -= 1
        if tag == "pre" and self.pre:
            self.pre -= 1
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        if self.pre:
            self.parts.append(data)
        else:
            self.parts.append(" ".join(data.split("\n")))


def _html_text(text: str) -> str:
    parser = _HtmlText()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts)


_MD_RULES = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\(([^)]*)\)"), r"\1 (\2)"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"^#{1,6}\s+", re.M), ""),
]


def _markdown_text(text: str) -> str:
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return text


def plain_text(text: str, fmt: str) -> str:
    """GIFT text of a format (html, markdown, moodle, plain) as plain text: markup removed,
    spacing tidied within lines, empty lines dropped."""
    if fmt == "html" or fmt == "moodle" and _TAG.search(text):
        text = _html_text(text)
    elif fmt == "markdown":
        text = _markdown_text(text)
    text = _CONTROL.sub("", text.replace("\t", " "))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def slug(text: str, limit: int = 60) -> str:
    """Lowercase ASCII words joined by '-' (accents dropped), at most `limit` characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:limit].strip("-")


# ---------------------------------------------------------------- parsing one question


@dataclass
class _Answer:
    """One answer of an answer block: its marker (= right, ~ wrong, '' a lone short answer),
    its %weight% if any, its plain text, feedback, and where it starts."""

    marker: str
    weight: Decimal | None
    text: str
    feedback: str
    offset: int
    value: str = ""  # a numerical answer as written (3.14:0.01, 1..5)


@dataclass
class _Question:
    """A GIFT question before it becomes one of ours."""

    kind: str  # essay, description, truefalse, numerical, choice, match, short
    title: str
    stem: str
    before: str
    after: str
    embedded: bool
    answers: list[_Answer]
    feedback: list[str]
    offset: int
    truth: bool | None = None
    pairs: list[tuple[str, str]] = field(default_factory=list)


class _Malformed(Exception):
    """A question that cannot be read as GIFT; offset is where."""

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


def _split_answers(chars: list[_Char], markers: str) -> list[tuple[str, list[_Char], int]]:
    """The answer block cut at each unescaped marker character: (marker, its text, offset)."""
    pieces: list[tuple[str, list[_Char], int]] = []
    start, marker, where = 0, "", chars[0].offset if chars else 0
    for i, c in enumerate(chars):
        if not c.escaped and c.ch in markers:
            if i > start or marker:
                pieces.append((marker, chars[start:i], where))
            marker, start, where = c.ch, i + 1, c.offset
    if start < len(chars) or marker:
        pieces.append((marker, chars[start:], where))
    return pieces


def _answer(marker: str, chars: list[_Char], offset: int, fmt: str, numeric: bool) -> _Answer:
    weight = None
    match = _WEIGHT.match(_raw(chars))
    if match:
        weight = Decimal(match.group(1))
        chars = chars[match.end():]
    elif _raw(chars).lstrip().startswith("%"):
        raise _Malformed(offset, "a weight is written %number% (for example %50% or %-100%)")
    hash_at = _find(chars, "#")
    text_chars, feedback_chars = (chars, []) if hash_at < 0 else (chars[:hash_at], chars[hash_at + 1:])
    answer_format, text_chars = _take_format(text_chars, fmt)
    feedback_format, feedback_chars = _take_format(feedback_chars, fmt)
    value = _string(text_chars, "plain").strip() if numeric else ""
    return _Answer(marker, weight, plain_text(_string(text_chars, answer_format), answer_format),
                   plain_text(_string(feedback_chars, feedback_format), feedback_format), offset, value)


def _parse(chars: list[_Char]) -> _Question:
    """One block as a GIFT question; raises _Malformed."""
    offset = chars[0].offset
    i = _skip_space(chars, 0)
    title = ""
    if _find(chars, "::", i, i + 2) == i:
        close = _find(chars, "::", i + 2)
        if close < 0:
            raise _Malformed(chars[i].offset, "the title opened with '::' is not closed with '::'")
        title = plain_text(_string(chars[i + 2:close], "plain"), "plain")
        i = close + 2
    body = chars[i:]
    fmt, body = _take_format(body, "moodle")
    open_at = _find(body, "{")
    close_at = _find(body, "}", 0, open_at if open_at >= 0 else None)
    if close_at >= 0:
        raise _Malformed(body[close_at].offset, "'}' closes answers that were never opened with '{' "
                                                "(write \\} for a literal brace)")
    if open_at < 0:
        stem = plain_text(_string(body, fmt), fmt)
        return _Question("description", title, stem, stem, "", False, [], [], offset)
    close_at = _find(body, "}", open_at + 1)
    if close_at < 0:
        raise _Malformed(body[open_at].offset, "the answers opened with '{' are not closed with '}' before "
                                               "the next blank line (write \\{ for a literal brace)")
    nested = _find(body, "{", open_at + 1, close_at)
    if nested >= 0:
        raise _Malformed(body[nested].offset, "a '{' inside the answers: write \\{ for a literal brace")
    again = _find(body, "{", close_at + 1)
    if again >= 0:
        raise _Malformed(body[again].offset, "a second answer block: a GIFT question has one '{…}' "
                                             "(leave a blank line between questions)")
    stray = _find(body, "}", close_at + 1)
    if stray >= 0:
        raise _Malformed(body[stray].offset, "'}' closes answers that were never opened with '{' "
                                             "(write \\} for a literal brace)")
    before = plain_text(_string(body[:open_at], fmt), fmt)
    after = plain_text(_string(body[close_at + 1:], fmt), fmt)
    embedded = bool(after)
    stem = _with_blank(before, after, BLANK) if embedded else before
    inner = body[open_at + 1:close_at]
    question = _Question("", title, stem, before, after, embedded, [], [], offset)
    _read_answers(question, inner, fmt, body[open_at].offset)
    return question


def _with_blank(before: str, after: str, blank: str) -> str:
    """The stem with the blank where the answers were: spaced like words, but not before punctuation."""
    text = f"{before} {blank}" if before else blank
    if after:
        text += after if after[0] in ".,;:!?)»…" else f" {after}"
    return text


def _read_answers(question: _Question, inner: list[_Char], fmt: str, offset: int) -> None:
    feedback_at = _find(inner, "####")
    if feedback_at >= 0:
        feedback_format, general = _take_format(inner[feedback_at + 4:], fmt)
        text = plain_text(_string(general, feedback_format), feedback_format)
        if text:
            question.feedback.append(text)
        inner = inner[:feedback_at]
    raw = _raw(inner).strip()
    if not raw:
        question.kind = "essay"
        return
    if raw.startswith("#"):
        question.kind = "numerical"
        _read_numerical(question, inner[_find(inner, "#") + 1:], fmt)
        return
    if _find(inner, "~") >= 0:
        question.kind = "choice"
    elif _find(inner, "=") >= 0 and "->" in raw:
        question.kind = "match"
    else:
        head = _raw(inner[:_find(inner, "#")] if _find(inner, "#") >= 0 else inner).strip()
        question.kind = "truefalse" if head in _TRUE_FALSE else "short"
    if question.kind == "truefalse":
        parts = [inner]
        while (cut := _find(parts[-1], "#")) >= 0:
            parts[-1:] = [parts[-1][:cut], parts[-1][cut + 1:]]
        if len(parts) > 3:
            raise _Malformed(parts[3][0].offset if parts[3] else offset,
                             "a true/false question takes at most two feedbacks ({TRUE#if wrong#if right})")
        question.truth = _TRUE_FALSE[_raw(parts[0]).strip()]
        for part in parts[1:]:
            feedback_format, part = _take_format(part, fmt)
            text = plain_text(_string(part, feedback_format), feedback_format)
            if text:
                question.feedback.append(text)
        return
    pieces = _split_answers(inner, "=~")
    if pieces and not pieces[0][0]:
        if _raw(pieces[0][1]).strip() and len(pieces) > 1:
            raise _Malformed(pieces[0][2], "text before the first answer: each answer starts with '=' (right) "
                                           "or '~' (wrong)")
        if len(pieces) > 1 or not _raw(pieces[0][1]).strip():
            pieces = pieces[1:]
    answers = [_answer(marker, chars, where, fmt, False) for marker, chars, where in pieces]
    if question.kind == "match":
        for answer, (marker, chars, where) in zip(answers, pieces):
            arrow = answer.text.find("->")
            if marker != "=" or arrow < 0:
                raise _Malformed(where, "each pair of a matching question is written =left -> right")
            question.pairs.append((answer.text[:arrow].strip(), answer.text[arrow + 2:].strip()))
    question.answers = answers


def _read_numerical(question: _Question, inner: list[_Char], fmt: str) -> None:
    pieces = _split_answers(inner, "=~")
    if len(pieces) == 1 and not pieces[0][0]:
        marker, chars, where = pieces[0]
        answer = _answer("=", chars, where, fmt, True)
        question.answers = [answer]
    else:
        if pieces and not pieces[0][0]:
            if _raw(pieces[0][1]).strip():
                raise _Malformed(pieces[0][2], "text before the first answer: each answer of a numerical "
                                               "question starts with '='")
            pieces = pieces[1:]
        question.answers = [_answer(marker, chars, where, fmt, True) for marker, chars, where in pieces]
    for answer in question.answers:
        if answer.marker == "=" and not answer.value:
            raise _Malformed(answer.offset, "a numerical answer needs a number, such as {#1822} or {#3.14:0.01}")


def _number(text: str, offset: int) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise _Malformed(offset, f"'{text.strip()}' is not a number")
    if value and not -15 <= value.adjusted() <= 15:
        raise _Malformed(offset, f"'{text.strip()}' is too {'large' if value.adjusted() > 0 else 'small'} "
                                 "for a number question (at most 15 digits either side of the point)")
    return value


def _numeric_answer(answer: _Answer) -> tuple[Decimal, Decimal]:
    """The number and tolerance of `3.14:0.01`, `1..5` or `1822`."""
    if ".." in answer.value:
        low_text, high_text = answer.value.split("..", 1)
        low, high = _number(low_text, answer.offset), _number(high_text, answer.offset)
        if high < low:
            raise _Malformed(answer.offset, f"the range {answer.value} ends below where it starts")
        return (low + high) / 2, (high - low) / 2
    if ":" in answer.value:
        value_text, tolerance_text = answer.value.split(":", 1)
        tolerance = _number(tolerance_text, answer.offset)
        if tolerance < 0:
            raise _Malformed(answer.offset, f"the tolerance {tolerance_text.strip()} is negative")
        return _number(value_text, answer.offset), tolerance
    return _number(answer.value, answer.offset), Decimal(0)


# ---------------------------------------------------------------- one of ours


class _Skip(Exception):
    """A question our format cannot hold; the message says what it is."""


def _full(answer: _Answer) -> bool:
    return answer.weight is None and answer.marker != "~" or answer.weight == 100


def _explanation(question: _Question, labelled: list[_Answer]) -> str:
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


def _convert(question: _Question) -> dict[str, Any]:
    """Our question's type-specific fields, prompt and explanation; _Skip or _Malformed when not."""
    kind = question.kind
    if kind == "essay":
        raise _Skip("an essay question (answered in free text and graded by hand)")
    if kind == "description":
        raise _Skip("a description (text shown between questions, with no answer)")
    if not question.stem.strip(BLANK + " "):
        raise _Malformed(question.offset, "the question has no text before or after its answers")
    result: dict[str, Any] = {"prompt": question.stem}
    if kind == "truefalse":
        result.update(type="truefalse", answer=question.truth)
        result["explanation"] = _explanation(question, [])
    elif kind == "numerical":
        right = [a for a in question.answers if a.marker == "=" and _full(a)]
        if not right:
            raise _Skip("a numerical question with no answer worth 100% (only partial credit)")
        value, tolerance = _numeric_answer(right[0])
        for answer in question.answers:
            if answer.marker == "=":
                _numeric_answer(answer)  # every answer must be a number, not only the first
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


def _short(question: _Question) -> dict[str, Any]:
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
        prompt = _with_blank(question.before, question.after, gap) if question.embedded \
            else _UNDERSCORES.sub(lambda _: gap, question.before)
        return {"type": "cloze", "prompt": prompt, "explanation": explanation}
    fields: dict[str, Any] = {"type": "short", "answer": right[0]}
    if right[1:]:
        fields["accept"] = right[1:]
    return {**fields, "explanation": explanation}


def _choice(question: _Question) -> dict[str, Any]:
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
        raise _Malformed(question.offset, "no right answer: mark it with '=' (or give the right answers "
                                          "of a multiple-answer question a positive %weight%)")
    if not wrong_texts:
        raise _Skip("a multiple-answer question with no wrong option")
    return {"type": "multi", "answers": right_texts, "distractors": wrong_texts, "explanation": explanation}


# ---------------------------------------------------------------- the importer


def _decode(data: bytes, path: str, problems: list[Problem]) -> str | None:
    if len(data) > MAX_BYTES:
        problems.append(Problem(path, 1, 1, f"the file is {len(data) / 1024 / 1024:.1f} MB; "
                                            "GIFT files larger than 5 MB are refused — split it"))
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        col = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        problems.append(Problem(path, line, col, "the file is not UTF-8 text; save it as UTF-8 "
                                                 "(Moodle exports GIFT as UTF-8)"))
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


class _Places:
    """File offsets as 1-based line and column."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def __call__(self, offset: int) -> tuple[int, int]:
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1, offset - self.starts[lo] + 1


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
    result = ImportResult(document)
    text = _decode(data, name, result.problems)
    if text is None:
        return result
    where = _Places(text)
    ids = _Ids(bank_id)
    places: list[tuple[int, int]] = []
    category: list[str] = []
    for block in _blocks(text):
        chars = block.chars
        start = _skip_space(chars, 0)
        if _raw(chars[start:start + 10]) == "$CATEGORY:":
            newline = next((i for i in range(start, len(chars)) if chars[i].joint), len(chars))
            category = _category_tags(_string(chars[start + 10:newline], "plain"))
            chars = chars[newline + 1:]
            if not _raw(chars).strip():
                continue
        line, col = where(chars[_skip_space(chars, 0)].offset)
        question = None
        try:
            question = _parse(chars)
            converted = _convert(question)
        except _Malformed as error:
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


# ---------------------------------------------------------------- the exporter


class _NotExported(Exception):
    """A question GIFT cannot hold; the message says why (written as a comment in the file)."""


def _escaped(text: str, lead: bool = True) -> str:
    """Text with GIFT's special characters escaped and line ends written as \\n; with `lead`,
    a text that would start like a format ([html]) or a weight (%50%) is marked [plain]."""
    text = text.replace("\\", "\\\\")
    for special in "~=#{}:":
        text = text.replace(special, "\\" + special)
    text = text.replace("\n", "\\n")
    if lead and (_FORMAT.match(text) or text.lstrip().startswith("%")):
        text = "[plain]" + text  # so that a leading [html] or %50% is read as text
    return text


def _decimal_text(value: float | int) -> str:
    number = Decimal(str(value))
    return str(int(number)) if number == number.to_integral_value() else format(number.normalize(), "f")


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _weight(share: Decimal) -> str:
    return _decimal_text(float(share.quantize(Decimal("0.00001"))))


def _gift_answers(question: QuestionSpec) -> tuple[str, list[str], str]:
    """The stem before the answers, the answer lines, and any text after them; _NotExported when
    GIFT cannot hold the question."""
    data, prompt = question.data, question.prompt
    kind = question.type
    if kind == "mcq":
        return prompt, [f"={_escaped(data['answer'])}", *(f"~{_escaped(d)}" for d in data["distractors"])], ""
    if kind == "multi":
        share = Decimal(100) / len(data["answers"])
        return prompt, [*(f"~%{_weight(share)}%{_escaped(a)}" for a in data["answers"]),
                        *(f"~%-{_weight(share)}%{_escaped(d)}" for d in data["distractors"])], ""
    if kind == "truefalse":
        return prompt, ["TRUE" if data["answer"] else "FALSE"], ""
    if kind == "short":
        answers = [data["answer"], *data["accept"]]
        if any("->" in answer for answer in answers):
            raise _NotExported("an accepted answer contains '->', which GIFT reads as a matching pair")
        return prompt, [f"={_escaped(a)}" for a in answers], ""
    if kind == "number":
        tolerance = f":{_decimal_text(data['tolerance'])}" if data.get("tolerance") else ""
        return prompt, [f"#{_decimal_text(data['answer'])}{tolerance}"], ""
    if kind == "date":
        when = PartialDate.parse(str(data["answer"]))
        if when.month is not None:
            raise _NotExported("a date to the month or day (GIFT has no date question; only a year "
                               "becomes a numerical question)")
        tolerance = f":{data['tolerance']}" if data.get("tolerance") else ""
        return prompt, [f"#{when.year}{tolerance}"], ""
    if kind in ("match", "order"):
        pairs = [(p["left"], p["right"]) for p in data["pairs"]] if kind == "match" else \
            [(_ordinal(n), item["text"]) for n, item in enumerate(data["items"], start=1)]
        if any("->" in left for left, _ in pairs):
            raise _NotExported("a left-hand item contains '->', which GIFT uses between the two sides")
        return prompt, [*(f"={_escaped(left)} -> {_escaped(right, lead=False)}" for left, right in pairs),
                        *(f"= -> {_escaped(d)}" for d in data.get("distractors", []))], ""
    if kind == "cloze":
        gaps = list(CLOZE_GAP.finditer(prompt))
        if len(gaps) != 1:
            raise _NotExported(f"a cloze with {len(gaps)} gaps (a GIFT question has one answer blank)")
        gap = gaps[0]
        answers = [a.strip() for a in gap.group(1).split("|") if a.strip()]
        before, after = prompt[:gap.start()].rstrip(), prompt[gap.end():].lstrip()
        if not after:  # GIFT puts the blank where the answers are only when text follows them
            before, after = f"{before} {BLANK}".strip(), ""
        return before, [f"={_escaped(a)}" for a in answers], after
    raise _NotExported({"card": "a flashcard (GIFT has no self-assessed card)"}.get(kind, f"the type '{kind}'"))


def _citation(bank: BankSpec, question: QuestionSpec) -> str:
    source = bank.sources.get(question.source_id)
    if source is None:
        return f"{question.source_id}, paragraph {question.paragraph}"
    details = ", ".join(part for part in (source.publisher, source.date) if part)
    return f"{source.title} ({details}), paragraph {question.paragraph}"


def _gift_question(bank: BankSpec, question: QuestionSpec) -> list[str]:
    stem, answers, after = _gift_answers(question)
    lines = [f"// [id:{question.id}]", *(f"// [tag:{tag}]" for tag in question.tags if tag not in bank.tags)]
    lines.append(f"// source: {_citation(bank, question)}".replace("\n", " "))
    if question.difficulty:
        lines.append(f"// difficulty: {question.difficulty}")
    if question.type == "number" and question.data.get("unit"):
        lines.append(f"// unit: {question.data['unit']}")
    if question.type == "order":
        lines.append("// an order question, written as matching: each place goes with its event")
    head = f"::{_escaped(question.id, lead=False)}::[plain]{_escaped(stem, lead=False)}"
    lines.append(head + "{")
    lines.extend(f"\t{answer}" for answer in answers)
    lines.append(f"\t####{_escaped(question.explanation)}")
    lines.append("}" + (f" {_escaped(after, lead=False)}" if after else ""))
    return lines


def export_bank(spec: BankSpec) -> bytes:
    """The bank as a GIFT file for Moodle: every question GIFT can hold, with its explanation as
    general feedback and its id, tags, citation and difficulty in comments; a question it cannot
    hold is left out with a comment saying why (see docs/interchange.md)."""
    out = [f"// {spec.title}".replace("\n", " "), f"// Exported from the bank '{spec.id}' in GIFT format (Moodle)."]
    if spec.description:
        out.append(f"// {spec.description}".replace("\n", " "))
    out += ["", f"$CATEGORY: $course$/top/{_escaped(spec.title).replace('/', '//')}", ""]
    for question in spec.questions:
        try:
            out += [*_gift_question(spec, question), ""]
        except _NotExported as reason:
            out += [f"// not exported: {question.id} ({question.type}): {reason}", ""]
    return "\n".join(out).encode("utf-8")
