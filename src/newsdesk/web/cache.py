"""A tiny in-process cache for pages and page contexts that every reader sees the same for a few seconds."""

from __future__ import annotations

import threading
from collections.abc import Callable
from time import monotonic
from typing import Any


class TTLCache:
    """Values kept ``seconds`` fresh, then ``stale_for`` more seconds as a stand-in while one caller rebuilds.

    One caller at a time builds a missing value; the others wait for it rather than all building it.
    """

    def __init__(self, seconds: float, max_items: int = 2_000, stale_for: float = 0.0) -> None:
        self.seconds = seconds
        self.stale_for = stale_for
        self.max_items = max_items
        self._lock = threading.Lock()
        self._items: dict[str, tuple[float, Any]] = {}  # key -> (fresh until, value)
        self._building: dict[str, threading.Lock] = {}
        self._refreshing: set[str] = set()

    def lookup(self, key: str) -> tuple[Any, bool]:
        """(value, fresh) for a value still kept, fresh or stale; (None, False) when there is none."""
        now = monotonic()
        with self._lock:
            hit = self._items.get(key)
        if hit is None or hit[0] + self.stale_for <= now:
            return None, False
        return hit[1], hit[0] > now

    def peek(self, key: str) -> Any:
        """The fresh value kept under ``key``, or None."""
        value, fresh = self.lookup(key)
        return value if fresh else None

    def claim_refresh(self, key: str) -> bool:
        """True for the one caller who should rebuild a stale value (until ``put`` or ``release``)."""
        with self._lock:
            if key in self._refreshing:
                return False
            self._refreshing.add(key)
            return True

    def release(self, key: str) -> None:
        with self._lock:
            self._refreshing.discard(key)

    def forget(self, contains: str) -> None:
        """Drop every entry whose key contains ``contains`` (a page that just changed)."""
        with self._lock:
            self._items = {k: v for k, v in self._items.items() if contains not in k}

    def get(self, key: str, build: Callable[[], Any]) -> Any:
        """The fresh value, or one built now (by one caller; the others wait for it)."""
        value = self.peek(key)
        if value is not None:
            return value
        with self._lock:
            building = self._building.setdefault(key, threading.Lock())
        with building:
            value = self.peek(key)  # built by the caller we waited for
            if value is None:
                value = build()
                self.put(key, value)
        with self._lock:
            self._building.pop(key, None)
        return value

    def put(self, key: str, value: Any) -> None:
        now = monotonic()
        with self._lock:
            self._refreshing.discard(key)
            if len(self._items) >= self.max_items:
                keep_until = now - self.stale_for
                self._items = {k: v for k, v in self._items.items() if v[0] > keep_until}
                if len(self._items) >= self.max_items:  # still full of live entries: keep the newest half
                    newest = sorted(self._items.items(), key=lambda kv: kv[1][0])[len(self._items) // 2 :]
                    self._items = dict(newest)
            self._items[key] = (now + self.seconds, value)
