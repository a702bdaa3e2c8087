"""Worker processes for real: three on PostgreSQL and Redis, graceful SIGTERM, the server's own worker."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import select

import newsdesk
from newsdesk.cli.runtime import WORKER_NICENESS
from newsdesk.conftest import empty_store
from newsdesk.demo.publisher import PublisherNetwork, free_port, start_publishers
from newsdesk.jobs.queue import make_huey
from newsdesk.jobs.tasks import register_tasks
from newsdesk.settings import Settings
from newsdesk.store import Store, transaction
from newsdesk.store.models import Source
from newsdesk.store.sources import SourceSpec, add_source
from newsdesk.testing.services import wait_for

DELAY = 0.2  # seconds between two requests to one publisher

# A worker process whose processing is replaced (no models: these tests are about coordination).
CHILD = """
import os
import time
from pathlib import Path
from urllib.parse import urlsplit

import newsdesk.jobs.queue as queue
import newsdesk.jobs.tasks as tasks
import newsdesk.jobs.worker as worker
from newsdesk.settings import Settings
from newsdesk.pipeline.understand import ProcessReport


def slow_enrichment(*args, **kwargs):
    marker = Path(os.environ["TEST_MARKER"])
    if marker.exists():  # the task runs once only
        return ProcessReport()
    marker.write_text("started")
    time.sleep(float(os.environ["TEST_TASK_SECONDS"]))
    marker.write_text("finished")
    return ProcessReport()


tasks.enrich_pending = slow_enrichment
tasks.assign_and_summarise = lambda *args, **kwargs: set()
worker.load_models = lambda: None
queue.SHUTDOWN_TIMEOUT = float(os.environ.get("TEST_SHUTDOWN_TIMEOUT", "30"))
worker.run_worker(Settings(), 2)
"""


class TimedHits(Counter[str]):
    """A publisher's hit counter that also notes when each request came (what a publisher sees)."""

    def __init__(self) -> None:
        super().__init__()
        self.times: list[float] = []

    def __setitem__(self, key: str, value: int) -> None:
        self.times.append(time.monotonic())
        super().__setitem__(key, value)


def start_child(settings: Settings, tmp_path: Path, name: str, **extra: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(newsdesk.__file__).parent.parent),
        "NEWSDESK_DATABASE_URL": settings.database_url,
        "NEWSDESK_QUEUE_PATH": settings.queue_path,
        "NEWSDESK_QUEUE_NAME": settings.queue_name,
        "NEWSDESK_ALLOW_PRIVATE_HOSTS": "127.0.0.1",
        "NEWSDESK_PER_HOST_DELAY": str(settings.per_host_delay),
        "TEST_MARKER": str(tmp_path / f"{name}.marker"),
        "TEST_TASK_SECONDS": "0",
        **extra,
    }
    if settings.redis_url is not None:
        env["NEWSDESK_REDIS_URL"] = settings.redis_url.get_secret_value()
    log = (tmp_path / f"{name}.log").open("wb")
    return subprocess.Popen([sys.executable, "-c", CHILD], env=env, cwd=tmp_path, stdout=log, stderr=log)


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def network() -> Iterator[PublisherNetwork]:
    """The demo publishers, their hits timed."""
    publishers = start_publishers("127.0.0.1")
    for site in publishers.sites:
        site.hits = TimedHits()
    yield publishers
    publishers.stop()


@pytest.fixture
def cluster(
    redis_settings: Settings, postgres_url: str, postgres_store: Store, network: PublisherNetwork
) -> Settings:
    """Settings on the real PostgreSQL and Redis, the demo publishers subscribed."""
    store = empty_store(postgres_store)
    with transaction(store.sessions) as session:
        for site in network.sites:
            add_source(session, SourceSpec(feed_url=site.feed_url, name=site.outlet.name))
    return redis_settings.model_copy(update={"database_url": postgres_url, "per_host_delay": DELAY})


