"""Claim checking: every claim kind, strict YAML reading, the pytest plugin, the report formats.

Expected verdicts follow from hand arithmetic on published figures (sources in
comments), not from the checker's output.
"""

from __future__ import annotations

import doctest
import importlib
import json
import math
import pkgutil
import re
import textwrap
import time
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import llmsizing as ls
import llmsizing.claims
from llmsizing import cli
from llmsizing.claims import (
    CHECKER_MODULES,
    CHECKERS,
    CLAIM_TYPES,
    Claim,
    check,
    check_files,
    format_verdicts,
    has_claims_header,
    load_checkers,
    load_claims,
    parse_quantity,
    verdict_frame,
)
from llmsizing.claims.parsing import parse_factor, parse_fraction, parse_params, parse_tolerance
from llmsizing.errors import ClaimError

pytest_plugins = ["pytester"]

GIB = 2**30
HEADER = "llmsizing: claims/1\n"


def verdict(**kw: Any) -> ls.Verdict:
    return check(Claim(id=str(kw.pop("id", "c")), **kw))


def write(tmp_path: Path, text: str, name: str = "claims.yaml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


# ------------------------------------------------------------------ package
def test_every_kind_has_a_schema_and_a_checker() -> None:
    assert set(load_checkers()) == set(CLAIM_TYPES)
    assert len(CHECKER_MODULES) == len(CLAIM_TYPES)
    assert CHECKERS is load_checkers()


def test_claim_builds_the_schema_of_its_kind() -> None:
    c = Claim(id="a", kind="spec", instance="inf2.xlarge", quantity="vcpus", value=4)
    assert type(c).__name__ == "SpecClaim" and isinstance(c, Claim)
    with pytest.raises(ClaimError, match=r"kind.*did you mean 'fit'"):
        Claim(id="a", kind="fits")


@pytest.mark.parametrize(
    "name", sorted(m.name for m in pkgutil.iter_modules(llmsizing.claims.__path__))
)
def test_docstring_examples_of_every_claims_module(name: str) -> None:
    module = importlib.import_module(f"llmsizing.claims.{name}")
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        result = doctest.testmod(module, optionflags=flags)
    assert result.failed == 0


def test_check_accepts_a_catalog(tmp_path: Path) -> None:
    # a user catalog: the shipped one is used unless given
    cat = ls.load_catalog()
    v = check(
        Claim(id="a", kind="spec", instance="p5.48xlarge", quantity="vcpus", value=192),
        catalog=cat,
    )
    assert v.status == "holds"


# ------------------------------------------------------------------------ fit
def test_fit_with_open_dtype_depends_and_names_the_choices() -> None:
    # DeepSeek-V3 (671.03e9 parameters) on p5e.48xlarge (8 x 140.4 GiB usable x 0.9):
    # bf16 weights are 1,250 GiB (too big); fp8 and int8 627 GiB, int4 325 GiB fit.
    v = verdict(kind="fit", model="deepseek-v3", instance="p5e.48xlarge", workload={"kv": "bf16"})
    assert v.status == "depends"
    assert "It holds with fp8, int8 or int4 weights" in v.explanation
    assert "fails with bf16 weights" in v.explanation
    assert "holds under" in v.numbers


@pytest.mark.parametrize(
    ("weights", "status"),
    [("bf16", "fails"), ("fp8", "holds"), ("int8", "holds"), ("int4", "holds")],
)
def test_fit_with_pinned_dtype(weights: str, status: str) -> None:
    # 671.03e9 x 2 B = 1,250 GiB > 1,010.9 GiB budget; 8 bits: 627 GiB; 4 bits: 325 GiB
    v = verdict(
        kind="fit",
        model="deepseek-v3",
        instance="p5e.48xlarge",
        workload={"weights": weights, "kv": "bf16", "context": 4096},
    )
    assert v.status == status


def test_fit_fails_for_qwen3_235b_on_one_inferentia2() -> None:
    # 235e9 parameters: even at 4 bits 117.5 GB > 32 GiB of one Inferentia2 chip
    v = verdict(kind="fit", model="qwen3-235b-a22b", instance="inf2.8xlarge", expect="fails")
    assert v.status == "fails" and v.matches
    assert str(v).startswith("[-]")


def test_open_context_names_the_longest_context_that_fits() -> None:
    # Qwen3-30B-A3B int4 on inf2.xlarge: 15.5 GiB of weights; budget 28.8 GiB at TP 1
    # (32 GiB x 0.9) minus workspace and reserve. 100 users x 98,304 B/token of bf16 KV:
    # (28.8 - 15.5 - ~1.0) GiB / (100 x 98,304 B) ~ 1,300 tokens each.
    v = verdict(
        kind="fit",
        model="qwen3-30b-a3b",
        instance="inf2.xlarge",
        workload={"batch": 100, "kv": "bf16"},
    )
    assert v.status == "depends"
    m = re.search(r"int4 weights up to ([\d,]+)-token contexts", v.explanation)
    assert m is not None
    assert 1_100 < int(m.group(1).replace(",", "")) < 1_400
    assert "fails with bf16, fp8 or int8 weights" in v.explanation
    assert "512" in v.assumptions["tried"]


def test_batch_range_reports_both_ends() -> None:
    # the same, for 100-200 users: the longest context roughly halves at 200
    v = verdict(
        kind="fit",
        model="qwen3-30b-a3b",
        instance="inf2.xlarge",
        workload={"batch": [100, 200], "kv": "bf16", "weights": "int4"},
    )
    assert v.status == "depends"
    m = re.search(
        r"up to ([\d,]+)-token contexts at 100 sequences \(([\d,]+) at 200\)", v.explanation
    )
    assert m is not None
    lo, hi = (int(x.replace(",", "")) for x in m.groups())
    assert hi < lo < 2 * hi + 10


def test_fit_over_an_instance_range() -> None:
    # DeepSeek-V3 fp8 (627 GiB) needs 2 p5.48xlarge (565.5 GiB pooled budget each)
    one = verdict(
        kind="fit",
        model="deepseek-v3",
        instance="p5.48xlarge",
        workload={"weights": "fp8", "kv": "bf16", "context": 4096},
    )
    assert one.status == "fails" and one.numbers["instances needed"] == 2
    two = verdict(
        kind="fit",
        model="deepseek-v3",
        instance="p5.48xlarge",
        instances=2,
        workload={"weights": "fp8", "kv": "bf16", "context": 4096},
    )
    assert two.status == "holds"
    span = verdict(
        kind="fit",
        model="deepseek-v3",
        instance="p5.48xlarge",
        instances=[1, 4],
        workload={"weights": "fp8", "kv": "bf16", "context": 4096},
    )
    assert span.status == "depends" and "from 2 instances" in span.explanation
    assert (
        verdict(
            kind="fit",
            model="deepseek-v3",
            instance="p5.48xlarge",
            instances=[2, 4],
            workload={"weights": "fp8", "kv": "bf16", "context": 4096},
        ).status
        == "holds"
    )


def test_fit_holds() -> None:
    # Llama-3.1-8B bf16 (16.06 GB) on one 80 GB H100, at every KV format and context
    v = verdict(
        kind="fit", model="llama-3.1-8b", instance="p5.4xlarge", workload={"weights": "bf16"}
    )
    assert v.status == "holds"
    assert str(v).startswith("[+]")


def test_kv_bit_width_is_a_kv_format() -> None:
    # kv: 8 is an 8-bit cache: the same bytes as fp8
    eight = verdict(
        kind="fit",
        model="llama-3.1-70b",
        instance="p5.48xlarge",
        workload={"weights": "bf16", "kv": 8, "context": 131072, "batch": 8},
    )
    fp8 = verdict(
        kind="fit",
        model="llama-3.1-70b",
        instance="p5.48xlarge",
        workload={"weights": "bf16", "kv": "fp8", "context": 131072, "batch": 8},
    )
    assert eight.status == fp8.status
    assert eight.numbers["KV cache"] == fp8.numbers["KV cache"]
    assert "8-bit" in eight.assumptions["tried"]


# ----------------------------------------------------------------------- spec
def test_spec_tib_total() -> None:
    # trn2.48xlarge: 16 Trainium2 x 96 GiB = 1536 GiB = 1.5 TiB (Neuron trn2 docs)
    v = verdict(
        kind="spec", instance="trn2.48xlarge", quantity="accelerator_memory_total", value="1.5 TiB"
    )
    assert v.status == "holds"


@pytest.mark.parametrize("value", ["400 GB/s", "3200 Gbps", "3,200 Gbps", "3.2 Tbps"])
def test_spec_network_units_convert(value: str) -> None:
    # p5.48xlarge: 3,200 Gbps of EFA networking = 400 GB/s
    v = verdict(kind="spec", instance="p5.48xlarge", quantity="network_bandwidth", value=value)
    assert v.status == "holds"


def test_vendor_label_holds_with_a_note_on_the_physical_figure() -> None:
    # inf2.48xlarge: 12 x 32 GiB = 384 GiB = 412.3 GB. AWS labels it "384 GB": the
    # label read as AWS means it (GB for GiB) matches; the note gives 412.3 GB.
    assert 12 * 32 * GIB / 1e9 == pytest.approx(412.32, abs=0.01)
    v = verdict(
        kind="spec", instance="inf2.48xlarge", quantity="accelerator_memory_total", value="384 GB"
    )
    assert v.status == "holds"
    assert v.assumptions["reading"] == "vendor label"
    assert "412.3 GB" in v.explanation and "384 GiB" in v.explanation
    assert "AWS" in v.explanation
    for value in ("384 GiB", "412 GB"):  # the physical figure, in either unit
        ok = verdict(
            kind="spec", instance="inf2.48xlarge", quantity="accelerator_memory_total", value=value
        )
        assert ok.status == "holds" and ok.assumptions["reading"] == "as written"


def test_nvidia_label_is_read_the_same_way() -> None:
    # H100 "80 GB" is an 80 GiB HBM3 package (79.65 GiB usable): "80 GB" and "85.9 GB"
    # (= 80 GiB) both hold; 75 GB matches neither reading (-6% / -13%)
    for value, status in (("80 GB", "holds"), ("85.9 GB", "holds"), ("75 GB", "fails")):
        v = verdict(
            kind="spec",
            instance="p5.48xlarge",
            quantity="accelerator_memory_per_device",
            value=value,
        )
        assert v.status == status, value


def test_neuron_bandwidth_label() -> None:
    # Neuron docs print Inferentia2's 820 GB/s as "820 GiB/s" (AWS's 9.8 TB/s = 12 x 820 GB/s)
    v = verdict(
        kind="spec",
        instance="inf2.xlarge",
        quantity="memory_bandwidth_per_device",
        value="820 GiB/s",
    )
    assert v.status == "holds" and v.assumptions["reading"] == "vendor label"


def test_a_figure_matching_neither_reading_fails() -> None:
    # 350 GB against 412.3 GB physical (-15%) and 384 "GB" as labelled (-8.9%)
    v = verdict(
        kind="spec", instance="inf2.48xlarge", quantity="accelerator_memory_total", value="350 GB"
    )
    assert v.status == "fails"


def test_spec_over_an_instance_range() -> None:
    # 20 EFLOPS of dense BF16 over p5.48xlarge (7.912 PF each): 2,528 instances exactly,
    # within 5% from 2,402 to 2,654
    assert 20e18 / (8 * 989e12) == pytest.approx(2527.8, abs=0.1)
    v = verdict(
        kind="spec",
        instance="p5.48xlarge",
        instances=[1, 3000],
        quantity="dense_flops_bf16_total",
        value="20 EFLOPS",
    )
    assert v.status == "depends"
    assert v.numbers["instances matching"] == "2,402–2,654"
    assert (
        verdict(
            kind="spec",
            instance="p5.48xlarge",
            quantity="accelerator_count",
            value=16,
            instances=2,
        ).status
        == "holds"
    )
    with pytest.raises(ClaimError, match="per-device"):
        verdict(
            kind="spec",
            instance="p5.48xlarge",
            quantity="memory_bandwidth_per_device",
            value="3.35 TB/s",
            instances=2,
        )


def test_spec_tolerance() -> None:
    # p5.48xlarge: 8 x 989 TFLOPS = 7.912 PFLOPS dense BF16; "8 PFLOPS" is 1.1% off
    kw = {"kind": "spec", "instance": "p5.48xlarge", "quantity": "dense_flops_bf16_total"}
    assert verdict(**kw, value="8 PFLOPS").status == "holds"
    assert verdict(**kw, value="8 PFLOPS", tolerance="0.5%").status == "fails"
    # an absolute tolerance in the quantity's unit: |7.912 - 8| = 0.088 PF
    assert verdict(**kw, value="8 PFLOPS", tolerance="0.1 PFLOPS").status == "holds"
    assert verdict(**kw, value="8 PFLOPS", tolerance="0.05 PFLOPS").status == "fails"


def test_sparse_flops_and_nodes() -> None:
    # Trn2 UltraServer: Neuron lists 2,563 sparse TFLOPS per Trainium2: 64 x 2,563 = 164 PF,
    # half of the report's 332 PF. H100 2:4 sparsity doubles dense FP8: 2 x 1,979 TFLOPS.
    sparse = verdict(
        kind="spec", instance="u-trn2x64", quantity="sparse_flops_fp8_total", value="332 PFLOPS"
    )
    assert sparse.status == "fails" and "164" in sparse.explanation
    h100 = verdict(
        kind="spec",
        instance="p5.48xlarge",
        quantity="sparse_flops_fp8_per_device",
        value="3958 TFLOPS",
    )
    assert h100.status == "holds"
    # "64 Trainium2 chips in a single node": the UltraServer is 4 trn2u.48xlarge nodes
    assert verdict(kind="spec", instance="u-trn2x64", quantity="nodes", value=1).status == "fails"


def test_spec_bare_number_needs_a_unit() -> None:
    kw = {"kind": "spec", "instance": "trn2.48xlarge", "quantity": "accelerator_memory_total"}
    for value in (1536, "1536"):
        with pytest.raises(ClaimError, match="needs a unit"):
            verdict(**kw, value=value)


def test_spec_rate_where_a_size_is_meant() -> None:
    with pytest.raises(ClaimError, match="dimension") as e:
        verdict(
            kind="spec",
            instance="trn2.48xlarge",
            quantity="accelerator_memory_total",
            value="1.5 TB/s",
        )
    assert "GiB" in str(e.value)


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"instance": "p5e.48xlarg", "quantity": "accelerator_count", "value": 8}, "p5e.48xlarge"),
        ({"instance": "p5.48xlarge", "quantity": "hbm_total", "value": "640 GB"}, "hbm_total"),
        (
            {"instance": "p5.48xlarge", "quantity": "accelerator_memory_total", "value": "lots"},
            "not a quantity",
        ),
        (
            {"instance": "p5.48xlarge", "quantity": "accelerator_memory_total", "value": "-640 GB"},
            "positive",
        ),
        (
            {"instance": "p5.48xlarge", "quantity": "dense_flops_fp4_total", "value": "1 PFLOPS"},
            "fp4",
        ),
    ],
)
def test_spec_errors(kw: dict[str, object], match: str) -> None:
    with pytest.raises(ClaimError, match=match):
        verdict(kind="spec", **kw)


