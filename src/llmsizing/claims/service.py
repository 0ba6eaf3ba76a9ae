"""Service-limit claims: documented limits of AWS services, and models within them.

The limits are data (:data:`SERVICE_LIMITS`), each with its source. A
``fits_model`` claim asks whether a model's weights and a short KV cache fit
the service's memory limit, over the weight formats the claim leaves open
(:mod:`llmsizing.claims.readings`); none of these services has an accelerator,
so nothing else can hold them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from llmsizing.errors import ClaimError, suggest
from llmsizing.memory import kv_cache_memory, weight_memory
from llmsizing.units import ureg

from .context import Context
from .parsing import parse_quantity, parse_tolerance
from .ratio import judge
from .readings import WEIGHT_CANDIDATES, Outcome, combine, describe
from .registry import checker
from .schema import ServiceLimitClaim, Status, span
from .vendor import prefix_family, relabel
from .verdict import MARK, Verdict, fmt

__all__ = ["SERVICE_LIMITS", "ServiceLimit", "check_service_limit"]


@dataclass(frozen=True)
class ServiceLimit:
    """One documented limit: its value and where it is documented."""

    value: Any
    source: str


_LAMBDA = "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html"
_EDGE = (
    "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/"
    "edge-functions-restrictions.html"
)
_SERVERLESS = "https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html"

#: (service, quantity) -> limit. Memory limits are in MB as AWS states them (1 MB = 2**20 B).
SERVICE_LIMITS: dict[tuple[str, str], ServiceLimit] = {
    ("lambda", "max_memory"): ServiceLimit(ureg.Quantity(10240, "MiB"), _LAMBDA),
    ("lambda", "max_ephemeral_storage"): ServiceLimit(ureg.Quantity(10240, "MiB"), _LAMBDA),
    ("lambda", "max_timeout"): ServiceLimit(ureg.Quantity(900, "s"), _LAMBDA),
    ("lambda@edge-viewer", "max_memory"): ServiceLimit(ureg.Quantity(128, "MiB"), _EDGE),
    ("lambda@edge-origin", "max_memory"): ServiceLimit(ureg.Quantity(10240, "MiB"), _EDGE),
    ("sagemaker-serverless", "max_memory"): ServiceLimit(ureg.Quantity(6144, "MiB"), _SERVERLESS),
}
#: Context of the KV cache a ``fits_model`` claim budgets when it names none [tokens].
DEFAULT_CONTEXT = 512


def _limit(c: ServiceLimitClaim, quantity: str) -> ServiceLimit:
    key = (c.service.lower(), quantity)
    if key not in SERVICE_LIMITS:
        known = sorted({f"{s}/{q}" for s, q in SERVICE_LIMITS})
        raise ClaimError(
            f"{c.where('service')}: no documented limit {c.service}/{quantity}: "
            f"{suggest(f'{c.service}/{quantity}', known)}"
        )
    return SERVICE_LIMITS[key]


@checker("service_limit")
def check_service_limit(c: ServiceLimitClaim, ctx: Context) -> Verdict:
    """A claimed service limit against the documented one, or a model against the limit."""
    if c.quantity != "fits_model":
        lim = _limit(c, c.quantity)
        claimed = parse_quantity(c.value, c.where("value"), unit=f"{lim.value.units}")
        tol = parse_tolerance(c.tolerance, c.where("tolerance"), 0.05)
        readings = [("as written", claimed)]
        if prefix_family(claimed) == "decimal" and claimed.check("[information]"):
            # AWS states these limits in "MB" meaning MiB: "10,240 MB" is 10 GiB
            readings.append(("AWS's label", relabel(claimed, "binary")))
        ok, used = False, readings[0]
        for name, q in readings:
            got = float(lim.value.to(q.units).magnitude)
            if judge(got, float(q.magnitude), tol, c.relation):
                ok, used = True, (name, q)
                break
        status: Status = "holds" if ok else "fails"
        note = (
            f" AWS writes {fmt(relabel(lim.value, 'decimal'))} for {fmt(lim.value)}, so read "
            f"as AWS means it the claim is {fmt(used[1])}."
            if used[0] != "as written"
            else ""
        )
        return Verdict(
            claim=c,
            status=status,
            numbers={"documented": lim.value, "claimed": claimed},
            assumptions={"source": lim.source, "tolerance": tol.text(), "reading": used[0]},
            explanation=(
                f"{MARK[status]} {c.service} {c.quantity.replace('_', ' ')}: documented "
                f"{fmt(lim.value)} ({fmt(lim.value.to(claimed.units))}) against the claimed "
                f"{fmt(claimed)}.{note} Source: {lim.source}."
            ),
        )
    lim = _limit(c, "max_memory")
    m = ctx.model(c, c.model)
    w = c.workload
    tokens = span(w.context)[0] if w and w.context else DEFAULT_CONTEXT
    kv = w.kv if w and w.kv is not None else "bf16"
    dtypes = [w.weights] if w and w.weights else list(WEIGHT_CANDIDATES["gpu"])
    cache = kv_cache_memory(m, tokens, 1, kv)
    rows = []
    for d in dtypes:
        need = ctx.timed(weight_memory, m, d) + cache
        rows.append((Outcome(d, "", "holds" if need <= lim.value else "fails"), need))
    status = combine([o for o, _ in rows])
    found = "; ".join(f"{o.weights} {fmt(v.to('GiB'))}" for o, v in rows)
    return Verdict(
        claim=c,
        status=status,
        numbers={f"needed ({o.weights})": v.to("GiB") for o, v in rows}
        | {"limit": lim.value.to("GiB")},
        assumptions={"context": tokens, "source": lim.source},
        explanation=(
            f"{MARK[status]} {m.name} in {c.service} ({fmt(lim.value)} memory at most, no "
            f"accelerator): weights plus a {tokens:,}-token KV cache need {found}. "
            + describe([o for o, _ in rows])
            + f" Source: {lim.source}."
        ),
    )
