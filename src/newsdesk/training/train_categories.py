"""Train the category model on AG News rows and write it to a small .npz file inside the package.

Reproduce the shipped model (about a minute on 2 cores: embedding, cross-validation and fitting):

    python -m newsdesk.training.train_categories \\
        --data ../shared/bench/categories/agnews.train.jsonl \\
        --out src/newsdesk/enrich/categories/models/categories.npz

Only the training file is read. Hyperparameters (L2 penalties of the kernel and TF-IDF blocks, RBF
width, number of landmarks) are chosen by k-fold cross-validation on the training rows, never on the dev
file; the grid, the chosen values and the cross-validated accuracy are stored in the model's ``meta``
field. The kernel block is the USE similarities to landmark training articles. Every article is also
read by the fine-tuned multilingual-e5-small of ``train_e5.py``, whose own head is combined with this
model's probabilities in ``categories.py``.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import click
import numpy as np

from newsdesk.enrich.categories import (
    AG_TO_GROUP,
    GROUPS,
    SoftmaxModel,
    SparseRows,
    build_vocabulary,
    model_text,
    rbf_features,
    vectorise,
)
from newsdesk.models import embed_texts
from newsdesk.training.softmax import train_softmax

SEED = 20251125
# (l2 of the kernel blocks, l2 of the TF-IDF block, RBF gamma, number of landmark articles)
GRID = ((1e-4, 1e-4, 0.5, 1024), (3e-4, 1e-4, 0.5, 1024), (1e-4, 1e-4, 1.0, 1024), (3e-4, 1e-4, 1.0, 1024))


@dataclass(frozen=True)
class TrainingSet:
    texts: list[str]
    labels: np.ndarray
    digest: str


def read_training_set(path: Path) -> TrainingSet:
    """Rows {"title", "text", "label"} with AG labels, as model texts and group indices."""
    raw = path.read_bytes()
    rows = [json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()]
    texts = [model_text(r.get("title", ""), r.get("text", "")) for r in rows]
    labels = np.array([GROUPS.index(AG_TO_GROUP[r["label"]]) for r in rows])
    return TrainingSet(texts, labels, hashlib.sha256(raw).hexdigest())


def kernel_features(
    blocks: Sequence[np.ndarray], landmarks: Sequence[np.ndarray], params: tuple[float, ...]
) -> np.ndarray:
    """RBF features of each embedding block to the first params[3] of its landmarks, side by side."""
    count, gamma = int(params[3]), params[2]
    return np.hstack([rbf_features(b, lm[:count], gamma) for b, lm in zip(blocks, landmarks, strict=True)])


def fit(
    blocks: Sequence[np.ndarray],
    sparse: SparseRows,
    labels: np.ndarray,
    landmarks: Sequence[np.ndarray],
    params: tuple[float, ...],
) -> SoftmaxModel:
    """Fit on RBF features of each embedding block to the first params[3] landmarks and the TF-IDF rows.

    The kernel features are whitened per block for training (Nyström: K_nm · K_mm^-1/2, so the L2 penalty
    is the kernel norm, as in a kernel SVM); the returned weights apply to the plain kernel features.
    """
    l2_dense, l2_sparse, gamma, count = params
    whitens = [whitening(lm[: int(count)], gamma) for lm in landmarks]
    plain = [rbf_features(b, lm[: int(count)], gamma) for b, lm in zip(blocks, landmarks, strict=True)]
    features = np.hstack([f @ w for f, w in zip(plain, whitens, strict=True)])
    model = train_softmax(features, sparse, labels, len(GROUPS), (l2_dense, l2_sparse))
    ends = np.cumsum([w.shape[1] for w in whitens])
    parts = np.split(model.dense, ends[:-1])
    return SoftmaxModel(np.vstack([w @ p for w, p in zip(whitens, parts, strict=True)]), model.sparse)


def whitening(landmarks: np.ndarray, gamma: float) -> np.ndarray:
    """K_mm^-1/2 over the landmarks' kernel matrix, dropping directions with tiny eigenvalues."""
    eigenvalues, vectors = np.linalg.eigh(rbf_features(landmarks, landmarks, gamma))
    keep = eigenvalues > 1e-6 * eigenvalues.max()
    return np.asarray(vectors[:, keep] / np.sqrt(eigenvalues[keep]))


