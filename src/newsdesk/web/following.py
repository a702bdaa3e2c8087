"""What the reader's following page shows (what they follow, with new reports) and story visits."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import Request

from newsdesk.store import Store, transaction
from newsdesk.store.community import followed_articles
from newsdesk.store.following import Followed, follow_list, mark_story_seen
from newsdesk.web.accounts import current_user
from newsdesk.web.context import article_summary, time_fields
from newsdesk.web.i18n import current_language


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
