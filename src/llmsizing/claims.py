"""Checking quantitative claims: fit, spec, ratio, cost and training.

A :class:`Claim` is one sentence of a document turned into a question with a
checkable answer; :func:`check` returns a :class:`Verdict` whose ``status`` is
``"holds"``, ``"fails"`` or ``"depends"``, with the numbers behind it, the
assumptions used and a paragraph a reviewer can paste.

* ``fit``: does a model run on an instance (or ``instances`` of them)? Where
  the claim leaves the weight dtype, KV dtype or context open, every plausible
  choice is tried; the verdict holds or fails only if they all agree, else it
  depends and names the choices under which it holds.
* ``spec``: an instance figure (memory, FLOPs, bandwidth, ...) computed from
  the per-device catalog rows, within a tolerance.
* ``ratio``: a reduction or ratio between two models or variants (``mha``:
  the same model as plain MHA; ``full``: every window made full attention), or
  between two instances' spec quantities.
* ``cost``: USD per 1M tokens on an instance, against the roofline: a price
  below what the hardware could deliver even at 100% utilisation and the
  largest batch that fits fails.
* ``training``: a model's training state on a number (or range) of instances.

Claim files are YAML (``claims: [...]``), loaded without executing tags or
following aliases; schema errors name the file, line and field.

Examples
--------
>>> from llmsizing.claims import Claim, check
>>> v = check(Claim(id="x", kind="fit", model="qwen3-235b-a22b", instance="inf2.8xlarge"))
>>> v.status
'fails'
"""

from __future__ import annotations

import html
import itertools
import json
import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from llmsizing.catalog import Instance, load_catalog
from llmsizing.errors import ClaimError, LlmsizingError
from llmsizing.fit import Workload, fit, max_batch
from llmsizing.memory import as_full_attention, as_mha, kv_cache_ratio
from llmsizing.model import ModelConfig, load_model
from llmsizing.perf import estimate_performance
from llmsizing.units import ureg

__all__ = [
    "SPEC_QUANTITIES",
    "Claim",
    "Verdict",
    "check",
    "check_files",
    "format_verdicts",
    "load_claims",
    "spec_value",
]

Status = Literal["holds", "fails", "depends"]

#: Plausible choices tried when a fit claim leaves them open.
PLAUSIBLE_WEIGHTS = ("bf16", "fp8", "int8", "int4")
PLAUSIBLE_KV = ("bf16", "fp8")
PLAUSIBLE_CONTEXTS = (4096, 32768, 131072)

#: Spec quantities: name -> (unit to report in, how to compute from an Instance).
SPEC_QUANTITIES: dict[str, tuple[str, Any]] = {
    "accelerator_count": ("", lambda i: i.accelerator_count * ureg.dimensionless),
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
    "host_memory": ("GiB", lambda i: i.host_memory),
    "vcpus": ("", lambda i: i.vcpus * ureg.dimensionless),
    "neuron_cores": ("", lambda i: i.neuron_cores * ureg.dimensionless),
    "local_nvme": ("TB", lambda i: i.local_nvme),
}
# quantities that add up over instances (a spec claim may give ``instances: N``)
_EXTENSIVE = frozenset(
    {
        "accelerator_count",
        "accelerator_memory_total",
        "memory_bandwidth_total",
        "dense_flops_bf16_total",
        "dense_flops_fp8_total",
        "dense_flops_fp4_total",
        "network_bandwidth",
        "host_memory",
        "vcpus",
        "neuron_cores",
        "local_nvme",
    }
)
RATIO_QUANTITIES = (
    "kv_cache_reduction",
    "kv_cache_ratio",
    "active_parameter_fraction",
    "parameter_reduction",
)


