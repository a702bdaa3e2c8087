"""Sources stage: read feeds of every format and find a site's feeds."""

from newsdesk.sources.discover import FeedLink, candidate_feed_urls, discover_feed_links
from newsdesk.sources.feeds import parse_feed
from newsdesk.sources.feedtypes import (
    FeedEnclosure,
    FeedEntry,
    FeedError,
    FeedImage,
    ParsedFeed,
    parse_datetime,
)

__all__ = [
    "FeedEnclosure",
    "FeedEntry",
    "FeedError",
    "FeedImage",
    "FeedLink",
    "ParsedFeed",
    "candidate_feed_urls",
    "discover_feed_links",
    "parse_datetime",
    "parse_feed",
]
