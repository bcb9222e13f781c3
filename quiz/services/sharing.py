"""Who may see and edit which bank: file banks are for everyone; a web bank by its sharing
(private, my classes, public), its owner, co-authors and admins."""
from __future__ import annotations

from sqlalchemy import ColumnElement, exists, or_, select, true

from ..extensions import db
from ..models import Bank, BankCoauthor, ClassTeacher, Enrollment, User, WebBank


def is_author(user: User | None) -> bool:
    """Instructors and admins may write banks."""
    return bool(user is not None and not user.is_guest and user.role in ("instructor", "admin"))


def _editor_ids(bank_id: str) -> set[int]:
    web = db.session.get(WebBank, bank_id)
    if web is None:
        return set()
    return {web.owner_id, *(c.user_id for c in web.coauthors)}


def can_edit(user: User | None, bank_id: str) -> bool:
    """Whether the user may change this web bank (its owner or a co-author, still an author)."""
    return is_author(user) and user is not None and user.id in _editor_ids(bank_id)


def _in_classes_of(owner_id: ColumnElement[int], user: User) -> ColumnElement[bool]:
    """Whether the user studies in or teaches a class that the owner teaches."""
    owner_classes = select(ClassTeacher.classroom_id).where(ClassTeacher.user_id == owner_id)
    return or_(exists().where(Enrollment.user_id == user.id, Enrollment.classroom_id.in_(owner_classes)),
               exists().where(ClassTeacher.user_id == user.id, ClassTeacher.classroom_id.in_(owner_classes)))


def visible_web_banks(user: User | None) -> ColumnElement[bool]:
    """A condition on WebBank: the web banks whose published version the user may see."""
    if user is not None and user.role == "admin" and not user.is_guest:
        return true()
    clauses: list[ColumnElement[bool]] = [WebBank.visibility == "public"]
    if user is not None:
        clauses += [WebBank.owner_id == user.id,
                    exists().where(BankCoauthor.bank_id == WebBank.id, BankCoauthor.user_id == user.id),
                    (WebBank.visibility == "classes") & _in_classes_of(WebBank.owner_id, user)]
    return or_(*clauses)


def visible_banks(user: User | None) -> ColumnElement[bool]:
    """A condition on Bank: file banks, and the web banks the user may see (see visible_web_banks).
    A web bank's Bank row exists once it is published, so drafts are never seen through it."""
    if user is not None and user.role == "admin" and not user.is_guest:
        return true()
    return or_(Bank.origin == "file", Bank.id.in_(select(WebBank.id).where(visible_web_banks(user))))


def can_view(user: User | None, bank_id: str) -> bool:
    """Whether the user may see, quiz, study, assign or export this bank's published version
    (its editors may also see an unpublished one)."""
    if can_edit(user, bank_id):
        return True
    return bool(db.session.scalar(select(Bank.id).where(Bank.id == bank_id, visible_banks(user))))


def visible_bank_ids(user: User | None, bank_ids: list[str]) -> list[str]:
    """The ones of bank_ids that the user may see, in the order given."""
    if not bank_ids:
        return []
    seen = set(db.session.scalars(select(Bank.id).where(Bank.id.in_(bank_ids), visible_banks(user))))
    return [b for b in bank_ids if b in seen]


