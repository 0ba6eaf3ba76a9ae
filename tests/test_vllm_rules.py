"""vLLM's KV-cache grouping, its device-class defaults and its PCIe reserve, by hand.

Sources: vLLM ``vllm/v1/core/kv_cache_utils.py`` (``_get_kv_cache_groups_uniform_page_size``,
``get_num_blocks``, ``_report_kv_cache_config``: "GPU KV cache size" is
``num_blocks // len(kv_cache_groups) * block_size``), ``vllm/engine/arg_utils.py``
(defaults of 1,024 sequences and 8,192 batched tokens on devices of 70 GiB and more
that are not A100s), ``custom_all_reduce.py`` (no custom all-reduce on more than two
PCIe-only GPUs).
"""

from __future__ import annotations

import math
import statistics
from pathlib import Path
from typing import Any

import pytest
import yaml

import llmsizing as ls
from llmsizing.engines import ENGINES, engine_profile
from llmsizing.memory import vllm_kv_cache_groups, vllm_request_pages

LEGACY = Path(__file__).parent / "data" / "legacy_configs"
ENGINE_LOGS = Path(__file__).parent / "data" / "engine_logs"
CONFIGS = ENGINE_LOGS / "configs"
GIB = 2**30


@pytest.mark.parametrize(
    ("name", "groups"),
    [
        ("llama-3.1-8b", (32, 1)),  # one kind: one group of every layer
        ("gpt-oss-120b", (18, 2)),  # 18 sliding + 18 full
        ("llama-4-scout", (12, 4)),  # 36 chunked + 12 full: 3 + 1 groups of 12
        ("gemma-3-27b", (10, 7)),  # 52 sliding + 10 full: 6 + 1 groups of 10, 8 padding
        ("qwen3.5-27b", (16, 4)),  # 48 Gated DeltaNet + 16 full attention
    ],
)
def test_layers_group_as_vllm_groups_them(name: str, groups: tuple[int, int]) -> None:
    assert vllm_kv_cache_groups(ls.load_model(name)) == groups


def test_gemma3_tokens_are_counted_over_seventy_layer_pages() -> None:
    # 62 layers of 16 KV heads x 128, bf16: 8,192 bytes per token and layer; vLLM counts
    # num_blocks = free // (16 tokens x 8,192 B) // 10 and reports num_blocks // 7 blocks
    cap = ls.kv_cache_capacity(
        "gemma-3-27b", "p5.48xlarge", {"context_len": 8192}, layout="TP1", engine="vllm-0.17"
    )
    page = 16 * 16 * 128 * 2 * 2
    assert cap.tokens == math.floor(cap.kv_cache_bytes / page / 10) // 7 * 16
    assert cap.kv_bytes_per_token == 70 * 16 * 128 * 2 * 2
    # 0.20+: max_concurrency x max_model_len; at 8,192 tokens and 8,192 batched tokens a
    # request takes 512 pages of the full group and min(1023 + 8192, 8192) / 16 + 1 = 513
    # of each of the 6 sliding groups (kv_cache_interface.py, max_memory_usage_bytes)
    now = ls.kv_cache_capacity(
        "gemma-3-27b", "p5.48xlarge", {"context_len": 8192}, layout="TP1", engine="vllm-0.20"
    )
    blocks = math.floor(now.kv_cache_bytes / page / 10)
    assert now.tokens == int(blocks / (512 + 6 * 513) * 8192)
    # without an engine the tokens are those the sequences hold (windows capped)
    generic = ls.kv_cache_capacity(
        "gemma-3-27b", "p5.48xlarge", {"context_len": 8192}, layout="TP1", engine=None
    )
    assert generic.kv_bytes_per_token == 62 * 16 * 128 * 2 * 2


def test_a100_takes_the_small_defaults() -> None:
    p = ENGINES["vllm"]
    assert p.default_seqs(79.22, "NVIDIA A100 SXM4 80GB") == 256
    assert p.default_seqs(79.18, "NVIDIA H100 SXM 80GB") == 1024
    assert p.default_batched_tokens(79.22, 0, "NVIDIA A100 SXM4 80GB") == 2048
    assert p.default_batched_tokens(79.18, 0, "NVIDIA H100 SXM 80GB") == 8192


