"""The late-2026 catalog rows, refreshed prices, user prices, regions and staleness.

Each aggregate test rebuilds a published figure (AWS, NVIDIA or the Neuron docs,
hand-typed from the source named in the comment above it) from the catalog's
per-device rows times the device count, so a wrong device reference, share,
count or GB/GiB slip shows up as a mismatch.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from llmsizing.catalog import Catalog, Price, PriceInfo, is_stale, load_catalog, months_before
from llmsizing.errors import UnknownNameError
from llmsizing.units import ureg

KARPENTER_TYPES = (
    "https://github.com/aws/karpenter-provider-aws/blob/692ccdd0629e488300821443f0fa0bc3c3e08047/"
    "website/content/en/docs/reference/instance-types.md"
)


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return load_catalog()


def _q(text: str) -> Any:
    return ureg.Quantity(text)


def _tflops(value: Any) -> float:
    return float(value.to("TFLOPS").magnitude)


NEW_ROWS = [
    *(f"g7e.{s}" for s in ("2xlarge", "4xlarge", "8xlarge", "12xlarge", "24xlarge", "48xlarge")),
    *(f"g7.{s}" for s in ("2xlarge", "4xlarge", "8xlarge", "12xlarge", "24xlarge", "48xlarge")),
    *("g6f.large", "g6f.xlarge", "g6f.2xlarge", "g6f.4xlarge", "gr6f.4xlarge"),
    *("gr6.4xlarge", "gr6.8xlarge"),
    *("p6e-gb300.36xlarge", "u-p6e-gb300x72"),
    *("trn3.48xlarge", "trn3p.48xlarge", "trn2.3xlarge"),
]


@pytest.mark.parametrize("name", NEW_ROWS)
def test_new_row_is_catalogued_sourced_and_rated(cat: Catalog, name: str) -> None:
    inst = cat.get(name)
    assert inst.device is not None
    assert inst.as_of >= dt.date(2026, 8, 1)
    assert inst.confidence
    assert all(u.startswith("https://") for u in inst.sources)
    info = cat.price_info(name)
    assert info.note in ("", "no public price")


# ------------------------------------------------------------ G7e
def test_g7e_48xlarge_matches_aws(cat: Catalog) -> None:
    # AWS ML blog "Accelerate generative AI inference on Amazon SageMaker AI with G7e
    # instances" (aws.amazon.com/blogs/machine-learning/accelerate-generative-ai-inference-
    # on-amazon-sagemaker-ai-with-g7e-instances): "Up to 768 GB GPU Memory on
    # G7e.48xlarge", "Each G7e GPU provides 1,597 GB/s", 1,600 Gbps EFA on the largest size.
    inst = cat.get("g7e.48xlarge")
    assert inst.accelerator_count == 8
    assert inst.total_accelerator_memory == _q("768 GB")
    assert inst.total_memory_bandwidth.to("GB/s").magnitude == pytest.approx(8 * 1597)
    assert inst.network_bandwidth == _q("1600 Gbps")
    # Karpenter v1.14 instance-type reference (EC2 API): 192 vCPU, 2,097,152 MiB host,
    # 15,200 GB NVMe, 4 EFA, 98304 MiB per GPU (= 96 GiB: the 96 GB is a binary package)
    assert (inst.vcpus, inst.efa_devices) == (192, 4)
    assert inst.host_memory == _q("2097152 MiB")
    assert inst.local_nvme == _q("15200 GB")
    assert inst.accelerator_memory_usable <= _q("98304 MiB")


def test_rtx_pro_6000_server_dense_is_nvidia_sparse_halved(cat: Catalog) -> None:
    # NVIDIA RTX PRO 6000 Blackwell Server Edition page
    # (nvidia.com/en-us/data-center/rtx-pro-6000-blackwell-server-edition/): FP4 4 PFLOPS,
    # FP8 2 PFLOPS, FP16/BF16 1 PFLOP (with sparsity), 96 GB GDDR7, 1,597 GB/s.
    g7e = cat.get("g7e.2xlarge")
    assert 2 * _tflops(g7e.dense_flops("nvfp4")) == pytest.approx(4000)
    assert 2 * _tflops(g7e.dense_flops("fp8")) == pytest.approx(2000)
    assert 2 * _tflops(g7e.dense_flops("bf16")) == pytest.approx(1000)
    assert g7e.accelerator_memory == _q("96 GB")
    assert g7e.memory_bandwidth == _q("1.597 TB/s")


def test_g7e_prices(cat: Catalog) -> None:
    # Karpenter's AWS Price List table for us-east-1, generated 2026-07-20
    # (github.com/aws/karpenter-provider-aws/blob/6fc13b5236fd04fd16ff3f9dc7490d0813994099/
    # pkg/providers/pricing/zz_generated.pricing_aws.go): g7e.2xlarge 3.363120,
    # g7e.48xlarge 33.144320.
    assert cat.hourly_price("g7e.2xlarge") == pytest.approx(3.36312)
    assert cat.hourly_price("g7e.48xlarge") == pytest.approx(33.14432)


# ------------------------------------------------------------ G7
def test_g7_48xlarge_matches_aws_and_exxact(cat: Catalog) -> None:
    # Karpenter v1.14 reference (EC2 API): g7.48xlarge 8 x rtx-pro-4500 at 32768 MiB,
    # 192 vCPU, 786432 MiB host, 7,600 GB NVMe, 700 Gbps, 2 EFA. Exxact's RTX PRO 4500
    # Server Edition benchmark (exxactcorp.com/blog/benchmark/nvidia-rtx-pro-4500-
    # blackwell-llm-inference-benchmark): 32 GB GDDR7, 800 GB/s.
    inst = cat.get("g7.48xlarge")
    assert inst.accelerator_count == 8
    assert inst.total_accelerator_memory == _q("256 GB")
    assert inst.total_memory_bandwidth.to("TB/s").magnitude == pytest.approx(6.4)
    assert (inst.vcpus, inst.efa_devices) == (192, 2)
    assert inst.host_memory == _q("786432 MiB")
    assert inst.network_bandwidth == _q("700 Gbps")
    assert not inst.usable_memory_known  # not observed: sizing falls back to 32 GB
    assert "low (TFLOPS derived)" in inst.confidence


def test_g7_sizes_follow_the_ec2_api(cat: Catalog) -> None:
    # Karpenter v1.14 reference: GPUs 1/1/1/2/4/8, vCPU 8..192; bandwidth table
    # (zz_generated.bandwidth.go @ 7f27b4e): 40/80/100/175/350/700 Gbps baselines.
    expected = [(1, 8, 40), (1, 16, 80), (1, 32, 100), (2, 48, 175), (4, 96, 350), (8, 192, 700)]
    sizes = ("2xlarge", "4xlarge", "8xlarge", "12xlarge", "24xlarge", "48xlarge")
    for size, (gpus, vcpus, gbps) in zip(sizes, expected, strict=True):
        inst = cat.get(f"g7.{size}")
        assert (inst.accelerator_count, inst.vcpus) == (gpus, vcpus), size
        assert inst.network_bandwidth == _q(f"{gbps} Gbps"), size


# ------------------------------------------------------------ fractional L4
@pytest.mark.parametrize(
    ("name", "share", "mib"),
    [
        ("g6f.large", 0.125, 2861),
        ("g6f.xlarge", 0.125, 2861),
        ("g6f.2xlarge", 0.25, 5722),
        ("g6f.4xlarge", 0.5, 11444),
        ("gr6f.4xlarge", 0.5, 11444),
    ],
)
def test_fractional_l4_share(cat: Catalog, name: str, share: float, mib: int) -> None:
    # Karpenter v1.14 reference (EC2 API): gpu-count 0, gpu-memory 2861/5722/11444 MiB
    # (1/8, 1/4, 1/2 of 22888 MiB, a decimal 24 GB). Cast AI's docs
    # (docs.cast.ai/docs/gpu-sharing-fractional): "as little as 1/8th of a GPU (3 GB
    # memory)".
    inst = cat.get(name)
    l4 = cat.device("L4-24GB")
    assert inst.accelerator_count == 1 and inst.device_share == share
    assert inst.accelerator_memory == _q("24 GB") * share
    assert inst.accelerator_memory_usable.to("MiB").magnitude == pytest.approx(mib, abs=6)
    assert inst.memory_bandwidth == l4.memory_bandwidth * share
    assert inst.dense_flops("bf16") == l4.dense_bf16 * share
    assert inst.total_accelerator_memory < l4.memory
    assert "ASSUMED proportional" in inst.notes


def test_g6f_large_is_3_GB(cat: Catalog) -> None:
    # Cast AI fractional GPU docs: the 1/8 partition has 3 GB of memory
    assert cat.get("g6f.large").accelerator_memory == _q("3 GB")


def test_fractional_prices(cat: Catalog) -> None:
    # Karpenter's Price List table (2026-07-20): g6f.large 0.202, g6f.4xlarge 0.95,
    # gr6f.4xlarge 1.066, gr6.4xlarge 1.5392
    assert cat.hourly_price("g6f.large") == pytest.approx(0.202)
    assert cat.hourly_price("g6f.4xlarge") == pytest.approx(0.95)
    assert cat.hourly_price("gr6f.4xlarge") == pytest.approx(1.066)
    assert cat.hourly_price("gr6.4xlarge") == pytest.approx(1.5392)


def test_gr6_matches_ec2_api(cat: Catalog) -> None:
    # Karpenter v1.14 reference: gr6.4xlarge 1 x L4 (22888 MiB), 16 vCPU, 131072 MiB,
    # 600 GB NVMe; gr6.8xlarge 32 vCPU, 262144 MiB, 900 GB, 1 EFA.
    small, large = cat.get("gr6.4xlarge"), cat.get("gr6.8xlarge")
    assert (small.accelerator_count, small.vcpus, small.efa) == (1, 16, False)
    assert small.host_memory == _q("128 GiB") and small.local_nvme == _q("600 GB")
    assert (large.vcpus, large.efa_devices) == (32, 1)
    assert small.total_accelerator_memory == _q("24 GB")
    assert _q("22888 MiB").to("GB").magnitude == pytest.approx(24, rel=1e-3)


# ------------------------------------------------------------ P6e-GB300
def test_gb300_nvl72_matches_nvidia(cat: Catalog) -> None:
    # NVIDIA GB300 NVL72 (nvidia.com/en-us/data-center/gb300-nvl72/, rack figures as
    # quoted by Verda's GB300 NVL72 architecture post and Klockwood's B300 notes):
    # 72 GPUs, FP4 1,080 PFLOPS dense (1,440 sparse), FP8 360 PFLOPS dense (720 sparse),
    # FP16/BF16 180 PFLOPS dense, HBM3e "20 TB" (72 x 288 GB = 20.7 TB), 576 TB/s.
    us = cat.get("u-p6e-gb300x72")
    assert (us.accelerator_count, us.nodes) == (72, 18)
    assert us.peak_flops("nvfp4").to("PFLOPS").magnitude == pytest.approx(1080)
    assert us.peak_flops("fp8").to("PFLOPS").magnitude == pytest.approx(360)
    assert us.peak_flops("bf16").to("PFLOPS").magnitude == pytest.approx(180)
    assert us.total_accelerator_memory.to("TB").magnitude == pytest.approx(20.7, rel=0.01)
    assert us.total_memory_bandwidth.to("TB/s").magnitude == pytest.approx(576)
    assert "low (name, shape and network)" in us.confidence


def test_p6e_gb300_node_is_one_eighteenth(cat: Catalog) -> None:
    node, us = cat.get("p6e-gb300.36xlarge"), cat.get("u-p6e-gb300x72")
    assert us.accelerator_count == us.nodes * node.accelerator_count
    assert us.vcpus == us.nodes * node.vcpus
    assert node.total_accelerator_memory == _q("1152 GB")
    # GB300 keeps 1.5 x GB200's dense FP4 per GPU (NVIDIA: 15 PF vs 10 PF)
    gb200 = cat.get("p6e-gb200.36xlarge")
    assert node.dense_flops("fp4") == 1.5 * gb200.dense_flops("fp4")
    assert "INFERRED" in node.notes and "ASSUMED" in node.notes


# ------------------------------------------------------------ Trainium
def test_trn3_gen1_ultraserver_matches_neuron_table(cat: Catalog) -> None:
    # Neuron trn3-arch table (github.com/aws-neuron/aws-neuron-sdk/blob/
    # 81ce03ae261e12925e53437a0f690478e6366155/about-neuron/arch/neuron-hardware/
    # trn3-arch.rst), Trn3 Gen1 UltraServer: 64 devices, 768 vCPU, 8,192 GiB host,
    # 161,088 MXFP8 TFLOPS, 42,944 BF16 TFLOPS, 9,216 GiB, 313.6 TB/s, 12,800 Gbps.
    us = cat.get("trn3-ultraserver-gen1")
    assert (us.accelerator_count, us.vcpus) == (64, 768)
    assert us.host_memory == _q("8192 GiB")
    assert _tflops(us.peak_flops("mxfp8")) == pytest.approx(161_088)
    assert _tflops(us.peak_flops("bf16")) == pytest.approx(42_944)
    assert us.total_accelerator_memory == _q("9216 GiB")
    assert us.total_memory_bandwidth.to("TB/s").magnitude == pytest.approx(313.6)
    assert us.network_bandwidth == _q("12800 Gbps")
    assert us.neuron_cores == 512  # Trainium3 page: eight NeuronCore-v4 per chip


def test_trn3_48xlarge_is_a_quarter_of_gen1(cat: Catalog) -> None:
    # Neuron trn3-arch: a Gen1 UltraServer is four servers of 16 Trainium3; the type
    # name trn3.48xlarge is in the Neuron driver (aws-neuron-driver @ 9cc489e,
    # v4/neuron_dhal_v4.c, v4_platform_map).
    node, us = cat.get("trn3.48xlarge"), cat.get("trn3-ultraserver-gen1")
    assert 4 * node.accelerator_count == us.accelerator_count
    assert _tflops(node.peak_flops("mxfp8")) == pytest.approx(161_088 / 4)
    assert node.total_accelerator_memory == _q("2304 GiB")
    assert node.total_memory_bandwidth.to("TB/s").magnitude == pytest.approx(313.6 / 4)
    assert node.neuron_cores == 128
    assert (4 * node.vcpus, 4 * node.host_memory) == (us.vcpus, us.host_memory)
    assert "DERIVED" in node.notes
    assert cat.get("trn3p.48xlarge").total_accelerator_memory == node.total_accelerator_memory


def test_trn2_3xlarge_is_one_trainium2(cat: Catalog) -> None:
    # Neuron trn2-arch table: trn2.48xlarge has 16 Trainium2, 1,536 GiB, 46.4 TB/s,
    # 20.8 FP8 PFLOPS; AWS's Capacity Blocks table lists trn2.3xlarge as 1 x Trainium2.
    one, sixteen = cat.get("trn2.3xlarge"), cat.get("trn2.48xlarge")
    assert one.accelerator_count == 1 and sixteen.accelerator_count == 16
    assert one.device == sixteen.device == "Trainium2"
    assert one.total_accelerator_memory == _q("1536 GiB") / 16
    assert one.total_memory_bandwidth.to("TB/s").magnitude == pytest.approx(46.4 / 16)
    assert one.peak_flops("fp8").to("PFLOPS").magnitude == pytest.approx(20.8 / 16, rel=0.01)
    assert one.neuron_cores == 8
    # Karpenter bandwidth table: trn2.3xlarge 200,000 Mbps
    assert one.network_bandwidth == _q("200 Gbps")
    assert "medium-low" in one.confidence


# ------------------------------------------------------------ refreshed rows
def test_p6e_gb200_host_figures_are_aws_published(cat: Catalog) -> None:
    # AWS P6 page as copied in tsaol/aws-gpu (data/p6e-gb200_instances.js and
    # u-p6e-gb200x36/x72_instances.js @ 77fcd9f, 2026-01-21): p6e-gb200.36xlarge 4 GPUs,
    # 740 GB, 144 vCPU, 960 GiB, 22.5 TB NVMe; x36 6,660 GB, 1,296 vCPU, 8,640 GiB,
    # 202.5 TB, 14.4 Tbps; x72 13,320 GB, 2,592 vCPU, 17,280 GiB, 405 TB, 28.8 Tbps.
    node = cat.get("p6e-gb200.36xlarge")
    assert node.total_accelerator_memory == _q("740 GB")
    assert (node.vcpus, node.host_memory, node.local_nvme) == (
        144,
        _q("960 GiB"),
        _q("22.5 TB"),
    )
    for name, gb, vcpus, host, nvme, tbps in [
        ("u-p6e-gb200x36", 6660, 1296, 8640, 202.5, 14.4),
        ("u-p6e-gb200x72", 13320, 2592, 17280, 405, 28.8),
    ]:
        us = cat.get(name)
        assert us.total_accelerator_memory == _q(f"{gb} GB"), name
        assert (us.vcpus, us.host_memory) == (vcpus, _q(f"{host} GiB")), name
        assert us.local_nvme == _q(f"{nvme} TB"), name
        assert us.network_bandwidth == _q(f"{tbps} Tbps"), name
        assert "published UltraServer figures" in us.notes, name
    assert "published P6 figures" in node.notes


def test_p6e_gb200_capacity_block_rate(cat: Catalog) -> None:
    # AWS Capacity Blocks pricing page, scraped 2026-07-22 (koyakimu/ec2-capacity-blocks-
    # for-ml-pricing-json @ b3a54ae, data/pricing.json): u-p6e-gb200x72 $761.904/h,
    # u-p6e-gb200x36 $380.952/h, both $10.582 per accelerator-hour, US East (Dallas)
    # Local Zone us-east-1-dfw-2a.
    for name, usd, gpus in [("u-p6e-gb200x72", 761.904, 72), ("u-p6e-gb200x36", 380.952, 36)]:
        p = cat.price(name, "us-east-1", "capacity-block")
        assert p is not None and p.hourly == pytest.approx(usd)
        assert p.hourly / gpus == pytest.approx(10.582, abs=1e-3)
        assert p.location.startswith("us-east-1-dfw-2a")
        assert p.as_of == dt.date(2026, 7, 22)
        # never an On-Demand price: price_info does not use Capacity Block rows
        assert cat.price_info(name).note == "no public price"


def test_refreshed_capacity_blocks_replace_2024_rows(cat: Catalog) -> None:
    rows = cat.prices
    blocks = rows[rows.pricing_model == "capacity-block"]
    assert (blocks.as_of == "2026-07-22").all()
    assert set(blocks.region) <= {*rows.region}
    # p5en and p6 families gained Capacity Block rows; p5.48xlarge has 11 regions (the
    # Atlanta Local Zone rate equals us-east-1 and is a note on that row)
    assert {"p5en.48xlarge", "p6-b200.48xlarge", "p6-b300.48xlarge"} <= set(blocks.instance_type)
    assert (blocks.instance_type == "p5.48xlarge").sum() == 11


# ------------------------------------------------------------ price_info
def test_price_info_public_fresh(cat: Catalog) -> None:
    # Fails once the shipped Price List snapshot (2026-07-20) is more than 12 months old:
    # that is the signal to refresh prices.csv.
    info = cat.price_info("p5.48xlarge")
    assert isinstance(info, PriceInfo)
    assert (info.usd_per_hour, info.note, info.stale) == (55.04, "", False)
    assert info.as_of == dt.date(2026, 7, 20)
    assert info.source is not None and "karpenter" in info.source
    assert (info.region, info.pricing_model) == ("us-east-1", "on-demand")
    assert cat.hourly_price("p5.48xlarge") == info.usd_per_hour
    with pytest.raises(dataclasses.FrozenInstanceError):
        info.note = "x"  # type: ignore[misc]


def test_price_info_no_public_price(cat: Catalog) -> None:
    info = cat.price_info("p5e.48xlarge")
    assert (info.usd_per_hour, info.note) == (None, "no public price")
    assert cat.hourly_price("p5e.48xlarge") is None
    elsewhere = cat.price_info("p5.48xlarge", "eu-west-1")
    assert (elsewhere.usd_per_hour, elsewhere.note, elsewhere.as_of) == (
        None,
        "no public price",
        None,
    )


def test_price_info_stale_public_price(cat: Catalog) -> None:
    old = Price(
        "p5.48xlarge",
        "us-east-1",
        "on-demand",
        _q("98.32 USD/hour"),
        dt.date(2024, 9, 1),
        "https://example.com",
    )
    stale = Catalog(cat, [old])
    info = stale.price_info("p5.48xlarge")
    assert info.usd_per_hour == pytest.approx(98.32)
    assert info.stale
    assert info.note == "price as of 2024-09-01 is more than 12 months old"


def test_user_price_for_p5e_makes_it_priced(cat: Catalog) -> None:
    # p5e.48xlarge has no public On-Demand price; a user price makes it a candidate
    # for the cheapest instance holding 1 TB: 45 < p5en's 63.296 and p6-b200's 113.93.
    mine = cat.with_prices({"p5e.48xlarge": 45.0})
    info = mine.price_info("p5e.48xlarge")
    assert (info.usd_per_hour, info.note, info.pricing_model) == (45.0, "user price", "negotiated")
    assert info.as_of == dt.date.today() and info.source == "user-supplied"
    big = mine.filter(kind="gpu", min_total_memory="1 TB")
    priced = {i.name: mine.price_info(i).usd_per_hour for i in big}
    cheapest = min((p, n) for n, p in priced.items() if p is not None)
    assert cheapest == (45.0, "p5e.48xlarge")
    # the shipped catalog is untouched
    assert cat.price_info("p5e.48xlarge").usd_per_hour is None


def test_user_prices_override_shipped(cat: Catalog, tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "instance_type": ["p5.48xlarge", "g6e.xlarge"],
            "usd_per_hour": [31.0, 1.5],
            "region": ["us-east-1", "us-east-1"],
            "pricing_model": ["reserved", "on-demand"],
            "as_of": ["2026-11-01", "2024-01-01"],
        }
    )
    mine = cat.with_prices(frame)
    assert mine.price_info("p5.48xlarge").usd_per_hour == 31.0
    g6e = mine.price_info("g6e.xlarge")
    assert (g6e.usd_per_hour, g6e.note, g6e.stale) == (1.5, "user price", True)
    assert mine.price("g6e.xlarge").user  # type: ignore[union-attr]  # replaced by key
    assert not mine.price("p5.48xlarge").user  # type: ignore[union-attr]  # kept, outranked
    # the same table as a file, through load_catalog
    path = tmp_path / "mine.csv"
    frame.to_csv(path, index=False)
    assert load_catalog(prices=path).hourly_price("p5.48xlarge") == 31.0
    assert load_catalog(prices={"p5.48xlarge": "31 USD/hour"}).hourly_price("p5.48xlarge") == 31.0


def test_user_price_preference_among_own_rows(cat: Catalog) -> None:
    frame = pd.DataFrame(
        {
            "instance_type": ["p5.48xlarge"] * 2,
            "usd_per_hour": [50.0, 30.0],
            "pricing_model": ["on-demand", "negotiated"],
        }
    )
    assert cat.with_prices(frame).price_info("p5.48xlarge").usd_per_hour == 30.0


def test_regions(cat: Catalog) -> None:
    # p5en.48xlarge has a Capacity Block rate in us-west-2 but no catalogued
    # On-Demand price there: price_info says so instead of borrowing another region's
    west = cat.with_region("us-west-2")
    assert west.region == "us-west-2"
    assert west.price_info("p5en.48xlarge").note == "no public price"
    assert west.price_info("p5en.48xlarge", "us-east-1").usd_per_hour == pytest.approx(63.296)
    mine = west.with_prices({"p5en.48xlarge": 60.0})
    assert mine.price_info("p5en.48xlarge").usd_per_hour == 60.0
    assert mine.price_info("p5en.48xlarge").region == "us-west-2"
    assert load_catalog(region="us-west-2").region == "us-west-2"
    assert west.filter(family="p5en").region == "us-west-2"


# ------------------------------------------------------------ SageMaker
def test_sagemaker_name_is_the_ec2_hardware(cat: Catalog) -> None:
    sm, ec2 = cat.get("ml.p5.48xlarge"), cat.get("p5.48xlarge")
    assert sm.name == "ml.p5.48xlarge" and sm.device == ec2.device
    for attr in ("accelerator_count", "accelerator_memory", "memory_bandwidth", "dense_fp8"):
        assert getattr(sm, attr) == getattr(ec2, attr), attr
    assert cat.get("ML.P5.48XLARGE").name == "ml.p5.48xlarge"
    # SageMaker prices are not the EC2 ones: none catalogued, so none shown
    assert cat.price_info("ml.p5.48xlarge").note == "no public price"
    mine = cat.with_prices({"ml.p5.48xlarge": 63.0})
    assert mine.price_info("ml.p5.48xlarge").usd_per_hour == 63.0
    assert mine.price_info("p5.48xlarge").usd_per_hour == 55.04
    with pytest.raises(UnknownNameError, match="did you mean"):
        cat.get("ml.p5.49xlarge")


# ------------------------------------------------------------ staleness
def test_months_before() -> None:
    assert months_before(dt.date(2026, 12, 1), 12) == dt.date(2025, 12, 1)
    assert months_before(dt.date(2028, 2, 29), 12) == dt.date(2027, 2, 28)
    assert months_before(dt.date(2026, 1, 15), 13) == dt.date(2024, 12, 15)
    assert not is_stale(dt.date(2025, 12, 1), today=dt.date(2026, 12, 1))
    assert is_stale(dt.date(2025, 11, 30), today=dt.date(2026, 12, 1))


def test_stale_rows(cat: Catalog) -> None:
    assert cat.stale(today=dt.date(2026, 12, 1)).empty
    later = cat.stale(today=dt.date(2027, 7, 21))
    assert set(later.table) == {"devices", "instances", "prices"}
    on_demand = later[(later.table == "prices") & (later.pricing_model == "on-demand")]
    assert len(on_demand) > 40 and (on_demand.as_of == "2026-07-20").all()
    assert "2026-07-22" not in set(later.as_of)  # Capacity Block rows are two days newer
    assert later.months_old.min() >= 12
    old = cat.with_prices({"g5.xlarge": 1.0}).with_prices(
        pd.DataFrame(
            {"instance_type": ["g6.xlarge"], "usd_per_hour": [0.7], "as_of": ["2023-05-01"]}
        )
    )
    flagged = old.stale(today=dt.date(2026, 12, 1))
    assert list(flagged.name) == ["g6.xlarge"]
    assert cat.get("p5.48xlarge").is_stale(today=dt.date(2027, 8, 1))


# ------------------------------------------------------------ the instance table
def test_to_frame_shows_source_confidence_and_price(cat: Catalog) -> None:
    df = cat.to_frame().set_index("instance_type")
    for column in ("device", "confidence", "source_url", "as_of", "price_note", "usd_per_hour"):
        assert column in df.columns
    assert list(df.columns[-4:]) == ["confidence", "as_of", "source_url", "notes"]
    assert df.loc["g7.2xlarge", "confidence"].endswith("low (TFLOPS derived)")
    assert df.loc["p5e.48xlarge", "price_note"] == "no public price"
    assert df.loc["g6f.large", "device_share"] == 0.125
    assert df.loc["p5.48xlarge", "usd_per_hour"] == df.loc["p5.48xlarge", "usd_per_hour_us_east_1"]
