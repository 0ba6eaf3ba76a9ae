"""Roofline throughput, latency and cost per token.

Each phase is bounded by the slower of its compute and its memory traffic
[1]_:

* **prefill** is compute-bound: ``2 · N_active · T`` FLOPs for the matrix
  multiplies [2]_ plus the causal attention FLOPs at the prompt length, over
  the devices' peak dense FLOPs for the compute dtype × MFU;
* **decode** is memory-bound: every step reads the active weights (for an MoE
  layer, the distinct experts a batch of B tokens touches,
  ``E · (1 − (1 − k/E)^B)`` of the E routed experts [3]_) and every
  sequence's KV cache, over the aggregate memory bandwidth × bandwidth
  utilisation; the compute bound applies too, whichever is slower;
* tensor parallelism adds two all-reduces of the hidden state per layer,
  ring-style: ``2 (tp − 1) / tp · bytes`` over the per-device interconnect.

Efficiency factors are explicit parameters with documented defaults.

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

Examples
--------
>>> import llmsizing as ls
>>> est = ls.estimate_performance("llama-3.1-8b", "p5.4xlarge", ls.Workload(prompt_len=1024,
...                               output_len=256, batch=1))
>>> est.bound
'memory'
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from llmsizing.catalog import Catalog, Instance, load_catalog
from llmsizing.errors import WorkloadError
from llmsizing.fit import FitResult, Workload, fit, ranks_per_device
from llmsizing.memory import (
    kv_cache_memory,
    layer_windows,
    resolve_weight_policy,
    weight_memory_by_component,
)
from llmsizing.model import ModelConfig
from llmsizing.presets import load_model
from llmsizing.units import BYTE, ureg

__all__ = [
    "DEFAULT_BANDWIDTH_UTILIZATION",
    "DEFAULT_MFU",
    "PerfEstimate",
    "allreduce_time",
    "attention_flops_prefill",
    "compute_dtype",
    "decode_bytes_per_step",
    "decode_flops_per_token",
    "estimate_performance",
    "expected_experts_touched",
    "prefill_flops",
    "usd_per_million_tokens",
]

#: Model-FLOPs utilisation of prefill; Llama 3 reports 38–43% BF16 MFU [5]_.
DEFAULT_MFU = 0.4
#: Fraction of peak memory bandwidth decode sustains (MBU, 60–80% [4]_).
DEFAULT_BANDWIDTH_UTILIZATION = 0.7
#: Fraction of peak interconnect bandwidth an all-reduce achieves (NCCL bus
#: bandwidth on NVLink is typically ~80% of the link peak; nccl-tests docs).
DEFAULT_INTERCONNECT_UTILIZATION = 0.8


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


def _held_sum(window: float, t: int) -> float:
    """Σ_{i=1..t} min(i, W): key positions attended over a causal prompt."""
    if t <= window:
        return t * (t + 1) / 2
    return window * (window + 1) / 2 + (t - window) * window


def _attn_dims(m: ModelConfig) -> tuple[int, int]:
    if m.mla is not None:
        return m.mla.qk_nope_head_dim + m.mla.qk_rope_head_dim, m.mla.v_head_dim
    return m.head_dim, m.v_head_dim or m.head_dim


def attention_flops_prefill(model: ModelConfig, prompt_tokens: int) -> Any:
    """Causal attention FLOPs of one prompt (QKᵀ and AV) [FLOP].

    .. math:: \\sum_l 2 \\, n_h (d_k + d_v) \\sum_{i=1}^{T} \\min(i, W_l)

    Examples
    --------
    >>> import llmsizing as ls
    >>> m = ls.load_model("llama-3.1-8b")
    >>> attention_flops_prefill(m, 1).magnitude == 32 * 2 * 32 * 256
    True
    """
    dk, dv = _attn_dims(model)
    per_pos = 2 * model.num_heads * (dk + dv)
    total = sum(per_pos * _held_sum(w, prompt_tokens) for w in layer_windows(model))
    return total * ureg.FLOP


def _flop_params(model: ModelConfig) -> int:
    # matmul parameters: the embedding lookup does no multiply; the head does
    return model.param_counts().active_excluding_embedding


def prefill_flops(model: ModelConfig, prompt_tokens: int, batch: int = 1) -> Any:
    """FLOPs to prefill ``batch`` prompts of ``prompt_tokens`` tokens [FLOP].

    .. math:: B \\left(2 N_{active} T + F_{attn}(T)\\right)

    N_active excludes the input embedding (a lookup).
    """
    dense = 2 * _flop_params(model) * prompt_tokens
    return batch * (dense * ureg.FLOP + attention_flops_prefill(model, prompt_tokens))


def decode_flops_per_token(model: ModelConfig, context_len: int) -> Any:
    """FLOPs to generate one token at ``context_len`` [FLOP].

    ``2 N_active`` plus attention over the held context of each layer
    (``2 n_h (d_k + d_v) min(T, W_l)``; MLA in its absorbed latent form,
    ``2 n_h (2 d_c + d_R)``).
    """
    if model.mla is not None:
        a = model.mla
        per_pos = 2 * model.num_heads * (2 * a.kv_lora_rank + a.qk_rope_head_dim)
    else:
        dk, dv = _attn_dims(model)
        per_pos = 2 * model.num_heads * (dk + dv)
    held = np.minimum(context_len, layer_windows(model)).sum()
    return (2 * _flop_params(model) + per_pos * held) * ureg.FLOP


def decode_bytes_per_step(model: ModelConfig, workload: Workload) -> Any:
    """Bytes read from memory for one decode step of the whole batch [bytes].

    Non-expert weights once, the routed experts the batch touches
    (:func:`expected_experts_touched`), and every sequence's KV cache. An
    untied input embedding is a lookup: only one row per sequence is read.
    """
    parts = weight_memory_by_component(model, workload.weight_dtype)
    routed = parts.pop("routed_experts")
    parts.pop("extra")
    if not model.tie_word_embeddings:
        table = parts.pop("embedding")
        parts["embedding"] = table * min(1.0, workload.batch / model.vocab_size)
    weights = sum(parts.values(), 0 * BYTE)
    if model.moe is not None and routed.magnitude:
        e = model.moe
        frac = expected_experts_touched(e.n_routed_experts, e.experts_per_token, workload.batch)
        weights = weights + routed * float(frac) / e.n_routed_experts
    kv = kv_cache_memory(model, workload.context_len, workload.batch, workload.kv_dtype)
    return (weights + kv).to(BYTE)


def compute_dtype(weight_dtype: Any, inst: Instance) -> str:
    """The dtype matrix multiplies run in: fp8 for fp8 weights where supported, else bf16.

    Weight-only formats (int8, int4, mxfp4 on hardware without FP4 units)
    dequantise to bf16 before the multiply.
    """
    name = weight_dtype if isinstance(weight_dtype, str) else "bf16"
    if name == "fp8" and inst.dense_flops("fp8") is not None:
        return "fp8"
    if name in ("mxfp4", "nvfp4") and inst.dense_flops("fp4") is not None:
        return "fp4"
    return "bf16"


def allreduce_time(nbytes: float, tp: int, link: Any, utilization: float) -> Any:
    """Ring all-reduce time of ``nbytes`` over ``tp`` ranks [s].

    .. math:: t = 2 \\frac{tp - 1}{tp} \\frac{bytes}{u \\cdot BW_{link}}
    """
    if tp <= 1 or link is None:
        return 0 * ureg.s
    return (2 * (tp - 1) / tp * nbytes * BYTE / (link * utilization)).to("s")


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


class PerfEstimate(BaseModel):
    """Roofline performance and cost of a model serving a workload on an instance."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    model: str
    instance: str
    workload: Workload
    tp: int
    instances: int
    replicas: int
    ttft: Any
    tpot: Any
    tokens_per_s: Any
    prefill_tokens_per_s: Any
    bound: str
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
            "tp": self.tp,
            "instances": self.instances,
            "replicas": self.replicas,
            "batch": self.workload.batch,
            "context": self.workload.context_len,
            "ttft_s": float(self.ttft.to("s").magnitude),
            "tpot_ms": float(self.tpot.to("s").magnitude) * 1e3,
            "output_tokens_per_s": float(self.tokens_per_s.magnitude),
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
            f"{self.model} on {self.instances} × {self.instance} (TP {self.tp}, {self.replicas} "
            f"replica(s)), batch {d['batch']} at {d['context']:,} tokens: "
            f"TTFT {d['ttft_s']:.3f} s, "
            f"TPOT {d['tpot_ms']:.1f} ms ({self.bound}-bound), {d['output_tokens_per_s']:,.0f} "
            f"output tokens/s; {cost}."
        )


