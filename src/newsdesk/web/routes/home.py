"""The front page (and its twin /{lang}/index.json), the offline page and the web app manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from newsdesk.store import Store
from newsdesk.web.accounts import reader_follows
from newsdesk.web.api import Cursor
from newsdesk.web.cache import TTLCache
from newsdesk.web.context import home_context
from newsdesk.web.feeds import feed_links
from newsdesk.web.i18n import PageLanguage, gettext
from newsdesk.web.pages.listing_models import HomePage
from newsdesk.web.pages.respond import StoreDep, get_templates, render_page, shared_page
from newsdesk.web.stories import rank_for_reader, top_stories_context

router = APIRouter()
HERE = Path(__file__).parent.parent
TOP_STORIES, TOP_POOL = 8, 24  # top stories shown; leading stories a reader's follows may bring forward


def shared_home(store: Store, cache: TTLCache, lang: str, cursor: str | None) -> dict[str, Any]:
    """What every reader sees of the front page, built once per 10 s (a reader's follows only reorder
    its top stories, from the pool kept here)."""

    def build() -> dict[str, Any]:
        with store.session() as session:
            context = home_context(session, cursor)
            context["top_pool"] = top_stories_context(session, TOP_POOL) if not cursor else []
        return context

    found: dict[str, Any] = cache.get(f"{lang}:{cursor}", build)
    return found


def home_model(request: Request, store: Store, lang: str, cursor: str | None) -> HomePage:
    context = dict(shared_home(store, request.app.state.home_contexts, lang, cursor))
    pool = context.pop("top_pool")
    context["top_stories"] = rank_for_reader(pool, reader_follows(request, store), TOP_STORIES)
    context["feeds"] = feed_links(None, "latest", gettext("Latest news"))
    return HomePage.model_validate(context)


@router.get("/{lang}/", response_class=HTMLResponse, include_in_schema=False)
@router.get("/{lang}/index.json", response_model=HomePage, tags=["pages"], summary="The front page")
async def home(request: Request, lang: PageLanguage, store: StoreDep, cursor: Cursor = None) -> Response:
    def render() -> Response:
        return render_page(request, "home.html", home_model(request, store, lang, cursor))

    # The front page is the same for every reader who is not logged in, for a few seconds.
    return await shared_page(request, f"home:{lang}:{cursor}", render)


@router.get("/manifest.webmanifest", include_in_schema=False)
def manifest() -> Response:
    body = (HERE / "static" / "manifest.webmanifest").read_bytes()
    return Response(body, media_type="application/manifest+json")


@router.get("/offline", response_class=HTMLResponse, include_in_schema=False)
@router.get("/{lang}/offline", response_class=HTMLResponse, include_in_schema=False)
def offline(request: Request, lang: PageLanguage = "en") -> Response:
    """The page the service worker shows without a connection: it has no data, so no twin."""
    return get_templates(request).TemplateResponse(request, "offline.html", {})
