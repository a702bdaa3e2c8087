"""The FastAPI application: reader pages, their JSON twins under /api/v1, one error shape."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware

from newsdesk import __version__
from newsdesk.ai import LLMSettings
from newsdesk.ai.llm import llm_settings
from newsdesk.settings import Settings, get_settings
from newsdesk.store import Store, open_store
from newsdesk.store.community import is_bookmarked
from newsdesk.store.sources import list_sources
from newsdesk.urls import shown_url
from newsdesk.web.accounts import add_account_routes, current_user, reader_follows, user_context
from newsdesk.web.admin import add_admin_routes
from newsdesk.web.api import Cursor, Day, add_api_routes, search_filters
from newsdesk.web.app_api import app_api_router
from newsdesk.web.asking import ask
from newsdesk.web.assets import add_asset_routes
from newsdesk.web.briefing import add_briefing_routes
from newsdesk.web.cache import TTLCache
from newsdesk.web.comments import comments_context, comments_page_number
from newsdesk.web.context import (
    category_context,
    category_list,
    edition_context,
    editions,
    home_context,
    menu,
    source_context,
    source_summary,
)
from newsdesk.web.docs import add_docs_routes
from newsdesk.web.errors import add_error_handlers
from newsdesk.web.feed_routes import add_feed_routes
from newsdesk.web.feeds import feed_links
from newsdesk.web.following import add_following_routes, record_story_visit
from newsdesk.web.health import add_health_routes
from newsdesk.web.i18n import (
    LANGUAGES,
    PageLanguage,
    current_language,
    file_size,
    gettext,
    ngettext,
    path_in_language,
)
from newsdesk.web.images import add_image_routes
from newsdesk.web.middleware import SiteMiddleware
from newsdesk.web.params import MAX_ID
from newsdesk.web.reader_language import add_root_redirect
from newsdesk.web.searching import search_context
from newsdesk.web.session_key import session_key
from newsdesk.web.shared_pages import is_anonymous, page_for
from newsdesk.web.stories import (
    full_article_context,
    hashtag_context,
    rank_for_reader,
    story_context,
    top_stories_context,
)
from newsdesk.web.telling import language_name
from newsdesk.web.websub import add_websub_routes

log = logging.getLogger("newsdesk.web")
HERE = Path(__file__).parent
ARTICLE_ID = r"^[0-9a-f]{32}$"
TOP_STORIES, TOP_POOL = 8, 24  # top stories shown; leading stories a reader's follows may bring forward


class ErrorDetail(BaseModel):
    status: int
    message: str


class ErrorBody(BaseModel):
    """The one error shape of the API."""

    error: ErrorDetail


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified (the If-None-Match ETag matches)"},
    400: {
        "model": ErrorBody,
        "description": "A parameter is not valid (e.g. a cursor this API did not write)",
    },
    404: {"model": ErrorBody, "description": "No such item"},
    422: {"model": ErrorBody, "description": "A parameter is missing or out of range"},
}


def create_app(
    settings: Settings | None = None,
    store: Store | None = None,
    on_startup: Callable[[], Any] | None = None,
    on_shutdown: Callable[[], Any] | None = None,
) -> FastAPI:
    """Build the site on ``store`` (opened from the settings, read from the environment when not given).

    Without arguments it suits ``uvicorn --factory newsdesk.web.app:create_app`` and `serve --workers N`.
    """
    settings = settings or get_settings()
    the_store = store or open_store(settings.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if on_startup:
            on_startup()
        yield
        if on_shutdown:
            on_shutdown()

    app = FastAPI(
        responses=ERROR_RESPONSES,
        title="newsdesk",
        version=__version__,
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # web/docs.py: Swagger UI from the package, not a CDN the site's CSP blocks
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = the_store
    app.state.public_url = site_url(settings)
    # Pages readers who are not logged in share: fresh 10 s, then served while a new copy is made.
    app.state.shared_pages = TTLCache(10.0, max_items=500, stale_for=60.0)  # about 25 MB of pages at most
    app.state.settings = settings
    templates = Jinja2Templates(
        directory=str(HERE / "templates"),
        context_processors=[
            language_context,
            lambda request: user_context(request, the_store),
            menu(the_store),
        ],
    )
    templates.env.auto_reload = False  # templates ship with the package: no stat() of each one per page
    templates.env.add_extension("jinja2.ext.i18n")
    templates.env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    add_health_routes(app, settings, the_store)
    add_docs_routes(app, templates)  # before the assets: /static would otherwise take /static/swagger-ui/…
    add_asset_routes(app, templates)
    add_error_handlers(app, templates)
    add_api_routes(app, the_store, llm_settings(settings))
    add_image_routes(app, the_store)
    add_feed_routes(app, the_store)  # before the pages: /{lang}/… would otherwise take /feeds/…
    app.include_router(app_api_router)  # reader apps: Google Reader API and Fever, with app passwords
    add_websub_routes(app, settings)  # hubs verify subscriptions and push content at /websub/callback/…
    add_root_redirect(app)
    _add_pages(app, templates, the_store)
    _add_listing_pages(app, templates, the_store, llm_settings(settings))
    add_briefing_routes(app, templates, the_store)
    add_account_routes(app, templates, the_store, settings)
    add_following_routes(app, templates, the_store)
    add_admin_routes(app, templates, the_store, settings)
    templates.env.globals["public_url"] = app.state.public_url
    templates.env.globals["comment_max_chars"] = settings.comment_max_chars
    templates.env.globals["language_name"] = language_name
    templates.env.filters["safe_url"] = shown_url  # links and images: http(s) only, no credentials
    templates.env.filters["filesize"] = file_size
    key = session_key(settings, the_store)
    log.info("session key: %s", key.origin)
    app.add_middleware(SiteMiddleware)
    # Outside SiteMiddleware, so ETags are of the plain body (gzip's output carries a time stamp).
    app.add_middleware(GZipMiddleware, minimum_size=500, compresslevel=6)
    app.add_middleware(
        SessionMiddleware,
        secret_key=key.value,
        session_cookie="newsdesk_session",
        same_site="lax",
        https_only=app.state.public_url.startswith("https://"),
        max_age=30 * 24 * 3600,
    )
    hosts = allowed_hosts(settings)
    if hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=hosts)
    return app


DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


def site_url(settings: Settings) -> str:
    """The site's address for absolute links (never the request's Host header, which anyone can forge)."""
    return (settings.public_url or DEFAULT_PUBLIC_URL).rstrip("/")


def allowed_hosts(settings: Settings) -> list[str]:
    return [h.strip() for h in settings.allowed_hosts.split(",") if h.strip()]


def language_context(request: Request) -> dict[str, Any]:
    """What every page template knows about languages: the current one and this page in the others."""
    return {
        "lang": current_language.get(),
        "languages": LANGUAGES,
        "alternates": {code: path_in_language(request.url.path, code) for code in LANGUAGES},
    }


def _add_pages(app: FastAPI, templates: Jinja2Templates, store: Store) -> None:
    shared: TTLCache = app.state.shared_pages
    article_cache = TTLCache(10.0)
    home_contexts = TTLCache(10.0)

    @app.get("/{lang}/", response_class=HTMLResponse, include_in_schema=False)
    async def home(request: Request, lang: PageLanguage, cursor: Cursor = None) -> Response:
        def build() -> dict[str, Any]:
            with store.session() as session:
                context = home_context(session, cursor)
                context["top_pool"] = top_stories_context(session, TOP_POOL) if not cursor else []
            return context

        def render() -> Response:
            # What every reader sees is built once per 10 s; a reader's follows only reorder top stories.
            context = dict(home_contexts.get(f"{lang}:{cursor}", build))
            follows = reader_follows(request, store)
            context["top_stories"] = rank_for_reader(context["top_pool"], follows, TOP_STORIES)
            context["feeds"] = feed_links(None, "latest", gettext("Latest news"))
            return templates.TemplateResponse(request, "home.html", context)

        # The front page is the same for every reader who is not logged in, for a few seconds.
        return await page_for(request, shared, f"home:{lang}:{cursor}", render)

    @app.get("/{lang}/article/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    async def article_page(
        request: Request, lang: PageLanguage, article_id: str, comments: str = Query("1", max_length=6)
    ) -> Response:
        article_id = article_id.lower()
        comment_page = comments_page_number(comments)

        def build() -> dict[str, Any]:
            with store.session() as session:
                return full_article_context(session, article_id)

        def render() -> Response:
            # What every reader sees of an article changes slowly: kept 10 s; comments and the reader's
            # own bookmarks and follows are read on every request of a logged-in reader.
            user = current_user(request, store)
            context = dict(article_cache.get(f"{lang}:{article_id}", build))
            with store.session() as session:
                context["comments"] = comments_context(session, article_id, comment_page)
                context["bookmarked"] = user is not None and is_bookmarked(session, user.id, article_id)
            context["comment_held"] = request.query_params.get("held") == "1"
            return templates.TemplateResponse(request, "article.html", context)

        key = f"article:{lang}:{article_id}:{comment_page}"
        if request.query_params.get("held") == "1":
            return await run_in_threadpool(render)
        return await page_for(request, shared, key, render)

    @app.get("/manifest.webmanifest", include_in_schema=False)
    def manifest() -> Response:
        body = (HERE / "static" / "manifest.webmanifest").read_bytes()
        return Response(body, media_type="application/manifest+json")

    @app.get("/offline", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/{lang}/offline", response_class=HTMLResponse, include_in_schema=False)
    def offline(request: Request, lang: PageLanguage = "en") -> Response:
        return templates.TemplateResponse(request, "offline.html", {})


def page_url(request: Request, page: int) -> str:
    """This page's URL with another page number."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "page" and v]
    return "?" + urlencode([*params, ("page", str(page))])


