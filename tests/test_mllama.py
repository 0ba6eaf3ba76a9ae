"""Llama 3.2 Vision (``mllama``): parameter counts, cross-attention KV, refused configs.

Expected counts come from transformers 5.24 on the meta device
(``scripts/derive_param_counts.py``: ``real`` for the 11B config in
``tests/data/real_configs/dev``, ``families`` for the randomised ``mllama`` configs of
``tests/data/family_configs.json`` and ``family_configs_heldout.json``). The cache sizes
are worked by hand from ``MllamaTextCrossAttention`` (K and V of the vision tokens,
``num_key_value_heads`` heads of ``hidden_size // num_attention_heads``) and vLLM V0's
``calc_token_per_chunk`` (``(image_size // 14) ** 2 + 1`` tokens per tile).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import llmsizing as ls
from llmsizing import ConfigError
from llmsizing.attention import (
    CrossAttentionSpec,
    as_mha,
    attended_tokens,
    layer_specs,
    layer_windows,
    state_tensors,
)
from llmsizing.errors import WorkloadError
from llmsizing.memory import (
    kv_cache_bytes_per_token,
    kv_cache_memory,
    state_bytes_per_sequence,
)

DATA = Path(__file__).parent / "data"
CONFIG = DATA / "real_configs" / "dev" / "meta-llama--Llama-3.2-11B-Vision.json"
REAL = json.loads((DATA / "hf_param_counts_real.json").read_text())["models"]
CROSS = (3, 8, 13, 18, 23, 28, 33, 38)


def _raw() -> dict[str, Any]:
    return json.loads(CONFIG.read_text())  # type: ignore[no-any-return]


def _family_entries() -> list[Any]:
    out = []
    for name in ("family_configs.json", "family_configs_heldout.json"):
        models = json.loads((DATA / name).read_text())["models"]
        out += [pytest.param(e, id=k) for k, e in models.items() if e["model_type"] == "mllama"]
    return out


def test_11b_counts_equal_transformers_exactly() -> None:
    entry = REAL["meta-llama--Llama-3.2-11B-Vision"]
    pc = ls.read_hf_config(CONFIG).param_counts()
    assert pc.total == entry["total"] == 9_775_192_080
    assert pc.vision == entry["vision"] == 867_749_395
    # Hugging Face lists 10.6B parameters for the checkpoint
    assert pc.total_with_vision == 10_642_941_475


def test_11b_text_model_by_hand() -> None:
    pc = ls.read_hf_config(CONFIG).param_counts()
    h, inter, v, kv, d = 4096, 14336, 128256, 8, 128
    attn = 2 * h * h + 2 * h * kv * d  # q, o and k, v
    mlp = 3 * h * inter
    self_layer = attn + mlp + 2 * h
    # cross layer: the same projections, q_norm and k_norm of one head, two tanh gates
    cross_layer = attn + mlp + 2 * h + 2 * d + 2
    embed = (v + 8) * h  # MllamaTextModel: nn.Embedding(vocab_size + 8, hidden_size)
    total = embed + 32 * self_layer + 8 * cross_layer + h + v * h
    assert pc.total == total
    assert pc.embedding == embed and pc.lm_head == v * h


@pytest.mark.parametrize("entry", _family_entries())
def test_randomised_configs_equal_transformers_exactly(entry: dict[str, Any]) -> None:
    pc = ls.read_hf_config(entry["config"]).param_counts()
    assert pc.total == entry["total"]
    assert pc.vision == entry["vision"]


def test_every_set_has_mllama_configs() -> None:
    # the parametrised test above must not silently run zero cases
    assert len(_family_entries()) == 6


def test_layer_kinds_and_reader_fields() -> None:
    m = ls.read_hf_config(CONFIG)
    assert [i for i, k in enumerate(m.layer_types) if k == "cross"] == list(CROSS)
    assert set(m.layer_types) == {"full", "cross"}
    assert m.head_dim == 128 and m.num_kv_heads == 8
    assert m.embedding_rows == 128256 + 8 and not m.tie_word_embeddings
    v = m.vision
    assert v is not None and v.kind == "mllama"
    assert (v.depth, v.global_depth, v.max_num_tiles, v.aspect_ratios) == (32, 8, 4, 8)
    assert v.position_embeddings == 32 * 32 + 1


def test_vision_tokens_per_image() -> None:
    # 4 tiles x ((448 / 14)^2 + 1) patches for the base checkpoint
    assert ls.read_hf_config(CONFIG).cross_attention_tokens == 4 * 1025 == 4100
    # the -Instruct release tiles at 560 px: 4 x 1601
    raw = _raw()
    raw["vision_config"]["image_size"] = 560
    assert ls.read_hf_config(raw).cross_attention_tokens == 4 * 1601 == 6404


def test_cross_attention_kv_by_hand() -> None:
    m = ls.read_hf_config(CONFIG)
    tokens, kv, d = 4100, 8, 128
    # per cross layer and sequence: K and V of every vision token, bf16
    per_layer = 2 * kv * d * tokens * 2
    assert per_layer == 16_793_600
    assert layer_specs(m)[3] == (CrossAttentionSpec(kv, d, tokens),)
    assert state_tensors(m)[3][0].shape == (2, kv, tokens, d)
    assert state_bytes_per_sequence(m).magnitude == 8 * per_layer == 134_348_800
    assert state_bytes_per_sequence(m, "fp8").magnitude == 8 * per_layer // 2
    # tensor parallelism splits whole KV heads, one head per rank beyond their count
    assert state_bytes_per_sequence(m, tp=2).magnitude == 8 * per_layer // 2
    assert state_bytes_per_sequence(m, tp=16).magnitude == 8 * per_layer // 8
    # the text tokens' KV: the 32 self-attention layers only, growing with the context
    per_token = 32 * 2 * kv * d * 2
    assert kv_cache_bytes_per_token(m, "bf16").magnitude == per_token == 131_072
    assert kv_cache_memory(m, 8192).magnitude == 8192 * per_token
    # a cross layer holds and attends to no text token
    windows = layer_windows(m)
    assert windows[3] == 0 and np.isinf(windows[0])
    assert attended_tokens(m, 1000)[3] == 0 and attended_tokens(m, 1000)[0] == 1000
    # as multi-head attention the cross layers keep 32 heads of K and V too
    mha = as_mha(m)
    assert mha.layer_types == m.layer_types
    assert state_bytes_per_sequence(mha).magnitude == 4 * 8 * per_layer


def test_capacity_with_engine_is_refused_in_one_line() -> None:
    m = ls.read_hf_config(CONFIG)
    with pytest.raises(WorkloadError) as e:
        ls.kv_cache_capacity(m, "p5.48xlarge", {"context_len": 8192}, layout="TP1")
    msg = str(e.value)
    assert "\n" not in msg and "not modelled" in msg and "cross-attention" in msg


def test_fit_with_engine_is_refused_and_generic_fit_sizes_it() -> None:
    m = ls.read_hf_config(CONFIG)
    w = {"context_len": 8192}
    with pytest.raises(WorkloadError, match="cross-attention KV of vision tokens"):
        ls.fit(m, "p5.48xlarge", w, layout="TP1", engine="vllm-0.6")
    r = ls.fit(m, "p5.48xlarge", w, layout="TP1")
    assert r.fits


def test_generic_capacity_counts_the_vision_kv_per_sequence() -> None:
    m = ls.read_hf_config(CONFIG)
    cap = ls.kv_cache_capacity(m, "p5.48xlarge", {"context_len": 8192}, layout="TP1", engine=None)
    per_seq = 8192 * 131_072 + 134_348_800
    assert cap.max_concurrency == pytest.approx(cap.kv_cache_bytes / per_seq)
    assert cap.tokens == int(cap.kv_cache_bytes / per_seq * 8192) // 16 * 16


def test_absent_cross_attention_layers_take_the_class_default() -> None:
    raw = _raw()
    del raw["text_config"]["cross_attention_layers"]
    m = ls.read_hf_config(raw)
    assert [i for i, k in enumerate(m.layer_types) if k == "cross"] == list(CROSS)
    assert any("cross_attention_layers" in a and "default" in a for a in m.assumed)


def test_tied_head_is_ignored_and_said() -> None:
    raw = _raw()
    raw["text_config"]["tie_word_embeddings"] = True
    m = ls.read_hf_config(raw)
    assert not m.tie_word_embeddings
    assert m.param_counts().total == REAL["meta-llama--Llama-3.2-11B-Vision"]["total"]


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        ({"cross_attention_layers": [3, 8, 40]}, "cross_attention_layers entry 40"),
        ({"num_hidden_layers": 30}, "cross_attention_layers entry 33"),
        ({"cross_attention_layers": [3, "8"]}, "cross_attention_layers"),
        ({"cross_attention_layers": [-1]}, "cross_attention_layers"),
    ],
)
def test_bad_cross_attention_layers_are_refused_with_the_reason(
    edit: dict[str, Any], says: str
) -> None:
    raw = _raw()
    raw["text_config"].update(edit)
    with pytest.raises(ConfigError) as e:
        ls.read_hf_config(raw)
    msg = str(e.value)
    assert "\n" not in msg and says in msg


def test_bad_vision_geometry_is_refused_by_name() -> None:
    raw = copy.deepcopy(_raw())
    raw["vision_config"]["image_size"] = 450
    with pytest.raises(ConfigError, match="image_size"):
        ls.read_hf_config(raw)


def test_missing_vision_config_takes_the_class_defaults() -> None:
    raw = _raw()
    del raw["vision_config"]
    m = ls.read_hf_config(raw)
    assert m.cross_attention_tokens == 4100 and m.vision is None
    assert any("max_num_tiles" in a for a in m.assumed)


def test_a_cross_layer_needs_vision_tokens() -> None:
    m = ls.read_hf_config(CONFIG)
    with pytest.raises(ValueError, match="cross_attention_tokens"):
        ls.ModelConfig(**(m.model_dump() | {"cross_attention_tokens": 0}))


def test_11b_vision_tower_by_hand() -> None:
    pc = ls.read_hf_config(CONFIG).param_counts()
    h, inter, n, tiles, rows = 1280, 5120, 32 * 32 + 1, 4, 8 + 1
    local = 4 * h * h + (h * inter + inter) + (inter * h + h) + 2 * 2 * h
    position = 1 + n * h + rows * tiles * n * h  # gate, patch table, tile table
    aspect = 2 * (rows * tiles * h + 1)  # pre- and post-tile tables with their gates
    projector = 7680 * 4096 + 4096
    tower = 3 * h * 14 * 14 + h + position + aspect + 2 * 2 * h + 32 * local + 8 * (local + 2)
    assert pc.vision == tower + projector


def test_decode_and_prefill_attend_every_vision_token_on_cross_layers() -> None:
    # 32 self-attention layers attend the T text tokens, the 8 cross layers the image's
    # 4 x 1025 vision tokens whatever T: 2 x 32 heads x (128 + 128) FLOPs per key
    from llmsizing import perf

    m = ls.read_hf_config(CONFIG)
    per_key = 2 * 32 * (128 + 128)
    t = 1000
    dense = 2 * m.param_counts().active_excluding_embedding
    want = dense + per_key * (32 * t + 8 * 4100)
    assert perf.decode_flops_per_token(m, t).magnitude == want
    # prefill: query i attends i text tokens on self layers and 4100 on cross layers
    want_pre = per_key * (32 * t * (t + 1) / 2 + 8 * t * 4100)
    assert perf.attention_flops_prefill(m, t).magnitude == pytest.approx(want_pre, rel=1e-12)
