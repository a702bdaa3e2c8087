"""Unigram tokenizing: the best split by piece scores, unknown characters, control pieces, the limit."""

from __future__ import annotations

import numpy as np
import pytest

from newsdesk.models.e5_weights import read_e5
from newsdesk.models.unigram import UnigramTokenizer

PIECES = ["<unk>", "<s>", "▁", "▁news", "▁new", "s", "paper", "▁newspaper", "a", "p", "e", "r"]
SCORES = np.array([0.0, 0.0, -3.0, -4.0, -5.0, -3.0, -6.0, -8.0, -4.0, -4.0, -4.0, -4.0])


def tokenizer() -> UnigramTokenizer:
    return UnigramTokenizer(PIECES, SCORES, unknown=0, controls=[1])


def spell(ids: list[int]) -> list[str]:
    return [PIECES[i] for i in ids]


def test_the_split_with_the_best_total_score_wins() -> None:
    # ▁newspaper alone scores -8; ▁news + paper -10; ▁new + s + paper -14
    assert spell(tokenizer().encode("newspaper", 10)) == ["▁newspaper"]
    assert spell(tokenizer().encode("news paper", 10)) == ["▁news", "▁", "paper"]


def test_each_unknown_character_is_one_unknown_piece() -> None:
    assert spell(tokenizer().encode("news??", 10)) == ["▁news", "<unk>", "<unk>"]


def test_a_control_piece_written_in_the_text_is_not_matched() -> None:
    assert "<s>" not in spell(tokenizer().encode("<s>", 10))


def test_a_leading_space_is_not_doubled_and_the_limit_cuts() -> None:
    assert spell(tokenizer().encode(" news", 10)) == ["▁news"]
    assert spell(tokenizer().encode("news news news news", 3)) == ["▁news"] * 3


def test_it_splits_as_the_tokenizers_package_does_on_the_e5_vocabulary() -> None:
    pytest.importorskip("tokenizers")  # the `bench` extra
    from tokenizers import Tokenizer, models, pre_tokenizers

    weights = read_e5()
    vocabulary = [(piece, float(score)) for piece, score in zip(weights.pieces, weights.scores, strict=True)]
    reference = Tokenizer(models.Unigram(vocabulary, unk_id=weights.config.unk, byte_fallback=False))
    reference.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    ours = UnigramTokenizer(weights.pieces, weights.scores, weights.config.unk, [weights.config.bos])
    texts = [
        "query: Shares of the chip maker fell after its quarterly profit missed forecasts.",
        "Der Bundestag hat am Donnerstag über den Haushalt abgestimmt; Straßenbahn-Verlängerung.",
        "El Real Madrid ganó 3-1 al Barcelona en el Bernabéu, según la agencia EFE.",
        "Московская биржа выросла на 2,5% — 東京株式市場 — Ελληνικά νέα — 2026-11-26 14:05",
    ]
    for text in texts:
        assert ours.encode(text, 500) == reference.encode(text).ids


def test_long_words_are_split_but_not_cached() -> None:
    tokenizer = UnigramTokenizer(PIECES, SCORES, unknown=0, controls=[1])
    long_word = "paper" * 20
    assert spell(tokenizer.encode(long_word, 100)) == ["▁", *["paper"] * 20]
    tokenizer.encode("news " + long_word, 100)
    assert tokenizer.split_word.cache_info().currsize == 1  # "▁news" only
