"""Fitting a model and a serving workload onto accelerator instances.

The planner shards the way serving engines do:

* **Tensor parallelism (TP)** over the GPUs of an instance, or over the
  NeuronCores of Neuron devices. GPU engines need the TP degree to divide the
  attention heads (vLLM checks ``num_attention_heads % tp == 0``) [1]_; Neuron
  pads the heads to a multiple of the degree instead, so a 32-head model runs at
  TP 24 on inf2.48xlarge with its attention weights and KV padded to 48 heads
  [2]_.
* **KV heads** are split over TP ranks and replicated once TP exceeds their
  number (``max(1, kv_heads // tp)`` per rank); an MLA latent cache is one
  "head" and so is replicated on every rank [1]_.
* Norms, routers and MLA's down-projections (``q_a_proj``,
  ``kv_a_proj_with_mqa``) are replicated; every other matrix is split by TP.
* When one instance is not enough, **pipeline stages** across instances split
  the layers; the embedding sits on the first stage and the output head on the
  last.

Memory per device is compared with ``usable memory × memory_utilization``
(vLLM's ``gpu_memory_utilization`` budget [1]_).

References
----------
.. [1] vLLM, ``vllm/config/parallel.py`` and ``vllm/config/model.py``
   (``get_num_kv_heads``: ``max(1, total_num_kv_heads // tensor_parallel_size)``;
   MLA returns 1), ``vllm/config/cache.py`` (``gpu_memory_utilization = 0.9``).
.. [2] AWS Neuron SDK documentation, NxD Inference "Tensor parallelism" and
   transformers-neuronx developer guide (attention heads padded to a multiple
   of ``tp_degree``); Inferentia2 architecture (2 NeuronCore-v2 per chip sharing
   32 GiB HBM); Trainium2 logical NeuronCore configuration (LNC=2 by default:
   4 logical cores per chip).

Examples
--------
>>> import llmsizing as ls
>>> w = ls.Workload(context_len=4096, batch=1, weight_dtype="bf16")
>>> ls.fit("qwen3-235b-a22b", "inf2.8xlarge", w).fits
False
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from llmsizing.catalog import Catalog, Instance, load_catalog
from llmsizing.errors import WorkloadError
from llmsizing.memory import (
    WeightPolicy,
    kv_cache_memory,
    resolve_weight_policy,
    tensor_bytes,
)
from llmsizing.model import ModelConfig, Tensor
from llmsizing.presets import load_model
from llmsizing.units import BYTE, GIB, ureg

__all__ = [
    "PER_RANK_FIELDS",
    "FitResult",
    "Workload",
    "activation_workspace",
    "cheapest_fit",
    "fit",
    "fit_all",
    "kv_heads_per_rank",
    "max_batch",
    "max_context",
    "parallel_layouts",
    "weights_per_device",
]


class Workload(BaseModel):
    """What the model is asked to serve, and how memory is budgeted.

    Attributes
    ----------
    context_len : int
        Tokens per sequence held in the KV cache (prompt + output). Defaults to
        ``prompt_len + output_len`` when those are given, else 4096.
    prompt_len, output_len : int, optional
        Input and output lengths [tokens]; used by the performance model.
    batch : int
        Concurrent sequences, each with a full ``context_len`` cache.
    weight_dtype : str or WeightPolicy
        ``"bf16"``, ``"fp8"``, ``"int8"``, ``"int4"``, ``"mxfp4"``,
        ``"mxfp4-experts"``, ``"native"`` ... (see :func:`resolve_weight_policy`).
    kv_dtype : str or float
        KV-cache dtype or bit width.
    memory_utilization : float
        Fraction of each device's usable memory the engine may use; 0.9 is
        vLLM's ``gpu_memory_utilization`` default, the rest is left to the CUDA
        context, NCCL and allocator fragmentation.
    runtime_reserve_GiB : float
        Memory per device held outside weights, KV and activations inside the
        budget (CUDA graphs, communication buffers, non-torch allocations)
        [GiB]; 1 GiB default, the order vLLM's startup profile reports.
    max_batched_tokens : int
        Tokens processed in one forward pass (chunked prefill), which sets the
        activation workspace; 8192 is vLLM V1's default for online serving.
    activation_workspace_GiB : float, optional
        Override of the estimated activation workspace per device [GiB].
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    # upper bounds are sanity limits: far above any real workload, and low
    # enough that every byte count stays a finite float
    context_len: int = Field(default=0, ge=0, le=10**12)
    prompt_len: int | None = Field(default=None, ge=1, le=10**12)
    output_len: int | None = Field(default=None, ge=1, le=10**12)
    batch: int = Field(default=1, ge=1, le=10**12)
    weight_dtype: str | WeightPolicy = "bf16"
    kv_dtype: str | float = "bf16"
    memory_utilization: float = Field(default=0.9, gt=0, le=1)
    runtime_reserve_GiB: float = Field(default=1.0, ge=0, le=1e9)
    max_batched_tokens: int = Field(default=8192, ge=1, le=10**12)
    activation_workspace_GiB: float | None = Field(default=None, ge=0, le=1e9)

    def __init__(self, **data: Any) -> None:
        # a bad field is a WorkloadError naming the field, not a pydantic error
        try:
            super().__init__(**data)
        except ValidationError as e:
            raise WorkloadError(f"invalid workload: {_validation_message(e)}") from None

    @model_validator(mode="after")
    def _default_context(self) -> Workload:
        if self.context_len == 0:
            if self.prompt_len is not None or self.output_len is not None:
                ctx = (self.prompt_len or 0) + (self.output_len or 0)
            else:
                ctx = 4096
            object.__setattr__(self, "context_len", ctx)
        for k in ("context_len", "runtime_reserve_GiB", "memory_utilization"):
            v = float(getattr(self, k))
            if not math.isfinite(v):
                raise ValueError(f"{k} must be finite")
        return self

    @property
    def prompt_tokens(self) -> int:
        """Prompt length [tokens]: ``prompt_len`` or, if unset, the whole context."""
        return self.prompt_len if self.prompt_len is not None else self.context_len

    @property
    def output_tokens(self) -> int:
        """Output length [tokens]: ``output_len`` or 1."""
        return self.output_len if self.output_len is not None else 1


