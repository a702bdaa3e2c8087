"""Article and story summaries: extractive offline by default, grounded LLM summaries when configured."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from newsdesk.ai import llm
from newsdesk.ai.dedupe import duplicate_pairs
from newsdesk.ai.document import Document, read_document
from newsdesk.ai.lang import base_language
from newsdesk.ai.salience import Candidate, TermStats, best_subset, greedy_subset, term_stats
from newsdesk.ai.text import count_words
from newsdesk.ai.types import (
    EXTRACTIVE,
    CitedSentence,
    LLMSettings,
    StoryArticle,
    StorySummary,
    Summary,
)

ARTICLE_SENTENCES = 3
STORY_SENTENCES = 3
STORY_LEAD_SENTENCES = 3  # a story's summary is chosen among the first sentences of each article
STORY_MIN_WORDS = 8
STORY_ARTICLES = 40  # the earliest articles of a big story are read, at most
LLM_SOURCE_CHARS = 6_000  # of an article given to the model
LLM_STORY_CHARS = 2_000  # of each article of a story given to the model
LLM_STORY_ARTICLES = 8


def summarize_article(
    title: str,
    text: str | Sequence[str],
    language: str = "",
    *,
    max_sentences: int = ARTICLE_SENTENCES,
    llm_settings: LLMSettings | None = None,
) -> Summary:
    """At most `max_sentences` sentences; with an LLM its grounded summary, the extractive one on failure."""
    document = read_document(text, language)
    extractive = Summary(extract_sentences(document, max_sentences), EXTRACTIVE)
    if llm_settings is None or not extractive.sentences:
        return extractive
    source = " ".join(document.sentences)[:LLM_SOURCE_CHARS]
    try:
        written = llm.grounded_sentences(
            llm_settings, llm.ARTICLE_TASK, [llm.Source(title, source)], max_sentences, language
        )
    except llm.LLMError as error:
        return Summary(extractive.sentences, fallback_method(error))
    return Summary([sentence.text for sentence in written], f"llm:{llm_settings.model}")


def extract_sentences(document: Document, max_sentences: int = ARTICLE_SENTENCES) -> list[str]:
    """The best set of at most `max_sentences` of the document's candidate sentences, in reading order."""
    if not document.candidates or max_sentences < 1:
        return []
    stats = term_stats(document.tokens)
    candidates = [Candidate(document.tokens[i]) for i in document.candidates]
    chosen = best_subset(candidates, stats, document.stopwords, max_sentences)
    return [document.sentences[document.candidates[i]] for i in chosen]


def fallback_method(error: llm.LLMError) -> str:
    return f"{EXTRACTIVE} (llm failed: {error.reason})"


@dataclass(frozen=True)
class _StoryCandidate:
    article: StoryArticle
    sentence: str
    tokens: tuple[str, ...]


def summarize_story(
    articles: Sequence[StoryArticle],
    *,
    language: str | None = None,
    mix_languages: bool = False,
    max_sentences: int = STORY_SENTENCES,
    llm_settings: LLMSettings | None = None,
) -> StorySummary:
    """Sentences from the story's articles, near-duplicates removed, each citing its article.

    Sentences come from the articles in `language` (default: the language most of the story's articles are
    in; any language when none is in it); articles in other languages still count towards what the story is
    about. With `mix_languages`, sentences come from every language, near-duplicates across languages removed.
    """
    ordered = sorted(articles, key=_publication_order)[:STORY_ARTICLES]
    documents = [read_document(article.text, article.language) for article in ordered]
    wanted = "" if mix_languages else (language or main_language(ordered))
    extractive = StorySummary(_extract_story(ordered, documents, wanted, max_sentences), EXTRACTIVE)
    if llm_settings is None or not extractive.sentences:
        return extractive
    try:
        return _llm_story(ordered, documents, wanted, max_sentences, llm_settings)
    except llm.LLMError as error:
        return StorySummary(extractive.sentences, fallback_method(error))


