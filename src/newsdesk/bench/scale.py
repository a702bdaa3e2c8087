"""`newsdesk bench scale`: end-to-end articles/s with 1, 2, 4 worker processes on PostgreSQL and Redis."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import click
import redis
from sqlalchemy import create_engine, func, select, text

from newsdesk.demo.publisher import PublisherNetwork, start_publishers
from newsdesk.demo.run import register_sources
from newsdesk.jobs.queue import make_huey
from newsdesk.jobs.stage_times import open_stage_times
from newsdesk.jobs.tasks import register_tasks
from newsdesk.settings import Settings
from newsdesk.store import Store, open_store
from newsdesk.store.models import Article

STAGES = ("poll", "enrich", "stories")
READY = "models loaded"


@dataclass(frozen=True)
class Run:
    workers: int
    articles: int
    seconds: float
    cpu: dict[str, float]  # seconds of CPU per stage, all workers together

    @property
    def rate(self) -> float:
        return self.articles / self.seconds


def expected_articles(networks: list[PublisherNetwork]) -> int:
    """The article pages the publishers serve (what the demo counts)."""
    return sum(network.article_count() for network in networks)


def fresh_database(admin_url: str) -> str:
    """A new PostgreSQL database for one run; its URL."""
    name = f"newsdesk_bench_scale_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def drop_database(admin_url: str, url: str) -> None:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    admin.dispose()


def worker_env(settings: Settings) -> dict[str, str]:
    assert settings.redis_url is not None
    return {
        **os.environ,
        "NEWSDESK_DATABASE_URL": settings.database_url,
        "NEWSDESK_REDIS_URL": settings.redis_url.get_secret_value(),
        "NEWSDESK_QUEUE_NAME": settings.queue_name,
        "NEWSDESK_ALLOW_PRIVATE_HOSTS": settings.allow_private_hosts,
        "NEWSDESK_PER_HOST_DELAY": str(settings.per_host_delay),
        "NEWSDESK_STAGE_TIMES": "true",
        "NEWSDESK_LOG_LEVEL": "INFO",
    }


def start_worker_processes(
    settings: Settings, count: int, threads: int, logs: Path
) -> list[subprocess.Popen[bytes]]:
    """``count`` `newsdesk worker` processes, each ready (models loaded) before this returns."""
    command = [sys.executable, "-m", "newsdesk", "worker", "--threads", str(threads)]
    paths = [logs / f"worker-{count}-{n}.log" for n in range(count)]
    workers = [
        subprocess.Popen(command, env=worker_env(settings), stdout=p.open("wb"), stderr=subprocess.STDOUT)
        for p in paths
    ]
    deadline = time.monotonic() + 300
    while not all(READY in p.read_text(errors="replace") for p in paths):
        if time.monotonic() > deadline or any(w.poll() is not None for w in workers):
            raise click.ClickException(f"a worker did not start: see {logs}")
        time.sleep(0.5)
    return workers


def stop_worker_processes(workers: list[subprocess.Popen[bytes]]) -> None:
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(60)
        except subprocess.TimeoutExpired:
            worker.kill()


def finished(store: Store) -> int:
    """Articles stored, enriched and in a story."""
    query = select(func.count()).select_from(Article)
    with store.session() as session:
        done = query.where(Article.story_id.is_not(None), Article.processed_at.is_not(None))
        return int(session.scalar(done) or 0)


def run_once(
    settings: Settings, networks: list[PublisherNetwork], workers: int, threads: int, logs: Path
) -> Run:
    """Ingest every publisher's articles with ``workers`` processes; time from first poll to last story."""
    store = open_store(settings.database_url)
    for network in networks:
        register_sources(store, network)
    times = open_stage_times(settings)
    assert times is not None
    times.clear()
    processes = start_worker_processes(settings, workers, threads, logs)
    try:
        expected = expected_articles(networks)
        started = time.monotonic()
        register_tasks(make_huey(settings), settings).enqueue_due_sources()
        while (done := finished(store)) < expected:
            if time.monotonic() - started > 1800:
                raise click.ClickException(f"{done}/{expected} articles after 30 min: see {logs}")
            time.sleep(0.25)
        seconds = time.monotonic() - started
    finally:
        stop_worker_processes(processes)
        store.close()
    cpu = {stage: value for stage in STAGES if (value := times.read().get(f"{stage}.cpu")) is not None}
    return Run(workers, expected, seconds, cpu)


def clear_queue(settings: Settings) -> None:
    assert settings.redis_url is not None
    client = redis.Redis.from_url(settings.redis_url.get_secret_value())
    for key in client.scan_iter(match=f"{settings.queue_name}*"):
        client.delete(key)


def print_runs(runs: list[Run]) -> None:
    click.echo(
        f"{'workers':>7} {'articles':>8} {'seconds':>8} {'art/s':>6} {'speed-up':>8}  CPU share per stage"
    )
    for run in runs:
        total = sum(run.cpu.values()) or 1.0
        shares = "  ".join(
            f"{s} {run.cpu.get(s, 0.0) / total:.0%} ({run.cpu.get(s, 0.0):.0f}s)" for s in STAGES
        )
        click.echo(
            f"{run.workers:>7} {run.articles:>8} {run.seconds:>8.1f} {run.rate:>6.2f} "
            f"{run.rate / runs[0].rate:>7.2f}x  {shares}"
        )


@click.command("scale")
@click.option("--workers", "counts", default="1,2,4", show_default=True, help="Worker processes of each run")
@click.option("--threads", default=2, show_default=True, help="Threads of each worker process")
@click.option(
    "--copies", default=4, show_default=True, help="Copies of the demo's 5 publishers (87 articles each)"
)
@click.option(
    "--delay", default=0.05, show_default=True, help="Seconds between two requests to one publisher"
)
@click.option(
    "--postgres",
    default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
    show_default=True,
    help="A PostgreSQL URL allowed to create databases (one fresh database per run)",
)
@click.option("--redis", "redis_url", default="redis://127.0.0.1:6379/14", show_default=True)
def command(counts: str, threads: int, copies: int, delay: float, postgres: str, redis_url: str) -> None:
    """Articles/s from first poll to last story, with each stage's share of the workers' CPU."""
    from pydantic import SecretStr

    logs = Path(tempfile.mkdtemp(prefix="newsdesk-bench-scale-"))
    networks = [start_publishers("127.0.0.1") for _ in range(copies)]
    runs: list[Run] = []
    try:
        for count in [int(c) for c in counts.split(",")]:
            database = fresh_database(postgres)
            settings = Settings(
                database_url=database,
                redis_url=SecretStr(redis_url),
                queue_name=f"newsdesk-bench-scale-{uuid.uuid4().hex[:8]}",
                allow_private_hosts="127.0.0.1",
                per_host_delay=delay,
                stage_times=True,
            )
            try:
                runs.append(run_once(settings, networks, count, threads, logs))
            finally:
                clear_queue(settings)
                drop_database(postgres, database)
            click.echo(f"  {count} worker(s): {runs[-1].rate:.2f} articles/s", err=True)
    finally:
        for network in networks:
            network.stop()
    print_runs(runs)
    click.echo(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; worker logs in {logs}")
