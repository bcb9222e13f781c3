"""Forms of the authoring pages (Flask-WTF, CSRF included)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import EmailField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Regexp

from ...domain.banks import ID_PATTERN
from ...services.authoring import MAX_TEXT

ID_HELP = "Lowercase letters, digits, '-', '_' and '.'; it is also the start of each question's id."


class NewBankForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(message="Give the bank a title."), Length(max=300)])
    bank_id = StringField("Bank id", description=ID_HELP, validators=[
        DataRequired(message="Give the bank an id."), Length(max=60),
        Regexp(ID_PATTERN, message="Use only lowercase letters, digits, '-', '_' and '.', starting with a letter "
                                   "or digit.")])


class CopyForm(FlaskForm):
    bank_id = NewBankForm.bank_id


class UploadForm(FlaskForm):
    file = FileField("Bank file (.yaml)", validators=[FileRequired(message="Choose a .yaml file.")],
                     description=f"A bank in the YAML format of questions/, up to {MAX_TEXT // 1000} KB.")


class SourceForm(FlaskForm):
    # the text is limited by the service (a clear problem, nothing lost), not by a validator
    source = TextAreaField("Bank source (YAML)", id="bank-source")


class PublishForm(FlaskForm):
    note = StringField("What changed (optional)", validators=[Length(max=300)],
                       description="Shown in the version history.")


class VisibilityForm(FlaskForm):
    visibility = RadioField("Who can see the published bank", default="private", choices=[
        SelectChoice("private", "Private — only you and the co-authors"),
        SelectChoice("classes", "My classes — also the students and teachers of your classes"),
        SelectChoice("public", "Public — listed in the catalog for everyone")])


class CoauthorForm(FlaskForm):
    email = EmailField("Email of an instructor", validators=[
        DataRequired(), Email(check_deliverability=False), Length(max=320)])
