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

import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel

from llmsizing.catalog import Catalog, Instance, load_catalog
from llmsizing.dtypes import dtype_bits
from llmsizing.errors import WorkloadError
from llmsizing.fit import (
    PER_RANK_FIELDS,
    as_policy,
    candidate_layouts,
    ranks_per_device,
)
from llmsizing.layout import Layout, as_layout, head_padding, kv_heads_per_rank, layout_problem
from llmsizing.memory import (
    WeightPolicy,
    kv_cache_elements_per_token,
    kv_tokens_held,
    layer_windows,
)
from llmsizing.model import ModelConfig
from llmsizing.per_rank import (
    activation_per_rank,
    budget_per_rank,
    expert_fraction_per_rank,
    kv_cache_per_rank,
    sequences_per_rank,
    weight_table,
    weights_per_rank,
)
from llmsizing.presets import as_model
from llmsizing.units import GIB_BYTES
from llmsizing.workload import Workload, as_workload

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SWEEP_COLUMNS", "kv_cache_elements", "sweep"]

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
)
_FLOAT_COLUMNS = SWEEP_COLUMNS[10:-1]


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


def _slots(
    models: list[ModelConfig], insts: list[Instance], layouts: list[Layout] | None
) -> list[list[list[Layout | None]]]:
    """Candidate layouts per (model, instance), padded with None to one length."""
    table: list[list[list[Layout | None]]] = []
    for m in models:
        row: list[list[Layout | None]] = []
        for inst in insts:
            if layouts is None:
                row.append(list(candidate_layouts(m, inst)))
            else:
                ranks = inst.accelerator_count * ranks_per_device(inst)
                row.append(
                    [
                        x if layout_problem(m, x, ranks, inst.is_neuron) is None else None
                        for x in layouts
                    ]
                )
        table.append(row)
    width = max(len(c) for row in table for c in row)
    return [[c + [None] * (width - len(c)) for c in row] for row in table]


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
        and batch [GiB]; ``layout`` (its label).

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
    lay_list = None if layouts is None else [as_layout(x) for x in _as_list(layouts, "layouts")]
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
    policies = [[as_policy(d, m) for d in wds] for m in model_list]
    slots = _slots(model_list, inst_list, lay_list)  # type: ignore[arg-type]
    n_lay = 1 if lay_list is None else len(lay_list)
    M, I, P, K, C, B = (len(model_list), len(inst_list), len(wds), len(kds), len(ctx), len(bat))

    # ---- per model [M, ...]
    tables = [[weight_table(m, p) for p in ps] for m, ps in zip(model_list, policies, strict=True)]
    totals = np.array([[t.totals for t in ts] for ts in tables])  # (M, P, 5)
    emb = np.array([[t.embedding for t in ts] for ts in tables])  # (M, P)
    head = np.array([[t.lm_head for t in ts] for ts in tables])
    final = np.array([[t.final for t in ts] for ts in tables])
    w_total = np.array([[t.total for t in ts] for ts in tables])
    elements = np.array([kv_cache_elements(m, ctx) for m in model_list])  # (M, C)
    kv_seq = elements[:, :, None] * bits[None, None, :] / 8  # (M, C, K) bytes per sequence
    kv_seq = kv_seq.transpose(0, 2, 1)  # (M, K, C)
    ok_ctx = np.array(
        [
            ctx <= m.max_position_embeddings if m.max_position_embeddings else ctx > 0
            for m in model_list
        ]
    )  # (M, C)
    hidden = np.array([m.hidden_size for m in model_list], dtype=float)
    widest = np.array(
        [
            max(m.intermediate_size, m.moe.experts_per_token * m.moe.expert_intermediate_size)
            if m.moe
            else m.intermediate_size
            for m in model_list
        ],
        dtype=float,
    )
    vocab = np.array([m.vocab_size for m in model_list], dtype=float)
    n_exp = np.array([m.moe.n_routed_experts if m.moe else 1 for m in model_list], dtype=float)
    kv_div = np.array([m.num_kv_heads if m.mla is None else 1 for m in model_list], dtype=float)

    # ---- per instance [I]
    per = np.array([ranks_per_device(i) for i in inst_list], dtype=float)
    usable = np.array([i.accelerator_memory_usable.to("byte").magnitude for i in inst_list])
    padded = [i.is_neuron for i in inst_list]
    fixed_act = (
        None if w.activation_workspace_GiB is None else w.activation_workspace_GiB * GIB_BYTES
    )
    reserve_b = w.runtime_reserve_GiB * GIB_BYTES

    shape = (M, I, n_lay, P, K, C, B)
    n = math.prod(shape)
    J = len(slots[0][0])
    best_j = np.full((M, I, n_lay, P, K, C, B), -1, dtype=np.int64)
    best_dev = np.full(best_j.shape, np.inf)
    best_conc = np.full(best_j.shape, -np.inf)
    valid_lay = np.ones((M, I, n_lay), dtype=bool)
    cols_by_slot: list[dict[str, np.ndarray]] = []
    bat_f = bat.astype(float)
    for j in range(J):
        if lay_list is None:
            lays = [[slots[mi][ii][j] for ii in range(I)] for mi in range(M)]
        else:
            lays = [[slots[mi][ii][j] for ii in range(I)] for mi in range(M)]
        present = np.array([[x is not None for x in r] for r in lays])  # (M, I)

        def get(f: Any, default: float = 1.0) -> np.ndarray:
            return np.array(
                [
                    [f(mi, ii, x) if x is not None else default for ii, x in enumerate(r)]
                    for mi, r in enumerate(lays)
                ],
                dtype=float,
            )

        tp = get(lambda mi, ii, x: x.tp)
        dp = get(lambda mi, ii, x: x.dp)
        ranks = get(lambda mi, ii, x: x.ranks)
        pad = get(lambda mi, ii, x: head_padding(model_list[mi], x.tp, padded[ii]))
        kvh = get(lambda mi, ii, x: kv_heads_per_rank(model_list[mi], x.tp, padded[ii]))
        xf = get(lambda mi, ii, x: float(expert_fraction_per_rank(n_exp[mi], x.ep, x.moe_ranks)))
        share = kvh / kv_div[:, None]
        on_device = np.minimum(per[None, :], tp * dp)  # (M, I)
        # weights (M, I, P)
        W = weights_per_rank(
            totals[:, None, :, :],
            emb[:, None, :],
            head[:, None, :],
            final[:, None, :],
            tp[:, :, None],
            pad[:, :, None],
            share[:, :, None],
            xf[:, :, None],
        )
        seqs = sequences_per_rank(bat_f[None, None, :], dp[:, :, None])  # (M, I, B)
        # kv (M, I, K, C, B)
        KV = kv_cache_per_rank(
            kv_seq[:, None, :, :, None],
            seqs[:, :, None, None, :],
            share[:, :, None, None, None],
            1.0,
        )
        if fixed_act is None:
            tokens = np.minimum(
                w.max_batched_tokens, ctx[None, None, :, None] * seqs[:, :, None, :]
            )
            A = activation_per_rank(
                tokens,
                seqs[:, :, None, :],
                hidden[:, None, None, None],
                widest[:, None, None, None],
                vocab[:, None, None, None],
                tp[:, :, None, None],
            )  # (M, I, C, B)
        else:
            A = np.full((M, I, C, B), fixed_act)
        R = reserve_b / on_device  # (M, I)
        AV = budget_per_rank(usable[None, :], w.memory_utilization, on_device)  # (M, I)
        fixed = A[:, :, None, :, :] + R[:, :, None, None, None]  # (M, I, 1, C, B)
        req = W[:, :, :, None, None, None] + (KV + fixed)[:, :, None]  # (M, I, P, K, C, B)
        req = req[:, :, None]  # (M, I, 1, P, K, C, B)
        free = AV[:, :, None, None, None, None, None] - (
            W[:, :, None, :, None, None, None] + fixed[:, :, None, None]
        )
        kv_rank_seq = (kv_seq[:, None, :, :, None] * share[:, :, None, None, None])[:, :, None, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            conc = np.where(kv_rank_seq > 0, free / kv_rank_seq, np.inf)
        conc = np.maximum(conc, 0.0) * dp[:, :, None, None, None, None, None]
        if lay_list is None:
            ok = (req <= AV[:, :, None, None, None, None, None]) & present[
                :, :, None, None, None, None, None
            ]
            dev = ranks[:, :, None, None, None, None, None]
            better = ok & ((dev < best_dev) | ((dev == best_dev) & (conc > best_conc)))
            best_j = np.where(better, j, best_j)
            best_dev = np.where(better, dev, best_dev)
            best_conc = np.where(better, conc, best_conc)
        else:
            valid_lay[:, :, j] = present
        cols_by_slot.append(
            {
                "W": W,
                "KV": KV,
                "A": A,
                "R": R,
                "AV": AV,
                "tp": tp,
                "dp": dp,
                "ep": get(lambda mi, ii, x: x.ep),
                "ranks": ranks,
                "per": np.broadcast_to(per[None, :], (M, I)),
            }
        )

    if lay_list is None:
        fits = best_j >= 0
        # none fits: the last candidate, the largest TP degree
        last = np.array(
            [[max(k for k, x in enumerate(c) if x is not None) for c in r] for r in slots]
        )
        chosen = np.where(fits, best_j, last[:, :, None, None, None, None, None])
    else:
        chosen = np.broadcast_to(np.arange(n_lay)[None, None, :, None, None, None, None], shape)
        fits = None

    # gather each row's numbers at its chosen slot
    mi_ = np.arange(M)[:, None, None, None, None, None, None]
    ii_ = np.arange(I)[None, :, None, None, None, None, None]
    pi_ = np.arange(P)[None, None, None, :, None, None, None]
    ki_ = np.arange(K)[None, None, None, None, :, None, None]
    ci_ = np.arange(C)[None, None, None, None, None, :, None]
    bi_ = np.arange(B)[None, None, None, None, None, None, :]
    stack = {k: np.stack([c[k] for c in cols_by_slot]) for k in cols_by_slot[0]}
    Wo = stack["W"][chosen, mi_, ii_, pi_]
    KVo = stack["KV"][chosen, mi_, ii_, ki_, ci_, bi_]
    Ao = stack["A"][chosen, mi_, ii_, ci_, bi_]
    Ro = stack["R"][chosen, mi_, ii_]
    AVo = stack["AV"][chosen, mi_, ii_]
    tpo = stack["tp"][chosen, mi_, ii_]
    dpo = stack["dp"][chosen, mi_, ii_]
    perv = stack["per"][chosen, mi_, ii_]
    req_o = Wo + KVo + Ao + Ro
    if fits is None:
        fits = req_o <= AVo
    valid = np.broadcast_to(ok_ctx[:, None, None, None, None, :, None], shape)
    if lay_list is not None:
        valid = valid & valid_lay[:, :, :, None, None, None, None]
    fits = fits & valid
    invalid = ~valid.ravel()

    def col(x: np.ndarray) -> np.ndarray:
        out = np.broadcast_to(x, shape).astype(float).ravel()
        if invalid.any():
            out = out.copy()
            out[invalid] = np.nan
        return out

    def axis(values: np.ndarray, k: int) -> np.ndarray:
        s = [1] * len(shape)
        s[k] = len(values)
        return np.broadcast_to(values.reshape(s), shape).ravel()

    def categories(labels: Sequence[str], k: int) -> Any:
        codes = axis(np.arange(len(labels), dtype=np.int32), k)
        uniq = list(dict.fromkeys(labels))
        remap = np.asarray([uniq.index(x) for x in labels], dtype=np.int32)
        return pd.Categorical.from_codes(remap[codes], categories=pd.Index(uniq))

    # layout labels per chosen (slot, model, instance)
    labels: list[str] = []
    code_of: dict[str, int] = {}
    lab_idx = np.zeros((J, M, I), dtype=np.int32)
    for j in range(J):
        for mi in range(M):
            for ii in range(I):
                x = slots[mi][ii][j]
                lab = x.label if x is not None else (lay_list[j].label if lay_list else "")
                if lab not in code_of:
                    code_of[lab] = len(labels)
                    labels.append(lab)
                lab_idx[j, mi, ii] = code_of[lab]
    lab_codes = np.broadcast_to(lab_idx[chosen, mi_, ii_], shape).ravel()

    tp_i = np.broadcast_to(tpo, shape).astype(np.int64).ravel()
    dev_i = (
        np.broadcast_to(np.maximum(1, np.ceil(tpo * dpo / perv)), shape).astype(np.int64).ravel()
    )
    frame: dict[str, Any] = {
        "model": categories([m.name for m in model_list], 0),
        "instance": categories([i.name for i in inst_list], 1),
        "weight_dtype": categories([_dtype_label(d) for d in wds], 3),
        "kv_dtype": categories([str(k) for k in kds], 4),
        "context_len": axis(ctx, 5),
        "batch": axis(bat, 6),
        "valid": valid.ravel(),
        "fits": np.broadcast_to(fits, shape).ravel(),
        "tp": pd.arrays.IntegerArray(tp_i, invalid.copy()),
        "devices_used": pd.arrays.IntegerArray(dev_i, invalid.copy()),
        "weights_GiB": col(Wo / GIB_BYTES),
        "kv_cache_GiB": col(KVo / GIB_BYTES),
        "activations_GiB": col(Ao / GIB_BYTES),
        "runtime_reserve_GiB": col(Ro / GIB_BYTES),
        "required_GiB": col(req_o / GIB_BYTES),
        "available_GiB": col(AVo / GIB_BYTES),
        "headroom_GiB": col((AVo - req_o) / GIB_BYTES),
        "weights_total_GiB": col(w_total[:, None, None, :, None, None, None] / GIB_BYTES),
        "kv_cache_total_GiB": col(kv_seq[:, None, None, None, :, :, None] * bat_f / GIB_BYTES),
        "layout": pd.Categorical.from_codes(lab_codes, categories=pd.Index(labels)),
    }
    _ = n
    return pd.DataFrame(frame, columns=list(SWEEP_COLUMNS), copy=False)
