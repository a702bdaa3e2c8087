"""Fine-tune MiniLM on AG News rows into a small adapter file shipped inside the package (needs PyTorch).

Reproduce the shipped adapter (about 6 minutes on 2 cores; PyTorch only here, never at run time):

    pip install -e '.[train]'
    python -m newsdesk.enrich.train_minilm \\
        --data ../shared/bench/categories/agnews.train.jsonl \\
        --out src/newsdesk/enrich/models/minilm_news.npz

The model is the int8 ONNX MiniLM that newsdesk runs (``minilm_weights.read_weights``, dequantised), run
in PyTorch by a plain re-implementation of its forward pass. Trained: rank-``RANK`` LoRA updates of every
linear matrix of the six layers, every bias and LayerNorm parameter, and a linear head on the normalised
mean-pooled vector; the token and position embeddings stay frozen. Cross-entropy, AdamW with warm-up and
linear decay, label smoothing, a fixed seed. ``--holdout N`` trains on all but N random training rows
and prints the accuracy on those N.

The defaults (2 epochs, learning rate 3e-4, label smoothing 0.1) are the gentler of the two settings tried.
Three epochs at 5e-4 without smoothing scored higher on AG News (0.901 on 1,000 held-out training rows;
90.9% on dev against 90.1%) but came out over-confident: on the demo corpus it filed local civic news
(a burst water main, a library closure) under technology, and it outvoted a publisher's own section.
"""

from __future__ import annotations

import hashlib
import importlib
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import click
import numpy as np

from newsdesk.enrich.minilm import DIMENSIONS as HIDDEN_SIZE
from newsdesk.enrich.minilm import embed_english, load_minilm, load_tokenizer, model_path
from newsdesk.enrich.minilm_weights import Adapter, read_weights, save_adapter
from newsdesk.enrich.taxonomy import GROUPS
from newsdesk.enrich.train_categories import TrainingSet, read_training_set

SEED = 20251126
RANK = 16
ALPHA = 32.0
EPOCHS = 2
LEARNING_RATE = 3e-4
HEAD_LEARNING_RATE = 2e-3
WEIGHT_DECAY = 0.01
WARMUP = 0.06
BATCH = 32
LABEL_SMOOTHING = 0.1
TEMPERATURE = 10.0  # logits = TEMPERATURE · head(unit vector); folded into the saved head
HEADS = 12
LAYERS = 6
EPSILON = 1e-12
AGREEMENT_ROWS = 500


@dataclass(frozen=True)
class Settings:
    epochs: int = EPOCHS
    learning_rate: float = LEARNING_RATE
    smoothing: float = LABEL_SMOOTHING
    seed: int = SEED


def require_torch() -> Any:
    try:
        return importlib.import_module("torch")
    except ImportError as error:
        raise click.ClickException("training the adapter needs PyTorch: pip install -e '.[train]'") from error


def is_tuned_directly(name: str) -> bool:
    """Biases and LayerNorm parameters are trained as they are; matrices get LoRA updates."""
    return name.endswith(".bias") or ".LayerNorm." in name


def is_adapted_matrix(name: str, value: np.ndarray) -> bool:
    return name.startswith("inner.encoder.") and value.ndim == 2


