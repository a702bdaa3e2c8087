"""The FastAPI application: reader pages, their JSON twins under /api/v1, one error shape."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsdesk import __version__
from newsdesk.settings import Settings
from newsdesk.store import Store, open_store
from newsdesk.store.articles import BadCursor
from newsdesk.web.context import NotFound, article_context, articles_page, home_context, sources_context

log = logging.getLogger("newsdesk.web")
HERE = Path(__file__).parent
ARTICLE_ID = r"^[0-9a-f]{32}$"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' https: http: data:; style-src 'self'; "
    "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}


def create_app(
    settings: Settings,
    store: Store | None = None,
    on_startup: Callable[[], Any] | None = None,
    on_shutdown: Callable[[], Any] | None = None,
) -> FastAPI:
    """Build the site on ``store`` (opened from the settings when not given)."""
    the_store = store or open_store(settings.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if on_startup:
            on_startup()
        yield
        if on_shutdown:
            on_shutdown()

    app = FastAPI(
        title="newsdesk",
        version=__version__,
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = the_store
    app.state.settings = settings
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    _add_error_handlers(app, templates)
    _add_security_headers(app)
    _add_pages(app, templates, the_store)
    _add_api(app, the_store)
    return app


def _add_security_headers(app: FastAPI) -> None:
    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Any]) -> Response:
        response: Response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def _add_pages(app: FastAPI, templates: Jinja2Templates, store: Store) -> None:
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request, cursor: str | None = Query(None, max_length=200)) -> Response:
        with store.session() as session:
            context = home_context(session, cursor)
        return templates.TemplateResponse(request, "home.html", context)

    @app.get("/en/article/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str) -> Response:
        with store.session() as session:
            context = article_context(session, article_id.lower())
        return templates.TemplateResponse(request, "article.html", context)

    @app.get("/healthz", include_in_schema=False)
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}


def _add_api(app: FastAPI, store: Store) -> None:
    @app.get("/api/v1/articles", tags=["articles"], summary="Latest articles, newest first")
    def api_articles(
        cursor: str | None = Query(None, max_length=200, description="The next_cursor of the previous page"),
        limit: int = Query(30, ge=1, le=100),
        source_id: int | None = Query(None, alias="source"),
        category: str | None = Query(None, max_length=40),
        language: str | None = Query(None, max_length=12),
    ) -> dict[str, Any]:
        with store.session() as session:
            return articles_page(
                session, cursor, limit, source_id=source_id, category=category, language=language
            )

    @app.get("/api/v1/articles/{article_id}", tags=["articles"], summary="One article")
    def api_article(article_id: str) -> dict[str, Any]:
        with store.session() as session:
            return article_context(session, article_id.lower())

    @app.get("/api/v1/sources", tags=["sources"], summary="Sources with their polling health")
    def api_sources() -> dict[str, Any]:
        with store.session() as session:
            return sources_context(session)


def _add_error_handlers(app: FastAPI, templates: Jinja2Templates) -> None:
    def error_response(request: Request, status: int, message: str) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": {"status": status, "message": message}}, status_code=status)
        return templates.TemplateResponse(
            request, "error.html", {"status": status, "message": message}, status_code=status
        )

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return error_response(request, 404, str(exc))

    @app.exception_handler(BadCursor)
    async def bad_cursor(request: Request, exc: BadCursor) -> Response:
        return error_response(request, 400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        return error_response(request, 422, problems or "invalid request")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error_response(request, exc.status_code, str(exc.detail))
