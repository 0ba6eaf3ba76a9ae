"""One unit registry for the whole package.

Every public quantity llmsizing returns is a :class:`pint.Quantity` from
:data:`ureg`, so ``.to("GiB")`` and ``.to("GB")`` both work and are never
confused. Information has a dimension of its own (``[information]``): a bare
number where bytes are meant, or a rate (GB/s) where a size (GB) is meant, is a
dimensionality error rather than a silently wrong answer.

Examples
--------
>>> from llmsizing.units import ureg
>>> round(ureg.Quantity(1, "TiB").to("GB").magnitude, 2)
1099.51
>>> ureg.Quantity(3200, "Gbps").to("GB/s")
<Quantity(400.0, 'gigabyte / second')>
"""

from __future__ import annotations

import math
import re
from importlib.resources import files
from typing import Any

import pint

__all__ = ["BYTE", "GIB", "GIB_BYTES", "Q_", "Quantity", "as_quantity", "parse_quantity", "ureg"]

ureg: Any = pint.UnitRegistry(
    str(files("llmsizing") / "data" / "units.txt"), autoconvert_offset_to_baseunit=True
)
ureg.formatter.default_format = "~P"
# Quantities unpickle into the application registry: make it this one, so a pickled
# result keeps its units (tokens, information, currency) in a new process
pint.set_application_registry(ureg)  # type: ignore[no-untyped-call]
Quantity = ureg.Quantity
Q_ = ureg.Quantity
#: Parsed once: unit strings are parsed on every use otherwise.
BYTE = ureg.Unit("byte")
GIB = ureg.Unit("GiB")
#: Bytes in a GiB, for the numpy kernels that work in plain bytes.
GIB_BYTES = float(2**30)

# number, then a unit: letters (with SI/binary prefixes), "/" or "·" between
# units and integer powers; never an arithmetic expression
_QUANTITY = re.compile(
    r"^\s*([+-]?(?:\d{1,30}(?:\.\d{0,30})?|\.\d{1,30})(?:[eE][+-]?\d{1,3})?)\s*"
    r"([A-Za-zµ%$][A-Za-zµ0-9_]{0,30}(?:\s*[/·.]\s*[A-Za-zµ][A-Za-zµ0-9_]{0,30}){0,3})\s*$"
)


def parse_quantity(text: str) -> Any:
    """A Quantity from ``"<number> <unit>"`` text, with a strict grammar (no expressions).

    Raises
    ------
    ValueError
        For text that is not a number followed by a known unit, e.g. ``"9**9**9 GB"``.

    Examples
    --------
    >>> parse_quantity("1.5 TiB").to("GiB").magnitude
    1536.0
    >>> parse_quantity("400 GB/s").units
    <Unit('gigabyte / second')>
    """
    m = _QUANTITY.match(text) if isinstance(text, str) and len(text) <= 100 else None
    if m is None:
        shown = text if not isinstance(text, str) or len(text) <= 40 else text[:37] + "..."
        raise ValueError(f"{shown!r} is not a quantity: write a number and a unit, e.g. '80 GB'")
    number = float(m.group(1))
    if not math.isfinite(number):
        raise ValueError(f"{text!r} is not a finite quantity")
    try:
        unit = ureg.Unit(m.group(2).replace("·", "*").replace(".", "*"))
    except Exception:
        raise ValueError(f"{text!r}: unknown unit {m.group(2)!r}") from None
    return Quantity(number, unit)


def as_quantity(value: Any, unit: str) -> Any:
    """Return ``value`` as a Quantity in ``unit``, checking its dimension.

    Strings such as ``"1.5 TiB"`` or ``"3200 Gbps"`` are parsed; Quantities are
    converted; a bare number is an error (the caller must say the unit).

    Raises
    ------
    pint.DimensionalityError
        If the value's unit has another dimension than ``unit``.
    ValueError
        If ``value`` carries no unit.

    Examples
    --------
    >>> print(as_quantity("400 GB/s", "Gbps"))
    3200.0 Gbps
    """
    if isinstance(value, str):
        value = parse_quantity(value)
    if not isinstance(value, ureg.Quantity) or value.dimensionless:
        raise ValueError(f"{value!r} has no unit; expected a quantity in {unit}")
    return value.to(unit)
