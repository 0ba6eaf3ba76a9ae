"""Static shapes and MoE expert loading on Neuron (NxD Inference) in the performance model."""

from __future__ import annotations

from typing import Any

import pytest

import llmsizing as ls
from llmsizing import perf
from llmsizing.layout import Layout
from llmsizing.units import BYTE


def _w(prompt: int) -> ls.Workload:
    return ls.Workload(prompt_len=prompt, output_len=64, batch=1)


def test_neuron_experts_loaded_is_min_of_tk_and_e() -> None:
    # selective loading below T·k/E = 1, every expert above (NxD ExpertMLPs.forward)
    assert float(perf.neuron_experts_loaded(128, 8, 1)) == 8.0
    assert float(perf.neuron_experts_loaded(128, 8, 15)) == 120.0
    assert float(perf.neuron_experts_loaded(128, 8, 16)) == 128.0
    assert float(perf.neuron_experts_loaded(16, 1, 1000)) == 16.0


def _pure(model: str, inst: str, w: ls.Workload, **kw: object) -> perf.PerfEstimate:
    return ls.estimate_performance(
        model,
        inst,
        w,
        step_overhead=0.0,
        collective_latency_scale=0.0,
        **kw,  # type: ignore[arg-type]
    )


def test_compiled_batch_adds_the_padding_slots_kv_reads() -> None:
    # llama-3.1-8b at TP8 on trn1 (8 KV heads: one per rank, no replication), batch 1 of a
    # graph compiled for 8: the step also reads 7 more sequences' KV cache at the context,
    # once per query head (K and V broadcast to the rank's 32 / 8 = 4 query heads).
    m = ls.load_model("llama-3.1-8b")
    w = ls.Workload(context_len=4096, batch=1, weight_dtype="bf16", kv_dtype="bf16")
    one = _pure(m, "trn1.32xlarge", w, layout="TP8", mfu=1.0, bandwidth_utilization=1.0)
    eight = _pure(
        m, "trn1.32xlarge", w, layout="TP8", mfu=1.0, bandwidth_utilization=1.0, compiled_batch=8
    )
    # KV streamed for one sequence by hand: 32 layers x 2 (K, V) x 8 ranks x 4 query heads
    # x 128 dims x 2 bytes x 4096
    kv_seq = 32 * 2 * 8 * 4 * 128 * 2 * 4096
    bw = 4 * 820e9  # TP8 on trn1 = 4 Trainium chips of 820 GB/s (2 NeuronCores each)
    # and the 7 padding tokens' hidden states cross the two all-reduces of each layer:
    # ring 2 (N - 1) / N x 4096 x 2 bytes per token over the link (shared by the 2
    # NeuronCores of a chip) at 80% utilisation
    inst = ls.load_catalog().get("trn1.32xlarge")
    link = inst.interconnect_bandwidth.to("byte/s").magnitude / 2
    comm = 2 * 32 * 2 * 7 / 8 * 7 * 4096 * 2 / (link * 0.8)
    extra = (eight.decode_step - one.decode_step).to("s").magnitude
    # (plus one untied-embedding row, 4096 x 2 bytes, looked up per extra sequence)
    assert extra == pytest.approx(7 * (kv_seq + 4096 * 2) / bw + comm, rel=1e-6)
    assert (eight.decode_bytes_per_step - one.decode_bytes_per_step).to(BYTE).magnitude == (
        pytest.approx(7 * (kv_seq + 4096 * 2), rel=1e-9)
    )
    # only the live sequence emits tokens: the step is slower, the rate follows it
    assert eight.tokens_per_s < one.tokens_per_s


