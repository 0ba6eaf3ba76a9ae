"""The command line: every subcommand, its exit codes and its JSON output.

Exit codes: 0 success (``fit``: it fits; ``check``: every claim matched its
``expect``), 1 a claim did not match or the model does not fit, 2 bad input.
``--json`` output must be strict JSON (no NaN or Infinity tokens).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import llmsizing as ls
from llmsizing.cli import main, parse_count

Capture = pytest.CaptureFixture[str]


def _strict(text: str) -> Any:
    """Parse JSON, refusing the NaN/Infinity extensions Python would accept."""

    def refuse(token: str) -> Any:
        raise ValueError(f"non-standard JSON token {token}")

    return json.loads(text, parse_constant=refuse)


def run(capsys: Capture, *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return rc, out, err


def run_json(capsys: Capture, *argv: str, rc: int = 0) -> Any:
    code, out, err = run(capsys, *argv, "--json")
    assert code == rc, err
    return _strict(out)


# ------------------------------------------------------------------ model
def test_model_table(capsys: Capture) -> None:
    rc, out, err = run(capsys, "model", "deepseek-v3", "--dtype", "fp8")
    assert (rc, err) == (0, "")
    assert out.startswith("deepseek-v3  (deepseek_v3)")
    assert "671.03 B" in out and "37.55 B" in out
    assert "all resident" in out


def test_model_json(capsys: Capture) -> None:
    d = run_json(capsys, "model", "llama-3.1-8b", "--context", "8k", "--batch", "2")
    assert d["model"] == "llama-3.1-8b"
    assert d["params"]["total"] == 8_030_261_248
    # 32 layers x 8 KV heads x 128 x (K, V) x 2 bytes
    assert d["kv_bytes_per_token"] == 131_072
    assert (d["context"], d["batch"]) == (8192, 2)
    assert d["kv_cache_GiB"] == pytest.approx(2 * 8192 * 131_072 / 2**30)
    assert d["weights_total_GiB"] == pytest.approx(14.96, abs=0.01)


def test_model_from_config_file(capsys: Capture, tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text(
        json.dumps(
            {
                "model_type": "llama",
                "vocab_size": 32000,
                "hidden_size": 4096,
                "intermediate_size": 11008,
                "num_hidden_layers": 32,
                "num_attention_heads": 32,
                "num_key_value_heads": 32,
            }
        ),
        encoding="utf-8",
    )
    d = run_json(capsys, "model", str(path))
    assert d["params"]["total"] == 6_738_415_616


# -------------------------------------------------------------------- fit
def test_fit_exit_0_when_it_fits(capsys: Capture) -> None:
    rc, out, _ = run(capsys, "fit", "llama-3.1-8b", "--instance", "g6e.xlarge")
    assert rc == 0
    assert out.startswith("llama-3.1-8b on g6e.xlarge: FITS")


def test_fit_exit_1_when_it_does_not(capsys: Capture) -> None:
    rc, out, err = run(capsys, "fit", "qwen3-235b-a22b", "--instance", "inf2.8xlarge")
    assert (rc, err) == (1, "")
    assert "DOES NOT FIT" in out
    assert "every expert must stay resident" in out


def test_fit_json_agrees_with_exit_code(capsys: Capture) -> None:
    yes = run_json(capsys, "fit", "deepseek-v3", "--instance", "p5e.48xlarge", "--weights", "fp8")
    assert yes["fits"] is True and yes["devices_used"] == 8
    assert yes["required_GiB"] <= yes["available_GiB"]
    no = run_json(capsys, "fit", "llama-3.1-405b", "--instance", "g5.xlarge", rc=1)
    assert no["fits"] is False and no["headroom_GiB"] < 0


def test_fit_options(capsys: Capture) -> None:
    d = run_json(
        capsys,
        "fit",
        "llama-3.1-70b",
        "--instance",
        "p5.48xlarge",
        "--context",
        "32k",
        "--batch",
        "8",
        "--weights",
        "fp8",
        "--kv",
        "fp8",
    )
    assert d["fits"] is True
    # 80 layers x 8 KV heads x 128 x 2 x 1 byte x 32768 tokens x 8 sequences
    assert d["kv_cache_total_GiB"] == pytest.approx(80 * 8 * 128 * 2 * 32768 * 8 / 2**30)


# -------------------------------------------------------------- instances
def test_instances_table(capsys: Capture) -> None:
    rc, out, _ = run(capsys, "instances", "--family", "p5")
    assert rc == 0
    assert "p5.48xlarge" in out and "p5.4xlarge" in out and "inf2" not in out


def test_instances_json(capsys: Capture) -> None:
    rows = run_json(capsys, "instances")
    names = [r["instance_type"] for r in rows]
    assert len(names) == len(set(names)) >= 50
    p5 = next(r for r in rows if r["instance_type"] == "p5.48xlarge")
    assert p5["total_accelerator_memory_GB"] == 640
    trn2 = next(r for r in rows if r["instance_type"] == "trn2.48xlarge")
    assert trn2["total_accelerator_memory_GiB"] == 1536
    assert trn2["usd_per_hour_us_east_1"] is None  # no public price: null, not NaN


# ---------------------------------------------------------------- cheapest
def test_cheapest_table(capsys: Capture) -> None:
    rc, out, _ = run(capsys, "cheapest", "llama-3.1-8b", "--context", "8k", "--top", "3")
    assert rc == 0
    lines = out.strip().splitlines()
    assert len(lines) == 4  # header and three instances
    assert lines[1].split()[0] == "inf2.xlarge"


def test_cheapest_json_is_sorted_by_price(capsys: Capture) -> None:
    out = run_json(capsys, "cheapest", "llama-3.1-8b", "--context", "8k")
    assert out["workload"]["context_len"] == 8192  # the workload is echoed
    rows = out["instances"]
    assert rows and all(r["fits"] for r in rows)
    priced = [r["usd_per_hour"] for r in rows if r["usd_per_hour"] is not None]
    assert priced == sorted(priced)
    assert rows[0]["instance"] == "inf2.xlarge"


def test_cheapest_exit_1_when_nothing_fits(capsys: Capture) -> None:
    rc, out, _ = run(capsys, "cheapest", "llama-3.1-8b", "--context", "128k", "--batch", "100k")
    assert rc == 1
    assert out.splitlines() == [
        "no single instance fits; multi-instance options (pipeline stages):",
        "none: no pipeline of up to 64 instances holds it either",
    ]


# -------------------------------------------------------------------- cost
def test_cost_text(capsys: Capture) -> None:
    rc, out, _ = run(capsys, "cost", "llama-3.1-8b", "--instance", "p5.48xlarge")
    assert rc == 0
    assert "per 1M output tokens" in out and "memory-bound" in out


def test_cost_json(capsys: Capture) -> None:
    d = run_json(
        capsys,
        "cost",
        "llama-3.1-70b",
        "--instance",
        "p5.48xlarge",
        "--batch",
        "32",
        "--prompt",
        "1k",
        "--output",
        "256",
    )
    assert (d["batch"], d["tp"]) == (32, d["tp"])
    assert d["output_tokens_per_s"] > 0 and d["ttft_s"] > 0
    assert d["usd_per_million_output_tokens"] > 0
    assert d["usd_per_hour"] == pytest.approx(55.04)


def test_cost_lockstep_reaches_the_estimate(capsys: Capture) -> None:
    # the CLI passes --engine and --lockstep on: the same figures as the Python call
    args = ["llama-3.1-70b", "--instance", "p5.48xlarge", "--batch", "16"]
    args += ["--prompt", "2k", "--output", "256", "--engine", "sglang", "--tp", "8"]
    d = run_json(capsys, "cost", *args, "--lockstep")
    w = ls.Workload(context_len=2048 + 256, batch=16, prompt_len=2048, output_len=256)
    est = ls.estimate_performance(
        "llama-3.1-70b", "p5.48xlarge", w, layout="TP8", engine="sglang", arrivals="lockstep"
    )
    assert d["ttft_s"] == pytest.approx(est.ttft.to("s").magnitude)
    free = run_json(capsys, "cost", *args)
    assert free["ttft_s"] < d["ttft_s"]  # the wave waits for half its prefills


def test_cost_json_without_public_price(capsys: Capture) -> None:
    d = run_json(capsys, "cost", "llama-3.1-8b", "--instance", "trn2.48xlarge")
    assert d["usd_per_million_output_tokens"] is None
    assert "no public on-demand price" in d["price_note"]


# ------------------------------------------------------------------- check
HOLDS = """\
claims:
  - id: inf2-48-memory
    kind: spec
    instance: inf2.48xlarge
    quantity: accelerator_memory_total
    value: 384 GiB
    expect: holds
  - id: inf2-48-memory-decimal
    kind: spec
    instance: inf2.48xlarge
    quantity: accelerator_memory_total
    value: 412 GiB
    expect: fails
