"""Benchmark article summaries: newsdesk against Lead-3 on the same CNN/Daily Mail pairs, in the same run."""

from __future__ import annotations

import importlib
import io
import json
import resource
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

METRICS = ("rouge1", "rouge2", "rougeLsum")
LABELS = {"rouge1": "ROUGE-1", "rouge2": "ROUGE-2", "rougeLsum": "ROUGE-Lsum"}
SENTENCE_ENDS = {".", "!", "?"}


@dataclass(frozen=True)
class SummaryPair:
    id: str
    article: str
    summary: str


@dataclass(frozen=True)
class SystemRun:
    name: str
    summaries: dict[str, str]  # id -> sentences, one a line
    wall_seconds: float
    errors: int


def load_pairs(path: Path, limit: int | None = None) -> list[SummaryPair]:
    """The benchmark's JSON lines {id, article, summary}, in file order (the first `limit` only)."""
    pairs: list[SummaryPair] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                row = json.loads(line)
                pairs.append(SummaryPair(row["id"], row["article"], row["summary"]))
            if limit is not None and len(pairs) >= limit:
                break
    return pairs


def newsdesk_summary(article: str) -> list[str]:
    """Our offline article summary of a benchmark article (English, as the whole set is)."""
    from newsdesk.ai import summarize_article

    return summarize_article("", article, "en").sentences


def lead3_summary(article: str) -> list[str]:
    """Lead-3 as the benchmark's README measures it: the first 3 sentences split at ./!/? tokens."""
    sentences: list[str] = []
    current: list[str] = []
    for token in article.split():
        current.append(token)
        if token in SENTENCE_ENDS:
            sentences.append(" ".join(current))
            current = []
            if len(sentences) == 3:
                break
    if current and len(sentences) < 3:
        sentences.append(" ".join(current))
    return sentences


def run_system(
    name: str, summarize: Callable[[str], list[str]], pairs: Sequence[SummaryPair], show_progress: bool = True
) -> SystemRun:
    """Summarise every pair's article, timing the summariser alone; a crash scores as an empty summary."""
    summaries: dict[str, str] = {}
    errors, wall = 0, 0.0
    output = sys.stderr if show_progress else io.StringIO()
    with click.progressbar(pairs, label=f"{name:<9}", file=output) as bar:
        for pair in bar:
            start = time.perf_counter()
            try:
                summaries[pair.id] = "\n".join(summarize(pair.article))
            except Exception as exc:  # scored as an empty summary, as a missing prediction is
                click.echo(f"{name} failed on {pair.id}: {exc!r}"[:300], err=True)
                summaries[pair.id], errors = "", errors + 1
            wall += time.perf_counter() - start
    return SystemRun(name, summaries, wall, errors)


def rouge_scorer() -> Any:
    """rouge-score's scorer with the benchmark's settings (stemming; Lsum sentences are the lines)."""
    module = importlib.import_module("rouge_score.rouge_scorer")
    return module.RougeScorer(list(METRICS), use_stemmer=True, split_summaries=False)


def score_pair(scorer: Any, reference: str, prediction: str) -> dict[str, float]:
    """F1 of each metric for one pair, blank lines dropped from both sides as evaluate.py does."""
    reference = "\n".join(line.strip() for line in reference.split("\n") if line.strip())
    prediction = "\n".join(line.strip() for line in prediction.split("\n") if line.strip())
    scores = scorer.score(reference, prediction)
    return {metric: float(scores[metric].fmeasure) for metric in METRICS}


def score_run(run: SystemRun, pairs: Sequence[SummaryPair], scorer: Any) -> list[dict[str, float]]:
    return [score_pair(scorer, pair.summary, run.summaries[pair.id]) for pair in pairs]


def mean_scores(scores: Sequence[dict[str, float]]) -> dict[str, float]:
    """Mean F1 ×100 of each metric."""
    if not scores:
        return dict.fromkeys(METRICS, 0.0)
    return {metric: 100.0 * sum(s[metric] for s in scores) / len(scores) for metric in METRICS}


def format_scores(label: str, means: dict[str, float]) -> str:
    return "  ".join([f"{label:<9}", *(f"{LABELS[m]} {means[m]:.2f}" for m in METRICS)])


def format_line(run: SystemRun, means: dict[str, float], pairs: int) -> str:
    speed = pairs / run.wall_seconds if run.wall_seconds else float("inf")
    return f"{format_scores(run.name, means)}  {speed:.1f} articles/s  errors={run.errors}"


def format_difference(ours: dict[str, float], theirs: dict[str, float]) -> str:
    return "difference newsdesk - lead-3: " + "  ".join(
        f"{LABELS[m]} {ours[m] - theirs[m]:+.2f}" for m in METRICS
    )


def write_scores(path: Path, pairs: Sequence[SummaryPair], runs: Sequence[SystemRun], scores: Any) -> None:
    """Per pair and system: the summary and its three F1 scores (JSON lines)."""
    with path.open("w", encoding="utf-8") as out:
        for index, pair in enumerate(pairs):
            row: dict[str, Any] = {"id": pair.id}
            for run in runs:
                item = {m: round(scores[run.name][index][m], 4) for m in METRICS}
                row[run.name] = {**item, "summary": run.summaries[pair.id]}
            out.write(json.dumps(row) + "\n")


def half_lines(pairs: Sequence[SummaryPair], runs: Sequence[SystemRun], scores: Any) -> list[str]:
    """Scores of each system on the first and the second half of the pairs (a check of generalisation)."""
    middle = len(pairs) // 2
    lines = []
    for label, part in (("first half", slice(0, middle)), ("second half", slice(middle, None))):
        for run in runs:
            means = mean_scores(scores[run.name][part])
            lines.append(f"{label} ({len(pairs[part])} pairs) {format_scores(run.name, means)}")
    return lines


@click.command("summarize")
@click.option(
    "--data",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="Benchmark JSON lines {id, article, summary}, e.g. ../shared/bench/summarization/cnn.dev.jsonl",
)
@click.option("--limit", type=int, default=None, help="Only the first N pairs, for quick checks")
@click.option(
    "--scores",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write per-pair summaries and scores of both systems here (JSON lines)",
)
@click.option("--halves", is_flag=True, help="Also print scores on the first and second half of the pairs")
def command(data: Path, limit: int | None, scores: Path | None, halves: bool) -> None:
    """ROUGE-1/2/Lsum F1 (×100) and articles/s of newsdesk and of Lead-3 on the same pairs."""
    pairs = load_pairs(data, limit)
    if not pairs:
        raise click.ClickException(f"no pairs in {data}")
    newsdesk_summary(pairs[0].article)  # warm-up: imports and caches
    runs = [run_system("newsdesk", newsdesk_summary, pairs), run_system("lead-3", lead3_summary, pairs)]
    scorer = rouge_scorer()
    per_pair = {run.name: score_run(run, pairs, scorer) for run in runs}
    means = {run.name: mean_scores(per_pair[run.name]) for run in runs}
    for run in runs:
        click.echo(format_line(run, means[run.name], len(pairs)))
    click.echo(format_difference(means["newsdesk"], means["lead-3"]))
    if halves:
        for line in half_lines(pairs, runs, per_pair):
            click.echo(line)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    click.echo(f"pairs={len(pairs)} data={data.name} peak memory={peak_mb:.0f} MB")
    if scores is not None:
        write_scores(scores, pairs, runs, per_pair)
