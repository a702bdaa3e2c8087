"""Articles' image copies: which articles wait for theirs, storing the copies, reading one back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from newsdesk.store.models import Article, ImageFile, utcnow

MAX_IMAGES_PER_ARTICLE = 6  # the lead image and the first figures: enough for any page that shows them


@dataclass(frozen=True)
class ImageCopy:
    """The copies of one original image: its key (a hash of its bytes), widths made, and shape."""

    key: str
    widths: tuple[int, ...]
    width: int
    height: int

    def as_dict(self) -> dict[str, object]:
        return {"key": self.key, "widths": list(self.widths), "width": self.width, "height": self.height}


def image_urls(article: Article) -> list[str]:
    """The article's images worth copying, lead image first, without repeats."""
    urls = [article.lead_image_url, *(i.url for i in article.images)]
    unique = [u for n, u in enumerate(urls) if u and u not in urls[:n]]
    return unique[:MAX_IMAGES_PER_ARTICLE]


def articles_waiting_for_images(session: Session, limit: int) -> list[str]:
    """Ids of articles whose images were not copied since they last changed, newest first."""
    query = (
        select(Article.id)
        .where(Article.images_at.is_(None))
        .order_by(Article.first_seen_at.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def forget_image_copies(article: Article) -> None:
    """Mark the article's images to be copied again (its image URLs changed)."""
    article.images_at = None


def store_image_files(session: Session, article_id: str, key: str, files: Sequence[ImageFile]) -> None:
    """Replace the stored copies of one original of an article with ``files``."""
    session.execute(delete(ImageFile).where(ImageFile.article_id == article_id, ImageFile.key == key))
    session.add_all(files)


def record_image_copies(
    session: Session,
    article: Article,
    copies: dict[str, ImageCopy],
    notes: list[str],
    when: datetime | None = None,
) -> None:
    """Keep which originals were copied (by URL) and why others were not; drop copies no longer used."""
    keys = {c.key for c in copies.values()}
    session.execute(
        delete(ImageFile).where(ImageFile.article_id == article.id, ImageFile.key.not_in(keys or {""}))
    )
    article.image_copies = {url: copy.as_dict() for url, copy in copies.items()}
    article.images_note = "; ".join(notes)[:2000]
    article.images_at = when or utcnow()


def read_image_file(session: Session, article_id: str, key: str, width: int) -> ImageFile | None:
    """One stored copy, or None."""
    return session.get(ImageFile, (article_id, key, width))
