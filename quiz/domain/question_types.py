"""The question types: one class per type, registered by name.

Each class reads and validates its answer data from a bank, describes its correct
answer for export and for instructors, and grades a learner's response. Adding a type
is adding a class here (and its templates); nothing else changes.
"""
from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Mapping

from .answers import How, match_text, parse_number
from .dates import DateFormatError, PartialDate
from .fields import Fields
from .yamldoc import Map

Data = dict[str, Any]

CLOZE_GAP = re.compile(r"\{\{(.*?)\}\}")
Shown = dict[str, Any]  # what a quiz shows for a question: shuffled options, blanks… never the answer
Form = Mapping[str, list[str]]  # submitted form fields, each with its list of values


def _shuffled(items: list[str], rng: random.Random, avoid_identity: bool = False) -> list[str]:
    result = list(items)
    rng.shuffle(result)
    if avoid_identity and len(set(items)) > 1:
        while result == items:
            rng.shuffle(result)
    return result


def _one(form: Form, name: str) -> str:
    values = form.get(name) or [""]
    return values[0].strip()


def cloze_segments(prompt: str) -> list[dict[str, Any]]:
    """The prompt cut into text and numbered gaps, without the gaps' answers."""
    segments: list[dict[str, Any]] = []
    last = 0
    for index, match in enumerate(CLOZE_GAP.finditer(prompt)):
        if match.start() > last:
            segments.append({"text": prompt[last:match.start()]})
        segments.append({"gap": index})
        last = match.end()
    if last < len(prompt):
        segments.append({"text": prompt[last:]})
    return segments


@dataclass(frozen=True)
class Grade:
    """How right a response is (0.0–1.0, partial credit between) and what to tell the learner."""

    score: float
    feedback: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"a score is between 0 and 1, not {self.score}")

    @property
    def correct(self) -> bool:
        return self.score >= 0.999

    @property
    def partial(self) -> bool:
        return 0.0 < self.score and not self.correct


def _q(text: object) -> str:
    """Text in curly quotes, as feedback shows the learner's words and the answers."""
    return f"“{text}”"


def _q_list(texts: list[str]) -> str:
    """“A”, “B” and “C”."""
    quoted = [_q(t) for t in texts]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _option_key(text: str) -> str:
    """An option as sent back by a form: compared without case or spacing differences."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def _typed(response: Any) -> str | None:
    """The typed text of a response with its spacing tidied, or None when there is none."""
    if not isinstance(response, str):
        return None
    text = " ".join(response.split())
    return text or None


def _you_wrote(text: str, answer: str) -> str:
    return f"You wrote {_q(text)} — accepted as {_q(answer)}."


def _number_text(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


class QuestionType:
    """Base class: a type's name, its own fields and how to read them."""

    name: ClassVar[str]
    label: ClassVar[str]
    fields: ClassVar[tuple[str, ...]] = ()

    def read(self, f: Fields, prompt: str | None) -> Data:
        """Validate the type's own fields and return its answer data."""
        raise NotImplementedError

    def answer(self, data: Data) -> Any:
        """The correct answer, as exported."""
        raise NotImplementedError

    def display_prompt(self, prompt: str) -> str:
        """The prompt as shown before answering (never revealing the answer)."""
        return prompt

    def present(self, prompt: str, data: Data, rng: random.Random) -> Shown:
        """What a quiz shows for the question besides its prompt; never the answer."""
        return {}

    def read_response(self, form: Form, shown: Shown) -> Any:
        """The learner's response from the submitted form, in the shape `grade` expects."""
        return _one(form, "answer")[:500]

    def extra_export(self, data: Data) -> Data:
        """Other exported fields (distractors, options…)."""
        return {}

    def answer_text(self, data: Data) -> str:
        """The correct answer in words, for instructors."""
        answer = self.answer(data)
        if isinstance(answer, list):
            return "; ".join(str(a) for a in answer)
        return str(answer)

    def grade(self, data: Data, response: Any) -> Grade:
        """Score a learner's response (in this type's response shape) with feedback; never raises."""
        raise NotImplementedError


