"""The live game under load: 1,000 players, each with an open event stream, in one game.

For each bus (database polling, then Redis pub/sub): gunicorn with 2 gevent workers (the
production worker model of docs/live-game.md) on a free port of 127.0.0.1, on PostgreSQL; a
host (a forged instructor session) creates a game of 10 multiple-choice questions through the
app's forms; the players join through the join form (GET /play, POST /play) and open their
event streams (GET /play/<id>/events). Then, per question: the host sends "start"/"next", every
player sees the `state` event of the new question on its stream, fetches its screen (the
htmx fragment, as a phone does), waits a moment (spread over --answer-spread seconds) and
answers with `Accept: application/json`; the question closes when everyone has answered; the
host waits a second on the reveal and sends "next".

Measured, per bus:
- answer acknowledgement (POST → response) p50/p99, and a baseline: GET /healthz sent with the
  same arrival pattern (one per player, spread over the same seconds) on the same server with
  the same streams open, right before the game starts;
- time from the host's "next" (the moment its request is sent) to 99 % of players having the
  question's `state` event on their stream (and to 99 % having loaded their screen);
- answers lost: acknowledged answers (status 200, "stored": true) missing from `game_answer`;
- server CPU (master + workers, from /proc) per answer during the game, and of the idle
  streams in the lobby;
- the client's own event-loop lag (the client shares the 2 cores with the server).

The kill run (--kill, on Redis): a third game in which one worker is killed (SIGKILL) in the
middle of question --kill-at. Its streams and requests in flight break; the players' client
reconnects (after the stream's `retry:`, as EventSource does) and re-sends an answer whose
request failed — the listening socket is shared, so they land on the surviving worker (and on
the one the master starts again). Every acknowledged answer must still be in the database.

    python bench/live_game.py [--players 1000] [--questions 10] [--seconds 20] [--bus polling,redis]
        [--kill] [--pg-url URL] [--redis-url URL]

One JSON line per figure on stdout (progress on stderr), as bench/run.py.
"""
from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dataset  # noqa: E402
from dataset import ROOT, VENV_BIN, log  # noqa: E402
from loadgen import USER_AGENT, forge_sessions  # noqa: E402
from run import RESULTS, WORKERS, Server, figure  # noqa: E402

PG_DATABASE = "quiz_bench_game"  # made and dropped by this script unless --pg-url is given
BANK_ID = "bench-game"
TARGETS = {"ack_p99_ms": 300.0, "reach_p99_s": 1.0}
WORKER_ARGS = ("--worker-class", "gevent", "--worker-connections", "2000")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
CHOICE_RE = re.compile(r'name="choice" value="([^"]*)"')
INDEX_RE = re.compile(r'name="index" value="(\d+)"')
REVEAL_SECONDS = 1.0
STREAM_RETRY_S = 2.0  # the stream's `retry:`; EventSource waits this long before reconnecting


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0…100), None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(q / 100 * len(ordered)) - 1))]


def of_all(times: list[float], players: int, share: float = 0.99) -> float | None:
    """When `share` of all `players` had it (None when fewer ever did): the players who never
    got it count as never reached."""
    needed = max(1, math.ceil(share * players))
    return sorted(times)[needed - 1] if len(times) >= needed else None


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


# --- the database and the app's set-up -----------------------------------------------------

