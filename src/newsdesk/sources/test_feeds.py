"""The sources stage: every feed format from golden files, plus hostile and broken inputs."""

from __future__ import annotations

import contextlib
import json
import resource
import select
import socket
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsdesk.sources import (
    FeedError,
    FeedImage,
    FeedLink,
    ParsedFeed,
    candidate_feed_urls,
    discover_feed_links,
    parse_datetime,
    parse_feed,
)
from newsdesk.sources.feedtypes import MAX_CATEGORIES, MAX_TEXT

TESTDATA = Path(__file__).parent / "testdata"


def golden(name: str) -> bytes:
    return (TESTDATA / name).read_bytes()


def rss(
    items: str, channel: str = "<title>T</title><link>https://site.example/</link>", prolog: str = ""
) -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{prolog}<rss version="2.0"><channel>{channel}{items}'
        "</channel></rss>"
    ).encode()


def everything(feed: ParsedFeed) -> str:
    return repr(feed)


def is_clean(text: str) -> bool:
    """Valid, storable text: encodes as UTF-8 and has no C0 controls other than tab and newlines."""
    text.encode("utf-8")
    return not any(ord(c) < 32 and c not in "\t\n\r" for c in text)


# -- formats, from golden files ------------------------------------------------------------------


def test_rss2() -> None:
    feed = parse_feed(golden("rss2.xml"), "https://harbor.example/feed/rss.xml", "application/rss+xml")
    assert (feed.format, feed.title, feed.site_url, feed.language) == (
        "rss",
        "Harbor Courier",
        "https://harbor.example/",
        "en-gb",
    )
    assert feed.warnings == ()
    first, relative, guid_only, hostile = feed.entries
    assert first.guid == "harbor-4711"
    assert first.link == "https://harbor.example/news/port-reopens"
    assert first.title == "Port reopens after storm"
    assert first.summary == "The port <b>reopened</b> on Tuesday."
    assert first.content == "<p>The port reopened on Tuesday morning.</p>"
    assert first.authors == ("Ana Ruiz",)
    assert first.categories == ("Local", "Weather")
    assert first.published == datetime(2023, 1, 3, 7, 30, tzinfo=UTC)
    assert first.images == (
        FeedImage("https://img.harbor.example/port.jpg", "Ships queue at the harbor entrance.", "Jo Lind"),
    )
    # relative link and enclosure resolve against the feed URL; the audio enclosure is not an image
    assert relative.link == "https://harbor.example/news/relative-story"
    assert relative.guid == relative.link
    assert relative.images == (FeedImage("https://harbor.example/img/relative.png"),)
    assert guid_only.link == guid_only.guid == "https://harbor.example/news/guid-only"
    assert guid_only.published is None
    assert hostile.guid == "hostile-1"
    assert hostile.link == "" and hostile.images == ()


def test_rss1_rdf() -> None:
    feed = parse_feed(golden("rss1.rdf"), "https://ledger.example/rss", "application/rdf+xml")
    assert (feed.format, feed.title, feed.site_url, feed.language) == (
        "rss",
        "Northgate Ledger",
        "https://ledger.example/",
        "de",
    )
    first, second = feed.entries
    assert first.link == first.guid == "https://ledger.example/a/1"
    assert first.title == "Council votes on budget"
    assert first.authors == ("Karl Weber",)
    assert first.categories == ("Politics",)
    assert first.published == datetime(2023, 2, 1, 8, 15, tzinfo=UTC)  # dc:date is the publication date
    assert second.link == "https://ledger.example/a/2" and second.published is None


def test_rss091_with_netscape_doctype() -> None:
    feed = parse_feed(golden("rss091.xml"), "http://oldwire.example/rss.xml", "text/xml")
    assert (feed.format, feed.title, feed.language) == ("rss", "Old Wire", "en-us")
    (entry,) = feed.entries
    assert (entry.title, entry.link, entry.summary) == (
        "Millennium bug fixed",
        "http://oldwire.example/y2k.html",
        "All systems go.",
    )


