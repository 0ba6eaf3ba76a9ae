"""How a model is trained: precision recipes and the training setup.

A :class:`TrainingSetup` holds the batch, the precision recipe, the parallel
degrees, the ZeRO stage, the recomputation policy, the token budget and the
MFU of a run; a :class:`PrecisionRecipe` (one row of
:data:`PRECISION_RECIPES`) gives the bytes per parameter of the weights,
gradients and optimizer states it keeps [1]_.

References
----------
.. [1] S. Rajbhandari, J. Rasley, O. Ruwase, Y. He, "ZeRO: Memory Optimizations
   Toward Training Trillion Parameter Models", SC20, arXiv:1910.02054, 2020
   (section 3.1: 2+2+12 = 16 bytes per parameter for mixed-precision Adam;
   section 5: stages P_os, P_os+g, P_os+g+p).
.. [2] V. Korthikanti et al., "Reducing Activation Recomputation in Large
   Transformer Models", arXiv:2205.05198, 2022 (section 4, eq. 1-2, Table 2;
   section 5: selective recomputation).
.. [3] NVIDIA Megatron-LM, ``megatron/training/theoretical_memory_usage.py``
   (``compute_weight_and_optimizer_memory``: 18 bytes per parameter, or
   ``6 + 12 / dp`` with the distributed optimizer).
.. [4] Llama Team, AI @ Meta, "The Llama 3 Herd of Models", arXiv:2407.21783,
   2024 (section 3.3.2, Table 4: 38-43% BF16 MFU on up to 16,384 H100;
   section 3.4.1: 16M-token batches of 8,192-token sequences).
.. [5] DeepSeek-AI, "DeepSeek-V3 Technical Report", arXiv:2412.19437, 2024
   (section 3.3: FP8 GEMMs with master weights, gradients and optimizer states
   kept in higher precision).
.. [6] NVIDIA Transformer Engine documentation, "Using FP8 with Transformer
   Engine" (FP8 GEMM inputs cast on the fly; parameters and optimizer unchanged).
.. [7] T. Dettmers, M. Lewis, S. Shleifer, L. Zettlemoyer, "8-bit Optimizers via
   Block-wise Quantization", ICLR 2022, arXiv:2110.02861 (two 8-bit Adam states,
   one fp32 absmax per block of 2,048 values).
.. [8] J. Hoffmann et al., "Training Compute-Optimal Large Language Models",
   arXiv:2203.15556, 2022 (about 20 training tokens per parameter).
.. [9] NVIDIA Megatron-LM, ``examples/gpt3/train_gpt3_175b_distributed.sh``
   (``--micro-batch-size 1``, TP 8, PP 16).
.. [10] NVIDIA Megatron-LM, ``megatron/training/arguments.py``
   (``expert_tensor_parallel_size`` defaults to ``tensor_model_parallel_size``;
   expert DP = world / (ETP · EP · PP)).

Examples
--------
>>> s = TrainingSetup(tensor_parallel=8, pipeline_parallel=2, data_parallel=4)
>>> s.layout_label(), s.recipe.bytes_per_param
('TP8 PP2 DP4 ZeRO-1', 16)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from llmsizing.errors import WorkloadError, pydantic_message

__all__ = [
    "ADAM8BIT_BLOCK",
    "CHINCHILLA_TOKENS_PER_PARAM",
    "PRECISION_RECIPES",
    "Precision",
    "PrecisionRecipe",
    "Recompute",
    "TrainingSetup",
]

Precision = Literal["bf16-adamw", "fp8-adamw", "bf16-adam8bit", "bf16-adamw-fp32grads"]
Recompute = Literal["none", "selective", "full"]

#: Chinchilla's compute-optimal ratio, used when ``training_tokens`` is not given [8]_.
CHINCHILLA_TOKENS_PER_PARAM = 20
#: Values per fp32 absmax in block-wise 8-bit optimizer states [7]_.
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


#: The recipes by name: mixed-precision AdamW [1]_, FP8 GEMMs over the same state [5]_ [6]_,
#: 8-bit Adam [7]_ and fp32 gradient accumulation [3]_.
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

# The Literal lets type checkers and pydantic name the choices; the table is what runs.
if set(get_args(Precision)) != set(PRECISION_RECIPES):
    raise RuntimeError("Precision and PRECISION_RECIPES name different recipes")


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
    :func:`~llmsizing.training.check_training_layout`.

    Attributes
    ----------
    global_batch_tokens : int
        Tokens per optimizer step [tokens]; a multiple of ``seq_length``.
        Default 16,777,216 (16M), Llama 3 405B's batch for most of
        pre-training [4]_ (section 3.4.1).
    seq_length : int
        Tokens per sequence [tokens]. Default 8,192, Llama 3's pre-training
        length [4]_.
    micro_batch_size : int
        Sequences per forward/backward pass on one DP rank. Default 1, as
        Megatron-LM's GPT-3 175B example [9]_.
    precision : str
        Key of :data:`PRECISION_RECIPES`. Default ``"bf16-adamw"`` [1]_.
    data_parallel : int or None
        DP degree; None lets the device count decide
        (``devices / (tp · pp · cp)``).
    tensor_parallel, pipeline_parallel, expert_parallel, context_parallel : int
        Parallel degrees. EP is carved out of the DP × CP ranks (it does not
        multiply the device count) and routed experts also use the TP degree,
        Megatron-LM's default expert tensor parallelism [10]_.
    sequence_parallel : bool
        Megatron sequence parallelism: with TP, also split the activations
        TP alone replicates (norm inputs, dropout masks). Default True, as
        Korthikanti et al. recommend [2]_.
    zero_stage : int
        0 (plain DP), 1 (optimizer states sharded, Megatron's distributed
        optimizer [3]_), 2 (+ gradients), 3 (+ parameters, FSDP) [1]_. Default 1,
        the sharding DeepSeek-V3 reports [5]_ and Megatron-LM's distributed optimizer.
    recompute : {"none", "selective", "full"}
        Activation recomputation. Default ``"selective"`` [2]_ (section 5).
    training_tokens : int or None
        Tokens to train on [tokens]. None: 20 per active parameter, Chinchilla's
        compute-optimal ratio [8]_ (a dense-model rule; MoE optima differ).
    mfu : float
        Model FLOPs utilisation assumed for time estimates, relative to the
        dense peak in the recipe's compute dtype. Default 0.40: Llama 3 405B
        reports 38-43% BF16 MFU on 8,192-16,384 H100 [4]_ (Table 4).

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
            raise WorkloadError(f"invalid training setup: {pydantic_message(e)}") from None

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
