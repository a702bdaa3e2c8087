"""Readers: accounts (argon2 hashes), comments with moderation, bookmarks and follows."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import and_, delete, or_, select
from sqlalchemy.orm import Session

from newsdesk.store.articles import latest_articles
from newsdesk.store.models import Article, ArticleTag, Bookmark, Comment, Follow, Source, Tag, User

HASHER = PasswordHasher()
DUMMY_HASH = HASHER.hash("a password nobody has")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{2,31}$")
MAX_COMMENT = 4000
FOLLOW_KINDS = ("source", "category", "tag", "story")


class AccountError(ValueError):
    """A username or password that cannot be used (the message says why)."""


def normalise_username(name: str) -> str:
    """NFKC, case-folded, controls and zero-width characters refused: one spelling per name."""
    folded = unicodedata.normalize("NFKC", name).strip().casefold()
    if not USERNAME.match(folded):
        raise AccountError(
            "a username has 3 to 32 letters a-z, digits, '.', '_' or '-', and starts with one of a-z0-9"
        )
    return folded


def create_user(session: Session, username: str, password: str, *, is_admin: bool = False) -> User:
    name = normalise_username(username)
    if len(password) < 10 or len(password) > 1000:
        raise AccountError("a password has 10 to 1000 characters")
    if session.scalars(select(User.id).where(User.username == name)).first() is not None:
        raise AccountError("that username is taken")
    user = User(
        username=name,
        display_name=username.strip()[:100],
        password_hash=HASHER.hash(password),
        is_admin=is_admin,
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The user when the password is right; the same work is done for unknown names (no timing leak)."""
    try:
        name = normalise_username(username)
    except AccountError:
        name = ""
    user = session.scalars(select(User).where(User.username == name)).first() if name else None
    try:
        HASHER.verify(user.password_hash if user else DUMMY_HASH, password[:1000])
    except (VerificationError, InvalidHashError):
        return None
    return user


def clean_comment(text: str) -> str:
    """Plain text only: NFC, control and bidi-override characters removed, length capped."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()[:MAX_COMMENT]


def add_comment(session: Session, user: User, article_id: str, text: str) -> Comment:
    body = clean_comment(text)
    if not body:
        raise AccountError("a comment needs some text")
    if session.get(Article, article_id) is None:
        raise LookupError(f"no article {article_id}")
    comment = Comment(article_id=article_id, user_id=user.id, body=body, status="visible")
    session.add(comment)
    session.flush()
    return comment


def article_comments(
    session: Session, article_id: str, *, include_hidden: bool = False
) -> list[dict[str, Any]]:
    query = (
        select(Comment, User).join(User, User.id == Comment.user_id).where(Comment.article_id == article_id)
    )
    if not include_hidden:
        query = query.where(Comment.status == "visible")
    rows = session.execute(query.order_by(Comment.created_at)).all()
    return [
        {
            "id": c.id,
            "author": u.display_name or u.username,
            "body": c.body,
            "status": c.status,
            "created_at": c.created_at,
        }
        for c, u in rows
    ]


def moderation_queue(session: Session, limit: int = 100) -> list[dict[str, Any]]:
    """The latest comments, newest first, for moderators."""
    query = (
        select(Comment, User, Article)
        .join(User, User.id == Comment.user_id)
        .join(Article, Article.id == Comment.article_id)
        .order_by(Comment.created_at.desc())
        .limit(limit)
    )
    return [
        {
            "id": c.id,
            "author": u.username,
            "body": c.body,
            "status": c.status,
            "article_id": a.id,
            "article_title": a.title,
            "created_at": c.created_at,
        }
        for c, u, a in session.execute(query).all()
    ]


def set_comment_status(session: Session, comment_id: int, status: str) -> None:
    if status not in ("visible", "hidden"):
        raise ValueError(f"unknown comment status {status!r}")
    comment = session.get(Comment, comment_id)
    if comment is None:
        raise LookupError(f"no comment {comment_id}")
    comment.status = status


def toggle_bookmark(session: Session, user_id: int, article_id: str) -> bool:
    """Bookmark the article, or remove the bookmark; True when it is now bookmarked."""
    if session.get(Article, article_id) is None:
        raise LookupError(f"no article {article_id}")
    existing = session.get(Bookmark, (user_id, article_id))
    if existing is not None:
        session.delete(existing)
        return False
    session.add(Bookmark(user_id=user_id, article_id=article_id))
    return True


def bookmarked_articles(session: Session, user_id: int, limit: int = 100) -> list[Article]:
    query = (
        select(Article)
        .join(Bookmark, and_(Bookmark.article_id == Article.id, Bookmark.user_id == user_id))
        .order_by(Bookmark.created_at.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def is_bookmarked(session: Session, user_id: int, article_id: str) -> bool:
    return session.get(Bookmark, (user_id, article_id)) is not None


def toggle_follow(session: Session, user_id: int, kind: str, target: str) -> bool:
    """Follow a source, category, tag or story, or stop; True when it is now followed."""
    if kind not in FOLLOW_KINDS:
        raise ValueError(f"cannot follow a {kind!r}")
    where = and_(Follow.user_id == user_id, Follow.kind == kind, Follow.target == target[:200])
    if session.scalars(select(Follow.id).where(where)).first() is not None:
        session.execute(delete(Follow).where(where))
        return False
    session.add(Follow(user_id=user_id, kind=kind, target=target[:200]))
    return True


def follows_of(session: Session, user_id: int) -> set[tuple[str, str]]:
    return {(f.kind, f.target) for f in session.scalars(select(Follow).where(Follow.user_id == user_id))}


def followed_articles(
    session: Session, user_id: int, cursor: str | None = None, limit: int = 30
) -> tuple[list[Article], str | None]:
    """Newest articles from the sources, categories, hashtags and stories the user follows."""
    follows = follows_of(session, user_id)
    wanted = {kind: [t for k, t in follows if k == kind] for kind in FOLLOW_KINDS}
    if not any(wanted.values()):
        return [], None
    source_ids = select(Source.id).where(Source.slug.in_(wanted["source"]))
    tagged = (
        select(ArticleTag.article_id)
        .join(Tag, Tag.id == ArticleTag.tag_id)
        .where(Tag.slug.in_(wanted["tag"]))
    )
    condition = or_(
        Article.source_id.in_(source_ids),
        Article.category_slug.in_(wanted["category"]),
        Article.id.in_(tagged),
        Article.story_id.in_(wanted["story"]),
    )
    return latest_articles(session, limit=limit, cursor=cursor, condition=condition)