def test_atom() -> None:
    feed = parse_feed(golden("atom.xml"), "https://elfaro.example/atom.xml", "application/atom+xml")
    assert (feed.format, feed.title, feed.site_url, feed.language) == (
        "atom",
        "El Faro",
        "https://elfaro.example/",
        "es",
    )
    festival, plain = feed.entries
    assert festival.guid == "tag:elfaro.example,2023:festival"
    assert festival.link == "https://elfaro.example/blog/posts/festival"  # xml:base applied
    assert festival.title == "Festival <em>opens</em>"
    assert festival.authors == ("Lucía Gómez", "Pedro Alba")
    assert festival.categories == ("cultura", "cine")
    assert festival.published == datetime(2023, 3, 4, 17, 0, tzinfo=UTC)
    assert festival.updated == datetime(2023, 3, 5, 9, 30, tzinfo=UTC)
    assert festival.images == (FeedImage("https://elfaro.example/img/festival.jpg"),)
    assert "<script" not in festival.content and "Full text" in festival.content
    assert plain.link == "https://elfaro.example/blog/posts/plain"
    assert plain.published is None and plain.updated is None and plain.authors == ()


def test_json_feed() -> None:
    feed = parse_feed(golden("feed.json"), "https://meridian.example/feed.json", "application/feed+json")
    assert (feed.format, feed.title, feed.site_url, feed.language) == (
        "jsonfeed",
        "Meridian Times",
        "https://meridian.example/",
        "en-us",
    )
    comet, legacy = feed.entries
    assert comet.guid == "mt-1"
    assert comet.link == "https://meridian.example/2023/comet"
    assert comet.title == "Comet capsule lands"
    assert comet.summary == "A capsule came home."
    assert comet.content == "<p>The capsule landed.</p>"
    assert comet.authors == ("Sam Okafor", "Ida Berg")
    assert comet.categories == ("Science", "Space")
    assert comet.published == datetime(2023, 4, 1, 15, 0, tzinfo=UTC)
    assert comet.updated == datetime(2023, 4, 1, 12, 30, tzinfo=UTC)
    assert comet.images == (FeedImage("https://meridian.example/images/capsule.jpg"),)
    assert comet.language == "en"
    assert legacy.guid == "42"  # a numeric id, kept as text
    assert legacy.link == "https://elsewhere.example/story"
    assert legacy.content == "Plain text only."
    assert legacy.authors == ("Legacy Author",)


def test_google_news_sitemap() -> None:
    feed = parse_feed(
        golden("news-sitemap.xml"), "https://rheinblick.example/news-sitemap.xml", "application/xml"
    )
    assert (feed.format, feed.title) == ("sitemap", "Rheinblick")
    news, plain = feed.entries  # the javascript: and the loc-less entries are dropped
    assert news.link == news.guid == "https://rheinblick.example/politik/koalition"
    assert news.title == "Koalition einigt sich"
    assert news.language == "de"
    assert news.published == datetime(2023, 5, 2, 5, 45, tzinfo=UTC)
    assert news.updated == datetime(2023, 5, 2, 6, 0, tzinfo=UTC)
    assert news.images == (
        FeedImage("https://rheinblick.example/img/koalition.jpg", "Die Verhandler am Morgen"),
    )
    assert plain.link == "https://rheinblick.example/lokal/hochwasser"
    assert plain.published == plain.updated == datetime(2023, 5, 1, tzinfo=UTC)


def test_sitemap_index() -> None:
    feed = parse_feed(golden("sitemap-index.xml"), "https://rheinblick.example/sitemap.xml")
    assert feed.format == "sitemapindex"
    assert feed.sitemaps == (
        "https://rheinblick.example/sitemap-news-1.xml",
        "https://rheinblick.example/sitemap-news-2.xml",
    )  # file: dropped
    assert feed.entries == ()


