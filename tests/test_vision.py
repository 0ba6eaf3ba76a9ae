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
    # the engine also holds its RoPE table on every rank (memory.rope_cache_bytes): M-RoPE,
    # so vLLM's MRotaryEmbedding builds 4 x 128,000 rows of 128 dims
    assert m.mrope
    rope = ls.rope_cache_bytes(m, mrope_factor=4).to("B").magnitude
    assert rope == 4 * m.max_position_embeddings * 128 * 2
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


# Audio encoder towers (for tests/test_vision.py; it already imports ls and pytest). Expected
# counts are worked from the class defaults' shapes in transformers 5.24, layer by layer.


def _whisper_encoder(d: int, ffn: int, mel: int, layers: int, positions: int) -> int:
    """Qwen2AudioEncoder / VoxtralEncoder: conv stem, position table, layers, layer_norm."""
    stem = (d * mel * 3 + d) + (d * d * 3 + d)  # conv1, conv2 (kernel 3, biased)
    attn = 4 * d * d + 3 * d  # q/k/v/out_proj; k_proj has no bias
    layer = attn + (d * ffn + ffn) + (ffn * d + d) + 2 * 2 * d  # fc1, fc2, two LayerNorms
    return stem + positions * d + layers * layer + 2 * d


def test_qwen2_audio_and_voxtral_count_their_whisper_encoder_and_projector() -> None:
    # Qwen2AudioConfig(): Qwen2AudioEncoderConfig (1280 wide, 32 layers, 5120 FFN, 128 mel
    # bins, 1500 positions) and Qwen2AudioMultiModalProjector: Linear(1280, 4096) + bias
    m = ls.read_hf_config({"model_type": "qwen2_audio"})
    assert m.vision is not None and m.vision.kind == "whisper"
    encoder = _whisper_encoder(1280, 5120, 128, 32, 1500)
    assert m.param_counts().vision == encoder + 1280 * 4096 + 4096
    assert not any("not counted" in a for a in m.assumed)
    # VoxtralConfig(): the same encoder; VoxtralMultiModalProjector: linear_1 reads
    # audio_config.intermediate_size (5120) into 3072, linear_2 3072 -> 3072, no biases
    v = ls.read_hf_config({"model_type": "voxtral"}).param_counts()
    assert v.vision == encoder + 5120 * 3072 + 3072 * 3072
    assert v.total_with_vision == v.total + v.vision


def test_granite_speech_conformer_and_qformer_by_hand() -> None:
    # GraniteSpeechEncoderConfig(): input_dim 160, hidden_dim 1024, 10 layers, FFN x4,
    # 8 heads x 128, max_pos_emb 512, conv x2 with kernel 15, CTC output_dim 42
    h, ff, inner, ci, ctc = 1024, 4096, 1024, 2048, 42
    ffn = 2 * h + (h * ff + ff) + (ff * h + h)  # pre_norm, up_proj, down_proj
    attn = 2 * h + inner * h + 2 * inner * h + (h * inner + h) + 1025 * 128
    conv = 2 * h + (2 * ci * h + 2 * ci) + ci * 15 + 2 * ci + (h * ci + h)
    block = 2 * ffn + attn + conv + 2 * h  # ... and post_norm
    encoder = (h * 160 + h) + 10 * block + (ctc * h + ctc) + (h * ctc + h)
    # Blip2QFormerConfig(): 768 wide, 12 layers, FFN 3072, cross-attention over 1408
    # features on every 2nd layer; 15 // 5 = 3 queries; Linear(768, 4096) into Granite
    q, qi = 768, 3072
    self_attn = 4 * (q * q + q) + 2 * q
    cross = 2 * (q * q + q) + 2 * (q * 1408 + q) + 2 * q
    ffn_q = (q * qi + qi) + (qi * q + q) + 2 * q
    qformer = 2 * q + 12 * (self_attn + ffn_q) + 6 * cross
    projector = 3 * q + qformer + (q * 4096 + 4096)
    m = ls.read_hf_config({"model_type": "granite_speech"})
    assert m.vision is not None and m.vision.kind == "conformer"
    assert m.param_counts().vision == encoder + projector


