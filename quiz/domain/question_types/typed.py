"""Typed answers: a short text, a number, a date, gaps in a text (cloze)."""
from __future__ import annotations

import calendar
import random
import re
from decimal import Decimal
from typing import Any

from ..answers import How, match_text, parse_number
from ..dates import DateFormatError, PartialDate
from ..fields import Fields
from .base import (
    ANSWER_LIMIT,
    CLOZE_GAP,
    Data,
    Form,
    Grade,
    QuestionType,
    Shown,
    Unreadable,
    _number_text,
    _one,
    _q,
    _typed,
    _typed_text,
    _whole,
    _you_wrote,
    cloze_segments,
)

NUMBER_LIMIT = 100  # characters in a number box ("3 000 troops" and more)
GAP_LIMIT = 200  # characters in one gap of a cloze


class Short(QuestionType):
    name = "short"
    label = "Short answer"
    fields = ("answer", "accept", "fuzzy")

    def read(self, f: Fields, prompt: str | None) -> Data:
        answer = f.text("answer")
        accept = f.texts("accept", required=False)
        return {"answer": answer, "accept": [t for t, _ in accept], "fuzzy": f.boolean("fuzzy", False, True)}

    def answer(self, data: Data) -> Any:
        return data["answer"]

    def named_answers(self, data: Data) -> tuple[str, ...]:
        return (data["answer"], *data["accept"])

    def extra_export(self, data: Data) -> Data:
        return {"accept": data["accept"], "fuzzy": data["fuzzy"]}

    def present(self, prompt: str, data: Data, rng: random.Random) -> Shown:
        return {"limit": ANSWER_LIMIT}

    def grade(self, data: Data, response: Any) -> Grade:
        """Right when the typed text is the answer or an accepted one, ignoring case, accents,
        punctuation, spacing and a leading article; with fuzzy, also when misspelt slightly."""
        the_answer = f"The answer is {_q(data['answer'])}."
        text = _typed(response)
        if text is None:
            return Grade(0.0, ("No answer was given." if response is None or isinstance(response, str)
                               else "Please type an answer.", the_answer))
        result = match_text(text, [data["answer"], *data["accept"]], fuzzy=data["fuzzy"])
        if result.how is How.EXACT:
            return Grade(1.0)
        if result.accepted:
            return Grade(1.0, (_you_wrote(text, data["answer"]),))
        return Grade(0.0, (the_answer,))


class Number(QuestionType):
    name = "number"
    label = "Number"
    fields = ("answer", "tolerance", "unit")

    def read(self, f: Fields, prompt: str | None) -> Data:
        return {
            "answer": f.number("answer", required=True),
            "tolerance": f.number("tolerance", required=False, default=0, minimum=0),
            "unit": f.text("unit", required=False),
        }

    def answer(self, data: Data) -> Any:
        return data["answer"]

    def answer_text(self, data: Data) -> str:
        text = f"{data['answer']:g}"
        if data["tolerance"]:
            text += f" (± {data['tolerance']:g})"
        if data["unit"]:
            text += f" {data['unit']}"
        return text

    def extra_export(self, data: Data) -> Data:
        return {"tolerance": data["tolerance"], "unit": data["unit"]}

    def present(self, prompt: str, data: Data, rng: random.Random) -> Shown:
        return {"unit": data.get("unit"), "limit": NUMBER_LIMIT}

    def read_response(self, form: Form, shown: Shown) -> Any:
        """The typed text, when it is one number (a unit after it is allowed)."""
        text = _typed_text(form, "answer", NUMBER_LIMIT, "The number box")
        value = parse_number(text)
        if value is None or not value.is_finite():
            raise Unreadable(f"{_q(text)} is not a number: type it in digits, such as 3000 or 2.5.", "answer")
        return text

    def grade(self, data: Data, response: Any) -> Grade:
        """Right when the typed number is within the tolerance of the answer (a unit typed after it is ignored)."""
        answer = Decimal(str(data["answer"]))
        tolerance = Decimal(str(data["tolerance"] or 0))
        with_unit = _number_text(answer) + (f" {data['unit']}" if data.get("unit") else "")
        the_answer = f"The answer is {with_unit}"
        the_answer += f"; answers within {_number_text(tolerance)} were accepted." if tolerance else "."
        if isinstance(response, (int, float)) and not isinstance(response, bool):
            response = str(response)
        text = _typed(response)
        if text is None:
            return Grade(0.0, ("No answer was given." if response is None or isinstance(response, str)
                               else "Please type a number.", the_answer))
        value = parse_number(text)
        if value is None or not value.is_finite():
            return Grade(0.0, ("Please type a number.", the_answer))
        difference = abs(value - answer)
        if difference == 0:
            return Grade(1.0)
        if difference <= tolerance:
            return Grade(1.0, (f"Close enough: the exact answer is {with_unit}.",))
        return Grade(0.0, (the_answer,))


