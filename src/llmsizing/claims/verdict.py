"""The answer to a claim: a status, the numbers behind it, and an explanation."""

from __future__ import annotations

import html
import re
from typing import Any

from pydantic import BaseModel, ConfigDict

from llmsizing.units import ureg

from .schema import Claim, Status

__all__ = ["MARK", "Verdict", "fmt"]

#: The review marks: holds, fails, depends.
MARK: dict[str, str] = {"holds": "[+]", "fails": "[-]", "depends": "[/]"}


def fmt(v: Any) -> str:
    """A number or Quantity, compactly (4 significant digits, unit abbreviated).

    Examples
    --------
    >>> fmt(ureg.Quantity(412.316, "GB")), fmt(0.5)
    ('412.3 GB', '0.5')
    """
    if isinstance(v, ureg.Quantity):
        if v.dimensionless:
            return _number(float(v.to("").magnitude))
        return f"{_number(float(v.magnitude))} {v.units:~P}"
    if isinstance(v, float):
        return _number(v)
    return str(v)


def _number(x: float) -> str:
    """4 significant digits; whole thousands and more without an exponent."""
    if 1e4 <= abs(x) < 1e15:
        return f"{x:,.0f}"
    return f"{x:,.4g}"


def _plain_numbers(numbers: dict[str, Any]) -> dict[str, Any]:
    """Quantities as plain floats under ``<name>_<unit>`` keys; numbers as numbers."""
    out: dict[str, Any] = {}
    for k, v in numbers.items():
        if isinstance(v, ureg.Quantity):
            if v.dimensionless:
                out[k] = float(v.to("").magnitude)
            else:
                unit = f"{v.units:~P}".replace("/", "_per_").replace(" ", "").replace("·", "_")
                out[f"{k}_{unit}"] = float(v.magnitude)
        elif isinstance(v, bool | int | float) or v is None:
            out[k] = v
        elif isinstance(v, str) and (m := _PERCENT.match(v)):
            out[f"{k}_percent"] = float(m.group(1).replace(",", ""))
        elif isinstance(v, str) and _PLAIN.match(v):
            out[k] = float(v.replace(",", ""))
        else:
            out[k] = str(v)  # text, or a figure whose unit a key cannot carry
    return out


_PERCENT = re.compile(r"^\s*([+-]?[\d,]*\.?\d+)\s*%\s*$")
_PLAIN = re.compile(r"^\s*[+-]?[\d,]*\.?\d+\s*$")


class Verdict(BaseModel):
    """The answer to a claim: status, numbers with units, assumptions, explanation.

    Attributes
    ----------
    claim : Claim
        The claim checked.
    status : {"holds", "fails", "depends"}
        ``depends`` names, in the explanation and ``numbers["holds under"]``,
        the open choices under which the claim holds.
    numbers : dict
        The key figures, as Quantities or text.
    assumptions : dict
        What the checker chose or tried for what the claim leaves open.
    explanation : str
        A paragraph a reviewer can paste, starting with the mark.
    """

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
        return "; ".join(f"{k} = {fmt(v)}" for k, v in self.numbers.items())

    def to_dict(self) -> dict[str, Any]:
        """Plain values for JSON: numbers as numbers with the unit in the key, assumptions as text.

        Examples
        --------
        >>> _plain_numbers({"claimed": ureg.Quantity(80, "GB"), "share": 0.5, "note": "x"})
        {'claimed_GB': 80.0, 'share': 0.5, 'note': 'x'}
        """
        return {
            "id": self.claim.id,
            "kind": self.claim.kind,
            "text": self.claim.text,
            "status": self.status,
            "expect": self.claim.expect,
            "matches": self.matches,
            "numbers": _plain_numbers(self.numbers),
            "numbers_text": self.numbers_text(),
            "assumptions": {k: str(v) for k, v in self.assumptions.items()},
            "explanation": self.explanation,
        }

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(k)}</td><td>{html.escape(fmt(v))}</td></tr>"
            for k, v in self.numbers.items()
        )
        return (
            f"<p><b>{MARK[self.status]} {html.escape(self.status)}</b>: "
            f"{html.escape(self.claim.text or self.claim.id)}</p>"
            f"<table>{rows}</table><p>{html.escape(self.explanation)}</p>"
        )

    def __str__(self) -> str:
        return f"{MARK[self.status]} {self.claim.id}: {self.status}. {self.explanation}"
