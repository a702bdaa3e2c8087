"""Per-host politeness shared by every worker through Redis: a publisher sees one pace, not one per worker."""

from __future__ import annotations

import logging
import time

import redis

from newsdesk.fetch.client import HostLimiter

log = logging.getLogger("newsdesk.fetch")

# Reserve the next start for a host: the later of now and the reserved time, then push the reservation
# one delay further. Redis's own clock, so workers on machines whose clocks differ share one timeline.
RESERVE_START = """
local now = redis.call('time')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local start = math.max(now_ms, tonumber(redis.call('get', KEYS[1]) or '0'))
local delay = tonumber(ARGV[1])
redis.call('set', KEYS[1], start + delay, 'px', start + delay - now_ms + 1000)
return start - now_ms
"""


class SharedHostLimiter(HostLimiter):
    """At most N requests at once per host in this process, and a delay between two starts deployment-wide.

    When Redis cannot be reached, the pace falls back to this process's own (workers keep fetching).
    """

    def __init__(self, client: redis.Redis, prefix: str, concurrency: int, delay: float) -> None:
        super().__init__(concurrency, delay)
        self.client = client
        self.prefix = prefix  # '<queue name>.host.'
        self.reserve = client.register_script(RESERVE_START)

    def wait_for_start(self, host: str) -> None:
        try:
            wait_ms = int(self.reserve(keys=[self.prefix + host], args=[int(self.delay * 1000)]))
        except redis.RedisError as exc:
            log.warning("shared politeness unavailable, pacing %s in this process: %r", host, exc)
            super().wait_for_start(host)
            return
        if wait_ms > 0:
            time.sleep(wait_ms / 1000)
