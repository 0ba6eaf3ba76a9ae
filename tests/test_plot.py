"""llmsizing.plot: each chart renders headless and shows the numbers the library computes."""

from __future__ import annotations

import math
import subprocess
import sys
from collections.abc import Callable

import numpy as np
import pytest

pytest.importorskip("matplotlib")

import matplotlib

matplotlib.use("Agg")

import matplotlib.image as mpimg
from matplotlib.figure import Figure

import llmsizing as ls
from llmsizing import plot
from llmsizing.errors import WorkloadError


def _render(fig: Figure, tmp_path, name: str) -> np.ndarray:
    """Save as PNG, read it back and check it is a real, non-blank image."""
    path = tmp_path / f"{name}.png"
    fig.savefig(path, dpi=60)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    img = mpimg.imread(path)
    assert img.ndim == 3 and img.shape[0] > 100 and img.shape[1] > 100
    assert len(np.unique(img.reshape(-1, img.shape[-1]), axis=0)) > 20  # drawn, not blank
    return img


def _gib(q) -> float:
    return float(q.to("GiB").magnitude)


def test_import_llmsizing_does_not_load_matplotlib_or_plot():
    code = (
        "import sys, llmsizing; "
        "print(any(m == 'matplotlib' or m.startswith('matplotlib.') for m in sys.modules), "
        "'llmsizing.plot' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# ------------------------------------------------------------ memory_breakdown
def test_memory_breakdown_bars_are_fit_per_device_values(tmp_path):
    w = ls.Workload(context_len=32768, batch=8)
    insts, dtypes = ["g6e.48xlarge", "p5.48xlarge", "inf2.48xlarge"], ["bf16", "fp8"]
    fig = plot.memory_breakdown("llama-3.1-70b", insts, dtypes=dtypes, workload=w)
    _render(fig, tmp_path, "memory")
    ax = fig.axes[0]
    results = [
        ls.fit("llama-3.1-70b", i, w.model_copy(update={"weight_dtype": d}))
        for i in insts
        for d in dtypes
    ]
    bars = {c.get_label(): c for c in ax.containers}
    assert list(bars) == ["weights", "KV cache", "activations", "runtime reserve"]
    attrs = {
        "weights": "weights",
        "KV cache": "kv_cache",
        "activations": "activations",
        "runtime reserve": "runtime_reserve",
    }
    bottom = np.zeros(len(results))
    for label, attr in attrs.items():
        heights = [p.get_height() for p in bars[label].patches]
        expected = [_gib(getattr(r, attr)) for r in results]
        assert heights == pytest.approx(expected, rel=1e-12)
        assert [p.get_y() for p in bars[label].patches] == pytest.approx(bottom, abs=1e-9)
        bottom = bottom + np.asarray(expected)
    assert bottom == pytest.approx([_gib(r.required) for r in results], rel=1e-9)
    # the budget line of each bar: usable memory x utilization per device
    (budget,) = [c for c in ax.collections if c.get_label() == "budget per device"]
    ys = [seg[0][1] for seg in budget.get_segments()]
    assert ys == pytest.approx([_gib(r.available) for r in results], rel=1e-12)
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    for t, r in zip(ticks, results, strict=True):
        assert r.instance in t and r.layout.label in t
        assert ("✗" in t) == (not r.fits)
    assert ax.get_ylabel() == "memory per device [GiB]"
    assert "8 sequences × 32k tokens" in ax.get_title()


def test_memory_breakdown_draws_into_a_given_axes():
    fig = Figure()
    axes = fig.subplots(1, 2)
    out = plot.memory_breakdown("llama-3.1-8b", "g6e.xlarge", ax=axes[1])
    assert out is fig
    assert len(axes[1].containers) == 4 and not axes[0].containers
    r = ls.fit("llama-3.1-8b", "g6e.xlarge")
    assert axes[1].containers[0].patches[0].get_height() == pytest.approx(_gib(r.weights))


def test_memory_breakdown_rejects_context_beyond_the_model():
    with pytest.raises(WorkloadError):
        plot.memory_breakdown("olmo-2-13b", "p5.48xlarge", workload=ls.Workload(context_len=8192))


# ----------------------------------------------------------- kv_cache_vs_context
def test_kv_cache_lines_are_kv_cache_memory(tmp_path):
    ds = ls.load_model("deepseek-v3")
    models = [
        ls.as_mha(ds),
        ds,
        ls.load_model("llama-3.1-70b"),
        ls.load_model("mistral-7b-v0.1"),
        ls.load_model("gemma-3-27b"),
    ]
    ctx = [1024, 4096, 32768, 131072, 262144]
    fig = plot.kv_cache_vs_context(models, ctx, "fp8", batch=4)
    _render(fig, tmp_path, "kv")
    ax = fig.axes[0]
    lines = ax.get_lines()
    assert len(lines) == len(models)
    for line, m in zip(lines, models, strict=True):
        assert list(line.get_xdata()) == ctx
        y = np.asarray(line.get_ydata(), dtype=float)
        for c, v in zip(ctx, y, strict=True):
            if m.max_position_embeddings and c > m.max_position_embeddings:
                assert math.isnan(v)
            else:
                assert v == pytest.approx(_gib(ls.kv_cache_memory(m, c, 4, "fp8")), rel=1e-12)
        assert line.get_label().startswith(m.name + ": ")
    labels = [line.get_label() for line in lines]
    assert "MHA 128 heads" in labels[0] and "MLA latent 576" in labels[1]
    assert "GQA 64q/8kv" in labels[2] and "sliding (4k)" in labels[3]
    assert "hybrid 52 sliding (1k) : 10 full" in labels[4]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert ax.get_xlabel() == "context length [tokens]"
    assert ax.get_ylabel() == "KV cache [GiB]"
    # sliding window: flat once the context passes the window
    mistral = np.asarray(lines[3].get_ydata(), dtype=float)
    assert mistral[1] == mistral[2] and math.isnan(mistral[3])


def test_kv_cache_default_contexts_span_1k_to_1m():
    fig = plot.kv_cache_vs_context("llama-4-scout")
    x = fig.axes[0].get_lines()[0].get_xdata()
    assert x[0] == 1024 and x[-1] == 1 << 20


def test_attention_label_names_each_kind():
    assert plot.attention_label(ls.load_model("llama-4-scout")) == (
        "GQA 40q/8kv, hybrid 36 chunked (8k) : 12 full"
    )
    assert plot.attention_label(ls.load_model("olmo-2-13b")) == "MHA 40 heads"
    assert plot.tokens_label(131072) == "128k" and plot.tokens_label(1000) == "1,000"


# ------------------------------------------------------------- max_batch_heatmap
def test_max_batch_heatmap_cells_are_max_batch(tmp_path):
    ctx, dtypes = [2048, 8192, 32768], ["bf16", "fp8", "int4"]
    w = ls.Workload(kv_dtype="fp8")
    fig = plot.max_batch_heatmap("mistral-7b-v0.1", "g6e.xlarge", [*ctx, 65536], dtypes, w)
    _render(fig, tmp_path, "heatmap")
    ax = fig.axes[0]
    arr = ax.images[0].get_array()
    assert arr.shape == (3, 4)
    texts = [t.get_text() for t in ax.texts]
    for i, d in enumerate(dtypes):
        for j, c in enumerate(ctx):
            wd = w.model_copy(update={"weight_dtype": d})
            expected = ls.max_batch("mistral-7b-v0.1", "g6e.xlarge", c, wd)
            assert arr[i, j] == expected
            assert texts[i * 4 + j] == f"{expected:,}"
        # 65536 > mistral's 32768 positions: masked, written n/a
        assert arr.mask[i, 3] and texts[i * 4 + 3] == "n/a"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2k", "8k", "32k", "64k"]
    assert [t.get_text() for t in ax.get_yticklabels()] == dtypes
    assert ax.get_xlabel() == "context length [tokens]"
    assert fig.axes[1].get_ylabel() == "max concurrent sequences [-]"


def test_max_batch_heatmap_zero_when_nothing_fits():
    fig = plot.max_batch_heatmap("llama-3.1-70b", "g6e.xlarge", [4096], ["bf16"])
    assert fig.axes[0].images[0].get_array()[0, 0] == 0
    assert fig.axes[0].texts[0].get_text() == "0"


# -------------------------------------------------------------------- fit_matrix
def test_fit_matrix_cells_are_fit_headroom(tmp_path):
    models = ["llama-3.1-8b", "qwen3-235b-a22b", "deepseek-v3", "olmo-2-13b"]
    insts = ["g6e.xlarge", "p5.48xlarge", "p5en.48xlarge", "inf2.48xlarge", "trn2.48xlarge"]
    w = ls.Workload(context_len=8192, batch=8, weight_dtype="fp8")
    fig = plot.fit_matrix(models, insts, w)
    _render(fig, tmp_path, "fit_matrix")
    ax = fig.axes[0]
    arr = ax.images[0].get_array()
    texts = [t.get_text() for t in ax.texts]
    assert arr.shape == (4, 5) and len(texts) == 20
    for i, m in enumerate(models):
        for j, inst in enumerate(insts):
            k = i * len(insts) + j
            if m == "olmo-2-13b":  # 8192 tokens > its 4096 positions
                assert arr.mask[i, j] and texts[k] == "n/a"
                continue
            r = ls.fit(m, inst, w)
            head = _gib(r.headroom)
            assert arr[i, j] == pytest.approx(head, rel=1e-9)
            mark = "" if r.fits else "✗ "
            assert texts[k] == f"{mark}{r.layout.label}\n{head:+.1f}"
    assert [t.get_text() for t in ax.get_xticklabels()] == insts
    assert [t.get_text() for t in ax.get_yticklabels()] == models
    assert fig.axes[1].get_ylabel() == "headroom per device [GiB]"


# ----------------------------------------------------------------- cost_frontier
def test_cost_frontier_points_are_estimate_performance(tmp_path):
    w = ls.Workload(prompt_len=1024, output_len=256, weight_dtype="fp8")
    insts = ["g6e.12xlarge", "p5.48xlarge", "p5e.48xlarge", "g6.xlarge"]
    batches = [1, 16, 128]
    fig = plot.cost_frontier("llama-3.1-70b", insts, w, batches)
    _render(fig, tmp_path, "cost")
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    # p5e.48xlarge has no public price; g6.xlarge holds 70B only as a pipeline of instances
    assert {label.split(":")[0] for label in lines} == {
        "g6e.12xlarge",
        "p5.48xlarge",
        "g6.xlarge",
        "frontier",
    }
    note = ax.texts[-1].get_text()
    assert "p5e.48xlarge (no public on-demand price)" in note
    points = []
    for name in ("g6e.12xlarge", "p5.48xlarge", "g6.xlarge"):
        expected: dict[str, list[tuple[float, float]]] = {}
        for b in batches:
            wb = w.model_copy(update={"batch": b})
            r = ls.fit("llama-3.1-70b", name, wb)
            if not r.fits and r.instances_needed is None:
                continue
            est = ls.estimate_performance("llama-3.1-70b", name, wb)
            label = f"{name}: {est.layout.label}"
            label += f", {est.replicas} replicas" if est.replicas > 1 else ""
            label += f", {est.instances} instances" if est.instances > 1 else ""
            xy = (float(est.tpot.to("ms").magnitude), est.usd_per_million_output_tokens)
            expected.setdefault(label, []).append(xy)
        # one line per layout the batches run in, its points in batch order
        assert {k for k in lines if k.startswith(name + ":")} == set(expected)
        for label, xy in expected.items():
            assert list(lines[label].get_xdata()) == pytest.approx([x for x, _ in xy], rel=1e-12)
            assert list(lines[label].get_ydata()) == pytest.approx([y for _, y in xy], rel=1e-12)
            points += xy
    fx, fy = lines["frontier"].get_xdata(), lines["frontier"].get_ydata()
    # the frontier: no plotted point is both faster and cheaper than a frontier point
    for x, y in zip(fx, fy, strict=True):
        assert (x, y) in points
        assert not any(px < x and py < y for px, py in points)
    assert list(fy) == sorted(fy, reverse=True)
    assert ax.get_xlabel() == "time per output token [ms]"
    assert ax.get_ylabel() == "cost [USD per 1M output tokens]"


def test_cost_frontier_user_price_includes_unpriced_instances():
    w = ls.Workload(prompt_len=512, output_len=128)
    fig = plot.cost_frontier("llama-3.1-8b", ["p5e.48xlarge"], w, [1, 4], usd_per_hour=40.0)
    (line,) = [x for x in fig.axes[0].get_lines() if x.get_label().startswith("p5e.48xlarge:")]
    est = ls.estimate_performance(
        "llama-3.1-8b", "p5e.48xlarge", w.model_copy(update={"batch": 4}), usd_per_hour=40.0
    )
    assert line.get_ydata()[-1] == pytest.approx(est.usd_per_million_output_tokens)


def test_cost_frontier_leaves_out_instances_that_cannot_hold_the_model():
    # 405B in bf16 needs more than 64 pipeline stages of one 8 GiB Inferentia chip
    fig = plot.cost_frontier("llama-3.1-405b", ["inf1.xlarge"], batches=[1])
    assert not fig.axes[0].get_lines()
    assert "inf1.xlarge (does not hold the model)" in fig.axes[0].texts[-1].get_text()


# ------------------------------------------------- layout: no clipping, no overlaps
def _panels() -> Figure:
    fig = Figure(figsize=(13, 4.5), layout="constrained")
    left, right = fig.subplots(1, 2)
    plot.memory_breakdown("llama-3.1-8b", "g6e.xlarge", dtypes=["bf16", "fp8", "int4"], ax=left)
    plot.kv_cache_vs_context(["llama-3.1-8b", "mistral-7b-v0.1"], [1024, 8192, 32768], ax=right)
    return fig


def _charts() -> dict[str, Callable[[], Figure]]:
    """Every chart in the shapes people draw: narrow and wide, few and many rows."""
    cost_w = ls.Workload(prompt_len=1024, output_len=256, weight_dtype="fp8")
    ds = ls.load_model("deepseek-v3")
    return {
        "memory-one-bar": lambda: plot.memory_breakdown("llama-3.1-8b", "g6e.xlarge"),
        "memory-many-bars": lambda: plot.memory_breakdown(
            "llama-3.1-70b",
            ["g6e.48xlarge", "p5.48xlarge", "inf2.48xlarge", "trn1.32xlarge"],
            dtypes=["bf16", "fp8"],
            workload=ls.Workload(context_len=32768, batch=8),
        ),
        "memory-moe-layouts": lambda: plot.memory_breakdown(
            "deepseek-v3",
            ["p5en.48xlarge", "p5.48xlarge", "trn2.48xlarge"],
            workload=ls.Workload(weight_dtype="fp8", context_len=32768, batch=16),
        ),
        "kv-many-models": lambda: plot.kv_cache_vs_context(
            [ls.as_mha(ds), ds, "llama-3.1-70b", "mistral-7b-v0.1", "gemma-3-27b", "gpt-oss-120b"]
        ),
        "kv-two-models": lambda: plot.kv_cache_vs_context(
            ["llama-3.1-8b", "mistral-7b-v0.1"], [1024, 8192, 32768]
        ),
        "heatmap-one-cell": lambda: plot.max_batch_heatmap(
            "llama-3.1-70b", "g6e.xlarge", [4096], ["bf16"]
        ),
        "heatmap-grid": lambda: plot.max_batch_heatmap(
            "llama-3.1-70b", "p5.48xlarge", [2048, 8192, 32768, 131072], ["bf16", "fp8", "int4"]
        ),
        "fit-matrix-small": lambda: plot.fit_matrix(
            ["llama-3.1-8b", "deepseek-v3"], ["g6e.xlarge", "p5en.48xlarge"]
        ),
        "fit-matrix-all-presets": lambda: plot.fit_matrix(
            ls.list_models(),
            ["g6e.xlarge", "g6e.48xlarge", "p5.48xlarge", "p5en.48xlarge", "inf2.48xlarge"],
            ls.Workload(context_len=8192, batch=8, weight_dtype="fp8"),
        ),
        "cost-frontier": lambda: plot.cost_frontier(
            "llama-3.1-70b",
            [
                "g6e.12xlarge",
                "g6e.48xlarge",
                "p5.48xlarge",
                "p5en.48xlarge",
                "inf2.48xlarge",
                "p5e.48xlarge",
            ],
            cost_w,
        ),
        "cost-frontier-notes": lambda: plot.cost_frontier(
            "llama-3.1-405b",
            ["p5.48xlarge", "p5e.48xlarge", "inf1.xlarge", "g6e.xlarge", "trn2.48xlarge"],
            cost_w,
            batches=[1, 4, 16],
        ),
        "two-panels": _panels,
    }


CHARTS = _charts()
_built: dict[str, Figure] = {}


def _chart(name: str) -> Figure:
    if name not in _built:
        _built[name] = CHARTS[name]()
    return _built[name]


def _drawn_texts(fig: Figure):
    """Every visible, non-empty text of ``fig`` as drawn by Agg, with its window extent.

    Tick labels count only for ticks inside the view limits (the others are not drawn).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    ticklabels = set()
    drawn = []
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                ticklabels.update((tick.label1, tick.label2))
            for tick in axis._update_ticks():
                drawn += [t for t in (tick.label1, tick.label2) if t.get_visible()]
    drawn += [t for t in fig.findobj(Text) if t not in ticklabels and t.get_visible()]
    out = []
    for t in dict.fromkeys(drawn):
        if not t.get_text().strip():
            continue
        out.append((t.get_text(), t.get_window_extent(renderer)))
    return out, fig.bbox


@pytest.mark.parametrize("name", list(CHARTS))
def test_no_text_is_clipped_by_the_figure(name, tmp_path):
    fig = _chart(name)
    texts, box = _drawn_texts(fig)
    assert texts
    for text, bb in texts:
        assert bb.x0 >= box.x0 - 0.5 and bb.x1 <= box.x1 + 0.5, (text, bb, box)
        assert bb.y0 >= box.y0 - 0.5 and bb.y1 <= box.y1 + 0.5, (text, bb, box)
    # a plain savefig (no bbox_inches) keeps a blank margin: nothing runs off the edge
    path = tmp_path / f"{name}.png"
    fig.savefig(path)
    img = mpimg.imread(path)[..., :3]
    border = np.concatenate([img[0], img[-1], img[:, 0], img[:, -1]])
    assert border.min() > 0.99, f"{name}: something is drawn on the image border"


@pytest.mark.parametrize("name", list(CHARTS))
def test_no_two_labels_overlap(name):
    fig = _chart(name)
    texts, _ = _drawn_texts(fig)
    boxes = np.array([[bb.x0, bb.y0, bb.x1, bb.y1] for _, bb in texts])
    w = np.minimum(boxes[:, None, 2], boxes[None, :, 2]) - np.maximum(
        boxes[:, None, 0], boxes[None, :, 0]
    )
    h = np.minimum(boxes[:, None, 3], boxes[None, :, 3]) - np.maximum(
        boxes[:, None, 1], boxes[None, :, 1]
    )
    clash = (w > 0.5) & (h > 0.5)
    np.fill_diagonal(clash, False)
    pairs = [(texts[i][0], texts[j][0]) for i, j in zip(*np.nonzero(np.triu(clash)), strict=True)]
    assert not pairs, f"{name}: overlapping labels {pairs[:5]}"


def test_fit_matrix_folds_aliases_into_one_row():
    insts = ["g6e.xlarge", "p5en.48xlarge"]
    fig = plot.fit_matrix(ls.list_models(), insts)
    ax = fig.axes[0]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert len(rows) == len(ls.list_models(aliases=False)) == ax.images[0].get_array().shape[0]
    assert len(set(rows)) == len(rows)
    # deepseek-r1 is deepseek-v3 (deepseek-v3.2 is another model)
    (ds,) = [r for r in rows if r.split(" ")[0] == "deepseek-v3"]
    assert ds.startswith("deepseek-v3") and "deepseek-r1" in ds
    assert not [r for r in rows if r != ds and "deepseek-r1" in r]
    # the alias alone, or next to its preset: one row either way
    for models in (["deepseek-r1"], ["deepseek-v3", "deepseek-r1", "DeepSeek-V3"]):
        fig = plot.fit_matrix(models, insts)
        assert fig.axes[0].images[0].get_array().shape == (1, 2)


def test_cost_frontier_series_are_monotone_and_labelled():
    fig = _chart("cost-frontier")
    ax = fig.axes[0]
    _drawn_texts(fig)  # lays out and places the batch labels
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    series = [line for line in ax.get_lines() if line.get_label() != "frontier"]
    assert len(series) >= 5
    batch_labels = [t for t in ax.texts if t.get_text().startswith("B=")]
    for line in series:
        label = line.get_label()
        assert not label.startswith("_") and label in legend
        xs = np.asarray(line.get_xdata(), dtype=float)
        ys = np.asarray(line.get_ydata(), dtype=float)
        # in batch order: slower and cheaper with every larger batch, never back
        assert np.all(np.diff(xs) >= 0) and np.all(np.diff(ys) <= 0), label
        # each point carries its batch label; every series shows at least one
        mine = [t for t in batch_labels if tuple(t.xy) in set(zip(xs, ys, strict=True))]
        assert len(mine) == len(xs), label
        assert any(t.get_visible() for t in mine), label
    # one line per instance and layout: no two series of one instance share a layout
    assert len({line.get_label() for line in series}) == len(series)


def test_memory_breakdown_labels_each_bar_with_its_layout():
    w = ls.Workload(weight_dtype="fp8", context_len=32768, batch=16)
    insts = ["p5en.48xlarge", "p5.48xlarge", "trn2.48xlarge"]
    fig = plot.memory_breakdown("deepseek-v3", insts, workload=w)
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    for t, inst in zip(ticks, insts, strict=True):
        r = ls.fit("deepseek-v3", inst, w)
        assert t.startswith(inst) and r.layout.label in t.split("\n")[-1]
    assert any("EP" in t for t in ticks)  # a MoE layout, not only a TP degree


def test_a_chart_with_point_labels_pickles(tmp_path):
    import pickle

    fig = pickle.loads(pickle.dumps(_chart("cost-frontier")))
    _render(fig, tmp_path, "unpickled")
    assert any(t.get_text() == "B=1" and t.get_visible() for t in fig.axes[0].texts)
