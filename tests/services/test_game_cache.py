"""The per-process copies of running games (quiz/services/game_cache.py): one load for many
waiting streams, bounded memory."""
from __future__ import annotations

import threading
import time

from quiz.services.game_cache import MAX_ENTRIES, GameCache


def test_streams_asking_at_once_share_one_load() -> None:
    cache, calls = GameCache(), []
    barrier = threading.Barrier(8)
    got: list[int] = []

    def load() -> int:
        calls.append(1)
        time.sleep(0.2)  # a read of the database
        return 42

    def stream() -> None:
        barrier.wait()
        got.append(cache.shared(("frame", 1, 7, 0), load))

    threads = [threading.Thread(target=stream) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert got == [42] * 8 and len(calls) == 1
    assert cache.shared(("frame", 1, 7, 0), load) == 42 and len(calls) == 1  # kept
    assert cache.shared(("read", 1), load, keep=False) == 42 and len(calls) == 2  # not kept: read again


def test_a_failed_load_is_not_kept_and_the_next_caller_tries_again() -> None:
    cache = GameCache()

    def broken() -> int:
        raise ConnectionError("the database went away")

    try:
        cache.shared(("question", 1), broken)
    except ConnectionError:
        pass
    assert cache.shared(("question", 1), lambda: 5) == 5


def test_frames_are_few_questions_many() -> None:
    cache = GameCache()
    for version in range(100):  # a lobby filling up: a frame per join
        cache.put(("frame", 1, version, 0), object())
    for index in range(300):
        cache.put(("question", 1, index), index)
    assert cache.peek(("frame", 1, 99, 0), 60) is not None and cache.peek(("frame", 1, 0, 0), 60) is None
    assert sum(cache.peek(("frame", 1, v, 0), 60) is not None for v in range(100)) == MAX_ENTRIES["frame"]
    assert all(cache.peek(("question", 1, i), 60) == i for i in range(300))  # a finished game's questions stay
