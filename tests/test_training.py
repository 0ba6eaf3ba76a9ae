"""Tests of training sizing (the llmsizing.training package).

Expected values are derived by hand from the published formulas they cite
(Korthikanti et al. 2022, Megatron-LM's theoretical_memory_usage.py, ZeRO,
Kaplan et al. 2020) or from published training runs (Llama 3, DeepSeek-V3);
each test writes the arithmetic out instead of copying the library's output.
"""

from __future__ import annotations

import doctest
import importlib
import json
import math
import pkgutil

import pytest
from hypothesis import given
from hypothesis import strategies as st

import llmsizing.training as training_pkg
from llmsizing.catalog import Catalog, load_catalog
from llmsizing.errors import LlmsizingError, WorkloadError
from llmsizing.model import ModelConfig
from llmsizing.presets import load_model, read_hf_config
from llmsizing.training import (
    PRECISION_RECIPES,
    StageMemory,
    TrainingSetup,
    activation_memory_per_layer,
    check_data_parallel,
    check_training_claim,
    check_training_layout,
    estimate_training,
    fit_training,
    gradient_memory_per_device,
    implied_mfu,
    in_flight_microbatches,
    instance_step,
    matmul_params_per_token,
    min_training_cluster,
    optimizer_memory_per_device,
    pipeline_stage_layers,
    train_report,
    training_flops,
    training_memory_per_device,
    training_time,
    weight_memory_per_device,
)
from llmsizing.units import ureg


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return load_catalog()


def gpt3_175b() -> ModelConfig:
    """GPT-3 175B as Megatron-LM's example trains it: 96 layers, h 12288, 96 heads,
    plain (non-gated) FFN of 4h, no biases, untied embeddings, vocab 51200."""
    m = read_hf_config(
        {
            "model_type": "llama",
            "vocab_size": 51200,
            "hidden_size": 12288,
            "intermediate_size": 4 * 12288,
            "num_hidden_layers": 96,
            "num_attention_heads": 96,
            "num_key_value_heads": 96,
        },
        name="gpt3-175b",
    )
    return m.model_copy(update={"ffn_gated": False})


def _b(q: object) -> float:
    return float(q.to("byte").magnitude)  # type: ignore[attr-defined]


# --------------------------------------------------------------------- setup
@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"zero_stage": 4}, "zero_stage must be 0, 1, 2 or 3"),
        ({"zero_stage": -1}, "zero_stage"),
        ({"training_tokens": -15}, "training_tokens must be positive"),
        ({"training_tokens": 0}, "training_tokens must be positive"),
        ({"tensor_parallel": 0}, "tensor_parallel must be positive"),
        ({"pipeline_parallel": -2}, "pipeline_parallel must be positive"),
        ({"data_parallel": 0}, "data_parallel must be positive"),
        ({"mfu": 1.5}, "mfu"),
        ({"global_batch_tokens": 1000, "seq_length": 4096}, "multiple of seq_length"),
        ({"precision": "fp4-lion"}, "precision"),
        ({"recompute": "some"}, "recompute"),
        ({"zero": 3}, "zero"),  # unknown field (extra="forbid")
    ],
)
def test_bad_setups_are_rejected(kwargs: dict[str, object], fragment: str) -> None:
    with pytest.raises(WorkloadError, match=fragment):
        TrainingSetup(**kwargs)


def test_setup_errors_are_llmsizing_errors() -> None:
    # the CLI turns LlmsizingError into exit code 2; a pydantic error would escape it
    with pytest.raises(LlmsizingError):
        TrainingSetup(zero_stage=4)


def test_precision_recipes_bytes_per_param() -> None:
    # ZeRO section 3.1: fp16/bf16 params 2 + grads 2 + fp32 params, momentum, variance 12
    assert PRECISION_RECIPES["bf16-adamw"].bytes_per_param == 16
    # FP8 compute leaves the stored state unchanged (Transformer Engine, DeepSeek-V3 3.3)
    assert PRECISION_RECIPES["fp8-adamw"].bytes_per_param == 16
    assert PRECISION_RECIPES["fp8-adamw"].compute_dtype == "fp8"
    # Megatron-LM without the distributed optimizer: 18 bytes/param (fp32 main grads)
    assert PRECISION_RECIPES["bf16-adamw-fp32grads"].bytes_per_param == 18
    # 8-bit Adam: 2 + 2 + 4 (fp32 master) + 2 x 1 byte + 2 fp32 absmax per 2048 values
    assert PRECISION_RECIPES["bf16-adam8bit"].bytes_per_param == pytest.approx(
        2 + 2 + 4 + 2 + 8 / 2048
    )


# ------------------------------------------------------------ layout checks
def test_tp_must_divide_attention_heads() -> None:
    m = load_model("llama-3.1-8b")  # 32 heads
    with pytest.raises(WorkloadError, match=r"does not divide .* 32 attention heads"):
        check_training_layout(m, TrainingSetup(tensor_parallel=3))


