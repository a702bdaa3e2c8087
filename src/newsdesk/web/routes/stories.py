"""The story page and its twin /{lang}/story/ID.json."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from newsdesk.store import Store
from newsdesk.web.feeds import feed_links
from newsdesk.web.following import record_story_visit
from newsdesk.web.i18n import PageLanguage
from newsdesk.web.pages.models import StoryPage
from newsdesk.web.pages.respond import StoreDep, render_page, shared_page
from newsdesk.web.shared_pages import is_anonymous
from newsdesk.web.stories import story_context

router = APIRouter()


def story_model(request: Request, store: Store, story_id: str) -> StoryPage:
    with store.session() as session:
        context = story_context(session, story_id)
    story = context["story"]
    context["feeds"] = feed_links(request, f"story/{story['id']}", story["title"])
    return StoryPage.model_validate(context)


@router.get("/{lang}/story/{story_id}", response_class=HTMLResponse, include_in_schema=False)
@router.get(
    "/{lang}/story/{story_id}.json",
    response_model=StoryPage,
    tags=["pages"],
    summary="A story page: its headline, summary, figures, timeline of reports and hashtags",
)
async def story_page(request: Request, lang: PageLanguage, story_id: str, store: StoreDep) -> Response:
    story_id = story_id.lower()

    def render() -> Response:
        return render_page(request, "story.html", story_model(request, store, story_id))

    if not is_anonymous(request):
        await run_in_threadpool(record_story_visit, store, request, story_id)
    return await shared_page(request, f"story:{lang}:{story_id}", render)
