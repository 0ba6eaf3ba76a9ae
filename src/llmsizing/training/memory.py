"""Training memory per device: model state, activations, and the most loaded stage.

One small function per physical quantity, and the per-stage evaluation on top:

* **Model state** (:func:`weight_memory_per_device`, :func:`gradient_memory_per_device`,
  :func:`optimizer_memory_per_device`): bytes per parameter set by the precision
  recipe (:data:`~llmsizing.training.PRECISION_RECIPES`), divided by the
  parallel layout and the ZeRO stage [1]_. Tensor (TP) and pipeline (PP)
  parallelism divide every parameter; expert parallelism (EP) divides the
  routed experts; ZeRO-1 shards the optimizer states over the data-parallel
  (DP) ranks, ZeRO-2 also the gradients, ZeRO-3 (FSDP) also the parameters.
* **Activations** (:func:`activation_memory_per_layer`): Korthikanti et al.'s
  per-layer formula [2]_ generalised to GQA, MLA, gated FFNs and MoE layers,
  times the micro-batches a 1F1B pipeline keeps in flight [3]_ [4]_.
* **Per stage** (:class:`StageMemory`, :func:`training_memory_per_device`): the
  parameters each pipeline stage holds (:func:`stage_parameters`) put through
  the formulas above, for one layout or many at once and any DP degrees, as
  float arrays in bytes; :class:`TrainingMemory` is the breakdown of the most
  loaded stage, with units.

A *device* is one GPU or one Trainium/Inferentia chip; a chip's NeuronCores
share its HBM, so a layout at NeuronCore granularity divides the same memory
further without changing the totals.

References
----------
.. [1] S. Rajbhandari, J. Rasley, O. Ruwase, Y. He, "ZeRO: Memory Optimizations
   Toward Training Trillion Parameter Models", SC20, arXiv:1910.02054, 2020
   (section 3.1: 2+2+12 = 16 bytes per parameter for mixed-precision Adam;
   section 5: stages P_os, P_os+g, P_os+g+p).
.. [2] V. Korthikanti et al., "Reducing Activation Recomputation in Large
   Transformer Models", arXiv:2205.05198, 2022 (section 4, eq. 1-2, Table 2).
.. [3] NVIDIA Megatron-LM, ``megatron/training/theoretical_memory_usage.py``
   (``compute_weight_and_optimizer_memory``: 18 bytes per parameter, or
   ``6 + 12 / dp`` with the distributed optimizer; ``compute_activation_memory``:
   ``s·b·h·(18 + 4·ffn/h)`` per layer, ``8·s·b·pp + s·b·h·pp`` for the
   embedding, ``4·s·b·h·(1 + V/h)`` for the output layer, all ``/ tp``).
.. [4] D. Narayanan et al., "Efficient Large-Scale Language Model Training on
   GPU Clusters Using Megatron-LM", SC21, arXiv:2104.04473, 2021 (1F1B schedule:
   the first stage keeps up to ``pp`` micro-batches of activations).
.. [5] NVIDIA Megatron-LM, ``examples/gpt3/train_gpt3_175b_distributed.sh``
   (``--micro-batch-size 1``, TP 8, PP 16).
.. [6] PyTorch documentation, ``torch.distributed.fsdp.BackwardPrefetch``
   (``BACKWARD_PRE``, the default, gathers the next unit's parameters while the
   current unit's are still held).

Examples
--------
>>> import llmsizing as ls
>>> from llmsizing.training import TrainingSetup, training_memory_per_device
>>> mem = training_memory_per_device(ls.load_model("llama-3.1-8b"), TrainingSetup(data_parallel=8))
>>> round(mem.optimizer.to("GiB").magnitude, 1)     # 12 B/param of fp32 state over 8 DP ranks
11.2
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict

from llmsizing.errors import WorkloadError
from llmsizing.model import ModelConfig
from llmsizing.presets import load_model
from llmsizing.training.layout import (
    check_training_layout,
    in_flight_microbatches,
    pipeline_stage_layers,
)
from llmsizing.training.setup import Recompute, TrainingSetup
from llmsizing.units import BYTE, GIB_BYTES, ureg

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "StageMemory",
    "StageParameters",
    "StageTerms",
    "TrainingMemory",
    "activation_memory_per_layer",
    "gradient_memory_per_device",
    "optimizer_memory_per_device",
    "stage_parameters",
    "training_memory_per_device",
    "weight_memory_per_device",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


# ------------------------------------------------------------- model structure
@dataclass(frozen=True)
class StageParameters:
    """Parameters of a model by pipeline position: per layer, embedding, head, MTP [-].

    Attributes
    ----------
    dense : numpy.ndarray
        Per decoder layer: every parameter but the routed experts [-].
    routed : numpy.ndarray
        Per decoder layer: routed-expert parameters [-].
    embedding : int
        Input embedding, on the first stage [-].
    head : int
        Output head and final norm, on the last stage [-].
    tied : int
        Embedding parameters the last stage holds a copy of when the embedding
        is tied to the head and the pipeline has more than one stage [-].
    extra_dense, extra_routed : int
        Multi-token-prediction modules, on the last stage: dense and
        routed-expert parameters [-].
    """

    dense: IntArray
    routed: IntArray
    embedding: int
    head: int
    tied: int
    extra_dense: int
    extra_routed: int


@functools.lru_cache(maxsize=64)
def stage_parameters(model: ModelConfig) -> StageParameters:
    """Split a model's parameters by the pipeline position that holds them [-].

    Walks :meth:`~llmsizing.model.ModelConfig.tensors` once and reads each
    tensor's fields: decoder-layer tensors go to their ``layer`` (routed
    experts, ``experts > 0``, apart from the rest), the embedding to the first
    stage, the output head, final norm and any multi-token-prediction module
    (``mtp``) to the last.

    Examples
    --------
    >>> import llmsizing as ls
    >>> p = stage_parameters(ls.load_model("llama-3.1-8b"))
    >>> len(p.dense), p.embedding, p.head, int(p.routed.sum())
    (32, 525336576, 525340672, 0)
    """
    n = model.num_layers
    dense = np.zeros(n, dtype=np.int64)
    routed = np.zeros(n, dtype=np.int64)
    emb = head = xd = xr = 0
    for t in model.tensors(include_extra=True):
        if t.mtp:
            if t.experts:
                xr += t.numel
            else:
                xd += t.numel
        elif t.layer is not None:
            if t.experts:
                routed[t.layer] += t.numel
            else:
                dense[t.layer] += t.numel
        elif t.role == "embedding":
            emb += t.numel
        else:  # lm_head, final norm
            head += t.numel
    tied = emb if model.tie_word_embeddings else 0
    return StageParameters(dense, routed, emb, head, tied, xd, xr)


# ----------------------------------------------------------------- model state
def weight_memory_per_device(
    params: npt.ArrayLike,
    bytes_per_param: npt.ArrayLike = 2,
    zero_stage: npt.ArrayLike = 0,
    data_parallel: npt.ArrayLike = 1,
) -> Any:
    """Working weights on one device [bytes].

    .. math:: M_w = \\frac{N_{dev} \\, b_w}{d^{[z \\ge 3]}}

    with N_dev the parameters of the device's model-parallel shard (already
    divided by TP, PP and, for routed experts, EP), b_w the bytes per weight
    (default 2: bf16/fp16 [1]_) and d the data-parallel degree over which
    ZeRO-3 shards them [1]_. Defaults (no ZeRO, d = 1) describe one replica.

    Parameters
    ----------
    params : float or array_like
        :math:`N_{dev}` [-].
    bytes_per_param : float or array_like, default 2
        :math:`b_w` [bytes/param].
    zero_stage : int or array_like, default 0
        ZeRO stage z (0-3) [-].
    data_parallel : int or array_like, default 1
        ZeRO sharding degree d [-]; all arguments broadcast together.

    Returns
    -------
    pint.Quantity
        :math:`M_w` [bytes].

    Examples
    --------
    >>> weight_memory_per_device(70e9 / 8, 2, zero_stage=3, data_parallel=4)
    <Quantity(4.375e+09, 'byte')>
    """
    div = np.where(np.asarray(zero_stage) >= 3, data_parallel, 1)
    return ureg.Quantity(np.asarray(params) * np.asarray(bytes_per_param) / div, BYTE)


def gradient_memory_per_device(
    params: npt.ArrayLike,
    bytes_per_param: npt.ArrayLike = 2,
    zero_stage: npt.ArrayLike = 0,
    data_parallel: npt.ArrayLike = 1,
) -> Any:
    """Gradients on one device [bytes]; ZeRO-2 and -3 shard them over DP [1]_.

    .. math:: M_g = \\frac{N_{dev} \\, b_g}{d^{[z \\ge 2]}}

    b_g defaults to 2 (bf16/fp16 gradients [1]_); Megatron-LM accumulates them
    in fp32 (4) [3]_.

    Parameters
    ----------
    params : float or array_like
        :math:`N_{dev}` [-].
    bytes_per_param : float or array_like, default 2
        :math:`b_g` [bytes/param].
    zero_stage : int or array_like, default 0
        ZeRO stage z (0-3) [-].
    data_parallel : int or array_like, default 1
        ZeRO sharding degree d [-]; all arguments broadcast together.

    Returns
    -------
    pint.Quantity
        :math:`M_g` [bytes].

    Examples
    --------
    >>> gradient_memory_per_device(1e9, 2, zero_stage=1, data_parallel=8)
    <Quantity(2e+09, 'byte')>
    """
    div = np.where(np.asarray(zero_stage) >= 2, data_parallel, 1)
    return ureg.Quantity(np.asarray(params) * np.asarray(bytes_per_param) / div, BYTE)


def optimizer_memory_per_device(
    params: npt.ArrayLike,
    bytes_per_param: npt.ArrayLike = 12,
    zero_stage: npt.ArrayLike = 0,
    data_parallel: npt.ArrayLike = 1,
) -> Any:
    """Optimizer states (master weights, moments) on one device [bytes].

    .. math:: M_o = \\frac{N_{dev} \\, b_o}{d^{[z \\ge 1]}}

    b_o defaults to 12 (fp32 master weights, momentum and variance [1]_).
    ZeRO-1 and up shard them over DP [1]_; with b_o = 12 and b_w = 2 plus
    fp32 gradients this is Megatron-LM's ``6 + 12 / dp`` bytes/param [3]_.

    Parameters
    ----------
    params : float or array_like
        :math:`N_{dev}` [-].
    bytes_per_param : float or array_like, default 12
        :math:`b_o` [bytes/param].
    zero_stage : int or array_like, default 0
        ZeRO stage z (0-3) [-].
    data_parallel : int or array_like, default 1
        ZeRO sharding degree d [-]; all arguments broadcast together.

    Returns
    -------
    pint.Quantity
        :math:`M_o` [bytes].

    Examples
    --------
    >>> optimizer_memory_per_device(1e9, 12, zero_stage=1, data_parallel=8)
    <Quantity(1.5e+09, 'byte')>
    """
    div = np.where(np.asarray(zero_stage) >= 1, data_parallel, 1)
    return ureg.Quantity(np.asarray(params) * np.asarray(bytes_per_param) / div, BYTE)


# ------------------------------------------------------------------ activations
def _layer_token_bytes(model: ModelConfig) -> tuple[FloatArray, FloatArray, float]:
    """Per-layer activation bytes per token: (replicated by TP, split by TP, score coef).

    See :func:`activation_memory_per_layer` for the derivation.
    """
    h = model.hidden_size
    a = model.num_heads
    if model.mla is not None:
        m = model.mla
        d_qk, d_v, kv = m.qk_nope_head_dim + m.qk_rope_head_dim, m.v_head_dim, a
        # norm input and up-projection input of each latent (MLA's q/kv down-projections
        # are not split by TP)
        latent = 4 * (m.q_lora_rank or 0) + 4 * m.kv_lora_rank
    else:
        d_qk, d_v, kv = model.head_dim, model.v_head_dim or model.head_dim, model.num_kv_heads
        latent = 0
    # replicated under TP without SP: norm inputs, block inputs of attention and FFN,
    # the two dropout masks (1 byte per element)
    rep = 2 * h * model.layer_norms + 2 * h + latent + h + 2 * h + h
    # split by TP: Q and K (for QK^T), V, the output projection's input
    attn = 2 * (a * d_qk + kv * d_qk) + 2 * kv * d_v + 2 * a * d_v
    g = 6 if model.ffn_gated else 4  # bytes per FFN intermediate element
    dense_ffn = g * model.intermediate_size
    moe_ffn = 0.0
    if model.moe is not None:
        e = model.moe
        # each of the k routed copies: dispatched input + expert output kept for the
        # weighted combine (2h + 2h) and the expert's intermediate; shared experts as a FFN
        moe_ffn = e.experts_per_token * (4 * h + g * e.expert_intermediate_size) + (
            g * e.shared_expert_intermediate_size
        )
    is_moe = np.zeros(model.num_layers, dtype=bool)
    if model.moe is not None and len(model.moe_layers) == model.num_layers:
        is_moe = np.array(model.moe_layers, dtype=bool)
    split = attn + np.where(is_moe, moe_ffn, dense_ffn)
    return np.full(model.num_layers, float(rep)), split.astype(float), 5.0 * a


def activation_memory_per_layer(
    model: ModelConfig,
    seq_length: int,
    micro_batch_size: int = 1,
    recompute: Recompute = "selective",
    tensor_parallel: int = 1,
    sequence_parallel: bool = True,
    context_parallel: int = 1,
) -> Any:
    """Activations one micro-batch leaves on one device, per decoder layer [bytes].

    Korthikanti et al. [2]_ (eq. 1-2, Table 2) count, for a GPT layer with
    hidden size h, a heads, FFN width 4h, 16-bit activations and 1-byte
    dropout masks::

        s·b·h·(34 + 5·a·s/h)     no recomputation
        34·s·b·h                 selective (attention scores recomputed)
        2·s·b·h                  full (only the layer input kept)

    and divide by the TP degree t with sequence parallelism (without it:
    ``s·b·h·(10 + 24/t + 5·a·s/(h·t))``, the 10 being norm inputs, block inputs
    and dropout masks). The 34 is 4 (two norm inputs) + 11 (attention: QKV input
    2, Q and K 4, V 2, output-projection input 2, dropout mask 1) + 19 (FFN:
    input 2, activation input 8, second-linear input 8, dropout mask 1); the
    ``5·a·s²·b`` are the softmax output (2), its dropout mask (1) and the
    dropped-out scores (2).

    **Adaptation** (derivation per token, in bytes; q = a·d_qk query width,
    k_w = kv_heads·d_qk and v_w = kv_heads·d_v key and value widths, o = a·d_v):

    * attention: QKV input ``2h``, Q and K ``2(q + k_w)``, V ``2·v_w``, output
      projection input ``2·o``, dropout mask ``h``; with MHA and d = h/a this is
      Korthikanti's ``11h``. GQA shrinks K and V. MLA keeps the expanded
      per-head Q, K, V (a heads, d_qk = nope + rope) plus, per latent, its norm
      input and its up-projection input (``4·q_lora + 4·kv_lora``, not split by
      TP, since the down-projections are replicated).
    * norms: ``2h`` per norm of the layer (``layer_norms``; 2 in GPT, 4 in Gemma 3).
    * dense FFN of width f: input ``2h``, mask ``h``, plus ``4f`` (activation input
      and second-linear input; Megatron-LM's ``4·ffn/h`` [3]_) or ``6f`` when gated
      (gate and up outputs ``4f``, their product ``2f``).
    * MoE FFN with k = experts_per_token and expert width f_e: input ``2h``, mask
      ``h``; each routed copy of a token keeps its dispatched input ``2h``, the
      expert's output for the probability-weighted combine ``2h`` and the
      expert intermediate (``6·f_e`` gated): ``k·(4h + 6·f_e)``; shared experts
      as a dense FFN of their width. Router logits (``s·b·E``) are neglected.
      Load is assumed balanced, so EP moves tokens but not their number.

    The ``5·a·s²·b`` score term is kept in full for sliding-window layers (an
    eager implementation materialises the masked scores); FlashAttention-style
    kernels never store it, which "selective" models. Context parallelism divides
    everything by cp (each rank holds s/cp queries; its score block is
    (s/cp)·s). Dropout masks are counted as in [2]_ and [3]_; models trained
    without dropout store none (at most 2h + a·s of the per-token total).

    Parameters
    ----------
    model : ModelConfig
    seq_length : int
        s [tokens].
    micro_batch_size : int
        b [sequences]; default 1 [5]_.
    recompute : {"none", "selective", "full"}
        Default "selective", Korthikanti et al.'s recommendation [2]_.
    tensor_parallel : int
        t; default 1.
    sequence_parallel : bool
        Split the TP-replicated terms too (Megatron sequence parallelism);
        default True [2]_.
    context_parallel : int
        cp; default 1.

    Returns
    -------
    pint.Quantity
        Array of ``num_layers`` values [bytes].

    Examples
    --------
    GPT-3 175B at s = 2048, b = 1, t = 8 with SP and selective recomputation:
    34·s·b·h/t = 34 · 2048 · 12288 / 8 bytes.

    >>> import llmsizing as ls
    >>> gpt3 = ls.read_hf_config({"model_type": "llama", "vocab_size": 51200,
    ...     "hidden_size": 12288, "intermediate_size": 49152, "num_hidden_layers": 96,
    ...     "num_attention_heads": 96, "num_key_value_heads": 96}, name="gpt3-175b")
    >>> gpt3 = gpt3.model_copy(update={"ffn_gated": False})
    >>> int(activation_memory_per_layer(gpt3, 2048, 1, "selective", 8)[0].magnitude)
    106954752
    """
    for name, v in (
        ("seq_length", seq_length),
        ("micro_batch_size", micro_batch_size),
        ("tensor_parallel", tensor_parallel),
        ("context_parallel", context_parallel),
    ):
        if v <= 0:
            raise WorkloadError(f"{name} must be positive, got {v}")
    s, b, t, c = (
        float(seq_length),
        float(micro_batch_size),
        float(tensor_parallel),
        float(context_parallel),
    )
    tokens = s * b / c
    rep_div = t if sequence_parallel else 1.0
    if recompute == "full":
        per = np.full(model.num_layers, 2.0 * model.hidden_size * tokens / rep_div)
        return ureg.Quantity(per, BYTE)
    rep, split, score = _layer_token_bytes(model)
    per = tokens * (rep / rep_div + split / t)
    if recompute == "none":
        per = per + score * s * s * b / (t * c)
    elif recompute != "selective":
        raise WorkloadError(f"recompute must be 'none', 'selective' or 'full', got {recompute!r}")
    return ureg.Quantity(per, BYTE)


def _edge_activations(model: ModelConfig, setup: TrainingSetup) -> tuple[float, float]:
    """Activation bytes per micro-batch of the embedding (first stage) and output (last).

    Megatron-LM [3]_: token ids ``8·s·b`` and the embedding dropout mask ``s·b·h``;
    the output layer's input and fp32 logits for the loss ``4·s·b·h·(1 + V/h)``;
    all divided by TP (and here by CP).
    """
    s, b = setup.seq_length, setup.micro_batch_size
    div = setup.tensor_parallel * setup.context_parallel
    h, v = model.hidden_size, model.vocab_size
    first = (8 * s * b + s * b * h) / div
    last = 4 * s * b * h * (1 + v / h) / div
    return first, last


# ------------------------------------------------------------- memory per device
class TrainingMemory(BaseModel):
    """Memory of the most loaded device of a training layout [bytes].

    The breakdown is that of the pipeline stage whose total is largest.

    Attributes
    ----------
    weights, gradients, optimizer : pint.Quantity
        Model state on the device [bytes].
    gather_buffer : pint.Quantity
        ZeRO-3 only: parameters of two layers gathered at once (the current
        one and the prefetched next, PyTorch FSDP's default [6]_) [bytes].
    activations : pint.Quantity
        Activations of all in-flight micro-batches [bytes].
    stage : int
        Pipeline stage (0-based) of this breakdown.
    in_flight : int
        Micro-batches whose activations the stage holds.
    num_microbatches : int
        Micro-batches per optimizer step per DP rank.
    data_parallel : int
        DP degree the breakdown assumes.
    stage_totals_GiB : tuple of float
        Total per device of every stage [GiB].

    Examples
    --------
    >>> mem = training_memory_per_device("llama-3.1-8b", TrainingSetup(), data_parallel=8)
    >>> mem.dominant, mem.stage, mem.in_flight
    ('activations', 0, 1)
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    weights: Any
    gradients: Any
    optimizer: Any
    gather_buffer: Any
    activations: Any
    stage: int
    in_flight: int
    num_microbatches: int
    data_parallel: int
    stage_totals_GiB: tuple[float, ...]

    @property
    def total(self) -> Any:
        """Sum of all terms [bytes]."""
        return (
            self.weights + self.gradients + self.optimizer + self.gather_buffer + self.activations
        )

    @property
    def terms(self) -> dict[str, Any]:
        """The terms by name [bytes]."""
        return {
            "weights": self.weights,
            "gradients": self.gradients,
            "optimizer states": self.optimizer,
            "ZeRO-3 gather buffer": self.gather_buffer,
            "activations": self.activations,
        }

    @property
    def dominant(self) -> str:
        """Name of the largest term."""
        terms = self.terms
        return max(terms, key=lambda k: float(terms[k].to("byte").magnitude))

    def to_frame(self) -> pd.DataFrame:
        """The breakdown in GiB, one row per term plus the total."""
        import pandas as pd

        rows = {k: float(v.to("GiB").magnitude) for k, v in self.terms.items()}
        rows["total"] = float(self.total.to("GiB").magnitude)
        return pd.DataFrame({"GiB per device": rows})

    def _repr_html_(self) -> str:
        return str(self.to_frame().to_html(float_format="{:,.2f}".format))


class StageTerms(NamedTuple):
    """Memory terms of every pipeline stage on one device, as float arrays [bytes].

    Each array has a last axis of one entry per stage (padded with 0 past a
    layout's last stage) after the axes of the layouts or DP degrees evaluated.

    Attributes
    ----------
    weights, gradients, optimizer, gather_buffer, activations : numpy.ndarray
        As in :class:`TrainingMemory` [bytes].
    in_flight : numpy.ndarray
        Micro-batches each stage holds (:func:`in_flight_microbatches`) [-].
    num_microbatches : numpy.ndarray
        Micro-batches per optimizer step per DP rank, without the stage axis [-].
    """

    weights: FloatArray
    gradients: FloatArray
    optimizer: FloatArray
    gather_buffer: FloatArray
    activations: FloatArray
    in_flight: IntArray
    num_microbatches: IntArray

    @property
    def total(self) -> FloatArray:
        """Sum of the five memory terms per stage [bytes]."""
        return np.asarray(
            self.weights + self.gradients + self.optimizer + self.gather_buffer + self.activations
        )


class StageMemory:
    """Memory per device of every pipeline stage of one model, for one or many layouts.

    Built once per model and set of layouts; then evaluated at any DP degrees
    with numpy floats in bytes. For stage i of a layout (its layers, the
    embedding on stage 0, the output head and any MTP module on the last
    stage; :func:`stage_parameters`), with dense parameters :math:`N^d_i / t`
    and routed experts :math:`N^r_i / (t \\cdot e)` on the device:

    .. math::

        M_i = \\sum_{x \\in \\{w, g, o\\}} \\left( M_x(N^d_i / t, b_x, z, d \\cdot c)
              + M_x(N^r_i / (t e), b_x, z, \\max(\\lfloor d c / e \\rfloor, 1)) \\right)
              + m_i \\, A_i + B_i^{[z\\ge3]}

    with :math:`M_w, M_g, M_o` the public formulas
    :func:`weight_memory_per_device`, :func:`gradient_memory_per_device` and
    :func:`optimizer_memory_per_device`, b the recipe's bytes per parameter,
    d, c, e, t the DP, CP, EP and TP degrees (ZeRO shards dense parameters over
    the d·c ranks and routed experts over the d·c / e ranks of one expert's
    group), :math:`m_i` the in-flight micro-batches (:func:`in_flight_microbatches`
    of :math:`n_{mb} = \\lceil G / (g \\, d) \\rceil`, G the global batch and g the
    micro-batch [sequences]),
    :math:`A_i` the stage's activations per micro-batch
    (:func:`activation_memory_per_layer` summed over its layers, plus the
    embedding and output terms of [3]_) and B the ZeRO-3 gather buffer
    (two of the stage's largest layers at the weight precision [6]_).

    Parameters
    ----------
    model : ModelConfig
    setups : TrainingSetup or sequence of TrainingSetup
        The layouts, each checked beforehand (:func:`check_training_layout`);
        their ``data_parallel`` is ignored.

    Attributes
    ----------
    model : ModelConfig
    setups : tuple of TrainingSetup
    dense_params, routed_params : numpy.ndarray
        Dense and routed-expert parameters per device of each stage, shape
        (layouts, stages) [-].
    activations_per_microbatch : numpy.ndarray
        :math:`A_i`, shape (layouts, stages) [bytes].
    gather : numpy.ndarray
        ZeRO-3 gather buffer per stage should the layout use ZeRO-3, shape
        (layouts, stages) [bytes].

    Examples
    --------
    >>> import llmsizing as ls
    >>> m = ls.load_model("llama-3.1-70b")
    >>> sm = StageMemory(m, [TrainingSetup(tensor_parallel=8, zero_stage=z) for z in (1, 3)])
    >>> (sm.peak_bytes([2, 2]) / 2**30).round(1).tolist()  # ZeRO-1 and ZeRO-3, both on DP 2
    [104.9, 88.8]
    >>> sm.memory(2, layout=1).dominant
    'optimizer states'

    One layout at several DP degrees: ZeRO-3 spreads the 12 bytes/param of
    optimizer state of the 70.6e9 / 8 parameters per TP rank over DP.

    >>> one = StageMemory(m, TrainingSetup(tensor_parallel=8, zero_stage=3))
    >>> (one.terms([1, 2, 4]).optimizer[:, 0] / 2**30).round(1).tolist()
    [98.6, 49.3, 24.6]
    """

    def __init__(self, model: ModelConfig, setups: TrainingSetup | Sequence[TrainingSetup]) -> None:
        self.model = model
        self.setups = (setups,) if isinstance(setups, TrainingSetup) else tuple(setups)
        if not self.setups:
            raise WorkloadError("StageMemory needs at least one layout")
        p = stage_parameters(model)
        n = len(self.setups)
        self._pp = np.array([s.pipeline_parallel for s in self.setups], dtype=np.int64)
        width = int(self._pp.max())
        dense = np.zeros((n, width))
        routed = np.zeros((n, width))
        act = np.zeros((n, width))
        biggest = np.zeros((n, width))
        per_layer: dict[tuple[Any, ...], FloatArray] = {}
        starts: dict[int, IntArray] = {}
        for row, s in enumerate(self.setups):
            tp, pp, ep = s.tensor_parallel, s.pipeline_parallel, s.expert_parallel
            key = (
                s.seq_length,
                s.micro_batch_size,
                s.recompute,
                tp,
                s.sequence_parallel,
                s.context_parallel,
            )
            if key not in per_layer:
                per_layer[key] = activation_memory_per_layer(model, *key).magnitude
            act_layer = per_layer[key]
            if pp not in starts:
                counts = pipeline_stage_layers(model.num_layers, pp)
                starts[pp] = np.concatenate([[0], np.cumsum(counts)[:-1]])
            at = starts[pp]
            d = np.add.reduceat(p.dense, at).astype(float)
            r = np.add.reduceat(p.routed, at).astype(float)
            a = np.add.reduceat(act_layer, at)
            first, last = _edge_activations(model, s)
            d[0] += p.embedding
            a[0] += first
            d[-1] += p.head + (p.tied if pp > 1 else 0) + p.extra_dense
            r[-1] += p.extra_routed
            a[-1] += last
            if model.mtp_layers:
                # each MTP module runs one more layer of the last layer's kind and the output head
                a[-1] += model.mtp_layers * (act_layer[-1] + last)
            dense[row, :pp] = d / tp
            routed[row, :pp] = r / (tp * ep)
            act[row, :pp] = a
            biggest[row, :pp] = np.maximum.reduceat(p.dense / tp + p.routed / (tp * ep), at)
        self.dense_params: FloatArray = dense
        self.routed_params: FloatArray = routed
        self.activations_per_microbatch: FloatArray = act
        # per-layout values as (layouts, 1) columns, broadcasting over the stages
        self._zero = np.array([[s.zero_stage] for s in self.setups], dtype=np.int64)
        self._ep = np.array([[s.expert_parallel] for s in self.setups], dtype=np.int64)
        self._cp = np.array([[s.context_parallel] for s in self.setups], dtype=np.int64)
        self._mbs = np.array([s.micro_batch_size for s in self.setups], dtype=np.int64)
        self._gbs = np.array([s.global_batch_sequences for s in self.setups], dtype=np.int64)
        recipes = [s.recipe for s in self.setups]
        # bytes per parameter of weights, gradients, optimizer states: (3, layouts, 1)
        self._b = np.array(
            [
                [[r.weight_bytes] for r in recipes],
                [[r.gradient_bytes] for r in recipes],
                [[r.optimizer_bytes] for r in recipes],
            ],
            dtype=float,
        )
        self.gather: FloatArray = 2 * biggest * self._b[0]

    def __len__(self) -> int:
        return len(self.setups)

    def terms(
        self, data_parallel: npt.ArrayLike, layouts: npt.ArrayLike | None = None
    ) -> StageTerms:
        """Every stage's memory terms at the given DP degrees [bytes].

        Parameters
        ----------
        data_parallel : int or array_like
            DP degree of each layout, shape (layouts,); or, with a single
            layout, any 1-D array of degrees to evaluate [-].
        layouts : array_like of int, optional
            Indices of the layouts to evaluate (default: all).

        Returns
        -------
        StageTerms
            Arrays of shape (layouts or degrees, stages) [bytes].
        """
        rows: Any = slice(None) if layouts is None else np.asarray(layouts, dtype=np.int64)
        pp = self._pp[rows]
        width = int(pp.max())
        dp = np.asarray(data_parallel, dtype=np.int64)
        d = dp[..., None]
        zero, cp, ep = self._zero[rows], self._cp[rows], self._ep[rows]
        bw, bg, bo = (b[rows] for b in self._b)
        dense = self.dense_params[rows, :width]
        routed = self.routed_params[rows, :width]
        d_dense = d * cp
        d_routed = np.maximum(d_dense // ep, 1)
        nmb = np.ceil(self._gbs[rows] / (self._mbs[rows] * dp)).astype(np.int64)
        flight = in_flight_microbatches(pp, nmb)
        state = [
            formula(dense, b, zero, d_dense).magnitude
            + formula(routed, b, zero, d_routed).magnitude
            for formula, b in (
                (weight_memory_per_device, bw),
                (gradient_memory_per_device, bg),
                (optimizer_memory_per_device, bo),
            )
        ]
        w, g, o = np.broadcast_arrays(*state)
        buf = np.broadcast_to(np.where(zero >= 3, self.gather[rows, :width], 0.0), w.shape)
        a = self.activations_per_microbatch[rows, :width] * flight
        return StageTerms(w, g, o, buf, a, flight, nmb)

    def peak_bytes(
        self, data_parallel: npt.ArrayLike, layouts: npt.ArrayLike | None = None
    ) -> FloatArray:
        """Memory of the most loaded stage at the given DP degrees [bytes].

        Arguments as in :meth:`terms`; the result drops the stage axis.
        """
        return np.asarray(self.terms(data_parallel, layouts).total.max(axis=-1))

    def memory(self, data_parallel: int, layout: int = 0) -> TrainingMemory:
        """Breakdown of the most loaded device of layout ``layout`` at DP ``data_parallel``."""
        t = self.terms([data_parallel], [layout])
        tot = t.total[0, : int(self._pp[layout])]
        i = int(np.argmax(tot))
        return TrainingMemory(
            weights=ureg.Quantity(float(t.weights[0, i]), BYTE),
            gradients=ureg.Quantity(float(t.gradients[0, i]), BYTE),
            optimizer=ureg.Quantity(float(t.optimizer[0, i]), BYTE),
            gather_buffer=ureg.Quantity(float(t.gather_buffer[0, i]), BYTE),
            activations=ureg.Quantity(float(t.activations[0, i]), BYTE),
            stage=i,
            in_flight=int(t.in_flight[0, i]),
            num_microbatches=int(t.num_microbatches[0]),
            data_parallel=data_parallel,
            stage_totals_GiB=tuple(float(x) / GIB_BYTES for x in tot),
        )


def training_memory_per_device(
    model: ModelConfig | str, setup: TrainingSetup, data_parallel: int | None = None
) -> TrainingMemory:
    """Memory of the most loaded device under a training layout [bytes].

    For pipeline stage i with N_i parameters on the device (its layers, the
    embedding on stage 0, the output head and any MTP module on the last
    stage, dense parts ÷ TP, routed experts ÷ (TP · EP)):

    .. math::

        M_i = N_i (b_w / d^{[z\\ge3]} + b_g / d^{[z\\ge2]} + b_o / d^{[z\\ge1]})
              + m_i \\, A_i + B_i^{[z\\ge3]}

    with b the recipe's bytes per parameter, d the ZeRO sharding degree
    (dp · cp for dense parameters, dp · cp / ep for routed experts),
    m_i the in-flight micro-batches (:func:`in_flight_microbatches`), A_i the
    stage's activations per micro-batch (:func:`activation_memory_per_layer`
    summed over its layers, plus the embedding and output terms of [3]_) and
    B the ZeRO-3 gather buffer. The result is the stage with the largest M_i
    (:class:`StageMemory` evaluates it).

    Parameters
    ----------
    model : ModelConfig or str
    setup : TrainingSetup
    data_parallel : int, optional
        DP degree; defaults to ``setup.data_parallel`` or 1.

    Examples
    --------
    >>> import llmsizing as ls
    >>> mem = training_memory_per_device("llama-3.1-70b", TrainingSetup(tensor_parallel=8,
    ...     pipeline_parallel=4, zero_stage=1), data_parallel=8)
    >>> round(float(mem.total.to("GiB").magnitude), 1), mem.dominant
    (33.8, 'activations')
    """
    m = load_model(model) if isinstance(model, str) else model
    dp = data_parallel or setup.data_parallel or 1
    check_training_layout(m, setup.model_copy(update={"data_parallel": dp}))
    return StageMemory(m, setup).memory(dp)
