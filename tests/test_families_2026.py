"""LFM3, Granite SWA and Jais-2 at their class defaults: counts and caches by hand.

Each expected value is worked from transformers 5.24 (``models/lfm3/modeling_lfm3.py``:
``Lfm3Attention`` with per-head q/k norms and the ``g_proj`` output gate, ``Lfm3ShortConv``,
``Lfm3MLP``, sandwich norms; ``models/granite_swa``: Granite with sliding layers and one sink
logit per query head; ``models/jais2``: Llama attention with biases, NemotronMLP, LayerNorms
with bias). Randomised configs are checked against transformers itself in
``tests/test_families.py``.
"""

from __future__ import annotations

import pytest

from llmsizing import ConfigError
from llmsizing.hf import read_hf_config
from llmsizing.memory import kv_cache_memory


def test_lfm3_class_default_is_lfm3_1_7b() -> None:
    v, h, i, hd = 128000, 2048, 7680, 128
    attn = h * 16 * hd + 2 * h * 4 * hd + 16 * hd * h + 2 * hd + h * 16  # q, k, v, o, norms, gate
    conv = h * 3 * h + h * 7 + h * h  # in_proj, depthwise conv (L_cache 7), out_proj
    per_layer = 3 * h * i + 4 * h  # w1, w3, w2 and four norms (sandwich)
    # default pattern: full at i % 4 == 2 (6 layers), sliding at i % 4 == 0, i > 0 (5), conv (13)
    total = v * h + 11 * attn + 13 * conv + 24 * per_layer + h  # tied head, embedding_norm
    m = read_hf_config({"model_type": "lfm3"})
    assert m.param_counts().total == total == 1_728_801_536
    assert m.layer_types.count("full") == 6 and m.layer_types.count("sliding") == 5
    # past the 256-token window only the six full layers grow: K and V of 4 heads x 128
    grow = kv_cache_memory(m, 20_000, 1, "bf16") - kv_cache_memory(m, 10_000, 1, "bf16")
    assert float(grow.to("B").m) == 10_000 * 6 * 2 * 4 * hd * 2


def test_granite_swa_keeps_a_sink_per_head_and_slides_three_layers_in_four() -> None:
    v, h, i, heads, kv, hd = 100352, 2560, 8192, 20, 4, 128
    attn = h * heads * hd + 2 * h * kv * hd + heads * hd * h + heads  # q, k, v, o, sinks
    total = v * h + 24 * (attn + 3 * h * i + 2 * h) + h  # tied head
    m = read_hf_config({"model_type": "granite_swa"})
    assert m.param_counts().total == total
    assert m.layer_types[:4] == ("full", "sliding", "sliding", "sliding")
    assert m.sliding_window == 128


def test_granite_swa_null_kv_heads_means_one_per_query_head() -> None:
    m = read_hf_config({"model_type": "granite_swa", "num_key_value_heads": None})
    assert m.num_kv_heads == m.num_heads == 20


def test_jais2_class_default() -> None:
    v, h, i = 150272, 3328, 26624
    layer = 4 * (h * h + h) + 2 * h * i + i + h + 4 * h  # biased q/k/v/o, up/down, 2 LayerNorms
    m = read_hf_config({"model_type": "jais2"})
    assert m.param_counts().total == 2 * v * h + 32 * layer + 2 * h == 8_090_401_280


def test_jais2_heads_must_divide_the_width_whatever_head_dim_says() -> None:
    with pytest.raises(ConfigError, match="does not divide hidden_size"):
        read_hf_config({"model_type": "jais2", "num_attention_heads": 25, "head_dim": 128})
