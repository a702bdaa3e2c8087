"""Output feed routes: latest, edition, category, source, hashtag, story, briefing, search in every format."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Query, Request
from fastapi.responses import Response

from newsdesk.store import Store
from newsdesk.store.search import SearchFilters
from newsdesk.web.context import (
    NotFound,
    articles_page,
    category_context,
    edition_context,
    source_context,
)
from newsdesk.web.feeds import FORMATS, render_feed
from newsdesk.web.searching import search_context
from newsdesk.web.stories import hashtag_context, story_context, top_stories_context


def add_feed_routes(app: FastAPI, store: Store) -> None:
    def respond(request: Request, fmt: str, title: str, page: str, items: list[dict[str, Any]]) -> Response:
        if fmt not in FORMATS:
            raise NotFound(f"no feed format {fmt}")
        base: str = request.app.state.public_url  # never the Host header: feeds are cached and shared
        query = f"?{request.url.query}" if request.url.query else ""
        body = render_feed(fmt, title, base + page, base + request.url.path + query, items, base)
        return Response(body, media_type=FORMATS[fmt])

    @app.get("/feeds/latest.{fmt}", include_in_schema=False)
    def latest_feed(request: Request, fmt: str) -> Response:
        with store.session() as session:
            items = articles_page(session, None, 50)["items"]
        return respond(request, fmt, "newsdesk: latest news", "/", items)

    @app.get("/feeds/edition/{code}.{fmt}", include_in_schema=False)
    def edition_feed(request: Request, code: str, fmt: str) -> Response:
        with store.session() as session:
            context = edition_context(session, code, None, 50)
        edition = context["edition"]
        title = f"newsdesk: {edition['name']} edition"
        return respond(request, fmt, title, f"/en/edition/{edition['code']}", context["items"])

    @app.get("/feeds/category/{slug}.{fmt}", include_in_schema=False)
    def category_feed(request: Request, slug: str, fmt: str) -> Response:
        with store.session() as session:
            context = category_context(session, slug, None, 50)
        name = context["category"]["name"]
        return respond(request, fmt, f"newsdesk: {name}", f"/en/category/{slug}", context["items"])

    @app.get("/feeds/source/{slug}.{fmt}", include_in_schema=False)
    def source_feed(request: Request, slug: str, fmt: str) -> Response:
        with store.session() as session:
            context = source_context(session, slug, None, 50)
        name = context["source"]["name"]
        return respond(request, fmt, f"newsdesk: {name}", f"/en/source/{slug}", context["items"])

    @app.get("/feeds/hashtag/{slug}.{fmt}", include_in_schema=False)
    def hashtag_feed(request: Request, slug: str, fmt: str) -> Response:
        with store.session() as session:
            context = hashtag_context(session, slug, None, 50)
        title = f"newsdesk: #{context['tag']['name']}"
        return respond(request, fmt, title, f"/en/hashtag/{slug}", context["items"])

    @app.get("/feeds/story/{story_id}.{fmt}", include_in_schema=False)
    def story_feed(request: Request, story_id: str, fmt: str) -> Response:
        with store.session() as session:
            context = story_context(session, story_id.lower())
        items = list(reversed(context["timeline"]))
        return respond(request, fmt, f"newsdesk: {context['story']['title']}", context["story"]["url"], items)

    @app.get("/feeds/briefing.{fmt}", include_in_schema=False)
    def briefing_feed(request: Request, fmt: str) -> Response:
        with store.session() as session:
            top = top_stories_context(session, 10)
        items = [{**s["articles"][0], "title": s["title"], "url": s["url"]} for s in top if s["articles"]]
        return respond(request, fmt, "newsdesk: daily briefing", "/en/briefing", items)

    @app.get("/feeds/search.{fmt}", include_in_schema=False)
    def search_feed(
        request: Request, fmt: str, q: str = Query(..., min_length=1, max_length=500)
    ) -> Response:
        with store.session() as session:
            items = search_context(session, q, SearchFilters(), 1, 50)["items"]
        return respond(request, fmt, f"newsdesk: search for {q}", f"/en/search?q={quote(q)}", items)
