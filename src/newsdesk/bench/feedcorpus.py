"""`newsdesk bench feeds`: ingest the feed corpus from a loopback server and count what was stored."""

from __future__ import annotations

import json
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import cast

import click
from sqlalchemy import select

from newsdesk.fetch import Fetcher, make_fetcher
from newsdesk.pipeline.ingest import PollReport, poll_source
from newsdesk.settings import Settings
from newsdesk.store import Store, open_store, transaction
from newsdesk.store.models import Article
from newsdesk.store.sources import SourceSpec, add_source

CORPUS = Path(__file__).resolve().parent.parent / "sources" / "testdata" / "corpus"
TYPES = {".xml": "application/rss+xml", ".rdf": "application/rdf+xml", ".json": "application/feed+json"}


@dataclass(frozen=True)
class CorpusFeed:
    """One corpus file with what must come of it: the titles stored, the entries dropped (key, reason)."""

    name: str
    origin: str
    licence: str
    stored: tuple[str, ...]
    dropped: tuple[tuple[str, str], ...]
    pages: dict[str, str] = field(default_factory=dict)


def load_corpus(directory: Path = CORPUS) -> list[CorpusFeed]:
    """The feeds of the corpus manifest, in its order."""
    manifest = json.loads((directory / "MANIFEST.json").read_text(encoding="utf-8"))
    return [
        CorpusFeed(
            name,
            spec["origin"],
            spec["licence"],
            tuple(spec["stored"]),
            tuple((key, reason) for key, reason in spec["dropped"]),
            dict(spec.get("pages", {})),
        )
        for name, spec in manifest["feeds"].items()
    ]


def corpus_bytes(name: str, base: str, directory: Path = CORPUS) -> bytes:
    """A corpus file with its ``{base}`` placeholders pointing at the server."""
    return (directory / name).read_bytes().replace(b"{base}", base.encode())


@contextmanager
def serve_corpus(feeds: list[CorpusFeed], directory: Path = CORPUS) -> Iterator[str]:
    """Serve the corpus on 127.0.0.1: feeds under /feeds/NAME, their pages, 404 for every other page.

    The feeds' ``pages`` are read at each request, so a test can make a page appear.
    """

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            host, port = cast(tuple[str, int], self.server.server_address)
            base = f"http://{host}:{port}"
            path = self.path.split("?", 1)[0]
            name = path.removeprefix("/feeds/")
            pages = {path: file for feed in feeds for path, file in feed.pages.items()}
            if path.startswith("/feeds/") and (directory / name).is_file():
                self.answer(corpus_bytes(name, base, directory), TYPES.get(Path(name).suffix, "text/xml"))
            elif path in pages:
                self.answer(corpus_bytes(pages[path], base, directory), "text/html; charset=utf-8")
            else:
                self.send_error(404)

        def answer(self, body: bytes, content_type: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class FeedOutcome:
    feed: CorpusFeed
    report: PollReport
    titles: tuple[str, ...]

    @property
    def stored_expected(self) -> int:
        return sum(title in self.titles for title in self.feed.stored)


def ingest_corpus(store: Store, fetcher: Fetcher, base: str, feeds: list[CorpusFeed]) -> list[FeedOutcome]:
    """Subscribe to every corpus feed, poll each once, and read back the titles stored per feed."""
    outcomes = []
    for feed in feeds:
        with transaction(store.sessions) as session:
            source, _ = add_source(session, SourceSpec(feed_url=f"{base}/feeds/{feed.name}", name=feed.name))
            source_id = source.id
        report = poll_source(store, fetcher, source_id, force=True)
        with store.session() as session:
            titles = tuple(session.scalars(select(Article.title).where(Article.source_id == source_id)))
        outcomes.append(FeedOutcome(feed, report, titles))
    return outcomes


@click.command("feeds")
def command() -> None:
    """Ingest the feed corpus (feeds in the wild: RDF teasers, title-less notes, link-less JSON Feed items,
    podcasts) with unreachable article pages; print entries stored of those a reader could use."""
    feeds = [f for f in load_corpus() if f.stored or f.dropped]
    settings = Settings(allow_private_hosts="127.0.0.1", per_host_delay=0.0)
    with tempfile.TemporaryDirectory() as tmp, serve_corpus(feeds) as base:
        store = open_store(f"sqlite:///{tmp}/bench.db")
        fetcher = make_fetcher(settings)
        try:
            outcomes = ingest_corpus(store, fetcher, base, feeds)
        finally:
            fetcher.close()
            store.close()
    for outcome in outcomes:
        report = outcome.report
        click.echo(
            f"{outcome.feed.name:26} stored {outcome.stored_expected}/{len(outcome.feed.stored)} usable, "
            f"{report.dropped} dropped, {report.pending} text not fetched yet, {report.status} {report.error}"
        )
        for drop in report.drops:
            click.echo(f"    dropped {drop.url or drop.guid}: {drop.reason}")
    usable = sum(len(o.feed.stored) for o in outcomes)
    stored = sum(o.stored_expected for o in outcomes)
    explained = sum(all(d.reason for d in o.report.drops) for o in outcomes)
    click.echo(f"usable entries stored: {stored} of {usable} ({stored / usable:.1%})")
    click.echo(f"feeds whose every drop has a URL or guid and a reason: {explained} of {len(outcomes)}")
