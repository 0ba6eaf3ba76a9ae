"""Spec claims: an instance figure computed from its per-device catalog row.

A memory or bandwidth figure is read the way its vendor labels it (see
:mod:`llmsizing.claims.labels`): a claim that matches the vendor's label holds,
with a note saying what the physical figure is; one that matches neither the
physical figure nor the label fails.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from llmsizing.catalog import Instance
from llmsizing.errors import ClaimError, suggest
from llmsizing.units import ureg

from .context import Context
from .parsing import Tolerance, parse_quantity, parse_tolerance
from .registry import checker
from .schema import SpecClaim, Status, span
from .vendor import Dimension, label_convention, physical, prefix_family, relabel, sparse_flops
from .verdict import MARK, Verdict, fmt

__all__ = ["EXTENSIVE", "SPEC_QUANTITIES", "check_spec", "spec_value"]


def _count(f: Callable[[Instance], Any]) -> Callable[[Instance], Any]:
    def g(i: Instance) -> Any:
        v = f(i)
        return None if v is None else v * ureg.dimensionless

    return g


def _times_count(f: Callable[[Instance], Any]) -> Callable[[Instance], Any]:
    def g(i: Instance) -> Any:
        v = f(i)
        return None if v is None else v * i.accelerator_count

    return g


#: Spec quantities: name -> (unit to report in, how to compute it from an Instance).
SPEC_QUANTITIES: dict[str, tuple[str, Callable[[Instance], Any]]] = {
    "accelerator_count": ("", _count(lambda i: i.accelerator_count)),
    "accelerator_memory_per_device": ("GiB", lambda i: i.accelerator_memory),
    "accelerator_memory_total": ("GiB", lambda i: i.total_accelerator_memory),
    "memory_bandwidth_per_device": ("TB/s", lambda i: i.memory_bandwidth),
    "memory_bandwidth_total": ("TB/s", lambda i: i.total_memory_bandwidth),
    "dense_flops_bf16_per_device": ("TFLOPS", lambda i: i.dense_flops("bf16")),
    "dense_flops_fp8_per_device": ("TFLOPS", lambda i: i.dense_flops("fp8")),
    "dense_flops_bf16_total": ("PFLOPS", lambda i: i.peak_flops("bf16")),
    "dense_flops_fp8_total": ("PFLOPS", lambda i: i.peak_flops("fp8")),
    "dense_flops_fp4_total": ("PFLOPS", lambda i: i.peak_flops("fp4")),
    "network_bandwidth": ("Gbps", lambda i: i.network_bandwidth),
    "interconnect_bandwidth_per_device": ("GB/s", lambda i: i.interconnect_bandwidth),
    "interconnect_bandwidth_total": ("TB/s", _times_count(lambda i: i.interconnect_bandwidth)),
    "host_memory": ("GiB", lambda i: i.host_memory),
    "vcpus": ("", _count(lambda i: i.vcpus)),
    "neuron_cores": ("", _count(lambda i: i.neuron_cores)),
    "nodes": ("", _count(lambda i: i.nodes)),
    "local_nvme": ("TB", lambda i: i.local_nvme),
    "sparse_flops_bf16_per_device": ("TFLOPS", lambda i: sparse_flops(i, "bf16")),
    "sparse_flops_fp8_per_device": ("TFLOPS", lambda i: sparse_flops(i, "fp8")),
    "sparse_flops_bf16_total": ("PFLOPS", _times_count(lambda i: sparse_flops(i, "bf16"))),
    "sparse_flops_fp8_total": ("PFLOPS", _times_count(lambda i: sparse_flops(i, "fp8"))),
}
#: Quantities that add up over instances (a spec claim may give ``instances: N``).
EXTENSIVE = frozenset(
    {
        "accelerator_count",
        "accelerator_memory_total",
        "memory_bandwidth_total",
        "dense_flops_bf16_total",
        "dense_flops_fp8_total",
        "dense_flops_fp4_total",
        "network_bandwidth",
        "interconnect_bandwidth_total",
        "host_memory",
        "vcpus",
        "neuron_cores",
        "nodes",
        "local_nvme",
        "sparse_flops_bf16_total",
        "sparse_flops_fp8_total",
    }
)


def spec_value(inst: Instance, quantity: str) -> Any:
    """An instance's spec quantity, computed from its per-device catalog row.

    Memory is in the unit the catalog stores (the vendor's label unit).

    Examples
    --------
    >>> from llmsizing.catalog import load_catalog
    >>> spec_value(load_catalog().get("trn2.48xlarge"), "accelerator_memory_total").to("TiB")
    <Quantity(1.5, 'tebibyte')>
    """
    if quantity not in SPEC_QUANTITIES:
        raise ClaimError(
            f"unknown spec quantity {quantity!r}: {suggest(quantity, SPEC_QUANTITIES)}"
        )
    value = SPEC_QUANTITIES[quantity][1](inst)
    if value is None:
        raise ClaimError(
            f"{inst.name} has no {quantity} in the catalog (not supported or not published)"
        )
    return value


def _unit_hint(claimed: Any, computed: Any, tol: float) -> str:
    if not claimed.check("[information]") or tol >= 0.07:
        return ""
    ratio = float((computed / claimed).to("").magnitude)
    binary = 2**30 / 1e9
    for factor in (binary, binary ** (4 / 3), 1 / binary, 1 / binary ** (4 / 3)):
        if abs(ratio / factor - 1) <= tol:
            return (
                " The figure matches if its decimal and binary units (GB/GiB, TB/TiB) are "
                "swapped: a unit error of about 7–10%, which no vendor convention for this "
                "device explains."
            )
    return ""


#: The label dimension of each quantity a vendor labels.
_DIMENSION: dict[str, Dimension] = {
    "accelerator_memory_per_device": "memory",
    "accelerator_memory_total": "memory",
    "memory_bandwidth_per_device": "bandwidth",
    "memory_bandwidth_total": "bandwidth",
    "interconnect_bandwidth_per_device": "bandwidth",
    "interconnect_bandwidth_total": "bandwidth",
}


def _within(computed: Any, claimed: Any, tol: Tolerance) -> tuple[bool, float]:
    rel = float((computed / claimed).to("").magnitude) - 1
    if tol.kind == "absolute":
        return bool(abs(computed - claimed) <= tol.value), rel
    return abs(rel) <= tol.value, rel


def _counts_matching(per: Any, claimed: Any, tol: Tolerance, n_lo: int, n_hi: int) -> list[int]:
    """Instance counts n in [n_lo, n_hi] whose n × ``per`` matches ``claimed``."""
    if n_hi - n_lo <= 64:
        return [n for n in range(n_lo, n_hi + 1) if _within(per * n, claimed, tol)[0]]
    x = float((claimed / per).to("").magnitude)  # the count that matches exactly
    lo, hi = max(n_lo, int(x * 0.5)), min(n_hi, int(x * 2) + 1)
    return [n for n in range(lo, hi + 1) if _within(per * n, claimed, tol)[0]]


@checker("spec")
def check_spec(c: SpecClaim, ctx: Context) -> Verdict:
    """Compare the claimed figure with the catalog's, within a tolerance (default 5%).

    Memory and bandwidth are compared with the physical figure and, failing
    that, with the vendor's label read the vendor's way
    (:mod:`llmsizing.claims.vendor`). With ``instances: [lo, hi]`` the claim
    holds at the counts whose total matches.
    """
    inst = ctx.instance(c, c.instance)
    try:
        per_instance = spec_value(inst, c.quantity)
    except ClaimError as e:
        raise ClaimError(f"{c.where('quantity')}: {e}") from None
    unit = SPEC_QUANTITIES[c.quantity][0]
    n_lo, n_hi = span(c.instances)
    if n_hi > 1 and c.quantity not in EXTENSIVE:
        raise ClaimError(
            f"{c.where('instances')}: {c.quantity} is a per-device figure; 'instances' "
            f"applies to totals only ({', '.join(sorted(EXTENSIVE))})"
        )
    claimed = parse_quantity(c.value, c.where("value"), unit=unit or None)
    if not unit and not claimed.dimensionless:
        raise ClaimError(f"{c.where('value')}: value {c.value!r} should be a plain count")
    tol = parse_tolerance(c.tolerance, c.where("tolerance"), 0.05, unit=unit or None)
    dim = _DIMENSION.get(c.quantity)
    conv = label_convention(inst, dim) if dim else None
    per = physical(inst, per_instance, dim) if dim else per_instance
    # the claim read as written, and (under a vendor convention) as the vendor means it
    readings = [("as written", claimed)]
    if conv is not None and prefix_family(claimed) == conv.written != conv.means:
        readings.append(("vendor label", relabel(claimed, conv.means)))
    counts: list[int] = []
    used = readings[0]
    for name, q in readings:
        counts = _counts_matching(per, q, tol, n_lo, n_hi)
        if counts:
            used = (name, q)
            break
    n_shown = counts[0] if counts else n_hi if n_lo == 1 else n_lo
    computed = per * n_shown
    full = len(counts) == n_hi - n_lo + 1
    status: Status = "holds" if counts and full else "fails" if not counts else "depends"
    rel = float((computed / claimed).to("").magnitude) - 1
    shown = computed.to(claimed.units) if not claimed.dimensionless else computed
    who = f"{n_shown} × {inst.name}" if n_hi > 1 else inst.name
    expl = (
        f"{MARK[status]} {who} {c.quantity.replace('_', ' ')}: the catalog's per-device "
        f"figures give {fmt(shown)} against the claimed {fmt(claimed)} ({rel:+.1%}; "
        f"tolerance {tol.text()})."
    )
    if conv is not None and used[0] == "vendor label":
        native = computed.to(used[1].units)
        rel_label = float((native / used[1]).to("").magnitude) - 1
        expl += (
            f" It matches the vendor's label: {conv.vendor} labels {conv.means}-sized "
            f"{conv.dimension} with {conv.written} units (e.g. {conv.example.split(';')[0]}), "
            f"so {fmt(native)} appears as {fmt(relabel(native, conv.written))}; read that way "
            f"the claim is {rel_label:+.1%} off. Physically the figure is {fmt(native)} = "
            f"{fmt(shown)}."
        )
    elif conv is not None and dim == "memory" and status == "holds":
        expl += f" (Vendor labels: {conv.example}.)"
    if status == "depends":
        expl += f" It holds at {_count_text(counts)} instances of {inst.name} only."
    if status == "fails":
        expl += _unit_hint(claimed, computed, tol.value if tol.kind != "absolute" else 0.05)
        if n_lo < n_hi:
            expl += f" No count from {n_lo:,} to {n_hi:,} instances gives it."
    expl += f" Source: {inst.source_url.split(';')[0]} (as of {inst.as_of})."
    numbers: dict[str, Any] = {"computed": shown, "claimed": claimed, "difference": f"{rel:+.1%}"}
    if used[0] == "vendor label":
        numbers["claimed, read as the vendor means it"] = used[1]
    if n_lo < n_hi:
        numbers["instances matching"] = _count_text(counts)
    return Verdict(
        claim=c,
        status=status,
        numbers=numbers,
        assumptions={"tolerance": tol.text(), "reading": used[0]},
        explanation=expl,
    )


def _count_text(counts: list[int]) -> str:
    if not counts:
        return "none"
    return f"{counts[0]:,}" if len(counts) == 1 else f"{counts[0]:,}–{counts[-1]:,}"
