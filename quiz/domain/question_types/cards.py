"""Flashcards: the learner reveals the back and says whether they knew it."""
from __future__ import annotations

from typing import Any

from ..fields import Fields
from .base import Data, Form, Grade, QuestionType, Shown, Unreadable, _one


class Card(QuestionType):
    name = "card"
    label = "Flashcard"
    fields = ("back",)
    self_assessed = True

    def read(self, f: Fields, prompt: str | None) -> Data:
        return {"back": f.text("back")}

    def answer(self, data: Data) -> Any:
        return data["back"]

    def read_response(self, form: Form, shown: Shown) -> Any:
        knew = {"yes": True, "no": False}.get(_one(form, "knew"))
        if knew is None:
            raise Unreadable("Say whether you knew it: choose “Yes, I knew it” or “No, I didn't”.", "knew")
        return knew

    def grade(self, data: Data, response: Any) -> Grade:
        """1.0 when the learner says they knew it, else 0."""
        if response is True:
            return Grade(1.0)
        if response is False:
            return Grade(0.0)
        if response is None:
            return Grade(0.0, ("No answer was given.",))
        return Grade(0.0, ("Please say whether you knew it.",))