def test_missing_field_is_a_schema_error() -> None:
    with pytest.raises(ValueError, match="quantity"):
        Claim(id="c", kind="spec", instance="p5.48xlarge", value="640 GB")


# ---------------------------------------------------------------------- ratio
def test_gqa_kv_reduction_of_llama_70b() -> None:
    # 8 KV heads instead of 64: 1 - 8/64 = 87.5% at every context
    kw = {"kind": "ratio", "model": "llama-3.1-70b", "quantity": "kv_cache_reduction"}
    v = verdict(**kw, baseline="mha", value="87.5%")
    assert v.status == "holds"
    assert all(x == "87.5%" for k, x in v.numbers.items() if k.startswith("kv_cache"))
    assert verdict(**kw, baseline="mha", value="75%").status == "fails"


def test_mla_kv_reduction_of_deepseek_v3() -> None:
    # MLA latent 512 + 64 = 576 values per layer vs MHA 128 heads x (192 + 128) = 40,960:
    # 1 - 576 / 40960 = 98.59%
    expected = 1 - 576 / 40960
    assert expected == pytest.approx(0.9859, abs=1e-4)
    v = verdict(
        kind="ratio",
        model="deepseek-v3",
        quantity="kv_cache_reduction",
        baseline="mha",
        value=f"{expected:.2%}",
        context=32768,
        tolerance="0.1%",
    )
    assert v.status == "holds"
    assert list(v.numbers) == ["kv_cache_reduction @ 32,768", "claimed"]