def test_qwen2_5_omni_counts_the_thinkers_vision_and_audio_towers() -> None:
    m = ls.read_hf_config({"model_type": "qwen2_5_omni"})
    assert m.vision is not None and m.vision.kind == "qwen2_5_vl"
    assert m.vision.audio_tower is not None
    assert m.vision.audio_tower.kind == "qwen2_5_omni_audio"
    # Qwen2_5OmniVisionEncoderConfig(): 32 blocks 3584 wide, gated MLP 3420, RMSNorms, q/k/v
    # and proj biased, Conv3d 3 x 2 x 14 x 14 without bias, merger 4 x 3584 -> 3584
    w, i, out = 3584, 3420, 3584
    block = 2 * w + 3 * (w * w + w) + (w * w + w) + 2 * (w * i + i) + (i * w + w)
    visual = w * 3 * 2 * 14 * 14 + 32 * block + w + (16 * w * w + 4 * w) + (4 * w * out + out)
    # Qwen2_5OmniAudioEncoderConfig(): Whisper layers without a learned table (sinusoids),
    # audio_bos_eos_token (2 x 3584), ln_post and proj Linear(1280, 3584) + bias
    audio = _whisper_encoder(1280, 5120, 128, 32, 0) - 2 * 1280  # no final layer_norm ...
    audio += 2 * 1280 + 2 * 3584 + (1280 * 3584 + 3584)  # ... ln_post, bos/eos, proj
    assert m.param_counts().vision == visual + audio
    assert not any("not counted" in a for a in m.assumed if "talker" not in a)


def test_qwen3_asr_encoder_and_projector_by_hand() -> None:
    # Qwen3ASREncoderConfig(): 1024 wide, 24 layers (all q/k/v/out biased), FFN 4096,
    # three 3 x 3 Conv2d of 480 channels, conv_out 480 * 16 -> 1024 without bias (128 mel
    # bins halved three times), ln_post; Qwen3ASRMultiModalProjector: 1024 -> 1024 -> 3584
    d, ffn, c = 1024, 4096, 480
    stem = (c * 9 + c) + 2 * (c * c * 9 + c) + c * 16 * d
    layer = 4 * (d * d + d) + (d * ffn + ffn) + (ffn * d + d) + 4 * d
    projector = (d * d + d) + (d * 3584 + 3584)
    m = ls.read_hf_config({"model_type": "qwen3_asr"})
    assert m.param_counts().vision == stem + 24 * layer + 2 * d + projector


def test_the_tower_switch_covers_an_audio_encoder_and_uncounted_ones_say_audio() -> None:
    m = ls.read_hf_config({"model_type": "glmasr"})
    tower = m.param_counts().vision
    assert tower > 0
    on = ls.weight_memory(m, "bf16", include_vision=True)
    assert on - ls.weight_memory(m, "bf16") == 2 * tower * ls.units.BYTE
    # a speech wrapper whose encoder is not followed names it as an audio encoder
    v = ls.read_hf_config({"model_type": "vibevoice_asr"})
    assert v.vision is None
    assert any("audio encoder of 'vibevoice_asr' not counted" in a for a in v.assumed)
    assert not any("vision tower" in a for a in v.assumed)


# For tests/test_vision.py, which already imports json, Path, pytest and llmsizing as ls.
# Expected counts are worked from the transformers 5.24 class defaults' shapes.
# tests/test_families.py::test_wrapper_towers_without_a_modelled_projector_are_not_counted
# asserts that PaliGemma's tower is NOT counted: it must go (the PaliGemma test below
# replaces it, with the not-counted case of an encoder the library does not follow).

REAL = Path(__file__).parent / "data" / "real_configs" / "dev"


