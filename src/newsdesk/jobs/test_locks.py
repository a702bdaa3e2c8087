"""Job locks on the SQLite queue and the real Redis: renewed while held, freed when their holder is killed."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

import newsdesk
from newsdesk.conftest import empty_store
from newsdesk.jobs.locks import LeaseStore, holding, lock_health, lock_status, open_leases, this_holder
from newsdesk.jobs.queue import make_huey
from newsdesk.jobs.tasks import PROCESS_LOCK, TICK_MARGIN, register_tasks
from newsdesk.settings import Settings


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=[pytest.mark.redis, pytest.mark.postgres])])
def queue_settings(request: pytest.FixtureRequest, settings: Settings) -> Settings:
    """The same tests on the SQLite queue file (and store), and on the real Redis (and PostgreSQL)."""
    if request.param == "sqlite":
        return settings
    redis_settings: Settings = request.getfixturevalue("redis_settings")
    empty_store(request.getfixturevalue("postgres_store"))
    return redis_settings.model_copy(update={"database_url": request.getfixturevalue("postgres_url")})


@pytest.fixture
def leases(queue_settings: Settings) -> Iterator[LeaseStore]:
    make_huey(queue_settings)  # creates the queue file (or checks Redis) as a worker would
    the_leases = open_leases(queue_settings)
    yield the_leases
    the_leases.close()


def wait_for(condition: Callable[[], object], timeout: float) -> float:
    """Seconds until ``condition`` holds; fails after ``timeout``."""
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < timeout, "timed out"
        time.sleep(0.1)
    return time.monotonic() - start


def test_a_holder_working_longer_than_the_ttl_keeps_its_lock(leases: LeaseStore) -> None:
    with holding(leases, "renewal", ttl=1.0) as held:
        assert held
        time.sleep(2.5)  # more than twice the TTL: only the renewals keep it
        with holding(leases, "renewal", ttl=1.0) as other:
            assert not other
        assert [lock.holder for lock in leases.held() if lock.name == "renewal"] == [this_holder()]
    with holding(leases, "renewal", ttl=1.0) as again:
        assert again
    assert not [lock for lock in leases.held() if lock.name == "renewal"]


def test_a_skipped_run_is_logged_at_debug_with_holder_and_since(
    queue_settings: Settings, leases: LeaseStore, caplog: pytest.LogCaptureFixture
) -> None:
    tasks = register_tasks(make_huey(queue_settings), queue_settings)
    with caplog.at_level(logging.DEBUG), holding(leases, PROCESS_LOCK, ttl=30) as held:
        assert held
        since = next(lock.since for lock in leases.held() if lock.name == PROCESS_LOCK)
        assert tasks.process_pending.call_local() is None
    skipped = [r for r in caplog.records if "skipped" in r.getMessage()]
    assert [r.levelno for r in skipped] == [logging.DEBUG]
    assert this_holder() in skipped[0].getMessage()
    assert since.isoformat(timespec="seconds") in skipped[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert tasks.process_pending.call_local() == 0  # released: the next run goes ahead


def test_a_lock_left_by_huey_lock_task_does_not_block(queue_settings: Settings) -> None:
    huey = make_huey(queue_settings)
    old_key = f"{huey.name}.lock.{PROCESS_LOCK}"
    assert huey.put_if_empty(old_key, "1")  # what an older version's killed worker left, without expiry
    tasks = register_tasks(huey, queue_settings)
    assert tasks.process_pending.call_local() == 0
    assert not huey.storage.has_data_for_key(old_key)


CHILD = """
import time

import newsdesk.jobs.tasks as tasks
from newsdesk.jobs.queue import make_consumer, make_huey
from newsdesk.settings import Settings


def stuck(*args, **kwargs):
    time.sleep(600)


