"""`newsdesk bench cluster`: run online story clustering over a stream file and score it against its gold."""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import click

from newsdesk.stories.metrics import ClusteringScores, per_article_bcubed, score_clustering
from newsdesk.stories.stream import StreamRecord, cluster_stream, read_stream


def peak_memory_mib() -> float:
    """Peak resident memory of this process so far, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def format_scores(scores: ClusteringScores) -> list[str]:
    """The metric lines the bench prints."""
    return [
        f"bcubed: P={scores.bcubed_p:.4f} R={scores.bcubed_r:.4f} F1={scores.bcubed_f1:.4f}",
        f"pairwise: P={scores.pairwise_p:.4f} R={scores.pairwise_r:.4f} F1={scores.pairwise_f1:.4f}",
        f"clusters: predicted={scores.pred_clusters} gold={scores.gold_clusters} docs={scores.docs}",
    ]


def run_clustering(records: list[StreamRecord]) -> tuple[dict[str, str], float]:
    """Cluster the records with the default model and settings; return the assignment and seconds taken."""
    from newsdesk.models import load_embedder
    from newsdesk.stories.stories import StoryClusterer

    clusterer = StoryClusterer(load_embedder())
    started = time.perf_counter()
    with click.progressbar(length=len(records), label="clustering", file=sys.stderr) as bar:
        assigned = cluster_stream(records, clusterer, on_batch=bar.update)
    return assigned, time.perf_counter() - started


@click.command("cluster")
@click.option("--data", "data", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), help="Write {id: story} here")
@click.option(
    "--scores", "scores_path", type=click.Path(dir_okay=False, path_type=Path), help="Per-article P/R JSON"
)
def command(data: Path, out: Path | None, scores_path: Path | None) -> None:
    """Cluster a stream (JSON Lines) online and print BCubed and pairwise (with gold), speed and memory."""
    records = list(read_stream(data))
    gold = {r.article.id: r.gold for r in records if r.gold is not None}
    if gold and len(gold) != len(records):
        raise click.UsageError(f"{data}: every record needs a 'gold' story to be scored, or none")
    assigned, seconds = run_clustering(records)
    if out is not None:
        out.write_text(json.dumps(assigned, indent=0), encoding="utf-8")
    if scores_path is not None and gold:
        per_item = {k: {"p": p, "r": r} for k, (p, r) in per_article_bcubed(gold, assigned).items()}
        scores_path.write_text(json.dumps(per_item, indent=0), encoding="utf-8")
    if gold:
        for line in format_scores(score_clustering(gold, assigned)):
            click.echo(line)
    else:  # e.g. the summarisation sets' full articles: speed and memory only
        words = sum(len(r.article.text.split()) for r in records) / max(len(records), 1)
        click.echo(f"no gold stories: speed only ({words:.0f} words per article on average)")
    click.echo(
        f"speed: {len(records) / max(seconds, 1e-9):.1f} articles/s ({len(records)} in {seconds:.1f} s)"
    )
    click.echo(f"peak memory: {peak_memory_mib():.0f} MiB")
