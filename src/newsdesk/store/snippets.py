"""Search snippets: the passage of an article where the query's words (in any form) stand, marked."""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import cache

from newsdesk.store.models import Article
from newsdesk.text.stems import stemmer_for

# Highlight markers from the private-use area: the snippet is escaped first, then they become <mark>.
MARK_START, MARK_END = "\ue000", "\ue001"
MAX_WORDS = 20  # query words read
SNIPPET_WORDS = 30
SCANNED_CHARS = 20_000
MAX_MATCHES = 60


def query_words(query: str) -> list[str]:
    """The words of a query; operators and punctuation are not syntax here, just separators."""
    return re.findall(r"\w+", query)[:MAX_WORDS]


def marked_snippet(article: Article, query: str) -> str:
    """About 30 words of the body around the first place most query words meet, matched words marked."""
    body = (article.body_text or "")[:SCANNED_CHARS]
    matches = matching_words(body, query, article.language or "")
    if not body or not matches:
        return _cut(body, 0)
    best = max(matches, key=lambda m: _words_near(matches, m.start()))
    start = body.rfind(". ", 0, best.start())
    start = 0 if start < 0 or best.start() - start > 160 else start + 2
    return _cut(body, start, [(m.start(), m.end()) for m in matches])


def matching_words(body: str, query: str, language: str) -> list[re.Match[str]]:
    """The body's words (the first MAX_MATCHES) whose stem in its language is a query word's stem."""
    stem = stemmer_for(language)
    wanted = {stem(word.lower()) for word in query_words(query)} - {""}
    if not wanted:
        return []
    # Only words that begin as a wanted stem begins are stemmed: a stem keeps the word's start, less
    # its accents (German stems "Überschwemmungen" to "uberschwemm").
    starts = "|".join(sorted({"".join(map(letter_class, w[:3])) for w in wanted}, key=len, reverse=True))
    found = []
    for match in re.finditer(rf"(?<![^\W_])(?:{starts})[^\W_]*", body, re.IGNORECASE):
        if stem(match.group().lower()) in wanted:
            found.append(match)
            if len(found) == MAX_MATCHES:
                break
    return found


@cache
def letter_class(letter: str) -> str:
    """A pattern for this lower-case letter written with or without accents ("u": u, ü, ú, ù…)."""
    variants = {
        chr(code)
        for code in range(0xC0, 0x250)
        if unicodedata.normalize("NFKD", chr(code).lower())[:1] == letter
    }
    listed = "".join(sorted(variants - {letter}))
    return f"[{re.escape(letter)}{re.escape(listed)}]" if listed else re.escape(letter)


def _words_near(matches: list[re.Match[str]], position: int) -> int:
    return len({m.group().lower() for m in matches if 0 <= m.start() - position < 200})


def _cut(body: str, start: int, marks: list[tuple[int, int]] | None = None) -> str:
    words = list(itertools.islice(re.finditer(r"\S+", body[start:]), SNIPPET_WORDS))
    if not words:
        return ""
    end = start + words[-1].end()
    out, position = [], start
    for begin, finish in marks or []:
        if begin >= position and finish <= end:
            out += [body[position:begin], MARK_START, body[begin:finish], MARK_END]
            position = finish
    out.append(body[position:end])
    prefix = "…" if start > 0 else ""
    return prefix + "".join(out) + ("…" if end < len(body) else "")
