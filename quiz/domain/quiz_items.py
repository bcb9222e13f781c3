"""How a question is shown in a quiz and how a submitted form is read back.

`present` decides what the learner sees (shuffled options, events without their dates,
cloze text with blanks) and never includes the answer. `read_response` turns the
submitted form fields into the response shape the type's grader expects.
"""
from __future__ import annotations

import random
from typing import Any, Callable, Mapping

from .question_types import CLOZE_GAP

Shown = dict[str, Any]
Form = Mapping[str, list[str]]


def _shuffled(items: list[str], rng: random.Random, avoid_identity: bool = False) -> list[str]:
    result = list(items)
    rng.shuffle(result)
    if avoid_identity and len(set(items)) > 1:
        while result == items:
            rng.shuffle(result)
    return result


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


def present(qtype: str, prompt: str, data: dict[str, Any], rng: random.Random) -> Shown:
    """What the learner is shown for a question; contains no answer."""
    if qtype == "mcq":
        return {"options": _shuffled([data["answer"], *data["distractors"]], rng)}
    if qtype == "multi":
        return {"options": _shuffled([*data["answers"], *data["distractors"]], rng)}
    if qtype == "number":
        return {"unit": data.get("unit")}
    if qtype == "date":
        return {"precision": data["precision"]}
    if qtype == "order":
        return {"items": _shuffled([item["text"] for item in data["items"]], rng, avoid_identity=True)}
    if qtype == "match":
        lefts = [pair["left"] for pair in data["pairs"]]
        rights = [pair["right"] for pair in data["pairs"]] + list(data.get("distractors", []))
        return {"lefts": _shuffled(lefts, rng), "rights": _shuffled(rights, rng)}
    if qtype == "cloze":
        return {"segments": cloze_segments(prompt), "gaps": len(data["gaps"])}
    return {}


def _one(form: Form, name: str) -> str:
    values = form.get(name) or [""]
    return values[0].strip()


def _choice(form: Form, shown: Shown) -> str | None:
    value = _one(form, "choice")
    return value if value in shown["options"] else None


def _choices(form: Form, shown: Shown) -> list[str]:
    picked = set(form.get("choice") or [])
    return [option for option in shown["options"] if option in picked]


def _truefalse(form: Form, shown: Shown) -> bool | None:
    return {"true": True, "false": False}.get(_one(form, "choice"))


def _text(form: Form, shown: Shown) -> str:
    return _one(form, "answer")[:500]


def _date(form: Form, shown: Shown) -> str:
    """YYYY, YYYY-MM or YYYY-MM-DD from the fields asked; stops at the first one left blank."""
    names = {"year": ["year"], "month": ["year", "month"], "day": ["year", "month", "day"]}[shown["precision"]]
    parts: list[str] = []
    for name in names:
        value = _one(form, name)
        if not value:
            break
        parts.append(value.zfill(2) if parts else value)
    return "-".join(parts)


def _order(form: Form, shown: Shown) -> list[str]:
    items = shown["items"]

    def position(index: int) -> tuple[int, int]:
        value = _one(form, f"pos-{index}")
        return (int(value) if value.isdigit() else len(items) + 1, index)

    return [items[i] for i in sorted(range(len(items)), key=position)]


def _match(form: Form, shown: Shown) -> dict[str, str]:
    result = {}
    for index, left in enumerate(shown["lefts"]):
        value = _one(form, f"match-{index}")
        if value in shown["rights"]:
            result[left] = value
    return result


def _cloze(form: Form, shown: Shown) -> list[str]:
    return [_one(form, f"gap-{index}")[:200] for index in range(shown["gaps"])]


def _card(form: Form, shown: Shown) -> bool | None:
    return {"yes": True, "no": False}.get(_one(form, "knew"))


_READERS: dict[str, Callable[[Form, Shown], Any]] = {
    "mcq": _choice, "multi": _choices, "truefalse": _truefalse, "short": _text, "number": _text,
    "date": _date, "order": _order, "match": _match, "cloze": _cloze, "card": _card,
}


def read_response(qtype: str, form: Form, shown: Shown) -> Any:
    """The learner's response from the submitted form, in the grader's shape."""
    return _READERS[qtype](form, shown)


def is_blank(response: Any) -> bool:
    """True when nothing was answered (the learner may still submit it)."""
    if response is None:
        return True
    if isinstance(response, str):
        return not response.strip()
    if isinstance(response, (list, dict)):
        return not any(str(v).strip() for v in (response.values() if isinstance(response, dict) else response))
    return False
