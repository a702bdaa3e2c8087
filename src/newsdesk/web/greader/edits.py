"""Reader-API writes: read and starred marks, mark-all-as-read, subscribing and editing subscriptions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from newsdesk.store import transaction
from newsdesk.store.community import follows_of, toggle_follow
from newsdesk.store.models import Source, User
from newsdesk.store.reading import (
    mark_all_read,
    set_read,
    set_starred,
)
from newsdesk.store.sources import SourceSpec, add_source, update_source
from newsdesk.web.app_access import (
    AppReader,
    Params,
    app_store,
    request_params,
    value,
    values,
)
from newsdesk.web.app_feeds import (
    LABEL,
    STATE,
    VIRTUAL_KINDS,
    VIRTUAL_PREFIX,
    normal_stream,
    stream_condition,
)
from newsdesk.web.greader.protocol import (
    Reader,
    bad_edit_token,
    from_seconds,
    route,
    site_base,
)
from newsdesk.web.greader.streams import articles_by_item


def apply_tags(
    request: Request, reader: AppReader, ids: list[str], add: list[str], remove: list[str]
) -> None:
    """Read, unread (kept-unread) and starred marks on items; other tags (labels, broadcast) are ignored."""
    states = (
        {normal_stream(t).removeprefix(STATE) for t in add},
        {normal_stream(t).removeprefix(STATE) for t in remove},
    )
    with transaction(app_store(request).sessions) as session:
        article_ids = [a.id for a in articles_by_item(session, ids)]
        if "read" in states[0] or "read" in states[1] or "kept-unread" in states[0]:
            set_read(session, reader.id, article_ids, "read" in states[0] and "kept-unread" not in states[0])
        if "starred" in states[0] or "starred" in states[1]:
            set_starred(session, reader.id, article_ids, "starred" in states[0])


@route("/reader/api/0/edit-tag", ["POST"])
async def edit_tag(request: Request, reader: Reader) -> Response:
    params = await request_params(request)
    if refused := bad_edit_token(request, params):
        return refused
    ids = values(params, "i")
    if not ids:
        raise HTTPException(400, "no item (i) given")
    await run_in_threadpool(apply_tags, request, reader, ids, values(params, "a"), values(params, "r"))
    return PlainTextResponse("OK")


def mark_stream_read(request: Request, reader: AppReader, stream_id: str, before: datetime) -> None:
    base = site_base(request)
    with transaction(app_store(request).sessions) as session:
        user = session.get(User, reader.id)
        assert user is not None
        whole = normal_stream(stream_id) == STATE + "reading-list"
        within = None if whole else stream_condition(session, reader, stream_id, base)
        mark_all_read(session, user, reader.horizon, before, within)


@route("/reader/api/0/mark-all-as-read", ["POST"])
async def mark_all_as_read(request: Request, reader: Reader) -> Response:
    """Mark a stream read up to ts (microseconds; default now), as an app's 'mark all read' does."""
    params = await request_params(request)
    if refused := bad_edit_token(request, params):
        return refused
    stream_id = value(params, "s")
    if not stream_id:
        raise HTTPException(400, "no stream (s) given")
    now = datetime.now(UTC)
    before = min(from_seconds(value(params, "ts"), "ts"), now) if value(params, "ts") else now
    await run_in_threadpool(mark_stream_read, request, reader, stream_id, before)
    return PlainTextResponse("OK")


# --- subscribing -------------------------------------------------------------------------------------------


def follow_target(stream_id: str) -> tuple[str, str] | None:
    """(kind, target) of a virtual feed's stream id (None for a source)."""
    if not stream_id.startswith(f"feed/{VIRTUAL_PREFIX}"):
        return None
    kind, _, target = stream_id.removeprefix(f"feed/{VIRTUAL_PREFIX}").partition(":")
    return (kind, target) if kind in VIRTUAL_KINDS and target else None


def require_admin(reader: AppReader) -> None:
    if not reader.user.is_admin:
        raise HTTPException(403, "only administrators can change the site's sources")


