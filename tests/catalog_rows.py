"""A valid instance-catalog row for tests that write their own CSV files."""

from __future__ import annotations

#: Every column of ``instances.csv`` with a valid value (an H100-like 8-GPU instance).
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
