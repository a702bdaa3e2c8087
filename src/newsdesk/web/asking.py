"""Ask from the store: the stories a question may be about (by words and by meaning), answered with quotes."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from newsdesk.ai import LLMSettings, Passage, answer
from newsdesk.ai.ask import Embed
from newsdesk.models import DEFAULT_MODEL, Vectors, load_embedder
from newsdesk.store.models import Article, ArticleVector, Story
from newsdesk.store.search import search
from newsdesk.web.i18n import current_language
from newsdesk.web.timefmt import exact_time, relative_time

MAX_QUESTION = 2000
WORD_HITS = 12  # full-text hits whose stories are candidates
MEANING_HITS = 8  # nearest articles by meaning whose stories are candidates
RECENT_VECTORS = 5000  # the newest articles compared by meaning (a vector index is future work)
CANDIDATE_STORIES = 4
MAX_PASSAGES = 40
RRF_K = 60  # reciprocal rank fusion of the two rankings
CACHED_SENTENCES = 20_000  # about 40 MB of sentence vectors


class SentenceVectors:
    """The process's sentence embedder with the vectors of recent sentences kept (stories are asked again)."""

    def __init__(self) -> None:
        self._known: OrderedDict[str, Vectors] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, texts: list[str]) -> list[Vectors]:
        with self._lock:
            found = {t: self._known[t] for t in texts if t in self._known}
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            found.update(zip(missing, load_embedder().encode(missing), strict=True))
            with self._lock:
                self._known.update((t, found[t]) for t in missing)
                while len(self._known) > CACHED_SENTENCES:
                    self._known.popitem(last=False)
        return [found[t] for t in texts]


@cache
def sentence_vectors() -> SentenceVectors:
    return SentenceVectors()


def ask(session: Session, question: str, llm: LLMSettings | None = None, story: str = "") -> dict[str, Any]:
    """Answer a question from stored reports (those of ``story`` first), quoting the sentences it rests on."""
    question = re.sub(r"\s+", " ", question).strip()[:MAX_QUESTION]
    embed: Embed = sentence_vectors()
    scope = story_in_store(session, story)
    stories = candidate_stories(session, question, embed, scope) if question else []
    result = answer(question, story_passages(session, stories), llm_settings=llm, embed=embed, scope=scope)
    return {
        "question": question,
        "found": result.found,
        "text": result.text,
        "method": result.method,
        "scope": scope_context(session, scope),
        "quotes": [
            {"sentence": q.sentence, "title": q.title, "source": q.source, "url": article_url(q.article_id)}
            for q in result.quotes
        ],
        "history": [
            {
                "value": point.value,
                "source": point.source,
                "url": article_url(point.article_id),
                "published_relative": relative_time(point.published) if point.published else "",
                "published_exact": exact_time(point.published) if point.published else "",
            }
            for point in result.history
        ],
    }


def article_url(article_id: str) -> str:
    return f"/{current_language.get()}/article/{article_id}"


def story_in_store(session: Session, story: str) -> str:
    """The story asked from, when it exists (a merged story's id leads to the one it joined)."""
    found = session.get(Story, story.lower()) if story and len(story) <= 64 else None
    while found is not None and found.merged_into:
        found = session.get(Story, found.merged_into)
    return found.id if found is not None else ""


def scope_context(session: Session, scope: str) -> dict[str, str] | None:
    found = session.get(Story, scope) if scope else None
    if found is None:
        return None
    return {"id": found.id, "title": found.title, "url": f"/{current_language.get()}/story/{found.id}"}


def candidate_stories(session: Session, question: str, embed: Embed, scope: str) -> list[str]:
    """The stories whose reports the question's words or meaning find, fused by reciprocal rank."""
    by_words = [story_key(a) for a, _ in search(session, question, per_page=WORD_HITS, any_word=True).hits]
    by_meaning = nearest_stories(session, np.asarray(embed([question])[0], dtype=np.float32))
    scores: dict[str, float] = {}
    for ranking in (by_words, by_meaning):
        for rank, story in enumerate(dict.fromkeys(ranking)):
            scores[story] = scores.get(story, 0.0) + 1.0 / (RRF_K + rank)
    ranked = sorted(scores, key=lambda s: -scores[s])[:CANDIDATE_STORIES]
    return [scope, *(s for s in ranked if s != scope)] if scope else ranked


def story_key(article: Article) -> str:
    return article.story_id or f"article:{article.id}"


def nearest_stories(session: Session, query: Vectors) -> list[str]:
    """Stories of the newest articles nearest the question in meaning, nearest first."""
    rows = session.execute(
        select(Article.id, Article.story_id, ArticleVector.vector)
        .join(ArticleVector, ArticleVector.article_id == Article.id)
        .where(ArticleVector.model == DEFAULT_MODEL, Article.duplicate_of.is_(None))
        .order_by(Article.published_at.desc())
        .limit(RECENT_VECTORS)
    ).all()
    if not rows:
        return []
    matrix = np.stack([np.frombuffer(vector, dtype=np.float32) for _, _, vector in rows])
    if matrix.shape[1] != query.shape[0]:
        return []
    order = np.argsort(-(matrix @ query))[:MEANING_HITS]
    return [rows[i][1] or f"article:{rows[i][0]}" for i in order]


def story_passages(session: Session, stories: Sequence[str]) -> list[Passage]:
    """The reports of these stories (copies left out) as passages, each knowing its story."""
    passages: list[Passage] = []
    for story in stories:
        if story.startswith("article:"):
            query = select(Article).where(Article.id == story.removeprefix("article:"))
        else:
            query = select(Article).where(Article.story_id == story, Article.duplicate_of.is_(None))
        for article in session.scalars(query.order_by(Article.published_at).limit(MAX_PASSAGES)):
            passages.append(
                Passage(
                    article.id,
                    article.title,
                    article.source.name,
                    article.body_text,
                    article.published_at,
                    article.language,
                    story,
                )
            )
    return passages[:MAX_PASSAGES]
