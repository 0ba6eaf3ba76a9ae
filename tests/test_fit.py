"""Fit planner: published deployments, hand-derived per-rank numbers, boundary properties.

Expected values are derived here from the models' published ``config.json`` numbers
and the vendors' memory figures (sources in comments), never read back from the
library's output.
"""

from __future__ import annotations

import functools
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import llmsizing as ls
from llmsizing.errors import UnknownNameError, WorkloadError
from llmsizing.fit import (
    kv_heads_per_rank,
    parallel_layouts,
    ranks_per_device,
    weights_per_device,
)
from llmsizing.memory import resolve_weight_policy

GIB = 2**30
BF16 = 2  # bytes per bf16 element

# Usable memory per device [GiB] as the catalog records it (instances.csv
# accelerator_memory_usable_GiB): H100 79.65 (nvidia-smi), H200 140.4,
# Inferentia2 / Trainium 32, Trainium2 96 (Neuron architecture docs).
H100_GIB = 79.65
H200_GIB = 140.4
INF2_GIB = 32.0
TRN2_GIB = 96.0
BUDGET = 0.9  # vLLM gpu_memory_utilization default, the Workload default


@functools.cache
def model(name: str) -> ls.ModelConfig:
    return ls.load_model(name)


@functools.cache
def catalog() -> ls.Catalog:
    return ls.load_catalog()


def llama_params(
    vocab: int, hidden: int, inter: int, layers: int, heads: int, kv_heads: int, head_dim: int
) -> dict[str, int]:
    """Parameter counts of an untied Llama-architecture model, from its config.json."""
    q = heads * head_dim * hidden
    kv = 2 * kv_heads * head_dim * hidden  # k_proj + v_proj
    o = hidden * heads * head_dim
    mlp = 3 * hidden * inter  # gate, up, down
    norms = layers * 2 * hidden + hidden  # two RMSNorms per layer + final norm
    embed = vocab * hidden
    total = layers * (q + kv + o + mlp) + norms + 2 * embed  # embed_tokens + lm_head
    return {"total": total, "norms": norms, "kv_proj": layers * kv, "embedding": embed}


# meta-llama/Llama-3.1-70B config.json: vocab 128256, hidden 8192, intermediate 28672,
# 80 layers, 64 heads, 8 KV heads, head_dim 128, untied embeddings.
LLAMA_70B = llama_params(128256, 8192, 28672, 80, 64, 8, 128)
# meta-llama/Llama-3.1-8B config.json: vocab 128256, hidden 4096, intermediate 14336,
# 32 layers, 32 heads, 8 KV heads, head_dim 128.
LLAMA_8B = llama_params(128256, 4096, 14336, 32, 32, 8, 128)


def test_hand_parameter_counts_match_the_published_totals() -> None:
    # The safetensors metadata of the Hugging Face checkpoints: 70,553,706,496 and
    # 8,030,261,248 parameters. Guards the hand formula used below.
    assert LLAMA_70B["total"] == 70_553_706_496
    assert LLAMA_8B["total"] == 8_030_261_248


# ------------------------------------------------------------------ deployments
@pytest.mark.parametrize("dtype", ["bf16", "fp8", "int8", "int4"])
@pytest.mark.parametrize("kv", ["bf16", "fp8"])
def test_qwen3_235b_never_fits_inf2_8xlarge(dtype: str, kv: str) -> None:
    # Qwen3-235B-A22B model card: 235B parameters in total (22B activated);
    # inf2.8xlarge has one Inferentia2 chip with 32 GiB of HBM (Neuron inf2-arch docs).
    # Even at 4 bits the weights alone are 235e9 / 2 bytes = 117.5 GB = 109 GiB > 32 GiB.
    assert 235e9 * 4 / 8 > INF2_GIB * GIB
    r = ls.fit("qwen3-235b-a22b", "inf2.8xlarge", ls.Workload(weight_dtype=dtype, kv_dtype=kv))
    assert not r.fits
    assert r.weights_total.to("byte").magnitude > INF2_GIB * GIB


