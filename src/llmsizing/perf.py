"""Layout-aware roofline throughput, latency and cost per token.

A replica runs on an explicit :class:`~llmsizing.layout.Layout` (TP, PP, EP,
attention DP), or the one :func:`llmsizing.fit` chooses. Each phase is bounded
by the slower of its compute and its memory traffic [1]_, plus the collectives
the layout needs:

* **prefill** is compute-bound: ``2 · N_active · T`` FLOPs for the matrix
  multiplies [2]_ plus the causal attention FLOPs at the prompt length, over
  the stage's peak dense FLOPs for the compute dtype × MFU;
* **decode** is memory-bound at small batches: every step reads the active
  weights (for an MoE layer, the distinct experts a batch of B tokens touches,
  ``E · (1 − (1 − k/E)^B)`` of the E routed experts [3]_) and every
  sequence's KV cache (replicated KV heads read once per TP rank), over the
  stage's memory bandwidth × bandwidth utilisation. Each operator class (dense
  matmuls, routed experts, attention over the KV cache) takes the slower of its
  bytes and its FLOPs at the decode MFU, and the classes add up (a per-operator
  roofline, as GenZ and LLM-Viewer evaluate one [9]_);
* **static shapes on Neuron**: NxD Inference and transformers-neuronx pad each
  prompt to its context-encoding bucket (``context_buckets``; by default the
  next power of two, NxD Inference's ``generate_buckets``) and, where
  token-generation buckets are given, each decode step's KV length to its
  bucket (:func:`bucket_length`); a routed expert's GEMMs, sharded over the
  ranks, are computed in whole 128-wide Tensor Engine tiles
  (:func:`tensor_engine_tile_factor`);
* every forward pass pays a fixed overhead plus a per-sequence one (kernel
  launches, scheduling, sampling), calibrated per hardware family; a prefill pass
  also pays one per decoder layer it runs through (``prefill_overhead_per_layer``:
  a short prompt's kernels leave their launch and synchronisation exposed);
* a looped layer (``ModelConfig.layer_passes``) and a tied shared block run their
  weights and attention at every pass (:func:`llmsizing.model.weight_reuses`);
* **collectives** (:mod:`llmsizing.collectives`, α + n·β): two all-reduces of
  the hidden state per layer under TP [6]_, an all-to-all dispatch and an
  all-to-all combine per MoE layer under EP (with one attention all-reduce when
  TP > 1) [7]_, and one point-to-point hand-off between consecutive pipeline
  stages.

Serving modes (``serving=``), with B sequences per replica, prompt P and output O:

* ``"continuous"`` (vLLM, TensorRT-LLM in-flight batching, NxD Inference with
  vLLM): each new sequence's prompt is prefilled in the same engine, chunked at
  ``max_batched_tokens``. ``TTFT = t_prefill(1 prompt) + W``, with ``W`` the
  mean wait for the prefills ahead of it (:func:`prefill_queue_wait`, M/D/1 at
  the replica's request rate ``R / O``; 0 for one client), and the replica's
  output rate is

  .. math:: R = \\frac{B \\, O}{O \\cdot TPOT + B \\cdot TTFT_{eng}}

  where ``TTFT_eng`` is the engine time one prompt's prefill costs when new
  prompts are prefilled together, ``k = min(B, max_batched_tokens // P)`` per
  pass: ``t_prefill(k prompts) / k`` (the weights are read once per pass, not
  once per prompt). TPOT here is the decode step at the mean context ``P + O/2``.
  The reported TPOT is what a serving benchmark measures, ``(e2e − TTFT) / O``:
  the decode step plus the prefills of the other ``B − 1`` sequences that start
  during one sequence's lifetime, ``TPOT_step + (B − 1) · TTFT_eng / O``.
  With ``arrivals="lockstep"`` (identical requests), an engine that pauses its
  running decodes to prefill new prompts (vLLM's V0 scheduler, SGLang without
  ``--enable-mixed-chunk``, TGI, the Neuron engines; :func:`prefill_pauses_decode`)
  keeps the B closed-loop clients in lockstep: the B sequences finish together,
  so their next requests arrive together and queue for their prefills, ``W = (B − 1) τ / 2``
  (:func:`lockstep_prefill_wait`) in place of the M/D/1 wait, and that wait moves
  from the TPOT stalls to the TTFT (each sequence still waits through ``B − 1``
  prefills per request). An engine that runs decodes in the same step as prefill
  chunks (vLLM V1, TensorRT-LLM in-flight batching) spreads the finishes one
  prefill apart, and the independent-arrival wait (M/D/1) is kept.

* ``"static"`` (transformers-neuronx and NxD Inference fixed batches,
  TensorRT-LLM ``gptSessionBenchmark``): the whole batch is prefilled before the
  first token, ``TTFT = t_prefill(B prompts)``, and

  .. math:: R = \\frac{B \\, O}{TTFT + O \\cdot TPOT}

Arrivals under continuous serving: by default the B sequences are a closed loop
in steady state (each client sends its next request when one completes); with
``concurrency=C`` beyond B the extra clients wait for a slot (Little's law); with
``burst=N`` all N requests arrive at once, as a benchmark with no request rate
sends them, and are admitted first come, first served in waves of B
(:func:`burst_queue_wait`, :func:`burst_prefill_stalls`).

With no ``output_len`` in the workload, R is the decode rate ``B / TPOT``.
The deployment's rate is R × replicas.

Efficiencies are read per hardware family and engine from
``data/efficiency.csv``, fitted by ``scripts/fit_efficiency.py`` on
``tests/data/perf/calibration.csv`` only (80% of its rows; a seeded 20% is held
back), with no per-model or per-row constant; explicit arguments override them.
Its rows, one per family, engine and phase:

* ``prefill``: ``mfu`` (prefill MFU), ``prefill_overhead_us`` and
  ``prefill_overhead_per_layer_us`` (a pass's fixed time, once and per decoder layer;
  fitted where TTFT rows exist, else 0) and the TTFT band;
* ``decode``: ``mfu`` (decode MFU; equal to the prefill MFU for families whose
  rows never reach a compute-bound batch), ``bandwidth_utilization`` (fitted
  where TPOT rows exist, else :data:`DEFAULT_BANDWIDTH_UTILIZATION`),
  ``step_overhead_us`` (fitted where TPOT rows exist, else 0) and
  ``step_overhead_per_sequence_us``, and the TPOT band;
* ``collective``: ``alpha_base_us`` and ``alpha_per_rank_us``, GenZ's
  5 µs + 2 µs (N − 1) times one fitted scale;
* ``serving``: the output-throughput band.

Each estimate carries ranges (``ttft_range``, ``tpot_range``,
``tokens_per_s_range``): the estimate times the 10th and 90th percentiles of
measured / estimated on those calibration rows (``residual_p10``,
``residual_p90``). Families without calibration rows: ``neuron-trn2`` takes the
fit pooled over the Inf2 and Trn1 rows; the others keep the module defaults and
bands of 1 (no range).

References
----------
.. [1] S. Williams, A. Waterman, D. Patterson, "Roofline: an insightful visual
   performance model for multicore architectures", CACM 52(4), 2009.
.. [2] J. Kaplan et al., "Scaling Laws for Neural Language Models",
   arXiv:2001.08361, 2020, section 2.1 (forward pass ≈ 2N FLOPs per token).
.. [3] Expected distinct items in B draws of k of E without replacement per
   draw: E · (1 − (1 − k/E)^B), with uniform routing.
.. [4] Databricks (MosaicML), "LLM Inference Performance Engineering: Best
   Practices", 2023: model bandwidth utilisation (MBU) of served decode, typically
   60–80% of peak.
.. [5] A. Grattafiori et al., "The Llama 3 Herd of Models", arXiv:2407.21783,
   2024, Table 4: 38–43% BF16 MFU on H100 for dense GEMM-dominated work.
.. [6] M. Shoeybi et al., "Megatron-LM", arXiv:1909.08053, 2019, section 3 (two
   all-reduces per transformer layer in the forward pass).
.. [7] DeepSeek-AI, "DeepSeek-V3 Technical Report", arXiv:2412.19437, 2024,
   section 3.4 (all-to-all dispatch and combine under expert parallelism).
.. [8] Y. Leviathan, M. Kalman, Y. Matias, "Fast Inference from Transformers via
   Speculative Decoding", ICML 2023, eq. 1: expected tokens per step
   ``(1 − a^{k+1}) / (1 − a)`` for k drafted tokens at acceptance rate a.
.. [9] A. Bambhaniya et al., GenZ, arXiv:2406.01698, 2024; Z. Yuan et al.,
   "LLM Inference Unveiled: Survey and Roofline Model Insights" (LLM-Viewer),
   arXiv:2402.16363, 2024 (a roofline per operator, summed over the layer).
.. [10] L. Kleinrock, "Queueing Systems, Volume 1: Theory", Wiley, 1975,
   section 5.7 (Pollaczek–Khinchine mean wait ``W = ρ x̄ (1 + C_b²) / (2(1 − ρ))``;
   deterministic service, ``C_b = 0``).

Examples
--------
>>> import llmsizing as ls
>>> est = ls.estimate_performance("llama-3.1-8b", "p5.4xlarge", ls.Workload(prompt_len=1024,
...                               output_len=256, batch=1))
>>> est.bound
'memory'
>>> est = ls.estimate_performance("llama-3.1-70b", "inf2.48xlarge",
...     ls.Workload(prompt_len=128, output_len=128, batch=1), layout="TP24", serving="static")
>>> est.layout.label, est.replicas
('TP24', 1)
"""

from __future__ import annotations

import csv
import functools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from llmsizing.attention import (
    CompressedKVSpec,
    CrossAttentionSpec,
    IndexerSpec,
    attended_tokens_limit,
    layer_specs,
)
from llmsizing.catalog import Catalog, Instance, load_catalog
from llmsizing.collectives import (
    ALPHA_BASE_S,
    ALPHA_PER_RANK_S,
    BIDIRECTIONAL_LINKS,
    DEFAULT_INTERCONNECT_UTILIZATION,
    PCIE_GEN4_X16_BYTES_PER_S,
    allreduce_seconds,
    interconnect_kind,
)
from llmsizing.engines import runs_v0_engine
from llmsizing.errors import WorkloadError
from llmsizing.fit import FitResult, Workload, fit, ranks_per_device
from llmsizing.layout import Layout, as_layout, head_padding, kv_heads_read_per_rank
from llmsizing.memory import (
    WeightPolicy,
    kv_cache_memory,
    kv_cache_read_bytes,
    layer_windows,
    resolve_weight_policy,
    state_bytes_per_decode_step,
    tensor_bytes,
    weight_memory_by_component,
)
from llmsizing.model import ModelConfig, weight_reuses
from llmsizing.presets import load_model
from llmsizing.units import BYTE, ureg
from llmsizing.workload import as_workload

