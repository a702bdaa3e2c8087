"""Bad pages give an article or an ExtractionError, quickly, and never another exception."""

from __future__ import annotations

import gzip
import json
import time

import pytest

from newsdesk.extract import ExtractedArticle, ExtractionError, Hints, extract_article
from newsdesk.extract.decode import MAX_HTML_CHARS, bound_html, decode_page, strip_scripts

URL = "https://news.example.org/2026/11/story"
FRENCH = "Le café était très animé ce matin à Zürich, où l'on a célébré « la fête » des élèves du lycée."
RUSSIAN = "Москва - столица России, крупнейший по численности населения город страны и её центр."
JAPANESE = "東京都は日本の首都であり、多くの人々が暮らしている大都市です。今日は朝から晴れています。"
CHINESE = "北京是中华人民共和国的首都，也是全国的政治和文化中心。今天的天气很好，市民们都出门散步。"


def page(sentence: str, head: str = "", paragraphs: int = 6) -> str:
    body = "".join(f"<p>{sentence} {sentence} ({index})</p>" for index in range(paragraphs))
    return (
        f"<html><head>{head}<title>Une histoire</title></head><body><article>{body}</article></body></html>"
    )


def extract_or_error(
    data: bytes | str, seconds: float = 10.0, hints: Hints | None = None
) -> ExtractedArticle | None:
    """The article, or None for an ExtractionError; fails on any other exception or when too slow."""
    start = time.perf_counter()
    try:
        article: ExtractedArticle | None = extract_article(data, URL, hints)
    except ExtractionError as error:
        assert str(error)
        article = None
    assert time.perf_counter() - start < seconds
    return article


@pytest.mark.parametrize(
    ("sentence", "encoding", "head"),
    [
        (FRENCH, "cp1252", ""),
        (FRENCH, "cp1252", '<meta charset="windows-1252">'),
        (FRENCH, "iso-8859-1", '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'),
        (FRENCH, "utf-16", ""),
        (RUSSIAN, "cp1251", ""),
        (RUSSIAN, "koi8-r", '<meta charset="koi8-r">'),
        (JAPANESE, "shift_jis", '<meta charset="Shift_JIS">'),
        (JAPANESE, "euc-jp", '<meta charset="EUC-JP">'),
        (CHINESE, "gb2312", '<meta charset="gb2312">'),
        (CHINESE, "gb18030", ""),
    ],
)
def test_legacy_encodings_are_decoded(sentence: str, encoding: str, head: str) -> None:
    article = extract_or_error(page(sentence, head).encode(encoding))
    assert article is not None
    assert sentence in article.blocks[0].text


@pytest.mark.parametrize(
    ("encoding", "declared"),
    [("utf-8", "iso-8859-1"), ("cp1252", "utf-8"), ("utf-8", "shift_jis"), ("cp1252", "no-such-charset")],
)
def test_wrong_declared_charset_is_overruled(encoding: str, declared: str) -> None:
    article = extract_or_error(page(FRENCH, f'<meta charset="{declared}">').encode(encoding))
    assert article is not None
    assert FRENCH in article.text


def test_http_charset_outranks_the_page_declaration() -> None:
    data = page(RUSSIAN, '<meta charset="cp1252">').encode("cp1251")
    article = extract_or_error(data, hints=Hints(content_type="text/html; charset=windows-1251"))
    assert article is not None
    assert RUSSIAN in article.text


