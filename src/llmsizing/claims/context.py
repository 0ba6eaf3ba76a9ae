"""What a checker works against: the catalog, and names resolved once per run.

A :class:`Context` is shared by the claims of one :func:`~llmsizing.claims.check_files`
run, so a model or instance named by twenty claims is loaded once, and a fit
that two claims ask for is computed once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from llmsizing.catalog import Catalog, Instance, load_catalog
from llmsizing.errors import ClaimError, LlmsizingError
from llmsizing.fit import FitResult, Workload, fit
from llmsizing.model import ModelConfig
from llmsizing.presets import load_model

from .schema import Claim

__all__ = ["Context"]

T = TypeVar("T")


@dataclass
class Context:
    """The catalog a run checks against, with per-run caches.

    Attributes
    ----------
    catalog : Catalog
        Instances and prices (the shipped catalog unless given).
    library_seconds : float
        Time spent inside the sizing library's fit, performance and training
        calls made through :meth:`timed` [s].
    """

    catalog: Catalog = field(default_factory=load_catalog)
    library_seconds: float = 0.0
    _models: dict[str, ModelConfig] = field(default_factory=dict)
    _fits: dict[tuple[Any, ...], FitResult] = field(default_factory=dict)

    def model(self, claim: Claim, name: str | None, field_name: str = "model") -> ModelConfig:
        """The model ``name`` denotes: a preset, or a ``config.json`` path relative to the file."""
        if not name:
            raise ClaimError(
                f"{claim.where(field_name)}: a {claim.kind} claim needs {field_name!r}"
            )
        key = name
        if name.endswith(".json") and claim.file and not Path(name).is_absolute():
            key = str(Path(claim.file).parent / name)
        if key not in self._models:
            try:
                self._models[key] = load_model(key)
            except LlmsizingError as e:
                raise ClaimError(f"{claim.where(field_name)}: {e}") from None
        return self._models[key]

    def instance(self, claim: Claim, name: str | None, field_name: str = "instance") -> Instance:
        """The catalog instance ``name`` denotes (the error suggests near names)."""
        if not name:
            raise ClaimError(
                f"{claim.where(field_name)}: a {claim.kind} claim needs {field_name!r}"
            )
        try:
            return self.catalog.get(name)
        except LlmsizingError as e:
            raise ClaimError(f"{claim.where(field_name)}: {e}") from None

    def fit(
        self, model: ModelConfig, inst: Instance, workload: Workload, max_instances: int = 64
    ) -> FitResult:
        """:func:`llmsizing.fit.fit`, computed once per (model, instance, workload).

        ``max_instances=1`` skips the search for the pipeline stages a model
        that does not fit would need (``instances_needed`` is then None).
        """
        key = (model, inst.name, workload, max_instances)
        if key not in self._fits:
            full = (model, inst.name, workload, 64)
            if max_instances == 1 and full in self._fits:
                return self._fits[full]
            self._fits[key] = self.timed(
                fit, model, inst, workload, catalog=self.catalog, max_instances=max_instances
            )
        return self._fits[key]

    def timed(self, f: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call ``f`` and add its run time to :attr:`library_seconds`."""
        t0 = time.perf_counter()
        try:
            return f(*args, **kwargs)
        finally:
            self.library_seconds += time.perf_counter() - t0
