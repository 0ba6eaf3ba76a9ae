"""Property tests: random valid Hugging Face configs of several families.

Each strategy builds a config.json-style dict the way the family's transformers
configuration class reads it; the properties hold for every valid architecture.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import llmsizing as ls
from llmsizing.model import COMPONENTS
from llmsizing.presets import read_hf_config

SETTINGS = settings(max_examples=75, deadline=None)

# every matrix dimension is >= 16 so that a quantised copy is always smaller than bf16
# (an FP8 matrix stores one 4-byte scale per 128x128 block, which only dominates for
# matrices of a handful of elements)
DIM = st.sampled_from([16, 32, 48, 64])


@st.composite
def heads(draw: st.DrawFn) -> tuple[int, int]:
    """(query heads, kv heads) with kv dividing query heads."""
    kv = draw(st.integers(1, 4))
    return kv * draw(st.integers(1, 4)), kv


@st.composite
def llama_cfg(draw: st.DrawFn, model_type: str = "llama") -> dict[str, Any]:
    nq, nkv = draw(heads())
    d = draw(DIM)
    cfg: dict[str, Any] = {
        "model_type": model_type,
        "vocab_size": draw(st.integers(16, 5000)),
        "num_hidden_layers": draw(st.integers(1, 6)),
        "num_attention_heads": nq,
        "num_key_value_heads": nkv,
        "intermediate_size": draw(st.integers(16, 512)),
        "tie_word_embeddings": draw(st.booleans()),
    }
    if draw(st.booleans()):
        cfg["hidden_size"] = nq * d  # head_dim implied: hidden / heads
    else:
        cfg["hidden_size"] = draw(st.integers(16, 512))
        cfg["head_dim"] = d
    if model_type == "llama":
        cfg["attention_bias"] = draw(st.booleans())
    return cfg


@st.composite
def mistral_window_cfg(draw: st.DrawFn) -> dict[str, Any]:
    """Mistral: sliding_window applies to every layer."""
    return {**draw(llama_cfg("mistral")), "sliding_window": draw(st.integers(1, 4096))}


@st.composite
def qwen3_moe_cfg(draw: st.DrawFn) -> dict[str, Any]:
    cfg = draw(llama_cfg("qwen3_moe"))
    n = cfg["num_hidden_layers"]
    e = draw(st.integers(1, 16))
    cfg.setdefault("head_dim", cfg["hidden_size"] // cfg["num_attention_heads"])
    cfg |= {
        "num_experts": e,
        "num_experts_per_tok": draw(st.integers(1, e)),
        "moe_intermediate_size": draw(st.integers(16, 256)),
        "decoder_sparse_step": draw(st.integers(1, 3)),
        "mlp_only_layers": draw(st.lists(st.integers(0, n - 1), unique=True, max_size=n)),
    }
    return cfg


@st.composite
def deepseek_cfg(draw: st.DrawFn) -> dict[str, Any]:
    """DeepSeek-V3 MLA. kv_lora_rank is a compression: at most heads · (nope + v), the width
    the latent is expanded back to (DeepSeek-V2 section 2.1.2)."""
    nq = draw(st.integers(1, 8))
    nope, rope, v = draw(DIM), draw(DIM), draw(DIM)
    n = draw(st.integers(1, 6))
    e = draw(st.sampled_from([0, 1, 2, 4, 8, 16]))
    return {
        "model_type": "deepseek_v3",
        "vocab_size": draw(st.integers(16, 5000)),
        # hidden a multiple of the head count (see test_model's MLA xfail for other widths)
        "hidden_size": nq * draw(st.integers(16, 128)),
        "intermediate_size": draw(st.integers(16, 512)),
        "num_hidden_layers": n,
        "num_attention_heads": nq,
        "num_key_value_heads": nq,
        "q_lora_rank": draw(st.none() | st.integers(16, 256)),
        "kv_lora_rank": draw(st.integers(16, min(256, nq * (nope + v)))),
        "qk_nope_head_dim": nope,
        "qk_rope_head_dim": rope,
        "v_head_dim": v,
        "n_routed_experts": e,
        "num_experts_per_tok": draw(st.integers(1, max(e, 1))),
        "moe_intermediate_size": draw(st.integers(16, 256)),
        "n_shared_experts": draw(st.integers(0, 2)),
        "first_k_dense_replace": draw(st.integers(0, n)),
        "moe_layer_freq": draw(st.integers(1, 2)),
        "num_nextn_predict_layers": draw(st.integers(0, 1)),
        "tie_word_embeddings": False,
    }


@st.composite
def gemma3_cfg(draw: st.DrawFn) -> dict[str, Any]:
    nq, nkv = draw(heads())
    return {
        "model_type": "gemma3_text",
        "vocab_size": draw(st.integers(16, 5000)),
        "hidden_size": draw(st.integers(16, 512)),
        "intermediate_size": draw(st.integers(16, 512)),
        "num_hidden_layers": draw(st.integers(1, 12)),
        "num_attention_heads": nq,
        "num_key_value_heads": nkv,
        "head_dim": draw(DIM),
        "sliding_window": draw(st.integers(1, 2048)),
        "sliding_window_pattern": draw(st.integers(1, 6)),
    }


@st.composite
def gpt_oss_cfg(draw: st.DrawFn) -> dict[str, Any]:
    nq, nkv = draw(heads())
    n = draw(st.integers(1, 6))
    e = draw(st.integers(1, 16))
    kinds = st.sampled_from(["sliding_attention", "full_attention"])
    return {
        "model_type": "gpt_oss",
        "vocab_size": draw(st.integers(16, 5000)),
        "hidden_size": draw(st.integers(16, 512)),
        "intermediate_size": draw(st.integers(16, 512)),
        "num_hidden_layers": n,
        "num_attention_heads": nq,
        "num_key_value_heads": nkv,
        "head_dim": draw(DIM),
        "sliding_window": draw(st.integers(1, 1024)),
        "layer_types": draw(st.lists(kinds, min_size=n, max_size=n)),
        "num_local_experts": e,
        "num_experts_per_tok": draw(st.integers(1, e)),
    }


ANY_CFG = st.one_of(
    llama_cfg(), mistral_window_cfg(), qwen3_moe_cfg(), deepseek_cfg(), gemma3_cfg(), gpt_oss_cfg()
)
CONTEXT = st.integers(1, 2_000_000)


def b(q: Any) -> Any:
    """Bytes of a quantity, after checking it is information (not a bare number or a rate)."""
    assert q.check("[information]")
    return q.to("B").magnitude


# ----------------------------------------------------------------------- counts
@SETTINGS
@given(cfg=ANY_CFG)
def test_counts_are_consistent(cfg: dict[str, Any]) -> None:
    m = read_hf_config(cfg)
    pc = m.param_counts()
    parts = {c: getattr(pc, c) for c in COMPONENTS}
    assert all(isinstance(v, int) and v >= 0 for v in parts.values())
    assert pc.total > 0 and math.isfinite(pc.total)
    assert sum(v for c, v in parts.items() if c not in ("extra", "vision")) == pc.total
    assert 0 < pc.active_excluding_embedding <= pc.active <= pc.total
    assert pc.routed_experts_active <= pc.routed_experts
    assert pc.total_with_extra >= pc.total
    if not m.is_moe:
        assert pc.active == pc.total
    else:
        assert pc.active < pc.total or m.moe.experts_per_token == m.moe.n_routed_experts


@SETTINGS
@given(cfg=st.one_of(llama_cfg(), llama_cfg("mistral")))
def test_llama_total_matches_hand_formula(cfg: dict[str, Any]) -> None:
    h, nq, nkv, inter = (
        cfg["hidden_size"],
        cfg["num_attention_heads"],
        cfg["num_key_value_heads"],
        cfg["intermediate_size"],
    )
    d = cfg.get("head_dim", h // nq)
    bias = cfg.get("attention_bias", False)
    attn = h * nq * d + 2 * h * nkv * d + nq * d * h
    if bias:
        attn += nq * d + 2 * nkv * d + h
    layer = attn + 3 * h * inter + 2 * h
    emb = cfg["vocab_size"] * h
    total = emb + cfg["num_hidden_layers"] * layer + h + (0 if cfg["tie_word_embeddings"] else emb)
    assert read_hf_config(cfg).param_counts().total == total


# --------------------------------------------------------------------- KV cache
@SETTINGS
@given(cfg=ANY_CFG, ctxs=st.lists(CONTEXT, min_size=2, max_size=6))
def test_kv_monotone_in_context(cfg: dict[str, Any], ctxs: list[int]) -> None:
    m = read_hf_config(cfg)
    ctxs = sorted(ctxs)
    kv = [b(ls.kv_cache_memory(m, c)) for c in ctxs]
    assert all(np.isfinite(x) and x > 0 for x in kv)
    assert all(x <= y for x, y in itertools.pairwise(kv))
    vec = b(ls.kv_cache_memory(m, np.array(ctxs)))
    np.testing.assert_allclose(vec, kv, rtol=1e-12)


@SETTINGS
@given(cfg=ANY_CFG, ctx=CONTEXT, batches=st.lists(st.integers(1, 512), min_size=2, max_size=5))
def test_kv_linear_in_batch(cfg: dict[str, Any], ctx: int, batches: list[int]) -> None:
    m = read_hf_config(cfg)
    one = b(ls.kv_cache_memory(m, ctx, 1))
    batches = sorted(batches)
    kv = [b(ls.kv_cache_memory(m, ctx, n)) for n in batches]
    assert all(x <= y for x, y in itertools.pairwise(kv))
    for n, x in zip(batches, kv, strict=True):
        assert x == n * one


@SETTINGS
@given(cfg=ANY_CFG, ctx=CONTEXT, kv_dtype=st.sampled_from(["bf16", "fp8", "fp32", 6, 4.5]))
def test_kv_never_above_mha(cfg: dict[str, Any], ctx: int, kv_dtype: Any) -> None:
    m = read_hf_config(cfg)
    kv = b(ls.kv_cache_memory(m, ctx, 1, kv_dtype))
    mha = b(ls.kv_cache_memory(ls.as_mha(m), ctx, 1, kv_dtype))
    full = b(ls.kv_cache_memory(ls.as_full_attention(m), ctx, 1, kv_dtype))
    assert 0 < kv <= full <= mha
    assert 0 < float(ls.kv_cache_ratio(m, ls.as_mha(m), ctx, kv_dtype)) <= 1
    assert 0 <= float(ls.kv_cache_reduction(m, ls.as_mha(m), ctx, kv_dtype)) < 1


@SETTINGS
@given(cfg=ANY_CFG, ctx=CONTEXT, bits=st.floats(1, 32))
def test_kv_scales_with_bits(cfg: dict[str, Any], ctx: int, bits: float) -> None:
    m = read_hf_config(cfg)
    bf16 = b(ls.kv_cache_memory(m, ctx, 1, "bf16"))
    assert b(ls.kv_cache_memory(m, ctx, 1, "fp8")) * 2 == bf16
    np.testing.assert_allclose(b(ls.kv_cache_memory(m, ctx, 1, bits)), bf16 * bits / 16)


@SETTINGS
@given(cfg=mistral_window_cfg(), extra=st.integers(0, 10**6))
def test_window_layers_stop_growing(cfg: dict[str, Any], extra: int) -> None:
    m = read_hf_config(cfg)
    w = cfg["sliding_window"]
    assert set(m.layer_types) == {"sliding"}
    at_window = b(ls.kv_cache_memory(m, w))
    assert b(ls.kv_cache_memory(m, w + extra)) == at_window
    # below the window every token is kept
    per_token = b(ls.kv_cache_bytes_per_token(m, "bf16"))
    half = max(1, w // 2)
    assert b(ls.kv_cache_memory(m, half)) == half * per_token
    assert at_window == w * per_token


@SETTINGS
@given(cfg=gemma3_cfg(), ctx=CONTEXT)
def test_gemma3_pattern_kv_by_hand(cfg: dict[str, Any], ctx: int) -> None:
    # Gemma3TextConfig: layer i is global iff (i + 1) % sliding_window_pattern == 0
    p, w = cfg["sliding_window_pattern"], cfg["sliding_window"]
    per_layer = 2 * cfg["num_key_value_heads"] * cfg["head_dim"] * 2
    held = sum(ctx if (i + 1) % p == 0 else min(ctx, w) for i in range(cfg["num_hidden_layers"]))
    assert b(ls.kv_cache_memory(read_hf_config(cfg), ctx)) == held * per_layer


@SETTINGS
@given(cfg=gpt_oss_cfg(), ctx=CONTEXT)
def test_gpt_oss_layer_types_kv_by_hand(cfg: dict[str, Any], ctx: int) -> None:
    w = cfg["sliding_window"]
    per_layer = 2 * cfg["num_key_value_heads"] * cfg["head_dim"] * 2
    held = sum(min(ctx, w) if t == "sliding_attention" else ctx for t in cfg["layer_types"])
    assert b(ls.kv_cache_memory(read_hf_config(cfg), ctx)) == held * per_layer


@SETTINGS
@given(cfg=deepseek_cfg(), ctx=CONTEXT)
def test_mla_latent_below_mha(cfg: dict[str, Any], ctx: int) -> None:
    m = read_hf_config(cfg)
    latent = b(ls.kv_cache_memory(m, ctx))
    expanded = b(ls.kv_cache_memory(m, ctx, mla="expanded"))
    mha = b(ls.kv_cache_memory(ls.as_mha(m), ctx))
    n = cfg["num_hidden_layers"]
    assert latent == ctx * n * (cfg["kv_lora_rank"] + cfg["qk_rope_head_dim"]) * 2
    assert expanded == mha
    assert 0 < latent <= mha


@SETTINGS
@given(cfg=ANY_CFG, ctx=CONTEXT)
def test_bytes_per_token_is_the_average(cfg: dict[str, Any], ctx: int) -> None:
    m = read_hf_config(cfg)
    avg = b(ls.kv_cache_bytes_per_token(m, "bf16", context_len=ctx))
    np.testing.assert_allclose(avg * ctx, b(ls.kv_cache_memory(m, ctx)), rtol=1e-12)
    assert avg <= b(ls.kv_cache_bytes_per_token(m, "bf16")) * (1 + 1e-12)


# ----------------------------------------------------------------------- weights
@SETTINGS
@given(cfg=ANY_CFG)
def test_weight_memory_ordering(cfg: dict[str, Any]) -> None:
    m = read_hf_config(cfg)
    total = m.param_counts().total
    w = {d: b(ls.weight_memory(m, d)) for d in ("fp32", "bf16", "fp8", "int4", "mxfp4", "nvfp4")}
    assert all(np.isfinite(v) and v > 0 for v in w.values())
    assert w["fp32"] == 4 * total
    assert w["bf16"] == 2 * total
    assert w["fp32"] > w["bf16"] > w["fp8"] > w["int4"]
    assert w["fp8"] > w["mxfp4"]
    assert w["fp8"] > w["nvfp4"]
    parts = ls.weight_memory_by_component(m, "fp8")
    assert sum(b(v) for v in parts.values()) == w["fp8"]
    em = ls.expert_memory(m, "bf16")
    assert b(em.resident) == w["bf16"]
    assert 0 < b(em.active) <= b(em.resident)
