"""The GPUs added to devices.csv for vLLM/SGLang users outside AWS, and what they need to work.

Each row keeps the vendor's label ("80" + "GB") and the total the CUDA/ROCm runtime
reports (nvidia-smi, rocm-smi) in GiB; the figures below are the sources' own
numbers (nvidia-smi MiB, rocm-smi bytes, datasheet TFLOPS), so a mistyped or
re-converted cell fails here. AMD Instinct parts are GPUs (``accelerator_kind``
"gpu") with their own hardware families and Infinity Fabric links counted, like
NVLink, in both directions.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

import llmsizing as ls
from llmsizing import perf
from llmsizing.catalog import Catalog, as_instance, load_catalog
from llmsizing.collectives import interconnect_kind
from llmsizing.engines import ENGINES
from llmsizing.units import ureg

GIB = 2**30

#: name -> (vendor, memory [GB as labelled], runtime total, bandwidth [TB/s], dense BF16
#: [TFLOPS], dense FP8 [TFLOPS] or None). The runtime total is nvidia-smi MiB for NVIDIA
#: parts and rocm-smi bytes for AMD parts (MI325X: derived, see its notes).
ADDED: dict[str, tuple[str, int, tuple[str, int], float, float, float | None]] = {
    "H100-PCIe-80GB": ("NVIDIA", 80, ("MiB", 81559), 2.0, 756.5, 1513),
    "H100-NVL-94GB": ("NVIDIA", 94, ("MiB", 95830), 3.9, 835.5, 1670.5),
    "H800-SXM-80GB": ("NVIDIA", 80, ("MiB", 81559), 3.35, 989, 1979),
    "H20-96GB": ("NVIDIA", 96, ("MiB", 97871), 4.0, 148, 296),
    "GH200-96GB": ("NVIDIA", 96, ("MiB", 97871), 4.0, 989, 1979),
    "A100-PCIe-40GB": ("NVIDIA", 40, ("MiB", 40960), 1.555, 312, None),
    "A100-PCIe-80GB": ("NVIDIA", 80, ("MiB", 81920), 1.935, 312, None),
    "A800-SXM-80GB": ("NVIDIA", 80, ("MiB", 81920), 2.039, 312, None),
    "A10-24GB": ("NVIDIA", 24, ("MiB", 23028), 0.6, 125, None),
    "RTX-A6000-48GB": ("NVIDIA", 48, ("MiB", 49140), 0.768, 154.8, None),
    "RTX-A5000-24GB": ("NVIDIA", 24, ("MiB", 24564), 0.768, 111.1, None),
    "RTX-6000-Ada-48GB": ("NVIDIA", 48, ("MiB", 49140), 0.96, 364.2, 728.5),
    "L40-48GB": ("NVIDIA", 48, ("MiB", 46068), 0.864, 181.05, 362),
    "RTX5090-32GB": ("NVIDIA", 32, ("MiB", 32607), 1.792, 209.5, 419),
    "RTX4060-Laptop-8GB": ("NVIDIA", 8, ("MiB", 8188), 0.256, 29.1, 58.2),
    "V100-SXM2-16GB": ("NVIDIA", 16, ("MiB", 16384), 0.9, 125, None),
    "V100-SXM2-32GB": ("NVIDIA", 32, ("MiB", 32768), 0.9, 125, None),
    "MI300X-192GB": ("AMD", 192, ("B", 206_141_652_992), 5.3, 1307.4, 2614.9),
    "MI325X-256GB": ("AMD", 256, ("B", 274_861_129_728), 6.0, 1307.4, 2614.9),
    "MI355X-288GB": ("AMD", 288, ("B", 309_220_868_096), 8.0, 2516.6, 5033.2),
}
NAMES = list(ADDED)
#: accelerator family each new device resolves to (data/efficiency.csv key)
FAMILY = {
    "H100-PCIe-80GB": "nvidia-hopper",
    "H100-NVL-94GB": "nvidia-hopper",
    "H800-SXM-80GB": "nvidia-hopper",
    "H20-96GB": "nvidia-hopper",
    "GH200-96GB": "nvidia-hopper",
    "A100-PCIe-40GB": "nvidia-ampere",
    "A100-PCIe-80GB": "nvidia-ampere",
    "A800-SXM-80GB": "nvidia-ampere",
    "A10-24GB": "nvidia-ampere",
    "L40-48GB": "nvidia-ada",
    # workstation and GeForce cards keep the generic family, as RTX3090/RTX4090 do
    "RTX-A6000-48GB": "nvidia",
    "RTX-A5000-24GB": "nvidia",
    "RTX-6000-Ada-48GB": "nvidia",
    "RTX5090-32GB": "nvidia",
    "RTX4060-Laptop-8GB": "nvidia",
    "V100-SXM2-16GB": "nvidia",
    "V100-SXM2-32GB": "nvidia",
    "MI300X-192GB": "amd-cdna3",
    "MI325X-256GB": "amd-cdna3",
    "MI355X-288GB": "amd-cdna4",
}
AMD = [n for n in NAMES if ADDED[n][0] == "AMD"]


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return load_catalog()


def _q(text: str) -> Any:
    return ureg.Quantity(text)


def _runtime_gib(name: str) -> float:
    unit, value = ADDED[name][2]
    return value / 1024 if unit == "MiB" else value / GIB


def test_the_added_names_are_catalogued(cat: Catalog) -> None:
    assert set(NAMES) <= set(cat.device_names())
    assert set(NAMES) == set(FAMILY)


@pytest.mark.parametrize("name", NAMES)
def test_vendor_figures_in_the_vendors_unit(cat: Catalog, name: str) -> None:
    vendor, memory, _, bandwidth, bf16, fp8 = ADDED[name]
    dev = cat.device(name)
    assert (dev.vendor, dev.kind, dev.neuron_cores_per_device) == (vendor, "gpu", 0)
    # kept as labelled: "80" + "GB", not converted to GiB
    assert f"{dev.memory.units:~P}" == "GB"
    assert dev.memory == ureg.Quantity(memory, "GB")
    assert dev.memory_bandwidth.to("TB/s").magnitude == pytest.approx(bandwidth)
    assert dev.dense_flops("bf16").to("TFLOPS").magnitude == pytest.approx(bf16)
    dense_fp8 = dev.dense_flops("fp8")
    assert (None if dense_fp8 is None else dense_fp8.to("TFLOPS").magnitude) == (
        None if fp8 is None else pytest.approx(fp8)
    )
    assert dev.source_url and dev.confidence and dev.as_of.isoformat() == "2026-12-01"


@pytest.mark.parametrize("name", NAMES)
def test_usable_is_the_runtime_total_in_gib(cat: Catalog, name: str) -> None:
    dev = cat.device(name)
    assert dev.stated_usable_memory is not None
    usable = dev.memory_usable.to("GiB").magnitude
    # the recorded figure is the runtime total rounded to 0.01 GiB
    assert usable == pytest.approx(_runtime_gib(name), abs=0.005)
    # GB -> GiB sanity: the label is a binary package ("80 GB" = 80 GiB of HBM),
    # so the runtime sees at most the label read in GiB ...
    label = ADDED[name][1]
    assert usable <= label
    # ... and more than the label read in decimal GB (a GB -> GiB conversion of the
    # label, 74.5 GiB for "80 GB", would be a wrong usable figure)
    assert usable > ureg.Quantity(label, "GB").to("GiB").magnitude


@pytest.mark.parametrize("name", [n for n in NAMES if ADDED[n][0] == "NVIDIA"])
def test_nvidia_usable_lies_below_the_package(cat: Catalog, name: str) -> None:
    dev = cat.device(name)
    package = dev.memory.magnitude * GIB  # "80 GB" of DRAM dies = 80 GiB
    usable = dev.memory_usable.to("B").magnitude
    assert usable <= package
    # HBM parts keep back part of the package; nvidia-smi's MiB are whole
    assert ADDED[name][2][0] == "MiB"
    if name.startswith(("H1", "H8", "H2", "GH")):
        assert usable < package


def test_hbm_totals_of_the_hopper_parts() -> None:
    # nvidia-smi: H100 SXM/PCIe/H800 81559 MiB, H100 NVL 95830 MiB, H20/GH200 97871 MiB
    cat = load_catalog()
    h100 = cat.device("H100-SXM-80GB").memory_usable
    for name in ("H100-PCIe-80GB", "H800-SXM-80GB"):
        assert cat.device(name).memory_usable == h100
    assert cat.device("H20-96GB").memory_usable == cat.device("GH200-96GB").memory_usable
    assert cat.device("H100-NVL-94GB").memory_usable == _q("93.58 GiB")


def test_l40_is_not_the_l40s(cat: Catalog) -> None:
    l40, l40s = cat.device("L40-48GB"), cat.device("L40S-48GB")
    assert l40.memory == l40s.memory and l40.memory_bandwidth == l40s.memory_bandwidth
    # the L40 runs BF16 tensor math at half the L40S rate
    assert l40.dense_flops("bf16").magnitude == pytest.approx(
        l40s.dense_flops("bf16").magnitude / 2, rel=0.01
    )


def test_a10_is_not_the_a10g(cat: Catalog) -> None:
    a10, a10g = cat.device("A10-24GB"), cat.device("A10G-24GB")
    assert a10.accelerator == "NVIDIA A10" and a10g.accelerator == "NVIDIA A10G"
    assert a10.memory_usable == a10g.memory_usable  # nvidia-smi 23028 MiB on both
    assert a10.dense_flops("bf16") > a10g.dense_flops("bf16")


def test_h20_is_a_slow_compute_fast_memory_hopper(cat: Catalog) -> None:
    h20, h100 = cat.device("H20-96GB"), cat.device("H100-SXM-80GB")
    assert h20.dense_flops("bf16") == _q("148 TFLOPS")
    assert h20.dense_flops("bf16") < h100.dense_flops("bf16") / 6
    assert h20.memory_bandwidth > h100.memory_bandwidth
    assert h20.interconnect_bandwidth == h100.interconnect_bandwidth  # NVLink 900 GB/s


def test_export_parts_have_the_cut_nvlink(cat: Catalog) -> None:
    assert cat.device("H800-SXM-80GB").interconnect_bandwidth == _q("400 GB/s")
    assert cat.device("A800-SXM-80GB").interconnect_bandwidth == _q("400 GB/s")
    assert cat.device("H800-SXM-80GB").dense_flops("fp8") == cat.device(
        "H100-SXM-80GB"
    ).dense_flops("fp8")


@pytest.mark.parametrize("name", NAMES)
def test_hardware_family(cat: Catalog, name: str) -> None:
    inst = ls.system(name, 2)
    assert inst.hardware_family == FAMILY[name] == perf.hardware_family(inst)


@pytest.mark.parametrize("name", AMD)
def test_amd_instinct_is_a_gpu(cat: Catalog, name: str) -> None:
    inst = ls.system(name, 8)
    assert inst.accelerator_kind == "gpu" and not inst.is_neuron
    assert inst.accelerator.startswith("AMD Instinct")
    assert interconnect_kind(inst.interconnect) == "infinity-fabric"
    # no calibration rows for AMD: the fit pooled over all calibrated GPU families
    eff = perf.efficiency(inst.hardware_family, "vllm")
    assert eff.source.startswith("data/efficiency.csv: prefill gpu/")
    assert eff == perf.efficiency("gpu", "vllm")
    # GPU ranks, one per device: 8 x MI300X is TP up to 8, not NeuronCores
    r = ls.fit("llama-3.1-8b", inst, layout="TP8")
    assert r.fits and r.layout.tp == 8


def test_infinity_fabric_counts_both_directions_like_nvlink() -> None:
    # MI300X: 7 links x 128 GB/s = 896 GB/s both ways -> 448 GB/s one way per rank;
    # H100: 900 GB/s -> 450; V100 NVLink 2: 300 -> 150; MI355X: 7 x 153.6 -> 537.6
    lay = ls.Layout(tp=8)
    one_way = {
        "MI300X-192GB": 448e9,
        "MI355X-288GB": 537.6e9,
        "H100-SXM-80GB": 450e9,
        "V100-SXM2-16GB": 150e9,
        "H800-SXM-80GB": 200e9,
    }
    for name, expected in one_way.items():
        inst = ls.system(name, 8)
        assert perf._link_bw(inst, lay, 1, False) == pytest.approx(expected), name


@pytest.mark.parametrize("name", ["H100-PCIe-80GB", "A100-PCIe-40GB", "RTX-A6000-48GB"])
def test_optional_nvlink_bridges_are_not_assumed(cat: Catalog, name: str) -> None:
    dev = cat.device(name)
    assert dev.interconnect_bandwidth is None
    assert interconnect_kind(dev.interconnect) == "pcie"


def test_device_system_names_resolve(cat: Catalog) -> None:
    four = ls.system("MI300X-192GB", 4)
    assert four.name == "4xMI300X-192GB" and four.accelerator_count == 4
    assert four.total_accelerator_memory == _q("768 GB")
    assert four.total_accelerator_memory_usable.to("GiB").magnitude == pytest.approx(4 * 191.98)
    # the "4x..." string resolves wherever an instance name is accepted
    for inst in (as_instance("4xMI300X-192GB"), cat.get("4xmi300x-192gb")):
        assert inst.name == "4xMI300X-192GB" and inst.accelerator_count == 4
    assert ls.system("4xMI300X-192GB", 4).accelerator_count == 4
    # system("4x...") with the default count is the whole system; a device name is one device
    assert ls.system("4xMI300X-192GB").name == "4xMI300X-192GB"
    assert ls.system("MI300X-192GB").accelerator_count == 1
    assert ls.system("p5.48xlarge").accelerator_count == 8
    # names are matched ignoring case, spaces, hyphens and underscores
    assert ls.system("mi300x 192gb", 2).name == ls.system("MI300X_192GB", 2).name
    cap = ls.kv_cache_capacity("llama-3.1-8b", "4xMI300X-192GB", {"context_len": 4096})
    assert cap.instance == "4xMI300X-192GB" and cap.tokens > 0


def test_kv_capacity_by_hand_on_mi300x() -> None:
    # llama-3.1-8b, bf16, TP2 on 2 x MI300X, generic rule with fixed activation and
    # reserve: per rank budget 191.98 GiB x 0.9; weights 8,030,261,248 params, all
    # split by TP except the 266,240 norm weights (65 RMSNorms x 4096), 2 bytes each;
    # KV per token per rank 32 layers x 4 KV heads x 128 x (K, V) x 2 bytes = 65,536 B;
    # tokens in whole 16-token blocks
    w = ls.Workload(
        context_len=4096,
        memory_utilization=0.9,
        runtime_reserve_GiB=1.0,
        activation_workspace_GiB=2.0,
    )
    cap = ls.kv_cache_capacity(
        "llama-3.1-8b", ls.system("MI300X-192GB", 2), w, layout="TP2", engine=None
    )
    budget = 191.98 * 0.9 * GIB
    norms = 65 * 4096
    weights = (8_030_261_248 - norms) / 2 * 2 + norms * 2
    per_token = 32 * 4 * 128 * 2 * 2
    free = budget - weights - 2 * GIB - 1 * GIB
    assert cap.budget_bytes == pytest.approx(budget)
    assert cap.weights_bytes == pytest.approx(weights)
    assert cap.kv_bytes_per_token == per_token
    assert cap.tokens == math.floor(free / per_token / 16) * 16 == 2_659_168
    assert cap.max_concurrency == pytest.approx(free / (4096 * per_token))


def test_vllm_budget_starts_below_the_nvidia_smi_total() -> None:
    # vLLM budgets from torch's total, engines.py's visible offset below nvidia-smi:
    # H100 NVL (95830 MiB = 93.58 GiB) at 0.9 -> (93.58 - 0.47) x 0.9 GiB per rank
    cap = ls.kv_cache_capacity(
        "llama-3.1-8b", ls.system("H100-NVL-94GB", 2), {"context_len": 4096}, layout="TP2"
    )
    offset = ENGINES["vllm"].visible_offset_GiB
    assert cap.budget_bytes == pytest.approx((93.58 - offset) * 0.9 * GIB)
    sxm = ls.kv_cache_capacity(
        "llama-3.1-8b", ls.system("H100-SXM-80GB", 2), {"context_len": 4096}, layout="TP2"
    )
    # same activation and reserve rules (both at least 70 GiB): the extra tokens are
    # the extra budget over the 65,536 KV bytes one token takes on one rank
    extra = (93.58 - 79.65) * 0.9 * GIB / 65536
    assert cap.tokens - sxm.tokens == pytest.approx(extra, abs=16)


@pytest.mark.parametrize("name", NAMES)
def test_capacity_and_performance_are_finite(name: str) -> None:
    m = ls.load_model("llama-3.1-8b")
    # an 8 GB laptop GPU holds the 8B model in 4-bit only (bf16 needs 7.5 GiB a rank
    # before KV, of a 6.8 GiB budget)
    dtype = "int4" if name == "RTX4060-Laptop-8GB" else "native"
    cap = ls.kv_cache_capacity(
        m,
        ls.system(name, count=2),
        ls.Workload(context_len=4096, weight_dtype=dtype),
        layout=ls.Layout(tp=2),
    )
    assert cap.tokens > 0 and math.isfinite(cap.max_concurrency)
    est = ls.estimate_performance(
        m,
        ls.system(name, 2),
        ls.Workload(prompt_len=512, output_len=128, batch=4, weight_dtype=dtype),
        layout=ls.Layout(tp=2),
    )
    assert est.family == FAMILY[name]
    for value in (est.ttft.to("s"), est.tpot.to("s"), est.tokens_per_s):
        assert math.isfinite(value.magnitude) and value.magnitude > 0


def test_bf16_8b_does_not_fit_two_laptop_gpus() -> None:
    cap = ls.kv_cache_capacity(
        "llama-3.1-8b", ls.system("RTX4060-Laptop-8GB", 2), {"context_len": 4096}, layout="TP2"
    )
    assert cap.tokens == 0
    with pytest.raises(ls.LlmsizingError, match="does not fit"):
        ls.estimate_performance(
            "llama-3.1-8b",
            ls.system("RTX4060-Laptop-8GB", 2),
            {"prompt_len": 512, "output_len": 128, "batch": 4},
            layout="TP2",
        )


def test_amd_memory_labels_are_binary_packages() -> None:
    """AMD prints '192 GB' for a 192 GiB HBM3 package; rocm-smi sees 191.98 GiB of it."""
    from llmsizing.claims.vendor import physical
    from llmsizing.units import ureg

    inst = ls.system("MI300X-192GB", 8)
    phys = physical(inst, ureg.Quantity(192, "GB"), "memory")
    assert phys == ureg.Quantity(192, "GiB")
    # the package is at least what the runtime reports, and the decimal reading is not
    assert phys.to("GiB").magnitude >= 191.98 > ureg.Quantity(192, "GB").to("GiB").magnitude
