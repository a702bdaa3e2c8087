"""Answer a question from stored reports with quoted sentences, or say plainly that they hold no answer.

The answer comes from one story: the one whose reports best cover the question (BM25 over accent-folded
5-letter word prefixes, which also match names and cognates across languages, and the multilingual
sentence embeddings when given), and which mentions every name the question does. Within it, only a
sentence holding the kind of answer asked for (a count, an amount, a duration, a time, a person, a place)
can answer; for a figure that changed as the story developed, the latest report's comes first, with the
earlier ones as its history. A question no story answers gets no answer rather than a wrong one.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from newsdesk.ai import llm
from newsdesk.ai.developing import figure_history, put_latest_first
from newsdesk.ai.figures import (
    CAUSE,
    FIGURE_KINDS,
    PREFIX,
    answer_in,
    counts_focus,
    figure_bonus,
)
from newsdesk.ai.lang import fold_accents
from newsdesk.ai.question import Question, meaning_keys, read_question
from newsdesk.ai.text import clean_untrusted, split_paragraphs, split_sentences
from newsdesk.ai.types import EXTRACTIVE, Answer, LLMSettings, Passage, Quote
from newsdesk.ai.types import AskCandidate as Candidate
from newsdesk.ai.types import AskSentence as Sentence

Embed = Callable[[list[str]], Sequence[Any]]  # texts to vectors (lists or numpy rows)

MAX_QUESTION_CHARS = 1_000
MAX_PASSAGES = 500  # read at most
MAX_PASSAGE_CHARS = 100_000
MAX_SENTENCES_PER_PASSAGE = 300
MAX_QUOTES = 3
K1, B = 1.2, 0.75
LEXICAL_WEIGHT, SEMANTIC_WEIGHT = 1.0, 1.0
CONTEXT_SHARE = 0.3  # of the sentence before's match, for a sentence that goes on from it
FOCUS_BONUS = 0.5  # the figure counts what the question asks about ("how many seats": 900 seats)
CAUSE_BONUS = 0.3  # a sentence that tells a cause, for "why" and "what caused"
# A story is relevant when the share of the question's weight its words hold, plus the similarity of its
# best sentence to the question (which carries questions across languages), reaches this.
MIN_RELEVANCE = 0.8
MIN_SCOPED_RELEVANCE = 0.6  # asked from the story's own page
FURTHER_QUOTE_SHARE = 0.6
LLM_PASSAGES = 6
NO_ANSWER = "No stored article answers this question."
EMPTY_QUESTION = "Ask a question about the news, for example: how many people were evacuated?"


def answer(
    question: str,
    passages: Sequence[Passage],
    *,
    llm_settings: LLMSettings | None = None,
    embed: Embed | None = None,
    max_quotes: int = MAX_QUOTES,
    scope: str = "",
) -> Answer:
    """Quoted sentences of one story that answer the question (``scope``: the story asked from, first)."""
    text = clean_untrusted(question, MAX_QUESTION_CHARS)
    asked = read_question(text)
    if not asked.terms:
        return Answer(EMPTY_QUESTION if not text else NO_ANSWER, [], False)
    given = list(passages)[:MAX_PASSAGES]
    sentences = passage_sentences(given)
    if not sentences:
        return Answer(NO_ANSWER, [], False)
    lexical = bm25_scores(asked.terms, [s.keys for s in sentences])
    semantic = similarities(text, sentences, embed)
    story = pick_story(asked, given, sentences, lexical, semantic, scope)
    if story is None or not mentions_focus(asked, given, sentences, story):
        return Answer(NO_ANSWER, [], False)
    candidates = answer_candidates(asked, given, sentences, semantic, story)
    if not candidates:
        return Answer(NO_ANSWER, [], False)
    ordered = put_latest_first(asked, candidates, sentences, given)
    quotes = pick_quotes(ordered, sentences, given, max_quotes)
    history = figure_history(asked, ordered, sentences, given)
    offline = Answer(quotes[0].sentence, quotes, True, history=history)
    if llm_settings is None:
        return offline
    return llm_answer(text, ordered, sentences, given, offline, llm_settings)


def story_of(passage: Passage) -> str:
    return passage.story_id or passage.article_id


def passage_sentences(passages: Sequence[Passage]) -> list[Sentence]:
    """The title and every sentence of every passage (bounded), with its match keys."""
    sentences: list[Sentence] = []
    for index, passage in enumerate(passages):
        found = [passage.title] if passage.title else []
        found += [
            sentence
            for paragraph in split_paragraphs(passage.text[:MAX_PASSAGE_CHARS])
            for sentence in split_sentences(paragraph)
        ]
        for text in found[:MAX_SENTENCES_PER_PASSAGE]:
            sentences.append(Sentence(index, text, Counter(meaning_keys(text))))
    return sentences


def bm25_scores(terms: Counter[str], documents: Sequence[Counter[str]]) -> list[float]:
    """Okapi BM25 of the query terms in each document (bags of keys), IDF from these documents."""
    if not documents:
        return []
    average = sum(sum(d.values()) for d in documents) / len(documents) or 1.0
    spread = Counter(key for document in documents for key in document if key in terms)
    idf = {t: math.log(1 + (len(documents) - spread[t] + 0.5) / (spread[t] + 0.5)) for t in terms}
    scores = []
    for document in documents:
        length = sum(document.values())
        score = 0.0
        for term in terms:
            tf = document.get(term, 0)
            if tf:
                score += idf[term] * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / average))
        scores.append(score)
    top = max(scores, default=0.0)
    return [score / top if top > 0 else 0.0 for score in scores]


def similarities(question: str, sentences: Sequence[Sentence], embed: Embed | None) -> list[float]:
    """Cosine similarity of question and each sentence (0 without an embedding function or when it fails)."""
    if embed is None or not sentences:
        return [0.0] * len(sentences)
    try:
        vectors = np.asarray(embed([question, *(s.text for s in sentences)]), dtype=np.float32)
    except Exception:  # an optional helper: its failure leaves the lexical ranking alone
        return [0.0] * len(sentences)
    if vectors.ndim != 2 or len(vectors) != len(sentences) + 1:
        return [0.0] * len(sentences)
    norms = np.linalg.norm(vectors, axis=1)
    norms[norms == 0] = 1.0
    unit = vectors / norms[:, None]
    return [max(0.0, float(x)) for x in unit[1:] @ unit[0]]


def term_weights(asked: Question, sentences: Sequence[Sentence]) -> dict[str, float]:
    """IDF of each question term over all sentences: a word found nowhere weighs most."""
    spread = Counter(key for s in sentences for key in set(s.keys) if key in asked.terms)
    return {t: math.log(1 + (len(sentences) + 0.5) / (spread[t] + 0.5)) for t in asked.terms}


def pick_story(
    asked: Question,
    passages: Sequence[Passage],
    sentences: Sequence[Sentence],
    lexical: Sequence[float],
    semantic: Sequence[float],
    scope: str,
) -> str | None:
    """The story that answers: the scope when it is relevant, else the most relevant one (None if none is)."""
    weights = term_weights(asked, sentences)
    total = sum(weights.values()) or 1.0
    keys: dict[str, set[str]] = defaultdict(set)
    similarity: dict[str, float] = defaultdict(float)
    for index, sentence in enumerate(sentences):
        story = story_of(passages[sentence.passage])
        keys[story].update(sentence.keys)
        similarity[story] = max(similarity[story], semantic[index])
    relevant = {}
    for story, found in keys.items():
        coverage = sum(w for term, w in weights.items() if term in found) / total
        relevance = coverage + similarity[story]
        needed = MIN_SCOPED_RELEVANCE if story == scope else MIN_RELEVANCE  # the reader chose this story
        if names_found(asked, found) and relevance >= needed:
            relevant[story] = relevance
    if not relevant:
        return None
    if scope in relevant:
        return scope
    return max(relevant, key=lambda story: relevant[story])


def names_found(asked: Question, found: set[str]) -> bool:
    """Whether a story's words hold every name the question gives and every place it names, a place
    under any of its names ("Inflation in Japan" is not about Belgium; "Cologne" is found as "Köln")."""
    place_keys = set().union(*asked.places) if asked.places else set()
    if not all(place & found for place in asked.places):
        return False
    return all(name in found or name in place_keys for name in asked.names)


def mentions_focus(
    asked: Question, passages: Sequence[Passage], sentences: Sequence[Sentence], story: str
) -> bool:
    """Whether the story's reports in the question's language mention what it asks about (True when the
    question names nothing plainly or no report is in its language: the embeddings judge those)."""
    if not asked.focus:
        return True
    same_language = [
        s
        for s in sentences
        if story_of(passages[s.passage]) == story and passages[s.passage].language == asked.language
    ]
    if not same_language:
        return True
    prefix = asked.focus[:PREFIX]  # also inside compounds: "Staub" in "Kometenstaub"
    return any(prefix in fold_accents(s.text) for s in same_language)


def answer_candidates(
    asked: Question,
    passages: Sequence[Passage],
    sentences: Sequence[Sentence],
    semantic: Sequence[float],
    story: str,
) -> list[Candidate]:
    """The story's sentences that hold the kind of answer asked for, best first (words the whole story
    shares, such as its place, weigh little here: BM25 over the story's own sentences)."""
    members = [i for i, s in enumerate(sentences) if story_of(passages[s.passage]) == story]
    lexical = dict(zip(members, bm25_scores(asked.terms, [sentences[i].keys for i in members]), strict=True))
    candidates = []
    for index in members:
        sentence = sentences[index]
        if lexical[index] <= 0 and semantic[index] <= 0:
            continue
        figure = answer_in(asked, sentence.text, passages[sentence.passage].language)
        if figure is None:
            continue
        score = LEXICAL_WEIGHT * lexical[index] + SEMANTIC_WEIGHT * semantic[index]
        before = (
            index - 1
        )  # what the sentence before says carries over ("… acquired the rights. … the price")
        if before in lexical and sentences[before].passage == sentence.passage:
            score += CONTEXT_SHARE * lexical[before]
        if asked.kind == "cause" and CAUSE.search(sentence.text):
            score += CAUSE_BONUS
        focused = bool(figure) and asked.kind in FIGURE_KINDS and counts_focus(asked, sentence.text, figure)
        if figure and asked.kind in FIGURE_KINDS:
            score += FOCUS_BONUS if focused else figure_bonus(asked, sentence.text, figure)
        candidates.append(Candidate(score, index, figure, semantic[index], focused))
    if any(c.focused for c in candidates):  # a count of the thing asked about beats a count of another
        candidates = [c for c in candidates if c.focused]
    elif asked.kind == "count" and asked.focus:
        return []  # "how many goals": no figure in the story counts goals, so it does not answer
    return sorted(candidates, key=lambda c: (-c.score, c.sentence))


