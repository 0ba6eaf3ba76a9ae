"""What a decode step attends to, scores and moves through memory, by hand.

DeepSeek Sparse Attention (DeepSeek-V3.2-Exp): the lightning indexer scores every
held token, the query attends to the ``index_topk`` it selects. DeepSeek-V4: a raw
window of 128 tokens plus compressed entries, the top 512 of them on ratio-4 layers,
all of them on ratio-128 layers. Recurrent layers read their state and write it back
at every step.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import llmsizing as ls
from llmsizing import perf
from llmsizing.attention import attended_tokens, indexed_tokens
from llmsizing.memory import kv_cache_memory, kv_cache_read_bytes

V4_FLASH = (
    Path(__file__).parent / "data" / "real_configs" / "dev" / "deepseek-ai--DeepSeek-V4-Flash.json"
)

# DeepSeek-V3.2 (config.json): 61 layers, 128 heads, kv_lora_rank 512, qk_rope 64,
# index_n_heads 64, index_head_dim 128, index_topk 2048
LAYERS, HEADS, RANK, ROPE = 61, 128, 512, 64
IDX_HEADS, IDX_DIM, TOPK = 64, 128, 2048
#: fp8_ds_mla latent entry (512 fp8 + 4 fp32 scales + 64 bf16) and the indexer key (128 + 4)
LATENT_FP8, INDEX_KEY = 512 + 4 * 4 + 2 * 64, 128 + 4


@pytest.fixture(scope="module")
def v32() -> ls.ModelConfig:
    return ls.load_model("deepseek-v3.2")


@pytest.fixture(scope="module")
def v4() -> ls.ModelConfig:
    return ls.load_model(str(V4_FLASH))


def test_dsa_attends_top_k_and_scores_every_token(v32: ls.ModelConfig) -> None:
    assert (attended_tokens(v32, 1000) == 1000).all()
    assert (attended_tokens(v32, 131072) == TOPK).all()
    assert (indexed_tokens(v32, 131072) == 131072).all()
    # a dense model attends what it holds and has no indexer
    llama = ls.load_model("llama-3.1-8b")
    assert (attended_tokens(llama, 5000) == 5000).all()
    assert (indexed_tokens(llama, 5000) == 0).all()


def test_dsa_decode_reads_top_k_latents_and_every_indexer_key(v32: ls.ModelConfig) -> None:
    t = 131072
    cache = kv_cache_memory(v32, t, 1, "fp8").magnitude
    read = kv_cache_read_bytes(v32, t, 1, "fp8").magnitude
    assert cache == LAYERS * t * (LATENT_FP8 + INDEX_KEY)
    assert read == LAYERS * (TOPK * LATENT_FP8 + t * INDEX_KEY)
    # at or below top-k every entry is read
    assert kv_cache_read_bytes(v32, TOPK, 3, "fp8") == kv_cache_memory(v32, TOPK, 3, "fp8")


def test_dsa_decode_and_prefill_flops_by_hand(v32: ls.ModelConfig) -> None:
    t = 131072
    per_pos = 2 * HEADS * (2 * RANK + ROPE)  # absorbed MLA, per attended latent
    per_key = 2 * IDX_HEADS * IDX_DIM
    dense = 2 * v32.param_counts().active_excluding_embedding
    got = perf.decode_flops_per_token(v32, t).magnitude
    assert got == dense + LAYERS * (per_pos * TOPK + per_key * t)
    # prefill: query i attends min(i, k) positions of 192 + 128 wide heads, the
    # indexer scores all i preceding keys
    p = 4096
    attended = TOPK * (TOPK + 1) / 2 + (p - TOPK) * TOPK
    scored = p * (p + 1) / 2
    want = LAYERS * (2 * HEADS * (192 + 128) * attended + per_key * scored)
    assert perf.attention_flops_prefill(v32, p).magnitude == pytest.approx(want, rel=1e-12)


def test_v4_window_plus_selected_compressed_entries(v4: ls.ModelConfig) -> None:
    a = v4.compressed_attention
    assert a is not None and a.window == 128 and a.index_topk == 512
    t = 131072
    att, idx = attended_tokens(v4, t), indexed_tokens(v4, t)
    for i, r in enumerate(a.ratios):
        if r == 4:
            assert att[i] == 128 + 512 and idx[i] == t / 4
        elif r == 128:
            assert att[i] == 128 + t / 128 and idx[i] == 0
        else:
            assert att[i] == 128 and idx[i] == 0


def test_v4_decode_reads_the_top_entries_of_ratio_4_layers(v4: ls.ModelConfig) -> None:
    a = v4.compressed_attention
    assert a is not None
    t = 131072
    entry = a.head_dim - a.rope_dim + 2 * a.rope_dim + 8  # fp8_ds_mla, 584 bytes
    c4 = sum(1 for r in a.ratios if r == 4)
    unread = c4 * (t / 4 - a.index_topk) * entry
    cache = kv_cache_memory(v4, t, 1, "fp8").magnitude
    assert kv_cache_read_bytes(v4, t, 1, "fp8").magnitude == pytest.approx(cache - unread)


@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(["deepseek-v3.2", "llama-3.1-8b", "gemma-3-27b", "deepseek-v3"]),
    t1=st.integers(1, 200_000),
    dt=st.integers(0, 200_000),
    batch=st.integers(1, 64),
)
def test_reads_never_exceed_the_cache_and_grow_with_context(
    name: str, t1: int, dt: int, batch: int
) -> None:
    m = ls.load_model(name)
    t2 = t1 + dt
    r1 = kv_cache_read_bytes(m, t1, batch, "bf16").magnitude
    r2 = kv_cache_read_bytes(m, t2, batch, "bf16").magnitude
    assert 0 < r1 <= kv_cache_memory(m, t1, batch, "bf16").magnitude
    assert r1 <= r2
    assert np.isfinite(r2)
    assert perf.decode_flops_per_token(m, t1) <= perf.decode_flops_per_token(m, t2)
    # sparse attention attends no more than it holds
    held = np.minimum(t1, ls.memory.layer_windows(m))
    assert (attended_tokens(m, t1) <= held).all()


def test_dense_models_read_what_they_hold() -> None:
    m = ls.load_model("qwen3-32b")
    for t in (1, 4096, 40960):
        assert kv_cache_read_bytes(m, t, 2, "fp8") == kv_cache_memory(m, t, 2, "fp8")


def test_a_decode_step_reads_and_writes_the_recurrent_state_back() -> None:
    # Qwen3.5-27B: 48 Gated DeltaNet layers of 64 (full attention every 4th), each a
    # 48 x 128 x 128 fp32 delta-rule state (mamba_ssm_dtype float32) and a bf16
    # convolution window of (4 - 1) x (2 x 16 x 128 + 48 x 128) channels
    m = ls.load_model("qwen3.5-27b")
    per_layer = 48 * 128 * 128 * 4 + 3 * (2 * 16 * 128 + 48 * 128) * 2
    assert ls.memory.state_bytes_per_sequence(m).magnitude == 48 * per_layer
    assert ls.memory.state_bytes_per_decode_step(m).magnitude == 2 * 48 * per_layer
    # a dense model reads the same weights at any batch: one more sequence adds its
    # embedding row (5120 x 2 bytes), its KV read and its state read and written back
    w1 = ls.Workload(context_len=8192, batch=1)
    w2 = ls.Workload(context_len=8192, batch=2)
    extra = perf.decode_bytes_per_step(m, w2) - perf.decode_bytes_per_step(m, w1)
    kv = kv_cache_read_bytes(m, 8192, 1, "bf16")
    row = 5120 * 2
    assert extra.magnitude == pytest.approx(row + kv.magnitude + 2 * 48 * per_layer, rel=1e-12)
