"""Model configuration and parameter counts.

A :class:`ModelConfig` describes a decoder-only transformer completely enough to
count every parameter its reference implementation instantiates and every byte
of KV cache it keeps: per-layer attention kind (full, sliding window, chunked),
multi-head latent attention (MLA), gated or plain FFNs, mixture-of-experts
layers (routed, shared, dense-first), biases, norms, tied embeddings and the
extra modules a checkpoint carries (DeepSeek-V3's multi-token-prediction layer).

Parameters are enumerated as named tensors (:meth:`ModelConfig.tensors`) with
the shapes the model's own code gives them [1]_ [2]_ [3]_; the counts and the
weight memory in :mod:`llmsizing.memory` are sums over those tensors, so the
block-scale overhead of quantised formats is computed per matrix.

References
----------
.. [1] Hugging Face transformers, ``models/{llama,mistral,mixtral,qwen2,qwen2_moe,
   qwen3,qwen3_moe,gemma3,olmo2,deepseek_v2,deepseek_v3,llama4,gpt_oss}/modeling_*.py``.
.. [2] DeepSeek-AI, "DeepSeek-V2: A Strong, Economical, and Efficient
   Mixture-of-Experts Language Model", arXiv:2405.04434, 2024 (MLA, section 2.1).
.. [3] DeepSeek-AI, "DeepSeek-V3 Technical Report", arXiv:2412.19437, 2024
   (multi-token prediction, section 2.2).

Examples
--------
>>> import llmsizing as ls
>>> m = ls.load_model("llama-3.1-8b")
>>> m.param_counts().total
8030261248
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal, NamedTuple, get_args

import pandas as pd
from pydantic import BaseModel, ConfigDict, model_validator

__all__ = [
    "COMPONENTS",
    "MLAConfig",
    "MoEConfig",
    "ModelConfig",
    "ParamCounts",
    "Tensor",
]

AttentionKind = Literal["full", "sliding", "chunked"]
Component = Literal[
    "embedding",
    "lm_head",
    "attention",
    "dense_ffn",
    "routed_experts",
    "shared_experts",
    "router",
    "norms",
    "extra",
]
#: The components, in the order the breakdowns list them.
COMPONENTS: tuple[Component, ...] = get_args(Component)
TensorKind = Literal["matrix", "embedding", "vector"]
#: What a tensor does in its module; sharding, precision and stage rules read it.
Role = Literal[
    "embedding",  # input token embedding
    "lm_head",  # output projection over the vocabulary
    "q",  # query projection (q_proj, or MLA's q_b_proj / full q_proj)
    "k",  # key projection (and its bias)
    "v",  # value projection (and its bias)
    "o",  # attention output projection
    "q_a",  # MLA query down-projection (replicated in engines)
    "kv_a",  # MLA joint KV down-projection with the rope key (replicated)
    "kv_b",  # MLA KV up-projection
    "sink",  # per-head attention-sink logits
    "gate",  # FFN gate projection
    "up",  # FFN up projection
    "down",  # FFN down projection
    "router",  # MoE router (and its bias)
    "shared_gate",  # sigmoid gate on a shared expert's output
    "norm",  # any norm vector
    "mtp_proj",  # multi-token-prediction input projection
    "other",
]

# Sanity limits: far above any published model, far below values that only a
# typo produces (10**15 layers). Exceeding one is a ConfigError, not a number.
SANITY_LIMITS = {
    "vocab_size": 10**8,
    "hidden_size": 10**6,
    "num_layers": 10**4,
    "num_heads": 10**5,
    "head_dim": 10**5,
    "intermediate_size": 10**7,
    "n_routed_experts": 10**5,
}


class Tensor(NamedTuple):
    """One parameter tensor as the model's code instantiates it.

    ``shape`` of a matrix is ``(..., out_features, in_features)``; leading
    dimensions stack identical matrices (e.g. the routed experts of a layer).
    """

    name: str
    component: Component
    kind: TensorKind
    shape: tuple[int, ...]
    role: Role = "other"
    #: decoder layer index (of the main stack, or of the MTP module's layer); None outside layers
    layer: int | None = None
    #: True for tensors of a multi-token-prediction module
    mtp: bool = False
    #: routed experts stacked in the leading dimension (0: not a routed-expert tensor)
    experts: int = 0

    @property
    def numel(self) -> int:
        """Number of elements [-]."""
        return math.prod(self.shape)


class MLAConfig(BaseModel):
    """Multi-head latent attention dimensions (DeepSeek-V2 section 2.1 [2]_)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    q_lora_rank: int | None
    kv_lora_rank: int
    qk_nope_head_dim: int
    qk_rope_head_dim: int
    v_head_dim: int