def _validation_message(e: ValidationError) -> str:
    """One line per pydantic error, naming the field and the value given."""
    parts = []
    for err in e.errors():
        loc = ".".join(str(x) for x in err["loc"])
        msg = str(err["msg"]).removeprefix("Value error, ")
        parts.append(f"{loc}: {msg} (got {err['input']!r})" if loc else msg)
    return "; ".join(parts)


# -------------------------------------------------------------------- layouts
def ranks_per_device(inst: Instance) -> int:
    """TP ranks one device provides: 1 per GPU; NeuronCores per Neuron chip.

    Chips with 8 physical NeuronCores (Trainium2, Trainium3) default to the
    logical NeuronCore configuration LNC=2, i.e. 4 logical cores per chip [2]_.
    """
    if not inst.is_neuron:
        return 1
    cores = inst.neuron_cores_per_device or 1
    return cores // 2 if cores == 8 else cores


def parallel_layouts(model: ModelConfig, inst: Instance) -> list[int]:
    """TP degrees an engine accepts for this model on one instance, ascending.

    GPUs: powers of two up to the GPU count (and the GPU count itself) that
    divide the attention heads. Neuron: any divisor of the instance's
    NeuronCores (heads are padded to a multiple of the degree).

    Examples
    --------
    >>> import llmsizing as ls
    >>> parallel_layouts(ls.load_model("llama-3.1-8b"), ls.load_catalog().get("inf2.48xlarge"))[-1]
    24
    """
    per = ranks_per_device(inst)
    total = inst.accelerator_count * per
    if inst.is_neuron:
        return [d for d in range(1, total + 1) if total % d == 0]
    cands = {1 << i for i in range(total.bit_length()) if (1 << i) <= total} | {total}
    return sorted(d for d in cands if model.num_heads % d == 0 and d <= total)


def kv_heads_per_rank(model: ModelConfig, tp: int, padded: bool = False) -> float:
    """KV heads each TP rank stores [-].

    ``max(1, kv_heads / tp)``: split while TP ≤ kv heads, replicated beyond.
    MLA keeps one latent "head", replicated on every rank (vLLM
    ``get_num_kv_heads``). ``padded`` rounds up for engines that pad heads.
    """
    if model.mla is not None:
        return 1.0
    kv = model.num_kv_heads
    if tp >= kv:
        return 1.0
    return float(math.ceil(kv / tp)) if padded else kv / tp


_KV_PROJ = ("self_attn.k_proj", "self_attn.v_proj", "k_proj.bias", "v_proj.bias")
_REPLICATED_SUFFIXES = ("q_a_proj", "kv_a_proj_with_mqa", "mlp.gate", "mlp.gate.bias")


