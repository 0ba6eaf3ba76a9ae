"""Memory of a model: weights (by dtype, with scale overhead), KV cache and experts.

Every function returns a :class:`pint.Quantity` in bytes from
:data:`llmsizing.units.ureg`.

Weights are summed tensor by tensor over :meth:`ModelConfig.tensors`, so the
scales that quantised formats store per block, group or channel are counted
from each matrix's own shape. Quantised formats apply to the linear layers
(attention projections, dense and expert FFNs); embeddings, the output head,
norms, biases and routers stay in 16-bit, as in the checkpoints these formats
come from ([1]_, [2]_) and as serving engines load them by default.

The KV cache follows vLLM's per-layer KV-cache specs [3]_: a full-attention
layer stores ``2 · kv_heads · head_dim`` elements per token; an MLA layer
stores the compressed latent ``kv_lora_rank + qk_rope_head_dim`` (one
"head", no K/V factor of two) [4]_; sliding-window and chunked layers hold at
most their window or chunk of tokens; linear-attention, Mamba and short-conv
layers keep no per-token cache but a fixed state per sequence
(:func:`state_bytes_per_sequence`). The per-layer specs are in
:mod:`llmsizing.attention`.

References
----------
.. [1] DeepSeek-AI, DeepSeek-V3 checkpoint format: FP8 e4m3 weights with one
   fp32 ``weight_scale_inv`` per 128 x 128 block (``README_WEIGHTS.md``).
.. [2] Open Compute Project, "OCP Microscaling Formats (MX) Specification
   v1.0", 2023: MXFP4 = 32 FP4 (E2M1) elements sharing one E8M0 scale.
.. [3] vLLM, ``vllm/v1/kv_cache_interface.py`` (``FullAttentionSpec``,
   ``SlidingWindowSpec``, ``ChunkedLocalAttentionSpec``, ``MLAAttentionSpec``).
.. [4] DeepSeek-AI, "DeepSeek-V2", arXiv:2405.04434, 2024, section 2.1.4
   (KV cache per token: (d_c + d_h^R) · l elements).
.. [5] vLLM ``quantization/utils/quant_utils.py`` (``is_layer_skipped``) and
   compressed-tensors ``utils/match.py`` (``re:`` regular expressions) for
   how ignore lists name modules; transformers ``modules_to_not_convert``
   globs such as ``model.layers.*.self_attn`` (gpt-oss).

Examples
--------
>>> import llmsizing as ls
>>> m = ls.load_model("llama-3.1-70b")
>>> ls.kv_cache_bytes_per_token(m, "bf16")
<Quantity(327680, 'byte')>
"""

from __future__ import annotations

import fnmatch
import functools
import math
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from llmsizing.attention import (
    ChunkedLocalSpec,
    CompressedKVSpec,
    CrossAttentionSpec,
    FullAttentionSpec,
    IndexerSpec,
    MLAForm,
    MLASpec,
    SharedKVSpec,
    SlidingWindowSpec,
    as_full_attention,
    as_mha,
    kv_bytes_per_layer_token,
    kv_cache_elements_per_token,
    kv_tokens_held,
    layer_specs,
    layer_windows,
    state_tensors,
)

if TYPE_CHECKING:
    import pandas as pd

from llmsizing.dtypes import DTYPES, KV_DTYPES, DType, dtype_bits, weight_dtype
from llmsizing.errors import WorkloadError
from llmsizing.model import COMPONENTS, ModelConfig, Tensor
from llmsizing.units import BYTE, GIB

__all__ = [
    "DTYPES",
    "KV_DTYPES",
    "DType",
    "ExpertMemory",
    "WeightPolicy",
    "as_full_attention",
    "as_mha",
    "deepstack_buffer_bytes",
    "dtype_bits",
    "expert_memory",
    "hybrid_block_tokens",
    "kv_cache_bytes_per_token",
    "kv_cache_elements_per_token",
    "kv_cache_memory",
    "kv_cache_ratio",
    "kv_cache_read_bytes",
    "kv_cache_reduction",
    "kv_tokens_held",
    "layer_windows",
    "module_matches",
    "native_weight_policy",
    "resolve_weight_policy",
    "rope_cache_bytes",
    "state_bytes_per_decode_step",
    "state_bytes_per_sequence",
    "tensor_bytes",
    "vllm_cache_memory",
    "vllm_kv_cache_groups",
    "vllm_request_pages",
    "weight_memory",
    "weight_memory_by_component",
]


_dtype = weight_dtype