def write_bank(folder: Path, questions: int) -> Path:
    """A bank of multiple-choice questions (four options each)."""
    lines = [f"id: {BANK_ID}", "title: Live game benchmark", "description: Synthetic questions for bench/.",
             "language: en", "sources:", "  synthetic:", "    title: Synthetic source", "    publisher: bench",
             "    date: 2026-01-01", "tags: [bench]", "questions:"]
    for i in range(questions):
        lines += [f"  - id: game-{i:03d}", "    type: mcq", f"    prompt: Benchmark question number {i}?",
                  f"    answer: Right {i}", f"    distractors: [Wrong {i}a, Wrong {i}b, Wrong {i}c]",
                  f"    explanation: Because it is question {i}.", f"    source: {{id: synthetic, paragraph: {i + 1}}}"]
    path = folder / "game.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def prepare_database(url: str, questions: int) -> int:
    """Migrate, load the bank and add the host (an instructor with a fixed session token);
    returns the host's user id."""
    import psycopg

    with tempfile.TemporaryDirectory(prefix="quiz-bench-game-") as tmp:
        env = dataset.app_env(url, Path(tmp) / "instance")
        bank = write_bank(Path(tmp), questions)
        for args in (["db", "upgrade"], ["banks", "sync", str(bank)]):
            subprocess.run([str(VENV_BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env, check=True,
                           stdout=sys.stderr)
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as con:
        row = con.execute("""INSERT INTO "user" (email, role, is_guest, created_at, session_token)
                             VALUES ('host@bench.invalid', 'instructor', false, now(), 'pending')
                             ON CONFLICT (email) DO UPDATE SET role = 'instructor' RETURNING id""").fetchone()
        assert row is not None
        con.execute('UPDATE "user" SET session_token = %s WHERE id = %s', (dataset.session_token(row[0]), row[0]))
    return int(row[0])


def reset_schema(url: str) -> None:
    """Empty a database given with --pg-url (its tables are made again by the migrations)."""
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as con:
        con.execute("DROP SCHEMA public CASCADE")
        con.execute("CREATE SCHEMA public")


def stored_answers(url: str, game_id: int) -> set[tuple[str, int]]:
    """(nickname, question index) of every answer row of the game."""
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as con:
        rows = con.execute("""SELECT p.nickname, a.question_index FROM game_answer a
                              JOIN game_player p ON p.id = a.player_id WHERE a.game_id = %s""", (game_id,))
        return {(nickname, index) for nickname, index in rows}


def game_pin(url: str, game_id: int) -> str:
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as con:
        row = con.execute("SELECT pin FROM game WHERE id = %s", (game_id,)).fetchone()
        assert row is not None
        return str(row[0])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A private redis-server on a free loopback port (no persistence), when no --redis-url is given."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
                                      "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


# --- the simulated screens ------------------------------------------------------------------

@dataclass
class Player:
    number: int
    nickname: str
    cookies: dict[str, str] = field(default_factory=dict)
    csrf: str = ""
    seen: dict[int, float] = field(default_factory=dict)  # question index → when its event arrived
    screen: dict[int, float] = field(default_factory=dict)  # question index → when its screen was loaded
    revealed: set[int] = field(default_factory=set)  # question indexes whose reveal it has fetched
    connects: int = 0

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())


@dataclass
class Tally:
    acks: list[float] = field(default_factory=list)  # seconds, acknowledged answers
    acked: set[tuple[str, int]] = field(default_factory=set)
    statuses: Counter[str] = field(default_factory=Counter)
    retries: int = 0
    baseline: list[float] = field(default_factory=list)
    lag: list[float] = field(default_factory=list)


class Game:
    """One game played by `players` simulated phones and a host, against one server."""

    def __init__(self, base: str, host_cookie: str, players: int, questions: int, seconds: int,
                 spread: float, rng: random.Random, db_url: str) -> None:
        if urlsplit(base).hostname not in LOOPBACK:
            raise SystemExit("live_game.py only runs against this machine (127.0.0.1)")
        self.base, self.host_cookie, self.rng, self.db_url = base, host_cookie, rng, db_url
        self.questions, self.seconds, self.spread = questions, seconds, spread
        self.players = [Player(i, f"p{i:04d}") for i in range(players)]
        self.tally = Tally()
        self.next_at: dict[int, float] = {}
        self.game_id = 0
        self.kill: tuple[int, float, Any] | None = None  # (question index, seconds after next, callback)
        self.killed_at: float | None = None
        self.stop = asyncio.Event()
        self.screens = "stream"  # stream: screens come on the event stream (static/game.js); all / one: fetched
        self.options: dict[int, Any] = {}  # without: question index → the one fetch of its screen

    async def setup(self, http: Any) -> None:
        headers = {"Cookie": f"session={self.host_cookie}"}
        async with http.get(f"{self.base}/games/new?bank={BANK_ID}", headers=headers) as response:
            page = await response.text()
            assert response.status == 200, f"GET /games/new: {response.status}"
        csrf = CSRF_RE.search(page)
        assert csrf, "no CSRF token on /games/new"
        form = {"csrf_token": csrf.group(1), "source": "bank", "bank": BANK_ID, "count": str(self.questions),
                "seconds": str(self.seconds), "scoring": "speed"}
        async with http.post(f"{self.base}/games/new", data=form, headers=headers, allow_redirects=False) as response:
            location = response.headers.get("Location", "")
            assert response.status == 303 and "/games/" in location, f"POST /games/new: {response.status}"
        self.game_id = int(location.rstrip("/").split("/")[-2])
        async with http.get(f"{self.base}/games/{self.game_id}/host", headers=headers) as response:
            page = await response.text()
        self.host_csrf = CSRF_RE.search(page).group(1)  # type: ignore[union-attr]
        pin = game_pin(self.db_url, self.game_id)
        semaphore = asyncio.Semaphore(32)

        async def join(player: Player) -> None:
            async with semaphore:
                async with http.get(f"{self.base}/play?pin={pin}") as response:
                    page = await response.text()
                    player.cookies.update({k: v.value for k, v in response.cookies.items()})
                player.csrf = CSRF_RE.search(page).group(1)  # type: ignore[union-attr]
                async with http.post(f"{self.base}/play", data={"csrf_token": player.csrf, "pin": pin,
                                                                 "nickname": player.nickname},
                                     headers={"Cookie": player.cookie_header()}, allow_redirects=False) as response:
                    assert response.status == 303, f"join: {response.status} {await response.text()}"
                    player.cookies.update({k: v.value for k, v in response.cookies.items()})

        await asyncio.gather(*(join(p) for p in self.players))

    # the player's phone: its stream, its screen and its answers

    async def stream(self, streams: Any, http: Any, player: Player) -> None:
        """The player's event stream, reconnecting after `retry:` like EventSource."""
        import aiohttp

        url = f"{self.base}/play/{self.game_id}/events"
        while not self.stop.is_set():
            try:
                async with streams.get(url, headers={"Cookie": player.cookie_header(),
                                                     "Accept": "text/event-stream"}) as response:
                    if response.status != 200:
                        self.tally.statuses[f"stream {response.status}"] += 1
                        raise aiohttp.ClientError()
                    player.connects += 1
                    name, data = "", []
                    async for raw in response.content:
                        line = raw.decode().rstrip("\n")
                        if line.startswith("event: "):
                            name = line[7:]
                        elif line.startswith("data: "):
                            data.append(line[6:])
                        elif not line and name:
                            if name == "state":
                                self.on_state(http, player, json.loads("\n".join(data)))
                            elif name == "screen" and self.screens == "stream":
                                self.on_screen(http, player, "\n".join(data))
                            name, data = "", []
            except (aiohttp.ClientError, TimeoutError, ConnectionError):
                pass
            if self.stop.is_set():
                return
            await asyncio.sleep(STREAM_RETRY_S * (0.5 + self.rng.random()))

    def on_screen(self, http: Any, player: Player, html: str) -> None:
        """A screen pushed on the stream (as the htmx sse extension swaps it in): a question's
        form is answered from it, without fetching anything."""
        index = INDEX_RE.search(html)
        if index is None or int(index.group(1)) in player.seen:
            return
        at = time.monotonic()
        player.seen[int(index.group(1))] = player.screen[int(index.group(1))] = at
        asyncio.get_running_loop().create_task(self.answer(http, player, int(index.group(1)), CHOICE_RE.findall(html)))

    def on_state(self, http: Any, player: Player, state: dict[str, Any]) -> None:
        if state["state"] == "ended" or self.screens == "stream":
            return
        index = state["index"]
        if state["state"] == "question" and index not in player.seen:
            player.seen[index] = time.monotonic()
            asyncio.get_running_loop().create_task(self.answer(http, player, index))
        elif state["state"] == "reveal" and index not in player.revealed and self.screens == "all":
            player.revealed.add(index)  # the phone shows the reveal: it fetches its screen too
            asyncio.get_running_loop().create_task(self.screen(http, player))

    async def screen(self, http: Any, player: Player) -> str:
        """The player's screen as htmx fetches it when the version changes ("" when it failed)."""
        import aiohttp

        for attempt in range(10):
            try:
                async with http.get(f"{self.base}/play/{self.game_id}",
                                    headers={"Cookie": player.cookie_header(), "HX-Request": "true"}) as response:
                    page = await response.text()
                    if response.status == 200:
                        return page  # type: ignore[no-any-return]
                    self.tally.statuses[f"screen {response.status}"] += 1
            except (aiohttp.ClientError, TimeoutError, ConnectionError):
                self.tally.statuses["screen connection error"] += 1
            await asyncio.sleep(0.5)
        return ""

    async def answer(self, http: Any, player: Player, index: int, choices: list[str] | None = None) -> None:
        import aiohttp

        headers = {"Cookie": player.cookie_header()}
        if choices is not None:  # the screen came on the stream
            pass
        elif self.screens == "all":
            choices = CHOICE_RE.findall(await self.screen(http, player))
            player.screen[index] = time.monotonic()
        else:  # one phone fetches the question's screen, the others use its options
            if index not in self.options:
                self.options[index] = asyncio.ensure_future(self.screen(http, player))
            choices = CHOICE_RE.findall(await self.options[index])
            player.screen[index] = time.monotonic()
        if not choices:
            self.tally.statuses["screen without a question"] += 1
            return
        await asyncio.sleep(max(0.0, player.seen[index] + 0.5 + self.rng.random() * self.spread - time.monotonic()))
        form = {"csrf_token": player.csrf, "index": str(index), "choice": self.rng.choice(choices)}
        for attempt in range(10):
            if attempt:
                self.tally.retries += 1
                await asyncio.sleep(0.5)
            sent = time.monotonic()
            try:
                async with http.post(f"{self.base}/play/{self.game_id}/answer", data=form,
                                     headers={**headers, "Accept": "application/json"}) as response:
                    body = await response.text()
                    elapsed = time.monotonic() - sent
            except (aiohttp.ClientError, TimeoutError, ConnectionError):
                self.tally.statuses["answer connection error"] += 1
                continue
            if response.status == 200 and json.loads(body).get("stored"):
                self.tally.acks.append(elapsed)
                self.tally.acked.add((player.nickname, index))
                self.tally.statuses["answer 200"] += 1
                return
            self.tally.statuses[f"answer {response.status}"] += 1
            if response.status < 500:
                return  # late (409) or unreadable (422): a real refusal, not a failure

    # the host's screen

    async def state(self, http: Any) -> dict[str, Any]:
        import aiohttp

        for attempt in range(20):  # a keep-alive connection closed by the server, a killed worker…
            try:
                async with http.get(f"{self.base}/games/{self.game_id}/state",
                                    headers={"Cookie": f"session={self.host_cookie}"}) as response:
                    if response.status == 200:
                        return await response.json()  # type: ignore[no-any-return]
            except (aiohttp.ClientError, ConnectionError):
                pass
            await asyncio.sleep(0.2)
        raise RuntimeError("the host cannot read the game's state")

    async def control(self, http: Any, action: str, version: int) -> None:
        """A host action; sent again after a connection error (the version makes a repeat harmless)."""
        import aiohttp

        form = {"csrf_token": self.host_csrf, "action": action, "version": str(version)}
        for attempt in range(20):
            try:
                async with http.post(f"{self.base}/games/{self.game_id}/control", data=form,
                                     headers={"Cookie": f"session={self.host_cookie}"},
                                     allow_redirects=False) as response:
                    if response.status == 303:
                        return
            except (aiohttp.ClientError, ConnectionError):
                pass
            await asyncio.sleep(0.2)
        raise RuntimeError(f"the host's {action} failed")

    async def host(self, http: Any) -> None:
        """Start, then per question: wait for the reveal (everyone answered, or the deadline), a
        second on it, next."""
        state = await self.state(http)
        for index in range(self.questions):
            self.next_at[index] = time.monotonic()
            await self.control(http, "start" if index == 0 else "next", state["version"])
            if self.kill is not None and self.kill[0] == index:
                await asyncio.sleep(self.kill[1])
                self.killed_at = time.monotonic()
                self.kill[2]()
            give_up = time.monotonic() + self.seconds + 30  # a stuck server must not hold the run forever
            while time.monotonic() < give_up:
                state = await self.state(http)
                if state["state"] in ("reveal", "ended") and state["index"] == index:
                    break
                await asyncio.sleep(0.2)
            else:
                log(f"    question {index + 1}: not closed {self.seconds + 30} s after next: giving up")
                break
            log(f"    question {index + 1}: closed {time.monotonic() - self.next_at[index]:.1f} s after next; "
                f"{sum(1 for p in self.players if index in p.seen)} saw it, {len(self.tally.acks)} answers so far")
            await asyncio.sleep(REVEAL_SECONDS)
            state = await self.state(http)
        await self.control(http, "next", state["version"])  # the podium

    async def lag_probe(self) -> None:
        """How late this client's own event loop runs (it shares the CPUs with the server)."""
        while not self.stop.is_set():
            before = time.monotonic()
            await asyncio.sleep(0.05)
            self.tally.lag.append(time.monotonic() - before - 0.05)

    async def healthz_baseline(self, http: Any) -> None:
        """GET /healthz once per player, with the answers' arrival pattern, streams open."""
        import aiohttp

        async def one(delay: float) -> None:
            await asyncio.sleep(delay)
            sent = time.monotonic()
            try:
                async with http.get(f"{self.base}/healthz") as response:
                    await response.read()
                    if response.status == 200:
                        self.tally.baseline.append(time.monotonic() - sent)
            except (aiohttp.ClientError, ConnectionError):
                self.tally.statuses["healthz error"] += 1

        await asyncio.gather(*(one(0.5 + self.rng.random() * self.spread) for _ in self.players))


async def play(game: Game, server: Server, kill: bool, kill_at: int) -> dict[str, Any]:
    import aiohttp

    limits = aiohttp.TCPConnector(limit=0, force_close=False)
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=10, sock_read=None)
    agent = {"User-Agent": USER_AGENT}  # the forged host session is bound to it (Flask-Login)
    async with aiohttp.ClientSession(connector=limits, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar(),
                                     headers=agent) as http, \
            aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0), timeout=timeout,
                                  cookie_jar=aiohttp.DummyCookieJar(), headers=agent) as streams:
        joining = time.monotonic()
        await game.setup(http)
        joined_s = time.monotonic() - joining
        log(f"  game {game.game_id}: {len(game.players)} players joined in {joined_s:.1f} s (32 at a time)")
        lag = asyncio.create_task(game.lag_probe())
        tasks = [asyncio.create_task(game.stream(streams, http, p)) for p in game.players]
        deadline = time.monotonic() + 60
        while sum(1 for p in game.players if p.connects) < len(game.players) and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        connected = sum(1 for p in game.players if p.connects)
        log(f"  {connected} streams open")
        await asyncio.sleep(2)
        cpu = server.cpu_seconds()
        await asyncio.sleep(5)
        idle_cpu = (server.cpu_seconds() - cpu) / 5
        log(f"  idle streams: server CPU {idle_cpu * 100:.1f} % of a core")
        await game.healthz_baseline(http)
        game.tally.lag.clear()
        await asyncio.sleep(1)
        if kill:
            def do_kill() -> None:
                victim = server.worker_pids()[0]
                log(f"    killing worker {victim} (SIGKILL)")
                os.kill(victim, signal.SIGKILL)
            game.kill = (kill_at, 1.5, do_kill)
        cpu, started = server.cpu_seconds(), time.monotonic()
        loadavg = round(os.getloadavg()[0], 2)
        await game.host(http)
        played = time.monotonic() - started
        game_cpu = server.cpu_seconds() - cpu
        await asyncio.sleep(1)
        game.stop.set()
        for task in tasks:
            task.cancel()
        lag.cancel()
        await asyncio.gather(*tasks, lag, return_exceptions=True)
    return {"connected": connected, "idle_cpu": idle_cpu, "game_cpu": game_cpu, "played_s": played,
            "loadavg": loadavg, "joined_s": joined_s}


