"""Hashtag labels per language: one hashtag per thing across languages, named as each reader knows it."""

from __future__ import annotations

import re
from functools import cache

from newsdesk.enrich.entities.words import hashtag_key, make_hashtag
from newsdesk.text import read_rows

LABEL_LANGUAGES = ("de", "es")  # the columns of tag_labels.tsv after the English name


@cache
def hashtag_labels() -> dict[str, dict[str, str]]:
    """Return hashtag key ("#cologne") -> {language: label} for every gazetteer entry and news topic."""
    found: dict[str, dict[str, str]] = {}
    for name, *labels in read_rows("tag_labels.tsv"):
        found[hashtag_key(make_hashtag(name))] = {
            "en": name,
            **dict(zip(LABEL_LANGUAGES, labels, strict=True)),
        }
    return found


def hashtag_label(hashtag: str, language: str) -> str:
    """Return a hashtag as a reader of ``language`` writes it, without "#": "Cologne" -> "Köln" (de),
    "Colonia" (es); "Strike" -> "Streik", "Huelga". Names the gazetteer does not know (people, companies,
    places it lacks) are written alike in every language and come back as given."""
    labels = hashtag_labels().get(hashtag_key("#" + hashtag.lstrip("#")))
    label = labels.get(language.split("-")[0].lower()) if labels else None
    return label_as_hashtag(label) if label else hashtag.lstrip("#")


def label_as_hashtag(label: str) -> str:
    """Write a label as a hashtag keeping its letters: "Mexiko-Stadt" -> "MexikoStadt", "Ola de calor" ->
    "OlaDeCalor", "Köln" -> "Köln", "EE. UU." -> "EEUU"."""
    parts = [re.sub(r"\W", "", part) for part in re.split(r"[\s\-'’/.]+", label)]
    return "".join(p[:1].upper() + p[1:] for p in parts if p)