def test_deepseek_v3_fp8_fits_one_h200_node_but_needs_two_h100_nodes() -> None:
    # SGLang DeepSeek V3 usage guide (docs.sglang.io/docs/basic_usage/deepseek_v3.md),
    # "Full precision FP8 (recommended)": 8 x H200, or 2 x 8 x H100; the vLLM recipe
    # (docs.vllm.ai/projects/recipes/en/latest/DeepSeek/DeepSeek-V3.html) serves it on
    # 8xH200 with fp8.
    w = ls.Workload(weight_dtype="fp8")
    on_h200 = ls.fit("deepseek-v3", "p5e.48xlarge", w)
    on_h100 = ls.fit("deepseek-v3", "p5.48xlarge", w)
    # all eight GPUs; with no layout given the planner takes attention DP x EP (see
    # test_deepseek_v3_dp_attention_holds_more_sequences_than_tp8 in test_layouts.py)
    assert on_h200.fits and on_h200.layout.ranks == 8
    assert ls.fit("deepseek-v3", "p5e.48xlarge", w, layout=ls.Layout(tp=8)).fits
    assert not on_h100.fits
    assert on_h100.instances_needed == 2
    # Arithmetic floor: 671.03e9 FP8 weights at 1 byte = 624.9 GiB, more than the whole
    # budget of a p5.48xlarge (8 x 79.65 GiB x 0.9 = 573.5 GiB) and less than a
    # p5e.48xlarge's (8 x 140.4 x 0.9 = 1010.9 GiB).
    assert 671.03e9 / GIB > 8 * H100_GIB * BUDGET
    assert 671.03e9 / GIB < 8 * H200_GIB * BUDGET


def test_llama_405b_needs_fp8_for_one_h100_node() -> None:
    # NVIDIA TensorRT-LLM performance overview (docs/source/performance/perf-overview.md,
    # commit 00f37686): Llama 3.1 405B FP8 measured on H100 TP8, i.e. one DGX H100
    # (8 x H100); Meta served 405B in FP8 to run it within a single server node.
    # bf16: 405.85e9 x 2 bytes = 756 GiB > 8 x 79.65 GiB x 0.9 = 573.5 GiB.
    assert 405.85e9 * BF16 / GIB > 8 * H100_GIB * BUDGET
    assert not ls.fit("llama-3.1-405b", "p5.48xlarge", ls.Workload(weight_dtype="bf16")).fits
    r = ls.fit("llama-3.1-405b", "p5.48xlarge", ls.Workload(weight_dtype="fp8"))
    assert r.fits and r.tp == 8


def test_llama4_scout_int4_fits_a_single_h100() -> None:
    # Meta, "The Llama 4 herd" (ai.meta.com/blog/llama-4-multimodal-intelligence/):
    # Scout "fits on a single NVIDIA H100 GPU (with Int4 quantization)"; Meta's
    # llama-models chat script runs int4_mixed with NGPUS=1 (reproduced in Fixstars'
    # "Running Llama 4 Scout on a single NVIDIA H100 using INT4 quantization").
    r = ls.fit("llama-4-scout", "p5.4xlarge", ls.Workload(weight_dtype="int4"))
    assert r.fits and r.tp == 1
    # ...but not in bf16: 107.8e9 x 2 bytes = 201 GiB.
    assert not ls.fit("llama-4-scout", "p5.4xlarge", ls.Workload(weight_dtype="bf16")).fits


def test_llama4_maverick_fp8_fits_one_h100_host() -> None:
    # Meta: Maverick runs on a single H100 DGX host; TensorRT-LLM perf-overview lists
    # Llama 4 Maverick FP8 measured on H100 TP8.
    assert ls.fit("llama-4-maverick", "p5.48xlarge", ls.Workload(weight_dtype="fp8")).fits


