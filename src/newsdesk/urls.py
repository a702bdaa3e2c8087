"""The one rule for links and images kept and shown: http(s) or relative only, credentials never shown."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit, urlunsplit

ALLOWED_SCHEMES = frozenset({"http", "https"})
# Browsers drop ASCII tab and newlines anywhere in a URL and C0 controls and spaces around it, so
# " java\tscript:" is javascript: to them: the scheme is judged after the same clean-up.
INVISIBLE = re.compile(r"[\t\n\r]")
AROUND = "".join(map(chr, range(0x21))) + "\u00a0\ufeff"  # C0 controls, space, no-break space, BOM
CONTROL = re.compile("[\x00-\x1f\x7f]")
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def safe_url(url: str | None) -> str:
    """``url`` cleaned as a browser reads it when it is http(s) or relative, else '' (javascript:, data:)."""
    if not url:
        return ""
    cleaned = INVISIBLE.sub("", url).strip(AROUND)
    match = SCHEME.match(cleaned)
    if match and match.group(1).lower() not in ALLOWED_SCHEMES:
        return ""
    return cleaned


def web_url(url: str | None) -> str:
    """``url`` when it is an absolute http(s) URL with a host (cleaned as a browser reads it), else ''."""
    cleaned = CONTROL.sub("", safe_url(url))
    try:
        parts = urlsplit(cleaned)
        host = parts.hostname
    except ValueError:
        return ""
    return parts.geturl() if parts.scheme.lower() in ALLOWED_SCHEMES and host else ""


def resolve_url(base: str, candidate: str | None) -> str:
    """``candidate`` (absolute or relative to ``base``) as an absolute http(s) URL, or ''."""
    cleaned = safe_url(candidate)
    return web_url(urljoin(base, cleaned)) if cleaned else ""


def without_credentials(url: str) -> str:
    """``url`` without a user name or password (kept in the store where the fetcher needs them)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def shown_url(url: str | None) -> str:
    """A URL as pages and the public API show it: safe, without credentials."""
    return without_credentials(safe_url(url))