class Trainee:
    """The model's tensors, the trainable ones marked, and its forward pass."""

    def __init__(self, torch: Any, params: dict[str, np.ndarray], rank: int, seed: int = SEED) -> None:
        self.torch = torch
        self.functional = importlib.import_module("torch.nn.functional")
        generator = torch.Generator().manual_seed(seed)
        self.tensors = {k: torch.tensor(v, requires_grad=is_tuned_directly(k)) for k, v in params.items()}
        self.lora = {
            k: (
                (torch.randn(v.shape[0], rank, generator=generator) / np.sqrt(v.shape[0])).requires_grad_(),
                torch.zeros(rank, v.shape[1], requires_grad=True),
            )
            for k, v in params.items()
            if is_adapted_matrix(k, v)
        }
        self.scale = ALPHA / rank
        self.head = torch.nn.Linear(HIDDEN_SIZE, len(GROUPS))

    def trainable(self) -> list[Any]:
        return [t for t in self.tensors.values() if t.requires_grad] + [
            p for ab in self.lora.values() for p in ab
        ]

    def weight(self, name: str) -> Any:
        if name in self.lora:
            a, b = self.lora[name]
            return self.tensors[name] + self.scale * (a @ b)
        return self.tensors[name]

    def linear(self, x: Any, name: str) -> Any:
        return x @ self.weight(name + ".weight") + self.weight(name + ".bias")

    def norm(self, x: Any, name: str) -> Any:
        return self.functional.layer_norm(
            x, (HIDDEN_SIZE,), self.weight(name + ".weight"), self.weight(name + ".bias"), eps=EPSILON
        )

    def encode(self, ids: Any, mask: Any) -> Any:
        """Last hidden states (batch × tokens × 384), as the ONNX graph computes them."""
        e = "inner.embeddings."
        batch, tokens = ids.shape
        x = self.functional.embedding(ids, self.weight(e + "word_embeddings.weight"))
        x = x + self.weight(e + "position_embeddings.weight")[:tokens][None]
        x = self.norm(x + self.weight(e + "token_type_embeddings.weight")[0], e + "LayerNorm")
        masked = (1.0 - mask[:, None, None, :].float()) * -1e9
        width = HIDDEN_SIZE // HEADS
        for layer in range(LAYERS):
            p = f"inner.encoder.layer.{layer}."

            def heads(h: Any) -> Any:
                return h.view(batch, tokens, HEADS, width).transpose(1, 2)

            q, k, v = (heads(self.linear(x, p + f"attention.self.{n}")) for n in ("query", "key", "value"))
            attention = self.torch.softmax(q @ k.transpose(-1, -2) / np.sqrt(width) + masked, dim=-1) @ v
            attended = attention.transpose(1, 2).reshape(batch, tokens, HIDDEN_SIZE)
            x = self.norm(
                self.linear(attended, p + "attention.output.dense") + x, p + "attention.output.LayerNorm"
            )
            inner = self.functional.gelu(self.linear(x, p + "intermediate.dense"))
            x = self.norm(self.linear(inner, p + "output.dense") + x, p + "output.LayerNorm")
        return x

    def logits(self, ids: Any, mask: Any) -> Any:
        weights = mask[:, :, None].float()
        pooled = (self.encode(ids, mask) * weights).sum(1) / weights.sum(1)
        return TEMPERATURE * self.head(self.functional.normalize(pooled, dim=-1))

    def adapter(self, params: dict[str, np.ndarray], meta: dict[str, object]) -> Adapter:
        """The trained updates as plain arrays (only parameters that changed)."""
        replaced = {
            k: t.detach().numpy()
            for k, t in self.tensors.items()
            if t.requires_grad and not np.array_equal(t.detach().numpy(), params[k])
        }
        return Adapter(
            {k: (a.detach().numpy(), b.detach().numpy()) for k, (a, b) in self.lora.items()},
            self.scale,
            replaced,
            TEMPERATURE * self.head.weight.detach().numpy().T,
            TEMPERATURE * self.head.bias.detach().numpy(),
            meta,
        )


def batches(lengths: Sequence[int], size: int, rng: np.random.Generator | None) -> list[list[int]]:
    """Row batches of similar length: shuffled chunks sorted by length (or, without rng, all sorted)."""
    if rng is None:
        order = sorted(range(len(lengths)), key=lambda i: lengths[i])
        return [order[i : i + size] for i in range(0, len(order), size)]
    shuffled = [int(i) for i in rng.permutation(len(lengths))]
    chunks = [
        sorted(shuffled[i : i + size * 16], key=lambda j: lengths[j])
        for i in range(0, len(shuffled), size * 16)
    ]
    out = [c[i : i + size] for c in chunks for i in range(0, len(c), size)]
    rng.shuffle(out)  # type: ignore[arg-type,unused-ignore]
    return out


def tensors_of(torch: Any, tokenizer: Any, texts: Sequence[str]) -> tuple[Any, Any]:
    encodings = tokenizer.encode_batch(list(texts))
    return torch.tensor([e.ids for e in encodings]), torch.tensor([e.attention_mask for e in encodings])


def schedule(total: int) -> Callable[[int], float]:
    """Linear warm-up over the first ``WARMUP`` of the steps, then linear decay to zero."""
    return lambda step: min(1.0, step / max(1.0, WARMUP * total)) * max(0.0, (total - step) / total)


