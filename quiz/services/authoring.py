"""Banks written in the app: create, check and save drafts, publish versions, restore, delete.

A web bank is the same YAML document as a file bank, checked by the same loader
(quiz.domain.banks.read_bank) under the file name `<bank-id>.yaml`; publishing writes its
questions with the same code as `flask banks sync` (services.banks.write_banks).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from ..domain import bank_versions
from ..domain.banks import ID_PATTERN, BankSpec, check_across, read_bank
from ..domain.problems import BankError, Problem
from ..domain.yamldoc import decode
from ..extensions import db
from ..models import Bank, BankCoauthor, BankVersion, User, WebBank
from . import banks as bank_service
from .regrading import answered_questions
from .sharing import can_edit, can_view, is_author

__all__ = ["can_edit", "can_view", "MAX_TEXT", "AuthoringError", "file_name", "create_draft_bank", "draft_text",
           "save_draft", "check_draft", "publish", "versions", "restore", "delete_bank", "my_banks"]

MAX_TEXT = 200_000  # characters in a bank's text (an upload, a paste, the source editor)


class AuthoringError(Exception):
    """An action refused: the message says why and what to do."""


def file_name(bank_id: str) -> str:
    """A web bank's file name in messages and downloads."""
    return f"{bank_id}.yaml"


def _read(bank_id: str, text: str) -> tuple[BankSpec | None, list[Problem]]:
    return read_bank(file_name(bank_id), text.encode("utf-8"))


def _too_long(path: str, text: str) -> list[Problem]:
    if len(text) <= MAX_TEXT:
        return []
    return [Problem(path, 1, 1, f"the bank is {len(text):,} characters long; the limit is {MAX_TEXT:,} — "
                                "split it into several banks")]


def _id_taken(bank_id: str) -> bool:
    return db.session.get(WebBank, bank_id) is not None or db.session.get(Bank, bank_id) is not None


def create_draft_bank(user: User, text: str, now: datetime) -> tuple[str | None, list[Problem]]:
    """A new web bank owned by user whose draft is text; its id is the text's bank id.

    Returns (None, problems) when the text has no usable bank id or the id is taken; otherwise
    the id and the problems of the full check (a draft may be saved broken).
    """
    if not is_author(user):
        raise AuthoringError("Only instructors can write banks.")
    too_long = _too_long("bank.yaml", text)
    if too_long:
        return None, too_long
    spec, problems = read_bank("bank.yaml", text.encode("utf-8"))
    if spec is None or not spec.id or not ID_PATTERN.match(spec.id):
        missing = [p for p in problems if "id" in p.message] or problems
        return None, missing or [Problem("bank.yaml", 1, 1, "the bank has no 'id'; add a line such as `id: my-bank`")]
    if _id_taken(spec.id):
        return None, [Problem(file_name(spec.id), spec.line, 1,
                              f"the bank id '{spec.id}' is already used by another bank; choose another id")]
    db.session.add(WebBank(id=spec.id, owner_id=user.id, visibility="private", draft_text=text,
                           draft_saved_at=now, draft_saved_by=user.id, created_at=now))
    db.session.commit()
    return spec.id, check_draft(spec.id, text)


def _web_bank(bank_id: str) -> WebBank:
    web = db.session.get(WebBank, bank_id)
    if web is None:
        raise AuthoringError(f"There is no bank '{bank_id}' written in the app.")
    return web


def _editable(user: User, bank_id: str) -> WebBank:
    web = _web_bank(bank_id)
    if not can_edit(user, bank_id):
        raise AuthoringError("Only the bank's owner and co-authors can change it.")
    return web


def draft_text(bank_id: str) -> str:
    """The bank's draft as saved last."""
    return _web_bank(bank_id).draft_text


def check_draft(bank_id: str, text: str) -> list[Problem]:
    """Every problem of text as this bank's next version: the loader's, ids repeated inside it,
    its bank id not this bank's, and question ids that other banks use."""
    path = file_name(bank_id)
    too_long = _too_long(path, text)
    if too_long:
        return too_long
    spec, problems = _read(bank_id, text)
    if spec is None:
        return sorted(problems)
    problems += check_across([spec])
    if spec.id and spec.id != bank_id:
        problems.append(Problem(path, spec.line, 1, f"the bank id must stay '{bank_id}' (this bank's id); "
                                                    "to make another bank, create a new one"))
    else:
        problems += bank_service.clashes_with_database([spec])
    return sorted(set(problems))


def save_draft(user: User, bank_id: str, text: str, now: datetime) -> list[Problem]:
    """Save text as the bank's draft, even with problems; the problems of the full check.
    A text over the size limit is not saved (its one problem says so)."""
    web = _editable(user, bank_id)
    too_long = _too_long(file_name(bank_id), text)
    if too_long:
        return too_long
    web.draft_text, web.draft_saved_at, web.draft_saved_by = text, now, user.id
    db.session.commit()
    return check_draft(bank_id, text)


def versions(bank_id: str) -> list[BankVersion]:
    """The bank's published versions, oldest first."""
    return list(db.session.scalars(select(BankVersion).where(BankVersion.bank_id == bank_id)
                                   .order_by(BankVersion.number)))


def version(bank_id: str, number: int) -> BankVersion | None:
    return db.session.scalar(select(BankVersion).where(BankVersion.bank_id == bank_id,
                                                       BankVersion.number == number))


def latest(bank_id: str) -> BankVersion | None:
    """The published version learners see, if any."""
    return db.session.scalar(select(BankVersion).where(BankVersion.bank_id == bank_id)
                             .order_by(BankVersion.number.desc()).limit(1))


