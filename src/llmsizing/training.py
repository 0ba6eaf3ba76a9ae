"""Training memory per device: model state, activations and the parallel layout.

One small function per physical quantity, and planners on top:

* **Model state** (:func:`weight_memory_per_device`, :func:`gradient_memory_per_device`,
  :func:`optimizer_memory_per_device`): bytes per parameter set by the precision
  recipe (:data:`PRECISION_RECIPES`), divided by the parallel layout and the
  ZeRO stage [1]_. Tensor (TP) and pipeline (PP) parallelism divide every
  parameter; expert parallelism (EP) divides the routed experts; ZeRO-1 shards
  the optimizer states over the data-parallel (DP) ranks, ZeRO-2 also the
  gradients, ZeRO-3 (FSDP) also the parameters.
* **Activations** (:func:`activation_memory_per_layer`): Korthikanti et al.'s
  per-layer formula [2]_ generalised to GQA, MLA, gated FFNs and MoE layers,
  times the micro-batches a 1F1B pipeline keeps in flight [3]_ [10]_.

FLOPs, time, cost and the cluster a run needs build on these in
:mod:`llmsizing.training_plan`.

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
.. [4] J. Kaplan et al., "Scaling Laws for Neural Language Models",
   arXiv:2001.08361, 2020 (Table 1: C_forward = 2N + 2 n_layer n_ctx d_attn).
.. [5] Llama Team, AI @ Meta, "The Llama 3 Herd of Models", arXiv:2407.21783,
   2024 (section 3.3.2, Table 4: 38-43% BF16 MFU on up to 16,384 H100;
   section 3.4.1: 16M-token batches of 8,192-token sequences).
.. [6] DeepSeek-AI, "DeepSeek-V3 Technical Report", arXiv:2412.19437, 2024
   (section 3.3: FP8 GEMMs with master weights, gradients and optimizer states
   kept in higher precision; Table 1: 2,664K H800 GPU-hours of pre-training).
.. [7] NVIDIA Transformer Engine documentation, "Using FP8 with Transformer
   Engine" (FP8 GEMM inputs cast on the fly; parameters and optimizer unchanged).
.. [8] T. Dettmers, M. Lewis, S. Shleifer, L. Zettlemoyer, "8-bit Optimizers via
   Block-wise Quantization", ICLR 2022, arXiv:2110.02861 (two 8-bit Adam states,
   one fp32 absmax per block of 2,048 values).
.. [9] J. Hoffmann et al., "Training Compute-Optimal Large Language Models",
   arXiv:2203.15556, 2022 (about 20 training tokens per parameter).
.. [10] D. Narayanan et al., "Efficient Large-Scale Language Model Training on
   GPU Clusters Using Megatron-LM", SC21, arXiv:2104.04473, 2021 (1F1B schedule:
   the first stage keeps up to ``pp`` micro-batches of activations).
.. [11] NVIDIA Megatron-LM, ``examples/gpt3/train_gpt3_175b_distributed.sh``
   (``--micro-batch-size 1``, TP 8, PP 16).
.. [12] PyTorch documentation, ``torch.distributed.fsdp.BackwardPrefetch``
   (``BACKWARD_PRE``, the default, gathers the next unit's parameters while the
   current unit's are still held).
.. [13] NVIDIA Megatron-LM, ``megatron/core/transformer/attention.py``
   (``num_query_groups_per_partition = divide(num_query_groups, world_size)``)
   and ``megatron/training/arguments.py`` (``expert_tensor_parallel_size``
   defaults to ``tensor_model_parallel_size``; expert DP = world / (ETP · EP · PP)).

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
import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from llmsizing.errors import WorkloadError
from llmsizing.model import ModelConfig, load_model
from llmsizing.units import ureg

__all__ = [
    "PRECISION_RECIPES",
    "PrecisionRecipe",
    "TrainingMemory",
    "TrainingSetup",
    "activation_memory_per_layer",
    "check_training_layout",
    "gradient_memory_per_device",
    "in_flight_microbatches",
    "optimizer_memory_per_device",
    "pipeline_stage_layers",
    "training_memory_per_device",
    "weight_memory_per_device",
]

Precision = Literal["bf16-adamw", "fp8-adamw", "bf16-adam8bit", "bf16-adamw-fp32grads"]
Recompute = Literal["none", "selective", "full"]

#: Chinchilla's compute-optimal ratio, used when ``training_tokens`` is not given [9]_.
CHINCHILLA_TOKENS_PER_PARAM = 20
#: Values per fp32 absmax in block-wise 8-bit optimizer states [8]_.
ADAM8BIT_BLOCK = 2048


# --------------------------------------------------------------------- recipes
@dataclass(frozen=True)
class PrecisionRecipe:
    """Bytes per parameter of a mixed-precision training recipe, before sharding.

    Attributes
    ----------
    name : str
        Recipe name, a key of :data:`PRECISION_RECIPES`.
    weight_bytes : float
        Working copy of the weights used by forward and backward [bytes/param].
    gradient_bytes : float
        Gradients [bytes/param].
    optimizer_bytes : float
        Optimizer states including the fp32 master weights [bytes/param].
    compute_dtype : str
        Precision of the GEMMs, whose dense peak sets the time estimate.
    description : str
        What is stored in which format, and the source.

    Examples
    --------
    >>> PRECISION_RECIPES["bf16-adamw"].bytes_per_param
    16
    >>> round(PRECISION_RECIPES["bf16-adam8bit"].bytes_per_param, 3)
    10.004
    """

    name: str
    weight_bytes: float
    gradient_bytes: float
    optimizer_bytes: float
    compute_dtype: str
    description: str

    @property
    def bytes_per_param(self) -> float:
        """Weights + gradients + optimizer states [bytes/param]."""
        return self.weight_bytes + self.gradient_bytes + self.optimizer_bytes


PRECISION_RECIPES: dict[str, PrecisionRecipe] = {
    r.name: r
    for r in (
        PrecisionRecipe(
            "bf16-adamw",
            2,
            2,
            12,
            "bf16",
            "bf16 weights and gradients; fp32 master weights and two fp32 Adam moments: "
            "2 + 2 + 12 = 16 bytes/param (ZeRO, Rajbhandari et al. 2020, section 3.1)",
        ),
        PrecisionRecipe(
            "fp8-adamw",
            2,
            2,
            12,
            "fp8",
            "FP8 GEMMs; weights kept in bf16 and cast to FP8 per GEMM, bf16 gradients, "
            "fp32 master weights and Adam moments as in bf16-adamw: 16 bytes/param. Assumes "
            "the optimizer is unchanged (NVIDIA Transformer Engine; DeepSeek-V3 report "
            "section 3.3 keeps master weights, gradients and optimizer states in higher "
            "precision); activations are still counted at 16 bits",
        ),
        PrecisionRecipe(
            "bf16-adam8bit",
            2,
            2,
            4 + 2 + 2 * 4 / ADAM8BIT_BLOCK,
            "bf16",
            "bf16 weights and gradients, fp32 master weights, two 8-bit Adam states with "
            "one fp32 absmax per 2,048 values (Dettmers et al. 2022): about 10 bytes/param",
        ),
        PrecisionRecipe(
            "bf16-adamw-fp32grads",
            2,
            4,
            12,
            "bf16",
            "as bf16-adamw with gradients accumulated in fp32, Megatron-LM's default "
            "(18 bytes/param in theoretical_memory_usage.py)",
        ),
    )
}


def _recipe(name: str) -> PrecisionRecipe:
    if name not in PRECISION_RECIPES:
        raise WorkloadError(
            f"unknown precision recipe {name!r}: choose one of {', '.join(PRECISION_RECIPES)}"
        )
    return PRECISION_RECIPES[name]


# ----------------------------------------------------------------------- setup
class TrainingSetup(BaseModel):
    """How a model is trained: batch, precision, parallel layout, tokens, MFU.

    Every invalid value raises :class:`~llmsizing.errors.WorkloadError` naming
    the field; checks that need the model or the device count are in
    :func:`check_training_layout`.

    Attributes
    ----------
    global_batch_tokens : int
        Tokens per optimizer step [tokens]; a multiple of ``seq_length``.
        Default 16,777,216 (16M), Llama 3 405B's batch for most of
        pre-training [5]_ (section 3.4.1).
    seq_length : int
        Tokens per sequence [tokens]. Default 8,192, Llama 3's pre-training
        length [5]_.
    micro_batch_size : int
        Sequences per forward/backward pass on one DP rank. Default 1, as
        Megatron-LM's GPT-3 175B example [11]_.
    precision : str
        Key of :data:`PRECISION_RECIPES`. Default ``"bf16-adamw"`` [1]_.
    data_parallel : int or None
        DP degree; None lets the device count decide
        (``devices / (tp · pp · cp)``).
    tensor_parallel, pipeline_parallel, expert_parallel, context_parallel : int
        Parallel degrees. EP is carved out of the DP × CP ranks (it does not
        multiply the device count) and routed experts also use the TP degree,
        Megatron-LM's default expert tensor parallelism [13]_.
    sequence_parallel : bool
        Megatron sequence parallelism: with TP, also split the activations
        TP alone replicates (norm inputs, dropout masks). Default True, as
        Korthikanti et al. recommend [2]_.
    zero_stage : int
        0 (plain DP), 1 (optimizer states sharded, Megatron's distributed
        optimizer), 2 (+ gradients), 3 (+ parameters, FSDP). Default 1, the
        sharding DeepSeek-V3 reports [6]_ and Megatron-LM's distributed optimizer.
    recompute : {"none", "selective", "full"}
        Activation recomputation. Default ``"selective"`` [2]_ (section 5).
    training_tokens : int or None
        Tokens to train on [tokens]. None: 20 per active parameter, Chinchilla's
        compute-optimal ratio [9]_ (a dense-model rule; MoE optima differ).
    mfu : float
        Model FLOPs utilisation assumed for time estimates, relative to the
        dense peak in the recipe's compute dtype. Default 0.40: Llama 3 405B
        reports 38-43% BF16 MFU on 8,192-16,384 H100 [5]_ (Table 4).

    Examples
    --------
    >>> TrainingSetup(tensor_parallel=8, zero_stage=3).global_batch_sequences
    2048
    >>> TrainingSetup(zero_stage=4)
    Traceback (most recent call last):
    ...
    llmsizing.errors.WorkloadError: invalid training setup: zero_stage must be 0, 1, 2 or 3, got 4
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    global_batch_tokens: int = 16 * 2**20
    seq_length: int = 8192
    micro_batch_size: int = 1
    precision: Precision = "bf16-adamw"
    data_parallel: int | None = None
    tensor_parallel: int = 1
    pipeline_parallel: int = 1
    expert_parallel: int = 1
    context_parallel: int = 1
    sequence_parallel: bool = True
    zero_stage: int = 1
    recompute: Recompute = "selective"
    training_tokens: int | None = None
    mfu: float = 0.40

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as e:
            parts = []
            for err in e.errors():
                loc = ".".join(str(x) for x in err["loc"])
                msg = str(err["msg"]).removeprefix("Value error, ")
                parts.append(f"{loc}: {msg}" if loc else msg)
            raise WorkloadError("invalid training setup: " + "; ".join(parts)) from None

    @model_validator(mode="after")
    def _check(self) -> TrainingSetup:
        problems: list[str] = []
        for k in (
            "global_batch_tokens",
            "seq_length",
            "micro_batch_size",
            "tensor_parallel",
            "pipeline_parallel",
            "expert_parallel",
            "context_parallel",
        ):
            if getattr(self, k) <= 0:
                problems.append(f"{k} must be positive, got {getattr(self, k)}")
        if self.data_parallel is not None and self.data_parallel <= 0:
            problems.append(f"data_parallel must be positive, got {self.data_parallel}")
        if self.training_tokens is not None and self.training_tokens <= 0:
            problems.append(f"training_tokens must be positive, got {self.training_tokens}")
        if self.zero_stage not in (0, 1, 2, 3):
            problems.append(f"zero_stage must be 0, 1, 2 or 3, got {self.zero_stage}")
        if not (math.isfinite(self.mfu) and 0 < self.mfu <= 1):
            problems.append(f"mfu must be in (0, 1], got {self.mfu}")
        if not problems and self.global_batch_tokens % self.seq_length:
            problems.append(
                f"global_batch_tokens ({self.global_batch_tokens}) must be a multiple of "
                f"seq_length ({self.seq_length})"
            )
        if not problems and self.global_batch_sequences < self.micro_batch_size:
            problems.append(
                f"the global batch ({self.global_batch_sequences} sequences) is smaller than "
                f"one micro-batch ({self.micro_batch_size})"
            )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def global_batch_sequences(self) -> int:
        """Sequences per optimizer step [-]."""
        return self.global_batch_tokens // self.seq_length

    @property
    def recipe(self) -> PrecisionRecipe:
        """The :class:`PrecisionRecipe` named by ``precision``."""
        return _recipe(self.precision)

    @property
    def model_parallel(self) -> int:
        """Devices one model replica spans: ``tp · pp · cp`` [-]."""
        return self.tensor_parallel * self.pipeline_parallel * self.context_parallel

    def layout_label(self) -> str:
        """Short description of the layout, e.g. ``"TP8 PP2 DP4 ZeRO-1"``."""
        parts = [f"TP{self.tensor_parallel}", f"PP{self.pipeline_parallel}"]
        if self.data_parallel is not None:
            parts.append(f"DP{self.data_parallel}")
        if self.context_parallel > 1:
            parts.append(f"CP{self.context_parallel}")
        if self.expert_parallel > 1:
            parts.append(f"EP{self.expert_parallel}")
        parts.append(f"ZeRO-{self.zero_stage}")
        return " ".join(parts)