def test_tp_must_divide_kv_heads() -> None:
    m = load_model("llama-3.1-70b")  # 64 heads, 8 KV heads
    with pytest.raises(WorkloadError, match="8 KV heads"):
        check_training_layout(m, TrainingSetup(tensor_parallel=16))


def test_tp_must_stay_inside_one_instance(cat: Catalog) -> None:
    with pytest.raises(WorkloadError, match="exceeds the 8 devices"):
        # DeepSeek-V3's 128 MLA heads divide by 16, but a p5e has 8 GPUs
        fit_training("deepseek-v3", cat.get("p5e.48xlarge"), TrainingSetup(tensor_parallel=16))


def test_model_parallel_must_divide_devices(cat: Catalog) -> None:
    # TP8 x PP2 = 16 devices per replica; 3 p5e instances have 24 devices
    s = TrainingSetup(tensor_parallel=8, pipeline_parallel=2)
    with pytest.raises(WorkloadError, match="does not divide the 24 devices"):
        fit_training("llama-3.1-70b", cat.get("p5e.48xlarge"), s, instances=3)


def test_data_parallel_must_match_devices(cat: Catalog) -> None:
    s = TrainingSetup(tensor_parallel=8, data_parallel=4)
    with pytest.raises(WorkloadError, match="needs 32 devices, not 8"):
        fit_training("llama-3.1-70b", cat.get("p5e.48xlarge"), s, instances=1)


def test_expert_parallel_checks() -> None:
    mixtral = load_model("mixtral-8x7b")  # 8 routed experts
    with pytest.raises(WorkloadError, match=r"does not divide .* 8 routed experts"):
        check_training_layout(mixtral, TrainingSetup(expert_parallel=3))
    with pytest.raises(WorkloadError, match="needs an MoE model"):
        check_training_layout(load_model("llama-3.1-8b"), TrainingSetup(expert_parallel=2))
    # EP 8 needs dp·cp divisible by 8
    with pytest.raises(WorkloadError, match="does not divide dp·cp"):
        check_training_layout(mixtral, TrainingSetup(expert_parallel=8), devices=4)


def test_context_parallel_must_divide_sequence() -> None:
    with pytest.raises(WorkloadError, match="context_parallel 3"):
        check_training_layout(load_model("llama-3.1-8b"), TrainingSetup(context_parallel=3))


def test_pipeline_cannot_exceed_layers() -> None:
    with pytest.raises(WorkloadError, match=r"exceeds .* 32 layers"):
        check_training_layout(load_model("llama-3.1-8b"), TrainingSetup(pipeline_parallel=64))


def test_data_parallel_cannot_exceed_global_batch() -> None:
    # 2 sequences per step cannot feed 4 DP ranks
    s = TrainingSetup(global_batch_tokens=2 * 8192)
    with pytest.raises(WorkloadError, match="exceeds the global batch of 2 sequences"):
        check_training_layout(load_model("llama-3.1-8b"), s, devices=4)


# --------------------------------------------------------- model state (ZeRO)
@given(
    n=st.integers(1, 10**12),
    z=st.integers(0, 3),
    dp=st.integers(1, 4096),
)
def test_zero_stages_shard_what_the_paper_says(n: int, z: int, dp: int) -> None:
    # ZeRO section 5: P_os shards optimizer states, P_os+g also gradients, P_os+g+p also params
    w = _b(weight_memory_per_device(n, 2, z, dp))
    g = _b(gradient_memory_per_device(n, 2, z, dp))
    o = _b(optimizer_memory_per_device(n, 12, z, dp))
    assert w == pytest.approx(2 * n / (dp if z >= 3 else 1))
    assert g == pytest.approx(2 * n / (dp if z >= 2 else 1))
    assert o == pytest.approx(12 * n / (dp if z >= 1 else 1))


def test_zero_paper_7_5b_example() -> None:
    # ZeRO Figure 1: Psi = 7.5B, K = 12, N_d = 64: baseline 120 GB, P_os 31.4 GB,
    # P_os+g 16.6 GB, P_os+g+p 1.88 GB per device
    psi, nd = 7.5e9, 64
    expected_gb = {0: 120, 1: 31.4, 2: 16.6, 3: 1.88}
    for z, gb in expected_gb.items():
        total = (
            weight_memory_per_device(psi, 2, z, nd)
            + gradient_memory_per_device(psi, 2, z, nd)
            + optimizer_memory_per_device(psi, 12, z, nd)
        )
        assert float(total.to("GB").magnitude) == pytest.approx(gb, rel=0.01)


# ------------------------------------------------------- activations (Korthikanti)
S, B, H, A, T = 2048, 1, 12288, 96, 8  # GPT-3 175B, micro-batch 1, TP 8


def test_korthikanti_equation_1_no_parallelism() -> None:
    # eq. 1: s·b·h·(34 + 5·a·s/h) per layer
    per = activation_memory_per_layer(gpt3_175b(), S, B, "none", 1)
    assert _b(per[0]) == pytest.approx(S * B * H * (34 + 5 * A * S / H))


