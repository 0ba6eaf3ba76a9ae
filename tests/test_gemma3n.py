"""Gemma 3n (``gemma3n`` → ``gemma3n_text``): AltUp, LAuReL and KV sharing by hand.

Each expected value is worked from transformers 5.24 ``models/gemma3n/modeling_gemma3n.py``
(``Gemma3nTextAltUp``: ``correct_output_scale``, ``correction_coefs``, ``prediction_coefs``,
``modality_router`` per layer; ``Gemma3nTextModel``: ``altup_projections`` and
``altup_unembed_projections``; ``Gemma3nTextLaurelBlock``: ``linear_left``,
``linear_right``; the last ``num_kv_shared_layers`` layers read an earlier layer's cache).
The class defaults are Gemma 3n E4B. Randomised configs are checked against transformers
itself in ``tests/test_families.py``.
"""

from __future__ import annotations

import pytest

from llmsizing import ConfigError
from llmsizing.hf import read_hf_config
from llmsizing.memory import kv_cache_memory

H, L = 2048, 35


def _altup(n: int) -> int:
    """AltUp parameters of n streams: per layer h + n² + n³ + n·h, per model 2 (n − 1) h²."""
    return L * (H + n * n + n**3 + n * H) + 2 * (n - 1) * H * H


def _total(**text: object) -> int:
    return read_hf_config({"model_type": "gemma3n_text", **text}).param_counts().total


def test_altup_streams_add_their_coefficients_routers_and_projections() -> None:
    assert _total(altup_num_inputs=4) - _total(altup_num_inputs=2) == _altup(4) - _altup(2)


def test_laurel_adds_two_rank_r_matrices_per_layer() -> None:
    assert _total(laurel_rank=64) - _total(laurel_rank=32) == L * 2 * 32 * H


def test_shared_layers_cache_nothing() -> None:
    # E4B: 35 layers, full every 5th (4, 9, ..., 34); the last 15 read earlier caches, so
    # past the 512-token window only full layers 4, 9, 14 and 19 grow: K and V of 2 x 256
    m = read_hf_config({"model_type": "gemma3n"})
    grow = kv_cache_memory(m, 20_000, 1, "bf16") - kv_cache_memory(m, 10_000, 1, "bf16")
    assert float(grow.to("B").m) == 10_000 * 4 * 2 * 2 * 256 * 2


def test_e4b_text_model_is_about_4b_effective() -> None:
    # Google: E4B "4B effective" parameters: the text model without the per-layer input
    # table (kept off the accelerator) and the token embedding
    pc = read_hf_config({"model_type": "gemma3n"}).param_counts()
    ple_table = 262144 * L * 256
    assert round((pc.total - ple_table - 262400 * H) / 1e9) == 4


def test_an_active_index_outside_the_streams_is_refused() -> None:
    with pytest.raises(ConfigError, match="altup_active_idx"):
        read_hf_config({"model_type": "gemma3n_text", "altup_num_inputs": 2, "altup_active_idx": 2})
