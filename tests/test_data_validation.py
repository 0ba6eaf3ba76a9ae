"""Validation of the shipped instance catalog and price table.

Each row is read twice: with the ``csv`` module alone (so a loader bug cannot
hide a data error) and through :func:`llmsizing.load_catalog`. Rows must be
sourced and dated, numbers must parse in the unit the column names, keys must
be unique, and per-device figures times the device count must equal the
instance totals AWS states.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections import Counter
from importlib.resources import files
from typing import Any

import pytest

from llmsizing.catalog import (
    _INSTANCE_COLUMNS,
    _PRICE_COLUMNS,
    MEMORY_UNITS,
    PRICING_MODELS,
    Catalog,
    load_catalog,
)
from llmsizing.units import ureg

DATA = files("llmsizing") / "data"
URL = re.compile(r"^https?://[^\s;,]+$")
OLDEST = dt.date(2020, 1, 1)


def _text(name: str) -> io.StringIO:
    return io.StringIO((DATA / name).read_text(encoding="utf-8"), newline="")


def _rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(_text(name)))


INSTANCES = _rows("instances.csv")
PRICES = _rows("prices.csv")
NAMES = [r["instance_type"] for r in INSTANCES]


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return load_catalog()


def _q(text: str) -> Any:
    return ureg.Quantity(text)


def _sourced(field: str) -> None:
    """Every listed source is a web address; at least one is fetched over https."""
    urls = [u.strip() for u in field.split(";")]
    assert urls and all(URL.match(u) for u in urls), field
    assert any(u.startswith("https://") for u in urls), field


# ----------------------------------------------------------- structure
def test_headers_are_the_loader_columns() -> None:
    for name, required in (("instances.csv", _INSTANCE_COLUMNS), ("prices.csv", _PRICE_COLUMNS)):
        header = next(csv.reader(_text(name)))
        assert header == [*required, "notes"], name


def test_rows_have_exactly_the_header_fields() -> None:
    for name in ("instances.csv", "prices.csv"):
        rows = list(csv.reader(_text(name)))
        assert all(len(r) == len(rows[0]) for r in rows), name
        assert len(rows) > 1, name


def test_no_duplicate_instance_types() -> None:
    dupes = [k for k, n in Counter(NAMES).items() if n > 1]
    assert not dupes


def test_no_duplicate_price_keys() -> None:
    keys = Counter((r["instance_type"], r["region"], r["pricing_model"]) for r in PRICES)
    assert not [k for k, n in keys.items() if n > 1]


def test_loader_keeps_every_row(cat: Catalog) -> None:
    assert cat.names() == NAMES
    assert len(cat.prices) == len(PRICES)


# ----------------------------------------------------------- sourced and dated
@pytest.mark.parametrize("row", INSTANCES, ids=NAMES)
def test_instance_row_is_sourced_and_dated(row: dict[str, str]) -> None:
    _sourced(row["source_url"])
    assert dt.date.fromisoformat(row["as_of"]) >= OLDEST


@pytest.mark.parametrize(
    "row", PRICES, ids=[f"{r['instance_type']}-{r['region']}-{r['pricing_model']}" for r in PRICES]
)
def test_price_row_is_sourced_and_dated(row: dict[str, str]) -> None:
    _sourced(row["source_url"])
    assert dt.date.fromisoformat(row["as_of"]) >= OLDEST


# ----------------------------------------------------------- units
# column suffix -> the unit its numbers are in
COLUMN_UNITS = {
    "accelerator_memory_usable_GiB": "GiB",
    "memory_bandwidth_TBps": "TB/s",
    "dense_bf16_TFLOPS": "TFLOPS",
    "dense_fp8_TFLOPS": "TFLOPS",
    "dense_fp4_TFLOPS": "TFLOPS",
    "dense_int8_TOPS": "TFLOPS",
    "interconnect_GBps_per_device": "GB/s",
    "network_Gbps": "Gbps",
    "host_memory_GiB": "GiB",
    "local_nvme_GB": "GB",
}
DIMENSIONS = {
    "GiB": "[information]",
    "GB": "[information]",
    "TB/s": "[information] / [time]",
    "GB/s": "[information] / [time]",
    "Gbps": "[information] / [time]",
    "TFLOPS": "[computation] / [time]",
}
COUNTS = ("accelerator_count", "neuron_cores_per_device", "efa_devices", "nodes", "vcpus")


@pytest.mark.parametrize("unit", sorted(set(COLUMN_UNITS.values()) | set(MEMORY_UNITS)))
def test_units_parse_with_their_dimension(unit: str) -> None:
    q = ureg.Quantity(1, unit)
    expected = DIMENSIONS.get(unit, "[information]")
    assert q.check(expected), (unit, q.dimensionality)


@pytest.mark.parametrize("row", INSTANCES, ids=NAMES)
def test_instance_numbers_parse(row: dict[str, str]) -> None:
    assert row["accelerator_memory_unit"] in MEMORY_UNITS
    memory = ureg.Quantity(float(row["accelerator_memory"]), row["accelerator_memory_unit"])
    assert memory.check("[information]") and memory.magnitude > 0
    for column, unit in COLUMN_UNITS.items():
        if row[column]:
            value = float(row[column])
            assert math.isfinite(value) and value >= 0, column
            assert ureg.Quantity(value, unit).check(DIMENSIONS[unit])
    for column in COUNTS:
        if row[column]:
            assert float(row[column]).is_integer() and int(row[column]) >= 0, column
    assert int(row["accelerator_count"]) >= 1 and int(row["nodes"]) >= 1
    for column in ("memory_bandwidth_TBps", "dense_bf16_TFLOPS", "network_Gbps"):
        assert float(row[column]) > 0, column


@pytest.mark.parametrize("row", INSTANCES, ids=NAMES)
def test_usable_memory_lies_between_the_decimal_and_binary_readings(row: dict[str, str]) -> None:
    # "80 GB" for an H100 is 80 GiB of HBM less what the driver keeps (nvidia-smi
    # shows 79.65 GiB): what software sees is at most the figure read in binary units
    # and not much less than the figure read in decimal units.
    if not row["accelerator_memory_usable_GiB"]:
        return
    usable = _q(f"{row['accelerator_memory_usable_GiB']} GiB")
    figure = float(row["accelerator_memory"])
    binary_unit = {"GB": "GiB", "TB": "TiB", "MB": "MiB"}.get(row["accelerator_memory_unit"])
    stated = ureg.Quantity(figure, row["accelerator_memory_unit"])
    upper = ureg.Quantity(figure, binary_unit) if binary_unit else stated
    assert usable <= upper
    assert usable >= 0.95 * stated


def test_loaded_quantities_match_the_csv(cat: Catalog) -> None:
    for row in INSTANCES:
        inst = cat.get(row["instance_type"])
        assert inst.accelerator_memory == ureg.Quantity(
            float(row["accelerator_memory"]), row["accelerator_memory_unit"]
        )
        assert inst.accelerator_count == int(row["accelerator_count"])
        assert inst.memory_bandwidth == _q(f"{row['memory_bandwidth_TBps']} TB/s")
        assert inst.total_accelerator_memory == inst.accelerator_count * inst.accelerator_memory
        assert inst.as_of == dt.date.fromisoformat(row["as_of"])
        assert inst.sources and all(URL.match(u) for u in inst.sources)


# ----------------------------------------------------------- per device x count = AWS totals
# (instance, devices, accelerator memory per instance as AWS or the Neuron docs state it)
AWS_TOTALS = [
    # AWS P5 page / Capacity Blocks table: 8 x H100, "640 GB HBM3"
    ("p5.48xlarge", 8, "640 GB"),
    ("p5.4xlarge", 1, "80 GB"),
    # AWS P5e/P5en: 8 x H200, "1128 GB HBM3e"
    ("p5e.48xlarge", 8, "1128 GB"),
    ("p5en.48xlarge", 8, "1128 GB"),
    # AWS P4d/P4de: 8 x A100 40 GB = 320 GB, 8 x A100 80 GB = 640 GB
    ("p4d.24xlarge", 8, "320 GB"),
    ("p4de.24xlarge", 8, "640 GB"),
    # AWS P6-B200: 8 x B200, 1,440 GB of HBM3e
    ("p6-b200.48xlarge", 8, "1440 GB"),
    # AWS Inf2: inf2.48xlarge 12 Inferentia2, "384 GB" (12 x 32 GiB: binary units)
    ("inf2.xlarge", 1, "32 GiB"),
    ("inf2.24xlarge", 6, "192 GiB"),
    ("inf2.48xlarge", 12, "384 GiB"),
    # AWS Trn1: 16 Trainium, 512 GB (16 x 32 GiB)
    ("trn1.32xlarge", 16, "512 GiB"),
    # AWS Trn2: 16 Trainium2 x 96 GiB = 1.5 TB (TiB)
    ("trn2.48xlarge", 16, "1.5 TiB"),
    ("trn2u.48xlarge", 16, "1.5 TiB"),
    # AWS Trn2 UltraServer: 64 Trainium2 over 4 instances, 6 TB (TiB)
    ("u-trn2x64", 64, "6 TiB"),
    # AWS G5/G6: 8 x 24 GB (A10G, L4); G6e: 8 x 48 GB (L40S)
    ("g5.48xlarge", 8, "192 GB"),
    ("g5.xlarge", 1, "24 GB"),
    ("g6.48xlarge", 8, "192 GB"),
    ("g6e.48xlarge", 8, "384 GB"),
    ("g6e.xlarge", 1, "48 GB"),
]


@pytest.mark.parametrize(("name", "devices", "total"), AWS_TOTALS, ids=[t[0] for t in AWS_TOTALS])
def test_per_device_figures_add_up_to_aws_totals(
    cat: Catalog, name: str, devices: int, total: str
) -> None:
    inst = cat.get(name)
    assert inst.accelerator_count == devices
    got = inst.accelerator_memory * devices
    assert got.to("GiB").magnitude == pytest.approx(_q(total).to("GiB").magnitude, rel=1e-9)


def test_neuron_core_counts(cat: Catalog) -> None:
    # Neuron docs: Inferentia2 and Trainium have 2 NeuronCores per chip, Trainium2 8
    assert cat.get("inf2.48xlarge").neuron_cores == 24
    assert cat.get("trn1.32xlarge").neuron_cores == 32
    assert cat.get("trn2.48xlarge").neuron_cores == 128
    assert cat.get("u-trn2x64").neuron_cores == 512


def test_ultraserver_is_its_nodes(cat: Catalog) -> None:
    node, us = cat.get("trn2u.48xlarge"), cat.get("u-trn2x64")
    assert us.accelerator_count == us.nodes * node.accelerator_count == 64
    assert us.accelerator_memory == node.accelerator_memory


def test_gpu_rows_have_no_neuron_cores_and_neuron_rows_do() -> None:
    for row in INSTANCES:
        cores = int(row["neuron_cores_per_device"])
        assert (row["accelerator_kind"] == "neuron") == (cores > 0), row["instance_type"]


# ----------------------------------------------------------- prices
@pytest.mark.parametrize(
    "row", PRICES, ids=[f"{r['instance_type']}-{r['region']}-{r['pricing_model']}" for r in PRICES]
)
def test_price_is_positive_or_explicitly_none_public(row: dict[str, str]) -> None:
    assert row["pricing_model"] in PRICING_MODELS
    assert row["instance_type"] in NAMES
    if row["pricing_model"] == "none-public":
        assert row["usd_per_hour"] == ""
        assert row["notes"], "a none-public row says why"
    else:
        price = float(row["usd_per_hour"])
        assert math.isfinite(price) and price > 0


def test_every_instance_has_a_price_row() -> None:
    priced = {r["instance_type"] for r in PRICES}
    assert not [n for n in NAMES if n not in priced]


def test_every_instance_has_a_us_east_1_on_demand_or_none_public_row() -> None:
    rows = {(r["instance_type"], r["pricing_model"]) for r in PRICES if r["region"] == "us-east-1"}
    missing = [n for n in NAMES if (n, "on-demand") not in rows and (n, "none-public") not in rows]
    assert not missing


def test_hourly_price_is_never_nan(cat: Catalog) -> None:
    for name in cat.names():
        price = cat.hourly_price(name)
        assert price is None or (math.isfinite(price) and price > 0)


def test_larger_sizes_of_a_family_cost_more(cat: Catalog) -> None:
    # within a family, more accelerators never cost less on demand
    by_family: dict[str, list[tuple[int, int, float]]] = {}
    for inst in cat:
        price = cat.hourly_price(inst.name)
        if price is not None:
            by_family.setdefault(inst.family, []).append(
                (inst.accelerator_count, inst.vcpus, price)
            )
    for family, rows in by_family.items():
        rows.sort()
        prices = [p for _, _, p in rows]
        assert prices == sorted(prices), family
