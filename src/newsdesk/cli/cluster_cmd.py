"""`newsdesk cluster`: assign the articles of a stream file to stories online and write {id: story id}."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click


@click.command("cluster")
@click.option(
    "--input", "input_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def command(input_path: Path, out: Path) -> None:
    """Read STREAM.jsonl in order (title, text when present), cluster online, write ASSIGN.json."""
    from newsdesk.models import EmbeddingModelMissing, load_embedder
    from newsdesk.stories.stories import StoryClusterer
    from newsdesk.stories.stream import StreamError, cluster_stream, read_stream

    try:
        records = list(read_stream(input_path))
        clusterer = StoryClusterer(load_embedder())
    except (StreamError, EmbeddingModelMissing) as exc:
        raise click.ClickException(str(exc)) from exc
    with click.progressbar(length=len(records), label="clustering", file=sys.stderr) as bar:
        assigned = cluster_stream(records, clusterer, on_batch=bar.update)
    out.write_text(json.dumps(assigned, indent=0), encoding="utf-8")
    click.echo(f"{len(assigned)} articles in {len(set(assigned.values()))} stories -> {out}")