# ------------------------------------------------------------- model structure
@dataclass(frozen=True)
class _Parts:
    """Parameters of a model by pipeline position (layers, embedding, head, MTP)."""

    dense: np.ndarray  # per layer: everything but routed experts [-]
    routed: np.ndarray  # per layer: routed experts [-]
    embedding: int
    head: int  # output head + final norm (+ the tied embedding's copy when pp > 1)
    tied: int  # embedding parameters copied to the last stage when tied
    extra_dense: int  # multi-token-prediction modules, on the last stage
    extra_routed: int


@functools.lru_cache(maxsize=64)
def _parts(model: ModelConfig) -> _Parts:
    n = model.num_layers
    dense = np.zeros(n, dtype=np.int64)
    routed = np.zeros(n, dtype=np.int64)
    emb = head = xd = xr = 0
    for t in model.tensors(include_extra=True):
        if t.component == "extra":
            if ".experts." in t.name:
                xr += t.numel
            else:
                xd += t.numel
        elif t.name.startswith("layers."):
            i = int(t.name.split(".", 2)[1])
            if t.component == "routed_experts":
                routed[i] += t.numel
            else:
                dense[i] += t.numel
        elif t.component == "embedding":
            emb += t.numel
        else:  # lm_head, final norm
            head += t.numel
    tied = emb if model.tie_word_embeddings else 0
    return _Parts(dense, routed, emb, head, tied, xd, xr)


