"""Our clustering metrics agree with the reference scorer beside the benchmark data."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest

from newsdesk.stories.conftest import BENCH
from newsdesk.stories.metrics import per_article_bcubed, score_clustering
from newsdesk.testing.services import skip_or_fail


def test_known_values() -> None:
    gold = {"a": "x", "b": "x", "c": "y", "d": "y"}
    scores = score_clustering(gold, {"a": "1", "b": "1", "c": "1", "d": "2"})
    assert scores.bcubed_p == pytest.approx((2 / 3 * 2 + 1 / 3 + 1) / 4)
    assert scores.bcubed_r == pytest.approx((1 + 1 + 0.5 + 0.5) / 4)
    assert scores.pairwise_p == pytest.approx(1 / 3) and scores.pairwise_r == pytest.approx(1 / 2)
    assert (scores.gold_clusters, scores.pred_clusters) == (2, 2)
    assert per_article_bcubed(gold, {"a": "1", "b": "1", "c": "1", "d": "2"})["d"] == (1.0, 0.5)
    with pytest.raises(ValueError):
        score_clustering(gold, {"a": "1"})


def test_agrees_with_reference_scorer() -> None:
    path = BENCH / "clustering" / "evaluate.py"
    if not path.exists():
        skip_or_fail(f"benchmark scorer not found at {path}")
    spec = importlib.util.spec_from_file_location("bench_cluster_evaluate", path)
    assert spec is not None and spec.loader is not None
    reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reference)
    rng = random.Random(6)
    for _ in range(5):
        gold = {f"d{i}": f"g{rng.randrange(7)}" for i in range(300)}
        pred = {k: f"p{rng.randrange(rng.choice([3, 12, 40]))}" for k in gold}
        ours = score_clustering(gold, pred)
        ref = reference.evaluate(gold, pred, extended=False)
        for key in ("bcubed_f1", "bcubed_p", "bcubed_r", "pairwise_f1", "pairwise_p", "pairwise_r"):
            assert getattr(ours, key) == pytest.approx(ref[key], abs=1e-12), key
        assert (ours.gold_clusters, ours.pred_clusters) == (ref["gold_clusters"], ref["pred_clusters"])


def test_summarisation_lines_are_read_as_full_articles_without_titles(tmp_path: Path) -> None:
    from newsdesk.stories.stream import read_stream

    path = tmp_path / "cnn.jsonl"
    path.write_text('{"id": "a1", "article": "london ( cnn ) the bridge reopened . crowds cheered ."}\n')
    (record,) = list(read_stream(path))
    assert record.gold is None and record.article.text.startswith("london")
    assert record.article.title == "london ( cnn ) the bridge reopened"