def pick_quotes(
    ordered: Sequence[Candidate], sentences: Sequence[Sentence], passages: Sequence[Passage], max_quotes: int
) -> list[Quote]:
    """The answering sentence, then others scoring close to it from other reports of the same story."""
    best_score = max(c.score for c in ordered)
    quotes: list[Quote] = []
    for candidate in ordered:
        if len(quotes) >= max_quotes:
            break
        if quotes and candidate.score < FURTHER_QUOTE_SHARE * best_score:
            continue
        sentence = sentences[candidate.sentence]
        passage = passages[sentence.passage]
        if any(q.sentence == sentence.text or q.article_id == passage.article_id for q in quotes):
            continue
        quotes.append(Quote(passage.article_id, sentence.text, passage.title, passage.source))
    return quotes


def llm_answer(
    question: str,
    ordered: Sequence[Candidate],
    sentences: Sequence[Sentence],
    passages: Sequence[Passage],
    offline: Answer,
    settings: LLMSettings,
) -> Answer:
    """A written answer from the reports of the best sentences; every kept sentence cites a checked quote."""
    order: list[int] = []
    for candidate in ordered:
        if sentences[candidate.sentence].passage not in order:
            order.append(sentences[candidate.sentence].passage)
        if len(order) == LLM_PASSAGES:
            break
    chosen = [passages[i] for i in order]
    sources = [llm.Source(f"{p.source}: {p.title}", p.text[:4_000], p.language) for p in chosen]
    try:
        written = llm.grounded_sentences(settings, llm.ANSWER_TASK, sources, 3, "", question)
    except llm.LLMError as error:
        method = f"{EXTRACTIVE} (llm failed: {error.reason})"
        return Answer(offline.text, offline.quotes, offline.found, method, offline.history)
    quotes = [
        Quote(chosen[s.source].article_id, s.quote, chosen[s.source].title, chosen[s.source].source)
        for s in written
    ]
    return Answer(" ".join(s.text for s in written), quotes, True, f"llm:{settings.model}", offline.history)
