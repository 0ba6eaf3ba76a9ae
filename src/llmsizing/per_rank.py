"""The per-rank memory rule: what the most loaded rank of a layout holds, and what it may use.

Every planner (:func:`llmsizing.fit.fit`, :func:`~llmsizing.fit.fit_all`,
:func:`~llmsizing.fit.max_batch`, :func:`~llmsizing.fit.kv_cache_capacity`,
:func:`llmsizing.sweep.sweep`, the claims and the CLI) evaluates this one rule.
The functions are pure numpy and broadcast over any mix of models, instances,
weight formats, layouts, contexts and batches; inputs and outputs are plain
floats in bytes, tokens or a count, and Quantities are built only by callers
for what they return.

A rank fits when

.. math::

    W_{rank} + KV_{rank} + S_{rank} + A_{rank} + R_{rank} \\le M_{usable}\\,u / r_{dev}

with the weights :func:`weights_per_rank`, the KV cache
:func:`kv_cache_per_rank`, recurrent state :func:`state_per_rank`, the activation
peak :func:`activation_per_rank` and the runtime reserve of the rank, against
the device's usable memory times the engine's utilisation (vLLM's
``gpu_memory_utilization`` [1]_) divided over the ranks that share one device
(NeuronCores of one Neuron chip share its HBM [2]_).

References
----------
.. [1] vLLM, ``vllm/config/cache.py`` (``gpu_memory_utilization = 0.9``) and
   ``vllm/v1/worker/gpu_worker.py`` (``determine_available_memory``: the budget
   minus weights, peak activations and non-torch memory is the KV cache).
.. [2] AWS Neuron SDK, Inferentia2 and Trainium architecture pages (2 or 8
   NeuronCores per chip sharing its HBM; LNC=2 on Trainium2).

Examples
--------
>>> import numpy as np
>>> from llmsizing.presets import load_model
>>> from llmsizing.memory import resolve_weight_policy
>>> t = weight_table(load_model("llama-3.1-70b"), resolve_weight_policy("bf16"))
>>> w = weights_per_rank(t.totals, t.embedding, t.lm_head, t.final, tp=np.array([1, 8]),
...                      pad=1.0, kv_share=np.array([1.0, 0.125]), expert_fraction=1.0)
>>> (w / 1e9).round(1).tolist()      # 70.55B parameters x 2 bytes, then / 8 (norms replicated)
[141.1, 17.6]
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np

from llmsizing.memory import WeightPolicy, tensor_bytes
from llmsizing.model import ModelConfig, Tensor

__all__ = [
    "SHARD_CLASSES",
    "WeightTable",
    "activation_per_rank",
    "budget_per_rank",
    "expert_fraction_per_rank",
    "kv_cache_per_rank",
    "layout_kv_room",
    "padded_expert_factor",
    "sequences_per_rank",
    "state_per_rank",
    "weight_table",
    "weights_per_rank",
]

#: How a layer tensor is divided over the ranks of a layout, in the order of
#: :attr:`WeightTable.totals`'s last axis.
SHARD_CLASSES = (
    "replicated",  # norms, routers, MLA down-projections, KV compressors: whole on every rank
    "split",  # FFN and other matrices: 1/tp
    "attention",  # attention projections: 1/tp, times the head padding on Neuron
    "kv",  # K/V projections: whole KV heads, replicated beyond their count
    "experts",  # routed experts: over the tp·dp ranks of an MoE layer
)
_REPLICATED_ROLES = frozenset({"norm", "router", "q_a", "kv_a", "compressor"})


def shard_class(t: Tensor, mla: bool) -> int:
    """Index into :data:`SHARD_CLASSES` of a layer tensor (vLLM's linear-layer kinds)."""
    if t.role in _REPLICATED_ROLES or (t.kind == "vector" and t.component == "norms"):
        return 0
    if t.experts:
        return 4
    if not mla and t.role in ("k", "v"):
        return 3
    if t.component == "attention":
        return 2
    return 1


@dataclass(frozen=True)
class WeightTable:
    """Weight bytes of one model in one weight format, by layer and shard class.

    Attributes
    ----------
    layers : numpy.ndarray
        Bytes per decoder layer and shard class, shape (layers, 5) [bytes].
    embedding, lm_head, final : float
        Input embedding and output head (vocabulary-parallel: 1/tp) and the
        final norm (replicated) [bytes].
    tied : bool
        The output head is the embedding (a pipeline's last stage holds a copy).
    total : float
        All weights inference loads, one copy [bytes].
    vision : float
        A multimodal checkpoint's vision tower where the policy loads it, held
        by the first pipeline stage, its linear layers split by TP as vLLM
        shards them [bytes].
    """

    layers: np.ndarray
    embedding: float
    lm_head: float
    final: float
    tied: bool
    total: float
    vision: float = 0.0

    @property
    def totals(self) -> np.ndarray:
        """Bytes per shard class summed over layers, shape (5,) [bytes]."""
        return np.asarray(self.layers.sum(axis=0))

    def stages(self, pp: int) -> list[np.ndarray]:
        """Per-class bytes of each of ``pp`` pipeline stages (layers split as evenly as they go)."""
        return [s.sum(axis=0) for s in np.array_split(self.layers, pp)]


@functools.lru_cache(maxsize=4096)
def _bytes(t: Tensor, policy: WeightPolicy) -> int:
    return tensor_bytes(t, policy.dtype_for(t))


@functools.lru_cache(maxsize=1024)
def weight_table(model: ModelConfig, policy: WeightPolicy) -> WeightTable:
    """The :class:`WeightTable` of ``model`` stored under ``policy`` (cached; one tensor walk).

    Tensors identical but for their layer share one byte count, so a model's
    walk costs one :func:`~llmsizing.memory.tensor_bytes` per distinct tensor
    (per tensor when the policy has module rules, which read names).
    """
    layers = np.zeros((model.num_layers, len(SHARD_CLASSES)))
    embedding = lm_head = final = 0.0
    mla = model.mla is not None
    named = bool(policy.modules)
    vision = 0.0
    for t in model.tensors(include_extra=False, include_vision=policy.vision is not None):
        b = float(_bytes(t if named else t._replace(name="", layer=None), policy))
        if t.layer is not None:
            layers[t.layer, shard_class(t, mla)] += b
        elif t.component == "vision":
            vision += b
        elif t.role == "embedding":
            embedding += b
        elif t.role == "lm_head":
            lm_head += b
        else:
            final += b
    total = float(layers.sum() + embedding + lm_head + final + vision)
    return WeightTable(layers, embedding, lm_head, final, model.tie_word_embeddings, total, vision)


def expert_fraction_per_rank(n_experts: Any, ep: Any, moe_ranks: Any) -> Any:
    """Share of a layer's routed-expert bytes on one rank [-].

    .. math:: f = \\frac{\\lceil E / ep \\rceil}{E} \\cdot \\frac{ep}{tp \\cdot dp}

    whole experts over the ``ep`` expert-parallel ranks, each split by tensor
    parallelism over the remaining ``tp·dp/ep`` ranks of the MoE layer; with
    ``ep = 1`` every expert is split ``tp·dp`` ways.

    Examples
    --------
    >>> float(expert_fraction_per_rank(256, 8, 8)), float(expert_fraction_per_rank(256, 1, 8))
    (0.125, 0.125)
    """
    e = np.maximum(np.asarray(n_experts, dtype=float), 1.0)
    return np.ceil(e / ep) / e * ep / moe_ranks


def weights_per_rank(
    totals: Any,
    embedding: Any,
    lm_head: Any,
    final: Any,
    tp: Any,
    pad: Any,
    kv_share: Any,
    expert_fraction: Any,
    vision: Any = 0.0,
) -> Any:
    """Weight bytes on one rank of one pipeline stage [bytes].

    .. math::

        W = R + \\frac{S}{tp} + \\frac{f_{pad} A}{tp} + s_{kv} K + f_E X
            + \\frac{E_{emb} + E_{head} + V}{tp} + N

    with R, S, A, K, X the stage's bytes per shard class (:data:`SHARD_CLASSES`,
    ``totals[..., 0:5]``), :math:`s_{kv}` the share of the KV heads a rank holds,
    :math:`f_E` :func:`expert_fraction_per_rank`, the embedding and head split
    over the vocabulary (vLLM ``VocabParallelEmbedding``), V a vision tower
    (first stage) and N the replicated final norm. Pass zero embedding/head
    for stages that do not hold them.
    """
    c = np.asarray(totals, dtype=float)
    tp = np.asarray(tp, dtype=float)
    layer = (
        c[..., 0]
        + c[..., 1] / tp
        + c[..., 2] * pad / tp
        + c[..., 3] * kv_share
        + c[..., 4] * expert_fraction
    )
    return layer + (np.asarray(embedding) + lm_head + vision) / tp + final


def padded_expert_factor(
    intermediate: Any, hidden: Any, split: Any, inter_align: int, hidden_align: int
) -> Any:
    r"""Growth of routed-expert weights when an engine pads their shapes [-].

    .. math:: f = \frac{\lceil I/s \rceil_{a_I} \, \lceil H \rceil_{a_H}}{(I/s) \, H}

    with :math:`\lceil x \rceil_a` x rounded up to a multiple of a, I the
    expert intermediate size split over s tensor-parallel ranks and H the
    hidden size; vLLM allocates its MXFP4 experts so (``Mxfp4MoEMethod``).

    Examples
    --------
    >>> round(float(padded_expert_factor(2880, 2880, 4, 128, 256)), 4)   # 768 x 3072 for 720 x 2880
    1.1378
    """
    per = np.asarray(intermediate, dtype=float) / split
    h = np.asarray(hidden, dtype=float)
    return (
        (np.ceil(per / inter_align) * inter_align)
        * (np.ceil(h / hidden_align) * hidden_align)
        / (per * h)
    )


def sequences_per_rank(batch: Any, dp: Any) -> Any:
    """Sequences one attention data-parallel rank holds: ``ceil(B / dp)`` [-]."""
    return np.ceil(np.asarray(batch, dtype=float) / dp)


def kv_cache_per_rank(
    kv_bytes_per_sequence: Any, sequences: Any, kv_share: Any, layer_share: Any
) -> Any:
    """KV-cache bytes on one rank [bytes].

    .. math:: KV = B_{rank} \\cdot KV_{seq}(T) \\cdot s_{kv} \\cdot \\ell

    ``kv_bytes_per_sequence`` is the whole model's cache of one sequence
    (:func:`llmsizing.memory.kv_cache_memory` with batch 1), :math:`s_{kv}` the
    share of KV heads per TP rank (1 for a replicated MLA latent) and
    :math:`\\ell` the share of layers on the most loaded pipeline stage.
    """
    return np.asarray(sequences, dtype=float) * kv_bytes_per_sequence * kv_share * layer_share


def state_per_rank(state_bytes_per_sequence: Any, sequences: Any, layer_share: Any) -> Any:
    """Recurrent-state bytes (linear attention, Mamba) on one rank [bytes].

    .. math:: S = B_{rank} \\cdot S_{seq,rank} \\cdot \\ell

    ``state_bytes_per_sequence`` is one sequence's state on one tensor-parallel rank
    (:func:`llmsizing.memory.state_bytes_per_sequence` with ``tp``: vLLM splits the
    heads and channels, ``MambaSpec``); a fixed size, whatever the context.
    """
    return np.asarray(sequences, dtype=float) * state_bytes_per_sequence * layer_share


def activation_per_rank(
    tokens: Any, sequences: Any, hidden: Any, widest_ffn: Any, vocab: Any, tp: Any
) -> Any:
    """Peak activation bytes of one forward pass on one rank [bytes].

    .. math:: A = T \\,(4h + 2 I_{max}/tp) \\cdot 2 + B_{rank} \\, V \\cdot 4 / tp

    T tokens in the pass (a chunked-prefill step: ``min(max_batched_tokens,
    context · B_rank)``), h the hidden size, :math:`I_{max}` the widest FFN
    intermediate a token produces (experts_per_token × expert width for MoE),
    in 16-bit; plus fp32 logits of the sequences being sampled, split over the
    vocabulary. The order of vLLM's profiling run.
    """
    tp = np.asarray(tp, dtype=float)
    return tokens * (4 * hidden + 2 * widest_ffn / tp) * 2 + sequences * vocab * 4 / tp


def moe_workspace_per_rank(
    tokens: Any, experts_per_token: Any, expert_intermediate: Any, hidden: Any, shards: Any
) -> Any:
    """Workspace of one fused-MoE layer call on one rank [bytes].

    .. math:: A_{moe} = T \\, k \\, (3 I / s + h) \\cdot 2

    vLLM's fused MoE keeps, for the T tokens of a pass routed to k experts each,
    the gate-up output (``2I/s`` wide), the activation (``I/s``) and the down
    output (``h``) in 16-bit (``fused_moe.py``: ``intermediate_cache1..3``, or the
    modular kernels' ``workspace13`` and ``workspace2``), with the expert width
    I split over the s ranks that shard it.

    Examples
    --------
    >>> int(moe_workspace_per_rank(8192, 8, 768, 2048, 1))  # Qwen3-30B-A3B, 8192 tokens
    570425344
    """
    shards = np.asarray(shards, dtype=float)
    return (
        np.asarray(tokens, dtype=float)
        * experts_per_token
        * (3 * np.asarray(expert_intermediate, dtype=float) / shards + hidden)
        * 2
    )


def budget_per_rank(usable: Any, utilization: Any, ranks_on_device: Any) -> Any:
    """Memory one rank may use: ``usable × utilisation / ranks sharing the device`` [bytes]."""
    return np.asarray(usable, dtype=float) * utilization / ranks_on_device


def layout_kv_room(available: Any, weights: Any, reserve: Any, dp: Any, kv_share: Any) -> Any:
    """KV room of a replica, the planner's tie-break between layouts of equal size [bytes].

    .. math:: K = dp \\cdot \\frac{M_{budget} - W_{rank} - R_{rank}}{s_{kv}}

    the free memory of one rank, times the ranks that hold distinct sequences,
    over the share of each sequence's cache a rank stores: proportional to the
    sequences the replica holds at any context.
    """
    return np.asarray(dp) * (np.asarray(available) - weights - reserve) / kv_share