def test_korthikanti_table_2() -> None:
    m = gpt3_175b()
    sbh = S * B * H
    cases = {
        # (recompute, sequence parallel): Table 2 row
        ("none", False): sbh * (10 + 24 / T + 5 * A * S / (H * T)),
        ("none", True): sbh / T * (34 + 5 * A * S / H),
        ("selective", True): sbh * 34 / T,
        ("selective", False): sbh * (10 + 24 / T),
        ("full", True): 2 * sbh / T,  # only the (SP-split) layer input
        ("full", False): 2 * sbh,
    }
    for (rc, sp), want in cases.items():
        got = activation_memory_per_layer(m, S, B, rc, T, sequence_parallel=sp)  # type: ignore[arg-type]
        assert _b(got[0]) == pytest.approx(want), (rc, sp)
        assert len(got) == 96


def test_korthikanti_gpt3_numbers_in_gib() -> None:
    # 34·2048·12288/8 bytes = 102 MiB per layer with selective recomputation and SP
    per = activation_memory_per_layer(gpt3_175b(), S, B, "selective", T)
    assert float(per[0].to("MiB").magnitude) == pytest.approx(102.0)


def test_activations_scale_with_micro_batch_and_context_parallel() -> None:
    m = gpt3_175b()
    one = _b(activation_memory_per_layer(m, S, 1, "selective", T)[0])
    assert _b(activation_memory_per_layer(m, S, 4, "selective", T)[0]) == pytest.approx(4 * one)
    assert _b(
        activation_memory_per_layer(m, S, 1, "selective", T, context_parallel=2)[0]
    ) == pytest.approx(one / 2)


def test_gqa_and_gated_ffn_adaptation_llama_70b() -> None:
    # Llama-3.1-70B: h 8192, 64 heads of 128, 8 KV heads, SwiGLU f = 28672, 2 norms.
    # Per token (bytes): replicated 2h·2 (norms) + 2h (QKV input) + h (mask) + 2h (FFN input)
    # + h (mask) = 10h; attention 2(q + k) + 2v + 2o with q = o = 8192, k = v = 1024;
    # gated FFN 6f (gate and up outputs 4f, their product 2f).
    h, q, kv, f = 8192, 8192, 1024, 28672
    per_token = 10 * h + 2 * (q + kv) + 2 * kv + 2 * q + 6 * f
    got = activation_memory_per_layer(load_model("llama-3.1-70b"), 8192, 1, "selective", 1)
    assert _b(got[0]) == pytest.approx(8192 * per_token)


def test_moe_adaptation_mixtral() -> None:
    # Mixtral 8x7B: h 4096, 32 heads of 128, 8 KV heads, 2 of 8 experts, expert f 14336.
    # Per token: 10h replicated; attention 2(4096 + 1024) + 2·1024 + 2·4096;
    # each of the k = 2 routed copies: dispatched input 2h + output for the combine 2h
    # + gated intermediate 6·14336.
    h, k, fe = 4096, 2, 14336
    per_token = 10 * h + 2 * (4096 + 1024) + 2 * 1024 + 2 * 4096 + k * (4 * h + 6 * fe)
    s = 4096
    got = activation_memory_per_layer(load_model("mixtral-8x7b"), s, 1, "selective", 2)
    assert _b(got[0]) == pytest.approx(s * per_token / 2)  # TP 2 with SP
    # MoE layers hold k-fold routed activations: more than the same model made dense would
    dense = load_model("mixtral-8x7b").model_copy(
        update={"moe": None, "moe_layers": (False,) * 32, "intermediate_size": fe}
    )
    assert _b(got[0]) > _b(activation_memory_per_layer(dense, s, 1, "selective", 2)[0])


def test_deepseek_v3_dense_and_moe_layers_differ() -> None:
    per = activation_memory_per_layer(load_model("deepseek-v3"), 4096, 1, "selective", 1)
    # first 3 layers dense (f = 18432), the rest MoE (8 x 2048 routed + 2048 shared)
    assert per[0] == per[2]
    assert per[3] == per[60]
    h, fd, fe = 7168, 18432, 2048
    # difference per token: MoE FFN k(4h + 6fe) + 6fs minus dense 6fd
    diff = 4096 * (8 * (4 * h + 6 * fe) + 6 * fe - 6 * fd)
    assert _b(per[3] - per[0]) == pytest.approx(diff)


# ---------------------------------------------------------------- pipeline
def test_pipeline_stage_layers_and_in_flight() -> None:
    assert pipeline_stage_layers(96, 16).tolist() == [6] * 16
    # Llama 3 405B: 126 layers on 16 stages; earlier stages get one layer less
    st126 = pipeline_stage_layers(126, 16)
    assert st126.sum() == 126 and st126.max() - st126.min() == 1 and st126[0] == 7
    # 1F1B: the first stage holds pp micro-batches, the last one
    assert in_flight_microbatches(16, 192).tolist() == list(range(16, 0, -1))
    assert in_flight_microbatches(8, 3).tolist() == [3, 3, 3, 3, 3, 3, 2, 1]


