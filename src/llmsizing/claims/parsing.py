"""Strict readers for the values a claim states: quantities, percentages, tolerances, counts.

Each reader accepts one unambiguous spelling and raises a one-line
:class:`~llmsizing.errors.ClaimError` naming the claim, its line and the field
otherwise. Nothing is evaluated: :func:`parse_quantity` reads a number, an
optional SI or binary prefix and a unit with a fixed grammar, so a string such
as ``"9**9**9 GB"`` is refused at once instead of being computed.

==============================  =====================================  ===========================
field                           accepted                               refused (ambiguous)
==============================  =====================================  ===========================
quantity (``value`` of spec)    ``"80 GB"``, ``"3.2 Tbps"``, ``"1,536
                                GiB"``, ``"185 TB/second"``             ``"9**9 GB"``, ``"80"``
percentage (``value``)          ``"93%"``; a bare fraction ``0.93``     ``84`` (84% or 8,400%?)
                                (deprecated)
factor (``value`` of a ratio)   ``"4.4x"``, ``4.4``, ``"150%"``
tolerance                       ``"5%"``; ``0``; a bare fraction        ``5`` (5% or 500%?)
                                ``0.05`` (deprecated); a quantity
                                ``"2 GB"`` for spec claims
parameter count (``params``)    ``"70B"``, ``"1.2T"``, ``"700M"``, a    ``70`` (70 or 70 billion?)
                                full count ``70000000000``
==============================  =====================================  ===========================

Examples
--------
>>> parse_quantity("1.5 TiB", "x").to("GiB")
<Quantity(1536.0, 'gibibyte')>
>>> parse_fraction("93%", "x"), parse_factor("4.4x", "x"), parse_params("1.2T", "x")
(0.93, 4.4, 1200000000000.0)
"""

from __future__ import annotations

import functools
import math
import re
import warnings
from dataclasses import dataclass
from typing import Any, Literal

from llmsizing.errors import ClaimError
from llmsizing.units import parse_quantity as units_parse_quantity
from llmsizing.units import ureg

__all__ = [
    "Tolerance",
    "parse_factor",
    "parse_fraction",
    "parse_params",
    "parse_quantity",
    "parse_tolerance",
]

#: Longest quantity string read [characters]; real figures are far shorter.
MAX_QUANTITY_CHARS = 64
#: Largest magnitude accepted: beyond every physical figure, still a finite float.
MAX_MAGNITUDE = 1e30

_EXPONENT = r"(?:[eE][+-]?\d{1,3})?"
_NUMBER = rf"[+-]?(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d*)?{_EXPONENT}|[+-]?\.\d+{_EXPONENT}"
_PLAIN = re.compile(rf"\s*(?:{_NUMBER})\s*")
_THOUSANDS = re.compile(r"\b\d{1,3}(?:,\d{3})+\b")
_PERCENT = re.compile(rf"\s*({_NUMBER})\s*(%|x|×)?\s*", re.IGNORECASE)
_COUNT = re.compile(
    rf"\s*({_NUMBER})\s*(k|m|b|t|thousand|million|billion|trillion)?\s*", re.IGNORECASE
)
_SCALE = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "million": 1e6,
    "b": 1e9,
    "billion": 1e9,
    "t": 1e12,
    "trillion": 1e12,
}
#: Smallest bare parameter count read as a count; below it "70" may mean 70 billion.
MIN_BARE_PARAMS = 10**6


def _number(text: str) -> float:
    return float(text.replace(",", ""))


@functools.lru_cache(maxsize=64)
def _unit(text: str) -> Any:
    return ureg.Unit(text)


