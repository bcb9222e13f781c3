"""Dates given to a year, a month or a day, as history questions need them."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


class DateFormatError(ValueError):
    """The text is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD, or is impossible."""


@dataclass(frozen=True, order=True)
class PartialDate:
    """A year, a year and month, or a full date."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> "PartialDate":
        """Read YYYY, YYYY-MM or YYYY-MM-DD; raise DateFormatError when impossible."""
        match = _PATTERN.match(text.strip())
        if not match:
            raise DateFormatError(f"'{text}' is not a date; write it as YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        if year < 1:
            raise DateFormatError(f"'{text}' is not a real date: there is no year 0; the first year is 0001")
        if month is not None and not 1 <= month <= 12:
            raise DateFormatError(f"'{text}' is not a real date: there is no month {month}")
        if day is not None:
            assert month is not None
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise DateFormatError(
                    f"'{text}' is not a real date: {calendar.month_name[month]} {year} has {last} days"
                )
        return cls(year, month, day)

    @property
    def precision(self) -> str:
        """'year', 'month' or 'day'."""
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        if self.day is not None:
            return self.first_day()
        month = self.month or 12
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def overlaps(self, other: "PartialDate") -> bool:
        """True when the two periods share at least one day."""
        return self.first_day() <= other.last_day() and other.first_day() <= self.last_day()

    def __str__(self) -> str:
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def human(self) -> str:
        """The date as a reader says it: 11 January 2013, January 2013, 2013."""
        if self.day is not None:
            assert self.month is not None
            return f"{self.day} {calendar.month_name[self.month]} {self.year}"
        if self.month is not None:
            return f"{calendar.month_name[self.month]} {self.year}"
        return str(self.year)
