"""Detect the language of a text (py3langid, whose model ships inside the package)."""

from __future__ import annotations

SAMPLE_CHARS = 600
MIN_CHARS = 40


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language; '' for a text too short to tell."""
    import py3langid  # type: ignore[import-untyped]

    sample = text[:SAMPLE_CHARS]
    if len(sample.strip()) < MIN_CHARS:
        return ""
    code, _score = py3langid.classify(sample)
    return str(code)
