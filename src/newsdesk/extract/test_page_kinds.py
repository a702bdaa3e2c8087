"""Golden pages of each kind in issue 21: ruby readings, forms, cookie boxes, unspaced scripts, short items.

Each ``testdata/pages/NAME.html`` is extracted and compared with ``NAME.txt`` (one block a line); an empty
``.txt`` means the page holds no article and must say so.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.extract import ExtractionError, extract_article
from newsdesk.extract.blocks import join_broken_lines
from newsdesk.extract.text import count_words, is_mostly_unspaced

PAGES = Path(__file__).parent / "testdata" / "pages"


@pytest.mark.parametrize("name", sorted(p.stem for p in PAGES.glob("*.html")))
def test_page_extracts_as_its_golden_text(name: str) -> None:
    expected = (PAGES / f"{name}.txt").read_text("utf-8").splitlines()
    page = (PAGES / f"{name}.html").read_bytes()
    if not expected:
        with pytest.raises(ExtractionError):
            extract_article(page, f"https://example.org/news/{name}")
        return
    assert [b.text for b in extract_article(page, f"https://example.org/news/{name}").blocks] == expected


def test_ruby_readings_never_reach_the_text() -> None:
    article = extract_article((PAGES / "ruby_ja.html").read_bytes(), "https://example.org/ja")
    assert "こども" not in article.text and "たいばつ" not in article.text and "(" not in article.text


def test_words_of_unspaced_scripts_are_counted_from_characters() -> None:
    assert count_words("Der Hund bellt laut.") == 4
    assert count_words("北京市政府周二宣布") == 4  # nine characters, two a word
    assert count_words("กรุงเทพมหานครประกาศ") == 5  # nineteen characters, four a word
    assert count_words("Kindleや楽天koboにはデスクトップアプリ") == 9  # two Latin words, 14 characters


def test_a_page_is_unspaced_when_most_of_its_words_are() -> None:
    assert is_mostly_unspaced("北京市政府周二宣布，地铁新线路将于下月开通。 BBC")
    assert not is_mostly_unspaced("Tokyo (東京) is the capital of Japan and its largest city.")


def test_lines_a_fallback_broke_at_a_link_are_joined_again() -> None:
    lines = ["首页", "北京市政府周二宣布，", "地铁", "新线路将于下月开通。", "The mayor said,", "it opens."]
    assert join_broken_lines(lines) == [
        "首页",
        "北京市政府周二宣布，地铁新线路将于下月开通。",
        "The mayor said, it opens.",
    ]
