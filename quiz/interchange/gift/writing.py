"""Writing a bank as GIFT for Moodle; what GIFT cannot hold is approximated or left out with a comment."""
from __future__ import annotations

from decimal import Decimal

from quiz.domain.banks import BankSpec, QuestionSpec
from quiz.domain.dates import PartialDate
from quiz.domain.question_types.base import CLOZE_GAP

from .syntax import BLANK, FORMAT


class _NotExported(Exception):
    """A question GIFT cannot hold; the message says why (written as a comment in the file)."""


def _escaped(text: str, lead: bool = True) -> str:
    """Text with GIFT's special characters escaped and line ends written as \\n; with `lead`,
    a text that would start like a format ([html]) or a weight (%50%) is marked [plain]."""
    text = text.replace("\\", "\\\\")
    for special in "~=#{}:":
        text = text.replace(special, "\\" + special)
    text = text.replace("\n", "\\n")
    if lead and (FORMAT.match(text) or text.lstrip().startswith("%")):
        text = "[plain]" + text  # so that a leading [html] or %50% is read as text
    return text


def _decimal_text(value: float) -> str:
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
    lines.append(head + " {")
    lines.extend(f"\t{answer}" for answer in answers)
    lines.append(f"\t####{_escaped(question.explanation)}")
    lines.append("}" + (f" {_escaped(after, lead=False)}" if after else ""))
    return lines


def export_bank(spec: BankSpec) -> bytes:
    """The bank as a GIFT file for Moodle: every question GIFT can hold, with its explanation as
    general feedback and its id, tags, citation and difficulty in comments; a question it cannot
    hold is left out with a comment saying why (see docs/interchange.md)."""
    body: list[str] = []
    left_out = 0
    for question in spec.questions:
        try:
            body += [*_gift_question(spec, question), ""]
        except _NotExported as reason:
            body += [f"// not exported: {question.id} ({question.type}): {reason}", ""]
            left_out += 1
    written = len(spec.questions) - left_out
    out = [f"// {spec.title}".replace("\n", " "), f"// Exported from the bank '{spec.id}' in GIFT format (Moodle)."]
    if spec.description:
        out.append(f"// {spec.description}".replace("\n", " "))
    out.append(f"// {written} question{'s' if written != 1 else ''} written"
               + (f", {left_out} left out (each named in a comment where it would stand)." if left_out else "."))
    out += ["", f"$CATEGORY: $course$/top/{_escaped(spec.title).replace('/', '//')}", "", *body]
    return "\n".join(out).encode("utf-8")


def not_exported(spec: BankSpec) -> list[tuple[QuestionSpec, str]]:
    """The questions `export_bank` leaves out, each with why (for a command or page to list)."""
    left_out = []
    for question in spec.questions:
        try:
            _gift_answers(question)
        except _NotExported as reason:
            left_out.append((question, str(reason)))
    return left_out
