"""One category for a story across its languages: its articles' labels by majority, a tie by model score."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from newsdesk.enrich.categories.categories import FALLBACK


@dataclass(frozen=True)
class Vote:
    """One article's own label and the classifier's confidence in it."""

    label: str
    confidence: float


@dataclass(frozen=True)
class StoryCategory:
    label: str
    method: str  # "single", "majority" or "strongest"


def story_category(votes: Sequence[Vote]) -> StoryCategory | None:
    """The label most of the story's articles have; among labels tied for most, the one with the strongest
    single model score. The fallback label ("what fits nothing") only wins when nothing else was found."""
    counted = [v for v in votes if v.label != FALLBACK] or list(votes)
    if not counted:
        return None
    if len(counted) == 1:
        return StoryCategory(counted[0].label, "single")
    counts = Counter(v.label for v in counted)
    most = max(counts.values())
    tied = [label for label, n in counts.items() if n == most]
    if len(tied) == 1:
        return StoryCategory(tied[0], "majority")
    strongest: dict[str, float] = defaultdict(float)
    for vote in counted:
        if vote.label in tied:
            strongest[vote.label] = max(strongest[vote.label], vote.confidence)
    return StoryCategory(max(sorted(tied), key=lambda label: strongest[label]), "strongest")
