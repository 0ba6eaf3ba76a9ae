"""Memory claims: the bytes a model's weights (or KV cache) take, or a bare parameter count's.

"20B parameters at bfloat16: about 40 GB just for weights" is a weights claim
on ``params: 20B``; with a model, :func:`llmsizing.memory.weight_memory` counts
every tensor in its format (scales included). A bare parameter count has no
tensors: its weights are ``params × bits / 8``, storage only. An open weight
format is explored over the candidates of :mod:`llmsizing.claims.readings`.
"""

from __future__ import annotations

from typing import Any

from llmsizing.dtypes import weight_dtype
from llmsizing.errors import ClaimError
from llmsizing.memory import kv_cache_memory, weight_memory
from llmsizing.units import ureg

from .context import Context
from .parsing import parse_params, parse_quantity, parse_tolerance
from .ratio import judge
from .readings import WEIGHT_CANDIDATES, Outcome, combine, describe, kv_label
from .registry import checker
from .schema import MemoryClaim, span
from .verdict import MARK, Verdict, fmt

__all__ = ["check_memory"]


def _weights(c: MemoryClaim, ctx: Context, dtype: str) -> Any:
    if c.model is not None:
        return ctx.timed(weight_memory, ctx.model(c, c.model), dtype)
    n = parse_params(c.params, c.where("params"))
    return n * weight_dtype(dtype).bits / 8 * ureg.byte


def _kv(c: MemoryClaim, ctx: Context) -> Any:
    w = c.workload
    if w is None or w.context is None:
        raise ClaimError(f"{c.where('workload')}: a kv_cache claim needs workload 'context'")
    m = ctx.model(c, c.model)
    batch = span(w.batch)[0] if w.batch is not None else 1
    kv = w.kv if w.kv is not None else "bf16"
    return ctx.timed(kv_cache_memory, m, span(w.context)[0], batch, kv), kv


@checker("memory")
def check_memory(c: MemoryClaim, ctx: Context) -> Verdict:
    """Compare the claimed memory with the computed one, within a tolerance (default 5%)."""
    claimed = parse_quantity(c.value, c.where("value"), unit="GiB")
    tol = parse_tolerance(c.tolerance, c.where("tolerance"), 0.05)
    claimed_b = float(claimed.to("byte").magnitude)
    if c.quantity == "kv_cache":
        value, kv = _kv(c, ctx)
        got = float(value.to("byte").magnitude)
        status = "holds" if judge(got, claimed_b, tol, c.relation) else "fails"
        expl = (
            f"{MARK[status]} KV cache of {c.model} ({kv_label(kv)}): {fmt(value.to(claimed.units))}"
            f" against the claimed {fmt(claimed)} ({got / claimed_b - 1:+.1%}; "
            f"tolerance {tol.text()})."
        )
        return Verdict(
            claim=c,
            status=status,
            numbers={"computed": value.to(claimed.units), "claimed": claimed},
            assumptions={"kv": kv_label(kv), "tolerance": tol.text()},
            explanation=expl,
        )
    w = c.workload
    dtypes = [w.weights] if w and w.weights else list(WEIGHT_CANDIDATES["gpu"])
    rows = []
    for d in dtypes:
        value = _weights(c, ctx, d)
        got = float(value.to("byte").magnitude)
        ok = judge(got, claimed_b, tol, c.relation)
        rows.append((Outcome(d, "", "holds" if ok else "fails"), value))
    status = combine([o for o, _ in rows])
    what = c.model or f"{parse_params(c.params, c.where('params')):,.0f} parameters"
    found = "; ".join(
        f"{o.weights} {fmt(v.to(claimed.units))} ({fmt(v.to('GiB'))})" for o, v in rows
    )
    expl = (
        f"{MARK[status]} Weights of {what}: {found} against the claimed {fmt(claimed)} "
        f"(tolerance {tol.text()})."
    )
    if len(rows) > 1:
        expl += " " + describe([o for o, _ in rows])
    if c.model is None:
        expl += " A bare parameter count is storage only: params × bits / 8, no scales."
    return Verdict(
        claim=c,
        status=status,
        numbers={f"weights ({o.weights})": v.to(claimed.units) for o, v in rows}
        | {"claimed": claimed},
        assumptions={"weights tried": ", ".join(dtypes), "tolerance": tol.text()},
        explanation=expl,
    )
