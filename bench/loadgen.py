"""A bounded load generator for the study loop, and for the trivial endpoint it is compared with.

Only ever against this machine (127.0.0.1, localhost or ::1), for a fixed time, with a
fixed number of concurrent connections (asyncio, one task per connection). Every request
opens its own TCP connection and says `Connection: close`, because gunicorn's sync workers
close after each response anyway; /healthz is measured the same way, so the two are
comparable.

Modes:
  healthz   GET /healthz in a loop.
  study     each connection works through its own slice of learners, studying --session (20)
            cards in a row with each, as a learner would in one sitting; one iteration is
            GET /study?reveal=1 (HX-Request: the revealed card as a fragment; its form gives
            question_id, version and the CSRF token) then POST /study/grade (HX-Request: the
            grade, and the next card as a fragment). Sessions are forged offline: signed
            Flask session cookies for each learner (`_user_id`, `_id`, `csrf_token`), made
            with the app's own serializer and QUIZ_SECRET_KEY, so nobody logs in.

    python bench/loadgen.py --url http://127.0.0.1:PORT --mode study --duration 15 \
        --connections 16 --learners 1-1900

Prints one JSON object: requests, iterations, errors, requests/s, iterations/s and latency
percentiles in ms (per request, connect to last byte).
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import math
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
USER_AGENT = "quiz-bench/1"
MAX_DURATION = 120.0
MAX_CONNECTIONS = 64
RATINGS = (1, 2, 3, 4)
RATING_WEIGHTS = (0.10, 0.15, 0.65, 0.10)

CSRF_RE = re.compile(rb'name="csrf_token" type="hidden" value="([^"]+)"')
QUESTION_RE = re.compile(rb'<input type="hidden" name="question_id" value="([^"]+)">')
VERSION_RE = re.compile(rb'<input type="hidden" name="version" value="(\d+)">')
SET_SESSION_RE = re.compile(rb"^set-cookie:\s*session=([^;\r\n]*)", re.I | re.M)


def forge_sessions(user_ids: list[int]) -> dict[int, str]:
    """Signed session cookies, as Flask-Login and Flask-WTF would have left them after a login."""
    from dataset import session_token  # bench/ is on sys.path: this file runs as a script
    from flask_login.utils import _create_identifier

    from quiz import create_app

    app = create_app()
    serializer = app.session_interface.get_signing_serializer(app)
    assert serializer is not None, "QUIZ_SECRET_KEY must be set"
    with app.test_request_context("/", environ_base={"REMOTE_ADDR": "127.0.0.1"},
                                  headers={"User-Agent": USER_AGENT}):
        identifier = _create_identifier()
    return {uid: serializer.dumps({
        "_user_id": f"{uid}:{session_token(uid)}", "_fresh": True, "_id": identifier,
        "csrf_token": hashlib.sha1(f"bench-csrf-{uid}".encode()).hexdigest(),
    }) for uid in user_ids}


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"get": [], "post": []})
    errors: Counter[str] = field(default_factory=Counter)
    iterations: int = 0
    done_learners: int = 0
    session_rewrites: int = 0


class Client:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port

    async def request(self, method: str, target: str, headers: dict[str, str],
                      body: bytes = b"") -> tuple[int, bytes, bytes, float]:
        """One request on a new connection: (status, head, body, seconds)."""
        lines = [f"{method} {target} HTTP/1.1", f"Host: {self.host}:{self.port}", f"User-Agent: {USER_AGENT}",
                 "Connection: close"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        started = time.perf_counter()
        reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            writer.write(data)
            raw = await reader.read()  # the server closes after the response
        finally:
            writer.close()
        elapsed = time.perf_counter() - started
        head, _, payload = raw.partition(b"\r\n\r\n")
        try:
            status = int(head.split(b" ", 2)[1])
        except (IndexError, ValueError):
            status = 0
        return status, head, payload, elapsed


async def healthz_worker(client: Client, deadline: float, stats: Stats) -> None:
    while time.perf_counter() < deadline:
        try:
            status, _, body, elapsed = await client.request("GET", "/healthz", {})
        except OSError as exc:
            stats.errors[f"connection: {type(exc).__name__}"] += 1
            continue
        stats.latencies["get"].append(elapsed)
        if status != 200 or not body.startswith(b"ok"):
            stats.errors[f"healthz status {status}"] += 1


async def study_worker(client: Client, learners: list[int], cookies: dict[int, str], deadline: float,
                       stats: Stats, rng: random.Random, session: int) -> None:
    active = list(learners)
    turn = 0
    while active and time.perf_counter() < deadline:
        learner = active[(turn // session) % len(active)]  # `session` cards in a row, then the next learner
        turn += 1
        headers = {"HX-Request": "true", "Cookie": f"session={cookies[learner]}"}
        result = await _timed(client, stats, "get", "GET", "/study?reveal=1", headers, learner, cookies)
        if result is None:
            continue
        status, body = result
        if status != 200:
            stats.errors[f"GET /study status {status}"] += 1
            continue
        question, version, csrf = QUESTION_RE.search(body), VERSION_RE.search(body), CSRF_RE.search(body)
        if not (question and version and csrf):
            if b"done-heading" in body:  # done for today: this learner has nothing left
                stats.done_learners += 1
                active.remove(learner)
                turn = (turn - 1) // session * session  # the next learner starts a fresh session
            else:
                stats.errors["GET /study: no grade form"] += 1
            continue
        if time.perf_counter() >= deadline:
            break
        form = urlencode({"csrf_token": csrf.group(1).decode(), "question_id": question.group(1).decode(),
                          "version": version.group(1).decode(),
                          "rating": rng.choices(RATINGS, RATING_WEIGHTS)[0],
                          "shown_at": int(time.time() * 1000) - rng.randint(2000, 9000)}).encode()
        headers = {"HX-Request": "true", "Cookie": f"session={cookies[learner]}",
                   "Content-Type": "application/x-www-form-urlencoded"}
        result = await _timed(client, stats, "post", "POST", "/study/grade", headers, learner, cookies, form)
        if result is None:
            continue
        status, body = result
        if status != 200:
            stats.errors[f"POST /study/grade status {status}"] += 1
        elif b'role="alert"' in body:  # the app refused the grade (conflict, unreadable form)
            stats.errors["POST /study/grade refused"] += 1
        else:
            stats.iterations += 1


async def _timed(client: Client, stats: Stats, kind: str, method: str, target: str, headers: dict[str, str],
                 learner: int, cookies: dict[int, str], body: bytes = b"") -> tuple[int, bytes] | None:
    """One study request: its latency recorded under `kind`, the session cookie followed;
    None (and an error counted) when the connection failed."""
    try:
        status, head, response, elapsed = await client.request(method, target, headers, body)
    except OSError as exc:
        stats.errors[f"connection: {type(exc).__name__}"] += 1
        return None
    stats.latencies[kind].append(elapsed)
    _follow_cookie(head, learner, cookies, stats)
    return status, response


def _follow_cookie(head: bytes, learner: int, cookies: dict[int, str], stats: Stats) -> None:
    match = SET_SESSION_RE.search(head)
    if match:  # the app rewrote the session: keep it, as a browser would (and count it)
        stats.session_rewrites += 1
        cookies[learner] = match.group(1).decode()


def percentile(ordered: list[float], q: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def summarize(stats: Stats, elapsed: float, mode: str) -> dict[str, Any]:
    everything = sorted(stats.latencies["get"] + stats.latencies["post"])
    ms = lambda values, q: round(percentile(values, q) * 1000, 2)  # noqa: E731
    result: dict[str, Any] = {
        "mode": mode, "seconds": round(elapsed, 3), "requests": len(everything),
        "requests_per_s": round(len(everything) / elapsed, 1),
        "p50_ms": ms(everything, 0.50), "p90_ms": ms(everything, 0.90), "p99_ms": ms(everything, 0.99),
        "max_ms": round(everything[-1] * 1000, 2) if everything else None,
        "errors": dict(stats.errors), "error_count": sum(stats.errors.values()),
    }
    if mode == "study":
        result.update(iterations=stats.iterations, iterations_per_s=round(stats.iterations / elapsed, 1),
                      done_learners=stats.done_learners, session_rewrites=stats.session_rewrites)
        for kind in ("get", "post"):
            ordered = sorted(stats.latencies[kind])
            result[f"{kind}_p50_ms"], result[f"{kind}_p99_ms"] = ms(ordered, 0.50), ms(ordered, 0.99)
    return result


async def run(url: str, mode: str, duration: float, connections: int, learners: list[int],
              session: int) -> dict[str, Any]:
    parts = urlsplit(url)
    host, port = parts.hostname or "", parts.port or 80
    client = Client(host, port)
    stats = Stats()
    if mode == "study":
        cookies = forge_sessions(learners)
    started = time.perf_counter()
    deadline = started + duration
    if mode == "healthz":
        tasks = [healthz_worker(client, deadline, stats) for _ in range(connections)]
    else:
        tasks = [study_worker(client, learners[i::connections], cookies, deadline, stats, random.Random(i), session)
                 for i in range(connections)]
    await asyncio.gather(*tasks)
    return summarize(stats, time.perf_counter() - started, mode)


def learner_range(text: str) -> list[int]:
    first, _, last = text.partition("-")
    return list(range(int(first), int(last or first) + 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="http://127.0.0.1:PORT (loopback only)")
    parser.add_argument("--mode", choices=("healthz", "study"), required=True)
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--learners", type=learner_range, default=learner_range("1-2000"), help="first-last")
    parser.add_argument("--session", type=int, default=20, help="cards each learner studies in a row")
    args = parser.parse_args()
    host = urlsplit(args.url).hostname
    if host not in LOOPBACK:
        parser.error(f"refusing to send load to {host!r}: only 127.0.0.1, localhost or ::1")
    if not 0 < args.duration <= MAX_DURATION or not 0 < args.connections <= MAX_CONNECTIONS:
        parser.error(f"duration must be in (0, {MAX_DURATION}] s and connections in 1…{MAX_CONNECTIONS}")
    if args.mode == "study" and len(args.learners) < args.connections:
        parser.error("need at least one learner per connection")
    print(json.dumps(asyncio.run(run(args.url, args.mode, args.duration, args.connections, args.learners,
                                     args.session))))


if __name__ == "__main__":
    main()
