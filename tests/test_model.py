"""Parameter counts and config parsing (llmsizing.model, llmsizing.hf).

Every expected number here is derived independently of llmsizing:

* exact totals from per-layer formulas written out below from the models' papers and the
  shapes their reference code (Hugging Face transformers ``modeling_*.py``) instantiates;
* published totals, cited where they are checked, at the rounding the authors publish.
"""

from __future__ import annotations

import json
import math
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

import llmsizing as ls
from llmsizing import ConfigError, UnknownNameError, load_model
from llmsizing.model import COMPONENTS
from llmsizing.presets import read_hf_config

B = 1e9  # one billion parameters

PRESETS = sorted(
    p.name[: -len(".json")]
    for p in (files("llmsizing") / "data" / "models").iterdir()
    if p.name.endswith(".json")
)


# --------------------------------------------------------------------------- formulas
# Hand-written parameter formulas. A matrix mapping n -> m has n·m weights; RMSNorm over n
# features has n weights. Nothing below calls llmsizing.


def attn(h: int, nq: int, nkv: int, d: int, *, bias: bool = False) -> int:
    """GQA/MQA/MHA projections: q (h -> nq·d), k and v (h -> nkv·d), o (nq·d -> h)."""
    p = h * nq * d + 2 * h * nkv * d + nq * d * h
    if bias:  # bias on q, k, v and o
        p += nq * d + 2 * nkv * d + h
    return p


def glu(h: int, i: int) -> int:
    """Gated MLP (SwiGLU): gate and up (h -> i), down (i -> h)."""
    return 3 * h * i


def mla(h: int, nq: int, q_lora: int, kv_lora: int, nope: int, rope: int, v: int) -> int:
    """DeepSeek-V2 section 2.1 (eq. 9-19): W^DQ, q norm, W^UQ|W^QR, W^DKV|W^KR, kv norm,
    W^UK|W^UV and W^O."""
    return (
        h * q_lora
        + q_lora
        + q_lora * nq * (nope + rope)
        + h * (kv_lora + rope)
        + kv_lora
        + kv_lora * nq * (nope + v)
        + nq * v * h
    )


def dense(
    V: int,
    h: int,
    L: int,
    nq: int,
    nkv: int,
    d: int,
    inter: int,
    *,
    per_layer_extra: int = 0,
    norms: int = 2,
    tied: bool = False,
) -> tuple[int, int]:
    """(total, active) of a dense decoder: embedding, L layers, final norm, LM head."""
    layer = attn(h, nq, nkv, d) + glu(h, inter) + norms * h + per_layer_extra
    total = V * h + L * layer + h + (0 if tied else V * h)
    return total, total


def simple_moe(
    V: int, h: int, L: int, nq: int, nkv: int, d: int, E: int, k: int, ie: int, qk_norm: int = 0
) -> tuple[int, int]:
    """Mixtral / Qwen3-MoE: every layer has a router (h -> E) and E gated experts of width ie."""
    common = attn(h, nq, nkv, d) + qk_norm + E * h + 2 * h
    total = 2 * V * h + h + L * (common + E * glu(h, ie))
    active = 2 * V * h + h + L * (common + k * glu(h, ie))
    return total, active


def deepseek(
    V: int,
    h: int,
    L: int,
    nq: int,
    q_lora: int,
    kv_lora: int,
    nope: int,
    rope: int,
    v: int,
    inter: int,
    first_dense: int,
    E: int,
    k: int,
    ie: int,
    n_shared: int,
) -> tuple[int, int]:
    """DeepSeek-V2/V3: MLA everywhere, ``first_dense`` dense layers, then MoE layers with a
    router, E routed experts and the shared experts fused into one MLP of width n_shared·ie."""
    a = mla(h, nq, q_lora, kv_lora, nope, rope, v)
    dense_layer = a + glu(h, inter) + 2 * h
    moe_common = a + E * h + glu(h, n_shared * ie) + 2 * h
    n_moe = L - first_dense
    base = 2 * V * h + h + first_dense * dense_layer + n_moe * moe_common
    return base + n_moe * E * glu(h, ie), base + n_moe * k * glu(h, ie)


def gpt_oss(
    V: int, h: int, L: int, nq: int, nkv: int, d: int, E: int, k: int, inter: int
) -> tuple[int, int]:
    """gpt-oss: biased attention plus one sink logit per head; router with bias; each expert
    has gate_up (h -> 2·inter) with bias and down (inter -> h) with bias."""
    common = attn(h, nq, nkv, d, bias=True) + nq + (E * h + E) + 2 * h
    expert = 3 * h * inter + 2 * inter + h
    return (
        2 * V * h + h + L * (common + E * expert),
        2 * V * h + h + L * (common + k * expert),
    )


