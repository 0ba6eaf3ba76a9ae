"""Fit ``src/llmsizing/data/efficiency.csv`` on the calibration measurements.

Reads ``tests/data/perf/calibration.csv`` only (never ``validation.csv``), maps
every row to llmsizing inputs with the rules of ``benchmarks/perf_accuracy.py``,
keeps a random 20% of the rows out (``perf_accuracy.holdout_ids``, fixed seed)
and fits, per hardware family and calibration engine, up to eight numbers shared
by all of the family's rows (no per-model or per-row constant):

* prefill MFU, decode MFU and decode memory-bandwidth utilisation [-]
  (grids 0.04-1 and 0.2-1 in steps of 0.01);
* a scale on GenZ's collective latency ``α(N) = 5 µs + 2 µs (N − 1)``
  (0-8 in steps of 0.05; written as the scaled ``alpha_base_us`` and
  ``alpha_per_rank_us``);
* a fixed overhead per prefill pass and one per decode step (each 0-6 ms, steps
  of 25 µs), one per decoder layer of a prefill pass (0-200 µs, steps of 2.5 µs:
  the TensorRT-LLM batch-1 TTFTs of 70B and 180B models at 128 tokens leave two to
  three times the fixed time of 7B models, a time that grows with the layers a pass
  runs through), and one per sequence in a pass (0-10 µs, steps of 0.25 µs).

A parameter is fitted only where the family's rows measure what it governs
(:func:`identifiable`): bandwidth utilisation, the collective latency and the
decode step overhead need TPOT rows, the prefill overheads TTFT rows, decode MFU
rows at batch 64 and more; otherwise it keeps the module default, 0, or the
prefill MFU, and the CSV row's ``source`` says so.

The objective is the mean over metrics (TTFT, TPOT, output throughput) of the
median |log(estimate / measured)| on the family's fitted rows, minimised by
coordinate descent over grids. The residual bands are the 10th and 90th
percentiles of measured / estimated on the same rows (a metric with fewer than
five rows in the family takes the bands of all families of its kind; GPU TPOT,
never measured in calibration, takes the throughput band).

Families without calibration rows: ``neuron-trn2`` takes the fit pooled over
the ``neuron-inf2`` and ``neuron-trn1`` rows (the Neuron SDK publishes no Trn2
performance table, see ``tests/data/perf/README.md``). Two pooled rows serve
as fallbacks for any other family without rows (``perf.efficiency``): ``gpu``,
fitted on all NVIDIA families' rows together (AMD Instinct, workstation and
GeForce cards), and ``neuron``, on the Inf2 and Trn1 rows (Trn3).

Run from a clone: ``python scripts/fit_efficiency.py`` (rewrites the CSV), or
``--out PATH`` to write elsewhere (the tests compare that with the packaged file).
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
_spec = importlib.util.spec_from_file_location(
    "perf_accuracy", ROOT / "benchmarks" / "perf_accuracy.py"
)
assert _spec is not None and _spec.loader is not None
pa = importlib.util.module_from_spec(_spec)
sys.modules["perf_accuracy"] = pa
_spec.loader.exec_module(pa)

import llmsizing as ls  # noqa: E402
from llmsizing import perf  # noqa: E402
from llmsizing.collectives import ALPHA_BASE_S, ALPHA_PER_RANK_S  # noqa: E402

OUT = ROOT / "src" / "llmsizing" / "data" / "efficiency.csv"
MFU_GRID = np.round(np.arange(0.04, 1.0001, 0.01), 3)
MBU_GRID = np.round(np.arange(0.2, 1.0001, 0.01), 3)
ALPHA_GRID = np.round(np.arange(0.0, 8.0001, 0.05), 3)
INTERCONNECT_UTILIZATION = 0.8
PER_SEQ_GRID_US = np.round(np.arange(0.0, 10.0001, 0.25), 2)
OVERHEAD_GRID_US = np.round(np.arange(0.0, 6000.0001, 25.0), 1)
PER_LAYER_GRID_US = np.round(np.arange(0.0, 200.0001, 2.5), 1)
Params = tuple[float, float, float, float, float, float, float, float]
LARGE_BATCH = 64
#: Families fitted on other families' rows: Trn2 (no Neuron SDK table of its own) and the
#: kind-wide fallbacks ``perf.efficiency`` uses for a family without calibration
#: (AMD Instinct, workstation and GeForce GPUs, Trn3).
NVIDIA_CALIBRATED = (
    "nvidia-ada",
    "nvidia-ampere",
    "nvidia-blackwell",
    "nvidia-hopper",
)
PARENTS = {
    "neuron-trn2": ("neuron-inf2", "neuron-trn1"),
    "neuron": ("neuron-inf2", "neuron-trn1"),
    "gpu": NVIDIA_CALIBRATED,
}


WHY_POOLED = {
    "neuron-trn2": "no Trn2 calibration table",
    "neuron": "pooled: the fallback for a Neuron family without calibration",
    "gpu": "pooled: the fallback for a GPU family without calibration",
}


def physics(c: Any, cat: Any) -> Any:
    inst = pa._instance(c)
    d = perf._deployment(c.model, inst, c.workload, c.layout, cat)
    return perf._physics(
        c.model,
        inst,
        c.workload,
        d.layout,
        d.fit.policy,
        d.cdt,
        c.serving == "static",
        0.0,
        None,
        d.cross,
        c.compiled_batch,
        c.context_buckets,
        c.token_buckets,
    )


def predict(c: Any, ph: Any, x: Params) -> dict[str, float]:
    pm, dm, mbu, a, oh, ohs, oh_pre, ohl = x
    eff = perf.Efficiency(
        alpha_base=ALPHA_BASE_S * a,
        alpha_per_rank=ALPHA_PER_RANK_S * a,
        prefill_overhead=oh_pre * 1e-6,
        prefill_overhead_per_layer=ohl * 1e-6,
        step_overhead=oh * 1e-6,
        step_overhead_per_sequence=ohs * 1e-6,
    )
    t = perf._times(ph, eff, pm, dm, mbu, INTERCONNECT_UTILIZATION)
    return {
        "ttft": t.ttft * 1e3,
        "tpot": t.tpot * 1e3,
        "throughput": pa.throughput_in_scope(c, t.rate),
    }


def residuals(items: list[tuple[Any, Any]], x: Params) -> dict[str, list[float]]:
    """log(measured / estimate) per metric."""
    out: dict[str, list[float]] = {k: [] for k in pa.METRICS}
    for c, ph in items:
        p = predict(c, ph, x)
        for k, v in c.measured.items():
            out[k].append(math.log(v / p[k]))
    return out


def objective(items: list[tuple[Any, Any]], x: Params, metrics: tuple[str, ...]) -> float:
    res = residuals(items, x)
    meds = [float(np.median(np.abs(res[k]))) for k in metrics if res[k]]
    return float(np.mean(meds)) if meds else 0.0


PARAM_NAMES = (
    "prefill MFU",
    "decode MFU",
    "bandwidth utilisation",
    "collective latency scale",
    "decode step overhead",
    "per-sequence overhead",
    "prefill overhead",
    "prefill overhead per layer",
)


def identifiable(items: list[tuple[Any, Any]]) -> tuple[list[int], bool, list[str]]:
    """Which parameters the family's rows measure: (indices, decode MFU tied, notes).

    * bandwidth utilisation governs memory-bound decode steps, which only TPOT rows
      measure; without them it keeps ``perf.DEFAULT_BANDWIDTH_UTILIZATION`` (MBU
      60-80%, Databricks 2023);
    * the collective latency α governs the small all-reduces of small-batch decode
      steps, which only TPOT rows measure (a large batch's collectives are
      bandwidth-bound); without them it keeps GenZ's ``5 µs + 2 µs (N − 1)``;
    * the fixed overhead of a decode step shows in small-batch TPOT rows, that of a
      prefill pass in TTFT rows; without such rows each stays 0 (a throughput row
      at a large batch cannot tell either from the per-sequence overhead);
    * decode MFU governs compute-bound decode, i.e. batches of ``LARGE_BATCH`` and
      more; without such rows it equals the prefill MFU.
    """
    # the per-layer prefill overhead before the fixed one: the fixed part then takes only
    # what does not grow with the layers a pass runs through
    which = [0, 1, 2, 3, 4, 5, 7, 6]
    notes = []
    if sum("tpot" in c.measured for c, _ in items) < 5:
        which.remove(2)
        which.remove(3)
        which.remove(4)
        notes.append("bandwidth utilisation is the module default (no TPOT rows)")
        notes.append("collective latency is GenZ's (no TPOT rows)")
        notes.append("no decode step overhead (no TPOT rows)")
    if sum("ttft" in c.measured for c, _ in items) < 5:
        which.remove(6)
        which.remove(7)
        notes.append("no prefill overhead (no TTFT rows)")
    tie = sum(c.workload.batch >= LARGE_BATCH for c, _ in items) < 5
    if tie:
        which.remove(1)
        notes.append(f"decode MFU = prefill MFU (no row at batch >= {LARGE_BATCH})")
    return which, tie, notes


def fit_family(items: list[tuple[Any, Any]]) -> Params:
    """The identifiable parameters jointly, on every metric of the family's rows."""
    x = [0.4, 0.4, perf.DEFAULT_BANDWIDTH_UTILIZATION, 1.0, 0.0, 0.0, 0.0, 0.0]
    which, tie, _ = identifiable(items)
    return _descend(items, x, which, pa.METRICS, tie_decode=tie)


