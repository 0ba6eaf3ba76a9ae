"""Roofline performance model: hand-derived examples, published measurements, properties.

Hardware figures are NVIDIA's H100 SXM datasheet values as the catalog records them
(3.35 TB/s HBM3, 989 TFLOPS dense BF16, 1,979 dense FP8); model shapes come from the
published ``config.json`` files. The efficiency factors are read from the module.
"""

from __future__ import annotations

import functools
import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import llmsizing as ls
from llmsizing import perf
from llmsizing.errors import WorkloadError
from llmsizing.memory import weight_memory
from llmsizing.perf import (
    DEFAULT_BANDWIDTH_UTILIZATION,
    DEFAULT_INTERCONNECT_UTILIZATION,
    DEFAULT_MFU,
    allreduce_time,
    compute_dtype,
    decode_bytes_per_step,
    decode_flops_per_token,
    expected_experts_touched,
    prefill_flops,
    usd_per_million_tokens,
)
from llmsizing.units import ureg

H100_BW = 3.35e12  # bytes/s
H100_BF16 = 989e12  # FLOP/s, dense
P5_4XL_PRICE = 6.88  # USD/h, us-east-1 on-demand (prices.csv)

# meta-llama/Llama-3.1-8B config.json: vocab 128256, hidden 4096, intermediate 14336,
# 32 layers, 32 heads, 8 KV heads, head_dim 128, untied embeddings.
L8_LAYERS, L8_HEADS, L8_HEAD_DIM = 32, 32, 128
L8_EMBED = 128256 * 4096  # one of embed_tokens / lm_head
L8_LAYER = 2 * 4096 * 4096 + 2 * 1024 * 4096 + 3 * 4096 * 14336 + 2 * 4096
L8_TOTAL = 32 * L8_LAYER + 4096 + 2 * L8_EMBED  # 8,030,261,248 (HF safetensors metadata)
L8_KV_PER_TOKEN = 32 * 2 * 8 * 128 * 2  # bytes in bf16: 131,072


@functools.cache
def model(name: str) -> ls.ModelConfig:
    return ls.load_model(name)


def test_hand_count_matches_the_published_total() -> None:
    assert L8_TOTAL == 8_030_261_248


def test_efficiency_defaults_are_fractions() -> None:
    for v in (DEFAULT_MFU, DEFAULT_BANDWIDTH_UTILIZATION, DEFAULT_INTERCONNECT_UTILIZATION):
        assert 0 < v <= 1


# ------------------------------------------------------------ hand-derived
def _sum_positions(t: int) -> int:
    return t * (t + 1) // 2  # causal attention: token i attends to i positions


def test_ttft_llama_8b_batch1_is_compute_bound_prefill() -> None:
    prompt = 1024
    w = ls.Workload(prompt_len=prompt, output_len=256, batch=1)
    est = ls.estimate_performance("llama-3.1-8b", "p5.4xlarge", w)
    # 2 N T for the matrix multiplies (Kaplan et al. 2020, sec. 2.1) with N the
    # matmul parameters (everything except the input-embedding lookup), plus
    # QK^T and AV: 2 n_h (d_k + d_v) FLOPs per attended position and layer.
    n = L8_TOTAL - L8_EMBED
    attn = L8_LAYERS * 2 * L8_HEADS * (L8_HEAD_DIM + L8_HEAD_DIM) * _sum_positions(prompt)
    flops = 2 * n * prompt + attn
    t_compute = flops / (H100_BF16 * DEFAULT_MFU)
    # even reading every weight and the prompt's KV once takes less time
    t_memory = (2 * L8_TOTAL + prompt * L8_KV_PER_TOKEN) / (H100_BW * DEFAULT_BANDWIDTH_UTILIZATION)
    assert t_memory < t_compute
    assert est.ttft.to("s").magnitude == pytest.approx(t_compute, rel=1e-6)
    assert prefill_flops(model("llama-3.1-8b"), prompt).to("FLOP").magnitude == pytest.approx(
        flops, rel=1e-12
    )
    assert est.prefill_tokens_per_s.to("token/s").magnitude == pytest.approx(
        prompt / t_compute, rel=1e-6
    )


