"""The daily briefing page: the last 24 hours at /{lang}/briefing, one day at /{lang}/briefing/YYYY-MM-DD,
each with its twin (`.json`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from newsdesk.store import Store
from newsdesk.web.briefing import briefing_context
from newsdesk.web.feeds import feed_links
from newsdesk.web.i18n import PageLanguage
from newsdesk.web.pages.answer_models import BriefingPage
from newsdesk.web.pages.respond import StoreDep, render_page
from newsdesk.web.params import BriefingDay, ReaderDay

router = APIRouter()
EditionCode = Annotated[
    str | None, Query(max_length=2, description="An edition's country code (default: every edition)")
]


def briefing_model(request: Request, store: Store, day: date | None, edition: str | None) -> BriefingPage:
    with store.session() as session:
        context = briefing_context(session, day, edition)  # cached summaries only: no LLM in a page view
    context["feeds"] = feed_links(request, "briefing", "Daily briefing")
    return BriefingPage.model_validate(context)


@router.get("/{lang}/briefing", response_class=HTMLResponse, include_in_schema=False)
@router.get(
    "/{lang}/briefing.json",
    response_model=BriefingPage,
    tags=["pages"],
    summary="The briefing page: the top stories of the last 24 hours (or of one day)",
)
def briefing_page(
    request: Request,
    lang: PageLanguage,
    store: StoreDep,
    day: BriefingDay = None,
    edition: EditionCode = None,
) -> Response:
    return render_page(request, "briefing.html", briefing_model(request, store, day, edition))


@router.get("/{lang}/briefing/{day}", response_class=HTMLResponse, include_in_schema=False)
@router.get(
    "/{lang}/briefing/{day}.json",
    response_model=BriefingPage,
    tags=["pages"],
    summary="One day's briefing page",
)
def briefing_day_page(
    request: Request,
    lang: PageLanguage,
    day: ReaderDay,
    store: StoreDep,
    edition: EditionCode = None,
) -> Response:
    return render_page(request, "briefing.html", briefing_model(request, store, day, edition))
