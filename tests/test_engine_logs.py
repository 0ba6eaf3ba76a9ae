"""llmsizing against real vLLM/SGLang start-up logs (tests/data/engine_logs/calibration.yaml).

Each logged launch is sized with its own layout, formats, utilisation and request length
(scripts/check_engine_logs.py); the held-out file is only measured, never tested here.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "check_engine_logs.py"


def _checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_engine_logs", SCRIPT)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def calibration() -> dict[str, list[tuple[str, float, float]]]:
    return _checker().compare("calibration")


def test_kv_bytes_per_token_equal_the_engines(calibration: dict) -> None:
    check = _checker()
    rows = calibration["kv_bytes_per_token"]
    assert len(rows) >= 4
    assert all(check.within("kv_bytes_per_token", c, g) for _, c, g in rows), rows


def test_weights_per_gpu_within_two_percent(calibration: dict) -> None:
    check = _checker()
    rows = calibration["weights"]
    # gpt-oss's MXFP4 experts load padded as the launch's MoE kernel pads them (Triton
    # kernels' layout, or Marlin where the log warns of it): every launch is within 2%
    assert len(rows) >= 10
    assert all(check.within("weights", c, g) for _, c, g in rows), rows


def test_vllm_kv_token_capacity_within_ten_percent(calibration: dict) -> None:
    check = _checker()
    rows = [r for r in calibration["tokens"] if r[0].startswith("vllm-")]
    assert rows
    good = [r for r in rows if check.within("tokens", r[1], r[2])]
    assert len(good) >= 0.75 * len(rows), rows


def test_every_launch_is_sized_or_skipped_with_a_reason(calibration: dict) -> None:
    assert all(why for _, why in calibration["skipped"])


def test_sglang_capacity_follows_its_static_pool(calibration: dict) -> None:
    # sglang-21348: Qwen3-235B-A22B-FP8 on 4 x H100 logged "K size: 8.23 GB, V size: 8.23 GB"
    # (GiB) and 367,404 tokens; SGLang's static pool is weights + KV, activations outside
    check = _checker()
    (row,) = [r for r in calibration["tokens"] if r[0].startswith("sglang-")]
    assert check.within("tokens", row[1], row[2]), row


def test_vllm_017_profile_matches_a_019_log() -> None:
    # calibration.yaml, vllm-jgchn-llama31-8b-h100-tp1 (vLLM 0.19.0, one H100 SXM,
    # gpu_memory_utilization 0.95, max_model_len 8192): weights 14.99 GiB, activation
    # 1.89 GiB, non-torch 0.25 GiB, "Available KV cache memory: 58.11 GiB"
    import llmsizing as ls

    w = {"context_len": 8192, "memory_utilization": 0.95}
    cap = ls.kv_cache_capacity("llama-3.1-8b", "p5.48xlarge", w, layout="TP1", engine="vllm-0.17")
    assert cap.activations.to("GiB").magnitude == pytest.approx(1.89, rel=0.03)
    assert cap.kv_cache.to("GiB").magnitude == pytest.approx(58.11, rel=0.01)
