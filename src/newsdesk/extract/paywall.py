"""Tell whether a page shows only part of its article (a paywall, a subscriber wall, a teaser)."""

from __future__ import annotations

from collections.abc import Sequence

from lxml.html import HtmlElement

from newsdesk.extract.metadata import PageMetadata

PAYWALL_MARKS = ("paywall", "subscriber-only", "premium-content", "regwall", "meteredcontent", "piano-offer")


def is_truncated(tree: HtmlElement, meta: PageMetadata, names: Sequence[str] | None = None) -> bool:
    """The page declares its article not free to read, or marks a paywall in its markup (``names``: the
    class and id values of the page's body, when already read)."""
    if meta.accessible_for_free is False:
        return True
    values = tree.xpath("//body//@class | //body//@id") if names is None else names
    markup = "\n".join(values).lower()
    return any(mark in markup for mark in PAYWALL_MARKS)
