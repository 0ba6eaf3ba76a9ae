"""Claim schemas: one pydantic model per claim kind, discriminated on ``kind``.

Every kind shares the fields of :class:`Claim` (``id``, ``text``, ``source``,
``why``, ``expect`` and the file and line the loader found it at) and adds its
own; unknown fields are errors. ``Claim(kind="fit", ...)`` builds the model of
that kind, so Python code can stay kind-agnostic.

The schema checks shapes and types (a count is a whole number >= 1, a range is
``[lo, hi]``, a workload has known keys). Values that need a unit or a
vocabulary (``"80 GB"``, ``"93%"``, a model or instance name, a quantity name)
are read by the checkers with the strict rules of :mod:`llmsizing.claims.parsing`,
so one bad value fails one claim, not the whole file.

Examples
--------
>>> c = Claim(id="x", kind="spec", instance="inf2.xlarge", quantity="accelerator_count", value=1)
>>> type(c).__name__, c.instances
('SpecClaim', 1)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from llmsizing.errors import ClaimError, suggest

__all__ = [
    "CLAIM_TYPES",
    "AnyClaim",
    "ArchitectureClaim",
    "Claim",
    "CostClaim",
    "FitClaim",
    "MemoryClaim",
    "RatioClaim",
    "ReportedClaim",
    "ServiceLimitClaim",
    "SpecClaim",
    "Status",
    "TrainingClaim",
    "WorkloadSpec",
    "error_text",
    "span",
]

Status = Literal["holds", "fails", "depends"]
Relation = Literal["approx", "at_least", "at_most"]

#: Sanity limits: far above any real claim, low enough to keep every number finite.
MAX_INSTANCES = 100_000
MAX_TOKENS = 10**9
MAX_BATCH = 10**7


# ----------------------------------------------------------- field validators
def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _whole(v: Any, what: str, hi: int) -> int:
    if not _is_int(v) or not 1 <= v <= hi:
        raise ValueError(f"{what} must be an integer from 1 to {hi:,}, got {v!r}")
    return int(v)


def span(v: int | tuple[int, int]) -> tuple[int, int]:
    """``(lo, hi)`` of a count or a ``[lo, hi]`` range.

    Examples
    --------
    >>> span(4), span((4, 8))
    ((4, 4), (4, 8))
    """
    return (v, v) if isinstance(v, int) else (v[0], v[1])


def _count_or_range(what: str, hi: int) -> Any:
    def check(v: Any) -> int | tuple[int, int]:
        if isinstance(v, list | tuple):
            if len(v) != 2:
                raise ValueError(
                    f"a range of {what} is [lo, hi] (two integers), got {len(v)} value(s): {v!r}"
                )
            lo, up = (_whole(x, what, hi) for x in v)
            if lo > up:
                raise ValueError(f"range [{lo}, {up}] of {what} has lo > hi")
            return (lo, up) if lo < up else lo
        return _whole(v, f"{what} (an integer or a range [lo, hi])", hi)

    return BeforeValidator(check)


def _scalar(v: Any) -> Any:
    if isinstance(v, bool) or not isinstance(v, str | int | float):
        raise ValueError(f"must be a number or a string such as '80 GB' or '93%', got {v!r}")
    return v


def _kv(v: Any) -> Any:
    """A KV dtype name (``"fp8"``) or a bit width (``8``: an 8-bit cache)."""
    if isinstance(v, str):
        return v
    if _is_int(v) or isinstance(v, float):
        if not (math.isfinite(v) and 0 < v <= 64):
            raise ValueError(f"a KV bit width must be in (0, 64], got {v!r}")
        return float(v)
    raise ValueError(f"must be a KV dtype name such as 'fp8' or a bit width such as 8, got {v!r}")


def _name(v: Any) -> Any:
    if not isinstance(v, str) or not v.strip():
        raise ValueError(f"must be a non-empty name, got {v!r}")
    return v


def _names(v: Any) -> Any:
    if isinstance(v, list | tuple):
        if not v:
            raise ValueError("an empty list of names")
        return tuple(_name(x) for x in v)
    return _name(v)


def _contexts(v: Any) -> Any:
    if isinstance(v, list | tuple):
        if not v:
            raise ValueError("an empty list of contexts")
        return tuple(_whole(x, "a context", MAX_TOKENS) for x in v)
    return _whole(v, "a context (an integer or a list of integers)", MAX_TOKENS)


def _utilization(v: Any) -> Any:
    if isinstance(v, bool) or not isinstance(v, int | float) or not 0 < v <= 1:
        raise ValueError(f"must be a number in (0, 1], got {v!r}")
    return float(v)


Name = Annotated[str, BeforeValidator(_name)]
Scalar = Annotated[str | int | float, BeforeValidator(_scalar)]
Instances = Annotated[int | tuple[int, int], _count_or_range("instances", MAX_INSTANCES)]
Tokens = Annotated[int, BeforeValidator(lambda v: _whole(v, "a token count", MAX_TOKENS))]


# --------------------------------------------------------------------- models
class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class WorkloadSpec(_Strict):
    """What a claim says (or leaves open) about the served workload.

    Attributes
    ----------
    context : int or (int, int), optional
        Tokens per sequence [tokens], or a range ``[lo, hi]``; open if omitted.
    batch : int or (int, int), optional
        Concurrent sequences ("users") [-], or a range ``[lo, hi]``.
    weights : str, optional
        Weight format (``"bf16"``, ``"fp8"``, ``"int4"`` ...); open if omitted.
    kv : str or float, optional
        KV-cache dtype name, or a bit width (``8`` is an 8-bit cache).
    prompt, output : int, optional
        Prompt and output lengths of a cost claim [tokens].
    memory_utilization : float, optional
        Share of usable device memory the engine may use, in (0, 1].
    """

    context: Annotated[int | tuple[int, int], _count_or_range("context", MAX_TOKENS)] | None = None
    batch: Annotated[int | tuple[int, int], _count_or_range("batch", MAX_BATCH)] | None = None
    weights: Name | None = None
    kv: Annotated[str | float, BeforeValidator(_kv)] | None = None
    prompt: Tokens | None = None
    output: Tokens | None = None
    memory_utilization: Annotated[float, BeforeValidator(_utilization)] | None = None


class Claim(_Strict):
    """One checkable statement; the base of every kind's schema.

    ``Claim(kind="spec", ...)`` returns the :class:`SpecClaim` (etc.) of that
    kind. ``file`` and ``line`` locate the claim in its YAML file; the loader
    also records the line of each field, for error messages.
    """

    id: Annotated[str, BeforeValidator(_name)]
    kind: str
    text: str | None = None
    source: str | None = None
    why: str | None = None
    expect: Status | None = None
    file: str | None = None
    line: int | None = None

    _lines: dict[str, int] = PrivateAttr(default_factory=dict)

    #: Fields the loader fills in; a claim file may not set them.
    RESERVED: ClassVar[frozenset[str]] = frozenset({"file", "line"})

    def __new__(cls, *args: Any, **data: Any) -> Claim:
        if cls is Claim:
            cls = _claim_type(data.get("kind"), data.get("id"))
        return super().__new__(cls)

    def where(self, field: str | None = None) -> str:
        """``file:line (id)`` for messages, with the field's line if it differs.

        Examples
        --------
        >>> Claim(id="a", kind="fit", model="m", instance="i").where()
        'claim (a)'
        """
        loc = f"{self.file}:{self.line}" if self.file else "claim"
        at = self._lines.get(field or "")
        if field and at and at != self.line:
            return f"{loc} ({self.id}; {field} on line {at})"
        return f"{loc} ({self.id})"

    def field_line(self, field: str) -> int | None:
        """The line the loader read ``field`` from (None if not loaded from a file)."""
        return self._lines.get(field, self.line)


class FitClaim(Claim):
    """Does ``model`` run on ``instance`` (or on ``instances`` of it, or a range)?"""

    kind: Literal["fit"] = "fit"
    model: Name
    instance: Name
    instances: Instances = 1
    workload: WorkloadSpec | None = None


class SpecClaim(Claim):
    """An instance figure (memory, FLOPs, bandwidth, counts ...) within a tolerance."""

    kind: Literal["spec"] = "spec"
    instance: Name
    quantity: Name
    value: Scalar
    tolerance: Scalar | None = None
    instances: Instances = 1


class RatioClaim(Claim):
    """A reduction or ratio between two models (or variants), or two instances."""

    kind: Literal["ratio"] = "ratio"
    quantity: Name
    value: Scalar
    tolerance: Scalar | None = None
    relation: Relation = "approx"
    model: Name | None = None
    baseline: Name | None = None
    instance: Name | None = None
    baseline_instance: Name | None = None
    context: Annotated[int | tuple[int, ...], BeforeValidator(_contexts)] | None = None
    convention: Literal["active", "active_excluding_embedding"] | None = None
    workload: WorkloadSpec | None = None

    @model_validator(mode="after")
    def _two_sides(self) -> RatioClaim:
        if self.baseline_instance is not None and self.instance is None:
            raise ValueError("an instance ratio needs 'instance' as well as 'baseline_instance'")
        if self.model is None and self.instance is None:
            raise ValueError("a ratio claim needs 'model' (or 'instance' and 'baseline_instance')")
        return self


class ReportedClaim(Claim):
    """What a source reports against an explicit baseline, under the source's own terms.

    "DeepSeek-V2 reduces the KV cache by 93.3% against DeepSeek 67B": both
    models and both KV widths are named, nothing is left to a default.
    """

    kind: Literal["reported"] = "reported"
    quantity: Literal["kv_cache_reduction", "kv_cache_ratio", "parameter_ratio"]
    model: Name
    baseline: Name
    kv: Annotated[str | float, BeforeValidator(_kv)] | None = None
    baseline_kv: Annotated[str | float, BeforeValidator(_kv)] | None = None
    context: Annotated[int | tuple[int, ...], BeforeValidator(_contexts)] | None = None
    value: Scalar
    tolerance: Scalar | None = None
    relation: Relation = "approx"

    @model_validator(mode="after")
    def _kv_for_kv(self) -> ReportedClaim:
        if self.quantity.startswith("kv_cache") and (self.kv is None or self.baseline_kv is None):
            raise ValueError(
                "a reported KV-cache figure needs 'kv' and 'baseline_kv' (bits or names)"
            )
        return self


class CostClaim(Claim):
    """USD per 1M tokens on an instance, against the roofline of what it can deliver."""

    kind: Literal["cost"] = "cost"
    model: Name
    instance: Name
    instances: Instances = 1
    usd_per_million_tokens: Annotated[float, BeforeValidator(_scalar)]
    tokens: Literal["output", "input"] = "output"
    workload: WorkloadSpec | None = None


class TrainingClaim(Claim):
    """A model (or a parameter count) trains on a number, or a range, of instances."""

    kind: Literal["training"] = "training"
    instance: Name
    instances: Instances = 1
    model: Name | None = None
    params: Scalar | None = None
    setup: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _what(self) -> TrainingClaim:
        if (self.model is None) == (self.params is None):
            raise ValueError("a training claim needs exactly one of 'model' and 'params'")
        return self


class ArchitectureClaim(Claim):
    """A fact about a model's architecture: layers, experts, attention type, windows ...

    ``model`` may be a list (a model family): the claim is checked for each.
    """

    kind: Literal["architecture"] = "architecture"
    model: Annotated[str | tuple[str, ...], BeforeValidator(_names)]
    quantity: Name
    value: Scalar
    tolerance: Scalar | None = None


class MemoryClaim(Claim):
    """The memory a model (or a bare parameter count) takes: weights, or KV cache."""

    kind: Literal["memory"] = "memory"
    quantity: Literal["weights", "kv_cache"]
    model: Name | None = None
    params: Scalar | None = None
    value: Scalar
    tolerance: Scalar | None = None
    relation: Relation = "approx"
    workload: WorkloadSpec | None = None

    @model_validator(mode="after")
    def _what(self) -> MemoryClaim:
        if (self.model is None) == (self.params is None):
            raise ValueError("a memory claim needs exactly one of 'model' and 'params'")
        if self.params is not None and self.quantity != "weights":
            raise ValueError("a bare parameter count has weights only; name a model for kv_cache")
        return self


class ServiceLimitClaim(Claim):
    """A documented limit of an AWS service (Lambda memory ...), or a model within it.

    With ``quantity: fits_model`` the claim is that ``model`` runs within the
    service's memory limit (no ``value``); otherwise ``value`` is the claimed limit.
    """

    kind: Literal["service_limit"] = "service_limit"
    service: Name
    quantity: Name
    value: Scalar | None = None
    tolerance: Scalar | None = None
    relation: Relation = "approx"
    model: Name | None = None
    workload: WorkloadSpec | None = None

    @model_validator(mode="after")
    def _mode(self) -> ServiceLimitClaim:
        if self.quantity == "fits_model":
            if self.model is None or self.value is not None:
                raise ValueError("quantity 'fits_model' needs 'model' and no 'value'")
        elif self.value is None:
            raise ValueError(f"quantity {self.quantity!r} needs the claimed 'value'")
        return self


#: Every claim kind's schema, by kind.
#: Any claim, validated into the schema its ``kind`` names; a new kind is one more member.
AnyClaim = Annotated[
    FitClaim
    | SpecClaim
    | RatioClaim
    | ReportedClaim
    | CostClaim
    | TrainingClaim
    | ArchitectureClaim
    | MemoryClaim
    | ServiceLimitClaim,
    Field(discriminator="kind"),
]
#: Every claim kind's schema, by kind.
CLAIM_TYPES: dict[str, type[Claim]] = {
    get_args(c.model_fields["kind"].annotation)[0]: c for c in get_args(get_args(AnyClaim)[0])
}
#: Validates a mapping into the claim of its kind.
CLAIM_ADAPTER: TypeAdapter[Any] = TypeAdapter(AnyClaim)


def _claim_type(kind: Any, claim_id: Any) -> type[Claim]:
    if isinstance(kind, str) and kind in CLAIM_TYPES:
        return CLAIM_TYPES[kind]
    raise ClaimError(f"claim {claim_id!r}: field 'kind': {kind_problem(kind)}")


def kind_problem(kind: Any) -> str:
    """Why ``kind`` is not a claim kind, with the nearest ones."""
    if kind is None:
        return f"missing (one of {', '.join(CLAIM_TYPES)})"
    if not isinstance(kind, str):
        return f"must be one of {', '.join(CLAIM_TYPES)}, got {kind!r}"
    return f"unknown kind {kind!r}: {suggest(kind, CLAIM_TYPES)}"


# ------------------------------------------------------------- error messages
_PRIORITY = {"extra_forbidden": 0, "missing": 2}


def _ordered(e: ValidationError) -> list[Mapping[str, Any]]:
    """Errors, a misspelled (unknown) field first: it usually explains a missing one."""
    return sorted(e.errors(), key=lambda err: _PRIORITY.get(str(err["type"]), 1))


def error_location(err: Mapping[str, Any]) -> tuple[str, tuple[str, ...]]:
    """``(field, rest)`` of a pydantic error, without the union tag in front."""
    if err["type"] in ("union_tag_invalid", "union_tag_not_found"):
        return "kind", ()
    loc = [str(x) for x in err["loc"]]
    if loc and loc[0] in CLAIM_TYPES:
        loc = loc[1:]
    return (loc[0] if loc else "claim"), tuple(loc[1:])


def _message(err: Mapping[str, Any], field: str, rest: tuple[str, ...]) -> str:
    kind = str(err["type"])
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        given = err.get("input")
        tag = given.get("kind") if isinstance(given, Mapping) else None
        return kind_problem(tag)
    if kind == "extra_forbidden":
        if rest:
            allowed = ", ".join(WorkloadSpec.model_fields)
            return f"unknown key {rest[-1]!r} (allowed: {allowed})"
        loc = err["loc"]
        schema = CLAIM_TYPES.get(str(loc[0])) if loc else None
        fields = [f for f in (schema.model_fields if schema else {}) if f not in Claim.RESERVED]
        return f"unknown field: {suggest(field, fields)}" if fields else "unknown field"
    if kind == "missing":
        return "required, but missing"
    return str(err["msg"]).removeprefix("Value error, ")


def error_text(e: ValidationError, limit: int = 3) -> str:
    """One line for a claim's validation errors, each naming its field.

    Examples
    --------
    >>> try:
    ...     Claim(id="a", kind="fit", model="m", instance="i", instances=0)
    ... except ValidationError as e:
    ...     print(error_text(e))
    field 'instances': instances (an integer or a range [lo, hi]) must be an integer from 1 to ...
    """
    parts = []
    for err in _ordered(e)[:limit]:
        field, rest = error_location(err)
        where = f"field {field!r}" + (f", key {'.'.join(rest)!r}" if rest else "")
        parts.append(f"{where}: {_message(err, field, rest)}")
    more = len(e.errors()) - limit
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


def first_error_field(e: ValidationError) -> str:
    """The field of the error :func:`error_text` names first."""
    return error_location(_ordered(e)[0])[0]