def test_vllm_010_profiles_the_logits_of_every_token_on_a_large_device() -> None:
    w = {"context_len": 4096}
    h100 = ls.kv_cache_capacity("llama-3.1-8b", "p5.4xlarge", w, layout="TP1", engine="vllm-0.10")
    a100 = ls.kv_cache_capacity(
        "llama-3.1-8b", "p4de.24xlarge[1 of 8 GPUs]", w, layout="TP1", engine="vllm-0.10"
    )
    # H100: the 0.12 line's sampler, 1,024 sequences x 128,256 logits x 32 B, plus 0.9 GiB
    assert h100.activations_bytes == pytest.approx(1024 * 128256 * 32 + 0.9 * GIB)
    # A100: the sampler's dummy run over 256 sequences at the same 32 bytes per logit, no
    # workspace: 256 x 128,256 x 32 B = 1.05e9 bytes
    assert a100.activations_bytes == pytest.approx(256 * 128256 * 32)


def test_more_than_two_pcie_gpus_have_no_custom_all_reduce_buffers() -> None:
    w = {"context_len": 4096, "enforce_eager": True}  # no CUDA graph term
    pcie = ls.kv_cache_capacity("qwen3-32b", ls.system("RTX3090-24GB", 4), w, layout="TP4")
    nvlink = ls.kv_cache_capacity("qwen3-32b", ls.system("H100-SXM-80GB", 4), w, layout="TP4")
    assert pcie.reserve_bytes == pytest.approx(0.25 * GIB)  # the TP-1 figure
    assert nvlink.reserve_bytes == pytest.approx(2.1 * GIB)
    two = ls.kv_cache_capacity("qwen3-32b", ls.system("RTX3090-24GB", 2), w, layout="TP2")
    assert two.reserve_bytes == pytest.approx(0.55 * GIB)  # two PCIe GPUs keep it


def test_ranks_without_nvlink_sharp_take_the_plain_reserve() -> None:
    # NCCL's NVLS buffers need NVSwitch and Hopper or later (vllm-project/vllm#9699)
    w = {"context_len": 4096, "enforce_eager": True}  # no CUDA graph term
    a100 = ls.kv_cache_capacity("qwen3-32b", ls.system("A100-SXM-80GB", 4), w, layout="TP4")
    h100 = ls.kv_cache_capacity("qwen3-32b", ls.system("H100-SXM-80GB", 4), w, layout="TP4")
    t4 = ls.kv_cache_capacity("llama-3.1-8b", ls.system("T4-16GB", 2), w, layout="TP2")
    assert a100.reserve_bytes == pytest.approx(0.55 * GIB)
    assert t4.reserve_bytes == pytest.approx(0.55 * GIB)
    assert h100.reserve_bytes == pytest.approx(2.1 * GIB)
    # more free memory for KV where the reserve is smaller, all else equal
    assert a100.reserve_bytes < h100.reserve_bytes


def test_offline_llm_class_batches_more_tokens_by_default() -> None:
    # vLLM EngineArgs.get_batch_defaults: LLM class 16,384 / 8,192 tokens, server 8,192 / 2,048
    w = {"context_len": 4096}

    def cap(model: str, engine: str) -> Any:
        return ls.kv_cache_capacity(model, "p5.4xlarge", w, layout="TP1", engine=engine)

    # a dense model's peak is the sampler's, over max_num_seqs: the same for both
    dense = [cap("llama-3.1-8b", e).activations_bytes for e in ("vllm-0.12", "vllm-0.12:offline")]
    assert dense[0] == pytest.approx(dense[1])
    # an MoE model's fused-MoE workspace grows with the profiled tokens
    moe = [cap("qwen3-30b-a3b", e).activations_bytes for e in ("vllm-0.12", "vllm-0.12:offline")]
    assert moe[1] > moe[0]
    small = engine_profile("vllm-0.17:offline")
    assert small is not None and small.default_batched_tokens(24.0) == 8192
    assert engine_profile("sglang:offline") == engine_profile("sglang")


