"""Typed SQLAlchemy 2.0 models."""
from .authoring import VISIBILITIES, BankCoauthor, BankVersion, WebBank
from .bank import Bank, Question, QuestionTag
from .classes import Assignment, ClassTeacher, Classroom, Enrollment, Regrade, ScoreOverride
from .game import Game, GameAnswer, GamePlayer
from .quiz import Attempt, AttemptAnswer
from .study import Card, LearnerSettings, ParameterSet, ReviewLog, StudyBank
from .user import ROLES, GuestCreation, LoginAttempt, User

__all__ = ["Assignment", "ClassTeacher", "Classroom", "Enrollment", "Regrade", "ScoreOverride", "Attempt",
           "AttemptAnswer", "Bank", "Question", "QuestionTag", "Card", "LearnerSettings", "ParameterSet", "ReviewLog",
           "StudyBank", "User", "LoginAttempt", "GuestCreation", "ROLES", "Game", "GameAnswer", "GamePlayer",
           "WebBank", "BankCoauthor", "BankVersion", "VISIBILITIES"]
