"""Tests of the AWS instance catalog (llmsizing.catalog and data/{instances,prices}.csv).

The aggregate checks rebuild AWS's and the Neuron docs' published *instance*
figures from the catalog's *per-device* rows, so a wrong per-device value, a
wrong device count or a GB/GiB mix-up shows up as a mismatch. Each expected
value cites the statement it comes from.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
from importlib.resources import files
from pathlib import Path

import pytest

from catalog_rows import EXAMPLE_GPU_ROW
from llmsizing.catalog import _INSTANCE_COLUMNS, DENSE_DTYPES, PRICING_MODELS, Catalog, load_catalog
from llmsizing.errors import CatalogError, UnknownNameError
from llmsizing.units import ureg

DATA = files("llmsizing") / "data"


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return load_catalog()


def _csv_rows(name: str) -> list[dict[str, str]]:
    """The shipped CSV read with the csv module alone (independent of the loader)."""
    text = (DATA / name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _q(value: str) -> object:
    return ureg.Quantity(value)


# ------------------------------------------------------------ coverage
G_SIZES = (
    *("xlarge", "2xlarge", "4xlarge", "8xlarge"),
    *("12xlarge", "16xlarge", "24xlarge", "48xlarge"),
)
REQUIRED = [
    *(f"inf2.{s}" for s in ("xlarge", "8xlarge", "24xlarge", "48xlarge")),
    "trn1.2xlarge",
    "trn1.32xlarge",
    "trn1n.32xlarge",
    "trn2.48xlarge",
    "trn2u.48xlarge",
    "u-trn2x64",
    "trn3-ultraserver-gen2",
    "p4d.24xlarge",
    "p4de.24xlarge",
    "p5.4xlarge",
    "p5.48xlarge",
    "p5e.48xlarge",
    "p5en.48xlarge",
    "p6-b200.48xlarge",
    "p6-b300.48xlarge",
    "p6e-gb200.36xlarge",
    "u-p6e-gb200x36",
    "u-p6e-gb200x72",
    *(f"{fam}.{s}" for fam in ("g5", "g6", "g6e") for s in G_SIZES),
]


@pytest.mark.parametrize("name", REQUIRED)
def test_required_instance_is_catalogued(cat: Catalog, name: str) -> None:
    assert name in cat


# ------------------------------------------------------------ aggregates vs AWS statements
def test_inf2_48xlarge_memory_is_384_binary_gigabytes(cat: Catalog) -> None:
    # AWS Inf2 page: inf2.48xlarge has "384 GB" of accelerator memory. The Neuron
    # inf2-arch table gives 384 GiB device memory, and each Inferentia2 has 32 GiB:
    # AWS's "GB" here is binary. The catalog keeps GiB, so the total is exactly 384 GiB
    # (412.3 decimal GB), not 384 decimal GB.
    inst = cat.get("inf2.48xlarge")
    assert inst.accelerator_count == 12
    total = inst.total_accelerator_memory
    assert total.to("GiB").magnitude == pytest.approx(384.0, abs=1e-9)
    assert total.to("GB").magnitude == pytest.approx(412.316860416, rel=1e-9)


def test_inf2_48xlarge_bandwidth_is_9_8_TBps(cat: Catalog) -> None:
    # AWS Inf2 page: "9.8 TB/s" of accelerator memory bandwidth for inf2.48xlarge.
    # 12 x 820 GB/s = 9.84 TB/s; 820 GiB/s per chip would give 10.6 TB/s.
    bw = cat.get("inf2.48xlarge").total_memory_bandwidth
    assert bw.to("TB/s").magnitude == pytest.approx(9.8, rel=0.005)


def test_inf2_48xlarge_neuron_table(cat: Catalog) -> None:
    # Neuron inf2-arch table: Inf2.48xlarge, 12 chips, 192 vCPU, 768 GiB host,
    # 2280 FP8/FP16/BF16 TFLOPS.
    inst = cat.get("inf2.48xlarge")
    assert (inst.vcpus, inst.host_memory.to("GiB").magnitude) == (192, 768)
    assert inst.peak_flops("bf16").to("TFLOPS").magnitude == pytest.approx(2280)
    assert inst.peak_flops("fp8").to("TFLOPS").magnitude == pytest.approx(2280)


def test_trn2_48xlarge_matches_aws(cat: Catalog) -> None:
    # AWS Trn2 page / Neuron trn2-arch: 16 Trainium2, 1.5 TB (1,536 GiB) HBM,
    # 20.8 PF dense FP8, 10.7 PF BF16, 46.4 TB/s.
    inst = cat.get("trn2.48xlarge")
    assert inst.total_accelerator_memory == _q("1.5 TiB")
    # 16 x 1,299 = 20.784 PF and 16 x 667 = 10.672 PF; AWS rounds to one decimal.
    assert inst.peak_flops("fp8").to("PFLOPS").magnitude == pytest.approx(20.8, abs=0.05)
    assert inst.peak_flops("bf16").to("PFLOPS").magnitude == pytest.approx(10.7, abs=0.05)
    assert inst.total_memory_bandwidth.to("TB/s").magnitude == pytest.approx(46.4, rel=1e-9)
    assert inst.neuron_cores == 128  # 8 physical NeuronCore-v3 per chip (LNC=1 view)


def test_trn2_ultraserver_matches_aws(cat: Catalog) -> None:
    # AWS Trn2 UltraServer: 64 Trainium2 across 4 trn2u.48xlarge, 6 TB (6,144 GiB)
    # HBM, 83.2 PF FP8, 185 TB/s, 12.8 Tbps EFA, 768 vCPU, 8 TiB host memory.
    # 64 x 1,299 TFLOPS = 83.14 PF, within 0.1 % of AWS's rounded 83.2.
    us = cat.get("u-trn2x64")
    assert (us.accelerator_count, us.nodes, us.vcpus) == (64, 4, 768)
    assert us.total_accelerator_memory == _q("6 TiB")
    assert us.peak_flops("fp8").to("PFLOPS").magnitude == pytest.approx(83.2, rel=1e-3)
    assert us.total_memory_bandwidth.to("TB/s").magnitude == pytest.approx(185.6, rel=1e-9)
    assert us.network_bandwidth == _q("12.8 Tbps")
    assert us.host_memory == _q("8 TiB")


def test_trn2_ultraserver_is_four_trn2u(cat: Catalog) -> None:
    node, us = cat.get("trn2u.48xlarge"), cat.get("u-trn2x64")
    assert us.accelerator_count == us.nodes * node.accelerator_count
    assert us.vcpus == us.nodes * node.vcpus
    assert us.host_memory == us.nodes * node.host_memory


def test_trn3_gen2_matches_neuron_table(cat: Catalog) -> None:
    # Neuron trn3-arch table, Trn3 Gen2 UltraServer: 144 devices, 362,448 MXFP8
    # TFLOPS, 96,624 BF16 TFLOPS, 20,736 GiB device memory, 705.6 TB/s, 2,304 vCPU.
    us = cat.get("trn3-ultraserver-gen2")
    assert us.peak_flops("mxfp8").to("TFLOPS").magnitude == pytest.approx(362_448)
    assert us.peak_flops("bf16").to("TFLOPS").magnitude == pytest.approx(96_624)
    assert us.total_accelerator_memory == _q("20736 GiB")
    assert us.total_memory_bandwidth.to("TB/s").magnitude == pytest.approx(705.6)
    assert us.vcpus == 2304
    assert "not published" in us.notes


def test_p6e_gb200_x72_matches_aws(cat: Catalog) -> None:
    # AWS (SageMaker HyperPod P6e-GB200 post): up to 72 Blackwell GPUs, 360 PF FP8,
    # 1.4 EF FP4, 13.4 TB HBM3e, 28.8 Tbps EFAv4, 405 TB NVMe.
    # 72 x 185 GB = 13.32 TB: 0.6 % under AWS's rounded 13.4 TB (NVIDIA's 186 GB
    # gives 13.39 TB), so the tolerance is 1 %. AWS's FP4 figure is sparse
    # (2 x dense): 72 x 10 PF dense x 2 = 1.44 EF.
    us = cat.get("u-p6e-gb200x72")
    assert (us.accelerator_count, us.nodes) == (72, 18)
    assert us.total_accelerator_memory.to("TB").magnitude == pytest.approx(13.4, rel=0.01)
    assert us.peak_flops("fp8").to("PFLOPS").magnitude == pytest.approx(360, rel=1e-9)
    sparse_fp4 = 2 * us.peak_flops("nvfp4")
    assert sparse_fp4.to("PFLOPS").magnitude == pytest.approx(1400, rel=0.03)
    assert us.network_bandwidth == _q("28.8 Tbps")
    assert us.local_nvme == _q("405 TB")


def test_p6e_x36_is_6660_GB(cat: Catalog) -> None:
    # AWS/ec2instances.info: the 36-GPU UltraServer has 6,660 GB of GPU memory.
    us = cat.get("u-p6e-gb200x36")
    assert us.total_accelerator_memory == _q("6660 GB")
    assert us.accelerator_count == 4 * us.nodes


def test_p5_48xlarge_is_640_GB(cat: Catalog) -> None:
    # AWS P5 / Capacity Blocks page: p5.48xlarge "640 GB HBM3", 8 x H100.
    inst = cat.get("p5.48xlarge")
    assert inst.total_accelerator_memory == _q("640 GB")
    assert inst.peak_flops("fp8").to("PFLOPS").magnitude == pytest.approx(15.832)


def test_p5e_is_1128_GB(cat: Catalog) -> None:
    # AWS P5e / Capacity Blocks page: p5e.48xlarge "1128 GB HBM3", 8 x H200.
    assert cat.get("p5e.48xlarge").total_accelerator_memory == _q("1128 GB")
    assert cat.get("p5en.48xlarge").total_accelerator_memory == _q("1128 GB")


def test_p4d_and_trn1_capacity_block_figures(cat: Catalog) -> None:
    # AWS Capacity Blocks page: p4d.24xlarge "320 GB HBM2"; trn1.32xlarge "512 GB"
    # (16 x 32 GiB: binary GB again).
    assert cat.get("p4d.24xlarge").total_accelerator_memory == _q("320 GB")
    assert cat.get("trn1.32xlarge").total_accelerator_memory == _q("512 GiB")


# ------------------------------------------------------------ GB vs GiB
def test_h200_vendor_GB_and_usable_GiB_are_kept_apart(cat: Catalog) -> None:
    # NVIDIA: H200 141 GB; nvidia-smi on p5e/p5en: 143771 MiB = 140.4 GiB.
    inst = cat.get("p5e.48xlarge")
    assert inst.accelerator_memory == _q("141 GB")
    assert f"{inst.accelerator_memory.units:~P}" == "GB"
    assert inst.accelerator_memory_usable == _q("140.4 GiB")
    assert f"{inst.accelerator_memory_usable.units:~P}" == "GiB"
    assert inst.usable_memory_known


def test_inferentia2_is_32_GiB(cat: Catalog) -> None:
    # Neuron docs (SDK >= 2.17): "32GiB of high-bandwidth device memory".
    for name in ("inf2.xlarge", "inf2.8xlarge"):
        inst = cat.get(name)
        assert inst.accelerator_memory == _q("32 GiB")
        assert f"{inst.accelerator_memory.units:~P}" == "GiB"
        assert inst.accelerator_count == 1  # inf2.8xlarge only adds host resources


def test_usable_falls_back_to_vendor_memory(cat: Catalog) -> None:
    gb200 = cat.get("p6e-gb200.36xlarge")
    assert not gb200.usable_memory_known
    assert gb200.accelerator_memory_usable == _q("185 GB")
    assert f"{gb200.accelerator_memory_usable.units:~P}" == "GiB"


# ------------------------------------------------------------ precisions
def test_dense_flops_mapping(cat: Catalog) -> None:
    h100 = cat.get("p5.48xlarge")
    assert h100.dense_flops("fp16") == h100.dense_flops("bf16") == _q("989 TFLOPS")
    assert h100.dense_flops("FP8_E4M3") == _q("1979 TFLOPS")
    assert h100.dense_flops("int8") == _q("1979 TFLOPS")  # 1,979 TOPS as ops/s
    assert h100.dense_flops("fp4") is None  # Hopper has no FP4 tensor path
    assert h100.dense_flops("int4") is None  # never catalogued
    assert cat.get("p4d.24xlarge").dense_flops("fp8") is None  # Ampere: no FP8
    assert cat.get("p6-b200.48xlarge").dense_flops("mxfp4") == _q("9000 TFLOPS")
    assert cat.get("trn3-ultraserver-gen2").dense_flops("mxfp4") == _q("2517 TFLOPS")
    assert set(DENSE_DTYPES) >= {"bf16", "fp16", "fp8", "fp4", "int8", "int4"}


def test_dense_flops_unknown_precision(cat: Catalog) -> None:
    with pytest.raises(UnknownNameError, match="fp8"):
        cat.get("p5.48xlarge").dense_flops("fp9")


def test_peak_is_count_times_device(cat: Catalog) -> None:
    for inst in cat:
        assert inst.peak_flops("bf16") == inst.dense_flops("bf16") * inst.accelerator_count


def test_gpu_and_neuron_cores(cat: Catalog) -> None:
    for inst in cat:
        assert inst.is_neuron == (inst.neuron_cores_per_device > 0)
    assert cat.get("inf2.48xlarge").neuron_cores == 24
    assert cat.get("p5.48xlarge").neuron_cores == 0


# ------------------------------------------------------------ lookup and API
def test_unknown_instance_suggests_nearest(cat: Catalog) -> None:
    with pytest.raises(UnknownNameError, match=r"inf2\.8xlarge") as info:
        cat.get("inf2.8xlarg")
    assert isinstance(info.value, KeyError)
    assert "unknown instance type 'inf2.8xlarg'" in str(info.value)


def test_lookup_is_case_insensitive(cat: Catalog) -> None:
    assert cat.get("P5.48XLARGE").name == "p5.48xlarge"
    assert cat["g6.xlarge"] is cat.get("g6.xlarge")


def test_catalog_protocols(cat: Catalog) -> None:
    assert len(cat) == len(cat.names()) == len(list(cat))
    assert "p5.48xlarge" in cat and "p5.96xlarge" not in cat
    assert cat.names()[0] == next(iter(cat)).name


def test_filter(cat: Catalog) -> None:
    assert len(cat.filter(family="g6e")) == 8
    assert all(i.is_neuron for i in cat.filter(kind="neuron"))
    h100 = cat.filter(accelerator="h100")
    assert h100.names() == ["p5.4xlarge", "p5.48xlarge"]
    big = cat.filter(kind="gpu", min_total_memory="1 TB")
    assert "p5e.48xlarge" in big and "p5.48xlarge" not in big
    both = cat.filter(family=["g6", "g6e"], min_total_memory=ureg.Quantity(300, "GB"))
    assert both.names() == ["g6e.48xlarge"]
    assert both.hourly_price("g6e.48xlarge") == pytest.approx(30.13118)
    with pytest.raises(UnknownNameError):
        cat.filter(kind="tpu")


def test_to_frame_has_unit_suffixed_columns(cat: Catalog) -> None:
    df = cat.to_frame()
    assert len(df) == len(cat)
    for column in (
        "accelerator_memory_usable_GiB",
        "total_accelerator_memory_GB",
        "memory_bandwidth_TBps",
        "dense_bf16_TFLOPS",
        "dense_int8_TOPS",
        "network_Gbps",
        "host_memory_GiB",
        "local_nvme_GB",
        "usd_per_hour_us_east_1",
    ):
        assert column in df.columns
    row = df.set_index("instance_type").loc["u-trn2x64"]
    assert row["total_accelerator_memory_GiB"] == pytest.approx(6144)
    assert row["as_of"] == "2026-08-21"
    assert len(cat.filter(family="no-such-family").to_frame()) == 0


def test_instances_are_immutable(cat: Catalog) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        cat.get("p5.48xlarge").vcpus = 1  # type: ignore[misc]


def test_notebook_display(cat: Catalog) -> None:
    assert "p5.48xlarge" in cat.get("p5.48xlarge")._repr_html_()
    assert "<table" in cat.filter(family="p5")._repr_html_()
    assert "p5.48xlarge" in repr(cat.get("p5.48xlarge"))


# ------------------------------------------------------------ prices
def test_on_demand_prices(cat: Catalog) -> None:
    # AWS Price List (us-east-1, Linux, On-Demand), 2026-07-20.
    assert cat.hourly_price("p5.48xlarge") == pytest.approx(55.04)
    assert cat.hourly_price("inf2.48xlarge") == pytest.approx(12.98127)
    price = cat.price("trn1.32xlarge")
    assert price is not None
    assert price.usd_per_hour == _q("21.5 USD/hour")
    assert price.as_of == dt.date(2026, 7, 20)
    assert price.source_url.startswith("https://")


def test_no_public_price_is_explicit(cat: Catalog) -> None:
    # p5e.48xlarge has no On-Demand price in any region (Capacity Blocks / spot only).
    assert cat.price("p5e.48xlarge") is None
    assert cat.hourly_price("p5e.48xlarge") is None
    rows = cat.prices
    p5e = rows[(rows.instance_type == "p5e.48xlarge") & (rows.pricing_model == "none-public")]
    assert len(p5e) == 1
    assert "Capacity Block" in p5e.iloc[0]["notes"]
    assert p5e.iloc[0]["usd_per_hour"] != p5e.iloc[0]["usd_per_hour"]  # NaN
    assert not cat.prices_for("p5e.48xlarge")[0].is_public


def test_capacity_block_examples(cat: Catalog) -> None:
    # AWS Capacity Blocks pricing page as scraped on 2026-07-22
    # (https://github.com/koyakimu/ec2-capacity-blocks-for-ml-pricing-json/blob/
    # b3a54aee92b6ef6b3c50ea6cacbcc03536675c7e/data/pricing.json): p5.48xlarge $41.528/h
    # (us-east-1), p5e $47.76 (us-east-2), p4d $11.80 (us-west-2), trn1.32xlarge $9.532
    # (Melbourne); the late-2024 rates ($39.33, $43.26, $14.75, $15.49) were replaced.
    def cb(name: str, region: str) -> float:
        price = cat.price(name, region, "capacity-block")
        assert price is not None
        assert price.as_of == dt.date(2026, 7, 22)
        return float(price.usd_per_hour.to("USD/hour").magnitude)

    assert cb("p5.48xlarge", "us-east-1") == pytest.approx(41.528)
    assert cb("p5e.48xlarge", "us-east-2") == pytest.approx(47.76)
    assert cb("p4d.24xlarge", "us-west-2") == pytest.approx(11.8)
    assert cb("trn1.32xlarge", "ap-southeast-4") == pytest.approx(9.532)
    assert "39.33" in cat.price("p5.48xlarge", "us-east-1", "capacity-block").notes  # type: ignore[union-attr]
    assert cat.price("p5.48xlarge", "eu-west-1") is None


def test_every_instance_has_a_us_east_1_price_row(cat: Catalog) -> None:
    # Either an On-Demand price or an explicit none-public row: never a silent gap.
    for inst in cat:
        models = {p.pricing_model for p in cat.prices_for(inst.name) if p.region == "us-east-1"}
        assert models & {"on-demand", "none-public"}, inst.name


def test_price_lookup_errors(cat: Catalog) -> None:
    with pytest.raises(UnknownNameError, match="on-demand"):
        cat.price("p5.48xlarge", pricing_model="ondemand")
    with pytest.raises(UnknownNameError):
        cat.price("p9.48xlarge")
    assert "none-public" in PRICING_MODELS


# ------------------------------------------------------------ shipped data hygiene
def test_every_shipped_instance_row_is_sourced_and_dated() -> None:
    rows = _csv_rows("instances.csv")
    names = [r["instance_type"] for r in rows]
    assert len(names) == len(set(names)), "duplicate instance_type"
    for r in rows:
        urls = [u for u in r["source_url"].split(";") if u]
        assert urls, r["instance_type"]
        assert all(u.startswith(("https://", "http://")) for u in urls), r["instance_type"]
        assert dt.date.fromisoformat(r["as_of"]) >= dt.date(2020, 1, 1)


def test_every_shipped_price_row_is_sourced_and_dated() -> None:
    rows = _csv_rows("prices.csv")
    keys = [(r["instance_type"], r["region"], r["pricing_model"]) for r in rows]
    assert len(keys) == len(set(keys)), "duplicate price key"
    for r in rows:
        assert r["source_url"].startswith(("https://", "http://")), r
        dt.date.fromisoformat(r["as_of"])
        assert (r["usd_per_hour"] == "") == (r["pricing_model"] == "none-public"), r
        if r["pricing_model"] == "none-public":
            assert r["notes"], r


def test_shipped_columns_carry_units() -> None:
    header = (DATA / "instances.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    for column in (
        "accelerator_memory_usable_GiB",
        "memory_bandwidth_TBps",
        "dense_bf16_TFLOPS",
        "dense_fp8_TFLOPS",
        "dense_fp4_TFLOPS",
        "dense_int8_TOPS",
        "interconnect_GBps_per_device",
        "network_Gbps",
        "host_memory_GiB",
        "local_nvme_GB",
    ):
        assert column in header


# ------------------------------------------------------------ user CSVs
def _shipped_text(name: str) -> list[str]:
    return (DATA / name).read_text(encoding="utf-8").splitlines()


def _row_for(name: str, lines: list[str]) -> dict[str, str]:
    return next(r for r in csv.DictReader(lines) if r["instance_type"] == name)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture()
def instance_header() -> list[str]:
    return _shipped_text("instances.csv")[0].split(",")


@pytest.fixture()
def p5_row() -> dict[str, str]:
    return _row_for("p5.48xlarge", _shipped_text("instances.csv"))


def test_user_csv_overrides_a_row(
    tmp_path: Path, instance_header: list[str], p5_row: dict[str, str]
) -> None:
    shipped = load_catalog()
    row = dict(p5_row, vcpus="96", notes="private variant")
    new = dict(p5_row, instance_type="p5.private", family="p5")
    path = _write(tmp_path / "mine.csv", instance_header, [row, new])
    cat = load_catalog(extra_csv=path)
    assert cat.get("p5.48xlarge").vcpus == 96
    assert cat.get("p5.48xlarge").notes == "private variant"
    assert len(cat) == len(shipped) + 1
    assert cat.names().index("p5.48xlarge") == shipped.names().index("p5.48xlarge")
    assert cat.price("p5.private") is None  # no price row for the new instance
    assert load_catalog().get("p5.48xlarge").vcpus == 192  # shipped data untouched


def test_user_prices_override_and_extend(
    tmp_path: Path, instance_header: list[str], p5_row: dict[str, str]
) -> None:
    header = _shipped_text("prices.csv")[0].split(",")
    negotiated = {
        "instance_type": "p5.48xlarge",
        "region": "us-east-1",
        "pricing_model": "on-demand",
        "usd_per_hour": "40.0",
        "as_of": "2026-01-01",
        "source_url": "contract 2026-01",
        "notes": "",
    }
    private = dict(negotiated, instance_type="p5.private", usd_per_hour="30")
    extra = _write(tmp_path / "i.csv", instance_header, [dict(p5_row, instance_type="p5.private")])
    prices = _write(tmp_path / "p.csv", header, [negotiated, private])
    cat = load_catalog(extra_csv=extra, prices_csv=prices)
    assert cat.hourly_price("p5.48xlarge") == pytest.approx(40.0)
    assert cat.hourly_price("p5.private") == pytest.approx(30.0)
    assert cat.price("p5.48xlarge", "us-east-1", "capacity-block") is not None  # kept


# ------------------------------------------------------------ validation errors
BAD_INSTANCE_VALUES = [
    ("accelerator_memory_unit", "GBs", "must be one of GB, GiB"),
    ("accelerator_memory_unit", "gb", "must be one of"),
    ("accelerator_count", "-8", "must not be negative"),
    ("accelerator_count", "0", "must be greater than zero"),
    ("accelerator_count", "8.5", "must be a whole number"),
    ("memory_bandwidth_TBps", "nan", "is NaN"),
    ("memory_bandwidth_TBps", "inf", "is not finite"),
    ("vcpus", "lots", "is not a number"),
    ("accelerator_memory", "", "is required"),
    ("source_url", "", "is required"),
    ("as_of", "", "is required"),
    ("as_of", "July 2026", "ISO date"),
    ("accelerator_kind", "tpu", "must be one of gpu, neuron"),
    ("efa", "maybe", "must be true or false"),
    ("efa_devices", "0", "must be at least 1 when efa is True"),
    ("neuron_cores_per_device", "2", "must be 0 for a GPU"),
    ("dense_fp8_TFLOPS", "-1", "must not be negative"),
]


@pytest.mark.parametrize(("column", "value", "problem"), BAD_INSTANCE_VALUES)
def test_bad_instance_value_names_file_line_and_column(
    tmp_path: Path, column: str, value: str, problem: str
) -> None:
    # a self-contained row (no device to inherit from) states every per-device figure
    header = [*_INSTANCE_COLUMNS, "notes"]
    good = dict(EXAMPLE_GPU_ROW, notes="")
    bad = dict(good, instance_type="x1.bad", **{column: value})
    path = _write(tmp_path / "bad.csv", header, [good, bad])
    with pytest.raises(CatalogError) as info:
        load_catalog(extra_csv=path)
    message = str(info.value)
    assert "bad.csv" in message
    assert "line 3" in message  # header is line 1, the bad row is the second data row
    assert f"column {column!r}" in message
    assert problem in message


def test_duplicate_instance_rows(
    tmp_path: Path, instance_header: list[str], p5_row: dict[str, str]
) -> None:
    path = _write(tmp_path / "dup.csv", instance_header, [p5_row, p5_row])
    with pytest.raises(CatalogError, match=r"dup\.csv, line 3.*duplicate.*first on line 2"):
        load_catalog(extra_csv=path)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"empty\.csv: file is empty"):
        load_catalog(extra_csv=path)


def test_header_only(tmp_path: Path, instance_header: list[str]) -> None:
    path = _write(tmp_path / "head.csv", instance_header, [])
    with pytest.raises(CatalogError, match="no data rows"):
        load_catalog(extra_csv=path)


def test_missing_required_column(
    tmp_path: Path, instance_header: list[str], p5_row: dict[str, str]
) -> None:
    header = [c for c in instance_header if c != "as_of"]
    row = {k: v for k, v in p5_row.items() if k != "as_of"}
    path = _write(tmp_path / "cols.csv", header, [row])
    with pytest.raises(CatalogError, match=r"cols\.csv: missing required column\(s\) as_of"):
        load_catalog(extra_csv=path)


def test_unknown_column_is_reported_with_suggestion(
    tmp_path: Path, instance_header: list[str], p5_row: dict[str, str]
) -> None:
    header = [*instance_header, "vpcus"]
    path = _write(tmp_path / "extra.csv", header, [dict(p5_row, vpcus="1")])
    with pytest.raises(CatalogError, match=r"unknown column 'vpcus'.*vcpus"):
        load_catalog(extra_csv=path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="cannot read"):
        load_catalog(extra_csv=tmp_path / "nope.csv")


BAD_PRICES = [
    ({"usd_per_hour": ""}, "usd_per_hour", "is required"),
    ({"pricing_model": "none-public"}, "usd_per_hour", "must be blank"),
    ({"pricing_model": "on demand"}, "pricing_model", "must be one of"),
    ({"usd_per_hour": "-3"}, "usd_per_hour", "must not be negative"),
    ({"instance_type": "p5.48xlarg"}, "instance_type", "p5.48xlarge"),
    ({"as_of": ""}, "as_of", "is required"),
    ({"source_url": ""}, "source_url", "is required"),
]


@pytest.mark.parametrize(("change", "column", "problem"), BAD_PRICES)
def test_bad_price_value_names_file_line_and_column(
    tmp_path: Path, change: dict[str, str], column: str, problem: str
) -> None:
    header = _shipped_text("prices.csv")[0].split(",")
    good = {
        "instance_type": "g5.xlarge",
        "region": "eu-west-1",
        "pricing_model": "on-demand",
        "usd_per_hour": "1.2",
        "as_of": "2026-01-01",
        "source_url": "https://example.com/rates",
        "notes": "",
    }
    path = _write(tmp_path / "prices.csv", header, [good, dict(good, region="eu-west-2", **change)])
    with pytest.raises(CatalogError) as info:
        load_catalog(prices_csv=path)
    message = str(info.value)
    assert "prices.csv, line 3" in message
    assert f"column {column!r}" in message
    assert problem in message


def test_duplicate_price_rows(tmp_path: Path) -> None:
    header = _shipped_text("prices.csv")[0].split(",")
    row = {
        "instance_type": "g5.xlarge",
        "region": "eu-west-1",
        "pricing_model": "on-demand",
        "usd_per_hour": "1.2",
        "as_of": "2026-01-01",
        "source_url": "https://example.com/rates",
        "notes": "",
    }
    path = _write(tmp_path / "p.csv", header, [row, row])
    with pytest.raises(CatalogError, match=r"line 3.*duplicate price row.*first on line 2"):
        load_catalog(prices_csv=path)
