"""Forms of the form editor: bank details with sources, and one question whose fields follow its type.

Lists of texts (other accepted answers, extra options) are one per line; options, events and pairs
are rows, always shown with a few empty rows to add more (no JavaScript needed: save, and more
empty rows come back). What the loader checks (ids, dates, numbers…) is not checked here: it is
saved as typed and its problem is shown next to the field.
"""
from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from ...domain.bank_editing import BankDetails, QuestionValues, SourceValues
from ...domain.banks import DIFFICULTIES
from ...domain.question_types import QUESTION_TYPES

TEXT = 2000  # characters in one box
LONG = 10_000  # characters in a prompt or an explanation
SPARE_ROWS = 2  # empty rows shown below the filled ones, to add options, events, pairs or a source
PRECISIONS = (("year", "The year (2013)"), ("month", "The month and year (2013-01)"), ("day", "The full date (2013-01-11)"))


def split_tags(text: str) -> list[str]:
    return [tag for tag in re.split(r"[\s,]+", text) if tag]


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class SourceRow(Form):
    was = HiddenField()  # the id the source had (empty: a new source)
    id = StringField("Short id", validators=[Length(max=100)])
    title = StringField("Title", validators=[Length(max=TEXT)])
    publisher = StringField("Publisher", validators=[Length(max=TEXT)])
    date = StringField("Date", description="YYYY, YYYY-MM or YYYY-MM-DD", validators=[Length(max=20)])
    author = StringField("Author (optional)", validators=[Length(max=TEXT)])
    url = StringField("Web address (optional)", validators=[Length(max=TEXT)])
    file = StringField("Text file (optional)", validators=[Length(max=300)])
    remove = BooleanField("Remove this source")


class DetailsForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(message="Give the bank a title."), Length(max=300)])
    description = TextAreaField("Description (optional)", validators=[Length(max=LONG)])
    language = StringField("Language", description="A language tag: en, fr, en-GB…", validators=[Length(max=35)])
    tags = StringField("Tags (optional)", description="Added to every question; separate them with commas or spaces.",
                       validators=[Length(max=TEXT)])
    sources = FieldList(FormField(SourceRow))

    def fill(self, details: BankDetails, sources: list[SourceValues]) -> None:
        self.title.data, self.description.data = details.title, details.description
        self.language.data, self.tags.data = details.language, ", ".join(details.tags)
        for source in sources:
            self.sources.append_entry({**vars(source), "was": source.id})
        self.sources.append_entry()

    def values(self, bank_id: str) -> tuple[BankDetails, list[tuple[str | None, SourceValues]]]:
        details = BankDetails(bank_id, self.title.data or "", self.description.data or "", self.language.data or "",
                              split_tags(self.tags.data or ""))
        sources = []
        for row in self.sources:
            data = row.data
            if data["remove"] or not any(data[name] for name in ("id", "title", "publisher", "date")):
                continue
            sources.append((data["was"] or None, SourceValues(**{name: data[name] or "" for name in (
                "id", "title", "publisher", "date", "author", "url", "file")})))
        return details, sources


class ItemRow(Form):
    text = StringField("Event", validators=[Length(max=TEXT)])
    date = StringField("Date", validators=[Length(max=20)])


class PairRow(Form):
    left = StringField("Left", validators=[Length(max=TEXT)])
    right = StringField("Right", validators=[Length(max=TEXT)])


