"""CLI commands about sources: add (with discovery), poll once, list with health."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import click

from newsdesk.fetch import make_fetcher
from newsdesk.pipeline.discover import SourceProblem, find_feeds
from newsdesk.pipeline.ingest import PollLimits, PollReport, poll_sources
from newsdesk.settings import Settings
from newsdesk.sources import ParsedFeed
from newsdesk.store import open_store, transaction
from newsdesk.store.models import Source
from newsdesk.store.sources import SourceSpec, add_source, due_source_ids, list_sources
from newsdesk.web.context import source_health


def add_source_command(settings: Settings, url: str, add_all: bool, options: dict[str, Any]) -> int:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        click.echo(f"error: {url!r} is not an http(s) URL", err=True)
        return 2
    fetcher = make_fetcher(settings)
    try:
        feeds = find_feeds(fetcher, url)
    except SourceProblem as exc:
        click.echo(f"error: {exc}", err=True)
        return 1
    finally:
        fetcher.close()
    if len(feeds) > 1 and not add_all:
        feeds = [_pick(feeds)]
    store = open_store(settings.database_url)
    with transaction(store.sessions) as session:
        for feed_url, feed in feeds:
            spec = SourceSpec(
                feed_url=feed_url,
                name=options.get("name") or feed.title or urlsplit(feed_url).hostname or feed_url,
                site_url=feed.site_url if feed.site_url != feed_url else "",
                feed_format=feed.format,
                country=options.get("country") or "",
                language=options.get("language") or feed.language.split("-")[0],
                default_category=options.get("category"),
            )
            source, created = add_source(session, spec)
            state = "added" if created else "already subscribed"
            click.echo(f"{state}: {source.name} <{feed_url}> ({feed.format}, {len(feed.entries)} entries)")
    return 0


def _pick(feeds: list[tuple[str, ParsedFeed]]) -> tuple[str, ParsedFeed]:
    for index, (feed_url, feed) in enumerate(feeds, 1):
        click.echo(f"{index}. {feed.title or feed_url} <{feed_url}> ({feed.format})")
    choice = click.prompt("Which feed?", type=click.IntRange(1, len(feeds)), default=1)
    return feeds[choice - 1]


def poll_command(settings: Settings, poll_all: bool) -> int:
    store = open_store(settings.database_url)
    with store.session() as session:
        ids = [s.id for s in list_sources(session) if s.enabled] if poll_all else due_source_ids(session)
    fetcher = make_fetcher(settings)
    limits = PollLimits(
        settings.poll_interval_min,
        settings.poll_interval_max,
        settings.max_entries_per_poll,
        public_url=settings.public_url,
    )
    try:
        reports = poll_sources(
            store, fetcher, ids, limits, on_report=lambda r: _print_report(store, r), force=poll_all
        )
    finally:
        fetcher.close()
    failed = sum(r.status == "failed" for r in reports)
    click.echo(
        f"sources polled: {len(reports)}, failed: {failed}, "
        f"new articles: {sum(r.new for r in reports)}, updated: {sum(r.updated for r in reports)}"
    )
    return 0


def _print_report(store: Any, report: PollReport) -> None:
    with store.session() as session:
        source = session.get(Source, report.source_id)
        name = source.name if source else str(report.source_id)
    click.echo(f"{report.status:>12}  {name}: {report.error or report_counts(report)}")
    for drop in report.drops:
        click.echo(f"              dropped {drop.url or drop.guid}: {drop.reason}")


def report_counts(report: PollReport) -> str:
    """'3 new, 0 updated, 25 known, 2 dropped, 1 text not fetched yet' (the last two only when there are)."""
    parts = [f"{report.new} new", f"{report.updated} updated", f"{report.unchanged} known"]
    if report.dropped:
        parts.append(f"{report.dropped} dropped")
    if report.pending:
        parts.append(f"{report.pending} {'text' if report.pending == 1 else 'texts'} not fetched yet")
    if report.pages_fetched:
        parts.append(
            f"{report.pages_fetched} earlier {'page' if report.pages_fetched == 1 else 'pages'} fetched"
        )
    return ", ".join(parts)


def status_line(row: dict[str, Any]) -> str:
    """A source's health in a few words: "ok, 60 entries dropped, 3 texts not fetched yet"."""
    status = row["status"] if row["status"] != "failing" else f"failing since {row['failing_since_exact']}"
    if row["flagged"]:
        status += ", FLAGGED: check this source"
    if row["dropped_count"]:
        status += f", {row['dropped_count']} {'entry' if row['dropped_count'] == 1 else 'entries'} dropped"
    if row["pages_pending"]:
        status += (
            f", {row['pages_pending']} {'text' if row['pages_pending'] == 1 else 'texts'} not fetched yet"
        )
    return status


