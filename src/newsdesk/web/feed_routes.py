"""Output feed routes: latest, edition, category, source, hashtag, story, briefing, search in every format."""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from newsdesk.store.models import Article
from newsdesk.store.search import SearchFilters
from newsdesk.web.context import (
    NotFound,
    articles_page,
    category_context,
    edition_context,
    source_context,
)
from newsdesk.web.feeds import FORMATS, FeedInfo, FeedItem, feed_item, last_modified, render_feed
from newsdesk.web.pages.respond import StoreDep, site_store
from newsdesk.web.searching import search_context
from newsdesk.web.stories import hashtag_context, story_context, top_stories_context

router = APIRouter(include_in_schema=False)


def feed_items(
    session: Session, summaries: list[dict[str, Any]], base: str, full_text: bool
) -> list[FeedItem]:
    """The feed entries of listed articles (one query for their texts, authors and sources)."""
    ids = [s["id"] for s in summaries]
    articles = {a.id: a for a in session.scalars(select(Article).where(Article.id.in_(ids)))}
    return [feed_item(articles[s["id"]], s, base, full_text) for s in summaries if s["id"] in articles]


def not_modified_since(request: Request, changed: datetime) -> bool:
    """True when the client's If-Modified-Since is at or after the feed's last change (to the second)."""
    header = request.headers.get("if-modified-since", "")
    try:
        since = parsedate_to_datetime(header) if header else None
    except (TypeError, ValueError, IndexError):
        return False
    return since is not None and since.tzinfo is not None and changed.replace(microsecond=0) <= since


def respond(request: Request, fmt: str, title: str, page: str, summaries: list[dict[str, Any]]) -> Response:
    if fmt not in FORMATS:
        raise NotFound(f"no feed format {fmt}")
    base: str = request.app.state.public_url  # never the Host header: feeds are cached and shared
    query = f"?{request.url.query}" if request.url.query else ""
    full_text = request.app.state.settings.feed_content == "text"
    with site_store(request).session() as session:
        items = feed_items(session, summaries, base, full_text)
    changed = last_modified(items)
    headers = {"Last-Modified": format_datetime(changed, usegmt=True)}
    if not_modified_since(request, changed):
        return Response(status_code=304, headers=headers)
    info = FeedInfo(title, base + page, base + request.url.path + query)
    return Response(render_feed(fmt, info, items), media_type=FORMATS[fmt], headers=headers)


@router.get("/feeds/latest.{fmt}", include_in_schema=False)
def latest_feed(request: Request, store: StoreDep, fmt: str) -> Response:
    with store.session() as session:
        items = articles_page(session, None, 50)["items"]
    return respond(request, fmt, "newsdesk: latest news", "/", items)


@router.get("/feeds/edition/{code}.{fmt}", include_in_schema=False)
def edition_feed(request: Request, store: StoreDep, code: str, fmt: str) -> Response:
    with store.session() as session:
        context = edition_context(session, code, None, 50)
    edition = context["edition"]
    title = f"newsdesk: {edition['name']} edition"
    return respond(request, fmt, title, f"/en/edition/{edition['code']}", context["items"])


@router.get("/feeds/category/{slug}.{fmt}", include_in_schema=False)
def category_feed(request: Request, store: StoreDep, slug: str, fmt: str) -> Response:
    with store.session() as session:
        context = category_context(session, slug, None, 50)
    name = context["category"]["name"]
    return respond(request, fmt, f"newsdesk: {name}", f"/en/category/{slug}", context["items"])


@router.get("/feeds/source/{slug}.{fmt}", include_in_schema=False)
def source_feed(request: Request, store: StoreDep, slug: str, fmt: str) -> Response:
    with store.session() as session:
        context = source_context(session, slug, None, 50)
    name = context["source"]["name"]
    return respond(request, fmt, f"newsdesk: {name}", f"/en/source/{slug}", context["items"])


@router.get("/feeds/hashtag/{slug}.{fmt}", include_in_schema=False)
def hashtag_feed(request: Request, store: StoreDep, slug: str, fmt: str) -> Response:
    with store.session() as session:
        context = hashtag_context(session, slug, None, 50)
    title = f"newsdesk: #{context['tag']['name']}"
    return respond(request, fmt, title, f"/en/hashtag/{slug}", context["items"])


@router.get("/feeds/story/{story_id}.{fmt}", include_in_schema=False)
def story_feed(request: Request, store: StoreDep, story_id: str, fmt: str) -> Response:
    with store.session() as session:
        context = story_context(session, story_id.lower())
    items = list(reversed(context["timeline"]))
    return respond(request, fmt, f"newsdesk: {context['story']['title']}", context["story"]["url"], items)


@router.get("/feeds/briefing.{fmt}", include_in_schema=False)
def briefing_feed(request: Request, store: StoreDep, fmt: str) -> Response:
    with store.session() as session:
        top = top_stories_context(session, 10)
    items = [{**s["articles"][0], "title": s["title"], "url": s["url"]} for s in top if s["articles"]]
    return respond(request, fmt, "newsdesk: daily briefing", "/en/briefing", items)


@router.get("/feeds/search.{fmt}", include_in_schema=False)
def search_feed(
    request: Request, store: StoreDep, fmt: str, q: str = Query(..., min_length=1, max_length=500)
) -> Response:
    with store.session() as session:
        items = search_context(session, q, SearchFilters(), 1, 50)["items"]
    return respond(request, fmt, f"newsdesk: search for {q}", f"/en/search?q={quote(q)}", items)
