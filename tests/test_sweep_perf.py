"""``sweep(..., perf=True)``: the performance columns equal ``estimate_performance`` row by row."""

from __future__ import annotations

import math

import numpy as np
import pytest

import llmsizing as ls
from llmsizing.sweep import PERF_COLUMNS, SWEEP_COLUMNS

MODELS = ["llama-3.1-8b", "llama-3.1-70b", "mixtral-8x7b", "qwen3-30b-a3b", "deepseek-v3"]
INSTANCES = ["p5.48xlarge", "p4de.24xlarge", "inf2.48xlarge", "trn2.48xlarge", "g6e.xlarge"]


def _check_rows(df, w: ls.Workload, serving: str = "continuous", n: int = 40, **kw: object) -> None:
    ok = df[df.fits]
    assert len(ok) > 0
    for r in ok.sample(min(n, len(ok)), random_state=7).itertuples():
        wl = w.model_copy(
            update={
                "context_len": int(r.context_len),
                "batch": int(r.batch),
                "weight_dtype": r.weight_dtype,
                "kv_dtype": r.kv_dtype,
            }
        )
        est = ls.estimate_performance(
            r.model, r.instance, wl, layout=r.layout, serving=serving, **kw
        )
        assert r.ttft_s == pytest.approx(est.ttft.to("s").magnitude, rel=1e-9)
        assert r.tpot_s == pytest.approx(est.tpot.to("s").magnitude, rel=1e-9)
        assert r.tokens_per_s == pytest.approx(est.tokens_per_s.magnitude, rel=1e-9)
        if est.usd_per_million_output_tokens is None:
            assert math.isnan(r.usd_per_million_tokens)
        else:
            assert r.usd_per_million_tokens == pytest.approx(
                est.usd_per_million_output_tokens, rel=1e-9
            )


@pytest.mark.parametrize("serving", ["continuous", "static"])
def test_perf_columns_equal_estimate_performance(serving: str) -> None:
    w = ls.Workload(prompt_len=1024, output_len=256)
    df = ls.sweep(
        MODELS,
        INSTANCES,
        contexts=[2048, 8192],
        batches=[1, 8, 64],
        weight_dtypes=["bf16", "fp8"],
        kv_dtypes=["bf16", "fp8"],
        workload=w,
        perf=True,
        serving=serving,
    )
    assert list(df.columns) == [*SWEEP_COLUMNS, *PERF_COLUMNS]
    _check_rows(df, w, serving)


@pytest.mark.parametrize("engine", ["sglang", "vllm"])
def test_perf_columns_in_lockstep_equal_estimate_performance(engine: str) -> None:
    # SGLang pauses decode to prefill (waves on GPUs and Neuron); vLLM V1 only on Neuron
    w = ls.Workload(prompt_len=1024, output_len=256)
    kw: dict[str, object] = {"engine": engine, "arrivals": "lockstep"}
    df = ls.sweep(MODELS, INSTANCES, contexts=[2048], batches=[1, 16], workload=w, perf=True, **kw)
    _check_rows(df, w, **kw)
    free = ls.sweep(MODELS, INSTANCES, contexts=[2048], batches=[16], workload=w, perf=True)
    waves = ls.sweep(MODELS, INSTANCES, contexts=[2048], batches=[16], workload=w, perf=True, **kw)
    gpu = free.fits & ~free.instance.isin(["inf2.48xlarge", "trn2.48xlarge"])
    later = (waves.ttft_s > free.ttft_s)[gpu]
    assert later.all() if engine == "sglang" else not later.any()
    with pytest.raises(ls.WorkloadError, match="arrivals"):
        ls.sweep("llama-3.1-8b", "p5.48xlarge", perf=True, arrivals="poisson")


def test_perf_columns_with_given_layouts_and_no_output() -> None:
    w = ls.Workload()  # no prompt or output length: prompt = context, decode rate B / TPOT
    df = ls.sweep(
        ["llama-3.1-70b", "mixtral-8x7b"],
        ["p5.48xlarge", "trn1.32xlarge"],
        contexts=[4096],
        batches=[1, 16],
        layouts=["TP4", "TP8", "TP16"],
        perf=True,
    )
    _check_rows(df, w)


def test_rows_that_do_not_fit_have_no_performance() -> None:
    df = ls.sweep("llama-3.1-405b", "g6e.xlarge", contexts=8192, perf=True)
    assert not df.fits.any()
    for c in PERF_COLUMNS:
        assert df[c].isna().all()


def test_prompt_longer_than_context_has_no_performance() -> None:
    w = ls.Workload(prompt_len=4096, output_len=16)
    df = ls.sweep("llama-3.1-8b", "p5.48xlarge", contexts=[2048, 8192], workload=w, perf=True)
    assert math.isnan(df.ttft_s[0]) and math.isfinite(df.ttft_s[1])


def test_decode_only_rate_is_batch_over_tpot() -> None:
    # without an output length the rate is B / TPOT on every replica of the instance
    df = ls.sweep("llama-3.1-8b", "p5.48xlarge", contexts=4096, batches=[4], perf=True)
    r = df.iloc[0]
    replicas = 8 // int(r.tp)
    assert r.tokens_per_s == pytest.approx(4 / r.tpot_s * replicas, rel=1e-12)
    assert r.usd_per_million_tokens == pytest.approx(
        r.usd_per_hour / (3600 * r.tokens_per_s) * 1e6, rel=1e-12
    )


def test_perf_off_keeps_the_columns() -> None:
    df = ls.sweep("llama-3.1-8b", "p5.48xlarge")
    assert list(df.columns) == list(SWEEP_COLUMNS)
    with pytest.raises(ls.WorkloadError):
        ls.sweep("llama-3.1-8b", "p5.48xlarge", perf=True, serving="fast")
    assert np.isfinite(ls.sweep("llama-3.1-8b", "p5.48xlarge", perf=True).ttft_s).all()


@pytest.mark.parametrize("serving", ["continuous", "static"])
def test_perf_columns_pad_neuron_prompts_as_estimate_performance_does(serving: str) -> None:
    # 1500 tokens: Neuron rows prefill a 2048-token bucket, GPU rows the prompt itself
    w = ls.Workload(prompt_len=1500, output_len=200)
    df = ls.sweep(
        ["llama-3.1-8b", "qwen3-30b-a3b", "mixtral-8x7b"],
        ["trn1.32xlarge", "inf2.48xlarge", "p5.48xlarge"],
        contexts=[4096],
        batches=[1, 8],
        layouts=["TP8", "TP16", "TP32", {"dp": 8, "ep": 8}],
        workload=w,
        perf=True,
        serving=serving,
    )
    _check_rows(df, w, serving)