def test_tpot_llama_8b_batch1_reads_weights_and_kv() -> None:
    w = ls.Workload(prompt_len=1024, output_len=256, batch=1)  # context 1,280 tokens
    est = ls.estimate_performance("llama-3.1-8b", "p5.4xlarge", w)
    # A step reads every matrix once (the untied lm_head included) but only one row of
    # the input embedding, plus the sequence's KV cache.
    read = 2 * (L8_TOTAL - L8_EMBED + 4096) + 1280 * L8_KV_PER_TOKEN
    tpot = read / (H100_BW * DEFAULT_BANDWIDTH_UTILIZATION)
    assert est.tpot.to("s").magnitude == pytest.approx(tpot, rel=1e-6)


# meta-llama/Llama-3.2-3B config.json (tied embeddings, so the output head reads the
# whole embedding matrix every step and every weight is read once).
LLAMA_32_3B = {
    "model_type": "llama",
    "vocab_size": 128256,
    "hidden_size": 3072,
    "intermediate_size": 8192,
    "num_hidden_layers": 28,
    "num_attention_heads": 24,
    "num_key_value_heads": 8,
    "head_dim": 128,
    "max_position_embeddings": 131072,
    "tie_word_embeddings": True,
}
L3B_TOTAL = (
    28 * (2 * 3072 * 3072 + 2 * 1024 * 3072 + 3 * 3072 * 8192 + 2 * 3072) + 3072 + 128256 * 3072
)  # 3,212,749,824
L3B_KV_PER_TOKEN = 28 * 2 * 8 * 128 * 2  # 114,688 bytes


def test_tpot_tied_embedding_model_batch1() -> None:
    m = ls.ModelConfig.from_hf_config(LLAMA_32_3B, name="llama-3.2-3b")
    assert m.param_counts().total == L3B_TOTAL == 3_212_749_824
    ctx = 2048
    est = ls.estimate_performance(m, "p5.4xlarge", ls.Workload(context_len=ctx, batch=1))
    tpot = (2 * L3B_TOTAL + ctx * L3B_KV_PER_TOKEN) / (H100_BW * DEFAULT_BANDWIDTH_UTILIZATION)
    assert est.bound == "memory"
    assert est.tp == 1 and est.replicas == 1
    assert est.tpot.to("s").magnitude == pytest.approx(tpot, rel=1e-6)
    assert est.tokens_per_s.to("token/s").magnitude == pytest.approx(1 / tpot, rel=1e-6)


def test_decode_flops_per_token() -> None:
    # 2 N for the matmuls plus 2 n_h (d_k + d_v) per held position and layer.
    ctx = 5000
    expected = 2 * (L8_TOTAL - L8_EMBED) + L8_LAYERS * 2 * L8_HEADS * 256 * ctx
    got = decode_flops_per_token(model("llama-3.1-8b"), ctx).to("FLOP").magnitude
    assert got == pytest.approx(expected, rel=1e-12)


def test_decode_flops_mla_absorbed_form() -> None:
    # DeepSeek-V3 (config.json): 61 layers, 128 heads, kv_lora_rank 512, rope dim 64.
    # Absorbed MLA decode attends in the latent: scores over 512 + 64 dims and values
    # over 512, i.e. 2 n_h (2 d_c + d_R) FLOPs per held position and layer.
    m = model("deepseek-v3")
    ctx = 1000
    base = decode_flops_per_token(m, 1).to("FLOP").magnitude - 61 * 2 * 128 * (2 * 512 + 64)
    got = decode_flops_per_token(m, ctx).to("FLOP").magnitude
    assert got - base == pytest.approx(61 * 2 * 128 * (2 * 512 + 64) * ctx, rel=1e-12)


def test_sliding_window_caps_attention_flops() -> None:
    # gpt-oss: alternating 128-token sliding and full layers (18 of each, config.json).
    m = model("gpt-oss-120b")
    per_pos = 2 * m.num_heads * (64 + 64)
    f1 = decode_flops_per_token(m, 10_000).to("FLOP").magnitude
    f2 = decode_flops_per_token(m, 20_000).to("FLOP").magnitude
    # only the 18 full layers see the extra 10,000 positions
    assert f2 - f1 == pytest.approx(18 * per_pos * 10_000, rel=1e-12)


def test_expected_experts_touched() -> None:
    # E (1 - (1 - k/E)^B) for uniform routing of B tokens to k of E experts
    assert float(expected_experts_touched(256, 8, 1)) == pytest.approx(8, rel=1e-12)
    assert float(expected_experts_touched(128, 4, 1)) == pytest.approx(4, rel=1e-12)
    assert float(expected_experts_touched(256, 8, 64)) == pytest.approx(
        256 * (1 - (248 / 256) ** 64), rel=1e-12
    )
    assert float(expected_experts_touched(256, 8, 100_000)) == pytest.approx(256, rel=1e-12)
    # monotone and bounded
    prev = 0.0
    for b in (1, 2, 4, 16, 64, 256, 4096):
        x = float(expected_experts_touched(64, 6, b))
        assert prev < x <= 64
        prev = x


