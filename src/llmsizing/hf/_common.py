"""Building blocks of the family readers: sizes, heads, layer patterns, MoE layouts.

Each function reads a few keys with a :class:`~llmsizing.hf._reader.Reader`
and returns :class:`~llmsizing.model.ModelConfig` fields. The rules follow the
transformers configuration and modeling code of the families that use them
(``configuration_<family>.py`` ``__post_init__`` for derived values,
``modeling_<family>.py`` for what is built).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from llmsizing.hf._reader import Reader
from llmsizing.model import SANITY_LIMITS, MLAConfig, MoEConfig

Fields = dict[str, Any]
#: a flag given by a config key (read with its transformers default) or fixed by the family
Flag = bool | str

#: config spellings of the layer kinds
LAYER_NAMES: dict[str, str] = {
    "full_attention": "full",
    "attention": "full",
    "global": "full",
    "sliding_attention": "sliding",
    "sliding_window_attention": "sliding",
    "local": "sliding",
    "chunked_attention": "chunked",
    "linear_attention": "linear",
    "mamba": "mamba",
    "mamba2": "mamba",
    "conv": "conv",
}


def flag(r: Reader, f: Flag) -> bool:
    """A fixed flag, or the boolean config key it names."""
    return f if isinstance(f, bool) else r.boolean(f, False)


def layer_count(r: Reader, key: str = "num_hidden_layers") -> int:
    """The number of layers, checked before any per-layer list is built from it."""
    n = r.integer(key)
    if n > SANITY_LIMITS["num_layers"]:
        raise r.fail(f"field {key!r} = {n} exceeds the sanity limit {SANITY_LIMITS['num_layers']}")
    return n


def sizes(r: Reader) -> Fields:
    """Layers, vocabulary, hidden width, FFN width, context, tying."""
    n = layer_count(r)
    vocab = r.integer("vocab_size")
    if vocab > SANITY_LIMITS["vocab_size"]:
        raise r.fail(
            f"field 'vocab_size' = {vocab} exceeds the sanity limit {SANITY_LIMITS['vocab_size']}"
        )
    return {
        "vocab_size": vocab,
        "hidden_size": r.integer("hidden_size"),
        "num_layers": n,
        "intermediate_size": r.integer("intermediate_size"),
        # a context limit, not a shape: filled from the class default only in the sparse
        # text_config of a composite config (Gemma 3 writes only what differs)
        "max_position_embeddings": r.opt_integer("max_position_embeddings")
        if r.has("max_position_embeddings") or r.nested
        else None,
        "tie_word_embeddings": r.boolean("tie_word_embeddings", False),
    }


def heads(r: Reader, hidden: int, *, head_dim: str = "config", mla: bool = False) -> Fields:
    """Query heads, KV heads and the head width.

    ``head_dim="config"``: the ``head_dim`` key (or its transformers default),
    else ``hidden_size // num_attention_heads``; ``"derived"``: always the
    latter (the family ignores the key). ``mla``: widths come from the MLA
    dimensions, so the heads need not divide the hidden size.
    """
    nh = r.integer("num_attention_heads")
    if nh == 0:
        raise r.fail("field 'num_attention_heads' must be positive")
    if mla:
        hd = 1
    elif head_dim == "config" and (r.has("head_dim") or r.has_default("head_dim")):
        hd = r.integer("head_dim")
    else:
        if hidden % nh:
            raise r.fail(
                f"num_attention_heads ({nh}) does not divide hidden_size ({hidden}) "
                "and no head_dim is given"
            )
        hd = hidden // nh
    if mla:
        # MLA expands K and V to every query head: num_key_value_heads plays no part
        return {"num_heads": nh, "num_kv_heads": nh, "head_dim": hd}
    kv = r.integer("num_key_value_heads", nh, why="transformers default: num_attention_heads (MHA)")
    if kv == 0 or nh % kv:
        raise r.fail(f"num_key_value_heads ({kv}) must divide num_attention_heads ({nh})")
    return {"num_heads": nh, "num_kv_heads": kv, "head_dim": hd}


def layer_list(
    r: Reader, n: int, key: str = "layer_types", names: Mapping[str, str] = LAYER_NAMES
) -> list[str] | None:
    """An explicit per-layer list of kinds (``layer_types``), mapped to llmsizing's names."""
    raw = r.sequence(key)
    if raw is None:
        return None
    if len(raw) != n:
        raise r.fail(f"field {key!r} has {len(raw)} entries for {n} layers")
    out = []
    for i, t in enumerate(raw):
        if not isinstance(t, str) or t not in names:
            known = ", ".join(sorted(set(names)))
            raise r.fail(f"{key}[{i}] = {t!r} is not supported (known: {known})")
        out.append(names[t])
    return out