class Date(QuestionType):
    name = "date"
    label = "Date"
    fields = ("answer", "tolerance")

    def read(self, f: Fields, prompt: str | None) -> Data:
        answer = f.date("answer")
        tolerance = f.integer("tolerance", required=False, default=0, minimum=0)
        return {"answer": str(answer) if answer else None, "precision": answer.precision if answer else None,
                "tolerance": tolerance}

    def answer(self, data: Data) -> Any:
        return data["answer"]

    def answer_text(self, data: Data) -> str:
        text = PartialDate.parse(data["answer"]).human()
        if data["tolerance"]:
            text += f" (± {data['tolerance']} {data['precision']}{'s' if data['tolerance'] > 1 else ''})"
        return text

    def extra_export(self, data: Data) -> Data:
        return {"tolerance": data["tolerance"], "precision": data["precision"]}

    def present(self, prompt: str, data: Data, rng: random.Random) -> Shown:
        return {"precision": data["precision"]}

    def read_response(self, form: Form, shown: Shown) -> Any:
        """YYYY, YYYY-MM or YYYY-MM-DD from the Day box, the Month menu and the Year box the
        question shows; Unreadable, naming those fields, when one is empty or impossible."""
        precision: str = shown["precision"]
        problems: list[tuple[str, str]] = []  # (field, what to do), in the order the form shows them
        day = month = None
        if precision == "day":
            text = _one(form, "day")
            day = _whole(text, 2)
            if not text:
                problems.append(("day", "Type the day in the Day box, such as 11."))
            elif day is None or not 1 <= day <= 31:
                problems.append(("day", "The Day box takes a day of the month in digits, from 1 to 31."))
        if precision in ("day", "month"):
            month = _whole(_one(form, "month"), 2)
            if month is None or not 1 <= month <= 12:
                problems.append(("month", "Choose a month in the Month menu."))
        text = _one(form, "year")
        year = _whole(text, 4)
        if not text:
            problems.append(("year", "Type the year in the Year box, such as 2013."))
        elif year is None or year < 1:
            problems.append(("year", "The Year box takes a year in digits, from 1 to 9999, such as 2013."))
        if problems:
            raise Unreadable(" ".join(message for _, message in problems), problems[0][0])
        assert year is not None
        if month is None:
            return f"{year:04d}"
        if day is None:
            return f"{year:04d}-{month:02d}"
        last = calendar.monthrange(year, month)[1]
        if day > last:
            raise Unreadable(f"{calendar.month_name[month]} {year} has {last} days: "
                             f"the Day box takes 1 to {last}.", "day")
        return f"{year:04d}-{month:02d}-{day:02d}"

    def grade(self, data: Data, response: Any) -> Grade:
        """Right when the typed date is within the tolerance, counted in the question's precision
        (years, months or days); a more precise date is compared at the question's precision."""
        answer = PartialDate.parse(data["answer"])
        precision: str = data["precision"] or answer.precision
        tolerance: int = data["tolerance"] or 0
        the_answer = f"The answer is {answer.human()}."
        if isinstance(response, int) and not isinstance(response, bool):
            response = str(response)
        text = _typed(response)
        if text is None:
            return Grade(0.0, ("No date was given." if response is None or isinstance(response, str)
                               else "Please type a date.", the_answer))
        text = re.sub(r"\s*[-/.]\s*", "-", text)
        text = re.sub(r"^\d{1,3}(?=-|$)", lambda m: m.group().zfill(4), text)
        layout = _DATE_LAYOUTS[precision]
        if not re.fullmatch(r"\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?", text):
            return Grade(0.0, (f"Please write the date as {layout}.", the_answer))
        try:
            given = PartialDate.parse(text)
        except DateFormatError as error:
            return Grade(0.0, (f"{error}.", the_answer))
        if given.year < 1:
            return Grade(0.0, ("There is no year 0: the years go from 1 to 9999.", the_answer))
        rank = _PRECISIONS.index
        if rank(given.precision) < rank(precision):
            missing = {("year", "month"): "the month", ("year", "day"): "the month and the day",
                       ("month", "day"): "the day"}[(given.precision, precision)]
            return Grade(0.0, (f"Please give {missing} too ({layout}).", the_answer))
        if precision == "year":
            difference = abs(given.year - answer.year)
        elif precision == "month":
            difference = abs((given.year * 12 + (given.month or 1)) - (answer.year * 12 + (answer.month or 1)))
        else:
            difference = abs((given.first_day() - answer.first_day()).days)
        if difference == 0:
            return Grade(1.0)
        off = f"{difference} {precision}{'s' if difference > 1 else ''}"
        if difference <= tolerance:
            return Grade(1.0, (f"Close enough ({off} off): the exact date is {answer.human()}.",))
        return Grade(0.0, (f"The answer is {answer.human()}; yours is {off} off.",))


