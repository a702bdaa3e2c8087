"""Ingestion: wire sources, fetch and extract to the store for one source at a time."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

from newsdesk.extract import ExtractionError, Hints, extract_article
from newsdesk.fetch import Fetcher, FetchError, FetchResult
from newsdesk.pipeline.entries import (
    LINKLESS_FRAGMENT,
    EntryOutcome,
    clean_link,
    entry_fingerprint,
    ingest_entry,
    record_from_article,
    retry_page,
    with_identity,
)
from newsdesk.pipeline.hubs import subscribe_if_advertised
from newsdesk.sources import (
    FeedEnclosure,
    FeedEntry,
    FeedError,
    ParsedFeed,
)
from newsdesk.sources.bounded import parse_feed_bounded
from newsdesk.sources.schedule import backoff_interval, plan_interval
from newsdesk.sources.websub import PushTopic, find_push_topic
from newsdesk.store import Store, transaction
from newsdesk.store.articles import known_entries, save_article
from newsdesk.store.drops import Drop, has_retryable_drops, pages_due, replace_drops
from newsdesk.store.models import Article, Source, utcnow
from newsdesk.store.sources import (
    PollOutcome,
    claim_source,
    keep_source_leased,
    record_failure,
    record_success,
)
from newsdesk.store.websub import is_pushed

log = logging.getLogger("newsdesk.pipeline.ingest")
PAGES_PER_POLL = 10  # pages still to fetch, retried at each poll of their source (feed changed or not)


@dataclass(frozen=True)
class PollLimits:
    interval_min: int = 300
    interval_max: int = 21_600
    max_entries: int = 200
    fetch_pages: bool = True  # False: store the feed's own content (feeds that carry full text)
    public_url: str = ""  # where WebSub hubs reach newsdesk; '' : no push subscriptions


@dataclass
class PollReport:
    source_id: int
    status: str = "ok"  # ok, not_modified, failed, skipped
    new: int = 0
    updated: int = 0
    unchanged: int = 0  # already stored, from this source or another ("known")
    dropped: int = 0
    pending: int = 0  # stored with the feed's text: the page could not be fetched yet
    pages_fetched: int = 0  # earlier entries' pages fetched at last
    error: str = ""
    warnings: list[str] = field(default_factory=list)
    drops: list[Drop] = field(default_factory=list)
    push: PushTopic | None = None  # the WebSub hub and topic the feed advertises


def poll_source(
    store: Store, fetcher: Fetcher, source_id: int, limits: PollLimits | None = None, *, force: bool = False
) -> PollReport:
    """Poll one source if it is due (or ``force``): fetch its feed, ingest new or changed entries, record."""
    limits = limits or PollLimits()
    report = PollReport(source_id)
    with store.engine.begin() as connection:
        state = claim_source(connection, source_id, force=force)
    if state is None:
        report.status = "skipped"
        return report
    with store.session() as session:
        retry_drops = has_retryable_drops(session, source_id)
    with keep_source_leased(store.engine, source_id):
        try:
            # Entries dropped for a reason of ours are tried again: the feed is read even when unchanged.
            etag, modified = (None, None) if retry_drops else (state.etag, state.last_modified)
            result = fetcher.fetch(state.feed_url, kind="feed", etag=etag, last_modified=modified)
            body_hash = (
                hashlib.sha256(result.content).hexdigest() if not result.not_modified else state.body_hash
            )
            if result.not_modified or (body_hash == state.body_hash and not retry_drops):
                report.status = "not_modified"
                interval = state.poll_interval or (state.interval_max or limits.interval_max)
            else:
                feed = read_feed(fetcher, result)
                report.push = find_push_topic(feed, result.url, result.links)
                ingest_feed(store, fetcher, source_id, (result.url, feed), limits, report)
                times = [e.published for e in feed.entries if e.published]
                low = state.interval_min or limits.interval_min
                interval = plan_interval(
                    times, utcnow(), low, max(low, state.interval_max or limits.interval_max)
                )
            interval = stretched_if_pushed(
                store, source_id, interval, state.interval_max or limits.interval_max
            )
            retry_pages(store, fetcher, source_id, report)
            outcome = PollOutcome(
                next_poll=utcnow() + timedelta(seconds=interval),
                poll_interval=interval,
                etag=result.etag if not result.not_modified else state.etag,
                last_modified=result.last_modified if not result.not_modified else state.last_modified,
                body_hash=body_hash,
                feed_url=result.permanent_redirect,
                warning="; ".join(report.warnings),
            )
            with store.engine.begin() as connection:
                record_success(connection, source_id, outcome)
        except (FetchError, FeedError) as exc:
            _finish_failure(store, source_id, exc, limits, report)
        except Exception as exc:  # a bug must not leave the source leased: record it and re-raise
            _finish_failure(store, source_id, exc, limits, report)
            raise
    if report.status == "ok" and report.push is not None:
        subscribe_if_advertised(store, fetcher, source_id, report.push, limits.public_url)
    return report


def stretched_if_pushed(store: Store, source_id: int, interval: int, longest: int) -> int:
    """The longest interval while a hub pushes the source's feed: polling stays, as the fallback."""
    with store.session() as session:
        return max(interval, longest) if is_pushed(session, source_id) else interval