__all__ = [
    "DEFAULT_BANDWIDTH_UTILIZATION",
    "DEFAULT_INTERCONNECT_UTILIZATION",
    "DEFAULT_MFU",
    "Arrivals",
    "Efficiency",
    "PerfEstimate",
    "Serving",
    "allreduce_time",
    "attention_flops_prefill",
    "bucket_length",
    "burst_prefill_stalls",
    "burst_queue_wait",
    "compute_dtype",
    "decode_bytes_per_step",
    "decode_flops_per_token",
    "efficiency",
    "efficiency_table",
    "estimate_performance",
    "expected_experts_touched",
    "hardware_family",
    "lockstep_prefill_wait",
    "neuron_default_buckets",
    "neuron_experts_loaded",
    "prefill_flops",
    "prefill_pauses_decode",
    "prefill_queue_wait",
    "speculative_tokens_per_step",
    "tensor_engine_tile_factor",
    "usd_per_million_tokens",
]

Serving = Literal["continuous", "static"]
Arrivals = Literal["independent", "lockstep"]

#: Model-FLOPs utilisation of prefill where no calibration row covers the
#: hardware family; Llama 3 reports 38–43% BF16 MFU [5]_.
DEFAULT_MFU = 0.4
#: Fraction of peak memory bandwidth decode sustains where no calibration row
#: covers the hardware family (MBU, 60–80% [4]_).
DEFAULT_BANDWIDTH_UTILIZATION = 0.7
#: Activations cross the links in 16-bit [bytes per element] (bf16/fp16 hidden
#: states in TensorRT-LLM, vLLM and Neuron all-reduces).
ACTIVATION_BYTES = 2
#: Most sequences an engine batches when a measurement states no batch: TensorRT-LLM's
#: ``BuildConfig.max_batch_size`` default of 2048 (``tensorrt_llm/builder.py``). Used by
#: ``benchmarks/perf_accuracy.py`` for the max-throughput calibration rows.
ENGINE_MAX_BATCH = 2048


# ----------------------------------------------------------------- efficiency
@dataclass(frozen=True)
class Efficiency:
    """Calibrated efficiencies of one hardware family and engine.

    Attributes
    ----------
    prefill_mfu, decode_mfu : float
        Fraction of the dense peak FLOPs prefill and decode reach [-].
    bandwidth_utilization : float
        Fraction of peak memory bandwidth decode reaches [-].
    alpha_base, alpha_per_rank : float
        Collective latency ``α(N) = α₀ + α₁ (N − 1)`` [s].
    prefill_overhead : float
        Fixed time of every prefill pass (request scheduling, input transfer,
        switching to the context-encoding graph, the first sampling) [s]; 0
        where not calibrated.
    prefill_overhead_per_layer : float
        Further fixed time of a prefill pass per decoder layer it runs through (the
        layer's kernel launches and their synchronisation, which a short prompt's
        small kernels leave exposed) [s]; 0 where not calibrated.
    step_overhead : float
        Fixed time of every decode step (kernel launches, scheduling, sampling)
        [s]; 0 where not calibrated.
    step_overhead_per_sequence : float
        Further fixed time per sequence in a pass (sampling, scheduling, KV-block
        bookkeeping) [s]; 0 where not calibrated.
    ttft_band, tpot_band, tokens_per_s_band : tuple of float
        10th and 90th percentiles of measured / estimated on the calibration
        rows [-] (``(1, 1)`` where none).
    source : str
        The table row(s) these came from.
    """

    prefill_mfu: float = DEFAULT_MFU
    decode_mfu: float = DEFAULT_MFU
    bandwidth_utilization: float = DEFAULT_BANDWIDTH_UTILIZATION
    alpha_base: float = ALPHA_BASE_S
    alpha_per_rank: float = ALPHA_PER_RANK_S
    prefill_overhead: float = 0.0
    prefill_overhead_per_layer: float = 0.0
    step_overhead: float = 0.0
    step_overhead_per_sequence: float = 0.0
    ttft_band: tuple[float, float] = (1.0, 1.0)
    tpot_band: tuple[float, float] = (1.0, 1.0)
    tokens_per_s_band: tuple[float, float] = (1.0, 1.0)
    source: str = "module defaults"


def hardware_family(inst: Instance) -> str:
    """Hardware family of an instance's accelerator, the key of ``data/efficiency.csv``.

    :attr:`Instance.hardware_family <llmsizing.catalog.Instance.hardware_family>`
    (:func:`llmsizing.catalog.accelerator_family`): ``neuron-inf1``, ``neuron-inf2``,
    ``neuron-trn1``, ``neuron-trn2``, ``neuron-trn3``, ``nvidia-ampere`` (A100, A10G),
    ``nvidia-ada`` (L4, L40S), ``nvidia-hopper`` (H100, H200), ``nvidia-blackwell``
    (B200, B300, GB200).

    Examples
    --------
    >>> from llmsizing.catalog import load_catalog
    >>> hardware_family(load_catalog().get("trn1.32xlarge"))
    'neuron-trn1'
    """
    return inst.hardware_family


def _float(x: str) -> float | None:
    return float(x) if x.strip() else None


@functools.cache
def efficiency_table() -> tuple[dict[str, str], ...]:
    """Rows of the packaged ``data/efficiency.csv`` (empty if it is absent).

    Examples
    --------
    >>> sorted({r["phase"] for r in efficiency_table()})
    ['collective', 'decode', 'prefill', 'serving']
    """
    path = resources.files("llmsizing") / "data" / "efficiency.csv"
    if not path.is_file():
        return ()
    with path.open(encoding="utf-8") as f:
        return tuple(csv.DictReader(f))


@functools.cache
def efficiency(family: str, engine: str | None = None) -> Efficiency:
    """Calibrated :class:`Efficiency` of a hardware family and engine.

    Looks up ``(family, engine)`` in ``data/efficiency.csv``, then the family's
    all-engine row ``(family, "*")``, then any row of the family (its
    calibration engine). A family without rows (AMD Instinct, workstation
    GPUs, Trn3) takes the pooled fit of its kind, ``gpu`` (all NVIDIA
    calibration rows) or ``neuron`` (Inf2 and Trn1 rows). Anything still
    missing keeps the module defaults (:data:`DEFAULT_MFU`,
    :data:`DEFAULT_BANDWIDTH_UTILIZATION`, GenZ collective latency).

    Examples
    --------
    >>> 0 < efficiency("neuron-inf2", "transformers-neuronx").prefill_mfu <= 1
    True
    """
    rows = efficiency_table()
    if not any(r["family"] == family for r in rows):
        # no calibration of its own: the fit pooled over the calibrated families of its kind
        family = "neuron" if family.startswith("neuron") else "gpu"
    found: dict[str, dict[str, str]] = {}
    for eng in (engine, "*", None):
        for r in rows:
            if r["family"] != family or r["phase"] in found:
                continue
            if eng is None or r["engine"] == eng:  # None: any engine of the family
                found[r["phase"]] = r
    kw: dict[str, Any] = {}
    src = []

    def band(r: dict[str, str]) -> tuple[float, float]:
        lo, hi = _float(r["residual_p10"]), _float(r["residual_p90"])
        return (lo, hi) if lo is not None and hi is not None else (1.0, 1.0)

    if "prefill" in found:
        r = found["prefill"]
        if (v := _float(r["mfu"])) is not None:
            kw["prefill_mfu"] = v
        if (v := _float(r.get("prefill_overhead_us", ""))) is not None:
            kw["prefill_overhead"] = v * 1e-6
        if (v := _float(r.get("prefill_overhead_per_layer_us", ""))) is not None:
            kw["prefill_overhead_per_layer"] = v * 1e-6
        kw["ttft_band"] = band(r)
        src.append(f"prefill {r['family']}/{r['engine']}")
    if "decode" in found:
        r = found["decode"]
        if (v := _float(r["mfu"])) is not None:
            kw["decode_mfu"] = v
        if (v := _float(r["bandwidth_utilization"])) is not None:
            kw["bandwidth_utilization"] = v
        if (v := _float(r.get("step_overhead_us", ""))) is not None:
            kw["step_overhead"] = v * 1e-6
        if (v := _float(r.get("step_overhead_per_sequence_us", ""))) is not None:
            kw["step_overhead_per_sequence"] = v * 1e-6
        kw["tpot_band"] = band(r)
        src.append(f"decode {r['family']}/{r['engine']}")
    if "collective" in found:
        r = found["collective"]
        if (v := _float(r["alpha_base_us"])) is not None:
            kw["alpha_base"] = v * 1e-6
        if (v := _float(r["alpha_per_rank_us"])) is not None:
            kw["alpha_per_rank"] = v * 1e-6
        src.append(f"collective {r['family']}/{r['engine']}")
    if "serving" in found:
        kw["tokens_per_s_band"] = band(found["serving"])
    kw["source"] = "data/efficiency.csv: " + ", ".join(src) if src else "module defaults"
    return Efficiency(**kw)


# ------------------------------------------------------------ model physics
def expected_experts_touched(n_experts: int, k: int, batch: Any) -> Any:
    """Expected distinct routed experts a batch of B tokens reads per MoE layer [-].

    .. math:: E \\left(1 - (1 - k/E)^B\\right)

    Examples
    --------
    >>> float(expected_experts_touched(256, 8, 1))
    8.0
    >>> round(float(expected_experts_touched(256, 8, 64)), 1)
    222.4
    """
    b = np.asarray(batch, dtype=float)
    return n_experts * (1 - (1 - k / n_experts) ** b)


def _touched(n_experts: int, k: float, batch: float) -> float:
    return float(n_experts * (1 - (1 - k / n_experts) ** float(batch)))


def _held_sum(window: float, t: float) -> float:
    """Σ_{i=1..t} min(i, W): key positions attended over a causal prompt."""
    if t <= window:
        return t * (t + 1) / 2
    return window * (window + 1) / 2 + (t - window) * window


def _attn_dims(m: ModelConfig) -> tuple[int, int]:
    if m.mla is not None:
        return m.mla.qk_nope_head_dim + m.mla.qk_rope_head_dim, m.mla.v_head_dim
    return m.head_dim, m.v_head_dim or m.head_dim


@functools.lru_cache(maxsize=1024)
def _windows(m: ModelConfig) -> tuple[float, ...]:
    return tuple(float(w) for w in layer_windows(m))


def _causal_sum(limit: float, t: float, ratio: float = 1.0) -> float:
    """Σ_{i=1..t} min(i / r, L): positions attended over a causal prompt, one per r tokens.

    ``r = 0``: every query attends the same ``L`` keys (cross-attention), ``t · L``.
    """
    if not ratio:
        return t * limit
    return ratio * _held_sum(limit, t / ratio)


def _attended_at(limit: float, t: float, ratio: float = 1.0) -> float:
    """min(t / r, L): the positions the query at position t attends (``L`` at ``r = 0``)."""
    return limit if not ratio else min(t / ratio, limit)