def every(n: int, period: int, at: str, other: str, *, offset: int = 1) -> list[str]:
    """``at`` on layers with ``(i + offset) % period == 0``, ``other`` elsewhere."""
    return [at if (i + offset) % period == 0 else other for i in range(n)]


def positive(r: Reader, key: str, value: int) -> int:
    if value <= 0:
        raise r.fail(f"field {key!r} must be positive")
    return value


# ---------------------------------------------------------------- windows
WindowRule = Callable[[Reader, int], Fields]


def no_window(r: Reader, n: int) -> Fields:
    """Every layer full attention (an explicit ``layer_types`` still wins)."""
    types = layer_list(r, n)
    return {"layer_types": tuple(types or ["full"] * n)}


def window_everywhere(r: Reader, n: int) -> Fields:
    """Mistral / Mixtral / Phi-3: ``sliding_window`` (if set) applies to every layer."""
    types = layer_list(r, n)
    w = r.opt_integer("sliding_window")
    if types is None:
        types = ["sliding" if w else "full"] * n
    return {"layer_types": tuple(types), "sliding_window": w}


def qwen_window(r: Reader, n: int) -> Fields:
    """Qwen2 / Qwen3: a window only with ``use_sliding_window``, from ``max_window_layers`` on."""
    types = layer_list(r, n)
    use = r.boolean("use_sliding_window", False)
    w = r.opt_integer("sliding_window") if use else None
    if types is None:
        start = r.opt_integer("max_window_layers") or 0
        types = ["sliding" if w and i >= start else "full" for i in range(n)]
    if "sliding" in types and not w:
        # the layer kind is named but the window is off: transformers attends fully
        types = ["full" if t == "sliding" else t for t in types]
    return {"layer_types": tuple(types), "sliding_window": w}


def pattern_window(period_key: str | None, period: int, *, offset: int = 1) -> WindowRule:
    """Gemma 3 / Cohere 2 / OLMo 3 / EXAONE 4: a global layer every ``period`` layers.

    Layer i is full where ``(i + offset) % period == 0``, sliding elsewhere
    (``layer_types``, when given, wins).
    """

    def rule(r: Reader, n: int) -> Fields:
        types = layer_list(r, n)
        w = r.opt_integer("sliding_window")
        if types is None:
            raw = r.raw(period_key) if period_key else None
            p = period
            if period_key and isinstance(raw, int) and not isinstance(raw, bool):
                p = r.integer(period_key)
            elif not isinstance(raw, str) and period_key:
                d = r.default(period_key)
                p = d if isinstance(d, int) and not isinstance(d, bool) else period
                r.note(f"{period_key}={p} (transformers {r.model_type} default)")
            if isinstance(raw, str):
                # EXAONE 4 writes the pattern as letters: "LLLG" (L local, G global)
                if not raw or set(raw) - {"L", "G"}:
                    raise r.fail(f"field {period_key!r} = {raw!r} is not a pattern of L and G")
                types = ["full" if raw[i % len(raw)] == "G" else "sliding" for i in range(n)]
            else:
                if p <= 0:
                    types = ["full"] * n
                else:
                    types = every(n, p, "full", "sliding", offset=offset)
        if w is None:
            types = ["full" if t == "sliding" else t for t in types]
        return {"layer_types": tuple(types), "sliding_window": w}

    return rule


