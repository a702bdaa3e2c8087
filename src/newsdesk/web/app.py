"""The FastAPI application: reader pages and their JSON twins, the API under /api/v1, one error shape."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import jinja2
from fastapi import FastAPI, Request
from fastapi.templating import Jinja2Templates
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware

from newsdesk import __version__
from newsdesk.ai.llm import llm_settings
from newsdesk.settings import Settings, get_settings
from newsdesk.store import Store, open_store
from newsdesk.urls import shown_url
from newsdesk.web import admin, feed_routes
from newsdesk.web.accounts import user_context
from newsdesk.web.api import add_api_routes
from newsdesk.web.app_api import app_api_router
from newsdesk.web.assets import add_asset_routes
from newsdesk.web.cache import TTLCache
from newsdesk.web.context import menu
from newsdesk.web.docs import add_docs_routes
from newsdesk.web.errors import ERROR_RESPONSES, add_error_handlers
from newsdesk.web.health import add_health_routes
from newsdesk.web.i18n import (
    LANGUAGES,
    current_language,
    file_size,
    gettext,
    ngettext,
    page_gettext,
    path_in_language,
)
from newsdesk.web.images import add_image_routes
from newsdesk.web.limits import FailureThrottle, WindowLimit
from newsdesk.web.middleware import SiteMiddleware
from newsdesk.web.reader_language import add_root_redirect
from newsdesk.web.routes import accounts, articles, briefing, home, readers, search, stories, topics
from newsdesk.web.session_key import session_key
from newsdesk.web.telling import language_name
from newsdesk.web.timefmt import time_element
from newsdesk.web.warmup import warm_up
from newsdesk.web.websub import add_websub_routes

log = logging.getLogger("newsdesk.web")
HERE = Path(__file__).parent
READER_PAGES = (home, articles, stories, topics, search, briefing, readers)  # routers, in this order


def create_app(
    settings: Settings | None = None,
    store: Store | None = None,
    on_startup: Callable[[], Any] | None = None,
    on_shutdown: Callable[[], Any] | None = None,
) -> FastAPI:
    """Build the site on ``store`` (opened from the settings, read from the environment when not given).

    Without arguments it suits ``uvicorn --factory newsdesk.web.app:create_app`` (`serve --workers N` uses
    ``cli.runtime.served_app``, which also freezes the warmed-up heap).
    """
    settings = settings or get_settings()
    the_store = store or open_store(settings.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        warm_up(templates)  # before the first page, not during it
        if on_startup:
            on_startup()  # once the site is ready
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
    app.state.llm = llm_settings(settings)
    # What every reader sees of an article: its page is kept whole for readers who are not logged in, so
    # this serves readers who are. Few: a kept context is a tree of lists the collector walks, and 2,000
    # of them made each full collection take 35 ms (every 350 cold pages).
    app.state.article_contexts = TTLCache(10.0, max_items=256)
    app.state.home_contexts = TTLCache(10.0)  # what every reader sees of the front page
    app.state.form_lists = TTLCache(10.0)  # the search form's categories and sources (200 took 8 ms)
    app.state.login_throttle = FailureThrottle()  # per account name (as log-in spells it) and per address
    app.state.signups = WindowLimit(settings.signups_per_hour, 3600.0)
    templates = Jinja2Templates(
        env=PageEnvironment(
            loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=jinja2.select_autoescape()
        ),
        context_processors=[
            language_context,
            lambda request: user_context(request, the_store),
            menu(the_store),
        ],
    )
    app.state.templates = templates
    templates.env.auto_reload = False  # templates ship with the package: no stat() of each one per page
    templates.env.add_extension("jinja2.ext.i18n")
    templates.env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    templates.env.globals.update(gettext=page_gettext, _=page_gettext)  # the same, kept per language
    add_health_routes(app, settings, the_store)
    add_docs_routes(app, templates)  # before the assets: /static would otherwise take /static/swagger-ui/…
    add_asset_routes(app, templates)
    add_error_handlers(app, templates)
    add_image_routes(app, the_store)
    app.include_router(feed_routes.router)  # before the pages: /{lang}/… would otherwise take /feeds/…
    add_root_redirect(app)
    # The pages come early: a request tries the routes in order, and each one tried cost 15 µs (the
    # article page, behind 40 others, took 0.6 ms to find). No page's address has the shape of the
    # routes after them (/api/…, /websub/…, the reader apps'), which web/test_routes.py checks.
    for module in READER_PAGES:  # each page at its address and its JSON twin at <address>.json
        app.include_router(module.router)
    add_api_routes(app, the_store, app.state.llm)
    app.include_router(app_api_router)  # reader apps: Google Reader API and Fever, with app passwords
    add_websub_routes(app, settings)  # hubs verify subscriptions and push content at /websub/callback/…
    app.include_router(accounts.router)
    app.include_router(admin.router)
    templates.env.globals["public_url"] = app.state.public_url
    templates.env.globals["comment_max_chars"] = settings.comment_max_chars
    templates.env.globals["language_name"] = language_name
    templates.env.globals["when"] = time_element
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


class PageEnvironment(jinja2.Environment):
    """Jinja as Starlette sets it up, but ``page.field`` reads a dict's key before an attribute: a page's
    data are dicts (its model dumped), and Jinja tried the attribute first and caught its AttributeError
    (a tenth of a cold article page's time). A key named like a dict method ("items") now wins over the
    method: write ``d["items"]`` or call the method on a dict without that key."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


def language_context(request: Request) -> dict[str, Any]:
    """What every page template knows about languages: the current one and this page in the others."""
    return {
        "lang": current_language.get(),
        "languages": LANGUAGES,
        "alternates": {code: path_in_language(request.url.path, code) for code in LANGUAGES},
    }
