"""Expected-overlap sentence selection: choose the sentences whose words a reader's summary most likely holds.

Each distinct word and word pair of the text gets a probability of appearing in a human summary, from how
often the text repeats it and how early it first appears (a logistic curve with the fixed coefficients of
`SalienceModel`). A candidate set of sentences is worth its expected unigram and bigram F-measure against
such a summary: expected matches over (its length + the expected summary length). Repeating what is
already chosen adds length and no matches, so the same measure keeps redundancy out.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

Bigram = tuple[str, str]


@dataclass(frozen=True)
class SalienceModel:
    """Fixed coefficients, chosen once on the first half of both CNN and Daily Mail dev files.

    p(word) = sigmoid(word_bias + word_repeat * ln(count) - word_position * first_sentence), stop-words
    `stopword`; p(pair) likewise with the pair_* coefficients. Counts are capped at `count_cap`, sentence
    indexes at `position_cap`. Extra occurrences of a word in the chosen sentences count `extra_content`
    (or `extra_stopword`) each. `summary_words`/`summary_pairs` stand for the unknown summary's length.
    """

    stopword: float = 0.3
    extra_content: float = 0.45
    extra_stopword: float = -0.1
    word_bias: float = -0.5
    word_repeat: float = 2.2
    word_position: float = 0.5
    pair_bias: float = -1.8
    pair_repeat: float = 1.35
    pair_position: float = 0.1
    summary_words: float = 25.0
    summary_pairs: float = 60.0
    pair_weight: float = 1.675
    count_cap: int = 6
    position_cap: int = 6


DEFAULT_MODEL = SalienceModel()


@dataclass(frozen=True)
class Candidate:
    """One sentence's tokens as the selection sees them."""

    words: tuple[str, ...]


@dataclass(frozen=True)
class _Scored:
    """A candidate's distinct words with their value (probability less the extra-occurrence value)."""

    words: dict[str, float]
    pairs: dict[Bigram, float]
    extra: float
    length: int
    pair_length: int


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def pairs_of(words: Sequence[str]) -> list[Bigram]:
    return list(itertools.pairwise(words))


@dataclass
class TermStats:
    """How often and how early each word and word pair occurs (in a text, or across a story's texts)."""

    word_count: Counter[str]
    pair_count: Counter[Bigram]
    word_first: dict[str, int]
    pair_first: dict[Bigram, int]


def term_stats(sentences: Sequence[Sequence[str]]) -> TermStats:
    """Counts and first sentence index of every word and word pair of tokenised sentences."""
    stats = TermStats(Counter(), Counter(), {}, {})
    for index, words in enumerate(sentences):
        pairs = pairs_of(words)
        stats.word_count.update(words)
        stats.pair_count.update(pairs)
        for word in words:
            stats.word_first.setdefault(word, index)
        for pair in pairs:
            stats.pair_first.setdefault(pair, index)
    return stats


def word_probability(model: SalienceModel, count: int, first: int) -> float:
    count, first = min(max(count, 1), model.count_cap), min(first, model.position_cap)
    return sigmoid(model.word_bias + model.word_repeat * math.log(count) - model.word_position * first)


def pair_probability(model: SalienceModel, count: int, first: int) -> float:
    count, first = min(max(count, 1), model.count_cap), min(first, model.position_cap)
    return sigmoid(model.pair_bias + model.pair_repeat * math.log(count) - model.pair_position * first)


def _score(
    candidate: Candidate, stats: TermStats, stopwords: frozenset[str], model: SalienceModel
) -> _Scored:
    words: dict[str, float] = {}
    extra = 0.0
    for word in candidate.words:
        stop = word in stopwords
        extra_value = model.extra_stopword if stop else model.extra_content
        extra += extra_value
        if word not in words:
            p = (
                model.stopword
                if stop
                else word_probability(model, stats.word_count[word], stats.word_first[word])
            )
            words[word] = p - extra_value
    pairs = {
        pair: pair_probability(model, stats.pair_count[pair], stats.pair_first[pair])
        for pair in pairs_of(candidate.words)
    }
    length = len(candidate.words)
    return _Scored(words, pairs, extra, length, max(length - 1, 0))


def _value(chosen: Sequence[_Scored], model: SalienceModel) -> float:
    """Expected unigram F plus weighted expected bigram F of a set of scored sentences."""
    words: dict[str, float] = {}
    pairs: dict[Bigram, float] = {}
    extra, length, pair_length = 0.0, 0, 0
    for item in chosen:
        words.update(item.words)
        pairs.update(item.pairs)
        extra += item.extra
        length += item.length
        pair_length += item.pair_length
    if not length:
        return 0.0
    unigram = 2 * (sum(words.values()) + extra) / (length + model.summary_words)
    bigram = 2 * sum(pairs.values()) / (pair_length + model.summary_pairs)
    return unigram + model.pair_weight * bigram


def best_subset(
    candidates: Sequence[Candidate],
    stats: TermStats,
    stopwords: frozenset[str],
    max_sentences: int,
    model: SalienceModel = DEFAULT_MODEL,
) -> list[int]:
    """Indexes (ascending) of the best set of at most `max_sentences` candidates, searched exhaustively."""
    scored = [_score(candidate, stats, stopwords, model) for candidate in candidates]
    best: tuple[float, tuple[int, ...]] = (0.0, ())
    usable = [i for i, item in enumerate(scored) if item.length]
    for size in range(1, min(max_sentences, len(usable)) + 1):
        for subset in itertools.combinations(usable, size):
            value = _value([scored[i] for i in subset], model)
            if value > best[0]:
                best = (value, subset)
    return list(best[1])


def greedy_subset(
    candidates: Sequence[Candidate],
    stats: TermStats,
    stopwords: frozenset[str],
    max_sentences: int,
    model: SalienceModel = DEFAULT_MODEL,
    blocked: frozenset[tuple[int, int]] = frozenset(),
) -> list[int]:
    """Indexes in order of choice: each step adds the candidate that raises the value most, while any does.

    `blocked` holds pairs of candidates that must not both be chosen (near-duplicates).
    """
    scored = [_score(candidate, stats, stopwords, model) for candidate in candidates]
    chosen: list[int] = []
    current = 0.0
    while len(chosen) < max_sentences:
        options = [
            (_value([scored[j] for j in (*chosen, i)], model), -i, i)
            for i, item in enumerate(scored)
            if item.length and i not in chosen and not any((min(i, j), max(i, j)) in blocked for j in chosen)
        ]
        if not options:
            break
        value, _, index = max(options)
        if value <= current:
            break
        chosen.append(index)
        current = value
    return chosen
