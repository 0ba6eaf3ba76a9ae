"""Fitting a model and a serving workload onto accelerator instances.

The planner evaluates the per-rank memory rule of :mod:`llmsizing.per_rank` for
the parallel layouts (:class:`~llmsizing.layout.Layout`) an engine would run:

* **Tensor parallelism (TP)** over the GPUs of an instance, or over the
  NeuronCores of Neuron devices; GPU engines need the degree to divide the
  attention heads, Neuron pads them [1]_ [2]_.
* For mixture-of-experts models, **attention data parallelism with expert
  parallelism** (vLLM ``--data-parallel-size`` with ``--enable-expert-parallel``,
  SGLang ``--enable-dp-attention``): every rank holds the attention weights and
  the KV cache of its own sequences, the experts are divided over all ranks [3]_.
* When one instance is not enough, **pipeline stages** across instances.

With no layout given, the planner takes the layout that fits on the fewest
devices, and among those the one that holds the most concurrent sequences at the
workload's context (``objective="devices"``); ``objective="concurrency"`` takes
the layout holding the most sequences on the whole instance. The explanation
says which was chosen and why.

Memory per device is compared with ``usable memory × memory_utilization``
(vLLM's ``gpu_memory_utilization`` budget [1]_).

References
----------
.. [1] vLLM, ``vllm/config/parallel.py``, ``vllm/config/model.py``,
   ``vllm/config/cache.py`` (``gpu_memory_utilization = 0.9``).
.. [2] AWS Neuron SDK documentation, NxD Inference "Tensor parallelism" and
   transformers-neuronx developer guide; Inferentia2 architecture (2
   NeuronCore-v2 per chip sharing 32 GiB HBM); Trainium2 LNC=2.
.. [3] DeepSeek-AI, "DeepSeek-V3 Technical Report", arXiv:2412.19437, section 3.4;
   SGLang "DP Attention" documentation.

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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from llmsizing.catalog import Catalog, Instance, as_instance, load_catalog
from llmsizing.collectives import interconnect_kind
from llmsizing.engines import EngineProfile, engine_profile
from llmsizing.errors import LlmsizingError, WorkloadError
from llmsizing.layout import Layout, as_layout, head_padding, kv_heads_per_rank, layout_problem
from llmsizing.memory import (
    WeightPolicy,
    as_mha,
    deepstack_buffer_bytes,
    kv_cache_memory,
    resolve_weight_policy,
    rope_cache_bytes,
    state_bytes_per_sequence,
)
from llmsizing.model import ModelConfig
from llmsizing.per_rank import (
    activation_per_rank,
    budget_per_rank,
    expert_fraction_per_rank,
    kv_cache_per_rank,
    layout_kv_room,
    moe_workspace_per_rank,
    padded_expert_factor,
    sequences_per_rank,
    state_per_rank,
    weight_table,
    weights_per_rank,
)
from llmsizing.presets import as_model
from llmsizing.units import BYTE, GIB_BYTES
from llmsizing.workload import Workload, as_workload

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "PER_RANK_FIELDS",
    "FitResult",
    "Workload",
    "activation_workspace",
    "candidate_layouts",
    "cheapest_fit",
    "fit",
    "fit_all",
    "kv_heads_per_rank",
    "max_batch",
    "max_context",
    "parallel_layouts",
    "ranks_per_device",
    "weights_per_device",
]

Objective = Literal["devices", "concurrency"]


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
    return list(_tp_degrees(model, inst.accelerator_count * ranks_per_device(inst), inst.is_neuron))


@functools.lru_cache(maxsize=4096)
def _tp_degrees(model: ModelConfig, total: int, neuron: bool) -> tuple[int, ...]:
    if neuron:
        return tuple(d for d in range(1, total + 1) if total % d == 0)
    cands = {1 << i for i in range(total.bit_length()) if (1 << i) <= total} | {total}
    return tuple(sorted(d for d in cands if model.num_heads % d == 0 and d <= total))


def candidate_layouts(model: ModelConfig, inst: Instance) -> list[Layout]:
    """Layouts the planner tries on one instance: TP degrees, then DP-attention × EP for MoE.

    For a mixture-of-experts model on GPUs, every TP degree ``n`` > 1 also gives
    the layouts ``TP(n/d) × DP d × EP n`` for each ``d`` dividing ``n`` (attention
    TP inside each data-parallel group, where the heads allow it), with ``n``
    dividing the routed experts.

    Examples
    --------
    >>> import llmsizing as ls
    >>> [str(x) for x in candidate_layouts(ls.load_model("deepseek-v3"),
    ...                                    ls.load_catalog().get("p5e.48xlarge"))][-4:]
    ['TP4×DP2×EP8', 'TP2×DP4×EP8', 'DP8×EP8', 'TP8']
    """
    return list(_candidates(model, inst.accelerator_count * ranks_per_device(inst), inst.is_neuron))


@functools.lru_cache(maxsize=4096)
def _candidates(model: ModelConfig, total: int, neuron: bool) -> tuple[Layout, ...]:
    degrees = _tp_degrees(model, total, neuron)
    out: list[Layout] = []
    for n in degrees:
        out.append(Layout(tp=n))
        # attention DP with EP is what GPU engines (vLLM, SGLang) run; Neuron's engines
        # shard MoE models by TP
        if neuron or model.moe is None or n == 1 or model.moe.n_routed_experts % n:
            continue
        for d in range(2, n + 1):
            tp = n // d
            if n % d or (not neuron and model.num_heads % tp):
                continue
            out.append(Layout(tp=tp, dp=d, ep=n))
    # the largest pure-TP layout last: reported when nothing fits
    out.sort(key=lambda x: (x.ranks, x.dp == 1 and x.ranks == degrees[-1]))
    return tuple(out)


def weights_per_device(
    model: ModelConfig,
    policy: WeightPolicy,
    tp: int,
    pp: int = 1,
    padded_heads: bool = False,
    layout: Layout | None = None,
) -> Any:
    """Weight bytes on the most loaded rank of the most loaded stage [bytes].

    Sharded tensors count ``1/tp`` (attention ones times the head padding
    factor when heads are padded); replicated ones count whole; routed experts
    are divided over the ``tp · dp`` ranks of the MoE layer
    (:func:`~llmsizing.per_rank.expert_fraction_per_rank`). With ``pp`` stages
    the layers split as evenly as they can, the embedding on the first stage and
    the head on the last.

    Examples
    --------
    >>> import llmsizing as ls
    >>> m = ls.load_model("llama-3.1-70b")
    >>> w8 = weights_per_device(m, resolve_weight_policy("bf16"), 8)
    >>> round(w8.to("GB").magnitude, 1)     # 70.55B params x 2 bytes / 8, norms replicated
    17.6
    """
    lay = layout or Layout(tp=tp, pp=pp)
    return _stage_weights(model, policy, lay, padded_heads) * BYTE


@functools.lru_cache(maxsize=65536)
def _stage_weights(m: ModelConfig, policy: WeightPolicy, lay: Layout, padded: bool) -> float:
    """Weights of the most loaded rank of the most loaded stage [bytes] (cached)."""
    t = weight_table(m, policy)
    pad = head_padding(m, lay.tp, padded)
    kv_share = kv_heads_per_rank(m, lay.tp, padded) / (m.num_kv_heads if m.mla is None else 1)
    xf = expert_fraction_per_rank(m.moe.n_routed_experts if m.moe else 1, lay.ep, lay.moe_ranks)
    if lay.pp == 1:
        return float(
            weights_per_rank(
                t.totals, t.embedding, t.lm_head, t.final, lay.tp, pad, kv_share, xf, t.vision
            )
        )
    stages = t.stages(lay.pp)
    last = len(stages) - 1
    per_stage = [
        weights_per_rank(
            s,
            t.embedding if (i == 0 or (i == last and t.tied)) else 0.0,
            t.lm_head if i == last else 0.0,
            t.final if i == last else 0.0,
            lay.tp,
            pad,
            kv_share,
            xf,
            t.vision if i == 0 else 0.0,
        )
        for i, s in enumerate(stages)
    ]
    return float(max(per_stage))


def _widest_ffn(m: ModelConfig) -> int:
    inter = m.intermediate_size
    if m.moe is not None:
        inter = max(inter, m.moe.experts_per_token * m.moe.expert_intermediate_size)
    return inter


def activation_workspace(model: ModelConfig, workload: Workload, tp: int, dp: int = 1) -> Any:
    """Peak activation memory of one forward pass on one rank [bytes].

    :func:`llmsizing.per_rank.activation_per_rank` at the workload's
    ``max_batched_tokens`` (capped at the tokens the rank's sequences hold);
    ``activation_workspace_GiB`` overrides it.
    """
    return _activation(model, workload, tp, dp) * BYTE


def _activation(m: ModelConfig, w: Workload, tp: Any, dp: Any) -> Any:
    if w.activation_workspace_GiB is not None:
        return w.activation_workspace_GiB * GIB_BYTES + 0 * np.asarray(tp, dtype=float)
    seqs = sequences_per_rank(w.batch, dp)
    tokens = np.minimum(w.max_batched_tokens, w.context_len * seqs)
    return activation_per_rank(tokens, seqs, m.hidden_size, _widest_ffn(m), m.vocab_size, tp)


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


@dataclass(frozen=True)
class FitResult:
    """Whether a model and workload fit an instance, and the numbers behind it.

    Per-device quantities are for the most loaded rank ("device" = GPU, or the
    share of a Neuron chip one NeuronCore rank has); ``weights_total`` and
    ``kv_cache_total`` are for the whole model and batch. Memory is held as
    floats in bytes (``*_bytes``) and given as pint Quantities by the
    properties of the same names without the suffix.

    Attributes
    ----------
    layout : Layout
        The parallel layout of one replica (``tp`` repeats its TP degree).
    policy : WeightPolicy
        The weight format resolved from ``workload.weight_dtype``.
    replicas : int
        Replicas of that layout one instance holds (1 for multi-instance layouts).
    max_concurrency : float
        Sequences of ``context_len`` tokens the replica's KV memory holds at the
        chosen layout (0 when it does not fit).
    """

    model: str
    instance: str
    workload: Workload
    fits: bool
    layout: Layout
    policy: WeightPolicy
    unit: str
    devices_used: int
    ranks_available: int
    instances_needed: int | None
    replicas: int
    weights_bytes: float
    kv_cache_bytes: float
    activations_bytes: float
    runtime_reserve_bytes: float
    available_bytes: float
    usable_per_device_bytes: float
    kv_heads_per_rank: float
    weights_total_bytes: float
    kv_cache_total_bytes: float
    max_concurrency: float
    interconnect: str
    engine: str = "generic"
    choice: str = ""
    _explain: Callable[[FitResult], str] | None = field(default=None, repr=False, compare=False)

    # ---- quantities
    @property
    def tp(self) -> int:
        """Tensor-parallel degree of the layout [-]."""
        return self.layout.tp

    @property
    def required_bytes(self) -> float:
        """weights + KV cache + activations + reserve per device [bytes]."""
        return (
            self.weights_bytes
            + self.kv_cache_bytes
            + self.activations_bytes
            + self.runtime_reserve_bytes
        )

    @property
    def weights(self) -> Any:
        """Weights per device [bytes]."""
        return self.weights_bytes * BYTE

    @property
    def kv_cache(self) -> Any:
        """KV cache per device [bytes]."""
        return self.kv_cache_bytes * BYTE

    @property
    def activations(self) -> Any:
        """Activation peak per device [bytes]."""
        return self.activations_bytes * BYTE

    @property
    def runtime_reserve(self) -> Any:
        """Runtime reserve per device [bytes]."""
        return self.runtime_reserve_bytes * BYTE

    @property
    def required(self) -> Any:
        """Memory needed per device [bytes]."""
        return self.required_bytes * BYTE

    @property
    def available(self) -> Any:
        """Memory budget per device [bytes]."""
        return self.available_bytes * BYTE

    @property
    def usable_per_device(self) -> Any:
        """Usable memory of one device [bytes]."""
        return self.usable_per_device_bytes * BYTE

    @property
    def weights_total(self) -> Any:
        """All weights, one copy [bytes]."""
        return self.weights_total_bytes * BYTE

    @property
    def kv_cache_total(self) -> Any:
        """KV cache of the whole batch [bytes]."""
        return self.kv_cache_total_bytes * BYTE

    @property
    def headroom(self) -> Any:
        """available − required per device [bytes] (negative: does not fit)."""
        return (self.available_bytes - self.required_bytes) * BYTE

    @property
    def explanation(self) -> str:
        """The verdict in plain language, with the numbers behind it."""
        return self._explain(self) if self._explain is not None else ""

    def to_dict(self, explanation: bool = True) -> dict[str, Any]:
        """Plain numbers (GiB per device unless named total) for JSON and DataFrames."""
        gib = {
            k: getattr(self, f"{k}_bytes") / GIB_BYTES for k in PER_RANK_FIELDS if k != "headroom"
        }
        gib["headroom"] = (self.available_bytes - self.required_bytes) / GIB_BYTES
        return {
            "model": self.model,
            "instance": self.instance,
            "fits": self.fits,
            "tp": self.tp,
            "pp": self.layout.pp,
            "ep": self.layout.ep,
            "dp": self.layout.dp,
            "layout": self.layout.label,
            "unit": self.unit,
            "devices_used": self.devices_used,
            "instances_needed": self.instances_needed,
            "replicas": self.replicas,
            "engine": self.engine,
            "weights": self.policy.label(),
            "context_len": self.workload.context_len,
            "batch": self.workload.batch,
            "kv_dtype": str(self.workload.kv_dtype),
            **{f"{k}_GiB": v for k, v in gib.items()},
            "weights_total_GiB": self.weights_total_bytes / GIB_BYTES,
            "kv_cache_total_GiB": self.kv_cache_total_bytes / GIB_BYTES,
            "max_concurrency": self.max_concurrency,
            **({"explanation": self.explanation} if explanation else {}),
        }

    def to_frame(self) -> pd.DataFrame:
        """Per-device and whole-model figures [GiB] as a two-section DataFrame."""
        import pandas as pd

        d = self.to_dict()
        rows = [("per device", k.removesuffix("_GiB"), d[f"{k}_GiB"]) for k in PER_RANK_FIELDS]
        rows += [
            ("whole model", "weights_total", d["weights_total_GiB"]),
            ("whole model", "kv_cache_total", d["kv_cache_total_GiB"]),
        ]
        idx = pd.MultiIndex.from_tuples([(a, b) for a, b, _ in rows])
        return pd.DataFrame({"GiB": [v for _, _, v in rows]}, index=idx)

    def _repr_html_(self) -> str:
        verdict = "fits" if self.fits else "does not fit"
        head = (
            f"<b>{self.model}</b> on <b>{self.instance}</b>: {verdict} "
            f"({self.layout.label} over {self.unit}s, {self.policy.label()})"
        )
        body = self.to_frame().to_html(float_format="{:,.2f}".format)
        return f"{head}<br>{body}<p>{self.explanation}</p>"

    def __str__(self) -> str:
        return self.explanation

    def __reduce__(self) -> Any:
        # the explanation closure does not pickle; a copy keeps its text
        state = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "_explain"}
        return (_rebuild, (state, self.explanation))


def _rebuild(state: dict[str, Any], text: str) -> FitResult:
    return FitResult(**state, _explain=lambda _r: text)


# --------------------------------------------------------------------- planner
def _instance(instance: Instance | str, catalog: Catalog | None) -> Instance:
    return instance if isinstance(instance, Instance) else as_instance(instance, catalog)


def check_context(m: ModelConfig, w: Workload) -> None:
    """Raise :class:`WorkloadError` if the context exceeds the model's maximum."""
    if m.max_position_embeddings and w.context_len > m.max_position_embeddings:
        raise WorkloadError(
            f"context_len {w.context_len} exceeds {m.name}'s maximum of "
            f"{m.max_position_embeddings} tokens (max_position_embeddings)"
        )


@functools.lru_cache(maxsize=4096)
def _policy(dtype: str | WeightPolicy, m: ModelConfig, vision: bool) -> WeightPolicy:
    p = resolve_weight_policy(dtype, m)
    if vision and m.vision is not None and p.vision is None:
        # the checkpoint's vision tower, loaded as shipped (16-bit)
        p = p.model_copy(update={"vision": "bf16"})
    return p


def as_policy(
    dtype: str | WeightPolicy | Mapping[str, str], m: ModelConfig, vision: bool = False
) -> WeightPolicy:
    """The resolved :class:`WeightPolicy` of a dtype name, mapping or policy (cached).

    ``vision`` loads a multimodal checkpoint's vision tower in bf16.
    """
    if isinstance(dtype, Mapping):
        dtype = resolve_weight_policy(dtype, m)
    return _policy(dtype, m, vision)


def engine_workload(m: ModelConfig, w: Workload, profile: EngineProfile | None) -> Workload:
    """The workload as the engine runs it: its KV dtype resolved from the checkpoint.

    Where the workload sets no ``kv_dtype`` and the engine takes a checkpoint's stated
    KV-cache format (:meth:`~llmsizing.engines.EngineProfile.kv_dtype`), that format.
    """
    if profile is None:
        return w
    kv = profile.kv_dtype(m, w.kv_dtype, "kv_dtype" in w.model_fields_set)
    return w if kv == w.kv_dtype else w.model_copy(update={"kv_dtype": kv})


def loads_vision(w: Workload, engine: str | None) -> bool:
    """Whether a deployment holds the vision tower: as the workload says, else engines do."""
    return w.include_vision if w.include_vision is not None else engine is not None


@dataclass(frozen=True)
class _Terms:
    """Per-rank terms of candidate layouts, arrays of shape (candidates,) [bytes]."""

    weights: np.ndarray
    kv: np.ndarray
    act: np.ndarray
    reserve: np.ndarray
    available: np.ndarray
    kv_heads: np.ndarray
    kv_share: np.ndarray  # share of a sequence's KV cache one rank holds
    kv_per_seq_rank: np.ndarray  # KV bytes of one sequence on one rank

    @property
    def required(self) -> np.ndarray:
        return np.asarray(self.weights + self.kv + self.act + self.reserve)


def _terms(
    m: ModelConfig,
    inst: Instance,
    w: Workload,
    policy: WeightPolicy,
    layouts: Sequence[Layout],
    engine: EngineProfile | None = None,
) -> _Terms:
    """The per-rank rule (:mod:`llmsizing.per_rank`) for each candidate layout.

    With an ``engine`` profile (:mod:`llmsizing.engines`) its budget base,
    profiled activation peak and non-torch reserve replace the generic terms,
    unless the workload sets them; so does the engine's default memory fraction
    (:meth:`~llmsizing.engines.EngineProfile.default_memory_fraction`, SGLang's
    ``mem_fraction_static``) where the workload sets no ``memory_utilization``.
    """
    per = ranks_per_device(inst)
    tp, dp, weights, kv_heads, share, layer_share, state = _terms_of_layouts(
        m, policy, layouts, inst.is_neuron
    )
    kv_m = cache_model(m, engine)
    if kv_m is not m:
        # the engine caches another layout than the model's own: its heads and shares
        _, _, _, kv_heads, share, layer_share, state = _terms_of_layouts(
            kv_m, policy, layouts, inst.is_neuron
        )
    kv_seq = _kv_per_sequence(kv_m, w.context_len, w.kv_dtype)
    seqs = sequences_per_rank(w.batch, dp)
    # recurrent state (linear attention, Mamba) is cache too: per sequence, split by TP
    kv = kv_cache_per_rank(kv_seq, seqs, share, layer_share) + state_per_rank(
        state, seqs, layer_share
    )
    act = _activation(m, w, tp, dp)
    if engine is not None and not inst.is_neuron:
        # the engine's RoPE cos/sin table, on every rank (memory.rope_cache_bytes)
        rope = rope_cache_bytes(m, engine.rope_cache_element_bytes, engine.mrope_factor)
        weights = weights + float(rope.to(BYTE).magnitude)
    if engine is not None and engine.mxfp4_moe_alignment:
        weights = weights + _mxfp4_padding(
            m, policy, tuple(layouts), engine.mxfp4_alignment(inst.hardware_family)
        )
    on_device = np.minimum(per, tp * dp)
    reserve = w.runtime_reserve_GiB * GIB_BYTES / on_device
    usable = _usable_bytes(inst)
    utilization: Any = w.memory_utilization
    if engine is not None and engine.generic_terms:
        engine = None  # the profile names the engine; the generic terms size it
    if engine is not None:
        engine = engine.on_device(usable / GIB_BYTES, inst.accelerator)
        given = w.model_fields_set
        tokens = (
            w.max_batched_tokens
            if "max_batched_tokens" in given
            else engine.default_batched_tokens(
                usable / GIB_BYTES,
                w.context_len,
                inst.accelerator,
                sliding_window=m.sliding_window is not None,
                multimodal=m.vision is not None,
            )
        )
        if engine.deepstack_buffers and policy.vision is not None:
            # Qwen3-VL's DeepStack buffers, built with the tower (memory.deepstack_buffer_bytes)
            weights = weights + float(deepstack_buffer_bytes(m, tokens).to(BYTE).magnitude)
        if "activation_workspace_GiB" not in given:
            seqs_profile = (
                w.max_num_seqs
                if w.max_num_seqs is not None
                else engine.default_seqs(usable / GIB_BYTES, inst.accelerator)
            )
            act = np.asarray(
                engine.activation_bytes(
                    tokens, m.vocab_size, seqs_profile, m.hidden_size, _widest_ffn(m), tp
                )
            ) + np.zeros(len(layouts))
            if m.moe is not None and engine.moe_workspace:
                # the profile's forward pass runs its tokens through the fused MoE kernel
                shards = np.array([x.moe_ranks / x.ep for x in layouts], dtype=float)
                act = act + moe_workspace_per_rank(
                    tokens,
                    m.moe.experts_per_token,
                    m.moe.expert_intermediate_size,
                    m.hidden_size,
                    shards,
                )
        if "runtime_reserve_GiB" not in given:
            link = interconnect_kind(inst.interconnect or "")
            reserve = np.array([engine.reserve_bytes(x.tp * x.dp, link) for x in layouts])
            if not w.enforce_eager:  # the CUDA graphs the profile sets memory aside for
                reserve = reserve + engine.cuda_graph_GiB * GIB_BYTES
            reserve = reserve / on_device
        if "memory_utilization" not in given:
            # the engine's own default where the launch sets none (SGLang's
            # mem_fraction_static rule, from the nvidia-smi total)
            own = [
                engine.default_memory_fraction(usable / GIB_BYTES, x.tp, x.pp, x.dp)
                for x in layouts
            ]
            if own[0] is not None:
                utilization = np.array(own, dtype=float)
        if not inst.is_neuron:
            usable = engine.budget_base_bytes(usable, inst.cuda_visible_memory)
    available = budget_per_rank(usable, utilization, on_device)
    if engine is not None and engine.fraction_of_free:
        # KV gets the fraction of what weights, activations and reserve leave free
        rest = weights + act + reserve
        available = utilization * (available / utilization - rest) + rest
    return _Terms(
        weights,
        kv,
        act,
        reserve,
        available,
        kv_heads,
        share,
        (kv_seq * share + state) * layer_share,
    )


@functools.lru_cache(maxsize=16384)
def _layout_terms(
    m: ModelConfig, policy: WeightPolicy, layouts: tuple[Layout, ...], padded: bool
) -> tuple[np.ndarray, ...]:
    """Per-layout terms that depend on the model and format only (cached).

    tp and dp degrees, weights per rank [bytes], KV heads per rank, the share of a
    sequence's KV cache one rank holds, and the share of layers on the fullest stage.
    """
    tp = np.array([x.tp for x in layouts], dtype=float)
    dp = np.array([x.dp for x in layouts], dtype=float)
    weights = np.array([_stage_weights(m, policy, x, padded) for x in layouts])
    kv_heads = np.array([kv_heads_per_rank(m, x.tp, padded) for x in layouts])
    share = kv_heads / (m.num_kv_heads if m.mla is None else 1)
    layer_share = np.array([math.ceil(m.num_layers / x.pp) / m.num_layers for x in layouts])
    # recurrent state (linear attention, Mamba) of one sequence on one TP rank [bytes]
    state = np.array([_state_per_sequence(m, x.tp) for x in layouts])
    out = (tp, dp, weights, kv_heads, share, layer_share, state)
    for a in out:
        a.setflags(write=False)
    return out


@functools.lru_cache(maxsize=4096)
def _mxfp4_padding(
    m: ModelConfig, policy: WeightPolicy, layouts: tuple[Layout, ...], align: tuple[int, int]
) -> np.ndarray:
    """Bytes per rank an engine adds by padding MXFP4 routed experts, per layout [bytes]."""
    if m.moe is None or align == (1, 1) or policy.gemm_dtype.name != "mxfp4":
        return np.zeros(len(layouts))
    routed = float(weight_table(m, policy).totals[4])
    out = []
    for x in layouts:
        share = math.ceil(m.num_layers / x.pp) / m.num_layers
        xf = float(expert_fraction_per_rank(m.moe.n_routed_experts, x.ep, x.moe_ranks))
        # each expert's intermediate is split over the ranks of the MoE layer that share it
        f = padded_expert_factor(
            m.moe.expert_intermediate_size, m.hidden_size, x.moe_ranks // x.ep, *align
        )
        out.append(routed * share * xf * (float(f) - 1.0))
    return np.array(out)


_BY_IDENTITY: dict[tuple[int, int, int, bool], tuple[Any, tuple[np.ndarray, ...]]] = {}


def _terms_of_layouts(
    m: ModelConfig, policy: WeightPolicy, layouts: Sequence[Layout], padded: bool
) -> tuple[np.ndarray, ...]:
    """:func:`_layout_terms`, first looked up by the objects' identity.

    Hashing a model config hashes all its fields; the planner asks for the same
    (model, policy, candidate tuple) objects again and again, so they are found by
    identity first (the entry keeps the objects, so their ids stay theirs).
    """
    key = (id(m), id(policy), id(layouts), padded)
    hit = _BY_IDENTITY.get(key)
    if hit is not None and hit[0][0] is m and hit[0][1] is policy and hit[0][2] is layouts:
        return hit[1]
    value = _layout_terms(m, policy, tuple(layouts), padded)
    if len(_BY_IDENTITY) > 8192:
        _BY_IDENTITY.clear()
    _BY_IDENTITY[key] = ((m, policy, layouts), value)
    return value


_USABLE: dict[int, tuple[Instance, float]] = {}


def _usable_bytes(inst: Instance) -> float:
    """Usable memory of one device of ``inst`` [bytes], cached by identity.

    Instances hold Quantities, whose hashing converts units; the cache keeps
    the instance itself so that its id stays unique.
    """
    hit = _USABLE.get(id(inst))
    if hit is None or hit[0] is not inst:
        hit = (inst, float(inst.accelerator_memory_usable.to(BYTE).magnitude))
        if len(_USABLE) > 4096:
            _USABLE.clear()
        _USABLE[id(inst)] = hit
    return hit[1]


@functools.lru_cache(maxsize=16384)
def _state_per_sequence(m: ModelConfig, tp: int) -> float:
    """Recurrent state of one sequence on one TP rank [bytes] (inf where TP cannot split it)."""
    try:
        return float(state_bytes_per_sequence(m, "bf16", tp).to(BYTE).magnitude)
    except LlmsizingError:
        return math.inf  # e.g. TP not dividing the linear-attention heads


@functools.lru_cache(maxsize=1024)
def _mla_as_mha(m: ModelConfig, head: int) -> ModelConfig:
    return as_mha(m).model_copy(update={"head_dim": head, "v_head_dim": head})


def cache_model(m: ModelConfig, engine: EngineProfile | None) -> ModelConfig:
    """The model whose KV layout the engine caches: ``m`` itself, or MLA run as padded MHA.

    With a profile whose ``mla_as_mha_head`` is set (vLLM before 0.7.1), an MLA
    model caches K and V of every head at that width
    (:func:`llmsizing.attention.as_mha` with the padded head size).
    """
    if engine is None or not engine.mla_as_mha_head or m.mla is None:
        return m
    return _mla_as_mha(m, engine.mla_as_mha_head)


@functools.lru_cache(maxsize=65536)
def _kv_per_sequence(m: ModelConfig, context_len: int, kv_dtype: str | float) -> float:
    return float(kv_cache_memory(m, context_len, 1, kv_dtype).to(BYTE).magnitude)


def _concurrency(t: _Terms, layouts: Sequence[Layout]) -> np.ndarray:
    """Sequences of ``context_len`` tokens each layout's replica holds [-]."""
    free = t.available - t.weights - t.act - t.reserve
    dp = np.array([x.dp for x in layouts], dtype=float)
    # a vanishing per-sequence cache holds unboundedly many sequences: inf, not a warning
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        per_rank = np.where(t.kv_per_seq_rank > 0, free / t.kv_per_seq_rank, np.inf)
    return np.asarray(np.maximum(per_rank, 0.0) * dp)


def fit(
    model: ModelConfig | str,
    instance: Instance | str,
    workload: Workload | Mapping[str, Any] | None = None,
    catalog: Catalog | None = None,
    max_instances: int = 64,
    *,
    layout: Layout | Mapping[str, int] | str | None = None,
    engine: str | None = None,
    objective: Objective = "devices",
) -> FitResult:
    """Fit ``model`` serving ``workload`` onto one ``instance`` (or several, as stages).

    Parameters
    ----------
    model : ModelConfig or str
        The model, or a preset name / config.json path.
    instance : Instance or str
        The instance, or its catalog name.
    workload : Workload or dict, optional
        Context, batch, formats and budget (default :class:`Workload`).
    catalog : Catalog, optional
        Catalog to resolve names in (default: the shipped one).
    max_instances : int, default 64
        Most instances a pipeline over several instances may span.
    layout : Layout, dict or str, optional
        The parallel layout to evaluate (``Layout(tp=4)``, ``{"tp": 4}``, ``"TP4"``);
        default: chosen by ``objective``.
    engine : str or None
        Serving engine whose memory profile applies (:mod:`llmsizing.engines`:
        ``"vllm"``, ``"vllm-0.6"`` ... ``"vllm-0.21"``, ``"sglang"``,
        ``"trtllm"``, ``"neuron"``);
        None: the generic rule (usable memory × utilisation, the workload's
        activation estimate and reserve).
    objective : {"devices", "concurrency"}
        How the layout is chosen when none is given: fewest devices that fit
        (ties: most concurrent sequences), or most concurrent sequences.

    Returns
    -------
    FitResult
        With ``layout``, ``policy``, per-device memory and the explanation.

    Raises
    ------
    WorkloadError
        If the context exceeds the model's maximum, or the layout cannot run
        (naming why).
    UnknownNameError
        For an unknown model or instance, with the nearest names.

    Examples
    --------
    >>> import llmsizing as ls
    >>> r = ls.fit("llama-3.1-70b", "p5.48xlarge", ls.Workload(weight_dtype="fp8"))
    >>> r.fits, r.layout.label
    (True, 'TP1')
    >>> ls.fit("deepseek-v3", "p5e.48xlarge", {"weight_dtype": "fp8"}).layout.label
    'DP8×EP8'
    """
    m = as_model(model)
    inst = _instance(instance, catalog)
    w = as_workload(workload)
    check_context(m, w)
    policy = as_policy(w.weight_dtype, m, loads_vision(w, engine))
    profile = engine_profile(engine)
    w = engine_workload(m, w, profile)
    if profile is not None and profile.generic_terms and not inst.is_neuron:
        raise WorkloadError(f"engine {profile.name!r} runs on Neuron devices, not on {inst.name}")
    if profile is not None and m.compressed_attention is not None:
        raise WorkloadError(
            f"engine {profile.name!r}: how it pools {m.name}'s compressed KV entries, indexer "
            "keys and window caches is not modelled; size it with engine=None"
        )
    if profile is not None and m.cross_attention_tokens > 0:
        raise WorkloadError(
            f"engine {profile.name!r}: how it pools {m.name}'s cross-attention KV of vision "
            "tokens is not modelled; size it with engine=None"
        )
    per = ranks_per_device(inst)
    ranks = inst.accelerator_count * per
    lay = as_layout(layout)
    choice = ""
    if lay is not None:
        problem = layout_problem(m, lay, ranks * max_instances, inst.is_neuron)
        if problem:
            raise WorkloadError(f"layout {lay.label} cannot run {m.name} on {inst.name}: {problem}")
        cands: tuple[Layout, ...] = (lay,)
    else:
        cands = _candidates(m, ranks, inst.is_neuron)
    t = _terms(m, inst, w, policy, cands, profile)
    ok = t.required <= t.available
    conc = _concurrency(t, cands)
    needed: int | None
    if lay is not None:
        j = 0
        fits = bool(ok[0]) and lay.ranks <= ranks
        needed = math.ceil(lay.ranks / ranks) if bool(ok[0]) else None
        choice = "the layout given"
    elif ok.any():
        idx = np.flatnonzero(ok)
        if objective == "concurrency":
            j = int(idx[np.argmax(conc[idx])])
            choice = "the layout that holds the most concurrent sequences"
        else:
            devs = np.array([x.ranks for x in cands])[idx]
            best = idx[devs == devs.min()]
            room = layout_kv_room(
                t.available[best],
                t.weights[best],
                t.reserve[best],
                np.array([cands[b].dp for b in best]),
                t.kv_share[best],
            )
            j = int(best[np.argmax(room)])
            choice = "the layout that fits on the fewest devices"
            if len(best) > 1:
                choice += ", and of those leaves the most room for KV cache"
        fits, needed = True, 1
        lay = cands[j]
    else:
        # report the largest pure-TP layout, and how many pipeline stages would hold it
        j = len(cands) - 1
        lay = cands[j]
        fits = False
        needed = _stages_needed(m, inst, w, policy, lay, t, min(max_instances, m.num_layers))
    devices = max(1, math.ceil(lay.tp * lay.dp / per))
    replicas = max(1, ranks // max(lay.ranks, per)) if fits else 1
    return FitResult(
        model=m.name,
        instance=inst.name,
        workload=w,
        fits=fits,
        layout=lay,
        policy=policy,
        unit="NeuronCore" if inst.is_neuron else "GPU",
        devices_used=devices,
        ranks_available=ranks,
        instances_needed=needed,
        replicas=replicas,
        weights_bytes=float(t.weights[j]),
        kv_cache_bytes=float(t.kv[j]),
        activations_bytes=float(t.act[j]),
        runtime_reserve_bytes=float(t.reserve[j]),
        available_bytes=float(t.available[j]),
        usable_per_device_bytes=_usable_bytes(inst),
        kv_heads_per_rank=float(t.kv_heads[j]),
        weights_total_bytes=weight_table(m, policy).total,
        kv_cache_total_bytes=_kv_per_sequence(cache_model(m, profile), w.context_len, w.kv_dtype)
        * w.batch,
        max_concurrency=float(conc[j]) if bool(ok[j]) else 0.0,
        interconnect=str(inst.interconnect),
        engine=engine or "generic",
        choice=choice,
        _explain=functools.partial(_explain, m, inst, _alternatives(cands, conc, ok, j)),
    )


@functools.lru_cache(maxsize=16384)
def _stage_weight_curve(
    m: ModelConfig, policy: WeightPolicy, tp: int, padded: bool, top: int
) -> np.ndarray:
    """Weights of the most loaded rank at 1, 2, ... ``top`` pipeline stages [bytes] (cached)."""
    return np.array(
        [_stage_weights(m, policy, Layout(tp=tp, pp=pp), padded) for pp in range(1, top + 1)]
    )


def _stages_needed(
    m: ModelConfig,
    inst: Instance,
    w: Workload,
    policy: WeightPolicy,
    lay: Layout,
    t: _Terms,
    top: int,
) -> int | None:
    """Fewest pipeline stages (instances) of ``lay``'s TP degree that hold ``w``, or None.

    Each stage is one instance: stages divide the weights (the most loaded
    stage counts) and the KV cache by layer (``ceil(L/pp)/L`` of it), while the
    activations, reserve and budget per rank stay as at one stage.
    """
    if top < 2:
        return None
    j = len(t.weights) - 1
    pp = np.arange(1, top + 1)
    weights = _stage_weight_curve(m, policy, lay.tp, inst.is_neuron, top)
    layer_share = np.ceil(m.num_layers / pp) / m.num_layers
    required = weights + t.kv[j] * layer_share + t.act[j] + t.reserve[j]
    ok = np.flatnonzero((required <= t.available[j]) & (pp >= 2))
    return int(pp[ok[0]]) if ok.size else None


def _alternatives(
    cands: Sequence[Layout], conc: np.ndarray, ok: np.ndarray, j: int
) -> list[tuple[Layout, float]]:
    """Layouts other than the chosen one, with the sequences each holds (0 if none)."""
    return [
        (c, float(conc[i]) if np.isfinite(conc[i]) else 0.0) for i, c in enumerate(cands) if i != j
    ]


def _explain(
    m: ModelConfig, inst: Instance, others: list[tuple[Layout, float]], r: FitResult
) -> str:
    pc = m.param_counts()
    w = r.workload

    def g(b: float) -> str:
        return f"{b / GIB_BYTES:,.1f} GiB"

    moe_note = ""
    if m.is_moe:
        moe_note = (
            f" Although only {pc.active / 1e9:.1f}B of its {pc.total / 1e9:.1f}B parameters are "
            "active per token, every expert must stay resident, because each token may be "
            "routed to any of them; memory follows the total, speed the active count."
        )
    mem = (
        f"{m.name} weights take {g(r.weights_total_bytes)} in {r.policy.label()}"
        f" and its KV cache {g(r.kv_cache_total_bytes)} for {w.batch} × {w.context_len:,}-token "
        f"sequences ({w.kv_dtype})."
    )
    cap = (
        f"{inst.name} has {inst.accelerator_count} × {inst.accelerator_memory:~P} "
        f"({g(r.usable_per_device_bytes)} usable each), of which {w.memory_utilization:.0%} "
        "is budgeted."
    )
    lab = r.layout.label
    if r.fits:
        verdict = (
            f"It fits at {lab} over {r.devices_used} device(s) ({r.unit} ranks): "
            f"{g(r.required_bytes)} needed per rank of {g(r.available_bytes)} available; "
            f"the KV memory holds about {r.max_concurrency:,.0f} such sequences per replica."
        )
        if r.choice:
            verdict += f" {lab} is {r.choice}."
        tp_alt = [(c, n) for c, n in others if c.dp == 1 and c.ranks == r.layout.ranks]
        if r.layout.dp > 1 and tp_alt:
            c, n = tp_alt[0]
            more = f"{r.max_concurrency / n:,.1f}× the" if n >= 1 else "more"
            verdict += (
                f" Attention data parallelism with expert parallelism holds {more} "
                f"sequences of {c.label} ({n:,.0f} at this context), because each rank keeps "
                "only its own sequences' cache instead of a copy of every sequence's."
            )
    elif r.instances_needed:
        verdict = (
            f"It does not fit one instance: at {lab} a rank needs {g(r.required_bytes)} "
            f"of {g(r.available_bytes)}; {r.instances_needed} instances as pipeline stages "
            f"would hold it, over {inst.network_bandwidth:~P} of network "
            f"({'EFA' if inst.efa else 'no EFA'})."
        )
    else:
        verdict = (
            f"It does not fit: at {lab} a rank needs {g(r.required_bytes)} of "
            f"{g(r.available_bytes)}, and no pipeline split across instances makes room."
        )
    return " ".join([mem, cap, verdict]) + moe_note


def fit_all(
    model: ModelConfig | str,
    workload: Workload | Mapping[str, Any] | None = None,
    catalog: Catalog | None = None,
    instances: Iterable[str | Instance] | None = None,
    *,
    layout: Layout | Mapping[str, int] | str | None = None,
    engine: str | None = None,
    explain: bool = False,
) -> pd.DataFrame:
    """Fit the model on every catalog instance; a DataFrame sorted by hourly cost.

    Columns include ``fits``, ``tp``, ``layout``, ``instances_needed``,
    per-device ``required_GiB`` / ``available_GiB`` / ``headroom_GiB``,
    ``usd_per_hour`` (the catalog's :meth:`~llmsizing.catalog.Catalog.price_info`:
    your own prices first, then its region's On-Demand price; NaN where none),
    ``price_note`` ("no public price", "user price", a staleness note ...),
    ``price_as_of``, ``usd_per_hour_needed`` (× instances needed) and
    ``network_note`` (pipelines over instances without EFA). With
    ``explain``, an ``explanation`` column holds each fit's explanation. A
    ``layout`` that an instance cannot run gives ``fits`` False and the reason
    in ``explanation``.

    Examples
    --------
    >>> import llmsizing as ls
    >>> df = ls.fit_all("llama-3.1-8b")
    >>> bool(df.loc[df.instance == "g6e.xlarge", "fits"].iloc[0])
    True
    """
    import pandas as pd

    cat = catalog or load_catalog()
    m = as_model(model)
    w = as_workload(workload)
    if isinstance(instances, str | Instance):
        instances = [instances]
    elif instances is not None and not isinstance(instances, Iterable):
        raise WorkloadError(
            f"instances is a list of instance names (or one name), got {instances!r}"
        )
    chosen = [as_instance(x, cat) for x in instances] if instances is not None else list(cat)
    rows = []
    for inst in chosen:
        try:
            d = fit(m, inst, w, catalog=cat, layout=layout, engine=engine).to_dict(
                explanation=explain
            )
        except WorkloadError as e:
            if layout is None:
                raise
            d = {"model": m.name, "instance": inst.name, "fits": False, "explanation": str(e)}
        info = cat.price_info(inst)
        price = info.usd_per_hour
        d["usd_per_hour"] = price if price is not None else math.nan
        need = d.get("instances_needed")
        d["usd_per_hour_needed"] = price * need if (price is not None and need) else math.nan
        d["price_note"] = info.note
        d["price_as_of"] = info.as_of.isoformat() if info.as_of else None
        # stages on several instances talk over the network: say when it is not built for it
        d["network_note"] = (
            f"{need} instances over {inst.network_bandwidth:~P} without EFA"
            if need and need > 1 and not d.get("fits") and not inst.efa
            else ""
        )
        rows.append(d)
    df = pd.DataFrame(rows)
    return df.sort_values(["usd_per_hour", "instance"], na_position="last").reset_index(drop=True)


def cheapest_fit(
    model: ModelConfig | str,
    workload: Workload | Mapping[str, Any] | None = None,
    catalog: Catalog | None = None,
    allow_multi_instance: bool = False,
    *,
    layout: Layout | Mapping[str, int] | str | None = None,
    engine: str | None = None,
) -> FitResult | None:
    """The fit on the cheapest priced instance that holds the workload.

    With ``allow_multi_instance``, multi-instance pipelines compete at their
    total hourly price. Instances without a price are ranked after priced ones
    and never returned.

    Examples
    --------
    >>> import llmsizing as ls
    >>> ls.cheapest_fit("llama-3.1-8b", ls.Workload(context_len=8192)).instance
    'inf2.xlarge'
    """
    cat = catalog or load_catalog()
    df = fit_all(model, workload, cat, layout=layout, engine=engine)
    col = "usd_per_hour_needed" if allow_multi_instance else "usd_per_hour"
    ok = df[df.fits | (allow_multi_instance & df.instances_needed.notna())]
    ok = ok[ok[col].notna()].sort_values([col, "instance"])
    if ok.empty:
        return None
    inst = as_instance(str(ok.iloc[0]["instance"]), cat)
    return fit(model, inst, workload, catalog=cat, layout=layout, engine=engine)


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


def _with(w: Workload, **changes: Any) -> Workload:
    """A copy of ``w`` with ``changes``, validated as a new :class:`Workload` would be.

    Only the fields the user gave are passed on, so defaults stay defaults (and a
    context derived from prompt and output is derived again).
    """
    data = {k: getattr(w, k) for k in w.model_fields_set}
    return Workload(**(data | changes))


def _fits_one(m: ModelConfig, inst: Instance, w: Workload, layout: Layout | None) -> bool:
    """Whether some layout (or the one given) holds ``w`` on one instance."""
    policy = as_policy(w.weight_dtype, m, loads_vision(w, None))
    cands = [layout] if layout is not None else candidate_layouts(m, inst)
    t = _terms(m, inst, w, policy, cands)
    return bool((t.required <= t.available).any())


def max_batch(
    model: ModelConfig | str,
    instance: Instance | str,
    context_len: int,
    workload: Workload | Mapping[str, Any] | None = None,
    catalog: Catalog | None = None,
    limit: int = 1 << 20,
    *,
    layout: Layout | Mapping[str, int] | str | None = None,
) -> int:
    """Most concurrent ``context_len``-token sequences that fit one instance [-].

    0 when not even one fits. Uses the same per-rank rule as :func:`fit`
    (``fit`` holds at the returned batch and fails at one more).

    Examples
    --------
    >>> import llmsizing as ls
    >>> # 1 GiB of KV per 8192-token sequence; 8 x 79.6 GiB x 0.9 = 573 GiB less 15 GiB of weights
    >>> 500 < ls.max_batch("llama-3.1-8b", "p5.48xlarge", 8192) < 573
    True
    """
    m = as_model(model)
    inst = _instance(instance, catalog)
    lay = as_layout(layout)
    base = _with(as_workload(workload), context_len=context_len)
    check_context(m, base)
    if lay is not None:
        fit(m, inst, base, layout=lay)  # validates the layout

    def ok(b: int) -> bool:
        return _fits_one(m, inst, base.model_copy(update={"batch": b}), lay)

    return _bisect_max(ok, 1, limit)


def max_context(
    model: ModelConfig | str,
    instance: Instance | str,
    batch: int = 1,
    workload: Workload | Mapping[str, Any] | None = None,
    catalog: Catalog | None = None,
    *,
    layout: Layout | Mapping[str, int] | str | None = None,
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
    m = as_model(model)
    inst = _instance(instance, catalog)
    lay = as_layout(layout)
    base = _with(as_workload(workload), batch=batch)
    cap = m.max_position_embeddings or (1 << 24)
    if lay is not None:
        fit(m, inst, base.model_copy(update={"context_len": 1}), layout=lay)

    def ok(c: int) -> bool:
        return _fits_one(m, inst, base.model_copy(update={"context_len": c}), lay)

    return _bisect_max(ok, 1, cap)