def _clip_l336(layers: int = 24) -> int:
    """CLIPVisionModel of LlavaConfig's default tower: 1024 wide, 4096 MLP, 14 px at 336 px."""
    h, i = 1024, 4096
    layer = 2 * (2 * h) + 4 * (h * h + h) + (h * i + i) + (i * h + h)  # 2 LNs, q/k/v/o, fc1/2
    embeddings = h + h * 3 * 14 * 14 + (24 * 24 + 1) * h  # class token, conv (no bias), 577 rows
    return embeddings + 2 * h + layers * layer + 2 * h  # pre_layrnorm, layers, post_layernorm


@pytest.mark.parametrize(
    ("model_type", "newline"), [("llava", 0), ("llava_next", 4096), ("llava_next_video", 4096)]
)
def test_llava_default_clip_tower_and_projector_by_hand(model_type: str, newline: int) -> None:
    # no vision_config: LlavaConfig's sub_configs_defaults build CLIP-L/14 at 336 px; the
    # projector is Linear(1024, 4096) and Linear(4096, 4096), biased (multimodal_projector_bias);
    # LLaVA-NeXT adds a 4096-wide image_newline, the video pooler (average) has no weights
    m = ls.read_hf_config({"model_type": model_type, "text_config": {"model_type": "llama"}})
    projector = (1024 * 4096 + 4096) + (4096 * 4096 + 4096)
    assert m.param_counts().vision == _clip_l336() + projector + newline
    # vision_feature_layer -2 reads layer 23, but transformers builds all 24 (and the post norm)
    assert m.vision is not None and m.vision.depth == 24
    unbiased = ls.read_hf_config(
        {
            "model_type": model_type,
            "text_config": {"model_type": "llama"},
            "multimodal_projector_bias": False,
        }
    )
    assert m.param_counts().vision - unbiased.param_counts().vision == 2 * 4096


def test_vipllava_concatenates_five_feature_layers_into_a_normed_projector() -> None:
    # VipLlavaConfig: vision_feature_layer (-2, -5, -8, -11, 6): the projector reads 5 x 1024
    # after a LayerNorm of that width, and its linears are always biased
    m = ls.read_hf_config({"model_type": "vipllava"})
    w = 5 * 1024
    projector = 2 * w + (w * 4096 + 4096) + (4096 * 4096 + 4096)
    assert m.param_counts().vision == _clip_l336() + projector


def test_paligemma_siglip_and_one_linear_by_hand_and_unfollowed_encoders() -> None:
    m = ls.read_hf_config(REAL / "google--paligemma-3b-pt-224.json")
    h, i = 1152, 4304
    layer = 4 * h + 4 * (h * h + h) + (h * i + i) + (i * h + h)
    # image_size absent: SiglipVisionConfig's 224 px, (224 // 14)^2 = 256 positions; no head
    siglip = (h * 3 * 14 * 14 + h) + 256 * h + 27 * layer + 2 * h
    assert m.param_counts().vision == siglip + (h * 2048 + 2048)  # projection_dim 2048, bias
    # transformers 5.24 builds 2,923,466,480 parameters for this config on the meta device
    assert m.param_counts().total_with_vision == 2_923_466_480
    assert "vision_config: image_size=224 (SiglipVisionConfig default)" in m.assumed
    # a wrapper's vision_config naming an encoder the library does not follow: not counted
    cfg = {
        "model_type": "llava_onevision",
        "text_config": {"model_type": "qwen2"},
        "vision_config": {"model_type": "siglip2_vision_model", "hidden_size": 1152},
    }
    other = ls.read_hf_config(cfg)
    assert other.vision is None and other.param_counts().vision == 0
    assert any("vision tower" in a and "not counted" in a for a in other.assumed)


