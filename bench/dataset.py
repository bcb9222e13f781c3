"""The benchmark's database: 2,000 learners × 200 cards and 1,000,000 review-log rows.

Built once (tables by the app's own migrations, the questions by `flask banks sync` of a
synthetic bank), then bulk-loaded: one executemany transaction on SQLite, COPY on
PostgreSQL. A 10× variant (the same cards, every learner's log copied nine times into
earlier years: 10,000,000 rows) is made from it with INSERT … SELECT.

Built databases are cached, keyed by a hash of the migrations, DATA_VERSION and the sizes,
and rebuilt when that key changes or when they are older than BENCH_MAX_AGE_HOURS (24):
the data is laid out around the time it was built ("due now", "reviewed today").

    python bench/dataset.py sqlite|postgresql [--force]   # build (or reuse); print the URLs as JSON
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import fsrs

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
CACHE = BENCH / ".cache"
VENV_BIN = Path(sys.executable).parent

LEARNERS = int(os.environ.get("BENCH_LEARNERS", "2000"))
CARDS = 200  # reviewed cards (rows) per learner
NEW_QUESTIONS = 20  # questions each learner has never seen (no row yet): today's new cards
LOGS_PER_LEARNER = 500  # 2,000 × 500 = 1,000,000 review-log rows
TENX = 10
SEED = 20261121
DATA_VERSION = 3  # bump when the generated rows change: cached databases are then rebuilt
BANK_ID = "bench"
SECRET_KEY = "bench-secret-key-not-for-production"
PASSWORD_HASH = ("pbkdf2:sha256:1000$bench$"  # a fixed hash: nobody logs in, sessions are forged
                 "0000000000000000000000000000000000000000000000000000000000000000")
MAX_AGE = timedelta(hours=float(os.environ.get("BENCH_MAX_AGE_HOURS", "24")))

PG_HOST = os.environ.get("BENCH_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("BENCH_PG_PORT", "5432"))
PG_USER = os.environ.get("BENCH_PG_USER", "quiz")
PG_PASSWORD = os.environ.get("BENCH_PG_PASSWORD", "quiz")
PG_DB = "quiz_bench"  # 1×, never written to by a run
PG_DB_10X = "quiz_bench_10x"
PG_DB_RUN = "quiz_bench_run"  # a fresh copy of quiz_bench for each load run


def session_token(user_id: int) -> str:
    """A learner's session token (User.session_token): fixed, so the load generator can forge sessions."""
    return f"bench-{user_id}"


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def cache_key() -> str:
    """Changes when the schema (migrations), the data version or the sizes change."""
    h = hashlib.sha256()
    for path in sorted((ROOT / "migrations" / "versions").glob("*.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    h.update(f"{DATA_VERSION}/{LEARNERS}/{CARDS}/{NEW_QUESTIONS}/{LOGS_PER_LEARNER}/{TENX}/{SEED}".encode())
    return h.hexdigest()[:16]


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def pg_url(database: str) -> str:
    return f"postgresql+psycopg://{PG_USER}:{PG_PASSWORD}@{PG_HOST}:{PG_PORT}/{database}"


def app_env(database_url: str, instance: Path) -> dict[str, str]:
    """The environment the app (flask CLI, gunicorn, in-process timing) runs with."""
    env = dict(os.environ)
    env.update(QUIZ_DATABASE_URL=database_url, QUIZ_SECRET_KEY=SECRET_KEY,
               QUIZ_INSTANCE_PATH=str(instance), FLASK_APP="wsgi")
    return env


# --- the synthetic bank and the app's own set-up --------------------------------------------

def write_bank(folder: Path) -> Path:
    """A bank of CARDS + NEW_QUESTIONS flashcards (type `card`)."""
    lines = [
        f"id: {BANK_ID}", "title: Benchmark flashcards", "description: Synthetic cards for bench/.",
        "language: en", "sources:", "  synthetic:", "    title: Synthetic source",
        "    publisher: bench", "    date: 2026-01-01", "tags: [bench]", "questions:",
    ]
    for i in range(CARDS + NEW_QUESTIONS):
        lines += [
            f"  - id: bench-{i:04d}", "    type: card", f"    prompt: Benchmark prompt number {i}",
            f"    back: The answer to benchmark prompt number {i}.",
            f"    explanation: Why the answer to prompt {i} is what it is, in a sentence or two.",
            f"    source: {{id: synthetic, paragraph: {i % 20 + 1}}}", f"    tags: [group-{i % 10}]",
        ]
    path = folder / "bench.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def migrate_and_sync(database_url: str) -> None:
    """Create the tables with the app's migrations and load the synthetic bank."""
    with tempfile.TemporaryDirectory(prefix="quiz-bench-") as tmp:
        env = app_env(database_url, Path(tmp) / "instance")
        bank = write_bank(Path(tmp))
        for args in (["db", "upgrade"], ["banks", "sync", str(bank)]):
            subprocess.run([str(VENV_BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env, check=True,
                           stdout=sys.stderr)


# --- the rows -------------------------------------------------------------------------------

@dataclass
class Rows:
    users: list[tuple[Any, ...]]
    study_banks: list[tuple[Any, ...]]
    cards: list[tuple[Any, ...]]
    logs: Iterator[tuple[Any, ...]]


USER_COLS = ("id", "email", "password_hash", "role", "is_guest", "created_at", "session_token")
STUDY_BANK_COLS = ("user_id", "bank_id", "added_at")
CARD_COLS = ("id", "user_id", "question_id", "state", "reps", "lapses", "due_at", "last_review_at", "stability",
             "created_at", "status", "suspended", "buried_until", "version")
LOG_COLS = ("id", "user_id", "card_id", "question_id", "rating", "reviewed_at", "source", "duration_ms",
            "status_before", "card_before", "version_before", "undone_at")


def ts(moment: datetime) -> str:
    """An aware UTC timestamp as both databases read it (and as SQLAlchemy writes it on SQLite)."""
    return moment.isoformat(sep=" ", timespec="microseconds")[:26]


def generate(now: datetime) -> Rows:
    """Every row, laid out around `now`. Deterministic for a given `now`."""
    rng = random.Random(SEED)
    year_ago = now - timedelta(days=365)
    users = [(u, f"learner{u:05d}@bench.invalid", PASSWORD_HASH, "learner", False, ts(year_ago - timedelta(days=30)),
              session_token(u)) for u in range(1, LEARNERS + 1)]
    study_banks = [(u, BANK_ID, ts(year_ago)) for u in range(1, LEARNERS + 1)]
    cards: list[tuple[Any, ...]] = []
    plans: list[tuple[int, int, str, int, datetime, str]] = []  # card id, user, question, reps, last review, status
    card_id = 0
    for user in range(1, LEARNERS + 1):
        # 500 reviews over 200 cards: at least one each, the rest where they fall.
        reps = [1] * CARDS
        for i in rng.choices(range(CARDS), k=LOGS_PER_LEARNER - CARDS):
            reps[i] += 1
        # A quarter of the learners stopped mid-session: learning and relearning cards due around
        # now, which next_card shows first. The others have only review cards (due ones first).
        mid_session = user % 4 == 0
        for q in range(CARDS):
            card_id += 1
            roll = rng.random() if mid_session else 1.0
            if roll < 0.06:  # learning: steps of 1 and 10 minutes, due around now
                state, status = fsrs.State.Learning, "learning"
                stability, step = rng.uniform(0.2, 3.0), rng.choice((0, 1))
                due = now + timedelta(minutes=rng.uniform(-90, 180))
                last = min(due - timedelta(minutes=10 if step else 1), now - timedelta(minutes=1))
            elif roll < 0.10:  # relearning after a lapse
                state, status = fsrs.State.Relearning, "relearning"
                stability, step = rng.uniform(0.5, 5.0), 0
                due = now + timedelta(minutes=rng.uniform(-120, 240))
                last = min(due - timedelta(minutes=10), now - timedelta(minutes=1))
            else:  # review: interval ≈ stability; about 15 % overdue
                state, status, step = fsrs.State.Review, "review", None
                stability = min(rng.lognormvariate(2.5, 1.1), 300.0)
                interval = timedelta(days=max(1.0, stability))
                due = now + interval * rng.uniform(-0.15, 0.85)
                last = due - interval
            difficulty = rng.uniform(2.0, 9.0)
            fsrs_card = fsrs.Card(card_id=card_id, state=state, step=step, stability=stability,
                                  difficulty=difficulty, due=due, last_review=last)
            question = f"bench-{q:04d}"
            lapses = 1 if status == "relearning" else 0
            cards.append((card_id, user, question, json.dumps(fsrs_card.to_dict()), reps[q], lapses, ts(due),
                          ts(last), stability, ts(year_ago), status, False, None, reps[q]))
            plans.append((card_id, user, question, reps[q], last, status))

    def logs() -> Iterator[tuple[Any, ...]]:
        log_rng = random.Random(SEED + 1)
        uniform, choices, rand = log_rng.uniform, log_rng.choices, log_rng.random
        log_id = 0
        ratings = (1, 2, 3, 4)
        weights = (0.10, 0.15, 0.65, 0.10)
        start = year_ago.timestamp()
        for cid, user, question, n, last, status in plans:
            end = last.timestamp()
            moments = [datetime.fromtimestamp(t, timezone.utc) for t in sorted(uniform(start, end) for _ in range(n - 1))]
            moments.append(last)
            grades = choices(ratings, weights, k=n)
            before, previous = "new", "null"
            for version, moment in enumerate(moments):
                log_id += 1
                at = ts(moment)
                # a small snapshot of the card before this review (the app stores the whole row)
                snapshot = (f'{{"state": {{}}, "reps": {version}, "lapses": 0, "due_at": {previous}, '
                            f'"last_review_at": {previous}, "stability": null, "status": "{before}", '
                            f'"version": {version}}}')
                yield (log_id, user, cid, question, grades[version], at, "study", 1500 + int(rand() * 10500),
                       before, snapshot, version, None)
                previous = f'"{at}"'
                before = "learning" if version == 0 else (
                    "relearning" if status == "relearning" and version == n - 2 else "review")

    return Rows(users, study_banks, cards, logs())


# --- SQLite -------------------------------------------------------------------------------

def sqlite_paths(key: str) -> tuple[Path, Path]:
    return CACHE / f"sqlite-{key}.sqlite3", CACHE / f"sqlite-{key}-10x.sqlite3"


def _fresh(path: Path) -> bool:
    meta = path.with_suffix(".json")
    if not path.exists() or not meta.exists():
        return False
    built = datetime.fromisoformat(json.loads(meta.read_text())["built_at"])
    return datetime.now(timezone.utc) - built < MAX_AGE


def _insert_sqlite(con: sqlite3.Connection, table: str, cols: Sequence[str], rows: Any, batch: int = 50_000) -> int:
    sql = f'INSERT INTO "{table}" ({", ".join(cols)}) VALUES ({", ".join("?" * len(cols))})'
    count = 0
    chunk: list[tuple[Any, ...]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= batch:
            con.executemany(sql, chunk)
            count += len(chunk)
            chunk = []
    if chunk:
        con.executemany(sql, chunk)
        count += len(chunk)
    return count


def remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.with_suffix(".json").unlink(missing_ok=True)


def build_sqlite(path: Path, now: datetime) -> None:
    started = time.perf_counter()
    remove_sqlite(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    migrate_and_sync(sqlite_url(path))
    rows = generate(now)
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-1000000")
    con.execute("BEGIN")
    _insert_sqlite(con, "user", USER_COLS, rows.users)
    _insert_sqlite(con, "study_bank", STUDY_BANK_COLS, rows.study_banks)
    _insert_sqlite(con, "card", CARD_COLS, rows.cards)
    n = _insert_sqlite(con, "review_log", LOG_COLS, rows.logs)
    con.execute("COMMIT")
    con.execute("PRAGMA journal_mode=WAL")  # as the app sets it
    con.close()
    path.with_suffix(".json").write_text(json.dumps({"built_at": now.isoformat(), "review_log": n}))
    log(f"SQLite 1×: {LEARNERS} learners, {len(rows.cards)} cards, {n} review-log rows "
        f"in {time.perf_counter() - started:.0f} s → {path}")


def build_sqlite_10x(source: Path, path: Path) -> None:
    started = time.perf_counter()
    remove_sqlite(path)
    shutil.copyfile(source, path)
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-1000000")
    cols = [c for c in LOG_COLS if c != "id"]
    select = ", ".join(
        "strftime('%Y-%m-%d %H:%M:%S', substr(reviewed_at, 1, 19), :shift) || substr(reviewed_at, 20)"
        if c == "reviewed_at" else c for c in cols)
    (original,) = con.execute("SELECT max(id) FROM review_log").fetchone()
    indexes = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'review_log' "
                          "AND sql IS NOT NULL").fetchall()
    con.execute("BEGIN")
    for name, _ in indexes:  # rebuilding them afterwards is faster than updating them row by row
        con.execute(f'DROP INDEX "{name}"')
    for k in range(1, TENX):  # each copy a further year back: today's rows stay today's
        con.execute(f"INSERT INTO review_log ({', '.join(cols)}) SELECT {select} FROM review_log WHERE id <= :top",
                    {"shift": f"-{365 * k} days", "top": original})
    for _, sql in indexes:
        con.execute(sql)
    con.execute("COMMIT")
    (n,) = con.execute("SELECT count(*) FROM review_log").fetchone()
    con.execute("PRAGMA journal_mode=WAL")
    con.close()
    meta = json.loads(source.with_suffix(".json").read_text())
    path.with_suffix(".json").write_text(json.dumps({"built_at": meta["built_at"], "review_log": n}))
    log(f"SQLite 10×: {n} review-log rows in {time.perf_counter() - started:.0f} s → {path}")


def ensure_sqlite(force: bool = False) -> tuple[Path, Path]:
    """The cached 1× and 10× SQLite files, built when missing or stale."""
    key = cache_key()
    one, ten = sqlite_paths(key)
    if CACHE.exists():  # files of other keys: an older schema or generator
        for old in CACHE.glob("sqlite-*"):
            if not old.name.startswith(f"sqlite-{key}"):
                old.unlink()
    if force or not _fresh(one):
        build_sqlite(one, datetime.now(timezone.utc))
        remove_sqlite(ten)
    else:
        log(f"SQLite 1×: reusing {one.name}")
    if force or not _fresh(ten):
        build_sqlite_10x(one, ten)
    else:
        log(f"SQLite 10×: reusing {ten.name}")
    return one, ten


def sqlite_working_copy(source: Path, target: Path) -> Path:
    """A copy of the 1× database that a load run may write to."""
    remove_sqlite(target)
    shutil.copyfile(source, target)
    return target


# --- PostgreSQL ---------------------------------------------------------------------------

class PostgresUnavailable(Exception):
    """PostgreSQL cannot be reached or prepared; the message says why."""


def _as_postgres(sql: str, database: str = "postgres") -> str:
    """Run SQL as the postgres superuser (over the local socket, as root)."""
    if os.geteuid() != 0 or shutil.which("runuser") is None:
        raise PostgresUnavailable("creating databases needs root (runuser -u postgres)")
    done = subprocess.run(["runuser", "-u", "postgres", "--", "psql", "-v", "ON_ERROR_STOP=1", "-qAt",
                           "-d", database, "-c", sql], cwd="/", capture_output=True, text=True)
    if done.returncode != 0:
        raise PostgresUnavailable(f"psql as postgres failed: {done.stderr.strip()}")
    return done.stdout.strip()


def pg_prepare() -> None:
    """Make sure the server runs and the role exists, or raise PostgresUnavailable."""
    import psycopg

    try:
        psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, password=PG_PASSWORD, dbname="postgres",
                        connect_timeout=3).close()
        return
    except psycopg.OperationalError as exc:
        first_error = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
    if PG_HOST not in ("127.0.0.1", "localhost"):
        raise PostgresUnavailable(f"cannot connect to {PG_HOST}:{PG_PORT}: {first_error}")
    if shutil.which("pg_lsclusters") is None:
        raise PostgresUnavailable("PostgreSQL is not installed (apt-get install -y postgresql)")
    if os.geteuid() != 0:
        raise PostgresUnavailable(f"cannot connect ({first_error}) and not root to start it")
    clusters = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout.split("\n")
    cluster = next((line.split() for line in clusters if line.strip()), None)
    if cluster is None:
        raise PostgresUnavailable("no PostgreSQL cluster exists (pg_createcluster)")
    if cluster[3] != "online":
        log(f"starting PostgreSQL {cluster[0]}/{cluster[1]}")
        subprocess.run(["pg_ctlcluster", cluster[0], cluster[1], "start"], check=False, stdout=sys.stderr)
    _as_postgres(f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{PG_USER}') THEN "
                 f"CREATE ROLE {PG_USER} LOGIN PASSWORD '{PG_PASSWORD}'; END IF; END $$;")
    for _ in range(20):
        try:
            psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, password=PG_PASSWORD, dbname="postgres",
                            connect_timeout=3).close()
            return
        except psycopg.OperationalError as exc:
            first_error = str(exc).strip().splitlines()[0]
            time.sleep(0.5)
    raise PostgresUnavailable(f"cannot connect to {PG_HOST}:{PG_PORT} as {PG_USER}: {first_error}")


def _pg_meta(database: str) -> dict[str, Any] | None:
    out = _as_postgres(f"SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '{database}'")
    if not out:
        return None
    try:
        return json.loads(out)
    except ValueError:
        return None


def _pg_drop(database: str) -> None:
    _as_postgres(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def _pg_create(database: str, template: str = "template0") -> None:
    _pg_drop(database)
    strategy = " STRATEGY FILE_COPY" if template != "template0" else ""
    _as_postgres(f"CREATE DATABASE {database} OWNER {PG_USER} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' "
                 f"LC_CTYPE 'C.UTF-8' TEMPLATE {template}{strategy}")


def _pg_connect(database: str) -> Any:
    import psycopg

    con = psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, password=PG_PASSWORD, dbname=database)
    con.execute("SET TIME ZONE 'UTC'")
    con.execute("SET maintenance_work_mem = '512MB'")  # index builds and foreign-key checks after the load
    con.execute("SET synchronous_commit = off")
    return con


def _pg_without_constraints(con: Any, tables: Sequence[str], load: Callable[[], None]) -> None:
    """Drop the tables' foreign keys and secondary indexes, load, and put them back (much faster)."""
    names = list(tables)
    fks = con.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)", (["\"user\"" if t == "user" else t
                                                                         for t in names],)).fetchall()
    indexes = con.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = 'public' AND i.tablename = ANY(%s) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)", (names,)).fetchall()
    for table, name, _ in fks:
        con.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        con.execute(f'DROP INDEX "{name}"')
    started = time.perf_counter()
    load()
    loaded = time.perf_counter()
    for _, definition in indexes:
        con.execute(definition)
    indexed = time.perf_counter()
    for table, name, definition in fks:
        con.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    log(f"  load {loaded - started:.0f} s, indexes {indexed - loaded:.0f} s, "
        f"foreign keys {time.perf_counter() - indexed:.0f} s")


