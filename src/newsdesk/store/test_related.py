"""Related articles and stored vectors, on SQLite and PostgreSQL."""

from __future__ import annotations

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from newsdesk.store import Store, transaction
from newsdesk.store.articles import save_article
from newsdesk.store.enrichment import TagRecord, save_vector, upsert_tags, vectors_of
from newsdesk.store.models import Article, ArticleTag, RelatedArticle, Story
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


def tag_article(session: Session, article_id: str, names: list[str]) -> None:
    """Tag an article (tags made as needed)."""
    ids = upsert_tags(session, [TagRecord(slug=n.lower(), name=n, kind="place") for n in names])
    session.add_all(ArticleTag(article_id=article_id, tag_id=ids[n.lower()]) for n in names)


def test_reports_sharing_only_their_papers_town_are_not_related(store: Store) -> None:
    """Golden case of issue 17: "Kometenstaub sicher in Australien gelandet" was followed by a Rotterdam
    port hack, a Cologne bridge and a film shoot: the Cologne paper's reports, sharing only #Cologne."""
    source_id = make_source(store)
    titles = [
        ("Kometenstaub sicher in Australien gelandet", ["Cologne", "Australia", "KometOstrander"]),
        ("Hackerangriff legt Rotterdamer Containerterminal lahm", ["Cologne", "Rotterdam", "Rhine"]),
        ("Kanalbrücke in Köln-Neuehrenfeld wird saniert", ["Cologne", "HenningRoggendorf"]),
        ("Dreharbeiten am Ring: Sperrungen in der Kölner Innenstadt", ["Cologne", "AyseDemirtas"]),
        ("Comet Ostrander capsule: Singapore lab to study the dust", ["Australia", "KometOstrander"]),
    ]
    with transaction(store.sessions) as session:
        ids = []
        for n, (title, tags) in enumerate(titles):
            article = save_article(session, record(source_id, n, title=title))[0]
            session.add(Story(id=f"{n:032d}", title=title))
            session.flush()
            article.story_id = f"{n:032d}"
            tag_article(session, article.id, tags)
            ids.append(article.id)
    with store.session() as session:
        comet = session.get(Article, ids[0])
        assert comet is not None
        assert [a.title for a in related_articles(session, comet)] == [titles[4][0]]
        bridge = session.get(Article, ids[2])
        assert bridge is not None and related_articles(session, bridge) == []  # nothing, not padding