def llama4(
    V: int,
    h: int,
    L: int,
    nq: int,
    nkv: int,
    d: int,
    E: int,
    k: int,
    ie: int,
    i_mlp: int,
    step: int,
) -> tuple[int, int]:
    """Llama 4 text: MoE on layers step-1, 2·step-1, ... (router, E experts of width ie and one
    shared expert of width ie); dense layers use intermediate_size_mlp."""
    n_moe = len(range(step - 1, L, step))
    a = attn(h, nq, nkv, d) + 2 * h
    moe_common = a + E * h + glu(h, ie)
    dense_layer = a + glu(h, i_mlp)
    base = 2 * V * h + h + (L - n_moe) * dense_layer + n_moe * moe_common
    return base + n_moe * E * glu(h, ie), base + n_moe * k * glu(h, ie)


# Architecture values below are read off each preset's config.json (see SOURCES.md) and typed
# in by hand; the formulas above turn them into counts.
def qwen35(
    V: int, h: int, L: int, nq: int, nkv: int, d: int, inter: int, lin: tuple[int, ...]
) -> tuple[int, int]:
    """Qwen3.5 dense: a gated full-attention layer every 4th, Gated DeltaNet elsewhere.

    Full layer: q_proj holds the queries and the output gate (2 · nq · d), RMSNorm on each
    head's q and k. Gated DeltaNet (nk key heads of dk, nv value heads of dv, conv K):
    in_proj_qkv|z (2·nk·dk + 2·nv·dv), in_proj_b|a (2·nv), a depthwise conv over q, k, v
    ((2·nk·dk + nv·dv)·K), dt_bias and A_log (nv each), a norm over one value head, out_proj.
    """
    nk, dk, nv, dv, k = lin
    full = 2 * nq * d * h + 2 * nkv * d * h + nq * d * h + 2 * d
    key, value = nk * dk, nv * dv
    gdn = (2 * key + 2 * value) * h + 2 * nv * h + (2 * key + value) * k + 2 * nv + dv + value * h
    per = glu(h, inter) + 2 * h
    n_full = L // 4
    total = 2 * V * h + h + n_full * (full + per) + (L - n_full) * (gdn + per)
    return total, total


def nemotron_h(
    V: int,
    h: int,
    pattern: str,
    nq: int,
    nkv: int,
    d: int,
    mamba: tuple[int, ...],
    moe: tuple[int, ...],
) -> tuple[int, int]:
    """Nemotron-H: one mixer per block (M Mamba-2, * attention, E MoE, - MLP) and one norm.

    Mamba-2 (H heads of P, G groups of N, conv K, d_inner = H·P): in_proj (2·d_inner + 2·G·N + H),
    conv with bias over d_inner + 2·G·N, dt_bias, A_log and D per head, a norm over d_inner,
    out_proj. MoE: router (E·h), E plain (up, down) experts of width ie, one plain shared MLP.
    """
    H, P, G, N, K = mamba
    E, k, ie, shared = moe
    di = H * P
    conv = di + 2 * G * N
    m = (di + conv + H) * h + conv * K + conv + 3 * H + di + di * h
    a = nq * d * h + 2 * nkv * d * h + nq * d * h
    common = E * h + 2 * h * shared
    blocks = {"M": m, "*": a}
    total = active = 2 * V * h + h + len(pattern) * h
    for ch in pattern:
        if ch == "E":
            total += common + E * 2 * h * ie
            active += common + k * 2 * h * ie
        else:
            total += blocks[ch]
            active += blocks[ch]
    return total, active


