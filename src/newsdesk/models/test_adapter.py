"""Adapters: merged by name, refused when they name what the model lacks, the same after saving."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from newsdesk.models.adapter import Adapter, adapted_params, load_adapter, save_adapter

PARAMS = {"l0.q.w": np.eye(3, dtype=np.float32), "l0.q.b": np.zeros(3, np.float32)}


def adapter(**changes: object) -> Adapter:
    fields: dict[str, object] = {
        "lora": {"l0.q.w": (np.ones((3, 1), np.float32), np.zeros((1, 3), np.float32))},
        "lora_scale": 2.0,
        "replaced": {},
        "head_weight": np.zeros((3, 4), np.float32),
        "head_bias": np.zeros(4, np.float32),
    }
    fields.update(changes)
    return Adapter(**fields)  # type: ignore[arg-type]


def test_a_zero_update_leaves_the_matrix_and_a_low_rank_one_is_added_scaled() -> None:
    assert np.array_equal(adapted_params(PARAMS, adapter())["l0.q.w"], PARAMS["l0.q.w"])
    update = {"l0.q.w": (np.ones((3, 1), np.float32), np.array([[1.0, 0.0, 0.0]], np.float32))}
    merged = adapted_params(PARAMS, adapter(lora=update))["l0.q.w"]
    assert merged[:, 0].tolist() == [3.0, 2.0, 2.0] and merged[1, 1] == 1.0


def test_replaced_parameters_come_first_and_the_update_applies_on_top() -> None:
    replaced = {"l0.q.w": np.full((3, 3), 5.0, np.float32), "l0.q.b": np.ones(3, np.float32)}
    merged = adapted_params(PARAMS, adapter(replaced=replaced))
    assert merged["l0.q.b"].tolist() == [1.0, 1.0, 1.0] and merged["l0.q.w"][0, 0] == 5.0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"replaced": {"l9.q.b": np.zeros(3, np.float32)}}, "does not have: l9.q.b"),
        ({"lora": {"l9.q.w": (np.ones((3, 1)), np.ones((1, 3)))}}, "does not have: l9.q.w"),
        ({"replaced": {"l0.q.b": np.zeros(4, np.float32)}}, r"l0.q.b: shape \(4,\)"),
    ],
)
def test_an_adapter_for_another_model_is_refused(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        adapted_params(PARAMS, adapter(**changes))


def test_an_adapter_survives_saving_and_loading(tmp_path: Path) -> None:
    original = adapter(replaced={"l0.q.b": np.arange(3, dtype=np.float32)}, meta={"seed": 7})
    save_adapter(tmp_path / "a.npz", original)
    loaded = load_adapter(tmp_path / "a.npz")
    assert loaded.meta == {"seed": 7} and loaded.lora_scale == 2.0
    assert np.array_equal(loaded.replaced["l0.q.b"], original.replaced["l0.q.b"])
    assert np.array_equal(loaded.lora["l0.q.w"][0], original.lora["l0.q.w"][0])
