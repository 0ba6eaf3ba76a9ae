"""Static shapes and MoE expert loading on Neuron (NxD Inference) in the performance model."""

from __future__ import annotations

import pytest

import llmsizing as ls
from llmsizing import perf
from llmsizing.units import BYTE


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
    # graph compiled for 8: the step also reads 7 more sequences' KV cache at the context.
    m = ls.load_model("llama-3.1-8b")
    w = ls.Workload(context_len=4096, batch=1, weight_dtype="bf16", kv_dtype="bf16")
    one = _pure(m, "trn1.32xlarge", w, layout="TP8", mfu=1.0, bandwidth_utilization=1.0)
    eight = _pure(
        m, "trn1.32xlarge", w, layout="TP8", mfu=1.0, bandwidth_utilization=1.0, compiled_batch=8
    )
    # KV of one sequence by hand: 32 layers x 2 (K, V) x 8 heads x 128 dims x 2 bytes x 4096
    kv_seq = 32 * 2 * 8 * 128 * 2 * 4096
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
    all_e = dense + 2 * (pc.routed_experts - pc.routed_experts_active) * 8192
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
