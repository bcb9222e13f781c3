"""The question types: one class per type, registered by name.

Each class reads and validates its answer data from a bank, and describes its
correct answer for export and for instructors. Adding a type is adding a class here
(and its templates); nothing else changes.
"""
from __future__ import annotations

import re
from typing import Any, ClassVar

from .dates import PartialDate
from .fields import Fields
from .yamldoc import Map

Data = dict[str, Any]

CLOZE_GAP = re.compile(r"\{\{(.*?)\}\}")


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

    def extra_export(self, data: Data) -> Data:
        """Other exported fields (distractors, options…)."""
        return {}

    def answer_text(self, data: Data) -> str:
        """The correct answer in words, for instructors."""
        answer = self.answer(data)
        if isinstance(answer, list):
            return "; ".join(str(a) for a in answer)
        return str(answer)


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


class Card(QuestionType):
    name = "card"
    label = "Flashcard"
    fields = ("back",)

    def read(self, f: Fields, prompt: str | None) -> Data:
        return {"back": f.text("back")}

    def answer(self, data: Data) -> Any:
        return data["back"]


QUESTION_TYPES: dict[str, QuestionType] = {
    cls.name: cls() for cls in (Mcq, Multi, TrueFalse, Short, Number, Date, Order, Match, Cloze, Card)
}

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
