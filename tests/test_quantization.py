"""A checkpoint's quantization_config read into the format of every tensor, counted by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import llmsizing as ls
from llmsizing.dtypes import weight_dtype
from llmsizing.engines import ENGINES, engine_profile
from llmsizing.hf.quantization import checkpoint_quantization
from llmsizing.memory import (
    WeightPolicy,
    module_matches,
    native_weight_policy,
    resolve_weight_policy,
    tensor_bytes,
)
from llmsizing.model import Tensor
from llmsizing.per_rank import padded_expert_factor

ROOT = Path(__file__).resolve().parent
PRESETS = ROOT.parent / "src" / "llmsizing" / "data" / "models"


def _with_quant(preset: str, quant: dict) -> ls.ModelConfig:
    data = json.loads((PRESETS / f"{preset}.json").read_text())
    data["quantization_config"] = quant
    return ls.read_hf_config(data)


# ------------------------------------------------------------------ patterns
@pytest.mark.parametrize(
    ("name", "pattern", "hit"),
    [
        ("layers.3.self_attn.q_proj", "model.layers.*.self_attn", True),  # gpt-oss glob
        ("layers.3.mlp.experts.up_proj", "model.layers.*.self_attn", False),
        ("layers.0.mlp.down_proj", "model.layers.0.mlp.down_proj", True),  # exact module
        ("layers.10.mlp.down_proj", "model.layers.1.mlp.down_proj", False),  # no prefix slip
        ("layers.0.mlp.gate", "gate", True),  # segment match (MiniMax's router)
        ("layers.0.mlp.gate_proj", "gate", False),
        ("layers.5.self_attn.o_proj", "re:.*self_attn.*", True),  # compressed-tensors regex
        ("layers.5.mlp.gate_proj", r"re:.*mlp\.(gate|up|gate_up|down)_proj.*", True),
        ("layers.5.mlp.experts.gate_proj", r"re:.*mlp\.(gate|up|gate_up|down)_proj.*", False),
        ("layers.2.self_attn.k_proj", "*.attn.*", True),  # self_attn = attn
        ("layers.2.mlp.shared_experts.up_proj", "*.mlp.shared_expert.*", True),  # plural
        ("layers.2.mlp.experts.up_proj", "language_model.model.layers.2.mlp*", True),
        ("layers.0.self_attn.q_proj", "model.language_model.layers.0.self_attn*", True),
        ("layers.1.self_attn.q_proj", "model.layers.0*", False),
        ("lm_head", "lm_head", True),
    ],
)
def test_module_patterns(name: str, pattern: str, hit: bool) -> None:
    assert module_matches(name, pattern) is hit


# ------------------------------------------------------------------ formats
def test_new_formats_by_hand() -> None:
    t = Tensor("w", "dense_ffn", "matrix", (4096, 1024))
    n = 4096 * 1024
    assert tensor_bytes(t, weight_dtype("fp8-tensor")) == n + 4  # one fp32 scale
    assert tensor_bytes(t, weight_dtype("fp8-channel")) == n + 4096 * 4  # fp32 per row
    assert tensor_bytes(t, weight_dtype("mxfp8")) == n + 4096 * (1024 // 32)  # E8M0 per 32
    # group 32, fp16 scale + 4-bit zero point per group
    assert tensor_bytes(t, weight_dtype("int4-g32-zp")) == n // 2 + 4096 * 32 * 20 // 8
    assert tensor_bytes(t, weight_dtype("int4-g64")) == n // 2 + 4096 * 16 * 2
    assert tensor_bytes(t, weight_dtype("nf4")) == n // 2 + (n // 64) * 4
    with pytest.raises(ls.LlmsizingError, match="int4-g64"):
        weight_dtype("int4-g0")


# ------------------------------------------------------------------ reading
def test_methods_map_to_formats() -> None:
    fp8 = checkpoint_quantization(
        {"quant_method": "fp8", "weight_block_size": [128, 128], "activation_scheme": "dynamic"}
    )
    assert fp8 is not None and fp8.linear == "fp8"
    per_tensor = checkpoint_quantization({"quant_method": "fp8", "activation_scheme": "static"})
    assert per_tensor is not None and per_tensor.linear == "fp8-tensor"
    awq = checkpoint_quantization({"quant_method": "awq", "bits": 4, "group_size": 128})
    assert awq is not None and awq.linear == "int4-g128-zp"
    gptq = checkpoint_quantization({"quant_method": "gptq", "bits": 4, "group_size": -1})
    assert gptq is not None and gptq.linear == "int4-channel-zp"
    bnb = checkpoint_quantization(
        {"quant_method": "bitsandbytes", "load_in_4bit": True, "bnb_4bit_use_double_quant": True}
    )
    assert bnb is not None and bnb.linear == "nf4-dq"
    ct = checkpoint_quantization(
        {
            "quant_method": "compressed-tensors",
            "config_groups": {
                "g": {
                    "targets": ["Linear"],
                    "weights": {"num_bits": 4, "type": "int", "group_size": 32},
                }
            },
            "ignore": ["lm_head", "re:.*self_attn.*"],
        }
    )
    assert ct is not None and ct.linear == "int4-g32"
    assert ct.modules == (("lm_head", "bf16"), ("re:.*self_attn.*", "bf16"))
    nv = checkpoint_quantization(
        {
            "quant_algo": "FP8",
            "producer": {"name": "modelopt"},
            "ignore": ["lm_head"],
        }
    )
    assert nv is not None and (nv.method, nv.linear) == ("modelopt", "fp8-tensor")


def test_mixed_precision_lists_fold_into_rules() -> None:
    layers = {f"model.layers.{i}.mlp.down_proj": {"quant_algo": "NVFP4"} for i in range(40)}
    layers |= {f"model.layers.{i}.self_attn.o_proj": {"quant_algo": "FP8"} for i in range(40)}
    q = checkpoint_quantization(
        {"quant_method": "modelopt", "quant_algo": "MIXED_PRECISION", "quantized_layers": layers}
    )
    assert q is not None
    assert q.modules == (
        ("model.layers.*.mlp.down_proj", "nvfp4"),
        ("model.layers.*.self_attn.o_proj", "fp8-tensor"),
    )


def test_unknown_method_is_refused_by_name() -> None:
    m = _with_quant("llama-3.1-8b", {"quant_method": "hqq", "nbits": 4})
    assert ls.weight_memory(m, "bf16").magnitude > 0  # an explicit dtype still works
    with pytest.raises(ls.LlmsizingError, match="'hqq' is not modelled"):
        ls.weight_memory(m, "native")


# ------------------------------------------------------------------ totals
def test_llama_405b_fbgemm_fp8_by_hand() -> None:
    """Meta's FP8 recipe: FFN in row-wise FP8 except layers 0 and 125; attention in bf16."""
    cfg = ROOT / "data" / "engine_logs" / "configs"
    m = ls.load_model(str(cfg / "meta-llama--Meta-Llama-3.1-405B-Instruct-FP8.json"))
    h, f, layers, vocab = 16384, 53248, 126, 128256
    attn = (h * h * 2 + 2 * h * 1024) * 2 * layers  # q, o and k, v (8 KV heads x 128) in bf16
    ffn_fp8 = (3 * h * f + (2 * f + h) * 4) * (layers - 2)  # + one fp32 scale per output row
    ffn_bf16 = 3 * h * f * 2 * 2
    emb = 2 * vocab * h * 2  # untied embedding and head
    norms = (2 * layers + 1) * h * 2
    expected = attn + ffn_fp8 + ffn_bf16 + emb + norms
    assert ls.weight_memory(m, "native").to("B").magnitude == expected