def ingest_feed(
    store: Store,
    fetcher: Fetcher,
    source_id: int,
    fetched: tuple[str, ParsedFeed],
    limits: PollLimits,
    report: PollReport,
) -> None:
    """Ingest a feed's (URL, parsed feed) new or changed entries and keep this poll's drops with reasons."""
    feed_url, feed = fetched
    report.warnings.extend(feed.warnings)
    entries = [with_identity(e) for e in feed.entries]
    # The feed's own page stands in for entries without a link; a feed that names none has none.
    feed_link = feed.site_url if clean_link(feed.site_url) != clean_link(feed_url) else ""
    for entry in new_or_changed_entries(store, source_id, entries[: limits.max_entries], report):
        outcome = ingest_entry(store, fetcher, source_id, entry, limits.fetch_pages, feed_link)
        _count(report, outcome)
    for entry in entries[limits.max_entries :]:
        reason = f"beyond the {limits.max_entries} entries read per poll"
        report.drops.append(Drop(entry.link, entry.guid, entry.title, reason))
    report.dropped = len(report.drops)
    for drop in report.drops:
        log.info(
            "entry dropped",
            extra={"source_id": source_id, "url": drop.url or drop.guid, "error": drop.reason},
        )
    with transaction(store.sessions) as session:
        replace_drops(session, source_id, report.drops)


def retry_pages(store: Store, fetcher: Fetcher, source_id: int, report: PollReport) -> None:
    """Fetch again the pages of earlier entries that could not be fetched, whose next try has come."""
    with store.session() as session:
        due = [a.id for a in pages_due(session, source_id, utcnow(), PAGES_PER_POLL)]
    for article_id in due:
        report.pages_fetched += retry_page(store, fetcher, article_id) == "fetched"


def read_feed(fetcher: Fetcher, result: FetchResult) -> ParsedFeed:
    """Parse a fetched feed; a sitemap index is followed one level (10 sitemaps at most)."""
    feed = parse_feed_bounded(result.content, result.url, result.content_type)
    if feed.format != "sitemapindex":
        return feed
    entries: list[FeedEntry] = []
    for child in feed.sitemaps[:10]:
        child_result = fetcher.fetch(child, kind="feed")
        entries.extend(parse_feed_bounded(child_result.content, child_result.url).entries)
    return ParsedFeed(format="sitemap", site_url=feed.site_url, entries=tuple(entries))


def _count(report: PollReport, outcome: EntryOutcome) -> None:
    report.pending += outcome.pending
    if outcome.drop is not None:
        report.drops.append(outcome.drop)
    elif outcome.state == "created":
        report.new += 1
    elif outcome.state == "updated":
        report.updated += 1
    else:
        report.unchanged += 1


