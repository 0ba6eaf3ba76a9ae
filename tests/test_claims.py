"""Claim checking: every claim kind, YAML loading, the pytest plugin, the report formats.

Expected verdicts follow from hand arithmetic on published figures (sources in
comments), not from the checker's output.
"""

from __future__ import annotations

import json
import math
import re
import textwrap
from pathlib import Path

import pytest

import llmsizing as ls
from llmsizing import cli
from llmsizing.claims import (
    Claim,
    check,
    check_files,
    format_verdicts,
    load_claims,
    verdict_frame,
)
from llmsizing.errors import ClaimError

pytest_plugins = ["pytester"]

GIB = 2**30


def verdict(**kw: object) -> ls.Verdict:
    return check(Claim(id=str(kw.pop("id", "c")), **kw))  # type: ignore[arg-type]


# ------------------------------------------------------------------------ fit
def test_fit_with_open_dtype_depends_and_names_the_choices() -> None:
    # DeepSeek-V3 (671.03e9 parameters) on p5e.48xlarge (8 x 140.4 GiB usable x 0.9 =
    # 1010.9 GiB): bf16 weights are 1250 GiB (too big); fp8 625 GiB, int8 about the same,
    # int4 about 313 GiB (all fit). Hence "depends" when the dtype is left open.
    v = verdict(kind="fit", model="deepseek-v3", instance="p5e.48xlarge")
    assert v.status == "depends"
    assert re.search(r"with weights fp8, int8, int4 it holds", v.explanation)
    assert re.search(r"with weights bf16 it fails", v.explanation)
    assert "holds under" in v.numbers
    assert v.matches  # no expect given


@pytest.mark.parametrize(
    ("weights", "status"),
    [("bf16", "fails"), ("fp8", "holds"), ("int8", "holds"), ("int4", "holds")],
)
def test_fit_with_pinned_dtype(weights: str, status: str) -> None:
    # 671.03e9 x 2 B = 1250 GiB > 1010.9 GiB budget; 8 bits: 625 GiB; 4 bits: 313 GiB
    v = verdict(
        kind="fit",
        model="deepseek-v3",
        instance="p5e.48xlarge",
        workload={"weights": weights, "kv": "bf16", "context": 4096},
    )
    assert v.status == status


def test_fit_fails_for_qwen3_235b_on_one_inferentia2() -> None:
    # 235e9 parameters: even at 4 bits 117.5 GB > 32 GiB of one Inferentia2 chip
    v = verdict(
        kind="fit",
        model="qwen3-235b-a22b",
        instance="inf2.8xlarge",
        text="235B MoE (22B active) -> inf2.8xlarge",
        expect="fails",
    )
    assert v.status == "fails" and v.matches
    assert str(v).startswith("[-]")


def test_fit_over_several_instances() -> None:
    # DeepSeek-V3 fp8 needs two p5.48xlarge (625 GiB > 573.5 GiB of one)
    one = verdict(
        kind="fit",
        model="deepseek-v3",
        instance="p5.48xlarge",
        workload={"weights": "fp8", "kv": "bf16", "context": 4096},
    )
    two = verdict(
        kind="fit",
        model="deepseek-v3",
        instance="p5.48xlarge",
        instances=2,
        workload={"weights": "fp8", "kv": "bf16", "context": 4096},
    )
    assert one.status == "fails" and one.numbers["instances needed"] == 2
    assert two.status == "holds"


def test_fit_holds() -> None:
    # Llama-3.1-8B bf16 (16.06 GB) on one 80 GB H100, at every open KV dtype and context
    v = verdict(
        kind="fit", model="llama-3.1-8b", instance="p5.4xlarge", workload={"weights": "bf16"}
    )
    assert v.status == "holds"
    assert str(v).startswith("[+]")


# ----------------------------------------------------------------------- spec
def test_spec_tib_total() -> None:
    # trn2.48xlarge: 16 Trainium2 x 96 GiB = 1536 GiB = 1.5 TiB (Neuron trn2 docs)
    v = verdict(
        kind="spec", instance="trn2.48xlarge", quantity="accelerator_memory_total", value="1.5 TiB"
    )
    assert v.status == "holds"


@pytest.mark.parametrize("value", ["400 GB/s", "3200 Gbps", "3.2 Tbps"])
def test_spec_network_units_convert(value: str) -> None:
    # p5.48xlarge: 3,200 Gbps of EFA networking = 400 GB/s
    v = verdict(kind="spec", instance="p5.48xlarge", quantity="network_bandwidth", value=value)
    assert v.status == "holds"


