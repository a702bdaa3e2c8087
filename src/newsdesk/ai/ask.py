"""Answer a question from stored passages with quoted sentences, or say plainly that they hold no answer.

Retrieval ranks the passages' sentences by BM25 over accent-folded 5-letter word prefixes (which also
matches many names and cognates across languages), blended with the relevance of the whole passage, a
small bonus for figures when the question asks for an amount, for the newest passage when it asks for the
latest, and, when an embedding function is given, the cosine similarity of question and sentence.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from newsdesk.ai import llm
from newsdesk.ai.lang import STOPWORDS, fold_accents, word_set
from newsdesk.ai.text import WORD, clean_untrusted, split_paragraphs, split_sentences
from newsdesk.ai.types import EXTRACTIVE, Answer, LLMSettings, Passage, Quote

Embed = Callable[[list[str]], Sequence[Sequence[float]]]

MAX_QUESTION_CHARS = 1_000
MAX_QUESTION_TERMS = 64
MAX_PASSAGES = 500  # read at most
MAX_RANKED_PASSAGES = 40  # whose sentences are ranked
MAX_PASSAGE_CHARS = 100_000
MAX_SENTENCES_PER_PASSAGE = 300
MAX_QUOTES = 3
KEY_LETTERS = 5
K1, B = 1.2, 0.75
SENTENCE_WEIGHT, PASSAGE_WEIGHT, EMBEDDING_WEIGHT = 0.6, 0.4, 0.5
FIGURE_BONUS, LATEST_BONUS = 0.1, 0.15
MIN_COVERAGE = 0.5  # share of the question's weight its best sentence and passage must match
FURTHER_QUOTE_SHARE = 0.6  # further quotes, each from another article, must score this share of the best
LLM_PASSAGES = 6
NO_ANSWER = "No stored article answers this question."
EMPTY_QUESTION = "Ask a question about the news, for example: how many people were evacuated?"
QUESTION_WORDS = word_set(
    "how many much what who whom whose when where why which does did do is are was were will would can could "
    "wie viel viele viele was wer wen wem wann wo woher wohin warum weshalb welche welcher welches "
    "cuanto cuanta cuantos cuantas que quien quienes cuando donde por porque cual cuales "
    "combien quoi qui quand ou pourquoi quel quelle quels quelles"
)
AMOUNT = re.compile(
    r"\b(how (many|much|long|large|big|far|old|high)|what (time|share|percentage)|"
    r"wie (viele?|lange|hoch|gro)|"
    r"cu[aá]nt[oa]s?|combien)\b",
    re.IGNORECASE,
)
LATEST = re.compile(
    r"\b(latest|newest|current(ly)?|now|today|so far|neueste[nrs]?|aktuell\w*|bisher|"
    r"[uú]ltim[oa]s?|actual(mente)?|hasta ahora|dernier\w*)\b",
    re.IGNORECASE,
)
DIGIT = re.compile(r"\d")
ASKS_WHO = re.compile(r"\b(who|whom|wer|wen|wem|qui[eé]n(es)?|qui)\b", re.IGNORECASE)
ASKS_WHEN = re.compile(
    r"\b(when|what time|wann|um wie viel uhr|cu[aá]ndo|a qu[eé] hora|quand)\b", re.IGNORECASE
)
NAME = re.compile(r"(?<=\s)[A-ZÀ-ÖØ-Þ][\w'’-]+")
TIME = re.compile(
    r"\b\d{1,2}[.:]\d{2}\b|\b\d{1,2}\s?(a\.?m|p\.?m|uhr|h)\b|\b(monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|yesterday|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|gestern|lunes|martes|"
    r"mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo|ayer)\b|\b(1[89]|20)\d{2}\b",
    re.IGNORECASE,
)
TYPE_BONUS = 0.1


@dataclass(frozen=True)
class _Sentence:
    passage: int
    text: str
    keys: Counter[str]


def match_keys(text: str) -> list[str]:
    """Accent-folded, lower-case 5-letter word prefixes: a stemmer that works the same in every language."""
    return [fold_accents(word)[:KEY_LETTERS] for word in WORD.findall(text.lower())]


def _stop_keys() -> frozenset[str]:
    words = set(QUESTION_WORDS).union(*STOPWORDS.values())
    return frozenset(key for word in words for key in match_keys(word))


STOP_KEYS = _stop_keys()


def answer(
    question: str,
    passages: Sequence[Passage],
    *,
    llm_settings: LLMSettings | None = None,
    embed: Embed | None = None,
    max_quotes: int = MAX_QUOTES,
) -> Answer:
    """The best quoted sentences for the question; with an LLM, a short written answer citing them."""
    question = clean_untrusted(question, MAX_QUESTION_CHARS)
    terms = question_terms(question)
    if not terms:
        return Answer(EMPTY_QUESTION if not question else NO_ANSWER, [], False)
    passages, passage_scores = best_passages(terms, passages)
    sentences = passage_sentences(passages)
    ranked = rank_sentences(question, terms, passages, passage_scores, sentences, embed)
    if not ranked or not is_answered(terms, sentences[ranked[0][1]], passages, sentences):
        return Answer(NO_ANSWER, [], False)
    quotes = pick_quotes(ranked, sentences, passages, max_quotes)
    offline = Answer(quotes[0].sentence, quotes, True)
    if llm_settings is None:
        return offline
    return _llm_answer(question, ranked, sentences, passages, offline, llm_settings)


def question_terms(question: str) -> Counter[str]:
    """The question's content keys (question words and stop-words of the known languages removed)."""
    keys = [key for key in match_keys(question) if key not in STOP_KEYS]
    return Counter(dict(Counter(keys).most_common(MAX_QUESTION_TERMS)))


