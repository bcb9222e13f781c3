"""The bank benchmark: check and sync of a 10,000-question bank against PyYAML's C loader.

A synthetic bank (every question type, ~300 bytes a question, ~3 MB) is written to
bench/.cache/bank-10k.yaml. In one run, on the same machine, this script times
`yaml.load(…, Loader=yaml.CSafeLoader)` of the file (the baseline), `banks check`
(read and validate, as `load_banks` does) and `banks sync` into an empty database and
again into the filled one (nothing changed), each the median of a few rounds.

    python bench/bankfile.py [--db sqlite,postgresql] [--questions 10000] [--rounds 3] [--profile]

Prints one JSON line per figure, like bench/run.py: bank_check_10k and bank_sync_10k
(value in seconds, baseline the C loader's time, ratio = value / baseline).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

QUESTIONS = 10_000
TARGET_RATIO = 2.0

# One template per question type; {n} is the question's number. Each is about 300 bytes.
TEMPLATES = [
    """  - id: q{n:05d}-mcq
    type: mcq
    prompt: Which town did the column reach on day {n} of the campaign?
    answer: Konna {n}
    distractors: [Gao, Kidal, Tessalit]
    explanation: It was the closest town to the front line at that point.
    source: {{id: s1, paragraph: {p}}}
    tags: [places]
""",
    """  - id: q{n:05d}-multi
    type: multi
    prompt: Which groups took part in assault number {n}?
    answers: [AQIM, MUJAO, Ansar Dine]
    distractors: [MNLA, Boko Haram]
    explanation: Three groups joined forces for the push south.
    source: {{id: s1, paragraph: {p}}}
""",
    """  - id: q{n:05d}-truefalse
    type: truefalse
    prompt: "Statement {n}: Barkhane covered several Sahel countries."
    answer: true
    explanation: Barkhane took over from Serval with a regional remit.
    source: {{id: s2, paragraph: {p}}}
    difficulty: easy
""",
    """  - id: q{n:05d}-short
    type: short
    prompt: Name the town with an airport where troops arrived (report {n}).
    answer: Sévaré
    accept: [Sevare, Sevaré]
    explanation: >-
      Sévaré lies next to Mopti; its airport let forces fly in close to the front.
    source: {{id: s1, paragraph: {p}}}
""",
    """  - id: q{n:05d}-number
    type: number
    prompt: How many soldiers were in unit {n}?
    answer: {n}
    tolerance: 5
    unit: soldiers
    explanation: The report gives the figure for each unit.
    source: {{id: s1, paragraph: {p}}}
    difficulty: medium
""",
    """  - id: q{n:05d}-date
    type: date
    prompt: In which month and year did event {n} happen?
    answer: 2013-01
    tolerance: 1
    explanation: The report dates it to January 2013, after an attack on the south.
    source: {{id: s2, paragraph: {p}}}
""",
    """  - id: q{n:05d}-order
    type: order
    prompt: Put these events in order, earliest first ({n}).
    items:
      - {{text: Konna falls, date: 2013-01-10}}
      - {{text: France intervenes, date: 2013-01-11}}
      - {{text: Barkhane begins, date: 2014-08}}
    explanation: The decision came a day after Konna fell.
    source: {{id: s2, paragraph: {p}}}
""",
    """  - id: q{n:05d}-match
    type: match
    prompt: Match each operation to its description ({n}).
    pairs:
      - {{left: Serval, right: The 2013 intervention in Mali}}
      - {{left: Barkhane, right: The regional operation from 2014}}
    distractors: [The UN mission]
    explanation: Serval was a Mali operation; Barkhane covered the Sahel.
    source: {{id: s2, paragraph: {p}}}
""",
    """  - id: q{n:05d}-cloze
    type: cloze
    prompt: In {{{{2013}}}} France launched Operation {{{{Serval|Sérval}}}} (number {n}).
    explanation: Either spelling of the operation is accepted.
    source: {{id: s2, paragraph: {p}}}
""",
    """  - id: q{n:05d}-card
    type: card
    prompt: MINUSMA ({n})
    back: The United Nations stabilisation mission in Mali, set up in April 2013.
    explanation: It took over from an African-led force.
    source: {{id: s2, paragraph: {p}}}
    tags: [organisations]
""",
]

HEADER = """\
id: bench-10k
title: Benchmark bank — every question type
description: A synthetic bank for bench/bankfile.py.
language: en
sources:
  s1: {title: French troops intervene in Mali, publisher: A paper, date: 2013-01-12}
  s2: {title: A soldier killed in Mali, publisher: A news site, date: 2014-10}