def all_polled(store: Store) -> bool:
    with store.session() as session:
        sources = list(session.scalars(select(Source)))
    return all(s.last_polled_at is not None and s.lease_until is None for s in sources)


@pytest.mark.redis
@pytest.mark.postgres
def test_three_worker_processes_fetch_each_feed_once_a_round_at_each_hosts_pace(
    cluster: Settings, network: PublisherNetwork, postgres_store: Store, tmp_path: Path
) -> None:
    workers = [start_child(cluster, tmp_path, f"w{n}") for n in range(3)]
    try:
        tasks = register_tasks(make_huey(cluster), cluster)
        for _ in range(3):  # three rounds, as each worker's periodic task would queue them
            tasks.enqueue_due_sources()
        wait_for(lambda: all_polled(postgres_store), 90)
        time.sleep(1)  # a poll taken from the queue just now would still fetch
    finally:
        stop(workers)
    for site in network.sites:
        assert site.hits[urlsplit(site.feed_url).path] == 1  # once, not once per worker
        pages = {path: n for path, n in site.hits.items() if path != "/robots.txt"}
        assert set(pages.values()) == {1}  # every article page fetched once
        times = sorted(site.hits.times)  # type: ignore[attr-defined]
        # A request leaves a moment after its turn: a loaded machine's scheduling shaves a little off a gap
        # (without sharing, three workers' requests to one host come together: gaps near 0).
        assert min(b - a for a, b in itertools.pairwise(times)) >= DELAY * 0.7


def test_sigterm_lets_the_running_task_finish(settings: Settings, tmp_path: Path) -> None:
    worker = start_child(settings, tmp_path, "graceful", TEST_TASK_SECONDS="2")
    try:
        register_tasks(make_huey(settings), settings).process_pending()
        wait_for(lambda: (tmp_path / "graceful.marker").exists(), 30)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(20) == 0
    finally:
        stop([worker])
    assert (tmp_path / "graceful.marker").read_text() == "finished"


def test_a_task_cut_short_by_shutdown_goes_back_on_the_queue(settings: Settings, tmp_path: Path) -> None:
    worker = start_child(settings, tmp_path, "cut", TEST_TASK_SECONDS="30", TEST_SHUTDOWN_TIMEOUT="0.5")
    huey = make_huey(settings)
    task = register_tasks(huey, settings).process_pending.s()
    try:
        huey.enqueue(task)
        wait_for(lambda: (tmp_path / "cut.marker").exists(), 30)
        worker.send_signal(signal.SIGTERM)
        worker.wait(20)
    finally:
        stop([worker])
    assert (tmp_path / "cut.marker").read_text() == "started"
    # The same task is back on the queue (a periodic task run as the minute turned may have queued others).
    assert task.id in [pending.id for pending in huey.pending()]


def children_of(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def is_worker(pid: int) -> bool:
    try:
        return b"multiprocessing.spawn" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def test_serve_runs_its_consumer_in_a_process_of_its_own(settings: Settings, tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(newsdesk.__file__).parent.parent),
        "NEWSDESK_DATABASE_URL": settings.database_url,
        "NEWSDESK_QUEUE_PATH": settings.queue_path,
    }
    log = (tmp_path / "serve.log").open("wb")
    command = [sys.executable, "-m", "newsdesk", "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=log, stderr=log)

    def serving() -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_for(serving, 60)
        workers = [pid for pid in children_of(server.pid) if is_worker(pid)]
        assert len(workers) == 1  # one consumer process beside the server, not threads inside it
        # and it yields the CPU to page rendering (once its interpreter has started)
        base = os.getpriority(os.PRIO_PROCESS, server.pid)
        wait_for(lambda: os.getpriority(os.PRIO_PROCESS, workers[0]) == base + WORKER_NICENESS, 30)
        server.send_signal(signal.SIGTERM)
        assert server.wait(40) == 0
    finally:
        stop([server])
    assert not is_worker(workers[0])  # stopped with the server
