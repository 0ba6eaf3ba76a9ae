"""llmsizing: what an LLM needs, where it fits, and what it costs, with units.

Data flows one way: model config and parameter counts (:mod:`llmsizing.model`)
→ memory (:mod:`llmsizing.memory`) → instance catalog
(:mod:`llmsizing.catalog`) and fit (:mod:`llmsizing.fit`) → performance and
cost (:mod:`llmsizing.perf`) → claim verdicts (:mod:`llmsizing.claims`).

Examples
--------
>>> import llmsizing as ls
>>> m = ls.load_model("qwen3-235b-a22b")
>>> round(m.param_counts().total / 1e9)
235
>>> ls.fit(m, "inf2.8xlarge", ls.Workload(weight_dtype="int4")).fits
False
"""

from llmsizing.catalog import Catalog, Instance, Price, load_catalog
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
    Workload,
    cheapest_fit,
    fit,
    fit_all,
    max_batch,
    max_context,
)
from llmsizing.memory import (
    ExpertMemory,
    WeightPolicy,
    as_full_attention,
    as_mha,
    expert_memory,
    kv_cache_bytes_per_token,
    kv_cache_memory,
    kv_cache_ratio,
    kv_cache_reduction,
    weight_memory,
    weight_memory_by_component,
)
from llmsizing.model import MLAConfig, ModelConfig, MoEConfig, ParamCounts
from llmsizing.perf import PerfEstimate, estimate_performance
from llmsizing.presets import list_models, load_model
from llmsizing.training import TrainingSetup
from llmsizing.training_plan import (
    estimate_training,
    fit_training,
    min_training_cluster,
    train_report,
    training_flops,
)
from llmsizing.units import Q_, ureg

__version__ = "0.1.0"

__all__ = [
    "Q_",
    "Catalog",
    "CatalogError",
    "Claim",
    "ClaimError",
    "ConfigError",
    "ExpertMemory",
    "FitResult",
    "Instance",
    "LlmsizingError",
    "MLAConfig",
    "MoEConfig",
    "ModelConfig",
    "ParamCounts",
    "PerfEstimate",
    "Price",
    "TrainingSetup",
    "UnknownNameError",
    "Verdict",
    "WeightPolicy",
    "Workload",
    "WorkloadError",
    "as_full_attention",
    "as_mha",
    "cheapest_fit",
    "check",
    "check_files",
    "estimate_performance",
    "estimate_training",
    "expert_memory",
    "fit",
    "fit_all",
    "fit_training",
    "kv_cache_bytes_per_token",
    "kv_cache_memory",
    "kv_cache_ratio",
    "kv_cache_reduction",
    "list_models",
    "load_catalog",
    "load_claims",
    "load_model",
    "max_batch",
    "max_context",
    "min_training_cluster",
    "train_report",
    "training_flops",
    "ureg",
    "weight_memory",
    "weight_memory_by_component",
]
