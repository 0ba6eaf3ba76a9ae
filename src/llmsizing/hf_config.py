"""Reading Hugging Face ``config.json`` files into :class:`~llmsizing.model.ModelConfig`.

One small reader per architecture family. Each follows the transformers
configuration and modeling code of that family [1]_: which keys it reads,
which defaults it applies when a key is absent, and which layers are sliding,
chunked or mixture-of-experts. A default is applied only where the
transformers configuration class documents one, and it is recorded in
``ModelConfig.assumed``; a key with no such default must be present, or the
reader raises :class:`~llmsizing.errors.ConfigError` naming it.

References
----------
.. [1] Hugging Face transformers, ``src/transformers/models/<family>/
   configuration_<family>.py`` and ``modeling_<family>.py``.

Examples
--------
>>> from llmsizing.hf_config import parse
>>> m = parse({"model_type": "qwen3", "vocab_size": 151936, "hidden_size": 4096,
...            "intermediate_size": 12288, "num_hidden_layers": 36,
...            "num_attention_heads": 32, "num_key_value_heads": 8, "head_dim": 128,
...            "tie_word_embeddings": False}, name="qwen3-8b")
>>> m.param_counts().total
8190735360
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from llmsizing.errors import ConfigError
from llmsizing.model import SANITY_LIMITS, MLAConfig, ModelConfig, MoEConfig

__all__ = ["SUPPORTED_MODEL_TYPES", "parse"]


# Defaults of the transformers configuration classes (transformers 5.23,
# ``configuration_<family>.py``) for keys a config.json may omit. Only these are
# ever filled in, and each use is recorded in ``ModelConfig.assumed``. A None
# default means "absent": for num_key_value_heads, one KV head per query head.
_DEFAULTS: dict[str, dict[str, Any]] = {
    "llama": {"attention_bias": False, "tie_word_embeddings": False},
    "mistral": {"num_key_value_heads": 8, "sliding_window": 4096, "tie_word_embeddings": False},
    "mixtral": {
        "num_key_value_heads": 8,
        "sliding_window": None,
        "num_experts_per_tok": 2,
        "tie_word_embeddings": False,
    },
    "qwen2": {
        "num_key_value_heads": 32,
        "use_sliding_window": False,
        "sliding_window": 4096,
        "max_window_layers": 28,
        "tie_word_embeddings": False,
    },
    "qwen2_moe": {
        "num_key_value_heads": 16,
        "use_sliding_window": False,
        "sliding_window": 4096,
        "max_window_layers": 28,
        "decoder_sparse_step": 1,
        "num_experts_per_tok": 4,
        "tie_word_embeddings": False,
    },
    "qwen3": {
        "num_key_value_heads": 32,
        "head_dim": 128,
        "use_sliding_window": False,
        "sliding_window": 4096,
        "max_window_layers": 28,
        "attention_bias": False,
        "tie_word_embeddings": False,
    },
    "qwen3_moe": {
        "num_key_value_heads": 4,
        "use_sliding_window": False,
        "sliding_window": 4096,
        "decoder_sparse_step": 1,
        "num_experts_per_tok": 8,
        "attention_bias": False,
        "tie_word_embeddings": False,
    },
    "gemma3_text": {
        "vocab_size": 262208,
        "max_position_embeddings": 131072,
        "num_key_value_heads": 4,
        "head_dim": 256,
        "sliding_window": 4096,
        "sliding_window_pattern": 6,
        "attention_bias": False,
        "tie_word_embeddings": True,
    },
    "gemma2": {
        "vocab_size": 256000,
        "max_position_embeddings": 8192,
        "num_key_value_heads": 4,
        "head_dim": 256,
        "sliding_window": 4096,
        "attention_bias": False,
        "tie_word_embeddings": True,
    },
    "phi3": {"sliding_window": None, "tie_word_embeddings": False},
    "olmo2": {"attention_bias": False, "tie_word_embeddings": False},
    "glm4_moe": {
        "num_key_value_heads": 8,
        "first_k_dense_replace": 1,
        "n_shared_experts": 1,
        "num_experts_per_tok": 8,
        "use_qk_norm": False,
        "attention_bias": False,
        "tie_word_embeddings": False,
    },
    "deepseek_v2": {
        "first_k_dense_replace": 0,
        "moe_layer_freq": 1,
        "n_shared_experts": 2,
        "attention_bias": False,
        "tie_word_embeddings": False,
    },
    "deepseek_v3": {
        "num_key_value_heads": 128,
        "first_k_dense_replace": 3,
        "moe_layer_freq": 1,
        "n_shared_experts": 1,
        "num_experts_per_tok": 8,
        "attention_bias": False,
        "tie_word_embeddings": False,
    },
    "llama4_text": {
        "num_key_value_heads": 8,
        "head_dim": 128,
        "attention_chunk_size": 8192,
        "num_experts_per_tok": 1,
        "interleave_moe_layer_step": 1,
        "no_rope_layer_interval": 4,
        "attention_bias": False,
        "tie_word_embeddings": False,
    },
    "gpt_oss": {
        "num_key_value_heads": 8,
        "head_dim": 64,
        "sliding_window": 128,
        "num_experts_per_tok": 4,
        "attention_bias": True,
        "tie_word_embeddings": False,
    },
}


class _Reader:
    """Reads keys of one config dict, naming the file and key in every error."""

    def __init__(self, data: Mapping[str, Any], where: str, model_type: str) -> None:
        self.data = data
        self.where = where
        self.model_type = model_type
        self.assumed: list[str] = []
        self.defaults = _DEFAULTS.get(model_type, {})

    def _default(self, key: str, fallback: Any, why: str) -> tuple[bool, Any]:
        """(found, value) for an absent key: the transformers default, else ``fallback``."""
        if key in self.defaults:
            value = self.defaults[key]
            self.assumed.append(f"{key}={value} (transformers {self.model_type} default)")
            return True, value
        if fallback is not None:
            self.assumed.append(f"{key}={fallback} ({why or 'transformers default'})")
            return True, fallback
        return False, None

    def _fail(self, msg: str) -> ConfigError:
        return ConfigError(f"{self.where} (model_type {self.model_type!r}): {msg}")

    def integer(self, key: str, default: int | None = None, *, why: str = "") -> int:
        """A required positive-or-zero integer; ``default`` only if transformers has one."""
        if key not in self.data or self.data[key] is None:
            found, value = self._default(key, default, why)
            if not found or value is None:
                raise self._fail(f"missing required field {key!r}")
            return int(value)
        v = self.data[key]
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise self._fail(f"field {key!r} must be an integer, got {v!r}")
        if isinstance(v, float) and (not math.isfinite(v) or v != int(v)):
            raise self._fail(f"field {key!r} must be an integer, got {v!r}")
        if v < 0:
            raise self._fail(f"field {key!r} must not be negative, got {v!r}")
        return int(v)

    def opt_integer(self, key: str) -> int | None:
        """An optional integer: None when null; the transformers default when absent."""
        if key not in self.data:
            found, value = self._default(key, None, "")
            return int(value) if found and value is not None else None
        if self.data[key] is None:
            return None
        return self.integer(key)

    def boolean(self, key: str, default: bool, *, why: str = "") -> bool:
        if key not in self.data or self.data[key] is None:
            return bool(self._default(key, default, why)[1])
        v = self.data[key]
        if not isinstance(v, bool):
            raise self._fail(f"field {key!r} must be true or false, got {v!r}")
        return v

    def sequence(self, key: str) -> list[Any] | None:
        v = self.data.get(key)
        if v is None:
            return None
        if not isinstance(v, list):
            raise self._fail(f"field {key!r} must be a list, got {v!r}")
        return v

    def layer_indices(self, key: str) -> list[int] | None:
        """An optional list of layer indices (integers >= 0)."""
        v = self.sequence(key)
        for x in v or []:
            if isinstance(x, bool) or not isinstance(x, int) or x < 0:
                raise self._fail(f"field {key!r} must list layer indices, got entry {x!r}")
        return v


def _load(config: str | Path | Mapping[str, Any]) -> tuple[dict[str, Any], str]:
    if isinstance(config, Mapping):
        return dict(config), "config"
    path = Path(config)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except UnicodeDecodeError as e:
        raise ConfigError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    except OSError as e:
        raise ConfigError(f"{path}: cannot read ({e.strerror})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ConfigError(
            f"{path}: invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}"
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a JSON object, got {type(data).__name__}")
    return data, str(path)


def _layer_types_from_list(r: _Reader, n: int) -> list[str] | None:
    names = {
        "full_attention": "full",
        "sliding_attention": "sliding",
        "chunked_attention": "chunked",
    }
    raw = r.sequence("layer_types")
    if raw is None:
        return None
    if len(raw) != n:
        raise r._fail(f"field 'layer_types' has {len(raw)} entries for {n} layers")
    out = []
    for i, t in enumerate(raw):
        if not isinstance(t, str) or t not in names:
            raise r._fail(f"layer_types[{i}] = {t!r} is not supported (known: {', '.join(names)})")
        out.append(names[t])
    return out


def _common(r: _Reader, *, mla: bool = False) -> dict[str, Any]:
    """Keys every decoder reads: sizes, heads, head_dim, KV heads, tying.

    ``mla``: head widths come from the MLA dimensions, so hidden_size need not
    divide by the heads.
    """
    n = r.integer("num_hidden_layers")
    vocab = r.integer("vocab_size")
    # checked before any per-layer list is built from them
    for key, value, limit in (
        ("num_hidden_layers", n, "num_layers"),
        ("vocab_size", vocab, "vocab_size"),
    ):
        if value > SANITY_LIMITS[limit]:
            raise r._fail(
                f"field {key!r} = {value} exceeds the sanity limit {SANITY_LIMITS[limit]}"
            )
    hidden = r.integer("hidden_size")
    heads = r.integer("num_attention_heads")
    if heads == 0:
        raise r._fail("field 'num_attention_heads' must be positive")
    if r.data.get("head_dim") is not None or "head_dim" in r.defaults or mla:
        head_dim = 1 if mla else r.integer("head_dim")
    else:
        if hidden % heads:
            raise r._fail(
                f"num_attention_heads ({heads}) does not divide hidden_size ({hidden}) "
                "and no head_dim is given"
            )
        head_dim = hidden // heads
    kv = r.integer(
        "num_key_value_heads", heads, why="transformers default: num_attention_heads (MHA)"
    )
    if kv == 0 or heads % kv:
        raise r._fail(f"num_key_value_heads ({kv}) must divide num_attention_heads ({heads})")
    return {
        "vocab_size": vocab,
        "hidden_size": hidden,
        "num_layers": n,
        "num_heads": heads,
        "num_kv_heads": kv,
        "head_dim": head_dim,
        "intermediate_size": r.integer("intermediate_size"),
        "max_position_embeddings": r.opt_integer("max_position_embeddings"),
        "tie_word_embeddings": r.boolean("tie_word_embeddings", False),
    }


def _window_everywhere(r: _Reader, n: int) -> dict[str, Any]:
    """Mistral/Mixtral: ``sliding_window`` (if set) applies to every layer."""
    types = _layer_types_from_list(r, n)
    w = r.opt_integer("sliding_window")
    if types is None:
        types = ["sliding" if w else "full"] * n
    return {"layer_types": tuple(types), "sliding_window": w}


def _qwen_window(r: _Reader, n: int) -> dict[str, Any]:
    """Qwen2/Qwen3: window only when ``use_sliding_window``, on layers >= max_window_layers."""
    types = _layer_types_from_list(r, n)
    w = r.opt_integer("sliding_window") if r.data.get("use_sliding_window") else None
    if types is None:
        start = r.opt_integer("max_window_layers") or 0
        types = ["sliding" if w and i >= start else "full" for i in range(n)]
    return {"layer_types": tuple(types), "sliding_window": w}


def _llama(r: _Reader) -> dict[str, Any]:
    c = _common(r)
    bias = r.boolean("attention_bias", False)
    if r.data.get("mlp_bias"):
        raise r._fail("mlp_bias=true is not supported")
    return {
        **c,
        "layer_types": ("full",) * c["num_layers"],
        "qkv_bias": bias,
        "o_bias": bias,
    }


def _mistral(r: _Reader) -> dict[str, Any]:
    c = _common(r)
    return {**c, **_window_everywhere(r, c["num_layers"])}


def _mixtral(r: _Reader) -> dict[str, Any]:
    c = _common(r)
    moe = MoEConfig(
        n_routed_experts=r.integer("num_local_experts"),
        experts_per_token=r.integer("num_experts_per_tok"),
        expert_intermediate_size=c["intermediate_size"],
    )
    return {
        **c,
        **_window_everywhere(r, c["num_layers"]),
        "moe": moe,
        "moe_layers": (True,) * c["num_layers"],
    }


def _qwen_moe_layers(r: _Reader, n: int, experts: int) -> tuple[bool, ...]:
    # transformers Qwen3MoeDecoderLayer: MoE iff layer not in mlp_only_layers and
    # num_experts > 0 and (layer_idx + 1) % decoder_sparse_step == 0
    step = r.integer("decoder_sparse_step", 1)
    only = set(r.layer_indices("mlp_only_layers") or [])
    if step == 0:
        raise r._fail("field 'decoder_sparse_step' must be positive")
    return tuple(i not in only and experts > 0 and (i + 1) % step == 0 for i in range(n))


def _qwen2(r: _Reader) -> dict[str, Any]:
    c = _common(r)
    # Qwen2Attention: q/k/v projections always carry a bias, o_proj never
    return {**c, **_qwen_window(r, c["num_layers"]), "qkv_bias": True}


def _qwen2_moe(r: _Reader) -> dict[str, Any]:
    c = _qwen2(r)
    experts = r.integer("num_experts")
    shared = r.integer("shared_expert_intermediate_size")
    moe = MoEConfig(
        n_routed_experts=experts,
        experts_per_token=r.integer("num_experts_per_tok"),
        expert_intermediate_size=r.integer("moe_intermediate_size"),
        n_shared_experts=1 if shared else 0,
        shared_expert_intermediate_size=shared,
        shared_expert_gate=bool(shared),
    )
    return {**c, "moe": moe, "moe_layers": _qwen_moe_layers(r, c["num_layers"], experts)}


def _qwen3(r: _Reader) -> dict[str, Any]:
    c = _common(r)
    bias = r.boolean("attention_bias", False)
    return {
        **c,
        **_qwen_window(r, c["num_layers"]),
        "qkv_bias": bias,
        "o_bias": bias,
        "qk_norm": "head",
    }


def _qwen3_moe(r: _Reader) -> dict[str, Any]:
    c = _qwen3(r)
    experts = r.integer("num_experts")
    moe = MoEConfig(
        n_routed_experts=experts,
        experts_per_token=r.integer("num_experts_per_tok"),
        expert_intermediate_size=r.integer("moe_intermediate_size"),
    )
    return {**c, "moe": moe, "moe_layers": _qwen_moe_layers(r, c["num_layers"], experts)}


def _gemma2(r: _Reader) -> dict[str, Any]:
    c = _common(r)
    n = c["num_layers"]
    types = _layer_types_from_list(r, n)
    if types is None:
        # Gemma2Config: even layers (0, 2, ...) sliding, odd layers global
        types = ["sliding" if (i + 1) % 2 else "full" for i in range(n)]
    bias = r.boolean("attention_bias", False)
    return {
        **c,
        "layer_types": tuple(types),
        "sliding_window": r.integer("sliding_window"),
        "qkv_bias": bias,
        "o_bias": bias,
        # input, post-attention, pre-feedforward and post-feedforward RMSNorms
        "layer_norms": 4,
    }


def _phi3(r: _Reader) -> dict[str, Any]:
    # Phi3 fuses q/k/v (qkv_proj) and gate/up (gate_up_proj): the same parameters
    # as separate projections, without biases; the window (if any) is on every layer
    c = _common(r)
    return {**c, **_window_everywhere(r, c["num_layers"])}


def _glm4_moe(r: _Reader) -> dict[str, Any]:
    c = _common(r)
    n = c["num_layers"]
    moe_inter = r.integer("moe_intermediate_size")
    shared = r.integer("n_shared_experts")
    moe = MoEConfig(
        n_routed_experts=r.integer("n_routed_experts"),
        experts_per_token=r.integer("num_experts_per_tok"),
        expert_intermediate_size=moe_inter,
        n_shared_experts=shared,
        shared_expert_intermediate_size=moe_inter * shared,
    )
    first = r.integer("first_k_dense_replace")
    return {
        **c,
        "layer_types": ("full",) * n,
        # Glm4MoeAttention: q/k/v carry attention_bias, o_proj never
        "qkv_bias": r.boolean("attention_bias", False),
        "qk_norm": "head" if r.boolean("use_qk_norm", False) else None,
        "moe": moe,
        # Glm4MoeDecoderLayer: MoE iff layer_idx >= first_k_dense_replace
        "moe_layers": tuple(i >= first for i in range(n)),
        "mtp_layers": r.integer("num_nextn_predict_layers", 0, why="no multi-token prediction"),
    }


def _gemma3(r: _Reader) -> dict[str, Any]:
    # vocab_size, head_dim (256, not hidden/heads), window and pattern may be
    # omitted from a multimodal file's text_config: Gemma3TextConfig defaults
    c = _common(r)
    n = c["num_layers"]
    types = _layer_types_from_list(r, n)
    w = r.integer("sliding_window")
    if types is None:
        # layer i is global when (i + 1) % sliding_window_pattern == 0 (5 local : 1 global)
        pattern = r.integer("sliding_window_pattern")
        if pattern == 0:
            raise r._fail("field 'sliding_window_pattern' must be positive")
        types = ["full" if (i + 1) % pattern == 0 else "sliding" for i in range(n)]
    bias = r.boolean("attention_bias", False)
    return {
        **c,
        "layer_types": tuple(types),
        "sliding_window": w,
        "qkv_bias": bias,
        "o_bias": bias,
        "qk_norm": "head",
        # input, post-attention, pre-feedforward and post-feedforward RMSNorms
        "layer_norms": 4,
    }


def _olmo2(r: _Reader) -> dict[str, Any]:
    c = _common(r)
    bias = r.boolean("attention_bias", False)
    # Olmo2Attention normalises the whole q and k projections; the decoder layer
    # has post-attention and post-feedforward norms only
    return {
        **c,
        "layer_types": ("full",) * c["num_layers"],
        "qkv_bias": bias,
        "o_bias": bias,
        "qk_norm": "full",
    }


def _deepseek(r: _Reader) -> dict[str, Any]:
    c = _common(r, mla=True)
    n = c["num_layers"]
    mla = MLAConfig(
        q_lora_rank=r.opt_integer("q_lora_rank"),
        kv_lora_rank=r.integer("kv_lora_rank"),
        qk_nope_head_dim=r.integer("qk_nope_head_dim"),
        qk_rope_head_dim=r.integer("qk_rope_head_dim"),
        v_head_dim=r.integer("v_head_dim"),
    )
    experts = r.integer("n_routed_experts", 0, why="absent: a dense model")
    moe = None
    moe_layers: tuple[bool, ...] = ()
    if experts:
        first = r.integer("first_k_dense_replace", 0)
        freq = r.integer("moe_layer_freq", 1)
        if freq == 0:
            raise r._fail("field 'moe_layer_freq' must be positive")
        moe_inter = r.integer("moe_intermediate_size")
        shared = r.integer("n_shared_experts", 0)
        moe = MoEConfig(
            n_routed_experts=experts,
            experts_per_token=r.integer("num_experts_per_tok"),
            expert_intermediate_size=moe_inter,
            n_shared_experts=shared,
            # DeepseekV3MoE: shared experts are one MLP of width moe_inter * n_shared
            shared_expert_intermediate_size=moe_inter * shared,
        )
        # DeepseekV3DecoderLayer: MoE iff layer_idx >= first_k_dense_replace and
        # layer_idx % moe_layer_freq == 0
        moe_layers = tuple(i >= first and i % freq == 0 for i in range(n))
    bias = r.boolean("attention_bias", False)
    if bias:
        raise r._fail("attention_bias=true is not supported for MLA models")
    fmt = None
    q = r.data.get("quantization_config")
    if isinstance(q, Mapping) and q.get("quant_method") == "fp8":
        fmt = "fp8"
    return {
        **c,
        "head_dim": mla.qk_nope_head_dim + mla.qk_rope_head_dim,
        "v_head_dim": mla.v_head_dim,
        "layer_types": ("full",) * n,
        "mla": mla,
        "moe": moe,
        "moe_layers": moe_layers,
        "mtp_layers": r.integer("num_nextn_predict_layers", 0, why="no multi-token prediction"),
        "native_weight_format": fmt,
    }


def _llama4(r: _Reader) -> dict[str, Any]:
    c = _common(r)
    n = c["num_layers"]
    experts = r.integer("num_local_experts")
    step = r.integer("interleave_moe_layer_step", 1)
    explicit = r.layer_indices("moe_layers")
    if explicit is not None:
        moe_set = set(explicit)
    else:
        if step == 0:
            raise r._fail("field 'interleave_moe_layer_step' must be positive")
        # Llama4TextConfig: moe_layers = range(step - 1, num_layers, step)
        moe_set = set(range(step - 1, n, step))
    inter = c["intermediate_size"]
    moe = MoEConfig(
        n_routed_experts=experts,
        experts_per_token=r.integer("num_experts_per_tok"),
        expert_intermediate_size=inter,
        n_shared_experts=1,
        shared_expert_intermediate_size=inter,
    )
    types = _layer_types_from_list(r, n)
    if types is None:
        # Llama4TextConfig: no_rope_layers[i] = 1 (RoPE, chunked attention) unless
        # (i + 1) % no_rope_layer_interval == 0 (NoPE, global attention)
        nope = r.sequence("no_rope_layers") or []
        if len(nope) not in (0, n):
            raise r._fail(f"field 'no_rope_layers' has {len(nope)} entries for {n} layers")
        interval = r.integer("no_rope_layer_interval", 4, why="Llama4TextConfig default")
        if not nope:
            if interval == 0:
                raise r._fail("field 'no_rope_layer_interval' must be positive")
            nope = [int((i + 1) % interval != 0) for i in range(n)]
        types = ["chunked" if use_rope else "full" for use_rope in nope]
    chunk = r.opt_integer("attention_chunk_size")
    bias = r.boolean("attention_bias", False)
    return {
        **c,
        # dense layers use intermediate_size_mlp; experts and the shared expert intermediate_size
        "intermediate_size": r.integer("intermediate_size_mlp"),
        "layer_types": tuple(types),
        "attention_chunk_size": chunk,
        "qkv_bias": bias,
        "o_bias": bias,
        # use_qk_norm is a weightless L2 norm in Llama 4: no parameters
        "moe": moe,
        "moe_layers": tuple(i in moe_set for i in range(n)),
    }


def _gpt_oss(r: _Reader) -> dict[str, Any]:
    c = _common(r)
    n = c["num_layers"]
    types = _layer_types_from_list(r, n)
    w = r.opt_integer("sliding_window")
    if types is None:
        # GptOssConfig default: alternate sliding and full, starting with sliding
        types = ["sliding" if i % 2 == 0 else "full" for i in range(n)]
        r.assumed.append("layer_types alternating sliding/full (GptOssConfig default)")
    experts = r.integer("num_local_experts")
    # gpt-oss configs carry both names; GptOssConfig reads num_experts_per_tok
    k_key = "experts_per_token" if "num_experts_per_tok" not in r.data else "num_experts_per_tok"
    moe = MoEConfig(
        n_routed_experts=experts,
        experts_per_token=r.integer(k_key),
        expert_intermediate_size=c["intermediate_size"],
        router_bias=True,
        expert_bias=True,
    )
    bias = r.boolean("attention_bias", True)
    q = r.data.get("quantization_config")
    fmt = "mxfp4-experts" if isinstance(q, Mapping) and q.get("quant_method") == "mxfp4" else None
    return {
        **c,
        "layer_types": tuple(types),
        "sliding_window": w,
        "qkv_bias": bias,
        "o_bias": bias,
        "attention_sinks": True,
        "moe": moe,
        "moe_layers": (True,) * n,
        "native_weight_format": fmt,
    }


_READERS: dict[str, Callable[[_Reader], dict[str, Any]]] = {
    "llama": _llama,
    "mistral": _mistral,
    "mixtral": _mixtral,
    "qwen2": _qwen2,
    "qwen2_moe": _qwen2_moe,
    "qwen3": _qwen3,
    "qwen3_moe": _qwen3_moe,
    "gemma3_text": _gemma3,
    "olmo2": _olmo2,
    "deepseek_v2": _deepseek,
    "deepseek_v3": _deepseek,
    "llama4_text": _llama4,
    "gpt_oss": _gpt_oss,
    "gemma2": _gemma2,
    "phi3": _phi3,
    "glm4_moe": _glm4_moe,
    # Kimi K2 ships the DeepSeek-V3 architecture under its own model_type
    "kimi_k2": _deepseek,
}
# multimodal wrappers whose language model sits in "text_config"
_WRAPPERS = {"gemma3": "gemma3_text", "llama4": "llama4_text", "mistral3": "mistral"}
SUPPORTED_MODEL_TYPES: tuple[str, ...] = tuple(sorted([*_READERS, *_WRAPPERS]))


def parse(config: str | Path | Mapping[str, Any], name: str | None = None) -> ModelConfig:
    """Parse a Hugging Face config (path or dict) into a :class:`ModelConfig`.

    Raises
    ------
    ConfigError
        Unknown ``model_type``, missing or ill-typed field, impossible architecture.
    """
    data, where = _load(config)
    model_type = data.get("model_type")
    if not isinstance(model_type, str):
        raise ConfigError(f"{where}: missing required field 'model_type'")
    inner = model_type
    if model_type in _WRAPPERS:
        text = data.get("text_config")
        if not isinstance(text, Mapping):
            raise ConfigError(
                f"{where} (model_type {model_type!r}): missing required field 'text_config'"
            )
        data = dict(text)
        inner = _WRAPPERS[model_type]
        where = f"{where} › text_config"
    if inner not in _READERS:
        raise ConfigError(
            f"{where}: model_type {model_type!r} is not supported "
            f"(supported: {', '.join(SUPPORTED_MODEL_TYPES)})"
        )
    r = _Reader(data, where, inner)
    try:
        fields = _READERS[inner](r)
        if name is None:
            name = str(data.get("_name_or_path") or model_type)
        return ModelConfig(name=name, model_type=model_type, assumed=tuple(r.assumed), **fields)
    except ValidationError as e:
        msgs = "; ".join(
            f"{'.'.join(str(x) for x in err['loc']) or 'config'}: {err['msg']}"
            for err in e.errors()
        )
        raise ConfigError(f"{where} (model_type {model_type!r}): {msgs}") from None
