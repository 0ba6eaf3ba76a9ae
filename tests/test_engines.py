"""Engine memory profiles: the V0 rule, the default profile and device systems, by hand."""

from __future__ import annotations

import pytest

import llmsizing as ls
from llmsizing.engines import (
    ENGINES,
    engine_profile,
    sglang_mem_fraction_static,
    sglang_profile_name,
)

GIB = 2**30


@pytest.mark.parametrize(("context", "tokens"), [(20000, 20000), (1000, 2048), (40000, 512)])
def test_v0_batches_a_whole_prompt_or_chunks_above_32k(context: int, tokens: int) -> None:
    assert ENGINES["vllm-0.6"].default_batched_tokens(23.0, context) == tokens


def test_v0_activation_is_the_larger_of_the_forward_pass_and_the_sampler() -> None:
    # Llama-3.1-8B. 20,000 tokens: the forward pass, (2 x 4096 + 3 x 14336) x 2 bytes per
    # token, outweighs the sampler (the 20,000 x 4096 output hidden states in 16 bits and
    # 39 bytes per logit of the 256 sampled sequences over 128,256 entries)
    p = ENGINES["vllm-0.6"]
    forward = 20000 * (2 * 4096 + 3 * 14336) * 2
    sampler = 20000 * 4096 * 2 + 256 * 128256 * 39
    assert forward > sampler
    assert float(p.activation_bytes(20000, 128256, 256, 4096, 14336, 1)) == forward
    # 512 chunked tokens (context above 32k): the sampler sets the peak
    forward, sampler = 512 * (2 * 4096 + 3 * 14336) * 2, 512 * 4096 * 2 + 256 * 128256 * 39
    assert sampler > forward
    assert float(p.activation_bytes(512, 128256, 256, 4096, 14336, 1)) == sampler


def test_v0_sampler_peak_of_logged_launches() -> None:
    # heldout12 gradproj-r1-distill-llama-8b-a40-*: "PyTorch activation peak memory takes
    # 1.19GiB" at max_model_len 131,072 (chunked, 512 tokens), 256 sequences x 128,256
    got = float(ENGINES["vllm-0.6"].activation_bytes(512, 128256, 256, 4096, 14336, 1))
    assert got / GIB == pytest.approx(1.19, abs=0.02)


def test_v0_engine_by_version_and_device() -> None:
    from llmsizing.engines import engine_profile, runs_v0_engine, vllm_profile_name, vllm_profile_on

    assert runs_v0_engine("0.7.3") and not runs_v0_engine("0.8.5", "NVIDIA H100 80GB HBM3")
    # vLLM 0.8-0.10 fall back to V0 below CUDA capability 8.0; 0.11 removed V0
    assert runs_v0_engine("0.8.5.post1", "NVIDIA T4")
    assert runs_v0_engine("0.10.2", "Tesla V100-SXM2-32GB")
    assert not runs_v0_engine("0.11.0", "NVIDIA T4")
    assert vllm_profile_name("0.8.5", "NVIDIA T4") == "vllm-0.6"
    # 0.6.4 alone counts the CUDA context among the non-torch memory
    assert [vllm_profile_name(v) for v in ("0.6.3.post1", "0.6.4.post1", "0.6.5", "0.7.3")] == [
        "vllm-0.6",
        "vllm-0.6.4",
        "vllm-0.6",
        "vllm-0.6",
    ]
    assert vllm_profile_on("2024-12-02") == "vllm-0.6.4"
    assert ENGINES["vllm-0.6.4"].reserve_tp1_GiB > ENGINES["vllm-0.6"].reserve_tp1_GiB
    assert engine_profile("vllm==0.6.4").name == "vllm-0.6.4"


def test_v0_capacity_of_a_logged_rtx3090_launch() -> None:
    # calibration.yaml vllm-10517-llama31-8b-rtx3090-tp1-len29k (vLLM V0, Dec 2024):
    # CUDA total 23.58 GiB x 0.9, weights 14.99 GiB, peak torch 17.98 GiB, non-torch
    # 0.35 GiB -> "GPU blocks: 1478" = 23,648 tokens of 131,072 bytes
    gpu = ls.system("RTX3090-24GB", count=1)
    w = {"context_len": 29000, "memory_utilization": 0.9}
    cap = ls.kv_cache_capacity("llama-3.1-8b", gpu, w, engine="vllm-0.6.4")
    assert cap.budget.to("GiB").magnitude == pytest.approx(23.58 * 0.9, abs=0.05)
    assert cap.tokens == pytest.approx(1478 * 16, rel=0.10)


