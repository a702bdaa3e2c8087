"""Reader-API streams: item pages as JSON and as Atom, item ids, items by id."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy import ColumnElement, and_, not_, or_, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from newsdesk.store.models import Article
from newsdesk.store.reading import (
    starred_among,
    unread_among,
)
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
    app_feeds,
    article_html,
    normal_stream,
    stream_condition,
)
from newsdesk.web.greader.protocol import (
    ATOM_NS,
    BASE,
    CONTINUATION,
    DEFAULT_ITEMS,
    EPOCH,
    MAX_ITEMS,
    READER_SCHEME,
    Reader,
    from_seconds,
    long_id,
    parse_item_id,
    route,
    site_base,
    usec,
)


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
