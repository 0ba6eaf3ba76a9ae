"""The calibration of the performance model: the fit script, the splits and the benchmark.

``scripts/fit_efficiency.py`` fits ``data/efficiency.csv`` on
``tests/data/perf/calibration.csv`` only, holding back a random 20% of its rows;
``benchmarks/perf_accuracy.py`` scores the estimates on the fitted rows, the held-back
rows and ``tests/data/perf/validation.csv``. Accuracy figures are reported by the
benchmark, not asserted here, except loose bounds on the calibration rows themselves.
"""

from __future__ import annotations

import filecmp
import importlib.util
import math
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def pa() -> ModuleType:
    return _load("perf_accuracy", ROOT / "benchmarks" / "perf_accuracy.py")


def test_holdout_is_a_fixed_fifth_of_the_calibration_rows(pa: ModuleType) -> None:
    cases, _ = pa.load_cases("calibration")
    ids = [c.id for c in cases]
    held = pa.holdout_ids(ids)
    assert held == pa.holdout_ids(list(reversed(ids)))  # order does not matter
    assert len(held) == round(0.2 * len(ids))
    assert held <= set(ids)


def test_fit_script_never_reads_validation() -> None:
    text = (ROOT / "scripts" / "fit_efficiency.py").read_text(encoding="utf-8")
    code = [ln for ln in text.splitlines() if not ln.lstrip().startswith("#")]
    body = "\n".join(code).split('"""', 2)[-1]  # after the module docstring
    assert "validation" not in body
    assert 'load_cases("calibration")' in body


def test_fit_script_reproduces_the_packaged_table(tmp_path: Path) -> None:
    out = tmp_path / "efficiency.csv"
    script = ROOT / "scripts" / "fit_efficiency.py"
    subprocess.run([sys.executable, str(script), "--out", str(out)], check=True, timeout=600)
    packaged = ROOT / "src" / "llmsizing" / "data" / "efficiency.csv"
    assert filecmp.cmp(out, packaged, shallow=False)


def test_every_validation_row_gives_finite_estimates(pa: ModuleType) -> None:
    cases, skipped = pa.load_cases("validation")
    assert len(cases) >= 35
    # every skip names its reason: no model reader, no metric, or no lengths
    assert all(reason for _, reason in skipped)
    for c in cases:
        pred = pa.predict(c)
        for k in c.measured:
            assert math.isfinite(pred[k]) and pred[k] > 0


def test_calibration_fit_rows_are_within_the_fitted_bands(pa: ModuleType) -> None:
    # loose: the median |log error| of the fitted rows, per metric, under 35%
    cases, _ = pa.load_cases("calibration")
    held = pa.holdout_ids([c.id for c in cases])
    err = pa.errors([c for c in cases if c.id not in held])
    for metric, g in err.groupby("metric"):
        assert g.abs_log_err.median() < 0.35, metric


def test_tensorrt_llm_served_quantised_rows_read_an_fp8_kv_cache(pa: ModuleType) -> None:
    # Model Optimizer's FP8 checkpoints carry an FP8 KV cache; NIM serves them as
    # TensorRT-LLM engines, vLLM and the 16-bit rows keep bf16
    assert pa.kv_dtype_for("nim", "fp8") == "fp8"
    assert pa.kv_dtype_for("trtllm", "nvfp4") == "fp8"
    assert pa.kv_dtype_for("vllm", "fp8") == "bf16"
    assert pa.kv_dtype_for("nim", "bf16") == "bf16"
    cases, _ = pa.load_cases("validation")
    nim = [c for c in cases if c.engine == "nim"]
    assert nim and all(c.workload.kv_dtype == "fp8" for c in nim)
    # an FP8 KV cache halves the bytes per sequence, so memory holds about twice the
    # sequences: at 5,000 + 500 tokens the BF16 cap is below 50, the FP8 one above 50
    c50 = next(c for c in nim if c.id.endswith("-c50-5000-500"))
    assert c50.workload.batch == 50 and c50.concurrency is None