def test_allreduce_time_ring_formula() -> None:
    # ring all-reduce moves 2 (p - 1) / p of the buffer over each link
    link = 900e9 * ureg("byte/s")  # NVLink 4, 900 GB/s per H100
    t = allreduce_time(1e6, 8, link, 0.8).to("s").magnitude
    assert t == pytest.approx(2 * 7 / 8 * 1e6 / (0.8 * 900e9), rel=1e-12)
    assert allreduce_time(1e6, 1, link, 0.8).to("s").magnitude == 0
    assert allreduce_time(1e6, 8, None, 0.8).to("s").magnitude == 0


@pytest.mark.parametrize(
    ("dtype", "instance", "expected"),
    [
        ("fp8", "p5.48xlarge", "fp8"),  # H100 has FP8 tensor cores
        ("fp8", "g5.xlarge", "bf16"),  # A10G has none
        ("int4", "p5.48xlarge", "bf16"),  # weight-only: dequantised to bf16
        ("bf16", "p5.48xlarge", "bf16"),
        ("mxfp4", "p6-b200.48xlarge", "fp4"),  # Blackwell FP4
        ("mxfp4", "p5.48xlarge", "bf16"),
    ],
)
def test_compute_dtype(dtype: str, instance: str, expected: str) -> None:
    assert compute_dtype(dtype, ls.load_catalog().get(instance)) == expected


def test_mla_latent_is_read_by_every_rank() -> None:
    # DeepSeek-V3 KV: 61 layers x 576 latent values x 2 bytes = 70,272 B per token,
    # replicated on all 8 TP ranks, so a step reads it 8 times in aggregate.
    m = model("deepseek-v3")
    w = ls.Workload(context_len=8192, batch=16, weight_dtype="fp8")
    est = ls.estimate_performance(m, "p5e.48xlarge", w)
    assert est.tp == 8
    kv = 8192 * 16 * 61 * 576 * 2
    extra = (
        est.decode_bytes_per_step.to("byte").magnitude
        - decode_bytes_per_step(m, w).to("byte").magnitude
    )
    assert extra == pytest.approx(7 * kv, rel=1e-9)


# Llama-3.1-405B config.json: vocab 128256, hidden 16384, 126 layers, 8 KV heads of 128.
L405_TOTAL = 405_853_388_800  # HF safetensors metadata
L405_EMBED = 128256 * 16384
L405_KV_PER_TOKEN = 126 * 2 * 8 * 128 * 2


def test_pipeline_stages_do_not_shorten_tpot() -> None:
    # Llama-3.1-405B bf16 needs two p5.48xlarge (756 GiB > 573.5 GiB budget): TP 8 in
    # each, two pipeline stages. Each stage reads its half of the weights on its own 8
    # GPUs, then hands the activations on, so a token takes at least all the bytes over
    # one instance's bandwidth (8 x 3.35 TB/s x utilisation), whatever the split.
    ctx = 4096
    est = ls.estimate_performance("llama-3.1-405b", "p5.48xlarge", ls.Workload(context_len=ctx))
    assert est.instances == 2 and est.tp == 8
    read = 2 * (L405_TOTAL - L405_EMBED) + ctx * L405_KV_PER_TOKEN  # lower bound
    floor = read / (8 * H100_BW * DEFAULT_BANDWIDTH_UTILIZATION)
    assert est.tpot.to("s").magnitude >= floor


# --------------------------------------------------------------------- cost
def test_usd_per_million_tokens_formula() -> None:
    # $36/h at 1,000 tokens/s: 3.6e6 tokens an hour -> $10 per million
    assert usd_per_million_tokens(36.0, 1000 * ureg("token/s")) == pytest.approx(10.0)
    assert usd_per_million_tokens(6.88, 2 * ureg("token/ms")) == pytest.approx(
        6.88 / (3600 * 2000) * 1e6
    )


