"""Clustering scores against gold stories: BCubed (primary) and pairwise precision, recall and F1."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class ClusteringScores:
    """The metrics of ../shared/bench/clustering/README.md for one prediction."""

    bcubed_p: float
    bcubed_r: float
    bcubed_f1: float
    pairwise_p: float
    pairwise_r: float
    pairwise_f1: float
    docs: int
    gold_clusters: int
    pred_clusters: int


def f1(p: float, r: float) -> float:
    """Harmonic mean of precision and recall (0 when both are 0)."""
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def pairs(n: int) -> int:
    """Unordered pairs among n items."""
    return n * (n - 1) // 2


def score_clustering(gold: Mapping[str, str], predicted: Mapping[str, str]) -> ClusteringScores:
    """Score a prediction covering every gold id (a missing or unknown id raises ValueError)."""
    missing = [k for k in gold if k not in predicted]
    unknown = [k for k in predicted if k not in gold]
    if missing or unknown:
        raise ValueError(f"{len(missing)} gold ids unpredicted, {len(unknown)} predicted ids not in gold")
    n = len(gold)
    cells = Counter((gold[k], predicted[k]) for k in gold)
    gold_sizes = Counter(gold.values())
    pred_sizes = Counter(predicted[k] for k in gold)
    bp = sum(v * v / pred_sizes[p] for (_, p), v in cells.items()) / n if n else 0.0
    br = sum(v * v / gold_sizes[g] for (g, _), v in cells.items()) / n if n else 0.0
    tp = sum(pairs(v) for v in cells.values())
    pred_pairs = sum(pairs(v) for v in pred_sizes.values())
    gold_pairs = sum(pairs(v) for v in gold_sizes.values())
    pp = tp / pred_pairs if pred_pairs else 0.0
    pr = tp / gold_pairs if gold_pairs else 0.0
    return ClusteringScores(bp, br, f1(bp, br), pp, pr, f1(pp, pr), n, len(gold_sizes), len(pred_sizes))


def per_article_bcubed(
    gold: Mapping[str, str], predicted: Mapping[str, str]
) -> dict[str, tuple[float, float]]:
    """Each article's BCubed precision and recall (the per-item scores the bench can write)."""
    cells = Counter((gold[k], predicted[k]) for k in gold)
    gold_sizes = Counter(gold.values())
    pred_sizes = Counter(predicted[k] for k in gold)
    return {
        k: (
            cells[gold[k], predicted[k]] / pred_sizes[predicted[k]],
            cells[gold[k], predicted[k]] / gold_sizes[gold[k]],
        )
        for k in gold
    }
