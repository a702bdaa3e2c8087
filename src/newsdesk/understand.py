"""Understanding stored articles: wire the enrich, stories and ai stages to the store, article by article."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from newsdesk.ai import (
    LLMSettings,
    StoryArticle,
    article_summary_key,
    story_summary_key,
    story_summary_record,
    summarize_article,
    summarize_story,
    summary_method,
    summary_record,
)
from newsdesk.ai.cache import base_method
from newsdesk.ai.lang import base_language
from newsdesk.ai.summarize import main_language
from newsdesk.enrich.categories import classify
from newsdesk.enrich.entities import extract_entities
from newsdesk.enrich.facts import extract_facts
from newsdesk.enrich.language import detect_language
from newsdesk.store import Store, transaction
from newsdesk.store.enrichment import (
    Enrichment,
    TagRecord,
    mark_processed,
    pending_article_ids,
    save_enrichment,
)
from newsdesk.store.models import Article, Source, Story
from newsdesk.store.sources import list_sources
from newsdesk.stories_pipeline import assign_stories

log = logging.getLogger("newsdesk.understand")


@dataclass(frozen=True)
class ArticleToEnrich:
    """What the enrichers read of a stored article."""

    id: str
    title: str
    text: str
    declared_language: str
    source_name: str
    source_category: str | None
    section: str


@dataclass
class ProcessReport:
    processed: int = 0
    failed_enrichers: int = 0
    stories_touched: set[str] = field(default_factory=set)


Enricher = Callable[[ArticleToEnrich, Enrichment, list[str]], None]


def enrich_language(article: ArticleToEnrich, result: Enrichment, outlets: list[str]) -> None:
    detected = detect_language(article.title, article.text, article.declared_language)
    result.language = detected.lang if detected.lang != "und" else (article.declared_language or None)


def enrich_entities(article: ArticleToEnrich, result: Enrichment, outlets: list[str]) -> None:
    language = result.language or article.declared_language
    for entity in extract_entities(article.title, article.text, language, exclude=outlets):
        slug = entity.hashtag.lstrip("#").lower()
        result.tags.append(TagRecord(slug, entity.hashtag.lstrip("#"), entity.kind, float(entity.mentions)))


def enrich_facts(article: ArticleToEnrich, result: Enrichment, outlets: list[str]) -> None:
    facts = extract_facts(article.text, result.language or article.declared_language)
    result.facts = [asdict(f) for f in facts]


def enrich_category(article: ArticleToEnrich, result: Enrichment, outlets: list[str]) -> None:
    feed_categories = (article.section,) if article.section else ()
    found = classify(article.title, article.text, feed_categories, article.source_category)
    if found.label:
        result.category, result.category_confidence = found.label, found.confidence


ENRICHERS: dict[str, Enricher] = {
    "language": enrich_language,
    "category": enrich_category,
    "entities": enrich_entities,
    "facts": enrich_facts,
}


def read_article(article: Article) -> ArticleToEnrich:
    return ArticleToEnrich(
        id=article.id,
        title=article.title,
        text=article.body_text,
        declared_language=article.language,
        source_name=article.source.name,
        source_category=article.source.default_category,
        section=article.section,
    )


def enrich(article: ArticleToEnrich, outlets: list[str]) -> Enrichment:
    """Run every enricher; one that fails records its error and the others go on."""
    result = Enrichment()
    for name, enricher in ENRICHERS.items():
        try:
            enricher(article, result, outlets)
        except Exception as exc:  # an enricher's bug must not lose the article: record it on the row
            log.warning(
                "enricher failed", extra={"article_id": article.id, "enricher": name, "error": repr(exc)}
            )
            result.errors[name] = f"{exc.__class__.__name__}: {exc}"[:500]
    return result


def summarize_and_cache(article: Article, llm: LLMSettings | None) -> None:
    """Summarise an article once per version and method; the result is kept on the article."""
    method = summary_method(llm)
    key = article_summary_key(article.title, article.body_text, article.language, method)
    if article.summary_cache and article.summary_cache.get("key") == key:
        return
    summary = summarize_article(article.title, article.body_text, article.language, llm_settings=llm)
    if base_method(summary.method) != method:  # the LLM failed: keep the fallback under its own key
        key = article_summary_key(
            article.title, article.body_text, article.language, base_method(summary.method)
        )
    article.summary_cache = summary_record(key, summary)


def process_article(store: Store, article_id: str, outlets: list[str], llm: LLMSettings | None = None) -> int:
    """Enrich and summarise one stored article in one transaction; return how many enrichers failed."""
    with store.session() as session:
        article = session.get(Article, article_id)
        if article is None:
            return 0
        text = read_article(article)
    result = enrich(text, outlets)
    with transaction(store.sessions) as session:
        save_enrichment(session, article_id, result)
        article = session.get(Article, article_id)
        assert article is not None
        try:
            summarize_and_cache(article, llm)
        except Exception as exc:  # a summary is a nicety: the article stays readable without one
            log.warning("summary failed", extra={"article_id": article_id, "error": repr(exc)})
        mark_processed(session, article_id)
    return len(result.errors)


def story_members(session: Any, story_id: str) -> list[StoryArticle]:
    from sqlalchemy import select

    query = select(Article).where(Article.story_id == story_id, Article.duplicate_of.is_(None))
    return [
        StoryArticle(a.id, a.source.name, a.title, a.body_text, a.language, a.published_at)
        for a in session.scalars(query)
    ]


def refresh_story_summary(store: Store, story_id: str, llm: LLMSettings | None = None) -> None:
    """Summarise a story from all its sources when its membership or texts changed, and once more in
    each other language its reports are written in (from those reports: what a reader of it is shown)."""
    with transaction(store.sessions) as session:
        story = session.get(Story, story_id)
        if story is None:
            return
        members = story_members(session, story_id)
        if not members:
            return
        key = story_summary_key(members, None, summary_method(llm))
        cached = story.summary_cache or {}
        if cached.get("key") == key and "languages" in cached:
            return
        summary = summarize_story(members, llm_settings=llm)
        key = story_summary_key(members, None, base_method(summary.method))
        main = main_language(members)
        record = {**story_summary_record(key, summary), "language": main}
        record["languages"] = language_summaries(members, main, cached.get("languages") or {}, llm)
        story.summary_cache = record


def language_summaries(
    members: list[StoryArticle], main: str, cached: dict[str, Any], llm: LLMSettings | None
) -> dict[str, Any]:
    """A summary record per language of the story's reports other than ``main`` (kept while current)."""
    records: dict[str, Any] = {}
    for language in sorted({base_language(m.language) for m in members} - {"", main}):
        key = story_summary_key(members, language, summary_method(llm))
        if isinstance(cached.get(language), dict) and cached[language].get("key") == key:
            records[language] = cached[language]
            continue
        summary = summarize_story(members, language=language, llm_settings=llm)
        key = story_summary_key(members, language, base_method(summary.method))
        records[language] = {**story_summary_record(key, summary), "language": language}
    return records