class QuestionForm(FlaskForm):
    expected_id = HiddenField()  # the question's id when the form was shown: a changed bank is not overwritten
    qid = StringField("Question id", description="Stable and unique across all banks; learners' progress is kept under it.",
                      validators=[DataRequired(message="Give the question an id."), Length(max=100)])
    qtype = SelectField("Type", choices=[SelectChoice(name, kind.label) for name, kind in QUESTION_TYPES.items()])
    prompt = TextAreaField("Question", validators=[Length(max=LONG)])
    options = FieldList(StringField("Option", validators=[Length(max=TEXT)]))
    correct = SelectMultipleField("Correct", validate_choice=False)
    answer = StringField("Answer", validators=[Length(max=TEXT)])
    accept = TextAreaField("Other accepted answers (optional)", description="One per line.",
                           validators=[Length(max=LONG)])
    fuzzy = BooleanField("Accept near-miss spellings", default=True)
    truth = RadioField("The statement is", choices=[SelectChoice("true", "True"), SelectChoice("false", "False")],
                       validate_choice=False)
    tolerance = StringField("Tolerance (optional)", validators=[Length(max=30)])
    unit = StringField("Unit (optional)", validators=[Length(max=100)])
    precision = SelectField("Learners answer with", choices=[SelectChoice(v, label) for v, label in PRECISIONS],
                            validate_choice=False)
    items = FieldList(FormField(ItemRow))
    pairs = FieldList(FormField(PairRow))
    extra = TextAreaField("Extra right-hand options (optional)", description="Wrong matches shown among the right-hand "
                          "items; one per line.", validators=[Length(max=LONG)])
    back = TextAreaField("Back of the card", validators=[Length(max=LONG)])
    explanation = TextAreaField("Explanation", description="1–3 sentences shown after answering.",
                                validators=[Length(max=LONG)])
    source_id = SelectField("Source", validate_choice=False)
    paragraph = StringField("Paragraph", description="Paragraph N is the N-th non-empty line of the source's text.",
                            validators=[Length(max=12)])
    tags = StringField("Tags (optional)", description="Separate them with commas or spaces.",
                       validators=[Length(max=TEXT)])
    difficulty = SelectField("Difficulty (optional)", choices=[SelectChoice("", "—")] + [
        SelectChoice(d, d.capitalize()) for d in DIFFICULTIES])

    def fill(self, values: QuestionValues) -> None:
        """The form showing `values` (and empty rows to add more)."""
        self.expected_id.data, self.qid.data, self.qtype.data = values.id, values.id, values.type
        self.prompt.data, self.explanation.data, self.back.data = values.prompt, values.explanation, values.back
        self.source_id.data, self.paragraph.data = values.source_id, values.paragraph
        self.tags.data, self.difficulty.data = ", ".join(values.tags), values.difficulty
        self.fuzzy.data, self.tolerance.data, self.unit.data = values.fuzzy, values.tolerance, values.unit
        self.accept.data = "\n".join(values.accept)
        self.answer.data = values.answer
        self.truth.data = values.answer if values.type == "truefalse" else None
        if values.type == "date":
            self.precision.data = ("year", "month", "day")[min(values.answer.count("-"), 2)]
        right = [values.answer] if values.type == "mcq" else values.answers
        for text in right + (values.distractors if values.type != "match" else []):
            self.options.append_entry(text)
        self.correct.data = [str(i) for i in range(len(right))]
        self.extra.data = "\n".join(values.distractors) if values.type == "match" else ""
        for text, when in values.items:
            self.items.append_entry({"text": text, "date": when})
        for left, right_text in values.pairs:
            self.pairs.append_entry({"left": left, "right": right_text})
        self.add_spare_rows()

    def adapt(self) -> None:
        """Labels and help that depend on the type."""
        qtype = self.qtype.data
        self.prompt.label.text = {"card": "Front of the card", "truefalse": "Statement"}.get(qtype or "", "Question")
        self.prompt.description = ("Write each gap as {{answer}}; separate other accepted answers with |, as in "
                                   "{{Serval|Sérval}}." if qtype == "cloze" else "")
        self.answer.label.text = {"number": "Answer (a number)", "date": "Answer (a date)"}.get(qtype or "", "Answer")
        self.answer.description = "YYYY, YYYY-MM or YYYY-MM-DD" if qtype == "date" else ""
        self.tolerance.description = ("Counted in the answer's precision: years, months or days." if qtype == "date"
                                      else "Answers this far from the answer are right too.")

    def carry_over(self) -> None:
        """After a change of type, the answer moved to where the new type keeps it: the marked
        option becomes the typed answer, a typed answer the first (marked) option."""
        marked = [int(i) for i in self.correct.data or [] if str(i).isdecimal() and int(i) < len(self.options)]
        first = next(((self.options[i].data or "").strip() for i in marked if (self.options[i].data or "").strip()), "")
        has_options = any((row.data or "").strip() for row in self.options)
        if self.qtype.data in ("short", "number", "date") and not (self.answer.data or "").strip() and first:
            self.answer.data = first
        elif self.qtype.data in ("mcq", "multi") and not has_options and (self.answer.data or "").strip():
            self.options.append_entry(self.answer.data.strip())
            self.correct.data = [str(len(self.options) - 1)]

    def add_spare_rows(self) -> None:
        """Empty rows below the filled ones, to add options, events or pairs without JavaScript."""
        for rows in (self.options, self.items, self.pairs):
            filled = sum(1 for row in rows if any(row.data.values() if isinstance(row.data, dict) else [row.data]))
            while len(rows) < max(filled + SPARE_ROWS, 4 if rows is self.options else 3):
                rows.append_entry()

    def validate_correct(self, field: SelectMultipleField) -> None:
        if self.qtype.data not in ("mcq", "multi"):
            return
        marked = [int(i) for i in field.data or [] if str(i).isdecimal() and int(i) < len(self.options)
                  and (self.options[int(i)].data or "").strip()]
        if not marked:
            raise ValidationError("Mark the correct option" + ("s." if self.qtype.data == "multi" else "."))
        if self.qtype.data == "mcq" and len(marked) > 1:
            raise ValidationError("A multiple-choice question has one correct option; for several, "
                                  "choose the type “Several answers”.")

    def validate_answer(self, field: StringField) -> None:
        if self.qtype.data != "date":
            return
        parts = (field.data or "").strip().split("-")
        needed = {"year": 1, "month": 2, "day": 3}.get(self.precision.data or "", 1)
        if (field.data or "").strip() and len(parts) < needed:
            raise ValidationError(f"Learners answer with {dict(PRECISIONS)[self.precision.data or 'year'].lower()}: "
                                  "give the answer to that precision, or choose a coarser one.")

    def values(self) -> QuestionValues:
        """The question as typed (the loader checks it once saved)."""
        qtype = self.qtype.data or "mcq"
        options = [(str(i), (row.data or "").strip()) for i, row in enumerate(self.options)]
        marked = set(self.correct.data or [])
        right = [text for i, text in options if text and i in marked]
        wrong = [text for i, text in options if text and i not in marked]
        answer = (self.answer.data or "").strip()
        if qtype == "mcq":
            answer = right[0] if right else ""
        elif qtype == "truefalse":
            answer = self.truth.data or ""
        elif qtype == "date" and answer:
            answer = "-".join(answer.split("-")[:{"year": 1, "month": 2}.get(self.precision.data or "", 3)])
        return QuestionValues(
            id=self.qid.data or "", type=qtype, prompt=self.prompt.data or "", explanation=self.explanation.data or "",
            source_id=self.source_id.data or "", paragraph=self.paragraph.data or "",
            tags=split_tags(self.tags.data or ""), difficulty=self.difficulty.data or "", answer=answer,
            answers=right if qtype == "multi" else [],
            distractors=lines_of(self.extra.data or "") if qtype == "match" else wrong,
            accept=lines_of(self.accept.data or ""), fuzzy=bool(self.fuzzy.data),
            tolerance=self.tolerance.data or "", unit=self.unit.data or "",
            items=[(row.data["text"] or "", row.data["date"] or "") for row in self.items],
            pairs=[(row.data["left"] or "", row.data["right"] or "") for row in self.pairs],
            back=self.back.data or "")


# which form field shows the problems of each field of a question's YAML, by type where it differs
PROBLEM_FIELDS = {
    "id": "qid", "type": "qtype", "prompt": "prompt", "answers": "options", "accept": "accept", "fuzzy": "fuzzy",
    "tolerance": "tolerance", "unit": "unit", "items": "items", "pairs": "pairs", "back": "back",
    "explanation": "explanation", "source": "source_id", "source.id": "source_id", "source.paragraph": "paragraph",
    "tags": "tags", "difficulty": "difficulty",
}


def problem_field(key: str, qtype: str) -> str | None:
    """The form field that shows a problem of the YAML field `key` (None: shown for the whole question)."""
    if key == "answer":
        return {"mcq": "options", "truefalse": "truth"}.get(qtype, "answer")
    if key == "distractors":
        return "extra" if qtype == "match" else "options"
    return PROBLEM_FIELDS.get(key)


class AddQuestionForm(FlaskForm):
    qtype = QuestionForm.qtype


class MoveForm(FlaskForm):
    expected_id = HiddenField()
