"""Tests of the shared embedding module and of `newsdesk cluster` / `newsdesk bench cluster`."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from newsdesk.bench.clustering import command as bench_command
from newsdesk.cli.cluster_cmd import command as cluster_command
from newsdesk.models import Embedder, EmbeddingModelMissing, use
from newsdesk.stories.conftest import TESTDATA


def test_vectors_are_unit_float32_and_cross_lingual(embedder: Embedder) -> None:
    vectors = embedder.encode(
        [
            "Earthquake kills seven people in the coastal city",
            "Erdbeben tötet sieben Menschen in der Küstenstadt",
            "The football club won the cup final",
            "",
        ]
    )
    assert vectors.dtype == np.float32 and vectors.shape == (4, embedder.dim)
    assert np.allclose(np.linalg.norm(vectors[:3], axis=1), 1.0, atol=1e-5)
    assert not vectors[3].any()
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


def test_missing_model_package_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(name: str) -> None:
        raise ImportError(name)

    monkeypatch.setattr(use.importlib, "import_module", refuse)
    with pytest.raises(EmbeddingModelMissing, match="pip install"):
        use.import_model_package(use.DEFAULT_MODEL)
    with pytest.raises(ValueError, match="unknown embedding model"):
        use.import_model_package("no-such-model")


def test_cluster_command_writes_every_id(tmp_path: Path) -> None:
    out = tmp_path / "assign.json"
    result = CliRunner().invoke(
        cluster_command, ["--input", str(TESTDATA / "multilingual.jsonl"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assigned = json.loads(out.read_text())
    ids = [json.loads(line)["id"] for line in (TESTDATA / "multilingual.jsonl").read_text().splitlines()]
    assert sorted(assigned) == sorted(ids)
    assert assigned["m27"] == assigned["m08"]


def test_bench_command_prints_metrics(tmp_path: Path) -> None:
    scores = tmp_path / "scores.json"
    result = CliRunner().invoke(
        bench_command, ["--data", str(TESTDATA / "multilingual.jsonl"), "--scores", str(scores)]
    )
    assert result.exit_code == 0, result.output
    assert "bcubed: P=" in result.output and "pairwise: P=" in result.output
    assert "articles/s" in result.output and "peak memory:" in result.output
    assert "gold=10" in result.output
    assert len(json.loads(scores.read_text())) == 29
