"""`newsdesk bench poll`: poll thousands of loopback feeds twice with the real poller, against a bare loop."""

from __future__ import annotations

import resource
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import click
import httpx
from sqlalchemy import update

from newsdesk.bench.feedserver import FeedServer
from newsdesk.fetch import make_fetcher
from newsdesk.pipeline.ingest import PollLimits, PollReport, poll_source
from newsdesk.settings import Settings
from newsdesk.store import Store, open_store, transaction
from newsdesk.store.models import Source
from newsdesk.store.sources import SourceSpec, add_source

T = TypeVar("T")


@dataclass(frozen=True)
class RoundResult:
    name: str
    feeds: int
    seconds: float
    statuses: dict[str, int]

    @property
    def rate(self) -> float:
        return self.feeds / self.seconds if self.seconds else 0.0


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_parallel(work: Callable[[T], str], items: list[T], workers: int, label: str) -> dict[str, int]:
    """Run `work` over items on a thread pool (as huey's thread workers do), with a progress bar."""
    statuses: dict[str, int] = {}
    with (
        ThreadPoolExecutor(workers) as pool,
        click.progressbar(length=len(items), label=label, file=None) as bar,
    ):
        for status in pool.map(work, items):
            statuses[status] = statuses.get(status, 0) + 1
            bar.update(1)
    return statuses


def register(store: Store, urls: Iterable[str]) -> list[int]:
    with transaction(store.sessions) as session:
        return [add_source(session, SourceSpec(feed_url=u, name=u))[0].id for u in urls]


def poll_round(store: Store, settings: Settings, ids: list[int], workers: int, name: str) -> RoundResult:
    fetcher = make_fetcher(settings)
    limits = PollLimits(settings.poll_interval_min, settings.poll_interval_max, fetch_pages=False)

    def poll(source_id: int) -> str:
        report: PollReport = poll_source(store, fetcher, source_id, limits)
        return report.status

    started = time.perf_counter()
    statuses = run_parallel(poll, ids, workers, name)
    elapsed = time.perf_counter() - started
    fetcher.close()
    return RoundResult(name, len(ids), elapsed, statuses)


def bare_round(urls: list[str], etags: dict[str, str], workers: int) -> RoundResult:
    """The ceiling: the same conditional GETs with httpx and nothing else."""
    client = httpx.Client(timeout=30)

    def get(url: str) -> str:
        headers = {"If-None-Match": etags[url]} if url in etags else {}
        return str(client.get(url, headers=headers).status_code)

    started = time.perf_counter()
    statuses = run_parallel(get, urls, workers, "bare httpx loop")
    elapsed = time.perf_counter() - started
    client.close()
    return RoundResult("bare httpx loop", len(urls), elapsed, statuses)


def make_ready_again(store: Store) -> dict[str, str]:
    """Make every source due now and return the ETags the first round stored."""
    with transaction(store.sessions) as session:
        session.execute(update(Source).values(next_poll_at=None, lease_until=None))
        return {s.feed_url: s.etag for s in session.query(Source) if s.etag}


@click.command("poll")
@click.option(
    "--feeds", default=2000, show_default=True, help="Feeds served (each on its own loopback address)"
)
@click.option("--items", default=20, show_default=True, help="Entries per feed")
@click.option("--workers", default=16, show_default=True, help="Poller threads (like huey thread workers)")
@click.option("--database", default="", help="Database URL (default: a temporary SQLite file)")
def command(feeds: int, items: int, workers: int, database: str) -> None:
    """Poll N loopback feeds twice (second round mostly 304) and compare with a bare httpx loop."""
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-bench-"))
    settings = Settings(
        database_url=database or f"sqlite:///{folder / 'bench.db'}",
        allow_private_hosts="127.0.0.0/8",
        log_level="ERROR",
    )
    click.echo(f"starting {feeds} feeds x {items} items on loopback …", err=True)
    server = FeedServer(feeds, items)
    try:
        store = open_store(settings.database_url)
        urls = [f.url for f in server.feeds]
        ids = register(store, urls)
        first = poll_round(store, settings, ids, workers, "first poll")
        etags = make_ready_again(store)
        second = poll_round(store, settings, ids, workers, "second poll")
        bare = bare_round(urls, etags, workers)
    finally:
        server.stop()
    for result in (first, second, bare):
        click.echo(
            f"{result.name:>16}: {result.rate:8.1f} feeds/s  ({result.feeds} in {result.seconds:.2f} s) "
            f"{result.statuses}"
        )
    click.echo(f"second round / bare loop: {second.rate / bare.rate:.2f}")
    click.echo(f"peak memory (poller process): {peak_memory_mb():.0f} MB")
