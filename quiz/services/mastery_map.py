"""Class mastery: for each student of a class and each topic its work draws on (a bank, or a
tag), the FSRS recall probability of their cards now, the overdue cards and the reviews of
the past 7 days, from their Card and ReviewLog rows; `domain.mastery` makes the map.

Recall is py-fsrs's retrievability with each student's own scheduler (their desired retention
and fitted parameters), as on their progress page. A card counts once it has been reviewed
(status other than new) and is not suspended; overdue: due before now.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import fsrs
from sqlalchemy import ColumnElement, and_, func, select

from ..domain import mastery, scheduling
from ..extensions import db
from ..models import Bank, Card, Classroom, Enrollment, LearnerSettings, ParameterSet, Question, QuestionTag, ReviewLog

GROUPINGS = ("bank", "tag")
WEEK = timedelta(days=7)


@dataclass(frozen=True)
class Topic:
    key: str  # a bank id, or a tag
    title: str  # the bank's title, or '#tag'


@dataclass(frozen=True)
class ClassMastery:
    by: str  # bank | tag
    topics: tuple[Topic, ...]
    map: mastery.MasteryMap
    now: datetime

    def title(self, key: str) -> str:
        return next((t.title for t in self.topics if t.key == key), key)


def _active() -> ColumnElement[bool]:
    return and_(Question.retired_at.is_(None), Bank.retired_at.is_(None))


def class_banks(classroom: Classroom) -> list[str]:
    """The banks the class's work draws on: named by an assignment, or holding its questions."""
    ids: list[str] = []
    question_ids: set[str] = set()
    for assignment in classroom.assignments:
        ids.extend(assignment.bank_ids or [])
        question_ids.update(assignment.question_ids or [])
        question_ids.update(assignment.picked_ids or [])
    if question_ids:
        ids.extend(db.session.scalars(select(Question.bank_id).where(Question.id.in_(question_ids))))
    return list(dict.fromkeys(ids))


def _topics(classroom: Classroom, by: str, student_ids: list[int]) -> tuple[list[Topic], list[str]]:
    """The map's columns, and the banks whose questions count towards them."""
    banks = class_banks(classroom)
    if not banks and student_ids:  # no assignment names a bank: the banks the students study
        banks = list(db.session.scalars(
            select(Question.bank_id).join(Card, Card.question_id == Question.id)
            .where(Card.user_id.in_(student_ids)).distinct()))
    if not banks:
        return [], []
    if by == "tag":
        tags = set(db.session.scalars(
            select(QuestionTag.tag).join(Question).join(Bank).where(_active(), Question.bank_id.in_(banks))))
        assigned = {t for a in classroom.assignments for t in (a.tags or [])}
        # tags the class's work names first, then the others, each group by name
        return [Topic(t, f"#{t}") for t in sorted(tags, key=lambda t: (t not in assigned, t.casefold()))], banks
    titles = dict(db.session.execute(select(Bank.id, Bank.title).where(Bank.id.in_(banks), Bank.retired_at.is_(None))).all())
    return [Topic(b, titles[b]) for b in banks if b in titles], banks


def _schedulers(student_ids: list[int]) -> dict[int, fsrs.Scheduler]:
    """Each student's scheduler: their retention and adopted parameters (defaults otherwise)."""
    settings = {s.user_id: s for s in db.session.scalars(select(LearnerSettings).where(LearnerSettings.user_id.in_(student_ids)))}
    parameters = dict(db.session.execute(select(ParameterSet.user_id, ParameterSet.parameters).where(
        ParameterSet.user_id.in_(student_ids), ParameterSet.active.is_(True))).all())
    default = scheduling.scheduler()
    made: dict[int, fsrs.Scheduler] = {}
    for uid in student_ids:
        retention = settings[uid].desired_retention if uid in settings else 0.9
        made[uid] = default if retention == 0.9 and uid not in parameters else \
            scheduling.scheduler(retention, parameters.get(uid))
    return made


def class_mastery(classroom: Classroom, now: datetime, by: str = "bank") -> ClassMastery:
    """The class's mastery map at `now`, by bank or by tag."""
    if by not in GROUPINGS:
        by = "bank"
    enrolled = db.session.execute(select(Enrollment.user_id, Enrollment.display_name)
                                  .where(Enrollment.classroom_id == classroom.id)
                                  .order_by(Enrollment.display_name, Enrollment.user_id)).all()
    student_ids = [uid for uid, _name in enrolled]
    topics, banks = _topics(classroom, by, student_ids)
    keys = [t.key for t in topics]
    learners = [mastery.Learner(uid, name) for uid, name in enrolled]
    if not topics or not student_ids:
        return ClassMastery(by, tuple(topics), mastery.mastery_map(learners, keys, []), now)

    # question → its topics
    if by == "bank":
        query = select(Question.id, Question.bank_id).join(Bank).where(_active(), Question.bank_id.in_(keys))
    else:
        query = (select(QuestionTag.question_id, QuestionTag.tag).join(Question).join(Bank)
                 .where(_active(), QuestionTag.tag.in_(keys), Question.bank_id.in_(banks)))
    rows = db.session.execute(query).all()
    topics_of: dict[str, list[str]] = defaultdict(list)
    sizes: dict[str, int] = defaultdict(int)
    for qid, key in rows:
        topics_of[qid].append(key)
        sizes[key] += 1
    question_ids = list(topics_of)

    recall: dict[tuple[int, str], list[float]] = defaultdict(list)
    overdue: dict[tuple[int, str], int] = defaultdict(int)
    week: dict[tuple[int, str], int] = defaultdict(int)
    schedulers = _schedulers(student_ids)
    for start in range(0, len(question_ids), 500):
        chunk = question_ids[start:start + 500]
        for uid, qid, stability, last, due in db.session.execute(
                select(Card.user_id, Card.question_id, Card.stability, Card.last_review_at, Card.due_at)
                .where(Card.user_id.in_(student_ids), Card.question_id.in_(chunk), Card.status != "new",
                       Card.suspended.is_(False))):
            p = scheduling.retrievability_at(stability, last, now, schedulers[uid])
            for key in topics_of[qid]:
                recall[(uid, key)].append(min(max(p, 0.0), 1.0))
                overdue[(uid, key)] += due is not None and due < now
        for uid, qid, count in db.session.execute(
                select(ReviewLog.user_id, ReviewLog.question_id, func.count())
                .where(ReviewLog.user_id.in_(student_ids), ReviewLog.question_id.in_(chunk),
                       ReviewLog.undone_at.is_(None), ReviewLog.reviewed_at >= now - WEEK, ReviewLog.reviewed_at <= now)
                .group_by(ReviewLog.user_id, ReviewLog.question_id)):
            for key in topics_of[qid]:
                week[(uid, key)] += count
    progress = [mastery.TopicProgress(uid, key, tuple(recall.get((uid, key), ())), overdue.get((uid, key), 0),
                                      week.get((uid, key), 0), sizes.get(key, 0))
                for uid in student_ids for key in keys
                if (uid, key) in recall or (uid, key) in week]
    return ClassMastery(by, tuple(topics), mastery.mastery_map(learners, keys, progress), now)
