"""One page of an article's comments: the page asked for, the last one past the end, none without comments."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from newsdesk.store import Store, transaction
from newsdesk.store.community import CommentLimits, add_comment, create_user
from newsdesk.store.models import Article
from newsdesk.testing.apps import add_articles
from newsdesk.web import comments
from newsdesk.web.comments import LAST_PAGE, comments_context


def test_comment_pages_clamp_to_the_last_and_an_article_without_comments_has_one_empty_page(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(comments, "COMMENTS_PER_PAGE", 2)
    add_articles(sqlite_store)
    with transaction(sqlite_store.sessions) as session:
        commented, quiet = session.scalars(select(Article.id).order_by(Article.title).limit(2)).all()
        reader = create_user(session, "reader", "a long enough password 7")
        for n in range(3):
            add_comment(session, reader, commented, f"Comment {n}", CommentLimits(hold_first=False))
    with sqlite_store.session() as session:
        first = comments_context(session, commented, 1)
        last = comments_context(session, commented, LAST_PAGE)
        none = comments_context(session, quiet, 1)
    assert [c["body"] for c in first["items"]] == ["Comment 0", "Comment 1"]
    assert (first["total"], first["pages"], first["next_url"]) == (3, 2, "?comments=2#comments")
    assert [c["body"] for c in last["items"]] == ["Comment 2"]
    assert (last["page"], last["prev_url"], last["next_url"]) == (2, "?comments=1#comments", None)
    assert (none["items"], none["total"], none["page"], none["pages"]) == ([], 0, 1, 1)
