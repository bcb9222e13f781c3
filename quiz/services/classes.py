"""Classes: create, join by code, leave; teachers, students, archive and restore."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import available_timezones

from sqlalchemy import func, select

from ..domain.classroom import new_join_code, normalize_join_code
from ..extensions import db
from ..models import Attempt, AttemptAnswer, ClassTeacher, Classroom, Enrollment, ReviewLog, User
from .accounts import normalize_email

TEACHING_ROLES = ("instructor", "admin")


class ClassError(Exception):
    """A class action that cannot be done, with a message for the user."""


def is_teacher(user: User | None) -> bool:
    """Whether this account may create and teach classes."""
    return user is not None and not user.is_guest and user.role in TEACHING_ROLES


def teaches(user: User | None, classroom: Classroom) -> bool:
    """Whether this user may manage the class: its teachers, and admins."""
    if user is None or user.is_guest:
        return False
    if user.role == "admin":
        return True
    return user.role == "instructor" and any(t.user_id == user.id for t in classroom.teachers)


def enrollment_of(user: User | None, classroom: Classroom) -> Enrollment | None:
    if user is None:
        return None
    return db.session.scalar(select(Enrollment).where(
        Enrollment.classroom_id == classroom.id, Enrollment.user_id == user.id))


def class_for_teacher(class_id: int, user: User | None) -> Classroom | None:
    """The class if this user teaches it (or is an admin), else None (the caller answers 404)."""
    classroom = db.session.get(Classroom, class_id)
    return classroom if classroom is not None and teaches(user, classroom) else None


def class_for_student(class_id: int, user: User | None) -> Classroom | None:
    """The class if this user is in it and it is not archived, else None."""
    classroom = db.session.get(Classroom, class_id)
    if classroom is None or classroom.archived_at is not None or enrollment_of(user, classroom) is None:
        return None
    return classroom


def _check_timezone(zone: str) -> None:
    if zone not in available_timezones():
        raise ClassError(f"Unknown time zone '{zone}'.")


def _free_code(rng: random.Random) -> str:
    taken = set(db.session.scalars(select(Classroom.join_code)))
    return new_join_code(rng, taken)


def create_class(owner: User, name: str, term: str, zone: str, now: datetime, rng: random.Random) -> Classroom:
    """A new class taught by `owner`, with a fresh join code."""
    if not is_teacher(owner):
        raise ClassError("Only instructors can create classes.")
    name = name.strip()
    if not name:
        raise ClassError("Give the class a name.")
    _check_timezone(zone)
    classroom = Classroom(name=name, term=term.strip(), timezone=zone, join_code=_free_code(rng),
                          owner_id=owner.id, created_at=now)
    classroom.teachers.append(ClassTeacher(user_id=owner.id, added_at=now))
    db.session.add(classroom)
    db.session.commit()
    return classroom


def update_class(classroom: Classroom, name: str, term: str, zone: str) -> None:
    """Rename the class or change its term or time zone."""
    if not name.strip():
        raise ClassError("Give the class a name.")
    _check_timezone(zone)
    classroom.name, classroom.term, classroom.timezone = name.strip(), term.strip(), zone
    db.session.commit()


def teaching(user: User, archived: bool = False) -> list[Classroom]:
    """The classes this user teaches (all classes for an admin), active or archived."""
    query = select(Classroom).order_by(Classroom.name, Classroom.id)
    query = query.where(Classroom.archived_at.is_not(None) if archived else Classroom.archived_at.is_(None))
    if user.role != "admin":
        query = query.where(Classroom.id.in_(select(ClassTeacher.classroom_id).where(ClassTeacher.user_id == user.id)))
    return list(db.session.scalars(query))


def studying_in(user: User) -> list[Classroom]:
    """The classes this user is a student of (archived ones are hidden)."""
    return list(db.session.scalars(
        select(Classroom).join(Enrollment).where(Enrollment.user_id == user.id, Classroom.archived_at.is_(None))
        .order_by(Classroom.name, Classroom.id)))


def class_by_code(code: str) -> Classroom | None:
    """The class with this join code (typed loosely), whatever its state."""
    normalized = normalize_join_code(code)
    if not normalized:
        return None
    return db.session.scalar(select(Classroom).where(Classroom.join_code == normalized))


def regenerate_code(classroom: Classroom, rng: random.Random) -> str:
    """A new join code; the old one stops working."""
    classroom.join_code = _free_code(rng)
    db.session.commit()
    return classroom.join_code


def set_joining(classroom: Classroom, open_: bool) -> None:
    """Switch joining by code and link on or off."""
    classroom.joining_open = open_
    db.session.commit()


def archive(classroom: Classroom, now: datetime) -> None:
    """Make the class read-only and hide it from its students' lists."""
    classroom.archived_at = classroom.archived_at or now
    db.session.commit()


def restore(classroom: Classroom) -> None:
    classroom.archived_at = None
    db.session.commit()


