"""Cache keys and records for summaries: a key changes when the text, the method or the summariser changes.

Store a result under the key of the method it was made with (`result.method`): an LLM request that fell
back to the extractive summary is then found again under the extractive key, and the LLM is retried later.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from newsdesk.ai.types import EXTRACTIVE, CitedSentence, LLMSettings, StoryArticle, StorySummary, Summary

SUMMARISER_VERSION = "1"  # raise when summaries of the same text would change


def summary_method(llm_settings: LLMSettings | None) -> str:
    """The method a request will use when it succeeds: "extractive" or "llm:MODEL"."""
    return f"llm:{llm_settings.model}" if llm_settings is not None else EXTRACTIVE


def base_method(method: str) -> str:
    """The method without a fallback note: "extractive (llm failed…)" → "extractive"."""
    return method.split(" (", 1)[0]


def _digest(parts: Sequence[str]) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


def article_summary_key(
    title: str, text: str | Sequence[str], language: str, method: str, max_sentences: int = 3
) -> str:
    """Key of one version of an article's summary (content hash + method + summariser version)."""
    body = text if isinstance(text, str) else "\n".join(text)
    parts = ["article", SUMMARISER_VERSION, base_method(method), str(max_sentences), language, title, body]
    return _digest(parts)


def story_summary_key(
    articles: Sequence[StoryArticle], language: str | None, method: str, max_sentences: int = 4
) -> str:
    """Key of one version of a story's summary: which articles, with which text, and how it is made."""
    members = sorted(
        _digest([a.id, a.source, a.title, a.text, a.language, a.published.isoformat() if a.published else ""])
        for a in articles
    )
    return _digest(
        ["story", SUMMARISER_VERSION, base_method(method), str(max_sentences), language or "", *members]
    )


def summary_record(key: str, summary: Summary) -> dict[str, Any]:
    """JSON-ready record of an article summary for the store's summary cache."""
    return {"key": key, "method": summary.method, "sentences": list(summary.sentences)}


def summary_from_record(record: Any, key: str) -> Summary | None:
    """The cached summary when the record is for this key and well formed; None otherwise."""
    if not isinstance(record, dict) or record.get("key") != key:
        return None
    sentences = record.get("sentences")
    if not isinstance(sentences, list) or not all(isinstance(s, str) for s in sentences):
        return None
    return Summary(sentences, str(record.get("method", EXTRACTIVE)))


def story_summary_record(key: str, summary: StorySummary) -> dict[str, Any]:
    sentences = [{"text": s.text, "article_id": s.article_id, "quote": s.quote} for s in summary.sentences]
    return {"key": key, "method": summary.method, "sentences": sentences}


def story_summary_from_record(record: Any, key: str) -> StorySummary | None:
    if (
        not isinstance(record, dict)
        or record.get("key") != key
        or not isinstance(record.get("sentences"), list)
    ):
        return None
    sentences = []
    for item in record["sentences"]:
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            return None
        sentences.append(
            CitedSentence(item["text"], str(item.get("article_id", "")), str(item.get("quote", "")))
        )
    return StorySummary(sentences, str(record.get("method", EXTRACTIVE)))
