"""The errors llmsizing raises.

Every failure caused by input (a config, a catalog row, a workload, a claim)
is an :class:`LlmsizingError`; messages name the offending field, row, file or
line and, where one exists, suggest the fix. Anything else escaping the
library is a bug.

Examples
--------
>>> from llmsizing.errors import suggest
>>> suggest("inf2.8xlarg", ["inf2.8xlarge", "inf2.xlarge", "p5.48xlarge"])
"did you mean 'inf2.8xlarge' or 'inf2.xlarge'?"
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import ValidationError

__all__ = [
    "CatalogError",
    "ClaimError",
    "ConfigError",
    "LlmsizingError",
    "UnknownNameError",
    "WorkloadError",
    "pydantic_message",
    "suggest",
]


class LlmsizingError(ValueError):
    """Base class of every error caused by input to llmsizing."""


class ConfigError(LlmsizingError):
    """A model configuration is missing a field, has a bad value, or is impossible."""


class CatalogError(LlmsizingError):
    """An instance or price table row is malformed, or an instance is unknown."""


class WorkloadError(LlmsizingError):
    """A workload (context, batch, dtype, budget) is invalid or impossible for the model."""


class ClaimError(LlmsizingError):
    """A claim or claim file is malformed (unknown kind, field, name or unit)."""


class UnknownNameError(LlmsizingError, KeyError):
    """A preset, instance or dtype name that llmsizing does not know."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


def suggest(name: str, choices: Iterable[str], n: int = 3) -> str:
    """Return a "did you mean ...?" hint listing the closest ``choices``.

    Parameters
    ----------
    name : str
        The unknown name the user gave.
    choices : iterable of str
        The names that exist.
    n : int
        How many suggestions at most.

    Returns
    -------
    str
        ``"did you mean 'a' or 'b'?"``, or the list of valid names when none is close.
    """
    pool = sorted(set(choices))
    key = name.lower()
    scored = sorted(
        ((difflib.SequenceMatcher(None, key, c.lower()).ratio(), c) for c in pool), reverse=True
    )
    best = scored[0][0] if scored else 0.0
    # keep the names about as close as the closest one
    picks = [c for r, c in scored[:n] if r >= 0.5 and r >= best - 0.1]
    if not picks:
        # fall back to substring matches ("qwen3" -> every qwen3 preset)
        picks = [c for c in pool if name.lower() in c.lower()][:n]
    if picks:
        quoted = [repr(p) for p in picks]
        joined = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
        return f"did you mean {joined}?"
    shown = ", ".join(pool[:12]) + (", ..." if len(pool) > 12 else "")
    return f"known names: {shown}"


def pydantic_message(e: ValidationError) -> str:
    """One line per pydantic error, naming the field and the value given.

    Examples
    --------
    >>> from pydantic import BaseModel, ValidationError
    >>> class W(BaseModel):
    ...     batch: int
    >>> try:
    ...     W(batch="many")
    ... except ValidationError as e:
    ...     print(pydantic_message(e))
    batch: Input should be a valid integer, unable to parse string as an integer (got 'many')
    """
    parts = []
    for err in e.errors():
        loc = ".".join(str(x) for x in err["loc"])
        msg = str(err["msg"]).removeprefix("Value error, ")
        given = repr(err.get("input"))
        if len(given) > 80:
            given = given[:77] + "..."
        parts.append(f"{loc}: {msg} (got {given})" if loc else msg)
    return "; ".join(parts)
