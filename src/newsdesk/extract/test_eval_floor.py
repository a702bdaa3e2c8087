"""Evaluation floors on a fixed benchmark subset: body extraction (the benchmark's metric), dates, authors."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from newsdesk.bench.extraction import (
    BenchPage,
    load_pages,
    newsdesk_body,
    score_page,
    summarize,
    trafilatura_body,
)
from newsdesk.bench.metadata import load_annotations, run_metadata
from newsdesk.testing.services import skip_or_fail

BENCH = Path(__file__).resolve().parents[3] / ".." / "shared" / "bench" / "extraction"
FLOOR = json.loads((Path(__file__).parent / "eval_floor.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def pages() -> list[BenchPage]:
    if not (BENCH / "ground-truth.json").is_file():
        skip_or_fail(f"benchmark data not found at {BENCH.resolve()} (CI has it beside the repository)")
    return load_pages(BENCH, FLOOR["pages"])


def reference_scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("reference_evaluate", BENCH / "evaluate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_body_extraction_stays_above_the_floor(pages: list[BenchPage]) -> None:
    scores = summarize([score_page(p.id, p.truth, newsdesk_body(p)) for p in pages])
    floor = FLOOR["floor"]
    assert scores.pages == len(FLOOR["pages"]) == 25
    assert scores.f1 >= floor["f1"], scores
    assert scores.precision >= floor["precision"], scores
    assert scores.recall >= floor["recall"], scores


def test_newsdesk_beats_trafilatura_on_the_subset(pages: list[BenchPage]) -> None:
    ours = summarize([score_page(p.id, p.truth, newsdesk_body(p)) for p in pages])
    theirs = summarize([score_page(p.id, p.truth, trafilatura_body(p)) for p in pages])
    assert ours.f1 > theirs.f1


def test_our_metric_matches_the_reference_scorer(pages: list[BenchPage]) -> None:
    predictions = {p.id: newsdesk_body(p) for p in pages}
    predictions[pages[0].id] = ""  # an empty prediction is skipped for precision, counted for recall
    predictions[pages[1].id] = "one two"  # a text shorter than a shingle
    ours = summarize([score_page(p.id, p.truth, predictions[p.id]) for p in pages])
    truth = {p.id: {"articleBody": p.truth} for p in pages}
    reference = reference_scorer().score(truth, {k: {"articleBody": v} for k, v in predictions.items()})
    assert ours.precision == pytest.approx(reference["precision"], abs=1e-12)
    assert ours.recall == pytest.approx(reference["recall"], abs=1e-12)
    assert ours.f1 == pytest.approx(reference["f1"], abs=1e-12)


def test_dates_and_authors_stay_above_the_floor_and_level_with_htmldate_and_trafilatura(
    pages: list[BenchPage],
) -> None:
    scores = run_metadata(pages, load_annotations())
    ours, floor = scores["newsdesk"], FLOOR["metadata_floor"]
    assert ours.dates_right >= floor["dates_right"], ours
    assert ours.authors_exact is not None and ours.authors_exact >= floor["authors_exact"], ours
    assert ours.dates_right >= max(scores["htmldate"].dates_right, scores["trafilatura"].dates_right)
    assert ours.authors_exact >= (scores["trafilatura"].authors_exact or 0)