_PRECISIONS = ("year", "month", "day")
_DATE_LAYOUTS = {"year": "YYYY", "month": "YYYY-MM", "day": "YYYY-MM-DD"}


class Cloze(QuestionType):
    name = "cloze"
    label = "Fill the gaps"
    fields = ("fuzzy",)

    def read(self, f: Fields, prompt: str | None) -> Data:
        gaps: list[list[str]] = []
        if prompt is not None:
            for match in CLOZE_GAP.finditer(prompt):
                alternatives = [a.strip() for a in match.group(1).split("|") if a.strip()]
                if not alternatives:
                    f.at(f.node.get("prompt") or f.node, f"gap {len(gaps) + 1} of the prompt is empty; write the answer between {{{{ and }}}}")
                gaps.append(alternatives)
            if not gaps:
                f.at(f.node.get("prompt") or f.node, "a cloze prompt needs at least one gap, written {{answer}}")
        return {"gaps": gaps, "fuzzy": f.boolean("fuzzy", False, True)}

    def answer(self, data: Data) -> Any:
        return [g[0] for g in data["gaps"] if g]

    def named_answers(self, data: Data) -> tuple[str, ...]:
        return tuple(form for gap in data["gaps"] for form in gap)

    def display_prompt(self, prompt: str) -> str:
        return CLOZE_GAP.sub("_____", prompt)

    def extra_export(self, data: Data) -> Data:
        return {"gaps": data["gaps"], "fuzzy": data["fuzzy"]}

    def present(self, prompt: str, data: Data, rng: random.Random) -> Shown:
        return {"segments": cloze_segments(prompt), "gaps": len(data["gaps"]), "limit": GAP_LIMIT}

    def read_response(self, form: Form, shown: Shown) -> Any:
        """The text of every gap; Unreadable when one is empty or too long."""
        count: int = shown["gaps"]
        texts: list[str] = []
        empty: list[int] = []
        for index in range(count):
            box = f"Gap {index + 1}" if count > 1 else "The gap"
            try:
                texts.append(_typed_text(form, f"gap-{index}", GAP_LIMIT, box))
            except Unreadable:
                if _one(form, f"gap-{index}"):  # too long, not empty
                    raise
                empty.append(index)
        if empty:
            if count == 1:
                raise Unreadable("The gap is empty: type your answer in it.", "gap-0")
            names = ", ".join(str(i + 1) for i in empty[:-1]) + (" and " if len(empty) > 1 else "") + str(empty[-1] + 1)
            raise Unreadable(f"Gap{'s' if len(empty) > 1 else ''} {names} {'are' if len(empty) > 1 else 'is'} "
                             "empty: fill in every gap.", f"gap-{empty[0]}")
        return texts

    def grade(self, data: Data, response: Any) -> Grade:
        """The share of gaps filled right, each graded like a short answer (a near miss is
        refused when it is at least as close to another gap's answer)."""
        gaps: list[list[str]] = data["gaps"]
        if not gaps:
            return Grade(0.0)
        if response is None or isinstance(response, str):
            response = [response or ""]
        if not isinstance(response, (list, tuple)):
            return Grade(0.0, ("Please fill in the gaps.",
                               *(self._gap(n, len(gaps), f"The answer is {_q(g[0])}.") for n, g in enumerate(gaps))))
        right = 0.0
        feedback: list[str] = []
        for n, alternatives in enumerate(gaps):
            text = _typed(response[n]) if n < len(response) else None
            the_answer = f"The answer is {_q(alternatives[0])}."
            if text is None:
                feedback.append(self._gap(n, len(gaps), f"No answer was given. {the_answer}"))
                continue
            others = [a for m, g in enumerate(gaps) if m != n for a in g]
            result = match_text(text, alternatives, fuzzy=data["fuzzy"], wrong=others)
            if result.accepted:
                right += 1
                if result.how is not How.EXACT:
                    feedback.append(self._gap(n, len(gaps), _you_wrote(text, alternatives[0])))
            else:
                feedback.append(self._gap(n, len(gaps), f"You wrote {_q(text)}. {the_answer}"))
        return Grade(right / len(gaps), tuple(feedback))

    @staticmethod
    def _gap(n: int, count: int, sentence: str) -> str:
        """The sentence about gap n, named when there are several gaps."""
        return f"Gap {n + 1}: {sentence}" if count > 1 else sentence
