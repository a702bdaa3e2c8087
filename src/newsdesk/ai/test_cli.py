"""`newsdesk summarize` and `newsdesk bench summarize` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from newsdesk.cli.main import cli

ARTICLE = (
    "( cnn ) the council approved a new tram line on tuesday . the line will cost 420 million euros . "
    "construction starts in march . opponents said buses would be better ."
)


def test_summarize_writes_one_line_per_input_with_one_sentence_a_line(tmp_path: Path) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(
        json.dumps({"id": "a", "article": ARTICLE})
        + "\n\nnot json\n"
        + json.dumps({"id": "b", "article": ""})
        + "\n"
        + json.dumps({"no": "id"})
        + "\n",
        "utf-8",
    )
    result = CliRunner().invoke(cli, ["summarize", "--input", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [row["id"] for row in rows] == ["a", "b"]
    lines = rows[0]["summary"].split("\n")
    assert 1 <= len(lines) <= 3 and all(line in ARTICLE for line in lines)
    assert "( cnn )" not in rows[0]["summary"]
    assert rows[1]["summary"] == ""
    assert "skipped=2" in result.output


def test_bench_summarize_prints_both_systems_speed_and_memory(tmp_path: Path) -> None:
    data = tmp_path / "pairs.jsonl"
    pairs = [
        {"id": str(i), "article": ARTICLE, "summary": "council approves tram line .\nit costs 420 million ."}
        for i in range(4)
    ]
    data.write_text("".join(json.dumps(p) + "\n" for p in pairs), "utf-8")
    scores = tmp_path / "scores.jsonl"
    result = CliRunner().invoke(
        cli, ["bench", "summarize", "--data", str(data), "--limit", "3", "--scores", str(scores), "--halves"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.startswith("newsdesk ") and "ROUGE-2" in line and "articles/s" in line for line in lines)
    assert any(line.startswith("lead-3 ") and "ROUGE-Lsum" in line for line in lines)
    assert any(line.startswith("difference newsdesk - lead-3:") for line in lines)
    assert any("peak memory=" in line and "pairs=3" in line for line in lines)
    rows = [json.loads(line) for line in scores.read_text("utf-8").splitlines()]
    assert len(rows) == 3 and set(rows[0]) == {"id", "newsdesk", "lead-3"}