# -------------------------------------------- Megatron-LM theoretical memory usage
def _megatron_gpt3_params_most_loaded(pp: int, tp: int) -> float:
    """compute_weight_and_optimizer_memory for GPT-3 175B (RMSNorm, no SwiGLU, MHA)."""
    h, v, layers = 12288, 51200, 96
    self_attn = 2 * h * h * ((1 + 1) * 1)  # 2h²(1 + groups/heads)·(q_proj/h)
    layer = 2 * h * (4 * h * 1 + 1) + self_attn
    block = layer * layers + h  # + final layernorm
    embedding = h * v
    most_loaded = (block / pp + embedding) / tp
    if pp == 1:
        most_loaded += embedding / tp  # untied output layer
    return most_loaded


def test_megatron_estimate_gpt3_175b() -> None:
    # Megatron's GPT-3 175B example layout: TP 8, PP 16, micro-batch 1, seq 2048, batch 1536;
    # distributed optimizer over DP 8 and fp32 main grads: 6 + 12/dp bytes per parameter.
    tp, pp, dp, gbs = 8, 16, 8, 1536
    setup = TrainingSetup(
        global_batch_tokens=gbs * S,
        seq_length=S,
        micro_batch_size=1,
        precision="bf16-adamw-fp32grads",
        tensor_parallel=tp,
        pipeline_parallel=pp,
        zero_stage=1,
        recompute="selective",
    )
    mem = training_memory_per_device(gpt3_175b(), setup, data_parallel=dp)
    assert mem.stage == 0  # the first stage holds the most
    state = _b(mem.weights + mem.gradients + mem.optimizer)
    assert state == pytest.approx(_megatron_gpt3_params_most_loaded(pp, tp) * (6 + 12 / dp))
    # compute_activation_memory (SP + selective): 34·s·b·h·L + 8·s·b·pp + s·b·h·pp, / tp;
    # 1536 / (1 · 8) = 192 micro-batches >= pp, so no discount
    act = (34 * S * B * H * 96 + 8 * S * B * pp + S * B * H * pp) / tp
    assert _b(mem.activations) == pytest.approx(act)
    assert mem.in_flight == 16


def test_megatron_activation_discount_for_few_microbatches() -> None:
    # 32 sequences over DP 8 = 4 micro-batches < pp 16: Megatron scales by 4/16
    tp, pp, dp = 8, 16, 8
    setup = TrainingSetup(
        global_batch_tokens=32 * S, seq_length=S, tensor_parallel=tp, pipeline_parallel=pp
    )
    mem = training_memory_per_device(gpt3_175b(), setup, data_parallel=dp)
    act = (34 * S * B * H * 96 + 8 * S * B * pp + S * B * H * pp) / tp * 4 / 16
    assert mem.num_microbatches == 4
    assert _b(mem.activations) == pytest.approx(act)


def test_megatron_estimate_gpt3_no_pipeline_includes_output_layer() -> None:
    # pp == 1: + s·b·h·4·(1 + V/h) for the output layer and loss, everything / tp
    tp, dp, v = 8, 16, 51200
    setup = TrainingSetup(
        global_batch_tokens=64 * S,
        seq_length=S,
        precision="bf16-adamw-fp32grads",
        tensor_parallel=tp,
        zero_stage=1,
    )
    mem = training_memory_per_device(gpt3_175b(), setup, data_parallel=dp)
    act = (34 * S * B * H * 96 + 8 * S * B + S * B * H + S * B * H * 4 * (1 + v / H)) / tp
    assert _b(mem.activations) == pytest.approx(act)
    state = _megatron_gpt3_params_most_loaded(1, tp) * (6 + 12 / dp)
    assert _b(mem.weights + mem.gradients + mem.optimizer) == pytest.approx(state)


def test_megatron_weight_estimate_llama_70b_gqa_swiglu() -> None:
    # compute_weight_and_optimizer_memory with group_query_attention and swiglu (3/2 factor)
    h, f, heads, groups, layers, v = 8192, 28672, 64, 8, 80, 128256
    self_attn = 2 * h * h * ((1 + groups / heads) * 1)
    layer = 2 * h * (f * 3 / 2 + 1) + self_attn
    block = layer * layers + h
    tp, dp = 8, 4
    most_loaded = (block + 2 * h * v) / tp  # pp == 1, untied
    setup = TrainingSetup(precision="bf16-adamw-fp32grads", tensor_parallel=tp, zero_stage=1)
    mem = training_memory_per_device("llama-3.1-70b", setup, data_parallel=dp)
    assert _b(mem.weights + mem.gradients + mem.optimizer) == pytest.approx(
        most_loaded * (6 + 12 / dp)
    )
    # without the distributed optimizer: 18 bytes per parameter
    mem0 = training_memory_per_device(
        "llama-3.1-70b", setup.model_copy(update={"zero_stage": 0}), data_parallel=dp
    )
    assert _b(mem0.weights + mem0.gradients + mem0.optimizer) == pytest.approx(most_loaded * 18)


