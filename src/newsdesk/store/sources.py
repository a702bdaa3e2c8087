"""Sources in the store: registration, due-for-poll queries, leases, and the outcome of each poll."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from anyascii import anyascii
from sqlalchemy import (
    Connection,
    CursorResult,
    Engine,
    String,
    Table,
    bindparam,
    case,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from newsdesk.heartbeat import renewing
from newsdesk.store.article_views import forget_all_views
from newsdesk.store.models import Article, Source, utcnow
from newsdesk.urls import web_url

LEASE = timedelta(seconds=60)  # renewed every third of it while the poll runs: a killed poll frees it soon


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
    """Lowercase ASCII slug of a name in any script ('El Faro Diario' -> 'el-faro-diario',
    'Новости Приморья' -> 'novosti-primorya', '港町日報' -> 'gang-ding-ri-bao').

    anyascii transliterates every script (a table per code point, no ICU); apostrophes it writes for soft
    signs and the like are dropped rather than splitting a word, and Han syllables are kept apart.
    """
    ascii_text = anyascii(
        re.sub(r"([\u3400-\u9fff\uf900-\ufaff])", r" \1 ", unicodedata.normalize("NFC", text))
    )
    ascii_text = re.sub(r"['’`]", "", ascii_text)
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
        site_url=web_url(spec.site_url),
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


@dataclass(frozen=True)
class SourceState:
    """What a poll needs to know about its source, read while taking the lease."""

    feed_url: str
    etag: str | None
    last_modified: str | None
    body_hash: str
    poll_interval: int | None
    interval_min: int | None = None
    interval_max: int | None = None


@dataclass(frozen=True)
class PollOutcome:
    """What a successful poll learned, written in one statement after the entries are stored."""

    next_poll: datetime
    poll_interval: int
    etag: str | None
    last_modified: str | None
    body_hash: str
    feed_url: str | None = None  # set when every redirect on the way was permanent
    warning: str = ""


SOURCES = cast(Table, Source.__table__)
CLAIM = (
    update(SOURCES)
    .where(SOURCES.c.id == bindparam("source_id"), SOURCES.c.enabled.is_(True))
    .where(or_(SOURCES.c.lease_until.is_(None), SOURCES.c.lease_until < bindparam("now")))
    .values(lease_until=bindparam("lease_until"))
    .returning(
        SOURCES.c.feed_url,
        SOURCES.c.etag,
        SOURCES.c.last_modified,
        SOURCES.c.body_hash,
        SOURCES.c.poll_interval,
    )
)
CLAIM_DUE = CLAIM.where(or_(SOURCES.c.next_poll_at.is_(None), SOURCES.c.next_poll_at <= bindparam("now")))
RENEW = (
    update(SOURCES)
    .where(SOURCES.c.id == bindparam("source_id"), SOURCES.c.lease_until.is_not(None))
    .values(lease_until=bindparam("lease_until"))
)
SUCCESS = (
    update(SOURCES)
    .where(SOURCES.c.id == bindparam("source_id"))
    .values(
        last_polled_at=bindparam("now"),
        last_success_at=bindparam("now"),
        error_count=0,
        failing_since=None,
        lease_until=None,
        next_poll_at=bindparam("next_poll"),
        poll_interval=bindparam("poll_interval"),
        etag=bindparam("etag"),
        last_modified=bindparam("last_modified"),
        body_hash=bindparam("body_hash"),
        feed_url=func.coalesce(bindparam("new_feed_url", type_=String), SOURCES.c.feed_url),
        last_error=case((bindparam("warning") != "", bindparam("warning")), else_=SOURCES.c.last_error),
        last_error_at=case((bindparam("warning") != "", bindparam("now")), else_=SOURCES.c.last_error_at),
    )
)


def claim_source(
    connection: Connection | Session, source_id: int, now: datetime | None = None, *, force: bool = False
) -> SourceState | None:
    """Take a lease on a due source so that one worker polls it once a round (None if held or not due).

    ``force`` takes it whether due or not (a poll someone asked for); a held lease is never taken.
    """
    now = now or utcnow()
    params = {"source_id": source_id, "now": now, "lease_until": now + LEASE}
    row = connection.execute(CLAIM if force else CLAIM_DUE, params).first()
    return SourceState(*row) if row is not None else None


def renew_source_lease(connection: Connection | Session, source_id: int, now: datetime | None = None) -> bool:
    """Extend a poll's lease by another LEASE from now; False when the source is no longer leased."""
    params = {"source_id": source_id, "lease_until": (now or utcnow()) + LEASE}
    result = connection.execute(RENEW, params)
    return bool(cast(CursorResult[Any], result).rowcount)