def _copy(con: Any, table: str, cols: Sequence[str], rows: Any) -> int:
    count = 0
    with con.cursor() as cur, cur.copy(f'COPY "{table}" ({", ".join(cols)}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def build_pg(now: datetime, key: str) -> None:
    started = time.perf_counter()
    _pg_drop(PG_DB_10X)
    _pg_create(PG_DB)
    migrate_and_sync(pg_url(PG_DB))
    rows = generate(now)
    with _pg_connect(PG_DB) as con:
        counts: dict[str, int] = {}

        def load() -> None:
            counts["user"] = _copy(con, "user", USER_COLS, rows.users)
            _copy(con, "study_bank", STUDY_BANK_COLS, rows.study_banks)
            counts["card"] = _copy(con, "card", CARD_COLS, rows.cards)
            counts["review_log"] = _copy(con, "review_log", LOG_COLS, rows.logs)

        _pg_without_constraints(con, ["user", "study_bank", "card", "review_log"], load)
        for table in ("user", "card", "review_log"):
            con.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                        f"(SELECT max(id) FROM \"{table}\"))")
        con.commit()
    _pg_vacuum(PG_DB)
    meta = json.dumps({"key": key, "built_at": now.isoformat(), "review_log": counts["review_log"]})
    _as_postgres(f"COMMENT ON DATABASE {PG_DB} IS '{meta}'")
    log(f"PostgreSQL 1×: {counts['user']} learners, {counts['card']} cards, {counts['review_log']} review-log rows "
        f"in {time.perf_counter() - started:.0f} s → {PG_DB}")