EXPECTED: dict[str, tuple[int, int]] = {
    "llama-3.1-8b": dense(128256, 4096, 32, 32, 8, 128, 14336),
    "llama-3.1-70b": dense(128256, 8192, 80, 64, 8, 128, 28672),
    "llama-3.1-405b": dense(128256, 16384, 126, 128, 8, 128, 53248),
    "mistral-7b-v0.1": dense(32000, 4096, 32, 32, 8, 128, 14336),
    # Qwen3: RMSNorm over each head's q and k (head_dim each)
    "qwen3-32b": dense(151936, 5120, 64, 64, 8, 128, 25600, per_layer_extra=2 * 128),
    # OLMo 2: RMSNorm over the whole q (nq·d) and k (nkv·d) projections
    "olmo-2-13b": dense(100352, 5120, 40, 40, 40, 128, 13824, per_layer_extra=2 * 40 * 128),
    "olmo-2-32b": dense(100352, 5120, 64, 40, 8, 128, 27648, per_layer_extra=(40 + 8) * 128),
    # Gemma 3: tied embedding; vocab 262208 is the Gemma3TextConfig default (the config omits
    # it); four norms per layer and per-head q/k norms
    "gemma-3-27b": dense(
        262208, 5376, 62, 32, 16, 128, 21504, per_layer_extra=2 * 128, norms=4, tied=True
    ),
    "mixtral-8x7b": simple_moe(32000, 4096, 32, 32, 8, 128, 8, 2, 14336),
    "mixtral-8x22b": simple_moe(32000, 6144, 56, 48, 8, 128, 8, 2, 16384),
    "qwen3-235b-a22b": simple_moe(151936, 4096, 94, 64, 4, 128, 128, 8, 1536, qk_norm=256),
    "qwen3-30b-a3b": simple_moe(151936, 2048, 48, 32, 4, 128, 128, 8, 768, qk_norm=256),
    "deepseek-v3": deepseek(
        129280, 7168, 61, 128, 1536, 512, 128, 64, 128, 18432, 3, 256, 8, 2048, 1
    ),
    "deepseek-v2": deepseek(
        102400, 5120, 60, 128, 1536, 512, 128, 64, 128, 12288, 1, 160, 6, 1536, 2
    ),
    "gpt-oss-120b": gpt_oss(201088, 2880, 36, 64, 8, 64, 128, 4, 2880),
    "gpt-oss-20b": gpt_oss(201088, 2880, 24, 64, 8, 64, 32, 4, 2880),
    "llama-4-scout": llama4(202048, 5120, 48, 40, 8, 128, 16, 1, 8192, 16384, 1),
    "llama-4-maverick": llama4(202048, 5120, 48, 40, 8, 128, 128, 1, 8192, 16384, 2),
    # Qwen3.5-27B: 16 key / 48 value heads of 128 in the Gated DeltaNet layers, conv 4
    "qwen3.5-27b": qwen35(248320, 5120, 64, 24, 4, 256, 17408, (16, 128, 48, 128, 4)),
    "nemotron-3-nano-30b-a3b": nemotron_h(
        131072,
        2688,
        "MEMEM*EMEMEM*EMEMEM*EMEMEM*EMEMEM*EMEMEMEM*EMEMEMEME",
        32,
        2,
        128,
        (64, 64, 8, 128, 4),
        (128, 6, 1856, 3712),
    ),
    # DeepSeek-V3.2: DeepSeek-V3 plus, per layer, the indexer's wq_b (q_lora -> 64 heads of 128),
    # wk (h -> 128), its LayerNorm (weight and bias) and weights_proj (h -> 64)
    "deepseek-v3.2": tuple(  # type: ignore[assignment]
        x + 61 * (1536 * 64 * 128 + 7168 * 128 + 2 * 128 + 7168 * 64)
        for x in deepseek(129280, 7168, 61, 128, 1536, 512, 128, 64, 128, 18432, 3, 256, 8, 2048, 1)
    ),
}


def test_every_preset_has_a_hand_formula() -> None:
    assert set(EXPECTED) == set(PRESETS)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_preset_total_and_active_match_hand_formula(name: str) -> None:
    total, active = EXPECTED[name]
    pc = load_model(name).param_counts()
    assert pc.total == total
    assert pc.active == active


@pytest.mark.parametrize("name", PRESETS)
def test_breakdown_sums_to_total(name: str) -> None:
    pc = load_model(name).param_counts()
    parts = {c: getattr(pc, c) for c in COMPONENTS}
    assert all(v >= 0 for v in parts.values())
    # the language model: neither extra modules nor a vision tower
    assert sum(v for c, v in parts.items() if c not in ("extra", "vision")) == pc.total
    assert pc.total_with_extra == pc.total + pc.extra
    assert pc.total_with_vision == pc.total + pc.vision
    assert 0 < pc.active_excluding_embedding <= pc.active <= pc.total


def test_llama_3_1_8b_components_by_hand() -> None:
    pc = load_model("llama-3.1-8b").param_counts()
    assert pc.embedding == 128256 * 4096
    assert pc.lm_head == 128256 * 4096
    assert pc.attention == 32 * (4096 * 4096 * 2 + 2 * 4096 * 1024)
    assert pc.dense_ffn == 32 * 3 * 4096 * 14336
    assert pc.norms == 32 * 2 * 4096 + 4096
    assert pc.routed_experts == pc.shared_experts == pc.router == pc.extra == 0


def test_deepseek_r1_alias_is_deepseek_v3() -> None:
    assert load_model("deepseek-r1").param_counts().total == EXPECTED["deepseek-v3"][0]
    assert load_model("DeepSeek-V3").param_counts().total == EXPECTED["deepseek-v3"][0]


# ------------------------------------------------------------------ tiny configs by hand
TINY_LLAMA: dict[str, Any] = {
    "model_type": "llama",
    "vocab_size": 1000,
    "hidden_size": 64,
    "intermediate_size": 128,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
}