def best_passages(terms: Counter[str], passages: Sequence[Passage]) -> tuple[list[Passage], list[float]]:
    """The passages most relevant to the question (BM25 over title and text), with their scores."""
    given = list(passages)[:MAX_PASSAGES]
    scores = bm25_scores(terms, [passage_keys(p) for p in given])
    order = sorted(range(len(given)), key=lambda i: -scores[i])[:MAX_RANKED_PASSAGES]
    order.sort()
    return [given[i] for i in order], [scores[i] for i in order]


def passage_keys(passage: Passage) -> Counter[str]:
    return Counter(match_keys(f"{passage.title}\n{passage.text[:MAX_PASSAGE_CHARS]}"))


def passage_sentences(passages: Sequence[Passage]) -> list[_Sentence]:
    """Every sentence of every passage (bounded), with its match keys."""
    sentences: list[_Sentence] = []
    for index, passage in enumerate(passages):
        found = [
            sentence
            for paragraph in split_paragraphs(passage.text[:MAX_PASSAGE_CHARS])
            for sentence in split_sentences(paragraph)
        ]
        for text in found[:MAX_SENTENCES_PER_PASSAGE]:
            sentences.append(_Sentence(index, text, Counter(match_keys(text))))
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
    return scores


def rank_sentences(
    question: str,
    terms: Counter[str],
    passages: Sequence[Passage],
    passage_scores: Sequence[float],
    sentences: Sequence[_Sentence],
    embed: Embed | None,
) -> list[tuple[float, int]]:
    """(score, sentence index) best first, for sentences that share at least one term with the question."""
    sentence_scores = bm25_scores(terms, [s.keys for s in sentences])
    top_sentence, top_passage = max(sentence_scores, default=0.0), max(passage_scores, default=0.0)
    if top_sentence <= 0:
        return []
    similarity = _similarities(question, sentences, embed)
    newest = _newest_passage(passages) if LATEST.search(question) else None
    wants = answer_type(question)
    ranked = []
    for index, sentence in enumerate(sentences):
        if sentence_scores[index] <= 0 and similarity[index] <= 0:
            continue
        score = SENTENCE_WEIGHT * sentence_scores[index] / top_sentence
        score += PASSAGE_WEIGHT * (passage_scores[sentence.passage] / top_passage if top_passage else 0.0)
        score += EMBEDDING_WEIGHT * similarity[index]
        score += type_bonus(wants, sentence.text, terms)
        score += LATEST_BONUS if newest is not None and sentence.passage == newest else 0.0
        ranked.append((score, index))
    return sorted(ranked, key=lambda item: (-item[0], item[1]))


def answer_type(question: str) -> str:
    """What kind of answer the question asks for: amount, person, time, or '' (anything)."""
    if AMOUNT.search(question):
        return "amount"
    if ASKS_WHO.search(question):
        return "person"
    return "time" if ASKS_WHEN.search(question) else ""


