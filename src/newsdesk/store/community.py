"""Readers: accounts (argon2 hashes), comments with moderation, bookmarks and follows."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import and_, bindparam, delete, func, or_, select, true, update
from sqlalchemy.orm import Session

from newsdesk.store.articles import latest_articles
from newsdesk.store.models import Article, ArticleTag, Bookmark, Comment, Follow, Source, Tag, User, utcnow

HASHER = PasswordHasher()
DUMMY_HASH = HASHER.hash("a password nobody has")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{2,31}$")
MAX_COMMENT = 4000
FOLLOW_KINDS = ("source", "category", "tag", "story")
COMMENT_STATUSES = ("visible", "hidden", "held")
MIN_PASSWORD, MAX_PASSWORD = 10, 1000


class AccountError(ValueError):
    """A username or password that cannot be used (the message says why)."""


class WrongPassword(AccountError):
    """The current password given to confirm a change is not the reader's."""


class TooManyComments(AccountError):
    """The reader reached a comment limit (per minute or per day); the message says when to post again."""


def normalise_username(name: str) -> str:
    """NFKC, case-folded, controls and zero-width characters refused: one spelling per name."""
    folded = unicodedata.normalize("NFKC", name).strip().casefold()
    if not USERNAME.match(folded):
        raise AccountError(
            "a username has 3 to 32 letters a-z, digits, '.', '_' or '-', and starts with one of a-z0-9"
        )
    return folded


def login_key(username: str) -> str:
    """The one spelling of a name that log-in and its throttle both use (also for names that cannot exist)."""
    try:
        return normalise_username(username)
    except AccountError:
        return unicodedata.normalize("NFKC", username).strip().casefold()


@cache
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords of zxcvbn's shipped list (read once, on the first check)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(username: str, password: str) -> str:
    """Why ``password`` cannot be used for ``username`` ('' when it can)."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        return f"a password has {MIN_PASSWORD} to {MAX_PASSWORD} characters"
    folded = unicodedata.normalize("NFKC", password).casefold()
    if folded == login_key(username) or folded == unicodedata.normalize("NFKC", username).casefold():
        return "a password must not be the username"
    if len(set(folded)) == 1:
        return "a password must not be one character repeated"
    if folded in common_passwords():
        return "that password is one of the most common ones; choose another"
    return ""


def create_user(session: Session, username: str, password: str, *, is_admin: bool = False) -> User:
    name = normalise_username(username)
    problem = password_problem(username, password)
    if problem:
        raise AccountError(problem)
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


def change_password(session: Session, user_id: int, current: str, new: str) -> None:
    """Set a new password after checking the current one; every session of the reader ends."""
    user = session.get(User, user_id)
    if user is None:
        raise LookupError(f"no user {user_id}")
    try:
        HASHER.verify(user.password_hash, current[:MAX_PASSWORD])
    except (VerificationError, InvalidHashError) as exc:
        raise WrongPassword("the current password is not right") from exc
    problem = password_problem(user.username, new)
    if problem:
        raise AccountError(problem)
    user.password_hash = HASHER.hash(new)
    user.session_version += 1


def end_sessions(session: Session, user_id: int) -> None:
    """Refuse every session cookie the reader holds (log-out everywhere)."""
    session.execute(update(User).where(User.id == user_id).values(session_version=User.session_version + 1))


def delete_user(session: Session, user_id: int) -> None:
    """Remove a reader with their comments, bookmarks and follows (their sessions end with the row)."""
    session.execute(delete(User).where(User.id == user_id))


def set_banned(session: Session, user_id: int, banned: bool) -> User:
    """Ban a reader (sessions ended, comments hidden, no log-in or posting) or lift the ban."""
    user = session.get(User, user_id)
    if user is None:
        raise LookupError(f"no user {user_id}")
    if user.is_admin and banned:
        raise AccountError("an administrator cannot be banned; remove the role first")
    user.banned_at = utcnow() if banned else None
    if banned:
        user.session_version += 1
        session.execute(update(Comment).where(Comment.user_id == user_id).values(status="hidden"))
    return user


@dataclass(frozen=True)
class CommentLimits:
    per_minute: int = 5
    per_day: int = 100
    max_chars: int = MAX_COMMENT
    hold_first: bool = False


def clean_comment(text: str) -> str:
    """Plain text only: NFC, control and bidi-override characters removed, blank runs folded."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def comments_since(session: Session, user_id: int, since: datetime) -> int:
    query = select(func.count()).where(Comment.user_id == user_id, Comment.created_at > since)
    return session.scalar(query) or 0