class Mcq(QuestionType):
    name = "mcq"
    label = "Multiple choice"
    fields = ("answer", "distractors")

    def read(self, f: Fields, prompt: str | None) -> Data:
        answer = f.text("answer")
        distractors = f.texts("distractors", minimum=2)
        if answer is not None:
            for text, node in distractors:
                if text.casefold() == answer.casefold():
                    f.at(node, f"the distractor '{text}' is also the answer; a distractor must be wrong")
        return {"answer": answer, "distractors": [t for t, _ in distractors]}

    def answer(self, data: Data) -> Any:
        return data["answer"]

    def extra_export(self, data: Data) -> Data:
        return {"distractors": data["distractors"], "options": [data["answer"], *data["distractors"]]}

    def present(self, prompt: str, data: Data, rng: random.Random) -> Shown:
        return {"options": _shuffled([data["answer"], *data["distractors"]], rng)}

    def read_response(self, form: Form, shown: Shown) -> Any:
        value = _one(form, "choice")
        return value if value in shown["options"] else None

    def grade(self, data: Data, response: Any) -> Grade:
        """Right when the chosen option (a text) is the answer."""
        the_answer = f"The answer is {_q(data['answer'])}."
        chosen = _typed(response)
        if chosen is None:
            return Grade(0.0, ("No option was chosen." if response is None or isinstance(response, str)
                               else "Please choose one of the options.", the_answer))
        if _option_key(chosen) == _option_key(data["answer"]):
            return Grade(1.0)
        if _option_key(chosen) not in {_option_key(d) for d in data["distractors"]}:
            return Grade(0.0, (f"{_q(chosen)} is not one of the options.", the_answer))
        return Grade(0.0, (the_answer,))


class Multi(QuestionType):
    name = "multi"
    label = "Several answers"
    fields = ("answers", "distractors")

    def read(self, f: Fields, prompt: str | None) -> Data:
        answers = f.texts("answers", minimum=1)
        distractors = f.texts("distractors", minimum=1)
        right = {t.casefold() for t, _ in answers}
        for text, node in distractors:
            if text.casefold() in right:
                f.at(node, f"'{text}' is both an answer and a distractor")
        return {"answers": [t for t, _ in answers], "distractors": [t for t, _ in distractors]}

    def answer(self, data: Data) -> Any:
        return data["answers"]

    def extra_export(self, data: Data) -> Data:
        return {"distractors": data["distractors"], "options": [*data["answers"], *data["distractors"]]}

    def present(self, prompt: str, data: Data, rng: random.Random) -> Shown:
        return {"options": _shuffled([*data["answers"], *data["distractors"]], rng)}

    def read_response(self, form: Form, shown: Shown) -> Any:
        picked = set(form.get("choice") or [])
        return [option for option in shown["options"] if option in picked]

    def grade(self, data: Data, response: Any) -> Grade:
        """(right picks − wrong picks) / number of right answers, never below 0."""
        answers: list[str] = data["answers"]
        right_answers = f"The right answers are {_q_list(answers)}." if len(answers) > 1 \
            else f"The right answer is {_q(answers[0])}."
        if isinstance(response, str):
            response = [response]
        if response is None:
            response = []
        if not isinstance(response, (list, tuple, set, frozenset)):
            return Grade(0.0, ("Please tick the options you think are right.", right_answers))
        picks: dict[str, str] = {}
        for item in response:
            text = _typed(item)
            if text is not None:
                picks.setdefault(_option_key(text), text)
        if not picks:
            return Grade(0.0, ("No option was chosen.", right_answers))
        right = {_option_key(a): a for a in answers}
        distractors = {_option_key(d) for d in data["distractors"]}
        hits = [right[k] for k in right if k in picks]
        missed = [right[k] for k in right if k not in picks]
        wrong = [text for k, text in picks.items() if k in distractors]
        unknown = [text for k, text in picks.items() if k not in right and k not in distractors]
        score = max(0.0, (len(hits) - len(wrong) - len(unknown)) / len(answers)) if answers else 0.0
        feedback: list[str] = []
        if missed:
            feedback.append(f"You missed {_q_list(missed)}.")
        if len(wrong) == 1:
            feedback.append(f"{_q(wrong[0])} is not a right answer.")
        elif wrong:
            feedback.append(f"{_q_list(wrong)} are not right answers.")
        for text in unknown:
            feedback.append(f"{_q(text)} is not one of the options.")
        return Grade(score, tuple(feedback))