def test_estimate_cost_uses_the_on_demand_price() -> None:
    w = ls.Workload(prompt_len=1024, output_len=256, batch=8)
    est = ls.estimate_performance("llama-3.1-8b", "p5.4xlarge", w)
    tps = est.tokens_per_s.to("token/s").magnitude
    pps = est.prefill_tokens_per_s.to("token/s").magnitude
    assert est.usd_per_hour == pytest.approx(P5_4XL_PRICE)
    assert est.usd_per_million_output_tokens == pytest.approx(
        P5_4XL_PRICE / (3600 * tps) * 1e6, rel=1e-9
    )
    assert est.usd_per_million_input_tokens == pytest.approx(
        P5_4XL_PRICE / (3600 * pps) * 1e6, rel=1e-9
    )
    user = ls.estimate_performance("llama-3.1-8b", "p5.4xlarge", w, usd_per_hour=2.0)
    assert user.usd_per_million_output_tokens == pytest.approx(2.0 / (3600 * tps) * 1e6)
    assert "user" in user.price_note


def test_no_public_price_gives_none_and_a_note() -> None:
    # prices.csv: p5e.48xlarge is "none-public" in us-east-1 (Capacity Blocks only)
    est = ls.estimate_performance("llama-3.1-8b", "p5e.48xlarge", ls.Workload())
    assert est.usd_per_hour is None
    assert est.usd_per_million_output_tokens is None
    assert est.usd_per_million_input_tokens is None
    assert "no public" in est.price_note
    assert "no public" in str(est)


def test_multi_instance_cost_counts_every_instance() -> None:
    # DeepSeek-V3 fp8 needs two p5.48xlarge ($55.04/h each)
    est = ls.estimate_performance("deepseek-v3", "p5.48xlarge", ls.Workload(weight_dtype="fp8"))
    assert est.instances == 2
    assert est.usd_per_hour == pytest.approx(2 * 55.04)


@pytest.mark.parametrize(
    ("kw", "value"),
    [
        ("mfu", 0.0),
        ("mfu", 1.5),
        ("bandwidth_utilization", math.nan),
        ("interconnect_utilization", -0.1),
        ("usd_per_hour", -1.0),
        ("usd_per_hour", math.inf),
    ],
)
def test_bad_efficiency_or_price_is_named(kw: str, value: float) -> None:
    with pytest.raises(WorkloadError, match=kw):
        ls.estimate_performance("llama-3.1-8b", "p5.4xlarge", ls.Workload(), **{kw: value})


# ------------------------------------------------ published measurements
# NVIDIA TensorRT-LLM "Performance Overview", Throughput Measurements
# (https://github.com/NVIDIA/TensorRT-LLM/blob/00f37686aa854010d68bcbd0f4ab000221541ca6/
# docs/source/performance/perf-overview.md): trtllm-bench offline throughput at maximum
# load, "Total Output Throughput (tokens/sec)", on DGX H100 with NVIDIA's ModelOpt FP8
# checkpoints (whose hf_quant_config.json sets kv_cache_quant_algo FP8). MoE rows ran
# with expert parallelism and attention data parallelism, which the roofline does not
# model (it assumes pure TP).
TRTLLM_H100_FP8 = {
    # Llama 3.1 8B, H100 TP1 (one GPU: p5.4xlarge)
    ("llama-3.1-8b", "p5.4xlarge"): [
        (128, 128, 28312),
        (128, 2048, 22714),
        (128, 4096, 14325),
        (500, 2000, 17660),
        (1000, 1000, 15220),
        (1000, 2000, 13899),
        (2048, 128, 3450),
        (2048, 2048, 9305),
        (5000, 500, 3459),
        (20000, 2000, 1351),
    ],
    # Llama 3.1 405B, H100 TP8 (one 8-GPU node: p5.48xlarge)
    ("llama-3.1-405b", "p5.48xlarge"): [
        (128, 128, 3627),
        (128, 2048, 4340),
        (128, 4096, 3116),
        (500, 2000, 3994),
        (1000, 1000, 2919),
        (1000, 2000, 2895),
        (2048, 128, 453),
        (2048, 2048, 2296),
        (5000, 500, 610),
        (20000, 2000, 345),
    ],
    # Qwen3-235B-A22B, H100 TP8 (rows with a measured H100 value)
    ("qwen3-235b-a22b", "p5.48xlarge"): [
        (128, 2048, 19658),
        (128, 4096, 12447),
        (500, 2000, 18351),
        (1000, 1000, 14898),
        (1000, 2000, 15136),
        (2048, 2048, 9924),
        (5000, 500, 3225),
    ],
    # Llama 4 Maverick, H100 TP8
    ("llama-4-maverick", "p5.48xlarge"): [
        (128, 2048, 10829),
        (128, 4096, 6744),
        (500, 2000, 10108),
        (1000, 1000, 9677),
        (1000, 2000, 9151),
        (2048, 2048, 6916),
        (5000, 500, 3457),
    ],
}
MOE = {"qwen3-235b-a22b", "llama-4-maverick"}
MEASUREMENTS = [
    pytest.param(m, inst, isl, osl, tps, id=f"{m}-{isl}/{osl}")
    for (m, inst), rows in TRTLLM_H100_FP8.items()
    for isl, osl, tps in rows
]