def test_megatron_weight_estimate_deepseek_v3_mla_moe_mtp() -> None:
    # Megatron's MLA + MoE + MTP parameter count, TP = PP = 1 (it does not model EP):
    h, v, heads = 7168, 129280, 128
    q_lora, kv_lora, qk, rope, vd = 1536, 512, 128, 64, 128
    E, fe, fs, fd = 256, 2048, 2048, 18432
    self_attn = (
        q_lora * (h + heads * (qk + rope) + 1)
        + kv_lora * (h + heads * (qk + vd) + 1)
        + h * rope
        + heads * vd * h
    )
    dense_layer = 2 * h * (fd * 3 / 2 + 1) + self_attn
    moe_layer = 2 * h * (fe * E * 3 / 2 + fs * 3 / 2 + 1) + self_attn
    block = 3 * dense_layer + 58 * moe_layer + h
    mtp = moe_layer  # one MTP module whose layer is MoE like the last layer
    megatron = block + mtp + 2 * h * v
    # Megatron omits the routers (E·h per MoE layer, 58 + 1 MTP) and the MTP module's
    # projection of [h; emb] (2h·h) and its three norms; the model's tensors include them
    ours = megatron + 59 * E * h + 2 * h * h + 3 * h
    dp = 32
    setup = TrainingSetup(seq_length=4096, precision="bf16-adamw-fp32grads", zero_stage=1)
    mem = training_memory_per_device("deepseek-v3", setup, data_parallel=dp)
    assert _b(mem.weights + mem.gradients + mem.optimizer) == pytest.approx(ours * (6 + 12 / dp))


def test_expert_parallel_divides_routed_experts_only() -> None:
    # Mixtral: 32 layers x 8 experts x 3·4096·14336 routed parameters
    routed = 32 * 8 * 3 * 4096 * 14336
    total = load_model("mixtral-8x7b").param_counts().total
    s1 = TrainingSetup(seq_length=4096, zero_stage=0)
    w1 = training_memory_per_device("mixtral-8x7b", s1, data_parallel=8).weights
    w4 = training_memory_per_device(
        "mixtral-8x7b", s1.model_copy(update={"expert_parallel": 4}), data_parallel=8
    ).weights
    assert _b(w1) == pytest.approx(2 * total)
    assert _b(w4) == pytest.approx(2 * (total - routed + routed / 4))


# --------------------------------------------------------------- cluster sizing
def test_llama_8b_trains_on_one_p5e(cat: Catalog) -> None:
    r = fit_training("llama-3.1-8b", cat.get("p5e.48xlarge"), TrainingSetup())
    assert r.fits and r.instances == 1 and r.min_instances == 1
    assert r.memory.total <= r.usable
    assert r.binding in r.memory.terms


def test_llama_405b_state_does_not_fit_one_p5e(cat: Catalog) -> None:
    # 405.9e9 params x 16 bytes = 6.5 TB against 8 x 140.4 GiB = 1.2 TB
    s = TrainingSetup(tensor_parallel=8, zero_stage=3)
    r = fit_training("llama-3.1-405b", cat.get("p5e.48xlarge"), s, instances=1)
    assert not r.fits
    assert r.min_instances is not None and r.min_instances * 1123 * 2**30 > 405.8e9 * 16
    assert "does not fit" in r.explanation


def test_min_instances_is_minimal(cat: Catalog) -> None:
    inst = cat.get("p5e.48xlarge")
    s = TrainingSetup(tensor_parallel=8, pipeline_parallel=2, zero_stage=1)
    r = fit_training("llama-3.1-405b", inst, s)
    n = r.min_instances
    assert n is not None and r.fits and r.instances == n
    # one fewer valid step (2 instances: TP8 x PP2 spans 2) does not fit
    below = fit_training("llama-3.1-405b", inst, s, instances=n - 2)
    assert not below.fits


def test_min_training_cluster_beats_or_matches_fixed_layouts(cat: Catalog) -> None:
    inst = cat.get("p5e.48xlarge")
    best = min_training_cluster("llama-3.1-70b", inst)
    assert best.fits
    for tp, pp, z in [(8, 1, 1), (8, 1, 3), (4, 2, 1), (8, 4, 1)]:
        r = fit_training(
            "llama-3.1-70b",
            inst,
            TrainingSetup(tensor_parallel=tp, pipeline_parallel=pp, zero_stage=z),
        )
        if r.min_instances is not None:
            assert best.instances <= r.min_instances