def _is_replicated(t: Tensor) -> bool:
    # vLLM: norms, the MoE router and MLA's down-projections are ReplicatedLinear
    return t.component == "norms" or t.name.endswith(_REPLICATED_SUFFIXES)


def _head_padding(model: ModelConfig, tp: int, padded: bool) -> float:
    if not padded or model.num_heads % tp == 0:
        return 1.0
    return math.ceil(model.num_heads / tp) * tp / model.num_heads


def weights_per_device(
    model: ModelConfig,
    policy: WeightPolicy,
    tp: int,
    pp: int = 1,
    padded_heads: bool = False,
) -> Any:
    """Weight bytes on the most loaded TP rank of the most loaded stage [bytes].

    Sharded tensors count ``1/tp`` (attention ones times the head padding
    factor when heads are padded); replicated ones count whole. With ``pp``
    stages the layers split as evenly as they can (``ceil(L/pp)`` on the
    fullest stage), the embedding on the first and the head on the last.

    Examples
    --------
    >>> import llmsizing as ls
    >>> m = ls.load_model("llama-3.1-70b")
    >>> w8 = weights_per_device(m, resolve_weight_policy("bf16"), 8)
    >>> round(w8.to("GB").magnitude, 1)     # 70.55B params x 2 bytes / 8, norms replicated
    17.6
    """
    return _weights_per_device(model, policy, tp, pp, padded_heads) * BYTE


@functools.lru_cache(maxsize=4096)
def _weights_per_device(
    model: ModelConfig, policy: WeightPolicy, tp: int, pp: int, padded_heads: bool
) -> float:
    pad = _head_padding(model, tp, padded_heads)
    # K/V projections hold whole KV heads: replicated once TP exceeds their number
    # (vLLM QKVParallelLinear)
    kv_share = kv_heads_per_rank(model, tp, padded_heads) / model.num_kv_heads
    per_layer = np.zeros(model.num_layers)
    embed = head = tail = 0.0
    for t in model.tensors(include_extra=False):
        b = float(tensor_bytes(t, policy.dtype_for(t)))
        if model.mla is None and t.name.endswith(_KV_PROJ):
            b = b * kv_share
        elif not _is_replicated(t):
            b = b * (pad if t.component == "attention" else 1.0) / tp
        if t.name.startswith("layers."):
            per_layer[int(t.name.split(".")[1])] += b
        elif t.component == "embedding":
            embed += b
        elif t.component == "lm_head":
            head += b
        else:
            tail += b  # final norm
    if pp == 1:
        return float(per_layer.sum() + embed + head + tail)
    stages = np.array_split(per_layer, pp)
    first = stages[0].sum() + embed
    # a tied head is a copy of the embedding on the last stage
    last = stages[-1].sum() + (embed if model.tie_word_embeddings else head) + tail
    middle = max((s.sum() for s in stages[1:-1]), default=0.0)
    return float(max(first, last, middle))


def activation_workspace(model: ModelConfig, workload: Workload, tp: int) -> Any:
    """Peak activation memory of one forward pass on one TP rank [bytes].

    .. math:: A = T \\,(4h + 2 I_{max}/tp) \\, 2 + B \\, V \\, 4

    T = ``max_batched_tokens`` (a chunked-prefill step), h hidden size,
    I_max the widest FFN intermediate a token produces (dense, or
    experts_per_token × expert width for MoE), in 16-bit; plus fp32 logits of
    the B sequences being sampled over the vocabulary V. The order of what
    vLLM's profiling run measures; override with ``activation_workspace_GiB``.
    """
    if workload.activation_workspace_GiB is not None:
        return (workload.activation_workspace_GiB * ureg.GiB).to(BYTE)
    h = model.hidden_size
    inter = model.intermediate_size
    if model.moe is not None:
        inter = max(inter, model.moe.experts_per_token * model.moe.expert_intermediate_size)
    tokens = min(workload.max_batched_tokens, workload.context_len * workload.batch)
    hidden = tokens * (4 * h + 2 * inter / tp) * 2
    logits = workload.batch * model.vocab_size * 4 / tp
    return (hidden + logits) * BYTE


# -------------------------------------------------------------------- results
#: The per-rank memory terms of a :class:`FitResult`, in the order they add up.
PER_RANK_FIELDS = (
    "weights",
    "kv_cache",
    "activations",
    "runtime_reserve",
    "required",
    "available",
    "headroom",
)