def test_tiny_llama_by_hand() -> None:
    # head_dim = 64 / 4 = 16; q 64·64 = 4096, k = v = 64·32 = 2048, o 4096 -> 12,288
    # gated MLP 3·64·128 = 24,576; two RMSNorms 128 -> 36,992 per layer, 73,984 for two
    # embedding 64,000 + layers 73,984 + final norm 64 + lm_head 64,000 = 202,048
    m = read_hf_config(TINY_LLAMA)
    assert m.head_dim == 16
    assert m.param_counts().total == 202_048
    tied = read_hf_config({**TINY_LLAMA, "tie_word_embeddings": True})
    assert tied.param_counts().total == 202_048 - 64_000
    biased = read_hf_config({**TINY_LLAMA, "attention_bias": True})
    # q, k, v, o biases: 64 + 32 + 32 + 64 = 192 per layer
    assert biased.param_counts().total == 202_048 + 2 * 192


def test_llama_2_7b_published_count() -> None:
    # Llama 2 7B (Touvron et al. 2023; MHA, vocab 32000, 32 layers, hidden 4096, FFN 11008):
    # the Hub's model page lists 6.74B parameters
    m = read_hf_config(
        {
            "model_type": "llama",
            "vocab_size": 32000,
            "hidden_size": 4096,
            "intermediate_size": 11008,
            "num_hidden_layers": 32,
            "num_attention_heads": 32,
            "num_key_value_heads": 32,
        }
    )
    assert m.param_counts().total == dense(32000, 4096, 32, 32, 32, 128, 11008)[0]
    assert round(m.param_counts().total / B, 2) == 6.74


def test_missing_kv_heads_is_mha_and_recorded() -> None:
    cfg = {k: v for k, v in TINY_LLAMA.items() if k != "num_key_value_heads"}
    m = read_hf_config(cfg)
    assert m.num_kv_heads == 4
    assert any(a.startswith("num_key_value_heads") for a in m.assumed)


def test_explicit_head_dim_overrides_hidden_over_heads() -> None:
    m = read_hf_config({**TINY_LLAMA, "head_dim": 32})
    # q 64 -> 128, k, v 64 -> 64, o 128 -> 64: 8192 + 2·4096 + 8192 = 24,576 per layer
    assert m.param_counts().attention == 2 * 24_576


def test_qwen3_moe_sparse_step_and_mlp_only_layers() -> None:
    # transformers Qwen3MoeDecoderLayer: MoE iff layer not in mlp_only_layers and
    # (layer_idx + 1) % decoder_sparse_step == 0. With 4 layers, step 2, mlp_only [3]:
    # layer 1 is MoE; layers 0, 2, 3 dense.
    cfg = {
        **TINY_LLAMA,
        "model_type": "qwen3_moe",
        "num_hidden_layers": 4,
        "head_dim": 16,
        "num_experts": 4,
        "num_experts_per_tok": 2,
        "moe_intermediate_size": 32,
        "decoder_sparse_step": 2,
        "mlp_only_layers": [3],
    }
    m = read_hf_config(cfg)
    assert m.moe_layers == (False, True, False, False)
    pc = m.param_counts()
    assert pc.routed_experts == 4 * glu(64, 32)
    assert pc.router == 4 * 64
    assert pc.dense_ffn == 3 * glu(64, 128)
    assert pc.active == pc.total - 2 * glu(64, 32)


def test_deepseek_dense_first_layers_and_mtp_by_hand() -> None:
    cfg = {
        "model_type": "deepseek_v3",
        "vocab_size": 500,
        "hidden_size": 64,
        "intermediate_size": 96,
        "num_hidden_layers": 3,
        "num_attention_heads": 4,
        "num_key_value_heads": 4,
        "q_lora_rank": 32,
        "kv_lora_rank": 16,
        "qk_nope_head_dim": 16,
        "qk_rope_head_dim": 8,
        "v_head_dim": 16,
        "n_routed_experts": 8,
        "num_experts_per_tok": 2,
        "moe_intermediate_size": 24,
        "n_shared_experts": 2,
        "first_k_dense_replace": 1,
        "num_nextn_predict_layers": 1,
    }
    m = read_hf_config(cfg)
    total, active = deepseek(500, 64, 3, 4, 32, 16, 16, 8, 16, 96, 1, 8, 2, 24, 2)
    pc = m.param_counts()
    assert (pc.total, pc.active) == (total, active)
    # MTP module (DeepSeek-V3 report section 2.2): enorm, hnorm, eh_proj (2h -> h), the
    # shared head's norm and one more MoE decoder layer
    moe_layer = mla(64, 4, 32, 16, 16, 8, 16) + 8 * 64 + glu(64, 48) + 8 * glu(64, 24) + 2 * 64
    assert pc.extra == 3 * 64 + 2 * 64 * 64 + moe_layer
    # no q_lora_rank: q_proj h -> nq·(nope + rope) instead of the low-rank pair
    m2 = read_hf_config({**cfg, "q_lora_rank": None})
    delta = (64 * 32 + 32 + 32 * 4 * 24) - 64 * 4 * 24
    assert m2.param_counts().total == total - 3 * delta