def _steady_state_output_rate(est: ls.PerfEstimate, isl: int, osl: int) -> float:
    """Output tokens/s of a server that also prefills ISL prompt tokens per OSL outputs.

    Per output token the server spends 1 / decode_rate in decode and ISL / OSL prompt
    tokens' worth of prefill, 1 / prefill_rate each.
    """
    dec = est.tokens_per_s.to("token/s").magnitude
    pre = est.prefill_tokens_per_s.to("token/s").magnitude
    return 1 / (1 / dec + (isl / osl) / pre)


@pytest.mark.parametrize(("name", "instance", "isl", "osl", "measured"), MEASUREMENTS)
def test_throughput_against_trtllm_h100(
    name: str, instance: str, isl: int, osl: int, measured: float
) -> None:
    w = ls.Workload(weight_dtype="fp8", kv_dtype="fp8")
    batch = ls.max_batch(name, instance, isl + osl, w)
    w = ls.Workload(prompt_len=isl, output_len=osl, batch=batch, weight_dtype="fp8", kv_dtype="fp8")
    realistic = _steady_state_output_rate(ls.estimate_performance(name, instance, w), isl, osl)
    ceiling = _steady_state_output_rate(
        ls.estimate_performance(
            name, instance, w, mfu=1, bandwidth_utilization=1, interconnect_utilization=1
        ),
        isl,
        osl,
    )
    err = realistic / measured - 1
    print(
        f"{name} {isl}/{osl} on {instance}: estimate {realistic:,.0f} tok/s at batch {batch}, "
        f"measured {measured:,} ({err:+.0%}); 100% roofline {ceiling:,.0f} "
        f"({ceiling / measured - 1:+.0%})"
    )
    # Band: dense models within a factor of 2 either way (observed -48% .. +52%);
    # MoE rows, served with EP + attention DP, up to 2.5x above (observed +35% .. +111%).
    hi = 2.5 if name in MOE else 2.0
    assert 0.5 <= realistic / measured <= hi
    # The 100%-utilisation roofline bounds every measurement except the memory-bound
    # Llama-3.1-8B rows with OSL > ISL (observed -26% .. +2%): there a running sequence
    # holds ISL + OSL/2 tokens on average, not the full ISL + OSL that max_batch
    # reserves for each, so the engine batches more sequences than the library's max.
    if not (name == "llama-3.1-8b" and osl > isl):
        assert ceiling >= measured


# ------------------------------------------------------------- properties
PROPS = settings(max_examples=25, deadline=None)
SINGLE_GPU = ["p5.4xlarge", "g6e.xlarge", "g6.xlarge", "g5.xlarge"]
SMALL = ["llama-3.1-8b", "mistral-7b-v0.1", "qwen3-30b-a3b", "gpt-oss-20b"]


@PROPS
@given(
    name=st.sampled_from(SMALL),
    instance=st.sampled_from(SINGLE_GPU),
    b1=st.integers(1, 64),
    db=st.integers(1, 64),
    ctx=st.sampled_from([512, 2048, 8192]),
    dtype=st.sampled_from(["fp8", "int4"]),
)
def test_tokens_per_s_increases_with_batch(
    name: str, instance: str, b1: int, db: int, ctx: int, dtype: str
) -> None:
    def est(b: int) -> ls.PerfEstimate:
        w = ls.Workload(context_len=ctx, batch=b, weight_dtype=dtype)
        return ls.estimate_performance(name, instance, w)

    lo, hi = est(b1), est(b1 + db)
    # one instance (a pipeline over several is test_pipeline_stages_do_not_shorten_tpot)
    assume(lo.instances == hi.instances == 1)
    assert lo.tp == hi.tp == 1
    assert hi.tokens_per_s >= lo.tokens_per_s * (1 - 1e-12)
    if lo.bound == hi.bound == "memory":
        assert hi.tokens_per_s > lo.tokens_per_s


