"""Finding the feeds at a URL a user gives: the fetch and sources stages joined."""

from __future__ import annotations

from newsdesk.fetch import Fetcher, FetchError
from newsdesk.sources import FeedError, ParsedFeed, candidate_feed_urls, discover_feed_links, parse_feed
from newsdesk.sources.feeds import looks_like_html


class SourceProblem(Exception):
    """Why a URL cannot be added as a source (one line for the user)."""


def find_feeds(fetcher: Fetcher, url: str) -> list[tuple[str, ParsedFeed]]:
    """The feeds at ``url``: the URL itself if it is a feed, else the feeds its page advertises.

    When the URL is no HTML page but not a readable feed either (invalid JSON, broken XML), the parser's
    reason is the answer.
    """
    try:
        result = fetcher.fetch(url, kind="feed")
    except FetchError as exc:
        raise SourceProblem(f"cannot fetch {url}: {exc}") from exc
    try:
        return [(result.url, parse_feed(result.content, result.url, result.content_type))]
    except FeedError as exc:
        reason = "it is not a feed and advertises none" if looks_like_html(result.content) else str(exc)
    candidates = [link.url for link in discover_feed_links(result.content, result.url)]
    candidates = candidates or candidate_feed_urls(result.url)
    found = []
    for candidate in candidates:
        try:
            feed_result = fetcher.fetch(candidate, kind="feed")
            found.append(
                (feed_result.url, parse_feed(feed_result.content, feed_result.url, feed_result.content_type))
            )
        except (FetchError, FeedError):
            continue
    if not found:
        raise SourceProblem(f"no feed found at {url}: {reason}")
    return found
