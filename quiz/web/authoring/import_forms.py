"""Forms of the import and export pages (Flask-WTF, CSRF included)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from ...domain.banks import ID_PATTERN
from ...interchange import IMPORTERS
from ...interchange.quizlet import MAX_CUSTOM_SEPARATOR
from ...services.authoring import MAX_TEXT

MAX_IMPORT = MAX_TEXT  # bytes of an uploaded file, characters of a paste
FILE_FORMATS = {"gift": "GIFT (Moodle)", "csv": "CSV (spreadsheet)"}


class _BankFields(FlaskForm):
    bank_id = StringField("Bank id (optional)", validators=[
        Optional(), Length(max=60),
        Regexp(ID_PATTERN, message="Use only lowercase letters, digits, '-', '_' and '.', starting with a letter "
                                   "or digit.")],
        description="Made from the file name when left empty; the questions' ids start with it.")
    title = StringField("Title (optional)", validators=[Optional(), Length(max=300)])


class ImportFileForm(_BankFields):
    fmt = SelectField("Format", choices=[])
    file = FileField("File", validators=[FileRequired(message="Choose a file to import.")],
                     description=f"Up to {MAX_IMPORT // 1000} KB. A CSV file has a header row naming its columns "
                                 "(type, prompt, answer, distractors, explanation…).")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fmt.choices = [SelectChoice(key, label) for key, label in FILE_FORMATS.items() if key in IMPORTERS]


class PasteForm(_BankFields):
    text = TextAreaField("Cards, one a line: term, separator, definition", validators=[
        DataRequired(message="Paste at least one line: a term, the separator, its definition."),
        Length(max=MAX_IMPORT, message=f"Paste at most {MAX_IMPORT:,} characters; import the rest separately.")])
    separator = RadioField("Between a term and its definition", default="tab", choices=[
        SelectChoice("tab", "Tab (as Quizlet exports)"), SelectChoice("comma", "Comma"),
        SelectChoice("semicolon", "Semicolon"), SelectChoice("custom", "Other:")])
    custom = StringField("Other separator", validators=[Length(max=MAX_CUSTOM_SEPARATOR)],
                         description=f"Up to {MAX_CUSTOM_SEPARATOR} characters, for example ' - '.")

    def validate_custom(self, field: StringField) -> None:
        if self.separator.data == "custom" and not (field.data or "").strip(" ") and field.data != " ":
            raise ValidationError("Type the separator your text uses, or choose one above.")

    def separator_text(self) -> str:
        return (self.custom.data or "") if self.separator.data == "custom" else (self.separator.data or "tab")


class CreateForm(FlaskForm):
    """The previewed bank text, sent back to create the draft."""

    text = HiddenField(validators=[DataRequired(), Length(max=MAX_TEXT)])
