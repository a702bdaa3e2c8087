"""A fine-tuned encoder's adapter: low-rank updates, replaced parameters and a classification head.

An adapter file (plain arrays in an ``.npz``, no pickle) holds low-rank updates of linear matrices
(LoRA: W + scale · A · B), new values of other parameters (biases, LayerNorm), the classification head
(applied to the L2-normalised mean-pooled sentence vector) and a ``meta`` record of how it was trained.
``e5.load_classifier`` merges one into the model's float parameters by name (``adapted_params``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class Adapter:
    """Low-rank updates, replaced float parameters and the classification head of a fine-tuned encoder."""

    lora: dict[str, tuple[np.ndarray, np.ndarray]]
    lora_scale: float
    replaced: dict[str, np.ndarray]
    head_weight: np.ndarray  # 384 × classes, applied to the L2-normalised mean-pooled vector
    head_bias: np.ndarray
    meta: dict[str, object] = field(default_factory=dict)


def adapted_params(params: dict[str, np.ndarray], adapter: Adapter) -> dict[str, np.ndarray]:
    """The parameters the adapter changes, by name, with its updates applied (float32)."""
    unknown = sorted((set(adapter.replaced) | set(adapter.lora)) - set(params))
    if unknown:
        raise ValueError(f"the adapter names parameters the model does not have: {', '.join(unknown[:3])}")
    changed = {name: value.astype(np.float32) for name, value in adapter.replaced.items()}
    for name, (a, b) in adapter.lora.items():
        update = adapter.lora_scale * (a.astype(np.float32) @ b.astype(np.float32))
        changed[name] = (changed.get(name, params[name]) + update).astype(np.float32)
    for name, value in changed.items():
        if value.shape != params[name].shape:
            raise ValueError(f"{name}: shape {value.shape}, the model has {params[name].shape}")
    return changed


def save_adapter(path: Path, adapter: Adapter) -> None:
    """Write the adapter as plain arrays (LoRA factors in float16), no pickle."""
    arrays: dict[str, np.ndarray] = {
        "head_weight": adapter.head_weight.astype(np.float32),
        "head_bias": adapter.head_bias.astype(np.float32),
        "lora_scale": np.array(adapter.lora_scale, dtype=np.float64),
        "meta": np.array(json.dumps(adapter.meta, sort_keys=True)),
    }
    for name, (a, b) in adapter.lora.items():
        arrays[f"lora_a:{name}"] = a.astype(np.float16)
        arrays[f"lora_b:{name}"] = b.astype(np.float16)
    for name, value in adapter.replaced.items():
        arrays[f"set:{name}"] = value.astype(np.float32)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **arrays)  # type: ignore[arg-type,unused-ignore]


def load_adapter(path: Path) -> Adapter:
    """Read an adapter file written by ``save_adapter``."""
    with np.load(path, allow_pickle=False) as data:
        keys = list(data.keys())
        lora = {
            k.split(":", 1)[1]: (
                data[k].astype(np.float32),
                data["lora_b:" + k.split(":", 1)[1]].astype(np.float32),
            )
            for k in keys
            if k.startswith("lora_a:")
        }
        replaced = {k.split(":", 1)[1]: data[k].astype(np.float32) for k in keys if k.startswith("set:")}
        return Adapter(
            lora,
            float(data["lora_scale"]),
            replaced,
            data["head_weight"].astype(np.float32),
            data["head_bias"].astype(np.float32),
            json.loads(str(data["meta"])),
        )