class MoEConfig(BaseModel):
    """Mixture-of-experts layout of the MoE layers.

    ``shared_expert_intermediate_size`` is the intermediate width of the one
    MLP that holds all shared experts (DeepSeek builds it as
    ``moe_intermediate_size * n_shared_experts``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    n_routed_experts: int
    experts_per_token: int
    expert_intermediate_size: int
    n_shared_experts: int = 0
    shared_expert_intermediate_size: int = 0
    router_bias: bool = False
    expert_bias: bool = False
    shared_expert_gate: bool = False


class ModelConfig(BaseModel):
    """A decoder-only transformer, described completely enough to size it.

    Build one with :meth:`from_hf_config` or :func:`load_model`; the fields are
    the architecture, independent of any checkpoint format.

    Attributes
    ----------
    layer_types : tuple of {"full", "sliding", "chunked"}
        Attention kind of each layer; sliding layers see ``sliding_window``
        tokens, chunked layers ``attention_chunk_size`` tokens.
    moe_layers : tuple of bool
        True where the layer's FFN is a mixture of experts.
    qk_norm : {None, "head", "full"}
        RMSNorm on queries and keys, per head (Qwen3, Gemma 3) or over the
        whole projection (OLMo 2).
    layer_norms : int
        Hidden-size norms per decoder layer (2, or 4 for Gemma 3).
    mtp_layers : int
        Multi-token-prediction modules the checkpoint carries but inference
        need not load (DeepSeek-V3: 1), counted as ``extra``.
    assumed : tuple of str
        Fields the config file omitted and that took the architecture's
        documented default, so no default is applied silently.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    model_type: str
    vocab_size: int
    hidden_size: int
    num_layers: int
    num_heads: int
    num_kv_heads: int
    head_dim: int
    v_head_dim: int | None = None
    intermediate_size: int
    ffn_gated: bool = True
    layer_types: tuple[AttentionKind, ...]
    sliding_window: int | None = None
    attention_chunk_size: int | None = None
    max_position_embeddings: int | None = None
    mla: MLAConfig | None = None
    moe: MoEConfig | None = None
    moe_layers: tuple[bool, ...] = ()
    qkv_bias: bool = False
    o_bias: bool = False
    qk_norm: Literal["head", "full"] | None = None
    attention_sinks: bool = False
    layer_norms: int = 2
    tie_word_embeddings: bool = False
    mtp_layers: int = 0
    native_weight_format: str | None = None
    source: str | None = None
    assumed: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> ModelConfig:
        problems = _problems(self)
        if problems:
            raise ValueError(f"model {self.name!r}: " + "; ".join(problems))
        return self

    # ------------------------------------------------------------------ build
    @classmethod
    def from_hf_config(
        cls, config: str | Path | Mapping[str, Any], name: str | None = None
    ) -> ModelConfig:
        """Read a Hugging Face ``config.json`` (a path or an already-parsed dict).

        Supported ``model_type``: llama, mistral, mistral3, mixtral, phi3, qwen2,
        qwen2_moe, qwen3, qwen3_moe, gemma2, gemma3 / gemma3_text, olmo2,
        deepseek_v2, deepseek_v3, kimi_k2, glm4_moe, llama4 / llama4_text, gpt_oss.
        Multimodal configs are read through their ``text_config``.

        Raises
        ------
        ConfigError
            Unknown ``model_type``, a missing or ill-typed field (named in the
            message), or an impossible architecture.

        Examples
        --------
        >>> m = ModelConfig.from_hf_config({"model_type": "llama", "vocab_size": 32000,
        ...     "hidden_size": 4096, "intermediate_size": 11008, "num_hidden_layers": 32,
        ...     "num_attention_heads": 32, "num_key_value_heads": 32}, name="llama-2-7b")
        >>> m.param_counts().total
        6738415616
        """
        # the readers sit above this module (they build ModelConfig); looked up at call time
        import importlib

        return importlib.import_module("llmsizing.hf_config").parse(config, name)  # type: ignore[no-any-return]

    # ---------------------------------------------------------------- derived
    @property
    def is_moe(self) -> bool:
        """True if any layer is a mixture of experts."""
        return self.moe is not None and any(self.moe_layers)

    @property
    def n_moe_layers(self) -> int:
        """Number of MoE layers [-]."""
        return sum(self.moe_layers) if self.moe is not None else 0

    def tensors(self, include_extra: bool = True) -> Iterator[Tensor]:
        """Every parameter tensor, in the order the reference code builds them.

        Tied input/output embeddings appear once (as ``embedding``).
        """
        h = self.hidden_size
        yield Tensor("embed_tokens", "embedding", "embedding", (self.vocab_size, h), "embedding")
        for i in range(self.num_layers):
            yield from _layer_tensors(self, i, f"layers.{i}.")
        yield Tensor("norm", "norms", "vector", (h,), "norm")
        if not self.tie_word_embeddings:
            yield Tensor("lm_head", "lm_head", "matrix", (self.vocab_size, h), "lm_head")
        if include_extra:
            for j in range(self.mtp_layers):
                yield from _mtp_tensors(self, j)

    def param_counts(self) -> ParamCounts:
        """Count parameters: total, active per token, and by component.

        total
            What the reference implementation instantiates (tied weights once;
            ``extra`` modules such as DeepSeek-V3's MTP layer not included).
        active
            total minus the routed experts a token does not use: each MoE layer
            contributes ``experts_per_token / n_routed_experts`` of its routed
            experts.
        active_excluding_embedding
            active minus the input embedding (a lookup reads one row), the
            convention DeepSeek and OpenAI publish; tied embeddings stay in,
            since the output head reads the whole matrix.

        Examples
        --------
        >>> import llmsizing as ls
        >>> pc = ls.load_model("mixtral-8x7b").param_counts()
        >>> round(pc.total / 1e9, 1), round(pc.active / 1e9, 1)
        (46.7, 12.9)
        """
        return _param_counts(self)