def test_gpt_oss_as_shipped_fits_80gb_and_16gb() -> None:
    # openai/gpt-oss-120b model card (huggingface.co/openai/gpt-oss-120b): "MXFP4
    # quantization ... making gpt-oss-120b run on a single 80GB GPU (like NVIDIA H100 ...)
    # and the gpt-oss-20b model run within 16GB of memory".
    w = ls.Workload(weight_dtype="native")
    big = ls.fit("gpt-oss-120b", "p5.4xlarge", w)
    assert big.fits and big.tp == 1
    small = ls.fit("gpt-oss-20b", "g6.xlarge", w)  # one 24 GB L4
    assert small.fits
    held = (small.weights_total + small.kv_cache_total).to("GB").magnitude
    assert held < 16


@pytest.mark.parametrize(
    ("name", "instance", "batch"),
    [
        # aws-neuron/optimum-neuron-cache, inference-cache-config/llama.json:
        # Meta-Llama-3.1-8B, bf16, sequence_length 4096, num_cores 2 (one Inferentia2
        # chip, as on inf2.xlarge) at batch 1, 4 and 8.
        ("llama-3.1-8b", "inf2.xlarge", 1),
        ("llama-3.1-8b", "inf2.xlarge", 4),
        ("llama-3.1-8b", "inf2.xlarge", 8),
        # ... llama3.1-70b.json: Llama-3.1-70B-Instruct, bf16, 4096, num_cores 24
        # (inf2.48xlarge) at batch 1 and 4.
        ("llama-3.1-70b", "inf2.48xlarge", 1),
        ("llama-3.1-70b", "inf2.48xlarge", 4),
    ],
)
def test_published_neuron_compilations_fit(name: str, instance: str, batch: int) -> None:
    r = ls.fit(name, instance, ls.Workload(context_len=4096, batch=batch, weight_dtype="bf16"))
    assert r.fits


# ---------------------------------------------------------- hand-derived shards
def test_llama_70b_tp8_weights_per_gpu() -> None:
    # Every matrix is split by TP (vLLM column/row-parallel layers, vocab-parallel
    # embedding and head); only the RMSNorm vectors are replicated.
    expected = (LLAMA_70B["total"] - LLAMA_70B["norms"]) * BF16 / 8 + LLAMA_70B["norms"] * BF16
    got = weights_per_device(model("llama-3.1-70b"), resolve_weight_policy("bf16"), 8)
    assert got.to("byte").magnitude == pytest.approx(expected, rel=1e-12)


def test_llama_70b_tp16_replicates_kv_projection_weights() -> None:
    # vllm/model_executor/layers/linear.py, QKVParallelLinear.__init__: with
    # tp_size >= total_num_kv_heads each rank keeps num_kv_heads = 1, i.e. 1/8 of the
    # K and V projections of an 8-KV-head model, not 1/16.
    kv = LLAMA_70B["kv_proj"]
    sharded = LLAMA_70B["total"] - LLAMA_70B["norms"] - kv
    expected = (sharded / 16 + kv / 8 + LLAMA_70B["norms"]) * BF16
    got = weights_per_device(model("llama-3.1-70b"), resolve_weight_policy("bf16"), 16)
    assert got.to("byte").magnitude == pytest.approx(expected, rel=1e-9)


# Llama-3.1-70B KV per token: 80 layers x 2 (K, V) x 8 heads x 128 x 2 bytes.
KV_70B_PER_TOKEN = 80 * 2 * 8 * 128 * BF16


def test_kv_per_rank_at_tp8_with_8_kv_heads_is_an_eighth() -> None:
    # 32 sequences of 32k tokens: 32 x 32768 x 327,680 B = 343.6 GB of KV, which only
    # a TP-8 split (43 GB a GPU + 17.6 GB of weights) can hold on p5.48xlarge.
    w = ls.Workload(context_len=32768, batch=32)
    r = ls.fit("llama-3.1-70b", "p5.48xlarge", w)
    total = 32 * 32768 * KV_70B_PER_TOKEN
    assert r.tp == 8
    assert r.kv_cache_total.to("byte").magnitude == total
    assert r.kv_cache.to("byte").magnitude == pytest.approx(total / 8, rel=1e-12)
    assert r.kv_heads_per_rank == 1