def test_an_engine_with_no_usage_context_samples_128_sequences() -> None:
    # vLLM SchedulerConfig.__post_init__: max_num_seqs = 128 when no usage context set it
    # (Ray Serve LLM calls EngineArgs.create_engine_config() without one)
    w = {"context_len": 4096}
    p = engine_profile("vllm-0.10:engine-context")
    assert p is not None and p.default_seqs(80.0) == 128 and p.default_seqs(24.0) == 128
    assert p.default_batched_tokens(80.0) == ENGINES["vllm-0.10"].default_batched_tokens(80.0)
    server, embedded = (
        ls.kv_cache_capacity("llama-3.1-8b", "p5.4xlarge", w, layout="TP1", engine=e)
        for e in ("vllm-0.10", "vllm-0.10:engine-context")
    )
    # the sampler's dummy run: 32 B per logit over 1,024 - 128 fewer sequences of 128,256 logits
    saved = (1024 - 128) * 128_256 * ENGINES["vllm-0.10"].sampler_bytes_per_logit
    assert ENGINES["vllm-0.10"].sampler_bytes_per_logit == 32
    assert server.activations_bytes - embedded.activations_bytes == pytest.approx(saved, rel=1e-9)
    assert engine_profile("vllm-0.6:engine-context") == engine_profile("vllm-0.6")  # V0: 256


def test_the_012_line_samples_over_max_num_seqs() -> None:
    # Qwen3-VL-30B-A3B on 2 x H100 under vLLM 0.12 (engine-log set heldout3, zzsf11-*):
    # max_num_seqs 64 -> 256 lowers the logged KV memory by 0.92 GiB, 33.9 bytes per added logit
    w = {"context_len": 4096}
    peaks = [
        ls.kv_cache_capacity(
            "qwen3-32b", "p5.48xlarge", {**w, "max_num_seqs": s}, layout="TP2", engine="vllm-0.12"
        ).activations_bytes
        for s in (64, 256)
    ]
    assert peaks[1] - peaks[0] == pytest.approx(192 * 151936 * 32.0)


def test_the_021_line_sets_cuda_graph_memory_aside_unless_eager() -> None:
    # "CUDA graph memory profiling is enabled (default since v0.21.0)"
    w = {"context_len": 4096}
    graphs = ls.kv_cache_capacity("llama-3.1-8b", "p5.4xlarge", w, engine="vllm-0.21")
    eager = ls.kv_cache_capacity(
        "llama-3.1-8b", "p5.4xlarge", {**w, "enforce_eager": True}, engine="vllm-0.21"
    )
    older = ls.kv_cache_capacity("llama-3.1-8b", "p5.4xlarge", w, engine="vllm-0.17")
    # the median "Estimated CUDA graph memory" of the collected launches, leaving out the
    # extrapolation failure of vllm-project/vllm#53013 (118.65 GiB, the engine did not start)
    data = yaml.safe_load((ENGINE_LOGS / "cuda_graphs.yaml").read_text())["graphs"]
    printed = [g["estimated_GiB"] for g in data if g.get("estimated_GiB") is not None]
    median = statistics.median(x for x in printed if x < 100)
    assert graphs.reserve_bytes - eager.reserve_bytes == pytest.approx(median * GIB)
    assert eager.reserve_bytes == pytest.approx(older.reserve_bytes)
    assert graphs.tokens < eager.tokens
    current, line = engine_profile("vllm"), engine_profile("vllm==0.22.0")
    assert current is not None and line is not None and line.name == "vllm-0.21"
    assert current.cuda_graph_GiB == line.cuda_graph_GiB == pytest.approx(median)


def test_the_rope_table_is_held_on_every_rank() -> None:
    # Llama 4 Scout: 10,485,760 positions x 128 rotary dims x 2 bytes = 2.5 GiB per rank
    m = ls.load_model("llama-4-scout")
    w = {"context_len": 8192}
    lay = ls.Layout(tp=4)
    served = ls.fit(m, "p5.48xlarge", w, layout=lay, engine="vllm").weights_bytes
    plain = ls.fit(m, "p5.48xlarge", w, layout=lay).weights_bytes
    vision = m.param_counts().vision * 2 / 4  # loaded by the engine, split over TP 4
    assert served - plain == pytest.approx(10485760 * 128 * 2 + vision, rel=1e-9)