def test_sitemap_without_namespace_still_reads() -> None:
    body = b"<urlset><url><loc>https://a.example/1</loc><lastmod>2023-01-01</lastmod></url></urlset>"
    feed = parse_feed(body, "https://a.example/sitemap.xml")
    assert [e.link for e in feed.entries] == ["https://a.example/1"]
    index = parse_feed(
        b"<sitemapindex><sitemap><loc>/s1.xml</loc></sitemap></sitemapindex>", "https://a.example/"
    )
    assert index.sitemaps == ("https://a.example/s1.xml",)


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("rss2.xml", "application/json", "rss"),  # XML labelled JSON
        ("feed.json", "text/html; charset=utf-8", "jsonfeed"),
        ("atom.xml", "image/png", "atom"),
        ("news-sitemap.xml", "text/plain", "sitemap"),
    ],
)
def test_format_is_sniffed_from_the_body(name: str, content_type: str, expected: str) -> None:
    feed = parse_feed(golden(name), "https://x.example/feed", content_type)
    assert feed.format == expected
    assert feed.entries


# -- broken and non-feed input -------------------------------------------------------------------


def test_malformed_xml_keeps_what_parses_with_a_warning() -> None:
    feed = parse_feed(golden("malformed.xml"), "https://tj.example/rss")
    assert feed.title == "Tom & Jerry News"
    assert feed.entries and feed.entries[0].title == "First & only good item"
    assert feed.entries[0].link == "https://tj.example/1"
    assert any("malformed" in w for w in feed.warnings)


def test_truncated_feed_keeps_complete_items_with_a_warning() -> None:
    body = rss(
        "<item><title>One</title><link>https://site.example/1</link></item>"
        "<item><title>Two</title><link>https://site.example/2</link></item>"
    )
    feed = parse_feed(body[: body.index(b"</item>", body.index(b"Two"))], "https://site.example/rss")
    assert [e.title for e in feed.entries][:1] == ["One"]
    assert feed.warnings


def test_well_formed_feed_has_no_warnings_without_content_type() -> None:
    feed = parse_feed(golden("rss2.xml"), "https://harbor.example/rss", "")
    assert feed.warnings == ()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (golden("login.html"), "text/html"),
        (golden("login.html"), "application/rss+xml"),  # HTML that claims to be RSS
        (b"\xef\xbb\xbf<!DOCTYPE html><html><body>Just a moment...</body></html>", ""),
        (
            b'<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
            b'"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"><html xmlns="http://www.w3.org/1999/xhtml">'
            b"<head><title>x</title></head><body><p>captive portal</p></body></html>",
            "application/xml",
        ),
        (b"  <html><head><title>t</title></head><body></body></html>", ""),
    ],
    ids=["login", "login-as-rss", "bom-challenge", "xhtml", "bare-html"],
)
def test_html_pages_are_not_feeds(body: bytes, content_type: str) -> None:
    with pytest.raises(FeedError, match="HTML"):
        parse_feed(body, "https://x.example/feed", content_type)


def test_leading_white_space_is_not_an_empty_body() -> None:
    feed = parse_feed(b" \n" * 5000 + golden("rss2.xml").lstrip(), "https://harbor.example/rss")
    assert feed.format == "rss" and len(feed.entries) == 4
    sitemap = parse_feed(
        b"\n\n  " + golden("news-sitemap.xml"), "https://rheinblick.example/news-sitemap.xml"
    )
    assert sitemap.format == "sitemap" and len(sitemap.entries) == 2


@pytest.mark.parametrize("body", [b"", b"   \r\n\t ", b"\xef\xbb\xbf", b"\xef\xbb\xbf  \n"])
def test_empty_bodies_are_feed_errors(body: bytes) -> None:
    with pytest.raises(FeedError, match="empty"):
        parse_feed(body, "https://x.example/feed", "application/rss+xml")


@pytest.mark.parametrize(
    "body",
    [
        b"hello, this is plain text",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"<note><to>x</to></note>",
        b"<urlset><url><loc>https://a.example/",
        b"\x00" * 100,
    ],
)
def test_other_non_feeds_are_feed_errors(body: bytes) -> None:
    with pytest.raises(FeedError):
        parse_feed(body, "https://x.example/feed")