def parse_quantity(value: Any, where: str, field: str = "value", unit: str | None = None) -> Any:
    """Read ``"<number> <unit>"`` into a Quantity, with a fixed grammar.

    The grammar is :func:`llmsizing.units.parse_quantity`'s (a number, an
    optionally prefixed unit, ``/`` between units; never an expression), plus
    thousands separators (``"1,536 GiB"``) and bare numbers for plain counts.

    Parameters
    ----------
    value : str or float
        The claimed figure.
    where : str
        The claim location for messages (``Claim.where(field)``).
    field : str
        The field's name, for messages.
    unit : str, optional
        Unit the quantity must convert to; a bare number is then an error.

    Returns
    -------
    pint.Quantity
        Positive and finite.

    Raises
    ------
    ClaimError
        For anything else: an expression, an unknown unit, a bare number where
        a unit is needed, the wrong dimension, zero, negative or non-finite.

    Examples
    --------
    >>> parse_quantity("3,200 Gbps", "x", unit="GB/s").to("GB/s")
    <Quantity(400.0, 'gigabyte / second')>
    >>> parse_quantity("9**9**9 GB", "c.yaml:2 (x)")
    Traceback (most recent call last):
    ...
    llmsizing.errors.ClaimError: c.yaml:2 (x): value '9**9**9 GB' is not a quantity: ...
    """
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ClaimError(f"{where}: {field} {value!r} is not a quantity such as '80 GB'")
    if not isinstance(value, str):
        if unit:
            raise ClaimError(f"{where}: {field} {value!r} needs a unit (e.g. '{value} {unit}')")
        return _checked(float(value) * ureg.dimensionless, value, where, field)
    if len(value) > MAX_QUANTITY_CHARS:
        raise ClaimError(f"{where}: {field} is {len(value)} characters long; a quantity is short")
    text = _THOUSANDS.sub(lambda m: m.group(0).replace(",", ""), value)
    if _PLAIN.fullmatch(text):
        if unit:
            raise ClaimError(f"{where}: {field} {value!r} needs a unit (e.g. '{value} {unit}')")
        return _checked(float(text) * ureg.dimensionless, value, where, field)
    try:
        q = units_parse_quantity(text)
    except ValueError:
        raise ClaimError(
            f"{where}: {field} {value!r} is not a quantity: write a number and a unit, e.g. '80 GB'"
        ) from None
    q = _checked(q, value, where, field)
    if unit is not None:
        if q.dimensionless:
            raise ClaimError(f"{where}: {field} {value!r} needs a unit (e.g. '{value} {unit}')")
        if q.dimensionality != _unit(unit).dimensionality:
            raise ClaimError(
                f"{where}: {field} {value!r} has the wrong dimension for this quantity "
                f"(expected something convertible to {unit})"
            )
    return q


def _checked(q: Any, value: Any, where: str, field: str) -> Any:
    mag = float(q.magnitude)
    if not (math.isfinite(mag) and 0 < mag <= MAX_MAGNITUDE):
        raise ClaimError(f"{where}: {field} {value!r} must be a positive finite quantity")
    return q


def parse_fraction(value: Any, where: str, field: str = "value") -> float:
    """Read a percentage: ``"93%"`` is 0.93. A bare number must be a fraction below 1.

    A bare ``84`` could mean 84% or 8,400%, so it is refused; a bare fraction
    such as ``0.93`` keeps its meaning (93%) with a :class:`DeprecationWarning`.

    Examples
    --------
    >>> parse_fraction("87.5%", "x"), parse_fraction(0, "x")
    (0.875, 0.0)
    >>> parse_fraction(84, "c.yaml:2 (x)")
    Traceback (most recent call last):
    ...
    llmsizing.errors.ClaimError: c.yaml:2 (x): value 84 is ambiguous for a percentage: write '84%'
    """
    num, suffix = _percent_parts(value, where, field)
    if suffix == "%":
        return num / 100
    if suffix == "x":
        raise ClaimError(f"{where}: {field} {value!r} is a factor; a percentage is meant ('93%')")
    return _bare_fraction(num, value, where, field, "a percentage")


def parse_factor(value: Any, where: str, field: str = "value") -> float:
    """Read a ratio: ``"4.4x"`` or a bare ``4.4`` is 4.4; ``"150%"`` is 1.5.

    Examples
    --------
    >>> parse_factor("150%", "x"), parse_factor(2, "x")
    (1.5, 2.0)
    """
    num, suffix = _percent_parts(value, where, field)
    return num / 100 if suffix == "%" else num


def _percent_parts(value: Any, where: str, field: str) -> tuple[float, str | None]:
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise ClaimError(f"{where}: {field} {value!r} is not a finite number")
        return float(value), None
    if isinstance(value, str) and len(value) <= MAX_QUANTITY_CHARS:
        m = _PERCENT.fullmatch(value)
        if m:
            num = _number(m.group(1))
            if math.isfinite(num):
                suffix = (m.group(2) or "").lower().replace("×", "x") or None
                return num, suffix
    raise ClaimError(f"{where}: {field} {value!r} is not a number, percentage or factor")


def _bare_fraction(num: float, value: Any, where: str, field: str, what: str) -> float:
    if num == 0:
        return 0.0
    if 0 < num < 1:
        warnings.warn(
            f"{where}: bare {field} {value!r} is read as {num:.4g} = {num:.2%}; "
            f"write '{num * 100:.4g}%' instead",
            DeprecationWarning,
            stacklevel=3,
        )
        return num
    if num < 0:
        raise ClaimError(f"{where}: {field} {value!r} must not be negative")
    raise ClaimError(f"{where}: {field} {value!r} is ambiguous for {what}: write '{num:g}%'")