class Claim(BaseModel):
    """One checkable statement. Unknown fields are rejected.

    ``value`` is a quantity with unit for spec claims (``"1.5 TiB"``,
    ``"3200 Gbps"``), a percentage or factor for ratios (``"93%"``,
    ``"4.4x"``). ``relation`` says how a ratio value is meant: ``approx``
    (within tolerance), ``at_least`` or ``at_most`` ("up to 75%").
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    kind: Literal["fit", "spec", "ratio", "cost", "training"]
    text: str | None = None
    source: str | None = None
    why: str | None = None
    expect: Status | None = None
    model: str | None = None
    baseline: str | None = None
    instance: str | None = None
    baseline_instance: str | None = None
    instances: int | list[int] | None = None
    workload: dict[str, Any] | None = None
    quantity: str | None = None
    value: str | float | int | None = None
    tolerance: str | float | None = None
    relation: Literal["approx", "at_least", "at_most"] = "approx"
    context: int | list[int] | None = None
    convention: Literal["active", "active_excluding_embedding"] | None = None
    usd_per_million_tokens: float | None = None
    tokens: Literal["output", "input"] = "output"
    setup: dict[str, Any] | None = None
    params: str | float | None = None
    file: str | None = None
    line: int | None = None

    @field_validator("workload")
    @classmethod
    def _known_workload_keys(cls, v: dict[str, Any] | None) -> dict[str, Any] | None:
        allowed = {"context", "batch", "weights", "kv", "prompt", "output", "memory_utilization"}
        if v is not None and (bad := set(v) - allowed):
            raise ValueError(f"unknown workload keys {sorted(bad)} (allowed: {sorted(allowed)})")
        for k, x in (v or {}).items():
            if k in ("context", "batch", "prompt", "output"):
                if isinstance(x, bool) or not isinstance(x, int) or x < 1:
                    raise ValueError(f"workload {k!r} must be a whole number >= 1, got {x!r}")
            elif k == "memory_utilization":
                if isinstance(x, bool) or not isinstance(x, int | float) or not 0 < x <= 1:
                    raise ValueError(f"workload {k!r} must be a number in (0, 1], got {x!r}")
            elif k == "weights" and not isinstance(x, str):
                raise ValueError(f"workload {k!r} must be a dtype name, got {x!r}")
            elif k == "kv" and (isinstance(x, bool) or not isinstance(x, str | int | float)):
                raise ValueError(f"workload {k!r} must be a dtype name, got {x!r}")
        return v

    @field_validator("instances")
    @classmethod
    def _positive_instances(cls, v: int | list[int] | None) -> int | list[int] | None:
        if v is not None and min([v] if isinstance(v, int) else v or [0]) < 1:
            raise ValueError(f"instances must be at least 1, got {v!r}")
        return v

    def where(self) -> str:
        """``file:line (id)`` for messages."""
        loc = f"{self.file}:{self.line}" if self.file else "claim"
        return f"{loc} ({self.id})"


class Verdict(BaseModel):
    """The answer to a claim: status, numbers with units, assumptions, explanation."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    claim: Claim
    status: Status
    numbers: dict[str, Any]
    assumptions: dict[str, Any]
    explanation: str

    @property
    def matches(self) -> bool:
        """True when the claim states no ``expect`` or the status equals it."""
        return self.claim.expect is None or self.claim.expect == self.status

    def numbers_text(self) -> str:
        """The key numbers, compactly."""
        return "; ".join(f"{k} = {_fmt(v)}" for k, v in self.numbers.items())

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.claim.id,
            "kind": self.claim.kind,
            "text": self.claim.text,
            "status": self.status,
            "expect": self.claim.expect,
            "matches": self.matches,
            "numbers": {k: _fmt(v) for k, v in self.numbers.items()},
            "assumptions": {k: str(v) for k, v in self.assumptions.items()},
            "explanation": self.explanation,
        }

    def _repr_html_(self) -> str:
        mark = _MARK[self.status]
        rows = "".join(
            f"<tr><td>{html.escape(k)}</td><td>{html.escape(_fmt(v))}</td></tr>"
            for k, v in self.numbers.items()
        )
        return (
            f"<p><b>{mark} {html.escape(self.status)}</b>: "
            f"{html.escape(self.claim.text or self.claim.id)}</p>"
            f"<table>{rows}</table><p>{html.escape(self.explanation)}</p>"
        )

    def __str__(self) -> str:
        return f"{_MARK[self.status]} {self.claim.id}: {self.status}. {self.explanation}"


_MARK = {"holds": "[+]", "fails": "[-]", "depends": "[/]"}


def _fmt(v: Any) -> str:
    if isinstance(v, ureg.Quantity):
        mag = v.magnitude
        if v.dimensionless:
            return f"{float(v.to('').magnitude):,.4g}"
        return f"{float(mag):,.4g} {v.units:~P}"
    if isinstance(v, float):
        return f"{v:,.4g}"
    return str(v)


