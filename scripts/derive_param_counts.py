"""Ground truth for llmsizing's config readers, derived with Hugging Face transformers.

This script is the independent reference for llmsizing's parameter counter and
cache formulas. It needs ``torch`` and ``transformers`` (5.x; a release that
knows every config's ``model_type``) in its own environment; llmsizing itself
needs neither, and neither the package nor its tests import them. Every model
is built on the ``meta`` device (no memory is allocated, no weights are
downloaded) and its parameters are counted and broken down by name. Run it
from the repository root::

    python scripts/derive_param_counts.py presets   [--out PATH] [--only STEM ...]
    python scripts/derive_param_counts.py defaults  # src/llmsizing/hf/_defaults.py
    python scripts/derive_param_counts.py families  [--seed 0] [--per-type 3] [--out PATH]
                                                    [--only TYPE ...]
    python scripts/derive_param_counts.py real DIR ... [--out PATH]
    python scripts/derive_param_counts.py caches    # tests/data/cache_shapes.json

``presets``
    every preset config (``src/llmsizing/data/models/*.json``) and every
    held-out config (``tests/data/heldout_configs/*.json``) →
    ``tests/data/hf_param_counts.json``.
``defaults``
    the defaults and key aliases (``attribute_map``) of the configuration class
    of every supported ``model_type``, and the text-config type of each
    wrapper, written as ``src/llmsizing/hf/_defaults.py``: the readers fill an
    omitted key from this table and record it.
``families``
    randomised small, valid configs of every supported ``model_type`` (sizes,
    head counts, biases, norms, layer patterns, MoE layouts drawn at random;
    about one key in five left out so that the class default applies), each
    counted → ``tests/data/family_configs.json`` (``--seed 0``, the development
    set) or ``tests/data/family_configs_heldout.json`` (``--seed 1``, the
    held-out set, never used while writing the readers). ``--only`` draws the named types
    alone (the generator restarts from the seed, so the draws differ from a full run's);
    write them with ``--out`` to another file and merge them, so that the other entries
    stay as they are.
``real``
    every ``*.json`` config in each DIR (real checkpoints' ``config.json``;
    ``tests/data/real_configs/dev`` and ``.../heldout``) → counts, with the
    directory's name as ``set`` → ``tests/data/hf_param_counts_real.json``.
``caches``
    one small model of each cache/state layer kind run forward on the CPU
    (random weights) and the shapes of the cache tensors transformers keeps →
    ``tests/data/cache_shapes.json``.

Rules applied to each config:

* ``quantization_config`` is dropped, so quantized checkpoints (gpt-oss's MXFP4, DeepSeek-V3's
  FP8) are counted as their logical, unquantized parameters.
* ``auto_map`` is dropped: models are built with transformers' native classes, never with
  remote code (``kimi_k2`` is built as ``deepseek_v3``, the architecture it ships).
* Multimodal and wrapper configs are counted as the whole model
  (``AutoModelForImageTextToText``); ``total`` is its language model (every parameter outside
  the vision/audio towers and projector), ``vision`` the rest.
* ``active`` = total minus the routed experts a token does not use: in each MoE layer the
  experts' parameters times ``1 − k / E`` (k from the config's top-k key).
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import datetime as dt
import json
import random
import re
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch
import transformers
from transformers import AutoConfig, AutoModelForCausalLM, PreTrainedConfig
from transformers.models.auto.configuration_auto import CONFIG_MAPPING

ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIRS = (
    ROOT / "src" / "llmsizing" / "data" / "models",
    ROOT / "tests" / "data" / "heldout_configs",
)
DATA = ROOT / "tests" / "data"
DEFAULT_OUT = DATA / "hf_param_counts.json"
DEFAULTS_PY = ROOT / "src" / "llmsizing" / "hf" / "_defaults.py"
DROPPED_KEYS = ("quantization_config", "auto_map")
#: model_types that are not transformers classes, built as the architecture they ship
REMOTE_AS = {"kimi_k2": "deepseek_v3"}
#: causal LMs whose config nests a text_config but that have no vision or audio tower (the
#: Gemma 4 assistants, draft models over a Gemma 4 text model): counted whole as language
TEXT_ONLY_WRAPPERS = frozenset({"gemma4_assistant", "gemma4_unified_assistant"})
#: causal LMs with flat configs that hold vision or audio encoders all the same: FuyuForCausalLM
#: (vision_embed_tokens), Phi4MultimodalForCausalLM (model.embed_tokens_extend), GitForCausalLM
#: (git.image_encoder, git.visual_projection)
FLAT_MULTIMODAL = frozenset({"fuyu", "phi4_multimodal", "git"})

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
_FFN_RE = re.compile(r"\.(mlp|feed_forward|block_sparse_moe|mixer)\.")
_TOP_K_KEYS = (
    "num_experts_per_tok",
    "experts_per_token",
    "num_experts_per_token",
    "moe_topk",
    "moe_k",
    "top_k_experts",
    "moe_top_k",
)


def supported_types() -> dict[str, Any]:
    """llmsizing's family table (the script's llmsizing is the checkout it runs from)."""
    sys.path.insert(0, str(ROOT / "src"))
    from llmsizing.hf.families import FAMILIES

    return FAMILIES


# ------------------------------------------------------------------ counting
def categorize(name: str) -> str:
    """Map a parameter name to one of ``BREAKDOWN_KEYS``."""
    if "embed_tokens" in name or name.endswith("embeddings.weight"):
        return "embedding"
    if name.startswith("lm_head") or ".lm_head." in name:
        return "lm_head"
    leaf = name.rsplit(".", 2)[-2] if name.count(".") >= 1 else name
    if "norm" in leaf or re.search(r"layernorm\.\d+\.weight$", name):
        return "norms"
    # MuseSparkResidualGate: a learned per-channel residual mix, counted with the norms
    if name.endswith("_residual_gate.gate"):
        return "norms"
    # VoxtralRealtimeTextAdaRmsNorm: the time-conditioned scale of the post-attention norm
    if ".ada_rms_norm." in name:
        return "norms"
    # LongCat-Flash: mlps.0 reads the shortcut MoE's input on every token, mlps.1 is dense
    if ".mlps.0." in name:
        return "shared_experts"
    if ".mlps.1." in name:
        return "dense_ffn"
    if ".experts." in name:
        return "routed_experts"
    if "shared_expert_gate" in name:
        return "shared_expert_gate"
    if "shared_expert" in name or "shared_mlp" in name:
        return "shared_experts"
    if re.search(r"\.(mlp|feed_forward|block_sparse_moe|mixer)\.(gate|router)\.", name):
        return "router"
    if "self_attn" in name or ".attention." in name or "linear_attn" in name or "mamba" in name:
        return "attention"
    if _FFN_RE.search(name):
        return "dense_ffn"
    return "other"


def _top_k(cfg: Any) -> int | None:
    for key in _TOP_K_KEYS:
        value = getattr(cfg, key, None)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


#: JetMoE's JetMoeParallelExperts stacks: the MLP's experts (``mlp.input_linear``, no
#: ``.experts.``) and the attention's q/o experts; its attention router and output bias sit
#: under ``self_attention.experts.`` but run for every token
_JETMOE_EXPERTS_RE = re.compile(r"\.(mlp|self_attention\.experts)\.(input|output)_linear\.weight$")
_JETMOE_NOT_EXPERTS_RE = re.compile(r"\.self_attention\.experts\.(router\.|bias$)")


def _is_routed(name: str) -> bool:
    if _JETMOE_EXPERTS_RE.search(name):
        return True
    if name.endswith(".experts.post_expert_norm.weight"):
        # MuseSparkExperts.post_expert_norm: one norm for all experts, run on every token
        return False
    return ".experts." in name and "shared" not in name and not _JETMOE_NOT_EXPERTS_RE.search(name)


def _routed(named: list[tuple[str, torch.nn.Parameter]]) -> dict[int, tuple[int, int]]:
    """Per MoE layer: (routed experts, their parameters)."""
    per: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for name, p in named:
        if not _is_routed(name):
            continue
        m = _LAYER_RE.search(name)
        layer = int(m.group(1)) if m else -1
        idx = _EXPERT_INDEX_RE.search(name)
        if idx:  # one module per expert
            per[layer][0] = max(per[layer][0], int(idx.group(1)) + 1)
        elif p.dim() >= 2:  # fused: leading dimension is the expert index
            per[layer][0] = max(per[layer][0], int(p.shape[0]))
        per[layer][1] += p.numel()
    return {k: (v[0], v[1]) for k, v in per.items()}


def _active(named: list[tuple[str, Any]], total: int, k: int | None, zero: int = 0) -> int | None:
    """Total less the routed experts a token does not use: ``k / (E + zero)`` of them
    run per MoE layer (a pick of one of ``zero`` identity experts runs no weights)."""
    routed = _routed(named)
    if not routed or not k:
        return None
    idle = sum(
        params - params * k // (experts + zero) for experts, params in routed.values() if experts
    )
    return total - idle


def _is_language(name: str) -> bool:
    # Idefics3Model and SmolVLMModel name their language model ``text_model``;
    # ChameleonModel holds its decoder itself, beside ``model.vqmodel``
    return (
        name.startswith("lm_head")
        or ".language_model." in name
        or name.startswith(("model.language_model", "language_model", "model.text_model."))
        or name.startswith(("model.embed_tokens.", "model.layers.", "model.norm."))
        # Kosmos2ForConditionalGeneration / Kosmos2_5ForConditionalGeneration: text_model
        or name.startswith("text_model.")
        # GitForCausalLM: git.embeddings, git.encoder (the text decoder) and the head `output`
        # beside git.image_encoder and git.visual_projection
        or name.startswith(("git.embeddings.", "git.encoder.", "output."))
        # IdeficsForVisionText2Text: gated cross-attention layers beside model.layers
        or name.startswith("model.gated_cross_attn_layers.")
        # BlipForConditionalGeneration: text_decoder (BlipTextLMHeadModel) beside vision_model
        or name.startswith("text_decoder.")
    )


def _without_zero_expert_rows(
    named: list[tuple[str, torch.nn.Parameter]], cfg: Any
) -> list[tuple[str, Any]]:
    """LongCat-Flash's ``gate_up_proj`` cut to its ``n_routed_experts`` rows.

    ``LongcatFlashExperts`` (transformers 5.24) allocates ``gate_up_proj`` with
    ``n_routed_experts + zero_expert_num`` rows; the forward sends the zero experts'
    indices to an identity and no checkpoint holds those rows (the released one does
    not load into them), so the count follows the checkpoint.
    """
    zero = getattr(cfg, "zero_expert_num", 0) or 0
    if not zero or getattr(cfg, "model_type", "") != "longcat_flash":
        return named
    n = cfg.n_routed_experts
    return [
        (name, torch.empty(n, *p.shape[1:], device="meta"))
        if name.endswith(".mlp.experts.gate_up_proj")
        else (name, p)
        for name, p in named
    ]


def count_model(model: torch.nn.Module, cfg: Any, multimodal: bool = False) -> dict[str, Any]:
    """Count the parameters of an instantiated model, with a breakdown by name."""
    named = list(model.named_parameters())  # de-duplicates tied (shared) parameters
    named = _without_zero_expert_rows(named, _text(cfg))
    if multimodal:
        lang = [(n, p) for n, p in named if _is_language(n)]
        vision = sum(p.numel() for n, p in named if not _is_language(n))
    else:
        lang, vision = named, 0
    breakdown = dict.fromkeys(BREAKDOWN_KEYS, 0)
    for name, param in lang:
        breakdown[categorize(name)] += param.numel()
    total = sum(p.numel() for _, p in lang)
    inp, out = model.get_input_embeddings(), model.get_output_embeddings()
    # KyutaiSpeechToTextEmbeddings wraps its table as embed_tokens
    inp = inp if hasattr(inp, "weight") else getattr(inp, "embed_tokens", inp)
    tied = bool(out is not None and out.weight is inp.weight)
    entry: dict[str, Any] = {"total": total, "breakdown": breakdown, "tied": tied}
    active = _active(lang, total, _top_k(cfg), getattr(_text(cfg), "zero_expert_num", 0) or 0)
    if active is not None:
        entry["active"] = active
        entry["experts_per_token"] = _top_k(cfg)
    if multimodal:
        entry["vision"] = vision
    return entry


def _text(cfg: Any) -> Any:
    return cfg.get_text_config() if hasattr(cfg, "get_text_config") else cfg


def build(
    raw: dict[str, Any], check: Callable[[Any], None] | None = None
) -> tuple[Any, Any, bool, list[str]]:
    """The transformers config and model of a config.json dict (meta device)."""
    notes = [f"dropped `{k}` before instantiating" for k in DROPPED_KEYS if k in raw]
    data = {k: v for k, v in raw.items() if k not in DROPPED_KEYS}
    model_type = data.pop("model_type")
    if model_type in REMOTE_AS:
        notes.append(f"`{model_type}` is remote code; built as `{REMOTE_AS[model_type]}`")
        model_type = REMOTE_AS[model_type]
    # a copy: Step3p7Config.__post_init__ pops the sub-configs' model_type from the dicts given
    cfg = AutoConfig.for_model(model_type, **copy.deepcopy(data))
    if check is not None:
        check(cfg)
    causal = transformers.models.auto.modeling_auto.MODEL_FOR_CAUSAL_LM_MAPPING_NAMES
    # FuyuForCausalLM is a causal LM whose released configs are flat: its patch projection
    # (vision_embed_tokens) is the vision part all the same
    multimodal = model_type not in TEXT_ONLY_WRAPPERS and (
        model_type not in causal or "text_config" in data or model_type in FLAT_MULTIMODAL
    )
    with torch.device("meta"):
        if model_type == "evolla":
            # EvollaForProteinText2Text: no auto class maps it (protein + text to text)
            model = transformers.EvollaForProteinText2Text(cfg)
        elif multimodal:
            try:
                model = transformers.AutoModelForImageTextToText.from_config(cfg)
            except ValueError:
                try:
                    # speech / audio LMs (Qwen2-Audio, Voxtral, Granite Speech ...)
                    model = transformers.AutoModelForMultimodalLM.from_config(cfg)
                except ValueError:
                    model = AutoModelForCausalLM.from_config(cfg)
        else:
            model = AutoModelForCausalLM.from_config(cfg)
    # Mistral4 is mapped for image-text-to-text but builds a text-only Mistral4ForCausalLM
    if (
        multimodal
        and type(model).__name__.endswith("ForCausalLM")
        and "text_config" not in data
        and model_type not in FLAT_MULTIMODAL
    ):
        multimodal = False
    return cfg, model, multimodal, notes


def derive_config(
    raw: dict[str, Any], check: Callable[[Any], None] | None = None
) -> dict[str, Any]:
    """Counts and cache-relevant facts of one config dict."""
    cfg, model, multimodal, notes = build(raw, check)
    entry = count_model(model, _text(cfg), multimodal)
    text = _text(cfg)
    entry["class"] = type(model).__name__
    lt = getattr(text, "layer_types", None)
    if isinstance(lt, list | tuple):
        entry["layer_types"] = list(lt)
    for key in ("sliding_window", "attention_chunk_size", "num_hidden_layers"):
        v = getattr(text, key, None)
        if isinstance(v, int) and not isinstance(v, bool):
            entry[key] = v
    if notes:
        entry["notes"] = notes
    del model
    return entry


# -------------------------------------------------------------------- presets
def derive(path: Path) -> dict[str, Any]:
    raw = json.loads(path.read_text())
    entry = derive_config(raw)
    return {
        "source": str(path.relative_to(ROOT)),
        "set": "heldout" if path.parent.name == "heldout_configs" else "preset",
        "model_type": raw.get("model_type"),
        **entry,
    }


def config_paths(only: list[str] | None) -> list[Path]:
    paths = sorted(p for d in CONFIG_DIRS if d.is_dir() for p in d.glob("*.json"))
    if only:
        paths = [p for p in paths if p.stem in only]
    return paths


def _header() -> dict[str, Any]:
    return {
        "transformers_version": transformers.__version__,
        "torch_version": torch.__version__,
        "generated": dt.date.today().isoformat(),
        "method": (
            "transformers on the meta device; total = sum(p.numel() for p in"
            " model.parameters()) over the language model (a tied embedding/lm_head"
            " once); active = total minus routed-expert parameters x (1 - k/E)"
        ),
    }


def cmd_presets(args: argparse.Namespace) -> None:
    models = {}
    for path in config_paths(args.only):
        print(f"{path.stem} ...", file=sys.stderr, flush=True)
        models[path.stem] = derive(path)
    _write(args.out or DEFAULT_OUT, {**_header(), "models": models})


def cmd_real(args: argparse.Namespace) -> None:
    """Count every config.json in the given directories; ``set`` is the directory's name."""
    models = {}
    for d in args.dirs:
        for path in sorted(Path(d).resolve().glob("*.json")):
            raw = json.loads(path.read_text())
            head = {
                "source": str(path.relative_to(ROOT)),
                "set": path.parent.name,
                "model_type": raw.get("model_type"),
            }
            try:
                models[path.stem] = head | derive_config(raw)
            except Exception as e:  # a type this transformers cannot build: recorded, not counted
                models[path.stem] = head | {"error": repr(e)[:300]}
            print(path.stem, models[path.stem].get("total", models[path.stem].get("error")))
    _write(Path(args.out), {**_header(), "models": models})


def _write(path: Path, doc: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=1, sort_keys=False) + "\n")
    print(f"wrote {path}", file=sys.stderr)


# ------------------------------------------------------------------- defaults
# keys that do not shape parameters or caches
_NOT_SHAPE = re.compile(
    r"(eps$|dropout|initializer|token_id|^rope|use_cache|_act$|activation|multiplier|"
    r"softcap|temperature|loss|output_router|_std$|dt_min|dt_max|dt_floor|dt_init|time_step|"
    r"^chunk_size$|_range$|^pad_|^bos|^eos|^sep|^is_|capacity|jitter|coef$|torchscript|"
    r"problem_type|tokenizer|^task|label|scaling_factor|routed_scaling|norm_topk|residual_in|"
    r"rescale|use_mamba_kernels|logits_to_keep|pretraining_tp|_theta|attn_implementation|"
    r"layer_norm_epsilon|router_z|aux_loss|balance|score_func|scoring_func|topk_method|"
    r"^output_|^return_|_pdrop$|logit_scale|logits_scaling|query_pre_attn|clip_qkv)"
)


def class_defaults(model_type: str) -> tuple[dict[str, Any], dict[str, str], str | None]:
    """(shape-relevant field defaults, attribute_map, text sub-config type) of a config class."""
    cls = CONFIG_MAPPING[model_type]
    base = {f.name for f in dataclasses.fields(PreTrainedConfig)}
    out: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if (f.name in base and f.name != "tie_word_embeddings") or _NOT_SHAPE.search(f.name):
            continue
        d = f.default
        if d is dataclasses.MISSING:
            if f.default_factory is dataclasses.MISSING:
                continue
            d = f.default_factory()
        if isinstance(d, int | float | str | bool | type(None)):
            out[f.name] = d
        elif isinstance(d, list | tuple) and all(isinstance(x, int | str | float) for x in d):
            out[f.name] = list(d)
    sub = getattr(cls, "sub_configs", {}) or {}
    text = sub.get("text_config")
    text_type = getattr(text, "model_type", None) if text is not None else None
    return out, dict(getattr(cls, "attribute_map", {}) or {}), text_type


#: families whose reader follows the authors' own inference code and its defaults
#: (DeepSeek-V4's ``inference/model.py`` ``ModelArgs``), not a transformers config class
OWN_DEFAULTS = frozenset({"deepseek_v4"})


def cmd_defaults(args: argparse.Namespace) -> None:
    families = supported_types()
    types = set()
    for mt, fam in families.items():
        types.add(REMOTE_AS.get(mt, mt))
        if fam.text_config:
            types.add(fam.text_config)
    defaults: dict[str, Any] = {}
    aliases: dict[str, Any] = {}
    texts: dict[str, str] = {}
    for mt in sorted(types):
        if mt not in CONFIG_MAPPING:
            print(f"skip {mt}: not a transformers model_type", file=sys.stderr)
            continue
        if mt in OWN_DEFAULTS:
            print(f"skip {mt}: read with its authors' defaults", file=sys.stderr)
            continue
        d, a, t = class_defaults(mt)
        defaults[mt] = d
        if a:
            aliases[mt] = a
        if t:
            texts[mt] = t
    for mt, src in REMOTE_AS.items():
        if src in defaults:
            defaults[mt], aliases[mt] = defaults[src], aliases.get(src, {})
    # causal-LM classes that never tie their head (no _tied_weights_keys)
    never_tied = []
    for mt in sorted(families):
        try:
            cls = AutoModelForCausalLM._model_mapping[CONFIG_MAPPING[REMOTE_AS.get(mt, mt)]]
        except (KeyError, ValueError):
            continue
        if not getattr(cls, "_tied_weights_keys", None):
            never_tied.append(mt)
    body = (
        '"""Defaults of the transformers configuration classes of the supported model types.\n\n'
        "Generated by ``scripts/derive_param_counts.py defaults`` from transformers "
        f"{transformers.__version__}; do not edit.\n"
        "``DEFAULTS[model_type]``: the class's default for each key that shapes parameters or "
        "caches;\n``ALIASES[model_type]``: its ``attribute_map`` (other names of keys);\n"
        "``TEXT_CONFIGS[model_type]``: the model_type of a composite config's ``text_config``.\n"
        '"""\n\n'
        "from typing import Any\n\n"
        f"TRANSFORMERS_VERSION = {transformers.__version__!r}\n\n"
        f"DEFAULTS: dict[str, dict[str, Any]] = {defaults!r}\n\n"
        f"ALIASES: dict[str, dict[str, str]] = {aliases!r}\n\n"
        f"TEXT_CONFIGS: dict[str, str] = {texts!r}\n\n"
        "#: causal-LM classes with no tied weights: their head is never the embedding\n"
        f"NEVER_TIED: frozenset[str] = frozenset({never_tied!r})\n"
    )
    DEFAULTS_PY.write_text(body)
    print(f"wrote {DEFAULTS_PY} ({len(defaults)} classes)", file=sys.stderr)


# ------------------------------------------------------------------- families
Knobs = Callable[[random.Random], dict[str, Any]]


def _pick(rng: random.Random, *xs: Any) -> Any:
    return rng.choice(xs)


def base_knobs(rng: random.Random, fields: set[str]) -> dict[str, Any]:
    """Small sizes for the keys every decoder has (where the class has them)."""
    heads = _pick(rng, 2, 4, 8)
    kv = _pick(rng, *[d for d in (1, 2, 4, 8) if heads % d == 0])
    hd = _pick(rng, 16, 32, 64)
    out: dict[str, Any] = {
        "vocab_size": rng.randrange(300, 4000),
        "num_hidden_layers": rng.randrange(2, 7),
        "num_attention_heads": heads,
        "num_key_value_heads": kv,
        "intermediate_size": 16 * rng.randrange(4, 40),
        "tie_word_embeddings": rng.random() < 0.4,
        "max_position_embeddings": _pick(rng, 2048, 8192, 131072),
    }
    if "head_dim" in fields:
        out["head_dim"] = hd
        out["hidden_size"] = 32 * rng.randrange(2, 12)
    else:
        out["hidden_size"] = heads * hd
    for b in ("attention_bias", "mlp_bias", "use_qk_norm", "qk_layernorm", "use_bias"):
        if b in fields:
            out[b] = rng.random() < 0.4
    if "sliding_window" in fields:
        out["sliding_window"] = _pick(rng, 16, 64, 256, None)
    if "use_sliding_window" in fields:
        out["use_sliding_window"] = rng.random() < 0.5
        out["max_window_layers"] = rng.randrange(0, 4)
    return out


def moe_knobs(rng: random.Random, fields: set[str]) -> dict[str, Any]:
    e = _pick(rng, 4, 8, 16)
    k = rng.randrange(1, min(e, 4) + 1)
    out: dict[str, Any] = {}
    for key in ("num_experts", "num_local_experts", "n_routed_experts", "moe_num_experts"):
        if key in fields:
            out[key] = e
    for key in _TOP_K_KEYS:
        if key in fields:
            out[key] = k
    for key in ("moe_intermediate_size", "expert_intermediate_size"):
        if key in fields:
            out[key] = 16 * rng.randrange(2, 12)
    for key in ("shared_expert_intermediate_size", "moe_shared_expert_intermediate_size"):
        if key in fields:
            out[key] = _pick(rng, 0, 64, 128)
    for key in ("n_shared_experts", "num_shared_experts", "moe_num_shared_experts"):
        if key in fields:
            out[key] = _pick(rng, 0, 1, 2)
    for key in ("first_k_dense_replace", "moe_layer_start_index"):
        if key in fields:
            out[key] = rng.randrange(0, 3)
    if "decoder_sparse_step" in fields:
        out["decoder_sparse_step"] = _pick(rng, 1, 1, 2)
    if "n_group" in fields:
        out["n_group"] = 1
        out["topk_group"] = 1
    return out


#: family-specific knobs, applied over the generic ones (see FAMILY_KNOBS below)
FAMILY_KNOBS: dict[str, Knobs] = {}


def family_knobs(model_type: str) -> Callable[[Callable[..., dict[str, Any]]], Knobs]:
    def deco(fn: Callable[..., dict[str, Any]]) -> Knobs:
        FAMILY_KNOBS[model_type] = fn
        return fn

    return deco


