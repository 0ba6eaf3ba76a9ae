"""AWS accelerator instances: per-device specs, instance aggregates and prices, with units.

The catalog is two CSV files shipped in ``llmsizing/data``:

``instances.csv``
    One row per instance type (or UltraServer). Figures are **per device**
    (one GPU, or one Inferentia/Trainium chip); :class:`Instance` derives the
    instance totals, so an aggregate such as "inf2.48xlarge has 384 GiB" is
    always ``accelerator_count x per-device value``. Column names carry their
    unit (``memory_bandwidth_TBps``, ``network_Gbps``, ...).
``prices.csv``
    USD per hour by instance type, region and pricing model (``on-demand``,
    ``capacity-block``, ``spot``, ...). Instances without any public price have
    an explicit ``none-public`` row, so a result can say "no public price"
    instead of leaving a silent gap.

Accelerator memory is kept in the unit the vendor states: 80 GB for an H100,
141 GB for an H200, 32 GiB for Inferentia2. The figure software actually sees
(``nvidia-smi``, Neuron runtime) is a separate column in GiB and is what a
sizing calculation should budget from. ``CATALOG_NOTES.md`` next to the CSV
files records which source won where sources disagree.

Every row carries a source URL and an as-of date. Loading any CSV (shipped or
your own) validates every value and raises :class:`~llmsizing.errors.CatalogError`
naming the file, line and column of the first bad value.

Examples
--------
>>> from llmsizing.catalog import load_catalog
>>> cat = load_catalog()
>>> inst = cat.get("inf2.48xlarge")
>>> inst.accelerator_count, f"{inst.total_accelerator_memory:~P}"
(12, '384.0 GiB')
>>> cat.hourly_price("p5.48xlarge")
55.04
>>> cat.price("p5e.48xlarge") is None  # sold through Capacity Blocks only
True
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import html
import io
import math
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib.resources import files
from os import PathLike
from pathlib import Path
from typing import Any, Literal, cast

import pandas as pd

from llmsizing.errors import CatalogError, UnknownNameError, suggest
from llmsizing.units import as_quantity, ureg

__all__ = [
    "DENSE_DTYPES",
    "PRICING_MODELS",
    "Catalog",
    "Instance",
    "Price",
    "load_catalog",
]

Kind = Literal["gpu", "neuron"]
StrPath = str | PathLike[str]

#: Memory units accepted in ``accelerator_memory_unit``.
MEMORY_UNITS: tuple[str, ...] = ("GB", "GiB", "MB", "MiB", "TB", "TiB")

#: Pricing models accepted in ``prices.csv``; ``none-public`` marks "no public price".
PRICING_MODELS: tuple[str, ...] = (
    "on-demand",
    "capacity-block",
    "spot",
    "reserved",
    "savings-plan",
    "negotiated",
    "none-public",
)

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
_PRICE_COLUMNS: tuple[str, ...] = (
    "instance_type",
    "region",
    "pricing_model",
    "usd_per_hour",
    "as_of",
    "source_url",
)
_OPTIONAL_COLUMNS: tuple[str, ...] = ("notes",)


# --------------------------------------------------------------------- records
@dataclass(frozen=True, repr=False)
class Instance:
    """One AWS instance type (or UltraServer) with per-device accelerator specs.

    Quantities are :class:`pint.Quantity` from :data:`llmsizing.units.ureg`.
    Per-device attributes describe one GPU or one Neuron chip; the ``total_*``
    and ``peak_*`` members multiply by :attr:`accelerator_count`. For an
    UltraServer row (``nodes > 1``) vCPU, host memory, NVMe and network are
    totals over its nodes.

    Attributes
    ----------
    name : str
        AWS instance type, e.g. ``"p5.48xlarge"`` (a catalog slug where AWS
        published none).
    family : str
        Instance family, e.g. ``"p5"``.
    accelerator : str
        Accelerator model as marketed.
    accelerator_kind : {"gpu", "neuron"}
        NVIDIA GPU or AWS Neuron device (Inferentia/Trainium).
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
        Instance network bandwidth [Gbps] (baseline for burstable sizes).
    efa : bool
        Elastic Fabric Adapter supported.
    efa_devices : int or None
        EFA interfaces, None where not published.
    nodes : int
        EC2 instances that make up this row (1, or e.g. 4 for ``u-trn2x64``).
    vcpus : int
        Host vCPUs.
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
        key = dtype.lower()
        if key not in _DTYPE_COLUMN:
            raise UnknownNameError(f"unknown precision {dtype!r}: {suggest(dtype, DENSE_DTYPES)}")
        column = _DTYPE_COLUMN[key]
        return None if column is None else getattr(self, f"dense_{column}")

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
            "source_url": self.source_url,
            "as_of": self.as_of.isoformat(),
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
        AWS instance type.
    region : str
        AWS region code, e.g. ``"us-east-1"``.
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

    Examples
    --------
    >>> from llmsizing.catalog import load_catalog
    >>> p = load_catalog().price("p5.48xlarge", "us-east-1", "capacity-block")
    >>> f"{p.usd_per_hour:~P}", p.as_of.isoformat()
    ('39.33 USD/h', '2024-12-31')
    """

    instance_type: str
    region: str
    pricing_model: str
    usd_per_hour: Any
    as_of: dt.date
    source_url: str
    notes: str = ""

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


# --------------------------------------------------------------------- catalog
class Catalog:
    """A set of :class:`Instance` records and their prices.

    Build one with :func:`load_catalog`. A catalog is read-only;
    :meth:`filter` returns a new, smaller one.

    Parameters
    ----------
    instances : iterable of Instance
        Instance records; names must be unique.
    prices : iterable of Price
        Price records; ``(instance_type, region, pricing_model)`` must be unique.

    Examples
    --------
    >>> from llmsizing.catalog import load_catalog
    >>> cat = load_catalog()
    >>> "p5.48xlarge" in cat, len(cat.filter(family="g6e"))
    (True, 8)
    """

    def __init__(self, instances: Iterable[Instance], prices: Iterable[Price] = ()) -> None:
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
        return str(self.to_frame().to_html(index=False, na_rep=""))

    def get(self, name: str) -> Instance:
        """Look up one instance type.

        Parameters
        ----------
        name : str
            Instance type, e.g. ``"inf2.8xlarge"`` (case-insensitive).

        Returns
        -------
        Instance

        Raises
        ------
        UnknownNameError
            If the name is not in the catalog; the message suggests the
            nearest names.

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> load_catalog().get("inf2.8xlarge").accelerator_count
        1
        """
        if name in self._instances:
            return self._instances[name]
        by_lower = {n.lower(): inst for n, inst in self._instances.items()}
        if name.lower() in by_lower:
            return by_lower[name.lower()]
        raise UnknownNameError(f"unknown instance type {name!r}: {suggest(name, self._instances)}")

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
            Matching instances, with the prices of those instances.

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
        return Catalog(selected, (p for p in self._prices.values() if p.instance_type in names))

    def to_frame(self) -> pd.DataFrame:
        """One row per instance with plain numbers under unit-suffixed columns.

        Adds ``usd_per_hour_us_east_1`` (On-Demand; NaN where none is public).

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> df = load_catalog().filter(family="p5").to_frame()
        >>> df[["instance_type", "total_accelerator_memory_GB", "usd_per_hour_us_east_1"]]
          instance_type  total_accelerator_memory_GB  usd_per_hour_us_east_1
        0    p5.4xlarge                         80.0                    6.88
        1   p5.48xlarge                        640.0                   55.04
        """
        rows = []
        for inst in self:
            row = inst.to_dict()
            hourly = self.hourly_price(inst.name)
            row["usd_per_hour_us_east_1"] = math.nan if hourly is None else hourly
            rows.append(row)
        frame = pd.DataFrame(rows)
        if "efa_devices" in frame:  # absent only in an empty catalog
            frame["efa_devices"] = frame["efa_devices"].astype("Int64")
        return frame

    def price(
        self, name: str, region: str = "us-east-1", pricing_model: str = "on-demand"
    ) -> Price | None:
        """The price of an instance in a region under a pricing model.

        Parameters
        ----------
        name : str
            Instance type.
        region : str
            AWS region code.
        pricing_model : str
            One of :data:`PRICING_MODELS`.

        Returns
        -------
        Price or None
            None when no public price is catalogued for that combination;
            :meth:`prices_for` shows the ``none-public`` row explaining why.

        Raises
        ------
        UnknownNameError
            For an unknown instance type or pricing model.

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
        found = self._prices.get((inst.name, region, pricing_model))
        return found if found is not None and found.is_public else None

    def prices_for(self, name: str) -> list[Price]:
        """Every price row of an instance, ``none-public`` rows included.

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> [(p.region, p.pricing_model) for p in load_catalog().prices_for("p5e.48xlarge")]
        [('us-east-1', 'none-public'), ('us-east-2', 'capacity-block')]
        """
        inst = self.get(name)
        return [p for p in self._prices.values() if p.instance_type == inst.name]

    def hourly_price(self, name: str) -> float | None:
        """us-east-1 On-Demand price [USD/hour] as a plain float, or None.

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> load_catalog().hourly_price("g6.xlarge")
        0.8048
        """
        found = self.price(name)
        return None if found is None else float(found.usd_per_hour.to("USD/hour").magnitude)

    @property
    def prices(self) -> pd.DataFrame:
        """The price table: one row per (instance, region, pricing model).

        ``usd_per_hour`` is NaN on ``none-public`` rows.

        Examples
        --------
        >>> from llmsizing.catalog import load_catalog
        >>> df = load_catalog().prices
        >>> sorted(df.loc[df.instance_type == "p5.48xlarge", "pricing_model"].unique())
        ['capacity-block', 'on-demand']
        """
        columns = [*_PRICE_COLUMNS, "notes"]
        rows = [
            {
                "instance_type": p.instance_type,
                "region": p.region,
                "pricing_model": p.pricing_model,
                "usd_per_hour": _mag(p.usd_per_hour, "USD/hour"),
                "as_of": p.as_of.isoformat(),
                "source_url": p.source_url,
                "notes": p.notes,
            }
            for p in self._prices.values()
        ]
        return pd.DataFrame(rows, columns=columns)


