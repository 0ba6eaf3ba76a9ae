"""Sizing charts: memory per device, KV cache, max batch, fit matrix, cost frontier.

Each function computes its numbers with the rest of llmsizing (:func:`~llmsizing.fit.fit`,
:func:`~llmsizing.memory.kv_cache_memory`, :func:`~llmsizing.fit.max_batch`,
:func:`~llmsizing.sweep.sweep`, :func:`~llmsizing.perf.estimate_performance`),
draws them on a matplotlib Axes and returns the :class:`matplotlib.figure.Figure`.
Pass ``ax=`` to draw into an existing Axes (e.g. one panel of a grid);
otherwise a new Figure is created without pyplot, so nothing is shown or kept
open unless you do so: ``fig.savefig("chart.png")`` works headless. In
Jupyter, run ``%matplotlib inline`` once so that a returned Figure displays.

matplotlib is imported inside the functions (install the ``plot`` extra):
``import llmsizing`` does not load it, and this module is not imported by
``llmsizing`` itself; use ``from llmsizing import plot``.

Axis labels carry units in brackets; memory is in GiB (2**30 bytes).

Examples
--------
>>> from llmsizing import plot
>>> fig = plot.kv_cache_vs_context(["llama-3.1-70b", "deepseek-v3"], [4096, 32768])
>>> fig.axes[0].get_ylabel()
'KV cache [GiB]'
>>> fig.savefig("kv.png")  # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from llmsizing.catalog import Catalog, Instance, load_catalog
from llmsizing.fit import FitResult, Workload, fit, max_batch
from llmsizing.memory import WeightPolicy, kv_cache_memory
from llmsizing.model import ModelConfig
from llmsizing.perf import estimate_performance
from llmsizing.presets import load_model

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "COMPONENT_COLORS",
    "attention_label",
    "cost_frontier",
    "fit_matrix",
    "kv_cache_vs_context",
    "max_batch_heatmap",
    "memory_breakdown",
    "tokens_label",
]

#: Bar colour of each per-device memory component in :func:`memory_breakdown`.
COMPONENT_COLORS: dict[str, str] = {
    "weights": "#4C72B0",
    "KV cache": "#DD8452",
    "activations": "#55A868",
    "runtime reserve": "#8172B3",
}


# ----------------------------------------------------------------- helpers
def _axes(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    """The Figure of ``ax``, or a new pyplot-free Figure with one Axes."""
    if ax is not None:
        return ax.figure, ax  # type: ignore[return-value]
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def _model(m: ModelConfig | str) -> ModelConfig:
    return load_model(m) if isinstance(m, str) else m


def _instance(i: Instance | str, cat: Catalog) -> Instance:
    return cat.get(i) if isinstance(i, str) else i


def _seq(values: Any) -> list[Any]:
    if isinstance(values, str | ModelConfig | Instance | WeightPolicy):
        return [values]
    return list(values)


def _dtype_name(d: str | WeightPolicy) -> str:
    return d if isinstance(d, str) else d.label()


def tokens_label(n: int) -> str:
    """Short label of a token count: ``1024 → "1k"``, ``131072 → "128k"``, ``2**20 → "1M"``."""
    if n >= 1 << 20 and n % (1 << 20) == 0:
        return f"{n >> 20}M"
    if n >= 1024 and n % 1024 == 0:
        return f"{n >> 10}k"
    return f"{n:,}"


def attention_label(model: ModelConfig) -> str:
    """Short description of a model's attention and KV-cache layout.

    Examples
    --------
    >>> import llmsizing as ls
    >>> attention_label(ls.load_model("gemma-3-27b"))
    'GQA 32q/16kv, hybrid 52 sliding (1k) : 10 full'
    >>> attention_label(ls.as_mha(ls.load_model("deepseek-v3")))
    'MHA 128 heads'
    >>> attention_label(ls.load_model("deepseek-v3"))
    'MLA latent 576'
    """
    if model.mla is not None:
        kind = f"MLA latent {model.mla.kv_lora_rank + model.mla.qk_rope_head_dim}"
    elif model.num_kv_heads == model.num_heads:
        kind = f"MHA {model.num_heads} heads"
    elif model.num_kv_heads == 1:
        kind = f"MQA {model.num_heads}q/1kv"
    else:
        kind = f"GQA {model.num_heads}q/{model.num_kv_heads}kv"
    n_full = model.layer_types.count("full")
    local = [
        (k, model.layer_types.count(k), size)
        for k, size in (
            ("sliding", model.sliding_window),
            ("chunked", model.attention_chunk_size),
        )
        if k in model.layer_types
    ]
    for k, count, size in local:
        w = tokens_label(size) if size else "?"
        kind += f", {k} ({w})" if n_full == 0 else f", hybrid {count} {k} ({w}) : {n_full} full"
    return kind


def _sequences(batch: int) -> str:
    return "1 sequence" if batch == 1 else f"{batch:,} sequences"


def _gib(q: Any) -> float:
    return float(q.to("GiB").magnitude)


# ----------------------------------------------------------------- charts
def memory_breakdown(
    model: ModelConfig | str,
    instances: Iterable[Instance | str] | Instance | str,
    dtypes: Iterable[str | WeightPolicy] | str | None = None,
    workload: Workload | None = None,
    *,
    catalog: Catalog | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Stacked bars of memory per device for one model on instances and weight dtypes.

    One bar per (instance, weight dtype) pair: weights, KV cache, activation
    workspace and runtime reserve on the most loaded device at the tensor
    parallel degree :func:`~llmsizing.fit.fit` chooses (the smallest that
    fits, else the largest), with the device's budget (usable memory ×
    ``memory_utilization``) drawn as a black line over the bar.

    Parameters
    ----------
    model : ModelConfig or str
    instances : Instance, str or iterable of them
    dtypes : str, WeightPolicy or iterable of them, optional
        Weight dtypes; default ``workload.weight_dtype``.
    workload : Workload, optional
        Context, batch, KV dtype and budget (default :class:`~llmsizing.fit.Workload`).
    catalog : Catalog, optional
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default a new Figure.

    Returns
    -------
    matplotlib.figure.Figure
        Bars in GiB per device; ``ax.containers`` hold one BarContainer per
        component, labelled as in :data:`COMPONENT_COLORS`.

    Examples
    --------
    >>> fig = memory_breakdown("llama-3.1-70b", ["g6e.48xlarge", "p5.48xlarge"],
    ...                        dtypes=["bf16", "fp8"])
    >>> [c.get_label() for c in fig.axes[0].containers]
    ['weights', 'KV cache', 'activations', 'runtime reserve']
    >>> fig.savefig("memory.png")  # doctest: +SKIP
    """
    cat = catalog or load_catalog()
    m = _model(model)
    w = workload or Workload()
    insts = [_instance(i, cat) for i in _seq(instances)]
    dts = _seq(w.weight_dtype if dtypes is None else dtypes)
    results: list[tuple[Instance, str | WeightPolicy, FitResult]] = [
        (i, d, fit(m, i, w.model_copy(update={"weight_dtype": d}), catalog=cat))
        for i in insts
        for d in dts
    ]
    fig, ax = _axes(ax, (max(5.0, 1.1 * len(results) + 2.5), 4.5))
    x = np.arange(len(results))
    parts = {
        "weights": [_gib(r.weights) for _, _, r in results],
        "KV cache": [_gib(r.kv_cache) for _, _, r in results],
        "activations": [_gib(r.activations) for _, _, r in results],
        "runtime reserve": [_gib(r.runtime_reserve) for _, _, r in results],
    }
    bottom = np.zeros(len(results))
    width = 0.6
    for name, heights in parts.items():
        ax.bar(x, heights, width, bottom=bottom, label=name, color=COMPONENT_COLORS[name])
        bottom = bottom + np.asarray(heights)
    budget = [_gib(r.available) for _, _, r in results]
    ax.hlines(
        budget,
        x - width / 2 - 0.08,
        x + width / 2 + 0.08,
        colors="black",
        linewidth=2.5,
        label="budget per device",
    )
    labels = []
    for inst, d, r in results:
        verdict = f"TP {r.tp}" + ("" if r.fits else " ✗")
        dtype = f"\n{_dtype_name(d)}" if len(dts) > 1 else ""
        labels.append(f"{inst.name}{dtype}\n{verdict}")
    ax.set_xticks(x, labels, fontsize=8)
    ax.set_ylabel("memory per device [GiB]")
    dtype_note = "" if len(dts) > 1 else f", weights {_dtype_name(dts[0])}"
    ax.set_title(
        f"{m.name}: {_sequences(w.batch)} × {tokens_label(w.context_len)} tokens{dtype_note}, "
        f"KV {w.kv_dtype}",
        fontsize=10,
    )
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.grid(axis="y", alpha=0.3)
    return fig


