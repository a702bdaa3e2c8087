"""Tests of text features and copy detection (exact hash, MinHash near-copies, window removal)."""

from __future__ import annotations

from newsdesk.stories.dedup import CopyIndex, fingerprint_body
from newsdesk.stories.text import content_hash, lead_text, shingles, stem_word, word_tokens

BODY = (
    "The harbour authority of Port Calder said on Tuesday that the new ferry terminal will open in June, "
    "three months later than planned, because a crane collapsed during construction in February. "
    "Officials said nobody was hurt and that the contractor will pay for the delay. Ferries to the "
    "islands will keep using the old pier until then, with an extra evening crossing on Fridays."
)


def test_word_tokens_drop_stopwords_of_every_language_and_stem() -> None:
    tokens = word_tokens("The pilots' strikes in Köln und die Flüge de Madrid")
    assert tokens == ["pilot", "strik", "koln", "fluge", "madrid"]
    assert stem_word("bitcoins") == "bitcoin"
    assert word_tokens("") == []


def test_lead_text_keeps_title_and_first_words() -> None:
    assert lead_text("Title ...", "one two three four", 2) == "Title. one two"
    assert lead_text("Only a title", "", 40) == "Only a title"


def test_content_hash_ignores_case_spacing_and_punctuation() -> None:
    assert content_hash("Hello,   World!") == content_hash("hello world")
    assert content_hash("hello world") != content_hash("hello there world")


def test_shingles_need_enough_words() -> None:
    assert shingles("too short", 5) == set()
    assert len(shingles("a b c d e f", 5)) == 2


def test_exact_copy_found_by_hash() -> None:
    index = CopyIndex()
    index.add("orig", fingerprint_body(BODY))
    match = index.find(fingerprint_body(BODY.upper()))
    assert match is not None and match.article_id == "orig" and match.how == "hash"


def test_near_copy_with_added_paragraph_found_by_minhash() -> None:
    index = CopyIndex()
    index.add("orig", fingerprint_body(BODY))
    copy = BODY + " A spokesman added that ticket prices will not change this year."
    match = index.find(fingerprint_body(copy))
    assert match is not None and match.article_id == "orig" and match.how == "minhash"
    assert match.similarity >= 0.6


def test_unrelated_and_short_bodies_are_not_copies() -> None:
    index = CopyIndex()
    index.add("orig", fingerprint_body(BODY))
    other = (
        "The city council of Northgate voted on Monday to build a new library in the old market hall, "
        "with room for 80,000 books, a café and a children's theatre, at a cost of 14 million pounds "
        "over the next three years, to be paid for by a new levy on car parks in the centre."
    )
    assert index.find(fingerprint_body(other)) is None
    assert index.find(fingerprint_body("Port Calder ferry")) is None


def test_removed_articles_are_forgotten() -> None:
    index = CopyIndex()
    index.add("orig", fingerprint_body(BODY))
    index.remove("orig")
    assert index.find(fingerprint_body(BODY)) is None
    assert len(index) == 0
