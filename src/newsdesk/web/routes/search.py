"""The search and ask pages and their twins /{lang}/search.json and /{lang}/ask.json."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from newsdesk.store.article_views import source_pieces
from newsdesk.web.api import Day, search_filters
from newsdesk.web.asking import ask
from newsdesk.web.context import category_list
from newsdesk.web.feeds import feed_links
from newsdesk.web.i18n import PageLanguage
from newsdesk.web.page_work import in_slot
from newsdesk.web.pages.answer_models import AskPage, SearchPage
from newsdesk.web.pages.models import CategoryRef, SourceSummary
from newsdesk.web.pages.respond import LLMDep, StoreDep, render_page
from newsdesk.web.params import MAX_ID
from newsdesk.web.searching import search_context

router = APIRouter()


def page_url(request: Request, page: int) -> str:
    """This page's URL with another page number."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "page" and v]
    return "?" + urlencode([*params, ("page", str(page))])


@router.get("/{lang}/ask", response_class=HTMLResponse, include_in_schema=False)
@router.get(
    "/{lang}/ask.json",
    response_model=AskPage,
    tags=["pages"],
    summary="The ask page: an answer from stored articles with the sentences it quotes",
)
def ask_page(
    request: Request,
    lang: PageLanguage,
    store: StoreDep,
    llm: LLMDep,
    q: str = Query("", max_length=2000),
    story: str = Query("", max_length=64, description="Ask about this story first"),
) -> Response:
    with store.session() as session:
        context = ask(session, q, llm, story) if q.strip() else {"question": "", "found": False, "quotes": []}
    return render_page(request, "ask.html", AskPage.model_validate(context))


@router.get("/{lang}/search", response_class=HTMLResponse, include_in_schema=False)
@router.get(
    "/{lang}/search.json",
    response_model=SearchPage,
    tags=["pages"],
    summary="The search page: stories matching the words, each with its best report",
)
def search_page(
    request: Request,
    lang: PageLanguage,
    store: StoreDep,
    q: str = Query("", max_length=500),
    category: str | None = Query(None, max_length=40),
    source: int | None = Query(None, ge=1, le=MAX_ID),
    language: str | None = Query(None, max_length=12),
    since: Day = None,
    until: Day = None,
    page: int = Query(1, ge=1, le=500),
) -> Response:
    filters = search_filters(category, source, language, since, until)

    @in_slot
    def build() -> Response:
        with store.session() as session:
            context = search_context(session, q, filters, page)
            # The same few seconds for every search, and checked once: the page model takes its own
            # models as they are (200 sources checked again each time took 1 ms a search).
            forms = request.app.state.form_lists
            context["categories"] = forms.get(
                "categories", lambda: [CategoryRef.model_validate(c) for c in category_list(session)]
            )
            context["sources"] = forms.get(
                "sources", lambda: [SourceSummary.model_validate(p) for p in source_pieces(session)]
            )
        context["feeds"] = feed_links(request, "search", f"Search: {q}") if q else []
        context["prev_url"] = page_url(request, page - 1) if page > 1 else None
        context["next_url"] = page_url(request, page + 1) if page < context["pages"] else None
        return render_page(request, "search.html", SearchPage.model_validate(context))

    return build()
