"""Figures that change as a story develops: the newest report's figure first, the earlier ones as history."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

from newsdesk.ai.figures import FIGURE_KINDS, counts_tally
from newsdesk.ai.question import Question, tally_concepts
from newsdesk.ai.types import AskCandidate as Candidate
from newsdesk.ai.types import AskSentence as Sentence
from newsdesk.ai.types import FigurePoint, Passage
from newsdesk.enrich.facts import numbers_in

REVISION_RATIO = 2.0  # a revised count (16, then 21 aircraft) stays within this factor of the earlier one
NEAR_BEST = 0.75  # a sentence scoring this share of the best may stand first when its report is newer


def put_latest_first(
    asked: Question,
    candidates: Sequence[Candidate],
    sentences: Sequence[Sentence],
    passages: Sequence[Passage],
) -> list[Candidate]:
    """For a figure, the newest report's candidate first when it answers about as well (the toll rises)."""
    if asked.kind not in FIGURE_KINDS or not candidates:
        return list(candidates)
    tally = asked.kind == "count" and (
        bool(set(asked.concepts) & tally_concepts()) or count_changed(candidates, sentences, passages)
    )
    # A tally grows as reports come in: the newest report's count of it leads, in whatever language.
    close = [c for c in candidates if c.score >= NEAR_BEST * candidates[0].score or (tally and c.focused)]
    newest = max(close, key=lambda c: (aware(passages[sentences[c.sentence].passage].published), c.score))
    return [newest, *(c for c in candidates if c is not newest)]


def count_changed(
    candidates: Sequence[Candidate], sentences: Sequence[Sentence], passages: Sequence[Passage]
) -> bool:
    """Whether reports give revised counts of the thing asked about: different figures of one size from
    different reports (aircraft on a fire: 16, then 18, then 21; not 150 fans in a club and 47,860 in the
    stadium)."""
    values = [
        (sentences[c.sentence].passage, value)
        for c in candidates
        if c.focused and (value := figure_value(c, sentences, passages)) is not None
    ]
    return any(
        a != b and one != other and is_revision(one, other) for a, one in values for b, other in values
    )


def figure_value(
    candidate: Candidate, sentences: Sequence[Sentence], passages: Sequence[Passage]
) -> float | None:
    language = passages[sentences[candidate.sentence].passage].language
    found = numbers_in(candidate.figure, language)
    return found[0] if found else None


def is_revision(one: float, other: float) -> bool:
    """Whether two counts are near enough to be one count revised (within REVISION_RATIO of each other)."""
    low, high = sorted((abs(one), abs(other)))
    return low > 0 and high / low <= REVISION_RATIO


def figure_history(
    asked: Question, ordered: Sequence[Candidate], sentences: Sequence[Sentence], passages: Sequence[Passage]
) -> list[FigurePoint]:
    """The figure as each earlier report gave it, when it differs from the latest (oldest first)."""
    if asked.kind not in FIGURE_KINDS or not ordered or not ordered[0].figure:
        return []
    best, latest = ordered[0].score, ordered[0]
    tally = asked.kind != "count" or bool(set(asked.concepts) & tally_concepts())
    seen: dict[int, FigurePoint] = {}
    for candidate in ordered[1:]:
        passage_index = sentences[candidate.sentence].passage
        passage = passages[passage_index]
        if passage_index in seen or not candidate.figure:
            continue
        if not counts_tally(asked, sentences[candidate.sentence].text, candidate.figure):
            continue
        if not tally and not near_latest(candidate, latest, sentences, passages):
            continue  # another count of the thing (18,000 travelling fans), not an earlier figure of it
        if gives_figure(sentences[candidate.sentence].text, latest.figure):
            continue  # "3.8 billion miles (6.1 billion kilometers)": the latest figure in other units
        if candidate.score < NEAR_BEST * best and not (candidate.focused and latest.focused):
            continue
        if aware(passage.published) >= aware(passages[sentences[latest.sentence].passage].published):
            continue
        seen[passage_index] = FigurePoint(
            candidate.figure, passage.source, passage.article_id, passage.published
        )
    history: list[FigurePoint] = []
    for point in sorted(seen.values(), key=lambda p: aware(p.published)):
        values = [latest.figure, *(p.value for p in history)]
        if not any(same_figure(point.value, value) for value in values):
            history.append(point)  # each earlier figure once, from the first report that gave it
    return history


def near_latest(
    candidate: Candidate, latest: Candidate, sentences: Sequence[Sentence], passages: Sequence[Passage]
) -> bool:
    one, other = figure_value(candidate, sentences, passages), figure_value(latest, sentences, passages)
    return one is None or other is None or is_revision(one, other)


def gives_figure(sentence: str, figure: str) -> bool:
    """Whether the sentence gives this figure too (separators inside figures ignored: 6,1 is 6.1)."""
    digits = re.sub(r"[\s.,]", "", figure)
    written = re.sub(r"(?<=\d)[\s.,](?=\d)", "", sentence)
    return bool(digits) and re.search(rf"(?<!\d){re.escape(digits)}(?!\d)", written) is not None


def same_figure(a: str, b: str) -> bool:
    return re.sub(r"[\s.,]", "", a.lower()) == re.sub(r"[\s.,]", "", b.lower())


def aware(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime.min.replace(tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
