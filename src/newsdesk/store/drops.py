"""Entries a poll could not keep (with the reason) and articles whose page is still to be fetched."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from newsdesk.store.models import Article, DroppedEntry, utcnow


@dataclass(frozen=True)
class Drop:
    """One entry left out, by its link (or guid when it has none), with a reason a person can act on."""

    url: str
    guid: str
    title: str
    reason: str
    retry: bool = False  # a failure of ours (the store), not of the feed: tried again at the next poll


def replace_drops(session: Session, source_id: int, drops: list[Drop]) -> None:
    """Keep only the latest full poll's drops for the source."""
    session.execute(delete(DroppedEntry).where(DroppedEntry.source_id == source_id))
    now = utcnow()
    session.add_all(
        DroppedEntry(
            source_id=source_id,
            url=d.url[:2000],
            guid=d.guid[:2000],
            title=d.title[:500],
            reason=d.reason[:500],
            retry=d.retry,
            seen_at=now,
        )
        for d in drops
    )


def source_drops(session: Session, source_id: int, limit: int = 50) -> list[DroppedEntry]:
    query = select(DroppedEntry).where(DroppedEntry.source_id == source_id).order_by(DroppedEntry.id)
    return list(session.scalars(query.limit(limit)))


def drop_count(session: Session, source_id: int) -> int:
    query = select(func.count()).select_from(DroppedEntry).where(DroppedEntry.source_id == source_id)
    return session.scalar(query) or 0


def has_retryable_drops(session: Session, source_id: int) -> bool:
    query = select(DroppedEntry.id).where(DroppedEntry.source_id == source_id, DroppedEntry.retry.is_(True))
    return session.scalars(query.limit(1)).first() is not None


def pages_due(session: Session, source_id: int, now: datetime, limit: int = 10) -> list[Article]:
    """The source's articles whose page was not fetched yet and whose next try has come, oldest first."""
    query = (
        select(Article)
        .where(Article.source_id == source_id, Article.page_pending.is_(True), Article.page_retry_at <= now)
        .order_by(Article.page_retry_at)
        .limit(limit)
    )
    return list(session.scalars(query))


def pending_count(session: Session, source_id: int) -> int:
    query = (
        select(func.count())
        .select_from(Article)
        .where(Article.source_id == source_id, Article.page_pending.is_(True))
    )
    return session.scalar(query) or 0
