"""Typed SQLAlchemy 2.0 models."""
from .bank import Bank, Question, QuestionTag
from .study import Card, StudyBank
from .user import ROLES, LoginAttempt, User

__all__ = ["Bank", "Question", "QuestionTag", "Card", "StudyBank", "User", "LoginAttempt", "ROLES"]
