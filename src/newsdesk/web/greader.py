"""The Google Reader API as FreshRSS and Miniflux serve it, under /api/greader, for reader apps."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, TypeVar
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element, SubElement, tostring

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from sqlalchemy import ColumnElement, and_, not_, or_, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from newsdesk.store import transaction
from newsdesk.store.app_passwords import check_reader_token, reader_token
from newsdesk.store.community import follows_of, toggle_follow
from newsdesk.store.models import Article, Source, User
from newsdesk.store.reading import (
    mark_all_read,
    set_read,
    set_starred,
    starred_among,
    unread_among,
    unread_counts,
    unread_within,
)
from newsdesk.store.sources import SourceSpec, add_source, update_source
from newsdesk.web.app_access import (
    AppReader,
    Params,
    app_store,
    authorise,
    log_in_app,
    request_params,
    value,
    values,
)
from newsdesk.web.app_feeds import (
    LABEL,
    STATE,
    VIRTUAL_KINDS,
    VIRTUAL_PREFIX,
    AppFeed,
    any_of,
    app_feeds,
    article_html,
    folders_of,
    normal_stream,
    stream_condition,
)

BASE = "/api/greader"
ITEM_PREFIX = "tag:google.com,2005:reader/item/"
READER_SCHEME = "http://www.google.com/reader/"  # the Atom category scheme Reader clients read states from
ATOM_NS = "http://www.w3.org/2005/Atom"
MAX_ITEMS, DEFAULT_ITEMS = 1000, 20
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CONTINUATION = re.compile(r"^(\d{1,20})_(\d{1,19})$")
Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])

router = APIRouter(include_in_schema=False)


def route(path: str, methods: list[str]) -> Callable[[Endpoint], Endpoint]:
    """Register ``path`` under /api/greader, also after a doubled slash (apps' default URLs end in /)."""

    def register(endpoint: Endpoint) -> Endpoint:
        for prefix in (BASE, BASE + "/"):
            router.add_api_route(prefix + path, endpoint, methods=methods)
        return endpoint

    return register


# --- auth -------------------------------------------------------------------------------------------------


def header_token(request: Request) -> str:
    """The token of 'Authorization: GoogleLogin auth=<token>' ('' without one)."""
    scheme, _, rest = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "googlelogin" or not rest.strip().startswith("auth="):
        return ""
    return rest.strip().removeprefix("auth=")


def api_reader(request: Request) -> AppReader:
    """The reader a Reader-API request acts for; 401 without a live token."""
    token = header_token(request)
    if not token:
        raise HTTPException(401, "no 'Authorization: GoogleLogin auth=…' header")
    return authorise(request, lambda session: check_reader_token(session, token))


def edit_token(request: Request) -> str:
    """The write token (T) of this reader's token: apps fetch it from /token and send it back on writes."""
    return hashlib.sha256(b"edit:" + header_token(request).encode()).hexdigest()[:40]


def bad_edit_token(request: Request, params: Params) -> Response | None:
    """A 401 for a write whose T is not this token's (a write without T relies on the header alone)."""
    sent = [v for k, v in params if k == "T"]
    if not sent or sent[0].strip() == edit_token(request):
        return None
    headers = {"X-Reader-Google-Bad-Token": "true"}
    return PlainTextResponse("bad edit token", status_code=401, headers=headers)


def site_base(request: Request) -> str:
    base: str = request.app.state.public_url
    return base


Reader = Annotated[AppReader, Depends(api_reader)]


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


# --- streams -----------------------------------------------------------------------------------------------


def usec(when: datetime) -> int:
    return (when - EPOCH) // timedelta(microseconds=1)


def from_seconds(text: str, name: str) -> datetime:
    """A Unix time the app sent (seconds; milliseconds and microseconds are taken too)."""
    if not re.fullmatch(r"\d{1,20}", text.strip()):
        raise HTTPException(400, f"{name} is not a Unix time")
    number = int(text)
    seconds = number / 1_000_000 if number > 10**14 else number / 1000 if number > 10**11 else number
    return EPOCH + timedelta(seconds=min(seconds, 10**10))


def long_id(item_no: int) -> str:
    return f"{ITEM_PREFIX}{item_no:016x}"


def parse_item_id(text: str) -> int | None:
    """An item number from its long form (tag:…/item/<16 hex>), its decimal short form, or bare hex."""
    text = text.strip()
    try:
        if text.startswith(ITEM_PREFIX):
            return int(text.removeprefix(ITEM_PREFIX), 16)
        if re.fullmatch(r"-?\d{1,20}", text):
            number = int(text)
            return number + 2**64 if number < 0 else number  # apps keep the 64 bits signed
        if re.fullmatch(r"[0-9a-fA-F]{16}", text):
            return int(text, 16)
    except ValueError:
        return None
    return None


@dataclass(frozen=True)
class StreamQuery:
    """What a stream request asks for: the stream, how many, from where, which states and times."""

    stream_id: str
    count: int = DEFAULT_ITEMS
    continuation: tuple[datetime, int] | None = None
    oldest: datetime | None = None
    newest: datetime | None = None
    exclude: list[str] = field(default_factory=list)
    include: list[str] = field(default_factory=list)
    oldest_first: bool = False


def parse_stream_query(stream_id: str, params: Params) -> StreamQuery:
    """Read n, c, ot, nt, xt, it and r (r=o: oldest first); a malformed value is a 400."""
    count = value(params, "n", str(DEFAULT_ITEMS))
    if not count.isdigit():
        raise HTTPException(400, "n is not a number")
    continuation = None
    if value(params, "c"):
        match = CONTINUATION.match(value(params, "c"))
        if match is None:
            raise HTTPException(400, "c is not a continuation this API wrote")
        continuation = (EPOCH + timedelta(microseconds=int(match[1])), int(match[2]))
    return StreamQuery(
        stream_id=stream_id or STATE + "reading-list",
        count=max(1, min(int(count), MAX_ITEMS)),
        continuation=continuation,
        oldest=from_seconds(value(params, "ot"), "ot") if value(params, "ot") else None,
        newest=from_seconds(value(params, "nt"), "nt") if value(params, "nt") else None,
        exclude=values(params, "xt"),
        include=values(params, "it"),
        oldest_first=value(params, "r") == "o",
    )


def stream_where(session: Session, reader: AppReader, query: StreamQuery, base: str) -> ColumnElement[bool]:
    """The condition of a stream with its filters: states excluded (xt) or required (it), times (ot, nt)."""
    conditions = [stream_condition(session, reader, query.stream_id, base)]
    conditions += [not_(stream_condition(session, reader, s, base)) for s in query.exclude]
    conditions += [stream_condition(session, reader, s, base) for s in query.include]
    if query.oldest is not None:
        conditions.append(Article.published_at >= query.oldest)
    if query.newest is not None:
        conditions.append(Article.published_at <= query.newest)
    return and_(*conditions)


def stream_page(
    session: Session, reader: AppReader, query: StreamQuery, base: str
) -> tuple[list[Article], str | None]:
    """One page of a stream, newest first (or oldest first), with the continuation of the next page."""
    select_articles = select(Article).where(stream_where(session, reader, query, base))
    if query.continuation is not None:
        when, item_no = query.continuation
        if query.oldest_first:
            after = or_(
                Article.published_at > when, and_(Article.published_at == when, Article.item_no > item_no)
            )
        else:
            after = or_(
                Article.published_at < when, and_(Article.published_at == when, Article.item_no < item_no)
            )
        select_articles = select_articles.where(after)
    order = (Article.published_at, Article.item_no)
    select_articles = select_articles.order_by(*(o if query.oldest_first else o.desc() for o in order))
    rows = list(session.scalars(select_articles.limit(query.count + 1)))
    more = len(rows) > query.count
    rows = rows[: query.count]
    last = rows[-1] if rows else None
    continuation = f"{usec(last.published_at)}_{last.item_no}" if more and last is not None else None
    return rows, continuation


def item_entries(session: Session, reader: AppReader, articles: list[Article]) -> list[dict[str, Any]]:
    """Articles as Reader-API items, with the reader's read and starred states as categories."""
    ids = [a.id for a in articles]
    unread = unread_among(session, reader.id, reader.horizon, ids)
    starred = starred_among(session, reader.id, ids)
    return [item_entry(a, a.id not in unread, a.id in starred) for a in articles]


def item_categories(article: Article, read: bool, starred: bool) -> list[str]:
    categories = [STATE + "reading-list"]
    categories += [LABEL + article.source.folder] if article.source.folder else []
    categories += [STATE + "read"] if read else []
    categories += [STATE + "starred"] if starred else []
    return categories


def item_entry(article: Article, read: bool, starred: bool) -> dict[str, Any]:
    assert article.item_no is not None
    updated = article.updated_at or article.published_at
    return {
        "id": long_id(article.item_no),
        "crawlTimeMsec": str(usec(article.first_seen_at) // 1000),
        "timestampUsec": str(usec(article.published_at)),
        "published": int(article.published_at.timestamp()),
        "updated": int(updated.timestamp()),
        "title": article.title,
        "canonical": [{"href": article.canonical_url}],
        "alternate": [{"href": article.url, "type": "text/html"}],
        "categories": item_categories(article, read, starred),
        "origin": {
            "streamId": f"feed/{article.source_id}",
            "title": article.source.name,
            "htmlUrl": article.source.site_url,
        },
        "summary": {"direction": "ltr", "content": article_html(article)},
        "author": article.byline,
    }


def stream_contents_body(request: Request, reader: AppReader, query: StreamQuery) -> dict[str, Any]:
    with app_store(request).session() as session:
        articles, continuation = stream_page(session, reader, query, site_base(request))
        items = item_entries(session, reader, articles)
    body: dict[str, Any] = {
        "id": query.stream_id,
        "updated": int(datetime.now(UTC).timestamp()),
        "items": items,
    }
    if continuation:
        body["continuation"] = continuation
    return body


@route("/reader/api/0/stream/contents/{stream_id:path}", ["GET", "POST"])
async def stream_contents(request: Request, stream_id: str, reader: Reader) -> dict[str, Any]:
    query = parse_stream_query(stream_id, await request_params(request))
    return await run_in_threadpool(stream_contents_body, request, reader, query)


@route("/reader/api/0/stream/contents", ["GET", "POST"])
async def stream_contents_by_param(request: Request, reader: Reader) -> dict[str, Any]:
    params = await request_params(request)
    query = parse_stream_query(value(params, "s"), params)
    return await run_in_threadpool(stream_contents_body, request, reader, query)


def item_ids_body(request: Request, reader: AppReader, query: StreamQuery) -> dict[str, Any]:
    with app_store(request).session() as session:
        articles, continuation = stream_page(session, reader, query, site_base(request))
    refs = [
        {
            "id": str(a.item_no),
            "directStreamIds": [f"feed/{a.source_id}"],
            "timestampUsec": str(usec(a.published_at)),
        }
        for a in articles
    ]
    body: dict[str, Any] = {"itemRefs": refs}
    if continuation:
        body["continuation"] = continuation
    return body


@route("/reader/api/0/stream/items/ids", ["GET", "POST"])
async def stream_item_ids(request: Request, reader: Reader) -> dict[str, Any]:
    params = await request_params(request)
    query = parse_stream_query(value(params, "s"), params)
    return await run_in_threadpool(item_ids_body, request, reader, query)


def articles_by_item(session: Session, texts: list[str]) -> list[Article]:
    """The articles of item ids in any form apps send (unknown ones left out), newest first."""
    numbers = {n for n in (parse_item_id(t) for t in texts) if n is not None and n < 2**63}
    if not numbers:
        return []
    query = (
        select(Article)
        .where(Article.item_no.in_(sorted(numbers)))
        .order_by(Article.published_at.desc(), Article.item_no.desc())
    )
    return list(session.scalars(query))


def item_contents_body(request: Request, reader: AppReader, ids: list[str]) -> dict[str, Any]:
    with app_store(request).session() as session:
        items = item_entries(session, reader, articles_by_item(session, ids[:MAX_ITEMS]))
    return {"id": STATE + "reading-list", "updated": int(datetime.now(UTC).timestamp()), "items": items}


@route("/reader/api/0/stream/items/contents", ["GET", "POST"])
async def stream_item_contents(request: Request, reader: Reader) -> dict[str, Any]:
    params = await request_params(request)
    return await run_in_threadpool(item_contents_body, request, reader, values(params, "i"))


# --- marks -------------------------------------------------------------------------------------------------


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


# --- Atom streams (what newsboat's FeedHQ mode reads) -------------------------------------------------------


def atom_stream(request: Request, reader: AppReader, query: StreamQuery) -> bytes:
    """A stream as Atom: Reader item ids, and the reader's states as categories in Google Reader's scheme."""
    base = site_base(request)
    with app_store(request).session() as session:
        articles, continuation = stream_page(session, reader, query, base)
        ids = [a.id for a in articles]
        unread = unread_among(session, reader.id, reader.horizon, ids)
        starred = starred_among(session, reader.id, ids)
        title = stream_title(session, reader, query.stream_id, base)
    feed = Element("feed", {"xmlns": ATOM_NS, "xmlns:gr": READER_SCHEME})
    SubElement(feed, "id").text = f"{base}{BASE}/reader/atom/{query.stream_id}"
    SubElement(feed, "title").text = title
    SubElement(feed, "updated").text = datetime.now(UTC).isoformat()
    if continuation:
        SubElement(feed, "gr:continuation").text = continuation
    for article in articles:
        atom_entry(feed, article, article.id not in unread, article.id in starred)
    document: bytes = tostring(feed, encoding="utf-8", xml_declaration=True)
    return document


def stream_title(session: Session, reader: AppReader, stream_id: str, base: str) -> str:
    stream = normal_stream(stream_id)
    feed = next((f for f in app_feeds(session, reader, base) if f.stream_id == stream), None)
    return feed.title if feed is not None else stream.rsplit("/", 1)[-1]


def atom_entry(feed: Element, article: Article, read: bool, starred: bool) -> None:
    assert article.item_no is not None
    entry = SubElement(feed, "entry")
    SubElement(entry, "id").text = long_id(article.item_no)
    SubElement(entry, "title", type="text").text = article.title
    SubElement(entry, "published").text = article.published_at.isoformat()
    SubElement(entry, "updated").text = (article.updated_at or article.published_at).isoformat()
    SubElement(entry, "link", rel="alternate", href=article.url, type="text/html")
    if article.byline:
        SubElement(SubElement(entry, "author"), "name").text = article.byline
    states = [*(["read"] if read else ["fresh"]), *(["starred"] if starred else [])]
    for state in ["reading-list", *states]:
        SubElement(entry, "category", term=STATE + state, scheme=READER_SCHEME, label=state)
    SubElement(entry, "content", type="html").text = article_html(article)
    source = SubElement(entry, "source")
    SubElement(source, "id").text = f"feed/{article.source_id}"
    SubElement(source, "title").text = article.source.name


@route("/reader/atom/{stream_id:path}", ["GET"])
async def atom(request: Request, stream_id: str, reader: Reader) -> Response:
    query = parse_stream_query(stream_id, await request_params(request))
    body = await run_in_threadpool(atom_stream, request, reader, query)
    return Response(body, media_type="application/atom+xml; charset=utf-8")
