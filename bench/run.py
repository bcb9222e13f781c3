"""`make bench`: the study loop under load, on SQLite and PostgreSQL.

For each database: build (or reuse) 2,000 learners × 200 cards with 1,000,000 review-log
rows and a 10× variant; time next_card in-process on both; serve a fresh copy of the 1×
database with gunicorn (2 workers) on 127.0.0.1; measure /healthz and the study loop with
the same load tool (16 connections, 15 s each), and /healthz with wrk too when installed.

Prints one JSON line per figure on stdout (progress goes to stderr) and writes them to
bench/results/latest.jsonl:
    {"bench": …, "value": …, "unit": …, "baseline": …, "ratio": …, "db": "sqlite"|"postgresql", …}

    python bench/run.py [--db sqlite,postgresql] [--bench banks,study,game] [--duration 15] [--connections 16] [--rebuild]

The bank bench (bench/bankfile.py) runs first: bank_check_10k and bank_sync_10k per database.
The live game (bench/live_game.py, PostgreSQL only) runs last: live_game_* lines.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import classroom  # noqa: E402
import dataset  # noqa: E402
from dataset import ROOT, VENV_BIN, log  # noqa: E402

RESULTS = ROOT / "bench" / "results"
WORKERS = 2
WARMUP_LEARNERS = "1901-2000"  # warm-up only; the measured run uses the others
MEASURED_LEARNERS = "1-1800"
UNQUEUED_LEARNERS = "1801-1900"  # the short run at one connection per worker
TARGETS = {"throughput_ratio": 0.5, "p99_ms": 50.0, "next_card_ratio": 1.25}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn on 127.0.0.1 with the app's environment; always stopped (see main)."""

    running: list["Server"] = []

    def __init__(self, database_url: str, logfile: Path, worker_args: tuple[str, ...] = (),
                 extra_env: dict[str, str] | None = None) -> None:
        """`worker_args`: more gunicorn options (e.g. the gevent worker class); `extra_env`: more
        QUIZ_* settings (e.g. QUIZ_REDIS_URL)."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.instance = tempfile.mkdtemp(prefix="quiz-bench-instance-")
        self.env = {**dataset.app_env(database_url, Path(self.instance)), **(extra_env or {})}
        self.logfile = logfile.open("w")
        self.proc = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "--workers", str(WORKERS), "--bind", f"127.0.0.1:{self.port}",
             "--no-control-socket", *worker_args, "wsgi:app"],
            cwd=ROOT, env=self.env, stdout=self.logfile, stderr=subprocess.STDOUT, start_new_session=True)
        Server.running.append(self)
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.proc.returncode}); see {logfile}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer /healthz in 60 s; see {logfile}")
            time.sleep(0.2)
        log(f"gunicorn ({WORKERS} workers, pid {self.proc.pid}) is up on {self.url}")

    def worker_pids(self) -> list[int]:
        """The master's children (its workers), as /proc lists them now."""
        try:
            return [int(p) for p in Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()]
        except OSError:
            return []

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the master and its workers: the server's own cost,
        which other load on the machine disturbs much less than throughput. (A worker that died
        takes its CPU time with it.)"""
        total = 0
        for pid in [self.proc.pid, *self.worker_pids()]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()  # the master stops its workers
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)  # the group this script started
                self.proc.wait()
        self.logfile.close()
        shutil.rmtree(self.instance, ignore_errors=True)
        if self in Server.running:
            Server.running.remove(self)


def load(server: Server, mode: str, duration: float, connections: int, learners: str = MEASURED_LEARNERS) -> dict[str, Any]:
    """One bounded run of bench/loadgen.py against the server."""
    cpu_before = server.cpu_seconds()
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "loadgen.py"), "--url", server.url, "--mode", mode,
         "--duration", str(duration), "--connections", str(connections), "--learners", learners],
        cwd=ROOT, env=server.env, check=True, capture_output=True, text=True)
    result = json.loads(out.stdout)
    result["server_cpu_ms_per_request"] = round(
        (server.cpu_seconds() - cpu_before) * 1000 / max(result["requests"], 1), 3)
    log(f"  {mode:7s} {duration:4.0f} s: {result['requests_per_s']:7.1f} req/s, p50 {result['p50_ms']} ms, "
        f"p99 {result['p99_ms']} ms, server CPU {result['server_cpu_ms_per_request']} ms/request, "
        f"errors {result['error_count']}"
        + (f", {result['iterations_per_s']} iterations/s" if mode == "study" else ""))
    return result


def wrk(server: Server, duration: int, connections: int) -> dict[str, Any] | None:
    """/healthz with wrk (loopback only, bounded), for reference; None when wrk is not installed."""
    if shutil.which("wrk") is None:
        log("  wrk is not installed (apt-get install wrk): no wrk figure")
        return None
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", f"{server.url}/healthz"],
                         capture_output=True, text=True, timeout=duration + 30).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not rps:
        log(f"  wrk output not understood:\n{out}")
        return None

    def latency(label: str) -> float | None:
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\b", out, re.M)
        if not match:
            return None
        return round(float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)], 2)

    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    result = {"requests_per_s": float(rps.group(1)), "p50_ms": latency("50"), "p99_ms": latency("99"),
              "non_2xx": int(errors.group(1)) if errors else 0}
    log(f"  wrk /healthz {duration} s: {result['requests_per_s']:.1f} req/s, p50 {result['p50_ms']} ms, "
        f"p99 {result['p99_ms']} ms")
    return result


def next_card_times(url_1x: str, url_10x: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "nextcard.py"), url_1x, url_10x],
                         cwd=ROOT, env=dataset.app_env(url_1x, Path(tempfile.gettempdir())), check=True,
                         capture_output=True, text=True)
    result = json.loads(out.stdout)
    log(f"  next_card: 1× median {result['1x']['median_ms']} ms, 10× median {result['10x']['median_ms']} ms "
        f"({result['learners']} learners × {result['1x']['calls'] // result['learners']} calls each)")
    return result


def service_times(database_url: str, profile: Path | None) -> dict[str, Any]:
    """GET and POST of the study loop in-process (bench/service.py), on the working copy."""
    command = [sys.executable, str(ROOT / "bench" / "service.py"), "--learners", WARMUP_LEARNERS]
    if profile is not None:
        command += ["--profile", str(profile)]
    with tempfile.TemporaryDirectory(prefix="quiz-bench-") as tmp:
        out = subprocess.run(command, cwd=ROOT, env=dataset.app_env(database_url, Path(tmp)), check=True,
                             capture_output=True, text=True)
    result = json.loads(out.stdout)
    log(f"  in-process: GET {result['get_median_ms']} ms ({result['get_statements']:g} statements), "
        f"POST {result['post_median_ms']} ms ({result['post_statements']:g} statements)"
        + (f"; profile in {profile}" if profile else ""))
    return result


def figure(db: str, bench: str, value: float | None, unit: str, baseline: float | None = None,
           **extra: Any) -> dict[str, Any]:
    ratio = round(value / baseline, 3) if value is not None and baseline else None
    return {"bench": bench, "value": value, "unit": unit, "baseline": baseline, "ratio": ratio, "db": db, **extra}


def databases(kinds: list[str], rebuild: bool) -> dict[str, tuple[str, str] | str]:
    """Build (or reuse) every database first, SQLite and PostgreSQL side by side (2 cores),
    so that no build runs while something is measured. A value is (1× URL, 10× URL), or
    why that database is skipped."""
    found: dict[str, tuple[str, str] | str] = {}
    builder = None
    if "postgresql" in kinds:
        builder = subprocess.Popen([sys.executable, str(ROOT / "bench" / "dataset.py"), "postgresql"]
                                   + (["--force"] if rebuild else []), cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        if "sqlite" in kinds:
            one, ten = dataset.ensure_sqlite(rebuild)
            found["sqlite"] = (dataset.sqlite_url(one), dataset.sqlite_url(ten))
    finally:
        if builder is not None:
            out, _ = builder.communicate()
    if builder is not None:
        try:
            answer = json.loads(out.strip().splitlines()[-1])
        except (ValueError, IndexError):
            answer = {"skipped": f"building the PostgreSQL databases failed (exit {builder.returncode}; see above)"}
        found["postgresql"] = tuple(answer["urls"]) if "urls" in answer else answer["skipped"]
    return found


def bench_db(kind: str, urls: tuple[str, str], duration: float, connections: int,
             profile: bool) -> list[dict[str, Any]]:
    started = time.perf_counter()
    log(f"=== {kind} ===")
    url_1x, url_10x = urls
    rows_1x = dataset.LEARNERS * dataset.LOGS_PER_LEARNER
    timing = next_card_times(url_1x, url_10x)

    if kind == "sqlite":
        working = dataset.CACHE / "run.sqlite3"
        run_url = dataset.sqlite_url(dataset.sqlite_working_copy(Path(url_1x.removeprefix("sqlite:///")), working))
    else:
        run_url = dataset.pg_working_copy()
    RESULTS.mkdir(parents=True, exist_ok=True)
    try:
        service = service_times(run_url, RESULTS / f"profile-{kind}.txt" if profile else None)
    except BaseException:
        if kind == "sqlite":
            dataset.remove_sqlite(working)
        else:
            dataset.pg_drop_working_copy()
        raise
    loadavg = round(os.getloadavg()[0], 2)  # other work on the machine disturbs the figures
    server = Server(run_url, RESULTS / f"gunicorn-{kind}.log")
    try:
        load(server, "study", 2, connections, WARMUP_LEARNERS)
        load(server, "healthz", 1, connections)
        healthz = load(server, "healthz", duration, connections)
        study = load(server, "study", duration, connections)
        unqueued = load(server, "study", 5, WORKERS, UNQUEUED_LEARNERS)
        wrk_healthz = wrk(server, 5, connections)
    finally:
        server.stop()
        if kind == "sqlite":
            dataset.remove_sqlite(working)
        else:
            dataset.pg_drop_working_copy()

    th, p99, ratio_nc = TARGETS["throughput_ratio"], TARGETS["p99_ms"], TARGETS["next_card_ratio"]
    base_rps = healthz["requests_per_s"]
    lines = [
        figure(kind, "study_loop_throughput", study["requests_per_s"], "req/s", base_rps,
               target=f"ratio >= {th}", met=study["requests_per_s"] >= th * base_rps,
               errors=study["error_count"], session_rewrites=study["session_rewrites"],
               connections=connections, seconds=study["seconds"],
               server_cpu_ms_per_request=study["server_cpu_ms_per_request"],
               baseline_server_cpu_ms_per_request=healthz["server_cpu_ms_per_request"],
               loadavg_1min_before=loadavg),
        figure(kind, "study_loop_iterations", study["iterations_per_s"], "iterations/s", None,
               note="one iteration = GET /study?reveal=1 + POST /study/grade (2 requests)"),
        figure(kind, "study_loop_latency_p50", study["p50_ms"], "ms", healthz["p50_ms"],
               get_ms=study["get_p50_ms"], post_ms=study["post_p50_ms"]),
        figure(kind, "study_loop_latency_p99", study["p99_ms"], "ms", healthz["p99_ms"],
               target=f"value <= {p99:g} ms", met=study["p99_ms"] <= p99,
               get_ms=study["get_p99_ms"], post_ms=study["post_p99_ms"]),
        figure(kind, "study_loop_latency_p99_unqueued", unqueued["p99_ms"], "ms", None, connections=WORKERS,
               p50_ms=unqueued["p50_ms"], requests_per_s=unqueued["requests_per_s"],
               note=f"{WORKERS} connections for {WORKERS} workers: service time without queueing"),
        figure(kind, "healthz_throughput", base_rps, "req/s", None, tool="bench/loadgen.py",
               p50_ms=healthz["p50_ms"], p99_ms=healthz["p99_ms"], errors=healthz["error_count"],
               server_cpu_ms_per_request=healthz["server_cpu_ms_per_request"]),
    ]
    lines += [
        figure(kind, "study_get_in_process", service["get_median_ms"], "ms", None,
               statements=service["get_statements"], note="GET /study?reveal=1, Flask test client, no concurrency"),
        figure(kind, "study_post_in_process", service["post_median_ms"], "ms", None,
               statements=service["post_statements"], refused=service["refused"],
               note="POST /study/grade, Flask test client, no concurrency"),
    ]
    if wrk_healthz:
        lines.append(figure(kind, "healthz_throughput_wrk", wrk_healthz["requests_per_s"], "req/s", None, tool="wrk",
                            p50_ms=wrk_healthz["p50_ms"], p99_ms=wrk_healthz["p99_ms"]))
    one_ms, ten_ms = timing["1x"]["median_ms"], timing["10x"]["median_ms"]
    lines += [
        figure(kind, "next_card_1x", one_ms, "ms", None, review_log_rows=rows_1x, p90_ms=timing["1x"]["p90_ms"]),
        figure(kind, "next_card_10x", ten_ms, "ms", one_ms, review_log_rows=rows_1x * dataset.TENX,
               p90_ms=timing["10x"]["p90_ms"], target=f"ratio <= {ratio_nc}", met=ten_ms <= ratio_nc * one_ms),
    ]
    log(f"=== {kind}: {time.perf_counter() - started:.0f} s ===")
    return lines


def bank_lines(kinds: list[str], profile: bool) -> list[dict[str, Any]]:
    """bench/bankfile.py: check and sync of a 10,000-question bank, as ratios to PyYAML's C loader."""
    command = [sys.executable, str(ROOT / "bench" / "bankfile.py"), "--db", ",".join(kinds)]
    out = subprocess.run(command + (["--profile"] if profile else []), cwd=ROOT, check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def game_lines(kinds: list[str]) -> list[dict[str, Any]]:
    """bench/live_game.py: 1,000 players in a live game, on PostgreSQL, without and with Redis,
    then the kill run."""
    if "postgresql" not in kinds:
        log("live game SKIPPED: it runs on PostgreSQL only (--db postgresql)")
        return []
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "live_game.py"), "--kill"], cwd=ROOT, check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--bench", default="banks,study,game",
                        help="comma-separated: banks (check and sync of a 10k bank, ~1 min), study (the study loop), "
                             "game (1,000 players in a live game, PostgreSQL only, ~6 min)")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds of load per measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the databases even if cached")
    parser.add_argument("--profile", action="store_true",
                        help="also write a pyinstrument profile of the study requests to bench/results/profile-DB.txt")
    args = parser.parse_args()
    if args.profile and importlib.util.find_spec("pyinstrument") is None:
        parser.error("--profile needs pyinstrument: pip install -e '.[bench]' (or make bench-profile)")
    kinds = [k.strip() for k in args.db.split(",") if k.strip()]
    if not set(kinds) <= {"sqlite", "postgresql"}:
        parser.error("--db takes sqlite and/or postgresql")
    benches = [b.strip() for b in args.bench.split(",") if b.strip()]
    if not set(benches) <= {"banks", "study", "game"}:
        parser.error("--bench takes banks, study and/or game")

    def stop(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    started = time.perf_counter()
    lines: list[dict[str, Any]] = []
    failed = False
    try:
        if "banks" in benches:
            new = bank_lines(kinds, args.profile)
            for line in new:
                print(json.dumps(line), flush=True)
            lines += new
            failed = failed or any(line["bench"] == "skipped" and "failed" in line["reason"] for line in new)
        found = databases(kinds, args.rebuild) if "study" in benches else {}
        if found:
            log(f"databases ready in {time.perf_counter() - started:.0f} s")
        for kind in found:
            urls = found[kind]
            if isinstance(urls, str):
                log(f"PostgreSQL run SKIPPED: {urls}")
                new = [figure(kind, "skipped", None, "", None, reason=urls)]
                failed = failed or "failed" in urls
            else:
                new = bench_db(kind, urls, args.duration, args.connections, args.profile)
                new += classroom.bench(kind, figure)  # class pages: bench/classroom.py
            for line in new:
                print(json.dumps(line), flush=True)
            lines += new
        if "game" in benches:
            new = game_lines(kinds)
            for line in new:
                print(json.dumps(line), flush=True)
            lines += new
            failed = failed or any(line["bench"] == "skipped" and "failed" in line["reason"] for line in new)
    finally:
        for server in list(Server.running):
            server.stop()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))
    log(f"wrote {RESULTS / 'latest.jsonl'}; {time.perf_counter() - started:.0f} s in all")
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
