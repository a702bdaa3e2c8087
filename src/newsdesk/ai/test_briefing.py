"""The daily briefing: top stories by distinct sources, each with summary, facts and sources."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdesk.ai import BriefingStory, CitedSentence, StoryArticle, StorySummary, compose_briefing

T0 = datetime(2026, 3, 1, 6, tzinfo=UTC)


def article(story: str, n: int, source: str, hours: float = 0.0) -> StoryArticle:
    text = (
        f"The {story} story developed quickly on Sunday with new details from officials. "
        f"Officials said the {story} affected 1,200 people across the region. "
        "Further updates are expected on Monday."
    )
    return StoryArticle(
        f"{story}-{n}",
        source,
        f"{story} title {n}",
        text,
        "en",
        T0 + timedelta(hours=hours),
        f"https://example.org/{story}/{n}",
    )


def test_stories_are_ranked_by_distinct_sources_then_articles_then_recency() -> None:
    many_copies = BriefingStory("copies", "Copies", [article("copies", i, "Courier", i) for i in range(5)])
    three = BriefingStory("three", "Three", [article("three", i, s) for i, s in enumerate(["A", "B", "C"])])
    two_new = BriefingStory("two-new", "Two new", [article("two-new", i, s, 10) for i, s in enumerate("AB")])
    two_old = BriefingStory("two-old", "Two old", [article("two-old", i, s, 1) for i, s in enumerate("AB")])
    empty = BriefingStory("empty", "Empty", [])
    briefing = compose_briefing([many_copies, two_old, empty, three, two_new], max_stories=3)
    assert [e.story_id for e in briefing.entries] == ["three", "two-new", "two-old"]
    assert briefing.story_count == 4
    assert [e.source_count for e in briefing.entries] == [3, 2, 2]


def test_each_entry_has_a_summary_citing_its_articles_facts_and_one_line_per_source() -> None:
    story = BriefingStory(
        "s",
        "Storm",
        [article("storm", 0, "A"), article("storm", 1, "B", 2), article("storm", 2, "A", 5)],
        url="/stories/s",
        category="world",
        facts=["1,200 people affected"],
    )
    entry = compose_briefing([story]).entries[0]
    assert entry.summary.method == "extractive" and entry.summary.sentences
    assert {s.article_id for s in entry.summary.sentences} <= {"storm-0", "storm-1", "storm-2"}
    assert [(s.source, s.article_id) for s in entry.sources] == [("A", "storm-0"), ("B", "storm-1")]
    assert entry.sources[0].url == "https://example.org/storm/0"
    assert (
        entry.facts == ["1,200 people affected"] and entry.category == "world" and entry.url == "/stories/s"
    )
    assert entry.latest == T0 + timedelta(hours=5)


def test_a_cached_story_summary_is_used_as_it_is() -> None:
    cached = StorySummary([CitedSentence("Cached sentence.", "storm-0")], "llm:m")
    story = BriefingStory("s", "Storm", [article("storm", 0, "A")], summary=cached)
    assert compose_briefing([story]).entries[0].summary is cached
    assert compose_briefing([]).entries == []
