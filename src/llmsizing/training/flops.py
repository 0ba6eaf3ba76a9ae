"""Training FLOPs and time: what a run computes and how long a cluster takes.

:func:`training_flops_per_token` is ``6 N + 6 n_layer n_ctx d_attn`` per token
[1]_; :func:`training_time` divides the total by the cluster's dense peak
(:func:`cluster_peak_flops`) × MFU; :func:`implied_mfu` runs the same relation
backwards from a published device-time.

References
----------
.. [1] J. Kaplan et al., "Scaling Laws for Neural Language Models",
   arXiv:2001.08361, 2020 (Table 1: C_forward = 2N + 2 n_layer n_ctx d_attn).
.. [2] Llama Team, AI @ Meta, "The Llama 3 Herd of Models", arXiv:2407.21783,
   2024 (section 3.3.2, Table 4: 38-43% BF16 MFU on up to 16,384 H100;
   section 3.4.1: 16M-token batches of 8,192-token sequences).
.. [3] DeepSeek-AI, "DeepSeek-V3 Technical Report", arXiv:2412.19437, 2024
   (section 2.2: multi-token prediction, the MTP modules sharing the output head;
   section 3.3: FP8 GEMMs with master weights, gradients and optimizer states
   kept in higher precision; Table 1: 2,664K H800 GPU-hours of pre-training).

Examples
--------
>>> import llmsizing as ls
>>> f = training_flops("llama-3.1-8b", 15e12)
>>> f"{f.to('FLOP').magnitude:.2e}"
'7.72e+23'
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from llmsizing.catalog import Instance
from llmsizing.errors import WorkloadError
from llmsizing.memory import layer_windows
from llmsizing.model import ModelConfig
from llmsizing.presets import load_model
from llmsizing.training.memory import stage_parameters
from llmsizing.units import ureg

__all__ = [
    "cluster_peak_flops",
    "implied_mfu",
    "matmul_params_per_token",
    "training_flops",
    "training_flops_per_token",
    "training_time",
]


def matmul_params_per_token(model: ModelConfig) -> int:
    """Parameters one token's forward pass multiplies with [-].

    ``active_excluding_embedding`` (the input embedding is a lookup; tied
    embeddings stay, since the head multiplies with them) plus each
    multi-token-prediction module's active parameters and one more pass
    through the shared output head (DeepSeek-V3 trains with one MTP module [3]_).

    Examples
    --------
    >>> import llmsizing as ls
    >>> matmul_params_per_token(ls.load_model("llama-3.1-8b"))
    7504924672
    """
    pc = model.param_counts()
    n = pc.active_excluding_embedding
    if model.mtp_layers:
        p = stage_parameters(model)
        frac = model.moe.experts_per_token / model.moe.n_routed_experts if model.moe else 1.0
        n += p.extra_dense + int(p.extra_routed * frac) + model.mtp_layers * pc.lm_head
    return n


def _attention_width(model: ModelConfig) -> float:
    if model.mla is not None:
        m = model.mla
        d_qk, d_v = m.qk_nope_head_dim + m.qk_rope_head_dim, m.v_head_dim
    else:
        d_qk, d_v = model.head_dim, model.v_head_dim or model.head_dim
    return model.num_heads * (d_qk + d_v) / 2


def training_flops_per_token(model: ModelConfig, seq_length: int) -> Any:
    """Training FLOPs per token: forward + backward = 3 × forward [FLOP/token].

    .. math:: C = 6 N + 6 \\sum_l \\min(n_{ctx}, W_l) \\, d_{attn}

    Kaplan et al.'s ``6N + 6·n_layer·n_ctx·d_attn`` [1]_ with N from
    :func:`matmul_params_per_token` (active parameters for MoE), n_ctx the
    sequence length, W_l a sliding-window or chunked layer's span, and
    d_attn = heads · (d_qk + d_v) / 2 (the query/key and value widths of the
    two attention matmuls; heads · head_dim for plain attention). MTP modules
    add one layer's attention term each.

    Examples
    --------
    >>> import llmsizing as ls
    >>> f = training_flops_per_token(ls.load_model("llama-3.1-405b"), 8192)
    >>> f"{f.to('TFLOP/token').magnitude:.3f}"
    '2.524'
    """
    if seq_length <= 0:
        raise WorkloadError(f"seq_length must be positive, got {seq_length}")
    n = matmul_params_per_token(model)
    span = np.minimum(float(seq_length), layer_windows(model))
    attn = float(span.sum()) + model.mtp_layers * float(span[-1])
    return (6.0 * n + 6.0 * attn * _attention_width(model)) * ureg.FLOP / ureg.token


def training_flops(model: ModelConfig | str, tokens: float, seq_length: int = 8192) -> Any:
    """Total training FLOPs for ``tokens`` tokens [FLOP].

    .. math:: C_{total} = D \\cdot C_{token}

    See :func:`training_flops_per_token`; ``seq_length`` defaults to 8,192,
    Llama 3's pre-training length [2]_.

    Examples
    --------
    >>> import llmsizing as ls
    >>> f"{training_flops('llama-3.1-405b', 15.6e12).to('FLOP').magnitude:.3g}"
    '3.94e+25'
    """
    m = load_model(model) if isinstance(model, str) else model
    if not (math.isfinite(tokens) and tokens > 0):
        raise WorkloadError(f"tokens must be positive, got {tokens}")
    return (training_flops_per_token(m, seq_length) * tokens * ureg.token).to("FLOP")


def cluster_peak_flops(instance: Instance, instances: int, dtype: str = "bf16") -> Any:
    """Dense peak of ``instances`` instances in ``dtype`` [TFLOPS].

    Raises
    ------
    WorkloadError
        If the accelerator has no dense peak in that dtype (e.g. FP8 on A100).

    Examples
    --------
    >>> from llmsizing.catalog import load_catalog
    >>> f"{cluster_peak_flops(load_catalog().get('p5.48xlarge'), 2):~P}"
    '15824.0 TFLOPS'
    """
    per = instance.dense_flops(dtype)
    if per is None:
        raise WorkloadError(
            f"{instance.name} ({instance.accelerator}) has no dense {dtype} peak in the catalog; "
            "choose a recipe it supports (e.g. bf16-adamw)"
        )
    return (per * instance.accelerator_count * instances).to("TFLOPS")


def training_time(flops: Any, peak_flops: Any, mfu: float = 0.40) -> Any:
    """Wall-clock training time [day].

    .. math:: T = \\frac{C}{P \\cdot \\mathrm{MFU}}

    with C the training FLOPs and P the cluster's dense peak; ``mfu``
    defaults to 0.40 (Llama 3 405B: 38-43% BF16 MFU [2]_, Table 4).

    Examples
    --------
    >>> t = training_time(ureg.Quantity(3.8e25, "FLOP"), ureg.Quantity(16384 * 989, "TFLOPS"), 0.41)
    >>> round(float(t.magnitude), 1)
    66.2
    """
    if not 0 < mfu <= 1:
        raise WorkloadError(f"mfu must be in (0, 1], got {mfu}")
    return (flops / (peak_flops * mfu)).to("day")


def implied_mfu(flops: Any, device_time: Any, peak_flops_per_device: Any) -> float:
    """MFU a training run implies: FLOPs over device-time × per-device peak [-].

    .. math:: \\mathrm{MFU} = \\frac{C}{t_{dev} \\cdot P_{dev}}

    with t_dev the device-time (devices × wall-clock, e.g. GPU-hours).

    Examples
    --------
    >>> round(implied_mfu(ureg.Quantity(3.8e25, "FLOP"), ureg.Quantity(30.84e6, "hour"),
    ...     ureg.Quantity(989, "TFLOPS")), 3)
    0.346
    """
    return float((flops / (device_time * peak_flops_per_device)).to("").magnitude)
