"""The article page's context from the article's prepared view: only the reader's language and the time
are added per request (one query when the view is current; built, and kept in the background, when not)."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from newsdesk.enrich.entities import hashtag_label
from newsdesk.store.article_views import build_current_view, keep_view, stored_view
from newsdesk.web.context import NotFound, meaningful_update, news_article_jsonld, time_fields
from newsdesk.web.i18n import current_language
from newsdesk.web.images import LIST_SIZES, PAGE_SIZES, copy_picture

log = logging.getLogger("newsdesk.web.article_page")


KEEP_WAIT_MS = 5_000  # how long the keeper thread waits for the write lock (no page waits on it)
MAX_PENDING_KEEPS = 256


class ViewKeeper:
    """Keeps the views pages built, one at a time on a thread of its own: a page never waits for the
    database's write lock while a worker holds it (a page once waited 100 ms each time)."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="view-keeper")
        self._pending: set[str] = set()
        self._lock = threading.Lock()

    def keep(self, engine: Engine, article_id: str, basis: str, view: dict[str, Any]) -> bool:
        """Queue the view to be kept (False when it is queued already, or too many are)."""
        with self._lock:
            if article_id in self._pending or len(self._pending) >= MAX_PENDING_KEEPS:
                return False
            self._pending.add(article_id)
        self._executor.submit(self._keep, engine, article_id, basis, view)
        return True

    def _keep(self, engine: Engine, article_id: str, basis: str, view: dict[str, Any]) -> None:
        try:
            keep_view(engine, article_id, basis, view, KEEP_WAIT_MS)
        except Exception:  # a view is only a saving: the next page builds it again
            log.exception("article view not kept", extra={"article_id": article_id})
        finally:
            with self._lock:
                self._pending.discard(article_id)

    def wait(self) -> None:
        """Return once the views queued so far are kept (or given up)."""
        self._executor.submit(lambda: None).result()


KEEPER = ViewKeeper()


def full_article_context(session: Session, article_id: str) -> dict[str, Any]:
    """The article page's context: the article and what its story and tags add."""
    exists, view = stored_view(session, article_id)
    if exists and view is None:
        built = build_current_view(session, article_id)
        if built is not None:
            basis, view = built
            KEEPER.keep(session.get_bind().engine, article_id, basis, view)
    if view is None:
        raise NotFound(f"no article {article_id}")
    return article_page_context(view, datetime.now(UTC))


def article_page_context(view: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The page's context from a prepared view (store/article_views.py ``build_view``) at ``now``."""
    detail = present_detail(view["article"], now)
    context = {"article": detail, "jsonld": news_article_jsonld(detail)}
    copy_of = view["copy_of"]
    detail.update(
        {
            "story_id": detail["story_id"] or "",
            "tags": [present_tag(t) for t in view["tags"]],
            "also_covered_by": [present_summary(p, now) for p in view["also_covered_by"]],
            "also_published_by": [present_summary(p, now) for p in view["also_published_by"]],
            "copy_of": present_summary(copy_of, now) if copy_of else None,
            "related": [
                {**present_summary(r, now), "tags": [present_tag(t) for t in r["tags"]]}
                for r in view["related"]
            ],
            "ai": {"summary": list(view["ai"]["summary"]), "key_facts": list(view["ai"]["key_facts"])},
        }
    )
    return context


def present_tag(tag: dict[str, str]) -> dict[str, str]:
    """A hashtag as the reader sees it: named in their language ("Köln" on /de/), addressed by its slug."""
    lang = current_language.get()
    return {
        "slug": tag["slug"],
        "name": hashtag_label(tag["name"], lang),
        "hashtag": tag["name"],
        "kind": tag["kind"],
        "url": f"/{lang}/hashtag/{tag['slug']}",
    }


def _when(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def present_summary(piece: dict[str, Any], now: datetime) -> dict[str, Any]:
    """An article in a list (``context.article_summary``) from its prepared piece."""
    return {
        "id": piece["id"],
        "url": f"/{current_language.get()}/article/{piece['id']}",
        "title": piece["title"],
        "source": piece["source"],
        "language": piece["language"],
        "category": piece["category"],
        "lead_image_url": piece["lead_image_url"],
        "image": copy_picture(piece["id"], piece["lead_copy"], piece["lead_alt"], LIST_SIZES),
        "excerpt": piece["excerpt"],
        **time_fields("published_at", _when(piece["published_at"]), now),
    }


def present_detail(piece: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Everything the article page shows of the article itself."""
    lang, article_id = current_language.get(), piece["id"]
    published = _when(piece["published_at"])
    assert published is not None
    return {
        **present_summary(piece, now),
        "subtitle": piece["subtitle"],
        "authors": piece["authors"],
        "agency": piece["agency"],
        "dateline": piece["dateline"],
        "section": piece["section"],
        "canonical_url": piece["canonical_url"],
        "original_url": piece["original_url"],
        "body": piece["body"],
        "images": [
            {
                "url": i["url"],
                "caption": i["caption"],
                "credit": i["credit"],
                "alt": i["alt"],
                "after_block": i["after_block"],
                "picture": copy_picture(article_id, i["copy"], i["alt"] or i["caption"], PAGE_SIZES),
            }
            for i in piece["images"]
        ],
        "enclosures": piece["enclosures"],
        "text_pending": piece["text_pending"],
        "word_count": piece["word_count"],
        "reading_minutes": max(1, round(piece["word_count"] / 230)),
        "story_id": piece["story_id"],
        "share_url": f"/{lang}/story/{piece['story_id']}"
        if piece["story_id"]
        else f"/{lang}/article/{article_id}",
        **time_fields("updated_at", meaningful_update(_when(piece["updated_at"]), published), now),
        **time_fields("first_seen_at", _when(piece["first_seen_at"]), now),
    }
