"""Evaluation floor: offline article summaries on a fixed benchmark subset, scored with rouge-score."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from newsdesk.bench.summarization import (
    SummaryPair,
    lead3_summary,
    load_pairs,
    mean_scores,
    newsdesk_summary,
    rouge_scorer,
    run_system,
    score_run,
)
from newsdesk.testing.services import skip_or_fail

BENCH = Path(__file__).resolve().parents[3] / ".." / "shared" / "bench" / "summarization"
FLOOR = json.loads((Path(__file__).parent / "eval_floor.json").read_text("utf-8"))


def subset(name: str) -> list[SummaryPair]:
    path = BENCH / f"{name}.dev.jsonl"
    if not path.is_file():
        skip_or_fail(f"benchmark data not found at {path.resolve()} (CI has it beside the repository)")
    wanted = FLOOR["pairs"][name]
    by_id = {pair.id: pair for pair in load_pairs(path)}
    return [by_id[pair_id] for pair_id in wanted]


@pytest.mark.parametrize("name", ["cnn", "dailymail"])
def test_summaries_stay_above_the_floor(name: str) -> None:
    pairs = subset(name)
    assert len(pairs) == 100
    run = run_system("newsdesk", newsdesk_summary, pairs, show_progress=False)
    means = mean_scores(score_run(run, pairs, rouge_scorer()))
    for metric, floor in FLOOR["floor"][name].items():
        assert means[metric] >= floor, (metric, means)
    assert run.errors == 0


@pytest.mark.parametrize("name", ["cnn", "dailymail"])
def test_summaries_are_not_worse_than_lead3_on_the_subset(name: str) -> None:
    pairs = subset(name)
    scorer = rouge_scorer()
    ours = mean_scores(score_run(run_system("newsdesk", newsdesk_summary, pairs, False), pairs, scorer))
    lead = mean_scores(score_run(run_system("lead-3", lead3_summary, pairs, False), pairs, scorer))
    assert ours["rouge1"] > lead["rouge1"] and ours["rougeLsum"] > lead["rougeLsum"], (ours, lead)
    assert ours["rouge2"] > lead["rouge2"] - 0.5, (ours, lead)


def reference_scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("reference_summarization_evaluate", BENCH / "evaluate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_our_scores_match_the_reference_scorer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pairs = subset("cnn")[:30]
    run = run_system("lead-3", lead3_summary, pairs, show_progress=False)
    run.summaries[pairs[0].id] = ""  # an empty prediction scores 0 on both sides
    ours = mean_scores(score_run(run, pairs, rouge_scorer()))
    gold, pred = tmp_path / "gold.jsonl", tmp_path / "pred.jsonl"
    gold.write_text("".join(json.dumps(p.__dict__) + "\n" for p in pairs), "utf-8")
    pred.write_text(
        "".join(json.dumps({"id": i, "summary": s}) + "\n" for i, s in run.summaries.items()), "utf-8"
    )
    reference_scorer().main(["--data", str(gold), "--pred", str(pred)])
    theirs = json.loads(capsys.readouterr().out)
    for metric in ("rouge1", "rouge2", "rougeLsum"):
        assert round(ours[metric], 2) == pytest.approx(theirs[metric], abs=0.006)


def test_lead3_splits_at_sentence_tokens_as_the_readme_says() -> None:
    article = 'he said " hi . " then left ! why ? no more . extra words'
    assert lead3_summary(article) == ['he said " hi .', '" then left !', "why ?"]
    assert lead3_summary("no end mark at all") == ["no end mark at all"]
