"""Every supported family against transformers, and the cache/state of every new layer kind.

Expected values come from outside llmsizing:

* parameter counts from transformers 5.24 itself, instantiating each config on the meta
  device (``scripts/derive_param_counts.py``): randomised small configs of every supported
  ``model_type`` (``tests/data/family_configs.json``, the development set, seed 0, and
  ``tests/data/family_configs_heldout.json``, seed 1, never used while writing the readers)
  and real 2025-2026 ``config.json`` files (``tests/data/real_configs/``, counts in
  ``tests/data/hf_param_counts_real.json``); a total within 0.1 % and an active count within
  0.5 % is exact;
* the layer kinds from the transformers config's own ``layer_types``;
* cache and state sizes by hand from the models' code and vLLM's cache specs (each formula
  cites its line), checked against the tensors transformers keeps after a forward pass
  (``tests/data/cache_shapes.json``).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

import llmsizing as ls
from llmsizing import ConfigError, ModelConfig
from llmsizing.attention import (
    GatedDeltaNetSpec,
    IndexerSpec,
    KDASpec,
    LightningSpec,
    Mamba2Spec,
    MambaSpec,
    ShortConvSpec,
    attended_tokens_limit,
    layer_specs,
    state_tensors,
)
from llmsizing.hf import FAMILIES, SUPPORTED_MODEL_TYPES, read_hf_config
from llmsizing.memory import (
    hybrid_block_tokens,
    kv_cache_bytes_per_token,
    kv_cache_elements_per_token,
    kv_cache_memory,
    layer_windows,
    state_bytes_per_sequence,
    vllm_cache_memory,
)

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent
DEV = DATA / "family_configs.json"
HELDOUT = DATA / "family_configs_heldout.json"
REAL = DATA / "hf_param_counts_real.json"
CACHES = DATA / "cache_shapes.json"


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))["models"]  # type: ignore[no-any-return]


def test_ground_truth_files_exist() -> None:
    # a deleted data file must fail, not turn the checks below into zero tests
    for path in (DEV, HELDOUT, REAL, CACHES):
        assert path.is_file(), f"{path} missing: run scripts/derive_param_counts.py"


def _config(entry: dict[str, Any]) -> dict[str, Any]:
    if "config" in entry:
        return entry["config"]  # type: ignore[no-any-return]
    return json.loads((REPO / entry["source"]).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _cases(path: Path, real: bool = False) -> list[Any]:
    if not path.is_file():
        return []
    out = []
    for key, entry in _load(path).items():
        if "error" in entry:  # a model_type transformers itself cannot build
            continue
        out.append(pytest.param(entry, id=key))
    return out


def _check_counts(entry: dict[str, Any]) -> None:
    m = read_hf_config(_config(entry))
    pc = m.param_counts()
    assert pc.total == pytest.approx(entry["total"], rel=1e-3), (pc.total, entry["total"])
    if "active" in entry:
        assert pc.active == pytest.approx(entry["active"], rel=5e-3), (pc.active, entry["active"])


@pytest.mark.parametrize("entry", _cases(DEV))
def test_development_set_matches_transformers(entry: dict[str, Any]) -> None:
    _check_counts(entry)


@pytest.mark.parametrize("entry", _cases(HELDOUT))
def test_heldout_set_matches_transformers(entry: dict[str, Any]) -> None:
    _check_counts(entry)


@pytest.mark.parametrize("entry", _cases(REAL))
def test_real_configs_match_transformers(entry: dict[str, Any]) -> None:
    try:
        _check_counts(entry)
    except ConfigError as e:
        # refused types are listed and named in one line (MiniMax-M3-VL and the like)
        assert entry["model_type"] not in SUPPORTED_MODEL_TYPES, str(e)
        assert "\n" not in str(e) and repr(entry["model_type"]) in str(e)


def test_real_configs_transformers_cannot_build_are_refused_in_one_line() -> None:
    real = _load(REAL)
    for key, entry in real.items():
        if "error" not in entry:
            continue
        if entry["model_type"] == "deepseek_ref":
            # SGLang's DeepSeek-V4 exports: the counts of the DeepSeek-V4 config they copy
            twin = real[key.replace("sgl-project--", "deepseek-ai--").removesuffix("-FP8")]
            assert read_hf_config(_config(entry)).param_counts().total == twin["total"], key
            continue
        if entry["model_type"] == "nemotron-nas":
            # remote code only: read, and counted by hand in tests/test_nemotron_nas.py
            assert read_hf_config(_config(entry)).param_counts().total > 0, key
            continue
        with pytest.raises(ConfigError) as e:
            read_hf_config(_config(entry))
        msg = str(e.value)
        assert "\n" not in msg and "is not supported" in msg, key


#: types whose counts tests/test_families_legacy.py derives by hand from their modeling code
LEGACY_TYPES = {"gpt2", "gpt_bigcode", "gpt_neox", "gptj", "falcon", "bloom", "mpt", "opt", "dbrx"}


def _covered(path: Path) -> set[str]:
    out = set()
    for entry in _load(path).values():
        cfg = entry.get("config", {})
        out.add(entry["model_type"])
        text = cfg.get("text_config")
        if isinstance(text, dict) and isinstance(text.get("model_type"), str):
            out.add(text["model_type"])
    return out


@pytest.mark.parametrize("path", [DEV, HELDOUT], ids=["dev", "heldout"])
def test_every_supported_type_has_generated_configs(path: Path) -> None:
    # text-config types are drawn inside their wrappers; kimi_k2 is remote code (no class);
    # the pre-Llama types are checked term by term in test_families_legacy.py instead;
    # deepseek_v4 (and SGLang's deepseek_ref copies) against transformers' counts of its four
    # released configs (REAL); nemotron-nas (remote code, no class) by hand in
    # test_nemotron_nas.py
    missing = set(SUPPORTED_MODEL_TYPES) - _covered(path)
    # qwen3_omni_moe, qwen2_5_omni: drawn through their thinkers (the whole model's
    # talker and token2wav are not language model); their reading through thinker_config
    # is tested by hand in test_families_2026.py
    remote = {
        "kimi_k2",
        "deepseek_v4",
        "deepseek_ref",
        "nemotron-nas",
        "qwen3_omni_moe",
        "qwen2_5_omni",
    }
    assert missing <= remote | LEGACY_TYPES, sorted(missing)


_NAMES = {
    "full_attention": "full",
    "sliding_attention": "sliding",
    "chunked_attention": "chunked",
    "indexed_attention": "full",
    # MiniMax-M3: full attention with a block indexer beside it (indexer.layers)
    "minimax_m3_sparse": "full",
    "attention": "full",
    "hybrid": "full",
    "linear_attention": "state",
    "mamba": "state",
    "conv": "conv",
    "hybrid_sliding": "sliding",
    "moe": "none",
    "mlp": "none",
}


def _kinds(m: ModelConfig) -> list[str]:
    return ["state" if k in ("linear", "mamba") else k for k in m.layer_types]


def _layered(*paths: Path) -> list[Any]:
    return [
        c
        for path in paths
        for c in _cases(path)
        if "layer_types" in c.values[0] and c.values[0]["model_type"] in SUPPORTED_MODEL_TYPES
    ]


@pytest.mark.parametrize("entry", _layered(DEV, HELDOUT, REAL))
def test_layer_kinds_match_transformers(entry: dict[str, Any]) -> None:
    """Which layers hold a KV cache, a window, a state: as transformers' layer_types."""
    m = read_hf_config(_config(entry))
    if entry["model_type"] == "deepseek_v4":
        # one kind, "compressed", at the layer's ratio: transformers' compressed sparse (4),
        # heavily compressed (128) and sliding-only (0) attention
        names = {4: "compressed_sparse_attention", 128: "heavily_compressed_attention"}
        a = m.compressed_attention
        assert a is not None and set(m.layer_types) == {"compressed"}
        assert [names.get(r, "sliding_attention") for r in a.ratios] == entry["layer_types"]
        assert a.window == entry["sliding_window"]
        return
    tf = [_NAMES.get(t, t) for t in entry["layer_types"]]
    if not entry.get("sliding_window"):
        # transformers names a window-less sliding layer sliding; it attends to everything
        tf = ["full" if t == "sliding" else t for t in tf]
    if len(tf) != m.num_layers:
        pytest.skip("transformers lists layer types for another layer count")
    assert _kinds(m) == tf
    if "minimax_m3_sparse" in entry["layer_types"]:
        assert m.indexer is not None
        assert list(m.indexer.layers) == [t == "minimax_m3_sparse" for t in entry["layer_types"]]
    if "sliding" in tf:
        assert m.sliding_window == entry["sliding_window"]