def test_default_profile_is_a_sampler_run() -> None:
    p = ENGINES["vllm"]
    # no logits over batched tokens: the peak does not grow with max_num_batched_tokens
    assert p.activation_bytes(8192, 128256, 256) == p.activation_bytes(2048, 128256, 256)
    assert float(p.activation_bytes(8192, 128256, 256)) == pytest.approx(256 * 128256 * 15.6)


def test_v0_caches_mla_as_padded_multi_head_attention() -> None:
    # vLLM before 0.7.1 ran DeepSeek-V2 attention as MHA, K and V padded to 256 per head:
    # DeepSeek-V2-Lite, 27 layers x 16 heads x (256 + 256) x 2 bytes per token
    m = ls.load_model("tests/data/engine_logs/configs/deepseek-ai--DeepSeek-V2-Lite.json")
    w = {"context_len": 8192, "weight_dtype": "bf16"}
    old = ls.kv_cache_capacity(m, "p5.48xlarge", w, layout="TP1", engine="vllm-0.6")
    assert old.kv_bytes_per_token == 27 * 16 * 512 * 2
    new = ls.kv_cache_capacity(m, "p5.48xlarge", w, layout="TP1", engine="vllm")
    assert new.kv_bytes_per_token == 27 * (512 + 64) * 2  # the latent and the rope key
    # the planner's per-sequence cache follows the same layout
    r = ls.fit(m, "p5.48xlarge", w, layout="TP1", engine="vllm-0.6")
    assert r.kv_cache_bytes == pytest.approx(27 * 16 * 512 * 2 * 8192, rel=1e-12)


def test_sglang_pool_is_its_fraction_less_weights_and_the_context() -> None:
    # mem_fraction_static of the CUDA-visible total, less the weights and (TP >= 2) the
    # 3.2 GiB of CUDA context and communication buffers that leave the free memory first
    w = {"context_len": 8192, "memory_utilization": 0.9, "weight_dtype": "bf16"}
    cap = ls.kv_cache_capacity("llama-3.1-70b", "p5.48xlarge", w, layout="TP4", engine="sglang")
    visible = (79.65 - 0.47) * GIB
    assert cap.kv_cache_bytes == pytest.approx(
        visible * 0.9 - cap.weights_bytes - 3.2 * GIB, rel=1e-9
    )
    assert cap.activations_bytes == 0


@pytest.mark.parametrize(
    ("rule", "mib", "tp", "dp", "expected"),
    [
        # 0.4.x: by tp_size alone
        ("tp", 81559, 1, 1, 0.88),
        ("tp", 81559, 4, 1, 0.85),
        ("tp", 23034, 16, 1, 0.79),
        # sglang#7054: (9.5 + p/2) GiB reserved below 90 GiB, (2.8 + p/10) below 35
        ("gpu-tier", 81559, 1, 1, round((81559 - 10.0 * 1024) / 81559, 3)),
        ("gpu-tier", 23034, 2, 1, round((23034 - 3.0 * 1024) / 23034, 3)),
        ("gpu-tier", 183359, 8, 8, round((183359 - 36 * 1024) / 183359, 3)),
        # sglang#10975: 512 + 1.5 C + 2 B + 1024 p / 8 MiB, at least 10 GiB above 60 GiB
        ("reserve", 81559, 1, 1, round((81559 - (512 + 12288 + 512 + 128)) / 81559, 3)),
        ("reserve", 23034, 4, 1, round((23034 - (512 + 3072 + 160 + 512)) / 23034, 3)),
        ("reserve", 46068, 1, 1, round((46068 - (512 + 6144 + 64 + 128)) / 46068, 3)),
        # B 512 > 300 with DP attention: 3 B dp + 1.5 B dp more
        (
            "reserve",
            183359,
            8,
            8,
            round((183359 - (512 + 24576 + 1024 + 1024 + 4.5 * 512 * 8)) / 183359, 3),
        ),
    ],
)
def test_sglang_default_mem_fraction_static_by_line(
    rule: str, mib: float, tp: int, dp: int, expected: float
) -> None:
    # python/sglang/srt/server_args.py of each line; tp is SGLang's tp_size
    assert sglang_mem_fraction_static(rule, mib, tp, 1, dp) == pytest.approx(expected, abs=1e-9)