@functools.lru_cache(maxsize=1024)
def _spans(m: ModelConfig) -> tuple[tuple[tuple[float, float, float], ...], ...]:
    """Per layer, the (limit, ratio, indexed) terms its attention sums over.

    A layer attends ``Σ min(T / ratio, limit)`` over its terms: the window (or the
    top-k an indexer selects) of ordinary attention; DeepSeek-V4's raw window and
    its compressed entries (one per ``ratio`` tokens, the top-k of them on ratio-4
    layers); a cross-attention layer's fixed vision tokens (``ratio`` 0).
    ``indexed`` marks the keys an indexer scores (every held token of a DeepSeek
    Sparse Attention layer, every entry of a V4 ratio-4 layer).
    """
    out = []
    for i, (w, layer) in enumerate(zip(_windows(m), layer_specs(m), strict=True)):
        terms: list[tuple[float, float, float]] = []
        comp = [s for s in layer if isinstance(s, CompressedKVSpec)]
        cross = [s for s in layer if isinstance(s, CrossAttentionSpec)]
        if cross:
            # every text query attends all the image's vision tokens (MllamaTextCrossAttention;
            # BLIP's cross-attention inside an attention layer, beside its self-attention)
            terms.append((float(cross[0].tokens), 0.0, 0.0))
        if comp:
            c = comp[0]
            terms.append((float(c.sliding_window), 1.0, 0.0))
            if c.ratio:
                top = float(c.index_topk) if c.ratio == 4 and c.index_topk else math.inf
                terms.append((top, float(c.ratio), 0.0))
                if c.ratio == 4 and c.index_head_dim:
                    terms.append((math.inf, 4.0, 1.0))
        elif m.layer_types[i] != "cross":
            # top-k of the layer's own indexer, or of the one a shared layer reuses (GLM-5)
            top = float(attended_tokens_limit(m)[i])
            terms.append((top, 1.0, 0.0))
            if any(isinstance(s, IndexerSpec) for s in layer):
                terms.append((w, 1.0, 1.0))
        out.append(tuple(terms))
    return tuple(out)


def _passes(m: ModelConfig) -> tuple[int, ...]:
    """Times each layer runs per token (``ModelConfig.layer_passes``; 1 each by default) [-]."""
    return m.layer_passes or (1,) * m.num_layers


def _indexer_per_key(m: ModelConfig) -> float:
    """FLOPs the lightning indexer spends per scored key: ``2 n_I d_I`` [FLOP]."""
    if m.indexer is not None:
        return 2.0 * m.indexer.n_heads * m.indexer.head_dim
    a = m.compressed_attention
    return 2.0 * a.index_n_heads * a.index_head_dim if a is not None else 0.0


def _per_position(m: ModelConfig) -> float:
    """Attention FLOPs per attended key position of one query (QKᵀ and AV) [FLOP]."""
    if m.compressed_attention is not None:  # one K=V entry of head_dim per position
        d = m.compressed_attention.head_dim
        return 2.0 * m.num_heads * 2 * d
    dk, dv = _attn_dims(m)
    return 2.0 * m.num_heads * (dk + dv)


@functools.lru_cache(maxsize=65536)
def _attn_prefill(m: ModelConfig, prompt_tokens: int) -> float:
    per_pos, per_key = _per_position(m), _indexer_per_key(m)
    total = 0.0
    for terms, passes in zip(_spans(m), _passes(m), strict=True):
        for limit, ratio, indexed in terms:
            held = _causal_sum(limit, prompt_tokens, ratio)
            total += passes * (per_key if indexed else per_pos) * held
    return total


def attention_flops_prefill(model: ModelConfig, prompt_tokens: int) -> Any:
    """Causal attention FLOPs of one prompt (QKᵀ and AV) [FLOP].

    .. math:: \\sum_l 2 \\, n_h (d_k + d_v) \\sum_{i=1}^{T} a_l(i)
              + 2 \\, n_I d_I \\sum_{i=1}^{T} s_l(i)

    with ``a_l(i)`` the positions query ``i`` attends to
    (:func:`llmsizing.attention.attended_tokens`: ``min(i, W_l)``, or the
    indexer's top-k under sparse attention) and ``s_l(i)`` the keys a lightning
    indexer of ``n_I`` heads of ``d_I`` scores (:func:`llmsizing.attention.indexed_tokens`).

    Examples
    --------
    >>> import llmsizing as ls
    >>> m = ls.load_model("llama-3.1-8b")
    >>> attention_flops_prefill(m, 1).magnitude == 32 * 2 * 32 * 256
    True
    """
    return _attn_prefill(model, prompt_tokens) * ureg.FLOP


@functools.lru_cache(maxsize=1024)
@functools.lru_cache(maxsize=1024)
def _flop_params(model: ModelConfig) -> int:
    # matmul parameters: the embedding lookup does no multiply; the head does; a tied
    # shared block (Zamba2) and a looped layer (Dory, HRM-Text) multiply at each use
    # (a routed-expert tensor by the share of its experts a token runs)
    k = model.moe.real_experts_per_token if model.moe is not None else 0.0
    reused = sum(
        t.numel * extra * (k / t.experts if t.experts else 1.0) for t, extra in weight_reuses(model)
    )
    return int(model.param_counts().active_excluding_embedding + reused)


def prefill_flops(model: ModelConfig, prompt_tokens: int, batch: int = 1) -> Any:
    """FLOPs to prefill ``batch`` prompts of ``prompt_tokens`` tokens [FLOP].

    .. math:: B \\left(2 N_{active} T + F_{attn}(T)\\right)

    N_active excludes the input embedding (a lookup).
    """
    dense = 2 * _flop_params(model) * prompt_tokens
    return batch * (dense + _attn_prefill(model, prompt_tokens)) * ureg.FLOP


@functools.lru_cache(maxsize=65536)
def _decode_flops(m: ModelConfig, context_len: int) -> float:
    if m.mla is not None:
        a = m.mla
        per_pos = 2.0 * m.num_heads * (2 * a.kv_lora_rank + a.qk_rope_head_dim)
    else:
        per_pos = _per_position(m)
    per_key, t = _indexer_per_key(m), float(context_len)
    attn = 0.0
    for terms, passes in zip(_spans(m), _passes(m), strict=True):
        for limit, ratio, indexed in terms:
            attn += passes * (per_key if indexed else per_pos) * _attended_at(limit, t, ratio)
    return float(2 * _flop_params(m) + attn)


def decode_flops_per_token(model: ModelConfig, context_len: int) -> Any:
    """FLOPs to generate one token at ``context_len`` [FLOP].

    ``2 N_active`` plus attention over the positions each layer attends to
    (``2 n_h (d_k + d_v) a_l(T)``, :func:`llmsizing.attention.attended_tokens`;
    MLA in its absorbed latent form, ``2 n_h (2 d_c + d_R)``), plus a sparse
    layer's lightning indexer over the keys it scores (``2 n_I d_I s_l(T)``).

    Examples
    --------
    >>> import llmsizing as ls
    >>> m = ls.load_model("deepseek-v3.2")   # top-2048 of 131,072 tokens on 61 layers
    >>> n = 2 * m.param_counts().active_excluding_embedding
    >>> per_layer = 2 * 128 * (2 * 512 + 64) * 2048 + 2 * 64 * 128 * 131072
    >>> decode_flops_per_token(m, 131072).magnitude == n + 61 * per_layer
    True
    """
    return _decode_flops(model, context_len) * ureg.FLOP


@functools.lru_cache(maxsize=4096)
def _parts(m: ModelConfig, policy: WeightPolicy) -> dict[str, float]:
    return {
        k: float(v.to(BYTE).magnitude) for k, v in weight_memory_by_component(m, policy).items()
    }


@functools.lru_cache(maxsize=65536)
def _kv_seq(m: ModelConfig, context_len: int, kv_dtype: str | float) -> float:
    return float(kv_cache_memory(m, context_len, 1, kv_dtype).to(BYTE).magnitude)


@functools.lru_cache(maxsize=65536)
def _kv_read(m: ModelConfig, context_len: int, kv_dtype: str | float) -> float:
    """KV bytes one sequence's decode query reads (sparse attention reads its top-k) [bytes]."""
    return float(kv_cache_read_bytes(m, context_len, 1, kv_dtype).to(BYTE).magnitude)


@functools.lru_cache(maxsize=1024)
def _state_step(m: ModelConfig) -> float:
    """Recurrent state and cross-attention K/V one sequence's decode step moves [bytes]."""
    return float(state_bytes_per_decode_step(m).to(BYTE).magnitude)


def _weights_read(
    m: ModelConfig, policy: WeightPolicy, tokens: float, attn_pad: float, neuron: bool = False
) -> float:
    """Weight bytes one forward pass over ``tokens`` tokens reads [bytes]."""
    return sum(_weights_split(m, policy, tokens, attn_pad, neuron))


def neuron_experts_loaded(n_experts: int, k: int, tokens: Any) -> Any:
    """Routed experts one NxD Inference MoE layer loads for ``tokens`` tokens [-].

    Token generation loads each token's k experts separately (selective loading)
    while ``T · k / E < 1``, and every expert otherwise; context encoding at full
    capacity runs every token through every expert (NxD ``ExpertMLPs.forward``:
    ``forward_selective_loading``, ``forward_all_experts``,
    ``SELECTIVE_LOADING_THRESHOLD = 1``).

    .. math:: \\min(T k, E)

    Examples
    --------
    >>> float(neuron_experts_loaded(128, 8, 4)), float(neuron_experts_loaded(128, 8, 64))
    (32.0, 128.0)
    """
    t = np.asarray(tokens, dtype=float)
    return np.minimum(t * k, n_experts)


#: Smallest bucket of NxD Inference's default bucketing [tokens]
#: (``generate_buckets(128, max_length)`` in ``modules/autobucketing.py``).
MIN_BUCKET = 128


def bucket_length(tokens: int, buckets: Sequence[int] | None = None) -> int:
    """Length a static-shape Neuron graph computes for ``tokens`` tokens [tokens].

    NxD Inference and transformers-neuronx compile one graph per bucket and pad
    each input to the smallest bucket that holds it: a prompt to a
    context-encoding bucket, the KV cache a decode step attends to a
    token-generation bucket. NxD Inference's default buckets are
    ``generate_buckets(128, max_length)``: the powers of two from 128 below
    ``max_length``, then ``max_length`` itself (``modules/autobucketing.py``);
    with no bucket list (the engine's maximum unknown) the length is the next
    power of two, at least 128. A length beyond every bucket is returned as is.

    .. math:: L = \\min \\{ b \\in \\mathcal{B} : b \\ge T \\}

    Examples
    --------
    >>> bucket_length(1500), bucket_length(100), bucket_length(10000, (2048, 4096, 10240, 12288))
    (2048, 128, 10240)
    """
    t = int(tokens)
    if buckets is None:
        return max(MIN_BUCKET, 1 << max(0, t - 1).bit_length())
    fit = [int(b) for b in buckets if b >= t]
    return min(fit) if fit else t


def neuron_default_buckets(max_length: int) -> tuple[int, ...]:
    """NxD Inference's default buckets up to ``max_length`` [tokens].

    ``generate_buckets(128, max_length)`` (``modules/autobucketing.py``): powers
    of two ``2^i`` for ``i`` from 7 to ``round(log2(max_length)) − 1``, then
    ``max_length``.

    Examples
    --------
    >>> neuron_default_buckets(12288)[-3:]
    (4096, 8192, 12288)
    >>> neuron_default_buckets(128)
    (128,)
    """
    if max_length <= MIN_BUCKET:
        return (int(max_length),)
    top = round(math.log2(max_length))
    return (*(2**i for i in range(7, top)), int(max_length))


#: Rows and columns of the NeuronCore Tensor Engine's stationary tile [-]: NKI's
#: ``nki.language.tile_size.pmax`` (partition dimension) and
#: ``gemm_stationary_fmax``, both 128 on NeuronCore-v2 and v3.
TENSOR_ENGINE_TILE = 128