def test_kv_heads_replicate_beyond_their_count_on_neuroncores() -> None:
    # trn1.32xlarge: 16 Trainium chips x 2 NeuronCores = 32 ranks. Llama-3.1-70B bf16
    # needs TP 16 there (141 GB of weights over 14.4 GiB ranks); with 8 KV heads each
    # of the 16 ranks keeps one whole head: KV per rank = total / 8, not total / 16.
    r = ls.fit("llama-3.1-70b", "trn1.32xlarge", ls.Workload())
    assert r.tp == 16 and r.unit == "NeuronCore"
    total = 4096 * KV_70B_PER_TOKEN
    assert r.kv_cache_total.to("byte").magnitude == total
    assert r.kv_cache.to("byte").magnitude == pytest.approx(total / 8, rel=1e-12)
    assert kv_heads_per_rank(model("llama-3.1-70b"), 16) == 1.0
    assert kv_heads_per_rank(model("llama-3.1-70b"), 4) == 2.0


def test_mla_latent_cache_is_not_divided_by_tp() -> None:
    # DeepSeek-V3 config.json: 61 layers, kv_lora_rank 512, qk_rope_head_dim 64; the
    # MLA cache holds the 576-element latent per token and layer (DeepSeek-V2 paper,
    # section 2.1.4), replicated on every TP rank: 61 x 576 x 2 bytes = 70,272 B/token.
    ctx, batch = 32768, 4
    w = ls.Workload(context_len=ctx, batch=batch, weight_dtype="fp8")
    r = ls.fit("deepseek-v3", "p5e.48xlarge", w, layout=ls.Layout(tp=8))
    assert r.tp == 8
    assert r.kv_cache_total.to("byte").magnitude == ctx * batch * 61 * 576 * BF16
    assert r.kv_cache.to("byte").magnitude == pytest.approx(
        r.kv_cache_total.to("byte").magnitude, rel=1e-12
    )
    assert kv_heads_per_rank(model("deepseek-v3"), 8) == 1.0


def test_neuron_pads_heads_where_gpus_need_divisors() -> None:
    # inf2.48xlarge: 12 Inferentia2 chips x 2 NeuronCores = 24 ranks; Neuron pads the
    # 32 attention heads of Llama-3.1-8B to 48 so that TP 24 is accepted. A GPU engine
    # (vLLM) requires num_attention_heads % tp == 0.
    m = model("llama-3.1-8b")
    neuron = parallel_layouts(m, catalog().get("inf2.48xlarge"))
    assert 24 in neuron
    assert all(24 % d == 0 for d in neuron)
    for name in ("p5.48xlarge", "g6e.48xlarge", "g5.12xlarge"):
        gpu = parallel_layouts(m, catalog().get(name))
        assert gpu and all(32 % d == 0 for d in gpu)
        assert max(gpu) <= catalog().get(name).accelerator_count
    # Qwen3-235B has 64 heads: on 8 GPUs every power of two up to 8 divides them.
    assert parallel_layouts(model("qwen3-235b-a22b"), catalog().get("p5.48xlarge")) == [1, 2, 4, 8]


