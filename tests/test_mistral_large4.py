"""Mistral Large 4 (``mistral_large4`` → ``mistral_large4_text``): counts and caches by hand.

Each expected value is worked from transformers 5.24 ``models/mistral_large4``
(``MistralLarge4TextAttention``: MLA with a full ``q_proj``, NoPE layers whose key is all
"nope", layers that read another layer's latent (``kv_source_layers``);
``MistralLarge4TextIndexer``; ``MistralLarge4TextSoftmaxScaling``) at the class defaults,
which are the released Mistral-Large-4-1T-A52B shape. Randomised configs are checked against
transformers itself in ``tests/test_families.py``.
"""

from __future__ import annotations

import pytest

from llmsizing import ConfigError
from llmsizing.hf import read_hf_config
from llmsizing.memory import kv_cache_bytes_per_token
from llmsizing.model import ModelConfig

H, HEADS, KV_LORA, ROPE, LAYERS = 6144, 64, 512, 64, 72
NOPE_LAYERS = 18  # no_rope_layer_interval 4: (i + 1) % 4 == 0


def _read(**text: object) -> ModelConfig:
    return read_hf_config({"model_type": "mistral_large4", "text_config": text})


def test_the_class_default_is_1t_with_52b_active() -> None:
    pc = read_hf_config({"model_type": "mistral_large4"}).param_counts()
    assert round(pc.total / 1e12, 2) == 1.05  # "1T"
    assert round(pc.active_excluding_embedding / 1e9) == 52  # "A52B"


def test_nope_layers_cache_no_rope_key_and_widen_the_key() -> None:
    m = read_hf_config({"model_type": "mistral_large4"})
    # 54 RoPE layers cache the latent and the rope key, 18 NoPE layers the latent alone;
    # every layer's indexer key in vLLM's fp8 format (128 bytes + a 4-byte scale)
    latent = (LAYERS - NOPE_LAYERS) * (KV_LORA + ROPE) + NOPE_LAYERS * KV_LORA
    assert float(kv_cache_bytes_per_token(m, "bf16").to("B").m) == latent * 2 + LAYERS * 132
    # a NoPE layer: kv_a_proj_with_mqa without the rope slice, kv_b_proj's key ROPE wider
    rope_everywhere = _read(no_rope_layers=[1] * LAYERS)
    per_layer = -H * ROPE + KV_LORA * HEADS * ROPE
    total = m.param_counts().total
    assert total - rope_everywhere.param_counts().total == NOPE_LAYERS * per_layer


def test_a_layer_reading_another_latent_has_no_down_projection_and_no_cache() -> None:
    base = read_hf_config({"model_type": "mistral_large4"})
    sources = list(range(LAYERS))
    sources[5] = 1  # both RoPE layers
    m = _read(kv_source_layers=sources)
    dropped = H * (KV_LORA + ROPE) + KV_LORA  # kv_a_proj_with_mqa and kv_a_layernorm
    assert base.param_counts().total - m.param_counts().total == dropped
    # its latent is gone from the cache; its own indexer keys stay
    saved = kv_cache_bytes_per_token(base, "bf16") - kv_cache_bytes_per_token(m, "bf16")
    assert float(saved.to("B").m) == (KV_LORA + ROPE) * 2


def test_a_source_of_the_other_rope_kind_is_refused() -> None:
    sources = list(range(LAYERS))
    sources[5] = 3  # layer 3 is a NoPE layer, layer 5 a RoPE one
    with pytest.raises(ConfigError, match="cannot read the latent"):
        _read(kv_source_layers=sources)
