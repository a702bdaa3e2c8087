"""A synthetic store for the web benchmark: many sources, articles in stories, tags, written in bulk."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import insert, text

from newsdesk.models import DEFAULT_MODEL
from newsdesk.store import Store
from newsdesk.store.ids import content_hash, make_id
from newsdesk.store.models import (
    Article,
    ArticleTag,
    ArticleVector,
    RelatedArticle,
    Source,
    Story,
    Tag,
    utcnow,
)

SYLLABLES = ["ka", "lo", "mi", "ne", "ra", "to", "su", "vi", "de", "po", "an", "el", "ur", "is", "ost", "ber"]
VOCABULARY = sorted({"".join(random.Random(i).choices(SYLLABLES, k=2 + i % 3)) for i in range(8_000)})
ZIPF_CUMULATIVE = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(VOCABULARY))))
CATEGORIES = ["world", "politics", "business", "technology", "science", "health", "sports", "entertainment"]
COUNTRIES = ["US", "GB", "DE", "ES", "SG", "FR", "IT", "IN"]
VECTOR_DIM = 512  # the multilingual USE vectors the stories stage stores


def sentence(rng: random.Random, words: int) -> str:
    """Words drawn with Zipf frequencies, as in real text: a few very common, most rare."""
    return " ".join(rng.choices(VOCABULARY, cum_weights=ZIPF_CUMULATIVE, k=words)).capitalize() + "."


def fill_store(
    store: Store,
    articles: int = 200_000,
    stories: int = 20_000,
    sources: int = 200,
    tags: int = 2_000,
    progress: Callable[[int], None] | None = None,
    seed: int = 7,
) -> None:
    """Insert ``articles`` articles spread over ``stories`` stories, with tags, in batches of 2,000."""
    rng = random.Random(seed)
    vectors = np.random.default_rng(seed)
    now = utcnow()
    with store.engine.begin() as connection:
        connection.execute(
            insert(Source),
            [
                {
                    "slug": f"source-{i}",
                    "name": f"Source {i}",
                    "feed_url": f"https://s{i}.example/feed",
                    "site_url": f"https://s{i}.example/",
                    "feed_format": "rss",
                    "country": COUNTRIES[i % len(COUNTRIES)],
                    "language": "en",
                    "enabled": False,
                    "error_count": 0,
                    "folder": "",
                    "body_hash": "",
                    "created_at": now,
                }
                for i in range(1, sources + 1)
            ],
        )
        connection.execute(
            insert(Tag),
            [{"id": i, "slug": f"tag-{i}", "name": f"Tag{i}", "kind": "topic"} for i in range(1, tags + 1)],
        )
        connection.execute(
            insert(Story),
            [
                {
                    "id": make_id(f"story-{i}"),
                    "title": sentence(rng, 8),
                    "first_seen_at": now - timedelta(hours=i % 72),
                    "last_seen_at": now - timedelta(hours=i % 72),
                    "article_count": 0,
                    "source_count": 0,
                }
                for i in range(stories)
            ],
        )
    batch: list[dict[str, object]] = []
    links: list[dict[str, object]] = []
    near: list[dict[str, object]] = []
    for n in range(articles):
        batch.append(_article_row(rng, n, stories, sources, now))
        links += [
            {"article_id": batch[-1]["id"], "tag_id": rng.randint(1, tags), "weight": 1.0} for _ in range(3)
        ]
        near += _related_rows(rng, n, sources)
        if len(batch) == 2_000 or n == articles - 1:
            with store.engine.begin() as connection:
                connection.execute(insert(Article), batch)
                connection.execute(insert(ArticleTag).prefix_with("OR IGNORE", dialect="sqlite"), links)
                if near:
                    connection.execute(
                        insert(RelatedArticle).prefix_with("OR IGNORE", dialect="sqlite"), near
                    )
                connection.execute(insert(ArticleVector), _vector_rows(vectors, batch))
            if progress:
                progress(len(batch))
            batch, links, near = [], [], []
    with store.engine.begin() as connection:
        connection.execute(text(STORY_COUNTS))


STORY_COUNTS = (
    "UPDATE stories SET article_count = (SELECT count(*) FROM articles a WHERE a.story_id = stories.id), "
    "source_count = (SELECT count(DISTINCT a.source_id) FROM articles a WHERE a.story_id = stories.id)"
)


def _vector_rows(rng: np.random.Generator, batch: list[dict[str, object]]) -> list[dict[str, object]]:
    """A stored sentence vector per article (random unit vectors: what search scans, not what it finds)."""
    matrix = rng.standard_normal((len(batch), VECTOR_DIM)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    return [
        {"article_id": row["id"], "model": DEFAULT_MODEL, "vector": vector.tobytes()}
        for row, vector in zip(batch, matrix, strict=True)
    ]


def _article_url(n: int, sources: int) -> str:
    return f"https://s{n % sources + 1}.example/news/{n}"


def _related_rows(rng: random.Random, n: int, sources: int) -> list[dict[str, object]]:
    """Three earlier articles (of other stories) the stories stage found near article n, both ways."""
    rows: list[dict[str, object]] = []
    this = make_id(_article_url(n, sources))
    for m in {n - rng.randint(1, 50) for _ in range(3)}:
        if m >= 0:
            other, score = make_id(_article_url(m, sources)), round(rng.uniform(0.15, 0.5), 3)
            rows += [
                {"article_id": this, "related_id": other, "score": score},
                {"article_id": other, "related_id": this, "score": score},
            ]
    return rows


def _article_row(rng: random.Random, n: int, stories: int, sources: int, now: datetime) -> dict[str, object]:
    url = _article_url(n, sources)
    body = [
        {"kind": "p", "text": " ".join(sentence(rng, rng.randint(12, 25)) for _ in range(3))}
        for _ in range(8)
    ]
    text = "\n".join(b["text"] for b in body)
    title = sentence(rng, 9)
    return {
        "id": make_id(url),
        "source_id": n % sources + 1,
        "guid": url,
        "url": url,
        "canonical_url": url,
        "title": title,
        "subtitle": "",
        "byline": "",
        "authors": [],
        "agency": "",
        "dateline": "",
        "section": "",
        "language": "en",
        "published_at": now - timedelta(minutes=n % 10_000),
        "first_seen_at": now,
        "fetched_at": now,
        "summary": "",
        "body": body,
        "body_text": text,
        "word_count": len(text.split()),
        "content_hash": content_hash(title + text),
        "entry_hash": "",
        "lead_image_url": "",
        "category_slug": CATEGORIES[n % len(CATEGORIES)],
        "story_id": make_id(f"story-{n % stories}"),
        "extraction_note": "",
        "processed_at": now,  # already understood: the server's worker has nothing to do during the run
        "images_at": now,  # and no images to copy
    }
