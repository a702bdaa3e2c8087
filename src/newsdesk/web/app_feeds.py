"""What reader apps subscribe to: the sources, and a virtual feed per followed story, hashtag, category."""

from __future__ import annotations

import html
from dataclasses import dataclass

from sqlalchemy import ColumnElement, not_, or_, select, true
from sqlalchemy.orm import Session

from newsdesk.store.community import follows_of
from newsdesk.store.models import Article, ArticleTag, Category, Source, Tag
from newsdesk.store.reading import is_starred, is_unread, nothing
from newsdesk.store.stories import resolve_story
from newsdesk.urls import shown_url
from newsdesk.web.app_access import AppReader

VIRTUAL_FOLDER = "newsdesk"  # the folder apps show the reader's followed stories and topics in
VIRTUAL_PREFIX = (
    "newsdesk:"  # feed/newsdesk:story:<id>, feed/newsdesk:tag:<slug>, feed/newsdesk:category:<slug>
)
VIRTUAL_KINDS = ("story", "tag", "category")
STATE = "user/-/state/com.google/"
LABEL = "user/-/label/"


@dataclass(frozen=True)
class AppFeed:
    """One subscription as an app sees it."""

    stream_id: str  # feed/12 or feed/newsdesk:story:<id>
    title: str
    folder: str
    html_url: str
    feed_url: str
    condition: ColumnElement[bool]
    source_id: int | None = None  # the source's id; None for a virtual feed


def source_feed(source: Source) -> AppFeed:
    return AppFeed(
        f"feed/{source.id}",
        source.name,
        source.folder,
        shown_url(source.site_url),
        shown_url(source.feed_url),
        Article.source_id == source.id,
        source.id,
    )


def virtual_feed(session: Session, kind: str, target: str, base: str) -> AppFeed | None:
    """The virtual feed of one follow (None when what it follows no longer exists)."""
    condition: ColumnElement[bool]
    if kind == "story":
        story = resolve_story(session, target)
        if story is None:
            return None
        ids = sorted({target, story.id})
        condition, title, page = Article.story_id.in_(ids), story.title, f"story/{story.id}"
    elif kind == "category":
        category = session.get(Category, target)
        if category is None:
            return None
        condition, title, page = Article.category_slug == target, category.name, f"category/{target}"
    else:
        tag = session.scalars(select(Tag).where(Tag.slug == target)).first()
        if tag is None:
            return None
        tagged = select(ArticleTag.article_id).where(ArticleTag.tag_id == tag.id)
        condition, title, page = Article.id.in_(tagged), f"#{tag.name}", f"hashtag/{target}"
    stream = f"feed/{VIRTUAL_PREFIX}{kind}:{target}"
    return AppFeed(stream, title, VIRTUAL_FOLDER, f"{base}/en/{page}", f"{base}/feeds/{page}.atom", condition)


def app_feeds(session: Session, reader: AppReader, base: str) -> list[AppFeed]:
    """The reader's subscriptions: every enabled source, then the stories, hashtags, categories followed."""
    sources = session.scalars(select(Source).where(Source.enabled.is_(True)).order_by(Source.name))
    feeds = [source_feed(s) for s in sources]
    for kind, target in sorted(follows_of(session, reader.id)):
        if kind in VIRTUAL_KINDS:
            feed = virtual_feed(session, kind, target, base)
            if feed is not None:
                feeds.append(feed)
    return feeds


def folders_of(feeds: list[AppFeed]) -> list[str]:
    return sorted({f.folder for f in feeds if f.folder})


def normal_stream(stream_id: str) -> str:
    """A stream id with the user part as '-' (apps send user/<their id>/… as often as user/-/…)."""
    if stream_id.startswith("user/"):
        parts = stream_id.split("/", 2)
        return "user/-/" + parts[2] if len(parts) == 3 else stream_id
    return stream_id


def stream_condition(session: Session, reader: AppReader, stream_id: str, base: str) -> ColumnElement[bool]:
    """Which articles a stream holds: the reading list, starred, read, a folder, a source, a virtual feed."""
    stream = normal_stream(stream_id)
    if stream == STATE + "reading-list":
        return true()
    if stream == STATE + "starred":
        return is_starred(reader.id)
    if stream == STATE + "read":
        return not_(is_unread(reader.id, reader.horizon))
    if stream.startswith(LABEL):
        folder = stream.removeprefix(LABEL)
        feeds = [f for f in app_feeds(session, reader, base) if f.folder == folder]
        return any_of([f.condition for f in feeds])
    if stream.startswith(f"feed/{VIRTUAL_PREFIX}"):
        kind, _, target = stream.removeprefix(f"feed/{VIRTUAL_PREFIX}").partition(":")
        feed = virtual_feed(session, kind, target, base) if kind in VIRTUAL_KINDS else None
        return feed.condition if feed is not None else nothing()
    if stream.startswith("feed/"):
        return source_condition(session, stream.removeprefix("feed/"))
    return nothing()


def source_condition(session: Session, key: str) -> ColumnElement[bool]:
    """A source by its id, or by its feed URL (some apps name feeds by URL after subscribing)."""
    query = select(Source.id).where(Source.feed_url == key)
    if key.isdigit() and len(key) < 19:
        query = select(Source.id).where(Source.id == int(key))
    source_id = session.scalars(query).first()
    return Article.source_id == source_id if source_id is not None else nothing()


def any_of(conditions: list[ColumnElement[bool]]) -> ColumnElement[bool]:
    return or_(*conditions) if conditions else nothing()


BLOCK_TAGS = {"p": "p", "h": "h3", "quote": "blockquote", "row": "p"}


def article_html(article: Article) -> str:
    """The article's text as simple HTML for apps: lead image, paragraphs, headings, lists and quotes."""
    parts: list[str] = []
    image = shown_url(article.lead_image_url)
    if image:
        parts.append(f'<p><img src="{html.escape(image)}" alt=""></p>')
    in_list = False
    for block in article.body:
        kind, text = block.get("kind", "p"), html.escape(str(block.get("text", "")))
        if kind == "li" and not in_list:
            parts.append("<ul>")
        elif kind != "li" and in_list:
            parts.append("</ul>")
        in_list = kind == "li"
        tag = "li" if in_list else BLOCK_TAGS.get(kind, "p")
        parts.append(f"<{tag}>{text}</{tag}>")
    if in_list:
        parts.append("</ul>")
    return "".join(parts) or f"<p>{html.escape(article.subtitle or article.title)}</p>"
