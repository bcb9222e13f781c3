"""Anki packages (.apkg, written with genanki): one note per question.

A question becomes a note with a front (the prompt, and the options of a choice, order or match
question), a back (the answer), the explanation and the source; a cloze question becomes an
Anki cloze note (`{{c1::…}}`). A note's GUID comes from its question id, so importing a newer
export into Anki updates the notes instead of adding copies. Bank text is plain text: it is
escaped for Anki's HTML fields.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from html import escape

import genanki

from ..domain.banks import BankSpec, QuestionSpec, SourceSpec
from ..domain.dates import PartialDate
from ..domain.question_types import QUESTION_TYPES
from ..domain.question_types.base import CLOZE_GAP, in_fixed_order

CSS = """.card { font-family: sans-serif; font-size: 20px; text-align: left; color: #111; background: #fff; }
.explanation { margin-top: 1em; font-size: 16px; }
.source { margin-top: 1em; font-size: 13px; color: #555; }
"""


def _stable_id(*parts: str) -> int:
    """A fixed 31-bit id for a model or deck (Anki wants the same id in every export)."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return int.from_bytes(digest[:4], "big") >> 1 | 1 << 30


_EXTRA = '<div class="explanation">{{Explanation}}</div><div class="source">{{Source}}</div>'


def _model(key: str, name: str, first: list[str], question: str, answer: str, model_type: int) -> genanki.Model:
    """A note type whose fields are `first`, then the explanation and the source."""
    return genanki.Model(
        _stable_id("quiz", "model", key), name,
        fields=[{"name": n} for n in (*first, "Explanation", "Source")],
        templates=[{"name": "Cloze" if key == "cloze" else "Card 1", "qfmt": question, "afmt": answer + _EXTRA}],
        css=CSS, model_type=model_type,
    )


BASIC = _model("basic", "Quiz question", ["Front", "Back"], "{{Front}}", '{{FrontSide}}<hr id="answer">{{Back}}',
               genanki.Model.FRONT_BACK)
CLOZE = _model("cloze", "Quiz cloze", ["Text", "Back Extra"], "{{cloze:Text}}", "{{cloze:Text}}<br>{{Back Extra}}",
               genanki.Model.CLOZE)


def note_guid(question_id: str) -> str:
    """The GUID of a question's note: the same in every export of the question."""
    return str(genanki.guid_for("quiz-question", question_id))


def _list(items: list[str], ordered: bool = False) -> str:
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{escape(item)}</li>" for item in items) + f"</{tag}>"


def _front_and_back(question: QuestionSpec) -> tuple[str, str]:
    """The HTML of a question's front and back (every bank text escaped)."""
    data, prompt = question.data, escape(question.prompt)
    kind = QUESTION_TYPES[question.type]
    if question.type in ("mcq", "multi"):
        answers = [data["answer"]] if question.type == "mcq" else data["answers"]
        return prompt + _list(in_fixed_order([*answers, *data["distractors"]])), _list(answers)
    if question.type == "truefalse":
        return prompt + "<br><i>True or false?</i>", "True" if data["answer"] else "False"
    if question.type == "order":
        items = data["items"]
        return (prompt + _list(in_fixed_order([i["text"] for i in items])),
                _list([f"{i['text']} ({PartialDate.parse(i['date']).human()})" for i in items], ordered=True))
    if question.type == "match":
        rights = in_fixed_order([p["right"] for p in data["pairs"]] + data["distractors"])
        return (prompt + _list([p["left"] for p in data["pairs"]]) + "<i>Choices:</i>" + _list(rights),
                _list([f"{p['left']} → {p['right']}" for p in data["pairs"]]))
    if question.type == "card":
        return prompt, escape(data["back"])
    if question.type == "short" and data["accept"]:
        return prompt, escape(data["answer"]) + "<br><i>Also accepted:</i> " + escape(", ".join(data["accept"]))
    return prompt, escape(kind.answer_text(data))


def _cloze_text(question: QuestionSpec) -> tuple[str, str]:
    """The prompt with Anki cloze deletions, and the other accepted answers (Back Extra)."""
    parts: list[str] = []
    others: list[str] = []
    last = 0
    for number, match in enumerate(CLOZE_GAP.finditer(question.prompt), start=1):
        forms = [f.strip() for f in match.group(1).split("|") if f.strip()]
        parts.append(escape(question.prompt[last:match.start()]))
        # '}}' and '::' inside an answer would end or split the deletion: break them up
        answer = escape(forms[0] if forms else "").replace("}}", "}&#8203;}").replace("::", ":&#8203;:")
        parts.append(f"{{{{c{number}::{answer}}}}}")
        if len(forms) > 1:
            others.append(f"{forms[0]}: also {', '.join(forms[1:])}")
        last = match.end()
    parts.append(escape(question.prompt[last:]))
    extra = "<i>Also accepted:</i> " + escape("; ".join(others)) if others else ""
    return "".join(parts), extra


def _source_text(source: SourceSpec | None, paragraph: int) -> str:
    if source is None:
        return ""
    who = ", ".join(p for p in (source.author, source.publisher) if p)
    text = f"{who}: {source.title} ({source.date}), paragraph {paragraph}"
    if source.url:
        return f'{escape(text)} — <a href="{escape(source.url)}">{escape(source.url)}</a>'
    return escape(text)


def notes(spec: BankSpec) -> list[genanki.Note]:
    """One note per question of the bank."""
    result = []
    for question in spec.questions:
        source = _source_text(spec.sources.get(question.source_id), question.paragraph)
        explanation = escape(question.explanation)
        if question.type == "cloze":
            text, extra = _cloze_text(question)
            model, fields = CLOZE, [text, extra, explanation, source]
        else:
            front, back = _front_and_back(question)
            model, fields = BASIC, [front, back, explanation, source]
        result.append(genanki.Note(model=model, fields=fields, tags=list(question.tags), guid=note_guid(question.id)))
    return result


def package_bytes(spec: BankSpec, timestamp: float | None = None) -> bytes:
    """The bank as an .apkg file. `timestamp` (seconds) is the notes' modification time, now by
    default: Anki updates a note on import only when the file's copy is newer."""
    deck = genanki.Deck(_stable_id("quiz", "deck", spec.id), spec.title or spec.id)
    for note in notes(spec):
        deck.add_note(note)
    handle, path = tempfile.mkstemp(suffix=".apkg")
    os.close(handle)
    try:
        genanki.Package(deck).write_to_file(path, timestamp=timestamp)
        with open(path, "rb") as file:
            return file.read()
    finally:
        os.unlink(path)


def export_bank(spec: BankSpec) -> bytes:
    """The bank as an Anki package."""
    return package_bytes(spec)
