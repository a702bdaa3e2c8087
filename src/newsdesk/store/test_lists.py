"""Lists with wire copies, on SQLite and PostgreSQL: a copy once, unless its original is not listed."""

from __future__ import annotations

from sqlalchemy import ColumnElement

from newsdesk.store import Store, transaction
from newsdesk.store.articles import copies_by_original, latest_articles, save_article
from newsdesk.store.models import Article, ArticleTag, Tag
from newsdesk.store.test_store import make_source, record


def listed(store: Store, **filters: object) -> list[str]:
    with store.session() as session:
        return [a.id for a in latest_articles(session, limit=50, **filters)[0]]  # type: ignore[arg-type]


def test_a_copy_is_listed_only_where_its_original_is_not(store: Store) -> None:
    wire, paper = make_source(store), make_source(store, "https://paper.example/feed")
    with transaction(store.sessions) as session:
        original = save_article(session, record(wire, 2, category_slug="health"))[0]
        copy = save_article(session, record(paper, 1, category_slug="health"))[0]
        own = save_article(session, record(paper, 3, category_slug="world"))[0]
        copy.duplicate_of = original.id
        tag = Tag(slug="malaria", name="Malaria", kind="topic")
        session.add(tag)
        session.flush()
        session.add_all(ArticleTag(article_id=a.id, tag_id=tag.id) for a in (original, copy))
        original_id, copy_id, own_id = original.id, copy.id, own.id
    tagged: ColumnElement[bool] = Article.id.in_([original_id, copy_id])
    assert listed(store) == [original_id, own_id]  # latest news: the copy once, as its original
    assert listed(store, category="health") == [original_id]
    assert listed(store, condition=tagged) == [original_id]  # a hashtag's list
    assert listed(store, source_id=paper) == [copy_id, own_id]  # the copying paper's own page
    assert listed(store, condition=Article.source_id.in_([paper])) == [copy_id, own_id]  # its edition
    assert listed(store, category="world") == [own_id]
    with store.session() as session:
        found = copies_by_original(session, [original_id, own_id])
        assert [c.id for c in found[original_id]] == [copy_id] and own_id not in found