def fine_tune(
    data: TrainingSet, rows: Sequence[int], settings: Settings, progress: bool = True
) -> tuple[Trainee, Any]:
    """Train on the given rows; returns the trainee and the tokenizer."""
    torch = require_torch()
    torch.manual_seed(settings.seed)
    trainee = Trainee(torch, read_weights(model_path()).params, RANK, settings.seed)
    tokenizer = load_tokenizer()
    texts = [data.texts[i] for i in rows]
    labels = torch.tensor(data.labels[list(rows)])
    lengths = [len(t) for t in texts]
    rng = np.random.default_rng(settings.seed)
    optimiser = torch.optim.AdamW(
        [
            {"params": trainee.trainable(), "lr": settings.learning_rate},
            {"params": list(trainee.head.parameters()), "lr": HEAD_LEARNING_RATE},
        ],
        weight_decay=WEIGHT_DECAY,
    )
    epochs = settings.epochs
    steps = epochs * len(batches(lengths, BATCH, rng))
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimiser, schedule(steps))
    for epoch in range(epochs):
        started, total = time.monotonic(), 0.0
        for batch in batches(lengths, BATCH, rng):
            ids, mask = tensors_of(torch, tokenizer, [texts[i] for i in batch])
            logits = trainee.logits(ids, mask)
            loss = torch.nn.functional.cross_entropy(
                logits, labels[batch], label_smoothing=settings.smoothing
            )
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            scheduler.step()
            total += float(loss.item()) * len(batch)
        if progress:
            seconds = time.monotonic() - started
            click.echo(
                f"epoch {epoch + 1}/{epochs}: loss {total / len(texts):.4f} ({seconds:.0f} s)", err=True
            )
    return trainee, tokenizer


def predict(trainee: Trainee, tokenizer: Any, texts: Sequence[str]) -> np.ndarray:
    """Class indices the trained model gives the texts."""
    torch = trainee.torch
    out = np.zeros(len(texts), dtype=np.int64)
    with torch.no_grad():
        for batch in batches([len(t) for t in texts], 64, None):
            ids, mask = tensors_of(torch, tokenizer, [texts[i] for i in batch])
            out[batch] = trainee.logits(ids, mask).argmax(dim=1).numpy()
    return out


def onnx_agreement(trainee: Trainee, tokenizer: Any, path: Path, texts: Sequence[str]) -> float:
    """Share of texts on which onnxruntime, running the saved adapter, picks the trained model's class."""
    model = load_minilm(path)
    assert model.adapter is not None
    logits = embed_english(texts, path) @ model.adapter.head_weight + model.adapter.head_bias
    return float(np.mean(logits.argmax(axis=1) == predict(trainee, tokenizer, texts)))


@click.command()
@click.option(
    "--data", "data_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True
)
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--epochs", default=EPOCHS, show_default=True)
@click.option("--learning-rate", default=LEARNING_RATE, show_default=True, help="LoRA factors and biases")
@click.option("--label-smoothing", default=LABEL_SMOOTHING, show_default=True)
@click.option("--seed", default=SEED, show_default=True)
@click.option(
    "--holdout", default=0, show_default=True, help="Keep N random training rows out and score them"
)
def main(
    data_path: Path,
    out_path: Path | None,
    epochs: int,
    learning_rate: float,
    label_smoothing: float,
    seed: int,
    holdout: int,
) -> None:
    """Fine-tune MiniLM on DATA (AG News JSON lines); write the adapter to OUT."""
    started = time.monotonic()
    data = read_training_set(data_path)
    order = [int(i) for i in np.random.default_rng(SEED).permutation(len(data.labels))]
    held, rows = order[:holdout], order[holdout:]
    torch = require_torch()
    torch.set_num_threads(2)
    settings = Settings(epochs, learning_rate, label_smoothing, seed)
    trainee, tokenizer = fine_tune(data, rows, settings)
    if held:
        guesses = predict(trainee, tokenizer, [data.texts[i] for i in held])
        click.echo(
            f"held-out accuracy {float(np.mean(guesses == data.labels[held])):.4f} on {len(held)} rows"
        )
    if out_path is not None:
        meta: dict[str, object] = {
            "data_sha256": data.digest,
            "rows": len(rows),
            "held_out": len(held),
            **asdict(settings),
            "rank": RANK,
            "alpha": ALPHA,
            "model_sha256": hashlib.sha256(model_path().read_bytes()).hexdigest(),
            "torch": str(torch.__version__),
            "classes": list(GROUPS),
        }
        save_adapter(out_path, trainee.adapter(read_weights(model_path()).params, meta))
        click.echo(f"wrote {out_path} ({out_path.stat().st_size / 1e6:.1f} MB)", err=True)
        sample = [data.texts[i] for i in (held or rows)[:AGREEMENT_ROWS]]
        agreement = onnx_agreement(trainee, tokenizer, out_path, sample)
        click.echo(
            f"onnxruntime with the saved adapter agrees on {agreement:.1%} of {len(sample)} rows", err=True
        )
    click.echo(f"done in {time.monotonic() - started:.0f} s", err=True)


if __name__ == "__main__":
    main(sys.argv[1:])
