"""Plain paragraphs of the HTML fragments feeds carry (summaries and content)."""

from __future__ import annotations

import re

from lxml import html as lxml_html
from lxml.etree import ParserError

from newsdesk.text import normalise_text


def html_paragraphs(fragment: str) -> list[str]:
    """Plain paragraphs of an HTML fragment from a feed."""
    if not fragment.strip():
        return []
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (ParserError, ValueError):
        return []
    blocks = [el.text_content() for el in root.iter("p", "li", "h2", "h3", "blockquote")]
    texts = blocks or [root.text_content()]
    return [normalise_text(re.sub(r"\s+", " ", t).strip()) for t in texts if t.strip()]
