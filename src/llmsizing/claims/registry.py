"""The checker registry: one checker function per claim kind, and :func:`check`."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from llmsizing.catalog import Catalog
from llmsizing.errors import ClaimError, LlmsizingError

from .context import Context
from .schema import CLAIM_TYPES, Claim, error_text
from .verdict import Verdict

__all__ = ["CHECKERS", "CHECKER_MODULES", "check", "check_files", "checker", "load_checkers"]

Checker = Callable[[Any, Context], Verdict]
F = TypeVar("F", bound=Checker)

#: The checker of each claim kind (filled by ``@checker`` as the modules below load).
CHECKERS: dict[str, Checker] = {}
#: The modules that hold the checkers, one per kind (a new kind adds its module here).
CHECKER_MODULES = (
    "architecture",
    "cost",
    "fit",
    "memory",
    "ratio",
    "reported",
    "service",
    "spec",
    "training",
)


def load_checkers() -> dict[str, Checker]:
    """Import every checker module (once) and return the registry, checked complete."""
    if len(CHECKERS) < len(CLAIM_TYPES):
        for name in CHECKER_MODULES:
            importlib.import_module(f"llmsizing.claims.{name}")
        if missing := set(CLAIM_TYPES) - set(CHECKERS):
            raise ImportError(f"claim kinds without a checker: {sorted(missing)}")
    return CHECKERS


def checker(kind: str) -> Callable[[F], F]:
    """Register ``f(claim, context) -> Verdict`` as the checker of claims of ``kind``."""
    if kind not in CLAIM_TYPES:
        raise ValueError(f"no claim schema for kind {kind!r}")

    def register(f: F) -> F:
        CHECKERS[kind] = f
        return f

    return register


def check(claim: Claim, catalog: Catalog | None = None, context: Context | None = None) -> Verdict:
    """Check one claim against the catalog (the shipped one unless given).

    Parameters
    ----------
    claim : Claim
        Any kind's claim, e.g. from :func:`~llmsizing.claims.load_claims`.
    catalog : Catalog, optional
        Instances and prices to check against (a user catalog, negotiated prices).
    context : Context, optional
        A context shared between claims (it caches models and fits).

    Raises
    ------
    ClaimError
        For a claim that names an unknown model, instance or quantity, or
        gives a value that is ambiguous, without unit or of the wrong dimension.
    """
    ctx = context or (Context(catalog=catalog) if catalog is not None else Context())
    try:
        return load_checkers()[claim.kind](claim, ctx)
    except ClaimError:
        raise
    except LlmsizingError as e:
        raise ClaimError(f"{claim.where()}: {e}") from None
    except ValidationError as e:
        raise ClaimError(f"{claim.where()}: {error_text(e)}") from None


def check_files(paths: Iterable[str | Path], catalog: Catalog | None = None) -> list[Verdict]:
    """Load and check every claim of every file (one shared :class:`Context`)."""
    from .loading import load_claims

    ctx = Context(catalog=catalog) if catalog is not None else Context()
    return [check(c, context=ctx) for p in paths for c in load_claims(p)]
