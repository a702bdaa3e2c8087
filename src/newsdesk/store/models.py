"""SQLAlchemy models of everything newsdesk keeps."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    FetchedValue,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database (SQLite keeps naive text)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use timezone-aware UTC")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class Category(Base):
    __tablename__ = "categories"

    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    feed_url: Mapped[str] = mapped_column(String(2000), unique=True)
    site_url: Mapped[str] = mapped_column(String(2000), default="")
    feed_format: Mapped[str] = mapped_column(String(20), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    language: Mapped[str] = mapped_column(String(12), default="")
    default_category: Mapped[str | None] = mapped_column(ForeignKey("categories.slug"), default=None)
    folder: Mapped[str] = mapped_column(String(500), default="", server_default="")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    poll_interval_min: Mapped[int | None] = mapped_column(Integer, default=None)
    poll_interval_max: Mapped[int | None] = mapped_column(Integer, default=None)
    etag: Mapped[str | None] = mapped_column(String(500), default=None)
    last_modified: Mapped[str | None] = mapped_column(String(100), default=None)
    body_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")
    poll_interval: Mapped[int | None] = mapped_column(Integer, default=None)
    next_poll_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    last_polled_at: Mapped[datetime | None] = mapped_column(default=None)
    last_success_at: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    last_error_at: Mapped[datetime | None] = mapped_column(default=None)
    failing_since: Mapped[datetime | None] = mapped_column(default=None)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Story(Base):
    __tablename__ = "stories"
    __table_args__ = (Index("ix_stories_rank", "merged_into", "source_count", "last_seen_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    article_count: Mapped[int] = mapped_column(Integer, default=0)
    source_count: Mapped[int] = mapped_column(Integer, default=0)
    merged_into: Mapped[str | None] = mapped_column(String(32), default=None)
    summary_cache: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    facts_cache: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    # One category for the whole story (its articles' category_slug follows it) and how it was chosen:
    # "single" (one article), "majority" (most articles), "strongest" (a tie, broken by model confidence).
    category_slug: Mapped[str | None] = mapped_column(String(40), default=None)
    category_method: Mapped[str | None] = mapped_column(String(20), default=None)


class Article(Base):
    __tablename__ = "articles"
    __table_args__ = (
        Index("ix_articles_source_published", "source_id", "published_at"),
        Index("ix_articles_source_guid", "source_id", "guid"),
        Index(
            "ix_articles_copies",
            "duplicate_of",
            sqlite_where=text("duplicate_of IS NOT NULL"),
            postgresql_where=text("duplicate_of IS NOT NULL"),
        ),
        Index("ix_articles_category_published", "category_slug", "published_at"),
        Index("ix_articles_story_published", "story_id", "published_at"),
        Index(
            "ix_articles_images_pending",
            "first_seen_at",
            sqlite_where=text("images_at IS NULL"),
            postgresql_where=text("images_at IS NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    guid: Mapped[str] = mapped_column(String(2000), default="")
    url: Mapped[str] = mapped_column(String(2000), index=True)
    canonical_url: Mapped[str] = mapped_column(String(2000), unique=True)
    title: Mapped[str] = mapped_column(String(1000))
    subtitle: Mapped[str] = mapped_column(Text, default="")
    byline: Mapped[str] = mapped_column(String(500), default="")
    authors: Mapped[list[Any]] = mapped_column(default=list)
    agency: Mapped[str] = mapped_column(String(100), default="")
    dateline: Mapped[str] = mapped_column(String(200), default="")
    section: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(12), default="")
    published_at: Mapped[datetime] = mapped_column(index=True)
    updated_at: Mapped[datetime | None] = mapped_column(default=None)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[list[Any]] = mapped_column(default=list)
    body_text: Mapped[str] = mapped_column(Text, default="")
    word_count: Mapped[int] = mapped_column(Integer, default=0)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    entry_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")
    lead_image_url: Mapped[str] = mapped_column(String(2000), default="")
    category_slug: Mapped[str | None] = mapped_column(ForeignKey("categories.slug"), default=None)
    story_id: Mapped[str | None] = mapped_column(ForeignKey("stories.id"), default=None, index=True)
    duplicate_of: Mapped[str | None] = mapped_column(String(32), default=None)
    extraction_note: Mapped[str] = mapped_column(Text, default="")
    category_confidence: Mapped[float | None] = mapped_column(Float, default=None)
    own_category_slug: Mapped[str | None] = mapped_column(String(40), default=None)  # before its story's vote
    facts: Mapped[list[Any] | None] = mapped_column(default=None)
    enrichment_errors: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    processed_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    # Held by the worker enriching the article until then (renewed while it works): workers share batches.
    processing_until: Mapped[datetime | None] = mapped_column(default=None)
    summary_cache: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    # The number of the story write (``StorySequence``) that last put the article in its story or moved it:
    # a worker catches up with every write numbered after the last one it saw.
    story_seq: Mapped[int | None] = mapped_column(BigInteger, default=None, index=True)
    # A stable number in the order articles arrive, given by the database (a sequence on PostgreSQL, a
    # trigger on SQLite): the integer id reader apps (Google Reader API, Fever) know an article by.
    item_no: Mapped[int | None] = mapped_column(
        BigInteger, server_default=FetchedValue(), unique=True, index=True
    )
    # The page could not be fetched yet: the feed's own text is shown, and the page is tried again later.
    page_pending: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    page_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    page_retry_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    # Images copied by the worker (store/images.py): when, the copies by source URL, and why any failed.
    images_at: Mapped[datetime | None] = mapped_column(default=None)
    image_copies: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    images_note: Mapped[str] = mapped_column(Text, default="", server_default="")

    source: Mapped[Source] = relationship(lazy="joined")
    images: Mapped[list[ArticleImage]] = relationship(
        order_by="ArticleImage.position", cascade="all, delete-orphan", lazy="selectin"
    )
    enclosures: Mapped[list[ArticleEnclosure]] = relationship(
        order_by="ArticleEnclosure.position", cascade="all, delete-orphan", lazy="selectin"
    )


class StorySequence(Base):
    """One row counting story writes; taking the next number locks it until the write commits."""

    __tablename__ = "story_sequence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class ArticleVector(Base):
    __tablename__ = "article_vectors"

    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    model: Mapped[str] = mapped_column(String(100))
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class RelatedArticle(Base):
    """An article of another story near this one, as the stories stage found it (both ways are stored)."""

    __tablename__ = "related_articles"

    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    related_id: Mapped[str] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    score: Mapped[float] = mapped_column(Float)


class ArticleImage(Base):
    __tablename__ = "article_images"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    after_block: Mapped[int | None] = mapped_column(Integer, default=None)
    url: Mapped[str] = mapped_column(String(2000))
    caption: Mapped[str] = mapped_column(Text, default="")
    credit: Mapped[str] = mapped_column(String(500), default="")
    alt: Mapped[str] = mapped_column(Text, default="")


class ArticleEnclosure(Base):
    """Audio, video or a file the feed entry carried (a podcast episode, a clip), with its type and size."""

    __tablename__ = "article_enclosures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    url: Mapped[str] = mapped_column(String(2000))
    type: Mapped[str] = mapped_column(String(100), default="")
    length: Mapped[int | None] = mapped_column(BigInteger, default=None)
    medium: Mapped[str] = mapped_column(String(20), default="")


class DroppedEntry(Base):
    """A feed entry the last poll could not store, with why: shown to administrators, retried if ``retry``."""

    __tablename__ = "dropped_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2000), default="")
    guid: Mapped[str] = mapped_column(String(2000), default="")
    title: Mapped[str] = mapped_column(String(500), default="")
    reason: Mapped[str] = mapped_column(String(500))
    retry: Mapped[bool] = mapped_column(Boolean, default=False)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class ImageFile(Base):
    """One resized copy of an article's image, served by the site under /images/ (never the original)."""

    __tablename__ = "image_files"

    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(32), primary_key=True)  # a hash of the original's bytes
    width: Mapped[int] = mapped_column(Integer, primary_key=True)
    height: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(40))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="topic")