def test_a_body_naming_a_local_file_is_parsed_as_bytes_not_opened(tmp_path: Path) -> None:
    # feedparser.parse(bytes) opens the bytes as a path when such a file exists.
    local = tmp_path / "secret-feed.xml"
    local.write_bytes(rss("<item><title>LOCAL SECRET</title><link>https://site.example/s</link></item>"))
    with pytest.raises(FeedError):
        parse_feed(str(local).encode(), "https://x.example/feed", "application/rss+xml")


def _nested_json(depth: int) -> bytes:
    return b'{"version": "https://jsonfeed.org/version/1.1", "items": [' + b"[" * depth + b"]" * depth + b"]}"


@pytest.mark.parametrize(
    "body",
    [
        b'{"version": "https://jsonfeed.org/version/1.1", "items": {"id": "1"}}',
        b'{"version": "https://jsonfeed.org/version/1.1"}',
        b'{"version": "https://jsonfeed.org/version/1.1", "items": null}',
        b'{"title": "no version", "items": []}',
        b'{"version": 1.1, "items": []}',
        b'[{"version": "https://jsonfeed.org/version/1.1"}]',
        b'{"version": "https://jsonfeed.org/version/1.1", "items": [',
        b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": ' + b"9" * 5000 + b"}]}",
        _nested_json(100_000),
        b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    ],
    ids=[
        "items-object",
        "items-missing",
        "items-null",
        "no-version",
        "numeric-version",
        "array-root",
        "truncated",
        "huge-number",
        "deep-array",
        "deep-object",
    ],
)
def test_invalid_json_feeds_are_feed_errors(body: bytes) -> None:
    with pytest.raises(FeedError):
        parse_feed(body, "https://x.example/feed.json", "application/feed+json")


def test_json_feed_with_wrong_types_skips_or_empties_never_crashes() -> None:
    items = [
        None,
        17,
        "string item",
        [],
        {
            "id": 7,
            "url": "https://x.example/7",
            "title": 5,
            "summary": None,
            "authors": "me",
            "tags": {"a": 1},
            "date_published": 1700000000,
            "image": ["x"],
            "language": None,
        },
        {
            "id": True,
            "url": ["https://x.example/list"],
            "external_url": "https://x.example/ext",
            "authors": [None, 3, {"name": 4}, {"name": "Ok"}],
            "tags": [None, 1, "real"],
            "date_published": "9999-12-31T23:59:59-05:00",
            "content_html": {"x": 1},
        },
        {"id": None, "url": None, "title": "no link"},
    ]
    body = json.dumps(
        {"version": "https://jsonfeed.org/version/1", "title": None, "home_page_url": 12, "items": items}
    ).encode()
    feed = parse_feed(body, "https://x.example/feed.json")
    assert feed.title == "" and feed.site_url == "https://x.example/feed.json"
    assert len(feed.warnings) == 4  # the four non-object items, each named
    numeric, odd, linkless = feed.entries
    assert (numeric.guid, numeric.link, numeric.title, numeric.summary) == (
        "7",
        "https://x.example/7",
        "",
        "",
    )
    assert numeric.authors == () and numeric.categories == () and numeric.published is None
    assert numeric.images == ()
    assert odd.guid == odd.link == "https://x.example/ext"  # a boolean is no id
    assert odd.authors == ("Ok",) and odd.categories == ("real",)
    assert odd.published is None and odd.content == ""
    assert linkless.link == "" and linkless.guid == "" and linkless.title == "no link"


