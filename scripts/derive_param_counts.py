"""Derive reference parameter counts by instantiating models with Hugging Face transformers.

This script is the independent ground truth for llmsizing's parameter counter: every preset
config (``src/llmsizing/data/models/*.json``) and every held-out config
(``tests/data/heldout_configs/*.json``) is built with transformers on the ``meta`` device (no
memory is allocated, no weights are downloaded) and its parameters are counted and broken down
by name.  The result is written to ``tests/data/hf_param_counts.json``.

It needs ``torch`` and ``transformers`` (a release that knows every config's ``model_type``);
llmsizing itself needs neither.  Run it from the repository root::

    python scripts/derive_param_counts.py [--out PATH] [--only STEM ...]

Rules applied to each config:

* ``quantization_config`` is dropped, so quantized checkpoints (gpt-oss's MXFP4, DeepSeek-V3's
  FP8) are counted as their logical, unquantized parameters.
* ``auto_map`` is dropped: DeepSeek V2/V3 are built with transformers' native classes, never
  with remote code.
* Multimodal configs (``gemma3``, ``llama4``) are counted through their ``text_config`` and the
  text-only causal LM class; keys missing from ``text_config`` take the text config class's
  defaults.  The whole multimodal model is also counted and reported under ``full_model``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections import defaultdict
from itertools import pairwise
from pathlib import Path
from typing import Any

import torch
import transformers
from transformers import AutoConfig, AutoModelForCausalLM, PretrainedConfig

ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIRS = (
    ROOT / "src" / "llmsizing" / "data" / "models",
    ROOT / "tests" / "data" / "heldout_configs",
)
DEFAULT_OUT = ROOT / "tests" / "data" / "hf_param_counts.json"

# Configs whose checkpoint is multimodal: the count is taken on the text model.
MULTIMODAL_TYPES = {"gemma3", "llama4"}
DROPPED_KEYS = ("quantization_config", "auto_map")

BREAKDOWN_KEYS = (
    "embedding",
    "lm_head",
    "attention",
    "routed_experts",
    "shared_experts",
    "shared_expert_gate",
    "router",
    "dense_ffn",
    "norms",
    "other",
)

_LAYER_RE = re.compile(r"\.layers\.(\d+)\.")
_EXPERT_INDEX_RE = re.compile(r"\.experts\.(\d+)\.")
_FFN_RE = re.compile(r"\.(mlp|feed_forward|block_sparse_moe)\.")


def categorize(name: str) -> str:
    """Map a parameter name to one of ``BREAKDOWN_KEYS``."""
    if "embed_tokens" in name:
        return "embedding"
    if name.startswith("lm_head") or ".lm_head." in name:
        return "lm_head"
    leaf = name.rsplit(".", 2)[-2] if name.count(".") >= 1 else name
    if "norm" in leaf:
        return "norms"
    if ".experts." in name:
        return "routed_experts"
    if "shared_expert_gate" in name:
        return "shared_expert_gate"
    if "shared_expert" in name:
        return "shared_experts"
    if re.search(r"\.(mlp|feed_forward|block_sparse_moe)\.(gate|router)\.", name):
        return "router"
    if "self_attn" in name or ".attention." in name:
        return "attention"
    if _FFN_RE.search(name):
        return "dense_ffn"
    return "other"


def load_config(raw: dict[str, Any]) -> tuple[PretrainedConfig, PretrainedConfig | None, list[str]]:
    """Build the config to count from a config.json dict.

    Returns the causal-LM config, the full multimodal config (or ``None``), and notes.
    """
    notes: list[str] = []
    data = {k: v for k, v in raw.items() if k not in DROPPED_KEYS}
    for key in DROPPED_KEYS:
        if key in raw:
            notes.append(f"dropped `{key}` before instantiating")
    model_type = data.pop("model_type")
    full: PretrainedConfig | None = None
    if model_type in MULTIMODAL_TYPES:
        full = AutoConfig.for_model(model_type, **data)
        text = dict(data.get("text_config") or {})
        text_type = text.pop("model_type", f"{model_type}_text")
        cfg = AutoConfig.for_model(text_type, **text)
        notes.append(
            f"multimodal `{model_type}` config: counted its text_config as `{text_type}`"
            " with the text-only causal LM class; keys absent from text_config take"
            f" {type(cfg).__name__} defaults"
        )
    else:
        cfg = AutoConfig.for_model(model_type, **data)
    return cfg, full, notes


def _moe_summary(named: list[tuple[str, torch.nn.Parameter]]) -> dict[str, Any] | None:
    """Per MoE layer: number of routed experts and parameters of one routed expert."""
    per_layer: dict[int, dict[str, int]] = defaultdict(lambda: {"experts": 0, "one_expert": 0})
    for name, param in named:
        if ".experts." not in name:
            continue
        match = _LAYER_RE.search(name)
        layer = int(match.group(1)) if match else -1
        indexed = _EXPERT_INDEX_RE.search(name)
        entry = per_layer[layer]
        if indexed:  # one module per expert (older transformers releases)
            index = int(indexed.group(1))
            entry["experts"] = max(entry["experts"], index + 1)
            if index == 0:
                entry["one_expert"] += param.numel()
        else:  # fused 3-D expert tensors: leading dimension is the expert index
            n_experts = int(param.shape[0])
            entry["experts"] = n_experts
            entry["one_expert"] += param.numel() // n_experts
    if not per_layer:
        return None
    experts = sorted({v["experts"] for v in per_layer.values()})
    one = sorted({v["one_expert"] for v in per_layer.values()})
    return {
        "moe_layers": len(per_layer),
        "moe_layer_indices": _compact(sorted(per_layer)),
        "routed_experts_per_layer": experts[0] if len(experts) == 1 else experts,
        "params_per_routed_expert": one[0] if len(one) == 1 else one,
    }


def _compact(indices: list[int]) -> str:
    """Layer indices as ``start-stop`` (step 1), ``start-stop/step``, or a comma list."""
    if len(indices) > 2:
        steps = {b - a for a, b in pairwise(indices)}
        if len(steps) == 1:
            step = steps.pop()
            suffix = "" if step == 1 else f"/{step}"
            return f"{indices[0]}-{indices[-1]}{suffix}"
    return ",".join(str(i) for i in indices)


def _config_top_k(cfg: PretrainedConfig) -> int | None:
    for key in ("num_experts_per_tok", "experts_per_token", "num_experts_per_token"):
        value = getattr(cfg, key, None)
        if isinstance(value, int):
            return value
    return None


def count_model(model: torch.nn.Module) -> dict[str, Any]:
    """Count parameters of an instantiated model, with a breakdown by name."""
    named = list(model.named_parameters())  # de-duplicates tied (shared) parameters
    breakdown = dict.fromkeys(BREAKDOWN_KEYS, 0)
    for name, param in named:
        breakdown[categorize(name)] += param.numel()
    total = sum(p.numel() for p in model.parameters())
    assert total == sum(breakdown.values())

    state_keys = set(model.state_dict().keys())
    param_names = {n for n, _ in model.named_parameters(remove_duplicate=False)}
    persistent: dict[str, int] = defaultdict(int)
    transient: dict[str, int] = defaultdict(int)
    for name, buf in model.named_buffers():
        pattern = _LAYER_RE.sub(".layers.*.", name)
        if name in state_keys and name not in param_names:
            persistent[pattern] += buf.numel()
        else:
            transient[pattern] += buf.numel()

    inp, out = model.get_input_embeddings(), model.get_output_embeddings()
    tied = bool(out is not None and out.weight is inp.weight)
    return {
        "total": total,
        "breakdown": breakdown,
        "tied": tied,
        "named": named,
        "persistent_buffers": dict(persistent),
        "non_persistent_buffers": dict(transient),
    }


def _special_parameters(named: list[tuple[str, torch.nn.Parameter]]) -> dict[str, int]:
    """Parameters that a formula built from the usual projections would miss."""
    found: dict[str, int] = defaultdict(int)
    for name, param in named:
        leaf = name.rsplit(".", 1)[-1]
        if leaf == "sinks":
            found["attention sinks (self_attn.sinks)"] += param.numel()
        elif leaf == "bias" or leaf.endswith("_bias"):
            found[f"biases in {categorize(name)}"] += param.numel()
        elif "q_norm" in name or "k_norm" in name:
            found["q_norm/k_norm weights"] += param.numel()
    return dict(found)


def derive(path: Path) -> dict[str, Any]:
    raw = json.loads(path.read_text())
    cfg, full_cfg, notes = load_config(raw)
    with torch.device("meta"):
        model = AutoModelForCausalLM.from_config(cfg)
    counted = count_model(model)
    named = counted.pop("named")

    entry: dict[str, Any] = {
        "source": str(path.relative_to(ROOT)),
        "set": "heldout" if path.parent.name == "heldout_configs" else "preset",
        "model_type": raw.get("model_type"),
        "counted_model_type": cfg.model_type,
        "class": type(model).__name__,
        "total": counted["total"],
        "breakdown": counted["breakdown"],
        "tied": counted["tied"],
        "config_tie_word_embeddings": getattr(cfg, "tie_word_embeddings", None),
        "num_hidden_layers": cfg.num_hidden_layers,
        "vocab_size": cfg.vocab_size,
    }
    moe = _moe_summary(named)
    if moe is not None:
        moe["experts_per_token"] = _config_top_k(cfg)
        entry["moe"] = moe
    special = _special_parameters(named)
    if special:
        entry["special_parameters"] = special
    entry["persistent_buffers"] = counted["persistent_buffers"]
    entry["non_persistent_buffers"] = counted["non_persistent_buffers"]

    for pattern, numel in counted["persistent_buffers"].items():
        notes.append(
            f"`{pattern}` is a persistent buffer, not a parameter ({numel} values in all):"
            " it is saved in checkpoints but not included in `total`"
        )
    mtp = getattr(cfg, "num_nextn_predict_layers", None) or raw.get("num_nextn_predict_layers")
    if mtp:
        notes.append(
            f"config has num_nextn_predict_layers={mtp}: transformers does not build the"
            " multi-token-prediction layer(s), so `total` excludes them"
        )
    if any(n.endswith(".sinks") for n, _ in named):
        notes.append("attention has learned per-head sinks (`self_attn.sinks`), counted")
    if raw.get("model_type") in MULTIMODAL_TYPES and "text_config" in raw:
        missing = [
            key
            for key in ("vocab_size", "tie_word_embeddings", "head_dim", "intermediate_size")
            if key not in raw["text_config"]
        ]
        if missing:
            values = {key: getattr(cfg, key, None) for key in missing}
            notes.append(f"text_config omits {missing}; defaults used: {values}")

    if full_cfg is not None:
        with torch.device("meta"):
            full_model = transformers.AutoModelForImageTextToText.from_config(full_cfg)
        full_counted = count_model(full_model)
        entry["full_model"] = {
            "class": type(full_model).__name__,
            "total": full_counted["total"],
            "tied": full_counted["tied"],
            "non_text_params": full_counted["total"] - counted["total"],
        }
        del full_model
    entry["notes"] = notes
    del model
    return entry


def config_paths(only: list[str] | None) -> list[Path]:
    paths = sorted(p for d in CONFIG_DIRS if d.is_dir() for p in d.glob("*.json"))
    if only:
        paths = [p for p in paths if p.stem in only]
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output JSON path")
    parser.add_argument("--only", nargs="*", help="config file stems to derive (default: all)")
    args = parser.parse_args(argv)

    transformers.logging.set_verbosity_error()
    models: dict[str, Any] = {}
    for path in config_paths(args.only):
        print(f"{path.stem} ...", file=sys.stderr, flush=True)
        models[path.stem] = derive(path)
        print(f"  {models[path.stem]['total']:,}", file=sys.stderr, flush=True)

    result = {
        "transformers_version": transformers.__version__,
        "torch_version": torch.__version__,
        "generated": dt.date.today().isoformat(),
        "method": (
            "AutoModelForCausalLM.from_config on the meta device; total ="
            " sum(p.numel() for p in model.parameters()), which counts a tied"
            " embedding/lm_head once"
        ),
        "models": models,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, sort_keys=False) + "\n")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
