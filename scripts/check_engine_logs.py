"""Hold llmsizing's weights, KV bytes per token and KV-token capacity against engine logs.

    python scripts/check_engine_logs.py                 # every file
    python scripts/check_engine_logs.py heldout7        # one file

Reads ``tests/data/engine_logs/{calibration,heldout,heldout2 ... heldout13}.yaml`` (real
vLLM/SGLang start-up logs with their sources). Each launch is sized with its own layout,
dtype, KV dtype, ``gpu_memory_utilization``, ``max_model_len``, ``enforce_eager``, prefix
caching and entry point; a launch whose model or GPU the library cannot express is listed as skipped
with the reason. Constants are fitted on the calibration file only; which held-out files
were later used to find rules is in ``tests/data/engine_logs/README.md``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

import llmsizing as ls  # noqa: E402
from llmsizing.engines import sglang_profile_name, vllm_profile_name, vllm_profile_on  # noqa: E402

LOGS = REPO / "tests" / "data" / "engine_logs"
#: Hugging Face repositories whose config is a shipped preset.
PRESETS = {
    "meta-llama/Llama-3.1-8B-Instruct": "llama-3.1-8b",
    "meta-llama/Meta-Llama-3.1-405B-Instruct-FP8": "llama-3.1-405b",
    "openai/gpt-oss-20b": "gpt-oss-20b",
    "openai/gpt-oss-120b": "gpt-oss-120b",
    "deepseek-ai/DeepSeek-V3": "deepseek-v3",
    "Qwen/Qwen3-32B": "qwen3-32b",
    "Qwen/Qwen3-30B-A3B": "qwen3-30b-a3b",
    "Qwen/Qwen3-235B-A22B-FP8": "qwen3-235b-a22b",
}
#: A catalog instance carrying each logged GPU (same device, nvidia-smi total).
GPUS = {
    "H100-80GB": "p5.48xlarge",
    "H100-SXM-80GB": "p5.48xlarge",
    "H200-141GB": "p5e.48xlarge",
    "A100-80GB": "p4de.24xlarge",
    "A100-40GB": "p4d.24xlarge",
    "L40S-48GB": "g6e.48xlarge",
    "A10-24GB": "g5.48xlarge",
    "A10G-24GB": "g5.48xlarge",
}
#: The weight format each logged quantization method stores.
QUANT = {
    "fp8": "fp8",
    "mxfp4": "native",
    "compressed-tensors": "fp8",
    "awq": "int4",
    # a ModelOpt checkpoint's formats come from its own quantization_config
    "modelopt": "native",
    "modelopt_fp4": "native",
    "modelopt_mixed": "native",
    # GPTQ and AutoRound names carry no bit width: only the checkpoint's own config tells
    "gptq": "native",
    "gptq_marlin": "native",
    "auto_round": "native",
    "auto-round": "native",
}
DTYPES = {"float32": "fp32", "float16": "fp16", "bfloat16": "bf16", None: "bf16", "auto": "bf16"}
LIMITS = {"weights": 0.02, "kv_bytes_per_token": 0.0, "tokens": 0.10, "kv_memory": 0.10}


def model_for(entry: dict[str, Any]) -> Any:
    # the checkpoint's own config.json first, where the tests store one under its name
    # (here, or among the real configs of the parameter-count tests)
    if entry.get("model"):
        name = str(entry["model"]).replace("/", "--") + ".json"
        for folder in (LOGS / "configs", *sorted((LOGS.parent / "real_configs").glob("*/"))):
            if (folder / name).is_file():
                return ls.load_model(str(folder / name))
    where = str(entry.get("config") or "").split(" ")[0]
    if where.startswith("preset:"):
        return ls.load_model(where[len("preset:") :])
    if where.startswith("configs/"):
        return ls.load_model(str(LOGS / where))
    if not entry.get("model"):  # a launch whose log names no checkpoint
        return None
    if entry["model"] in PRESETS:
        return ls.load_model(PRESETS[entry["model"]])
    return None


def vllm_profile(version: str, as_of: str, accelerator: str = "", quote: str = "") -> str:
    """The engine profile (``llmsizing.engines.ENGINES``) of a vLLM version or log date.

    A log that prints "Initializing a V0 LLM engine" ran V0 whatever its version.
    """
    if "V0 LLM engine" in quote:
        return "vllm-0.6"
    if re.match(r"\s*v?0\.1\.dev\d+", version):
        # setuptools-scm's fallback for a source build without release tags, not vLLM 0.1
        version = ""
    if not version:
        # unversioned: the release line current at the log's date
        return vllm_profile_on(as_of)
    return vllm_profile_name(version, accelerator)


def layout_for(entry: dict[str, Any]) -> Any:
    """The launch's layout as ``ls.Layout`` counts it (attention DP inside one replica).

    SGLang ``--tp T --dp D --enable-dp-attention`` runs attention on T/D ranks in D
    groups over T GPUs; vLLM ``--tensor-parallel-size T --data-parallel-size D
    --enable-expert-parallel`` runs D attention groups of T ranks with experts over
    all T·D. vLLM DP without expert parallelism is D separate replicas.
    """
    # a launch that states no TP runs the engines' default, one rank
    tp, pp, dp = entry.get("tp") or 1, entry.get("pp") or 1, entry.get("dp") or 1
    ep_flag = bool(entry.get("enable_expert_parallel"))
    if dp > 1 and entry["engine"] == "sglang":
        return ls.Layout(tp=max(1, tp // dp), dp=dp, pp=pp, ep=tp if ep_flag else 1)
    if dp > 1 and ep_flag:
        return ls.Layout(tp=tp, dp=dp, pp=pp, ep=tp * dp)
    return ls.Layout(tp=tp, pp=pp)


def eager(entry: dict[str, Any]) -> bool:
    """Whether the launch ran without CUDA graphs: its field, else its quoted arguments."""
    if entry.get("enforce_eager") is not None:
        return bool(entry["enforce_eager"])
    quote = str(entry.get("quote") or "")
    return any(
        s in quote for s in ("'enforce_eager': True", "enforce_eager=True", "--enforce-eager")
    )


def prefix_caching(entry: dict[str, Any]) -> bool:
    """Whether the launch turned prefix caching on in its quoted arguments."""
    quote = str(entry.get("quote") or "")
    return any(s in quote for s in ("'enable_prefix_caching': True", "--enable-prefix-caching"))


def pooling(entry: dict[str, Any]) -> bool:
    """Whether the launch serves a pooling (embedding) model, by its quoted arguments."""
    quote = str(entry.get("quote") or "")
    return any(s in quote for s in ("'runner': 'pooling'", "--runner pooling", "'task': 'embed'"))


def language_model_only(entry: dict[str, Any]) -> bool:
    """Whether every modality's limit is 0 in the quoted arguments: vLLM then builds no
    vision tower (Qwen3-VL's ``__init__``: ``self.visual = None`` where neither images nor
    videos are allowed; later releases' ``_mark_tower_model``) and profiles no encoder."""
    quote = str(entry.get("quote") or "")
    if "--language-model-only" in quote or "'language_model_only': True" in quote:
        return True
    found = re.search(r"'limit_mm_per_prompt': \{([^}]*)\}", quote)
    if not found:
        return False
    limits = re.findall(r"'\w+': (\d+)", found.group(1))
    return bool(limits) and all(int(v) == 0 for v in limits)


def size(entry: dict[str, Any]) -> tuple[Any, str]:
    """The capacity llmsizing computes for one logged launch, or None and why not."""
    try:
        m = model_for(entry)
    except ls.LlmsizingError as e:  # a config the library does not read
        return None, str(e).split(" (supported:")[0]
    if m is None:
        return None, "no config for the model"
    inst: Any = GPUS.get(entry["gpu"])
    if inst is None:
        # a device that is no catalog instance's: a system of as many as the launch uses;
        # a label may follow the device name with a remark in brackets ("GB10-128GB (DGX Spark)")
        device = str(entry["gpu"]).split(" (")[0].strip()
        try:
            inst = ls.system(device, count=(entry.get("tp") or 1) * (entry.get("pp") or 1))
        except ls.LlmsizingError:
            return None, f"no catalog instance or device with a {entry['gpu']}"
    q = entry.get("quantization")
    weights = QUANT.get(q) if q else DTYPES.get(entry.get("dtype"), "bf16")
    if q and m.checkpoint_quantization is not None:
        # the engine loads the checkpoint as its quantization_config says
        weights = "native"
    elif weights == "native":
        # a quantised export (ModelOpt, GPTQ, AutoRound) sized through a config without its
        # quantization_config: its bit width and the modules it keeps in 16 bits are not known
        return None, f"quantization {q!r}: the checkpoint's quantization_config is not vendored"
    if weights is None:
        return None, f"quantization {q!r} not modelled"
    kv = "fp8" if str(entry.get("kv_cache_dtype") or "").startswith("fp8") else "bf16"
    if kv == "bf16" and weights == "fp32":
        kv = "fp32"
    # a stand-in config (a base model's, a sibling release's) can hold another position limit
    positions = entry.get("checkpoint_max_position_embeddings") or m.max_position_embeddings
    ctx = entry.get("max_model_len") or positions or 4096
    w: dict[str, Any] = {
        "context_len": min(ctx, positions or ctx),
        "weight_dtype": weights,
    }
    if entry.get("kv_cache_dtype") not in (None, "auto") or kv != "bf16":
        # a stated --kv-cache-dtype; "auto" leaves the engine to resolve it (a checkpoint
        # may state its own KV format: EngineProfile.kv_dtype)
        w["kv_dtype"] = kv
    # vLLM gpu_memory_utilization (0.9 where unstated), SGLang mem_fraction_static (where
    # unstated, the engine profile's own default: EngineProfile.default_memory_fraction)
    stated = entry.get("gpu_memory_utilization") or entry.get("mem_fraction_static")
    if stated or entry["engine"] != "sglang":
        w["memory_utilization"] = stated or 0.9
    if (entry.get("max_num_batched_tokens") or 0) > 0:
        # SGLang's chunked_prefill_size -1 turns chunking off: no budget to pass
        w["max_batched_tokens"] = entry["max_num_batched_tokens"]
    if entry.get("max_num_seqs"):
        w["max_num_seqs"] = entry["max_num_seqs"]
    w["enforce_eager"] = eager(entry)
    w["prefix_caching"] = prefix_caching(entry)
    if language_model_only(entry):
        w["include_vision"] = False
    layout = layout_for(entry)
    engine = entry["engine"] if entry["engine"] in ("vllm", "sglang") else "vllm"
    if not entry.get("engine_version") and not entry.get("as_of"):
        return None, "no engine version and no date to choose the engine's release line"
    if engine == "sglang":
        # the SGLang line of the version, else of the log's date
        version = re.match(r"\s*v?\d+\.\d+(?:\.\d+)?", str(entry.get("engine_version") or ""))
        engine = sglang_profile_name(version.group(0) if version else "", str(entry.get("as_of")))
    if engine == "vllm":
        engine = vllm_profile(
            str(entry.get("engine_version") or ""),
            str(entry.get("as_of")),
            ls.as_instance(inst).accelerator,
            str(entry.get("quote") or ""),
        )
        if entry.get("usage") == "llm_class":
            engine += ":offline"  # the offline LLM class's batch defaults
        elif entry.get("usage") == "engine_context":
            engine += ":engine-context"  # no usage context: 128 sequences
        if "leveraging the Marlin kernel" in str(entry.get("quote") or ""):
            engine += ":marlin"  # MXFP4 experts on vLLM's Marlin fallback
        if pooling(entry):
            engine += ":pooling"  # an embedding model: no sampler in the profile
    try:
        return ls.kv_cache_capacity(m, inst, w, layout=layout, engine=engine), ""
    except ls.LlmsizingError as e:
        return None, str(e)


def compare(name: str) -> dict[str, list[tuple[str, float, float]]]:
    """(id, computed, logged) per checked quantity, and the skipped launches."""
    entries = yaml.safe_load((LOGS / f"{name}.yaml").read_text())["logs"]
    out: dict[str, list[Any]] = {
        "weights": [],
        "kv_bytes_per_token": [],
        "tokens": [],
        "kv_memory": [],
    }
    out["skipped"] = []
    for e in entries:
        cap, why = size(e)
        if cap is None:
            out["skipped"].append((e["id"], why))
            continue
        got = e["logged"]
        weights = got.get("weights_GiB") or got.get("weights_GB")  # vLLM's "GB" are GiB
        if weights:
            out["weights"].append((e["id"], cap.weights_bytes / 2**30, float(weights)))
        free = (
            got.get("available_kv_cache_GiB")
            or got.get("kv_cache_GiB")
            or got.get("kv_cache_size_GiB")
        )
        tokens = got.get("kv_cache_tokens")
        if not tokens and e["engine"] == "sglang" and not any("swa" in k for k in got):
            # SGLang prints its token pool again as max_total_num_tokens (the same count
            # where one pool holds every layer; a hybrid SWA model's pools differ)
            tokens = got.get("max_total_num_tokens")
        if not tokens and isinstance(got.get("gpu_blocks"), int):
            # blocks of 16 tokens unless the launch states its block size
            tokens = got["gpu_blocks"] * (got.get("block_size_tokens") or 16)
        if free and tokens and free > 0:
            # the engine's bytes per token: its KV memory over its token count, per block
            logged = free * 2**30 / tokens
            out["kv_bytes_per_token"].append((e["id"], cap.kv_bytes_per_token, logged))
            ROUNDING[e["id"]] = max(0.006, 0.005 / free)
        if tokens:
            out["tokens"].append((e["id"], float(cap.tokens), float(tokens)))
        if free:
            # the memory the engine left for KV cache [GiB]
            out["kv_memory"].append((e["id"], cap.kv_cache_bytes / 2**30, float(free)))
    return out


#: Relative rounding of each launch's logged bytes per token (its KV memory is printed
#: to 0.01 GiB, so half a unit of that over the memory; at least 0.6%).
ROUNDING: dict[str, float] = {}


def within(kind: str, computed: float, logged: float, entry_id: str = "") -> bool:
    if kind == "kv_bytes_per_token":
        # the logged KV memory is rounded to 0.01 GiB: exact within that rounding
        return abs(computed - logged) <= logged * ROUNDING.get(entry_id, 0.006)
    return abs(computed / logged - 1) <= LIMITS[kind]


def main(argv: list[str]) -> int:
    for name in argv or [
        "calibration",
        "heldout",
        "heldout2",
        "heldout3",
        "heldout4",
        "heldout5",
        "heldout6",
        "heldout7",
        "heldout8",
        "heldout9",
        "heldout10",
        "heldout11",
        "heldout12",
        "heldout13",
        "heldout14a",
        "heldout14b",
        "heldout15",
        "heldout16",
        "heldout17",
        "heldout18",
        "heldout19",
        "heldout20",
        "heldout21",
        "heldout22",
        "heldout23",
        "heldout24",
        "heldout25a",
        "heldout25b",
    ]:
        if not argv and not (LOGS / f"{name}.yaml").exists():
            continue
        res = compare(name)
        print(f"## {name}")
        for kind in ("weights", "kv_bytes_per_token", "tokens", "kv_memory"):
            rows = res[kind]
            ok = sum(within(kind, c, g, i) for i, c, g in rows)
            print(f"{kind}: {ok}/{len(rows)} within the limit")
            for i, c, g in rows:
                if not within(kind, c, g, i):
                    print(f"    {i}: computed {c:,.4g}, logged {g:,.4g} ({c / g - 1:+.1%})")
        print(f"skipped: {len(res['skipped'])}")
        for i, why in res["skipped"]:
            print(f"    {i}: {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
