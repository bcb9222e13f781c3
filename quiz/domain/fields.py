"""Reading the fields of a YAML mapping with messages an author understands."""
from __future__ import annotations

import difflib
import math
from typing import Iterable

from .dates import DateFormatError, PartialDate
from .yamldoc import Map, Node, Report, Scalar, Seq, describe

# The largest whole number a bank may give: what a 32-bit integer column (SQLite and PostgreSQL) holds.
MAX_INTEGER = 2**31 - 1


def _finite(number: int | float) -> bool:
    """True for a number a learner can type and the app can compare: not NaN, not infinite."""
    try:
        return math.isfinite(number)
    except OverflowError:  # an int too large for a float
        return False


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a choice is close to word, else ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class Fields:
    """The fields of one mapping: reports missing, unknown and wrongly typed values."""

    def __init__(self, node: Map, what: str, report: Report) -> None:
        self.node = node
        self.what = what
        self.report = report

    def at(self, node: Node, message: str) -> None:
        self.report(node.line, node.col, message)

    def check_known(self, allowed: Iterable[str]) -> None:
        """Report every field that is not in allowed, with a suggestion."""
        allowed = list(allowed)
        for key, (key_node, _) in self.node.entries.items():
            if key not in allowed:
                self.at(key_node, f"unknown field '{key}' in {self.what}{did_you_mean(key, allowed)}")

    def get(self, name: str, required: bool) -> Node | None:
        value = self.node.get(name)
        if value is None:
            if required:
                self.at(self.node, f"{self.what} has no '{name}'")
            return None
        if isinstance(value, Scalar) and value.value is None:
            if required:
                self.at(value, f"'{name}' is empty")
            return None
        return value

    def text(self, name: str, required: bool = True) -> str | None:
        """A non-empty text field; numbers are taken as written."""
        value = self.get(name, required)
        if value is None:
            return None
        return self.text_of(value, f"'{name}'")

    def text_of(self, value: Node, label: str) -> str | None:
        if not isinstance(value, Scalar):
            self.at(value, f"{label} should be text, not {describe(value)}")
            return None
        if isinstance(value.value, bool):
            self.at(value, f"{label} should be text, but '{value.raw}' is read as true/false; put it in quotes")
            return None
        text = value.value if isinstance(value.value, str) else value.raw
        text = text.strip()
        if not text:
            self.at(value, f"{label} is empty")
            return None
        return text

    def texts(self, name: str, required: bool = True, minimum: int = 0) -> list[tuple[str, Node]]:
        """A list of non-empty texts, each with its node; a single text counts as a list of one."""
        value = self.get(name, required)
        if value is None:
            return []
        items = value.items if isinstance(value, Seq) else [value]
        result = []
        for index, item in enumerate(items, start=1):
            text = self.text_of(item, f"item {index} of '{name}'")
            if text is not None:
                result.append((text, item))
        if len(items) < minimum:
            self.at(value, f"'{name}' needs at least {minimum} item{'s' if minimum > 1 else ''}, it has {len(items)}")
        seen: dict[str, Node] = {}
        for text, item in result:
            folded = text.casefold()
            if folded in seen:
                self.at(item, f"'{text}' is listed twice in '{name}' (first at line {seen[folded].line})")
            else:
                seen[folded] = item
        return result

    def boolean(self, name: str, required: bool, default: bool = False) -> bool:
        value = self.get(name, required)
        if value is None:
            return default
        if not isinstance(value, Scalar) or not isinstance(value.value, bool):
            self.at(value, f"'{name}' should be true or false, not {describe(value)}")
            return default
        return value.value

    def number(self, name: str, required: bool, default: float | None = None,
               minimum: float | None = None) -> float | None:
        value = self.get(name, required)
        if value is None:
            return default
        if (not isinstance(value, Scalar) or isinstance(value.value, bool)
                or not isinstance(value.value, (int, float))):
            self.at(value, f"'{name}' should be a number, not {describe(value)}")
            return default
        if not _finite(value.value):
            self.at(value, f"'{name}' should be a finite number, not {value.raw} "
                           "(.nan, .inf and numbers beyond about 1e308 cannot be typed by a learner)")
            return default
        if minimum is not None and value.value < minimum:
            self.at(value, f"'{name}' should be at least {minimum:g}, not {value.raw}")
            return default
        return value.value

    def integer(self, name: str, required: bool, default: int | None = None,
                minimum: int | None = None, maximum: int = MAX_INTEGER) -> int | None:
        """A whole number, at most maximum (by default what an integer column of the database holds)."""
        value = self.get(name, required)
        if value is None:
            return default
        if not isinstance(value, Scalar) or isinstance(value.value, bool) or not isinstance(value.value, int):
            self.at(value, f"'{name}' should be a whole number, not {describe(value)}")
            return default
        if minimum is not None and value.value < minimum:
            self.at(value, f"'{name}' should be {minimum} or more, not {value.value}")
            return default
        if value.value > maximum:
            self.at(value, f"'{name}' is too large: it should be at most {maximum:,}, not {value.raw}")
            return default
        return value.value

    def date(self, name: str, required: bool = True) -> PartialDate | None:
        value = self.get(name, required)
        if value is None:
            return None
        return self.date_of(value, f"'{name}'")

    def date_of(self, value: Node, label: str) -> PartialDate | None:
        if not isinstance(value, Scalar) or isinstance(value.value, bool):
            self.at(value, f"{label} should be a date (YYYY, YYYY-MM or YYYY-MM-DD), not {describe(value)}")
            return None
        try:
            return PartialDate.parse(value.raw)
        except DateFormatError as exc:
            self.at(value, str(exc))
            return None

    def mapping(self, name: str, required: bool) -> Map | None:
        value = self.get(name, required)
        if value is None:
            return None
        if not isinstance(value, Map):
            self.at(value, f"'{name}' should be a set of fields, not {describe(value)}")
            return None
        return value

    def sequence(self, name: str, required: bool) -> Seq | None:
        value = self.get(name, required)
        if value is None:
            return None
        if not isinstance(value, Seq):
            self.at(value, f"'{name}' should be a list, not {describe(value)}")
            return None
        return value
