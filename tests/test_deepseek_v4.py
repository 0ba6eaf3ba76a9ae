"""DeepSeek-V4: parameters, checkpoint formats, KV cache and refusals.

Ground truth: transformers' counts of the four released configs
(``tests/data/hf_param_counts_real.json``, meta device), the model card's totals
(V4-Pro "1.6T parameters (49B activated)", V4-Flash "284B (13B activated)"), the
size of V4-Flash's checkpoint (``model.safetensors.index.json``: 159,609,485,896
bytes, as steadfastgaze/MoEspresso's inventory records it), and vLLM's cache layout
(``docs/models/deepseek-v4.md``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import llmsizing as ls
from llmsizing.attention import CompressedKVSpec, layer_specs
from llmsizing.errors import ConfigError, WorkloadError
from llmsizing.memory import (
    kv_cache_bytes_per_token,
    kv_cache_memory,
    state_bytes_per_sequence,
    weight_memory,
)

DATA = Path(__file__).parent / "data"
FLASH = DATA / "real_configs" / "dev" / "deepseek-ai--DeepSeek-V4-Flash.json"
PRO = DATA / "real_configs" / "heldout" / "deepseek-ai--DeepSeek-V4-Pro.json"
COUNTS = json.loads((DATA / "hf_param_counts_real.json").read_text())["models"]


@pytest.mark.parametrize(
    "key",
    [k for k, v in COUNTS.items() if v.get("model_type") == "deepseek_v4"],
)
def test_counts_are_transformers_exactly(key: str) -> None:
    entry = COUNTS[key]
    pc = ls.read_hf_config(json.loads((Path(__file__).parents[1] / entry["source"]).read_text()))
    pc_ = pc.param_counts()
    assert pc_.total == entry["total"] and pc_.active == entry["active"]
    b = entry["breakdown"]
    assert pc_.attention == b["attention"] and pc_.routed_experts == b["routed_experts"]
    assert pc_.router == b["router"] and pc_.shared_experts == b["shared_experts"]
    # transformers files the hyper-connections under "other"; here they are with the norms
    assert pc_.norms == b["norms"] + b["other"]


def test_totals_as_the_model_card_states_them() -> None:
    # published totals leave the MTP block out and the activated counts the input embedding
    flash, pro = (ls.read_hf_config(json.loads(p.read_text())).param_counts() for p in (FLASH, PRO))
    assert round(flash.total / 1e9) == 284 and round(flash.active_excluding_embedding / 1e9) == 13
    assert round(pro.total / 1e12, 1) == 1.6 and round(pro.active_excluding_embedding / 1e9) == 49
    assert flash.extra > 0 and round((flash.total + flash.extra) / 1e9) == 291


def test_one_layer_by_hand() -> None:
    # V4-Pro layer 2 (ratio 4): H 7168, 128 heads of 512, q_lora 1536, 16 output groups of
    # o_lora 1024, index 64 heads of 128; 384 experts of 3072 and one shared expert
    m = ls.read_hf_config(json.loads(PRO.read_text()))
    h, nh, d, qr, og, orr = 7168, 128, 512, 1536, 16, 1024
    attn = nh + qr * h + qr + nh * d * qr + d * h + d + og * orr * (nh * d // og) + h * og * orr
    compressor = 4 * 2 * d + 2 * (2 * d) * h + d
    indexer = 64 * 128 * qr + 64 * h + (4 * 2 * 128 + 2 * (2 * 128) * h + 128)
    mix = (2 + 4) * 4
    hc = 2 * (mix * 4 * h + mix + 3)
    ffn = 384 * h + 3 * 384 * 3072 * h + 3 * 3072 * h
    layer = attn + compressor + indexer + hc + ffn + 2 * h
    assert sum(t.numel for t in m.tensors() if t.layer == 2 and not t.mtp) == layer


def test_checkpoint_bytes_with_its_formats() -> None:
    # FP8 blocks, MXFP4 experts, bf16 embeddings, head, norms and compressors; the MTP block
    # is in the checkpoint too. Left out: fp32 (hyper-connections, sinks) kept at 2 bytes
    m = ls.read_hf_config(json.loads(FLASH.read_text()))
    assert m.checkpoint_quantization is not None
    assert (m.checkpoint_quantization.linear, m.checkpoint_quantization.experts) == (
        "fp8",
        "mxfp4",
    )
    stored = weight_memory(m, "native", include_extra=True).to("byte").magnitude
    assert stored == pytest.approx(159_609_485_896, rel=1e-3)


def test_kv_cache_in_vllms_fp8_layout() -> None:
    # per token: a ratio-4 layer 584 / 4 bytes of compressed entry and (128 + 4) / 4 of
    # indexer key, a ratio-128 layer 584 / 128; V4-Pro has 30 of the first, 31 of the second
    m = ls.read_hf_config(json.loads(PRO.read_text()))
    assert kv_cache_bytes_per_token(m, "fp8").magnitude == pytest.approx(
        30 * (584 / 4 + 132 / 4) + 31 * 584 / 128
    )
    # bf16 entries: 1024 bytes each
    assert kv_cache_bytes_per_token(m, "bf16").magnitude == pytest.approx(
        30 * (1024 / 4 + 33) + 31 * 1024 / 128
    )
    # per sequence, besides: the 128-token window of raw entries on every layer and the
    # compressors' fp32 kv and score states (2 x 8 x 1024, index 2 x 8 x 256; 2 x 128 x 512)
    window = 61 * 128 * 512 * 2
    states = 30 * (2 * 8 * 1024 + 2 * 8 * 256) * 4 + 31 * 2 * 128 * 512 * 4
    assert state_bytes_per_sequence(m).magnitude == window + states
    specs = layer_specs(m)
    assert all(isinstance(s[0], CompressedKVSpec) for s in specs)
    # the cache grows linearly in the context and never above a full-attention cache
    one, two = (kv_cache_memory(m, t, 1, "fp8").magnitude for t in (65536, 131072))
    assert two == pytest.approx(2 * one)


def test_generic_sizing_runs_and_engines_refuse_by_name() -> None:
    m = ls.read_hf_config(json.loads(FLASH.read_text()))
    w = ls.Workload(context_len=65536, batch=4)
    r = ls.fit(m, "p5en.48xlarge", w)
    assert r.fits and r.kv_cache.magnitude > 0
    with pytest.raises(WorkloadError, match="not modelled; size it with engine=None"):
        ls.kv_cache_capacity(m, "p5en.48xlarge", w, engine="vllm")
    est = ls.estimate_performance(m, "p5en.48xlarge", w.model_copy(update={"prompt_len": 4096}))
    assert est.tokens_per_s.magnitude > 0


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"num_key_value_heads": 8}, "num_key_value_heads"),
        ({"o_groups": 7}, "o_groups"),
        ({"compress_ratios": [4, 128]}, "compress_ratios"),
        ({"compress_ratios": None}, "compress_ratios"),
        ({"hc_mult": None}, "hc_mult"),
    ],
)
def test_bad_configs_name_the_field(change: dict[str, object], words: str) -> None:
    cfg = json.loads(FLASH.read_text()) | change
    cfg = {k: v for k, v in cfg.items() if v is not None}
    with pytest.raises(ConfigError, match=words):
        ls.read_hf_config(cfg)


def test_against_mha_the_compressed_cache_is_a_sliver() -> None:
    # plain MHA of the same 128 heads: K and V of 512 per head and token on 61 layers
    m = ls.read_hf_config(json.loads(PRO.read_text()))
    base = ls.memory.as_mha(m)
    assert kv_cache_bytes_per_token(base, "bf16").magnitude == 61 * 128 * 2 * 512 * 2
    cut = float(ls.memory.kv_cache_reduction(m, base, 131072, "bf16"))
    assert cut == pytest.approx(1 - 8918 / (61 * 128 * 2 * 512 * 2), rel=1e-9)


def test_an_impossible_compressed_layout_is_rejected_with_the_reason() -> None:
    m = ls.read_hf_config(json.loads(FLASH.read_text()))
    assert m.compressed_attention is not None
    bad = m.compressed_attention.model_copy(update={"ratios": (4,)})
    with pytest.raises(ValueError, match="ratios has 1 entries for 43 layers"):
        ls.ModelConfig(**{**m.model_dump(), "compressed_attention": bad.model_dump()})