def estimate_performance(
    model: ModelConfig | str,
    instance: Instance | str,
    workload: Workload | None = None,
    *,
    mfu: float = DEFAULT_MFU,
    bandwidth_utilization: float = DEFAULT_BANDWIDTH_UTILIZATION,
    interconnect_utilization: float = DEFAULT_INTERCONNECT_UTILIZATION,
    usd_per_hour: float | None = None,
    catalog: Catalog | None = None,
) -> PerfEstimate:
    """Roofline TTFT, TPOT, throughput and USD per 1M tokens.

    The layout is the one :func:`llmsizing.fit` chooses (smallest TP that fits;
    pipeline stages over several instances if one is not enough). Devices not
    needed by one replica serve further replicas. ``usd_per_hour`` overrides the
    catalog price (negotiated rates).

    Examples
    --------
    >>> import llmsizing as ls
    >>> est = ls.estimate_performance("llama-3.1-70b", "p5.48xlarge", ls.Workload(batch=32))
    >>> est.tokens_per_s.units
    <Unit('token / second')>
    """
    for k, v in (
        ("mfu", mfu),
        ("bandwidth_utilization", bandwidth_utilization),
        ("interconnect_utilization", interconnect_utilization),
    ):
        if not 0 < v <= 1:  # also rejects NaN
            raise WorkloadError(f"{k} must be in (0, 1], got {v!r}")
    if usd_per_hour is not None and not (math.isfinite(usd_per_hour) and usd_per_hour >= 0):
        raise WorkloadError(f"usd_per_hour must be a finite price >= 0, got {usd_per_hour!r}")
    cat = catalog or load_catalog()
    m = load_model(model) if isinstance(model, str) else model
    inst = cat.get(instance) if isinstance(instance, str) else instance
    w = workload or Workload()
    r: FitResult = fit(m, inst, w, catalog=cat)
    n_inst = 1 if r.fits else (r.instances_needed or 1)
    tp = r.tp
    per = ranks_per_device(inst)
    devices = max(1, math.ceil(tp / per))
    # a layout smaller than one device (TP 1 on a 2-core Inferentia2 chip) gets the
    # whole device's memory in fit, so replicas are counted per device
    replicas = max(1, inst.accelerator_count * per // max(tp, per)) if r.fits else 1
    cdt = compute_dtype(w.weight_dtype, inst)
    peak = inst.dense_flops(cdt) or inst.dense_flops("bf16")
    # pipeline stages run one after another: a token's latency sees one
    # instance's devices at a time, over all the model's bytes and FLOPs
    flops = (peak * devices * mfu).to("FLOPS")
    bw = (inst.memory_bandwidth * devices * bandwidth_utilization).to("byte/s")
    link = inst.interconnect_bandwidth
    h_bytes = m.hidden_size * 2

    # prefill of one prompt (time to first token) and prefill throughput
    p_flops = prefill_flops(m, w.prompt_tokens, 1)
    # a prompt's tokens are routed independently: they touch experts like a batch
    weights_read = decode_bytes_per_step(
        m, w.model_copy(update={"batch": w.prompt_tokens, "context_len": 1})
    )
    comm_prefill = (
        2
        * m.num_layers
        * allreduce_time(w.prompt_tokens * h_bytes, tp, link, interconnect_utilization)
    )
    ttft = max((p_flops / flops).to("s"), (weights_read / bw).to("s")) + comm_prefill
    prefill_tps = (w.prompt_tokens * ureg.token / ttft).to("token/s") * replicas

    # decode step of the whole batch
    step_bytes = decode_bytes_per_step(m, w)
    if m.mla is not None and tp > 1:
        # the latent cache is replicated: every rank reads all of it
        kv = kv_cache_memory(m, w.context_len, w.batch, w.kv_dtype).to(BYTE)
        step_bytes = step_bytes + kv * (tp - 1)
    step_flops = w.batch * decode_flops_per_token(m, w.context_len)
    t_mem = (step_bytes / bw).to("s")
    t_cmp = (step_flops / flops).to("s")
    comm = 2 * m.num_layers * allreduce_time(w.batch * h_bytes, tp, link, interconnect_utilization)
    tpot = max(t_mem, t_cmp) + comm
    tps = (w.batch * ureg.token / tpot).to("token/s") * replicas

    price = usd_per_hour if usd_per_hour is not None else cat.hourly_price(inst.name)
    if price is not None:
        total_price = price * n_inst
        out_cost = usd_per_million_tokens(total_price, tps)
        in_cost = usd_per_million_tokens(total_price, prefill_tps)
        note = (
            f"us-east-1 on-demand ${price:,.2f}/h per instance"
            if usd_per_hour is None
            else "user price"
        )
    else:
        total_price, out_cost, in_cost = None, None, None
        note = f"no public on-demand price for {inst.name}"
    return PerfEstimate(
        model=m.name,
        instance=inst.name,
        workload=w,
        tp=tp,
        instances=n_inst,
        replicas=replicas,
        ttft=ttft,
        tpot=tpot.to("ms"),
        tokens_per_s=tps,
        prefill_tokens_per_s=prefill_tps,
        bound="memory" if t_mem >= t_cmp else "compute",
        decode_bytes_per_step=step_bytes,
        decode_flops_per_step=step_flops,
        usd_per_hour=total_price,
        usd_per_million_output_tokens=out_cost,
        usd_per_million_input_tokens=in_cost,
        price_note=note,
        assumptions={
            "mfu": mfu,
            "bandwidth_utilization": bandwidth_utilization,
            "interconnect_utilization": interconnect_utilization,
            "compute_dtype": cdt,
            "weights": resolve_weight_policy(w.weight_dtype, m).label(),
            "kv_dtype": str(w.kv_dtype),
        },
    )