def load_catalog(extra_csv: StrPath | None = None, prices_csv: StrPath | None = None) -> Catalog:
    """Load the shipped instance catalog, optionally extended by your own CSV files.

    Parameters
    ----------
    extra_csv : str or path-like, optional
        An ``instances.csv``-format file. A row whose ``instance_type`` is
        already catalogued replaces that row; other rows are added.
    prices_csv : str or path-like, optional
        A ``prices.csv``-format file (e.g. negotiated rates). A row whose
        ``(instance_type, region, pricing_model)`` is already catalogued
        replaces that price; other rows are added.

    Returns
    -------
    Catalog

    Raises
    ------
    CatalogError
        If a file is missing, empty, lacks a required column, or has a bad
        value; the message names the file, line and column.

    Examples
    --------
    >>> from llmsizing.catalog import load_catalog
    >>> cat = load_catalog()
    >>> len(cat) >= 50, cat.get("u-trn2x64").nodes
    (True, 4)
    """
    shipped_instances, shipped_prices = _shipped()
    instances = {inst.name: inst for inst in shipped_instances}
    if extra_csv is not None:
        for inst in _parse_instances(_read_user_file(extra_csv), str(extra_csv)):
            instances[inst.name] = inst
    prices = {p.key: p for p in shipped_prices}
    if prices_csv is not None:
        for price in _parse_prices(_read_user_file(prices_csv), str(prices_csv), instances):
            prices[price.key] = price
    return Catalog(instances.values(), prices.values())