class FitResult(BaseModel):
    """Whether a model and workload fit an instance, and the numbers behind it.

    Per-device quantities are for the most loaded rank ("device" = GPU, or the
    share of a Neuron chip one NeuronCore rank has).
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    model: str
    instance: str
    workload: Workload
    fits: bool
    tp: int
    unit: str
    devices_used: int
    ranks_available: int
    instances_needed: int | None
    weights: Any
    kv_cache: Any
    activations: Any
    runtime_reserve: Any
    required: Any
    available: Any
    usable_per_device: Any
    kv_heads_per_rank: float
    weights_total: Any
    kv_cache_total: Any
    interconnect: str
    explanation: str

    @property
    def headroom(self) -> Any:
        """available − required per device [bytes] (negative: does not fit)."""
        return self.available - self.required

    def to_dict(self) -> dict[str, Any]:
        """Plain numbers (GiB) for JSON and DataFrames."""
        gib = {
            k: float(getattr(self, k).to(GIB).magnitude)
            for k in (*PER_RANK_FIELDS, "weights_total", "kv_cache_total")
        }
        return {
            "model": self.model,
            "instance": self.instance,
            "fits": self.fits,
            "tp": self.tp,
            "unit": self.unit,
            "devices_used": self.devices_used,
            "instances_needed": self.instances_needed,
            **{f"{k}_GiB": v for k, v in gib.items()},
            "explanation": self.explanation,
        }

    def to_frame(self) -> pd.DataFrame:
        d = self.to_dict()
        rows = {k: v for k, v in d.items() if k.endswith("_GiB")}
        return pd.DataFrame({"per device (GiB)": rows})

    def _repr_html_(self) -> str:
        verdict = "fits" if self.fits else "does not fit"
        head = (
            f"<b>{self.model}</b> on <b>{self.instance}</b>: {verdict} "
            f"(TP {self.tp} over {self.unit}s)"
        )
        body = self.to_frame().to_html(float_format="{:,.2f}".format)
        return f"{head}<br>{body}<p>{self.explanation}</p>"

    def __str__(self) -> str:
        return self.explanation


# --------------------------------------------------------------------- planner
def _resolve(
    model: ModelConfig | str, instance: Instance | str, catalog: Catalog | None
) -> tuple[ModelConfig, Instance]:
    m = load_model(model) if isinstance(model, str) else model
    if isinstance(instance, str):
        instance = (catalog or load_catalog()).get(instance)
    return m, instance


def _check_workload(m: ModelConfig, w: Workload) -> None:
    if m.max_position_embeddings and w.context_len > m.max_position_embeddings:
        raise WorkloadError(
            f"context_len {w.context_len} exceeds {m.name}'s maximum of "
            f"{m.max_position_embeddings} tokens (max_position_embeddings)"
        )


def _usable(inst: Instance) -> Any:
    return inst.accelerator_memory_usable.to(BYTE)


@dataclass(frozen=True)
class _Shard:
    weights: Any
    kv: Any
    act: Any
    reserve: Any
    available: Any
    kv_heads: float

    @property
    def required(self) -> Any:
        return self.weights + self.kv + self.act + self.reserve


def _shard(
    m: ModelConfig, inst: Instance, w: Workload, policy: WeightPolicy, tp: int, pp: int
) -> _Shard:
    per = ranks_per_device(inst)
    padded = inst.is_neuron
    weights = weights_per_device(m, policy, tp, pp, padded_heads=padded)
    kv_heads = kv_heads_per_rank(m, tp, padded=padded)
    share = kv_heads / (m.num_kv_heads if m.mla is None else 1)
    layers_share = math.ceil(m.num_layers / pp) / m.num_layers
    kv = kv_cache_memory(m, w.context_len, w.batch, w.kv_dtype) * share * layers_share
    act = activation_workspace(m, w, tp)
    reserve = (w.runtime_reserve_GiB * ureg.GiB).to(BYTE)
    # a Neuron chip's HBM is shared by its cores: each rank gets an equal share
    ranks_on_device = min(per, tp)
    available = _usable(inst) * w.memory_utilization / ranks_on_device
    return _Shard(weights, kv.to(BYTE), act, reserve * (1 / ranks_on_device), available, kv_heads)


def _explain(m: ModelConfig, inst: Instance, w: Workload, r: dict[str, Any]) -> str:
    pc = m.param_counts()
    policy = resolve_weight_policy(w.weight_dtype, m)

    def g(q: Any) -> str:
        return f"{q.to(GIB).magnitude:,.1f} GiB"

    unit = r["unit"]
    moe_note = ""
    if m.is_moe:
        moe_note = (
            f" Although only {pc.active / 1e9:.1f}B of its {pc.total / 1e9:.1f}B parameters are "
            "active per token, every expert must stay resident, because each token may be "
            "routed to any of them; memory follows the total, speed the active count."
        )
    mem = (
        f"{m.name} weights take {g(r['weights_total'])} in {policy.label()}"
        f" and its KV cache {g(r['kv_cache_total'])} for {w.batch} × {w.context_len:,}-token "
        f"sequences ({w.kv_dtype})."
    )
    cap = (
        f"{inst.name} has {inst.accelerator_count} × {inst.accelerator_memory:~P} "
        f"({g(_usable(inst))} usable each), of which {w.memory_utilization:.0%} is budgeted."
    )
    if r["fits"]:
        verdict = (
            f"It fits at TP {r['tp']} over {r['devices_used']} device(s) ({unit} ranks): "
            f"{g(r['required'])} needed per rank of {g(r['available'])} available."
        )
    elif r["instances_needed"]:
        verdict = (
            f"It does not fit one instance: at TP {r['tp']} a rank needs {g(r['required'])} "
            f"of {g(r['available'])}; {r['instances_needed']} instances as pipeline stages "
            f"would hold it, over {inst.network_bandwidth:~P} of network "
            f"({'EFA' if inst.efa else 'no EFA'})."
        )
    else:
        verdict = (
            f"It does not fit: at TP {r['tp']} a rank needs {g(r['required'])} of "
            f"{g(r['available'])}, and no pipeline split across instances makes room."
        )
    return " ".join([mem, cap, verdict]) + moe_note


def fit(
    model: ModelConfig | str,
    instance: Instance | str,
    workload: Workload | None = None,
    catalog: Catalog | None = None,
    max_instances: int = 64,
) -> FitResult:
    """Fit ``model`` serving ``workload`` onto one ``instance``.

    The smallest TP degree that fits is chosen; if none does, the largest
    degree is reported, with the number of instances (pipeline stages) that
    would hold the model (``instances_needed``; None if more than
    ``max_instances`` or more than one layer per stage would be needed).

    Raises
    ------
    WorkloadError
        If the context exceeds the model's maximum.
    UnknownNameError
        For an unknown model or instance, with the nearest names.

    Examples
    --------
    >>> import llmsizing as ls
    >>> r = ls.fit("deepseek-v3", "p5e.48xlarge", ls.Workload(weight_dtype="fp8"))
    >>> r.fits, r.tp
    (True, 8)
    """
    m, inst = _resolve(model, instance, catalog)
    w = workload or Workload()
    _check_workload(m, w)
    policy = resolve_weight_policy(w.weight_dtype, m)
    degrees = parallel_layouts(m, inst)
    chosen_tp, shard, fits = degrees[-1], None, False
    for tp in degrees:
        s = _shard(m, inst, w, policy, tp, 1)
        if s.required <= s.available:
            chosen_tp, shard, fits = tp, s, True
            break
    if shard is None:
        shard = _shard(m, inst, w, policy, chosen_tp, 1)
    needed: int | None = 1 if fits else None
    if not fits:
        for pp in range(2, min(max_instances, m.num_layers) + 1):
            s = _shard(m, inst, w, policy, chosen_tp, pp)
            if s.required <= s.available:
                needed = pp
                break
    per = ranks_per_device(inst)
    r: dict[str, Any] = {
        "fits": fits,
        "tp": chosen_tp,
        "unit": "NeuronCore" if inst.is_neuron else "GPU",
        "devices_used": max(1, math.ceil(chosen_tp / per)),
        "instances_needed": needed,
        "required": shard.required,
        "available": shard.available,
        "weights_total": weights_per_device(m, policy, 1, 1),
        "kv_cache_total": kv_cache_memory(m, w.context_len, w.batch, w.kv_dtype),
    }
    return FitResult(
        model=m.name,
        instance=inst.name,
        workload=w,
        ranks_available=inst.accelerator_count * per,
        weights=shard.weights,
        kv_cache=shard.kv,
        activations=shard.act,
        runtime_reserve=shard.reserve,
        usable_per_device=_usable(inst),
        kv_heads_per_rank=shard.kv_heads,
        interconnect=str(inst.interconnect),
        explanation=_explain(m, inst, w, r),
        **r,
    )


def fit_all(
    model: ModelConfig | str,
    workload: Workload | None = None,
    catalog: Catalog | None = None,
    instances: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Fit the model on every catalog instance; a DataFrame sorted by hourly cost.

    Columns include ``fits``, ``tp``, ``instances_needed``, per-device
    ``required_GiB`` / ``available_GiB`` / ``headroom_GiB``, ``usd_per_hour``
    (us-east-1 on-demand; NaN where no public price) and
    ``usd_per_hour_needed`` (× instances needed).

    Examples
    --------
    >>> import llmsizing as ls
    >>> df = ls.fit_all("llama-3.1-8b")
    >>> bool(df.loc[df.instance == "g6e.xlarge", "fits"].iloc[0])
    True
    """
    cat = catalog or load_catalog()
    m = load_model(model) if isinstance(model, str) else model
    names = list(instances) if instances is not None else cat.names()
    rows = []
    for name in names:
        r = fit(m, cat.get(name), workload, catalog=cat)
        d = r.to_dict()
        price = cat.hourly_price(name)
        d["usd_per_hour"] = price if price is not None else math.nan
        need = r.instances_needed
        d["usd_per_hour_needed"] = price * need if (price is not None and need) else math.nan
        d["price_note"] = "" if price is not None else "no public on-demand price"
        rows.append(d)
    df = pd.DataFrame(rows)
    return df.sort_values(["usd_per_hour", "instance"], na_position="last").reset_index(drop=True)