def test_sglang_takes_its_own_fraction_where_the_workload_sets_none() -> None:
    w = {"context_len": 8192, "weight_dtype": "bf16"}
    own = ls.kv_cache_capacity("llama-3.1-70b", "p5.48xlarge", w, layout="TP4", engine="sglang-0.4")
    visible = (79.65 - 0.47) * GIB
    # 0.85 at tp_size 4 (SGLang 0.4.x); the pool less weights and 3.2 GiB, as above
    assert own.kv_cache_bytes == pytest.approx(
        visible * 0.85 - own.weights_bytes - 3.2 * GIB, rel=1e-9
    )
    stated = ls.kv_cache_capacity(
        "llama-3.1-70b",
        "p5.48xlarge",
        w | {"memory_utilization": 0.9},
        layout="TP4",
        engine="sglang-0.4",
    )
    assert stated.kv_cache_bytes > own.kv_cache_bytes  # a stated fraction wins
    # versions and dates pick the line
    assert engine_profile("sglang==0.4.3.post4") == ENGINES["sglang-0.4"]
    assert engine_profile("sglang==0.5.2") == ENGINES["sglang-0.4.7"]
    assert sglang_profile_name(date="2025-10-07") == "sglang-0.5.3"
    # vLLM keeps the workload's 0.9
    assert ENGINES["vllm"].default_memory_fraction(79.65, 1) is None


def test_moe_profile_adds_the_fused_moe_workspace() -> None:
    # current vLLM on an H100: a sampler run over 1,024 sequences (15.6 bytes per logit)
    # plus, for an MoE model, the fused-MoE workspace of the 8,192-token dummy pass:
    # 8192 tokens x 8 experts x (3 x 768 + 2048) x 2 bytes for Qwen3-30B-A3B at TP 1
    w = {"context_len": 4096}
    r = ls.fit("qwen3-30b-a3b", "p5.48xlarge", w, layout="TP1", engine="vllm")
    sampler = 1024 * 151936 * 15.6
    moe = 8192 * 8 * (3 * 768 + 2048) * 2
    assert r.activations_bytes == pytest.approx(sampler + moe, rel=1e-12)
    dense = ls.fit("qwen3-32b", "p5.48xlarge", w, layout="TP1", engine="vllm")
    assert dense.activations_bytes == pytest.approx(sampler, rel=1e-12)


def test_trtllm_gives_the_kv_cache_a_fraction_of_the_free_memory() -> None:
    # TensorRT-LLM: free_gpu_memory_fraction of what weights, the profiled pass and the
    # non-torch memory leave, not of the total
    w = {"context_len": 8192, "memory_utilization": 0.9, "weight_dtype": "bf16"}
    cap = ls.kv_cache_capacity("llama-3.1-70b", "p5.48xlarge", w, layout="TP4", engine="trtllm")
    visible = (79.65 - 0.47) * GIB
    used = cap.weights_bytes + cap.activations_bytes + cap.reserve_bytes
    assert cap.kv_cache_bytes == pytest.approx(0.9 * (visible - used), rel=1e-9)
    # the pass: 8192 tokens x (2 x 8192 + 3 x 28672 / 4) x 2 bytes
    assert cap.activations_bytes == pytest.approx(8192 * (2 * 8192 + 3 * 28672 / 4) * 2)


def test_neuron_profile_is_the_static_rule_on_neuron_devices_only() -> None:
    w = {"context_len": 8192}
    plain = ls.fit("llama-3.1-8b", "trn2.48xlarge", w, layout="TP8")
    named = ls.fit("llama-3.1-8b", "trn2.48xlarge", w, layout="TP8", engine="neuron")
    assert named.required_bytes == plain.required_bytes
    with pytest.raises(ls.WorkloadError, match="Neuron devices"):
        ls.fit("llama-3.1-8b", "p5.48xlarge", w, engine="neuron")


@pytest.mark.parametrize(
    ("given", "profile"),
    [
        ("vllm==0.6.4", "vllm-0.6.4"),
        ("vllm==0.6.6.post1", "vllm-0.6"),
        ("vllm==0.10.1.1", "vllm-0.10"),
        ("vllm==0.11.0", "vllm-0.10"),
        ("vllm==0.12.0", "vllm-0.12"),
        ("vllm==0.16.0", "vllm-0.12"),
        ("vllm==0.19.0", "vllm-0.17"),
        ("vllm-0.12", "vllm-0.12"),
    ],
)
def test_a_vllm_version_picks_its_release_line(given: str, profile: str) -> None:
    from llmsizing.engines import engine_profile

    p = engine_profile(given)
    assert p is not None and p.name == profile