class TrueFalse(QuestionType):
    name = "truefalse"
    label = "True or false"
    fields = ("answer",)

    def read(self, f: Fields, prompt: str | None) -> Data:
        return {"answer": f.boolean("answer", required=True)}

    def answer(self, data: Data) -> Any:
        return data["answer"]

    def answer_text(self, data: Data) -> str:
        return "True" if data["answer"] else "False"

    def read_response(self, form: Form, shown: Shown) -> Any:
        return {"true": True, "false": False}.get(_one(form, "choice"))

    def grade(self, data: Data, response: Any) -> Grade:
        """Right when the response (True, False or None) is the answer."""
        the_answer = f"The statement is {'true' if data['answer'] else 'false'}."
        if response is None:
            return Grade(0.0, ("No answer was given.", the_answer))
        if not isinstance(response, bool):
            return Grade(0.0, ("Please choose True or False.", the_answer))
        return Grade(1.0) if response == data["answer"] else Grade(0.0, (the_answer,))


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

    def extra_export(self, data: Data) -> Data:
        return {"accept": data["accept"], "fuzzy": data["fuzzy"]}

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
        return {"unit": data.get("unit")}

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
        """YYYY, YYYY-MM or YYYY-MM-DD from the fields asked; stops at the first one left blank."""
        names = {"year": ["year"], "month": ["year", "month"], "day": ["year", "month", "day"]}[shown["precision"]]
        parts: list[str] = []
        for name in names:
            value = _one(form, name)
            if not value:
                break
            parts.append(value.zfill(2) if parts else value)
        return "-".join(parts)

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


class Order(QuestionType):
    name = "order"
    label = "Put in order"
    fields = ("items",)

    def read(self, f: Fields, prompt: str | None) -> Data:
        seq = f.sequence("items", required=True)
        items: list[tuple[PartialDate, str]] = []
        if seq is None:
            return {"items": []}
        if len(seq.items) < 2:
            f.at(seq, f"'items' needs at least 2 events to put in order, it has {len(seq.items)}")
        seen: dict[str, int] = {}
        for index, node in enumerate(seq.items, start=1):
            if not isinstance(node, Map):
                f.at(node, f"item {index} of 'items' should have a 'text' and a 'date'")
                continue
            item = Fields(node, f"item {index} of 'items'", f.report)
            item.check_known(("text", "date"))
            text = item.text("text")
            if node.get("date") is None:
                f.at(node, f"item {index} of 'items' has no 'date'; every event needs one so the right order is known")
                continue
            when = item.date("date")
            if text and text.casefold() in seen:
                f.at(node, f"the event '{text}' is listed twice (first at line {seen[text.casefold()]})")
            if text:
                seen[text.casefold()] = node.line
            if text and when:
                for other_when, other_text in items:
                    if when.overlaps(other_when):
                        f.at(node, f"the date {when} of '{text}' overlaps the date {other_when} of '{other_text}', "
                                   "so the right order is ambiguous; give dates that do not overlap")
                items.append((when, text))
        items.sort(key=lambda pair: pair[0].first_day())
        return {"items": [{"text": text, "date": str(when)} for when, text in items]}

    def answer(self, data: Data) -> Any:
        return [item["text"] for item in data["items"]]

    def extra_export(self, data: Data) -> Data:
        return {"items": data["items"]}

    def present(self, prompt: str, data: Data, rng: random.Random) -> Shown:
        return {"items": _shuffled([item["text"] for item in data["items"]], rng, avoid_identity=True)}

    def read_response(self, form: Form, shown: Shown) -> Any:
        items = shown["items"]

        def position(index: int) -> tuple[int, int]:
            value = _one(form, f"pos-{index}")
            return (int(value) if value.isdigit() else len(items) + 1, index)

        return [items[i] for i in sorted(range(len(items)), key=position)]

    def grade(self, data: Data, response: Any) -> Grade:
        """The share of pairs of events put in the right relative order (Kendall-style). A
        missing or repeated event loses every pair it is in; an unknown one is reported and
        otherwise ignored."""
        items: list[str] = [item["text"] for item in data["items"]]
        right_order = "The right order is " + ", ".join(_q(t) for t in items) + "."
        if response is None or isinstance(response, str) and not response.strip():
            response = []
        if not isinstance(response, (list, tuple)):
            return Grade(0.0, ("Please put the events in order.", right_order))
        index = {_option_key(text): i for i, text in enumerate(items)}
        counts: dict[int, int] = {}
        placed: list[int] = []
        feedback: list[str] = []
        for entry in response:
            text = _typed(entry)
            if text is None:
                continue
            i = index.get(_option_key(text))
            if i is None:
                feedback.append(f"{_q(text)} is not one of the events.")
                continue
            counts[i] = counts.get(i, 0) + 1
            placed.append(i)
        if not placed and not feedback:
            return Grade(0.0, ("No order was given.", right_order))
        for i, count in counts.items():
            if count > 1:
                feedback.append(f"{_q(items[i])} is listed more than once, so it counts as misplaced.")
        placed = [i for i in placed if counts[i] == 1]
        missing = [items[i] for i in range(len(items)) if i not in counts]
        if missing:
            feedback.append(f"You left out {_q_list(missing)}.")
        total = len(items) * (len(items) - 1) // 2
        right = sum(1 for a, first in enumerate(placed) for second in placed[a + 1:] if first < second)
        if total == 0:
            return Grade(1.0 if not missing and not feedback else 0.0, tuple(feedback))
        if right < total:
            feedback.append(f"{right} of {total} pairs of events are in the right order.")
        if feedback:
            feedback.append(right_order)
        return Grade(right / total, tuple(feedback))


