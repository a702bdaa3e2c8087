"""Classify an article into the taxonomy: a model trained in the repo plus the publisher's categories.

Two trained models read ``title + " " + text``:

- ``models/categories.npz`` (``python -m newsdesk.training.train_categories``): a multinomial logistic
  regression over RBF similarities of the article's multilingual USE embedding (``newsdesk.models.use``)
  to 1,024 landmark training articles, which reads German and Spanish articles too, and TF-IDF word
  unigrams and bigrams (English vocabulary of the training set);
- ``newsdesk/models/data/e5_news.npz`` (``python -m newsdesk.training.train_e5``): multilingual-e5-small
  (``newsdesk.models.e5``) fine-tuned on the same rows, with its own classification head. It reads about
  100 languages, so it scores every article; the probabilities are the product of both models'
  (``E5_WEIGHT`` is the exponent of e5's), renormalised.

It gives probabilities for the four groups (world, sports, business, technology); ``taxonomy.REFINEMENT``
splits a group into its finer labels by similarity to label descriptions. Then evidence is combined:

- a publisher's own category ("Sport", "Deportes", "Wirtschaft") that maps onto the taxonomy multiplies
  that label's probability by ``FEED_WEIGHT`` (strong evidence, but a "Business" section can still
  carry a technology story when the text says so);
- the source's default category multiplies its label's probability by ``DEFAULT_WEIGHT`` (weak);
- a group is chosen only when the text is evidence for it: the models must give it at least the
  probability they give a text with nothing in it (e5's head gives such a text ~55% technology, so a
  local story with no technology in it leaned there); the publisher's category and the source default
  are evidence of their own;
- with no text to read, the publisher's category wins, else the default, else "general" (what fits
  nothing) with confidence 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from newsdesk.enrich.categories.linear import SoftmaxModel, softmax
from newsdesk.enrich.categories.taxonomy import GENERAL, GROUPS, REFINEMENT, TAXONOMY, map_feed_categories
from newsdesk.enrich.categories.textfeatures import Vocabulary, clean_text, vectorise
from newsdesk.models import category_logits, embed_texts

MODEL_PATH = Path(__file__).parent / "models" / "categories.npz"
E5_WEIGHT = 1.0
FEED_WEIGHT = 12.0
SECOND_FEED_WEIGHT = 3.0
DEFAULT_WEIGHT = 2.0
REFINE_TEMPERATURE = 0.05
REFINE_MARGIN = 0.05
MIN_LETTERS = 3
FALLBACK = GENERAL  # what fits nothing: no text to read, no publisher category, no source default
GROUP_OF = {label: group for group, members in REFINEMENT.items() for label in members}


@dataclass(frozen=True)
class ArticleText:
    """What the classifier reads of an article."""

    title: str
    text: str
    feed_categories: tuple[str, ...] = ()
    default: str | None = None


@dataclass(frozen=True)
class CategoryResult:
    """The chosen label, its probability, how it was decided, and every label's probability."""

    label: str
    confidence: float
    method: str  # "model", "model+feed", "feed", "default", "none"
    scores: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class CategoryModel:
    """The trained USE and TF-IDF classifier and the refinement prototypes."""

    vocabulary: Vocabulary
    index: dict[str, int]
    landmarks: np.ndarray
    gamma: float
    weights: SoftmaxModel
    prototypes: dict[str, np.ndarray]
    meta: str


def rbf_features(embeddings: np.ndarray, landmarks: np.ndarray, gamma: float) -> np.ndarray:
    """exp(-gamma · |x - l|²) for unit vectors x and landmarks l (zero rows give zero features)."""
    sims = embeddings.astype(np.float32) @ landmarks.astype(np.float32).T
    features = np.exp(-gamma * (2.0 - 2.0 * sims))
    features[~embeddings.any(axis=1)] = 0.0
    return np.asarray(features, dtype=np.float64)


def embed_prototypes() -> dict[str, np.ndarray]:
    """Embeddings of each finer label's descriptions (label → n × 512)."""
    labels = [(label, d) for members in REFINEMENT.values() for label, ds in members.items() for d in ds]
    vectors = embed_texts([d for _, d in labels])
    return {label: vectors[[i for i, (lab, _) in enumerate(labels) if lab == label]] for label in TAXONOMY}


@cache
def load_model(path: Path = MODEL_PATH) -> CategoryModel:
    """Read the trained model file (plain arrays, no pickle)."""
    with np.load(path, allow_pickle=False) as data:
        vocabulary = Vocabulary(tuple(str(t) for t in data["terms"]), data["idf"].astype(np.float32))
        weights = SoftmaxModel(data["w_dense"].astype(np.float64), data["w_sparse"].astype(np.float64))
        landmarks, gamma, meta = data["landmarks"].astype(np.float32), float(data["gamma"]), str(data["meta"])
    return CategoryModel(vocabulary, vocabulary.index(), landmarks, gamma, weights, embed_prototypes(), meta)