def _finish_failure(
    store: Store, source_id: int, exc: Exception, limits: PollLimits, report: PollReport
) -> None:
    report.status = "failed"
    report.error = str(exc) or exc.__class__.__name__
    with transaction(store.sessions) as session:
        source = session.get(Source, source_id)
        if source is None:
            return
        wait = backoff_interval(source.error_count + 1, limits.interval_min, limits.interval_max)
        if isinstance(exc, FetchError) and exc.retry_after:
            wait = max(wait, int(exc.retry_after))
        record_failure(session, source, report.error, utcnow() + timedelta(seconds=wait))
        if isinstance(exc, FetchError) and exc.status == 410:
            source.enabled = False
    log.warning("poll failed", extra={"source_id": source_id, "error": report.error})


def new_or_changed_entries(
    store: Store, source_id: int, entries: Sequence[FeedEntry], report: PollReport
) -> list[FeedEntry]:
    """Drop entries already stored with the same fingerprint (by guid or cleaned link), in one query."""
    links = [clean_link(e.link) for e in entries]
    with store.session() as session:
        known = known_entries(
            session, source_id, [e.guid for e in entries if e.guid], [x for x in links if x]
        )
    shared = shared_guids(entries, links)
    todo = []
    seen: set[str] = set()
    for entry, link in zip(entries, links, strict=True):
        key = f"guid:{entry.guid}" if entry.guid and entry.guid not in shared else f"url:{link}"
        if key in seen:
            continue  # the same entry twice in one feed: the first one counts
        seen.add(key)
        stored = known.get(key, known.get(f"url:{link}"))
        if stored is not None and stored in ("", entry_fingerprint(entry)):
            report.unchanged += 1
            continue
        todo.append(entry)
    return todo


def shared_guids(entries: Sequence[FeedEntry], links: list[str]) -> set[str]:
    """Guids a feed gives to several entries with different links (a site's address as every item's
    guid): for those the link tells entries apart, or they would all be taken for the first."""
    links_of: dict[str, set[str]] = {}
    for entry, link in zip(entries, links, strict=True):
        if entry.guid and link:
            links_of.setdefault(entry.guid, set()).add(link)
    return {guid for guid, found in links_of.items() if len(found) > 1}


def poll_sources(
    store: Store,
    fetcher: Fetcher,
    source_ids: list[int],
    limits: PollLimits | None = None,
    on_report: Callable[[PollReport], None] | None = None,
    *,
    force: bool = False,
) -> list[PollReport]:
    """Poll the given sources one after another (the CLI's `poll --once`; `--all` forces each poll)."""
    reports = []
    for source_id in source_ids:
        report = poll_source(store, fetcher, source_id, limits, force=force)
        reports.append(report)
        if on_report:
            on_report(report)
    return reports


def reingest_article(store: Store, fetcher: Fetcher, article_id: str) -> str:
    """Fetch and extract a stored article again (an admin's repair); created, updated or unchanged."""
    with store.session() as session:
        article = session.get(Article, article_id)
        if article is None:
            raise LookupError(f"no article {article_id}")
        if urlsplit(article.canonical_url).fragment.startswith(LINKLESS_FRAGMENT):
            raise ValueError("this entry has no page of its own: its text is the feed's")
        entry = FeedEntry(
            guid=article.guid,
            link=article.url,
            title=article.title,
            published=article.published_at,
            enclosures=tuple(FeedEnclosure(e.url, e.type, e.length, e.medium) for e in article.enclosures),
        )
        source_id, category = article.source_id, article.category_slug
    try:
        page = fetcher.fetch(entry.link, kind="page")
        hints = Hints(entry.title, published=entry.published, content_type=page.content_type)
        extracted = extract_article(page.content, page.url, hints)
    except (FetchError, ExtractionError) as exc:
        raise ValueError(f"cannot re-ingest {entry.link}: {exc}") from exc
    record = record_from_article(source_id, entry, entry.link, extracted, category)
    with transaction(store.sessions) as session:
        return save_article(session, record)[1]