def _pg_vacuum(database: str) -> None:
    """What autovacuum would do after a bulk load: statistics and the visibility map."""
    import psycopg

    with psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, password=PG_PASSWORD, dbname=database,
                         autocommit=True) as con:
        con.execute("VACUUM (ANALYZE)")


def build_pg_10x(meta: dict[str, Any]) -> None:
    started = time.perf_counter()
    _pg_create(PG_DB_10X, template=PG_DB)
    cols = [c for c in LOG_COLS if c != "id"]
    select = ", ".join("reviewed_at - make_interval(days => %(days)s)" if c == "reviewed_at" else c for c in cols)
    with _pg_connect(PG_DB_10X) as con:
        (original,) = con.execute("SELECT max(id) FROM review_log").fetchone()

        def load() -> None:
            for k in range(1, TENX):
                con.execute(f"INSERT INTO review_log ({', '.join(cols)}) SELECT {select} FROM review_log "
                            f"WHERE id <= %(top)s", {"days": 365 * k, "top": original})

        _pg_without_constraints(con, ["review_log"], load)
        (n,) = con.execute("SELECT count(*) FROM review_log").fetchone()
        con.commit()
    vacuum_started = time.perf_counter()
    _pg_vacuum(PG_DB_10X)
    log(f"  vacuum {time.perf_counter() - vacuum_started:.0f} s")
    _as_postgres(f"COMMENT ON DATABASE {PG_DB_10X} IS '{json.dumps(dict(meta, review_log=n))}'")
    log(f"PostgreSQL 10×: {n} review-log rows in {time.perf_counter() - started:.0f} s → {PG_DB_10X}")