# -- hostile XML ---------------------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title><link>https://site.example/</link>
<item><title>&lol9;</title><link>https://site.example/1</link><description>&lol9;</description></item>
</channel></rss>"""


def _quadratic(newline: str = "\n", quote: str = '"', refs: int = 100_000) -> str:
    return (
        f'<?xml version="1.0"?>{newline}<!DOCTYPE rss [{newline}<!ENTITY a {quote}{"A" * 100_000}{quote}>'
        f'{newline}]>{newline}<rss version="2.0"><channel><title>t</title><item><title>x</title>'
        f"<link>https://site.example/1</link><description>{'&a;' * refs}</description></item>"
        "</channel></rss>"
    )


@contextlib.contextmanager
def address_space_cap(extra: int) -> Iterator[None]:
    """Let the process grow by at most ``extra`` bytes: an expansion then fails with MemoryError, not OOM."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    status = Path("/proc/self/status").read_text()
    current = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmSize:"))) * 1024
    limit = current + extra if hard == resource.RLIM_INFINITY else min(current + extra, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _parse_fast(body: bytes, seconds: float = 1.0) -> ParsedFeed | None:
    """Parse under a CPU time limit and a 1 GB growth cap; None when the parser refused the input.

    CPU time of this thread, not wall time, so a busy machine does not fail the test.
    """
    started = time.thread_time()
    with address_space_cap(1 << 30):
        try:
            feed: ParsedFeed | None = parse_feed(body, "https://site.example/feed")
        except FeedError:
            feed = None
    assert time.thread_time() - started < seconds
    return feed


def test_billion_laughs_does_not_expand() -> None:
    feed = _parse_fast(BILLION_LAUGHS.encode())
    if feed is not None:
        assert len(everything(feed)) < 10_000
        assert "lollollol" not in everything(feed)


@pytest.mark.parametrize(
    "body",
    [
        _quadratic().encode(),
        _quadratic(newline="").encode(),
        _quadratic(quote="'").encode(),
        _quadratic().encode("utf-16"),
    ],
    ids=["multiline", "one-line", "single-quoted", "utf-16"],
)
def test_quadratic_blowup_does_not_expand(body: bytes) -> None:
    # 100 KB entity x 100,000 references: 10 GB if expanded.
    feed = _parse_fast(body)
    if feed is not None:
        assert len(everything(feed)) < 1_000_000
        assert "A" * 1000 not in everything(feed)


def test_quadratic_blowup_memory_stays_bounded() -> None:
    body = _quadratic(refs=5_000).encode()  # 500 MB if expanded: measurable, survivable
    tracemalloc.start()
    try:
        feed = _parse_fast(body, seconds=10)  # tracing slows Python down; memory is the point here
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50_000_000
    assert feed is None or "A" * 1000 not in everything(feed)


def test_small_character_entities_still_work() -> None:
    body = rss(
        "<item><title>Caf&eacute; &copy; &amp; more</title><link>https://site.example/1</link></item>",
        prolog='\n<!DOCTYPE rss [\n<!ENTITY eacute "&#233;">\n<!ENTITY copy "&#169;">\n]>',
    )
    assert parse_feed(body, "https://site.example/feed").entries[0].title == "Café © & more"


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A listening socket on 127.0.0.1: any connection attempt makes it readable."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    yield sock
    sock.close()


def _no_connection(sock: socket.socket) -> bool:
    readable, _, _ = select.select([sock], [], [], 0.3)
    return not readable


def _xxe_documents(port: int) -> list[bytes]:
    url = f"http://127.0.0.1:{port}/xxe"
    body = (
        '<rss version="2.0"><channel><title>t &xxe;</title><link>https://site.example/</link>'
        "<item><title>i &xxe;</title><link>https://site.example/1</link></item></channel></rss>"
    )
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>t &xxe;</title><entry><title>&xxe;</title>'
        '<link href="https://site.example/1"/><id>1</id></entry></feed>'
    )
    plain = body.replace(" &xxe;", "")
    public = f'<!DOCTYPE rss PUBLIC "-//x//y" "{url}" [\n<!ENTITY xxe "ok">\n]>'
    return [
        f'<?xml version="1.0"?>\n<!DOCTYPE rss SYSTEM "file:///etc/passwd">\n{plain}'.encode(),
        f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{url}">{plain}'.encode(),
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n{body}'.encode(),
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>{body}'.encode(),
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY xxe SYSTEM "{url}">\n]>\n{body}'.encode(),
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "{url}">]>{body}'.encode(),
        f'<?xml version="1.0"?>\n<!DOCTYPE feed [\n<!ENTITY xxe SYSTEM "{url}">\n]>\n{atom}'.encode(),
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY % p SYSTEM "{url}">\n%p;\n]>\n{plain}'.encode(),
        f'<?xml version="1.0"?>\n{public}\n{body}'.encode(),
    ]