@dataclass(frozen=True)
class Tolerance:
    """A tolerance: relative (``"5%"`` of the claimed figure), in points, or absolute.

    Attributes
    ----------
    value : float
        The fraction (``0.05``), or points as a fraction (``0.03`` = 3 points),
        or the absolute amount as a Quantity.
    kind : {"relative", "points", "absolute"}
    """

    value: Any
    kind: Literal["relative", "points", "absolute"] = "relative"

    def text(self) -> str:
        """``"±5%"``, ``"±3 points"`` or ``"±2 GB"``."""
        if self.kind == "absolute":
            return f"±{self.value:~P}"
        if self.kind == "points":
            return f"±{self.value * 100:.3g} points"
        return f"±{self.value:.3g}" if self.value < 0.01 and self.value else f"±{self.value:.0%}"


def parse_tolerance(
    value: Any,
    where: str,
    default: float,
    kind: Literal["relative", "points"] = "relative",
    unit: str | None = None,
) -> Tolerance:
    """Read a tolerance. ``"5%"`` is 5% (or 5 points, for a percentage quantity).

    A bare ``5`` could mean 5% or 500% and is refused; a bare fraction such as
    ``0.05`` keeps its meaning with a :class:`DeprecationWarning`; ``0`` is exact.
    With ``unit`` (spec claims), a quantity such as ``"2 GB"`` is an absolute
    tolerance.

    Examples
    --------
    >>> parse_tolerance("5%", "x", 0.05), parse_tolerance(None, "x", 0.03, "points").text()
    (Tolerance(value=0.05, kind='relative'), '±3 points')
    >>> parse_tolerance(5, "c.yaml:2 (x; tolerance on line 7)", 0.05)
    Traceback (most recent call last):
    ...
    llmsizing.errors.ClaimError: c.yaml:2 (x; tolerance on line 7): tolerance 5 is ambiguous: ...
    """
    if value is None:
        return Tolerance(default, kind)
    if unit and isinstance(value, str) and not value.strip().endswith("%"):
        q = parse_quantity(value, where, "tolerance", unit=unit)
        return Tolerance(q, "absolute")
    num, suffix = _percent_parts(value, where, "tolerance")
    if num < 0:
        raise ClaimError(f"{where}: tolerance {value!r} must not be negative")
    if suffix == "%":
        return Tolerance(num / 100, kind)
    if suffix == "x":
        raise ClaimError(f"{where}: tolerance {value!r} is a factor; write a percentage ('5%')")
    if num >= 1:
        raise ClaimError(
            f"{where}: tolerance {value!r} is ambiguous: write '{value:g}%' (or a unit)"
        )
    return Tolerance(_bare_fraction(num, value, where, "tolerance", "a tolerance"), kind)


def parse_params(value: Any, where: str, field: str = "params") -> float:
    """Read a parameter count: ``"70B"``, ``"1.2T"``, ``"700M"``, or a full count.

    A plain integer is a count (``70000000000`` is 70 billion, never 70e18);
    a bare number below a million could mean billions and is refused.

    Examples
    --------
    >>> parse_params(70_000_000_000, "x"), parse_params("70B", "x")
    (70000000000.0, 70000000000.0)
    >>> parse_params(70, "c.yaml:2 (x)")
    Traceback (most recent call last):
    ...
    llmsizing.errors.ClaimError: c.yaml:2 (x): params 70 is ambiguous: write '70B' for 70 ...
    """
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ClaimError(f"{where}: {field} {value!r} is not a parameter count such as '70B'")
    if isinstance(value, str):
        m = _COUNT.fullmatch(value) if len(value) <= MAX_QUANTITY_CHARS else None
        if m is None:
            raise ClaimError(f"{where}: {field} {value!r} is not a parameter count such as '70B'")
        num = _number(m.group(1))
        scale = _SCALE.get((m.group(2) or "").lower())
    else:
        num, scale = float(value), None
    if not math.isfinite(num) or num <= 0:
        raise ClaimError(f"{where}: {field} {value!r} must be a positive count")
    if scale is None:
        if num < MIN_BARE_PARAMS:
            shown = value if isinstance(value, str) else f"{value:g}"
            raise ClaimError(
                f"{where}: {field} {value!r} is ambiguous: write '{shown}B' for {shown} "
                "billion, or the full count"
            )
        if num != int(num):
            raise ClaimError(f"{where}: {field} {value!r}: a count is a whole number")
        scale = 1.0
    n = num * scale
    if n > 1e15:
        raise ClaimError(f"{where}: {field} {value!r} is beyond the 1e15-parameter sanity limit")
    return n
