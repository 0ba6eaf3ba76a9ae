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

Every chart is laid out for a plain ``fig.savefig(...)``: a new Figure uses
matplotlib's ``constrained`` layout, titles and notes are wrapped to the width
of their axes, logarithmic and colour-bar ticks are chosen so that their
labels do not collide, and point labels that would overlap are not drawn.

Examples
--------
>>> from llmsizing import plot
>>> fig = plot.kv_cache_vs_context(["llama-3.1-70b", "deepseek-v3"], [4096, 32768])
>>> fig.axes[0].get_ylabel()
'KV cache [GiB]'
>>> fig.savefig("kv.png")  # doctest: +SKIP
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from llmsizing.catalog import Catalog, Instance, load_catalog
from llmsizing.fit import FitResult, Workload, fit, max_batch
from llmsizing.memory import WeightPolicy, kv_cache_memory
from llmsizing.model import ModelConfig
from llmsizing.perf import PerfEstimate, estimate_performance
from llmsizing.presets import list_models, load_model

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.colorbar import Colorbar
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


#: Title part of a matrix with blank cells.
_NA_NOTE = "n/a: context beyond the model's maximum"


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


def _distinct_models(
    models: Iterable[ModelConfig | str] | ModelConfig | str,
) -> list[tuple[ModelConfig, str]]:
    """Each distinct model once, with its label: other preset names given for it in brackets.

    An alias and its preset (``deepseek-r1`` is ``deepseek-v3``), a name given
    twice in another case, or a config equal to a preset fold into one entry
    labelled ``"deepseek-v3 (= deepseek-r1)"``.
    """
    presets = set(list_models())
    rows: list[tuple[ModelConfig, list[str]]] = []
    for spec in _seq(models):
        m = _model(spec)
        names = [spec.lower()] if isinstance(spec, str) and spec.lower() in presets else []
        for seen, aliases in rows:
            if seen is m or seen == m:
                aliases.extend(names)
                break
        else:
            rows.append((m, names))
    out = []
    for m, names in rows:
        others = [n for n in dict.fromkeys(names) if n != m.name.lower()]
        out.append((m, m.name + (f" (= {', '.join(others)})" if others else "")))
    return out


# ------------------------------------------------------------ text layout
@functools.cache
def _measurer() -> Any:
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(1, 1, 72)  # type: ignore[no-untyped-call]  # 72 dpi: pixels are points


def _text_size(text: str, fontsize: float) -> tuple[float, float]:
    """Width and height of ``text`` (the widest line, all lines) at ``fontsize`` [pt]."""
    from matplotlib.font_manager import FontProperties

    prop = FontProperties(size=fontsize)
    lines = text.split("\n")
    sizes = [
        _measurer().get_text_width_height_descent(line or " ", prop, ismath="$" in line)[:2]
        for line in lines
    ]
    return max(w for w, _ in sizes), 1.2 * fontsize * len(lines)


def _tick_fontsize(which: str) -> float:
    from matplotlib import rcParams
    from matplotlib.font_manager import FontProperties

    size = rcParams["xtick.labelsize" if which == "x" else "ytick.labelsize"]
    return float(FontProperties(size=size).get_size_in_points())


def _wrap(parts: Sequence[str], width: float, fontsize: float, sep: str = ", ") -> str:
    """Join ``parts`` with ``sep``, starting a new line wherever a line would exceed ``width``.

    A part ending in a colon joins the next with a space; a part wider than
    ``width`` on its own is broken between words.
    """
    lines: list[str] = []

    def add(piece: str, joiner: str) -> None:
        if lines and _text_size(lines[-1] + joiner + piece, fontsize)[0] <= width:
            lines[-1] += joiner + piece
        else:
            if lines:
                lines[-1] += joiner.rstrip()
            lines.append(piece)

    joiner = sep
    for part in parts:
        if _text_size(part, fontsize)[0] <= width:
            add(part, joiner)
        else:
            for k, word in enumerate(part.split(" ")):
                add(word, joiner if k == 0 else " ")
        joiner = " " if part.endswith(":") else sep
    return "\n".join(lines)


