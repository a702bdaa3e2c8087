"""`newsdesk demo`: sample publishers on loopback, ingested through the real worker, served on one port."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import click
from sqlalchemy.exc import SQLAlchemyError

from newsdesk.cli.runtime import run_server
from newsdesk.demo.publisher import PublisherNetwork, start_publishers
from newsdesk.jobs.tasks import Tasks
from newsdesk.log import setup_logging
from newsdesk.settings import Settings
from newsdesk.store import Store, open_store, transaction
from newsdesk.store.articles import count_articles, count_articles_in_stories
from newsdesk.store.sources import SourceSpec, add_source

CATEGORY_BY_SECTION = {"sport": "sports", "sports": "sports", "deportes": "sports"}


def demo_settings(data_dir: Path, host: str, port: int) -> Settings:
    """Settings of the demo: its own database and queue, loopback publishers allowed."""
    return Settings(
        database_url=f"sqlite:///{data_dir / 'newsdesk.db'}",
        queue_path=str(data_dir / "queue.db"),
        allow_private_hosts="127.0.0.1,localhost,::1",
        per_host_delay=0.02,
        public_url=f"http://{host}:{port}",
        log_level="WARNING",
    )


def register_sources(store: Store, network: PublisherNetwork) -> None:
    with transaction(store.sessions) as session:
        for site in network.sites:
            outlet = site.outlet
            add_source(
                session,
                SourceSpec(
                    feed_url=site.feed_url,
                    name=outlet.name,
                    site_url=site.base_url + "/",
                    feed_format=outlet.feed_format,
                    country=outlet.country,
                    language=outlet.language,
                ),
            )


def report_progress(store: Store, url: str, expected: int) -> None:
    """Print how many articles are in, until ingestion settles."""
    last, stable_since = -1, time.monotonic()
    while time.monotonic() - stable_since < 20:
        time.sleep(1)
        with store.session() as session:
            count = count_articles(session)
        if count != last:
            last, stable_since = count, time.monotonic()
            click.echo(f"  ingested {count}/{expected} articles")
        if count >= expected:
            break
    click.echo(f"newsdesk demo is ready: {url} (top stories appear as the worker groups the articles)")
    report_grouping(store, url, last)


def report_grouping(store: Store, url: str, expected: int) -> None:
    """Print how many articles are in stories as the worker groups them, and when all are."""
    last = -1
    while True:
        time.sleep(2)
        try:
            with store.session() as session:
                grouped = count_articles_in_stories(session)
        except SQLAlchemyError:  # a busy store: ask again
            continue
        if grouped != last:
            last = grouped
            click.echo(f"  grouped {grouped}/{expected} articles into stories")
        if grouped >= expected:
            click.echo(f"top stories are ready: {url}")
            return


def run_demo(host: str, port: int, data_dir: str, *, keep: bool = False) -> None:
    folder = Path(data_dir)
    if folder.exists() and not keep:
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    settings = demo_settings(folder.resolve(), host, port)
    setup_logging(settings)
    network = start_publishers("127.0.0.1")
    store = open_store(settings.database_url)
    register_sources(store, network)
    expected = network.article_count()
    url = f"http://{host}:{port}"
    click.echo(
        f"newsdesk demo: {len(network.sites)} sample publishers on 127.0.0.1 ("
        + ", ".join(s.outlet.name for s in network.sites)
        + ")"
    )
    click.echo(f"serving the site at {url} while the worker ingests their feeds")

    def after_start(tasks: Tasks) -> None:
        tasks.enqueue_due_sources()
        threading.Thread(target=report_progress, args=(store, url, expected), daemon=True).start()

    try:
        run_server(settings, host, port, store=store, after_start=after_start)
    finally:
        network.stop()
