"""The study loop's two requests timed in-process (Flask test client, no HTTP server, no
concurrency): how long the app itself takes for GET /study?reveal=1 and POST /study/grade,
and how many SQL statements each runs. Much steadier than the load figures on a shared
machine, so it is the figure to compare before and after an app change.

    QUIZ_DATABASE_URL=… QUIZ_SECRET_KEY=… python bench/service.py [--learners 1901-2000] [--profile FILE]

Writes to the database (it grades cards): give it a copy. With --profile, a second pass
over the same learners is recorded by pyinstrument (pip install pyinstrument, or
`make bench-profile`) to FILE.
Prints one JSON object.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
QUESTION_RE = re.compile(r'<input type="hidden" name="question_id" value="([^"]+)">')
VERSION_RE = re.compile(r'<input type="hidden" name="version" value="(\d+)">')
HTMX = {"HX-Request": "true"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", default="1901-2000", help="first-last learner id")
    parser.add_argument("--profile", type=Path, help="write a pyinstrument profile of the timed requests here")
    args = parser.parse_args()
    first, _, last = args.learners.partition("-")

    from flask_login.utils import _create_identifier
    from sqlalchemy import event

    from quiz import create_app
    from quiz.extensions import db

    app = create_app()
    statements: list[str] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    client = app.test_client()
    with app.test_request_context("/"):
        identifier = _create_identifier()
    times: dict[str, list[float]] = {"get": [], "post": []}
    counts: dict[str, list[int]] = {"get": [], "post": []}
    refused = 0

    def iteration(uid: int, timed: bool) -> None:
        """GET the revealed card, POST a grade: what one learner does, timed."""
        nonlocal refused
        with client.session_transaction() as session:
            session.clear()
            session.update({"_user_id": str(uid), "_fresh": True, "_id": identifier,
                            "csrf_token": hashlib.sha1(f"bench-csrf-{uid}".encode()).hexdigest()})
        statements.clear()
        started = time.perf_counter()
        page = client.get("/study?reveal=1", headers=HTMX).get_data(as_text=True)
        elapsed = time.perf_counter() - started
        if timed:
            times["get"].append(elapsed * 1000)
            counts["get"].append(len(statements))
        question, version, csrf = QUESTION_RE.search(page), VERSION_RE.search(page), CSRF_RE.search(page)
        if not (question and version and csrf):
            return
        form = {"csrf_token": csrf.group(1), "question_id": question.group(1), "version": version.group(1),
                "rating": "3"}
        statements.clear()
        started = time.perf_counter()
        answer = client.post("/study/grade", data=form, headers=HTMX)
        elapsed = time.perf_counter() - started
        if answer.status_code != 200 or 'role="alert"' in answer.get_data(as_text=True):
            refused += 1
        if timed:
            times["post"].append(elapsed * 1000)
            counts["post"].append(len(statements))

    learners = list(range(int(first), int(last or first) + 1))
    for index, uid in enumerate(learners):
        iteration(uid, timed=index >= 10)  # the first ones warm up caches and connections
    if args.profile:  # a second pass, profiled (the profiler slows everything: not timed)
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
        for uid in learners:
            iteration(uid, timed=False)
        profiler.stop()
        args.profile.write_text(profiler.output_text(unicode=False, color=False, show_all=False))
    with app.app_context():
        db.engine.dispose()
    result: dict[str, Any] = {"refused": refused}
    for kind in ("get", "post"):
        result[f"{kind}_median_ms"] = round(statistics.median(times[kind]), 3) if times[kind] else None
        result[f"{kind}_statements"] = statistics.median(counts[kind]) if counts[kind] else None
        result[f"{kind}_requests"] = len(times[kind])
    print(json.dumps(result))


if __name__ == "__main__":
    main()