def test_spec_decimal_label_fails_with_a_unit_hint() -> None:
    # inf2.48xlarge: 12 x 32 GiB = 384 GiB = 412.3 GB; "384 GB" is 6.9% short of it
    assert 12 * 32 * GIB / 1e9 == pytest.approx(412.32, abs=0.01)
    v = verdict(
        kind="spec", instance="inf2.48xlarge", quantity="accelerator_memory_total", value="384 GB"
    )
    assert v.status == "fails"
    assert "GiB" in v.explanation and "decimal and binary" in v.explanation
    assert "412.3" in v.numbers_text()
    ok = verdict(
        kind="spec", instance="inf2.48xlarge", quantity="accelerator_memory_total", value="384 GiB"
    )
    assert ok.status == "holds"


def test_spec_over_several_instances() -> None:
    # two p5.48xlarge: 2 x 8 = 16 GPUs
    v = verdict(
        kind="spec", instance="p5.48xlarge", quantity="accelerator_count", value=16, instances=2
    )
    assert v.status == "holds"
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
    assert (
        verdict(
            kind="spec", instance="p5.48xlarge", quantity="dense_flops_bf16_total", value="8 PFLOPS"
        ).status
        == "holds"
    )
    assert (
        verdict(
            kind="spec",
            instance="p5.48xlarge",
            quantity="dense_flops_bf16_total",
            value="8 PFLOPS",
            tolerance="0.5%",
        ).status
        == "fails"
    )


def test_spec_bare_number_needs_a_unit() -> None:
    with pytest.raises(ClaimError, match="needs a unit"):
        verdict(
            kind="spec", instance="trn2.48xlarge", quantity="accelerator_memory_total", value=1536
        )
    with pytest.raises(ClaimError, match="needs a unit"):
        verdict(
            kind="spec", instance="trn2.48xlarge", quantity="accelerator_memory_total", value="1536"
        )


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
        ({"instance": "p5.48xlarge", "value": "640 GB"}, "quantity"),
        (
            {"instance": "p5.48xlarge", "quantity": "accelerator_memory_total", "value": "lots"},
            "parse",
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


# ---------------------------------------------------------------------- ratio
def test_gqa_kv_reduction_of_llama_70b() -> None:
    # 8 KV heads instead of 64: 1 - 8/64 = 87.5% at every context
    v = verdict(
        kind="ratio",
        model="llama-3.1-70b",
        quantity="kv_cache_reduction",
        baseline="mha",
        value="87.5%",
    )
    assert v.status == "holds"
    assert all(x == "87.5%" for k, x in v.numbers.items() if k.startswith("kv_cache"))
    assert (
        verdict(
            kind="ratio",
            model="llama-3.1-70b",
            quantity="kv_cache_reduction",
            baseline="mha",
            value="75%",
        ).status
        == "fails"
    )


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
        tolerance=0.001,
    )
    assert v.status == "holds"
    assert list(v.numbers) == ["kv_cache_reduction @ 32,768", "claimed"]


def test_ratio_context_omitted_checks_a_range() -> None:
    # Gemma 3 27B: 10 global layers of 62, 52 sliding with a 1024 window. Saving vs all
    # full attention = 1 - (10 C + 52 min(C, 1024)) / (62 C): 62.9% at 4k, 81.25% at 32k.
    def saving(c: int) -> float:
        return 1 - (10 * c + 52 * min(c, 1024)) / (62 * c)

    assert saving(32768) == pytest.approx(0.8125)
    v = verdict(
        kind="ratio",
        model="gemma-3-27b",
        quantity="kv_cache_reduction",
        baseline="full",
        value="75%",
    )
    assert v.status == "depends"
    contexts = v.assumptions["contexts"]
    assert len(contexts) > 1 and 32768 in contexts
    for c in contexts:
        assert v.numbers[f"kv_cache_reduction @ {c:,}"] == f"{saving(c):.1%}"
    pinned = verdict(
        kind="ratio",
        model="gemma-3-27b",
        quantity="kv_cache_reduction",
        baseline="full",
        value="81.25%",
        context=32768,
    )
    assert pinned.status == "holds"


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


