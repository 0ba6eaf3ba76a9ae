"""MiniMax-M3 (``minimax_m3_vl`` → ``minimax_m3_vl_text``): counts and KV cache by hand.

Each expected value is worked from transformers 5.24
``models/minimax_m3_vl/modeling_minimax_m3_vl.py`` (``MiniMaxM3VLAttention``,
``MiniMaxM3VLIndexer``, ``MiniMaxM3VLSparseMoeBlock``, ``MiniMaxM3VLDenseMLP``,
``MiniMaxM3VLDecoderLayer``, ``MiniMaxM3VLSparseCacheLayer``) and
``configuration_minimax_m3_vl.py`` (``MiniMaxM3VLTextConfig.__post_init__``); the
randomised and released configs are checked against transformers itself in
``tests/test_families.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from llmsizing import ConfigError
from llmsizing.attention import (
    FullAttentionSpec,
    IndexerSpec,
    attended_tokens,
    indexed_tokens,
    kv_cache_elements_per_token,
    layer_specs,
)
from llmsizing.hf import read_hf_config
from llmsizing.memory import kv_cache_memory, kv_cache_read_bytes

DATA = Path(__file__).parent / "data"
NVFP4 = DATA / "real_configs" / "heldout" / "nvidia--MiniMax-M3-NVFP4.json"
M3 = DATA / "real_configs" / "heldout" / "MiniMaxAI--MiniMax-M3.json"


def _text(**changes: Any) -> dict[str, Any]:
    """A small MiniMax-M3 config: 4 layers, full then 3 sparse, dense then 3 MoE."""
    text: dict[str, Any] = {
        "vocab_size": 500,
        "hidden_size": 64,
        "intermediate_size": 32,
        "dense_intermediate_size": 96,
        "shared_intermediate_size": 48,
        "num_hidden_layers": 4,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "head_dim": 16,
        "num_local_experts": 4,
        "num_experts_per_tok": 2,
        "moe_layer_freq": [0, 1, 1, 1],
        "sparse_attention_config": {
            "sparse_attention_freq": [0, 1, 1, 1],
            "sparse_num_index_heads": 2,
            "sparse_index_dim": 8,
            "sparse_block_size": 4,
            "sparse_topk_blocks": 2,
            "sparse_local_block": 1,
        },
    }
    text.update(changes)
    return {
        "model_type": "minimax_m3_vl",
        "text_config": {k: v for k, v in text.items() if v is not ...},
    }


# per layer: q and o (4 heads x 16) from/to h = 64, k and v 2 x 16 wide, no bias
ATTN = 64 * 64 + 2 * 64 * 32 + 64 * 64  # 12,288
# the indexer of a sparse layer: q_proj (2 heads x 8), k_proj (8)
INDEXER = 64 * 16 + 64 * 8  # 1,536
DENSE = 3 * 64 * 96  # gate_up (2 x 96) and down of dense_intermediate_size
ROUTED = 4 * 3 * 64 * 32  # 4 experts: gate_up (2 x 32) and down of intermediate_size
SHARED = 3 * 64 * 48  # shared_experts of shared_intermediate_size
ROUTER = 4 * 64  # the router weight (e_score_correction_bias is a buffer)
# q_norm, k_norm (head_dim) in 4 layers, the indexer's two norms (8) in 3, two layer
# norms in each layer, the final norm
NORMS = 4 * 2 * 16 + 3 * 2 * 8 + 4 * 2 * 64 + 64
TOTAL = 2 * 500 * 64 + 4 * ATTN + 3 * INDEXER + DENSE + 3 * (ROUTER + ROUTED + SHARED) + NORMS


def test_counts_by_hand() -> None:
    m = read_hf_config(_text())
    pc = m.param_counts()
    assert TOTAL == 239_088
    assert pc.total == TOTAL
    assert pc.attention == 4 * ATTN + 3 * INDEXER
    assert pc.routed_experts == 3 * ROUTED and pc.shared_experts == 3 * SHARED
    assert pc.dense_ffn == DENSE and pc.router == 3 * ROUTER
    assert pc.norms == NORMS
    # a token passes 2 of the 4 experts
    assert pc.active == TOTAL - 3 * ROUTED // 2
    assert m.layer_types == ("full",) * 4
    assert m.moe_layers == (False, True, True, True)
    assert m.indexer is not None and m.indexer.layers == (False, True, True, True)


def test_kv_cache_by_layer_kind() -> None:
    m = read_hf_config(_text())
    # full layer: K and V of 2 heads x 16; sparse layer: the same and the indexer key (8)
    full, sparse = 2 * 2 * 16, 2 * 2 * 16 + 8
    assert kv_cache_elements_per_token(m).tolist() == [full, sparse, sparse, sparse]
    kinds = [tuple(type(s) for s in layer) for layer in layer_specs(m)]
    assert kinds == [(FullAttentionSpec,)] + [(FullAttentionSpec, IndexerSpec)] * 3
    # bf16: 2 bytes an element, every token held on every layer
    t = 100
    assert kv_cache_memory(m, t, 1, "bf16").magnitude == 2 * t * (full + 3 * sparse)
    # a query attends to 2 blocks of 4 keys on sparse layers; the indexer scores every key
    assert attended_tokens(m, t).tolist() == [t, 8, 8, 8]
    assert indexed_tokens(m, t).tolist() == [0, t, t, t]
    # a decode step reads K and V of the 8 selected keys, and every indexer key
    read = 2 * (t * full + 3 * (8 * 2 * 2 * 16 + t * 8))
    assert kv_cache_read_bytes(m, t, 1, "bf16").magnitude == read


def test_layer_kinds_from_the_lists_or_the_legacy_keys() -> None:
    explicit = _text(
        layer_types=["full_attention", "minimax_m3_sparse", "full_attention", "full_attention"],
        mlp_layer_types=["sparse", "dense", "dense", "dense"],
    )
    m = read_hf_config(explicit)
    # layer_types and mlp_layer_types win over the legacy 0/1 lists
    assert m.indexer is not None and m.indexer.layers == (False, True, False, False)
    assert m.moe_layers == (True, False, False, False)
    # without either: every layer full attention (no indexer) and MoE
    m = read_hf_config(_text(moe_layer_freq=..., sparse_attention_config=...))
    assert m.indexer is None and m.moe_layers == (True,) * 4
    assert any("every layer full attention" in a for a in m.assumed)
    assert any("every layer MoE" in a for a in m.assumed)


def test_flat_index_keys_and_defaults() -> None:
    # flat keys are read where sparse_attention_config does not give the legacy one
    cfg = _text(
        index_head_dim=32,
        sparse_attention_config={"sparse_attention_freq": [0, 1, 1, 1]},
    )
    m = read_hf_config(cfg)
    assert m.indexer is not None
    # index_n_heads 4, block 128 and 16 blocks are the MiniMaxM3VLTextConfig defaults
    assert (m.indexer.n_heads, m.indexer.head_dim, m.indexer.topk) == (4, 32, 16 * 128)
    assert m.param_counts().attention == 4 * ATTN + 3 * (64 * 4 * 32 + 64 * 32)


def test_released_config_by_hand() -> None:
    m = read_hf_config(NVFP4)
    pc = m.param_counts()
    h, layers, sparse, moe = 6144, 60, 57, 57
    attn = layers * (h * 64 * 128 * 2 + 2 * h * 4 * 128) + sparse * (h * 4 * 128 + h * 128)
    routed = moe * 128 * 3 * h * 3072
    total = (
        2 * 200064 * h
        + attn
        + routed
        + moe * (3 * h * 3072 + 128 * h)
        + 3 * 3 * h * 12288
        + layers * (2 * 128 + 2 * h)
        + sparse * 2 * 128
        + h
    )
    assert pc.total == total == 426_174_565_632
    assert pc.active == total - routed + routed * 4 // 128
    # full layers: K and V of 4 heads x 128; sparse layers add the 128-wide indexer key
    e = kv_cache_elements_per_token(m)
    assert e.tolist() == [1024] * 3 + [1152] * 57
    assert float(attended_tokens(m, 10**6)[-1]) == 16 * 128
    # the vision tower is not modelled, the MTP module not built
    assert m.vision is None and pc.vision == 0
    assert any("num_mtp_modules=1" in a for a in m.assumed)


def test_minimax_m3_text_only_config_is_refused() -> None:
    # no transformers 5.24 class builds model_type minimax_m3
    with pytest.raises(ConfigError) as e:
        read_hf_config(M3)
    assert "'minimax_m3' is not supported" in str(e.value) and "\n" not in str(e.value)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"moe_layer_freq": [0, 1]}, "moe_layer_freq"),
        ({"moe_layer_freq": 1}, "moe_layer_freq"),
        ({"mlp_layer_types": ["dense", "moe", "moe", "moe"]}, "mlp_layer_types"),
        ({"layer_types": ["full_attention"] * 3}, "layer_types"),
        ({"layer_types": ["sliding_attention"] * 4}, "layer_types"),
        ({"sparse_attention_config": [1, 1]}, "sparse_attention_config"),
        (
            {"sparse_attention_config": {"sparse_attention_freq": [0, 1, 1]}},
            "sparse_attention_freq",
        ),
        (
            {
                "sparse_attention_config": {
                    "sparse_attention_freq": [0, 1, 1, 1],
                    "sparse_block_size": 0,
                }
            },
            "sparse_block_size",
        ),
        (
            {
                "layer_types": ["minimax_m3_sparse"] * 4,
                "index_topk_blocks": 0,
                "sparse_attention_config": ...,
            },
            "index_topk_blocks",
        ),
        ({"num_local_experts": 0}, "num_local_experts"),
        ({"num_key_value_heads": 3}, "num_key_value_heads"),
    ],
)
def test_impossible_configs_are_refused_naming_the_field(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ConfigError) as e:
        read_hf_config(_text(**changes))
    msg = str(e.value)
    assert field in msg and "\n" not in msg, msg