def test_neuron_moe_prefill_runs_every_expert() -> None:
    # a compute-bound prefill on Neuron costs 2 (N_active - routed_active + routed_all) FLOPs
    # per token (all experts), on a GPU 2 N_active
    m = ls.load_model("qwen3-30b-a3b")
    pc = m.param_counts()
    w = ls.Workload(prompt_len=8192, output_len=1, batch=1)
    gpu = _pure(m, "p5.48xlarge", w, layout="TP8", mfu=0.5)
    nrn = _pure(m, "trn1.32xlarge", w, layout="TP32", mfu=0.5)
    attn = perf.attention_flops_prefill(m, 8192).magnitude
    dense = 2 * pc.active_excluding_embedding * 8192 + attn
    # the 768-wide experts over 32 ranks leave 24 of the Tensor Engine's 128 columns to
    # each rank: the experts' GEMMs cost 128 / 24 = 16 / 3 times their FLOPs
    all_e = dense + 2 * (pc.routed_experts * 16 / 3 - pc.routed_experts_active) * 8192
    peak_trn1 = 16 * 190e12  # 16 Trainium chips, 190 dense BF16 TFLOPS each
    # plus the two all-reduces of each of the 48 (MoE) layers, experts sharded over TP:
    # ring 2 (N - 1) / N x 8192 tokens x 2048 x 2 bytes, at 80% of the link
    cat = ls.load_catalog()

    def comm(inst: str, n: int, share: float) -> float:
        link = cat.get(inst).interconnect_bandwidth.to("byte/s").magnitude * share
        return 2 * 48 * 2 * (n - 1) / n * 8192 * 2048 * 2 / (link * 0.8)

    # trn1: 2 NeuronCores share a chip's NeuronLink; NVLink 900 GB/s counts both directions
    t_nrn = all_e / (peak_trn1 * 0.5) + comm("trn1.32xlarge", 32, 0.5)
    t_gpu = dense / (8 * 989e12 * 0.5) + comm("p5.48xlarge", 8, 0.5)
    assert nrn.ttft.to("s").magnitude == pytest.approx(t_nrn, rel=1e-6)
    assert gpu.ttft.to("s").magnitude == pytest.approx(t_gpu, rel=1e-6)


def test_compiled_batch_must_be_a_whole_number() -> None:
    for bad in (0, 2.5, True):
        with pytest.raises(ls.WorkloadError):
            ls.estimate_performance("llama-3.1-8b", "trn1.32xlarge", compiled_batch=bad)  # type: ignore[arg-type]


# ------------------------------------------------------------------ buckets
def test_neuron_prompt_is_prefilled_at_its_power_of_two_bucket() -> None:
    # NxD Inference's default buckets are powers of two: 1500 tokens run as 2048
    kw: dict[str, Any] = {"layout": "TP32"}
    odd = ls.estimate_performance("llama-3.1-8b", "trn1.32xlarge", _w(1500), **kw)
    pow2 = ls.estimate_performance("llama-3.1-8b", "trn1.32xlarge", _w(2048), **kw)
    assert odd.ttft == pow2.ttft
    # a stated bucket that fits the prompt exactly pads nothing, and is faster
    exact = ls.estimate_performance(
        "llama-3.1-8b", "trn1.32xlarge", _w(1500), context_buckets=[1500, 4096], **kw
    )
    assert exact.ttft < odd.ttft
    # ... but the padded tokens are not counted as prompt tokens served
    assert odd.prefill_tokens_per_s.magnitude == pytest.approx(
        1500 / odd.ttft.to("s").magnitude, rel=1e-12
    )
    # GPUs do not pad prompts
    gpu = [ls.estimate_performance("llama-3.1-8b", "p5.4xlarge", _w(p)).ttft for p in (1500, 2048)]
    assert gpu[0] < gpu[1]


def test_single_token_bucket_attends_the_whole_sequence_length() -> None:
    # an engine compiled without bucketing attends its whole 4096-token KV cache each step,
    # so decoding at context 1000 costs what decoding at 4096 does
    kw: dict[str, Any] = {"layout": "TP32", "serving": "static"}
    w1 = ls.Workload(prompt_len=900, context_len=1000, batch=4)
    w4 = ls.Workload(prompt_len=900, context_len=4096, batch=4)
    one = ls.estimate_performance("llama-3.1-8b", "trn1.32xlarge", w1, token_buckets=[4096], **kw)
    full = ls.estimate_performance("llama-3.1-8b", "trn1.32xlarge", w4, **kw)
    plain = ls.estimate_performance("llama-3.1-8b", "trn1.32xlarge", w1, **kw)
    assert one.decode_step == full.decode_step
    assert plain.decode_step < one.decode_step


