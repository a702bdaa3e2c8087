"""The comments under an article: one page of them, with links to the pages around it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi.exceptions import RequestValidationError
from sqlalchemy.orm import Session

from newsdesk.store.community import article_comments
from newsdesk.web.context import time_fields

COMMENTS_PER_PAGE = 50
LAST_PAGE = 10**9  # ?comments=last: the page a reader's new comment is on


def comments_page_number(value: str) -> int:
    """The comments page asked for: a number from 1, or 'last'; anything else is a 422."""
    if value == "last":
        return LAST_PAGE
    if not value.isascii() or not value.isdigit() or int(value) < 1:
        raise RequestValidationError(
            [{"loc": ("query", "comments"), "msg": "a page number or 'last'", "type": "value_error"}]
        )
    return int(value)


def comments_context(session: Session, article_id: str, page: int) -> dict[str, Any]:
    """One page of an article's comments with links to the pages before and after it."""
    items, total = article_comments(session, article_id, page=page, per_page=COMMENTS_PER_PAGE)
    pages = max(1, -(-total // COMMENTS_PER_PAGE))
    if page > pages:  # past the last page (comments were removed): the last one
        page = pages
        items, total = article_comments(session, article_id, page=page, per_page=COMMENTS_PER_PAGE)
    now = datetime.now(UTC)
    for comment in items:
        comment.update(time_fields("created_at", comment["created_at"], now))
    return {
        "items": items,
        "total": total,
        "page": page,
        "pages": pages,
        "prev_url": f"?comments={page - 1}#comments" if page > 1 else None,
        "next_url": f"?comments={page + 1}#comments" if page < pages else None,
    }
