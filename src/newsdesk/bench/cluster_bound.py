"""`newsdesk bench cluster-bound`: the best any threshold clustering of our features scores on a stream.

An optimistic ceiling, not a system: the whole stream is clustered at once (average linkage over the
same embedding and TF-IDF similarities the online clusterer uses, blended at several weights), and the
cut is the one that scores best against the gold stories, which no real system may look at. If this
ceiling is below a target, no setting of the online clusterer reaches the target with these features.
"""

from __future__ import annotations

from pathlib import Path

import click
import numpy as np

from newsdesk.stories.lexical import OnlineIdf, tfidf_vector
from newsdesk.stories.metrics import score_clustering
from newsdesk.stories.settings import ClusterSettings
from newsdesk.stories.stories import StoryClusterer
from newsdesk.stories.stream import StreamRecord, read_stream


def similarity_matrices(
    records: list[StreamRecord], settings: ClusterSettings
) -> tuple[np.ndarray, np.ndarray]:
    """Embedding cosine and TF-IDF cosine between every pair of articles, as the clusterer computes them."""
    from newsdesk.models import load_embedder

    clusterer = StoryClusterer(load_embedder(), settings)
    prepared = clusterer.prepare([r.article for r in records])
    embeddings = np.stack([p.embedding for p in prepared])
    idf = OnlineIdf()
    for p in prepared:
        idf.add(p.tokens)
    vectors = [tfidf_vector(p.tokens, idf) for p in prepared]
    vocabulary = {term: i for i, term in enumerate(sorted({t for v in vectors for t in v}))}
    lexical = np.zeros((len(vectors), len(vocabulary)), dtype=np.float32)
    for row, vector in enumerate(vectors):
        for term, weight in vector.items():
            lexical[row, vocabulary[term]] = weight
    return embeddings @ embeddings.T, lexical @ lexical.T


def best_cut(
    similarity: np.ndarray, ids: list[str], gold: dict[str, str], cuts: np.ndarray
) -> tuple[float, float, int]:
    """(BCubed F1, distance cut, clusters) of the best average-linkage cut, chosen on gold."""
    try:
        from scipy.cluster.hierarchy import fcluster, linkage  # type: ignore[import-untyped,import-not-found,unused-ignore]
        from scipy.spatial.distance import squareform  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError as exc:
        raise click.ClickException("scipy is needed here: pip install 'newsdesk[bench]'") from exc
    distance = np.clip(1.0 - similarity, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), "average")
    best = (0.0, 0.0, 0)
    for cut in cuts:
        labels = fcluster(tree, cut, "distance")
        scores = score_clustering(gold, dict(zip(ids, map(str, labels), strict=True)))
        if scores.bcubed_f1 > best[0]:
            best = (scores.bcubed_f1, float(cut), scores.pred_clusters)
    return best


def minilm_similarity(records: list[StreamRecord], settings: ClusterSettings) -> np.ndarray:
    """Cosine of the English MiniLM embeddings (a second encoder beside USE), centred."""
    from newsdesk.bench.minilm import embed_english
    from newsdesk.stories.stories import embedding_text

    vectors = embed_english([embedding_text(r.article, settings.lead_words) for r in records])
    vectors = vectors - vectors.mean(axis=0)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    similarity: np.ndarray = vectors @ vectors.T
    return similarity


@click.command("cluster-bound")
@click.option("--data", "data", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--minilm", is_flag=True, help="Also try adding an English MiniLM embedding (a second model)")
def command(data: Path, minilm: bool) -> None:
    """The best BCubed F1 any cut of a batch clustering of newsdesk's features reaches (gold-chosen)."""
    records = list(read_stream(data))
    gold = {r.article.id: r.gold for r in records if r.gold is not None}
    if len(gold) != len(records):
        raise click.UsageError(f"{data}: every record needs a 'gold' story")
    settings = ClusterSettings()
    semantic, lexical = similarity_matrices(records, settings)
    ids = [r.article.id for r in records]
    for weight in sorted({0.3, 0.5, settings.embed_weight, 1.0}):
        blended = weight * semantic + (1.0 - weight) * lexical
        f1, cut, clusters = best_cut(blended, ids, gold, np.arange(0.4, 1.2, 0.02))
        click.echo(
            f"embedding weight {weight:.1f}: ceiling BCubed F1={f1:.4f} at distance {cut:.2f} "
            f"({clusters} clusters; cut chosen on gold)"
        )
    if minilm:
        second = minilm_similarity(records, settings)
        blended = 0.4 * second + 0.3 * semantic + 0.3 * lexical
        f1, cut, clusters = best_cut(blended, ids, gold, np.arange(0.4, 1.2, 0.02))
        click.echo(
            f"MiniLM 0.4 + USE 0.3 + TF-IDF 0.3: ceiling BCubed F1={f1:.4f} at distance {cut:.2f} "
            f"({clusters} clusters; cut chosen on gold)"
        )
