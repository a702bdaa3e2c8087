"""A tiny in-process cache for page contexts that every reader sees the same for a few seconds."""

from __future__ import annotations

import threading
from collections.abc import Callable
from time import monotonic
from typing import Any


class TTLCache:
    """A tiny in-process cache of page contexts, each kept for ``seconds``."""

    def __init__(self, seconds: float, max_items: int = 2_000) -> None:
        self.seconds = seconds
        self.max_items = max_items
        self._lock = threading.Lock()
        self._items: dict[str, tuple[float, Any]] = {}

    def peek(self, key: str) -> Any:
        """The live value kept under ``key``, or None."""
        with self._lock:
            hit = self._items.get(key)
        return hit[1] if hit is not None and hit[0] > monotonic() else None

    def forget(self, contains: str) -> None:
        """Drop every entry whose key contains ``contains`` (a page that just changed)."""
        with self._lock:
            self._items = {k: v for k, v in self._items.items() if contains not in k}

    def get(self, key: str, build: Callable[[], Any]) -> Any:
        now = monotonic()
        with self._lock:
            hit = self._items.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        value = build()
        with self._lock:
            if len(self._items) >= self.max_items:
                self._items = {k: v for k, v in self._items.items() if v[0] > now}
                if len(self._items) >= self.max_items:  # still full of live entries: keep the newest half
                    newest = sorted(self._items.items(), key=lambda kv: kv[1][0])[len(self._items) // 2 :]
                    self._items = dict(newest)
            self._items[key] = (now + self.seconds, value)
        return value