# ------------------------------------------------------------------ table checks
def test_table_entries_are_consistent() -> None:
    for name, fam in FAMILIES.items():
        assert fam.model_type == name
        assert (fam.read is None) != (fam.text_config is None) or fam.read is not None
    assert tuple(sorted(FAMILIES)) == SUPPORTED_MODEL_TYPES


def test_supported_types_markdown_is_generated_from_the_table() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "supported_types_md", REPO / "scripts" / "supported_types_md.py"
    )
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    text = mod.markdown()
    for t in SUPPORTED_MODEL_TYPES:
        assert f"`{t}`" in text


# ---------------------------------------------------------------- errors, defaults
def _llama(**changes: Any) -> dict[str, Any]:
    cfg: dict[str, Any] = {
        "model_type": "llama",
        "vocab_size": 1000,
        "hidden_size": 64,
        "intermediate_size": 128,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
    }
    cfg.update(changes)
    return {k: v for k, v in cfg.items() if v is not ...}


def test_unsupported_type_is_one_line_naming_it() -> None:
    with pytest.raises(ConfigError) as e:
        read_hf_config(_llama(model_type="minimax_m3"))
    msg = str(e.value)
    assert "'minimax_m3' is not supported" in msg and "\n" not in msg


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        # top-k larger than the experts
        (
            {
                "model_type": "qwen3_moe",
                "num_experts": 4,
                "num_experts_per_tok": 6,
                "moe_intermediate_size": 32,
            },
            ["experts_per_token (6)", "n_routed_experts (4)"],
        ),
        # heads must divide the hidden size when no head_dim is given
        ({"hidden_size": 66}, ["num_attention_heads (4) does not divide hidden_size (66)"]),
        ({"num_key_value_heads": 3}, ["num_key_value_heads (3) must divide"]),
        # Gated DeltaNet: value heads are grouped over key heads
        (
            {
                "model_type": "qwen3_next",
                "num_experts": 4,
                "num_experts_per_tok": 2,
                "linear_num_key_heads": 3,
                "linear_num_value_heads": 4,
                "head_dim": 16,
            },
            ["linear value heads (4)", "key heads (3)"],
        ),
        # Mamba-2: heads are grouped
        (
            {
                "model_type": "mamba2",
                "num_heads": 6,
                "head_dim": 8,
                "n_groups": 4,
                "expand": 1,
                "hidden_size": 48,
            },
            ["mamba.n_heads (6)", "mamba.n_groups (4)"],
        ),
        ({"model_type": "nemotron_h", "hybrid_override_pattern": "M*X"}, ["M*X"]),
        ({"model_type": "gemma4_text", "num_kv_shared_layers": 9}, ["num_kv_shared_layers (9)"]),
    ],
)
def test_impossible_configs_are_rejected_with_the_reason(
    changes: dict[str, Any], words: list[str]
) -> None:
    with pytest.raises(ConfigError) as e:
        read_hf_config(_llama(**changes))
    for w in words:
        assert w in str(e.value), (w, str(e.value))


