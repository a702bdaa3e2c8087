"""Text features for stories: word tokens in English, German and Spanish, shingles, content hashes."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from newsdesk.text import STORY_STOP_WORDS

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
NUMBER = re.compile(r"^\d[\d.,]*$")
MAX_TOKENS = 400


def fold_text(text: str) -> str:
    """Lower-case text with typographic quotes unified and accents kept."""
    return unicodedata.normalize("NFC", text).lower().replace("’", "'")


def stem_word(word: str) -> str:
    """A light, language-agnostic stem: possessive and plural endings off, German umlauts folded."""
    if word.endswith("'s"):
        word = word[:-2]
    word = word.replace("ä", "a").replace("ö", "o").replace("ü", "u").replace("ß", "ss")
    if len(word) > 5 and word.endswith("es") and not word.endswith("ses"):
        return word[:-2]
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def word_tokens(text: str, limit: int = MAX_TOKENS) -> list[str]:
    """Content-word stems of a text (stopwords of every supported language removed), at most `limit`."""
    tokens: list[str] = []
    for match in WORD.finditer(fold_text(text)):
        word = match.group()
        if word in STORY_STOP_WORDS or (len(word) < 2 and not word.isdigit()):
            continue
        tokens.append(stem_word(word))
        if len(tokens) >= limit:
            break
    return tokens


def lead_text(title: str, text: str, words: int) -> str:
    """The title followed by the first `words` words of the body: what identifies an event."""
    lead = " ".join(text.split()[:words]) if words > 0 else ""
    title = title.strip().rstrip(".").removesuffix("...").strip()
    return f"{title}. {lead}".strip() if lead else title


def shingles(text: str, size: int = 5, limit: int = 5_000) -> set[str]:
    """Word `size`-grams of the text (lower-case, punctuation dropped), the first `limit` of them."""
    words = [m.group() for m in WORD.finditer(fold_text(text))][: limit + size]
    if len(words) < size:
        return set()
    return {" ".join(words[i : i + size]) for i in range(min(len(words) - size + 1, limit))}


def content_hash(text: str) -> str:
    """A hash of the text that ignores case, whitespace and punctuation (exact-copy detection)."""
    words = [m.group() for m in WORD.finditer(fold_text(text))]
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()


def count_words(text: str) -> int:
    """Number of words in the text."""
    return sum(1 for _ in WORD.finditer(text))
