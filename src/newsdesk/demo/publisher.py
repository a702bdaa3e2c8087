"""The demo publisher network: each fictional outlet served on its own loopback port with its feeds."""

from __future__ import annotations

import hashlib
import io
import json
import socket
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from newsdesk.demo.corpus import AGENCIES, OUTLETS, Article, Corpus, Outlet, load_corpus

TEMPLATES = Path(__file__).parent / "templates"
PATHS = {
    "harbor-courier": "/news/{date:%Y/%m/%d}/{id}.html",
    "northgate-ledger": "/{section}/{id}",
    "rheinblick": "/artikel/{id}",
    "el-faro": "/noticias/{id}/",
    "meridian-times": "/{section}/{id}",
}
FEED_PATHS = {
    "rss": "/rss.xml",
    "atom": "/atom.xml",
    "jsonfeed": "/feed.json",
    "sitemap": "/news-sitemap.xml",
}
DASHES = {"en": "—", "de": "–", "es": ".-"}


@dataclass(frozen=True)
class Page:
    content_type: str
    body: bytes

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'


@dataclass
class OutletSite:
    outlet: Outlet
    base_url: str
    pages: dict[str, Page] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)  # requests per path, for tests that count fetches

    @property
    def feed_url(self) -> str:
        return self.base_url + FEED_PATHS[self.outlet.feed_format]


def article_path(article: Article, published: datetime) -> str:
    section = article.section.lower().replace(" ", "-") or "news"
    return PATHS[article.outlet].format(date=published, id=article.id, section=section)


def dateline_prefix(article: Article) -> str:
    """The dateline as the outlet prints it before the first sentence ('PORTO, Portugal (GWS) — ')."""
    if not article.dateline and not article.agency:
        return ""
    parts = [article.dateline] if article.dateline else []
    if article.agency:
        parts.append(f"({article.agency})")
    dash = DASHES[article.lang]
    return " ".join(parts) + (dash + " " if dash == ".-" else f" {dash} ")


