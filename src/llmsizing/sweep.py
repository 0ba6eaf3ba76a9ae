"""Vectorized fit sweeps: every combination of models, instances and workloads at once.

:func:`sweep` evaluates the accounting of :func:`llmsizing.fit` (weights,
KV cache, activation workspace and runtime reserve per device, the smallest
tensor-parallel degree that fits) for the Cartesian product of its arguments
and returns a tidy :class:`pandas.DataFrame` with one row per combination.

The grid is evaluated by the same per-rank rule as :func:`llmsizing.fit.fit`
(:mod:`llmsizing.per_rank`), broadcast with numpy over models × instances ×
weight dtypes × KV dtypes × contexts × batches at once, one pass per candidate
layout slot. The layout chosen in each row is the one ``fit`` chooses (fewest
devices that fit, ties broken by the most concurrent sequences; the largest
TP degree when none fits), or each of ``layouts`` when they are given.

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

import functools
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from pydantic import BaseModel

from llmsizing.catalog import Catalog, Instance, load_catalog
from llmsizing.dtypes import dtype_bits
from llmsizing.errors import WorkloadError
from llmsizing.fit import (
    PER_RANK_FIELDS,
    _candidates,
    _state_per_sequence,
    _usable_bytes,
    _widest_ffn,
    as_policy,
    ranks_per_device,
)
from llmsizing.layout import (
    Layout,
    as_layout,
    head_padding,
    kv_heads_per_rank,
    kv_heads_read_per_rank,
    layout_problem,
)
from llmsizing.memory import (
    WeightPolicy,
    kv_cache_elements_per_token,
    kv_cache_memory,
    kv_cache_read_bytes,
    kv_tokens_held,
    layer_windows,
)
from llmsizing.model import ModelConfig
from llmsizing.per_rank import (
    activation_per_rank,
    budget_per_rank,
    expert_fraction_per_rank,
    kv_cache_per_rank,
    layout_kv_room,
    sequences_per_rank,
    state_per_rank,
    weight_table,
    weights_per_rank,
)
from llmsizing.presets import as_model
from llmsizing.units import GIB_BYTES
from llmsizing.workload import Workload, as_workload

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["PERF_COLUMNS", "SWEEP_COLUMNS", "kv_cache_elements", "sweep"]

#: Columns of :func:`sweep`'s DataFrame, in order; ``*_GiB`` are per device
#: (the most loaded rank) except ``weights_total_GiB`` and ``kv_cache_total_GiB``.
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
    "layout",
    "usd_per_hour",
)
_FLOAT_COLUMNS = SWEEP_COLUMNS[10:-2]


def kv_cache_elements(model: ModelConfig, contexts: Any) -> Any:
    """KV-cache elements of one sequence, summed over layers, per context length [-].

    .. math:: E(T) = \\sum_l e_l \\, \\min(T, W_l)

    the sum inside :func:`llmsizing.memory.kv_cache_memory` (bytes are
    ``B · E(T) · bits / 8``), evaluated for an array of contexts at once.

    Examples
    --------
    >>> import llmsizing as ls
    >>> kv_cache_elements(ls.load_model("llama-3.1-8b"), [1, 1024]).tolist()
    [65536.0, 67108864.0]
    """
    ctx = np.asarray(contexts, dtype=float)
    held = kv_tokens_held(ctx[..., None], layer_windows(model))  # (..., layers)
    return (held * kv_cache_elements_per_token(model)).sum(axis=-1)


@functools.lru_cache(maxsize=4096)
def _kv_curve(
    m: ModelConfig, contexts: tuple[int, ...], kv_dtype: str | float, read: bool = False
) -> np.ndarray:
    """KV-cache bytes of one sequence at each context (cached) [bytes].

    ``read``: the bytes its decode query reads instead
    (:func:`llmsizing.memory.kv_cache_read_bytes`).
    """
    of = kv_cache_read_bytes if read else kv_cache_memory
    q = of(m, np.asarray(contexts, dtype=float), 1, kv_dtype)
    out = np.atleast_1d(np.asarray(q.to("byte").magnitude, dtype=float))
    out.setflags(write=False)
    return out


def _as_list(values: Any, what: str) -> list[Any]:
    scalar = isinstance(values, str | BaseModel | Instance | Layout) or not isinstance(
        values, Iterable
    )
    if isinstance(values, np.ndarray) and values.ndim == 0:
        scalar = True
    out = [values] if scalar else list(values)
    if not out:
        raise WorkloadError(f"{what} must not be empty")
    return out


#: Largest context or batch accepted [-], the bound :class:`~llmsizing.workload.Workload` sets.
_LIMIT = 10**12


def _positive_ints(values: Iterable[Any], what: str) -> np.ndarray:
    out = []
    for v in values:
        if isinstance(v, bool):
            raise WorkloadError(f"{what} must be whole numbers >= 1, got {v!r}")
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


#: Columns of :func:`_layout_params`: whether the slot holds a layout, and its terms.
_PARAMS = ("present", "tp", "dp", "ranks", "pad", "kv_share", "ep", "expert_fraction", "pure_tp")


@functools.lru_cache(maxsize=8192)
def _layout_params(
    m: ModelConfig, total: int, neuron: bool, layouts: tuple[Layout, ...] | None
) -> tuple[np.ndarray, tuple[str, ...]]:
    """Terms of each candidate layout of ``m`` on ``total`` ranks (columns :data:`_PARAMS`).

    The candidates are :func:`~llmsizing.fit.candidate_layouts`, or ``layouts``
    (absent where one cannot run). Cached: instances of one shape share them.
    """
    if layouts is None:
        cands: list[Layout | None] = list(_candidates(m, total, neuron))
    else:
        cands = [x if layout_problem(m, x, total, neuron) is None else None for x in layouts]
    kv_div = m.num_kv_heads if m.mla is None else 1
    n_exp = m.moe.n_routed_experts if m.moe else 1
    rows: list[tuple[float, ...]] = []
    for x in cands:
        if x is None:
            rows.append((0, 1, 1, 1, 1, 1, 1, 1, 0))
            continue
        rows.append(
            (
                1,
                x.tp,
                x.dp,
                x.ranks,
                head_padding(m, x.tp, neuron),
                kv_heads_per_rank(m, x.tp, neuron) / kv_div,
                x.ep,
                float(expert_fraction_per_rank(n_exp, x.ep, x.moe_ranks)),
                int(x.dp == 1 and x.ep == 1 and x.pp == 1),
            )
        )
    labels = tuple(
        x.label if x is not None else (layouts[k].label if layouts else "")
        for k, x in enumerate(cands)
    )
    return np.array(rows, dtype=float), labels


def sweep(
    models: Iterable[ModelConfig | str] | ModelConfig | str,
    instances: Iterable[Instance | str] | Instance | str,
    contexts: Iterable[int] | int | None = None,
    batches: Iterable[int] | int | None = None,
    weight_dtypes: Iterable[str | WeightPolicy] | str | WeightPolicy | None = None,
    kv_dtypes: Iterable[str | float] | str | None = None,
    workload: Workload | None = None,
    catalog: Catalog | None = None,
    layouts: Iterable[Layout | str] | Layout | str | None = None,
    perf: bool = False,
    serving: str = "continuous",
    engine: str | None = None,
    arrivals: str = "independent",
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
    layouts : Layout, str or iterable of them, optional
        Evaluate each of these layouts (a row per layout, after the instance in
        the product order); default: the layout :func:`~llmsizing.fit.fit` chooses.
        A layout an instance cannot run gives rows with ``valid`` False.
    perf : bool, default False
        Also estimate performance (:data:`PERF_COLUMNS`): ``ttft_s`` [s],
        ``tpot_s`` [s], ``tokens_per_s`` (output tokens of every replica the
        instance holds) [token/s] and ``usd_per_million_tokens`` (per 1M output
        tokens at ``usd_per_hour``) [USD], by the formulas of
        :func:`~llmsizing.perf.estimate_performance` on whole arrays. The
        prompt is ``workload.prompt_len`` (else the row's context) and the output
        ``workload.output_len`` (else none: the decode rate ``B / TPOT``). NaN
        where the row does not fit or its context is shorter than the prompt.
    serving : {"continuous", "static"}, default "continuous"
        Batching mode of the performance columns.
    engine : str, optional
        Engine whose calibrated efficiencies the performance columns use, and whose
        scheduler ``arrivals`` reads (:func:`~llmsizing.perf.prefill_pauses_decode`).
    arrivals : {"independent", "lockstep"}, default "independent"
        How the closed loop's requests arrive (as in
        :func:`~llmsizing.perf.estimate_performance`).

    Returns
    -------
    pandas.DataFrame
        One row per combination, in the order of
        ``itertools.product(models, instances, [layouts,] weight_dtypes, kv_dtypes,
        contexts, batches)``, with the columns :data:`SWEEP_COLUMNS`:

        ``model``, ``instance``, ``weight_dtype``, ``kv_dtype`` (categorical),
        ``context_len`` [tokens], ``batch`` [-];
        ``valid`` (False where the context exceeds the model's
        ``max_position_embeddings`` or the layout cannot run: such rows have
        ``fits`` False, ``tp`` and ``devices_used`` <NA> and NaN in every
        ``*_GiB`` column, where :func:`~llmsizing.fit.fit` would raise
        :class:`~llmsizing.errors.WorkloadError`);
        ``fits``, ``tp``, ``devices_used`` [-];
        ``weights_GiB``, ``kv_cache_GiB``, ``activations_GiB``,
        ``runtime_reserve_GiB``, ``required_GiB``, ``available_GiB``,
        ``headroom_GiB`` per device at that layout [GiB];
        ``weights_total_GiB``, ``kv_cache_total_GiB`` for the whole model
        and batch [GiB]; ``layout`` (its label); ``usd_per_hour`` of one
        instance (:meth:`~llmsizing.catalog.Catalog.price_info` of ``catalog``:
        your prices and region, NaN where there is no price).

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
    weight_dtype=wd, kv_dtype=kd, **budget))`` in ``fits``, ``tp``, the layout
    and each per-device quantity; only ``instances_needed`` (pipeline stages
    across instances) is not evaluated.

    Examples
    --------
    >>> df = sweep("deepseek-v3", ["p5.48xlarge", "p5en.48xlarge"], contexts=32768,
    ...            batches=[1, 32], weight_dtypes="fp8")
    >>> df[["instance", "batch", "layout", "fits"]]
            instance  batch   layout   fits
    0    p5.48xlarge      1      TP8  False
    1    p5.48xlarge     32      TP8  False
    2  p5en.48xlarge      1  DP8×EP8   True
    3  p5en.48xlarge     32  DP8×EP8   True
    """
    import pandas as pd

    w = as_workload(workload)
    cat = catalog
    model_list = [as_model(m) for m in _as_list(models, "models")]
    inst_list: list[Instance] = []
    for i in _as_list(instances, "instances"):
        if isinstance(i, str):
            cat = cat or load_catalog()
            i = cat.get(i)
        inst_list.append(i)
    lay_list: list[Layout] | None = None
    if layouts is not None:
        lay_list = [cast(Layout, as_layout(x)) for x in _as_list(layouts, "layouts")]
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
    for k in kds:
        dtype_bits(k)  # an unknown KV dtype is an error naming it, before any work
    policies = [[as_policy(d, m) for d in wds] for m in model_list]
    t = _tables(model_list, inst_list, policies, lay_list, ctx, bat, kds, w)
    cat = cat or load_catalog()
    prices = np.array(
        [p if (p := cat.price_info(i).usd_per_hour) is not None else np.nan for i in inst_list]
        * len(model_list)
    )
    nm, ni, nl, npol = len(model_list), len(inst_list), t.n_layouts, len(wds)
    kcb = len(kds) * len(ctx) * len(bat)
    shape = (nm, ni, nl, npol, len(kds), len(ctx), len(bat))
    n = math.prod(shape)

    # rows in blocks of one (model, instance, layout, dtype) over (kv dtype, context, batch)
    nblocks = n // kcb
    # int32 indices: every table here has far fewer than 2**31 entries
    blk = np.arange(nblocks, dtype=np.int32)
    blk_mi = blk // (nl * npol)
    blk_p = blk % npol
    if lay_list is None:
        chosen = _choose(t).reshape(nblocks, kcb)
        fallback = t.fallback.astype(np.int16)[blk_mi][:, None]
        chosen = np.where(chosen >= 0, chosen, fallback)
    else:
        chosen = np.broadcast_to(((blk // npol) % nl)[:, None], (nblocks, kcb))
    blk_m = blk_mi // ni
    valid = _valid_rows(
        t,
        blk_m,
        j_of=None if lay_list is None else (blk_mi, chosen),
        n_batches=len(bat),
        n_kv=len(kds),
        n=n,
    )
    out = _row_columns(t, chosen, blk_mi, blk_p, npol, kcb, valid)
    invalid = ~valid
    fits = out.pop("fits")
    tp = out.pop("tp")
    devices = out.pop("devices")
    labels = out.pop("labels")

    def axis(values: np.ndarray, k: int) -> np.ndarray:
        inner, outer = math.prod(shape[k + 1 :]), math.prod(shape[:k])
        return np.tile(np.repeat(values, inner), outer)

    def categories(labels: Sequence[str], k: int) -> Any:
        uniq = list(dict.fromkeys(labels))
        # the code width pandas would pick itself, so it keeps the array as it is
        width = np.int8 if len(uniq) < 127 else np.int16 if len(uniq) < 32767 else np.int32
        remap = np.asarray([uniq.index(x) for x in labels], dtype=width)
        codes = axis(remap, k)
        return pd.Categorical.from_codes(codes, categories=pd.Index(uniq), validate=False)

    gib = 1 / GIB_BYTES
    bad = np.flatnonzero(invalid)

    def col(x: np.ndarray) -> np.ndarray:
        # x is in GiB and owned here: rows that are not valid become NaN
        if bad.size:
            x[bad] = np.nan
        return x

    perf_cols: dict[str, np.ndarray] = {}
    if perf:
        if serving not in ("continuous", "static"):
            raise WorkloadError(f"serving must be 'continuous' or 'static', got {serving!r}")
        if arrivals not in ("independent", "lockstep"):
            raise WorkloadError(f"arrivals must be 'independent' or 'lockstep', got {arrivals!r}")
        perf_cols = _perf_columns(
            t,
            model_list,
            inst_list,
            policies,
            kds,
            ctx,
            bat,
            chosen,
            blk_mi,
            blk_p,
            fits,
            prices,
            w,
            serving,
            engine,
            None if lay_list is None else tuple(lay_list),
            arrivals == "lockstep",
        )
    kv_total = t.kv_total.reshape(-1, kcb)[blk_m].ravel()
    frame: dict[str, Any] = {
        "model": categories([m.name for m in model_list], 0),
        "instance": categories([i.name for i in inst_list], 1),
        "weight_dtype": categories([_dtype_label(d) for d in wds], 3),
        "kv_dtype": categories([str(k) for k in kds], 4),
        "context_len": axis(ctx, 5),
        "batch": axis(bat, 6),
        "valid": valid,
        "fits": fits,
        "tp": pd.arrays.IntegerArray(tp, invalid.copy()),
        "devices_used": pd.arrays.IntegerArray(devices, invalid.copy()),
        **out,
        "weights_total_GiB": col(
            np.repeat(t.weights_total.ravel()[blk_m * npol + blk_p] * gib, kcb)
        ),
        "kv_cache_total_GiB": col(kv_total * gib),
        "layout": pd.Categorical.from_codes(labels, categories=pd.Index(t.labels), validate=False),
        "usd_per_hour": np.repeat(np.repeat(prices, nl * npol), kcb),
        **perf_cols,
    }
    return pd.DataFrame(frame, columns=[*SWEEP_COLUMNS, *perf_cols], copy=False)


def _valid_rows(
    t: _Tables,
    blk_m: np.ndarray,
    j_of: tuple[np.ndarray, np.ndarray] | None,
    n_batches: int,
    n_kv: int,
    n: int,
) -> np.ndarray:
    """Rows whose context the model takes and whose layout can run (given layouts) [-]."""
    if j_of is None and bool(t.ok_ctx.all()):
        return np.ones(n, dtype=bool)
    # contexts beyond the model's maximum, per (model, kv, context, batch) pattern
    pattern = np.tile(np.repeat(t.ok_ctx, n_batches, axis=1), (1, n_kv))
    valid = pattern[blk_m]
    if j_of is not None:  # a layout an instance cannot run
        blk_mi, chosen = j_of
        valid = valid & t.present.ravel()[blk_mi[:, None] * t.width + chosen]
    return np.asarray(valid.ravel())


#: Gather the rows of large sweeps in two threads.
_THREADS = True

#: Per-row columns :func:`_row_columns` fills, all in GiB.
_ROW_GIB = (
    "weights_GiB",
    "kv_cache_GiB",
    "activations_GiB",
    "runtime_reserve_GiB",
    "required_GiB",
    "available_GiB",
    "headroom_GiB",
)


def _row_columns(
    t: _Tables,
    chosen: np.ndarray,
    blk_mi: np.ndarray,
    blk_p: np.ndarray,
    npol: int,
    kcb: int,
    valid: np.ndarray,
) -> dict[str, np.ndarray]:
    """Every row's per-rank terms at its chosen candidate, gathered from the tables.

    The tables are scaled to GiB first (an exact scaling by 2**30, so ``fits`` is
    the comparison fit makes in bytes). Rows come in blocks; the two halves of the
    blocks are gathered in two threads (numpy releases the GIL in these loops).
    """
    nblocks = chosen.shape[0]
    n = nblocks * kcb
    gib = 1 / GIB_BYTES
    weights_t = t.weights.ravel() * gib
    kv_t = t.kv_u.ravel() * gib
    # activations do not depend on the KV dtype: spread over it, to share the index
    act_t = np.ascontiguousarray(np.broadcast_to((t.act_u * gib)[:, None], t.kv_u.shape)).ravel()
    reserve_t = t.reserve.ravel() * gib
    available_t = t.available.ravel() * gib
    uidx_t = t.uidx.astype(np.intp).ravel()
    tp_t, dev_t = t.tp_int.ravel(), t.devices.ravel()
    lab_t = t.label_codes.astype(np.int8 if len(t.labels) < 127 else np.int32).ravel()
    col_kcb = np.arange(kcb, dtype=np.intp)[None, :]
    out = {k: np.empty(n) for k in _ROW_GIB}
    out["fits"] = np.empty(n, dtype=bool)
    out["tp"] = np.empty(n, dtype=np.int64)
    out["devices"] = np.empty(n, dtype=np.int64)
    out["labels"] = np.empty(n, dtype=lab_t.dtype)
    mi = blk_mi.astype(np.intp)
    mip = (mi * npol + blk_p) * t.width

    def take(table: np.ndarray, index: np.ndarray, name: str, sl: slice) -> np.ndarray:
        # indices are valid by construction: "clip" skips the bounds check
        return np.take(table, index.ravel(), out=out[name][sl], mode="clip")

    def rows(lo: int, hi: int) -> None:
        sl = slice(lo * kcb, hi * kcb)
        c = chosen[lo:hi].astype(np.intp)
        j = mi[lo:hi, None] * t.width + c  # (m, i, j) flat
        jp = mip[lo:hi, None] + c  # (m, i, p, j) flat
        at = np.take(uidx_t, j, mode="clip") * kcb + col_kcb  # (u, kv, context, batch) flat
        w = take(weights_t, jp, "weights_GiB", sl)
        kv = take(kv_t, at, "kv_cache_GiB", sl)
        act = take(act_t, at, "activations_GiB", sl)
        res = take(reserve_t, j, "runtime_reserve_GiB", sl)
        avail = take(available_t, j, "available_GiB", sl)
        req = out["required_GiB"][sl]
        np.add(w, kv, out=req)
        req += act
        req += res
        np.subtract(avail, req, out=out["headroom_GiB"][sl])
        np.less_equal(req, avail, out=out["fits"][sl])
        take(tp_t, j, "tp", sl)
        take(dev_t, j, "devices", sl)
        take(lab_t, j, "labels", sl)

    half = nblocks // 2
    if n >= 200_000 and _THREADS:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=2) as pool:
            for f in [pool.submit(rows, 0, half), pool.submit(rows, half, nblocks)]:
                f.result()
    else:
        rows(0, nblocks)
    if not bool(valid.all()):
        out["fits"] &= valid
        bad = np.flatnonzero(~valid)
        for k in _ROW_GIB:
            out[k][bad] = np.nan
    return out


class _Tables:
    """Per-candidate terms of the per-rank rule, small arrays the rows index into.

    Shapes: (M, I, J) per model, instance and candidate layout; weights
    (M, I, P, J); KV (U, K, C, B) and activations (U, C, B) per distinct
    (model, tp, dp, KV share) key ``u`` (``uidx`` maps (M, I, J) to it) [bytes].
    """

    def __init__(self, **arrays: Any) -> None:
        self.__dict__.update(arrays)

    weights: np.ndarray
    kv_u: np.ndarray
    act_u: np.ndarray
    uidx: np.ndarray
    reserve: np.ndarray
    available: np.ndarray
    tp_int: np.ndarray
    devices: np.ndarray
    present: np.ndarray
    rank_order: np.ndarray
    fallback: np.ndarray
    ok_ctx: np.ndarray
    kv_total: np.ndarray
    weights_total: np.ndarray
    labels: list[str]
    label_codes: np.ndarray
    width: int
    n_layouts: int


def _tables(
    models: list[ModelConfig],
    insts: list[Instance],
    policies: list[list[WeightPolicy]],
    layouts: list[Layout] | None,
    ctx: np.ndarray,
    bat: np.ndarray,
    kds: Sequence[str | float],
    w: Workload,
) -> _Tables:
    """Evaluate :mod:`llmsizing.per_rank` for every (model, instance, candidate layout).

    KV and activation terms depend on the model and the layout's (tp, dp, KV
    share) only, so they are evaluated once per distinct such key ``u``.
    """
    nm, ni = len(models), len(insts)
    per_i = [ranks_per_device(i) for i in insts]
    lays = tuple(layouts) if layouts is not None else None
    # instances of one shape (ranks, Neuron or not) share their candidate layouts
    shapes: dict[tuple[int, bool], list[int]] = {}
    for ii, i in enumerate(insts):
        shapes.setdefault((i.accelerator_count * per_i[ii], i.is_neuron), []).append(ii)
    by_shape = [{key: _layout_params(m, key[0], key[1], lays) for key in shapes} for m in models]
    nj = max(p[0].shape[0] for row in by_shape for p in row.values())
    # per (model, shape) terms, then spread to the instances of each shape
    shape_of = np.empty(ni, dtype=np.int64)
    for si, members in enumerate(shapes.values()):
        shape_of[members] = si
    sgrid = np.ones((nm, len(shapes), nj, len(_PARAMS)))
    sgrid[..., 0] = 0
    for mi, row in enumerate(by_shape):
        for si, key in enumerate(shapes):
            arr = row[key][0]
            sgrid[mi, si, : arr.shape[0]] = arr
    grid = sgrid[:, shape_of]
    present = grid[..., 0] > 0
    tp, dp, ranks, _pad, share, _ep, _xf, pure = (grid[..., k] for k in range(1, 9))
    per = np.array(per_i, dtype=float)[None, :, None]
    on_device = np.minimum(per, tp * dp)
    usable = np.array([_usable_bytes(i) for i in insts])

    wt = [[weight_table(m, p) for p in ps] for m, ps in zip(models, policies, strict=True)]
    totals = np.array([[x.totals for x in row] for row in wt])  # (M, P, 5)
    emb, head, final, total = (
        np.array([[getattr(x, k) for x in row] for row in wt])
        for k in ("embedding", "lm_head", "final", "total")
    )
    s_tp, s_pad, s_share, s_xf = (sgrid[..., k] for k in (1, 4, 5, 7))
    weights = weights_per_rank(
        totals[:, None, :, None, :],
        emb[:, None, :, None],
        head[:, None, :, None],
        final[:, None, :, None],
        s_tp[:, :, None, :],
        s_pad[:, :, None, :],
        s_share[:, :, None, :],
        s_xf[:, :, None, :],
    )[:, shape_of]  # (M, I, P, J)

    # distinct (model, tp, dp, KV share) keys; instances of one shape share a params array
    key_of: dict[tuple[int, float, float, float], int] = {}
    uidx = np.zeros((nm, ni, nj), dtype=np.int64)
    for mi, row in enumerate(by_shape):
        for key, members in shapes.items():
            arr = row[key][0]
            local = [key_of.setdefault((mi, r[1], r[2], r[5]), len(key_of)) for r in arr.tolist()]
            uidx[mi, members, : len(local)] = local
    ukeys = np.array(list(key_of), dtype=float).reshape(-1, 4)
    um = ukeys[:, 0].astype(np.int64)
    utp, udp, ushare = ukeys[:, 1], ukeys[:, 2], ukeys[:, 3]

    # KV of one sequence [bytes], the same function fit uses (with the fixed-format
    # indexer keys of DeepSeek sparse attention), (M, K, C)
    kv_seq = np.array([[_kv_curve(m, tuple(ctx.tolist()), k) for k in kds] for m in models])
    bat_f = bat.astype(float)
    seqs = sequences_per_rank(bat_f[None, :], udp[:, None])  # (U, B)
    state = np.array(
        [
            _state_per_sequence(models[a], b)
            for a, b in zip(um.tolist(), utp.astype(int).tolist(), strict=True)
        ]
    )
    kv_u = (
        kv_cache_per_rank(
            kv_seq[um][:, :, :, None], seqs[:, None, None, :], ushare[:, None, None, None], 1.0
        )
        + state_per_rank(state[:, None], seqs, 1.0)[:, None, None, :]
    )  # (U, K, C, B)
    if w.activation_workspace_GiB is None:
        hidden = np.array([m.hidden_size for m in models], dtype=float)[um]
        widest = np.array([_widest_ffn(m) for m in models], dtype=float)[um]
        vocab = np.array([m.vocab_size for m in models], dtype=float)[um]
        tokens = np.minimum(w.max_batched_tokens, ctx[None, :, None] * seqs[:, None, :])
        act_u = activation_per_rank(
            tokens,
            seqs[:, None, :],
            hidden[:, None, None],
            widest[:, None, None],
            vocab[:, None, None],
            utp[:, None, None],
        )  # (U, C, B)
    else:
        act_u = np.full((len(ukeys), len(ctx), len(bat)), w.activation_workspace_GiB * GIB_BYTES)
    reserve = np.broadcast_to(w.runtime_reserve_GiB * GIB_BYTES / on_device, (nm, ni, nj))
    available = np.broadcast_to(
        budget_per_rank(usable[None, :, None], w.memory_utilization, on_device), (nm, ni, nj)
    )

    # the order the planner tries candidates in: fewest ranks, then most KV room
    # (dp x (budget - weights - reserve) / KV share, as fit ranks them); absent last
    room = layout_kv_room(
        available[:, :, None, :],
        weights,
        reserve[:, :, None, :],
        dp[:, :, None, :],
        share[:, :, None, :],
    )
    key_rank = np.where(present[:, :, None, :], ranks[:, :, None, :], np.inf)
    key_rank, room = np.broadcast_arrays(key_rank, np.nan_to_num(room, nan=-np.inf))
    order = np.lexsort((-room, key_rank), axis=-1)  # (M, I, P, J)
    # none fits: the largest pure-TP layout (the last one present)
    last_pure = np.where(present & (pure > 0), np.arange(nj), -1).max(axis=-1)
    fallback = np.maximum(last_pure, 0).ravel()

    code_of: dict[str, int] = {}
    codes = np.zeros((nm, ni, nj), dtype=np.int32)
    for mi, row in enumerate(by_shape):
        for key, members in shapes.items():
            local = [code_of.setdefault(lab, len(code_of)) for lab in row[key][1]]
            codes[mi, members, : len(local)] = local
    labels = list(code_of)
    ok_ctx = np.array(
        [ctx <= m.max_position_embeddings if m.max_position_embeddings else ctx > 0 for m in models]
    )  # (M, C)
    kv_total = np.broadcast_to(kv_seq[:, :, :, None] * bat_f, (nm, len(kds), len(ctx), len(bat)))
    return _Tables(
        weights=np.ascontiguousarray(weights),
        kv_u=np.ascontiguousarray(kv_u),
        act_u=np.ascontiguousarray(act_u),
        uidx=uidx,
        reserve=np.ascontiguousarray(reserve),
        available=np.ascontiguousarray(available),
        tp_int=tp.astype(np.int64),
        devices=np.maximum(1, np.ceil(tp * dp / per)).astype(np.int64),
        present=present,
        rank_order=order,
        fallback=fallback,
        ok_ctx=ok_ctx,
        kv_total=np.ascontiguousarray(kv_total),
        weights_total=total,
        labels=labels,
        label_codes=codes,
        width=nj,
        n_layouts=1 if layouts is None else len(layouts),
    )


def _choose(t: _Tables) -> Any:
    """Each row's candidate in the planner's order: the first whose rank fits; -1 if none.

    Rows come in blocks of one (model, instance, weight dtype) over (KV dtype,
    context, batch). A candidate fits a row when the row's KV cache and
    activations fit the slack its weights and reserve leave; a block whose slack
    lies below every row's need, or above, is decided without looking at rows.
    """
    nm, ni, npol, width = t.weights.shape
    nu, nk, nc, nb = t.kv_u.shape
    need = (t.kv_u + t.act_u[:, None, :, :]).reshape(nu, nk * nc * nb)
    need_lo, need_hi = need.min(axis=1), need.max(axis=1)
    slack = t.available[:, :, None, :] - t.weights - t.reserve[:, :, None, :]
    slack = np.where(t.present[:, :, None, :], slack, -np.inf).reshape(-1, width)
    order = t.rank_order.reshape(-1, width)
    nblocks = nm * ni * npol
    block_u = t.uidx.reshape(nm * ni, width)[np.arange(nblocks) // npol]  # (blocks, J)
    chosen = np.full((nblocks, nk * nc * nb), -1, dtype=np.int16)
    fresh = np.ones(nblocks, dtype=bool)  # no row of the block has a layout yet
    open_ = np.arange(nblocks)
    for q in range(width):
        if open_.size == 0:
            break
        cand = order[open_, q]
        u = block_u[open_, cand]
        sl = slack[open_, cand]
        whole = sl >= need_hi[u]
        part = ~whole & (sl >= need_lo[u])
        if whole.any():
            b = open_[whole]
            c = cand[whole].astype(np.int16)
            new = fresh[b]
            chosen[b[new]] = c[new][:, None]
            old = b[~new]
            if old.size:
                rows = chosen[old]
                chosen[old] = np.where(rows < 0, c[~new][:, None], rows)
        keep = ~whole
        if part.any():
            b = open_[part]
            ok = need[u[part]] <= sl[part][:, None]
            rows = chosen[b]
            free = rows < 0
            chosen[b] = np.where(ok & free, cand[part].astype(np.int16)[:, None], rows)
            fresh[b] = False
            keep[np.flatnonzero(part)[~(free & ~ok).any(axis=1)]] = False
        open_ = open_[keep]
    return chosen.ravel()


# ------------------------------------------------------------ performance columns
#: Columns ``sweep(..., perf=True)`` appends, after :data:`SWEEP_COLUMNS`.
PERF_COLUMNS: tuple[str, ...] = ("ttft_s", "tpot_s", "tokens_per_s", "usd_per_million_tokens")


def _link_base(inst: Instance) -> float:
    """Per-rank link bandwidth before ranks share a chip [bytes/s] (``perf._link_bw``)."""
    from llmsizing import perf
    from llmsizing.collectives import (
        BIDIRECTIONAL_LINKS,
        PCIE_GEN4_X16_BYTES_PER_S,
        interconnect_kind,
    )

    hw = perf._hardware(inst)
    kind = interconnect_kind(inst.interconnect)
    if hw.link_bw is not None:
        # NVLink and Infinity Fabric figures count both directions; a ring moves data
        # one way at a time
        return hw.link_bw / 2 if kind.startswith(BIDIRECTIONAL_LINKS) else hw.link_bw
    if kind == "pcie":
        return PCIE_GEN4_X16_BYTES_PER_S
    return hw.memory_bw  # NeuronCores of one chip exchange through its memory


def _perf_columns(
    t: _Tables,
    models: list[ModelConfig],
    insts: list[Instance],
    policies: list[list[WeightPolicy]],
    kds: Sequence[str | float],
    ctx: np.ndarray,
    bat: np.ndarray,
    chosen: np.ndarray,
    blk_mi: np.ndarray,
    blk_p: np.ndarray,
    fits: np.ndarray,
    prices: np.ndarray,
    w: Workload,
    serving: str,
    engine: str | None,
    layouts: tuple[Layout, ...] | None,
    lockstep: bool = False,
) -> dict[str, np.ndarray]:
    """TTFT [s], TPOT [s], output tokens/s and USD per 1M output tokens of every row.

    The terms of :func:`llmsizing.perf.estimate_performance` (``perf._physics``)
    per (model, instance, candidate layout) and per (model, KV dtype, context),
    gathered for each row's layout and evaluated by ``perf._times`` on whole
    arrays, so each row equals ``estimate_performance`` of the row's workload
    with the sweep's ``serving`` and ``engine``. Rows that do not fit (or are
    not valid) are NaN.
    """
    from llmsizing import perf

    nm, ni, nj = t.tp_int.shape
    nk, nc, nb = len(kds), len(ctx), len(bat)
    kcb = nk * nc * nb
    rows = np.flatnonzero(fits)
    n = chosen.size
    res = {k: np.full(n, np.nan) for k in PERF_COLUMNS}
    if rows.size == 0:
        return res
    blk = rows // kcb
    q = rows % kcb
    ik, ic, ib = q // (nc * nb), (q // nb) % nc, q % nb
    mi = blk_mi[blk].astype(np.intp)
    m_idx, i_idx = mi // ni, mi % ni
    p_idx = blk_p[blk].astype(np.intp)
    j = chosen.ravel()[rows].astype(np.intp)
    mij = mi * nj + j

    # -- per instance
    hw = [perf._hardware(i) for i in insts]
    neuron_i = np.array([i.is_neuron for i in insts])
    per_i = np.array([ranks_per_device(i) for i in insts], dtype=float)
    total_i = np.array([i.accelerator_count for i in insts], dtype=float) * per_i
    mem_bw_i = np.array([h.memory_bw for h in hw])
    link_i = np.array([_link_base(i) for i in insts])
    effs = [perf.efficiency(perf.hardware_family(i), engine) for i in insts]
    waves_i = np.array(
        [lockstep and perf.prefill_pauses_decode(engine, i.is_neuron, i.accelerator) for i in insts]
    )
    eff_i = {
        k: np.array([getattr(e, k) for e in effs])
        for k in (
            "prefill_mfu",
            "decode_mfu",
            "bandwidth_utilization",
            "alpha_base",
            "alpha_per_rank",
            "prefill_overhead",
            "prefill_overhead_per_layer",
            "step_overhead",
            "step_overhead_per_sequence",
        )
    }
    # peak of the compute dtype, per GEMM format (perf.compute_dtype) and instance
    gemm = [[pol.gemm_dtype for pol in ps] for ps in policies]
    peak_of: dict[Any, np.ndarray] = {}
    for fmt in {g for row in gemm for g in row}:
        pol0 = next(pol for ps in policies for pol in ps if pol.gemm_dtype == fmt)
        peaks = []
        for c_, inst in enumerate(insts):
            cdt = perf.compute_dtype(pol0, inst)
            peaks.append(hw[c_].peaks.get(cdt) or hw[c_].peaks["bf16"] or 0.0)
        peak_of[fmt] = np.array(peaks)
    peak_mpi = np.array([[peak_of[g] for g in row] for row in gemm])  # (M, P, I)

    # -- per model
    pcs = [m.param_counts() for m in models]
    n_act_m = np.array([2.0 * perf._flop_params(m) for m in models])
    routed_act_m = np.array([2.0 * pc.routed_experts_active for pc in pcs])
    routed_all_m = np.array([2.0 * pc.routed_experts for pc in pcs])
    n_exp_m = np.array([m.moe.n_routed_experts if m.moe else 1 for m in models], dtype=float)
    k_m = np.array([m.moe.experts_per_token if m.moe else 0 for m in models], dtype=float)
    inter_m = np.array([m.moe.expert_intermediate_size if m.moe else 0 for m in models], float)
    vocab_m = np.array([m.vocab_size for m in models], dtype=float)
    untied_m = np.array([not m.tie_word_embeddings for m in models])
    hid_m = np.array([m.hidden_size * perf.ACTIVATION_BYTES for m in models], dtype=float)
    nmoe_m = np.array([m.n_moe_layers if m.moe is not None else 0 for m in models], dtype=float)
    ndense_m = np.array([m.num_layers for m in models], dtype=float) - nmoe_m
    # weight parts per (model, policy): other, attention, embedding, routed experts [bytes]
    wparts = np.zeros((nm, len(policies[0]), 4))
    for a, (m, ps) in enumerate(zip(models, policies, strict=True)):
        for b_, pol in enumerate(ps):
            wpart = perf._parts(m, pol)
            other = sum(
                v
                for k, v in wpart.items()
                if k not in ("routed_experts", "extra", "embedding", "attention")
            )
            wparts[a, b_] = (
                other,
                wpart.get("attention", 0.0),
                wpart.get("embedding", 0.0),
                wpart.get("routed_experts", 0.0),
            )

    # -- per (model, instance shape, candidate layout): dp, ep, ranks, padding, KV copies
    shapes: dict[tuple[int, bool], int] = {}
    shape_of = np.array(
        [shapes.setdefault((int(total_i[c_]), bool(neuron_i[c_])), len(shapes)) for c_ in range(ni)]
    )
    sg = np.ones((nm, len(shapes), nj, 5))  # dp, ep, ranks, pad, repl
    for a, m in enumerate(models):
        for (total, is_n), si in shapes.items():
            arr, _ = _layout_params(m, total, is_n, layouts)
            sg[a, si, : arr.shape[0], :4] = arr[:, [2, 6, 3, 4]]
            for jj, x in enumerate(arr[:, 1].astype(int).tolist()):
                if m.mla is not None:
                    sg[a, si, jj, 4] = float(x)
                else:
                    r = x * kv_heads_read_per_rank(m, x, is_n) / m.num_kv_heads
                    sg[a, si, jj, 4] = max(1.0, r)
    lg = sg[:, shape_of]  # (M, I, J, 5)
    tp = t.tp_int.astype(float)
    grid_dp, grid_ep, grid_ranks, pad, repl = (lg[..., k] for k in range(5))

    # gather per row
    m_r, i_r = m_idx, i_idx
    tp_r = tp.ravel()[mij]
    dp_r = grid_dp.ravel()[mij]
    ep_r = grid_ep.ravel()[mij]
    pad_r = pad.ravel()[mij]
    repl_r = repl.ravel()[mij]
    group = tp_r * dp_r
    per_r = per_i[i_r]
    devices = np.maximum(1.0, np.ceil(group / per_r))
    peak = peak_mpi[m_r, p_idx, i_r] * devices
    bw = mem_bw_i[i_r] * devices
    link = np.where(group > 1, link_i[i_r] * np.minimum(1.0, devices / group), link_i[i_r])
    neuron = neuron_i[i_r]
    waves = waves_i[i_r]
    ranks_r = grid_ranks.ravel()[mij]
    replicas = np.maximum(1.0, np.floor(total_i[i_r] / np.maximum(ranks_r, per_r)))
    b = bat.astype(float)[ib]

    n_act = n_act_m[m_r]
    r_act, r_all = routed_act_m[m_r], routed_all_m[m_r]
    n_e, k_e = n_exp_m[m_r], k_m[m_r]
    is_moe = k_e > 0
    wp = wparts[m_r, p_idx]
    w_fixed = wp[:, 0] + wp[:, 1] * pad_r
    emb, routed = wp[:, 2], wp[:, 3]
    untied = untied_m[m_r]
    vocab = vocab_m[m_r]

    def weights(tokens: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # perf._weights_split: (non-expert, routed-expert) bytes of a pass over `tokens`
        dense = w_fixed + np.where(untied, emb * np.minimum(1.0, tokens / vocab), emb)
        touched = np.where(
            neuron,
            np.minimum(tokens * k_e, n_e),
            n_e * (1 - (1 - k_e / n_e) ** tokens),
        )
        return dense, np.where(is_moe & (routed > 0), routed * touched / n_e, 0.0)

    h = hid_m[m_r]
    n_moe, n_dense = nmoe_m[m_r], ndense_m[m_r]
    g = group
    tp_gt = tp_r > 1
    # perf._comm: collectives of one pass; count and Σ(N − 1) do not depend on tokens
    count = np.where(tp_gt, 2 * n_dense, 0.0)
    ranks_sum = np.where(tp_gt, 2 * n_dense * (tp_r - 1), 0.0)
    moe_ep = (n_moe > 0) & (ep_r > 1)
    moe_tp = (n_moe > 0) & (ep_r <= 1) & (g > 1)
    count += np.where(moe_ep, 2 * n_moe + np.where(tp_gt, n_moe, 0.0), 0.0)
    ranks_sum += np.where(
        moe_ep, 2 * n_moe * (ep_r - 1) + np.where(tp_gt, n_moe * (tp_r - 1), 0.0), 0.0
    )
    count += np.where(moe_tp, 2 * n_moe, 0.0)
    ranks_sum += np.where(moe_tp, 2 * n_moe * (g - 1), 0.0)

    def beta(tokens: np.ndarray) -> np.ndarray:
        gt = np.where(dp_r > 1, np.ceil(tokens / dp_r), tokens)
        out = np.where(tp_gt, 2 * n_dense * 2 * (tp_r - 1) / tp_r * gt * h / link, 0.0)
        ep_term = 2 * n_moe * (ep_r - 1) / ep_r * (tokens / ep_r) * k_e * h / link
        ep_term += np.where(tp_gt, n_moe * 2 * (tp_r - 1) / tp_r * gt * h / link, 0.0)
        out += np.where(moe_ep, ep_term, 0.0)
        out += np.where(moe_tp, 2 * n_moe * 2 * (g - 1) / np.maximum(g, 1) * tokens * h / link, 0.0)
        return out

    # per (model, KV dtype, context): prompt, mean context, KV and attention terms
    o = float(w.output_tokens)
    has_out = w.output_len is not None
    ctx_f = ctx.astype(float)
    prompt_c = np.full(nc, float(w.prompt_len)) if w.prompt_len is not None else ctx_f
    mean_c = np.maximum(1, np.minimum(ctx, prompt_c.astype(np.int64) + int(o // 2)))
    # a decode query reads the cache but the entries sparse attention leaves unselected
    kv_ctx = np.array([[_kv_curve(m, tuple(ctx.tolist()), k, True) for k in kds] for m in models])
    kv_mean = np.array(
        [[_kv_curve(m, tuple(mean_c.tolist()), k, True) for k in kds] for m in models]
    )
    kv_pr = np.array(
        [[_kv_curve(m, tuple(int(x) for x in prompt_c), k) for k in kds] for m in models]
    )
    dflops_c = np.array([[perf._decode_flops(m, int(c)) for c in ctx] for m in models])
    # recurrent state read and written back, cross-attention K/V read, per sequence and step
    state_m = np.array([perf._state_step(m) for m in models])
    layers_m = np.array([float(sum(perf._passes(m))) for m in models])
    dflops_mean = np.array([[perf._decode_flops(m, int(c)) for c in mean_c] for m in models])
    # Neuron pads each prompt to its context-encoding bucket (perf.bucket_length)
    pad_c = np.array([float(perf.bucket_length(int(x))) for x in prompt_c])
    attn_pre = np.array([[perf._attn_prefill(m, int(p)) for p in prompt_c] for m in models])
    attn_pad = np.array([[perf._attn_prefill(m, int(p)) for p in pad_c] for m in models])
    kv_pad = np.array(
        [[_kv_curve(m, tuple(int(x) for x in pad_c), k) for k in kds] for m in models]
    )
    p = prompt_c[ic]
    ok_prompt = p <= ctx_f[ic]
    p_pre = np.where(neuron, pad_c[ic], p)

    # decode step (perf._physics with no speculation)
    step_tokens = b
    w_dense, w_expert = weights(step_tokens)
    routed_step = np.where(
        neuron & is_moe & (np.minimum(step_tokens * k_e, n_e) >= n_e), r_all, r_act
    )
    # perf.tensor_engine_tile_factor: a routed expert's per-rank width in 128-wide tiles
    shards = np.maximum(1.0, np.floor(tp_r * dp_r / np.maximum(1.0, ep_r)))
    width = inter_m[m_r] / shards
    tile_w = np.where(width > 0, width, 1.0)
    te = perf.TENSOR_ENGINE_TILE
    tile = np.where(neuron & is_moe & (width > 0), np.ceil(tile_w / te) * te / tile_w, 1.0)

    def parts(kv_seq: np.ndarray, dflops: np.ndarray) -> tuple[tuple[Any, Any], ...]:
        return (
            (w_dense, step_tokens * (n_act - r_act)),
            (w_expert, step_tokens * routed_step * tile),
            (kv_seq * b * repl_r + state_m[m_r] * b, step_tokens * (dflops - n_act)),
        )

    dec_parts = parts(kv_ctx[m_r, ik, ic], dflops_c[m_r, ic])
    dec_parts_mean = parts(kv_mean[m_r, ik, ic], dflops_mean[m_r, ic])

    # prefill (no prefix cache)
    static = serving == "static"
    new = np.maximum(1.0, p_pre)
    n_act_pre = n_act + np.where(neuron, r_all * tile - r_act, 0.0)
    one_flops = n_act_pre * new + np.where(neuron, attn_pad[m_r, ic], attn_pre[m_r, ic])
    kv_prompt = np.where(neuron, kv_pad[m_r, ik, ic], kv_pr[m_r, ik, ic])
    mbt = float(w.max_batched_tokens)
    if static:
        n_pre, chunks, toks = b, np.ones_like(b), b * new
    else:
        n_pre, chunks, toks = np.ones_like(b), np.ceil(new / mbt), new
    per_pass = toks / chunks
    pre_bytes = chunks * sum(weights(per_pass)) + n_pre * kv_prompt
    kq = np.maximum(1.0, np.minimum(b, np.floor(mbt / new)))
    pf_passes = np.ceil(kq * new / mbt)
    pf_tokens = kq * new / pf_passes
    ph = perf._Physics(
        **cast(
            dict[str, Any],
            {
                "peak": peak,
                "bw": bw,
                "pre_flops": n_pre * one_flops,
                "pre_bytes": pre_bytes,
                "pre_beta": beta(per_pass) * chunks,
                "pre_count": count * chunks,
                "pre_ranks": ranks_sum * chunks,
                "pre_tokens": n_pre * np.maximum(1.0, p),
                "pre_passes": chunks,
                "layers": layers_m[m_r],
                "pre_prompts": n_pre,
                "pf_flops": kq * one_flops,
                "pf_bytes": pf_passes * sum(weights(pf_tokens)) + kq * kv_prompt,
                "pf_beta": beta(pf_tokens) * pf_passes,
                "pf_count": count * pf_passes,
                "pf_ranks": ranks_sum * pf_passes,
                "pf_passes": pf_passes,
                "pf_prompts": kq,
                "dec_flops": sum(f for _, f in dec_parts),
                "dec_bytes": sum(x for x, _ in dec_parts),
                "dec_flops_mean": sum(f for _, f in dec_parts_mean),
                "dec_bytes_mean": sum(x for x, _ in dec_parts_mean),
                "dec_parts": dec_parts,
                "dec_parts_mean": dec_parts_mean,
                "dec_beta": beta(step_tokens),
                "dec_count": count,
                "dec_ranks": ranks_sum,
                "batch": b,
                "step_batch": b,
                "output": o,
                "has_output": has_out,
                "static": static,
                "tokens_per_step": 1.0,
                "lockstep": waves,
            },
        )
    )
    e = {k: v[i_r] for k, v in eff_i.items()}
    eff = perf.Efficiency(
        **cast(
            dict[str, Any],
            {
                "alpha_base": e["alpha_base"],
                "alpha_per_rank": e["alpha_per_rank"],
                "prefill_overhead": e["prefill_overhead"],
                "prefill_overhead_per_layer": e["prefill_overhead_per_layer"],
                "step_overhead": e["step_overhead"],
                "step_overhead_per_sequence": e["step_overhead_per_sequence"],
            },
        )
    )
    tm = perf._times(
        ph,
        eff,
        cast(float, e["prefill_mfu"]),
        cast(float, e["decode_mfu"]),
        cast(float, e["bandwidth_utilization"]),
        perf.DEFAULT_INTERCONNECT_UTILIZATION,
    )
    tps = np.asarray(tm.rate) * replicas
    price = prices[mi]
    bad = ~ok_prompt
    for name, v in (
        ("ttft_s", np.asarray(tm.ttft, dtype=float)),
        ("tpot_s", np.asarray(tm.tpot, dtype=float)),
        ("tokens_per_s", tps),
        ("usd_per_million_tokens", price / (3600 * tps) * 1e6),
    ):
        v = np.broadcast_to(v, rows.shape).astype(float)
        v[bad] = np.nan
        res[name][rows] = v
    return res