def random_config(model_type: str, rng: random.Random) -> dict[str, Any]:
    """A random small config of ``model_type`` (a text type; wrappers get a text_config)."""
    fams = supported_types()
    fam = fams[model_type]
    inner = fam.text_config or model_type
    build_type = REMOTE_AS.get(inner, inner)
    fields = {f.name for f in dataclasses.fields(CONFIG_MAPPING[build_type])}
    cfg = base_knobs(rng, fields)
    cfg |= moe_knobs(rng, fields)
    if inner in FAMILY_KNOBS:
        cfg |= FAMILY_KNOBS[inner](rng, cfg)
    cfg = {k: v for k, v in cfg.items() if k in fields or k in _EXTRA_KEYS.get(inner, ())}
    # leave about one key in five out: the class default applies
    protect = _PROTECTED.get(inner, set())
    cfg = {k: v for k, v in cfg.items() if k in protect or rng.random() > 0.2}
    cfg = {k: v for k, v in cfg.items() if v is not None or rng.random() < 0.5}
    if fam.text_config:
        cfg["model_type"] = inner
        extra = _WRAPPER_EXTRA.get(model_type, {})
        if callable(extra):  # a non-text part sized by the drawn text config
            extra = extra(cfg)
        return {"model_type": model_type, "text_config": cfg, **extra}
    return {"model_type": model_type, **cfg}


#: keys a family reads although they are not fields of its class (popped in __post_init__)
_EXTRA_KEYS: dict[str, tuple[str, ...]] = {}
#: keys never left out (the class default would be invalid with the drawn sizes)
_PROTECTED: dict[str, set[str]] = {}
#: the non-text part of wrapper configs (small vision towers), or a function of the drawn
#: text config that gives it
_WRAPPER_EXTRA: dict[str, dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]]] = {
    # AyaVisionConfig's default SigLIP tower has 14 heads for a width of 1152, which
    # SiglipAttention refuses (1152 / 14 is not whole); a SigLIP so400m tower has 16
    "aya_vision": {
        "vision_config": {
            "model_type": "siglip_vision_model",
            "hidden_size": 1152,
            "intermediate_size": 4304,
            "num_hidden_layers": 26,
            "num_attention_heads": 16,
            "patch_size": 14,
            "image_size": 384,
            "vision_use_head": False,
        }
    },
}