@functools.lru_cache(maxsize=256)
def _param_counts(m: ModelConfig) -> ParamCounts:
    """Cached body of :meth:`ModelConfig.param_counts` (configs are immutable)."""
    by: dict[str, int] = dict.fromkeys(COMPONENTS, 0)
    for t in m.tensors():
        by[t.component] += t.numel
    total = sum(v for k, v in by.items() if k != "extra")
    routed_active = 0
    if m.moe is not None and by["routed_experts"]:
        # fraction of routed experts a token passes through, per MoE layer
        routed_active = by["routed_experts"] * m.moe.experts_per_token // m.moe.n_routed_experts
    active = total - by["routed_experts"] + routed_active
    active_ex_emb = active if m.tie_word_embeddings else active - by["embedding"]
    return ParamCounts(
        model=m.name,
        total=total,
        active=active,
        active_excluding_embedding=active_ex_emb,
        routed_experts_active=routed_active,
        **by,
    )


class ParamCounts(BaseModel):
    """Parameter counts of a model [-], by component.

    ``total`` excludes ``extra`` (modules inference does not load);
    ``total_with_extra`` is what the checkpoint holds.
    """

    model_config = ConfigDict(frozen=True)

    model: str
    total: int
    active: int
    active_excluding_embedding: int
    embedding: int
    lm_head: int
    attention: int
    dense_ffn: int
    routed_experts: int
    routed_experts_active: int
    shared_experts: int
    router: int
    norms: int
    extra: int

    @property
    def total_with_extra(self) -> int:
        """Parameters including extra modules (e.g. DeepSeek-V3's MTP layer) [-]."""
        return self.total + self.extra

    @property
    def active_fraction(self) -> float:
        """active / total [-]."""
        return self.active / self.total

    def to_frame(self) -> pd.DataFrame:
        """The counts as a one-column DataFrame (rows: quantities, values in billions)."""
        rows = {k: v for k, v in self.model_dump().items() if k != "model"}
        rows["total_with_extra"] = self.total_with_extra
        return pd.DataFrame({"params_B": {k: v / 1e9 for k, v in rows.items()}})

    def _repr_html_(self) -> str:
        return f"<b>{self.model}</b>" + str(self.to_frame().to_html(float_format="{:,.3f}".format))


