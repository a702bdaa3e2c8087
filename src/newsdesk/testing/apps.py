"""Reader-app tests' store: two sources (one in a folder), seven articles an hour apart, one story."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdesk.store import Store, transaction
from newsdesk.store.articles import ArticleRecord, save_article
from newsdesk.store.models import Story
from newsdesk.store.sources import SourceSpec, add_source

NOW = datetime.now(UTC).replace(microsecond=0)
STORY_ID = "s" * 32


def add_articles(store: Store) -> tuple[int, int]:
    """The Gazette (folder 'World news') with 5 articles an hour apart, the Courier with 2, one story."""
    with transaction(store.sessions) as session:
        gazette, _ = add_source(
            session,
            SourceSpec(feed_url="https://gazette.example/feed", name="The Gazette", folder="World news"),
        )
        courier, _ = add_source(
            session, SourceSpec(feed_url="https://courier.example/feed", name="The Courier")
        )
        session.add(Story(id=STORY_ID, title="Harbour bridge"))
        for n in range(7):
            source = gazette if n < 5 else courier
            article, _ = save_article(
                session,
                ArticleRecord(
                    source_id=source.id,
                    url=f"https://{source.slug}.example/{n}",
                    canonical_url=f"https://{source.slug}.example/{n}",
                    title=f"Report {n}",
                    blocks=[{"kind": "p", "text": f"Text <b>{n}</b>"}, {"kind": "li", "text": "a point"}],
                    published_at=NOW - timedelta(hours=n),
                    authors=["Hannah Okoro"],
                ),
            )
            article.story_id = STORY_ID if n in (1, 5) else None
        return gazette.id, courier.id
