"""pytest plugin: every claim of a claim file is a test.

A YAML file is collected when it names itself a claim file with the top-level
key ``llmsizing: claims/1`` (any file name, any directory), so another
project's ``claims/`` folder or YAML configs are never collected. A claim's test
passes when the computed verdict equals its ``expect``; a failure report shows
the verdict, the numbers behind it and the explanation. The claims of one file
share one checking context (models and fits are computed once). Registered
through the ``pytest11`` entry point, so ``pytest claims/`` works once
llmsizing is installed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

__all__ = ["ClaimItem", "ClaimsFile", "pytest_collect_file"]


def _is_claim_file(path: Path) -> bool:
    if path.suffix not in (".yaml", ".yml"):
        return False
    from llmsizing.claims import has_claims_header

    return has_claims_header(path)


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    """Collect YAML files that carry the ``llmsizing: claims/1`` header."""
    if _is_claim_file(file_path):
        return ClaimsFile.from_parent(parent, path=file_path)
    return None


class ClaimMismatch(Exception):
    """A claim's computed verdict differs from its ``expect``."""


class ClaimsFile(pytest.File):
    """A YAML claim file: one test item per claim."""

    def collect(self) -> Iterator[pytest.Item]:
        from llmsizing.claims import Context, load_claims

        context = Context()
        for claim in load_claims(self.path):
            yield ClaimItem.from_parent(self, name=claim.id, claim=claim, context=context)


class ClaimItem(pytest.Item):
    """One claim, checked when the test runs."""

    def __init__(self, *, claim: Any, context: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.claim = claim
        self.context = context
        self.verdict: Any = None

    def runtest(self) -> None:
        from llmsizing.claims import check

        self.verdict = check(self.claim, context=self.context)
        if not self.verdict.matches:
            raise ClaimMismatch(self.verdict)

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        if isinstance(excinfo.value, ClaimMismatch):
            from llmsizing.claims.verdict import fmt

            v = self.verdict
            lines = [
                f"claim {self.claim.id!r} ({self.claim.where()})",
                f"  text:     {self.claim.text or ''}",
                f"  expected: {self.claim.expect}",
                f"  verdict:  {v.status}",
                *(f"  {k}: {fmt(val)}" for k, val in v.numbers.items()),
                f"  {v.explanation}",
            ]
            return "\n".join(lines)
        from llmsizing.errors import LlmsizingError

        if isinstance(excinfo.value, LlmsizingError):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, (self.claim.line or 1) - 1, f"claim {self.claim.id}"