def outlet_names(store: Store) -> list[str]:
    with store.session() as session:
        return [s.name for s in list_sources(session)] + [s.slug for s in list_sources(session)]


def source_of(store: Store, source_id: int) -> Source | None:
    with store.session() as session:
        return session.get(Source, source_id)


def unseen_pending_ids(store: Store, limit: int, seen: set[str]) -> list[str]:
    """The next batch of pending articles, leaving out those this run already processed.

    Processed articles leave the pending set, so ``seen`` only ever removes the rare one still pending.
    """
    with store.session() as session:
        return [i for i in pending_article_ids(session, limit) if i not in seen]


def process_pending(store: Store, limit: int = 500, llm: LLMSettings | None = None) -> ProcessReport:
    """Enrich every article stored or revised since it was last processed (oldest first).

    Batches are taken until none is left that this run has not seen: an article stored while the run
    goes on is processed by it, since the request its poll made was skipped while this run held the lock.
    Each article is processed at most once per run, so a run always ends.
    """
    report = ProcessReport()
    outlets = outlet_names(store)
    seen: set[str] = set()
    while ids := unseen_pending_ids(store, limit, seen):
        for article_id in ids:
            report.failed_enrichers += process_article(store, article_id, outlets, llm)
            report.processed += 1
            seen.add(article_id)
    report.stories_touched = assign_stories(store)
    for story_id in report.stories_touched:
        try:
            refresh_story_summary(store, story_id, llm)
        except Exception as exc:  # a summary is a nicety: the story stays readable without one
            log.warning("story summary failed", extra={"story_id": story_id, "error": repr(exc)})
    return report
