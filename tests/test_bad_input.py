"""Bad input gets a clear llmsizing error naming the field, row or line, never a number.

Every case asserts the error class (a :class:`llmsizing.errors.LlmsizingError`
subclass), a message fragment that names what is wrong and where, and that no
partial result comes back: the call raises instead of returning, and the CLI
prints nothing on stdout and exactly one line on stderr.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import llmsizing as ls
from catalog_rows import EXAMPLE_GPU_ROW
from llmsizing.catalog import _INSTANCE_COLUMNS, _PRICE_COLUMNS, load_catalog
from llmsizing.claims import Claim, check, load_claims
from llmsizing.cli import main
from llmsizing.errors import (
    CatalogError,
    ClaimError,
    ConfigError,
    LlmsizingError,
    UnknownNameError,
    WorkloadError,
)

# --------------------------------------------------------------------- helpers
LLAMA: dict[str, Any] = {
    "model_type": "llama",
    "vocab_size": 32000,
    "hidden_size": 4096,
    "intermediate_size": 11008,
    "num_hidden_layers": 32,
    "num_attention_heads": 32,
    "num_key_value_heads": 32,
    "max_position_embeddings": 4096,
}
MIXTRAL: dict[str, Any] = {
    **LLAMA,
    "model_type": "mixtral",
    "num_local_experts": 8,
    "num_experts_per_tok": 2,
}
QWEN3_MOE: dict[str, Any] = {
    **LLAMA,
    "model_type": "qwen3_moe",
    "head_dim": 128,
    "num_experts": 8,
    "num_experts_per_tok": 2,
    "moe_intermediate_size": 768,
}


def _cfg(base: dict[str, Any] = LLAMA, **changes: Any) -> dict[str, Any]:
    """``base`` with keys replaced; a value of ``...`` removes the key."""
    out = dict(base)
    for k, v in changes.items():
        if v is ...:
            out.pop(k, None)
        else:
            out[k] = v
    return out


@contextmanager
def raises(cls: type[LlmsizingError], *fragments: str) -> Iterator[None]:
    """The block raises ``cls`` whose message contains every fragment."""
    with pytest.raises(cls) as info:
        yield
    msg = str(info.value)
    assert "\n" not in msg, f"message spans several lines: {msg!r}"
    for f in fragments:
        assert f in msg, f"{f!r} not in {msg!r}"


def _config_error(data: dict[str, Any], *fragments: str) -> None:
    with raises(ConfigError, *fragments):
        ls.read_hf_config(data)


def _cli_error(capsys: pytest.CaptureFixture[str], argv: list[str], *fragments: str) -> str:
    """``main(argv)`` exits 2 with one readable stderr line and no output."""
    rc = main(argv)
    out, err = capsys.readouterr()
    assert rc == 2, (rc, out, err)
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("llmsizing") and "error:" in lines[0]
    assert "Traceback" not in err
    for f in fragments:
        assert f in err, f"{f!r} not in {err!r}"
    return lines[0]


GOOD_ROW: dict[str, str] = dict(EXAMPLE_GPU_ROW)
GOOD_PRICE: dict[str, str] = {
    "instance_type": "p5.48xlarge",
    "region": "us-east-1",
    "pricing_model": "negotiated",
    "usd_per_hour": "30",
    "as_of": "2025-01-01",
    "source_url": "https://example.com/quote",
}


def _csv(
    path: Path, rows: list[dict[str, str]], columns: tuple[str, ...] | list[str] = _INSTANCE_COLUMNS
) -> Path:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore")
    w.writeheader()
    for r in rows:
        w.writerow({k: r.get(k, "") for k in columns})
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def _row(**changes: str) -> dict[str, str]:
    return {**GOOD_ROW, **changes}


def _catalog_error(tmp_path: Path, rows: list[dict[str, str]], *fragments: str) -> None:
    path = _csv(tmp_path / "extra.csv", rows)
    with raises(CatalogError, str(path), *fragments):
        load_catalog(extra_csv=path)


def _price_error(tmp_path: Path, rows: list[dict[str, str]], *fragments: str) -> None:
    path = _csv(tmp_path / "prices.csv", rows, _PRICE_COLUMNS)
    with raises(CatalogError, str(path), *fragments):
        load_catalog(prices_csv=path)


def _claims(tmp_path: Path, body: str, name: str = "c.yaml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def _claim_load_error(tmp_path: Path, body: str, *fragments: str) -> None:
    path = _claims(tmp_path, body)
    with raises(ClaimError, str(path), *fragments):
        load_claims(path)


def _claim_check_error(tmp_path: Path, body: str, *fragments: str) -> None:
    """The file loads, but checking its (single) claim is an error."""
    path = _claims(tmp_path, body)
    (claim,) = load_claims(path)
    with raises(ClaimError, f"{path}:2", *fragments):
        check(claim)


SPEC = (
    "claims:\n"
    "  - id: inf2-memory\n"
    "    kind: spec\n"
    "    instance: inf2.48xlarge\n"
    "    quantity: accelerator_memory_total\n"
    "    value: {value}\n"
)
FIT = "claims:\n  - id: f\n    kind: fit\n    model: llama-3.1-8b\n    instance: p5.48xlarge\n"


# ------------------------------------------------------- config.json (Python API)
def test_config_missing_field() -> None:
    # model_type has no default anywhere: without it the config cannot be read
    _config_error(_cfg(model_type=...), "missing required field 'model_type'")


def test_config_omitted_field_takes_the_class_default_and_says_so() -> None:
    # transformers' LlamaConfig defaults num_hidden_layers to 32; the fill is recorded
    m = ls.read_hf_config(_cfg(num_hidden_layers=...), name="x")
    assert m.num_layers == 32
    assert any("num_hidden_layers" in a for a in m.assumed)


def test_config_misspelled_field_names_the_real_one() -> None:
    _config_error(
        _cfg(num_hidden_layers=..., num_hiden_layers=32),
        "model_type 'llama'",
        "'num_hidden_layers'",
    )


def test_config_wrong_type_string_for_integer() -> None:
    _config_error(_cfg(num_hidden_layers="32"), "'num_hidden_layers' must be an integer", "'32'")


def test_config_bool_for_integer() -> None:
    _config_error(_cfg(hidden_size=True), "'hidden_size' must be an integer")


def test_config_negative_size() -> None:
    _config_error(_cfg(hidden_size=-4096), "'hidden_size' must not be negative")


def test_config_zero_layers() -> None:
    _config_error(_cfg(num_hidden_layers=0), "num_layers must be positive")


def test_config_zero_vocab() -> None:
    _config_error(_cfg(vocab_size=0), "vocab_size must be positive")


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_config_nan_and_infinity(value: float) -> None:
    _config_error(_cfg(intermediate_size=value), "'intermediate_size' must be an integer")


def test_config_absurd_layer_count() -> None:
    # 10**15 layers: a typo, not a model; must not try to build 10**15 layer records
    _config_error(_cfg(num_hidden_layers=10**15), "num_hidden_layers", "sanity limit")


def test_config_absurd_float_layer_count() -> None:
    _config_error(_cfg(num_hidden_layers=1e300), "num_hidden_layers")


def test_config_absurd_hidden_size() -> None:
    _config_error(_cfg(hidden_size=10**15, head_dim=128), "hidden_size", "sanity limit")


def test_config_heads_not_dividing_hidden() -> None:
    _config_error(
        _cfg(num_attention_heads=30, num_key_value_heads=30),
        "num_attention_heads (30) does not divide hidden_size (4096)",
    )


def test_config_kv_heads_not_dividing_heads() -> None:
    _config_error(
        _cfg(num_key_value_heads=5), "num_key_value_heads (5) must divide num_attention_heads"
    )


def test_config_zero_heads() -> None:
    _config_error(_cfg(num_attention_heads=0), "'num_attention_heads' must be positive")


def test_config_top_k_above_expert_count() -> None:
    _config_error(
        _cfg(MIXTRAL, num_experts_per_tok=10),
        "experts_per_token (10) must be between 1 and n_routed_experts (8)",
    )


def test_config_zero_experts_per_token() -> None:
    _config_error(_cfg(MIXTRAL, num_experts_per_tok=0), "experts_per_token (0)")


def test_config_unknown_model_type() -> None:
    _config_error(_cfg(model_type="lama"), "model_type 'lama' is not supported", "llama")


def test_config_layer_types_wrong_length() -> None:
    _config_error(
        _cfg(model_type="mistral", layer_types=["full_attention"]),
        "'layer_types' has 1 entries for 32 layers",
    )


def test_config_layer_types_entry_of_wrong_type() -> None:
    _config_error(_cfg(model_type="mistral", layer_types=[{}] * 32), "layer_types[0]")


def test_config_layer_index_list_of_wrong_type() -> None:
    _config_error(_cfg(QWEN3_MOE, mlp_only_layers=[[1]]), "'mlp_only_layers'")


def test_config_multimodal_without_text_config() -> None:
    _config_error(_cfg(model_type="gemma3"), "missing required field 'text_config'")


def test_config_file_invalid_json(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text('{"model_type": "llama",\n "hidden_size": }', encoding="utf-8")
    with raises(ConfigError, str(path), "invalid JSON at line 2"):
        ls.read_hf_config(path)


def test_config_file_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_bytes(b'{"model_type": "\xff\xfe"}')
    with raises(ConfigError, str(path), "not UTF-8"):
        ls.read_hf_config(path)


def test_config_file_not_an_object(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text("[1, 2, 3]", encoding="utf-8")
    with raises(ConfigError, str(path), "expected a JSON object, got list"):
        ls.read_hf_config(path)


def test_config_file_missing(tmp_path: Path) -> None:
    path = tmp_path / "nope" / "config.json"
    with raises(ConfigError, "config file not found", str(path)):
        ls.load_model(str(path))


# -------------------------------------------------------- names and workloads (API)
def test_unknown_model_suggests_nearest() -> None:
    with raises(UnknownNameError, "unknown model 'deepsek-v3'", "did you mean 'deepseek-v3'"):
        ls.load_model("deepsek-v3")


def test_unknown_instance_suggests_nearest() -> None:
    with raises(UnknownNameError, "'p5e.48xlarg'", "did you mean 'p5e.48xlarge'"):
        ls.fit("llama-3.1-8b", "p5e.48xlarg")


def test_unknown_weight_dtype_suggests_nearest() -> None:
    with raises(UnknownNameError, "unknown weight dtype 'fp7'", "'fp8'"):
        ls.fit("llama-3.1-8b", "p5.48xlarge", ls.Workload(weight_dtype="fp7"))


def test_unknown_kv_dtype_suggests_nearest() -> None:
    with raises(UnknownNameError, "unknown KV dtype 'bf61'", "'bf16'"):
        ls.kv_cache_memory(ls.load_model("llama-3.1-8b"), 4096, 1, "bf61")


def test_context_beyond_model_maximum() -> None:
    with raises(WorkloadError, "context_len 200000 exceeds", "131072", "max_position_embeddings"):
        ls.fit("llama-3.1-8b", "p5.48xlarge", ls.Workload(context_len=200_000))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("batch", 0),
        ("batch", -3),
        ("context_len", -1),
        ("memory_utilization", math.nan),
        ("memory_utilization", 1.5),
        ("runtime_reserve_GiB", math.inf),
        ("max_batched_tokens", 0),
    ],
)
def test_workload_bad_value_names_field(field: str, value: Any) -> None:
    with raises(WorkloadError, field):
        ls.Workload(**{field: value})


def test_workload_misspelled_field() -> None:
    with raises(WorkloadError, "ctx"):
        ls.Workload(ctx=4096)


def test_zero_sequences_in_kv_cache() -> None:
    with raises(WorkloadError, "batch must be a positive finite number, got 0"):
        ls.kv_cache_memory(ls.load_model("llama-3.1-8b"), 4096, 0)


def test_zero_context_in_kv_cache() -> None:
    with raises(WorkloadError, "context_len must be a positive finite number, got 0"):
        ls.kv_cache_memory(ls.load_model("llama-3.1-8b"), 0, 1)


def test_non_numeric_context_in_kv_cache() -> None:
    with raises(WorkloadError, "context_len", "'long'"):
        ls.kv_cache_memory(ls.load_model("llama-3.1-8b"), "long", 1)


@pytest.mark.parametrize("bits", [math.nan, 0, -8, 65])
def test_kv_bit_width_out_of_range(bits: float) -> None:
    with raises(WorkloadError, "KV bit width must be in (0, 64]"):
        ls.kv_cache_memory(ls.load_model("llama-3.1-8b"), 4096, 1, bits)


def test_zero_sequences_for_max_context() -> None:
    with raises(WorkloadError, "batch"):
        ls.max_context("llama-3.1-8b", "p5.48xlarge", batch=0)


def test_weight_policy_with_unknown_part() -> None:
    with raises(WorkloadError, "experts_dtype"):
        ls.weight_memory(ls.load_model("llama-3.1-8b"), {"linear": "fp8", "experts_dtype": "fp8"})


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"mfu": 0.0}, "mfu"),
        ({"mfu": math.nan}, "mfu"),
        ({"bandwidth_utilization": -1.0}, "bandwidth_utilization"),
        ({"interconnect_utilization": 2.0}, "interconnect_utilization"),
        ({"usd_per_hour": -3.0}, "usd_per_hour"),
        ({"usd_per_hour": math.nan}, "usd_per_hour"),
    ],
)
def test_performance_bad_efficiency_or_price(kwargs: dict[str, float], fragment: str) -> None:
    with raises(WorkloadError, fragment):
        ls.estimate_performance("llama-3.1-8b", "p5.48xlarge", **kwargs)  # type: ignore[arg-type]


def test_filter_memory_with_rate_unit() -> None:
    with raises(CatalogError, "min_total_memory", "GB/s"):
        load_catalog().filter(min_total_memory="5 GB/s")


def test_filter_memory_bare_number() -> None:
    with raises(CatalogError, "min_total_memory", "no unit"):
        load_catalog().filter(min_total_memory=640)


def test_unknown_pricing_model() -> None:
    with raises(UnknownNameError, "unknown pricing model 'ondemand'", "'on-demand'"):
        load_catalog().price("p5.48xlarge", pricing_model="ondemand")


# ------------------------------------------------------------ catalog and price CSVs
def test_csv_duplicate_instance_rows(tmp_path: Path) -> None:
    _catalog_error(tmp_path, [_row(), _row()], "line 3", "duplicate instance_type", "line 2")


def test_csv_negative_count(tmp_path: Path) -> None:
    _catalog_error(
        tmp_path, [_row(accelerator_count="-8")], "line 2", "'accelerator_count'", "negative"
    )


def test_csv_zero_memory(tmp_path: Path) -> None:
    _catalog_error(
        tmp_path, [_row(accelerator_memory="0")], "'accelerator_memory'", "greater than zero"
    )


def test_csv_nan(tmp_path: Path) -> None:
    _catalog_error(tmp_path, [_row(memory_bandwidth_TBps="nan")], "'memory_bandwidth_TBps'", "NaN")


def test_csv_infinity(tmp_path: Path) -> None:
    _catalog_error(tmp_path, [_row(dense_bf16_TFLOPS="inf")], "'dense_bf16_TFLOPS'", "not finite")


def test_csv_absurd_device_count(tmp_path: Path) -> None:
    _catalog_error(tmp_path, [_row(accelerator_count="1e15")], "'accelerator_count'", "limit")


def test_csv_unit_in_number_column(tmp_path: Path) -> None:
    _catalog_error(
        tmp_path, [_row(accelerator_memory="80 GB")], "'accelerator_memory'", "not a number"
    )


def test_csv_memory_unit_of_wrong_dimension(tmp_path: Path) -> None:
    _catalog_error(
        tmp_path,
        [_row(accelerator_memory_unit="GB/s")],
        "'accelerator_memory_unit'",
        "must be one of GB, GiB",
    )


def test_csv_missing_column(tmp_path: Path) -> None:
    path = _csv(tmp_path / "extra.csv", [_row()], [c for c in _INSTANCE_COLUMNS if c != "vcpus"])
    with raises(CatalogError, str(path), "missing required column(s) vcpus"):
        load_catalog(extra_csv=path)


def test_csv_misspelled_column(tmp_path: Path) -> None:
    cols = [*_INSTANCE_COLUMNS, "note"]
    path = _csv(tmp_path / "extra.csv", [_row()], cols)
    with raises(CatalogError, str(path), "unknown column 'note'", "'notes'"):
        load_catalog(extra_csv=path)


def test_csv_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "extra.csv"
    path.write_text("", encoding="utf-8")
    with raises(CatalogError, str(path), "file is empty"):
        load_catalog(extra_csv=path)


def test_csv_header_only(tmp_path: Path) -> None:
    path = _csv(tmp_path / "extra.csv", [])
    with raises(CatalogError, str(path), "no data rows"):
        load_catalog(extra_csv=path)


def test_csv_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "extra.csv"
    path.write_bytes(",".join(_INSTANCE_COLUMNS).encode() + b"\nx1.48xlarge,\xff\xfe\n")
    with raises(CatalogError, str(path), "not UTF-8"):
        load_catalog(extra_csv=path)


def test_csv_row_longer_than_header(tmp_path: Path) -> None:
    path = tmp_path / "extra.csv"
    values = [GOOD_ROW[c] for c in _INSTANCE_COLUMNS]
    path.write_text(
        ",".join(_INSTANCE_COLUMNS) + "\n" + ",".join([*values, "surplus"]) + "\n", encoding="utf-8"
    )
    with raises(CatalogError, str(path), "line 2", "more fields than the header"):
        load_catalog(extra_csv=path)


def test_csv_undated_row(tmp_path: Path) -> None:
    _catalog_error(tmp_path, [_row(as_of="last week")], "'as_of'", "ISO date")


def test_csv_unsourced_row(tmp_path: Path) -> None:
    _catalog_error(tmp_path, [_row(source_url="")], "'source_url'", "is required")


def test_csv_gpu_with_neuron_cores(tmp_path: Path) -> None:
    _catalog_error(
        tmp_path, [_row(neuron_cores_per_device="2")], "'neuron_cores_per_device'", "0 for a GPU"
    )


def test_csv_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.csv"
    with raises(CatalogError, str(path), "cannot read file"):
        load_catalog(extra_csv=path)


def test_price_negative(tmp_path: Path) -> None:
    _price_error(tmp_path, [{**GOOD_PRICE, "usd_per_hour": "-1"}], "'usd_per_hour'", "negative")


def test_price_not_a_number(tmp_path: Path) -> None:
    _price_error(
        tmp_path, [{**GOOD_PRICE, "usd_per_hour": "$30"}], "'usd_per_hour'", "not a number"
    )


def test_price_for_unknown_instance_suggests(tmp_path: Path) -> None:
    _price_error(
        tmp_path,
        [{**GOOD_PRICE, "instance_type": "p5.48xlarg"}],
        "'instance_type'",
        "did you mean 'p5.48xlarge'",
    )


def test_price_none_public_with_a_price(tmp_path: Path) -> None:
    _price_error(
        tmp_path,
        [{**GOOD_PRICE, "pricing_model": "none-public"}],
        "'usd_per_hour'",
        "must be blank when pricing_model is none-public",
    )


def test_price_duplicate_rows(tmp_path: Path) -> None:
    _price_error(tmp_path, [GOOD_PRICE, GOOD_PRICE], "line 3", "duplicate price row")


# --------------------------------------------------------------------- claim YAML
def test_claim_unknown_kind(tmp_path: Path) -> None:
    _claim_load_error(
        tmp_path, "claims:\n  - id: a\n    kind: fits\n", "c.yaml:3", "field 'kind'", "'fit'"
    )


def test_claim_missing_id(tmp_path: Path) -> None:
    _claim_load_error(tmp_path, "claims:\n  - kind: fit\n", "c.yaml:2", "field 'id'", "required")


def test_claim_misspelled_field(tmp_path: Path) -> None:
    _claim_load_error(
        tmp_path,
        "claims:\n  - id: a\n    kind: fit\n    modle: llama-3.1-8b\n",
        "c.yaml:4",
        "field 'modle'",
    )


def test_claim_wrong_type(tmp_path: Path) -> None:
    _claim_load_error(
        tmp_path, FIT + "    instances: many\n", "c.yaml:6", "field 'instances'", "integer"
    )


def test_claim_zero_instances(tmp_path: Path) -> None:
    _claim_load_error(tmp_path, FIT + "    instances: 0\n", "c.yaml:6", "field 'instances'")


def test_claim_unknown_workload_key(tmp_path: Path) -> None:
    _claim_load_error(
        tmp_path, FIT + "    workload: {ctx: 4096}\n", "c.yaml:6", "field 'workload'", "'ctx'"
    )


@pytest.mark.parametrize(
    "value", ["many", ".nan", ".inf", "[1]", "0", "-4", "true"], ids=lambda v: f"batch={v}"
)
def test_claim_workload_bad_batch(tmp_path: Path, value: str) -> None:
    body = FIT + f"    workload: {{batch: {value}, weights: bf16, kv: bf16, context: 4096}}\n"
    path = _claims(tmp_path, body)
    with raises(ClaimError, str(path), "batch"):
        for claim in load_claims(path):
            check(claim)


@pytest.mark.parametrize("value", [".nan", ".inf", "lots", "1.5"], ids=lambda v: f"context={v}")
def test_claim_workload_bad_context(tmp_path: Path, value: str) -> None:
    path = _claims(tmp_path, FIT + f"    workload: {{context: {value}}}\n")
    with raises(ClaimError, str(path), "context"):
        for claim in load_claims(path):
            check(claim)


def test_claim_context_beyond_model_maximum(tmp_path: Path) -> None:
    _claim_check_error(
        tmp_path,
        FIT + "    workload: {context: 1000000, weights: bf16, kv: bf16}\n",
        "context_len 1000000 exceeds",
        "max_position_embeddings",
    )


def test_claim_zero_sequences(tmp_path: Path) -> None:
    _claim_load_error(
        tmp_path, FIT + "    workload: {batch: 0, weights: bf16, kv: bf16}\n", "batch"
    )


def test_claim_unknown_model_suggests(tmp_path: Path) -> None:
    _claim_check_error(
        tmp_path,
        FIT.replace("llama-3.1-8b", "lama-3.1-8b"),
        "unknown model 'lama-3.1-8b'",
        "did you mean 'llama-3.1-8b'",
    )


def test_claim_unknown_instance_suggests(tmp_path: Path) -> None:
    _claim_check_error(
        tmp_path,
        FIT.replace("p5.48xlarge", "p5e.48xlarg"),
        "unknown instance type 'p5e.48xlarg'",
        "did you mean 'p5e.48xlarge'",
    )


def test_claim_unknown_spec_quantity_suggests(tmp_path: Path) -> None:
    body = SPEC.format(value='"384 GiB"').replace("memory_total", "memroy_total")
    _claim_check_error(tmp_path, body, "'accelerator_memroy_total'", "'accelerator_memory_total'")


def test_claim_rate_where_size_is_meant(tmp_path: Path) -> None:
    _claim_check_error(
        tmp_path,
        SPEC.format(value='"384 GB/s"'),
        "value '384 GB/s' has the wrong dimension",
        "GiB",
    )


@pytest.mark.parametrize("value", ["384", '"384"'])
def test_claim_bare_number_where_unit_is_needed(tmp_path: Path, value: str) -> None:
    _claim_check_error(tmp_path, SPEC.format(value=value), "needs a unit", "384 GiB")


@pytest.mark.parametrize(
    "value", ['"0 GB"', '"-384 GB"', '"nan GB"', '"inf GB"', '"1e400 GB"', ".nan"]
)
def test_claim_spec_value_not_a_positive_finite_size(tmp_path: Path, value: str) -> None:
    _claim_check_error(tmp_path, SPEC.format(value=value), "value")


def test_claim_gb_vs_gib_fails_with_unit_hint(tmp_path: Path) -> None:
    # inf2.48xlarge holds 12 x 32 GiB = 384 GiB = 412.3 GB. AWS labels that "384 GB"
    # (a binary-sized memory under a "GB" label, as JEDEC's "giga" means for memory),
    # which holds as the vendor's label; "412 GiB" swaps the units and fails with a hint.
    (claim,) = load_claims(_claims(tmp_path, SPEC.format(value='"412 GiB"')))
    verdict = check(claim)
    assert verdict.status == "fails"
    assert "384 GiB" in verdict.explanation
    assert "GB/GiB" in verdict.explanation and "swapped" in verdict.explanation
    (claim,) = load_claims(_claims(tmp_path, SPEC.format(value='"384 GB"'), "v.yaml"))
    assert check(claim).status == "holds"
    # the same figure in binary units holds
    (claim,) = load_claims(_claims(tmp_path, SPEC.format(value='"384 GiB"'), "d.yaml"))
    assert check(claim).status == "holds"


@pytest.mark.parametrize("value", ["-5%", ".nan", "lots"])
def test_claim_bad_tolerance(tmp_path: Path, value: str) -> None:
    body = SPEC.format(value='"400 GiB"') + f"    tolerance: {value}\n"
    _claim_check_error(tmp_path, body, "tolerance")


@pytest.mark.parametrize("value", [".nan", ".inf", "lots"])
def test_claim_ratio_value_not_finite(tmp_path: Path, value: str) -> None:
    body = (
        "claims:\n  - id: r\n    kind: ratio\n    model: llama-3.1-8b\n"
        f"    quantity: kv_cache_reduction\n    value: {value}\n"
    )
    _claim_check_error(tmp_path, body, "value")


def test_claim_instance_ratio_over_zero(tmp_path: Path) -> None:
    # inf1.xlarge has no local NVMe (0 GB): a ratio over it is undefined
    body = (
        "claims:\n  - id: r\n    kind: ratio\n    instance: p5.48xlarge\n"
        "    baseline_instance: inf1.xlarge\n    quantity: local_nvme\n    value: 2x\n"
    )
    _claim_check_error(tmp_path, body, "inf1.xlarge", "local_nvme")


def test_claim_cost_without_positive_price(tmp_path: Path) -> None:
    body = (
        "claims:\n  - id: c\n    kind: cost\n    model: llama-3.1-8b\n"
        "    instance: p5.48xlarge\n    usd_per_million_tokens: 0\n"
    )
    _claim_check_error(tmp_path, body, "usd_per_million_tokens")


def test_claim_yaml_anchor_and_alias(tmp_path: Path) -> None:
    body = "claims:\n  - &base {id: a, kind: fit}\n  - *base\n"
    _claim_load_error(tmp_path, body, "c.yaml:2", "anchors (&base) are not allowed")


def test_claim_yaml_alias_bomb(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    body = "\n".join(lines) + "\nclaims: [*a8]\n"
    _claim_load_error(tmp_path, body, "c.yaml:1", "not allowed")


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system ['echo pwned']",
        "!!python/object/new:os.system ['echo pwned']",
        "!!python/name:os.system",
    ],
)
def test_claim_yaml_python_tag_is_not_executed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tag: str
) -> None:
    called: list[Any] = []

    def system(*args: Any) -> int:
        called.append(args)
        return 0

    monkeypatch.setattr(os, "system", system)
    body = f"claims:\n  - id: a\n    kind: fit\n    model: {tag}\n"
    _claim_load_error(tmp_path, body, "c.yaml:4", "tag", "not allowed")
    assert called == []


def test_claim_yaml_custom_tag(tmp_path: Path) -> None:
    _claim_load_error(tmp_path, "claims:\n  - id: !secret a\n    kind: fit\n", "'!secret'")


def test_claim_yaml_empty_file(tmp_path: Path) -> None:
    _claim_load_error(tmp_path, "", "empty claim file")


def test_claim_yaml_comments_only(tmp_path: Path) -> None:
    _claim_load_error(tmp_path, "# nothing here\n", "empty claim file")


def test_claim_yaml_huge_file(tmp_path: Path) -> None:
    body = "claims: []\n" + "#" * 80 + "\n"
    _claim_load_error(tmp_path, body * 30_000, "larger than the 2,000,000-byte limit")


def test_claim_yaml_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes(b"claims:\n  - id: \xff\xfe\n    kind: fit\n")
    with raises(ClaimError, str(path), "not UTF-8"):
        load_claims(path)


def test_claim_yaml_top_level_list(tmp_path: Path) -> None:
    _claim_load_error(tmp_path, "- id: a\n  kind: fit\n", "c.yaml:1", "'claims' list")


def test_claim_yaml_unknown_top_level_key(tmp_path: Path) -> None:
    _claim_load_error(tmp_path, "claim:\n  - id: a\n", "unknown top-level field(s) ['claim']")


def test_claim_yaml_complex_top_level_key(tmp_path: Path) -> None:
    _claim_load_error(tmp_path, "? [a, b]\n: 1\nclaims: []\n", "c.yaml:1", "key")


def test_claim_yaml_claim_not_a_mapping(tmp_path: Path) -> None:
    _claim_load_error(tmp_path, "claims:\n  - just a sentence\n", "c.yaml:2", "must be a mapping")


def test_claim_yaml_duplicate_id(tmp_path: Path) -> None:
    body = "claims:\n  - {id: a, kind: fit}\n  - {id: a, kind: spec}\n"
    _claim_load_error(tmp_path, body, "c.yaml:3", "duplicate claim id 'a'")


def test_claim_yaml_duplicate_key(tmp_path: Path) -> None:
    body = "claims:\n  - id: a\n    kind: fit\n    id: b\n"
    _claim_load_error(tmp_path, body, "c.yaml:4", "duplicate", "'id'")


def test_claim_yaml_syntax_error(tmp_path: Path) -> None:
    _claim_load_error(tmp_path, "claims:\n  - id: a\n   kind: [\n", "c.yaml:3", "invalid YAML")


def test_claim_constructed_directly_with_bad_value() -> None:
    claim = Claim(id="a", kind="spec", instance="p5.48xlarge", quantity="vcpus", value="lots")
    with raises(ClaimError, "claim (a)", "'lots'"):
        check(claim)


# --------------------------------------------------------------------------- CLI
def test_cli_unknown_model(capsys: pytest.CaptureFixture[str]) -> None:
    line = _cli_error(capsys, ["model", "deepsek-v3"], "did you mean 'deepseek-v3'")
    assert line.startswith("llmsizing: error: unknown model 'deepsek-v3'")


def test_cli_broken_config(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(_cfg(model_type=...)), encoding="utf-8")
    _cli_error(capsys, ["model", str(path)], str(path), "missing required field 'model_type'")


def test_cli_missing_config_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "missing.json"
    _cli_error(capsys, ["model", str(path)], "config file not found", str(path))


def test_cli_model_context_beyond_maximum(capsys: pytest.CaptureFixture[str]) -> None:
    _cli_error(
        capsys, ["model", "llama-3.1-8b", "--context", "10M"], "exceeds", "max_position_embeddings"
    )


def test_cli_unknown_instance(capsys: pytest.CaptureFixture[str]) -> None:
    line = _cli_error(
        capsys, ["fit", "deepseek-v3", "--instance", "p5e.48xlarg"], "did you mean 'p5e.48xlarge'"
    )
    assert line.startswith("llmsizing: error: unknown instance type 'p5e.48xlarg'")


def test_cli_zero_sequences(capsys: pytest.CaptureFixture[str]) -> None:
    line = _cli_error(
        capsys, ["fit", "llama-3.1-8b", "--instance", "p5.48xlarge", "--batch", "0"], "batch"
    )
    assert "pydantic" not in line


def test_cli_context_beyond_maximum(capsys: pytest.CaptureFixture[str]) -> None:
    _cli_error(
        capsys,
        ["fit", "llama-3.1-8b", "--instance", "p5.48xlarge", "--context", "1M"],
        "context_len 1000000 exceeds",
    )


def test_cli_bad_count_option(capsys: pytest.CaptureFixture[str]) -> None:
    _cli_error(
        capsys, ["fit", "llama-3.1-8b", "--instance", "p5.48xlarge", "--context", "lots"], "lots"
    )


def test_cli_missing_required_option(capsys: pytest.CaptureFixture[str]) -> None:
    _cli_error(capsys, ["fit", "llama-3.1-8b"], "--instance")


def test_cli_unknown_command(capsys: pytest.CaptureFixture[str]) -> None:
    _cli_error(capsys, ["fitt", "llama-3.1-8b"], "'fitt'")


def test_cli_unknown_family(capsys: pytest.CaptureFixture[str]) -> None:
    _cli_error(capsys, ["instances", "--family", "p55"], "'p55'", "did you mean")


def test_cli_zero_prompt_names_prompt(capsys: pytest.CaptureFixture[str]) -> None:
    _cli_error(
        capsys, ["cost", "llama-3.1-8b", "--instance", "p5.48xlarge", "--prompt", "0"], "prompt"
    )


def test_cli_unknown_weight_dtype(capsys: pytest.CaptureFixture[str]) -> None:
    _cli_error(capsys, ["model", "llama-3.1-8b", "--dtype", "fp7"], "unknown weight dtype 'fp7'")


def test_cli_check_malformed_claim_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = _claims(tmp_path, "claims:\n  - id: a\n    kind: fits\n")
    _cli_error(capsys, ["check", str(path)], f"{path}:3", "field 'kind'")


def test_cli_check_python_tag(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = _claims(tmp_path, "claims:\n  - !!python/object/apply:os.system ['echo pwned']\n")
    _cli_error(capsys, ["check", str(path)], f"{path}:2", "not allowed")


def test_cli_check_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    _cli_error(capsys, ["check", str(path)], str(path), "cannot read")


# ---------------------------------------------------- the second study's cases
def test_config_integer_too_long_to_print(tmp_path: Path) -> None:
    # Python refuses to convert integers of more than 4,300 digits; json.loads raises
    path = tmp_path / "big.json"
    path.write_text('{"model_type": "llama", "num_hidden_layers": ' + "9" * 5000 + "}")
    with raises(ConfigError, str(path), "digits"):
        ls.load_model(str(path))


def test_config_zero_max_position_embeddings() -> None:
    _config_error(_cfg(max_position_embeddings=0), "max_position_embeddings must be positive")


def test_fit_all_instances_must_be_names() -> None:
    with raises(WorkloadError, "instances"):
        ls.fit_all("llama-3.1-8b", instances=1.5)  # type: ignore[arg-type]


def test_training_setup_must_be_a_setup() -> None:
    with raises(WorkloadError, "training setup"):
        ls.fit_training("llama-3.1-8b", "p5.48xlarge", 3)  # type: ignore[arg-type]


def test_no_performance_for_a_deployment_that_cannot_exist() -> None:
    with raises(WorkloadError, "does not fit g5.xlarge at any size"):
        ls.estimate_performance("deepseek-v3", "g5.xlarge", ls.Workload(weight_dtype="bf16"))


def test_quantity_expression_in_catalog_filter_is_refused_fast() -> None:
    import time

    start = time.perf_counter()
    with raises(CatalogError, "not a quantity"):
        ls.load_catalog().filter(min_total_memory="9**9**9 GB")
    assert time.perf_counter() - start < 2


def test_results_unpickle_with_their_units_in_a_new_process(tmp_path: Path) -> None:
    import pickle
    import subprocess
    import sys

    path = tmp_path / "est.pkl"
    path.write_bytes(pickle.dumps(ls.estimate_performance("llama-3.1-8b", "p5.48xlarge")))
    code = f"import pickle; e = pickle.load(open({str(path)!r}, 'rb')); print(e.tokens_per_s.units)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "tok/s"  # tokens per second, in the unpickling process


@pytest.mark.parametrize(
    ("field", "value"),
    [("context_len", 0), ("context_len", True), ("batch", 1.5), ("kv_dtype", True)],
)
def test_workload_never_replaces_a_value_given(field: str, value: Any) -> None:
    with raises(WorkloadError, field):
        ls.Workload(**{field: value})


def test_workload_token_strings_and_dicts_are_accepted() -> None:
    w = ls.Workload(context_len="8k", batch="4")
    assert (w.context_len, w.batch) == (8192, 4)
    assert ls.fit("llama-3.1-8b", "p5.48xlarge", {"context_len": "8k"}).workload.context_len == 8192


def test_workload_prompt_longer_than_the_context() -> None:
    with raises(WorkloadError, "prompt_len", "context_len"):
        ls.Workload(prompt_len=10_000, context_len=4096)


def test_estimate_performance_takes_a_workload_mapping_like_fit() -> None:
    w = {"context_len": 4096, "prompt_len": 1024, "output_len": 256}
    a = ls.estimate_performance("llama-3.1-8b", "p5.48xlarge", w)
    b = ls.estimate_performance("llama-3.1-8b", "p5.48xlarge", ls.Workload(**w))
    assert a.tpot == b.tpot
    with raises(WorkloadError, "batch"):
        ls.estimate_performance("llama-3.1-8b", "p5.48xlarge", {"batch": 0})


def test_include_vision_is_a_bool_not_a_word() -> None:
    with raises(WorkloadError, "include_vision"):
        ls.Workload(include_vision="yes")