def test_a_typo_is_not_defaulted() -> None:
    with pytest.raises(ConfigError, match=r"'num_hidden_layers'.*num_hiden_layers"):
        read_hf_config(_llama(num_hidden_layers=..., num_hiden_layers=2))


def test_qwen3_moe_num_local_experts_alias() -> None:
    # Qwen3MoeConfig.attribute_map = {"num_experts": "num_local_experts"}: transformers 5 saves
    # the experts as num_local_experts
    cfg = _llama(
        model_type="qwen3_moe",
        num_local_experts=8,
        num_experts_per_tok=2,
        moe_intermediate_size=32,
        head_dim=16,
    )
    m = read_hf_config(cfg)
    assert m.moe is not None and m.moe.n_routed_experts == 8


def test_gpt_oss_default_top_k_is_4() -> None:
    cfg = json.loads((REPO / "src/llmsizing/data/models/gpt-oss-20b.json").read_text())
    del cfg["num_experts_per_tok"]
    cfg.pop("experts_per_token", None)
    m = read_hf_config(cfg)
    assert m.moe is not None and m.moe.experts_per_token == 4  # GptOssConfig default
    assert "num_experts_per_tok=4 (transformers gpt_oss default)" in m.assumed


#: (model_type, text model_type): wrappers whose head ties by the top-level config alone
_TIE_OUTER = [
    ("paligemma", "gemma"),
    ("idefics3", "llama"),
    ("smolvlm", "llama"),
    ("aya_vision", "cohere2"),
]
#: wrappers whose config class also ties when the text config does
_TIE_EITHER = [("llava_next_video", "llama"), ("llava_onevision", "qwen2")]


