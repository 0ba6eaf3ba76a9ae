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

from importlib.resources import files
from typing import Any

import pint

__all__ = ["BYTE", "GIB", "Q_", "Quantity", "as_quantity", "ureg"]

ureg: Any = pint.UnitRegistry(
    str(files("llmsizing") / "data" / "units.txt"), autoconvert_offset_to_baseunit=True
)
ureg.formatter.default_format = "~P"
Quantity = ureg.Quantity
Q_ = ureg.Quantity
#: Parsed once: unit strings are parsed on every use otherwise.
BYTE = ureg.Unit("byte")
GIB = ureg.Unit("GiB")


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
        value = ureg(value)
    if not isinstance(value, ureg.Quantity) or value.dimensionless:
        raise ValueError(f"{value!r} has no unit; expected a quantity in {unit}")
    return value.to(unit)
