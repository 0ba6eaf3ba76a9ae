"""Reported claims: a figure a source reports against an explicit baseline, on its own terms.

"DeepSeek-V2 reduces the KV cache by 93.3%" is a statement about the paper: it
compares DeepSeek-V2's MLA cache, quantised to about 6 bits per element, with
DeepSeek 67B's bf16 GQA cache [1]_. A reported claim names both models and both
KV widths, so the figure is reproduced under the source's conditions rather
than under a default (the same model as MHA, bf16 on both sides), which would
answer a different question.

References
----------
.. [1] DeepSeek-AI, "DeepSeek-V2: A Strong, Economical, and Efficient
   Mixture-of-Experts Language Model", arXiv:2405.04434, 2024, section 3.2.3
   ("reducing the KV cache by 93.3%"; KV cache quantised to 6 bits per element
   on average).
"""

from __future__ import annotations

from typing import Any

from llmsizing.memory import kv_cache_memory
from llmsizing.model import ModelConfig

from .context import Context
from .parsing import parse_factor, parse_fraction, parse_tolerance
from .ratio import RATIO_CONTEXTS, judge
from .readings import kv_label
from .registry import checker
from .schema import ReportedClaim, Status
from .verdict import MARK, Verdict

__all__ = ["check_reported"]


def _kv_bytes(m: ModelConfig, tokens: int, kv: str | float) -> float:
    return float(kv_cache_memory(m, tokens, 1, kv).to("byte").magnitude)


@checker("reported")
def check_reported(c: ReportedClaim, ctx: Context) -> Verdict:
    """Reproduce the reported figure with both sides as the source states them."""
    m = ctx.model(c, c.model)
    base = ctx.model(c, c.baseline, "baseline")
    where = c.where("value")
    percent = c.quantity == "kv_cache_reduction"
    claimed = parse_fraction(c.value, where) if percent else parse_factor(c.value, where)
    tol = parse_tolerance(
        c.tolerance,
        c.where("tolerance"),
        0.01 if percent else 0.05,
        "points" if percent else "relative",
    )
    if c.quantity == "parameter_ratio":
        values = [m.param_counts().total / base.param_counts().total]
        ctxs: list[int] = []
        sides = f"{m.param_counts().total / 1e9:,.1f}B / {base.param_counts().total / 1e9:,.1f}B"
    else:
        if isinstance(c.context, int):
            ctxs = [c.context]
        elif c.context is not None:
            ctxs = list(c.context)
        else:
            limit = min(x.max_position_embeddings or 131072 for x in (m, base))
            ctxs = [x for x in RATIO_CONTEXTS if x <= limit] or [limit]
        values = []
        for t in ctxs:
            mine = float(kv_cache_memory(m, t, 1, c.kv or "bf16").to("byte").magnitude)
            theirs = float(
                kv_cache_memory(base, t, 1, c.baseline_kv or "bf16").to("byte").magnitude
            )
            r = mine / theirs
            values.append(1 - r if percent else r)
        per_token = float(kv_cache_memory(m, 1, 1, c.kv or "bf16").to("byte").magnitude)
        base_token = float(
            kv_cache_memory(base, 1, 1, c.baseline_kv or "bf16").to("byte").magnitude
        )
        sides = (
            f"{per_token:,.0f} B/token ({kv_label(c.kv or 'bf16')}) against "
            f"{base_token:,.0f} B/token ({kv_label(c.baseline_kv or 'bf16')}) at 1 token"
        )
    oks = [judge(v, claimed, tol, c.relation) for v in values]
    status: Status = "holds" if all(oks) else "fails" if not any(oks) else "depends"

    def show(v: float) -> str:
        return f"{v:.1%}" if percent else f"{v:.3g}x"

    shown = ", ".join(
        show(v) + (f" at {t:,}" if ctxs else "") for v, t in zip(values, ctxs or [0], strict=False)
    )
    expl = (
        f"{MARK[status]} As the source reports it, {m.name} against {base.name}: "
        f"{c.quantity.replace('_', ' ')} {shown} ({sides}) against the reported "
        f"{show(claimed)} (tolerance {tol.text()})."
    )
    numbers: dict[str, Any] = {
        (f"{c.quantity} @ {t:,}" if ctxs else c.quantity): show(v)
        for v, t in zip(values, ctxs or [0], strict=False)
    }
    return Verdict(
        claim=c,
        status=status,
        numbers=numbers | {"reported": show(claimed)},
        assumptions={
            "baseline": base.name,
            "kv": kv_label(c.kv or "bf16"),
            "baseline_kv": kv_label(c.baseline_kv or "bf16"),
            "contexts": ctxs,
        },
        explanation=expl,
    )
