"""LongCat-Flash (``longcat_flash``): counts, active parameters and KV cache by hand.

Each expected value is worked from transformers 5.24 ``models/longcat_flash``
(``LongcatFlashDecoderLayer``: two MLA sublayers, two dense MLPs of ``ffn_hidden_size``,
four norms and one shortcut MoE per block; ``LongcatFlashTopkRouter``: a classifier over
the routed and zero experts; ``LongcatFlashExperts``: zero experts are identities) and
checked against Meituan's published figures: 560B total, 18.6B-31.3B activated, about
27B on average (LongCat-Flash Technical Report, arXiv:2509.01322). The class defaults
are the released shape. Randomised configs are checked against transformers itself in
``tests/test_families.py`` (with ``gate_up_proj`` cut to the routed experts: transformers
5.24 allocates rows for the zero experts that no checkpoint holds).
"""

from __future__ import annotations

import pytest

from llmsizing import ConfigError
from llmsizing.hf import read_hf_config
from llmsizing.memory import kv_cache_bytes_per_token

# LongcatFlashConfig defaults
H, V, BLOCKS, HEADS = 6144, 131072, 28, 64
Q_LORA, KV_LORA, NOPE, ROPE, VD = 1536, 512, 128, 64, 128
FFN, E, Z, K, I_E = 12288, 512, 256, 12, 2048

MLA = (
    H * Q_LORA
    + Q_LORA * HEADS * (NOPE + ROPE)
    + H * (KV_LORA + ROPE)
    + KV_LORA * HEADS * (NOPE + VD)
    + HEADS * VD * H
    + Q_LORA
    + KV_LORA  # q_a_layernorm, kv_a_layernorm
)
MLP = 3 * H * FFN  # mlps[0] and mlps[1] each
ROUTED = E * 3 * H * I_E
ROUTER = (E + Z) * H  # the classifier scores the zero experts too
BLOCK = 2 * MLA + 2 * MLP + ROUTED + ROUTER + 4 * H
TOTAL = 2 * V * H + BLOCKS * BLOCK + H


def test_the_class_default_config_is_the_released_560b() -> None:
    m = read_hf_config({"model_type": "longcat_flash"})
    pc = m.param_counts()
    assert pc.total == TOTAL == 560_664_958_976
    assert round(pc.total / 1e9) == 561  # "560B"
    # two llmsizing layers per decoder block, the MoE on the first
    assert m.num_layers == 2 * BLOCKS
    assert sum(m.moe_layers) == BLOCKS


def test_active_counts_the_real_experts_a_token_reaches_on_average() -> None:
    # 12 picks among 512 routed and 256 zero experts: 12 x 512 / 768 = 8 real experts
    m = read_hf_config({"model_type": "longcat_flash"})
    assert m.moe is not None and m.moe.real_experts_per_token == 8
    pc = m.param_counts()
    assert pc.active == TOTAL - BLOCKS * ROUTED + BLOCKS * ROUTED * K // (E + Z)
    # Meituan: 18.6B to 31.3B activated (0 to 12 real experts), about 27B on average,
    # all without the input embedding
    floor = pc.active_excluding_embedding - BLOCKS * ROUTED * K // (E + Z)
    ceiling = floor + BLOCKS * ROUTED * K // E
    assert (round(floor / 1e9, 1), round(ceiling / 1e9, 1)) == (18.7, 31.4)
    assert round(pc.active_excluding_embedding / 1e9) == 27


def test_every_sublayer_caches_one_latent() -> None:
    # 2 x 28 MLA caches of kv_lora_rank + qk_rope_head_dim (vLLM/FlashMLA latent)
    m = read_hf_config({"model_type": "longcat_flash"})
    assert float(kv_cache_bytes_per_token(m, "bf16").to("B").m) == 2 * BLOCKS * (KV_LORA + ROPE) * 2


def test_num_hidden_layers_sets_the_blocks_as_the_config_setter_does() -> None:
    # LongcatFlashConfig: num_hidden_layers is 2 * num_layers; a given value sets value // 2
    m = read_hf_config({"model_type": "longcat_flash", "num_hidden_layers": 9, "num_layers": 3})
    assert m.num_layers == 8
    assert any("overridden" in a for a in m.assumed)


def test_without_zero_experts_every_pick_is_a_real_expert() -> None:
    m = read_hf_config({"model_type": "longcat_flash", "zero_expert_num": 0})
    pc = m.param_counts()
    assert pc.total == TOTAL - BLOCKS * Z * H
    assert pc.active == pc.total - BLOCKS * ROUTED + BLOCKS * ROUTED * K // E


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"moe_topk": 769}, "moe_topk"),
        ({"q_lora_rank": None}, "q_lora_rank"),
        ({"qk_head_dim": 100}, "qk_head_dim"),
    ],
)
def test_impossible_configs_are_refused(change: dict[str, object], reason: str) -> None:
    with pytest.raises(ConfigError, match=reason):
        read_hf_config({"model_type": "longcat_flash", **change})