def test_padded_attention_weights_at_tp24() -> None:
    # At TP 24 over 48 padded query heads each rank holds 2 of them, i.e. 2/32 of the
    # q and o weights; with 8 KV heads and 24 ranks each rank holds one whole KV head
    # (replicated), 1/8 of the k and v weights; the FFN, embedding and head split
    # 1/24; norms stay whole.
    m = model("llama-3.1-8b")
    layers, hidden, kv_dim = 32, 4096, 8 * 128
    qo = layers * 2 * hidden * hidden
    kv = layers * 2 * kv_dim * hidden
    norms = LLAMA_8B["norms"]
    other = LLAMA_8B["total"] - qo - kv - norms
    expected = (qo * 2 / 32 + kv / 8 + other / 24 + norms) * BF16
    got = weights_per_device(m, resolve_weight_policy("bf16"), 24, padded_heads=True)
    assert got.to("byte").magnitude == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("instance", "ranks", "usable_gib", "tp"),
    [
        ("p5.48xlarge", 1, H100_GIB, 8),  # one GPU per rank
        ("p5e.48xlarge", 1, H200_GIB, 8),
        ("inf2.48xlarge", 2, INF2_GIB, 24),  # 2 NeuronCore-v2 share one 32 GiB chip
        ("trn1.32xlarge", 2, INF2_GIB, 32),  # Trainium: 2 cores, 32 GiB
        ("trn2.48xlarge", 4, TRN2_GIB, 64),  # Trainium2: 8 cores, LNC=2 -> 4 logical
    ],
)
def test_available_per_rank(instance: str, ranks: int, usable_gib: float, tp: int) -> None:
    inst = catalog().get(instance)
    assert ranks_per_device(inst) == ranks
    # A workload far too large for the instance: fit reports its largest TP degree.
    w = ls.Workload(context_len=131072, batch=4096)
    r = ls.fit("llama-3.1-70b", instance, w)
    assert not r.fits
    assert r.tp == tp
    assert r.available.to("GiB").magnitude == pytest.approx(usable_gib * BUDGET / ranks, 1e-12)


def test_tp1_on_a_two_core_chip_gets_the_whole_chip() -> None:
    # A single-rank layout uses one Inferentia2 chip by itself: 32 GiB x 0.9 = 28.8 GiB.
    r = ls.fit("llama-3.1-8b", "inf2.xlarge", ls.Workload())
    assert r.fits and r.tp == 1
    assert r.available.to("GiB").magnitude == pytest.approx(INF2_GIB * BUDGET, rel=1e-12)


def test_memory_utilization_scales_the_budget() -> None:
    r = ls.fit("llama-3.1-8b", "p5.4xlarge", ls.Workload(memory_utilization=0.5))
    assert r.available.to("GiB").magnitude == pytest.approx(H100_GIB * 0.5, rel=1e-12)


def test_kv_dtype_halves_kv_bytes() -> None:
    # Llama-3.1-8B: 32 layers x 2 x 8 heads x 128 = 65,536 KV elements per token.
    ctx, batch = 8192, 3
    bf16 = ls.fit("llama-3.1-8b", "p5.4xlarge", ls.Workload(context_len=ctx, batch=batch))
    fp8 = ls.fit(
        "llama-3.1-8b", "p5.4xlarge", ls.Workload(context_len=ctx, batch=batch, kv_dtype="fp8")
    )
    assert bf16.kv_cache_total.to("byte").magnitude == ctx * batch * 65536 * 2
    assert fp8.kv_cache_total.to("byte").magnitude == ctx * batch * 65536 * 1


# ------------------------------------------------------------- boundary props
PRESETS = [
    "llama-3.1-8b",
    "llama-3.1-70b",
    "mistral-7b-v0.1",
    "mixtral-8x7b",
    "qwen3-30b-a3b",
    "gemma-3-27b",
    "gpt-oss-20b",
    "deepseek-v2",
]
INSTANCES = [
    "p5.4xlarge",
    "p5.48xlarge",
    "g6e.xlarge",
    "g5.12xlarge",
    "inf2.48xlarge",
    "trn1.32xlarge",
    "trn2.48xlarge",
]
SINGLE_DEVICE = ["p5.4xlarge", "g6e.xlarge", "g6.xlarge"]
PROPS = settings(max_examples=20, deadline=None)


def _ctx(name: str, ctx: int) -> int:
    cap = model(name).max_position_embeddings
    return min(ctx, cap) if cap else ctx


