"""Cost claims: USD per 1M tokens on an instance, against the roofline.

For one reading (weight format, KV format, prompt and output lengths):

* **fails** if the model does not fit the named number of instances, or if the
  price needs more tokens/s than the roofline gives at 100% utilisation and
  the largest batch that fits;
* **holds** if one sequence at 70% of the roofline already reaches it;
* **depends** otherwise: it holds from some batch on (named).

A weight format the claim leaves open is explored over
:data:`~llmsizing.claims.readings.WEIGHT_CANDIDATES` (the KV cache stays bf16
unless given); the verdict holds if every format holds, fails if none does,
and depends otherwise, naming the formats. With ``instances: [lo, hi]`` a
model that needs more than ``lo`` instances holds only from that count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from llmsizing.catalog import Instance
from llmsizing.errors import ClaimError
from llmsizing.fit import Workload, max_batch
from llmsizing.model import ModelConfig
from llmsizing.perf import estimate_performance
from llmsizing.units import ureg

from .context import Context
from .readings import WEIGHT_CANDIDATES, Outcome, combine, describe, kv_label
from .registry import checker
from .schema import CostClaim, Status, span
from .verdict import MARK, Verdict

__all__ = ["REALISTIC_UTILIZATION", "check_cost"]

#: Bandwidth and compute utilisation a well-tuned engine reaches at batch 1 [-].
REALISTIC_UTILIZATION = 0.7
#: Prompt and output lengths when a cost claim names none [tokens].
DEFAULT_PROMPT = 1024
DEFAULT_OUTPUT = 256


def _price(c: CostClaim) -> float:
    usd = c.usd_per_million_tokens
    if not math.isfinite(usd) or usd <= 0:
        raise ClaimError(
            f"{c.where('usd_per_million_tokens')}: a cost claim needs a positive "
            f"'usd_per_million_tokens', got {usd!r}"
        )
    if usd < 1e-9:  # would imply an unbounded throughput
        raise ClaimError(
            f"{c.where('usd_per_million_tokens')}: usd_per_million_tokens {usd!r} is below "
            "the sanity limit 1e-9"
        )
    return usd


@dataclass(frozen=True)
class _Priced:
    """One reading of a cost claim, judged."""

    outcome: Outcome
    numbers: dict[str, Any]
    explanation: str
    assumptions: dict[str, Any]


def _reading(
    c: CostClaim, ctx: Context, m: ModelConfig, inst: Instance, weights: str, kv: str | float
) -> _Priced:
    usd = c.usd_per_million_tokens
    w = c.workload
    prompt = (w.prompt if w else None) or DEFAULT_PROMPT
    output = (w.output if w else None) or DEFAULT_OUTPUT
    tokens = span(w.context)[0] if w and w.context else prompt + output
    n_lo, n_hi = span(c.instances)
    cat = ctx.catalog
    price = cat.hourly_price(inst.name)
    base = Workload(
        context_len=tokens, prompt_len=prompt, output_len=output, weight_dtype=weights, kv_dtype=kv
    )
    label = kv_label(kv)
    assumptions: dict[str, Any] = {
        "weights": weights,
        "kv": label,
        "prompt": prompt,
        "output": output,
        "context": tokens,
    }
    r = ctx.fit(m, inst, base)
    n_inst = 1 if r.fits else r.instances_needed
    numbers: dict[str, Any] = {"claimed": f"${usd:,.2f} per 1M {c.tokens} tokens"}

    def priced(status: Status, cond: str, expl: str) -> _Priced:
        return _Priced(Outcome(weights, label, status, cond), numbers, expl, assumptions)

    if n_inst is None or n_inst > n_hi:
        where = f"{n_hi} × {inst.name}" if n_hi > 1 else f"one {inst.name}"
        need = f"{n_inst} instances" if n_inst else "more instances than a pipeline can use"
        numbers |= {
            "required per rank": r.required.to("GiB"),
            "available per rank": r.available.to("GiB"),
            "instances needed": n_inst or "none",
        }
        return priced(
            "fails",
            "",
            f"[-] No price on {where} can hold: {m.name} in {weights} does not fit there "
            f"(it needs {need}). {r.explanation}",
        )
    if price is None:
        numbers["price"] = f"no public on-demand price for {inst.name}"
        return priced(
            "depends",
            "at a negotiated or capacity-block rate",
            f"[/] {inst.name} has no public on-demand price, so ${usd}/1M tokens can only be "
            "checked against a negotiated or capacity-block rate.",
        )
    hourly = price * n_inst
    needed = hourly / 3600 / (usd / 1e6) * ureg("token/s")
    numbers |= {
        "instances": n_inst,
        "USD per hour": f"${hourly:,.2f}",
        "implied throughput": needed,
    }
    assumptions["price"] = f"${price}/h us-east-1 on-demand"
    bmax = ctx.timed(max_batch, m, inst, tokens, base, catalog=cat) if r.fits else 1
    bmax = max(bmax, 1)

    def tps(batch: int, eff: float) -> Any:
        est = ctx.timed(
            estimate_performance,
            m,
            inst,
            base.model_copy(update={"batch": batch}),
            mfu=min(eff, 1.0),
            bandwidth_utilization=min(eff, 1.0),
            interconnect_utilization=1.0 if eff >= 1 else 0.8,
            catalog=cat,
        )
        return est.prefill_tokens_per_s if c.tokens == "input" else est.tokens_per_s

    ceiling = tps(bmax, 1.0)
    realistic_b1 = tps(1, REALISTIC_UTILIZATION)
    numbers |= {
        "roofline ceiling (100% util, max batch)": ceiling,
        "max batch": bmax,
        "batch 1 throughput": realistic_b1,
    }
    fewer = f"from {n_inst} instances" if n_inst > n_lo else ""
    on = f"{n_inst} × {inst.name} (${hourly:,.2f}/h)"
    if ceiling < needed:
        return priced(
            "fails",
            "",
            f"[-] ${usd}/1M {c.tokens} tokens on {on} needs {needed.magnitude:,.0f} tokens/s; "
            f"the roofline allows at most {ceiling.magnitude:,.0f} tokens/s even at 100% "
            f"utilisation and batch {bmax}.",
        )
    if realistic_b1 >= needed:
        status: Status = "depends" if fewer else "holds"
        return priced(
            status,
            fewer,
            f"{MARK[status]} ${usd}/1M {c.tokens} tokens on {on} needs {needed.magnitude:,.0f} "
            f"tokens/s; a single sequence already reaches {realistic_b1.magnitude:,.0f} tokens/s.",
        )
    lo = _first(lambda b: tps(b, REALISTIC_UTILIZATION) >= needed, 1, bmax)
    reach = tps(lo, REALISTIC_UTILIZATION) >= needed
    cond = (
        f"from batch {lo} at 70% bandwidth utilisation"
        if reach
        else f"only near the roofline (above 70% utilisation at batch up to {bmax})"
    )
    numbers["batch needed"] = lo if reach else f"> {bmax}"
    return priced(
        "depends",
        " and ".join(x for x in (fewer, cond) if x),
        f"[/] ${usd}/1M {c.tokens} tokens on {on} needs {needed.magnitude:,.0f} tokens/s: it "
        f"holds {cond}; the ceiling is {ceiling.magnitude:,.0f} tokens/s at batch {bmax}.",
    )


def _first(ok: Any, lo: int, hi: int) -> int:
    """Smallest x in [lo, hi] with ok(x) (ok monotone increasing); hi if none."""
    while lo < hi:
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


@checker("cost")
def check_cost(c: CostClaim, ctx: Context) -> Verdict:
    """Is ``usd_per_million_tokens`` deliverable on the instance(s), under each open reading?"""
    m = ctx.model(c, c.model)
    inst = ctx.instance(c, c.instance)
    _price(c)
    w = c.workload
    weights = [w.weights] if w and w.weights else list(WEIGHT_CANDIDATES[inst.accelerator_kind])
    kvs: list[str | float] = [w.kv] if w and w.kv is not None else ["bf16"]
    rows = [_reading(c, ctx, m, inst, wd, kv) for wd in weights for kv in kvs]
    outcomes = [p.outcome for p in rows]
    status = combine(outcomes)
    rep = next(
        (p for want in ("holds", "depends") for p in rows if p.outcome.status == want), rows[-1]
    )
    expl = rep.explanation
    if len(rows) > 1:
        expl = (
            f"{MARK[status]} {describe(outcomes)} "
            f"Shown: {rep.outcome.weights} weights. {rep.explanation[4:]}"
        )
    numbers = dict(rep.numbers)
    if status == "depends" and len(rows) > 1:
        numbers["holds under"] = "; ".join(
            o.weights + (f" ({o.condition})" if o.condition else "")
            for o in outcomes
            if o.status != "fails"
        )
    return Verdict(
        claim=c,
        status=status,
        numbers=numbers,
        assumptions=rep.assumptions | {"weights tried": ", ".join(weights)},
        explanation=expl,
    )
