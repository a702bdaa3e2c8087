"""Ingestion: wire sources, fetch and extract to the store for one source at a time."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from urllib.parse import urlsplit

import courlan

from newsdesk.extract import ExtractedArticle, ExtractionError, Hints, extract_article
from newsdesk.extract.fragments import html_paragraphs
from newsdesk.fetch import Fetcher, FetchError, FetchResult
from newsdesk.sources import (
    FeedEntry,
    FeedError,
    ParsedFeed,
)
from newsdesk.sources.bounded import parse_feed_bounded
from newsdesk.sources.schedule import backoff_interval, plan_interval
from newsdesk.store import Store, transaction
from newsdesk.store.articles import ArticleRecord, ImageRecord, known_entries, save_article
from newsdesk.store.ids import content_hash
from newsdesk.store.models import Article, Source, utcnow
from newsdesk.store.sources import (
    PollOutcome,
    claim_source,
    keep_source_leased,
    record_failure,
    record_success,
)

log = logging.getLogger("newsdesk.pipeline.ingest")
MIN_FALLBACK_WORDS = 40


@dataclass(frozen=True)
class PollLimits:
    interval_min: int = 300
    interval_max: int = 21_600
    max_entries: int = 200
    fetch_pages: bool = True  # False: store the feed's own content (feeds that carry full text)


@dataclass
class PollReport:
    source_id: int
    status: str = "ok"  # ok, not_modified, failed, skipped
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed_entries: int = 0
    error: str = ""
    warnings: list[str] = field(default_factory=list)


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
    with keep_source_leased(store.engine, source_id):
        try:
            result = fetcher.fetch(
                state.feed_url, kind="feed", etag=state.etag, last_modified=state.last_modified
            )
            body_hash = (
                hashlib.sha256(result.content).hexdigest() if not result.not_modified else state.body_hash
            )
            if result.not_modified or body_hash == state.body_hash:
                report.status = "not_modified"
                interval = state.poll_interval or (state.interval_max or limits.interval_max)
            else:
                feed = read_feed(fetcher, result)
                report.warnings.extend(feed.warnings)
                for entry in new_or_changed_entries(
                    store, source_id, feed.entries[: limits.max_entries], report
                ):
                    _count(report, ingest_entry(store, fetcher, source_id, entry, limits.fetch_pages))
                times = [e.published for e in feed.entries if e.published]
                low = state.interval_min or limits.interval_min
                interval = plan_interval(
                    times, utcnow(), low, max(low, state.interval_max or limits.interval_max)
                )
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
    return report


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


def _count(report: PollReport, state: str) -> None:
    if state == "created":
        report.new += 1
    elif state == "updated":
        report.updated += 1
    elif state == "failed":
        report.failed_entries += 1
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


def entry_fingerprint(entry: FeedEntry) -> str:
    """Hash of what a feed says about an entry: a change means the article may have been revised."""
    stamp = entry.updated.isoformat() if entry.updated else ""
    return content_hash("\x1f".join((entry.title, entry.summary, entry.content, stamp)))


def new_or_changed_entries(
    store: Store, source_id: int, entries: Sequence[FeedEntry], report: PollReport
) -> list[FeedEntry]:
    """Drop entries already stored with the same fingerprint (by guid or cleaned link), in one query."""
    links = [clean_link(e.link) for e in entries]
    with store.session() as session:
        known = known_entries(
            session, source_id, [e.guid for e in entries if e.guid], [x for x in links if x]
        )
    todo = []
    seen: set[str] = set()
    for entry, link in zip(entries, links, strict=True):
        key = f"guid:{entry.guid}" if entry.guid else f"url:{link}"
        if key in seen:
            continue  # the same guid twice in one feed: the first one counts
        seen.add(key)
        stored = known.get(key, known.get(f"url:{link}"))
        if stored is not None and stored in ("", entry_fingerprint(entry)):
            report.unchanged += 1
            continue
        todo.append(entry)
    return todo


def ingest_entry(
    store: Store, fetcher: Fetcher, source_id: int, entry: FeedEntry, fetch_pages: bool = True
) -> str:
    """Fetch, extract and store one feed entry; return created, updated, unchanged or failed."""
    link = clean_link(entry.link)
    if not link:
        return "failed"
    with store.session() as session:
        source = session.get(Source, source_id)
        assert source is not None
        default_category = source.default_category
    try:
        record = build_record(fetcher, source_id, entry, link, default_category, fetch_pages)
    except (FetchError, ExtractionError) as exc:
        log.warning("entry failed", extra={"source_id": source_id, "url": link, "error": str(exc)})
        return "failed"
    with transaction(store.sessions) as session:
        _article, state = save_article(session, record)
    return state


def build_record(
    fetcher: Fetcher,
    source_id: int,
    entry: FeedEntry,
    link: str,
    default_category: str | None,
    fetch_pages: bool = True,
) -> ArticleRecord:
    """Fetch the entry's page and extract it; fall back to the feed's own text when that fails."""
    hints = Hints(title=entry.title, authors=entry.authors, published=entry.published, summary=entry.summary)
    note = ""
    try:
        if not fetch_pages:
            raise ExtractionError("page fetching is off for this poll")
        page = fetcher.fetch(link, kind="page")
        article = extract_article(page.content, page.url, replace(hints, content_type=page.content_type))
    except (FetchError, ExtractionError) as exc:
        fallback = article_from_feed(entry, link)
        if fallback is None:
            raise
        article, note = fallback, f"page not used ({exc}); text from the feed"
    return record_from_article(source_id, entry, link, article, default_category, note)


def article_from_feed(entry: FeedEntry, link: str) -> ExtractedArticle | None:
    """An article made of the feed entry's own content, when it is long enough to read."""
    from newsdesk.extract import Block

    paragraphs = html_paragraphs(entry.content or entry.summary)
    if sum(len(p.split()) for p in paragraphs) < MIN_FALLBACK_WORDS or not entry.title:
        return None
    return ExtractedArticle(
        url=link,
        title=entry.title,
        blocks=tuple(Block("p", p) for p in paragraphs),
        authors=entry.authors,
        published=entry.published,
        language=entry.language,
    )