def test_ratio_context_omitted_checks_a_range() -> None:
    # Gemma 3 27B: 10 global layers of 62, 52 sliding with a 1024 window. Saving vs all
    # full attention = 1 - (10 C + 52 min(C, 1024)) / (62 C): 62.9% at 4k, 81.25% at 32k.
    def saving(c: int) -> float:
        return 1 - (10 * c + 52 * min(c, 1024)) / (62 * c)

    assert saving(32768) == pytest.approx(0.8125)
    kw = {"kind": "ratio", "model": "gemma-3-27b", "quantity": "kv_cache_reduction"}
    v = verdict(**kw, baseline="full", value="75%")
    assert v.status == "depends"
    contexts = v.assumptions["contexts"]
    assert len(contexts) > 1 and 32768 in contexts
    for c in contexts:
        assert v.numbers[f"kv_cache_reduction @ {c:,}"] == f"{saving(c):.1%}"
    assert verdict(**kw, baseline="full", value="81.25%", context=32768).status == "holds"


def test_ratio_relation_at_most() -> None:
    # gpt-oss-120b alternates 128-token windows and full layers: savings stay below 50%
    v = verdict(
        kind="ratio",
        model="gpt-oss-120b",
        quantity="kv_cache_reduction",
        baseline="full",
        value="50%",
        relation="at_most",
        tolerance=0,
    )
    assert v.status == "holds"