def test_instance_ratio() -> None:
    # p5e vs p5 HBM: 8 x 141 GB / 8 x 80 GB = 1.7625
    v = verdict(
        kind="ratio",
        instance="p5e.48xlarge",
        baseline_instance="p5.48xlarge",
        quantity="accelerator_memory_total",
        value="1.76x",
    )
    assert v.status == "holds"
    # H200 vs H100 bandwidth: 4.8 / 3.35 = 1.43
    assert (
        verdict(
            kind="ratio",
            instance="p5e.48xlarge",
            baseline_instance="p5.48xlarge",
            quantity="memory_bandwidth_total",
            value="2x",
        ).status
        == "fails"
    )


def test_unknown_ratio_quantity() -> None:
    with pytest.raises(ClaimError, match="kv_cache_reduction"):
        verdict(kind="ratio", model="llama-3.1-8b", quantity="speedup", value="2x")


# ----------------------------------------------------------------------- cost
# Llama-3.1-8B bf16 on p5.4xlarge ($6.88/h): at batch 1 a step reads ~16.2 GB, so
# 3.35 TB/s x 0.7 gives ~145 tokens/s. No batch can beat the compute roof,
# 989e12 / (2 x 7.5e9) = 66,000 tokens/s.
def test_cost_below_the_physical_roofline_fails() -> None:
    usd = 0.01  # implies 6.88 / 3600 / 1e-8 = 191,111 tokens/s > 66,000
    assert 6.88 / 3600 / (usd / 1e6) > 989e12 / (2 * 7.5e9)
    v = verdict(
        kind="cost", model="llama-3.1-8b", instance="p5.4xlarge", usd_per_million_tokens=usd
    )
    assert v.status == "fails"
    assert v.numbers["implied throughput"].to("token/s").magnitude == pytest.approx(
        6.88 / 3600 / (usd / 1e6)
    )


def test_cost_holds_when_one_sequence_suffices() -> None:
    # $100 per 1M needs 6.88 / 3600 / 1e-4 = 19 tokens/s, well under ~145
    v = verdict(
        kind="cost", model="llama-3.1-8b", instance="p5.4xlarge", usd_per_million_tokens=100
    )
    assert v.status == "holds"


def test_cost_in_between_depends_on_batch() -> None:
    # $1 per 1M needs 1,911 tokens/s: more than one sequence, less than the roof
    v = verdict(
        kind="cost", model="llama-3.1-8b", instance="p5.4xlarge", usd_per_million_tokens=1.0
    )
    assert v.status == "depends"
    assert isinstance(v.numbers["batch needed"], int) and v.numbers["batch needed"] > 1


def test_cost_without_public_price_depends() -> None:
    v = verdict(
        kind="cost", model="llama-3.1-8b", instance="p5e.48xlarge", usd_per_million_tokens=1.0
    )
    assert v.status == "depends"
    assert "no public" in v.explanation


def test_cost_where_the_model_does_not_fit_fails() -> None:
    # Llama-3.1-405B bf16 (756 GiB) on one 24 GB L4
    v = verdict(
        kind="cost", model="llama-3.1-405b", instance="g6.xlarge", usd_per_million_tokens=1.0
    )
    assert v.status == "fails"
    assert "does not fit" in v.explanation


def test_cost_needs_a_positive_price() -> None:
    with pytest.raises(ClaimError, match="usd_per_million_tokens"):
        verdict(kind="cost", model="llama-3.1-8b", instance="p5.4xlarge")
    with pytest.raises(ClaimError, match="usd_per_million_tokens"):
        verdict(
            kind="cost", model="llama-3.1-8b", instance="p5.4xlarge", usd_per_million_tokens=-1.0
        )


# ------------------------------------------------------------------- training
def test_trillion_parameter_training_on_one_trn2_ultraserver_fails() -> None:
    # bf16 AdamW mixed precision keeps 16 bytes per parameter: 1e12 x 16 = 16 TB, against
    # 64 x 96 GiB = 6 TiB = 6.6 TB of HBM in a Trn2 UltraServer
    assert 1e12 * 16 > 64 * 96 * GIB
    v = verdict(kind="training", params="1T", instance="u-trn2x64", instances=1)
    assert v.status == "fails"
    assert math.ceil(1e12 * 16 / (64 * 96 * GIB)) == 3
    assert v.numbers["min_instances"] == 3


def test_training_needs_model_or_params() -> None:
    with pytest.raises(ClaimError, match="params"):
        verdict(kind="training", instance="u-trn2x64")