"""
MISMATCH = HOLDS.replace("expect: fails", "expect: holds")


def _file(tmp_path: Path, text: str, name: str = "c.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_check_exit_0_when_every_claim_matches(capsys: Capture, tmp_path: Path) -> None:
    rc, out, _ = run(capsys, "check", _file(tmp_path, HOLDS))
    assert rc == 0
    assert "2 claims, 2 as expected, 0 not" in out


def test_check_exit_1_on_a_mismatch(capsys: Capture, tmp_path: Path) -> None:
    rc, out, _ = run(capsys, "check", _file(tmp_path, MISMATCH))
    assert rc == 1
    assert "<-- expected holds" in out and "1 not" in out


def test_check_exit_2_on_a_malformed_file(capsys: Capture, tmp_path: Path) -> None:
    good = _file(tmp_path, HOLDS, "good.yaml")
    bad = _file(tmp_path, "claims:\n  - id: x\n    kind: spec\n    value: [\n", "bad.yaml")
    rc, out, err = run(capsys, "check", good, bad)
    assert (rc, out) == (2, "")
    assert err.startswith(f"llmsizing: error: {bad}:") and len(err.splitlines()) == 1


def test_check_json(capsys: Capture, tmp_path: Path) -> None:
    rc, out, _ = run(capsys, "check", _file(tmp_path, HOLDS), "--format", "json")
    assert rc == 0
    verdicts = _strict(out)
    assert [v["status"] for v in verdicts] == ["holds", "fails"]
    assert all(v["matches"] for v in verdicts)
    assert "GB/GiB" in verdicts[1]["explanation"]


def test_check_markdown(capsys: Capture, tmp_path: Path) -> None:
    rc, out, _ = run(capsys, "check", _file(tmp_path, HOLDS), "--format", "markdown")
    assert rc == 0
    assert out.startswith("| # | Claim | Verdict | Key numbers | Explanation |")
    assert len(out.strip().splitlines()) == 4


# -------------------------------------------------------------------- misc
def test_help_exits_0(capsys: Capture) -> None:
    assert main(["--help"]) == 0
    assert "Exit codes" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "value"),
    [("4096", 4096), ("32k", 32768), ("128K", 131072), ("1k", 1024), ("15T", 15 * 10**12)],
)
def test_parse_count(text: str, value: int) -> None:
    assert parse_count(text) == value


def test_module_entry_point() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "llmsizing", "fit", "llama-3.1-8b", "--instance", "g5.xlarge"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    assert "llama-3.1-8b on g5.xlarge" in done.stdout


# ------------------------------------------------------- prices, regions, names
def _prices_file(tmp_path: Path, rows: str) -> str:
    head = (
        "instance_type,region,pricing_model,usd_per_hour,as_of,source_url,location,"
        "confidence,notes\n"
    )
    return _file(tmp_path, head + rows, "prices.csv")


def test_cheapest_with_a_user_price_for_p5e_picks_it(capsys: Capture, tmp_path: Path) -> None:
    # p5e.48xlarge has no public On-Demand price, so it never wins without one; priced at
    # $30/h (below p5en's $63.30 and g7e's $33.14) it is the cheapest 8-GPU home of V3
    prices = _prices_file(
        tmp_path, "p5e.48xlarge,us-east-1,negotiated,30,2026-11-01,my contract,,,\n"
    )
    plain = run_json(capsys, "cheapest", "deepseek-v3", "--weights", "fp8", "--top", "3")
    assert "p5e.48xlarge" not in [r["instance"] for r in plain["instances"][:1]]
    mine = run_json(
        capsys, "cheapest", "deepseek-v3", "--weights", "fp8", "--prices", prices, "--top", "3"
    )
    top = mine["instances"][0]
    assert top["instance"] == "p5e.48xlarge" and top["usd_per_hour"] == 30
    assert top["price_note"] == "user price"


def test_prices_and_region_reach_fit_all_and_cost(capsys: Capture, tmp_path: Path) -> None:
    prices = _prices_file(tmp_path, "g6e.xlarge,us-east-1,negotiated,1.0,2026-11-01,mine,,,\n")
    out = run_json(capsys, "fit", "llama-3.1-8b", "--all", "--prices", prices)
    row = next(r for r in out["instances"] if r["instance"] == "g6e.xlarge")
    assert row["usd_per_hour"] == 1.0 and row["price_note"] == "user price"
    est = run_json(
        capsys, "cost", "llama-3.1-8b", "--instance", "g6e.xlarge", "--usd-per-hour", "2"
    )
    assert est["usd_per_hour"] == 2
    rc, _, err = run(capsys, "cheapest", "llama-3.1-8b", "--region", "us-east-9")
    assert rc == 2 and "region" in err


def test_sagemaker_names_size_like_their_ec2_hardware(capsys: Capture) -> None:
    sm = run_json(capsys, "fit", "llama-3.1-70b", "--instance", "ml.p5.48xlarge")
    ec2 = run_json(capsys, "fit", "llama-3.1-70b", "--instance", "p5.48xlarge")
    keys = ("fits", "layout", "required_GiB", "available_GiB")
    assert [sm[k] for k in keys] == [ec2[k] for k in keys]


def test_instances_show_source_and_confidence(capsys: Capture) -> None:
    rc, out, _ = run(capsys, "instances", "--family", "g7e")
    assert rc == 0 and "confidence" in out and "source_url" in out
    rc, out, _ = run(capsys, "instances", "--stale")
    assert rc == 0 and out.strip()


def test_cost_refuses_a_deployment_that_cannot_exist(capsys: Capture) -> None:
    rc, out, err = run(
        capsys, "cost", "deepseek-v3", "--instance", "g5.xlarge", "--weights", "bf16"
    )
    assert rc == 1 and out == ""
    assert "does not fit g5.xlarge" in err and len(err.strip().splitlines()) == 1


def test_check_json_gives_numbers_as_numbers(capsys: Capture, tmp_path: Path) -> None:
    rc, out, _ = run(capsys, "check", _file(tmp_path, HOLDS), "--format", "json")
    assert rc == 0
    numbers = _strict(out)[0]["numbers"]
    assert numbers and all(isinstance(v, float) for k, v in numbers.items() if "_" in k)
    assert any(k.endswith("_GiB") or k.endswith("_GB") for k in numbers)


def test_train_refuses_a_cluster_that_cannot_exist(capsys: Capture) -> None:
    # Llama-3.1-405B's bf16 weights (756 GiB) on 24 GB GPUs with TP 1: no instance count holds
    # even one layout's stage, so there are no days and no dollars to print
    rc, out, err = run(capsys, "train", "llama-3.1-405b", "--instance", "g5.xlarge")
    assert rc == 1 and out == ""
    assert "does not fit" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "args",
    [
        ["fit", "llama-3.1-8b", "--instance", "p5.48xlarge", "--context", "0"],
        ["fit", "llama-3.1-8b", "--instance", "p5.48xlarge", "--batch", "1.5"],
        ["train", "llama-3.1-8b", "--instance", "p5.48xlarge", "--tokens", "0"],
        ["cheapest", "llama-3.1-8b", "--top", "0"],
    ],
)
def test_a_zero_or_fractional_count_is_an_error_never_a_default(
    capsys: Capture, args: list[str]
) -> None:
    rc, out, err = run(capsys, *args)
    assert rc == 2 and out == "" and len(err.strip().splitlines()) == 1


def test_every_option_of_every_command_has_help() -> None:
    import argparse

    from llmsizing.cli import _parser

    parser = _parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    missing = [
        f"{name} {'/'.join(act.option_strings) or act.dest}"
        for name, sp in sub.choices.items()
        for act in sp._actions
        if not isinstance(act, argparse._HelpAction) and not act.help
    ]
    assert not missing, missing


def test_fit_json_echoes_the_workload(capsys: Capture) -> None:
    d = run_json(capsys, "fit", "llama-3.1-8b", "--instance", "p5.48xlarge", "--context", "8k")
    assert d["workload"]["context_len"] == 8192 and d["layout"] == "TP1"


def test_multi_instance_options_without_efa_are_flagged(capsys: Capture) -> None:
    # Llama-3.1-70B at 128k x 64 fits no single instance; a pipeline of 40 g7e.2xlarge
    # would talk over 50 Gbps of plain Ethernet, and the table says so
    rc, out, _ = run(capsys, "cheapest", "llama-3.1-70b", "--context", "128k", "--batch", "64")
    assert rc == 1 and "multi-instance" in out
    assert "without EFA" in out


def test_the_main_job_fits_a_terminal(capsys: Capture) -> None:
    rc, out, _ = run(capsys, "cheapest", "deepseek-v3", "--weights", "fp8", "--context", "32k")
    assert rc == 0 and 2 <= len(out.splitlines()) <= 12
    assert max(len(line) for line in out.splitlines()) <= 120


def test_one_flag_spelling_across_commands(capsys: Capture) -> None:
    new = run_json(capsys, "model", "llama-3.1-8b", "--weights", "fp8", "--kv", "fp8")
    old = run_json(capsys, "model", "llama-3.1-8b", "--dtype", "fp8", "--kv-dtype", "fp8")
    assert new == old


def test_throughput_text_says_the_batch_is_per_replica(capsys: Capture) -> None:
    rc, out, _ = run(capsys, "cost", "llama-3.1-8b", "--instance", "p5.48xlarge", "--batch", "8")
    assert rc == 0 and "8 replica(s)" in out and "batch 8 per replica" in out


def test_vision_flag_loads_the_tower(capsys: Capture) -> None:
    base = ("fit", "gemma-3-27b", "--instance", "g6e.12xlarge", "--tp", "2")
    on = run_json(capsys, *base, "--vision")
    off = run_json(capsys, *base, "--no-vision")
    tower = ls.load_model("gemma-3-27b").param_counts().vision * 2 / 2  # bf16, split over TP 2
    assert (on["weights_GiB"] - off["weights_GiB"]) * 2**30 == pytest.approx(tower, rel=1e-9)


def test_capacity_takes_the_engines_launch_flags(capsys: Capture) -> None:
    # vLLM flags: --gpu-memory-utilization 0.95 --max-num-seqs 64 --enforce-eager on one
    # H100 (79.18 GiB CUDA-visible): the sampler over 64 x 128,256 logits at 15.6 B, the
    # TP-1 non-torch 0.25 GiB and no CUDA graph estimate
    out = run_json(
        capsys,
        *("capacity", "llama-3.1-8b", "--instance", "p5.48xlarge", "--tp", "1"),
        *("--engine", "vllm", "--context", "8192", "--utilization", "0.95"),
        *("--max-num-seqs", "64", "--enforce-eager"),
    )
    assert out["budget_GiB"] == pytest.approx(79.18 * 0.95)
    assert out["activations_GiB"] == pytest.approx(64 * 128256 * 15.6 / 2**30)
    assert out["reserve_GiB"] == pytest.approx(0.25)
    default = run_json(
        capsys,
        "capacity",
        "llama-3.1-8b",
        "--instance",
        "p5.48xlarge",
        "--tp",
        "1",
        "--engine",
        "vllm",
        "--context",
        "8192",
    )
    assert default["reserve_GiB"] == pytest.approx(0.25 + 0.41)  # with the CUDA graphs


def test_capacity_with_prefix_caching_holds_fewer_hybrid_sequences(capsys: Capture) -> None:
    # Qwen3.5-27B at 4096 tokens: ceil(4096 / 784) = 6 attention pages and 3 state groups,
    # so a request takes 6 + 3 pages without prefix caching and 6 + 6 with it
    base = ("capacity", "qwen3.5-27b", "--instance", "p5.48xlarge", "--tp", "1")
    base += ("--engine", "vllm", "--context", "4096", "--weights", "bf16")
    plain = run_json(capsys, *base)
    cached = run_json(capsys, *base, "--prefix-caching")
    ratio = cached["max_concurrency"] / plain["max_concurrency"]
    assert ratio == pytest.approx(9 / 12, rel=0.01)
    # a model without state layers is unchanged
    dense = ("capacity", "llama-3.1-8b", "--instance", "p5.48xlarge", "--tp", "1")
    assert run_json(capsys, *dense, "--prefix-caching") == run_json(capsys, *dense)


def test_cost_takes_the_benchmarks_arrivals(capsys: Capture) -> None:
    base = ("cost", "llama-3.1-8b", "--instance", "p5.4xlarge", "--batch", "64")
    base += ("--prompt", "2000", "--output", "100", "--tp", "1")
    loop = run_json(capsys, *base)
    burst = run_json(capsys, *base, "--burst", "640")
    queued = run_json(capsys, *base, "--concurrency", "640")
    # 640 requests at once wait for nine turnovers on average over the ten waves, half
    # what 640 closed-loop clients wait in steady state (576 of them queued)
    assert loop["ttft_s"] < burst["ttft_s"] < queued["ttft_s"]
    est = ls.estimate_performance(
        "llama-3.1-8b",
        "p5.4xlarge",
        ls.Workload(prompt_len=2000, output_len=100, batch=64),
        layout="TP1",
        burst=640,
    )
    assert burst["ttft_s"] == pytest.approx(est.ttft.to("s").magnitude)
    rc, _, err = run(capsys, *base, "--burst", "10")
    assert rc != 0 and "fewer than the batch" in err
    rc, _, err = run(capsys, *base, "--burst", "640", "--concurrency", "640")
    assert rc != 0
