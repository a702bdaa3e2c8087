"""Context functions: one plain dict per page, rendered as HTML or returned as its JSON twin."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsdesk.store import Store
from newsdesk.store.article_views import article_excerpt, source_piece, source_pieces
from newsdesk.store.articles import latest_articles
from newsdesk.store.drops import drop_count, pending_count, source_drops
from newsdesk.store.models import Article, Category, Source
from newsdesk.store.sources import articles_since, list_sources
from newsdesk.urls import shown_url
from newsdesk.web.cache import TTLCache
from newsdesk.web.i18n import current_language
from newsdesk.web.images import lead_picture
from newsdesk.web.telling import tell_items
from newsdesk.web.timefmt import exact_time, iso_time, relative_time


class NotFound(LookupError):
    """The page asked for does not exist."""


def source_summary(source: Source) -> dict[str, Any]:
    """A source as pages name and link it (the same in an article's prepared view)."""
    return source_piece(source)


def time_fields(prefix: str, when: datetime | None, now: datetime) -> dict[str, Any]:
    if when is None:
        return {prefix: None}
    return {
        prefix: iso_time(when),
        f"{prefix}_relative": relative_time(when, now),
        f"{prefix}_exact": exact_time(when),
    }


def article_summary(article: Article, now: datetime) -> dict[str, Any]:
    """The fields of an article shown in lists."""
    return {
        "id": article.id,
        "url": f"/{current_language.get()}/article/{article.id}",
        "title": article.title,
        "source": source_summary(article.source),
        "language": article.language,
        "category": article.category_slug,
        "lead_image_url": article.lead_image_url,
        "image": lead_picture(article),
        "excerpt": article_excerpt(article),
        **time_fields("published_at", article.published_at, now),
    }


def meaningful_update(updated: datetime | None, published: datetime) -> datetime | None:
    """The update time, when it is really later than publication (not the same stamp twice)."""
    if updated is None or updated - published < timedelta(minutes=1):
        return None
    return updated


def category_list(session: Session, *, with_articles: bool = False) -> list[dict[str, str]]:
    """The categories of the taxonomy in menu order, slug and name (only those with articles, if asked)."""
    query = select(Category).order_by(Category.position)
    if with_articles:
        query = query.where(select(Article.id).where(Article.category_slug == Category.slug).exists())
    return [{"slug": c.slug, "name": c.name} for c in session.scalars(query)]


MENU_KEY = "menu-categories"


def menu_categories(store: Store, cache: TTLCache) -> list[dict[str, str]]:
    """The menu's categories (those with articles), read again once the cache's copy is stale."""
    found = cache.peek(MENU_KEY)
    if found is None:
        with store.session() as session:
            found = category_list(session, with_articles=True)
        cache.put(MENU_KEY, found)
    return list(found)


def menu(store: Store, seconds: float = 10.0) -> Callable[[Any], dict[str, Any]]:
    """A template context processor giving ``nav_categories``, the menu (it changes as articles arrive)."""
    cache = TTLCache(seconds, max_items=1)
    return lambda request: {"nav_categories": menu_categories(store, cache)}


def home_context(session: Session, cursor: str | None = None, limit: int = 30) -> dict[str, Any]:
    now = datetime.now(UTC)
    articles, next_cursor = latest_articles(session, limit=limit, cursor=cursor)
    categories = category_list(session)
    strips = []
    for category in categories:
        latest, _ = latest_articles(session, limit=3, category=category["slug"])
        if latest:
            strips.append({**category, "articles": told_list(session, latest, now)})
    return {
        "articles": told_list(session, articles, now),
        "next_cursor": next_cursor,
        "categories": categories,
        "category_strips": strips,
        "editions": editions(session),
        "sources": source_pieces(session),
    }


def news_article_jsonld(detail: dict[str, Any]) -> str:
    """schema.org NewsArticle for the page, safe to embed in a <script> element."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": detail["title"],
        "datePublished": detail["published_at"],
        "url": detail["canonical_url"],
        "inLanguage": detail["language"] or None,
        "author": [{"@type": "Person", "name": name} for name in detail["authors"]],
        "publisher": {"@type": "Organization", "name": detail["source"]["name"]},
        "isBasedOn": detail["original_url"],
    }
    if detail.get("updated_at"):
        data["dateModified"] = detail["updated_at"]
    if detail.get("lead_image_url"):
        data["image"] = [detail["lead_image_url"]]
    text = json.dumps({k: v for k, v in data.items() if v is not None}, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def told_list(session: Session, articles: list[Article], now: datetime) -> list[dict[str, Any]]:
    """A list's items as the reader sees them (``tell_items``: copies' papers, the reader's language)."""
    items = [article_summary(a, now) for a in articles]
    tell_items(session, items, articles)
    return items


def articles_page(session: Session, cursor: str | None, limit: int, **filters: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    articles, next_cursor = latest_articles(session, limit=limit, cursor=cursor, **filters)
    return {"items": told_list(session, articles, now), "next_cursor": next_cursor}


FLAG_AFTER = timedelta(days=2)


def source_health(session: Session, source: Source, now: datetime, *, private: bool) -> dict[str, Any]:
    """A source with its polling health: ok, failing since … (flagged after two days), or disabled.

    Feed URLs and error texts (which can name internal addresses) are for administrators (``private``).
    """
    if not source.enabled:
        status = "disabled"
    elif source.failing_since is not None:
        status = "failing"
    else:
        status = "ok"
    flagged = source.failing_since is not None and now - source.failing_since > FLAG_AFTER
    return {
        **source_summary(source),
        **({"feed_url": shown_url(source.feed_url), "last_error": source.last_error} if private else {}),
        "status": status,
        "flagged": flagged,
        "error_count": source.error_count,
        **time_fields("failing_since", source.failing_since, now),
        **time_fields("last_success_at", source.last_success_at, now),
        **time_fields("next_poll_at", source.next_poll_at, now),
        "articles_24h": articles_since(session, source.id, now - timedelta(hours=24)),
        "dropped_count": drop_count(session, source.id),
        "pages_pending": pending_count(session, source.id),
        **({"dropped": dropped_entries(session, source.id)} if private else {}),
    }


def dropped_entries(session: Session, source_id: int) -> list[dict[str, str]]:
    """The entries the source's last poll could not keep, each with its link (or guid) and the reason."""
    return [
        {"url": shown_url(d.url) if d.url else "", "guid": d.guid, "title": d.title, "reason": d.reason}
        for d in source_drops(session, source_id)
    ]


def sources_context(session: Session, *, private: bool = False) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {"items": [source_health(session, s, now, private=private) for s in list_sources(session)]}


EDITIONS = {
    "US": "United States",
    "GB": "United Kingdom",
    "DE": "Deutschland",
    "ES": "España",
    "SG": "Singapore",
    "FR": "France",
    "IT": "Italia",
    "IN": "India",
    "AU": "Australia",
    "CA": "Canada",
    "MX": "México",
    "AR": "Argentina",
    "AT": "Österreich",
    "CH": "Schweiz",
}


def editions(session: Session) -> list[dict[str, str]]:
    """The regional editions: one per country that has sources."""
    countries = sorted({c for c in session.scalars(select(Source.country)) if c})
    return [{"code": c.lower(), "name": EDITIONS.get(c, c)} for c in countries]


def edition_context(
    session: Session, code: str, cursor: str | None = None, limit: int = 30
) -> dict[str, Any]:
    """An edition: the latest articles from the sources of one country ("local flavor")."""
    country = code.upper()
    source_ids = list(session.scalars(select(Source.id).where(Source.country == country)))
    if not source_ids:
        raise NotFound(f"no edition {code}")
    page = articles_page(session, cursor, limit, condition=Article.source_id.in_(source_ids))
    return {"edition": {"code": code.lower(), "name": EDITIONS.get(country, country)}, **page}


def category_context(
    session: Session, slug: str, cursor: str | None = None, limit: int = 30
) -> dict[str, Any]:
    category = session.get(Category, slug)
    if category is None:
        raise NotFound(f"no category {slug}")
    page = articles_page(session, cursor, limit, category=slug)
    return {"category": {"slug": category.slug, "name": category.name}, **page}


def source_context(session: Session, slug: str, cursor: str | None = None, limit: int = 30) -> dict[str, Any]:
    source = session.scalars(select(Source).where(Source.slug == slug)).first()
    if source is None:
        raise NotFound(f"no source {slug}")
    page = articles_page(session, cursor, limit, source_id=source.id)
    return {"source": source_health(session, source, datetime.now(UTC), private=False), **page}