def test_active_parameter_fraction() -> None:
    # Mixtral 8x7B: 12.9B active of 46.7B (Mistral's announcement) = 27.6%
    v = verdict(
        kind="ratio",
        model="mixtral-8x7b",
        quantity="active_parameter_fraction",
        value=f"{12.9 / 46.7:.1%}",
    )
    assert v.status == "holds"


def test_parameter_ratio_between_models() -> None:
    # Llama 3.1 405B / 70B: 405.85 / 70.55 = 5.75x; "6x" is 4.1% off, inside 5%
    v = verdict(
        kind="ratio",
        model="llama-3.1-405b",
        baseline="llama-3.1-70b",
        quantity="parameter_ratio",
        value="6x",
    )
    assert v.status == "holds" and v.numbers["ratio"] == "5.75x"


def test_gqa_attention_flops_reduction() -> None:
    # Llama-3.1-70B per decoded token and layer: projections 2 (2 * 8192^2 + 2 * 8192 * 1024)
    # = 301,989,888 FLOPs (MHA: 2 * 4 * 8192^2 = 536,870,912); scores 32,768 L in both.
    def reduction(length: int) -> float:
        return 1 - (301_989_888 + 32_768 * length) / (536_870_912 + 32_768 * length)

    assert reduction(4096) == pytest.approx(0.35, abs=1e-3)
    v = verdict(
        kind="ratio",
        model="llama-3.1-70b",
        baseline="mha",
        quantity="attention_flops_reduction",
        value="32.5%",
        tolerance="7.5%",
    )
    assert v.status == "depends"
    for c in v.assumptions["contexts"]:
        assert v.numbers[f"attention_flops_reduction @ {c:,}"] == f"{reduction(c):.1%}"


def test_instance_ratio() -> None:
    # p5e vs p5 HBM: 8 x 141 GB / 8 x 80 GB = 1.7625; H200 vs H100 bandwidth: 4.8 / 3.35 = 1.43
    kw = {"kind": "ratio", "instance": "p5e.48xlarge", "baseline_instance": "p5.48xlarge"}
    assert verdict(**kw, quantity="accelerator_memory_total", value="1.76x").status == "holds"
    assert verdict(**kw, quantity="memory_bandwidth_total", value="2x").status == "fails"


def test_unknown_ratio_quantity() -> None:
    with pytest.raises(ClaimError, match="kv_cache_reduction"):
        verdict(kind="ratio", model="llama-3.1-8b", quantity="speedup", value="2x")


# ------------------------------------------------------------------ reported
def test_reported_kv_reduction_reproduces_deepseek_v2() -> None:
    # DeepSeek-V2 paper: MLA (512 + 64) x 60 layers at ~6 bits against DeepSeek 67B's
    # 2 x 95 layers x 8 KV heads x 128 in bf16: 34,560 x 6 / (194,560 x 16) = 6.66%,
    # a 93.3% reduction (arXiv:2405.04434 section 3.2.3)
    assert 1 - 34_560 * 6 / (194_560 * 16) == pytest.approx(0.9334, abs=1e-4)
    root = Path(__file__).resolve().parents[1] / "claims"
    v = check(
        Claim(
            id="v2",
            kind="reported",
            model="deepseek-v2",
            baseline=str(root / "models" / "deepseek-llm-67b-base.json"),
            quantity="kv_cache_reduction",
            kv=6,
            baseline_kv="bf16",
            value="93.3%",
        )
    )
    assert v.status == "holds"
    assert all(x == "93.3%" for k, x in v.numbers.items() if k.startswith("kv_cache"))


def test_reported_needs_both_kv_widths() -> None:
    with pytest.raises(ValueError, match="baseline_kv"):
        Claim(
            id="v2",
            kind="reported",
            model="deepseek-v2",
            baseline="llama-3.1-70b",
            quantity="kv_cache_reduction",
            value="93.3%",
        )


# ------------------------------------------------------- architecture, memory
@pytest.mark.parametrize(
    ("model", "quantity", "value", "status"),
    [
        ("deepseek-v3", "routed_experts", 256, "holds"),  # n_routed_experts: 256
        ("deepseek-v3", "active_experts", 9, "holds"),  # 8 routed + 1 shared per token
        ("deepseek-v3", "attention", "MLA", "holds"),
        ("deepseek-v3", "total_params", "671B", "holds"),  # 671.03e9
        ("gemma-3-27b", "window_ratio", "5:1", "holds"),  # 52 sliding : 10 global = 5.2
        ("gemma-3-27b", "sliding_window", 1024, "holds"),
        ("olmo-2-13b", "attention", "multi-head attention", "holds"),  # 40 Q / 40 KV heads
        ("olmo-2-32b", "attention", "MHA", "fails"),  # 40 Q / 8 KV heads: GQA
        ("llama-3.1-70b", "kv_heads", 8, "holds"),
    ],
)
def test_architecture_facts(model: str, quantity: str, value: Any, status: str) -> None:
    v = verdict(kind="architecture", model=model, quantity=quantity, value=value)
    assert v.status == status


def test_architecture_over_a_family() -> None:
    v = verdict(
        kind="architecture", model=["olmo-2-13b", "olmo-2-32b"], quantity="attention", value="MHA"
    )
    assert v.status == "depends" and "olmo-2-13b only" in v.explanation


def test_weights_of_a_bare_parameter_count() -> None:
    # review item 1: 20B parameters at bfloat16 = 20e9 x 2 B = 40 GB (37.25 GiB)
    v = verdict(
        kind="memory", quantity="weights", params="20B", workload={"weights": "bf16"}, value="40 GB"
    )
    assert v.status == "holds" and "37.25 GiB" in v.explanation
    with pytest.raises(ClaimError, match="ambiguous"):
        verdict(kind="memory", quantity="weights", params=20, value="40 GB")


def test_service_limits() -> None:
    # Lambda: at most 10,240 MB (MiB) of memory; "10 GB" is AWS's own shorthand (10 GiB)
    kw = {"kind": "service_limit", "service": "lambda"}
    assert verdict(**kw, quantity="max_memory", value="10 GB").status == "holds"
    assert verdict(**kw, quantity="max_memory", value="16 GB").status == "fails"
    # Gemma 3 27B weights: 50.5 GiB bf16, 15.2 GiB int4: none fits 10 GiB
    v = verdict(**kw, quantity="fits_model", model="gemma-3-27b")
    assert v.status == "fails"


