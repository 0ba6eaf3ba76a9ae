"""Collective communication as α + n·β: all-reduce, all-to-all and point-to-point.

Each collective costs a fixed latency α (launch, synchronisation, the hops of a
ring) plus its bytes over the link bandwidth β [1]_:

* **ring all-reduce** over N ranks of a message of n bytes:
  ``t = α(N) + 2 (N − 1) / N · n / (u · β)``;
* **all-to-all** (MoE dispatch or combine) where each rank sends n bytes:
  ``t = α(N) + (N − 1) / N · n / (u · β)``;
* **point-to-point** (pipeline stage hand-off): ``t = α(2) + n / (u · β)``.

The latency grows with the ranks as GenZ models it [2]_:
``α(N) = α₀ + α₁ (N − 1)`` with ``α₀ = 5 µs`` and ``α₁ = 2 µs``. These are
the defaults of every interconnect kind; :mod:`llmsizing.perf` scales them
per hardware family from ``data/efficiency.csv`` (fitted on the calibration
rows of ``tests/data/perf/calibration.csv``).

β is the instance's ``interconnect_bandwidth`` per device (NVLink 4 900 GB/s,
NVLink 5 1.8 TB/s [3]_, NeuronLink-v2 192/384 GB/s per chip, NeuronLink-v3
1,024 GB/s per chip [4]_); NVLink and AMD Infinity Fabric figures are both
directions together (MI300X: 7 links x 128 GB/s, 64 GB/s each way [6]_), so
:mod:`llmsizing.perf` uses half of them per direction (:data:`BIDIRECTIONAL_LINKS`).
PCIe-only instances have no catalog figure: PCIe Gen4 x16 moves 31.5 GB/s per
direction [5]_.
Across instances the instance network is shared by its devices:
``network_bandwidth / 8 / devices`` (EFA where the instance has it, else ENA).
No calibration row spans instances, so a collective over EFA or ENA takes the
same α as inside the instance: a lower bound on its latency.

References
----------
.. [1] R. Thakur, R. Rabenseifner, W. Gropp, "Optimization of Collective
   Communication Operations in MPICH", IJHPCA 19(1), 2005 (α-β cost model,
   ring all-reduce ``2 (p − 1)/p · n β``).
.. [2] A. Bambhaniya et al., "Demystifying AI Platform Design for Distributed
   Inference of Next-Generation LLM models" (GenZ), arXiv:2406.01698, 2024:
   collective latency 5 µs + 2 µs per additional rank.
.. [3] NVIDIA nccl-tests, ``doc/PERFORMANCE.md`` (bus bandwidth
   ``busbw = algbw · 2 (n − 1)/n`` for all-reduce, ``(n − 1)/n`` for
   all-to-all); NVIDIA H100 / B200 datasheets (NVLink 900 GB/s, 1.8 TB/s).
.. [4] AWS Neuron SDK, "Inferentia2 / Trainium / Trainium2 architecture" and
   "Collective communication" pages (NeuronLink bandwidth per chip, ring and
   mesh all-reduce algorithms).
.. [5] PCI-SIG, PCI Express Base Specification 4.0 (16 GT/s per lane,
   128b/130b: 31.5 GB/s per direction for x16).
.. [6] AMD Instinct MI300X data sheet ("Peak Infinity Fabric Link Bandwidth
   128 GB/s", 7 links); AMD CDNA 4 white paper (MI355X: 153.6 GB/s per link).

Examples
--------
>>> round(allreduce_seconds(8, 16384.0, 900e9, 0.8) * 1e6, 2)  # 8 ranks, 16 KiB, NVLink 4
19.04
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ALPHA_BASE_S",
    "ALPHA_PER_RANK_S",
    "BIDIRECTIONAL_LINKS",
    "DEFAULT_INTERCONNECT_UTILIZATION",
    "PCIE_GEN4_X16_BYTES_PER_S",
    "allreduce_seconds",
    "alltoall_seconds",
    "collective_latency",
    "interconnect_kind",
    "p2p_seconds",
]

#: GenZ collective latency, fixed part [s] (arXiv:2406.01698).
ALPHA_BASE_S = 5e-6
#: GenZ collective latency per additional rank [s] (arXiv:2406.01698).
ALPHA_PER_RANK_S = 2e-6
#: Fraction of the link peak an all-reduce reaches: NCCL bus bandwidth on NVLink
#: is about 80% of the link peak (nccl-tests ``doc/PERFORMANCE.md``).
DEFAULT_INTERCONNECT_UTILIZATION = 0.8
#: PCIe Gen4 x16, one direction [bytes/s] (PCI-SIG PCIe 4.0: 16 GT/s x 16, 128b/130b).
PCIE_GEN4_X16_BYTES_PER_S = 31.5e9
#: Interconnect kinds (prefixes) whose catalog bandwidth counts both directions
#: together: NVIDIA NVLink (H100: 900 GB/s = 18 links x 25 GB/s x 2 [3]_) and AMD
#: Infinity Fabric (MI300X: 7 links x 128 GB/s, 64 GB/s each way [6]_).
BIDIRECTIONAL_LINKS = ("nvlink", "infinity-fabric")


def interconnect_kind(interconnect: str, within_instance: bool = True, efa: bool = False) -> str:
    """The interconnect kind a catalog ``interconnect`` string names.

    One of ``"neuronlink-v1"`` ... ``"neuronlink-v4"``, ``"nvlink2"`` ...
    ``"nvlink5"``, ``"infinity-fabric"`` (AMD xGMI), ``"pcie"``, ``"none"`` (a
    single device), and across instances ``"efa"`` or ``"ena"``.

    Examples
    --------
    >>> interconnect_kind("NVLink 4 via NVSwitch")
    'nvlink4'
    >>> interconnect_kind("AMD Infinity Fabric (xGMI) full mesh")
    'infinity-fabric'
    >>> interconnect_kind("NeuronLink-v3 4x4 2D torus, 1024 GB/s/chip intra-instance")
    'neuronlink-v3'
    >>> interconnect_kind("NVLink 4 via NVSwitch", within_instance=False, efa=True)
    'efa'
    """
    if not within_instance:
        return "efa" if efa else "ena"
    s = interconnect.lower().replace(" ", "")
    for v in ("v1", "v2", "v3", "v4"):
        if f"neuronlink-{v}" in s:
            return f"neuronlink-{v}"
    for v in ("2", "3", "4", "5"):
        if f"nvlink{v}" in s:
            return f"nvlink{v}"
    if "infinityfabric" in s or "xgmi" in s:
        return "infinity-fabric"
    if "pcie" in s:
        return "pcie"
    return "none"


def collective_latency(
    ranks: Any, alpha_base: float = ALPHA_BASE_S, alpha_per_rank: float = ALPHA_PER_RANK_S
) -> Any:
    """Fixed latency of one collective over ``ranks`` ranks [s].

    .. math:: \\alpha(N) = \\alpha_0 + \\alpha_1 (N - 1)

    Examples
    --------
    >>> round(collective_latency(8) * 1e6, 3)
    19.0
    """
    return alpha_base + alpha_per_rank * (ranks - 1)


def allreduce_seconds(
    ranks: int,
    nbytes: Any,
    link_bytes_per_s: float,
    utilization: float,
    alpha_base: float = ALPHA_BASE_S,
    alpha_per_rank: float = ALPHA_PER_RANK_S,
) -> Any:
    """Ring all-reduce of ``nbytes`` over ``ranks`` ranks [s]; 0 for one rank.

    .. math:: t = \\alpha(N) + 2 \\frac{N - 1}{N} \\frac{n}{u \\, \\beta}
    """
    if ranks <= 1:
        return 0.0 * nbytes
    return collective_latency(ranks, alpha_base, alpha_per_rank) + 2 * (
        ranks - 1
    ) / ranks * nbytes / (link_bytes_per_s * utilization)


def alltoall_seconds(
    ranks: int,
    nbytes: Any,
    link_bytes_per_s: float,
    utilization: float,
    alpha_base: float = ALPHA_BASE_S,
    alpha_per_rank: float = ALPHA_PER_RANK_S,
) -> Any:
    """All-to-all where each rank sends ``nbytes`` in total [s]; 0 for one rank.

    .. math:: t = \\alpha(N) + \\frac{N - 1}{N} \\frac{n}{u \\, \\beta}
    """
    if ranks <= 1:
        return 0.0 * nbytes
    return collective_latency(ranks, alpha_base, alpha_per_rank) + (ranks - 1) / ranks * nbytes / (
        link_bytes_per_s * utilization
    )


def p2p_seconds(
    nbytes: Any,
    link_bytes_per_s: float,
    utilization: float,
    alpha_base: float = ALPHA_BASE_S,
    alpha_per_rank: float = ALPHA_PER_RANK_S,
) -> Any:
    """One point-to-point send of ``nbytes`` between pipeline stages [s].

    .. math:: t = \\alpha(2) + \\frac{n}{u \\, \\beta}
    """
    return collective_latency(2, alpha_base, alpha_per_rank) + nbytes / (
        link_bytes_per_s * utilization
    )
