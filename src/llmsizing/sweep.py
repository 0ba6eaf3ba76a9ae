"""Vectorized fit sweeps: every combination of models, instances and workloads at once.

:func:`sweep` evaluates the accounting of :func:`llmsizing.fit` (weights,
KV cache, activation workspace and runtime reserve per device, the smallest
tensor-parallel degree that fits) for the Cartesian product of its arguments
and returns a tidy :class:`pandas.DataFrame` with one row per combination.

The arithmetic is broadcast with numpy rather than looped per row. For each
(model, instance, weight dtype) the per-device weight bytes of every TP degree
the engine accepts are scalars (cached by :func:`llmsizing.fit.weights_per_device`);
the KV-cache and activation bytes are arrays over kv dtypes × contexts ×
batches, evaluated once per TP degree. The chosen degree is the smallest one
whose requirement fits the per-device budget, or the largest one when none
does, exactly as :func:`~llmsizing.fit.fit` chooses it; every number matches
``fit(...)`` for the same row.

Pipeline stages across instances (``FitResult.instances_needed``) are not
swept; call :func:`~llmsizing.fit.fit` for the rows that need them.

Examples
--------
>>> from llmsizing.sweep import sweep
>>> df = sweep(["llama-3.1-8b"], ["g6e.xlarge", "p5.48xlarge"], contexts=[8192, 131072],
...            batches=[1, 16], weight_dtypes=["bf16"], kv_dtypes=["bf16", "fp8"])
>>> len(df)
16
>>> df[["instance", "context_len", "batch", "kv_dtype", "tp", "fits"]].head(4)
     instance  context_len  batch kv_dtype  tp   fits
0  g6e.xlarge         8192      1     bf16   1   True
1  g6e.xlarge         8192     16     bf16   1   True
2  g6e.xlarge       131072      1     bf16   1   True
3  g6e.xlarge       131072     16     bf16   1  False
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel

from llmsizing.catalog import Catalog, Instance, load_catalog
from llmsizing.errors import WorkloadError
from llmsizing.fit import (
    PER_RANK_FIELDS,
    Workload,
    kv_heads_per_rank,
    parallel_layouts,
    ranks_per_device,
    weights_per_device,
)
from llmsizing.memory import (
    WeightPolicy,
    dtype_bits,
    kv_cache_elements_per_token,
    kv_tokens_held,
    layer_windows,
    resolve_weight_policy,
)
from llmsizing.model import ModelConfig
from llmsizing.presets import load_model
from llmsizing.units import ureg

__all__ = ["SWEEP_COLUMNS", "kv_cache_elements", "sweep"]

#: Columns of :func:`sweep`'s DataFrame, in order; ``*_GiB`` are per device
#: (the most loaded TP rank) except ``weights_total_GiB`` and ``kv_cache_total_GiB``.
SWEEP_COLUMNS: tuple[str, ...] = (
    "model",
    "instance",
    "weight_dtype",
    "kv_dtype",
    "context_len",
    "batch",
    "valid",
    "fits",
    "tp",
    "devices_used",
    *(f"{k}_GiB" for k in PER_RANK_FIELDS),
    "weights_total_GiB",
    "kv_cache_total_GiB",
)

_GIB = float(ureg.Quantity(1, "GiB").to("byte").magnitude)


def kv_cache_elements(model: ModelConfig, contexts: Any) -> Any:
    """KV-cache elements of one sequence, summed over layers, per context length [-].

    .. math:: E(T) = \\sum_l e_l \\, \\min(T, W_l)

    the sum inside :func:`llmsizing.memory.kv_cache_memory` (bytes are
    ``B · E(T) · bits / 8``), evaluated for an array of contexts at once.

    Parameters
    ----------
    model : ModelConfig
    contexts : array_like of int
        Context lengths [tokens].

    Returns
    -------
    numpy.ndarray
        Elements per context [-], float64 (integer-valued), shape of ``contexts``.

    Examples
    --------
    >>> import llmsizing as ls
    >>> kv_cache_elements(ls.load_model("llama-3.1-8b"), [1, 1024]).tolist()
    [65536.0, 67108864.0]
    """
    ctx = np.asarray(contexts, dtype=float)
    held = kv_tokens_held(ctx[..., None], layer_windows(model))  # (..., layers)
    return (held * kv_cache_elements_per_token(model)).sum(axis=-1)


def _as_list(values: Any, what: str) -> list[Any]:
    scalar = isinstance(values, str | BaseModel | Instance) or not isinstance(values, Iterable)
    if isinstance(values, np.ndarray) and values.ndim == 0:
        scalar = True
    out = [values] if scalar else list(values)
    if not out:
        raise WorkloadError(f"{what} must not be empty")
    return out


#: Largest context or batch accepted [-], the bound :class:`~llmsizing.fit.Workload` sets.
_LIMIT = 10**12


def _positive_ints(values: Iterable[Any], what: str) -> np.ndarray:
    out = []
    for v in values:
        try:
            f = float(v)
        except (TypeError, ValueError):
            raise WorkloadError(f"{what} must be whole numbers >= 1, got {v!r}") from None
        if not (math.isfinite(f) and 1 <= f <= _LIMIT and f.is_integer()):
            raise WorkloadError(f"{what} must be whole numbers in [1, {_LIMIT:.0e}], got {v!r}")
        out.append(int(f))
    return np.asarray(out, dtype=np.int64)


def _dtype_label(d: str | WeightPolicy) -> str:
    return d if isinstance(d, str) else d.label()


def _group(
    m: ModelConfig,
    inst: Instance,
    policy: WeightPolicy,
    kv_full: np.ndarray,
    tokens: np.ndarray,
    batch: np.ndarray,
    w: Workload,
    reserve_bytes: float,
    usable_bytes: float,
) -> dict[str, np.ndarray]:
    """Columns of one (model, instance, weight dtype) block of rows, raveled from (kv, ctx, batch).

    Mirrors ``llmsizing.fit._shard`` term by term and in the same order of
    floating-point operations, then chooses the TP degree as ``fit`` does.
    """
    per = ranks_per_device(inst)
    padded = inst.is_neuron
    degrees = parallel_layouts(m, inst)
    kv_div = m.num_kv_heads if m.mla is None else 1
    inter = m.intermediate_size
    if m.moe is not None:
        inter = max(inter, m.moe.experts_per_token * m.moe.expert_intermediate_size)
    h = m.hidden_size

    # per-degree scalars [bytes or -], one entry per accepted TP degree
    tp = np.asarray(degrees, dtype=np.int64)
    weights = np.asarray(
        [weights_per_device(m, policy, d, 1, padded_heads=padded).magnitude for d in degrees],
        dtype=float,
    )
    share = np.asarray([kv_heads_per_rank(m, d, padded=padded) / kv_div for d in degrees])
    width = np.asarray([4 * h + 2 * inter / d for d in degrees])
    on_device = np.minimum(per, tp)
    reserve = np.asarray([reserve_bytes * (1 / r) for r in on_device.tolist()])
    available = np.asarray([usable_bytes * w.memory_utilization / r for r in on_device.tolist()])
    fixed_act = (
        None
        if w.activation_workspace_GiB is None
        else float((w.activation_workspace_GiB * ureg.GiB).to("byte").magnitude)
    )
    # (batch,): exact while below 2**53, as fit's integer product is
    logits_num = batch.astype(float) * (m.vocab_size * 4)

    def act_at(j: Any) -> Any:
        if fixed_act is not None:
            return fixed_act
        return tokens * width[j] * 2 + logits_num / tp[j]

    shape = kv_full.shape
    chosen = np.full(shape, -1, dtype=np.int64)
    for j in range(len(degrees)):
        # x 1.0: the layer share of a single pipeline stage, as fit multiplies it
        required = weights[j] + kv_full * share[j] * 1.0 + act_at(j) + reserve[j]
        chosen[(required <= available[j]) & (chosen < 0)] = j
        if chosen.min() >= 0:
            break
    fits = chosen >= 0
    chosen[~fits] = len(degrees) - 1

    # the numbers at each row's chosen degree, with the same arithmetic as above
    weights_o = weights[chosen]
    kv_o = kv_full * share[chosen] * 1.0
    if fixed_act is None:
        act_o = tokens * width[chosen] * 2 + logits_num / tp[chosen]
    else:
        act_o = np.full(shape, fixed_act)
    reserve_o = reserve[chosen]
    avail_o = available[chosen]
    required_o = weights_o + kv_o + act_o + reserve_o
    tp_o = tp[chosen]

    total = float(weights_per_device(m, policy, 1, 1).magnitude)
    return {
        "fits": fits.ravel(),
        "tp": tp_o.ravel(),
        "devices_used": np.maximum(1, -(-tp_o // per)).ravel(),
        "weights_GiB": (weights_o / _GIB).ravel(),
        "kv_cache_GiB": (kv_o / _GIB).ravel(),
        "activations_GiB": (act_o / _GIB).ravel(),
        "runtime_reserve_GiB": (reserve_o / _GIB).ravel(),
        "required_GiB": (required_o / _GIB).ravel(),
        "available_GiB": (avail_o / _GIB).ravel(),
        "headroom_GiB": ((avail_o - required_o) / _GIB).ravel(),
        "weights_total_GiB": np.full(kv_full.size, total / _GIB),
        "kv_cache_total_GiB": (kv_full / _GIB).ravel(),
    }


def sweep(
    models: Iterable[ModelConfig | str] | ModelConfig | str,
    instances: Iterable[Instance | str] | Instance | str,
    contexts: Iterable[int] | int | None = None,
    batches: Iterable[int] | int | None = None,
    weight_dtypes: Iterable[str | WeightPolicy] | str | None = None,
    kv_dtypes: Iterable[str | float] | str | None = None,
    workload: Workload | None = None,
    catalog: Catalog | None = None,
) -> pd.DataFrame:
    """Fit every combination of models, instances, contexts, batches and dtypes.

    Parameters
    ----------
    models : ModelConfig, str or iterable of them
        Models or preset names.
    instances : Instance, str or iterable of them
        Instances or catalog names.
    contexts : int or iterable of int, optional
        Tokens per sequence [tokens]; default: ``workload.context_len``.
    batches : int or iterable of int, optional
        Concurrent sequences [-]; default: ``workload.batch``.
    weight_dtypes : str, WeightPolicy or iterable of them, optional
        Weight formats (see :func:`~llmsizing.memory.resolve_weight_policy`);
        default: ``workload.weight_dtype``.
    kv_dtypes : str, float or iterable of them, optional
        KV-cache dtypes or bit widths; default: ``workload.kv_dtype``.
    workload : Workload, optional
        Budget settings shared by all rows (``memory_utilization``,
        ``runtime_reserve_GiB``, ``max_batched_tokens``,
        ``activation_workspace_GiB``) and the defaults above.
    catalog : Catalog, optional
        Catalog to resolve instance names in (default: the shipped one).

    Returns
    -------
    pandas.DataFrame
        One row per combination, in the order of
        ``itertools.product(models, instances, weight_dtypes, kv_dtypes, contexts, batches)``,
        with the columns :data:`SWEEP_COLUMNS`:

        ``model``, ``instance``, ``weight_dtype``, ``kv_dtype`` (categorical),
        ``context_len`` [tokens], ``batch`` [-];
        ``valid`` (False where the context exceeds the model's
        ``max_position_embeddings``: such rows have ``fits`` False, ``tp``
        and ``devices_used`` <NA> and NaN in every ``*_GiB`` column, where
        :func:`~llmsizing.fit.fit` would raise :class:`~llmsizing.errors.WorkloadError`);
        ``fits``, ``tp`` (chosen tensor-parallel degree: the smallest that
        fits, else the largest), ``devices_used`` [-];
        ``weights_GiB``, ``kv_cache_GiB``, ``activations_GiB``,
        ``runtime_reserve_GiB``, ``required_GiB``, ``available_GiB``,
        ``headroom_GiB`` per device at that degree [GiB];
        ``weights_total_GiB``, ``kv_cache_total_GiB`` for the whole model
        and batch [GiB].

    Raises
    ------
    WorkloadError
        For an empty argument, a context or batch that is not a whole number
        >= 1, or an unknown KV width.
    UnknownNameError
        For an unknown model, instance or dtype name.

    Notes
    -----
    Every row equals ``fit(model, instance, Workload(context_len=c, batch=b,
    weight_dtype=wd, kv_dtype=kd, **budget))`` in ``fits``, ``tp`` and each
    per-device quantity; only ``instances_needed`` (pipeline stages across
    instances) is not evaluated.

    Examples
    --------
    >>> df = sweep("deepseek-v3", ["p5.48xlarge", "p5en.48xlarge"], contexts=32768,
    ...            batches=[1, 32], weight_dtypes="fp8")
    >>> df[["instance", "batch", "tp", "fits", "headroom_GiB"]].round(1)
            instance  batch  tp   fits  headroom_GiB
    0    p5.48xlarge      1   8  False         -11.3
    1    p5.48xlarge     32   8  False         -77.7
    2  p5en.48xlarge      1   8   True          43.4
    3  p5en.48xlarge     32   8  False         -23.1
    """
    w = workload or Workload()
    cat = catalog
    model_list = [load_model(m) if isinstance(m, str) else m for m in _as_list(models, "models")]
    inst_list: list[Instance] = []
    for i in _as_list(instances, "instances"):
        if isinstance(i, str):
            cat = cat or load_catalog()
            i = cat.get(i)
        inst_list.append(i)
    ctx = _positive_ints(
        _as_list(w.context_len if contexts is None else contexts, "contexts"), "contexts"
    )
    bat = _positive_ints(_as_list(w.batch if batches is None else batches, "batches"), "batches")
    wds: Sequence[str | WeightPolicy] = _as_list(
        w.weight_dtype if weight_dtypes is None else weight_dtypes, "weight_dtypes"
    )
    kds: Sequence[str | float] = _as_list(
        w.kv_dtype if kv_dtypes is None else kv_dtypes, "kv_dtypes"
    )
    bits = np.asarray([dtype_bits(k) for k in kds], dtype=float)
    policies = [[resolve_weight_policy(d, m) for d in wds] for m in model_list]

    grid = (len(model_list), len(inst_list), len(wds), len(kds), len(ctx), len(bat))
    block = len(kds) * len(ctx) * len(bat)  # rows per (model, instance, weight dtype)
    n = math.prod(grid)
    out: dict[str, np.ndarray] = {
        "fits": np.zeros(n, dtype=bool),
        "tp": np.zeros(n, dtype=np.int64),
        "devices_used": np.zeros(n, dtype=np.int64),
    }
    for col in SWEEP_COLUMNS[10:]:
        out[col] = np.full(n, np.nan)
    valid = np.zeros(n, dtype=bool)

    reserve = float((w.runtime_reserve_GiB * ureg.GiB).to("byte").magnitude)
    usable = [float(i.accelerator_memory_usable.to("byte").magnitude) for i in inst_list]
    # tokens of one forward pass, (ctx, batch); the product in float cannot overflow
    tokens = np.minimum(w.max_batched_tokens, ctx[:, None] * bat[None, :].astype(float))
    pos = 0
    for mi, m in enumerate(model_list):
        ok_ctx = ctx <= m.max_position_embeddings if m.max_position_embeddings else ctx > 0
        elements = kv_cache_elements(m, ctx)  # (ctx,)
        # batch x elements x bits / 8, in the order kv_cache_memory multiplies
        kv_full = (bat[None, None, :] * elements[None, :, None]) * bits[:, None, None] / 8
        ok = np.broadcast_to(ok_ctx[None, :, None], kv_full.shape).ravel()
        for inst, usable_b in zip(inst_list, usable, strict=True):
            for policy in policies[mi]:
                sl = slice(pos, pos + block)
                valid[sl] = ok
                if ok.any():
                    # an invalid context is left out of the arithmetic and stays NaN
                    sel = slice(None) if ok.all() else ok_ctx
                    cols = _group(
                        m, inst, policy, kv_full[:, sel], tokens[sel], bat, w, reserve, usable_b
                    )
                    for k, v in cols.items():
                        if sel is ok_ctx:
                            out[k][sl][ok] = v
                        else:
                            out[k][sl] = v
                pos += block

    def axis(values: np.ndarray, k: int) -> np.ndarray:
        shape = [1] * len(grid)
        shape[k] = len(values)
        return np.broadcast_to(values.reshape(shape), grid).ravel()

    def categories(labels: Sequence[str], k: int) -> Any:
        codes = axis(np.arange(len(labels), dtype=np.int32), k)
        # duplicate labels (the same model twice) share one category
        uniq = list(dict.fromkeys(labels))
        remap = np.asarray([uniq.index(x) for x in labels], dtype=np.int32)
        return pd.Categorical.from_codes(remap[codes], categories=pd.Index(uniq))

    invalid = ~valid
    frame: dict[str, Any] = {
        "model": categories([m.name for m in model_list], 0),
        "instance": categories([i.name for i in inst_list], 1),
        "weight_dtype": categories([_dtype_label(d) for d in wds], 2),
        "kv_dtype": categories([str(k) for k in kds], 3),
        "context_len": axis(ctx, 4),
        "batch": axis(bat, 5),
        "valid": valid,
        "fits": out["fits"],
        "tp": pd.arrays.IntegerArray(out["tp"], invalid.copy()),
        "devices_used": pd.arrays.IntegerArray(out["devices_used"], invalid.copy()),
    }
    for col in SWEEP_COLUMNS[10:]:
        frame[col] = out[col]
    return pd.DataFrame(frame, columns=list(SWEEP_COLUMNS), copy=False)
