"""One text made ready for the ai stage: bounded, split into sentences, tokenised, with its candidates."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from newsdesk.ai.lang import LanguageTools, language_tools
from newsdesk.ai.text import (
    CLOSERS,
    FULL_STOPS,
    TERMINALS,
    count_words,
    split_paragraphs,
    split_sentences,
    strip_dateline,
    word_tokens,
)

MAX_CHARS = 1_000_000  # a 200k-word text is cut here before any work
MAX_SENTENCES = 600  # sentences analysed at most (salience needs the whole of a normal article)
CANDIDATES = 7  # a summary is chosen among the first sentences: news puts what matters first
MIN_CANDIDATE_WORDS = 3
HEADING_WORDS = 8
GUESSED_STOPWORD_SHARE = 0.4


@dataclass(frozen=True)
class Document:
    """Sentences of a text with their tokens, the indexes of summary candidates, and the stop-words used."""

    sentences: list[str]
    tokens: list[tuple[str, ...]]
    candidates: list[int]
    stopwords: frozenset[str]
    tools: LanguageTools


def read_document(text: str | Sequence[str], language: str = "", candidates: int = CANDIDATES) -> Document:
    """Split and tokenise a text (one paragraph a line, or a list of blocks); bounded in time and memory."""
    tools = language_tools(language)
    sentences = bounded_sentences(text)
    if sentences:
        sentences[0] = strip_dateline(sentences[0])
    tokens = [tuple(word_tokens(sentence, tools)) for sentence in sentences]
    chosen = [i for i, sentence in enumerate(sentences) if is_candidate(sentence)][:candidates]
    stopwords = tools.stopwords or guess_stopwords(tokens)
    return Document(sentences, tokens, chosen, stopwords, tools)


def bounded_sentences(text: str | Sequence[str]) -> list[str]:
    """The first MAX_SENTENCES sentences of the first MAX_CHARS characters."""
    text = text[:MAX_CHARS] if isinstance(text, str) else _bounded_blocks(text)
    sentences: list[str] = []
    for paragraph in split_paragraphs(text):
        sentences.extend(split_sentences(paragraph, MAX_SENTENCES - len(sentences)))
        if len(sentences) >= MAX_SENTENCES:
            break
    return sentences[:MAX_SENTENCES]


def _bounded_blocks(blocks: Sequence[str]) -> list[str]:
    kept: list[str] = []
    size = 0
    for block in blocks:
        kept.append(block[: MAX_CHARS - size])
        size += len(kept[-1])
        if size >= MAX_CHARS:
            break
    return kept


def is_candidate(sentence: str) -> bool:
    """A sentence that may stand in a summary: a few words, and not a heading (short, unpunctuated)."""
    words = count_words(sentence)
    if words < MIN_CANDIDATE_WORDS:
        return False
    ends_like_sentence = sentence.rstrip()[-1:] in TERMINALS + FULL_STOPS + CLOSERS
    return ends_like_sentence or words >= HEADING_WORDS


def guess_stopwords(tokens: Sequence[Sequence[str]]) -> frozenset[str]:
    """For a language without a list: words found in a large share of the sentences (needs 6 or more)."""
    if len(tokens) < 6:
        return frozenset()
    spread = Counter(word for sentence in tokens for word in set(sentence))
    return frozenset(word for word, n in spread.items() if n >= GUESSED_STOPWORD_SHARE * len(tokens))
