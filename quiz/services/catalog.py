"""What the catalog and bank pages show."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Collection, Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..domain.question_types import QUESTION_TYPES
from ..extensions import db
from ..models import Bank, Question, QuestionTag, StudyBank, User
from .sharing import visible_banks


@dataclass
class BankSummary:
    bank: Bank
    total: int = 0
    by_type: Counter[str] = field(default_factory=Counter)
    by_tag: Counter[str] = field(default_factory=Counter)


def list_banks(bank_id: str | None = None, viewer: User | None = None) -> list[BankSummary]:
    """Active banks that the viewer may see (or the one named) with their question counts by type
    and tag. Without a viewer: what a visitor sees (file banks and public web banks)."""
    query = select(Bank).where(Bank.retired_at.is_(None), visible_banks(viewer)).order_by(Bank.title)
    active = Question.retired_at.is_(None)
    if bank_id is not None:
        query = query.where(Bank.id == bank_id)
        active = active & (Question.bank_id == bank_id)
    banks = db.session.scalars(query).all()
    summaries = {b.id: BankSummary(b) for b in banks}
    for bank_id, qtype, count in db.session.execute(
            select(Question.bank_id, Question.type, func.count()).where(active)
            .group_by(Question.bank_id, Question.type)):
        if bank_id in summaries:
            summaries[bank_id].by_type[qtype] = count
            summaries[bank_id].total += count
    for bank_id, tag, count in db.session.execute(
            select(Question.bank_id, QuestionTag.tag, func.count()).join(QuestionTag).where(active)
            .group_by(Question.bank_id, QuestionTag.tag)):
        if bank_id in summaries:
            summaries[bank_id].by_tag[tag] = count
    return list(summaries.values())


def get_bank(bank_id: str, viewer: User | None = None) -> BankSummary | None:
    """One active bank with its counts, or None (also when the viewer may not see it)."""
    found = list_banks(bank_id, viewer)
    return found[0] if found else None


def bank_questions(bank_id: str) -> list[Question]:
    """The active questions of a bank, in file order."""
    return list(db.session.scalars(
        select(Question).where(Question.bank_id == bank_id, Question.retired_at.is_(None))
        .options(selectinload(Question.tags)).order_by(Question.position)))


DIFFICULTIES = ("easy", "medium", "hard")


@dataclass(frozen=True)
class QuestionFilter:
    """A bank page's search and filters, read from its query string (unknown values mean "any")."""

    text: str = ""
    type: str = ""
    tag: str = ""
    difficulty: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str], summary: BankSummary) -> QuestionFilter:
        """Keep only values the bank has; the search text is trimmed to 200 characters."""
        def known(name: str, allowed: Collection[str]) -> str:
            value = (args.get(name) or "").strip()
            return value if value in allowed else ""
        return cls(text=" ".join((args.get("q") or "").split())[:200], type=known("type", summary.by_type),
                   tag=known("tag", summary.by_tag), difficulty=known("difficulty", DIFFICULTIES))

    @property
    def active(self) -> bool:
        return bool(self.text or self.type or self.tag or self.difficulty)

    def matches(self, question: Question) -> bool:
        """Whether the question passes every chosen filter; the text is looked for in the prompt,
        the tags and the question id, ignoring case (never in the answer or the explanation)."""
        if self.type and question.type != self.type:
            return False
        if self.tag and self.tag not in question.tag_names:
            return False
        if self.difficulty and question.difficulty != self.difficulty:
            return False
        if self.text:
            prompt = QUESTION_TYPES[question.type].display_prompt(question.prompt)  # cloze gaps blanked
            haystack = " ".join([prompt, question.id, *question.tag_names]).casefold()
            return all(word in haystack for word in self.text.casefold().split())
        return True

    def apply(self, questions: list[Question]) -> list[Question]:
        return [q for q in questions if self.matches(q)]


def study_bank(user: User, bank_id: str, now: datetime) -> bool:
    """Add a bank to a learner's study list; False if it was already there."""
    if db.session.get(StudyBank, (user.id, bank_id)) is not None:
        return False
    db.session.add(StudyBank(user_id=user.id, bank_id=bank_id, added_at=now))
    db.session.commit()
    return True


def studied_banks(user: User) -> list[Bank]:
    """The banks on a learner's study list that they may still see, most recent first."""
    return list(db.session.scalars(
        select(Bank).join(StudyBank).where(StudyBank.user_id == user.id, visible_banks(user))
        .order_by(StudyBank.added_at.desc())))


def is_studying(user: User, bank_id: str) -> bool:
    return db.session.get(StudyBank, (user.id, bank_id)) is not None