@PROPS
@given(
    name=st.sampled_from(SMALL),
    instance=st.sampled_from(SINGLE_GPU),
    batch=st.integers(1, 32),
    c1=st.integers(1, 16384),
    dc=st.integers(0, 16384),
)
def test_tpot_non_decreasing_with_context(
    name: str, instance: str, batch: int, c1: int, dc: int
) -> None:
    def est(c: int) -> ls.PerfEstimate:
        w = ls.Workload(context_len=c, batch=batch, weight_dtype="int4")
        return ls.estimate_performance(name, instance, w)

    lo, hi = est(c1), est(c1 + dc)
    # one instance (a pipeline over several is test_pipeline_stages_do_not_shorten_tpot)
    assume(lo.instances == hi.instances == 1)
    assert hi.tpot >= lo.tpot * (1 - 1e-12)


@pytest.mark.parametrize(
    "name",
    [
        "mixtral-8x7b",
        "qwen3-30b-a3b",
        "qwen3-235b-a22b",
        "deepseek-v3",
        "gpt-oss-120b",
        "llama-4-scout",
    ],
)
def test_moe_decode_reads_less_than_a_dense_model_of_the_same_size(name: str) -> None:
    m = model(name)
    ctx = 4096
    kv = ls.kv_cache_memory(m, ctx, 1, "bf16").to("byte").magnitude
    # a dense model with the same parameters reads all of them every step
    dense = weight_memory(m, "bf16").to("byte").magnitude + kv
    one = decode_bytes_per_step(m, ls.Workload(context_len=ctx, batch=1)).to("byte").magnitude
    assert one < dense
    # ...at least by the routed experts a single token skips: (1 - k/E) of them
    e = m.moe
    assert e is not None
    routed = ls.weight_memory_by_component(m, "bf16")["routed_experts"].to("byte").magnitude
    assert dense - one >= routed * (1 - e.experts_per_token / e.n_routed_experts) * (1 - 1e-9)
    # a batch large enough to touch every expert reads (almost) all of them
    many = decode_bytes_per_step(m, ls.Workload(context_len=ctx, batch=100_000))
    weights = weight_memory(m, "bf16").to("byte").magnitude
    # the untied input embedding is a lookup: 100,000 rows of the vocabulary table
    table = ls.weight_memory_by_component(m, "bf16")["embedding"].to("byte").magnitude
    rows_read = 0.0 if m.tie_word_embeddings else table * (1 - min(1.0, 100_000 / m.vocab_size))
    expected = weights - rows_read + 100_000 * kv
    assert many.to("byte").magnitude == pytest.approx(expected, rel=1e-6)


@PROPS
@given(
    name=st.sampled_from(["llama-3.1-8b", "llama-3.1-70b", "mixtral-8x7b", "qwen3-30b-a3b"]),
    instance=st.sampled_from(["p5.4xlarge", "p5.48xlarge", "inf2.48xlarge", "g6e.12xlarge"]),
    batch=st.integers(1, 256),
    prompt=st.integers(1, 8192),
    output=st.integers(1, 4096),
    mfu=st.floats(0.05, 1.0),
    bw=st.floats(0.05, 1.0),
    link=st.floats(0.05, 1.0),
)
def test_full_utilisation_roofline_bounds_any_estimate(
    name: str,
    instance: str,
    batch: int,
    prompt: int,
    output: int,
    mfu: float,
    bw: float,
    link: float,
) -> None:
    w = ls.Workload(prompt_len=prompt, output_len=output, batch=batch, weight_dtype="fp8")
    real = ls.estimate_performance(
        name, instance, w, mfu=mfu, bandwidth_utilization=bw, interconnect_utilization=link
    )
    roof = ls.estimate_performance(
        name, instance, w, mfu=1, bandwidth_utilization=1, interconnect_utilization=1
    )
    assert roof.tokens_per_s >= real.tokens_per_s * (1 - 1e-12)
    assert roof.prefill_tokens_per_s >= real.prefill_tokens_per_s * (1 - 1e-12)
    assert roof.tpot <= real.tpot * (1 + 1e-12)
    assert roof.ttft <= real.ttft * (1 + 1e-12)


def test_module_exports() -> None:
    for name in perf.__all__:
        assert hasattr(perf, name)
