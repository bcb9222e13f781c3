"""Choice types: one option (mcq), several (multi), true or false."""
from __future__ import annotations

import random
from typing import Any

from ..fields import Fields
from .base import (
    Data,
    Form,
    Grade,
    QuestionType,
    Shown,
    Unreadable,
    _one,
    _option_key,
    _q,
    _q_list,
    _shuffled,
    _typed,
)


class Mcq(QuestionType):
    name = "mcq"
    label = "Multiple choice"
    fields = ("answer", "distractors")
    fixed_options = True

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

    def named_answers(self, data: Data) -> tuple[str, ...]:
        return (data["answer"],)

    def extra_export(self, data: Data) -> Data:
        return {"distractors": data["distractors"], "options": [data["answer"], *data["distractors"]]}

    def present(self, prompt: str, data: Data, rng: random.Random) -> Shown:
        return {"options": _shuffled([data["answer"], *data["distractors"]], rng)}

    def read_response(self, form: Form, shown: Shown) -> Any:
        value = _one(form, "choice")
        if value not in shown["options"]:
            raise Unreadable("No option is chosen: choose one of the options.", "choice")
        return value

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
    fixed_options = True

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

    def named_answers(self, data: Data) -> tuple[str, ...]:
        return tuple(data["answers"])

    def extra_export(self, data: Data) -> Data:
        return {"distractors": data["distractors"], "options": [*data["answers"], *data["distractors"]]}

    def present(self, prompt: str, data: Data, rng: random.Random) -> Shown:
        return {"options": _shuffled([*data["answers"], *data["distractors"]], rng)}

    def read_response(self, form: Form, shown: Shown) -> Any:
        picked = set(form.get("choice") or [])
        chosen = [option for option in shown["options"] if option in picked]
        if not chosen:
            raise Unreadable("No option is ticked: tick every option you think is right.", "choice")
        return chosen

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
        value = {"true": True, "false": False}.get(_one(form, "choice"))
        if value is None:
            raise Unreadable("Neither is chosen: choose True or False.", "choice")
        return value

    def grade(self, data: Data, response: Any) -> Grade:
        """Right when the response (True, False or None) is the answer."""
        the_answer = f"The statement is {'true' if data['answer'] else 'false'}."
        if response is None:
            return Grade(0.0, ("No answer was given.", the_answer))
        if not isinstance(response, bool):
            return Grade(0.0, ("Please choose True or False.", the_answer))
        return Grade(1.0) if response == data["answer"] else Grade(0.0, (the_answer,))
