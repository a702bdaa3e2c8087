"""Related articles and stored vectors, on SQLite and PostgreSQL."""

from __future__ import annotations

import numpy as np
from sqlalchemy import select

from newsdesk.store import Store, transaction
from newsdesk.store.articles import save_article
from newsdesk.store.enrichment import save_vector, vectors_of
from newsdesk.store.models import Article, RelatedArticle, Story
from newsdesk.store.stories import related_articles, save_related
from newsdesk.store.test_store import make_source, record


def test_related_links_are_kept_both_ways_and_one_per_other_story(store: Store) -> None:
    source_id = make_source(store)
    with transaction(store.sessions) as session:
        ids = [save_article(session, record(source_id, n))[0].id for n in range(5)]
        session.add_all(Story(id=name * 16, title=name) for name in ("s0", "s1", "s2"))
        session.flush()
        for article_id, name in zip(ids, ["s0", "s1", "s1", "s2", "s0"], strict=True):
            session.get(Article, article_id).story_id = name * 16  # type: ignore[union-attr]
        save_related(session, ids[0], [(ids[1], 0.4), (ids[2], 0.3), (ids[3], 0.2), (ids[4], 0.5)])
        save_related(session, ids[1], [(ids[0], 0.45)])  # found again from the other side: the higher score
    with store.session() as session:
        rows = {(r.article_id, r.related_id): r.score for r in session.scalars(select(RelatedArticle))}
        assert rows[(ids[0], ids[1])] == rows[(ids[1], ids[0])] == 0.45 and len(rows) == 8
        first = session.get(Article, ids[0])
        assert first is not None
        near = [a.id for a in related_articles(session, first, limit=6)]
        # ids[4] shares ids[0]'s story and ids[2] shares ids[1]'s: one article per other story, best first
        assert near == [ids[1], ids[3]]


def test_vectors_are_read_back_only_for_their_model(store: Store) -> None:
    source_id = make_source(store)
    vector = np.arange(4, dtype=np.float32)
    with transaction(store.sessions) as session:
        article_id = save_article(session, record(source_id, 1))[0].id
        save_vector(session, article_id, "use-multilingual-v3", vector.tobytes())
    with store.session() as session:
        found = vectors_of(session, [article_id, "0" * 32], "use-multilingual-v3")
        assert np.array_equal(np.frombuffer(found[article_id], dtype=np.float32), vector)
        assert vectors_of(session, [article_id], "another-model") == {}
