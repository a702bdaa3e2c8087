"""The one URL rule: golden pairs, and the feeds, pages and OPML files that carry hostile links."""

from __future__ import annotations

import pytest

from newsdesk.extract import extract_article
from newsdesk.sources.opml import read_opml
from newsdesk.urls import resolve_url, safe_url, shown_url, web_url

HOSTILE = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x01javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    " data:image/svg+xml;base64,PHN2Zz4=",
    "DATA:image/png;base64,AAAA",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_other_schemes_are_never_kept(url: str) -> None:
    assert safe_url(url) == web_url(url) == resolve_url("https://news.example/a/", url) == ""


@pytest.mark.parametrize(
    ("base", "url", "expected"),
    [
        ("https://news.example/a/", "img/b.jpg", "https://news.example/a/img/b.jpg"),
        ("https://news.example/a/", " /b.jpg ", "https://news.example/b.jpg"),
        ("https://news.example/a/", "//cdn.example/c.jpg", "https://cdn.example/c.jpg"),
        ("https://news.example/a/", "HTTPS://Cdn.example/d.jpg", "https://Cdn.example/d.jpg"),
    ],
)
def test_web_links_resolve(base: str, url: str, expected: str) -> None:
    assert resolve_url(base, url) == expected


def test_credentials_are_never_shown() -> None:
    assert shown_url("https://user:secret@feeds.example/rss?x=1") == "https://feeds.example/rss?x=1"
    assert shown_url("javascript:alert(1)") == ""


JSON_LD = '<script type="application/ld+json">{"@type": "NewsArticle", "image": "javascript:x"}</script>'
CAPTION = "<figcaption>A caption</figcaption></figure>"


@pytest.mark.parametrize(
    "head, figure",
    [
        ('<meta property="og:image" content="javascript:alert(1)">', ""),
        (JSON_LD, ""),
        ("", '<figure><img src=" data:image/png;base64,AAAA" alt="x">' + CAPTION),
        ("", '<figure><img src="DATA:image/png;base64,AAAA" alt="x">' + CAPTION),
    ],
)
def test_pages_keep_no_image_of_another_scheme(head: str, figure: str) -> None:
    sentence = "The harbour bridge reopened to traffic this morning after two years of repairs."
    body = "".join(f"<p>{sentence} ({n})</p>" for n in range(6))
    html = (
        f"<html><head>{head}<title>Bridge</title></head><body><article>{figure}{body}</article></body></html>"
    )
    article = extract_article(html, "https://news.example/bridge")
    assert article.lead_image == "" and all(image.url for image in article.images)
    assert not any("data:" in image.url.lower() for image in article.images)


def test_opml_site_links_of_other_schemes_are_dropped() -> None:
    feeds = read_opml(
        b'<opml version="2.0"><body><outline text="A" xmlUrl="https://a.example/rss" htmlUrl="javascript:x"/>'
        b'<outline text="B" xmlUrl="javascript:alert(1)"/></body></opml>'
    ).feeds
    assert [(f.feed_url, f.site_url) for f in feeds] == [("https://a.example/rss", "")]
