"""Helpers of the sources stage's tests: golden files, a small RSS builder, a check for storable text."""

from __future__ import annotations

from pathlib import Path

from newsdesk.sources import (
    ParsedFeed,
)

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