def summarize(game: Game, run: dict[str, Any], bus: str, kill: bool) -> list[dict[str, Any]]:
    tally, n = game.tally, len(game.players)
    stored = stored_answers(game.db_url, game.game_id)
    lost = sorted(tally.acked - stored)
    reach, screen = [], []
    for index, at in game.next_at.items():
        seen = [p.seen[index] - at for p in game.players if index in p.seen]
        shown = [p.screen[index] - at for p in game.players if index in p.screen]
        reach.append(of_all(seen, n))
        screen.append(of_all(shown, n))
    known_reach = [r for r in reach if r is not None]
    worst_reach = max(known_reach) if len(known_reach) == len(reach) else None
    ack_p50, ack_p99 = percentile(tally.acks, 50), percentile(tally.acks, 99)
    base_p50, base_p99 = percentile(tally.baseline, 50), percentile(tally.baseline, 99)
    common = {"bus": bus, "players": n, "questions": game.questions, "workers": WORKERS,
              "screens": game.screens,
              "worker_class": "gevent", "loadavg_1min_before": run["loadavg"]}
    name = "live_game_kill" if kill else "live_game"
    lines = [
        figure("postgresql", f"{name}_ack_p99", ms(ack_p99), "ms", ms(base_p99),
               target=f"value <= {TARGETS['ack_p99_ms']:g} ms",
               met=ack_p99 is not None and ack_p99 * 1000 <= TARGETS["ack_p99_ms"],
               p50_ms=ms(ack_p50), baseline_p50_ms=ms(base_p50), acknowledged=len(tally.acks),
               baseline_note="GET /healthz, one per player, same arrival pattern, streams open", **common),
        figure("postgresql", f"{name}_reach_99", ms(worst_reach), "ms", None,
               target=f"value <= {TARGETS['reach_p99_s'] * 1000:g} ms",
               met=worst_reach is not None and worst_reach <= TARGETS["reach_p99_s"],
               per_question_ms=[ms(r) for r in reach], median_question_ms=ms(percentile(known_reach, 50)),
               screen_loaded_99_ms=[ms(s) for s in screen],
               note="host's next sent → 99 % of players have the question's state event; worst question",
               **common),
        figure("postgresql", f"{name}_answers_lost", len(lost), "answers", None, target="value == 0",
               met=not lost, acknowledged=len(tally.acked), rows=len(stored),
               rows_not_acknowledged=len(stored - tally.acked), examples=lost[:5], **common),
        figure("postgresql", f"{name}_statuses", sum(tally.statuses.values()), "responses", None,
               statuses=dict(tally.statuses), answer_retries=tally.retries,
               stream_connects=sum(p.connects for p in game.players), **common),
        figure("postgresql", f"{name}_client_lag_p99", ms(percentile(tally.lag, 99)), "ms", None,
               max_ms=ms(max(tally.lag, default=0.0)),
               note="the load client's own event-loop lag during the game (it shares the CPUs)", **common),
    ]
    if not kill:
        lines.append(figure("postgresql", f"{name}_server_cpu_per_answer", round(run["game_cpu"] * 1000 / max(len(tally.acks), 1), 2),
                            "ms", None, game_cpu_s=round(run["game_cpu"], 2), game_s=round(run["played_s"], 1),
                            idle_streams_cpu_percent=round(run["idle_cpu"] * 100, 1),
                            joins_s=round(run["joined_s"], 1),
                            note="server CPU (master + workers) during the game ÷ answers; it includes the "
                                 "streams, the fan-out and the screens' fetches", **common))
    return lines


