"""Speed of the questions users ask first, beside llm-analysis 0.2.2 timed in the same run.

Run from a clone (llmsizing installed, or importable from ``src/``)::

    python benchmarks/bench_speed.py            # everything, with the peer
    python benchmarks/bench_speed.py --no-peer  # without llm-analysis

Measured, each the best of ``--repeat`` runs:

(a) "Where does every preset fit?": ``ls.sweep`` over every preset (aliases
    included) × every catalog instance × 8 contexts × 10 batches × 3 weight
    dtypes × 2 KV dtypes, warm, in rows per second; and the same grid with the
    performance columns (``perf=True``: TTFT, TPOT, tokens/s, $ per 1M output
    tokens, for a 1,024-token prompt and 256 output tokens);
(b) ``import llmsizing`` plus the first such sweep in a fresh process, and
    ``import llmsizing`` alone (and whether pandas or matplotlib got loaded);
(c) the command line, wall time of a fresh process: ``llmsizing fit deepseek-v3
    --instance p5e.48xlarge --weights fp8`` and ``llmsizing check claims/report.yaml``;
(d) ``ls.fit()`` per call (a Llama-2-70B-shaped model on p5.48xlarge, the instance
    given by name) and ``ls.fit_all()`` per call (every catalog instance);
(e) the peer's ``infer()`` per call on the same Llama-2-70B / H100 question
    (see ``bench_sweep.py``), and the ratios of (d) to it.

These are benchmark figures, not tests: nothing in the test suite asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

import bench_sweep  # noqa: E402  (the peer set-up and the Llama-2-70B question)

CONTEXTS = [1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072]
BATCHES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]
WEIGHTS = ["bf16", "fp8", "int4"]
KV = ["bf16", "fp8"]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO / "src"), env.get("PYTHONPATH", "")) if p
    )
    return env


def _best(fn: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def _fresh(code: str, repeat: int) -> tuple[float, str]:
    """Best wall time of ``python -c code`` and its last output line."""
    best, out = float("inf"), ""
    for _ in range(repeat):
        t = time.perf_counter()
        p = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=_env(), check=True
        )
        best = min(best, time.perf_counter() - t)
        out = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else ""
    return best, out


def _cli(args: list[str], repeat: int) -> float:
    code = "import sys; from llmsizing.cli import main; sys.exit(main(sys.argv[1:]))"
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", code, *args], capture_output=True, env=_env(), cwd=REPO
        )
        best = min(best, time.perf_counter() - t)
    return best


def grid(ls: Any) -> dict[str, Any]:
    return {
        "models": ls.list_models(),
        "instances": ls.load_catalog().names(),
        "contexts": CONTEXTS,
        "batches": BATCHES,
        "weight_dtypes": WEIGHTS,
        "kv_dtypes": KV,
    }


def bench(args: argparse.Namespace) -> dict[str, Any]:
    import llmsizing as ls

    g = grid(ls)
    rows = len(ls.sweep(**g))
    warm = _best(lambda: ls.sweep(**g), args.repeat)
    pw = ls.Workload(prompt_len=1024, output_len=256)
    ls.sweep(**g, workload=pw, perf=True)
    warm_perf = _best(lambda: ls.sweep(**g, workload=pw, perf=True), args.repeat)

    first_code = (
        "import time; t = time.perf_counter(); import llmsizing as ls; "
        "g = dict(models=ls.list_models(), instances=ls.load_catalog().names(), "
        f"contexts={CONTEXTS}, batches={BATCHES}, weight_dtypes={WEIGHTS}, kv_dtypes={KV}); "
        "ls.sweep(**g); print(time.perf_counter() - t)"
    )
    _, first = _fresh(first_code, args.repeat)
    import_code = (
        "import sys, time; t = time.perf_counter(); import llmsizing; "
        "dt = time.perf_counter() - t; "
        "print(dt, 'pandas' in sys.modules, 'matplotlib' in sys.modules)"
    )
    _, imp = _fresh(import_code, args.repeat)
    imp_s, pandas_loaded, mpl_loaded = imp.split()

    cli_fit = _cli(["fit", "deepseek-v3", "--instance", "p5e.48xlarge", "--weights", "fp8"], 3)
    cli_check = _cli(["check", "claims/report.yaml"], 3)

    m = ls.read_hf_config(bench_sweep.LLAMA2_70B, name="llama-2-70b")
    w = ls.Workload(context_len=2304, batch=8)
    ls.fit(m, "p5.48xlarge", w)
    n = 2000
    fit_s = _best(lambda: [ls.fit(m, "p5.48xlarge", w) for _ in range(n)], 3) / n
    ls.fit_all(m, w)
    fit_all_s = _best(lambda: ls.fit_all(m, w), args.repeat)

    peer = bench_sweep.bench_peer(args)
    out: dict[str, Any] = {
        "machine": (
            f"{os.cpu_count()} CPUs, {platform.machine()}, Python {platform.python_version()}"
        ),
        "grid_rows": rows,
        "grid_models": len(g["models"]),
        "grid_instances": len(g["instances"]),
        "sweep_warm_s": warm,
        "sweep_warm_rows_per_s": rows / warm,
        "sweep_perf_warm_s": warm_perf,
        "sweep_perf_warm_rows_per_s": rows / warm_perf,
        "import_plus_first_sweep_s": float(first),
        "import_s": float(imp_s),
        "import_loads_pandas": pandas_loaded == "True",
        "import_loads_matplotlib": mpl_loaded == "True",
        "cli_fit_s": cli_fit,
        "cli_check_report_s": cli_check,
        "fit_per_call_ms": fit_s * 1e3,
        "fit_all_per_call_ms": fit_all_s * 1e3,
        "peer": peer,
    }
    if "peer_per_call_ms" in peer:
        out["ratio_peer_infer_over_fit"] = peer["peer_per_call_ms"] / out["fit_per_call_ms"]
        out["ratio_peer_infer_over_fit_all"] = peer["peer_per_call_ms"] / out["fit_all_per_call_ms"]
    return out


def report(r: dict[str, Any]) -> str:
    peer = r["peer"]
    lines = [
        f"Machine: {r['machine']}",
        "",
        "| measure | figure |",
        "|---|---|",
        f"| (a) sweep, {r['grid_models']} presets × {r['grid_instances']} instances × 8 contexts"
        f" × 10 batches × 3 weight × 2 KV dtypes = {r['grid_rows']:,} rows, warm | "
        f"{r['sweep_warm_s'] * 1e3:.1f} ms = {r['sweep_warm_rows_per_s'] / 1e6:.1f} M rows/s |",
        f"| (a) the same sweep with `perf=True` (TTFT, TPOT, tokens/s, $ per 1M), warm | "
        f"{r['sweep_perf_warm_s'] * 1e3:.1f} ms = "
        f"{r['sweep_perf_warm_rows_per_s'] / 1e6:.1f} M rows/s |",
        f"| (b) import + first sweep of that grid, fresh process | "
        f"{r['import_plus_first_sweep_s']:.2f} s |",
        f"| (b) `import llmsizing` (pandas loaded: {r['import_loads_pandas']}, matplotlib: "
        f"{r['import_loads_matplotlib']}) | {r['import_s'] * 1e3:.0f} ms |",
        f"| (c) `llmsizing fit deepseek-v3 --instance p5e.48xlarge --weights fp8` | "
        f"{r['cli_fit_s']:.2f} s |",
        f"| (c) `llmsizing check claims/report.yaml` | {r['cli_check_report_s']:.2f} s |",
        f"| (d) `fit()` per call | {r['fit_per_call_ms']:.3f} ms |",
        f"| (d) `fit_all()` per call | {r['fit_all_per_call_ms']:.2f} ms |",
    ]
    if "peer_per_call_ms" in peer:
        lines += [
            f"| (e) llm-analysis {peer['peer_version']} `infer()` per call, same run | "
            f"{peer['peer_per_call_ms']:.3f} ms |",
            f"| (e) `fit()` speed ÷ `infer()` speed | {r['ratio_peer_infer_over_fit']:.2f}× |",
            f"| (e) one `fit_all()` (every instance) ÷ one `infer()` | "
            f"{r['ratio_peer_infer_over_fit_all']:.2f}× |",
        ]
    else:
        lines.append(f"| (e) llm-analysis | {peer.get('skipped', 'skipped')} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--no-peer", action="store_true")
    p.add_argument("--peer-python", default=None)
    p.add_argument(
        "--peer-venv",
        default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "llmsizing-bench-llm-analysis"),
    )
    p.add_argument("--json", default=None, help="write the raw figures here")
    args = p.parse_args(argv)
    r = bench(args)
    print(report(r))
    if args.json:
        Path(args.json).write_text(json.dumps(r, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
