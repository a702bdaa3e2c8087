"""Image copies: fetch articles' images through the guarded client and store small resized copies (a job)."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field

from newsdesk.extract.thumbnails import MAX_PIXELS, ImageRejected, Thumbnail, make_thumbnails
from newsdesk.fetch import Fetcher, FetchError
from newsdesk.pipeline.views import prepare_kept_views, prepare_views_around
from newsdesk.store import Store, transaction
from newsdesk.store.images import (
    ImageCopy,
    articles_waiting_for_images,
    image_urls,
    record_image_copies,
    store_image_files,
)
from newsdesk.store.models import Article, ImageFile

log = logging.getLogger("newsdesk.images")
KEY_LENGTH = 32


@dataclass
class ImageReport:
    articles: int = 0
    copied: int = 0
    failed: int = 0


@dataclass
class Fetched:
    """What became of one article's images: the copies made (with their files) and why others were not."""

    copies: dict[str, ImageCopy] = field(default_factory=dict)
    files: dict[str, list[Thumbnail]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def image_key(data: bytes) -> str:
    """A copy's key: a hash of the original's bytes, so a URL of the copies never names other bytes."""
    return hashlib.sha256(data).hexdigest()[:KEY_LENGTH]


def copy_image(fetcher: Fetcher, url: str, max_pixels: int) -> tuple[ImageCopy, list[Thumbnail]]:
    """Fetch one image and make its copies; FetchError or ImageRejected when there is none to show."""
    result = fetcher.fetch(url, kind="image")
    thumbnails = make_thumbnails(result.content, max_pixels)
    largest = thumbnails[-1]
    copy = ImageCopy(
        image_key(result.content), tuple(t.width for t in thumbnails), largest.width, largest.height
    )
    return copy, thumbnails


def fetch_images(fetcher: Fetcher, urls: list[str], known: dict[str, ImageCopy], max_pixels: int) -> Fetched:
    """Copies of each URL: kept ones as they are, new ones fetched (a failure is a note, never an error)."""
    fetched = Fetched()
    for url in urls:
        if url in known:
            fetched.copies[url] = known[url]
            continue
        try:
            copy, thumbnails = copy_image(fetcher, url, max_pixels)
        except FetchError as exc:
            fetched.notes.append(f"{url[:200]}: {exc.kind}: {str(exc)[:200]}")
        except ImageRejected as exc:
            fetched.notes.append(f"{url[:200]}: {exc.reason[:200]}")
        else:
            fetched.copies[url], fetched.files[url] = copy, thumbnails
    return fetched


def known_copies(article: Article) -> dict[str, ImageCopy]:
    """The copies an article already has, by original URL."""
    return {
        url: ImageCopy(c["key"], tuple(c["widths"]), c["width"], c["height"])
        for url, c in (article.image_copies or {}).items()
    }


def image_files(article_id: str, key: str, thumbnails: list[Thumbnail]) -> list[ImageFile]:
    return [
        ImageFile(
            article_id=article_id,
            key=key,
            width=t.width,
            height=t.height,
            media_type=t.media_type,
            data=t.data,
        )
        for t in thumbnails
    ]


def copy_article_images(
    store: Store, fetcher: Fetcher, article_id: str, max_pixels: int = MAX_PIXELS
) -> Fetched:
    """Copy one article's images; nothing is stored when the article changed its images meanwhile."""
    with store.session() as session:
        article = session.get(Article, article_id)
        if article is None:
            return Fetched()
        urls, known = image_urls(article), known_copies(article)
    fetched = fetch_images(fetcher, urls, known, max_pixels)  # no transaction open while fetching
    with transaction(store.sessions) as session:
        article = session.get(Article, article_id)
        if article is None or image_urls(article) != urls:
            return Fetched()
        stored: set[str] = set()  # two URLs of the same bytes share one key and one set of files
        for url, thumbnails in fetched.files.items():
            key = fetched.copies[url].key
            if key not in stored:
                stored.add(key)
                store_image_files(session, article_id, key, image_files(article_id, key, thumbnails))
        record_image_copies(session, article, fetched.copies, fetched.notes)
    return fetched


def copy_pending_images(
    store: Store, fetcher: Fetcher, limit: int = 50, max_pixels: int = MAX_PIXELS
) -> ImageReport:
    """Copy the images of up to ``limit`` articles waiting for them, newest first."""
    with store.session() as session:
        waiting = articles_waiting_for_images(session, limit)
    report, pictured = ImageReport(), []
    for article_id in waiting:
        fetched = copy_article_images(store, fetcher, article_id, max_pixels)
        if fetched.copies:
            pictured.append(article_id)
        report.articles += 1
        report.copied += len(fetched.files)
        report.failed += len(fetched.notes)
        for note in fetched.notes:
            log.info("no image copy", extra={"article_id": article_id, "note": note})
    prepare_views_around(store, pictured)  # and the pages showing their pictures
    prepare_kept_views(store, set(waiting) - set(pictured))  # kept for the version before its images
    return report