class ArticleTag(Base):
    __tablename__ = "article_tags"

    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    tag_id: Mapped[int] = mapped_column(
        ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    weight: Mapped[float] = mapped_column(Float, default=1.0)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Raised by log-out, a password change or a ban: every session cookie of an older version is refused.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    banned_at: Mapped[datetime | None] = mapped_column(default=None)


class Comment(Base):
    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_user_id_created_at", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="visible")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Bookmark(Base):
    __tablename__ = "bookmarks"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Follow(Base):
    __tablename__ = "follows"
    __table_args__ = (UniqueConstraint("user_id", "kind", "target"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # source, category, tag, story
    target: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[datetime | None] = mapped_column(default=None)  # the reader's last visit of a story


class SiteSecret(Base):
    """A secret the site generated for itself (the session key), shared by every process of a deployment."""

    __tablename__ = "site_secrets"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ArticleState(Base):
    """A reader's own read or unread mark on one article; without one, the reader's horizon decides."""

    __tablename__ = "article_states"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    article_id: Mapped[str] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    read: Mapped[bool] = mapped_column(Boolean)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReadingHorizon(Base):
    """Everything a reader's apps saw published up to ``read_before`` counts as read ("mark all read")."""

    __tablename__ = "reading_horizons"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    read_before: Mapped[datetime] = mapped_column()


class AppPassword(Base):
    """A password a reader made for one app (Google Reader API, Fever): never the log-in password."""

    __tablename__ = "app_passwords"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2, as log-in passwords
    # SHA-256 of the Fever key md5("user:password"), the only form Fever apps send (the password is random).
    fever_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
