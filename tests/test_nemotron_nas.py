"""Llama-Nemotron (``model_type: nemotron-nas``, DeciLM): counts, KV cache, refused configs.

transformers has no class for this type, so the expected figures are worked by hand
from the model code: vLLM ``vllm/model_executor/models/nemotron_nas.py``
(``DeciLMDecoderLayer``, ``_ffn_mult_to_intermediate_size``, ``_find_multiple``) and the
checkpoints' ``modeling_decilm.py`` (``DeciLMAttention``: ``head_dim = hidden_size //
num_attention_heads``, ``num_key_value_heads = num_heads // n_heads_in_group``, q/k/v/o
with ``attention_bias``; ``DeciLMMLP``: gate/up/down with ``mlp_bias``;
``DeciLMLinearAttention`` / ``DeciLMLinearMLP``: one ``Linear(h, h, bias=False)``; an
RMSNorm before each sub-block that exists). Configs: Super-49B-v1 (held out, used while
writing the reader) and Ultra-253B-v1 (dev); provenance in
``tests/data/real_configs/SOURCES.md``.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import llmsizing as ls
from llmsizing import ConfigError
from llmsizing.attention import kv_cache_elements_per_token, layer_specs
from llmsizing.layout import Layout, kv_heads_per_rank, layout_problem
from llmsizing.memory import kv_cache_memory, vllm_cache_memory

REAL = Path(__file__).parent / "data" / "real_configs"
SUPER = REAL / "heldout" / "nvidia--Llama-3_3-Nemotron-Super-49B-v1.json"
ULTRA = REAL / "dev" / "nvidia--Llama-3_1-Nemotron-Ultra-253B-v1.json"


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _width(ffn_mult: float, hidden: int) -> int:
    # DeciLM _ffn_mult_to_intermediate_size: int(2 * ffn_mult * h / 3), up to a multiple of 256
    i = int(2 * ffn_mult * hidden / 3)
    return -(-i // 256) * 256


def _hand_count(cfg: dict[str, Any]) -> int:
    """Parameters of DeciLMForCausalLM, summed block by block (independent of llmsizing)."""
    h, heads, vocab = cfg["hidden_size"], cfg["num_attention_heads"], cfg["vocab_size"]
    d = h // heads
    total = vocab * h + h  # embed_tokens, final norm
    if not cfg.get("tie_word_embeddings", False):
        total += vocab * h  # lm_head
    for b in cfg["block_configs"]:
        a, f = b["attention"], b["ffn"]
        if not a["no_op"]:
            total += h  # input_layernorm
            if a.get("replace_with_linear"):
                total += h * h  # self_attn.linear_attn
            else:
                kv = heads // a["n_heads_in_group"]
                total += 2 * h * heads * d + 2 * h * kv * d  # q, o; k, v
        if not f["no_op"]:
            total += h  # post_attention_layernorm
            if f.get("replace_with_linear"):
                total += h * h  # mlp.linear_mlp
            else:
                total += 3 * h * _width(f["ffn_mult"], h)  # gate, up, down
    return total


# ----------------------------------------------------------------- Super 49B
def test_super_49b_count_by_hand() -> None:
    cfg = _load(SUPER)
    h, vocab = 8192, 128256
    assert (cfg["hidden_size"], cfg["vocab_size"], cfg["num_hidden_layers"]) == (h, vocab, 80)
    # the block_configs: 49 attention layers of n_heads_in_group 8 (64 / 8 = 8 KV heads of
    # 8192 / 64 = 128), 31 without attention; every layer has an FFN, of these ffn_mult
    att = [b["attention"] for b in cfg["block_configs"]]
    assert sum(not a["no_op"] and a["n_heads_in_group"] == 8 for a in att) == 49
    assert sum(a["no_op"] for a in att) == 31
    assert not any(a["replace_with_linear"] for a in att)
    mults = [b["ffn"]["ffn_mult"] for b in cfg["block_configs"]]
    counts = {5.25: 49, 2.625: 6, 3.28125: 1, 1.3125: 10, 1.0: 8, 0.5: 6}
    assert {m: mults.count(m) for m in counts} == counts and len(mults) == 80
    # widths: int(2 mu 8192 / 3) rounded up to a multiple of 256
    widths = {
        5.25: 28672,  # 28672 exactly
        2.625: 14336,  # 14336 exactly
        3.28125: 17920,  # 17920 exactly
        1.3125: 7168,  # 7168 exactly
        1.0: 5632,  # int(5461.33) = 5461 -> 5632
        0.5: 2816,  # int(2730.67) = 2730 -> 2816
    }
    assert {m: _width(m, h) for m in widths} == widths
    embed = vocab * h  # 1,050,673,152; lm_head the same (untied)
    attn = 49 * (2 * h * h + 2 * h * 8 * 128)  # q, o: h x h; k, v: h x 1024
    ffn = sum(n * 3 * h * widths[m] for m, n in counts.items())
    norms = (49 + 80 + 1) * h  # input_layernorm x 49, post_attention_layernorm x 80, norm
    assert (embed, attn, ffn, norms) == (1_050_673_152, 7_398_752_256, 40_365_981_696, 1_064_960)
    total = 2 * embed + attn + ffn + norms
    assert total == 49_867_145_216 == _hand_count(cfg)
    m = ls.read_hf_config(cfg)
    pc = m.param_counts()
    assert pc.total == total
    assert (pc.embedding, pc.lm_head, pc.attention, pc.dense_ffn, pc.norms) == (
        embed,
        embed,
        attn,
        ffn,
        norms,
    )
    # the model card names the checkpoint 49B; 49,867,145,216 rounds to 49.9B
    assert round(total / 1e9, 1) == 49.9


def test_super_49b_tensors_follow_the_model_code() -> None:
    m = ls.read_hf_config(_load(SUPER))
    names = {t.name: t.shape for t in m.tensors()}
    # layer 0: attention (8 KV heads) and an FFN of ffn_mult 2.625
    assert names["layers.0.self_attn.q_proj"] == (8192, 8192)
    assert names["layers.0.self_attn.k_proj"] == (1024, 8192)
    assert names["layers.0.self_attn.v_proj"] == (1024, 8192)
    assert names["layers.0.self_attn.o_proj"] == (8192, 8192)
    assert names["layers.0.mlp.gate_proj"] == (14336, 8192)
    assert names["layers.0.mlp.down_proj"] == (8192, 14336)
    assert "layers.0.input_layernorm" in names and "layers.0.post_attention_layernorm" in names
    # layer 6: no attention, hence no input_layernorm, and no K/V
    assert not any(n.startswith("layers.6.self_attn") for n in names)
    assert "layers.6.input_layernorm" not in names
    assert "layers.6.post_attention_layernorm" in names
    assert names["lm_head"] == (128256, 8192) and "norm" in names
    assert m.layer_types[6] == "none" and m.layer_types[0] == "full"


def test_super_49b_kv_cache_by_hand() -> None:
    m = ls.read_hf_config(_load(SUPER))
    # per token: 49 attention layers x 2 (K, V) x 8 KV heads x 128 x 2 bytes (bf16)
    per_token = 49 * 2 * 8 * 128 * 2
    assert per_token == 200_704
    assert int(kv_cache_elements_per_token(m).sum()) * 2 == per_token
    assert int(np.count_nonzero(kv_cache_elements_per_token(m))) == 49
    assert ls.kv_cache_bytes_per_token(m, "bf16").magnitude == per_token
    got = kv_cache_memory(m, 8192, batch=2).to("B").magnitude
    assert got == 2 * 8192 * per_token


def test_super_49b_fits_and_runs_on_p5() -> None:
    m = ls.read_hf_config(_load(SUPER))
    fit = ls.fit(m, "p5.48xlarge", {"context_len": 8192})
    assert fit.fits
    perf = ls.estimate_performance(
        m,
        "p5.48xlarge",
        {"context_len": 8192, "batch": 8, "prompt_len": 1024, "output_len": 256},
    )
    assert perf.ttft.magnitude > 0 and perf.tpot.magnitude > 0
    # 64 query heads on every attention layer: TP must divide them on GPU engines; past the
    # 8 KV heads (TP16) the KV heads replicate, one per rank
    assert layout_problem(m, Layout(tp=3), 8, pads_heads=False) is not None
    assert layout_problem(m, Layout(tp=8), 8, pads_heads=False) is None
    assert [kv_heads_per_rank(m, tp) for tp in (1, 2, 4, 8, 16)] == [8, 4, 2, 1, 1]


# ----------------------------------------------------------------- Ultra 253B
def test_ultra_253b_count_by_hand() -> None:
    cfg = _load(ULTRA)
    assert (cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_hidden_layers"]) == (
        16384,
        128,
        162,
    )
    att = [b["attention"] for b in cfg["block_configs"]]
    ffn = [b["ffn"] for b in cfg["block_configs"]]
    # 64 attention layers of n_heads_in_group 16 (8 KV heads), 98 without; 81 FFNs
    assert sum(not a["no_op"] and a["n_heads_in_group"] == 16 for a in att) == 64
    assert sum(a["no_op"] for a in att) == 98 and sum(f["no_op"] for f in ffn) == 81
    total = _hand_count(cfg)
    assert total == 253_401_268_224
    m = ls.read_hf_config(cfg)
    assert m.param_counts().total == total
    # 64 layers x 2 x 8 heads x 128 x 2 bytes per token
    assert ls.kv_cache_bytes_per_token(m, "bf16").magnitude == 64 * 2 * 8 * 128 * 2
    # the published name: Llama-3_1-Nemotron-Ultra-253B-v1
    assert round(total / 1e9) == 253


# ----------------------------------------------------------- synthetic blocks
def _block(g: int | None, mult: float | None, *, attn: str = "", ffn: str = "") -> dict[str, Any]:
    return {
        "attention": {
            "n_heads_in_group": g,
            "no_op": attn == "no_op",
            "replace_with_linear": attn == "linear",
        },
        "ffn": {"ffn_mult": mult, "no_op": ffn == "no_op", "replace_with_linear": ffn == "linear"},
    }


def _tiny() -> dict[str, Any]:
    return {
        "model_type": "nemotron-nas",
        "vocab_size": 1000,
        "hidden_size": 512,
        "num_attention_heads": 8,
        "num_hidden_layers": 5,
        "tie_word_embeddings": True,
        "block_configs": [
            _block(1, 2.0),  # MHA: 8 KV heads
            _block(4, 1.0),  # 2 KV heads
            _block(8, None, ffn="no_op"),  # 1 KV head, no FFN
            _block(None, 0.5, attn="linear"),  # linear attention replacement
            _block(None, None, attn="no_op", ffn="linear"),  # nothing, then a linear FFN
        ],
    }


def test_synthetic_blocks_count_by_hand() -> None:
    cfg = _tiny()
    h, d = 512, 64
    # widths: int(2 * 2 * 512 / 3) = 682 -> 768; int(2 * 512 / 3) = 341 -> 512;
    # int(512 / 3) = 170 -> 256
    layer0 = h + 2 * h * h + 2 * h * 8 * d + h + 3 * h * 768
    layer1 = h + 2 * h * h + 2 * h * 2 * d + h + 3 * h * 512
    layer2 = h + 2 * h * h + 2 * h * 1 * d  # no FFN, no post_attention_layernorm
    layer3 = h + h * h + h + 3 * h * 256  # input_layernorm + linear_attn; FFN
    layer4 = h + h * h  # post_attention_layernorm + linear_mlp
    total = 1000 * h + layer0 + layer1 + layer2 + layer3 + layer4 + h  # tied: no lm_head
    assert total == _hand_count(cfg) == 5_693_952
    m = ls.read_hf_config(cfg)
    assert m.param_counts().total == total
    names = {t.name: t.shape for t in m.tensors()}
    assert names["layers.3.self_attn.linear_attn"] == (h, h)
    assert names["layers.4.mlp.linear_mlp"] == (h, h)
    assert (
        "layers.4.input_layernorm" not in names and "layers.2.post_attention_layernorm" not in names
    )
    assert names["layers.1.self_attn.k_proj"] == (2 * d, h)
    assert "lm_head" not in names
    assert m.layer_types == ("full", "full", "full", "none", "none")


def test_synthetic_kv_uses_each_layers_heads() -> None:
    m = ls.read_hf_config(_tiny())
    # 2 x (8 + 2 + 1) heads x 64 elements; the linear and no-op layers hold none
    assert kv_cache_elements_per_token(m).tolist() == [1024, 256, 128, 0, 0]
    assert [len(s) for s in layer_specs(m)] == [1, 1, 1, 0, 0]
    # TP4: 2, 1 (0.5 -> replicated) and 1 heads per rank of 8, 2 and 1: 4 of 11 heads
    assert kv_heads_per_rank(m, 4) == pytest.approx(8 * 4 / 11)
    # vLLM's pool on one of 4 ranks: each layer divided by min(tp, its KV heads)
    per_rank = vllm_cache_memory(m, 16, tp=4).to("B").magnitude
    assert per_rank == 16 * 2 * (1024 // 4 + 256 // 2 + 128 // 1)


def test_intermediate_size_in_place_of_ffn_mult() -> None:
    # vLLM DeciLMDecoderLayer: block_config.ffn.intermediate_size where there is no ffn_mult
    cfg = _tiny()
    cfg["block_configs"][0]["ffn"] = {"intermediate_size": 1000, "no_op": False}
    m = ls.read_hf_config(cfg)
    assert {t.name: t.shape for t in m.tensors()}["layers.0.mlp.up_proj"] == (1000, 512)


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (
            lambda c: c["block_configs"][1]["attention"].update(n_heads_in_group=3),
            "n_heads_in_group",
        ),
        (lambda c: c["block_configs"].pop(), "block_configs"),
        (lambda c: c["block_configs"][0]["ffn"].pop("ffn_mult"), "ffn_mult"),
        (lambda c: c["block_configs"][0]["ffn"].update(ffn_mult="big"), "ffn_mult"),
        (lambda c: c.pop("block_configs"), "block_configs"),
        (lambda c: c["block_configs"].__setitem__(0, 3), "block_configs[0].attention"),
        (lambda c: c["block_configs"][0]["attention"].update(window_length=64), "window_length"),
        (lambda c: c.update(head_dim=32), "head_dim"),
    ],
)
def test_impossible_configs_are_refused_in_one_line(edit: Any, field: str) -> None:
    cfg = copy.deepcopy(_tiny())
    edit(cfg)
    with pytest.raises(ConfigError) as e:
        ls.read_hf_config(cfg)
    msg = str(e.value)
    assert "\n" not in msg and field in msg and "'nemotron-nas'" in msg