def bench_bus(bus: str, db_url: str, host_id: int, args: argparse.Namespace, redis_url: str | None,
              kill: bool = False) -> list[dict[str, Any]]:
    extra = {"QUIZ_REDIS_URL": redis_url, "QUIZ_REDIS_CHANNEL_PREFIX": f"bench{os.getpid()}"} if redis_url else {}
    RESULTS.mkdir(parents=True, exist_ok=True)
    label = f"{bus}{'-kill' if kill else ''}"
    log(f"=== live game, {label}: {args.players} players, {args.questions} questions ===")
    server = Server(db_url, RESULTS / f"gunicorn-game-{label}.log", WORKER_ARGS, extra)
    try:
        os.environ.update(server.env)  # the app's secret key signs the forged host session
        cookie = forge_sessions([host_id])[host_id]
        game = Game(server.url, cookie, args.players, args.questions, args.seconds, args.answer_spread,
                    random.Random(args.seed), db_url)
        game.screens = args.screens
        run = asyncio.run(play(game, server, kill, args.kill_at))
    finally:
        server.stop()
    lines = summarize(game, run, bus, kill)
    for line in lines:
        log(f"  {line['bench']}: {line['value']} {line['unit']}"
            + (f" (baseline {line['baseline']})" if line.get("baseline") is not None else ""))
        print(json.dumps(line), flush=True)  # at once: a later run that fails keeps these
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--players", type=int, default=1000)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=20, help="seconds per question")
    parser.add_argument("--answer-spread", type=float, default=5.0,
                        help="players answer 0.5 … 0.5 + this many seconds after their question arrives")
    parser.add_argument("--bus", default="polling,redis", help="comma-separated: polling, redis")
    parser.add_argument("--kill", action="store_true", help="also the kill run (one worker killed mid-question)")
    parser.add_argument("--kill-at", type=int, default=4, help="the question (0-based) during which a worker dies")
    parser.add_argument("--pg-url", help="an existing PostgreSQL database to use (it is emptied first); "
                                         f"default: {PG_DATABASE}, made and dropped")
    parser.add_argument("--redis-url", help="an existing Redis (default: a private redis-server on a free port)")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--screens", choices=("stream", "all", "one"), default="stream",
                        help="stream: each phone's screen comes on its event stream, as static/game.js takes it; "
                             "all: every phone also fetches its screen at each question and reveal (the client "
                             "before December 2026); one: one phone per question fetches it")
    args = parser.parse_args()
    buses = [b.strip() for b in args.bus.split(",") if b.strip()]
    if not set(buses) <= {"polling", "redis"}:
        parser.error("--bus takes polling and/or redis")
    lines: list[dict[str, Any]] = []
    redis: RedisServer | None = None
    made_db = args.pg_url is None
    if importlib.util.find_spec("aiohttp") is None:
        print(json.dumps(figure("postgresql", "skipped", None, "", None,
                                reason="live game: aiohttp is missing (pip install -e '.[bench]')")))
        return
    try:
        if made_db:
            try:
                dataset.pg_prepare()
            except dataset.PostgresUnavailable as exc:
                made_db = False
                print(json.dumps(figure("postgresql", "skipped", None, "", None, reason=f"live game: {exc}")))
                return
            dataset._pg_create(PG_DATABASE)
            db_url = dataset.pg_url(PG_DATABASE)
        else:
            db_url = args.pg_url
            reset_schema(db_url)
        host_id = prepare_database(db_url, args.questions)
        redis_url = args.redis_url
        if ("redis" in buses or args.kill) and redis_url is None:
            if shutil.which("redis-server") is None:
                lines.append(figure("postgresql", "skipped", None, "", None,
                                    reason="live game on Redis: redis-server is not installed (apt-get install redis-server)"))
                buses = [b for b in buses if b != "redis"]
            else:
                redis = RedisServer()
                redis_url = redis.url
        for bus in buses:
            lines += bench_bus(bus, db_url, host_id, args, redis_url if bus == "redis" else None)
        if args.kill:
            lines += bench_bus("redis" if redis_url else "polling", db_url, host_id, args, redis_url, kill=True)
    finally:
        for server in list(Server.running):
            server.stop()
        if redis is not None:
            redis.stop()
        if made_db:
            dataset._pg_drop(PG_DATABASE)
    for line in lines:
        if line["bench"] == "skipped":
            print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