def cross_validate(
    blocks: Sequence[np.ndarray],
    sparse: SparseRows,
    labels: np.ndarray,
    landmarks: Sequence[np.ndarray],
    params: tuple[float, ...],
    folds: int,
) -> float:
    """Mean accuracy over k stratified-by-shuffle folds of the training rows."""
    order = np.random.default_rng(SEED).permutation(len(labels))
    fold_of = np.empty(len(labels), dtype=np.int64)
    fold_of[order] = np.arange(len(labels)) % folds
    accuracies = []
    for f in range(folds):
        train, test = np.where(fold_of != f)[0], np.where(fold_of == f)[0]
        model = fit([b[train] for b in blocks], sparse.take(train), labels[train], landmarks, params)
        features = kernel_features([b[test] for b in blocks], landmarks, params)
        probs = model.probabilities(features, sparse.take(test))
        accuracies.append(float(np.mean(probs.argmax(axis=1) == labels[test])))
    return float(np.mean(accuracies))


@dataclass(frozen=True)
class Trained:
    """What goes into the model file besides the vocabulary."""

    landmarks: np.ndarray  # USE embeddings of the landmark articles
    model: SoftmaxModel
    gamma: float
    meta: dict[str, object]


def save_model(path: Path, vocabulary_terms: tuple[str, ...], idf: np.ndarray, trained: Trained) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path,
        terms=np.array(vocabulary_terms),
        idf=idf.astype(np.float32),
        landmarks=trained.landmarks.astype(np.float16),
        w_dense=trained.model.dense.astype(np.float32),
        w_sparse=trained.model.sparse.astype(np.float32),
        gamma=np.float64(trained.gamma),
        meta=np.array(json.dumps(trained.meta, sort_keys=True)),
    )


def as_stored(embeddings: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Landmark candidates in a fixed random order, rounded as the file stores them (prefixes are used)."""
    return np.asarray(embeddings[order].astype(np.float16).astype(np.float32))


def train(data: TrainingSet, sparse: SparseRows, blocks: list[np.ndarray], folds: int) -> Trained:
    """Choose the hyperparameters by cross-validation, then fit the model on every row."""
    order = np.random.default_rng(SEED).permutation(len(data.labels))
    landmarks = [as_stored(b, order) for b in blocks]
    scores = {}
    for params in GRID:
        scores[params] = cross_validate(blocks, sparse, data.labels, landmarks, params, folds)
        click.echo(f"cv {params}: {scores[params]:.4f}", err=True)
    best = max(GRID, key=lambda p: scores[p])
    meta: dict[str, object] = {
        "data_sha256": data.digest,
        "rows": len(data.texts),
        "folds": folds,
        "blocks": ["use-rbf", "tfidf"],
        "grid": {json.dumps(p): round(s, 4) for p, s in scores.items()},
        "chosen": {"l2_dense": best[0], "l2_sparse": best[1], "gamma": best[2], "landmarks": best[3]},
        "cv_accuracy": round(scores[best], 4),
        "seed": SEED,
    }
    count = int(best[3])
    return Trained(landmarks[0][:count], fit(blocks, sparse, data.labels, landmarks, best), best[2], meta)


@click.command()
@click.option(
    "--data", "data_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True
)
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option(
    "--folds", default=3, show_default=True, help="Cross-validation folds for choosing hyperparameters"
)
def main(data_path: Path, out_path: Path, folds: int) -> None:
    """Train the category model on DATA (AG News JSON lines) and write it to OUT."""
    started = time.monotonic()
    data = read_training_set(data_path)
    vocabulary = build_vocabulary(data.texts)
    sparse = vectorise(data.texts, vocabulary)
    click.echo(f"{len(data.texts)} rows, {len(vocabulary.terms)} terms; embedding…", err=True)
    blocks = [embed_texts(data.texts)]
    trained = train(data, sparse, blocks, folds)
    save_model(out_path, vocabulary.terms, vocabulary.idf, trained)
    click.echo(
        f"wrote {out_path} ({out_path.stat().st_size / 1e6:.1f} MB) in {time.monotonic() - started:.0f} s; "
        f"cv accuracy {trained.meta['cv_accuracy']} with {trained.meta['chosen']}",
        err=True,
    )


if __name__ == "__main__":
    main(sys.argv[1:])
