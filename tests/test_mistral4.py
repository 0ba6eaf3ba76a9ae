"""Mistral Small 4 (``mistral4``, and the ``mistral3`` wrapper around it): counts and KV by hand.

Each expected value is worked from transformers 5.24 ``models/mistral4/modeling_mistral4.py``
(``Mistral4Attention``: DeepSeek-V2's MLA; ``Mistral4MoE``: routed experts, a router weight and
``n_shared_experts`` shared MLPs; ``Mistral4DecoderLayer``: MoE iff
``layer_idx >= first_k_dense_replace``) and ``configuration_mistral4.py`` (the class defaults
are the released Mistral-Small-4-119B shape). Randomised configs are checked against
transformers itself in ``tests/test_families.py``.
"""

from __future__ import annotations

from typing import Any

import pytest

from llmsizing.hf import read_hf_config
from llmsizing.memory import kv_cache_bytes_per_token

# Mistral4Config defaults
H, V, L, HEADS = 4096, 131072, 36, 32
Q_LORA, KV_LORA, NOPE, ROPE, VD = 1024, 256, 64, 64, 128
E, K, I_MOE = 128, 4, 2048

ATTN = (
    H * Q_LORA  # q_a_proj
    + Q_LORA * HEADS * (NOPE + ROPE)  # q_b_proj
    + H * (KV_LORA + ROPE)  # kv_a_proj_with_mqa
    + KV_LORA * HEADS * (NOPE + VD)  # kv_b_proj
    + HEADS * VD * H  # o_proj
    + Q_LORA
    + KV_LORA  # q_a_layernorm, kv_a_layernorm
)
ROUTED = E * 3 * H * I_MOE  # gate_up_proj (2 I) and down_proj per expert
SHARED = 3 * H * I_MOE  # one shared MLP of moe_intermediate_size
ROUTER = E * H
LAYER = ATTN + ROUTED + SHARED + ROUTER + 2 * H  # input and post-attention RMSNorms
TOTAL = 2 * V * H + L * LAYER + H  # embedding, head (untied), layers, final norm


def test_the_class_default_config_is_mistral_small_4() -> None:
    pc = read_hf_config({"model_type": "mistral4"}).param_counts()
    assert pc.total == TOTAL == 118_972_826_624
    # Mistral AI: "119B total parameters"
    assert round(pc.total / 1e9) == 119
    # a token runs K of E routed experts
    assert pc.active == TOTAL - L * ROUTED * (E - K) // E


def test_the_latent_is_cached_per_layer() -> None:
    # vLLM/FlashMLA cache kv_lora_rank + qk_rope_head_dim per layer and token
    m = read_hf_config({"model_type": "mistral4"})
    assert float(kv_cache_bytes_per_token(m, "bf16").to("B").m) == L * (KV_LORA + ROPE) * 2


def test_first_k_dense_replace_sets_the_dense_layers() -> None:
    m = read_hf_config({"model_type": "mistral4", "first_k_dense_replace": 2})
    dense = 3 * H * 12288  # Mistral4MLP of intermediate_size
    expected = TOTAL - 2 * (ROUTED + SHARED + ROUTER) + 2 * dense
    assert m.param_counts().total == expected


def test_keys_mistral4_does_not_read_are_ignored_and_said() -> None:
    # no moe_layer_freq, no MTP in Mistral4Config: transformers builds every layer as MoE
    cfg = {"model_type": "mistral4", "moe_layer_freq": 2, "num_nextn_predict_layers": 1}
    m = read_hf_config(cfg)
    assert m.param_counts().total == TOTAL
    assert any("moe_layer_freq" in a and "ignored" in a for a in m.assumed)


@pytest.mark.parametrize("tie", [True, False])
def test_the_mistral3_wrapper_reads_its_mistral4_text_config(tie: Any) -> None:
    # Mistral-Small-4 ships as Mistral3ForConditionalGeneration around a mistral4 language model
    cfg = {
        "model_type": "mistral3",
        "text_config": {"model_type": "mistral4"},
        "vision_config": {"model_type": "pixtral"},
        "tie_word_embeddings": tie,
    }
    pc = read_hf_config(cfg).param_counts()
    assert pc.total == TOTAL - (V * H if tie else 0)
