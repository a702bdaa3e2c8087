"""`newsdesk extract`: extract one page (a file or a URL) or a benchmark folder of pages."""

from __future__ import annotations

import gzip
import json
import sys
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from newsdesk.extract import ExtractedArticle, ExtractionError, Hints, extract_article


def read_source(source: str) -> tuple[bytes, str, str]:
    """Page bytes, URL and Content-Type of a URL (fetched politely) or a file (gzip allowed)."""
    if source.startswith(("http://", "https://")):
        from newsdesk.fetch import FetchError, make_fetcher
        from newsdesk.settings import get_settings

        try:
            result = make_fetcher(get_settings()).fetch(source, kind="page")
        except FetchError as exc:
            raise click.ClickException(f"cannot fetch {source}: {exc}") from exc
        return result.content, result.url, result.content_type
    path = Path(source)
    if not path.is_file():
        raise click.ClickException(f"{source} is neither a file nor an http(s) URL")
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data, path.resolve().as_uri(), ""


def article_json(article: ExtractedArticle) -> dict[str, Any]:
    """The article as plain JSON data: every field, datetimes in ISO 8601, plus the body text."""
    data = asdict(article)
    for key, value in data.items():
        if isinstance(value, datetime):
            data[key] = value.isoformat()
    data["text"] = article.text
    return data


def article_text(article: ExtractedArticle) -> str:
    """The readable article: headline, standfirst, byline line, body, then images with captions."""
    byline = " · ".join(
        part
        for part in (
            ", ".join(article.authors),
            article.agency,
            article.dateline,
            article.published.isoformat() if article.published else "",
        )
        if part
    )
    lines = [article.title, "=" * min(len(article.title), 78)]
    lines += [article.subtitle, ""] if article.subtitle else []
    lines += [byline, ""] if byline else []
    for index, block in enumerate(article.blocks):
        prefix = {"h": "## ", "li": "- ", "quote": "> "}.get(block.kind, "")
        lines += [prefix + block.text, ""]
        for image in article.images:
            if image.after_block == index:
                lines += [
                    f"[image: {image.caption or image.alt}{' — ' + image.credit if image.credit else ''}]",
                    "",
                ]
    return "\n".join(lines).rstrip() + "\n"


def extract_batch(folder: Path, out: Path) -> tuple[int, int]:
    """Extract every DIR/html/<id>.html.gz into {id: {"articleBody", "title", ...}}; (pages, failures)."""
    truth_file = folder / "ground-truth.json"
    urls = {}
    if truth_file.is_file():
        urls = {k: v.get("url", "") for k, v in json.loads(truth_file.read_text("utf-8")).items()}
    files = sorted((folder / "html").glob("*.html.gz"))
    predictions: dict[str, dict[str, Any]] = {}
    failures = 0
    with click.progressbar(files, label="extracting", file=sys.stderr) as bar:
        for file in bar:
            page_id = file.name.removesuffix(".html.gz")
            try:
                article = extract_article(gzip.decompress(file.read_bytes()), urls.get(page_id, ""))
            except ExtractionError as exc:
                predictions[page_id] = {"articleBody": "", "error": str(exc)}
                failures += 1
                continue
            predictions[page_id] = {"articleBody": article.text, **article_json(article)}
    out.write_text(json.dumps(predictions, ensure_ascii=False, sort_keys=True), "utf-8")
    return len(files), failures


@click.command("extract")
@click.argument("source", required=False)
@click.option(
    "--format", "output_format", type=click.Choice(["json", "text"]), default="json", show_default=True
)
@click.option(
    "--batch", type=click.Path(exists=True, file_okay=False, path_type=Path), help="Folder with html/"
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="With --batch: predictions file")
def command(source: str | None, output_format: str, batch: Path | None, out: Path | None) -> None:
    """Extract the article of FILE_OR_URL (JSON or readable text), or of every page of --batch DIR."""
    if batch is not None:
        if out is None or source is not None:
            raise click.UsageError("--batch DIR needs --out PRED.json and no FILE_OR_URL")
        pages, failures = extract_batch(batch, out)
        click.echo(f"{pages} pages, {failures} not articles, predictions in {out}")
        return
    if source is None:
        raise click.UsageError("give a FILE_OR_URL, or --batch DIR --out PRED.json")
    content, url, content_type = read_source(source)
    try:
        article = extract_article(content, url, Hints(content_type=content_type))
    except ExtractionError as exc:
        click.echo(f"not an article: {exc}", err=True)
        sys.exit(1)
    if output_format == "text":
        click.echo(article_text(article), nl=False)
    else:
        click.echo(json.dumps(article_json(article), ensure_ascii=False, indent=2))
