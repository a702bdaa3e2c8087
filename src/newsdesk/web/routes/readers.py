"""A logged-in reader's own pages (following, bookmarks; twins with their session only) and follow forms."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from newsdesk.store import transaction
from newsdesk.store.community import bookmarked_articles, toggle_follow
from newsdesk.store.following import set_follow
from newsdesk.web.accounts import check_csrf, current_user, require_user, safe_next
from newsdesk.web.context import article_summary
from newsdesk.web.errors import ErrorBody
from newsdesk.web.following import following_context
from newsdesk.web.i18n import PageLanguage
from newsdesk.web.pages.listing_models import BookmarksPage, FollowingPage
from newsdesk.web.pages.respond import StoreDep, login_redirect_or_401, render_page

router = APIRouter()
FOLLOW_ACTIONS = {"follow": True, "unfollow": False}  # no action: the button toggles
LOG_IN_FIRST: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody, "description": "Not logged in (the twin of a reader's own page)"}
}


@router.post("/{lang}/follow", include_in_schema=False)
def follow(
    request: Request,
    lang: PageLanguage,
    store: StoreDep,
    kind: str = Form(..., max_length=20),
    target: str = Form(..., max_length=200),
    action: str = Form("", max_length=10),
    csrf: str = Form(""),
    next: str = Form(""),
) -> Response:
    check_csrf(request, csrf)
    user = require_user(request, store)
    try:
        with transaction(store.sessions) as session:
            if action in FOLLOW_ACTIONS:
                set_follow(session, user.id, kind, target, FOLLOW_ACTIONS[action])
            else:
                toggle_follow(session, user.id, kind, target)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    return RedirectResponse(safe_next(next, f"/{lang}/following"), status_code=303)


@router.get("/{lang}/following", response_class=HTMLResponse, include_in_schema=False)
@router.get(
    "/{lang}/following.json",
    response_model=FollowingPage,
    tags=["pages"],
    summary="The logged-in reader's following page: what they follow and the newest articles from it",
    responses=LOG_IN_FIRST,
)
def following(request: Request, lang: PageLanguage, store: StoreDep, cursor: str | None = None) -> Response:
    user = current_user(request, store)
    if user is None:
        return login_redirect_or_401(request, lang, "following")
    model = FollowingPage.model_validate(following_context(store, user.id, cursor))
    return render_page(request, "following.html", model)


@router.get("/{lang}/bookmarks", response_class=HTMLResponse, include_in_schema=False)
@router.get(
    "/{lang}/bookmarks.json",
    response_model=BookmarksPage,
    tags=["pages"],
    summary="The logged-in reader's bookmarks",
    responses=LOG_IN_FIRST,
)
def bookmarks(request: Request, lang: PageLanguage, store: StoreDep) -> Response:
    user = current_user(request, store)
    if user is None:
        return login_redirect_or_401(request, lang, "bookmarks")
    now = datetime.now(UTC)
    with store.session() as session:
        items = [article_summary(a, now) for a in bookmarked_articles(session, user.id)]
    model = BookmarksPage.model_validate({"kind": "bookmarks", "items": items, "next_cursor": None})
    return render_page(request, "listing.html", model)
