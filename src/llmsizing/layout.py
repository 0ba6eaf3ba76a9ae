"""Parallel layouts: how one model replica is split over devices, and the sharding rules.

A :class:`Layout` is the set of degrees a serving engine is started with:

* ``tp`` — tensor parallelism: attention heads, FFN widths and the vocabulary
  split over ``tp`` ranks (Megatron-LM [1]_). GPU engines need ``tp`` to divide
  the attention heads (vLLM checks ``num_attention_heads % tp == 0`` [2]_);
  Neuron pads the heads to a multiple of the degree instead [3]_.
* ``dp`` — attention data parallelism inside one replica (vLLM
  ``--data-parallel-size`` with ``--enable-expert-parallel``, SGLang
  ``--enable-dp-attention`` [2]_ [4]_): ``dp`` groups of ``tp`` ranks each hold
  the attention weights and the KV cache of their own sequences only; the MoE
  layers span all ``tp · dp`` ranks.
* ``ep`` — expert parallelism: the routed experts are divided over ``ep`` ranks
  (whole experts per rank; ``ep`` divides ``tp · dp``), each expert further split
  by tensor parallelism over the remaining ``tp · dp / ep`` ranks.
* ``pp`` — pipeline parallelism: the layers are split into ``pp`` consecutive
  stages, the embedding on the first and the output head on the last.

A replica uses ``tp · dp · pp`` ranks (GPUs, or NeuronCores on Neuron devices).

The rules each function applies per rank:

* KV heads are split while ``tp`` ≤ the KV-head count and replicated beyond it
  (``max(1, kv_heads // tp)``); an MLA latent is one head, so it is replicated on
  every TP rank [2]_; under attention DP each rank holds only its own
  ``ceil(B / dp)`` sequences.
* Norms, routers and MLA's down-projections (``q_a_proj``, ``kv_a_proj_with_mqa``)
  are replicated (vLLM ``ReplicatedLinear``) [2]_; K/V projections hold whole
  KV heads and replicate with them.

References
----------
.. [1] M. Shoeybi et al., "Megatron-LM: Training Multi-Billion Parameter Language
   Models Using Model Parallelism", arXiv:1909.08053, 2019.
.. [2] vLLM, ``vllm/config/parallel.py``, ``vllm/config/model.py``
   (``get_num_kv_heads``: ``max(1, total_num_kv_heads // tensor_parallel_size)``;
   MLA returns 1), ``vllm/model_executor/layers/fused_moe/`` (expert parallelism
   over ``dp_size · tp_size`` ranks).
.. [3] AWS Neuron SDK, NxD Inference "Tensor parallelism" and transformers-neuronx
   developer guide (attention heads padded to a multiple of ``tp_degree``);
   Trainium2 logical NeuronCore configuration (LNC=2: 4 logical cores per chip).
.. [4] SGLang, "DP Attention" (``--enable-dp-attention``), and DeepSeek-AI,
   "DeepSeek-V3 Technical Report", arXiv:2412.19437, section 3.4 (serving with
   attention DP and expert parallelism).

Examples
--------
>>> from llmsizing.layout import Layout
>>> Layout(tp=1, dp=8, ep=8).label
'DP8×EP8'
>>> Layout(tp=4, pp=2).ranks
8
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from llmsizing.errors import WorkloadError, pydantic_message
from llmsizing.model import ModelConfig

__all__ = [
    "Layout",
    "as_layout",
    "head_padding",
    "kv_heads_per_rank",
    "layout_problem",
]

_MAX_DEGREE = 1 << 16


class Layout(BaseModel):
    """Parallel degrees of one model replica.

    Attributes
    ----------
    tp : int
        Tensor-parallel degree [-].
    pp : int
        Pipeline stages [-].
    ep : int
        Expert-parallel degree [-]; divides ``tp · dp``.
    dp : int
        Attention data-parallel ranks inside the replica [-].
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    tp: int = Field(default=1, ge=1, le=_MAX_DEGREE, strict=True)
    pp: int = Field(default=1, ge=1, le=_MAX_DEGREE, strict=True)
    ep: int = Field(default=1, ge=1, le=_MAX_DEGREE, strict=True)
    dp: int = Field(default=1, ge=1, le=_MAX_DEGREE, strict=True)

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as e:
            raise WorkloadError(f"invalid layout: {pydantic_message(e)}") from None
        if (self.tp * self.dp) % self.ep:
            raise WorkloadError(
                f"invalid layout: ep={self.ep} must divide tp × dp = {self.tp * self.dp}"
            )

    @property
    def ranks(self) -> int:
        """Ranks one replica uses: ``tp · dp · pp`` [-]."""
        return self.tp * self.dp * self.pp

    @property
    def moe_ranks(self) -> int:
        """Ranks an MoE layer spans: ``tp · dp`` [-]."""
        return self.tp * self.dp

    @property
    def label(self) -> str:
        """Short name: ``"TP8"``, ``"TP4×PP2"``, ``"DP8×EP8"``."""
        parts = []
        if self.tp > 1 or (self.dp == 1 and self.pp == 1 and self.ep == 1):
            parts.append(f"TP{self.tp}")
        if self.dp > 1:
            parts.append(f"DP{self.dp}")
        if self.ep > 1:
            parts.append(f"EP{self.ep}")
        if self.pp > 1:
            parts.append(f"PP{self.pp}")
        return "×".join(parts)

    def __str__(self) -> str:
        return self.label