@PROPS
@given(
    name=st.sampled_from(PRESETS),
    instance=st.sampled_from(INSTANCES),
    ctx=st.sampled_from([1024, 4096, 32768]),
    dtype=st.sampled_from(["bf16", "fp8", "int4"]),
)
def test_max_batch_is_the_boundary(name: str, instance: str, ctx: int, dtype: str) -> None:
    m, ctx = model(name), _ctx(name, ctx)
    limit = 1 << 20
    b = ls.max_batch(m, instance, ctx, ls.Workload(weight_dtype=dtype), limit=limit)
    assert 0 <= b <= limit

    def fits(batch: int) -> bool:
        w = ls.Workload(context_len=ctx, batch=batch, weight_dtype=dtype)
        return ls.fit(m, instance, w, max_instances=1).fits

    if b == 0:
        assert not fits(1)
        return
    assert fits(b)
    if b < limit:
        assert not fits(b + 1)


@PROPS
@given(
    name=st.sampled_from(PRESETS),
    instance=st.sampled_from(INSTANCES),
    batch=st.sampled_from([1, 2, 8, 64]),
    dtype=st.sampled_from(["bf16", "fp8", "int4"]),
)
def test_max_context_is_the_boundary(name: str, instance: str, batch: int, dtype: str) -> None:
    m = model(name)
    cap = m.max_position_embeddings or (1 << 24)
    c = ls.max_context(m, instance, batch=batch, workload=ls.Workload(weight_dtype=dtype))
    assert 0 <= c <= cap

    def fits(ctx: int) -> bool:
        w = ls.Workload(context_len=ctx, batch=batch, weight_dtype=dtype)
        return ls.fit(m, instance, w, max_instances=1).fits

    if c == 0:
        assert not fits(1)
        return
    assert fits(c)
    if c < cap:
        assert not fits(c + 1)
    else:
        with pytest.raises(WorkloadError, match="max_position_embeddings"):
            fits(c + 1)


@PROPS
@given(
    name=st.sampled_from(PRESETS),
    instance=st.sampled_from(INSTANCES + SINGLE_DEVICE),
    b1=st.integers(1, 256),
    db=st.integers(0, 256),
    c1=st.integers(1, 16384),
    dc=st.integers(0, 16384),
)
def test_required_memory_is_monotone(
    name: str, instance: str, b1: int, db: int, c1: int, dc: int
) -> None:
    m = model(name)
    c1, c2 = _ctx(name, c1), _ctx(name, c1 + dc)
    small = ls.fit(m, instance, ls.Workload(context_len=c1, batch=b1), max_instances=1)
    big = ls.fit(m, instance, ls.Workload(context_len=c2, batch=b1 + db), max_instances=1)
    for attr in ("kv_cache_total", "weights_total"):
        assert getattr(small, attr) <= getattr(big, attr)
    if big.fits:
        assert small.fits
    # per rank, at the same layout (a single-device instance has only one)
    if small.layout == big.layout:
        for attr in ("kv_cache", "activations", "required"):
            assert getattr(small, attr) <= getattr(big, attr) * (1 + 1e-12)


@functools.cache
def _fit_all(name: str, dtype: str, ctx: int) -> pd.DataFrame:
    return ls.fit_all(name, ls.Workload(context_len=ctx, weight_dtype=dtype))


FIT_ALL_CASES = [
    ("llama-3.1-8b", "bf16", 8192),
    ("llama-3.1-70b", "fp8", 32768),
    ("mixtral-8x7b", "int4", 4096),
    ("qwen3-30b-a3b", "bf16", 4096),
]


