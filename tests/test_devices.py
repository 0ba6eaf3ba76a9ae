"""Devices as data: devices.csv, device systems, slices of instances, and name resolution.

Instance rows reference devices.csv; an instance's per-device figures are its
device's (times the share for a fractional GPU) unless the row overrides them.
:func:`llmsizing.catalog.system` builds ``N x device`` systems and slices of
instances; :meth:`Catalog.get` and :func:`as_instance` accept their names.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Any

import pytest

from catalog_rows import EXAMPLE_DEVICE_INSTANCE_ROW, EXAMPLE_DEVICE_ROW
from llmsizing.catalog import (
    _DEVICE_COLUMNS,
    _DEVICE_OPTIONAL,
    _INSTANCE_COLUMNS,
    _INSTANCE_OPTIONAL,
    Catalog,
    Device,
    Instance,
    as_instance,
    load_catalog,
    system,
)
from llmsizing.errors import CatalogError, UnknownNameError
from llmsizing.units import ureg

# the device names other modules and users are told to use
NAMED = ["H100-SXM-80GB", "H200-141GB", "L40S-48GB", "A100-SXM-80GB", "B200-180GB"]
NAMED += ["Trainium2", "Inferentia2"]


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return load_catalog()


def _q(text: str) -> Any:
    return ureg.Quantity(text)


# ------------------------------------------------------------ the table
@pytest.mark.parametrize("name", NAMED)
def test_named_devices_exist(cat: Catalog, name: str) -> None:
    dev = cat.device(name)
    assert isinstance(dev, Device) and dev.name == name
    assert dev.source_url.startswith("https://") and dev.confidence


def test_device_figures_as_the_vendors_state_them(cat: Catalog) -> None:
    # NVIDIA H100 page: 80 GB HBM3, 3.35 TB/s, 989 dense BF16 / 1,979 dense FP8 TFLOPS,
    # NVLink 900 GB/s; nvidia-smi on p5 shows 81559 MiB (79.65 GiB).
    h100 = cat.device("H100-SXM-80GB")
    assert h100.memory == _q("80 GB") and f"{h100.memory.units:~P}" == "GB"
    assert h100.memory_usable == _q("79.65 GiB")
    assert h100.memory_bandwidth == _q("3.35 TB/s")
    assert (h100.dense_flops("bf16"), h100.dense_flops("fp8")) == (
        _q("989 TFLOPS"),
        _q("1979 TFLOPS"),
    )
    assert h100.dense_flops("fp4") is None
    assert h100.interconnect_bandwidth == _q("900 GB/s")
    # Neuron docs: Trainium2 96 GiB, 2.9 TB/s, 8 NeuronCore-v3; Inferentia2 32 GiB
    assert cat.device("Trainium2").memory == _q("96 GiB")
    assert cat.device("Trainium2").neuron_cores_per_device == 8
    assert cat.device("Inferentia2").memory == _q("32 GiB")
    # NVIDIA states 186 GB per GB200 GPU; the p6e rows override with AWS's 185 GB
    assert cat.device("GB200-186GB").memory == _q("186 GB")
    assert cat.get("p6e-gb200.36xlarge").accelerator_memory == _q("185 GB")


def test_devices_frame(cat: Catalog) -> None:
    df = cat.devices.set_index("device")
    assert list(df.index) == cat.device_names()
    assert df.loc["L4-24GB", "memory_usable_GiB"] == pytest.approx(22.49)
    assert math.isnan(df.loc["L40S-48GB", "interconnect_GBps"])  # PCIe only
    assert {"confidence", "source_url", "as_of"} <= set(df.columns)


def test_device_lookup_is_case_insensitive_and_suggests(cat: Catalog) -> None:
    assert cat.device("h100-sxm-80gb").name == "H100-SXM-80GB"
    with pytest.raises(UnknownNameError, match="did you mean 'H100-SXM-80GB'"):
        cat.device("H100-SXM-80G")


@pytest.mark.parametrize("name", load_catalog().names())
def test_every_instance_takes_its_figures_from_its_device(cat: Catalog, name: str) -> None:
    inst = cat.get(name)
    assert inst.device is not None
    dev = cat.device(inst.device)
    share = inst.device_share
    assert inst.accelerator_kind == dev.kind
    assert inst.neuron_cores_per_device == dev.neuron_cores_per_device
    assert inst.memory_bandwidth == dev.memory_bandwidth * share
    for dtype in ("bf16", "fp8", "fp4", "int8"):
        ours, theirs = inst.dense_flops(dtype), dev.dense_flops(dtype)
        assert ours == (None if theirs is None else theirs * share), (name, dtype)
    if inst.family != "p6e-gb200":  # AWS's 185 GB against NVIDIA's 186 GB
        assert inst.accelerator_memory == dev.memory * share


def test_instances_keep_their_attributes(cat: Catalog) -> None:
    # the figures every caller read before devices.csv existed
    p5 = cat.get("p5.48xlarge")
    assert (p5.accelerator, p5.accelerator_kind, p5.accelerator_count) == (
        "NVIDIA H100 SXM 80GB",
        "gpu",
        8,
    )
    assert p5.accelerator_memory == _q("80 GB") and p5.accelerator_memory_usable == _q("79.65 GiB")
    assert (p5.memory_bandwidth, p5.interconnect_bandwidth) == (_q("3.35 TB/s"), _q("900 GB/s"))
    assert (p5.is_neuron, p5.efa, p5.efa_devices, p5.network_bandwidth) == (
        False,
        True,
        32,
        _q("3200 Gbps"),
    )
    assert p5.peak_flops("fp8") == _q("1979 TFLOPS") * 8
    inf2 = cat.get("inf2.48xlarge")
    assert (inf2.is_neuron, inf2.neuron_cores_per_device, inf2.neuron_cores) == (True, 2, 24)
    assert inf2.interconnect == "NeuronLink-v2 ring"


# ------------------------------------------------------------ device systems
def test_system_of_devices(cat: Catalog) -> None:
    four = system("H100-SXM-80GB", 4, catalog=cat)
    assert four.name == "4xH100-SXM-80GB" and four.device == "H100-SXM-80GB"
    assert four.accelerator_count == 4
    assert four.total_accelerator_memory == _q("320 GB")
    assert four.total_accelerator_memory_usable == _q("79.65 GiB") * 4
    assert four.interconnect_bandwidth == _q("900 GB/s")
    assert four.peak_flops("bf16") == _q("989 TFLOPS") * 4
    assert (four.vcpus, four.host_memory, four.network_bandwidth) == (0, None, _q("0 Gbps"))
    info = cat.price_info(four)
    assert (info.usd_per_hour, info.note) == (None, "no public price")
    assert cat.get("4xH100-SXM-80GB") == four
    assert cat.get("4 x h100-sxm-80gb") == four
    assert as_instance("4xH100-SXM-80GB", cat) == four


def test_system_of_one_device(cat: Catalog) -> None:
    one = system("Inferentia2", catalog=cat)
    assert one.name == "1xInferentia2" and one.accelerator_count == 1
    assert one.interconnect_bandwidth is None and one.neuron_cores == 2
    assert cat.get("Inferentia2") == one


def test_system_matches_the_instance_built_on_the_device(cat: Catalog) -> None:
    # 16 Trainium2 as a system have trn2.48xlarge's accelerator figures
    sixteen, trn2 = system("Trainium2", 16, catalog=cat), cat.get("trn2.48xlarge")
    for attr in ("total_accelerator_memory", "total_memory_bandwidth", "neuron_cores"):
        assert getattr(sixteen, attr) == getattr(trn2, attr), attr
    assert sixteen.peak_flops("fp8") == trn2.peak_flops("fp8")
    assert sixteen.interconnect_bandwidth == trn2.interconnect_bandwidth


def test_pcie_devices_have_no_link_bandwidth(cat: Catalog) -> None:
    two = system("L40S-48GB", 2, catalog=cat)
    assert two.interconnect.startswith("PCIe") and two.interconnect_bandwidth is None


def test_system_with_a_price(cat: Catalog) -> None:
    priced = system("H200-141GB", 8, usd_per_hour=40.0, catalog=cat)
    info = cat.price_info(priced)
    assert (info.usd_per_hour, info.note, info.stale) == (40.0, "user price", False)
    assert cat.hourly_price(priced) == 40.0
    # by name the catalog does not know that price
    assert cat.price_info(priced.name).usd_per_hour is None
    with pytest.raises(CatalogError, match="usd_per_hour"):
        system("H200-141GB", 8, usd_per_hour=-1.0, catalog=cat)
    with pytest.raises(CatalogError, match="usd_per_hour"):
        system("H200-141GB", 8, usd_per_hour=math.inf, catalog=cat)


@pytest.mark.parametrize("count", [0, -1, 5000])
def test_system_device_count_limits(cat: Catalog, count: int) -> None:
    with pytest.raises(CatalogError, match="1 to 4096 devices"):
        system("H100-SXM-80GB", count, catalog=cat)


@pytest.mark.parametrize("count", [2.0, "2", True])
def test_system_count_must_be_an_int(cat: Catalog, count: Any) -> None:
    with pytest.raises(CatalogError, match="whole number"):
        system("H100-SXM-80GB", count, catalog=cat)


def test_unknown_system_name_suggests(cat: Catalog) -> None:
    with pytest.raises(UnknownNameError, match="did you mean") as info:
        system("H100-SXM-80G", 4, catalog=cat)
    assert "H100-SXM-80GB" in str(info.value)
    with pytest.raises(UnknownNameError, match="H200-141GB"):
        cat.get("4xH200-141G")


# ------------------------------------------------------------ slices of instances
def test_slice_of_an_instance(cat: Catalog) -> None:
    two = system("p5.48xlarge", 2, catalog=cat)
    assert two.name == "p5.48xlarge[2 of 8 GPUs]" and two.slice_of == "p5.48xlarge"
    assert two.accelerator_count == 2
    assert two.total_accelerator_memory == _q("160 GB")
    assert two.interconnect_bandwidth == _q("900 GB/s")
    # host resources pro-rated: 192 vCPU, 2,048 GiB, 3,200 Gbps, 32 EFA devices / 4
    assert (two.vcpus, two.host_memory, two.network_bandwidth, two.efa_devices) == (
        48,
        _q("512 GiB"),
        _q("800 Gbps"),
        8,
    )
    assert cat.get("p5.48xlarge[2 of 8 GPUs]") == two
    assert cat.get("P5.48XLARGE[2 of 8 gpus]") == two


def test_slice_price_is_pro_rated(cat: Catalog) -> None:
    # AWS prices p5.4xlarge (1 H100) at exactly 1/8 of p5.48xlarge: 6.88 x 8 = 55.04
    assert 8 * cat.hourly_price("p5.4xlarge") == pytest.approx(cat.hourly_price("p5.48xlarge"))
    info = cat.price_info("p5.48xlarge[1 of 8 GPUs]")
    assert info.usd_per_hour == pytest.approx(6.88)
    assert info.note == "pro-rated: 1 of 8 GPUs of p5.48xlarge"
    assert info.as_of is not None and info.pricing_model == "on-demand"
    # a slice of an unpriced instance has no price either
    assert cat.price_info("p5e.48xlarge[4 of 8 GPUs]").note == "no public price"
    # user prices flow through the pro-rating
    mine = cat.with_prices({"p5e.48xlarge": 40.0})
    sliced = mine.price_info("p5e.48xlarge[4 of 8 GPUs]")
    assert sliced.usd_per_hour == 20.0 and "user price" in sliced.note


def test_slice_of_a_neuron_instance(cat: Catalog) -> None:
    four = system("trn2.48xlarge", 4, catalog=cat)
    assert four.name == "trn2.48xlarge[4 of 16 chips]" and four.neuron_cores == 32
    one = system("inf2.48xlarge", 1, catalog=cat)
    assert one.interconnect_bandwidth is None and one.vcpus == 16


def test_slice_of_all_devices_is_the_instance(cat: Catalog) -> None:
    assert system("p5.48xlarge", 8, catalog=cat) is cat.get("p5.48xlarge")


@pytest.mark.parametrize("count", [0, 9])
def test_slice_count_beyond_the_instance(cat: Catalog, count: int) -> None:
    with pytest.raises(CatalogError, match=r"p5\.48xlarge's devices: it has 8 GPU"):
        system("p5.48xlarge", count, catalog=cat)


def test_slice_name_that_does_not_match_its_instance(cat: Catalog) -> None:
    with pytest.raises(CatalogError, match="has 8 devices, not 4"):
        cat.get("p5.48xlarge[2 of 4 GPUs]")
    with pytest.raises(CatalogError):
        cat.get("p5.48xlarge[9 of 8 GPUs]")


def test_slice_of_a_sagemaker_name(cat: Catalog) -> None:
    half = system("ml.p5.48xlarge", 4, catalog=cat)
    assert half.name == "ml.p5.48xlarge[4 of 8 GPUs]"
    assert cat.price_info(half).note == "no public price"


# ------------------------------------------------------------ as_instance
def test_as_instance(cat: Catalog) -> None:
    p5 = cat.get("p5.48xlarge")
    assert as_instance(p5) is p5
    assert as_instance("p5.48xlarge", cat) is p5
    assert as_instance("ml.p5.48xlarge", cat).name == "ml.p5.48xlarge"
    with pytest.raises(UnknownNameError, match=r"p5\.48xlarge"):
        as_instance("p5.48xlarg", cat)
    with pytest.raises(CatalogError, match="expected an Instance or an instance name"):
        as_instance(42, cat)  # type: ignore[arg-type]


def test_instances_stay_frozen(cat: Catalog) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        system("H100-SXM-80GB", 2, catalog=cat).accelerator_count = 3  # type: ignore[misc]
    assert isinstance(cat.get("1xB200-180GB"), Instance)


# ------------------------------------------------------------ user devices
def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    import csv

    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows([{k: r.get(k, "") for k in header} for r in rows])
    return path


def test_user_devices_and_instances_referencing_them(tmp_path: Path) -> None:
    devices = _write(
        tmp_path / "d.csv", [*_DEVICE_COLUMNS, *_DEVICE_OPTIONAL], [EXAMPLE_DEVICE_ROW]
    )
    header = [*_INSTANCE_COLUMNS, *_INSTANCE_OPTIONAL]
    row = dict(EXAMPLE_DEVICE_INSTANCE_ROW, device="Example-80GB")
    override = dict(row, instance_type="x2.half", device_share="0.5", accelerator_count="1")
    instances = _write(tmp_path / "i.csv", header, [row, override])
    cat = load_catalog(extra_csv=instances, devices_csv=devices)
    inst = cat.get("x2.12xlarge")
    assert inst.device == "Example-80GB" and inst.accelerator == "Example GPU 80GB"
    assert inst.total_accelerator_memory == _q("320 GB")
    half = cat.get("x2.half")
    assert half.accelerator_memory == _q("40 GB")
    assert half.memory_bandwidth == _q("1.675 TB/s")
    assert half.stated_usable_memory == _q("39.8 GiB")
    assert system("Example-80GB", 2, catalog=cat).name == "2xExample-80GB"


def test_a40_is_the_datasheets_card_with_its_captured_totals() -> None:
    # NVIDIA A40 datasheet: 48 GB GDDR6 at 696 GB/s, BF16 149.7 TFLOPS and INT8 299.3 TOPS
    # dense; nvidia-smi 46068 MiB with ECC on; CUDA total 47,608,692,736 bytes (deviceQuery)
    d = load_catalog().device("A40-48GB")
    assert d.memory.to("GB").magnitude == 48
    assert d.memory_usable.to("MiB").magnitude == pytest.approx(46068, abs=5)
    assert d.cuda_visible_memory.to("byte").magnitude == pytest.approx(47_608_692_736, rel=1e-4)
    s = system("A40-48GB", count=2)
    assert s.memory_bandwidth.to("TB/s").magnitude == pytest.approx(0.696)