def test_llama4_layer_pattern() -> None:
    m = load_model("llama-4-maverick")
    # interleave_moe_layer_step 2: MoE layers 1, 3, ..., 47
    assert m.moe_layers == tuple(i % 2 == 1 for i in range(48))
    # no_rope_layer_interval 4: every 4th layer (3, 7, ...) is NoPE / global, rest chunked
    assert m.layer_types == tuple("full" if (i + 1) % 4 == 0 else "chunked" for i in range(48))
    assert m.attention_chunk_size == 8192


def test_gemma3_layer_pattern() -> None:
    m = load_model("gemma-3-27b")
    # Gemma 3 report: 5 local (window 1024) : 1 global, starting with local; 62 layers
    assert m.layer_types.count("full") == 10
    assert [i for i, t in enumerate(m.layer_types) if t == "full"] == list(range(5, 62, 6))
    assert m.sliding_window == 1024
    assert any(a.startswith("vocab_size=262208") for a in m.assumed)


def test_gpt_oss_default_layer_types_alternate() -> None:
    cfg = json.loads((files("llmsizing") / "data" / "models" / "gpt-oss-20b.json").read_text())
    del cfg["layer_types"]
    m = read_hf_config(cfg)
    assert m.layer_types == tuple("sliding" if i % 2 == 0 else "full" for i in range(24))


# --------------------------------------------------------------------- published totals
def rnd(x: float, nd: int = 0) -> float:
    return round(x / B, nd)


def test_llama_3_1_published() -> None:
    # Meta Llama 3.1 model card: 8B, 70B, 405B (sizes named by the truncated count)
    for name, size in (("llama-3.1-8b", 8), ("llama-3.1-70b", 70), ("llama-3.1-405b", 405)):
        assert math.floor(load_model(name).param_counts().total / B) == size


def test_mistral_7b_published() -> None:
    # Mistral 7B paper (arXiv:2310.06825) Table 1 gives the architecture used in EXPECTED; the
    # Hub page of mistralai/Mistral-7B-v0.1 lists 7.24B parameters. (Mistral's launch blog
    # says "7.3B", which no count of this architecture reproduces.)
    assert rnd(load_model("mistral-7b-v0.1").param_counts().total, 2) == 7.24


def test_mixtral_published() -> None:
    # Mistral AI, "Mixtral of experts" blog: 46.7B total, 12.9B used per token
    pc = load_model("mixtral-8x7b").param_counts()
    assert (rnd(pc.total, 1), rnd(pc.active, 1)) == (46.7, 12.9)
    # Mistral AI, "Cheaper, Better, Faster, Stronger" (Mixtral 8x22B): 141B total, 39B active
    pc = load_model("mixtral-8x22b").param_counts()
    assert (rnd(pc.total), rnd(pc.active)) == (141, 39)


def non_embedding(pc: ls.ParamCounts) -> int:
    """Qwen's "Non-Embedding" figure: total minus input embedding and LM head."""
    return pc.total - pc.embedding - pc.lm_head


def test_qwen3_published() -> None:
    # Qwen3-235B-A22B model card: "235B in total and 22B activated", non-embedding 234B
    pc = load_model("qwen3-235b-a22b").param_counts()
    assert (rnd(pc.total), rnd(pc.active), rnd(non_embedding(pc))) == (235, 22, 234)
    # Qwen3-30B-A3B model card: "30.5B in total and 3.3B activated", non-embedding 29.9B.
    # Active counts 3.35B; the card's 3.3B is that figure truncated, so check [3.3, 3.4).
    pc = load_model("qwen3-30b-a3b").param_counts()
    assert (rnd(pc.total, 1), rnd(non_embedding(pc), 1)) == (30.5, 29.9)
    assert 3.3 * B <= pc.active < 3.4 * B
    # Qwen3-32B model card: 32.8B, non-embedding 31.2B
    pc = load_model("qwen3-32b").param_counts()
    assert (rnd(pc.total, 1), rnd(non_embedding(pc), 1)) == (32.8, 31.2)


def test_deepseek_v3_published() -> None:
    pc = load_model("deepseek-v3").param_counts()
    # DeepSeek-V3 technical report (arXiv:2412.19437): 671B total, 37B activated per token
    assert rnd(pc.total) == 671
    assert rnd(pc.active_excluding_embedding) == 37
    # DeepSeek-V3 README_WEIGHTS.md: main model activation parameters 36.6B "including 0.9B
    # for the output Head" (i.e. without the input embedding)
    assert rnd(pc.active_excluding_embedding, 1) == 36.6
    assert rnd(pc.lm_head, 1) == 0.9
    # README_WEIGHTS.md: MTP module "11.5B unique parameters (excluding the shared 0.9B
    # Embedding and 0.9B output Head)". Our count is 11.61B; the published figure matches the
    # MTP layer without eh_proj (7168·14336 = 0.10B), so allow that much.
    assert pc.extra == pytest.approx(11.5 * B, abs=0.15 * B)
    # The MTP layer is counted separately, not in total
    assert pc.total_with_extra - pc.total == pc.extra
    # DeepSeek-V3 README: "The total size of DeepSeek-V3 models on Hugging Face is 685B",
    # i.e. main + MTP + the checkpoint's stored copies of embedding and head (0.93B each)
    assert pc.total_with_extra + 2 * pc.embedding == pytest.approx(685 * B, abs=1 * B)