def _check_writable(classroom: Classroom) -> None:
    if classroom.archived_at is not None:
        raise ClassError("This class is archived; restore it first.")


def _default_name(user: User) -> str:
    return (user.email or "student").split("@")[0]


def join(user: User, code: str, display_name: str, now: datetime) -> Classroom:
    """Join the class with this code; raises ClassError saying why not."""
    if user.is_guest or not user.email:
        raise ClassError("Log in or register before joining a class.")
    classroom = class_by_code(code)
    if classroom is None or classroom.archived_at is not None:
        raise ClassError("No class has this code. Check it with your teacher.")
    if not classroom.joining_open:
        raise ClassError("This class is not taking new students at the moment. Ask your teacher.")
    if teaches(user, classroom) and user.role != "admin":
        raise ClassError("You teach this class.")
    if enrollment_of(user, classroom) is not None:
        return classroom
    db.session.add(Enrollment(classroom_id=classroom.id, user_id=user.id, joined_at=now,
                              display_name=display_name.strip()[:200] or _default_name(user)))
    db.session.commit()
    return classroom


def leave(user: User, classroom: Classroom) -> None:
    """Leave a class; past attempts stay in the user's history."""
    enrollment = enrollment_of(user, classroom)
    if enrollment is not None:
        db.session.delete(enrollment)
        db.session.commit()


def remove_student(classroom: Classroom, user_id: int) -> None:
    """Take a student off the roster."""
    enrollment = db.session.scalar(select(Enrollment).where(
        Enrollment.classroom_id == classroom.id, Enrollment.user_id == user_id))
    if enrollment is None:
        raise ClassError("This student is not in the class.")
    db.session.delete(enrollment)
    db.session.commit()


def _account(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == normalize_email(email), User.is_guest.is_(False)))
    if user is None:
        raise ClassError(f"No account has the email {email.strip()}. Ask them to register first.")
    return user


def add_student(classroom: Classroom, email: str, now: datetime) -> User:
    """Put an existing account on the roster."""
    _check_writable(classroom)
    user = _account(email)
    if any(t.user_id == user.id for t in classroom.teachers):
        raise ClassError(f"{user.email} teaches this class.")
    if enrollment_of(user, classroom) is not None:
        raise ClassError(f"{user.email} is already in the class.")
    db.session.add(Enrollment(classroom_id=classroom.id, user_id=user.id, joined_at=now,
                              display_name=_default_name(user)))
    db.session.commit()
    return user


def add_teacher(classroom: Classroom, email: str, now: datetime) -> User:
    """Make an existing instructor a co-teacher, with the same rights on this class."""
    _check_writable(classroom)
    user = _account(email)
    if user.role not in TEACHING_ROLES:
        raise ClassError(f"{user.email} is not an instructor account.")
    if any(t.user_id == user.id for t in classroom.teachers):
        raise ClassError(f"{user.email} already teaches this class.")
    classroom.teachers.append(ClassTeacher(user_id=user.id, added_at=now))
    db.session.commit()
    return user


def remove_teacher(classroom: Classroom, user_id: int) -> None:
    """Take a co-teacher off the class; the owner stays."""
    if user_id == classroom.owner_id:
        raise ClassError("The class's owner cannot be removed.")
    row = db.session.get(ClassTeacher, (classroom.id, user_id))
    if row is None:
        raise ClassError("This person does not teach the class.")
    db.session.delete(row)
    db.session.commit()


def teacher_accounts(classroom: Classroom) -> list[User]:
    ids = [t.user_id for t in classroom.teachers]
    return list(db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.email)))


@dataclass
class Student:
    """A roster line: who, since when, last seen."""

    user_id: int
    name: str
    email: str
    joined_at: datetime
    last_activity: datetime | None


def students(classroom: Classroom) -> list[Student]:
    """The class's students, by name, with the time of their last answer or review."""
    rows = db.session.execute(
        select(Enrollment, User.email).join(User, User.id == Enrollment.user_id)
        .where(Enrollment.classroom_id == classroom.id).order_by(Enrollment.display_name, User.email)).all()
    ids = [e.user_id for e, _ in rows]
    last: dict[int, datetime] = {}
    queries = (
        select(ReviewLog.user_id, func.max(ReviewLog.reviewed_at)).where(ReviewLog.user_id.in_(ids))
        .group_by(ReviewLog.user_id),
        select(Attempt.user_id, func.max(AttemptAnswer.answered_at)).join(AttemptAnswer)
        .where(Attempt.user_id.in_(ids)).group_by(Attempt.user_id),
    )
    for query in queries:
        for user_id, moment in db.session.execute(query):
            if moment is None:
                continue
            if user_id not in last or moment > last[user_id]:
                last[user_id] = moment
    return [Student(e.user_id, e.display_name, email or "", e.joined_at, last.get(e.user_id)) for e, email in rows]
