"""Benchmark the category classifier on AG News JSON lines: accuracy, macro-F1, per class, items/s, memory.

Taxonomy labels are mapped onto AG's four classes as the benchmark's README says (world, politics →
World; business → Business; technology, science, health → Sci/Tech; sports → Sports); any other label
(entertainment) counts as wrong. The README also allows restricting the classifier to AG's four labels
for the measurement: that is the model's own decision, its group, before a group is refined into finer
labels (entertainment is refined out of world); both are printed. The metric is reimplemented here and
matches the README's evaluate.py.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import click

BATCH = 64


@dataclass(frozen=True)
class GoldItem:
    id: str
    title: str
    text: str
    label: str


@dataclass(frozen=True)
class ClassScore:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Scores:
    n: int
    accuracy: float
    macro_f1: float
    per_class: dict[str, ClassScore]


def load_gold(path: Path, limit: int | None = None) -> list[GoldItem]:
    """Rows {"id", "title", "text", "label"} of a benchmark file."""
    items = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            items.append(GoldItem(str(row["id"]), row.get("title", ""), row.get("text", ""), row["label"]))
    return items[:limit]


def to_ag(label: str) -> str | None:
    """The AG class a taxonomy label counts as (None: counts as wrong)."""
    from newsdesk.enrich.categories import TAXONOMY_TO_AG

    return TAXONOMY_TO_AG.get(label.lower())


def to_ag_group(label: str) -> str | None:
    """The AG class of the group a label was refined from (the classifier restricted to AG's four)."""
    from newsdesk.enrich.categories import AG_TO_GROUP, REFINEMENT

    group = next((g for g, members in REFINEMENT.items() if label.lower() in members), None)
    return next((ag for ag, g in AG_TO_GROUP.items() if g == group), None)


def score(gold: dict[str, str], predicted: dict[str, str | None]) -> Scores:
    """Accuracy and macro-F1 over the gold labels, as the benchmark's evaluate.py computes them."""
    labels = sorted(set(gold.values()))
    tp = dict.fromkeys(labels, 0)
    fn = dict.fromkeys(labels, 0)
    fp: dict[str, int] = {}
    for item_id, truth in gold.items():
        guess = predicted.get(item_id)
        if guess == truth:
            tp[truth] += 1
        else:
            fn[truth] += 1
            if guess is not None:
                fp[guess] = fp.get(guess, 0) + 1
    per_class = {}
    for label in labels:
        t, a, b = tp[label], fp.get(label, 0), fn[label]
        precision = t / (t + a) if t + a else 0.0
        recall = t / (t + b) if t + b else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = ClassScore(precision, recall, f1, t + b)
    n = len(gold)
    accuracy = sum(tp.values()) / n if n else 0.0
    macro = sum(c.f1 for c in per_class.values()) / len(per_class) if per_class else 0.0
    return Scores(n, accuracy, macro, per_class)


def predict(items: Sequence[GoldItem], show_progress: bool = True) -> list[tuple[str, float]]:
    """Taxonomy label and confidence of every item, in batches, with a progress bar on stderr."""
    from newsdesk.enrich.categories import ArticleText, classify_many

    out: list[tuple[str, float]] = []
    starts = range(0, len(items), BATCH)
    with click.progressbar(starts, label="classifying", file=sys.stderr if show_progress else None) as bar:
        for start in bar:
            batch = items[start : start + BATCH]
            results = classify_many([ArticleText(i.title, i.text) for i in batch])
            out.extend((r.label, r.confidence) for r in results)
    return out


def format_lines(scores: Scores, seconds: float, others: int) -> list[str]:
    lines = [
        f"accuracy={scores.accuracy:.4f} macro_f1={scores.macro_f1:.4f} n={scores.n} "
        f"(labels outside AG's classes: {others})"
    ]
    for label, c in scores.per_class.items():
        lines.append(f"  {label:<9} P={c.precision:.4f} R={c.recall:.4f} F1={c.f1:.4f} support={c.support}")
    lines.append(f"items/s={scores.n / seconds:.1f} ({seconds:.1f} s, model loading included)")
    lines.append(f"peak memory={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return lines


@click.command("classify")
@click.option(
    "--data",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="JSON lines {id, title, text, label} (e.g. ../shared/bench/categories/agnews.dev.jsonl)",
)
@click.option("--limit", type=int, default=None, help="Only the first N rows, for quick checks")
@click.option(
    "--scores",
    "scores_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write per-item predictions {id, gold, label, ag_label, confidence, correct} (JSON lines)",
)
@click.option(
    "--predictions",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write {id, label} with AG labels, to check with the benchmark's evaluate.py",
)
def command(data: Path, limit: int | None, scores_path: Path | None, predictions: Path | None) -> None:
    """Accuracy, macro-F1, per-class scores, items/s and peak memory of `newsdesk classify` on DATA."""
    items = load_gold(data, limit)
    started = time.perf_counter()
    labels = predict(items)
    seconds = time.perf_counter() - started
    mapped = {item.id: to_ag(label) for item, (label, _) in zip(items, labels, strict=True)}
    truth = {item.id: item.label for item in items}
    scores = score(truth, mapped)
    for line in format_lines(scores, seconds, sum(1 for v in mapped.values() if v is None)):
        click.echo(line)
    groups = {item.id: to_ag_group(label) for item, (label, _) in zip(items, labels, strict=True)}
    restricted = score(truth, groups)
    click.echo(
        f"restricted to AG's four labels (the README's option): accuracy={restricted.accuracy:.4f} "
        f"macro_f1={restricted.macro_f1:.4f}"
    )
    if scores_path is not None:
        with scores_path.open("w", encoding="utf-8") as out:
            for item, (label, confidence) in zip(items, labels, strict=True):
                row = {
                    "id": item.id,
                    "gold": item.label,
                    "label": label,
                    "ag_label": mapped[item.id],
                    "confidence": confidence,
                    "correct": mapped[item.id] == item.label,
                }
                out.write(json.dumps(row) + "\n")
    if predictions is not None:
        with predictions.open("w", encoding="utf-8") as out:
            for item_id, ag_label in mapped.items():
                out.write(json.dumps({"id": item_id, "label": ag_label}) + "\n")
