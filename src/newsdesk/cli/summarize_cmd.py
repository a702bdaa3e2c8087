"""`newsdesk summarize`: summarise JSON lines {id, article} into {id, summary} (one sentence a line)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Any

import click


def summarize_lines(source: IO[str], out: IO[str], language: str, sentences: int) -> tuple[int, int]:
    """Summarise each input line; a line that is not a JSON object with an id is reported and skipped.

    Returns (summaries written, lines skipped).
    """
    from newsdesk.ai import summarize_article

    written = skipped = 0
    for number, line in enumerate(source, 1):
        if not line.strip():
            continue
        row = _parse(line)
        if row is None:
            click.echo(f'line {number}: not a JSON object with an "id"; skipped', err=True)
            skipped += 1
            continue
        article = row.get("article") or row.get("text") or ""
        text = article if isinstance(article, str) else ""
        summary = summarize_article(str(row.get("title") or ""), text, language, max_sentences=sentences)
        out.write(json.dumps({"id": row["id"], "summary": summary.text}, ensure_ascii=False) + "\n")
        written += 1
    return written, skipped


def _parse(line: str) -> dict[str, Any] | None:
    try:
        row = json.loads(line)
    except ValueError:
        return None
    return row if isinstance(row, dict) and "id" in row else None


@click.command("summarize")
@click.option(
    "--input",
    "input_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="JSON lines {id, article} (title and text are read too when present)",
)
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write JSON lines {id, summary}",
)
@click.option("--language", default="en", show_default=True, help="Language of the articles")
@click.option(
    "--sentences",
    default=3,
    show_default=True,
    type=click.IntRange(1, 10),
    help="Sentences per summary at most",
)
def command(input_path: Path, out_path: Path, language: str, sentences: int) -> None:
    """Summarise articles offline (extractive), one JSON line each, in the input's order."""
    with input_path.open(encoding="utf-8") as source, out_path.open("w", encoding="utf-8") as out:
        written, skipped = summarize_lines(source, out, language, sentences)
    click.echo(f"summaries={written} skipped={skipped} out={out_path}", err=True)
    if skipped and not written:
        sys.exit(1)