def test_aya_vision_pixel_shuffle_swiglu_adapter_and_siglip_head() -> None:
    h, i, text = 1152, 4304, 4096
    cfg = {
        "model_type": "aya_vision",
        "text_config": {"model_type": "cohere2", "hidden_size": text},
        "vision_config": {
            "model_type": "siglip_vision_model",
            "hidden_size": h,
            "intermediate_size": i,
            "num_hidden_layers": 26,
            "num_attention_heads": 16,
            "patch_size": 14,
            "image_size": 364,
            "vision_use_head": False,
        },
        "alignment_intermediate_size": 28672,
    }
    layer = 4 * h + 4 * (h * h + h) + (h * i + i) + (i * h + h)
    siglip = (h * 3 * 14 * 14 + h) + 26 * 26 * h + 26 * layer + 2 * h
    # downsample_factor 2: LayerNorm(4h), Linear(4h, 28672), SwiGLU, Linear(14336, 4096)
    adapter = 2 * 4 * h + (4 * h * 28672 + 28672) + (14336 * text + text)
    assert ls.read_hf_config(cfg).param_counts().vision == siglip + adapter
    # without alignment_intermediate_size the adapter is text-wide (getattr default)
    del cfg["alignment_intermediate_size"]
    narrow = 2 * 4 * h + (4 * h * text + text) + (text // 2 * text + text)
    assert ls.read_hf_config(cfg).param_counts().vision == siglip + narrow
    # SiglipVisionConfig's vision_use_head=True: probe, packed attention, LayerNorm, MLP
    cfg["vision_config"]["vision_use_head"] = True
    head = h + (3 * h * h + 3 * h) + (h * h + h) + 2 * h + (h * i + i) + (i * h + h)
    assert ls.read_hf_config(cfg).param_counts().vision == siglip + narrow + head


@pytest.mark.parametrize("model_type", ["idefics3", "smolvlm"])
def test_idefics3_default_tower_and_connector_by_hand(model_type: str) -> None:
    # Idefics3VisionConfig / SmolVLMVisionConfig: 1152 wide, 3072 MLP, 12 layers, 32 px at
    # 224 px (49 positions); Idefics3Connector: Linear(1152 * 2^2, 4096) without bias
    m = ls.read_hf_config({"model_type": model_type, "text_config": {"model_type": "llama"}})
    h, i = 1152, 3072
    layer = 4 * h + 4 * (h * h + h) + (h * i + i) + (i * h + h)
    tower = (h * 3 * 32 * 32 + h) + 49 * h + 12 * layer + 2 * h
    assert m.param_counts().vision == tower + 4 * h * 4096


def test_internvl_default_tower_projector_and_switches_by_hand() -> None:
    # InternVLVisionConfig: 1024 wide, 4096 MLP, 24 layers, 14 px at 448 px (1024 patches and
    # the class token), q/k/v without bias, layer scales; InternVLMultiModalProjector over
    # int(1 / 0.5)^2 = 4 patches into Qwen2Config's 4096
    cfg: dict[str, object] = {"model_type": "internvl", "text_config": {"model_type": "qwen2"}}
    h, i, out = 1024, 4096, 4096
    layer = 3 * h * h + (h * h + h) + (h * i + i) + (i * h + h) + 4 * h + 2 * h
    tower = h + (h * 3 * 14 * 14 + h) + 1025 * h + 24 * layer
    projector = 2 * 4 * h + (4 * h * out + out) + (out * out + out)
    assert ls.read_hf_config(cfg).param_counts().vision == tower + projector
    # InternViT-6B's switches: RMSNorm layers (no bias), q/k RMSNorms, biased q/k/v, no
    # position table, a mask token, a final LayerNorm (use_mean_pooling false)
    cfg["vision_config"] = {
        "norm_type": "rms_norm",
        "use_qk_norm": True,
        "attention_bias": True,
        "use_absolute_position_embeddings": False,
        "use_mask_token": True,
        "use_mean_pooling": False,
    }
    layer += -2 * h + 2 * h + 3 * h  # norms lose their bias; q_norm, k_norm; q/k/v biases
    tower = 2 * h + (h * 3 * 14 * 14 + h) + 24 * layer + 2 * h
    assert ls.read_hf_config(cfg).param_counts().vision == tower + projector


def test_mistral3_counts_its_default_pixtral_tower_and_projector() -> None:
    # Mistral3Config without vision_config: PixtralVisionConfig(hidden 1024, FFN 4096, 24
    # layers, patch 14); PixtralVisionModel: patch_conv (unbiased), ln_pre, per layer q/k/v/o
    # (unbiased), a gated FFN and two RMSNorms; Mistral3MultiModalProjector: norm, the patch
    # merger (spatial_merge_size 2: 4 x 1024 -> 1024), linear_1 1024 -> 5120 and linear_2
    # 5120 -> 5120 (multimodal_projector_bias false)
    h, i, n, p, t = 1024, 4096, 24, 14, 5120
    tower = h * 3 * p * p + h + n * (4 * h * h + 3 * h * i + 2 * h)
    projector = h + 4 * h * h + h * t + t * t
    text = {"model_type": "mistral", "hidden_size": t, "intermediate_size": 32768}
    text |= {"num_attention_heads": 32, "num_key_value_heads": 8, "head_dim": 128}
    text |= {"num_hidden_layers": 1, "vocab_size": 1000}
    m = ls.read_hf_config({"model_type": "mistral3", "text_config": text})
    assert m.vision is not None and m.vision.kind == "pixtral"
    assert m.param_counts().vision == tower + projector == 438_958_080


def test_cohere2_vision_counts_its_default_siglip_tower_and_adapter() -> None:
    # Cohere2VisionConfig without vision_config: SigLIP (1152 wide, FFN 3072, 27 layers, 512
    # px in patches of 16: 1,024 positions) with its pooling head (vision_use_head defaults
    # true); Cohere2VisionMultiModalProjector: pixel shuffle by 2, linear_1 4 x 1152 ->
    # 36,864 and linear_2 from half of it to the text width, both biased, no LayerNorm
    h, i, n, t, mid = 1152, 3072, 27, 256, 36864
    embeddings = h * 3 * 16 * 16 + h + 1024 * h
    layer = 4 * (h * h + h) + (h * i + i) + (i * h + h) + 4 * h
    head = h + (3 * h * h + 3 * h) + (h * h + h) + 2 * h + (h * i + i) + (i * h + h)
    tower = embeddings + n * layer + 2 * h + head
    projector = (4 * h * mid + mid) + (mid // 2 * t + t)
    text = {"model_type": "cohere2", "hidden_size": t, "intermediate_size": 512}
    text |= {"num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2}
    m = ls.read_hf_config({"model_type": "cohere2_vision", "text_config": text | {"vocab_size": 9}})
    assert m.param_counts().vision == tower + projector == 523_884_544


def test_glm4v_counts_its_vision_model_at_the_class_defaults() -> None:
    # Glm4vVisionConfig(): depth 24 of 1536, out_hidden_size 4096 (the blocks' MLP width and
    # the merger's), intermediate_size 13696 (the merger's MLP), patch 14 at 336 px (576
    # positions), temporal patch 2, spatial merge 2, no qkv bias
    h, o, inter, n = 1536, 4096, 13696, 24
    embeddings = 576 * h + (h * 3 * 2 * 14 * 14 + h)  # position table, biased Conv3d
    block = 2 * h + 3 * h * h + h * h + 3 * o * h  # norms, qkv, proj, gate/up/down
    tail = h + (o * h * 2 * 2 + o) + h  # post_conv_layernorm, downsample Conv2d, post_layernorm
    merger = o * o + 2 * o + 3 * inter * o  # proj, LayerNorm, gate/up/down
    text = {"model_type": "glm4v_text", "hidden_size": 256, "intermediate_size": 512}
    text |= {"num_hidden_layers": 1, "num_attention_heads": 4, "num_key_value_heads": 2}
    vision = {"model_type": "glm4v_vision"}  # every size the class default
    m = ls.read_hf_config({"model_type": "glm4v", "text_config": text, "vision_config": vision})
    assert m.vision is not None and m.vision.kind == "glm4v"
    assert m.param_counts().vision == embeddings + n * block + tail + merger == 892_498_432


def test_paddleocr_vl_tower_by_hand_and_as_transformers_builds_it() -> None:
    # PaddleOCRVLModel at PaddleOCRVisionConfig's defaults: a SigLIP-style encoder of 27
    # layers of 1152 (FFN 4304) over 14-px patches of 384-px images (729 positions), no
    # pooling head; PaddleOCRProjector: a LayerNorm over 1152, then 4608 -> 4608 -> 1024
    # (2 x 2 merged patches into the 1024-wide text model), all biased
    h, inter = 1152, 4304
    layer = 2 * (2 * h) + 4 * (h * h + h) + (h * inter + inter) + (inter * h + h)
    encoder = (h * 3 * 14 * 14 + h) + 729 * h + 27 * layer + 2 * h
    merged = 4 * h
    projector = 2 * h + (merged * merged + merged) + (merged * 1024 + 1024)
    m = ls.read_hf_config({"model_type": "paddleocr_vl"})
    assert m.param_counts().vision == encoder + projector
    # PaddleOCRVLForConditionalGeneration(PaddleOCRVLConfig()) in transformers 5.24
    assert sum(t.numel for t in m.tensors(include_vision=True)) == 799_695_472
    # the merge follows the vision config's spatial_merge_size
    three = ls.read_hf_config(
        {"model_type": "paddleocr_vl", "vision_config": {"spatial_merge_size": 3}}
    )
    assert three.vision is not None and three.vision.projector_input_size == 9 * h


def test_lighton_ocr_tower_by_hand_and_as_transformers_builds_it() -> None:
    # LightOnOcrConfig's default Pixtral tower (24 layers of 1024, FFN 4096, 14-px patches,
    # no biases) and LightOnOcrMultiModalProjector: an RMSNorm, the 2 x 2 patch merger and
    # linear_1 / linear_2 into the 1024-wide Qwen3 text model, biasless whatever
    # multimodal_projector_bias says
    h, inter = 1024, 4096
    layer = 2 * h + 4 * h * h + 3 * h * inter
    tower = h * 3 * 14 * 14 + h + 24 * layer
    projector = h + (4 * h) * h + h * 1024 + 1024 * 1024
    m = ls.read_hf_config({"model_type": "lighton_ocr"})
    assert m.param_counts().vision == tower + projector
    # LightOnOcrForConditionalGeneration(LightOnOcrConfig()) in transformers 5.24
    assert sum(t.numel for t in m.tensors(include_vision=True)) == 1_005_647_872
    biased = ls.read_hf_config({"model_type": "lighton_ocr", "multimodal_projector_bias": True})
    assert biased.param_counts().vision == m.param_counts().vision


def test_glm_ocr_tower_by_hand_and_as_transformers_builds_it() -> None:
    # GlmOcrVisionModel at GlmOcrVisionConfig's defaults (built where the file has no
    # vision_config): a biased Conv3d over 2 x 14 x 14 pixels, 24 blocks of 1024 with a
    # biased qkv and proj, RMSNorms over each 64-wide q and k head, a biased gated MLP of
    # 4096; no position table and no post-conv norm; the 2 x 2 downsample conv to 1536, a
    # post_layernorm and the merger, whose gated MLP is 1536 x 3 channels wide
    h, inter, o = 1024, 4096, 1536
    block = 2 * h + (h * 3 * h + 3 * h) + (h * h + h) + 2 * 64
    block += 2 * (h * inter + inter) + (inter * h + h)
    patch = h * 3 * 2 * 14 * 14 + h
    downsample = o * h * 2 * 2 + o
    merger = o * o + 2 * o + 3 * o * (3 * o)
    m = ls.read_hf_config({"model_type": "glm_ocr"})
    assert m.param_counts().vision == patch + 24 * block + downsample + h + merger
    # GlmOcrForConditionalGeneration(GlmOcrConfig()) in transformers 5.24
    assert sum(t.numel for t in m.tensors(include_vision=True)) == 807_479_808


def test_ernie_4_5_vl_tower_by_hand_and_as_transformers_builds_it() -> None:
    # Ernie4_5_VLMoeVisionConfig's defaults (built where the file has none): a biasless
    # patch linear over 3 x 14 x 14 pixels, 32 blocks of 1280 (biased qkv, proj, fc1/fc2 of
    # 5120, two LayerNorms), a final LayerNorm; the resampler over 2 x 2 merged patches
    # (5120 wide): spatial 5120 -> 5120 -> 5120, temporal 10240 -> 5120 -> 5120, each with
    # a LayerNorm, then a biased 5120 -> 2560 projection and an RMSNorm
    h, inter, sd = 1280, 5120, 5120
    block = 2 * 2 * h + (3 * h * h + 3 * h) + (h * h + h) + (h * inter + inter) + (inter * h + h)
    tower = h * 3 * 14 * 14 + 32 * block + 2 * h
    spatial = 2 * (sd * sd + sd) + 2 * sd
    temporal = (2 * sd * sd + sd) + (sd * sd + sd) + 2 * sd
    m = ls.read_hf_config({"model_type": "ernie4_5_vl_moe"})
    assert m.param_counts().vision == tower + spatial + temporal + (2560 * sd + 2560) + 2560
    # Ernie4_5_VLMoeForConditionalGeneration(Ernie4_5_VLMoeConfig()) in transformers 5.24
    assert sum(t.numel for t in m.tensors(include_vision=True)) == 29_399_294_336


def test_idefics2_tower_and_perceiver_by_hand_and_as_transformers_builds_them() -> None:
    # Idefics2Config's defaults: Idefics2VisionConfig's 12 layers of 768 (FFN 3072) over
    # 32-px patches of 224-px images (49 positions); Idefics2Connector's gated projection
    # 768 -> 14,336 (MistralConfig's FFN) -> 4096 and the perceiver resampler at the text
    # width: 64 latents, 3 layers of 16 query / 4 key-value heads of 96 and a 4 x 4096 MLP
    h, inter, text = 768, 3072, 4096
    layer = 2 * (2 * h) + 4 * (h * h + h) + (h * inter + inter) + (inter * h + h)
    encoder = (h * 3 * 32 * 32 + h) + 49 * h + 12 * layer + 2 * h
    projection = 2 * h * 14336 + 14336 * text
    perceiver_layer = 3 * text + text * 16 * 96 + 2 * text * 4 * 96 + 16 * 96 * text
    perceiver_layer += 3 * text * 4 * text
    perceiver = 64 * text + 3 * perceiver_layer + text
    m = ls.read_hf_config({"model_type": "idefics2"})
    assert m.param_counts().vision == encoder + projection + perceiver
    # Idefics2ForConditionalGeneration(Idefics2Config()) in transformers 5.24
    assert sum(t.numel for t in m.tensors(include_vision=True)) == 8_061_394_944


@pytest.mark.parametrize("model_type", ["minicpmv4_6", "minicpmv4_7", "minicpm_ocr"])
def test_minicpmv_tower_and_mergers_by_hand(model_type: str) -> None:
    # MiniCPMV4_6VisionConfig's defaults (the 4.7 and OCR classes copy them): 12 layers of
    # 768 (FFN 3072) over 16-px patches of 224-px images (196 positions); the vit_merger's
    # attention block and its MLP over 2 x 2 windows (3072 -> 12288 -> 768); one
    # DownsampleMLP (merger_times 1) from 4 x 768 into the 4096-wide Qwen3.5 text model
    h, inter, text = 768, 3072, 4096
    layer = 2 * (2 * h) + 4 * (h * h + h) + (h * inter + inter) + (inter * h + h)
    encoder = (h * 3 * 16 * 16 + h) + 196 * h + 12 * layer + 2 * h
    vit_merger = 4 * (h * h + h) + 2 * h + 2 * 4 * h
    vit_merger += (4 * h * 4 * inter + 4 * inter) + (4 * inter * h + h)
    merger = 2 * 4 * h + (4 * h * 4 * h + 4 * h) + (4 * h * text + text)
    m = ls.read_hf_config({"model_type": model_type})
    assert m.param_counts().vision == encoder + vit_merger + merger
    # MiniCPMV4_6ForConditionalGeneration(MiniCPMV4_6Config()) in transformers 5.24 (the
    # 4.7 class builds the same; MiniCPMOcr's default text model is smaller)
    if model_type != "minicpm_ocr":
        assert sum(t.numel for t in m.tensors(include_vision=True)) == 9_111_202_816
