"""`newsdesk classify`: label articles of a JSON-lines file with taxonomy categories."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

BATCH = 256


def read_items(path: Path) -> Iterator[dict[str, Any]]:
    """Objects of a JSON-lines file (blank lines skipped); a bad line stops with its line number."""
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise click.ClickException(f"{path}:{number}: bad JSON: {exc}") from exc
            if not isinstance(item, dict) or "id" not in item:
                raise click.ClickException(f"{path}:{number}: each line needs an object with an id")
            yield item


def as_text(value: object) -> str:
    return value if isinstance(value, str) else ""


def batches(items: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@click.command("classify")
@click.option(
    "--input",
    "input_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help='JSON lines {"id", "title", "text"} (optional "categories": the publisher\'s, "default")',
)
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help='JSON lines {"id", "label", "confidence"}',
)
def command(input_path: Path, out_path: Path) -> None:
    """Give every article of --input a category of the taxonomy, written to --out."""
    from newsdesk.enrich.categories import ArticleText, classify_many

    count = 0
    with out_path.open("w", encoding="utf-8") as out:
        for batch in batches(read_items(input_path), BATCH):
            articles = [
                ArticleText(
                    as_text(item.get("title")),
                    as_text(item.get("text")),
                    tuple(c for c in item.get("categories", []) if isinstance(c, str)),
                    item.get("default") if isinstance(item.get("default"), str) else None,
                )
                for item in batch
            ]
            for item, result in zip(batch, classify_many(articles), strict=True):
                out.write(
                    json.dumps({"id": item["id"], "label": result.label, "confidence": result.confidence})
                    + "\n"
                )
            count += len(batch)
            click.echo(f"\r{count} classified", nl=False, err=True)
    click.echo(f"\n{count} articles labelled in {out_path}", err=True)