def test_gpt_oss_native_is_mxfp4_experts_only() -> None:
    m = ls.load_model("gpt-oss-20b")
    p = native_weight_policy(m)
    expert = next(t for t in m.tensors() if t.experts and t.kind == "matrix")
    attn = next(t for t in m.tensors() if t.role == "q" and t.kind == "matrix")
    assert p.dtype_for(expert).name == "mxfp4"
    assert p.dtype_for(attn).name == "bf16"
    assert resolve_weight_policy("native", m) == p


def test_unquantised_checkpoint_is_16_bit() -> None:
    m = ls.load_model("llama-3.1-8b")
    assert native_weight_policy(m) == WeightPolicy()
    assert ls.weight_memory(m, "native") == ls.weight_memory(m, "bf16")


def test_ignore_lists_reach_the_planner() -> None:
    """A module rule changes the per-rank weights fit() reports, not only weight_memory."""
    quant = {
        "quant_method": "fp8",
        "weight_block_size": [128, 128],
        "modules_to_not_convert": ["model.layers.*.self_attn"],
    }
    m = _with_quant("llama-3.1-8b", quant)
    plain = _with_quant(
        "llama-3.1-8b", {k: v for k, v in quant.items() if k != "modules_to_not_convert"}
    )
    w = {"context_len": 4096, "weight_dtype": "native"}
    a = ls.fit(m, "p5.48xlarge", w, layout=ls.Layout(tp=1)).weights_bytes
    b = ls.fit(plain, "p5.48xlarge", w, layout=ls.Layout(tp=1)).weights_bytes
    # attention of 32 layers kept in bf16: one more byte per element, less the fp8 block scales
    h, kv = 4096, 1024
    elements = (2 * h * h + 2 * kv * h) * 32
    scales = (2 * (h // 128) ** 2 + 2 * (kv // 128) * (h // 128)) * 4 * 32
    assert a - b == elements - scales


# ------------------------------------------------------------------ padding
def test_padded_expert_factor_by_hand() -> None:
    # A100, TP 4, vLLM Marlin: 720 -> 768 intermediate, 2880 -> 3072 hidden
    assert float(padded_expert_factor(2880, 2880, 4, 128, 256)) == pytest.approx(
        768 * 3072 / (720 * 2880)
    )
    assert float(padded_expert_factor(4096, 4096, 2, 128, 256)) == 1.0


def test_vllm_pads_mxfp4_experts_on_ampere_only_where_shapes_demand() -> None:
    m = ls.load_model("gpt-oss-120b")
    w = {"context_len": 8192, "weight_dtype": "native"}
    lay = ls.Layout(tp=4)
    plain = ls.fit(m, "p4de.24xlarge", w, layout=lay).weights_bytes
    padded = ls.fit(m, "p4de.24xlarge", w, layout=lay, engine="vllm").weights_bytes
    routed = ls.weight_memory_by_component(m, "native")["routed_experts"].to("B").magnitude
    assert ENGINES["vllm"].mxfp4_alignment("nvidia-ampere") == (128, 256)
    extra = routed / 4 * (768 * 3072 / (720 * 2880) - 1)
    # the engine also holds its RoPE table on every rank: 131,072 positions x 64 x 2 B
    rope = 131072 * 64 * 2
    assert padded - plain == pytest.approx(extra + rope, rel=1e-9)
    # bf16 experts are not an MXFP4 kernel's: no padding
    w16 = {"context_len": 8192, "weight_dtype": "bf16"}
    assert ls.fit(m, "p4de.24xlarge", w16, layout=lay, engine="vllm").weights_bytes == (
        pytest.approx(ls.fit(m, "p4de.24xlarge", w16, layout=lay).weights_bytes + rope)
    )


def test_vllm_marlin_fallback_pads_mxfp4_experts_on_hopper() -> None:
    # calibration.yaml vllm-23278-* and heldout8.yaml aimo3-*: gpt-oss-120b on one H100,
    # "Weight-only FP4 compression will be used leveraging the Marlin kernel", 65.97 GiB;
    # Marlin pads 2880 -> 2944 intermediate and 2880 -> 3072 hidden, the Triton
    # kernels' layout the intermediate only, 2880 -> 3072
    m = ls.load_model("gpt-oss-120b")
    w = {"context_len": 8192, "weight_dtype": "native"}
    lay = ls.Layout(tp=1)
    triton = ls.fit(m, "p5.48xlarge", w, layout=lay, engine="vllm-0.10").weights_bytes
    marlin = ls.fit(m, "p5.48xlarge", w, layout=lay, engine="vllm-0.10:marlin").weights_bytes
    routed = ls.weight_memory_by_component(m, "native")["routed_experts"].to("B").magnitude
    expected = routed * (2944 * 3072 / (2880 * 2880) - 3072 / 2880)
    assert marlin - triton == pytest.approx(expected, rel=1e-9)
    assert marlin / 2**30 == pytest.approx(65.97, rel=0.01)
    assert engine_profile("vllm-0.10:offline:marlin").batched_tokens_small == 8192


def test_per_expert_module_names_quantize_the_stacked_experts() -> None:
    # NVIDIA's MiniMax-M3 NVFP4 export lists each routed expert's w1 / w2 / w3
    # (``language_model.model.layers.*.block_sparse_moe.experts.N.w1``, nvfp4) and the
    # shared experts and attention in mxfp8: the stacked experts llmsizing counts take
    # NVFP4's 4 bits plus one fp8 scale per 16 values, 4.5 bits per parameter
    from llmsizing.memory import module_matches

    pat = "language_model.model.layers.*.block_sparse_moe.experts.{}.{}"
    assert module_matches("layers.3.mlp.experts.gate_proj", pat.format(0, "w1"))
    assert module_matches("layers.3.mlp.experts.up_proj", pat.format(17, "w3"))
    assert module_matches("layers.3.mlp.experts.down_proj", pat.format(5, "w2"))
    assert not module_matches("layers.3.mlp.experts.down_proj", pat.format(0, "w1"))
    assert module_matches("layers.3.mlp.experts.gate_proj", "layers.*.mlp.experts.*.gate_proj")
    path = Path(__file__).parent / "data/real_configs/heldout/nvidia--MiniMax-M3-NVFP4.json"
    m = ls.load_model(str(path))
    routed = m.param_counts().routed_experts
    got = ls.weight_memory_by_component(m, "native")["routed_experts"].to("B").magnitude
    assert got == pytest.approx(routed * 4.5 / 8, rel=1e-9)


def test_auto_round_reads_as_gptq_with_its_extra_config() -> None:
    """AutoRound: AutoGPTQ packing at ``bits``/``group_size``; ``extra_config`` layers apart."""
    q = {
        "quant_method": "auto-round",
        "bits": 4,
        "group_size": 128,
        "sym": True,
        "packing_format": "auto_round:auto_gptq",
        "extra_config": {"model.layers.0.mlp.down_proj": {"bits": 16, "data_type": "fp"}},
    }
    cq = checkpoint_quantization(q)
    assert cq is not None and cq.linear == "int4-g128-zp"
    assert cq.modules == (("model.layers.0.mlp.down_proj", "bf16"),)
    legacy = checkpoint_quantization(
        {"quant_method": "intel/auto-round", "bits": 8, "group_size": -1}
    )
    assert legacy is not None and legacy.linear == "int8-channel-zp"
    two_bit = checkpoint_quantization({"quant_method": "auto-round", "bits": 2})
    assert two_bit is not None and two_bit.linear is None  # a width not modelled: refused
    m = _with_quant("llama-3.1-8b", q)
    plain = _with_quant("llama-3.1-8b", {k: v for k, v in q.items() if k != "extra_config"})
    got = ls.weight_memory(m, "native").to("B").magnitude
    base = ls.weight_memory(plain, "native").to("B").magnitude
    # layer 0's down_proj (14336 -> 4096) in bf16 instead of 4-bit with one fp16 scale
    # and one 4-bit zero point per 128 inputs of each output row
    n = 14336 * 4096
    assert got - base == n * 2 - (n // 2 + n // 128 * 2 + n // 128 // 2)
