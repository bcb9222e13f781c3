"""Class forms (Flask-WTF, CSRF included)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    DecimalField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from ..quiz.forms import MultiCheckboxField
from ..study.forms import _timezones


class ClassForm(FlaskForm):
    name = StringField("Class name", validators=[DataRequired(message="Give the class a name."), Length(max=200)])
    term = StringField("Term", validators=[Optional(), Length(max=100)], description="For example “Autumn 2026”.")
    timezone = SelectField("Time zone", validate_choice=True, default="UTC",
                           description="Opening and due times are given in this zone.")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = _timezones()


class JoinForm(FlaskForm):
    code = StringField("Class code", validators=[DataRequired(message="Type the code your teacher gave you."),
                                                 Length(max=20)])
    display_name = StringField("Your name, as your teacher will see it",
                               validators=[DataRequired(message="Tell your teacher who you are."), Length(max=200)])


class EmailForm(FlaskForm):
    email = EmailField("Email of an existing account",
                       validators=[DataRequired(), Email(check_deliverability=False), Length(max=320)])


class AssignmentRulesForm(FlaskForm):
    """What can still change once an assignment is set: its title, times and rules."""

    title = StringField("Title", validators=[DataRequired(message="Give the assignment a title."), Length(max=300)])
    time_limit = IntegerField("Time limit in minutes", description="Empty: no limit.", validators=[
        Optional(), NumberRange(min=1, max=600, message="Choose between 1 and 600 minutes, or leave it empty.")])
    opens_at = DateTimeLocalField("Opens at", validators=[Optional()], description="Empty: open now.")
    due_at = DateTimeLocalField("Due at", validators=[Optional()], description="Empty: no due date.")
    attempts_allowed = IntegerField("Attempts allowed", default=1, description="Empty: unlimited.", validators=[
        Optional(), NumberRange(min=1, max=100, message="Choose between 1 and 100, or leave it empty.")])
    counting = RadioField("Which attempt counts", default="best", choices=[
        SelectChoice("best", "The best"), SelectChoice("last", "The last"), SelectChoice("mean", "The mean of all")])
    late_policy = RadioField("Late work", default="accept", choices=[
        SelectChoice("accept", "Accept it and mark it late"), SelectChoice("refuse", "Refuse it")])
    reveal = RadioField("Students see the correct answers", default="after_due", choices=[
        SelectChoice("immediately", "At once"), SelectChoice("after_due", "After the due date"),
        SelectChoice("never", "Never")])


class AssignmentForm(AssignmentRulesForm):
    """A new assignment: the rules, and which questions."""

    kind = RadioField("Kind", default="quiz", choices=[
        SelectChoice("quiz", "Quiz — taken with the quiz engine"),
        SelectChoice("cards", "Flashcards — study N cards of the selection by the due date")])
    banks = MultiCheckboxField("Banks", description="None ticked means every bank.", validate_choice=True)
    tags = MultiCheckboxField("Only questions tagged", description="None ticked means every tag.")
    types = MultiCheckboxField("Question types", description="None ticked means every type.")
    picked = MultiCheckboxField("Picked questions", validate_choice=False)
    picked_ids = TextAreaField("Or only these question ids", validators=[Optional(), Length(max=20000)],
                               description="Separated by spaces, commas or new lines. Find ids with the search above.")
    count = IntegerField("Number of questions (or cards)", default=10, validators=[
        InputRequired(), NumberRange(min=1, max=500, message="Choose between 1 and 500.")])
    same_set = RadioField("Questions", default="same", choices=[
        SelectChoice("same", "The same set for everyone"),
        SelectChoice("draw", "A random draw for each student")])
    shuffle = BooleanField("Shuffle the order of the questions", default=True)
    shuffle_options = BooleanField(
        "Shuffle answer options", default=True,
        description="Off: the options of multiple-choice questions are listed alphabetically, the same for "
                    "every student (never in the bank's order, which would give the answer away). Order and "
                    "matching questions are always shuffled.")
    mode = RadioField("Mode", default="test", choices=[
        SelectChoice("test", "Test — answers shown at the end (as allowed below)"),
        SelectChoice("practice", "Practice — the answer after each question")])


class OverrideForm(FlaskForm):
    score = DecimalField("Score (%)", places=1, validators=[
        InputRequired(message="Give a score."), NumberRange(min=0, max=100, message="Choose between 0 and 100.")])
    comment = TextAreaField("Comment", validators=[Optional(), Length(max=2000)],
                            description="Shown in the gradebook and exported.")
