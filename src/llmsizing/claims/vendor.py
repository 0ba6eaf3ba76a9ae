"""How vendors state their figures: memory labels, bandwidth labels, sparse throughput.

Two rules, kept as data so that a claim is judged by the convention, never case
by case:

**Unit labels** (:data:`LABEL_CONVENTIONS`). Accelerator memory is built from
DRAM dies whose capacities are powers of two; JEDEC defines "giga" as 2**30 for
semiconductor storage capacity [1]_, and vendors print such memories as "GB":
NVIDIA's "80GB" H100 is 80 GiB of HBM3 (nvidia-smi: 81,559 MiB usable [2]_),
AWS's "32 GB" Inferentia2 is 32 GiB [3]_ [4]_. The Neuron documentation since
SDK 2.17 prints memory correctly as GiB, and relabelled its bandwidths from
"GB/s" to "GiB/s" with the same numbers, although AWS's instance totals show
the figures are decimal (9.8 TB/s = 12 × 820 GB/s for inf2.48xlarge) [4]_ [5]_.
A spec claim is compared with the physical figure; if it does not match but
matches the vendor's label read the vendor's way, it holds with a note saying
what the physical figure is; if it matches neither, it fails.

**Sparse throughput** (:data:`SPARSE_TFLOPS`). Dense figures are in the catalog;
vendors also publish "sparse" peaks: NVIDIA's 2:4 structured sparsity doubles
the dense tensor rate on Ampere, Hopper and Blackwell [6]_; the Neuron
documentation lists Trainium2's and Trainium3's sparse TFLOPS per chip [7]_ [8]_.

References
----------
.. [1] JEDEC JESD100B.01, "Terms, Definitions, and Letter Symbols for
   Microcomputers, Microprocessors, and Memory Integrated Circuits", 2002:
   giga (G) as a prefix to units of semiconductor storage capacity = 2**30.
.. [2] llmsizing catalog, ``data/instances.csv`` notes (nvidia-smi and EC2 API
   memory of H100, H200, B200, A100); NVIDIA H100 product page ("80GB HBM3").
.. [3] AWS, "Amazon EC2 Inf2 Instances" (aws.amazon.com/ec2/instance-types/inf2/):
   accelerator memory "32" (inf2.xlarge) to "384" (inf2.48xlarge) GB.
.. [4] AWS Neuron documentation, "Inferentia2 Architecture" and "Trainium
   Architecture": "32 GiB of device memory ... with 820 GiB/sec of bandwidth"
   (SDK >= 2.17; "32GB ... 820 GB/sec" before).
.. [5] llmsizing ``data/CATALOG_NOTES.md``, "Choices between conflicting sources"
   (Inferentia2 memory and HBM bandwidth rows).
.. [6] NVIDIA, "Accelerating Inference with Sparsity Using the NVIDIA Ampere
   Architecture and NVIDIA TensorRT", 2021 (2:4 sparsity, 2x the dense rate);
   H100/H200/B200 datasheets (figures "with sparsity").
.. [7] AWS Neuron documentation, "Trainium2 Architecture": 1,299 FP8 TFLOPS,
   667 BF16 TFLOPS, "2,563 FP8/FP16/BF16/TF32 sparse TFLOPS" per chip.
.. [8] AWS Neuron documentation, "Trainium3 Architecture": 2,517 MXFP8/MXFP4
   TFLOPS, 671 BF16 TFLOPS, "2,517 FP16/BF16/TF32 sparse TFLOPS" per chip.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from llmsizing.catalog import Instance
from llmsizing.units import ureg

__all__ = [
    "LABEL_CONVENTIONS",
    "SPARSE_TFLOPS",
    "LabelConvention",
    "label_convention",
    "physical",
    "prefix_family",
    "relabel",
    "sparse_flops",
]

Family = Literal["decimal", "binary"]
Dimension = Literal["memory", "bandwidth"]


@dataclass(frozen=True)
class LabelConvention:
    """How a vendor prints one kind of figure for its accelerators.

    Attributes
    ----------
    vendor : str
    accelerators : tuple of str
        Prefixes of :attr:`llmsizing.catalog.Instance.accelerator` it covers.
    dimension : {"memory", "bandwidth"}
    written : {"decimal", "binary"}
        The prefixes the vendor prints ("GB" is decimal, "GiB" binary).
    means : {"decimal", "binary"}
        The prefixes the figure physically has.
    example : str
    source : str
    """

    vendor: str
    accelerators: tuple[str, ...]
    dimension: Dimension
    written: Family
    means: Family
    example: str
    source: str


#: The label conventions, one row per vendor habit.
LABEL_CONVENTIONS: tuple[LabelConvention, ...] = (
    LabelConvention(
        "AWS",
        ("AWS Inferentia", "AWS Trainium"),
        "memory",
        written="decimal",
        means="binary",
        example="Inferentia2 '32 GB' = 32 GiB; inf2.48xlarge '384 GB' = 384 GiB",
        source="JEDEC JESD100B.01; AWS Inf2/Trn1/Trn2 instance pages; Neuron architecture docs",
    ),
    LabelConvention(
        "NVIDIA",
        ("NVIDIA",),
        "memory",
        written="decimal",
        means="binary",
        example="H100 '80GB' = 80 GiB (79.65 GiB usable); H200 '141GB' = 141 GiB",
        source="JEDEC JESD100B.01; NVIDIA datasheets; nvidia-smi totals in the catalog notes",
    ),
    LabelConvention(
        "AMD",
        ("AMD Instinct",),
        "memory",
        written="decimal",
        means="binary",
        example="MI300X '192 GB' = 192 GiB (191.98 GiB usable); MI355X '288 GB' = 288 GiB",
        source="JEDEC JESD100B.01; AMD Instinct data sheets; rocm-smi totals in devices.csv",
    ),
    LabelConvention(
        "AWS Neuron documentation",
        ("AWS Inferentia", "AWS Trainium"),
        "bandwidth",
        written="binary",
        means="decimal",
        example="Inferentia2 '820 GiB/s' = 820 GB/s (AWS: 9.8 TB/s for 12 chips)",
        source="Neuron architecture docs (SDK >= 2.17); AWS Inf2 instance page; CATALOG_NOTES",
    ),
)

_PREFIXES = (
    ("kilo", "kibi"),
    ("mega", "mebi"),
    ("giga", "gibi"),
    ("tera", "tebi"),
    ("peta", "pebi"),
)


def label_convention(inst: Instance, dimension: Dimension) -> LabelConvention | None:
    """The convention that covers this instance's accelerator, if any.

    Examples
    --------
    >>> from llmsizing.catalog import load_catalog
    >>> label_convention(load_catalog().get("inf2.48xlarge"), "memory").vendor
    'AWS'
    """
    for c in LABEL_CONVENTIONS:
        if c.dimension == dimension and inst.accelerator.startswith(c.accelerators):
            return c
    return None


def prefix_family(q: Any) -> Family | None:
    """``"decimal"`` for GB, TB/s ...; ``"binary"`` for GiB, TiB/s ...; None for neither.

    Examples
    --------
    >>> prefix_family(ureg.Quantity(1, "TB/s")), prefix_family(ureg.Quantity(1, "GiB"))
    ('decimal', 'binary')
    """
    text = format(q.units, "D")
    if any(b in text for _, b in _PREFIXES):
        return "binary"
    if any(d in text for d, _ in _PREFIXES):
        return "decimal"
    return None


def relabel(q: Any, to: Family) -> Any:
    """The same number with the other prefix family: 32 GB -> 32 GiB, 820 GiB/s -> 820 GB/s.

    Examples
    --------
    >>> relabel(ureg.Quantity(384, "GB"), "binary")
    <Quantity(384, 'gibibyte')>
    """
    text = format(q.units, "D")
    for dec, binary in _PREFIXES:
        text = text.replace(binary, dec) if to == "decimal" else text.replace(dec, binary)
    return ureg.Quantity(q.magnitude, text)


def physical(inst: Instance, value: Any, dimension: Dimension) -> Any:
    """The physical figure behind a catalog figure stored in the vendor's label unit.

    The catalog keeps NVIDIA memory as labelled ("80 GB"); the physical memory
    is 80 GiB. Neuron memory is stored as GiB already.

    Examples
    --------
    >>> from llmsizing.catalog import load_catalog
    >>> physical(load_catalog().get("p5.48xlarge"), ureg.Quantity(80, "GB"), "memory")
    <Quantity(80, 'gibibyte')>
    """
    conv = label_convention(inst, dimension)
    if conv is not None and prefix_family(value) == conv.written != conv.means:
        return relabel(value, conv.means)
    return value


#: Sparse tensor throughput, by accelerator prefix: a factor over the dense rate
#: (NVIDIA 2:4) or the published per-chip figure [TFLOPS] by precision.
SPARSE_TFLOPS: dict[str, dict[str, float] | float] = {
    "NVIDIA A100": 2.0,
    "NVIDIA H100": 2.0,
    "NVIDIA H200": 2.0,
    "NVIDIA B200": 2.0,
    "NVIDIA B300": 2.0,
    "NVIDIA L4": 2.0,
    "NVIDIA L40S": 2.0,
    "AWS Trainium2": {"fp8": 2563.0, "bf16": 2563.0},
    "AWS Trainium3": {"bf16": 2517.0},
}


def sparse_flops(inst: Instance, dtype: str) -> Any:
    """Sparse tensor throughput of one device [TFLOPS], None where not published.

    Examples
    --------
    >>> from llmsizing.catalog import load_catalog
    >>> sparse_flops(load_catalog().get("p5.48xlarge"), "fp8").to("TFLOPS").magnitude
    3958.0
    """
    for prefix, rule in SPARSE_TFLOPS.items():
        if inst.accelerator.startswith(prefix):
            if isinstance(rule, float):
                dense = inst.dense_flops(dtype)
                return None if dense is None else dense * rule
            figure = rule.get(dtype)
            return None if figure is None else ureg.Quantity(figure, "TFLOPS")
    return None