@pytest.mark.parametrize(
    ("name", "dims"),
    [
        ("llama-3.1-8b", 128),  # head_dim 128, all rotated
        ("deepseek-v3", 64),  # MLA: qk_rope_head_dim
        ("qwen3.5-27b", 64),  # partial_rotary_factor 0.25 of head_dim 256
        ("gpt-oss-20b", 64),
    ],
)
def test_rope_dims_from_the_config(name: str, dims: int) -> None:
    assert ls.load_model(name).rope_dim == dims


def test_models_without_rope_have_no_table() -> None:
    for f in ("openai-community--gpt2.json", "bigscience--bloom-560m.json"):
        m = ls.load_model(str(LEGACY / f))
        assert m.rope_dim == 0 and ls.rope_cache_bytes(m).magnitude == 0


def test_gemma4_request_pages_by_hand() -> None:
    # 25 sliding layers (8 x 256, K and V: 8,192 B/token) and 5 full ones (2 x 512: 4,096
    # B/token, so 32 tokens to a page of the sliding layers' 16): groups of 5 layers, one
    # full group of ceil(32768 / 32) = 1024 pages, five sliding of ceil(9215 / 16) + 1 = 577
    m = ls.load_model(str(CONFIGS / "google--gemma-4-26B-A4B.json"))
    assert vllm_kv_cache_groups(m) == (5, 6)
    assert vllm_request_pages(m, 32768, 8192, 16) == 1024 + 5 * 577


def test_qwen35_state_is_fp32_as_its_config_says() -> None:
    # Qwen3.5-27B's config sets mamba_ssm_dtype float32, which vLLM takes as the cache's
    # SSM dtype: per Gated DeltaNet layer on one rank, state 48 x 128 x 128 x 4 bytes and
    # conv (4 - 1) x (2 x 16 x 128 + 48 x 128) x 2 bytes
    m = ls.load_model("qwen3.5-27b")
    state = 48 * 128 * 128 * 4 + 3 * (2 * 16 * 128 + 48 * 128) * 2
    assert state == 3_207_168
    per_layer = ls.state_bytes_per_sequence(m).to("byte").magnitude / 48
    assert per_layer == pytest.approx(state)
    # the attention block holds one state: 4 KV heads x 256 x 2 (K, V) x 2 bytes per token
    # and layer, 16 x ceil(3,207,168 / (16 x 4096)) = 784 tokens
    assert ls.memory.hybrid_block_tokens(m, "bf16") == 784


def test_prefix_caching_keeps_two_state_pages_per_layer() -> None:
    # vLLM 0.27.1, Qwen3.6-27B-FP8 (the Qwen3.5-27B text layers) on one H100 with prefix
    # caching, max_model_len 4096: "Available KV cache memory: 41.03 GiB" and "Maximum
    # concurrency for 4,096 tokens per request: 71.42x" (phivan3008/meeting-translator
    # vllm_serve.log, tests/data/engine_logs/heldout9.yaml)
    m = ls.load_model("qwen3.5-27b")
    block = 784
    page = block * 4 * 256 * 2 * 2  # one attention layer's block of 784 tokens
    g, groups = vllm_kv_cache_groups(m)
    assert (g, groups) == (16, 4)  # 16 full-attention layers, 48 state layers in 3 groups
    one = vllm_request_pages(m, 4096, 4096, block)
    two = vllm_request_pages(m, 4096, 4096, block, state_pages=2)
    assert (one, two) == (6 + 3, 6 + 3 * 2)  # ceil(4096 / 784) attention pages + states
    num_blocks = math.floor(41.03 * 2**30 / (page * g))
    assert num_blocks / two == pytest.approx(71.42, abs=0.01)
    assert num_blocks / one > 90  # one page each would overstate the concurrency by a third
    w = ls.Workload(context_len=4096, weight_dtype="bf16", memory_utilization=0.88)
    plain = ls.kv_cache_capacity(m, "p5.48xlarge", w, layout="TP1", engine="vllm")
    cached = ls.kv_cache_capacity(
        m, "p5.48xlarge", w.model_copy(update={"prefix_caching": True}), "TP1", engine="vllm"
    )
    assert cached.max_concurrency / plain.max_concurrency == pytest.approx(one / two, rel=0.02)


