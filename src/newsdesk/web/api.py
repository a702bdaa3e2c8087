"""The JSON API under /api/v1: the twin of every page, fed by the same context functions."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request

from newsdesk.ai import LLMSettings
from newsdesk.store import Store
from newsdesk.store.search import SearchFilters
from newsdesk.web.accounts import current_user
from newsdesk.web.asking import ask
from newsdesk.web.briefing import briefing_context
from newsdesk.web.context import (
    articles_page,
    category_context,
    category_list,
    edition_context,
    home_context,
    source_context,
    sources_context,
)
from newsdesk.web.i18n import PageLanguage, current_language
from newsdesk.web.params import MAX_ID, BriefingDay, ReaderDay
from newsdesk.web.searching import search_context
from newsdesk.web.stories import full_article_context, hashtag_context, story_context, top_stories_context

# The paging parameters every list takes (give them defaults: `cursor: Cursor = None, limit: Limit = 30`).
Cursor = Annotated[str | None, Query(max_length=200, description="The next_cursor of the previous page")]
Limit = Annotated[int, Query(ge=1, le=100)]
Day = Annotated[ReaderDay | None, Query(description="A day, YYYY-MM-DD")]
# The reader's language: headlines, summaries, key-fact labels and hashtags as its pages show them.
Lang = Annotated[
    PageLanguage, Query(description="The reader's language (en, de or es), as on /{lang}/ pages")
]


def search_filters(
    category: str | None, source: int | None, language: str | None, since: date | None, until: date | None
) -> SearchFilters:
    return SearchFilters(
        category=category or None,
        source_id=source,
        language=language or None,
        since=datetime.combine(since, time(), UTC) if since else None,
        until=datetime.combine(until, time(), UTC) + timedelta(days=1) if until else None,
    )


def add_api_routes(app: FastAPI, store: Store, llm: LLMSettings | None = None) -> None:
    @app.get("/api/v1/articles", tags=["articles"], summary="Latest articles, newest first")
    def api_articles(
        cursor: Cursor = None,
        limit: Limit = 30,
        source_id: int | None = Query(None, alias="source", ge=1, le=MAX_ID),
        category: str | None = Query(None, max_length=40),
        language: str | None = Query(None, max_length=12),
        lang: Lang = "en",
    ) -> dict[str, Any]:
        current_language.set(lang)  # this request's copy of the context: its own
        with store.session() as session:
            return articles_page(
                session, cursor, limit, source_id=source_id, category=category, language=language
            )

    @app.get("/api/v1/articles/{article_id}", tags=["articles"], summary="One article")
    def api_article(article_id: str, lang: Lang = "en") -> dict[str, Any]:
        current_language.set(lang)  # this request's copy of the context: its own
        with store.session() as session:
            return full_article_context(session, article_id.lower())

    @app.get("/api/v1/ask", tags=["ask"], summary="Answer a question from stored articles, with quotes")
    def api_ask(
        q: str = Query(..., max_length=2000),
        story: str = Query("", max_length=64, description="Ask about this story first"),
    ) -> dict[str, Any]:
        with store.session() as session:
            return ask(session, q, llm, story)

    @app.get(
        "/api/v1/briefing",
        tags=["briefing"],
        summary="The top stories of the last 24 hours, or of one day, with summaries and sources",
    )
    def api_briefing(
        day: BriefingDay = None,
        edition: str | None = Query(None, max_length=2),
        lang: Lang = "en",
    ) -> dict[str, Any]:
        current_language.set(lang)  # this request's copy of the context: its own
        with store.session() as session:
            return briefing_context(session, day, edition)

    @app.get("/api/v1/stories", tags=["stories"], summary="Top stories, ranked by distinct sources")
    def api_stories(limit: int = Query(10, ge=1, le=50), lang: Lang = "en") -> dict[str, Any]:
        current_language.set(lang)  # this request's copy of the context: its own
        with store.session() as session:
            stories = top_stories_context(session, limit)
        return {"items": [{k: v for k, v in s.items() if k != "touches"} for s in stories]}

    @app.get("/api/v1/stories/{story_id}", tags=["stories"], summary="One story: its reports and timeline")
    def api_story(story_id: str, lang: Lang = "en") -> dict[str, Any]:
        current_language.set(lang)  # this request's copy of the context: its own
        with store.session() as session:
            return story_context(session, story_id.lower())

    @app.get("/api/v1/hashtags/{slug}", tags=["hashtags"], summary="Latest news with a hashtag")
    def api_hashtag(slug: str, cursor: Cursor = None, limit: Limit = 30, lang: Lang = "en") -> dict[str, Any]:
        current_language.set(lang)  # this request's copy of the context: its own
        with store.session() as session:
            return hashtag_context(session, slug, cursor, limit)

    @app.get("/api/v1/sources", tags=["sources"], summary="Sources with their polling health")
    def api_sources(request: Request) -> dict[str, Any]:
        """Feed URLs and error texts are listed for administrators only."""
        user = current_user(request, store)
        with store.session() as session:
            return sources_context(session, private=user is not None and user.is_admin)

    @app.get("/api/v1/sources/{slug}", tags=["sources"], summary="One source and its latest articles")
    def api_source(slug: str, cursor: Cursor = None, limit: Limit = 30, lang: Lang = "en") -> dict[str, Any]:
        current_language.set(lang)  # this request's copy of the context: its own
        with store.session() as session:
            return source_context(session, slug, cursor, limit)

    @app.get("/api/v1/home", tags=["pages"], summary="What the home page shows")
    def api_home(cursor: Cursor = None, lang: Lang = "en") -> dict[str, Any]:
        current_language.set(lang)  # this request's copy of the context: its own
        with store.session() as session:
            return home_context(session, cursor)

    @app.get("/api/v1/editions/{code}", tags=["editions"], summary="A regional edition's latest articles")
    def api_edition(code: str, cursor: Cursor = None, limit: Limit = 30, lang: Lang = "en") -> dict[str, Any]:
        current_language.set(lang)  # this request's copy of the context: its own
        with store.session() as session:
            return edition_context(session, code, cursor, limit)

    @app.get("/api/v1/categories", tags=["categories"], summary="The categories")
    def api_categories() -> dict[str, Any]:
        with store.session() as session:
            return {"items": category_list(session)}

    @app.get("/api/v1/categories/{slug}", tags=["categories"], summary="One category's latest articles")
    def api_category(
        slug: str, cursor: Cursor = None, limit: Limit = 30, lang: Lang = "en"
    ) -> dict[str, Any]:
        current_language.set(lang)  # this request's copy of the context: its own
        with store.session() as session:
            return category_context(session, slug, cursor, limit)

    @app.get("/api/v1/search", tags=["search"], summary="Full-text search with filters")
    def api_search(
        q: str = Query(..., max_length=500),
        category: str | None = Query(None, max_length=40),
        source: int | None = Query(None, ge=1, le=MAX_ID),
        language: str | None = Query(None, max_length=12),
        since: Day = None,
        until: Day = None,
        page: int = Query(1, ge=1, le=500),
        per_page: int = Query(20, ge=1, le=100),
        lang: Lang = "en",
    ) -> dict[str, Any]:
        current_language.set(lang)  # this request's copy of the context: its own
        with store.session() as session:
            return search_context(
                session, q, search_filters(category, source, language, since, until), page, per_page
            )
