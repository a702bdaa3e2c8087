"""When to poll a source next: from how often it publishes, or backing off while it fails."""

from __future__ import annotations

import itertools
import statistics
from datetime import datetime, timedelta


def plan_interval(entry_times: list[datetime], now: datetime, low: int, high: int) -> int:
    """Seconds until the next poll, from how often the feed published over the last days."""
    recent = sorted(t for t in entry_times if now - timedelta(days=7) <= t <= now)
    if len(recent) < 2:
        return high
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(recent)]
    typical_gap = statistics.median(gaps)
    return int(min(max(typical_gap / 2, low), high))


def backoff_interval(failures: int, low: int, high: int) -> int:
    """Seconds until retrying a failing source: doubling from the low bound, capped at 4x the high."""
    return int(min(low * 2 ** max(failures - 1, 0), high * 4))