def test_xxe_in_feeds_reads_no_file_and_opens_no_socket(listener: socket.socket) -> None:
    passwd = Path("/etc/passwd").read_text(errors="replace")[:200].splitlines()[0]
    for body in _xxe_documents(listener.getsockname()[1]):
        try:
            text = everything(parse_feed(body, "https://site.example/feed"))
        except FeedError as exc:
            text = str(exc)
        assert passwd not in text and "root:" not in text, body[:120]
    assert _no_connection(listener)  # a connection attempt would still wait in the backlog


def test_xxe_in_sitemaps_is_refused(listener: socket.socket) -> None:
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/xxe"
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    for doctype in [
        '<!DOCTYPE urlset SYSTEM "file:///etc/passwd">',
        f'<!DOCTYPE urlset SYSTEM "{url}">',
        f'<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "{url}">]>',
        '<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    ]:
        body = f'<?xml version="1.0"?>\n{doctype}\n<urlset {ns}><url><loc>https://a.example/&xxe;</loc></url></urlset>'
        with pytest.raises(FeedError, match="unsafe"):
            parse_feed(body.encode(), "https://a.example/sitemap.xml")
    assert _no_connection(listener)
    lol = BILLION_LAUGHS.replace(
        "<rss", f"<urlset {ns}><url><loc>https://a.example/&lol9;</loc></url></urlset><x"
    )
    with pytest.raises(FeedError):
        _parse_fast(lol.encode())
        raise FeedError("parsed")  # refused or not, it must not have expanded in time


def test_deeply_nested_xml_finishes() -> None:
    body = rss(
        "<item><title>x</title><link>https://site.example/1</link><description>"
        + "<div>" * 20_000
        + "deep</description></item>"
    )
    feed = _parse_fast(body, seconds=5)
    assert feed is not None and feed.entries[0].link == "https://site.example/1"


def test_huge_fields_are_truncated() -> None:
    categories = "".join(f"<category>c{i}</category>" for i in range(5000))
    body = rss(
        f"<item><title>{'T' * (MAX_TEXT + 5000)}</title><link>https://site.example/1</link>"
        f"<author>a@example.org ({'N' * 5000})</author>{categories}</item>"
    )
    entry = parse_feed(body, "https://site.example/feed").entries[0]
    assert len(entry.title) == MAX_TEXT
    assert len(entry.categories) == MAX_CATEGORIES
    assert all(len(a) <= 200 for a in entry.authors)


# -- encodings -----------------------------------------------------------------------------------


@pytest.mark.parametrize("content_type", ["", "application/rss+xml", "text/xml", "text/xml; charset=utf-8"])
def test_windows_1252_declared_in_the_prolog(content_type: str) -> None:
    feed = parse_feed(golden("windows-1252.xml"), "https://cafe.example/rss", content_type)
    assert feed.title == "\u201eCaf\u00e9\u201c \u2013 5 \u20ac"
    assert feed.entries[0].title == "Na\u00efve \u201cquotes\u201d"
    assert feed.entries[0].summary == "Cr\u00e8me br\u00fbl\u00e9e \u2014 \u00a9 2023"


@pytest.mark.parametrize("name", ["utf8-bom.xml", "utf16.xml"])
@pytest.mark.parametrize("content_type", ["", "text/xml", "application/rss+xml; charset=utf-16"])
def test_byte_order_marks(name: str, content_type: str) -> None:
    feed = parse_feed(golden(name), "https://bom.example/rss", content_type)
    assert feed.title == "Zo\u00eb\u2019s \u65e5\u672c"
    assert feed.entries[0].title == "\u00dcber \u00e4lles"
    assert feed.warnings == ()


def test_nul_and_control_characters_become_valid_text() -> None:
    body = rss(
        "<item><title>Bad\x00 ti\x01tle\x1b</title><link>https://site.example/1</link>"
        "<author>x@example.org (Ann\x07e)</author><category>c\x0bat</category>"
        "<description>sum\x00mary</description></item>",
        channel="<title>Fe\x00ed</title>",
    )
    feed = parse_feed(body, "https://site.example/feed")
    entry = feed.entries[0]
    assert feed.title == "Feed"
    assert entry.title == "Bad title"
    for text in (entry.title, entry.summary, *entry.authors, *entry.categories, entry.guid, entry.link):
        assert is_clean(text), repr(text)


def test_control_characters_and_lone_surrogates_in_json_become_valid_text() -> None:
    body = (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "A\\u0000B\\ud800",'
        b' "items": [{"id": "x\\u0000", "url": "https://x.example/1", "title": "T\\u0001\\udfff!",'
        b' "tags": ["\\u0000", "ok\\u001f"], "authors": [{"name": "N\\u0000"}]}]}'
    )
    feed = parse_feed(body, "https://x.example/feed.json")
    entry = feed.entries[0]
    assert feed.title == "AB"
    assert (entry.guid, entry.title, entry.categories, entry.authors) == ("x", "T!", ("ok",), ("N",))


def test_invalid_utf8_becomes_valid_text() -> None:
    body = rss("<item><title>ok</title><link>https://site.example/1</link></item>").replace(
        b"<title>ok", b"<title>ok \xff\xfe\xc3( end"
    )
    feed = parse_feed(body, "https://site.example/feed")
    assert feed.entries and is_clean(feed.entries[0].title)


# -- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pub_date", "expected"),
    [
        ("Fri, 01 Jan 2099 00:00:00 GMT", datetime(2099, 1, 1, tzinfo=UTC)),
        ("Thu, 01 Jan 1970 00:00:00 GMT", datetime(1970, 1, 1, tzinfo=UTC)),
        ("", None),
        ("not a date", None),
        ("Mon, 32 Foo 2023 25:61:00 +2500", None),
        ("Fri, 31 Dec 9999 23:59:59 -1200", None),
    ],
)
def test_rss_dates_never_crash(pub_date: str, expected: datetime | None) -> None:
    body = rss(
        f"<item><title>x</title><link>https://site.example/1</link><pubDate>{pub_date}</pubDate></item>"
    )
    entry = parse_feed(body, "https://site.example/feed").entries[0]
    if expected is None:
        assert entry.published is None or entry.published.tzinfo is not None
    else:
        assert entry.published == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2099-01-01T00:00:00Z", datetime(2099, 1, 1, tzinfo=UTC)),
        ("2023-05-01", datetime(2023, 5, 1, tzinfo=UTC)),
        ("2023-05-01T10:00:00", datetime(2023, 5, 1, 10, tzinfo=UTC)),
        ("2023-05-01T10:00:00+02:00", datetime(2023, 5, 1, 8, tzinfo=UTC)),
        ("Mon, 01 May 2023 10:00:00 GMT", datetime(2023, 5, 1, 10, tzinfo=UTC)),
        ("9999-12-31T23:59:59-05:00", None),  # beyond datetime.max in UTC
        ("0001-01-01T00:00:00+05:00", None),  # before datetime.min in UTC
        ("2023-05-01T10:00:00+25:00", None),
        ("2023-02-30", None),
        ("garbage", None),
        ("", None),
        ("   ", None),
    ],
)
def test_parse_datetime(value: str, expected: datetime | None) -> None:
    assert parse_datetime(value) == expected


