"""Publishers' categories map onto the taxonomy; the taxonomy maps onto AG News's four classes."""

from __future__ import annotations

import pytest

from newsdesk.enrich.categories.taxonomy import (
    GROUPS,
    REFINEMENT,
    TAXONOMY,
    TAXONOMY_TO_AG,
    map_feed_categories,
    map_feed_category,
)


@pytest.mark.parametrize(
    ("category", "label"),
    [
        ("Sport", "sports"),
        ("Deportes", "sports"),
        ("Wirtschaft", "business"),
        ("Economía", "business"),
        ("Gesundheit", "health"),
        ("Salud", "health"),
        ("Cultura", "entertainment"),
        ("Ciencia", "science"),
        ("News > World > Europe", "world"),
        ("Politik", "politics"),
        ("technology", "technology"),
        ("Köln", None),
        ("Local", None),
        ("", None),
        ("Make it work", None),
    ],
)
def test_feed_categories_map_onto_the_taxonomy(category: str, label: str | None) -> None:
    assert map_feed_category(category) == label


def test_several_categories_keep_their_order_without_repeats() -> None:
    assert map_feed_categories(["Köln", "Sport", "Fußball", "Wirtschaft"]) == ["sports", "business"]


def test_every_label_has_one_group_and_maps_onto_ag_except_entertainment() -> None:
    members = [label for group in GROUPS for label in REFINEMENT[group]]
    assert sorted(members) == sorted(TAXONOMY)
    assert {label for label in TAXONOMY if label not in TAXONOMY_TO_AG} == {"entertainment"}