# ------------------------------------------------------------------- weights
class WeightPolicy(BaseModel):
    """Which dtype each part of the model is stored in.

    Attributes
    ----------
    linear : str
        Attention, dense-FFN and shared-expert projection matrices.
    experts : str or None
        Routed-expert matrices (None: same as ``linear``).
    attention : str or None
        Attention projections (None: same as ``linear``); FP8 checkpoints such
        as Meta's Llama-3.1-405B-FP8 keep attention in bf16.
    embedding : str
        Input embedding and output head.
    other : str
        Norms, biases, routers, attention sinks.
    modules : tuple of (str, str)
        ``(module pattern, dtype)`` rules that take precedence over the role
        fields, first match wins (:func:`module_matches`): a checkpoint's
        unquantised modules and mixed-precision layers.
    vision : str or None
        A multimodal checkpoint's vision tower, when it is loaded (None: not
        loaded); checkpoints leave it unquantised.

    Examples
    --------
    >>> p = WeightPolicy(linear="fp8", attention="bf16")
    >>> p.label()
    'fp8, attention bf16'
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    linear: str = "bf16"
    experts: str | None = None
    attention: str | None = None
    embedding: str = "bf16"
    other: str = "bf16"
    modules: tuple[tuple[str, str], ...] = ()
    vision: str | None = None

    @field_validator("linear", "experts", "attention", "embedding", "other", "vision")
    @classmethod
    def _known(cls, v: str | None) -> str | None:
        return None if v is None else weight_dtype(v).name

    @field_validator("modules")
    @classmethod
    def _rules(cls, v: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
        return tuple((p, weight_dtype(d).name) for p, d in v)

    def dtype_for(self, t: Tensor) -> DType:
        """The dtype a tensor is stored in under this policy (read from its role)."""
        if t.component == "vision":
            return weight_dtype(self.vision or "bf16")
        if self.modules and t.kind != "vector":
            rule = _module_rule(t.name, self.modules)
            if rule is not None:
                return weight_dtype(rule)
        if t.role in ("embedding", "lm_head"):
            return weight_dtype(self.embedding)
        # routers (also inside the MTP module) and DeepSeek-V4's KV compressors stay in high
        # precision, as checkpoints keep them
        if t.kind != "matrix" or t.role in ("router", "compressor"):
            return weight_dtype(self.other)
        if t.experts:
            return weight_dtype(self.experts or self.linear)
        if t.component == "attention" or (t.mtp and t.role in _ATTENTION_ROLES):
            return weight_dtype(self.attention or self.linear)
        return weight_dtype(self.linear)

    @property
    def gemm_dtype(self) -> DType:
        """The format most per-token matrix work reads: routed experts if set, else linear."""
        return weight_dtype(self.experts or self.linear)

    def label(self) -> str:
        """Short human-readable name of the policy."""
        if self.experts and self.experts != self.linear:
            out = f"experts {self.experts}, rest {self.linear}"
        else:
            out = self.linear
        if self.attention and self.attention != self.linear:
            out += f", attention {self.attention}"
        if self.modules:
            n = len(self.modules)
            out += f", {n} module rule{'s' if n > 1 else ''}"
        return out


#: interchangeable names of the same container module across model codes
_SYNONYMS = {
    "self_attn": ("self_attn", "attn", "attention"),
    "mlp": ("mlp", "ffn", "feed_forward", "block_sparse_moe"),
    "shared_experts": ("shared_experts", "shared_expert"),
}
#: wrappers a checkpoint's module names carry before the decoder's own names
_WRAPPERS = ("model.language_model.", "language_model.model.", "model.", "language_model.")
#: one routed expert's module (``experts.7.w1``, ``experts.*.gate_proj``) names its part of
#: the stacked expert tensor; Mixtral and MiniMax call gate, up and down w1, w3 and w2
#: (``MixtralBlockSparseTop2MLP``: ``w2(act(w1(x)) * w3(x))``)
_ONE_EXPERT = re.compile(
    r"(?<![^.])experts\.(?:\d+|\*)\.(w1|w2|w3|gate_proj|up_proj|down_proj)(?![^.])"
)
_EXPERT_PART = {"w1": "gate_proj", "w3": "up_proj", "w2": "down_proj"}


def _variants(name: str) -> list[str]:
    out = [""]
    for part in name.split("."):
        out = [f"{o}.{a}" if o else a for o in out for a in _SYNONYMS.get(part, (part,))]
    return out


def module_matches(name: str, pattern: str) -> bool:
    """Whether a checkpoint's module pattern names the tensor ``name`` (or a module holding it).

    Patterns are matched the way quantisation configs write them [5]_:
    ``re:<regex>`` is a regular expression matched from the start of the full
    module name; a pattern with ``*``, ``?`` or ``[`` is a shell glob, matched
    against the name and every module that holds it; anything else is a
    module name, matched segment by segment (``gate`` names
    ``layers.0.block_sparse_moe.gate`` but not ``layers.0.mlp.gate_proj``).
    Wrappers (``model.``, ``model.language_model.`` ...) and the container
    names model codes use for the same module (``self_attn``/``attn``,
    ``mlp``/``ffn``/``block_sparse_moe``) are interchangeable. A pattern naming
    one routed expert (``experts.7.w1``, ``experts.*.down_proj``) names that part of
    the experts' stacked tensor (``w1``/``w3``/``w2``: gate, up, down).

    Examples
    --------
    >>> module_matches("layers.3.self_attn.q_proj", "model.layers.*.self_attn")
    True
    >>> module_matches("layers.3.mlp.gate_proj", "gate")
    False
    >>> module_matches("layers.3.mlp.experts.up_proj", "layers.*.block_sparse_moe.experts.5.w3")
    True
    """
    return _matches(_variants(name), _pattern(pattern))


def _unwrapped(pattern: str) -> str:
    """The pattern without the first wrapper it starts with (``model.`` ...)."""
    for w in _WRAPPERS:
        if pattern.startswith(w):
            return pattern[len(w) :]
    return pattern


_Pattern = tuple[re.Pattern[str], bool]  # compiled form, and whether wrappers are tried


@functools.lru_cache(maxsize=65536)
def _pattern(pattern: str) -> _Pattern:
    """A pattern as one compiled expression over a wrapper-free tensor name."""
    if pattern.startswith("re:"):
        return re.compile(pattern[3:]), True
    p = _ONE_EXPERT.sub(lambda e: "experts." + _EXPERT_PART.get(e[1], e[1]), _unwrapped(pattern))
    if any(c in p for c in "*?["):
        # the name itself or any module holding it: a dotted prefix matches the glob
        core = fnmatch.translate(p)
        return re.compile(core.removesuffix("\\Z") + r"(?:\..*)?\Z", re.S), False
    # a run of whole segments anywhere in the name
    return re.compile(r"(?:.*\.)?" + re.escape(p) + r"(?:\..*)?\Z", re.S), False


def _matches(variants: list[str], pat: _Pattern) -> bool:
    rx, wrapped = pat
    if wrapped:
        return any(rx.match(w + n) for n in variants for w in ("", *_WRAPPERS))
    return any(rx.match(n) for n in variants)


#: the decoder layer a wrapper-free pattern names, when it names exactly one
_LAYER = re.compile(r"(?:^|\.)layers\.(\d+)(?:\.|$)")


@functools.lru_cache(maxsize=256)
def _rule_index(
    rules: tuple[tuple[str, str], ...],
) -> tuple[dict[int, list[int]], list[int]]:
    """Rule positions by the one decoder layer they name, and those naming none (cached)."""
    by_layer: dict[int, list[int]] = {}
    others: list[int] = []
    for i, (pattern, _) in enumerate(rules):
        p = _unwrapped(pattern)
        hit = None if p.startswith("re:") else _LAYER.search(p)
        if hit and "*" not in p[: hit.start()] and not any(c in p[: hit.end()] for c in "?["):
            by_layer.setdefault(int(hit.group(1)), []).append(i)
        else:
            others.append(i)
    return by_layer, others


_NAME_LAYER = re.compile(r"^layers\.(\d+)\.")


@functools.lru_cache(maxsize=65536)
def _module_rule(name: str, rules: tuple[tuple[str, str], ...]) -> str | None:
    """The dtype of the first rule naming ``name``; a rule of another layer is skipped unread."""
    by_layer, others = _rule_index(rules)
    hit = _NAME_LAYER.match(name)
    mine = by_layer.get(int(hit.group(1)), []) if hit else []
    variants = _variants(name)
    for i in sorted(mine + others) if mine else others:
        pattern, dtype = rules[i]
        if _matches(variants, _pattern(pattern)):
            return dtype
    return None


_ATTENTION_ROLES = ("q", "k", "v", "o", "q_a", "kv_a", "kv_b")
_FLOAT = ("fp32", "bf16", "fp16")


def resolve_weight_policy(
    dtype: str | WeightPolicy | Mapping[str, str], model: ModelConfig | None = None
) -> WeightPolicy:
    """Turn a dtype name or mapping into a :class:`WeightPolicy`.

    ``"bf16"``, ``"fp16"``, ``"fp32"``: every tensor in that dtype.
    ``"fp8"``, ``"int8"``, ``"int4"``, ``"mxfp4"``, ``"nvfp4"``: linear layers
    and experts quantised, embeddings, head, norms and routers in bf16.
    ``"mxfp4-experts"``: routed experts in MXFP4, the rest bf16 (gpt-oss as
    shipped). ``"native"``: the format the model's checkpoint ships in.

    Examples
    --------
    >>> resolve_weight_policy("mxfp4-experts").experts
    'mxfp4'
    """
    if isinstance(dtype, WeightPolicy):
        return dtype
    if isinstance(dtype, Mapping):
        try:
            return WeightPolicy(**dict(dtype))
        except ValidationError as e:
            bad = "; ".join(f"{'.'.join(map(str, x['loc']))}: {x['msg']}" for x in e.errors())
            raise WorkloadError(f"invalid weight policy: {bad}") from None
        except TypeError as e:  # non-string keys
            raise WorkloadError(f"invalid weight policy: {e}") from None
    name = dtype.lower()
    if name == "native":
        if model is None:
            raise WorkloadError("weight dtype 'native' needs a model")
        return native_weight_policy(model)
    if name.endswith("-experts"):
        return WeightPolicy(linear="bf16", experts=_dtype(name[: -len("-experts")]).name)
    d = _dtype(name)
    if d.name in _FLOAT:
        return WeightPolicy(linear=d.name, embedding=d.name, other=d.name)
    return WeightPolicy(linear=d.name)


def native_weight_policy(model: ModelConfig) -> WeightPolicy:
    """The :class:`WeightPolicy` of the checkpoint's own ``quantization_config``.

    A model without one is 16-bit (``bf16``), as engines load an unquantised
    checkpoint (vLLM's ``dtype="auto"`` keeps 16-bit weights 16-bit).

    Raises
    ------
    WorkloadError
        For a quantisation method the library does not model, naming it.

    Examples
    --------
    >>> import llmsizing as ls
    >>> native_weight_policy(ls.load_model("gpt-oss-20b")).label()
    'experts mxfp4, rest bf16, 4 module rules'
    """
    q = model.checkpoint_quantization
    if q is None:
        return WeightPolicy()
    if q.linear is None:
        raise WorkloadError(
            f"{model.name}: the checkpoint's quantization method {q.method!r} is not modelled; "
            "give weight_dtype explicitly (e.g. 'int4', 'fp8')"
        )
    try:
        return WeightPolicy(linear=q.linear, experts=q.experts, modules=q.modules)
    except ValidationError as e:
        bad = "; ".join(str(x["msg"]) for x in e.errors())
        raise WorkloadError(
            f"{model.name}: the checkpoint's quantization_config names a format the library "
            f"does not know ({bad}); give weight_dtype explicitly"
        ) from None


def tensor_bytes(t: Tensor, d: DType) -> int:
    """Bytes to store one tensor in dtype ``d``, scales included [bytes].

    For a matrix of shape (..., rows, cols) with n = rows · cols elements:
    ``n · bits / 8`` plus the scales, ``ceil(rows/br) · ceil(cols/bc)`` for a
    block layout, ``rows · ceil(cols/group)`` for groups, ``rows`` for
    per-channel, one per matrix for per-tensor, each ``scale_bits / 8``
    bytes. Vectors are never block-scaled.

    Examples
    --------
    >>> t = Tensor("w", "attention", "matrix", (256, 256))
    >>> tensor_bytes(t, DTYPES["fp8"])    # 65536 elements + 2 x 2 fp32 block scales
    65552
    """
    n = t.numel
    data_bits = n * d.bits
    if t.kind == "vector" or len(t.shape) < 2 or not d.scale_bits:
        return math.ceil(data_bits / 8)
    *lead, rows, cols = t.shape
    stack = math.prod(lead)
    if d.block:
        br, bc = d.block
        scales = math.ceil(rows / br) * math.ceil(cols / bc)
    elif d.group:
        scales = rows * math.ceil(cols / d.group)
    elif d.per_tensor:
        scales = 1
    else:  # per-channel
        scales = rows
    return math.ceil((data_bits + stack * scales * d.scale_bits) / 8)


def weight_memory_by_component(
    model: ModelConfig,
    dtype: str | WeightPolicy | Mapping[str, str] = "bf16",
    include_extra: bool = False,
    include_vision: bool | None = None,
) -> dict[str, Any]:
    """Weight bytes of each component (embedding, attention, routed_experts, ...) [bytes].

    ``include_vision`` counts a multimodal checkpoint's vision tower (None: if
    the policy loads it, :attr:`WeightPolicy.vision`).

    Examples
    --------
    >>> import llmsizing as ls
    >>> parts = weight_memory_by_component(ls.load_model("gpt-oss-120b"), "mxfp4-experts")
    >>> round(parts["routed_experts"].to("GB").magnitude, 1)
    61.0
    """
    policy = resolve_weight_policy(dtype, model)
    vision = policy.vision is not None if include_vision is None else include_vision
    out = dict.fromkeys(COMPONENTS, 0)
    for t in model.tensors(include_extra=include_extra, include_vision=vision):
        out[t.component] += tensor_bytes(t, policy.dtype_for(t))
    return {k: v * BYTE for k, v in out.items()}


def weight_memory(
    model: ModelConfig,
    dtype: str | WeightPolicy | Mapping[str, str] = "bf16",
    include_extra: bool = False,
    include_vision: bool | None = None,
) -> Any:
    """Bytes to hold all of a model's weights in ``dtype`` [bytes].

    Every routed expert counts: an MoE model must keep all experts resident
    although a token uses only a few. ``include_extra`` adds modules that
    inference need not load (DeepSeek-V3's MTP layer), ``include_vision`` a
    multimodal checkpoint's vision tower.

    Examples
    --------
    >>> import llmsizing as ls
    >>> round(weight_memory(ls.load_model("llama-3.1-8b"), "bf16").to("GB").magnitude, 2)
    16.06
    """
    parts = weight_memory_by_component(model, dtype, include_extra, include_vision)
    return sum(parts.values(), 0 * BYTE)


class ExpertMemory(BaseModel):
    """Weight memory split into routed experts, shared experts and the rest [bytes].

    ``routed_active`` is the share of routed-expert bytes one token reads
    (experts_per_token / n_routed_experts of them); ``resident`` is what must
    stay in memory: everything.
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    model: str
    dtype: str
    routed: Any
    routed_active: Any
    shared: Any
    dense: Any

    @property
    def resident(self) -> Any:
        """All weights: routed + shared + dense [bytes]."""
        return self.routed + self.shared + self.dense

    @property
    def active(self) -> Any:
        """Weights one token reads: routed_active + shared + dense [bytes]."""
        return self.routed_active + self.shared + self.dense

    def to_frame(self) -> pd.DataFrame:
        rows = {
            "routed experts": self.routed,
            "routed experts read per token": self.routed_active,
            "shared experts": self.shared,
            "dense (attention, embeddings, dense FFN, ...)": self.dense,
            "resident (all weights)": self.resident,
        }
        import pandas as pd

        return pd.DataFrame({"GiB": {k: v.to(GIB).magnitude for k, v in rows.items()}})

    def _repr_html_(self) -> str:
        return f"<b>{self.model}</b> ({self.dtype})" + str(
            self.to_frame().to_html(float_format="{:,.2f}".format)
        )


def expert_memory(
    model: ModelConfig, dtype: str | WeightPolicy | Mapping[str, str] = "bf16"
) -> ExpertMemory:
    """Split weight memory into routed experts, shared experts and dense weights.

    Examples
    --------
    >>> import llmsizing as ls
    >>> em = expert_memory(ls.load_model("qwen3-235b-a22b"), "bf16")
    >>> round(em.resident.to("GB").magnitude), round(em.active.to("GB").magnitude)
    (470, 44)
    """
    parts = weight_memory_by_component(model, dtype)
    routed = parts["routed_experts"]
    frac = model.moe.real_experts_per_token / model.moe.n_routed_experts if model.moe else 0.0
    dense = sum(
        (v for k, v in parts.items() if k not in ("routed_experts", "shared_experts")),
        0 * BYTE,
    )
    return ExpertMemory(
        model=model.name,
        dtype=resolve_weight_policy(dtype, model).label(),
        routed=routed,
        routed_active=routed * frac,
        shared=parts["shared_experts"],
        dense=dense,
    )


# ------------------------------------------------------------------ KV cache
# the per-layer specs live in llmsizing.attention; these names stay importable from here
_ = (as_full_attention, as_mha, kv_cache_elements_per_token, kv_tokens_held, layer_windows)


def _check_positive(name: str, value: Any) -> None:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise WorkloadError(f"{name} must be a positive finite number, got {value!r}") from None
    if not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        raise WorkloadError(f"{name} must be a positive finite number, got {value!r}")


def _quantity(total: Any, what: str) -> Any:
    """Bytes as a Quantity: an int where exact, an array where broadcast."""
    if not np.all(np.isfinite(total)):
        raise WorkloadError(f"{what} is too large to represent")
    if np.ndim(total) == 0:
        value: Any = float(total)
        if value.is_integer():
            value = int(value)
        return value * BYTE
    return np.asarray(total, dtype=float) * BYTE


def kv_cache_memory(
    model: ModelConfig,
    context_len: Any,
    batch: Any = 1,
    kv_dtype: str | float = "bf16",
    mla: MLAForm = "latent",
) -> Any:
    """KV-cache bytes for ``batch`` sequences of ``context_len`` tokens [bytes].

    .. math:: M = B \\sum_l \\left(e_l \\, b / 8 + f_l\\right) \\min(T, W_l)

    with e_l the elements per token of layer l (:func:`kv_cache_elements_per_token`),
    f_l the bytes per token it stores in a fixed format (DeepSeek-V3.2's indexer
    key), W_l its window (∞ for full attention, 0 for a layer without a KV
    cache), T the context length, B the batch and b the bits per element.
    ``context_len`` and ``batch`` may be numpy arrays (broadcast together). The
    fixed-size state of linear-attention and Mamba layers is
    :func:`state_bytes_per_sequence`.

    Examples
    --------
    >>> import llmsizing as ls
    >>> m = ls.load_model("gemma-3-27b")
    >>> kv_cache_memory(m, 32768, 1, "bf16")   # 10 global layers of 62, window 1024
    <Quantity(3120562176, 'byte')>
    """
    _check_positive("context_len", context_len)
    _check_positive("batch", batch)
    bits = dtype_bits(kv_dtype)
    per_token = kv_bytes_per_layer_token(model, bits, mla)
    windows = layer_windows(model)
    ctx = np.asarray(context_len, dtype=float)
    held = kv_tokens_held(ctx[..., None], windows)  # (..., layers)
    layer_bytes = (held * per_token).sum(axis=-1)
    with np.errstate(over="ignore", invalid="ignore"):
        total = np.asarray(batch, dtype=float) * layer_bytes
    return _quantity(total, f"KV cache of batch {batch!r} x context_len {context_len!r}")


def kv_cache_read_bytes(
    model: ModelConfig,
    context_len: Any,
    batch: Any = 1,
    kv_dtype: str | float = "bf16",
) -> Any:
    """KV-cache bytes one decode step reads for ``batch`` sequences [bytes].

    .. math:: R = M - B \\sum_{l \\in \\text{sparse}} \\max(0, n_l(T) - k) \\, e_l

    The cache (:func:`kv_cache_memory`, ``M``) less the entries sparse attention
    leaves unread: on a DeepSeek Sparse Attention layer the latent (``e_l``
    bytes) of the ``n_l = min(T, W_l)`` held tokens beyond the ``k`` its indexer
    (or the previous indexing layer's, which a GLM-5 ``shared`` layer reuses)
    selects [1]_, on a MiniMax-M3 sparse layer the K and V of the held tokens
    beyond the ``k`` (top blocks times block size) its indexer selects [3]_, on a
    DeepSeek-V4 ratio-4 layer the compressed entries (``n_l = T / 4``) beyond the
    top ``k`` [2]_. The indexer keys are all read (the indexer scores every one).
    Dense, sliding and MLA layers read what they hold.

    References
    ----------
    .. [1] DeepSeek-AI, "DeepSeek-V3.2-Exp: Boosting Long-Context Efficiency with
       DeepSeek Sparse Attention", 2025.
    .. [2] DeepSeek-AI, DeepSeek-V4 reference ``inference/model.py``
       (``Attention.forward``, ``Indexer``).
    .. [3] transformers 5.24, ``models/minimax_m3_vl/modeling_minimax_m3_vl.py``
       (``MiniMaxM3VLIndexer.forward``: ``index_topk_blocks`` key blocks of
       ``index_block_size`` per query).

    Examples
    --------
    >>> import llmsizing as ls
    >>> m = ls.load_model("deepseek-v3.2")
    >>> full = kv_cache_memory(m, 131072, 1, "fp8").magnitude
    >>> round(float(kv_cache_read_bytes(m, 131072, 1, "fp8").magnitude) / full, 3)
    0.181
    """
    total = kv_cache_memory(model, context_len, batch, kv_dtype)
    bits = dtype_bits(kv_dtype)
    ctx = np.asarray(context_len, dtype=float)
    windows = layer_windows(model)
    unread = np.zeros_like(ctx)
    # a layer sharing the previous indexing layer's selection reads its top-k too (GLM-5)
    topk = model.indexer.topk if model.indexer is not None else 0
    for i, layer in enumerate(layer_specs(model)):
        indexed = any(isinstance(s, IndexerSpec) for s in layer)
        for s in layer:
            if isinstance(s, MLASpec) and topk:
                held = np.minimum(ctx, windows[i])
                unread = unread + np.maximum(0.0, held - topk) * s.kv_bytes_per_token(bits)
            elif isinstance(s, FullAttentionSpec) and indexed and topk:
                # MiniMax-M3: K and V of the selected blocks only, on layers with an indexer
                held = np.minimum(ctx, windows[i])
                unread = unread + np.maximum(0.0, held - topk) * s.kv_bytes_per_token(bits)
            elif isinstance(s, CompressedKVSpec) and s.ratio == 4 and s.index_topk:
                entries = ctx / 4
                unread = unread + np.maximum(0.0, entries - s.index_topk) * s.entry_bytes(bits)
    read = total.to(BYTE).magnitude - np.asarray(batch, dtype=float) * unread
    return _quantity(read, f"KV cache read of batch {batch!r} x context_len {context_len!r}")


def kv_cache_bytes_per_token(
    model: ModelConfig,
    kv_dtype: str | float = "bf16",
    context_len: Any = None,
    mla: MLAForm = "latent",
) -> Any:
    """KV-cache bytes per token of one sequence [bytes/token, given as bytes].

    Without ``context_len``: what each new token adds while the context is
    shorter than every window (sum over layers). With ``context_len``: the
    cache of one ``context_len``-token sequence divided by ``context_len``,
    i.e. averaged over the context, so windowed layers count only their window.
    Layers without a KV cache add nothing; their fixed state is
    :func:`state_bytes_per_sequence`.

    Examples
    --------
    >>> import llmsizing as ls
    >>> kv_cache_bytes_per_token(ls.load_model("deepseek-v3"), "bf16")
    <Quantity(70272, 'byte')>
    """
    if context_len is None:
        bits = dtype_bits(kv_dtype)
        held = layer_windows(model) > 0
        value = float((kv_bytes_per_layer_token(model, bits, mla) * held).sum())
        return (int(value) if value.is_integer() else value) * BYTE
    return kv_cache_memory(model, context_len, 1, kv_dtype, mla) / np.asarray(
        context_len, dtype=float
    )


def state_bytes_per_sequence(
    model: ModelConfig,
    state_dtype: str | float = "bf16",
    tp: int = 1,
) -> Any:
    """Fixed recurrent state of one sequence, summed over layers [bytes].

    The convolution window and the SSM / linear-attention state of every
    linear-attention (Gated DeltaNet, Kimi Delta Attention, Lightning), Mamba
    and short-convolution layer (:func:`llmsizing.attention.state_tensors`),
    and the vision tokens' K and V of every cross-attention layer (Llama 3.2
    Vision): read at every decode step, independent of the context length.
    0 for a model of attention layers only. Elements are ``state_dtype``
    except where the engine keeps a state in fp32 (vLLM's Kimi Delta
    Attention). With ``tp`` > 1: the share of one tensor-parallel rank (vLLM
    splits heads and channels, padding Mamba-2 groups to a multiple of ``tp``).

    .. math:: S = \\sum_l \\sum_{s \\in \\mathrm{state}(l)} \\prod \\mathrm{shape}(s) \\, b_s / 8

    Examples
    --------
    >>> import llmsizing as ls
    >>> state_bytes_per_sequence(ls.load_model("llama-3.1-8b"))
    <Quantity(0, 'byte')>
    """
    _check_tp(tp)
    total = sum(_layer_state_bytes(model, state_dtype, tp))
    return _quantity(float(total), f"state of model {model.name!r}")


def state_bytes_per_decode_step(model: ModelConfig, state_dtype: str | float = "bf16") -> Any:
    """Fixed-state bytes one sequence's decode step moves through memory [bytes].

    .. math:: S_{step} = \\sum_l c_l \\, S_l, \\quad c_l = \\begin{cases}
        1 & \\text{cross-attention: the vision tokens' K and V are read} \\\\
        2 & \\text{otherwise: the state is read and its update written back}
        \\end{cases}

    with ``S_l`` the layer's state (:func:`state_bytes_per_sequence`). A recurrent
    layer reads its convolution window and SSM / delta-rule state and writes the
    updated one in place each step (vLLM's ``selective_state_update`` and
    ``fused_recurrent_gated_delta_rule`` update ``ssm_state`` in place); a
    cross-attention layer only reads the K and V projected once from the image.

    Examples
    --------
    >>> import llmsizing as ls
    >>> state_bytes_per_decode_step(ls.load_model("llama-3.1-8b"))
    <Quantity(0, 'byte')>
    """
    bits = dtype_bits(state_dtype)
    total = 0.0
    for layer in layer_specs(model):
        for spec in layer:
            moved = 1 if isinstance(spec, CrossAttentionSpec) else 2
            for t in spec.state(1):
                total += moved * t.numel * (32 if t.fp32 else bits) / 8
    return _quantity(float(total), f"state moved per step by model {model.name!r}")


def _vllm_cache_kinds(
    model: ModelConfig, layers: int | None = None, bits: float = 16
) -> dict[Any, list[tuple[Any, float]]]:
    """Cache layers by vLLM cache kind (one recurrent state, one window), with each
    layer's spec and KV bytes per token at ``bits``; KV-sharing and indexer specs
    have no cache of their own (or one in their attention layer's group)."""
    per_layer = kv_bytes_per_layer_token(model, bits)
    kinds: dict[Any, list[tuple[Any, float]]] = {}
    specs = layer_specs(model)[: layers if layers is not None else model.num_layers]
    for layer, e in zip(specs, per_layer[: len(specs)], strict=False):
        for spec in layer:
            if isinstance(spec, SharedKVSpec | IndexerSpec):
                continue
            if spec.state(1):
                key: Any = ("state", type(spec).__name__)
            elif spec.window:
                key = ("attention", spec.window)
            else:
                continue
            kinds.setdefault(key, []).append((spec, float(e)))
    return kinds


def vllm_kv_cache_groups(model: ModelConfig, layers: int | None = None) -> tuple[int, int]:
    r"""(layers per group, groups) of vLLM's hybrid KV-cache manager [-].

    vLLM puts layers of one cache kind (full attention, one sliding window, one
    chunk size, one recurrent state) into groups of equal size, padding the last
    group of a kind; with ``n_min`` and ``n_max`` the layers of the rarest and the
    commonest kind (``_get_kv_cache_groups_uniform_page_size``):

    .. math:: g = \begin{cases} n_{max} & n_{max} < 1.25 \, n_{min} \\
              n_{min} & \text{otherwise} \end{cases}, \qquad
              G = \sum_k \lceil n_k / g \rceil

    Each of the g cache tensors holds ``num_blocks`` pages, one layer of every group
    per page, and vLLM reports ``num_blocks // G · block_size`` as its "GPU KV cache
    size". A model of one kind is one group of all its cache layers. ``layers``:
    only the first that many decoder layers (one pipeline stage).

    Examples
    --------
    >>> import llmsizing as ls
    >>> vllm_kv_cache_groups(ls.load_model("gemma-3-27b"))   # 52 sliding, 10 full
    (10, 7)
    >>> vllm_kv_cache_groups(ls.load_model("llama-3.1-8b"))
    (32, 1)
    """
    counts = {k: len(v) for k, v in _vllm_cache_kinds(model, layers).items()}
    if len(counts) <= 1:
        return (sum(counts.values()), 1)
    lo, hi = min(counts.values()), max(counts.values())
    g = hi if hi < 1.25 * lo else lo
    return g, sum(math.ceil(n / g) for n in counts.values())


def rope_cache_bytes(model: ModelConfig, element_bytes: float = 2.0, mrope_factor: int = 1) -> Any:
    """The rotary embeddings' cos/sin table an engine builds on every rank [bytes].

    .. math:: M_{rope} = f \\, P_{max} \\, b \\sum_t d_t \\, r_t

    vLLM's ``RotaryEmbedding`` registers ``cos_sin_cache`` of ``max_position``
    rows by ``rotary_dim`` in the model dtype (``rotary_embedding/base.py``;
    ``get_rope`` shares one table between the layers of one RoPE configuration),
    counted in "Model loading took". Small for most models (Llama 3.1 8B: 32 MiB),
    it is 2.5 GiB for Llama 4 Scout's 10,485,760 positions, whose TP-4 launch on
    H100s logs 53.12 GiB per rank against 50.60 GiB of parameters (engine-log set
    heldout5, jgchn-raw-llama4-scout-h100-tp4-v0190). ``f`` is 1, except for a model
    with M-RoPE (``model.mrope``) in an engine that passes ``mrope_factor``: vLLM's
    ``MRotaryEmbedding`` builds ``max_position_embeddings * 4`` rows ("In Qwen2.5-VL,
    the maximum index value is related to the duration of the input video",
    ``rotary_embedding/mrope.py``; Qwen3-VL 2B: 256 MiB, not 64). The sum runs over
    the distinct tables ``model.rope_tables`` (width ``d_t``, ``r_t`` rows per position:
    Gemma 3's 8x linear-scaled full-attention table beside its sliding one), else one
    table of ``rope_dim``.

    Examples
    --------
    >>> import llmsizing as ls
    >>> rope_cache_bytes(ls.load_model("llama-4-scout")).to("GiB")
    <Quantity(2.5, 'gibibyte')>
    """
    positions = model.max_position_embeddings or 0
    f = mrope_factor if model.mrope else 1
    # one table per distinct RoPE configuration (ModelConfig.rope_tables)
    tables = model.rope_tables or ((model.rope_dim, 1.0),)
    rows_by_width = sum(width * rows for width, rows in tables)
    return float(f * positions * rows_by_width * element_bytes) * BYTE


def deepstack_buffer_bytes(
    model: ModelConfig, batched_tokens: int, element_bytes: float = 2.0
) -> Any:
    """vLLM's DeepStack input buffers of a Qwen3-VL model [bytes].

    .. math:: M_{ds} = n_{ds} \\, T \\, h \\, b

    ``Qwen3VLForConditionalGeneration`` (and the MoE and Omni variants) allocate one
    ``torch.zeros(max_num_batched_tokens, text hidden_size)`` per DeepStack level
    (``deepstack_visual_indexes``) in the model dtype when the vision tower is built
    (``vllm/model_executor/models/qwen3_vl.py``, "register buffer for deepstack"), so
    they count in "Model loading took". ``n_ds`` is ``model.vision.deepstack_mergers``,
    ``T`` the scheduler's ``max_num_batched_tokens``; 0 without DeepStack.

    Examples
    --------
    >>> import llmsizing as ls
    >>> m = ls.load_model("qwen3.5-27b")   # Qwen3.5: a tower without DeepStack
    >>> deepstack_buffer_bytes(m, 8192).magnitude
    0.0
    >>> tower = m.vision.model_copy(update={"deepstack_mergers": 3})
    >>> three = m.model_copy(update={"vision": tower})
    >>> deepstack_buffer_bytes(three, 8192).to("MiB")   # 3 x 8192 x 5120 x 2 bytes
    <Quantity(240.0, 'mebibyte')>
    """
    levels = model.vision.deepstack_mergers if model.vision is not None else 0
    return float(levels * batched_tokens * model.hidden_size * element_bytes) * BYTE


def vllm_request_pages(
    model: ModelConfig,
    context_len: int,
    max_batched_tokens: int,
    page_tokens: int,
    bits: float = 16,
    layers: int | None = None,
    state_pages: int = 1,
) -> int:
    r"""Pages one request of ``context_len`` tokens may take in vLLM's hybrid pool [-].

    vLLM 0.20 and later report "GPU KV cache size" as ``max_concurrency ·
    max_model_len``, with ``max_concurrency = num_blocks / P`` and P this sum over the
    groups of :func:`vllm_kv_cache_groups` of each group's ``max_memory_usage_bytes``
    in pages (``kv_cache_utils.get_max_concurrency_for_kv_cache_config``,
    ``kv_cache_interface.py``). With L the request length, T the batched tokens and
    ``b_k`` the tokens one page of kind k holds (pages are of one size, so a kind of
    fewer bytes per token holds more tokens per page):

    .. math::
        P = \sum_k \lceil n_k / g \rceil \, p_k, \quad p_k = \begin{cases}
            \lceil L / b_k \rceil & \text{full attention} \\
            \lceil \min(W - 1 + T, L) / b_k \rceil + 1 & \text{sliding window } W \\
            \lceil \min(C + T, L) / b_k \rceil & \text{chunked local, chunk } C \\
            s & \text{recurrent state}
        \end{cases}

    ``page_tokens`` is ``b`` of the kind with the most bytes per token; ``s``
    (``state_pages``) is 1, or 2 under prefix caching (``mamba_cache_mode`` "align":
    ``MambaSpec.max_memory_usage_bytes`` is ``page_size · (2 + spec_blocks)``).

    Examples
    --------
    >>> import llmsizing as ls
    >>> # Gemma 3 27B at 32k: 10 full layers (one group) and 52 sliding ones (6 groups)
    >>> vllm_request_pages(ls.load_model("gemma-3-27b"), 32768, 8192, 16)
    5510
    """
    kinds = _vllm_cache_kinds(model, layers, bits)
    e_max = max((e for members in kinds.values() for _, e in members), default=0.0)
    if not kinds:
        return 0
    g, _ = vllm_kv_cache_groups(model, layers)
    total = 0
    for (kind, _w), members in kinds.items():
        spec = members[0][0]
        e = max(x for _, x in members)
        if kind == "state" or e <= 0:
            pages = state_pages if kind == "state" else 1
        else:
            b = max(1, round(page_tokens * e_max / e))
            if isinstance(spec, SlidingWindowSpec):
                held = min(spec.sliding_window - 1 + max_batched_tokens, context_len)
                pages = math.ceil(held / b) + 1
            elif isinstance(spec, ChunkedLocalSpec):
                held = min(spec.attention_chunk_size + max_batched_tokens, context_len)
                pages = math.ceil(held / b)
            else:
                pages = math.ceil(context_len / b)
        total += math.ceil(len(members) / g) * pages
    return total


def hybrid_block_tokens(
    model: ModelConfig,
    kv_dtype: str | float = "bf16",
    state_dtype: str | float = "bf16",
    tp: int = 1,
    alignment: int = 16,
) -> int:
    """Tokens per KV block when vLLM puts attention and state layers in one pool [tokens].

    vLLM's hybrid allocator (``vllm/platforms/interface.py``, ``_align_hybrid_block_size``,
    without prefix caching) raises the attention block until one block of one attention
    layer holds at least one layer's recurrent state, then pads the state page to it:

    .. math:: b = a \\lceil S_l / (a \\, e_l) \\rceil

    with S_l the largest per-layer state (bytes, on one of ``tp`` ranks), e_l the largest
    per-token KV bytes of one attention layer and a the kernel alignment (16). A model
    without state layers keeps the alignment (``alignment``); a model of state layers
    only has no attention block (returns 0).
    """
    _check_tp(tp)
    state = _layer_state_bytes(model, state_dtype, tp)
    bits = dtype_bits(kv_dtype)
    per_token = kv_bytes_per_layer_token(model, bits)
    attn = float(np.max(per_token / _kv_tp_split(model, tp))) if per_token.size else 0.0
    if not attn:
        return 0
    big = max(state, default=0.0)
    if not big:
        return alignment
    return int(alignment * math.ceil(big / (alignment * attn)))


def vllm_cache_memory(
    model: ModelConfig,
    context_len: Any,
    batch: Any = 1,
    kv_dtype: str | float = "bf16",
    state_dtype: str | float = "bf16",
    tp: int = 1,
    state_pages: int = 1,
) -> Any:
    """KV cache and recurrent state vLLM allocates on one TP rank for ``batch`` sequences [bytes].

    For a hybrid model the pool is paged in :func:`hybrid_block_tokens` blocks: every
    attention layer takes ``ceil(min(T, W_l) / b)`` pages of ``b · e_l`` bytes per
    sequence, every state layer ``state_pages`` pages of the same size (its state padded
    up to it, vLLM's ``mamba_page_size_padded``; no speculative tokens). vLLM's
    ``MambaSpec.max_memory_usage_bytes`` gives one page with ``mamba_cache_mode`` none
    and two with "align", the mode prefix caching runs state layers in. For a model
    without state layers this is :func:`kv_cache_memory` split over ``tp`` (whole KV
    heads per rank, a replicated MLA latent), in pages of 16 tokens.
    """
    _check_positive("context_len", context_len)
    _check_positive("batch", batch)
    block = hybrid_block_tokens(model, kv_dtype, state_dtype, tp) or 1
    bits = dtype_bits(kv_dtype)
    split = _kv_tp_split(model, tp)
    per_token = kv_bytes_per_layer_token(model, bits) / split
    page = float(np.max(per_token)) * block if per_token.size else 0.0
    windows = layer_windows(model)
    ctx = np.asarray(context_len, dtype=float)
    held = kv_tokens_held(ctx[..., None], windows)
    attn = (np.ceil(held / block) * block * per_token).sum(axis=-1)
    states = _layer_state_bytes(model, state_dtype, tp)
    state = state_pages * sum(max(s, page) for s in states)
    with np.errstate(over="ignore", invalid="ignore"):
        total = np.asarray(batch, dtype=float) * (attn + state)
    return _quantity(total, f"vLLM cache of batch {batch!r} x context_len {context_len!r}")


def _check_tp(tp: Any) -> None:
    if isinstance(tp, bool) or not isinstance(tp, int) or tp < 1:
        raise WorkloadError(f"tp must be a positive integer, got {tp!r}")


def _kv_tp_split(model: ModelConfig, tp: int) -> Any:
    """How many ways one layer's per-token KV splits over ``tp`` ranks (vLLM: whole KV heads,
    replicated past their count; the MLA latent and indexer key on every rank); one entry
    per layer where the KV heads vary by layer (``layer_kv_heads``)."""
    if model.mla is not None:
        return 1.0
    if model.layer_kv_heads:
        return np.array([float(min(tp, k)) if k else 1.0 for k in model.layer_kv_heads])
    return float(min(tp, model.num_kv_heads))


def _layer_state_bytes(model: ModelConfig, state_dtype: str | float, tp: int) -> list[float]:
    bits = dtype_bits(state_dtype)
    try:
        layers = state_tensors(model, tp)
    except ValueError as e:
        raise WorkloadError(f"model {model.name!r}: {e}") from None
    return [sum(t.numel * (32 if t.fp32 else bits) / 8 for t in layer) for layer in layers if layer]


# -------------------------------------------------------------- comparisons
def kv_cache_ratio(
    model: ModelConfig,
    baseline: ModelConfig,
    context_len: Any,
    kv_dtype: str | float = "bf16",
    baseline_kv_dtype: str | float | None = None,
) -> Any:
    """KV bytes of ``model`` over those of ``baseline`` at ``context_len`` [-].

    Examples
    --------
    >>> import llmsizing as ls
    >>> m = ls.load_model("llama-3.1-70b")
    >>> float(kv_cache_ratio(m, as_mha(m), 8192))
    0.125
    """
    a = kv_cache_memory(model, context_len, 1, kv_dtype)
    b = kv_cache_memory(baseline, context_len, 1, baseline_kv_dtype or kv_dtype)
    return (a / b).to("").magnitude


def kv_cache_reduction(
    model: ModelConfig,
    baseline: ModelConfig,
    context_len: Any,
    kv_dtype: str | float = "bf16",
    baseline_kv_dtype: str | float | None = None,
) -> Any:
    """``1 − kv(model) / kv(baseline)`` at ``context_len`` [-].

    Examples
    --------
    >>> import llmsizing as ls
    >>> m = ls.load_model("deepseek-v3")
    >>> round(float(kv_cache_reduction(m, as_mha(m), 32768)), 4)
    0.9859
    """
    return 1 - kv_cache_ratio(model, baseline, context_len, kv_dtype, baseline_kv_dtype)
