"""The shared part of every question type: the base class, Grade, and helpers for feedback."""
from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Mapping

from ..fields import Fields

Data = dict[str, Any]

CLOZE_GAP = re.compile(r"\{\{(.*?)\}\}")
Shown = dict[str, Any]  # what a quiz shows for a question: shuffled options, blanks… never the answer
Form = Mapping[str, list[str]]  # submitted form fields, each with its list of values


def _shuffled(items: list[str], rng: random.Random) -> list[str]:
    """A uniformly random order: every order equally likely, the original one included
    (otherwise a two-item question would always be answered by reversing what is shown)."""
    result = list(items)
    rng.shuffle(result)
    return result


def in_fixed_order(options: list[str]) -> list[str]:
    """Options in a stable order that gives nothing away: alphabetical, ignoring case (a bank
    lists the answer first, so its own order would reveal the key)."""
    return sorted(options, key=lambda text: (_option_key(text), text))


ANSWER_LIMIT = 500  # characters a typed answer may have (the form says so and stops there)


class Unreadable(ValueError):
    """A form that cannot be graded as sent: a box left empty, letters in a number box, no
    option chosen. The message speaks of the fields the learner sees and says how to fix
    it; `field` names the form field to point at. Nothing is stored: the learner fixes it."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _one(form: Form, name: str) -> str:
    values = form.get(name) or [""]
    return values[0].strip()


def _typed_text(form: Form, name: str, limit: int, box: str) -> str:
    """The text typed in a box; Unreadable when it is empty or longer than the box takes."""
    text = _one(form, name)
    if len(text) > limit:
        raise Unreadable(f"{box} takes at most {limit} characters and yours has {len(text):,}: "
                         "shorten it, then send it again.", name)
    if _typed(text) is None:
        raise Unreadable(f"{box} is empty: type your answer there.", name)
    return text


def _whole(text: str, digits: int) -> int | None:
    """A whole number typed in decimal digits (of any script, not "²"), at most `digits` long."""
    return int(text) if text.isdecimal() and len(text) <= digits else None


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
    # True when the learner grades themselves (a flashcard): it is not counted in a quiz's score.
    self_assessed: ClassVar[bool] = False
    # True when a teacher may have the options shown in a fixed order (choice types). An order or
    # match question keeps shuffling: its shuffled order is the question itself.
    fixed_options: ClassVar[bool] = False

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

    def shown(self, prompt: str, data: Data, rng: random.Random, shuffle_options: bool = True) -> Shown:
        """What a quiz shows (`present`); with `shuffle_options` off, a choice type's options come
        in a fixed order (`in_fixed_order`) instead of shuffled, other types are unchanged."""
        shown = self.present(prompt, data, rng)
        if shuffle_options or not self.fixed_options:
            return shown
        return {**shown, "options": in_fixed_order(shown["options"])}

    def read_response(self, form: Form, shown: Shown) -> Any:
        """The learner's response from the submitted form, in the shape `grade` expects;
        raises Unreadable when the form cannot be graded as sent (the learner must fix it)."""
        return _typed_text(form, "answer", ANSWER_LIMIT, "The answer box")

    def extra_export(self, data: Data) -> Data:
        """Other exported fields (distractors, options…)."""
        return {}

    def answer_text(self, data: Data) -> str:
        """The correct answer in words, for instructors."""
        answer = self.answer(data)
        if isinstance(answer, list):
            return "; ".join(str(a) for a in answer)
        return str(answer)

    def named_answers(self, data: Data) -> tuple[str, ...]:
        """The answer texts a learner types or picks (accepted variants included): another question
        that shows one of them gives this one away. None for answers that are not a name."""
        return ()

    def grade(self, data: Data, response: Any) -> Grade:
        """Score a learner's response (in this type's response shape) with feedback; never raises."""
        raise NotImplementedError