def _descend(
    items: list[tuple[Any, Any]],
    x0: list[float],
    which: list[int],
    metrics: tuple[str, ...],
    tie_decode: bool = False,
) -> Params:
    grids = [
        MFU_GRID,
        MFU_GRID,
        MBU_GRID,
        ALPHA_GRID,
        OVERHEAD_GRID_US,
        PER_SEQ_GRID_US,
        OVERHEAD_GRID_US,
        PER_LAYER_GRID_US,
    ]
    x = list(x0)
    best = objective(items, tuple(x), metrics)  # type: ignore[arg-type]
    for _ in range(4):
        improved = False
        for i in which:
            for g in grids[i]:
                trial = list(x)
                trial[i] = float(g)
                if tie_decode:
                    trial[1] = trial[0]
                f = objective(items, tuple(trial), metrics)  # type: ignore[arg-type]
                if f < best - 1e-12:
                    best, x, improved = f, trial, True
        if not improved:
            break
    return tuple(x)  # type: ignore[return-value]


def band(v: list[float]) -> tuple[float, float]:
    r = np.exp(np.asarray(v))
    return float(np.percentile(r, 10)), float(np.percentile(r, 90))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT, help="where to write the table")
    out = ap.parse_args(argv).out
    cat = ls.load_catalog()
    cases, skipped = pa.load_cases("calibration")
    held = pa.holdout_ids([c.id for c in cases])
    train = [c for c in cases if c.id not in held]
    items: dict[str, list[tuple[Any, Any]]] = {}
    engines: dict[str, set[str]] = {}
    for c in train:
        items.setdefault(c.family, []).append((c, physics(c, cat)))
        engines.setdefault(c.family, set()).add(c.engine)
    for fam, parents in PARENTS.items():
        if fam not in items:
            items[fam] = [it for p in parents for it in items.get(p, [])]
            engines[fam] = {e for p in parents for e in engines.get(p, set())}

    fits = {fam: fit_family(its) for fam, its in sorted(items.items())}
    res = {fam: residuals(items[fam], fits[fam]) for fam in fits}
    kind_res: dict[str, dict[str, list[float]]] = {}
    for fam, r in res.items():
        if fam in PARENTS:
            continue
        kr = kind_res.setdefault(fam.split("-")[0], {k: [] for k in pa.METRICS})
        for k, v in r.items():
            kr[k].extend(v)

    rows = []
    for fam, x in fits.items():
        pm, dm, mbu, a, oh, ohs, oh_pre, ohl = x
        (eng,) = sorted(engines[fam])
        n = len(items[fam])
        src = (
            f"fitted on {n} calibration.csv rows of "
            + (" + ".join(PARENTS[fam]) + f" ({WHY_POOLED[fam]})" if fam in PARENTS else fam)
            + f" ({eng}; 20% of calibration rows held back, seed {pa.HOLDOUT_SEED})"
        )
        notes = identifiable(items[fam])[2]
        if notes:
            src += "; " + "; ".join(notes)

        def bands(
            metric: str, fallback: str | None = None, fam: str = fam
        ) -> tuple[float, float, int]:
            v = res[fam][metric]
            if len(v) >= 5:
                return (*band(v), len(v))
            pool = kind_res["neuron" if fam.startswith("neuron") else "nvidia"][metric]
            if len(pool) >= 5:
                return (*band(pool), len(pool))
            if fallback:
                return bands(fallback)
            return (1.0, 1.0, 0)

        t_lo, t_hi, t_n = bands("ttft")
        p_lo, p_hi, p_n = bands("tpot", "throughput")
        r_lo, r_hi, r_n = bands("throughput")
        common = {"family": fam, "engine": eng, "source": src}
        rows += [
            common
            | {
                "phase": "prefill",
                "mfu": pm,
                "prefill_overhead_us": oh_pre,
                "prefill_overhead_per_layer_us": ohl,
                "residual_p10": round(t_lo, 3),
                "residual_p90": round(t_hi, 3),
                "n_rows": t_n,
            },
            common
            | {
                "phase": "decode",
                "mfu": dm,
                "bandwidth_utilization": mbu,
                "step_overhead_us": oh,
                "step_overhead_per_sequence_us": ohs,
                "residual_p10": round(p_lo, 3),
                "residual_p90": round(p_hi, 3),
                "n_rows": p_n,
            },
            common
            | {
                "phase": "collective",
                "alpha_base_us": round(ALPHA_BASE_S * a * 1e6, 3),
                "alpha_per_rank_us": round(ALPHA_PER_RANK_S * a * 1e6, 3),
                "n_rows": n,
            },
            common
            | {
                "phase": "serving",
                "residual_p10": round(r_lo, 3),
                "residual_p90": round(r_hi, 3),
                "n_rows": r_n,
            },
        ]
    cols = [
        "family",
        "engine",
        "phase",
        "mfu",
        "bandwidth_utilization",
        "alpha_base_us",
        "alpha_per_rank_us",
        "prefill_overhead_us",
        "prefill_overhead_per_layer_us",
        "step_overhead_us",
        "step_overhead_per_sequence_us",
        "residual_p10",
        "residual_p90",
        "n_rows",
        "source",
    ]
    with out.open("w", newline="", encoding="utf-8") as f:
        wr = csv.DictWriter(f, cols, lineterminator="\n")
        wr.writeheader()
        for r in rows:
            wr.writerow({k: r.get(k, "") for k in cols})
    for fam, x in fits.items():
        print(
            f"{fam:18s} prefill MFU {x[0]:.2f}  decode MFU {x[1]:.2f}  MBU {x[2]:.2f}  "
            f"alpha x{x[3]:.2f}  overhead {x[4]:.0f} us + {x[5]:.2f} us/seq  "
            f"prefill +{x[6]:.0f} us + {x[7]:.1f} us/layer"
        )
    print(f"wrote {out} ({len(rows)} rows); skipped {len(skipped)} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