# --------------------------------------------------------------------- loading
@functools.lru_cache(maxsize=1)
def _shipped() -> tuple[tuple[Instance, ...], tuple[Price, ...]]:
    data = files("llmsizing") / "data"
    instances = _parse_instances(
        (data / "instances.csv").read_text(encoding="utf-8"), "llmsizing/data/instances.csv"
    )
    known = {inst.name for inst in instances}
    prices = _parse_prices(
        (data / "prices.csv").read_text(encoding="utf-8"), "llmsizing/data/prices.csv", known
    )
    return tuple(instances), tuple(prices)


def _read_user_file(path: StrPath) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read file ({exc.strerror or exc})") from exc


@dataclass(frozen=True)
class _Row:
    """One CSV data row with where it came from, for error messages."""

    source: str
    line: int
    values: dict[str, str]

    def raw(self, column: str) -> str:
        return self.values.get(column, "").strip()

    def error(self, column: str, problem: str) -> CatalogError:
        return CatalogError(
            f"{self.source}, line {self.line}, column {column!r}: {problem} "
            f"(got {self.raw(column)!r})"
        )


def _read_rows(text: str, source: str, required: Sequence[str]) -> list[_Row]:
    """Split CSV text into rows, checking the header and the field counts."""
    if not text.strip():
        raise CatalogError(f"{source}: file is empty (expected a header row and data rows)")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    known = (*required, *_OPTIONAL_COLUMNS)
    missing = [c for c in required if c not in header]
    if missing:
        raise CatalogError(f"{source}: missing required column(s) {', '.join(missing)}")
    for column in header:
        if column not in known:
            raise CatalogError(f"{source}: unknown column {column!r}: {suggest(column, known)}")
    rows = []
    for record in reader:
        row = _Row(source, reader.line_num, {k: v or "" for k, v in record.items() if k})
        if None in record:
            raise CatalogError(
                f"{source}, line {row.line}: row has more fields than the header "
                f"({len(header)} columns)"
            )
        rows.append(row)
    if not rows:
        raise CatalogError(f"{source}: has a header but no data rows")
    return rows