def test_json_feed_date_out_of_range_does_not_crash() -> None:
    body = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "items": [
                {
                    "id": "1",
                    "url": "https://x.example/1",
                    "date_published": "9999-12-31T23:59:59-05:00",
                    "date_modified": "0001-01-01T00:00:00+14:00",
                }
            ],
        }
    ).encode()
    entry = parse_feed(body, "https://x.example/feed.json").entries[0]
    assert entry.published is None and entry.updated is None


# -- links ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>x</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://site.example/x",
        "mailto:a@b.c",
    ],
)
def test_only_http_links_survive(link: str) -> None:
    body = rss(
        f"<item><title>x</title><link>{link.replace('<', '&lt;').replace('>', '&gt;')}</link>"
        f"<guid isPermaLink='false'>g</guid></item>"
    )
    entry = parse_feed(body, "https://site.example/feed").entries[0]
    assert entry.link == ""
    json_body = json.dumps(
        {"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", "url": link, "image": link}]}
    ).encode()
    json_entry = parse_feed(json_body, "https://x.example/feed.json").entries[0]
    assert json_entry.link == "" and json_entry.images == ()


def test_entry_without_link_does_not_borrow_the_site_url() -> None:
    entry = parse_feed(
        rss("<item><title>x</title><description>d</description></item>"), "https://site.example/feed"
    ).entries[0]
    assert entry.link == "" and entry.guid == ""


