"""Search snippets: the passage of an article where the query's words (in any form) stand, marked."""

from __future__ import annotations

import itertools
import re

from newsdesk.store.models import Article
from newsdesk.text.stems import WORD, stemmer_for

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
    wanted = {stem(word.lower()) for word in query_words(query)}
    starts = tuple(w[:3] for w in wanted)  # a cheap test before stemming: a stem keeps the word's start
    found = []
    for match in WORD.finditer(body):
        word = match.group().lower()
        if word.startswith(starts) and stem(word) in wanted:
            found.append(match)
            if len(found) == MAX_MATCHES:
                break
    return found


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