def pipeline_stage_layers(num_layers: int, pipeline_parallel: int) -> np.ndarray:
    """Decoder layers on each pipeline stage [-], one entry per stage.

    ``floor(L / pp)`` each; the ``L mod pp`` left over go one each to the
    last stages, which keep the fewest micro-batches in flight (Llama 3 405B
    likewise takes layers off its first stage [5]_).

    Examples
    --------
    >>> pipeline_stage_layers(126, 16).tolist()[:3], int(pipeline_stage_layers(126, 16).sum())
    ([7, 7, 8], 126)
    """
    if not 0 < pipeline_parallel <= num_layers:
        raise WorkloadError(
            f"pipeline_parallel ({pipeline_parallel}) must be between 1 and the number of "
            f"layers ({num_layers})"
        )
    base, extra = divmod(num_layers, pipeline_parallel)
    out = np.full(pipeline_parallel, base, dtype=np.int64)
    if extra:
        out[pipeline_parallel - extra :] += 1
    return out


def in_flight_microbatches(pipeline_parallel: int, num_microbatches: int) -> np.ndarray:
    """Micro-batches whose activations each stage holds under 1F1B [-].

    .. math:: m_i = \\min(pp - i, n_{mb}), \\quad i = 0 \\dots pp - 1

    The first stage runs ``pp`` forward passes before its first backward pass
    [10]_; Megatron-LM scales by ``min(1, n_mb / pp)`` when fewer micro-batches
    exist [3]_.

    Examples
    --------
    >>> in_flight_microbatches(4, 8).tolist(), in_flight_microbatches(4, 2).tolist()
    ([4, 3, 2, 1], [2, 2, 2, 1])
    """
    stages = np.arange(pipeline_parallel)
    return np.minimum(pipeline_parallel - stages, max(num_microbatches, 1))