def test_deepseek_v2_published() -> None:
    # DeepSeek-V2 paper (arXiv:2405.04434): 236B total, 21B activated for each token
    pc = load_model("deepseek-v2").param_counts()
    assert (rnd(pc.total), rnd(pc.active_excluding_embedding)) == (236, 21)


def test_gpt_oss_published() -> None:
    # OpenAI, gpt-oss-120b & gpt-oss-20b model card (arXiv:2508.10925), Table 1; its active
    # count excludes the (input) embedding. MLP = experts + router; attention includes sinks.
    for name, total, active, mlp, attention, emb in (
        ("gpt-oss-120b", 116.83, 5.13, 114.71, 0.96, 1.16),
        ("gpt-oss-20b", 20.91, 3.61, 19.12, 0.64, 1.16),
    ):
        pc = load_model(name).param_counts()
        assert rnd(pc.total, 2) == total
        assert rnd(pc.active_excluding_embedding, 2) == active
        assert rnd(pc.routed_experts + pc.router, 2) == mlp
        assert rnd(pc.attention, 2) == attention
        assert rnd(pc.embedding + pc.lm_head, 2) == emb


def test_llama4_published() -> None:
    # Meta, "The Llama 4 herd": Maverick 17B active / 400B total, Scout 17B active / 109B
    # total. Both published totals include the vision encoder, which a text-only count lacks
    # (Llama 4's 34-layer, 1408-wide encoder is about 0.8B), so totals are checked loosely.
    mav = load_model("llama-4-maverick").param_counts()
    assert rnd(mav.active) == 17
    assert mav.total == pytest.approx(400 * B, rel=0.01)
    scout = load_model("llama-4-scout").param_counts()
    assert rnd(scout.active) == 17
    assert 105 * B < scout.total < 109 * B


def test_olmo2_published() -> None:
    # Hub model pages of allenai/OLMo-2-1124-13B and allenai/OLMo-2-0325-32B: 13.7B and 32.2B
    assert rnd(load_model("olmo-2-13b").param_counts().total, 1) == 13.7
    assert rnd(load_model("olmo-2-32b").param_counts().total, 1) == 32.2


def test_gemma3_published() -> None:
    # Gemma 3 technical report: 27B (the text decoder; the ~0.4B SigLIP encoder is separate)
    assert rnd(load_model("gemma-3-27b").param_counts().total) == 27


# ----------------------------------------------------- transformers meta-device counts
HF_COUNTS = Path(__file__).parent / "data" / "hf_param_counts.json"
REPO = Path(__file__).parent.parent


def _heldout_names() -> list[str]:
    """Non-preset configs the counts file also covers (``"set": "heldout"``)."""
    if not HF_COUNTS.is_file():
        return []
    models = json.loads(HF_COUNTS.read_text(encoding="utf-8")).get("models", {})
    return sorted(k for k, v in models.items() if v.get("set") == "heldout")


@pytest.mark.parametrize("name", PRESETS + _heldout_names())
def test_total_matches_transformers_meta_device_count(name: str) -> None:
    """Within 0.1% of the count transformers instantiates on the meta device."""
    if not HF_COUNTS.is_file():
        pytest.skip(f"{HF_COUNTS.name} not generated yet (transformers meta-device counts)")
    data = json.loads(HF_COUNTS.read_text(encoding="utf-8"))
    entry = data.get("models", {}).get(name)
    if entry is None:
        pytest.skip(f"{name} not in {HF_COUNTS.name}")
    ref = int(entry["total"])
    if name in PRESETS:
        model = load_model(name)
    else:
        model = read_hf_config(REPO / entry["source"])
    total = model.param_counts().total
    assert total == pytest.approx(ref, rel=1e-3), (
        f"{name}: llmsizing {total:,} vs transformers "
        f"{data.get('transformers_version', '?')} {ref:,}"
    )


# -------------------------------------------------------------------------- file input
def test_from_path_equals_from_dict(tmp_path: Path) -> None:
    p = tmp_path / "config.json"
    p.write_text(json.dumps(TINY_LLAMA), encoding="utf-8")
    assert read_hf_config(p).param_counts().total == 202_048
    assert read_hf_config(str(p)).param_counts().total == 202_048
    assert load_model(str(p)).param_counts().total == 202_048


