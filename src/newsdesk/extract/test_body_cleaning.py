"""Body blocks and their cleaning: tables, line breaks, lead labels, credits, promotions, split bodies."""

from __future__ import annotations

from lxml import etree, html

from newsdesk.extract import extract_article
from newsdesk.extract.blocks import Block, tree_blocks
from newsdesk.extract.clean import drop_furniture, drop_lead_labels, is_date_line
from newsdesk.extract.html import drop_link_lists, merge_split_bodies
from newsdesk.extract.text import count_words

SENTENCE = "The council approved the new budget after a long debate that lasted until late in the evening."


def test_tree_blocks_keep_structure_split_line_breaks_and_rows() -> None:
    body = etree.fromstring(
        "<body><head rend='h2'>Results</head><p>June 9 -- Miami<lb/>June 10 -- Tampa</p>"
        "<div><p>Nested <hi>bold</hi> text</p>loose text</div>"
        "<list><item>one</item><item>two</item></list><quote><p>Quoted words</p></quote>"
        "<table><row><cell>Pos</cell><cell>Player</cell></row><row><cell>DL</cell><cell>Garrett</cell></row></table>"
        "</body>"
    )
    assert tree_blocks(body) == [
        Block("h", "Results"),
        Block("p", "June 9 -- Miami"),
        Block("p", "June 10 -- Tampa"),
        Block("p", "Nested bold text"),
        Block("p", "loose text"),
        Block("li", "one"),
        Block("li", "two"),
        Block("quote", "Quoted words"),
        Block("row", "Pos | Player"),
        Block("row", "DL | Garrett"),
    ]


def test_lead_headings_labels_and_one_date_are_dropped() -> None:
    blocks = [
        Block("p", "Politics"),
        Block("h", "The budget passes"),
        Block("h", "A long night at the town hall ends with a vote"),
        Block("p", "By Ana Ruiz and Tom Lee 24/11/2026 17:34"),
        Block("p", "November 19, 2019 / 12:21 AM / Updated 14 hours ago"),
        Block("p", SENTENCE),
        Block("h", "What comes next"),
        Block("p", "Short line"),
    ]
    assert drop_lead_labels(blocks) == blocks[5:]
    assert drop_lead_labels([Block("li", "1a etapa: 10 de março"), Block("p", SENTENCE)])[0].kind == "li"
    assert is_date_line("segunda-feira, 22 de janeiro de 2018 às 0:13")
    assert not is_date_line(SENTENCE)


def test_credit_lines_labels_and_edge_promotions_are_dropped() -> None:
    body = [Block("p", f"{SENTENCE} ({i})") for i in range(8)]
    furniture = [
        Block("p", "Fox News’ Jessica Napoli contributed to this report."),
        Block("p", "Reporting by Rodrigo Campos; Editing by Nick Zieminski"),
        Block("p", "Comments"),
        Block("p", "narrow-browser-and-phone"),
        Block("p", "Sign up for our free daily newsletter, delivered to your inbox every morning."),
    ]
    assert drop_furniture([*body, *furniture]) == body
    newsletter_story = Block(
        "p", "The newsletter, delivered to inboxes at dawn, changed how the town read news."
    )
    assert drop_furniture([*body[:3], newsletter_story, *body[3:]])[3] == newsletter_story


def test_split_bodies_are_merged_and_link_lists_dropped() -> None:
    part = "<p>" + " ".join([SENTENCE] * 4) + "</p>"
    tree = html.fromstring(
        f"<html><body><div class='article__body'>{part}</div><div class='ad'>Ad</div>"
        f"<div class='article__body'>{part}{part}</div>"
        "<ul><li><a href='/a'>Other story one</a></li><li><a href='/b'>Other story two</a></li></ul>"
        "<ul><li>A plain item</li><li><a href='/c'>a link</a></li></ul></body></html>"
    )
    merge_split_bodies(tree)
    drop_link_lists(tree)
    bodies = tree.xpath("//div[@class='article__body']")
    assert len(bodies) == 1 and len(bodies[0].findall("p")) == 3
    assert [ul.text_content() for ul in tree.iter("ul")] == ["A plain itema link"]


def test_cjk_words_are_counted() -> None:
    assert count_words("東京都は日本の首都です") >= 5
    assert count_words("two words") == 2


def test_description_paragraph_stays_in_the_body_and_kicker_goes() -> None:
    lead = " ".join([SENTENCE] * 2)
    paragraphs = "".join(f"<p>{SENTENCE} Paragraph {i}.</p>" for i in range(4))
    page = (
        f'<html><head><title>Budget passes</title><meta name="description" content="{lead}"></head><body>'
        f"<article><div class='kicker'>Politics</div><h1>Budget passes</h1><p>{lead}</p>{paragraphs}"
        "</article>"
        "</body></html>"
    )
    article = extract_article(page.encode(), "https://example.org/budget")
    assert article.blocks[0].text == lead
    assert article.subtitle == ""
    assert article.title == "Budget passes"
