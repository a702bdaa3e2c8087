"""`newsdesk bench search`: search on the demo corpus with newsdesk's own queries (recall@20, precision@5)."""

from __future__ import annotations

import json
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import click
import numpy as np
from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from newsdesk.demo.corpus import OUTLETS, Corpus, load_corpus
from newsdesk.models import DEFAULT_MODEL, load_embedder
from newsdesk.store import Store, open_store
from newsdesk.store.ids import content_hash
from newsdesk.store.models import Article, ArticleVector, Source, Story
from newsdesk.store.retrieval import story_matches
from newsdesk.store.search import SearchFilters
from newsdesk.stories.text import lead_text

QUERY_SET = Path(__file__).parent / "data" / "search_queries.json"
NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
LEAD_WORDS = 40  # as the stories stage embeds an article: title and the first 40 words
Ranker = Callable[[Session, str, str | None], list[str]]


@dataclass(frozen=True)
class SearchScore:
    queries: int
    recall: float  # mean recall@20
    precision: float  # mean precision@5 (of min(5, relevant) places)
    kinds: dict[str, tuple[float, float, int]]  # kind: (recall, precision, queries)
    misses: list[str]
    seconds: float


def story_key(article_id: str, event: str) -> str:
    return article_id if event.startswith("local") else event  # the local bundles are one-report stories


def fill_demo_store(store: Store, corpus: Corpus) -> None:
    """The corpus's articles in the store: a story per event, copies marked, stored USE vectors."""
    originals = [a for a in corpus.articles.values()]
    vectors = load_embedder().encode([lead_text(a.title, "\n".join(a.body), LEAD_WORDS) for a in originals])
    with store.engine.begin() as connection:
        sources = {key: n + 1 for n, key in enumerate(OUTLETS)}
        connection.execute(insert(Source), [source_row(key, n) for key, n in sources.items()])
        connection.execute(insert(Story), story_rows(originals))
        connection.execute(insert(Article), [article_row(a, sources[a.outlet]) for a in originals])
        connection.execute(
            insert(ArticleVector),
            [
                {"article_id": a.id, "model": DEFAULT_MODEL, "vector": np.asarray(v, np.float32).tobytes()}
                for a, v in zip(originals, vectors, strict=True)
            ],
        )


def story_rows(articles: list[Any]) -> list[dict[str, Any]]:
    """A story per event (titled by its first report) and per local article."""
    first: dict[str, Any] = {}
    for article in sorted(articles, key=lambda a: -a.hours_ago):
        first.setdefault(story_key(article.id, article.event), article)
    return [
        {
            "id": key,
            "title": article.title,
            "first_seen_at": NOW - timedelta(hours=article.hours_ago),
            "last_seen_at": NOW,
            "article_count": sum(story_key(a.id, a.event) == key for a in articles),
            "source_count": len({a.outlet for a in articles if story_key(a.id, a.event) == key}),
        }
        for key, article in first.items()
    ]


def source_row(key: str, number: int) -> dict[str, Any]:
    outlet = OUTLETS[key]
    return {
        "id": number,
        "slug": key,
        "name": outlet.name,
        "feed_url": f"https://{key}.example/feed",
        "site_url": f"https://{key}.example/",
        "feed_format": outlet.feed_format,
        "country": outlet.country,
        "language": outlet.language,
        "enabled": False,
        "error_count": 0,
        "folder": "",
        "body_hash": "",
        "created_at": NOW,
    }


def article_row(article: Any, source_id: int) -> dict[str, Any]:
    body = "\n".join(article.body)
    url = f"https://{article.outlet}.example/{article.id}"
    return {
        "id": article.id,
        "source_id": source_id,
        "guid": url,
        "url": url,
        "canonical_url": url,
        "title": article.title,
        "subtitle": article.subtitle,
        "byline": "",
        "authors": [],
        "agency": "",
        "dateline": "",
        "section": "",
        "language": article.lang,
        "published_at": NOW - timedelta(hours=article.hours_ago),
        "first_seen_at": NOW,
        "fetched_at": NOW,
        "summary": "",
        "body": [{"kind": "p", "text": p} for p in article.body],
        "body_text": body,
        "word_count": len(body.split()),
        "content_hash": content_hash(article.title + body),
        "entry_hash": "",
        "lead_image_url": "",
        "category_slug": None,
        "story_id": story_key(article.id, article.event),
        "duplicate_of": article.copy_of,
        "extraction_note": "",
        "processed_at": NOW,
    }


