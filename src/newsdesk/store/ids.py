"""Stable identifiers: 32 lowercase hex characters derived from a canonical URL or a seed."""

from __future__ import annotations

import hashlib


def make_id(seed: str) -> str:
    """Return the 32-hex-character id for ``seed`` (an article's canonical URL, a story's seed)."""
    return hashlib.blake2b(seed.encode("utf-8"), digest_size=16).hexdigest()


def content_hash(text: str) -> str:
    """Hash of normalised text, equal for exact copies whatever the whitespace or case."""
    normalised = " ".join(text.split()).casefold()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()
