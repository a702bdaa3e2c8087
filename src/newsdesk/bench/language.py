"""`newsdesk bench language`: newsdesk's detector next to lingua on pages that declare their language."""

from __future__ import annotations

import gzip
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click

from newsdesk.demo.corpus import load_corpus
from newsdesk.enrich.language import detect_language, normalise_declared

DECLARED = re.compile(rb"<html[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.IGNORECASE)
HEAD_BYTES = 50_000

Detector = Callable[[str, str], str]  # (title, text) -> ISO 639-1 code, "" when undecided


@dataclass(frozen=True)
class Sample:
    name: str
    title: str
    text: str
    expected: str


@dataclass(frozen=True)
class DetectorScore:
    right: int
    undecided: int
    total: int
    ms_per_text: float


def extraction_samples(folder: Path) -> list[Sample]:
    """Pages of the extraction set whose <html lang> names a language, with their hand-annotated body."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    samples = []
    for page_id, record in sorted(truth.items()):
        with gzip.open(folder / "html" / f"{page_id}.html.gz") as page:
            head = page.read(HEAD_BYTES)
        found = DECLARED.search(head)
        expected = normalise_declared(found.group(1).decode("ascii")) if found else ""
        if expected and record["articleBody"].strip():
            samples.append(Sample(page_id, "", record["articleBody"], expected))
    return samples


def corpus_samples() -> list[Sample]:
    """The demo corpus's articles (English, German, Spanish), title and body."""
    return [
        Sample(a.id, a.title, "\n".join([a.subtitle, *a.body]), a.lang)
        for a in load_corpus().articles.values()
    ]


def newsdesk_detector() -> Detector:
    return lambda title, text: detect_language(title, text).lang.replace("und", "")


def lingua_detector() -> Detector | None:
    """lingua-language-detector over all its languages (None when the package is not installed)."""
    try:
        from lingua import LanguageDetectorBuilder  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    detector = LanguageDetectorBuilder.from_all_languages().build()

    def detect(title: str, text: str) -> str:
        found = detector.detect_language_of(f"{title}\n\n{text}"[:2_000])
        return found.iso_code_639_1.name.lower() if found is not None else ""

    return detect


def score(detector: Detector, samples: list[Sample]) -> tuple[DetectorScore, list[str]]:
    """How many samples the detector gets right, and the names of those it gets wrong."""
    right = undecided = 0
    wrong: list[str] = []
    started = time.perf_counter()
    for sample in samples:
        found = detector(sample.title, sample.text)
        right += found == sample.expected
        undecided += not found
        if found != sample.expected:
            wrong.append(f"{sample.name[:16]}: {sample.expected} -> {found or '?'}")
    elapsed = time.perf_counter() - started
    return DetectorScore(right, undecided, len(samples), elapsed * 1000 / max(len(samples), 1)), wrong


@click.command("language")
@click.option(
    "--data",
    "data_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("../shared/bench/extraction"),
    show_default=True,
    help="The extraction set (pages that declare their language, with hand-annotated bodies)",
)
@click.option("--show-wrong", is_flag=True, help="List the samples each detector gets wrong")
def command(data_dir: Path, show_wrong: bool) -> None:
    """Compare newsdesk's language detector (py3langid) with lingua on the extraction pages and the demo."""
    detectors: dict[str, Detector] = {"newsdesk (py3langid)": newsdesk_detector()}
    lingua = lingua_detector()
    if lingua is None:
        click.echo("lingua is not installed (pip install 'newsdesk[bench]'): newsdesk only", err=True)
    else:
        detectors["lingua (all languages)"] = lingua
    sets = {"extraction pages": extraction_samples(data_dir), "demo corpus": corpus_samples()}
    click.echo(f"{'set':<18} {'detector':<24} {'right':>9} {'undecided':>9} {'ms/text':>8}")
    for set_name, samples in sets.items():
        for name, detector in detectors.items():
            result, wrong = score(detector, samples)
            click.echo(
                f"{set_name:<18} {name:<24} {result.right:>4}/{result.total:<4} {result.undecided:>9} "
                f"{result.ms_per_text:>8.2f}"
            )
            if show_wrong and wrong:
                click.echo("    wrong: " + "; ".join(wrong))