def test_bucket_lists_are_checked() -> None:
    for bad in ([], [0], [2.5], [True]):
        with pytest.raises(ls.WorkloadError):
            ls.estimate_performance("llama-3.1-8b", "trn1.32xlarge", context_buckets=bad)  # type: ignore[arg-type]
        with pytest.raises(ls.WorkloadError):
            ls.estimate_performance("llama-3.1-8b", "trn1.32xlarge", token_buckets=bad)  # type: ignore[arg-type]


def test_bucket_length_picks_the_smallest_bucket_that_holds_the_input() -> None:
    assert perf.bucket_length(1, None) == 128
    assert perf.bucket_length(129) == 256
    assert perf.bucket_length(4096) == 4096
    assert perf.bucket_length(5000, (2048, 4096, 8192)) == 8192
    assert perf.bucket_length(9000, (2048, 4096, 8192)) == 9000  # beyond every bucket
    # generate_buckets(128, 4096) = [128, 256, 512, 1024, 2048, 4096]
    assert perf.neuron_default_buckets(4096) == (128, 256, 512, 1024, 2048, 4096)
    # round(log2(3000)) = 12: powers of two up to 2048, then 3000
    assert perf.neuron_default_buckets(3000) == (128, 256, 512, 1024, 2048, 3000)


def test_expert_width_in_tensor_engine_tiles() -> None:
    m = ls.load_model("qwen3-30b-a3b")  # 768-wide routed experts
    # TP8: 96 of 128 columns; EP8 x DP8: whole experts, 6 full tiles
    assert perf.tensor_engine_tile_factor(m, Layout(tp=8)) == pytest.approx(128 / 96)
    assert perf.tensor_engine_tile_factor(m, Layout(dp=8, ep=8)) == 1.0
    assert perf.tensor_engine_tile_factor(ls.load_model("llama-3.1-8b"), Layout(tp=32)) == 1.0


def test_neuron_decode_streams_kv_per_query_head_gpus_per_kv_head() -> None:
    # llama-3.1-8b (32 query, 8 KV heads) at TP24 on inf2: each rank stores 1 replicated KV
    # head but holds ceil(32 / 24) = 2 query heads; on a GPU at TP8 each rank reads its 1.
    m = ls.load_model("llama-3.1-8b")
    assert ls.layout.kv_heads_read_per_rank(m, 24, neuron=True) == 2.0
    assert ls.layout.kv_heads_per_rank(m, 24, padded=True) == 1.0
    assert ls.layout.kv_heads_read_per_rank(m, 8, neuron=False) == 1.0
    # MHA: the stored and streamed heads agree (Llama-2-7B-like 32/32 at TP24 -> 2 and 2)
    mha = m.model_copy(update={"num_kv_heads": 32})
    assert ls.layout.kv_heads_read_per_rank(mha, 24, neuron=True) == 2.0
    assert ls.layout.kv_heads_per_rank(mha, 24, padded=True) == 2.0
    # bytes: at batch 1, TP24, a 4096-token context adds 24 ranks x 2 heads of K and V
    w = ls.Workload(context_len=4096, batch=1, weight_dtype="bf16", kv_dtype="bf16")
    short = w.model_copy(update={"context_len": 128})
    long_ = _pure(m, "inf2.48xlarge", w, layout="TP24")
    short_ = _pure(m, "inf2.48xlarge", short, layout="TP24")
    grow = (long_.decode_bytes_per_step - short_.decode_bytes_per_step).to(BYTE).magnitude
    assert grow == pytest.approx(32 * 2 * 24 * 2 * 128 * 2 * (4096 - 128), rel=1e-9)