def test_relative_links_resolve_against_the_feed_url() -> None:
    body = rss(
        "<item><title>x</title><link>../story/1</link></item><item><title>y</title><link>?p=2</link></item>",
        channel="<title>T</title><link>https://elsewhere.example/home/</link>",
    )
    feed = parse_feed(body, "https://site.example/feeds/main/rss.xml")
    assert [e.link for e in feed.entries] == [
        "https://site.example/feeds/story/1",
        "https://site.example/feeds/main/rss.xml?p=2",
    ]
    assert feed.site_url == "https://elsewhere.example/home/"


def test_javascript_site_url_falls_back_to_the_feed_url() -> None:
    feed = parse_feed(
        rss("", channel="<title>T</title><link>javascript:alert(1)</link>"), "https://s.example/f"
    )
    assert feed.site_url == "https://s.example/f"


# -- discovery -----------------------------------------------------------------------------------


def test_discover_feed_links() -> None:
    links = discover_feed_links(golden("discover.html"), "https://news.example/section/page.html?x=1")
    assert links == [
        FeedLink("https://news.example/rss.xml", "Main RSS", "rss"),
        FeedLink("https://news.example/feeds/atom.xml", "Atom", "atom"),  # <base href> applies
        FeedLink("https://news.example/feeds/feed.json", "JSON Feed", "jsonfeed"),
        FeedLink("https://cdn.example/rdf", "", "rss"),
    ]


def test_discover_without_base_uses_the_page_url() -> None:
    page = b'<html><head><link rel="alternate" type="application/atom+xml" href="atom.xml"></head></html>'
    assert discover_feed_links(page, "https://a.example/blog/post") == [
        FeedLink("https://a.example/blog/atom.xml", "", "atom")
    ]
    junk_base = page.replace(b"<head>", b'<head><base href="javascript:alert(1)">')
    assert (
        discover_feed_links(junk_base, "https://a.example/blog/post")[0].url
        == "https://a.example/blog/atom.xml"
    )


@pytest.mark.parametrize(
    "page",
    [
        b"",
        b"   ",
        b"\x00\x00\x00",
        b"<",
        b"<!-- only a comment -->",
        b"\xff\xfe<\x00h\x00",
        b"<div>" * 100_000,
        golden("rss2.xml"),
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10,
    ],
)
def test_discover_on_junk_returns_nothing(page: bytes) -> None:
    assert discover_feed_links(page, "https://a.example/") == []


def test_candidate_feed_urls() -> None:
    urls = candidate_feed_urls("https://a.example/some/page")
    assert "https://a.example/feed" in urls and "https://a.example/feed.json" in urls
    assert all(u.startswith("https://a.example/") for u in urls)