def test_multimodal_wrapper_reads_text_config() -> None:
    m = read_hf_config(
        {"model_type": "gemma3", "text_config": {**TINY_LLAMA, "model_type": "gemma3_text"}}
    )
    # Gemma3TextConfig defaults: tied embedding and head_dim 256 (not 64 / 4); four norms per
    # layer and per-head q/k norms of 256 each
    assert m.head_dim == 256
    expected = dense(1000, 64, 2, 4, 2, 256, 128, per_layer_extra=2 * 256, norms=4, tied=True)
    assert m.param_counts().total == expected[0]


# ------------------------------------------------------------------------------ errors
def bad(**changes: Any) -> dict[str, Any]:
    cfg = {**TINY_LLAMA, **changes}
    return {k: v for k, v in cfg.items() if v is not ...}


@pytest.mark.parametrize(
    ("cfg", "words"),
    [
        (bad(model_type=...), ["missing", "model_type"]),
        (bad(model_type="t5"), ["t5", "not supported"]),
        (bad(hidden_size=100, num_attention_heads=3), ["does not divide", "hidden_size"]),
        (bad(num_key_value_heads=3), ["num_key_value_heads", "divide"]),
        (bad(num_key_value_heads=0), ["num_key_value_heads"]),
        (bad(hidden_size=-64), ["hidden_size", "negative"]),
        (bad(intermediate_size=-1), ["intermediate_size", "negative"]),
        (bad(hidden_size=0), ["hidden_size", "positive"]),
        (bad(num_hidden_layers=0), ["num_layers", "positive"]),
        (bad(num_hidden_layers="32"), ["num_hidden_layers", "integer"]),
        (bad(num_hidden_layers=True), ["num_hidden_layers", "integer"]),
        (bad(vocab_size=1000.5), ["vocab_size", "integer"]),
        (bad(vocab_size=float("nan")), ["vocab_size", "integer"]),
        (bad(num_hidden_layers=10**5), ["num_hidden_layers", "limit"]),
        (bad(vocab_size=10**9), ["vocab_size", "limit"]),
        (bad(tie_word_embeddings="yes"), ["tie_word_embeddings"]),
        (
            bad(model_type="mixtral", num_local_experts=8, num_experts_per_tok=9),
            ["experts_per_token", "9", "8"],
        ),
        (
            bad(model_type="mixtral", num_local_experts=8, num_experts_per_tok=0),
            ["experts_per_token"],
        ),
        (
            bad(
                model_type="qwen3_moe",
                num_experts=-4,
                num_experts_per_tok=2,
                moe_intermediate_size=8,
            ),
            ["num_experts", "negative"],
        ),
        (bad(model_type="deepseek_v3", kv_lora_rank="512"), ["kv_lora_rank", "integer"]),
        (bad(model_type="gemma3"), ["missing", "text_config"]),
        (
            bad(
                model_type="gpt_oss",
                num_local_experts=4,
                num_experts_per_tok=2,
                sliding_window=8,
                layer_types=["full_attention"],
            ),
            ["layer_types", "1 entries", "2 layers"],
        ),
        (
            bad(
                model_type="gpt_oss",
                num_local_experts=4,
                num_experts_per_tok=2,
                sliding_window=8,
                layer_types=["banana", "full_attention"],
            ),
            ["layer_types[0]", "banana"],
        ),
    ],
)
def test_bad_config_names_the_problem(cfg: dict[str, Any], words: list[str]) -> None:
    with pytest.raises(ConfigError) as exc:
        read_hf_config(cfg)
    msg = str(exc.value)
    for w in words:
        assert w in msg, f"{w!r} not in {msg!r}"


def test_absurd_layer_count_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="num_hidden_layers"):
        read_hf_config(bad(num_hidden_layers=10**15))


def test_file_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        read_hf_config(tmp_path / "nope.json")
    p = tmp_path / "broken.json"
    p.write_text('{"model_type": "llama", ', encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid JSON"):
        read_hf_config(p)
    p.write_text("[1, 2, 3]", encoding="utf-8")
    with pytest.raises(ConfigError, match="JSON object"):
        read_hf_config(p)
    p.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ConfigError):
        read_hf_config(p)


def test_config_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        read_hf_config(bad(num_hidden_layers=-1))


@pytest.mark.parametrize(
    ("changes", "key", "value"),
    [
        # LlamaConfig defaults (transformers configuration_llama.py)
        ({"num_hidden_layers": ...}, "num_hidden_layers", 32),
        ({"vocab_size": ...}, "vocab_size", 32000),
        ({"num_attention_heads": ..., "num_key_value_heads": 4}, "num_attention_heads", 32),
        # MixtralConfig: num_local_experts = 8, num_experts_per_tok = 2
        ({"model_type": "mixtral", "num_experts_per_tok": 2}, "num_local_experts", 8),
    ],
)
def test_omitted_key_takes_the_class_default_and_is_recorded(
    changes: dict[str, Any], key: str, value: int
) -> None:
    m = read_hf_config(bad(**changes))
    assert f"{key}={value} (transformers {m.model_type} default)" in m.assumed


