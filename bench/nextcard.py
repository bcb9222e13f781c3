"""Time `studying.next_card(user_id, Deck(), now)` in-process on the 1× and the 10×
database, interleaved (1×, 10×, 1×, …) so that whatever else the machine is doing
weighs on both alike. Each call runs in a fresh session, as in a request.

    python bench/nextcard.py URL_1X URL_10X [--learners 60] [--repeat 8]

Prints one JSON object: per database the median, p90 and mean time in ms, and what
next_card chose.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def summary(times: list[float], kinds: Counter[str]) -> dict[str, Any]:
    ordered = sorted(times)
    return {"median_ms": round(statistics.median(ordered), 3), "p90_ms": round(ordered[int(len(ordered) * 0.9)], 3),
            "mean_ms": round(statistics.fmean(ordered), 3), "calls": len(ordered), "kinds": dict(kinds)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("urls", nargs=2, metavar="URL", help="the 1× and the 10× database")
    parser.add_argument("--learners", type=int, default=60, help="how many learners to sample")
    parser.add_argument("--repeat", type=int, default=8, help="timed calls per learner and database")
    parser.add_argument("--population", type=int, default=2000, help="learner ids are 1…population")
    args = parser.parse_args()

    from quiz import create_app
    from quiz.config import Config
    from quiz.extensions import db
    from quiz.models.types import utcnow
    from quiz.services import studying

    apps = []
    with tempfile.TemporaryDirectory(prefix="quiz-bench-") as tmp:
        for url in args.urls:
            os.environ.update(QUIZ_DATABASE_URL=url, QUIZ_INSTANCE_PATH=tmp)
            os.environ.setdefault("QUIZ_SECRET_KEY", "bench")
            apps.append(create_app(Config()))
    step = max(args.population // args.learners, 1)
    learners = list(range(step // 2 + 1, args.population + 1, step))[: args.learners]
    deck = studying.Deck()
    times: list[list[float]] = [[] for _ in apps]
    kinds: list[Counter[str]] = [Counter() for _ in apps]

    def call(index: int, user_id: int) -> float:
        with apps[index].app_context():
            now = utcnow()
            started = time.perf_counter()
            chosen = studying.next_card(user_id, deck, now)
            elapsed = (time.perf_counter() - started) * 1000
            kinds[index][chosen.kind if chosen else "none"] += 1
            db.session.remove()
        return elapsed

    for user_id in learners:  # warm-up: connections, caches, compiled statements
        for index in range(len(apps)):
            call(index, user_id)
    for index in range(len(apps)):
        kinds[index].clear()
    for _ in range(args.repeat):
        for user_id in learners:
            for index in range(len(apps)):
                times[index].append(call(index, user_id))
    for app in apps:
        with app.app_context():
            db.engine.dispose()
    one, ten = (summary(t, k) for t, k in zip(times, kinds))
    print(json.dumps({"1x": one, "10x": ten, "learners": len(learners)}))


if __name__ == "__main__":
    main()