def _mla(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    return {
        "q_lora_rank": _pick(rng, None, 32, 64),
        "kv_lora_rank": _pick(rng, 16, 32, 64),
        "qk_nope_head_dim": _pick(rng, 8, 16, 32),
        "qk_rope_head_dim": _pick(rng, 8, 16),
        "v_head_dim": _pick(rng, 8, 16, 32),
        "num_attention_heads": _pick(rng, 2, 3, 4, 8),
        "num_key_value_heads": None,
        "hidden_size": 32 * rng.randrange(2, 10),
        "moe_layer_freq": _pick(rng, 1, 1, 2),
        "num_nextn_predict_layers": _pick(rng, 0, 1),
    }


for _t in ("deepseek_v2", "deepseek_v3", "kimi_k2", "glm4_moe_lite", "minicpm3", "mistral4"):
    FAMILY_KNOBS[_t] = _mla


@family_knobs("deepseek_v32")
def _dsa(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    out = _mla(rng, cfg) | {"q_lora_rank": _pick(rng, 32, 64)}
    out |= {"index_n_heads": _pick(rng, 2, 4), "index_head_dim": _pick(rng, 16, 32, 128)}
    out["index_topk"] = _pick(rng, 8, 64)
    return out


@family_knobs("glm_moe_dsa")
def _glm_dsa(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    out = _dsa(rng, cfg)
    if rng.random() < 0.5:
        out["index_topk_freq"] = _pick(rng, 1, 2, 3)
        out["index_skip_topk_offset"] = _pick(rng, 0, 1, 2)
    return out


@family_knobs("longcat_flash")
def _longcat_flash(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """MLA sizes, blocks of two attention layers, routed + zero experts, router bias."""
    out = _mla(rng, cfg)
    out.pop("moe_layer_freq", None)
    out.pop("num_nextn_predict_layers", None)
    blocks = rng.randrange(1, 5)
    experts = _pick(rng, 4, 8, 16)
    out |= {
        # LongcatFlashMLA always has the query LoRA; its RoPE runs over head_dim
        "q_lora_rank": _pick(rng, 16, 32, 64),
        "head_dim": out["qk_rope_head_dim"],
        "attention_bias": rng.random() < 0.4,
        "num_layers": blocks,
        "ffn_hidden_size": 16 * rng.randrange(2, 12),
        "expert_ffn_hidden_size": 16 * rng.randrange(1, 8),
        "n_routed_experts": experts,
        "zero_expert_num": _pick(rng, 0, 1, 2, 4, 8),
        "moe_topk": rng.randrange(1, min(experts, 4) + 1),
        "router_bias": rng.random() < 0.3,
    }
    if rng.random() < 0.25:
        # LongcatFlashConfig's setter: num_layers = num_hidden_layers // 2 (odd drops one)
        out["num_hidden_layers"] = 2 * blocks + _pick(rng, 0, 1)
    return out


# LongcatFlashTopkRouter reads router_bias through getattr; num_hidden_layers goes to the
# config's property setter (num_layers = value // 2)
_EXTRA_KEYS["longcat_flash"] = ("router_bias", "num_hidden_layers")


@family_knobs("lfm3")
def _lfm3(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """conv, full and sliding layers, gate and sandwich norms on/off."""
    n = rng.randrange(2, 9)
    out: dict[str, Any] = {
        "num_hidden_layers": n,
        "conv_L_cache": _pick(rng, 2, 3, 7),
        "conv_bias": rng.random() < 0.4,
        "use_sandwich_norm": rng.random() < 0.6,
        "use_attention_gate": rng.random() < 0.6,
        "head_dim": _pick(rng, 16, 32),
        "sliding_window": _pick(rng, 16, 64, None),
        # pad_token_id: the default 124893 lies beyond the small vocabularies drawn
        "pad_token_id": 0,
    }
    kinds = [_pick(rng, "conv", "conv", "full_attention", "sliding_attention") for _ in range(n)]
    # None: Lfm3Config's own pattern
    out["layer_types"] = _pick(rng, kinds, None)
    return out


@family_knobs("granite_swa")
def _granite_swa(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """explicit or default layer kinds, NoPE layers."""
    n = rng.randrange(2, 9)
    out: dict[str, Any] = {"num_hidden_layers": n}
    kinds = [_pick(rng, "full_attention", "sliding_attention") for _ in range(n)]
    out["layer_types"] = _pick(rng, kinds, None)
    thetas = [_pick(rng, 0, 10_000.0, 10_000.0, 50_000.0) for _ in range(n)]
    out["layer_rope_theta"] = _pick(rng, thetas, [0] * n, None)
    return out


@family_knobs("granitemoe_swa")
def _granitemoe_swa(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """granite_swa's layer knobs and a shared MLP or none."""
    out = _granite_swa(rng, cfg)
    out["shared_intermediate_size"] = _pick(rng, 0, 0, 64, 128)
    return out


@family_knobs("jais2")
def _jais2(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """head_dim absent, null (hidden / heads) or given."""
    return {"head_dim": _pick(rng, None, None, 16, 32, 64)}


# the per-layer lists are drawn for these layer counts; LFM3's default pad id lies beyond
# the small vocabularies drawn
_PROTECTED["lfm3"] = {"num_hidden_layers", "layer_types", "pad_token_id"}
_PROTECTED["granite_swa"] = {"num_hidden_layers", "layer_types", "layer_rope_theta"}
_PROTECTED["granitemoe_swa"] = {"num_hidden_layers", "layer_types", "layer_rope_theta"}


@family_knobs("cwm")
def _cwm(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    # CwmConfig refuses heads that do not divide hidden_size (whatever head_dim says) and a
    # null or zero window; layer_types explicit half the time (else i % 4 == 0 is full)
    n = rng.randrange(2, 10)
    heads = cfg["num_attention_heads"]
    out: dict[str, Any] = {
        "num_hidden_layers": n,
        "hidden_size": heads * _pick(rng, 16, 24, 32),
        "sliding_window": _pick(rng, 8, 16, 64, 4096),
    }
    if rng.random() < 0.5:
        out["layer_types"] = [_pick(rng, "full_attention", "sliding_attention") for _ in range(n)]
    return out


@family_knobs("youtu")
def _youtu(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    # the DeepSeek MLA sizes (the script's _mla: q_lora_rank None or not, heads that need not
    # divide hidden_size); num_key_value_heads equal to the heads (YoutuAttention runs with
    # no other count), both protected so that neither falls back to the class's 16 alone
    out: dict[str, Any] = _mla(rng, cfg)
    out["num_key_value_heads"] = out["num_attention_heads"]
    out["rope_interleave"] = rng.random() < 0.5
    return out


@family_knobs("nanochat")
def _nanochat(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    # head_dim is read by getattr (not a class field): given a third of the time, wider or
    # narrower than hidden_size / heads
    out: dict[str, Any] = {"num_hidden_layers": rng.randrange(2, 9)}
    if rng.random() < 0.35:
        out["head_dim"] = _pick(rng, 16, 24, 48, 64)
    return out


@family_knobs("laguna")
def _laguna(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    # full and sliding layers, each kind with its own query-head count (a multiple of the KV
    # heads) given per layer or not at all; dense and sparse FFNs given per layer or by the
    # class default (layer 0 dense); the gate per head or per channel; partial RoPE per kind
    n = rng.randrange(2, 9)
    kv = cfg["num_key_value_heads"]
    kinds = [_pick(rng, "full_attention", "sliding_attention") for _ in range(n)]
    out: dict[str, Any] = {
        "num_hidden_layers": n,
        "sliding_window": _pick(rng, 8, 16, 64, 512),
        "gating": _pick(rng, True, True, False, "per-head", "per-element"),
        "layer_types": _pick(rng, kinds, kinds, None),
    }
    listed = out["layer_types"] or ["full_attention"] * n
    if rng.random() < 0.6:
        heads = {t: kv * _pick(rng, 1, 2, 4) for t in ("full_attention", "sliding_attention")}
        out["num_attention_heads_per_layer"] = [heads[t] for t in listed]
    if rng.random() < 0.7:
        out["mlp_layer_types"] = [_pick(rng, "dense", "sparse") for _ in range(n)]
    if rng.random() < 0.5:
        out["rope_parameters"] = {
            t: {
                "rope_type": "default",
                "rope_theta": 10000.0,
                "partial_rotary_factor": _pick(rng, 0.25, 0.5, 1.0),
            }
            for t in ("full_attention", "sliding_attention")
        }
    return out


_PROTECTED["cwm"] = {"num_hidden_layers", "layer_types", "num_attention_heads", "sliding_window"}
_PROTECTED["youtu"] = {"num_attention_heads", "num_key_value_heads"}
# NanoChatAttention reads head_dim through getattr: not a class field
_EXTRA_KEYS["nanochat"] = ("head_dim",)
# the per-layer lists are drawn for this layer count, the per-layer heads for these KV heads
_PROTECTED["laguna"] = {
    "num_hidden_layers",
    "layer_types",
    "mlp_layer_types",
    "num_attention_heads_per_layer",
    "num_key_value_heads",
}


@family_knobs("mistral_large4_text")
def _mistral_large4_text(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Random small MistralLarge4TextConfig keys.

    MLA widths, the indexer sizes, and each per-layer list given explicitly, through the
    kwargs ``MistralLarge4TextConfig.__post_init__`` pops, or left to the class rule. KV
    sources point at an earlier own-cache layer of the same RoPE kind (transformers keeps the
    shared latent by RoPE kind); half the draws share only in the last layers
    (``kv_shared_layers``), half anywhere. ``num_key_value_heads`` equals the heads (the
    eager attention repeats the expanded K by their ratio), ``index_head_dim`` is at least
    the RoPE width (the indexer splits its RoPE slice off), layer 0 runs its indexer.
    """
    n = rng.randrange(2, 9)
    heads = _pick(rng, 2, 3, 4, 8)
    rope_dim = _pick(rng, 8, 16)
    out: dict[str, Any] = {
        "num_hidden_layers": n,
        "num_attention_heads": heads,
        "num_key_value_heads": heads,
        "hidden_size": 32 * rng.randrange(2, 10),
        "kv_lora_rank": _pick(rng, 16, 32, 64),
        "qk_nope_head_dim": _pick(rng, 8, 16, 32),
        "qk_rope_head_dim": rope_dim,
        "v_head_dim": _pick(rng, 8, 16, 32),
        "index_n_heads": _pick(rng, 1, 2, 4),
        "index_head_dim": _pick(rng, 16, 32, 64),
        "index_topk": _pick(rng, 4, 16, 64),
        "attention_bias": rng.random() < 0.4,
    }
    how = _pick(rng, "list", "interval", None)
    if how == "list":
        rope = [_pick(rng, 0, 1, 1) for _ in range(n)]
        out["no_rope_layers"] = rope
    else:
        interval = _pick(rng, 2, 3, 4) if how == "interval" else 4
        if how == "interval":
            out["no_rope_layer_interval"] = interval
        rope = [int((i + 1) % interval != 0) for i in range(n)]
    how = _pick(rng, "list", "pattern", "freq", None)
    if how == "list":
        out["indexer_types"] = ["full"] + [_pick(rng, "full", "shared") for _ in range(n - 1)]
    elif how == "pattern":
        out["index_topk_pattern"] = "F" + "".join(_pick(rng, "F", "S") for _ in range(n - 1))
    elif how == "freq":
        out["index_topk_freq"] = _pick(rng, 1, 2, 3)
        # offset >= 1: with offset 0 and freq > 1 layer 0 would be "shared" (refused)
        out["index_skip_topk_offset"] = _pick(rng, 1, 2, 3)
    how = _pick(rng, "suffix", "any", None)
    if how is not None:
        start = rng.randrange(1, n) if how == "suffix" else 1
        src = list(range(n))
        for i in range(start, n):
            if how == "suffix" or rng.random() < 0.5:
                cands = [j for j in range(i) if src[j] == j and rope[j] == rope[i]]
                if cands:
                    src[i] = rng.choice(cands)
        out["kv_source_layers"] = src
    if rng.random() < 0.4:
        out["mlp_layer_types"] = [_pick(rng, "dense", "sparse", "sparse") for _ in range(n)]
    return out


_EXTRA_KEYS["mistral_large4_text"] = (
    "no_rope_layer_interval",
    "index_topk_pattern",
    "index_topk_freq",
    "index_skip_topk_offset",
)
# the per-layer lists are drawn for this layer count and RoPE pattern; KV heads = heads
_PROTECTED["mistral_large4_text"] = {
    "num_hidden_layers",
    "num_attention_heads",
    "num_key_value_heads",
    "qk_rope_head_dim",
    "index_head_dim",
    "no_rope_layers",
    "no_rope_layer_interval",
    "kv_source_layers",
    "indexer_types",
    "index_topk_pattern",
    "mlp_layer_types",
}
# a small PixtralVisionModel (the default tower has 30 layers of width 2048)
_WRAPPER_EXTRA["mistral_large4"] = {
    "vision_config": {
        "model_type": "pixtral",
        "hidden_size": 64,
        "intermediate_size": 96,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "patch_size": 14,
        "image_size": 56,
    },
    "spatial_merge_size": 2,
}


@family_knobs("gemma3n_text")
def _gemma3n(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Gemma 3n: layer patterns with KV sharing that transformers accepts, per-layer FFN
    widths (MatFormer), PLE width 0 or not, AltUp inputs 1-4, LAuReL rank."""
    n = rng.randrange(2, 9)
    how = _pick(rng, "default", "random")
    if how == "random":
        kinds = [_pick(rng, "sliding_attention", "full_attention") for _ in range(n)]
    else:
        kinds = ["full_attention" if (i + 1) % 5 == 0 else "sliding_attention" for i in range(n)]
    # kv_sharing_modes: every kind in the shared tail needs an earlier layer of that kind
    valid = [s for s in range(n) if set(kinds[n - s :]) <= set(kinds[: n - s])]
    out: dict[str, Any] = {
        "num_hidden_layers": n,
        "layer_types": kinds if how == "random" else None,
        "num_kv_shared_layers": _pick(rng, 0, *valid),
        "head_dim": _pick(rng, 16, 32, 64),
        "sliding_window": _pick(rng, 16, 64, 512),
        "hidden_size_per_layer_input": _pick(rng, 0, 8, 16, 32),
        "vocab_size_per_layer_input": _pick(rng, 300, 700, 5000),
        "altup_num_inputs": _pick(rng, 1, 2, 3, 4),
        "laurel_rank": _pick(rng, 4, 16, 64),
    }
    if rng.random() < 0.5:
        out["intermediate_size"] = [16 * rng.randrange(2, 40) for _ in range(n)]
    if rng.random() < 0.3:
        out["activation_sparsity_pattern"] = [_pick(rng, 0.0, 0.95) for _ in range(n)]
    if out["layer_types"] is None:
        del out["layer_types"]
    return out


# the per-layer lists and the sharing are drawn for this layer count
_PROTECTED["gemma3n_text"] = {
    "num_hidden_layers",
    "layer_types",
    "num_kv_shared_layers",
    "intermediate_size",
    "activation_sparsity_pattern",
}
# a small Conformer audio tower (the default has 12 layers of width 1536); the vision tower
# is timm's mobilenetv5_300m_enc whatever the config (TimmWrapperModel: needs timm)
_WRAPPER_EXTRA["gemma3n"] = {
    "audio_config": {
        "hidden_size": 32,
        "conf_num_hidden_layers": 1,
        "conf_num_attention_heads": 2,
        "sscp_conv_channel_size": [8, 4],
    }
}


@family_knobs("qwen4_exp_text")
def _qwen4_exp(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """GDN and QSA layers, hyper-connections, PLE layers.

    Layer kinds from ``full_attention_interval`` or an explicit ``layer_types`` (in either
    spelling); an indexer whose head holds the rotary part; PLE on some linear layers with
    small n-gram tables (a small ``ngram_vocab_size_base``) and an ``eos_token_id`` inside
    the vocabulary.
    """
    n = rng.randrange(2, 9)
    nk = _pick(rng, 1, 2, 4)
    interval = _pick(rng, 2, 3, 4)
    kinds = ["linear_attention" if (i + 1) % interval else "indexed_attention" for i in range(n)]
    head_dim = cfg.get("head_dim", 32)
    frac = _pick(rng, 0.25, 0.5, 1.0)
    out: dict[str, Any] = {
        "num_hidden_layers": n,
        "linear_num_key_heads": nk,
        "linear_num_value_heads": nk * _pick(rng, 1, 2),
        "linear_key_head_dim": _pick(rng, 16, 32),
        "linear_value_head_dim": _pick(rng, 16, 32),
        "linear_conv_kernel_dim": _pick(rng, 2, 4),
        "shared_expert_intermediate_size": 16 * rng.randrange(2, 12),
        "hc_count": _pick(rng, 2, 3, 4),
        "hc_lowrank": _pick(rng, 8, 16, 32),
        "indexer_n_heads": _pick(rng, 1, 2, 4),
        "indexer_kv_heads": 1,
        "indexer_head_dim": max(int(head_dim * frac), _pick(rng, 16, 32)),
        "indexer_compress_ratio": (ratio := _pick(rng, 2, 4, 8)),
        "indexer_budget": ratio * _pick(rng, 1, 2, 4),
        "eos_token_id": rng.randrange(0, 300),
        "output_gate_type": _pick(rng, "sigmoid", "silu", None),
    }
    how = _pick(rng, "interval", "types", "checkpoint")
    if how == "interval":
        out["full_attention_interval"] = interval
    else:
        # the released checkpoint writes "full_attention" for the indexed layers
        spell = "full_attention" if how == "checkpoint" else "indexed_attention"
        out["layer_types"] = [k if k == "linear_attention" else spell for k in kinds]
    if rng.random() < 0.7:
        out["rope_parameters"] = {
            "rope_type": "default",
            "rope_theta": 10000.0,
            "partial_rotary_factor": frac,
        }
    elif frac < 1:
        out["partial_rotary_factor"] = frac
    linear = [i + 1 for i, k in enumerate(kinds) if k == "linear_attention"]
    if linear and rng.random() < 0.7:
        size = _pick(rng, 2, 3, 4)
        per = _pick(rng, 1, 2, 4)
        out |= {
            "ple_layer_ids": rng.sample(linear, rng.randrange(1, min(len(linear), 2) + 1)),
            "ngram_size": size,
            "heads_per_ngram": per,
            "ple_embed_dim": (size - 1) * per * _pick(rng, 2, 4, 8),
            "ple_conv_kernel_size": _pick(rng, 2, 3, 4),
            "ngram_vocab_size_base": _pick(rng, 2, 50, 300, 1000),
            "make_ngram_vocab_size_divisible_by": _pick(rng, 1, 8, 128),
            "seed": rng.randrange(0, 10000),
        }
    return out


# full_attention_interval and partial_rotary_factor are popped from the kwargs
_EXTRA_KEYS["qwen4_exp_text"] = ("full_attention_interval", "partial_rotary_factor")
# drawn together: the layer pattern the PLE ids point into, the QSA group (all or none),
# the id the n-gram hash pads with, the rotary factor the index head must hold
_PROTECTED["qwen4_exp_text"] = {
    "num_hidden_layers",
    "layer_types",
    "full_attention_interval",
    "ple_layer_ids",
    "eos_token_id",
    "ngram_vocab_size_base",
    "head_dim",
    "rope_parameters",
    "partial_rotary_factor",
    "indexer_n_heads",
    "indexer_kv_heads",
    "indexer_head_dim",
    "indexer_budget",
    "indexer_compress_ratio",
}
# a small Qwen4ExpVisionModel (the default tower has 27 blocks of width 1152)
_WRAPPER_EXTRA["qwen4_exp"] = {
    "vision_config": {
        "depth": 2,
        "hidden_size": 32,
        "intermediate_size": 64,
        "num_heads": 2,
        "patch_size": 8,
        "out_hidden_size": 96,
        "num_position_embeddings": 64,
    }
}


@family_knobs("gemma4_unified_text")
def _gemma4_unified(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Gemma 4's attention knobs (K=V global layers with their own KV heads and width, KV
    sharing, double-wide MLPs), the layer kinds given or by the class's pattern, the three
    bidirectional modes ("all" halves the window), and now and then the Gemma 4 PLE / MoE
    keys the unified model does not read."""
    n = rng.randrange(2, 9)
    out: dict[str, Any] = {
        "num_hidden_layers": n,
        "attention_k_eq_v": rng.random() < 0.5,
        "global_head_dim": _pick(rng, 32, 64),
        "num_global_key_value_heads": _pick(rng, 1, 2),
        # at most n - 2: a sharing layer needs an earlier non-sharing layer of its kind
        "num_kv_shared_layers": _pick(rng, 0, 0, 1, 2) if n > 3 else 0,
        "use_double_wide_mlp": rng.random() < 0.4,
        "sliding_window": _pick(rng, 8, 16, 64),
        "use_bidirectional_attention": _pick(rng, "vision", "vision", None, "all"),
    }
    if rng.random() < 0.4:
        out["layer_types"] = [_pick(rng, "sliding_attention", "full_attention") for _ in range(n)]
    if rng.random() < 0.3:
        # Gemma4TextConfig keys, ignored by the unified model
        out |= {
            "hidden_size_per_layer_input": 16,
            "vocab_size_per_layer_input": 300,
            "enable_moe_block": True,
            "num_experts": 4,
            "top_k_experts": 2,
            "moe_intermediate_size": 32,
        }
    return out


# popped kwargs (global_*) and removed Gemma4TextConfig fields the knobs write
_EXTRA_KEYS["gemma4_unified_text"] = (
    "global_head_dim",
    "num_global_key_value_heads",
    "hidden_size_per_layer_input",
    "vocab_size_per_layer_input",
    "enable_moe_block",
    "num_experts",
    "top_k_experts",
    "moe_intermediate_size",
)
# the layer list is drawn for this layer count, the KV-sharing count for these kinds
_PROTECTED["gemma4_unified_text"] = {
    "num_hidden_layers",
    "layer_types",
    "num_kv_shared_layers",
    "num_key_value_heads",
    "num_attention_heads",
}
# small encoder-free embedders (the default vision one is 3840 wide, 1120 positions)
_WRAPPER_EXTRA["gemma4_unified"] = {
    "vision_config": {
        "model_type": "gemma4_unified_vision",
        "patch_size": 4,
        "pooling_kernel_size": 2,
        "mm_embed_dim": 48,
        "mm_posemb_size": 24,
        "output_proj_dims": 48,
    },
    "audio_config": {"model_type": "gemma4_unified_audio", "audio_embed_dim": 40},
}
# a small Exaone4_5_VisionModel (the default tower is 32 blocks of width 3584), with
# grouped-query attention (4 heads, 2 KV heads) and a full-attention block
_WRAPPER_EXTRA["exaone4_5"] = {
    "vision_config": {
        "model_type": "exaone4_5_vision",
        "hidden_size": 32,
        "depth": 2,
        "num_heads": 4,
        "num_key_value_heads": 2,
        "intermediate_size": 48,
        "out_hidden_size": 64,
        "fullatt_block_indexes": [1],
    }
}


@family_knobs("hy_v4")
def _hy_v4(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """MLA + indexer sizes, default or drawn per-layer MLP / indexer lists, hc_mult 1-4."""
    n = rng.randrange(2, 7)
    rope = _pick(rng, 8, 16)
    out: dict[str, Any] = {
        "num_hidden_layers": n,
        "num_attention_heads": _pick(rng, 2, 3, 4, 8),
        "num_key_value_heads": None,
        "hidden_size": 32 * rng.randrange(2, 10),
        # HYV4Attention always has the query LoRA
        "q_lora_rank": _pick(rng, 16, 32, 64),
        "kv_lora_rank": _pick(rng, 16, 32, 64),
        "qk_nope_head_dim": _pick(rng, 8, 16, 32),
        "qk_rope_head_dim": rope,
        "v_head_dim": _pick(rng, 8, 16, 32),
        "moe_intermediate_size": 16 * rng.randrange(1, 8),
        "n_shared_experts": _pick(rng, 0, 1, 2),
        "index_n_heads": _pick(rng, 1, 2, 4),
        # at least the RoPE width: the indexer rotates its last qk_rope_head_dim values
        "index_head_dim": _pick(rng, 16, 32, 64),
        "index_topk": _pick(rng, 4, 8, 64),
        "hc_mult": _pick(rng, 1, 2, 3, 4),
        "attention_bias": rng.random() < 0.4,
        # the default pad_token_id (120002) lies beyond the small vocabularies drawn
        "pad_token_id": 0,
    }
    if rng.random() < 0.5:
        out["mlp_layer_types"] = [_pick(rng, "dense", "sparse") for _ in range(n)]
    if rng.random() < 0.5:
        out["indexer_types"] = ["full"] + [_pick(rng, "full", "shared") for _ in range(n - 1)]
    return out


# the small vocabulary needs pad_token_id 0, and index_head_dim >= qk_rope_head_dim must
# hold (the defaults are 128 and 64)
_PROTECTED["hy_v4"] = {"pad_token_id", "qk_rope_head_dim", "index_head_dim"}


@family_knobs("glm5_next_text")
def _glm5_next(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """NoPE MLA + k-pool indexer sizes, KDA sizes, default or drawn layer / indexer / MLP lists
    (the indexer lists only runnable: a shared indexed layer right after a full one),
    ``hc_mult`` 1-4."""
    n = rng.randrange(2, 10)
    heads = _pick(rng, 2, 3, 4, 8)
    kpool = _pick(rng, 1, 2, 4, 8)
    out: dict[str, Any] = {
        "num_hidden_layers": n,
        "num_attention_heads": heads,
        # Glm5NextTextConfig.validate_architecture: equal to the heads
        "num_key_value_heads": heads,
        "hidden_size": 32 * rng.randrange(2, 10),
        "q_lora_rank": _pick(rng, 16, 32, 64),
        "kv_lora_rank": _pick(rng, 16, 32, 64),
        "qk_nope_head_dim": _pick(rng, 8, 16, 32),
        "qk_rope_head_dim": 0,
        "v_head_dim": _pick(rng, 8, 16, 32),
        "moe_intermediate_size": 16 * rng.randrange(1, 8),
        "n_shared_experts": _pick(rng, 0, 1, 2),
        "index_n_heads": _pick(rng, 1, 2, 4),
        "index_head_dim": _pick(rng, 8, 16, 32, 64),
        "index_kpool": kpool,
        "index_topk": kpool * rng.randrange(1, 9),
        "index_kpool_always_select_tail": rng.random() < 0.7,
        "linear_num_heads": _pick(rng, 1, 2, 4),
        "linear_head_dim": _pick(rng, 8, 16, 32),
        "linear_conv_kernel_dim": _pick(rng, 2, 3, 4),
        "hc_mult": _pick(rng, 1, 2, 3, 4),
        "attention_bias": rng.random() < 0.4,
        # the default pad_token_id (154820) lies beyond the small vocabularies drawn
        "pad_token_id": 0,
    }
    style = rng.random()
    if style < 0.3:
        # the default pattern (indexed every 4th layer, never adjacent): every indexer full
        out["layer_types"] = None
        kinds = ["linear_attention" if i % 4 != 3 else "indexed_attention" for i in range(n)]
    else:
        kinds = [_pick(rng, "linear_attention", "indexed_attention") for _ in range(n)]
        if rng.random() < 0.3:
            # GLM-5's freq / offset schedule over an all-indexed stack (freq <= 2, offset >= 1
            # keeps every shared layer right after a full one)
            kinds = ["indexed_attention"] * n
            out["index_topk_freq"] = _pick(rng, 1, 2)
            out["index_skip_topk_offset"] = _pick(rng, 1, 2)
        out["layer_types"] = [
            _pick(rng, k, "full_attention") if k != "linear_attention" else k for k in kinds
        ]
    if "index_topk_freq" not in out and rng.random() < 0.6:
        idx: list[str] = []
        for i, k in enumerate(kinds):
            runnable = (
                k == "indexed_attention"
                and i > 0
                and kinds[i - 1] == "indexed_attention"
                and idx[i - 1] == "full"
            )
            if k == "linear_attention":
                # ignored by transformers (a linear layer has no indexer)
                idx.append(_pick(rng, "full", "shared"))
            else:
                idx.append("shared" if runnable and rng.random() < 0.6 else "full")
        if rng.random() < 0.3:
            out["index_topk_pattern"] = "".join("S" if t == "shared" else "F" for t in idx)
        else:
            out["indexer_types"] = idx
    if rng.random() < 0.5:
        out["mlp_layer_types"] = [_pick(rng, "dense", "sparse") for _ in range(n)]
    if rng.random() < 0.2:
        # Glm5NextTextConfig reads a linear_attn_config object over the linear_* keys
        out["linear_attn_config"] = {
            "head_dim": _pick(rng, 8, 16),
            "num_heads": _pick(rng, 1, 2),
            "short_conv_kernel_size": _pick(rng, 2, 4),
        }
    return out


# the lists are drawn for these layer counts and kinds, the heads must equal the KV heads,
# top-k must stay a multiple of the pool
_PROTECTED["glm5_next_text"] = {
    "pad_token_id",
    "num_hidden_layers",
    "num_attention_heads",
    "num_key_value_heads",
    "layer_types",
    "indexer_types",
    "index_topk_pattern",
    "index_topk_freq",
    "index_skip_topk_offset",
    "index_kpool",
    "index_topk",
}
# keys Glm5NextTextConfig.__post_init__ reads from its kwargs (not fields)
_EXTRA_KEYS["glm5_next_text"] = (
    "index_topk_pattern",
    "index_topk_freq",
    "index_skip_topk_offset",
    "linear_attn_config",
)
# a small vision tower for the wrapper (the default one has 24 blocks of 1024)
_WRAPPER_EXTRA["glm5_next"] = {
    "vision_config": {
        "depth": 1,
        "hidden_size": 32,
        "num_heads": 2,
        "intermediate_size": 64,
        "out_hidden_size": 64,
        "projection_intermediate_size": 64,
    }
}


@family_knobs("olmo_hybrid")
def _olmo_hybrid(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Linear and full layers (explicit, legacy "attention", or the class pattern), the
    linear_* sizes given or derived, GVA (value heads a multiple of the key heads), head_dim
    given or derived, RoPE on or off (NoPE)."""
    n = rng.randrange(2, 9)
    out: dict[str, Any] = {
        "num_hidden_layers": n,
        "linear_conv_kernel_dim": _pick(rng, 2, 3, 4),
        "linear_key_head_dim": _pick(rng, 8, 16, 32, None),
        "linear_value_head_dim": _pick(rng, 16, 32, None),
        "linear_allow_neg_eigval": rng.random() < 0.5,
        # pad_token_id: the default 100277 lies beyond the small vocabularies drawn
        "pad_token_id": 0,
    }
    # None, None: both num_attention_heads; else value heads a multiple of the key heads
    nk = _pick(rng, None, 1, 2, 4)
    out["linear_num_key_heads"] = nk
    out["linear_num_value_heads"] = None if nk is None else nk * _pick(rng, 1, 2)
    if rng.random() < 0.3:
        out["head_dim"] = _pick(rng, 16, 32)
    kinds = [_pick(rng, "linear_attention", "linear_attention", "full_attention") for _ in range(n)]
    kinds[rng.randrange(n)] = "linear_attention"
    j = rng.randrange(n)
    while kinds[j] == "linear_attention" and kinds.count("linear_attention") == 1:
        j = rng.randrange(n)
    kinds[j] = _pick(rng, "full_attention", "attention")
    out["layer_types"] = _pick(rng, kinds, kinds, None)
    out["rope_parameters"] = _pick(
        rng,
        None,
        {"rope_type": "default", "rope_theta": None},
        {"rope_type": "default", "rope_theta": 500_000.0},
    )
    return out


# head_dim is read through getattr (not an OlmoHybridConfig field)
_EXTRA_KEYS["olmo_hybrid"] = ("head_dim",)
# the layer list is drawn for this layer count; the linear head counts together; a
# vocabulary-sized pad id
_PROTECTED["olmo_hybrid"] = {
    "num_hidden_layers",
    "layer_types",
    "linear_num_key_heads",
    "linear_num_value_heads",
    "pad_token_id",
}


@family_knobs("bailing_hybrid")
def _bailing_hybrid(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """MLA sizes (the script's ``_mla``), KDA heads of their own width, KDA and MLA layers
    given or by ``layer_group_size``, dense and sparse FFNs given or by
    ``first_k_dense_replace``, a group-limited router that can run, MTP blocks."""
    out = _mla(rng, cfg)
    out.pop("moe_layer_freq", None)
    out.pop("num_nextn_predict_layers", None)
    n = rng.randrange(2, 9)
    e = _pick(rng, 4, 8, 16)
    groups = _pick(rng, *[g for g in (1, 2, 4) if e % g == 0 and e // g >= 2])
    out |= {
        "num_hidden_layers": n,
        "head_dim": _pick(rng, 8, 16, 32),
        "short_conv_kernel_size": _pick(rng, 2, 3, 4),
        "layer_group_size": _pick(rng, 2, 3, 4, 6),
        "num_local_experts": e,
        "num_experts_per_tok": rng.randrange(1, min(e, 4) + 1),
        "n_group": groups,
        "topk_group": rng.randrange(1, groups + 1),
        "num_mtp_layers": _pick(rng, 0, 1, 2),
        "kda_safe_gate": rng.random() < 0.5,
        "rope_theta": _pick(rng, 10_000.0, 6_000_000.0),
        # pad_token_id: the default 156892 lies beyond the small vocabularies drawn
        "pad_token_id": 0,
    }
    kinds = [_pick(rng, "linear_attention", "linear_attention", "full_attention") for _ in range(n)]
    if rng.random() < 0.2:
        kinds[rng.randrange(n)] = "attention"
    out["layer_types"] = _pick(rng, kinds, None)
    mlp = [_pick(rng, "dense", "sparse", "sparse") for _ in range(n)]
    out["mlp_layer_types"] = _pick(rng, mlp, None, None)
    return out


# the per-layer lists are drawn for this layer count; the router groups for these experts
_PROTECTED["bailing_hybrid"] = {
    "num_hidden_layers",
    "layer_types",
    "mlp_layer_types",
    "num_local_experts",
    "num_experts_per_tok",
    "n_group",
    "topk_group",
    "pad_token_id",
}


@family_knobs("jetmoe")
def _jetmoe(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Experts shared by the attention and the MLP, top-k up to all of them, KV heads and
    their width (the query heads follow: KV heads x top-k), now and then a stale
    num_attention_heads (JetMoeConfig overwrites it)."""
    experts = _pick(rng, 2, 4, 8, 16)
    out: dict[str, Any] = {
        "num_local_experts": experts,
        "num_experts_per_tok": rng.randrange(1, min(experts, 4) + 1),
        "num_key_value_heads": _pick(rng, 1, 2, 4, 8),
        "kv_channels": _pick(rng, 8, 16, 32, 64),
        "hidden_size": 32 * rng.randrange(2, 12),
        "intermediate_size": 16 * rng.randrange(2, 40),
        "num_hidden_layers": rng.randrange(1, 7),
    }
    # mostly absent (None); now and then a stale value JetMoeConfig overwrites
    out["num_attention_heads"] = _pick(rng, None, None, None, 2, 4, 32)
    return out


# num_attention_heads is not a JetMoeConfig field (__post_init__ sets it); a drawn top-k must
# not meet the class's 8 experts alone, nor 8 experts a larger drawn top-k
_EXTRA_KEYS["jetmoe"] = ("num_attention_heads",)
_PROTECTED["jetmoe"] = {"num_local_experts", "num_experts_per_tok"}


@family_knobs("zamba2")
def _zamba2(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Mamba-2 and hybrid layers, 1-3 shared blocks, adapters on q/k/v or not, MLP width
    given or 4 x hidden, biases on or off; heads dividing 2 x hidden (with the attention
    adapters, KV heads equal to the heads), Mamba heads dividing expand x hidden."""
    n = rng.randrange(2, 9)
    heads = _pick(rng, 2, 4, 8)
    hidden = heads * _pick(rng, 8, 16, 32)
    adapters = rng.random() < 0.5
    kv = heads if adapters else _pick(rng, *[d for d in (1, 2, 4, 8) if heads % d == 0])
    expand = _pick(rng, 1, 2, 2, 3)
    mheads = _pick(rng, *[x for x in (2, 4, 8) if expand * hidden % x == 0])
    return {
        "num_hidden_layers": n,
        "layers_block_type": [_pick(rng, "mamba", "mamba", "hybrid") for _ in range(n)],
        "hidden_size": hidden,
        "num_attention_heads": heads,
        "num_key_value_heads": kv,
        "intermediate_size": _pick(rng, None, 16 * rng.randrange(4, 40)),
        "mamba_d_state": _pick(rng, 8, 16),
        "mamba_d_conv": _pick(rng, 2, 4),
        "mamba_expand": expand,
        "n_mamba_heads": mheads,
        "mamba_ngroups": _pick(rng, *[g for g in (1, 2) if mheads % g == 0]),
        # read by no module (Zamba2MambaMixer's conv1d is always biased)
        "use_conv_bias": rng.random() < 0.5,
        "add_bias_linear": rng.random() < 0.3,
        "num_mem_blocks": _pick(rng, 1, 2, 3),
        "use_shared_attention_adapter": adapters,
        "adapter_rank": _pick(rng, 4, 8, 16),
        "use_mem_rope": rng.random() < 0.5,
        "use_long_context": rng.random() < 0.2,
    }


# the layer list is drawn for this layer count; the heads, KV heads, widths and Mamba heads
# together (the class defaults, 32 heads over 2560 and 8 Mamba heads, break the divisions)
_PROTECTED["zamba2"] = {
    "num_hidden_layers",
    "layers_block_type",
    "hidden_size",
    "num_attention_heads",
    "num_key_value_heads",
    "mamba_expand",
    "n_mamba_heads",
    "mamba_ngroups",
    "use_shared_attention_adapter",
}


@family_knobs("recurrent_gemma")
def _recurrent_gemma(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Block patterns of recurrent and attention blocks, an RG-LRU as wide as the model or
    not (a multiple of the heads), GQA or not, the window, the conv width and partial RoPE."""
    heads = _pick(rng, 1, 2, 4, 8)
    out: dict[str, Any] = {
        "num_hidden_layers": rng.randrange(1, 9),
        "num_attention_heads": heads,
        "num_key_value_heads": _pick(rng, None, *[d for d in (1, 2, 4, 8) if heads % d == 0]),
        "hidden_size": heads * _pick(rng, 8, 16, 32),
        "lru_width": _pick(rng, None, heads * _pick(rng, 4, 8, 24)),
        "intermediate_size": 2 * 16 * rng.randrange(2, 20) + _pick(rng, 0, 1),
        "attention_window_size": _pick(rng, 4, 16, 64),
        "conv1d_width": _pick(rng, 2, 3, 4),
        "attention_bias": rng.random() < 0.4,
        "block_types": _pick(
            rng,
            ["recurrent", "recurrent", "attention"],
            ["attention", "recurrent"],
            ["recurrent"],
            ["recurrent", "attention", "attention", "recurrent"],
        ),
    }
    if rng.random() < 0.3:
        frac = _pick(rng, 0.25, 0.5, 1.0)
        out["rope_parameters"] = {
            "rope_type": "default",
            "rope_theta": 10000.0,
            "partial_rotary_factor": frac,
        }
    return out


# heads, KV heads, widths and the RG-LRU width are drawn together (the class defaults, 10
# heads over 2560, break the divisions with a drawn width)
_PROTECTED["recurrent_gemma"] = {
    "num_attention_heads",
    "num_key_value_heads",
    "hidden_size",
    "lru_width",
}


@family_knobs("gpt_neo")
def _gpt_neo(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """GPTNeoConfig's own spellings (num_layers, num_heads), layer kinds as attention_types
    blocks or, a third of the time, as an explicit attention_layers list, the FFN width given
    or null (4 x hidden_size), windows shorter and longer than the positions."""
    blocks = [
        [_pick(rng, ["global", "local"], ["local", "global"], ["global"], ["local"]), n]
        for n in (rng.randrange(1, 4) for _ in range(rng.randrange(1, 3)))
    ]
    layers = [kind for kinds, n in blocks for kind in kinds * n]
    out: dict[str, Any] = {
        "num_layers": len(layers),
        "num_heads": cfg["num_attention_heads"],
        "attention_types": blocks,
        "window_size": _pick(rng, 4, 16, 256, 4096),
        "intermediate_size": _pick(rng, None, cfg["intermediate_size"]),
        # GPTNeoSelfAttention keeps a max_position_embeddings² mask per layer
        "max_position_embeddings": _pick(rng, 64, 512, 2048),
    }
    if rng.random() < 0.35:
        out["attention_layers"] = [_pick(rng, "global", "local") for _ in layers]
    return out


# attention_layers is not a GPTNeoConfig field: given, it is set after (and wins over) the
# expansion of attention_types; both lists are drawn for the layer count
_EXTRA_KEYS["gpt_neo"] = ("attention_layers",)
_PROTECTED["gpt_neo"] = {"num_layers", "attention_types", "attention_layers"}


@family_knobs("codegen")
def _codegen(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """CodeGenConfig's GPT-2 spellings (n_embd, n_layer, n_head, n_positions, n_inner), the FFN
    width given or null (4 x n_embd), rotary_dim an even width up to the whole head."""
    heads = cfg["num_attention_heads"]
    hd = cfg["hidden_size"] // heads
    return {
        "n_embd": cfg["hidden_size"],
        "n_head": heads,
        "n_layer": rng.randrange(1, 7),
        "n_positions": _pick(rng, 64, 2048),
        "n_inner": _pick(rng, None, cfg["intermediate_size"]),
        "rotary_dim": _pick(rng, 2, hd // 2, hd),
    }


# the class default rotary_dim (64) is wider than the small heads drawn, and n_head 16 would
# narrow them further
_PROTECTED["codegen"] = {"n_embd", "n_head", "rotary_dim"}


@family_knobs("persimmon")
def _persimmon(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """q/k LayerNorms on or off, partial RoPE given at the top level, in rope_parameters or not
    at all (0.5), and a num_key_value_heads key PersimmonConfig does not read."""
    frac = _pick(rng, 0.25, 0.5, 1.0)
    out: dict[str, Any] = {
        "qk_layernorm": rng.random() < 0.6,
        "max_position_embeddings": _pick(rng, 64, 16384),
    }
    where = _pick(rng, "top", "rope_parameters", None)
    if where == "top":
        out["partial_rotary_factor"] = frac
    elif where == "rope_parameters":
        out["rope_parameters"] = {
            "rope_type": "default",
            "rope_theta": 25000.0,
            "partial_rotary_factor": frac,
        }
    return out


# partial_rotary_factor: PersimmonConfig.__post_init__ reads it from kwargs; the base knobs'
# num_key_value_heads is set on the config and never read
_EXTRA_KEYS["persimmon"] = ("partial_rotary_factor", "num_key_value_heads")


@family_knobs("bitnet")
def _bitnet(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """KV heads given or null (one per query head), head_dim given as the width the heads
    take anyway or left to getattr's default, attention biases from the base knobs, and the
    released checkpoint's quantization_config (dropped before counting) a third of the time."""
    out: dict[str, Any] = {"num_key_value_heads": _pick(rng, cfg["num_key_value_heads"], None)}
    if rng.random() < 0.3:
        out["head_dim"] = cfg["hidden_size"] // cfg["num_attention_heads"]
    if rng.random() < 0.3:
        out["quantization_config"] = {
            "quant_method": "bitnet",
            "linear_class": "autobitlinear",
            "quantization_mode": "offline",
        }
    return out


# head_dim is read by getattr (not a BitNetConfig field); the class default of 5 KV heads
# divides none of the head counts drawn, and a drawn head_dim holds for the drawn widths only
_EXTRA_KEYS["bitnet"] = ("head_dim", "quantization_config")
_PROTECTED["bitnet"] = {"num_key_value_heads", "num_attention_heads", "hidden_size"}


@family_knobs("axk1")
def _axk1(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """DeepSeek MLA sizes (the script's ``_mla``) with the query LoRA AXK1Attention always
    builds and as many KV heads as query heads (the eager attention repeats the expanded K
    by their ratio); the MoE layers as ``mlp_layer_types`` or the legacy
    ``first_k_dense_replace`` / ``moe_layer_freq`` kwargs ``AXK1Config.__post_init__`` pops;
    a group-limited router that can run; now and then an MTP count it does not read."""
    out = _mla(rng, cfg)
    n = rng.randrange(2, 8)
    e = _pick(rng, 4, 8, 16)
    groups = _pick(rng, *[g for g in (1, 2, 4) if e % g == 0 and e // g >= 2])
    out |= {
        "num_hidden_layers": n,
        "q_lora_rank": _pick(rng, 16, 32, 64),
        "num_key_value_heads": out["num_attention_heads"],
        "n_routed_experts": e,
        "num_experts_per_tok": rng.randrange(1, min(e, 4) + 1),
        "n_group": groups,
        "topk_group": rng.randrange(1, groups + 1),
        "n_shared_experts": _pick(rng, 0, 1, 2),
        "first_k_dense_replace": rng.randrange(0, 3),
        "rope_interleave": rng.random() < 0.5,
    }
    if rng.random() < 0.4:
        out["mlp_layer_types"] = [_pick(rng, "dense", "sparse", "sparse") for _ in range(n)]
    return out


# popped from the kwargs by AXK1Config.__post_init__ (first_k_dense_replace, moe_layer_freq);
# an MTP count the class has no field for (set as a plain attribute, never read)
_EXTRA_KEYS["axk1"] = ("first_k_dense_replace", "moe_layer_freq", "num_nextn_predict_layers")
# KV heads equal to the heads, the router groups for these experts, the per-layer list for
# this layer count
_PROTECTED["axk1"] = {
    "num_attention_heads",
    "num_key_value_heads",
    "n_routed_experts",
    "num_experts_per_tok",
    "n_group",
    "topk_group",
    "num_hidden_layers",
    "mlp_layer_types",
}


@family_knobs("axk2")
def _axk2(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """A.X-K1's knobs (MLA sizes, KV heads = heads, MoE layers as a list or the legacy
    kwargs), the DSA indexer sizes (``index_head_dim`` at least the rope width: the indexer
    splits it off its keys), the gate rank of the gated norms (0 now and then), and a
    router with or without expert groups (``n_group`` / ``topk_group`` both or neither)."""
    out = _axk1(rng, cfg)
    out |= {
        "index_n_heads": _pick(rng, 1, 2, 4),
        "index_head_dim": _pick(rng, 16, 32, 64),
        "index_topk": _pick(rng, 4, 8, 64),
        "gated_norm_rank": _pick(rng, 0, 4, 8, 16),
    }
    if rng.random() < 0.5:
        out["n_group"] = out["topk_group"] = None
    return out


_EXTRA_KEYS["axk2"] = _EXTRA_KEYS["axk1"]
# as A.X-K1's; the indexer width against this rope width
_PROTECTED["axk2"] = _PROTECTED["axk1"] | {"qk_rope_head_dim", "index_head_dim"}


@family_knobs("beam")
def _beam(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Sliding and full layers given or by BeamConfig's pattern (full every sixth and on the
    last), dense and sparse FFNs given or by its default (three dense first), a grouped
    router that can run (groups of at least two experts), and RoPE on the sliding layers,
    on both kinds or on neither."""
    n = rng.randrange(2, 10)
    e = _pick(rng, 4, 8, 16)
    groups = _pick(rng, *[g for g in (1, 2, 4) if e % g == 0 and e // g >= 2])
    out: dict[str, Any] = {
        "num_hidden_layers": n,
        "sliding_window": _pick(rng, 8, 16, 64, 512),
        "num_experts": e,
        "num_experts_per_tok": rng.randrange(1, min(e, 4) + 1),
        "n_group": groups,
        "topk_group": rng.randrange(1, groups + 1),
    }
    if rng.random() < 0.4:
        out["layer_types"] = [_pick(rng, "sliding_attention", "full_attention") for _ in range(n)]
    if rng.random() < 0.5:
        out["mlp_layer_types"] = [_pick(rng, "dense", "sparse", "sparse") for _ in range(n)]
    rope = {"rope_type": "default", "rope_theta": 10000.0}
    how = _pick(rng, None, "sliding", "both", "neither")
    if how is not None:
        out["rope_parameters"] = {
            "sliding_attention": rope if how in ("sliding", "both") else None,
            "full_attention": rope if how == "both" else None,
        }
    return out


# the per-layer lists are drawn for this layer count, the router groups for these experts
_PROTECTED["beam"] = {
    "num_hidden_layers",
    "layer_types",
    "mlp_layer_types",
    "num_experts",
    "num_experts_per_tok",
    "n_group",
    "topk_group",
}


# glm46v draws its text_config with the knobs of glm4v_text (none beyond the generic ones:
# Glm4vTextConfig has only the common sizes); a small Glm4vVisionModel (the default tower
# is 24 blocks of width 1536)
_WRAPPER_EXTRA["glm46v"] = {
    "vision_config": {
        "model_type": "glm4v_vision",
        "depth": 2,
        "hidden_size": 32,
        "num_heads": 2,
        "intermediate_size": 48,
        "out_hidden_size": 64,
        "image_size": 56,
    }
}


# minicpmv4_6 draws its text_config with the knobs of qwen3_5_text (_qwen3_next); a small
# MiniCPMV4_6VisionModel (the default is 12 layers of width 768) whose window merger sits
# after its first layer (MiniCPMV4_6Config.insert_layer_id overrides the vision config's)
_WRAPPER_EXTRA["minicpmv4_6"] = {
    "vision_config": {
        "hidden_size": 32,
        "intermediate_size": 48,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "image_size": 56,
        "patch_size": 14,
    },
    "insert_layer_id": 0,
}


@family_knobs("molmo2_text")
def _molmo2(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Molmo2: per-head (Qwen3) or whole (OLMo) q/k norms, pre- or post-norm layers, extra
    embedding rows, the layers with scaled RoPE."""
    n = cfg["num_hidden_layers"]
    return {
        "qk_norm_type": _pick(rng, "qwen3", "olmo"),
        "norm_after": rng.random() < 0.3,
        "additional_vocab_size": _pick(rng, 0, 7, 128),
        "rope_scaling_layers": _pick(rng, None, [i for i in range(n) if i % 2]),
    }


# the RoPE layer list is drawn for this layer count
_PROTECTED["molmo2_text"] = {"num_hidden_layers"}
# a small Molmo2VisionModel (the default is 25 layers of width 1152) and adapter, pooling
# the last two of its 3 layers
_WRAPPER_EXTRA["molmo2"] = {
    "vision_config": {
        "hidden_size": 32,
        "intermediate_size": 48,
        "num_hidden_layers": 3,
        "num_attention_heads": 2,
        "num_key_value_heads": 2,
        "head_dim": 16,
        "image_size": [56, 56],
        "patch_size": 14,
    },
    "adapter_config": {
        "vision_feature_layer": [-1, -2],
        "hidden_size": 32,
        "num_attention_heads": 2,
        "num_key_value_heads": 2,
        "head_dim": 16,
        "intermediate_size": 64,
        "text_hidden_size": 64,
    },
}


@family_knobs("ernie4_5_vl_moe_text")
def _ernie4_5_vl_moe(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """ERNIE-4.5-VL: text and vision expert widths, dense / sparse layer lists (or the
    default: layer 0 dense), shared experts 0-2, a head_dim key now and then."""
    n = cfg["num_hidden_layers"]
    out: dict[str, Any] = {
        "moe_intermediate_size": [16 * rng.randrange(2, 12), 16 * rng.randrange(1, 8)],
        "moe_num_shared_experts": _pick(rng, 0, 1, 2),
    }
    if rng.random() < 0.5:
        out["mlp_layer_types"] = [_pick(rng, "dense", "sparse") for _ in range(n)]
    if rng.random() < 0.3:
        out["head_dim"] = _pick(rng, 16, 32, 48)
    # Ernie4_5_VLMoeTextRotaryEmbedding splits the head's head_dim / 2 frequencies into
    # mrope_section (h, w, t; h = w), at init: the default [22, 22, 20] fits head_dim 128 only
    half = out.get("head_dim", cfg["hidden_size"] // cfg["num_attention_heads"]) // 2
    hw = half // 3
    out["rope_parameters"] = {
        "rope_type": "default",
        "rope_theta": 500000.0,
        "mrope_section": [hw, hw, half - 2 * hw],
    }
    return out


# Ernie4_5_VLMoeTextAttention reads head_dim with getattr (not a field of the class)
_EXTRA_KEYS["ernie4_5_vl_moe_text"] = ("head_dim",)
# the layer list is drawn for this layer count, the RoPE sections for this head width
_PROTECTED["ernie4_5_vl_moe_text"] = {
    "num_hidden_layers",
    "mlp_layer_types",
    "hidden_size",
    "num_attention_heads",
    "head_dim",
    "rope_parameters",
}
# a small vision tower (the default is 32 blocks of width 1280)
_WRAPPER_EXTRA["ernie4_5_vl_moe"] = {
    "vision_config": {
        "depth": 2,
        "hidden_size": 32,
        "num_heads": 2,
        "intermediate_size": 64,
        "patch_size": 14,
    }
}


@family_knobs("kolibri1")
def _kolibri1(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Layer kinds given or by the class pattern (full every 5th layer), a window (null over
    full layers only), the experts also under their alias, a shared expert or none, and now
    and then the Qwen3-MoE keys Kolibri1Config deletes (read by no module)."""
    n = rng.randrange(2, 11)
    kinds = [_pick(rng, "sliding_attention", "full_attention") for _ in range(n)]
    out: dict[str, Any] = {
        "num_hidden_layers": n,
        "layer_types": _pick(rng, kinds, None),
        "sliding_window": _pick(rng, 8, 16, 64, 513),
        "shared_expert_intermediate_size": _pick(rng, 0, 32, 64, 128),
    }
    if out["layer_types"] is not None and "sliding_attention" not in kinds:
        out["sliding_window"] = _pick(rng, None, 64)
    if rng.random() < 0.3:
        # Kolibri1Config.attribute_map: num_experts -> num_local_experts
        out["num_local_experts"] = cfg.get("num_experts", 8)
    if rng.random() < 0.3:
        out |= {"attention_bias": True, "intermediate_size": 64, "mlp_only_layers": [0]}
    return out


# the alias of num_experts, and deleted Qwen3MoeConfig fields (kwargs no module reads)
_EXTRA_KEYS["kolibri1"] = (
    "num_local_experts",
    "attention_bias",
    "intermediate_size",
    "mlp_only_layers",
)
# the layer list is drawn for this layer count
_PROTECTED["kolibri1"] = {"num_hidden_layers", "layer_types"}


@family_knobs("hyperclovax")
def _hyperclovax(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Peri-LN post norms on or off; a width the heads divide (HyperCLOVAXConfig refuses any
    other), head_dim derived (null) or its own; KV heads null (MHA) now and then; the MuP
    multipliers (no parameters)."""
    heads = cfg["num_attention_heads"]
    out: dict[str, Any] = {
        "use_post_norm": rng.random() < 0.6,
        "hidden_size": heads * _pick(rng, 8, 16, 24, 32),
        "head_dim": _pick(rng, None, None, 16, 32, 64),
        "embedding_multiplier": _pick(rng, 1.0, 12.0),
        "residual_multiplier": _pick(rng, 1.0, 0.2),
        "logits_scaling": _pick(rng, 1.0, 0.5),
    }
    if rng.random() < 0.2:
        out["num_key_value_heads"] = None
    return out


# the width is drawn for these heads
_PROTECTED["hyperclovax"] = {"hidden_size", "num_attention_heads"}


@family_knobs("dory")
def _dory(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Input / recurrent / output sections (the recurrent size given or derived), 1-4 loops,
    both cache modes, layer kinds given, given as the released (attention, mlp) pairs that
    DoryConfig halves, or by the class pattern."""
    n = rng.randrange(2, 9)
    n_in = rng.randrange(0, n + 1)
    n_out = rng.randrange(0, n - n_in + 1)
    n_rec = n - n_in - n_out
    out: dict[str, Any] = {
        "n_recurrent_loops": _pick(rng, 1, 2, 2, 3, 4),
        "recurrent_kv_cache_mode": _pick(rng, "per_loop", "per_loop", "last_loop"),
        # DoryConfig.sliding_window is an int (null is refused)
        "sliding_window": _pick(rng, 8, 16, 64, 1024),
    }
    kinds = [_pick(rng, "sliding_attention", "full_attention") for _ in range(n)]
    how = _pick(rng, "list", "pairs", None)
    scale = 2 if how == "pairs" else 1
    out |= {
        "num_hidden_layers": scale * n,
        "n_input_layers": scale * n_in,
        "n_output_layers": scale * n_out,
        "n_recurrent_layers": _pick(rng, scale * n_rec, None),
    }
    if how == "list":
        out["layer_types"] = kinds
    elif how == "pairs":
        out["layer_types"] = [b for k in kinds for b in (k, "mlp")]
    return out


# the sections are drawn for this layer count (and layout): the class defaults (8 input and
# 8 output layers) would not fit the small stacks drawn
_PROTECTED["dory"] = {
    "num_hidden_layers",
    "layer_types",
    "n_input_layers",
    "n_output_layers",
    "n_recurrent_layers",
}


@family_knobs("apertus1p5_text")
def _apertus1p5_text(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """xIELU or a parameter-free activation, KV heads null (MHA) now and then, head_dim read by
    getattr, a pruned output head (output_vocab_size within the vocabulary) or none."""
    vocab = cfg["vocab_size"]
    out: dict[str, Any] = {
        "hidden_act": _pick(rng, "xielu", "xielu", "gelu", "silu"),
        "output_vocab_size": _pick(rng, None, None, vocab, rng.randrange(1, vocab + 1)),
    }
    if rng.random() < 0.2:
        out["num_key_value_heads"] = None
    if rng.random() < 0.3:
        out["head_dim"] = _pick(rng, 16, 24, 48)
    return out


# Apertus1p5TextAttention reads head_dim through getattr (not a class field)
_EXTRA_KEYS["apertus1p5_text"] = ("head_dim",)
# small image and audio tokenizers, with token ranges that fit the small vocabularies drawn
# (Apertus1p5Config.validate_architecture: the image codes end where the audio codes begin,
# the audio codes end within the vocabulary); GroupNorm needs channels in multiples of 32,
# WavTokenizer a codebook_dim equal to its hidden_size
_WRAPPER_EXTRA["apertus1p5"] = {
    "image_token_offset": 100,
    "audio_token_offset": 164,
    "vision_config": {
        "codebook_size": 64,
        "embed_dim": 8,
        "latent_channels": 32,
        "base_channels": 32,
        "channel_multiplier": [1, 2],
        "num_res_blocks": 1,
    },
    "audio_config": {
        "model_type": "wavtokenizer_encoder",
        "codebook_size": 64,
        "codebook_dim": 32,
        "hidden_size": 32,
    },
}


@family_knobs("mellum")
def _mellum(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Full and sliding layers listed or by default (all full), dense and sparse FFNs listed or
    by default (all sparse), a window or none, per-layer-type ``rope_parameters`` now and then,
    the experts under either spelling (``num_local_experts`` through the attribute map), and the
    one MTP layer the class allows (not built)."""
    n = rng.randrange(2, 9)
    out: dict[str, Any] = {
        "num_hidden_layers": n,
        "head_dim": _pick(rng, 16, 32, 64),
        "sliding_window": _pick(rng, 8, 16, 64, 1024),
        "num_mtp_layers": _pick(rng, None, 0, 1),
    }
    if rng.random() < 0.6:
        out["layer_types"] = [_pick(rng, "full_attention", "sliding_attention") for _ in range(n)]
    else:
        # every layer full: a null window is then allowed (the sliding mask refuses one)
        out["sliding_window"] = _pick(rng, out["sliding_window"], None)
    if rng.random() < 0.6:
        out["mlp_layer_types"] = [_pick(rng, "dense", "sparse", "sparse") for _ in range(n)]
    if rng.random() < 0.4:
        out["rope_parameters"] = {
            t: {
                "rope_type": "default",
                "rope_theta": 10000.0,
                # MellumAttention rotates the whole head: only a factor of 1 runs
                "partial_rotary_factor": 1.0,
            }
            for t in ("full_attention", "sliding_attention")
        }
    if rng.random() < 0.3:
        # MellumConfig.attribute_map stores num_experts as num_local_experts (what a saved
        # config writes); given both, the num_local_experts kwarg wins
        out["num_local_experts"] = _pick(rng, 4, 8, 16)
    if rng.random() < 0.2:
        out["num_nextn_predict_layers"] = out.pop("num_mtp_layers")
    return out


# the attribute map's names of num_experts and num_mtp_layers (not fields)
_EXTRA_KEYS["mellum"] = ("num_local_experts", "num_nextn_predict_layers")
# the per-layer lists are drawn for this layer count; a null window only without sliding layers
_PROTECTED["mellum"] = {"num_hidden_layers", "layer_types", "mlp_layer_types", "sliding_window"}


@family_knobs("dots3_note_text")
def _dots3_note_text(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Random small Dots3NoteTextConfig keys.

    MLA sizes for the indexed layers and the sliding layers' own ones, given as the
    ``swa_*`` kwargs, as an explicit ``per_layer_config`` (the saved form) or left to the
    class's kwarg defaults (64 heads, ranks 1024); layer kinds by the class pattern (with
    ``use_sliding_window`` / ``use_dsa`` now and then) or listed; the window given, by the
    ``sliding_window_size`` kwarg or by default; dense and sparse FFNs listed or by the
    ``first_k_dense_replace`` / ``moe_layer_freq`` kwargs; a group-limited router that can
    pick its top-k; KV heads equal to the heads and ``index_head_dim`` at least the rope
    width (validate_architecture).
    """
    n = rng.randrange(2, 9)
    heads = _pick(rng, 2, 3, 4, 8)
    rope = _pick(rng, 8, 16)
    nope = _pick(rng, 8, 16, 32)
    e = _pick(rng, 4, 8, 16)
    groups = _pick(rng, *[g for g in (1, 2, 4) if e % g == 0 and e // g >= 2])
    kept = rng.randrange(1, groups + 1)
    out: dict[str, Any] = {
        "num_hidden_layers": n,
        # 64 most of the time: the wrapper's small towers write into a 64-wide text model
        "hidden_size": _pick(rng, 64, 64, 96, 128),
        "num_attention_heads": heads,
        "num_key_value_heads": heads,
        "q_lora_rank": _pick(rng, 16, 32, 64),
        "kv_lora_rank": _pick(rng, 16, 32, 64),
        "qk_nope_head_dim": nope,
        "qk_rope_head_dim": rope,
        "v_head_dim": _pick(rng, 8, 16, 32),
        "head_dim": nope + rope,
        "moe_intermediate_size": 16 * rng.randrange(1, 8),
        "shared_experts_intermediate_size": 16 * rng.randrange(0, 8),
        "n_shared_experts": _pick(rng, 1, 1, 2),
        "n_routed_experts": e,
        "n_group": groups,
        "topk_group": kept,
        "num_experts_per_tok": rng.randrange(1, min(kept * e // groups, 4) + 1),
        "index_n_heads": _pick(rng, 1, 2, 4),
        "index_head_dim": _pick(rng, 16, 32),
        "index_topk": _pick(rng, 4, 16, 64),
        "attention_bias": rng.random() < 0.4,
        # the default pad_token_id (151659) lies beyond the small vocabularies drawn
        "pad_token_id": 0,
    }
    how = _pick(rng, "pattern", "pattern", "list")
    use_dsa = _pick(rng, None, None, None, True, False)
    if use_dsa is not None:
        out["use_dsa"] = use_dsa
    if how == "list":
        kinds = [
            _pick(rng, "indexed_attention", "sliding_attention", "sliding_attention")
            for _ in range(n)
        ]
        out["layer_types"] = kinds
    else:
        swa_on = rng.random() < 0.8
        if not swa_on:
            out["use_sliding_window"] = False
        kinds = [
            "indexed_attention" if not swa_on or i < 2 or i % 4 == 1 else "sliding_attention"
            for i in range(n)
        ]
    swa_heads = _pick(rng, 2, 4, 8)
    swa_nope = _pick(rng, 8, 16, 32)
    swa_rope = _pick(rng, 8, 16)
    swa = {
        "num_attention_heads": swa_heads,
        "num_key_value_heads": swa_heads,
        "q_lora_rank": _pick(rng, 16, 32),
        "kv_lora_rank": _pick(rng, 16, 32, 64),
        "qk_nope_head_dim": swa_nope,
        "qk_rope_head_dim": swa_rope,
        "v_head_dim": _pick(rng, 8, 16),
        "head_dim": swa_nope + swa_rope,
    }
    style = _pick(rng, "swa", "swa", "per_layer", None)
    if style == "swa":
        for k, v in swa.items():
            # swa_qk_rope_head_dim defaults to swa_head_dim - swa_qk_nope_head_dim
            if k != "qk_rope_head_dim" or rng.random() < 0.5:
                out[f"swa_{k}"] = v
    elif style == "per_layer":
        # a saved config: the list of kinds and the SWA layers' entries, zero-padded keys
        out["layer_types"] = kinds
        width = len(str(n - 1))
        out["per_layer_config"] = {
            str(i).zfill(width): dict(swa) for i, t in enumerate(kinds) if t == "sliding_attention"
        }
    out["sliding_window"] = _pick(rng, 8, 16, 64, None)
    if out["sliding_window"] is None and rng.random() < 0.5:
        out["sliding_window_size"] = _pick(rng, 8, 32)
    if rng.random() < 0.4:
        out["mlp_layer_types"] = [_pick(rng, "dense", "sparse", "sparse") for _ in range(n)]
    else:
        out["first_k_dense_replace"] = rng.randrange(0, 3)
        out["moe_layer_freq"] = _pick(rng, 1, 1, 2, [_pick(rng, 0, 1) for _ in range(n)])
    if rng.random() < 0.3:
        out["moe_shared_expert_intermediate_size"] = 16 * rng.randrange(1, 8)
    return out


# kwargs Dots3NoteTextConfig.__post_init__ pops (not fields), and per_layer_config (read by
# PreTrainedConfig)
_EXTRA_KEYS["dots3_note_text"] = (
    "first_k_dense_replace",
    "moe_layer_freq",
    "use_dsa",
    "use_sliding_window",
    "sliding_window_size",
    "moe_shared_expert_intermediate_size",
    "per_layer_config",
    *(
        f"swa_{k}"
        for k in (
            "num_attention_heads",
            "num_key_value_heads",
            "q_lora_rank",
            "kv_lora_rank",
            "head_dim",
            "qk_nope_head_dim",
            "qk_rope_head_dim",
            "v_head_dim",
        )
    ),
)
# the per-layer lists are drawn for this layer count; KV heads equal to the heads, the
# router groups for these experts, the rope width under the index head, the SWA widths
# together (head_dim = nope + rope), a vocabulary-sized pad id, a 64-wide text model the
# wrapper's towers write into
_PROTECTED["dots3_note_text"] = {
    "num_hidden_layers",
    "hidden_size",
    "layer_types",
    "per_layer_config",
    "mlp_layer_types",
    "moe_layer_freq",
    "num_attention_heads",
    "num_key_value_heads",
    "q_lora_rank",
    "qk_rope_head_dim",
    "index_head_dim",
    "n_routed_experts",
    "num_experts_per_tok",
    "n_group",
    "topk_group",
    "n_shared_experts",
    "swa_num_attention_heads",
    "swa_num_key_value_heads",
    "swa_head_dim",
    "swa_qk_nope_head_dim",
    "swa_qk_rope_head_dim",
    "pad_token_id",
}
# small vision and audio towers (the default ones have 42 MoE blocks of 1536 and 32 layers
# of 1280) whose adapters write into a 64-wide text model
_WRAPPER_EXTRA["dots3_note"] = {
    "vision_config": {
        "hidden_size": 32,
        "intermediate_size": 64,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "mlp_layer_types": ["dense", "dense"],
        "adapter_in_dim": 32,
        "adapter_out_dim": 64,
    },
    "audio_config": {
        "hidden_size": 32,
        "intermediate_size": 64,
        "num_hidden_layers": 1,
        "num_attention_heads": 2,
        "downsample_hidden_size": 8,
        "adapter_input_size": 32,
        "adapter_out_dim": 64,
    },
}


@family_knobs("zaya")
def _zaya(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """ZAYA1: full and sliding hybrid layers listed or by default, CCA kernels of 1-4 taps,
    an even value width (the CCA halves), the MLP router's width, top-1 routing (the only
    one ZayaConfig allows), a biased head now and then, and per-type ``rope_parameters``
    (partial rotary factors) given or left to the class's 0.5, with the hub config's stray
    top-level ``rope_type`` sometimes."""
    n = rng.randrange(2, 9)
    out: dict[str, Any] = {
        "num_hidden_layers": n,
        "head_dim": _pick(rng, 8, 16, 32, 64),
        "cca_time0": _pick(rng, 1, 2, 2, 3),
        "cca_time1": _pick(rng, 1, 2, 2, 4),
        "router_hidden_size": _pick(rng, 8, 16, 32),
        "num_experts_per_tok": 1,
        "lm_head_bias": rng.random() < 0.4,
        "sliding_window": _pick(rng, 8, 16, 64),
    }
    if rng.random() < 0.6:
        out["layer_types"] = [_pick(rng, "hybrid", "hybrid_sliding") for _ in range(n)]
    else:
        # every layer hybrid: a null window is then allowed
        out["sliding_window"] = _pick(rng, out["sliding_window"], None)
    if rng.random() < 0.5:
        params: dict[str, Any] = {
            t: {
                "rope_type": "default",
                "rope_theta": _pick(rng, 10_000.0, 5_000_000.0),
                "partial_rotary_factor": _pick(rng, 0.25, 0.5, 1.0),
            }
            for t in ("hybrid", "hybrid_sliding")
        }
        if rng.random() < 0.3:
            params["rope_type"] = "default"
        out["rope_parameters"] = params
    return out


# the layer list is drawn for this layer count, a null window only without sliding layers;
# top-1 is the only routing ZayaConfig accepts
_PROTECTED["zaya"] = {
    "num_hidden_layers",
    "layer_types",
    "sliding_window",
    "num_experts_per_tok",
    "rope_parameters",
}


@family_knobs("xglm")
def _xglm(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """XGLMConfig's own spellings (d_model, num_layers, attention_heads, ffn_dim: the generic
    keys are attribute_map aliases, not fields), the head tied or not."""
    return {
        "d_model": cfg["hidden_size"],
        "num_layers": cfg["num_hidden_layers"],
        "attention_heads": cfg["num_attention_heads"],
        "ffn_dim": cfg["intermediate_size"],
        "max_position_embeddings": _pick(rng, 64, 512, 2048),
    }


_PROTECTED["xglm"] = {"d_model", "attention_heads"}


@family_knobs("diffllama")
def _diffllama(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """An even KV head count (DiffLlamaAttention splits the values in two along the KV
    heads), head_dim given or null (hidden_size // heads)."""
    heads = cfg["num_attention_heads"]
    return {
        "num_key_value_heads": _pick(rng, *[d for d in (2, 4, 8) if heads % d == 0]),
        "head_dim": _pick(rng, None, cfg["head_dim"]),
        "lambda_std_dev": _pick(rng, 0.1, 0.02),
    }


# the class default (num_key_value_heads: None, one per query head) fails the drawn head counts
_PROTECTED["diffllama"] = {"num_key_value_heads"}


@family_knobs("doge")
def _doge(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Dense Doge (is_moe off: the reader refuses DogeCDMoE), windows on or off, a
    keep_window_size shorter or longer than the probe."""
    return {
        "is_moe": False,
        "sliding_window": _pick(rng, None, 16, 64),
        "keep_window_size": _pick(rng, 8, 2048),
    }


_PROTECTED["doge"] = {"is_moe"}


@family_knobs("hunyuan_vl_text")
def _hunyuan_vl_text(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    # HunYuanVLDenseV1Attention needs head_dim (null by default); the text config ties by
    # default, so the wrapper ties unless both configs say False
    return {
        "head_dim": _pick(rng, 16, 32, 64),
        "attention_bias": rng.random() < 0.4,
        "tie_word_embeddings": rng.random() < 0.5,
    }


_PROTECTED["hunyuan_vl_text"] = {"head_dim"}
# a small HunYuanVLVisionTransformer (the default is 27 blocks of width 1152)
_WRAPPER_EXTRA["hunyuan_vl"] = {
    "tie_word_embeddings": False,
    "vision_config": {
        "hidden_size": 32,
        "num_hidden_layers": 1,
        "num_attention_heads": 2,
        "intermediate_size": 48,
    },
}


@family_knobs("qwen3_omni_moe_text")
def _qwen3_omni_moe_text(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    # head_dim is no field of Qwen3OmniMoeTextConfig, but the attention reads it when given
    # (getattr(config, "head_dim", hidden_size // num_attention_heads)); the released
    # thinker has 32 heads of 128 in a width of 2048
    n = cfg["num_hidden_layers"]
    return {
        "head_dim": _pick(rng, 16, 32, 64),
        "mlp_only_layers": _pick(rng, [], [0], [n - 1]),
        "decoder_sparse_step": _pick(rng, 1, 1, 2),
    }


_EXTRA_KEYS["qwen3_omni_moe_text"] = ("head_dim",)
# the class defaults (28 heads, no head_dim; 128 experts, 8 per token) do not fit the draws
_PROTECTED["qwen3_omni_moe_text"] = {
    "num_hidden_layers",
    "num_attention_heads",
    "num_key_value_heads",
    "head_dim",
    "num_experts",
    "num_experts_per_tok",
}
# a small vision and audio encoder for the thinker (its defaults are 27 and 32 blocks)
_WRAPPER_EXTRA["qwen3_omni_moe_thinker"] = {
    "vision_config": {
        "depth": 1,
        "hidden_size": 32,
        "num_heads": 2,
        "intermediate_size": 48,
        "out_hidden_size": 64,
        "deepstack_visual_indexes": [],
    },
    "audio_config": {
        "encoder_layers": 1,
        "d_model": 32,
        "encoder_attention_heads": 2,
        "encoder_ffn_dim": 48,
        "output_dim": 64,
    },
}


@family_knobs("gpt_neox_japanese")
def _gpt_neox_japanese(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """The FFN as a whole multiple of the hidden size, partial RoPE given as rope_parameters,
    as the checkpoints' rotary_pct or not at all (1.0), the head tied or not."""
    out: dict[str, Any] = {
        "intermediate_multiple_size": rng.randrange(1, 5),
        "max_position_embeddings": _pick(rng, 64, 2048),
    }
    frac = _pick(rng, 0.25, 0.5, 1.0)
    where = _pick(rng, "rope_parameters", "rotary_pct", None)
    if where == "rope_parameters":
        out["rope_parameters"] = {
            "rope_type": "default",
            "rope_theta": 10000.0,
            "partial_rotary_factor": frac,
        }
    elif where == "rotary_pct":
        out["rotary_pct"] = frac
    return out


# rotary_pct is not a GPTNeoXJapaneseConfig field: convert_rope_params_to_dict pops it into
# rope_parameters; the class default num_attention_heads (32) is wider than the drawn widths
_EXTRA_KEYS["gpt_neox_japanese"] = ("rotary_pct",)
_PROTECTED["gpt_neox_japanese"] = {"hidden_size", "num_attention_heads"}


@family_knobs("openai-gpt")
def _openai_gpt(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """OpenAIGPTConfig's GPT-2 spellings (n_embd, n_head, n_layer, n_positions: the generic keys
    are attribute_map aliases), an activation of its ACT_FNS, the head tied or not."""
    return {
        "n_embd": cfg["hidden_size"],
        "n_head": cfg["num_attention_heads"],
        "n_layer": rng.randrange(1, 7),
        # Attention keeps an n_positions² causal mask per layer
        "n_positions": _pick(rng, 64, 512),
        "afn": _pick(rng, "gelu", "relu", "silu", "swish"),
    }


# the class default n_head (12) does not divide the small widths drawn
_PROTECTED["openai-gpt"] = {"n_embd", "n_head"}


@family_knobs("ctrl")
def _ctrl(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """CTRLConfig's spellings (n_embd, n_head, n_layer, n_positions, dff: the generic keys are
    attribute_map aliases or absent), the head tied or not."""
    return {
        "n_embd": cfg["hidden_size"],
        "n_head": cfg["num_attention_heads"],
        "n_layer": rng.randrange(1, 7),
        "n_positions": _pick(rng, 64, 256, 2048),
        "dff": cfg["intermediate_size"],
    }


# the class default n_head (16) does not divide the small widths drawn
_PROTECTED["ctrl"] = {"n_embd", "n_head"}


@family_knobs("biogpt")
def _biogpt(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Learned positions of a few sizes (the table is max_position_embeddings + 2 rows), the
    word embeddings scaled or not (no parameters either way)."""
    return {
        "max_position_embeddings": _pick(rng, 64, 512, 1024, 2048),
        "scale_embedding": rng.random() < 0.5,
    }


# the class default num_attention_heads (16) does not divide the small widths drawn
_PROTECTED["biogpt"] = {"hidden_size", "num_attention_heads"}


@family_knobs("gpt-sw3")
def _gpt_sw3(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """GPT2Config's spellings (n_embd, n_head, n_layer, n_positions, n_inner: the generic keys
    are attribute_map aliases, not fields; "gpt-sw3" builds GPT2Config), the FFN width given
    or null (4 x n_embd), the head tied or not."""
    return {
        "n_embd": cfg["hidden_size"],
        "n_head": cfg["num_attention_heads"],
        "n_layer": rng.randrange(1, 7),
        "n_positions": _pick(rng, 64, 2048),
        "n_inner": _pick(rng, None, cfg["intermediate_size"]),
    }


# the class default n_head (12) does not divide the small widths drawn
_PROTECTED["gpt-sw3"] = {"n_embd", "n_head"}


@family_knobs("aria_text")
def _aria_text(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Heads dividing hidden_size (AriaTextConfig.validate_architecture, whatever head_dim
    says), head_dim absent, null or of any width, 0-2 shared experts (mlp_bias only with
    some: a shared MLP of width 0 would keep a lone bias)."""
    heads = cfg["num_attention_heads"]
    shared = _pick(rng, 0, 1, 2, 2)
    return {
        "hidden_size": heads * _pick(rng, 8, 16, 32),
        "head_dim": _pick(rng, None, None, 16, 24, 64),
        "moe_num_shared_experts": shared,
        "mlp_bias": shared > 0 and rng.random() < 0.5,
    }


# the widths are drawn for these heads; the bias only beside a shared MLP
_PROTECTED["aria_text"] = {
    "hidden_size",
    "num_attention_heads",
    "num_key_value_heads",
    "moe_num_shared_experts",
    "mlp_bias",
}


@family_knobs("zamba")
def _zamba(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Mamba and hybrid layers listed (in either spelling, legacy "mamba" or
    "linear_attention") or from the class pattern with a drawn period and offset; GQA;
    head_dim given (either spelling) or 2 x hidden // heads, not always a divisor; Mamba
    heads dividing expand x hidden; dt_rank auto or given; conv and projection biases."""
    n = rng.randrange(4, 10)
    heads = _pick(rng, 2, 3, 4, 8)
    hidden = 16 * rng.randrange(2, 9)
    expand = _pick(rng, 1, 2)
    out: dict[str, Any] = {
        "num_hidden_layers": n,
        "hidden_size": hidden,
        "num_attention_heads": heads,
        "num_key_value_heads": _pick(rng, *[k for k in (1, 2, 3, 4, 8) if heads % k == 0]),
        "attention_hidden_size": _pick(rng, None, 2 * hidden),
        "mamba_expand": expand,
        "n_mamba_heads": _pick(rng, *[x for x in (1, 2, 4) if expand * hidden % x == 0]),
        "mamba_d_state": _pick(rng, 4, 8, 16),
        "mamba_d_conv": _pick(rng, 2, 3, 4),
        "mamba_dt_rank": _pick(rng, "auto", "auto", 4, 8),
        "mamba_conv_bias": rng.random() < 0.7,
        "mamba_proj_bias": rng.random() < 0.3,
    }
    out[_pick(rng, "attention_head_dim", "head_dim")] = _pick(rng, None, None, 16, 24)
    how = _pick(rng, "list", "alias", "pattern")
    if how == "pattern":
        period = _pick(rng, 2, 3, 6)
        out |= {"attn_layer_period": period, "attn_layer_offset": rng.randrange(0, period)}
    else:
        kinds = [_pick(rng, "mamba", "linear_attention", "hybrid") for _ in range(n)]
        # two hybrid layers at least: transformers 5.24 cannot tie the block of a single one
        for i in rng.sample(range(n), 2):
            kinds[i] = "hybrid"
        out["layers_block_type" if how == "list" else "layer_types"] = kinds
    return out


# layer_types is the attribute_map spelling of layers_block_type, head_dim of
# attention_head_dim (neither a ZambaConfig field)
_EXTRA_KEYS["zamba"] = ("layer_types", "head_dim")
# the layer lists are drawn for this layer count; heads, KV heads and Mamba heads for these
# widths (the class defaults, 16 KV heads and 3712 wide, break the divisions)
_PROTECTED["zamba"] = {
    "num_hidden_layers",
    "layers_block_type",
    "layer_types",
    "hidden_size",
    "num_attention_heads",
    "num_key_value_heads",
    "mamba_expand",
    "n_mamba_heads",
}


@family_knobs("emu3_text_model")
def _emu3(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """A pad id inside the small vocabularies drawn (the default is 151643); now and then
    attention_bias, mlp_bias and head_dim, which Emu3Attention and Emu3MLP read although
    Emu3TextConfig has no such fields."""
    out: dict[str, Any] = {
        "pad_token_id": 0,
        "attention_bias": rng.random() < 0.4,
        "mlp_bias": rng.random() < 0.4,
    }
    if rng.random() < 0.4:
        out["head_dim"] = _pick(rng, 16, 24, 48)
    return out


# read by getattr (class attributes of Emu3TextConfig, not fields)
_EXTRA_KEYS["emu3_text_model"] = ("attention_bias", "mlp_bias", "head_dim")
# the class default pad id (151643) lies beyond the small vocabularies drawn
_PROTECTED["emu3_text_model"] = {"pad_token_id"}
# Emu3Model maps image tokens through the tokenizer's vocabulary (Emu3ImageVocabularyMapping
# fails without one); a small VQ-VAE (the default one has 270M parameters)
_WRAPPER_EXTRA["emu3"] = {
    "vocabulary_map": {"<image>": 1, "<|extra_200|>": 2, "<|visual token 000000|>": 3},
    "vq_config": {"base_channels": 32, "channel_multiplier": [1, 2], "codebook_size": 64},
}


@family_knobs("iquestcoder")
def _iquestcoder(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    # head_dim given (wider or narrower than hidden / heads), null (IQuestCoderConfig:
    # hidden / heads) or left out (the class's 128); IQuestCoderConfig refuses heads that do
    # not divide hidden_size (base_knobs draws hidden as a multiple of 32, heads 2, 4 or 8)
    return {"head_dim": _pick(rng, None, 16, 32, 64, 128)}


@family_knobs("cohere_compass_text")
def _cohere_compass_text(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    # layer kinds drawn or left to the class (every layer full); CohereCompassRotaryEmbedding
    # needs a rope_parameters entry per layer type, null for NoPE layers (the released
    # checkpoint's full_attention ones); head_dim (not a class field) wins when given
    n = rng.randrange(2, 9)
    kinds = [_pick(rng, "full_attention", "sliding_attention") for _ in range(n)]
    rope = {"rope_type": "default", "rope_theta": _pick(rng, 10_000.0, 50_000.0)}
    out: dict[str, Any] = {
        "num_hidden_layers": n,
        "layer_types": _pick(rng, kinds, kinds, None),
        "sliding_window": _pick(rng, 8, 16, 64, 4096),
        "rope_parameters": {
            t: _pick(rng, rope, rope, None) for t in ("full_attention", "sliding_attention")
        },
    }
    if rng.random() < 0.35:
        out["head_dim"] = _pick(rng, 16, 24, 32, 64)
    return out


# CohereCompassTextConfig has no head_dim field: __post_init__ sets hidden / heads, a given
# one then overrides it; the per-layer list is drawn for this layer count, and the class
# default (no rope_parameters) cannot be built
_EXTRA_KEYS["cohere_compass_text"] = ("head_dim",)
_PROTECTED["cohere_compass_text"] = {"num_hidden_layers", "layer_types", "rope_parameters"}


@family_knobs("lara_mini")
def _lara_mini(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    # Gated DeltaNet sizes (value heads a multiple of the key heads), layer kinds drawn or
    # left to LaraMiniConfig's period-5 pattern, a window (typed int: never null)
    n = rng.randrange(2, 9)
    names = ("linear_attention", "sliding_attention", "full_attention")
    kinds = [_pick(rng, *names) for _ in range(n)]
    k_heads = _pick(rng, 1, 2, 4)
    return {
        "num_hidden_layers": n,
        "layer_types": _pick(rng, kinds, kinds, None),
        "sliding_window": _pick(rng, 8, 16, 64, 512),
        "linear_num_key_heads": k_heads,
        "linear_num_value_heads": k_heads * _pick(rng, 1, 2, 4),
        "linear_key_head_dim": _pick(rng, 8, 16, 32),
        "linear_value_head_dim": _pick(rng, 8, 16, 32),
        "linear_conv_kernel_dim": _pick(rng, 2, 3, 4),
    }


# the per-layer list is drawn for this layer count; the value heads for these key heads
_PROTECTED["lara_mini"] = {
    "num_hidden_layers",
    "layer_types",
    "linear_num_key_heads",
    "linear_num_value_heads",
}


@family_knobs("flint")
def _flint(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Flint's layer kinds (given, or the class's pattern), a positive window, the dense
    layers (``mlp_only_layers``, sparse step), now and then no experts at all."""
    n = rng.randrange(2, 9)
    out: dict[str, Any] = {
        "num_hidden_layers": n,
        "sliding_window": _pick(rng, 8, 16, 64, 513),
        "mlp_only_layers": _pick(rng, None, [0, 1], [], [0], [1, 3]),
        "decoder_sparse_step": _pick(rng, 1, 1, 2),
    }
    if rng.random() < 0.4:
        out["layer_types"] = [_pick(rng, "sliding_attention", "full_attention") for _ in range(n)]
    if rng.random() < 0.1:
        out["num_experts"] = 0
    return out


# the layer list is drawn for this layer count, top-k for these experts
_PROTECTED["flint"] = {"num_hidden_layers", "layer_types", "num_experts", "num_experts_per_tok"}


@family_knobs("hrm_text")
def _hrm_text(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """HRM-Text's cycles and stacks: the per-stack count as ``num_hidden_layers`` (a new
    config), or now and then the saved layout (``num_layers_per_stack`` and the inflated
    ``num_hidden_layers``); heads dividing the hidden size (validate_architecture)."""
    per, h, low = rng.randrange(1, 4), rng.randrange(1, 4), rng.randrange(1, 4)
    heads = _pick(rng, 2, 4, 8)
    out: dict[str, Any] = {
        "num_hidden_layers": per,
        "H_cycles": h,
        "L_cycles": low,
        "num_attention_heads": heads,
        "hidden_size": heads * 8 * rng.randrange(1, 6),
        "head_dim": _pick(rng, 16, 32, 64),
    }
    if rng.random() < 0.4:
        # what HrmTextConfig.to_dict writes: the real count and the cache slots
        out |= {"num_layers_per_stack": per, "num_hidden_layers": per * h * (low + 1)}
    return out


# the layer count is drawn for these cycles, the hidden size for these heads
_PROTECTED["hrm_text"] = {
    "num_hidden_layers",
    "num_layers_per_stack",
    "H_cycles",
    "L_cycles",
    "num_attention_heads",
    "hidden_size",
}


def _gemma4_assistant_text_knobs(rng: random.Random, text_type: str) -> dict[str, Any]:
    """A small Gemma 4 assistant of ``text_type``: its text model's sizes (about one optional
    key in five left out), its draft projections and, now and then, its centroid head."""
    n = rng.randrange(1, 7)
    heads = _pick(rng, 2, 4, 8)
    centroids = _pick(rng, 4, 8, 16)
    text: dict[str, Any] = {
        "model_type": text_type,
        "vocab_size": centroids * rng.randrange(20, 200),
        "hidden_size": 32 * rng.randrange(1, 8),
        "intermediate_size": 16 * rng.randrange(2, 20),
        "num_hidden_layers": n,
        "num_attention_heads": heads,
        "num_key_value_heads": _pick(rng, *[k for k in (1, 2, 4) if heads % k == 0]),
        "head_dim": _pick(rng, 16, 32, 64),
        "global_head_dim": _pick(rng, 32, 64),
        "num_global_key_value_heads": _pick(rng, 1, 2),
        "attention_k_eq_v": rng.random() < 0.5,
        "attention_bias": rng.random() < 0.3,
        "sliding_window": _pick(rng, 16, 64, 512),
        # 0: Gemma4AssistantConfig.__post_init__ makes it num_hidden_layers
        "num_kv_shared_layers": _pick(rng, 0, n),
        # the wrapper's tie_word_embeddings decides
        "tie_word_embeddings": rng.random() < 0.5,
        "max_position_embeddings": _pick(rng, 2048, 131072),
    }
    if rng.random() < 0.4:
        text["layer_types"] = [_pick(rng, "sliding_attention", "full_attention") for _ in range(n)]
    if text_type == "gemma4_text":
        # validate_architecture: no per-layer inputs (the class defaults have them)
        text |= {"hidden_size_per_layer_input": 0, "vocab_size_per_layer_input": 0}
    else:
        text |= {
            "use_double_wide_mlp": rng.random() < 0.4,
            "use_bidirectional_attention": _pick(rng, "vision", None, "all"),
        }
    required = {"model_type", "vocab_size", "hidden_size_per_layer_input"}
    required |= {"vocab_size_per_layer_input", "num_hidden_layers", "layer_types"}
    required |= {"num_attention_heads", "num_key_value_heads"}
    text = {k: v for k, v in text.items() if k in required or rng.random() > 0.2}
    return {
        "text_config": text,
        "backbone_hidden_size": 32 * rng.randrange(1, 8),
        "use_ordered_embeddings": rng.random() < 0.5,
        "num_centroids": centroids,
        "centroid_intermediate_top_k": rng.randrange(1, centroids + 1),
    }


@family_knobs("gemma4_assistant")
def _gemma4_assistant(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    return _gemma4_assistant_text_knobs(rng, "gemma4_text")


# the vocabulary is drawn as a multiple of the centroids, top-k within them
_PROTECTED["gemma4_assistant"] = {"text_config", "num_centroids", "centroid_intermediate_top_k"}


@family_knobs("gemma4_unified_assistant")
def _gemma4_unified_assistant(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    # _gemma4_assistant_text_knobs: pasted with the gemma4_assistant knobs
    return _gemma4_assistant_text_knobs(rng, "gemma4_unified_text")


# the vocabulary is drawn as a multiple of the centroids, top-k within them
_PROTECTED["gemma4_unified_assistant"] = {
    "text_config",
    "num_centroids",
    "centroid_intermediate_top_k",
}


def _inkling_swa(rng: random.Random) -> dict[str, Any]:
    """The sliding layers' own heads, the window, the relative bias and the kernel."""
    heads = _pick(rng, 2, 4, 8)
    return {
        "swa_num_attention_heads": heads,
        "swa_num_key_value_heads": _pick(rng, *[d for d in (1, 2, 4) if heads % d == 0]),
        "swa_head_dim": _pick(rng, 8, 16, 32),
        # above the prompts the cache check runs (transformers keeps window - 1 tokens)
        "sliding_window_size": _pick(rng, 8, 16, 64),
        "d_rel": _pick(rng, 4, 8, 16),
        "rel_extent": _pick(rng, 16, 64, 256),
        "conv_kernel_size": _pick(rng, 2, 3, 4),
    }


@family_knobs("inkling_text")
def _inkling_text(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Full and sliding layers (listed, as local_layer_ids or the class pattern), dense and
    sparse FFNs (listed, the first dense_mlp_idx dense, or all sparse), 0-2 shared experts,
    with or without dense_intermediate_size (intermediate_size then the experts' width)."""
    n = rng.randrange(2, 9)
    out: dict[str, Any] = {"num_hidden_layers": n, **_inkling_swa(rng)}
    # 0: InklingTopkRouter's forward fails (scores[..., :-0]), the counts still hold
    out["n_shared_experts"] = _pick(rng, 0, 1, 1, 2)
    kinds = [_pick(rng, "hybrid", "hybrid_sliding") for _ in range(n)]
    how = _pick(rng, "list", "local", None)
    if how == "list":
        out["layer_types"] = kinds
    elif how == "local":
        out["local_layer_ids"] = [i for i, k in enumerate(kinds) if k == "hybrid_sliding"]
    ffn = _pick(rng, "list", "first", None)
    if ffn == "list":
        out["mlp_layer_types"] = [_pick(rng, "dense", "sparse", "sparse") for _ in range(n)]
    elif ffn == "first":
        out["dense_mlp_idx"] = rng.randrange(0, n + 1)
    if rng.random() < 0.3:
        out["dense_intermediate_size"] = 16 * rng.randrange(4, 40)
    if rng.random() < 0.2:
        # the checkpoint's MTP layers: InklingForCausalLM builds none
        out["num_mtp_layers"] = 1
    return out


# the layer lists are drawn for this layer count; dense_mlp_idx and dense_intermediate_size
# are popped by InklingTextConfig.__post_init__ (not fields)
_PROTECTED["inkling_text"] = {"num_hidden_layers", "layer_types", "local_layer_ids"}
# the sliding heads together (the class's 64 / 16 would not divide the drawn ones)
_PROTECTED["inkling_text"] |= {"mlp_layer_types", "swa_num_attention_heads"}
_PROTECTED["inkling_text"] |= {"swa_num_key_value_heads"}
_EXTRA_KEYS["inkling_text"] = ("dense_intermediate_size", "dense_mlp_idx")


def _inkling2_layers(rng: random.Random, cfg: dict[str, Any], n: int) -> dict[str, Any]:
    """Inkling 2's layers: kinds (listed or the class pattern), the sliding heads, the
    attention-residual block size and a head of at most vocab_size rows."""
    out: dict[str, Any] = {"num_hidden_layers": n, **_inkling_swa(rng)}
    kinds = [_pick(rng, "hybrid", "hybrid_sliding") for _ in range(n)]
    out["layer_types"] = _pick(rng, kinds, None)
    out["n_layers_per_attn_res_block"] = _pick(rng, 1, 2, 3, 6)
    out["unpadded_vocab_size"] = cfg["vocab_size"] - _pick(rng, 0, 0, rng.randrange(1, 64))
    return out


@family_knobs("inkling2_text")
def _inkling2_text(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    return _inkling2_layers(rng, cfg, rng.randrange(2, 9))


# the layer kinds are drawn for this layer count; the head's rows for this vocabulary
_PROTECTED["inkling2_text"] = {"num_hidden_layers", "layer_types", "vocab_size"}
_PROTECTED["inkling2_text"] |= {"unpadded_vocab_size"}
# the sliding heads together (the class's 48 / 8 would not divide the drawn ones)
_PROTECTED["inkling2_text"] |= {"swa_num_attention_heads", "swa_num_key_value_heads"}


@family_knobs("inkling2_loop_text")
def _inkling2_loop_text(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """inkling2_text's layers in 2-4 blocks; the loop over whole blocks (possibly none),
    1-4 passes, given as the loop_* fields or as the checkpoints' loop_config."""
    block = _pick(rng, 1, 2, 3)
    blocks = rng.randrange(2, 5)
    out = _inkling2_layers(rng, cfg, block * blocks)
    start = block * rng.randrange(1, blocks)
    end = block * rng.randrange(start // block, blocks + 1)
    out["n_layers_per_attn_res_block"] = block
    loop = {
        "loop_layer_index_start": start,
        "loop_layer_index_end": end,
        "loop_num_passes": _pick(rng, 1, 2, 3, 4),
        "loop_gate_rank": _pick(rng, 4, 8, 16),
    }
    if rng.random() < 0.3:
        names = ("core_start", "core_end", "num_passes", "gate_rank")
        out["loop_config"] = dict(zip(names, loop.values(), strict=True))
    else:
        out |= loop
    return out


# the loop is drawn for this layer count and block size (the class's 6..18 would not fit);
# loop_config is popped by Inkling2LoopTextConfig.__post_init__ (not a field)
_PROTECTED["inkling2_loop_text"] = _PROTECTED["inkling2_text"] | {
    "n_layers_per_attn_res_block",
    "loop_layer_index_start",
    "loop_layer_index_end",
    "loop_num_passes",
    "loop_gate_rank",
    "loop_config",
}
_EXTRA_KEYS["inkling2_loop_text"] = ("loop_config",)


# cosmos3_omni draws its text_config with the knobs of qwen3_vl_text; a small Qwen3-VL
# vision tower (the default is 27 blocks of width 1152)
_WRAPPER_EXTRA["cosmos3_omni"] = {
    "vision_config": {
        "model_type": "qwen3_vl_vision",
        "depth": 2,
        "hidden_size": 32,
        "num_heads": 2,
        "intermediate_size": 48,
        "out_hidden_size": 64,
        "num_position_embeddings": 16,
        "deepstack_visual_indexes": [0],
    }
}


# glmga draws its text_config with the knobs of glm4v_text; a small Glm4vVisionModel
_WRAPPER_EXTRA["glmga"] = {
    "vision_config": {
        "model_type": "glm4v_vision",
        "depth": 2,
        "hidden_size": 32,
        "num_heads": 2,
        "intermediate_size": 48,
        "out_hidden_size": 64,
        "image_size": 56,
    }
}


# hyperclovax_vision_v2 draws its text_config with the knobs of hyperclovax; a small
# Qwen2.5-VL vision tower (the default is 32 blocks of width 3584)
_WRAPPER_EXTRA["hyperclovax_vision_v2"] = {
    "vision_config": {
        "model_type": "qwen2_5_vl_vision",
        "depth": 2,
        "hidden_size": 32,
        "num_heads": 2,
        "intermediate_size": 48,
        "out_hidden_size": 64,
        "fullatt_block_indexes": [1],
    }
}


# video_llama_3 draws its text_config with the knobs of qwen2; a small vision model (the
# default is 12 layers of width 768)
_WRAPPER_EXTRA["video_llama_3"] = {
    "vision_config": {
        "model_type": "video_llama_3_vision",
        "hidden_size": 32,
        "intermediate_size": 48,
        "num_hidden_layers": 1,
        "num_attention_heads": 2,
    }
}


# qianfan_ocr draws its text_config with the knobs of qwen3; a small vision tower (the
# default is 24 layers of width 1024 at 448 px)
_WRAPPER_EXTRA["qianfan_ocr"] = {
    "vision_config": {
        "hidden_size": 32,
        "intermediate_size": 48,
        "num_hidden_layers": 1,
        "num_attention_heads": 2,
        "image_size": 56,
        "patch_size": 14,
    }
}


@family_knobs("cosmos3_edge_text")
def _cosmos3_edge_text(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Cosmos3-Edge: a width the heads divide (Cosmos3EdgeTextConfig.validate_architecture),
    a head_dim of its own (typed int: never null) and M-RoPE sections summing to head_dim / 2;
    KV heads null (MHA) now and then."""
    heads = cfg["num_attention_heads"]
    hd = _pick(rng, 16, 24, 32, 64)
    out: dict[str, Any] = {"head_dim": hd, "hidden_size": heads * _pick(rng, 8, 16, 24, 32)}
    half = hd // 2
    out["rope_parameters"] = {
        "rope_type": "default",
        "rope_theta": 1e8,
        "mrope_section": [half - 2 * (half // 3), half // 3, half // 3],
    }
    if rng.random() < 0.2:
        out["num_key_value_heads"] = None
    return out


# the RoPE sections are drawn for this head width
_PROTECTED["cosmos3_edge_text"] = {
    "hidden_size",
    "num_attention_heads",
    "head_dim",
    "rope_parameters",
}
# a small vision model (the default is 27 layers of width 1152)
_WRAPPER_EXTRA["cosmos3_edge"] = {
    "vision_config": {
        "hidden_size": 32,
        "intermediate_size": 48,
        "num_hidden_layers": 1,
        "num_attention_heads": 2,
        "num_patches": 16,
    },
    "projector_hidden_size": 48,
}


@family_knobs("glm_ocr_text")
def _glm_ocr_text(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """GLM-OCR: a head_dim key now and then (GlmOcrTextAttention reads it with getattr;
    not a field of the class), KV heads null (MHA) now and then."""
    out: dict[str, Any] = {}
    if rng.random() < 0.3:
        out["head_dim"] = _pick(rng, 16, 32, 48)
    if rng.random() < 0.2:
        out["num_key_value_heads"] = None
    return out


_EXTRA_KEYS["glm_ocr_text"] = ("head_dim",)
# a small Glm4v-style vision tower (the default is 24 blocks of width 1024)
_WRAPPER_EXTRA["glm_ocr"] = {
    "vision_config": {
        "depth": 1,
        "hidden_size": 32,
        "num_heads": 2,
        "intermediate_size": 48,
        "out_hidden_size": 64,
        "image_size": 56,
    }
}


@family_knobs("rwkv")
def _rwkv(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    # attention_hidden_size null or equal to hidden_size (RwkvModel's state is hidden wide);
    # a null intermediate_size is 4 x hidden
    hidden = 16 * rng.randrange(2, 12)
    return {
        "hidden_size": hidden,
        "attention_hidden_size": _pick(rng, None, hidden),
        "intermediate_size": _pick(rng, None, 16 * rng.randrange(4, 40)),
        "num_hidden_layers": rng.randrange(2, 7),
        "context_length": _pick(rng, 256, 1024),
    }


# attention_hidden_size is drawn for this width (the class default is 4096)
_PROTECTED["rwkv"] = {"hidden_size"}


@family_knobs("xlstm")
def _xlstm(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    # hidden x qk_dim_factor and hidden x v_dim_factor multiples of 64 (xLSTMCache rounds the
    # head widths up to them), the heads dividing both; embedding_dim and num_blocks, when
    # given, equal to hidden_size and num_hidden_layers
    hidden = 128 * rng.randrange(1, 4)
    n = rng.randrange(1, 6)
    out: dict[str, Any] = {
        "hidden_size": hidden,
        "num_hidden_layers": n,
        "num_heads": _pick(rng, 1, 2, 4),
        "qk_dim_factor": _pick(rng, 0.5, 1.0),
        "v_dim_factor": _pick(rng, 0.5, 1.0, 2.0),
        "ffn_proj_factor": _pick(rng, 2.667, 1.3, 2.0),
        "ffn_round_up_to_multiple_of": _pick(rng, 16, 64),
        "use_bias": rng.random() < 0.4,
        "weight_mode": _pick(rng, "single", "fused"),
        "embedding_dim": _pick(rng, None, hidden),
        "num_blocks": _pick(rng, None, n),
    }
    return out


# embedding_dim and num_blocks are drawn for these sizes (the class defaults are 4096 and 32)
_PROTECTED["xlstm"] = {"hidden_size", "num_hidden_layers"}


@family_knobs("modernbert-decoder")
def _modernbert_decoder(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    # the sliding layers given by layer_types, by the legacy global_attn_every_n_layers or by
    # neither (every third layer global); the special tokens inside the small vocabularies
    n = rng.randrange(1, 7)
    out: dict[str, Any] = {
        "num_hidden_layers": n,
        "local_attention": _pick(rng, 7, 16, 64, 128),
        "norm_bias": rng.random() < 0.4,
        "decoder_bias": rng.random() < 0.6,
        "classifier_bias": rng.random() < 0.4,
        "pad_token_id": 0,
        "bos_token_id": 1,
        "eos_token_id": 2,
        "cls_token_id": 1,
        "sep_token_id": 2,
    }
    how = _pick(rng, "every", "types", None)
    if how == "every":
        out["global_attn_every_n_layers"] = _pick(rng, 1, 2, 3)
    elif how == "types":
        out["layer_types"] = [_pick(rng, "full_attention", "sliding_attention") for _ in range(n)]
    return out


_EXTRA_KEYS["modernbert-decoder"] = ("global_attn_every_n_layers",)
# layer_types is drawn for this layer count; the default special tokens (50281..50283) lie
# beyond the small vocabularies drawn (nn.Embedding refuses such a padding_idx)
_PROTECTED["modernbert-decoder"] = {
    "num_hidden_layers",
    "layer_types",
    "pad_token_id",
    "bos_token_id",
    "eos_token_id",
    "cls_token_id",
    "sep_token_id",
}


@family_knobs("cpmant")
def _cpmant(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    # CpmAntModel.forward needs 3 prompt types (with prompt tokens) and 3 segment types
    return {
        "dim_head": _pick(rng, 16, 32, 64),
        "dim_ff": 16 * rng.randrange(4, 40),
        "prompt_types": _pick(rng, 3, 8, 32),
        "prompt_length": _pick(rng, 0, 1, 4, 32),
        "segment_types": _pick(rng, 3, 5, 32),
        "position_bias_num_buckets": _pick(rng, 32, 64, 512),
        "position_bias_max_distance": _pick(rng, 128, 2048),
        "num_hidden_layers": rng.randrange(1, 5),
    }


# inkling_mm_model draws its text_config with the knobs of inkling_text; a small vision
# tower (4-pixel patches over 4 layers: plan_out_scales needs no scipy when the layers are
# at least its scales) and audio embedding (InklingConfig.__post_init__ sets both towers'
# text_hidden_size to the text width)
_WRAPPER_EXTRA["inkling_mm_model"] = {
    "vision_config": {"patch_size": 4, "temporal_patch_size": 2, "num_hidden_layers": 4},
    "audio_config": {"mel_vocab_size": 16},
}


# inkling2 draws its text_config with the knobs of inkling2_text; the vision tower is the
# class default: Inkling2Config.validate_architecture wants its text_hidden_size (4608) to be
# the text width, so only the draws that leave hidden_size to the class default build


# inkling2_loop draws its text_config with the knobs of inkling2_loop_text; the vision tower
# is the class default: Inkling2LoopConfig.validate_architecture wants its text_hidden_size
# (2304) to be the text width, so only the draws that leave hidden_size to the class default
# build


# cohere_compass draws its text_config with the knobs of cohere_compass_text; a small
# CohereCompassVisionModel (the default is 27 blocks of width 1152)
_WRAPPER_EXTRA["cohere_compass"] = {
    "vision_config": {
        "depth": 2,
        "hidden_size": 32,
        "intermediate_size": 64,
        "num_heads": 2,
        "out_hidden_size": 64,
        "num_position_embeddings": 16,
        "deepstack_visual_indexes": [],
    }
}


# nemotron_h_omni draws its text_config with the knobs of nemotron_h; a small RADIO tower
# (the default is 32 blocks of width 1280) whose width the projector reads
# (vision_hidden_size) and whose video patching the wrapper's must equal, no audio tower
_WRAPPER_EXTRA["nemotron_h_omni"] = {
    "vision_config": {
        "hidden_size": 32,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "video_temporal_patch_size": 2,
    },
    "vision_hidden_size": 32,
    "projector_hidden_size": 64,
}


# lfm3_vl draws its text_config with the knobs of lfm3; a small vision tower (the default is
# 14 blocks of width 1024) and projector
_WRAPPER_EXTRA["lfm3_vl"] = {
    "vision_config": {
        "hidden_size": 32,
        "intermediate_size": 64,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "num_key_value_heads": 1,
    },
    "projector_hidden_size": 64,
}


# granite4_vision draws its text_config with the generic knobs over Granite4VisionTextConfig;
# a small CLIP tower (QFormer heads: its width // 64), one deepstack projector, a downsample
# rate (Granite4VisionConfig has no usable default for either)
_WRAPPER_EXTRA["granite4_vision"] = {
    "vision_config": {
        "model_type": "clip_vision_model",
        "hidden_size": 64,
        "intermediate_size": 64,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "image_size": 56,
        "patch_size": 14,
    },
    "qformer_config": {"intermediate_size": 64},
    "downsample_rate": "1/2",
    "deepstack_layer_map": [[-1, 0]],
    "spatial_target_layers": [0, 0, 0, 0],
}


@family_knobs("granite_docling_text")
def _granite_docling_text(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """A padding row inside the drawn vocabulary (the class's 100256 is beyond it) and the
    width of the wrapper's small vision connector (GraniteDoclingConfig.validate_architecture:
    vision_config.out_hidden_size == text_config.hidden_size)."""
    return {"pad_token_id": 0, "hidden_size": 128}


_PROTECTED["granite_docling_text"] = {"pad_token_id", "hidden_size"}
# a small GraniteDoclingVisionModel (the default is 12 blocks of width 768) writing 128 wide
_WRAPPER_EXTRA["granite_docling"] = {
    "vision_config": {
        "hidden_size": 32,
        "intermediate_size": 64,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "image_size": 64,
        "out_hidden_size": 128,
    }
}


# minicpmv4_7 draws its text_config with the knobs of qwen3_5_text (_qwen3_next); a small
# MiniCPMV4_7VisionModel (the default is 12 layers of width 768) whose window merger sits
# after its first layer (MiniCPMV4_7Config.insert_layer_id overrides the vision config's)
_WRAPPER_EXTRA["minicpmv4_7"] = {
    "vision_config": {
        "hidden_size": 32,
        "intermediate_size": 48,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "image_size": 56,
        "patch_size": 14,
    },
    "insert_layer_id": 0,
}


# minicpm_ocr: as minicpmv4_7 (MiniCPMOcrVisionModel, insert_layer_id over the vision config's)
_WRAPPER_EXTRA["minicpm_ocr"] = {
    "vision_config": {
        "hidden_size": 32,
        "intermediate_size": 48,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "image_size": 56,
        "patch_size": 14,
    },
    "insert_layer_id": 0,
}


# deepseek_vl draws its text_config with the knobs of llama (DeepseekVLConfig's default text
# type); a small SigLIP tower (the default is SigLIP-L/16 at 384 px with its pooling head)
_WRAPPER_EXTRA["deepseek_vl"] = {
    "vision_config": {
        "model_type": "siglip_vision_model",
        "hidden_size": 32,
        "intermediate_size": 48,
        "num_hidden_layers": 1,
        "num_attention_heads": 2,
        "image_size": 32,
        "patch_size": 8,
    }
}


# deepseek_vl_hybrid draws its text_config with the knobs of llama; small SigLIP and SAM
# towers (DeepseekVLHybridModel reads the SAM tower's first global_attn_indexes entry)
_WRAPPER_EXTRA["deepseek_vl_hybrid"] = {
    "vision_config": {
        "model_type": "siglip_vision_model",
        "hidden_size": 32,
        "intermediate_size": 48,
        "num_hidden_layers": 1,
        "num_attention_heads": 2,
        "image_size": 32,
        "patch_size": 8,
    },
    "high_res_vision_config": {
        "model_type": "sam_vision_model",
        "hidden_size": 32,
        "output_channels": 16,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "mlp_dim": 48,
        "image_size": 64,
        "patch_size": 16,
        "window_size": 2,
        "global_attn_indexes": [1],
    },
}


# ovis2 draws its text_config with the knobs of qwen2 (Ovis2Config's default text type); a
# small Ovis2 (AIMv2) tower and visual vocabulary. The top-level tie_word_embeddings stays at
# Ovis2Config's default (true): an untied head would read the top-level hidden_size (1536)
_WRAPPER_EXTRA["ovis2"] = {
    "vision_config": {
        "model_type": "ovis2_vision",
        "hidden_size": 32,
        "intermediate_size": 48,
        "num_hidden_layers": 1,
        "num_attention_heads": 2,
        "image_size": 28,
        "patch_size": 14,
        "vocab_size": 64,
    }
}


# paddleocr_vl draws its text_config with the generic knobs (PaddleOCRTextConfig has the
# common sizes, head_dim and use_bias); a small NaViT-style SigLIP tower
_WRAPPER_EXTRA["paddleocr_vl"] = {
    "vision_config": {
        "model_type": "paddleocr_vl_vision",
        "hidden_size": 32,
        "intermediate_size": 48,
        "num_hidden_layers": 1,
        "num_attention_heads": 2,
        "image_size": 28,
        "patch_size": 14,
    }
}


# fast_vlm draws its text_config with the knobs of qwen2. Its default tower is a timm
# FastViT (TimmWrapperModel, which needs timm): a small CLIP tower stands in (the projector
# reads only vision_config.hidden_size; the language model does not depend on the tower)
_WRAPPER_EXTRA["fast_vlm"] = {
    "vision_config": {
        "model_type": "clip_vision_model",
        "hidden_size": 32,
        "intermediate_size": 48,
        "num_hidden_layers": 1,
        "num_attention_heads": 2,
        "image_size": 32,
        "patch_size": 8,
    }
}


# lighton_ocr draws its text_config with the knobs of qwen3 (LightOnOcrConfig's default text
# type); a small Pixtral tower (the default is 24 blocks of 1024)
_WRAPPER_EXTRA["lighton_ocr"] = {
    "vision_config": {
        "model_type": "pixtral",
        "hidden_size": 32,
        "intermediate_size": 48,
        "num_hidden_layers": 1,
        "num_attention_heads": 2,
        "head_dim": 16,
        "image_size": 64,
        "patch_size": 16,
    }
}


# shieldgemma2 draws its text_config with the knobs of gemma3_text; a small SigLIP tower
# without the pooling head (as Gemma 3 builds it; vision.py counts it)
_WRAPPER_EXTRA["shieldgemma2"] = {
    "vision_config": {
        "model_type": "siglip_vision_model",
        "hidden_size": 32,
        "intermediate_size": 48,
        "num_hidden_layers": 1,
        "num_attention_heads": 2,
        "image_size": 32,
        "patch_size": 8,
        "vision_use_head": False,
    },
    "mm_tokens_per_image": 4,
}


# qwen2_5_omni_thinker draws its text_config with the generic knobs (Qwen2_5OmniTextConfig
# has the common sizes and Qwen2's sliding-window keys); small vision and audio towers (the
# defaults are 32 blocks of 1280 each)
_WRAPPER_EXTRA["qwen2_5_omni_thinker"] = {
    "vision_config": {
        "depth": 1,
        "hidden_size": 32,
        "intermediate_size": 48,
        "num_heads": 2,
        "out_hidden_size": 64,
        "fullatt_block_indexes": [0],
    },
    "audio_config": {
        "d_model": 32,
        "encoder_layers": 1,
        "encoder_attention_heads": 2,
        "encoder_ffn_dim": 48,
        "output_dim": 64,
        "num_mel_bins": 16,
    },
}


# got_ocr2 draws its text_config with the knobs of qwen2; a small SAM-style tower (the
# default is ViT-B/16 at 1024 px)
_WRAPPER_EXTRA["got_ocr2"] = {
    "vision_config": {
        "hidden_size": 32,
        "output_channels": 16,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "mlp_dim": 48,
        "image_size": 64,
        "patch_size": 16,
        "window_size": 2,
        "global_attn_indexes": [1],
    }
}
# pp_chart2table is GOT-OCR 2's architecture under another config class
_WRAPPER_EXTRA["pp_chart2table"] = _WRAPPER_EXTRA["got_ocr2"]


# aria draws its text_config with the knobs of aria_text; a small Idefics3 vision tower and
# projector queries (the default tower is 12 layers of 1152, 256 queries)
_WRAPPER_EXTRA["aria"] = {
    "vision_config": {
        "model_type": "idefics3_vision",
        "hidden_size": 32,
        "intermediate_size": 64,
        "num_hidden_layers": 1,
        "num_attention_heads": 2,
        "image_size": 28,
        "patch_size": 14,
    },
    "projector_patch_to_query_dict": {"4": 4},
}


# vipllava draws its text_config with the knobs of llama (none beyond the generic ones); a
# small CLIP tower and two feature layers (the default is 24 layers of 1024 and five)
_WRAPPER_EXTRA["vipllava"] = {
    "vision_config": {
        "model_type": "clip_vision_model",
        "hidden_size": 32,
        "intermediate_size": 64,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "image_size": 28,
        "patch_size": 14,
        "projection_dim": 32,
    },
    "vision_feature_layer": [-1, -2],
}


# video_llava draws its text_config with the knobs of llama (none beyond the generic ones);
# a small CLIP tower (built twice: image_tower and video_tower)
_WRAPPER_EXTRA["video_llava"] = {
    "vision_config": {
        "model_type": "clip_vision_model",
        "hidden_size": 32,
        "intermediate_size": 64,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "image_size": 28,
        "patch_size": 14,
        "projection_dim": 32,
    },
    "vision_feature_layer": -1,
}


# perception_lm draws its text_config with the knobs of llama (none beyond the generic ones);
# a small timm ViT (TimmWrapperModel needs timm; PerceptionLMMultiModalProjector reads
# model_args["embed_dim"], which the default TimmWrapperConfig lacks)
_WRAPPER_EXTRA["perception_lm"] = {
    "vision_config": {
        "model_type": "timm_wrapper",
        "architecture": "vit_tiny_patch16_224",
        "model_args": {"embed_dim": 32, "depth": 1, "num_heads": 2, "img_size": 32},
    }
}


# idefics2 draws its text_config with the knobs of mistral (none beyond the generic ones); a
# small vision tower and perceiver (Idefics2Config sets the perceiver's hidden_size to the
# text width)
_WRAPPER_EXTRA["idefics2"] = {
    "vision_config": {
        "hidden_size": 32,
        "intermediate_size": 64,
        "num_hidden_layers": 1,
        "num_attention_heads": 2,
        "image_size": 28,
        "patch_size": 14,
    },
    "perceiver_config": {
        "resampler_n_latents": 4,
        "resampler_depth": 1,
        "resampler_n_heads": 2,
        "resampler_head_dim": 16,
        "num_key_value_heads": 1,
    },
}


# janus draws its text_config with the knobs of llama (none beyond the generic ones); a
# small SigLIP-style tower and VQ-VAE (the defaults: 24 layers of 1024, 16384 codes)
_WRAPPER_EXTRA["janus"] = {
    "vision_config": {
        "hidden_size": 32,
        "num_hidden_layers": 1,
        "num_attention_heads": 2,
        "image_size": 32,
        "patch_size": 16,
        "projection_dim": 32,
        "num_image_tokens": 4,
    },
    "vq_config": {
        "embed_dim": 8,
        "num_embeddings": 32,
        "latent_channels": 32,
        "base_channels": 32,
        "channel_multiplier": [1, 1],
        "num_res_blocks": 1,
        "projection_dim": 32,
        "image_token_embed_dim": 32,
    },
}


@family_knobs("chameleon")
def _chameleon(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Chameleon: either layer order (``swin_norm``), a small VQ-VAE image tokenizer (the
    default has 128 base channels; it is not counted) and a vocabulary map
    (ChameleonImageVocabularyMapping reads its ``<image>`` token: None fails)."""
    return {
        "swin_norm": rng.random() < 0.5,
        "vocabulary_map": {"<image>": 5},
        "vq_config": {
            "embed_dim": 8,
            "num_embeddings": 32,
            "latent_channels": 32,
            "resolution": 32,
            "base_channels": 32,
            "channel_multiplier": [1, 1],
            "num_res_blocks": 1,
        },
    }


# ChameleonConfig's 32 heads (and KV heads) with the drawn widths give heads of one channel,
# which ChameleonRotaryEmbedding widens to two (an odd head_dim)
_PROTECTED["chameleon"] = {"vq_config", "vocabulary_map", "num_attention_heads"}
_PROTECTED["chameleon"] |= {"num_key_value_heads"}


@family_knobs("muse_spark_text")
def _muse_spark_text(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Muse Spark: a width the heads divide (MuseSparkTextConfig.validate_architecture) and
    equal to the small audio tower's out_hidden_size (MuseSparkConfig.validate_architecture),
    a window always, an MoE width of its own, dense and sparse layers mixed, the default or a
    drawn layer_types."""
    n = cfg["num_hidden_layers"]
    out: dict[str, Any] = {
        "hidden_size": 64,
        # MuseSparkTextModel.forward always builds a sliding-window mask
        "sliding_window": _pick(rng, 16, 64, 256),
        "moe_hidden_size": _pick(rng, 16, 48, 64, 96),
        "mlp_layer_types": [_pick(rng, "dense", "sparse", "sparse") for _ in range(n)],
    }
    if rng.random() < 0.4:
        out["layer_types"] = [_pick(rng, "full_attention", "sliding_attention") for _ in range(n)]
    return out


# the layer lists are drawn for this layer count; the width must match the audio tower's
_PROTECTED["muse_spark_text"] = {"num_hidden_layers", "hidden_size"}
# a small vision tower, adapter and audio tower (the defaults are 50 vision layers of width
# 1536 and an audio tower writing 8192-wide states)
_WRAPPER_EXTRA["muse_spark"] = {
    "vision_config": {
        "hidden_size": 32,
        "intermediate_size": 64,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
    },
    "audio_config": {"hidden_sizes": [8, 8, 8, 16], "out_hidden_size": 64},
    "out_hidden_size": 32,
    "projector_hidden_size": 40,
}


# qwen2_5_omni has no draw of its own: its language model is the thinker's (hf._SUB_MODEL), drawn
# through qwen2_5_omni_thinker; a drawn {"text_config": ...} at the top level is not read by
# Qwen2_5OmniConfig (it builds the default 7B thinker, talker and token2wav instead)


@family_knobs("hy_v4_vl_text")
def _hy_v4_vl_text(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Hy4's draws (HYV4VLTextConfig is HYV4Config with other defaults), and an M-RoPE split
    summing to qk_rope_head_dim // 2 (HYV4VLTextConfig.validate_architecture)."""
    out = _hy_v4(rng, cfg)
    # HYV4VLTextConfig.num_key_value_heads is a strict int (HYV4Config's takes None); both
    # __post_init__ set it to num_attention_heads
    del out["num_key_value_heads"]
    half = out["qk_rope_head_dim"] // 2
    third = half // 3
    section = [half - 2 * third, third, third]
    out["rope_parameters"] = {"rope_type": "default", "rope_theta": 1e4, "mrope_section": section}
    return out


# as hy_v4's, and the M-RoPE split must fit the drawn qk_rope_head_dim
_PROTECTED["hy_v4_vl_text"] = _PROTECTED["hy_v4"] | {"rope_parameters"}
# a small vision tower (the default has 40 blocks of 1536)
_WRAPPER_EXTRA["hy_v4_vl"] = {
    "vision_config": {
        "hidden_size": 32,
        "intermediate_size": 48,
        "num_attention_heads": 2,
        "num_hidden_layers": 1,
        "out_hidden_size": 64,
    }
}


@family_knobs("muse_glimmer_text")
def _muse_glimmer_text(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Now and then an explicit layer_types (the default puts a full layer every 4th, counted
    back from the last)."""
    n = cfg["num_hidden_layers"]
    if rng.random() < 0.3:
        return {
            "layer_types": [_pick(rng, "full_attention", "sliding_attention") for _ in range(n)]
        }
    return {}


# a drawn layer_types must match the drawn depth
_PROTECTED["muse_glimmer_text"] = {"num_hidden_layers"}
# a small vision tower and projector (the defaults: 50 blocks of 1536, a 6144 -> 4096 adapter)
_WRAPPER_EXTRA["muse_glimmer"] = {
    "vision_config": {
        "hidden_size": 32,
        "intermediate_size": 48,
        "num_hidden_layers": 1,
        "num_attention_heads": 2,
    },
    "out_hidden_size": 64,
    "projector_hidden_size": 32,
}


@family_knobs("deepseek_ocr2_text")
def _deepseek_ocr2_text(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """A dense / sparse list per layer (DeepseekOcr2TextConfig has no default one); the greedy
    router (group_limited_greedy would need n_group to divide the experts in the forward)."""
    n = cfg["num_hidden_layers"]
    return {
        "mlp_layer_types": [_pick(rng, "dense", "sparse", "sparse") for _ in range(n)],
        "topk_method": "greedy",
    }


# the list must match the drawn depth; the default top-k (None) cannot run; the default 32
# heads would split the drawn widths into odd (or no whole) head widths
_PROTECTED["deepseek_ocr2_text"] = {
    "num_hidden_layers",
    "mlp_layer_types",
    "num_experts_per_tok",
    "num_attention_heads",
}
# a small SAM + Qwen2 vision encoder (the defaults are 12 blocks of 768 and 24 of 4096)
_WRAPPER_EXTRA["deepseek_ocr2"] = {
    "vision_config": {
        "sam_config": {
            "hidden_size": 32,
            "num_hidden_layers": 1,
            "num_attention_heads": 2,
            "global_attn_indexes": [0],
            "output_channels": 16,
        },
        "encoder_config": {
            "hidden_size": 32,
            "intermediate_size": 48,
            "num_hidden_layers": 1,
            "num_attention_heads": 2,
            "num_key_value_heads": 2,
        },
    }
}


@family_knobs("voxtral_realtime_text")
def _voxtral_realtime(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Small windows or none (every layer full); half the draws leave ``head_dim`` null
    (VoxtralRealtimeTextConfig: hidden_size // num_attention_heads) with a width the heads
    divide. Keys left out take VoxtralRealtimeConfig's own text defaults (merged)."""
    out: dict[str, Any] = {"sliding_window": _pick(rng, 16, 64, None)}
    if rng.random() < 0.5:
        out |= {"head_dim": None, "hidden_size": cfg["num_attention_heads"] * _pick(rng, 16, 32)}
    return out


def _fun_asr_nano(text: dict[str, Any]) -> dict[str, Any]:
    """FunAsrNanoConfig.validate_architecture: the adaptor as wide as the drawn text model
    (Qwen3Config's width where the draw leaves it out), its intermediate_size a quarter of
    that; one adaptor head, which any width admits. The text model is qwen3's draw."""
    h = text.get("hidden_size", class_defaults("qwen3")[0]["hidden_size"])
    adaptor = {"hidden_size": h, "intermediate_size": h // 4, "num_attention_heads": 1}
    return {"adaptor_config": adaptor}


_WRAPPER_EXTRA["fun_asr_nano"] = _fun_asr_nano


# blip-2 draws its text_config with the knobs of opt (none beyond the generic ones); a small
# ViT and Q-Former and 4 query tokens (the defaults: 39 layers of 1408, 12 of 768, 32 queries)
_WRAPPER_EXTRA["blip-2"] = {
    "vision_config": {
        "hidden_size": 32,
        "intermediate_size": 64,
        "num_hidden_layers": 1,
        "num_attention_heads": 2,
        "image_size": 28,
        "patch_size": 14,
    },
    "qformer_config": {
        "vocab_size": 100,
        "hidden_size": 32,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "intermediate_size": 64,
        "max_position_embeddings": 32,
    },
    "num_query_tokens": 4,
}


# instructblip draws its text_config with the knobs of opt; the small tower of blip-2 (its
# Q-Former's embeddings sized by vocab_size and max_position_embeddings)
_WRAPPER_EXTRA["instructblip"] = _WRAPPER_EXTRA["blip-2"]


_WRAPPER_EXTRA["instructblipvideo"] = _WRAPPER_EXTRA["blip-2"]


@family_knobs("kosmos_2_text_model")
def _kosmos_2(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Kosmos2TextConfig's own spellings (embed_dim, layers, attention_heads, ffn_dim: the
    generic keys are attribute_map aliases, not fields), the head tied or not."""
    return {
        "embed_dim": cfg["hidden_size"],
        "layers": cfg["num_hidden_layers"],
        "attention_heads": cfg["num_attention_heads"],
        "ffn_dim": cfg["intermediate_size"],
        "max_position_embeddings": _pick(rng, 64, 512, 2048),
        "scale_embedding": rng.random() < 0.5,
    }


_PROTECTED["kosmos_2_text_model"] = {"embed_dim", "attention_heads"}
# a small CLIP-style tower and 4 latent queries (the default: 24 layers of 1024, 64 queries)
_WRAPPER_EXTRA["kosmos-2"] = {
    "vision_config": {
        "hidden_size": 32,
        "intermediate_size": 64,
        "num_hidden_layers": 1,
        "num_attention_heads": 2,
        "image_size": 28,
        "patch_size": 14,
    },
    "latent_query_num": 4,
}


@family_knobs("kosmos_2_5_text_model")
def _kosmos_2_5(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Kosmos2_5TextConfig's own spellings, as Kosmos-2's."""
    return _kosmos_2(rng, cfg)


_PROTECTED["kosmos_2_5_text_model"] = {"embed_dim", "attention_heads"}
# a small Pix2Struct-style tower and 4 latent queries (the default: 18 layers of 1536, 2048)
_WRAPPER_EXTRA["kosmos-2.5"] = {
    "vision_config": {
        "hidden_size": 32,
        "patch_embed_hidden_size": 16,
        "intermediate_size": 64,
        "head_dim": 16,
        "num_hidden_layers": 1,
        "num_attention_heads": 2,
        "max_num_patches": 16,
    },
    "latent_query_num": 4,
}


@family_knobs("phi4_multimodal")
def _phi4_multimodal(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """A small image and audio encoder (the defaults hold 441M and 466M parameters), RoPE
    over part of the head now and then (Phi-4-multimodal rotates 3/4 of it)."""
    return {
        "vision_config": {
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_hidden_layers": 1,
            "num_attention_heads": 2,
            "image_size": 28,
            "patch_size": 14,
            "crop_size": 28,
        },
        "audio_config": {
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_blocks": 1,
            "num_attention_heads": 2,
            "ext_pw_out_channel": 32,
            "depthwise_separable_out_channel": 32,
            "nemo_conv_channels": 32,
        },
        "partial_rotary_factor": _pick(rng, 1.0, 0.75),
    }


_EXTRA_KEYS["phi4_multimodal"] = ("partial_rotary_factor",)
# the class default (32 heads) over a drawn width of 32 to 512 gives heads of 1 to 16 channels
_PROTECTED["phi4_multimodal"] = {"vision_config", "audio_config", "num_attention_heads"}


@family_knobs("moshi")
def _moshi(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """MoshiForCausalLM: heads dividing hidden (MoshiAttention refuses a remainder), a head
    width given (also other than hidden / heads) or derived, GQA, an even ffn_dim and a
    window shorter or longer than the drawn prompts."""
    heads = _pick(rng, 2, 4, 8)
    return {
        "hidden_size": heads * _pick(rng, 8, 16, 32),
        "num_attention_heads": heads,
        "num_key_value_heads": _pick(rng, None, *[d for d in (1, 2, 4) if heads % d == 0]),
        "head_dim": _pick(rng, None, None, 16, 24),
        "ffn_dim": 2 * 16 * rng.randrange(2, 20),
        "sliding_window": _pick(rng, 8, 16, 64, 3000),
    }


# hidden, heads and ffn_dim are drawn together (the class defaults, 32 heads over 4096, fit
# only their own sizes); the window is kept so that the cache check sees it slide
_PROTECTED["moshi"] = {"hidden_size", "num_attention_heads", "ffn_dim", "sliding_window"}


@family_knobs("kyutai_speech_to_text")
def _kyutai_speech_to_text(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Moshi's decoder draws (``_moshi``) with a few small codebooks; the audio padding index
    is the last row of the joint text + codebook table (as the class default is)."""
    out = _moshi(rng, cfg)
    books = _pick(rng, 1, 2, 4, 8)
    book_vocab = rng.randrange(16, 300)
    out |= {
        "num_codebooks": books,
        "codebook_vocab_size": book_vocab,
        "audio_pad_token_id": cfg["vocab_size"] + books * book_vocab,
        "audio_bos_token_id": 0,
        "pad_token_id": 0,
        "bos_token_id": 0,
    }
    return out


_PROTECTED["kyutai_speech_to_text"] = {
    "hidden_size",
    "num_attention_heads",
    "ffn_dim",
    "sliding_window",
    "vocab_size",
    "num_codebooks",
    "codebook_vocab_size",
    "audio_pad_token_id",
}


# vibevoice_asr draws its text_config with the knobs of qwen2 (its default text type); the
# acoustic and semantic tokenizer encoders keep their class defaults (built on meta)
_WRAPPER_EXTRA["vibevoice_asr"] = {}


# moss_transcribe_diarize draws its text_config with the knobs of qwen3 (its default text
# type); a small Whisper-style audio tower (the default is 24 layers of 1024)
_WRAPPER_EXTRA["moss_transcribe_diarize"] = {
    "audio_config": {
        "hidden_size": 32,
        "num_hidden_layers": 1,
        "num_attention_heads": 2,
        "intermediate_size": 48,
        "num_mel_bins": 16,
    }
}


# nemo_speechlm draws its text_config with the knobs of nemotron_h (its default text type);
# the audio tower and word-timestamp encoder keep their class defaults (built on meta)
_WRAPPER_EXTRA["nemo_speechlm"] = {}


# omniasr draws its text_config with the knobs of llama (its default text type); the
# wav2vec2-style audio tower keeps its class defaults (built on meta)
_WRAPPER_EXTRA["omniasr"] = {}


def _bert_knobs(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """The BERT family's keys: hidden split evenly into heads (no head_dim, no KV heads), a
    small position table, a few token types, run as a causal decoder."""
    heads = cfg["num_attention_heads"]
    return {
        "hidden_size": heads * _pick(rng, 8, 16, 32),
        "max_position_embeddings": _pick(rng, 64, 128, 514),
        "type_vocab_size": _pick(rng, 1, 2, 3),
        "is_decoder": True,
        "pad_token_id": 0,
    }


@family_knobs("bert")
def _bert(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    return _bert_knobs(rng, cfg)


_PROTECTED["bert"] = {"hidden_size", "num_attention_heads", "is_decoder", "pad_token_id"}


@family_knobs("bert-generation")
def _bert_generation(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    return _bert_knobs(rng, cfg)


_PROTECTED["bert-generation"] = _PROTECTED["bert"]


@family_knobs("roberta")
def _roberta(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    return _bert_knobs(rng, cfg)


_PROTECTED["roberta"] = _PROTECTED["bert"]


@family_knobs("roberta-prelayernorm")
def _roberta_prelayernorm(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    return _bert_knobs(rng, cfg)


_PROTECTED["roberta-prelayernorm"] = _PROTECTED["bert"]


@family_knobs("camembert")
def _camembert(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    return _bert_knobs(rng, cfg)


_PROTECTED["camembert"] = _PROTECTED["bert"]


@family_knobs("xlm-roberta")
def _xlm_roberta(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    return _bert_knobs(rng, cfg)


_PROTECTED["xlm-roberta"] = _PROTECTED["bert"]


@family_knobs("xlm-roberta-xl")
def _xlm_roberta_xl(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    return _bert_knobs(rng, cfg)


_PROTECTED["xlm-roberta-xl"] = _PROTECTED["bert"]


@family_knobs("data2vec-text")
def _data2vec_text(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    return _bert_knobs(rng, cfg)


_PROTECTED["data2vec-text"] = _PROTECTED["bert"]


@family_knobs("electra")
def _electra(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    h = _bert_knobs(rng, cfg)
    return h | {"embedding_size": _pick(rng, h["hidden_size"], 24, 48, 64)}


_PROTECTED["electra"] = _PROTECTED["bert"]


@family_knobs("ernie")
def _ernie_bert(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    return _bert_knobs(rng, cfg) | {
        "use_task_id": rng.random() < 0.5,
        "task_type_vocab_size": _pick(rng, 1, 3, 5),
    }


_PROTECTED["ernie"] = _PROTECTED["bert"]


@family_knobs("megatron-bert")
def _megatron_bert(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    return _bert_knobs(rng, cfg)


_PROTECTED["megatron-bert"] = _PROTECTED["bert"]


@family_knobs("rembert")
def _rembert(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    h = _bert_knobs(rng, cfg)
    return h | {
        "input_embedding_size": _pick(rng, h["hidden_size"], 24, 40),
        "output_embedding_size": _pick(rng, h["hidden_size"], 48, 80),
    }


_PROTECTED["rembert"] = _PROTECTED["bert"]


@family_knobs("roc_bert")
def _roc_bert(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    return _bert_knobs(rng, cfg) | {
        "pronunciation_vocab_size": _pick(rng, 30, 910),
        "pronunciation_embed_dim": _pick(rng, 16, 32),
        "shape_vocab_size": _pick(rng, 50, 2000),
        "shape_embed_dim": _pick(rng, 8, 24),
        "enable_pronunciation": rng.random() < 0.7,
        "enable_shape": rng.random() < 0.7,
        "concat_input": rng.random() < 0.7,
    }


_PROTECTED["roc_bert"] = _PROTECTED["bert"]


@family_knobs("roformer")
def _roformer(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    h = _bert_knobs(rng, cfg)
    return h | {
        "embedding_size": _pick(rng, None, h["hidden_size"], 32, 48),
        "rotary_value": rng.random() < 0.5,
    }


_PROTECTED["roformer"] = _PROTECTED["bert"]


@family_knobs("xmod")
def _xmod(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    langs = ["en_XX", "de_DE", "fr_XX", "ja_XX", "en_XX"]
    return _bert_knobs(rng, cfg) | {
        "languages": langs[: rng.randrange(0, 6)],
        "adapter_reduction_factor": _pick(rng, 1, 2, 4),
        "adapter_layer_norm": rng.random() < 0.5,
        "pre_norm": rng.random() < 0.5,
    }


_PROTECTED["xmod"] = _PROTECTED["bert"] | {"languages"}


@family_knobs("big_bird")
def _big_bird(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    return _bert_knobs(rng, cfg) | {
        "attention_type": _pick(rng, "block_sparse", "original_full"),
        "use_bias": rng.random() < 0.6,
    }


_PROTECTED["big_bird"] = _PROTECTED["bert"]


def _encdec_sizes(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Decoder sizes of an encoder-decoder config (the causal LM builds the decoder only; the
    encoder keys are drawn apart from the decoder's, so that a reader reading them shows)."""
    heads = _pick(rng, 2, 4, 8)
    width = heads * _pick(rng, 8, 16, 32)
    return {
        "d_model": width,
        "decoder_layers": rng.randrange(1, 5),
        "decoder_attention_heads": heads,
        "decoder_ffn_dim": 16 * rng.randrange(2, 20),
        "encoder_layers": rng.randrange(1, 3),
        "encoder_attention_heads": _pick(rng, *[x for x in (1, 2, 4, 8) if width % x == 0]),
        "encoder_ffn_dim": 16 * rng.randrange(2, 20),
        "max_position_embeddings": _pick(rng, 32, 64, 100),
        "pad_token_id": _pick(rng, 0, 1, 5),
        "scale_embedding": rng.random() < 0.5,
    }


#: keys of every encoder-decoder draw that are never left out: the class defaults (1024
#: wide, 16 encoder heads, a pad id past a small vocabulary) do not fit the drawn sizes
_ENCDEC_PROTECTED = {
    "d_model",
    "decoder_attention_heads",
    "encoder_attention_heads",
    "pad_token_id",
}


@family_knobs("bart")
def _bart(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """BART's decoder sizes (``_encdec_sizes``)."""
    return _encdec_sizes(rng, cfg)


_PROTECTED["bart"] = _ENCDEC_PROTECTED


@family_knobs("mbart")
def _mbart(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """mBART's decoder sizes (``_encdec_sizes``)."""
    return _encdec_sizes(rng, cfg)


_PROTECTED["mbart"] = _ENCDEC_PROTECTED


@family_knobs("marian")
def _marian(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Marian's decoder sizes and a target vocabulary (``decoder_vocab_size``) that may
    differ from ``vocab_size`` (smaller only with a tied head, which the reader reads)."""
    vocab = cfg["vocab_size"]
    rows = [None, vocab, vocab + 37] + ([vocab - 37] if cfg["tie_word_embeddings"] else [])
    return _encdec_sizes(rng, cfg) | {"decoder_vocab_size": _pick(rng, *rows)}


_PROTECTED["marian"] = _ENCDEC_PROTECTED | {"vocab_size", "tie_word_embeddings"}


@family_knobs("pegasus")
def _pegasus(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Pegasus's decoder sizes (``_encdec_sizes``)."""
    return _encdec_sizes(rng, cfg)


_PROTECTED["pegasus"] = _ENCDEC_PROTECTED


@family_knobs("blenderbot")
def _blenderbot(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Blenderbot's decoder sizes (``_encdec_sizes``)."""
    return _encdec_sizes(rng, cfg)


_PROTECTED["blenderbot"] = _ENCDEC_PROTECTED


@family_knobs("blenderbot-small")
def _blenderbot_small(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Blenderbot-small's decoder sizes (``_encdec_sizes``)."""
    return _encdec_sizes(rng, cfg)


_PROTECTED["blenderbot-small"] = _ENCDEC_PROTECTED


@family_knobs("plbart")
def _plbart(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """PLBART's decoder sizes (``_encdec_sizes``)."""
    return _encdec_sizes(rng, cfg)


_PROTECTED["plbart"] = _ENCDEC_PROTECTED


@family_knobs("mvp")
def _mvp(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """MVP's decoder sizes, with prompts switched on at times (MvpForCausalLM builds none)."""
    return _encdec_sizes(rng, cfg) | {
        "use_prompt": rng.random() < 0.5,
        "prompt_length": _pick(rng, 4, 10),
        "prompt_mid_dim": _pick(rng, 16, 40),
    }


_PROTECTED["mvp"] = _ENCDEC_PROTECTED


@family_knobs("bigbird_pegasus")
def _bigbird_pegasus(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """BigBird-Pegasus' decoder sizes and ``use_bias`` (its attention projections' biases)."""
    return _encdec_sizes(rng, cfg) | {"use_bias": rng.random() < 0.5}


_PROTECTED["bigbird_pegasus"] = _ENCDEC_PROTECTED


@family_knobs("whisper")
def _whisper(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """Whisper's decoder sizes: ``max_target_positions`` rows of learned positions."""
    return _encdec_sizes(rng, cfg) | {"max_target_positions": _pick(rng, 32, 64, 100)}


_PROTECTED["whisper"] = _ENCDEC_PROTECTED


@family_knobs("trocr")
def _trocr(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """TrOCR's decoder sizes, its position and embedding-norm switches and the width of the
    encoder states its cross-attention reads (``cross_attention_hidden_size``)."""
    return _encdec_sizes(rng, cfg) | {
        "use_learned_position_embeddings": rng.random() < 0.6,
        "layernorm_embedding": rng.random() < 0.6,
        "cross_attention_hidden_size": _pick(rng, None, 48, 96),
    }


_PROTECTED["trocr"] = {"d_model", "decoder_attention_heads", "pad_token_id"}


@family_knobs("prophetnet")
def _prophetnet(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """ProphetNet's decoder sizes, n-gram streams, relative-position buckets and the
    cross-attention switch; the head stays tied (an untied one is refused)."""
    heads = _pick(rng, 2, 4, 8)
    width = heads * _pick(rng, 8, 16, 32)
    return {
        "hidden_size": width,
        "num_decoder_layers": rng.randrange(1, 5),
        "num_decoder_attention_heads": heads,
        "decoder_ffn_dim": 16 * rng.randrange(2, 20),
        "num_encoder_layers": rng.randrange(1, 3),
        "num_encoder_attention_heads": _pick(rng, *[x for x in (1, 2, 4, 8) if width % x == 0]),
        "encoder_ffn_dim": 16 * rng.randrange(2, 20),
        "max_position_embeddings": _pick(rng, 32, 64, 100),
        "ngram": _pick(rng, 1, 2, 3),
        "num_buckets": _pick(rng, 8, 16, 32),
        "relative_max_distance": _pick(rng, 20, 64, 128),
        "add_cross_attention": rng.random() < 0.7,
        "pad_token_id": _pick(rng, 0, 1, 5),
        "tie_word_embeddings": True,
    }


_PROTECTED["prophetnet"] = {
    "hidden_size",
    "num_decoder_attention_heads",
    "num_encoder_attention_heads",
    "pad_token_id",
    "tie_word_embeddings",
}


@family_knobs("xlm")
def _xlm(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    """XLMConfig's own spellings (emb_dim, n_layers, n_heads: the generic keys are
    attribute_map aliases, not fields), the FFN 4 · emb_dim (no key), a few languages with or
    without their table, learned or sinusoidal positions, causal or not."""
    heads = cfg["num_attention_heads"]
    return {
        "emb_dim": heads * _pick(rng, 8, 16, 32),
        "n_layers": cfg["num_hidden_layers"],
        "n_heads": heads,
        "n_langs": _pick(rng, 1, 2, 5, 15),
        "use_lang_emb": rng.random() < 0.7,
        "sinusoidal_embeddings": rng.random() < 0.3,
        "causal": rng.random() < 0.5,
        "max_position_embeddings": _pick(rng, 64, 256, 512),
        "pad_token_id": 2,
    }


_PROTECTED["xlm"] = {"emb_dim", "n_heads", "pad_token_id"}


@family_knobs("git")
def _git(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    # GitSelfAttention: int(hidden / heads) per head, a remainder refused (base_knobs: heads ·
    # head_dim); a small GitVisionConfig (the image side is not counted, its width is read by
    # visual_projection only)
    width = _pick(rng, 32, 48)
    return {
        "max_position_embeddings": _pick(rng, 64, 512, 1024),
        "num_image_with_embedding": _pick(rng, None, 2),
        "vision_config": {
            "hidden_size": width,
            "intermediate_size": 2 * width,
            "num_hidden_layers": 1,
            "num_attention_heads": 4,
            "image_size": 32,
            "patch_size": _pick(rng, 8, 16),
        },
    }


@family_knobs("idefics")
def _idefics(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    # IdeficsAttention: MHA of hidden / heads (base_knobs: heads · head_dim); the layer count a
    # multiple of cross_layer_interval (forward indexes one cross layer per interval); a small
    # IdeficsVisionConfig and IdeficsPerceiverConfig (not counted; their widths shape K/V)
    interval = _pick(rng, 1, 2, 3)
    return {
        "num_hidden_layers": interval * rng.randrange(1, 4),
        "cross_layer_interval": interval,
        "additional_vocab_size": _pick(rng, 0, 0, 2, 5),
        "alpha_type": _pick(rng, "float", "vector"),
        "qk_layer_norms": rng.random() < 0.5,
        "use_resampler": rng.random() < 0.5,
        "vision_config": {
            "embed_dim": _pick(rng, 32, 48),
            "intermediate_size": 64,
            "num_hidden_layers": 1,
            "num_attention_heads": 4,
            "image_size": 32,
            "patch_size": _pick(rng, 8, 16),
        },
        "perceiver_config": {
            "resampler_n_latents": _pick(rng, 4, 8),
            "resampler_depth": 1,
            "resampler_n_heads": 2,
            "resampler_head_dim": 8,
        },
    }


_PROTECTED["idefics"] = {"num_hidden_layers", "cross_layer_interval"}


@family_knobs("evolla")
def _evolla(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    # the aligner needs heads · int(hidden / heads) = hidden (base_knobs: heads · head_dim; the
    # heads kept: the class default 32 over a small hidden gives head_dim 1, whose RoPE
    # broadcasts the cached keys to 2 channels); a small SaProt protein encoder and
    # resampler (not counted)
    return {
        "aligner_num_add_layers": _pick(rng, 1, 2, 3, 8),
        "aligner_ffn_mult": _pick(rng, 1, 2, 4),
        "aligner_enable_bias": rng.random() < 0.6,
        "resampler_depth": 1,
        "resampler_dim_head": 8,
        "resampler_heads": 2,
        "resampler_num_latents": 4,
        "resampler_ff_mult": 1,
        "protein_encoder_config": {
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_hidden_layers": 1,
            "num_attention_heads": 4,
        },
    }


_PROTECTED["evolla"] = {"protein_encoder_config", "num_attention_heads"}


@family_knobs("blip_text_model")
def _blip_text_model(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    # BlipTextSelfAttention: int(hidden / heads) per head, a remainder refused (base_knobs:
    # heads · head_dim); encoder_hidden_size is overwritten by BlipConfig from the vision width
    return {
        "encoder_hidden_size": _pick(rng, 32, 48, 96),
        "max_position_embeddings": _pick(rng, 64, 512),
    }


_WRAPPER_EXTRA["blip"] = {
    # a small BlipVisionConfig (not counted; its width and patch grid shape the text decoder)
    "vision_config": {
        "hidden_size": 48,
        "intermediate_size": 64,
        "num_hidden_layers": 1,
        "num_attention_heads": 4,
        "image_size": 32,
        "patch_size": 8,
    },
    "tie_word_embeddings": False,
}


@family_knobs("llama4_text")
def _llama4(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    return {
        "intermediate_size_mlp": 16 * rng.randrange(4, 30),
        "attention_chunk_size": _pick(rng, 64, 128),
        "interleave_moe_layer_step": _pick(rng, 1, 2),
        "no_rope_layer_interval": _pick(rng, 2, 4),
        "head_dim": _pick(rng, 16, 32),
    }


@family_knobs("ernie4_5_moe")
def _ernie(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    n = cfg["num_hidden_layers"]
    return {
        "moe_layer_start_index": rng.randrange(0, 2),
        "moe_layer_end_index": _pick(rng, -1, n - 2),
        "moe_layer_interval": _pick(rng, 1, 2),
    }


@family_knobs("exaone4")
def _exaone4(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    return {"sliding_window_pattern": _pick(rng, 2, 4, "LLLG", "LG")}


@family_knobs("smollm3")
def _smollm3(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    return {"no_rope_layer_interval": _pick(rng, 2, 3, 4)}


@family_knobs("qwen3_moe")
def _qwen_moe(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    n = cfg["num_hidden_layers"]
    return {"mlp_only_layers": _pick(rng, [], [0], [n - 1])}


FAMILY_KNOBS["qwen2_moe"] = _qwen_moe


@family_knobs("stablelm")
def _stablelm(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    return {"use_parallel_residual": rng.random() < 0.5, "use_qkv_bias": rng.random() < 0.5}


@family_knobs("granitemoeshared")
def _granite_shared(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    return {"shared_intermediate_size": _pick(rng, 0, 64, 128)}


@family_knobs("afmoe")
def _afmoe(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    return {"num_dense_layers": rng.randrange(0, 3), "global_attn_every_n_layers": _pick(rng, 2, 4)}


@family_knobs("cohere2_moe")
def _cohere2_moe(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    return {
        "first_k_dense_replace": rng.randrange(0, 3),
        "sliding_window_pattern": _pick(rng, 2, 4),
        "num_shared_experts": _pick(rng, 0, 1),
        "head_dim": _pick(rng, 16, 32),
    }


_EXTRA_KEYS.update(
    {
        "cohere2": ("sliding_window_pattern",),
        "cohere2_moe": ("first_k_dense_replace",),
        "gemma3_text": ("sliding_window_pattern",),
        "glm_moe_dsa": ("index_topk_freq", "index_skip_topk_offset"),
    }
)


@family_knobs("qwen3_next")
def _qwen3_next(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    nk = _pick(rng, 1, 2, 4)
    return {
        "linear_num_key_heads": nk,
        "linear_num_value_heads": nk * _pick(rng, 1, 2),
        "linear_key_head_dim": _pick(rng, 16, 32),
        "linear_value_head_dim": _pick(rng, 16, 32),
        "linear_conv_kernel_dim": _pick(rng, 2, 4),
        "full_attention_interval": _pick(rng, 2, 3, 4),
        "num_hidden_layers": rng.randrange(2, 9),
        "mlp_only_layers": _pick(rng, [], [0]),
    }


FAMILY_KNOBS["qwen3_5_text"] = _qwen3_next
FAMILY_KNOBS["qwen3_5_moe_text"] = _qwen3_next


@family_knobs("kimi_linear")
def _kimi_linear(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    out = _mla(rng, cfg) | {"q_lora_rank": None}
    out |= {
        "linear_num_heads": _pick(rng, 2, 4),
        "linear_head_dim": _pick(rng, 16, 32),
        "linear_conv_kernel_dim": _pick(rng, 2, 4),
        "num_hidden_layers": rng.randrange(2, 9),
    }
    return out


@family_knobs("nemotron_h")
def _nemotron_h(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    n = rng.randrange(2, 9)
    kinds = ["mamba", "moe", "attention", "mlp"]
    blocks = [rng.choice(kinds) for _ in range(n)]
    groups = _pick(rng, 1, 2)
    out: dict[str, Any] = {
        "mamba_num_heads": groups * _pick(rng, 2, 4),
        "mamba_head_dim": _pick(rng, 8, 16),
        "n_groups": groups,
        "ssm_state_size": _pick(rng, 8, 16),
        "conv_kernel": _pick(rng, 2, 4),
        "use_conv_bias": rng.random() < 0.5,
        "use_bias": rng.random() < 0.3,
        "moe_shared_expert_intermediate_size": _pick(rng, 32, 64),
        "moe_latent_size": _pick(rng, None, 32),
    }
    if rng.random() < 0.5:
        out["hybrid_override_pattern"] = "".join(
            {"mamba": "M", "moe": "E", "attention": "*", "mlp": "-"}[b] for b in blocks
        )
    else:
        out["layers_block_type"] = blocks
    out["num_hidden_layers"] = n
    return out


def _mamba2_dims(rng: random.Random, cfg: dict[str, Any], prefix: str = "mamba_") -> dict[str, Any]:
    hidden = cfg["hidden_size"]
    expand = 2
    inner = expand * hidden
    heads = _pick(rng, *[h for h in (2, 4, 8) if inner % h == 0])
    groups = _pick(rng, *[g for g in (1, 2) if heads % g == 0])
    return {
        f"{prefix}n_heads": heads,
        f"{prefix}n_groups": groups,
        f"{prefix}d_state": _pick(rng, 8, 16),
        f"{prefix}d_conv": _pick(rng, 2, 4),
        f"{prefix}expand": expand,
        f"{prefix}conv_bias": rng.random() < 0.6,
        f"{prefix}proj_bias": rng.random() < 0.3,
        f"{prefix}d_head": "auto",
    }


@family_knobs("granitemoehybrid")
def _granite_hybrid(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    n = cfg["num_hidden_layers"]
    out = _mamba2_dims(rng, cfg)
    out["layer_types"] = [rng.choice(["mamba", "attention"]) for _ in range(n)]
    out["shared_intermediate_size"] = _pick(rng, 64, 128)
    out["num_local_experts"] = _pick(rng, 0, 4, 8)
    return out


@family_knobs("bamba")
def _bamba(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    n = cfg["num_hidden_layers"]
    out = _mamba2_dims(rng, cfg)
    out["attn_layer_indices"] = sorted(rng.sample(range(n), rng.randrange(0, n)))
    return out


@family_knobs("falcon_h1")
def _falcon_h1(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    out = _mamba2_dims(rng, cfg)
    d_ssm = _pick(rng, None, 64, 128)
    if d_ssm:
        heads = out["mamba_n_heads"]
        out["mamba_d_ssm"] = d_ssm
        out["mamba_n_heads"] = _pick(rng, *[h for h in (2, 4, 8) if d_ssm % h == 0])
        out["mamba_n_groups"] = 1 if out["mamba_n_heads"] % 2 else out["mamba_n_groups"]
        del heads
    out["mamba_rms_norm"] = rng.random() < 0.5
    out["projectors_bias"] = rng.random() < 0.3
    return out


@family_knobs("jamba")
def _jamba(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    ap = _pick(rng, 2, 4)
    ep = _pick(rng, 1, 2)
    return {
        "attn_layer_period": ap,
        "attn_layer_offset": rng.randrange(0, ap),
        "expert_layer_period": ep,
        "expert_layer_offset": rng.randrange(0, ep),
        "mamba_d_state": _pick(rng, 8, 16),
        "mamba_d_conv": _pick(rng, 2, 4),
        "mamba_expand": 2,
        "mamba_dt_rank": _pick(rng, "auto", 8),
        "mamba_conv_bias": rng.random() < 0.6,
        "mamba_proj_bias": rng.random() < 0.3,
        "num_hidden_layers": rng.randrange(2, 9),
    }


@family_knobs("mamba")
def _mamba(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    return {
        "state_size": _pick(rng, 8, 16),
        "conv_kernel": _pick(rng, 2, 4),
        "expand": 2,
        "time_step_rank": _pick(rng, "auto", 8),
        "use_bias": rng.random() < 0.3,
        "use_conv_bias": rng.random() < 0.7,
    }


FAMILY_KNOBS["falcon_mamba"] = _mamba


@family_knobs("mamba2")
def _mamba2(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    hidden = cfg["hidden_size"]
    heads = _pick(rng, 2, 4, 8)
    groups = _pick(rng, *[g for g in (1, 2) if heads % g == 0])
    return {
        "num_heads": heads,
        "head_dim": 2 * hidden // heads,
        "n_groups": groups,
        "expand": 2,
        "state_size": _pick(rng, 8, 16),
        "conv_kernel": _pick(rng, 2, 4),
        "use_bias": rng.random() < 0.3,
        "use_conv_bias": rng.random() < 0.7,
    }


@family_knobs("lfm2")
def _lfm2(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    n = cfg["num_hidden_layers"]
    out: dict[str, Any] = {
        "conv_L_cache": _pick(rng, 2, 3),
        "conv_bias": rng.random() < 0.4,
        "full_attn_idxs": sorted(rng.sample(range(n), rng.randrange(0, n + 1))),
        "block_auto_adjust_ff_dim": rng.random() < 0.7,
    }
    if rng.random() < 0.5:
        out["block_ffn_dim_multiplier"] = _pick(rng, 1.0, 1.5)
        out["block_multiple_of"] = _pick(rng, 16, 64)
    return out


@family_knobs("lfm2_moe")
def _lfm2_moe(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    n = cfg["num_hidden_layers"]
    out = _lfm2(rng, cfg)
    out["num_dense_layers"] = rng.randrange(0, 3)
    full = set(out.pop("full_attn_idxs"))
    out["layer_types"] = ["full_attention" if i in full else "conv" for i in range(n)]
    return out


_EXTRA_KEYS.update(
    {
        "qwen3_next": ("full_attention_interval",),
        "qwen3_5_text": ("full_attention_interval",),
        "qwen3_5_moe_text": ("full_attention_interval",),
        "nemotron_h": ("hybrid_override_pattern", "num_hidden_layers"),
        "lfm2": ("block_ffn_dim_multiplier",),
        "lfm2_moe": (),
    }
)
_PROTECTED.update(
    {
        "nemotron_h": {
            "layers_block_type",
            "hybrid_override_pattern",
            "mamba_num_heads",
            "n_groups",
        },
        "granitemoehybrid": {
            "mamba_n_heads",
            "mamba_n_groups",
            "mamba_expand",
            "hidden_size",
            "layer_types",
            "num_hidden_layers",
        },
        "lfm2_moe": {"layer_types", "num_hidden_layers"},
        "kimi_linear": {"num_hidden_layers"},
        "bamba": {"mamba_n_heads", "mamba_n_groups", "mamba_expand", "hidden_size"},
        "falcon_h1": {
            "mamba_n_heads",
            "mamba_n_groups",
            "mamba_expand",
            "hidden_size",
            "mamba_d_ssm",
        },
        "mamba2": {"num_heads", "head_dim", "n_groups", "expand", "hidden_size"},
        "qwen3_next": {"linear_num_key_heads", "linear_num_value_heads"},
        "qwen3_5_text": {"linear_num_key_heads", "linear_num_value_heads"},
        "qwen3_5_moe_text": {"linear_num_key_heads", "linear_num_value_heads"},
    }
)


@family_knobs("mimo_v2_flash")
def _mimo(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    # sliding layers have twice the KV heads: keep 2 x kv <= heads
    heads = _pick(rng, 4, 8)
    return {
        "v_head_dim": _pick(rng, 16, 32),
        "num_hidden_layers": rng.randrange(2, 9),
        "num_attention_heads": heads,
        "num_key_value_heads": _pick(rng, 1, heads // 2),
    }


@family_knobs("gemma4_text")
def _gemma4(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    n = rng.randrange(2, 9)
    out: dict[str, Any] = {
        "num_hidden_layers": n,
        "attention_k_eq_v": rng.random() < 0.5,
        "global_head_dim": _pick(rng, 32, 64),
        "num_global_key_value_heads": _pick(rng, 1, 2),
        "num_kv_shared_layers": _pick(rng, 0, 0, 1, 2) if n > 3 else 0,
        "use_double_wide_mlp": rng.random() < 0.3,
        "hidden_size_per_layer_input": _pick(rng, 0, 16),
        "vocab_size_per_layer_input": _pick(rng, 300, 700),
        "enable_moe_block": rng.random() < 0.5,
        "num_experts": _pick(rng, 4, 8),
        "top_k_experts": _pick(rng, 1, 2),
        "moe_intermediate_size": _pick(rng, 32, 64),
        "sliding_window": _pick(rng, 16, 64),
    }
    return out


_EXTRA_KEYS.update({"gemma4_text": ("global_head_dim", "num_global_key_value_heads")})
_PROTECTED.update(
    {
        "mimo_v2_flash": {"num_attention_heads", "num_key_value_heads"},
        "gemma4_text": {
            "num_hidden_layers",
            "enable_moe_block",
            "num_experts",
            "top_k_experts",
            "moe_intermediate_size",
            "num_key_value_heads",
            "num_attention_heads",
        },
    }
)


@family_knobs("mllama_text_model")
def _mllama(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    n = rng.randrange(2, 9)
    cross = sorted(rng.sample(range(n), rng.randrange(1, n + 1)))
    # pad_token_id: the default 128004 lies beyond the small vocabularies drawn
    return {"num_hidden_layers": n, "cross_attention_layers": cross, "pad_token_id": 0}


# MllamaTextModel builds no layer at an index >= num_hidden_layers, which llmsizing refuses:
# the layer count and the cross-attention indices are drawn together and kept
_PROTECTED["mllama_text_model"] = {"num_hidden_layers", "cross_attention_layers", "pad_token_id"}
# a small MllamaVisionModel with non-default tiles and aspect ratios
_WRAPPER_EXTRA["mllama"] = {
    "vision_config": {
        "model_type": "mllama_vision_model",
        "hidden_size": 64,
        "intermediate_size": 96,
        "num_hidden_layers": 3,
        "num_global_layers": 2,
        "attention_heads": 4,
        "image_size": 56,
        "patch_size": 14,
        "max_num_tiles": 2,
        "supported_aspect_ratios": [[1, 1], [1, 2], [2, 1]],
        "intermediate_layers_indices": [0, 2],
        "vision_output_dim": 192,
    }
}


@family_knobs("step3p5")
def _step3p5(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    # full and sliding layers (their own head count, a multiple of the KV heads), MTP entries
    # padding the per-layer lists, and the three ways the MoE layers are given
    n = rng.randrange(2, 9)
    mtp = _pick(rng, 0, 1, 2)
    kv = cfg["num_key_value_heads"]
    out: dict[str, Any] = {
        "num_hidden_layers": n,
        "num_nextn_predict_layers": mtp,
        "share_expert_dim": 16 * rng.randrange(1, 8),
        "sliding_window": _pick(rng, 16, 64, 512),
        "gating": _pick(rng, True, True, False, "per-head"),
    }
    kinds = [_pick(rng, "full_attention", "sliding_attention") for _ in range(n + mtp)]
    out["layer_types"] = _pick(rng, kinds, kinds[:n], None)
    sliding = kv * _pick(rng, 1, 2, 4)
    how = _pick(rng, "field", "legacy", None)
    if how == "field":
        out["num_sliding_attention_heads"] = sliding
    elif how == "legacy":
        out["attention_other_setting"] = {
            "num_attention_heads": sliding,
            "num_attention_groups": kv,
        }
    mlp = [_pick(rng, "dense", "sparse") for _ in range(n + mtp)]
    moe = _pick(rng, "types", "enum", None)
    if moe == "types":
        out["mlp_layer_types"] = _pick(rng, mlp, mlp[:n])
    elif moe == "enum":
        out["moe_layers_enum"] = ",".join(str(i) for i, t in enumerate(mlp) if t == "sparse")
    return out


_EXTRA_KEYS["step3p5"] = (
    "num_nextn_predict_layers",
    "attention_other_setting",
    "moe_layers_enum",
    "gating",
)
# the per-layer lists are drawn for this layer count (and MTP padding), the sliding heads
# for these KV heads; sliding layers with their own head count need their window (llmsizing
# refuses them without one)
_PROTECTED["step3p5"] = {
    "sliding_window",
    "num_hidden_layers",
    "num_nextn_predict_layers",
    "layer_types",
    "mlp_layer_types",
    "num_key_value_heads",
    "num_sliding_attention_heads",
    "attention_other_setting",
}
# a small Step3p7VisionModel (the default tower has 47 layers of width 1536)
_WRAPPER_EXTRA["step3p7"] = {
    "vision_config": {
        "hidden_size": 32,
        "num_hidden_layers": 1,
        "num_attention_heads": 2,
        "image_size": 56,
        "patch_size": 14,
    }
}


@family_knobs("minimax_m3_vl_text")
def _minimax_m3(rng: random.Random, cfg: dict[str, Any]) -> dict[str, Any]:
    # sparse (indexer) and full layers, dense and MoE FFNs, each given as the per-layer
    # lists, as the legacy 0/1 lists MiniMaxM3VLTextConfig.__post_init__ pops, or not at all;
    # the indexer sizes as flat keys or in sparse_attention_config
    n = rng.randrange(2, 7)
    out: dict[str, Any] = {
        "num_hidden_layers": n,
        "dense_intermediate_size": 16 * rng.randrange(2, 12),
        "shared_intermediate_size": 16 * rng.randrange(1, 8),
    }
    index = {
        "index_n_heads": _pick(rng, 1, 2, 4),
        "index_head_dim": _pick(rng, 16, 32, 64),
        "index_block_size": _pick(rng, 16, 64, 128),
        "index_topk_blocks": _pick(rng, 1, 4, 16),
        "index_local_blocks": _pick(rng, 0, 1, 2),
    }
    legacy = {
        "index_n_heads": "sparse_num_index_heads",
        "index_head_dim": "sparse_index_dim",
        "index_block_size": "sparse_block_size",
        "index_topk_blocks": "sparse_topk_blocks",
        "index_local_blocks": "sparse_local_block",
    }
    sparse_cfg: dict[str, Any] = {}
    for k, v in index.items():
        if rng.random() < 0.5:
            sparse_cfg[legacy[k]] = v
        else:
            out[k] = v
    freq = [_pick(rng, 0, 1, 1) for _ in range(n)]
    how = _pick(rng, "types", "legacy", "legacy", None)
    if how == "types":
        out["layer_types"] = ["minimax_m3_sparse" if f else "full_attention" for f in freq]
    elif how == "legacy":
        sparse_cfg["sparse_attention_freq"] = freq
    if sparse_cfg:
        out["sparse_attention_config"] = sparse_cfg
    moe = [_pick(rng, 0, 1, 1) for _ in range(n)]
    how = _pick(rng, "types", "legacy", "legacy", None)
    if how == "types":
        out["mlp_layer_types"] = ["sparse" if f else "dense" for f in moe]
    elif how == "legacy":
        out["moe_layer_freq"] = moe
    return out


_EXTRA_KEYS["minimax_m3_vl_text"] = ("sparse_attention_config", "moe_layer_freq")
# the per-layer lists are drawn for this layer count
_PROTECTED["minimax_m3_vl_text"] = {
    "num_hidden_layers",
    "layer_types",
    "mlp_layer_types",
    "sparse_attention_config",
    "moe_layer_freq",
}
# a small MiniMaxM3VLVisionModel (the default tower has 32 layers of width 1280)
_WRAPPER_EXTRA["minimax_m3_vl"] = {
    "vision_config": {
        "hidden_size": 32,
        "intermediate_size": 64,
        "num_hidden_layers": 1,
        "num_attention_heads": 2,
        "image_size": 56,
        "patch_size": 14,
    }
}


def plausible(cfg: Any) -> None:
    """Refuse draws no released model could have (transformers builds some of them anyway)."""
    t = _text(cfg)
    if getattr(t, "is_heterogeneous", False):
        # per_layer_config (Step3p7's sliding layers): the head counts of each layer
        for layer in t.per_layer_config:
            plausible(layer)
        return
    h, kv = getattr(t, "num_attention_heads", None), getattr(t, "num_key_value_heads", None)
    if isinstance(h, int) and isinstance(kv, int) and kv and h % kv:
        raise ValueError(f"{h} heads, {kv} KV heads")
    hidden = getattr(t, "hidden_size", None)
    if isinstance(h, int) and isinstance(hidden, int) and getattr(t, "head_dim", None) is None:
        if h and hidden % h and getattr(t, "kv_lora_rank", None) is None:
            raise ValueError(f"{h} heads do not divide hidden {hidden}")
    k = _top_k(t)
    if getattr(t, "num_experts_per_tok", 0) is None and getattr(t, "n_routed_experts", 0):
        raise ValueError("MoE without num_experts_per_tok")
    for key in ("num_experts", "num_local_experts", "n_routed_experts", "moe_num_experts"):
        e = getattr(t, key, None)
        if isinstance(e, int) and isinstance(k, int) and e and k > e:
            raise ValueError(f"top-{k} of {e} experts")


def cmd_families(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    fams = supported_types()
    models: dict[str, Any] = {}
    causal = transformers.models.auto.modeling_auto.MODEL_FOR_CAUSAL_LM_MAPPING_NAMES
    # a text-config type with no causal-LM class of its own is drawn inside its wrapper
    types = args.only or sorted(
        mt for mt, fam in fams.items() if fam.read is None or REMOTE_AS.get(mt, mt) in causal
    )
    for mt in types:
        made = 0
        tries = 0
        while made < args.per_type and tries < 20 * args.per_type:
            tries += 1
            raw = random_config(mt, rng)
            try:
                entry = derive_config(raw, check=plausible)
            except Exception as e:  # an invalid draw: transformers refuses it; draw again
                if args.verbose:
                    print(f"  {mt}: {type(e).__name__}: {e}"[:200], file=sys.stderr)
                continue
            models[f"{mt}-{args.seed}-{made}"] = {"model_type": mt, "config": raw, **entry}
            made += 1
        print(f"{mt}: {made}", file=sys.stderr)
    name = "family_configs.json" if args.seed == 0 else "family_configs_heldout.json"
    _write(
        Path(args.out) if args.out else DATA / name,
        {**_header(), "seed": args.seed, "models": models},
    )


# --------------------------------------------------------------------- caches
#: one small model of each cache/state layer kind (batch 1, random weights)
CACHE_CASES: dict[str, dict[str, Any]] = {
    "qwen3_next (Gated DeltaNet + gated attention)": dict(
        model_type="qwen3_next",
        vocab_size=500,
        hidden_size=64,
        intermediate_size=64,
        num_hidden_layers=4,
        num_attention_heads=4,
        num_key_value_heads=2,
        head_dim=16,
        linear_num_key_heads=2,
        linear_num_value_heads=4,
        linear_key_head_dim=8,
        linear_value_head_dim=16,
        linear_conv_kernel_dim=4,
        num_experts=4,
        num_experts_per_tok=2,
        moe_intermediate_size=32,
        shared_expert_intermediate_size=32,
    ),
    "kimi_linear (Kimi Delta Attention + MLA)": dict(
        model_type="kimi_linear",
        vocab_size=500,
        pad_token_id=0,
        bos_token_id=1,
        eos_token_id=2,
        hidden_size=64,
        intermediate_size=64,
        num_hidden_layers=5,
        num_attention_heads=4,
        kv_lora_rank=16,
        q_lora_rank=None,
        qk_nope_head_dim=8,
        qk_rope_head_dim=8,
        v_head_dim=8,
        linear_num_heads=2,
        linear_head_dim=16,
        linear_conv_kernel_dim=4,
        num_local_experts=4,
        num_experts_per_tok=2,
        moe_intermediate_size=32,
    ),
    "minimax (Lightning attention)": dict(
        model_type="minimax",
        vocab_size=500,
        hidden_size=64,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        head_dim=16,
        num_local_experts=4,
        num_experts_per_tok=2,
    ),
    "nemotron_h (Mamba-2)": dict(
        model_type="nemotron_h",
        vocab_size=500,
        hidden_size=64,
        intermediate_size=64,
        hybrid_override_pattern="M*-",
        num_attention_heads=4,
        num_key_value_heads=2,
        head_dim=16,
        mamba_num_heads=4,
        mamba_head_dim=8,
        n_groups=2,
        ssm_state_size=8,
        conv_kernel=4,
    ),
    "jamba (Mamba-1)": dict(
        model_type="jamba",
        vocab_size=500,
        hidden_size=64,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        attn_layer_period=2,
        attn_layer_offset=1,
        expert_layer_period=2,
        expert_layer_offset=1,
        num_experts=4,
        num_experts_per_tok=2,
        mamba_d_state=8,
        mamba_d_conv=4,
        mamba_expand=2,
        use_mamba_kernels=False,
    ),
    "lfm2 (short convolution)": dict(
        model_type="lfm2",
        vocab_size=500,
        hidden_size=64,
        intermediate_size=96,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        conv_L_cache=3,
        full_attn_idxs=[1],
    ),
}


def cmd_caches(args: argparse.Namespace) -> None:
    """Run small models forward and record the cache tensors transformers keeps."""
    out = {}
    for name, raw in CACHE_CASES.items():
        out[name] = {"config": raw, **cache_shapes(raw, args.tokens)}
        print(name, out[name]["layers"][:3], file=sys.stderr)
    _write(DATA / "cache_shapes.json", {**_header(), "tokens": args.tokens, "models": out})


def cache_shapes(raw: dict[str, Any], tokens: int) -> dict[str, Any]:
    data = {k: v for k, v in raw.items() if k != "model_type"}
    cfg = AutoConfig.for_model(raw["model_type"], **data)
    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_config(cfg).eval()
    ids = torch.randint(0, cfg.vocab_size, (1, tokens))
    with torch.no_grad():
        outputs = model(ids, use_cache=True)
    cache = outputs.past_key_values
    layers = []
    for layer in getattr(cache, "layers", []):
        entry: dict[str, Any] = {"class": type(layer).__name__}
        for attr in ("keys", "values", "conv_states", "recurrent_states"):
            t = getattr(layer, attr, None)
            items = (
                t.items()
                if isinstance(t, dict)
                else enumerate(t)
                if isinstance(t, list)
                else ([(0, t)] if isinstance(t, torch.Tensor) else [])
            )
            shapes = [list(v.shape) for _, v in items if isinstance(v, torch.Tensor)]
            if shapes:
                entry[attr] = shapes
        layers.append(entry)
    # MiniMaxCache keeps the Lightning-attention states in a list of its own
    for i, t in enumerate(getattr(cache, "linear_cache", []) or []):
        if isinstance(t, torch.Tensor):
            layers.append(
                {"class": "linear_cache", "layer": i, "recurrent_states": [list(t.shape)]}
            )
    return {"layers": layers}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd")
    p = sub.add_parser("presets")
    p.add_argument("--out", type=Path)
    p.add_argument("--only", nargs="*")
    sub.add_parser("defaults")
    p = sub.add_parser("families")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--per-type", type=int, default=3)
    p.add_argument("--only", nargs="*")
    p.add_argument("--out")
    p.add_argument("--verbose", action="store_true")
    p = sub.add_parser("real")
    p.add_argument("dirs", nargs="+")
    p.add_argument("--out", type=Path, default=DATA / "hf_param_counts_real.json")
    p = sub.add_parser("caches")
    p.add_argument("--tokens", type=int, default=40)
    args = parser.parse_args(argv)
    if args.cmd is None:
        args = parser.parse_args(["presets", *(argv or [])])
    transformers.logging.set_verbosity_error()
    {
        "presets": cmd_presets,
        "defaults": cmd_defaults,
        "families": cmd_families,
        "real": cmd_real,
        "caches": cmd_caches,
    }[args.cmd](args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