@dataclass
class Published:
    """The outcome of a publish: the new version, or the problems that refused it; and the
    questions whose answer key changed that learners have already answered."""

    version: BankVersion | None = None
    problems: list[Problem] = field(default_factory=list)
    answered_key_changes: list[str] = field(default_factory=list)


def _publish_text(user: User, web: WebBank, text: str, now: datetime, note: str) -> Published:
    problems = check_draft(web.id, text)
    if problems:
        return Published(problems=problems)
    spec, _ = _read(web.id, text)
    assert spec is not None
    previous = latest(web.id)
    old_spec = _read(web.id, previous.text)[0] if previous else None
    changes = bank_versions.changes(old_spec, spec)
    if previous is not None and previous.text == text:
        return Published(problems=[Problem(file_name(web.id), 1, 1,
                                           f"nothing to publish: the draft is version {previous.number} as it is")])
    try:
        bank_service.write_banks([spec], set(), now, origin="web")
    except BankError as error:
        db.session.rollback()
        return Published(problems=error.problems)
    row = BankVersion(bank_id=web.id, number=(previous.number + 1) if previous else 1, text=text,
                      published_by=user.id, published_at=now, note=note[:300], changes=changes.as_dict())
    db.session.add(row)
    web.draft_text, web.draft_saved_at, web.draft_saved_by = text, now, user.id
    db.session.commit()
    return Published(version=row, answered_key_changes=answered_questions(changes.key_changed, before=now))


def publish(user: User, bank_id: str, now: datetime, note: str = "") -> Published:
    """Publish the draft as the next version after the full check (refused with the problems)."""
    web = _editable(user, bank_id)
    return _publish_text(user, web, web.draft_text, now, note)


def restore(user: User, bank_id: str, number: int, now: datetime) -> Published:
    """Publish version `number`'s text again as a new version (learners see it at once) and make
    it the draft; the versions in between stay in the history."""
    web = _editable(user, bank_id)
    old = version(bank_id, number)
    if old is None:
        raise AuthoringError(f"There is no version {number} of this bank.")
    return _publish_text(user, web, old.text, now, f"Restored version {number}")


def delete_bank(user: User, bank_id: str, now: datetime) -> None:
    """Delete a web bank (its owner only): its draft, versions and sharing go; its published
    questions are retired, so learners' past answers and cards keep their history."""
    web = _web_bank(bank_id)
    if not is_author(user) or web.owner_id != user.id:
        raise AuthoringError("Only the bank's owner can delete it.")
    if db.session.get(Bank, bank_id) is not None:
        bank_service.retire_bank(bank_id, now)
    db.session.delete(web)
    db.session.commit()


def my_banks(user: User) -> list[WebBank]:
    """The web banks the user owns or co-authors, by id."""
    query = select(WebBank).where((WebBank.owner_id == user.id) | WebBank.id.in_(
        select(BankCoauthor.bank_id).where(BankCoauthor.user_id == user.id))).order_by(WebBank.id)
    return list(db.session.scalars(query))


def version_count(bank_id: str) -> int:
    return db.session.scalar(select(func.count()).select_from(BankVersion).where(BankVersion.bank_id == bank_id)) or 0


def text_from_upload(name: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """An uploaded file's text (UTF-8, as the loader reads files), or None and why not."""
    problems: list[Problem] = []
    if len(data) > MAX_TEXT * 4:
        return None, [Problem(name, 1, 1, f"the file is larger than the limit of {MAX_TEXT:,} characters")]
    text = decode(data, lambda line, col, message: problems.append(Problem(name, line, col, message)))
    if text is None:
        return None, problems
    return text, _too_long(name, text)


def copy_file_bank(user: User, bank_id: str, new_id: str, now: datetime) -> tuple[str | None, list[Problem]]:
    """A new web bank (a draft) copied from a file bank's file, with new_id as its bank id and
    every question id prefixed with it (question ids are unique across banks)."""
    bank = db.session.get(Bank, bank_id)
    if bank is None or bank.origin != "file" or bank.retired_at is not None:
        raise AuthoringError(f"There is no bank '{bank_id}' from a file to copy.")
    try:
        text = Path(bank.path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise AuthoringError("The bank's file cannot be read on the server; ask an administrator.") from None
    if not ID_PATTERN.match(new_id):
        return None, [Problem(file_name(new_id), 1, 1, "the new bank id may only use lowercase letters, digits, "
                                                       "'-', '_' and '.', and start with a letter or digit")]
    return create_draft_bank(user, bank_versions.copy_text(text, new_id), now)


@dataclass
class Overview:
    """What a web bank's page shows: the bank, its published version, its draft's state."""

    web: WebBank
    latest: BankVersion | None
    problems: list[Problem]
    unpublished: bool
    versions: int


def overview(bank_id: str) -> Overview | None:
    web = db.session.get(WebBank, bank_id)
    if web is None:
        return None
    last = latest(bank_id)
    return Overview(web, last, check_draft(bank_id, web.draft_text),
                    last is None or last.text != web.draft_text, version_count(bank_id))


def diff(bank_id: str, old: int, new: int) -> list[list[bank_versions.DiffLine]] | None:
    """The line diff from version old to version new (0 or a missing number: None)."""
    a, b = version(bank_id, old), version(bank_id, new)
    if a is None or b is None:
        return None
    return bank_versions.line_diff(a.text, b.text)


def is_web_bank(bank_id: str) -> bool:
    return db.session.get(WebBank, bank_id) is not None
