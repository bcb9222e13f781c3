"""Account forms (Flask-WTF, CSRF included)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo, Length


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=320)])
    password = PasswordField("Password", validators=[DataRequired()])
    remember = BooleanField("Keep me logged in on this device")


class RegisterForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email(check_deliverability=False), Length(max=320)])
    password = PasswordField(
        "Password", validators=[DataRequired(), Length(min=8, max=200, message="Use at least 8 characters.")],
        description="At least 8 characters.")
    confirm = PasswordField(
        "Repeat the password", validators=[DataRequired(), EqualTo("password", message="The passwords differ.")])


class ActionForm(FlaskForm):
    """A button-only form: its CSRF token is all it carries."""


