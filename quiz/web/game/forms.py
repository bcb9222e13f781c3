"""Forms of the live game: starting one, joining one (Flask-WTF, CSRF included)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange

from ...domain.game import NICKNAME_MAX, SCORING_MODES


class GameForm(FlaskForm):
    source = RadioField("Questions from", default="bank", choices=[
        SelectChoice("bank", "A bank"), SelectChoice("tag", "A tag"), SelectChoice("assignment", "A class assignment")])
    bank = SelectField("Bank", validate_choice=False)
    tag = SelectField("Tag", validate_choice=False)
    assignment = SelectField("Assignment", validate_choice=False,
                             description="Signed-in students of its class also get the game's answers in the gradebook.")
    count = IntegerField("Number of questions", default=10,
                         validators=[NumberRange(min=1, max=100, message="Choose between 1 and 100 questions.")])
    seconds = IntegerField("Seconds per question", default=20,
                           validators=[NumberRange(min=5, max=240, message="Choose between 5 and 240 seconds.")])
    scoring = RadioField("Scoring", default="speed", choices=[SelectChoice(k, v) for k, v in SCORING_MODES.items()])
    require_account = BooleanField("Players need an account (they log in before joining)")


class JoinForm(FlaskForm):
    pin = StringField("Game PIN", validators=[DataRequired(message="Type the game's PIN."), Length(max=20)],
                      description="The 6 digits on the big screen.")
    nickname = StringField("Nickname", validators=[DataRequired(message="Type a nickname."), Length(max=60)],
                           description=f"Up to {NICKNAME_MAX} characters; everyone in the game sees it.")