def test_a_pooling_model_profiles_no_sampler() -> None:
    # GPUModelRunner.profile_run: _dummy_pooler_run in place of _dummy_sampler_run, so
    # the 0.10 line's 32 bytes per logit over max_num_seqs x vocab leave the peak
    gen, pool = ENGINES["vllm-0.10"], engine_profile("vllm-0.10:pooling")
    assert pool is not None
    seqs, vocab, tokens, h, ffn = 256, 151936, 2048, 2048, 6144
    a_gen = gen.activation_bytes(tokens, vocab, seqs, h, ffn)
    a_pool = pool.activation_bytes(tokens, vocab, seqs, h, ffn)
    assert float(a_gen - a_pool) == pytest.approx(seqs * vocab * 32)
    # on a large device too, where the 0.10 line's own sampler term applies
    big = gen.on_device(79.18, "NVIDIA H100 SXM 80GB")
    big_pool = pool.on_device(79.18, "NVIDIA H100 SXM 80GB")
    assert big_pool.workspace_GiB == big.workspace_GiB
    assert big_pool.sampler_bytes_per_logit == 0.0 < big.sampler_bytes_per_logit


def test_a_text_only_vlm_launch_loads_no_tower() -> None:
    import importlib.util

    script = Path(__file__).resolve().parent.parent / "scripts" / "check_engine_logs.py"
    spec = importlib.util.spec_from_file_location("check_engine_logs", script)
    assert spec is not None and spec.loader is not None
    check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check)
    off = {"quote": "non-default args: {'limit_mm_per_prompt': {'image': 0, 'video': 0}}"}
    on = {"quote": "non-default args: {'limit_mm_per_prompt': {'image': 1, 'video': 0}}"}
    assert check.language_model_only(off) and not check.language_model_only(on)
    assert not check.language_model_only({"quote": "no limits given"})
    assert check.pooling({"quote": "{'runner': 'pooling', 'convert': 'embed'}"})
    # the Qwen3-VL tower is what the text-only launch leaves out
    m = ls.load_model(
        str(
            Path(__file__).parent
            / "data"
            / "engine_logs"
            / "configs"
            / "Qwen--Qwen3-VL-2B-Instruct.json"
        )
    )
    w = {"context_len": 2048, "weight_dtype": "fp16"}
    text = ls.kv_cache_capacity(m, "g6.xlarge", {**w, "include_vision": False}, engine="vllm-0.10")
    full = ls.kv_cache_capacity(m, "g6.xlarge", w, engine="vllm-0.10")
    tower = sum(t.numel for t in m.tensors(include_vision=True)) - sum(t.numel for t in m.tensors())
    # with the tower come its DeepStack buffers: 3 levels x 8,192 batched tokens (the API
    # server's default on a device of 70 GiB and more is not this one's: 2,048 here) x 2,048
    buffers = 3 * 2048 * 2048 * 2
    assert float((full.weights - text.weights).to("B").m) == pytest.approx(2 * tower + buffers)


QWEN3_VL_2B = CONFIGS / "Qwen--Qwen3-VL-2B-Instruct.json"


def _small(model_type: str, **extra: object) -> dict[str, object]:
    """A two-layer config of 256 wide, 64-dim heads and 4,096 positions."""
    return {
        "model_type": model_type,
        "hidden_size": 256,
        "intermediate_size": 512,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "vocab_size": 1000,
        "max_position_embeddings": 4096,
        **extra,
    }


def test_mrope_models_are_read_from_the_config_or_their_family() -> None:
    # vLLM uses_mrope: "mrope_section" in rope_scaling / rope_parameters; transformers'
    # Qwen3-VL rotary embedding falls back to sections [24, 20, 20] where none is stated
    assert ls.load_model(str(QWEN3_VL_2B)).mrope  # the stored config states no rope_scaling
    assert ls.load_model("qwen3.5-27b").mrope  # rope_parameters.mrope_section [11, 11, 10]
    assert not ls.load_model("llama-3.1-8b").mrope
    stated = _small("qwen2", rope_scaling={"type": "mrope", "mrope_section": [8, 12, 12]})
    assert ls.read_hf_config(stated).mrope
    assert not ls.read_hf_config({**stated, "rope_scaling": None}).mrope


