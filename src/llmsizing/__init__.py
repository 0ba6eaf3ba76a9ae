"""llmsizing: what an LLM needs, where it fits, and what it costs, with units.

Data flows one way: number formats (:mod:`llmsizing.dtypes`) → model config and
parameter counts (:mod:`llmsizing.model`, read by :mod:`llmsizing.hf_config` and
:mod:`llmsizing.presets`) → memory (:mod:`llmsizing.memory`) → instance catalog
(:mod:`llmsizing.catalog`) → workload and layout (:mod:`llmsizing.workload`,
:mod:`llmsizing.layout`) → the per-rank rule (:mod:`llmsizing.per_rank`) → fit
and sweeps (:mod:`llmsizing.fit`, :mod:`llmsizing.sweep`) → performance and cost
(:mod:`llmsizing.perf`) → claim verdicts (:mod:`llmsizing.claims`) → charts and
the command line.

Every public name is reachable as ``llmsizing.NAME``; modules load when a name
from them is first used, so ``import llmsizing`` itself loads none of numpy,
pandas, pint or matplotlib.

Examples
--------
>>> import llmsizing as ls
>>> m = ls.load_model("qwen3-235b-a22b")
>>> round(m.param_counts().total / 1e9)
235
>>> ls.fit(m, "inf2.8xlarge", ls.Workload(weight_dtype="int4")).fits
False
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Public name -> the module that defines it.
_EXPORTS: dict[str, str] = {
    # catalog
    "Catalog": "catalog",
    "Instance": "catalog",
    "Price": "catalog",
    "PriceInfo": "catalog",
    "Device": "catalog",
    "as_instance": "catalog",
    "load_catalog": "catalog",
    "system": "catalog",
    # claims
    "Claim": "claims",
    "Verdict": "claims",
    "check": "claims",
    "check_files": "claims",
    "load_claims": "claims",
    # errors
    "CatalogError": "errors",
    "ClaimError": "errors",
    "ConfigError": "errors",
    "LlmsizingError": "errors",
    "UnknownNameError": "errors",
    "WorkloadError": "errors",
    # fit
    "FitResult": "fit",
    "cheapest_fit": "fit",
    "fit": "fit",
    "fit_all": "fit",
    "max_batch": "fit",
    "max_context": "fit",
    "candidate_layouts": "fit",
    "kv_cache_capacity": "capacity",
    "KVCapacity": "capacity",
    # layout and workload
    "Layout": "layout",
    "Workload": "workload",
    # memory
    "ExpertMemory": "memory",
    "WeightPolicy": "memory",
    "as_full_attention": "memory",
    "as_mha": "memory",
    "deepstack_buffer_bytes": "memory",
    "expert_memory": "memory",
    "kv_cache_bytes_per_token": "memory",
    "kv_cache_memory": "memory",
    "kv_cache_ratio": "memory",
    "kv_cache_reduction": "memory",
    "rope_cache_bytes": "memory",
    "state_bytes_per_sequence": "memory",
    "vllm_cache_memory": "memory",
    "weight_memory": "memory",
    "weight_memory_by_component": "memory",
    # model and presets
    "MLAConfig": "model",
    "ModelConfig": "model",
    "MoEConfig": "model",
    "ParamCounts": "model",
    "list_models": "presets",
    "load_model": "presets",
    "read_hf_config": "presets",
    # performance
    "PerfEstimate": "perf",
    "estimate_performance": "perf",
    # sweeps
    "sweep": "sweep",
    # training
    "TrainingSetup": "training",
    "estimate_training": "training",
    "fit_training": "training",
    "min_training_cluster": "training",
    "train_report": "training",
    "training_flops": "training",
    # units
    "Q_": "units",
    "ureg": "units",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'llmsizing' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"llmsizing.{module}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


class _Package(types.ModuleType):
    """The package module: ``llmsizing.fit`` and ``llmsizing.sweep`` stay the functions.

    Importing a submodule binds it as an attribute of its package; where a
    function has the submodule's name, the function keeps the name (the module
    stays importable as ``llmsizing.fit`` through :data:`sys.modules`).
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and _EXPORTS.get(name) == name:
            if name in self.__dict__:
                return
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


if TYPE_CHECKING:  # names for type checkers and editors
    from llmsizing.capacity import KVCapacity, kv_cache_capacity
    from llmsizing.catalog import (
        Catalog,
        Device,
        Instance,
        Price,
        PriceInfo,
        as_instance,
        load_catalog,
        system,
    )
    from llmsizing.claims import Claim, Verdict, check, check_files, load_claims
    from llmsizing.errors import (
        CatalogError,
        ClaimError,
        ConfigError,
        LlmsizingError,
        UnknownNameError,
        WorkloadError,
    )
    from llmsizing.fit import (
        FitResult,
        candidate_layouts,
        cheapest_fit,
        fit,
        fit_all,
        max_batch,
        max_context,
    )
    from llmsizing.layout import Layout
    from llmsizing.memory import (
        ExpertMemory,
        WeightPolicy,
        as_full_attention,
        as_mha,
        deepstack_buffer_bytes,
        expert_memory,
        kv_cache_bytes_per_token,
        kv_cache_memory,
        kv_cache_ratio,
        kv_cache_reduction,
        rope_cache_bytes,
        state_bytes_per_sequence,
        vllm_cache_memory,
        weight_memory,
        weight_memory_by_component,
    )
    from llmsizing.model import MLAConfig, ModelConfig, MoEConfig, ParamCounts
    from llmsizing.perf import PerfEstimate, estimate_performance
    from llmsizing.presets import list_models, load_model, read_hf_config
    from llmsizing.sweep import sweep
    from llmsizing.training import (
        TrainingSetup,
        estimate_training,
        fit_training,
        min_training_cluster,
        train_report,
        training_flops,
    )
    from llmsizing.units import Q_, ureg
    from llmsizing.workload import Workload