def _check_unique(rows: Iterable[tuple[_Row, Any]], what: str, column: str) -> None:
    first_line: dict[Any, int] = {}
    for row, key in rows:
        if key in first_line:
            raise row.error(column, f"duplicate {what} (first on line {first_line[key]})")
        first_line[key] = row.line


def _parse_instances(text: str, source: str) -> list[Instance]:
    rows = _read_rows(text, source, _INSTANCE_COLUMNS)
    _check_unique(((r, r.raw("instance_type")) for r in rows), "instance_type", "instance_type")
    return [_instance(row) for row in rows]


def _parse_prices(text: str, source: str, known: Collection[str]) -> list[Price]:
    rows = _read_rows(text, source, _PRICE_COLUMNS)
    prices = [_price(row, known) for row in rows]
    _check_unique(zip(rows, (p.key for p in prices), strict=True), "price row", "pricing_model")
    return prices


# --------------------------------------------------------------------- fields
def _text(row: _Row, column: str, required: bool = True) -> str:
    value = row.raw(column)
    if required and not value:
        raise row.error(column, "is required")
    return value


def _number(
    row: _Row, column: str, required: bool = True, allow_zero: bool = False
) -> float | None:
    raw = row.raw(column)
    if not raw:
        if required:
            raise row.error(column, "is required")
        return None
    try:
        value = float(raw)
    except ValueError:
        raise row.error(column, "is not a number") from None
    if math.isnan(value):
        raise row.error(column, "is NaN")
    if math.isinf(value):
        raise row.error(column, "is not finite")
    if value < 0:
        raise row.error(column, "must not be negative")
    if value == 0 and not allow_zero:
        raise row.error(column, "must be greater than zero")
    if value > _MAX_VALUE:
        raise row.error(column, f"exceeds the sanity limit {_MAX_VALUE:g}")
    if 0 < value < _MIN_VALUE:
        raise row.error(column, f"is below the sanity limit {_MIN_VALUE:g}")
    return value


# Sanity limits: far above any instance or UltraServer, far below what only a typo
# gives (10**15 devices), and small enough to enumerate parallel layouts over.
# No figure in a column's own unit (GB, TB/s, TFLOPS, USD/hour, ...) is above
# 1e9 or, unless zero, below 1e-6.
_MAX_VALUE = 1e9
_MIN_VALUE = 1e-6
_COUNT_LIMITS: dict[str, int] = {
    "accelerator_count": 4096,
    "neuron_cores_per_device": 64,
    "nodes": 4096,
}


def _count(row: _Row, column: str, required: bool = True, allow_zero: bool = False) -> int | None:
    value = _number(row, column, required, allow_zero)
    if value is None:
        return None
    if not value.is_integer():
        raise row.error(column, "must be a whole number")
    limit = _COUNT_LIMITS.get(column)
    if limit is not None and value > limit:
        raise row.error(column, f"exceeds the sanity limit {limit}")
    return int(value)


def _quantity(
    row: _Row, column: str, unit: str, required: bool = True, allow_zero: bool = False
) -> Any:
    value = _number(row, column, required, allow_zero)
    return None if value is None else ureg.Quantity(value, unit)


