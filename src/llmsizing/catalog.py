"""AWS accelerator devices, instances and prices, with units, sources and dates.

The catalog is three CSV files shipped in ``llmsizing/data``:

``devices.csv``
    One row per accelerator (one GPU, or one Inferentia/Trainium chip): memory
    in the unit the vendor states, the usable figure software sees, bandwidth,
    dense FLOPs per precision, NeuronCores, interconnect, source and as-of date.
``instances.csv``
    One row per instance type (or UltraServer). A row names its ``device`` and
    adds what belongs to the instance: device count, topology, network, host
    vCPU/memory/NVMe. A per-device cell left blank takes the device's value; a
    filled one overrides it (AWS's 185 GB for the GB200 GPUs it sells, where
    NVIDIA states 186 GB). ``device_share`` < 1 describes a fractional GPU (the
    G6f sizes hold 1/8 to 1/2 of an L4): memory, bandwidth and FLOPs scale with
    the share. Rows without a ``device`` (your own CSV files) state every
    per-device figure themselves. :class:`Instance` derives the totals, so an
    aggregate such as "inf2.48xlarge has 384 GiB" is always ``accelerator_count
    x per-device value``.
``prices.csv``
    USD per hour by instance type, region and pricing model (``on-demand``,
    ``capacity-block``, ...), with the Local Zone where a rate applies there
    only. Instances without any public price have an explicit ``none-public``
    row, so a result can say "no public price" instead of leaving a silent gap.

Accelerator memory is kept in the unit the vendor states: 80 GB for an H100,
141 GB for an H200, 32 GiB for Inferentia2. The figure software sees
(``nvidia-smi``, Neuron runtime) is a separate GiB figure and is what a sizing
calculation should budget from. ``CATALOG_NOTES.md`` next to the CSV files
records which source won where sources disagree, and every row carries a
``confidence`` note where a value is derived or inferred.

Names resolve beyond the catalog rows: ``"ml.p5.48xlarge"`` (SageMaker: the same
hardware, SageMaker prices), ``"4xH100-SXM-80GB"`` (four devices of
``devices.csv``) and ``"p5.48xlarge[2 of 8 GPUs]"`` (a slice of an instance);
:func:`system` builds the last two.

One method answers "what does this cost per hour": :meth:`Catalog.price_info`,
which applies your own prices (:meth:`Catalog.with_prices`) before the shipped
ones and says when a price is missing or stale.

Loading any CSV (shipped or your own) validates every value and raises
:class:`~llmsizing.errors.CatalogError` naming the file, line and column of the
first bad value.

Examples
--------
>>> from llmsizing.catalog import load_catalog, system
>>> cat = load_catalog()
>>> inst = cat.get("inf2.48xlarge")
>>> inst.accelerator_count, f"{inst.total_accelerator_memory:~P}"
(12, '384.0 GiB')
>>> cat.hourly_price("p5.48xlarge")
55.04
>>> cat.price_info("p5e.48xlarge").note  # sold through Capacity Blocks only
'no public price'
>>> system("H100-SXM-80GB", 4).name
'4xH100-SXM-80GB'
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import functools
import html
import io
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib.resources import files
from os import PathLike
from typing import TYPE_CHECKING, Any, Literal, cast

from llmsizing import _csv
from llmsizing._csv import Row, StrPath
from llmsizing.errors import CatalogError, UnknownNameError, suggest
from llmsizing.units import as_quantity, ureg

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DEFAULT_REGION",
    "DENSE_DTYPES",
    "PRICING_MODELS",
    "REGIONS",
    "Catalog",
    "Device",
    "Instance",
    "Price",
    "PriceInfo",
    "accelerator_family",
    "as_instance",
    "is_stale",
    "load_catalog",
    "months_before",
    "system",
]

Kind = Literal["gpu", "neuron"]

#: Memory units accepted in ``accelerator_memory_unit`` / ``memory_unit``.
MEMORY_UNITS: tuple[str, ...] = ("GB", "GiB", "MB", "MiB", "TB", "TiB")

#: Pricing models accepted in price tables; ``none-public`` marks "no public price".
PRICING_MODELS: tuple[str, ...] = (
    "on-demand",
    "capacity-block",
    "spot",
    "reserved",
    "savings-plan",
    "negotiated",
    "none-public",
)

#: AWS region codes a price row may name (commercial, GovCloud and China partitions).
#: Source: AWS Region billing codes, docs.aws.amazon.com/global-infrastructure/latest/
#: regions/aws-region-billing-codes.html (read 2026-12). Local Zones go in ``location``.
REGIONS: tuple[str, ...] = (
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "ca-west-1",
    "mx-central-1",
    "sa-east-1",
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "us-gov-east-1",
    "us-gov-west-1",
    "cn-north-1",
    "cn-northwest-1",
)

#: Region whose prices :meth:`Catalog.price_info` uses unless told otherwise.
DEFAULT_REGION = "us-east-1"

#: A price or spec row older than this many months is stale.
STALE_MONTHS = 12

# dtype name -> catalog column (``dense_<column>_...``); None: known name, never catalogued
_DTYPE_COLUMN: dict[str, str | None] = {
    "bf16": "bf16",
    "bfloat16": "bf16",
    "fp16": "bf16",
    "float16": "bf16",
    "half": "bf16",
    "fp8": "fp8",
    "fp8_e4m3": "fp8",
    "fp8_e5m2": "fp8",
    "e4m3": "fp8",
    "e5m2": "fp8",
    "cfp8": "fp8",
    "mxfp8": "fp8",
    "fp4": "fp4",
    "mxfp4": "fp4",
    "nvfp4": "fp4",
    "int8": "int8",
    "int4": None,
    "fp32": None,
    "float32": None,
    "tf32": None,
}

#: Precision names :meth:`Instance.dense_flops` accepts.
DENSE_DTYPES: tuple[str, ...] = tuple(_DTYPE_COLUMN)

#: Columns of a self-contained instance row (every per-device figure stated).
_INSTANCE_COLUMNS: tuple[str, ...] = (
    "instance_type",
    "family",
    "accelerator",
    "accelerator_kind",
    "accelerator_count",
    "accelerator_memory",
    "accelerator_memory_unit",
    "accelerator_memory_usable_GiB",
    "memory_bandwidth_TBps",
    "dense_bf16_TFLOPS",
    "dense_fp8_TFLOPS",
    "dense_fp4_TFLOPS",
    "dense_int8_TOPS",
    "neuron_cores_per_device",
    "interconnect",
    "interconnect_GBps_per_device",
    "network_Gbps",
    "efa",
    "efa_devices",
    "nodes",
    "vcpus",
    "host_memory_GiB",
    "local_nvme_GB",
    "source_url",
    "as_of",
)
#: Per-device columns an instance row may leave to its ``device``.
_DEVICE_SPEC_COLUMNS: tuple[str, ...] = _INSTANCE_COLUMNS[2:4] + _INSTANCE_COLUMNS[5:14]
_INSTANCE_OPTIONAL: tuple[str, ...] = ("device", "device_share", "confidence", "notes")

_DEVICE_COLUMNS: tuple[str, ...] = (
    "device",
    "accelerator",
    "vendor",
    "accelerator_kind",
    "memory",
    "memory_unit",
    "memory_usable_GiB",
    "cuda_visible_GiB",
    "memory_bandwidth_TBps",
    "dense_bf16_TFLOPS",
    "dense_fp8_TFLOPS",
    "dense_fp4_TFLOPS",
    "dense_int8_TOPS",
    "neuron_cores_per_device",
    "interconnect",
    "interconnect_GBps",
    "source_url",
    "as_of",
)
_DEVICE_OPTIONAL: tuple[str, ...] = ("confidence", "notes")
#: Columns of :data:`_DEVICE_COLUMNS` a devices CSV may leave out (added after the
#: format was published, so older files still load).
_DEVICE_LATER: tuple[str, ...] = ("cuda_visible_GiB",)

_PRICE_COLUMNS: tuple[str, ...] = (
    "instance_type",
    "region",
    "pricing_model",
    "usd_per_hour",
    "as_of",
    "source_url",
)
_PRICE_OPTIONAL: tuple[str, ...] = ("location", "confidence", "notes")
_OPTIONAL_COLUMNS: tuple[str, ...] = ("notes",)

# Physical plausibility of one device (or one partition of a device). The smallest
# catalogued is g6f.large's 1/8 L4 (3 GB, 37.5 GB/s), the largest a B300/GB300
# (288 GB, 8 TB/s): the bounds leave room for a decade of parts, not for unit slips.
_DEVICE_MEMORY_RANGE = (ureg.Quantity(1, "GB"), ureg.Quantity(2, "TB"))
_DEVICE_BANDWIDTH_RANGE = (ureg.Quantity(10, "GB/s"), ureg.Quantity(100, "TB/s"))
# usable memory below this share of the stated figure is a unit slip (the lowest
# catalogued share is A10G's 22.49 GiB of 24 GB, 1.006)
_MIN_USABLE_SHARE = 0.5
_BINARY_UNIT = {"GB": "GiB", "TB": "TiB", "MB": "MiB"}

# preference among a user's own price rows for one instance and region
_USER_MODEL_ORDER = (
    "negotiated",
    "reserved",
    "savings-plan",
    "on-demand",
    "capacity-block",
    "spot",
)

_SLICE = re.compile(r"^(?P<base>.+?)\[(?P<n>\d+) of (?P<m>\d+) (?:gpus?|chips?|devices?)\]$", re.I)
_SYSTEM = re.compile(r"^(?P<n>\d+)\s*[x×]\s*(?P<device>\S.*)$", re.I)
_MAX_SYSTEM_DEVICES = 4096  # as the accelerator_count sanity limit


# --------------------------------------------------------------------- helpers
def _mag(quantity: Any, unit: str) -> float:
    """Magnitude of a Quantity in ``unit``, NaN for None."""
    return math.nan if quantity is None else float(quantity.to(unit).magnitude)


def _display(value: Any) -> str:
    if isinstance(value, float) and math.isnan(value):
        return ""
    return str(value)


def _scaled(quantity: Any, share: float) -> Any:
    return None if quantity is None else quantity * share


def _dense(obj: Instance | Device, dtype: str) -> Any:
    key = dtype.lower()
    if key not in _DTYPE_COLUMN:
        raise UnknownNameError(f"unknown precision {dtype!r}: {suggest(dtype, DENSE_DTYPES)}")
    column = _DTYPE_COLUMN[key]
    return None if column is None else getattr(obj, f"dense_{column}")


#: Accelerator name fragments → hardware family (first match wins).
_FAMILIES = (
    ("inferentia2", "neuron-inf2"),
    ("inferentia", "neuron-inf1"),
    ("trainium3", "neuron-trn3"),
    ("trainium2", "neuron-trn2"),
    ("trainium", "neuron-trn1"),
    ("a100", "nvidia-ampere"),
    ("a10g", "nvidia-ampere"),
    ("a800", "nvidia-ampere"),
    ("a10", "nvidia-ampere"),
    ("l40s", "nvidia-ada"),
    ("l4", "nvidia-ada"),
    ("h100", "nvidia-hopper"),
    ("h200", "nvidia-hopper"),
    ("h800", "nvidia-hopper"),
    ("h20", "nvidia-hopper"),
    ("b200", "nvidia-blackwell"),
    ("b300", "nvidia-blackwell"),
    ("mi355", "amd-cdna4"),
    ("mi325", "amd-cdna3"),
    ("mi300", "amd-cdna3"),
)


def _device_key(name: str) -> str:
    """A device name as looked up: case, spaces, hyphens and underscores ignored.

    >>> _device_key("RTX A5000 24GB"), _device_key("rtx-a5000_24gb")
    ('rtxa500024gb', 'rtxa500024gb')
    """
    return re.sub(r"[\s_-]+", "", name).lower()


def accelerator_family(accelerator: str, neuron: bool = False) -> str:
    """Hardware family of an accelerator name (the key of ``data/efficiency.csv``).

    ``neuron-inf1``, ``neuron-inf2``, ``neuron-trn1``, ``neuron-trn2``,
    ``neuron-trn3``, ``nvidia-ampere`` (A100, A800, A10, A10G; CUDA capability
    8.0/8.6), ``nvidia-ada`` (L4, L40, L40S; 8.9), ``nvidia-hopper`` (H100,
    H200, H800, H20, GH200; 9.0), ``nvidia-blackwell`` (B200, B300, GB200; 10.x),
    ``amd-cdna3`` (MI300X, MI325X; gfx942), ``amd-cdna4`` (MI355X; gfx950); else
    ``neuron``, ``amd`` (an AMD or Instinct name) or ``nvidia``. Workstation and
    GeForce cards keep the generic family.

    Examples
    --------
    >>> accelerator_family("NVIDIA H200 141GB")
    'nvidia-hopper'
    >>> accelerator_family("AMD Instinct MI300X")
    'amd-cdna3'
    """
    a = accelerator.lower()
    for key, fam in _FAMILIES:
        if key in a:
            return fam
    if neuron:
        return "neuron"
    return "amd" if "amd" in a or "instinct" in a else "nvidia"


def months_before(day: dt.date, months: int) -> dt.date:
    """The date ``months`` calendar months before ``day`` (day clipped to the month's end).

    Examples
    --------
    >>> months_before(dt.date(2026, 3, 31), 1)
    datetime.date(2026, 2, 28)
    """
    years, month0 = divmod(day.month - 1 - months, 12)
    year, month = day.year + years, month0 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_stale(as_of: dt.date, months: int = STALE_MONTHS, today: dt.date | None = None) -> bool:
    """True when ``as_of`` is more than ``months`` calendar months before ``today``.

    Examples
    --------
    >>> is_stale(dt.date(2024, 12, 31), today=dt.date(2026, 12, 1))
    True
    >>> is_stale(dt.date(2026, 7, 20), today=dt.date(2026, 12, 1))
    False
    """
    return as_of < months_before(today or dt.date.today(), months)


# --------------------------------------------------------------------- records
@dataclass(frozen=True, repr=False)
class Device:
    """One accelerator (a GPU, or an Inferentia/Trainium chip) as its vendor states it.

    Attributes
    ----------
    name : str
        Catalog name, e.g. ``"H100-SXM-80GB"`` or ``"Trainium2"``.
    accelerator : str
        Marketed name.
    vendor : str
        ``"NVIDIA"``, ``"AMD"`` or ``"AWS"``.
    kind : {"gpu", "neuron"}
        GPU (NVIDIA or AMD) or AWS Neuron device.
    memory : pint.Quantity
        Memory in the vendor's unit [GB or GiB].
    stated_usable_memory : pint.Quantity or None
        Memory as nvidia-smi / rocm-smi / the Neuron runtime reports it [GiB], None
        where unknown.
    memory_bandwidth : pint.Quantity
        [TB/s].
    dense_bf16, dense_fp8, dense_fp4, dense_int8 : pint.Quantity or None
        Dense tensor throughput [TFLOPS] (INT8 TOPS stored as TFLOPS).
    neuron_cores_per_device : int
        Physical NeuronCores (0 for GPUs).
    interconnect : str
        Device-to-device link kind, e.g. ``"NVLink 4 via NVSwitch"``.
    interconnect_bandwidth : pint.Quantity or None
        Link bandwidth per device [GB/s], None for PCIe-only parts.
    source_url : str
        Sources, ``;``-separated.
    as_of : datetime.date
        Date of the newest source snapshot the row was checked against.
    confidence : str
        How sure the figures are, and which are derived.
    notes : str
        Caveats.
    cuda_visible_memory : pint.Quantity or None
        Device total as PyTorch / CUDA (HIP on AMD) reports it [GiB]
        (``torch.cuda.mem_get_info()[1]``, the total vLLM and SGLang budget from;
        below the nvidia-smi figure), None where no public figure was found.

    Examples
    --------
    >>> from llmsizing.catalog import load_catalog
    >>> d = load_catalog().device("H200-141GB")
    >>> f"{d.memory:~P}", f"{d.memory_usable:~P}", f"{d.cuda_visible_memory:~P}"
    ('141.0 GB', '140.4 GiB', '139.8 GiB')
    """

    name: str
    accelerator: str
    vendor: str
    kind: Kind
    memory: Any
    stated_usable_memory: Any
    memory_bandwidth: Any
    dense_bf16: Any
    dense_fp8: Any
    dense_fp4: Any
    dense_int8: Any
    neuron_cores_per_device: int
    interconnect: str
    interconnect_bandwidth: Any
    source_url: str
    as_of: dt.date
    confidence: str = ""
    notes: str = ""
    cuda_visible_memory: Any = None

    @property
    def memory_usable(self) -> Any:
        """Usable memory [GiB]; the vendor figure converted to GiB where unknown.

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> f"{load_catalog().device('Trainium2').memory_usable:~P}"
        '96.0 GiB'
        """
        if self.stated_usable_memory is not None:
            return self.stated_usable_memory
        return self.memory.to("GiB")

    def dense_flops(self, dtype: str) -> Any:
        """Dense tensor throughput for a precision [TFLOPS], as :meth:`Instance.dense_flops`.

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> f"{load_catalog().device('B200-180GB').dense_flops('nvfp4'):~P}"
        '9000.0 TFLOPS'
        """
        return _dense(self, dtype)

    def to_dict(self) -> dict[str, Any]:
        """Plain values under unit-suffixed keys (one :attr:`Catalog.devices` row).

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> load_catalog().device("L40S-48GB").to_dict()["memory_usable_GiB"]
        44.99
        """
        return {
            "device": self.name,
            "accelerator": self.accelerator,
            "vendor": self.vendor,
            "accelerator_kind": self.kind,
            "memory": float(self.memory.magnitude),
            "memory_unit": f"{self.memory.units:~P}",
            "memory_usable_GiB": _mag(self.stated_usable_memory, "GiB"),
            "cuda_visible_GiB": _mag(self.cuda_visible_memory, "GiB"),
            "memory_bandwidth_TBps": _mag(self.memory_bandwidth, "TB/s"),
            "dense_bf16_TFLOPS": _mag(self.dense_bf16, "TFLOPS"),
            "dense_fp8_TFLOPS": _mag(self.dense_fp8, "TFLOPS"),
            "dense_fp4_TFLOPS": _mag(self.dense_fp4, "TFLOPS"),
            "dense_int8_TOPS": _mag(self.dense_int8, "TFLOPS"),
            "neuron_cores_per_device": self.neuron_cores_per_device,
            "interconnect": self.interconnect,
            "interconnect_GBps": _mag(self.interconnect_bandwidth, "GB/s"),
            "confidence": self.confidence,
            "as_of": self.as_of.isoformat(),
            "source_url": self.source_url,
            "notes": self.notes,
        }

    def __repr__(self) -> str:
        return f"Device({self.name!r}: {self.accelerator}, {self.memory:~P})"


@dataclass(frozen=True, repr=False)
class Instance:
    """One AWS instance type (or UltraServer, slice, or device system) with per-device specs.

    Quantities are :class:`pint.Quantity` from :data:`llmsizing.units.ureg`.
    Per-device attributes describe one GPU or one Neuron chip (or, for a
    fractional GPU, the partition); the ``total_*`` and ``peak_*`` members
    multiply by :attr:`accelerator_count`. For an UltraServer row (``nodes >
    1``) vCPU, host memory, NVMe and network are totals over its nodes.

    Attributes
    ----------
    name : str
        AWS instance type, e.g. ``"p5.48xlarge"`` (a catalog slug where AWS
        published none; ``"ml.p5.48xlarge"``, ``"4xH100-SXM-80GB"`` or
        ``"p5.48xlarge[2 of 8 GPUs]"`` for the derived forms).
    family : str
        Instance family, e.g. ``"p5"`` (the device name for a device system).
    accelerator : str
        Accelerator model as marketed.
    accelerator_kind : {"gpu", "neuron"}
        GPU (NVIDIA or AMD) or AWS Neuron device (Inferentia/Trainium).
    accelerator_count : int
        Devices in the instance.
    accelerator_memory : pint.Quantity
        Memory per device in the vendor's unit [GB or GiB].
    stated_usable_memory : pint.Quantity or None
        Memory per device as software sees it [GiB], None where unknown.
    memory_bandwidth : pint.Quantity
        Memory bandwidth per device [TB/s].
    dense_bf16, dense_fp8, dense_fp4, dense_int8 : pint.Quantity or None
        Dense (no 2:4 sparsity) tensor throughput per device [TFLOPS]; INT8
        TOPS are stored as TFLOPS (one integer op counted as one FLOP). None
        where the precision is not supported.
    neuron_cores_per_device : int
        Physical NeuronCores per chip (0 for GPUs).
    interconnect : str
        Device-to-device interconnect, as text.
    interconnect_bandwidth : pint.Quantity or None
        Device-to-device bandwidth per device [GB/s], None without one.
    network_bandwidth : pint.Quantity
        Instance network bandwidth [Gbps] (baseline for burstable sizes;
        0 Gbps for a device system, whose host is not modelled).
    efa : bool
        Elastic Fabric Adapter supported.
    efa_devices : int or None
        EFA interfaces, None where not published.
    nodes : int
        EC2 instances that make up this row (1, or e.g. 4 for ``u-trn2x64``).
    vcpus : int
        Host vCPUs (0 for a device system).
    host_memory : pint.Quantity or None
        Host memory [GiB].
    local_nvme : pint.Quantity or None
        Instance-store NVMe [GB]; 0 GB means EBS only, None unknown.
    source_url : str
        Sources, ``;``-separated.
    as_of : datetime.date
        Date of the newest source snapshot the row was checked against.
    notes : str
        Caveats (derived values, conflicts between sources).
    device : str or None
        The ``devices.csv`` row the per-device figures come from.
    device_share : float
        Share of that device one accelerator is (1.0; 0.125 for a 1/8 GPU).
    confidence : str
        How sure the row is, and which values are derived or inferred.
    slice_of : str or None
        The instance this one is a slice of (see :func:`system`).
    user_usd_per_hour : float or None
        A price given with the instance [USD/hour] (``system(...,
        usd_per_hour=...)``); :meth:`Catalog.price_info` returns it first.
    cuda_visible_memory : pint.Quantity or None
        Per-device total as PyTorch / CUDA (HIP) reports it [GiB], from the
        ``device`` row (:attr:`Device.cuda_visible_memory`, scaled by
        ``device_share``); None where unknown or where the row states its own
        usable memory.

    Examples
    --------
    >>> from llmsizing.catalog import load_catalog
    >>> h200 = load_catalog().get("p5e.48xlarge")
    >>> f"{h200.accelerator_memory:~P}", f"{h200.accelerator_memory_usable:~P}"
    ('141.0 GB', '140.4 GiB')
    """

    name: str
    family: str
    accelerator: str
    accelerator_kind: Kind
    accelerator_count: int
    accelerator_memory: Any
    stated_usable_memory: Any
    memory_bandwidth: Any
    dense_bf16: Any
    dense_fp8: Any
    dense_fp4: Any
    dense_int8: Any
    neuron_cores_per_device: int
    interconnect: str
    interconnect_bandwidth: Any
    network_bandwidth: Any
    efa: bool
    efa_devices: int | None
    nodes: int
    vcpus: int
    host_memory: Any
    local_nvme: Any
    source_url: str
    as_of: dt.date
    notes: str = ""
    device: str | None = None
    device_share: float = 1.0
    confidence: str = ""
    slice_of: str | None = None
    user_usd_per_hour: float | None = None
    cuda_visible_memory: Any = None

    @property
    def is_neuron(self) -> bool:
        """True for AWS Inferentia/Trainium instances.

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> load_catalog().get("trn1.32xlarge").is_neuron
        True
        """
        return self.accelerator_kind == "neuron"

    @property
    def hardware_family(self) -> str:
        """Hardware family of the accelerator (:func:`accelerator_family`)."""
        return accelerator_family(self.accelerator, self.is_neuron)

    @property
    def accelerator_memory_usable(self) -> Any:
        """Memory per device as software sees it [GiB].

        Falls back to :attr:`accelerator_memory` (converted to GiB) where the
        usable figure is unknown; :attr:`usable_memory_known` tells which.

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> f"{load_catalog().get('p5.48xlarge').accelerator_memory_usable:~P}"
        '79.65 GiB'
        """
        if self.stated_usable_memory is not None:
            return self.stated_usable_memory
        return self.accelerator_memory.to("GiB")

    @property
    def usable_memory_known(self) -> bool:
        """True when the catalog states a usable-memory figure for this device.

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> load_catalog().get("u-p6e-gb200x72").usable_memory_known
        False
        """
        return self.stated_usable_memory is not None

    @property
    def total_accelerator_memory(self) -> Any:
        """``accelerator_count x accelerator_memory``, in the vendor's unit [GB or GiB].

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> f"{load_catalog().get('p5.48xlarge').total_accelerator_memory:~P}"
        '640.0 GB'
        """
        return self.accelerator_memory * self.accelerator_count

    @property
    def total_accelerator_memory_usable(self) -> Any:
        """``accelerator_count x accelerator_memory_usable`` [GiB].

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> f"{load_catalog().get('p5e.48xlarge').total_accelerator_memory_usable:.1f~P}"
        '1123.2 GiB'
        """
        return self.accelerator_memory_usable * self.accelerator_count

    @property
    def total_memory_bandwidth(self) -> Any:
        """Aggregate accelerator memory bandwidth [TB/s].

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> f"{load_catalog().get('inf2.48xlarge').total_memory_bandwidth:.2f~P}"
        '9.84 TB/s'
        """
        return self.memory_bandwidth * self.accelerator_count

    @property
    def neuron_cores(self) -> int:
        """Physical NeuronCores in the instance (0 for GPU instances).

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> load_catalog().get("trn2.48xlarge").neuron_cores
        128
        """
        return self.neuron_cores_per_device * self.accelerator_count

    @property
    def sources(self) -> tuple[str, ...]:
        """The individual source URLs of :attr:`source_url`.

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> load_catalog().get("g6.xlarge").sources[0]
        'https://www.nvidia.com/en-us/data-center/l4/'
        """
        return tuple(u.strip() for u in self.source_url.split(";") if u.strip())

    def is_stale(self, months: int = STALE_MONTHS, today: dt.date | None = None) -> bool:
        """True when :attr:`as_of` is more than ``months`` months before ``today``.

        Examples
        --------
        >>> import datetime as dt
        >>> from llmsizing.catalog import load_catalog
        >>> load_catalog().get("p5.48xlarge").is_stale(today=dt.date(2026, 12, 1))
        False
        """
        return is_stale(self.as_of, months, today)

    def dense_flops(self, dtype: str) -> Any:
        """Dense tensor throughput of one device for a precision [TFLOPS].

        ``fp16`` uses the BF16 figure; ``fp8`` variants (``fp8_e4m3``,
        ``cfp8``, ``mxfp8`` ...) the FP8 figure; ``mxfp4``/``nvfp4`` the FP4
        figure; ``int8`` the INT8 TOPS, counted as ops/s in FLOPS units.
        ``int4``, ``tf32`` and ``fp32`` are accepted but never catalogued:
        weight-only int4 formats do their math at bf16/fp16, so ask for
        ``"bf16"`` for those.

        Parameters
        ----------
        dtype : str
            Precision name, one of :data:`DENSE_DTYPES` (case-insensitive).

        Returns
        -------
        pint.Quantity or None
            Per-device dense throughput [TFLOPS], or None when the device does
            not support the precision (or it is not catalogued).

        Raises
        ------
        UnknownNameError
            For a precision name not in :data:`DENSE_DTYPES`.

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> h100 = load_catalog().get("p5.48xlarge")
        >>> f"{h100.dense_flops('fp8'):~P}", h100.dense_flops("fp4")
        ('1979.0 TFLOPS', None)
        """
        return _dense(self, dtype)

    def peak_flops(self, dtype: str) -> Any:
        """Dense tensor throughput of all devices together [TFLOPS].

        Parameters
        ----------
        dtype : str
            Precision name, as for :meth:`dense_flops`.

        Returns
        -------
        pint.Quantity or None
            ``accelerator_count x dense_flops(dtype)`` [TFLOPS], or None.

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> f"{load_catalog().get('trn2.48xlarge').peak_flops('fp8').to('PFLOPS'):.1f~P}"
        '20.8 PFLOPS'
        """
        per_device = self.dense_flops(dtype)
        return None if per_device is None else per_device * self.accelerator_count

    def to_dict(self) -> dict[str, Any]:
        """Plain values under unit-suffixed keys (one :meth:`Catalog.to_frame` row).

        Quantities become floats in the unit the key names (NaN where unknown);
        ``as_of`` becomes an ISO date string.

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> load_catalog().get("g6e.xlarge").to_dict()["total_accelerator_memory_GB"]
        48.0
        """
        return {
            "instance_type": self.name,
            "family": self.family,
            "device": self.device or "",
            "device_share": self.device_share,
            "accelerator": self.accelerator,
            "accelerator_kind": self.accelerator_kind,
            "accelerator_count": self.accelerator_count,
            "accelerator_memory": float(self.accelerator_memory.magnitude),
            "accelerator_memory_unit": f"{self.accelerator_memory.units:~P}",
            "accelerator_memory_usable_GiB": _mag(self.accelerator_memory_usable, "GiB"),
            "usable_memory_known": self.usable_memory_known,
            "total_accelerator_memory_GB": _mag(self.total_accelerator_memory, "GB"),
            "total_accelerator_memory_GiB": _mag(self.total_accelerator_memory, "GiB"),
            "total_accelerator_memory_usable_GiB": _mag(
                self.total_accelerator_memory_usable, "GiB"
            ),
            "memory_bandwidth_TBps": _mag(self.memory_bandwidth, "TB/s"),
            "total_memory_bandwidth_TBps": _mag(self.total_memory_bandwidth, "TB/s"),
            "dense_bf16_TFLOPS": _mag(self.dense_bf16, "TFLOPS"),
            "dense_fp8_TFLOPS": _mag(self.dense_fp8, "TFLOPS"),
            "dense_fp4_TFLOPS": _mag(self.dense_fp4, "TFLOPS"),
            "dense_int8_TOPS": _mag(self.dense_int8, "TFLOPS"),
            "peak_bf16_PFLOPS": _mag(self.peak_flops("bf16"), "PFLOPS"),
            "peak_fp8_PFLOPS": _mag(self.peak_flops("fp8"), "PFLOPS"),
            "peak_fp4_PFLOPS": _mag(self.peak_flops("fp4"), "PFLOPS"),
            "neuron_cores_per_device": self.neuron_cores_per_device,
            "neuron_cores": self.neuron_cores,
            "interconnect": self.interconnect,
            "interconnect_GBps_per_device": _mag(self.interconnect_bandwidth, "GB/s"),
            "network_Gbps": _mag(self.network_bandwidth, "Gbps"),
            "efa": self.efa,
            "efa_devices": self.efa_devices,
            "nodes": self.nodes,
            "vcpus": self.vcpus,
            "host_memory_GiB": _mag(self.host_memory, "GiB"),
            "local_nvme_GB": _mag(self.local_nvme, "GB"),
            "slice_of": self.slice_of or "",
            "confidence": self.confidence,
            "as_of": self.as_of.isoformat(),
            "source_url": self.source_url,
            "notes": self.notes,
        }

    def __repr__(self) -> str:
        memory = f"{self.accelerator_memory:~P}"
        return (
            f"Instance({self.name!r}: {self.accelerator_count} x {self.accelerator}, {memory} each)"
        )

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
            f"<td style='text-align:left'>{html.escape(_display(v))}</td></tr>"
            for k, v in self.to_dict().items()
        )
        return f"<table><caption>{html.escape(self.name)}</caption>{rows}</table>"


@dataclass(frozen=True)
class Price:
    """An hourly price of one instance type in one region under one pricing model.

    Attributes
    ----------
    instance_type : str
        AWS instance type (or a name :meth:`Catalog.get` resolves).
    region : str
        AWS region code, e.g. ``"us-east-1"``; one of :data:`REGIONS`.
    pricing_model : str
        One of :data:`PRICING_MODELS`.
    usd_per_hour : pint.Quantity or None
        Price [USD/hour]; None only for ``none-public`` rows.
    as_of : datetime.date
        Date of the price.
    source_url : str
        Sources, ``;``-separated.
    notes : str
        Caveats (what the price includes, why none is public).
    location : str
        Local Zone the rate applies in, where narrower than the region.
    confidence : str
        How sure the price is.
    user : bool
        True for a row from your own price table.

    Examples
    --------
    >>> from llmsizing.catalog import load_catalog
    >>> p = load_catalog().price("u-p6e-gb200x72", "us-east-1", "capacity-block")
    >>> f"{p.usd_per_hour:~P}", p.location.split()[0]
    ('761.904 USD/h', 'us-east-1-dfw-2a')
    """

    instance_type: str
    region: str
    pricing_model: str
    usd_per_hour: Any
    as_of: dt.date
    source_url: str
    notes: str = ""
    location: str = ""
    confidence: str = ""
    user: bool = False

    @property
    def is_public(self) -> bool:
        """False for a ``none-public`` row (no published price).

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> [p.is_public for p in load_catalog().prices_for("p6e-gb200.36xlarge")]
        [False]
        """
        return self.usd_per_hour is not None

    @property
    def key(self) -> tuple[str, str, str]:
        """``(instance_type, region, pricing_model)``, unique within a catalog.

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> load_catalog().price("g5.xlarge").key
        ('g5.xlarge', 'us-east-1', 'on-demand')
        """
        return (self.instance_type, self.region, self.pricing_model)

    @functools.cached_property
    def hourly(self) -> float | None:
        """:attr:`usd_per_hour` as a plain float [USD/hour], None when not public (cached)."""
        return None if self.usd_per_hour is None else _mag(self.usd_per_hour, "USD/hour")


@dataclass(frozen=True)
class PriceInfo:
    """The hourly price a cost calculation should use, and what to say about it.

    Attributes
    ----------
    usd_per_hour : float or None
        [USD/hour]; None when there is no price.
    note : str
        ``""`` for a public, fresh price; ``"no public price"``; ``"user price"``
        for your own prices; ``"price as of YYYY-MM-DD is more than 12 months
        old"`` for a stale public price; ``"pro-rated ..."`` for a slice.
    as_of : datetime.date or None
        Date of the price row, None where there is none.
    source : str or None
        Where the price comes from (URLs, or your table).
    stale : bool
        True when ``as_of`` is older than 12 months.
    region : str or None
        Region the price is for.
    pricing_model : str or None
        Pricing model of the row used.

    Examples
    --------
    >>> from llmsizing.catalog import load_catalog
    >>> info = load_catalog().price_info("p5.48xlarge")
    >>> info.usd_per_hour, info.note, info.as_of.isoformat()
    (55.04, '', '2026-07-20')
    """

    usd_per_hour: float | None
    note: str
    as_of: dt.date | None
    source: str | None
    stale: bool
    region: str | None = None
    pricing_model: str | None = None


# --------------------------------------------------------------------- catalog
class Catalog:
    """A set of :class:`Instance` records, the devices they use, and their prices.

    Build one with :func:`load_catalog`. A catalog is read-only;
    :meth:`filter`, :meth:`with_prices` and :meth:`with_region` return new ones.

    Parameters
    ----------
    instances : iterable of Instance
        Instance records; names must be unique.
    prices : iterable of Price
        Price records; ``(instance_type, region, pricing_model)`` must be unique.
    devices : iterable of Device
        Device records (for device systems such as ``"4xH100-SXM-80GB"``).
    region : str
        Region whose prices :meth:`price_info` uses by default.

    Examples
    --------
    >>> from llmsizing.catalog import load_catalog
    >>> cat = load_catalog()
    >>> "p5.48xlarge" in cat, len(cat.filter(family="g6e"))
    (True, 8)
    """

    def __init__(
        self,
        instances: Iterable[Instance],
        prices: Iterable[Price] = (),
        devices: Iterable[Device] = (),
        region: str = DEFAULT_REGION,
    ) -> None:
        self._instances: dict[str, Instance] = {}
        for inst in instances:
            if inst.name in self._instances:
                raise CatalogError(f"duplicate instance type {inst.name!r} in catalog")
            self._instances[inst.name] = inst
        self._prices: dict[tuple[str, str, str], Price] = {}
        for price in prices:
            if price.key in self._prices:
                raise CatalogError(f"duplicate price {price.key!r} in catalog")
            self._prices[price.key] = price
        self._devices: dict[str, Device] = {}
        for dev in devices:
            if dev.name in self._devices:
                raise CatalogError(f"duplicate device {dev.name!r} in catalog")
            self._devices[dev.name] = dev
        self._region = _region(region)
        # lookup indexes: case-insensitive names, price rows by instance
        self._lower = {n.lower(): i for n, i in reversed(self._instances.items())}
        self._devices_lower = {_device_key(n): d for n, d in reversed(self._devices.items())}
        self._prices_of: dict[str, list[Price]] = {}
        for price in self._prices.values():
            self._prices_of.setdefault(price.instance_type, []).append(price)

    def _copy(
        self,
        instances: Iterable[Instance] | None = None,
        prices: Iterable[Price] | None = None,
        region: str | None = None,
    ) -> Catalog:
        return Catalog(
            self._instances.values() if instances is None else instances,
            self._prices.values() if prices is None else prices,
            self._devices.values(),
            self._region if region is None else region,
        )

    # ------------------------------------------------------------ protocols
    def names(self) -> list[str]:
        """Instance type names, in catalog order.

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> load_catalog().filter(family="inf2").names()
        ['inf2.xlarge', 'inf2.8xlarge', 'inf2.24xlarge', 'inf2.48xlarge']
        """
        return list(self._instances)

    def __iter__(self) -> Iterator[Instance]:
        return iter(self._instances.values())

    def __len__(self) -> int:
        return len(self._instances)

    def __contains__(self, name: object) -> bool:
        return name in self._instances

    def __getitem__(self, name: str) -> Instance:
        return self.get(name)

    def __repr__(self) -> str:
        shown = ", ".join(self.names()[:6]) + (", ..." if len(self) > 6 else "")
        return f"Catalog({len(self)} instances: {shown})"

    def _repr_html_(self) -> str:
        # one line per instance: the columns a reader compares first (to_frame() has all)
        df = self.to_frame()
        cols = [c for c in _HTML_COLUMNS if c in df.columns]
        return str(df[cols].to_html(index=False, na_rep="", max_rows=80))

    @property
    def region(self) -> str:
        """Region whose prices :meth:`price_info` uses by default.

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> load_catalog().with_region("us-west-2").region
        'us-west-2'
        """
        return self._region

    # ------------------------------------------------------------ lookup
    def get(self, name: str) -> Instance:
        """Look up an instance type, a SageMaker name, a slice or a device system.

        Parameters
        ----------
        name : str
            Case-insensitive. An instance type (``"inf2.8xlarge"``); a SageMaker
            name (``"ml.p5.48xlarge"``: the EC2 hardware under the SageMaker
            name, priced from SageMaker rows only); a slice
            (``"p5.48xlarge[2 of 8 GPUs]"``); a device system
            (``"4xH100-SXM-80GB"``, or a bare device name for one device).

        Returns
        -------
        Instance

        Raises
        ------
        UnknownNameError
            If the name resolves to nothing; the message suggests the nearest
            instance and device names.
        CatalogError
            For a slice that does not match its instance.

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> cat = load_catalog()
        >>> cat.get("inf2.8xlarge").accelerator_count
        1
        >>> sm = cat.get("ml.p5.48xlarge")
        >>> sm.name, sm.total_accelerator_memory == cat.get("p5.48xlarge").total_accelerator_memory
        ('ml.p5.48xlarge', True)
        >>> cat.get("4xH100-SXM-80GB").accelerator_count
        4
        """
        found = self._row(name)
        if found is not None:
            return found
        if name[:3].lower() == "ml.":
            base = self._row(name[3:])
            if base is not None:
                return self._sagemaker(base)
        sliced = _SLICE.match(name.strip())
        if sliced:
            base = self.get(sliced["base"])
            total = int(sliced["m"])
            if total != base.accelerator_count:
                raise CatalogError(
                    f"{name!r}: {base.name} has {base.accelerator_count} devices, not {total}"
                )
            return self._slice(base, int(sliced["n"]))
        dev = self._device_row(name)
        if dev is not None:
            return self._device_system(dev, 1)
        grouped = _SYSTEM.match(name.strip())
        if grouped:
            dev = self._device_row(grouped["device"])
            if dev is not None:
                return self._device_system(dev, int(grouped["n"]))
        known = [*self._instances, *self._devices]
        raise UnknownNameError(f"unknown instance type {name!r}: {suggest(name, known)}")

    def _row(self, name: str) -> Instance | None:
        if name in self._instances:
            return self._instances[name]
        return self._lower.get(name.strip().lower())

    def _device_row(self, name: str) -> Device | None:
        return self._devices_lower.get(_device_key(name))

    def _sagemaker(self, base: Instance) -> Instance:
        return dataclasses.replace(
            base,
            name=f"ml.{base.name}",
            notes=f"SageMaker name for the EC2 hardware of {base.name} (same devices; "
            "SageMaker prices only; availability on SageMaker not checked). " + base.notes,
        )

    def _slice(self, base: Instance, count: int) -> Instance:
        total = base.accelerator_count
        if count < 1 or count > total:
            unit = "chip(s)" if base.is_neuron else "GPU(s)"
            raise CatalogError(
                f"cannot take {count} of {base.name}'s devices: it has {total} {unit}; "
                f"ask for 1 to {total}"
            )
        if count == total:
            return base
        share = count / total
        unit = "chips" if base.is_neuron else "GPUs"
        efa_devices = base.efa_devices
        if efa_devices is not None:
            efa_devices = math.ceil(efa_devices * share)
        return dataclasses.replace(
            base,
            name=f"{base.name}[{count} of {total} {unit}]",
            accelerator_count=count,
            interconnect=base.interconnect
            if count > 1
            else "none (one device of a larger instance)",
            interconnect_bandwidth=base.interconnect_bandwidth if count > 1 else None,
            network_bandwidth=base.network_bandwidth * share,
            efa_devices=efa_devices,
            nodes=max(1, math.ceil(base.nodes * share)),
            vcpus=max(1, round(base.vcpus * share)),
            host_memory=_scaled(base.host_memory, share),
            local_nvme=_scaled(base.local_nvme, share),
            slice_of=base.name,
            user_usd_per_hour=None,
            notes=f"{count} of the {total} {unit} of {base.name}; vCPU, host memory, NVMe, "
            "network and EFA devices pro-rated (not an AWS shape).",
        )

    def _device_system(self, dev: Device, count: int) -> Instance:
        if count < 1 or count > _MAX_SYSTEM_DEVICES:
            raise CatalogError(
                f"a system of {dev.name} needs 1 to {_MAX_SYSTEM_DEVICES} devices, got {count}"
            )
        linked = count > 1
        return Instance(
            name=f"{count}x{dev.name}",
            family=dev.name,
            accelerator=dev.accelerator,
            accelerator_kind=dev.kind,
            accelerator_count=count,
            accelerator_memory=dev.memory,
            stated_usable_memory=dev.stated_usable_memory,
            memory_bandwidth=dev.memory_bandwidth,
            dense_bf16=dev.dense_bf16,
            dense_fp8=dev.dense_fp8,
            dense_fp4=dev.dense_fp4,
            dense_int8=dev.dense_int8,
            neuron_cores_per_device=dev.neuron_cores_per_device,
            interconnect=dev.interconnect if linked else "none (single device)",
            interconnect_bandwidth=dev.interconnect_bandwidth if linked else None,
            network_bandwidth=ureg.Quantity(0.0, "Gbps"),
            efa=False,
            efa_devices=None,
            nodes=1,
            vcpus=0,
            host_memory=None,
            local_nvme=None,
            source_url=dev.source_url,
            as_of=dev.as_of,
            notes=f"{count} x {dev.name}, accelerators only: the host (vCPU, memory, NVMe, "
            f"network) is not modelled; devices are assumed linked by {dev.interconnect}.",
            device=dev.name,
            confidence=dev.confidence,
            cuda_visible_memory=dev.cuda_visible_memory,
        )

    def device(self, name: str) -> Device:
        """Look up one device of ``devices.csv`` (case-insensitive).

        Raises
        ------
        UnknownNameError
            With the nearest device names.

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> load_catalog().device("trainium2").neuron_cores_per_device
        8
        """
        dev = self._device_row(name)
        if dev is None:
            raise UnknownNameError(f"unknown device {name!r}: {suggest(name, self._devices)}")
        return dev

    def device_names(self) -> list[str]:
        """Device names, in table order.

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> "H100-SXM-80GB" in load_catalog().device_names()
        True
        """
        return list(self._devices)

    @property
    def devices(self) -> pd.DataFrame:
        """The device table, one row per accelerator.

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> df = load_catalog().devices
        >>> float(df.set_index("device").loc["Inferentia2", "memory"])
        32.0
        """
        import pandas as pd

        return pd.DataFrame([d.to_dict() for d in self._devices.values()])

    def filter(
        self,
        family: str | Iterable[str] | None = None,
        accelerator: str | None = None,
        kind: str | None = None,
        min_total_memory: Any = None,
    ) -> Catalog:
        """The instances matching every given criterion, as a new catalog.

        Parameters
        ----------
        family : str or iterable of str, optional
            Instance family or families, e.g. ``"p5"`` or ``["g6", "g6e"]``.
        accelerator : str, optional
            Case-insensitive substring of the accelerator name, e.g. ``"H100"``.
        kind : {"gpu", "neuron"}, optional
            Accelerator kind.
        min_total_memory : pint.Quantity or str, optional
            Minimum :attr:`Instance.total_accelerator_memory` (vendor figure)
            [any information unit, e.g. ``"1 TB"``].

        Returns
        -------
        Catalog
            Matching instances, with the prices of those instances, the same
            devices and the same default region.

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> load_catalog().filter(kind="neuron", min_total_memory="5 TiB").names()
        ['u-trn2x64', 'trn3-ultraserver-gen1', 'trn3-ultraserver-gen2']
        """
        selected = list(self)
        if family is not None:
            families = {family} if isinstance(family, str) else set(family)
            selected = [i for i in selected if i.family in families]
        if accelerator is not None:
            selected = [i for i in selected if accelerator.lower() in i.accelerator.lower()]
        if kind is not None:
            if kind not in ("gpu", "neuron"):
                raise UnknownNameError(f"unknown accelerator kind {kind!r}: use 'gpu' or 'neuron'")
            selected = [i for i in selected if i.accelerator_kind == kind]
        if min_total_memory is not None:
            try:
                floor = as_quantity(min_total_memory, "GB")
            except Exception as exc:  # pint's parser raises many kinds
                # a bare number, a rate (GB/s) or unparsable text where a size is meant
                raise CatalogError(
                    f"min_total_memory {min_total_memory!r} is not a memory size "
                    f"such as '1 TB' ({str(exc) or type(exc).__name__})"
                ) from None
            if not math.isfinite(floor.magnitude):
                raise CatalogError(f"min_total_memory {min_total_memory!r} is not finite")
            selected = [i for i in selected if i.total_accelerator_memory >= floor]
        names = {i.name for i in selected}
        kept = (p for p in self._prices.values() if p.instance_type in names)
        return self._copy(instances=selected, prices=kept)

    def to_frame(self) -> pd.DataFrame:
        """One row per instance with plain numbers under unit-suffixed columns.

        Adds the price :meth:`price_info` gives in the catalog's region
        (``usd_per_hour``, ``price_note``, ``price_as_of``, ``price_stale``,
        ``price_region``) and ``usd_per_hour_us_east_1`` (NaN where none), and
        ends with each row's provenance: ``confidence``, ``as_of``,
        ``source_url``, ``notes``.

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> df = load_catalog().filter(family="p5").to_frame()
        >>> df[["instance_type", "total_accelerator_memory_GB", "usd_per_hour_us_east_1"]]
          instance_type  total_accelerator_memory_GB  usd_per_hour_us_east_1
        0    p5.4xlarge                         80.0                    6.88
        1   p5.48xlarge                        640.0                   55.04
        >>> df["confidence"].str.startswith("high").all()
        np.True_
        """
        import pandas as pd

        provenance = ("confidence", "as_of", "source_url", "notes")
        rows = []
        for inst in self:
            row = inst.to_dict()
            tail = {k: row.pop(k) for k in provenance}
            info = self.price_info(inst)
            east = info if self._region == "us-east-1" else self.price_info(inst, "us-east-1")
            row["usd_per_hour_us_east_1"] = _nan(east.usd_per_hour)
            row["usd_per_hour"] = _nan(info.usd_per_hour)
            row["price_region"] = info.region
            row["price_note"] = info.note
            row["price_as_of"] = "" if info.as_of is None else info.as_of.isoformat()
            row["price_stale"] = info.stale
            row.update(tail)
            rows.append(row)
        frame = pd.DataFrame(rows)
        if "efa_devices" in frame:  # absent only in an empty catalog
            frame["efa_devices"] = frame["efa_devices"].astype("Int64")
        return frame

    # ------------------------------------------------------------ prices
    def price(
        self, name: str, region: str | None = None, pricing_model: str = "on-demand"
    ) -> Price | None:
        """The price row of an instance in a region under a pricing model.

        Parameters
        ----------
        name : str
            Instance type (any name :meth:`get` resolves).
        region : str, optional
            AWS region code; the catalog's region (``"us-east-1"`` unless
            changed) by default.
        pricing_model : str
            One of :data:`PRICING_MODELS`.

        Returns
        -------
        Price or None
            None when no public price is catalogued for that combination;
            :meth:`prices_for` shows the ``none-public`` row explaining why.
            Your own rows (:meth:`with_prices`) replace shipped ones with the
            same key.

        Raises
        ------
        UnknownNameError
            For an unknown instance type, region or pricing model.

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> cat = load_catalog()
        >>> f"{cat.price('inf2.xlarge').usd_per_hour:~P}", cat.price("trn2.48xlarge")
        ('0.7582 USD/h', None)
        """
        inst = self.get(name)
        if pricing_model not in PRICING_MODELS:
            raise UnknownNameError(
                f"unknown pricing model {pricing_model!r}: {suggest(pricing_model, PRICING_MODELS)}"
            )
        found = self._prices.get((inst.name, self._region_or_default(region), pricing_model))
        return found if found is not None and found.is_public else None

    def prices_for(self, name: str) -> list[Price]:
        """Every price row of an instance, ``none-public`` and your own rows included.

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> rows = load_catalog().prices_for("p5e.48xlarge")
        >>> rows[0].pricing_model, sorted({p.pricing_model for p in rows})
        ('none-public', ['capacity-block', 'none-public'])
        """
        inst = self.get(name)
        return list(self._prices_of.get(inst.name, ()))

    def price_info(self, name: str | Instance, region: str | None = None) -> PriceInfo:
        """The hourly price to use for an instance, with a note saying what it is.

        In order: a price given with the instance (:func:`system` with
        ``usd_per_hour``); your own price rows for the instance and region
        (``negotiated`` first, then ``reserved``, ``savings-plan``,
        ``on-demand``, ``capacity-block``, ``spot``); for a slice, the price of
        the whole instance pro-rated by devices (AWS prices p5.4xlarge at
        exactly 1/8 of p5.48xlarge, but a slice is not a shape AWS sells, so the
        note says "pro-rated"); the shipped On-Demand price; else no price.
        Shipped Capacity Block, spot and other rows are never used here.

        Parameters
        ----------
        name : str or Instance
            An instance, or any name :meth:`get` resolves.
        region : str, optional
            AWS region code; the catalog's region by default.

        Returns
        -------
        PriceInfo
            ``note`` is ``""`` (public and fresh), ``"no public price"``,
            ``"user price"``, a staleness note, or a pro-rating note.

        Raises
        ------
        UnknownNameError
            For an unknown name or region.

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> cat = load_catalog()
        >>> cat.price_info("p5e.48xlarge").usd_per_hour is None
        True
        >>> cat.with_prices({"p5e.48xlarge": 40.0}).price_info("p5e.48xlarge").note
        'user price'
        >>> cat.price_info("p5.48xlarge[2 of 8 GPUs]").usd_per_hour
        13.76
        """
        inst = name if isinstance(name, Instance) else self.get(name)
        reg = self._region_or_default(region)
        if inst.user_usd_per_hour is not None:
            return PriceInfo(
                inst.user_usd_per_hour, "user price", None, "given with the instance", False, reg
            )
        rows = self._prices_of.get(inst.name, ())
        mine = [p for p in rows if p.user and p.is_public and p.region == reg]
        if mine:
            p = min(mine, key=lambda q: _USER_MODEL_ORDER.index(q.pricing_model))
            return _info(p, "user price")
        if inst.slice_of is not None:
            return self._slice_price(inst, reg)
        on_demand = self._prices.get((inst.name, reg, "on-demand"))
        if on_demand is not None and on_demand.is_public:
            stale = is_stale(on_demand.as_of)
            note = (
                f"price as of {on_demand.as_of.isoformat()} is more than {STALE_MONTHS} months old"
                if stale
                else ""
            )
            return _info(on_demand, note)
        none = self._prices.get((inst.name, reg, "none-public"))
        if none is not None:
            return _info(none, "no public price")
        return PriceInfo(None, "no public price", None, None, False, reg)

    def _slice_price(self, inst: Instance, region: str) -> PriceInfo:
        base = self.get(cast(str, inst.slice_of))
        whole = self.price_info(base, region)
        if whole.usd_per_hour is None:
            return whole
        share = inst.accelerator_count / base.accelerator_count
        unit = "chips" if base.is_neuron else "GPUs"
        note = (
            f"pro-rated: {inst.accelerator_count} of {base.accelerator_count} {unit} of {base.name}"
        )
        if whole.note:
            note += f" ({whole.note})"
        return dataclasses.replace(whole, usd_per_hour=whole.usd_per_hour * share, note=note)

    def hourly_price(self, name: str | Instance, region: str | None = None) -> float | None:
        """``price_info(name, region).usd_per_hour`` [USD/hour], or None.

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> load_catalog().hourly_price("g6.xlarge")
        0.8048
        """
        return self.price_info(name, region).usd_per_hour

    @property
    def prices(self) -> pd.DataFrame:
        """The price table: one row per (instance, region, pricing model).

        ``usd_per_hour`` is NaN on ``none-public`` rows; ``user`` marks your own.

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> df = load_catalog().prices
        >>> sorted(df.loc[df.instance_type == "p5.48xlarge", "pricing_model"].unique())
        ['capacity-block', 'on-demand']
        """
        import pandas as pd

        columns = [*_PRICE_COLUMNS, *_PRICE_OPTIONAL, "user"]
        rows = [
            {
                "instance_type": p.instance_type,
                "region": p.region,
                "pricing_model": p.pricing_model,
                "usd_per_hour": _mag(p.usd_per_hour, "USD/hour"),
                "as_of": p.as_of.isoformat(),
                "source_url": p.source_url,
                "location": p.location,
                "confidence": p.confidence,
                "notes": p.notes,
                "user": p.user,
            }
            for p in self._prices.values()
        ]
        return pd.DataFrame(rows, columns=columns)

    def with_prices(
        self,
        table: StrPath | pd.DataFrame | Mapping[str, Any],
        *,
        region: str | None = None,
        pricing_model: str = "negotiated",
    ) -> Catalog:
        """A copy of the catalog with your own prices, which win over the shipped ones.

        Parameters
        ----------
        table : path, pandas.DataFrame or mapping
            A ``prices.csv``-format file or DataFrame (``instance_type`` and
            ``usd_per_hour`` required; ``region``, ``pricing_model``, ``as_of``
            and ``source_url`` default to the arguments below, today and
            ``"user-supplied"`` when the column is absent), or a mapping of
            instance name to USD/hour (a number or a Quantity).
        region : str, optional
            Region of rows that do not name one; the catalog's region by default.
        pricing_model : str
            Pricing model of rows that do not name one.

        Returns
        -------
        Catalog
            Rows with the same ``(instance_type, region, pricing_model)`` as a
            shipped row replace it; :meth:`price_info` prefers any of your
            public rows for an instance and region and notes ``"user price"``.

        Raises
        ------
        CatalogError
            For a bad row (naming the file or table, line or row, and column)
            or an unknown instance name.

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> cat = load_catalog().with_prices({"p5.48xlarge": 40.0})
        >>> cat.price_info("p5.48xlarge").usd_per_hour, cat.price_info("p5.48xlarge").note
        (40.0, 'user price')
        """
        reg = self._region_or_default(region)
        if pricing_model not in PRICING_MODELS:
            raise UnknownNameError(
                f"unknown pricing model {pricing_model!r}: {suggest(pricing_model, PRICING_MODELS)}"
            )
        defaults = {
            "region": reg,
            "pricing_model": pricing_model,
            "as_of": dt.date.today().isoformat(),
            "source_url": "user-supplied",
        }
        rows = _user_price_rows(table, defaults)
        parsed = [_price(row, self._canonical, user=True) for row in rows]
        _csv.check_unique(
            zip(rows, (p.key for p in parsed), strict=True), "price row", "pricing_model"
        )
        merged = dict(self._prices)
        for p in parsed:
            merged[p.key] = p
        return self._copy(prices=merged.values())

    def with_region(self, region: str) -> Catalog:
        """A copy whose :meth:`price_info` uses ``region`` by default.

        Raises
        ------
        UnknownNameError
            For a region not in :data:`REGIONS`.

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> load_catalog().with_region("eu-west-1").price_info("p5.48xlarge").note
        'no public price'
        """
        return self._copy(region=region)

    def _region_or_default(self, region: str | None) -> str:
        return self._region if region is None else _region(region)

    def _canonical(self, name: str) -> str:
        return self.get(name).name

    def stale(self, months: int = STALE_MONTHS, *, today: dt.date | None = None) -> pd.DataFrame:
        """Device, instance and price rows whose ``as_of`` is older than ``months`` months.

        Parameters
        ----------
        months : int
            Age limit [calendar months].
        today : datetime.date, optional
            Reference date; :func:`datetime.date.today` by default.

        Returns
        -------
        pandas.DataFrame
            Columns ``table`` (``devices``, ``instances`` or ``prices``),
            ``name``, ``region``, ``pricing_model``, ``as_of``, ``months_old``
            and ``source_url``, oldest first.

        Examples
        --------
        >>> import datetime as dt
        >>> from llmsizing.catalog import load_catalog
        >>> load_catalog().stale(today=dt.date(2026, 12, 1)).empty
        True
        >>> old = load_catalog().stale(today=dt.date(2028, 1, 1))
        >>> sorted(set(old.table))
        ['devices', 'instances', 'prices']
        """
        import pandas as pd

        day = today or dt.date.today()
        cutoff = months_before(day, months)
        records: list[tuple[str, str, str, str, dt.date, str]] = []
        records += [
            ("devices", d.name, "", "", d.as_of, d.source_url) for d in self._devices.values()
        ]
        records += [("instances", i.name, "", "", i.as_of, i.source_url) for i in self]
        records += [
            ("prices", p.instance_type, p.region, p.pricing_model, p.as_of, p.source_url)
            for p in self._prices.values()
        ]
        rows = [
            {
                "table": table,
                "name": name,
                "region": region,
                "pricing_model": model,
                "as_of": as_of.isoformat(),
                "months_old": round((day - as_of).days / (365.25 / 12), 1),
                "source_url": source,
            }
            for table, name, region, model, as_of, source in records
            if as_of < cutoff
        ]
        columns = ["table", "name", "region", "pricing_model", "as_of", "months_old", "source_url"]
        frame = pd.DataFrame(rows, columns=columns)
        return frame.sort_values(["as_of", "table", "name"], kind="stable").reset_index(drop=True)


def _nan(value: float | None) -> float:
    return math.nan if value is None else value


def _info(p: Price, note: str) -> PriceInfo:
    return PriceInfo(
        p.hourly, note, p.as_of, p.source_url, is_stale(p.as_of), p.region, p.pricing_model
    )


def _region(region: str) -> str:
    if region not in REGIONS:
        raise UnknownNameError(f"unknown AWS region {region!r}: {suggest(region, REGIONS)}")
    return region


#: Columns of :meth:`Catalog._repr_html_`, one line per instance.
_HTML_COLUMNS = (
    "instance_type",
    "accelerator",
    "accelerator_count",
    "accelerator_memory",
    "accelerator_memory_unit",
    "memory_bandwidth_TBps",
    "dense_bf16_TFLOPS",
    "usd_per_hour",
    "confidence",
    "as_of",
)


# --------------------------------------------------------------------- public functions
def system(
    name: str,
    count: int | None = None,
    *,
    usd_per_hour: float | None = None,
    catalog: Catalog | None = None,
) -> Instance:
    """An instance made of ``count`` devices, or a slice of ``count`` devices of an instance.

    Parameters
    ----------
    name : str
        A device of ``devices.csv`` (``"H100-SXM-80GB"``, ``"Trainium2"``
        ...): the result is ``count`` such devices, named
        ``"4xH100-SXM-80GB"``, linked by the device's interconnect, with no
        host modelled. Or an instance type (any name :meth:`Catalog.get`
        resolves): the result is ``count`` of its devices, named
        ``"p5.48xlarge[2 of 8 GPUs]"``, with host resources pro-rated (the
        whole instance when ``count`` is its device count).
    count : int, optional
        Devices, at least 1. Default: one device, or all of an instance's
        (``system("4xH100-SXM-80GB")`` is the four-GPU system).
    usd_per_hour : float, optional
        Price to attach [USD/hour]; :meth:`Catalog.price_info` returns it as a
        ``"user price"``. Without it a device system has no price and a slice
        gets its instance's price pro-rated by devices.
    catalog : Catalog, optional
        Where to look names up; :func:`load_catalog` by default.

    Returns
    -------
    Instance

    Raises
    ------
    CatalogError
        If ``count`` is not a whole number from 1 to the instance's device
        count (the message says how many it has), or ``usd_per_hour`` is
        negative or not finite.
    UnknownNameError
        For a name that is neither a device nor an instance, with suggestions.

    Examples
    --------
    >>> from llmsizing.catalog import load_catalog, system
    >>> four = system("H100-SXM-80GB", 4)
    >>> four.name, f"{four.total_accelerator_memory:~P}"
    ('4xH100-SXM-80GB', '320.0 GB')
    >>> half = system("p5.48xlarge", 4)
    >>> half.name, half.vcpus, load_catalog().hourly_price(half)
    ('p5.48xlarge[4 of 8 GPUs]', 96, 27.52)
    """
    if count is not None and (isinstance(count, bool) or not isinstance(count, int)):
        raise CatalogError(f"count must be a whole number of devices, got {count!r}")
    cat = catalog or load_catalog()
    dev = None if cat._row(name) is not None else cat._device_row(name)
    if dev is not None:
        inst = cat._device_system(dev, 1 if count is None else count)
    else:
        base = cat.get(name)
        inst = cat._slice(base, base.accelerator_count if count is None else count)
    if usd_per_hour is not None:
        value = float(usd_per_hour)
        if not math.isfinite(value) or value < 0:
            raise CatalogError(f"usd_per_hour must be a finite price >= 0, got {usd_per_hour!r}")
        inst = dataclasses.replace(inst, user_usd_per_hour=value)
    return inst


def as_instance(instance: Instance | str, catalog: Catalog | None = None) -> Instance:
    """The instance itself, or the catalog row / system / slice a name resolves to.

    Call this once at a public boundary; later code reads the Instance.

    Parameters
    ----------
    instance : Instance or str
        An :class:`Instance` (returned unchanged) or a name :meth:`Catalog.get`
        resolves.
    catalog : Catalog, optional
        Where to look names up; :func:`load_catalog` by default.

    Raises
    ------
    UnknownNameError
        For an unknown name.
    CatalogError
        For anything else than an Instance or a string.

    Examples
    --------
    >>> from llmsizing.catalog import as_instance
    >>> as_instance("ml.g6e.xlarge").accelerator_count
    1
    """
    if isinstance(instance, Instance):
        return instance
    if isinstance(instance, str):
        return (catalog or load_catalog()).get(instance)
    raise CatalogError(f"expected an Instance or an instance name, got {type(instance).__name__}")


def load_catalog(
    extra_csv: StrPath | None = None,
    prices_csv: StrPath | None = None,
    *,
    prices: StrPath | pd.DataFrame | Mapping[str, Any] | None = None,
    region: str = DEFAULT_REGION,
    devices_csv: StrPath | None = None,
) -> Catalog:
    """Load the shipped catalog, optionally extended by your own tables.

    Parameters
    ----------
    extra_csv : str or path-like, optional
        An ``instances.csv``-format file. A row whose ``instance_type`` is
        already catalogued replaces that row; other rows are added. A row may
        name a ``device`` (shipped or from ``devices_csv``) and leave its
        per-device cells blank.
    prices_csv : str or path-like, optional
        A ``prices.csv``-format file of your own prices (kept for
        compatibility; the same as ``prices``).
    prices : path, pandas.DataFrame or mapping, optional
        Your own prices, as for :meth:`Catalog.with_prices`.
    region : str
        Default region of :meth:`Catalog.price_info` and of user price rows
        that name none.
    devices_csv : str or path-like, optional
        A ``devices.csv``-format file; rows replace or add devices.

    Returns
    -------
    Catalog

    Raises
    ------
    CatalogError
        If a file is missing, empty, too large, lacks a required column, or has
        a bad value; the message names the file, line and column.

    Examples
    --------
    >>> from llmsizing.catalog import load_catalog
    >>> cat = load_catalog()
    >>> len(cat) >= 70, cat.get("u-trn2x64").nodes
    (True, 4)
    """
    plain = (extra_csv, prices_csv, prices, devices_csv) == (None, None, None, None)
    if plain and region in _PLAIN:
        return _PLAIN[region]  # catalogs are immutable: the shipped one is built once
    shipped_devices, shipped_instances, shipped_prices = _shipped()
    devices = {d.name: d for d in shipped_devices}
    if devices_csv is not None:
        for dev in _parse_devices(_csv.read_file(devices_csv), str(devices_csv)):
            devices[dev.name] = dev
    instances = {inst.name: inst for inst in shipped_instances}
    if extra_csv is not None:
        for inst in _parse_instances(_csv.read_file(extra_csv), str(extra_csv), devices):
            instances[inst.name] = inst
    cat = Catalog(instances.values(), shipped_prices, devices.values(), region)
    if prices_csv is not None:
        cat = cat.with_prices(prices_csv)
    if prices is not None:
        cat = cat.with_prices(prices)
    if plain:
        _PLAIN[region] = cat
    return cat


_PLAIN: dict[str, Catalog] = {}


# --------------------------------------------------------------------- loading
@functools.lru_cache(maxsize=1)
def _shipped() -> tuple[tuple[Device, ...], tuple[Instance, ...], tuple[Price, ...]]:
    data = files("llmsizing") / "data"

    def read(name: str) -> str:
        return (data / name).read_text(encoding="utf-8")

    devices = _parse_devices(read("devices.csv"), "llmsizing/data/devices.csv")
    by_name = {d.name: d for d in devices}
    instances = _parse_instances(read("instances.csv"), "llmsizing/data/instances.csv", by_name)
    resolver = Catalog(instances, (), devices)
    source = "llmsizing/data/prices.csv"
    rows = _csv.read_rows(read("prices.csv"), source, _PRICE_COLUMNS, _PRICE_OPTIONAL)
    prices = [_price(row, resolver._canonical, user=False) for row in rows]
    _csv.check_unique(zip(rows, (p.key for p in prices), strict=True), "price row", "pricing_model")
    return tuple(devices), tuple(instances), tuple(prices)


def _parse_devices(text: str, source: str) -> list[Device]:
    required = tuple(c for c in _DEVICE_COLUMNS if c not in _DEVICE_LATER)
    rows = _csv.read_rows(text, source, required, (*_DEVICE_LATER, *_DEVICE_OPTIONAL))
    _csv.check_unique(((r, r.raw("device").lower()) for r in rows), "device", "device")
    return [_device(row) for row in rows]


def _parse_instances(text: str, source: str, devices: Mapping[str, Device]) -> list[Instance]:
    # a row may leave its per-device columns to a device, so they are optional
    # when the header has a ``device`` column
    header = next(iter(text.splitlines()), "")
    with_devices = "device" in {h.strip() for h in header.split(",")}
    required = (
        tuple(c for c in _INSTANCE_COLUMNS if c not in _DEVICE_SPEC_COLUMNS)
        if with_devices
        else _INSTANCE_COLUMNS
    )
    optional = tuple(c for c in (*_INSTANCE_COLUMNS, *_INSTANCE_OPTIONAL) if c not in required)
    rows = _csv.read_rows(text, source, required, optional)
    _csv.check_unique(((r, r.raw("instance_type")) for r in rows), "instance_type", "instance_type")
    return [_instance(row, devices) for row in rows]


def _user_price_rows(
    table: StrPath | pd.DataFrame | Mapping[str, Any], defaults: Mapping[str, str]
) -> list[Row]:
    """Rows of a user price table with absent columns filled from ``defaults``."""
    optional = (*_PRICE_COLUMNS, *_PRICE_OPTIONAL)
    required = ("instance_type", "usd_per_hour")
    if isinstance(table, Mapping):
        if not table:
            raise CatalogError("user prices: the mapping is empty")
        rows = []
        for i, (name, usd) in enumerate(table.items()):
            try:
                value = as_quantity(usd, "USD/hour") if not isinstance(usd, int | float) else None
            except Exception:  # pint raises several kinds
                raise CatalogError(
                    f"user prices, entry {i} ({name!r}): {usd!r} is not a price in USD/hour"
                ) from None
            cell = repr(float(usd)) if value is None else repr(float(value.magnitude))
            values = {"instance_type": str(name), "usd_per_hour": cell}
            rows.append(Row("user prices", i, values, unit="entry"))
    elif _is_frame(table):
        buffer = io.StringIO()
        cast(Any, table).to_csv(buffer, index=False)
        parsed = _csv.read_rows(buffer.getvalue(), "user price DataFrame", required, optional)
        rows = [Row(r.source, r.line - 2, r.values, unit="row") for r in parsed]
    elif isinstance(table, str | PathLike):
        rows = _csv.read_rows(_csv.read_file(table), str(table), required, optional)
    else:
        raise CatalogError(
            "user prices must be a CSV path, a pandas DataFrame or a mapping of instance "
            f"name to USD/hour, got {type(table).__name__}"
        )
    return [dataclasses.replace(r, values={**defaults, **r.values}) for r in rows]


def _is_frame(value: object) -> bool:
    return type(value).__name__ == "DataFrame" and hasattr(value, "to_csv")


# --------------------------------------------------------------------- rows
def _device(row: Row) -> Device:
    kind = cast(Kind, _csv.choice(row, "accelerator_kind", ("gpu", "neuron")))
    unit = _csv.choice(row, "memory_unit", MEMORY_UNITS)
    cores = cast(int, _csv.count(row, "neuron_cores_per_device", allow_zero=True))
    _check_cores(row, "neuron_cores_per_device", kind, cores)
    memory = _csv.quantity(row, "memory", unit)
    usable = _csv.quantity(row, "memory_usable_GiB", "GiB", required=False)
    bandwidth = _csv.quantity(row, "memory_bandwidth_TBps", "TB/s")
    _check_plausible(
        row, memory, usable, bandwidth, ("memory", "memory_usable_GiB", "memory_bandwidth_TBps")
    )
    visible = _csv.quantity(row, "cuda_visible_GiB", "GiB", required=False)
    if visible is not None:
        if kind != "gpu":
            raise row.error("cuda_visible_GiB", "is a GPU figure: blank for a Neuron device")
        # the CUDA-visible total lies at or below what nvidia-smi / rocm-smi report
        stated_unit = f"{memory.units:~P}"
        binary = ureg.Quantity(memory.magnitude, _BINARY_UNIT.get(stated_unit, stated_unit))
        ceiling = usable if usable is not None else binary
        if visible > ceiling:
            raise row.error("cuda_visible_GiB", f"{visible:~P} exceeds the usable {ceiling:.2f~P}")
        if visible < _MIN_USABLE_SHARE * ceiling:
            raise row.error(
                "cuda_visible_GiB", f"{visible:~P} is under half the usable {ceiling:.2f~P}"
            )
    return Device(
        name=_csv.text(row, "device"),
        accelerator=_csv.text(row, "accelerator"),
        vendor=_csv.text(row, "vendor"),
        kind=kind,
        memory=memory,
        stated_usable_memory=usable,
        memory_bandwidth=bandwidth,
        dense_bf16=_csv.quantity(row, "dense_bf16_TFLOPS", "TFLOPS"),
        dense_fp8=_csv.quantity(row, "dense_fp8_TFLOPS", "TFLOPS", False),
        dense_fp4=_csv.quantity(row, "dense_fp4_TFLOPS", "TFLOPS", False),
        dense_int8=_csv.quantity(row, "dense_int8_TOPS", "TFLOPS", False),
        neuron_cores_per_device=cores,
        interconnect=_csv.text(row, "interconnect"),
        interconnect_bandwidth=_csv.quantity(row, "interconnect_GBps", "GB/s", False),
        source_url=_csv.text(row, "source_url"),
        as_of=_csv.date(row, "as_of"),
        confidence=_csv.text(row, "confidence", required=False),
        notes=_csv.text(row, "notes", required=False),
        cuda_visible_memory=visible,
    )


def _check_cores(row: Row, column: str, kind: str, cores: int, origin: str = "") -> None:
    if (kind == "gpu") != (cores == 0):
        expected = "0 for a GPU" if kind == "gpu" else "at least 1 for a Neuron device"
        raise row.error(column, f"must be {expected}{origin}")


def _check_plausible(
    row: Row,
    memory: Any,
    usable: Any,
    bandwidth: Any,
    columns: tuple[str, str, str],
    origin: str = "",
) -> None:
    """Per-device memory and bandwidth within physical ranges; usable within stated."""
    mem_col, usable_col, bw_col = columns
    low, high = _DEVICE_MEMORY_RANGE
    if not low <= memory <= high:
        raise row.error(
            mem_col, f"{memory:~P} per device is outside the plausible 1 GB to 2 TB{origin}"
        )
    low, high = _DEVICE_BANDWIDTH_RANGE
    if not low <= bandwidth <= high:
        raise row.error(
            bw_col,
            f"{bandwidth:~P} per device is outside the plausible 10 GB/s to 100 TB/s{origin}",
        )
    if usable is None:
        return
    stated_unit = f"{memory.units:~P}"
    binary = ureg.Quantity(memory.magnitude, _BINARY_UNIT.get(stated_unit, stated_unit))
    if usable > binary:
        raise row.error(
            usable_col,
            f"usable {usable:~P} exceeds the stated {memory:~P} even read as {binary:~P}{origin}",
        )
    if usable < _MIN_USABLE_SHARE * memory:
        raise row.error(
            usable_col, f"usable {usable:~P} is under half the stated {memory:~P}{origin}"
        )


def _instance_device(row: Row, devices: Mapping[str, Device]) -> Device | None:
    name = row.raw("device")
    if not name:
        return None
    dev = devices.get(name)
    if dev is None:
        raise row.error("device", f"unknown device: {suggest(name, devices)}")
    return dev


def _share(row: Row, dev: Device | None) -> float:
    if not row.has("device_share"):
        return 1.0
    share = cast(float, _csv.number(row, "device_share"))
    if share > 1:
        raise row.error("device_share", "must be a fraction of one device (0 < share <= 1)")
    if dev is None:
        raise row.error("device_share", "needs a device to take a share of")
    if dev.kind != "gpu" and share != 1:
        raise row.error("device_share", "fractional devices are GPU partitions only")
    return share


def _spec(
    row: Row,
    column: str,
    unit: str,
    inherited: Any,
    dev: Device | None,
    required: bool,
) -> Any:
    """A per-device figure: the row's cell, else the device's (already scaled)."""
    if row.has(column) or dev is None:
        return _csv.quantity(row, column, unit, required)
    return inherited


def _origin(dev: Device | None, share: float) -> str:
    """Suffix for errors about a figure taken from a device."""
    if dev is None:
        return ""
    return f" (from device {dev.name}" + (f" x {share:g})" if share != 1 else ")")


def _instance(row: Row, devices: Mapping[str, Device]) -> Instance:
    dev = _instance_device(row, devices)
    share = _share(row, dev)
    if row.has("accelerator_kind") or dev is None:
        kind = cast(Kind, _csv.choice(row, "accelerator_kind", ("gpu", "neuron")))
    else:
        kind = dev.kind
    if row.has("accelerator_memory") or dev is None:
        if row.has("accelerator_memory_unit") or dev is None:
            unit = _csv.choice(row, "accelerator_memory_unit", MEMORY_UNITS)
        else:
            unit = f"{dev.memory.units:~P}"
        memory = _csv.quantity(row, "accelerator_memory", unit)
    else:
        memory = dev.memory * share
    if row.has("neuron_cores_per_device") or dev is None:
        cores = cast(int, _csv.count(row, "neuron_cores_per_device", allow_zero=True))
        _check_cores(row, "neuron_cores_per_device", kind, cores)
    else:
        cores = dev.neuron_cores_per_device
        _check_cores(row, "neuron_cores_per_device", kind, cores, _origin(dev, share))

    def spec(column: str, unit: str, attr: str, required: bool = False) -> Any:
        inherited = None if dev is None else _scaled(getattr(dev, attr), share)
        return _spec(row, column, unit, inherited, dev, required)

    usable = spec("accelerator_memory_usable_GiB", "GiB", "stated_usable_memory")
    bandwidth = spec("memory_bandwidth_TBps", "TB/s", "memory_bandwidth", required=True)
    columns = ("accelerator_memory", "accelerator_memory_usable_GiB", "memory_bandwidth_TBps")
    inherited = not all(row.has(c) for c in columns if c != columns[1])
    origin = _origin(dev, share) if inherited else ""
    _check_plausible(row, memory, usable, bandwidth, columns, origin)
    efa = _csv.flag(row, "efa")
    efa_devices = _csv.count(row, "efa_devices", required=False, allow_zero=True)
    if efa_devices is not None and efa != (efa_devices > 0):
        raise row.error("efa_devices", f"must be {'at least 1' if efa else '0'} when efa is {efa}")
    if row.has("accelerator") or dev is None:
        accelerator = _csv.text(row, "accelerator")
    else:
        accelerator = dev.accelerator
    return Instance(
        name=_csv.text(row, "instance_type"),
        family=_csv.text(row, "family"),
        accelerator=accelerator,
        accelerator_kind=kind,
        accelerator_count=cast(int, _csv.count(row, "accelerator_count")),
        accelerator_memory=memory,
        stated_usable_memory=usable,
        memory_bandwidth=bandwidth,
        dense_bf16=spec("dense_bf16_TFLOPS", "TFLOPS", "dense_bf16", required=True),
        dense_fp8=spec("dense_fp8_TFLOPS", "TFLOPS", "dense_fp8"),
        dense_fp4=spec("dense_fp4_TFLOPS", "TFLOPS", "dense_fp4"),
        dense_int8=spec("dense_int8_TOPS", "TFLOPS", "dense_int8"),
        neuron_cores_per_device=cores,
        interconnect=_csv.text(row, "interconnect"),
        interconnect_bandwidth=_csv.quantity(row, "interconnect_GBps_per_device", "GB/s", False),
        network_bandwidth=_csv.quantity(row, "network_Gbps", "Gbps"),
        efa=efa,
        efa_devices=efa_devices,
        nodes=cast(int, _csv.count(row, "nodes")),
        vcpus=cast(int, _csv.count(row, "vcpus")),
        host_memory=_csv.quantity(row, "host_memory_GiB", "GiB", False),
        local_nvme=_csv.quantity(row, "local_nvme_GB", "GB", False, allow_zero=True),
        source_url=_csv.text(row, "source_url"),
        as_of=_csv.date(row, "as_of"),
        notes=_csv.text(row, "notes", required=False),
        device=None if dev is None else dev.name,
        device_share=share,
        confidence=_csv.text(row, "confidence", required=False),
        # a row that states its own usable memory (a vGPU slice) is not the device's
        # CUDA-visible total; the engine falls back to its visible offset there
        cuda_visible_memory=None
        if dev is None or row.has("accelerator_memory_usable_GiB")
        else _scaled(dev.cuda_visible_memory, share),
    )


def _price(row: Row, canonical: Callable[[str], str], *, user: bool) -> Price:
    raw_name = _csv.text(row, "instance_type")
    try:
        name = canonical(raw_name)
    except UnknownNameError as exc:
        hint = str(exc).split(": ", 1)[-1]
        raise row.error("instance_type", f"unknown instance type: {hint}") from None
    except CatalogError as exc:
        raise row.error("instance_type", str(exc)) from None
    model = _csv.choice(row, "pricing_model", PRICING_MODELS)
    if model == "none-public":
        if row.raw("usd_per_hour"):
            raise row.error("usd_per_hour", "must be blank when pricing_model is none-public")
        usd = None
    else:
        usd = _csv.quantity(row, "usd_per_hour", "USD/hour", allow_zero=True)
    as_of = _csv.date(row, "as_of")
    source_url = _csv.text(row, "source_url")
    region = _csv.choice(row, "region", REGIONS)
    return Price(
        instance_type=name,
        region=region,
        pricing_model=model,
        usd_per_hour=usd,
        as_of=as_of,
        source_url=source_url,
        notes=_csv.text(row, "notes", required=False),
        location=_csv.text(row, "location", required=False),
        confidence=_csv.text(row, "confidence", required=False),
        user=user,
    )