# --------------------------------------------------------------------- parsing
def _fraction(value: Any, where: str, field: str = "value") -> float:
    """ "93%" -> 0.93, "4.4x" -> 4.4, 0.93 -> 0.93."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise ClaimError(f"{where}: {field} {value!r} is not a finite number")
        return float(value)
    if isinstance(value, str):
        s = value.strip().lower().replace("×", "x")
        m = re.fullmatch(r"([-+]?\d+(?:\.\d+)?)\s*(%|x)?", s)
        if m:
            num = float(m.group(1))
            return num / 100 if m.group(2) == "%" else num
    raise ClaimError(f"{where}: {field} {value!r} is not a number, percentage or factor")


def _tolerance(claim: Claim, default: float) -> float:
    if claim.tolerance is None:
        return default
    tol = _fraction(claim.tolerance, claim.where(), "tolerance")
    if tol < 0:
        raise ClaimError(f"{claim.where()}: tolerance {claim.tolerance!r} must not be negative")
    return tol


def _quantity(value: Any, unit: str, where: str, field: str = "value") -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        if unit:
            raise ClaimError(f"{where}: {field} {value!r} needs a unit (e.g. '{value} {unit}')")
        q: Any = value * ureg.dimensionless
    else:
        try:
            q = ureg.Quantity(str(value))
        except Exception:
            raise ClaimError(f"{where}: cannot parse {field} {value!r} as a quantity") from None
        if not unit:
            if not q.dimensionless:
                raise ClaimError(f"{where}: {field} {value!r} should be a plain count")
        elif q.dimensionless:
            raise ClaimError(f"{where}: {field} {value!r} needs a unit (e.g. '{value} {unit}')")
        elif q.dimensionality != ureg.Quantity(1, unit).dimensionality:
            raise ClaimError(
                f"{where}: {field} {value!r} has the wrong dimension for this quantity "
                f"(expected something convertible to {unit})"
            )
    try:
        magnitude = float(q.magnitude)
    except (TypeError, ValueError, OverflowError):
        magnitude = math.nan
    if not (math.isfinite(magnitude) and magnitude > 0):
        raise ClaimError(f"{where}: {field} {value!r} must be a positive finite quantity")
    return q


def _model(name: str | None, claim: Claim) -> ModelConfig:
    if not name:
        raise ClaimError(f"{claim.where()}: a {claim.kind} claim needs 'model'")
    try:
        return load_model(name)
    except LlmsizingError as e:
        raise ClaimError(f"{claim.where()}: {e}") from None


def _instance(name: str | None, claim: Claim, field: str = "instance") -> Instance:
    if not name:
        raise ClaimError(f"{claim.where()}: a {claim.kind} claim needs '{field}'")
    try:
        return load_catalog().get(name)
    except LlmsizingError as e:
        raise ClaimError(f"{claim.where()}: {e}") from None


# ------------------------------------------------------------------------ fit
def _fit_workload(d: dict[str, Any], weights: str, kv: str, ctx: int) -> Workload:
    kw: dict[str, Any] = {
        "context_len": ctx,
        "batch": int(d.get("batch", 1)),
        "weight_dtype": weights,
        "kv_dtype": kv,
    }
    if "memory_utilization" in d:
        kw["memory_utilization"] = float(d["memory_utilization"])
    return Workload(**kw)


def _check_fit(c: Claim) -> Verdict:
    m = _model(c.model, c)
    inst = _instance(c.instance, c)
    n = c.instances if isinstance(c.instances, int) else 1
    d = dict(c.workload or {})
    weights = [str(d["weights"])] if "weights" in d else list(PLAUSIBLE_WEIGHTS)
    kvs = [str(d["kv"])] if "kv" in d else list(PLAUSIBLE_KV)
    max_ctx = m.max_position_embeddings or max(PLAUSIBLE_CONTEXTS)
    if "context" in d:
        ctxs = [int(d["context"])]
    else:
        ctxs = [x for x in PLAUSIBLE_CONTEXTS if x <= max_ctx] or [max_ctx]
    outcomes: list[tuple[str, str, int, bool, Any]] = []
    for wd, kv, ctx in itertools.product(weights, kvs, ctxs):
        r = fit(m, inst, _fit_workload(d, wd, kv, ctx))
        ok = r.fits if n == 1 else (r.instances_needed is not None and r.instances_needed <= n)
        outcomes.append((wd, kv, ctx, ok, r))
    oks = [o for o in outcomes if o[3]]
    status: Status = "holds" if len(oks) == len(outcomes) else "fails" if not oks else "depends"
    # the representative result: the first choice in claim order (or the best that fits)
    rep = (oks[0] if status != "fails" else outcomes[-1])[4]
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
    choices = ""
    if status == "depends":
        choices = " " + _depends_summary(outcomes, ("weights", "KV", "context"))
        numbers["holds under"] = ", ".join(f"{o[0]}/{o[1]} KV/{o[2]:,}" for o in oks)
    tried = f"weights {weights}, KV {kvs}, context {ctxs}, batch {d.get('batch', 1)}"
    where = f"{n} × {inst.name}" if n > 1 else inst.name
    expl = f"{_MARK[status]} {m.name} on {where}: {status}." + choices + " " + rep.explanation
    return Verdict(
        claim=c,
        status=status,
        numbers=numbers,
        assumptions={"tried": tried, "memory_utilization": rep.workload.memory_utilization},
        explanation=expl,
    )


def _depends_summary(outcomes: Sequence[tuple[Any, ...]], names: Sequence[str]) -> str:
    """Name the open choices that decide a verdict: "holds with fp8, int4 weights; not bf16"."""
    parts = []
    for i, name in enumerate(names):
        values = list(dict.fromkeys(o[i] for o in outcomes))
        if len(values) < 2:
            continue
        always = [v for v in values if all(o[3] for o in outcomes if o[i] == v)]
        never = [v for v in values if not any(o[3] for o in outcomes if o[i] == v)]
        if always or never:
            fmt = (lambda v: f"{v:,}") if name == "context" else str
            ok = ", ".join(fmt(v) for v in always) or "none"
            bad = ", ".join(fmt(v) for v in never) or "none"
            parts.append(f"with {name} {ok} it holds, with {name} {bad} it fails")
    return (
        ("It depends on the choices the claim leaves open: " + "; ".join(parts) + ".")
        if parts
        else ("It holds for some combinations of the open choices and not others.")
    )


# ----------------------------------------------------------------------- spec
def spec_value(inst: Instance, quantity: str) -> Any:
    """An instance's spec quantity, computed from its per-device catalog row.

    Examples
    --------
    >>> from llmsizing.catalog import load_catalog
    >>> spec_value(load_catalog().get("trn2.48xlarge"), "accelerator_memory_total").to("TiB")
    <Quantity(1.5, 'tebibyte')>
    """
    if quantity not in SPEC_QUANTITIES:
        from llmsizing.errors import suggest

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
    if not claimed.check("[information]"):
        return ""
    ratio = float((computed / claimed).to("").magnitude)
    binary = 2**30 / 1e9
    for factor in (binary, binary ** (4 / 3), 1 / binary, 1 / binary ** (4 / 3)):
        if abs(ratio / factor - 1) <= tol:
            return (
                " The figure matches if its decimal and binary units (GB/GiB, TB/TiB) are "
                "swapped: a unit error of about 7–10%."
            )
    return ""


def _check_spec(c: Claim) -> Verdict:
    inst = _instance(c.instance, c)
    if not c.quantity:
        raise ClaimError(f"{c.where()}: a spec claim needs 'quantity'")
    unit = SPEC_QUANTITIES.get(c.quantity, ("", None))[0]
    try:
        computed = spec_value(inst, c.quantity)
    except ClaimError as e:
        raise ClaimError(f"{c.where()}: {e}") from None
    n = c.instances if isinstance(c.instances, int) else 1
    if n < 1:
        raise ClaimError(f"{c.where()}: 'instances' must be at least 1")
    if n > 1:
        if c.quantity not in _EXTENSIVE:
            raise ClaimError(
                f"{c.where()}: {c.quantity} is a per-device figure; 'instances' applies to "
                f"totals only ({', '.join(sorted(_EXTENSIVE))})"
            )
        computed = computed * n
    claimed = _quantity(c.value, unit, c.where())
    tol = _tolerance(c, 0.05)
    rel = float((computed / claimed).to("").magnitude) - 1
    status: Status = "holds" if abs(rel) <= tol else "fails"
    shown = computed.to(claimed.units) if not claimed.dimensionless else computed
    who = f"{n} × {inst.name}" if n > 1 else inst.name
    expl = (
        f"{_MARK[status]} {who} {c.quantity.replace('_', ' ')}: the catalog's per-device "
        f"figures give {_fmt(shown)} against the claimed {_fmt(claimed)} ({rel:+.1%}; tolerance "
        f"±{tol:.0%})."
        + (_unit_hint(claimed, computed, tol) if status == "fails" else "")
        + f" Source: {inst.source_url.split(';')[0]} (as of {inst.as_of})."
    )
    return Verdict(
        claim=c,
        status=status,
        numbers={"computed": shown, "claimed": claimed, "difference": f"{rel:+.1%}"},
        assumptions={"tolerance": f"{tol:.0%}"},
        explanation=expl,
    )


# ---------------------------------------------------------------------- ratio
def _baseline(m: ModelConfig, name: str | None, c: Claim) -> ModelConfig:
    if name in (None, "mha"):
        return as_mha(m)
    if name == "full":
        return as_full_attention(m)
    return _model(name, c)


def _contexts(c: Claim, models: Sequence[ModelConfig]) -> list[int]:
    if isinstance(c.context, int):
        return [c.context]
    if isinstance(c.context, list):
        return [int(x) for x in c.context]
    limit = min((m.max_position_embeddings or 131072) for m in models)
    return [x for x in (1024, 4096, 8192, 32768, 131072) if x <= limit] or [limit]


def _judge(value: float, claimed: float, tol: float, relation: str, absolute: bool) -> bool:
    if relation == "at_least":
        return value >= claimed - (tol if absolute else tol * claimed)
    if relation == "at_most":
        return value <= claimed + (tol if absolute else tol * claimed)
    return abs(value - claimed) <= (tol if absolute else tol * abs(claimed))


def _check_ratio(c: Claim) -> Verdict:
    q = c.quantity or ""
    if c.baseline_instance or q in SPEC_QUANTITIES:
        return _check_instance_ratio(c)
    if q not in RATIO_QUANTITIES:
        raise ClaimError(
            f"{c.where()}: unknown ratio quantity {q!r} (known: "
            f"{', '.join(RATIO_QUANTITIES)}, or a spec quantity with baseline_instance)"
        )
    m = _model(c.model, c)
    claimed = _fraction(c.value, c.where())
    if q in ("active_parameter_fraction", "parameter_reduction"):
        pc = m.param_counts()
        active = (
            pc.active_excluding_embedding
            if c.convention == "active_excluding_embedding"
            else pc.active
        )
        frac = active / pc.total
        value = frac if q == "active_parameter_fraction" else 1 - frac
        tol = _tolerance(c, 0.02 if q == "parameter_reduction" else 0.05)
        ok = _judge(value, claimed, tol, c.relation, absolute=q == "parameter_reduction")
        status: Status = "holds" if ok else "fails"
        expl = (
            f"{_MARK[status]} {m.name}: {active / 1e9:,.1f}B active of {pc.total / 1e9:,.1f}B "
            f"total ({c.convention or 'active'} convention) gives {q.replace('_', ' ')} = "
            f"{value:.1%} against the claimed {claimed:.1%}. All {pc.total / 1e9:,.1f}B "
            "parameters stay resident in memory; only compute per token shrinks."
        )
        return Verdict(
            claim=c,
            status=status,
            numbers={
                q: f"{value:.2%}",
                "claimed": f"{claimed:.2%}",
                "active": f"{active / 1e9:.2f} B",
                "total": f"{pc.total / 1e9:.2f} B",
            },
            assumptions={"convention": c.convention or "active", "tolerance": tol},
            explanation=expl,
        )
    base = _baseline(m, c.baseline, c)
    kv = str((c.workload or {}).get("kv", "bf16"))
    ctxs = _contexts(c, [m, base])
    values = []
    for ctx in ctxs:
        r = float(kv_cache_ratio(m, base, ctx, kv))
        values.append(1 - r if q == "kv_cache_reduction" else r)
    absolute = q == "kv_cache_reduction"
    tol = _tolerance(c, 0.03 if absolute else 0.05)
    oks = [_judge(v, claimed, tol, c.relation, absolute) for v in values]
    status = "holds" if all(oks) else "fails" if not any(oks) else "depends"

    def fmt(v: float) -> str:
        return f"{v:.1%}" if absolute else f"{v:.3g}"

    if len(ctxs) > 1 and len({fmt(v) for v in values}) == 1:
        per_ctx = f"{fmt(values[0])} at every context from {ctxs[0]:,} to {ctxs[-1]:,}"
    else:
        per_ctx = ", ".join(f"{fmt(v)} at {x:,}" for v, x in zip(values, ctxs, strict=True))
    held = [x for x, ok in zip(ctxs, oks, strict=True) if ok]
    rel_word = {"approx": "≈", "at_least": "≥", "at_most": "≤"}[c.relation]
    expl = (
        f"{_MARK[status]} {m.name} vs {base.name}: {q.replace('_', ' ')} {per_ctx} tokens "
        f"({kv} KV) against the claimed {rel_word} {fmt(claimed)} (tolerance "
        f"{'±' + format(tol, '.0%') + ' points' if absolute else '±' + format(tol, '.0%')})."
        + (
            f" It holds only at {', '.join(f'{x:,}' for x in held)} tokens."
            if status == "depends"
            else ""
        )
    )
    return Verdict(
        claim=c,
        status=status,
        numbers={f"{q} @ {x:,}": fmt(v) for v, x in zip(values, ctxs, strict=True)}
        | {"claimed": fmt(claimed)},
        assumptions={
            "baseline": base.name,
            "kv_dtype": kv,
            "contexts": ctxs,
            "relation": c.relation,
        },
        explanation=expl,
    )


def _check_instance_ratio(c: Claim) -> Verdict:
    if not c.quantity or c.quantity not in SPEC_QUANTITIES:
        raise ClaimError(
            f"{c.where()}: instance ratio needs a spec 'quantity' ({', '.join(SPEC_QUANTITIES)})"
        )
    a = _instance(c.instance, c)
    b = _instance(c.baseline_instance, c, "baseline_instance")
    unit = SPEC_QUANTITIES[c.quantity][0]
    try:
        va, vb = spec_value(a, c.quantity), spec_value(b, c.quantity)
    except ClaimError as e:
        raise ClaimError(f"{c.where()}: {e}") from None
    if unit:
        va, vb = va.to(unit), vb.to(unit)
    if not vb.magnitude > 0:
        raise ClaimError(
            f"{c.where()}: {b.name} has {c.quantity} = {_fmt(vb)}; a ratio over it is undefined"
        )
    ratio = float((va / vb).to("").magnitude)
    claimed = _fraction(c.value, c.where())
    tol = _tolerance(c, 0.05)
    status: Status = "holds" if _judge(ratio, claimed, tol, c.relation, False) else "fails"
    expl = (
        f"{_MARK[status]} {c.quantity.replace('_', ' ')}: {a.name} {_fmt(va)} / {b.name} "
        f"{_fmt(vb.to(va.units))} = {ratio:.2f}× against the claimed {claimed:.2f}× "
        f"(tolerance ±{tol:.0%})."
    )
    return Verdict(
        claim=c,
        status=status,
        numbers={
            a.name: va,
            b.name: vb.to(va.units),
            "ratio": f"{ratio:.2f}x",
            "claimed": f"{claimed:.2f}x",
        },
        assumptions={"tolerance": tol},
        explanation=expl,
    )


# ----------------------------------------------------------------------- cost
def _check_cost(c: Claim) -> Verdict:
    m = _model(c.model, c)
    inst = _instance(c.instance, c)
    if (
        c.usd_per_million_tokens is None
        or not math.isfinite(c.usd_per_million_tokens)
        or c.usd_per_million_tokens <= 0
    ):
        raise ClaimError(f"{c.where()}: a cost claim needs a positive 'usd_per_million_tokens'")
    if c.usd_per_million_tokens < 1e-9:  # would imply an unbounded throughput
        raise ClaimError(
            f"{c.where()}: usd_per_million_tokens {c.usd_per_million_tokens!r} is below "
            "the sanity limit 1e-9"
        )
    d = dict(c.workload or {})
    weights = str(d.get("weights", "bf16"))
    kv = str(d.get("kv", "bf16"))
    prompt = int(d.get("prompt", 1024))
    output = int(d.get("output", 256))
    ctx = int(d.get("context", prompt + output))
    cat = load_catalog()
    price = cat.hourly_price(inst.name)
    base = Workload(
        context_len=ctx, prompt_len=prompt, output_len=output, weight_dtype=weights, kv_dtype=kv
    )
    r = fit(m, inst, base)
    n_inst = 1 if r.fits else r.instances_needed
    numbers: dict[str, Any] = {
        "claimed": f"${c.usd_per_million_tokens:,.2f} per 1M {c.tokens} tokens"
    }
    if price is None:
        return Verdict(
            claim=c,
            status="depends",
            numbers=numbers | {"price": f"no public on-demand price for {inst.name}"},
            assumptions={"weights": weights},
            explanation=(
                f"[/] {inst.name} has no public on-demand price, so ${c.usd_per_million_tokens}/1M "
                "tokens can only be checked against a negotiated or capacity-block rate."
            ),
        )
    allowed = c.instances if isinstance(c.instances, int) else 1
    if n_inst is None or n_inst > allowed:
        where = f"{allowed} × {inst.name}" if allowed > 1 else f"one {inst.name}"
        need = f"{n_inst} instances" if n_inst else "more instances than a pipeline can use"
        return Verdict(
            claim=c,
            status="fails",
            numbers=numbers
            | {
                "required per rank": r.required.to("GiB"),
                "available per rank": r.available.to("GiB"),
                "instances needed": n_inst or "none",
            },
            assumptions={"weights": weights, "kv": kv, "context": ctx},
            explanation=(
                f"[-] No price on {where} can hold: {m.name} in {weights} does not fit there "
                f"(it needs {need}). {r.explanation}"
            ),
        )
    hourly = price * n_inst
    # throughput the price implies
    needed = hourly / 3600 / (c.usd_per_million_tokens / 1e6) * ureg("token/s")
    numbers |= {
        "instances": n_inst,
        "USD per hour": f"${hourly:,.2f}",
        "implied throughput": needed,
    }
    bmax = max_batch(m, inst, ctx, base) if r.fits else 1
    bmax = max(bmax, 1)

    def tps(batch: int, eff: float) -> Any:
        w = base.model_copy(update={"batch": batch})
        est = estimate_performance(
            m,
            inst,
            w,
            mfu=eff if eff < 1 else 1.0,
            bandwidth_utilization=eff if eff < 1 else 1.0,
            interconnect_utilization=1.0 if eff >= 1 else 0.8,
            catalog=cat,
        )
        return est.prefill_tokens_per_s if c.tokens == "input" else est.tokens_per_s

    ceiling = tps(bmax, 1.0)
    realistic_b1 = tps(1, 0.7)
    numbers |= {
        "roofline ceiling (100% util, max batch)": ceiling,
        "max batch": bmax,
        "batch 1 throughput": realistic_b1,
    }
    if ceiling < needed:
        status: Status = "fails"
        expl = (
            f"[-] ${c.usd_per_million_tokens}/1M {c.tokens} tokens on {n_inst} × {inst.name} "
            f"(${hourly:,.2f}/h) needs {needed.magnitude:,.0f} tokens/s; the roofline allows "
            f"at most {ceiling.magnitude:,.0f} tokens/s even at 100% utilisation and batch {bmax}."
        )
    elif realistic_b1 >= needed:
        status = "holds"
        expl = (
            f"[+] ${c.usd_per_million_tokens}/1M {c.tokens} tokens needs {needed.magnitude:,.0f} "
            f"tokens/s; a single sequence already reaches {realistic_b1.magnitude:,.0f} tokens/s."
        )
    else:
        lo, hi = 1, bmax
        while lo < hi:
            mid = (lo + hi) // 2
            if tps(mid, 0.7) >= needed:
                hi = mid
            else:
                lo = mid + 1
        reach = tps(lo, 0.7) >= needed
        status = "depends"
        cond = (
            f"it holds from batch {lo} at 70% bandwidth utilisation"
            if reach
            else f"it holds only near the roofline (above 70% utilisation at batch up to {bmax})"
        )
        expl = (
            f"[/] ${c.usd_per_million_tokens}/1M {c.tokens} tokens on {n_inst} × {inst.name} "
            f"(${hourly:,.2f}/h) needs {needed.magnitude:,.0f} tokens/s: {cond}; the ceiling is "
            f"{ceiling.magnitude:,.0f} tokens/s at batch {bmax}."
        )
        numbers["batch needed"] = lo if reach else f"> {bmax}"
    return Verdict(
        claim=c,
        status=status,
        numbers=numbers,
        assumptions={
            "weights": weights,
            "kv": kv,
            "prompt": prompt,
            "output": output,
            "price": f"${price}/h us-east-1 on-demand",
        },
        explanation=expl,
    )


# ------------------------------------------------------------------- training
def _check_training(c: Claim) -> Verdict:
    from llmsizing.training import TrainingSetup
    from llmsizing.training_plan import check_training_claim

    inst = _instance(c.instance, c)
    target: Any
    if c.model:
        target = _model(c.model, c)
    elif c.params is not None:
        target = _fraction(str(c.params).rstrip("Bb").rstrip("Tt"), c.where()) * (
            1e12 if str(c.params).strip().lower().endswith("t") else 1e9
        )
    else:
        raise ClaimError(f"{c.where()}: a training claim needs 'model' or 'params'")
    count = c.instances if c.instances is not None else 1
    rng = (count[0], count[-1]) if isinstance(count, list) else (count, count)
    try:
        setup = TrainingSetup(**(c.setup or {}))
    except ValidationError as e:
        raise ClaimError(f"{c.where()}: setup: {_pydantic_msg(e)}") from None
    status, numbers, expl = check_training_claim(target, inst, rng, setup)
    return Verdict(
        claim=c,
        status=status,
        numbers=numbers,
        assumptions={"setup": setup.model_dump()},
        explanation=f"{_MARK[status]} {expl}",
    )


# ---------------------------------------------------------------------- check
_CHECKERS = {
    "fit": _check_fit,
    "spec": _check_spec,
    "ratio": _check_ratio,
    "cost": _check_cost,
    "training": _check_training,
}


def check(claim: Claim) -> Verdict:
    """Check one claim.

    Raises
    ------
    ClaimError
        For a claim that names an unknown model, instance or quantity, or gives
        a value without unit or of the wrong dimension.
    """
    try:
        return _CHECKERS[claim.kind](claim)
    except ClaimError:
        raise
    except LlmsizingError as e:
        raise ClaimError(f"{claim.where()}: {e}") from None
    except ValidationError as e:
        raise ClaimError(f"{claim.where()}: {_pydantic_msg(e)}") from None


def _pydantic_msg(e: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(x) for x in err['loc']) or 'value'}: {err['msg']}" for err in e.errors()
    )


# ----------------------------------------------------------------------- files
MAX_CLAIM_FILE_BYTES = 2_000_000


def _reject_aliases(text: str, path: str) -> None:
    for ev in yaml.parse(text, Loader=yaml.SafeLoader):
        line = ev.start_mark.line + 1 if ev.start_mark is not None else "?"
        if isinstance(ev, yaml.AliasEvent):
            raise ClaimError(f"{path}:{line}: YAML aliases (*{ev.anchor}) are not allowed")
        anchor = getattr(ev, "anchor", None)
        if anchor:
            raise ClaimError(f"{path}:{line}: YAML anchors (&{anchor}) are not allowed")
        tag = getattr(ev, "tag", None)
        if tag and tag.startswith("!") and not tag.startswith("tag:yaml.org,2002:"):
            raise ClaimError(f"{path}:{line}: YAML tag {tag!r} is not allowed")
        if tag and tag.startswith("tag:yaml.org,2002:python/"):
            shown = "!!" + tag.removeprefix("tag:yaml.org,2002:")
            raise ClaimError(f"{path}:{line}: YAML tag {shown!r} is not allowed")


def load_claims(path: str | Path) -> list[Claim]:
    """Load a YAML claim file: ``claims: [ {id, kind, ...}, ... ]``.

    Loading never executes code: custom tags, anchors and aliases are
    rejected. Each error names the file, the line and the field.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "claims.yaml"
    >>> _ = p.write_text("claims:\\n  - id: a\\n    kind: spec\\n    instance: inf2.xlarge\\n"
    ...                  "    quantity: accelerator_count\\n    value: 1\\n    expect: holds\\n")
    >>> [c.id for c in load_claims(p)]
    ['a']
    """
    p = Path(path)
    where = str(path)
    try:
        raw = p.read_bytes()
    except OSError as e:
        raise ClaimError(f"{where}: cannot read ({e.strerror})") from None
    if len(raw) > MAX_CLAIM_FILE_BYTES:
        raise ClaimError(
            f"{where}: {len(raw):,} bytes is larger than the {MAX_CLAIM_FILE_BYTES:,}-byte limit"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ClaimError(f"{where}: not UTF-8 text (byte {e.start})") from None
    try:
        _reject_aliases(text, where)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise ClaimError(f"{where}{line}: invalid YAML: {getattr(e, 'problem', e)}") from None
    if root is None:
        raise ClaimError(f"{where}: empty claim file")
    if not isinstance(root, yaml.MappingNode):
        raise ClaimError(
            f"{where}:{root.start_mark.line + 1}: expected a mapping with a 'claims' list"
        )
    for k, _ in root.value:
        if not isinstance(k, yaml.ScalarNode):
            raise ClaimError(f"{where}:{k.start_mark.line + 1}: top-level keys must be plain names")
    keys = {k.value: v for k, v in root.value}
    if set(keys) - {"claims", "defaults"}:
        extra = sorted(set(keys) - {"claims", "defaults"})
        raise ClaimError(f"{where}: unknown top-level field(s) {extra} (expected 'claims')")
    seq = keys.get("claims")
    if not isinstance(seq, yaml.SequenceNode):
        raise ClaimError(f"{where}: missing 'claims' list")
    out: list[Claim] = []
    seen: set[str] = set()
    for node in seq.value:
        line = node.start_mark.line + 1
        try:
            data = yaml.SafeLoader(text).construct_document(node)
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            at = mark.line + 1 if mark is not None else line
            why = getattr(e, "problem", None) or str(e).splitlines()[0]
            raise ClaimError(f"{where}:{at}: invalid claim: {why}") from None
        if not isinstance(data, dict):
            raise ClaimError(f"{where}:{line}: each claim must be a mapping")
        lines: dict[Any, int] = {}
        for k, _ in node.value if isinstance(node, yaml.MappingNode) else ():
            if isinstance(k, yaml.ScalarNode):
                if k.value in lines:
                    raise ClaimError(
                        f"{where}:{k.start_mark.line + 1}: duplicate key {k.value!r} in claim "
                        f"(first on line {lines[k.value]})"
                    )
                lines[k.value] = k.start_mark.line + 1
        try:
            claim = Claim(**data, file=where, line=line)
        except ValidationError as e:
            err = e.errors()[0]
            field = str(err["loc"][0]) if err["loc"] else "claim"
            fl = lines.get(field, line)
            raise ClaimError(
                f"{where}:{fl}: claim {data.get('id', '?')!r}, field {field!r}: {err['msg']}"
            ) from None
        except TypeError as e:
            raise ClaimError(f"{where}:{line}: {e}") from None
        if claim.id in seen:
            raise ClaimError(f"{where}:{line}: duplicate claim id {claim.id!r}")
        seen.add(claim.id)
        out.append(claim)
    return out


def check_files(paths: Iterable[str | Path]) -> list[Verdict]:
    """Load and check every claim of every file."""
    return [check(c) for p in paths for c in load_claims(p)]


def verdict_frame(verdicts: Sequence[Verdict]) -> pd.DataFrame:
    """One row per verdict: id, claim text, verdict mark, expected, match, numbers, explanation."""
    return pd.DataFrame(
        [
            {
                "id": v.claim.id,
                "claim": v.claim.text or "",
                "verdict": f"{_MARK[v.status]} {v.status}",
                "expect": v.claim.expect or "",
                "matches": v.matches,
                "numbers": v.numbers_text(),
                "explanation": v.explanation,
            }
            for v in verdicts
        ]
    )


def format_verdicts(verdicts: Sequence[Verdict], fmt: str = "table") -> str:
    """Render verdicts as a text table, a review-style markdown table, or JSON."""
    if fmt == "json":
        return json.dumps([v.to_dict() for v in verdicts], indent=2, ensure_ascii=False)
    if fmt == "markdown":
        lines = ["| # | Claim | Verdict | Key numbers | Explanation |", "|---|---|---|---|---|"]
        for i, v in enumerate(verdicts, 1):
            cells = [
                str(i),
                f"**{v.claim.id}**: {v.claim.text or ''}"
                + (f" ({v.claim.source})" if v.claim.source else ""),
                f"{_MARK[v.status]} {v.status}"
                + ("" if v.matches else f" (expected {v.claim.expect})"),
                v.numbers_text(),
                v.explanation + (f" Note: {v.claim.why}" if v.claim.why else ""),
            ]
            lines.append(
                "| " + " | ".join(x.replace("|", "\\|").replace("\n", " ") for x in cells) + " |"
            )
        return "\n".join(lines)
    rows = []
    for v in verdicts:
        flag = "" if v.matches else f"  <-- expected {v.claim.expect}"
        rows.append(f"{_MARK[v.status]} {v.claim.id:<36} {v.status:<8}{flag}")
    n_bad = sum(not v.matches for v in verdicts)
    rows.append(f"{len(verdicts)} claims, {len(verdicts) - n_bad} as expected, {n_bad} not")
    return "\n".join(rows)
