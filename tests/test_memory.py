"""Weight, KV-cache and expert memory (llmsizing.memory).

Expected values are derived by hand in each test: KV bytes from the per-token formulas of
the attention papers (MHA/GQA/MQA: 2 · kv_heads · head_dim per layer; MLA: the latent
d_c + d_h^R per layer, DeepSeek-V2 section 2.1.4), windowed layers holding min(context,
window) tokens; weight bytes from the storage formats' own definitions (bf16 2 bytes; FP8
e4m3 plus one fp32 scale per 128x128 block, DeepSeek-V3 README_WEIGHTS.md; MXFP4 = 32 E2M1
elements sharing one E8M0 scale, OCP MX v1.0; INT4 with one fp16 scale per 128 inputs).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

import llmsizing as ls
from llmsizing import ModelConfig, UnknownNameError, WorkloadError, load_model
from llmsizing.memory import DTYPES, dtype_bits, tensor_bytes
from llmsizing.model import Tensor
from llmsizing.presets import read_hf_config
from llmsizing.units import ureg

GB = 1e9
GiB = 2**30


def nbytes(q: Any) -> Any:
    """Magnitude in bytes (also checks the quantity is information)."""
    assert q.check("[information]")
    return q.to("B").magnitude


def tiny(kv_heads: int, **extra: Any) -> ModelConfig:
    """8 heads of 64 (hidden 512), 4 layers, with ``kv_heads`` K/V heads."""
    return read_hf_config(
        {
            "model_type": "llama",
            "vocab_size": 1000,
            "hidden_size": 512,
            "intermediate_size": 1024,
            "num_hidden_layers": 4,
            "num_attention_heads": 8,
            "num_key_value_heads": kv_heads,
            **extra,
        }
    )


# --------------------------------------------------------------------- format helpers
def fp8(r: int, c: int) -> int:
    """FP8 e4m3 matrix (r out x c in): 1 byte per weight + one fp32 per 128x128 block."""
    return r * c + 4 * math.ceil(r / 128) * math.ceil(c / 128)


def mxfp4(r: int, c: int) -> int:
    """MXFP4: half a byte per weight + one 1-byte E8M0 scale per 32 inputs of each row."""
    return r * c // 2 + r * math.ceil(c / 32)


def int4(r: int, c: int) -> int:
    """INT4 group 128: half a byte per weight + one 2-byte fp16 scale per 128 inputs."""
    return r * c // 2 + 2 * r * math.ceil(c / 128)


# ====================================================================== KV cache
@pytest.mark.parametrize(
    ("kv_heads", "per_token"),
    [
        (8, 2 * 8 * 64 * 4 * 2),  # MHA: K and V for 8 heads of 64, 4 layers, 2 bytes
        (2, 2 * 2 * 64 * 4 * 2),  # GQA, 4 query heads per KV head
        (1, 2 * 1 * 64 * 4 * 2),  # MQA
    ],
)
def test_kv_per_token_by_attention_kind(kv_heads: int, per_token: int) -> None:
    m = tiny(kv_heads)
    assert nbytes(ls.kv_cache_bytes_per_token(m, "bf16")) == per_token
    assert nbytes(ls.kv_cache_memory(m, 1000, 3, "bf16")) == 3 * 1000 * per_token
    assert nbytes(ls.kv_cache_memory(m, 1000, 3, "fp32")) == 2 * 3 * 1000 * per_token


@pytest.mark.parametrize(
    ("name", "per_token"),
    [
        # 2 (K, V) · kv_heads · head_dim · layers · 2 bytes (bf16)
        ("llama-3.1-8b", 2 * 8 * 128 * 32 * 2),  # 131,072
        ("llama-3.1-70b", 2 * 8 * 128 * 80 * 2),  # 327,680
        ("llama-3.1-405b", 2 * 8 * 128 * 126 * 2),  # 516,096
        ("mixtral-8x7b", 2 * 8 * 128 * 32 * 2),
        ("qwen3-235b-a22b", 2 * 4 * 128 * 94 * 2),  # 192,512
        ("olmo-2-13b", 2 * 40 * 128 * 40 * 2),  # MHA: 819,200
        # MLA latent: (kv_lora_rank + qk_rope_head_dim) · layers · 2 bytes
        ("deepseek-v3", (512 + 64) * 61 * 2),  # 70,272
        ("deepseek-v2", (512 + 64) * 60 * 2),  # 69,120
    ],
)
def test_kv_per_token_presets(name: str, per_token: int) -> None:
    assert nbytes(ls.kv_cache_bytes_per_token(load_model(name), "bf16")) == per_token


def test_kv_literal_values() -> None:
    assert nbytes(ls.kv_cache_bytes_per_token(load_model("llama-3.1-70b"))) == 327_680
    assert nbytes(ls.kv_cache_bytes_per_token(load_model("deepseek-v3"))) == 70_272


def test_mla_expanded() -> None:
    m = load_model("deepseek-v3")
    # expanded per-head K (nope 128 + rope 64) and V (128) for 128 heads, 61 layers, bf16
    expanded = 128 * (128 + 64 + 128) * 61 * 2
    assert nbytes(ls.kv_cache_bytes_per_token(m, "bf16", mla="expanded")) == expanded
    assert nbytes(ls.kv_cache_bytes_per_token(ls.as_mha(m), "bf16")) == expanded
    assert nbytes(ls.kv_cache_memory(m, 4096, 2, "bf16", mla="expanded")) == 2 * 4096 * expanded


def test_kv_dtypes_and_custom_bits() -> None:
    m = load_model("llama-3.1-70b")
    bf16 = nbytes(ls.kv_cache_memory(m, 8192, 1, "bf16"))
    assert bf16 == 8192 * 327_680
    assert nbytes(ls.kv_cache_memory(m, 8192, 1, "fp8")) * 2 == bf16
    assert nbytes(ls.kv_cache_memory(m, 8192, 1, "int4")) * 4 == bf16
    assert nbytes(ls.kv_cache_memory(m, 8192, 1, 6)) == pytest.approx(bf16 * 6 / 16)
    assert nbytes(ls.kv_cache_bytes_per_token(m, 6)) == pytest.approx(327_680 * 6 / 16)
    assert dtype_bits("bfloat16") == 16
    assert dtype_bits(6) == 6


def test_sliding_window_everywhere_mistral() -> None:
    # Mistral 7B paper: window W = 4096 on every layer; per token 2·8·128·32·2 = 131,072 B
    m = load_model("mistral-7b-v0.1")
    per_token = 2 * 8 * 128 * 32 * 2
    for ctx in (1, 1000, 4096):
        assert nbytes(ls.kv_cache_memory(m, ctx)) == ctx * per_token
    for ctx in (4097, 8192, 32768, 10**6):
        assert nbytes(ls.kv_cache_memory(m, ctx)) == 4096 * per_token
    assert float(ls.kv_cache_ratio(m, ls.as_full_attention(m), 8192)) == 0.5


def test_gemma3_hybrid_local_global() -> None:
    # Gemma 3 report: 5 local (window 1024) : 1 global over 62 layers -> 10 global, 52 local;
    # per layer and token 2 · 16 kv heads · 128 · 2 bytes = 8192 B
    m = load_model("gemma-3-27b")
    per_layer = 2 * 16 * 128 * 2
    for ctx in (1, 512, 1024):
        assert nbytes(ls.kv_cache_memory(m, ctx)) == 62 * per_layer * ctx
    expected = 10 * per_layer * 32768 + 52 * per_layer * 1024
    assert expected == 3_120_562_176
    assert nbytes(ls.kv_cache_memory(m, 32768)) == expected
    # averaged over the context: 10 · 8192 + 52 · 8192 · 1024 / 32768 = 95,232 B/token
    avg = ls.kv_cache_bytes_per_token(m, "bf16", context_len=32768)
    assert nbytes(avg) == pytest.approx(95_232)
    assert nbytes(ls.kv_cache_bytes_per_token(m, "bf16")) == 62 * per_layer
    # vs every layer global at 32k: (10 · 32768 + 52 · 1024) / (62 · 32768) = 0.1875
    assert float(ls.kv_cache_ratio(m, ls.as_full_attention(m), 32768)) == pytest.approx(0.1875)


def test_gpt_oss_alternating_window() -> None:
    # gpt-oss-120b: 36 layers alternating 128-token window / full; 8 KV heads of 64
    m = load_model("gpt-oss-120b")
    per_layer = 2 * 8 * 64 * 2  # 2048 B per layer and token
    ctx = 131072
    assert nbytes(ls.kv_cache_memory(m, ctx)) == 18 * per_layer * ctx + 18 * per_layer * 128
    assert nbytes(ls.kv_cache_memory(m, 100)) == 36 * per_layer * 100


def test_llama4_chunked() -> None:
    # Llama 4: chunked attention (8192) on 3 of every 4 layers, global on every 4th:
    # 36 chunked + 12 global layers of 2 · 8 · 128 · 2 = 4096 B per token
    m = load_model("llama-4-scout")
    per_layer = 2 * 8 * 128 * 2
    ctx = 131072
    assert nbytes(ls.kv_cache_memory(m, ctx)) == 12 * per_layer * ctx + 36 * per_layer * 8192
    assert nbytes(ls.kv_cache_memory(m, 8192)) == 48 * per_layer * 8192


def test_kv_batch_linear_and_broadcast() -> None:
    m = load_model("llama-3.1-8b")
    one = nbytes(ls.kv_cache_memory(m, 4000, 1))
    assert nbytes(ls.kv_cache_memory(m, 4000, 16)) == 16 * one
    grid = ls.kv_cache_memory(m, np.array([1000, 2000, 4000]), np.array([[1], [2]]))
    per_token = 131_072
    expected = np.array([[1000, 2000, 4000], [2000, 4000, 8000]]) * per_token
    np.testing.assert_array_equal(nbytes(grid), expected)


def test_ratio_and_reduction() -> None:
    m = load_model("llama-3.1-70b")
    mha = ls.as_mha(m)
    assert mha.num_kv_heads == 64 and set(mha.layer_types) == {"full"}
    # GQA 8 KV heads vs 64 heads: 1/8 of the cache, 87.5% less
    assert float(ls.kv_cache_ratio(m, mha, 8192)) == pytest.approx(1 / 8)
    assert float(ls.kv_cache_reduction(m, mha, 8192)) == pytest.approx(0.875)
    assert nbytes(ls.kv_cache_bytes_per_token(mha)) == 2 * 64 * 128 * 80 * 2
    # fp8 cache vs the same model in bf16
    assert float(ls.kv_cache_ratio(m, m, 8192, "fp8", "bf16")) == pytest.approx(0.5)
    ds = load_model("deepseek-v3")
    # MLA latent 512 + 64 vs MHA of the same model 128 · (192 + 128) per layer
    ratio = 576 / (128 * (192 + 128))
    assert float(ls.kv_cache_ratio(ds, ls.as_mha(ds), 32768)) == pytest.approx(ratio)
    assert float(ls.kv_cache_reduction(ds, ls.as_mha(ds), 32768)) == pytest.approx(1 - ratio)


def test_as_mha_and_full_attention_keep_the_weights_question_separate() -> None:
    m = load_model("gemma-3-27b")
    full = ls.as_full_attention(m)
    assert set(full.layer_types) == {"full"}
    assert full.num_kv_heads == m.num_kv_heads
    assert full.param_counts().total == m.param_counts().total


@pytest.mark.parametrize(
    ("args", "err"),
    [
        ((0, 1, "bf16"), WorkloadError),
        ((-5, 1, "bf16"), WorkloadError),
        ((float("nan"), 1, "bf16"), WorkloadError),
        ((float("inf"), 1, "bf16"), WorkloadError),
        ((100, 0, "bf16"), WorkloadError),
        ((100, -1, "bf16"), WorkloadError),
        ((100, 1, 0), WorkloadError),
        ((100, 1, 65), WorkloadError),
        ((100, 1, "fp7"), UnknownNameError),
    ],
)
def test_kv_bad_workload(args: tuple[Any, Any, Any], err: type[Exception]) -> None:
    with pytest.raises(err):
        ls.kv_cache_memory(load_model("llama-3.1-8b"), *args)


def test_unknown_kv_dtype_suggests() -> None:
    with pytest.raises(UnknownNameError, match="fp8"):
        ls.kv_cache_memory(load_model("llama-3.1-8b"), 100, 1, "fp9")


# ------------------------------------------------------- layers without a KV cache
def hybrid(**extra: Any) -> ModelConfig:
    """Qwen3-Next-shaped: 3 Gated DeltaNet layers, then one gated full-attention layer.

    Full layer: 2 KV heads of 16. GDN: 2 key heads of 8, 4 value heads of 16, conv 4.
    """
    return read_hf_config(
        {
            "model_type": "qwen3_next",
            "vocab_size": 1000,
            "hidden_size": 64,
            "intermediate_size": 64,
            "num_hidden_layers": 4,
            "num_attention_heads": 4,
            "num_key_value_heads": 2,
            "head_dim": 16,
            "linear_num_key_heads": 2,
            "linear_num_value_heads": 4,
            "linear_key_head_dim": 8,
            "linear_value_head_dim": 16,
            "linear_conv_kernel_dim": 4,
            "num_experts": 4,
            "num_experts_per_tok": 2,
            "moe_intermediate_size": 32,
            "shared_expert_intermediate_size": 32,
            **extra,
        }
    )


def test_linear_layers_hold_no_kv_cache() -> None:
    m = hybrid()
    assert list(ls.memory.kv_cache_elements_per_token(m)) == [0, 0, 0, 2 * 2 * 16]
    assert list(ls.memory.layer_windows(m)) == [0, 0, 0, math.inf]
    # only the full layer grows with the context: 2 x 2 x 16 elements, 2 bytes each
    assert nbytes(ls.kv_cache_bytes_per_token(m, "bf16")) == 2 * 2 * 16 * 2
    assert nbytes(ls.kv_cache_memory(m, 5000, 2, "bf16")) == 2 * 5000 * 2 * 2 * 16 * 2
    assert nbytes(ls.kv_cache_bytes_per_token(m, "bf16", 5000)) == 2 * 2 * 16 * 2


def test_state_bytes_per_sequence_hybrid_and_attention_only() -> None:
    # per GDN layer: conv (4 - 1) x (2 x 2 x 8 + 4 x 16) plus the state 4 x 16 x 8
    per_layer = 3 * (2 * 2 * 8 + 4 * 16) + 4 * 16 * 8
    assert nbytes(ls.memory.state_bytes_per_sequence(hybrid(), "bf16")) == 3 * per_layer * 2
    assert nbytes(ls.memory.state_bytes_per_sequence(hybrid(), "fp32")) == 3 * per_layer * 4
    assert nbytes(ls.memory.state_bytes_per_sequence(load_model("llama-3.1-8b"))) == 0
    # TP 2 halves the heads and channels of every state tensor
    assert nbytes(ls.memory.state_bytes_per_sequence(hybrid(), "bf16", tp=2)) == 3 * per_layer
    with pytest.raises(WorkloadError, match="not divisible"):
        ls.memory.state_bytes_per_sequence(hybrid(), "bf16", tp=3)
    with pytest.raises(WorkloadError, match="tp"):
        ls.memory.state_bytes_per_sequence(hybrid(), "bf16", tp=0)


def test_as_mha_and_full_attention_keep_linear_layers() -> None:
    m = hybrid()
    mha = ls.as_mha(m)
    assert mha.layer_types == m.layer_types and mha.num_kv_heads == 4
    assert list(ls.memory.kv_cache_elements_per_token(mha)) == [0, 0, 0, 2 * 4 * 16]
    assert float(ls.kv_cache_ratio(m, mha, 1000)) == pytest.approx(0.5)
    assert ls.as_full_attention(m).layer_types == m.layer_types


def test_sliding_layers_without_a_window_attend_fully() -> None:
    cfg = {"layer_types": ["sliding_attention", "full_attention"], "sliding_window": None}
    m = tiny(
        2,
        model_type="gpt_oss",
        num_local_experts=4,
        num_experts_per_tok=2,
        num_hidden_layers=2,
        **cfg,
    )
    assert m.layer_types == ("full", "full")
    assert any("sliding layers attend fully" in a for a in m.assumed)


# ======================================================================= weights
def test_tensor_bytes_formats() -> None:
    sq = Tensor("w", "attention", "matrix", (4096, 4096))
    n = 4096 * 4096
    assert tensor_bytes(sq, DTYPES["bf16"]) == 2 * n
    assert tensor_bytes(sq, DTYPES["fp32"]) == 4 * n
    # FP8: 32 x 32 blocks of 128 x 128, one fp32 scale each
    assert tensor_bytes(sq, DTYPES["fp8"]) == n + 32 * 32 * 4
    # ragged shape: ceil(1000/128) = 8 by ceil(300/128) = 3 blocks
    rag = Tensor("w", "attention", "matrix", (1000, 300))
    assert tensor_bytes(rag, DTYPES["fp8"]) == 300_000 + 8 * 3 * 4
    # INT4 group 128 with fp16 scales: 4 + 16/128 = 4.125 bits per weight
    assert tensor_bytes(sq, DTYPES["int4"]) == n * 4.125 / 8
    # MXFP4: 4 + 8/32 = 4.25 bits per weight
    assert tensor_bytes(sq, DTYPES["mxfp4"]) == n * 4.25 / 8
    # NVFP4: 4 + 8/16 = 4.5 bits per weight
    assert tensor_bytes(sq, DTYPES["nvfp4"]) == n * 4.5 / 8
    # INT8 per output channel: 1 byte per weight + one fp32 per row
    assert tensor_bytes(sq, DTYPES["int8"]) == n + 4096 * 4
    # stacked experts: every expert matrix carries its own scales
    ex = Tensor("e", "routed_experts", "matrix", (8, 2880, 2880))
    assert tensor_bytes(ex, DTYPES["mxfp4"]) == 8 * mxfp4(2880, 2880)
    assert tensor_bytes(ex, DTYPES["fp8"]) == 8 * fp8(2880, 2880)
    # vectors (norms, biases) are never block-scaled
    vec = Tensor("norm", "norms", "vector", (4096,))
    assert tensor_bytes(vec, DTYPES["fp8"]) == 4096


LLAMA8 = {"V": 128256, "h": 4096, "L": 32, "q": 4096, "kv": 1024, "I": 14336}
# embedding + head, 32 layers of (q, k, v, o + gated MLP + 2 norms), final norm
LLAMA8_TOTAL = (
    2 * 128256 * 4096
    + 32 * (2 * 4096 * 4096 + 2 * 4096 * 1024 + 3 * 4096 * 14336 + 2 * 4096)
    + 4096
)


def llama8_bytes(mat: Any) -> int:
    """Llama-3.1-8B with linear layers in format ``mat``; embedding, head, norms in bf16."""
    V, h, L, q, kv, inter = (LLAMA8[k] for k in ("V", "h", "L", "q", "kv", "I"))
    per_layer = mat(q, h) + 2 * mat(kv, h) + mat(h, q) + 2 * mat(inter, h) + mat(h, inter)
    return L * per_layer + 2 * (2 * V * h + (2 * L + 1) * h)


def test_llama_8b_weights() -> None:
    m = load_model("llama-3.1-8b")
    assert nbytes(ls.weight_memory(m, "bf16")) == 2 * LLAMA8_TOTAL
    assert nbytes(ls.weight_memory(m, "fp16")) == 2 * LLAMA8_TOTAL
    assert nbytes(ls.weight_memory(m, "fp32")) == 4 * LLAMA8_TOTAL
    assert nbytes(ls.weight_memory(m, "native")) == 2 * LLAMA8_TOTAL
    assert nbytes(ls.weight_memory(m, "fp8")) == llama8_bytes(fp8)
    assert nbytes(ls.weight_memory(m, "int4")) == llama8_bytes(int4)
    assert nbytes(ls.weight_memory(m, "mxfp4")) == llama8_bytes(mxfp4)
    assert ls.weight_memory(m, "bf16").to("GB").magnitude == pytest.approx(16.06, abs=0.005)


def test_weight_policy_mapping() -> None:
    m = load_model("llama-3.1-8b")
    everything_fp8 = ls.WeightPolicy(linear="fp8", embedding="fp8", other="bf16")
    emb_fp8 = 2 * (128256 * 4096 + 4 * math.ceil(128256 / 128) * 32)
    emb_bf16 = 2 * 2 * 128256 * 4096
    assert nbytes(ls.weight_memory(m, everything_fp8)) == llama8_bytes(fp8) - emb_bf16 + emb_fp8
    assert nbytes(ls.weight_memory(m, {"linear": "fp8"})) == llama8_bytes(fp8)


# DeepSeek-V3 architecture (config.json), typed by hand
DS = {"V": 129280, "h": 7168, "nq": 128, "ql": 1536, "kvl": 512, "nope": 128, "rope": 64,
      "v": 128, "I": 18432, "E": 256, "ie": 2048}  # fmt: skip


def ds_parts() -> dict[str, int]:
    """DeepSeek-V3 FP8 checkpoint by hand: every Linear in FP8 with 128x128 fp32 scales;
    embedding, head, norms and the router gate in bf16 (DeepSeek's inference model.py)."""
    V, h, nq, ql, kvl, nope, rope, v, inter, E, ie = DS.values()
    attn = (
        fp8(ql, h)
        + fp8(nq * (nope + rope), ql)
        + fp8(kvl + rope, h)
        + fp8(nq * (nope + v), kvl)
        + fp8(h, nq * v)
    )
    layer_norms = 2 * (2 * h + ql + kvl)
    dense_mlp = 2 * fp8(inter, h) + fp8(h, inter)
    expert = 2 * fp8(ie, h) + fp8(h, ie)
    moe = (E + 1) * expert + 2 * E * h  # 256 routed + 1 shared expert, bf16 router
    main = 2 * 2 * V * h + 2 * h + 61 * (attn + layer_norms) + 3 * dense_mlp + 58 * moe
    # MTP module: enorm, hnorm, shared_head.norm (bf16), eh_proj 2h -> h (FP8, like every
    # Linear: public loader code lists a model.layers.61.eh_proj.weight_scale_inv key), and
    # one MoE decoder layer
    mtp = 2 * 3 * h + fp8(h, 2 * h) + attn + layer_norms + moe
    # the checkpoint also stores the MTP module's own copies of embedding and head (bf16)
    copies = 2 * 2 * V * h
    return {"main": main, "mtp": mtp, "copies": copies}


def test_deepseek_v3_fp8_native_by_hand() -> None:
    m = load_model("deepseek-v3")
    p = ds_parts()
    assert nbytes(ls.weight_memory(m, "native")) == p["main"]
    assert nbytes(ls.weight_memory(m, "fp8")) == p["main"]
    # the MTP module is counted only on request (see the exact check below)
    with_mtp = nbytes(ls.weight_memory(m, "native", include_extra=True))
    assert with_mtp - p["main"] == pytest.approx(p["mtp"], rel=1e-3)
    # The Hugging Face deepseek-ai/DeepSeek-V3 repository (163 safetensors shards) is about
    # 688 GB; this figure was not re-verified here, so the tolerance is 1%.
    shipped = p["main"] + p["mtp"] + p["copies"]
    assert shipped == pytest.approx(688 * GB, rel=0.01)
    # bf16 would be about twice that: the FP8 layout is what ships
    assert nbytes(ls.weight_memory(m, "bf16")) > 1.9 * p["main"]


def test_deepseek_v3_mtp_bytes_exact() -> None:
    m = load_model("deepseek-v3")
    p = ds_parts()
    parts = ls.weight_memory_by_component(m, "native", include_extra=True)
    assert nbytes(parts["extra"]) == p["mtp"]


def test_gpt_oss_mxfp4_native_by_hand() -> None:
    # gpt-oss ships the expert matrices in MXFP4 (4.25 bits) and all else in bf16
    for name, L, E, gib in (("gpt-oss-120b", 36, 128, 60.8), ("gpt-oss-20b", 24, 32, 12.8)):
        m = load_model(name)
        h = inter = 2880
        expert_mats = L * E * 3 * h * inter
        total = m.param_counts().total  # checked against a hand formula in test_model.py
        expected = L * E * (2 * mxfp4(inter, h) + mxfp4(h, inter)) + 2 * (total - expert_mats)
        assert nbytes(ls.weight_memory(m, "native")) == expected
        assert nbytes(ls.weight_memory(m, "mxfp4-experts")) == expected
        # 4.25 bits per expert weight exactly
        parts = ls.weight_memory_by_component(m, "native")
        bias_bytes = 2 * L * E * (2 * inter + h)
        assert nbytes(parts["routed_experts"]) - bias_bytes == expert_mats * 4.25 / 8
        # gpt-oss model card (arXiv:2508.10925) Table 1, "Checkpoint Size": 60.8 GiB, 12.8 GiB
        assert round(expected / GiB, 1) == gib


def test_weight_components_sum() -> None:
    for name in ("deepseek-v3", "gpt-oss-120b", "gemma-3-27b", "llama-4-maverick"):
        m = load_model(name)
        for dt in ("bf16", "fp8", "native"):
            parts = ls.weight_memory_by_component(m, dt)
            assert nbytes(sum(parts.values(), 0 * ureg.byte)) == nbytes(ls.weight_memory(m, dt))


def test_weight_ordering_presets() -> None:
    for name in ("llama-3.1-70b", "qwen3-235b-a22b", "deepseek-v3", "gpt-oss-20b"):
        m = load_model(name)
        w = {d: nbytes(ls.weight_memory(m, d)) for d in ("fp32", "bf16", "fp8", "int4", "mxfp4")}
        assert w["fp32"] > w["bf16"] > w["fp8"] > w["int4"]
        assert w["fp8"] > w["mxfp4"]


def test_unknown_weight_dtype() -> None:
    with pytest.raises(UnknownNameError, match="fp8"):
        ls.weight_memory(load_model("llama-3.1-8b"), "fp9")


# ================================================================ expert memory
def test_qwen3_235b_everything_resident() -> None:
    # Qwen3-235B-A22B: V 151936, h 4096, 94 layers, 64 q / 4 kv heads of 128, 128 experts
    # of width 1536, 8 per token. All 235B parameters must be in memory; the "22B activated"
    # is what one token reads, never the memory to provision.
    V, h, L, E, k, ie = 151936, 4096, 94, 128, 8, 1536
    attn = h * 64 * 128 * 2 + 2 * h * 4 * 128 + 2 * 128
    routed = L * E * 3 * h * ie
    total = 2 * V * h + h + L * (attn + E * h + 2 * h) + routed
    em = ls.expert_memory(load_model("qwen3-235b-a22b"), "bf16")
    assert nbytes(em.routed) == 2 * routed
    assert nbytes(em.shared) == 0
    assert nbytes(em.resident) == 2 * total
    assert nbytes(em.resident) == nbytes(ls.weight_memory(load_model("qwen3-235b-a22b")))
    assert nbytes(em.routed_active) == pytest.approx(2 * routed * k / E)
    assert nbytes(em.active) == pytest.approx(2 * (total - routed + routed * k / E))
    # Qwen3 model card: "235B in total and 22B activated"
    assert nbytes(em.resident) >= 2 * 235 * GB
    assert nbytes(em.active) == pytest.approx(2 * 22 * GB, rel=0.03)
    assert nbytes(em.resident) > 10 * nbytes(em.active)
    assert em.to_frame().loc["resident (all weights)", "GiB"] == pytest.approx(2 * total / GiB)


def test_deepseek_v3_shared_expert_memory() -> None:
    # one shared expert of width 2048 in each of the 58 MoE layers
    em = ls.expert_memory(load_model("deepseek-v3"), "bf16")
    assert nbytes(em.shared) == 2 * 58 * 3 * 7168 * 2048
    assert nbytes(em.routed) == 2 * 58 * 256 * 3 * 7168 * 2048


def test_dense_model_expert_memory() -> None:
    m = load_model("llama-3.1-8b")
    em = ls.expert_memory(m, "bf16")
    assert nbytes(em.routed) == nbytes(em.routed_active) == nbytes(em.shared) == 0
    assert nbytes(em.resident) == nbytes(em.active) == 2 * LLAMA8_TOTAL