def test_trillion_parameters_do_not_fit_one_trn2_ultraserver(cat: Catalog) -> None:
    us = cat.get("u-trn2x64")
    # Neuron docs: 64 Trainium2 chips x 96 GiB = 6 TiB per Trn2 UltraServer
    assert us.total_accelerator_memory_usable == ureg.Quantity(6, "TiB")
    # bf16-AdamW state of 1e12 parameters: 16 TB (ZeRO section 3.1)
    status, nums, why = check_training_claim(1e12, us, 1)
    assert status == "fails"
    assert nums["state_TB"] == pytest.approx(16.0)
    assert nums["min_instances"] == math.ceil(16e12 / (6 * 2**40))  # = 3
    assert "lower bound" in why
    # even 8-bit Adam (about 10 bytes/param = 10 TB) does not fit one
    s8 = TrainingSetup(precision="bf16-adam8bit")
    assert check_training_claim(1e12, us, 1, s8)[0] == "fails"
    # a range reaching 3 UltraServers makes it depend on the count
    assert check_training_claim(1e12, us, (1, 4))[0] == "depends"


def test_claim_statuses_with_models(cat: Catalog) -> None:
    p5e = cat.get("p5e.48xlarge")
    assert check_training_claim("llama-3.1-8b", p5e, 1)[0] == "holds"
    # DeepSeek-V3's bf16-AdamW state alone is 682.6e9 x 16 B = 10.9 TB > 8 x 1.2 TB
    status, nums, _ = check_training_claim("deepseek-v3", p5e, (8, 16))
    assert status == "depends"
    assert 8 < nums["min_instances"] <= 16


def test_dense_claim_lower_bound_arithmetic(cat: Catalog) -> None:
    # 100e9 x 16 B = 1.6 TB vs one p5en: 8 x 140.4 GiB = 1.206 TB -> 2 instances
    status, nums, _ = check_training_claim(100e9, cat.get("p5en.48xlarge"), 1)
    assert (status, nums["min_instances"]) == ("fails", 2)


# ------------------------------------------------------------- FLOPs and time
def test_training_flops_llama_405b_matches_paper() -> None:
    # Llama 3 paper: 3.8e25 FLOPs for 405B on 15.6T tokens (section 3.3.4 / Figure 3)
    m = load_model("llama-3.1-405b")
    # matrix parameters: total minus the input embedding lookup (128256 x 16384)
    assert matmul_params_per_token(m) == m.param_counts().total - 128256 * 16384
    tokens = 15.6e12
    six_nd = 6 * (405_853_388_800 - 128256 * 16384) * tokens
    attn = 6 * 126 * 8192 * (128 * 128) * tokens  # Kaplan: 6·n_layer·n_ctx·d_attn
    got = float(training_flops(m, tokens, 8192).to("FLOP").magnitude)
    assert got == pytest.approx(six_nd + attn)
    assert got == pytest.approx(3.8e25, rel=0.05)


def test_training_time_llama_405b_on_16k_h100() -> None:
    # 3.8e25 FLOP / (16,384 x 989e12 FLOP/s x 0.41) = 5.72e6 s = 66.2 days
    t = training_time(ureg.Quantity(3.8e25, "FLOP"), ureg.Quantity(16384 * 989, "TFLOPS"), mfu=0.41)
    assert float(t.to("day").magnitude) == pytest.approx(3.8e25 / (16384 * 989e12 * 0.41) / 86400)
    assert float(t.to("day").magnitude) == pytest.approx(66.2, abs=0.05)


def test_llama_405b_implied_mfu() -> None:
    # Llama 3.1 model card: 30.84M H100-80GB GPU-hours for 405B; H100 SXM dense BF16 989 TFLOPS.
    # The paper reports 38-43% BF16 MFU at steady state (Table 4); the whole-run average
    # includes restarts and the long-context stage, so it lands at or below that range.
    flops = training_flops("llama-3.1-405b", 15.6e12, 8192)
    mfu = implied_mfu(flops, ureg.Quantity(30.84e6, "hour"), ureg.Quantity(989, "TFLOPS"))
    assert 0.30 <= mfu <= 0.43
    # with the paper's own 3.8e25: 3.8e25 / (30.84e6 x 3600 x 989e12) = 0.346
    paper = implied_mfu(
        ureg.Quantity(3.8e25, "FLOP"), ureg.Quantity(30.84e6, "hour"), ureg.Quantity(989, "TFLOPS")
    )
    assert paper == pytest.approx(3.8e25 / (30.84e6 * 3600 * 989e12))


def test_deepseek_v3_implied_mfu() -> None:
    # DeepSeek-V3 report Table 1: pre-training 2,664K H800 GPU-hours for 14.8T tokens at
    # sequence length 4K (2,788K in total with context extension and post-training).
    # H800 dense BF16 = H100 SXM = 989 TFLOPS; dense FP8 = 1,979 TFLOPS.
    # About 37B active parameters (+ the MTP module) -> ~3.9e24 FLOPs.
    flops = training_flops("deepseek-v3", 14.8e12, 4096)
    assert float(flops.to("FLOP").magnitude) == pytest.approx(6 * 37e9 * 14.8e12, rel=0.25)
    hours = ureg.Quantity(2.664e6, "hour")
    bf16 = implied_mfu(flops, hours, ureg.Quantity(989, "TFLOPS"))
    fp8 = implied_mfu(flops, hours, ureg.Quantity(1979, "TFLOPS"))
    # Plausible range: against the BF16 peak, within 30-50% (Llama 3's BF16 38-43% with
    # margin either way, since DeepSeek-V3 ran its GEMMs in FP8); against the FP8 peak,
    # half of that: 15-25%.
    assert 0.30 <= bf16 <= 0.50
    assert 0.15 <= fp8 <= 0.25
    assert bf16 / fp8 == pytest.approx(1979 / 989)
    # the 2,788K total hours give a lower figure, still in the BF16 range
    total = implied_mfu(flops, ureg.Quantity(2.788e6, "hour"), ureg.Quantity(989, "TFLOPS"))
    assert 0.30 <= total < bf16


