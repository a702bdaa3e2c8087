"""Story assignment across processes: workers that catch up from the store decide as one process would."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update

from newsdesk.demo.corpus import load_corpus
from newsdesk.pipeline import stories as stories_pipeline
from newsdesk.pipeline.stories import StoryWorker, assign_stories, new_worker
from newsdesk.store import Store, transaction
from newsdesk.store.articles import ArticleRecord, save_article
from newsdesk.store.enrichment import latest_story_seq
from newsdesk.store.models import Article, ArticleVector, RelatedArticle, Story, StorySequence, utcnow
from newsdesk.store.sources import SourceSpec, add_source
from newsdesk.stories.metrics import score_clustering


def store_demo(store: Store) -> list[list[str]]:
    """The demo corpus stored unprocessed, one source per outlet; its article ids in three batches of
    whole outlets (as polls bring them: each batch spans the whole time range)."""
    corpus = load_corpus()
    now = utcnow()
    ids: dict[str, list[str]] = {}
    with transaction(store.sessions) as session:
        sources: dict[str, int] = {}
        for outlet in sorted({a.outlet for a in corpus.articles.values()}):
            spec = SourceSpec(feed_url=f"https://{outlet}.example/feed.xml", name=outlet)
            sources[outlet] = add_source(session, spec)[0].id
        for a in corpus.articles.values():
            url = f"https://{a.outlet}.example/{a.id}.html"
            record = ArticleRecord(
                source_id=sources[a.outlet],
                url=url,
                canonical_url=url,
                title=a.title,
                blocks=[{"kind": "p", "text": paragraph} for paragraph in a.body],
                published_at=now - timedelta(hours=a.hours_ago),
                language=a.lang,
                agency=a.agency,
            )
            article, _ = save_article(session, record)
            article.processed_at = None
            ids.setdefault(a.outlet, []).append(article.id)
    outlets = sorted(ids)
    return [[i for outlet in outlets[k::3] for i in ids[outlet]] for k in range(3)]


def release(store: Store, article_ids: list[str]) -> None:
    """Mark articles processed: the next assignment run takes them."""
    with transaction(store.sessions) as session:
        session.execute(update(Article).where(Article.id.in_(article_ids)).values(processed_at=utcnow()))


def partition(store: Store) -> dict[str, str]:
    with store.session() as session:
        return {a.id: str(a.story_id) for a in session.scalars(select(Article))}


def forget_stories(store: Store) -> None:
    """Undo every story write, as if no article had been assigned."""
    with transaction(store.sessions) as session:
        session.execute(
            update(Article).values(story_id=None, duplicate_of=None, story_seq=None, processed_at=None)
        )
        for table in (RelatedArticle, ArticleVector, Story):
            session.execute(delete(table))
        session.execute(update(StorySequence).values(value=0))


def run_batches(store: Store, batches: list[list[str]], workers: list[StoryWorker]) -> dict[str, str]:
    for batch, worker in zip(batches, workers, strict=True):
        release(store, batch)
        assign_stories(store, worker=worker)
    return partition(store)


def test_workers_that_saw_nothing_of_each_other_assign_as_one_process(store: Store) -> None:
    batches = store_demo(store)
    one = new_worker()
    single = run_batches(store, batches, [one, one, one])
    forget_stories(store)
    first, second, third = (new_worker() for _ in range(3))  # all warmed before any story existed
    for worker in (first, second, third):
        stories_pipeline.catch_up(store, worker)
    batched = run_batches(store, batches, [first, second, third])
    agreement = score_clustering(single, batched)
    assert agreement.bcubed_f1 >= 0.99, agreement
    assert len(set(batched.values())) == len(set(single.values()))
    with store.session() as session:
        assert latest_story_seq(session) == 3
        numbered = session.scalars(select(Article.story_seq).where(Article.story_seq.is_not(None)))
        assert set(numbered) <= {1, 2, 3}


def test_a_write_that_raced_another_process_is_redone_from_the_store(store: Store) -> None:
    batches = store_demo(store)
    stale = new_worker()
    stories_pipeline.catch_up(store, stale)
    release(store, batches[0])
    assign_stories(store, worker=new_worker())  # another process writes first
    release(store, batches[1] + batches[2])
    decided = stale.clusterer.assign_many([])  # nothing yet: the stale worker knows no story
    assert decided == [] and stale.clusterer.active_stories() == []
    with pytest.raises(stories_pipeline.StaleStories):
        stories_pipeline.save_assignments(store, stale, [], [])
    assign_stories(store, worker=stale)  # catches up first, so it writes after the other process
    with store.session() as session:
        assert session.scalar(select(Article.id).where(Article.story_id.is_(None))) is None
        assert latest_story_seq(session) == 2
