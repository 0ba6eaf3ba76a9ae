"""What a deployment is asked to serve, and how its memory is budgeted.

Examples
--------
>>> from llmsizing.workload import Workload, as_workload
>>> Workload(prompt_len="8k", output_len=1024).context_len
9216
>>> as_workload({"context_len": "128k", "batch": 4}).context_len
131072
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from llmsizing.errors import WorkloadError, pydantic_message
from llmsizing.memory import WeightPolicy

__all__ = ["TOKEN_SUFFIXES", "Workload", "as_workload", "parse_count"]

#: Multipliers of the count suffixes accepted in the API and the CLI. ``k`` is
#: 1,024 where the count is a power of two (``"32k"`` = 32,768, ``"128k"`` =
#: 131,072: context windows are powers of two and are written so) and 1,000
#: otherwise (``"200k"`` = 200,000); ``M``, ``B``, ``T`` are 10**6, 10**9, 10**12
#: (``"15T"`` training tokens).
TOKEN_SUFFIXES = {"k": 10**3, "m": 10**6, "b": 10**9, "t": 10**12}

_COUNT = re.compile(r"^\s*(\d{1,15}(?:\.\d{1,6})?)\s*([kKmMbBtT]?)\s*$")


def parse_count(text: str) -> int:
    """A whole count from ``"4096"``, ``"32k"`` (32,768), ``"200k"`` (200,000) or ``"15T"``.

    Raises
    ------
    WorkloadError
        For anything else: a fraction, an expression, a negative or empty value.

    Examples
    --------
    >>> parse_count("32k"), parse_count("200k"), parse_count("1.5k"), parse_count("15T")
    (32768, 200000, 1500, 15000000000000)
    """
    cleaned = text.strip().replace("_", "").replace(",", "") if isinstance(text, str) else ""
    m = _COUNT.match(cleaned) if len(cleaned) <= 40 else None
    if m is None:
        shown = repr(text) if len(repr(text)) <= 60 else repr(text)[:57] + "..."
        raise WorkloadError(f"expected a whole count such as 4096, 32k or 15T, got {shown}")
    num, suffix = float(m.group(1)), m.group(2).lower()
    if suffix == "k" and num.is_integer() and num >= 1 and int(num) & (int(num) - 1) == 0:
        return int(num) * 1024  # 4k, 8k, 32k, 128k contexts are powers of two
    value = num * TOKEN_SUFFIXES.get(suffix, 1)
    if not value.is_integer():
        raise WorkloadError(f"{text!r} is not a whole number")
    return int(value)


def _count(v: Any) -> Any:
    # bools are ints in Python; as a token count or batch they are a mistake
    if isinstance(v, bool):
        raise ValueError(f"expected a whole number, got {v!r}")
    if isinstance(v, str):
        return parse_count(v)
    if isinstance(v, float):
        if not (math.isfinite(v) and v.is_integer()):
            raise ValueError(f"expected a whole number, got {v!r}")
        return int(v)
    return v


class Workload(BaseModel):
    """What the model is asked to serve, and how memory is budgeted.

    Attributes
    ----------
    context_len : int
        Tokens per sequence held in the KV cache (prompt + output) [tokens].
        Defaults to ``prompt_len + output_len`` when those are given, else 4096.
    prompt_len, output_len : int, optional
        Input and output lengths [tokens]; used by the performance model.
    batch : int
        Concurrent sequences, each with a full ``context_len`` cache [-].
    weight_dtype : str or WeightPolicy
        ``"native"`` (the default: as the checkpoint ships, by its
        ``quantization_config``; 16-bit without one), ``"bf16"``, ``"fp8"``,
        ``"int8"``, ``"int4"``, ``"mxfp4"``, ``"mxfp4-experts"`` ... (see
        :func:`llmsizing.memory.resolve_weight_policy`).
    kv_dtype : str or float
        KV-cache dtype or bit width [bit].
    memory_utilization : float
        Fraction of each device's usable memory the engine may use [-]; 0.9
        is vLLM's ``gpu_memory_utilization`` default.
    runtime_reserve_GiB : float
        Memory per device held outside weights, KV and activations inside the
        budget (CUDA graphs, communication buffers, non-torch allocations)
        [GiB]; 1 GiB default, the order vLLM's start-up profile reports.
    max_batched_tokens : int
        Tokens processed in one forward pass (chunked prefill), which sets the
        activation peak [tokens]; 8192 is vLLM V1's default for online serving.
    max_num_seqs : int, optional
        Most sequences the engine schedules at once [-] (vLLM ``max_num_seqs``,
        256 by default), which sizes the sampler's logits in the profile.
    activation_workspace_GiB : float, optional
        Override of the estimated activation peak per device [GiB].
    include_vision : bool, optional
        Load a multimodal checkpoint's vision tower (in bf16), and likewise any
        other non-text encoder tower (a speech model's audio encoder). None: as
        the engine does, loaded with an engine profile (vLLM and SGLang load it),
        not by the generic planner.
    enforce_eager : bool
        The engine runs without CUDA graphs (vLLM ``enforce_eager``), so an
        engine profile that sets memory aside for them sets none [-].
    prefix_caching : bool
        The engine caches prompt prefixes for a model with recurrent-state
        layers (vLLM ``--enable-prefix-caching``, ``mamba_cache_mode`` "align"):
        each state layer then holds two state pages per sequence, not one [-].

    Raises
    ------
    WorkloadError
        For a value that is not what the field means (a fraction, a bool, zero
        or negative, a prompt longer than the context), naming the field.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    # upper bounds are sanity limits: far above any real workload, and low
    # enough that every byte count stays a finite float
    context_len: int = Field(default=0, ge=0, le=10**12)
    prompt_len: int | None = Field(default=None, ge=1, le=10**12)
    output_len: int | None = Field(default=None, ge=1, le=10**12)
    batch: int = Field(default=1, ge=1, le=10**12)
    weight_dtype: str | WeightPolicy = "native"
    kv_dtype: str | float = "bf16"
    memory_utilization: float = Field(default=0.9, gt=0, le=1, allow_inf_nan=False)
    runtime_reserve_GiB: float = Field(default=1.0, ge=0, le=1e9, allow_inf_nan=False)
    max_batched_tokens: int = Field(default=8192, ge=1, le=10**12)
    max_num_seqs: int | None = Field(default=None, ge=1, le=10**9)
    activation_workspace_GiB: float | None = Field(default=None, ge=0, le=1e9, allow_inf_nan=False)
    include_vision: StrictBool | None = None
    enforce_eager: StrictBool = False
    prefix_caching: StrictBool = False

    def __init__(self, **data: Any) -> None:
        # a bad field is a WorkloadError naming the field, not a pydantic error
        try:
            super().__init__(**data)
        except ValidationError as e:
            raise WorkloadError(f"invalid workload: {pydantic_message(e)}") from None
        if self.prompt_len is not None and self.prompt_len > self.context_len:
            raise WorkloadError(
                f"invalid workload: prompt_len {self.prompt_len} is longer than "
                f"context_len {self.context_len}"
            )

    @field_validator(
        "context_len",
        "prompt_len",
        "output_len",
        "batch",
        "max_batched_tokens",
        "max_num_seqs",
        mode="before",
    )
    @classmethod
    def _whole(cls, v: Any, info: ValidationInfo) -> Any:
        try:
            n = _count(v)
        except WorkloadError as e:
            raise ValueError(str(e)) from None
        # the default context (0: "from prompt and output, else 4096") is never given
        if info.field_name == "context_len" and n == 0:
            raise ValueError("context_len must be at least 1")
        return n

    @field_validator("kv_dtype", mode="before")
    @classmethod
    def _kv(cls, v: Any) -> Any:
        if isinstance(v, bool):
            raise ValueError(f"a KV dtype is a name such as 'fp8' or a bit width, got {v!r}")
        return v

    @field_validator("weight_dtype", mode="before")
    @classmethod
    def _weights(cls, v: Any) -> Any:
        if isinstance(v, Mapping):
            return WeightPolicy(**dict(v))
        if not isinstance(v, str | WeightPolicy):
            raise ValueError(
                f"a weight dtype is a name such as 'bf16', 'fp8' or 'int4' (not a bit width), "
                f"got {v!r}"
            )
        return v

    def model_post_init(self, context: Any, /) -> None:
        if self.context_len == 0:
            if self.prompt_len is not None or self.output_len is not None:
                ctx = (self.prompt_len or 0) + (self.output_len or 0)
            else:
                ctx = 4096
            object.__setattr__(self, "context_len", ctx)

    @property
    def prompt_tokens(self) -> int:
        """Prompt length [tokens]: ``prompt_len`` or, if unset, the whole context."""
        return self.prompt_len if self.prompt_len is not None else self.context_len

    @property
    def output_tokens(self) -> int:
        """Output length [tokens]: ``output_len`` or 1."""
        return self.output_len if self.output_len is not None else 1


def as_workload(workload: Workload | Mapping[str, Any] | None) -> Workload:
    """``workload`` itself, a :class:`Workload` built from a dict, or the default one.

    Examples
    --------
    >>> as_workload(None).context_len
    4096
    """
    if workload is None:
        return _DEFAULT
    if isinstance(workload, Workload):
        return workload
    if isinstance(workload, Mapping):
        return Workload(**dict(workload))
    raise WorkloadError(f"a workload is a Workload or a dict of its fields, got {workload!r}")


_DEFAULT = Workload()
