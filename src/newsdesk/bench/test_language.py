"""The language benchmark's own pieces: samples from declared languages, and scoring a detector."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from newsdesk.bench.language import Sample, corpus_samples, extraction_samples, newsdesk_detector, score


def test_pages_are_judged_by_the_language_they_declare(tmp_path: Path) -> None:
    (tmp_path / "html").mkdir()
    pages = {
        "a": (b'<html lang="de-DE"><body>x</body></html>', "Die Stadt hat am Montag beschlossen."),
        "b": (b"<html><body>no declared language</body></html>", "Anything at all."),
        "c": (b'<html lang="en"><body>x</body></html>', ""),  # no body: nothing to judge
    }
    for page_id, (html, _) in pages.items():
        with gzip.open(tmp_path / "html" / f"{page_id}.html.gz", "wb") as out:
            out.write(html)
    truth = {
        page_id: {"articleBody": body, "url": "https://x.example/"} for page_id, (_, body) in pages.items()
    }
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth))
    assert extraction_samples(tmp_path) == [Sample("a", "", "Die Stadt hat am Montag beschlossen.", "de")]


def test_the_detector_gets_every_demo_article_and_names_what_it_misses() -> None:
    result, wrong = score(newsdesk_detector(), corpus_samples())
    assert result.right == result.total == 87 and wrong == []
    swapped = [Sample("x", "", "The council voted on Monday to close the bridge for repairs.", "es")]
    assert score(newsdesk_detector(), swapped)[1] == ["x: es -> en"]
