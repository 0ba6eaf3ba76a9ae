"""Ratio claims: reductions and ratios between models, variants, or instances.

Model quantities (:data:`RATIO_QUANTITIES`) compare ``model`` with ``baseline``:
another model, ``"mha"`` (the same model with one K/V head per query head)
or ``"full"`` (every window made full attention). Percentages of a percentage
(``kv_cache_reduction``, ``parameter_reduction``, ``attention_flops_reduction``)
take their tolerance in percentage points; the others are relative.

With a spec quantity and a ``baseline_instance`` the ratio is between two
instances' figures.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from llmsizing.attention import layer_windows
from llmsizing.errors import ClaimError
from llmsizing.memory import as_full_attention, as_mha, kv_cache_ratio
from llmsizing.model import ModelConfig

from .context import Context
from .parsing import Tolerance, parse_factor, parse_fraction, parse_tolerance
from .readings import kv_label
from .registry import checker
from .schema import RatioClaim, Status
from .spec import SPEC_QUANTITIES, spec_value
from .verdict import MARK, Verdict, fmt

__all__ = ["RATIO_QUANTITIES", "check_ratio", "judge"]

#: Model ratio quantities -> (percentage (True) or factor, tolerance default, in points?)
RATIO_QUANTITIES: dict[str, tuple[bool, float, bool]] = {
    "kv_cache_reduction": (True, 0.03, True),
    "kv_cache_ratio": (False, 0.05, False),
    "active_parameter_fraction": (True, 0.05, False),
    "parameter_reduction": (True, 0.02, True),
    "parameter_ratio": (False, 0.05, False),
    "attention_flops_reduction": (True, 0.03, True),
}
#: Tensor roles of the attention block (projections) [model.Role].
ATTENTION_ROLES = frozenset({"q", "k", "v", "o", "q_a", "kv_a", "kv_b"})
#: Contexts tried when a KV ratio claim names none [tokens].
RATIO_CONTEXTS = (1024, 4096, 8192, 16384, 32768, 131072)


def judge(value: float, claimed: float, tol: Tolerance, relation: str) -> bool:
    """``value`` against ``claimed`` under ``relation`` (approx, at_least, at_most)."""
    amount = float(tol.value)
    slack = amount if tol.kind == "points" else amount * abs(claimed)
    if relation == "at_least":
        return value >= claimed - slack
    if relation == "at_most":
        return value <= claimed + slack
    return abs(value - claimed) <= slack


def attention_flops_per_token(model: ModelConfig, context_len: int) -> float:
    """Attention FLOPs to decode one token at ``context_len``: projections and scores [FLOP].

    .. math:: F = 2 \\, P_{attn} + \\sum_l 2 \\, n_h (d_k + d_v) \\min(T, W_l)

    with P_attn the parameters of the Q, K, V and O projections (MLA's down and
    up projections included) and the second term the QKᵀ and AV products over
    the context each layer holds. GQA shares K/V heads between query heads:
    it shrinks the K and V projections and the cache, not the score products.

    Examples
    --------
    >>> from llmsizing.presets import load_model
    >>> m = load_model("llama-3.1-70b")
    >>> attention_flops_per_token(m, 0) == 80 * 2 * (2 * 8192**2 + 2 * 8192 * 1024)
    True
    """
    proj = sum(t.numel for t in model.tensors(include_extra=False) if t.role in ATTENTION_ROLES)
    if model.mla is not None:
        dk = model.mla.qk_nope_head_dim + model.mla.qk_rope_head_dim
        dv = model.mla.v_head_dim
    else:
        dk, dv = model.head_dim, model.v_head_dim or model.head_dim
    held = float(np.minimum(context_len, layer_windows(model)).sum())
    return float(2 * proj + 2 * model.num_heads * (dk + dv) * held)


def _baseline(m: ModelConfig, name: str | None, c: RatioClaim, ctx: Context) -> ModelConfig:
    if name in (None, "mha"):
        return as_mha(m)
    if name == "full":
        return as_full_attention(m)
    return ctx.model(c, name, "baseline")


def _contexts(context: int | tuple[int, ...] | None, models: Sequence[ModelConfig]) -> list[int]:
    if isinstance(context, int):
        return [context]
    if context is not None:
        return list(context)
    limit = min((m.max_position_embeddings or 131072) for m in models)
    return [x for x in RATIO_CONTEXTS if x <= limit] or [limit]


def _claimed(c: RatioClaim, percent: bool) -> float:
    where = c.where("value")
    return parse_fraction(c.value, where) if percent else parse_factor(c.value, where)


@checker("ratio")
def check_ratio(c: RatioClaim, ctx: Context) -> Verdict:
    """Compare a model (or instance) ratio with the claimed one."""
    q = c.quantity
    if c.baseline_instance or q in SPEC_QUANTITIES:
        return _check_instance_ratio(c, ctx)
    if q not in RATIO_QUANTITIES:
        raise ClaimError(
            f"{c.where('quantity')}: unknown ratio quantity {q!r} (known: "
            f"{', '.join(RATIO_QUANTITIES)}, or a spec quantity with baseline_instance)"
        )
    m = ctx.model(c, c.model)
    percent, default, points = RATIO_QUANTITIES[q]
    claimed = _claimed(c, percent)
    tol = parse_tolerance(
        c.tolerance, c.where("tolerance"), default, "points" if points else "relative"
    )
    if q in ("active_parameter_fraction", "parameter_reduction"):
        return _parameter_fraction(c, m, claimed, tol)
    base = _baseline(m, c.baseline, c, ctx)
    if q == "parameter_ratio":
        return _parameter_ratio(c, m, base, claimed, tol)
    kv = c.workload.kv if c.workload and c.workload.kv is not None else "bf16"
    ctxs = _contexts(c.context, [m, base])
    values = []
    for tokens in ctxs:
        if q == "attention_flops_reduction":
            r = attention_flops_per_token(m, tokens) / attention_flops_per_token(base, tokens)
        else:
            r = float(kv_cache_ratio(m, base, tokens, kv))
        values.append(r if q == "kv_cache_ratio" else 1 - r)
    absolute = q != "kv_cache_ratio"
    oks = [judge(v, claimed, tol, c.relation) for v in values]
    status: Status = "holds" if all(oks) else "fails" if not any(oks) else "depends"

    def show(v: float) -> str:
        return f"{v:.1%}" if absolute else f"{v:.3g}"

    if len(ctxs) > 1 and len({show(v) for v in values}) == 1:
        per_ctx = f"{show(values[0])} at every context from {ctxs[0]:,} to {ctxs[-1]:,}"
    else:
        per_ctx = ", ".join(f"{show(v)} at {x:,}" for v, x in zip(values, ctxs, strict=True))
    held = [x for x, ok in zip(ctxs, oks, strict=True) if ok]
    rel_word = {"approx": "≈", "at_least": "≥", "at_most": "≤"}[c.relation]
    expl = (
        f"{MARK[status]} {m.name} vs {base.name}: {q.replace('_', ' ')} {per_ctx} tokens "
        f"({kv_label(kv)} KV) against the claimed {rel_word} {show(claimed)} (tolerance "
        f"±{tol.value:.0%}{' points' if absolute else ''})."
        + (
            f" It holds only at {', '.join(f'{x:,}' for x in held)} tokens."
            if status == "depends"
            else ""
        )
    )
    return Verdict(
        claim=c,
        status=status,
        numbers={f"{q} @ {x:,}": show(v) for v, x in zip(values, ctxs, strict=True)}
        | {"claimed": show(claimed)},
        assumptions={
            "baseline": base.name,
            "kv_dtype": kv,
            "contexts": ctxs,
            "relation": c.relation,
        },
        explanation=expl,
    )


def _parameter_fraction(c: RatioClaim, m: ModelConfig, claimed: float, tol: Tolerance) -> Verdict:
    q = c.quantity
    pc = m.param_counts()
    active = (
        pc.active_excluding_embedding if c.convention == "active_excluding_embedding" else pc.active
    )
    frac = active / pc.total
    value = frac if q == "active_parameter_fraction" else 1 - frac
    status: Status = "holds" if judge(value, claimed, tol, c.relation) else "fails"
    expl = (
        f"{MARK[status]} {m.name}: {active / 1e9:,.1f}B active of {pc.total / 1e9:,.1f}B "
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
        assumptions={"convention": c.convention or "active", "tolerance": tol.value},
        explanation=expl,
    )


def _parameter_ratio(
    c: RatioClaim, m: ModelConfig, base: ModelConfig, claimed: float, tol: Tolerance
) -> Verdict:
    excluding = c.convention == "active_excluding_embedding"

    def count(x: ModelConfig) -> int:
        pc = x.param_counts()
        if c.convention is None:
            return pc.total
        return pc.active_excluding_embedding if excluding else pc.active

    a, b = count(m), count(base)
    ratio = a / b
    status: Status = "holds" if judge(ratio, claimed, tol, c.relation) else "fails"
    what = "total" if c.convention is None else c.convention.replace("_", " ")
    expl = (
        f"{MARK[status]} {m.name} has {a / 1e9:,.2f}B {what} parameters, {base.name} "
        f"{b / 1e9:,.2f}B: {ratio:.3g}× against the claimed {claimed:.3g}× "
        f"({ratio / claimed - 1:+.1%}; tolerance {tol.text()})."
    )
    return Verdict(
        claim=c,
        status=status,
        numbers={m.name: f"{a / 1e9:.2f} B", base.name: f"{b / 1e9:.2f} B"}
        | {"ratio": f"{ratio:.3g}x", "claimed": f"{claimed:.3g}x"},
        assumptions={"count": what, "tolerance": tol.text()},
        explanation=expl,
    )


def _check_instance_ratio(c: RatioClaim, ctx: Context) -> Verdict:
    if c.quantity not in SPEC_QUANTITIES:
        raise ClaimError(
            f"{c.where('quantity')}: an instance ratio needs a spec quantity "
            f"({', '.join(SPEC_QUANTITIES)})"
        )
    a = ctx.instance(c, c.instance)
    b = ctx.instance(c, c.baseline_instance, "baseline_instance")
    unit = SPEC_QUANTITIES[c.quantity][0]
    try:
        va, vb = spec_value(a, c.quantity), spec_value(b, c.quantity)
    except ClaimError as e:
        raise ClaimError(f"{c.where('quantity')}: {e}") from None
    if unit:
        va, vb = va.to(unit), vb.to(unit)
    if not vb.magnitude > 0:
        raise ClaimError(
            f"{c.where('baseline_instance')}: {b.name} has {c.quantity} = {fmt(vb)}; "
            "a ratio over it is undefined"
        )
    ratio = float((va / vb).to("").magnitude)
    claimed = parse_factor(c.value, c.where("value"))
    tol = parse_tolerance(c.tolerance, c.where("tolerance"), 0.05)
    status: Status = "holds" if judge(ratio, claimed, tol, c.relation) else "fails"
    expl = (
        f"{MARK[status]} {c.quantity.replace('_', ' ')}: {a.name} {fmt(va)} / {b.name} "
        f"{fmt(vb.to(va.units))} = {ratio:.2f}× against the claimed {claimed:.2f}× "
        f"(tolerance ±{tol.value:.0%})."
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
        assumptions={"tolerance": tol.value},
        explanation=expl,
    )
