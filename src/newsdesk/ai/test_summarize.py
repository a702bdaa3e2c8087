"""Article and story summaries offline, on ordinary and hostile input."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from newsdesk.ai import StoryArticle, summarize_article, summarize_story

FLOODS = [
    "Flash floods tore through the town of Valmora overnight, killing at least 9 people and forcing 3,000 "
    "residents from their homes, officials said.",
    "The river Lenteira burst its banks after 164 millimetres of rain fell in ten hours, the most since "
    "records began.",
    "Rescue teams in boats searched the flooded streets of Valmora for six people still missing.",
    "The mayor thanked volunteers.",
    "A bakery owner said the water reached his knees within minutes.",
    "Schools will stay closed for the rest of the week.",
    "Power was cut to 11,000 homes.",
    "The government promised emergency aid for Valmora.",
]


def test_an_article_summary_has_at_most_three_sentences_of_the_article_in_reading_order() -> None:
    summary = summarize_article("Floods in Valmora", "\n".join(FLOODS), "en")
    assert summary.method == "extractive"
    assert 1 <= len(summary.sentences) <= 3
    assert all(sentence in FLOODS for sentence in summary.sentences)
    assert summary.sentences == sorted(summary.sentences, key=FLOODS.index)
    assert summary.sentences[0] == FLOODS[0]
    assert summary.text == "\n".join(summary.sentences)
    assert len(summarize_article("", FLOODS, "en", max_sentences=1).sentences) == 1


def test_no_text_gives_an_empty_summary_and_one_sentence_gives_itself() -> None:
    for empty in ("", "   \n\n ", []):
        assert summarize_article("Title only", empty, "en").sentences == []
    assert summarize_article("", "Only one sentence is here.", "en").sentences == [
        "Only one sentence is here."
    ]


def test_a_200k_word_text_is_summarised_in_bounded_time() -> None:
    huge = " ".join(FLOODS) + " " + "the river rose again overnight. " * 40_000
    start = time.monotonic()
    summary = summarize_article("", huge, "en")
    assert time.monotonic() - start < 5
    assert summary.sentences and summary.sentences[0] == FLOODS[0]
    unpunctuated = "word " * 200_000
    assert all(len(s.split()) <= 120 for s in summarize_article("", unpunctuated, "").sentences)


def test_odd_texts_give_a_clear_result() -> None:
    numbers = summarize_article("", "12 34 56. 78 90 12. 3.5 4.5 5.5.", "")
    assert numbers.method == "extractive" and len(numbers.sentences) <= 3
    mixed = "Die Flut traf Valmora in der Nacht. The floods hit Valmora overnight. La riada llegó de noche."
    assert 1 <= len(summarize_article("", mixed, "de").sentences) <= 3
    unknown = "ⴰⵎⴰⵣⵉⵖ ⴰⵎⴰⵣⵉⵖ ⵜⴰⵎⴰⵣⵉⵖⵜ ⵜⴰⵎⴰⵣⵉⵖⵜ. ⴰⵣⵓⵍ ⴼⵍⵍⴰⴽ ⴰⵎⴰⵣⵉⵖ ⵜⴰⵎⴰⵣⵉⵖⵜ. ⵜⴰⵏⵎⵎⵉⵔⵜ ⴰⵎⴰⵣⵉⵖ."
    assert summarize_article("", unknown, "zgh").sentences
    assert summarize_article("", "。。。 !!! ??? ...", "").sentences == []


def _story() -> list[StoryArticle]:
    start = datetime(2026, 3, 1, 6, tzinfo=UTC)
    wire = "\n".join(FLOODS)
    return [
        StoryArticle("courier", "Harbor Courier", "Floods kill 9", wire, "en", start),
        StoryArticle(
            "meridian", "Meridian Times", "Floods kill 9 (GWS)", wire, "en", start + timedelta(hours=2)
        ),
        StoryArticle(
            "ledger",
            "Northgate Ledger",
            "Death toll rises",
            "The death toll from the Valmora floods has risen to 12, officials said on Wednesday.\n"
            "About 3,400 people have now been evacuated from the town.\n"
            "Rescue teams in boats searched the flooded streets of Valmora for three people still missing.",
            "en",
            start + timedelta(hours=20),
        ),
        StoryArticle(
            "rheinblick",
            "Rheinblick",
            "Sturzflut in Portugal",
            "Eine Sturzflut hat in der portugiesischen Kleinstadt Valmora mindestens 9 Menschen getötet und "
            "3.000 Einwohner aus ihren Häusern vertrieben.\nDer Fluss Lenteira trat über die Ufer.",
            "de",
            start + timedelta(hours=3),
        ),
    ]


def test_a_story_summary_cites_its_articles_without_repeating_wire_copies() -> None:
    story = summarize_story(_story())
    assert story.method == "extractive"
    assert 1 <= len(story.sentences) <= 3
    ids = {"courier", "meridian", "ledger", "rheinblick"}
    assert all(s.article_id in ids for s in story.sentences)
    assert "meridian" not in {s.article_id for s in story.sentences}  # the copy: cite the original
    texts = [s.text for s in story.sentences]
    assert len(set(texts)) == len(texts)
    assert {s.article_id for s in story.sentences} <= {"courier", "ledger"}  # English, the main language
    for sentence in story.sentences:
        article = next(a for a in _story() if a.id == sentence.article_id)
        assert sentence.text in article.text and sentence.quote == sentence.text


def test_a_story_summary_across_languages_drops_sentences_saying_the_same() -> None:
    story = summarize_story(_story(), mix_languages=True, max_sentences=4)
    anchors = [("9", "3"), ("9", "3")]
    firsts = [s for s in story.sentences if all(a in s.text for a in anchors[0]) and "Valmora" in s.text]
    assert len(firsts) <= 1  # the English and German "9 killed, 3,000 evacuated" sentences are one claim
    german = summarize_story(_story(), language="de")
    assert {s.article_id for s in german.sentences} == {"rheinblick"}


def test_a_story_without_text_has_an_empty_summary() -> None:
    assert summarize_story([]).sentences == []
    assert summarize_story([StoryArticle("a", "S", "Title", "", "en")]).sentences == []
