"""Architecture claims: facts about a model read from its configuration.

"256 experts per MoE module, activating 9 per token", "a 5:1 ratio of sliding
window to global layers", "traditional multi-head attention": each is one of
:data:`ARCHITECTURE_QUANTITIES`, computed from the model's
:class:`~llmsizing.model.ModelConfig` (the model's own ``config.json``).

Counts are compared exactly unless a tolerance is given; parameter counts and
the window ratio take a relative tolerance (default 5%); the attention type is
one of ``MHA`` (one KV head per query head), ``GQA`` (fewer KV heads), ``MQA``
(one KV head) and ``MLA`` (a latent KV cache). With a list of models (a model
family) the claim holds if it holds for every member, fails if for none, and
depends otherwise, naming the members.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from llmsizing.errors import ClaimError, suggest
from llmsizing.model import ModelConfig

from .context import Context
from .parsing import parse_factor, parse_params, parse_tolerance
from .registry import checker
from .schema import ArchitectureClaim, Status
from .verdict import MARK, Verdict

__all__ = ["ARCHITECTURE_QUANTITIES", "attention_type", "check_architecture"]


def attention_type(m: ModelConfig) -> str:
    """``"MLA"``, ``"MHA"``, ``"MQA"`` or ``"GQA"`` from the KV layout.

    Examples
    --------
    >>> from llmsizing.presets import load_model
    >>> attention_type(load_model("olmo-2-13b")), attention_type(load_model("olmo-2-32b"))
    ('MHA', 'GQA')
    """
    if m.mla is not None:
        return "MLA"
    if m.num_kv_heads == m.num_heads:
        return "MHA"
    return "MQA" if m.num_kv_heads == 1 else "GQA"


def _window_ratio(m: ModelConfig) -> float | None:
    local = sum(k in ("sliding", "chunked") for k in m.layer_types)
    full = sum(k == "full" for k in m.layer_types)
    return local / full if local and full else None


def _moe(f: Callable[[Any], int]) -> Callable[[ModelConfig], Any]:
    return lambda m: f(m.moe) if m.moe is not None and m.is_moe else 0


#: Quantity -> (kind of value, how to read it from a model). Kinds: "count"
#: (exact), "params" (relative), "ratio" (relative), "name" (categorical).
ARCHITECTURE_QUANTITIES: dict[str, tuple[str, Callable[[ModelConfig], Any]]] = {
    "layers": ("count", lambda m: m.num_layers),
    "heads": ("count", lambda m: m.num_heads),
    "kv_heads": ("count", lambda m: m.num_kv_heads if m.mla is None else None),
    "head_dim": ("count", lambda m: m.head_dim),
    "hidden_size": ("count", lambda m: m.hidden_size),
    "vocab_size": ("count", lambda m: m.vocab_size),
    "routed_experts": ("count", _moe(lambda e: e.n_routed_experts)),
    "shared_experts": ("count", _moe(lambda e: e.n_shared_experts)),
    "experts_per_token": ("count", _moe(lambda e: e.experts_per_token)),
    "active_experts": ("count", _moe(lambda e: e.experts_per_token + e.n_shared_experts)),
    "moe_layers": ("count", lambda m: m.n_moe_layers),
    "sliding_window": ("count", lambda m: m.sliding_window if "sliding" in m.layer_types else None),
    "max_context": ("count", lambda m: m.max_position_embeddings),
    "window_ratio": ("ratio", _window_ratio),
    "total_params": ("params", lambda m: m.param_counts().total),
    "active_params": ("params", lambda m: m.param_counts().active),
    "attention": ("name", attention_type),
    "qk_norm": ("name", lambda m: "yes" if m.qk_norm else "no"),
}
_ATTENTION_NAMES = {
    "mha": "MHA",
    "multi-head attention": "MHA",
    "gqa": "GQA",
    "grouped-query attention": "GQA",
    "mqa": "MQA",
    "multi-query attention": "MQA",
    "mla": "MLA",
    "multi-head latent attention": "MLA",
    "yes": "yes",
    "no": "no",
}


def _claimed(c: ArchitectureClaim, kind: str) -> Any:
    where = c.where("value")
    if kind == "name":
        key = str(c.value).strip().lower()
        if key not in _ATTENTION_NAMES:
            raise ClaimError(f"{where}: value {c.value!r}: {suggest(key, _ATTENTION_NAMES)}")
        return _ATTENTION_NAMES[key]
    if kind == "params":
        return parse_params(c.value, where, "value")
    if kind == "ratio":
        text = str(c.value).replace(" ", "")
        if ":" in text:
            a, _, b = text.partition(":")
            return parse_factor(a, where) / parse_factor(b, where)
        return parse_factor(c.value, where)
    if isinstance(c.value, bool) or not isinstance(c.value, int | str):
        raise ClaimError(f"{where}: value {c.value!r} should be a whole count")
    try:
        return int(str(c.value).replace(",", ""))
    except ValueError:
        raise ClaimError(f"{where}: value {c.value!r} should be a whole count") from None


def _show(v: Any, kind: str) -> str:
    if kind == "params":
        return f"{v / 1e9:,.2f}B"
    if kind == "ratio":
        return f"{v:.2f}:1"
    return f"{v:,}" if isinstance(v, int) else str(v)


@checker("architecture")
def check_architecture(c: ArchitectureClaim, ctx: Context) -> Verdict:
    """Compare an architecture fact of one model (or each model of a family)."""
    if c.quantity not in ARCHITECTURE_QUANTITIES:
        raise ClaimError(
            f"{c.where('quantity')}: unknown architecture quantity {c.quantity!r}: "
            f"{suggest(c.quantity, ARCHITECTURE_QUANTITIES)}"
        )
    kind, read = ARCHITECTURE_QUANTITIES[c.quantity]
    claimed = _claimed(c, kind)
    default = 0.05 if kind in ("params", "ratio") else 0.0
    tol = parse_tolerance(c.tolerance, c.where("tolerance"), default)
    names = [c.model] if isinstance(c.model, str) else list(c.model)
    rows: list[tuple[str, Any, bool]] = []
    for name in names:
        m = ctx.model(c, name)
        value = read(m)
        if value is None:
            ok = False
        elif kind == "name":
            ok = value == claimed
        else:
            ok = abs(value - claimed) <= float(tol.value) * abs(claimed)
        rows.append((m.name, value, ok))
    oks = [ok for _, _, ok in rows]
    status: Status = "holds" if all(oks) else "fails" if not any(oks) else "depends"
    found = "; ".join(f"{n}: {_show(v, kind) if v is not None else 'none'}" for n, v, _ in rows)
    what = c.quantity.replace("_", " ")
    expl = (
        f"{MARK[status]} {what}: {found} against the claimed {_show(claimed, kind)}"
        + (f" (tolerance {tol.text()})" if kind in ("params", "ratio") or tol.value else "")
        + "."
    )
    if status == "depends":
        held = ", ".join(n for n, _, ok in rows if ok)
        expl += f" It holds for {held} only."
    return Verdict(
        claim=c,
        status=status,
        numbers={n: _show(v, kind) if v is not None else "none" for n, v, _ in rows}
        | {"claimed": _show(claimed, kind)},
        assumptions={"tolerance": tol.text(), "read from": "the model's config.json"},
        explanation=expl,
    )
