"""Every page of the demo corpus extracts exactly: title, authors, agency, dateline, body, captions."""

from __future__ import annotations

import httpx
import pytest

from newsdesk.demo.corpus import Article, load_corpus
from newsdesk.demo.publisher import PublisherNetwork
from newsdesk.extract import ExtractionError, extract_article

CORPUS = load_corpus()


def page_url(publishers: PublisherNetwork, article: Article) -> str:
    site = next(s for s in publishers.sites if s.outlet.key == article.outlet)
    path = next(p for p in site.pages if p.rstrip("/").split("/")[-1].removesuffix(".html") == article.id)
    return site.base_url + path


@pytest.mark.parametrize("article_id", sorted(CORPUS.articles))
def test_demo_page_extracts_exactly(publishers: PublisherNetwork, article_id: str) -> None:
    expected = CORPUS.articles[article_id]
    url = page_url(publishers, expected)
    got = extract_article(httpx.get(url).content, url)
    assert got.title == expected.title
    assert got.subtitle == expected.subtitle
    assert got.authors == expected.authors
    assert got.agency == expected.agency
    assert got.dateline == expected.dateline
    assert [b.text for b in got.blocks] == list(expected.body)
    assert [(i.caption, i.credit, i.after_block) for i in got.images] == [
        (i.caption, i.credit, i.after) for i in expected.images
    ]
    assert got.language == expected.lang
    assert got.canonical_url == url
    assert got.published is not None


def test_not_an_article_gives_a_clear_error() -> None:
    for page in [b"", b"\x00\x01\x02binary", b"<html><body><nav>Home</nav></body></html>", b"%PDF-1.4 \x00"]:
        with pytest.raises(ExtractionError):
            extract_article(page, "https://example.org/x")