def test_vllm_builds_the_mrope_table_four_times_as_long() -> None:
    # vLLM MRotaryEmbedding: cache_max_position_num = max_position_embeddings * 4
    m = ls.load_model(str(QWEN3_VL_2B))  # 262,144 positions, 128 rotary dims
    assert ls.rope_cache_bytes(m).to("B").m == 262144 * 128 * 2
    assert ls.rope_cache_bytes(m, mrope_factor=4).to("B").m == 4 * 262144 * 128 * 2
    llama = ls.load_model("llama-3.1-8b")
    assert ls.rope_cache_bytes(llama, mrope_factor=4) == ls.rope_cache_bytes(llama)
    assert ENGINES["vllm"].mrope_factor == 4 and ENGINES["sglang"].mrope_factor == 1


def test_qwen3_vl_weights_as_vllm_loads_them() -> None:
    # heldout18.yaml, zjpzhao T4 logs (vLLM 0.11.0, fp16): "Model loading took 3.4554 GiB"
    # text-only, 4.3072 GiB with the tower and --max-num-batched-tokens 8192. By hand:
    # 28 layers x (q 2048^2 + k, v 2 x 2048 x 1024 + o 2048^2 + q/k norms 2 x 128
    # + gate/up/down 3 x 2048 x 6144 + 2 norms 2 x 2048) + tied embedding 151,936 x 2048
    # + final norm 2048 parameters, 2 bytes each, plus the M-RoPE table of 4 x 262,144 rows
    # x 128 dims x 2 bytes
    layer = 2 * 2048 * 2048 + 2 * 2048 * 1024 + 2 * 128 + 3 * 2048 * 6144 + 2 * 2048
    text = 2 * (28 * layer + 151936 * 2048 + 2048) + 4 * 262144 * 128 * 2
    m = ls.load_model(str(QWEN3_VL_2B))
    w = {"context_len": 2048, "weight_dtype": "fp16", "include_vision": False}
    got = ls.kv_cache_capacity(m, "g6.xlarge", w, engine="vllm-0.10").weights_bytes
    assert got == pytest.approx(text, rel=1e-9)
    assert got / GIB == pytest.approx(3.4554, rel=1e-3)
    # the tower in fp16 and 3 DeepStack levels x 8,192 tokens x 2,048 x 2 bytes
    tower = sum(t.numel for t in m.tensors(include_vision=True)) - sum(t.numel for t in m.tensors())
    w = {"context_len": 8192, "weight_dtype": "fp16", "max_batched_tokens": 8192}
    got = ls.kv_cache_capacity(m, "g6.xlarge", w, engine="vllm-0.10").weights_bytes
    assert got == pytest.approx(text + 2 * tower + 3 * 8192 * 2048 * 2, rel=1e-9)
    assert got / GIB == pytest.approx(4.3072, rel=1e-3)
    assert ls.deepstack_buffer_bytes(m, 8192).to("B").m == 3 * 8192 * 2048 * 2


def test_one_rope_table_per_distinct_rope_configuration() -> None:
    # vLLM get_rope shares a table between layers of one (head size, rotary dim, base,
    # scaling). Gemma 3: sliding layers at rope_local_base_freq 10,000 (Gemma3TextConfig's
    # default), full layers at 1,000,000 with 8x linear scaling, whose
    # LinearScalingRotaryEmbedding holds max_position x 8 rows: 131,072 x 128 x 2 bytes x
    # (8 + 1)
    g3 = ls.load_model("gemma-3-27b")
    assert g3.rope_tables == ((128, 8.0), (128, 1.0))
    assert ls.rope_cache_bytes(g3).to("B").m == 131072 * 128 * 2 * 9
    # Gemma 4: full layers' proportional RoPE (Gemma4RotaryEmbedding) is as wide as their
    # 512-dim heads, sliding layers' table 256 wide: 262,144 x (512 + 256) x 2 bytes
    g4 = ls.load_model(str(CONFIGS / "google--gemma-4-26B-A4B.json"))
    assert ls.rope_cache_bytes(g4).to("B").m == 262144 * (512 + 256) * 2
    # one configuration: one table of rope_dim (gpt-oss's YaRN: 4,096 x 32 rows = its
    # 131,072 positions)
    for name in ("llama-3.1-8b", "gpt-oss-120b", "deepseek-v3"):
        m = ls.load_model(name)
        assert m.rope_tables == ()
        assert ls.rope_cache_bytes(m).to("B").m == m.max_position_embeddings * m.rope_dim * 2