def _flag(row: _Row, column: str) -> bool:
    raw = row.raw(column).lower()
    if raw in ("true", "yes", "1"):
        return True
    if raw in ("false", "no", "0"):
        return False
    raise row.error(column, "must be true or false")


def _date(row: _Row, column: str) -> dt.date:
    raw = _text(row, column)
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise row.error(column, "must be an ISO date (YYYY-MM-DD)") from None


def _choice(row: _Row, column: str, choices: Sequence[str]) -> str:
    value = _text(row, column)
    if value not in choices:
        raise row.error(column, f"must be one of {', '.join(choices)}")
    return value


def _instance(row: _Row) -> Instance:
    kind = cast(Kind, _choice(row, "accelerator_kind", ("gpu", "neuron")))
    unit = _choice(row, "accelerator_memory_unit", MEMORY_UNITS)
    cores = _count(row, "neuron_cores_per_device", allow_zero=True)
    if (kind == "gpu") != (cores == 0):
        expected = "0 for a GPU" if kind == "gpu" else "at least 1 for a Neuron device"
        raise row.error("neuron_cores_per_device", f"must be {expected}")
    efa = _flag(row, "efa")
    efa_devices = _count(row, "efa_devices", required=False, allow_zero=True)
    if efa_devices is not None and efa != (efa_devices > 0):
        raise row.error("efa_devices", f"must be {'at least 1' if efa else '0'} when efa is {efa}")
    return Instance(
        name=_text(row, "instance_type"),
        family=_text(row, "family"),
        accelerator=_text(row, "accelerator"),
        accelerator_kind=kind,
        accelerator_count=cast(int, _count(row, "accelerator_count")),
        accelerator_memory=_quantity(row, "accelerator_memory", unit),
        stated_usable_memory=_quantity(row, "accelerator_memory_usable_GiB", "GiB", False),
        memory_bandwidth=_quantity(row, "memory_bandwidth_TBps", "TB/s"),
        dense_bf16=_quantity(row, "dense_bf16_TFLOPS", "TFLOPS"),
        dense_fp8=_quantity(row, "dense_fp8_TFLOPS", "TFLOPS", False),
        dense_fp4=_quantity(row, "dense_fp4_TFLOPS", "TFLOPS", False),
        dense_int8=_quantity(row, "dense_int8_TOPS", "TFLOPS", False),
        neuron_cores_per_device=cast(int, cores),
        interconnect=_text(row, "interconnect"),
        interconnect_bandwidth=_quantity(row, "interconnect_GBps_per_device", "GB/s", False),
        network_bandwidth=_quantity(row, "network_Gbps", "Gbps"),
        efa=efa,
        efa_devices=efa_devices,
        nodes=cast(int, _count(row, "nodes")),
        vcpus=cast(int, _count(row, "vcpus")),
        host_memory=_quantity(row, "host_memory_GiB", "GiB", False),
        local_nvme=_quantity(row, "local_nvme_GB", "GB", False, allow_zero=True),
        source_url=_text(row, "source_url"),
        as_of=_date(row, "as_of"),
        notes=_text(row, "notes", required=False),
    )


def _price(row: _Row, known: Collection[str]) -> Price:
    name = _text(row, "instance_type")
    if name not in known:
        raise row.error("instance_type", f"unknown instance type: {suggest(name, known)}")
    model = _choice(row, "pricing_model", PRICING_MODELS)
    if model == "none-public":
        if row.raw("usd_per_hour"):
            raise row.error("usd_per_hour", "must be blank when pricing_model is none-public")
        usd = None
    else:
        usd = _quantity(row, "usd_per_hour", "USD/hour", allow_zero=True)
    return Price(
        instance_type=name,
        region=_text(row, "region"),
        pricing_model=model,
        usd_per_hour=usd,
        as_of=_date(row, "as_of"),
        source_url=_text(row, "source_url"),
        notes=_text(row, "notes", required=False),
    )


# --------------------------------------------------------------------- helpers
def _mag(quantity: Any, unit: str) -> float:
    """Magnitude of a Quantity in ``unit``, NaN for None."""
    return math.nan if quantity is None else float(quantity.to(unit).magnitude)


def _display(value: Any) -> str:
    if isinstance(value, float) and math.isnan(value):
        return ""
    return str(value)