# ----------------------------------------------------------------------- cost
# Llama-3.1-8B bf16 on p5.4xlarge ($6.88/h): at batch 1 a step reads ~16.2 GB, so
# 3.35 TB/s x 0.7 gives ~145 tokens/s. No batch can beat the compute roof,
# 989e12 / (2 x 7.5e9) = 66,000 tokens/s.
COST = {"kind": "cost", "model": "llama-3.1-8b", "instance": "p5.4xlarge"}


def test_cost_below_the_physical_roofline_fails() -> None:
    usd = 0.01  # implies 6.88 / 3600 / 1e-8 = 191,111 tokens/s > 66,000
    assert 6.88 / 3600 / (usd / 1e6) > 989e12 / (2 * 7.5e9)
    v = verdict(**COST, usd_per_million_tokens=usd, workload={"weights": "bf16"})
    assert v.status == "fails"
    assert v.numbers["implied throughput"].to("token/s").magnitude == pytest.approx(
        6.88 / 3600 / (usd / 1e6)
    )


def test_cost_holds_when_one_sequence_suffices() -> None:
    # $100 per 1M needs 6.88 / 3600 / 1e-4 = 19 tokens/s, well under ~145, in every format
    v = verdict(**COST, usd_per_million_tokens=100)
    assert v.status == "holds"
    assert v.assumptions["weights tried"] == "bf16, fp8, int8, int4"


def test_cost_in_between_depends_on_batch() -> None:
    # $1 per 1M needs 1,911 tokens/s: more than one sequence, less than the roof
    v = verdict(**COST, usd_per_million_tokens=1.0, workload={"weights": "bf16"})
    assert v.status == "depends"
    assert isinstance(v.numbers["batch needed"], int) and v.numbers["batch needed"] > 1


def test_cost_explores_weight_formats() -> None:
    # Qwen3-30B-A3B on one inf2.xlarge: only int4 (15.5 GiB) fits the 27.8 GiB budget
    v = verdict(
        kind="cost", model="qwen3-30b-a3b", instance="inf2.xlarge", usd_per_million_tokens=2.5
    )
    assert v.status == "depends"
    assert "holds with int4 weights" in v.explanation


def test_cost_without_public_price_depends() -> None:
    v = verdict(
        kind="cost", model="llama-3.1-8b", instance="p5e.48xlarge", usd_per_million_tokens=1.0
    )
    assert v.status == "depends"
    assert "no public" in v.explanation


def test_cost_where_the_model_does_not_fit_fails() -> None:
    # Llama-3.1-405B (201 GiB even at int4) on one 24 GB L4
    v = verdict(
        kind="cost", model="llama-3.1-405b", instance="g6.xlarge", usd_per_million_tokens=1.0
    )
    assert v.status == "fails"
    assert "does not fit" in v.explanation


def test_cost_needs_a_positive_price() -> None:
    with pytest.raises(ValueError, match="usd_per_million_tokens"):
        Claim(id="c", **COST)
    with pytest.raises(ClaimError, match="usd_per_million_tokens"):
        verdict(**COST, usd_per_million_tokens=-1.0)


# ------------------------------------------------------------------- training
def test_trillion_parameter_training_on_one_trn2_ultraserver_fails() -> None:
    # bf16 AdamW mixed precision keeps 16 bytes per parameter: 1e12 x 16 = 16 TB, against
    # 64 x 96 GiB = 6 TiB = 6.6 TB of HBM in a Trn2 UltraServer
    assert 1e12 * 16 > 64 * 96 * GIB
    v = verdict(kind="training", params="1T", instance="u-trn2x64", instances=1)
    assert v.status == "fails"
    assert math.ceil(1e12 * 16 / (64 * 96 * GIB)) == 3
    assert v.numbers["min_instances"] == 3


def test_training_params_are_counts_not_billions() -> None:
    # 1,000,000,000,000 is one trillion, never 1e21
    v = verdict(kind="training", params=10**12, instance="u-trn2x64", instances=1)
    assert v.numbers["min_instances"] == 3


def test_training_needs_model_or_params() -> None:
    with pytest.raises(ValueError, match="params"):
        Claim(id="c", kind="training", instance="u-trn2x64")


# --------------------------------------------------------- value readers
@pytest.mark.parametrize(
    ("text", "gib"),
    [("1.5 TiB", 1536), ("1,536 GiB", 1536), ("1610.6 GB", 1500.0), (" 32 GiB ", 32)],
)
def test_parse_quantity(text: str, gib: float) -> None:
    assert parse_quantity(text, "x", unit="GiB").to("GiB").magnitude == pytest.approx(gib, 1e-3)


@pytest.mark.parametrize(
    "text", ["9**9**9 GB", "10**400 GB", "2 * 3 GB", "1e400 GB", "0 GB", "GB", "3 GB GB", "x" * 65]
)
def test_parse_quantity_refuses_expressions_and_nonsense(text: str) -> None:
    t0 = time.perf_counter()
    with pytest.raises(ClaimError):
        parse_quantity(text, "x", unit="GiB")
    assert time.perf_counter() - t0 < 0.1


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789.,eE+-*/^() GiBTbpsKMP%x", max_size=40))
def test_parse_quantity_never_hangs_or_returns_nonsense(text: str) -> None:
    try:
        q = parse_quantity(text, "x")
    except ClaimError as e:
        assert "\n" not in str(e)
        return
    assert math.isfinite(float(q.magnitude)) and q.magnitude > 0


def test_fraction_and_factor_readers() -> None:
    assert parse_fraction("93%", "x") == pytest.approx(0.93)
    assert parse_factor("4.4x", "x") == 4.4 and parse_factor("150%", "x") == 1.5
    with pytest.warns(DeprecationWarning, match="93%"):
        assert parse_fraction(0.93, "x") == 0.93
    with pytest.raises(ClaimError, match="ambiguous"):
        parse_fraction(84, "x")


