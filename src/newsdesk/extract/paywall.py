"""Tell whether a page shows only part of its article (a paywall, a subscriber wall, a teaser)."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from newsdesk.extract.metadata import PageMetadata

PAYWALL_MARK = re.compile(
    r"paywall|subscriber-only|premium-content|regwall|meteredContent|piano-offer", re.IGNORECASE
)


def is_truncated(tree: HtmlElement, meta: PageMetadata) -> bool:
    """The page declares its article not free to read, or marks a paywall in its markup."""
    if meta.accessible_for_free is False:
        return True
    return any(PAYWALL_MARK.search(value) for value in tree.xpath("//body//@class | //body//@id"))
