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

# Take the start once its turn has come: only if the last actual start to the host is a delay behind,
# else say how long is left. A request that overslept its turn (a busy machine) pushes the next one back
# instead of arriving close behind it.
CLAIM_START = """
local now = redis.call('time')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local delay = tonumber(ARGV[1])
local last = tonumber(redis.call('get', KEYS[1]) or '')
if last and now_ms < last + delay then
  return last + delay - now_ms
end
redis.call('set', KEYS[1], now_ms, 'px', delay + 1000)
return 0
"""


class SharedHostLimiter(HostLimiter):
    """At most N requests at once per host in this process, and a delay between two starts deployment-wide.

    When Redis cannot be reached, the pace falls back to this process's own for a while: workers keep
    fetching, and no request waits out Redis's connection retries once it is known to be down.
    """

    retry_after = 30.0  # seconds of local pacing after Redis failed, before asking it again

    def __init__(self, client: redis.Redis, prefix: str, concurrency: int, delay: float) -> None:
        super().__init__(concurrency, delay)
        self.client = client
        self.prefix = prefix  # '<queue name>.host.'
        self.reserve = client.register_script(RESERVE_START)
        self.claim = client.register_script(CLAIM_START)
        self.local_until = 0.0  # time.monotonic() until which Redis is not asked

    def wait_for_start(self, host: str) -> None:
        if time.monotonic() < self.local_until:
            super().wait_for_start(host)
            return
        delay_ms = int(self.delay * 1000)
        try:
            wait_ms = int(self.reserve(keys=[self.prefix + host], args=[delay_ms]))
            if wait_ms > 0:
                time.sleep(wait_ms / 1000)
            while (wait_ms := int(self.claim(keys=[self.prefix + host + ".started"], args=[delay_ms]))) > 0:
                time.sleep(wait_ms / 1000)
        except redis.RedisError as exc:
            log.warning(
                "shared politeness unavailable, pacing in this process for %.0f s: %r", self.retry_after, exc
            )
            self.local_until = time.monotonic() + self.retry_after
            super().wait_for_start(host)
