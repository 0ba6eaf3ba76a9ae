"""Fuzzing the entry points that read outside input.

``ModelConfig.from_hf_config`` over random dictionaries, ``fit`` and
``estimate_performance`` over random workloads and random catalog rows, and the
claim loader and checker over random YAML. Whatever the input, only a
:class:`llmsizing.errors.LlmsizingError` may escape (never a KeyError,
ZeroDivisionError, TypeError, AttributeError or OverflowError), and a result
that is returned holds no NaN, no infinity and no negative byte count.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

import llmsizing as ls
from catalog_rows import EXAMPLE_GPU_ROW
from llmsizing.catalog import _INSTANCE_COLUMNS, load_catalog
from llmsizing.claims import Claim, check, load_claims
from llmsizing.errors import LlmsizingError
from llmsizing.hf_config import SUPPORTED_MODEL_TYPES
from llmsizing.units import ureg

# LLMSIZING_FUZZ_SCALE=50 runs every fuzz test fifty times longer
SCALE = int(os.environ.get("LLMSIZING_FUZZ_SCALE", "1"))
FUZZ = settings(
    max_examples=60 * SCALE,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _sane(q: Any, what: str) -> None:
    """A returned quantity or number is finite, and a byte count is not negative."""
    if q is None:
        return
    is_q = isinstance(q, ureg.Quantity)
    values = np.asarray(q.magnitude if is_q else q, dtype=float)
    assert np.all(np.isfinite(values)), f"{what} = {q!r}"
    if is_q and q.check("[information]"):
        assert np.all(values >= 0), f"{what} = {q!r} is a negative byte count"


# --------------------------------------------------------------- config.json
PRESETS = files("llmsizing") / "data" / "models"
EXAMPLES: list[dict[str, Any]] = [
    json.loads((PRESETS / p.name).read_text(encoding="utf-8"))
    for p in PRESETS.iterdir()
    if p.name.endswith(".json")
]
REAL_KEYS = sorted(
    {k for d in EXAMPLES for k in d}
    | {k for d in EXAMPLES for k in (d.get("text_config") or {})}
    | {"layer_types", "mlp_only_layers", "no_rope_layers", "moe_layers", "head_dim"}
)

HUGE = st.sampled_from([10**4, 10**6, 10**9, 10**15, 10**30, 10**300, 2**63, 2**64 + 1])
WEIRD = st.one_of(
    st.integers(min_value=0, max_value=8192),
    st.integers(min_value=-(10**6), max_value=-1),
    HUGE,
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([math.nan, math.inf, -math.inf, 0.5, 1e308, -0.0]),
    st.booleans(),
    st.none(),
    st.text(max_size=8),
    st.sampled_from(["full_attention", "sliding_attention", "chunked_attention", "mxfp4"]),
    st.lists(
        st.one_of(
            st.integers(-2, 64),
            st.sampled_from(["full_attention", "sliding_attention", "chunked_attention"]),
            st.none(),
            st.lists(st.integers(0, 3), max_size=2),
            st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
        ),
        max_size=70,
    ),
    st.dictionaries(st.sampled_from(REAL_KEYS), st.integers(-5, 5000), max_size=4),
)


@st.composite
def hf_configs(draw: st.DrawFn) -> dict[str, Any]:
    """A real preset, with keys dropped, replaced by odd values, or added."""
    base = dict(draw(st.sampled_from(EXAMPLES)))
    target = base
    if isinstance(base.get("text_config"), dict) and draw(st.booleans()):
        target = base["text_config"] = dict(base["text_config"])
    keys = sorted(target)
    for k in draw(st.lists(st.sampled_from(keys), max_size=4, unique=True)):
        del target[k]
    for k in draw(st.lists(st.sampled_from(REAL_KEYS), max_size=5, unique=True)):
        target[k] = draw(WEIRD)
    if draw(st.integers(0, 9)) == 0:
        target["model_type"] = draw(st.sampled_from([*SUPPORTED_MODEL_TYPES, "lama", "", 3]))
    return base


def _check_model(m: ls.ModelConfig) -> None:
    pc = m.param_counts()
    for name, value in pc.model_dump().items():
        if name != "model":
            assert isinstance(value, int) and value >= 0, (name, value)
    assert pc.active <= pc.total
    for dtype in ("bf16", "fp8", "int4", "native"):
        _sane(ls.weight_memory(m, dtype), f"weight_memory {dtype}")
    _sane(ls.kv_cache_bytes_per_token(m, "bf16"), "kv per token")
    _sane(ls.kv_cache_memory(m, 4096, 2, "fp8"), "kv cache")
    _sane(ls.expert_memory(m, "bf16").resident, "resident experts")


@FUZZ
@given(hf_configs())
def test_from_hf_config_random_dicts(data: dict[str, Any]) -> None:
    try:
        m = ls.read_hf_config(data, name="fuzz")
    except LlmsizingError as e:
        assert str(e) and "\n" not in str(e)
        event(f"rejected: {type(e).__name__}")
        return
    event("parsed")
    _check_model(m)


@FUZZ
@given(st.dictionaries(st.sampled_from(REAL_KEYS), WEIRD, max_size=12))
def test_from_hf_config_random_keys(data: dict[str, Any]) -> None:
    data.setdefault("model_type", "llama")
    try:
        m = ls.read_hf_config(data)
    except LlmsizingError:
        return
    _check_model(m)


@settings(max_examples=30 * SCALE, deadline=None)
@given(st.binary(max_size=300))
def test_config_file_random_bytes(tmp_path_factory: Any, raw: bytes) -> None:
    path = Path(tmp_path_factory.mktemp("cfg")) / "config.json"
    path.write_bytes(raw)
    try:
        _check_model(ls.read_hf_config(path))
    except LlmsizingError:
        pass


# ---------------------------------------------------------------- fit and perf
NUMBERS = st.one_of(
    st.sampled_from(["0", "-1", "0.5", "nan", "inf", "-inf", "", "1e308", "1e-300", "0x10"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-10, 10**6).map(str),
    st.text(alphabet="0123456789.e-+ GBx", max_size=6),
)
MAGNITUDES = st.one_of(
    st.floats(min_value=1e-3, max_value=1e6),
    st.sampled_from([1e-300, 1e-30, 1e30, 1e300, 1.7e308]),
).map(repr)
GPU_ROW: dict[str, str] = {
    **EXAMPLE_GPU_ROW,
    "instance_type": "fuzz.48xlarge",
    "family": "fuzz",
    "accelerator": "Fuzz GPU",
    "source_url": "https://example.com/fuzz",
}
NEURON_ROW = {
    **GPU_ROW,
    "accelerator_kind": "neuron",
    "accelerator_memory": "96",
    "accelerator_memory_unit": "GiB",
    "accelerator_memory_usable_GiB": "",
    "neuron_cores_per_device": "8",
    "dense_fp8_TFLOPS": "",
}
SIZES = ("accelerator_memory", "memory_bandwidth_TBps", "dense_bf16_TFLOPS")
OPTIONAL_SIZES = (
    "accelerator_memory_usable_GiB",
    "dense_fp8_TFLOPS",
    "dense_fp4_TFLOPS",
    "interconnect_GBps_per_device",
)


@st.composite
def catalog_rows(draw: st.DrawFn) -> dict[str, str]:
    """A catalog row with random magnitudes, and sometimes a few malformed cells."""
    row = dict(draw(st.sampled_from([GPU_ROW, NEURON_ROW])))
    row["accelerator_count"] = str(draw(st.integers(1, 5000)))
    if row["accelerator_kind"] == "neuron":
        row["neuron_cores_per_device"] = str(draw(st.integers(1, 70)))
    row["accelerator_memory_unit"] = draw(st.sampled_from(["GB", "GiB", "MiB", "TB"]))
    for c in SIZES:
        row[c] = draw(MAGNITUDES)
    for c in OPTIONAL_SIZES:
        row[c] = draw(st.one_of(st.just(""), MAGNITUDES))
    if draw(st.integers(0, 2)) == 0:
        for c in draw(st.lists(st.sampled_from(_INSTANCE_COLUMNS), max_size=2, unique=True)):
            row[c] = draw(NUMBERS)
    return row


@st.composite
def workloads(draw: st.DrawFn) -> dict[str, Any]:
    ints = st.one_of(st.integers(-5, 10), st.integers(1, 1 << 20), HUGE)
    floats = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.floats(0, 1))
    fields: dict[str, Any] = {
        "context_len": ints,
        "prompt_len": st.one_of(st.none(), ints),
        "output_len": st.one_of(st.none(), ints),
        "batch": ints,
        "weight_dtype": st.sampled_from(["bf16", "fp8", "int4", "mxfp4-experts", "native", "fp7"]),
        "kv_dtype": st.one_of(st.sampled_from(["bf16", "fp8", "int4", "x"]), floats),
        "memory_utilization": floats,
        "runtime_reserve_GiB": floats,
        "max_batched_tokens": ints,
        "activation_workspace_GiB": st.one_of(st.none(), floats),
    }
    chosen = draw(st.lists(st.sampled_from(sorted(fields)), unique=True))
    return {k: draw(fields[k]) for k in chosen}


FIT_MODELS = ["llama-3.1-8b", "mixtral-8x7b", "gemma-3-27b", "deepseek-v2", "gpt-oss-20b"]


def _write_row(path: Path, row: dict[str, str]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(_INSTANCE_COLUMNS))
    w.writeheader()
    w.writerow(row)
    path.write_text(buf.getvalue(), encoding="utf-8")


def _check_fit(r: ls.FitResult) -> None:
    for k in ("weights", "kv_cache", "activations", "runtime_reserve", "required"):
        _sane(getattr(r, k), k)
    for k in ("available", "usable_per_device", "weights_total", "kv_cache_total"):
        _sane(getattr(r, k), k)
    assert r.tp >= 1 and r.devices_used >= 1
    assert r.instances_needed is None or r.instances_needed >= 1
    assert r.fits == (r.required <= r.available)
    json.dumps(r.to_dict())


@FUZZ
@given(row=catalog_rows(), kwargs=workloads(), model=st.sampled_from(FIT_MODELS))
def test_fit_random_rows_and_workloads(
    tmp_path: Path, row: dict[str, str], kwargs: dict[str, Any], model: str
) -> None:
    path = tmp_path / "extra.csv"
    _write_row(path, row)
    try:
        cat = load_catalog(extra_csv=path)
    except LlmsizingError as e:
        assert str(path) in str(e)
        event("row rejected")
        return
    event("row loaded")
    inst = cat.get(row["instance_type"].strip())
    _sane(inst.total_accelerator_memory, "total memory")
    try:
        w = ls.Workload(**kwargs)
    except LlmsizingError:
        w = ls.Workload()
    try:
        r = ls.fit(model, inst, w, catalog=cat)
    except LlmsizingError:
        event("fit rejected")
        return
    event(f"fit: fits={r.fits}")
    _check_fit(r)
    try:
        est = ls.estimate_performance(model, inst, w, catalog=cat)
    except LlmsizingError:
        return
    event("performance estimated")
    for k in ("ttft", "tpot", "tokens_per_s", "prefill_tokens_per_s", "decode_bytes_per_step"):
        _sane(getattr(est, k), k)
    for k in ("usd_per_million_output_tokens", "usd_per_million_input_tokens", "usd_per_hour"):
        v = getattr(est, k)
        assert v is None or (math.isfinite(v) and v >= 0), (k, v)


@settings(max_examples=40 * SCALE, deadline=None)
@given(kwargs=workloads(), model=st.sampled_from(FIT_MODELS))
def test_fit_random_workloads_on_shipped_instances(kwargs: dict[str, Any], model: str) -> None:
    try:
        w = ls.Workload(**kwargs)
        r = ls.fit(model, "p5.48xlarge", w)
    except LlmsizingError:
        return
    _check_fit(r)


# ------------------------------------------------------------------ claim YAML
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)
CLAIM_VALUES: dict[str, Any] = {
    "id": st.one_of(st.text(min_size=1, max_size=6), st.integers()),
    "kind": st.sampled_from(["fit", "spec", "ratio", "cost", "training", "fits", ""]),
    "model": st.sampled_from(["llama-3.1-8b", "mixtral-8x7b", "lama", "deepseek-v2", ""]),
    "baseline": st.sampled_from(["mha", "full", "llama-3.1-8b", "x"]),
    "instance": st.sampled_from(["p5.48xlarge", "inf2.48xlarge", "g5.xlarge", "inf1.xlarge"]),
    "baseline_instance": st.sampled_from(["p5.4xlarge", "inf1.xlarge", "g5.xlarge", "nope"]),
    "quantity": st.sampled_from(
        [
            "accelerator_memory_total",
            "accelerator_count",
            "interconnect_bandwidth_per_device",
            "local_nvme",
            "kv_cache_reduction",
            "parameter_reduction",
            "active_parameter_fraction",
            "kv_cache_ratio",
            "made_up",
        ]
    ),
    "value": st.one_of(
        st.tuples(
            st.sampled_from(["384", "0", "-1", "nan", "inf", "1e400", "12", "0.5", "10**400"]),
            st.sampled_from([" GB", " GiB", " GB/s", "", "%", "x", " TB", " tokens", " Gbps"]),
        ).map("".join),
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(-5, 10**30),
        TEXT,
    ),
    "tolerance": st.one_of(st.sampled_from(["5%", "-5%", "x", "0"]), st.floats()),
    "relation": st.sampled_from(["approx", "at_least", "at_most", "about"]),
    "expect": st.sampled_from(["holds", "fails", "depends", "maybe"]),
    "instances": st.one_of(st.integers(-2, 4), st.lists(st.integers(-1, 4), max_size=3)),
    "context": st.one_of(st.integers(-2, 10**7), st.lists(st.integers(-1, 10**6), max_size=3)),
    "usd_per_million_tokens": st.one_of(st.floats(), st.integers(-3, 100)),
    "workload": st.dictionaries(
        st.sampled_from(["context", "batch", "weights", "kv", "prompt", "output", "ctx"]),
        st.one_of(
            st.integers(-3, 10**7),
            st.floats(allow_nan=True, allow_infinity=True),
            st.sampled_from(["bf16", "fp8", "int4", "x"]),
            st.none(),
            st.lists(st.integers(), max_size=2),
        ),
        max_size=4,
    ),
    "text": TEXT,
    "unknown_field": TEXT,
}


SPEC_NAMES = [
    "accelerator_memory_total",
    "accelerator_memory_per_device",
    "accelerator_count",
    "memory_bandwidth_total",
    "interconnect_bandwidth_per_device",
    "dense_flops_fp8_total",
    "local_nvme",
    "vcpus",
]
RATIO_NAMES = [
    "kv_cache_reduction",
    "kv_cache_ratio",
    "parameter_reduction",
    "active_parameter_fraction",
]
SPEC_VALUES = st.tuples(
    st.floats(min_value=0.1, max_value=1e4),
    st.sampled_from([" GB", " GiB", " TB/s", " TFLOPS", " PFLOPS", " Gbps", " GB/s", " TB", ""]),
).map(lambda t: f"{t[0]:.4g}{t[1]}")
FIT_WORKLOAD = st.fixed_dictionaries(
    {
        "context": st.sampled_from([1024, 4096, 32768, 10**6]),
        "batch": st.sampled_from([1, 8, 256]),
        "weights": st.sampled_from(["bf16", "fp8", "int4", "native"]),
        "kv": st.sampled_from(["bf16", "fp8"]),
    }
)


@st.composite
def claim_dicts(draw: st.DrawFn, i: int) -> dict[str, Any]:
    """A claim of a random kind with its fields, then perhaps a field or two made odd."""
    v = CLAIM_VALUES
    kind = draw(st.sampled_from(["fit", "spec", "ratio", "ratio-instances", "training"]))
    claim: dict[str, Any] = {"id": f"c{i}", "kind": kind.split("-")[0]}
    if kind == "fit":
        claim |= {"model": draw(v["model"]), "instance": draw(v["instance"])}
        claim["workload"] = draw(FIT_WORKLOAD)
    elif kind == "spec":
        claim |= {"instance": draw(v["instance"]), "quantity": draw(st.sampled_from(SPEC_NAMES))}
        claim["value"] = draw(st.one_of(v["value"], SPEC_VALUES))
    elif kind == "ratio":
        claim |= {"model": draw(v["model"]), "quantity": draw(st.sampled_from(RATIO_NAMES))}
        claim["value"] = draw(st.one_of(v["value"], st.sampled_from(["93%", "4.4x", 0.5])))
        claim["context"] = draw(st.sampled_from([4096, [1024, 8192], 10**6]))
    elif kind == "ratio-instances":
        claim |= {
            "instance": draw(v["instance"]),
            "baseline_instance": draw(v["baseline_instance"]),
        }
        claim |= {"quantity": draw(st.sampled_from(SPEC_NAMES)), "value": draw(v["value"])}
    else:
        claim |= {"model": draw(v["model"]), "instance": draw(v["instance"])}
        claim["instances"] = draw(st.sampled_from([1, 16, [8, 16], 0]))
    for k in draw(st.lists(st.sampled_from(sorted(v)), max_size=2, unique=True)):
        claim[k] = draw(v[k])
    if draw(st.integers(0, 3)) == 0:
        claim.pop(draw(st.sampled_from(sorted(claim))))
    return claim


@st.composite
def claim_documents(draw: st.DrawFn) -> str:
    claims = [draw(claim_dicts(i)) for i in range(draw(st.integers(0, 2)))]
    doc: Any = {"claims": claims}
    if draw(st.integers(0, 7)) == 0:
        doc = draw(st.sampled_from([claims, {"claim": claims}, None, "claims", {"claims": 3}]))
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    # splice in YAML features the loader must refuse or survive
    extra = draw(
        st.sampled_from(
            [
                *[""] * 8,
                "x: &a [1]\n",
                "y: *a\n",
                "z: !!python/object/apply:os.system ['true']\n",
                "z: !foo bar\n",
                "? [k]\n: v\n",
                "\t- broken: [\n",
                "%YAML 1.1\n---\n",
                "---\n---\n",
            ]
        )
    )
    return draw(st.sampled_from([text + extra, extra + text]))


YAML_ALPHABET = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyz0123456789 :-[]{},&*!%|>'\"#?\n\t.")
)


def _check_file(path: Path) -> None:
    try:
        claims = load_claims(path)
    except LlmsizingError as e:
        assert str(path) in str(e) and "\n" not in str(e)
        event("file rejected")
        return
    event(f"loaded {len(claims)} claim(s)")
    for claim in claims:
        assert isinstance(claim, Claim)
        try:
            verdict = check(claim)
        except LlmsizingError as e:
            assert "\n" not in str(e)
            event("claim rejected")
            continue
        event(f"verdict {claim.kind}")
        assert verdict.status in ("holds", "fails", "depends")
        for k, v in verdict.numbers.items():
            if isinstance(v, float | ureg.Quantity):
                _sane(v, k)
        json.dumps(verdict.to_dict())


@settings(max_examples=80 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=claim_documents())
def test_claim_loader_random_documents(tmp_path_factory: Any, text: str) -> None:
    assume("cost" not in text or "usd_per_million_tokens" not in text)  # costly, covered below
    path = Path(tmp_path_factory.mktemp("claims")) / "c.yaml"
    path.write_text(text, encoding="utf-8")
    _check_file(path)


@settings(max_examples=80 * SCALE, deadline=None)
@given(text=st.text(alphabet=YAML_ALPHABET, max_size=200))
def test_claim_loader_random_text(tmp_path_factory: Any, text: str) -> None:
    path = Path(tmp_path_factory.mktemp("claims")) / "c.yaml"
    path.write_text("claims:\n" + text if text[:1] in " -" else text, encoding="utf-8")
    _check_file(path)


@settings(max_examples=10 * SCALE, deadline=None)
@given(
    usd=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-2, 1000)),
    workload=CLAIM_VALUES["workload"],
)
def test_cost_claims_random(tmp_path_factory: Any, usd: float, workload: dict[str, Any]) -> None:
    claim = {
        "id": "cost",
        "kind": "cost",
        "model": "llama-3.1-8b",
        "instance": "g6e.xlarge",
        "usd_per_million_tokens": usd,
        "workload": workload,
    }
    path = Path(tmp_path_factory.mktemp("claims")) / "c.yaml"
    path.write_text(yaml.safe_dump({"claims": [claim]}), encoding="utf-8")
    _check_file(path)


def _int_keys(d: dict[str, Any]) -> list[str]:
    return [k for k, v in d.items() if isinstance(v, int) and not isinstance(v, bool)]


@pytest.mark.parametrize(
    "value",
    [0, -1, 10**15, 10**300, math.nan, math.inf],
    ids=["0", "-1", "1e15", "1e300", "nan", "inf"],
)
def test_every_integer_key_of_every_preset(value: Any) -> None:
    """Each integer field of each preset, set to an absurd value, in turn."""
    for base in EXAMPLES:
        text = "text_config" if isinstance(base.get("text_config"), dict) else None
        for key in _int_keys(base[text] if text else base):
            data = json.loads(json.dumps(base))
            (data[text] if text else data)[key] = value
            try:
                m = ls.read_hf_config(data)
            except LlmsizingError as e:
                assert "\n" not in str(e)
                continue
            _check_model(m)
            try:
                r = ls.fit(m, "p5.48xlarge", ls.Workload(context_len=1024))
            except LlmsizingError:
                continue
            _check_fit(r)