def check_comment_limits(session: Session, user: User, limits: CommentLimits, now: datetime) -> None:
    """Raise when ``user`` may not post now: banned, or over the per-minute or per-day limit."""
    if user.banned_at is not None:
        raise AccountError("this account may no longer post comments")
    if comments_since(session, user.id, now - timedelta(minutes=1)) >= limits.per_minute:
        raise TooManyComments(f"at most {limits.per_minute} comments a minute; wait a moment and post again")
    if comments_since(session, user.id, now - timedelta(days=1)) >= limits.per_day:
        raise TooManyComments(f"at most {limits.per_day} comments a day; post again tomorrow")


def add_comment(
    session: Session, user: User, article_id: str, text: str, limits: CommentLimits | None = None
) -> Comment:
    """Store a reader's comment (held for a moderator when it is a new reader's first and limits say so)."""
    limits = limits or CommentLimits()
    body = clean_comment(text)
    if not body:
        raise AccountError("a comment needs some text")
    if len(body) > limits.max_chars:
        raise AccountError(f"a comment has at most {limits.max_chars} characters (this one has {len(body)})")
    if session.get(Article, article_id) is None:
        raise LookupError(f"no article {article_id}")
    check_comment_limits(session, user, limits, utcnow())
    status = "held" if limits.hold_first and not has_shown_comment(session, user.id) else "visible"
    comment = Comment(article_id=article_id, user_id=user.id, body=body, status=status)
    session.add(comment)
    session.flush()
    return comment


def has_shown_comment(session: Session, user_id: int) -> bool:
    query = select(Comment.id).where(Comment.user_id == user_id, Comment.status == "visible").limit(1)
    return session.scalars(query).first() is not None


VISIBLE_COMMENTS = (
    select(func.count())
    .select_from(Comment)
    .where(Comment.article_id == bindparam("article_id"), Comment.status == "visible")
)  # built once: every article page asks it


def article_comments(
    session: Session, article_id: str, *, page: int = 1, per_page: int = 50
) -> tuple[list[dict[str, Any]], int]:
    """One page of an article's visible comments, oldest first, and how many there are in all."""
    total = session.connection().execute(VISIBLE_COMMENTS, {"article_id": article_id}).scalar() or 0
    if total <= (page - 1) * per_page:  # nothing on this page (most articles have no comments at all)
        return [], total
    visible = and_(Comment.article_id == article_id, Comment.status == "visible")  # built: 0.1 ms
    query = (
        select(Comment, User)
        .join(User, User.id == Comment.user_id)
        .where(visible)
        .order_by(Comment.created_at, Comment.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    comments = [
        {
            "id": c.id,
            "author": u.display_name or u.username,
            "body": c.body,
            "status": c.status,
            "created_at": c.created_at,
        }
        for c, u in session.execute(query).all()
    ]
    return comments, total


def moderation_queue(
    session: Session, *, status: str | None = None, page: int = 1, per_page: int = 50
) -> tuple[list[dict[str, Any]], int]:
    """One page of comments for moderators, newest first (optionally of one status), and the total."""
    condition = Comment.status == status if status else true()
    total = session.scalar(select(func.count()).select_from(Comment).where(condition)) or 0
    query = (
        select(Comment, User, Article)
        .join(User, User.id == Comment.user_id)
        .join(Article, Article.id == Comment.article_id)
        .where(condition)
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    comments = [
        {
            "id": c.id,
            "author": u.username,
            "author_id": u.id,
            "author_banned": u.banned_at is not None,
            "author_is_admin": u.is_admin,
            "body": c.body,
            "status": c.status,
            "article_id": a.id,
            "article_title": a.title,
            "created_at": c.created_at,
        }
        for c, u, a in session.execute(query).all()
    ]
    return comments, total


def set_comment_status(session: Session, comment_ids: list[int], status: str) -> int:
    """Show, hide or hold comments at once; return how many exist."""
    if status not in COMMENT_STATUSES:
        raise ValueError(f"unknown comment status {status!r}")
    if not comment_ids:
        return 0
    found = list(session.scalars(select(Comment).where(Comment.id.in_(comment_ids))))
    if not found:
        raise LookupError(f"no comment {comment_ids[0]}")
    for comment in found:
        comment.status = status
    return len(found)


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
