"""Benchmark article-body extraction: newsdesk against trafilatura on the same pages, in the same run."""

from __future__ import annotations

import gzip
import json
import re
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import click

TOKEN = re.compile(r"\w+")
SHINGLE = 4


@dataclass(frozen=True)
class BenchPage:
    id: str
    url: str
    html: bytes
    truth: str


@dataclass(frozen=True)
class PageScore:
    """Shingle counts of one page: shared (tp), predicted extras (fp), missed truth (fn)."""

    id: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0


@dataclass(frozen=True)
class BodyScores:
    pages: int
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class SystemRun:
    name: str
    bodies: dict[str, str]
    errors: int
    wall_seconds: float
    cpu_seconds: float


def shingles(text: str, size: int = SHINGLE) -> Counter[tuple[str, ...]]:
    """The multiset of runs of ``size`` consecutive \\w+ tokens (one shorter shingle for a short text)."""
    tokens = TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    return Counter(tuple(tokens[i : i + size]) for i in range(max(1, len(tokens) - size + 1)))


def score_page(page_id: str, truth: str, prediction: str) -> PageScore:
    """Match predicted and true shingles as multisets."""
    true, predicted = shingles(truth), shingles(prediction)
    return PageScore(
        page_id,
        tp=sum((true & predicted).values()),
        fp=sum((predicted - true).values()),
        fn=sum((true - predicted).values()),
    )


def summarize(scores: Sequence[PageScore]) -> BodyScores:
    """Mean precision over pages with a prediction, mean recall over pages with a truth, F1 of the means."""
    precisions = [s.precision for s in scores if s.tp + s.fp > 0]
    recalls = [s.recall for s in scores if s.tp + s.fn > 0]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BodyScores(len(scores), precision, recall, f1)


def load_pages(data: Path, ids: Iterable[str] | None = None) -> list[BenchPage]:
    """Read the ground truth and the gunzipped pages (all, or the given ids) of a benchmark folder."""
    truth = json.loads((data / "ground-truth.json").read_text("utf-8"))
    chosen = list(ids) if ids is not None else sorted(truth)
    return [
        BenchPage(
            page_id,
            truth[page_id].get("url", ""),
            gzip.decompress((data / "html" / f"{page_id}.html.gz").read_bytes()),
            truth[page_id].get("articleBody", ""),
        )
        for page_id in chosen
    ]


def newsdesk_body(page: BenchPage) -> str:
    """Our body: the text of the extracted blocks, one per line; empty when the page is not an article."""
    from newsdesk.extract import ExtractionError, extract_article

    try:
        return extract_article(page.html, page.url).text
    except ExtractionError:
        return ""


def trafilatura_body(page: BenchPage) -> str:
    """trafilatura with the benchmark's reference settings, given the decoded page as evaluate.py does."""
    import trafilatura

    return trafilatura.extract(page.html.decode("utf-8"), include_comments=False) or ""


def run_system(
    name: str, extract: Callable[[BenchPage], str], pages: Sequence[BenchPage], show_progress: bool = True
) -> SystemRun:
    """Run one extractor over the pages (after one untimed warm-up), timing extraction alone."""
    from trafilatura.meta import reset_caches

    extract(pages[0])
    reset_caches()  # neither system profits from caches the other (or the warm-up) filled
    bodies: dict[str, str] = {}
    errors, wall, cpu = 0, 0.0, 0.0
    with click.progressbar(pages, label=f"{name:<12}", file=sys.stderr if show_progress else None) as bar:
        for page in bar:
            wall_start, cpu_start = time.perf_counter(), time.process_time()
            try:
                bodies[page.id] = extract(page)
            except Exception as exc:  # a crash scores as an empty body, as in the reference scorer
                click.echo(f"{name} failed on {page.id}: {exc!r}"[:300], err=True)
                bodies[page.id], errors = "", errors + 1
            wall += time.perf_counter() - wall_start
            cpu += time.process_time() - cpu_start
    return SystemRun(name, bodies, errors, wall, cpu)