def folder_of(labels: list[str]) -> str:
    return next(
        (
            normal_stream(label).removeprefix(LABEL)
            for label in labels
            if normal_stream(label).startswith(LABEL)
        ),
        "",
    )


def subscribe_source(session: Session, url: str, title: str, folder: str) -> Source:
    """Add a source by its feed URL (or enable the one there is), with the app's title and folder."""
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise HTTPException(400, f"{url!r} is not an http(s) feed URL")
    source, created = add_source(
        session, SourceSpec(feed_url=url, name=title or urlsplit(url).netloc, folder=folder)
    )
    if not created and not source.enabled:
        update_source(session, source, {"enabled": True})
    return source


def find_stream_source(session: Session, stream_id: str) -> Source:
    key = stream_id.removeprefix("feed/")
    query = select(Source).where(Source.feed_url == key)
    if key.isdigit() and len(key) < 19:
        query = select(Source).where(Source.id == int(key))
    source = session.scalars(query).first()
    if source is None:
        raise HTTPException(404, f"no subscription {stream_id}")
    return source


def edit_subscription(reader: AppReader, request: Request, params: Params) -> None:
    """subscribe, unsubscribe or edit (title, folder): sources for administrators, virtual feeds for all."""
    action, title = value(params, "ac"), value(params, "t")
    with transaction(app_store(request).sessions) as session:
        for stream_id in values(params, "s"):
            follow = follow_target(stream_id)
            if follow is not None:
                following = follow in follows_of(session, reader.id)
                if action in ("subscribe", "unsubscribe") and following != (action == "subscribe"):
                    toggle_follow(session, reader.id, *follow)
                continue
            require_admin(reader)
            if action == "subscribe":
                subscribe_source(
                    session, stream_id.removeprefix("feed/"), title, folder_of(values(params, "a"))
                )
                continue
            source = find_stream_source(session, stream_id)
            if action == "unsubscribe":
                update_source(session, source, {"enabled": False})
            elif action == "edit":
                edit_source(source, title, values(params, "a"), values(params, "r"))
            else:
                raise HTTPException(400, f"unknown action {action!r}")


def edit_source(source: Source, title: str, add: list[str], remove: list[str]) -> None:
    if title:
        source.name = title[:200]
    if folder_of(add):
        source.folder = folder_of(add)[:500]
    elif folder_of(remove) == source.folder:
        source.folder = ""


@route("/reader/api/0/subscription/edit", ["POST"])
async def subscription_edit(request: Request, reader: Reader) -> Response:
    params = await request_params(request)
    if refused := bad_edit_token(request, params):
        return refused
    if not values(params, "s"):
        raise HTTPException(400, "no stream (s) given")
    await run_in_threadpool(edit_subscription, reader, request, params)
    return PlainTextResponse("OK")


def quick_add(request: Request, reader: AppReader, url: str) -> dict[str, Any]:
    """Find the feeds of a page or feed URL (as the admin page does) and add them; the first is answered."""
    from newsdesk.fetch import make_fetcher
    from newsdesk.pipeline.discover import SourceProblem, find_feeds

    require_admin(reader)
    url = url.removeprefix("feed/")
    if urlsplit(url).scheme not in ("http", "https"):
        raise HTTPException(400, f"{url!r} is not an http(s) URL")
    try:
        feeds = find_feeds(make_fetcher(request.app.state.settings), url)
    except SourceProblem as exc:
        return {"numResults": 0, "query": url, "error": str(exc)}
    with transaction(app_store(request).sessions) as session:
        sources = [subscribe_source(session, feed_url, feed.title, "") for feed_url, feed in feeds]
        first = sources[0]
        return {
            "numResults": len(sources),
            "query": url,
            "streamId": f"feed/{first.id}",
            "streamName": first.name,
        }


@route("/reader/api/0/subscription/quickadd", ["POST"])
async def subscription_quickadd(request: Request, reader: Reader) -> Response:
    params = await request_params(request)
    if refused := bad_edit_token(request, params):
        return refused
    url = value(params, "quickadd")
    if not url:
        raise HTTPException(400, "no URL (quickadd) given")
    return JSONResponse(await run_in_threadpool(quick_add, request, reader, url))
