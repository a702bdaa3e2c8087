"""Listings of one topic: a category, a hashtag, a regional edition, a source; each with its JSON twin."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from newsdesk.web.api import Cursor
from newsdesk.web.context import category_context, edition_context, editions, source_context
from newsdesk.web.feeds import feed_links
from newsdesk.web.i18n import PageLanguage, gettext
from newsdesk.web.pages.listing_models import CategoryPage, EditionPage, HashtagPage, SourcePage
from newsdesk.web.pages.respond import StoreDep, render_page, shared_page
from newsdesk.web.stories import hashtag_context

router = APIRouter()


@router.get("/{lang}/category/{slug}", response_class=HTMLResponse, include_in_schema=False)
@router.get(
    "/{lang}/category/{slug}.json",
    response_model=CategoryPage,
    tags=["pages"],
    summary="A category's latest articles",
)
def category_page(
    request: Request, lang: PageLanguage, slug: str, store: StoreDep, cursor: Cursor = None
) -> Response:
    with store.session() as session:
        context = category_context(session, slug, cursor)
    context["feeds"] = feed_links(request, f"category/{slug}", context["category"]["name"])
    return render_page(request, "listing.html", CategoryPage.model_validate({**context, "kind": "category"}))


@router.get("/{lang}/hashtag/{slug}", response_class=HTMLResponse, include_in_schema=False)
@router.get(
    "/{lang}/hashtag/{slug}.json",
    response_model=HashtagPage,
    tags=["pages"],
    summary="The latest articles with a hashtag",
)
async def hashtag_page(
    request: Request, lang: PageLanguage, slug: str, store: StoreDep, cursor: Cursor = None
) -> Response:
    def render() -> Response:
        with store.session() as session:
            context = hashtag_context(session, slug, cursor)
        context["feeds"] = feed_links(request, f"hashtag/{slug}", "#" + context["tag"]["name"])
        return render_page(
            request, "listing.html", HashtagPage.model_validate({**context, "kind": "hashtag"})
        )

    return await shared_page(request, f"hashtag:{lang}:{slug}:{cursor}", render)


@router.get("/{lang}/edition/{code}", response_class=HTMLResponse, include_in_schema=False)
@router.get(
    "/{lang}/edition/{code}.json",
    response_model=EditionPage,
    tags=["pages"],
    summary="A regional edition: the latest articles from the sources of one country",
)
def edition_page(
    request: Request, lang: PageLanguage, code: str, store: StoreDep, cursor: Cursor = None
) -> Response:
    with store.session() as session:
        context = edition_context(session, code, cursor)
        context["editions"] = editions(session)
    edition = context["edition"]
    title = gettext("%(name)s edition") % {"name": edition["name"]}
    context["feeds"] = feed_links(None, f"edition/{edition['code']}", title)
    return render_page(request, "listing.html", EditionPage.model_validate({**context, "kind": "edition"}))


@router.get("/{lang}/source/{slug}", response_class=HTMLResponse, include_in_schema=False)
@router.get(
    "/{lang}/source/{slug}.json",
    response_model=SourcePage,
    tags=["pages"],
    summary="A source: its polling health and latest articles",
)
def source_page(
    request: Request, lang: PageLanguage, slug: str, store: StoreDep, cursor: Cursor = None
) -> Response:
    with store.session() as session:
        context = source_context(session, slug, cursor)
    context["feeds"] = feed_links(request, f"source/{slug}", context["source"]["name"])
    return render_page(request, "listing.html", SourcePage.model_validate({**context, "kind": "source"}))