@contextmanager
def keep_source_leased(engine: Engine, source_id: int) -> Iterator[None]:
    """Renew the source's lease every third of LEASE while the block polls it."""

    def renew() -> bool:
        with engine.begin() as connection:
            return renew_source_lease(connection, source_id)

    with renewing(renew, LEASE.total_seconds() / 3, f"source {source_id}"):
        yield


def record_success(connection: Connection | Session, source_id: int, outcome: PollOutcome) -> None:
    """Store a poll's outcome and release the lease, in one prepared UPDATE."""
    params = {
        "source_id": source_id,
        "now": utcnow(),
        "next_poll": outcome.next_poll,
        "poll_interval": outcome.poll_interval,
        "etag": outcome.etag,
        "last_modified": outcome.last_modified,
        "body_hash": outcome.body_hash,
        "new_feed_url": outcome.feed_url,
        "warning": outcome.warning[:2000],
    }
    connection.execute(SUCCESS, params)


def release_source(connection: Connection | Session, source_id: int) -> None:
    """Let go of a source's lease without touching its poll schedule (pushed content was ingested)."""
    connection.execute(update(SOURCES).where(SOURCES.c.id == source_id).values(lease_until=None))


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


EDITABLE = (
    "name",
    "site_url",
    "country",
    "language",
    "default_category",
    "folder",
    "enabled",
    "poll_interval_min",
    "poll_interval_max",
)
SHOWN = ("name", "site_url", "country", "language")  # what article views show of a source


class SourceNotFound(LookupError):
    """No source has that id or slug."""


def find_source(session: Session, key: str) -> Source:
    """The source with this slug or numeric id."""
    query = select(Source).where(Source.slug == key)
    if key.isdigit():
        query = select(Source).where(or_(Source.slug == key, Source.id == int(key)))
    source = session.scalars(query).first()
    if source is None:
        raise SourceNotFound(f"no source {key!r}")
    return source


def update_source(session: Session, source: Source, changes: dict[str, object]) -> Source:
    """Change a source's editable fields; re-enabling clears the failure state and makes it due now."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    shown = {name for name, value in changes.items() if name in SHOWN and getattr(source, name) != value}
    for name, value in changes.items():
        setattr(source, name, value)
    if shown:  # every article page naming the source, and those listing its articles
        forget_all_views(session)
    if changes.get("enabled") is True:
        source.error_count, source.failing_since, source.next_poll_at = 0, None, utcnow()
    low, high = source.poll_interval_min, source.poll_interval_max
    if low is not None and high is not None and low > high:
        raise ValueError("the shortest poll interval is longer than the longest")
    return source


def delete_source(session: Session, source: Source) -> None:
    """Remove a source and its articles."""
    session.delete(source)


def articles_since(session: Session, source_id: int, since: datetime) -> int:
    query = (
        select(func.count())
        .select_from(Article)
        .where(Article.source_id == source_id, Article.published_at >= since)  # the (source, published) index
    )
    return session.scalar(query) or 0


def list_sources(session: Session) -> list[Source]:
    return list(session.scalars(select(Source).order_by(Source.name)))