def test_truncated_html_still_gives_the_text_before_the_cut() -> None:
    full = page(FRENCH, paragraphs=8).encode("utf-8")
    for cut in (len(full) // 2, len(full) - 40, full.index("é".encode()) + 1):
        article = extract_or_error(full[:cut])
        assert article is None or FRENCH in article.text


def test_a_20_mb_page_is_bounded() -> None:
    script = "<script>var data = '" + "x" * 8_000_000 + "';</script>"
    paragraphs = "".join(
        f"<p>Paragraph {i} of a very long page, sentence {i % 97} of the report.</p>" for i in range(185_000)
    )
    data = f"<html><head>{script}</head><body><article>{paragraphs}</article></body></html>".encode()
    assert len(data) > 20_000_000
    article = extract_or_error(data, seconds=45)
    assert article is not None and article.word_count > 1000


def test_markup_is_cut_to_a_bounded_size() -> None:
    html = "<html><body>" + "<div><a href='/x'>link</a></div>" * 100_000 + "</body></html>"
    assert len(bound_html(html)) <= MAX_HTML_CHARS


def test_100k_deep_nesting_is_bounded() -> None:
    body = "<div>" * 100_000 + "<p>" + FRENCH + "</p>" + "</div>" * 100_000
    lead = "".join(f"<p>{FRENCH} ({i})</p>" for i in range(5))
    for html in (f"<html><body>{lead}{body}</body></html>", f"<html><body>{body}{lead}</body></html>"):
        extract_or_error(html.encode())
    inline = (
        "<html><body>" + lead + "<p>" + "<b>" * 100_000 + "deep" + "</b>" * 100_000 + "</p></body></html>"
    )
    extract_or_error(inline)


@pytest.mark.parametrize(
    "body",
    [
        '<video controls src="/clip.mp4" poster="/p.jpg"></video><p>Watch the video.</p>',
        '<iframe src="https://video.example.org/embed/123"></iframe>',
        "".join(
            f'<figure><img src="/g/{i}.jpg"><figcaption>Photo {i}</figcaption></figure>' for i in range(30)
        ),
        '<div class="gallery">'
        + "".join(f'<img src="/g/{i}.jpg" alt="Slide {i}">' for i in range(40))
        + "</div>",
        "",
        "<p></p><div> </div>",
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><footer>© 2026 Example</footer>",
    ],
)
def test_pages_without_article_text_are_not_articles(body: str) -> None:
    html = f"<html><head><title>Gallery: the storm</title></head><body>{body}</body></html>"
    assert extract_or_error(html.encode()) is None


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n\t ",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40,
        b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(2000),
        gzip.compress(page(FRENCH).encode()),
        b"PK\x03\x04" + bytes(500),
        bytes(range(256)) * 100,
        json.dumps({"title": "x", "body": FRENCH * 20}).encode(),
        b"[1, 2, 3]",
        b"just a plain line of text",
        b"<?xml version='1.0'?><rss><channel><item><title>x</title></item></channel></rss>",
    ],
)
def test_non_html_is_not_an_article(data: bytes) -> None:
    assert extract_or_error(data) is None


def test_malformed_json_ld_does_not_break_extraction() -> None:
    for ld in (
        '{"@type": "NewsArticle", "hasPart": null, "author": [null, 3]',
        "[[[[",
        '{"@type": ["NewsArticle"], '
        '"isAccessibleForFree": "False", "hasPart": [null, {"isAccessibleForFree": false}], "image": [1]}',
    ):
        head = f'<script type="application/ld+json">{ld}</script>'
        article = extract_or_error(page(FRENCH, head).encode())
        assert article is not None


def test_paywalled_page_is_flagged_not_padded() -> None:
    ld = '{"@type": "NewsArticle", "headline": "H", "isAccessibleForFree": false}'
    head = f'<script type="application/ld+json">{ld}</script>'
    article = extract_or_error(page(FRENCH, head).encode())
    assert article is not None and article.is_truncated
    free = extract_or_error(page(FRENCH).encode())
    assert free is not None and not free.is_truncated
    assert article.text == free.text


def test_scripts_styles_and_comments_are_stripped_linearly() -> None:
    html = (
        "<p>a</p><script>if (a < b) { x = '</div>'; }</script><style>p{}</style><!-- <p>hidden</p> -->"
        '<script type="application/ld+json">{"a": 1}</script><svg><text>icon</text></svg><p>b</p>'
    )
    assert strip_scripts(html) == '<p>a</p><script type="application/ld+json">{"a": 1}</script><p>b</p>'
    start = time.perf_counter()
    strip_scripts("<script>" * 200_000 + "<!--" * 200_000)
    assert time.perf_counter() - start < 2


def test_decoding_prefers_valid_utf8_and_forgives_a_cut_character() -> None:
    text = "Zürich café"
    assert decode_page(text.encode()[:-1]).startswith("Zürich caf")
    assert decode_page(f'<meta charset="latin1">{text}'.encode()).endswith(text)
    assert decode_page(f"<p>{text}</p>".encode("cp1252")) == f"<p>{text}</p>"
