"""Understanding stored articles: wire the enrich, stories and ai stages to the store, article by article."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import select

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
from newsdesk.enrich.categories import ArticleText, classify_many
from newsdesk.enrich.entities import extract_entities
from newsdesk.enrich.facts import extract_facts
from newsdesk.enrich.language import detect_language
from newsdesk.pipeline.stories import assign_stories
from newsdesk.pipeline.views import prepare_story_views, prepare_views_around
from newsdesk.store import Store, transaction
from newsdesk.store.enrichment import (
    Enrichment,
    TagRecord,
    claim_pending_articles,
    keep_articles_claimed,
    latest_story_seq,
    mark_processed,
    release_article_claims,
    save_enrichment,
    stories_of_write,
)
from newsdesk.store.models import Article, Source, Story
from newsdesk.store.sources import list_sources

log = logging.getLogger("newsdesk.pipeline.understand")


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
BatchEnricher = Callable[[Sequence[ArticleToEnrich], Sequence[Enrichment]], None]


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


def enrich_categories(articles: Sequence[ArticleToEnrich], results: Sequence[Enrichment]) -> None:
    """Categories of a whole batch: the embedding models run once for it."""
    texts = [
        ArticleText(a.title, a.text, (a.section,) if a.section else (), a.source_category) for a in articles
    ]
    for result, found in zip(results, classify_many(texts), strict=True):
        if found.label:
            result.category, result.category_confidence = found.label, found.confidence


ENRICHERS: dict[str, Enricher] = {
    "language": enrich_language,
    "entities": enrich_entities,
    "facts": enrich_facts,
}
BATCH_ENRICHERS: dict[str, BatchEnricher] = {"category": enrich_categories}
BATCH = 8  # articles a worker claims at once: one model call each, and a short wait on shutdown


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


def run_enricher(name: str, run: Callable[[], None], results: Sequence[Enrichment], ids: list[str]) -> None:
    """Run one enricher; if it fails, its error goes on each article's row and the others go on."""
    try:
        run()
    except Exception as exc:  # an enricher's bug must not lose the article: record it on the row
        log.warning("enricher failed", extra={"article_ids": ids, "enricher": name, "error": repr(exc)})
        for result in results:
            result.errors[name] = f"{exc.__class__.__name__}: {exc}"[:500]


def enrich_many(articles: Sequence[ArticleToEnrich], outlets: list[str]) -> list[Enrichment]:
    """Run every enricher on a batch: per article, except those that run once for the whole batch."""
    results = [Enrichment() for _ in articles]
    pairs = list(zip(articles, results, strict=True))
    for name in ("language", *BATCH_ENRICHERS, *(n for n in ENRICHERS if n != "language")):
        if name in BATCH_ENRICHERS:
            batch = BATCH_ENRICHERS[name]
            run_enricher(name, partial(batch, articles, results), results, [a.id for a in articles])
            continue
        for article, result in pairs:
            run_enricher(name, partial(ENRICHERS[name], article, result, outlets), [result], [article.id])
    return results


def enrich(article: ArticleToEnrich, outlets: list[str]) -> Enrichment:
    """Run every enricher on one article."""
    return enrich_many([article], outlets)[0]


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


def read_articles(store: Store, article_ids: Sequence[str]) -> list[ArticleToEnrich]:
    with store.session() as session:
        found = session.scalars(select(Article).where(Article.id.in_(article_ids)))
        return [read_article(a) for a in found]


def process_article(
    store: Store,
    article_id: str,
    outlets: list[str],
    llm: LLMSettings | None = None,
    result: Enrichment | None = None,
) -> int:
    """Store an article's enrichment (made here unless given) and summary; how many enrichers failed."""
    if result is None:
        texts = read_articles(store, [article_id])
        if not texts:
            return 0
        result = enrich(texts[0], outlets)
    with transaction(store.sessions) as session:
        article = session.get(Article, article_id)
        if article is None:  # deleted meanwhile (its source was removed)
            return 0
        save_enrichment(session, article_id, result)
        try:
            summarize_and_cache(article, llm)
        except Exception as exc:  # a summary is a nicety: the article stays readable without one
            log.warning("summary failed", extra={"article_id": article_id, "error": repr(exc)})
        mark_processed(session, article_id)
    return len(result.errors)


def process_batch(
    store: Store, article_ids: Sequence[str], outlets: list[str], llm: LLMSettings | None = None
) -> int:
    """Enrich a claimed batch (models once per batch), then store each article; enrichers that failed."""
    texts = read_articles(store, article_ids)
    results = enrich_many(texts, outlets)
    failed = sum(process_article(store, t.id, outlets, llm, r) for t, r in zip(texts, results, strict=True))
    prepare_views_around(store, in_stories(store, [t.id for t in texts]))  # the others' at assignment
    return failed


def in_stories(store: Store, article_ids: Sequence[str]) -> list[str]:
    """Those of the articles already in a story (processed again after a revision or a re-ingest)."""
    with store.session() as session:
        query = select(Article.id).where(Article.id.in_(article_ids), Article.story_id.is_not(None))
        return list(session.scalars(query))


def story_members(session: Any, story_id: str) -> list[StoryArticle]:
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


def enrich_pending(
    store: Store, limit: int = 100_000, llm: LLMSettings | None = None, stop: Callable[[], bool] | None = None
) -> ProcessReport:
    """Enrich articles stored or revised since they were last processed, a claimed batch at a time.

    Any number of workers run this at once: each claims batches no other holds. Batches are taken until
    none is left that this run has not seen (an article stored while the run goes on is processed by it);
    each article is processed at most once per run, so a run always ends. ``stop`` (a shutdown) ends it
    after the batch in hand.
    """
    report, outlets, seen = ProcessReport(), outlet_names(store), set[str]()
    while report.processed < limit and not (stop and stop()):
        claimed = claim_pending_articles(store.engine, min(BATCH, limit - report.processed))
        ids = [i for i in claimed if i not in seen]
        if len(ids) < len(claimed):  # an article this run already did is still pending: the next run's
            release_article_claims(store.engine, [i for i in claimed if i in seen])
        if not ids:
            break
        with keep_articles_claimed(store.engine, ids):
            report.failed_enrichers += process_batch(store, ids, outlets, llm)
        release_article_claims(store.engine, ids)  # those a failure left pending
        report.processed += len(ids)
        seen.update(ids)
    return report


def assign_and_summarise(store: Store, llm: LLMSettings | None = None) -> set[str]:
    """Give processed articles their stories and summarise the stories that changed; one caller at a time."""
    with store.session() as session:
        before = latest_story_seq(session)
        # A holder killed between its story write and the summaries left that write's stories unsummarised.
        unsure = stories_of_write(session, before)
    touched = assign_stories(store)
    prepare_story_views(store, touched, since_seq=before)
    for story_id in touched | unsure:  # a summary still current is not made again
        try:
            refresh_story_summary(store, story_id, llm)
        except Exception as exc:  # a summary is a nicety: the story stays readable without one
            log.warning("story summary failed", extra={"story_id": story_id, "error": repr(exc)})
    return touched


def process_pending(store: Store, limit: int = 100_000, llm: LLMSettings | None = None) -> ProcessReport:
    """Enrich pending articles, then assign stories (the caller makes sure it is the only one assigning)."""
    report = enrich_pending(store, limit, llm)
    report.stories_touched = assign_and_summarise(store, llm)
    return report
