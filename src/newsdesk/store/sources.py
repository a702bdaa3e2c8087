"""Sources in the store: registration, due-for-poll queries, leases, and the outcome of each poll."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from newsdesk.store.models import Article, Source, utcnow

LEASE = timedelta(minutes=10)


@dataclass(frozen=True)
class SourceSpec:
    feed_url: str
    name: str
    site_url: str = ""
    feed_format: str = ""
    country: str = ""
    language: str = ""
    default_category: str | None = None
    folder: str = ""


def slugify(text: str) -> str:
    """Lowercase ASCII slug of a name ('El Faro Diario' -> 'el-faro-diario')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80] or "source"


def add_source(session: Session, spec: SourceSpec) -> tuple[Source, bool]:
    """Register a source (or return the one with that feed URL); True when it was created."""
    existing = session.scalars(select(Source).where(Source.feed_url == spec.feed_url)).first()
    if existing is not None:
        return existing, False
    slug = base = slugify(spec.name)
    n = 1
    while session.scalars(select(Source.id).where(Source.slug == slug)).first() is not None:
        n += 1
        slug = f"{base}-{n}"
    source = Source(
        slug=slug,
        name=spec.name[:200],
        feed_url=spec.feed_url,
        site_url=spec.site_url,
        feed_format=spec.feed_format,
        country=spec.country.upper()[:2],
        language=spec.language.lower(),
        default_category=spec.default_category,
        folder=spec.folder[:500],
        next_poll_at=utcnow(),
    )
    session.add(source)
    session.flush()
    return source, True


def due_source_ids(session: Session, now: datetime | None = None) -> list[int]:
    """Ids of enabled sources whose next poll time has come and that nobody holds."""
    now = now or utcnow()
    query = (
        select(Source.id)
        .where(Source.enabled.is_(True))
        .where(or_(Source.next_poll_at.is_(None), Source.next_poll_at <= now))
        .where(or_(Source.lease_until.is_(None), Source.lease_until < now))
        .order_by(Source.next_poll_at)
    )
    return list(session.scalars(query))


def claim_source(session: Session, source_id: int, now: datetime | None = None) -> bool:
    """Take a lease on a source so that no other worker polls it at the same time."""
    now = now or utcnow()
    result = session.execute(
        update(Source)
        .where(Source.id == source_id, Source.enabled.is_(True))
        .where(or_(Source.lease_until.is_(None), Source.lease_until < now))
        .values(lease_until=now + LEASE)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def release_source(session: Session, source_id: int) -> None:
    session.execute(update(Source).where(Source.id == source_id).values(lease_until=None))


def record_success(session: Session, source: Source, next_poll: datetime) -> None:
    now = utcnow()
    source.last_polled_at = now
    source.last_success_at = now
    source.error_count = 0
    source.failing_since = None
    source.next_poll_at = next_poll
    source.lease_until = None


def record_failure(session: Session, source: Source, error: str, next_poll: datetime) -> None:
    """Keep the error on the source row, with its time, and push the next poll back."""
    now = utcnow()
    source.last_polled_at = now
    source.last_error = error[:2000]
    source.last_error_at = now
    source.error_count += 1
    source.failing_since = source.failing_since or now
    source.next_poll_at = next_poll
    source.lease_until = None


def articles_since(session: Session, source_id: int, since: datetime) -> int:
    query = (
        select(func.count())
        .select_from(Article)
        .where(Article.source_id == source_id, Article.first_seen_at >= since)
    )
    return session.scalar(query) or 0


def list_sources(session: Session) -> list[Source]:
    return list(session.scalars(select(Source).order_by(Source.name)))