def _add_listing_pages(
    app: FastAPI, templates: Jinja2Templates, store: Store, llm: LLMSettings | None = None
) -> None:
    shared: TTLCache = app.state.shared_pages

    @app.get("/{lang}/category/{slug}", response_class=HTMLResponse, include_in_schema=False)
    def category_page(request: Request, lang: PageLanguage, slug: str, cursor: Cursor = None) -> Response:
        with store.session() as session:
            context = category_context(session, slug, cursor)
        context["feeds"] = feed_links(request, f"category/{slug}", context["category"]["name"])
        return templates.TemplateResponse(request, "listing.html", {**context, "kind": "category"})

    @app.get("/{lang}/story/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    async def story_page(request: Request, lang: PageLanguage, story_id: str) -> Response:
        def render() -> Response:
            with store.session() as session:
                context = story_context(session, story_id.lower())
            story = context["story"]
            context["feeds"] = feed_links(request, f"story/{story['id']}", story["title"])
            return templates.TemplateResponse(request, "story.html", context)

        if not is_anonymous(request):
            await run_in_threadpool(record_story_visit, store, request, story_id.lower())
        return await page_for(request, shared, f"story:{lang}:{story_id.lower()}", render)

    @app.get("/{lang}/hashtag/{slug}", response_class=HTMLResponse, include_in_schema=False)
    async def hashtag_page(
        request: Request, lang: PageLanguage, slug: str, cursor: Cursor = None
    ) -> Response:
        def render() -> Response:
            with store.session() as session:
                context = hashtag_context(session, slug, cursor)
            context["feeds"] = feed_links(request, f"hashtag/{slug}", "#" + context["tag"]["name"])
            return templates.TemplateResponse(request, "listing.html", {**context, "kind": "hashtag"})

        return await page_for(request, shared, f"hashtag:{lang}:{slug}:{cursor}", render)

    @app.get("/{lang}/ask", response_class=HTMLResponse, include_in_schema=False)
    def ask_page(
        request: Request,
        lang: PageLanguage,
        q: str = Query("", max_length=2000),
        story: str = Query("", max_length=64, description="Ask about this story first"),
    ) -> Response:
        with store.session() as session:
            context = (
                ask(session, q, llm, story) if q.strip() else {"question": "", "found": False, "quotes": []}
            )
        return templates.TemplateResponse(request, "ask.html", context)

    @app.get("/{lang}/edition/{code}", response_class=HTMLResponse, include_in_schema=False)
    def edition_page(request: Request, lang: PageLanguage, code: str, cursor: Cursor = None) -> Response:
        with store.session() as session:
            context = edition_context(session, code, cursor)
            context["editions"] = editions(session)
        edition = context["edition"]
        title = gettext("%(name)s edition") % {"name": edition["name"]}
        context["feeds"] = feed_links(None, f"edition/{edition['code']}", title)
        return templates.TemplateResponse(request, "listing.html", {**context, "kind": "edition"})

    @app.get("/{lang}/source/{slug}", response_class=HTMLResponse, include_in_schema=False)
    def source_page(request: Request, lang: PageLanguage, slug: str, cursor: Cursor = None) -> Response:
        with store.session() as session:
            context = source_context(session, slug, cursor)
        context["feeds"] = feed_links(request, f"source/{slug}", context["source"]["name"])
        return templates.TemplateResponse(request, "listing.html", {**context, "kind": "source"})

    @app.get("/{lang}/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        request: Request,
        lang: PageLanguage,
        q: str = Query("", max_length=500),
        category: str | None = Query(None, max_length=40),
        source: int | None = Query(None, ge=1, le=MAX_ID),
        language: str | None = Query(None, max_length=12),
        since: Day = None,
        until: Day = None,
        page: int = Query(1, ge=1, le=500),
    ) -> Response:
        filters = search_filters(category, source, language, since, until)
        with store.session() as session:
            context = search_context(session, q, filters, page)
            context["categories"] = category_list(session)
            context["sources"] = [source_summary(s) for s in list_sources(session)]
        context["feeds"] = feed_links(request, "search", f"Search: {q}") if q else []
        context["prev_url"] = page_url(request, page - 1) if page > 1 else None
        context["next_url"] = page_url(request, page + 1) if page < context["pages"] else None
        return templates.TemplateResponse(request, "search.html", context)
