"""Validation of the shipped device, instance and price tables, and of the strict CSV reader.

Each shipped row is read twice: with the ``csv`` module alone (so a loader bug
cannot hide a data error) and through :func:`llmsizing.load_catalog`. Rows must be
sourced and dated, numbers must parse in the unit the column names, keys must be
unique, per-device figures must be physically plausible, and per-device figures
times the device count must equal the instance totals AWS states.

The second half writes bad files and checks that each problem (duplicate header
columns, unknown regions, over-long cells, oversized files, implausible figures,
broken device references) is one :class:`CatalogError` line naming the file, the
line and the column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections import Counter
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

from catalog_rows import (
    EXAMPLE_DEVICE_INSTANCE_ROW,
    EXAMPLE_DEVICE_ROW,
    EXAMPLE_GPU_ROW,
    EXAMPLE_PRICE_ROW,
)
from llmsizing import _csv
from llmsizing.catalog import (
    _DEVICE_COLUMNS,
    _DEVICE_OPTIONAL,
    _DEVICE_SPEC_COLUMNS,
    _INSTANCE_COLUMNS,
    _INSTANCE_OPTIONAL,
    _PRICE_COLUMNS,
    _PRICE_OPTIONAL,
    MEMORY_UNITS,
    PRICING_MODELS,
    REGIONS,
    Catalog,
    load_catalog,
)
from llmsizing.errors import CatalogError, UnknownNameError
from llmsizing.units import ureg

DATA = files("llmsizing") / "data"
URL = re.compile(r"^https?://[^\s;,]+$")
OLDEST = dt.date(2020, 1, 1)


def _text(name: str) -> io.StringIO:
    return io.StringIO((DATA / name).read_text(encoding="utf-8"), newline="")


def _rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(_text(name)))


DEVICES = _rows("devices.csv")
INSTANCES = _rows("instances.csv")
PRICES = _rows("prices.csv")
DEVICE_NAMES = [r["device"] for r in DEVICES]
NAMES = [r["instance_type"] for r in INSTANCES]
PRICE_IDS = [f"{r['instance_type']}-{r['region']}-{r['pricing_model']}" for r in PRICES]


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
    instance_header = next(csv.reader(_text("instances.csv")))
    known = {*_INSTANCE_COLUMNS, *_INSTANCE_OPTIONAL}
    assert set(instance_header) == known
    assert instance_header[:4] == ["instance_type", "family", "device", "device_share"]
    device_header = next(csv.reader(_text("devices.csv")))
    assert device_header == [*_DEVICE_COLUMNS, *_DEVICE_OPTIONAL]
    price_header = next(csv.reader(_text("prices.csv")))
    assert price_header == [*_PRICE_COLUMNS, *_PRICE_OPTIONAL]


def test_rows_have_exactly_the_header_fields() -> None:
    for name in ("devices.csv", "instances.csv", "prices.csv"):
        rows = list(csv.reader(_text(name)))
        assert all(len(r) == len(rows[0]) for r in rows), name
        assert len(rows) > 1, name


def test_no_duplicate_keys() -> None:
    assert not [k for k, n in Counter(DEVICE_NAMES).items() if n > 1]
    assert not [k for k, n in Counter(NAMES).items() if n > 1]
    keys = Counter((r["instance_type"], r["region"], r["pricing_model"]) for r in PRICES)
    assert not [k for k, n in keys.items() if n > 1]


def test_loader_keeps_every_row(cat: Catalog) -> None:
    assert cat.names() == NAMES
    assert cat.device_names() == DEVICE_NAMES
    assert len(cat.prices) == len(PRICES)


def test_every_shipped_instance_names_a_device() -> None:
    # one home per device figure: shipped instance rows reference devices.csv
    for row in INSTANCES:
        assert row["device"] in DEVICE_NAMES, row["instance_type"]


def test_shipped_overrides_are_few_and_explained() -> None:
    # a per-device cell in instances.csv overrides the device; each one is in the notes
    for row in INSTANCES:
        overridden = [c for c in _DEVICE_SPEC_COLUMNS if row[c]]
        if "accelerator_memory" in overridden:
            assert "AWS's figure" in row["notes"], row["instance_type"]
        if "accelerator_memory_usable_GiB" in overridden:
            assert "EC2 API" in row["notes"], row["instance_type"]
        assert set(overridden) <= {
            "accelerator",
            "accelerator_memory",
            "accelerator_memory_usable_GiB",
        }, row["instance_type"]


# ----------------------------------------------------------- sourced and dated
@pytest.mark.parametrize("row", DEVICES, ids=DEVICE_NAMES)
def test_device_row_is_sourced_dated_and_rated(row: dict[str, str]) -> None:
    _sourced(row["source_url"])
    assert dt.date.fromisoformat(row["as_of"]) >= OLDEST
    assert row["confidence"], row["device"]


@pytest.mark.parametrize("row", INSTANCES, ids=NAMES)
def test_instance_row_is_sourced_dated_and_rated(row: dict[str, str]) -> None:
    _sourced(row["source_url"])
    assert dt.date.fromisoformat(row["as_of"]) >= OLDEST
    assert row["confidence"], row["instance_type"]


@pytest.mark.parametrize("row", PRICES, ids=PRICE_IDS)
def test_price_row_is_sourced_and_dated(row: dict[str, str]) -> None:
    _sourced(row["source_url"])
    assert dt.date.fromisoformat(row["as_of"]) >= OLDEST
    assert row["region"] in REGIONS


def test_derived_values_are_labelled() -> None:
    # every row whose notes say a value is derived, inferred or assumed says so in
    # its confidence too (the confidence column is what Catalog.to_frame shows)
    for row in INSTANCES:
        notes = row["notes"]
        if any(w in notes for w in ("DERIVED", "INFERRED", "ASSUMED")):
            assert any(w in row["confidence"] for w in ("low", "medium")), row["instance_type"]


# ----------------------------------------------------------- units
# column -> the unit its numbers are in
DEVICE_UNITS = {
    "memory_usable_GiB": "GiB",
    "memory_bandwidth_TBps": "TB/s",
    "dense_bf16_TFLOPS": "TFLOPS",
    "dense_fp8_TFLOPS": "TFLOPS",
    "dense_fp4_TFLOPS": "TFLOPS",
    "dense_int8_TOPS": "TFLOPS",
    "interconnect_GBps": "GB/s",
}
INSTANCE_UNITS = {
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


@pytest.mark.parametrize(
    "unit", sorted({*DEVICE_UNITS.values(), *INSTANCE_UNITS.values(), *MEMORY_UNITS})
)
def test_units_parse_with_their_dimension(unit: str) -> None:
    q = ureg.Quantity(1, unit)
    expected = DIMENSIONS.get(unit, "[information]")
    assert q.check(expected), (unit, q.dimensionality)


def _check_numbers(row: dict[str, str], units: dict[str, str]) -> None:
    for column, unit in units.items():
        if row[column]:
            value = float(row[column])
            assert math.isfinite(value) and value >= 0, column
            assert ureg.Quantity(value, unit).check(DIMENSIONS[unit])


@pytest.mark.parametrize("row", DEVICES, ids=DEVICE_NAMES)
def test_device_numbers_parse(row: dict[str, str]) -> None:
    assert row["memory_unit"] in MEMORY_UNITS
    assert ureg.Quantity(float(row["memory"]), row["memory_unit"]).magnitude > 0
    _check_numbers(row, DEVICE_UNITS)
    assert float(row["memory_bandwidth_TBps"]) > 0 and float(row["dense_bf16_TFLOPS"]) > 0
    cores = int(row["neuron_cores_per_device"])
    assert (row["accelerator_kind"] == "neuron") == (cores > 0), row["device"]


@pytest.mark.parametrize("row", INSTANCES, ids=NAMES)
def test_instance_numbers_parse(row: dict[str, str]) -> None:
    _check_numbers(row, INSTANCE_UNITS)
    for column in ("accelerator_count", "efa_devices", "nodes", "vcpus"):
        if row[column]:
            assert float(row[column]).is_integer() and int(row[column]) >= 0, column
    assert int(row["accelerator_count"]) >= 1 and int(row["nodes"]) >= 1
    assert float(row["network_Gbps"]) > 0
    if row["device_share"]:
        assert 0 < float(row["device_share"]) <= 1


def _usable_within_stated(usable: Any, stated: Any) -> None:
    # "80 GB" for an H100 is 80 GiB of HBM less what the driver keeps (nvidia-smi
    # shows 79.65 GiB): what software sees is at most the figure read in binary units
    # and not much less than the figure read in decimal units.
    unit = f"{stated.units:~P}"
    binary = {"GB": "GiB", "TB": "TiB", "MB": "MiB"}.get(unit, unit)
    assert usable <= ureg.Quantity(stated.magnitude, binary)
    assert usable >= 0.9 * stated


@pytest.mark.parametrize("row", DEVICES, ids=DEVICE_NAMES)
def test_device_usable_memory_lies_between_the_readings(row: dict[str, str]) -> None:
    if row["memory_usable_GiB"]:
        stated = ureg.Quantity(float(row["memory"]), row["memory_unit"])
        _usable_within_stated(_q(f"{row['memory_usable_GiB']} GiB"), stated)


@pytest.mark.parametrize("name", NAMES)
def test_instance_usable_memory_lies_between_the_readings(cat: Catalog, name: str) -> None:
    inst = cat.get(name)
    if inst.usable_memory_known:
        _usable_within_stated(inst.stated_usable_memory, inst.accelerator_memory)


def test_loaded_quantities_match_the_csv(cat: Catalog) -> None:
    devices = {r["device"]: r for r in DEVICES}
    for row in INSTANCES:
        inst = cat.get(row["instance_type"])
        dev = devices[row["device"]]
        share = float(row["device_share"] or 1)
        memory = row["accelerator_memory"] or str(float(dev["memory"]) * share)
        assert inst.accelerator_memory == ureg.Quantity(float(memory), dev["memory_unit"])
        bandwidth = float(dev["memory_bandwidth_TBps"]) * share
        assert inst.memory_bandwidth.to("TB/s").magnitude == pytest.approx(bandwidth)
        assert inst.accelerator_count == int(row["accelerator_count"])
        assert inst.total_accelerator_memory == inst.accelerator_count * inst.accelerator_memory
        assert inst.as_of == dt.date.fromisoformat(row["as_of"])
        assert inst.device == row["device"] and inst.device_share == share
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
    # AWS P6 page (third-party copy, tsaol/aws-gpu data/p6e-gb200_instances.js):
    # p6e-gb200.36xlarge 4 GPUs, 740 GB HBM3e
    ("p6e-gb200.36xlarge", 4, "740 GB"),
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
    # AWS G7e blog (aws.amazon.com/blogs/machine-learning/accelerate-generative-ai-
    # inference-on-amazon-sagemaker-ai-with-g7e-instances): "up to 768 GB GPU memory"
    ("g7e.48xlarge", 8, "768 GB"),
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


def test_gpu_rows_have_no_neuron_cores_and_neuron_rows_do(cat: Catalog) -> None:
    for inst in cat:
        assert inst.is_neuron == (inst.neuron_cores_per_device > 0), inst.name


# ----------------------------------------------------------- prices
@pytest.mark.parametrize("row", PRICES, ids=PRICE_IDS)
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


def test_local_zones_are_locations_not_regions() -> None:
    for row in PRICES:
        if row["location"]:
            assert row["location"].startswith(row["region"] + "-"), row


def test_hourly_price_is_never_nan(cat: Catalog) -> None:
    for name in cat.names():
        price = cat.hourly_price(name)
        assert price is None or (math.isfinite(price) and price > 0)


def test_larger_sizes_of_a_family_cost_more(cat: Catalog) -> None:
    # within a family, more accelerators (or a larger share of one) never cost less
    by_family: dict[str, list[tuple[float, int, float]]] = {}
    for inst in cat:
        price = cat.hourly_price(inst.name)
        if price is not None:
            devices = inst.accelerator_count * inst.device_share
            by_family.setdefault(inst.family, []).append((devices, inst.vcpus, price))
    for family, rows in by_family.items():
        rows.sort()
        prices = [p for _, _, p in rows]
        assert prices == sorted(prices), family


# =========================================================== strict reading of user files
def _write(
    path: Path, header: list[str], rows: list[dict[str, str]], lineterminator: str = "\n"
) -> Path:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=header, lineterminator=lineterminator)
    writer.writeheader()
    writer.writerows([{k: r.get(k, "") for k in header} for r in rows])
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


INSTANCE_HEADER = [*_INSTANCE_COLUMNS, "notes"]
DEVICE_INSTANCE_HEADER = [*INSTANCE_HEADER, "device", "device_share"]
DEVICE_HEADER = [*_DEVICE_COLUMNS, *_DEVICE_OPTIONAL]
PRICE_HEADER = [*_PRICE_COLUMNS, "notes"]


def _error(call: Any, *fragments: str) -> str:
    with pytest.raises(CatalogError) as info:
        call()
    message = str(info.value)
    assert "\n" not in message, message
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    return message


def _instances_error(tmp_path: Path, rows: list[dict[str, str]], *fragments: str) -> str:
    path = _write(tmp_path / "mine.csv", DEVICE_INSTANCE_HEADER, rows)
    return _error(lambda: load_catalog(extra_csv=path), "mine.csv", *fragments)


def test_duplicate_header_column(tmp_path: Path) -> None:
    header = [*INSTANCE_HEADER, "vcpus"]
    path = tmp_path / "dup.csv"
    path.write_text(",".join(header) + "\n" + ",".join("1" for _ in header) + "\n")
    _error(
        lambda: load_catalog(extra_csv=path),
        "dup.csv, line 1, column 'vcpus'",
        "duplicate column",
        f"columns {INSTANCE_HEADER.index('vcpus') + 1} and {len(header)}",
    )


def test_duplicate_header_column_in_a_price_file(tmp_path: Path) -> None:
    header = [*PRICE_HEADER, "region"]
    path = tmp_path / "p.csv"
    path.write_text(",".join(header) + "\n")
    _error(lambda: load_catalog(prices=path), "p.csv, line 1, column 'region'", "duplicate column")


def test_unknown_region_is_named_with_suggestions(tmp_path: Path) -> None:
    row = dict(EXAMPLE_PRICE_ROW, region="us-east-9")
    path = _write(tmp_path / "p.csv", PRICE_HEADER, [row])
    _error(
        lambda: load_catalog(prices_csv=path),
        "p.csv, line 2, column 'region'",
        "known values",
        "'us-east-1'",
    )


def test_local_zone_is_not_a_region(tmp_path: Path) -> None:
    row = dict(EXAMPLE_PRICE_ROW, region="us-east-1-dfw-2a")
    path = _write(tmp_path / "p.csv", PRICE_HEADER, [row])
    _error(lambda: load_catalog(prices=path), "line 2, column 'region'")


def test_unknown_region_in_the_api() -> None:
    cat = load_catalog()
    with pytest.raises(UnknownNameError, match="unknown AWS region 'eu-west-9'"):
        cat.with_region("eu-west-9")
    with pytest.raises(UnknownNameError, match="did you mean"):
        cat.price_info("p5.48xlarge", region="us-est-1")


def test_cell_over_the_size_limit(tmp_path: Path) -> None:
    row = dict(EXAMPLE_GPU_ROW, notes="x" * (_csv.MAX_CELL_CHARS + 1))
    path = _write(tmp_path / "long.csv", INSTANCE_HEADER, [EXAMPLE_GPU_ROW, row])
    message = _error(
        lambda: load_catalog(extra_csv=path),
        "long.csv, line 3, column 'notes'",
        "longer than 10,000 characters",
    )
    assert len(message) < 300  # the over-long value is cut in the message


def test_cell_over_the_csv_module_limit(tmp_path: Path) -> None:
    row = dict(EXAMPLE_GPU_ROW, notes="x" * 200_000)
    path = _write(tmp_path / "huge.csv", INSTANCE_HEADER, [row])
    _error(lambda: load_catalog(extra_csv=path), "huge.csv, line", "not readable as CSV")


def test_file_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_csv, "MAX_FILE_BYTES", 1_000)
    rows = [dict(EXAMPLE_GPU_ROW, instance_type=f"x{i}.large") for i in range(10)]
    path = _write(tmp_path / "big.csv", INSTANCE_HEADER, rows)
    _error(lambda: load_catalog(extra_csv=path), "big.csv", "bytes, over the 1,000-byte limit")


def test_too_many_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_csv, "MAX_ROWS", 3)
    rows = [dict(EXAMPLE_GPU_ROW, instance_type=f"x{i}.large") for i in range(5)]
    path = _write(tmp_path / "many.csv", INSTANCE_HEADER, rows)
    _error(lambda: load_catalog(extra_csv=path), "many.csv, line 5", "more than 3 data rows")


def test_nul_byte(tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_text(",".join(INSTANCE_HEADER) + "\nx1\x00.large\n")
    _error(lambda: load_catalog(extra_csv=path), "nul.csv, line 2, column", "NUL byte")


IMPLAUSIBLE = [
    # usable above the stated figure read in binary units (80 GB -> 80 GiB)
    (
        {"accelerator_memory_usable_GiB": "81"},
        "accelerator_memory_usable_GiB",
        "exceeds the stated",
    ),
    # usable far below the stated figure: a MiB/GiB slip
    ({"accelerator_memory_usable_GiB": "7.9"}, "accelerator_memory_usable_GiB", "under half"),
    # 80 GB written as 80 MB, and 80 TB
    ({"accelerator_memory_unit": "MB"}, "accelerator_memory", "outside the plausible 1 GB to 2 TB"),
    ({"accelerator_memory_unit": "TB"}, "accelerator_memory", "outside the plausible 1 GB to 2 TB"),
    # 3.35 TB/s written as 3,350 (GB/s in a TB/s column) and as 0.00335
    ({"memory_bandwidth_TBps": "3350"}, "memory_bandwidth_TBps", "10 GB/s to 100 TB/s"),
    ({"memory_bandwidth_TBps": "0.00335"}, "memory_bandwidth_TBps", "10 GB/s to 100 TB/s"),
]


@pytest.mark.parametrize(("change", "column", "problem"), IMPLAUSIBLE)
def test_implausible_instance_figures(
    tmp_path: Path, change: dict[str, str], column: str, problem: str
) -> None:
    _instances_error(
        tmp_path,
        [EXAMPLE_GPU_ROW, dict(EXAMPLE_GPU_ROW, instance_type="x1.bad", **change)],
        f"line 3, column {column!r}",
        problem,
    )


@pytest.mark.parametrize(("change", "column", "problem"), IMPLAUSIBLE[:2])
def test_implausible_device_figures(
    tmp_path: Path, change: dict[str, str], column: str, problem: str
) -> None:
    column = column.replace("accelerator_memory_usable_GiB", "memory_usable_GiB")
    path = _write(
        tmp_path / "dev.csv",
        DEVICE_HEADER,
        [dict(EXAMPLE_DEVICE_ROW, **{column: change[next(iter(change))]})],
    )
    _error(lambda: load_catalog(devices_csv=path), f"dev.csv, line 2, column {column!r}", problem)


def test_implausible_inherited_figure_names_the_device(tmp_path: Path) -> None:
    # a 1/1000 share of an H100 is 80 MB: below the plausible range, and the
    # message says the figure came from the device
    row = dict(EXAMPLE_DEVICE_INSTANCE_ROW, device_share="0.001")
    _instances_error(
        tmp_path, [row], "column 'accelerator_memory'", "from device H100-SXM-80GB x 0.001"
    )


def test_unknown_device_is_named_with_suggestions(tmp_path: Path) -> None:
    row = dict(EXAMPLE_DEVICE_INSTANCE_ROW, device="H100-SXM-80G")
    _instances_error(tmp_path, [row], "line 2, column 'device'", "did you mean 'H100-SXM-80GB'")


@pytest.mark.parametrize(
    ("share", "problem"), [("1.5", "fraction of one device"), ("0", "greater than zero")]
)
def test_bad_device_share(tmp_path: Path, share: str, problem: str) -> None:
    row = dict(EXAMPLE_DEVICE_INSTANCE_ROW, device_share=share)
    _instances_error(tmp_path, [row], "column 'device_share'", problem)


def test_device_share_needs_a_device_and_a_gpu(tmp_path: Path) -> None:
    _instances_error(tmp_path, [dict(EXAMPLE_GPU_ROW, device_share="0.5")], "needs a device")
    neuron = dict(EXAMPLE_DEVICE_INSTANCE_ROW, device="Trainium2", device_share="0.5")
    _instances_error(tmp_path, [neuron], "GPU partitions only")


def test_a_row_with_a_device_needs_no_per_device_columns(tmp_path: Path) -> None:
    header = [c for c in DEVICE_INSTANCE_HEADER if c not in _DEVICE_SPEC_COLUMNS]
    path = _write(tmp_path / "slim.csv", header, [EXAMPLE_DEVICE_INSTANCE_ROW])
    inst = load_catalog(extra_csv=path).get("x2.12xlarge")
    assert inst.accelerator_memory == _q("80 GB") and inst.device == "H100-SXM-80GB"
    # without a device column, the per-device columns are required
    header = [c for c in INSTANCE_HEADER if c != "memory_bandwidth_TBps"]
    path = _write(tmp_path / "bare.csv", header, [EXAMPLE_GPU_ROW])
    _error(lambda: load_catalog(extra_csv=path), "missing required column(s) memory_bandwidth_TBps")


def test_devices_csv_errors(tmp_path: Path) -> None:
    dup = [EXAMPLE_DEVICE_ROW, EXAMPLE_DEVICE_ROW]
    path = _write(tmp_path / "d.csv", DEVICE_HEADER, dup)
    _error(lambda: load_catalog(devices_csv=path), "d.csv, line 3, column 'device'", "duplicate")
    bad = dict(EXAMPLE_DEVICE_ROW, neuron_cores_per_device="2")
    path = _write(tmp_path / "d.csv", DEVICE_HEADER, [bad])
    _error(
        lambda: load_catalog(devices_csv=path), "column 'neuron_cores_per_device'", "0 for a GPU"
    )
    path = _write(tmp_path / "d.csv", [c for c in DEVICE_HEADER if c != "memory"], [bad])
    _error(lambda: load_catalog(devices_csv=path), "missing required column(s) memory")


def test_user_price_table_errors(tmp_path: Path) -> None:
    import pandas as pd

    cat = load_catalog()
    frame = pd.DataFrame({"instance_type": ["p5.48xlarge", "g5.xlarge"], "usd_per_hour": [40, -1]})
    _error(lambda: cat.with_prices(frame), "user price DataFrame, row 1", "'usd_per_hour'")
    frame = pd.DataFrame({"instance_type": ["p5.48xlarg"], "usd_per_hour": [40]})
    _error(lambda: cat.with_prices(frame), "row 0, column 'instance_type'", "'p5.48xlarge'")
    _error(lambda: cat.with_prices({"p5.48xlarge": "forty"}), "entry 0", "USD/hour")
    _error(lambda: cat.with_prices({"p5.48xlarge": math.nan}), "entry 0", "is NaN")
    _error(lambda: cat.with_prices({}), "empty")
    _error(lambda: cat.with_prices(42), "must be a CSV path")  # type: ignore[arg-type]


def test_shipped_tables_are_within_the_limits() -> None:
    for name in ("devices.csv", "instances.csv", "prices.csv"):
        text = (DATA / name).read_text(encoding="utf-8")
        assert len(text.encode()) < _csv.MAX_FILE_BYTES / 10, name
        for row in csv.reader(io.StringIO(text)):
            assert all(len(cell) < 2_000 for cell in row), name