# ----------------------------------------------------------------- model state
def weight_memory_per_device(
    params: Any, bytes_per_param: float = 2, zero_stage: int = 0, data_parallel: Any = 1
) -> Any:
    """Working weights on one device [bytes].

    .. math:: M_w = \\frac{N_{dev} \\, b_w}{d^{[z \\ge 3]}}

    with N_dev the parameters of the device's model-parallel shard (already
    divided by TP, PP and, for routed experts, EP), b_w the bytes per weight
    (default 2: bf16/fp16 [1]_) and d the data-parallel degree over which
    ZeRO-3 shards them [1]_. Defaults (no ZeRO, d = 1) describe one replica.

    Examples
    --------
    >>> weight_memory_per_device(70e9 / 8, 2, zero_stage=3, data_parallel=4)
    <Quantity(4.375e+09, 'byte')>
    """
    div = np.where(zero_stage >= 3, data_parallel, 1)
    return np.asarray(params) * bytes_per_param / div * ureg.byte


def gradient_memory_per_device(
    params: Any, bytes_per_param: float = 2, zero_stage: int = 0, data_parallel: Any = 1
) -> Any:
    """Gradients on one device [bytes]; ZeRO-2 and -3 shard them over DP [1]_.

    .. math:: M_g = \\frac{N_{dev} \\, b_g}{d^{[z \\ge 2]}}

    b_g defaults to 2 (bf16/fp16 gradients [1]_); Megatron-LM accumulates them
    in fp32 (4) [3]_.

    Examples
    --------
    >>> gradient_memory_per_device(1e9, 2, zero_stage=1, data_parallel=8)
    <Quantity(2e+09, 'byte')>
    """
    div = np.where(zero_stage >= 2, data_parallel, 1)
    return np.asarray(params) * bytes_per_param / div * ureg.byte


