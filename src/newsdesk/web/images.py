"""Images from newsdesk itself: the worker's resized copies of publishers' images, and how pages show them."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Path
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from newsdesk.store import Store
from newsdesk.store.images import read_image_file
from newsdesk.store.models import Article

IMMUTABLE = "public, max-age=31536000, immutable"  # a copy's URL names its original's bytes: it never changes
LIST_SIZES = "(max-width: 700px) 100vw, 320px"
PAGE_SIZES = "(max-width: 760px) 100vw, 720px"


def image_path(article_id: str, key: str, width: int) -> str:
    return f"/images/{article_id}/{key}-{width}.webp"


def picture(article: Article, url: str, alt: str, sizes: str = LIST_SIZES) -> dict[str, Any] | None:
    """What an <img> of the copies of ``url`` needs (src, srcset, sizes, shape, alt); None without copies."""
    return copy_picture(article.id, (article.image_copies or {}).get(url) if url else None, alt, sizes)


def copy_picture(
    article_id: str, copy: dict[str, Any] | None, alt: str, sizes: str = LIST_SIZES
) -> dict[str, Any] | None:
    """``picture`` of one image's stored copies record (None when there is none)."""
    if not copy:
        return None
    widths: list[int] = copy["widths"]
    src = image_path(article_id, copy["key"], widths[min(1, len(widths) - 1)])
    return {
        "src": src,
        "srcset": ", ".join(f"{image_path(article_id, copy['key'], w)} {w}w" for w in widths),
        "sizes": sizes,
        "width": copy["width"],
        "height": copy["height"],
        "alt": alt,
    }


def lead_picture(article: Article) -> dict[str, Any] | None:
    """The lead image's copies, with the alt text the publisher's page gave that image (if it did)."""
    url = article.lead_image_url
    alt = next((i.alt or i.caption for i in article.images if i.url == url), "")
    return picture(article, url, alt)


def add_image_routes(app: FastAPI, store: Store) -> None:
    """/images/ARTICLE/KEY-WIDTH.webp: the stored copies, cached by browsers for a year."""

    def read(article_id: str, key: str, width: int) -> Response:
        with store.session() as session:
            found = read_image_file(session, article_id, key, width)
            if found is None:
                return Response(status_code=404, headers={"Cache-Control": "no-store"})
            return Response(found.data, media_type=found.media_type, headers={"Cache-Control": IMMUTABLE})

    @app.get("/images/{article_id}/{key}-{width}.webp", include_in_schema=False)
    async def image(
        article_id: str = Path(pattern=r"^[0-9a-f]{32}$"),
        key: str = Path(pattern=r"^[0-9a-f]{32}$"),
        width: int = Path(ge=1, le=4000),
    ) -> Response:
        return await run_in_threadpool(read, article_id, key, width)