def test_deepseek_v3_flops_per_token_mla_and_mtp() -> None:
    # N: active parameters without the input embedding, plus the MTP module a token also
    # passes through (enorm, hnorm, shared_head.norm 3h, eh_proj 2h², one MoE layer with
    # 8 of 256 routed experts active) and a second pass through the output head (h·V).
    h, v, heads = 7168, 129280, 128
    q_lora, kv_lora, qk, rope, vd = 1536, 512, 128, 64, 128
    E, k, fe, fs = 256, 8, 2048, 2048
    mla = (
        q_lora * (h + heads * (qk + rope) + 1)
        + kv_lora * (h + heads * (qk + vd) + 1)
        + h * rope
        + heads * vd * h
    )
    mtp = 3 * h + 2 * h * h + mla + 2 * h + E * h + 3 * h * fs + 3 * h * fe * k + h * v
    m = load_model("deepseek-v3")
    n = m.param_counts().active_excluding_embedding + mtp
    assert matmul_params_per_token(m) == n
    # attention: 61 layers + the MTP layer, n_ctx 4096, d_attn = 128 heads x (192 + 128) / 2
    attn = 62 * 4096 * heads * (qk + rope + vd) / 2
    got = float(training_flops(m, 1e12, 4096).to("FLOP").magnitude)
    assert got == pytest.approx((6 * n + 6 * attn) * 1e12)


def test_sliding_window_layers_cap_attention_flops() -> None:
    m = load_model("gemma-3-27b")  # 52 of 62 layers slide over 1024 tokens
    full = m.model_copy(update={"layer_types": ("full",) * m.num_layers})
    a = float(training_flops(m, 1e9, 32768).magnitude)
    b = float(training_flops(full, 1e9, 32768).magnitude)
    assert a < b


def test_estimate_cost_with_and_without_price(cat: Catalog) -> None:
    s = TrainingSetup(training_tokens=10**12)
    en = estimate_training("llama-3.1-8b", cat.get("p5en.48xlarge"), 4, s)
    price = cat.hourly_price("p5en.48xlarge")
    assert price is not None
    days = float(en.time.to("day").magnitude)
    assert float(en.cost.to("USD").magnitude) == pytest.approx(days * 24 * 4 * price)
    # p5e.48xlarge has no On-Demand price: cost None plus a note
    e = estimate_training("llama-3.1-8b", cat.get("p5e.48xlarge"), 4, s)
    assert e.cost is None and "no public price" in e.cost_note
    # same silicon and MFU: same time
    assert float(e.time.to("day").magnitude) == pytest.approx(days)


def test_default_tokens_are_chinchilla(cat: Catalog) -> None:
    e = estimate_training("llama-3.1-8b", cat.get("p5en.48xlarge"), 1)
    assert e.tokens == 20 * 8_030_261_248


def test_fp8_recipe_needs_fp8_hardware(cat: Catalog) -> None:
    s = TrainingSetup(precision="fp8-adamw", training_tokens=10**9)
    with pytest.raises(WorkloadError, match="no dense fp8 peak"):
        estimate_training("llama-3.1-8b", cat.get("p4d.24xlarge"), 1, s)
    # on H200 the FP8 peak is twice the BF16 peak: half the time
    bf = estimate_training(
        "llama-3.1-8b", cat.get("p5en.48xlarge"), 1, TrainingSetup(training_tokens=10**9)
    )
    f8 = estimate_training("llama-3.1-8b", cat.get("p5en.48xlarge"), 1, s)
    assert float((bf.time / f8.time).to("").magnitude) == pytest.approx(1979 / 989)


# ---------------------------------------------------------------- report
def test_train_report_is_json_ready(cat: Catalog) -> None:
    r = train_report(
        "llama-3.1-70b",
        "p5e.48xlarge",
        TrainingSetup(tensor_parallel=8, zero_stage=3, training_tokens=15 * 10**12),
    )
    json.dumps(r)
    assert r["fits"] is True
    assert r["cost_usd"] is None and "no public price" in r["price_note"]
    assert r["instances"] == r["min_instances_at_layout"]
    assert r["layout"].startswith("TP8 PP1")


