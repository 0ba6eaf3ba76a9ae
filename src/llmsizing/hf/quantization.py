"""A checkpoint's ``quantization_config``: which format each linear layer is stored in.

:func:`checkpoint_quantization` reads the block a quantised checkpoint's
``config.json`` carries into a :class:`~llmsizing.model.CheckpointQuantization`:
the format of the quantised linear layers, the routed experts' format where it
differs, and per-module rules (the unquantised modules, and the per-module
formats of mixed-precision checkpoints). Engines load a checkpoint this way
[1]_ [2]_, so ``weight_dtype="native"`` sizes what they hold.

Methods read, with the format each one stores:

========================  ===============================================
``fp8``                   ``fp8`` with ``weight_block_size`` (128 × 128
                          fp32 scales), else ``fp8-tensor``
``fbgemm_fp8``            ``fp8-channel`` (one fp32 scale per row) [3]_
``compressed-tensors``    per config group: ``weights.num_bits``, ``type``,
                          ``strategy`` and ``group_size`` [4]_
``modelopt``              ``quant_algo``: FP8, NVFP4, MXFP8, W4A16_AWQ ...;
                          ``MIXED_PRECISION`` per ``quantized_layers``
``mxfp4``                 routed experts in ``mxfp4``, the rest 16-bit (the
                          transformers quantiser replaces expert blocks only)
``awq``, ``gptq``         ``int{bits}-g{group_size}-zp`` (4-bit zero points
                          stored per group) [5]_
``auto-round``            as ``gptq`` (AutoGPTQ packing), with the layers of
                          ``extra_config`` at their own widths (16: bf16) [6]_
``bitsandbytes``          ``nf4`` / ``nf4-dq`` (4-bit) or ``int8``
========================  ===============================================

Module patterns are kept as written (``model.layers.0.mlp.down_proj``,
``model.layers.*.self_attn``, ``re:.*shared_experts.*``) and matched by
:func:`llmsizing.memory.module_matches`. A mixed-precision list of one entry
per layer is folded into one wildcard rule per module kind when every layer
agrees, so a 20,000-entry list stays a few rules.

References
----------
.. [1] vLLM, ``vllm/model_executor/layers/quantization/`` (``fp8.py``,
   ``fbgemm_fp8.py``, ``compressed_tensors/``, ``modelopt.py``, ``mxfp4.py``;
   ``is_layer_skipped`` for the ignored modules).
.. [2] Hugging Face transformers, ``utils/quantization_config.py``
   (``FineGrainedFP8Config``, ``FbgemmFp8Config``, ``Mxfp4Config``,
   ``modules_to_not_convert``).
.. [3] Meta, llama-stack ``models/llama3/quantization/loader.py``: FP8
   row-wise weights for the FFN of every layer but the first and the last,
   attention in bf16.
.. [4] Neural Magic, compressed-tensors ``QuantizationScheme`` /
   ``QuantizationArgs`` (``num_bits``, ``type``, ``strategy``, ``group_size``,
   ``targets``, ``ignore``).
.. [5] AutoGPTQ / AutoAWQ checkpoint layout (``qweight``, ``scales``,
   ``qzeros`` per group).
.. [6] Intel auto-round, ``auto_round/export/export_to_autogptq/``; vLLM
   ``model_executor/layers/quantization/auto_round.py`` (``AutoRoundConfig``:
   ``bits``, ``group_size``, ``sym``, ``packing_format``, ``extra_config``).

Examples
--------
>>> q = checkpoint_quantization({"quant_method": "fbgemm_fp8",
...     "modules_to_not_convert": ["model.layers.0.mlp.down_proj", "lm_head"]})
>>> q.linear, q.modules[0]
('fp8-channel', ('model.layers.0.mlp.down_proj', 'bf16'))
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from llmsizing.model import CheckpointQuantization

__all__ = ["checkpoint_quantization"]

#: modelopt ``quant_algo`` → format (TensorRT Model Optimizer's algorithm names)
_MODELOPT = {
    "FP8": "fp8-tensor",
    "FP8_PER_CHANNEL_PER_TOKEN": "fp8-channel",
    "FP8_PB_WO": "fp8",
    "FP8_BLOCKWISE": "fp8",
    "NVFP4": "nvfp4",
    "W4A16_NVFP4": "nvfp4",
    "NVFP4_AWQ": "nvfp4",
    "W4A8_NVFP4_FP8": "nvfp4",
    "MXFP4": "mxfp4",
    "W4A16_MXFP4": "mxfp4",
    "MXFP8": "mxfp8",
    "W4A16_AWQ": "int4-g128",
    "W4A8_AWQ": "int4-g128",
    "INT8_SQ": "int8",
    "W8A16": "int8",
    "W8A8_SQ_PER_CHANNEL": "int8",
}

_UNQUANTISED = "bf16"


def _count(v: Any) -> int | None:
    """A positive whole number, or None (bools, strings, floats and -1 are not group sizes)."""
    return v if isinstance(v, int) and not isinstance(v, bool) and v > 0 else None


def _strings(v: Any) -> tuple[str, ...]:
    if isinstance(v, str):
        return (v,)
    if isinstance(v, Sequence):
        return tuple(x for x in v if isinstance(x, str))
    return ()


def _kept(q: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """The modules a config leaves unquantised, under any of the names methods use."""
    names: list[str] = []
    for key in ("modules_to_not_convert", "ignore", "ignored_layers", "exclude_modules"):
        names += _strings(q.get(key))
    return tuple((n, _UNQUANTISED) for n in dict.fromkeys(names))


def _args_format(w: Mapping[str, Any]) -> str | None:
    """compressed-tensors ``QuantizationArgs`` of the weights → a format name."""
    bits, kind = _count(w.get("num_bits")), w.get("type", "int")
    strategy = w.get("strategy")
    group = _count(w.get("group_size"))
    if bits == 8 and kind == "float":
        if strategy == "block" or w.get("block_structure"):
            return "fp8"
        if strategy == "group" or group:
            return "mxfp8"
        return "fp8-channel" if strategy == "channel" else "fp8-tensor"
    if bits == 4 and kind == "float":
        # nvfp4: 16 per FP8 scale; mxfp4: 32 per E8M0 scale
        return "mxfp4" if group == 32 else "nvfp4"
    if bits in (4, 8) and kind == "int":
        zp = "" if w.get("symmetric", True) is not False else "-zp"
        if group:
            return f"int{bits}-g{group}{zp}"
        return "int8" if bits == 8 and not zp else f"int{bits}-channel{zp}"
    return None


def _compressed_tensors(q: Mapping[str, Any]) -> tuple[str | None, list[tuple[str, str]]]:
    linear: str | None = None
    rules: list[tuple[str, str]] = []
    groups = q.get("config_groups")
    if not isinstance(groups, Mapping):
        return None, rules
    for g in groups.values():
        if not isinstance(g, Mapping) or not isinstance(g.get("weights"), Mapping):
            continue
        fmt = _args_format(g["weights"])
        if fmt is None:
            continue
        targets = _strings(g.get("targets")) or ("Linear",)
        for t in targets:
            if t == "Linear":  # the class name: every linear layer
                linear = linear or fmt
            else:
                rules.append((t, fmt))
    if linear is None and rules:
        linear = _UNQUANTISED  # only the listed modules are quantised
    return linear, rules


def _fold(rules: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """One wildcard rule per module kind when every listed layer has the same format."""
    by_kind: dict[str, set[str]] = {}
    count: dict[str, int] = {}
    for name, fmt in rules:
        kind = re.sub(r"\.layers\.\d+\.", ".layers.*.", name)
        by_kind.setdefault(kind, set()).add(fmt)
        count[kind] = count.get(kind, 0) + 1
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for name, fmt in rules:
        kind = re.sub(r"\.layers\.\d+\.", ".layers.*.", name)
        if len(by_kind[kind]) == 1 and count[kind] > 1:
            if kind not in seen:
                seen.add(kind)
                out.append((kind, fmt))
        else:
            out.append((name, fmt))
    return out


def _modelopt(q: Mapping[str, Any]) -> tuple[str | None, list[tuple[str, str]]]:
    algo = str(q.get("quant_algo") or "").upper()
    if algo == "MIXED_PRECISION":
        layers = q.get("quantized_layers")
        rules: list[tuple[str, str]] = []
        if isinstance(layers, Mapping):
            for name, spec in layers.items():
                a = str(spec.get("quant_algo", "")).upper() if isinstance(spec, Mapping) else ""
                if a in _MODELOPT:
                    rules.append((str(name), _MODELOPT[a]))
        if not rules and isinstance(q.get("config_groups"), Mapping):
            return _compressed_tensors(q)
        return (_UNQUANTISED if rules else None), _fold(rules)
    if algo in _MODELOPT:
        return _MODELOPT[algo], []
    if isinstance(q.get("config_groups"), Mapping):
        return _compressed_tensors(q)
    return None, []


def checkpoint_quantization(q: Mapping[str, Any]) -> CheckpointQuantization | None:
    """The :class:`~llmsizing.model.CheckpointQuantization` a ``quantization_config`` states.

    Parameters
    ----------
    q : mapping
        The ``quantization_config`` block of a ``config.json``.

    Returns
    -------
    CheckpointQuantization or None
        None for a block that names no method. A method this function does not
        know comes back with ``linear=None``, so sizing it natively is refused
        by name instead of guessed.
    """
    if not isinstance(q, Mapping):
        return None
    method = q.get("quant_method")
    if not isinstance(method, str):
        # modelopt exports (hf_quant_config.json style) carry producer + quant_algo
        producer = q.get("producer")
        if isinstance(producer, Mapping) and producer.get("name") == "modelopt":
            method = "modelopt"
        elif "quant_algo" in q:
            method = "modelopt"
        elif isinstance(q.get("config_groups"), Mapping):
            method = "compressed-tensors"
        else:
            return None
    method = method.lower()
    kept = list(_kept(q))
    experts: str | None = None
    rules: list[tuple[str, str]] = []
    linear: str | None
    if method == "fp8":
        if str(q.get("quant_algo") or "").upper() == "MIXED_PRECISION" and q.get("moe_quant_algo"):
            # DeepSeek-V4 NVFP4 exports: FP8 blocks, routed experts in the MoE algorithm
            experts = _MODELOPT.get(str(q["moe_quant_algo"]).upper())
        linear = "fp8" if q.get("weight_block_size") else "fp8-tensor"
    elif method == "fbgemm_fp8":
        linear = "fp8-channel"
    elif method == "compressed-tensors":
        linear, rules = _compressed_tensors(q)
    elif method == "modelopt":
        linear, rules = _modelopt(q)
    elif method == "mxfp4":
        linear, experts = _UNQUANTISED, "mxfp4"
    elif method in ("awq", "gptq", "gptq_marlin", "awq_marlin", *_AUTO_ROUND):
        linear = _grouped_int(
            q.get("bits", q.get("w_bit", 4)), q.get("group_size", q.get("q_group_size", 128))
        )
        if method in _AUTO_ROUND:
            rules = _auto_round_layers(q)
    elif method == "bitsandbytes":
        if q.get("load_in_4bit") is True:
            linear = "nf4-dq" if q.get("bnb_4bit_use_double_quant") is True else "nf4"
        elif q.get("load_in_8bit") is True:
            linear = "int8"
        else:
            linear = None
    else:
        linear = None
    return CheckpointQuantization(
        method=method,
        linear=linear,
        experts=experts,
        modules=tuple(kept + rules),
        kv_cache=_kv_cache_format(q),
    )


#: AutoRound's ``quant_method`` spellings (``auto-round``; ``intel/auto-round`` before 0.5)
_AUTO_ROUND = ("auto-round", "auto_round", "intel/auto-round")


def _grouped_int(bits_raw: Any, group_raw: Any) -> str | None:
    """AutoGPTQ-packed integers (``qweight``, ``qzeros``, ``scales``) → a format name.

    A group size of -1 (or 0) is one group per output row (GPTQ's per-channel);
    widths other than 4 and 8 bits are not modelled (None).
    """
    bits, group = _count(bits_raw), _count(group_raw)
    if bits not in (4, 8) or (group is None and group_raw not in (-1, 0)):
        return None
    return f"int{bits}-channel-zp" if group is None else f"int{bits}-g{group}-zp"


def _auto_round_layers(q: Mapping[str, Any]) -> list[tuple[str, str]]:
    """AutoRound's per-layer ``extra_config``: 16-bit layers, and layers of other widths.

    AutoRound writes ``{"model.layers.0.mlp.gate": {"bits": 16}, ...}`` for the
    layers it leaves unquantised or quantises differently (auto-round
    ``export/export_to_autogptq``; vLLM ``quantization/auto_round.py`` reads the
    same block per layer); a width that is not modelled keeps the layer unknown,
    so it is sized as the checkpoint's main format.
    """
    out: list[tuple[str, str]] = []
    extra = q.get("extra_config")
    if not isinstance(extra, Mapping):
        return out
    for name, cfg in extra.items():
        if not isinstance(name, str) or not isinstance(cfg, Mapping):
            continue
        bits = _count(cfg.get("bits", q.get("bits", 4)))
        if bits is not None and bits >= 16:
            out.append((name, _UNQUANTISED))
        elif (
            fmt := _grouped_int(bits, cfg.get("group_size", q.get("group_size", 128)))
        ) is not None:
            out.append((name, fmt))
    return out


def _kv_cache_format(q: Mapping[str, Any]) -> str | None:
    """The KV-cache format a ``quantization_config`` states, as vLLM reads it.

    vLLM's ``get_kv_cache_quant_algo_string`` (``utils/torch_utils.py``) takes
    ``kv_cache_quant_algo`` (ModelOpt: ``"FP8"``) or a ``kv_cache_scheme`` of static
    8-bit floats (``{"num_bits": 8, "type": "float", "dynamic": false}``) as FP8.
    """
    algo = q.get("kv_cache_quant_algo", q.get("kv_cache_scheme"))
    if isinstance(algo, str):
        return "fp8" if algo.lower() in ("fp8", "float8_e4m3fn") else None
    if isinstance(algo, Mapping) and (
        algo.get("dynamic") is False and algo.get("num_bits") == 8 and algo.get("type") == "float"
    ):
        return "fp8"
    return None
