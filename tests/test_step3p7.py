"""Step-3.5 / Step-3.7-Flash (``step3p7`` → ``step3p5``): counts and KV cache by hand.

Each expected value is worked from transformers 5.24 ``models/step3p7/modeling_step3p7.py``
(``Step3p7Attention``, ``Step3p7SparseMoeBlock``, ``Step3p7DecoderLayer``,
``Step3p7TextModel``) and ``configuration_step3p7.py`` (``Step3p7TextConfig.__post_init__``);
the randomised and released configs are checked against transformers itself in
``tests/test_families.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import llmsizing as ls
from llmsizing import ConfigError
from llmsizing.hf import read_hf_config
from llmsizing.memory import kv_cache_memory

DATA = Path(__file__).parent / "data"
FLASH = DATA / "real_configs" / "heldout" / "stepfun-ai--Step-3.7-Flash.json"


def _text(**changes: Any) -> dict[str, Any]:
    """A small Step3p7 config: 4 layers (full, sliding, sliding, full), MoE on layer 3 only."""
    text: dict[str, Any] = {
        "model_type": "step3p5",
        "vocab_size": 500,
        "hidden_size": 64,
        "intermediate_size": 96,
        "num_hidden_layers": 4,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "head_dim": 16,
        "num_sliding_attention_heads": 8,
        "layer_types": [
            "full_attention",
            "sliding_attention",
            "sliding_attention",
            "full_attention",
        ],
        "sliding_window": 8,
        "n_routed_experts": 4,
        "num_experts_per_tok": 2,
        "moe_intermediate_size": 32,
        "share_expert_dim": 48,
    }
    text.update(changes)
    return {"model_type": "step3p7", "text_config": {k: v for k, v in text.items() if v is not ...}}


# per layer: q (heads x 16) and o from/to h = 64, k and v 2 x 16 wide, g_proj one gate per head
FULL_ATTN = 64 * 64 + 2 * 64 * 32 + 64 * 64 + 4 * 64  # 12,544
SLIDING_ATTN = 64 * 128 + 2 * 64 * 32 + 128 * 64 + 8 * 64  # 20,992
DENSE = 3 * 64 * 96  # gate, up, down of intermediate_size
ROUTED = 4 * 3 * 64 * 32  # 4 experts: gate_up (2 x 32) and down
SHARED = 3 * 64 * 48  # shared_experts of share_expert_dim
ROUTER = 4 * 64
# q_norm and k_norm (head_dim) in 4 layers, 2 layer norms in each, the final norm
NORMS = 4 * 2 * 16 + 4 * 2 * 64 + 64
TOTAL = 2 * 500 * 64 + 2 * FULL_ATTN + 2 * SLIDING_ATTN + 3 * DENSE + ROUTER + ROUTED + SHARED
TOTAL += NORMS


def test_counts_by_hand() -> None:
    m = read_hf_config(_text())
    pc = m.param_counts()
    assert TOTAL == 221_120
    assert pc.total == TOTAL
    assert pc.attention == 2 * FULL_ATTN + 2 * SLIDING_ATTN
    assert pc.routed_experts == ROUTED and pc.shared_experts == SHARED
    assert pc.dense_ffn == 3 * DENSE and pc.router == ROUTER
    # a token passes 2 of the 4 experts
    assert pc.active == TOTAL - ROUTED // 2
    assert m.layer_types == ("full", "sliding", "sliding", "full")
    assert m.moe_layers == (False, False, False, True)


def test_kv_cache_by_hand() -> None:
    m = read_hf_config(_text())
    # K and V of 2 heads x 16 per token and layer, bf16: 128 bytes; the two sliding
    # layers hold min(T, 8) tokens, the two full layers T
    per = 2 * 2 * 16 * 2
    for t in (5, 8, 100):
        expected = per * (2 * t + 2 * min(t, 8))
        assert kv_cache_memory(m, t).magnitude == expected
    assert kv_cache_memory(m, 100, batch=3).magnitude == 3 * per * (200 + 16)


def test_mtp_padding_and_legacy_keys() -> None:
    # the per-layer lists padded with one MTP entry are cut to the decoder layers; the
    # legacy moe_layers_enum and attention_other_setting give MoE layers and sliding heads
    m = read_hf_config(
        _text(
            num_nextn_predict_layers=1,
            layer_types=["full_attention", "sliding_attention", "full_attention"] * 2,
            num_hidden_layers=5,
            num_sliding_attention_heads=None,
            attention_other_setting={"num_attention_heads": 8, "num_attention_groups": 2},
            moe_layers_enum="1,4,5",
        )
    )
    assert m.layer_types == ("full", "sliding", "full", "full", "sliding")
    assert m.moe_layers == (False, True, False, False, True)
    assert m.sliding_attention is not None and m.sliding_attention.num_heads == 8
    assert m.mtp_layers == 1


def test_elementwise_gate_and_ignored_num_local_experts() -> None:
    base = read_hf_config(_text()).param_counts()
    # gating false: g_proj gates every query channel (heads x head_dim), not every head
    m = read_hf_config(_text(gating=False)).param_counts()
    assert m.attention - base.attention == 2 * 64 * (64 - 4) + 2 * 64 * (128 - 8)
    # n_routed_experts (default 288) wins over num_local_experts, its attribute_map alias
    m2 = read_hf_config(_text(n_routed_experts=..., num_local_experts=4))
    assert m2.moe is not None and m2.moe.n_routed_experts == 288


def test_head_tied_only_by_the_top_level_config() -> None:
    cfg = _text(tie_word_embeddings=True)
    assert not read_hf_config(cfg).tie_word_embeddings
    assert read_hf_config({**cfg, "tie_word_embeddings": True}).tie_word_embeddings


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"num_sliding_attention_heads": 3}, "num_sliding_attention_heads"),
        ({"num_sliding_attention_heads": 0}, "num_sliding_attention_heads"),
        ({"sliding_window": None}, "sliding_window"),
        ({"layer_types": ["full_attention"] * 3}, "layer_types"),
        ({"layer_types": ["full_attention", "chunked_attention"] * 2}, "layer_types"),
        ({"mlp_layer_types": ["dense"] * 3}, "mlp_layer_types"),
        ({"moe_layers_enum": "1,x"}, "moe_layers_enum"),
        ({"n_routed_experts": 0}, "n_routed_experts"),
        ({"per_layer_config": {"9": {"num_attention_heads": 8}}}, "per_layer_config"),
        ({"per_layer_config": {"1": {"head_dim": 8}}}, "per_layer_config"),
    ],
)
def test_impossible_configs_are_one_line_naming_the_field(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ConfigError) as e:
        read_hf_config(_text(**changes))
    msg = str(e.value)
    assert "\n" not in msg and field in msg, msg


def test_saved_per_layer_config() -> None:
    # a saved config writes the sliding layers' heads as per_layer_config (zero-padded keys)
    m = read_hf_config(
        _text(
            num_sliding_attention_heads=...,
            per_layer_config={"1": {"num_attention_heads": 8}, "2": {"num_attention_heads": 8}},
        )
    )
    assert m.param_counts().total == TOTAL


def test_released_flat_config_is_read_as_transformers_builds_it() -> None:
    # the file keeps the text keys at the top level; Step3p7Config reads none of them and
    # builds Step3p7TextConfig's defaults (vocab 128,815, every layer full attention)
    m = read_hf_config(FLASH)
    real = json.loads((DATA / "hf_param_counts_real.json").read_text())["models"]
    assert m.param_counts().total == real["stepfun-ai--Step-3.7-Flash"]["total"]
    assert m.vocab_size == 128_815 and set(m.layer_types) == {"full"}
    assert any("top-level keys" in a and "sliding_window" in a for a in m.assumed)


def test_vision_tower_not_counted() -> None:
    cfg = _text() | {"vision_config": {"hidden_size": 32, "num_hidden_layers": 1}}
    m = read_hf_config(cfg)
    assert m.vision is None
    assert any("vision tower of 'step3p7' not counted" in a for a in m.assumed)
    assert m.param_counts().vision == 0


def test_fit_and_performance_run() -> None:
    m = read_hf_config(FLASH)
    assert ls.fit(m, "p5.48xlarge", {"context_len": 8192}) is not None
    ls.estimate_performance(
        m,
        "p5.48xlarge",
        {"context_len": 8192, "batch": 8, "prompt_len": 1024, "output_len": 256},
    )