def record_from_article(
    source_id: int,
    entry: FeedEntry,
    link: str,
    article: ExtractedArticle,
    default_category: str | None,
    note: str = "",
) -> ArticleRecord:
    canonical = clean_link(article.canonical_url) if article.canonical_url else ""
    if not canonical or urlsplit(canonical).hostname != urlsplit(link).hostname:
        canonical = link
    now = utcnow()
    published = article.published or entry.published or now
    return ArticleRecord(
        source_id=source_id,
        url=link,
        canonical_url=canonical,
        title=article.title or entry.title,
        blocks=[{"kind": b.kind, "text": b.text} for b in article.blocks],
        published_at=min(published, now),
        guid=entry.guid,
        subtitle=article.subtitle,
        authors=list(article.authors),
        agency=article.agency,
        dateline=article.dateline,
        section=article.section,
        language=article.language or entry.language,
        updated_at=article.updated or entry.updated,
        summary=" ".join(html_paragraphs(entry.summary))[:1000],
        lead_image_url=article.lead_image,
        category_slug=default_category,
        images=[
            ImageRecord(i.url, i.caption, i.credit, i.alt, i.after_block) for i in article.images if i.url
        ],
        extraction_note=note,
        entry_hash=entry_fingerprint(entry),
    )


def clean_link(url: str) -> str:
    """Normalise a link (tracking parameters and fragments dropped); '' when it is not http(s)."""
    url = url.strip()
    if not url.startswith(("http://", "https://")):
        return ""
    try:
        return str(courlan.normalize_url(url, strict=True))
    except ValueError:
        return ""


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
        entry = FeedEntry(
            guid=article.guid, link=article.url, title=article.title, published=article.published_at
        )
        source_id, category = article.source_id, article.category_slug
    try:
        record = build_record(fetcher, source_id, entry, article.url, category)
    except (FetchError, ExtractionError) as exc:
        raise ValueError(f"cannot re-ingest {article.url}: {exc}") from exc
    with transaction(store.sessions) as session:
        return save_article(session, record)[1]
