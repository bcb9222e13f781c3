"""Who may see and edit which bank: file banks are for everyone; a web bank by its sharing
(private, my classes, public), its owner, co-authors and admins."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, exists, func, or_, select, true

from ..extensions import db
from ..models import VISIBILITIES, Bank, BankCoauthor, ClassTeacher, Enrollment, User, WebBank


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




# --- changing who may see and edit a web bank (its owner only) ---------------------------------

class SharingError(Exception):
    """A sharing change refused: the message says why."""


def _owned(user: User, bank_id: str) -> WebBank:
    web = db.session.get(WebBank, bank_id)
    if web is None or not is_author(user) or web.owner_id != user.id:
        raise SharingError("Only the bank's owner can change who sees and edits it.")
    return web


def set_visibility(user: User, bank_id: str, visibility: str) -> None:
    """Private, my classes or public (the catalog)."""
    if visibility not in VISIBILITIES:
        raise SharingError("Choose private, my classes or public.")
    _owned(user, bank_id).visibility = visibility
    db.session.commit()


def add_coauthor(user: User, bank_id: str, email: str, now: datetime) -> User:
    """Let another instructor edit and publish the bank; returns them."""
    web = _owned(user, bank_id)
    other = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if other is None:
        raise SharingError(f"There is no account with the email {email.strip()}.")
    if not is_author(other):
        raise SharingError(f"{other.email} is not an instructor; only instructors can co-author banks.")
    if other.id == web.owner_id or other.id in {c.user_id for c in web.coauthors}:
        raise SharingError(f"{other.email} can already edit this bank.")
    web.coauthors.append(BankCoauthor(user_id=other.id, added_at=now))
    db.session.commit()
    return other


def remove_coauthor(user: User, bank_id: str, coauthor_id: int) -> None:
    web = _owned(user, bank_id)
    web.coauthors[:] = [c for c in web.coauthors if c.user_id != coauthor_id]
    db.session.commit()


def editors(bank_id: str) -> tuple[User | None, list[User]]:
    """The bank's owner and its co-authors (in the order they were added)."""
    web = db.session.get(WebBank, bank_id)
    if web is None:
        return None, []
    ids = [c.user_id for c in web.coauthors]
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_([web.owner_id, *ids])))}
    return users.get(web.owner_id), [users[i] for i in ids if i in users]


def user_names(user_ids: set[int]) -> dict[int, str]:
    """Each user's email (what authors know each other by)."""
    if not user_ids:
        return {}
    return {u.id: u.email or "a guest" for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))}