def type_bonus(wanted: str, sentence: str, terms: Counter[str]) -> float:
    """A bonus for a sentence holding the kind of answer asked for (a figure, a new name, a time)."""
    if wanted == "amount":
        return FIGURE_BONUS if DIGIT.search(sentence) else 0.0
    if wanted == "person":
        names = {match_keys(name)[0] for name in NAME.findall(" " + sentence.split(" ", 1)[-1])}
        return TYPE_BONUS if names - set(terms) else 0.0
    if wanted == "time":
        return TYPE_BONUS if TIME.search(sentence) else 0.0
    return 0.0


def _similarities(question: str, sentences: Sequence[_Sentence], embed: Embed | None) -> list[float]:
    """Cosine similarity of question and each sentence (0 without an embedding function or when it fails)."""
    if embed is None or not sentences:
        return [0.0] * len(sentences)
    try:
        vectors = embed([question, *(s.text for s in sentences)])
    except Exception:  # an optional helper: its failure leaves the lexical ranking alone
        return [0.0] * len(sentences)
    if len(vectors) != len(sentences) + 1:
        return [0.0] * len(sentences)
    query = vectors[0]
    return [max(0.0, _cosine(query, vector)) for vector in vectors[1:]]


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=False))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def _newest_passage(passages: Sequence[Passage]) -> int | None:
    dated = [(_aware(p.published), i) for i, p in enumerate(passages) if p.published is not None]
    return max(dated)[1] if dated else None


def _aware(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime.min.replace(tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def is_answered(
    terms: Counter[str], best: _Sentence, passages: Sequence[Passage], sentences: Sequence[_Sentence]
) -> bool:
    """The best sentence, with its passage, matches enough of the question's weight (rarer words weigh more).

    A word found in no passage weighs most: a question about something the store never mentions fails.
    """
    spread = Counter(key for s in sentences for key in s.keys if key in terms)
    weights = {t: math.log(1 + (len(sentences) + 0.5) / (spread[t] + 0.5)) for t in terms}
    context = set(best.keys) | set(passage_keys(passages[best.passage]))
    matched = sum(weight for term, weight in weights.items() if term in context)
    in_sentence = any(term in best.keys for term in terms)
    return in_sentence and matched >= MIN_COVERAGE * sum(weights.values())


def pick_quotes(
    ranked: Sequence[tuple[float, int]],
    sentences: Sequence[_Sentence],
    passages: Sequence[Passage],
    max_quotes: int,
) -> list[Quote]:
    """The best sentence, then others scoring close to it from other articles (other sources' words)."""
    best_score = ranked[0][0]
    quotes: list[Quote] = []
    for score, index in ranked:
        if len(quotes) >= max_quotes or score < FURTHER_QUOTE_SHARE * best_score:
            break
        sentence = sentences[index]
        passage = passages[sentence.passage]
        if any(q.sentence == sentence.text or q.article_id == passage.article_id for q in quotes):
            continue
        quotes.append(Quote(passage.article_id, sentence.text, passage.title, passage.source))
    return quotes


def _llm_answer(
    question: str,
    ranked: Sequence[tuple[float, int]],
    sentences: Sequence[_Sentence],
    passages: Sequence[Passage],
    offline: Answer,
    settings: LLMSettings,
) -> Answer:
    """A written answer from the passages of the best sentences; every kept sentence cites a checked quote."""
    order: list[int] = []
    for _, index in ranked:
        if sentences[index].passage not in order:
            order.append(sentences[index].passage)
        if len(order) == LLM_PASSAGES:
            break
    chosen = [passages[i] for i in order]
    sources = [llm.Source(f"{p.source}: {p.title}", p.text[:4_000], p.language) for p in chosen]
    try:
        written = llm.grounded_sentences(settings, llm.ANSWER_TASK, sources, 3, "", question)
    except llm.LLMError as error:
        return Answer(
            offline.text, offline.quotes, offline.found, f"{EXTRACTIVE} (llm failed: {error.reason})"
        )
    quotes = [
        Quote(chosen[s.source].article_id, s.quote, chosen[s.source].title, chosen[s.source].source)
        for s in written
    ]
    return Answer(" ".join(s.text for s in written), quotes, True, f"llm:{settings.model}")
