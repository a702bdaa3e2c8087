"""Seconds spent per stage by every worker of a deployment, added up in Redis (for `newsdesk bench scale`)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import redis

from newsdesk.settings import Settings

log = logging.getLogger("newsdesk.jobs")


@dataclass
class StageTimes:
    """A Redis hash of '<stage>.wall' and '<stage>.cpu' seconds (CPU: the thread's own)."""

    client: redis.Redis
    key: str  # '<queue name>.stage-times'

    @contextmanager
    def timing(self, stage: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            yield
        finally:
            self.add(stage, time.perf_counter() - wall, time.thread_time() - cpu)

    def add(self, stage: str, wall: float, cpu: float) -> None:
        try:
            pipe = self.client.pipeline()
            pipe.hincrbyfloat(self.key, f"{stage}.wall", wall)
            pipe.hincrbyfloat(self.key, f"{stage}.cpu", cpu)
            pipe.execute()
        except redis.RedisError as exc:  # a measurement must never fail the task it measures
            log.debug("stage time of %s not recorded: %r", stage, exc)

    def read(self) -> dict[str, float]:
        found: dict[bytes, bytes] = self.client.hgetall(self.key)  # type: ignore[assignment]
        return {key.decode(): float(value) for key, value in found.items()}

    def clear(self) -> None:
        self.client.delete(self.key)


def open_stage_times(settings: Settings) -> StageTimes | None:
    """The deployment's stage times when they are asked for and Redis is the queue; else None."""
    if not settings.stage_times or settings.redis_url is None:
        return None
    client = redis.Redis.from_url(settings.redis_url.get_secret_value(), socket_timeout=5)
    return StageTimes(client, f"{settings.queue_name}.stage-times")


@contextmanager
def timing(times: StageTimes | None, stage: str) -> Iterator[None]:
    """Time the block as ``stage`` when stage times are kept; otherwise just run it."""
    if times is None:
        yield
        return
    with times.timing(stage):
        yield
