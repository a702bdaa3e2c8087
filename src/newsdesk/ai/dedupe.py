"""Near-duplicate sentences: the same words (wire copies) or, across languages, the same names and figures."""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsdesk.ai.lang import base_language, fold_accents

SAME_WORDS_JACCARD = 0.5
SAME_WORDS_CONTAINMENT = 0.8
ANCHOR_SHARE = 0.5
MIN_SHARED_ANCHORS = 2
NUMBER = re.compile(r"\d+(?:[.,\s]\d{3})*(?:[.,]\d+)?")
NAME = re.compile(r"(?<=[\s\"'“‘(«])[A-ZÀ-ÖØ-Þ][\w'’-]{2,}")

Item = tuple[str, Sequence[str], str]  # sentence, tokens, language


def duplicate_pairs(items: Sequence[Item], stopwords: frozenset[str]) -> set[tuple[int, int]]:
    """Pairs (i, j), i < j, of items that say the same thing."""
    content = [frozenset(t for t in tokens if t not in stopwords) for _, tokens, _ in items]
    anchors = [sentence_anchors(sentence) for sentence, _, _ in items]
    languages = [base_language(language) for _, _, language in items]
    pairs: set[tuple[int, int]] = set()
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            same_language = languages[i] == languages[j] or not languages[i] or not languages[j]
            if (same_language and same_words(content[i], content[j])) or same_anchors(anchors[i], anchors[j]):
                pairs.add((i, j))
    return pairs


def same_words(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return False
    shared = len(a & b)
    if shared / len(a | b) >= SAME_WORDS_JACCARD:
        return True
    return min(len(a), len(b)) >= 4 and shared / min(len(a), len(b)) >= SAME_WORDS_CONTAINMENT


def same_anchors(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two sentences naming the same people, places and figures (works across languages)."""
    shared = len(a & b)
    return shared >= MIN_SHARED_ANCHORS and shared / min(len(a), len(b)) >= ANCHOR_SHARE


def sentence_anchors(sentence: str) -> frozenset[str]:
    """Figures (thousands separators removed) and capitalised words after the first, without accents."""
    numbers = {re.sub(r"[.,\s](?=\d{3}\b)", "", n).replace(",", ".") for n in NUMBER.findall(sentence)}
    names = {fold_accents(name) for name in NAME.findall(" " + sentence.split(" ", 1)[-1])}
    return frozenset(numbers | names)