def render_site(outlet: Outlet, corpus: Corpus, base_url: str, now: datetime) -> OutletSite:
    """Render every page, image and feed of one outlet."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "xml"]))
    site = OutletSite(outlet, base_url)
    articles = corpus.by_outlet(outlet.key)
    items = [_item(a, base_url, now) for a in articles]
    for item in items:
        related = [i for i in items if i["id"] != item["id"]][:4]
        page = env.get_template(f"{outlet.key}.html").render(
            outlet=outlet, a=item, related=related, agencies=AGENCIES
        )
        site.pages[item["path"]] = Page("text/html; charset=utf-8", page.encode("utf-8"))
        for image in item["images"]:
            site.pages[image["path"]] = Page("image/jpeg", _photo(image["alt"], item["id"], image["n"]))
    home = env.get_template("home.html").render(
        outlet=outlet, items=items, feed_path=FEED_PATHS[outlet.feed_format], feed_format=outlet.feed_format
    )
    site.pages["/"] = Page("text/html; charset=utf-8", home.encode("utf-8"))
    site.pages["/robots.txt"] = Page("text/plain", b"User-agent: *\nAllow: /\n")
    feed_path = FEED_PATHS[outlet.feed_format]
    site.pages[feed_path] = _feed(env, outlet, items, base_url, now)
    return site


def _item(article: Article, base_url: str, now: datetime) -> dict[str, Any]:
    published = (now - timedelta(hours=article.hours_ago)).replace(microsecond=0)
    updated = (
        published + timedelta(hours=article.updated_hours_after) if article.updated_hours_after else None
    )
    path = article_path(article, published)
    images = [
        {
            "path": f"/images/{article.id}-{n}.jpg",
            "url": f"{base_url}/images/{article.id}-{n}.jpg",
            "n": n,
            "after": image.after,
            "alt": image.alt,
            "caption": image.caption,
            "credit": image.credit,
        }
        for n, image in enumerate(article.images)
    ]
    body = list(article.body)
    body[0] = dateline_prefix(article) + body[0]
    return {
        "id": article.id,
        "path": path,
        "url": base_url + path,
        "title": article.title,
        "subtitle": article.subtitle,
        "authors": list(article.authors),
        "agency": article.agency,
        "agency_name": AGENCIES.get(article.agency, ""),
        "section": article.section,
        "category": article.category,
        "tags": list(article.tags),
        "lang": article.lang,
        "body": body,
        "images": images,
        "published": published,
        "updated": updated,
        "published_iso": published.isoformat(),
        "updated_iso": updated.isoformat() if updated else "",
        "published_rfc": format_datetime(published),
        "summary": article.subtitle or article.body[0][:240],
        "jsonld": _json_ld(article, base_url + path, published, updated, images),
    }


def _json_ld(
    article: Article, url: str, published: datetime, updated: datetime | None, images: list[dict[str, Any]]
) -> str:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": published.isoformat(),
        "author": [{"@type": "Person", "name": name} for name in article.authors],
        "mainEntityOfPage": url,
        "inLanguage": article.lang,
        "articleSection": article.section,
        "keywords": list(article.tags),
    }
    if updated:
        data["dateModified"] = updated.isoformat()
    if images:
        data["image"] = [images[0]["url"]]
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def _feed(
    env: Environment, outlet: Outlet, items: list[dict[str, Any]], base_url: str, now: datetime
) -> Page:
    if outlet.feed_format == "jsonfeed":
        feed = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": outlet.name,
            "home_page_url": base_url + "/",
            "feed_url": base_url + FEED_PATHS["jsonfeed"],
            "language": outlet.language,
            "items": [
                {
                    "id": i["url"],
                    "url": i["url"],
                    "title": i["title"],
                    "summary": i["summary"],
                    "date_published": i["published_iso"],
                    **({"date_modified": i["updated_iso"]} if i["updated_iso"] else {}),
                    "authors": [{"name": n} for n in i["authors"]],
                    "tags": i["tags"],
                    **({"image": i["images"][0]["url"]} if i["images"] else {}),
                }
                for i in items
            ],
        }
        return Page("application/feed+json", json.dumps(feed, ensure_ascii=False, indent=1).encode("utf-8"))
    template = {"rss": "rss.xml", "atom": "atom.xml", "sitemap": "sitemap.xml"}[outlet.feed_format]
    text = env.get_template(template).render(
        outlet=outlet, items=items, base_url=base_url, now=now, now_rfc=format_datetime(now)
    )
    kind = {"rss": "application/rss+xml", "atom": "application/atom+xml", "sitemap": "application/xml"}
    return Page(kind[outlet.feed_format] + "; charset=utf-8", text.encode("utf-8"))


def _photo(alt: str, seed: str, n: int) -> bytes:
    """A stand-in photo (JPEG, 960x540) coloured by the article and image, its alt text printed on it."""
    digest = hashlib.sha1(f"{seed}-{n}".encode()).digest()
    sky, land, sun = digest[0:3], digest[3:6], digest[6:9]
    image = PILImage.new("RGB", (960, 540), tuple(sky))
    draw = ImageDraw.Draw(image)
    for row in range(0, 330, 6):  # a sky that darkens towards the top
        shade = tuple(max(0, c - (330 - row) // 5) for c in sky)
        draw.rectangle((0, row, 960, row + 6), fill=shade)
    draw.ellipse((620 + digest[9] % 200, 60, 800 + digest[9] % 200, 240), fill=tuple(sun))
    hills = [
        (0, 540),
        (0, 330),
        *((x, 300 + digest[10 + x // 120] % 90) for x in range(0, 961, 120)),
        (960, 540),
    ]
    draw.polygon(hills, fill=tuple(land))
    draw.rectangle((0, 440, 960, 540), fill=(20, 20, 20))
    draw.text((36, 470), alt[:60], fill=(255, 255, 255), font=ImageFont.load_default(size=30))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


class _Handler(BaseHTTPRequestHandler):
    site: OutletSite

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        self.site.hits[path] += 1
        page = self.site.pages.get(path)
        if page is None:
            self._send(404, Page("text/plain", b"not found"))
            return
        if self.headers.get("If-None-Match") == page.etag:
            self.send_response(304)
            self.send_header("ETag", page.etag)
            self.end_headers()
            return
        self._send(200, page)

    def _send(self, status: int, page: Page) -> None:
        self.send_response(status)
        self.send_header("Content-Type", page.content_type)
        self.send_header("Content-Length", str(len(page.body)))
        self.send_header("ETag", page.etag)
        self.end_headers()
        self.wfile.write(page.body)

    def log_message(self, format: str, *args: Any) -> None:
        return None


@dataclass
class PublisherNetwork:
    sites: list[OutletSite]
    servers: list[ThreadingHTTPServer]

    def article_count(self) -> int:
        """The article pages the sites serve (not their front pages, feeds, robots.txt or images)."""
        skip = (".jpg", ".svg", ".txt", ".xml", ".json")
        return sum(1 for site in self.sites for path in site.pages if not path.endswith(skip) and path != "/")

    def stop(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def start_publishers(
    host: str = "127.0.0.1", now: datetime | None = None, corpus: Corpus | None = None
) -> PublisherNetwork:
    """Serve every outlet of the corpus on its own free port of ``host``, in background threads."""
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    corpus = corpus or load_corpus()
    sites, servers = [], []
    for outlet in OUTLETS.values():
        handler: type[_Handler] = type("Handler", (_Handler,), {})
        server = ThreadingHTTPServer((host, 0), handler)
        server.daemon_threads = True
        site = render_site(outlet, corpus, f"http://{host}:{server.server_address[1]}", now)
        handler.site = site
        threading.Thread(target=server.serve_forever, name=f"publisher-{outlet.key}", daemon=True).start()
        sites.append(site)
        servers.append(server)
    return PublisherNetwork(sites, servers)
