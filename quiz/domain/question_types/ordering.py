"""Arranging: events in order, pairs to match."""
from __future__ import annotations

import random
from typing import Any

from ..dates import PartialDate
from ..fields import Fields
from ..yamldoc import Map
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
    _whole,
)


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
        return {"items": _shuffled([item["text"] for item in data["items"]], rng)}

    def read_response(self, form: Form, shown: Shown) -> Any:
        """The events in the order of the places chosen (pos-N is the place of the N-th event
        shown); every event needs its own place from 1 to the number of events."""
        items: list[str] = shown["items"]
        places: dict[int, int] = {}
        unplaced: list[int] = []
        for index in range(len(items)):
            place = _whole(_one(form, f"pos-{index}"), 3)
            if place is None or not 1 <= place <= len(items):
                unplaced.append(index)
            else:
                places[index] = place
        if unplaced:
            raise Unreadable(f"Choose a place from 1 to {len(items)} for {_q_list([items[i] for i in unplaced])}.",
                             f"pos-{unplaced[0]}")
        by_place: dict[int, list[int]] = {}
        for index, place in places.items():
            by_place.setdefault(place, []).append(index)
        for place, indexes in sorted(by_place.items()):
            if len(indexes) > 1:
                raise Unreadable(f"{_q_list([items[i] for i in indexes])} {'both' if len(indexes) == 2 else 'all'} have place {place}: "
                                 "give each event a place of its own.", f"pos-{indexes[1]}")
        return [items[i] for i in sorted(places, key=places.__getitem__)]

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
        unmatched: list[int] = []
        for index, left in enumerate(shown["lefts"]):
            value = _one(form, f"match-{index}")
            if value in shown["rights"]:
                result[left] = value
            else:
                unmatched.append(index)
        if unmatched:
            raise Unreadable(f"Choose a match for {_q_list([shown['lefts'][i] for i in unmatched])} in its menu.",
                             f"match-{unmatched[0]}")
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
