"""Publication days and bylines: the kinds of page the annotated benchmark showed, each as a golden case."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from lxml.html import fromstring

from newsdesk.extract.authors import publisher_names, split_authors
from newsdesk.extract.dates import date_from_text, date_from_url, publication_day, visible_texts
from newsdesk.extract.metadata import parse_date


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://www.vg247.com/2019/11/20/star-wars-review/", date(2019, 11, 20)),
        ("https://www.latimes.com/business/story/2019-11-19/gannett-merger", date(2019, 11, 19)),
        ("https://www.politifact.com/article/2019/nov/18/guide-tariffs/", date(2019, 11, 18)),
        ("https://dealbreaker.com/2019/11/opening-bell", None),  # a month is not a day
        ("https://example.org/2019/13/45/x", None),
    ],
)
def test_dates_in_urls(url: str, day: date | None) -> None:
    assert date_from_url(url) == day


@pytest.mark.parametrize(
    ("text", "language", "day"),
    [
        ("Von Moritz Bachmann publiziert am 25. September 2018", "de", date(2018, 9, 25)),
        ("Trevor Daugherty - Nov. 18th 2019 8:54 am PT", "en", date(2019, 11, 18)),
        ("Tanza Loudenback, Business Insider 13.11.2019, 23:06", "de", date(2019, 11, 13)),
        ("05/10/2018 - Publicado por: Clarissa Borba", "pt-BR", date(2018, 10, 5)),
        ("11/19/2019 by Lars Brandle", "en-US", date(2019, 11, 19)),
        ("segunda-feira, 22 de janeiro de 2018 às 0:13", "pt", date(2018, 1, 22)),
        ("기사입력 :[ 2018-09-28 17:32 ]", "ko", date(2018, 9, 28)),
        ("Текст: Лида Буслаева·11 октября 2018", "ru", date(2018, 10, 11)),
        ("Published 22 hours ago", "en", None),
    ],
)
def test_dates_written_on_pages(text: str, language: str, day: date | None) -> None:
    assert date_from_text(text, language) == day


def test_placeholder_and_future_stamps_are_no_date() -> None:
    assert parse_date("0001-01-01T00:00:00Z") is None
    assert parse_date("2999-01-01") is None
    assert parse_date("2019-11-20T07:29:39+0000") == datetime(2019, 11, 20, 7, 29, 39, tzinfo=UTC)
    assert parse_date("November 20, 2019 12:32") == datetime(2019, 11, 20)


def test_a_utc_stamp_gives_way_to_the_day_the_page_states() -> None:
    page = fromstring(
        "<html><body><div class='byline'>Updated 10:01 pm PST, Tuesday, November 19, 2019</div>"
        "<p>A man was stabbed to death on a train late on Tuesday. Police said. The line was closed. "
        "Officers searched the station for hours and found the suspect nearby. Nobody else was hurt.</p>"
        "</body></html>"
    )
    stamp = datetime(2019, 11, 20, 5, 57, tzinfo=UTC)
    assert publication_day(page, "https://www.sfgate.com/news/x", stamp, "en") == date(2019, 11, 19)
    local = datetime.fromisoformat("2019-11-19T18:18:25-08:00")
    assert publication_day(page, "https://x.org/a", local, "en") == date(2019, 11, 19)


@pytest.mark.parametrize(
    ("bylines", "site", "url", "names"),
    [
        (
            ["By STEVE PEOPLES, AP National Political Writer"],
            "",
            "https://www.sfgate.com/a",
            ("STEVE PEOPLES",),
        ),
        (["Ilana Muhlstein, MS, RDN"], "", "https://www.beachbodyondemand.com/b", ("Ilana Muhlstein",)),
        (["Analysis by Chris Cillizza"], "CNN", "https://www.cnn.com/x", ("Chris Cillizza",)),
        (["Jill Disis, CNN Business"], "CNN", "https://www.cnn.com/x", ("Jill Disis",)),
        (
            ["Tanza Loudenback", "Business Insider"],
            "",
            "https://www.businessinsider.com/x",
            ("Tanza Loudenback",),
        ),
        (["Jose AltoverosView More Articles"], "", "https://www.autoindustriya.com/x", ("Jose Altoveros",)),
        (["Bruce Y. Lee"], "Forbes", "https://www.forbes.com/x", ("Bruce Y. Lee",)),
        (
            ["Lisa Kaczke and Trevor J. Mitchell"],
            "",
            "https://eu.usatoday.com/x",
            ("Lisa Kaczke", "Trevor J. Mitchell"),
        ),
        (["AppleInsider"], "", "https://appleinsider.com/articles/x", ()),
        (["BBC News"], "BBC", "https://www.bbc.com/news/x", ()),
        (["Telegraph Sport"], "The Telegraph", "https://www.telegraph.co.uk/x", ()),
        (["Editorial"], "the Guardian", "https://www.theguardian.com/x", ()),
        (["jdadmin"], "", "http://jeongdongtheater.com/blog/x", ()),
        (["Гость"], "", "http://www.wday.ru/x", ()),
        (["PTI"], "", "https://www.deccanherald.com/x", ()),
    ],
)
def test_bylines_give_people_only(bylines: list[str], site: str, url: str, names: tuple[str, ...]) -> None:
    assert split_authors(bylines, publisher_names(site, url)) == names


def test_a_comment_forms_name_field_is_no_byline() -> None:
    from newsdesk.extract.metadata import read_metadata

    page = fromstring(
        "<html><body><article><p>Text.</p></article><form><p class='comment-form-author'>"
        "<label>Nama (wajib)</label><input name='author'></p></form></body></html>"
    )
    assert read_metadata(page, "https://kabarislamia.com/x").authors == []


def test_visible_texts_are_the_body_text_nodes_without_scripts_styles_and_noscript() -> None:
    html = (
        "<html><head><title>t</title></head><body>a<div>b<script>var x = 1;</script>c<!-- note -->d"
        "<noscript><p>e</p></noscript>f<style>p {}</style><p>g<b>h</b>i</p></div>j</body></html>"
    )
    tree = fromstring(html)  # parsed as it is: load_tree would take scripts and comments out first
    xpath = "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"
    body = tree.find("body")
    assert body is not None
    assert visible_texts(body, []) == [str(t) for t in tree.xpath(xpath)] == list("abcdfghij")