def test_tolerance_reader() -> None:
    assert parse_tolerance("5%", "x", 0.1).value == pytest.approx(0.05)
    assert parse_tolerance(0, "x", 0.1).value == 0
    with pytest.warns(DeprecationWarning):
        assert parse_tolerance(0.05, "x", 0.1).value == 0.05
    with pytest.raises(ClaimError, match="ambiguous"):
        parse_tolerance(5, "x", 0.1)
    with pytest.raises(ClaimError, match="negative"):
        parse_tolerance("-5%", "x", 0.1)


@pytest.mark.parametrize(
    ("value", "count"),
    [("70B", 70e9), ("1.2T", 1.2e12), ("700M", 700e6), (70_000_000_000, 70e9), ("1e12", 1e12)],
)
def test_params_reader(value: Any, count: float) -> None:
    assert parse_params(value, "x") == pytest.approx(count)


@pytest.mark.parametrize("value", [70, "70", 1.5, "70 GB", -1, "lots"])
def test_params_reader_refuses(value: Any) -> None:
    with pytest.raises(ClaimError):
        parse_params(value, "x")


# ------------------------------------------------------- strict YAML reading
SPEC_OK = """\
  - id: {id}
    kind: spec
    instance: inf2.xlarge
    quantity: accelerator_count
    value: 1
    expect: holds
"""
SPEC_MEM = """\
llmsizing: claims/1
claims:
  - id: mem
    kind: spec
    instance: inf2.48xlarge
    quantity: accelerator_memory_total
    value: 384 GiB
"""


def _check_error(path: Path, *fragments: str) -> str:
    with pytest.raises(ClaimError) as e:
        for c in load_claims(path):
            check(c)
    msg = str(e.value)
    assert "\n" not in msg
    for f in fragments:
        assert f in msg, (f, msg)
    return msg


def test_bare_tolerance_of_one_or_more_is_ambiguous(tmp_path: Path) -> None:
    # tolerance: 5 used to mean 500%
    p = write(tmp_path, SPEC_MEM + "    tolerance: 5\n")
    _check_error(p, f"{p}:3 (mem; tolerance on line 8)", "tolerance 5 is ambiguous", "'5%'")


def test_bare_fractional_tolerance_is_deprecated(tmp_path: Path) -> None:
    p = write(tmp_path, SPEC_MEM + "    tolerance: 0.05\n")
    (c,) = load_claims(p)
    with pytest.warns(DeprecationWarning, match="'5%'"):
        assert check(c).status == "holds"


def test_bare_percentage_value_is_ambiguous(tmp_path: Path) -> None:
    # value: 84 for a percentage used to mean 8,400%
    p = write(
        tmp_path,
        HEADER + "claims:\n  - id: moe\n    kind: ratio\n    model: llama-4-scout\n"
        "    quantity: parameter_reduction\n    value: 84\n",
    )
    _check_error(p, f"{p}:3 (moe; value on line 7)", "value 84 is ambiguous", "'84%'")


def test_params_count_is_not_multiplied_again(tmp_path: Path) -> None:
    body = HEADER + "claims:\n  - id: t\n    kind: training\n    instance: u-trn2x64\n"
    (c,) = load_claims(write(tmp_path, body + "    params: 1000000000000\n"))
    assert check(c).numbers["min_instances"] == 3  # 1e12 x 16 B over 6 TiB: not 1e21
    p = write(tmp_path, body + "    params: 70\n", "b.yaml")
    _check_error(p, f"{p}:3 (t; params on line 6)", "params 70 is ambiguous", "'70B'")


def test_instances_range_is_read_as_a_range(tmp_path: Path) -> None:
    # instances: [4, 8] used to be read as 1
    p = write(
        tmp_path,
        HEADER + "claims:\n  - id: f\n    kind: fit\n    model: deepseek-v3\n"
        "    instance: p5.48xlarge\n    instances: [1, 4]\n"
        "    workload: {weights: fp8, kv: bf16, context: 4096}\n",
    )
    (c,) = load_claims(p)
    assert c.instances == (1, 4)
    assert check(c).status == "depends"
    for bad, what in (("[4, 1]", "lo > hi"), ("[1, 2, 3]", "[lo, hi]"), ("[0, 4]", "from 1")):
        q = write(tmp_path, p.read_text().replace("[1, 4]", bad), "bad.yaml")
        with pytest.raises(ClaimError, match=re.escape(what)) as e:
            load_claims(q)
        assert f"{q}:7" in str(e.value) and "'instances'" in str(e.value)


def test_defaults_apply_to_every_claim(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        HEADER
        + "defaults:\n  workload: {kv: bf16, context: 4096}\n  expect: fails\n"
        + "claims:\n"
        + "  - {id: a, kind: fit, model: qwen3-235b-a22b, instance: inf2.8xlarge}\n"
        + "  - {id: b, kind: fit, model: llama-3.1-8b, instance: p5.4xlarge,"
        + " workload: {weights: bf16}, expect: holds}\n"
        + "  - {id: c, kind: spec, instance: inf2.xlarge, quantity: vcpus, value: 4,"
        + " expect: holds}\n",
    )
    a, b, c = load_claims(p)
    assert a.workload is not None and a.workload.kv == "bf16" and a.expect == "fails"
    assert b.workload is not None and b.workload.weights == "bf16" and b.workload.context == 4096
    assert b.expect == "holds"
    assert not hasattr(c, "workload")  # a spec claim has no workload: not applied
    assert [v.matches for v in check_files([p])] == [True, True, True]


def test_defaults_with_an_unknown_field(tmp_path: Path) -> None:
    p = write(tmp_path, HEADER + "defaults:\n  colour: blue\nclaims:\n" + SPEC_OK.format(id="a"))
    with pytest.raises(ClaimError, match=r":3: defaults: 'colour'"):
        load_claims(p)


def test_duplicate_top_level_key(tmp_path: Path) -> None:
    # a second claims: used to drop the first list
    p = write(tmp_path, "claims:\n" + SPEC_OK.format(id="a") + "claims:\n" + SPEC_OK.format(id="b"))
    with pytest.raises(ClaimError, match=r":8: duplicate key 'claims' \(first on line 1\)"):
        load_claims(p)


def test_duplicate_nested_key(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "claims:\n  - id: f\n    kind: fit\n    model: llama-3.1-8b\n    instance: p5.4xlarge\n"
        "    workload:\n      kv: bf16\n      kv: fp8\n",
    )
    with pytest.raises(ClaimError, match=r":8: duplicate key 'kv'"):
        load_claims(p)


