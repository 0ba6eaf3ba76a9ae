"""Fit claims: does a model run on an instance, or on some number of them?

Each reading of what the claim leaves open (weight format, KV format; see
:mod:`llmsizing.claims.readings`) is checked over the claim's ranges of
context, batch and instance count. Fit is monotone in all three (a longer
context or a larger batch needs more memory; more instances give more), so a
reading

* holds if it fits at the longest context and largest batch on the fewest
  instances of the ranges,
* fails if it does not fit even at the shortest context and smallest batch on
  the most instances,
* depends otherwise, and the checker names the threshold: the longest context
  or the largest batch that fits, or the fewest instances that hold it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from llmsizing.catalog import Instance
from llmsizing.dtypes import dtype_bits, weight_dtype
from llmsizing.fit import FitResult, Workload, max_batch, max_context
from llmsizing.model import ModelConfig

from .context import Context
from .readings import (
    KV_CANDIDATES,
    MIN_CONTEXT,
    WEIGHT_CANDIDATES,
    Outcome,
    combine,
    describe,
    kv_label,
)
from .registry import checker
from .schema import FitClaim, Status, span
from .verdict import MARK, Verdict

__all__ = ["PLAUSIBLE_CONTEXTS", "PLAUSIBLE_KV", "PLAUSIBLE_WEIGHTS", "check_fit"]

#: The candidate sets, under their former names.
PLAUSIBLE_WEIGHTS = WEIGHT_CANDIDATES["gpu"]
PLAUSIBLE_KV = KV_CANDIDATES
PLAUSIBLE_CONTEXTS = (MIN_CONTEXT, 4096, 32768, 131072)
#: Longest context explored for a model that states no maximum [tokens].
DEFAULT_MAX_CONTEXT = 131072


@dataclass(frozen=True)
class _Ranges:
    """The ranges a fit claim is checked over: context, batch, instances."""

    ctx: tuple[int, int]
    batch: tuple[int, int]
    n: tuple[int, int]
    context_open: bool


def _ranges(c: FitClaim, m: ModelConfig) -> _Ranges:
    w = c.workload
    cap = m.max_position_embeddings or DEFAULT_MAX_CONTEXT
    if w is not None and w.context is not None:
        lo, hi = span(w.context)
        # a range beyond the model's window is capped; a single context is checked as given
        ctx = (min(lo, cap), min(hi, cap)) if lo < hi else (lo, hi)
        is_open = False
    else:
        ctx, is_open = (min(MIN_CONTEXT, cap), cap), True
    batch = span(w.batch) if w is not None and w.batch is not None else (1, 1)
    return _Ranges(ctx, batch, span(c.instances), is_open)


class _Reading:
    """One weight/KV reading of a fit claim, with its fits computed on demand."""

    def __init__(
        self, ctx: Context, c: FitClaim, m: ModelConfig, inst: Instance, weights: str, kv: Any
    ) -> None:
        self.ctx, self.c, self.m, self.inst = ctx, c, m, inst
        self.weights, self.kv = weights, kv

    def workload(self, tokens: int, batch: int) -> Workload:
        kw: dict[str, Any] = {
            "context_len": tokens,
            "batch": batch,
            "weight_dtype": self.weights,
            "kv_dtype": self.kv,
        }
        w = self.c.workload
        if w is not None and w.memory_utilization is not None:
            kw["memory_utilization"] = w.memory_utilization
        return Workload(**kw)

    def result(self, tokens: int, batch: int, stages: bool = False) -> FitResult:
        """The fit; ``stages`` also searches the instances a pipeline would need."""
        n = 64 if stages else 1
        return self.ctx.fit(self.m, self.inst, self.workload(tokens, batch), max_instances=n)

    def ok(self, tokens: int, batch: int, n: int) -> bool:
        r = self.result(tokens, batch, stages=n > 1)
        if n == 1:
            return r.fits
        return r.instances_needed is not None and r.instances_needed <= n

    def longest_context(self, r: _Ranges, batch: int) -> int:
        lo, hi = r.ctx
        if r.n[1] == 1:
            best = self.ctx.timed(
                max_context, self.m, self.inst, batch, self.workload(lo, batch), self.ctx.catalog
            )
            return min(int(best), hi)
        return _bisect(lambda t: self.ok(t, batch, r.n[1]), lo, hi)

    def largest_batch(self, r: _Ranges) -> int:
        lo, hi = r.batch
        if r.n[1] == 1:
            best = self.ctx.timed(
                max_batch,
                self.m,
                self.inst,
                r.ctx[0],
                self.workload(r.ctx[0], lo),
                self.ctx.catalog,
                limit=hi,
            )
            return min(int(best), hi)
        return _bisect(lambda b: self.ok(r.ctx[0], b, r.n[1]), lo, hi)

    def fewest_instances(self, r: _Ranges) -> int | None:
        need = self.result(r.ctx[1], r.batch[1], stages=True).instances_needed
        return need if need is not None and need <= r.n[1] else None

    def outcome(self, r: _Ranges) -> tuple[Outcome, FitResult]:
        wk, label = self.weights, kv_label(self.kv)
        if self.ok(r.ctx[1], r.batch[1], r.n[0]):
            return Outcome(wk, label, "holds"), self.result(r.ctx[1], r.batch[1])
        best = self.result(r.ctx[0], r.batch[0])
        if not self.ok(r.ctx[0], r.batch[0], r.n[1]):
            return Outcome(wk, label, "fails"), best
        conds = []
        if r.n[0] < r.n[1] and (k := self.fewest_instances(r)) is not None and k > r.n[0]:
            conds.append(f"from {k} instances")
        if r.ctx[0] < r.ctx[1] and not self.ok(r.ctx[1], r.batch[0], r.n[1]):
            text = f"up to {self.longest_context(r, r.batch[0]):,}-token contexts"
            if r.batch[0] < r.batch[1] and self.ok(r.ctx[0], r.batch[1], r.n[1]):
                at_hi = self.longest_context(r, r.batch[1])
                text += f" at {r.batch[0]:,} sequences ({at_hi:,} at {r.batch[1]:,})"
            conds.append(text)
        if r.batch[0] < r.batch[1] and not self.ok(r.ctx[0], r.batch[1], r.n[1]):
            conds.append(f"up to {self.largest_batch(r):,} concurrent sequences")
        return Outcome(wk, label, "depends", " and ".join(conds)), best


def _bisect(ok: Any, lo: int, hi: int) -> int:
    """Largest x in [lo, hi] with ok(x), given ok(lo) and ok monotone decreasing."""
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if ok(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo


def _bits(reading: _Reading) -> tuple[float, float]:
    return weight_dtype(reading.weights).bits, dtype_bits(reading.kv)


def _explore(readings: list[_Reading], r: _Ranges) -> list[tuple[Outcome, FitResult | None]]:
    """Each reading's outcome, skipping the fits that monotonicity already decides.

    Memory per rank grows with the bits of every weight and KV element, so a
    reading that holds everywhere implies that every reading with no more bits
    in both holds too, and one that fails even at the smallest workload
    implies that every reading with no fewer bits fails. The heaviest and the
    lightest readings are computed first; inferred outcomes carry no result.
    """
    order = sorted(range(len(readings)), key=lambda i: _bits(readings[i]), reverse=True)
    order = [order[0], order[-1], *order[1:-1]] if len(order) > 2 else order
    done: dict[int, tuple[Outcome, FitResult | None]] = {}
    for i in order:
        wb, kb = _bits(readings[i])
        for j, (o, _) in done.items():
            wj, kj = _bits(readings[j])
            if o.status == "holds" and wj >= wb and kj >= kb:
                done[i] = (_as(readings[i], "holds"), None)
                break
            if o.status == "fails" and wj <= wb and kj <= kb:
                done[i] = (_as(readings[i], "fails"), None)
                break
        else:
            done[i] = readings[i].outcome(r)
    return [done[i] for i in range(len(readings))]


def _as(reading: _Reading, status: Status) -> Outcome:
    return Outcome(reading.weights, kv_label(reading.kv), status)


def _representative(rows: list[tuple[Outcome, FitResult | None]]) -> FitResult:
    """The result shown: the first reading that holds, else one in part, else the lightest."""
    for want in ("holds", "depends"):
        for o, res in rows:
            if o.status == want and res is not None:
                return res
    computed = [res for _, res in rows if res is not None]
    return computed[-1]


def _range_text(lo: int, hi: int, unit: str = "") -> str:
    return f"{lo:,}{unit}" if lo == hi else f"{lo:,}–{hi:,}{unit}"


@checker("fit")
def check_fit(c: FitClaim, ctx: Context) -> Verdict:
    """Fit ``model`` on ``instance`` (or a number or range of them) over the open choices."""
    m = ctx.model(c, c.model)
    inst = ctx.instance(c, c.instance)
    r = _ranges(c, m)
    w = c.workload
    weights = [w.weights] if w and w.weights else list(WEIGHT_CANDIDATES[inst.accelerator_kind])
    kvs: list[Any] = [w.kv] if w and w.kv is not None else list(KV_CANDIDATES)
    rows = _explore([_Reading(ctx, c, m, inst, wd, kv) for wd in weights for kv in kvs], r)
    outcomes = [o for o, _ in rows]
    status = combine(outcomes)
    shown = _representative(rows)
    # the result shown also says how many instances a model that does not fit would need
    rep = ctx.fit(m, inst, shown.workload) if not shown.fits else shown
    pc = m.param_counts()
    numbers: dict[str, Any] = {
        "total params": f"{pc.total / 1e9:,.1f} B",
        "active params": f"{pc.active / 1e9:,.1f} B",
        "weights": rep.weights_total.to("GiB"),
        "KV cache": rep.kv_cache_total.to("GiB"),
        "required per rank": rep.required.to("GiB"),
        "available per rank": rep.available.to("GiB"),
        "instance memory": inst.total_accelerator_memory,
        "TP": rep.tp,
    }
    if rep.instances_needed and not rep.fits:
        numbers["instances needed"] = rep.instances_needed
    if status == "depends":
        numbers["holds under"] = "; ".join(
            f"{o.weights}/{o.kv} KV" + (f" ({o.condition})" if o.condition else "")
            for o in outcomes
            if o.status != "fails"
        )
    tried = (
        f"weights {', '.join(weights)}; KV {', '.join(kv_label(k) for k in kvs)}; "
        f"context {_range_text(*r.ctx, ' tokens')}{' (open)' if r.context_open else ''}; "
        f"batch {_range_text(*r.batch)}; instances {_range_text(*r.n)}"
    )
    n_lo, n_hi = r.n
    where = inst.name if n_hi == 1 else f"{_range_text(n_lo, n_hi)} × {inst.name}"
    summary = describe(outcomes)
    expl = (
        f"{MARK[status]} {m.name} on {where}: {status}."
        + (f" {summary}" if summary else "")
        + f" {rep.explanation}"
    )
    return Verdict(
        claim=c,
        status=status,
        numbers=numbers,
        assumptions={"tried": tried, "memory_utilization": rep.workload.memory_utilization},
        explanation=expl,
    )
