"""Valid catalog rows for tests that write their own CSV files."""

from __future__ import annotations

#: Every column of a self-contained ``instances.csv`` row (an H100-like 8-GPU instance).
EXAMPLE_GPU_ROW: dict[str, str] = {
    "instance_type": "x1.48xlarge",
    "family": "x1",
    "accelerator": "Example GPU",
    "accelerator_kind": "gpu",
    "accelerator_count": "8",
    "accelerator_memory": "80",
    "accelerator_memory_unit": "GB",
    "accelerator_memory_usable_GiB": "79.6",
    "memory_bandwidth_TBps": "3.35",
    "dense_bf16_TFLOPS": "989",
    "dense_fp8_TFLOPS": "1979",
    "dense_fp4_TFLOPS": "",
    "dense_int8_TOPS": "",
    "neuron_cores_per_device": "0",
    "interconnect": "NVLink",
    "interconnect_GBps_per_device": "900",
    "network_Gbps": "3200",
    "efa": "true",
    "efa_devices": "32",
    "nodes": "1",
    "vcpus": "192",
    "host_memory_GiB": "2048",
    "local_nvme_GB": "30400",
    "source_url": "https://example.com/x1",
    "as_of": "2025-01-01",
}

#: An instance row that takes its per-device figures from a ``devices.csv`` row.
EXAMPLE_DEVICE_INSTANCE_ROW: dict[str, str] = {
    "instance_type": "x2.12xlarge",
    "family": "x2",
    "device": "H100-SXM-80GB",
    "accelerator_count": "4",
    "interconnect": "NVLink 4 via NVSwitch",
    "interconnect_GBps_per_device": "900",
    "network_Gbps": "800",
    "efa": "true",
    "efa_devices": "8",
    "nodes": "1",
    "vcpus": "96",
    "host_memory_GiB": "1024",
    "local_nvme_GB": "0",
    "source_url": "https://example.com/x2",
    "as_of": "2026-01-01",
}

#: Every column of a ``devices.csv`` row (an H100-like GPU).
EXAMPLE_DEVICE_ROW: dict[str, str] = {
    "device": "Example-80GB",
    "accelerator": "Example GPU 80GB",
    "vendor": "Example",
    "accelerator_kind": "gpu",
    "memory": "80",
    "memory_unit": "GB",
    "memory_usable_GiB": "79.6",
    "memory_bandwidth_TBps": "3.35",
    "dense_bf16_TFLOPS": "989",
    "dense_fp8_TFLOPS": "1979",
    "dense_fp4_TFLOPS": "",
    "dense_int8_TOPS": "1979",
    "neuron_cores_per_device": "0",
    "interconnect": "NVLink 4",
    "interconnect_GBps": "900",
    "source_url": "https://example.com/gpu",
    "as_of": "2026-01-01",
    "confidence": "high",
    "notes": "",
}

#: Every column of a ``prices.csv`` row.
EXAMPLE_PRICE_ROW: dict[str, str] = {
    "instance_type": "g5.xlarge",
    "region": "eu-west-1",
    "pricing_model": "on-demand",
    "usd_per_hour": "1.2",
    "as_of": "2026-01-01",
    "source_url": "https://example.com/rates",
    "notes": "",
}
