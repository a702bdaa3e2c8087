"""What a reader follows, by name, and which followed stories have new reports since their last visit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.orm import Session

from newsdesk.store.community import FOLLOW_KINDS
from newsdesk.store.models import Article, Category, Follow, Source, Tag, utcnow
from newsdesk.store.stories import resolve_story


@dataclass(frozen=True)
class Followed:
    """One thing a reader follows: its kind and key, what to call it, and (stories) what is new in it."""

    kind: str
    target: str
    name: str
    story_id: str = ""  # the story it became part of, for a story that was merged
    new_reports: int = 0
    last_seen_at: datetime | None = None


def set_follow(session: Session, user_id: int, kind: str, target: str, followed: bool) -> None:
    """Follow, or stop following, one source, category, hashtag or story (doing it twice changes nothing)."""
    if kind not in FOLLOW_KINDS:
        raise ValueError(f"cannot follow a {kind!r}")
    where = and_(Follow.user_id == user_id, Follow.kind == kind, Follow.target == target[:200])
    exists = session.scalars(select(Follow.id).where(where)).first() is not None
    if followed and not exists:
        session.add(Follow(user_id=user_id, kind=kind, target=target[:200], seen_at=utcnow()))
    elif not followed and exists:
        session.execute(delete(Follow).where(where))


def mark_story_seen(session: Session, user_id: int, story_id: str, when: datetime | None = None) -> None:
    """Record the reader's visit of a story they follow: its reports until now are no longer new."""
    session.execute(
        update(Follow)
        .where(Follow.user_id == user_id, Follow.kind == "story", Follow.target == story_id)
        .values(seen_at=when or utcnow())
    )


def new_reports(session: Session, story_id: str, since: datetime) -> int:
    """Reports of a story (copies left out) that newsdesk first saw after ``since``."""
    query = select(func.count()).where(
        Article.story_id == story_id, Article.duplicate_of.is_(None), Article.first_seen_at > since
    )
    return int(session.scalar(query) or 0)


def followed_story(session: Session, follow: Follow) -> Followed:
    story = resolve_story(session, follow.target)
    if story is None:
        return Followed("story", follow.target, follow.target)
    since = follow.seen_at or follow.created_at
    return Followed(
        "story",
        follow.target,
        story.title,
        story.id,
        new_reports(session, story.id, since),
        story.last_seen_at,
    )


def names_of(session: Session, kind: str, targets: list[str]) -> dict[str, str]:
    """Display names of followed sources, categories and hashtags by their slugs."""
    columns = {
        "source": (Source.slug, Source.name),
        "category": (Category.slug, Category.name),
        "tag": (Tag.slug, Tag.name),
    }
    slug, name = columns[kind]
    return {row[0]: row[1] for row in session.execute(select(slug, name).where(slug.in_(targets)))}


def follow_list(session: Session, user_id: int) -> list[Followed]:
    """Everything the reader follows: stories first (those with new reports first), then by kind and name."""
    follows = list(session.scalars(select(Follow).where(Follow.user_id == user_id)))
    stories = [followed_story(session, f) for f in follows if f.kind == "story"]
    stories.sort(key=lambda s: (s.new_reports == 0, s.name.casefold()))
    others = []
    for kind in ("source", "category", "tag"):
        targets = [f.target for f in follows if f.kind == kind]
        names = names_of(session, kind, targets) if targets else {}
        others += sorted(
            (Followed(kind, t, names.get(t, t)) for t in targets), key=lambda f: f.name.casefold()
        )
    return stories + others
