"""Vision towers of multimodal checkpoints: counted tensor by tensor, loaded as engines do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import llmsizing as ls

CONFIGS = Path(__file__).parent / "data" / "engine_logs" / "configs"

# Architecture keys of the released config.json of Qwen/Qwen2.5-VL-7B-Instruct (text keys at
# the top level, as the checkpoint ships them)
QWEN25_VL_7B = {
    "model_type": "qwen2_5_vl",
    "hidden_act": "silu",
    "hidden_size": 3584,
    "intermediate_size": 18944,
    "max_position_embeddings": 128000,
    "max_window_layers": 28,
    "num_attention_heads": 28,
    "num_hidden_layers": 28,
    "num_key_value_heads": 4,
    "rms_norm_eps": 1e-06,
    "rope_theta": 1000000.0,
    "sliding_window": 32768,
    "tie_word_embeddings": False,
    "use_sliding_window": False,
    "vocab_size": 152064,
    "vision_config": {
        "depth": 32,
        "hidden_act": "silu",
        "hidden_size": 1280,
        "intermediate_size": 3420,
        "num_heads": 16,
        "in_chans": 3,
        "out_hidden_size": 3584,
        "patch_size": 14,
        "spatial_merge_size": 2,
        "window_size": 112,
        "temporal_patch_size": 2,
    },
}
QWEN2_VL_7B = QWEN25_VL_7B | {
    "model_type": "qwen2_vl",
    "vision_config": {
        "depth": 32,
        "embed_dim": 1280,
        "mlp_ratio": 4,
        "num_heads": 16,
        "in_chans": 3,
        "hidden_size": 3584,
        "patch_size": 14,
        "spatial_merge_size": 2,
        "temporal_patch_size": 2,
    },
}


def test_qwen25_vl_vision_by_hand_and_published_total() -> None:
    pc = ls.read_hf_config(QWEN25_VL_7B).param_counts()
    w, i, out = 1280, 3420, 3584
    block = 2 * w + (w * 3 * w + 3 * w) + (w * w + w) + 2 * (w * i + i) + (i * w + w)
    merger = w + (4 * w * 4 * w + 4 * w) + (4 * w * out + out)
    patch = w * 3 * 2 * 14 * 14  # Conv3d, no bias
    assert pc.vision == patch + 32 * block + merger
    # Hugging Face lists 8,292,166,656 parameters for Qwen2.5-VL-7B-Instruct
    assert pc.total_with_vision == 8_292_166_656
    assert pc.total == 7_615_616_512  # the text model alone, as before


def test_qwen2_vl_published_total() -> None:
    pc = ls.read_hf_config(QWEN2_VL_7B).param_counts()
    w = 1280
    block = 4 * w + (w * 3 * w + 3 * w) + (w * w + w) + (w * 4 * w + 4 * w) + (4 * w * w + w)
    merger = 2 * w + (4 * w * 4 * w + 4 * w) + (4 * w * 3584 + 3584)
    assert pc.vision == w * 3 * 2 * 14 * 14 + 32 * block + merger
    assert round(pc.total_with_vision / 1e9, 2) == 8.29  # "8.29B params" on Hugging Face


def test_gemma3_siglip_and_projector() -> None:
    pc = ls.load_model("gemma-3-27b").param_counts()
    h, i = 1152, 4304
    layer = 4 * h + 4 * (h * h + h) + (h * i + i) + (i * h + h)
    siglip = (h * 3 * 14 * 14 + h) + 4096 * h + 27 * layer + 2 * h
    assert pc.vision == siglip + h + h * 5376
    # Hugging Face lists 27,432,406,640 parameters for gemma-3-27b-it
    assert pc.total_with_vision == 27_432_406_640


def test_qwen3_vl_deepstack_mergers_by_hand() -> None:
    m = ls.load_model("tests/data/real_configs/dev/Qwen--Qwen3-VL-8B-Instruct.json")
    h, i, out = 1152, 4304, 4096
    block = 4 * h + (h * 3 * h + 3 * h) + (h * h + h) + (h * i + i) + (i * h + h)
    fc = (4 * h * 4 * h + 4 * h) + (4 * h * out + out)
    vision = (h * 3 * 2 * 16 * 16 + h) + 2304 * h + 27 * block + (2 * h + fc) + 3 * (8 * h + fc)
    assert m.param_counts().vision == vision


def test_engines_load_the_tower_the_generic_planner_does_not() -> None:
    m = ls.read_hf_config(QWEN25_VL_7B)
    vision = m.param_counts().vision * 2  # bf16 bytes
    w = {"context_len": 4096}
    lay = ls.Layout(tp=2)
    plain = ls.fit(m, "p5.48xlarge", w, layout=lay).weights_bytes
    served = ls.fit(m, "p5.48xlarge", w, layout=lay, engine="vllm").weights_bytes
    # the engine also holds its RoPE table on every rank (memory.rope_cache_bytes)
    rope = ls.rope_cache_bytes(m).to("B").magnitude
    assert served - plain == pytest.approx(vision / 2 + rope, rel=1e-12)  # split over TP 2
    off = ls.fit(m, "p5.48xlarge", w | {"include_vision": False}, layout=lay, engine="vllm")
    assert off.weights_bytes == pytest.approx(plain + rope)
    on = ls.fit(m, "p5.48xlarge", w | {"include_vision": True}, layout=lay)
    assert on.weights_bytes == pytest.approx(served - rope)
    assert ls.weight_memory(m, "bf16", include_vision=True) - ls.weight_memory(m, "bf16") == (
        vision * ls.units.BYTE
    )


def test_llama4_vision_and_published_total() -> None:
    pc = ls.load_model("llama-4-scout").param_counts()
    h, i, layers = 1408, 5632, 34
    layer = 4 * (h * h + h) + (h * i + i) + (i * h + h) + 4 * h
    encoder = (h * 3 * 14 * 14) + h + 577 * h + 4 * h + layers * layer
    adapter = i * 4096 + 4096 * 4096  # pixel-shuffle MLP, no bias
    assert pc.vision == encoder + adapter + 4096 * 5120  # and the projector into the text
    # Hugging Face lists 108,641,793,536 parameters for Llama-4-Scout-17B-16E-Instruct
    assert pc.total_with_vision == 108_641_793_536


def test_a_tower_that_is_not_modelled_says_so() -> None:
    # a Gemma 4 tower with grouped KV heads is not the encoder the library follows
    cfg = json.loads((CONFIGS / "google--gemma-4-26B-A4B.json").read_text())
    cfg["vision_config"]["num_key_value_heads"] = 4
    m = ls.read_hf_config(cfg)
    assert m.vision is None
    assert any("vision tower" in a for a in m.assumed)


def test_a_vision_config_missing_a_size_names_it() -> None:
    bad = QWEN25_VL_7B | {"vision_config": {"hidden_size": 1280, "intermediate_size": 3420}}
    with pytest.raises(ls.ConfigError, match="'depth'"):
        ls.read_hf_config(bad)


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("depth", 10**30, "'depth' is a 31-digit number"),
        ("depth", 10**5, "'depth' is 100,000, beyond any vision tower"),
        ("depth", True, "'depth' must be an integer"),
        ("hidden_size", "1280", "'hidden_size' must be an integer"),
    ],
)
def test_an_impossible_vision_size_is_refused(key: str, value: object, says: str) -> None:
    bad = QWEN25_VL_7B | {"vision_config": QWEN25_VL_7B["vision_config"] | {key: value}}
    with pytest.raises(ls.ConfigError, match=says):
        ls.read_hf_config(bad)


def test_a_negative_mlp_ratio_is_refused() -> None:
    bad = QWEN2_VL_7B | {"vision_config": QWEN2_VL_7B["vision_config"] | {"mlp_ratio": -1}}
    with pytest.raises(ls.ConfigError, match="'mlp_ratio' must be a non-negative number"):
        ls.read_hf_config(bad)


def test_a_quantization_config_with_nonsense_sizes_is_refused_by_name() -> None:
    cfg = QWEN25_VL_7B | {"quantization_config": {"quant_method": "awq", "group_size": True}}
    m = ls.read_hf_config(cfg)
    with pytest.raises(ls.LlmsizingError, match="'awq' is not modelled"):
        ls.weight_memory(m, "native")


def test_gemma4_vision_tower_by_hand() -> None:
    # gemma-4-26B-A4B vision_config: 27 layers, width 1152 (16 heads x 72), MLP 4304,
    # patch 16, a 2 x 10240 position table, standardize; the text width is 2816
    m = ls.load_model(str(CONFIGS / "google--gemma-4-26B-A4B.json"))
    h, inter = 1152, 4304
    layer = 4 * h * h + 2 * 72 + 3 * h * inter + 4 * h  # q/k/v/o, q/k norms, MLP, 4 norms
    patch = h * 3 * 16 * 16 + 2 * 10240 * h
    assert m.param_counts().vision == patch + 27 * layer + 2 * h + h * 2816