def test_a_versioned_engine_sizes_as_its_profile() -> None:
    w = {"context_len": 8192}
    a = ls.kv_cache_capacity("llama-3.1-8b", "p5.48xlarge", w, layout="TP1", engine="vllm==0.16.0")
    b = ls.kv_cache_capacity("llama-3.1-8b", "p5.48xlarge", w, layout="TP1", engine="vllm-0.12")
    assert a.tokens == b.tokens
    with pytest.raises(ls.LlmsizingError, match="version such as 'vllm=="):
        ls.kv_cache_capacity("llama-3.1-8b", "p5.48xlarge", w, engine="vlm")


@pytest.mark.parametrize(
    ("date", "profile"),
    [
        ("2024-07-22", "vllm-0.5"),  # V0 before chunked prefill by default
        ("2024-09-01", "vllm-0.6"),
        ("2025-03-18", "vllm-0.10"),  # 0.8.0, the V1 engine by default
        ("2025-11-30", "vllm-0.10"),
        ("2025-12-01", "vllm-0.12"),
        ("2026-03-08", "vllm-0.12"),
        ("2026-03-09", "vllm-0.17"),
    ],
)
def test_an_unversioned_log_takes_the_line_current_at_its_date(date: str, profile: str) -> None:
    from llmsizing.engines import vllm_profile_on

    assert vllm_profile_on(date) == profile


def test_a_date_that_is_not_iso_is_refused() -> None:
    from llmsizing.engines import vllm_profile_on

    with pytest.raises(ls.LlmsizingError, match="ISO date"):
        vllm_profile_on("March 2026")


def test_v0_before_054_batches_a_whole_long_prompt() -> None:
    # vLLM 0.5.4 turned chunked prefill on above 32k tokens (vllm-project/vllm#6666)
    from llmsizing.engines import vllm_profile_name

    assert vllm_profile_name("0.5.3.post1") == "vllm-0.5"
    assert vllm_profile_name("0.5.4") == "vllm-0.6"
    assert ENGINES["vllm-0.5"].default_batched_tokens(79.0, 131072) == 131072
    assert ENGINES["vllm-0.6"].default_batched_tokens(79.0, 131072) == 512


@pytest.mark.parametrize(
    ("accelerator", "sliding", "multimodal", "tokens"),
    [
        ("NVIDIA H100 80GB HBM3", False, False, 512),  # CUDA: chunked above 32k
        ("AMD Instinct MI300X", False, False, 131072),  # ROCm: not by default
        ("NVIDIA H100 80GB HBM3", True, False, 131072),  # a sliding window: not
        ("NVIDIA H100 80GB HBM3", False, True, 131072),  # multimodal: off in V0
    ],
)
def test_v0_long_context_chunking_follows_arg_utils(
    accelerator: str, sliding: bool, multimodal: bool, tokens: int
) -> None:
    p = ENGINES["vllm-0.6"]
    got = p.default_batched_tokens(
        79.0, 131072, accelerator, sliding_window=sliding, multimodal=multimodal
    )
    assert got == tokens
    # below 32k nothing changes: a whole prompt, at least 2048
    assert p.default_batched_tokens(79.0, 16384, accelerator, sliding_window=sliding) == 16384


def test_v0_on_mi300x_profiles_the_whole_131k_context() -> None:
    # Llama-3.1-8B on one MI300X under V0 with its default 131,072-token context: no
    # chunked prefill on ROCm, so the profile's forward pass covers all 131,072 tokens,
    # (2 x 4096 + 3 x 14336) x 2 bytes each, 12.3 GiB, where CUDA's 512-token chunk
    # leaves the sampler's peak
    m = ls.load_model("llama-3.1-8b")
    w = ls.Workload(context_len=131072, batch=1)
    amd = ls.fit(m, ls.system("MI300X-192GB", count=1), w, engine="vllm-0.6")
    nv = ls.fit(m, "p5.4xlarge", w, engine="vllm-0.6")
    forward = 131072 * (2 * 4096 + 3 * 14336) * 2
    assert amd.activations.to("B").magnitude >= forward
    assert nv.activations.to("B").magnitude < forward / 10


def test_sglang_keeps_its_rope_table_in_fp32() -> None:
    # SGLang's RotaryEmbedding keeps cos_sin_cache in fp32 on CUDA ("cache needs to be in
    # FP32 for numerical stability"): Llama 3.1 8B's 131,072 positions x 128 dims x 4 bytes,
    # against the model dtype's 2 bytes in vLLM
    w = {"context_len": 8192}
    weights = {
        e: ls.fit("llama-3.1-8b", "p5.48xlarge", w, layout="TP1", engine=e).weights_bytes
        for e in ("vllm", "sglang", "sglang-0.4")
    }
    assert weights["sglang"] - weights["vllm"] == 131072 * 128 * (4 - 2)
    assert weights["sglang-0.4"] == weights["vllm"]