def test_empty_claim_list(tmp_path: Path) -> None:
    with pytest.raises(ClaimError, match=r":2: the 'claims' list is empty"):
        load_claims(write(tmp_path, HEADER + "claims: []\n"))


def test_kv_bit_width_in_a_file(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "claims:\n  - id: f\n    kind: fit\n    model: llama-3.1-8b\n    instance: p5.4xlarge\n"
        "    workload: {kv: 8, weights: bf16, context: 4096}\n",
    )
    (c,) = load_claims(p)
    assert c.workload is not None and c.workload.kv == 8.0
    assert check(c).status == "holds"


@pytest.mark.parametrize("value", ["9**9**9 GB", "9e999 GB", "(1+2) GB"])
def test_quantity_expression_in_a_file_is_refused_fast(tmp_path: Path, value: str) -> None:
    p = write(tmp_path, SPEC_MEM.replace("384 GiB", f'"{value}"'))
    t0 = time.perf_counter()
    _check_error(p, f"{p}:3 (mem; value on line 7)", "value")
    assert time.perf_counter() - t0 < 2


@pytest.mark.parametrize(
    "body",
    [
        "claims: " + "[" * 8000 + "]" * 8000 + "\n",  # flow nesting: quadratic in PyYAML
        "claims: " + "[" * 16000 + "\n",  # unclosed
        "claims:\n" + "".join("  " * i + "- \n" for i in range(1, 60)),  # block nesting
        "claims:\n  - " + "- " * 5000 + "x\n",  # compact block sequences
        "claims:\n  - {id: a, kind: fit, workload: " + "{a: " * 3000 + "1" + "}" * 3001 + "\n",
    ],
    ids=["flow", "unclosed", "block", "compact", "mapping"],
)
def test_deep_nesting_is_refused_fast(tmp_path: Path, body: str) -> None:
    p = write(tmp_path, body)
    t0 = time.perf_counter()
    with pytest.raises(ClaimError, match=r"nested deeper|invalid YAML"):
        load_claims(p)
    assert time.perf_counter() - t0 < 2


def test_load_claims_with_line_numbers(tmp_path: Path) -> None:
    p = write(tmp_path, "claims:\n" + SPEC_OK.format(id="a") + SPEC_OK.format(id="b"))
    claims = load_claims(p)
    assert [c.id for c in claims] == ["a", "b"]
    assert [c.line for c in claims] == [2, 8]
    assert claims[1].where() == f"{p}:8 (b)"
    assert claims[1].where("value") == f"{p}:8 (b; value on line 12)"


def test_schema_error_names_file_line_and_field(tmp_path: Path) -> None:
    text = (
        "claims:\n"
        + SPEC_OK.format(id="a")
        + SPEC_OK.format(id="b").replace("    value: 1\n", "    value: 1\n    colour: blue\n")
    )
    p = write(tmp_path, text)
    with pytest.raises(ClaimError) as e:
        load_claims(p)
    msg = str(e.value)
    assert f"{p}:13" in msg  # the line of the unknown key (claim b starts on line 8)
    assert "'colour'" in msg and "'b'" in msg


def test_reserved_fields_cannot_be_set(tmp_path: Path) -> None:
    p = write(tmp_path, "claims:\n" + SPEC_OK.format(id="a") + "    line: 99\n")
    with pytest.raises(ClaimError, match=r":8: 'line' is set by the loader"):
        load_claims(p)


def test_bad_kind_names_the_line(tmp_path: Path) -> None:
    p = write(tmp_path, "claims:\n" + SPEC_OK.format(id="a").replace("kind: spec", "kind: size"))
    with pytest.raises(ClaimError, match=r":3: .*'kind'"):
        load_claims(p)


def test_duplicate_id(tmp_path: Path) -> None:
    p = write(tmp_path, "claims:\n" + SPEC_OK.format(id="a") + SPEC_OK.format(id="a"))
    with pytest.raises(ClaimError, match=r":8: duplicate claim id 'a' \(first on line 2\)"):
        load_claims(p)


def test_duplicate_key(tmp_path: Path) -> None:
    p = write(tmp_path, "claims:\n" + SPEC_OK.format(id="a") + "    value: 2\n")
    with pytest.raises(ClaimError, match="duplicate key 'value'"):
        load_claims(p)


def test_python_tags_are_rejected(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    p = write(
        tmp_path,
        "claims:\n"
        + SPEC_OK.format(id="a").replace(
            "instance: inf2.xlarge",
            f'instance: !!python/object/apply:os.system ["touch {marker}"]',
        ),
    )
    with pytest.raises(ClaimError, match=r":4: YAML tag '!!python/object/apply"):
        load_claims(p)
    assert not marker.exists()


def test_custom_tags_are_rejected(tmp_path: Path) -> None:
    p = write(tmp_path, "claims:\n" + SPEC_OK.format(id="a").replace("value: 1", "value: !q 1"))
    with pytest.raises(ClaimError, match="tag"):
        load_claims(p)


def test_anchors_and_aliases_are_rejected(tmp_path: Path) -> None:
    # an alias can repeat a node exponentially ("billion laughs"); both are refused
    p = write(tmp_path, "claims:\n  - &c\n" + SPEC_OK.format(id="a")[4:] + "  - *c\n")
    with pytest.raises(ClaimError, match=r"(anchor|alias)"):
        load_claims(p)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", "empty"),
        ("# only a comment\n", "empty"),
        ("- id: a\n", "mapping"),
        ("claims: 3\n", "'claims' list"),
        ("other: []\n", "unknown top-level"),
        ("llmsizing: claims/2\nclaims: []\n", "reads 'claims/1'"),
        ("claims:\n  - [1, 2]\n", "mapping"),
        ("claims:\n  - id: a\n    kind: [unclosed\n", "invalid YAML"),
    ],
)
def test_malformed_files(tmp_path: Path, text: str, match: str) -> None:
    with pytest.raises(ClaimError, match=match):
        load_claims(write(tmp_path, text))


