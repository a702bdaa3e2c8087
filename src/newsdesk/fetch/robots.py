"""robots.txt for article pages: fetched once per site, cached, read by Protego as RFC 9309 says."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from protego import Protego

AGENT = "newsdesk"
CACHE_SECONDS = 24 * 3600.0
UNREACHABLE_SECONDS = 600.0
MAX_ROBOTS_BYTES = 500_000


@dataclass(frozen=True)
class RobotsFile:
    """The rules of one site: allow everything, disallow everything, or what the file says."""

    parser: Protego | None
    allow_all: bool
    expires: float

    def allows(self, url: str) -> bool:
        if self.parser is None:
            return self.allow_all
        return bool(self.parser.can_fetch(url, AGENT))


def parse_robots(text: str, expires: float) -> RobotsFile:
    return RobotsFile(Protego.parse(text), True, expires)


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))


class RobotsCache:
    """Per-site robots rules; `load(robots_url)` returns (status, text) or raises on network failure."""

    def __init__(self, load: Callable[[str], tuple[int, str]]) -> None:
        self.load = load
        self._lock = threading.Lock()
        self._files: dict[str, RobotsFile] = {}

    def allows(self, url: str) -> bool:
        key = robots_url(url)
        with self._lock:
            cached = self._files.get(key)
        if cached is None or cached.expires < time.monotonic():
            cached = self._fetch(key)
            with self._lock:
                self._files[key] = cached
        return cached.allows(url)

    def _fetch(self, url: str) -> RobotsFile:
        now = time.monotonic()
        try:
            status, text = self.load(url)
        except Exception:  # unreachable (RFC 9309 2.3.1.4): assume disallowed, ask again soon
            return RobotsFile(None, False, now + UNREACHABLE_SECONDS)
        if status >= 500:
            return RobotsFile(None, False, now + UNREACHABLE_SECONDS)
        if status >= 400:  # unavailable (RFC 9309 2.3.1.3): no rules
            return RobotsFile(None, True, now + CACHE_SECONDS)
        return parse_robots(text, now + CACHE_SECONDS)
