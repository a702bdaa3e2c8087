"""Evaluation floors: BCubed on fixed subsets must not drop below the values in floors.json."""

from __future__ import annotations

import json
from itertools import islice
from pathlib import Path

import pytest

from newsdesk.models import Embedder
from newsdesk.stories.conftest import BENCH, TESTDATA
from newsdesk.stories.metrics import score_clustering
from newsdesk.stories.stories import StoryClusterer
from newsdesk.stories.stream import StreamRecord, cluster_stream, read_stream
from newsdesk.testing.services import skip_or_fail

FLOORS = json.loads((Path(__file__).parent / "floors.json").read_text(encoding="utf-8"))


def bcubed_f1(records: list[StreamRecord], embedder: Embedder) -> float:
    assigned = cluster_stream(records, StoryClusterer(embedder))
    gold = {r.article.id: str(r.gold) for r in records}
    return score_clustering(gold, assigned).bcubed_f1


def test_uci_first_day_floor(embedder: Embedder) -> None:
    floor = FLOORS["uci_dev_first_day"]
    path = BENCH / "clustering" / floor["file"]
    if not path.exists():
        skip_or_fail(f"benchmark data not found at {path}")
    records = list(islice(read_stream(path), floor["lines"]))
    assert {r.article.published.date().isoformat() for r in records} == {floor["day"]}  # type: ignore[union-attr]
    assert bcubed_f1(records, embedder) >= floor["bcubed_f1"]


@pytest.mark.parametrize(
    "name", ["multilingual_stream", "multilingual_lookalikes", "developing_stream", "developing_2_stream"]
)
def test_multilingual_stream_floor(embedder: Embedder, name: str) -> None:
    floor = FLOORS[name]
    records = list(read_stream(TESTDATA / floor["file"]))
    assert bcubed_f1(records, embedder) >= floor["bcubed_f1"]