def main_language(articles: Sequence[StoryArticle]) -> str:
    """The language most articles are in (the earliest article's language breaks a tie)."""
    counts = Counter(base_language(a.language) for a in articles if base_language(a.language))
    if not counts:
        return ""
    top = max(counts.values())
    return next(base_language(a.language) for a in articles if counts.get(base_language(a.language)) == top)


def _publication_order(article: StoryArticle) -> tuple[datetime, str]:
    published = article.published or datetime.max.replace(tzinfo=UTC)
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    return published, article.id


def _extract_story(
    articles: Sequence[StoryArticle],
    documents: Sequence[Document],
    language: str,
    max_sentences: int,
) -> list[CitedSentence]:
    pool = _story_candidates(articles, documents, language)
    if not pool:
        return []
    stats = story_stats(documents)
    stopwords = frozenset().union(*(document.stopwords for document in documents))
    blocked = duplicate_pairs([(c.sentence, c.tokens, c.article.language) for c in pool], stopwords)
    candidates = [Candidate(c.tokens) for c in pool]
    chosen = greedy_subset(candidates, stats, stopwords, max_sentences, blocked=frozenset(blocked))
    return [CitedSentence(pool[i].sentence, pool[i].article.id, pool[i].sentence) for i in chosen]


def _story_candidates(
    articles: Sequence[StoryArticle], documents: Sequence[Document], language: str
) -> list[_StoryCandidate]:
    wanted = base_language(language)
    in_language = [base_language(a.language) == wanted for a in articles]
    restrict = bool(wanted) and any(in_language)
    pool: list[_StoryCandidate] = []
    seen: set[tuple[str, ...]] = set()
    for article, document, matches in zip(articles, documents, in_language, strict=True):
        if restrict and not matches:
            continue
        leads = [i for i in document.candidates if count_words(document.sentences[i]) >= STORY_MIN_WORDS]
        for index in leads[:STORY_LEAD_SENTENCES]:
            tokens = document.tokens[index]
            if tokens in seen:  # word-for-word wire copy: cite the earliest article
                continue
            seen.add(tokens)
            pool.append(_StoryCandidate(article, document.sentences[index], tokens))
    return pool


def story_stats(documents: Sequence[Document]) -> TermStats:
    """Term statistics across a story: counts over all its texts scaled by 1/sqrt(texts), earliest position.

    One text gives the single-article statistics; what many sources repeat counts for more than what one
    source repeats.
    """
    per_text = [term_stats(document.tokens) for document in documents]
    scale = 1.0 / math.sqrt(max(len(per_text), 1))
    merged = TermStats(Counter(), Counter(), {}, {})
    for stats in per_text:
        merged.word_count.update(stats.word_count)
        merged.pair_count.update(stats.pair_count)
        for word, first in stats.word_first.items():
            merged.word_first[word] = min(first, merged.word_first.get(word, first))
        for pair, first in stats.pair_first.items():
            merged.pair_first[pair] = min(first, merged.pair_first.get(pair, first))
    merged.word_count = Counter({w: max(1, round(n * scale)) for w, n in merged.word_count.items()})
    merged.pair_count = Counter({p: max(1, round(n * scale)) for p, n in merged.pair_count.items()})
    return merged


def _llm_story(
    articles: Sequence[StoryArticle],
    documents: Sequence[Document],
    language: str,
    max_sentences: int,
    settings: LLMSettings,
) -> StorySummary:
    chosen = list(zip(articles, documents, strict=True))[:LLM_STORY_ARTICLES]
    sources = [
        llm.Source(f"{article.source}: {article.title}", " ".join(document.sentences)[:LLM_STORY_CHARS])
        for article, document in chosen
    ]
    written = llm.grounded_sentences(settings, llm.STORY_TASK, sources, max_sentences, language)
    sentences = [CitedSentence(s.text, chosen[s.source][0].id, s.quote) for s in written]
    return StorySummary(sentences, f"llm:{settings.model}")