@pytest.mark.parametrize("top", [None, False, True], ids=["top-absent", "top-false", "top-true"])
@pytest.mark.parametrize("text_tie", [False, True], ids=["text-false", "text-true"])
@pytest.mark.parametrize(("wrapper", "inner"), _TIE_OUTER + _TIE_EITHER)
def test_wrapper_head_tying_follows_its_config_class(
    wrapper: str, inner: str, top: bool | None, text_tie: bool
) -> None:
    # transformers 5.24 on the meta device, the LM head `is` the embedding for these 36
    # combinations exactly as below: PreTrainedModel ties by the top-level
    # tie_word_embeddings (PaliGemmaConfig and AyaVisionConfig default True, Idefics3Config
    # and SmolVLMConfig False); LlavaNextVideoConfig and LlavaOnevisionConfig (default False)
    # set it when the text config's is True ("forward-pass the attr from text config")
    cfg: dict[str, Any] = {
        "model_type": wrapper,
        "text_config": _llama(model_type=inner, tie_word_embeddings=text_tie),
    }
    if top is not None:
        cfg["tie_word_embeddings"] = top
    default = wrapper in ("paligemma", "aya_vision")
    expected = default if top is None else top
    if (wrapper, inner) in _TIE_EITHER:
        expected = expected or text_tie
    m = read_hf_config(cfg)
    assert m.tie_word_embeddings is expected
    pc = m.param_counts()
    assert pc.lm_head == (0 if expected else m.vocab_size * m.hidden_size)


def test_wrapper_towers_without_a_modelled_encoder_are_not_counted() -> None:
    # Janus's SigLIP encoder, aligners and VQ image generator are not read: the tower is
    # not counted, and the config says so
    m = read_hf_config({"model_type": "janus"})
    assert m.vision is None
    assert any("vision tower" in a and "not counted" in a for a in m.assumed)
    assert m.param_counts().vision == 0


def test_omitted_vocab_and_heads_take_the_class_defaults() -> None:
    m = read_hf_config(_llama(vocab_size=..., num_attention_heads=..., num_key_value_heads=...))
    # LlamaConfig: vocab_size = 32000, num_attention_heads = 32, num_key_value_heads = heads
    assert (m.vocab_size, m.num_heads, m.num_kv_heads, m.head_dim) == (32000, 32, 32, 2)
    assert "vocab_size=32000 (transformers llama default)" in m.assumed


def test_qwen2_moe_qkv_bias_false_and_gate_without_shared_width() -> None:
    h, e, ie = 64, 4, 16
    cfg = _llama(
        model_type="qwen2_moe",
        qkv_bias=False,
        num_experts=e,
        num_experts_per_tok=2,
        moe_intermediate_size=ie,
        shared_expert_intermediate_size=0,
        num_key_value_heads=4,
        num_hidden_layers=1,
    )
    m = read_hf_config(cfg)
    # Qwen2MoeSparseMoeBlock builds shared_expert_gate (hidden -> 1) whatever the width
    attn = 4 * h * h  # q, k, v, o without biases
    moe = e * h + e * 3 * h * ie + h
    assert m.param_counts().total == 2 * 1000 * h + h + attn + moe + 2 * h


def test_deepseek_v2_mlp_bias() -> None:
    base = {
        "model_type": "deepseek_v2",
        "vocab_size": 100,
        "hidden_size": 32,
        "intermediate_size": 48,
        "num_hidden_layers": 1,
        "num_attention_heads": 2,
        "q_lora_rank": None,
        "kv_lora_rank": 8,
        "qk_nope_head_dim": 8,
        "qk_rope_head_dim": 4,
        "v_head_dim": 8,
        "n_routed_experts": None,
    }
    plain = read_hf_config(base).param_counts().total
    biased = read_hf_config({**base, "mlp_bias": True}).param_counts().total
    assert biased - plain == 48 + 48 + 32  # gate, up and down biases of the dense MLP


# ---------------------------------------------------------------- caches and state
CACHE = _load(CACHES) if CACHES.is_file() else {}


def _cache_case(prefix: str) -> tuple[ModelConfig, list[dict[str, Any]]]:
    (key,) = [k for k in CACHE if k.startswith(prefix)]
    return read_hf_config(CACHE[key]["config"]), CACHE[key]["layers"]


