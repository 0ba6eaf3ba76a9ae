"""The CUDA-visible device total (``cuda_visible_GiB``) as the serving engines' budget base.

vLLM multiplies ``torch.cuda.mem_get_info()`` total by ``gpu_memory_utilization``;
that total lies below nvidia-smi's by a per-card amount. A device that states it
budgets from it; one that does not falls back to nvidia-smi less the H100's 0.47 GiB.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

import llmsizing as ls
from catalog_rows import EXAMPLE_DEVICE_INSTANCE_ROW, EXAMPLE_DEVICE_ROW
from llmsizing.catalog import (
    _DEVICE_COLUMNS,
    _DEVICE_OPTIONAL,
    _INSTANCE_COLUMNS,
    _INSTANCE_OPTIONAL,
    load_catalog,
)
from llmsizing.engines import ENGINES
from llmsizing.errors import CatalogError
from llmsizing.units import ureg

GIB = 2**30
W = {"context_len": 4096, "memory_utilization": 0.9}


def _q(text: str) -> Any:
    return ureg.Quantity(text)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows([{k: r.get(k, "") for k in header} for r in rows])
    return path


# ------------------------------------------------------------ the A100 row
def test_a100_sxm_80gb_keeps_nvidia_smi_and_torch_figures_apart() -> None:
    dev = load_catalog().device("A100-SXM-80GB")
    # nvidia-smi: 81920 MiB = 80.0 GiB; torch total_memory 85,056,798,720 B = 79.216 GiB
    # (the row held it, truncated to 79.21, as the usable figure before)
    assert dev.memory_usable == _q("80.0 GiB") and round(81920 / 1024, 2) == 80.0
    assert dev.cuda_visible_memory == _q("79.22 GiB")
    assert round(85_056_798_720 / GIB, 2) == 79.22
    # p4de.24xlarge references the row and carries both
    p4de = load_catalog().get("p4de.24xlarge")
    assert p4de.device == "A100-SXM-80GB"
    assert p4de.accelerator_memory_usable == _q("80.0 GiB")
    assert p4de.cuda_visible_memory == _q("79.22 GiB")


def test_stated_totals_lie_below_nvidia_smi_and_neuron_rows_have_none() -> None:
    cat = load_catalog()
    stated = [d for d in (cat.device(n) for n in cat.device_names()) if d.cuda_visible_memory]
    assert {"H100-SXM-80GB", "H200-141GB", "A100-SXM-80GB", "T4-16GB"} <= {d.name for d in stated}
    for dev in stated:
        assert dev.kind == "gpu"
        assert dev.cuda_visible_memory <= dev.memory_usable, dev.name
        assert "visible" in dev.notes and "https://" in dev.notes, dev.name
    for name in ("Inferentia2", "Trainium2"):
        assert cat.device(name).cuda_visible_memory is None


# ------------------------------------------------------------ the budget base
def test_vllm_budget_is_the_cuda_visible_total_times_utilisation() -> None:
    # p4de.24xlarge (A100-SXM-80GB, 79.22 GiB CUDA-visible) at 0.9, one rank per GPU:
    # 79.22 x 0.9 = 71.298 GiB, not (80.0 - 0.47) x 0.9 = 71.577 GiB (nor the
    # double-subtracted (79.21 - 0.47) x 0.9 = 70.866 GiB of the old row)
    cap = ls.kv_cache_capacity("llama-3.1-8b", "p4de.24xlarge", W, layout="TP1", engine="vllm")
    assert cap.budget_bytes == pytest.approx(79.22 * 0.9 * GIB, rel=1e-12)
    assert cap.budget_bytes == pytest.approx(71.298 * GIB, rel=1e-12)


@pytest.mark.parametrize(
    ("system", "visible"),
    # GB10: unified memory, the 121.69 GiB torch.cuda.mem_get_info reports on a DGX Spark
    [("H200-141GB", 139.80), ("RTX4090-24GB", 23.64), ("T4-16GB", 14.75), ("GB10-128GB", 121.69)],
)
def test_device_systems_budget_from_their_stated_total(system: str, visible: float) -> None:
    inst = ls.system(system, 2)
    assert inst.cuda_visible_memory == ureg.Quantity(visible, "GiB")
    w = {**W, "weight_dtype": "int4"}
    cap = ls.kv_cache_capacity("llama-3.1-8b", inst, w, layout="TP2", engine="vllm")
    assert cap.budget_bytes == pytest.approx(visible * 0.9 * GIB, rel=1e-12)


def test_sglang_and_trtllm_start_from_the_same_total() -> None:
    # H200 (p5e.48xlarge): 139.80 GiB visible against nvidia-smi 140.4 GiB
    w = {**W, "weight_dtype": "bf16"}
    for engine in ("sglang", "trtllm"):
        cap = ls.kv_cache_capacity("llama-3.1-70b", "p5e.48xlarge", w, layout="TP4", engine=engine)
        if engine == "sglang":
            # mem_fraction_static x total, less weights and the TP >= 2 reserve (3.2 GiB)
            expected = 139.80 * 0.9 * GIB - cap.weights_bytes - 3.2 * GIB
        else:
            # free_gpu_memory_fraction of what weights, the pass and the reserve leave
            used = cap.weights_bytes + cap.activations_bytes + cap.reserve_bytes
            expected = 0.9 * (139.80 * GIB - used)
        assert cap.kv_cache_bytes == pytest.approx(expected, rel=1e-9), engine


def test_a_gpu_without_a_stated_total_falls_back_to_the_visible_offset() -> None:
    # L4 (g6.xlarge): no public CUDA-visible figure; nvidia-smi 22.49 GiB less 0.47
    inst = load_catalog().get("g6.xlarge")
    assert inst.cuda_visible_memory is None
    assert ENGINES["vllm"].visible_offset_GiB == 0.47
    cap = ls.kv_cache_capacity("llama-3.1-8b", inst, W, layout="TP1", engine="vllm")
    assert cap.budget_bytes == pytest.approx((22.49 - 0.47) * 0.9 * GIB, rel=1e-12)


def test_a_vgpu_slice_that_states_its_own_usable_memory_falls_back_too() -> None:
    # g6f.4xlarge: half an L4 whose row states 11.18 GiB (not the device's total x 0.5)
    inst = load_catalog().get("g6f.4xlarge")
    assert inst.device_share == 0.5 and inst.cuda_visible_memory is None
    w = {**W, "weight_dtype": "int4"}
    cap = ls.kv_cache_capacity("llama-3.1-8b", inst, w, layout="TP1", engine="vllm")
    assert cap.budget_bytes == pytest.approx((11.18 - 0.47) * 0.9 * GIB, rel=1e-12)


def test_the_generic_rule_ignores_the_cuda_visible_total() -> None:
    # engine=None budgets from the catalog's usable memory: 80.0 GiB x 0.9 on p4de
    cap = ls.kv_cache_capacity("llama-3.1-8b", "p4de.24xlarge", W, layout="TP1", engine=None)
    assert cap.budget_bytes == pytest.approx(80.0 * 0.9 * GIB, rel=1e-12)


def test_budget_base_bytes_by_hand() -> None:
    p = ENGINES["vllm"]
    assert p.budget_base_bytes(80.0 * GIB, _q("79.21 GiB")) == pytest.approx(79.21 * GIB)
    assert p.budget_base_bytes(22.49 * GIB, None) == pytest.approx((22.49 - 0.47) * GIB)


# ------------------------------------------------------------ user device tables
def test_a_devices_csv_without_the_column_still_loads(tmp_path: Path) -> None:
    header = [c for c in (*_DEVICE_COLUMNS, *_DEVICE_OPTIONAL) if c != "cuda_visible_GiB"]
    devices = _write(tmp_path / "d.csv", header, [EXAMPLE_DEVICE_ROW])
    row = dict(EXAMPLE_DEVICE_INSTANCE_ROW, device="Example-80GB")
    instances = _write(tmp_path / "i.csv", [*_INSTANCE_COLUMNS, *_INSTANCE_OPTIONAL], [row])
    cat = load_catalog(extra_csv=instances, devices_csv=devices)
    assert cat.device("Example-80GB").cuda_visible_memory is None
    assert cat.get("x2.12xlarge").cuda_visible_memory is None


def test_a_user_device_total_reaches_its_instances(tmp_path: Path) -> None:
    header = [*_DEVICE_COLUMNS, *_DEVICE_OPTIONAL]
    devices = _write(
        tmp_path / "d.csv", header, [dict(EXAMPLE_DEVICE_ROW, cuda_visible_GiB="79.1")]
    )
    row = dict(EXAMPLE_DEVICE_INSTANCE_ROW, device="Example-80GB")
    instances = _write(tmp_path / "i.csv", [*_INSTANCE_COLUMNS, *_INSTANCE_OPTIONAL], [row])
    cat = load_catalog(extra_csv=instances, devices_csv=devices)
    assert cat.get("x2.12xlarge").cuda_visible_memory == _q("79.1 GiB")
    cap = ls.kv_cache_capacity("llama-3.1-8b", cat.get("x2.12xlarge"), W, layout="TP1")
    assert cap.budget_bytes == pytest.approx(79.1 * 0.9 * GIB, rel=1e-12)


@pytest.mark.parametrize(
    ("cell", "problem"),
    [("79.7", "exceeds the usable"), ("30", "under half"), ("-1", "negative")],
)
def test_implausible_totals_are_rejected(tmp_path: Path, cell: str, problem: str) -> None:
    header = [*_DEVICE_COLUMNS, *_DEVICE_OPTIONAL]
    path = _write(tmp_path / "d.csv", header, [dict(EXAMPLE_DEVICE_ROW, cuda_visible_GiB=cell)])
    with pytest.raises(CatalogError, match=problem) as info:
        load_catalog(devices_csv=path)
    assert "cuda_visible_GiB" in str(info.value)


def test_gb10_keeps_the_vendor_gigabytes_beside_the_cuda_total() -> None:
    # NVIDIA labels the DGX Spark "128 GB"; CUDA reports 121.69 GiB = 130.66e9 B, more than
    # 128e9 B (119.21 GiB): the label counts DRAM in binary units, as memory chips are sized.
    # No nvidia-smi total exists on unified memory, so usable is the CUDA total itself.
    d = load_catalog().device("GB10-128GB")
    assert d.memory == ureg.Quantity(128, "GB")
    assert d.cuda_visible_memory == d.memory_usable == ureg.Quantity(121.69, "GiB")
    assert d.cuda_visible_memory > d.memory  # pint compares across GB and GiB
    assert d.cuda_visible_memory < ureg.Quantity(128, "GiB")
    assert d.memory_bandwidth == ureg.Quantity(0.273, "TB/s")