def test_train_report_unknown_names() -> None:
    with pytest.raises(LlmsizingError):
        train_report("llama-9", "p5e.48xlarge", TrainingSetup())
    with pytest.raises(LlmsizingError):
        train_report("llama-3.1-8b", "p5e.96xlarge", TrainingSetup())


# ------------------------------------------------- stage memory and the searches
def test_stage_memory_shards_routed_experts_over_their_dp_group() -> None:
    # Mixtral, EP 4 on DP 8 with ZeRO-3: dense parameters D are sharded over the 8 DP ranks,
    # each rank's quarter of the routed experts R over the dp·cp / ep = 2 ranks holding it
    routed = 32 * 8 * 3 * 4096 * 14336
    dense = load_model("mixtral-8x7b").param_counts().total - routed
    s = TrainingSetup(seq_length=4096, expert_parallel=4, zero_stage=3)
    t = StageMemory(load_model("mixtral-8x7b"), s).terms([8])
    assert t.weights[0, 0] == pytest.approx(2 * (dense / 8 + routed / 4 / 2))
    assert t.gradients[0, 0] == pytest.approx(2 * (dense / 8 + routed / 4 / 2))
    assert t.optimizer[0, 0] == pytest.approx(12 * (dense / 8 + routed / 4 / 2))


def test_stage_memory_of_many_layouts_matches_each_alone() -> None:
    # layouts of different pipeline depths share one padded array; padding must not leak
    m = load_model("llama-3.1-70b")
    setups = [
        TrainingSetup(tensor_parallel=tp, pipeline_parallel=pp, zero_stage=z)
        for tp, pp, z in [(8, 1, 1), (4, 4, 3), (2, 16, 1), (8, 2, 0)]
    ]
    dps = [2, 4, 8, 1]
    many = StageMemory(m, setups).peak_bytes(dps)
    for i, (s, dp) in enumerate(zip(setups, dps, strict=True)):
        alone = training_memory_per_device(m, s, data_parallel=dp)
        assert many[i] == pytest.approx(_b(alone.total), rel=1e-12)
        assert len(alone.stage_totals_GiB) == s.pipeline_parallel


def test_in_flight_microbatches_broadcast_over_layouts() -> None:
    # one row per layout, one column per stage of the deepest; stages a layout lacks hold 0
    got = in_flight_microbatches([1, 4, 2], [8, 8, 1])
    assert got.tolist() == [[1, 0, 0, 0], [4, 3, 2, 1], [1, 1, 0, 0]]


@given(
    per=st.sampled_from([1, 4, 6, 8, 16, 64, 72]),
    mp=st.sampled_from([1, 2, 3, 4, 8, 16, 24, 64]),
    ep=st.sampled_from([1, 2, 4, 8, 16, 64, 256]),
    cp=st.sampled_from([1, 2, 4]),
)
def test_instance_step_is_the_smallest_valid_count(per: int, mp: int, ep: int, cp: int) -> None:
    # the definition: n instances are valid when mp | n·per and ep | dp·cp, dp = n·per / mp
    def valid(n: int) -> bool:
        return (n * per) % mp == 0 and ((n * per // mp) * cp) % ep == 0

    step = int(instance_step(per, mp, ep, cp))
    assert valid(step) and not any(valid(n) for n in range(1, step))
    assert all(valid(k * step) for k in range(1, 5))


def test_min_instances_matches_a_linear_scan(cat: Catalog) -> None:
    # the search bisects over valid counts; scan them one by one with the public function
    inst = cat.get("p5e.48xlarge")
    usable = _b(inst.accelerator_memory_usable)
    m = load_model("llama-3.1-70b")
    for s in [
        TrainingSetup(tensor_parallel=4, pipeline_parallel=2, zero_stage=3),
        TrainingSetup(tensor_parallel=8, zero_stage=1, micro_batch_size=2),
        TrainingSetup(tensor_parallel=2, pipeline_parallel=8, zero_stage=1),
    ]:
        scan = next(
            n
            for n in range(1, 512)
            if (n * 8) % s.model_parallel == 0
            and _b(training_memory_per_device(m, s, n * 8 // s.model_parallel).total) <= usable
        )
        assert fit_training(m, inst, s).min_instances == scan


def test_check_data_parallel() -> None:
    s = TrainingSetup(global_batch_tokens=16 * 8192, micro_batch_size=2)
    check_data_parallel(s, 8)  # 8 ranks x 2 sequences = the 16 of the global batch
    with pytest.raises(WorkloadError, match="exceeds the global batch of 16 sequences"):
        check_data_parallel(s, 16)


def test_training_plan_module_still_exports_its_names() -> None:
    import llmsizing.training as training
    import llmsizing.training_plan as plan

    for name in plan.__all__:
        assert getattr(plan, name) is getattr(training, name)


@pytest.mark.parametrize(
    "name",
    sorted(m.name for m in pkgutil.iter_modules(training_pkg.__path__, "llmsizing.training.")),
)
def test_training_docstring_examples(name: str) -> None:
    # tests/test_doctests.py walks the top-level modules only
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