def _axes_size(ax: Axes) -> tuple[float, float]:
    """Width and height of ``ax`` as laid out now [pt]."""
    box = ax.get_window_extent()
    dpi = float(ax.figure.dpi) if ax.figure is not None else 72.0
    return float(box.width) * 72 / dpi, float(box.height) * 72 / dpi


def _layout(ax: Axes) -> None:
    """Run the layout engine of the figure ``ax`` is in (no pixels drawn)."""
    fig: Any = ax.figure
    root = getattr(fig, "figure", fig)  # a SubFigure's figure is the whole Figure
    root.draw_without_rendering()


def _number(v: float) -> str:
    """Tick label of a positive round number: ``0.05``, ``2``, ``1,000``."""
    if v >= 1:
        return f"{v:,.0f}"
    return str(np.format_float_positional(round(v, 12), trim="-"))


#: Log-axis tick multipliers per decade, finest first; then every 2nd, 3rd... decade.
_LOG_SUBS: tuple[tuple[float, ...], ...] = (
    (1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 5),
    (1, 3),
    (1,),
)


def _log_ticks(ax: Axes, which: str, max_ticks: int = 8) -> None:
    """Plain-number ticks on a log axis: the finest 1-2-5 series whose labels do not collide.

    Minor ticks stay as unlabelled marks. Call once the layout is known.
    """
    from matplotlib.ticker import NullFormatter

    axis = ax.xaxis if which == "x" else ax.yaxis
    lo, hi = sorted(ax.get_xlim() if which == "x" else ax.get_ylim())
    if not (lo > 0 and hi > lo and math.isfinite(hi)):
        return
    size = _tick_fontsize(which)
    length = _axes_size(ax)[0 if which == "x" else 1]
    span = math.log10(hi / lo)
    k0, k1 = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    series = [[s * 10.0**k for k in range(k0, k1 + 1) for s in subs] for subs in _LOG_SUBS]
    series += [[10.0**k for k in range(k0, k1 + 1) if k % step == 0] for step in (2, 3, 4, 5)]
    chosen: list[float] = []
    for cand in series:
        ticks = [t for t in cand if lo <= t <= hi]
        labels = [_number(t) for t in ticks]
        at = [math.log10(t / lo) / span * length for t in ticks]
        if which == "x":
            need = [
                (_text_size(a, size)[0] + _text_size(b, size)[0]) / 2 + 0.8 * size
                for a, b in itertools.pairwise(labels)
            ]
        else:
            need = [1.8 * size] * max(0, len(ticks) - 1)
        gaps = np.diff(at)
        if len(ticks) <= max_ticks and all(g >= n for g, n in zip(gaps, need, strict=True)):
            chosen = ticks
            break
    if len(chosen) < 2:  # a range too narrow for round numbers: matplotlib's own choice
        return
    if which == "x":
        ax.set_xticks(chosen, [_number(t) for t in chosen])
    else:
        ax.set_yticks(chosen, [_number(t) for t in chosen])
    axis.set_minor_formatter(NullFormatter())


def _symlog_colorbar_ticks(cbar: Colorbar, linthresh: float, signed: bool) -> None:
    """Colour-bar ticks at 0 and ±10^k, thinned so that no two labels collide."""
    norm = cbar.norm
    vmax = float(norm.vmax or 1.0)
    size = _tick_fontsize("y")
    length = _axes_size(cbar.ax)[1]
    mags = [10.0**k for k in range(0, 16) if linthresh <= 10.0**k <= vmax]
    if not mags and vmax > 0:
        mags = [vmax]
    kept: list[float] = [0.0]
    for v in mags:  # outwards from 0, each far enough from the last one kept
        if (float(norm(v)) - float(norm(kept[-1]))) * length >= 1.8 * size:
            kept.append(v)
    ticks = [-v for v in reversed(kept[1:])] + kept if signed else kept

    def label(v: float) -> str:
        if v == 0:
            return "0"
        text = f"{abs(v):,.0f}" if abs(v) >= 1 else _number(abs(v))
        return ("+" if v > 0 else "\u2212") + text if signed else text

    cbar.set_ticks(ticks, labels=[label(v) for v in ticks])
    cbar.ax.minorticks_off()