def test_unknown_preset_suggests_nearest() -> None:
    with pytest.raises(UnknownNameError) as exc:
        load_model("deepseek-v4")
    assert "deepseek-v3" in str(exc.value)
    assert isinstance(exc.value, KeyError)
    with pytest.raises(UnknownNameError, match=r"llama-3\.1-70b"):
        load_model("llama-3.1-7b")


def test_list_models_has_presets_and_alias() -> None:
    names = ls.list_models()
    assert set(PRESETS) <= set(names)
    assert "deepseek-r1" in names
    for n in names:
        load_model(n)


# ---------------------------------------------- transformers configuration-class defaults
# A key the config omits takes the default of the transformers configuration class. These
# defaults were checked in huggingface/transformers:
#   models/qwen3/configuration_qwen3.py      head_dim: int = 128
#   models/gemma3/configuration_gemma3.py    Gemma3TextConfig(head_dim=256, ...)
#   models/gpt_oss/configuration_gpt_oss.py  head_dim: int = 64; sliding_window = 128
#   models/llama4/configuration_llama4.py    head_dim: int = 128; attention_chunk_size = 8192
# The tests below check that each of these defaults is applied (the table of defaults is
# generated from transformers into llmsizing/hf/_defaults.py) and recorded in `assumed`.
NO_HEAD_DIM_BASE: dict[str, Any] = {
    "vocab_size": 1000,
    "hidden_size": 1024,
    "intermediate_size": 256,
    "num_hidden_layers": 2,
    "num_attention_heads": 16,  # hidden // heads = 64, unlike every default below
    "num_key_value_heads": 4,
}


@pytest.mark.parametrize(
    ("model_type", "extra", "default"),
    [
        ("qwen3", {}, 128),
        (
            "llama4_text",
            {
                "num_local_experts": 4,
                "num_experts_per_tok": 1,
                "intermediate_size_mlp": 512,
                "attention_chunk_size": 64,
            },
            128,
        ),
    ],
)
def test_omitted_head_dim_takes_transformers_default(
    model_type: str, extra: dict[str, Any], default: int
) -> None:
    cfg = {**NO_HEAD_DIM_BASE, **extra, "model_type": model_type}
    assert read_hf_config(cfg).head_dim == default


def test_gpt_oss_omitted_head_dim_is_64() -> None:
    cfg = json.loads((files("llmsizing") / "data" / "models" / "gpt-oss-20b.json").read_text())
    del cfg["head_dim"]
    assert read_hf_config(cfg).head_dim == 64


def test_gpt_oss_omitted_sliding_window_is_128() -> None:
    cfg = json.loads((files("llmsizing") / "data" / "models" / "gpt-oss-20b.json").read_text())
    del cfg["sliding_window"]
    assert read_hf_config(cfg).sliding_window == 128


def test_llama4_omitted_chunk_size_is_8192() -> None:
    cfg = json.loads((files("llmsizing") / "data" / "models" / "llama-4-scout.json").read_text())
    del cfg["text_config"]["attention_chunk_size"]
    assert read_hf_config(cfg).attention_chunk_size == 8192


def test_mla_heads_need_not_divide_hidden() -> None:
    cfg = {
        "model_type": "deepseek_v3",
        "vocab_size": 500,
        "hidden_size": 64,
        "intermediate_size": 96,
        "num_hidden_layers": 2,
        "num_attention_heads": 3,  # 64 / 3 is not an integer; irrelevant for MLA
        "num_key_value_heads": 3,
        "q_lora_rank": 32,
        "kv_lora_rank": 16,
        "qk_nope_head_dim": 16,
        "qk_rope_head_dim": 8,
        "v_head_dim": 16,
    }
    m = read_hf_config(cfg)
    # dense DeepSeek (no routed experts): MLA + gated MLP + 2 norms per layer
    layer = mla(64, 3, 32, 16, 16, 8, 16) + glu(64, 96) + 2 * 64
    assert m.param_counts().total == 2 * 500 * 64 + 64 + 2 * layer


SYNTHETIC = Path(__file__).parent / "data" / "hf_param_counts_synthetic.json"


@pytest.mark.parametrize(
    "name", sorted(json.loads(SYNTHETIC.read_text())["models"]) if SYNTHETIC.exists() else []
)
def test_synthetic_configs_match_transformers(name: str) -> None:
    # counts written by scripts/derive_synthetic_counts.py from transformers on the meta device
    entry = json.loads(SYNTHETIC.read_text())["models"][name]
    assert read_hf_config(entry["config"]).param_counts().total == entry["total"]


def test_from_hf_config_is_a_deprecated_spelling_of_read_hf_config() -> None:
    with pytest.warns(DeprecationWarning, match="read_hf_config"):
        old = ls.ModelConfig.from_hf_config(TINY_LLAMA)
    assert old == ls.read_hf_config(TINY_LLAMA)