def as_layout(layout: Layout | Mapping[str, int] | str | None) -> Layout | None:
    """A :class:`Layout` from itself, a dict of degrees, or a label such as ``"TP4xPP2"``.

    Examples
    --------
    >>> as_layout("dp8xep8") == Layout(dp=8, ep=8)
    True
    """
    if layout is None or isinstance(layout, Layout):
        return layout
    if isinstance(layout, Mapping):
        return Layout(**dict(layout))
    if isinstance(layout, str):
        degrees: dict[str, int] = {}
        for part in layout.lower().replace("×", "x").replace("*", "x").split("x"):
            key, num = part[:2], part[2:]
            if key not in ("tp", "pp", "ep", "dp") or not num.isdigit() or key in degrees:
                raise WorkloadError(
                    f"invalid layout {layout!r}: write it as e.g. 'TP8', 'TP4xPP2' or 'DP8xEP8'"
                )
            degrees[key] = int(num)
        return Layout(**degrees)
    raise WorkloadError(f"a layout is a Layout, a dict of degrees or a label, got {layout!r}")


def kv_heads_per_rank(model: ModelConfig, tp: int, padded: bool = False) -> float:
    """KV heads each TP rank stores [-].

    .. math:: h_{kv,rank} = \\max(1, h_{kv} / tp)

    split while ``tp`` ≤ KV heads, replicated beyond. MLA keeps one latent
    "head", replicated on every rank (vLLM ``get_num_kv_heads``). ``padded``
    rounds up for engines that pad heads. Where the KV heads vary by layer
    (``layer_kv_heads``) each layer splits its own heads, and the result is the
    uniform count holding the same share of the cache,
    :math:`h_{kv} \\sum_l h_{kv,rank,l} / \\sum_l h_{kv,l}`.

    Examples
    --------
    >>> from llmsizing.presets import load_model
    >>> kv_heads_per_rank(load_model("llama-3.1-70b"), 16)
    1.0
    """
    if model.mla is not None:
        return 1.0
    if model.layer_kv_heads:
        # each attention layer splits (or replicates) its own heads; same head width throughout
        heads = [k for k in model.layer_kv_heads if k]
        held = sum(_heads_on_rank(k, tp, padded) for k in heads)
        return model.num_kv_heads * held / sum(heads) if heads else 1.0
    return _heads_on_rank(model.num_kv_heads, tp, padded)


def _heads_on_rank(kv: int, tp: int, padded: bool) -> float:
    """KV heads of one layer on one TP rank [-]: ``max(1, kv / tp)`` (rounded up if padded)."""
    if tp >= kv:
        return 1.0
    return float(math.ceil(kv / tp)) if padded else kv / tp


def kv_heads_read_per_rank(model: ModelConfig, tp: int, neuron: bool = False) -> float:
    r"""KV heads one decode step streams per TP rank, per sequence [-].

    .. math:: h_{read} = \begin{cases} h_{kv,rank} & \text{GPUs} \\
              \lceil H / tp \rceil & \text{Neuron} \end{cases}

    GPU attention kernels (FlashAttention, FlashInfer, TensorRT-LLM XQA) read
    each stored KV head once for all the query heads of its group:
    :func:`kv_heads_per_rank`. On Neuron the decode attention is a batched
    dot over (sequence, query head): transformers-neuronx, NxD Inference and
    optimum-neuron broadcast K and V to the rank's query heads (``repeat_kv``
    in ``hlo.py`` / ``attention_base.compute_for_token_gen``), so every query
    head on the rank, padding included, streams its own K and V through the
    Tensor Engine, ``⌈H/tp⌉`` heads per rank whatever the KV heads stored.
    MLA keeps one latent per rank.

    Examples
    --------
    >>> from llmsizing.presets import load_model
    >>> m = load_model("llama-3.1-8b")  # 32 query heads, 8 KV heads
    >>> kv_heads_read_per_rank(m, 24), kv_heads_read_per_rank(m, 24, neuron=True)
    (1.0, 2.0)
    """
    if model.mla is not None or not neuron:
        return kv_heads_per_rank(model, tp, neuron)
    return float(math.ceil(model.num_heads / tp))


def head_padding(model: ModelConfig, tp: int, padded: bool) -> float:
    """Factor by which padding the attention heads to a multiple of ``tp`` grows them [-].

    .. math:: f = \\lceil H / tp \\rceil \\, tp / H

    1 where the engine does not pad (GPUs) or ``tp`` divides the heads.

    Examples
    --------
    >>> from llmsizing.presets import load_model
    >>> head_padding(load_model("llama-3.1-8b"), 24, padded=True)   # 32 heads -> 48
    1.5
    """
    if not padded or model.num_heads % tp == 0:
        return 1.0
    return math.ceil(model.num_heads / tp) * tp / model.num_heads


def layout_problem(
    model: ModelConfig, layout: Layout, ranks_available: int, pads_heads: bool
) -> str | None:
    """Why ``layout`` cannot run ``model`` on ``ranks_available`` ranks, or None if it can.

    Examples
    --------
    >>> from llmsizing.presets import load_model
    >>> layout_problem(load_model("llama-3.1-8b"), Layout(tp=3), 8, pads_heads=False)
    'TP 3 does not divide the 32 attention heads (GPU engines need it to; Neuron pads)'
    """
    if layout.ranks > ranks_available:
        return f"{layout.label} needs {layout.ranks} ranks, only {ranks_available} are available"
    if not pads_heads and model.num_heads % layout.tp:
        return (
            f"TP {layout.tp} does not divide the {model.num_heads} attention heads "
            "(GPU engines need it to; Neuron pads)"
        )
    if layout.ep > 1:
        if model.moe is None:
            return f"EP {layout.ep} needs a mixture-of-experts model; {model.name} is dense"
        if model.moe.n_routed_experts % layout.ep:
            return f"EP {layout.ep} does not divide the {model.moe.n_routed_experts} routed experts"
    if layout.pp > model.num_layers:
        return f"PP {layout.pp} exceeds the {model.num_layers} layers"
    return None