def _finish(
    ax: Axes,
    title: Sequence[str],
    *,
    fontsize: float = 10,
    log: str = "",
    note: Sequence[str] = (),
    colorbar: tuple[Colorbar, float, bool] | None = None,
) -> None:
    """Lay out ``ax`` for a plain savefig once everything is drawn on it.

    The title (``title`` joined by commas, by a space after a colon) is
    wrapped to the width of the axes as the layout engine places them,
    logarithmic axes named in ``log``
    (``"x"``, ``"y"``, ``"xy"``) get plain-number ticks that do not collide,
    ``colorbar`` (the bar, its symlog threshold, whether signed) gets thinned
    ticks, and ``note`` (joined by semicolons) is written under the x label.
    """
    ax.set_title(_wrap(title, math.inf, fontsize), fontsize=fontsize)
    if note:
        ax.annotate(
            "; ".join(note),
            xy=(0.0, 0.0),
            xycoords=(ax.transAxes, ax.xaxis.label),  # x: axes, y: under the x label
            xytext=(0.0, -6.0),
            textcoords="offset points",
            fontsize=7,
            va="top",
            annotation_clip=False,
        )
    _layout(ax)  # run the layout engine: the axes' final size
    width = _axes_size(ax)[0]
    wrapped = _wrap(title, width, fontsize)
    changed = wrapped != ax.get_title()
    ax.set_title(wrapped, fontsize=fontsize)
    if note:
        wrapped = _wrap(note, width, 7, sep="; ")
        changed |= wrapped != ax.texts[-1].get_text()
        ax.texts[-1].set_text(wrapped)
    if changed and (log or colorbar is not None):
        _layout(ax)  # taller title or note: shorter axes
    for which in log:
        _log_ticks(ax, which)
    if colorbar is not None:
        _symlog_colorbar_ticks(*colorbar)


#: Offsets of a point label from its point [pt] and its alignment, in the order tried.
_LABEL_OFFSETS: tuple[tuple[float, float, str, str], ...] = (
    (4.0, 3.0, "left", "bottom"),
    (4.0, -3.0, "left", "top"),
    (-4.0, 3.0, "right", "bottom"),
    (-4.0, -3.0, "right", "top"),
    (0.0, 5.0, "center", "bottom"),
    (0.0, -5.0, "center", "top"),
    (7.0, 0.0, "left", "center"),
    (-7.0, 0.0, "right", "center"),
    (8.0, 7.0, "left", "bottom"),
    (8.0, -7.0, "left", "top"),
    (-8.0, 7.0, "right", "bottom"),
    (-8.0, -7.0, "right", "top"),
)


def _polyline_samples(xy: np.ndarray, step: float) -> np.ndarray:
    """Points every ``step`` (or closer) along the polyline through ``xy``, shape (n, 2)."""
    xy = xy[np.isfinite(xy).all(axis=1)]
    if len(xy) < 2:
        return xy
    out = [xy[-1:]]
    for a, b in itertools.pairwise(xy):
        n = max(1, math.ceil(float(np.hypot(*(b - a))) / step))
        t = np.arange(n)[:, None] / n
        out.append(a + t * (b - a))
    return np.concatenate(out)


