"""Class pages timed in-process (Flask test client, no HTTP server, no concurrency): the
gradebook of a class of 300 students × 20 assignments and the item analysis of an assignment
with 1,000 attempts, each against the study page (GET /study?reveal=1) measured in the same
run, on the same database, interleaved (study, page, study, page …) so that noise weighs on both.

    python bench/classroom.py --url DATABASE_URL     # an empty database: it is filled here

Prints one JSON object with the medians (ms), the SQL statement count of each page and the
sizes. `bench/run.py` calls `bench(kind)`, which makes a fresh database (a temporary SQLite
file, or the PostgreSQL database `quiz_bench_classroom`), runs this in a subprocess and
returns the bench lines; the database is removed afterwards.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

GRADEBOOK_STUDENTS = 300
GRADEBOOK_ASSIGNMENTS = 20
QUESTIONS_PER_ASSIGNMENT = 10
ANALYSIS_ATTEMPTS = 1000
ANALYSIS_QUESTIONS = 20
ROUNDS = 12  # timed pairs per page (after WARMUP)
WARMUP = 2
SEED = 20261202
PG_DATABASE = "quiz_bench_classroom"


def _build(now: datetime) -> dict[str, Any]:
    """The two classes and a learner with four weeks of reviews, with bulk inserts; their ids."""
    from flask_migrate import upgrade
    from sqlalchemy import insert, select

    from quiz.domain import simulation as sim
    from quiz.domain.classroom import new_join_code
    from quiz.domain.question_types import grade
    from quiz.extensions import db
    from quiz.models import (Assignment, Attempt, AttemptAnswer, ClassTeacher, Classroom, Enrollment, Question,
                             StudyBank, User)
    from quiz.services import demo, quizzes
    from quiz.services.banks import sync_banks

    root = Path(__file__).resolve().parent.parent
    upgrade(directory=str(root / "migrations"))
    sync_banks([root / "questions" / "mali"], now)
    rng = random.Random(SEED)
    choice = quizzes.candidate_ids(quizzes.QuizRequest(bank_ids=[], tags=[], types=demo.CHOICE_TYPES, count=0))
    questions = {q.id: q for q in db.session.scalars(select(Question).where(Question.id.in_(choice)))}
    items = {i.question_id: i for i in sim.items(rng, [demo.demo_question(q) for q in questions.values()])}
    teacher = User(email="bench.teacher@example.org", password_hash="x", role="instructor", created_at=now)
    db.session.add(teacher)
    db.session.flush()

    def classroom(name: str, students: int) -> tuple[Classroom, list[int], list[float]]:
        room = Classroom(name=name, timezone="UTC", owner_id=teacher.id, created_at=now,
                         join_code=new_join_code(rng, db.session.scalars(select(Classroom.join_code))))
        room.teachers.append(ClassTeacher(user_id=teacher.id, added_at=now))
        db.session.add(room)
        db.session.flush()
        ids = list(db.session.scalars(
            insert(User).returning(User.id, sort_by_parameter_order=True),
            [{"email": f"{name}-{i}@example.org", "password_hash": "x", "role": "learner", "is_guest": False,
              "created_at": now} for i in range(students)]))
        db.session.execute(insert(Enrollment), [{"classroom_id": room.id, "user_id": uid, "joined_at": now,
                                                 "display_name": f"Student {index:04d}"}
                                                for index, uid in enumerate(ids)])
        return room, ids, [max(-2.5, min(2.5, rng.gauss(0, 1))) for _ in ids]

    def assignment(room: Classroom, title: str, ids: list[str], due: datetime) -> Assignment:
        made = Assignment(classroom_id=room.id, kind="quiz", title=title, bank_ids=[], tags=[], types=[],
                          picked_ids=ids, count=len(ids), same_set=True, question_ids=ids, shuffle=False,
                          mode="test", opens_at=due - timedelta(days=7), due_at=due, attempts_allowed=1,
                          counting="best", late_policy="accept", reveal="after_due", created_by=teacher.id,
                          created_at=due - timedelta(days=8))
        db.session.add(made)
        db.session.flush()
        return made

    def take(work: Assignment, users: list[int], abilities: list[float], at: datetime) -> None:
        ids = list(work.question_ids or [])
        attempts, answers = [], []
        for uid, ability in zip(users, abilities):
            total = 0.0
            for position, qid in enumerate(ids):
                simulated = sim.answer(rng, ability, items[qid], at)
                response = demo.response_for(questions[qid], simulated.choices)
                result = grade(questions[qid].type, questions[qid].data, response)
                total += result.score
                answers.append({"attempt": len(attempts), "question_id": qid, "position": position,
                                "response": response, "score": result.score, "feedback": list(result.feedback),
                                "answered_at": at})
            attempts.append({"user_id": uid, "mode": "test", "title": work.title,
                             "settings": work.settings, "question_ids": ids, "seed": 1, "started_at": at,
                             "deadline_at": None, "finished_at": at, "score": total / len(ids),
                             "assignment_id": work.id})
        made = list(db.session.scalars(insert(Attempt).returning(Attempt.id, sort_by_parameter_order=True), attempts))
        for answer in answers:
            answer["attempt_id"] = made[answer.pop("attempt")]
        for start in range(0, len(answers), 20_000):
            db.session.execute(insert(AttemptAnswer), answers[start:start + 20_000])

    pool = sorted(questions)
    big, big_ids, big_abilities = classroom("gradebook", GRADEBOOK_STUDENTS)
    for number in range(GRADEBOOK_ASSIGNMENTS):
        due = now - timedelta(days=2 * (GRADEBOOK_ASSIGNMENTS - number))
        work = assignment(big, f"Assignment {number + 1}", rng.sample(pool, QUESTIONS_PER_ASSIGNMENT), due)
        take(work, big_ids, big_abilities, due - timedelta(days=1))
    wide, wide_ids, wide_abilities = classroom("analysis", ANALYSIS_ATTEMPTS)
    analysed = assignment(wide, "Item analysis", rng.sample(pool, ANALYSIS_QUESTIONS), now - timedelta(days=1))
    take(analysed, wide_ids, wide_abilities, now - timedelta(days=2))

    learner = User(email="bench.learner@example.org", password_hash="x", role="learner", created_at=now)
    db.session.add(learner)
    db.session.flush()
    db.session.add(StudyBank(user_id=learner.id, bank_id="mali-who-did-what", added_at=now))
    cards = list(db.session.scalars(select(Question).where(Question.bank_id == "mali-who-did-what")))
    student = sim.SimulatedStudent("Bench Learner", "bench.learner", 0.3, 0.9)
    reviews = demo.store_reviews([student], [learner], cards, rng, now - timedelta(days=28), now)
    db.session.commit()
    return {"teacher": teacher.id, "learner": learner.id, "gradebook_class": big.id, "analysis_class": wide.id,
            "analysis_assignment": analysed.id, "learner_reviews": reviews}


def measure(url: str) -> dict[str, Any]:
    import os

    from flask_login.utils import _create_identifier
    from sqlalchemy import event

    os.environ["QUIZ_DATABASE_URL"] = url
    from quiz import create_app
    from quiz.extensions import db

    app = create_app()
    now = datetime.now(timezone.utc)
    started = time.perf_counter()
    with app.app_context():
        ids = _build(now)
        statements: list[str] = []
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    built = time.perf_counter() - started
    with app.test_request_context("/"):
        identifier = _create_identifier()

    def client_for(user_id: int) -> Any:
        client = app.test_client()
        with client.session_transaction() as session:
            session.update({"_user_id": str(user_id), "_fresh": True, "_id": identifier,
                            "csrf_token": hashlib.sha1(f"bench-{user_id}".encode()).hexdigest()})
        return client

    teacher, learner = client_for(ids["teacher"]), client_for(ids["learner"])
    pages = {
        "study": (learner, "/study?reveal=1"),
        "gradebook": (teacher, f"/classes/{ids['gradebook_class']}/gradebook"),
        "item_analysis": (teacher, f"/classes/{ids['analysis_class']}/assignments/{ids['analysis_assignment']}/analysis"),
    }
    times: dict[str, list[float]] = {name: [] for name in pages}
    counts: dict[str, int] = {}

    def get(name: str, timed: bool) -> None:
        client, path = pages[name]
        statements.clear()
        t = time.perf_counter()
        response = client.get(path)
        elapsed = (time.perf_counter() - t) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        if timed:
            times[name].append(elapsed)
            counts[name] = len(statements)

    for round_ in range(WARMUP + ROUNDS):
        for name in ("gradebook", "item_analysis"):
            get("study", round_ >= WARMUP)
            get(name, round_ >= WARMUP)
    with app.app_context():
        db.engine.dispose()
    result: dict[str, Any] = {"build_s": round(built, 1), "rounds": ROUNDS, **ids}
    for name, values in times.items():
        result[f"{name}_median_ms"] = round(statistics.median(values), 2)
        result[f"{name}_statements"] = counts[name]
    return result


# --- called from bench/run.py ------------------------------------------------------------------

def bench(kind: str, figure: Callable[..., dict[str, Any]]) -> list[dict[str, Any]]:
    """The class-page lines for one database kind (a fresh database, removed afterwards);
    `figure` is run.py's line maker."""
    import dataset
    from dataset import ROOT, log

    with tempfile.TemporaryDirectory(prefix="quiz-bench-classroom-") as tmp:
        if kind == "sqlite":
            url = dataset.sqlite_url(Path(tmp) / "classroom.sqlite3")
        else:
            try:
                dataset.pg_prepare()
                dataset._pg_create(PG_DATABASE)
            except dataset.PostgresUnavailable as exc:
                return [figure(kind, "class_pages", None, "", None, skipped=str(exc))]
            url = dataset.pg_url(PG_DATABASE)
        log(f"=== {kind}: class pages (building {GRADEBOOK_STUDENTS} students × {GRADEBOOK_ASSIGNMENTS} "
            f"assignments and {ANALYSIS_ATTEMPTS} attempts) ===")
        try:
            out = subprocess.run([sys.executable, str(ROOT / "bench" / "classroom.py"), "--url", url], cwd=ROOT,
                                 env=dataset.app_env(url, Path(tmp) / "instance"), check=True, capture_output=True,
                                 text=True)
        finally:
            if kind != "sqlite":
                dataset._pg_drop(PG_DATABASE)
    r = json.loads(out.stdout)
    log(f"  study {r['study_median_ms']} ms, gradebook {r['gradebook_median_ms']} ms, "
        f"item analysis {r['item_analysis_median_ms']} ms (built in {r['build_s']} s)")
    note = "Flask test client, in-process, median of interleaved requests; baseline GET /study?reveal=1"
    return [
        figure(kind, "gradebook_page", r["gradebook_median_ms"], "ms", r["study_median_ms"],
               students=GRADEBOOK_STUDENTS, assignments=GRADEBOOK_ASSIGNMENTS, statements=r["gradebook_statements"],
               note=note),
        figure(kind, "item_analysis_page", r["item_analysis_median_ms"], "ms", r["study_median_ms"],
               attempts=ANALYSIS_ATTEMPTS, questions=ANALYSIS_QUESTIONS, statements=r["item_analysis_statements"],
               note=note),
        figure(kind, "study_page_in_process", r["study_median_ms"], "ms", None, statements=r["study_statements"],
               learner_reviews=r["learner_reviews"], note="the class pages' baseline, same run"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="an empty database (it is filled)")
    args = parser.parse_args()
    print(json.dumps(measure(args.url)))


if __name__ == "__main__":
    main()