def tensor_engine_tile_factor(model: ModelConfig, layout: Layout) -> float:
    """Computed / useful FLOPs of a routed expert's GEMMs on a NeuronCore [-].

    An expert's intermediate width ``I`` is split over the ranks that shard it
    (``TP·DP / EP``); each rank's share ``w = I / shards`` is the contraction
    dimension of the down projection and the stationary free dimension of the
    gate and up projections, so the 128-wide Tensor Engine tile computes
    ``⌈w / 128⌉ · 128`` of it (NKI ``tile_size.pmax`` and
    ``gemm_stationary_fmax``, 128).

    .. math:: f = \\frac{\\lceil w / 128 \\rceil \\cdot 128}{w}

    Examples
    --------
    >>> import llmsizing as ls
    >>> m = ls.load_model("qwen3-30b-a3b")  # 768-wide experts over 32 ranks: 24 of 128
    >>> round(tensor_engine_tile_factor(m, ls.Layout(tp=32)), 3)
    5.333
    >>> tensor_engine_tile_factor(ls.load_model("llama-3.1-8b"), ls.Layout(tp=32))
    1.0
    """
    if model.moe is None:
        return 1.0
    shards = max(1, (layout.tp * layout.dp) // max(1, layout.ep))
    w = model.moe.expert_intermediate_size / shards
    if w <= 0:
        return 1.0
    t = TENSOR_ENGINE_TILE
    return math.ceil(w / t) * t / w


def _weights_split(
    m: ModelConfig, policy: WeightPolicy, tokens: float, attn_pad: float, neuron: bool = False
) -> tuple[float, float]:
    """(non-expert, routed-expert) weight bytes a pass over ``tokens`` tokens reads [bytes].

    ``neuron``: the experts NxD Inference loads (:func:`neuron_experts_loaded`)
    instead of the distinct ones uniform routing touches.
    """
    p = _parts(m, policy)
    # a tied shared block's (Zamba2) and a looped layer's weights are read again at each use
    total, routed = 0.0, p.get("routed_experts", 0.0)
    for t, extra in weight_reuses(m):
        if t.experts:
            routed += tensor_bytes(t, policy.dtype_for(t)) * extra
        else:
            total += tensor_bytes(t, policy.dtype_for(t)) * extra
    for k, v in p.items():
        if k in ("routed_experts", "extra"):
            continue
        if k == "embedding" and not m.tie_word_embeddings:
            v *= min(1.0, tokens / m.vocab_size)
        elif k == "attention":
            v *= attn_pad
        total += v
    experts = 0.0
    if m.moe is not None and routed:
        e = m.moe
        if neuron:
            touched = min(float(tokens) * e.real_experts_per_token, float(e.n_routed_experts))
        else:
            touched = _touched(e.n_routed_experts, e.real_experts_per_token, tokens)
        experts = routed * touched / e.n_routed_experts
    return total, experts


def decode_bytes_per_step(model: ModelConfig, workload: Workload) -> Any:
    """Bytes read from memory for one decode step of the whole batch [bytes].

    Non-expert weights once, the routed experts the batch touches
    (:func:`expected_experts_touched`), and the KV cache every sequence's query
    reads (:func:`llmsizing.memory.kv_cache_read_bytes`: all of it but the
    entries sparse attention leaves unselected), and the fixed state every
    sequence's step reads and writes back
    (:func:`llmsizing.memory.state_bytes_per_decode_step`). An
    untied input embedding is a lookup: only one row per sequence is read.
    """
    policy = resolve_weight_policy(workload.weight_dtype, model)
    w = _weights_read(model, policy, workload.batch, 1.0)
    kv = _kv_read(model, workload.context_len, workload.kv_dtype) * workload.batch
    state = _state_step(model) * workload.batch
    return (w + kv + state) * BYTE


def compute_dtype(
    policy: WeightPolicy | str, inst: Instance, model: ModelConfig | None = None
) -> str:
    """The dtype matrix multiplies run in on ``inst`` for a resolved weight policy.

    The policy's GEMM format (:attr:`WeightPolicy.gemm_dtype`) gives the
    precision (:attr:`llmsizing.dtypes.DType.compute`): fp8 weights run W8A8
    FP8 GEMMs, MXFP4/NVFP4 run FP4 GEMMs, int8 runs INT8 on GPUs. Where the
    instance has no units for it the multiply runs in bf16, as do weight-only
    formats (int4), and int8 on Neuron, which stores int8 weights and
    multiplies in bf16 (transformers-neuronx "weight storage int8, autocast
    Matmult-BF16", the calibration rows' notes). A name (``"native"`` too) is
    resolved for ``model`` first.

    Examples
    --------
    >>> import llmsizing as ls
    >>> p5 = ls.load_catalog().get("p5.48xlarge")
    >>> compute_dtype("native", p5, ls.load_model("deepseek-v3"))
    'fp8'
    """
    pol = policy if isinstance(policy, WeightPolicy) else resolve_weight_policy(policy, model)
    want = pol.gemm_dtype.compute
    if want == "int8" and inst.is_neuron:
        return "bf16"
    if want != "bf16" and inst.dense_flops(want) is not None:
        return want
    return "bf16"


def allreduce_time(
    nbytes: float,
    tp: int,
    link: Any,
    utilization: float,
    alpha: float = 0.0,
) -> Any:
    """Ring all-reduce time of ``nbytes`` over ``tp`` ranks [s].

    .. math:: t = \\alpha + 2 \\frac{tp - 1}{tp} \\frac{bytes}{u \\cdot BW_{link}}

    ``alpha`` is the fixed latency [s] (see
    :func:`llmsizing.collectives.collective_latency`).
    """
    if tp <= 1 or link is None:
        return 0 * ureg.s
    bw = float(link.to("byte/s").magnitude)
    return allreduce_seconds(tp, nbytes, bw, utilization, alpha, 0.0) * ureg.s


def prefill_queue_wait(arrival_rate: Any, prefill_time: Any, batch: Any) -> Any:
    """Mean time a new request waits for the prefills ahead of it [s].

    Under continuous batching a request's prompt is prefilled at the next
    scheduling step (vLLM's scheduler runs waiting prefills first), one prompt
    per context-encoding pass where prompts do not share a pass (NxD Inference
    and optimum-neuron compile that graph for one sequence under continuous
    batching, ``ctx_batch_size = 1``). Prefills form a queue served in
    ``τ`` each, fed by the replica's request rate ``λ = R / O``: the
    Pollaczek–Khinchine mean wait of a queue with deterministic service (M/D/1)
    [10]_, at most the ``B − 1`` other sequences' prefills:

    .. math:: W = \\min\\left(\\frac{\\rho \\, \\tau}{2 (1 - \\rho)},
              (B - 1) \\, \\tau\\right), \\quad \\rho = \\lambda \\tau

    ``ρ`` is the fraction of the engine's time spent prefilling, below 1 by the
    continuous-batching rate (``λτ = Bτ / (O·TPOT + Bτ)``).

    Parameters
    ----------
    arrival_rate : float or array
        Requests per second one replica starts [1/s].
    prefill_time : float or array
        Engine time of one prompt's prefill ``τ`` [s].
    batch : float or array
        Sequences the replica holds ``B`` [-].

    Examples
    --------
    >>> prefill_queue_wait(1.0, 0.5, 8)  # rho 0.5: 0.5 * 0.5 / (2 * 0.5)
    0.25
    >>> prefill_queue_wait(1.0, 0.5, 1)  # a lone client never waits
    0.0
    """
    rho = np.minimum(arrival_rate * prefill_time, 1.0 - 1e-9)
    wait = np.minimum(rho * prefill_time / (2 * (1 - rho)), (batch - 1) * prefill_time)
    return wait if isinstance(wait, np.ndarray) and wait.ndim else float(wait)


def lockstep_prefill_wait(batch: Any, prefill_time: Any) -> Any:
    """Mean wait for the prefills ahead of a prompt when B clients run in lockstep [s].

    B closed-loop clients send identical requests (the fixed input and output
    lengths of a serving benchmark's random dataset) to an engine that pauses its
    running decodes while it prefills new prompts (:func:`prefill_pauses_decode`).
    Every sequence of a wave is held through the prefills of the wave's later
    prompts and then decodes in the same steps as the others, so the wave's B
    sequences finish together and the clients' next requests arrive together: each
    wave is a burst of B whose prompts are prefilled one after another, ``τ``
    each [10]_. The j-th waits ``(j − 1) τ``:

    .. math:: W = \\frac{1}{B} \\sum_{j=1}^{B} (j - 1) \\, \\tau
              = \\frac{(B - 1) \\, \\tau}{2}

    Parameters
    ----------
    batch : float or array
        Clients, each with one sequence in the replica ``B`` [-].
    prefill_time : float or array
        Engine time of one prompt's prefill ``τ`` [s].

    Examples
    --------
    >>> lockstep_prefill_wait(4, 0.5)  # (0 + 0.5 + 1 + 1.5) / 4
    0.75
    >>> lockstep_prefill_wait(1, 0.5)  # a lone client never waits
    0.0
    """
    wait = (np.asarray(batch, dtype=float) - 1.0) * prefill_time / 2.0
    return wait if isinstance(wait, np.ndarray) and wait.ndim else float(wait)


#: A vLLM release named with the engine (``"vllm==0.6.3"``, ``"vllm-0.7"``)
_VLLM_RELEASE = re.compile(r"^vllm\s*(?:==|=|@|-|\s)\s*v?(\d+\.\d+(?:\.\d+)?)")


def prefill_pauses_decode(engine: str | None, neuron: bool = False, accelerator: str = "") -> bool:
    """Whether an engine pauses its running decodes while it prefills new prompts.

    * vLLM's V0 engine (``engine="vllm==0.6.3"``: before 0.8, and 0.8-0.10 on GPUs
      below CUDA capability 8.0, :func:`llmsizing.engines.runs_v0_engine`): its default
      scheduler runs the waiting prompts' prefill as a step of its own, ahead of the
      running sequences' decode (``vllm/core/scheduler.py``, ``_schedule_default``:
      "prefills are prioritized"); chunked prefill, which mixes the two, is taken
      as off.
    * SGLang: a prefill batch and a decode batch are separate forward passes
      unless ``--enable-mixed-chunk`` is set (``server_args.py``,
      ``enable_mixed_chunk = False``).
    * TGI (``"tgi"``, ``"tgi-neuron"``): the router prefills a new batch between
      decode steps of the running batch, which waits (``router/src/infer``,
      ``waiting_served_ratio``).
    * Neuron engines (NxD Inference, transformers-neuronx, optimum-neuron, vLLM on
      Neuron): context encoding and token generation are separate compiled
      graphs, so a step runs one or the other.

    vLLM V1 (``"vllm"``, 0.8 and later: chunked prefill always on, the running
    decodes batched first and prefill chunks filling the step's token budget),
    TensorRT-LLM's in-flight batching (context and generation requests in one
    step) and unnamed GPU engines run decodes in the same step as prefill.

    Examples
    --------
    >>> prefill_pauses_decode("vllm"), prefill_pauses_decode("vllm==0.6.3")
    (False, True)
    >>> prefill_pauses_decode("sglang"), prefill_pauses_decode(None, neuron=True)
    (True, True)
    """
    if neuron:
        return True
    name = (engine or "").strip().lower()
    if name.startswith(("sglang", "tgi", "text-generation-inference")):
        return True
    v = _VLLM_RELEASE.match(name)
    return v is not None and runs_v0_engine(v.group(1), accelerator)


def burst_queue_wait(requests: int, slots: int, prefill_time: float, turnover: float) -> float:
    """Mean wait before a prompt's own prefill when N requests arrive at once [s].

    A benchmark with no request rate and no concurrency limit (``vllm bench
    serve --num-prompts N`` without ``--request-rate``, the engine's offline
    ``generate`` of a whole dataset) submits all N requests at t = 0. The
    engine admits them first come, first served: the first B (its sequence
    slots) are prefilled one after another, ``τ`` each, and request ``B + j``
    takes the slot request ``j`` frees, one turnover ``L`` (its first-token
    latency plus its decode) later. With request i in wave
    ``w = ⌊(i − 1) / B⌋`` at place ``j = (i − 1) mod B + 1``:

    .. math:: W_i = (j - 1) \\, \\tau + w \\, L, \\qquad
              \\bar W = \\frac{1}{N} \\sum_{i=1}^{N} W_i

    in closed form over ``q = ⌊N / B⌋`` full waves and ``r = N − qB`` left:
    ``Σ(j − 1) = q·B(B − 1)/2 + r(r − 1)/2`` and ``Σw = B·q(q − 1)/2 + r·q``.

    Parameters
    ----------
    requests : int
        Requests submitted together to one replica ``N`` [-].
    slots : int
        Sequences the replica runs at once ``B`` [-].
    prefill_time : float
        Engine time of one prompt's prefill ``τ`` [s].
    turnover : float
        Time a slot holds one request ``L``: its TTFT plus ``O × TPOT`` [s].

    Examples
    --------
    >>> burst_queue_wait(4, 4, 0.5, 10.0)  # one wave: (0 + 0.5 + 1 + 1.5) / 4
    0.75
    >>> burst_queue_wait(8, 4, 0.5, 10.0)  # the second wave waits one turnover more
    5.75
    >>> burst_queue_wait(1, 8, 0.5, 10.0)  # a lone request never waits
    0.0
    """
    n, b = int(requests), max(1, int(slots))
    q, r = divmod(n, b)
    places = q * b * (b - 1) / 2 + r * (r - 1) / 2
    waves = b * q * (q - 1) / 2 + r * q
    return (places * prefill_time + waves * turnover) / n


def burst_prefill_stalls(requests: int, slots: int) -> float:
    """Other prompts' prefills one sequence's decode waits through, on average [-].

    Under a burst of N requests on B slots (:func:`burst_queue_wait`), a
    sequence of any wave but the last decodes while the B − 1 others around it
    are prefilled (the rest of its own wave's prompts, then the next wave's as
    slots free); in the last wave, of ``n = N − (⌈N/B⌉ − 1) B`` requests, the
    j-th waits only for the ``n − j`` prompts behind it:

    .. math:: \\bar s = \\frac{(N - n)(B - 1) + n (n - 1) / 2}{N}

    The closed-loop steady state has ``B − 1`` (every other sequence is
    replaced once in one sequence's lifetime).

    Examples
    --------
    >>> burst_prefill_stalls(4, 4)  # one wave: (3 + 2 + 1 + 0) / 4
    1.5
    >>> burst_prefill_stalls(1000, 4)  # many waves: close to B - 1
    2.994
    """
    n_req, b = int(requests), max(1, int(slots))
    last = n_req - (math.ceil(n_req / b) - 1) * b
    return ((n_req - last) * (b - 1) + last * (last - 1) / 2) / n_req


def speculative_tokens_per_step(draft_tokens: int, acceptance_rate: float) -> float:
    """Expected tokens one verification step yields [-] (Leviathan et al. 2023, eq. 1).

    .. math:: \\frac{1 - a^{k+1}}{1 - a}

    Examples
    --------
    >>> speculative_tokens_per_step(3, 0.0), round(speculative_tokens_per_step(3, 0.8), 3)
    (1.0, 2.952)
    """
    a, k = acceptance_rate, draft_tokens
    if a >= 1:
        return float(k + 1)
    return (1 - a ** (k + 1)) / (1 - a)


def usd_per_million_tokens(usd_per_hour: float, tokens_per_s: Any) -> float:
    """USD per 1M tokens at a throughput [USD].

    .. math:: C = \\frac{P_{hour}}{3600 \\cdot r} \\cdot 10^6

    Examples
    --------
    >>> round(usd_per_million_tokens(36.0, 1000 * ureg("token/s")), 2)
    10.0
    """
    rate = float(tokens_per_s.to("token/s").magnitude)
    return usd_per_hour / (3600 * rate) * 1e6


# ---------------------------------------------------------------- the model
@dataclass(frozen=True)
class _Physics:
    """Work, resources and collectives of one replica, in floats (SI units)."""

    peak: float  # FLOP/s of one stage's devices
    bw: float  # bytes/s of one stage's devices
    pre_flops: float  # one TTFT prefill (1 prompt continuous, B prompts static)
    pre_bytes: float
    pre_beta: float  # bytes-over-β seconds of the TTFT prefill's collectives at 100% links
    pre_count: float  # collectives in the TTFT prefill
    pre_ranks: float  # Σ (N − 1) over them
    pre_tokens: float  # prompt tokens that prefill computes
    pre_passes: float  # forward passes of the TTFT prefill (chunks)
    layers: float  # decoder layers a forward pass runs through (a looped layer at each pass)
    pre_prompts: float  # prompts in the TTFT prefill
    pf_flops: float  # one batched prefill chunk of pf_prompts prompts (continuous serving)
    pf_bytes: float
    pf_beta: float
    pf_count: float
    pf_ranks: float
    pf_passes: float
    pf_prompts: float
    dec_flops: float  # one decode step at the full context
    dec_bytes: float
    dec_flops_mean: float  # one decode step at the mean context P + O/2
    dec_bytes_mean: float
    dec_parts: tuple[tuple[float, float], ...]  # (bytes, FLOPs) per operator class
    dec_parts_mean: tuple[tuple[float, float], ...]
    dec_beta: float
    dec_count: float
    dec_ranks: float
    batch: float
    step_batch: float  # sequences a decode step computes (the compiled batch on Neuron)
    output: float
    has_output: bool
    static: bool
    tokens_per_step: float  # speculative decoding: tokens per verification step
    lockstep: Any = False  # clients in lockstep on an engine that pauses decode (bool or array)


_S, _MS, _TOKEN_PER_S = ureg.s, ureg.ms, ureg("token/s").units


def _scalar(x: Any) -> Any:
    """A 0-d result of ``np.where`` as a float; arrays (``ls.sweep``) as they are."""
    return x if isinstance(x, np.ndarray) and x.ndim else float(x)


@dataclass(frozen=True)
class _Hardware:
    """An instance's figures as floats (SI units), computed once per Instance object."""

    memory_bw: float  # bytes/s per device
    link_bw: float | None  # bytes/s per device, None without an interconnect figure
    network_bw: float  # bytes/s of the instance network
    peaks: dict[str, float | None]  # dense FLOP/s per device by compute dtype


_HW: dict[int, tuple[Instance, _Hardware]] = {}


def _hardware(inst: Instance) -> _Hardware:
    hit = _HW.get(id(inst))
    if hit is not None and hit[0] is inst:
        return hit[1]
    link = inst.interconnect_bandwidth
    peaks: dict[str, float | None] = {}
    for d in ("bf16", "fp8", "fp4", "int8"):
        q = inst.dense_flops(d)
        peaks[d] = None if q is None else float(q.to("FLOPS").magnitude)
    hw = _Hardware(
        memory_bw=float(inst.memory_bandwidth.to("byte/s").magnitude),
        link_bw=None if link is None else float(link.to("byte/s").magnitude),
        network_bw=float(inst.network_bandwidth.to("byte/s").magnitude),
        peaks=peaks,
    )
    if len(_HW) > 4096:
        _HW.clear()
    _HW[id(inst)] = (inst, hw)
    return hw


def _link_bw(inst: Instance, lay: Layout, per: int, cross: bool) -> float:
    """β per rank of the collectives of one replica [bytes/s]."""
    hw = _hardware(inst)
    if cross:
        return hw.network_bw / max(1, inst.accelerator_count)
    if hw.link_bw is not None:
        bw = hw.link_bw
        if interconnect_kind(inst.interconnect).startswith(BIDIRECTIONAL_LINKS):
            # NVIDIA quotes NVLink bandwidth as the sum of both directions (H100: 900 GB/s
            # = 18 links x 25 GB/s x 2), AMD Infinity Fabric too; a ring moves data one
            # way at a time
            bw /= 2
    elif interconnect_kind(inst.interconnect) == "pcie":
        bw = PCIE_GEN4_X16_BYTES_PER_S
    else:  # ranks on one device (NeuronCores of a chip) exchange through its memory
        bw = hw.memory_bw
    group = lay.tp * lay.dp
    devices = max(1, math.ceil(group / per))
    # ranks sharing a chip share its links
    return bw * min(1.0, devices / group) if group > 1 else bw


def _comm(
    m: ModelConfig, lay: Layout, tokens: float, link: float, p2p_link: float
) -> tuple[float, float, float]:
    """Collectives of one forward pass over ``tokens`` tokens.

    Returns (Σ bytes-terms at 100% link utilisation [s], number of collectives
    [-], Σ (N − 1) over them [-]); the latency is ``n · α₀ + Σ(N − 1) · α₁``.
    """
    h = m.hidden_size * ACTIVATION_BYTES
    n_moe = m.n_moe_layers if m.moe is not None else 0
    n_dense = m.num_layers - n_moe
    tp, dp, ep = lay.tp, lay.dp, lay.ep
    group_tokens = math.ceil(tokens / dp) if dp > 1 else tokens
    beta = 0.0
    count = 0.0
    ranks = 0.0
    if tp > 1:  # two all-reduces per dense layer (Megatron-LM)
        beta += 2 * n_dense * 2 * (tp - 1) / tp * group_tokens * h / link
        count += 2 * n_dense
        ranks += 2 * n_dense * (tp - 1)
    if n_moe:
        if ep > 1:  # dispatch and combine; each rank sends its tokens' k copies
            k = m.moe.experts_per_token if m.moe is not None else 1
            beta += 2 * n_moe * (ep - 1) / ep * (tokens / ep) * k * h / link
            count += 2 * n_moe
            ranks += 2 * n_moe * (ep - 1)
            if tp > 1:  # attention output all-reduce inside each TP group
                beta += n_moe * 2 * (tp - 1) / tp * group_tokens * h / link
                count += n_moe
                ranks += n_moe * (tp - 1)
        elif tp * dp > 1:  # experts sharded by TP over the layer's ranks
            g = tp * dp
            beta += 2 * n_moe * 2 * (g - 1) / g * tokens * h / link
            count += 2 * n_moe
            ranks += 2 * n_moe * (g - 1)
    if lay.pp > 1:  # hand-off between consecutive stages
        beta += (lay.pp - 1) * tokens * h / p2p_link
        count += lay.pp - 1
        ranks += lay.pp - 1
    return beta, count, ranks


def _physics(
    m: ModelConfig,
    inst: Instance,
    w: Workload,
    lay: Layout,
    policy: WeightPolicy,
    cdt: str,
    static: bool,
    prefix_hit: float,
    spec: tuple[int, float, float] | None,
    cross_instance: bool,
    compiled_batch: int | None = None,
    context_buckets: Sequence[int] | None = None,
    token_buckets: Sequence[int] | None = None,
    lockstep: bool = False,
) -> _Physics:
    """Work of one replica; on Neuron the prompt is padded to its context-encoding bucket.

    ``context_buckets`` default on Neuron: :func:`bucket_length`'s powers of two;
    elsewhere none (the prompt as is). ``token_buckets``: the KV length a decode
    step attends is padded to its bucket (default: none).
    """
    per = ranks_per_device(inst)
    devices = max(1, math.ceil(lay.tp * lay.dp / per))
    hw = _hardware(inst)
    peak = (hw.peaks.get(cdt) or hw.peaks["bf16"] or 0.0) * devices
    bw = hw.memory_bw * devices
    link = _link_bw(inst, lay, per, cross_instance)
    multi = lay.ranks > inst.accelerator_count * per
    p2p = _link_bw(inst, lay, per, True) if multi else link
    pad = head_padding(m, lay.tp, inst.is_neuron)
    b = float(w.batch)
    # a static-shape decode graph computes every compiled slot, live or padding
    b_step = max(b, float(compiled_batch or 0))
    p = w.prompt_tokens
    o = float(w.output_tokens)
    n_act = 2.0 * _flop_params(m)
    neuron = inst.is_neuron
    pc = m.param_counts()
    routed_active = 2.0 * pc.routed_experts_active
    # NxD context encoding at full capacity runs every token through every expert
    # a routed expert's GEMMs, sharded over the ranks, fill whole Tensor Engine tiles
    tile = tensor_engine_tile_factor(m, lay) if neuron else 1.0
    n_act_pre = n_act + (2.0 * pc.routed_experts * tile - routed_active if neuron else 0.0)

    # prefill: prompt tokens not served from the prefix cache, padded to the bucket
    p_pad = bucket_length(p, context_buckets) if neuron or context_buckets else p
    cached = int(p * prefix_hit)
    new = max(1, p_pad - cached)
    attn = _attn_prefill(m, p_pad) - (_attn_prefill(m, cached) if cached else 0.0)
    one_flops = n_act_pre * new + attn
    kv_prompt = _kv_seq(m, p_pad, w.kv_dtype)
    if static:
        n_pre, chunks = b, 1.0
        toks = b * new
    else:
        n_pre = 1.0
        chunks = float(math.ceil(new / w.max_batched_tokens))
        toks = float(new)
    pre_flops = n_pre * one_flops
    per_pass = toks / chunks
    pre_bytes = chunks * _weights_read(m, policy, per_pass, pad, neuron) + n_pre * kv_prompt
    beta_pre, count_pre, ranks_pre = _comm(m, lay, per_pass, link, p2p)
    # continuous serving prefills new prompts together, max_batched_tokens per pass
    k = float(max(1, min(w.batch, w.max_batched_tokens // new)))
    pf_passes = float(math.ceil(k * new / w.max_batched_tokens))
    pf_pass_tokens = k * new / pf_passes
    beta_pf, count_pf, ranks_pf = _comm(m, lay, pf_pass_tokens, link, p2p)

    # decode: one step of the whole batch
    if m.mla is not None:
        repl = float(lay.tp)
    else:
        repl = lay.tp * kv_heads_read_per_rank(m, lay.tp, inst.is_neuron) / m.num_kv_heads
        repl = max(1.0, repl)
    tps_step = 1.0
    verify = 1.0
    draft_cost = 0.0
    if spec is not None:
        drafted, a, draft_cost = spec
        tps_step = speculative_tokens_per_step(drafted, a)
        verify = drafted + 1.0
    step_tokens = b_step * verify
    scale = 1 + draft_cost
    w_dense, w_expert = _weights_split(m, policy, step_tokens, pad, neuron)
    ctx = w.context_len
    ctx_mean = max(1, min(ctx, p + int(o // 2)))
    routed_step = routed_active
    if neuron and m.moe is not None:
        # NxD computes T·k experts (selective loading) or all E experts per token
        loaded = float(
            neuron_experts_loaded(m.moe.n_routed_experts, m.moe.experts_per_token, step_tokens)
        )
        if loaded >= m.moe.n_routed_experts:
            routed_step = 2.0 * pc.routed_experts

    def parts(c: int) -> tuple[tuple[float, float], ...]:
        # per operator class, each its own roofline: the dense matmuls read their weights,
        # the routed experts the ones the step touches, attention the KV cache
        if token_buckets:  # the step attends the whole token-generation bucket
            c = bucket_length(c, token_buckets)
        kv = _kv_read(m, c, w.kv_dtype) * b_step * repl + _state_step(m) * b_step
        attn = _decode_flops(m, c) - n_act
        return (
            (w_dense * scale, step_tokens * (n_act - routed_active) * scale),
            (w_expert * scale, step_tokens * routed_step * tile * scale),
            (kv, step_tokens * attn * scale),
        )

    dec_parts, dec_parts_mean = parts(ctx), parts(ctx_mean)
    dec_bytes = sum(x for x, _ in dec_parts)
    dec_bytes_mean = sum(x for x, _ in dec_parts_mean)
    dec_flops = sum(f for _, f in dec_parts)
    dec_flops_mean = sum(f for _, f in dec_parts_mean)
    beta_dec, count_dec, ranks_dec = _comm(m, lay, step_tokens, link, p2p)
    return _Physics(
        peak=peak,
        bw=bw,
        pre_flops=pre_flops,
        pre_bytes=pre_bytes,
        pre_beta=beta_pre * chunks,
        pre_count=count_pre * chunks,
        pre_ranks=ranks_pre * chunks,
        pre_tokens=n_pre * max(1, p - cached),  # the prompt's own tokens, padding excluded
        pre_passes=chunks,
        layers=float(sum(_passes(m))),
        pre_prompts=n_pre,
        pf_flops=k * one_flops,
        pf_bytes=pf_passes * _weights_read(m, policy, pf_pass_tokens, pad, neuron) + k * kv_prompt,
        pf_beta=beta_pf * pf_passes,
        pf_count=count_pf * pf_passes,
        pf_ranks=ranks_pf * pf_passes,
        pf_passes=pf_passes,
        pf_prompts=k,
        dec_flops=dec_flops,
        dec_bytes=dec_bytes,
        dec_flops_mean=dec_flops_mean,
        dec_bytes_mean=dec_bytes_mean,
        dec_parts=dec_parts,
        dec_parts_mean=dec_parts_mean,
        dec_beta=beta_dec,
        dec_count=count_dec,
        dec_ranks=ranks_dec,
        batch=b,
        step_batch=b_step,
        output=o,
        has_output=w.output_len is not None,
        static=static,
        tokens_per_step=tps_step,
        lockstep=lockstep,
    )


@dataclass(frozen=True)
class _Times:
    ttft: float
    tpot: float  # as a serving benchmark measures it: (e2e − TTFT) / O
    step: float  # one decode step of the batch at the full context
    tpot_mean: float
    rate: float  # output tokens/s of one replica
    prefill_rate: float  # prompt tokens/s of one replica
    t_mem: float
    t_cmp: float
    t_comm: float
    ttft_alone: float  # TTFT of a prompt with no prefill ahead of it
    per_prompt: float  # engine time of one prompt's prefill among others
    tpot_alone: float  # TPOT with no other sequence's prefill in between


def _times(
    ph: _Physics, eff: Efficiency, prefill_mfu: float, decode_mfu: float, mbu: float, link_u: float
) -> _Times:
    a0, a1, oh = eff.alpha_base, eff.alpha_per_rank, eff.step_overhead
    # a prefill pass's fixed time: once, and once per layer it runs through
    oh_pre = eff.prefill_overhead + eff.prefill_overhead_per_layer * ph.layers
    ohs = eff.step_overhead_per_sequence
    oh_dec = oh + ohs * ph.step_batch
    # np.maximum: the same formulas run on scalars here and on arrays in ls.sweep
    t_pre = np.maximum(ph.pre_flops / (ph.peak * prefill_mfu), ph.pre_bytes / (ph.bw * mbu))
    ttft = t_pre + ph.pre_beta / link_u + ph.pre_count * a0 + ph.pre_ranks * a1
    ttft += ph.pre_passes * oh_pre + ohs * ph.pre_prompts
    comm = ph.dec_beta / link_u + ph.dec_count * a0 + ph.dec_ranks * a1
    bw, pk = ph.bw * mbu, ph.peak * decode_mfu
    t_mem = ph.dec_bytes / bw
    t_cmp = ph.dec_flops / pk
    t_step = sum(np.maximum(x / bw, f / pk) for x, f in ph.dec_parts)
    tpot = (t_step + comm + oh_dec) / ph.tokens_per_step
    t_mean = sum(np.maximum(x / bw, f / pk) for x, f in ph.dec_parts_mean)
    tpot_mean = (t_mean + comm + oh_dec) / ph.tokens_per_step
    b, o = ph.batch, ph.output
    if ph.static:
        per_prompt = ttft / b
    else:  # engine time per prompt when new prompts are prefilled together
        t_pf = np.maximum(ph.pf_flops / (ph.peak * prefill_mfu), ph.pf_bytes / (ph.bw * mbu))
        t_pf += ph.pf_beta / link_u + ph.pf_count * a0 + ph.pf_ranks * a1
        t_pf += ph.pf_passes * oh_pre
        t_pf += ohs * ph.pf_prompts
        per_prompt = t_pf / ph.pf_prompts
    if not ph.has_output:
        rate = b / tpot
    elif ph.static:
        rate = b * o / (ttft + o * tpot_mean)
    else:
        rate = b * o / (o * tpot_mean + b * per_prompt)
    step = tpot
    ttft_alone, tpot_alone = ttft, tpot
    if ph.has_output and not ph.static:
        # over one sequence's O tokens the other B − 1 sequences are replaced, each
        # prefilled in the same engine: their prefills stall this sequence's decode
        stalls = (b - 1) * per_prompt
        # identical requests on an engine that pauses decode to prefill: the clients
        # stay in lockstep, and the wave's prefills are waited for before the first token
        wait = np.where(
            ph.lockstep,
            lockstep_prefill_wait(b, per_prompt),
            prefill_queue_wait(rate / o, per_prompt, b),
        )
        held = np.where(ph.lockstep, wait, 0.0)
        ttft = ttft + _scalar(wait)
        tpot = tpot + _scalar((stalls - held) / o)
    prefill_rate = ph.pre_tokens / ttft if ph.static else ph.pre_tokens / per_prompt
    return _Times(
        ttft,
        tpot,
        step,
        tpot_mean,
        rate,
        prefill_rate,
        t_mem,
        t_cmp,
        comm,
        ttft_alone,
        per_prompt,
        tpot_alone,
    )


class PerfEstimate(BaseModel):
    """Roofline performance and cost of a model serving a workload on an instance.

    Attributes
    ----------
    layout : Layout
        Parallel layout of one replica.
    tp : int
        Its tensor-parallel degree [-].
    replicas : int
        Replicas per instance (1 for a layout spanning several instances) [-].
    ttft, tpot : pint.Quantity
        Time to first token [s] and time per output token [ms] (under continuous
        batching including the stalls of other sequences' prefills).
    decode_step : pint.Quantity
        One decode step of the whole batch at the full context [ms].
    tokens_per_s, tokens_per_s_per_replica : pint.Quantity
        Output tokens per second of the whole deployment and of one replica
        [token/s].
    ttft_range, tpot_range, tokens_per_s_range : tuple of pint.Quantity
        The estimate times the 10th and 90th percentiles of measured /
        estimated on the calibration rows of its hardware family and engine.
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    model: str
    instance: str
    workload: Workload
    layout: Layout
    tp: int
    instances: int
    replicas: int
    serving: str
    engine: str | None
    family: str
    ttft: Any
    tpot: Any
    decode_step: Any
    tokens_per_s: Any
    tokens_per_s_per_replica: Any
    prefill_tokens_per_s: Any
    ttft_range: tuple[Any, Any]
    tpot_range: tuple[Any, Any]
    tokens_per_s_range: tuple[Any, Any]
    bound: str
    collective_time_per_step: Any
    decode_bytes_per_step: Any
    decode_flops_per_step: Any
    usd_per_hour: float | None
    usd_per_million_output_tokens: float | None
    usd_per_million_input_tokens: float | None
    price_note: str
    assumptions: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """Plain numbers for JSON and DataFrames."""
        return {
            "model": self.model,
            "instance": self.instance,
            "layout": self.layout.label,
            "tp": self.tp,
            "pp": self.layout.pp,
            "ep": self.layout.ep,
            "dp": self.layout.dp,
            "instances": self.instances,
            "replicas": self.replicas,
            "serving": self.serving,
            "batch": self.workload.batch,
            "context": self.workload.context_len,
            "ttft_s": float(self.ttft.to("s").magnitude),
            "ttft_s_low": float(self.ttft_range[0].to("s").magnitude),
            "ttft_s_high": float(self.ttft_range[1].to("s").magnitude),
            "tpot_ms": float(self.tpot.to("ms").magnitude),
            "tpot_ms_low": float(self.tpot_range[0].to("ms").magnitude),
            "tpot_ms_high": float(self.tpot_range[1].to("ms").magnitude),
            "output_tokens_per_s": float(self.tokens_per_s.magnitude),
            "output_tokens_per_s_low": float(self.tokens_per_s_range[0].magnitude),
            "output_tokens_per_s_high": float(self.tokens_per_s_range[1].magnitude),
            "output_tokens_per_s_per_replica": float(self.tokens_per_s_per_replica.magnitude),
            "prefill_tokens_per_s": float(self.prefill_tokens_per_s.magnitude),
            "bound": self.bound,
            "usd_per_hour": self.usd_per_hour,
            "usd_per_million_output_tokens": self.usd_per_million_output_tokens,
            "usd_per_million_input_tokens": self.usd_per_million_input_tokens,
            "price_note": self.price_note,
            **{f"assume_{k}": v for k, v in self.assumptions.items()},
        }

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"value": self.to_dict()})

    def _repr_html_(self) -> str:
        return str(self.to_frame().to_html())

    def __str__(self) -> str:
        d = self.to_dict()
        cost = (
            f"${d['usd_per_million_output_tokens']:,.2f} per 1M output tokens, "
            f"${d['usd_per_million_input_tokens']:,.3f} per 1M input tokens"
            if d["usd_per_million_output_tokens"] is not None
            else self.price_note
        )
        return (
            f"{self.model} on {self.instances} × {self.instance} ({self.layout.label}, "
            f"{self.replicas} replica(s), {self.serving} batching, "
            f"{self.assumptions.get('arrivals', 'closed loop of the batch')}), "
            f"batch {d['batch']} per replica at "
            f"{d['context']:,} tokens: TTFT {d['ttft_s']:.3f} s "
            f"({d['ttft_s_low']:.3f}–{d['ttft_s_high']:.3f}), "
            f"TPOT {d['tpot_ms']:.1f} ms ({d['tpot_ms_low']:.1f}–{d['tpot_ms_high']:.1f}, "
            f"{self.bound}-bound), {d['output_tokens_per_s']:,.0f} output tokens/s "
            f"({d['output_tokens_per_s_low']:,.0f}–{d['output_tokens_per_s_high']:,.0f}); "
            f"{cost}."
        )


@dataclass(frozen=True)
class _Deployment:
    fit: FitResult
    layout: Layout
    instances: int
    replicas: int
    cross: bool  # TP/DP ranks span instances
    cdt: str


def _deployment(
    m: ModelConfig, inst: Instance, w: Workload, lay_in: Layout | None, cat: Catalog
) -> _Deployment:
    """The replica layout, instances, replicas per instance and compute dtype."""
    r: FitResult = fit(m, inst, w, catalog=cat, layout=lay_in)
    if not r.fits and not r.instances_needed:
        one = fit(m, inst, w.model_copy(update={"batch": 1}), catalog=cat, layout=lay_in)
        if not one.fits and not one.instances_needed:
            # not even one sequence: no deployment exists here, so there is no speed
            raise WorkloadError(
                f"{m.name} does not fit {inst.name} at any size: even one sequence needs "
                f"{one.required_bytes / 2**30:,.1f} GiB per rank of "
                f"{one.available_bytes / 2**30:,.1f} GiB, and no pipeline of instances holds it"
            )
    lay = r.layout
    per = ranks_per_device(inst)
    ranks_instance = inst.accelerator_count * per
    if lay_in is None and not r.fits and r.instances_needed:
        # fit reports the largest TP layout; it runs as pipeline stages over instances
        lay = Layout(tp=lay.tp, pp=r.instances_needed, ep=lay.ep, dp=lay.dp)
    n_inst = max(1, math.ceil(lay.ranks / ranks_instance))
    replicas = max(1, ranks_instance // max(lay.ranks, per)) if n_inst == 1 else 1
    cross = lay.tp * lay.dp > ranks_instance
    return _Deployment(r, lay, n_inst, replicas, cross, compute_dtype(r.policy, inst))


def _check_fraction(name: str, v: float | None) -> None:
    if v is not None and not 0 < v <= 1:  # also rejects NaN
        raise WorkloadError(f"{name} must be in (0, 1], got {v!r}")


def estimate_performance(
    model: ModelConfig | str,
    instance: Instance | str,
    workload: Workload | Mapping[str, Any] | None = None,
    *,
    layout: Layout | dict[str, int] | str | None = None,
    engine: str | None = None,
    serving: Serving = "continuous",
    mfu: float | None = None,
    decode_mfu: float | None = None,
    bandwidth_utilization: float | None = None,
    interconnect_utilization: float = DEFAULT_INTERCONNECT_UTILIZATION,
    collective_latency_scale: float = 1.0,
    step_overhead: float | None = None,
    prefix_cache_hit_rate: float = 0.0,
    concurrency: int | None = None,
    burst: int | None = None,
    arrivals: Arrivals = "independent",
    compiled_batch: int | None = None,
    context_buckets: Sequence[int] | None = None,
    token_buckets: Sequence[int] | None = None,
    speculative_tokens: int = 0,
    acceptance_rate: float = 0.0,
    draft_cost: float = 0.0,
    usd_per_hour: float | None = None,
    catalog: Catalog | None = None,
) -> PerfEstimate:
    """Roofline TTFT, TPOT, throughput and USD per 1M tokens on a layout.

    Parameters
    ----------
    model : ModelConfig or str
        The model, or a preset name.
    instance : Instance or str
        The instance, or its catalog name.
    workload : Workload or dict, optional
        Prompt, output, batch (sequences per replica) and formats.
    layout : Layout, dict or str, optional
        Parallel layout of one replica (``"TP8"``, ``{"dp": 8, "ep": 8}``);
        default: the one :func:`llmsizing.fit` chooses.
    engine : str, optional
        Serving engine whose calibrated efficiencies apply (``"trtllm"``,
        ``"transformers-neuronx"``); default: the family's all-engine fit.
    serving : {"continuous", "static"}
        Continuous batching (each prompt prefilled in the same engine) or a
        static batch (every prompt prefilled before the first token); formulas
        in the module docstring.
    mfu : float, optional
        Prefill MFU [-]; also the decode MFU unless ``decode_mfu`` is given.
        Default: ``data/efficiency.csv``.
    decode_mfu, bandwidth_utilization : float, optional
        Decode MFU and memory-bandwidth utilisation [-]; default: the table.
    interconnect_utilization : float, default 0.8
        Fraction of the link peak collectives reach [-] (nccl-tests).
    collective_latency_scale : float, default 1
        Multiplies the calibrated collective latency α [-] (0: bandwidth only).
    step_overhead : float, optional
        Fixed time of every forward pass, prefill or decode [s], replacing the
        calibrated fixed and per-sequence overheads (0 for a pure roofline);
        default: the table.
    concurrency : int, optional
        Clients of a closed-loop benchmark, each sending its next request when the
        previous one completes, over the whole deployment [-]; default: the
        workload's batch on every replica. Beyond ``batch × replicas`` the extra
        requests queue: by Little's law a request then takes ``T = C_r · O / R``
        (C_r clients per replica), and TTFT grows by the wait
        ``(C_r − B) · O / R``; TPOT and throughput stay those of the full batch.
    burst : int, optional
        Requests submitted all at once over the whole deployment, with no request
        rate and no concurrency limit (``vllm bench serve --num-prompts N`` without
        ``--request-rate``) [-]; at least the workload's batch on every replica,
        which is then the sequences a replica runs at once. TTFT is the mean over
        the requests of their first-come-first-served wait
        (:func:`burst_queue_wait`), TPOT counts the prefills a sequence's decode
        waits through (:func:`burst_prefill_stalls`), and throughput is the
        requests' output over the time the last one completes. Continuous serving
        only; not with ``concurrency``.
    arrivals : {"independent", "lockstep"}, default "independent"
        How the closed loop's requests arrive under continuous serving.
        ``"independent"``: requests of varied lengths, whose arrivals are taken as
        independent, so a prompt waits the M/D/1 time for the prefills ahead of it
        (:func:`prefill_queue_wait`). ``"lockstep"``: identical requests (a
        benchmark's fixed input and output lengths, ``--random-range-ratio 1`` or
        ``--ignore-eos``); on an engine that pauses decode to prefill
        (:func:`prefill_pauses_decode`) the B sequences finish together and their
        clients' next requests arrive together, so TTFT waits
        :func:`lockstep_prefill_wait` and the TPOT stalls shrink by as much; on an
        engine that runs decodes in its prefill steps the finishes spread one
        prefill apart and the independent-arrival wait applies.
    prefix_cache_hit_rate : float, default 0
        Fraction of each prompt served from the prefix cache [-]; those tokens
        are not recomputed (their attention positions still count).
    compiled_batch : int, optional
        Sequences a static-shape decode graph is compiled for [-] (NxD Inference
        and transformers-neuronx ``batch_size``, vLLM-Neuron ``max-num-seqs``, TGI
        Neuron ``MAX_BATCH_SIZE``). Every decode step computes all its slots,
        padding included, so at a smaller live batch the step costs what the full
        batch does (weights, KV cache over the bucket, per-sequence overhead)
        while only the live sequences emit tokens; default: the workload's batch.
    context_buckets : sequence of int, optional
        Context-encoding bucket lengths of a static-shape engine [tokens]: the
        prompt is prefilled at the smallest bucket that holds it, padding
        included (:func:`bucket_length`). Default on Neuron: NxD Inference's
        default bucketing, the next power of two (at least 128); on GPUs none.
    token_buckets : sequence of int, optional
        Token-generation bucket lengths [tokens]: each decode step attends the
        KV cache over the smallest bucket that holds the context (an engine
        compiled without bucketing has one, its sequence length); default: the
        context itself.
    speculative_tokens, acceptance_rate, draft_cost : int, float, float
        Speculative decoding (draft model or MTP): k drafted tokens per step,
        each accepted with probability a; a step verifies k + 1 tokens and
        yields ``(1 − a^{k+1}) / (1 − a)`` on average [8]_; ``draft_cost`` is
        the drafter's cost relative to one target step [-] (MTP: about one
        layer of the target, 1/num_layers).
    usd_per_hour : float, optional
        Price per instance [USD/h], overriding the catalog's on-demand price.
    catalog : Catalog, optional
        Catalog to resolve names in.

    Returns
    -------
    PerfEstimate
        Per-replica and deployment figures, ranges and cost.

    Raises
    ------
    WorkloadError
        For an efficiency outside (0, 1], a bad price, or a layout that cannot run.

    Examples
    --------
    >>> import llmsizing as ls
    >>> est = ls.estimate_performance("llama-3.1-70b", "p5.48xlarge", ls.Workload(batch=32))
    >>> est.tokens_per_s.units
    <Unit('token / second')>
    """
    for k, v in (
        ("mfu", mfu),
        ("decode_mfu", decode_mfu),
        ("bandwidth_utilization", bandwidth_utilization),
        ("interconnect_utilization", interconnect_utilization),
    ):
        _check_fraction(k, v)
    for k, v in (
        ("prefix_cache_hit_rate", prefix_cache_hit_rate),
        ("acceptance_rate", acceptance_rate),
    ):
        if not 0 <= v <= 1:
            raise WorkloadError(f"{k} must be in [0, 1], got {v!r}")
    for k, v in (
        ("collective_latency_scale", collective_latency_scale),
        ("draft_cost", draft_cost),
        ("step_overhead", 0.0 if step_overhead is None else step_overhead),
    ):
        if not (math.isfinite(v) and v >= 0):
            raise WorkloadError(f"{k} must be a finite number >= 0, got {v!r}")
    for k, c in (
        ("concurrency", concurrency),
        ("burst", burst),
        ("compiled_batch", compiled_batch),
    ):
        if c is not None and (isinstance(c, bool) or not isinstance(c, int) or c < 1):
            raise WorkloadError(f"{k} must be a whole number >= 1, got {c!r}")
    if (
        isinstance(speculative_tokens, bool)
        or not isinstance(speculative_tokens, int)
        or (speculative_tokens < 0)
    ):
        raise WorkloadError(
            f"speculative_tokens must be a whole number >= 0, got {speculative_tokens!r}"
        )
    for k, bs in (("context_buckets", context_buckets), ("token_buckets", token_buckets)):
        if bs is not None and (
            not len(bs) or any(isinstance(x, bool) or int(x) != x or x < 1 for x in bs)
        ):
            raise WorkloadError(f"{k} must be whole numbers >= 1, got {bs!r}")
    if serving not in ("continuous", "static"):
        raise WorkloadError(f"serving must be 'continuous' or 'static', got {serving!r}")
    if arrivals not in ("independent", "lockstep"):
        raise WorkloadError(f"arrivals must be 'independent' or 'lockstep', got {arrivals!r}")
    if burst is not None and (concurrency is not None or serving != "continuous"):
        raise WorkloadError("burst applies to continuous serving and not with concurrency")
    if usd_per_hour is not None and not (math.isfinite(usd_per_hour) and usd_per_hour >= 0):
        raise WorkloadError(f"usd_per_hour must be a finite price >= 0, got {usd_per_hour!r}")
    cat = catalog or load_catalog()
    m = load_model(model) if isinstance(model, str) else model
    inst = cat.get(instance) if isinstance(instance, str) else instance
    w = as_workload(workload) if workload is not None else Workload()
    d = _deployment(m, inst, w, as_layout(layout), cat)
    r, lay, n_inst, replicas, cross, cdt = d.fit, d.layout, d.instances, d.replicas, d.cross, d.cdt
    fam = hardware_family(inst)
    eff = efficiency(fam, engine)
    if collective_latency_scale != 1.0 or step_overhead is not None:
        changes: dict[str, Any] = {
            "alpha_base": eff.alpha_base * collective_latency_scale,
            "alpha_per_rank": eff.alpha_per_rank * collective_latency_scale,
        }
        if step_overhead is not None:
            changes |= {
                "prefill_overhead": step_overhead,
                "prefill_overhead_per_layer": 0.0,
                "step_overhead": step_overhead,
                "step_overhead_per_sequence": 0.0,
            }
        eff = Efficiency(**{**eff.__dict__, **changes})
    p_mfu = mfu if mfu is not None else eff.prefill_mfu
    d_mfu = decode_mfu if decode_mfu is not None else (mfu if mfu is not None else eff.decode_mfu)
    mbu = bandwidth_utilization if bandwidth_utilization is not None else eff.bandwidth_utilization
    spec = (speculative_tokens, acceptance_rate, draft_cost) if speculative_tokens > 0 else None
    ph = _physics(
        m,
        inst,
        w,
        lay,
        r.policy,
        cdt,
        serving == "static",
        prefix_cache_hit_rate,
        spec,
        cross,
        compiled_batch,
        context_buckets,
        token_buckets,
        arrivals == "lockstep" and prefill_pauses_decode(engine, inst.is_neuron, inst.accelerator),
    )
    t = _times(ph, eff, p_mfu, d_mfu, mbu, interconnect_utilization)
    rate, ttft, tpot = t.rate, t.ttft, t.tpot
    if concurrency is not None and concurrency > w.batch * replicas and w.output_len:
        # Little's law: each of the C_r − B queued clients waits for a sequence slot
        per_replica = concurrency / replicas
        ttft += (per_replica - w.batch) * w.output_tokens / t.rate
    if burst is not None:
        rate, ttft, tpot = _burst_times(t, burst, replicas, w)
    tps = rate * replicas
    pre_tps = t.prefill_rate * replicas

    price = usd_per_hour if usd_per_hour is not None else cat.hourly_price(inst.name)
    if price is not None:
        total_price = price * n_inst
        out_cost = total_price / (3600 * tps) * 1e6
        in_cost = total_price / (3600 * pre_tps) * 1e6
        note = (
            f"us-east-1 on-demand ${price:,.2f}/h per instance"
            if usd_per_hour is None
            else "user price"
        )
    else:
        total_price, out_cost, in_cost = None, None, None
        note = f"no public on-demand price for {inst.name}"
    s, ms, tok_s = _S, _MS, _TOKEN_PER_S
    tb, pb, rb = eff.ttft_band, eff.tpot_band, eff.tokens_per_s_band
    return PerfEstimate(
        model=m.name,
        instance=inst.name,
        workload=w,
        layout=lay,
        tp=lay.tp,
        instances=n_inst,
        replicas=replicas,
        serving=serving,
        engine=engine,
        family=fam,
        ttft=ttft * s,
        tpot=tpot * 1e3 * ms,
        decode_step=t.step * 1e3 * ms,
        tokens_per_s=tps * tok_s,
        tokens_per_s_per_replica=rate * tok_s,
        prefill_tokens_per_s=pre_tps * tok_s,
        ttft_range=(ttft * tb[0] * s, ttft * tb[1] * s),
        tpot_range=(tpot * 1e3 * pb[0] * ms, tpot * 1e3 * pb[1] * ms),
        tokens_per_s_range=(tps * rb[0] * tok_s, tps * rb[1] * tok_s),
        bound="memory" if t.t_mem >= t.t_cmp else "compute",
        collective_time_per_step=t.t_comm * 1e3 * ms,
        decode_bytes_per_step=ph.dec_bytes * BYTE,
        decode_flops_per_step=ph.dec_flops * ureg.FLOP,
        usd_per_hour=total_price,
        usd_per_million_output_tokens=out_cost,
        usd_per_million_input_tokens=in_cost,
        price_note=note,
        assumptions={
            "prefill_mfu": p_mfu,
            "decode_mfu": d_mfu,
            "bandwidth_utilization": mbu,
            "interconnect_utilization": interconnect_utilization,
            "collective_alpha_us": _collective_alpha_us(eff, lay),
            "prefill_overhead_us": eff.prefill_overhead * 1e6,
            "prefill_overhead_per_layer_us": eff.prefill_overhead_per_layer * 1e6,
            "step_overhead_us": eff.step_overhead * 1e6,
            "step_overhead_per_sequence_us": eff.step_overhead_per_sequence * 1e6,
            "compute_dtype": cdt,
            "weights": r.policy.label(),
            "kv_dtype": str(w.kv_dtype),
            "efficiency_source": eff.source,
            "arrivals": (
                f"{burst} requests at once"
                if burst is not None
                else f"closed loop of {concurrency} clients ({arrivals})"
                if concurrency is not None
                else f"closed loop of the batch ({arrivals})"
            ),
        },
    )


def _burst_times(t: _Times, burst: int, replicas: int, w: Workload) -> tuple[float, float, float]:
    """Output rate [token/s], mean TTFT [s] and TPOT [s] of one replica under a burst."""
    if w.output_len is None:
        raise WorkloadError("burst needs the workload's output_len (each request's output)")
    n = math.ceil(burst / replicas)
    b, o, tau = w.batch, float(w.output_tokens), t.per_prompt
    if n < b:
        raise WorkloadError(
            f"burst={burst} gives {n} requests per replica, fewer than the batch of {b}; "
            f"set the workload's batch to the sequences that run at once"
        )
    # a slot is held for the first token, the decode and the B - 1 prefills in between
    turnover = t.ttft_alone + o * t.tpot_mean + (b - 1) * tau
    ttft = t.ttft_alone + burst_queue_wait(n, b, tau, turnover)
    tpot = t.tpot_alone + burst_prefill_stalls(n, b) * tau / o
    # the last request: last place of the last wave
    waves, place = divmod(n - 1, b)
    last = t.ttft_alone + place * tau + waves * turnover + o * t.tpot_mean
    return n * o / last, ttft, tpot


def _collective_alpha_us(eff: Efficiency, lay: Layout) -> float:
    """Latency of one TP all-reduce of a layout under ``eff`` [µs] (0 at TP 1)."""
    n = lay.tp if lay.tp > 1 else lay.ep
    if n <= 1:
        return 0.0
    return (eff.alpha_base + eff.alpha_per_rank * (n - 1)) * 1e6
