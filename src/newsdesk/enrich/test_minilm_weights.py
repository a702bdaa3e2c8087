"""MiniLM's weights by name and adapters merged into them: exact when empty, checked when wrong."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from newsdesk.enrich.minilm import ADAPTER_PATH, embed_english, load_minilm, model_path
from newsdesk.enrich.minilm_weights import (
    Adapter,
    OnnxWeights,
    load_adapter,
    override_initializers,
    quantise_columns,
    read_weights,
    save_adapter,
)

TEXTS = ["Shares of the chip maker fell after its profit missed forecasts.", "The striker scored twice."]


@pytest.fixture(scope="module")
def weights() -> OnnxWeights:
    return read_weights(model_path())


def empty_adapter(weights: OnnxWeights, **changes: object) -> Adapter:
    name = "inner.encoder.layer.0.attention.self.query.weight"
    rows, columns = weights.params[name].shape
    fields: dict[str, object] = {
        "lora": {name: (np.ones((rows, 2), np.float32), np.zeros((2, columns), np.float32))},
        "lora_scale": 2.0,
        "replaced": {},
        "head_weight": np.zeros((rows, 4), np.float32),
        "head_bias": np.zeros(4, np.float32),
    }
    fields.update(changes)
    return Adapter(**fields)  # type: ignore[arg-type]


def test_every_linear_matrix_of_the_six_layers_is_found_under_its_model_name(weights: OnnxWeights) -> None:
    shapes = {
        "attention.self.query": (384, 384),
        "attention.self.key": (384, 384),
        "attention.self.value": (384, 384),
        "attention.output.dense": (384, 384),
        "intermediate.dense": (384, 1536),
        "output.dense": (1536, 384),
    }
    for layer in range(6):
        for part, shape in shapes.items():
            name = f"inner.encoder.layer.{layer}.{part}.weight"
            assert weights.params[name].shape == shape and name in weights.quantised
            assert weights.params[name.replace(".weight", ".bias")].shape == (shape[1],)
    assert weights.params["inner.embeddings.word_embeddings.weight"].shape == (30522, 384)


def test_quantising_by_column_keeps_values_within_half_a_step() -> None:
    matrix = np.random.default_rng(1).normal(size=(64, 8)).astype(np.float32)
    values, scale = quantise_columns(matrix)
    assert values.dtype == np.int8 and scale.shape == (1, 8)
    assert np.all(np.abs(values * scale - matrix) <= scale / 2 + 1e-7)
    assert np.array_equal(quantise_columns(values * scale)[0], values)


def test_an_adapter_that_changes_nothing_gives_the_plain_models_vectors(
    tmp_path: Path, weights: OnnxWeights
) -> None:
    path = tmp_path / "empty.npz"
    save_adapter(path, empty_adapter(weights))
    overrides = override_initializers(weights, load_adapter(path))
    assert set(overrides) == {
        n + s
        for n in [weights.source["inner.encoder.layer.0.attention.self.query.weight"]]
        for s in ("_q", "_scale")
    }
    assert np.allclose(embed_english(TEXTS, path), embed_english(TEXTS), atol=1e-5)


def test_a_changed_bias_changes_the_vectors(tmp_path: Path, weights: OnnxWeights) -> None:
    name = "inner.encoder.layer.5.output.dense.bias"
    path = tmp_path / "bias.npz"
    shift = np.random.default_rng(2).normal(size=384).astype(np.float32)  # not constant: LayerNorm follows
    save_adapter(path, empty_adapter(weights, replaced={name: weights.params[name] + shift}))
    assert override_initializers(weights, load_adapter(path))[name].shape == (384,)
    changed, plain = embed_english(TEXTS, path), embed_english(TEXTS)
    assert not np.allclose(changed, plain, atol=1e-3)


def test_a_low_rank_update_of_a_quantised_matrix_changes_the_vectors(
    tmp_path: Path, weights: OnnxWeights
) -> None:
    name = "inner.encoder.layer.2.intermediate.dense.weight"
    rows, columns = weights.params[name].shape
    rng = np.random.default_rng(3)
    update = (
        rng.normal(size=(rows, 2)).astype(np.float32),
        rng.normal(size=(2, columns)).astype(np.float32) * 0.05,
    )
    path = tmp_path / "lora.npz"
    save_adapter(path, empty_adapter(weights, lora={name: update}))
    assert not np.allclose(embed_english(TEXTS, path), embed_english(TEXTS), atol=1e-3)


def test_an_adapter_for_another_model_is_refused(weights: OnnxWeights) -> None:
    with pytest.raises(ValueError, match="does not have"):
        override_initializers(weights, empty_adapter(weights, replaced={"inner.no.such.bias": np.zeros(3)}))
    name = "inner.encoder.layer.0.output.dense.bias"
    with pytest.raises(ValueError, match="shape"):
        override_initializers(weights, empty_adapter(weights, replaced={name: np.zeros(5, np.float32)}))


def test_an_adapter_survives_saving_and_loading(tmp_path: Path, weights: OnnxWeights) -> None:
    adapter = empty_adapter(weights, meta={"rows": 3})
    save_adapter(tmp_path / "a.npz", adapter)
    loaded = load_adapter(tmp_path / "a.npz")
    assert loaded.lora_scale == 2.0 and loaded.meta == {"rows": 3}
    assert all(
        np.array_equal(x, y)
        for x, y in zip(loaded.lora[next(iter(adapter.lora))], next(iter(adapter.lora.values())), strict=True)
    )


def test_the_shipped_adapter_is_small_and_records_how_it_was_trained() -> None:
    assert ADAPTER_PATH.stat().st_size < 3_000_000
    adapter = load_minilm(ADAPTER_PATH).adapter
    assert adapter is not None and adapter.head_weight.shape == (384, 4)
    assert adapter.meta["rows"] == 5558 and adapter.meta["classes"] == [
        "world",
        "sports",
        "business",
        "technology",
    ]
    assert len(adapter.lora) == 36 and adapter.lora_scale > 0