def _pg_current(database: str, key: str) -> dict[str, Any] | None:
    meta = _pg_meta(database)
    if not meta or meta.get("key") != key:
        return None
    if datetime.now(timezone.utc) - datetime.fromisoformat(meta["built_at"]) >= MAX_AGE:
        return None
    return meta


def ensure_pg(force: bool = False) -> tuple[str, str]:
    """The cached 1× and 10× PostgreSQL databases, built when missing or stale."""
    pg_prepare()
    key = cache_key()
    meta = None if force else _pg_current(PG_DB, key)
    if meta is None:
        build_pg(datetime.now(timezone.utc), key)
        meta = _pg_current(PG_DB, key)
        assert meta is not None
    else:
        log(f"PostgreSQL 1×: reusing {PG_DB}")
    ten = None if force else _pg_current(PG_DB_10X, key)
    if ten is None or ten.get("built_at") != meta["built_at"]:
        build_pg_10x(meta)
    else:
        log(f"PostgreSQL 10×: reusing {PG_DB_10X}")
    return pg_url(PG_DB), pg_url(PG_DB_10X)


def pg_working_copy() -> str:
    """A fresh copy of the 1× database that a load run may write to."""
    _pg_create(PG_DB_RUN, template=PG_DB)
    return pg_url(PG_DB_RUN)


def pg_drop_working_copy() -> None:
    _pg_drop(PG_DB_RUN)


def main() -> None:
    """Build (or reuse) one kind of database; print {"urls": [1×, 10×]} or {"skipped": why} as JSON."""
    kind = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
    force = "--force" in sys.argv
    if kind == "sqlite":
        one, ten = ensure_sqlite(force)
        print(json.dumps({"urls": [sqlite_url(one), sqlite_url(ten)]}))
        return
    try:
        print(json.dumps({"urls": list(ensure_pg(force))}))
    except PostgresUnavailable as exc:
        print(json.dumps({"skipped": str(exc)}))


if __name__ == "__main__":
    main()
