"""Sources to and from OPML: every setting newsdesk keeps for a source survives a round trip."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsdesk.sources.opml import OpmlFeed
from newsdesk.store.models import Category, Source
from newsdesk.store.sources import SourceSpec, add_source, list_sources, slugify


def opml_feed_of(source: Source) -> OpmlFeed:
    return OpmlFeed(
        source.feed_url,
        source.name,
        source.site_url,
        source.folder,
        source.language,
        source.feed_format,
        source.country,
        source.default_category or "",
        source.enabled,
        source.poll_interval_min,
        source.poll_interval_max,
    )


def export_sources(session: Session) -> list[OpmlFeed]:
    """Every source as an OPML feed, by folder then name."""
    return [opml_feed_of(s) for s in sorted(list_sources(session), key=lambda s: (s.folder, s.name))]


def import_feeds(session: Session, feeds: list[OpmlFeed]) -> int:
    """Subscribe to every feed not subscribed yet, with the file's settings; return how many were added.

    The category is the file's own (newsdesk's attribute) when that category exists here, else the
    innermost folder's name when a category has that name.
    """
    categories = set(session.scalars(select(Category.slug)))
    added = 0
    for feed in feeds:
        leaf = slugify(feed.folder.rsplit(" / ", 1)[-1]) if feed.folder else ""
        category = next((c for c in (feed.category, leaf) if c and c in categories), None)
        spec = SourceSpec(
            feed_url=feed.feed_url,
            name=feed.title or urlsplit(feed.feed_url).hostname or feed.feed_url,
            site_url=feed.site_url,
            feed_format=feed.feed_format,
            country=feed.country,
            language=feed.language,
            default_category=category,
            folder=feed.folder,
        )
        source, created = add_source(session, spec)
        if created:
            source.enabled = feed.enabled
            source.poll_interval_min, source.poll_interval_max = feed.interval_min, feed.interval_max
            added += 1
    return added
