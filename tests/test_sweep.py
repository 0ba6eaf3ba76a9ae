"""llmsizing.sweep: the vectorized grid gives fit()'s numbers row by row."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import llmsizing as ls
from llmsizing.errors import UnknownNameError, WorkloadError
from llmsizing.sweep import SWEEP_COLUMNS, kv_cache_elements, sweep

# every attention and state kind and sharding path: GQA, MHA, MLA, sliding, hybrid, chunked, MoE,
# a context limit of 4096 (olmo-2) and none (gemma-3)
MODELS = [
    "llama-3.1-8b",
    "mistral-7b-v0.1",
    "gemma-3-27b",
    "deepseek-v2",
    "qwen3-30b-a3b",
    "gpt-oss-20b",
    "olmo-2-13b",
    "llama-4-scout",
    # recurrent state (Gated DeltaNet, Mamba-2) and a sparse-attention indexer key cache
    "qwen3.5-27b",
    "nemotron-3-nano-30b-a3b",
    "deepseek-v3.2",
]
# GPUs (one and several), Neuron with 1, 2 and 4 ranks per chip, non-power-of-two layouts
INSTANCES = [
    "g6e.xlarge",
    "g5.12xlarge",
    "p5.48xlarge",
    "p5en.48xlarge",
    "inf1.6xlarge",
    "inf2.xlarge",
    "inf2.48xlarge",
    "trn1.32xlarge",
    "trn2.48xlarge",
    "trn3-ultraserver-gen2",
]
WEIGHT_DTYPES = ["bf16", "fp16", "fp32", "fp8", "int8", "int4", "mxfp4", "nvfp4", "native"]
KV_DTYPES: list[str | float] = ["bf16", "fp8", "fp32", "int4", 6]
PER_DEVICE = [
    "weights_GiB",
    "kv_cache_GiB",
    "activations_GiB",
    "runtime_reserve_GiB",
    "required_GiB",
    "available_GiB",
    "headroom_GiB",
    "weights_total_GiB",
    "kv_cache_total_GiB",
]


def _close(a: float, b: float, rel: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-12)


def _assert_rows_match_fit(df: pd.DataFrame, base: ls.Workload) -> None:
    cat = ls.load_catalog()
    for row in df.itertuples(index=False):
        w = base.model_copy(
            update={
                "context_len": int(row.context_len),
                "batch": int(row.batch),
                "weight_dtype": str(row.weight_dtype),
                "kv_dtype": _kv(row.kv_dtype),
            }
        )
        if not row.valid:
            with pytest.raises(WorkloadError):
                ls.fit(str(row.model), str(row.instance), w, catalog=cat)
            assert not row.fits and pd.isna(row.tp)
            assert all(math.isnan(getattr(row, c)) for c in PER_DEVICE)
            continue
        r = ls.fit(str(row.model), str(row.instance), w, catalog=cat)
        d = r.to_dict()
        assert (row.fits, row.tp, row.devices_used) == (d["fits"], d["tp"], d["devices_used"]), row
        for c in PER_DEVICE:
            assert _close(getattr(row, c), d[c]), (c, getattr(row, c), d[c], row)


def _kv(label: str) -> str | float:
    try:
        return float(label)
    except ValueError:
        return label


def _subset(pool: list, max_size: int) -> st.SearchStrategy:
    return st.lists(st.sampled_from(pool), min_size=1, max_size=max_size, unique=True)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    models=_subset(MODELS, 2),
    instances=_subset(INSTANCES, 2),
    contexts=st.lists(st.integers(1, 300_000), min_size=1, max_size=3, unique=True),
    batches=st.lists(
        st.one_of(st.integers(1, 600), st.integers(1, 10**12)), min_size=1, max_size=3, unique=True
    ),
    weight_dtypes=_subset(WEIGHT_DTYPES, 2),
    kv_dtypes=_subset(KV_DTYPES, 2),
    utilization=st.floats(0.3, 1.0),
    reserve=st.floats(0.0, 4.0),
    max_batched_tokens=st.integers(1, 65536),
    workspace=st.one_of(st.none(), st.floats(0.0, 8.0)),
)
def test_sweep_equals_fit_row_by_row(
    models,
    instances,
    contexts,
    batches,
    weight_dtypes,
    kv_dtypes,
    utilization,
    reserve,
    max_batched_tokens,
    workspace,
):
    base = ls.Workload(
        memory_utilization=utilization,
        runtime_reserve_GiB=reserve,
        max_batched_tokens=max_batched_tokens,
        activation_workspace_GiB=workspace,
    )
    df = sweep(models, instances, contexts, batches, weight_dtypes, kv_dtypes, workload=base)
    sizes = (models, instances, contexts, batches, weight_dtypes, kv_dtypes)
    assert len(df) == math.prod(map(len, sizes))
    _assert_rows_match_fit(df, base)


def test_columns_carry_units_and_rows_follow_product_order():
    models, insts = ["llama-3.1-8b", "qwen3-30b-a3b"], ["g6e.xlarge", "inf2.48xlarge"]
    wds, kds, ctxs, bats = ["bf16", "fp8"], ["bf16", "fp8"], [1024, 32768], [1, 8, 64]
    df = sweep(models, insts, ctxs, bats, wds, kds)
    assert tuple(df.columns) == SWEEP_COLUMNS
    # every float column names its unit
    assert all(c.endswith(("_GiB", "_per_hour")) for c in df.columns if df[c].dtype == float)
    expected = list(itertools.product(models, insts, wds, kds, ctxs, bats))
    got = list(
        df[["model", "instance", "weight_dtype", "kv_dtype", "context_len", "batch"]]
        .astype(object)
        .itertuples(index=False, name=None)
    )
    assert got == expected
    assert np.allclose(df.headroom_GiB, df.available_GiB - df.required_GiB)
    parts = df[["weights_GiB", "kv_cache_GiB", "activations_GiB", "runtime_reserve_GiB"]]
    assert np.allclose(parts.sum(axis=1), df.required_GiB, rtol=1e-12)
    assert (df.fits == (df.required_GiB <= df.available_GiB)).all()


def test_contexts_beyond_the_model_maximum_are_invalid_rows():
    df = sweep(["olmo-2-13b", "llama-3.1-8b"], "p5.48xlarge", [2048, 8192], [1, 2])
    olmo_long = (df.model == "olmo-2-13b") & (df.context_len == 8192)
    assert list(df.valid) == list(~olmo_long)
    bad = df[olmo_long]
    assert not bad.fits.any() and bad.tp.isna().all() and bad.devices_used.isna().all()
    assert bad[PER_DEVICE].isna().all().all()
    assert df[~olmo_long][PER_DEVICE].notna().all().all()
    _assert_rows_match_fit(df, ls.Workload())


def test_every_context_invalid_gives_all_nan_block():
    df = sweep("olmo-2-13b", "g6e.xlarge", contexts=[5000, 9000], batches=1)
    assert not df.valid.any() and df.required_GiB.isna().all()


def test_smallest_fitting_tp_and_largest_when_none_fits():
    # llama-3.1-70b bf16: one H100 is too small, two are enough at short context
    df = sweep("llama-3.1-70b", "p5.48xlarge", contexts=4096, batches=[1, 10_000])
    assert df.tp.tolist() == [2, 8]
    assert df.fits.tolist() == [True, False]


def test_last_fitting_batch_is_max_batch():
    bats = np.arange(1, 200)
    df = sweep("llama-3.1-8b", "g6e.xlarge", contexts=32768, batches=bats)
    last = int(df.loc[df.fits, "batch"].max())
    assert last == ls.max_batch("llama-3.1-8b", "g6e.xlarge", 32768)
    assert df.fits.tolist() == [b <= last for b in bats]


def test_defaults_come_from_the_workload():
    w = ls.Workload(context_len=16384, batch=4, weight_dtype="fp8", kv_dtype="fp8")
    df = sweep("llama-3.1-8b", ["g6e.xlarge"], workload=w)
    assert len(df) == 1
    row = df.iloc[0]
    assert (row.context_len, row.batch, row.weight_dtype, row.kv_dtype) == (16384, 4, "fp8", "fp8")
    r = ls.fit("llama-3.1-8b", "g6e.xlarge", w)
    assert _close(row.required_GiB, r.required.to("GiB").magnitude)


def test_accepts_objects_and_numpy_scalars():
    m = ls.load_model("mistral-7b-v0.1")
    inst = ls.load_catalog().get("g6e.xlarge")
    policy = ls.WeightPolicy(linear="int4")
    df = sweep(m, inst, contexts=np.int64(4096), batches=np.array([1, 2]), weight_dtypes=policy)
    assert len(df) == 2 and df.model.iloc[0] == "mistral-7b-v0.1"
    assert df.weight_dtype.iloc[0] == policy.label()
    r = ls.fit(m, inst, ls.Workload(context_len=4096, batch=2, weight_dtype=policy))
    assert _close(df.required_GiB.iloc[1], r.required.to("GiB").magnitude)


def test_duplicate_labels_share_a_category():
    df = sweep(["llama-3.1-8b", "llama-3.1-8b"], "g6e.xlarge", 1024, 1)
    assert len(df) == 2 and list(df.model.cat.categories) == ["llama-3.1-8b"]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"contexts": [0]}, WorkloadError),
        ({"contexts": [1.5]}, WorkloadError),
        ({"batches": [-1]}, WorkloadError),
        ({"batches": []}, WorkloadError),
        ({"batches": [10**13]}, WorkloadError),
        ({"contexts": ["long"]}, WorkloadError),
        ({"kv_dtypes": ["fp7"]}, UnknownNameError),
        ({"weight_dtypes": ["fp9"]}, UnknownNameError),
        ({"instances": ["p5.48xlarg"]}, UnknownNameError),
        ({"models": ["llama-9"]}, UnknownNameError),
    ],
)
def test_bad_input_raises_a_named_error(kwargs, error):
    args = {"models": "llama-3.1-8b", "instances": "g6e.xlarge", **kwargs}
    with pytest.raises(error):
        sweep(**args)


def test_extreme_contexts_and_batches_match_fit():
    # products of context x batch and batch x vocabulary far beyond int64
    df = sweep("llama-4-scout", "trn2.48xlarge", [10**6, 10**7], [1, 10**12])
    assert df.valid.all() and df.required_GiB.notna().all()
    _assert_rows_match_fit(df, ls.Workload())


def test_kv_cache_elements_matches_kv_cache_memory():
    m = ls.load_model("gemma-3-27b")
    ctx = np.array([1, 1000, 1024, 5000, 131072])
    e = kv_cache_elements(m, ctx)
    for c, x in zip(ctx, e, strict=True):
        assert x * 2 == ls.kv_cache_memory(m, int(c), 1, "bf16").to("byte").magnitude


def test_large_grid_shape_and_dtypes():
    ctx = np.unique(np.geomspace(512, 131072, 40).astype(int))
    df = sweep(
        ["llama-3.1-70b", "deepseek-v2"],
        ["p5.48xlarge", "inf2.48xlarge", "trn2.48xlarge"],
        ctx,
        np.arange(1, 65),
        ["bf16", "fp8"],
        ["bf16", "fp8"],
    )
    assert len(df) == 2 * 3 * 2 * 2 * len(ctx) * 64
    assert df.tp.dtype == "Int64" and df.fits.dtype == bool
    assert df.model.dtype == "category"
    # fits is monotone: more sequences never fit where fewer do not
    g = df.groupby(["model", "instance", "weight_dtype", "kv_dtype", "context_len"], observed=True)
    assert g.fits.apply(lambda s: s.is_monotonic_decreasing).all()