# ---------------------------------------------------------------------- tensors
def _attention_tensors(m: ModelConfig, p: str) -> Iterator[Tensor]:
    h = m.hidden_size
    if m.mla is not None:
        # MLA projections per DeepSeek-V2 eq. 9-19 and transformers' DeepseekV3Attention
        a = m.mla
        q_head = a.qk_nope_head_dim + a.qk_rope_head_dim
        if a.q_lora_rank is None:
            yield Tensor(p + "q_proj", "attention", "matrix", (m.num_heads * q_head, h), "q")
        else:
            yield Tensor(p + "q_a_proj", "attention", "matrix", (a.q_lora_rank, h), "q_a")
            yield Tensor(p + "q_a_layernorm", "norms", "vector", (a.q_lora_rank,), "norm")
            yield Tensor(
                p + "q_b_proj", "attention", "matrix", (m.num_heads * q_head, a.q_lora_rank), "q"
            )
        yield Tensor(
            p + "kv_a_proj_with_mqa",
            "attention",
            "matrix",
            (a.kv_lora_rank + a.qk_rope_head_dim, h),
            "kv_a",
        )
        yield Tensor(p + "kv_a_layernorm", "norms", "vector", (a.kv_lora_rank,), "norm")
        yield Tensor(
            p + "kv_b_proj",
            "attention",
            "matrix",
            (m.num_heads * (a.qk_nope_head_dim + a.v_head_dim), a.kv_lora_rank),
            "kv_b",
        )
        yield Tensor(p + "o_proj", "attention", "matrix", (h, m.num_heads * a.v_head_dim), "o")
        return
    dk = m.head_dim
    dv = m.v_head_dim or m.head_dim
    q, k, v = m.num_heads * dk, m.num_kv_heads * dk, m.num_kv_heads * dv
    roles: tuple[tuple[str, int, Role], ...] = (
        ("q_proj", q, "q"),
        ("k_proj", k, "k"),
        ("v_proj", v, "v"),
    )
    for nm, out, role in roles:
        yield Tensor(p + nm, "attention", "matrix", (out, h), role)
        if m.qkv_bias:
            yield Tensor(p + nm + ".bias", "attention", "vector", (out,), role)
    yield Tensor(p + "o_proj", "attention", "matrix", (h, m.num_heads * dv), "o")
    if m.o_bias:
        yield Tensor(p + "o_proj.bias", "attention", "vector", (h,), "o")
    if m.qk_norm == "head":
        yield Tensor(p + "q_norm", "norms", "vector", (dk,), "norm")
        yield Tensor(p + "k_norm", "norms", "vector", (dk,), "norm")
    elif m.qk_norm == "full":
        yield Tensor(p + "q_norm", "norms", "vector", (q,), "norm")
        yield Tensor(p + "k_norm", "norms", "vector", (k,), "norm")
    if m.attention_sinks:
        # gpt-oss: one learned attention-sink logit per head
        yield Tensor(p + "sinks", "attention", "vector", (m.num_heads,), "sink")


def _mlp_tensors(
    m: ModelConfig, p: str, inter: int, component: Component, experts: int = 0, bias: bool = False
) -> Iterator[Tensor]:
    """Gated (gate, up, down) or plain (up, down) MLP; ``experts`` > 0 stacks them."""
    h = m.hidden_size
    lead = (experts,) if experts else ()
    names: tuple[tuple[str, Role], ...] = (
        (("gate_proj", "gate"), ("up_proj", "up")) if m.ffn_gated else (("up_proj", "up"),)
    )
    for nm, role in names:
        yield Tensor(p + nm, component, "matrix", (*lead, inter, h), role, experts=experts)
        if bias:
            yield Tensor(
                p + nm + ".bias", component, "vector", (*lead, inter), role, experts=experts
            )
    yield Tensor(p + "down_proj", component, "matrix", (*lead, h, inter), "down", experts=experts)
    if bias:
        yield Tensor(p + "down_proj.bias", component, "vector", (*lead, h), "down", experts=experts)


