"""Image copies end to end: publishers' images over a real socket, copied by the job, served by the site.

Each hostile image named in issue 18 (a decompression bomb, an SVG with script, a 50 MB file) and a few
other broken ones give the article no image and a note on its row, never an error; the good image next to
them is copied, and pages show it from newsdesk itself.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import lxml.html
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from newsdesk.extract.test_thumbnails import SVG_WITH_SCRIPT, png_claiming
from newsdesk.fetch import Fetcher, make_fetcher
from newsdesk.pipeline.images import copy_pending_images
from newsdesk.settings import Settings
from newsdesk.store import Store, transaction
from newsdesk.store.articles import ArticleRecord, ImageRecord, save_article
from newsdesk.store.models import Article, ImageFile
from newsdesk.store.sources import SourceSpec, add_source
from newsdesk.testing.accounts import register
from newsdesk.testing.scripted_server import ScriptedServer, reply, stream
from newsdesk.web.app import create_app

FIFTY_MB = 50 * 1024 * 1024


def jpeg(width: int = 1000, height: int = 600) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (40, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def fifty_megabytes() -> Iterator[bytes]:
    block = b"\xff" * (1 << 20)
    for _ in range(50):
        yield block


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    srv = ScriptedServer("127.0.0.1")
    jpeg_type = [("Content-Type", "image/jpeg")]
    srv.route("/photo.jpg", reply(200, jpeg_type, jpeg()))
    srv.route("/bomb.png", reply(200, [("Content-Type", "image/png")], png_claiming(100_000, 100_000)))
    srv.route("/evil.svg", reply(200, [("Content-Type", "image/svg+xml")], SVG_WITH_SCRIPT))
    srv.route("/huge.jpg", reply(200, jpeg_type, b"\xff\xd8" + bytes(FIFTY_MB)))
    srv.route("/huge-unannounced.jpg", stream(jpeg_type, fifty_megabytes))
    srv.route("/missing.jpg", reply(404, [("Content-Type", "text/html")], b"<p>gone</p>"))
    srv.route("/page.jpg", reply(200, [("Content-Type", "image/jpeg")], b"<html>an error page</html>"))
    yield srv
    srv.stop()


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    settings = Settings(allow_private_hosts="127.0.0.1", per_host_delay=0, fetch_total_timeout=5)
    the_fetcher = make_fetcher(settings)
    the_fetcher.policy = type(the_fetcher.policy)(**{**the_fetcher.policy.__dict__, "retries": 0})
    yield the_fetcher
    the_fetcher.close()


def add_article(
    store: Store, n: int, lead: str, figures: list[tuple[str, str]], text: str = "after a winter of repairs"
) -> str:
    with transaction(store.sessions) as session:
        source, _ = add_source(session, SourceSpec(feed_url=f"http://127.0.0.1/feed{n}", name=f"Source {n}"))
        record = ArticleRecord(
            source_id=source.id,
            url=f"https://paper.example/{n}",
            canonical_url=f"https://paper.example/{n}",
            title=f"Harbour ferry back in service, part {n}",
            published_at=datetime.now(UTC) - timedelta(minutes=n),
            blocks=[{"kind": "p", "text": f"The ferry returned {text}."}],
            lead_image_url=lead,
            images=[
                ImageRecord(url=url, alt=alt, caption="", credit="", after_block=0) for url, alt in figures
            ],
        )
        article, _ = save_article(session, record)
        return article.id


HOSTILE = ["/bomb.png", "/evil.svg", "/huge.jpg", "/huge-unannounced.jpg", "/missing.jpg", "/page.jpg"]


def test_good_images_are_copied_and_hostile_ones_give_no_image(
    store: Store, server: ScriptedServer, fetcher: Fetcher
) -> None:
    good = add_article(
        store, 1, server.url("/photo.jpg"), [(server.url("/photo.jpg"), "The ferry at the pier")]
    )
    bad = {path: add_article(store, n, server.url(path), []) for n, path in enumerate(HOSTILE, start=2)}
    report = copy_pending_images(store, fetcher, limit=50)
    assert (report.articles, report.copied, report.failed) == (7, 1, 6)
    with store.session() as session:
        article = session.get(Article, good)
        assert article is not None and article.images_at is not None and article.images_note == ""
        copy = (article.image_copies or {})[server.url("/photo.jpg")]
        assert copy["widths"] == [320, 640, 960] and (copy["width"], copy["height"]) == (960, 576)
        files = session.query(ImageFile).filter_by(article_id=good).all()
        assert sorted(f.width for f in files) == [320, 640, 960]
        for path, article_id in bad.items():
            hostile = session.get(Article, article_id)
            assert hostile is not None and hostile.images_at is not None, path
            assert hostile.image_copies == {} and path in hostile.images_note
    assert copy_pending_images(store, fetcher).articles == 0  # each article's images are fetched once
    assert server.hits("/photo.jpg") == 1  # the lead image and the figure are one URL: fetched once


def test_notes_say_why_there_is_no_image(store: Store, server: ScriptedServer, fetcher: Fetcher) -> None:
    ids = {path: add_article(store, n, server.url(path), []) for n, path in enumerate(HOSTILE)}
    copy_pending_images(store, fetcher)
    with store.session() as session:
        notes = {path: session.get(Article, i).images_note for path, i in ids.items()}  # type: ignore[union-attr]
    assert "too many pixels" in notes["/bomb.png"]
    assert "not a raster image" in notes["/evil.svg"] and "not a raster image" in notes["/page.jpg"]
    assert "too_large" in notes["/huge.jpg"] and "too_large" in notes["/huge-unannounced.jpg"]
    assert "http" in notes["/missing.jpg"]


def test_an_article_with_new_images_gets_them_copied_again(
    store: Store, server: ScriptedServer, fetcher: Fetcher
) -> None:
    article_id = add_article(store, 1, server.url("/evil.svg"), [])
    copy_pending_images(store, fetcher)
    with transaction(store.sessions) as session:
        article = session.get(Article, article_id)
        assert article is not None and article.image_copies == {}
    # the publisher revises the article with a new lead image: the job copies it
    add_article(store, 1, server.url("/photo.jpg"), [], text="on Monday, with a new photo")
    assert copy_pending_images(store, fetcher).copied == 1


def img_tags(html: str) -> list[lxml.html.HtmlElement]:
    return list(lxml.html.fromstring(html).iter("img"))


def test_pages_show_copies_from_the_site_itself(
    store: Store, server: ScriptedServer, fetcher: Fetcher
) -> None:
    good = add_article(
        store, 1, server.url("/photo.jpg"), [(server.url("/photo.jpg"), "The ferry at the pier")]
    )
    hostile = add_article(store, 2, server.url("/evil.svg"), [(server.url("/bomb.png"), "A bomb")])
    before = TestClient(create_app(Settings(), store)).get(f"/en/article/{good}").text
    assert img_tags(before) == []  # nothing copied yet: no image, and never the publisher's URL
    copy_pending_images(store, fetcher)
    client = TestClient(create_app(Settings(public_url="https://news.example"), store))
    for path in ("/en/source/source-1", f"/en/article/{good}"):
        page = client.get(path)
        assert "img-src 'self';" in page.headers["content-security-policy"]
        images = img_tags(page.text)
        assert len(images) == 1, path
        image = images[0]
        assert image.get("loading") == "lazy" and image.get("alt") == "The ferry at the pier"
        assert (image.get("width"), image.get("height")) == ("960", "576")
        candidates = re.findall(r"(\S+) (\d+)w", image.get("srcset"))
        assert [w for _, w in candidates] == ["320", "640", "960"]
        for url, width in candidates:
            assert url.startswith(f"/images/{good}/")
            served = client.get(url)
            assert served.status_code == 200 and served.headers["content-type"] == "image/webp"
            assert "immutable" in served.headers["cache-control"]
            assert Image.open(io.BytesIO(served.content)).width == int(width)
    reader = TestClient(create_app(Settings(), store), follow_redirects=False)
    assert register(reader, "photo-reader") == 303  # a logged-in reader's pages are private, the images not
    assert "private" in reader.get(f"/en/article/{good}").headers["cache-control"]
    assert "immutable" in reader.get(candidates[0][0]).headers["cache-control"]
    assert img_tags(client.get(f"/en/article/{hostile}").text) == []
    assert img_tags(client.get("/en/source/source-2").text) == []
    assert "127.0.0.1" not in client.get("/en/").text.split("<main", 1)[1].split("</main>")[0]


def test_unknown_copies_are_404(store: Store) -> None:
    client = TestClient(create_app(Settings(), store))
    assert client.get(f"/images/{'a' * 32}/{'b' * 32}-320.webp").status_code == 404
    assert client.get("/images/x/y-320.webp").status_code in (404, 422)
