"""Explicit parallel layouts, the planner's choice among them, and KV-token capacity."""

from __future__ import annotations

import pytest

import llmsizing as ls
from llmsizing.errors import WorkloadError

GIB = 2**30
# DeepSeek-V3 config.json: 61 layers, kv_lora_rank 512 + qk_rope_head_dim 64 = 576 latent
# values per token and layer (DeepSeek-V2 paper, section 2.1.4), bf16.
V3_LATENT_BYTES_PER_TOKEN = 61 * 576 * 2


def test_deepseek_v3_dp_attention_holds_more_sequences_than_tp8() -> None:
    # On 8 x H200 both TP8 and DP8 x EP8 use all eight GPUs. Under TP8 every rank keeps
    # the latent of every sequence (MLA is one KV head, replicated); under attention DP
    # each rank keeps only its own sequences', so the replica holds
    # 8 x free_dp / kv_seq sequences against free_tp / kv_seq.
    ctx = 32768
    w = ls.Workload(context_len=ctx, batch=1, weight_dtype="fp8")
    kv_seq = V3_LATENT_BYTES_PER_TOKEN * ctx
    auto = ls.fit("deepseek-v3", "p5e.48xlarge", w)
    tp8 = ls.fit("deepseek-v3", "p5e.48xlarge", w, layout=ls.Layout(tp=8))
    assert auto.layout == ls.Layout(tp=1, dp=8, ep=8)
    for r, dp in ((auto, 8), (tp8, 1)):
        free = r.available_bytes - r.weights_bytes - r.activations_bytes - r.runtime_reserve_bytes
        assert r.max_concurrency == pytest.approx(dp * free / kv_seq, rel=1e-9)
    # attention, dense layers and the embedding are whole on every DP rank, so each
    # rank holds more weights than under TP8, and yet the replica holds more sequences
    assert auto.weights_bytes > tp8.weights_bytes
    ratio = auto.max_concurrency / tp8.max_concurrency
    assert ratio > 4
    assert f"{ratio:,.1f}× the sequences of TP8" in auto.explanation


@pytest.mark.parametrize(
    ("model", "instance", "layout", "why"),
    [
        ("llama-3.1-8b", "p5.48xlarge", {"tp": 3}, "does not divide the 32 attention heads"),
        ("llama-3.1-8b", "p5.48xlarge", {"tp": 2, "ep": 2}, "dense"),
        ("deepseek-v3", "p5e.48xlarge", {"tp": 1, "dp": 3, "ep": 3}, "256 routed experts"),
        ("llama-3.1-8b", "p5.4xlarge", {"tp": 8, "pp": 10}, "ranks"),
    ],
)
def test_impossible_layout_is_a_one_line_error(
    model: str, instance: str, layout: dict[str, int], why: str
) -> None:
    with pytest.raises(WorkloadError, match=why) as info:
        ls.fit(model, instance, ls.Workload(), layout=layout, max_instances=1)
    assert "\n" not in str(info.value)


def test_layout_needs_ep_dividing_tp_dp() -> None:
    with pytest.raises(WorkloadError, match="must divide"):
        ls.Layout(tp=2, ep=4)


def test_layout_labels_round_trip() -> None:
    for lay in (ls.Layout(tp=8), ls.Layout(tp=4, pp=2), ls.Layout(dp=8, ep=8)):
        assert ls.layout.as_layout(lay.label) == lay


def test_tp_layout_splits_weights_by_its_degree() -> None:
    # Llama-3.1-70B bf16 at TP 4: every matrix / 4, norms whole (vLLM column/row-parallel
    # layers, vocabulary-parallel embedding and head): 70.55e9 x 2 B / 4 = 35.3 GB.
    r = ls.fit("llama-3.1-70b", "p5.48xlarge", ls.Workload(), layout=ls.Layout(tp=4))
    assert r.tp == 4 and r.devices_used == 4 and r.replicas == 2
    assert r.weights.to("GB").magnitude == pytest.approx(70.55e9 * 2 / 4 / 1e9, rel=2e-3)


def test_sweep_evaluates_each_layout() -> None:
    df = ls.sweep(
        "llama-3.1-70b", "p5.48xlarge", contexts=8192, batches=1, layouts=["TP2", "TP4", "TP3"]
    )
    assert list(df.layout.astype(str)) == ["TP2", "TP4", "TP3"]
    assert list(df.valid) == [True, True, False]
    r = ls.fit("llama-3.1-70b", "p5.48xlarge", {"context_len": 8192}, layout="TP4")
    assert df.required_GiB.iloc[1] == pytest.approx(r.required.to("GiB").magnitude, rel=1e-12)