def _ffn_tensors(m: ModelConfig, i: int, p: str) -> Iterator[Tensor]:
    if m.moe is None or not m.moe_layers[i]:
        yield from _mlp_tensors(m, p + "mlp.", m.intermediate_size, "dense_ffn")
        return
    e = m.moe
    yield Tensor(p + "mlp.gate", "router", "matrix", (e.n_routed_experts, m.hidden_size), "router")
    if e.router_bias:
        yield Tensor(p + "mlp.gate.bias", "router", "vector", (e.n_routed_experts,), "router")
    yield from _mlp_tensors(
        m,
        p + "mlp.experts.",
        e.expert_intermediate_size,
        "routed_experts",
        experts=e.n_routed_experts,
        bias=e.expert_bias,
    )
    if e.shared_expert_intermediate_size:
        yield from _mlp_tensors(
            m, p + "mlp.shared_experts.", e.shared_expert_intermediate_size, "shared_experts"
        )
        if e.shared_expert_gate:
            # Qwen2-MoE: sigmoid gate on the shared expert's output
            yield Tensor(
                p + "mlp.shared_expert_gate",
                "shared_experts",
                "matrix",
                (1, m.hidden_size),
                "shared_gate",
            )


def _layer_tensors(m: ModelConfig, i: int, p: str) -> Iterator[Tensor]:
    """The tensors of decoder layer ``i``, each carrying ``layer=i``."""
    for t in _attention_tensors(m, p + "self_attn."):
        yield t._replace(layer=i)
    for t in _ffn_tensors(m, i, p):
        yield t._replace(layer=i)
    for j in range(m.layer_norms):
        yield Tensor(f"{p}norm{j}", "norms", "vector", (m.hidden_size,), "norm", i)


def _mtp_tensors(m: ModelConfig, j: int) -> Iterator[Tensor]:
    """DeepSeek-V3 multi-token prediction module (tech report section 2.2 [3]_).

    Unique parameters only: enorm, hnorm, the projection of [h; emb] (2h -> h)
    and one full decoder layer; the embedding and output head are shared with
    the main model (the checkpoint stores copies of them). Every tensor has
    ``component="extra"`` and ``mtp=True``; its ``role`` is what it does.
    """
    h = m.hidden_size
    p = f"mtp.{j}."
    last = m.num_layers - 1
    for t in (
        Tensor(p + "enorm", "extra", "vector", (h,), "norm"),
        Tensor(p + "hnorm", "extra", "vector", (h,), "norm"),
        Tensor(p + "eh_proj", "extra", "matrix", (h, 2 * h), "mtp_proj"),
        Tensor(p + "shared_head.norm", "extra", "vector", (h,), "norm"),
    ):
        yield t._replace(mtp=True)
    # the MTP block is the same kind of layer as the model's last layer
    for t in _layer_tensors(m, last, p):
        yield t._replace(component="extra", mtp=True)


