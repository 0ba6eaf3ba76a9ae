"""Qwen4-Exp (``qwen4_exp`` → ``qwen4_exp_text``, released as Qwen3.8-Flash-Next) by hand.

Each expected value is worked from transformers 5.24 ``models/qwen4_exp/modeling_qwen4_exp.py``
(``Qwen4ExpTextGatedResidual``: two gated low-rank residuals per layer and the closing
``hyper_connection_mixer``; ``Qwen4ExpTextPLELayer``: a hashed n-gram table with its
projections, norms and conv; ``Qwen4ExpTextQSAIndexer``). The released shape is the
config.json of RadixArk/Qwen3.8-Flash-Next-NVFP4 (its quantization_config left out) as
public parsers quote it; transformers instantiates 176,943,899,520 language-model
parameters from it. Randomised configs are checked against transformers itself in
``tests/test_families.py``.
"""

from __future__ import annotations

from typing import Any

import pytest

from llmsizing import ConfigError
from llmsizing.hf import read_hf_config
from llmsizing.memory import kv_cache_memory


def released() -> dict[str, Any]:
    n = 48
    types = ["full_attention" if (i + 1) % 4 == 0 else "linear_attention" for i in range(n)]
    return {
        "architectures": ["Qwen4ExpForConditionalGeneration"],
        "model_type": "qwen4_exp",
        "tie_word_embeddings": False,
        "text_config": {
            "model_type": "qwen4_exp_text",
            "hidden_size": 2560,
            "num_hidden_layers": n,
            "num_attention_heads": 24,
            "num_key_value_heads": 2,
            "head_dim": 256,
            "vocab_size": 248320,
            "eos_token_id": 248044,
            "rms_norm_eps": 1e-06,
            "max_position_embeddings": 262144,
            "num_experts": 512,
            "num_experts_per_tok": 10,
            "moe_intermediate_size": 640,
            "shared_expert_intermediate_size": 640,
            "layer_types": types,
            "linear_num_key_heads": 16,
            "linear_num_value_heads": 48,
            "linear_key_head_dim": 128,
            "linear_value_head_dim": 128,
            "linear_conv_kernel_dim": 4,
            "hc_count": 4,
            "hc_lowrank": 320,
            "indexer_budget": 2048,
            "indexer_compress_ratio": 4,
            "indexer_head_dim": 128,
            "indexer_n_heads": 4,
            "indexer_kv_heads": 1,
            "ngram_size": 3,
            "ngram_vocab_size_base": 20000000,
            "heads_per_ngram": 8,
            "split_ngram_parts": 128,
            "make_ngram_vocab_size_divisible_by": 128,
            "ple_layer_ids": [2],
            "ple_embed_dim": 2560,
            "ple_conv_kernel_size": 4,
            "output_gate_type": "sigmoid",
            "tie_word_embeddings": False,
            "rope_parameters": {
                "mrope_interleaved": True,
                "mrope_section": [11, 11, 10],
                "partial_rotary_factor": 0.25,
                "rope_theta": 10000000,
                "rope_type": "default",
            },
        },
        "vision_config": {
            "depth": 27,
            "hidden_size": 1152,
            "intermediate_size": 4304,
            "num_heads": 16,
            "out_hidden_size": 2560,
            "patch_size": 16,
            "spatial_merge_size": 2,
            "temporal_patch_size": 2,
        },
    }


H, L, S, R = 2560, 48, 4, 320
W = S * H  # the residual stream: four copies of the hidden state


def test_the_released_shape_counts_as_transformers_builds_it() -> None:
    pc = read_hf_config(released()).param_counts()
    assert pc.total == 176_943_899_520


def test_hyper_connections_are_two_gated_residuals_per_layer_and_a_mixer() -> None:
    residual = W + R * W + W * R + S * W  # hc_norm, mix down, mix up, block inject
    mixer = W + R * W + W * R
    cfg = released()
    base = read_hf_config(cfg).param_counts().total
    cfg["text_config"]["hc_lowrank"] = 160
    half = read_hf_config(cfg).param_counts().total
    assert L * 2 * residual + mixer == 640_624_640
    assert base - half == L * 2 * 2 * 160 * W + 2 * 160 * W


def test_the_ngram_table_is_a_lookup_of_16_heads() -> None:
    # layer 2 (one-indexed): (3 - 1) x 8 heads, each its own prime >= 20,000,000, padded
    # to 128 rows in all: 320,001,536 rows of 2560 / 16 = 160
    m = read_hf_config(released())
    g = m.ngram_embeddings
    assert g is not None and g.layers == (1,) and g.rows == (320_001_536,) and g.heads == 16
    pc = m.param_counts()
    table = 320_001_536 * 160
    # looked up, not multiplied: out of the active count without embeddings
    assert pc.active - pc.active_excluding_embedding == table + 248320 * H


def test_attention_layers_cache_k_v_and_the_indexer_key() -> None:
    # 12 attention layers: K and V of 2 heads x 256 and one 128-wide indexer key per token
    m = read_hf_config(released())
    grow = kv_cache_memory(m, 20_000, 1, "bf16") - kv_cache_memory(m, 10_000, 1, "bf16")
    assert float(grow.to("B").m) == 10_000 * 12 * (2 * 2 * 256 + 128) * 2


def test_the_class_default_has_no_indexer_settings_and_is_refused() -> None:
    with pytest.raises(ConfigError, match="indexer"):
        read_hf_config({"model_type": "qwen4_exp_text"})


def test_ngram_layers_must_be_linear_attention_layers() -> None:
    cfg: dict[str, Any] = released()
    cfg["text_config"]["ple_layer_ids"] = [4]  # layer 4 is an attention layer
    with pytest.raises(ConfigError, match="linear_attention"):
        read_hf_config(cfg)
