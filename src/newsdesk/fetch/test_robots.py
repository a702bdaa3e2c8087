"""robots.txt is honoured for article pages (RFC 9309 statuses), cached per site, and not for feeds."""

from __future__ import annotations

from collections.abc import Callable

from newsdesk.fetch import Fetcher, FetchError
from newsdesk.fetch.robots import parse_robots
from newsdesk.testing.scripted_server import ScriptedServer, reply

MakeFetcher = Callable[..., Fetcher]
PAGE = b"<html><body><p>An article.</p></body></html>"


def kind_of_failure(fetcher: Fetcher, url: str, kind: str = "page") -> str:
    try:
        fetcher.fetch(url, kind=kind)
    except FetchError as error:
        return error.kind
    return "ok"


def test_disallowed_pages_are_not_fetched_and_rules_are_cached(
    server: ScriptedServer, make_fetcher: MakeFetcher
) -> None:
    robots = b"User-agent: *\nDisallow: /private/\n\nUser-agent: newsdesk\nDisallow: /members/\n"
    server.route("/robots.txt", reply(200, [("Content-Type", "text/plain")], robots))
    for path in ("/news/a", "/members/b", "/private/c", "/feed.xml"):
        server.route(path, reply(200, [("Content-Type", "text/html")], PAGE))
    fetcher = make_fetcher(obey_robots=True)
    assert kind_of_failure(fetcher, server.url("/news/a")) == "ok"
    assert kind_of_failure(fetcher, server.url("/members/b")) == "robots"
    assert kind_of_failure(fetcher, server.url("/private/c")) == "ok"  # our group replaces the * group
    assert kind_of_failure(fetcher, server.url("/members/b"), kind="feed") == "ok"  # feeds are subscribed to
    assert server.hits("/robots.txt") == 1
    assert server.hits("/members/b") == 1


def test_missing_robots_allows_and_a_failing_one_disallows(
    server: ScriptedServer, make_fetcher: MakeFetcher
) -> None:
    server.route("/news/a", reply(200, [("Content-Type", "text/html")], PAGE))
    assert kind_of_failure(make_fetcher(obey_robots=True), server.url("/news/a")) == "ok"  # 404: no rules
    server.route("/robots.txt", reply(503, [], b"down"))
    assert kind_of_failure(make_fetcher(obey_robots=True), server.url("/news/a")) == "robots"
    assert server.hits("/news/a") == 1


def test_robots_can_be_switched_off(server: ScriptedServer, make_fetcher: MakeFetcher) -> None:
    server.route("/robots.txt", reply(200, [], b"User-agent: *\nDisallow: /\n"))
    server.route("/news/a", reply(200, [("Content-Type", "text/html")], PAGE))
    assert kind_of_failure(make_fetcher(obey_robots=True), server.url("/news/a")) == "robots"
    assert kind_of_failure(make_fetcher(obey_robots=False), server.url("/news/a")) == "ok"


def test_rules_are_read_as_rfc_9309_says() -> None:
    """The most specific rule wins whatever its order, and `*` and `$` are wildcards (urllib's parser took
    the first match and knew neither)."""
    rules = parse_robots(
        "User-agent: *\nDisallow: /news/\nAllow: /news/today$\nDisallow: /*.pdf$\nAllow: /news/open/\n", 1.0
    )
    assert rules.allows("https://site.test/news/today")
    assert not rules.allows("https://site.test/news/today/more")
    assert rules.allows("https://site.test/news/open/a")  # longer Allow beats the shorter Disallow
    assert not rules.allows("https://site.test/files/report.pdf")
    assert rules.allows("https://site.test/files/report.pdf.html")
