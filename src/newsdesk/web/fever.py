"""The Fever API (/api/fever.php?api) for reader apps: groups, feeds, items, unread and saved ids, marks."""

from __future__ import annotations

import zlib
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from newsdesk.store import transaction
from newsdesk.store.app_passwords import check_fever_key
from newsdesk.store.models import Article, Source, User
from newsdesk.store.reading import (
    is_starred,
    is_unread,
    mark_all_read,
    set_read,
    set_starred,
    starred_among,
    unread_among,
)
from newsdesk.web.app_access import AppReader, Params, app_store, authorise, request_params, value
from newsdesk.web.app_feeds import AppFeed, any_of, article_html, folders_of, source_feed

API_VERSION = 3
PAGE = 50  # items per answer, as the protocol fixes it
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

router = APIRouter(include_in_schema=False)


def group_id(folder: str) -> int:
    """A stable group number for an OPML folder (Fever wants integers; folders have only names)."""
    return zlib.crc32(folder.encode()) % 1_000_000_000 + 1


def fever_reader(request: Request, params: Params) -> AppReader | None:
    """The reader of the posted api_key (md5 of "user:app password"); None when it is not one."""
    key = value(params, "api_key").strip().lower()
    if len(key) != 32:
        return None
    try:
        return authorise(request, lambda session: check_fever_key(session, key))
    except HTTPException:
        return None


def source_feeds(session: Session) -> list[AppFeed]:
    """The sources a Fever app sees (virtual feeds are left out: a Fever item has one feed only)."""
    return [source_feed(s) for s in session.scalars(select(Source).where(Source.enabled.is_(True)))]


def groups_part(feeds: list[AppFeed]) -> dict[str, Any]:
    folders = folders_of(feeds)
    return {
        "groups": [{"id": group_id(f), "title": f} for f in folders],
        "feeds_groups": [
            {
                "group_id": group_id(folder),
                "feed_ids": ",".join(str(f.source_id) for f in feeds if f.folder == folder),
            }
            for folder in folders
        ],
    }


def feeds_part(session: Session, feeds: list[AppFeed]) -> dict[str, Any]:
    newest = dict(
        session.execute(
            select(Article.source_id, func.max(Article.first_seen_at)).group_by(Article.source_id)
        ).all()
    )
    entries = [
        {
            "id": f.source_id,
            "favicon_id": 0,
            "title": f.title,
            "url": f.feed_url,
            "site_url": f.html_url,
            "is_spark": 0,
            "last_updated_on_time": seconds(newest.get(f.source_id or 0)),
        }
        for f in feeds
    ]
    return {"feeds": entries, **groups_part(feeds)}


def seconds(when: datetime | None) -> int:
    return int(when.timestamp()) if when is not None else 0


def number_list(text: str) -> list[int]:
    """Comma-separated ids; anything that is not a non-negative integer below 2**63 is dropped."""
    parts = [p.strip() for p in text.split(",")]
    return [int(p) for p in parts if p.isdigit() and len(p) < 19]


def items_part(session: Session, reader: AppReader, params: Params) -> dict[str, Any]:
    """50 items after since_id, before max_id, or of with_ids, with the reader's read and saved states."""
    query = select(Article).where(Article.source_id.in_(select(Source.id).where(Source.enabled.is_(True))))
    if value(params, "with_ids"):
        query = query.where(Article.item_no.in_(number_list(value(params, "with_ids"))[:PAGE]))
        query = query.order_by(Article.item_no)
    elif value(params, "max_id").isdigit():
        query = query.where(Article.item_no < int(value(params, "max_id")[:19])).order_by(
            Article.item_no.desc()
        )
    else:
        since = value(params, "since_id", "0")
        query = query.where(Article.item_no > int(since[:19] if since.isdigit() else "0"))
        query = query.order_by(Article.item_no)
    articles = list(session.scalars(query.limit(PAGE)))
    ids = [a.id for a in articles]
    unread = unread_among(session, reader.id, reader.horizon, ids)
    saved = starred_among(session, reader.id, ids)
    total = session.scalar(select(func.count()).select_from(Article)) or 0
    return {
        "items": [fever_item(a, a.id not in unread, a.id in saved) for a in articles],
        "total_items": total,
    }