class Match(QuestionType):
    name = "match"
    label = "Match pairs"
    fields = ("pairs", "distractors")

    def read(self, f: Fields, prompt: str | None) -> Data:
        seq = f.sequence("pairs", required=True)
        pairs: list[dict[str, str]] = []
        if seq is not None:
            if len(seq.items) < 2:
                f.at(seq, f"'pairs' needs at least 2 pairs, it has {len(seq.items)}")
            lefts: dict[str, int] = {}
            rights: dict[str, int] = {}
            for index, node in enumerate(seq.items, start=1):
                if not isinstance(node, Map):
                    f.at(node, f"pair {index} should have a 'left' and a 'right'")
                    continue
                pair = Fields(node, f"pair {index}", f.report)
                pair.check_known(("left", "right"))
                left, right = pair.text("left"), pair.text("right")
                for side, value, seen in (("left", left, lefts), ("right", right, rights)):
                    if value and value.casefold() in seen:
                        f.at(node, f"the {side} item '{value}' is used twice (first at line {seen[value.casefold()]})")
                    elif value:
                        seen[value.casefold()] = node.line
                if left and right:
                    pairs.append({"left": left, "right": right})
        distractors = f.texts("distractors", required=False)
        right_texts = {p["right"].casefold() for p in pairs}
        for text, node in distractors:
            if text.casefold() in right_texts:
                f.at(node, f"the distractor '{text}' is also a right-hand item of a pair")
        return {"pairs": pairs, "distractors": [t for t, _ in distractors]}

    def answer(self, data: Data) -> Any:
        return {p["left"]: p["right"] for p in data["pairs"]}

    def answer_text(self, data: Data) -> str:
        return "; ".join(f"{p['left']} → {p['right']}" for p in data["pairs"])

    def extra_export(self, data: Data) -> Data:
        return {"pairs": data["pairs"], "distractors": data["distractors"],
                "options": [*(p["right"] for p in data["pairs"]), *data["distractors"]]}

    def present(self, prompt: str, data: Data, rng: random.Random) -> Shown:
        lefts = [pair["left"] for pair in data["pairs"]]
        rights = [pair["right"] for pair in data["pairs"]] + list(data.get("distractors", []))
        return {"lefts": _shuffled(lefts, rng), "rights": _shuffled(rights, rng)}

    def read_response(self, form: Form, shown: Shown) -> Any:
        result = {}
        for index, left in enumerate(shown["lefts"]):
            value = _one(form, f"match-{index}")
            if value in shown["rights"]:
                result[left] = value
        return result

    def grade(self, data: Data, response: Any) -> Grade:
        """The share of left items matched with their right item."""
        pairs: list[dict[str, str]] = data["pairs"]
        if response is None:
            response = {}
        if not isinstance(response, dict):
            return Grade(0.0, ("Please match each item.",
                               *(f"{_q(p['left'])} goes with {_q(p['right'])}." for p in pairs)))
        chosen = {_option_key(left): _typed(right) for left, right in response.items() if isinstance(left, str)}
        right_count = 0
        feedback: list[str] = []
        for pair in pairs:
            given = chosen.get(_option_key(pair["left"]))
            if given is None:
                feedback.append(f"{_q(pair['left'])} was not matched; it goes with {_q(pair['right'])}.")
            elif _option_key(given) == _option_key(pair["right"]):
                right_count += 1
            else:
                feedback.append(f"{_q(pair['left'])} goes with {_q(pair['right'])}, not {_q(given)}.")
        lefts = {_option_key(p["left"]) for p in pairs}
        for left in response:
            if isinstance(left, str) and _option_key(left) not in lefts:
                feedback.append(f"{_q(left)} is not one of the items to match.")
        return Grade(right_count / len(pairs) if pairs else 0.0, tuple(feedback))


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

    def display_prompt(self, prompt: str) -> str:
        return CLOZE_GAP.sub("_____", prompt)

    def extra_export(self, data: Data) -> Data:
        return {"gaps": data["gaps"], "fuzzy": data["fuzzy"]}

    def present(self, prompt: str, data: Data, rng: random.Random) -> Shown:
        return {"segments": cloze_segments(prompt), "gaps": len(data["gaps"])}

    def read_response(self, form: Form, shown: Shown) -> Any:
        return [_one(form, f"gap-{index}")[:200] for index in range(shown["gaps"])]

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


