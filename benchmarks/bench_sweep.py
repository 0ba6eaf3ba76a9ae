"""Benchmark llmsizing's vectorized sweep, compare it with llm-analysis, time the import.

Run from a clone of the repository (llmsizing installed, or importable from ``src/``)::

    python benchmarks/bench_sweep.py

Parts:

(a) ``llmsizing.sweep.sweep`` over a grid of 1,048,576 rows (4 models x 8 instances
    x 2 weight dtypes x 2 KV dtypes x 64 contexts x 128 batches): fit evaluations
    per second (first call and best warm call), peak traced memory and peak RSS,
    and ``llmsizing.fit`` on a random sample of the same rows for comparison.
(b) The peer ``llm-analysis`` 0.2.2 (PyPI) on the same questions for a Llama-2-70B
    configuration on H100 SXM 80GB (llmsizing: ``p5.48xlarge``): ``infer()`` per
    configuration and TP degree, against ``llmsizing.fit`` and ``sweep`` on the
    same configurations. The peer runs in a subprocess of another Python:
    ``--peer-python PATH``, or the current one if it has ``llm_analysis``, or a
    throw-away virtual environment this script creates with pip (``--peer-venv``).
    If none works the script says why and skips (b).
(c) ``import llmsizing`` in a fresh interpreter, best of 5.

Add ``--json PATH`` to keep the raw figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
try:
    import llmsizing as ls
except ImportError:  # a clone that is not installed: use its sources
    sys.path.insert(0, str(REPO / "src"))
    import llmsizing as ls

from llmsizing.sweep import sweep  # noqa: E402

PEER_PACKAGE = "llm-analysis==0.2.2"

MODELS = ["llama-3.1-8b", "llama-3.1-70b", "gpt-oss-120b", "deepseek-v3"]  # all take 128k
INSTANCES = [
    "g6e.xlarge",
    "g6e.48xlarge",
    "p5.48xlarge",
    "p5en.48xlarge",
    "p6-b200.48xlarge",
    "inf2.48xlarge",
    "trn1.32xlarge",
    "trn2.48xlarge",
]
WEIGHT_DTYPES = ["bf16", "fp8"]
KV_DTYPES = ["bf16", "fp8"]
CONTEXTS = np.unique(np.geomspace(1024, 131072, 64).round().astype(np.int64))
BATCHES = np.arange(1, 129)

# Llama-2-70B (meta-llama/Llama-2-70b-hf config.json); llm-analysis ships it as
# "upstage_Llama-2-70b-instruct-v2" (with a 4h FFN where the checkpoint has 28672)
LLAMA2_70B = {
    "model_type": "llama",
    "vocab_size": 32000,
    "hidden_size": 8192,
    "intermediate_size": 28672,
    "num_hidden_layers": 80,
    "num_attention_heads": 64,
    "num_key_value_heads": 8,
    "max_position_embeddings": 4096,
    "rms_norm_eps": 1e-5,
}
PEER_MODEL, PEER_GPU, PEER_INSTANCE = (
    "upstage_Llama-2-70b-instruct-v2",
    "h100-sxm-80gb",
    "p5.48xlarge",
)
PEER_PROMPTS = [256, 512, 768, 1024, 1536, 2048, 3072, 3584]  # + 256 generated tokens
PEER_OUTPUT = 256
PEER_BATCHES = [1, 2, 4, 8, 16, 32, 64, 128]
PEER_TP = [1, 2, 4, 8]  # the degrees llmsizing considers for this model on 8 GPUs

PEER_SCRIPT = textwrap.dedent(
    """
    import json, logging, sys, time
    logging.disable(logging.CRITICAL)
    from llm_analysis.analysis import infer

    job = json.load(sys.stdin)

    def run(prompt, batch, tp):
        try:
            r = infer(model_name=job["model"], gpu_name=job["gpu"], dtype_name="w16a16e16",
                      log_level="CRITICAL", tp_size=tp, batch_size_per_gpu=batch,
                      seq_len=prompt, num_tokens_to_generate=job["output"],
                      flops_efficiency=0.6, hbm_memory_efficiency=0.6, cost_per_gpu_hour=3.0)
            return r
        except AssertionError:  # llm-analysis asserts when the configuration does not fit
            return None

    configs = [(p, b, t) for p in job["prompts"] for b in job["batches"] for t in job["tp"]]
    for c in configs[:20]:
        run(*c)  # warm-up
    best = float("inf")
    fits = 0
    for _ in range(job["repeat"]):
        t0 = time.perf_counter()
        fits = sum(run(*c) is not None for c in configs)
        best = min(best, time.perf_counter() - t0)
    check = run(job["check"][0], job["check"][1], job["check"][2])
    import llm_analysis, importlib.metadata as md
    print(json.dumps({
        "version": md.version("llm-analysis"),
        "python": sys.version.split()[0],
        "calls": len(configs),
        "best_s": best,
        "fits": fits,
        "check_kv_per_gpu_bytes": check["kv_cache_memory_per_gpu"],
    }))
    """
)


# ------------------------------------------------------------------ helpers
def _fmt_rate(x: float) -> str:
    return f"{x:,.0f}"


def _time_best(fn: Any, repeat: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), times


def _peak_rss_mib() -> float:
    # ru_maxrss is in KiB on Linux, bytes on macOS
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 / (1024 if sys.platform == "darwin" else 1)


# ------------------------------------------------------------------ (a) sweep
def bench_sweep(repeat: int, fit_sample: int) -> dict[str, Any]:
    args = {
        "contexts": CONTEXTS,
        "batches": BATCHES,
        "weight_dtypes": WEIGHT_DTYPES,
        "kv_dtypes": KV_DTYPES,
    }
    rss_before = _peak_rss_mib()
    t0 = time.perf_counter()
    df = sweep(MODELS, INSTANCES, **args)
    first = time.perf_counter() - t0
    rows = len(df)
    best, times = _time_best(lambda: sweep(MODELS, INSTANCES, **args), repeat)
    frame_mib = df.memory_usage(deep=True).sum() / 2**20
    del df
    tracemalloc.start()
    sweep(MODELS, INSTANCES, **args)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = _peak_rss_mib()

    # the same rows one by one through fit()
    rng = random.Random(0)
    cat = ls.load_catalog()
    models = {m: ls.load_model(m) for m in MODELS}
    sample = [
        (
            rng.choice(MODELS),
            rng.choice(INSTANCES),
            int(rng.choice(CONTEXTS)),
            int(rng.choice(BATCHES)),
            rng.choice(WEIGHT_DTYPES),
            rng.choice(KV_DTYPES),
        )
        for _ in range(fit_sample)
    ]
    for m, i, c, b, wd, kd in sample[:20]:  # warm the weight caches like the sweep's
        ls.fit(models[m], i, ls.Workload(context_len=c, batch=b, weight_dtype=wd, kv_dtype=kd))
    t0 = time.perf_counter()
    for m, i, c, b, wd, kd in sample:
        w = ls.Workload(context_len=c, batch=b, weight_dtype=wd, kv_dtype=kd)
        ls.fit(models[m], i, w, catalog=cat)
    fit_s = (time.perf_counter() - t0) / fit_sample
    return {
        "rows": rows,
        "grid": (
            f"{len(MODELS)} models x {len(INSTANCES)} instances x {len(WEIGHT_DTYPES)} weight "
            f"dtypes x {len(KV_DTYPES)} KV dtypes x {len(CONTEXTS)} contexts x "
            f"{len(BATCHES)} batches"
        ),
        "first_call_s": first,
        "best_s": best,
        "times_s": times,
        "rows_per_s_first": rows / first,
        "rows_per_s": rows / best,
        "tracemalloc_peak_MiB": peak / 2**20,
        "result_frame_MiB": frame_mib,
        "peak_rss_MiB": rss_after,
        "rss_before_MiB": rss_before,
        "fit_sample": fit_sample,
        "fit_per_call_ms": fit_s * 1e3,
        "speedup_vs_fit": fit_s / (best / rows),
    }


# ------------------------------------------------------------------ (b) peer
def _peer_python(args: argparse.Namespace) -> tuple[str | None, str]:
    """The interpreter to run llm-analysis with, or None and the reason."""
    if args.no_peer:
        return None, "skipped (--no-peer)"
    if args.peer_python:
        return args.peer_python, "given with --peer-python"
    probe = subprocess.run(
        [sys.executable, "-c", "import llm_analysis"], capture_output=True, text=True
    )
    if probe.returncode == 0:
        return sys.executable, "installed in the current environment"
    venv = Path(args.peer_venv)
    py = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if py.exists():
        ok = subprocess.run([str(py), "-c", "import llm_analysis"], capture_output=True)
        if ok.returncode == 0:
            return str(py), f"throw-away venv {venv}"
    print(f"  installing {PEER_PACKAGE} into a throw-away venv at {venv} ...", flush=True)
    try:
        subprocess.run(
            [sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, text=True
        )
        subprocess.run(
            [str(py), "-m", "pip", "install", "--quiet", PEER_PACKAGE],
            check=True,
            capture_output=True,
            text=True,
            timeout=900,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        last = [line for line in str(detail).strip().splitlines() if line.strip()][-1:]
        return None, f"{PEER_PACKAGE} could not be installed ({'; '.join(last) or exc})"
    return str(py), f"throw-away venv {venv}"


def bench_peer(args: argparse.Namespace) -> dict[str, Any]:
    py, how = _peer_python(args)
    if py is None:
        return {"skipped": how}
    check = (2048, 8, 4)  # prompt, batch, tp
    job = {
        "model": PEER_MODEL,
        "gpu": PEER_GPU,
        "prompts": PEER_PROMPTS,
        "output": PEER_OUTPUT,
        "batches": PEER_BATCHES,
        "tp": PEER_TP,
        "repeat": args.repeat,
        "check": check,
    }
    proc = subprocess.run(
        [py, "-c", PEER_SCRIPT], input=json.dumps(job), capture_output=True, text=True
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = " ".join(proc.stderr.strip().splitlines()[-2:])
        return {"skipped": f"llm-analysis failed to run with {py}: {tail}"}
    peer = json.loads(lines[-1])

    # llmsizing on the same questions: which TP degree holds (context, batch)?
    m = ls.read_hf_config(LLAMA2_70B, name="llama-2-70b")
    contexts = [p + PEER_OUTPUT for p in PEER_PROMPTS]
    configs = [(c, b) for c in contexts for b in PEER_BATCHES]
    cat = ls.load_catalog()
    inst = cat.get(PEER_INSTANCE)
    ls.fit(m, inst, ls.Workload(context_len=contexts[0]))  # warm the weight cache

    def fit_all_configs() -> None:
        for c, b in configs:
            ls.fit(m, inst, ls.Workload(context_len=c, batch=b), catalog=cat)

    fit_best, _ = _time_best(fit_all_configs, args.repeat)
    sweep_best, _ = _time_best(
        lambda: sweep(m, inst, contexts=contexts, batches=PEER_BATCHES), max(args.repeat, 5)
    )
    w = ls.Workload(context_len=check[0] + PEER_OUTPUT, batch=check[1])
    kv_ours = float(
        (ls.kv_cache_memory(m, w.context_len, w.batch, "bf16") / check[2]).to("byte").magnitude
    )
    n_cfg = len(configs)
    peer_call = peer["best_s"] / peer["calls"]
    peer_cfg = peer["best_s"] / n_cfg  # one infer() per TP degree to choose the degree
    return {
        "how": how,
        "peer_version": peer["version"],
        "peer_python": peer["python"],
        "configurations": n_cfg,
        "tp_degrees": PEER_TP,
        "peer_calls": peer["calls"],
        "peer_per_call_ms": peer_call * 1e3,
        "peer_per_configuration_ms": peer_cfg * 1e3,
        "fit_per_configuration_ms": fit_best / n_cfg * 1e3,
        "sweep_per_configuration_us": sweep_best / n_cfg * 1e6,
        "sweep_call_ms": sweep_best * 1e3,
        "ratio_peer_config_over_fit": peer_cfg / (fit_best / n_cfg),
        "ratio_peer_config_over_sweep": peer_cfg / (sweep_best / n_cfg),
        "peer_calls_that_fit": peer["fits"],
        "check": {
            "config": f"TP {check[2]}, {check[1]} x {check[0] + PEER_OUTPUT} tokens",
            "kv_per_gpu_GB_peer": peer["check_kv_per_gpu_bytes"] / 1e9,
            "kv_per_gpu_GB_llmsizing": kv_ours / 1e9,
        },
    }


# ------------------------------------------------------------------ (c) import
def bench_import(n: int = 5) -> dict[str, Any]:
    code = (
        "import sys, time; t = time.perf_counter(); import llmsizing; "
        "dt = time.perf_counter() - t; "
        "print(dt, any(k.split('.')[0] == 'matplotlib' for k in sys.modules))"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO / "src"), env.get("PYTHONPATH", "")) if p
    )
    times, mpl = [], False
    for _ in range(n):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        )
        dt, loaded = out.stdout.split()
        times.append(float(dt))
        mpl = mpl or loaded == "True"
    return {"best_s": min(times), "times_s": times, "matplotlib_loaded": mpl}


# ------------------------------------------------------------------ report
def report(res: dict[str, Any]) -> str:
    a, b, c = res["sweep"], res["peer"], res["import"]
    row_us = a["best_s"] / a["rows"] * 1e6
    env = res["environment"]
    out = [
        f"Machine: {env['cpus']} CPUs, {env['platform']}; Python {env['python']}, "
        f"numpy {env['numpy']}, pandas {env['pandas']}; llmsizing {env['llmsizing']}",
        "",
        f"(a) sweep: {a['rows']:,} rows ({a['grid']})",
        f"    best of {len(a['times_s'])} warm calls: {a['best_s']:.3f} s = "
        f"{_fmt_rate(a['rows_per_s'])} rows/s",
        f"    first call (cold weight caches): {a['first_call_s']:.3f} s = "
        f"{_fmt_rate(a['rows_per_s_first'])} rows/s",
        f"    peak traced memory {a['tracemalloc_peak_MiB']:,.0f} MiB (result frame "
        f"{a['result_frame_MiB']:,.0f} MiB); peak RSS of the process {a['peak_rss_MiB']:,.0f} "
        f"MiB ({a['rss_before_MiB']:,.0f} MiB before the first sweep)",
        f"    fit() on {a['fit_sample']:,} sampled rows: {a['fit_per_call_ms']:.2f} ms/row "
        f"-> sweep is {a['speedup_vs_fit']:,.0f}x faster per row",
        "",
    ]
    if "skipped" in b:
        out.append(f"(b) peer llm-analysis: {b['skipped']}")
    else:
        out += [
            f"(b) llm-analysis {b['peer_version']} ({b['how']}), Llama-2-70B on H100 SXM 80GB "
            f"({PEER_INSTANCE}), {b['configurations']} configurations (context x batch), "
            f"TP degrees {b['tp_degrees']}:",
            f"    llm-analysis infer(): {b['peer_per_call_ms']:.3f} ms per call, "
            f"{b['peer_per_configuration_ms']:.3f} ms per configuration "
            f"({len(b['tp_degrees'])} calls, one per TP degree; {b['peer_calls_that_fit']} of "
            f"{b['peer_calls']} calls fit, the others stop at its memory assertion)",
            f"    llmsizing fit():      {b['fit_per_configuration_ms']:.3f} ms per configuration "
            f"(all degrees, chooses one) -> {b['ratio_peer_config_over_fit']:.2f}x",
            f"    llmsizing sweep():    {b['sweep_per_configuration_us']:.2f} us per configuration "
            f"(one call, {b['sweep_call_ms']:.2f} ms) -> "
            f"{b['ratio_peer_config_over_sweep']:,.0f}x",
            f"    sweep() per row at the {a['rows']:,}-row grid: {row_us:.3f} us "
            f"-> {b['peer_per_call_ms'] * 1e3 / row_us:,.0f}x one infer() call",
            f"    same configuration check, KV cache per GPU at {b['check']['config']}: "
            f"llm-analysis {b['check']['kv_per_gpu_GB_peer']:.3f} GB, "
            f"llmsizing {b['check']['kv_per_gpu_GB_llmsizing']:.3f} GB",
        ]
    out += [
        "",
        f"(c) import llmsizing: {c['best_s'] * 1e3:.0f} ms (best of {len(c['times_s'])}, fresh "
        f"interpreter); matplotlib loaded: {c['matplotlib_loaded']}",
    ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=5, help="timed repetitions (best is kept)")
    p.add_argument("--fit-sample", type=int, default=1000, help="rows timed through fit()")
    p.add_argument("--peer-python", help="Python interpreter that has llm-analysis installed")
    p.add_argument(
        "--peer-venv",
        default=str(Path(tempfile.gettempdir()) / "llmsizing-bench-llm-analysis"),
        help="where to create the throw-away venv for llm-analysis if needed",
    )
    p.add_argument("--no-peer", action="store_true", help="skip the llm-analysis comparison")
    p.add_argument("--json", help="also write the raw figures to this JSON file")
    args = p.parse_args(argv)

    import pandas as pd

    res: dict[str, Any] = {
        "environment": {
            "python": platform.python_version(),
            "platform": platform.platform(terse=True),
            "cpus": os.cpu_count(),
            "numpy": np.__version__,
            "pandas": pd.__version__,
            "llmsizing": ls.__version__,
        }
    }
    print("(a) sweep ...", flush=True)
    res["sweep"] = bench_sweep(args.repeat, args.fit_sample)
    print("(b) peer ...", flush=True)
    res["peer"] = bench_peer(args)
    print("(c) import ...", flush=True)
    res["import"] = bench_import()
    print()
    print(report(res))
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