def test_gated_deltanet_state_qwen3_next() -> None:
    """Gated DeltaNet (Qwen3-Next): conv over q, k, v and one state per value head.

    modeling_qwen3_next.py, Qwen3NextGatedDeltaNet: ``self.conv_dim = self.key_dim * 2 +
    self.value_dim``; vLLM mamba_utils.py ``gated_delta_net_state_shape``: conv
    ``(conv_kernel_size - 1, conv_dim)``, temporal ``(num_v_heads, head_v_dim, head_k_dim)``.
    Here nk=2, dk=8, nv=4, dv=16, K=4: conv 96 channels x 3, state 4 x 16 x 8.
    """
    m, layers = _cache_case("qwen3_next")
    (spec,) = layer_specs(m)[0]
    assert isinstance(spec, GatedDeltaNetSpec)
    conv, ssm = state_tensors(m)[0]
    assert conv.shape == (3, 2 * 2 * 8 + 4 * 16) and ssm.shape == (4, 16, 8)
    # transformers keeps the whole kernel window (K) and orders the state (nv, dk, dv)
    assert layers[0]["conv_states"] == [[1, 96, 4]]
    assert layers[0]["recurrent_states"] == [[1, 4, 8, 16]]
    # 3 linear layers, bf16: (3 * 96 + 4 * 16 * 8) * 2 bytes each; the full layer adds none
    assert state_bytes_per_sequence(m, "bf16").magnitude == 3 * (3 * 96 + 512) * 2
    # the full-attention layer: K and V of 2 KV heads of 16, as transformers caches them
    assert layers[3]["keys"] == [[1, 2, 40, 16]]
    assert list(kv_cache_elements_per_token(m)) == [0, 0, 0, 2 * 2 * 16]
    assert list(layer_windows(m)) == [0, 0, 0, math.inf]


def test_kda_state_kimi_linear() -> None:
    """Kimi Delta Attention: convs over q, k, v (3 x heads x head_dim) and a fp32 state.

    modeling_kimi_linear.py, KimiLinearDeltaAttention: ``self.conv_dim = self.qkv_dim * 3``;
    vLLM ``kda_state_shape``: conv ``(K - 1, proj_size + 2 * proj_k_size)``, recurrent
    ``(num_heads, head_dim, head_dim)``; ``kda_state_dtype`` returns ``(state_dtype,
    torch.float32)``. Here 2 heads of 16, K=4: conv 96 x 3, state 2 x 16 x 16 in fp32.
    """
    m, layers = _cache_case("kimi_linear")
    assert isinstance(layer_specs(m)[0][0], KDASpec)
    conv, ssm = state_tensors(m)[0]
    assert conv.shape == (3, 96) and ssm.shape == (2, 16, 16) and ssm.fp32
    assert layers[0]["conv_states"] == [[1, 96, 4]]
    assert layers[0]["recurrent_states"] == [[1, 2, 16, 16]]
    # 4 KDA layers: conv in bf16, state in fp32
    assert state_bytes_per_sequence(m, "bf16").magnitude == 4 * (3 * 96 * 2 + 2 * 16 * 16 * 4)
    # the 5th layer is MLA: the latent kv_lora_rank + rope = 16 + 8 (transformers caches the
    # compressed key and the rope part, 16 and 8 wide)
    assert layers[4]["keys"] == [[1, 1, 40, 16]] and layers[4]["values"] == [[1, 1, 40, 8]]
    assert int(kv_cache_elements_per_token(m)[4]) == 16 + 8


def test_lightning_state_minimax() -> None:
    """Lightning attention (MiniMax-01): one head_dim x head_dim state per head.

    vLLM ``linear_attention_state_shape``: ``(num_heads // tp_size, head_dim, head_dim)``;
    transformers MiniMaxCache.linear_cache. Here 4 heads of 16.
    """
    m, layers = _cache_case("minimax")
    assert isinstance(layer_specs(m)[1][0], LightningSpec)
    assert state_tensors(m)[1][0].shape == (4, 16, 16)
    assert next(e for e in layers if e["class"] == "linear_cache")["recurrent_states"] == [
        [1, 4, 16, 16]
    ]
    assert state_bytes_per_sequence(m, "fp32").magnitude == 4 * 16 * 16 * 4


def test_mamba2_state_nemotron_h() -> None:
    """Mamba-2 (Nemotron-H): conv over x, B, C and a (heads, head_dim, d_state) state.

    modeling_nemotron_h.py, NemotronHMamba2Mixer: ``self.conv_dim = self.intermediate_size +
    2 * self.n_groups * self.ssm_state_size``; vLLM ``mamba2_state_shape``: conv
    ``(conv_kernel - 1, conv_dim / tp)``, temporal ``(num_heads / tp, head_dim, state_size)``.
    Here 4 heads of 8 (d_inner 32), 2 groups of 8, K=4: conv 64 x 3, state 4 x 8 x 8, which
    Nemotron-H keeps in fp32 (``mamba_ssm_cache_dtype: float32``).
    """
    m, layers = _cache_case("nemotron_h")
    assert isinstance(layer_specs(m)[0][0], Mamba2Spec)
    conv, ssm = state_tensors(m)[0]
    assert conv.shape == (3, 32 + 2 * 2 * 8) and ssm.shape == (4, 8, 8) and ssm.fp32
    assert layers[0]["conv_states"] == [[1, 64, 4]]
    assert layers[0]["recurrent_states"] == [[1, 4, 8, 8]]
    assert state_bytes_per_sequence(m, "bf16").magnitude == 3 * 64 * 2 + 4 * 8 * 8 * 4
    # the MLP-only layer keeps nothing; the attention layer K and V of 2 heads of 16
    assert list(kv_cache_elements_per_token(m)) == [0, 64, 0]