@functools.cache
def _label_placer() -> type:
    """The artist class that places point labels at draw time (matplotlib loads lazily)."""
    from matplotlib.artist import Artist
    from matplotlib.transforms import Bbox

    class PointLabels(Artist):
        """Shows each label at the first offset where it stays inside the axes and
        overlaps no label already shown, no marker and no line; hides it where none works.

        Labels are tried in the order given (put the most important first).
        Drawn just before the texts (zorder 2.9), so the texts draw as placed.
        """

        def __init__(self, labels: list[Any], lines: list[Any], marker_pt: float) -> None:
            super().__init__()
            self._labels = labels
            self._lines = lines  # the Line2D whose markers and segments labels avoid
            self._marker_pt = marker_pt
            self.set_zorder(2.9)
            self.set_in_layout(False)

        def draw(self, renderer: Any) -> None:
            ax: Any = self.axes
            r = self._marker_pt * renderer.points_to_pixels(1.0)
            pad = renderer.points_to_pixels(1.0)
            area = ax.bbox
            paths = [
                ax.transData.transform(np.column_stack([ln.get_xdata(), ln.get_ydata()]))
                for ln in self._lines
            ]
            marks = [Bbox([[x - r, y - r], [x + r, y + r]]) for xy in paths for x, y in xy]
            along = [_polyline_samples(xy, 1.5 * pad) for xy in paths]
            on_lines = np.concatenate(along) if along else np.zeros((0, 2))
            shown: list[Any] = []
            for ann in self._labels:
                callback, ann.stale_callback = ann.stale_callback, None  # no redraw loop
                ann.set_visible(True)
                for dx, dy, ha, va in _LABEL_OFFSETS:
                    ann.xyann = (dx, dy)
                    ann.set_horizontalalignment(ha)
                    ann.set_verticalalignment(va)
                    bb = ann.get_window_extent(renderer).padded(pad)
                    inside = (
                        bb.x0 >= area.x0
                        and bb.x1 <= area.x1
                        and bb.y0 >= area.y0
                        and bb.y1 <= area.y1
                    )
                    crossed = bool(
                        (
                            (on_lines[:, 0] > bb.x0)
                            & (on_lines[:, 0] < bb.x1)
                            & (on_lines[:, 1] > bb.y0)
                            & (on_lines[:, 1] < bb.y1)
                        ).any()
                    )
                    if inside and not crossed and not any(bb.overlaps(o) for o in (*shown, *marks)):
                        shown.append(bb)
                        break
                else:
                    ann.set_visible(False)
                ann.stale_callback = callback

    PointLabels.__name__ = PointLabels.__qualname__ = "_PointLabels"  # pickles by name
    return PointLabels


def __getattr__(name: str) -> Any:
    if name == "_PointLabels":  # the placer class, created when first needed (unpickling)
        return _label_placer()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    workspace and runtime reserve on the most loaded device in the parallel
    layout :func:`~llmsizing.fit.fit` chooses (``TP8``, ``DP8×EP8``: the fewest
    devices that fit, else the largest TP degree), with the device's budget
    (usable memory × ``memory_utilization``) drawn as a black line over the
    bar. Each bar is labelled with its instance, dtype and layout; ✗ marks a
    bar that does not fit, "(needs 2)" the instances a pipeline over
    instances would take.

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
        component, labelled as in :data:`COMPONENT_COLORS`; the x tick labels
        read ``"p5en.48xlarge\\nDP8×EP8"`` (a dtype line between them when
        several are drawn).

    Examples
    --------
    >>> fig = memory_breakdown("llama-3.1-70b", ["g6e.48xlarge", "p5.48xlarge"],
    ...                        dtypes=["bf16", "fp8"])
    >>> [c.get_label() for c in fig.axes[0].containers]
    ['weights', 'KV cache', 'activations', 'runtime reserve']
    >>> fig.axes[0].get_xticklabels()[0].get_text()
    'g6e.48xlarge\\nbf16\\nTP4'
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
    labels = []
    for inst, d, r in results:
        dtype = f"\n{_dtype_name(d)}" if len(dts) > 1 else ""
        verdict = "" if r.fits else " ✗"
        if not r.fits and r.instances_needed is not None:
            verdict += f" (needs {r.instances_needed})"
        labels.append(f"{inst.name}{dtype}\n{r.layout.label}{verdict}")
    per_bar = max(1.1, max(_text_size(t, 8)[0] for t in labels) / 72 + 0.25)
    fig, ax = _axes(ax, (max(5.0, per_bar * len(results) + 2.5), 4.5))
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
    ax.set_xticks(x, labels, fontsize=8)
    ax.set_ylabel("memory per device [GiB]")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.grid(axis="y", alpha=0.3)
    title = [f"{m.name}:", f"{_sequences(w.batch)} × {tokens_label(w.context_len)} tokens"]
    if len(dts) == 1:
        title.append(f"weights {_dtype_name(dts[0])}")
    _finish(ax, [*title, f"KV {w.kv_dtype}"])
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

    One line per distinct model (an alias and its preset draw once), computed
    with :func:`~llmsizing.memory.kv_cache_memory`
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
        One Line2D per distinct model, in order, with x = contexts [tokens] and
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
    ms = [m for m, _ in _distinct_models(models)]
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
    given = np.unique(ctx)
    if 1 < len(given) <= 8 and np.diff(np.log2(given)).min() >= 1:
        ticks = [int(c) for c in given]  # a few contexts, an octave or more apart: tick each
    else:
        ticks = [c for c in (2**k for k in range(0, 31, 2)) if ctx.min() <= c <= ctx.max()]
    if ticks:
        ax.set_xticks(ticks, [tokens_label(c) for c in ticks])
    ax.set_xlabel("context length [tokens]")
    ax.set_ylabel("KV cache [GiB]")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    _finish(ax, [f"KV cache of {_sequences(batch)}", f"{kv_dtype}"], log="y")
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
    fig, ax = _axes(ax, (max(5.5, 0.9 * len(ctx) + 2.5), max(2.5, 0.55 * len(dts) + 1.8)))
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
    cbar = fig.colorbar(im, ax=ax, label="max concurrent sequences [-]")
    _finish(
        ax,
        [
            f"{m.name} on {inst.name}:",
            "max concurrent sequences",
            f"KV {w.kv_dtype}",
            *([_NA_NOTE] if np.ma.getmaskarray(values).any() else []),
        ],
        colorbar=(cbar, 1.0, False),
    )
    return fig