def cheapest_fit(
    model: ModelConfig | str,
    workload: Workload | None = None,
    catalog: Catalog | None = None,
    allow_multi_instance: bool = False,
) -> FitResult | None:
    """The fit on the cheapest priced instance that holds the workload.

    With ``allow_multi_instance``, multi-instance pipelines compete at their
    total hourly price. Instances without a public price are skipped.

    Examples
    --------
    >>> import llmsizing as ls
    >>> ls.cheapest_fit("llama-3.1-8b", ls.Workload(context_len=8192)).instance
    'inf2.xlarge'
    """
    cat = catalog or load_catalog()
    df = fit_all(model, workload, cat)
    col = "usd_per_hour_needed" if allow_multi_instance else "usd_per_hour"
    ok = df[df.fits | (allow_multi_instance & df.instances_needed.notna())]
    ok = ok[ok[col].notna()].sort_values([col, "instance"])
    if ok.empty:
        return None
    return fit(model, cat.get(str(ok.iloc[0]["instance"])), workload, catalog=cat)


def _bisect_max(ok: Callable[[int], bool], lo: int, hi: int) -> int:
    """Largest n in [lo, hi] with ok(n) true, given ok monotone decreasing; lo-1 if none."""
    if not ok(lo):
        return lo - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if ok(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo


def max_batch(
    model: ModelConfig | str,
    instance: Instance | str,
    context_len: int,
    workload: Workload | None = None,
    catalog: Catalog | None = None,
    limit: int = 1 << 20,
) -> int:
    """Most concurrent ``context_len``-token sequences that fit one instance [-].

    0 when not even one fits. Uses the same accounting as :func:`fit`
    (``fit`` holds at the returned batch and fails at one more).

    Examples
    --------
    >>> import llmsizing as ls
    >>> # 1 GiB of KV per 8192-token sequence; 8 x 79.6 GiB x 0.9 = 573 GiB less 15 GiB of weights
    >>> 500 < ls.max_batch("llama-3.1-8b", "p5.48xlarge", 8192) < 573
    True
    """
    m, inst = _resolve(model, instance, catalog)
    base = (workload or Workload()).model_copy(update={"context_len": context_len})
    _check_workload(m, base)

    def ok(b: int) -> bool:
        return fit(m, inst, base.model_copy(update={"batch": b}), max_instances=1).fits

    return _bisect_max(ok, 1, limit)


def max_context(
    model: ModelConfig | str,
    instance: Instance | str,
    batch: int = 1,
    workload: Workload | None = None,
    catalog: Catalog | None = None,
) -> int:
    """Longest context [tokens] that ``batch`` sequences can each hold on one instance.

    Capped at the model's ``max_position_embeddings`` (or 2**24 tokens when
    unknown); 0 when not even one token fits.

    Examples
    --------
    >>> import llmsizing as ls
    >>> ls.max_context("llama-3.1-8b", "g6e.xlarge", batch=1)
    131072
    """
    m, inst = _resolve(model, instance, catalog)
    base = (workload or Workload()).model_copy(update={"batch": batch})
    cap = m.max_position_embeddings or (1 << 24)

    def ok(c: int) -> bool:
        return fit(m, inst, base.model_copy(update={"context_len": c}), max_instances=1).fits

    return _bisect_max(ok, 1, cap)