def model_text(title: str, text: str) -> str:
    return clean_text(f"{title} {text}")


def combine_experts(probabilities: np.ndarray, logits: np.ndarray) -> np.ndarray:
    """The USE model's probabilities times e5's softmax to the power ``E5_WEIGHT``, renormalised."""
    return softmax(np.log(np.maximum(probabilities, 1e-12)) + E5_WEIGHT * logits)


def group_probabilities(model: CategoryModel, texts: Sequence[str], embeddings: np.ndarray) -> np.ndarray:
    """Group probabilities (n × 4): the USE model's times the fine-tuned e5's."""
    sparse = vectorise(texts, model.vocabulary, model.index)
    groups = model.weights.probabilities(rbf_features(embeddings, model.landmarks, model.gamma), sparse)
    return combine_experts(groups, category_logits(texts))


def refine(model: CategoryModel, embedding: np.ndarray, groups: np.ndarray) -> dict[str, float]:
    """Split each group's probability among its finer labels by similarity to their descriptions."""
    scores: dict[str, float] = {}
    for g, group in enumerate(GROUPS):
        members = list(REFINEMENT[group])
        sims = np.array([float(np.max(model.prototypes[m] @ embedding)) for m in members])
        sims[1:] -= REFINE_MARGIN  # the group's default label keeps it unless another is clearly closer
        share = np.exp((sims - sims.max()) / REFINE_TEMPERATURE)
        share /= share.sum()
        for member, s in zip(members, share, strict=True):
            scores[member] = float(groups[g] * s)
    return scores


def supported(groups: np.ndarray, content_free: np.ndarray, given: Sequence[str | None]) -> set[str]:
    """The labels the article is evidence for: those of groups the models give at least what they give a
    text with nothing in it, and those the publisher's categories or the source default (``given``) name."""
    kept = {group for group, p, empty in zip(GROUPS, groups, content_free, strict=True) if p >= empty}
    return {label for label, group in GROUP_OF.items() if group in kept} | {g for g in given if g}


def combine(scores: dict[str, float], feed: list[str], default: str | None) -> tuple[dict[str, float], str]:
    """Weigh the model's label probabilities by the publisher's categories and the source default."""
    weighted = dict(scores)
    for rank, label in enumerate(feed[:2]):
        weighted[label] *= FEED_WEIGHT if rank == 0 else SECOND_FEED_WEIGHT
    if default in weighted:
        weighted[default] *= DEFAULT_WEIGHT
    total = sum(weighted.values())
    return {k: v / total for k, v in weighted.items()}, "model+feed" if feed else "model"


def decide_without_text(feed: list[str], default: str | None) -> CategoryResult:
    if feed:
        return CategoryResult(feed[0], 1.0, "feed")
    if default in TAXONOMY:
        return CategoryResult(default, 0.0, "default")
    return CategoryResult(FALLBACK, 0.0, "none")


def classify_many(
    articles: Sequence[ArticleText], model: CategoryModel | None = None
) -> list[CategoryResult]:
    """Classify a batch of articles (the embedding model runs once per batch)."""
    model = model or load_model()
    texts = [model_text(a.title, a.text) for a in articles]
    readable = [i for i, t in enumerate(texts) if sum(c.isalpha() for c in t) >= MIN_LETTERS]
    results = [decide_without_text(map_feed_categories(a.feed_categories), a.default) for a in articles]
    if not readable:
        return results
    read = [texts[i] for i in readable] + [model_text("", "")]  # the last: what the models say of nothing
    embeddings = embed_texts(read)
    groups = group_probabilities(model, read, embeddings)
    for row, i in enumerate(readable):
        default = articles[i].default if articles[i].default in TAXONOMY else None
        feed = map_feed_categories(articles[i].feed_categories)
        scores, method = combine(refine(model, embeddings[row], groups[row]), feed, default)
        evidenced = supported(groups[row], groups[-1], [*feed[:2], default])
        label = max(evidenced, key=lambda k: scores[k])
        results[i] = CategoryResult(label, round(scores[label], 4), method, scores)
    return results


def classify(
    title: str, text: str, feed_categories: Sequence[str] = (), default: str | None = None
) -> CategoryResult:
    """The taxonomy label of one article, from its text, its publisher's categories and the source default."""
    return classify_many([ArticleText(title, text, tuple(feed_categories), default)])[0]