def test_kv_capacity_matches_a_vllm_start_up_log() -> None:
    # tests/data/engine_logs/calibration.yaml, vllm-llmd-llama31-8b-h100-tp1: vLLM on one
    # H100 80GB, gpu_memory_utilization 0.9, max_model_len 16000: total_gpu_memory 79.18 GiB,
    # requested 71.26 GiB, weights 14.99 GiB, peak activation 4.76 GiB, non-torch 0.13 GiB,
    # "Available KV cache memory: 51.38 GiB". KV per token: 32 layers x 8 KV heads x 128 x 2
    # (K and V) x 2 bytes = 131,072 B, so 51.38 GiB hold 420,906 tokens. Its 4.76 GiB peak
    # is the logits of 8192 batched tokens (3.91 GiB) and more: the "vllm-0.12" profile.
    w = {"context_len": 16000}
    cap = ls.kv_cache_capacity("llama-3.1-8b", "p5.4xlarge", w, engine="vllm-0.12")
    assert cap.kv_bytes_per_token == 32 * 8 * 128 * 2 * 2
    assert cap.budget.to("GiB").magnitude == pytest.approx(71.26, abs=0.02)
    assert cap.kv_cache.to("GiB").magnitude == pytest.approx(51.38, rel=0.01)
    assert cap.tokens == pytest.approx(51.38 * GIB / 131072, rel=0.01)
    assert cap.tokens % 16 == 0
    assert cap.max_concurrency == pytest.approx(cap.kv_cache_bytes / (131072 * 16000), rel=1e-9)
    # the default profile (a sampler run over 256 sequences) stays within 10% of the tokens
    default = ls.kv_cache_capacity("llama-3.1-8b", "p5.4xlarge", w)
    assert default.tokens == pytest.approx(51.38 * GIB / 131072, rel=0.10)


def test_capacity_grows_with_tp_for_a_dense_model() -> None:
    w = {"context_len": 8192, "weight_dtype": "bf16"}
    one = ls.kv_cache_capacity("llama-3.1-70b", "p5.48xlarge", w, layout="TP4")
    two = ls.kv_cache_capacity("llama-3.1-70b", "p5.48xlarge", w, layout="TP8")
    assert two.tokens > one.tokens > 0


def test_a_non_aws_system_and_an_instance_slice_can_be_sized() -> None:
    # 4 x H100 SXM 80GB (an on-premises box): Llama-3.1-70B bf16 is 141.1 GB of weights,
    # so it needs 2 of the 4 GPUs (70.55 GB each, of 79.65 GiB x 0.9 = 71.7 GiB)
    box = ls.system("H100-SXM-80GB", count=4)
    r = ls.fit("llama-3.1-70b", box, {"context_len": 8192})
    assert r.fits and r.layout == ls.Layout(tp=2) and r.replicas == 2
    assert r.instance == "4xH100-SXM-80GB"
    cap = ls.kv_cache_capacity("llama-3.1-70b", "4xH100-SXM-80GB", {"context_len": 8192})
    assert cap.tokens > 0
    # two GPUs of a p5.48xlarge: the same per-GPU budget, two ranks at most
    part = ls.fit("llama-3.1-70b", "p5.48xlarge[2 of 8 GPUs]", {"context_len": 8192})
    assert part.fits and part.ranks_available == 2 and part.layout.tp == 2
    with pytest.raises(WorkloadError, match="ranks"):
        ls.fit("llama-3.1-70b", part.instance, {"context_len": 8192}, layout="TP4", max_instances=1)


def test_hybrid_capacity_follows_vllms_paged_allocation() -> None:
    # Qwen3.5-27B mixes Gated DeltaNet layers (a fixed state per sequence) with full
    # attention; vLLM pages both in one pool, each state layer padded to one attention
    # page (memory.vllm_cache_memory), so a sequence takes at least attention KV + state
    m = ls.load_model("qwen3.5-27b")
    ctx = 32768
    cap = ls.kv_cache_capacity(m, "p5.48xlarge", {"context_len": ctx}, engine="vllm-0.17")
    per_seq = ls.vllm_cache_memory(m, ctx, 1, "bf16").to("byte").magnitude
    assert cap.max_concurrency == pytest.approx(cap.kv_cache_bytes / per_seq, rel=1e-9)
    # vLLM 0.20+ reports tokens as max_concurrency x max_model_len (vllm#40694)
    now = ls.kv_cache_capacity(m, "p5.48xlarge", {"context_len": ctx}, engine="vllm-0.20")
    assert now.tokens == int(now.max_concurrency * ctx)
    assert now.max_concurrency == pytest.approx(cap.max_concurrency, rel=0.01)
    plain = (
        (ls.kv_cache_memory(m, ctx, 1, "bf16") + ls.state_bytes_per_sequence(m))
        .to("byte")
        .magnitude
    )
    assert per_seq >= plain
    # a pure-attention model of the same budget holds its sequences without state pages
    dense = ls.kv_cache_capacity("qwen3-32b", "p5.48xlarge", {"context_len": ctx})
    assert dense.tokens % 16 == 0


def test_html_reprs_are_compact_and_labelled() -> None:
    cat = ls.load_catalog()
    html = cat._repr_html_()
    # one table row per instance (plus the header), a handful of columns
    assert html.count("<tr") == len(cat) + 1
    assert html.count("<th") <= 12 + len(cat)
    r = ls.fit("llama-3.1-70b", "p5.48xlarge", {"context_len": 8192})
    page = r._repr_html_()
    assert "per device" in page and "whole model" in page and "TP2" in page
    cap = ls.kv_cache_capacity("llama-3.1-8b", "p5.48xlarge")
    assert "KV tokens" in cap._repr_html_()


def test_the_notebook_extra_installs_jupyter() -> None:
    import tomllib
    from pathlib import Path

    meta = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    extra = meta["project"]["optional-dependencies"]["notebook"]
    assert any(dep.startswith(("jupyterlab", "notebook")) for dep in extra)