# ------------------------------------------------------------------- validation
def _problems(m: ModelConfig) -> list[str]:
    out: list[str] = []
    ints = {
        "vocab_size": m.vocab_size,
        "hidden_size": m.hidden_size,
        "num_layers": m.num_layers,
        "num_heads": m.num_heads,
        "num_kv_heads": m.num_kv_heads,
        "head_dim": m.head_dim,
        "intermediate_size": m.intermediate_size,
    }
    for k, v in ints.items():
        if v <= 0:
            out.append(f"{k} must be positive, got {v}")
        elif v > SANITY_LIMITS.get(k, SANITY_LIMITS["num_heads"]):
            limit = SANITY_LIMITS.get(k, SANITY_LIMITS["num_heads"])
            out.append(f"{k}={v} exceeds the sanity limit {limit}")
    if out:
        return out
    if m.num_heads % m.num_kv_heads:
        out.append(
            f"num_heads ({m.num_heads}) must be a multiple of num_kv_heads ({m.num_kv_heads})"
        )
    if len(m.layer_types) != m.num_layers:
        out.append(f"layer_types has {len(m.layer_types)} entries for {m.num_layers} layers")
    if "sliding" in m.layer_types and not (m.sliding_window and m.sliding_window > 0):
        out.append("sliding layers need a positive sliding_window")
    if "chunked" in m.layer_types and not (m.attention_chunk_size and m.attention_chunk_size > 0):
        out.append("chunked layers need a positive attention_chunk_size")
    if m.mla is not None:
        a = m.mla
        for k in ("kv_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim"):
            if getattr(a, k) <= 0:
                out.append(f"mla.{k} must be positive, got {getattr(a, k)}")
        if a.q_lora_rank is not None and a.q_lora_rank <= 0:
            out.append(f"mla.q_lora_rank must be positive or absent, got {a.q_lora_rank}")
    if m.moe is not None:
        e = m.moe
        if not 0 < e.n_routed_experts <= SANITY_LIMITS["n_routed_experts"]:
            out.append(f"n_routed_experts must be in 1..{SANITY_LIMITS['n_routed_experts']}")
        if not 0 < e.experts_per_token <= e.n_routed_experts:
            out.append(
                f"experts_per_token ({e.experts_per_token}) must be between 1 and "
                f"n_routed_experts ({e.n_routed_experts})"
            )
        if e.expert_intermediate_size <= 0:
            out.append("expert_intermediate_size must be positive")
        if e.n_shared_experts < 0 or e.shared_expert_intermediate_size < 0:
            out.append("shared experts must not be negative")
        if len(m.moe_layers) != m.num_layers:
            out.append(f"moe_layers has {len(m.moe_layers)} entries for {m.num_layers} layers")
    elif any(m.moe_layers):
        out.append("moe_layers marks MoE layers but no moe section is given")
    if m.mtp_layers < 0 or m.layer_norms < 0:
        out.append("mtp_layers and layer_norms must not be negative")
    # the remaining sizes get the limit of the size they play the role of, so
    # that a typo is an error and every byte count stays a finite float
    tokens = 10**12
    others: dict[str, tuple[int | None, int]] = {
        "sliding_window": (m.sliding_window, tokens),
        "attention_chunk_size": (m.attention_chunk_size, tokens),
        "max_position_embeddings": (m.max_position_embeddings, tokens),
        "v_head_dim": (m.v_head_dim, SANITY_LIMITS["head_dim"]),
        "mtp_layers": (m.mtp_layers, SANITY_LIMITS["num_layers"]),
        "layer_norms": (m.layer_norms, SANITY_LIMITS["num_layers"]),
    }
    if m.mla is not None:
        for k in ("kv_lora_rank", "q_lora_rank"):
            others[f"mla.{k}"] = (getattr(m.mla, k), SANITY_LIMITS["hidden_size"])
        for k in ("qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim"):
            others[f"mla.{k}"] = (getattr(m.mla, k), SANITY_LIMITS["head_dim"])
    if m.moe is not None:
        for k in ("expert_intermediate_size", "shared_expert_intermediate_size"):
            others[f"moe.{k}"] = (getattr(m.moe, k), SANITY_LIMITS["intermediate_size"])
        others["moe.n_shared_experts"] = (m.moe.n_shared_experts, SANITY_LIMITS["n_routed_experts"])
    for name, (size, limit) in others.items():
        if size is not None and size > limit:
            out.append(f"{name}={size} exceeds the sanity limit {limit}")
    return out


def __getattr__(name: str) -> Any:
    # load_model and list_models moved to llmsizing.presets (which reads files
    # and so sits above this module); the old spelling still works
    if name in ("load_model", "list_models"):
        import importlib

        return getattr(importlib.import_module("llmsizing.presets"), name)
    raise AttributeError(f"module 'llmsizing.model' has no attribute {name!r}")
