"""The PyTorch e5 used for fine-tuning computes what the numpy model computes; batches and schedule."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from newsdesk.models.e5 import build_tokenizer, encode, token_ids
from newsdesk.models.e5_weights import read_e5
from newsdesk.training.train_e5 import TEMPERATURE, E5Trainee, batches, schedule


@pytest.fixture
def torch() -> object:
    return pytest.importorskip("torch")  # the [train] extra: training only, never at run time


def test_the_trainees_forward_pass_matches_the_numpy_model(torch: Any) -> None:
    weights = read_e5()
    texts = ["Oil prices rose after the storm shut refineries.", "Kurz", "Un texto algo más largo " * 5]
    ids, mask = token_ids(build_tokenizer(weights), weights, texts)
    trainee = E5Trainee(torch, weights, rank=4)
    with torch.no_grad():
        trainee.head.weight.copy_(torch.eye(4, weights.config.hidden))
        trainee.head.bias.zero_()
        got = trainee.logits(ids, mask).numpy() / TEMPERATURE
    assert np.abs(got - encode(weights, ids, mask)[:, :4]).max() < 1e-4


def test_an_untrained_adapter_changes_nothing_but_the_head(torch: Any) -> None:
    weights = read_e5()
    adapter = E5Trainee(torch, weights, rank=4).adapter({})
    assert adapter.replaced == {} and len(adapter.lora) == 12 * 6
    assert all(not b.any() for _, b in adapter.lora.values())


def test_batches_cover_every_row_once_and_the_schedule_warms_up_then_decays() -> None:
    lengths = [5, 1, 9, 3, 7, 2, 8]
    shuffled = batches(lengths, 3, np.random.default_rng(0))
    assert sorted(i for b in shuffled for i in b) == list(range(7))
    assert batches(lengths, 3, None)[0] == [1, 5, 3]
    rate = schedule(100)
    assert rate(0) == 0.0 and round(rate(3), 3) == 0.485 and round(rate(6), 3) == 0.94 and rate(100) == 0.0