def kv_cache_vs_context(
    models: Iterable[ModelConfig | str] | ModelConfig | str,
    contexts: Sequence[int] | Any = None,
    kv_dtype: str | float = "bf16",
    *,
    batch: int = 1,
    ax: Axes | None = None,
) -> Figure:
    """KV-cache memory against context length for several models or attention variants.

    One line per model, computed with :func:`~llmsizing.memory.kv_cache_memory`
    (whole model, ``batch`` sequences, no sharding). Compare attention kinds
    by passing variants of one model, e.g. ``[m, ls.as_mha(m)]``. Points
    beyond a model's ``max_position_embeddings`` are not drawn (NaN). Both
    axes are logarithmic.

    Parameters
    ----------
    models : ModelConfig, str or iterable of them
    contexts : sequence of int, optional
        Context lengths [tokens]; default 41 points from 1k to 1M.
    kv_dtype : str or float
        KV-cache dtype or bit width.
    batch : int
        Sequences [-].
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
        One Line2D per model, in order, with x = contexts [tokens] and
        y = KV cache [GiB], labelled with :func:`attention_label`.

    Examples
    --------
    >>> import llmsizing as ls
    >>> m = ls.load_model("llama-3.1-70b")
    >>> fig = kv_cache_vs_context([ls.as_mha(m), m], [1024, 131072])
    >>> [line.get_ydata().tolist() for line in fig.axes[0].get_lines()]
    [[2.5, 320.0], [0.3125, 40.0]]
    >>> fig.savefig("kv.png")  # doctest: +SKIP
    """
    ms = [_model(m) for m in _seq(models)]
    if contexts is None:
        contexts = np.unique(np.geomspace(1024, 1 << 20, 41).round().astype(np.int64))
    ctx = np.asarray(contexts, dtype=np.int64)
    fig, ax = _axes(ax, (10.0, 4.5))
    for m in ms:
        y = np.asarray(kv_cache_memory(m, ctx, batch, kv_dtype).to("GiB").magnitude, dtype=float)
        if m.max_position_embeddings:
            y = np.where(ctx <= m.max_position_embeddings, y, np.nan)
        ax.plot(
            ctx, y, marker="." if len(ctx) <= 12 else None, label=f"{m.name}: {attention_label(m)}"
        )
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ticks = [c for c in (2**k for k in range(0, 31, 2)) if ctx.min() <= c <= ctx.max()]
    if ticks:
        ax.set_xticks(ticks, [tokens_label(c) for c in ticks])
    ax.set_xlabel("context length [tokens]")
    ax.set_ylabel("KV cache [GiB]")
    ax.set_title(f"KV cache of {_sequences(batch)}, {kv_dtype}", fontsize=10)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig


def max_batch_heatmap(
    model: ModelConfig | str,
    instance: Instance | str,
    contexts: Sequence[int],
    dtypes: Iterable[str | WeightPolicy] | str,
    workload: Workload | None = None,
    *,
    catalog: Catalog | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Most concurrent sequences that fit one instance, over context × weight dtype.

    Each cell is :func:`~llmsizing.fit.max_batch` for that context and
    weight dtype (KV dtype and budget from ``workload``); 0 means not even
    one sequence fits, a blank cell a context beyond the model's maximum.
    Colours are on a symmetric-log scale, the numbers are written in the cells.

    Parameters
    ----------
    model : ModelConfig or str
    instance : Instance or str
    contexts : sequence of int
        Context lengths [tokens] (columns).
    dtypes : str, WeightPolicy or iterable of them
        Weight dtypes (rows).
    workload : Workload, optional
    catalog : Catalog, optional
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
        ``ax.images[0].get_array()`` holds the max batch [-], shape
        (dtypes, contexts), masked where the context is invalid.

    Examples
    --------
    >>> fig = max_batch_heatmap("llama-3.1-8b", "g6e.xlarge", [8192, 32768], ["bf16", "fp8"])
    >>> fig.axes[0].images[0].get_array().tolist()
    [[23, 5], [30, 7]]
    >>> fig.savefig("max_batch.png")  # doctest: +SKIP
    """
    from matplotlib.colors import SymLogNorm

    cat = catalog or load_catalog()
    m = _model(model)
    inst = _instance(instance, cat)
    w = workload or Workload()
    dts = _seq(dtypes)
    ctx = [int(c) for c in contexts]
    values = np.ma.array(np.zeros((len(dts), len(ctx)), dtype=np.int64), mask=True)
    for i, d in enumerate(dts):
        wd = w.model_copy(update={"weight_dtype": d})
        for j, c in enumerate(ctx):
            if m.max_position_embeddings and c > m.max_position_embeddings:
                continue
            values[i, j] = max_batch(m, inst, c, wd, catalog=cat)
    fig, ax = _axes(ax, (max(4.5, 0.9 * len(ctx) + 2.5), max(2.5, 0.55 * len(dts) + 1.8)))
    vmax = max(1, int(values.max()) if values.count() else 1)
    im = ax.imshow(
        values,
        cmap="viridis",
        norm=SymLogNorm(linthresh=1, vmin=0, vmax=vmax),
        aspect="auto",
    )
    for i in range(len(dts)):
        for j in range(len(ctx)):
            v = values[i, j]
            if v is np.ma.masked:
                text, color = "n/a", "black"
            else:  # light text on the dark (low) end of viridis
                text, color = f"{int(v):,}", "white" if v < math.sqrt(vmax) else "black"
            ax.text(j, i, text, ha="center", va="center", fontsize=8, color=color)
    ax.set_xticks(range(len(ctx)), [tokens_label(c) for c in ctx])
    ax.set_yticks(range(len(dts)), [_dtype_name(d) for d in dts])
    ax.set_xlabel("context length [tokens]")
    ax.set_ylabel("weight dtype")
    ax.set_title(
        f"{m.name} on {inst.name}: max concurrent sequences (KV {w.kv_dtype})", fontsize=10
    )
    fig.colorbar(im, ax=ax, label="max concurrent sequences [-]")
    return fig


def fit_matrix(
    models: Iterable[ModelConfig | str] | ModelConfig | str,
    instances: Iterable[Instance | str] | Instance | str,
    workload: Workload | None = None,
    *,
    catalog: Catalog | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Models × instances, coloured by headroom per device, cells annotated with TP and GiB.

    Computed with :func:`~llmsizing.sweep.sweep` (the numbers of
    :func:`~llmsizing.fit.fit`): each cell is ``available − required`` per
    device at the chosen TP degree [GiB], green where the model fits and red
    where it does not (then at the largest degree), on a symmetric-log colour
    scale; a cell whose context
    exceeds the model's maximum is blank ("n/a").

    Parameters
    ----------
    models : ModelConfig, str or iterable of them
    instances : Instance, str or iterable of them
    workload : Workload, optional
    catalog : Catalog, optional
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
        ``ax.images[0].get_array()`` holds the headroom [GiB], shape
        (models, instances); cell texts read ``"TP 8\\n+12.3"``, or
        ``"✗ TP 8\\n-40.1"`` where the model does not fit.

    Examples
    --------
    >>> import llmsizing as ls
    >>> fig = fit_matrix(["llama-3.1-8b", "llama-3.1-70b"], ["g6e.xlarge", "p5.48xlarge"],
    ...                  ls.Workload(context_len=8192, batch=4))
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['TP 1\\n+19.8', 'TP 1\\n+51.0', '✗ TP 1\\n-103.3', 'TP 4\\n+34.6']
    >>> fig.savefig("fit_matrix.png")  # doctest: +SKIP
    """
    from matplotlib.colors import SymLogNorm

    from llmsizing.sweep import sweep

    w = workload or Workload()
    cat = catalog or load_catalog()
    ms = [_model(m) for m in _seq(models)]
    insts = [_instance(i, cat) for i in _seq(instances)]
    df = sweep(ms, insts, workload=w, catalog=cat)
    shape = (len(ms), len(insts))
    head = np.ma.masked_invalid(df["headroom_GiB"].to_numpy(dtype=float).reshape(shape))
    fits = df["fits"].to_numpy().reshape(shape)
    tps = df["tp"].to_numpy(dtype=float, na_value=np.nan).reshape(shape)
    fig, ax = _axes(ax, (max(5.0, 1.15 * len(insts) + 2.5), max(2.5, 0.6 * len(ms) + 2.0)))
    lim = float(np.abs(head).max()) if head.count() else 1.0
    im = ax.imshow(
        head,
        cmap="RdYlGn",
        # symmetric about 0 (yellow), logarithmic beyond 4 GiB either way
        norm=SymLogNorm(linthresh=4.0, vmin=-max(lim, 4.0), vmax=max(lim, 4.0)),
        aspect="auto",
    )
    for i in range(shape[0]):
        for j in range(shape[1]):
            if head[i, j] is np.ma.masked:
                text = "n/a"
            else:
                mark = "" if fits[i, j] else "✗ "
                text = f"{mark}TP {int(tps[i, j])}\n{float(head[i, j]):+.1f}"
            ax.text(j, i, text, ha="center", va="center", fontsize=8)
    ax.set_xticks(range(shape[1]), [i.name for i in insts], rotation=30, ha="right")
    ax.set_yticks(range(shape[0]), [m.name for m in ms])
    ax.set_xlabel("instance")
    ax.set_ylabel("model")
    ax.set_title(
        f"headroom per device: {_sequences(w.batch)} × {tokens_label(w.context_len)} tokens, "
        f"weights {_dtype_name(w.weight_dtype)}, KV {w.kv_dtype}",
        fontsize=10,
    )
    fig.colorbar(im, ax=ax, label="headroom per device [GiB]")
    return fig


def _pareto(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Points no other point beats on both axes (lower is better), by ascending x."""
    front: list[tuple[float, float]] = []
    for x, y in sorted(points):
        if not front or y < front[-1][1]:
            front.append((x, y))
    return front


def cost_frontier(
    model: ModelConfig | str,
    instances: Iterable[Instance | str] | Instance | str,
    workload: Workload | None = None,
    batches: Sequence[int] | None = None,
    *,
    catalog: Catalog | None = None,
    ax: Axes | None = None,
    **perf: Any,
) -> Figure:
    """USD per 1M output tokens against time per output token, per instance and batch.

    For each instance one line over ``batches``, each point from
    :func:`~llmsizing.perf.estimate_performance` (roofline decode, us-east-1
    on-demand price). A batch that no layout holds (not on one instance and
    not in pipeline stages) is left out; an instance without a public price
    is left out and named in a note under the axes. The dashed black line is
    the frontier: the cheapest point at each latency.

    Parameters
    ----------
    model : ModelConfig or str
    instances : Instance, str or iterable of them
    workload : Workload, optional
        Prompt/output lengths, dtypes and budget; its ``batch`` is replaced by ``batches``.
    batches : sequence of int, optional
        Concurrent sequences [-]; default 1, 2, 4, ..., 256.
    catalog : Catalog, optional
    ax : matplotlib.axes.Axes, optional
    **perf
        Passed to :func:`~llmsizing.perf.estimate_performance` (``mfu``,
        ``bandwidth_utilization``, ``interconnect_utilization``).

    Returns
    -------
    matplotlib.figure.Figure
        One Line2D per priced instance, labelled with its name, x = time per
        output token [ms], y = USD per 1M output tokens; then the frontier
        line (label ``"frontier"``).

    Examples
    --------
    >>> import llmsizing as ls
    >>> fig = cost_frontier("llama-3.1-8b", ["g6e.xlarge", "p5e.48xlarge"],
    ...                     ls.Workload(prompt_len=1024, output_len=256), batches=[1, 8])
    >>> [line.get_label() for line in fig.axes[0].get_lines()]
    ['g6e.xlarge', 'frontier']
    >>> fig.axes[0].texts[-1].get_text()
    'not shown: p5e.48xlarge (no public on-demand price)'
    >>> fig.savefig("cost.png")  # doctest: +SKIP
    """
    cat = catalog or load_catalog()
    m = _model(model)
    w = workload or Workload()
    bs = [int(b) for b in (batches if batches is not None else [2**k for k in range(9)])]
    fig, ax = _axes(ax, (7.0, 4.8))
    skipped: list[str] = []
    points: list[tuple[float, float]] = []
    for inst in (_instance(i, cat) for i in _seq(instances)):
        if cat.hourly_price(inst.name) is None and "usd_per_hour" not in perf:
            skipped.append(f"{inst.name} (no public on-demand price)")
            continue
        xs, ys, shown = [], [], []
        for b in bs:
            wb = w.model_copy(update={"batch": b})
            r = fit(m, inst, wb, catalog=cat)
            if not r.fits and r.instances_needed is None:
                continue
            est = estimate_performance(m, inst, wb, catalog=cat, **perf)
            cost = est.usd_per_million_output_tokens
            if cost is None:
                continue
            xs.append(float(est.tpot.to("ms").magnitude))
            ys.append(float(cost))
            shown.append(b)
        if not xs:
            skipped.append(f"{inst.name} (does not hold the model)")
            continue
        (line,) = ax.plot(xs, ys, marker="o", markersize=4, label=inst.name)
        for x, y, b in ((xs[0], ys[0], shown[0]), (xs[-1], ys[-1], shown[-1])):
            ax.annotate(
                f"B={b}",
                (x, y),
                textcoords="offset points",
                xytext=(4, 3),
                fontsize=7,
                color=line.get_color(),
            )
        points.extend(zip(xs, ys, strict=True))
    front = _pareto(points)
    if front:
        fx, fy = zip(*front, strict=True)
        ax.plot(fx, fy, "k--", linewidth=1, drawstyle="steps-post", label="frontier")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("time per output token [ms]")
    ax.set_ylabel("cost [USD per 1M output tokens]")
    ax.set_title(
        f"{m.name}: {tokens_label(w.prompt_tokens)} prompt, {w.output_tokens} output tokens, "
        f"weights {_dtype_name(w.weight_dtype)}",
        fontsize=10,
    )
    ax.grid(True, which="major", alpha=0.3)
    if points:
        ax.legend(fontsize=8)
    if skipped:
        ax.text(
            0.0,
            -0.18,
            "not shown: " + "; ".join(skipped),
            transform=ax.transAxes,
            fontsize=7,
            va="top",
        )
    return fig