class Card(QuestionType):
    name = "card"
    label = "Flashcard"
    fields = ("back",)

    def read(self, f: Fields, prompt: str | None) -> Data:
        return {"back": f.text("back")}

    def answer(self, data: Data) -> Any:
        return data["back"]

    def read_response(self, form: Form, shown: Shown) -> Any:
        return {"yes": True, "no": False}.get(_one(form, "knew"))

    def grade(self, data: Data, response: Any) -> Grade:
        """1.0 when the learner says they knew it, else 0."""
        if response is True:
            return Grade(1.0)
        if response is False:
            return Grade(0.0)
        if response is None:
            return Grade(0.0, ("No answer was given.",))
        return Grade(0.0, ("Please say whether you knew it.",))


QUESTION_TYPES: dict[str, QuestionType] = {
    cls.name: cls() for cls in (Mcq, Multi, TrueFalse, Short, Number, Date, Order, Match, Cloze, Card)
}


def grade(qtype: str, data: Data, response: Any) -> Grade:
    """Grade a response to a question of this type; ValueError for an unknown type."""
    question_type = QUESTION_TYPES.get(qtype)
    if question_type is None:
        raise ValueError(f"unknown question type '{qtype}'")
    return question_type.grade(data, response)

# Names authors often try, mapped to ours, for "did you mean".
TYPE_SYNONYMS = {
    "multiple-choice": "mcq", "multiple_choice": "mcq", "choice": "mcq", "single": "mcq", "qcm": "mcq",
    "multiple": "multi", "checkbox": "multi", "checkboxes": "multi",
    "true-false": "truefalse", "true_false": "truefalse", "tf": "truefalse", "bool": "truefalse",
    "boolean": "truefalse", "yesno": "truefalse",
    "text": "short", "answer": "short", "free": "short", "string": "short",
    "numeric": "number", "integer": "number", "int": "number", "float": "number",
    "year": "date", "when": "date", "sequence": "order", "ordering": "order", "chronology": "order",
    "matching": "match", "pairs": "match", "fill": "cloze", "gap": "cloze", "gaps": "cloze",
    "fill-in": "cloze", "flashcard": "card", "front-back": "card",
}
