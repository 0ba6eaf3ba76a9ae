"""Render every chart of llmsizing.plot into docs/charts/ (the pictures docs/README.md shows).

Each chart is saved with a plain ``fig.savefig(path)``, as the docs tell users
to do, so the files show what a user gets. Run from anywhere:

    python scripts/render_charts.py            # all charts
    python scripts/render_charts.py fit_matrix # only the ones named
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure

import llmsizing as ls
from llmsizing import plot

OUT = Path(__file__).resolve().parent.parent / "docs" / "charts"


def memory_breakdown() -> Figure:
    return plot.memory_breakdown(
        "llama-3.1-70b",
        ["g6e.48xlarge", "p5.48xlarge", "inf2.48xlarge", "trn1.32xlarge"],
        dtypes=["bf16", "fp8"],
        workload=ls.Workload(context_len=32768, batch=8),
    )


def memory_breakdown_moe() -> Figure:
    return plot.memory_breakdown(
        "deepseek-v3",
        ["p5en.48xlarge", "p5e.48xlarge", "p5.48xlarge", "trn2.48xlarge"],
        workload=ls.Workload(context_len=32768, batch=16, weight_dtype="fp8"),
    )


def kv_cache_vs_context() -> Figure:
    ds = ls.load_model("deepseek-v3")
    others = ["llama-3.1-70b", "mistral-7b-v0.1", "gemma-3-27b", "llama-4-scout", "gpt-oss-120b"]
    return plot.kv_cache_vs_context([ls.as_mha(ds), ds, *others], kv_dtype="bf16")


def max_batch_heatmap() -> Figure:
    return plot.max_batch_heatmap(
        "llama-3.1-70b", "p5.48xlarge", [2048, 8192, 32768, 131072], ["bf16", "fp8", "int4"]
    )


def fit_matrix() -> Figure:
    return plot.fit_matrix(
        ls.list_models(),  # with the alias deepseek-r1: folded into the deepseek-v3 row
        ["g6e.xlarge", "g6e.48xlarge", "p5.48xlarge", "p5en.48xlarge", "inf2.48xlarge",
         "trn2.48xlarge"],
        ls.Workload(context_len=8192, batch=8, weight_dtype="fp8"),
    )  # fmt: skip


def cost_frontier() -> Figure:
    return plot.cost_frontier(
        "llama-3.1-70b",
        ["g6e.12xlarge", "p5.48xlarge", "p5en.48xlarge", "inf2.48xlarge", "p5e.48xlarge"],
        ls.Workload(prompt_len=1024, output_len=256, weight_dtype="fp8"),
    )


def panels() -> Figure:
    fig = Figure(figsize=(13, 4.5), layout="constrained")
    left, right = fig.subplots(1, 2)
    plot.memory_breakdown("llama-3.1-8b", "g6e.xlarge", dtypes=["bf16", "fp8", "int4"], ax=left)
    plot.kv_cache_vs_context(["llama-3.1-8b", "mistral-7b-v0.1"], [1024, 8192, 32768], ax=right)
    return fig


CHARTS: dict[str, Callable[[], Figure]] = {
    f.__name__: f
    for f in (
        memory_breakdown,
        memory_breakdown_moe,
        kv_cache_vs_context,
        max_batch_heatmap,
        fit_matrix,
        cost_frontier,
        panels,
    )
}


def main(names: list[str]) -> None:
    unknown = sorted(set(names) - set(CHARTS))
    if unknown:
        sys.exit(f"unknown chart(s) {', '.join(unknown)}; known: {', '.join(CHARTS)}")
    OUT.mkdir(parents=True, exist_ok=True)
    for name in names or list(CHARTS):
        path = OUT / f"{name}.png"
        CHARTS[name]().savefig(path)
        print(path.relative_to(OUT.parent.parent))


if __name__ == "__main__":
    main(sys.argv[1:])
