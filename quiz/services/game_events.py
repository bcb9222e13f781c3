"""Telling every app process that a game changed: "game N is at version V".

Two buses behind one small interface, chosen by configuration:

- RedisBus (QUIZ_REDIS_URL set): each change is published on the Redis channel
  `<prefix>:game:<id>`; each process runs one subscriber (a thread, a greenlet under gevent)
  that hands messages to the streams of that process waiting on the game.
- PollingBus (the default, no extra service): publishing does nothing — the game's version
  row in the database is the message — and a waiting stream simply wakes up every
  POLL_SECONDS to read it again.

Either way a stream re-reads the database when it wakes up without a message (for the
deadline), so a lost message only delays a screen, never breaks it.
"""
from __future__ import annotations

import json
import queue
import threading
import time
from typing import Any, Protocol

from flask import Flask, current_app

POLL_SECONDS = 0.3


class Subscription(Protocol):
    """A stream's interest in one game."""

    def get(self, timeout: float) -> dict[str, Any] | None:
        """The next event published for the game within `timeout` seconds, or None (then read
        the database)."""

    def close(self) -> None:
        """Stop listening."""


class Bus(Protocol):
    def publish(self, game_id: int, event: dict[str, Any]) -> None: ...

    def subscribe(self, game_id: int, lobby: bool = True) -> Subscription: ...


class _PollSubscription:
    def get(self, timeout: float) -> dict[str, Any] | None:
        time.sleep(max(0.0, min(timeout, POLL_SECONDS)))
        return None

    def close(self) -> None:
        pass


class PollingBus:
    """No message service: streams poll the game's version row."""

    name = "database polling"

    def publish(self, game_id: int, event: dict[str, Any]) -> None:
        pass  # the committed row is the message

    def subscribe(self, game_id: int, lobby: bool = True) -> Subscription:
        return _PollSubscription()


class _RedisSubscription:
    def __init__(self, bus: "RedisBus", game_id: int, lobby: bool) -> None:
        self.bus, self.game_id, self.lobby = bus, game_id, lobby
        self.queue: queue.Queue[dict[str, Any]] = queue.Queue(maxsize=100)

    def get(self, timeout: float) -> dict[str, Any] | None:
        try:
            return self.queue.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            return None

    def close(self) -> None:
        self.bus._forget(self)


class RedisBus:
    """Redis pub/sub, one subscriber connection per process, started on first use."""

    name = "Redis pub/sub"

    def __init__(self, url: str, prefix: str = "quiz") -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self.prefix = prefix
        self._lock = threading.Lock()
        self._subscribers: dict[int, set[_RedisSubscription]] = {}
        self._listener: threading.Thread | None = None
        self._ready = threading.Event()

    def channel(self, game_id: int) -> str:
        return f"{self.prefix}:game:{game_id}"

    def publish(self, game_id: int, event: dict[str, Any]) -> None:
        self.client.publish(self.channel(game_id), json.dumps(event))

    def subscribe(self, game_id: int, lobby: bool = True) -> Subscription:
        """A stream's subscription; without `lobby` it is not woken as players join (a phone
        has no use for that: 1,000 joins would wake 1,000 phones 1,000 times)."""
        subscription = _RedisSubscription(self, game_id, lobby)
        with self._lock:
            self._subscribers.setdefault(game_id, set()).add(subscription)
            if self._listener is None or not self._listener.is_alive():
                self._ready.clear()
                self._listener = threading.Thread(target=self._listen, name="game-events", daemon=True)
                self._listener.start()
        self._ready.wait(timeout=5)  # subscribed before the caller reads the state: nothing missed
        return subscription

    def _forget(self, subscription: _RedisSubscription) -> None:
        with self._lock:
            self._subscribers.get(subscription.game_id, set()).discard(subscription)

    def _listen(self) -> None:
        """Relay every game message of this prefix to this process's subscriptions; reconnect
        after a Redis failure (streams keep polling the database meanwhile)."""
        while True:
            try:
                pubsub = self.client.pubsub(ignore_subscribe_messages=True)
                pubsub.psubscribe(f"{self.prefix}:game:*")
                self._ready.set()
                for message in pubsub.listen():
                    self._deliver(message)
            except Exception:  # noqa: BLE001 - Redis went away: retry, streams fall back on reads
                self._ready.set()
                time.sleep(1)

    def _deliver(self, message: dict[str, Any]) -> None:
        if message.get("type") != "pmessage":
            return
        channel = message["channel"].decode() if isinstance(message["channel"], bytes) else message["channel"]
        try:
            game_id = int(channel.rsplit(":", 1)[1])
            event = json.loads(message["data"])
        except (ValueError, IndexError):
            return
        with self._lock:
            targets = list(self._subscribers.get(game_id, ()))
        if event.get("event") == "players":
            targets = [t for t in targets if t.lobby]
        for subscription in targets:
            try:
                subscription.queue.put_nowait(event)
            except queue.Full:  # a stuck stream: it reads the database when it wakes up
                pass


def bus() -> Bus:
    """The app's bus."""
    return current_app.extensions["game_events"]  # type: ignore[no-any-return]


def publish(game_id: int, event: dict[str, Any]) -> None:
    """Tell every process's streams about a change (call it after the change is committed).
    A Redis failure loses only the message: streams still read the database."""
    try:
        bus().publish(game_id, event)
    except Exception:  # noqa: BLE001 - the change is stored; screens catch up by reading it
        current_app.logger.warning("game %s: could not publish a change", game_id, exc_info=True)


def init_app(app: Flask) -> None:
    """Redis when QUIZ_REDIS_URL is set, else polling of the database."""
    url = app.config.get("REDIS_URL")
    app.extensions["game_events"] = (RedisBus(url, app.config.get("REDIS_CHANNEL_PREFIX", "quiz")) if url
                                     else PollingBus())
