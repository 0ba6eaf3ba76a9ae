"""llmsizing: what an LLM needs, where it fits, and what it costs, with units."""

from llmsizing.errors import (
    CatalogError,
    ClaimError,
    ConfigError,
    LlmsizingError,
    UnknownNameError,
    WorkloadError,
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
from llmsizing.model import MLAConfig, ModelConfig, MoEConfig, ParamCounts, list_models, load_model
from llmsizing.units import Q_, ureg

__version__ = "0.1.0"

__all__ = [
    "Q_",
    "CatalogError",
    "ClaimError",
    "ConfigError",
    "ExpertMemory",
    "LlmsizingError",
    "MLAConfig",
    "MoEConfig",
    "ModelConfig",
    "ParamCounts",
    "UnknownNameError",
    "WeightPolicy",
    "WorkloadError",
    "as_full_attention",
    "as_mha",
    "expert_memory",
    "kv_cache_bytes_per_token",
    "kv_cache_memory",
    "kv_cache_ratio",
    "kv_cache_reduction",
    "list_models",
    "load_model",
    "ureg",
    "weight_memory",
    "weight_memory_by_component",
]