def run_rounds(
    systems: Sequence[tuple[str, Callable[[BenchPage], str]]], pages: Sequence[BenchPage], rounds: int
) -> list[SystemRun]:
    """Run the systems in turn, ``rounds`` times, and keep each one's fastest round (its bodies are the same
    every round): one pass of each is too short to tell a 1.2x speed difference from the machine's noise."""
    best: dict[str, SystemRun] = {}
    for _ in range(rounds):
        for name, extract in systems:
            run = run_system(name, extract, pages)
            if name not in best or run.cpu_seconds < best[name].cpu_seconds:
                best[name] = run
    return [best[name] for name, _ in systems]


def score_run(run: SystemRun, pages: Sequence[BenchPage]) -> list[PageScore]:
    return [score_page(page.id, page.truth, run.bodies[page.id]) for page in pages]


def format_line(run: SystemRun, scores: BodyScores) -> str:
    return (
        f"{run.name:<12} P={scores.precision:.4f} R={scores.recall:.4f} F1={scores.f1:.4f}  "
        f"{scores.pages / run.wall_seconds:.1f} pages/s ({scores.pages / run.cpu_seconds:.1f} pages/s CPU)"
        f"  errors={run.errors}"
    )


def write_scores(path: Path, pages: Sequence[BenchPage], results: dict[str, list[PageScore]]) -> None:
    """Per page and system: tp, fp, fn, precision, recall (JSON lines, one page per line)."""
    with path.open("w", encoding="utf-8") as out:
        for index, page in enumerate(pages):
            row: dict[str, object] = {"id": page.id, "url": page.url}
            for name, scores in results.items():
                score = scores[index]
                row[name] = {
                    "tp": score.tp,
                    "fp": score.fp,
                    "fn": score.fn,
                    "precision": round(score.precision, 4),
                    "recall": round(score.recall, 4),
                }
            out.write(json.dumps(row) + "\n")


@click.command("extract")
@click.option(
    "--data",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    required=True,
    help="Benchmark folder: html/<id>.html.gz and ground-truth.json",
)
@click.option(
    "--scores",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("bench-extract-scores.jsonl"),
    show_default=True,
    help="Where to write per-page scores of both systems (JSON lines)",
)
@click.option(
    "--predictions",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write newsdesk's bodies as {id: {articleBody}} (to check with the benchmark's evaluate.py)",
)
@click.option("--limit", type=int, default=None, help="Only the first N pages (by id), for quick checks")
@click.option(
    "--rounds",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Times each system runs over the pages, in turn; each one's fastest round is reported",
)
@click.option(
    "--metadata/--no-metadata",
    default=True,
    show_default=True,
    help="Also score publication dates and authors (newsdesk, htmldate, trafilatura) on the annotated pages",
)
def command(
    data: Path, scores: Path, predictions: Path | None, limit: int | None, rounds: int, metadata: bool
) -> None:
    """Body precision/recall/F1 and pages/s of newsdesk and of trafilatura on the same pages."""
    pages = load_pages(data)[:limit]
    runs = run_rounds([("trafilatura", trafilatura_body), ("newsdesk", newsdesk_body)], pages, rounds)
    results = {run.name: score_run(run, pages) for run in runs}
    for run in runs:
        click.echo(format_line(run, summarize(results[run.name])))
    ours, theirs = runs[1], runs[0]
    click.echo(
        f"speed ratio newsdesk/trafilatura: {theirs.wall_seconds / ours.wall_seconds:.2f} (wall), "
        f"{theirs.cpu_seconds / ours.cpu_seconds:.2f} (CPU)"
    )
    if metadata:
        from newsdesk.bench.metadata import format_meta_line, load_annotations, run_metadata

        click.echo(
            "metadata (hand-annotated publication days and authors, bench/data/extraction_metadata.json):"
        )
        for name, meta_scores in run_metadata(pages, load_annotations()).items():
            click.echo(format_meta_line(name, meta_scores))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    click.echo(f"pages={len(pages)} peak memory={peak_mb:.0f} MB scores={scores}")
    write_scores(scores, pages, results)
    if predictions is not None:
        bodies = {page_id: {"articleBody": body} for page_id, body in ours.bodies.items()}
        predictions.write_text(json.dumps(bodies, ensure_ascii=False), "utf-8")
