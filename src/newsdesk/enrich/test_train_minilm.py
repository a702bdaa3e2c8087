"""The PyTorch re-implementation of MiniLM used for fine-tuning computes what the ONNX graph computes."""

from __future__ import annotations

import numpy as np
import pytest

from newsdesk.enrich.minilm import load_minilm, load_tokenizer, model_path
from newsdesk.enrich.minilm_weights import read_weights
from newsdesk.enrich.train_minilm import Trainee, batches, schedule

torch = pytest.importorskip("torch")  # the [train] extra: training only, never at run time


def test_the_trainees_forward_pass_matches_onnxruntime() -> None:
    texts = ["Oil prices rose after the storm shut refineries.", "Short one", "A third, longer text " * 5]
    tokenizer = load_tokenizer()
    encodings = tokenizer.encode_batch(texts)
    ids = np.array([e.ids for e in encodings])
    mask = np.array([e.attention_mask for e in encodings])
    session = load_minilm().session
    feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
    expected = session.run(["last_hidden_state"], feeds)[0]
    trainee = Trainee(torch, read_weights(model_path()).params, rank=4)
    with torch.no_grad():
        got = trainee.encode(torch.tensor(ids), torch.tensor(mask)).numpy()
    assert np.abs(got - expected)[mask.astype(bool)].max() < 1e-3


def test_an_untrained_adapter_changes_nothing_but_the_head() -> None:
    params = read_weights(model_path()).params
    adapter = Trainee(torch, params, rank=4).adapter(params, {})
    assert adapter.replaced == {} and len(adapter.lora) == 36
    assert all(not b.any() for _, b in adapter.lora.values())


def test_batches_cover_every_row_once_and_the_schedule_warms_up_then_decays() -> None:
    lengths = [5, 1, 9, 3, 7, 2, 8]
    shuffled = batches(lengths, 3, np.random.default_rng(0))
    assert sorted(i for b in shuffled for i in b) == list(range(7))
    assert batches(lengths, 3, None)[0] == [1, 5, 3]
    rate = schedule(100)
    assert rate(0) == 0.0 and round(rate(3), 3) == 0.485 and round(rate(6), 3) == 0.94 and rate(100) == 0.0