def optimizer_memory_per_device(
    params: Any, bytes_per_param: float = 12, zero_stage: int = 0, data_parallel: Any = 1
) -> Any:
    """Optimizer states (master weights, moments) on one device [bytes].

    .. math:: M_o = \\frac{N_{dev} \\, b_o}{d^{[z \\ge 1]}}

    b_o defaults to 12 (fp32 master weights, momentum and variance [1]_).
    ZeRO-1 and up shard them over DP [1]_; with b_o = 12 and b_w = 2 plus
    fp32 gradients this is Megatron-LM's ``6 + 12 / dp`` bytes/param [3]_.

    Examples
    --------
    >>> optimizer_memory_per_device(1e9, 12, zero_stage=1, data_parallel=8)
    <Quantity(1.5e+09, 'byte')>
    """
    div = np.where(zero_stage >= 1, data_parallel, 1)
    return np.asarray(params) * bytes_per_param / div * ureg.byte


# ------------------------------------------------------------------ activations
def _layer_token_bytes(model: ModelConfig) -> tuple[np.ndarray, np.ndarray, float]:
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
        b [sequences]; default 1 [11]_.
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
    >>> gpt3 = ls.ModelConfig.from_hf_config({"model_type": "llama", "vocab_size": 51200,
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
        return per * ureg.byte
    rep, split, score = _layer_token_bytes(model)
    per = tokens * (rep / rep_div + split / t)
    if recompute == "none":
        per = per + score * s * s * b / (t * c)
    elif recompute != "selective":
        raise WorkloadError(f"recompute must be 'none', 'selective' or 'full', got {recompute!r}")
    return per * ureg.byte


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


# --------------------------------------------------------------- layout checks
def _divisors_note(n: int) -> str:
    return ", ".join(str(d) for d in range(1, n + 1) if n % d == 0)


def check_training_layout(
    model: ModelConfig,
    setup: TrainingSetup,
    devices: int | None = None,
    devices_per_instance: int | None = None,
) -> None:
    """Raise :class:`WorkloadError` if the parallel layout cannot run the model.

    Checks, each with the reason in the message: TP divides the attention
    heads and the KV heads (Megatron-Core's attention divides both by the
    TP size [13]_); PP is at most the
    number of layers; EP divides the routed experts and is 1 for dense models;
    CP divides the sequence length; TP fits inside one instance (its
    NVLink/NeuronLink domain); with ``devices``: ``tp · pp · cp`` divides the
    devices, the implied DP matches ``setup.data_parallel``, EP divides
    ``dp · cp``, and every DP rank gets at least one micro-batch.

    Examples
    --------
    >>> import llmsizing as ls
    >>> m = ls.load_model("llama-3.1-8b")
    >>> check_training_layout(m, TrainingSetup(tensor_parallel=3))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    llmsizing.errors.WorkloadError: tensor_parallel 3 does not divide llama-3.1-8b's 32 ...
    """
    tp, pp, ep, cp = (
        setup.tensor_parallel,
        setup.pipeline_parallel,
        setup.expert_parallel,
        setup.context_parallel,
    )
    if model.num_heads % tp:
        raise WorkloadError(
            f"tensor_parallel {tp} does not divide {model.name}'s {model.num_heads} attention "
            f"heads (divisors: {_divisors_note(model.num_heads)})"
        )
    if model.mla is None and model.num_kv_heads % tp:
        raise WorkloadError(
            f"tensor_parallel {tp} does not divide {model.name}'s {model.num_kv_heads} KV heads "
            "(Megatron-Core splits num_query_groups evenly over the TP ranks)"
        )
    if pp > model.num_layers:
        raise WorkloadError(
            f"pipeline_parallel {pp} exceeds {model.name}'s {model.num_layers} layers"
        )
    if ep > 1:
        if not model.is_moe or model.moe is None:
            raise WorkloadError(f"expert_parallel {ep} needs an MoE model; {model.name} is dense")
        if model.moe.n_routed_experts % ep:
            raise WorkloadError(
                f"expert_parallel {ep} does not divide {model.name}'s "
                f"{model.moe.n_routed_experts} routed experts"
            )
    if setup.seq_length % cp:
        raise WorkloadError(
            f"context_parallel {cp} does not divide the sequence length {setup.seq_length}"
        )
    if devices_per_instance is not None and tp > devices_per_instance:
        raise WorkloadError(
            f"tensor_parallel {tp} exceeds the {devices_per_instance} devices of one instance; "
            "TP runs inside one instance's NVLink/NeuronLink domain"
        )
    if devices is None:
        if setup.data_parallel is not None:
            _check_dp(setup, setup.data_parallel)
        return
    mp = setup.model_parallel
    if devices % mp:
        raise WorkloadError(
            f"tp·pp·cp = {tp}·{pp}·{cp} = {mp} does not divide the {devices} devices"
        )
    dp = devices // mp
    if setup.data_parallel is not None and setup.data_parallel != dp:
        raise WorkloadError(
            f"data_parallel {setup.data_parallel} with tp·pp·cp = {mp} needs "
            f"{setup.data_parallel * mp} devices, not {devices}"
        )
    _check_dp(setup, dp)


def _check_dp(setup: TrainingSetup, dp: int) -> None:
    ep, cp = setup.expert_parallel, setup.context_parallel
    if (dp * cp) % ep:
        raise WorkloadError(
            f"expert_parallel {ep} does not divide dp·cp = {dp}·{cp} = {dp * cp}; "
            "EP groups are carved out of the data-parallel ranks"
        )
    if dp * setup.micro_batch_size > setup.global_batch_sequences:
        raise WorkloadError(
            f"data_parallel {dp} × micro-batch {setup.micro_batch_size} exceeds the global batch "
            f"of {setup.global_batch_sequences} sequences"
        )


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
        one and the prefetched next, PyTorch FSDP's default [12]_) [bytes].
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
        rows = {k: float(v.to("GiB").magnitude) for k, v in self.terms.items()}
        rows["total"] = float(self.total.to("GiB").magnitude)
        return pd.DataFrame({"GiB per device": rows})

    def _repr_html_(self) -> str:
        return str(self.to_frame().to_html(float_format="{:,.2f}".format))


class _Evaluator:
    """Per-stage memory of one (model, layout) as a function of the DP degree."""

    def __init__(self, model: ModelConfig, setup: TrainingSetup) -> None:
        p = _parts(model)
        tp, pp, ep = setup.tensor_parallel, setup.pipeline_parallel, setup.expert_parallel
        self.setup = setup
        self.recipe = setup.recipe
        counts = pipeline_stage_layers(model.num_layers, pp)
        bounds = np.concatenate([[0], np.cumsum(counts)])
        act_layer = activation_memory_per_layer(
            model,
            setup.seq_length,
            setup.micro_batch_size,
            setup.recompute,
            tp,
            setup.sequence_parallel,
            setup.context_parallel,
        ).magnitude
        first, last = _edge_activations(model, setup)
        dense = np.zeros(pp)
        routed = np.zeros(pp)
        act = np.zeros(pp)
        biggest_layer = np.zeros(pp)
        layer_dev = p.dense / tp + p.routed / (tp * ep)
        for i in range(pp):
            sl = slice(int(bounds[i]), int(bounds[i + 1]))
            dense[i] = p.dense[sl].sum()
            routed[i] = p.routed[sl].sum()
            act[i] = act_layer[sl].sum()
            biggest_layer[i] = layer_dev[sl].max()
        dense[0] += p.embedding
        act[0] += first
        dense[-1] += p.head + (p.tied if pp > 1 else 0) + p.extra_dense
        routed[-1] += p.extra_routed
        act[-1] += last
        if model.mtp_layers:
            # each MTP module runs one more layer of the last layer's kind and the output head
            act[-1] += model.mtp_layers * (act_layer[-1] + last)
        self.params = dense / tp + routed / (tp * ep)
        self.dense_dev = dense / tp
        self.routed_dev = routed / (tp * ep)
        self.act_per_mb = act
        self.gather = 2 * biggest_layer * self.recipe.weight_bytes
        self.stage_params = dense + routed

    def memory(self, dp: int) -> TrainingMemory:
        s, r = self.setup, self.recipe
        z = s.zero_stage
        dp_dense = dp * s.context_parallel
        dp_exp = max(dp_dense // s.expert_parallel, 1)
        nmb = math.ceil(s.global_batch_sequences / (s.micro_batch_size * dp))
        flight = in_flight_microbatches(s.pipeline_parallel, nmb)

        def state(bpp: float, level: int) -> np.ndarray:
            if z >= level:
                return bpp * (self.dense_dev / dp_dense + self.routed_dev / dp_exp)
            return bpp * (self.dense_dev + self.routed_dev)

        w = state(r.weight_bytes, 3)
        g = state(r.gradient_bytes, 2)
        o = state(r.optimizer_bytes, 1)
        buf = self.gather if z >= 3 else np.zeros_like(w)
        a = self.act_per_mb * flight
        tot = w + g + o + buf + a
        i = int(np.argmax(tot))
        gib = float(ureg.Quantity(1, "GiB").to("byte").magnitude)
        return TrainingMemory(
            weights=float(w[i]) * ureg.byte,
            gradients=float(g[i]) * ureg.byte,
            optimizer=float(o[i]) * ureg.byte,
            gather_buffer=float(buf[i]) * ureg.byte,
            activations=float(a[i]) * ureg.byte,
            stage=i,
            in_flight=int(flight[i]),
            num_microbatches=nmb,
            data_parallel=dp,
            stage_totals_GiB=tuple(float(x) / gib for x in tot),
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
    B the ZeRO-3 gather buffer. The result is the stage with the largest M_i.

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
    return _Evaluator(m, setup).memory(dp)