def fit_matrix(
    models: Iterable[ModelConfig | str] | ModelConfig | str,
    instances: Iterable[Instance | str] | Instance | str,
    workload: Workload | None = None,
    *,
    catalog: Catalog | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Models × instances, coloured by headroom per device, cells annotated with layout and GiB.

    Computed with :func:`~llmsizing.sweep.sweep` (the numbers of
    :func:`~llmsizing.fit.fit`): each cell is ``available − required`` per
    device in the chosen layout [GiB], green where the model fits and red
    where it does not (then at the largest TP degree), on a symmetric-log
    colour scale; a cell whose context exceeds the model's maximum is blank
    ("n/a"). One row per distinct model: an alias and its preset
    (``deepseek-r1`` is ``deepseek-v3``) share a row labelled
    ``"deepseek-v3 (= deepseek-r1)"``.

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
        (distinct models, instances); cell texts read ``"TP8\\n+12.3"`` or
        ``"DP8×EP8\\n+3.1"``, or ``"✗ TP8\\n-40.1"`` where the model does not fit.

    Examples
    --------
    >>> import llmsizing as ls
    >>> fig = fit_matrix(["llama-3.1-8b", "llama-3.1-70b"], ["g6e.xlarge", "p5.48xlarge"],
    ...                  ls.Workload(context_len=8192, batch=4))
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['TP1\\n+19.8', 'TP1\\n+51.0', '✗ TP1\\n-103.3', 'TP4\\n+34.6']
    >>> fig.savefig("fit_matrix.png")  # doctest: +SKIP
    """
    from matplotlib.colors import SymLogNorm

    from llmsizing.sweep import sweep

    w = workload or Workload()
    cat = catalog or load_catalog()
    rows = _distinct_models(models)
    ms = [m for m, _ in rows]
    insts = [_instance(i, cat) for i in _seq(instances)]
    df = sweep(ms, insts, workload=w, catalog=cat)
    shape = (len(ms), len(insts))
    head = np.ma.masked_invalid(df["headroom_GiB"].to_numpy(dtype=float).reshape(shape))
    fits = df["fits"].to_numpy().reshape(shape)
    layouts = df["layout"].astype(str).to_numpy().reshape(shape)
    texts = np.full(shape, "n/a", dtype=object)
    for i in range(shape[0]):
        for j in range(shape[1]):
            if head[i, j] is not np.ma.masked:
                mark = "" if fits[i, j] else "✗ "
                texts[i, j] = f"{mark}{layouts[i, j]}\n{float(head[i, j]):+.1f}"
    cell = max(1.1, max(_text_size(t, 8)[0] for t in texts.flat) / 72 + 0.3)
    names = max(_text_size(label, _tick_fontsize("y"))[0] for _, label in rows) / 72
    fig, ax = _axes(ax, (max(6.0, cell * len(insts) + names + 2.0), max(3.0, 0.6 * len(ms) + 2.2)))
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
            ax.text(j, i, texts[i, j], ha="center", va="center", fontsize=8)
    ax.set_xticks(range(shape[1]), [i.name for i in insts], rotation=30, ha="right")
    ax.set_yticks(range(shape[0]), [label for _, label in rows])
    ax.set_xlabel("instance")
    ax.set_ylabel("model")
    cbar = fig.colorbar(im, ax=ax, label="headroom per device [GiB]")
    _finish(
        ax,
        [
            "headroom per device:",
            f"{_sequences(w.batch)} × {tokens_label(w.context_len)} tokens",
            f"weights {_dtype_name(w.weight_dtype)}",
            f"KV {w.kv_dtype}",
            *([_NA_NOTE] if np.ma.getmaskarray(head).any() else []),
        ],
        colorbar=(cbar, 4.0, True),
    )
    return fig


def _pareto(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Points no other point beats on both axes (lower is better), by ascending x."""
    front: list[tuple[float, float]] = []
    for x, y in sorted(points):
        if not front or y < front[-1][1]:
            front.append((x, y))
    return front


def _series_label(inst: str, est: PerfEstimate) -> str:
    label = f"{inst}: {est.layout.label}"
    if est.replicas > 1:
        label += f", {est.replicas} replicas"
    if est.instances > 1:
        label += f", {est.instances} instances"
    return label


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
    """USD per 1M output tokens against time per output token, per instance, layout and batch.

    Each point is :func:`~llmsizing.perf.estimate_performance` (roofline
    decode, us-east-1 on-demand price) at one batch of sequences per replica,
    in the layout :func:`~llmsizing.fit.fit` chooses for it. One line per
    batch series: the batches one instance serves in one layout (``TP2``,
    ``DP8×EP8``, a pipeline over instances), in batch order, so that each line
    runs monotonically to slower and cheaper; a larger batch that needs a
    wider layout starts a new line in the instance's colour and another line
    style. Lines are named in the legend, points with their batch (``B=16``)
    wherever the label has room. A batch that no layout holds (not on one
    instance and not in pipeline stages) is left out; an instance without a
    public price is left out and named in a note under the axes. The broad
    grey line is the frontier: the cheapest point at each latency.

    Parameters
    ----------
    model : ModelConfig or str
    instances : Instance, str or iterable of them
    workload : Workload, optional
        Prompt/output lengths, dtypes and budget; its ``batch`` is replaced by ``batches``.
    batches : sequence of int, optional
        Concurrent sequences per replica [-]; default 1, 2, 4, ..., 256.
    catalog : Catalog, optional
    ax : matplotlib.axes.Axes, optional
    **perf
        Passed to :func:`~llmsizing.perf.estimate_performance` (``mfu``,
        ``bandwidth_utilization``, ``interconnect_utilization``, ``usd_per_hour``).

    Returns
    -------
    matplotlib.figure.Figure
        One Line2D per batch series, labelled ``"instance: layout"`` (with the
        replicas per instance, or the instances a pipeline spans), x = time
        per output token [ms], y = USD per 1M output tokens, points in batch
        order; then the frontier line (label ``"frontier"``). ``ax.texts``
        hold a ``"B=..."`` annotation per point, then the note, if any.

    Examples
    --------
    >>> import llmsizing as ls
    >>> fig = cost_frontier("llama-3.1-8b", ["g6e.xlarge", "p5e.48xlarge"],
    ...                     ls.Workload(prompt_len=1024, output_len=256), batches=[1, 8])
    >>> [line.get_label() for line in fig.axes[0].get_lines()]
    ['g6e.xlarge: TP1', 'frontier']
    >>> fig.axes[0].texts[-1].get_text()
    'not shown: p5e.48xlarge (no public on-demand price)'
    >>> fig.savefig("cost.png")  # doctest: +SKIP
    """
    from matplotlib import rcParams

    cat = catalog or load_catalog()
    m = _model(model)
    w = workload or Workload()
    bs = sorted({int(b) for b in (batches if batches is not None else [2**k for k in range(9)])})
    fig, ax = _axes(ax, (9.5, 5.2))
    colors = rcParams["axes.prop_cycle"].by_key().get("color", ["C0"])
    styles = [("-", "o"), ("--", "s"), ("-.", "^"), (":", "D"), ((0, (5, 1)), "v")]
    skipped: list[str] = []
    points: list[tuple[float, float]] = []
    firsts: list[Any] = []  # labels of each series' first and last point: placed first
    rest: list[Any] = []
    shown = 0
    for inst in (_instance(i, cat) for i in _seq(instances)):
        if cat.hourly_price(inst.name) is None and "usd_per_hour" not in perf:
            skipped.append(f"{inst.name} (no public on-demand price)")
            continue
        series: dict[str, list[tuple[int, float, float]]] = {}
        for b in bs:
            wb = w.model_copy(update={"batch": b})
            r = fit(m, inst, wb, catalog=cat)
            if not r.fits and r.instances_needed is None:
                continue
            est = estimate_performance(m, inst, wb, catalog=cat, **perf)
            cost = est.usd_per_million_output_tokens
            if cost is None:
                continue
            pts = series.setdefault(_series_label(inst.name, est), [])
            pts.append((b, float(est.tpot.to("ms").magnitude), float(cost)))
        if not series:
            skipped.append(f"{inst.name} (does not hold the model)")
            continue
        color = colors[shown % len(colors)]
        shown += 1
        for k, (label, pts) in enumerate(series.items()):
            linestyle, marker = styles[k % len(styles)]
            xs = [x for _, x, _ in pts]
            ys = [y for _, _, y in pts]
            ax.plot(
                xs, ys, linestyle=linestyle, marker=marker, markersize=4, color=color, label=label
            )
            for n, (b, x, y) in enumerate(pts):
                ann = ax.annotate(
                    f"B={b}",
                    (x, y),
                    textcoords="offset points",
                    xytext=(4, 3),
                    fontsize=7,
                    color=color,
                )
                ann.set_in_layout(False)
                (firsts if n in (0, len(pts) - 1) else rest).append(ann)
            points.extend(zip(xs, ys, strict=True))
    front = _pareto(points)
    if front:
        fx, fy = zip(*front, strict=True)
        ax.plot(
            fx,
            fy,
            color="0.55",
            linewidth=6,
            alpha=0.35,
            drawstyle="steps-post",
            zorder=1.5,
            label="frontier",
        )
    if points:
        series_lines = [ln for ln in ax.get_lines() if ln.get_label() != "frontier"]
        ax.add_artist(_label_placer()(firsts + rest, series_lines, 2.5))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("time per output token [ms]")
    ax.set_ylabel("cost [USD per 1M output tokens]")
    ax.grid(True, which="major", alpha=0.3)
    if points:
        ax.legend(
            fontsize=8,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            title="instance: layout\n(B = sequences per replica)",
            title_fontsize=8,
            alignment="left",
        )
    _finish(
        ax,
        [
            f"{m.name}:",
            f"{tokens_label(w.prompt_tokens)} prompt",
            f"{w.output_tokens} output tokens",
            f"weights {_dtype_name(w.weight_dtype)}",
        ],
        log="xy" if points else "",
        note=[f"not shown: {skipped[0]}", *skipped[1:]] if skipped else (),
    )
    return fig
