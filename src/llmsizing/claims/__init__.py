"""Checking quantitative claims: does a sentence of a report hold, with the numbers why.

A claim is one sentence of a document turned into a question with a checkable
answer; :func:`check` returns a :class:`Verdict` whose ``status`` is
``"holds"``, ``"fails"`` or ``"depends"``, with the numbers behind it, the
assumptions used and a paragraph a reviewer can paste.

Claim kinds (one schema each in :mod:`~llmsizing.claims.schema`, one checker
module each):

* ``fit``: does a model run on an instance (or a number or range of them)?
  Open weight formats, KV formats, contexts and batches are explored.
* ``spec``: an instance figure (memory, FLOPs, bandwidth, counts ...) computed
  from the per-device catalog rows, read the way the vendor labels it.
* ``ratio``: a reduction or ratio between two models or variants, or between
  two instances' spec figures.
* ``reported``: what a source reports against an explicit baseline (both models,
  both KV widths named).
* ``cost``: USD per 1M tokens on an instance, against the roofline.
* ``training``: a model's training state on a number (or range) of instances.
* ``architecture``: layers, experts, attention type, KV heads, window ratio ...
* ``memory``: weight or KV-cache memory of a model or a bare parameter count.
* ``service_limit``: a documented AWS service limit (Lambda memory ...).

Claim files are YAML (``llmsizing: claims/1`` and ``claims: [...]``), read by
:func:`load_claims` without executing tags or following aliases; errors name
the file, the line and the field.

Examples
--------
>>> from llmsizing.claims import Claim, check
>>> v = check(Claim(id="x", kind="fit", model="qwen3-235b-a22b", instance="inf2.8xlarge"))
>>> v.status
'fails'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: Public name -> the submodule that defines it (loaded on first use).
_EXPORTS: dict[str, str] = {
    "CHECKERS": "registry",
    "CHECKER_MODULES": "registry",
    "check": "registry",
    "check_files": "registry",
    "checker": "registry",
    "load_checkers": "registry",
    "CLAIM_TYPES": "schema",
    "AnyClaim": "schema",
    "Claim": "schema",
    "Status": "schema",
    "Context": "context",
    "Verdict": "verdict",
    "format_verdicts": "report",
    "verdict_frame": "report",
    "MAX_CLAIM_FILE_BYTES": "loading",
    "load_claims": "loading",
    "FORMAT": "header",
    "has_claims_header": "header",
    "parse_quantity": "parsing",
    "PLAUSIBLE_CONTEXTS": "fit",
    "PLAUSIBLE_KV": "fit",
    "PLAUSIBLE_WEIGHTS": "fit",
    "RATIO_QUANTITIES": "ratio",
    "SPEC_QUANTITIES": "spec",
    "spec_value": "spec",
    "LABEL_CONVENTIONS": "vendor",
    "ARCHITECTURE_QUANTITIES": "architecture",
    "SERVICE_LIMITS": "service",
}

__all__ = [
    "ARCHITECTURE_QUANTITIES",
    "CHECKERS",
    "CHECKER_MODULES",
    "CLAIM_TYPES",
    "FORMAT",
    "LABEL_CONVENTIONS",
    "MAX_CLAIM_FILE_BYTES",
    "PLAUSIBLE_CONTEXTS",
    "PLAUSIBLE_KV",
    "PLAUSIBLE_WEIGHTS",
    "RATIO_QUANTITIES",
    "SERVICE_LIMITS",
    "SPEC_QUANTITIES",
    "AnyClaim",
    "Claim",
    "Context",
    "Status",
    "Verdict",
    "check",
    "check_files",
    "checker",
    "format_verdicts",
    "has_claims_header",
    "load_checkers",
    "load_claims",
    "parse_quantity",
    "spec_value",
    "verdict_frame",
]
assert sorted(__all__) == sorted(_EXPORTS)

if TYPE_CHECKING:
    from .architecture import ARCHITECTURE_QUANTITIES
    from .context import Context
    from .fit import PLAUSIBLE_CONTEXTS, PLAUSIBLE_KV, PLAUSIBLE_WEIGHTS
    from .header import FORMAT, has_claims_header
    from .loading import MAX_CLAIM_FILE_BYTES, load_claims
    from .parsing import parse_quantity
    from .ratio import RATIO_QUANTITIES
    from .registry import CHECKER_MODULES, CHECKERS, check, check_files, checker, load_checkers
    from .report import format_verdicts, verdict_frame
    from .schema import CLAIM_TYPES, AnyClaim, Claim, Status
    from .service import SERVICE_LIMITS
    from .spec import SPEC_QUANTITIES, spec_value
    from .vendor import LABEL_CONVENTIONS
    from .verdict import Verdict


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'llmsizing.claims' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"llmsizing.claims.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
