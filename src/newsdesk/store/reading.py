"""Per-reader reading state: read and unread marks, "mark all read" up to a time, starred, unread counts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, delete, exists, false, func, not_, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from newsdesk.store.models import Article, ArticleState, Bookmark, ReadingHorizon, User, utcnow


def read_horizon(session: Session, user: User, new_reader_days: int) -> datetime:
    """The time up to which everything the reader has not marked counts as read.

    A reader who never marked all read starts with the ``new_reader_days`` before their account was made
    unread, so an app's first sync is not every article the site ever stored.
    """
    horizon = session.get(ReadingHorizon, user.id)
    if horizon is not None:
        return horizon.read_before
    return user.created_at - timedelta(days=new_reader_days)


def marked(user_id: int, read: bool) -> ColumnElement[bool]:
    """Whether the reader marked the article read (``read``) or unread."""
    return exists().where(
        ArticleState.user_id == user_id, ArticleState.article_id == Article.id, ArticleState.read.is_(read)
    )


def is_unread(user_id: int, horizon: datetime) -> ColumnElement[bool]:
    """SQL condition on Article: unread for this reader (an own mark first, else newer than the horizon)."""
    return and_(not_(marked(user_id, True)), or_(marked(user_id, False), Article.published_at > horizon))


def is_starred(user_id: int) -> ColumnElement[bool]:
    """SQL condition on Article: the reader starred (bookmarked) it."""
    return exists().where(Bookmark.user_id == user_id, Bookmark.article_id == Article.id)


def set_read(session: Session, user_id: int, article_ids: Iterable[str], read: bool) -> int:
    """Mark articles read or unread for one reader; return how many exist."""
    ids = sorted(set(article_ids))
    if not ids:
        return 0
    found = list(session.scalars(select(Article.id).where(Article.id.in_(ids))))
    session.execute(
        delete(ArticleState).where(ArticleState.user_id == user_id, ArticleState.article_id.in_(found))
    )
    now = utcnow()
    session.add_all(ArticleState(user_id=user_id, article_id=i, read=read, changed_at=now) for i in found)
    session.flush()
    return len(found)


def mark_all_read(
    session: Session,
    user: User,
    horizon: datetime,
    before: datetime,
    within: ColumnElement[bool] | None = None,
) -> None:
    """Mark read every article published up to ``before``: all of them, or only those ``within`` a stream.

    For the whole reading list the reader's horizon moves forward (one row, however many articles); for a
    source, folder, category or story each unread article gets a read mark.
    """
    if within is None:
        move_horizon(session, user.id, max(horizon, before))
        older = select(Article.id).where(Article.published_at <= before).scalar_subquery()
        session.execute(
            delete(ArticleState).where(ArticleState.user_id == user.id, ArticleState.article_id.in_(older))
        )
        return
    unread = select(Article.id).where(within, Article.published_at <= before, is_unread(user.id, horizon))
    ids = list(session.scalars(unread))
    for start in range(0, len(ids), 500):
        set_read(session, user.id, ids[start : start + 500], True)


def move_horizon(session: Session, user_id: int, read_before: datetime) -> None:
    horizon = session.get(ReadingHorizon, user_id)
    if horizon is None:
        session.add(ReadingHorizon(user_id=user_id, read_before=read_before))
    else:
        horizon.read_before = read_before
    session.flush()


def set_starred(session: Session, user_id: int, article_ids: Iterable[str], starred: bool) -> int:
    """Star (bookmark) articles or remove the stars; return how many exist."""
    ids = sorted(set(article_ids))
    if not ids:
        return 0
    found = list(session.scalars(select(Article.id).where(Article.id.in_(ids))))
    session.execute(delete(Bookmark).where(Bookmark.user_id == user_id, Bookmark.article_id.in_(found)))
    if starred:
        session.add_all(Bookmark(user_id=user_id, article_id=i) for i in found)
    session.flush()
    return len(found)


def unread_among(session: Session, user_id: int, horizon: datetime, article_ids: Iterable[str]) -> set[str]:
    """Which of these articles the reader has not read (for unread marks on a page)."""
    ids = list(set(article_ids))
    if not ids:
        return set()
    query = select(Article.id).where(Article.id.in_(ids), is_unread(user_id, horizon))
    return set(session.scalars(query))


def unread_counts(
    session: Session,
    user_id: int,
    horizon: datetime,
    by: InstrumentedAttribute[int] | InstrumentedAttribute[str] | InstrumentedAttribute[str | None],
    within: ColumnElement[bool] | None = None,
) -> dict[object, tuple[int, datetime]]:
    """Unread articles per value of ``by`` (source, category, story): count and newest publication time."""
    query = (
        select(by, func.count(), func.max(Article.published_at))
        .where(is_unread(user_id, horizon), by.is_not(None), within if within is not None else true())
        .group_by(by)
    )
    return {key: (count, newest) for key, count, newest in session.execute(query)}


def unread_within(
    session: Session, user_id: int, horizon: datetime, within: ColumnElement[bool]
) -> tuple[int, datetime | None]:
    """Unread articles of one stream (a folder, a virtual feed, everything): count and newest publication."""
    query = select(func.count(), func.max(Article.published_at)).where(within, is_unread(user_id, horizon))
    count, newest = session.execute(query).one()
    return count or 0, newest


def starred_among(session: Session, user_id: int, article_ids: Iterable[str]) -> set[str]:
    ids = list(set(article_ids))
    if not ids:
        return set()
    query = select(Bookmark.article_id).where(Bookmark.user_id == user_id, Bookmark.article_id.in_(ids))
    return set(session.scalars(query))


def nothing() -> ColumnElement[bool]:
    """A condition no article meets (a stream with no members)."""
    return false()