def test_gemma3_weights_as_vllm_019_loads_them() -> None:
    # heldout5.yaml, jgchn-raw-gemma3-27b-h100-tp1-v0190: "Model loading took 51.45 GiB"
    m = ls.load_model("gemma-3-27b")
    pc = m.param_counts()
    w = {"context_len": 8192, "memory_utilization": 0.95}
    got = ls.kv_cache_capacity(m, "p5.48xlarge", w, layout="TP1", engine="vllm-0.17")
    assert got.weights_bytes == (pc.total + pc.vision) * 2 + 131072 * 128 * 2 * 9
    assert got.weights_bytes / GIB == pytest.approx(51.45, rel=2e-3)


def test_linear_scaling_widens_the_table_and_a_swa_base_adds_one() -> None:
    base = _small("llama", rope_theta=10000.0)
    linear = ls.read_hf_config({**base, "rope_scaling": {"rope_type": "linear", "factor": 4.0}})
    assert linear.rope_tables == ((64, 4.0),)
    assert ls.rope_cache_bytes(linear).to("B").m == 4096 * 4 * 64 * 2
    plain = ls.read_hf_config(base)
    assert plain.rope_tables == () and ls.rope_cache_bytes(plain).to("B").m == 4096 * 64 * 2
    # MiMo-V2-Flash: sliding layers at swa_rope_theta 10,000, full ones at 5,000,000
    mimo = ls.load_model(str(CONFIGS / "XiaomiMiMo--MiMo-V2-Flash.json"))
    assert mimo.rope_tables == ((64, 1.0), (64, 1.0))


def test_auto_kv_cache_takes_the_checkpoints_stated_format() -> None:
    # vLLM resolve_kv_cache_dtype_string: kv_cache_dtype "auto" becomes the checkpoint's
    # stated KV format; NVIDIA's Qwen3.6-27B NVFP4 export states kv_cache_scheme
    # {"num_bits": 8, "type": "float", "dynamic": false}, its 35B-A3B export none
    from llmsizing.hf.quantization import checkpoint_quantization

    fp8_cache = ls.load_model(str(CONFIGS / "nvidia--Qwen3.6-27B-NVFP4.json"))
    assert fp8_cache.checkpoint_quantization is not None
    assert fp8_cache.checkpoint_quantization.kv_cache == "fp8"
    plain = ls.load_model(str(CONFIGS / "nvidia--Qwen3.6-35B-A3B-NVFP4.json"))
    assert plain.checkpoint_quantization is not None
    assert plain.checkpoint_quantization.kv_cache is None
    algo = checkpoint_quantization({"quant_method": "modelopt", "kv_cache_quant_algo": "FP8"})
    assert algo is not None and algo.kv_cache == "fp8"
    dynamic = {"num_bits": 8, "type": "float", "dynamic": True}
    scheme = checkpoint_quantization({"quant_method": "fp8", "kv_cache_scheme": dynamic})
    assert scheme is not None and scheme.kv_cache is None
    # the 0.21 line and later take it where the launch states no --kv-cache-dtype
    from llmsizing.fit import engine_workload

    w = ls.Workload(context_len=8192, weight_dtype="native")
    assert engine_workload(fp8_cache, w, ENGINES["vllm"]).kv_dtype == "fp8"
    assert engine_workload(fp8_cache, w, ENGINES["vllm-0.17"]).kv_dtype == "bf16"
    assert engine_workload(plain, w, ENGINES["vllm"]).kv_dtype == "bf16"
    bf16 = w.model_copy(update={"kv_dtype": "bf16"})
    assert engine_workload(fp8_cache, bf16, ENGINES["vllm"]).kv_dtype == "bf16"  # stated

    def per_token(workload: ls.Workload, engine: str) -> float:
        cap = ls.kv_cache_capacity(fp8_cache, "p5.48xlarge", workload, layout="TP1", engine=engine)
        return cap.kv_bytes_per_token

    fp8 = w.model_copy(update={"kv_dtype": "fp8"})
    assert per_token(w, "vllm") == per_token(fp8, "vllm") < per_token(bf16, "vllm")
    assert per_token(w, "vllm-0.17") == per_token(bf16, "vllm-0.17")
