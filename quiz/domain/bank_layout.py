"""A bank's text cut into its parts, so that questions can be moved, copied and removed as text.

A bank file is `head` (everything up to and including the `questions:` line), then each
question as a `lead` (the blank lines and comment lines just above it) and a `body` (its own
lines), then a `tail` (blank and comment lines after the last question) and the `rest` (any
top-level fields written after the questions). Joining the parts gives the text back byte for
byte, so an edit can change one question's lines and leave every other line as the author wrote
it — comments, quoting and blank lines included.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

_BLANK = re.compile(r"^[ \t]*\r?\n?$")
_COMMENT = re.compile(r"^([ \t]*)#")


@dataclass
class Lead:
    """The lines above a question: blank lines that separate it (`gap`) and its comments (`note`)."""

    gap: str = ""
    note: str = ""

    @classmethod
    def of(cls, text: str) -> Lead:
        lines = text.splitlines(keepends=True)
        blanks = 0
        while blanks < len(lines) and _BLANK.match(lines[blanks]):
            blanks += 1
        return cls("".join(lines[:blanks]), "".join(lines[blanks:]))


@dataclass
class Layout:
    """A bank's text in parts; `text()` joins them back."""

    head: str
    leads: list[Lead] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)
    tail: str = ""
    rest: str = ""
    indent: int = 2  # the column of the questions' first keys (after "- ")

    def text(self) -> str:
        return self.head + "".join(lead.gap + lead.note + body for lead, body in zip(self.leads, self.bodies)) \
            + self.tail + self.rest

    def usual_gap(self) -> str:
        """The blank lines most questions have above them (for a new question)."""
        gaps = Counter(lead.gap for lead in self.leads[1:])
        return gaps.most_common(1)[0][0] if gaps else ""

    def reorder(self, order: list[int]) -> None:
        """Put the questions in `order` (old positions); each keeps its comments, each place its gap."""
        gaps = [lead.gap for lead in self.leads]
        notes = [self.leads[i].note for i in order]
        self.bodies = [self.bodies[i] for i in order]
        self.leads = [Lead(gaps[k] if k < len(gaps) else self.usual_gap(), notes[k]) for k in range(len(order))]

    def insert(self, position: int, body: str, note: str = "") -> None:
        """A new question at `position`, separated from the one above as most questions are."""
        gap = self.usual_gap() if position > 0 else (self.leads[0].gap if self.leads else "")
        if position == 0 and self.leads:  # the old first question now has a question above it
            self.leads[0] = Lead(self.usual_gap(), self.leads[0].note)
        self.leads.insert(position, Lead(gap, note))
        self.bodies.insert(position, body)

    def remove(self, position: int) -> None:
        """Remove a question with its comments; the question that takes its place keeps its own."""
        gap = self.leads[position].gap
        del self.leads[position]
        del self.bodies[position]
        if position == 0 and self.leads:
            self.leads[0] = Lead(gap, self.leads[0].note)


def _is_lead_line(line: str, indent: int) -> bool:
    """A blank line, or a comment no deeper than the questions' keys (deeper ones may be the text
    of a block scalar such as `explanation: |`)."""
    if _BLANK.match(line):
        return True
    match = _COMMENT.match(line)
    return bool(match) and len(match.group(1).expandtabs()) <= indent


def split(text: str, item_lines: list[int], indent: int, end_line: int | None) -> Layout:
    """Cut `text` given the 0-based line of each question's first line, the column of their keys,
    and the line where the questions end (the next top-level field; None: the end of the text)."""
    lines = text.splitlines(keepends=True)
    end = len(lines) if end_line is None else end_line
    if not item_lines:
        return Layout("".join(lines[:end]), rest="".join(lines[end:]), indent=indent)
    starts: list[int] = []  # where each question's lead begins
    floor = 0
    for number, line in enumerate(item_lines):
        start = line
        while start > floor and _is_lead_line(lines[start - 1], indent):
            start -= 1
        starts.append(start)
        floor = line + 1
    tail_start = end
    while tail_start > item_lines[-1] + 1 and _is_lead_line(lines[tail_start - 1], indent):
        tail_start -= 1
    layout = Layout("".join(lines[:starts[0]]), indent=indent,
                    tail="".join(lines[tail_start:end]), rest="".join(lines[end:]))
    for number, line in enumerate(item_lines):
        body_end = starts[number + 1] if number + 1 < len(item_lines) else tail_start
        layout.leads.append(Lead.of("".join(lines[starts[number]:line])))
        layout.bodies.append("".join(lines[line:body_end]))
    return layout


def dedent_item(body: str, indent: int) -> str:
    """A question's lines as a YAML document of its own: the "- " of its first line and the
    indentation of the list taken away."""
    lines = body.splitlines(keepends=True)
    out = []
    for number, line in enumerate(lines):
        if number == 0:
            line = " " * indent + line[indent:]
        width = len(line) - len(line.lstrip(" "))
        out.append(line[min(width, indent):])
    return "".join(out)


def indent_item(text: str, indent: int) -> str:
    """A question written as its own document, indented back into the list with its "- "."""
    lines = text.splitlines(keepends=True)
    out = []
    for number, line in enumerate(lines):
        if number == 0:
            out.append(" " * (indent - 2) + "- " + line)
        elif _BLANK.match(line):
            out.append(line)
        else:
            out.append(" " * indent + line)
    return "".join(out)