@pytest.mark.parametrize(("name", "dtype", "ctx"), FIT_ALL_CASES)
def test_fit_all_sorted_by_price_nan_last(name: str, dtype: str, ctx: int) -> None:
    df = _fit_all(name, dtype, ctx)
    assert len(df) == len(catalog())
    assert set(df.instance) == set(catalog().names())
    price = df.usd_per_hour
    known = price.notna()
    n = int(known.sum())
    assert known.iloc[:n].all() and not known.iloc[n:].any()  # NaN only at the end
    assert price.iloc[:n].is_monotonic_increasing
    # instances with no public price, per prices.csv "none-public" rows
    assert {"p5e.48xlarge", "trn2.48xlarge", "u-trn2x64"} <= set(df.instance[~known])
    assert df.loc[df.instance == "p5.48xlarge", "usd_per_hour"].item() == 55.04


@pytest.mark.parametrize(("name", "dtype", "ctx"), FIT_ALL_CASES)
def test_cheapest_fit_is_the_cheapest_priced_fit(name: str, dtype: str, ctx: int) -> None:
    w = ls.Workload(context_len=ctx, weight_dtype=dtype)
    best = ls.cheapest_fit(name, w)
    df = _fit_all(name, dtype, ctx)
    priced_fits = df[df.fits & df.usd_per_hour.notna()]
    if priced_fits.empty:
        assert best is None
        return
    assert best is not None and best.fits
    price = catalog().hourly_price(best.instance)
    assert price is not None
    assert price == priced_fits.usd_per_hour.min()
    assert not (priced_fits.usd_per_hour < price).any()


def test_cheapest_fit_for_llama_8b_is_an_inferentia2() -> None:
    # 16.06 GB of bf16 weights fit one 32 GiB Inferentia2 chip. prices.csv: only
    # inf1.xlarge ($0.228/h) and inf1.2xlarge ($0.362/h), one 8 GiB Inferentia each,
    # cost less than inf2.xlarge ($0.7582/h); the cheapest GPU is g6.xlarge ($0.8048/h).
    assert ls.cheapest_fit("llama-3.1-8b", ls.Workload(context_len=8192)).instance == (
        "inf2.xlarge"
    )


# ---------------------------------------------------------------------- errors
def test_unknown_instance_suggests_the_nearest_name() -> None:
    with pytest.raises(UnknownNameError, match=r"did you mean 'p5e\.48xlarge'"):
        ls.fit("llama-3.1-8b", "p5e.48xlarg")
    with pytest.raises(UnknownNameError, match=r"inf2\.8xlarge"):
        ls.max_batch("llama-3.1-8b", "inf2.8xlarg", 4096)


def test_unknown_model_is_an_unknown_name() -> None:
    with pytest.raises(UnknownNameError, match=r"llama-3\.1-8b"):
        ls.fit("llama-3.1-8", "p5.48xlarge")


@pytest.mark.parametrize("call", ["fit", "max_batch"])
def test_context_beyond_the_model_maximum(call: str) -> None:
    # Llama-3.1-8B config.json: max_position_embeddings 131072.
    with pytest.raises(WorkloadError, match="max_position_embeddings") as e:
        if call == "fit":
            ls.fit("llama-3.1-8b", "p5.48xlarge", ls.Workload(context_len=131073))
        else:
            ls.max_batch("llama-3.1-8b", "p5.48xlarge", 131073)
    assert "131072" in str(e.value)
    # the maximum itself is accepted
    ls.fit("llama-3.1-8b", "p5.48xlarge", ls.Workload(context_len=131072))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("batch", 0),
        ("batch", -3),
        ("context_len", -1),
        ("memory_utilization", 0.0),
        ("memory_utilization", 1.5),
        ("runtime_reserve_GiB", math.nan),
    ],
)
def test_bad_workload_field_is_named(field: str, value: float) -> None:
    with pytest.raises(WorkloadError, match=field):
        ls.Workload(**{field: value})


def test_unknown_workload_field_is_rejected() -> None:
    with pytest.raises(WorkloadError, match="batch_size"):
        ls.Workload(batch_size=4)


def test_default_context_from_prompt_and_output() -> None:
    assert ls.Workload(prompt_len=1000, output_len=24).context_len == 1024
    assert ls.Workload().context_len == 4096
