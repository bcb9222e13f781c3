"""Reading what learners type: text normalization, near-miss spelling, typed numbers.

Typed answers are compared on a key that ignores case, accents, punctuation, spacing
and a leading article, so that "the  Sévaré!" and "sevare" are the same answer. A
near miss ("Sevarre") is accepted when it is within one edit (a letter added, removed,
replaced, or two neighbours swapped) per five characters of the right answer, and is
not at least as close to a known wrong answer.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Iterable, Sequence

from rapidfuzz.distance import OSA

# One edit allowed per this many characters of the right answer's key: "Mali" (4)
# allows none, so "Bali" is wrong; "Konna", "Sévaré" and "Barkhane" one; "Ouagadougou" two.
CHARACTERS_PER_EDIT = 5

ARTICLES = ("the", "a", "an", "le", "la", "les", "un", "une", "des")
_ARTICLE = re.compile(r"^(?:(?:" + "|".join(ARTICLES) + r")\s+|l'\s*)(?=\w)")
_APOSTROPHES = str.maketrans({c: "'" for c in "\u2019\u2018\u02bc\u02bb\u2032\u0060\u00b4\u201b\uff07"})
# Letters that Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_LETTERS)


def normalize(text: str, *, keep_accents: bool = False) -> str:
    """The text as compared: lower case, no accents, no punctuation, single spaces, no leading article.

    A text that is only an article ("The") keeps it.
    """
    text = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)
    if not keep_accents:
        text = _strip_accents(text)
    start = next((i for i, c in enumerate(text) if c.isalnum()), len(text))
    text = _ARTICLE.sub("", text[start:], count=1)
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


def answer_key(text: str, *, keep_accents: bool = False) -> str:
    """The normalized text without spaces, so "Ansar Dine" and "Ansardine" agree."""
    return normalize(text, keep_accents=keep_accents).replace(" ", "")


def allowed_edits(answer: str) -> int:
    """How many edits a near miss of this answer (a key) may have."""
    return len(answer) // CHARACTERS_PER_EDIT


def edits(a: str, b: str, limit: int) -> int:
    """Edits (insert, delete, replace, swap neighbours) between two keys; limit + 1 when more than limit."""
    return OSA.distance(a, b, score_cutoff=limit)


class How(Enum):
    """How a typed answer was accepted, or that it was not."""

    EXACT = "exact"          # same as an accepted answer, ignoring case, punctuation, spacing, articles
    ACCENTS = "accents"      # same once accents are also ignored
    NEAR_MISS = "near miss"  # a spelling mistake away
    WRONG = "wrong"


@dataclass(frozen=True)
class TextMatch:
    """The outcome of comparing a typed answer with the accepted ones."""

    how: How
    matched: str | None = None  # the accepted answer it matched, as written by the author

    @property
    def accepted(self) -> bool:
        return self.how is not How.WRONG


def match_text(response: str, accepted: Sequence[str], *, fuzzy: bool, wrong: Iterable[str] = ()) -> TextMatch:
    """Compare a typed answer with the accepted answers (the first being the canonical one).

    With fuzzy, a near miss is accepted unless the response is at least as close to one
    of the known wrong answers (e.g. the other gaps of a cloze).
    """
    key = answer_key(response)
    if not key:
        return TextMatch(How.WRONG)
    keyed = [(answer_key(a), a) for a in accepted if answer_key(a)]
    exact = [a for k, a in keyed if k == key]
    if exact:
        accented = answer_key(response, keep_accents=True)
        if any(answer_key(a, keep_accents=True) == accented for a in exact):
            return TextMatch(How.EXACT, exact[0])
        return TextMatch(How.ACCENTS, exact[0])
    if not fuzzy:
        return TextMatch(How.WRONG)
    best: tuple[int, str] | None = None
    for k, a in keyed:
        limit = allowed_edits(k)
        if limit and (distance := edits(key, k, limit)) <= limit and (best is None or distance < best[0]):
            best = (distance, a)
    if best is None:
        return TextMatch(How.WRONG)
    for other in wrong:
        other_key = answer_key(other)
        if other_key and other_key not in {k for k, _ in keyed} and edits(key, other_key, best[0]) <= best[0]:
            return TextMatch(How.WRONG)
    return TextMatch(How.NEAR_MISS, best[1])


_NUMBER = re.compile(r"^([+-]?) *(\d[\d.,' ]*)(.*)$", re.DOTALL)


def _grouped(whole: str, separator: str) -> bool:
    """True when whole is digits grouped by three with the separator, like 1,234,567."""
    return bool(re.fullmatch(r"\d{1,3}(?:" + re.escape(separator) + r"\d{3})+", whole))


def parse_number(text: str) -> Decimal | None:
    """The number in what a learner typed, or None when it is not one number.

    Accepts "3000", "3,000", "3 000" (any kind of space), "3'000", "3000 troops", "-2.5",
    "2,5", "1.234,5" and "1,234.5". A single comma followed by exactly three digits groups
    thousands ("3,000" is 3000, "0,500" is 0.5); otherwise a single comma or dot is the
    decimal mark. Text after the number (a unit) is ignored; text before it, or a second
    number, makes it not a number.
    """
    text = "".join(" " if c.isspace() else c for c in text).strip()
    text = text.replace("\u2212", "-").replace("\u2019", "'")
    match = _NUMBER.match(text)
    if not match:
        return None
    sign, body, rest = match.groups()
    if re.search(r"\d", rest):
        return None
    body = re.sub(" +", " ", body.rstrip(" .,'")).replace("'", " ")
    thousands = ""
    if " " in body:
        thousands = " "
        if body.count(",") + body.count(".") > 1:
            return None
        whole, _, fraction = body.partition("," if "," in body else ".")
    elif "," in body and "." in body:
        mark = "," if body.rfind(",") > body.rfind(".") else "."
        thousands = "." if mark == "," else ","
        whole, _, fraction = body.rpartition(mark)
        if mark in whole:
            return None
    elif body.count(",") > 1 or body.count(".") > 1:
        thousands = "," if "," in body else "."
        whole, fraction = body, ""
    elif "," in body:
        whole, _, fraction = body.partition(",")
        if len(fraction) == 3 and not whole.startswith("0"):
            whole, fraction = f"{whole},{fraction}", ""
            thousands = ","
    else:
        whole, _, fraction = body.partition(".")
    if thousands and thousands in whole:
        if not _grouped(whole, thousands):
            return None
        whole = whole.replace(thousands, "")
    try:
        return Decimal(f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}")
    except InvalidOperation:
        return None
