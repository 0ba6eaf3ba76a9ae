"""KV-token capacity: how many tokens of KV cache fit after weights, activations and reserves.

A serving engine starts by loading the weights, running one profiling forward
pass at its largest batch of tokens, and giving what is left of its memory
budget to the KV cache [1]_:

.. math::

    KV_{free} = M_{usable}\\,u / r_{dev} - W_{rank} - A_{peak} - R

    N_{tokens} = \\left\\lfloor \\frac{KV_{free}}{b_{token}} \\right\\rfloor_{block}

with :math:`b_{token}` the KV bytes one token takes on one rank and the count
rounded down to whole KV blocks (16 tokens in vLLM). vLLM logs the result as
"GPU KV cache size: N tokens" and "Maximum concurrency for T tokens per request:
N/T x" [1]_; SGLang as ``max_total_num_tokens`` [2]_.

The activation peak is the profile run's: ``max_batched_tokens`` tokens and
``max_num_seqs`` sequences sampled (:func:`llmsizing.per_rank.activation_per_rank`).

References
----------
.. [1] vLLM, ``vllm/v1/worker/gpu_worker.py`` (``determine_available_memory``),
   ``vllm/v1/core/kv_cache_utils.py`` (``get_kv_cache_config``: blocks of
   ``block_size`` = 16 tokens; "Maximum concurrency" = tokens / max_model_len).
.. [2] SGLang, ``python/sglang/srt/model_executor/model_runner.py``
   (``profile_max_num_token``).

Examples
--------
>>> import llmsizing as ls
>>> cap = ls.kv_cache_capacity("llama-3.1-8b", "p5.4xlarge", ls.Workload(context_len=131072))
>>> 400_000 < cap.tokens < 500_000, round(cap.max_concurrency, 1) > 3
(True, True)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from llmsizing.attention import kv_bytes_per_layer_token
from llmsizing.catalog import Catalog, Instance
from llmsizing.dtypes import dtype_bits
from llmsizing.engines import EngineProfile, engine_profile
from llmsizing.errors import WorkloadError
from llmsizing.fit import (
    FitResult,
    _instance,
    _usable_bytes,
    _widest_ffn,
    cache_model,
    check_context,
    engine_workload,
    fit,
)
from llmsizing.layout import Layout
from llmsizing.memory import (
    hybrid_block_tokens,
    kv_cache_bytes_per_token,
    state_bytes_per_sequence,
    vllm_cache_memory,
    vllm_kv_cache_groups,
    vllm_request_pages,
)
from llmsizing.model import ModelConfig
from llmsizing.per_rank import activation_per_rank, sequences_per_rank
from llmsizing.presets import as_model
from llmsizing.units import BYTE, GIB_BYTES
from llmsizing.workload import Workload, as_workload

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["KV_BLOCK_TOKENS", "KVCapacity", "kv_cache_capacity"]

#: Tokens per KV block in vLLM's paged cache (``--block-size`` default 16) [1]_.
KV_BLOCK_TOKENS = 16
#: Sequences vLLM V1 schedules at most by default (``max_num_seqs``) [1]_.
DEFAULT_MAX_NUM_SEQS = 256


@dataclass(frozen=True)
class KVCapacity:
    """KV tokens that fit per engine, and the concurrency they allow.

    Attributes
    ----------
    tokens : int
        KV-cache tokens one engine (one attention data-parallel rank group)
        holds, in whole blocks [tokens] — vLLM's "GPU KV cache size". For a
        model whose layers cache in several kinds (sliding and full attention,
        attention and recurrent state) vLLM counts ``num_blocks // groups``
        blocks (:func:`llmsizing.memory.vllm_kv_cache_groups`), which under a
        vLLM profile is the figure given; otherwise the tokens the concurrent
        sequences hold.
    kv_bytes_per_token : float
        KV-cache memory per counted token on one rank [bytes]: the cache layers'
        bytes per token, or under a vLLM profile with several groups the pool's
        ``page / block · g · groups``.
    max_concurrency : float
        Sequences of ``context_len`` tokens the whole replica holds at once [-]
        (vLLM's "Maximum concurrency for N tokens per request", times ``dp``).
    budget, weights, activations, reserve, kv_cache : pint.Quantity
        Per device: the memory budget and what it is spent on [bytes].
    """

    model: str
    instance: str
    layout: Layout
    engine: str
    context_len: int
    tokens: int
    max_concurrency: float
    budget_bytes: float
    weights_bytes: float
    activations_bytes: float
    reserve_bytes: float
    kv_cache_bytes: float
    kv_bytes_per_token: float

    @property
    def budget(self) -> Any:
        """Memory budget per device [bytes]."""
        return self.budget_bytes * BYTE

    @property
    def weights(self) -> Any:
        """Weights per device [bytes]."""
        return self.weights_bytes * BYTE

    @property
    def activations(self) -> Any:
        """Profiled activation peak per device [bytes]."""
        return self.activations_bytes * BYTE

    @property
    def reserve(self) -> Any:
        """Runtime reserve per device [bytes]."""
        return self.reserve_bytes * BYTE

    @property
    def kv_cache(self) -> Any:
        """Memory left for the KV cache per device [bytes]."""
        return self.kv_cache_bytes * BYTE

    def to_dict(self) -> dict[str, Any]:
        """Plain numbers (GiB per device) for JSON."""
        return {
            "model": self.model,
            "instance": self.instance,
            "layout": self.layout.label,
            "engine": self.engine,
            "context_len": self.context_len,
            "kv_cache_tokens": self.tokens,
            "max_concurrency": self.max_concurrency,
            "budget_GiB": self.budget_bytes / GIB_BYTES,
            "weights_GiB": self.weights_bytes / GIB_BYTES,
            "activations_GiB": self.activations_bytes / GIB_BYTES,
            "reserve_GiB": self.reserve_bytes / GIB_BYTES,
            "kv_cache_GiB": self.kv_cache_bytes / GIB_BYTES,
            "kv_bytes_per_token": self.kv_bytes_per_token,
        }

    def to_frame(self) -> pd.DataFrame:
        """The breakdown as a one-column DataFrame."""
        import pandas as pd

        return pd.DataFrame({"value": self.to_dict()})

    def _repr_html_(self) -> str:
        return (
            f"<b>{self.model}</b> on <b>{self.instance}</b> ({self.layout.label}, "
            f"{self.engine}): {self.tokens:,} KV tokens, {self.max_concurrency:,.2f}× "
            f"{self.context_len:,}-token requests" + self.to_frame().to_html()
        )

    def __str__(self) -> str:
        gib = {k: getattr(self, f"{k}_bytes") / GIB_BYTES for k in ("budget", "weights")}
        gib |= {k: getattr(self, f"{k}_bytes") / GIB_BYTES for k in ("activations", "reserve")}
        return (
            f"{self.model} on {self.instance} ({self.layout.label}, {self.engine}): "
            f"KV cache {self.kv_cache_bytes / GIB_BYTES:,.2f} GiB per device = "
            f"{self.tokens:,} tokens; maximum concurrency for {self.context_len:,} tokens per "
            f"request: {self.max_concurrency:,.2f}x (budget {gib['budget']:,.2f} GiB, weights "
            f"{gib['weights']:,.2f}, activations {gib['activations']:,.2f}, reserve "
            f"{gib['reserve']:,.2f})"
        )


def kv_cache_capacity(
    model: Any,
    instance: Instance | str,
    workload: Workload | Mapping[str, Any] | None = None,
    layout: Layout | Mapping[str, int] | str | None = None,
    engine: str | None = "vllm",
    catalog: Catalog | None = None,
) -> KVCapacity:
    """KV tokens that fit and the maximum concurrency at the workload's context.

    Parameters
    ----------
    model : ModelConfig or str
    instance : Instance or str
    workload : Workload or dict, optional
        ``context_len`` is the request length (vLLM ``max_model_len``);
        ``max_batched_tokens`` and ``max_num_seqs`` size the profiling pass.
    layout : Layout, dict or str, optional
        Default: the layout :func:`llmsizing.fit.fit` chooses.
    engine : str or None, default "vllm"
        Engine memory profile (:mod:`llmsizing.engines`: ``"vllm"`` (the current
        release line), a versioned ``"vllm-0.6"`` ... ``"vllm-0.21"``,
        ``"sglang"``, ``"trtllm"``, ``"neuron"``); None: the generic rule
        with the profile run's activation estimate.

    Returns
    -------
    KVCapacity

    Examples
    --------
    >>> import llmsizing as ls
    >>> ls.kv_cache_capacity("deepseek-v3", "p5e.48xlarge", {"weight_dtype": "fp8"},
    ...                      layout="DP8xEP8").layout.label
    'DP8×EP8'
    """
    m = as_model(model)
    if engine is not None and m.cross_attention_tokens > 0:
        # vLLM V0 counts cross-attention layers in its per-token block size and takes their
        # vision tokens' blocks from the same pool per sequence (encoder-decoder cross
        # blocks); V1 releases do not run Mllama
        raise WorkloadError(
            f"engine {engine!r}: how it pools {m.name}'s cross-attention KV of vision tokens "
            "is not modelled; size it with engine=None"
        )
    inst = _instance(instance, catalog)
    w = engine_workload(m, as_workload(workload), engine_profile(engine))
    check_context(m, w)
    probe = w.model_copy(update={"batch": 1})
    r: FitResult = fit(m, inst, probe, catalog=catalog, layout=layout, engine=engine)
    lay = r.layout
    seqs_profile = float(w.max_num_seqs or DEFAULT_MAX_NUM_SEQS)
    if engine is not None or w.activation_workspace_GiB is not None:
        act = r.activations_bytes  # the engine's profiled peak, or the one given
    else:
        # the generic rule at the profile run: a full batch of tokens, max_num_seqs sampled
        seqs = float(min(seqs_profile, w.max_batched_tokens))
        act = float(
            activation_per_rank(
                w.max_batched_tokens, seqs, m.hidden_size, _widest_ffn(m), m.vocab_size, lay.tp
            )
        )
    free = r.available_bytes - r.weights_bytes - act - r.runtime_reserve_bytes
    per_seq = r.kv_cache_bytes / float(sequences_per_rank(1, lay.dp))  # one sequence, one rank
    # the engine counts a token in every layer's cache, windowed or not (vLLM's hybrid
    # allocator gives all layers pages of one size), while a sequence's cache caps
    # windowed layers at their window
    kv_m = cache_model(m, engine_profile(engine))  # the layout the engine caches
    share = r.kv_heads_per_rank / (kv_m.num_kv_heads if kv_m.mla is None else 1)
    layer_share = math.ceil(m.num_layers / lay.pp) / m.num_layers
    per_token = (
        float(kv_cache_bytes_per_token(kv_m, w.kv_dtype).to(BYTE).magnitude) * share * layer_share
    )
    # cross-attention layers keep a fixed K and V of vision tokens per sequence (counted in
    # per_seq), not a recurrent state in vLLM's hybrid pages
    cross = m.cross_attention_tokens > 0
    hybrid = not cross and float(state_bytes_per_sequence(m).to(BYTE).magnitude) > 0
    prof = engine_profile(engine)
    vllm = prof is not None and prof.name.startswith("vllm")
    g, n_groups = vllm_kv_cache_groups(kv_m, math.ceil(m.num_layers / lay.pp))
    block = max(hybrid_block_tokens(m, w.kv_dtype, tp=lay.tp), 1) if hybrid else KV_BLOCK_TOKENS
    if hybrid and free > 0:
        # vLLM's hybrid allocator: attention layers in pages of hybrid_block_tokens, each
        # state layer one page of the same size per sequence (vllm_cache_memory); a
        # sequence then takes what vllm_cache_memory gives on one rank, and the tokens
        # counted are those the concurrent sequences hold
        # prefix caching keeps a second state page per state layer (mamba_cache_mode align)
        pages = 2 if w.prefix_caching else 1
        cache = vllm_cache_memory(m, w.context_len, 1, w.kv_dtype, tp=lay.tp, state_pages=pages)
        per_seq = float(cache.to(BYTE).magnitude) * layer_share
        conc = free / per_seq * lay.dp
        tokens = int(free / per_seq * w.context_len) // block * block
    elif free <= 0 or per_token <= 0:
        tokens, conc = 0, 0.0
    elif cross:
        # a sequence takes its text tokens' KV and its vision tokens' fixed K and V: the
        # tokens counted are those the concurrent sequences hold
        conc = free / per_seq * lay.dp
        tokens = int(free / per_seq * w.context_len) // KV_BLOCK_TOKENS * KV_BLOCK_TOKENS
    else:
        blocks = math.floor(free / per_token / KV_BLOCK_TOKENS)
        tokens = blocks * KV_BLOCK_TOKENS
        conc = free / per_seq * lay.dp
    if vllm and n_groups > 1 and free > 0:
        # vLLM's count for layers of several kinds: g tensors of num_blocks pages, each page
        # one layer of every group, and num_blocks // groups blocks reported
        # (kv_cache_utils: get_num_blocks, _report_kv_cache_config)
        bits = dtype_bits(w.kv_dtype)
        layer_bytes = kv_bytes_per_layer_token(kv_m, bits)
        page = block * float(layer_bytes.max()) * share
        num_blocks = math.floor(free / page / g)
        tokens = num_blocks // n_groups * block
        per_token = page / block * g * n_groups
        if prof is not None and prof.tokens_from_concurrency:
            # 0.20+: max_concurrency x max_model_len, a request's pages summed over groups
            stage = math.ceil(m.num_layers / lay.pp)
            pages = vllm_request_pages(
                kv_m,
                w.context_len,
                _batched_tokens(prof, inst, w, m),
                block,
                bits,
                stage,
                state_pages=2 if w.prefix_caching else 1,
            )
            conc = num_blocks / pages * lay.dp
            tokens = int(num_blocks / pages * w.context_len)
            per_token = page * g * pages / w.context_len
    return KVCapacity(
        model=m.name,
        instance=inst.name,
        layout=lay,
        engine=r.engine,
        context_len=w.context_len,
        tokens=int(tokens),
        max_concurrency=float(conc),
        budget_bytes=r.available_bytes,
        weights_bytes=r.weights_bytes,
        activations_bytes=act,
        reserve_bytes=r.runtime_reserve_bytes,
        kv_cache_bytes=max(free, 0.0),
        kv_bytes_per_token=per_token,
    )


def _batched_tokens(prof: EngineProfile, inst: Instance, w: Workload, m: ModelConfig) -> int:
    """``max_num_batched_tokens`` of the launch: the workload's, else the engine's default."""
    if "max_batched_tokens" in w.model_fields_set:
        return w.max_batched_tokens
    device_GiB = _usable_bytes(inst) / GIB_BYTES
    return prof.default_batched_tokens(
        device_GiB,
        w.context_len,
        inst.accelerator,
        sliding_window=m.sliding_window is not None,
        multimodal=m.vision is not None,
    )
