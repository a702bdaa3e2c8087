"""The article page and its twin /{lang}/article/ID.json."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from newsdesk.store import Store
from newsdesk.store.community import is_bookmarked
from newsdesk.web.accounts import current_user
from newsdesk.web.comments import comments_context, comments_page_number
from newsdesk.web.i18n import PageLanguage
from newsdesk.web.pages.models import ArticlePage
from newsdesk.web.pages.respond import StoreDep, render_page, shared_page
from newsdesk.web.stories import full_article_context

router = APIRouter()


def article_model(
    request: Request, store: Store, lang: str, article_id: str, comment_page: int
) -> ArticlePage:
    """What every reader sees of an article (kept 10 s: it changes slowly), with the comments and the
    reader's own bookmark read on every request."""

    user = current_user(request, store)
    with store.session() as session:  # one session for the view and the comments (a second cost 0.1 ms)
        contexts = request.app.state.article_contexts
        context = dict(
            contexts.get(f"{lang}:{article_id}", lambda: full_article_context(session, article_id))
        )
        context["comments"] = comments_context(session, article_id, comment_page)
        context["bookmarked"] = user is not None and is_bookmarked(session, user.id, article_id)
    context["comment_held"] = request.query_params.get("held") == "1"
    return ArticlePage.model_validate(context)


@router.get("/{lang}/article/{article_id}", response_class=HTMLResponse, include_in_schema=False)
@router.get(
    "/{lang}/article/{article_id}.json",
    response_model=ArticlePage,
    tags=["pages"],
    summary="An article page: the article, its story's other reports, related articles and comments",
)
async def article_page(
    request: Request,
    lang: PageLanguage,
    article_id: str,
    store: StoreDep,
    comments: str = Query("1", max_length=6, description="A comments page number, or 'last'"),
) -> Response:
    article_id = article_id.lower()
    comment_page = comments_page_number(comments)

    def render() -> Response:
        return render_page(
            request, "article.html", article_model(request, store, lang, article_id, comment_page)
        )

    if request.query_params.get("held") == "1":
        return await run_in_threadpool(render)
    # An article page is its prepared view, its comments and a template: cheap, and most often cold.
    return await shared_page(request, f"article:{lang}:{article_id}:{comment_page}", render, cheap=True)