def load_query_set(path: Path = QUERY_SET) -> list[dict[str, Any]]:
    return list(json.loads(path.read_text(encoding="utf-8"))["queries"])


def relevant_articles(item: dict[str, Any], corpus: Corpus) -> set[str]:
    """The reports a query should find: its events' (copies left out) and the articles it names."""
    events = set(item.get("events", []))
    found = {a.id for a in corpus.articles.values() if a.event in events and not a.copy_of}
    found |= set(item.get("articles", []))
    language = item.get("language")
    return {i for i in found if not language or corpus.articles[i].lang == language}


def hybrid_ranking(session: Session, query: str, language: str | None) -> list[str]:
    """newsdesk's search: the reports of the matched stories in order, best story first."""
    vector = load_embedder().encode([query])[0]
    matches = story_matches(session, query, vector, SearchFilters(language=language))
    return [report.id for match in matches for report in match.reports]


def baseline_ranking(session: Session, query: str, language: str | None) -> list[str]:
    """The search before stems and vectors: every word as written (FTS5 unicode61), BM25, flat."""
    words = re.findall(r"\w+", query)[:20]
    match = " ".join('"' + w + '"' for w in words)
    sql = (
        "SELECT a.id FROM articles_fts f JOIN articles a ON a.rowid = f.rowid WHERE articles_fts MATCH :m "
        "AND (:lang IS NULL OR a.language = :lang) ORDER BY bm25(articles_fts, 5.0, 1.0) LIMIT 20"
    )
    return [str(r[0]) for r in session.execute(text(sql), {"m": match, "lang": language})]


def score_queries(store: Store, corpus: Corpus, items: list[dict[str, Any]], ranker: Ranker) -> SearchScore:
    """Mean recall@20 and precision@5 of the ranker over the queries, overall and by kind."""
    started = time.perf_counter()
    recalls, precisions, misses = [], [], []
    by_kind: dict[str, list[tuple[float, float]]] = {}
    with store.session() as session:
        for item in items:
            wanted = relevant_articles(item, corpus)
            ranked = list(dict.fromkeys(ranker(session, item["q"], item.get("language"))))
            recall = len(wanted & set(ranked[:20])) / len(wanted)
            precision = len(wanted & set(ranked[:5])) / min(5, len(wanted))
            recalls.append(recall)
            precisions.append(precision)
            by_kind.setdefault(item["kind"], []).append((recall, precision))
            if recall < 1 or precision < 1:
                misses.append(
                    f"{item['q']!r} [{item.get('language') or 'any'}]: "
                    f"R@20 {recall:.2f} P@5 {precision:.2f} top {ranked[:5]}"
                )
    kinds = {
        k: (float(np.mean([r for r, _ in v])), float(np.mean([p for _, p in v])), len(v))
        for k, v in by_kind.items()
    }
    return SearchScore(
        len(items),
        float(np.mean(recalls)),
        float(np.mean(precisions)),
        kinds,
        misses,
        time.perf_counter() - started,
    )


def demo_store(folder: Path) -> tuple[Store, Corpus]:
    corpus = load_corpus()
    store = open_store(f"sqlite:///{folder / 'search.db'}")
    fill_demo_store(store, corpus)
    return store, corpus


@click.command("search")
@click.option("--baseline", is_flag=True, help="Measure the search before stems and vectors instead")
@click.option("--verbose", is_flag=True, help="List the queries not fully right")
def command(baseline: bool, verbose: bool) -> None:
    """Recall@20 and precision@5 of search on the demo corpus, with queries in English, German and Spanish."""
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-search-") as folder:
        store, corpus = demo_store(Path(folder))
        try:
            score = score_queries(
                store, corpus, load_query_set(), baseline_ranking if baseline else hybrid_ranking
            )
        finally:
            store.close()
    click.echo(
        f"method: {'baseline (words as written)' if baseline else 'hybrid (stems + vectors, by story)'}"
    )
    click.echo(
        f"queries: {score.queries}  recall@20: {score.recall:.3f}  "
        f"precision@5: {score.precision:.3f}  ({score.seconds:.1f}s)"
    )
    for kind, (recall, precision, count) in sorted(score.kinds.items()):
        click.echo(f"  {kind:<9} {count:>3} queries  recall@20 {recall:.3f}  precision@5 {precision:.3f}")
    if verbose:
        for miss in score.misses:
            click.echo(f"  miss: {miss}")