def alternate_window(first: str) -> WindowRule:
    """Gemma 2 / gpt-oss: sliding and full alternate, starting with ``first``."""

    def rule(r: Reader, n: int) -> Fields:
        types = layer_list(r, n)
        w = r.opt_integer("sliding_window")
        if types is None:
            second = "full" if first == "sliding" else "sliding"
            types = [first if i % 2 == 0 else second for i in range(n)]
            r.note(
                f"layer_types alternating {first}/{second} (transformers {r.model_type} default)"
            )
        return {"layer_types": tuple(types), "sliding_window": w}

    return rule


# ------------------------------------------------------------------- MoE
def moe_layers_qwen(r: Reader, n: int, experts: int) -> tuple[bool, ...]:
    """Qwen2/3-MoE, Qwen3-Next: MoE unless in ``mlp_only_layers``, every ``decoder_sparse_step``."""
    step = r.integer("decoder_sparse_step", 1)
    only = set(r.layer_indices("mlp_only_layers") or [])
    if step == 0:
        raise r.fail("field 'decoder_sparse_step' must be positive")
    return tuple(i not in only and experts > 0 and (i + 1) % step == 0 for i in range(n))


def moe_layers_first_dense(
    r: Reader, n: int, key: str = "first_k_dense_replace"
) -> tuple[bool, ...]:
    """DeepSeek-style: the first ``first_k_dense_replace`` layers dense, the rest MoE."""
    first = r.integer(key, 0)
    return tuple(i >= first for i in range(n))


def mlp_layer_types(r: Reader, n: int, key: str = "mlp_layer_types") -> tuple[bool, ...] | None:
    """An explicit per-layer list of ``dense`` / ``sparse`` FFNs, if the config gives one."""
    raw = r.sequence(key)
    if raw is None:
        return None
    if len(raw) != n:
        raise r.fail(f"field {key!r} has {len(raw)} entries for {n} layers")
    out = []
    for i, t in enumerate(raw):
        if t not in ("dense", "sparse", "moe", "mlp"):
            raise r.fail(f"{key}[{i}] = {t!r} is not supported (known: dense, sparse)")
        out.append(t in ("sparse", "moe"))
    return tuple(out)


def moe(
    r: Reader,
    *,
    experts: str,
    top_k: str,
    inter: str | int,
    shared: str | int = 0,
    shared_width: str | None = None,
    **flags: Any,
) -> MoEConfig:
    """An :class:`MoEConfig` from the family's key names.

    ``shared``: the number of shared experts (a key or a constant) whose MLP has
    width ``inter · shared``, unless ``shared_width`` names a key for it.
    """
    n = r.integer(experts)
    if n == 0:
        raise r.fail(f"field {experts!r} must be positive")
    width = inter if isinstance(inter, int) else r.integer(inter)
    ns = shared if isinstance(shared, int) else r.integer(shared, 0)
    sw = r.integer(shared_width, 0) if shared_width else width * ns
    return MoEConfig(
        n_routed_experts=n,
        experts_per_token=r.integer(top_k),
        expert_intermediate_size=width,
        n_shared_experts=ns if ns or not sw else 1,
        shared_expert_intermediate_size=sw,
        **flags,
    )


# -------------------------------------------------------------------- MLA
def mla(r: Reader, *, bias: bool = False) -> MLAConfig:
    """DeepSeek-V2/V3 multi-head latent attention dimensions."""
    return MLAConfig(
        q_lora_rank=r.opt_integer("q_lora_rank"),
        kv_lora_rank=r.integer("kv_lora_rank"),
        qk_nope_head_dim=r.integer("qk_nope_head_dim"),
        qk_rope_head_dim=r.integer("qk_rope_head_dim"),
        v_head_dim=r.integer("v_head_dim"),
        bias=bias,
    )


def mla_fields(a: MLAConfig) -> Fields:
    """The head widths an MLA model reports: q/k = nope + rope, v = v_head_dim."""
    return {"head_dim": a.qk_nope_head_dim + a.qk_rope_head_dim, "v_head_dim": a.v_head_dim}
