"""The reader's following page (what they follow, with unfollow buttons and new reports) and follow forms."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from newsdesk.store import Store, transaction
from newsdesk.store.community import followed_articles, toggle_follow
from newsdesk.store.following import Followed, follow_list, mark_story_seen, set_follow
from newsdesk.web.accounts import check_csrf, current_user, require_user, safe_next
from newsdesk.web.context import article_summary, time_fields
from newsdesk.web.i18n import PageLanguage, current_language

FOLLOW_ACTIONS = {"follow": True, "unfollow": False}  # no action: the button toggles


def follow_path(item: Followed) -> str:
    """The page of a followed thing, in the reader's language."""
    lang = current_language.get()
    kind = {"tag": "hashtag"}.get(item.kind, item.kind)
    return f"/{lang}/{kind}/{item.story_id or item.target}"


def followed_summary(item: Followed, now: datetime) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "target": item.target,
        "name": item.name,
        "url": follow_path(item),
        "new_reports": item.new_reports,
        **time_fields("last_seen_at", item.last_seen_at, now),
    }


def following_context(store: Store, user_id: int, cursor: str | None) -> dict[str, Any]:
    """What the following page shows: the list of follows, then the newest articles from them."""
    now = datetime.now(UTC)
    with store.session() as session:
        follows = [followed_summary(f, now) for f in follow_list(session, user_id)]
        articles, next_cursor = followed_articles(session, user_id, cursor)
        items = [article_summary(a, now) for a in articles]
    return {"followed": follows, "items": items, "next_cursor": next_cursor}


def record_story_visit(store: Store, request: Request, story_id: str) -> None:
    """A logged-in reader opened a story: if they follow it, its reports so far are no longer new to them."""
    user = current_user(request, store)
    if user is not None:
        with transaction(store.sessions) as session:
            mark_story_seen(session, user.id, story_id)


def add_following_routes(app: FastAPI, templates: Jinja2Templates, store: Store) -> None:
    @app.post("/{lang}/follow", include_in_schema=False)
    def follow(
        request: Request,
        lang: PageLanguage,
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

    @app.get("/{lang}/following", response_class=HTMLResponse, include_in_schema=False)
    def following(request: Request, lang: PageLanguage, cursor: str | None = None) -> Response:
        user = current_user(request, store)
        if user is None:
            return RedirectResponse(f"/{lang}/login?next=/{lang}/following", status_code=303)
        context = following_context(store, user.id, cursor)
        return templates.TemplateResponse(request, "following.html", context)