def test_huge_file_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "claims.yaml"
    p.write_text("claims: []\n" + "#" * 3_000_000 + "\n")
    with pytest.raises(ClaimError, match="limit"):
        load_claims(p)


def test_unreadable_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(ClaimError, match="cannot read"):
        load_claims(tmp_path / "missing.yaml")
    p = tmp_path / "claims.yaml"
    p.write_bytes(b"claims:\n  - id: \xff\xfe\n")
    with pytest.raises(ClaimError, match="UTF-8"):
        load_claims(p)


def test_model_config_path_relative_to_the_claim_file(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1] / "claims"
    (tmp_path / "m.json").write_text((root / "models" / "deepseek-llm-67b-base.json").read_text())
    p = write(
        tmp_path,
        "claims:\n  - id: a\n    kind: architecture\n    model: m.json\n"
        "    quantity: layers\n    value: 95\n",
    )
    assert check_files([p])[0].status == "holds"


# ----------------------------------------------------------- report formats
MIXED = """\
llmsizing: claims/1
claims:
  - id: trn2-total
    text: "1.5 TiB of HBM per trn2.48xlarge"
    source: "report | table"
    kind: spec
    instance: trn2.48xlarge
    quantity: accelerator_memory_total
    value: 1.5 TiB
    expect: holds
  - id: inf2-350gb
    text: "350 GB on inf2.48xlarge"
    kind: spec
    instance: inf2.48xlarge
    quantity: accelerator_memory_total
    value: 350 GB
    expect: holds
  - id: gemma-swa
    text: "SWA saves 75%"
    kind: ratio
    model: gemma-3-27b
    quantity: kv_cache_reduction
    baseline: full
    value: 75%
    expect: depends
"""


@pytest.fixture
def mixed_file(tmp_path: Path) -> Path:
    return write(tmp_path, MIXED)


def test_check_files_and_markdown(mixed_file: Path) -> None:
    vs = check_files([mixed_file])
    assert [v.status for v in vs] == ["holds", "fails", "depends"]
    assert [v.matches for v in vs] == [True, False, True]
    md = format_verdicts(vs, "markdown").splitlines()
    assert md[0] == "| # | Claim | Verdict | Key numbers | Explanation |"
    assert set(md[1].replace("|", "")) == {"-"}
    assert len(md) == 2 + 3
    assert "[+] holds" in md[2] and "[-] fails" in md[3] and "[/] depends" in md[4]
    assert "(expected holds)" in md[3]
    # a "|" inside a cell is escaped, so every row keeps 5 columns
    assert "report \\| table" in md[2]
    for row in md[2:]:
        assert len(re.findall(r"(?<!\\)\|", row)) == 6


def test_table_and_json_formats(mixed_file: Path) -> None:
    vs = check_files([mixed_file])
    table = format_verdicts(vs, "table")
    assert "<-- expected holds" in table
    assert table.splitlines()[-1] == "3 claims, 2 as expected, 1 not"
    data = json.loads(format_verdicts(vs, "json"))
    assert [d["id"] for d in data] == ["trn2-total", "inf2-350gb", "gemma-swa"]
    assert [d["matches"] for d in data] == [True, False, True]


def test_verdict_frame(mixed_file: Path) -> None:
    df = verdict_frame(check_files([mixed_file]))
    assert list(df.columns) == [
        "id",
        "claim",
        "verdict",
        "expect",
        "matches",
        "numbers",
        "explanation",
    ]
    assert df.verdict.tolist() == ["[+] holds", "[-] fails", "[/] depends"]


def test_cli_check_reads_files_without_the_header(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = write(tmp_path, MIXED.replace(HEADER, ""), "anything.yaml")
    assert not has_claims_header(p)
    code = cli.main(["check", str(p), "--format", "json"])
    assert code == 1  # one claim does not match its expect
    data = json.loads(capsys.readouterr().out)
    assert {d["status"] for d in data} == {"holds", "fails", "depends"}


# ----------------------------------------------------------- pytest plugin
PLUGIN_FILE = """\
llmsizing: claims/1
claims:
  - id: trn2-holds
    text: "1.5 TiB per trn2.48xlarge"
    kind: spec
    instance: trn2.48xlarge
    quantity: accelerator_memory_total
    value: 1.5 TiB
    expect: holds
  - id: inf2-mismatch
    text: "350 GB on inf2.48xlarge"
    kind: spec
    instance: inf2.48xlarge
    quantity: accelerator_memory_total
    value: 350 GB
    expect: holds
"""


def test_plugin_runs_each_claim_as_a_test(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", report=PLUGIN_FILE)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*claim 'inf2-mismatch'*",
            "*expected: holds*",
            "*verdict:  fails*",
            "*computed: 412.3 GB*",
            "*claimed: 350 GB*",
        ]
    )
    assert "trn2-holds" not in "\n".join(
        line for line in result.outlines if line.startswith("FAILED")
    )


def test_plugin_collects_only_files_with_the_header(pytester: pytest.Pytester) -> None:
    d = pytester.mkdir("claims")
    (d / "report.yaml").write_text(PLUGIN_FILE.split("  - id: inf2-mismatch")[0])
    # another project's claims folder and YAML files: not claim files, not collected
    (d / "insurance.yaml").write_text("claims:\n  - policy: 42\n    amount: 100 EUR\n")
    (pytester.path / "claims_config.yaml").write_text("claims: [1, 2]\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*claims/report.yaml::trn2-holds PASSED*"])


def test_plugin_reports_a_malformed_file(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", bad=HEADER + "claims:\n  - id: a\n    kind: nonsense\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*bad.yaml:4*kind*"])


def test_plugin_reports_a_claim_error_on_its_item(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", one=SPEC_MEM + "    tolerance: 5\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*tolerance 5 is ambiguous*"])


# ----------------------------------------------------------- the report file
REPORT = Path(__file__).resolve().parents[1] / "claims" / "report.yaml"


def test_report_file_names_itself_and_every_claim_matches() -> None:
    assert has_claims_header(REPORT)
    vs = check_files([REPORT])
    assert len(vs) >= 90
    assert [v.claim.id for v in vs if not v.matches] == []
    kinds = {v.claim.kind for v in vs}
    assert kinds == set(CLAIM_TYPES)
