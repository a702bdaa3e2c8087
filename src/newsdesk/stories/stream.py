"""Read article streams in the JSON Lines format of ../shared/bench/clustering (title, text if present)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsdesk.stories.model import StoryArticle
from newsdesk.stories.settings import EMBED_BATCH
from newsdesk.stories.stories import StoryClusterer


class StreamError(ValueError):
    """A line of a stream file is not an article record."""


@dataclass(frozen=True)
class StreamRecord:
    """One line of a stream: the article and, in benchmark files, its gold story."""

    article: StoryArticle
    gold: str | None


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 time as aware UTC; None when absent or unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def first_sentence(text: str, limit: int = 200) -> str:
    """The start of a text up to its first full stop (a stand-in title for lines that have none)."""
    head = text[:limit]
    if ". " in head:
        return head.split(". ", 1)[0].strip()
    return head.strip()


def record_to_article(record: dict[str, Any]) -> StoryArticle:
    """Build a StoryArticle from a stream record (`gold` and `category` are never read).

    Lines of the summarisation sets ({"id", "article"}) are read too: full articles without a title.
    """
    if "id" not in record:
        raise StreamError("record has no 'id'")
    text = str(record.get("text") or record.get("article") or "")
    return StoryArticle(
        id=str(record["id"]),
        title=str(record.get("title") or first_sentence(text)),
        text=text,
        language=str(record.get("lang") or ""),
        published=parse_time(record.get("date")),
        source=str(record.get("publisher") or record.get("host") or ""),
        agency=str(record.get("agency") or ""),
    )


def read_stream(path: Path) -> Iterator[StreamRecord]:
    """The records of a JSON Lines stream file, in file order (blank lines skipped)."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise StreamError(f"{path}:{number}: invalid JSON: {exc}") from exc
            if not isinstance(record, dict):
                raise StreamError(f"{path}:{number}: expected a JSON object")
            gold = record.get("gold")
            yield StreamRecord(record_to_article(record), None if gold is None else str(gold))


def final_story(merged_into: dict[str, str], story_id: str) -> str:
    """Follow merges to the story that holds `story_id` now."""
    seen = set()
    while story_id in merged_into and story_id not in seen:
        seen.add(story_id)
        story_id = merged_into[story_id]
    return story_id


def cluster_stream(
    records: list[StreamRecord], clusterer: StoryClusterer, on_batch: Callable[[int], None] | None = None
) -> dict[str, str]:
    """Assign every record in order and return {article id: story id}, with later merges applied."""
    assigned: dict[str, str] = {}
    merged_into: dict[str, str] = {}
    for start in range(0, len(records), EMBED_BATCH):
        chunk = [r.article for r in records[start : start + EMBED_BATCH]]
        for assignment in clusterer.assign_many(chunk):
            assigned[assignment.article_id] = assignment.story_id
            for gone in assignment.merged:
                merged_into[gone] = assignment.story_id
        if on_batch is not None:
            on_batch(len(chunk))
    return {k: final_story(merged_into, v) for k, v in assigned.items()}
