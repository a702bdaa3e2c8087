"""In-process abuse limits: back-off after failed log-ins, and a cap on actions per address in a window."""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import TypeVar

MAX_KEYS = 100_000  # keys remembered at most; the oldest are forgotten first
V = TypeVar("V")


class FailureThrottle:
    """After 5 failures for a key, each further try waits twice as long (up to 15 min).

    A key's failures are forgotten 15 minutes after its last one, or when ``succeeded`` is told of it.
    """

    def __init__(self, free_failures: int = 5, forget_after: float = 900.0, max_delay: float = 900.0) -> None:
        self._lock = threading.Lock()
        self._failures: dict[str, tuple[int, float, float]] = {}  # key: (count, last failure, wait until)
        self.free_failures, self.forget_after, self.max_delay = free_failures, forget_after, max_delay

    def wait(self, *keys: str) -> float:
        """Seconds to wait before the next try of any of ``keys`` (0 when it may go now)."""
        now = time.monotonic()
        with self._lock:
            return max((self._entry(k, now)[2] - now for k in keys), default=0.0)

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                count = self._entry(key, now)[0] + 1
                delay = 0.0 if count < self.free_failures else 2.0 ** min(count - self.free_failures, 30)
                self._failures.pop(key, None)
                self._failures[key] = (count, now, now + min(delay, self.max_delay))
            trim(self._failures)

    def succeeded(self, key: str) -> None:
        """Forget one key's failures (the account's, never the address's: it may be trying others)."""
        with self._lock:
            self._failures.pop(key, None)

    def _entry(self, key: str, now: float) -> tuple[int, float, float]:
        entry = self._failures.get(key, (0, 0.0, 0.0))
        return (0, 0.0, 0.0) if now - entry[1] > self.forget_after else entry


class WindowLimit:
    """At most ``count`` actions per key in any ``seconds`` (e.g. sign-ups per address per hour)."""

    def __init__(self, count: int, seconds: float) -> None:
        self.count, self.seconds = count, seconds
        self._lock = threading.Lock()
        self._times: dict[str, deque[float]] = {}

    def full(self, key: str) -> bool:
        """Whether ``key`` has used up its actions for now."""
        now = time.monotonic()
        with self._lock:
            times = self._times.get(key)
            while times and now - times[0] > self.seconds:
                times.popleft()
            return bool(times) and len(times or ()) >= self.count

    def add(self, key: str) -> None:
        """Count one action of ``key``."""
        with self._lock:
            self._times.setdefault(key, deque()).append(time.monotonic())
            trim(self._times)


def trim(entries: dict[str, V]) -> None:
    """Forget the oldest keys past MAX_KEYS (dicts keep insertion order)."""
    for key in list(entries)[: max(0, len(entries) - MAX_KEYS)]:
        del entries[key]