tags: [bench]
questions:
"""


def bank_text(questions: int = QUESTIONS) -> str:
    """The synthetic bank: `questions` questions, every type in turn."""
    parts = [HEADER]
    for n in range(questions):
        parts.append(TEMPLATES[n % len(TEMPLATES)].format(n=n, p=n % 40 + 1))
    return "".join(parts)


def write_bank(folder: Path, questions: int = QUESTIONS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"bank-{questions // 1000}k.yaml"
    text = bank_text(questions)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def pg_database(url: str | None) -> str:
    """The PostgreSQL URL to use: the one given, or a database quiz_bench_banks made for the run."""
    if url:
        return url
    import dataset

    dataset.pg_prepare()
    dataset._pg_create(PG_DB)
    return dataset.pg_url(PG_DB)


PG_DB = "quiz_bench_banks"


def bench(kind: str, url: str, path: Path, rounds: int, profile: Path | None) -> list[dict[str, Any]]:
    """Time the C loader, check and sync of the bank at path on one database, interleaved by round."""
    import yaml

    from dataset import log
    from quiz import create_app
    from quiz.config import TestConfig
    from quiz.extensions import db
    from quiz.models.types import utcnow
    from quiz.services import banks

    app = create_app(TestConfig(url, Path(tempfile.mkdtemp(prefix="quiz-bench-banks-"))))
    original = path.read_text(encoding="utf-8")
    times: dict[str, list[float]] = {"c_loader": [], "check": [], "sync": [], "resync_unchanged": [],
                                     "resync_all_changed": []}

    def timed(name: str, action: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        result = action()
        times[name].append(time.perf_counter() - started)
        return result

    with app.app_context():
        try:
            for round_ in range(rounds):
                db.drop_all()
                db.create_all()
                timed("c_loader", lambda: yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader))
                checked = timed("check", lambda: banks.check_banks([path]))
                added = timed("sync", lambda: banks.sync_banks([path], utcnow()))
                unchanged = timed("resync_unchanged", lambda: banks.sync_banks([path], utcnow()))
                path.write_text(re.sub(r"paragraph: (\d+)", lambda m: f"paragraph: {int(m[1]) + 1}", original),
                                encoding="utf-8")  # every question cites the next paragraph
                try:
                    changed = timed("resync_all_changed", lambda: banks.sync_banks([path], utcnow()))
                finally:
                    path.write_text(original, encoding="utf-8")
                assert len(added.added) == len(checked[0].questions) == len(unchanged.unchanged) == len(changed.updated)
                log(f"  {kind} round {round_ + 1}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items()))
            if profile is not None:
                import cProfile
                import pstats

                db.drop_all()
                db.create_all()
                profiler = cProfile.Profile()
                profiler.runcall(banks.sync_banks, [path], utcnow())
                with profile.open("w") as out:
                    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
                log(f"  profile of a sync in {profile}")
        finally:
            db.drop_all()
            db.session.remove()
            db.engine.dispose()
    median = {name: round(statistics.median(values), 3) for name, values in times.items()}

    def ratio(name: str) -> float:
        """The median of each round's time over the same round's C-loader time: robust to load
        that comes and goes between rounds."""
        return round(statistics.median(v / c for v, c in zip(times[name], times["c_loader"])), 3)

    questions = len(checked[0].questions)
    size = f"{questions // 1000}k"
    common = {"db": kind, "questions": questions, "bytes": path.stat().st_size, "rounds": rounds,
              "target": f"ratio <= {TARGET_RATIO:g}",
              "note": "baseline: yaml.load(file, Loader=yaml.CSafeLoader); ratio: median over rounds of "
                      "time / that round's baseline"}

    def line(bench_name: str, name: str, **extra: Any) -> dict[str, Any]:
        return {"bench": bench_name, "value": median[name], "unit": "s", "baseline": median["c_loader"],
                "ratio": ratio(name), "met": ratio(name) <= TARGET_RATIO, **common, **extra}

    return [
        line(f"bank_check_{size}", "check"),
        line(f"bank_sync_{size}", "sync", into="an empty database",
             resync_unchanged_s=median["resync_unchanged"], resync_unchanged_ratio=ratio("resync_unchanged"),
             resync_all_changed_s=median["resync_all_changed"], resync_all_changed_ratio=ratio("resync_all_changed")),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--questions", type=int, default=QUESTIONS)
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds; each figure is the median")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_BANKS_PG_URL"),
                        help="PostgreSQL database to use (its tables are dropped!); default: a new quiz_bench_banks")
    parser.add_argument("--profile", action="store_true", help="also write a cProfile of one sync per database")
    args = parser.parse_args()
    kinds = [k.strip() for k in args.db.split(",") if k.strip()]
    if not set(kinds) <= {"sqlite", "postgresql"}:
        parser.error("--db takes sqlite and/or postgresql")

    import dataset
    from dataset import log

    path = write_bank(dataset.CACHE, args.questions)
    results = dataset.ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    log(f"=== banks: {path} ({path.stat().st_size / 1e6:.1f} MB, {args.questions} questions) ===")
    for kind in kinds:
        profile = results / f"profile-banks-{kind}.txt" if args.profile else None
        if kind == "sqlite":
            with tempfile.TemporaryDirectory(prefix="quiz-bench-banks-") as tmp:
                lines = bench(kind, f"sqlite:///{tmp}/banks.sqlite3", path, args.rounds, profile)
        else:
            try:
                url = pg_database(args.pg_url)
            except dataset.PostgresUnavailable as exc:
                log(f"PostgreSQL bank bench SKIPPED: {exc}")
                print(json.dumps({"bench": "skipped", "value": None, "unit": "", "baseline": None, "ratio": None,
                                  "db": kind, "reason": str(exc)}), flush=True)
                continue
            try:
                lines = bench(kind, url, path, args.rounds, profile)
            finally:
                if not args.pg_url:
                    dataset._pg_drop(PG_DB)
        for line in lines:
            print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