tasks.assign_and_summarise = stuck  # assignment hangs, holding the lock, until the test kills this worker
settings = Settings()
huey = make_huey(settings)
tasks.register_tasks(huey, settings).process_pending()
make_consumer(huey, 1).run()
"""


def start_worker(settings: Settings, tmp_path: Path) -> subprocess.Popen[bytes]:
    """A real consumer process whose processing run takes the lock and never ends."""
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(newsdesk.__file__).parent.parent),
        "NEWSDESK_DATABASE_URL": settings.database_url,
        "NEWSDESK_QUEUE_PATH": settings.queue_path,
        "NEWSDESK_QUEUE_NAME": settings.queue_name,
        "NEWSDESK_LOCK_TTL": str(settings.lock_ttl),
    }
    if settings.redis_url is not None:
        env["NEWSDESK_REDIS_URL"] = settings.redis_url.get_secret_value()
    log = (tmp_path / "worker.log").open("wb")
    return subprocess.Popen([sys.executable, "-c", CHILD], env=env, cwd=tmp_path, stdout=log, stderr=log)


def held_by(settings: Settings, pid: int) -> bool:
    return any(lock.holder.endswith(f":{pid}") for lock in lock_status(settings))


def test_a_killed_workers_lock_frees_itself(queue_settings: Settings, tmp_path: Path) -> None:
    assert Settings().lock_ttl <= 60  # by default a killed worker's lock is gone within a minute
    settings = queue_settings.model_copy(update={"lock_ttl": 2.0})
    worker = start_worker(settings, tmp_path)
    try:
        wait_for(lambda: held_by(settings, worker.pid), 60)
        worker.send_signal(signal.SIGKILL)
        assert worker.wait(10) == -signal.SIGKILL
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    tasks = register_tasks(make_huey(settings), settings)
    assert tasks.process_pending.call_local() is None  # the dead worker's lock is still there...
    if settings.redis_url is None:  # ...until it expires; a lease row then says so until it is taken
        wait_for(lambda: any(lock.stale for lock in lock_status(settings)), 10)
        assert lock_health(settings)["status"] == "degraded"
    assert wait_for(lambda: tasks.process_pending.call_local() is not None, 10) < 10
    assert not held_by(settings, worker.pid)
    assert lock_health(settings) == {"status": "ok", "locks": []}


def test_a_run_that_finds_the_lock_held_looks_again_before_the_next_periodic_run(
    queue_settings: Settings, leases: LeaseStore
) -> None:
    """The holder may have been killed before assigning the articles this run left it: one follow-up run is
    queued for when a dead holder's lock could have lapsed (the periodic run came up to minutes later)."""
    huey = make_huey(queue_settings)
    tasks = register_tasks(huey, queue_settings)
    with holding(leases, PROCESS_LOCK, ttl=30) as held:
        assert held
        assert tasks.process_pending.call_local() is None
        assert tasks.process_pending.call_local() is None  # a second skipped run adds no second follow-up
    follow_ups = [task for task in huey.pending() if task.name == "process_pending"]  # due later: an eta
    assert len(follow_ups) == 1
    delay = (follow_ups[0].eta - datetime.now(UTC).replace(tzinfo=None)).total_seconds()  # eta: naive UTC
    assert 0 < delay <= queue_settings.lock_ttl


def test_periodic_processing_runs_every_minute(settings: Settings) -> None:
    """It processes a killed worker's batch once the claim ran out, and what a restarted Redis lost."""
    huey = register_tasks(make_huey(settings), settings).huey
    for minute in range(60):
        due = [task.name for task in huey.read_periodic(datetime(2026, 1, 1, 12, minute))]
        assert "process_pending_periodic" in due


def test_a_periodic_runs_mark_is_no_lock_on_the_health_page(queue_settings: Settings) -> None:
    """A periodic task's mark is never released: on the SQLite queue its row outlived it and /healthz said
    "degraded", with a stale lock, a minute after any worker had started."""
    runtime = register_tasks(make_huey(queue_settings), queue_settings).runtime
    assert runtime.first_this_period("poll_due_sources", TICK_MARGIN + 0.2)
    time.sleep(0.5)
    assert lock_health(queue_settings) == {"status": "ok", "locks": []}
