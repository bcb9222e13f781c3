"""CSV files that spreadsheets open safely: formula injection escaped, an Excel dialect."""
from __future__ import annotations

import csv
import io
from typing import Any, Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: Any) -> str:
    """A cell as text; text that a spreadsheet would run as a formula gets a leading quote.

    Numbers are written as they are (a negative number is data, not a formula).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]], excel: bool = False) -> str:
    """The rows as CSV text: comma-separated UTF-8, or for Excel a BOM and semicolons."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n")
    writer.writerow([escape_cell(h) for h in header])
    for row in rows:
        writer.writerow([escape_cell(cell) for cell in row])
    return ("\ufeff" if excel else "") + out.getvalue()