def test_mamba2_groups_are_padded_to_the_tp_degree() -> None:
    # vLLM extra_groups_for_head_shards: 1 group, TP 4 -> 4 groups so each rank has B and C
    spec = Mamba2Spec(d_inner=64, n_groups=1, n_heads=8, head_dim=8, d_state=16, d_conv=4)
    conv, ssm = spec.state(tp=4)
    assert conv.shape == (3, (64 + 2 * 4 * 16) // 4) and ssm.shape == (2, 8, 16)


def test_mamba1_state_jamba() -> None:
    """Mamba-1 (Jamba): per channel a conv window and a d_state state.

    vLLM ``mamba1_state_shape``: conv ``(conv_kernel - 1, intermediate_size / tp)``, temporal
    ``(intermediate_size / tp, state_size)``. Here d_inner = 2 x 64, N = 8, K = 4.
    """
    m, layers = _cache_case("jamba")
    assert isinstance(layer_specs(m)[0][0], MambaSpec)
    conv, ssm = state_tensors(m)[0]
    assert conv.shape == (3, 128) and ssm.shape == (128, 8)
    assert layers[0]["conv_states"] == [[1, 128, 4]]
    assert layers[0]["recurrent_states"] == [[1, 128, 8]]


def test_short_conv_state_lfm2() -> None:
    """LFM2's short convolution: ``(L_cache - 1, hidden)`` (vLLM ``short_conv_state_shape``)."""
    m, layers = _cache_case("lfm2")
    assert isinstance(layer_specs(m)[0][0], ShortConvSpec)
    assert state_tensors(m)[0][0].shape == (2, 64)
    assert layers[0]["conv_states"] == [[1, 64, 3]]
    assert state_bytes_per_sequence(m, "bf16").magnitude == 2 * 64 * 2


def test_dsa_indexer_keys_deepseek_v32() -> None:
    """DeepSeek-V3.2: the MLA latent in the KV dtype plus the indexer key, 132 bytes per token.

    vLLM deepseek_v2.py, Indexer.__init__: ``DeepseekV32IndexerCache(head_dim=self.head_dim +
    self.head_dim // self.quant_block_size * 4, dtype=torch.uint8)`` with
    ``quant_block_size = 128``: 128 fp8 values and one fp32 scale per token and layer.
    An FP8 latent is FlashMLA's sparse ``fp8_ds_mla`` entry (vLLM
    ``FlashMLASparseBackend.get_kv_cache_shape``: 656 bytes): 512 fp8 values, four
    fp32 scales (one per 128) and the 64 RoPE values in bf16.
    """
    cfg = json.loads((DATA / "real_configs/dev/deepseek-ai--DeepSeek-V3.2.json").read_text())
    m = read_hf_config(cfg)
    assert isinstance(layer_specs(m)[0][1], IndexerSpec)
    assert kv_cache_bytes_per_token(m, "bf16").magnitude == 61 * ((512 + 64) * 2 + 132)
    assert kv_cache_bytes_per_token(m, "fp8").magnitude == 61 * ((512 + 4 * 4 + 64 * 2) + 132)
    # a dense MLA model (DeepSeek-V3) keeps the plain fp8 latent
    assert kv_cache_bytes_per_token(ls.load_model("deepseek-v3"), "fp8").magnitude == 61 * 576
    assert state_bytes_per_sequence(m).magnitude == 0
    # each query attends to index_topk = 2048 tokens of a longer context
    assert attended_tokens_limit(m)[0] == 2048


def test_glm5_shared_indexer_layers_keep_no_keys() -> None:
    cfg = {
        "model_type": "glm_moe_dsa",
        "vocab_size": 100,
        "hidden_size": 64,
        "intermediate_size": 64,
        "num_hidden_layers": 4,
        "num_attention_heads": 2,
        "q_lora_rank": 32,
        "kv_lora_rank": 16,
        "qk_nope_head_dim": 8,
        "qk_rope_head_dim": 8,
        "v_head_dim": 8,
        "index_n_heads": 2,
        "index_head_dim": 128,
        "index_topk": 8,
        "indexer_types": ["full", "shared", "full", "shared"],
        "n_routed_experts": 4,
        "num_experts_per_tok": 2,
        "moe_intermediate_size": 16,
        "first_k_dense_replace": 1,
    }
    m = read_hf_config(cfg)
    per_layer = [sum(s.kv_fixed_bytes_per_token() for s in layer) for layer in layer_specs(m)]
    assert per_layer == [132, 0, 132, 0]
    # a shared layer attends the top 8 its predecessor's indexer selected, and scores none
    from llmsizing.attention import attended_tokens, indexed_tokens

    assert attended_tokens(m, 100).tolist() == [8.0, 8.0, 8.0, 8.0]
    assert indexed_tokens(m, 100).tolist() == [100.0, 0.0, 100.0, 0.0]


def test_qwen35_27b_state_by_hand() -> None:
    """Qwen3.5-27B (released config): 48 Gated DeltaNet layers, 16 full-attention layers.

    Per GDN layer: conv (4 - 1) x (2 x 16 x 128 + 48 x 128) = 3 x 10240 in the cache dtype,
    state 48 x 128 x 128 in fp32 (the config's mamba_ssm_dtype); per full layer K and V of 4
    heads of 256.
    """
    cfg = json.loads((DATA / "real_configs/dev/Qwen--Qwen3.5-27B.json").read_text())
    m = read_hf_config(cfg)
    assert m.layer_types.count("linear") == 48 and m.layer_types.count("full") == 16
    per_gdn = 3 * (2 * 16 * 128 + 48 * 128) * 2 + 48 * 128 * 128 * 4
    assert state_bytes_per_sequence(m, "bf16").magnitude == 48 * per_gdn
    assert kv_cache_bytes_per_token(m, "bf16").magnitude == 16 * 2 * 4 * 256 * 2
    # a sequence's cache: the KV part grows with the context, the state does not
    kv = kv_cache_memory(m, 1000, 1, "bf16").magnitude
    assert kv == 1000 * 16 * 2 * 4 * 256 * 2
    # TP 4: heads and channels split (48 value heads, 10240 conv channels)
    assert state_bytes_per_sequence(m, "bf16", tp=4).magnitude == 48 * per_gdn / 4
    # without the config key the state takes the cache dtype
    plain = json.loads(json.dumps(cfg))
    del plain["text_config"]["mamba_ssm_dtype"]
    bf16 = read_hf_config(plain)
    per_bf16 = (3 * (2 * 16 * 128 + 48 * 128) + 48 * 128 * 128) * 2
    assert state_bytes_per_sequence(bf16, "bf16").magnitude == 48 * per_bf16


def test_nemotron3_nano_state_by_hand() -> None:
    """NVIDIA-Nemotron-3-Nano-30B-A3B (released config): 23 Mamba-2 layers of 64 heads x 64,
    8 groups of 128, conv 4; SSM state in fp32 (mamba_ssm_cache_dtype)."""
    cfg = json.loads(
        (DATA / "real_configs/dev/nvidia--NVIDIA-Nemotron-3-Nano-30B-A3B-BF16.json").read_text()
    )
    m = read_hf_config(cfg)
    pattern = cfg["hybrid_override_pattern"]
    n_mamba, n_attn = pattern.count("M"), pattern.count("*")
    conv = 3 * (64 * 64 + 2 * 8 * 128) * 2
    ssm = 64 * 64 * 128 * 4
    assert state_bytes_per_sequence(m, "bf16").magnitude == n_mamba * (conv + ssm)
    assert kv_cache_bytes_per_token(m, "bf16").magnitude == n_attn * 2 * 2 * 128 * 2


def test_mimo_v2_sliding_layers_have_their_own_heads() -> None:
    """MiMo-V2-Flash: SWA layers cache 8 KV heads (swa_num_key_value_heads), full layers 4;
    K is 192 wide and V 128 (head_dim, v_head_dim); the window is 128 + 1 tokens."""
    cfg = json.loads((DATA / "real_configs/dev/XiaomiMiMo--MiMo-V2-Flash.json").read_text())
    m = read_hf_config(cfg)
    elems = kv_cache_elements_per_token(m)
    full = [i for i, k in enumerate(m.layer_types) if k == "full"]
    swa = [i for i, k in enumerate(m.layer_types) if k == "sliding"]
    assert {int(elems[i]) for i in full} == {4 * (192 + 128)}
    assert {int(elems[i]) for i in swa} == {8 * (192 + 128)}
    assert m.sliding_window == 129
    # 10,000 tokens: full layers hold all of them, sliding layers their 129
    held = kv_cache_memory(m, 10_000, 1, "bf16").magnitude
    assert held == (len(full) * 10_000 * 4 * 320 + len(swa) * 129 * 8 * 320) * 2


def test_gemma4_kv_sharing_layers_add_no_cache_and_no_kv_weights() -> None:
    cfg = {
        "model_type": "gemma4_text",
        "vocab_size": 100,
        "hidden_size": 64,
        "intermediate_size": 64,
        "num_hidden_layers": 4,
        "num_attention_heads": 2,
        "num_key_value_heads": 1,
        "head_dim": 16,
        "global_head_dim": 32,
        "layer_types": [
            "sliding_attention",
            "full_attention",
            "sliding_attention",
            "full_attention",
        ],
        "num_kv_shared_layers": 2,
        "sliding_window": 8,
        "hidden_size_per_layer_input": 0,
    }
    m = read_hf_config(cfg)
    assert [m.kv_source_layer(i) for i in range(4)] == [0, 1, 0, 1]
    assert list(kv_cache_elements_per_token(m)) == [2 * 16, 2 * 32, 0, 0]
    names = [t.name for t in m.tensors() if t.layer == 3]
    assert "layers.3.self_attn.q_proj" in names and "layers.3.self_attn.k_proj" not in names


def test_falcon_h1_layers_keep_kv_and_state() -> None:
    cfg = {
        "model_type": "falcon_h1",
        "vocab_size": 100,
        "hidden_size": 64,
        "intermediate_size": 64,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "mamba_d_ssm": 64,
        "mamba_n_heads": 4,
        "mamba_d_head": 16,
        "mamba_n_groups": 1,
        "mamba_d_state": 8,
        "mamba_d_conv": 4,
    }
    m = read_hf_config(cfg)
    assert [type(s).__name__ for s in layer_specs(m)[0]] == ["FullAttentionSpec", "Mamba2Spec"]
    assert list(kv_cache_elements_per_token(m)) == [2 * 2 * 16] * 2
    assert state_bytes_per_sequence(m, "bf16").magnitude == 2 * (3 * (64 + 2 * 8) + 4 * 16 * 8) * 2


def test_state_bytes_reject_a_tp_that_does_not_split_the_heads() -> None:
    cfg = json.loads((DATA / "real_configs/dev/Qwen--Qwen3.5-27B.json").read_text())
    with pytest.raises(ls.WorkloadError, match="not divisible"):
        state_bytes_per_sequence(read_hf_config(cfg), tp=5)


def test_vllm_hybrid_blocks_qwen35_27b_by_hand() -> None:
    """vLLM puts attention and state layers in one pool (platforms/interface.py,
    _align_hybrid_block_size): block = 16 * ceil(state page / (16 * attention bytes per token)).

    Qwen3.5-27B (fp32 delta-rule state): one GDN layer's state 3 x 10240 x 2 + 48 x 128 x 128
    x 4 = 3,207,168 B; one attention layer 2 x 4 x 256 x 2 = 4,096 B per token: 16 x
    ceil(48.94) = 784 tokens per block, a page of 784 x 4,096 = 3,211,264 B that every GDN
    layer's state is padded to.
    """
    cfg = json.loads((DATA / "real_configs/dev/Qwen--Qwen3.5-27B.json").read_text())
    m = read_hf_config(cfg)
    assert hybrid_block_tokens(m, "bf16", "bf16") == 784
    page = 784 * 4096
    # 8,192 tokens: 16 attention layers x ceil(8192 / 784) = 11 pages, 48 state pages
    assert vllm_cache_memory(m, 8192, 1).magnitude == (16 * 11 + 48) * page
    # prefix caching (mamba_cache_mode align): two state pages per layer
    assert vllm_cache_memory(m, 8192, 1, state_pages=2).magnitude == (16 * 11 + 96) * page
    # TP 4: 4 KV heads split one per rank, GDN heads and channels split 4 ways: same block
    assert hybrid_block_tokens(m, "bf16", "bf16", tp=4) == 784
    assert vllm_cache_memory(m, 8192, 2, tp=4).magnitude == 2 * (16 * 11 + 48) * page / 4
    # an attention-only model: pages of 16 tokens, the plain KV cache
    llama = ls.load_model("llama-3.1-8b")
    assert hybrid_block_tokens(llama) == 16
    assert vllm_cache_memory(llama, 8192).magnitude == kv_cache_memory(llama, 8192).magnitude