def fever_item(article: Article, read: bool, saved: bool) -> dict[str, Any]:
    return {
        "id": article.item_no,
        "feed_id": article.source_id,
        "title": article.title,
        "author": article.byline,
        "html": article_html(article),
        "url": article.url,
        "is_saved": int(saved),
        "is_read": int(read),
        "created_on_time": seconds(article.published_at),
    }


def id_list(session: Session, condition: ColumnElement[bool]) -> str:
    query = select(Article.item_no).where(condition).order_by(Article.item_no)
    return ",".join(str(n) for n in session.scalars(query))


def apply_mark(session: Session, reader: AppReader, params: Params) -> None:
    """mark=item (as read, unread, saved, unsaved), or mark=feed / mark=group as read up to ``before``."""
    kind, state, target = value(params, "mark"), value(params, "as"), value(params, "id")
    if not target.lstrip("-").isdigit() or len(target) > 19:
        raise HTTPException(400, "id is not a number")
    if kind == "item":
        article_ids = list(session.scalars(select(Article.id).where(Article.item_no == int(target))))
        if state in ("read", "unread"):
            set_read(session, reader.id, article_ids, state == "read")
        elif state in ("saved", "unsaved"):
            set_starred(session, reader.id, article_ids, state == "saved")
        return
    if state != "read" or kind not in ("feed", "group"):
        raise HTTPException(400, f"cannot mark a {kind} as {state}")
    before = value(params, "before")
    until = (
        EPOCH + timedelta(seconds=int(before)) if before.isdigit() and len(before) < 12 else datetime.now(UTC)
    )
    user = session.get(User, reader.id)
    assert user is not None
    mark_all_read(
        session, user, reader.horizon, min(until, datetime.now(UTC)), mark_scope(session, kind, int(target))
    )


def mark_scope(session: Session, kind: str, target: int) -> ColumnElement[bool] | None:
    """The articles a feed or group mark covers (None: group 0, everything)."""
    if kind == "feed":
        return Article.source_id == target
    if target == 0:
        return None
    feeds = source_feeds(session)
    return any_of([f.condition for f in feeds if f.folder and group_id(f.folder) == target])


def fever_answer(request: Request, reader: AppReader, params: Params) -> dict[str, Any]:
    """The parts the request asks for (several at once are allowed), after applying any mark."""
    asked = {k for k, _ in params}
    answer: dict[str, Any] = {"api_version": API_VERSION, "auth": 1}
    with transaction(app_store(request).sessions) as session:
        if value(params, "mark"):
            apply_mark(session, reader, params)
        feeds = source_feeds(session)
        if "groups" in asked:
            answer.update(groups_part(feeds))
        if "feeds" in asked:
            answer.update(feeds_part(session, feeds))
        if "favicons" in asked:
            answer["favicons"] = []
        if "items" in asked:
            answer.update(items_part(session, reader, params))
        if "links" in asked:
            answer["links"] = []
        if "unread_item_ids" in asked:
            answer["unread_item_ids"] = id_list(session, is_unread(reader.id, reader.horizon))
        if "saved_item_ids" in asked:
            answer["saved_item_ids"] = id_list(session, is_starred(reader.id))
        refreshed = session.scalar(select(func.max(Source.last_success_at)).where(true()))
    answer["last_refreshed_on_time"] = seconds(refreshed) or int(datetime.now(UTC).timestamp())
    return answer


@router.api_route("/api/fever.php", methods=["GET", "POST"])
async def fever(request: Request) -> dict[str, Any]:
    params = await request_params(request)
    reader = await run_in_threadpool(fever_reader, request, params)
    if reader is None:
        return {"api_version": API_VERSION, "auth": 0}
    return await run_in_threadpool(fever_answer, request, reader, params)