# ------------------------------------------------------------ claim schema
def test_claim_rejects_unknown_fields_and_workload_keys() -> None:
    with pytest.raises(ValueError, match="quantitty"):
        Claim(id="x", kind="spec", quantitty="vcpus")  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="weight"):
        Claim(id="x", kind="fit", workload={"weight": "fp8"})
    with pytest.raises(ValueError, match="batch"):
        Claim(id="x", kind="fit", workload={"batch": 0})
    with pytest.raises(ValueError, match="instances"):
        Claim(id="x", kind="fit", instances=0)


def test_unknown_model_in_a_claim() -> None:
    with pytest.raises(ClaimError, match=r"llama-3\.1-8b"):
        verdict(kind="fit", model="llama-3.1-8", instance="p5.4xlarge")


# --------------------------------------------------------------- YAML files
def write(tmp_path: Path, text: str, name: str = "claims.yaml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text))
    return p


SPEC_OK = """\
  - id: {id}
    kind: spec
    instance: inf2.xlarge
    quantity: accelerator_count
    value: 1
    expect: holds
"""


def test_load_claims_with_line_numbers(tmp_path: Path) -> None:
    p = write(tmp_path, "claims:\n" + SPEC_OK.format(id="a") + SPEC_OK.format(id="b"))
    claims = load_claims(p)
    assert [c.id for c in claims] == ["a", "b"]
    assert [c.line for c in claims] == [2, 8]
    assert claims[1].where() == f"{p}:8 (b)"


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


def test_bad_kind_names_the_line(tmp_path: Path) -> None:
    p = write(tmp_path, "claims:\n" + SPEC_OK.format(id="a").replace("kind: spec", "kind: size"))
    with pytest.raises(ClaimError, match=r":3: .*'kind'"):
        load_claims(p)


def test_duplicate_id(tmp_path: Path) -> None:
    p = write(tmp_path, "claims:\n" + SPEC_OK.format(id="a") + SPEC_OK.format(id="a"))
    with pytest.raises(ClaimError, match=r":8: duplicate claim id 'a'"):
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


# ----------------------------------------------------------- report formats
MIXED = """\
claims:
  - id: trn2-total
    text: "1.5 TiB of HBM per trn2.48xlarge"
    source: "report | table"
    kind: spec
    instance: trn2.48xlarge
    quantity: accelerator_memory_total
    value: 1.5 TiB
    expect: holds
  - id: inf2-384gb
    text: "384 GB on inf2.48xlarge"
    kind: spec
    instance: inf2.48xlarge
    quantity: accelerator_memory_total
    value: 384 GB
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
    assert [d["id"] for d in data] == ["trn2-total", "inf2-384gb", "gemma-swa"]
    assert [d["matches"] for d in data] == [True, False, True]
    assert all(isinstance(v, str) for d in data for v in d["numbers"].values())


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


def test_cli_check_json_parses(mixed_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["check", str(mixed_file), "--format", "json"])
    out = capsys.readouterr().out
    assert code == 1  # one claim does not match its expect
    data = json.loads(out)
    assert {d["status"] for d in data} == {"holds", "fails", "depends"}


# ----------------------------------------------------------- pytest plugin
PLUGIN_FILE = """\
claims:
  - id: trn2-holds
    text: "1.5 TiB per trn2.48xlarge"
    kind: spec
    instance: trn2.48xlarge
    quantity: accelerator_memory_total
    value: 1.5 TiB
    expect: holds
  - id: inf2-mismatch
    text: "384 GB on inf2.48xlarge"
    kind: spec
    instance: inf2.48xlarge
    quantity: accelerator_memory_total
    value: 384 GB
    expect: holds
"""


def test_plugin_runs_each_claim_as_a_test(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", claims_x=PLUGIN_FILE)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*claim 'inf2-mismatch'*",
            "*expected: holds*",
            "*verdict:  fails*",
            "*computed: 412.3 GB*",
            "*claimed: 384 GB*",
        ]
    )
    assert "trn2-holds" not in "\n".join(
        line for line in result.outlines if line.startswith("FAILED")
    )


def test_plugin_collects_yaml_in_a_claims_directory(pytester: pytest.Pytester) -> None:
    d = pytester.mkdir("claims")
    (d / "report.yaml").write_text(PLUGIN_FILE.split("  - id: inf2-mismatch")[0])
    (pytester.path / "other.yaml").write_text("not: claims\n")  # not collected
    result = pytester.runpytest("-p", "no:cacheprovider", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*claims/report.yaml::trn2-holds PASSED*"])


def test_plugin_reports_a_malformed_file(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", claims_bad="claims:\n  - id: a\n    kind: nonsense\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*claims_bad.yaml:3*kind*"])
