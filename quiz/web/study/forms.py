"""Study forms: a grade, and the learner's settings."""
from __future__ import annotations

import re
from decimal import Decimal
from zoneinfo import available_timezones

from flask_wtf import FlaskForm
from wtforms import DecimalField, HiddenField, IntegerField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, NumberRange, StopValidation

_MILLISECONDS = re.compile(r"[0-9]{1,15}")  # a browser clock in ms since 1970 has 13 digits


class GradeForm(FlaskForm):
    question_id = HiddenField(validators=[DataRequired()])
    version = IntegerField(validators=[InputRequired(), NumberRange(min=0, max=2**31 - 1)])
    rating = IntegerField(validators=[InputRequired(), AnyOf([1, 2, 3, 4])])
    shown_at = HiddenField()

    def shown_at_ms(self) -> int | None:
        """When the card was shown (ms since 1970), or None when the field is missing or not
        a plain number (it only measures the answer time, so it never refuses a grade)."""
        text = self.shown_at.data or ""
        return int(text) if _MILLISECONDS.fullmatch(text) else None


def _finite(form: FlaskForm, field: DecimalField) -> None:
    """Stops validation of a number that is not finite (NaN, sNaN, Infinity) with a message."""
    if isinstance(field.data, Decimal) and not field.data.is_finite():
        raise StopValidation("Type a number, such as 0.90.")


class CardActionForm(FlaskForm):
    question_id = HiddenField(validators=[DataRequired()])


def _timezones() -> list[SelectChoice]:
    return [SelectChoice(tz, tz.replace("_", " ")) for tz in sorted(available_timezones())
            if "/" in tz and not tz.startswith(("Etc/", "SystemV/", "posix/", "right/"))] + [SelectChoice("UTC", "UTC")]


class SettingsForm(FlaskForm):
    desired_retention = DecimalField(
        "Desired retention", places=2,
        validators=[InputRequired(), _finite,
                    NumberRange(min=0.80, max=0.95, message="Choose between 0.80 and 0.95.")],
        description="The share of cards you want to still remember when they come back (0.80–0.95). "
                    "Higher means more reviews.")
    new_per_day = IntegerField(
        "New cards per day", validators=[InputRequired(), NumberRange(min=0, max=500, message="Choose between 0 and 500.")])
    reviews_per_day = IntegerField(
        "Reviews per day", validators=[InputRequired(), NumberRange(min=1, max=5000, message="Choose between 1 and 5000.")])
    timezone = SelectField("Time zone", validate_choice=True)
    day_cutoff_hour = IntegerField(
        "A new study day starts at (hour, 0–23)",
        validators=[InputRequired(), NumberRange(min=0, max=23, message="Choose an hour between 0 and 23.")],
        description="Reviews before this hour count for the previous day (default 4 a.m.).")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = _timezones()
