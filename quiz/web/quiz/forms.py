"""The form that starts a quiz."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class QuizForm(FlaskForm):
    banks = MultiCheckboxField("Banks", description="None ticked means every bank.", validate_choice=True)
    tags = MultiCheckboxField("Only questions tagged", description="None ticked means every tag.")
    types = MultiCheckboxField("Question types", description="None ticked means every type.")
    count = IntegerField("Number of questions", default=10,
                         validators=[NumberRange(min=1, max=100, message="Choose between 1 and 100 questions.")])
    mode = RadioField("Mode", default="practice", choices=[
        SelectChoice("practice", "Practice — see the answer after each question"),
        SelectChoice("test", "Test — see the answers at the end")])
    time_limit = IntegerField("Time limit in minutes (optional)", validators=[
        Optional(), NumberRange(min=1, max=300, message="Choose between 1 and 300 minutes, or leave it empty.")])