DROPS_SHOWN = 5


def sources_command(settings: Settings, as_json: bool) -> None:
    store = open_store(settings.database_url)
    now = datetime.now(UTC)
    with store.session() as session:
        rows = [source_health(session, s, now, private=True) for s in list_sources(session)]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        click.echo(f"{row['name']}  [{status_line(row)}]  24h: {row['articles_24h']}  <{row['feed_url']}>")
        if row["last_error"]:
            click.echo(f"    last error: {row['last_error']}")
        for drop in row["dropped"][:DROPS_SHOWN]:
            click.echo(f"    dropped {drop['url'] or drop['guid']}: {drop['reason']}")
        if row["dropped_count"] > DROPS_SHOWN:
            click.echo(f"    … and {row['dropped_count'] - DROPS_SHOWN} more (newsdesk sources --json)")
        click.echo(
            f"    last success: {row.get('last_success_at_exact', '-')}, next poll: "
            f"{row.get('next_poll_at_exact', '-')}"
        )


def import_opml_command(settings: Settings, data: bytes) -> int:
    """Subscribe to every feed of an OPML file, with its folder and newsdesk's own settings."""
    from newsdesk.sources.opml import OpmlError, read_opml
    from newsdesk.store.subscriptions import import_feeds

    try:
        found = read_opml(data)
    except OpmlError as exc:
        click.echo(f"error: {exc}", err=True)
        return 1
    store = open_store(settings.database_url)
    with transaction(store.sessions) as session:
        added = import_feeds(session, found.feeds)
    click.echo(
        f"imported {len(found.feeds)} feeds: {added} added, {len(found.feeds) - added} already subscribed"
    )
    for what, why in found.skipped:
        click.echo(f"skipped {what}: {why}")
    return 0


def export_opml_command(settings: Settings) -> bytes:
    """Every source as an OPML file, by folder, with its feed type and settings."""
    from newsdesk.sources.opml import write_opml
    from newsdesk.store.subscriptions import export_sources

    store = open_store(settings.database_url)
    with store.session() as session:
        return write_opml(export_sources(session))


OPTION_FIELDS = {
    "enabled": "enabled",
    "name": "name",
    "country": "country",
    "language": "language",
    "category": "default_category",
    "interval_min": "poll_interval_min",
    "interval_max": "poll_interval_max",
}


def source_command(settings: Settings, key: str, options: dict[str, Any], delete: bool) -> int:
    """Print one source's health, after applying the given changes (or deleting it)."""
    from newsdesk.store.sources import SourceNotFound, delete_source, find_source, update_source

    changes = {OPTION_FIELDS[k]: v for k, v in options.items() if v is not None}
    if "country" in changes:
        changes["country"] = str(changes["country"]).upper()[:2]
    store = open_store(settings.database_url)
    try:
        with transaction(store.sessions) as session:
            source = find_source(session, key)
            if delete:
                delete_source(session, source)
                click.echo(f"deleted: {source.name}")
                return 0
            update_source(session, source, changes)
            session.flush()
            click.echo(json.dumps(source_health(session, source, datetime.now(UTC), private=True), indent=2))
    except (SourceNotFound, ValueError) as exc:
        click.echo(f"error: {exc}", err=True)
        return 1
    return 0
