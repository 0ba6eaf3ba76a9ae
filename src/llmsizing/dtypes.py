"""Number formats: how a weight or a KV element is stored, and what precision its math runs in.

One table, :data:`DTYPES`, holds every weight storage format the library knows:
its element width, how its scales are laid out (per block, per group or per
output channel) and the precision its matrix multiplies run in where the
hardware has units for it (:attr:`DType.compute`). KV-cache element widths
are :data:`KV_DTYPES`, or any bit width given as a number.

Adding a format is one row of :data:`DTYPES`.

References
----------
.. [1] DeepSeek-AI, DeepSeek-V3 checkpoint format: FP8 e4m3 weights with one
   fp32 ``weight_scale_inv`` per 128 x 128 block (``README_WEIGHTS.md``).
.. [2] Open Compute Project, "OCP Microscaling Formats (MX) Specification
   v1.0", 2023: MXFP4 = 32 FP4 (E2M1) elements sharing one E8M0 scale.
.. [3] NVIDIA, "Introducing NVFP4 for Efficient and Accurate Low-Precision
   Inference", 2025: 16 E2M1 elements share one FP8 E4M3 scale.
.. [4] vLLM, ``vllm/model_executor/layers/quantization/`` (``fp8.py``: W8A8 FP8
   GEMMs on Hopper and newer; ``awq.py``/``gptq.py``: 4-bit weights dequantised
   to fp16/bf16 before the GEMM; compressed-tensors W8A8 INT8 channel-wise).
.. [5] AutoGPTQ / AutoAWQ checkpoint layout: ``qweight`` packed 4-bit, one fp16
   ``scales`` and one 4-bit ``qzeros`` entry per group of input elements per
   output channel.
.. [6] T. Dettmers et al., "QLoRA: Efficient Finetuning of Quantized LLMs",
   arXiv:2305.14314, 2023: NF4 with one fp32 absmax per 64 weights, or with
   double quantisation one 8-bit absmax per 64 plus one fp32 per 256 of those.

Examples
--------
>>> from llmsizing.dtypes import weight_dtype, dtype_bits
>>> weight_dtype("bfloat16").name, weight_dtype("int4").compute, dtype_bits("fp8")
('bf16', 'bf16', 8)
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

from llmsizing.errors import UnknownNameError, WorkloadError, suggest

__all__ = ["DTYPES", "KV_DTYPES", "DType", "dtype_bits", "weight_dtype"]


@dataclass(frozen=True)
class DType:
    """A storage format for weights: element width, scale layout and compute precision.

    Attributes
    ----------
    name : str
        Canonical name (``"fp8"``, ``"int4"`` ...).
    bits : float
        Bits per element [bit].
    scale_bits : float
        Bits per stored scale [bit]; 0 for unscaled formats.
    group : int
        Elements along the input dimension sharing one scale (0: none).
    block : tuple of int
        (rows, cols) tile sharing one scale (DeepSeek FP8), or () for none.
    per_channel : bool
        One scale per output channel (row).
    per_tensor : bool
        One scale for the whole matrix.
    compute : str
        Precision the matrix multiplies run in on hardware that has units for
        it (a :meth:`llmsizing.catalog.Instance.dense_flops` key); weight-only
        formats dequantise and compute in ``"bf16"``.
    description : str
        One line for tables.
    """

    name: str
    bits: float
    scale_bits: float = 0
    group: int = 0
    block: tuple[int, int] | tuple[()] = ()
    per_channel: bool = False
    per_tensor: bool = False
    compute: str = "bf16"
    description: str = ""


DTYPES: dict[str, DType] = {
    d.name: d
    for d in (
        DType("fp32", 32, compute="bf16", description="IEEE float32"),
        DType("bf16", 16, description="bfloat16"),
        DType("fp16", 16, description="IEEE float16"),
        # DeepSeek-V3 FP8: e4m3 weights, one fp32 scale per 128x128 block [1]; W8A8 GEMMs [4]
        DType(
            "fp8",
            8,
            scale_bits=32,
            block=(128, 128),
            compute="fp8",
            description="FP8 e4m3, 128x128 fp32 scales",
        ),
        # one fp32 scale per tensor (modelopt FP8, compressed-tensors "tensor" strategy) [4]
        DType(
            "fp8-tensor",
            8,
            scale_bits=32,
            per_tensor=True,
            compute="fp8",
            description="FP8 e4m3, one fp32 scale per tensor",
        ),
        # one fp32 scale per output row (FBGEMM row-wise FP8, compressed-tensors "channel") [4]
        DType(
            "fp8-channel",
            8,
            scale_bits=32,
            per_channel=True,
            compute="fp8",
            description="FP8 e4m3, per-channel fp32 scales",
        ),
        # OCP MX v1.0: 32 FP8 (E4M3) elements share one E8M0 scale [2]
        DType(
            "mxfp8",
            8,
            scale_bits=8,
            group=32,
            compute="fp8",
            description="MXFP8, 1 E8M0 scale per 32",
        ),
        # per-output-channel fp32 scales, as vLLM's channel-wise int8 (W8A8) weights [4]
        DType(
            "int8",
            8,
            scale_bits=32,
            per_channel=True,
            compute="int8",
            description="INT8, per-channel fp32 scales",
        ),
        # GPTQ/AWQ-style 4-bit: one fp16 scale per 128 input elements, dequantised to 16-bit [4]
        DType("int4", 4, scale_bits=16, group=128, description="INT4, group 128, fp16 scales"),
        # NF4 (bitsandbytes 4-bit): one fp32 absmax per 64 weights [6]
        DType("nf4", 4, scale_bits=32, group=64, description="NF4, fp32 absmax per 64"),
        # NF4 with double quantisation: 8-bit absmax per 64 + fp32 per 256 blocks [6]
        DType(
            "nf4-dq",
            4,
            scale_bits=8 + 32 / 256,
            group=64,
            description="NF4, double-quantised absmax per 64",
        ),
        # OCP MX v1.0: 32 E2M1 elements share one E8M0 scale [2]
        DType(
            "mxfp4",
            4,
            scale_bits=8,
            group=32,
            compute="fp4",
            description="MXFP4, 1 E8M0 scale per 32",
        ),
        # NVIDIA NVFP4: 16 E2M1 elements share one FP8 E4M3 scale [3]
        DType(
            "nvfp4",
            4,
            scale_bits=8,
            group=16,
            compute="fp4",
            description="NVFP4, 1 E4M3 scale per 16",
        ),
    )
}
_ALIASES = {"float32": "fp32", "bfloat16": "bf16", "float16": "fp16", "half": "fp16"}

#: KV-cache element widths [bit]; any other width (e.g. 6) may be given as a number.
KV_DTYPES: dict[str, float] = {"fp32": 32, "bf16": 16, "fp16": 16, "fp8": 8, "int8": 8, "int4": 4}


#: ``int4-g64``, ``int4-g128-zp``, ``int8-g128-zp``, ``int4-channel``: group-quantised
#: integers with fp16 scales per group (and a zero point of the element width per
#: group with ``-zp``), as GPTQ/AWQ checkpoints store them [5].
_GROUPED = re.compile(r"(int4|int8)-(?:g(\d+)|(channel))(-zp)?")


@functools.lru_cache(maxsize=64)
def _grouped(key: str) -> DType | None:
    m = _GROUPED.fullmatch(key)
    if not m:
        return None
    bits = int(m.group(1)[3:])
    group = int(m.group(2)) if m.group(2) else 0
    if m.group(2) and group <= 0:
        return None
    zero = bits if m.group(4) else 0
    return DType(
        key,
        bits,
        scale_bits=16 + zero,
        group=group,
        per_channel=not group,
        description=f"INT{bits}, {f'group {group}' if group else 'per channel'}, fp16 scales"
        + (", zero points" if zero else ""),
    )


def weight_dtype(name: str) -> DType:
    """The storage format a name (or alias such as ``"bfloat16"``) denotes.

    Besides the rows of :data:`DTYPES`, group-quantised integers are named
    ``int4-g<group>`` (``-zp`` adds a zero point per group, ``int4-channel``
    one scale per output channel), e.g. ``int4-g32`` or ``int4-g128-zp``.

    Raises
    ------
    UnknownNameError
        For an unknown name, with the nearest ones.

    Examples
    --------
    >>> weight_dtype("FP8").block
    (128, 128)
    """
    if not isinstance(name, str):
        raise WorkloadError(f"a weight dtype is a name such as 'bf16' or 'fp8', got {name!r}")
    key = _ALIASES.get(name.lower(), name.lower())
    if key in DTYPES:
        return DTYPES[key]
    grouped = _grouped(key)
    if grouped is None:
        raise UnknownNameError(
            f"unknown weight dtype {name!r}: {suggest(name, DTYPES)} "
            "(or a grouped integer such as 'int4-g64' or 'int4-g128-zp')"
        )
    return grouped


def dtype_bits(kv_dtype: str | float) -> float:
    """Bits per KV-cache element for a dtype name or a bit width [bit].

    Examples
    --------
    >>> dtype_bits("fp8"), dtype_bits(6)
    (8, 6.0)
    """
    if isinstance(kv_dtype, bool):
        raise WorkloadError(f"a KV dtype is a name such as 'fp8' or a bit width, got {kv_dtype!r}")
    if isinstance(kv_dtype, str):
        key = _ALIASES.get(kv_dtype.lower(), kv_dtype.lower())
        if key not in KV_DTYPES:
            raise UnknownNameError(
                f"unknown KV dtype {kv_dtype!r}: {suggest(kv_dtype, KV_DTYPES)} "
                "(or give a bit width such as 6)"
            )
        return KV_DTYPES[key]
    try:
        bits = float(kv_dtype)
    except (TypeError, ValueError):
        raise WorkloadError(f"a KV dtype is a name or a bit width, got {kv_dtype!r}") from None
    if not (math.isfinite(bits) and 0 < bits <= 64):
        raise WorkloadError(f"KV bit width must be in (0, 64], got {kv_dtype!r}")
    return bits
