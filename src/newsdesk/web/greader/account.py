"""Reader-API log-in, the user, and the lists an app reads first: subscriptions, tags, unread counts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Request
from fastapi.responses import PlainTextResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from newsdesk.store.app_passwords import reader_token
from newsdesk.store.models import Article
from newsdesk.store.reading import (
    unread_counts,
    unread_within,
)
from newsdesk.web.app_access import (
    AppReader,
    app_store,
    log_in_app,
    request_params,
    value,
)
from newsdesk.web.app_feeds import (
    LABEL,
    STATE,
    AppFeed,
    any_of,
    app_feeds,
    folders_of,
)
from newsdesk.web.greader.protocol import (
    MAX_ITEMS,
    Reader,
    edit_token,
    route,
    site_base,
    usec,
)


@route("/accounts/ClientLogin", ["POST"])
async def client_login(request: Request) -> Response:
    """Email (the user name) and Passwd (an app password) give the token every other call sends."""
    params = await request_params(request)
    try:
        user, row = await run_in_threadpool(
            log_in_app, request, value(params, "Email"), value(params, "Passwd")
        )
    except HTTPException as exc:
        return PlainTextResponse("Error=BadAuthentication\n", status_code=exc.status_code)
    token = reader_token(user, row)
    return PlainTextResponse(f"SID={token}\nLSID=null\nAuth={token}\n")


@route("/reader/api/0/token", ["GET", "POST"])
def token(request: Request, reader: Reader) -> Response:
    return PlainTextResponse(edit_token(request))


@route("/reader/api/0/user-info", ["GET"])
def user_info(reader: Reader) -> dict[str, Any]:
    user = reader.user
    return {
        "userId": str(user.id),
        "userName": user.username,
        "userProfileId": str(user.id),
        "userEmail": user.email,
        "isBloggerUser": False,
        "signupTimeSec": int(user.created_at.timestamp()),
        "isMultiLoginEnabled": False,
    }


# --- subscriptions and tags --------------------------------------------------------------------------------


def subscription_entry(feed: AppFeed) -> dict[str, Any]:
    return {
        "id": feed.stream_id,
        "title": feed.title,
        "categories": [{"id": LABEL + feed.folder, "label": feed.folder}] if feed.folder else [],
        "url": feed.feed_url,
        "htmlUrl": feed.html_url,
        "iconUrl": "",
        "sortid": feed.stream_id,
        "firstitemmsec": "0",
    }


@route("/reader/api/0/subscription/list", ["GET"])
def subscription_list(request: Request, reader: Reader) -> dict[str, Any]:
    with app_store(request).session() as session:
        feeds = app_feeds(session, reader, site_base(request))
    return {"subscriptions": [subscription_entry(f) for f in feeds]}


@route("/reader/api/0/tag/list", ["GET"])
def tag_list(request: Request, reader: Reader) -> dict[str, Any]:
    with app_store(request).session() as session:
        folders = folders_of(app_feeds(session, reader, site_base(request)))
    tags: list[dict[str, Any]] = [{"id": STATE + "starred"}]
    tags += [{"id": LABEL + folder, "type": "folder"} for folder in folders]
    return {"tags": tags}


@route("/reader/api/0/unread-count", ["GET"])
def unread_count(request: Request, reader: Reader) -> dict[str, Any]:
    with app_store(request).session() as session:
        counts = unread_count_entries(session, reader, site_base(request))
    return {"max": MAX_ITEMS, "unreadcounts": counts}


def unread_count_entries(session: Session, reader: AppReader, base: str) -> list[dict[str, Any]]:
    """Unread articles per subscription, per folder and of the whole reading list (only where there are)."""
    feeds = app_feeds(session, reader, base)
    per_source = unread_counts(session, reader.id, reader.horizon, Article.source_id)
    streams: list[tuple[str, tuple[int, datetime | None]]] = []
    for feed in feeds:
        counted = per_source.get(feed.source_id) if feed.source_id is not None else None
        streams.append(
            (feed.stream_id, counted or unread_within(session, reader.id, reader.horizon, feed.condition))
        )
    for folder in folders_of(feeds):
        within = any_of([f.condition for f in feeds if f.folder == folder])
        streams.append((LABEL + folder, unread_within(session, reader.id, reader.horizon, within)))
    total = unread_within(session, reader.id, reader.horizon, any_of([f.condition for f in feeds]))
    streams.append((STATE + "reading-list", total))
    return [
        {"id": stream, "count": count, "newestItemTimestampUsec": str(usec(newest))}
        for stream, (count, newest) in streams
        if count and newest is not None
    ]
