"""The family table: one entry per supported ``model_type``.

A plain-shaped family (attention, FFN or MoE, norms, in the usual places) is
one call of :func:`dense` naming how it differs: which keys switch biases and
q/k norms, how many norms a layer has, which layers slide, which are MoE. A
family with new structure (MLA, linear attention, Mamba layers) has a reader
of its own below the table's building blocks. Every rule cites the
transformers code it follows (``models/<family>/modeling_<family>.py`` and
``configuration_<family>.py``, transformers 5.24).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from llmsizing.hf import _common as c
from llmsizing.hf._common import Fields, Flag, WindowRule
from llmsizing.hf._reader import ABSENT, Reader
from llmsizing.model import (
    SANITY_LIMITS,
    AttentionDims,
    HyperConnections,
    IndexerConfig,
    LinearAttentionConfig,
    MambaConfig,
    MLAConfig,
    MoEConfig,
    NGramEmbeddings,
    ShortConvConfig,
)

ReadFn = Callable[[Reader], Fields]
MoERule = Callable[[Reader, Fields], Fields]


@dataclass(frozen=True)
class Family:
    """One supported ``model_type``: how its config is read.

    ``text_config``: for a multimodal or wrapper config, the ``model_type`` its
    ``text_config`` is read as (when the text config does not name a supported
    one itself).
    """

    model_type: str
    read: ReadFn | None = None
    text_config: str | None = None
    #: what the architecture is built of: dense, moe, mla, hybrid (or wrapper)
    kind: str = "dense"
    #: where a wrapper's head tying is decided: the top-level config (``outer``: the head
    #: sits in the wrapper) or the text config (``text``: inside the language model)
    tie_from: str = "outer"
    note: str = ""


def dense(
    *,
    qkv_bias: Flag = "attention_bias",
    o_bias: Flag | None = None,
    mlp_bias: Flag = False,
    qk_norm: str | None = None,
    qk_norm_flag: str | None = None,
    layer_norms: int = 2,
    norm_bias: bool = False,
    final_norm: bool = True,
    lm_head_bias: Flag = False,
    ffn_gated: bool = True,
    head_dim: str = "config",
    windows: WindowRule = c.no_window,
    moe: MoERule | None = None,
    extra: Callable[[Reader, Fields], Fields] | None = None,
    fixed: Mapping[str, Any] | None = None,
) -> ReadFn:
    """A reader for a decoder of the usual shape.

    ``qkv_bias`` / ``o_bias`` / ``mlp_bias`` / ``lm_head_bias``: a config key
    (read with its transformers default) or a constant; ``o_bias`` None: as
    ``qkv_bias``. ``qk_norm``: ``"head"`` or ``"full"``, built always or, with
    ``qk_norm_flag``, where that key is true. ``moe``: the family's MoE rule,
    returning the ``moe`` and ``moe_layers`` fields.
    """

    def read(r: Reader) -> Fields:
        f = c.sizes(r)
        f |= c.heads(r, f["hidden_size"], head_dim=head_dim)
        f |= windows(r, f["num_layers"])
        qkv = c.flag(r, qkv_bias)
        f |= {
            "qkv_bias": qkv,
            "o_bias": qkv if o_bias is None else c.flag(r, o_bias),
            "mlp_bias": c.flag(r, mlp_bias),
            "qk_norm": qk_norm if qk_norm_flag is None or r.boolean(qk_norm_flag) else None,
            "layer_norms": layer_norms,
            "norm_bias": norm_bias,
            "final_norm": final_norm,
            "lm_head_bias": c.flag(r, lm_head_bias),
            "ffn_gated": ffn_gated,
        }
        if moe is not None:
            f |= moe(r, f)
        if extra is not None:
            f |= extra(r, f)
        return f | dict(fixed or {})

    return read


# ------------------------------------------------------------------ MoE rules
def _all_moe(experts: str, top_k: str, inter: str | None = None, **kw: Any) -> MoERule:
    """Every layer MoE; experts as wide as ``inter`` (default: ``intermediate_size``)."""

    def rule(r: Reader, f: Fields) -> Fields:
        m = c.moe(r, experts=experts, top_k=top_k, inter=inter or f["intermediate_size"], **kw)
        return {"moe": m, "moe_layers": (True,) * f["num_layers"]}

    return rule


def _qwen_moe(shared: bool, gate: bool) -> MoERule:
    """Qwen2-MoE / Qwen3-MoE / Qwen3-Next sparse blocks.

    MoE layers follow ``decoder_sparse_step`` and ``mlp_only_layers``.
    """

    def rule(r: Reader, f: Fields) -> Fields:
        n = r.integer("num_experts")
        width = r.integer("shared_expert_intermediate_size", 0) if shared else 0
        m = MoEConfig(
            n_routed_experts=max(n, 1),
            experts_per_token=r.integer("num_experts_per_tok"),
            expert_intermediate_size=r.integer("moe_intermediate_size"),
            n_shared_experts=1 if shared else 0,
            shared_expert_intermediate_size=width,
            # Qwen2MoeSparseMoeBlock builds the gate whatever the shared width
            shared_expert_gate=gate,
        )
        if n == 0:
            raise r.fail("field 'num_experts' must be positive")
        return {"moe": m, "moe_layers": c.moe_layers_qwen(r, f["num_layers"], n)}

    return rule


def _first_dense(
    experts: str,
    top_k: str,
    inter: str,
    shared: str | int,
    first: str = "first_k_dense_replace",
    **kw: Any,
) -> MoERule:
    """DeepSeek-style MoE: dense first layers (or ``mlp_layer_types``), shared experts fused."""

    def rule(r: Reader, f: Fields) -> Fields:
        m = c.moe(r, experts=experts, top_k=top_k, inter=inter, shared=shared, **kw)
        n = f["num_layers"]
        layers = c.mlp_layer_types(r, n) or c.moe_layers_first_dense(r, n, first)
        return {"moe": m, "moe_layers": layers}

    return rule


# ------------------------------------------------------------------ readers
def _llama4(r: Reader) -> Fields:
    f = c.sizes(r)
    f |= c.heads(r, f["hidden_size"])
    n = f["num_layers"]
    experts = r.integer("num_local_experts")
    step = r.integer("interleave_moe_layer_step", 1)
    explicit = r.layer_indices("moe_layers")
    if explicit is not None:
        moe_set = set(explicit)
    else:
        c.positive(r, "interleave_moe_layer_step", step)
        # Llama4TextConfig: moe_layers = range(step - 1, num_layers, step)
        moe_set = set(range(step - 1, n, step))
    inter = f["intermediate_size"]
    m = MoEConfig(
        n_routed_experts=c.positive(r, "num_local_experts", experts),
        experts_per_token=r.integer("num_experts_per_tok"),
        expert_intermediate_size=inter,
        n_shared_experts=1,
        shared_expert_intermediate_size=inter,
    )
    types = c.layer_list(r, n)
    if types is None:
        # Llama4TextConfig: no_rope_layers[i] = 1 (RoPE, chunked attention) unless
        # (i + 1) % no_rope_layer_interval == 0 (NoPE, global attention)
        nope = r.sequence("no_rope_layers") or []
        if len(nope) not in (0, n):
            raise r.fail(f"field 'no_rope_layers' has {len(nope)} entries for {n} layers")
        interval = r.integer("no_rope_layer_interval", 4, why="Llama4TextConfig default")
        if not nope:
            c.positive(r, "no_rope_layer_interval", interval)
            nope = [int((i + 1) % interval != 0) for i in range(n)]
        types = ["chunked" if use_rope else "full" for use_rope in nope]
    bias = r.boolean("attention_bias", False)
    return f | {
        # dense layers use intermediate_size_mlp; experts and the shared expert intermediate_size
        "intermediate_size": r.integer("intermediate_size_mlp"),
        "layer_types": tuple(types),
        "attention_chunk_size": r.opt_integer("attention_chunk_size"),
        "qkv_bias": bias,
        "o_bias": bias,
        # use_qk_norm is a weightless L2 norm in Llama 4: no parameters
        "moe": m,
        "moe_layers": tuple(i in moe_set for i in range(n)),
    }


def _gpt_oss_extra(r: Reader, f: Fields) -> Fields:
    n = f["num_layers"]
    # GptOssConfig: num_experts_per_tok (default 4); released configs also carry
    # experts_per_token, which the class does not read
    k_key = (
        "num_experts_per_tok"
        if r.has("num_experts_per_tok") or not r.has("experts_per_token")
        else "experts_per_token"
    )
    m = MoEConfig(
        n_routed_experts=c.positive(r, "num_local_experts", r.integer("num_local_experts")),
        experts_per_token=r.integer(k_key),
        expert_intermediate_size=f["intermediate_size"],
        router_bias=True,
        expert_bias=True,
    )
    return {"moe": m, "moe_layers": (True,) * n}


def _deepseek(r: Reader, *, indexer: bool = False, first_dense: int = 0) -> Fields:
    f = c.sizes(r)
    f |= c.heads(r, f["hidden_size"], mla=True)
    n = f["num_layers"]
    # DeepseekV2/V3Attention: attention_bias on q_a_proj, kv_a_proj_with_mqa and o_proj
    bias = r.boolean("attention_bias", False)
    a = c.mla(r, bias=bias)
    # null (DeepSeek-V2-Lite style): a dense model
    experts = r.opt_integer("n_routed_experts") or 0
    m = None
    layers: tuple[bool, ...] = ()
    if experts:
        freq = r.integer("moe_layer_freq", 1)
        c.positive(r, "moe_layer_freq", freq)
        m = c.moe(
            r,
            experts="n_routed_experts",
            top_k="num_experts_per_tok",
            inter="moe_intermediate_size",
            shared="n_shared_experts",
        )
        first = r.integer("first_k_dense_replace", first_dense)
        # DeepseekV3DecoderLayer: MoE iff layer_idx >= first_k_dense_replace and
        # layer_idx % moe_layer_freq == 0
        layers = c.mlp_layer_types(r, n) or tuple(i >= first and i % freq == 0 for i in range(n))
    out = (
        f
        | c.mla_fields(a)
        | {
            "o_bias": bias,
            "layer_types": ("full",) * n,
            "mla": a,
            "moe": m,
            "moe_layers": layers,
            "mtp_layers": r.integer("num_nextn_predict_layers", 0, why="no multi-token prediction"),
        }
    )
    if indexer:
        out["indexer"] = IndexerConfig(
            n_heads=r.integer("index_n_heads"),
            head_dim=r.integer("index_head_dim"),
            topk=r.integer("index_topk"),
        )
    return out


def _mistral4(r: Reader) -> Fields:
    """Mistral Small 4 (``Mistral4ForCausalLM``): DeepSeek-V3's MLA and shared-expert MoE.

    ``Mistral4DecoderLayer``: MoE iff ``layer_idx >= first_k_dense_replace`` (no
    ``moe_layer_freq``); ``Mistral4TopkRouter`` holds only its weight; no MTP layers.
    """
    ignored = [k for k in ("moe_layer_freq", "num_nextn_predict_layers") if r.has(k)]
    if ignored:
        r.note(f"{', '.join(ignored)} ignored (Mistral4Config has no such field)")
    return _deepseek(_with(r, moe_layer_freq=1, num_nextn_predict_layers=0))


def _deepseek_v2(r: Reader) -> Fields:
    # DeepseekV2MLP: gate/up/down carry config.mlp_bias (dense layers and shared experts)
    return _deepseek(r) | {"mlp_bias": r.boolean("mlp_bias", False)}


def _mtp(r: Reader, f: Fields) -> Fields:
    return {"mtp_layers": r.integer("num_nextn_predict_layers", 0, why="no multi-token prediction")}


def _smollm3_window(r: Reader, n: int) -> Fields:
    """SmolLM3Config: sliding only with use_sliding_window, on the NoPE layers."""
    types = c.layer_list(r, n)
    use = r.boolean("use_sliding_window", False)
    w = r.opt_integer("sliding_window")
    if types is None:
        nope = r.sequence("no_rope_layers")
        if nope is None or len(nope) != n:
            interval = r.integer("no_rope_layer_interval", 4)
            c.positive(r, "no_rope_layer_interval", interval)
            nope = [int((i + 1) % interval != 0) for i in range(n)]
        types = ["sliding" if use and w and not rope else "full" for rope in nope]
    if not (use and w):
        types = ["full" if t == "sliding" else t for t in types]
    return {"layer_types": tuple(types), "sliding_window": w if use else None}


def _qwen2_moe_window(r: Reader, n: int) -> Fields:
    """Qwen2MoeConfig: with use_sliding_window, even layers below max_window_layers slide."""
    types = c.layer_list(r, n)
    use = r.boolean("use_sliding_window", False)
    w = r.opt_integer("sliding_window") if use else None
    if types is None:
        start = r.integer("max_window_layers", 0)
        types = ["sliding" if w and (i + 1) % 2 and i < start else "full" for i in range(n)]
    return {"layer_types": tuple(types), "sliding_window": w}


def _qwen3_moe_window(r: Reader, n: int) -> Fields:
    """Qwen3MoeAttention: the window (with use_sliding_window) applies to every layer."""
    use = r.boolean("use_sliding_window", False)
    w = r.opt_integer("sliding_window") if use else None
    return {"layer_types": ("sliding" if w else "full",) * n, "sliding_window": w}


def _exaone4_window(r: Reader, n: int) -> Fields:
    """Exaone4Config: no window when sliding_window is null; else the pattern (an int or "LLLG")."""
    if r.raw("sliding_window") is None and c.layer_list(r, n) is None:
        return {"layer_types": ("full",) * n, "sliding_window": None}
    return c.pattern_window("sliding_window_pattern", 4)(r, n)


def _dots1_window(r: Reader, n: int) -> Fields:
    """Dots1Config: sliding (when a window is set) on layers >= max_window_layers."""
    types = c.layer_list(r, n)
    w = r.opt_integer("sliding_window")
    if types is None:
        start = r.integer("max_window_layers", 0)
        types = ["sliding" if w is not None and i >= start else "full" for i in range(n)]
    return {"layer_types": tuple(types), "sliding_window": w}


def _cohere2_moe_window(r: Reader, n: int) -> Fields:
    """Cohere2MoeConfig: dense prefix layers on one pattern, the rest on sliding_window_pattern."""
    types = c.layer_list(r, n)
    w = r.opt_integer("sliding_window")
    if types is None:
        first = min(r.integer("first_k_dense_replace", 0), n)
        pre = r.integer("prefix_dense_sliding_window_pattern", 4)
        rest = r.integer("sliding_window_pattern", 4)
        c.positive(r, "sliding_window_pattern", rest)
        c.positive(r, "prefix_dense_sliding_window_pattern", pre)
        types = c.every(first, pre, "full", "sliding") + c.every(n - first, rest, "full", "sliding")
    return {"layer_types": tuple(types), "sliding_window": w}


def _cohere2_moe(r: Reader, f: Fields) -> Fields:
    n = f["num_layers"]
    shared = r.integer("num_shared_experts", 0)
    m = c.moe(
        r,
        experts="num_experts",
        top_k="num_experts_per_tok",
        inter=f["intermediate_size"],
        shared=shared,
    )
    first = min(r.integer("first_k_dense_replace", 0), n)
    layers = c.mlp_layer_types(r, n) or tuple(i >= first for i in range(n))
    return {"moe": m, "moe_layers": layers}


def _hunyuan_moe(r: Reader, f: Fields) -> Fields:
    """HunYuanMoEV1Moe: every layer MoE, experts and one shared MLP of intermediate_size."""
    n = f["num_layers"]
    for key in ("num_experts", "moe_topk"):
        if isinstance(r.raw(key), list):
            raise r.fail(f"per-layer {key!r} lists are not supported")
    inter = f["intermediate_size"]
    m = c.moe(r, experts="num_experts", top_k="moe_topk", inter=inter, shared=1)
    return {"moe": m, "moe_layers": (True,) * n}


def _ernie_moe(r: Reader, f: Fields) -> Fields:
    """Ernie4_5_MoeDecoderLayer: MoE on start <= i <= end with (i + 1) % interval == 0."""
    n = f["num_layers"]
    m = c.moe(
        r,
        experts="moe_num_experts",
        top_k="moe_k",
        inter="moe_intermediate_size",
        shared="moe_num_shared_experts",
        score_bias=True,
    )
    start = r.integer("moe_layer_start_index", 1)
    # moe_layer_end_index: -1 (the default) means the last layer
    raw_end = r.raw("moe_layer_end_index")
    end = n - 1 if raw_end is ABSENT or raw_end in (-1, None) else r.integer("moe_layer_end_index")
    interval = c.positive(r, "moe_layer_interval", r.integer("moe_layer_interval", 1))
    layers = tuple(start <= i <= end and (i + 1) % interval == 0 for i in range(n))
    return {"moe": m, "moe_layers": layers}


def _minicpm3(r: Reader) -> Fields:
    f = c.sizes(r)
    f |= c.heads(r, f["hidden_size"], mla=True)
    # MiniCPM3Attention: attention_bias on q_a_proj, kv_a_proj_with_mqa and o_proj
    bias = r.boolean("attention_bias", False)
    a = c.mla(r, bias=bias) if r.has("v_head_dim") else None
    if a is None:
        # MiniCPM3Config: v_head_dim defaults to hidden_size // num_attention_heads
        v = f["hidden_size"] // f["num_heads"]
        r.note(f"v_head_dim={v} (transformers minicpm3 default: hidden_size // heads)")
        a = MLAConfig(
            q_lora_rank=r.opt_integer("q_lora_rank"),
            kv_lora_rank=r.integer("kv_lora_rank"),
            qk_nope_head_dim=r.integer("qk_nope_head_dim"),
            qk_rope_head_dim=r.integer("qk_rope_head_dim"),
            v_head_dim=v,
            bias=bias,
        )
    return (
        f | c.mla_fields(a) | {"layer_types": ("full",) * f["num_layers"], "mla": a, "o_bias": bias}
    )


def _deepseek_v32(r: Reader) -> Fields:
    return _deepseek(r, indexer=True)


def _deepseek_v4(r: Reader) -> Fields:
    """DeepSeek-V4 (DeepSeek's ``inference/model.py``: ``ModelArgs``, ``Transformer``).

    Every layer is MoE over ``n_routed_experts`` (the first ``num_hash_layers`` route by
    a token-id table, a buffer like the gate's score bias) and attends through one K=V
    head of ``head_dim`` over a window of ``sliding_window`` tokens plus compressed
    entries at its ``compress_ratios`` entry; the list also gives the MTP block's ratio
    after the decoder layers'.
    """
    from llmsizing.model import CompressedAttentionConfig

    n = c.layer_count(r)
    h = r.integer("hidden_size")
    vocab = r.integer("vocab_size")
    nh = r.integer("num_attention_heads")
    hd = r.integer("head_dim")
    if r.integer("num_key_value_heads", 1) != 1:
        raise r.fail("field 'num_key_value_heads' must be 1: DeepSeek-V4 keeps one K=V entry")
    mtp = r.integer("num_nextn_predict_layers", 0, why="no multi-token prediction")
    ratios = r.sequence("compress_ratios")
    if ratios is None or len(ratios) < n:
        raise r.fail(f"field 'compress_ratios' must give the compression of all {n} layers")
    if any(isinstance(x, bool) or not isinstance(x, int) or x < 0 for x in ratios):
        raise r.fail("field 'compress_ratios' must hold whole numbers >= 0")
    groups = r.integer("o_groups")
    if groups <= 0 or (nh * hd) % groups:
        raise r.fail(f"field 'o_groups' ({groups}) must divide the {nh} x {hd} head outputs")
    a = CompressedAttentionConfig(
        head_dim=hd,
        q_lora_rank=r.integer("q_lora_rank"),
        o_groups=groups,
        o_lora_rank=r.integer("o_lora_rank"),
        rope_dim=r.integer("qk_rope_head_dim"),
        window=r.integer("sliding_window"),
        ratios=tuple(ratios[:n]),
        mtp_ratio=ratios[n] if len(ratios) > n else 0,
        index_n_heads=r.integer("index_n_heads"),
        index_head_dim=r.integer("index_head_dim"),
        index_topk=r.integer("index_topk"),
        hc_mult=r.integer("hc_mult"),
    )
    # the gate's weight on every layer; its score-correction bias is a buffer (as
    # DeepSeek-V3's e_score_correction_bias), not a parameter of the module
    m = c.moe(
        r,
        experts="n_routed_experts",
        top_k="num_experts_per_tok",
        inter="moe_intermediate_size",
        shared="n_shared_experts",
    )
    return {
        "vocab_size": vocab,
        "hidden_size": h,
        "num_layers": n,
        # no dense FFN: every layer, the MTP block's too, is MoE
        "intermediate_size": m.expert_intermediate_size,
        "max_position_embeddings": r.opt_integer("max_position_embeddings"),
        "tie_word_embeddings": r.boolean("tie_word_embeddings", False),
        "num_heads": nh,
        "num_kv_heads": 1,
        "head_dim": hd,
        "layer_types": ("compressed",) * n,
        "compressed_attention": a,
        "moe": m,
        "moe_layers": (True,) * n,
        "mtp_layers": mtp,
    }


def _glm_moe_dsa(r: Reader) -> Fields:
    f = _deepseek(r, indexer=True)
    n = f["num_layers"]
    types = r.sequence("indexer_types")
    if types is None:
        pattern = r.raw("index_topk_pattern")
        if isinstance(pattern, str):
            types = [{"F": "full", "S": "shared"}.get(ch, "?") for ch in pattern]
        else:
            freq = max(r.integer("index_topk_freq", 1), 1)
            offset = r.integer("index_skip_topk_offset", 2)
            types = ["full" if max(i - offset + 1, 0) % freq == 0 else "shared" for i in range(n)]
    if len(types) != n or set(types) - {"full", "shared"}:
        raise r.fail("field 'indexer_types' must list 'full' or 'shared' for every layer")
    idx = f["indexer"].model_copy(update={"layers": tuple(t == "full" for t in types)})
    return f | {"indexer": idx}


# -------------------------------------------------------------------- hybrids
#: transformers' names for the mixers of hybrid models whose "linear_attention" is Mamba
_MAMBA_NAMES = {**c.LAYER_NAMES, "linear_attention": "mamba", "mamba": "mamba"}


def _longcat_flash(r: Reader) -> Fields:
    """LongCat-Flash (``models/longcat_flash``): each decoder block as two llmsizing layers.

    ``LongcatFlashDecoderLayer`` (block i) holds two MLA sublayers ``self_attn[0..1]``
    (``LongcatFlashMLA``, DeepSeek-V3's MLA with an always-on query LoRA; cache layers
    ``2i`` and ``2i + 1``), two dense MLPs ``mlps[0..1]`` (``ffn_hidden_size``), the norms
    ``input_layernorm[j]`` and ``post_attention_layernorm[j]``, and one shortcut MoE
    ``mlp`` (``LongcatFlashMoE``) that reads the input of ``mlps[0]`` and is added after
    ``mlps[1]``. llmsizing lays block i out as layer ``2i`` (``self_attn[0]``, norms 0, an
    MoE layer whose shared expert is ``mlps[0]``: both read the same normed input, every
    token) and layer ``2i + 1`` (``self_attn[1]``, norms 1, the dense ``mlps[1]``): the
    same tensors, the same 2 · num_layers MLA caches.

    ``LongcatFlashConfig``: ``num_hidden_layers`` is a property, ``2 * num_layers``; a
    ``num_hidden_layers`` key goes to its setter (``num_layers = value // 2``) and wins.
    ``LongcatFlashTopkRouter``: ``classifier`` (hidden → ``n_routed_experts +
    zero_expert_num``, bias where the config has ``router_bias``), top ``moe_topk`` among
    all of them; ``e_score_correction_bias`` is a buffer. ``LongcatFlashExperts``: the
    ``zero_expert_num`` zero experts are ``nn.Identity`` (no parameters, the MoEConfig
    ``zero_experts``). transformers 5.24 allocates ``gate_up_proj`` with
    ``n_routed_experts + zero_expert_num`` rows (``down_proj``: ``n_routed_experts``);
    the rows past ``n_routed_experts`` are never read (the forward sends those indices to
    the identity) and no checkpoint holds them, so they are not counted here.
    ``LongcatFlashMLA``: ``attention_bias`` on ``q_a_proj``, ``kv_a_proj_with_mqa`` and
    ``o_proj``; ``q_b_proj`` is ``num_heads * qk_head_dim`` wide.
    The checkpoint's MTP block (``model.mtp.*``, which transformers skips on load:
    enorm, hnorm, eh_proj, one MLA + dense-MLP layer, a final norm) is ``extra`` where
    ``num_nextn_predict_layers`` (a key of the remote-code config) is set.
    """
    if r.has("num_hidden_layers"):
        sub = r.integer("num_hidden_layers")
        blocks = sub // 2
        if sub % 2:
            r.note(
                f"num_hidden_layers={sub} is odd: LongcatFlashConfig builds {blocks} blocks "
                f"({2 * blocks} attention layers)"
            )
        if r.has("num_layers") and r.integer("num_layers") != blocks:
            r.note(
                f"num_layers={r.integer('num_layers')} overridden: num_hidden_layers={sub} "
                f"sets num_layers={blocks} (LongcatFlashConfig)"
            )
    else:
        blocks = r.integer("num_layers")
    if blocks == 0:
        raise r.fail("field 'num_layers' must be positive")
    n = 2 * blocks
    if n > SANITY_LIMITS["num_layers"]:
        raise r.fail(
            f"{blocks} decoder blocks ({n} layers) exceed the sanity limit "
            f"{SANITY_LIMITS['num_layers']}"
        )
    # vocabulary, widths (intermediate_size is ffn_hidden_size, an alias), context, tying
    f = c.sizes(_with(r, num_hidden_layers=n))
    f |= c.heads(r, f["hidden_size"], mla=True)
    bias = r.boolean("attention_bias", False)
    if r.raw("q_lora_rank") is None:
        raise r.fail(
            "field 'q_lora_rank' must be an integer: LongcatFlashMLA always builds the "
            "query LoRA (q_a_proj, q_a_layernorm, q_b_proj)"
        )
    a = c.mla(r, bias=bias)
    qk = r.opt_integer("qk_head_dim")
    if qk is not None and qk != a.qk_nope_head_dim + a.qk_rope_head_dim:
        raise r.fail(
            f"qk_head_dim ({qk}) must be qk_nope_head_dim + qk_rope_head_dim "
            f"({a.qk_nope_head_dim + a.qk_rope_head_dim}): LongcatFlashMLA splits each "
            "query head into the two"
        )
    experts = r.integer("n_routed_experts")
    if experts == 0:
        raise r.fail(
            "field 'n_routed_experts' must be positive (an MoE of identity experts only "
            "is not a layout llmsizing describes)"
        )
    if r.raw("zero_expert_num") is None:
        # the modeling code reads it as `config.zero_expert_num or 0`
        zero = 0
        r.note("zero_expert_num=null read as 0 zero experts (LongcatFlashExperts: `or 0`)")
    else:
        zero = r.integer("zero_expert_num")
    top_k = r.integer("moe_topk")
    if not 0 < top_k <= experts + zero:
        raise r.fail(
            f"moe_topk ({top_k}) must be between 1 and n_routed_experts + zero_expert_num "
            f"({experts + zero}), the experts LongcatFlashTopkRouter picks from"
        )
    m = MoEConfig(
        n_routed_experts=experts,
        experts_per_token=top_k,
        expert_intermediate_size=r.integer("expert_ffn_hidden_size"),
        # mlps[0] reads the MoE's input on every token: the shared expert of layer 2i
        n_shared_experts=1,
        shared_expert_intermediate_size=f["intermediate_size"],
        # LongcatFlashTopkRouter: getattr(config, "router_bias", False)
        router_bias=r.boolean("router_bias", False, why="LongcatFlashTopkRouter: getattr default"),
        zero_experts=zero,
    )
    return (
        f
        | c.mla_fields(a)
        | {
            "o_bias": bias,
            "layer_types": ("full",) * n,
            "mla": a,
            "moe": m,
            # layer 2i: self_attn[0] + the shortcut MoE and mlps[0]; 2i + 1: self_attn[1] + mlps[1]
            "moe_layers": tuple(i % 2 == 0 for i in range(n)),
            "mtp_layers": r.integer(
                "num_nextn_predict_layers", 0, why="transformers builds no MTP block"
            ),
        }
    )


def _ml4_rope_layers(r: Reader, n: int) -> tuple[bool, ...]:
    """Which layers apply RoPE (``MistralLarge4TextConfig.no_rope_layers``: 1 = RoPE, 0 = NoPE).

    ``__post_init__``: when absent, NoPE on every ``no_rope_layer_interval``-th layer
    (``(i + 1) % interval == 0``, interval 4, a kwarg popped there); the list may be longer
    than the layers (``MistralLarge4TextAttention`` indexes it by ``layer_idx``).
    """
    raw = r.sequence("no_rope_layers")
    if raw is None:
        interval = r.integer("no_rope_layer_interval", 4, why="MistralLarge4TextConfig default")
        c.positive(r, "no_rope_layer_interval", interval)
        return tuple((i + 1) % interval != 0 for i in range(n))
    if len(raw) < n:
        raise r.fail(f"field 'no_rope_layers' has {len(raw)} entries for {n} layers")
    for i, x in enumerate(raw[:n]):
        if not isinstance(x, bool | int) or x not in (0, 1):
            raise r.fail(f"no_rope_layers[{i}] = {x!r} is not 0 (NoPE) or 1 (RoPE)")
    return tuple(bool(x) for x in raw[:n])


def _ml4_indexer_layers(r: Reader, n: int) -> tuple[bool, ...]:
    """Which layers run their own DSA indexer (``indexer_types``: ``full``; ``shared`` reuses).

    ``MistralLarge4TextConfig.__post_init__``: ``indexer_types``, else the kwarg
    ``index_topk_pattern`` (a string of F/S or a list), else ``full`` where
    ``max(i - index_skip_topk_offset + 1, 0) % index_topk_freq == 0`` (offset 2, freq 1:
    every layer). ``MistralLarge4TextAttention.forward`` refuses a ``shared`` layer with no
    earlier selection, so layer 0 must be ``full``.
    """
    types = r.sequence("indexer_types")
    if types is None:
        pattern = r.raw("index_topk_pattern")
        if isinstance(pattern, str):
            if set(pattern) - {"F", "S"}:
                raise r.fail(
                    f"field 'index_topk_pattern' = {pattern!r} is not a pattern of F and S"
                )
            types = [{"F": "full", "S": "shared"}[ch] for ch in pattern]
        elif isinstance(pattern, list):
            types = list(pattern)
        elif pattern not in (ABSENT, None):
            raise r.fail(f"field 'index_topk_pattern' must be a string or a list, got {pattern!r}")
        else:
            freq = max(r.integer("index_topk_freq", 1, why="MistralLarge4TextConfig default"), 1)
            offset = r.integer("index_skip_topk_offset", 2, why="MistralLarge4TextConfig default")
            types = ["full" if max(i - offset + 1, 0) % freq == 0 else "shared" for i in range(n)]
    if len(types) < n or set(types[:n]) - {"full", "shared"}:
        raise r.fail("field 'indexer_types' must list 'full' or 'shared' for every layer")
    if n and types[0] == "shared":
        raise r.fail("indexer_types[0] is 'shared': the first layer has no selection to reuse")
    return tuple(t == "full" for t in types[:n])


def _ml4_kv_sources(r: Reader, n: int, rope: tuple[bool, ...]) -> tuple[int, ...]:
    """The layer whose latent KV each layer attends to (``kv_source_layers``; default: itself).

    ``MistralLarge4TextConfig.validate_architecture``: one entry per layer, each an earlier
    (or the same) layer that owns its cache. ``MistralLarge4TextAttention.forward`` keeps the
    shared latent by RoPE kind (``shared_kv_states["rope" | "nope"]``), so a layer and its
    source must both apply RoPE or both not.
    """
    raw = r.layer_indices("kv_source_layers")
    if raw is None:
        return tuple(range(n))
    if len(raw) != n:
        raise r.fail(f"field 'kv_source_layers' has {len(raw)} entries for {n} layers")
    for i, s in enumerate(raw):
        if s > i or raw[s] != s:
            raise r.fail(
                f"kv_source_layers[{i}] = {s}: a layer must share KV with an earlier layer "
                "that owns its cache"
            )
        if rope[s] != rope[i]:
            kinds = {True: "RoPE", False: "NoPE"}
            raise r.fail(
                f"kv_source_layers[{i}] = {s}: layer {i} ({kinds[rope[i]]}) cannot read the "
                f"latent of layer {s} ({kinds[rope[s]]})"
            )
    return tuple(raw)


def _ml4_layout(r: Reader) -> tuple[Fields, dict[str, Any]]:
    """The fields both variants share, and the per-layer layout
    (``rope``, ``indexed``, ``sources``, ``index_n_heads``, ``index_head_dim``, ``index_topk``).

    ``MistralLarge4TextAttention``: MLA without q-LoRA (a full ``q_proj``, hidden → heads ·
    (qk_nope + qk_rope)), ``kv_a_proj_with_mqa`` (hidden → kv_lora_rank + qk_rope) with
    ``kv_a_layernorm``, ``kv_b_proj`` and ``o_proj``; ``attention_bias`` on
    ``kv_a_proj_with_mqa`` and ``o_proj`` only. ``MistralLarge4TextDecoderLayer``: a dense
    ``MistralLarge4TextMLP`` (``intermediate_size``) on ``dense`` layers of
    ``mlp_layer_types`` (default: the first ``first_k_dense_replace``), else
    ``MistralLarge4TextMoE``: ``MistralLarge4TextTopkRouter`` (weight only),
    ``n_routed_experts`` experts of ``moe_intermediate_size`` and one shared MLP of
    ``moe_intermediate_size · n_shared_experts``; two RMSNorms per layer.
    """
    f = c.sizes(r)
    f |= c.heads(r, f["hidden_size"], mla=True)
    n = f["num_layers"]
    if r.has("q_lora_rank"):
        r.note("q_lora_rank ignored (MistralLarge4TextAttention has a full q_proj)")
    types = r.sequence("layer_types")
    if types is not None and (len(types) != n or set(types) - {"indexed_attention"}):
        raise r.fail(
            "field 'layer_types' must be 'indexed_attention' on every layer "
            "(MistralLarge4TextAttention is DSA attention everywhere)"
        )
    # MistralLarge4TextAttention: attention_bias on kv_a_proj_with_mqa and o_proj (no q-LoRA)
    bias = r.boolean("attention_bias", False)
    a = MLAConfig(
        q_lora_rank=None,
        kv_lora_rank=r.integer("kv_lora_rank"),
        qk_nope_head_dim=r.integer("qk_nope_head_dim"),
        qk_rope_head_dim=r.integer("qk_rope_head_dim"),
        v_head_dim=r.integer("v_head_dim"),
        bias=bias,
    )
    rope = _ml4_rope_layers(r, n)
    indexed = _ml4_indexer_layers(r, n)
    sources = _ml4_kv_sources(r, n, rope)
    # MistralLarge4TextMoE on "sparse" layers; MistralLarge4TextConfig.__post_init__:
    # mlp_layer_types, else the first min(first_k_dense_replace, n) layers dense
    layers = c.mlp_layer_types(r, n) or c.moe_layers_first_dense(r, n)
    m = None
    if any(layers):
        # __post_init__: the legacy kwarg num_experts, when given, sets n_routed_experts
        rr = _with(r, n_routed_experts=r.raw("num_experts")) if r.has("num_experts") else r
        m = c.moe(
            rr,
            experts="n_routed_experts",
            top_k="num_experts_per_tok",
            inter="moe_intermediate_size",
            shared="n_shared_experts",
        )
    f = (
        f
        | c.mla_fields(a)
        | {
            "o_bias": bias,
            "layer_types": ("full",) * n,
            "mla": a,
            "moe": m,
            "moe_layers": layers if m is not None else (),
            # MistralLarge4TextRotaryEmbedding is built whatever the config's rope keys say
            # (__post_init__ fills rope_parameters with YaRN)
            "rope_dim": a.qk_rope_head_dim,
        }
    )
    layout = {
        "rope": rope,
        "indexed": indexed,
        "sources": sources,
        "index_n_heads": r.integer("index_n_heads"),
        "index_head_dim": r.integer("index_head_dim"),
        "index_topk": r.integer("index_topk"),
    }
    return f, layout


def _mistral_large4(r: Reader) -> Fields:
    """Mistral Large 4's text model (``MistralLarge4TextModel``, ``mistral_large4_text``).

    The MLA and MoE layout of :func:`_ml4_layout`, plus: NoPE layers (``no_rope_layers``:
    no rope slice in ``kv_a_proj_with_mqa`` or the cache, a key as wide as qk_nope +
    qk_rope out of ``kv_b_proj``; ``MLAConfig.nope_layers``); the per-head learned softmax
    scaling (``MistralLarge4TextSoftmaxScaling``); the DSA indexer
    (``MistralLarge4TextIndexer``), whose queries read the hidden state through
    ``q_input_norm`` (there is no q-LoRA), with a softmax scaling of its own; the layer
    each layer reads its latent from (``kv_source_layers``: no ``kv_a_proj_with_mqa`` and
    no cache of its own on a reading layer); the learned RoPE frequency scale
    (``MistralLarge4TextRotaryEmbedding.alpha``).
    """
    f, x = _ml4_layout(r)
    rope, indexed, sources = x["rope"], x["indexed"], x["sources"]
    a = MLAConfig(
        **f["mla"].model_dump()
        | {
            "nope_layers": tuple(not u for u in rope) if not all(rope) else (),
            "softmax_scaling": True,
        }
    )
    indexer = IndexerConfig(
        n_heads=x["index_n_heads"],
        head_dim=x["index_head_dim"],
        topk=x["index_topk"],
        layers=indexed if not all(indexed) else (),
        query="hidden",
        softmax_scaling=True,
    )
    own = all(s == i for i, s in enumerate(sources))
    return f | {
        "mla": a,
        "indexer": indexer,
        "kv_sources": () if own else sources,
        "learned_rope_scale": True,
    }


def _with(r: Reader, **extra: Any) -> Reader:
    """The same reader over the config with ``extra`` keys filled in (assumptions kept)."""
    out = Reader({**r.data, **extra}, r.where, r.model_type, r.nested)
    out.assumed = r.assumed
    return out


def _gdn(r: Reader) -> LinearAttentionConfig:
    """Qwen3-Next / Qwen3.5 Gated DeltaNet dimensions (linear_* keys)."""
    return LinearAttentionConfig(
        kind="gated_deltanet",
        num_heads=r.integer("linear_num_value_heads"),
        head_dim=r.integer("linear_value_head_dim"),
        num_k_heads=r.integer("linear_num_key_heads"),
        head_k_dim=r.integer("linear_key_head_dim"),
        conv_kernel=r.integer("linear_conv_kernel_dim"),
        # vLLM Qwen3_5ForConditionalGenerationConfig.verify_and_update_config: the HF
        # config's mamba_ssm_dtype becomes the cache's mamba_ssm_cache_dtype
        ssm_fp32=r.string("mamba_ssm_dtype") == "float32",
    )


def _full_every(r: Reader, n: int, key: str, period: int) -> list[str]:
    """``full`` every ``period`` layers (``(i + 1) % period == 0``), linear elsewhere."""
    p = r.integer(key, period, why=f"transformers {r.model_type} default") if key else period
    c.positive(r, key or "full_attention_interval", p)
    return c.every(n, p, "full", "linear")


def _qwen3_next_like(moe: MoERule | None) -> ReadFn:
    """Qwen3-Next / Qwen3.5: Gated DeltaNet layers, a gated full-attention layer every 4."""

    def read(r: Reader) -> Fields:
        if (
            moe is not None
            and not r.has("intermediate_size")
            and not r.has_default("intermediate_size")
        ):
            # Qwen3.5-MoE has no dense FFN (and no intermediate_size): a placeholder width
            r = _with(r, intermediate_size=r.integer("moe_intermediate_size"))
        f = c.sizes(r)
        f |= c.heads(r, f["hidden_size"])
        n = f["num_layers"]
        types = c.layer_list(r, n) or _full_every(r, n, "full_attention_interval", 4)
        bias = r.boolean("attention_bias", False)
        out = f | {
            "layer_types": tuple(types),
            "linear_attention": _gdn(r),
            "qkv_bias": bias,
            "o_bias": bias,
            "qk_norm": "head",
            # Qwen3NextAttention: q_proj is 2 x heads x head_dim (queries and the output gate)
            "attn_output_gate": "fused",
        }
        if moe is not None:
            out |= moe(r, out)
        return out

    return read


def _kimi_linear(r: Reader) -> Fields:
    f = c.sizes(r)
    f |= c.heads(r, f["hidden_size"], mla=True)
    n = f["num_layers"]
    la = r.mapping("linear_attn_config")
    types = c.layer_list(r, n)
    if types is None and "full_attn_layers" in la and "kda_layers" in la:
        # KimiLinearConfig: the checkpoint lists 1-indexed layers of each kind
        types = ["linear"] * n
        for i in la.get("full_attn_layers") or []:
            if not isinstance(i, int) or not 1 <= i <= n:
                raise r.fail(f"linear_attn_config.full_attn_layers has layer {i!r}")
            types[i - 1] = "full"
    if types is None:
        types = ["full" if i and i % 4 == 0 else "linear" for i in range(n)]
    head_dim = la.get("head_dim") or r.integer("linear_head_dim")
    heads = la.get("num_heads") or r.integer("linear_num_heads")
    kernel = la.get("short_conv_kernel_size") or r.integer("linear_conv_kernel_dim")
    for k, v in (("head_dim", head_dim), ("num_heads", heads), ("short_conv_kernel_size", kernel)):
        if isinstance(v, bool) or not isinstance(v, int) or v <= 0:
            raise r.fail(f"linear attention {k} must be a positive integer, got {v!r}")
    bias = r.boolean("attention_bias", False)
    a = c.mla(r, bias=bias)
    m = c.moe(
        r,
        experts="num_local_experts",
        top_k="num_experts_per_tok",
        inter="moe_intermediate_size",
        shared="n_shared_experts",
    )
    # KimiLinearConfig: mlp_layer_types default ["dense"] + ["sparse"] * (n - 1)
    first = r.integer("first_k_dense_replace", 1)
    layers = c.mlp_layer_types(r, n) or tuple(i >= first for i in range(n))
    return (
        f
        | c.mla_fields(a)
        | {
            "o_bias": bias,
            "layer_types": tuple(types),
            "mla": a,
            "linear_attention": LinearAttentionConfig(
                kind="kda", num_heads=heads, head_dim=head_dim, conv_kernel=kernel
            ),
            "moe": m,
            "moe_layers": layers,
        }
    )


def _minimax(r: Reader) -> Fields:
    """MiniMax-01: Lightning (linear) attention, a softmax layer every 2nd (layer_types)."""
    f = c.sizes(r)
    f |= c.heads(r, f["hidden_size"])
    n = f["num_layers"]
    types = c.layer_list(r, n)
    if types is None:
        # MiniMaxConfig: "full_attention" if (i + 1) % 2 else "linear_attention"
        types = ["full" if (i + 1) % 2 else "linear" for i in range(n)]
    w = r.opt_integer("sliding_window")
    m = c.moe(
        r, experts="num_local_experts", top_k="num_experts_per_tok", inter=f["intermediate_size"]
    )
    return f | {
        "layer_types": tuple(types),
        "sliding_window": w,
        # MiniMaxLightningAttention: heads and head_dim of the softmax layers
        "linear_attention": LinearAttentionConfig(
            kind="lightning", num_heads=f["num_heads"], head_dim=f["head_dim"]
        ),
        "moe": m,
        "moe_layers": (True,) * n,
    }


def _mamba2(
    r: Reader,
    d_inner: int,
    *,
    heads: str,
    head_dim: str,
    groups: str,
    state: str,
    conv: str,
    conv_bias: str,
    proj_bias: str,
    norm: bool = True,
) -> MambaConfig:
    """Mamba-2 mixer dimensions from a family's key names."""
    nh = c.positive(r, heads, r.integer(heads))
    raw = r.raw(head_dim)
    if raw == "auto" or (raw is ABSENT and r.default(head_dim) == "auto"):
        hd = d_inner // nh
        r.note(f"{head_dim}={hd} (transformers default 'auto': d_inner // heads)")
    else:
        hd = r.integer(head_dim)
    return MambaConfig(
        version=2,
        d_inner=d_inner,
        d_state=r.integer(state),
        d_conv=r.integer(conv),
        n_heads=nh,
        head_dim=hd,
        n_groups=r.integer(groups),
        conv_bias=r.boolean(conv_bias, True),
        proj_bias=r.boolean(proj_bias, False),
        gated_norm=norm,
    )


def _expand(r: Reader, hidden: int, key: str = "mamba_expand") -> int:
    e = r.number(key)
    return int(e * hidden)


def _nemotron_h(r: Reader) -> Fields:
    """Nemotron-H / Nemotron 3: one mixer per block (Mamba-2, attention, MLP or MoE), one norm."""
    names = {
        "linear_attention": "mamba",
        "mamba": "mamba",
        "full_attention": "full",
        "attention": "full",
        "mlp": "mlp",
        "moe": "moe",
    }
    raw = r.sequence("layers_block_type")
    pattern = r.raw("hybrid_override_pattern")
    if raw is None and isinstance(pattern, str):
        legend = {"M": "mamba", "E": "moe", "*": "full", "-": "mlp"}
        if not pattern or set(pattern) - set(legend):
            raise r.fail(f"hybrid_override_pattern {pattern!r} is not a pattern of M, E, * and -")
        blocks = [legend[ch] for ch in pattern]
    elif raw is not None:
        blocks = []
        for i, t in enumerate(raw):
            if t not in names:
                raise r.fail(f"layers_block_type[{i}] = {t!r} is not supported")
            blocks.append(names[t])
    else:
        blocks = ["mamba", "moe", "full", "mlp"]
        r.note(
            "layers_block_type=['mamba', 'moe', 'full', 'mlp'] (transformers nemotron_h default)"
        )
    n = len(blocks)
    vocab = r.integer("vocab_size")
    hidden = r.integer("hidden_size")
    if n == 0:
        raise r.fail("the layer pattern is empty")
    f: Fields = {
        "vocab_size": vocab,
        "hidden_size": hidden,
        "num_layers": n,
        "intermediate_size": r.integer("intermediate_size"),
        "max_position_embeddings": r.opt_integer("max_position_embeddings")
        if r.has("max_position_embeddings")
        else None,
        "tie_word_embeddings": r.boolean("tie_word_embeddings", False),
    }
    f |= c.heads(r, hidden)
    nh = c.positive(r, "mamba_num_heads", r.integer("mamba_num_heads"))
    hd = r.integer("mamba_head_dim")
    mamba = MambaConfig(
        version=2,
        d_inner=nh * hd,
        d_state=r.integer("ssm_state_size"),
        d_conv=r.integer("conv_kernel"),
        n_heads=nh,
        head_dim=hd,
        n_groups=r.integer("n_groups"),
        conv_bias=r.boolean("use_conv_bias", True),
        proj_bias=r.boolean("use_bias", False),
        ssm_fp32=r.string("mamba_ssm_cache_dtype") == "float32",
    )
    m = None
    if "moe" in blocks:
        latent = r.opt_integer("moe_latent_size") or 0
        m = c.moe(
            r,
            experts="n_routed_experts",
            top_k="num_experts_per_tok",
            inter="moe_intermediate_size",
            shared="n_shared_experts",
            shared_width="moe_shared_expert_intermediate_size",
            latent_size=latent,
        )
    kinds = {"mamba": "mamba", "full": "full", "mlp": "none", "moe": "none"}
    return f | {
        "layer_types": tuple(kinds[b] for b in blocks),
        "mamba": mamba,
        "moe": m,
        "moe_layers": tuple(b == "moe" for b in blocks) if m else (),
        "ffn_layers": tuple(b in ("mlp", "moe") for b in blocks),
        "ffn_gated": False,
        "mlp_bias": r.boolean("mlp_bias", False),
        # NemotronHAttention: q/k/v/o are built with bias=False whatever attention_bias says
        "layer_norms": 1,
        "mtp_layers": 0,
    }


def _decilm_intermediate(ffn_mult: float, hidden: int) -> int:
    """DeciLM's ``_ffn_mult_to_intermediate_size``: ``int(2 · ffn_mult · h / 3)`` rounded up
    to a multiple of 256 (``_find_multiple``; vLLM ``models/nemotron_nas.py``)."""
    inter = int(2 * ffn_mult * hidden / 3)
    return inter if inter % 256 == 0 else inter + 256 - inter % 256


def _decilm_block(r: Reader, i: int, part: str) -> Mapping[str, Any]:
    blocks = r.sequence("block_configs") or []
    sub = blocks[i].get(part) if isinstance(blocks[i], Mapping) else None
    if not isinstance(sub, Mapping):
        raise r.fail(f"field 'block_configs[{i}].{part}' must be an object, got {sub!r}")
    return sub


def _decilm_flag(r: Reader, sub: Mapping[str, Any], where: str, key: str) -> bool:
    v = sub.get(key)
    if v is None:
        return False  # block_config.py: no_op and replace_with_linear default to False
    if not isinstance(v, bool):
        raise r.fail(f"field '{where}.{key}' must be true or false, got {v!r}")
    return v


def _nemotron_nas(r: Reader) -> Fields:
    """Llama-Nemotron (DeciLM, ``nemotron-nas``): per-layer GQA and FFN widths from
    ``block_configs``, attention or FFN sub-blocks that are absent or one linear layer.

    Follows vLLM ``models/nemotron_nas.py`` (``DeciLMDecoderLayer``) and the checkpoints'
    ``modeling_decilm.py`` (``DeciLMLinearAttention``, ``DeciLMLinearMLP``): an attention
    sub-block is q/k/v/o with ``num_attention_heads / n_heads_in_group`` KV heads of
    ``hidden_size / num_attention_heads``, and an FFN sub-block gate/up/down of
    :func:`_decilm_intermediate` width, each after its own RMSNorm.
    """
    # the model-level intermediate_size is null: the widths are per block
    f = c.sizes(_with(r, intermediate_size=0))
    hidden, n = c.positive(r, "hidden_size", f["hidden_size"]), f["num_layers"]
    nh = r.integer("num_attention_heads")
    if nh == 0 or hidden % nh:
        raise r.fail(f"num_attention_heads ({nh}) must divide hidden_size ({hidden})")
    # DeciLMAttention: head_dim = hidden_size // num_heads, whatever a head_dim key says
    if r.has("head_dim") and r.integer("head_dim") != hidden // nh:
        raise r.fail(
            f"field 'head_dim' ({r.integer('head_dim')}) differs from hidden_size / "
            f"num_attention_heads ({hidden // nh}), which modeling_decilm.py uses"
        )
    blocks = r.sequence("block_configs")
    if blocks is None:
        raise r.fail("missing required field 'block_configs'")
    if len(blocks) != n:
        raise r.fail(f"field 'block_configs' has {len(blocks)} entries for {n} layers")
    kinds: list[str] = []
    kv: list[int] = []
    inter: list[int] = []
    attn_linear: list[bool] = []
    ffn_linear: list[bool] = []
    for i in range(n):
        att, ffn = _decilm_block(r, i, "attention"), _decilm_block(r, i, "ffn")
        where = f"block_configs[{i}]"
        for key in ("window_length", "num_sink_tokens"):
            if att.get(key) is not None:
                # modeling_decilm.py's windowed / sink attention: not modelled
                raise r.fail(
                    f"field '{where}.attention.{key}' (windowed attention) is not supported"
                )
        no_attn = _decilm_flag(r, att, where + ".attention", "no_op")
        linear = not no_attn and _decilm_flag(r, att, where + ".attention", "replace_with_linear")
        heads = 0
        if not no_attn and not linear:
            g = att.get("n_heads_in_group")
            if isinstance(g, bool) or not isinstance(g, int) or g <= 0 or nh % g:
                raise r.fail(
                    f"field '{where}.attention.n_heads_in_group' ({g!r}) must divide "
                    f"num_attention_heads ({nh})"
                )
            heads = nh // g
        kinds.append("full" if heads else "none")
        kv.append(heads)
        attn_linear.append(linear)
        no_ffn = _decilm_flag(r, ffn, where + ".ffn", "no_op")
        linear_ffn = not no_ffn and _decilm_flag(r, ffn, where + ".ffn", "replace_with_linear")
        width = 0
        if not no_ffn and not linear_ffn:
            mult = ffn.get("ffn_mult")
            given = ffn.get("intermediate_size")
            if mult is None and isinstance(given, int) and not isinstance(given, bool):
                # vLLM DeciLMDecoderLayer: block_config.ffn.intermediate_size without ffn_mult
                width = given
            elif isinstance(mult, bool) or not isinstance(mult, int | float) or not mult > 0:
                raise r.fail(
                    f"field '{where}.ffn.ffn_mult' must be a positive number, got {mult!r}"
                )
            elif mult * hidden > 1e12:
                raise r.fail(f"field '{where}.ffn.ffn_mult' ({mult!r}) is far beyond any model")
            else:
                width = _decilm_intermediate(float(mult), hidden)
            if width <= 0:
                key = "intermediate_size" if mult is None else "ffn_mult"
                raise r.fail(f"field '{where}.ffn.{key}' gives an FFN of width {width}")
        inter.append(width)
        ffn_linear.append(linear_ffn)
    bias = r.boolean("attention_bias", False)
    return f | {
        "num_heads": nh,
        "num_kv_heads": max(kv, default=0) or nh,
        "head_dim": hidden // nh,
        "intermediate_size": max(inter, default=0) or hidden,
        "layer_types": tuple(kinds),
        "layer_kv_heads": tuple(kv),
        "layer_intermediate_sizes": tuple(inter),
        "ffn_layers": tuple(w > 0 for w in inter),
        "attention_replaced_layers": tuple(attn_linear) if any(attn_linear) else (),
        "ffn_replaced_layers": tuple(ffn_linear) if any(ffn_linear) else (),
        "sub_block_norms": True,
        # DeciLMAttention: q/k/v/o all take config.attention_bias
        "qkv_bias": bias,
        "o_bias": bias,
        "mlp_bias": r.boolean("mlp_bias", False),
    }


def _granite_hybrid(r: Reader) -> Fields:
    """Granite 4 (GraniteMoeHybrid): Mamba-2 or attention layers, MoE and a shared MLP in each."""
    f = c.sizes(r)
    f |= c.heads(r, f["hidden_size"])
    n = f["num_layers"]
    types = c.layer_list(r, n, "layers_block_type", _MAMBA_NAMES) or ["mamba"] * n
    mamba = _mamba2(
        r,
        _expand(r, f["hidden_size"]),
        heads="mamba_n_heads",
        head_dim="mamba_d_head",
        groups="mamba_n_groups",
        state="mamba_d_state",
        conv="mamba_d_conv",
        conv_bias="mamba_conv_bias",
        proj_bias="mamba_proj_bias",
    )
    experts = r.integer("num_local_experts")
    shared = r.integer("shared_intermediate_size")
    bias = r.boolean("attention_bias", False)
    out = f | {
        "layer_types": tuple(types),
        "mamba": mamba,
        "qkv_bias": bias,
        "o_bias": bias,
    }
    if experts:
        m = c.moe(
            r,
            experts="num_local_experts",
            top_k="num_experts_per_tok",
            inter=f["intermediate_size"],
            shared=0,
            shared_width="shared_intermediate_size",
        )
        return out | {"moe": m, "moe_layers": (True,) * n}
    # no experts: the shared MLP is the layer's FFN
    return out | {"intermediate_size": shared}


def _bamba(r: Reader) -> Fields:
    f = c.sizes(r)
    f |= c.heads(r, f["hidden_size"])
    n = f["num_layers"]
    attn = set(r.layer_indices("attn_layer_indices") or [])
    types = c.layer_list(r, n, "layers_block_type", _MAMBA_NAMES) or [
        "full" if i in attn else "mamba" for i in range(n)
    ]
    mamba = _mamba2(
        r,
        _expand(r, f["hidden_size"]),
        heads="mamba_n_heads",
        head_dim="mamba_d_head",
        groups="mamba_n_groups",
        state="mamba_d_state",
        conv="mamba_d_conv",
        conv_bias="mamba_conv_bias",
        proj_bias="mamba_proj_bias",
    )
    bias = r.boolean("attention_bias", False)
    return f | {
        "layer_types": tuple(types),
        "mamba": mamba,
        "qkv_bias": bias,
        "o_bias": bias,
        "mlp_bias": r.boolean("mlp_bias", False),
    }


def _falcon_h1(r: Reader) -> Fields:
    """Falcon-H1: attention and a Mamba-2 mixer side by side in every layer, then an MLP."""
    f = c.sizes(r)
    f |= c.heads(r, f["hidden_size"])
    n = f["num_layers"]
    d_inner = r.opt_integer("mamba_d_ssm") or _expand(r, f["hidden_size"])
    mamba = _mamba2(
        r,
        d_inner,
        heads="mamba_n_heads",
        head_dim="mamba_d_head",
        groups="mamba_n_groups",
        state="mamba_d_state",
        conv="mamba_d_conv",
        conv_bias="mamba_conv_bias",
        proj_bias="mamba_proj_bias",
        norm=r.boolean("mamba_rms_norm", False),
    )
    bias = r.boolean("attention_bias", False)
    # FalconH1Mixer: out_proj carries projectors_bias, in_proj mamba_proj_bias
    return f | {
        "layer_types": ("full",) * n,
        "parallel_ssm": True,
        "mamba": mamba,
        "qkv_bias": bias,
        "o_bias": bias,
        "mlp_bias": r.boolean("mlp_bias", False),
    }


def _jamba(r: Reader) -> Fields:
    f = c.sizes(r)
    f |= c.heads(r, f["hidden_size"])
    n = f["num_layers"]
    ap, ao = r.integer("attn_layer_period"), r.integer("attn_layer_offset")
    ep, eo = r.integer("expert_layer_period"), r.integer("expert_layer_offset")
    c.positive(r, "attn_layer_period", ap)
    c.positive(r, "expert_layer_period", ep)
    experts = r.integer("num_experts")
    raw = r.raw("mamba_dt_rank")
    hidden = f["hidden_size"]
    dt_rank = (
        -(-hidden // 16) if raw in ("auto", None) or raw is ABSENT else r.integer("mamba_dt_rank")
    )
    mamba = MambaConfig(
        version=1,
        d_inner=_expand(r, hidden),
        d_state=r.integer("mamba_d_state"),
        d_conv=r.integer("mamba_d_conv"),
        dt_rank=dt_rank,
        conv_bias=r.boolean("mamba_conv_bias", True),
        proj_bias=r.boolean("mamba_proj_bias", False),
        inner_norms=True,
    )
    # JambaConfig: a layer has n experts where i % expert_layer_period == offset (MoE if n > 1)
    layers = tuple(experts > 1 and i % ep == eo for i in range(n))
    m = None
    if any(layers):
        m = c.moe(
            r, experts="num_experts", top_k="num_experts_per_tok", inter=f["intermediate_size"]
        )
    return f | {
        "layer_types": tuple("full" if i % ap == ao else "mamba" for i in range(n)),
        "mamba": mamba,
        "moe": m,
        "moe_layers": layers if m else (),
    }


def _pure_mamba(version: int) -> ReadFn:
    """Mamba / Falcon-Mamba (version 1) and Mamba-2: a norm and a mixer per layer, no FFN."""

    def read(r: Reader) -> Fields:
        n = c.layer_count(r)
        hidden = r.integer("hidden_size")
        d_inner = int(r.number("expand") * hidden)
        if version == 1:
            raw = r.raw("time_step_rank")
            rank = (
                -(-hidden // 16)
                if raw in ("auto", None) or raw is ABSENT
                else r.integer("time_step_rank")
            )
            mamba = MambaConfig(
                version=1,
                d_inner=d_inner,
                d_state=r.integer("state_size"),
                d_conv=r.integer("conv_kernel"),
                dt_rank=rank,
                conv_bias=r.boolean("use_conv_bias", True),
                proj_bias=r.boolean("use_bias", False),
            )
        else:
            mamba = MambaConfig(
                version=2,
                d_inner=d_inner,
                d_state=r.integer("state_size"),
                d_conv=r.integer("conv_kernel"),
                n_heads=c.positive(r, "num_heads", r.integer("num_heads")),
                head_dim=r.integer("head_dim"),
                n_groups=r.integer("n_groups"),
                conv_bias=r.boolean("use_conv_bias", True),
                proj_bias=r.boolean("use_bias", False),
            )
        return {
            "vocab_size": r.integer("vocab_size"),
            "hidden_size": hidden,
            "num_layers": n,
            # no attention and no FFN: the mixer's heads (channels for Mamba-1) stand for
            # the heads tensor parallelism splits; head_dim and the FFN width are unused
            "num_heads": mamba.n_heads or mamba.d_inner,
            "num_kv_heads": mamba.n_heads or mamba.d_inner,
            "head_dim": 1,
            "intermediate_size": 1,
            "layer_types": ("mamba",) * n,
            "ffn_layers": (False,) * n,
            "mamba": mamba,
            "layer_norms": 1,
            "tie_word_embeddings": r.boolean("tie_word_embeddings", False),
        }

    return read


def _lfm2_ffn(r: Reader, inter: int) -> int:
    """Lfm2MLP: with block_auto_adjust_ff_dim, 2/3 of intermediate_size, times the multiplier,
    rounded up to block_multiple_of."""
    if not r.boolean("block_auto_adjust_ff_dim", True):
        return inter
    out = int(2 * inter / 3)
    mult = r.raw("block_ffn_dim_multiplier")
    if mult is ABSENT:
        mult = 1.0  # Lfm2Config: block_ffn_dim_multiplier = 1.0
    if mult is not None:
        of = c.positive(r, "block_multiple_of", r.integer("block_multiple_of"))
        out = int(
            (r.number("block_ffn_dim_multiplier") if r.has("block_ffn_dim_multiplier") else 1.0)
            * out
        )
        out = of * ((out + of - 1) // of)
    r.note(f"FFN width {out} (Lfm2MLP adjusts intermediate_size {inter})")
    return out


#: Lfm3Model.forward builds a mask for these three kinds only (``mask_creation_functions``);
#: PreTrainedConfig remaps the legacy "attention" to "full_attention"
_LFM3_LAYERS = {
    "full_attention": "full",
    "attention": "full",
    "sliding_attention": "sliding",
    "conv": "conv",
}

#: Lfm3Config.__post_init__: rope_parameters when the config gives none
_LFM3_ROPE = {
    "sliding_attention": {"rope_type": "default", "rope_theta": 10_000.0},
    "full_attention": {
        "rope_type": "proportional",
        "rope_theta": 1_000_000.0,
        "partial_rotary_factor": 0.5,
    },
}


def _lfm3_rope_dim(r: Reader, kinds: set[str], head_dim: int) -> int:
    """The widest rotated part of a head over the attention kinds present.

    Lfm3RotaryEmbedding keeps one table per attention kind (``_rope_type_labels``), from
    ``rope_parameters[kind]``: sliding layers rotate the whole head (``default``), full
    layers ``partial_rotary_factor`` of it (``proportional``, 0.5 by default).
    """
    params = r.mapping("rope_parameters") or _LFM3_ROPE
    nested = any(isinstance(v, Mapping) for v in params.values())
    widths = [0]
    for tf_name, kind in (("sliding_attention", "sliding"), ("full_attention", "full")):
        if kind not in kinds:
            continue
        p = params.get(tf_name, {}) if nested else params
        frac = p.get("partial_rotary_factor", 1.0) if isinstance(p, Mapping) else 1.0
        if isinstance(frac, bool) or not isinstance(frac, int | float) or not 0 < frac <= 1:
            frac = 1.0
        widths.append(int(head_dim * frac))
    return max(widths)


def _lfm3(r: Reader) -> Fields:
    """LFM3: short-convolution, full and sliding attention layers, one gated MLP each.

    ``Lfm3Config.__post_init__``: without ``layer_types``, layer i is full attention where
    ``i % 4 == 2``, sliding where ``i % 4 == 0 and i > 0``, else ``conv``.
    ``Lfm3DecoderLayer``: ``Lfm3Attention`` where the kind is not ``conv``, else
    ``Lfm3ShortConv`` (``in_proj`` h -> 3h, depthwise ``conv`` of ``conv_L_cache``,
    ``out_proj``; all biased with ``conv_bias``); ``operator_norm`` and ``ffn_norm``, plus
    ``post_operator_norm`` and ``post_ffn_norm`` with ``use_sandwich_norm``; ``feed_forward``
    is ``Lfm3MLP`` (= ``Lfm2MoeMLP``: w1, w3, w2 of ``intermediate_size``, unbiased, no
    LFM2 width adjustment).
    ``Lfm3Attention`` (Qwen3 attention): q/k/v/o biased with ``attention_bias``, per-head
    ``q_norm`` / ``k_norm``, and with ``use_attention_gate`` ``g_proj`` (h -> heads,
    unbiased), a sigmoid gate per head; ``sliding_window`` on ``sliding_attention`` layers.
    ``Lfm3Model``: the final norm is ``embedding_norm``; ``Lfm3ForCausalLM`` ties its head
    with ``tie_word_embeddings`` (default true).
    """
    f = c.sizes(r)
    f |= c.heads(r, f["hidden_size"])
    n = f["num_layers"]
    types = c.layer_list(r, n, names=_LFM3_LAYERS)
    if types is None:
        types = [
            "full" if i % 4 == 2 else "sliding" if i % 4 == 0 and i > 0 else "conv"
            for i in range(n)
        ]
        r.note(
            "layer_types: full at i % 4 == 2, sliding at i % 4 == 0 (i > 0), else conv "
            "(Lfm3Config default)"
        )
    w = r.opt_integer("sliding_window")
    kernel = c.positive(r, "conv_L_cache", r.integer("conv_L_cache"))
    bias = r.boolean("attention_bias", False)
    return f | {
        "layer_types": tuple(types),
        "sliding_window": w,
        "short_conv": ShortConvConfig(kernel=kernel, bias=r.boolean("conv_bias", False)),
        "qkv_bias": bias,
        "o_bias": bias,
        "qk_norm": "head",
        "attn_output_gate": "head" if r.boolean("use_attention_gate", True) else None,
        "layer_norms": 4 if r.boolean("use_sandwich_norm", True) else 2,
        "rope_dim": _lfm3_rope_dim(r, set(types), f["head_dim"]),
    }


#: GraniteSWAModel.forward builds masks for these two kinds only; PreTrainedConfig remaps
#: the legacy "attention" to "full_attention"
_GRANITE_SWA_LAYERS = {
    "full_attention": "full",
    "attention": "full",
    "sliding_attention": "sliding",
}


def _granite_swa_window(r: Reader, n: int) -> Fields:
    """GraniteSWAConfig / GraniteMoeSWAConfig: ``layer_types``, else full where ``i % 4 == 0``.

    ``GraniteSWAAttention``: ``sliding_window`` on ``sliding_attention`` layers (a null
    window: they attend fully).
    """
    types = c.layer_list(r, n, names=_GRANITE_SWA_LAYERS)
    if types is None:
        types = c.every(n, 4, "full", "sliding", offset=0)
        r.note(f"layer_types: full at i % 4 == 0, else sliding ({r.model_type} default)")
    return {"layer_types": tuple(types), "sliding_window": r.opt_integer("sliding_window")}


def _granite_swa_extra(r: Reader, f: Fields) -> Fields:
    """KV heads written as null, and layers without RoPE (GraniteSWA and GraniteMoeSWA).

    ``GraniteSWAConfig.__post_init__``: ``num_key_value_heads`` null means one per query
    head (the class default, 4, applies only when the key is absent).
    ``GraniteSWAModel``: a ``layer_rope_theta`` entry of 0 is a NoPE layer; one rotary
    table per distinct non-zero theta.
    """
    out: Fields = {}
    if r.raw("num_key_value_heads") is None:
        out["num_kv_heads"] = f["num_heads"]
        r.note("num_key_value_heads=null: one KV head per query head (GraniteSWAConfig)")
    thetas = r.sequence("layer_rope_theta")
    if thetas is not None:
        if len(thetas) < f["num_layers"]:
            # GraniteSWAModel.forward indexes layer_rope_theta[i] for every layer
            raise r.fail(
                f"field 'layer_rope_theta' has {len(thetas)} entries for {f['num_layers']} layers"
            )
        if all(t == 0 for t in thetas):
            out["rope_dim"] = 0
    return out


def _jais2_heads(r: Reader, f: Fields) -> Fields:
    """Jais2Config.validate_architecture: heads divide hidden_size whatever head_dim says.

    ``Jais2Config.__post_init__``: ``head_dim`` null is ``hidden_size // heads``; ``Jais2Attention``
    takes ``config.head_dim`` as given otherwise.
    """
    h, nh = f["hidden_size"], f["num_heads"]
    if h % nh:
        raise r.fail(f"num_attention_heads ({nh}) does not divide hidden_size ({h})")
    return {}


#: CwmModel.forward keys its masks by these two names only (any other name is a KeyError)
_CWM_LAYERS = {"full_attention": "full", "sliding_attention": "sliding"}


def _cwm_window(r: Reader, n: int) -> Fields:
    """CWM's layer pattern (``CwmConfig.__post_init__``, ``CwmAttention``).

    Without ``layer_types``, full attention on every 4th layer from layer 0
    (``i % 4 == 0``), sliding-window attention elsewhere; ``CwmAttention`` attends over
    ``sliding_window`` tokens on ``"sliding_attention"`` layers. ``CwmConfig`` turns a
    ``sliding_window`` of 0 into None, which its strict validation then refuses, as it
    refuses null: a CWM config always has a window.
    """
    types = c.layer_list(r, n, names=_CWM_LAYERS)
    raw = r.raw("sliding_window")
    if raw is None or (raw is not ABSENT and r.integer("sliding_window") == 0):
        raise r.fail(
            f"field 'sliding_window' = {raw!r}: CwmConfig requires a positive integer window"
        )
    w = r.integer("sliding_window")
    if types is None:
        types = c.every(n, 4, "full", "sliding", offset=0)
        r.note(
            "layer_types: full attention on layers 0, 4, 8 ..., sliding elsewhere "
            "(CwmConfig default)"
        )
    return {"layer_types": tuple(types), "sliding_window": w}


def _cwm_extra(r: Reader, f: Fields) -> Fields:
    """``CwmConfig.validate_architecture``: the heads divide hidden_size even though the
    heads are ``head_dim`` wide (the class refuses the config otherwise); ``head_dim`` and
    ``num_key_value_heads`` are strict integers (null is refused). ``CwmAttention`` rotates
    the whole head (``CwmConfig`` fills its llama3 ``rope_parameters`` when absent)."""
    for key in ("head_dim", "num_key_value_heads"):
        if r.raw(key) is None:
            raise r.fail(f"field {key!r} is null: CwmConfig requires an integer")
    if f["hidden_size"] % f["num_heads"]:
        raise r.fail(
            f"num_attention_heads ({f['num_heads']}) does not divide hidden_size "
            f"({f['hidden_size']}) (CwmConfig.validate_architecture refuses it)"
        )
    out: Fields = {}
    if not any(r.has(k) for k in ("rope_theta", "rope_scaling", "rope_parameters")):
        out["rope_dim"] = f["head_dim"]
    return out


#: DeepseekV3Config keys YoutuConfig removes (``= AttributeError()`` in modular_youtu.py):
#: no MoE, no MTP layers, whatever a config file says
_YOUTU_UNREAD = (
    "n_routed_experts",
    "n_shared_experts",
    "num_experts_per_tok",
    "moe_intermediate_size",
    "first_k_dense_replace",
    "num_nextn_predict_layers",
    "num_mtp_layers",
)


def _youtu(r: Reader) -> Fields:
    """Youtu-LLM (``YoutuForCausalLM``, a ``LlamaForCausalLM`` over ``YoutuDecoderLayer``).

    Every layer: DeepSeek-V3 multi-head latent attention (``YoutuAttention`` =
    ``DeepseekV3Attention``: ``q_proj``, or ``q_a_proj`` / ``q_a_layernorm`` / ``q_b_proj``
    with a ``q_lora_rank``; ``kv_a_proj_with_mqa``, ``kv_a_layernorm``, ``kv_b_proj``,
    ``o_proj``; ``attention_bias`` on ``q_a_proj``, ``kv_a_proj_with_mqa`` and ``o_proj``)
    and a dense gated MLP of ``intermediate_size`` without bias (``YoutuMLP`` =
    ``Qwen3MLP``); two RMSNorms per layer and a final one; the head tied by default
    (``YoutuConfig.tie_word_embeddings = True``). The cache keeps the latent
    (``kv_lora_rank``) and the rotary key (``qk_rope_head_dim``) per token.
    """
    f = c.sizes(r)
    f |= c.heads(r, f["hidden_size"], mla=True)
    n = f["num_layers"]
    for key in ("kv_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim"):
        if r.raw(key) is None:
            # YoutuAttention builds its projections from them (None widths do not build)
            raise r.fail(f"field {key!r} is null: YoutuAttention needs an integer width")
    # YoutuAttention.expand_kv expands the latent to K and V of every query head (the count
    # shapes no parameter), then the attention repeats them num_key_value_groups = heads //
    # num_key_value_heads times: any other count than the heads' breaks the forward pass
    kv = r.integer("num_key_value_heads", f["num_heads"])
    if kv != f["num_heads"]:
        raise r.fail(
            f"num_key_value_heads ({kv}) must equal num_attention_heads ({f['num_heads']}): "
            "YoutuAttention expands the latent to every head, then repeats K and V "
            "heads // num_key_value_heads times"
        )
    unread = [k for k in _YOUTU_UNREAD if r.has(k)]
    if unread:
        r.note(f"{', '.join(unread)} not read (YoutuConfig has no MoE or MTP layers)")
    bias = r.boolean("attention_bias", False)
    a = c.mla(r, bias=bias)
    out = f | c.mla_fields(a) | {"o_bias": bias, "layer_types": ("full",) * n, "mla": a}
    if not any(r.has(k) for k in ("rope_theta", "rope_scaling", "rope_parameters")):
        # YoutuRotaryEmbedding rotates qk_rope_head_dim channels whatever the file says
        out["rope_dim"] = a.qk_rope_head_dim
    return out


#: nanochat's own checkpoint metadata (``meta_*.json`` ``model_config``, and config.json files
#: written from it) spells the sizes GPT-style; NanoChatConfig reads none of them
_NANOCHAT_NATIVE = {
    "n_layer": "num_hidden_layers",
    "n_embd": "hidden_size",
    "n_head": "num_attention_heads",
    "n_kv_head": "num_key_value_heads",
    "sequence_len": "max_position_embeddings",
}


def _nanochat_extra(r: Reader, f: Fields) -> Fields:
    """``NanoChatRotaryEmbedding`` rotates the whole head whatever the file says (the class's
    ``rope_parameters`` default is filled in when the key is absent). ``head_dim`` null would
    make ``NanoChatAttention`` build ``heads x None`` projections: refused. A file in
    nanochat's native spelling (``n_layer``, ``n_embd`` ...) is refused rather than read as
    the class defaults (which is what NanoChatConfig would build from it)."""
    for old, new in _NANOCHAT_NATIVE.items():
        if r.has(old) and not r.has(new):
            raise r.fail(
                f"field {old!r} is nanochat's native spelling, which NanoChatConfig does not "
                f"read (it expects {new!r})"
            )
    if r.raw("head_dim") is None:
        raise r.fail("field 'head_dim' is null: NanoChatAttention needs an integer width")
    if not any(r.has(k) for k in ("rope_theta", "rope_scaling", "rope_parameters")):
        return {"rope_dim": f["head_dim"]}
    return {}


#: LagunaModel.forward builds a mask and a rotary table for these two names only
_LAGUNA_LAYERS = {"full_attention": "full", "sliding_attention": "sliding"}
#: LagunaConfig.__post_init__'s rope_parameters: partial rotary factor per layer type
_LAGUNA_ROPE = {"full_attention": 0.5, "sliding_attention": 1.0}


def _laguna_heads(r: Reader, types: list[str], nh: int, kv: int, hd: int) -> Fields:
    """Query heads of each layer kind (``LagunaDecoderLayer`` builds ``LagunaAttention`` with
    ``config.num_attention_heads_per_layer[i]`` heads; ``LagunaConfig`` defaults the list to
    ``num_attention_heads`` on every layer). llmsizing holds one count per layer kind: a list
    that varies within a kind is refused."""
    n = len(types)
    raw = r.sequence("num_attention_heads_per_layer")
    if raw is None:
        return {}
    if len(raw) != n:
        # LagunaConfig.validate_architecture
        raise r.fail(f"field 'num_attention_heads_per_layer' has {len(raw)} entries for {n} layers")
    for i, h in enumerate(raw):
        if isinstance(h, bool) or not isinstance(h, int) or h <= 0:
            raise r.fail(f"num_attention_heads_per_layer[{i}] = {h!r} is not a positive integer")
    out: Fields = {}
    for kind in ("full", "sliding"):
        counts = sorted({h for h, t in zip(raw, types, strict=True) if t == kind})
        if len(counts) > 1:
            raise r.fail(
                f"num_attention_heads_per_layer gives {kind} layers different head counts "
                f"{counts} (one count per layer kind is supported)"
            )
        if not counts or counts[0] == nh:
            continue
        h = counts[0]
        if h % kv:
            # LagunaAttention: num_key_value_groups = heads // num_key_value_heads
            raise r.fail(
                f"num_key_value_heads ({kv}) must divide the {kind} layers' heads ({h}) "
                "(field 'num_attention_heads_per_layer')"
            )
        out[f"{kind}_attention"] = AttentionDims(num_heads=h, num_kv_heads=kv, head_dim=hd)
    return out


def _laguna_moe_layers(r: Reader, n: int) -> tuple[bool, ...]:
    """``LagunaDecoderLayer``: ``LagunaSparseMoeBlock`` where ``mlp_layer_types[i]`` is
    ``"sparse"``, ``LagunaMLP(intermediate_size)`` where it is ``"dense"``; the default
    (``LagunaConfig.__post_init__``) is layer 0 dense, the rest sparse."""
    raw = r.sequence("mlp_layer_types")
    if raw is None:
        for key in ("mlp_only_layers", "decoder_sparse_step"):
            if r.has(key):
                # remote-code spellings of Laguna-XS-2.1 configs; LagunaConfig has no such field
                r.note(f"{key} not read (LagunaConfig takes the MoE layers from mlp_layer_types)")
        r.note("mlp_layer_types: layer 0 dense, the rest sparse (LagunaConfig default)")
        return tuple(i > 0 for i in range(n))
    if len(raw) != n:
        raise r.fail(f"field 'mlp_layer_types' has {len(raw)} entries for {n} layers")
    for i, t in enumerate(raw):
        if t not in ("dense", "sparse"):
            raise r.fail(f"mlp_layer_types[{i}] = {t!r} is not supported (known: dense, sparse)")
    return tuple(t == "sparse" for t in raw)


def _laguna_rope_dim(r: Reader, types: list[str], hd: int) -> int | None:
    """Channels RoPE rotates: ``int(head_dim · partial_rotary_factor)`` of each layer type's
    ``rope_parameters`` entry (``LagunaRotaryEmbedding``; 1.0 when the entry has none), the
    widest over the layer kinds present; the class's per-type defaults (full 0.5, sliding 1.0)
    when the file gives no ``rope_parameters``. None: an entry is not a mapping (left to the
    generic rule)."""
    params = r.raw("rope_parameters")
    names = {v: k for k, v in _LAGUNA_LAYERS.items()}
    dims = []
    for kind in sorted(set(types)):
        name = names[kind]
        if params is ABSENT or params is None:
            frac = _LAGUNA_ROPE[name]
        else:
            sub = params.get(name) if isinstance(params, Mapping) else None
            if not isinstance(sub, Mapping):
                return None
            frac = sub.get("partial_rotary_factor", 1.0)
            if isinstance(frac, bool) or not isinstance(frac, int | float) or not 0 < frac <= 1:
                return None
        dims.append(int(hd * frac))
    return max(dims, default=None)


def _laguna(r: Reader) -> Fields:
    """Laguna (``LagunaForCausalLM``, transformers ``models/laguna/modeling_laguna.py``).

    Every layer: ``LagunaAttention`` (q/k/v/o with ``attention_bias``; ``q_proj`` / ``o_proj``
    as wide as the layer's own heads, ``num_attention_heads_per_layer``; k/v of
    ``num_key_value_heads`` of ``head_dim``; per-head RMSNorms ``q_norm`` / ``k_norm``; an
    unbiased softplus output gate ``g_proj``, one per head with ``gating`` True or
    ``"per-head"``, else one per query channel), full or sliding-window (``sliding_window``)
    attention by ``layer_types`` (default: all full); then ``LagunaMLP(intermediate_size)``
    on dense layers or ``LagunaSparseMoeBlock`` on sparse ones: ``LagunaTopKRouter``
    (``weight`` and ``e_score_correction_bias``, an ``nn.Parameter`` with
    ``requires_grad=False``, so counted), ``LagunaExperts`` (fused ``gate_up_proj`` and
    ``down_proj`` of ``moe_intermediate_size``) and one shared ``LagunaMLP`` of
    ``shared_expert_intermediate_size``, none biased; two RMSNorms per layer, a final one;
    the head tied only with ``tie_word_embeddings``.
    """
    for key in ("head_dim", "num_key_value_heads", "sliding_window", "gating"):
        if r.raw(key) is None:
            raise r.fail(f"field {key!r} is null: LagunaConfig requires a value")
    f = c.sizes(r)
    f |= c.heads(r, f["hidden_size"])
    n, nh, kv, hd = f["num_layers"], f["num_heads"], f["num_kv_heads"], f["head_dim"]
    types = c.layer_list(r, n, names=_LAGUNA_LAYERS)
    if types is None:
        types = ["full"] * n
        r.note("every layer full attention (LagunaConfig default layer_types)")
    window = r.integer("sliding_window")
    if "sliding" in types and window == 0:
        raise r.fail("field 'sliding_window' must be positive: the model has sliding layers")
    dims = _laguna_heads(r, types, nh, kv, hd)
    gating = r.raw("gating")
    if gating is not ABSENT and not isinstance(gating, bool | str):
        raise r.fail(f"field 'gating' must be true, false or a string, got {gating!r}")
    # LagunaAttention: gate_per_head = config.gating is True or config.gating == "per-head"
    per_head = gating is ABSENT or gating is True or gating == "per-head"
    moe_layers = _laguna_moe_layers(r, n)
    m = None
    if any(moe_layers):
        m = c.moe(
            r,
            experts="num_experts",
            top_k="num_experts_per_tok",
            inter="moe_intermediate_size",
            shared=1,
            shared_width="shared_expert_intermediate_size",
            score_bias=True,
        )
    if r.boolean("moe_apply_router_weight_on_input", False):
        r.note("moe_apply_router_weight_on_input (transformers refuses it; no parameter changes)")
    bias = r.boolean("attention_bias", False)
    out = (
        f
        | dims
        | {
            "layer_types": tuple(types),
            "sliding_window": window,
            "qkv_bias": bias,
            "o_bias": bias,
            "qk_norm": "head",
            "attn_output_gate": "head" if per_head else "separate",
            "moe": m,
            "moe_layers": moe_layers if m is not None else (),
        }
    )
    rope = _laguna_rope_dim(r, types, hd)
    if rope is not None:
        out["rope_dim"] = rope
    return out


def _lfm2(moe: bool) -> ReadFn:
    """LFM2: gated short convolutions and attention layers (q/k layernorms), one MLP each."""

    def read(r: Reader) -> Fields:
        f = c.sizes(r)
        f |= c.heads(r, f["hidden_size"])
        n = f["num_layers"]
        types = c.layer_list(r, n)
        if types is None:
            full = r.layer_indices("full_attn_idxs")
            full_set = set(range(n)) if full is None else set(full)
            types = ["full" if i in full_set else "conv" for i in range(n)]
        out = f | {
            "layer_types": tuple(types),
            "short_conv": ShortConvConfig(
                kernel=r.integer("conv_L_cache"), bias=r.boolean("conv_bias", False)
            ),
            "qk_norm": "head",
        }
        if not moe:
            return out | {"intermediate_size": _lfm2_ffn(r, f["intermediate_size"])}
        first = r.integer("num_dense_layers", 0)
        m = c.moe(
            r, experts="num_experts", top_k="num_experts_per_tok", inter="moe_intermediate_size"
        )
        return out | {"moe": m, "moe_layers": tuple(i >= first for i in range(n))}

    return read


def _mimo_v2(r: Reader) -> Fields:
    """MiMo-V2-Flash: sliding layers with twice the KV heads and attention sinks, dense first."""
    f = c.sizes(r)
    f |= c.heads(r, f["hidden_size"])
    n = f["num_layers"]
    types = c.layer_list(r, n)
    pattern = r.sequence("hybrid_layer_pattern")
    if types is None and pattern is not None:
        # the released config.json: 0 full attention, 1 sliding window
        if len(pattern) != n or set(pattern) - {0, 1}:
            raise r.fail(f"field 'hybrid_layer_pattern' must list 0 or 1 for each of {n} layers")
        types = ["sliding" if p else "full" for p in pattern]
    if types is None:
        # MiMoV2FlashConfig: full attention on layer 0 and every 6th layer, SWA elsewhere
        types = ["full" if i == 0 or (i + 1) % 6 == 0 else "sliding" for i in range(n)]
    w = r.opt_integer("sliding_window")
    if r.has("sliding_window_size"):
        # the reference attends to sliding_window_size previous tokens plus the query
        w = r.integer("sliding_window_size") + 1
    v = r.opt_integer("v_head_dim") or f["head_dim"]
    # MiMoV2FlashAttention: SWA layers have 2 x num_key_value_heads and per-head sinks; the
    # released config states them (swa_*, add_*_attention_sink_bias), which win where given
    swa = AttentionDims(
        num_heads=r.integer("swa_num_attention_heads", f["num_heads"]),
        num_kv_heads=r.integer("swa_num_key_value_heads", 2 * f["num_kv_heads"]),
        head_dim=r.integer("swa_head_dim", f["head_dim"]),
        v_head_dim=r.integer("swa_v_head_dim", v),
        sinks=r.boolean("add_swa_attention_sink_bias", True),
    )
    full_sinks = r.boolean("add_full_attention_sink_bias", False)
    m = c.moe(
        r, experts="n_routed_experts", top_k="num_experts_per_tok", inter="moe_intermediate_size"
    )
    layers = c.mlp_layer_types(r, n) or tuple(i > 0 for i in range(n))
    return f | {
        "v_head_dim": v,
        "layer_types": tuple(types),
        "sliding_window": w,
        "sliding_attention": swa,
        "attention_sinks": full_sinks,
        "qkv_bias": r.boolean("attention_bias", False),
        "moe": m,
        "moe_layers": layers,
    }


def _gemma4(r: Reader) -> Fields:
    """Gemma 4: 5 sliding : 1 global layers, wider global heads, K=V on global layers, PLE,
    KV sharing in the last layers, an optional MoE block beside every dense MLP."""
    if r.raw("per_layer_config") not in (ABSENT, None):
        raise r.fail("field 'per_layer_config' is not supported (per-layer head overrides)")
    f = c.sizes(r)
    f |= c.heads(r, f["hidden_size"])
    n = f["num_layers"]
    types = c.layer_list(r, n)
    if types is None:
        types = c.every(n, 6, "full", "sliding")
    if types and types[-1] != "full":
        # Gemma4TextConfig forces the last layer to full attention
        types = [*types[:-1], "full"]
        r.note("last layer full attention (Gemma4TextConfig forces it)")
    k_eq_v = r.boolean("attention_k_eq_v", False)
    global_hd = r.integer("global_head_dim", 512, why="Gemma4TextConfig default")
    global_kv = r.opt_integer("num_global_key_value_heads") if k_eq_v else None
    full = AttentionDims(
        num_heads=f["num_heads"],
        num_kv_heads=global_kv or f["num_kv_heads"],
        head_dim=global_hd,
        k_eq_v=k_eq_v,
    )
    shared = r.integer("num_kv_shared_layers", 0)
    if shared > n:
        raise r.fail(f"num_kv_shared_layers ({shared}) exceeds num_hidden_layers ({n})")
    if shared and shared == n:
        # transformers builds it, but no layer computes K and V: its attention reads the
        # shared_kv_states only a target model provides (an assistant's layout)
        raise r.fail(
            f"num_kv_shared_layers ({shared}) = num_hidden_layers: no layer computes K and V "
            "(an assistant's layout, reading another model's cache), not supported"
        )
    if shared and set(types[: n - shared]) != set(types):
        missing = sorted(set(types) - set(types[: n - shared]))
        raise r.fail(
            f"num_kv_shared_layers ({shared}) leaves no earlier non-sharing "
            f"{'/'.join(missing)} layer to share from ({r.model_type} kv_sharing_modes)"
        )
    window = r.opt_integer("sliding_window")
    if r.string("use_bidirectional_attention") == "all" and window:
        # Gemma4TextConfig.__post_init__: exclusive bounds for flash attention
        r.note(f"sliding_window {window} // 2 + 1 = {window // 2 + 1} (bidirectional 'all')")
        window = window // 2 + 1
    out = f | {
        "layer_types": tuple(types),
        "sliding_window": window,
        "full_attention": full,
        "qkv_bias": r.boolean("attention_bias", False),
        "o_bias": r.boolean("attention_bias", False),
        "qk_norm": "head",
        "layer_norms": 4,
        "kv_shared_layers": shared,
        "kv_shared_ffn_factor": 2 if r.boolean("use_double_wide_mlp", False) else 1,
        "per_layer_input_size": r.integer("hidden_size_per_layer_input", 0),
        "per_layer_vocab_size": r.opt_integer("vocab_size_per_layer_input"),
    }
    if r.boolean("enable_moe_block", False):
        m = c.moe(
            r,
            experts="num_experts",
            top_k="top_k_experts",
            inter="moe_intermediate_size",
            router_scale=True,
            extra_norms=3,
        )
        out |= {"moe": m, "moe_layers": (True,) * n, "moe_with_dense": True}
    return out


#: Step3p7TextModel's layer kinds (Step3p7Attention slides on "sliding_attention" only)
_STEP3P5_LAYERS = {"full_attention": "full", "sliding_attention": "sliding"}


#: Gemma3nTextModel's layer kinds: its mask mapping has only these two
#: (``causal_mask_mapping = {"full_attention": ..., "sliding_attention": ...}``)
_GEMMA3N_LAYERS = {"full_attention": "full", "sliding_attention": "sliding"}

#: keys that say a config's attention uses rotary embeddings (as hf/__init__.py's _ROPE_KEYS)
_GEMMA3N_ROPE_KEYS = ("rope_theta", "rope_scaling", "rope_parameters", "rope_local_base_freq")


def _gemma3n_widths(r: Reader, n: int) -> tuple[int, tuple[int, ...]]:
    """``intermediate_size``: one width, or one per layer (MatFormer-sliced checkpoints).

    Gemma3nTextConfig.__post_init__: a list must give every layer's width (else
    ValueError), an integer is repeated for every layer; Gemma3nTextMLP reads
    ``config.intermediate_size[layer_idx]``. Returns the largest width and the
    per-layer widths (empty when all are equal).
    """
    raw = r.raw("intermediate_size")
    if not isinstance(raw, list):
        return r.integer("intermediate_size"), ()
    if len(raw) != n:
        raise r.fail(
            f"field 'intermediate_size' has {len(raw)} entries for {n} layers "
            "(Gemma3nTextConfig wants one for all layers or one per layer)"
        )
    widths = []
    for i, w in enumerate(raw):
        if isinstance(w, bool) or not isinstance(w, int) or w <= 0:
            raise r.fail(f"intermediate_size[{i}] = {w!r} must be a positive integer")
        widths.append(w)
    if len(set(widths)) == 1:
        return widths[0], ()
    return max(widths), tuple(widths)


def _gemma3n(r: Reader) -> Fields:
    """Gemma 3n: 4 sliding : 1 full layers, PLE, KV sharing in the last layers, AltUp, LAuReL.

    ``Gemma3nTextConfig`` (``configuration_gemma3n.py``) and ``Gemma3nTextModel`` /
    ``Gemma3nTextDecoderLayer`` (``modeling_gemma3n.py``), transformers 5.24:

    * ``Gemma3nTextAttention``: q/k/v/o of ``head_dim`` heads, biased where
      ``attention_bias``; RMSNorms of one head on q and k (``v_norm`` has no scale);
      a layer reading another's KV cache (``kv_sharing_modes[i] == "reuse"``: the last
      ``num_kv_shared_layers`` layers) has no k_proj, v_proj, k_norm. It reads the last
      earlier non-sharing layer of its own kind (``ModelConfig.kv_source_layer``).
    * ``layer_types``: given, else full where ``(i + 1) % 5 == 0`` (sliding elsewhere);
      not forced full on the last layer (unlike Gemma 4).
    * ``Gemma3nTextMLP``: gated, ``intermediate_size[i]`` wide (:func:`_gemma3n_widths`);
      no double-wide MLP on sharing layers.
    * hidden-size RMSNorms per layer: input, post-attention, pre- and post-feedforward,
      ``altup.router_norm`` and ``laurel.post_laurel_norm`` (6), and
      ``post_per_layer_input_norm``, which llmsizing emits with the per-layer-input
      tensors, so it is counted here only when ``hidden_size_per_layer_input`` is 0
      (Gemma3nTextDecoderLayer builds it whatever the width).
    * per-layer inputs (``embed_tokens_per_layer`` of ``vocab_size_per_layer_input`` rows,
      ``per_layer_model_projection``, ``per_layer_projection_norm``, and per layer
      ``per_layer_input_gate`` / ``per_layer_projection``): ``per_layer_input_size``.
    * the head is tied where the wrapper's ``tie_word_embeddings`` says
      (``Gemma3nForConditionalGeneration._tied_weights_keys``); Gemma3nForCausalLM ties by
      the text config's.

    Refused as transformers refuses them: ``hidden_size`` not a multiple of the heads
    (``validate_architecture``), ``sliding_window`` null (a strict ``int`` field),
    per-layer lists of the wrong length, and KV sharing whose layer kinds have no earlier
    non-sharing layer of their kind (``kv_sharing_modes``: "The set of layer types
    producing a cache is different than the set of layer types using them"), including
    ``num_kv_shared_layers >= num_hidden_layers``.

    * AltUp (``altup_num_inputs`` streams, checked against ``altup_active_idx``, which
      ``Gemma3nTextAltUp`` indexes the predictions with) and LAuReL (``laurel_rank``):
      ``ModelConfig.altup_inputs`` and ``laurel_rank``.
    """
    n = c.layer_count(r)
    inter, widths = _gemma3n_widths(r, n)
    f = c.sizes(_with(r, intermediate_size=inter))
    f |= c.heads(r, f["hidden_size"])
    if f["hidden_size"] % f["num_heads"]:
        # Gemma3nTextConfig.validate_architecture, although the heads are head_dim wide
        raise r.fail(
            f"hidden_size ({f['hidden_size']}) is not a multiple of num_attention_heads "
            f"({f['num_heads']}) (Gemma3nTextConfig.validate_architecture)"
        )
    types = c.layer_list(r, n, names=_GEMMA3N_LAYERS)
    if types is None:
        types = c.every(n, 5, "full", "sliding")
        r.note("layer_types: full every 5th layer (Gemma3nTextConfig default)")
    if r.raw("sliding_window") is None:
        raise r.fail("field 'sliding_window' must be an integer (Gemma3nTextConfig: int)")
    window = r.integer("sliding_window")
    sparsity = r.raw("activation_sparsity_pattern")
    if sparsity is not ABSENT and sparsity is not None:
        # Gemma3nTextConfig.__post_init__ takes len() of it: a list, one entry per layer
        if not isinstance(sparsity, list) or len(sparsity) != n:
            raise r.fail(
                f"field 'activation_sparsity_pattern' must list one value for each of {n} layers"
            )
    shared = r.integer("num_kv_shared_layers")
    if shared:
        first = n - shared
        if first <= 0:
            raise r.fail(
                f"num_kv_shared_layers ({shared}) must be below num_hidden_layers ({n}): "
                "a sharing layer reads an earlier layer's KV cache"
            )
        missing = sorted(set(types[first:]) - set(types[:first]))
        if missing:
            raise r.fail(
                f"KV-sharing layers of kind {', '.join(missing)} have no earlier layer of that "
                "kind to read (Gemma3nTextConfig.kv_sharing_modes)"
            )
    ple = r.integer("hidden_size_per_layer_input")
    ple_vocab = r.integer("vocab_size_per_layer_input") if ple else None
    if ple and not ple_vocab:
        # get_per_layer_inputs looks every token up in embed_tokens_per_layer
        raise r.fail("field 'vocab_size_per_layer_input' must be positive")
    altup = r.integer("altup_num_inputs")
    if altup == 0 or r.integer("altup_active_idx") >= altup:
        # Gemma3nTextAltUp.predict / correct index predictions[altup_active_idx]
        raise r.fail("altup_active_idx must be below altup_num_inputs (at least 1)")
    bias = r.boolean("attention_bias", False)
    out = f | {
        "layer_types": tuple(types),
        "sliding_window": window,
        "layer_intermediate_sizes": widths,
        "qkv_bias": bias,
        "o_bias": bias,
        "qk_norm": "head",
        # input, post-attention, pre/post-feedforward, altup.router_norm,
        # laurel.post_laurel_norm; post_per_layer_input_norm where no PLE tensors carry it
        "layer_norms": 6 + (0 if ple else 1),
        "kv_shared_layers": shared,
        "per_layer_input_size": ple,
        "per_layer_vocab_size": ple_vocab,
        "altup_inputs": altup,
        "laurel_rank": r.integer("laurel_rank"),
    }
    if not any(k in r.data for k in _GEMMA3N_ROPE_KEYS):
        # Gemma3nRotaryEmbedding rotates whole heads on every layer, whatever the file says
        out["rope_dim"] = f["head_dim"]
    return out


#: Qwen4ExpTextConfig.__post_init__ renames "full_attention" (the released checkpoint's
#: spelling) to "indexed_attention"; validate_architecture accepts these two kinds only
_QWEN4_EXP_LAYERS = {
    "linear_attention": "linear",
    "indexed_attention": "full",
    "full_attention": "full",
}
#: the QSA keys Qwen4ExpTextConfig.validate_architecture wants all set or all null
_QWEN4_EXP_QSA = (
    "indexer_n_heads",
    "indexer_kv_heads",
    "indexer_head_dim",
    "indexer_budget",
    "indexer_compress_ratio",
)
#: far above the released 20,000,000 and fast to search for primes beyond; only a typo exceeds it
_NGRAM_BASE_LIMIT = 10**12


def _qwen4_exp_rotary(r: Reader, head_dim: int) -> int:
    """Dimensions of a head RoPE rotates: ``int(head_dim * partial_rotary_factor)``.

    ``Qwen4ExpTextRotaryEmbedding.compute_default_rope_parameters`` reads
    ``rope_parameters["partial_rotary_factor"]`` (default 1.0); ``convert_rope_params_to_dict``
    fills it from a top-level ``partial_rotary_factor`` where ``rope_parameters`` has none.
    Without any RoPE key the class still builds default RoPE over the whole head.
    """
    params = r.mapping("rope_parameters")
    frac: Any = params.get("partial_rotary_factor", ABSENT)
    if frac is ABSENT or frac is None:
        frac = r.raw("partial_rotary_factor")
    if frac is ABSENT or frac is None:
        return head_dim
    if isinstance(frac, bool) or not isinstance(frac, int | float) or not 0 < frac <= 1:
        raise r.fail(f"partial_rotary_factor must be a number in (0, 1], got {frac!r}")
    return int(head_dim * frac)


def _qwen4_exp_indexer(r: Reader, types: list[str], rotary: int) -> IndexerConfig | None:
    """The QSA indexer of every attention layer (``Qwen4ExpTextQSAIndexer``), or None.

    ``index_qk_proj`` (h -> (heads + 1) · head_dim: the queries and one key, unbiased;
    llmsizing's block indexer splits the same rows into ``q_proj`` and ``k_proj``),
    ``q_layernorm`` and ``k_layernorm`` (one head each). The raw key of every token is
    cached (``DynamicIndexedLayer.indexer_keys``, at the KV dtype); a query scores the mean
    keys of complete ``indexer_compress_ratio``-token blocks and attends to the best
    ``indexer_budget / ratio`` blocks plus the incomplete last block.
    """
    values = {k: r.raw(k) for k in _QWEN4_EXP_QSA}
    given = {k: v for k, v in values.items() if v not in (ABSENT, None)}
    if not given:
        if "full" in types:
            raise r.fail(
                "indexer_n_heads, indexer_kv_heads, indexer_head_dim, indexer_budget and "
                "indexer_compress_ratio must be set: Qwen4ExpTextAttention builds a QSA "
                "indexer on every attention layer (the class defaults are null)"
            )
        return None
    missing = [k for k in _QWEN4_EXP_QSA if k not in given]
    if missing:
        raise r.fail(f"QSA indexer config is missing {', '.join(missing)}")
    n = {k: r.integer(k) for k in _QWEN4_EXP_QSA}
    for k, v in n.items():
        c.positive(r, k, v)
    if n["indexer_kv_heads"] != 1:
        raise r.fail("field 'indexer_kv_heads' must be 1 (Qwen4-Exp QSA has one key head)")
    if n["indexer_budget"] % n["indexer_compress_ratio"]:
        raise r.fail(
            f"indexer_budget ({n['indexer_budget']}) must be a multiple of "
            f"indexer_compress_ratio ({n['indexer_compress_ratio']})"
        )
    if rotary > n["indexer_head_dim"]:
        raise r.fail(
            f"the attention's rotary dimensions ({rotary}) must fit the QSA index head "
            f"(indexer_head_dim {n['indexer_head_dim']})"
        )
    return IndexerConfig(
        kind="block",
        n_heads=n["indexer_n_heads"],
        head_dim=n["indexer_head_dim"],
        topk=n["indexer_budget"],
        block_size=n["indexer_compress_ratio"],
    )


def _is_prime(n: int) -> bool:
    """Exact primality (deterministic Miller-Rabin, exact below 3.3e24)."""
    if n < 2:
        return False
    small = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)
    for p in small:
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for a in small:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def _primes_from(start: int, count: int) -> list[int]:
    """The first ``count`` primes >= ``start``."""
    out: list[int] = []
    p = start
    while len(out) < count:
        if _is_prime(p):
            out.append(p)
        p += 1
    return out


def _ngram_rows(base: int, heads: int, n_layers: int, divisor: int) -> tuple[int, ...]:
    """Rows of each PLE layer's n-gram table (``Qwen4ExpTextNGramEmbedding.__init__``).

    Head ``k`` of the ``j``-th PLE layer hashes into ``_find_nth_prime_after(base - 1,
    j·heads + k + 1)``: the ``(j·heads + k + 1)``-th prime >= base, so every head of every
    layer has its own prime; the table stacks a layer's heads and pads the total to a
    multiple of ``make_ngram_vocab_size_divisible_by``.
    """
    primes = _primes_from(base, heads * n_layers)
    return tuple(
        math.ceil(sum(primes[j * heads : (j + 1) * heads]) / divisor) * divisor
        for j in range(n_layers)
    )


def _qwen4_exp_streams(r: Reader, f: Fields) -> tuple[HyperConnections, NGramEmbeddings | None]:
    """The hyper-connections and hashed n-gram layers, checked as Qwen4ExpTextConfig checks them.

    ``hc_count`` streams mixed through ``hc_lowrank``; ``ple_layer_ids`` (one-indexed,
    linear-attention layers only), ``ngram_size``, ``heads_per_ngram`` (the heads are
    ``(ngram_size - 1) · heads_per_ngram``), ``ple_embed_dim`` (default ``hidden_size``),
    ``ngram_vocab_size_base``, ``make_ngram_vocab_size_divisible_by`` and
    ``ple_conv_kernel_size``.
    """
    h, n, types = f["hidden_size"], f["num_layers"], f["layer_types"]
    hc = r.integer("hc_count")
    if hc <= 1:
        raise r.fail(f"field 'hc_count' must be greater than 1 (Qwen4-Exp), got {hc}")
    hcs = HyperConnections(streams=hc, rank=r.integer("hc_lowrank"))
    # Qwen4ExpTextConfig.__post_init__: sorted(set(ple_layer_ids)), one-indexed
    ids = sorted(set(r.layer_indices("ple_layer_ids") or []))
    if not ids:
        return hcs, None
    bad = [i for i in ids if not 1 <= i <= n]
    if bad:
        raise r.fail(f"ple_layer_ids must be one-indexed layers in [1, {n}], got {bad}")
    on_attention = [i for i in ids if types[i - 1] != "linear"]
    if on_attention:
        raise r.fail(f"PLE is only supported on linear_attention layers, got {on_attention}")
    size = r.integer("ngram_size")
    heads = max(size - 1, 0) * r.integer("heads_per_ngram")
    dim = r.opt_integer("ple_embed_dim")
    dim = h if dim is None else dim
    if heads <= 0 or dim <= 0 or dim % heads:
        raise r.fail(
            f"ple_embed_dim ({dim}) must be a positive multiple of the n-gram heads "
            f"((ngram_size - 1) x heads_per_ngram = {heads})"
        )
    base = r.integer("ngram_vocab_size_base")
    if base > _NGRAM_BASE_LIMIT or heads * len(ids) > 10**5:
        raise r.fail(
            f"n-gram tables of {heads * len(ids)} heads beyond {base:,} rows each exceed "
            "any model (limit 10**12 rows, 10**5 heads)"
        )
    div = c.positive(
        r, "make_ngram_vocab_size_divisible_by", r.integer("make_ngram_vocab_size_divisible_by")
    )
    kernel = c.positive(r, "ple_conv_kernel_size", r.integer("ple_conv_kernel_size"))
    ng = NGramEmbeddings(
        layers=tuple(i - 1 for i in ids),
        rows=_ngram_rows(base, heads, len(ids), div),
        dim=dim,
        heads=heads,
        ngram_size=size,
        conv_kernel=kernel,
    )
    return hcs, ng


def _qwen4_exp(r: Reader) -> Fields:
    """Qwen4-Exp: Gated DeltaNet and QSA-indexed gated attention, hyper-connections, MoE.

    ``Qwen4ExpTextConfig.__post_init__``: without ``layer_types``, layer i is
    ``indexed_attention`` where ``(i + 1) % full_attention_interval == 0`` (interval 4,
    popped from the config kwargs), ``linear_attention`` elsewhere.
    ``Qwen4ExpTextDecoderLayer``: ``Qwen4ExpTextGatedDeltaNet`` (Qwen3.5's split
    ``in_proj_qkv`` / ``in_proj_z`` / ``in_proj_b`` / ``in_proj_a``, unbiased conv over
    q, k, v, ``dt_bias``, ``A_log``, a gated RMSNorm of one value head, ``out_proj``) or
    ``Qwen4ExpTextAttention`` (``q_proj`` 2 · heads · head_dim: queries and the sigmoid
    output gate; q/k/v/o biased with ``attention_bias``; per-head ``q_norm`` / ``k_norm``;
    a ``Qwen4ExpTextQSAIndexer``); then always ``Qwen4ExpTextSparseMoeBlock`` (router
    ``gate`` (experts x h), fused ``experts``, one ``shared_expert`` MLP of
    ``shared_expert_intermediate_size`` and its ``shared_expert_gate`` (h -> 1)); no
    input / post-attention norms: the two ``Qwen4ExpTextGatedResidual`` hyper-connections
    norm each sub-block's input. ``Qwen4ExpTextModel`` has no final norm (its
    ``hyper_connection_mixer`` folds the streams back to h). ``Qwen4ExpForCausalLM`` ties
    ``lm_head`` with ``tie_word_embeddings``.
    """
    # no dense FFN anywhere (Qwen4ExpTextMLP is built with the shared expert's width only);
    # ModelConfig wants a positive intermediate_size: the experts' width as a placeholder
    r = _with(r, intermediate_size=r.integer("moe_intermediate_size"))
    f = c.sizes(r)
    f |= c.heads(r, f["hidden_size"])
    n = f["num_layers"]
    types = c.layer_list(r, n, names=_QWEN4_EXP_LAYERS) or _full_every(
        r, n, "full_attention_interval", 4
    )
    experts = r.integer("num_experts")
    top_k = r.integer("num_experts_per_tok")
    if experts == 0:
        raise r.fail("field 'num_experts' must be positive")
    if not 0 < top_k <= experts:
        raise r.fail(f"num_experts_per_tok ({top_k}) must be in [1, num_experts ({experts})]")
    moe = MoEConfig(
        n_routed_experts=experts,
        experts_per_token=top_k,
        expert_intermediate_size=c.positive(
            r, "moe_intermediate_size", r.integer("moe_intermediate_size")
        ),
        n_shared_experts=1,
        shared_expert_intermediate_size=c.positive(
            r, "shared_expert_intermediate_size", r.integer("shared_expert_intermediate_size")
        ),
        shared_expert_gate=True,
    )
    rotary = _qwen4_exp_rotary(r, f["head_dim"])
    bias = r.boolean("attention_bias", False)
    out = f | {
        "layer_types": tuple(types),
        "linear_attention": _gdn(r),
        "indexer": _qwen4_exp_indexer(r, types, rotary),
        "qkv_bias": bias,
        "o_bias": bias,
        "qk_norm": "head",
        # Qwen4ExpTextAttention: q_proj is 2 x heads x head_dim (queries and the output gate)
        "attn_output_gate": "fused",
        "moe": moe,
        # Qwen4ExpTextDecoderLayer builds the sparse block on every layer (no
        # decoder_sparse_step / mlp_only_layers in Qwen4ExpTextConfig)
        "moe_layers": (True,) * n,
        # the GatedResidual hyper-connections hold the norms; no final norm
        "layer_norms": 0,
        "final_norm": False,
        "rope_dim": rotary,
    }
    hcs, ng = _qwen4_exp_streams(r, out)
    return out | {"hyper_connections": hcs, "ngram_embeddings": ng}


#: Gemma4TextConfig keys that Gemma4UnifiedTextConfig removes (``= AttributeError()`` in
#: modular_gemma4_unified.py: "PLE and MoE is not used"); Gemma4UnifiedTextDecoderLayer
#: (a Gemma2DecoderLayer) never reads them, so a config.json that still writes them (the
#: released google/gemma-4-12B-it writes ``enable_moe_block: false``,
#: ``hidden_size_per_layer_input: 0``, ``num_experts: null``) builds neither
_GEMMA4_UNIFIED_UNUSED = (
    "hidden_size_per_layer_input",
    "vocab_size_per_layer_input",
    "enable_moe_block",
    "num_experts",
    "top_k_experts",
    "moe_intermediate_size",
)


def _gemma4_unified(r: Reader) -> Fields:
    """Gemma 4 unified (encoder-free 12B): Gemma 4's attention without PLE or MoE.

    ``Gemma4UnifiedTextConfig`` (``configuration_gemma4_unified.py``) and
    ``Gemma4UnifiedTextModel`` (``modeling_gemma4_unified.py``), transformers 5.24, read
    as :func:`_gemma4` reads ``gemma4_text``, which builds the same attention and MLP:

    * ``Gemma4UnifiedTextAttention`` (= ``Gemma4TextAttention``): per-head q/k norms, a
      weightless v norm; full layers ``global_head_dim`` wide (default 512, a popped
      kwarg); with ``attention_k_eq_v`` they have no ``v_proj`` (V is K before its norm)
      and ``num_global_key_value_heads`` KV heads; the last ``num_kv_shared_layers`` layers
      have no k/v projections or norms and read the last earlier non-sharing layer of
      their kind (``kv_sharing_modes``).
    * ``Gemma4UnifiedTextMLP`` (= ``Gemma4TextMLP``): gated, twice as wide on KV-sharing
      layers with ``use_double_wide_mlp``.
    * ``Gemma4UnifiedTextDecoderLayer`` (a ``Gemma2DecoderLayer``): four norms, and no
      per-layer-input gate/projection/norm, router or experts; ``Gemma4UnifiedTextModel``
      builds no ``embed_tokens_per_layer`` / ``per_layer_model_projection``. The keys of
      :data:`_GEMMA4_UNIFIED_UNUSED` are therefore not read (noted where a file sets one).
    * ``layer_types``: given, else full on every 6th layer; the last layer forced full.
    * ``use_bidirectional_attention`` (default ``"vision"``: image tokens attend to their
      whole image block in the prefill; no parameter or cache changes). With ``"all"``,
      ``__post_init__`` sets ``sliding_window = sliding_window // 2 + 1`` (the
      ``config.json`` keeps the unconverted value: ``to_dict`` writes it back), which is
      the window the sliding layers' cache keeps.
    * the head: tied where the wrapper's ``tie_word_embeddings`` says (default true;
      ``Gemma4UnifiedForConditionalGeneration._tied_weights_keys``).

    :func:`_gemma4` refuses KV sharing that leaves a layer kind with no earlier
    non-sharing layer (``kv_sharing_modes``) or that covers every layer.
    """
    unused = [k for k in _GEMMA4_UNIFIED_UNUSED if r.raw(k) not in (ABSENT, None, 0, False)]
    if unused:
        r.note(
            f"{', '.join(unused)} not read (Gemma4UnifiedTextConfig has no per-layer inputs "
            "or MoE block)"
        )
    f = _gemma4(
        _with(
            r,
            hidden_size_per_layer_input=0,
            vocab_size_per_layer_input=None,
            enable_moe_block=False,
        )
    )
    return f


def _grouped_moe(r: Reader, layers: tuple[bool, ...], router: str) -> MoEConfig | None:
    """DeepSeek-V3's MoE (routed experts of ``moe_intermediate_size``, one shared MLP of
    ``n_shared_experts`` of them) on ``layers``, None where no layer is MoE; ``router``
    (the family's group-limited router) views the scores as ``n_group`` groups, so
    ``n_group`` must divide the experts."""
    if not any(layers):
        return None
    m = c.moe(
        r,
        experts="n_routed_experts",
        top_k="num_experts_per_tok",
        inter="moe_intermediate_size",
        shared="n_shared_experts",
    )
    groups = r.integer("n_group", 1)
    if groups == 0 or m.n_routed_experts % groups:
        raise r.fail(
            f"n_group ({groups}) must divide n_routed_experts ({m.n_routed_experts}): "
            f"{router} views the scores as n_group groups"
        )
    return m


#: HYV4Config.__post_init__ fills layer_types with this one kind; HYV4Model masks every
#: layer with causal_mask_mapping["indexed_attention"] and DynamicCache maps it to
#: DynamicIndexedLayer (the MLA latent plus the indexer key)
_HY_V4_LAYER = "indexed_attention"


def _hy_v4_kinds(
    r: Reader, key: str, n: int, known: tuple[str, str], default: list[str]
) -> list[str]:
    """A per-layer list of one of two names (``mlp_layer_types``, ``indexer_types``)."""
    raw = r.sequence(key)
    if raw is None:
        return default
    if len(raw) != n:
        raise r.fail(f"field {key!r} has {len(raw)} entries for {n} layers")
    for i, t in enumerate(raw):
        if t not in known:
            raise r.fail(f"{key}[{i}] = {t!r} is not supported (known: {', '.join(known)})")
    return list(raw)


def _hy_v4(r: Reader) -> Fields:
    """Hy4 (``HYV4ForCausalLM``): MLA with a DSA indexer, a sigmoid output gate and sinks,
    MoE after one dense layer, hyper-connections around every sub-block.

    ``HYV4Attention`` (DeepSeek-V3.2 MLA, ``GlmMoeDsaAttention``): ``q_a_proj`` (bias with
    ``attention_bias``), ``q_a_layernorm``, ``q_b_proj`` (``q_lora_rank`` → heads ·
    (nope + rope)); ``kv_a_proj_with_mqa`` (bias with ``attention_bias``),
    ``kv_a_layernorm``, ``kv_b_proj``; ``o_proj`` (bias with ``attention_bias``). The query
    LoRA is always built (``nn.Linear(hidden, q_lora_rank)``): a null ``q_lora_rank`` is
    refused. Besides: ``gate_proj`` (hidden → heads · ``v_head_dim``, no bias; a sigmoid
    gate on the attention output, llmsizing's ``attn_output_gate="separate"``) and
    ``sinks`` (one logit per head, ``attention_sinks``). ``HYV4Config.__post_init__`` sets
    ``num_key_value_heads = num_attention_heads`` and ``head_dim = qk_rope_head_dim``
    (both keys are ignored); every layer is ``indexed_attention``.

    ``HYV4Indexer`` (``DeepseekV32Indexer``) on layers whose ``indexer_types`` entry is
    ``"full"`` (``self.indexer = None if skip_topk``): ``wq_b`` (``q_lora_rank`` →
    ``index_n_heads`` · ``index_head_dim``), ``wk`` (hidden → ``index_head_dim``), a
    ``k_norm`` LayerNorm with bias, ``weights_proj`` (hidden → ``index_n_heads``).
    Default ``indexer_types``: ``"full"`` on layer 0 and where ``(i - 1) % 4 == 0``,
    ``"shared"`` elsewhere. A ``"shared"`` layer reuses the last full layer's top-k and
    raises without one, so layer 0 must be ``"full"``. The indexer rotates the last
    ``qk_rope_head_dim`` of its ``index_head_dim`` (``torch.split``), which therefore
    may not be narrower.

    ``HYV4DecoderLayer``: ``HYV4MoE`` where ``mlp_layer_types`` says ``"sparse"``,
    ``HYV4MLP`` (gated, ``intermediate_size``) elsewhere; default ``["dense"] +
    ["sparse"] * (n - 1)``. ``HYV4MoE`` (``Glm4MoeLiteMoE``): ``HYV4TopkRouter`` (a
    weight of ``n_routed_experts`` × hidden; ``e_score_correction_bias`` is a buffer),
    fused ``HYV4Experts`` (``gate_up_proj``, ``down_proj`` of ``moe_intermediate_size``),
    ``shared_experts`` = one ``HYV4MLP`` of ``moe_intermediate_size · n_shared_experts``.
    ``input_layernorm``, ``post_attention_layernorm``, and two ``HYV4HyperConnection``
    (``attn_hc``, ``ffn_hc``: ``fn`` (2 · ``hc_mult``, ``hc_mult`` · hidden), ``base``
    (2 · ``hc_mult``), ``scale`` (2)); ``HYV4Model``: ``norm`` and ``hc_head``
    (``HYV4HyperHead``: ``hc_fn`` (``hc_mult``, ``hc_mult`` · hidden), ``hc_base``,
    ``hc_scale`` (1)): ``HyperConnections(kind="independent", head=True)``.

    ``HYV4ForCausalLM``: ``lm_head`` tied with ``tie_word_embeddings`` (default False).
    The checkpoint's ``model.mtp_layers.*`` are skipped on load
    (``_keys_to_ignore_on_load_unexpected``) and not described by ``HYV4Config``: not
    counted. ``swiglu_limit``, ``hc_magnitude``, ``hc_eps``, ``n_group`` / ``topk_group``
    shape no parameter.
    """
    f = c.sizes(r)
    f |= c.heads(r, f["hidden_size"], mla=True)
    n = f["num_layers"]
    if r.opt_integer("q_lora_rank") is None:
        raise r.fail(
            "field 'q_lora_rank' must be an integer: HYV4Attention always builds the query "
            "LoRA (q_a_proj, q_a_layernorm, q_b_proj) and its indexer reads q_a's output"
        )
    bias = r.boolean("attention_bias", False)
    a = c.mla(r, bias=bias)
    kinds = r.sequence("layer_types")
    if kinds is not None:
        if len(kinds) != n:
            raise r.fail(f"field 'layer_types' has {len(kinds)} entries for {n} layers")
        for i, t in enumerate(kinds):
            if t != _HY_V4_LAYER:
                raise r.fail(
                    f"layer_types[{i}] = {t!r} is not supported: HYV4Model attends every layer "
                    f"through the {_HY_V4_LAYER!r} mask and cache (DynamicIndexedLayer)"
                )
    # HYV4Config: ["dense"] * min(1, n) + ["sparse"] * max(n - 1, 0)
    mlp = _hy_v4_kinds(
        r, "mlp_layer_types", n, ("dense", "sparse"), ["dense"] + ["sparse"] * (n - 1)
    )
    # HYV4Config: "full" if i == 0 or (i - 1) % 4 == 0 else "shared"
    default_idx = ["full" if i == 0 or (i - 1) % 4 == 0 else "shared" for i in range(n)]
    idx = _hy_v4_kinds(r, "indexer_types", n, ("full", "shared"), default_idx)
    if n and idx[0] != "full":
        raise r.fail(
            "indexer_types[0] must be 'full': a 'shared' layer reuses the top-k of an earlier "
            "full indexer layer (HYV4Attention raises without one)"
        )
    rope = a.qk_rope_head_dim
    index_dim = r.integer("index_head_dim")
    if index_dim < rope:
        raise r.fail(
            f"index_head_dim ({index_dim}) must be at least qk_rope_head_dim ({rope}): "
            "HYV4Indexer rotates the last qk_rope_head_dim values of each indexer head"
        )
    indexer = IndexerConfig(
        n_heads=r.integer("index_n_heads"),
        head_dim=index_dim,
        topk=r.integer("index_topk"),
        layers=tuple(t == "full" for t in idx),
    )
    streams = r.integer("hc_mult")
    if streams == 0:
        raise r.fail(
            "field 'hc_mult' must be positive (HYV4Model expands the input to hc_mult streams)"
        )
    moe_layers = tuple(t == "sparse" for t in mlp)
    m = _grouped_moe(r, moe_layers, "HYV4TopkRouter")
    return (
        f
        | c.mla_fields(a)
        | {
            "o_bias": bias,
            "layer_types": ("full",) * n,
            "mla": a,
            "indexer": indexer,
            "moe": m,
            "moe_layers": moe_layers,
            # every layer: gate_proj (hidden -> heads x v_head_dim) and one sink per head
            "attn_output_gate": "separate",
            "attention_sinks": True,
            # HYV4RotaryEmbedding always runs (rope_parameters has a default), over
            # head_dim = qk_rope_head_dim
            "rope_dim": rope,
            # HYV4HyperConnection (the comb-less mix) twice a layer, HYV4HyperHead at the end
            "hyper_connections": HyperConnections(streams=streams, kind="independent", head=True),
        }
    )


#: Glm5NextTextConfig's layer kinds ("full_attention" is renamed "indexed_attention" in
#: __post_init__); Glm5NextTextModel masks with a {"indexed_attention", "linear_attention"} map
_GLM5_NEXT_LAYERS = {
    "linear_attention": "linear",
    "indexed_attention": "full",
    "full_attention": "full",
}


def _glm5_next_indexer_types(r: Reader, n: int) -> list[str]:
    """``Glm5NextTextConfig.__post_init__``: ``indexer_types``, else ``index_topk_pattern``
    (a string of F / S, or a list), else ``full`` where ``max(i - offset + 1, 0) % freq == 0``
    (``index_topk_freq`` 1, ``index_skip_topk_offset`` 2: every layer full)."""
    types = r.sequence("indexer_types")
    if types is None:
        pattern = r.raw("index_topk_pattern")
        if isinstance(pattern, str):
            types = [{"F": "full", "S": "shared"}.get(ch, ch) for ch in pattern]
        elif isinstance(pattern, list):
            types = list(pattern)
        else:
            freq = max(r.integer("index_topk_freq", 1, why="Glm5NextTextConfig default"), 1)
            offset = r.integer("index_skip_topk_offset", 2, why="Glm5NextTextConfig default")
            types = ["full" if max(i - offset + 1, 0) % freq == 0 else "shared" for i in range(n)]
    if len(types) != n:
        raise r.fail(f"field 'indexer_types' has {len(types)} entries for {n} layers")
    for i, t in enumerate(types):
        if t not in ("full", "shared"):
            raise r.fail(f"indexer_types[{i}] = {t!r} is not supported (known: full, shared)")
    return list(types)


def _glm5_next_linear(r: Reader) -> LinearAttentionConfig:
    """``Glm5NextTextLinearAttention`` (Kimi Delta Attention): ``linear_*`` keys, which a
    ``linear_attn_config`` object (``head_dim``, ``num_heads``, ``short_conv_kernel_size``)
    overrides (``Glm5NextTextConfig.__post_init__``)."""
    la = r.mapping("linear_attn_config")
    dims = {
        "head_dim": la.get("head_dim", r.integer("linear_head_dim")),
        "num_heads": la.get("num_heads", r.integer("linear_num_heads")),
        "short_conv_kernel_size": la.get(
            "short_conv_kernel_size", r.integer("linear_conv_kernel_dim")
        ),
    }
    for k, v in dims.items():
        if isinstance(v, bool) or not isinstance(v, int) or v <= 0:
            # the kernel too: nn.Conv1d over q, k and v is always built (kernel_size >= 1)
            raise r.fail(f"linear attention {k} must be a positive integer, got {v!r}")
    return LinearAttentionConfig(
        kind="kda",
        num_heads=dims["num_heads"],
        head_dim=dims["head_dim"],
        conv_kernel=dims["short_conv_kernel_size"],
    )


def _glm5_next(r: Reader) -> Fields:
    """GLM-5.3-Flash's text model (``Glm5NextTextModel``, ``glm5_next_text``).

    ``Glm5NextTextDecoderLayer``: ``layer_types`` (default ``linear_attention`` where
    ``i % 4 != 3``, ``indexed_attention`` on every 4th layer) picks the mixer.
    ``Glm5NextTextLinearAttention`` is Kimi Delta Attention, with tensors as Kimi Linear's:
    ``q/k/v_proj``, an unbiased depthwise ``conv1d`` over the three, ``forget_gate`` (``f_a``,
    ``f_b``, ``dt_bias``, ``A_log``), ``b_proj``, ``g_a/g_b_proj``, a gated ``o_norm``,
    ``o_proj``: llmsizing's ``kda``. ``Glm5NextTextAttention`` is DeepSeek-V3.2 MLA without
    RoPE: ``validate_architecture`` requires ``qk_rope_head_dim == 0`` and a ``q_lora_rank``;
    ``q_a_proj``, ``kv_a_proj_with_mqa`` and ``o_proj`` carry ``attention_bias``.

    ``Glm5NextTextIndexer`` (DSA with k-pooling) on indexed layers whose ``indexer_types``
    entry is ``"full"``: ``wq_b``, ``wk``, ``k_norm`` (LayerNorm with bias),
    ``weights_proj``, as DeepSeek-V3.2's, plus ``index_kpool_compress_ape`` (``index_kpool``
    × ``index_head_dim``) and ``index_kpool_compress_gate`` (``index_head_dim`` × hidden)
    (``IndexerConfig.kpool``; the pool-gate logits transformers caches beside each key are
    not counted, since no engine serves the model yet). It scores pools of ``index_kpool``
    tokens and keeps ``index_topk / index_kpool`` of them, plus, with
    ``index_kpool_always_select_tail``, the up to ``index_kpool - 1`` tokens of the open
    pool. A query therefore attends to at most ``index_topk + index_kpool - 1`` tokens,
    which is the ``topk`` given to llmsizing. A ``"shared"`` indexed layer reuses the top-k
    only of the layer just before it, and only if that one is an indexed ``"full"`` layer
    (``next_skip_topk``; a linear layer or another shared layer passes None and the forward
    raises). Such layers are refused. ``validate_architecture``: ``num_key_value_heads ==
    num_attention_heads`` (the class default of 64 is not replaced), ``index_kpool >= 1``,
    ``index_topk % index_kpool == 0``.

    FFN: ``mlp_layer_types`` (default the first 3 layers dense). A dense layer is
    ``Glm5NextTextMLP`` (``intermediate_size``, SwiGLU clamped at ``swiglu_limit``); a sparse
    one is ``Glm5NextTextMoE``: router weight (E × hidden; ``e_score_correction_bias`` is a
    buffer), fused experts of ``moe_intermediate_size``, and a shared MLP of
    ``moe_intermediate_size · n_shared_experts``. Per layer also ``input_layernorm``,
    ``post_attention_layernorm`` and two ``Glm5NextTextHyperConnection`` (DeepSeek-V4's mHC:
    ``fn`` ((2 + N) · N, N · hidden), ``base`` ((2 + N) · N), ``scale`` (3)).
    ``Glm5NextTextHyperHead`` is a plain mean: ``HyperConnections(kind="mhc")``.
    No rotary embedding anywhere (``position_embeddings=None``).
    The checkpoint's MTP layer (``layers.45.*``, ``shared_head``) is skipped on load and not
    described by the config: not counted.
    """
    f = c.sizes(r)
    f |= c.heads(r, f["hidden_size"], mla=True)
    n, nh = f["num_layers"], f["num_heads"]
    # __post_init__ replaces only a null num_key_value_heads by the heads
    kv = nh if r.raw("num_key_value_heads") is None else r.integer("num_key_value_heads")
    if kv != nh:
        raise r.fail(
            f"num_key_value_heads ({kv}) must equal num_attention_heads ({nh}) "
            "(Glm5NextTextConfig.validate_architecture; the class default is 64)"
        )
    types = c.layer_list(r, n, names=_GLM5_NEXT_LAYERS) or [
        "linear" if i % 4 != 3 else "full" for i in range(n)
    ]
    if r.opt_integer("q_lora_rank") is None:
        raise r.fail(
            "field 'q_lora_rank' must be an integer: the DSA layers need the query LoRA "
            "(Glm5NextTextConfig.validate_architecture)"
        )
    if r.integer("qk_rope_head_dim"):
        raise r.fail(
            "qk_rope_head_dim must be 0: GLM-5.3-Flash's attention has no RoPE "
            "(Glm5NextTextConfig.validate_architecture)"
        )
    bias = r.boolean("attention_bias", False)
    a = MLAConfig(
        q_lora_rank=r.integer("q_lora_rank"),
        kv_lora_rank=r.integer("kv_lora_rank"),
        qk_nope_head_dim=r.integer("qk_nope_head_dim"),
        qk_rope_head_dim=0,
        v_head_dim=r.integer("v_head_dim"),
        bias=bias,
    )
    idx = _glm5_next_indexer_types(r, n)
    for i in range(n):
        if (
            types[i] == "full"
            and idx[i] == "shared"
            and not (i and types[i - 1] == "full" and idx[i - 1] == "full")
        ):
            before = f"layer {i - 1}" if i else "a layer before layer 0"
            raise r.fail(
                f"indexer_types[{i}] = 'shared' on an indexed layer needs {before} to be an "
                "indexed layer with its own ('full') indexer: Glm5NextTextAttention takes the "
                "top-k only from the layer just before it, and raises without it"
            )
    kpool = r.integer("index_kpool")
    topk = r.integer("index_topk")
    if kpool == 0 or topk % kpool:
        raise r.fail(
            f"index_topk ({topk}) must be a multiple of index_kpool ({kpool}) "
            "(Glm5NextTextConfig.validate_architecture)"
        )
    tail = r.boolean("index_kpool_always_select_tail", True)
    indexer = IndexerConfig(
        n_heads=r.integer("index_n_heads"),
        head_dim=r.integer("index_head_dim"),
        # index_topk / index_kpool pools of index_kpool tokens, and the open pool's tail
        topk=topk + (kpool - 1 if tail else 0),
        layers=tuple(t == "full" and x == "full" for t, x in zip(types, idx, strict=True)),
        kpool=kpool,
    )
    streams = r.integer("hc_mult")
    if streams == 0:
        raise r.fail("field 'hc_mult' must be positive (the model runs hc_mult residual streams)")
    raw_mlp = r.sequence("mlp_layer_types")
    if raw_mlp is None:
        # Glm5NextTextConfig: ["dense"] * min(3, n) + ["sparse"] * (n - 3)
        mlp = ["dense"] * min(3, n) + ["sparse"] * (n - 3)
    else:
        if len(raw_mlp) != n:
            raise r.fail(f"field 'mlp_layer_types' has {len(raw_mlp)} entries for {n} layers")
        for i, t in enumerate(raw_mlp):
            if t not in ("dense", "sparse"):
                raise r.fail(
                    f"mlp_layer_types[{i}] = {t!r} is not supported (known: dense, sparse)"
                )
        mlp = list(raw_mlp)
    moe_layers = tuple(t == "sparse" for t in mlp)
    m = _grouped_moe(r, moe_layers, "Glm5NextTextTopkRouter")
    return (
        f
        | c.mla_fields(a)
        | {
            "o_bias": bias,
            "layer_types": tuple(types),
            "mla": a,
            "indexer": indexer,
            "linear_attention": _glm5_next_linear(r),
            "moe": m,
            "moe_layers": moe_layers,
            # NoPE: Glm5NextTextModel passes position_embeddings=None to every layer
            "rope_dim": 0,
            # Glm5NextTextHyperConnection (DeepSeek-V4's mHC) twice a layer, a mean at the end
            "hyper_connections": HyperConnections(streams=streams, kind="mhc"),
        }
    )


#: OlmoHybridModel.forward builds masks for these two kinds only (``causal_mask_mapping``:
#: any other kind is a KeyError); PreTrainedConfig remaps the legacy "attention" to
#: "full_attention"
_OLMO_HYBRID_LAYERS = {
    "full_attention": "full",
    "attention": "full",
    "linear_attention": "linear",
}


def _olmo_hybrid_rope_dim(r: Reader, head_dim: int) -> int:
    """Dimensions RoPE rotates on the full-attention layers; 0 in NoPE mode.

    ``OlmoHybridModel``: no rotary embedding when ``rope_parameters["rope_theta"]`` is null
    (the released checkpoints); PreTrainedConfig takes the theta from ``rope_parameters``
    (or the legacy ``rope_scaling``), else the top-level ``rope_theta``, else 10000.
    ``OlmoHybridRotaryEmbedding`` rotates the whole ``head_dim`` for the ``default`` type;
    the other types (``ROPE_INIT_FUNCTIONS``) ``partial_rotary_factor`` of it. Linear layers
    take no position embeddings.
    """
    params = r.raw("rope_parameters")
    if not isinstance(params, Mapping):
        params = r.raw("rope_scaling")
    if not isinstance(params, Mapping):
        params = {}
    theta = params["rope_theta"] if "rope_theta" in params else r.raw("rope_theta")
    if theta is None:
        r.note("no RoPE (rope_theta is null: OlmoHybridModel runs NoPE)")
        return 0
    frac = 1.0
    if params.get("rope_type", "default") != "default":
        f = params.get("partial_rotary_factor", 1.0)
        frac = f if isinstance(f, int | float) and not isinstance(f, bool) and 0 < f <= 1 else 1.0
    return int(head_dim * frac)


def _olmo_hybrid(r: Reader) -> Fields:
    """OLMo Hybrid: Gated DeltaNet layers and OLMo 3 attention layers, a gated MLP in each.

    ``OlmoHybridConfig.__post_init__``: without ``layer_types``, layer i is
    ``full_attention`` where ``i % 4 == 3``, else ``linear_attention``, and the last layer
    is full when no other is; ``linear_num_key_heads`` / ``linear_num_value_heads`` default
    to ``num_attention_heads``, ``linear_key_head_dim`` to ``int(0.75 · hidden_size /
    linear_num_key_heads)``, ``linear_value_head_dim`` to twice that;
    ``validate_architecture`` refuses a stack without a linear or without a full layer.
    ``OlmoHybridAttentionDecoderLayer`` (OLMo 3, post-norm): ``OlmoHybridAttention`` with
    q/k/v/o all biased with ``attention_bias``, ``head_dim`` = ``getattr(config, "head_dim",
    hidden_size // num_attention_heads)`` (the class has no such field; a written key is
    kept), ``q_norm`` / ``k_norm`` RMSNorms over the whole q and k projections, no sliding
    window; ``post_attention_layernorm``, ``post_feedforward_layernorm``.
    ``OlmoHybridLinearAttentionDecoderLayer`` (pre-norm): ``input_layernorm``,
    ``post_attention_layernorm`` and ``OlmoHybridGatedDeltaNet``: ``q_proj`` / ``k_proj``
    (h -> nk·dk), ``v_proj`` and the gate ``g_proj`` (h -> nv·dv), ``a_proj`` / ``b_proj``
    (h -> nv), all unbiased, a bias-free depthwise ``conv1d`` over q, k, v
    (``linear_conv_kernel_dim``), ``A_log`` and ``dt_bias`` per value head, ``o_norm``
    (gated RMSNorm over one value head), ``o_proj`` — the tensors of Qwen3-Next's
    ``in_proj_qkvz`` / ``in_proj_ba`` split apart, so ``gated_deltanet`` counts them exactly.
    ``OlmoHybridMLP``: gate/up/down of ``intermediate_size``, unbiased, in every layer.
    ``OlmoHybridModel``: final ``norm``; ``OlmoHybridForCausalLM`` ties its head with
    ``tie_word_embeddings`` (default false).
    """
    if "head_dim" in r.data and r.data["head_dim"] is None:
        # OlmoHybridAttention: getattr(config, "head_dim", ...) returns the null itself
        raise r.fail("field 'head_dim' is null (OlmoHybridAttention cannot size its heads)")
    f = c.sizes(r)
    f |= c.heads(r, f["hidden_size"])
    n = f["num_layers"]
    types = c.layer_list(r, n, names=_OLMO_HYBRID_LAYERS)
    if types is None:
        types = ["full" if i % 4 == 3 else "linear" for i in range(n)]
        if "full" not in types and types:
            types[-1] = "full"
        r.note(
            "layer_types: full at i % 4 == 3 (and the last layer if none), else linear "
            "(OlmoHybridConfig default)"
        )
    if "linear" not in types:
        raise r.fail(
            "OLMo Hybrid needs at least one 'linear_attention' layer "
            "(OlmoHybridConfig.validate_architecture)"
        )
    if "full" not in types:
        raise r.fail(
            "OLMo Hybrid needs at least one attention layer "
            "(OlmoHybridConfig.validate_architecture)"
        )
    nh, hidden = f["num_heads"], f["hidden_size"]
    why = "OlmoHybridConfig: num_attention_heads"
    nk = c.positive(r, "linear_num_key_heads", r.integer("linear_num_key_heads", nh, why=why))
    nv = c.positive(r, "linear_num_value_heads", r.integer("linear_num_value_heads", nh, why=why))
    dk = r.integer(
        "linear_key_head_dim",
        int(0.75 * hidden / nk),
        why="OlmoHybridConfig: int(0.75 * hidden_size / linear_num_key_heads)",
    )
    dv = r.integer("linear_value_head_dim", 2 * dk, why="OlmoHybridConfig: 2 * linear_key_head_dim")
    if nv % nk:
        # the gated delta rule (torch and FLA) shares each key head among nv / nk value heads
        raise r.fail(
            f"linear_num_value_heads ({nv}) must be a multiple of linear_num_key_heads ({nk})"
        )
    kernel = c.positive(r, "linear_conv_kernel_dim", r.integer("linear_conv_kernel_dim"))
    bias = r.boolean("attention_bias", False)
    return f | {
        "layer_types": tuple(types),
        "linear_attention": LinearAttentionConfig(
            kind="gated_deltanet",
            num_heads=nv,
            head_dim=dv,
            num_k_heads=nk,
            head_k_dim=dk,
            conv_kernel=kernel,
        ),
        "qkv_bias": bias,
        "o_bias": bias,
        "qk_norm": "full",
        "rope_dim": _olmo_hybrid_rope_dim(r, f["head_dim"]),
    }


#: BailingHybridModel.forward builds masks for these two kinds only (any other kind is a
#: KeyError, and BailingHybridDecoderLayer builds BailingHybridDeltaAttention for it);
#: PreTrainedConfig remaps the legacy "attention" to "full_attention"
_BAILING_LAYERS = {
    "full_attention": "full",
    "attention": "full",
    "linear_attention": "linear",
}


def _bailing_mlp_layers(r: Reader, n: int) -> tuple[bool, ...]:
    """Which layers are MoE: ``mlp_layer_types`` (``sparse`` / ``dense``), else the first
    ``first_k_dense_replace`` layers dense (``BailingHybridConfig.__post_init__``).

    ``BailingHybridDecoderLayer``: ``BailingHybridMoE`` where the entry is ``sparse``, else
    ``BailingHybridMLP``; the class validator refuses any other entry.
    """
    raw = r.sequence("mlp_layer_types")
    if raw is None:
        first = r.integer("first_k_dense_replace")
        return tuple(i >= first for i in range(n))
    if len(raw) != n:
        raise r.fail(f"field 'mlp_layer_types' has {len(raw)} entries for {n} layers")
    for i, t in enumerate(raw):
        if t not in ("sparse", "dense"):
            raise r.fail(f"mlp_layer_types[{i}] = {t!r} is not supported (known: dense, sparse)")
    return tuple(t == "sparse" for t in raw)


def _bailing_router(r: Reader, experts: int, top_k: int) -> None:
    """Refuse a group-limited router ``BailingHybridTopkRouter`` cannot run.

    It views the scores as ``n_group`` groups of ``experts / n_group``, scores each group
    by its top two and keeps the top ``topk_group`` groups.
    """
    g = c.positive(r, "n_group", r.integer("n_group"))
    if experts % g:
        raise r.fail(f"n_group ({g}) must divide the {experts} experts (group-limited router)")
    if experts // g < 2:
        raise r.fail(f"each of the {g} expert groups needs at least 2 experts (router top-2)")
    tg = r.integer("topk_group")
    if not 0 < tg <= g:
        raise r.fail(f"topk_group ({tg}) must be between 1 and n_group ({g})")
    if top_k > experts:
        raise r.fail(f"num_experts_per_tok ({top_k}) exceeds the {experts} experts")


def _bailing_linear(r: Reader, key: str, source: str) -> int:
    """A KDA size: the file's ``linear_*`` key, else the key ``__post_init__`` copies it from.

    ``BailingHybridConfig.__post_init__`` sets ``linear_num_heads = num_attention_heads``,
    ``linear_head_dim = head_dim``, ``linear_conv_kernel_dim = short_conv_kernel_size``, then
    ``PreTrainedConfig.__post_init__`` sets the file's extra keys over them: a config saved by
    transformers writes all three (and ``head_dim`` as ``qk_rope_head_dim``), so the
    ``linear_*`` keys win.
    """
    if r.raw(key) is None:
        raise r.fail(f"field {key!r} is null (BailingHybridDeltaAttention cannot size itself)")
    if r.has(key):
        return c.positive(r, key, r.integer(key))
    return c.positive(r, source, r.integer(source))


def _bailing_hybrid(r: Reader) -> Fields:
    """BailingHybrid (Ling 3): KDA and gated-MLA layers, a dense MLP or DeepSeek MoE in each.

    ``BailingHybridConfig.__post_init__``: without ``layer_types``, layer i is
    ``full_attention`` where ``(i + 1) % layer_group_size == 0`` (default 6), else
    ``linear_attention``; the KDA layers have ``linear_num_heads`` heads of
    ``linear_head_dim`` and a ``linear_conv_kernel_dim`` convolution, each the file's key if
    it has one, else ``num_attention_heads``, ``head_dim`` (default 128, read before
    DeepseekV3Config overwrites ``head_dim`` with ``qk_rope_head_dim`` for the rotary table)
    and ``short_conv_kernel_size`` (``_bailing_linear``).
    ``BailingHybridDecoderLayer``: ``input_layernorm``, ``post_attention_layernorm``;
    ``self_attn`` is ``BailingHybridAttention`` on full layers, else
    ``BailingHybridDeltaAttention``.
    ``BailingHybridAttention`` (DeepseekV3Attention): ``q_proj`` (or ``q_a_proj`` biased
    with ``attention_bias``, ``q_a_layernorm``, ``q_b_proj``), ``kv_a_proj_with_mqa``
    (biased), ``kv_a_layernorm``, ``kv_b_proj``, ``o_proj`` (biased), plus ``g_proj``
    (h -> heads, unbiased): a sigmoid gate per head (``attn_output_gate="head"``).
    ``BailingHybridDeltaAttention``: ``q_proj``/``k_proj``/``v_proj`` (h -> H·D), a
    bias-free depthwise ``conv1d`` over the three, ``forget_gate`` (``A_log`` per head,
    ``dt_bias`` per channel, ``f_proj`` h -> H·D), ``b_proj`` (h -> H), ``o_norm`` (gated
    RMSNorm over one head), ``g_proj`` (h -> H·D), ``o_proj``; all unbiased: ``kda`` with
    ``full_rank_gates``.
    ``BailingHybridMoE`` (DeepseekV3MoE): fused ``experts`` of ``moe_intermediate_size``,
    ``gate`` (experts x hidden; ``e_score_correction_bias`` is a buffer) and one
    ``shared_experts`` MLP of ``moe_intermediate_size · n_shared_experts``; dense layers
    ``BailingHybridMLP`` of ``intermediate_size``.
    ``BailingHybridModel``: final ``norm``; RoPE (``qk_rope_head_dim``) on MLA layers;
    ``num_mtp_layers`` MTP blocks live in the checkpoint only (loaded into nothing).
    ``BailingHybridForCausalLM``: ``_tied_weights_keys = {}``, the head is never tied.
    """
    f = c.sizes(r)
    f |= c.heads(r, f["hidden_size"], mla=True)
    n = f["num_layers"]
    types = c.layer_list(r, n, names=_BAILING_LAYERS)
    if types is None:
        g = c.positive(r, "layer_group_size", r.integer("layer_group_size"))
        types = ["full" if (i + 1) % g == 0 else "linear" for i in range(n)]
        r.note(f"layer_types: full where (i + 1) % {g} == 0, else linear (BailingHybridConfig)")
    bias = r.boolean("attention_bias", False)
    a = c.mla(r, bias=bias)
    layers = _bailing_mlp_layers(r, n)
    m = None
    if any(layers):
        m = c.moe(
            r,
            experts="num_local_experts",
            top_k="num_experts_per_tok",
            inter="moe_intermediate_size",
            shared="n_shared_experts",
        )
        _bailing_router(r, m.n_routed_experts, m.experts_per_token)
        sw = r.raw("moe_shared_expert_intermediate_size")
        if isinstance(sw, int) and sw != m.shared_expert_intermediate_size:
            r.note(
                f"moe_shared_expert_intermediate_size={sw} ignored (BailingHybridMoE builds "
                f"moe_intermediate_size x n_shared_experts = {m.shared_expert_intermediate_size})"
            )
    nl = _bailing_linear(r, "linear_num_heads", "num_attention_heads")
    hd = _bailing_linear(r, "linear_head_dim", "head_dim")
    kernel = _bailing_linear(r, "linear_conv_kernel_dim", "short_conv_kernel_size")
    la = LinearAttentionConfig(
        kind="kda", num_heads=nl, head_dim=hd, conv_kernel=kernel, full_rank_gates=True
    )
    out = (
        f
        | c.mla_fields(a)
        | {
            "o_bias": bias,
            "layer_types": tuple(types),
            "mla": a,
            "linear_attention": la,
            "moe": m,
            "moe_layers": layers if m is not None else (),
            # the MTP block (checkpoint only): enorm, hnorm, eh_proj, a gated-MLA MoE layer
            "mtp_layers": r.integer("num_mtp_layers"),
            # BailingHybridRotaryEmbedding: head_dim = qk_rope_head_dim, always on
            "rope_dim": a.qk_rope_head_dim,
        }
    )
    if out["mtp_layers"] and types[-1] != "full":
        # ModelConfig models an MTP block as a copy of the last decoder layer
        r.note(
            "MTP block counted as a copy of the last (linear) layer; Ling 3's "
            "BailingMoeV3MTPLayer is a gated-MLA layer"
        )
    # BailingHybridAttention's g_proj: one sigmoid gate per head
    return out | {"attn_output_gate": "head"}


def _jetmoe(r: Reader) -> Fields:
    """JetMoE: a mixture of attention heads and an MoE MLP in every layer.

    ``JetMoeConfig.__post_init__``: ``num_attention_heads = num_key_value_heads ·
    num_experts_per_tok`` (a file's value is overwritten); heads of ``kv_channels``
    (alias ``head_dim``). ``JetMoeAttention``: ``JetMoeMoA`` (a router over
    ``num_local_experts``, per expert a query projection h → kv_heads · kv_channels and an
    output projection back, an output bias of h) and one unbiased ``kv_proj`` (h → K, V);
    K and V of ``num_key_value_heads`` heads are cached (the top-k query groups share them),
    RoPE over all of ``kv_channels``. ``JetMoeMoE``: the same router over gated experts
    (``input_linear`` h → 2 · intermediate_size, ``output_linear`` back), no biases but an
    output bias of h. Two RMSNorms per layer, a final one; the head tied by default.
    """
    f = c.sizes(r)
    kv = c.positive(r, "num_key_value_heads", r.integer("num_key_value_heads"))
    experts = c.positive(r, "num_local_experts", r.integer("num_local_experts"))
    top_k = c.positive(r, "num_experts_per_tok", r.integer("num_experts_per_tok"))
    if top_k > experts:
        # JetMoeConfig.validate_architecture
        raise r.fail(f"num_experts_per_tok ({top_k}) exceeds num_local_experts ({experts})")
    hd = c.positive(r, "kv_channels", r.integer("kv_channels"))
    if r.has("num_attention_heads") and r.integer("num_attention_heads") != kv * top_k:
        r.note(
            f"num_attention_heads={kv * top_k} (JetMoeConfig: num_key_value_heads x "
            f"num_experts_per_tok, over the file's {r.integer('num_attention_heads')})"
        )
    m = c.moe(
        r,
        experts="num_local_experts",
        top_k="num_experts_per_tok",
        inter=f["intermediate_size"],
        output_bias=True,
        attention_experts=True,
    )
    n = f["num_layers"]
    return f | {
        "num_heads": kv * top_k,
        "num_kv_heads": kv,
        "head_dim": hd,
        "layer_types": ("full",) * n,
        "moe": m,
        "moe_layers": (True,) * n,
        "rope_dim": hd,
    }


#: Zamba2Config's layers_block_type spellings: a Mamba-2 layer, or a hybrid layer (a shared
#: transformer block, its linear, then the Mamba-2 layer); "mamba" is the legacy spelling
_ZAMBA2_LAYERS = {"linear_attention": "mamba", "mamba": "mamba", "hybrid": "full"}


def _zamba2_kinds(r: Reader, n: int) -> list[str]:
    """``Zamba2Config.layers_block_type`` (alias ``layer_types``) as llmsizing's layer kinds."""
    raw = r.sequence("layers_block_type")
    if raw is None:
        # Zamba2Config.__post_init__: Zamba2-2.7B's 54-layer pattern, whatever num_hidden_layers
        raw = (
            ["mamba"]
            + (["mamba"] * 5 + ["hybrid"]) * 7
            + ["mamba"] * 4
            + ["hybrid"]
            + ["mamba"] * 3
            + ["hybrid"]
            + ["mamba"] * 2
        )
        r.note("layers_block_type=Zamba2-2.7B's 54-layer pattern (transformers zamba2 default)")
    if len(raw) != n:
        # Zamba2Config's validate_layer_type refuses a list of another length
        raise r.fail(f"field 'layers_block_type' has {len(raw)} entries for {n} layers")
    for i, t in enumerate(raw):
        if not isinstance(t, str) or t not in _ZAMBA2_LAYERS:
            # Zamba2Model.get_layers builds only Mamba-2 and hybrid layers (another kind gets a
            # Mamba layer over a cache layer that has no Mamba state)
            raise r.fail(f"layers_block_type[{i}] = {t!r} is not supported (known: hybrid, mamba)")
    return [_ZAMBA2_LAYERS[t] for t in raw]


def _zamba2(r: Reader) -> Fields:
    """Zamba2: Mamba-2 layers; hybrid layers run a shared transformer block before theirs.

    ``Zamba2Config.__post_init__``: ``intermediate_size`` 4 · hidden when null, the
    attention reads 2 · hidden (``attention_hidden_size``) in heads of
    ``2 · hidden // num_attention_heads`` (``attention_head_dim``, whatever the file says),
    ``mamba_headdim = mamba_expand · hidden // n_mamba_heads``. ``Zamba2MambaMixer``: the
    Mamba-2 mixer with ``conv1d`` biased always (``use_conv_bias`` is not read),
    ``in_proj`` / ``out_proj`` biased where ``add_bias_linear``, a gated RMSNorm over d_inner
    in ``mamba_ngroups`` groups. ``Zamba2MambaDecoderLayer``: one RMSNorm, no FFN.
    ``Zamba2Model.get_layers``: ``num_mem_blocks`` shared ``Zamba2AttentionDecoderLayer``
    blocks serve the hybrid layers in turn (tied), each with a LoRA pair per use on its
    MLP (``Zamba2MLP``, biased where ``add_bias_linear``) and, where
    ``use_shared_attention_adapter``, on q, k and v (``Zamba2Attention``, no biases); each
    hybrid layer adds ``linear`` (h → h). The blocks are tied only where
    ``tie_word_embeddings`` (``PreTrainedModel.get_expanded_tied_weights_keys``); else each
    use holds a copy. A hybrid layer caches K and V and keeps the Mamba state
    (``LinearAttentionAndFullAttentionLayer``).
    """
    if "layers_block_type" not in r.data and "layer_types" in r.data:
        # Zamba2Config.__post_init__ computes hybrid_layer_ids from layers_block_type before
        # the layer_types alias is applied: the model it builds cannot run (Zamba2MLP.layer_dic)
        raise r.fail(
            "write the layer list as 'layers_block_type' (Zamba2Config ignores "
            "'layer_types' when it places the shared blocks)"
        )
    hidden = r.integer("hidden_size")
    # Zamba2Config: intermediate_size = intermediate_size or 4 * hidden_size
    inter = r.opt_integer("intermediate_size") or 4 * hidden
    f = c.sizes(_with(r, intermediate_size=inter))
    n = f["num_layers"]
    kinds = _zamba2_kinds(r, n)
    if r.boolean("use_long_context", False):
        # Zamba2Config: use_long_context extends the context to 16384 (rescaled RoPE)
        f["max_position_embeddings"] = 16384
    nh = c.positive(r, "num_attention_heads", r.integer("num_attention_heads"))
    kv = r.integer("num_key_value_heads", nh, why="Zamba2Config: num_attention_heads")
    if kv == 0 or nh % kv:
        raise r.fail(f"num_key_value_heads ({kv}) must divide num_attention_heads ({nh})")
    width = 2 * hidden
    hd = width // nh
    if hd == 0:
        raise r.fail(f"num_attention_heads ({nh}) exceeds 2 x hidden_size ({width})")
    adapters = r.boolean("use_shared_attention_adapter", False)
    if adapters and (width % nh or kv != nh):
        # Zamba2Attention adds 2h-wide adapter outputs to q, k and v
        raise r.fail(
            "use_shared_attention_adapter needs q, k and v 2 x hidden_size wide: "
            f"num_attention_heads ({nh}) must divide {width} and equal num_key_value_heads ({kv})"
        )
    d_inner = c.positive(r, "mamba_expand", r.integer("mamba_expand")) * hidden
    mh = c.positive(r, "n_mamba_heads", r.integer("n_mamba_heads"))
    groups = c.positive(r, "mamba_ngroups", r.integer("mamba_ngroups"))
    if d_inner % mh or mh % groups or d_inner % groups:
        # the SSM splits d_inner into n_mamba_heads heads, B and C into groups of heads, and
        # Zamba2RMSNormGated d_inner into mamba_ngroups groups
        raise r.fail(
            f"n_mamba_heads ({mh}) must divide mamba_expand x hidden_size ({d_inner}) and be a "
            f"multiple of mamba_ngroups ({groups})"
        )
    bias = r.boolean("add_bias_linear", False)
    mamba = MambaConfig(
        version=2,
        d_inner=d_inner,
        d_state=r.integer("mamba_d_state"),
        d_conv=c.positive(r, "mamba_d_conv", r.integer("mamba_d_conv")),
        n_heads=mh,
        head_dim=d_inner // mh,
        n_groups=groups,
        conv_bias=True,
        proj_bias=bias,
    )
    return f | {
        "intermediate_size": inter,
        "num_heads": nh,
        "num_kv_heads": kv,
        "head_dim": hd,
        "layer_types": tuple(kinds),
        "mamba": mamba,
        "parallel_ssm": True,
        # a ModelConfig.shared_blocks (SharedBlocks) record
        "shared_blocks": {
            "count": c.positive(r, "num_mem_blocks", r.integer("num_mem_blocks")),
            "input_width": width,
            "adapter_rank": r.integer("adapter_rank"),
            "attention_adapters": adapters,
            # PreTrainedModel.get_expanded_tied_weights_keys: no tying (the blocks' included)
            # without tie_word_embeddings
            "tied": f["tie_word_embeddings"],
        },
        # the MLP lives in the shared blocks; a layer has one norm (input_layernorm)
        "ffn_layers": (False,) * n,
        "mlp_bias": bias,
        "layer_norms": 1,
        "rope_dim": hd if r.boolean("use_mem_rope", False) else 0,
    }


#: RecurrentGemmaConfig.block_types: the RG-LRU recurrent block or local (sliding) attention
_RECURRENT_GEMMA_BLOCKS = {"recurrent": "linear", "attention": "sliding"}


def _recurrent_gemma_kinds(r: Reader, n: int) -> list[str]:
    """``RecurrentGemmaConfig.layers_block_type``: ``block_types`` repeated over the layers."""
    blocks = r.sequence("block_types")
    if blocks is None:
        raise r.fail("field 'block_types' must list the block pattern")
    for i, b in enumerate(blocks):
        if b not in _RECURRENT_GEMMA_BLOCKS:
            # layers_block_type makes any other name an attention block: most likely a typo
            raise r.fail(f"block_types[{i}] = {b!r} is not supported (known: attention, recurrent)")
    if not blocks or 100 * len(blocks) < n:
        # layers_block_type = (block_types * 100)[:num_hidden_layers]
        raise r.fail(
            f"field 'block_types' ({len(blocks)} entries, x 100) covers fewer than {n} layers"
        )
    return [_RECURRENT_GEMMA_BLOCKS[b] for b in (blocks * 100)[:n]]


def _recurrent_gemma_rope(r: Reader, head_dim: int) -> int:
    """``RecurrentGemmaRotaryEmbedding``: RoPE over ``head_dim · partial_rotary_factor`` (0.5
    unless ``rope_parameters`` or the top level gives one; RecurrentGemmaConfig.__post_init__)."""
    frac = r.mapping("rope_parameters").get("partial_rotary_factor", r.raw("partial_rotary_factor"))
    if frac is ABSENT or frac is None:
        frac = 0.5
        r.note("partial_rotary_factor=0.5 (transformers recurrent_gemma default)")
    if isinstance(frac, bool) or not isinstance(frac, int | float) or not 0 <= frac <= 1:
        raise r.fail(f"partial_rotary_factor must be a number in [0, 1], got {frac!r}")
    return int(head_dim * frac)


def _recurrent_gemma(r: Reader) -> Fields:
    """RecurrentGemma (Griffin): RG-LRU recurrent blocks and local attention, an MLP in each.

    ``RecurrentGemmaDecoderLayer``: ``temporal_pre_norm``, the temporal block,
    ``channel_pre_norm``, ``RecurrentGemmaMlp`` (gate/up/down of ``intermediate_size // 2``,
    all biased). ``RecurrentGemmaAttention``: ``num_attention_heads`` query heads of
    ``hidden_size // num_attention_heads``, ``num_key_value_heads`` (default: all) K/V heads,
    q/k/v biased where ``attention_bias``, ``o_proj`` always, a window of
    ``attention_window_size`` tokens (``DynamicSlidingWindowLayer``), partial RoPE.
    ``RecurrentGemmaRecurrentBlock``: ``linear_y``, ``linear_x`` (h → ``lru_width``, default
    hidden), a depthwise ``conv_1d`` of ``conv1d_width``, ``RecurrentGemmaRglru`` (gates in
    ``num_attention_heads`` blocks of ``lru_width / heads``), ``linear_out``; its state, kept on
    the module, is the conv window and one fp32 value per channel.
    """
    f = c.sizes(r)
    hidden, n = f["hidden_size"], f["num_layers"]
    kinds = _recurrent_gemma_kinds(r, n)
    nh = c.positive(r, "num_attention_heads", r.integer("num_attention_heads"))
    # RecurrentGemmaConfig: head_dim = hidden_size // num_attention_heads
    hd = hidden // nh
    if hd == 0:
        raise r.fail(f"num_attention_heads ({nh}) exceeds hidden_size ({hidden})")
    kv = r.integer("num_key_value_heads", nh, why="RecurrentGemmaConfig: num_attention_heads")
    if kv == 0 or nh % kv:
        raise r.fail(f"num_key_value_heads ({kv}) must divide num_attention_heads ({nh})")
    lru = r.opt_integer("lru_width") or hidden
    if lru % nh:
        # RecurrentGemmaRglru splits lru_width into num_attention_heads gate blocks
        raise r.fail(f"num_attention_heads ({nh}) must divide lru_width ({lru})")
    kernel = c.positive(r, "conv1d_width", r.integer("conv1d_width"))
    return f | {
        # RecurrentGemmaMlp: intermediate_size // 2 per branch
        "intermediate_size": f["intermediate_size"] // 2,
        "num_heads": nh,
        "num_kv_heads": kv,
        "head_dim": hd,
        "layer_types": tuple(kinds),
        "sliding_window": c.positive(
            r, "attention_window_size", r.integer("attention_window_size")
        ),
        "linear_attention": LinearAttentionConfig(
            kind="rglru", num_heads=nh, head_dim=lru // nh, conv_kernel=kernel
        ),
        "qkv_bias": r.boolean("attention_bias", False),
        "o_bias": True,
        "mlp_bias": True,
        "rope_dim": _recurrent_gemma_rope(r, hd),
    }


#: GPTNeoAttention builds these two kinds only (any other name raises NotImplementedError)
_GPT_NEO_LAYERS = {"global": "full", "local": "sliding"}
#: GPTNeoConfig.__post_init__: attention_types when null (GPT-Neo 1.3B's 24 layers)
_GPT_NEO_TYPES = [[["global", "local"], 12]]


def _gpt_neo_layers(r: Reader, n: int) -> list[str]:
    """``GPTNeoConfig.__post_init__``: ``attention_layers`` expanded from ``attention_types``
    (``[[kinds, repeat], ...]``: each block's kinds, ``repeat`` times over; null or absent:
    ``[[["global", "local"], 12]]``); an ``attention_layers`` list the file gives is set
    after the expansion and wins. ``validate_architecture``: one entry per layer.
    """
    spec = r.sequence("attention_types")
    if spec is None:
        spec = _GPT_NEO_TYPES
    kinds: list[Any] = []
    for item in spec:
        if not (
            isinstance(item, list)
            and len(item) == 2
            and isinstance(item[0], list)
            and isinstance(item[1], int)
            and not isinstance(item[1], bool)
            and item[1] >= 0
        ):
            raise r.fail(f"attention_types entry {item!r} is not a [[kinds], repeat] pair")
        if len(kinds) + len(item[0]) * item[1] > SANITY_LIMITS["num_layers"]:
            raise r.fail(
                f"field 'attention_types' expands to more than {SANITY_LIMITS['num_layers']} layers"
            )
        kinds += item[0] * item[1]
    key = "attention_types"
    listed = r.sequence("attention_layers")
    if listed is not None:
        kinds, key = listed, "attention_layers"
    elif not r.has("attention_types"):
        r.note("attention_types=[[['global', 'local'], 12]] (GPTNeoConfig default)")
    if len(kinds) != n:
        raise r.fail(
            f"field {key!r} gives {len(kinds)} layers for num_layers = {n} "
            "(GPTNeoConfig.validate_architecture refuses it)"
        )
    out = []
    for i, t in enumerate(kinds):
        if not isinstance(t, str) or t not in _GPT_NEO_LAYERS:
            raise r.fail(
                f"attention layer {i} is {t!r}: GPTNeoAttention builds 'global' and 'local' only"
            )
        out.append(_GPT_NEO_LAYERS[t])
    return out


def _gpt_neo(r: Reader) -> Fields:
    """GPTNeoForCausalLM: wte and wpe (``max_position_embeddings`` rows); per GPTNeoBlock
    ln_1, q/k/v_proj without bias and out_proj with one (GPTNeoSelfAttention: heads of
    ``hidden_size // num_heads``, refused on a remainder), ln_2, c_fc / c_proj with biases
    (``intermediate_size``, else 4 x hidden_size); ln_f; the head tied by default. No RoPE.

    GPTNeoSelfAttention of a ``local`` layer masks with ``tril xor tril(-window_size)``: each
    query sees its last ``window_size`` tokens (itself included), a sliding window; a
    ``global`` layer sees every token. transformers' DynamicCache keeps every token on both
    kinds (the config has no ``sliding_window`` or ``layer_types`` for it to read).
    """
    hidden = r.integer("hidden_size")
    inter = _ffn_width(r, "intermediate_size", hidden, "GPTNeoBlock")
    f = c.sizes(_with(r, intermediate_size=inter))
    f |= _mha_heads(r, hidden)
    types = _gpt_neo_layers(r, f["num_layers"])
    # a window of 0 masks every key of a local layer
    window = c.positive(r, "window_size", r.integer("window_size"))
    return (
        f
        | _positions(r)
        | _GPT
        | {
            "layer_types": tuple(types),
            "sliding_window": window,
            "qkv_bias": False,
            "o_bias": True,
            "mlp_bias": True,
            "rope_dim": 0,
        }
    )


def _codegen(r: Reader) -> Fields:
    """CodeGenForCausalLM: GPT-J's shape (``_gptj``). wte; per CodeGenBlock ln_1 (one
    LayerNorm feeding attention and MLP in parallel), qkv_proj (3 x n_embd) and out_proj
    without bias, fc_in (``n_inner``, else 4 x n_embd) / fc_out with biases; ln_f; an untied
    head with a bias (tied, the head's weight is wte and its bias stays).

    CodeGenAttention: heads of ``n_embd // n_head`` (refused on a remainder); qkv_proj's
    output is viewed as blocks of ``3 x (n_embd // mp_num)``, ``mp_num = 4`` (the layout of
    its four model-parallel shards), which n_embd must be a whole number of; RoPE on the
    first ``rotary_dim`` channels of each head, in interleaved pairs (``rotate_every_two``
    over a sin/cos table of ``rotary_dim`` columns): an even width, at most the head's.
    ``CodeGenConfig.rotary_dim`` is a strict integer (null is refused).
    """
    hidden = r.integer("hidden_size")
    local = hidden // 4
    if local == 0 or hidden % local:
        raise r.fail(
            f"hidden_size ({hidden}) is not a whole number of CodeGenAttention's qkv blocks "
            f"(hidden_size // mp_num = {local}, mp_num = 4): its forward pass cannot split "
            "qkv_proj"
        )
    if r.raw("rotary_dim") is None:
        raise r.fail("field 'rotary_dim' is null: CodeGenConfig requires an integer")
    f = _gptj(r)
    rotary = r.integer("rotary_dim")
    hd = f["head_dim"]
    if not 0 < rotary <= hd or rotary % 2:
        raise r.fail(
            f"rotary_dim ({rotary}) must be even and between 2 and the head width ({hd}): "
            "CodeGenAttention rotates interleaved pairs of each head's first rotary_dim channels"
        )
    return f | {"rope_dim": rotary}


def _persimmon_rotary(r: Reader) -> float:
    """``partial_rotary_factor``: ``rope_parameters``' own, else the top-level key
    (``PersimmonConfig.__post_init__`` moves it there), else 0.5 (the default it sets for old
    checkpoints)."""
    frac = r.mapping("rope_parameters").get("partial_rotary_factor")
    if frac is None:
        frac = r.number("partial_rotary_factor", 0.5, why="PersimmonConfig.__post_init__")
    if isinstance(frac, bool) or not isinstance(frac, int | float) or not 0 <= frac <= 1:
        raise r.fail(
            f"partial_rotary_factor {frac!r} must be between 0 and 1: PersimmonAttention "
            "rotates that fraction of each head"
        )
    return float(frac)


def _persimmon(r: Reader) -> Fields:
    """PersimmonForCausalLM: GPT-NeoX's block with LayerNorms on q and k. embed_tokens; per
    PersimmonDecoderLayer input_layernorm and post_attention_layernorm (LayerNorms with bias),
    query_key_value (3 x hidden_size) and dense with biases, with ``qk_layernorm`` a
    LayerNorm (weight and bias) on each head's query and key (q_layernorm / k_layernorm,
    ``hidden_size // heads`` wide), dense_h_to_4h / dense_4h_to_h (``intermediate_size``,
    relu2) with biases; final_layernorm; an untied head without bias by default.

    PersimmonAttention: heads of ``hidden_size // num_attention_heads`` (refused on a
    remainder), one K and V head per query head (PersimmonConfig has no KV-head key: one in
    the file is not read), RoPE on ``rotary_ndims = int(head_dim x partial_rotary_factor)``
    channels. PersimmonRotaryEmbedding sizes its table from a ``head_dim`` key where the file
    gives one: a table of another width than ``rotary_ndims`` cannot rotate the heads.
    """
    f = c.sizes(r)
    f |= _mha_heads(r, f["hidden_size"])
    hd = f["head_dim"]
    frac = _persimmon_rotary(r)
    rope = int(hd * frac)
    table = r.opt_integer("head_dim") or hd
    if int(table * frac) != rope:
        raise r.fail(
            f"head_dim {table} gives PersimmonRotaryEmbedding a table of {int(table * frac)} "
            f"channels for heads of {hd} rotating {rope} (PersimmonAttention: hidden_size // "
            "num_attention_heads)"
        )
    if r.has("num_key_value_heads"):
        r.note("num_key_value_heads not read (PersimmonAttention: one KV head per query head)")
    qk = r.boolean("qk_layernorm", True)
    return (
        f
        | _GPT
        | {
            "layer_types": ("full",) * f["num_layers"],
            "qkv_bias": True,
            "o_bias": True,
            "mlp_bias": True,
            "qk_norm": "head" if qk else None,
            "qk_norm_bias": qk,
            "rope_dim": rope,
        }
    )


def _bitnet_extra(r: Reader, f: Fields) -> Fields:
    """``BitNetAttention.attn_sub_norm``, an RMSNorm of ``hidden_size``, normalises the
    attention output (heads x head_dim wide) before o_proj: the two widths must agree.
    ``BitNetRotaryEmbedding`` rotates the whole head."""
    h, nh, hd = f["hidden_size"], f["num_heads"], f["head_dim"]
    if nh * hd != h:
        raise r.fail(
            f"num_attention_heads x head_dim ({nh} x {hd}) must equal hidden_size ({h}): "
            "BitNetAttention's attn_sub_norm, an RMSNorm of hidden_size, normalises the "
            "attention output"
        )
    return {"rope_dim": hd}


#: BitNetDecoderLayer: input_layernorm, post_attention_layernorm and the attention's
#: attn_sub_norm (hidden_size each); BitNetMLP's ffn_sub_norm (intermediate_size)
_BITNET = dense(
    qkv_bias="attention_bias", layer_norms=3, extra=_bitnet_extra, fixed={"ffn_sub_norm": True}
)


def _bitnet(r: Reader) -> Fields:
    """BitNetForCausalLM (BitNet b1.58): Llama's decoder with two sub-norms.

    ``BitNetAttention``: q/k/v/o_proj with ``attention_bias``, heads of ``head_dim`` (read
    with ``getattr``: the file's key, else ``hidden_size // num_attention_heads``), and
    ``attn_sub_norm`` (RMSNorm of hidden_size) on its output before o_proj; ``BitNetMLP``:
    gate/up/down without bias and ``ffn_sub_norm`` (RMSNorm of intermediate_size) before
    down_proj; input and post-attention RMSNorms, a final one; the head untied by default.
    ``BitNetConfig.__post_init__``: ``num_key_value_heads`` null means one per query head
    (the class default, 5, applies only when the key is absent). The checkpoint's ternary
    weights (``quantization_config``, ``quant_method: bitnet``) are the same parameters.
    """
    if r.raw("head_dim") is None:
        raise r.fail(
            "field 'head_dim' is null: BitNetAttention reads it with getattr and would build "
            "heads x None projections"
        )
    if r.raw("num_key_value_heads") is None:
        r.note("num_key_value_heads=null: one KV head per query head (BitNetConfig)")
        r = _with(r, num_key_value_heads=r.integer("num_attention_heads"))
    return _BITNET(r)


#: DeepseekV3Config keys AXK1Config / AXK2Config remove or never had (``= AttributeError()``
#: in modular_axk1.py): no MTP layers, whatever a config file says
_AXK_UNREAD = ("num_nextn_predict_layers", "num_mtp_layers")


def _axk_mlp_layers(r: Reader, n: int) -> tuple[bool, ...]:
    """Which A.X-K1 / A.X-K2 layers are MoE.

    ``AXK1DecoderLayer`` / ``AXK2DecoderLayer`` build the MoE block where
    ``mlp_layer_types[i] == "sparse"`` and the dense MLP for any other entry (so only
    ``sparse`` and ``dense`` are read); without the list, ``__post_init__`` derives it from
    the popped kwargs: sparse iff ``i >= first_k_dense_replace`` (default 1) and
    ``i % moe_layer_freq == 0`` (default 1).
    """
    raw = r.sequence("mlp_layer_types")
    if raw is not None:
        if len(raw) != n:
            raise r.fail(f"field 'mlp_layer_types' has {len(raw)} entries for {n} layers")
        for i, t in enumerate(raw):
            if t not in ("sparse", "dense"):
                known = "known: dense, sparse"
                raise r.fail(f"mlp_layer_types[{i}] = {t!r} is not supported ({known})")
        return tuple(t == "sparse" for t in raw)
    why = f"{r.model_type} __post_init__ default"
    freq = c.positive(r, "moe_layer_freq", r.integer("moe_layer_freq", 1, why=why))
    first = r.integer("first_k_dense_replace", 1, why=why)
    return tuple(i >= first and i % freq == 0 for i in range(n))


def _axk(r: Reader, *, indexer: bool = False) -> Fields:
    """The DeepSeek-V3 (A.X-K1) / DeepSeek-V3.2 (A.X-K2) fields both A.X readers share.

    MLA with the query LoRA always (``q_a_proj``, ``q_a_layernorm``: no ``q_proj`` branch);
    as many KV heads as query heads (``expand_kv`` gives K and V every head, then the
    attention repeats them ``heads // num_key_value_heads`` times: no other count runs);
    MoE layers by :func:`_axk_mlp_layers`; no MTP module; RoPE always.
    """
    ignored = [k for k in _AXK_UNREAD if r.has(k)]
    if ignored:
        r.note(f"{', '.join(ignored)} ignored ({r.model_type} has no MTP layers)")
    if r.raw("q_lora_rank") is None or r.integer("q_lora_rank") == 0:
        raise r.fail(f"field 'q_lora_rank' must be positive: {r.model_type} always has q_a_proj")
    n = c.layer_count(r)
    layers = _axk_mlp_layers(r, n)
    experts = r.opt_integer("n_routed_experts") or 0
    if any(layers) and not experts:
        raise r.fail("field 'n_routed_experts' must be positive: the model has MoE layers")
    f = _deepseek(
        _with(r, num_nextn_predict_layers=0, n_routed_experts=experts if any(layers) else 0),
        indexer=indexer,
    )
    nh = f["num_heads"]
    # null: __post_init__ sets num_attention_heads
    kv = nh if r.raw("num_key_value_heads") is None else r.integer("num_key_value_heads")
    if kv != nh:
        raise r.fail(
            f"num_key_value_heads ({kv}) must equal num_attention_heads ({nh}): the attention "
            "expands the latent to every head, then repeats K and V heads // num_key_value_heads "
            "times"
        )
    moe_layers = layers if f["moe"] is not None else ()
    return f | {"moe_layers": moe_layers, "rope_dim": f["mla"].qk_rope_head_dim}


def _axk1(r: Reader) -> Fields:
    """A.X-K1 (``AXK1ForCausalLM``): DeepSeek-V3 with a norm after every MoE block.

    ``AXK1Attention``: DeepSeek-V3's MLA, always with the query LoRA (``q_a_proj``,
    ``q_a_layernorm``, ``q_b_proj``), ``attention_bias`` on ``q_a_proj``,
    ``kv_a_proj_with_mqa`` and ``o_proj``; the cache keeps the latent (``kv_lora_rank``) and
    the rope key (``qk_rope_head_dim``) per token.
    ``AXK1DecoderLayer``: ``AXK1MoE`` on ``sparse`` layers, else ``AXK1MLP``
    (``intermediate_size``). ``AXK1MoE``: ``DeepseekV3MoE`` (fused experts of
    ``moe_intermediate_size``, ``gate`` weight, its ``e_score_correction_bias`` a buffer,
    one shared MLP of ``moe_intermediate_size · n_shared_experts``) plus
    ``post_mlp_layernorm``, a hidden-size RMSNorm (``extra_norms=1``); dense layers build
    none. ``AXK1TopkRouter`` views the scores as ``n_group`` groups and takes the top two of
    each (``_bailing_router``'s rule). No MTP module (``num_mtp_layers`` removed).
    """
    f = _axk(r)
    m = f["moe"]
    if m is None:
        return f
    _bailing_router(r, m.n_routed_experts, m.experts_per_token)
    return f | {"moe": m.model_copy(update={"extra_norms": 1})}


def _axk2(r: Reader) -> Fields:
    """A.X-K2 (``AXK2ForCausalLM``): DeepSeek-V3.2 with gated query and norms.

    ``AXK2Attention``: DeepSeek-V3.2's MLA and DSA indexer (``AXK2Indexer``: ``wq_b`` from
    the normed query latent, ``wk``, ``k_norm`` LayerNorm with bias, ``weights_proj``), but
    no ``q_b_proj``: ``q_gate_proj`` reads the query latent after and before
    ``q_a_layernorm`` (``2 · q_lora_rank``) and writes the query and a sigmoid gate per value
    channel (``heads · (qk_nope + qk_rope + v_head_dim)``, unbiased): ``q_residual`` and
    ``attn_output_gate="fused"``. ``attention_bias`` on ``q_a_proj``,
    ``kv_a_proj_with_mqa`` and ``o_proj``. The cache keeps the latent and the rope key
    (``DynamicIndexedLayer``) and the indexer's key per token; every layer needs that layer
    (``layer_types`` all ``indexed_attention``, ``AXK2Config``'s default: another kind has no
    indexer cache and the forward fails).
    ``AXK2DecoderLayer``: ``input_layernorm`` an ``AXK2GatedRMSNorm`` (an RMSNorm and a
    gate ``mlp.fc1`` h → ``gated_norm_rank``, ``mlp.fc2`` back, unbiased) on every layer,
    ``post_attention_layernorm`` one on MoE layers and a plain RMSNorm on dense ones
    (``norm_gates``). ``AXK2MoE`` = ``DeepseekV32MoE`` (experts, ``gate`` weight, its score
    bias a buffer, one shared MLP); ``AXK2TopkRouter`` routes in ``n_group`` groups only
    when ``n_group`` / ``topk_group`` are set (both or neither). MoE layers, the query LoRA,
    KV heads, no MTP: :func:`_axk`.
    """
    n = c.layer_count(r)
    types = r.sequence("layer_types")
    if types is not None and (len(types) != n or any(t != "indexed_attention" for t in types)):
        raise r.fail(
            "field 'layer_types' must be 'indexed_attention' on all layers: AXK2Attention runs "
            "its indexer everywhere, which only the indexed cache layer keeps keys for"
        )
    f = _axk(r, indexer=True)
    a = f["mla"]
    x = f["indexer"]
    if x.head_dim < a.qk_rope_head_dim:
        raise r.fail(
            f"index_head_dim ({x.head_dim}) must be at least qk_rope_head_dim "
            f"({a.qk_rope_head_dim}): AXK2Indexer splits its rope part off each key"
        )
    m = f["moe"]
    if m is not None:
        grouped = [r.opt_integer(k) is not None for k in ("n_group", "topk_group")]
        if grouped[0] != grouped[1]:
            raise r.fail("n_group and topk_group must be set together (AXK2Config)")
        if grouped[0]:
            _bailing_router(r, m.n_routed_experts, m.experts_per_token)
    rank = r.integer("gated_norm_rank")
    moe_layers = f["moe_layers"] or (False,) * n
    return f | {
        "mla": a.model_copy(update={"q_residual": True}),
        "attn_output_gate": "fused",
        # a rank-0 gate has no weights (sigmoid(0) scales by a half)
        "norm_gate_rank": rank,
        "norm_gates": tuple(2 if moe else 1 for moe in moe_layers) if rank else (),
    }


#: the layer kinds BeamModel builds a mask for (any other kind has none)
_BEAM_LAYERS = {"full_attention": "full", "sliding_attention": "sliding"}


def _beam_window(r: Reader, n: int) -> Fields:
    """BeamConfig: ``layer_types``, else full attention on every sixth layer and the last.

    ``BeamAttention`` slides over ``sliding_window`` tokens on sliding layers; the sliding
    cache layer needs a window (a null one does not run).
    """
    types = c.layer_list(r, n, names=_BEAM_LAYERS)
    if types is None:
        types = ["full" if (i + 1) % 6 == 0 or i == n - 1 else "sliding" for i in range(n)]
        r.note("layer_types: full on every sixth layer and the last, else sliding (BeamConfig)")
    w = r.opt_integer("sliding_window")
    if w is None and "sliding" in types:
        raise r.fail("field 'sliding_window' is null: Beam's sliding layers need a window")
    return {"layer_types": tuple(types), "sliding_window": w}


def _beam_moe(r: Reader, f: Fields) -> Fields:
    """BeamDecoderLayer: ``BeamMoE`` where ``mlp_layer_types`` says ``sparse``, else
    ``BeamMLP`` (``intermediate_size``); BeamConfig's default: three dense layers first.

    ``BeamMoE``: fused experts of ``moe_intermediate_size`` (``BeamExperts``) and the
    router weight (``BeamTopKRouter``; its ``e_score_correction_bias`` a buffer), no shared
    expert. The router always views the scores as ``n_group`` groups and keeps the top
    ``topk_group`` (``_bailing_router``'s rule; a null group count does not run).
    """
    n = f["num_layers"]
    layers = c.mlp_layer_types(r, n) or tuple(i >= 3 for i in range(n))
    if not any(layers):
        return {"moe": None, "moe_layers": ()}
    m = c.moe(r, experts="num_experts", top_k="num_experts_per_tok", inter="moe_intermediate_size")
    for key in ("n_group", "topk_group"):
        if r.raw(key) is None:
            raise r.fail(f"field {key!r} is null: BeamTopKRouter always routes in groups")
    _bailing_router(r, m.n_routed_experts, m.experts_per_token)
    return {"moe": m, "moe_layers": layers}


def _beam_extra(r: Reader, f: Fields) -> Fields:
    """BeamRotaryEmbedding: RoPE over ``head_dim`` channels on the layer kinds whose
    ``rope_parameters`` entry is not null (BeamConfig's default: the sliding layers; the full
    layers run NoPE with a position-dependent query scale, no parameters). The model reads
    the entries by layer kind: a flat ``rope_parameters`` does not build."""
    params = r.raw("rope_parameters")
    if params is ABSENT or params is None:
        return {"rope_dim": f["head_dim"]}
    if not isinstance(params, Mapping):
        raise r.fail(f"field 'rope_parameters' must be an object, got {params!r}")
    kinds = sorted(k for k, v in _BEAM_LAYERS.items() if v in f["layer_types"])
    missing = [k for k in kinds if k not in params]
    if missing:
        raise r.fail(
            f"rope_parameters has no entry for {', '.join(missing)}: BeamModel reads it by "
            "layer kind (null: no RoPE)"
        )
    rotary = any(isinstance(params[k], Mapping) for k in kinds)
    return {"rope_dim": f["head_dim"] if rotary else 0}


def _molmo2_extra(r: Reader, f: Fields) -> Fields:
    """Molmo2's language model (``Molmo2TextModel``) beyond the Qwen3 shape ``dense`` reads.

    ``Molmo2Attention``: ``q_norm`` / ``k_norm`` always built, over one head
    (``qk_norm_type`` ``qwen3``) or over all query / KV heads (``olmo``); a legacy
    ``use_qk_norm`` key is not read. ``Molmo2TextModel.embed_tokens``: ``vocab_size +
    additional_vocab_size`` rows, the head (``Molmo2ForConditionalGeneration.lm_head``)
    ``vocab_size``; the head is never tied (the class has no ``_tied_weights_keys``).
    ``norm_after`` moves the two RMSNorms of a layer after its sublayers (the same weights).
    """
    kind = r.string("qk_norm_type")
    if kind not in ("qwen3", "olmo"):
        # Molmo2TextConfig.validate_architecture
        raise r.fail(f"field 'qk_norm_type' = {kind!r} is not 'qwen3' or 'olmo'")
    if r.raw("use_qk_norm") is False:
        r.note("use_qk_norm=false ignored (Molmo2Attention always builds q_norm and k_norm)")
    extra = r.integer("additional_vocab_size", 0)
    if f["tie_word_embeddings"]:
        r.note("tie_word_embeddings ignored (Molmo2ForConditionalGeneration never ties its head)")
    return {
        "qk_norm": "head" if kind == "qwen3" else "full",
        "embedding_rows": f["vocab_size"] + extra if extra else None,
        "tie_word_embeddings": False,
    }


#: Ernie4_5_VLMoeTextConfig.__post_init__: the text and vision experts' widths when null
_ERNIE_VL_WIDTHS = (1536, 512)


def _ernie_vl_moe(r: Reader, f: Fields) -> Fields:
    """ERNIE-4.5-VL's ``Ernie4_5_VLMoeMoeBlock`` on the ``sparse`` layers of ``mlp_layer_types``.

    ``Ernie4_5_VLMoeTextConfig.__post_init__``: ``mlp_layer_types`` defaults to one ``dense``
    layer, then ``sparse`` ones (``Ernie4_5_VLMoeDecoderLayer``: MoE where the entry is
    ``sparse``), ``moe_intermediate_size`` to ``[1536, 512]``: the widths of the text experts
    (``text_moe``) and of the vision experts (``vision_moe``), ``moe_num_experts`` of each
    (``Ernie4_5_VLMoeMoeExperts``: fused gate/up and down, no bias), each set routed top
    ``moe_k`` by its own ``Ernie4_5_VLMoeMoeTopKRouter`` (a weight, and the ``moe_statics``
    score bias, a parameter). ``shared_experts``: one ``Ernie4_5_VLMoeMLP`` of
    ``moe_intermediate_size[0] · moe_num_shared_experts`` (biased with ``use_bias``), none at 0.
    """
    n = f["num_layers"]
    kinds = r.sequence("mlp_layer_types")
    if kinds is not None and set(kinds) - {"dense", "sparse"}:
        raise r.fail("field 'mlp_layer_types' must list 'dense' or 'sparse' for every layer")
    layers = c.mlp_layer_types(r, n)
    if layers is None:
        r.note("mlp_layer_types: layer 0 dense, the others sparse (Ernie4_5_VLMoeTextConfig)")
        layers = tuple(i > 0 for i in range(n))
    widths = r.sequence("moe_intermediate_size")
    if widths is None:
        widths = list(_ERNIE_VL_WIDTHS)
        r.note(f"moe_intermediate_size={widths} (Ernie4_5_VLMoeTextConfig: text, vision experts)")
    if len(widths) < 2 or any(
        isinstance(w, bool) or not isinstance(w, int) or w <= 0 for w in widths[:2]
    ):
        raise r.fail(
            f"field 'moe_intermediate_size' = {widths!r} must list two positive widths: "
            "the text experts' and the vision experts' (Ernie4_5_VLMoeMoeBlock)"
        )
    if len(widths) > 2:
        r.note(f"moe_intermediate_size entries after the second ignored: {widths[2:]}")
    if not any(layers):
        return {"moe": None, "moe_layers": ()}
    text, vision = widths[0], widths[1]
    shared = r.integer("moe_num_shared_experts", 0)
    experts = c.positive(r, "moe_num_experts", r.integer("moe_num_experts"))
    m = MoEConfig(
        n_routed_experts=experts,
        experts_per_token=r.integer("moe_k"),
        expert_intermediate_size=text,
        n_shared_experts=shared,
        shared_expert_intermediate_size=text * shared,
        score_bias=True,
        vision_expert_intermediate_size=vision,
    )
    return {"moe": m, "moe_layers": layers}


#: Kolibri1Model masks with these two kinds only (``causal_mask_mapping``)
_KOLIBRI1_LAYERS = {"full_attention": "full", "sliding_attention": "sliding"}


def _kolibri1_window(r: Reader, n: int) -> Fields:
    """Kolibri1Config: ``layer_types``, else full where ``(i + 1) % 5 == 0``, sliding elsewhere.

    ``validate_architecture``: sliding layers need a positive ``sliding_window``;
    ``Kolibri1Attention`` passes it on ``sliding_attention`` layers only. A null window over
    full layers only builds, but ``Kolibri1Model.forward`` (which always builds the sliding
    mask) raises: read, and noted.
    """
    types = c.layer_list(r, n, names=_KOLIBRI1_LAYERS)
    if types is None:
        types = c.every(n, 5, "full", "sliding")
        r.note("layer_types: full where (i + 1) % 5 == 0, else sliding (Kolibri1Config default)")
    w = r.opt_integer("sliding_window")
    if "sliding" in types and not w:
        raise r.fail(
            f"sliding layers need a positive sliding_window, got {w!r} "
            "(Kolibri1Config.validate_architecture)"
        )
    if w is None:
        # Kolibri1Model.forward builds the sliding mask whatever the layers and raises
        # without a window; the parameters and a full-attention cache are as read
        r.note("sliding_window=null: transformers' Kolibri1Model.forward refuses to run it")
    return {"layer_types": tuple(types), "sliding_window": w}


def _kolibri1_extra(r: Reader, f: Fields) -> Fields:
    """Top-k within the experts; RoPE over whole heads where the file names no RoPE key."""
    m = f["moe"]
    if m.experts_per_token > m.n_routed_experts:
        raise r.fail(
            f"num_experts_per_tok ({m.experts_per_token}) exceeds num_experts "
            f"({m.n_routed_experts}): Kolibri1TopKRouter picks among the experts"
        )
    if any(k in r.data for k in ("rope_theta", "rope_scaling", "rope_parameters")):
        return {}
    # Kolibri1RotaryEmbedding always runs (default rope_parameters), over head_dim
    return {"rope_dim": f["head_dim"]}


_KOLIBRI1 = dense(
    qkv_bias=False,
    qk_norm="head",
    layer_norms=4,
    windows=_kolibri1_window,
    # Kolibri1Config.attribute_map: num_experts is num_local_experts (the latter wins)
    moe=_all_moe(
        "num_local_experts",
        "num_experts_per_tok",
        "moe_intermediate_size",
        shared_width="shared_expert_intermediate_size",
    ),
    extra=_kolibri1_extra,
)

#: Kolibri1Config fields typed ``int`` (a null is refused) that the reader would otherwise default
_KOLIBRI1_INTS = (
    "head_dim",
    "num_key_value_heads",
    "moe_intermediate_size",
    "shared_expert_intermediate_size",
    "num_experts_per_tok",
)
#: Qwen3MoeConfig fields Kolibri1Config deletes (``= AttributeError()``): no module reads them
_KOLIBRI1_UNREAD = (
    "intermediate_size",
    "attention_bias",
    "use_sliding_window",
    "decoder_sparse_step",
    "mlp_only_layers",
)


def _kolibri1(r: Reader) -> Fields:
    """Kolibri-1 (``Kolibri1ForCausalLM``): EXAONE 4 attention, GLM-4 norms, DeepSeek-V3's MoE.

    ``Kolibri1Attention`` (``Exaone4Attention``): q/k/v/o without bias (``Kolibri1Config``
    deletes ``attention_bias``), per-head ``q_norm`` / ``k_norm``; ``sliding_window`` on
    ``sliding_attention`` layers, RoPE on those only (on every layer with no window): no
    parameters either way. ``Kolibri1DecoderLayer`` (``Glm4DecoderLayer``): four norms
    (input, post-self-attention, post-attention, post-MLP) and on every layer
    ``Kolibri1SparseMoeBlock`` (``DeepseekV3MoE``): ``gate`` (``Kolibri1TopKRouter``, a
    weight of experts x hidden; its ``e_score_correction_bias`` is a buffer), fused
    ``experts`` of ``moe_intermediate_size`` and ``shared_experts``, one
    ``Kolibri1MLP`` of ``shared_expert_intermediate_size`` (0: an empty MLP). No dense FFN:
    ``intermediate_size``, ``decoder_sparse_step`` and ``mlp_only_layers`` are deleted from
    the config class, so the experts' width stands in for ``intermediate_size``.
    ``Kolibri1ForCausalLM`` ties ``lm_head`` with ``tie_word_embeddings``.
    """
    for key in _KOLIBRI1_INTS:
        if r.raw(key) is None:
            raise r.fail(f"field {key!r} must be an integer (Kolibri1Config: int, not null)")
    unread = [k for k in _KOLIBRI1_UNREAD if r.has(k)]
    if unread:
        r.note(f"{', '.join(unread)} not read (Kolibri1Config deletes them)")
    return _KOLIBRI1(_with(r, intermediate_size=r.integer("moe_intermediate_size")))


def _hyperclovax_extra(r: Reader, f: Fields) -> Fields:
    """HyperCLOVAX: Granite with optional Peri-Layer Normalization.

    ``HyperCLOVAXConfig.validate_architecture``: ``hidden_size`` a multiple of the heads,
    whatever ``head_dim`` says (``head_dim`` null: ``hidden_size // heads``; given, it is
    the heads' width). ``HyperCLOVAXDecoderLayer`` (``GraniteDecoderLayer``): input and
    post-attention RMSNorms, plus ``post_norm1`` / ``post_norm2`` after the attention and
    MLP outputs where ``use_post_norm`` (default true; ``nn.Identity`` otherwise).
    ``HyperCLOVAXRotaryEmbedding`` always runs (default ``rope_parameters``); the MuP
    multipliers and ``logits_scaling`` are plain numbers.
    """
    _jais2_heads(r, f)
    out: Fields = {"layer_norms": 4 if r.boolean("use_post_norm", True) else 2}
    if not any(k in r.data for k in ("rope_theta", "rope_scaling", "rope_parameters")):
        out["rope_dim"] = f["head_dim"]
    return out


#: DoryModel.forward masks with these two kinds only (``causal_mask_mapping``), and
#: DoryConfig.__post_init__ keys its default ``rope_parameters`` by them
_DORY_LAYERS = {"full_attention": "full", "sliding_attention": "sliding"}
#: DoryConfig fields typed ``int`` (a null is refused) that the reader would otherwise default
_DORY_INTS = (
    "head_dim",
    "num_key_value_heads",
    "sliding_window",
    "n_input_layers",
    "n_output_layers",
    "n_recurrent_loops",
)


def _dory_sections(r: Reader) -> tuple[list[str], int, int, int]:
    """Dory's layer kinds and its input / recurrent / output section sizes.

    ``DoryConfig.__post_init__``: a ``layer_types`` list holding ``"mlp"`` is the released
    checkpoints' layout (each decoder layer written as an attention block and an mlp
    block): every second entry is kept, and ``num_hidden_layers``, ``n_input_layers``,
    ``n_output_layers`` and a given ``n_recurrent_layers`` are halved (class defaults
    included, where the file omits them). Without ``layer_types``: ``full_attention`` where
    ``(i + 1) % 4 == 0``, ``sliding_attention`` elsewhere. ``n_recurrent_layers`` null: the
    layers between the input and output sections. ``validate_architecture``: the three
    sections add up to ``num_hidden_layers``; ``DoryModel.forward`` runs
    ``layers[:n_input_layers]`` once, the recurrent slice ``n_recurrent_loops`` times and
    ``layers[-n_output_layers:]`` once, so sections overlapping (a negative recurrent
    section) would run layers twice outside the loop: refused.
    """
    n = c.layer_count(r)
    n_in = r.integer("n_input_layers")
    n_out = r.integer("n_output_layers")
    n_rec = r.opt_integer("n_recurrent_layers")
    raw = r.sequence("layer_types")
    if raw is not None and "mlp" in raw:
        # the attention block of each (attention, mlp) pair is the decoder layer
        n, n_in, n_out = n // 2, n_in // 2, n_out // 2
        n_rec = None if n_rec is None else n_rec // 2
        r = _with(r, layer_types=raw[::2])
        r.note("layer_types lists (attention, mlp) blocks: halved as DoryConfig reads them")
    types = c.layer_list(r, n, names=_DORY_LAYERS)
    if types is None:
        types = ["full" if (i + 1) % 4 == 0 else "sliding" for i in range(n)]
        r.note("layer_types: full where (i + 1) % 4 == 0, else sliding (DoryConfig default)")
    if n_rec is None:
        n_rec = n - n_in - n_out
        if n_rec < 0:
            raise r.fail(
                f"n_input_layers ({n_in}) + n_output_layers ({n_out}) exceed the {n} layers: "
                "DoryModel would run layers twice outside its recurrent section"
            )
    if n_in + n_rec + n_out != n:
        raise r.fail(
            f"n_input_layers + n_recurrent_layers + n_output_layers ({n_in} + {n_rec} + "
            f"{n_out}) must equal the {n} layers (DoryConfig.validate_architecture)"
        )
    return types, n_in, n_rec, n_out


def _dory(r: Reader) -> Fields:
    """Dory (``DoryForCausalLM``): a looped normalized transformer (nGPT), read as :func:`dense`.

    ``DoryAttention`` (AFMoE's attention): q/k/v/o biased with ``attention_bias``,
    ``gate_proj`` (hidden → heads · head_dim, unbiased; a sigmoid output gate, llmsizing's
    ``attn_output_gate="separate"``), the learned ``sqk`` and ``s_gate`` (heads · head_dim
    each); its q/k norms and ``attn_sub_norm`` are ``DoryL2Norm`` (no weight);
    ``sliding_window`` on ``sliding_attention`` layers. ``DoryMLP``: gated, biased with
    ``mlp_bias``, plus ``suv_gate`` and ``suv_up`` (``intermediate_size`` each).
    ``DoryDecoderLayer``: four weightless ``DoryL2Norm`` and the residual rates
    ``lambda_1`` / ``lambda_2`` (hidden each). ``DoryModel.norm``: weightless.
    ``DoryLMHead``: ``lm_head`` (tied with ``tie_word_embeddings``) and ``logit_scale``
    (vocab), never tied. These vectors are ``ModelConfig.ngpt_scales``.

    KV cache: ``DoryModel.forward`` runs the recurrent section ``n_recurrent_loops`` times;
    with ``recurrent_kv_cache_mode="per_loop"`` it appends ``n_recurrent_loops - 1`` copies
    of the recurrent layers' cache layers (``layer_kv_copies``), with ``"last_loop"`` the
    last loop alone writes the one cache of each layer. Refused as DoryConfig refuses them:
    a null among :data:`_DORY_INTS` (``int`` fields), other layer kinds,
    ``n_recurrent_loops`` < 1, an unknown cache mode; and a zero window on sliding layers
    (its mask lets a query see no key).
    """
    for key in _DORY_INTS:
        if r.raw(key) is None:
            raise r.fail(f"field {key!r} must be an integer (DoryConfig: int, not null)")
    types, n_in, n_rec, _n_out = _dory_sections(r)
    n = len(types)
    window = r.integer("sliding_window")
    if "sliding" in types and window == 0:
        raise r.fail("field 'sliding_window' must be positive: sliding layers would see no key")
    loops = r.integer("n_recurrent_loops")
    if loops < 1:
        raise r.fail(f"n_recurrent_loops must be at least 1, got {loops}")
    mode = r.string("recurrent_kv_cache_mode")
    if not r.has("recurrent_kv_cache_mode"):
        r.note(f"recurrent_kv_cache_mode={mode!r} (transformers dory default)")
    if mode not in ("per_loop", "last_loop"):
        raise r.fail(
            f"field 'recurrent_kv_cache_mode' must be 'per_loop' or 'last_loop', got {mode!r}"
        )
    copies: tuple[int, ...] = ()
    if mode == "per_loop" and loops > 1 and n_rec:
        copies = tuple(loops if n_in <= i < n_in + n_rec else 1 for i in range(n))
        if sum(copies) > SANITY_LIMITS["num_layers"]:
            raise r.fail(
                f"{n_rec} recurrent layers x {loops} loops exceed the sanity limit of "
                f"{SANITY_LIMITS['num_layers']} cache layers"
            )
    passes: tuple[int, ...] = ()
    if loops > 1 and n_rec:
        # DoryModel.forward runs the recurrent section n_recurrent_loops times per token
        passes = tuple(loops if n_in <= i < n_in + n_rec else 1 for i in range(n))
    f = dense(
        mlp_bias="mlp_bias",
        layer_norms=0,
        final_norm=False,
        windows=lambda _r, _n: {"layer_types": tuple(types), "sliding_window": window},
        fixed={
            "attn_output_gate": "separate",
            "ngpt_scales": True,
            "layer_kv_copies": copies,
            "layer_passes": passes,
        },
    )(_with(r, num_hidden_layers=n))
    if not any(k in r.data for k in ("rope_theta", "rope_scaling", "rope_parameters")):
        # DoryRotaryEmbedding rotates whole heads on every layer, whatever the file says
        f["rope_dim"] = f["head_dim"]
    return f


def _apertus1p5_extra(r: Reader, f: Fields) -> Fields:
    """Apertus 1.5's text model: Apertus' layers, its activation by name, a prunable head.

    ``Apertus1p5TextMLP``: ``ACT2CLS["xielu"]`` (``alpha_p``, ``alpha_n``) where
    ``hidden_act`` is ``"xielu"`` (the class default), a parameter-free ``ACT2FN`` entry
    otherwise. ``Apertus1p5TextConfig.output_vocab_size`` (1 to ``vocab_size``; equal to it
    or null: unpruned): ``lm_head`` keeps that many rows while ``embed_tokens`` keeps
    ``vocab_size``: llmsizing's ``vocab_size`` (the head) and ``embedding_rows``. A tied head
    is ``embed_tokens`` itself, all ``vocab_size`` rows (the pruning is then noted and
    void). ``Apertus1p5TextRotaryEmbedding`` always runs (llama3 RoPE by default).
    """
    act = r.string("hidden_act") or "xielu"
    out: Fields = {"act_params": 2 if act == "xielu" else 0}
    vocab = f["vocab_size"]
    rows = r.opt_integer("output_vocab_size")
    if rows is not None and not 1 <= rows <= vocab:
        raise r.fail(
            f"output_vocab_size ({rows}) must be in [1, vocab_size ({vocab})] "
            "(Apertus1p5TextConfig.validate_output_vocab_size)"
        )
    if rows is not None and rows != vocab:
        if f["tie_word_embeddings"]:
            r.note(
                f"output_vocab_size={rows} void: the tied lm_head is embed_tokens, all {vocab} rows"
            )
        else:
            out |= {"vocab_size": rows, "embedding_rows": vocab}
    if not any(k in r.data for k in ("rope_theta", "rope_scaling", "rope_parameters")):
        out["rope_dim"] = f["head_dim"]
    return out


#: MellumModel (LagunaModel) masks by these two names, each with its rope_parameters entry;
#: PreTrainedConfig remaps the legacy "attention" to "full_attention"
_MELLUM_LAYERS = {**_LAGUNA_LAYERS, "attention": "full"}


def _mellum_window(r: Reader, n: int) -> Fields:
    """MellumConfig: ``layer_types``, else every layer full attention; ``MellumAttention``
    attends over ``sliding_window`` tokens on ``sliding_attention`` layers, whose mask
    (``create_sliding_window_causal_mask``) refuses a null window."""
    types = c.layer_list(r, n, names=_MELLUM_LAYERS)
    if types is None:
        types = ["full"] * n
        r.note("every layer full attention (MellumConfig default layer_types)")
    w = r.opt_integer("sliding_window")
    if "sliding" in types and not w:
        raise r.fail(
            f"field 'sliding_window' = {w!r}: the sliding_attention layers need a positive window"
        )
    return {"layer_types": tuple(types), "sliding_window": w}


def _mellum_moe(r: Reader, f: Fields) -> Fields:
    """``MellumDecoderLayer``: ``MellumSparseMoeBlock`` where ``mlp_layer_types[i]`` is
    ``"sparse"`` (``MellumConfig``'s default: every layer), ``MellumMLP(intermediate_size)``
    where it is ``"dense"`` (``validate_layer_type`` allows no other name).
    ``MellumSparseMoeBlock`` (``Qwen3MoeSparseMoeBlock``): ``MellumTopKRouter`` (a weight of
    ``num_experts`` x hidden, no bias), fused ``MellumExperts`` of ``moe_intermediate_size``;
    no shared expert."""
    n = f["num_layers"]
    raw = r.sequence("mlp_layer_types")
    if raw is None:
        r.note("mlp_layer_types: every layer sparse (MellumConfig default)")
        layers = (True,) * n
    else:
        if len(raw) != n:
            raise r.fail(f"field 'mlp_layer_types' has {len(raw)} entries for {n} layers")
        for i, t in enumerate(raw):
            if t not in ("dense", "sparse"):
                raise r.fail(f"mlp_layer_types[{i}] = {t!r} is not supported (dense, sparse)")
        layers = tuple(t == "sparse" for t in raw)
    if not any(layers):
        return {"moe": None, "moe_layers": ()}
    # MellumConfig.attribute_map stores num_experts as num_local_experts (a saved config
    # writes that name; given both, the num_local_experts kwarg is set last and wins)
    m = c.moe(
        r, experts="num_local_experts", top_k="num_experts_per_tok", inter="moe_intermediate_size"
    )
    if not 0 < m.experts_per_token <= m.n_routed_experts:
        raise r.fail(
            f"num_experts_per_tok ({m.experts_per_token}) must be between 1 and num_experts "
            f"({m.n_routed_experts}) (MellumTopKRouter's top-k)"
        )
    return {"moe": m, "moe_layers": layers}


def _mellum_extra(r: Reader, f: Fields) -> Fields:
    """``MellumConfig``: ``head_dim`` is a strict integer (null refused); at most one MTP
    layer (``num_mtp_layers``), which ``MellumForCausalLM`` does not build (the checkpoint's
    ``mtp.*`` is ignored on load): not counted. ``MellumRotaryEmbedding`` (Laguna's) makes
    tables of ``head_dim · partial_rotary_factor`` per layer type, but ``MellumAttention``'s
    ``apply_rotary_pos_emb`` (Qwen3-MoE's) rotates the whole head: a factor other than 1
    cannot run, and RoPE spans ``head_dim``."""
    if r.raw("head_dim") is None:
        raise r.fail("field 'head_dim' is null: MellumConfig requires an integer")
    # num_mtp_layers is stored as num_nextn_predict_layers (the attribute map), which wins
    mtp = r.opt_integer("num_nextn_predict_layers") or 0
    if mtp > 1:
        raise r.fail(f"num_mtp_layers = {mtp}: MellumConfig supports a single MTP layer")
    if mtp:
        r.note("num_mtp_layers=1 not counted (MellumForCausalLM builds no MTP layer)")
    params = r.raw("rope_parameters")
    if isinstance(params, Mapping):
        for sub in [v for v in params.values() if isinstance(v, Mapping)] or [params]:
            frac = sub.get("partial_rotary_factor", 1.0)
            if frac != 1:
                raise r.fail(
                    f"rope_parameters partial_rotary_factor = {frac!r}: MellumAttention rotates "
                    "the whole head (a partial rotary table does not fit it)"
                )
    return {"rope_dim": f["head_dim"]}


#: Dots3NoteTextModel masks and caches by these three names (any other is a KeyError in
#: its forward); llmsizing's ``full`` kind holds both the plain and the indexed layers
_DOTS3_NOTE_LAYERS = {
    "full_attention": "full",
    "indexed_attention": "full",
    "sliding_attention": "sliding",
}
#: Dots3NoteTextConfig.__post_init__: the ``swa_<key>`` kwargs, with their defaults, that
#: fill the sliding layers' per_layer_config entries (``swa_qk_rope_head_dim`` defaults to
#: ``head_dim - qk_nope_head_dim`` of these)
_DOTS3_NOTE_SWA = {
    "num_attention_heads": 64,
    "num_key_value_heads": 64,
    "q_lora_rank": 1024,
    "kv_lora_rank": 1024,
    "head_dim": 256,
    "qk_nope_head_dim": 192,
    "v_head_dim": 128,
}
#: the per_layer_config keys Dots3NoteTextAttention reads from its layer's config
_DOTS3_NOTE_PER_LAYER = (*_DOTS3_NOTE_SWA, "qk_rope_head_dim")


def _dots3_note_kwarg(r: Reader, key: str, default: int) -> int:
    """A kwarg ``Dots3NoteTextConfig.__post_init__`` pops with a default (no class field)."""
    if r.raw(key) is ABSENT:
        r.note(f"{key}={default!r} (Dots3NoteTextConfig kwarg default)")
        return default
    return r.integer(key)


def _dots3_note_types(r: Reader, n: int) -> list[str]:
    """Each layer's transformers kind (``Dots3NoteTextConfig.__post_init__``).

    ``layer_types``, else ``indexed_attention`` on layers 0, 1 and ``i % 4 == 1`` (every
    layer without the kwarg ``use_sliding_window``, default True), ``sliding_attention``
    elsewhere. The kwarg ``use_dsa`` (default True, None when the file has a
    ``per_layer_config``) then renames ``full_attention`` to ``indexed_attention``, or with
    False the other way round.
    """
    use_dsa = r.raw("use_dsa")
    if use_dsa is ABSENT:
        use_dsa = None if "per_layer_config" in r.data else True
    if use_dsa is not None and not isinstance(use_dsa, bool):
        raise r.fail(f"field 'use_dsa' must be true, false or null, got {use_dsa!r}")
    raw = r.sequence("layer_types")
    if raw is None:
        swa = r.boolean("use_sliding_window", True)
        full = "full_attention" if use_dsa is False else "indexed_attention"
        raw = [full if not swa or i < 2 or i % 4 == 1 else "sliding_attention" for i in range(n)]
        where = "on layers 0, 1 and i % 4 == 1, sliding elsewhere" if swa else "everywhere"
        r.note(f"layer_types: {full} {where} (Dots3NoteTextConfig)")
    if len(raw) != n:
        raise r.fail(f"field 'layer_types' has {len(raw)} entries for {n} layers")
    for i, t in enumerate(raw):
        if t not in _DOTS3_NOTE_LAYERS:
            known = ", ".join(sorted(_DOTS3_NOTE_LAYERS))
            raise r.fail(f"layer_types[{i}] = {t!r} is not supported (known: {known})")
    if use_dsa is not None:
        old, new = ("full_attention", "indexed_attention")
        if not use_dsa:
            old, new = new, old
        raw = [new if t == old else t for t in raw]
    return list(raw)


def _dots3_note_overrides(r: Reader, types: list[str]) -> dict[int, Mapping[str, Any]]:
    """The per-layer attention keys (``Dots3NoteTextAttention`` reads
    ``config.per_layer_config[layer_idx]``).

    A file's ``per_layer_config`` (a saved config writes one; null: none) wins; else
    ``Dots3NoteTextConfig.__post_init__`` gives every sliding layer the ``swa_*`` kwargs
    (:data:`_DOTS3_NOTE_SWA`). Only the attention's MLA keys may vary by layer: the MLP and
    MoE read the global config, which refuses a per-layer key there.
    """
    n = len(types)
    if "per_layer_config" in r.data:
        raw = r.mapping("per_layer_config")
        out: dict[int, Mapping[str, Any]] = {}
        for key, over in raw.items():
            try:
                i = int(key)
            except ValueError:
                raise r.fail(f"per_layer_config key {key!r} is not a layer index") from None
            if not 0 <= i < n:
                raise r.fail(f"per_layer_config key {key!r} is not one of {n} layers")
            if not isinstance(over, Mapping):
                raise r.fail(f"per_layer_config[{key!r}] must be an object, got {over!r}")
            extra = sorted(set(over) - set(_DOTS3_NOTE_PER_LAYER))
            if extra:
                raise r.fail(
                    f"per_layer_config[{key!r}] overrides {', '.join(extra)} (only the MLA "
                    f"keys of the attention are supported: {', '.join(_DOTS3_NOTE_PER_LAYER)})"
                )
            out[i] = over
        return out
    swa: dict[str, Any] = {}
    for key, default in _DOTS3_NOTE_SWA.items():
        if key == "q_lora_rank" and r.raw("swa_q_lora_rank") is None:
            swa[key] = None  # refused below, as validate_architecture does
        else:
            swa[key] = _dots3_note_kwarg(r, f"swa_{key}", default)
    rope = swa["head_dim"] - swa["qk_nope_head_dim"]
    swa["qk_rope_head_dim"] = _dots3_note_kwarg(r, "swa_qk_rope_head_dim", rope)
    return {i: swa for i, t in enumerate(types) if t == "sliding_attention"}


def _dots3_note_dims(r: Reader, over: Mapping[str, Any]) -> dict[str, int | None]:
    """One layer's MLA keys: its per_layer_config entry over the global config."""
    lr = _with(r, **over)
    dims: dict[str, int | None] = {"q_lora_rank": lr.opt_integer("q_lora_rank")}
    for key in _DOTS3_NOTE_PER_LAYER:
        if key != "q_lora_rank":
            dims[key] = lr.integer(key)
    return dims


def _dots3_note_moe_layers(r: Reader, n: int) -> tuple[bool, ...]:
    """``Dots3NoteTextDecoderLayer``: ``Dots3NoteTextMoE`` where ``mlp_layer_types[i]`` is
    ``"sparse"``. ``Dots3NoteTextConfig.__post_init__`` derives the list from the kwargs
    ``first_k_dense_replace`` (default 1) and ``moe_layer_freq`` (default 1; an int:
    ``i % freq == 0``, or a per-layer list of flags)."""
    raw = r.sequence("mlp_layer_types")
    if raw is not None:
        if len(raw) != n:
            raise r.fail(f"field 'mlp_layer_types' has {len(raw)} entries for {n} layers")
        for i, t in enumerate(raw):
            if t not in ("dense", "sparse"):
                raise r.fail(f"mlp_layer_types[{i}] = {t!r} is not supported (dense, sparse)")
        return tuple(t == "sparse" for t in raw)
    first = _dots3_note_kwarg(r, "first_k_dense_replace", 1)
    freq = r.raw("moe_layer_freq")
    if isinstance(freq, list):
        if len(freq) < n:
            raise r.fail(f"field 'moe_layer_freq' has {len(freq)} entries for {n} layers")
        return tuple(i >= first and bool(freq[i]) for i in range(n))
    step = _dots3_note_kwarg(r, "moe_layer_freq", 1)
    c.positive(r, "moe_layer_freq", step)
    return tuple(i >= first and i % step == 0 for i in range(n))


def _dots3_note_moe(r: Reader) -> MoEConfig:
    """``Dots3NoteTextMoE``: ``Dots3NoteTextTopkRouter`` (a weight of ``n_routed_experts`` x
    hidden; ``e_score_correction_bias`` is a buffer), fused ``Dots3NoteExperts`` of
    ``moe_intermediate_size`` and one ``shared_experts`` MLP of
    ``shared_experts_intermediate_size · n_shared_experts`` (the kwarg
    ``moe_shared_expert_intermediate_size`` wins). ``validate_architecture``: at least one
    shared expert, ``n_group`` dividing the experts into groups of two or more,
    ``1 <= topk_group <= n_group``; the router picks ``num_experts_per_tok`` experts of the
    ``topk_group`` groups it keeps."""
    experts = c.positive(r, "n_routed_experts", r.integer("n_routed_experts"))
    shared = r.integer("n_shared_experts")
    if shared == 0:
        raise r.fail("field 'n_shared_experts' must be at least 1 (Dots3NoteTextConfig)")
    groups = c.positive(r, "n_group", r.integer("n_group"))
    if experts % groups or experts // groups < 2:
        raise r.fail(
            f"n_group ({groups}) must divide n_routed_experts ({experts}) into groups of at "
            "least two experts (Dots3NoteTextTopkRouter scores each group's top two)"
        )
    kept = r.integer("topk_group")
    if not 1 <= kept <= groups:
        raise r.fail(f"topk_group ({kept}) must be between 1 and n_group ({groups})")
    top_k = r.integer("num_experts_per_tok")
    if not 1 <= top_k <= kept * (experts // groups):
        raise r.fail(
            f"num_experts_per_tok ({top_k}) must be between 1 and the {kept * experts // groups} "
            "experts of the topk_group groups the router keeps"
        )
    key = (
        "moe_shared_expert_intermediate_size"
        if r.has("moe_shared_expert_intermediate_size")
        else "shared_experts_intermediate_size"
    )
    return MoEConfig(
        n_routed_experts=experts,
        experts_per_token=top_k,
        expert_intermediate_size=r.integer("moe_intermediate_size"),
        n_shared_experts=shared,
        shared_expert_intermediate_size=r.integer(key) * shared,
    )


def _dots3_note(r: Reader) -> Fields:
    """dots3-note's language model (``Dots3NoteForCausalLM``, ``models/dots3_note``).

    ``Dots3NoteTextAttention`` on every layer: DeepSeek-V3's MLA with an always-on query
    LoRA (``q_a_proj``, ``q_a_layernorm``, ``q_b_proj``), ``kv_a_proj_with_mqa``,
    ``kv_a_layernorm``, ``kv_b_proj``, ``o_proj`` (``attention_bias`` on ``q_a_proj``,
    ``kv_a_proj_with_mqa`` and ``o_proj``), an RMSNorm over the rope key
    (``k_rope_only_layernorm``: ``MLAConfig.rope_norm``) and ``g_proj`` (hidden → heads, a
    sigmoid gate per head: ``attn_output_gate="head"``), each layer with the MLA keys of
    ``config.per_layer_config[i]`` (:func:`_dots3_note_overrides`): the sliding layers have
    their own heads and widths (``sliding_mla``, ``sliding_attention``) and attend over
    ``sliding_window`` tokens (null: the kwarg ``sliding_window_size``, default 512).
    ``indexed_attention`` layers add ``Dots3NoteTextIndexer`` (DeepSeek-V3.2's: ``wq_b``
    from the layer's query latent, ``wk``, a ``k_norm`` LayerNorm with bias,
    ``weights_proj``) and cache its key; ``full_attention`` layers have none.
    ``validate_architecture``: ``q_lora_rank`` set and ``num_key_value_heads`` equal to the
    heads on every layer kind, each kind homogeneous; ``qk_rope_head_dim <= index_head_dim``
    on indexed layers; ``head_dim = qk_nope + qk_rope`` on sliding ones.
    ``Dots3NoteTextDecoderLayer``: :func:`_dots3_note_moe` or ``Dots3NoteTextMLP``
    (``intermediate_size``, no bias whatever ``mlp_bias`` says) by
    :func:`_dots3_note_moe_layers`; two RMSNorms a layer and a final one. The checkpoint's
    MTP layer (``layers.46``, ``mtp``) is ignored on load: not counted.
    """
    f = c.sizes(r)
    n = f["num_layers"]
    types = _dots3_note_types(r, n)
    overrides = _dots3_note_overrides(r, types)
    dims = [_dots3_note_dims(r, overrides.get(i, {})) for i in range(n)]
    kinds: dict[str, dict[str, int | None]] = {}
    for t, d in zip(types, dims, strict=True):
        if kinds.setdefault(t, d) != d:
            raise r.fail(f"per_layer_config gives the {t} layers different dimensions")
        if d["q_lora_rank"] is None:
            raise r.fail(f"q_lora_rank is null on the {t} layers (Dots3NoteTextAttention needs it)")
        if d["num_attention_heads"] == 0 or d["num_key_value_heads"] != d["num_attention_heads"]:
            raise r.fail(
                f"num_key_value_heads ({d['num_key_value_heads']}) must equal the "
                f"{d['num_attention_heads']} heads of the {t} layers (Dots3NoteTextConfig)"
            )
    index_dim = r.integer("index_head_dim")
    rope_idx = kinds.get("indexed_attention", {}).get("qk_rope_head_dim") or 0
    if rope_idx > index_dim:
        raise r.fail(
            f"qk_rope_head_dim ({rope_idx}) of the indexed layers must not exceed "
            f"index_head_dim ({index_dim}) (Dots3NoteTextIndexer rotates part of its head)"
        )
    swa = kinds.get("sliding_attention")
    if swa is not None and swa["head_dim"] != (swa["qk_nope_head_dim"] or 0) + (
        swa["qk_rope_head_dim"] or 0
    ):
        raise r.fail(
            f"the sliding layers' head_dim ({swa['head_dim']}) must be qk_nope_head_dim + "
            f"qk_rope_head_dim ({swa['qk_nope_head_dim']} + {swa['qk_rope_head_dim']})"
        )
    full = [d for t, d in kinds.items() if t != "sliding_attention"]
    if len(full) > 1 and full[0] != full[1]:
        raise r.fail(
            "per_layer_config gives the full and the indexed layers different dimensions "
            "(llmsizing holds one set for the non-sliding layers)"
        )
    bias = r.boolean("attention_bias", False)

    def mla(d: Mapping[str, int | None]) -> MLAConfig:
        return MLAConfig(
            q_lora_rank=d["q_lora_rank"],
            kv_lora_rank=d["kv_lora_rank"] or 0,
            qk_nope_head_dim=d["qk_nope_head_dim"] or 0,
            qk_rope_head_dim=d["qk_rope_head_dim"] or 0,
            v_head_dim=d["v_head_dim"] or 0,
            bias=bias,
            rope_norm=True,
        )

    main = full[0] if full else swa
    assert main is not None
    a = mla(main)
    heads = main["num_attention_heads"] or 0
    out = f | c.mla_fields(a) | {"num_heads": heads, "num_kv_heads": heads}
    if swa is not None and swa is not main:
        sa = mla(swa)
        sh = swa["num_attention_heads"] or 0
        if sa != a:
            out["sliding_mla"] = sa
        if sh != heads or sa != a:
            out["sliding_attention"] = AttentionDims(
                num_heads=sh,
                num_kv_heads=sh,
                head_dim=sa.qk_nope_head_dim + sa.qk_rope_head_dim,
                v_head_dim=sa.v_head_dim,
            )
    w = r.opt_integer("sliding_window")
    if w is None:
        w = _dots3_note_kwarg(r, "sliding_window_size", 512)
    if swa is not None and w == 0:
        raise r.fail("field 'sliding_window' must be positive: the model has sliding layers")
    indexed = tuple(t == "indexed_attention" for t in types)
    indexer = None
    if any(indexed):
        indexer = IndexerConfig(
            n_heads=r.integer("index_n_heads"),
            head_dim=index_dim,
            topk=r.integer("index_topk"),
            layers=indexed if not all(indexed) else (),
        )
    moe_layers = _dots3_note_moe_layers(r, n)
    # validate_architecture checks the router keys whether or not a layer is sparse
    m = _dots3_note_moe(r)
    if r.boolean("mlp_bias", False):
        r.note("mlp_bias ignored (Dots3NoteTextMLP builds no bias)")
    if r.opt_integer("num_nextn_predict_layers"):
        r.note("num_nextn_predict_layers not counted (transformers builds no MTP layer)")
    return out | {
        "layer_types": tuple(_DOTS3_NOTE_LAYERS[t] for t in types),
        "sliding_window": w,
        "mla": a,
        "o_bias": bias,
        "indexer": indexer,
        "moe": m if any(moe_layers) else None,
        "moe_layers": moe_layers if any(moe_layers) else (),
        "attn_output_gate": "head",
        # Dots3NoteTextRotaryEmbedding always runs (default_theta), over qk_rope_head_dim
        "rope_dim": max(d["qk_rope_head_dim"] or 0 for d in kinds.values()),
        "mtp_layers": 0,
    }


#: ZayaModel masks by these two names; each layer keeps K and V (full or sliding) beside the
#: CCA state (transformers' LinearAttentionAnd{Full,SlidingWindow}AttentionLayer)
_ZAYA_LAYERS = {"hybrid": "full", "hybrid_sliding": "sliding"}


def _zaya_rope_dim(r: Reader, types: list[str], hd: int) -> int:
    """Channels RoPE rotates (``ZayaRotaryEmbedding``, Laguna's): ``int(head_dim ·
    partial_rotary_factor)`` of each layer type's ``rope_parameters`` entry (1.0 when the
    entry has none), the widest over the kinds present; ``ZayaConfig``'s defaults give both
    types 0.5. A top-level ``rope_type`` beside the entries (the hub config) is dropped."""
    params = r.raw("rope_parameters")
    if params is ABSENT or params is None:
        return int(hd * 0.5)
    if not isinstance(params, Mapping):
        raise r.fail(f"field 'rope_parameters' must be an object, got {params!r}")
    names = {v: k for k, v in _ZAYA_LAYERS.items()}
    widths = []
    for kind in sorted(set(types)):
        sub = params.get(names[kind])
        if not isinstance(sub, Mapping):
            # ZayaRotaryEmbedding reads config.rope_parameters[layer_type]
            raise r.fail(f"rope_parameters has no entry for the {names[kind]!r} layers")
        frac = sub.get("partial_rotary_factor", 1.0)
        if isinstance(frac, bool) or not isinstance(frac, int | float) or not 0 < frac <= 1:
            raise r.fail(f"rope_parameters partial_rotary_factor = {frac!r} is not in (0, 1]")
        widths.append(int(hd * frac))
    return max(widths)


def _zaya(r: Reader) -> Fields:
    """ZAYA1 (``ZayaForCausalLM``, transformers ``models/zaya/modeling_zaya.py``).

    Every layer: ``ZayaAttention`` over ``ZayaCCAProjection`` (Compressed Convolutional
    Attention: ``q_proj``, ``k_proj``, ``v_proj_current`` / ``v_proj_delayed`` (half the
    value width each), all biased with ``attention_bias``; the depthwise and grouped q/k
    convolutions of ``cca_time0`` / ``cca_time1`` taps, biased) and ``ZayaQKNorm`` (an L2
    norm with a learned scale per KV head): ``ModelConfig.cca``; ``o_proj`` (biased with
    ``attention_bias``); full (``hybrid``) or sliding-window (``hybrid_sliding``) attention
    by ``layer_types`` (default: every layer ``hybrid``; ``validate_architecture`` wants a
    ``sliding_window`` for sliding layers). ``ZayaSparseMoeBlock`` on every layer:
    ``ZayaRouter`` (an MLP of ``router_hidden_size``, :attr:`MoEConfig.router_mlp`; the
    ``balancing_biases`` are a buffer) and fused ``ZayaExperts`` (``Qwen3MoeExperts``) of
    ``moe_intermediate_size``; top-1 only (``validate_architecture``), the skip class not
    counted as an expert. ``ZayaDecoderLayer``: two RMSNorms and two
    ``ZayaResidualScaling`` (``residual_scales``); ``ZayaModel``: the input scale and bias,
    a final norm. ``ZayaForCausalLM``: ``lm_head`` with ``lm_head_bias``, tied by default.
    ``ZayaConfig`` removes ``intermediate_size`` (no dense FFN): a key of that name is not
    read.
    """
    if r.raw("head_dim") is None:
        raise r.fail("field 'head_dim' is null: ZayaConfig requires an integer")
    inter = r.integer("moe_intermediate_size")
    if r.has("intermediate_size"):
        r.note("intermediate_size not read (ZayaConfig has no dense FFN)")
    f = c.sizes(_with(r, intermediate_size=inter))
    # ZayaAttention / ZayaCCAProjection: head_dim = config.head_dim (a field, default 128)
    f |= c.heads(r, f["hidden_size"])
    n, kv, hd = f["num_layers"], f["num_kv_heads"], f["head_dim"]
    types = c.layer_list(r, n, names=_ZAYA_LAYERS)
    if types is None:
        types = ["full"] * n
        r.note("every layer hybrid, full attention (ZayaConfig default layer_types)")
    w = r.opt_integer("sliding_window")
    if "sliding" in types and not w:
        raise r.fail(
            f"field 'sliding_window' = {w!r}: the hybrid_sliding layers need a positive window"
        )
    if (kv * hd) % 2:
        raise r.fail(
            f"num_key_value_heads x head_dim ({kv} x {hd}) must be even: ZayaCCAProjection "
            "builds the values as two halves (v_proj_current, v_proj_delayed)"
        )
    # a CCAConfig (model.py), validated from the mapping by ModelConfig
    cca = {
        "depthwise_kernel": c.positive(r, "cca_time0", r.integer("cca_time0")),
        "grouped_kernel": c.positive(r, "cca_time1", r.integer("cca_time1")),
    }
    top_k = r.integer("num_experts_per_tok")
    if top_k != 1:
        raise r.fail(f"num_experts_per_tok = {top_k}: ZayaConfig supports top-1 routing only")
    m = MoEConfig(
        n_routed_experts=c.positive(r, "num_experts", r.integer("num_experts")),
        experts_per_token=top_k,
        expert_intermediate_size=inter,
        router_mlp=c.positive(r, "router_hidden_size", r.integer("router_hidden_size")),
    )
    bias = r.boolean("attention_bias", False)
    return f | {
        "layer_types": tuple(types),
        "sliding_window": w,
        "qkv_bias": bias,
        "o_bias": bias,
        "lm_head_bias": r.boolean("lm_head_bias", False),
        "cca": cca,
        "residual_scales": True,
        "moe": m,
        "moe_layers": (True,) * n,
        "rope_dim": _zaya_rope_dim(r, types, hd),
    }


def _fairseq_decoder(r: Reader) -> Fields:
    """The fairseq-style decoder XGLM and Kosmos-2 share: ``ffn_dim`` wide plain FFNs,
    q/k/v/out_proj with biases over heads splitting the width evenly, two biased LayerNorms
    per layer, full causal attention everywhere."""
    f = c.sizes(_with(r, intermediate_size=r.integer("ffn_dim")))
    f |= _mha_heads(r, f["hidden_size"])
    return f | {
        "layer_types": ("full",) * f["num_layers"],
        "qkv_bias": True,
        "o_bias": True,
        "mlp_bias": True,
        "layer_norms": 2,
        "norm_bias": True,
        "ffn_gated": False,
    }


def _xglm(r: Reader) -> Fields:
    """XGLMForCausalLM: ``XGLMScaledWordEmbedding`` (scaled by sqrt(d_model), no extra
    weight), ``XGLMSinusoidalPositionalEmbedding`` (a non-persistent buffer: no parameters),
    per ``XGLMDecoderLayer`` q/k/v/out_proj (``XGLMAttention``: d_model x d_model with
    biases, heads splitting d_model evenly), fc1 / fc2 (ffn_dim) with biases, and
    self_attn_layer_norm / final_layer_norm LayerNorms, then a final ``layer_norm``; the head
    (unbiased) tied by default. ``add_cross_attention`` adds an encoder_attn block, which is
    not a causal decoder: refused."""
    if r.boolean("add_cross_attention", False):
        raise r.fail("add_cross_attention builds an encoder attention block (not supported)")
    return _fairseq_decoder(r)


def _diffllama_lambdas(r: Reader, f: Fields) -> Fields:
    """``DiffLlamaAttention``: the lambda vectors (``diff_attn_lambdas``); it refuses an odd
    ``num_key_value_heads`` (the values are split in two halves along the KV heads) and
    ``attention_dropout > 0``."""
    kv = f["num_kv_heads"]
    if kv % 2:
        raise r.fail(f"num_key_value_heads ({kv}) must be even (DiffLlamaAttention splits V)")
    dropout = r.number("attention_dropout", 0.0)
    if dropout > 0:
        raise r.fail(f"attention_dropout ({dropout}) > 0 is refused by DiffLlamaAttention")
    return {"diff_attn_lambdas": True}


def _doge_dense(r: Reader, f: Fields) -> Fields:
    """``DogeAttention``'s dynamic mask (``A``, ``dt_proj``) and ``DogeDecoderLayer``'s two
    residual vectors; ``is_moe`` (``DogeCDMoE``: a product-key router and two
    ``num_experts x hidden`` embedding tables of one-neuron experts) is refused."""
    if r.boolean("is_moe", False):
        raise r.fail("is_moe (DogeCDMoE: one-neuron embedding experts) is not supported")
    return {"dynamic_mask": True, "residual_vectors": True}


_doge = dense(mlp_bias="mlp_bias", qk_norm="head", windows=c.window_everywhere, extra=_doge_dense)


_HUNYUAN_VL_DENSE = dense(qk_norm="head")


def _hunyuan_vl_text(r: Reader) -> Fields:
    """HunYuanVL's text model (``HunYuanVLTextModel``, transformers 5.24 ``hunyuan_vl``).

    ``HunYuanVLDenseV1DecoderLayer``: HunYuan-Dense-V1's layer, a gated SiLU MLP without
    biases and ``HunYuanVLDenseV1Attention`` with ``attention_bias`` on q/k/v/o and a
    ``query_layernorm`` / ``key_layernorm`` of ``head_dim`` width (read as
    ``hunyuan_v1_dense``'s ``dense(qk_norm="head")``). The attention takes
    ``getattr(config, "head_dim", ...)``: the field exists with a null default, so a config
    without ``head_dim`` builds no model (``None * heads`` fails) and is refused.
    """
    if not r.has("head_dim"):
        raise r.fail(
            "field 'head_dim' is required (HunYuanVLDenseV1Attention reads config.head_dim, "
            "whose default is null)"
        )
    return _HUNYUAN_VL_DENSE(r)


def _gpt_neox_japanese_rotary(r: Reader, head: int) -> int:
    """``GPTNeoXJapaneseAttention.rotary_ndims``: ``int(head_size · partial_rotary_factor)``.

    ``GPTNeoXJapaneseConfig.convert_rope_params_to_dict``: a ``rope_scaling`` object replaces
    ``rope_parameters``; its ``partial_rotary_factor``, else the checkpoints' ``rotary_pct``,
    else 1.0. ``GPTNeoXJapaneseRotaryEmbedding`` builds its table as wide: past the head
    (a factor above 1) the rotation cannot be applied.
    """
    params = r.mapping("rope_scaling") or r.mapping("rope_parameters")
    frac = params.get("partial_rotary_factor")
    if frac is None:
        frac = r.number("rotary_pct", 1.0, why="GPTNeoXJapaneseConfig default")
    if isinstance(frac, bool) or not isinstance(frac, int | float) or not 0 <= frac <= 1:
        raise r.fail(
            f"partial_rotary_factor {frac!r} must be between 0 and 1: GPTNeoXJapaneseAttention "
            "rotates that fraction of each head"
        )
    return int(head * frac)


def _gpt_neox_japanese(r: Reader) -> Fields:
    """GPTNeoXJapaneseForCausalLM (``models/gpt_neox_japanese``): ``embed_in``; per
    ``GPTNeoXJapaneseLayer`` input_layernorm / post_attention_layernorm (LayerNorms with
    bias), ``GPTNeoXJapaneseAttention``'s query_key_value (hidden -> 3 x hidden) and dense
    (hidden -> hidden), both unbiased, and in the last layer only a ``dense_bias`` (hidden:
    ``use_bias=layer_number == num_hidden_layers - 1``), ``GPTNeoXJapaneseMLP``'s
    dense_h_to_4h / dense_4h_to_h without bias (``hidden_size x intermediate_multiple_size``
    wide); final_layer_norm; ``embed_out`` (unbiased) tied by default. Heads of
    ``hidden_size // num_attention_heads`` (query_key_value is viewed as heads x 3 x
    head_size: a remainder is refused); a ``head_dim`` key other than that width gives the
    rotary table another width than the attention rotates (refused). RoPE on
    ``rotary_ndims`` channels of each head.
    """
    hidden = r.integer("hidden_size")
    mult = r.integer("intermediate_multiple_size")
    # a width of 0 builds an MLP that outputs zeros
    c.positive(r, "intermediate_multiple_size", mult)
    f = c.sizes(_with(r, intermediate_size=hidden * mult))
    f |= _mha_heads(r, hidden)
    hd, n = f["head_dim"], f["num_layers"]
    if r.has("head_dim") and r.integer("head_dim") != hd:
        raise r.fail(
            f"head_dim {r.integer('head_dim')} is not hidden_size // num_attention_heads ({hd}): "
            "GPTNeoXJapaneseRotaryEmbedding would build its table for other heads than "
            "GPTNeoXJapaneseAttention rotates"
        )
    return (
        f
        | _GPT
        | {
            "layer_types": ("full",) * n,
            "qkv_bias": False,
            "o_bias_layers": tuple(i == n - 1 for i in range(n)),
            "mlp_bias": False,
            "rope_dim": _gpt_neox_japanese_rotary(r, hd),
        }
    )


#: OpenAI GPT's ``ACT_FNS``: the activations its ``MLP`` looks ``afn`` up in
_OPENAI_GPT_ACTS = ("relu", "silu", "gelu", "swish")


def _openai_gpt(r: Reader) -> Fields:
    """OpenAIGPTLMHeadModel (``models/openai/modeling_openai.py``): ``tokens_embed`` and
    ``positions_embed`` (``n_positions`` rows); per ``Block`` a fused ``c_attn`` (3 x n_embd)
    and ``c_proj`` with biases (``Attention``: heads splitting n_embd evenly, refused on a
    remainder), ``ln_1``, an ``MLP`` of ``c_fc`` / ``c_proj`` with biases, always 4 x n_embd
    wide (``Block``: ``MLP(4 * nx, config)``; the config has no FFN width, an ``n_inner`` key
    is not read), ``ln_2``. Post-LN (``ln_1(x + a)``, ``ln_2(n + m)``): no final norm. An
    unbiased head, tied by default. ``MLP`` looks ``afn`` up in ``ACT_FNS`` (relu, silu,
    gelu, swish) and fails on any other name: refused.

    OpenAIGPTModel keeps no KV cache (its forward takes no past key values: generation
    reruns the prefix); llmsizing's KV cache is what a caching engine keeps, K and V of
    n_embd per layer and token.
    """
    afn = r.string("afn")
    if afn not in _OPENAI_GPT_ACTS:
        raise r.fail(
            f"afn {afn!r} is not one of {', '.join(_OPENAI_GPT_ACTS)} (OpenAI GPT's MLP looks "
            "it up in ACT_FNS, which has no other entry)"
        )
    if r.has("n_inner"):
        r.note("n_inner not read (OpenAI GPT's Block builds its MLP 4 x n_embd wide)")
    hidden = r.integer("hidden_size")
    f = c.sizes(_with(r, intermediate_size=4 * hidden))
    f |= _mha_heads(r, hidden)
    return (
        f
        | _positions(r)
        | _GPT
        | {
            "layer_types": ("full",) * f["num_layers"],
            "qkv_bias": True,
            "o_bias": True,
            "mlp_bias": True,
            "final_norm": False,
        }
    )


def _ctrl(r: Reader) -> Fields:
    """CTRLLMHeadModel (``models/ctrl/modeling_ctrl.py``): the token embedding ``w`` (scaled by
    sqrt(n_embd): no weight), sinusoidal positions (``pos_encoding``, a non-persistent buffer:
    no parameters); per ``EncoderLayer`` ``MultiHeadAttention``'s ``Wq`` / ``Wk`` / ``Wv`` /
    ``dense`` (n_embd x n_embd, all biased), the ``ffn`` (``point_wise_feed_forward_network``:
    Linear(n_embd, dff), ReLU, Linear(dff, n_embd), biased) and ``layernorm1`` /
    ``layernorm2`` LayerNorms; a final ``layernorm``; ``lm_head`` with a bias, tied by default
    (tied, its weight is ``w`` and its bias stays). ``MultiHeadAttention`` views q/k/v as heads
    of ``int(n_embd / n_head)`` channels: a remainder is refused."""
    f = c.sizes(_with(r, intermediate_size=r.integer("dff")))
    f |= _mha_heads(r, f["hidden_size"])
    return (
        f
        | _GPT
        | {
            "layer_types": ("full",) * f["num_layers"],
            "qkv_bias": True,
            "o_bias": True,
            "mlp_bias": True,
            "lm_head_bias": True,
        }
    )


def _biogpt(r: Reader) -> Fields:
    """BioGptForCausalLM (``models/biogpt/modeling_biogpt.py``): ``BioGptScaledWordEmbedding``
    (scaled by sqrt(hidden_size) with ``scale_embedding``: no weight) and
    ``BioGptLearnedPositionalEmbedding`` (``max_position_embeddings + 2`` rows: its offset of
    2); per ``BioGptDecoderLayer`` q/k/v/out_proj (``BioGptAttention``: hidden x hidden with
    biases, heads splitting hidden_size evenly, refused on a remainder; no
    ``num_key_value_heads``), fc1 / fc2 (``intermediate_size``) with biases, and
    self_attn_layer_norm / final_layer_norm LayerNorms; a final ``layer_norm``; the head
    (``output_projection``, unbiased) tied by default."""
    f = c.sizes(r)
    f |= _mha_heads(r, f["hidden_size"])
    return (
        f
        | _positions(r, offset=2)
        | _GPT
        | {
            "layer_types": ("full",) * f["num_layers"],
            "qkv_bias": True,
            "o_bias": True,
            "mlp_bias": True,
        }
    )


def _aria_moe(r: Reader, f: Fields) -> Fields:
    """Aria's MoE block on every decoder layer (``AriaTextMoELayer``).

    ``AriaTextTopKRouter``: an unbiased ``weight`` of ``moe_num_experts`` × hidden;
    ``AriaExperts``: ``gate_up_proj`` (experts, hidden, 2 · ``intermediate_size``) and
    ``down_proj``, never biased; ``AriaSharedExpertsMLP``: one gated MLP of
    ``intermediate_size · moe_num_shared_experts``, biased where ``mlp_bias``.
    """
    m = c.moe(
        r,
        experts="moe_num_experts",
        top_k="moe_topk",
        inter=f["intermediate_size"],
        shared="moe_num_shared_experts",
    )
    if not 0 < m.experts_per_token <= m.n_routed_experts:
        # AriaTextTopKRouter: torch.topk(router_logits, moe_topk) over the experts
        raise r.fail(
            f"moe_topk ({m.experts_per_token}) must be between 1 and moe_num_experts "
            f"({m.n_routed_experts})"
        )
    if not m.shared_expert_intermediate_size and f["mlp_bias"]:
        # AriaSharedExpertsMLP of width 0 keeps down_proj's bias (hidden_size values)
        raise r.fail(
            "moe_num_shared_experts 0 with mlp_bias leaves AriaSharedExpertsMLP a lone "
            "down_proj bias, which llmsizing does not model"
        )
    return {"moe": m, "moe_layers": (True,) * f["num_layers"]}


def _aria_text_extra(r: Reader, f: Fields) -> Fields:
    """``AriaTextConfig.validate_architecture``: heads divide hidden_size, even with a
    ``head_dim``; ``AriaTextRotaryEmbedding`` rotates all of ``head_dim``."""
    if f["hidden_size"] % f["num_heads"]:
        raise r.fail(
            f"num_attention_heads ({f['num_heads']}) must divide hidden_size "
            f"({f['hidden_size']}) (AriaTextConfig.validate_architecture)"
        )
    return {"rope_dim": f["head_dim"]}


def _zamba_kinds(r: Reader, n: int) -> list[str]:
    """``ZambaConfig.layers_block_type`` (alias ``layer_types``) as llmsizing's layer kinds."""
    raw = r.sequence("layers_block_type")
    if raw is None:
        period, offset = r.integer("attn_layer_period"), r.integer("attn_layer_offset")
        if n > 3:
            c.positive(r, "attn_layer_period", period)
        # ZambaConfig.__post_init__: two Mamba layers and a hybrid one, then a hybrid layer
        # where i % attn_layer_period == attn_layer_offset over the other num_hidden_layers - 3
        raw = ["mamba", "mamba", "hybrid"]
        raw += ["hybrid" if i % period == offset else "mamba" for i in range(n - 3)]
        r.note("layers_block_type from ZambaConfig's pattern (attn_layer_period, _offset)")
    if len(raw) != n:
        # ZambaConfig's validate_layer_type refuses a list of another length (the default
        # pattern has 3 entries for 1 or 2 layers)
        raise r.fail(f"field 'layers_block_type' has {len(raw)} entries for {n} layers")
    for i, t in enumerate(raw):
        if not isinstance(t, str) or t not in _ZAMBA2_LAYERS:
            # ZambaModel builds a Mamba layer for any kind but "hybrid": over a cache layer
            # of another kind it has no Mamba state
            raise r.fail(f"layers_block_type[{i}] = {t!r} is not supported (known: hybrid, mamba)")
    return [_ZAMBA2_LAYERS[t] for t in raw]


def _zamba(r: Reader) -> Fields:
    """Zamba (v1): Mamba layers; hybrid layers run the shared transformer block before theirs.

    ``ZambaMambaDecoderLayer``: an RMSNorm and ``ZambaMambaMixer``, a Mamba-1 mixer over
    ``mamba_expand · hidden`` channels split into ``n_mamba_heads`` heads, each with its own
    ``x_proj`` (head_dim → dt_rank + 2 · mamba_d_state) and ``dt_proj``: stacked per head,
    as many parameters as one Mamba-1 mixer (``x_proj_weight`` H × (R + 2N) × d_inner / H,
    ``dt_proj_weight`` H × d_inner / H × R, ``A_log`` and ``D`` per channel); ``conv1d``
    biased where ``mamba_conv_bias``, ``in_proj`` / ``out_proj`` where ``mamba_proj_bias``;
    no FFN. ``ZambaHybridLayer`` (a ``hybrid`` entry): a ``ZambaAttentionDecoderLayer`` over
    the hidden state concatenated with the token embeddings (``attention_hidden_size`` =
    2 · hidden): an RMSNorm of that width, q/k/v from it in heads of ``attention_head_dim``
    (``2 · hidden // num_attention_heads`` when null), o back to hidden, no bias, no RoPE;
    an RMSNorm of hidden and ``ZambaMLP`` (gated, unbiased); then ``linear`` (h → h) and the
    Mamba layer. ``ZambaModel`` ties every hybrid layer's block to the first one's
    (``_tied_weights_keys``), and only where ``tie_word_embeddings``
    (``PreTrainedModel.get_expanded_tied_weights_keys``): else each holds a copy. A hybrid
    layer caches K and V and keeps the Mamba state (``LinearAttentionAndFullAttentionLayer``).
    """
    hidden = r.integer("hidden_size")
    f = c.sizes(r)
    n = f["num_layers"]
    kinds = _zamba_kinds(r, n)
    nh = c.positive(r, "num_attention_heads", r.integer("num_attention_heads"))
    kv = r.integer("num_key_value_heads")
    if kv == 0 or nh % kv:
        raise r.fail(f"num_key_value_heads ({kv}) must divide num_attention_heads ({nh})")
    # ZambaConfig.__post_init__: attention_hidden_size or 2 x hidden; head_dim likewise
    width = r.opt_integer("attention_hidden_size") or 2 * hidden
    if width != 2 * hidden:
        # ZambaAttentionDecoderLayer concatenates two hidden-wide tensors before its norm
        raise r.fail(
            f"attention_hidden_size ({width}) must be 2 x hidden_size ({2 * hidden}): the "
            "shared block reads the hidden state and the embeddings side by side"
        )
    hd = r.opt_integer("attention_head_dim") or width // nh
    if hd == 0:
        raise r.fail(f"num_attention_heads ({nh}) exceeds 2 x hidden_size ({width})")
    d_inner = c.positive(r, "mamba_expand", r.integer("mamba_expand")) * hidden
    mh = c.positive(r, "n_mamba_heads", r.integer("n_mamba_heads"))
    if d_inner % mh:
        # ZambaConfig.validate_architecture
        raise r.fail(f"n_mamba_heads ({mh}) must divide mamba_expand x hidden_size ({d_inner})")
    raw = r.raw("mamba_dt_rank")
    if raw is None:
        # ZambaConfig keeps a null rank ("auto" alone is derived): x_proj cannot be built
        raise r.fail("field 'mamba_dt_rank' must be an integer or 'auto', got null")
    if raw == "auto" or raw is ABSENT:
        dt_rank = math.ceil(hidden / 16)
        r.note(f"mamba_dt_rank={dt_rank} (ceil(hidden_size / 16), ZambaConfig 'auto')")
    else:
        dt_rank = r.integer("mamba_dt_rank")
    mamba = MambaConfig(
        version=1,
        d_inner=d_inner,
        d_state=r.integer("mamba_d_state"),
        d_conv=c.positive(r, "mamba_d_conv", r.integer("mamba_d_conv")),
        dt_rank=dt_rank,
        conv_bias=r.boolean("mamba_conv_bias", True),
        proj_bias=r.boolean("mamba_proj_bias", False),
    )
    return f | {
        "num_heads": nh,
        "num_kv_heads": kv,
        "head_dim": hd,
        "layer_types": tuple(kinds),
        "mamba": mamba,
        "parallel_ssm": True,
        # a ModelConfig.shared_blocks (SharedBlocks) record: one block, no LoRA adapters
        "shared_blocks": {
            "count": 1,
            "input_width": width,
            "adapter_rank": 0,
            "attention_adapters": False,
            "tied": f["tie_word_embeddings"],
        },
        # the MLP lives in the shared block; a layer has one norm (input_layernorm)
        "ffn_layers": (False,) * n,
        "layer_norms": 1,
        # ZambaAttention applies no positional encoding
        "rope_dim": 0,
    }


def _emu3_text_extra(r: Reader, f: Fields) -> Fields:
    """``Emu3RotaryEmbedding`` rotates all of ``head_dim`` (no partial rotary factor)."""
    return {"rope_dim": f["head_dim"]}


_EMU3_TEXT = dense(mlp_bias="mlp_bias", extra=_emu3_text_extra)


def _emu3_text(r: Reader) -> Fields:
    """Emu3's language model (``Emu3TextModel``): Llama's layers.

    ``Emu3Attention``: q/k/v/o biased where ``attention_bias``, heads of ``head_dim`` (read
    by ``getattr``, else hidden / heads); ``Emu3MLP``: gate, up and down, biased where
    ``mlp_bias``. Neither key is an ``Emu3TextConfig`` field (class attributes, False), yet
    a file's value reaches the modules. Two RMSNorms a layer, a final one, RoPE over all of
    ``head_dim``.
    """
    if r.raw("num_key_value_heads") is None:
        # Emu3TextConfig keeps the null (no __post_init__ fills it): Emu3Attention's
        # num_attention_heads // num_key_value_heads fails
        raise r.fail("num_key_value_heads is null (Emu3Attention needs a number of KV heads)")
    return _EMU3_TEXT(r)


#: IQuestCoderForCausalLM is transformers' LlamaForCausalLM: Llama's layers
_IQUESTCODER_LAYERS = dense(mlp_bias="mlp_bias")


def _iquestcoder(r: Reader) -> Fields:
    """IQuest-Coder-V1 (``IQuestCoderConfig``, built by ``LlamaForCausalLM``): Llama's layers.

    ``LlamaAttention``: q/k/v/o with ``attention_bias``; ``LlamaMLP``: gated, with
    ``mlp_bias``; two RMSNorms a layer and a final one. ``IQuestCoderConfig``: ``head_dim``
    defaults to 128, a null one is ``hidden_size // num_attention_heads``, and a null
    ``num_key_value_heads`` (default 8) is ``num_attention_heads`` (``__post_init__``);
    ``validate_architecture`` refuses heads that do not divide ``hidden_size`` (whatever
    ``head_dim`` says), a ``clip_qkv`` and ``use_sliding_window``.
    """
    hidden = r.integer("hidden_size")
    heads = c.positive(r, "num_attention_heads", r.integer("num_attention_heads"))
    if hidden % heads:
        raise r.fail(
            f"num_attention_heads ({heads}) does not divide hidden_size ({hidden}): "
            "IQuestCoderConfig refuses it"
        )
    if r.has("clip_qkv"):
        raise r.fail("clip_qkv is not supported (IQuestCoderConfig refuses it)")
    if r.boolean("use_sliding_window", False):
        raise r.fail("use_sliding_window is not supported (IQuestCoderConfig refuses it)")
    if r.raw("head_dim") is None:
        r.note(f"head_dim={hidden // heads} (null: hidden_size // num_attention_heads)")
        r = _with(r, head_dim=hidden // heads)
    if r.raw("num_key_value_heads") is None:
        # null: num_attention_heads (MHA), not the class's 8
        r.note(f"num_key_value_heads={heads} (null: num_attention_heads)")
        r = _with(r, num_key_value_heads=heads)
    return _IQUESTCODER_LAYERS(r)


#: CohereCompassTextModel's layer kinds: its masks and rotary tables know no other
_COHERE_COMPASS_LAYERS = {"full_attention": "full", "sliding_attention": "sliding"}


def _cohere_compass_window(r: Reader, n: int) -> Fields:
    """CohereCompassTextConfig: ``layer_types``, else every layer full (no default pattern).

    ``CohereCompassAttention``: ``sliding_window`` on the ``sliding_attention`` layers;
    ``CohereCompassTextModel`` builds the sliding-window mask on every forward, full layers
    only or not, and ``create_sliding_window_causal_mask`` refuses a null window.
    """
    types = c.layer_list(r, n, names=_COHERE_COMPASS_LAYERS) or ["full"] * n
    w = r.opt_integer("sliding_window")
    if w is None:
        raise r.fail(
            "field 'sliding_window' is null: CohereCompassTextModel builds a sliding-window "
            "mask on every forward"
        )
    if "sliding" in types:
        c.positive(r, "sliding_window", w)
    return {"layer_types": tuple(types), "sliding_window": w}


def _cohere_compass_extra(r: Reader, f: Fields) -> Fields:
    """``CohereCompassRotaryEmbedding``: one table per layer type, ``rope_parameters[type]``.

    Every layer type needs its entry (null: the type's layers run without RoPE, as the
    released checkpoint's ``full_attention`` ones); with no table at all, no RoPE.
    """
    rope = r.mapping("rope_parameters")
    used = [key for key, kind in _COHERE_COMPASS_LAYERS.items() if kind in f["layer_types"]]
    for key in used:
        if key not in rope:
            raise r.fail(
                f"rope_parameters has no entry for {key!r} (CohereCompassRotaryEmbedding "
                "reads rope_parameters[layer_type] for every layer type)"
            )
        if rope[key] is not None and not isinstance(rope[key], Mapping):
            raise r.fail(f"rope_parameters[{key!r}] must be an object or null")
    return {} if any(rope[k] is not None for k in used) else {"rope_dim": 0}


def _cohere_compass_heads(r: Reader) -> Reader:
    """CohereCompassTextConfig: ``head_dim`` as given, else ``hidden_size // num_attention_heads``.

    ``__post_init__`` sets the quotient, then ``PreTrainedConfig`` applies a ``head_dim`` the
    file gives; a null one reaches ``CohereCompassAttention`` (which refuses it).
    """
    if r.raw("head_dim") is None:
        raise r.fail("field 'head_dim' is null: CohereCompassAttention needs an integer")
    if r.has("head_dim"):
        return r
    hidden = r.integer("hidden_size")
    heads = c.positive(r, "num_attention_heads", r.integer("num_attention_heads"))
    if hidden < heads:
        raise r.fail(f"num_attention_heads ({heads}) exceeds hidden_size ({hidden})")
    if hidden % heads:
        r.note(f"head_dim={hidden // heads} (hidden_size // num_attention_heads, rounded down)")
    return _with(r, head_dim=hidden // heads)


#: Cohere 2's layer (one weight-only LayerNorm before parallel attention and MLP; q/k/v/o
#: with attention_bias; gated MLP without bias), tied head by default
_COHERE_COMPASS_DENSE = dense(
    layer_norms=1, windows=_cohere_compass_window, extra=_cohere_compass_extra
)


def _cohere_compass_text(r: Reader) -> Fields:
    """North-Micro-Vision's language model (``CohereCompassForCausalLM``).

    ``CohereCompassDecoderLayer`` is ``Cohere2DecoderLayer``; see
    :func:`_cohere_compass_window`, :func:`_cohere_compass_extra` and
    :func:`_cohere_compass_heads` for what differs from ``cohere2``.
    """
    return _COHERE_COMPASS_DENSE(_cohere_compass_heads(r))


#: LaraMiniModel's layer kinds: its mask functions know no other
_LARA_MINI_LAYERS = {
    "linear_attention": "linear",
    "sliding_attention": "sliding",
    "full_attention": "full",
}
#: LaraMiniConfig's default layer_types: "the released pattern, with period 5"
_LARA_MINI_PATTERN = ("linear", "sliding", "linear", "full", "sliding")


def _lara_mini(r: Reader) -> Fields:
    """Lara 4 Mini (``LaraMiniForCausalLM``): Gated DeltaNet, sliding and NoPE layers, all MoE.

    ``LaraMiniDecoderLayer``: ``LaraMiniGatedDeltaNet`` (Qwen3.5's, conv without bias) on the
    ``linear_attention`` layers, else ``LaraMiniAttention`` (Qwen3's: q/k RMSNorm per head,
    no output gate; ``sliding_window`` on the ``sliding_attention`` layers, no RoPE on the
    full ones); every layer a ``LaraMiniSparseMoeBlock``: ``num_experts`` fused experts of
    ``moe_intermediate_size``, a bias-free router and a shared expert of
    ``shared_expert_intermediate_size`` added without a gate. LaraMiniConfig has no
    ``intermediate_size`` (no dense FFN), and types ``head_dim``, ``sliding_window`` and
    ``num_key_value_heads`` as integers: null is refused, not read as another family's
    null (hidden / heads, no window, MHA).
    """
    for key in ("head_dim", "sliding_window", "num_key_value_heads"):
        if r.raw(key) is None:
            raise r.fail(f"field {key!r} is null: LaraMiniConfig requires an integer")
    width = r.integer("moe_intermediate_size")
    # no dense FFN: the experts' width stands in for intermediate_size
    f = c.sizes(_with(r, intermediate_size=width))
    f |= c.heads(r, f["hidden_size"])
    n = f["num_layers"]
    types = c.layer_list(r, n, names=_LARA_MINI_LAYERS)
    if types is None:
        types = [_LARA_MINI_PATTERN[i % len(_LARA_MINI_PATTERN)] for i in range(n)]
    w = r.integer("sliding_window")
    if "sliding" in types:
        c.positive(r, "sliding_window", w)
    bias = r.boolean("attention_bias", False)
    m = c.moe(
        r,
        experts="num_experts",
        top_k="num_experts_per_tok",
        inter=width,
        shared=1,
        shared_width="shared_expert_intermediate_size",
    )
    return f | {
        "layer_types": tuple(types),
        "sliding_window": w,
        "linear_attention": _gdn(r),
        "qkv_bias": bias,
        "o_bias": bias,
        "qk_norm": "head",
        "moe": m,
        "moe_layers": (True,) * n,
    }


#: FlintModel's layer kinds: its mask mapping has only these two
_FLINT_LAYERS = {"full_attention": "full", "sliding_attention": "sliding"}
#: FlintConfig fields typed ``int`` (strict: a null is refused, not defaulted)
_FLINT_INTS = (
    "vocab_size",
    "hidden_size",
    "intermediate_size",
    "num_hidden_layers",
    "num_attention_heads",
    "num_key_value_heads",
    "head_dim",
    "sliding_window",
    "decoder_sparse_step",
    "moe_intermediate_size",
    "shared_expert_intermediate_size",
    "num_experts_per_tok",
    "num_experts",
)


def _flint_window(r: Reader, n: int) -> Fields:
    """FlintConfig's layer kinds (``__post_init__``) and window (``FlintAttention``).

    Without ``layer_types``: full attention on layers 0 and 1, on every ``i % 4 == 1`` and
    on the last layer, ``sliding_window`` (default 513) elsewhere. A window of 0 would let
    a sliding layer's query see no key: refused.
    """
    types = c.layer_list(r, n, names=_FLINT_LAYERS)
    w = r.integer("sliding_window")
    if types is None:
        types = ["full" if i < 2 or i % 4 == 1 or i == n - 1 else "sliding" for i in range(n)]
        r.note("layer_types: full on layers 0, 1, i % 4 == 1 and the last (FlintConfig)")
    if "sliding" in types and w == 0:
        raise r.fail("field 'sliding_window' must be positive: sliding layers would see no key")
    return {"layer_types": tuple(types), "sliding_window": w}


def _flint_moe(r: Reader, f: Fields) -> Fields:
    """Flint's sparse blocks: Qwen2-MoE's layout, an ungated shared expert.

    ``FlintDecoderLayer``: ``FlintSparseMoeBlock`` where the layer is not in
    ``mlp_only_layers`` (``FlintConfig.__post_init__``: ``[0, 1]`` when absent or null) and
    ``(i + 1) % decoder_sparse_step == 0``, with ``num_experts > 0`` (0: every layer is a
    dense ``FlintMLP`` of ``intermediate_size``). The block: ``FlintTopKRouter`` (experts ×
    hidden, no bias, kept in float32), fused gated experts of ``moe_intermediate_size`` and
    ``shared_expert``, a gated ``FlintMLP`` of ``shared_expert_intermediate_size`` added in
    full (no ``shared_expert_gate``).
    """
    if r.integer("num_experts") == 0:
        r.note("num_experts=0: every layer a dense MLP (FlintDecoderLayer)")
        return {}
    if r.raw("mlp_only_layers") in (ABSENT, None):
        r.note("mlp_only_layers=[0, 1] (FlintConfig.__post_init__ default)")
        r = _with(r, mlp_only_layers=[0, 1])
    return _qwen_moe(shared=True, gate=False)(r, f)


def _flint(r: Reader) -> Fields:
    """Flint (RecursiveSI): Qwen3-MoE layers with attention sinks, sliding windows, NoPE.

    ``FlintConfig`` (``configuration_flint.py``) and ``FlintModel`` (``modeling_flint.py``),
    transformers 5.24, read as :func:`dense` reads Qwen3-MoE:

    * ``FlintAttention`` (``Qwen3MoeAttention``): q/k/v/o biased with ``attention_bias``,
      RMSNorms of one head on q and k, ``head_dim`` from the config (default 128), and
      ``sinks`` (one float32 logit per head, ``attention_sinks``). Sliding layers rotate q
      and k; full layers use no positional encoding.
    * layers: :func:`_flint_window`; MLPs: :func:`_flint_moe`; two RMSNorms a layer, a
      final norm, an untied head by default.

    Refused as ``FlintConfig`` refuses them: a null among :data:`_FLINT_INTS`, layer kinds
    other than full and sliding attention.
    """
    for key in _FLINT_INTS:
        if r.raw(key) is None:
            raise r.fail(f"field {key!r} must be an integer (FlintConfig: int, not null)")
    f = dense(
        qk_norm="head",
        windows=_flint_window,
        moe=_flint_moe,
        fixed={"attention_sinks": True},
    )(r)
    if not any(k in r.data for k in ("rope_theta", "rope_scaling", "rope_parameters")):
        # FlintRotaryEmbedding rotates whole heads (of the sliding layers)
        f["rope_dim"] = f["head_dim"]
    return f


#: HrmTextConfig fields typed ``int`` (strict: a null is refused, not defaulted)
_HRM_TEXT_INTS = (
    "num_hidden_layers",
    "num_attention_heads",
    "head_dim",
    "hidden_size",
    "intermediate_size",
    "vocab_size",
    "H_cycles",
    "L_cycles",
)


def _hrm_text(r: Reader) -> Fields:
    """HRM-Text: a low-level and a high-level stack of gated-attention layers run in cycles.

    ``HrmTextConfig`` (``configuration_hrm_text.py``) and ``HrmTextModel`` /
    ``HrmTextDecoderLayer`` (``modeling_hrm_text.py``), transformers 5.24:

    * ``HrmTextModel``: ``embed_tokens``, two ``HrmTextStack`` of ``num_layers_per_stack``
      layers each (``L_module``, read here as layers 0 .. P-1, and ``H_module``, layers
      P .. 2P-1), and ``z_L_init`` (hidden: the L-module's starting state, llmsizing's
      ``initial_states``). Per token the L-module runs ``H_cycles · L_cycles`` times and
      the H-module ``H_cycles`` times, each pass over the same weights.
    * ``HrmTextConfig.__post_init__``: without ``num_layers_per_stack``,
      ``num_hidden_layers`` is the per-stack count, rewritten to the cache slots
      ``P · H_cycles · (L_cycles + 1)`` (a saved config.json writes that pair); with
      ``num_layers_per_stack`` both keys are kept as written.
    * ``HrmTextAttention``: multi-head (the config has no ``num_key_value_heads``: K and V
      have ``num_attention_heads`` heads of ``head_dim``), q/k/v/o biased with
      ``attention_bias``, and ``gate_proj`` (hidden → heads · head_dim, biased with
      ``attention_bias``; a sigmoid output gate, the tensor of llmsizing's
      ``attn_output_gate="fused"``). ``validate_architecture``: the heads divide the hidden
      size, although ``head_dim`` (default 128) is read from the config.
    * ``HrmTextMLP``: gated, biased with ``mlp_bias``. ``HrmTextRMSNorm`` has no weight:
      the two norms of each layer and each stack's ``final_norm`` hold no parameter.
    * KV cache: each pass of a layer writes a slot of its own
      (``cache.update(..., self.layer_idx + cycle_offset)``): an L-module layer keeps
      ``H_cycles · L_cycles`` caches, an H-module layer ``H_cycles`` (``layer_kv_copies``).
      ``DynamicCache(config=...)`` has ``num_hidden_layers`` slots: fewer than the cycles
      write fail at the first forward pass (refused); more stay empty (noted).
    * ``HrmTextRotaryEmbedding`` rotates whole heads (``rope_dim = head_dim`` where the file
      names no RoPE key).

    Refused as ``HrmTextConfig`` refuses them: a null among :data:`_HRM_TEXT_INTS`, heads
    not dividing the hidden size. Refused where transformers builds a model that cannot run
    as one: ``H_cycles`` or ``L_cycles`` below 1 (a stack never runs), fewer cache slots
    than passes.
    """
    for key in _HRM_TEXT_INTS:
        if r.raw(key) is None:
            raise r.fail(f"field {key!r} must be an integer (HrmTextConfig: int, not null)")
    h_cycles, l_cycles = r.integer("H_cycles"), r.integer("L_cycles")
    if h_cycles < 1 or l_cycles < 1:
        raise r.fail(
            f"H_cycles ({h_cycles}) and L_cycles ({l_cycles}) must be at least 1: "
            "HrmTextModel would never run one of its stacks"
        )
    if r.raw("num_layers_per_stack") in (ABSENT, None):
        per = c.layer_count(r)
        slots = per * h_cycles * (l_cycles + 1)
        r.note(f"num_hidden_layers={per} per stack, {slots} cache slots (HrmTextConfig)")
    else:
        per = r.integer("num_layers_per_stack")
        given = c.layer_count(r)
        slots = per * h_cycles * (l_cycles + 1)
        if given < slots:
            raise r.fail(
                f"num_hidden_layers ({given}) is fewer than the {slots} cache slots of "
                f"{per} layers per stack x H_cycles x (L_cycles + 1): HrmTextModel's "
                "DynamicCache has no slot for the later passes"
            )
        if given > slots:
            r.note(f"num_hidden_layers={given}: {given - slots} cache slots stay empty")
    c.positive(r, "num_layers_per_stack", per)
    if slots > SANITY_LIMITS["num_layers"]:
        raise r.fail(
            f"{slots} cache slots exceed the sanity limit of {SANITY_LIMITS['num_layers']}"
        )
    nh, hidden = r.integer("num_attention_heads"), r.integer("hidden_size")
    if nh == 0 or hidden % nh:
        raise r.fail(
            f"num_attention_heads ({nh}) must divide hidden_size ({hidden}) "
            "(HrmTextConfig.validate_architecture)"
        )
    if r.has("num_key_value_heads") and r.integer("num_key_value_heads") != nh:
        r.note("num_key_value_heads not read: HrmTextAttention has a K and V head per head")
    f = dense(
        mlp_bias="mlp_bias",
        layer_norms=0,
        final_norm=False,
        windows=lambda _r, n: {"layer_types": ("full",) * n},
        fixed={
            "attn_output_gate": "fused",
            "initial_states": 1,
            "layer_kv_copies": (h_cycles * l_cycles,) * per + (h_cycles,) * per,
            # HrmTextModel.forward: the L-module runs H_cycles x L_cycles times, the H-module
            # H_cycles times per token
            "layer_passes": (h_cycles * l_cycles,) * per + (h_cycles,) * per,
        },
    )(_with(r, num_hidden_layers=2 * per, num_key_value_heads=nh))
    if not any(k in r.data for k in ("rope_theta", "rope_scaling", "rope_parameters")):
        # HrmTextRotaryEmbedding rotates whole heads whatever the file says
        f["rope_dim"] = f["head_dim"]
    return f


#: Gemma4AssistantConfig.validate_architecture: the text model has no per-layer inputs, no
#: MoE block and no double-wide MLPs (0 / false; the gemma4_text defaults are 256, 262144,
#: false and false, so a text_config must write the first two)
_GEMMA4_ASSISTANT_OFF = (
    "hidden_size_per_layer_input",
    "vocab_size_per_layer_input",
    "enable_moe_block",
    "use_double_wide_mlp",
)


def _gemma4_assistant_rope(text: Mapping[str, Any], head: int) -> int:
    """``rope_dim`` as ``read_hf_config`` gives a Gemma 4 text config (hf ``_rope_dim``).

    0 without a RoPE key; else ``head_dim`` times the largest ``partial_rotary_factor`` of
    the ``rope_parameters`` entries (Gemma 4's full layers: 0.25), the whole head without
    one. The assistant's wrapper config carries no RoPE key of its own.
    """
    if not any(k in text for k in ("rope_theta", "rope_scaling", "rope_parameters")):
        return 0
    params = text.get("rope_parameters")
    frac = text.get("partial_rotary_factor")
    if frac is None and isinstance(params, Mapping):
        inner = [v for v in params.values() if isinstance(v, Mapping)] or [params]
        fracs = [v.get("partial_rotary_factor") for v in inner]
        frac = max((x for x in fracs if isinstance(x, int | float)), default=None)
    if isinstance(frac, int | float) and not isinstance(frac, bool) and 0 < frac <= 1:
        return int(head * frac)
    return head


def _gemma4_assistant_text(r: Reader, text_type: str) -> Reader:
    """A Gemma 4 assistant's ``text_config``, read as ``text_type`` (its class defaults when
    absent: ``sub_configs_defaults``), its assumptions recorded with the wrapper's."""
    raw = r.raw("text_config")
    if raw is ABSENT or raw is None:
        r.note(f"no text_config: {r.model_type} builds its text model from {text_type} defaults")
        raw = {}
    if not isinstance(raw, Mapping):
        raise r.fail(f"field 'text_config' must be an object, got {raw!r}")
    inner = raw.get("model_type", text_type)
    if inner != text_type:
        raise r.fail(f"text_config model_type {inner!r} is not supported (expected {text_type!r})")
    t = Reader(raw, f"{r.where} › text_config", text_type, nested=True)
    t.assumed = r.assumed
    return t


def _gemma4_assistant_fields(r: Reader, t: Reader, read: ReadFn) -> Fields:
    """A Gemma 4 assistant (draft model): its text model, read by ``read`` with every layer
    on the target's KV, its draft projections and its centroid head.

    ``Gemma4AssistantConfig.__post_init__`` sets ``num_kv_shared_layers`` to
    ``num_hidden_layers`` where it is 0: every layer is ``"reuse"`` (``kv_sharing_modes``),
    so no layer has ``k_proj`` / ``v_proj`` / ``k_norm`` and ``forward`` attends to the
    target's ``shared_kv_states`` (``use_cache=False``): no KV cache of its own
    (``external_kv``). Another count would give layers their own K and V without a cache to
    keep them in (``validate_architecture`` refuses it for ``gemma4_assistant``): refused.
    ``Gemma4AssistantForCausalLM``: ``pre_projection`` (2 · ``backbone_hidden_size`` →
    hidden) and ``post_projection`` (hidden → backbone), unbiased (``backbone_hidden_size``);
    with ``use_ordered_embeddings`` the ``masked_embedding`` (``centroids``: ``num_centroids``
    × hidden; ``token_ordering`` is a buffer) whose top ``centroid_intermediate_top_k``
    centroids pick the vocabulary slices the head scores: the centroids must divide the
    vocabulary (``view(num_centroids, vocab_size // num_centroids)``) and hold the top k
    (``torch.topk``). The head is tied by the wrapper's ``tie_word_embeddings`` (default
    true); the text config's is not read.
    """
    n = c.layer_count(t)
    shared = t.integer("num_kv_shared_layers", 0)
    if shared not in (0, n):
        raise r.fail(
            f"text_config num_kv_shared_layers ({shared}) must be 0 or num_hidden_layers "
            f"({n}): an assistant's layers read the target's cache and keep none of their own"
        )
    f = read(_with(t, num_kv_shared_layers=0))
    backbone = c.positive(r, "backbone_hidden_size", r.integer("backbone_hidden_size"))
    centroids = 0
    if r.boolean("use_ordered_embeddings", False):
        centroids = c.positive(r, "num_centroids", r.integer("num_centroids"))
        top = r.integer("centroid_intermediate_top_k")
        if f["vocab_size"] % centroids:
            raise r.fail(
                f"num_centroids ({centroids}) must divide vocab_size ({f['vocab_size']}): "
                "Gemma4AssistantMaskedEmbedder splits the vocabulary into equal clusters"
            )
        if not 0 < top <= centroids:
            raise r.fail(
                f"centroid_intermediate_top_k ({top}) must be between 1 and num_centroids "
                f"({centroids})"
            )
    r.note(
        "draft model: every layer attends to the target's K and V (shared_kv_states) and "
        "keeps no KV cache; its input is the target's embedding and hidden state"
    )
    return f | {
        "external_kv": True,
        "kv_shared_layers": 0,
        "backbone_hidden_size": backbone,
        "head_centroids": centroids,
        "tie_word_embeddings": r.boolean("tie_word_embeddings", True),
        "rope_dim": _gemma4_assistant_rope(t.data, f["head_dim"]),
    }


def _gemma4_assistant(r: Reader) -> Fields:
    """Gemma 4 assistant (``google/gemma-4-*-it-assistant``): a Gemma 4 text model drafting on
    its target's KV.

    ``Gemma4AssistantConfig`` (``configuration_gemma4_assistant.py``) and
    ``Gemma4AssistantForCausalLM`` (``modeling_gemma4_assistant.py``), transformers 5.24: the
    ``text_config`` (``gemma4_text``) is a ``Gemma4TextModel``, read by :func:`_gemma4`
    (``Gemma4TextAttention``'s q_proj, q_norm and o_proj of each layer's head width, the
    gated MLP, four norms a layer, the final norm, ``embed_tokens``), with
    :func:`_gemma4_assistant_fields` around it. ``validate_architecture`` refuses a text
    model with any of :data:`_GEMMA4_ASSISTANT_OFF` set, and so does this reader (the
    class-default config, whose text model has per-layer inputs, among them).
    """
    t = _gemma4_assistant_text(r, "gemma4_text")
    for key in _GEMMA4_ASSISTANT_OFF:
        value = t.boolean(key) if key.startswith(("enable", "use")) else t.integer(key)
        if value:
            raise r.fail(
                f"text_config {key} must be {'false' if value is True else 0}, got {value!r} "
                "(Gemma4AssistantConfig.validate_architecture)"
            )
    return _gemma4_assistant_fields(r, t, _gemma4)


def _gemma4_unified_assistant(r: Reader) -> Fields:
    """Gemma 4 unified assistant: the Gemma 4 assistant over a ``gemma4_unified_text`` model.

    ``Gemma4UnifiedAssistantConfig`` (``configuration_gemma4_unified_assistant.py``) and
    ``Gemma4UnifiedAssistantForCausalLM`` (``modeling_gemma4_unified_assistant.py``, which
    is ``Gemma4AssistantForCausalLM``), transformers 5.24: the ``text_config`` is a
    ``Gemma4UnifiedTextModel``, read by :func:`_gemma4_unified` (no per-layer inputs or MoE
    block to refuse: the unified text config has neither), with
    :func:`_gemma4_assistant_fields` around it (defined with the ``gemma4_assistant``
    reader). Without ``validate_architecture`` the class default builds: 30 layers of the
    unified defaults, every one reading the target's KV; ``use_double_wide_mlp`` doubles
    every layer's MLP (each is ``"reuse"``).
    """
    t = _gemma4_assistant_text(r, "gemma4_unified_text")
    return _gemma4_assistant_fields(r, t, _gemma4_unified)


#: Inkling's config fields typed ``int`` (a null is refused by the strict config classes,
#: ``InklingTextConfig`` / ``Inkling2TextConfig``) that a reader would otherwise fill from
#: the class default
_INKLING_INTS = (
    "vocab_size",
    "hidden_size",
    "num_hidden_layers",
    "num_attention_heads",
    "num_key_value_heads",
    "head_dim",
    "swa_num_attention_heads",
    "swa_num_key_value_heads",
    "swa_head_dim",
    "sliding_window_size",
    "d_rel",
    "rel_extent",
    "conv_kernel_size",
    "moe_intermediate_size",
    "n_routed_experts",
    "num_experts_per_tok",
)


def _inkling_attention(r: Reader, n: int, h: int, version: int) -> Fields:
    """Layer kinds, the heads of each kind and the :class:`InklingLayers` record.

    ``layer_types``: ``hybrid`` (full attention) or ``hybrid_sliding`` (the window
    ``sliding_window_size``), spelled as ZAYA1's; without it Inkling reads
    ``local_layer_ids`` (the sliding layers) and both versions default to full attention
    where ``(i + 1) % 6 == 0``. ``InklingAttention`` / ``Inkling2SlidingAttention`` /
    ``Inkling2FullAttention``: full layers have ``num_attention_heads``,
    ``num_key_value_heads`` and ``head_dim``, sliding ones the ``swa_`` fields; the
    relative position bias extends over the window on sliding layers, ``rel_extent`` on
    full ones; the short convolutions have ``conv_kernel_size`` (``sconv_kernel_size``)
    taps. No RoPE.
    """
    types = c.layer_list(r, n, names=_ZAYA_LAYERS)
    if types is None:
        local = r.layer_indices("local_layer_ids") if version == 1 else None
        if local is not None:
            ids = set(local)
            types = ["sliding" if i in ids else "full" for i in range(n)]
        else:
            types = c.every(n, 6, "full", "sliding")
            r.note("layer_types: full where (i + 1) % 6 == 0, else sliding (transformers default)")
    f = c.heads(r, h)
    swa = {
        "num_heads": r.integer("swa_num_attention_heads"),
        "num_kv_heads": r.integer("swa_num_key_value_heads"),
        "head_dim": r.integer("swa_head_dim"),
    }
    w = r.integer("sliding_window_size")
    if "sliding" in types:
        nh, kv = swa["num_heads"], swa["num_kv_heads"]
        if not nh or not kv or nh % kv or not swa["head_dim"]:
            raise r.fail(
                f"swa_num_key_value_heads ({kv}) must divide swa_num_attention_heads ({nh}) "
                f"and swa_head_dim ({swa['head_dim']}) be positive on the sliding layers"
            )
        if not w:
            raise r.fail("field 'sliding_window_size' must be positive on the sliding layers")
    record = {
        "version": version,
        "conv_kernel": c.positive(r, "conv_kernel_size", r.integer("conv_kernel_size")),
        "rel_dim": c.positive(r, "d_rel", r.integer("d_rel")),
        "rel_extent": c.positive(r, "rel_extent", r.integer("rel_extent")),
    }
    return f | {
        "layer_types": tuple(types),
        "sliding_window": w if "sliding" in types else None,
        "sliding_attention": AttentionDims(**swa) if "sliding" in types else None,
        # an InklingLayers (model.py), validated from the mapping by ModelConfig
        "inkling": record,
        "rope_dim": 0,
        "embedding_norm": True,
        "tie_word_embeddings": False,
    }


def _inkling_nulls(r: Reader, keys: tuple[str, ...]) -> None:
    for key in keys:
        if r.raw(key) is None:
            raise r.fail(f"field {key!r} must be an integer ({r.model_type}: int, not null)")
    if r.has("tie_word_embeddings") and r.boolean("tie_word_embeddings"):
        r.note("tie_word_embeddings ignored (embed and unembed are separate tensors, never tied)")


def _inkling_ffn(r: Reader, n: int) -> Fields:
    """``InklingTextConfig.__post_init__`` and ``InklingDecoderLayer``: MLP or MoE per layer.

    ``mlp_layer_types`` (``dense`` / ``sparse``), else the first ``dense_mlp_idx`` layers
    (a key the class pops, default 0) dense. A ``dense_intermediate_size`` key makes
    ``intermediate_size`` the routed experts' width and itself the dense MLP's.
    ``InklingMoE``: ``InklingTopkRouter`` (``n_routed_experts + n_shared_experts`` rows, a
    ``global_scale``; ``e_score_correction_bias`` is a buffer), fused ``InklingExperts``
    and ``InklingSharedExperts`` (``n_shared_experts`` stacked MLPs of
    ``moe_intermediate_size``).
    """
    if r.has("dense_intermediate_size"):
        width, inter = r.integer("intermediate_size"), r.integer("dense_intermediate_size")
        r.note("dense_intermediate_size given: intermediate_size is the experts' width")
    else:
        width, inter = r.integer("moe_intermediate_size"), r.integer("intermediate_size")
    raw = r.sequence("mlp_layer_types")
    if raw is None:
        if r.raw("dense_mlp_idx") is None:
            raise r.fail("field 'dense_mlp_idx' must be an integer, not null")
        first = 0 if r.raw("dense_mlp_idx") is ABSENT else r.integer("dense_mlp_idx")
        layers = tuple(i >= first for i in range(n))
    else:
        if len(raw) != n:
            raise r.fail(f"field 'mlp_layer_types' has {len(raw)} entries for {n} layers")
        for i, t in enumerate(raw):
            if t not in ("dense", "sparse"):
                raise r.fail(f"mlp_layer_types[{i}] = {t!r} is not supported (dense, sparse)")
        layers = tuple(t == "sparse" for t in raw)
    if not all(layers) and not inter:
        raise r.fail("field 'intermediate_size' must be positive: some layers are dense MLPs")
    if not any(layers):
        return {"intermediate_size": inter, "moe": None, "moe_layers": layers}
    experts, k = r.integer("n_routed_experts"), r.integer("num_experts_per_tok")
    if not 0 < k <= experts:
        raise r.fail(f"num_experts_per_tok ({k}) must be between 1 and n_routed_experts")
    c.positive(r, "moe_intermediate_size", width)
    m = c.moe(
        r,
        experts="n_routed_experts",
        top_k="num_experts_per_tok",
        inter=width,
        shared="n_shared_experts",
        router_scores_shared=True,
    )
    return {"intermediate_size": inter or width, "moe": m, "moe_layers": layers}


def _inkling(r: Reader) -> Fields:
    """Inkling (``InklingForCausalLM``, transformers ``models/inkling/modeling_inkling.py``).

    ``InklingAttention``: q/k/v/o without biases, per-head q/k RMSNorms, depthwise
    convolutions over k and v (``k_sconv``, ``v_sconv``) and the relative position bias
    (``r_proj``, ``rel_logits_proj``); ``InklingDecoderLayer``: two RMSNorms and the
    convolutions ``attn_sconv`` / ``mlp_sconv`` on the attention and MLP outputs
    (:func:`_inkling_attention`, ``ModelConfig.inkling``); an ``InklingMLP`` (with a
    learned ``global_scale``) or ``InklingMoE`` per layer (:func:`_inkling_ffn`).
    ``InklingTextModel``: ``InklingNormedEmbedding`` (an RMSNorm after the lookup,
    ``embedding_norm``) and a final norm; ``lm_head`` of ``vocab_size`` rows, never tied
    (``_tied_weights_keys = {}``). ``num_mtp_layers``: the checkpoint's MTP layers are not
    built (``model.mtp.*`` is ignored on load), so not counted.
    """
    _inkling_nulls(r, (*_INKLING_INTS, "n_shared_experts", "intermediate_size"))
    n = c.layer_count(r)
    ffn = _inkling_ffn(r, n)
    f = c.sizes(_with(r, intermediate_size=ffn.pop("intermediate_size"), tie_word_embeddings=False))
    f |= _inkling_attention(r, n, f["hidden_size"], version=1)
    mtp = r.opt_integer("num_mtp_layers")
    if mtp:
        r.note(f"num_mtp_layers={mtp} not counted (InklingForCausalLM builds no MTP layer)")
    return f | ffn | {"qk_norm": "head"}


#: Inkling2LoopTextConfig's loop fields and the ``loop_config`` keys (the checkpoints'
#: layout) that override them in ``__post_init__``
_INKLING2_LOOP_KEYS = {
    "core_start": "loop_layer_index_start",
    "core_end": "loop_layer_index_end",
    "num_passes": "loop_num_passes",
    "gate_rank": "loop_gate_rank",
}


def _inkling2_loop(r: Reader, n: int, block: int) -> tuple[Fields, tuple[int, ...]]:
    """``Inkling2LoopTextConfig``: the looped layers (``inkling.loop_layers``) and their caches.

    ``loop_config`` (``core_start``, ``core_end``, ``num_passes``, ``gate_rank``) overrides
    the ``loop_*`` fields. ``validate_architecture``: at least one pass, a start above 0,
    start and end multiples of ``n_layers_per_attn_res_block``; an end beyond the layers
    (``Inkling2LoopMessageAttentionResidual`` would hold queries for layers that do not
    exist) or before the start is refused too. ``Inkling2LoopTextModel.forward`` appends
    ``loop_num_passes - 1`` copies of the loop layers' cache layers (``layer_kv_copies``).
    """
    lc = r.mapping("loop_config")
    over = {field: lc[k] for k, field in _INKLING2_LOOP_KEYS.items() if k in lc}
    if over:
        r = _with(r, **over)
        r.note("loop_config overrides the loop_* fields (Inkling2LoopTextConfig.__post_init__)")
    for key in _INKLING2_LOOP_KEYS.values():
        if r.raw(key) is None:
            raise r.fail(f"field {key!r} must be an integer (inkling2_loop_text: int, not null)")
    start, end = r.integer("loop_layer_index_start"), r.integer("loop_layer_index_end")
    passes, rank = r.integer("loop_num_passes"), r.integer("loop_gate_rank")
    if passes < 1:
        raise r.fail(f"loop_num_passes ({passes}) must be at least 1")
    if start <= 0:
        raise r.fail(f"loop_layer_index_start ({start}) must be greater than 0")
    if start % block or end % block:
        raise r.fail(
            f"loop_layer_index_start ({start}) and loop_layer_index_end ({end}) must be "
            f"multiples of n_layers_per_attn_res_block ({block})"
        )
    if not start <= end <= n:
        raise r.fail(
            f"loop_layer_index_end ({end}) must lie between loop_layer_index_start ({start}) "
            f"and the {n} layers"
        )
    loops = tuple(start <= i < end for i in range(n))
    copies: tuple[int, ...] = ()
    if passes > 1 and end > start:
        copies = tuple(passes if x else 1 for x in loops)
        if sum(copies) > SANITY_LIMITS["num_layers"]:
            raise r.fail(
                f"{end - start} loop layers x {passes} passes exceed the sanity limit of "
                f"{SANITY_LIMITS['num_layers']} cache layers"
            )
    return {"loop_layers": loops, "loop_gate_rank": rank}, copies


def _inkling2(loop: bool) -> ReadFn:
    """Inkling 2 (``Inkling2ForCausalLM``, ``models/inkling2/modeling_inkling2.py``); with
    ``loop``, Inkling 2 Loop (``Inkling2LoopForCausalLM``, ``models/inkling2_loop``).

    ``Inkling2SlidingDecoderLayer`` / ``Inkling2FullDecoderLayer`` by ``layer_types``
    (:func:`_inkling_attention`, ``ModelConfig.inkling`` version 2): q/k/v/o projections
    without biases, the output gate (``Inkling2GatedOutputProjection.gate_proj``,
    ``attn_output_gate="separate"``), ``sink_proj``, the relative position bias and the
    short convolutions (dynamic on full layers), the block attention residuals' queries,
    two RMSNorms (four on full layers); ``Inkling2SparseMoeBlock`` on every layer
    (``Inkling2TopKRouter``, experts x hidden, its ``e_score_correction_bias`` a buffer;
    fused experts of ``moe_intermediate_size``, alias ``intermediate_size``; no shared
    experts). ``Inkling2TextModel``: ``Inkling2NormedEmbedding`` of ``vocab_size`` rows
    (``embedding_rows``), a final norm and ``final_input``; ``lm_head`` of
    ``unpadded_vocab_size`` rows (llmsizing's ``vocab_size``), never tied.
    ``n_layers_per_attn_res_block`` must be positive (``layer_idx %`` it).
    """

    def read(r: Reader) -> Fields:
        ints = (*_INKLING_INTS, "unpadded_vocab_size", "n_layers_per_attn_res_block")
        _inkling_nulls(r, ints)
        f = c.sizes(_with(r, tie_word_embeddings=False))
        n, h, rows = f["num_layers"], f["hidden_size"], f["vocab_size"]
        f |= _inkling_attention(r, n, h, version=2)
        block = r.integer("n_layers_per_attn_res_block")
        c.positive(r, "n_layers_per_attn_res_block", block)
        head = r.integer("unpadded_vocab_size")
        if not 0 < head <= rows:
            raise r.fail(
                f"unpadded_vocab_size ({head}) must be between 1 and vocab_size ({rows}): "
                "the head's rows are the embedding's unpadded"
            )
        experts, k = r.integer("n_routed_experts"), r.integer("num_experts_per_tok")
        if not 0 < k <= experts:
            raise r.fail(f"num_experts_per_tok ({k}) must be between 1 and n_routed_experts")
        width = c.positive(r, "moe_intermediate_size", f["intermediate_size"])
        m = MoEConfig(n_routed_experts=experts, experts_per_token=k, expert_intermediate_size=width)
        f |= {
            "vocab_size": head,
            "embedding_rows": rows if rows != head else None,
            "attn_output_gate": "separate",
            "moe": m,
            "moe_layers": (True,) * n,
        }
        if loop:
            loops, copies = _inkling2_loop(r, n, block)
            f["inkling"] |= loops
            # Inkling2LoopTextModel.forward runs the loop layers loop_num_passes times
            f["layer_kv_copies"] = f["layer_passes"] = copies
        return f

    return read


#: Cosmos3EdgeTextAttention (q/k/v/o biased by attention_bias), Cosmos3EdgeTextMLP (fc1 ->
#: relu2 -> fc2, biased by mlp_bias), two RMSNorms a layer
_COSMOS3_EDGE_DENSE = dense(mlp_bias="mlp_bias", ffn_gated=False)


def _cosmos3_edge_text(r: Reader) -> Fields:
    """Cosmos3-Edge's language model (``Cosmos3EdgeTextModel``).

    ``Cosmos3EdgeTextConfig``: ``head_dim`` typed ``int`` (default 128; a null is refused);
    ``__post_init__``: ``num_key_value_heads`` null is ``num_attention_heads`` (MHA, the
    default is 8); ``validate_architecture``: ``hidden_size`` a multiple of the heads,
    whatever ``head_dim`` says. The layers are read by ``dense`` (``_COSMOS3_EDGE_DENSE``).
    ``Cosmos3EdgeForConditionalGeneration._tied_weights_keys`` is empty: the head is never
    tied.
    """
    if r.raw("head_dim") is None:
        raise r.fail("field 'head_dim' must be an integer (Cosmos3EdgeTextConfig types it int)")
    if r.raw("num_key_value_heads") is None:
        mha = Reader(
            {**r.data, "num_key_value_heads": r.integer("num_attention_heads")},
            r.where,
            r.model_type,
            nested=r.nested,
        )
        mha.assumed = r.assumed
        r = mha
    f = _COSMOS3_EDGE_DENSE(r)
    _jais2_heads(r, f)
    if f["tie_word_embeddings"]:
        r.note("tie_word_embeddings ignored (Cosmos3EdgeForConditionalGeneration never ties)")
    return f | {"tie_word_embeddings": False}


def _rwkv(r: Reader) -> Fields:
    """RWKV-4 (``RwkvForCausalLM``, transformers 5.24 ``models/rwkv``): time and channel mix.

    ``RwkvBlock``: ``ln1``, the time mix (``RwkvSelfAttention``: ``key``, ``value``,
    ``receptance``, hidden → ``attention_hidden_size``, ``output`` back, no biases;
    ``time_decay``, ``time_first`` and three token-shift mixes), ``ln2``, the channel mix
    (``RwkvFeedForward``: ``key``, hidden → ``intermediate_size`` (null: 4 × hidden),
    ``value`` back, a hidden → hidden ``receptance`` gate and two token-shift mixes); block 0
    adds ``pre_ln``; every norm a LayerNorm with bias, ``ln_out`` after the blocks; ``head``
    (unbiased) tied where ``tie_word_embeddings``. ``RwkvModel.forward`` keeps the state
    ``hidden_size`` wide (five ``(batch, hidden, layers)`` tensors), which fits only an
    ``attention_hidden_size`` equal to it: with another any cached forward (``use_cache``,
    on by default) fails, so it is refused. ``context_length`` bounds one parallel forward,
    not the context (the model runs as an RNN): no context limit is set. Fewer than 2 layers
    or channels cannot be initialised (``RwkvPreTrainedModel._init_weights`` divides by
    ``num_hidden_layers - 1`` and ``attention_hidden_size - 1``) and are refused.
    """
    hidden = c.positive(r, "hidden_size", r.integer("hidden_size"))
    att = r.opt_integer("attention_hidden_size")
    if att is None:
        att = hidden
        r.note("attention_hidden_size=None: hidden_size (RwkvConfig)")
    if att != hidden:
        raise r.fail(
            f"attention_hidden_size ({att}) must equal hidden_size ({hidden}): RwkvModel keeps "
            "its recurrent state hidden_size wide"
        )
    inter = _ffn_width(r, "intermediate_size", hidden, "RwkvConfig")
    f = c.sizes(_with(r, intermediate_size=inter))
    n = f["num_layers"]
    if n < 2 or hidden < 2:
        # RwkvPreTrainedModel._init_weights divides by num_hidden_layers - 1 and by
        # attention_hidden_size - 1: transformers cannot build a smaller model
        raise r.fail(
            f"num_hidden_layers ({n}) and hidden_size ({hidden}) must be 2 or more "
            "(RwkvPreTrainedModel._init_weights divides by each less one)"
        )
    return f | {
        "max_position_embeddings": None,
        # no heads: each of the hidden channels runs its own WKV recurrence (TP splits them)
        "num_heads": hidden,
        "num_kv_heads": hidden,
        "head_dim": 1,
        "layer_types": ("linear",) * n,
        "linear_attention": LinearAttentionConfig(kind="rwkv", num_heads=hidden, head_dim=1),
        "ffn_gated": False,
        "layer_norms": 2,
        "layer_norm_counts": (3,) + (2,) * (n - 1),
        "norm_bias": True,
    }


def _xlstm_width(r: Reader, key: str, hidden: int, multiple: int) -> int:
    """An ``xLSTMLayer`` width, ``int(hidden · factor)``, which ``xLSTMCache`` sizes as
    ``round_up_to_next_multiple_of(hidden · factor, multiple)``: refused where they differ."""
    x = hidden * r.number(key)
    built = int(x)
    cached = int(((x + multiple - 1) // multiple) * multiple)
    if built <= 0 or built != cached:
        raise r.fail(
            f"hidden_size x {key} = {x:g} must be a positive multiple of {multiple} "
            f"(xLSTMLayer projects {built} channels, xLSTMCache keeps {cached})"
        )
    return built


def _xlstm(r: Reader) -> Fields:
    """xLSTM (``xLSTMForCausalLM``, transformers 5.24 ``models/xlstm``): mLSTM blocks.

    ``xLSTMBlock``: ``norm_mlstm``, ``xLSTMLayer`` (``mlstm``: q and k of
    ``hidden · qk_dim_factor``, v and the output gate of ``hidden · v_dim_factor``, input and
    forget gates per head with biases, ``multihead_norm``, ``out_proj``; ``weight_mode``
    "fused" builds the same weights in two matrices), ``norm_ffn`` and ``xLSTMFeedForward``
    (a gated SiLU MLP of ``round_up(hidden · ffn_proj_factor, ffn_round_up_to_multiple_of)``);
    ``use_bias`` adds biases to every projection but the gates' (always biased) and to both
    block norms (RMSNorms); ``out_norm`` after the blocks has none; ``lm_head`` (unbiased) is
    never tied. ``xLSTMCache`` keeps per layer C ``(heads, qk_head_dim, v_head_dim)``, n and m
    at the model dtype, its head widths rounded up to multiples of 64: a width that is not
    such a multiple (the layer would not fit its cache), heads that do not divide it, an
    ``embedding_dim`` other than ``hidden_size`` or ``num_blocks`` other than
    ``num_hidden_layers`` (``xLSTMConfig.__post_init__`` fills neither from the other when the
    class default stands: the model's embedding, blocks and cache then disagree) are refused.
    """
    f = c.sizes(_with(r, intermediate_size=1))
    hidden, n = f["hidden_size"], c.positive(r, "num_hidden_layers", f["num_layers"])
    emb = r.opt_integer("embedding_dim")
    if emb is not None and emb != hidden:
        raise r.fail(
            f"embedding_dim ({emb}) must equal hidden_size ({hidden}): xLSTMModel embeds "
            "embedding_dim wide but its blocks read hidden_size"
        )
    blocks = r.opt_integer("num_blocks")
    if blocks is not None and blocks != n:
        raise r.fail(
            f"num_blocks ({blocks}) must equal num_hidden_layers ({n}): xLSTMModel builds "
            "num_blocks blocks, xLSTMCache one state per num_hidden_layers"
        )
    nh = c.positive(r, "num_heads", r.integer("num_heads"))
    qk = _xlstm_width(r, "qk_dim_factor", hidden, 64)
    v = _xlstm_width(r, "v_dim_factor", hidden, 64)
    for key, width in (("qk_dim_factor", qk), ("v_dim_factor", v)):
        if width % nh:
            raise r.fail(f"num_heads ({nh}) must divide the {key} width ({width})")
    mode = r.string("weight_mode")
    if mode not in ("single", "fused"):
        raise r.fail(f"weight_mode = {mode!r} is not supported (known: single, fused)")
    step = c.positive(r, "ffn_round_up_to_multiple_of", r.integer("ffn_round_up_to_multiple_of"))
    x = hidden * r.number("ffn_proj_factor")
    # xLSTMFeedForward.up_proj_dim: round_up_to_next_multiple_of(hidden * factor, step)
    inter = int(((x + step - 1) // step) * step)
    bias = r.boolean("use_bias", False)
    return f | {
        "intermediate_size": c.positive(r, "ffn_proj_factor", inter),
        "num_heads": nh,
        "num_kv_heads": nh,
        "head_dim": v // nh,
        "layer_types": ("linear",) * n,
        "linear_attention": LinearAttentionConfig(
            kind="mlstm", num_heads=nh, head_dim=v // nh, head_k_dim=qk // nh, proj_bias=bias
        ),
        "mlp_bias": bias,
        "layer_norms": 2,
        "norm_bias": bias,
        "final_norm_bias": False,
    }


def _modernbert_decoder(r: Reader) -> Fields:
    """ModernBERT-decoder (``ModernBertDecoderForCausalLM``, transformers 5.24
    ``models/modernbert_decoder``).

    ``ModernBertDecoderEmbeddings``: ``tok_embeddings`` and a LayerNorm (``norm``; bias where
    ``norm_bias``, as every norm of the model). ``ModernBertDecoderLayer``: ``attn_norm``
    (``nn.Identity`` on layer 0), ``ModernBertDecoderAttention`` (q, k, v and ``Wo``, hidden →
    hidden in ``num_attention_heads`` heads, which must divide it, biased where
    ``attention_bias``; full RoPE), ``mlp_norm`` and ``ModernBertDecoderMLP`` (``Wi``: hidden →
    2 · ``intermediate_size``, a GLU, ``Wo`` back, biased where ``mlp_bias``); ``final_norm``.
    The head: ``ModernBertDecoderPredictionHead`` (``dense``, hidden → hidden, biased where
    ``classifier_bias``, and a norm), then ``decoder`` (biased where ``decoder_bias``) tied to
    the token embedding where ``tie_word_embeddings``. ``ModernBertDecoderConfig.__post_init__``:
    without ``layer_types``, layer i slides unless ``i % global_attn_every_n_layers == 0``
    (default 3), over ``sliding_window = local_attention // 2`` tokens; sliding layers
    without a positive window fail in transformers and are refused.
    """
    f = c.sizes(r)
    f |= _mha_heads(r, f["hidden_size"])
    n = c.positive(r, "num_hidden_layers", f["num_layers"])
    types = c.layer_list(r, n)
    if types is None:
        every = r.integer(
            "global_attn_every_n_layers", 3, why="ModernBertDecoderConfig.__post_init__ default"
        )
        c.positive(r, "global_attn_every_n_layers", every)
        types = ["sliding" if i % every else "full" for i in range(n)]
    local = r.opt_integer("local_attention")
    window = local // 2 if local else 0
    if "sliding" in types and window <= 0:
        raise r.fail(
            f"local_attention ({local}) must be 2 or more where layers slide "
            "(ModernBertDecoderConfig: sliding_window = local_attention // 2)"
        )
    bias = r.boolean("attention_bias", False)
    return f | {
        "layer_types": tuple(types),
        "sliding_window": window or None,
        "qkv_bias": bias,
        "o_bias": bias,
        "mlp_bias": r.boolean("mlp_bias", False),
        "layer_norms": 2,
        "layer_norm_counts": (1,) + (2,) * (n - 1),
        "norm_bias": r.boolean("norm_bias", False),
        "embedding_norm": True,
        "head_transform": True,
        "head_transform_bias": r.boolean("classifier_bias", False),
        "lm_head_bias": r.boolean("decoder_bias", True),
        "rope_dim": f["head_dim"],
    }


def _cpmant(r: Reader) -> Fields:
    """CPM-Ant (``CpmAntForCausalLM``, transformers 5.24 ``models/cpmant``).

    ``CpmAntModel``: ``input_embedding`` of ``vocab_size + prompt_types · prompt_length`` rows
    (the prompt tokens after the vocabulary), ``segment_embedding`` (``segment_types`` rows,
    added to every token: read as ``position_embeddings``, a table looked up beside the token
    one) and ``CpmAntSegmentPositionEmbedding`` (``relative_attention_bias``:
    ``segment_types² + position_bias_num_buckets`` rows × heads, shared by every layer).
    ``CpmAntTransformerBlock``: ``layernorm_before_attention`` (RMSNorm), ``CpmAntAttention``
    (``project_q/k/v``: hidden → heads · ``dim_head``, ``attention_out`` back, no biases; every
    head caches its K and V), ``layernorm_before_ffn``, ``CpmAntFeedForward`` (``w_0`` GELU
    gate and ``w_1``: hidden → ``dim_ff``, ``w_out`` back, no biases); ``output_layernorm``.
    ``lm_head`` (vocab_size rows, unbiased) is never tied (``_tied_weights_keys = {}``).
    ``CpmAntModel.forward`` prepends ``prompt_length`` tokens ``vocab_size + 2·prompt_length``
    onward and gives text tokens segment 2: fewer than 3 prompt types (with prompt tokens) or
    3 segment types cannot run and are refused.
    """
    f = c.sizes(_with(r, intermediate_size=r.integer("dim_ff")))
    n = c.positive(r, "num_hidden_layers", f["num_layers"])
    nh = c.positive(r, "num_attention_heads", r.integer("num_attention_heads"))
    dh = c.positive(r, "dim_head", r.integer("dim_head"))
    types, length = r.integer("prompt_types"), r.integer("prompt_length")
    if length and types < 3:
        raise r.fail(
            f"prompt_types ({types}) must be 3 or more: CpmAntModel.forward looks up the prompt "
            f"tokens vocab_size + 2 x prompt_length onward"
        )
    segments = r.integer("segment_types")
    if segments < 3:
        raise r.fail(f"segment_types ({segments}) must be 3 or more (text tokens are segment 2)")
    if r.boolean("tie_word_embeddings", True):
        r.note("tie_word_embeddings ignored (CpmAntForCausalLM never ties its head)")
    return f | {
        "num_heads": nh,
        "num_kv_heads": nh,
        "head_dim": dh,
        "layer_types": ("full",) * n,
        "embedding_rows": f["vocab_size"] + types * length if types * length else None,
        "position_embeddings": segments,
        "position_bias_rows": segments * segments + r.integer("position_bias_num_buckets"),
        "layer_norms": 2,
        "tie_word_embeddings": False,
    }


_PADDLEOCR_TEXT = dense(qkv_bias="use_bias", mlp_bias="use_bias")
_PADDLEOCR_TEXT_DERIVED = dense(qkv_bias="use_bias", mlp_bias="use_bias", head_dim="derived")


def _paddleocr_vl_text(r: Reader) -> Fields:
    """PaddleOCR-VL's language model (``PaddleOCRTextModel``: ERNIE-4.5-0.3B's layers).

    ``PaddleOCRAttention``: GQA, q/k/v/o biased with ``use_bias`` (default false),
    ``head_dim`` from the key (``PaddleOCRTextConfig`` default 128; written null,
    ``__post_init__`` makes it ``hidden_size // num_attention_heads``). ``PaddleOCRMLP``:
    gated, biased with ``use_bias``. ``PaddleOCRDecoderLayer``: two RMSNorms; a final norm;
    full attention on every layer. ``PaddleOCRRotaryEmbedding`` (M-RoPE over the whole head)
    always runs.
    """
    read = _PADDLEOCR_TEXT_DERIVED if r.raw("head_dim") is None else _PADDLEOCR_TEXT
    f = read(r)
    if not any(k in r.data for k in ("rope_theta", "rope_scaling", "rope_parameters")):
        f["rope_dim"] = f["head_dim"]
    return f


_QWEN2_5_OMNI_TEXT = dense(qkv_bias=True, o_bias=False, windows=c.qwen_window)


def _qwen2_5_omni_text(r: Reader) -> Fields:
    """Qwen2.5-Omni's thinker language model (``Qwen2_5OmniThinkerTextModel``): Qwen2's layers.

    ``Qwen2_5OmniAttention``: GQA, q/k/v biased, o_proj not; ``head_dim = getattr(config,
    "head_dim", hidden_size // num_attention_heads)`` (``Qwen2_5OmniTextConfig`` has no such
    field: a key in the file is kept and read; null cannot build). ``Qwen2MLP``: gated,
    unbiased; two RMSNorms a layer, a final norm. ``Qwen2_5OmniTextConfig.__post_init__``:
    sliding layers only with ``use_sliding_window``, from ``max_window_layers`` on (an
    explicit ``layer_types`` wins). ``Qwen2_5OmniRotaryEmbedding`` (M-RoPE) always runs.
    """
    if r.raw("head_dim") is None:
        raise r.fail("field 'head_dim' is null: Qwen2_5OmniAttention needs an integer width")
    f = _QWEN2_5_OMNI_TEXT(r)
    if not any(k in r.data for k in ("rope_theta", "rope_scaling", "rope_parameters")):
        f["rope_dim"] = f["head_dim"]
    return f


#: ChameleonModel's decoder layers: Llama's, with a LayerNorm (weight and bias) over all
#: query heads and one over all key heads
_CHAMELEON_LAYERS = dense(
    mlp_bias="mlp_bias", qk_norm="full", head_dim="derived", fixed={"qk_norm_bias": True}
)


def _chameleon(r: Reader) -> Fields:
    """Chameleon (``ChameleonForConditionalGeneration``): a Llama decoder with q/k LayerNorms.

    ``ChameleonModel`` holds embed_tokens, the decoder layers, a final RMSNorm and
    ``vqmodel`` (``ChameleonVQVAE``, the image tokenizer: not counted); the head sits in the
    wrapper, tied where ``tie_word_embeddings``. ``ChameleonAttention``: heads of
    ``hidden_size // num_attention_heads`` (a remainder is refused), q/k/v/o biased where
    ``attention_bias``, ``q_norm`` / ``k_norm`` ``ChameleonLayerNorm((heads, head_dim))``
    (a weight and a bias per query / key channel); ``ChameleonMLP``: gate, up, down, biased
    where ``mlp_bias``. Two RMSNorms a layer whatever ``swin_norm`` (it moves them), RoPE
    over all of each head, every layer full attention.
    """
    if r.raw("num_key_value_heads") is None:
        # ChameleonConfig keeps the null: num_heads // num_key_value_heads fails
        raise r.fail("num_key_value_heads is null (ChameleonAttention needs a number of KV heads)")
    f = _CHAMELEON_LAYERS(r)
    r.note("vqmodel (Chameleon's VQ-VAE image tokenizer) not counted")
    return f | {"rope_dim": f["head_dim"]}


def _muse_spark_text(r: Reader) -> Fields:
    """Muse Spark's language model (``MuseSparkTextModel``, ``modeling_muse_spark.py``).

    ``MuseSparkTextAttention``: q/k/v/o biased by ``attention_bias``, ``head_dim`` wide
    heads (``MuseSparkTextConfig.validate_architecture`` still wants the heads to divide
    ``hidden_size``), a separate unbiased sigmoid output gate ``gate_proj`` (hidden →
    heads · head_dim) and scale-free q/k and output norms (``with_scale=False``: no
    parameters). ``layer_types`` default (``MuseSparkTextConfig.__post_init__``): full
    attention on every 4th layer counted back from the last, ``sliding_window`` elsewhere.
    ``MuseSparkTextDecoderLayer``: three weighted norms (``input_layernorm``,
    ``pre_feedforward_layernorm``, ``post_feedforward_layernorm``; the post-attention norm
    is scale-free) and two residual gates of ``hidden_size`` (``MuseSparkResidualGate``,
    llmsizing's ``residual_vectors``); ``MuseSparkMoE`` where ``mlp_layer_types[i]`` is
    ``sparse`` (default: every layer), else ``MuseSparkTextMLP``. ``MuseSparkMoE``: a router
    (experts × hidden; its ``e_score_correction_bias`` is a buffer), ``pre_expert_proj``
    (hidden → ``moe_hidden_size``), the centred ``pre_expert_norm``, the experts at
    ``moe_hidden_size`` with one ``post_expert_norm`` for all of them, ``post_expert_proj``
    back (llmsizing's latent MoE with two latent norms). ``MuseSparkTextNormedEmbedding``
    normalises without weights. The head (``MuseSparkForConditionalGeneration.lm_head``) is
    never tied: the class has no ``_tied_weights_keys``.
    """
    f = c.sizes(r)
    n, hidden = f["num_layers"], f["hidden_size"]
    nh = r.integer("num_attention_heads")
    if nh and hidden % nh:
        raise r.fail(
            f"num_attention_heads ({nh}) does not divide hidden_size ({hidden}) "
            "(MuseSparkTextConfig.validate_architecture)"
        )
    if r.raw("head_dim") is None:
        raise r.fail("field 'head_dim' must be an integer (MuseSparkTextConfig types it int)")
    f |= c.heads(r, hidden)
    types = c.layer_list(r, n)
    if types is None:
        types = ["full" if (n - 1 - i) % 4 == 0 else "sliding" for i in range(n)]
        r.note("layer_types: full every 4th layer back from the last (MuseSparkTextConfig)")
    w = r.opt_integer("sliding_window")
    if w is None:
        # MuseSparkTextModel.forward builds a sliding-window mask whatever the layer kinds, and
        # DynamicCache a DynamicSlidingWindowLayer per sliding layer: both fail without one
        raise r.fail("field 'sliding_window' must be set (MuseSparkTextModel cannot run without)")
    raw = r.sequence("mlp_layer_types")
    if raw is None:
        r.note("mlp_layer_types: every layer sparse (MuseSparkTextConfig default)")
        raw = ["sparse"] * n
    if len(raw) != n:
        raise r.fail(f"field 'mlp_layer_types' has {len(raw)} entries for {n} layers")
    for i, t in enumerate(raw):
        if t not in ("dense", "sparse"):
            raise r.fail(f"mlp_layer_types[{i}] = {t!r} is not supported (dense, sparse)")
    layers = tuple(t == "sparse" for t in raw)
    moe = None
    if any(layers):
        latent = c.positive(r, "moe_hidden_size", r.integer("moe_hidden_size"))
        moe = c.moe(
            r,
            experts="num_local_experts",
            top_k="num_experts_per_tok",
            inter="moe_intermediate_size",
            latent_size=latent,
            latent_norms=2,
        )
    if f["tie_word_embeddings"]:
        r.note("tie_word_embeddings ignored (MuseSparkForConditionalGeneration never ties)")
    bias = r.boolean("attention_bias", False)
    return f | {
        "layer_types": tuple(types),
        "sliding_window": w,
        "qkv_bias": bias,
        "o_bias": bias,
        "attn_output_gate": "separate",
        "layer_norms": 3,
        "residual_vectors": True,
        "moe": moe,
        "moe_layers": layers if moe is not None else (),
        "tie_word_embeddings": False,
    }


#: HYV4VLTextConfig.convert_rope_params_to_dict: the M-RoPE split where rope_parameters has none
_HY_V4_VL_MROPE = [12, 10, 10]


def _hy_v4_vl_text(r: Reader) -> Fields:
    """Hy4-VL's language model (``HYV4VLTextModel``, a ``HYV4Model``): Hy4's layers.

    ``HYV4VLTextConfig`` subclasses ``HYV4Config`` with other defaults only (width 6144, 78
    layers, 64 heads, ``q_lora_rank`` 2048, 32 indexer heads); ``HYV4VLAttention`` rebuilds
    ``q_a_layernorm`` / ``kv_a_layernorm`` at the same widths (another eps): read by
    :func:`_hy_v4`. ``HYV4VLRotaryEmbedding`` is M-RoPE (``Qwen3VLTextRotaryEmbedding``):
    ``HYV4VLTextConfig.validate_architecture`` wants ``rope_parameters["mrope_section"]``
    (``[12, 10, 10]`` where absent) of three entries summing to ``qk_rope_head_dim // 2``.
    """
    f = _hy_v4(r)
    params = r.mapping("rope_parameters") or r.mapping("rope_scaling")
    section = params.get("mrope_section", _HY_V4_VL_MROPE)
    half = f["mla"].qk_rope_head_dim // 2
    if (
        not isinstance(section, list)
        or len(section) != 3
        or not all(isinstance(x, int) and not isinstance(x, bool) for x in section)
        or sum(section) != half
    ):
        raise r.fail(
            f"rope_parameters['mrope_section'] = {section!r} must be three integers summing to "
            f"qk_rope_head_dim // 2 = {half} (HYV4VLTextConfig.validate_architecture)"
        )
    return f


def _muse_glimmer_window(r: Reader, n: int) -> Fields:
    """``MuseGlimmerTextConfig.__post_init__``: full attention where ``(n - 1 - i) % 4 == 0``
    (every 4th layer counted back from the last), sliding elsewhere; an explicit
    ``layer_types`` wins. ``MuseGlimmerTextAttention`` slides only on
    ``"sliding_attention"`` layers, by ``sliding_window`` (None: full)."""
    types = c.layer_list(r, n)
    for i, t in enumerate(r.sequence("layer_types") or []):
        if t not in ("full_attention", "sliding_attention"):
            raise r.fail(
                f"layer_types[{i}] = {t!r} is not supported: MuseGlimmerTextModel masks "
                "full_attention and sliding_attention layers only"
            )
    w = r.opt_integer("sliding_window")
    if types is None:
        types = ["full" if (n - 1 - i) % 4 == 0 else "sliding" for i in range(n)]
    if w is None:
        types = ["full"] * n
    return {"layer_types": tuple(types), "sliding_window": w}


_MUSE_GLIMMER_TEXT = dense(
    layer_norms=4, windows=_muse_glimmer_window, fixed={"attn_output_gate": "separate"}
)


def _muse_glimmer_text(r: Reader) -> Fields:
    """Muse Glimmer's language model (``MuseGlimmerTextModel``): gated GQA with sliding and
    full layers, four norms a layer.

    ``MuseGlimmerTextAttention``: q/k/v/o biased with ``attention_bias``, ``head_dim`` from
    the config (default 128; ``validate_architecture`` still wants the heads to divide
    ``hidden_size``), an unbiased ``gate_proj`` (hidden → heads · head_dim, a sigmoid gate
    on the output: ``attn_output_gate="separate"``) and a weightless ``qk_norm``
    (``with_scale=False``). ``MuseGlimmerTextDecoderLayer``: gated unbiased MLP; input,
    post-attention, pre- and post-feedforward ``MuseGlimmerTextCenteredRMSNorm`` (a weight
    each). ``MuseGlimmerTextNormedEmbedding``: a weightless norm over the embedding; final
    ``norm`` weighted. ``layer_rope_theta`` (0: NoPE on the full layers) and the logit
    softcap shape no parameter.
    """
    if r.raw("head_dim") is None:
        raise r.fail("field 'head_dim' is null: MuseGlimmerTextConfig.head_dim is an integer")
    f = _MUSE_GLIMMER_TEXT(r)
    if f["hidden_size"] % f["num_heads"]:
        raise r.fail(
            f"num_attention_heads ({f['num_heads']}) does not divide hidden_size "
            f"({f['hidden_size']}): MuseGlimmerTextConfig.validate_architecture refuses it"
        )
    return f


def _deepseek_ocr2_moe(r: Reader, f: Fields) -> Fields:
    """DeepSeek-OCR-2's language model (``DeepseekOcr2TextModel``, a ``DeepseekV2Model``
    with plain attention): GQA, DeepSeek-V2 MoE or a dense MLP per ``mlp_layer_types``
    (the MoE rule of ``_DEEPSEEK_OCR2_TEXT``, a ``dense(...)`` reader).

    ``DeepseekOcr2TextAttention`` (``LlamaAttention``): q/k/v/o biased with
    ``attention_bias``; ``DeepseekOcr2TextConfig.__post_init__`` sets ``head_dim =
    hidden_size // num_attention_heads`` (a ``head_dim`` key is ignored) and
    ``validate_architecture`` refuses a remainder; ``num_key_value_heads`` None is MHA.
    ``DeepseekOcr2TextDecoderLayer``: ``DeepseekOcr2TextMoe`` where ``mlp_layer_types[i] ==
    "sparse"``, else ``DeepseekOcr2TextMLP`` (gated, ``intermediate_size``, bias with
    ``mlp_bias``). The config fills no default list (its ``__post_init__`` skips
    DeepseekV2Config's), so a missing one cannot build (``None[layer_idx]``).
    ``DeepseekOcr2TextMoe``: fused ``DeepseekOcr2TextExperts`` of ``moe_intermediate_size``
    (no bias), ``DeepseekOcr2TextTopkRouter`` (a weight of ``n_routed_experts`` × hidden),
    ``shared_experts`` = one MLP of ``moe_intermediate_size · n_shared_experts`` (built at
    width 0 too: with ``mlp_bias`` only its ``down_proj`` bias is left, llmsizing's
    ``output_bias``, filed as dense_ffn). The router
    calls ``torch.topk(k=num_experts_per_tok)``: the class default None builds but cannot
    run, and is refused. Two RMSNorms a layer, a final norm, ``LlamaRotaryEmbedding`` over
    the whole head (``validate_rope`` refuses an odd ``head_dim``).
    """
    n = f["num_layers"]
    if f["head_dim"] % 2:
        raise r.fail(
            f"head_dim = hidden_size // num_attention_heads = {f['head_dim']} is odd: "
            "DeepseekOcr2TextConfig's RoPE validation wants an even rotary width"
        )
    if r.sequence("mlp_layer_types") is None:
        raise r.fail(
            "field 'mlp_layer_types' is missing: DeepseekOcr2TextConfig fills no default and "
            "DeepseekOcr2TextDecoderLayer indexes it per layer ('dense' or 'sparse')"
        )
    moe_layers = tuple(
        t == "sparse" for t in _hy_v4_kinds(r, "mlp_layer_types", n, ("dense", "sparse"), [])
    )
    m = None
    if any(moe_layers):
        if r.opt_integer("num_experts_per_tok") is None:
            raise r.fail(
                "field 'num_experts_per_tok' is missing or null (DeepseekOcr2TextConfig "
                "default None): DeepseekOcr2TextTopkRouter takes torch.topk(k=num_experts_per_tok)"
                " on every 'sparse' layer"
            )
        # n_shared_experts 0 still builds shared_experts, of width 0: with mlp_bias its
        # down_proj bias (hidden_size) is a constant added to the MoE output
        shared = r.integer("n_shared_experts", 0)
        m = c.moe(
            r,
            experts="n_routed_experts",
            top_k="num_experts_per_tok",
            inter="moe_intermediate_size",
            shared="n_shared_experts",
            output_bias=f["mlp_bias"] and shared == 0,
        )
    return {"moe": m, "moe_layers": moe_layers}


_DEEPSEEK_OCR2_TEXT = dense(mlp_bias="mlp_bias", head_dim="derived", moe=_deepseek_ocr2_moe)


#: VoxtralRealtimeTextAdaRmsNorm: linear1 (hidden_size -> 32) and linear2 (32 -> hidden_size)
_VOXTRAL_REALTIME_ADA_RANK = 32


def _voxtral_realtime_ada(r: Reader, f: Fields) -> Fields:
    """``VoxtralRealtimeTextDecoderLayer.ada_rms_norm`` (``VoxtralRealtimeTextAdaRmsNorm``):
    ``linear1`` h → 32 and ``linear2`` 32 → h, both unbiased, scaling the post-attention
    norm's output by ``1 + ada(t_cond)`` (the delay-time condition): per layer the tensors of a
    rank-32 norm gate, counted with the norms. ``VoxtralRealtimeTimeEmbedding`` holds only a
    buffer."""
    return {"norm_gate_rank": _VOXTRAL_REALTIME_ADA_RANK, "norm_gates": (1,) * f["num_layers"]}


#: Voxtral Realtime's language model (``VoxtralRealtimeTextModel``,
#: ``models/voxtral_realtime/modeling_voxtral_realtime.py``): Mistral's decoder
#: (``VoxtralRealtimeTextAttention``: GQA, q/k/v/o unbiased, ``head_dim`` or hidden // heads;
#: ``VoxtralRealtimeTextMLP`` gated, unbiased; two RMSNorms and a final norm), every layer
#: sliding where ``sliding_window`` is set (``create_sliding_window_causal_mask``; the
#: DynamicCache infers a sliding layer for each), plus the ada_rms_norm of each layer
_VOXTRAL_REALTIME_TEXT = dense(
    qkv_bias=False, windows=c.window_everywhere, extra=_voxtral_realtime_ada
)


def _kosmos_text(r: Reader) -> Fields:
    """The decoder Kosmos-2 and Kosmos-2.5 share (``Kosmos2TextTransformer``,
    ``Kosmos2_5TextTransformer``): ``embed_tokens`` (scaled by sqrt(embed_dim) where
    ``scale_embedding``: no weight) and a sinusoidal position table (a buffer: no
    parameters); per block q/k/v/out_proj (embed_dim x embed_dim, biased, heads splitting
    embed_dim evenly: ``KosmosTextAttention`` refuses a remainder), ``self_attn_layer_norm``
    and ``final_layer_norm`` LayerNorms, and an FFN of fc1 / fc2 (ffn_dim, biased) with
    ``ffn_layernorm`` (a LayerNorm of ffn_dim) between them (``Kosmos2TextFFN``); a final
    ``layer_norm``; the head unbiased. Full causal attention on every layer."""
    return _fairseq_decoder(r) | {"ffn_sub_norm": True}


def _kosmos2_text(r: Reader) -> Fields:
    """Kosmos-2's language model (``Kosmos2TextForCausalLM``): :func:`_kosmos_text`, and in
    each ``KosmosTextAttention`` ``inner_attn_ln`` (``add_inner_attn_layernorm``: a
    LayerNorm of embed_dim over the attention output before out_proj), a third hidden-wide
    norm a layer. ``add_cross_attention`` adds an ``encoder_attn`` block and its LayerNorm
    to every layer, which Kosmos-2 never feeds (``Kosmos2TextBlock``): refused."""
    if r.boolean("add_cross_attention", False):
        raise r.fail(
            "add_cross_attention builds an encoder attention block in every layer "
            "(Kosmos2TextBlock.encoder_attn, not supported)"
        )
    return _kosmos_text(r) | {"layer_norms": 3}


def _kosmos2_5_text(r: Reader) -> Fields:
    """Kosmos-2.5's language model (``Kosmos2_5TextForCausalLM``): :func:`_kosmos_text`
    (``Kosmos2_5TextAttention`` has no inner LayerNorm) and ``segment_emb``, an embedding of
    2 rows x embed_dim (image or text segment) added with the positions to every token:
    counted as a learned table of 2 rows beside the token embedding
    (``position_embeddings``)."""
    return _kosmos_text(r) | {"position_embeddings": 2}


def _phi4_multimodal_extra(r: Reader, f: Fields) -> Fields:
    """``Phi4MultimodalModel.embed_tokens_extend`` (the SigLIP-style image encoder and the
    Conformer audio encoder, with their projections) is the vision / audio side: not
    counted. transformers builds no LoRA weights (the vision and speech LoRA adapters of
    the checkpoint load separately through PEFT)."""
    r.note("phi4_multimodal: the image and audio encoders (embed_tokens_extend) are not counted")
    return {}


_PHI4_MULTIMODAL = dense(qkv_bias=False, windows=c.window_everywhere, extra=_phi4_multimodal_extra)


def _phi4_multimodal(r: Reader) -> Fields:
    """Phi4MultimodalForCausalLM (Phi-4-multimodal): Phi-3's decoder.

    ``Phi4MultimodalAttention``: qkv_proj fused and o_proj, unbiased, heads of ``head_dim``
    (read by getattr: the file's key, else hidden / heads); ``Phi4MultimodalMLP``:
    gate_up_proj fused and down_proj; two RMSNorms a layer, a final one; ``sliding_window``
    on every layer; the head untied by default. ``Phi4MultimodalConfig.__post_init__``:
    ``num_key_value_heads`` null means one per query head (the class default, 8, applies
    only when the key is absent).
    """
    if r.raw("num_key_value_heads") is None:
        r.note("num_key_value_heads=null: one KV head per query head (Phi4MultimodalConfig)")
        r = _with(r, num_key_value_heads=r.integer("num_attention_heads"))
    return _PHI4_MULTIMODAL(r)


def _moshi_decoder(r: Reader, rows: int, head_dim_zero: str) -> Fields:
    """The temporal decoder of Moshi and Kyutai STT (``MoshiModel``,
    ``KyutaiSpeechToTextModel``), ``rows`` the rows of its input embedding.

    Per ``MoshiDecoderLayer`` (``KyutaiSpeechToTextDecoderLayer``): ``input_layernorm`` and
    ``post_attention_layernorm`` (RMSNorms, weight only); ``MoshiAttention``: q/k/v/o through
    ``MoshiLinear`` (one unbiased ``nn.Linear`` each in this decoder; the per-codebook
    ``MoshiFlexibleLinear`` is the depth decoder's), heads of ``head_dim`` (the key, else
    ``hidden_size // num_attention_heads``), refused unless the heads divide ``hidden_size``;
    ``MoshiGatingMLP``: ``fc1`` (hidden → ``ffn_dim``: gate and up fused) and ``fc2``
    (``ffn_dim // 2`` → hidden), unbiased, a gated FFN ``ffn_dim // 2`` wide (the config refuses
    an odd ``ffn_dim``). Then ``norm`` and an unbiased ``lm_head`` (hidden → ``vocab_size``).
    ``DynamicCache(config=...)`` keeps a sliding-window layer of ``sliding_window`` (a strict
    integer) for every layer. ``head_dim_zero``: how the class reads ``head_dim`` 0 (Moshi:
    ``head_dim or ...``, the derived width; Kyutai: ``is not None``, kept: refused).
    """
    n = c.layer_count(r)
    vocab = r.integer("vocab_size")
    if vocab > SANITY_LIMITS["vocab_size"]:
        raise r.fail(
            f"field 'vocab_size' = {vocab} exceeds the sanity limit {SANITY_LIMITS['vocab_size']}"
        )
    hidden = r.integer("hidden_size")
    nh = r.integer("num_attention_heads")
    if nh == 0 or hidden % nh:
        raise r.fail(
            f"num_attention_heads ({nh}) must divide hidden_size ({hidden}): "
            f"{r.model_type}'s attention refuses it"
        )
    hd = r.opt_integer("head_dim") if r.has("head_dim") else None
    if hd == 0 and head_dim_zero == "refuse":
        raise r.fail("field 'head_dim' must be positive (the attention scales by head_dim**-0.5)")
    hd = hd or hidden // nh
    kv = r.integer("num_key_value_heads", nh, why="config __post_init__: num_attention_heads")
    if kv == 0 or nh % kv:
        raise r.fail(f"num_key_value_heads ({kv}) must divide num_attention_heads ({nh})")
    ffn = r.integer("ffn_dim")
    if ffn % 2:
        raise r.fail(f"field 'ffn_dim' ({ffn}) must be even (fc1 holds the gate and up halves)")
    w = r.integer("sliding_window")
    if w == 0:
        raise r.fail("field 'sliding_window' must be positive (every layer caches that window)")
    return {
        "vocab_size": vocab,
        "hidden_size": hidden,
        "num_layers": n,
        "intermediate_size": ffn // 2,
        "max_position_embeddings": r.opt_integer("max_position_embeddings"),
        "tie_word_embeddings": r.boolean("tie_word_embeddings", False),
        "num_heads": nh,
        "num_kv_heads": kv,
        "head_dim": hd,
        "layer_types": ("sliding",) * n,
        "sliding_window": w,
        "embedding_rows": rows if rows != vocab else None,
    }


def _moshi_padding(r: Reader, key: str, rows: int, default: int | None) -> None:
    """``nn.Embedding(rows, hidden, padding_idx=...)`` refuses an index outside the table
    (``default``: the class's, which the generated defaults leave out with every token id)."""
    pad = r.raw(key)
    if pad is ABSENT:
        pad = default
    if isinstance(pad, int) and not isinstance(pad, bool) and not -rows <= pad < rows:
        raise r.fail(f"field {key!r} ({pad}) is outside the {rows}-row input embedding")


def _moshi(r: Reader) -> Fields:
    """MoshiForCausalLM: Moshi's temporal (text) decoder alone (``_moshi_decoder``), an
    ``embed_tokens`` of ``vocab_size + 1`` rows (``MoshiModel``) and a head of ``vocab_size``;
    ``_tied_weights_keys`` is None: never tied (``NEVER_TIED``).

    The depth decoder (``MoshiDepthDecoder``), the audio-code embeddings and the Mimi codec are
    built only by ``MoshiForConditionalGeneration``, which no auto class maps: not read.
    """
    vocab = r.integer("vocab_size")
    _moshi_padding(r, "pad_token_id", vocab + 1, None)
    r.note("moshi: MoshiForCausalLM's temporal decoder (no depth decoder, Mimi codec)")
    return _moshi_decoder(r, vocab + 1, "derive")


def _kyutai_stt(r: Reader) -> Fields:
    """KyutaiSpeechToTextForConditionalGeneration's decoder (``_moshi_decoder``).

    ``KyutaiSpeechToTextEmbeddings.embed_tokens``: one table for the text tokens and the
    ``num_codebooks`` audio codebooks, ``vocab_size + num_codebooks · codebook_vocab_size + 1``
    rows, ``padding_idx = audio_pad_token_id``; the head has ``vocab_size`` rows and is tied to
    that table where ``tie_word_embeddings`` (``_tied_weights_keys``). ``codec_model`` (Mimi,
    from ``codec_config``) is the audio side: not counted.
    """
    vocab = r.integer("vocab_size")
    books = r.integer("num_codebooks")
    book_vocab = r.integer("codebook_vocab_size")
    rows = vocab + books * book_vocab + 1
    if rows > SANITY_LIMITS["vocab_size"]:
        raise r.fail(f"input embedding of {rows} rows exceeds the sanity limit")
    # KyutaiSpeechToTextConfig.audio_pad_token_id defaults to 69569, the default table's last row
    _moshi_padding(r, "audio_pad_token_id", rows, 69569)
    r.note("kyutai_speech_to_text: codec_model (Mimi) not counted")
    return _moshi_decoder(r, rows, "refuse")


def _bert_like(
    cls: str,
    *,
    pre_norm: bool = False,
    embedding_norm: bool = True,
    token_types: bool = True,
    head_transform: bool = True,
    qkv_bias: Flag = True,
    embed_key: str | None = None,
    head_key: str | None = None,
    head_default: int | None = None,
    bias_pair: bool = True,
    extra: Callable[[Reader, Fields], Fields] | None = None,
    fixed: Mapping[str, Any] | None = None,
) -> ReadFn:
    """BERT-family encoders built as causal LMs (``BertLMHeadModel`` and the ``*ForCausalLM``
    classes ``MODEL_FOR_CAUSAL_LM_MAPPING_NAMES`` gives them, ``cls``), transformers 5.24.

    ``BertEmbeddings``: ``word_embeddings``, ``position_embeddings``
    (``max_position_embeddings`` rows: RoBERTa's padding offset is already in it),
    ``token_type_embeddings`` (``type_vocab_size`` rows, an ``input_tables`` entry; none with
    ``token_types`` False), a LayerNorm with bias (none without ``embedding_norm``). Per
    ``BertLayer``: ``BertSelfAttention`` (query / key / value, hidden → hidden in
    ``num_attention_heads`` heads of ``int(hidden / heads)``, biased where ``qkv_bias``; a
    remainder breaks ``BertSelfOutput`` and is refused), ``BertSelfOutput.dense`` (biased) and a
    LayerNorm, ``BertIntermediate.dense`` / ``BertOutput.dense`` (``intermediate_size``,
    biased, ungated) and a LayerNorm; post-LN (no final norm) unless ``pre_norm`` (a final
    LayerNorm: MegatronBERT's ``encoder.ln``, XLM-RoBERTa-XL's ``encoder.LayerNorm``,
    RoBERTa-PreLayerNorm's ``LayerNorm``). The LM-head models build no pooler
    (``add_pooling_layer=False``). Head: ``BertPredictionHeadTransform`` (dense, biased, an
    activation and a LayerNorm; RoBERTa's ``RobertaLMHead.dense`` / ``layer_norm``; none
    without ``head_transform``), the decoder (tied to ``word_embeddings`` where
    ``tie_word_embeddings``) and its bias (``cls.predictions.bias`` / ``lm_head.bias``, tied to
    ``decoder.bias`` only where the head is tied: an untied head keeps both,
    ``untied_head_bias``; ``bias_pair`` False: the decoder's bias alone, ELECTRA and RemBERT).
    ``embed_key``: the key of a factorised embedding width (ELECTRA, RoFormer: the tables and
    the embedding norm this wide, a biased ``embeddings_project`` to hidden where it differs);
    ``head_key``: the key of the head transform's output width (the decoder reads it), with
    its class default ``head_default``.
    ``extra``: the family's further fields; ``fixed``: constant ones (BigBird's pooler).
    Run as a causal decoder (``is_decoder=True``) every layer caches K and V of every head
    (plain multi-head self-attention, ``DynamicCache``). ``add_cross_attention`` (a
    cross-attention block per layer, for an encoder-decoder's decoder) is refused.
    """

    def read(r: Reader) -> Fields:
        if r.boolean("add_cross_attention", False):
            raise r.fail(
                "add_cross_attention (a cross-attention block per layer, for use as an "
                f"encoder-decoder's decoder; {cls}) is not supported"
            )
        f = c.sizes(r)
        h = f["hidden_size"]
        f |= _mha_heads(r, h)
        width = h
        if embed_key is not None:
            given = r.opt_integer(embed_key)
            if given is None:
                r.note(f"{embed_key}={h} (hidden_size when null)")
            width = h if given is None else c.positive(r, embed_key, given)
        head_width = width
        if head_key is not None:
            # _defaults has no output_embedding_size (the generator skips keys "output_...")
            head_width = r.integer(head_key, head_default, why=f"{cls}'s config default")
            c.positive(r, head_key, head_width)
        tables: tuple[tuple[int, int], ...] = ()
        if token_types:
            tables = ((c.positive(r, "type_vocab_size", r.integer("type_vocab_size")), width),)
        f |= (
            _positions(r)
            | _GPT
            | {
                "layer_types": ("full",) * f["num_layers"],
                "qkv_bias": c.flag(r, qkv_bias),
                "o_bias": True,
                "mlp_bias": True,
                "final_norm": pre_norm,
                "embedding_norm": embedding_norm,
                "input_tables": tables,
                "input_embedding_size": width if width != h else None,
                "input_projection": width if width != h else 0,
                "head_transform": head_transform,
                "head_transform_bias": head_transform,
                "head_transform_size": head_width if head_width != h else None,
                "lm_head_bias": True,
                "untied_head_bias": bias_pair,
                "rope_dim": 0,
            }
        )
        return f | (extra(r, f) if extra is not None else {}) | dict(fixed or {})

    return read


def _ernie_task_types(r: Reader, f: Fields) -> Fields:
    """``ErnieEmbeddings``: with ``use_task_id`` a ``task_type_embeddings`` table
    (``task_type_vocab_size`` rows, hidden wide) is added to every token beside BERT's."""
    if not r.boolean("use_task_id", False):
        return {}
    # _defaults has no task_type_vocab_size (the generator skips keys starting "task")
    rows = r.integer("task_type_vocab_size", 3, why="ErnieConfig default")
    c.positive(r, "task_type_vocab_size", rows)
    return {"input_tables": (*f["input_tables"], (rows, f["hidden_size"]))}


def _rembert_io(r: Reader, f: Fields) -> Fields:
    """RemBERT's ends: ``RemBertEmbeddings`` are ``input_embedding_size`` wide and
    ``RemBertEncoder.embedding_hidden_mapping_in`` (biased) maps them to hidden whatever the
    widths; ``RemBertLMPredictionHead``: ``dense`` (hidden → ``output_embedding_size``, biased),
    an activation, a LayerNorm and ``decoder`` (biased). ``RemBertForCausalLM`` has no
    ``_tied_weights_keys``: its head is never the embedding."""
    if r.boolean("tie_word_embeddings", False):
        r.note("tie_word_embeddings ignored (RemBertForCausalLM never ties its head)")
    return {
        "input_projection": f["input_embedding_size"] or f["hidden_size"],
        "tie_word_embeddings": False,
    }


def _roc_bert_inputs(r: Reader, f: Fields) -> Fields:
    """``RoCBertEmbeddings``: ``pronunciation_embed`` (``pronunciation_vocab_size`` ×
    ``pronunciation_embed_dim``) and ``shape_embed`` (``shape_vocab_size`` × ``shape_embed_dim``)
    are built whatever ``enable_pronunciation`` / ``enable_shape`` say; with ``concat_input``
    ``map_inputs_layer`` (biased) maps the concatenated token embedding and the enabled
    pronunciation and shape embeddings to hidden."""
    h = f["hidden_size"]
    pron = (
        c.positive(r, "pronunciation_vocab_size", r.integer("pronunciation_vocab_size")),
        c.positive(r, "pronunciation_embed_dim", r.integer("pronunciation_embed_dim")),
    )
    shape = (
        c.positive(r, "shape_vocab_size", r.integer("shape_vocab_size")),
        c.positive(r, "shape_embed_dim", r.integer("shape_embed_dim")),
    )
    width = 0
    if r.boolean("concat_input", True):
        width = h + pron[1] * r.boolean("enable_pronunciation", True)
        width += shape[1] * r.boolean("enable_shape", True)
    return {"input_tables": (pron, shape, *f["input_tables"]), "input_projection": width}


def _roformer_positions(r: Reader, f: Fields) -> Fields:
    """RoFormer has no learned position table: ``RoFormerEncoder.embed_positions``
    (``RoFormerSinusoidalPositionalEmbedding``, ``max_position_embeddings`` rows of
    ``hidden_size // num_attention_heads``) is a frozen ``nn.Embedding`` parameter that every
    layer's rotary (q and k, and v with ``rotary_value``) reads: an ``input_tables`` entry.
    The rotary rotates whole heads; the cache keeps K and V of every head as BERT's."""
    rows = f["max_position_embeddings"]
    return {
        "position_embeddings": 0,
        "input_tables": (*f["input_tables"], (rows, f["head_dim"])),
        "rope_dim": f["head_dim"],
    }


def _xmod_adapters(r: Reader, f: Fields) -> Fields:
    """X-MOD (``XmodForCausalLM``): ``XmodOutput`` keeps one ``XmodAdapter`` per language of
    ``languages`` (an ``nn.ModuleDict`` keyed by ``str(language)``: repeats collapse), each
    ``dense1`` (hidden → ``hidden // adapter_reduction_factor``) and ``dense2`` back, biased;
    with ``adapter_layer_norm`` a LayerNorm before them (a third norm a layer). ``pre_norm``:
    the layers' LayerNorms run before their sub-blocks and ``XmodEncoder.LayerNorm`` follows
    the last layer. A token runs its language's adapter only; all are counted (dense FFN)."""
    raw = r.sequence("languages") or []
    languages = {str(x) for x in raw}
    factor = r.integer("adapter_reduction_factor")
    h = f["hidden_size"]
    if languages and (factor == 0 or h // factor == 0):
        raise r.fail(
            f"adapter_reduction_factor ({factor}) must be between 1 and hidden_size ({h}) "
            "(XmodAdapter: a bottleneck of hidden_size // adapter_reduction_factor)"
        )
    return {
        "adapters": len(languages),
        "adapter_size": h // factor if languages else 0,
        "layer_norms": 3 if r.boolean("adapter_layer_norm", False) else 2,
        "final_norm": r.boolean("pre_norm", False),
    }


def _encdec_heads(r: Reader, hidden: int, key: str, width_key: str = "d_model") -> Fields:
    """The decoder's heads (``key``: ``decoder_attention_heads``), each ``hidden // heads``
    wide: ``BartAttention`` and its copies raise a ValueError on a remainder; one KV head per
    query head (the ``num_attention_heads`` / ``num_key_value_heads`` aliases of these configs
    name the encoder's heads, which the causal LM does not build)."""
    nh = c.positive(r, key, r.integer(key))
    if hidden % nh:
        raise r.fail(f"{key} ({nh}) does not divide {width_key} ({hidden})")
    return {"num_heads": nh, "num_kv_heads": nh, "head_dim": hidden // nh}


def _encdec_decoder(
    *,
    offset: int | None = 0,
    positions_key: str = "max_position_embeddings",
    embedding_norm: Flag = False,
    final_norm: bool = False,
    bias: Flag = True,
    k_bias: bool | None = None,
    cross_width: str | None = None,
    rows_key: str | None = None,
    extra: Callable[[Reader, Fields], Fields] | None = None,
) -> ReadFn:
    """The decoder of an encoder-decoder family, as its ``...ForCausalLM`` builds it.

    ``BartForCausalLM`` and its copies (``MBartForCausalLM``, ``MarianForCausalLM``,
    ``PegasusForCausalLM``, ``BlenderbotForCausalLM``, ``WhisperForCausalLM``,
    ``TrOCRForCausalLM`` ...) build the decoder stack and a head only, never the encoder:
    ``embed_tokens`` (``vocab_size`` x ``d_model``; ``scale_embedding`` multiplies by
    sqrt(d_model), no weight), ``embed_positions`` (a learned ``nn.Embedding`` of
    ``positions_key + offset`` rows, the BART family's ``LearnedPositionalEmbedding`` offset
    being 2; a sinusoidal table built as a frozen ``nn.Embedding`` is a parameter all the
    same: Marian's and Pegasus' ``SinusoidalPositionalEmbedding``; ``offset`` None: none);
    ``layernorm_embedding`` where ``embedding_norm``; per ``*DecoderLayer``
    ``self_attn`` (q/k/v/out_proj, d_model x d_model, biased where ``bias``; ``k_bias``: the
    key's bias where it differs, Whisper's unbiased ``k_proj``), ``self_attn_layer_norm``,
    ``encoder_attn`` (the same projections, k and v from ``cross_width``, else d_model: it is
    built whether or not encoder states are given) and ``encoder_attn_layer_norm``, ``fc1`` /
    ``fc2`` (``decoder_ffn_dim``, always biased), ``final_layer_norm`` (three LayerNorms with
    bias); the decoder's ``layer_norm`` where ``final_norm`` (the pre-LN members: mBART,
    Pegasus, Blenderbot, Whisper); an unbiased head, tied by ``tie_word_embeddings``
    (``_tied_weights_keys``). ``final_logits_bias`` is a buffer of the
    ``...ForConditionalGeneration`` classes, not of the causal LM. ``rows_key``: the token
    table's rows where another key gives them (Marian's ``decoder_vocab_size``).

    The KV cache is the self-attention's K and V per token (``DynamicCache`` of a forward
    with ``input_ids`` only); the cross-attention's K and V are computed from the encoder
    output, which the causal LM is not given, and are not cached.
    """

    def read(r: Reader) -> Fields:
        r.note(f"{r.model_type}: the decoder its ForCausalLM builds (the encoder is not counted)")
        n = c.layer_count(r, "decoder_layers")
        vocab = r.integer("vocab_size")
        hidden = c.positive(r, "d_model", r.integer("d_model"))
        _within_sanity(r, vocab=vocab, width=hidden, width_key="d_model")
        f: Fields = {
            "vocab_size": vocab,
            "hidden_size": hidden,
            "num_layers": n,
            "intermediate_size": r.integer("decoder_ffn_dim"),
            "tie_word_embeddings": r.boolean("tie_word_embeddings", True),
        }
        f |= _encdec_heads(r, hidden, "decoder_attention_heads")
        rows = vocab
        if rows_key is not None:
            given = r.opt_integer(rows_key)
            rows = vocab if given is None else given
        pad = r.raw("pad_token_id")
        if isinstance(pad, int) and not isinstance(pad, bool) and not -rows <= pad < rows:
            # nn.Embedding(rows, d_model, padding_idx): "Padding_idx must be within num_embeddings"
            raise r.fail(f"pad_token_id ({pad}) is not a row of the {rows}-row token embedding")
        if rows != vocab:
            if f["tie_word_embeddings"]:
                # the head is the embedding itself: it scores the table's rows
                r.note(f"{rows_key}={rows}: the tied head scores {rows} tokens, not vocab_size")
                f["vocab_size"] = rows
            elif rows < vocab:
                raise r.fail(
                    f"{rows_key} ({rows}) below vocab_size ({vocab}) with an untied head: an input "
                    "table smaller than the output head is not modelled"
                )
            else:
                f["embedding_rows"] = rows
        width = hidden
        if cross_width is not None:
            given = r.opt_integer(cross_width)
            width = hidden if given is None else c.positive(r, cross_width, given)
        f["max_position_embeddings"] = r.integer(positions_key)
        if offset is not None:
            f["position_embeddings"] = f["max_position_embeddings"] + offset
        qkv = c.flag(r, bias)
        f |= {
            "layer_types": ("full",) * n,
            "qkv_bias": qkv,
            "k_bias": k_bias,
            "o_bias": qkv,
            "mlp_bias": True,
            "encoder_attention_width": width,
            "layer_norms": 3,
            "norm_bias": True,
            "final_norm": final_norm,
            "embedding_norm": c.flag(r, embedding_norm),
            "ffn_gated": False,
            "rope_dim": 0,
        }
        if extra is not None:
            f |= extra(r, f)
        return f

    return read


def _bigbird_pegasus_extra(r: Reader, f: Fields) -> Fields:
    """``BigBirdPegasusForCausalLM`` has no ``_tied_weights_keys``: its ``lm_head`` is never the
    embedding, whatever ``tie_word_embeddings`` says. The decoder attends fully
    (``BigBirdPegasusDecoderAttention``; ``attention_type`` block_sparse is the encoder's)."""
    if f["tie_word_embeddings"]:
        r.note("tie_word_embeddings ignored (BigBirdPegasusForCausalLM never ties its head)")
    return {"tie_word_embeddings": False}


def _trocr(r: Reader) -> Fields:
    """TrOCRForCausalLM (``models/trocr/modeling_trocr.py``): the BART-style decoder with its
    switches. ``TrOCRDecoder``: ``TrOCRLearnedPositionalEmbedding`` (``max_position_embeddings
    + 2`` rows) with ``use_learned_position_embeddings``, else
    ``TrOCRSinusoidalPositionalEmbedding`` (a plain tensor attribute ``weights``: no
    parameter; ``max_position_embeddings + pad_token_id + 1`` rows, so a null pad id fails);
    ``layernorm_embedding`` only where ``layernorm_embedding``; no final norm.
    ``TrOCRDecoderLayer`` builds ``encoder_attn`` because ``TrOCRForCausalLM`` sets
    ``is_decoder``, with ``kdim = vdim = cross_attention_hidden_size`` (the vision encoder's
    width; null: d_model)."""
    learned = r.boolean("use_learned_position_embeddings", True)
    if not learned and r.raw("pad_token_id") is None and "pad_token_id" in r.data:
        raise r.fail(
            "sinusoidal positions (use_learned_position_embeddings false) need a pad_token_id: "
            "TrOCRSinusoidalPositionalEmbedding sizes its table max_position_embeddings + "
            "pad_token_id + 1"
        )
    read = _encdec_decoder(
        offset=2 if learned else None,
        embedding_norm="layernorm_embedding",
        cross_width="cross_attention_hidden_size",
    )
    return read(r)


def _prophetnet(r: Reader) -> Fields:
    """ProphetNetForCausalLM (``models/prophetnet/modeling_prophetnet.py``): the decoder of
    ProphetNet and a head, no encoder.

    ``ProphetNetDecoderWrapper.word_embeddings`` (``vocab_size`` x ``hidden_size``, the
    decoder's ``word_embeddings`` and the unbiased ``lm_head`` tied to it);
    ``ProphetNetDecoder``: ``position_embeddings`` (``ProphetNetPositionalEmbeddings``, a
    learned ``max_position_embeddings``-row table), ``ngram_embeddings`` (``ngram`` x
    hidden: the predicting streams, ``prediction_streams``), ``embeddings_layer_norm``
    (post-LN: no final norm); per ``ProphetNetDecoderLayer`` ``ProphetNetNgramSelfAttention``
    (query/key/value/out_proj, hidden x hidden, biased; ``relative_pos_embeddings``, hidden ->
    ``num_buckets`` x heads, biased), ``self_attn_layer_norm``, with ``add_cross_attention``
    ``cross_attn`` (``ProphetNetAttention``, the same four projections from hidden) and
    ``cross_attn_layer_norm``, ``feed_forward`` (intermediate / output, ``decoder_ffn_dim``,
    biased) and ``feed_forward_layer_norm``. Both attentions assert that the heads divide
    hidden_size. The cache keeps the main stream's K and V per layer
    (``ProphetNetNgramSelfAttention`` updates it with ``main_key_states`` only).

    Refused: an untied head (``tie_word_embeddings`` false leaves the wrapper's
    ``word_embeddings`` a second, unused table beside the decoder's, which llmsizing does not
    model), ``ngram`` or ``num_buckets`` of 0, a ``relative_max_distance`` not above
    ``num_buckets // 2`` (``compute_relative_buckets`` then divides by log 1 or less and the
    forward indexes out of range) and pad ids past the tables they index.
    """
    r.note("prophetnet: the decoder ProphetNetForCausalLM builds (the encoder is not counted)")
    n = c.layer_count(r, "num_decoder_layers")
    vocab = r.integer("vocab_size")
    hidden = c.positive(r, "hidden_size", r.integer("hidden_size"))
    _within_sanity(r, vocab=vocab, width=hidden, width_key="hidden_size")
    if not r.boolean("tie_word_embeddings", True):
        raise r.fail(
            "tie_word_embeddings false: ProphetNetForCausalLM then keeps the wrapper's "
            "word_embeddings as a second, unused table, which llmsizing does not model"
        )
    positions = r.integer("max_position_embeddings")
    pad = r.raw("pad_token_id")
    for rows, table in ((vocab, "word_embeddings"), (positions, "position_embeddings")):
        if isinstance(pad, int) and not isinstance(pad, bool) and not -rows <= pad < rows:
            # nn.Embedding(rows, hidden, padding_idx): "Padding_idx must be within num_embeddings"
            raise r.fail(f"pad_token_id ({pad}) is not a row of the {rows}-row {table}")
    ngram = c.positive(r, "ngram", r.integer("ngram"))
    buckets = c.positive(r, "num_buckets", r.integer("num_buckets"))
    distance = r.integer("relative_max_distance")
    if distance <= buckets // 2:
        # compute_relative_buckets divides by log(relative_max_distance / (num_buckets // 2))
        raise r.fail(
            f"relative_max_distance ({distance}) must exceed num_buckets // 2 ({buckets // 2}): "
            "compute_relative_buckets divides by log(relative_max_distance / (num_buckets // 2))"
        )
    cross = r.boolean("add_cross_attention", True)
    f: Fields = {
        "vocab_size": vocab,
        "hidden_size": hidden,
        "num_layers": n,
        "intermediate_size": r.integer("decoder_ffn_dim"),
        "tie_word_embeddings": True,
        "max_position_embeddings": positions,
        "position_embeddings": positions,
        "prediction_streams": ngram,
        "relative_position_buckets": buckets,
    }
    f |= _encdec_heads(r, hidden, "num_decoder_attention_heads", "hidden_size")
    return f | {
        "layer_types": ("full",) * n,
        "qkv_bias": True,
        "o_bias": True,
        "mlp_bias": True,
        "encoder_attention_width": hidden if cross else 0,
        "layer_norms": 3 if cross else 2,
        "norm_bias": True,
        "final_norm": False,
        "embedding_norm": True,
        "ffn_gated": False,
        "rope_dim": 0,
    }


def _xlm(r: Reader) -> Fields:
    """XLMWithLMHeadModel (``models/xlm/modeling_xlm.py``), transformers 5.24.

    ``XLMModel``: ``embeddings`` (``n_words`` = ``vocab_size`` rows of ``emb_dim``, with
    ``padding_idx = pad_index``), ``position_embeddings`` (``max_position_embeddings`` rows:
    with ``sinusoidal_embeddings`` the same ``nn.Embedding``, filled with sines by
    ``_init_weights``, so a parameter all the same), ``lang_embeddings`` (``n_langs`` rows,
    an ``input_tables`` entry) only where ``n_langs > 1`` and ``use_lang_emb``
    (``token_type_ids`` are looked up in ``embeddings`` itself: no table), ``layer_norm_emb``
    (a LayerNorm with bias). Per layer ``MultiHeadAttention`` (``q_lin`` / ``k_lin`` /
    ``v_lin`` / ``out_lin``, dim → dim, biased; ``n_heads`` heads of ``dim // n_heads``, the
    class asserting they divide), ``layer_norm1``, ``TransformerFFN`` (``lin1`` / ``lin2``,
    ``4 · emb_dim`` wide, biased, ungated; ``gelu_activation`` picks GELU or ReLU) and
    ``layer_norm2``: post-LN, no final norm. ``XLMPredLayer.proj``: a biased linear to
    ``n_words``, tied to ``embeddings`` by ``tie_word_embeddings`` (``_tied_weights_keys``;
    the bias is its own either way).

    ``causal`` only changes the mask. A ``cache`` given to the forward (an
    ``EncoderDecoderCache``) keeps every layer's K and V of every head in its
    self-attention part (the model returns no cache: ``MaskedLMOutput``).

    Refused: ``asm`` (``XLMPredLayer`` then builds an ``nn.AdaptiveLogSoftmaxWithLoss`` from
    ``asm_cutoffs``, which ``XLMConfig`` does not define), ``is_encoder`` false
    (``XLMModel`` raises "Currently XLM can only be used as an encoder") and a
    ``pad_token_id`` outside the token table.
    """
    if r.boolean("asm", False):
        raise r.fail(
            "asm (an adaptive log-softmax output layer, nn.AdaptiveLogSoftmaxWithLoss over "
            "asm_cutoffs, which XLMConfig does not define) is not supported"
        )
    if not r.boolean("is_encoder", True):
        raise r.fail(
            "is_encoder false: XLMModel raises 'Currently XLM can only be used as an encoder'"
        )
    n = c.layer_count(r)
    vocab = r.integer("vocab_size")
    h = c.positive(r, "emb_dim", r.integer("hidden_size"))
    _within_sanity(r, vocab=vocab, width=h, width_key="emb_dim")
    pad = r.raw("pad_token_id")
    if isinstance(pad, int) and not isinstance(pad, bool) and not -vocab <= pad < vocab:
        # nn.Embedding(n_words, emb_dim, padding_idx=pad_index)
        raise r.fail(f"pad_token_id ({pad}) is not a row of the {vocab}-row token embedding")
    langs = r.integer("n_langs")
    tables: tuple[tuple[int, int], ...] = ()
    if langs > 1 and r.boolean("use_lang_emb", True):
        tables = ((langs, h),)
    f: Fields = {
        "vocab_size": vocab,
        "hidden_size": h,
        "num_layers": n,
        # XLMModel.hidden_dim = dim * 4 (no config key)
        "intermediate_size": 4 * h,
        "tie_word_embeddings": r.boolean("tie_word_embeddings", True),
    }
    f |= _mha_heads(r, h)
    return (
        f
        | _positions(r)
        | _GPT
        | {
            "layer_types": ("full",) * n,
            "qkv_bias": True,
            "o_bias": True,
            "mlp_bias": True,
            "final_norm": False,
            "embedding_norm": True,
            "input_tables": tables,
            "lm_head_bias": True,
            "rope_dim": 0,
        }
    )


def _git(r: Reader) -> Fields:
    """GitForCausalLM's text decoder (``models/git/modeling_git.py``), transformers 5.24:
    :func:`_bert_like` without token types or head transform.

    ``GitEmbeddings``: ``word_embeddings``, ``position_embeddings``
    (``max_position_embeddings`` rows) and a LayerNorm, no ``token_type_embeddings``;
    ``GitEncoder``: ``num_hidden_layers`` ``GitLayer`` (BERT's post-LN layer:
    ``GitSelfAttention`` query / key / value, biased, ``int(hidden / heads)`` per head, a
    remainder refused; ``GitSelfOutput``, ``GitIntermediate``, ``GitOutput``; no final norm;
    ``GitLayer`` reads no ``add_cross_attention``); ``GitForCausalLM.output``: a biased
    ``nn.Linear`` (hidden → vocab), its weight tied to ``word_embeddings`` where
    ``tie_word_embeddings`` (``_tied_weights_keys``: the weight only, the bias stays). The
    image side (``git.image_encoder``, ``GitVisionModel``; ``git.visual_projection``,
    ``GitProjection``; ``img_temporal_embedding``) is not counted. ``GitModel.forward``
    puts the projected image tokens before the text in one self-attention sequence, and the
    ``DynamicCache`` keeps K and V of every token of it, image tokens included
    (``image_patch_tokens`` per image): one cache per layer, every head, per token.
    """
    read = _bert_like("GitForCausalLM", token_types=False, head_transform=False, bias_pair=False)
    r.note("git: the text decoder (image encoder and visual projection not counted)")
    return read(_with(r, add_cross_attention=False))


#: IdeficsGatedCrossAttentionLayer's alpha_initializer schemes (others raise
#: NotImplementedError)
_IDEFICS_ALPHA_INITS = ("zeros", "ones", "normal", "gaussian", "random")


def _idefics_vision_tokens(r: Reader) -> tuple[int, int]:
    """(K/V input width, vision tokens per image) of IDEFICS' gated cross-attention layers.

    ``IdeficsAttention(is_cross_attention=True)``: k_proj / v_proj from
    ``vision_config.embed_dim`` (IdeficsVisionConfig: 768; ``hidden_size`` is its alias),
    the perceiver's output being as wide. Tokens per image: ``perceiver_config``'s
    ``resampler_n_latents`` (64) with ``use_resampler``, else IdeficsVisionEmbeddings'
    ``(image_size // patch_size)² + 1`` (224, 14: 257).
    """
    raw = r.raw("vision_config")
    v = Reader(raw if isinstance(raw, Mapping) else {}, f"{r.where} › vision_config", "idefics")
    v.defaults, v.assumed = {}, r.assumed
    why = "IdeficsVisionConfig default"
    key = "hidden_size" if "embed_dim" not in v.data and "hidden_size" in v.data else "embed_dim"
    width = c.positive(v, key, v.integer(key, 768, why=why))
    if r.boolean("use_resampler", False):
        raw = r.raw("perceiver_config")
        p = Reader(
            raw if isinstance(raw, Mapping) else {}, f"{r.where} › perceiver_config", "idefics"
        )
        p.defaults, p.assumed = {}, r.assumed
        latents = p.integer("resampler_n_latents", 64, why="IdeficsPerceiverConfig default")
        return width, c.positive(p, "resampler_n_latents", latents)
    image = c.positive(v, "image_size", v.integer("image_size", 224, why=why))
    patch = c.positive(v, "patch_size", v.integer("patch_size", 14, why=why))
    if patch > image:
        raise v.fail(f"patch_size ({patch}) exceeds image_size ({image}): no patch to embed")
    return width, (image // patch) ** 2 + 1


def _idefics(r: Reader) -> Fields:
    """IDEFICS v1 (``IdeficsForVisionText2Text``, ``models/idefics/modeling_idefics.py``),
    transformers 5.24: a Llama decoder with gated cross-attention layers inserted.

    ``IdeficsModel``: ``embed_tokens`` (``IdeficsDecoupledEmbedding``: ``vocab_size`` rows and
    an ``additional_embedding`` of ``additional_vocab_size``), ``num_hidden_layers``
    ``IdeficsDecoderLayer`` (``IdeficsAttention``: q/k/v/o of ``hidden_size``, MHA, unbiased,
    a remainder of hidden / heads refused; ``IdeficsMLP``, gated, unbiased; two RMSNorms),
    ``norm``; ``num_hidden_layers // cross_layer_interval`` ``IdeficsGatedCrossAttentionLayer``
    run before each decoder layer ``idx`` with ``idx % cross_layer_interval == 0`` (the
    ``cross`` layers, one before each such layer): ``IdeficsAttention(is_cross_attention=True)``
    (q from hidden, k and v from the vision width, ``cross_kv_width``; per-head RMSNorms on q
    and k only with ``qk_layer_norms``), an ``IdeficsMLP``, two RMSNorms and the gates
    ``alpha_cross_attn`` / ``alpha_dense`` of ``(1,)`` (``alpha_type="float"``) or
    ``(1, 1, hidden)`` (``"vector"``). The head ``IdeficsDecoupledLinear`` (unbiased) scores
    ``vocab_size + additional_vocab_size`` tokens, both parts tied to the embedding where
    ``tie_word_embeddings``. ``vision_model`` and ``perceiver_resampler`` are not counted.
    The cache keeps the decoder layers' K and V (``DynamicCache``); the cross layers run with
    ``cache=None`` and re-project the image states at every step: nothing cached
    (``cross_kv_cached`` false; ``cross_attention_tokens``: the tokens of one image they
    attend). A layer count that is no multiple of the interval builds fewer cross layers than
    ``IdeficsModel.forward`` indexes: refused.
    """
    f = c.sizes(r)
    h, n = f["hidden_size"], f["num_layers"]
    f |= _mha_heads(r, h)
    interval = c.positive(r, "cross_layer_interval", r.integer("cross_layer_interval"))
    if n % interval:
        raise r.fail(
            f"num_hidden_layers ({n}) is no multiple of cross_layer_interval ({interval}): "
            "IdeficsModel.forward indexes a gated cross-attention layer it does not build"
        )
    extra = r.integer("additional_vocab_size")
    vocab = f["vocab_size"] + extra
    if vocab > SANITY_LIMITS["vocab_size"]:
        raise r.fail(f"vocab_size + additional_vocab_size ({vocab}) exceeds the sanity limit")
    alpha = r.string("alpha_type") or "float"
    if alpha not in ("float", "vector"):
        raise r.fail(f"alpha_type {alpha!r} is not 'float' or 'vector' (IdeficsConfig)")
    init = r.raw("alpha_initializer")
    init = "zeros" if init is ABSENT or init is None else init
    if init not in _IDEFICS_ALPHA_INITS:
        raise r.fail(
            f"alpha_initializer {init!r} is not implemented (IdeficsGatedCrossAttentionLayer)"
        )
    width, tokens = _idefics_vision_tokens(r)
    types: list[str] = []
    for i in range(n):
        types += ["cross", "full"] if i % interval == 0 else ["full"]
    if extra:
        r.note(f"additional_vocab_size={extra}: embedding and head have {vocab} rows")
    r.note("idefics: vision_model and perceiver_resampler not counted; cross layers uncached")
    return f | {
        "vocab_size": vocab,
        "num_layers": len(types),
        "layer_types": tuple(types),
        "qkv_bias": False,
        "o_bias": False,
        "mlp_bias": False,
        "ffn_gated": True,
        "rope_dim": f["head_dim"],
        "cross_attention_tokens": tokens,
        "cross_kv_width": width,
        "cross_qk_norm": r.boolean("qk_layer_norms", False),
        "cross_gate_width": h if alpha == "vector" else 1,
        "cross_kv_cached": False,
    }


def _evolla(r: Reader) -> Fields:
    """Evolla (``EvollaForProteinText2Text``, ``models/evolla/modeling_evolla.py``),
    transformers 5.24: a Llama-3 decoder whose every k-th layer carries a protein aligner.

    ``EvollaModel``: ``embed_tokens``, ``EvollaDecoderLayer`` (``EvollaAttention``: GQA,
    ``attention_bias``; ``EvollaMLP``, gated, ``mlp_bias``; two RMSNorms), ``norm``; the
    unbiased ``lm_head`` is never tied (no ``_tied_weights_keys``). Layer ``i`` has an
    ``adapter`` where ``(i + 1) % max(num_hidden_layers // aligner_num_add_layers, 1) == 0``
    (``EvollaSequenceAlignerCrossAttention`` with ``protein_encoder_dim = hidden_size``, no
    structure or MSA projections: ``aligner_layers``), its feed-forward
    ``hidden · aligner_ffn_mult`` wide (an int: EvollaConfig is strict) and ``out_proj`` biased by
    ``aligner_enable_bias`` (null: no bias, as ``nn.Linear(bias=None)``). The aligner's
    queries are ``heads · int(hidden / heads)`` wide and feed ``out_proj`` of hidden: a
    remainder cannot run and is refused, as are ``aligner_num_add_layers`` 0 (a division by
    zero) and a null ``aligner_ffn_mult``. ``protein_encoder`` (SaProt and the sequence
    compressor resampler) is not counted. The ``DynamicCache`` keeps the self-attention's K
    and V; the aligner re-projects the protein states at every step (no cache).
    """
    f = dense(qkv_bias="attention_bias", mlp_bias="mlp_bias")(r)
    h, n, nh = f["hidden_size"], f["num_layers"], f["num_heads"]
    add = r.integer("aligner_num_add_layers")
    if add == 0:
        raise r.fail(
            "aligner_num_add_layers is 0: EvollaDecoderLayer divides num_hidden_layers by it"
        )
    every = max(n // add, 1)
    layers = tuple((i + 1) % every == 0 for i in range(n))
    if any(layers) and h % nh:
        raise r.fail(
            f"num_attention_heads ({nh}) does not divide hidden_size ({h}): the aligner's "
            "queries (heads · int(hidden / heads)) cannot feed its hidden-wide out_proj"
        )
    mult = r.raw("aligner_ffn_mult")
    if mult is None:
        raise r.fail("aligner_ffn_mult is null: EvollaFeedForward cannot size hidden · None")
    width = h * r.integer("aligner_ffn_mult")
    if any(layers) and width <= 0:
        raise r.fail(f"aligner_ffn_mult gives an empty aligner feed-forward ({width})")
    bias = r.raw("aligner_enable_bias")
    if f["tie_word_embeddings"]:
        r.note("tie_word_embeddings ignored (EvollaForProteinText2Text never ties its head)")
    r.note("evolla: protein_encoder (SaProt, resampler) not counted; aligners cache nothing")
    return f | {
        "tie_word_embeddings": False,
        "aligner_layers": layers if any(layers) else (),
        "aligner_ffn_size": width if any(layers) else 0,
        "aligner_out_bias": bias is not None and r.boolean("aligner_enable_bias", True),
    }


def _blip_text(r: Reader) -> Fields:
    """BlipTextLMHeadModel (``models/blip/modeling_blip_text.py``), transformers 5.24: the
    BERT decoder of :func:`_bert_like` (no token types) with a cross-attention in every layer.

    ``BlipTextEmbeddings``: ``word_embeddings``, ``position_embeddings``
    (``max_position_embeddings`` rows) and a LayerNorm; per ``BlipTextLayer``: ``attention``
    (``BlipTextSelfAttention``: query / key / value hidden → hidden, biased,
    ``int(hidden / heads)`` per head, a remainder refused; ``BlipTextSelfOutput``: dense,
    biased, and a LayerNorm), with ``is_decoder`` ``crossattention`` (query from hidden, key
    and value from ``encoder_hidden_size``, all biased; its output dense and LayerNorm: the
    ``encoder_attention_width`` block and the layer's third norm), ``BlipTextIntermediate``
    / ``BlipTextOutput`` (biased, ungated) and a LayerNorm; post-LN, no final norm and no
    pooler (``add_pooling_layer=False``). ``BlipTextOnlyMLMHead``:
    ``BlipTextPredictionHeadTransform`` (dense and LayerNorm), ``decoder`` and ``bias``
    (one vector where tied, both where not: ``untied_head_bias``). ``is_decoder`` false
    builds no cross-attention and runs bidirectionally without a cache: refused.
    ``add_cross_attention`` is not read (``is_decoder`` decides). Alone, the text model's
    cross-attention reads ``encoder_hidden_size`` and caches nothing (no image given).
    """
    if not r.boolean("is_decoder", True):
        raise r.fail(
            "is_decoder false: BlipTextLMHeadModel then builds no cross-attention and runs "
            "bidirectionally without a cache (not a decoder)"
        )
    f = _bert_like("BlipTextLMHeadModel", token_types=False)(_with(r, add_cross_attention=False))
    width = c.positive(r, "encoder_hidden_size", r.integer("encoder_hidden_size"))
    return f | {"encoder_attention_width": width, "layer_norms": 3}


def _blip(r: Reader) -> Fields:
    """BlipForConditionalGeneration (``models/blip/modeling_blip.py``), transformers 5.24:
    ``text_decoder`` (:func:`_blip_text`) beside ``vision_model`` (BlipVisionModel, a ViT:
    not counted).

    ``BlipConfig.__post_init__`` sets the text config's ``encoder_hidden_size`` to the
    ``vision_config``'s ``hidden_size`` (BlipVisionConfig default 768): the cross-attention's
    key and value read that width, whatever the text config says. The head is tied
    (``_tied_weights_keys`` of the wrapper and of BlipTextLMHeadModel) where either the
    top-level or the text config's ``tie_word_embeddings`` is true (both default true).
    ``generate`` runs the text decoder on the image embeddings: its ``EncoderDecoderCache``
    keeps, per layer, K and V of every head for each text token (``self_attention_cache``)
    and for the image's ``(image_size // patch_size)² + 1`` vision tokens
    (``cross_attention_cache``, BlipVisionEmbeddings: the patches and a class token),
    projected once per sequence: ``cross_attention_tokens``.
    """
    t = _gemma4_assistant_text(r, "blip_text_model")
    f = _blip_text(t)
    raw = r.raw("vision_config")
    v = Reader(raw if isinstance(raw, Mapping) else {}, f"{r.where} › vision_config", "blip")
    v.defaults, v.assumed = {}, r.assumed
    why = "BlipVisionConfig default"
    width = c.positive(v, "hidden_size", v.integer("hidden_size", 768, why=why))
    image = c.positive(v, "image_size", v.integer("image_size", 384, why=why))
    patch = c.positive(v, "patch_size", v.integer("patch_size", 16, why=why))
    if patch > image:
        raise v.fail(f"patch_size ({patch}) exceeds image_size ({image}): no patch to embed")
    tie = r.boolean("tie_word_embeddings", True) or t.boolean("tie_word_embeddings", True)
    r.note("blip: the text decoder (vision_model not counted)")
    return f | {
        "encoder_attention_width": width,
        "cross_attention_tokens": (image // patch) ** 2 + 1,
        "tie_word_embeddings": tie,
    }


def _within_sanity(r: Reader, *, vocab: int, width: int, width_key: str) -> None:
    """Refuse a vocabulary or width beyond :data:`SANITY_LIMITS` (readers that take them
    from keys of their own, before the generic checks run)."""
    for key, v, limit in (("vocab_size", vocab, "vocab_size"), (width_key, width, "hidden_size")):
        if v > SANITY_LIMITS[limit]:
            raise r.fail(f"field {key!r} = {v} exceeds the sanity limit {SANITY_LIMITS[limit]}")


def _step3p5_trim(r: Reader, key: str, n: int, mtp: int) -> list[Any] | None:
    """Step3p7TextConfig.__post_init__: a per-layer list padded with ``mtp`` trailing
    multi-token-prediction entries is cut to the ``n`` decoder layers."""
    raw = r.sequence(key)
    if raw is not None and mtp and len(raw) == n + mtp:
        return raw[:n]
    return raw


def _step3p5_moe_layers(r: Reader, n: int, mtp: int) -> tuple[bool, ...]:
    """Step3p7TextConfig.__post_init__: ``mlp_layer_types``, else the legacy ``moe_layers_enum``
    (MoE layer indices, a list or a comma-separated string), else MoE from layer 3 on
    (``first_k_dense_replace`` is not read)."""
    types = _step3p5_trim(r, "mlp_layer_types", n, mtp)
    if types is not None:
        return c.mlp_layer_types(_with(r, mlp_layer_types=types), n) or ()
    raw = r.raw("moe_layers_enum")
    if raw is ABSENT or raw is None:
        r.note("MoE on layers 3 and up (Step3p7TextConfig default; first_k_dense_replace unread)")
        return tuple(i >= 3 for i in range(n))
    items = raw.split(",") if isinstance(raw, str) else raw
    if not isinstance(items, list):
        raise r.fail(f"field 'moe_layers_enum' must be a list or a string, got {raw!r}")
    moe: set[int] = set()
    for x in items:
        # {int(i) for i in items if str(i).strip()}
        if isinstance(x, str) and not x.strip():
            continue
        try:
            if isinstance(x, bool) or not isinstance(x, int | str):
                raise ValueError
            moe.add(int(x))
        except ValueError:
            raise r.fail(f"field 'moe_layers_enum' must list layer indices, got {x!r}") from None
    return tuple(i in moe for i in range(n))


def _step3p5_heads(r: Reader, types: list[str], nh: int) -> list[int]:
    """Query heads of each layer (Step3p7DecoderLayer reads ``config.per_layer_config[i]``).

    Without ``per_layer_config`` (a saved config writes it), sliding layers have
    ``num_sliding_attention_heads``, else the legacy ``attention_other_setting``'s
    ``num_attention_heads``, else ``num_attention_heads`` (Step3p7TextConfig.__post_init__).
    """
    per_layer = r.raw("per_layer_config")
    if per_layer is ABSENT or per_layer is None:
        sh = r.opt_integer("num_sliding_attention_heads")
        if sh is None:
            other = r.raw("attention_other_setting")
            if other not in (ABSENT, None) and not isinstance(other, Mapping):
                raise r.fail(f"field 'attention_other_setting' must be an object, got {other!r}")
            if other not in (ABSENT, None) and other:
                sh = _sub(r, "attention_other_setting").integer("num_attention_heads", nh)
        sh = nh if sh is None else sh
        return [sh if t == "sliding" else nh for t in types]
    if not isinstance(per_layer, Mapping):
        raise r.fail(f"field 'per_layer_config' must be an object, got {per_layer!r}")
    heads = [nh] * len(types)
    for key, over in per_layer.items():
        try:
            i = int(key)
        except ValueError:
            raise r.fail(f"per_layer_config key {key!r} is not a layer index") from None
        if not 0 <= i < len(types):
            raise r.fail(f"per_layer_config key {key!r} is not one of {len(types)} layers")
        if not isinstance(over, Mapping) or set(over) - {"num_attention_heads"}:
            raise r.fail(
                f"per_layer_config[{key!r}] is not supported (only num_attention_heads overrides)"
            )
        v = over.get("num_attention_heads", nh)
        if isinstance(v, bool) or not isinstance(v, int) or v <= 0:
            raise r.fail(f"per_layer_config[{key!r}]: num_attention_heads must be positive")
        heads[i] = v
    return heads


def _step3p5(r: Reader) -> Fields:
    """Step-3.5 / Step-3.7-Flash's text model (``Step3p7TextModel``, model_type ``step3p5``):
    full and sliding-window layers with their own query-head counts, q/k norms and a
    per-head sigmoid output gate (``g_proj``); dense first layers, then MoE layers of
    routed experts and one shared expert (``share_expert_dim``); MTP layers not built."""
    f = c.sizes(r)
    f |= c.heads(r, f["hidden_size"])
    n, nh, kv, hd = f["num_layers"], f["num_heads"], f["num_kv_heads"], f["head_dim"]
    mtp = r.integer("num_nextn_predict_layers", 0, why="no multi-token prediction")
    raw_types = _step3p5_trim(r, "layer_types", n, mtp)
    types = (
        c.layer_list(_with(r, layer_types=raw_types), n, names=_STEP3P5_LAYERS)
        if raw_types is not None
        else None
    )
    if types is None:
        r.note("every layer full attention (Step3p7TextConfig default layer_types)")
        types = ["full"] * n
    heads = _step3p5_heads(r, types, nh)
    dims: dict[str, AttentionDims] = {}
    for kind in ("full", "sliding"):
        counts = {h for h, t in zip(heads, types, strict=True) if t == kind}
        if len(counts) > 1:
            raise r.fail(f"field 'per_layer_config' gives {kind} layers different head counts")
        if counts and (h := counts.pop()) != nh:
            if h == 0:
                raise r.fail(f"field 'num_sliding_attention_heads' gives {kind} layers no heads")
            if h % kv:
                raise r.fail(
                    f"num_key_value_heads ({kv}) must divide the {kind} layers' heads ({h}) "
                    "(field 'num_sliding_attention_heads')"
                )
            dims[kind] = AttentionDims(num_heads=h, num_kv_heads=kv, head_dim=hd)
    # Step3p7Attention: g_proj is one gate per head when gating is True or "per-head"
    # (the class attribute's default), else one per query channel
    gating = r.raw("gating")
    per_head = gating is ABSENT or gating is True or gating == "per-head"
    # Step3p7TextConfig.attribute_map maps num_local_experts to n_routed_experts, but the
    # dataclass field n_routed_experts (default 288) is assigned after it and wins
    data = {k: v for k, v in r.data.items() if k != "num_local_experts"}
    if "num_local_experts" in r.data and not any(
        k in data for k in ("n_routed_experts", "moe_num_experts")
    ):
        r.note("num_local_experts ignored (Step3p7TextConfig's n_routed_experts default wins)")
    rm = Reader(data, r.where, r.model_type, r.nested)
    rm.assumed = r.assumed
    # Step3p7SparseMoeBlock: Step3p7TopKRouter (no bias; e_score_correction_bias is a
    # buffer), Step3p7Experts, shared_experts = Step3p7MLP(share_expert_dim)
    m = c.moe(
        rm,
        experts="n_routed_experts",
        top_k="num_experts_per_tok",
        inter="moe_intermediate_size",
        shared=1,
        shared_width="share_expert_dim",
    )
    window = r.opt_integer("sliding_window")
    if "sliding" in dims and not window:
        # without a window the sliding layers attend fully, with their own head count: a
        # per-layer head count no layer kind of ModelConfig holds
        raise r.fail(
            f"sliding layers have {dims['sliding'].num_heads} heads, not {nh}, "
            "but no window (field 'sliding_window' is null)"
        )
    bias = r.boolean("attention_bias", False)
    return f | {
        "layer_types": tuple(types),
        "sliding_window": window,
        "sliding_attention": dims.get("sliding"),
        "full_attention": dims.get("full"),
        "qkv_bias": bias,
        "o_bias": bias,
        "mlp_bias": r.boolean("mlp_bias", False),
        "qk_norm": "head",
        "attn_output_gate": "head" if per_head else "separate",
        "moe": m,
        "moe_layers": _step3p5_moe_layers(r, n, mtp),
        "mtp_layers": mtp,
    }


#: MiniMaxM3VLTextConfig.__post_init__: the legacy sparse_attention_config keys of the
#: indexer fields (each, when given, overrides the flat key)
_MINIMAX_M3_INDEX_KEYS = {
    "index_n_heads": "sparse_num_index_heads",
    "index_head_dim": "sparse_index_dim",
    "index_block_size": "sparse_block_size",
    "index_topk_blocks": "sparse_topk_blocks",
    "index_local_blocks": "sparse_local_block",
}


def _minimax_m3_flags(r: Reader, key: str, legacy: str, n: int, names: tuple[str, str]) -> Any:
    """A per-layer list of two kinds: ``key`` as written (only those two names), else the
    legacy 0/1 list ``legacy`` (truthy: the second kind), else None
    (MiniMaxM3VLTextConfig.__post_init__)."""
    raw = r.sequence(key)
    if raw is not None:
        if len(raw) != n:
            raise r.fail(f"field {key!r} has {len(raw)} entries for {n} layers")
        for i, t in enumerate(raw):
            if t not in names:
                raise r.fail(f"{key}[{i}] = {t!r} is not supported (known: {', '.join(names)})")
        return tuple(t == names[1] for t in raw)
    sub, _, leaf = legacy.rpartition(".")
    src = _sub(r, sub) if sub else r
    flags = src.sequence(leaf)
    if flags is None:
        return None
    if len(flags) != n:
        raise r.fail(f"field {legacy!r} has {len(flags)} entries for {n} layers")
    for i, x in enumerate(flags):
        if not isinstance(x, bool | int):
            raise r.fail(f"{legacy}[{i}] = {x!r} is not 0 or 1")
    return tuple(bool(x) for x in flags)


def _minimax_m3(r: Reader) -> Fields:
    """MiniMax-M3's text model (``MiniMaxM3VLTextModel``, model_type ``minimax_m3_vl_text``).

    Grouped-query attention with per-head Gemma RMSNorms on q and k (``MiniMaxM3VLAttention``);
    on ``minimax_m3_sparse`` layers a lightning indexer beside it (``MiniMaxM3VLIndexer``:
    q_proj, k_proj, two norms; one key cached per token) that picks ``index_topk_blocks``
    blocks of ``index_block_size`` keys per query; dense layers of
    ``dense_intermediate_size`` (``MiniMaxM3VLDenseMLP``, fused gate_up), MoE layers of
    routed experts of ``intermediate_size`` and one shared expert of
    ``shared_intermediate_size`` (``MiniMaxM3VLSparseMoeBlock``); MTP modules not built.
    """
    f = c.sizes(r)
    f |= c.heads(r, f["hidden_size"])
    n = f["num_layers"]
    sparse_cfg = r.raw("sparse_attention_config")
    if sparse_cfg not in (ABSENT, None) and not isinstance(sparse_cfg, Mapping):
        raise r.fail(f"field 'sparse_attention_config' must be an object, got {sparse_cfg!r}")
    sub = _sub(r, "sparse_attention_config")
    # MiniMaxM3VLTextConfig.__post_init__: layer_types, else sparse_attention_freq (truthy:
    # "minimax_m3_sparse"), else every layer full attention
    kinds = ("full_attention", "minimax_m3_sparse")
    sparse = _minimax_m3_flags(
        r, "layer_types", "sparse_attention_config.sparse_attention_freq", n, kinds
    )
    if sparse is None:
        r.note("every layer full attention, no indexer (MiniMaxM3VLTextConfig default)")
        sparse = (False,) * n
    # mlp_layer_types, else moe_layer_freq (truthy: "sparse"), else every layer MoE
    moe_layers = _minimax_m3_flags(r, "mlp_layer_types", "moe_layer_freq", n, ("dense", "sparse"))
    if moe_layers is None:
        r.note("every layer MoE (MiniMaxM3VLTextConfig default mlp_layer_types)")
        moe_layers = (True,) * n
    idx: dict[str, int] = {}
    for flat, legacy in _MINIMAX_M3_INDEX_KEYS.items():
        key, src = (legacy, sub) if sub.has(legacy) else (flat, r)
        idx[flat] = src.integer(key)
        if flat != "index_local_blocks" and any(sparse) and idx[flat] == 0:
            raise src.fail(f"field {key!r} must be positive on a model with sparse layers")
    indexer = None
    if any(sparse):
        # MiniMaxM3VLIndexer.forward: topk over blocks of block_size keys; at most
        # topk_blocks * block_size keys per query (the local blocks are among them)
        indexer = IndexerConfig(
            n_heads=idx["index_n_heads"],
            head_dim=idx["index_head_dim"],
            topk=idx["index_topk_blocks"] * idx["index_block_size"],
            kind="block",
            block_size=idx["index_block_size"],
            layers=sparse,
        )
    # MiniMaxM3VLSparseMoeBlock: MiniMaxM3VLTopKRouter (weight only; e_score_correction_bias
    # is a buffer), MiniMaxM3VLExperts of intermediate_size, shared_experts =
    # MiniMaxM3VLDenseMLP(shared_intermediate_size), built whatever n_shared_experts says
    m = c.moe(
        r,
        experts="num_local_experts",
        top_k="num_experts_per_tok",
        inter="intermediate_size",
        shared=1,
        shared_width="shared_intermediate_size",
    )
    shared = r.raw("n_shared_experts")
    if shared not in (ABSENT, None, 1):
        r.note(f"n_shared_experts={shared!r} not read (MiniMaxM3VLSparseMoeBlock builds one)")
    mtp = r.raw("num_mtp_modules")
    if isinstance(mtp, int) and mtp:
        r.note(f"num_mtp_modules={mtp} not counted (transformers builds no MTP module)")
    return f | {
        # MiniMaxM3VLDecoderLayer: MiniMaxM3VLDenseMLP(dense_intermediate_size) on dense layers
        "intermediate_size": r.integer("dense_intermediate_size"),
        "layer_types": ("full",) * n,
        "qk_norm": "head",
        "indexer": indexer,
        "moe": m,
        "moe_layers": moe_layers,
    }


#: MllamaTextConfig.__post_init__: the cross-attention layers when the key is absent
_MLLAMA_CROSS = (3, 8, 13, 18, 23, 28, 33, 38)


def _mllama(r: Reader) -> Fields:
    """Llama 3.2 Vision's text model (``MllamaTextModel``, ``MllamaForConditionalGeneration``).

    Llama self-attention layers, and at ``cross_attention_layers`` cross-attention
    layers over the projected vision tokens (``MllamaCrossAttentionDecoderLayer``);
    ``head_dim = hidden_size // num_attention_heads`` (the key is not read); an input
    embedding of ``vocab_size + 8`` rows and an untied head of ``vocab_size``
    (``MllamaForConditionalGeneration`` has no tied weights). The vision tokens the
    cross layers cache come from the ``vision_config`` (``read_hf_config``).
    """
    f = c.sizes(r)
    f |= c.heads(r, f["hidden_size"], head_dim="derived")
    n = f["num_layers"]
    cross = r.layer_indices("cross_attention_layers")
    if cross is None:
        cross = list(_MLLAMA_CROSS)
        r.note(f"cross_attention_layers={cross} (MllamaTextConfig default)")
    bad = [i for i in cross if i >= n]
    if bad:
        raise r.fail(
            f"cross_attention_layers entry {bad[0]} is not a layer index (num_hidden_layers is {n})"
        )
    if f["tie_word_embeddings"]:
        # MllamaForConditionalGeneration: _tied_weights_keys commented out; the head keeps
        # vocab_size rows, the embedding vocab_size + 8
        r.note("tie_word_embeddings ignored (MllamaForConditionalGeneration never ties its head)")
    # MllamaTextModel: nn.Embedding(config.vocab_size + 8, config.hidden_size)
    return f | {
        "layer_types": tuple("cross" if i in cross else "full" for i in range(n)),
        "tie_word_embeddings": False,
        "embedding_rows": f["vocab_size"] + 8,
    }


def _solar_open(r: Reader) -> Fields:
    """Solar Open: every layer MoE with shared experts (no dense FFN, no intermediate_size)."""
    if not r.has("intermediate_size") and not r.has_default("intermediate_size"):
        r = _with(r, intermediate_size=r.integer("moe_intermediate_size"))
    return dense(
        moe=_first_dense(
            "n_routed_experts",
            "num_experts_per_tok",
            "moe_intermediate_size",
            "n_shared_experts",
            first="first_k_dense_replace_unused",
        )
    )(r)


def _hy_v3_moe(r: Reader, f: Fields) -> Fields:
    """HYV3: shared MLP of moe_intermediate_size x num_shared_experts (HYV3MLP falls back to
    intermediate_size when that is 0); dense first layer (mlp_layer_types)."""
    n = f["num_layers"]
    m = c.moe(
        r,
        experts="num_experts",
        top_k="num_experts_per_tok",
        inter="moe_intermediate_size",
        shared="num_shared_experts",
    )
    if not m.shared_expert_intermediate_size:
        m = m.model_copy(
            update={
                "n_shared_experts": 1,
                "shared_expert_intermediate_size": f["intermediate_size"],
            }
        )
    layers = c.mlp_layer_types(r, n) or tuple(i > 0 for i in range(n))
    return {"moe": m, "moe_layers": layers}


# ------------------------------------------------------- 2019-2023 decoders
# GPT-2, StarCoder 1, GPT-NeoX, GPT-J, Falcon, BLOOM, MPT, OPT, DBRX: fused or separate
# projections of hidden_size // num_attention_heads wide heads, LayerNorms (with bias unless
# stated), learned, rotary or ALiBi positions. A fused q/k/v projection has the parameters of
# separate q, k and v projections of the same widths, so it is counted as those.

#: LayerNorms with bias and a plain (ungated) MLP: GPT-2 and its descendants
_GPT: Fields = {"norm_bias": True, "ffn_gated": False}


def _mha_heads(r: Reader, hidden: int, kv: int | None = None, kv_key: str = "") -> Fields:
    """Heads of ``hidden_size // num_attention_heads`` (the attention classes of these families
    split the hidden size evenly, and refuse or break on a remainder); ``kv`` KV heads (default:
    one per query head), read from ``kv_key`` where named."""
    nh = c.positive(r, "num_attention_heads", r.integer("num_attention_heads"))
    if hidden % nh:
        raise r.fail(f"num_attention_heads ({nh}) does not divide hidden_size ({hidden})")
    kv = nh if kv is None else kv
    if kv == 0 or nh % kv:
        name = kv_key or "the KV heads"
        raise r.fail(f"{name} ({kv}) must divide num_attention_heads ({nh})")
    return {"num_heads": nh, "num_kv_heads": kv, "head_dim": hidden // nh}


def _ffn_width(r: Reader, key: str, hidden: int, cls: str) -> int:
    """``n_inner`` / ``ffn_hidden_size``: null or absent means 4 x hidden_size (``cls``)."""
    width = r.opt_integer(key)
    if width is None:
        width = 4 * hidden
        r.note(f"{key}=None: FFN width 4 x hidden_size = {width} ({cls})")
    return width


def _positions(r: Reader, offset: int = 0) -> Fields:
    """A learned absolute position table of ``max_position_embeddings + offset`` rows."""
    n = r.integer("max_position_embeddings")
    return {"max_position_embeddings": n, "position_embeddings": n + offset}


def _sub(r: Reader, key: str) -> Reader:
    """A reader of the nested config object ``key`` (MPT's attn_config, DBRX's attn_config and
    ffn_config): the sub-config class's defaults are given where each key is read, and its
    assumptions join the parent's."""
    out = Reader(r.mapping(key), f"{r.where} › {key}", r.model_type, nested=r.nested)
    out.defaults = {}
    out.assumed = r.assumed
    return out


def _n_embed(r: Reader) -> Reader:
    """FalconConfig / BloomConfig ``__post_init__``: an ``n_embed`` key overrides hidden_size."""
    return _with(r, hidden_size=r.integer("n_embed")) if r.has("n_embed") else r


def _gpt2_like(cls: str, multi_query: bool) -> ReadFn:
    """GPT2LMHeadModel / GPTBigCodeForCausalLM: wte and wpe (``n_positions`` rows), a fused
    c_attn and c_proj with biases, c_fc / c_proj MLP (``n_inner``, else 4 x n_embd) with biases,
    ln_1 / ln_2 / ln_f LayerNorms, the head tied by default. GPTBigCodeAttention: c_attn is
    ``n_embd + 2 x head_dim`` wide with ``multi_query`` (one KV head), ``3 x n_embd`` without."""

    def read(r: Reader) -> Fields:
        if r.boolean("add_cross_attention", False):
            raise r.fail(
                "add_cross_attention (a cross-attention block per layer, for use as an "
                "encoder-decoder's decoder) is not supported"
            )
        hidden = r.integer("hidden_size")
        f = c.sizes(_with(r, intermediate_size=_ffn_width(r, "n_inner", hidden, cls)))
        kv = 1 if multi_query and r.boolean("multi_query", True) else None
        f |= _mha_heads(r, hidden, kv)
        return (
            f
            | _positions(r)
            | _GPT
            | {
                "layer_types": ("full",) * f["num_layers"],
                "qkv_bias": True,
                "o_bias": True,
                "mlp_bias": True,
            }
        )

    return read


def _gpt_neox(r: Reader) -> Fields:
    """GPTNeoXForCausalLM: embed_in, query_key_value (3h) and dense with attention_bias,
    dense_h_to_4h / dense_4h_to_h with biases, input and post-attention LayerNorms (both built
    whatever use_parallel_residual says), final_layer_norm, an untied head by default; rotary
    on rotary_pct of each head (no parameters)."""
    f = c.sizes(r)
    f |= _mha_heads(r, f["hidden_size"])
    bias = r.boolean("attention_bias", True)
    return (
        f
        | _GPT
        | {
            "layer_types": ("full",) * f["num_layers"],
            "qkv_bias": bias,
            "o_bias": bias,
            "mlp_bias": True,
        }
    )


def _gptj(r: Reader) -> Fields:
    """GPTJForCausalLM: unbiased q/k/v/out_proj, fc_in (n_inner, else 4h) / fc_out with biases,
    one LayerNorm (ln_1) feeding attention and MLP in parallel, ln_f, an untied head with a bias;
    rotary on rotary_dim channels of each head."""
    hidden = r.integer("hidden_size")
    f = c.sizes(_with(r, intermediate_size=_ffn_width(r, "n_inner", hidden, "GPTJBlock")))
    f |= _mha_heads(r, hidden)
    rotary = r.opt_integer("rotary_dim")
    if rotary is not None and rotary > f["head_dim"]:
        raise r.fail(f"rotary_dim ({rotary}) exceeds the head width ({f['head_dim']})")
    return (
        f
        | _GPT
        | {
            "layer_types": ("full",) * f["num_layers"],
            "qkv_bias": False,
            "o_bias": False,
            "mlp_bias": True,
            "layer_norms": 1,
            "lm_head_bias": True,
        }
    )


def _falcon(r: Reader) -> Fields:
    """FalconForCausalLM: query_key_value and dense, dense_h_to_4h / dense_4h_to_h
    (ffn_hidden_size, else 4h), all with ``bias``; LayerNorms with bias; ALiBi or rotary.

    FalconAttention: with new_decoder_architecture, num_kv_heads KV heads (Falcon-40B/180B: 8);
    else one with multi_query (Falcon-7B), else one per head. FalconDecoderLayer: two norms
    (input and post-attention) without parallel_attn, or with num_ln_in_parallel_attn == 2
    (ln_attn, ln_mlp: the new architecture's default), else one.
    """
    for old, new in (("n_head", "num_attention_heads"), ("n_layer", "num_hidden_layers")):
        if r.has(old) and not r.has(new):
            raise r.fail(
                f"field {old!r} is the RefinedWeb spelling, which FalconConfig does not read "
                f"(it expects {new!r})"
            )
    r = _n_embed(r)
    hidden = r.integer("hidden_size")
    inter = _ffn_width(r, "ffn_hidden_size", hidden, "FalconConfig")
    f = c.sizes(_with(r, intermediate_size=inter))
    new_arch = r.boolean("new_decoder_architecture", False)
    nh = c.positive(r, "num_attention_heads", r.integer("num_attention_heads"))
    kv_key = r.opt_integer("num_kv_heads")
    if new_arch:
        kv = nh if kv_key is None else kv_key
        if kv_key is None:
            r.note(f"num_kv_heads={nh} (FalconConfig: num_attention_heads when null)")
    elif r.boolean("multi_query", True):
        kv = 1
    else:
        kv = nh
        if kv_key not in (None, nh):
            # query_key_value is 3 x hidden_size wide: one K and V head per query head
            r.note(f"num_kv_heads={kv_key} ignored (no new_decoder_architecture, no multi_query)")
    f |= _mha_heads(r, hidden, kv, "num_kv_heads")
    norms = r.opt_integer("num_ln_in_parallel_attn")
    if norms is None and new_arch:
        norms = 2
    two = not r.boolean("parallel_attn", True) or norms == 2
    bias = r.boolean("bias", False)
    return (
        f
        | _GPT
        | {
            "layer_types": ("full",) * f["num_layers"],
            "qkv_bias": bias,
            "o_bias": bias,
            "mlp_bias": bias,
            "layer_norms": 2 if two else 1,
        }
    )


def _bloom(r: Reader) -> Fields:
    """BloomForCausalLM: word_embeddings and word_embeddings_layernorm, query_key_value (3h)
    and dense with biases, dense_h_to_4h / dense_4h_to_h (always 4h) with biases, input and
    post-attention LayerNorms, ln_f, the head tied by default; ALiBi positions."""
    r = _n_embed(r)
    hidden = r.integer("hidden_size")
    f = c.sizes(_with(r, intermediate_size=4 * hidden))
    f |= _mha_heads(r, hidden)
    return (
        f
        | _GPT
        | {
            "layer_types": ("full",) * f["num_layers"],
            "qkv_bias": True,
            "o_bias": True,
            "mlp_bias": True,
            "embedding_norm": True,
        }
    )


def _mpt(r: Reader) -> Fields:
    """MptForCausalLM: wte, Wqkv (3h) and out_proj, up_proj / down_proj (4h), all unbiased;
    norm_1 / norm_2 / norm_f LayerNorms without bias; ALiBi; the head tied by default.

    transformers' MPT builds only that shape: what a config asks beyond it (another
    expansion_ratio, biases, multi-query or grouped attention, q/k LayerNorms, learned
    positions) is refused, since the checkpoint's weights would not load into it.
    """
    a = _sub(r, "attn_config")
    kind = a.string("attn_type") or "multihead_attention"
    if kind != "multihead_attention":
        raise a.fail(f"attn_type {kind!r} is not supported (MptAttention is multi-head only)")
    if a.boolean("qk_ln", False):
        raise a.fail("qk_ln is not supported (MptAttention builds no q/k LayerNorms)")
    if a.has("kv_n_heads") and a.integer("kv_n_heads") != r.integer("num_attention_heads"):
        raise a.fail("kv_n_heads is not supported (MptAttention is multi-head only)")
    if not a.boolean("alibi", True, why="MptAttentionConfig default"):
        raise a.fail("alibi false (learned positions) is not supported (MptModel has no wpe)")
    if not r.boolean("no_bias", True):
        raise r.fail("no_bias false is not supported (MPT's linear layers are built unbiased)")
    ratio = r.integer("expansion_ratio")
    if ratio != 4:
        raise r.fail(
            f"expansion_ratio {ratio} is not supported (MptMLP is 4 x d_model wide whatever the "
            "ratio)"
        )
    hidden = r.integer("hidden_size")
    f = c.sizes(_with(r, intermediate_size=4 * hidden))
    f |= _mha_heads(r, hidden)
    return f | {
        "layer_types": ("full",) * f["num_layers"],
        "ffn_gated": False,
    }


def _opt(r: Reader) -> Fields:
    """OPTForCausalLM: embed_tokens (word_embed_proj_dim wide) and embed_positions
    (max_position_embeddings + 2 rows: OPTLearnedPositionalEmbedding's offset), project_in /
    project_out where word_embed_proj_dim differs from hidden_size, q/k/v/out_proj and fc1 /
    fc2 (ffn_dim) with enable_bias, self_attn_layer_norm and final_layer_norm per layer
    (weight and bias, none without layer_norm_elementwise_affine), a final LayerNorm only with
    do_layer_norm_before, the head tied by default."""
    f = c.sizes(_with(r, intermediate_size=r.integer("ffn_dim")))
    hidden = f["hidden_size"]
    f |= _mha_heads(r, hidden)
    width = r.opt_integer("word_embed_proj_dim")
    if width is None:
        width = hidden
        r.note(f"word_embed_proj_dim={hidden} (OPTConfig: hidden_size when null)")
    c.positive(r, "word_embed_proj_dim", width)
    affine = r.boolean("layer_norm_elementwise_affine", True)
    final = r.boolean("do_layer_norm_before", True) and not r.boolean(
        "_remove_final_layer_norm", False
    )
    bias = r.boolean("enable_bias", True)
    return (
        f
        | _positions(r, offset=2)
        | {
            "layer_types": ("full",) * f["num_layers"],
            "embedding_size": width if width != hidden else None,
            "qkv_bias": bias,
            "o_bias": bias,
            "mlp_bias": bias,
            "layer_norms": 2 if affine else 0,
            "norm_bias": affine,
            "final_norm": final and affine,
            "ffn_gated": False,
        }
    )


def _dbrx(r: Reader) -> Fields:
    """DbrxForCausalLM: wte, Wqkv (``d_model + 2 x kv_n_heads x head_dim``) and out_proj
    unbiased, norm_1 / norm_2 / norm_f LayerNorms without bias, and in every layer a router
    (d_model -> moe_num_experts, unbiased) over gated experts (w1, v1, w2: ffn_hidden_size
    each); an untied head (DbrxConfig refuses tie_word_embeddings). clip_qkv clamps activations
    (no parameters)."""
    attn, ffn = _sub(r, "attn_config"), _sub(r, "ffn_config")
    experts = ffn.integer("moe_num_experts", 4, why="DbrxFFNConfig default")
    top_k = ffn.integer("moe_top_k", 1, why="DbrxFFNConfig default")
    inter = ffn.integer("ffn_hidden_size", 3584, why="DbrxFFNConfig default")
    c.positive(ffn, "moe_num_experts", experts)
    if not 0 < top_k <= experts:
        raise ffn.fail(f"moe_top_k ({top_k}) must be between 1 and moe_num_experts ({experts})")
    f = c.sizes(_with(r, intermediate_size=inter))
    if f["tie_word_embeddings"]:
        raise r.fail("tie_word_embeddings is not supported for DBRX models (DbrxConfig refuses it)")
    kv = attn.integer("kv_n_heads", 1, why="DbrxAttentionConfig default")
    f |= _mha_heads(r, f["hidden_size"], kv, "attn_config.kv_n_heads")
    n = f["num_layers"]
    return f | {
        "layer_types": ("full",) * n,
        "moe": MoEConfig(
            n_routed_experts=experts, experts_per_token=top_k, expert_intermediate_size=inter
        ),
        "moe_layers": (True,) * n,
    }


_QWEN3 = dense(qkv_bias="attention_bias", qk_norm="head", windows=c.qwen_window)
_GEMMA_NORMS = 4  # input, post-attention, pre-feedforward, post-feedforward


#: the kinds of architecture the table groups families into
KINDS = ("hybrid", "mla", "moe", "dense", "wrapper")


def _table(*families: Family) -> dict[str, Family]:
    out: dict[str, Family] = {}
    for f in families:
        if f.model_type in out:
            raise ValueError(f"family {f.model_type!r} listed twice")
        if f.read is None and f.text_config is None:
            raise ValueError(f"family {f.model_type!r} needs a reader or a text_config")
        if f.kind not in KINDS:
            raise ValueError(f"family {f.model_type!r}: kind {f.kind!r} is not one of {KINDS}")
        out[f.model_type] = f if f.read is not None else replace(f, kind="wrapper")
    for f in out.values():
        if f.text_config is not None and f.text_config not in out:
            raise ValueError(f"{f.model_type!r} reads its text config as {f.text_config!r}")
    return out


#: Every supported ``model_type``.
FAMILIES: dict[str, Family] = _table(
    # ---- Llama-shaped: q/k/v/o, gated MLP, two RMSNorms
    Family("llama", dense(mlp_bias="mlp_bias")),
    # Doge (SmallDoge): Llama with per-head q/k RMSNorms, a dynamic mask (A, dt_proj) and
    # learned residual vectors; the CDMoE variant (is_moe) is refused
    Family("doge", _doge),
    # DiffLlama: Llama with differential attention (four head_dim lambda vectors per layer)
    Family("diffllama", dense(extra=_diffllama_lambdas)),
    # BitNet b1.58: Llama with RMSNorms on the attention output and the FFN's inner activation
    Family("bitnet", _bitnet),
    # CWM: Llama with unbiased q/k/v/o and a sliding window on 3 of every 4 layers
    Family(
        "cwm",
        dense(qkv_bias=False, mlp_bias="mlp_bias", windows=_cwm_window, extra=_cwm_extra),
    ),
    # InternLM3 and EXAONE 3 are built by transformers' Llama code
    Family("internlm3", dense(mlp_bias="mlp_bias")),
    Family("exaone", dense(mlp_bias="mlp_bias")),
    # IQuest-Coder-V1: built by LlamaForCausalLM (head_dim 128 by default; no clip_qkv, no SWA)
    Family("iquestcoder", _iquestcoder),
    Family("granite", dense(mlp_bias="mlp_bias")),
    # granite-docling's language model (GraniteDoclingTextModel): Granite's layers (MuP
    # multipliers, no parameters), its own defaults (a tied 133,800-row vocabulary)
    Family("granite_docling_text", dense(mlp_bias="mlp_bias")),
    # Granite 4 Vision's language model (Granite4VisionTextModel): Granite's layers (MuP
    # multipliers, no parameters); the deepstack features are added without parameters of its own
    Family("granite4_vision_text", dense(mlp_bias="mlp_bias")),
    # HyperCLOVAX: Granite (MuP multipliers, no parameters) with post-sublayer norms (Peri-LN)
    Family("hyperclovax", dense(mlp_bias="mlp_bias", extra=_hyperclovax_extra)),
    # Granite with sliding windows and a learned sink logit per head (GraniteSWAAttention)
    Family(
        "granite_swa",
        dense(
            mlp_bias="mlp_bias",
            windows=_granite_swa_window,
            extra=_granite_swa_extra,
            fixed={"attention_sinks": True},
        ),
    ),
    # Jais-2: Llama attention, NemotronMLP (biased up/down, relu2), LayerNorms with bias
    Family(
        "jais2",
        dense(mlp_bias="mlp_bias", norm_bias=True, ffn_gated=False, extra=_jais2_heads),
    ),
    # Helium: o_proj is hidden -> hidden, unbiased (HeliumAttention)
    Family(
        "helium",
        dense(
            o_bias=False,
            mlp_bias="mlp_bias",
            extra=lambda r, f: {"o_proj_width": f["hidden_size"]},
        ),
    ),
    Family("smollm3", dense(mlp_bias="mlp_bias", windows=_smollm3_window)),
    Family("seed_oss", dense(o_bias="attention_out_bias", mlp_bias="mlp_bias")),
    # GLM (4-0414 shape): fused gate_up; q/k/v biased, o_proj never
    Family("glm", dense(o_bias=False)),
    Family("glm4", dense(o_bias=False, layer_norms=4)),
    Family("ernie4_5", dense(qkv_bias="use_bias", mlp_bias="use_bias")),
    # PaddleOCR-VL's language model (read as text_config): ERNIE 4.5's layers, head_dim null
    # derived
    Family("paddleocr_vl_text", _paddleocr_vl_text),
    Family("hunyuan_v1_dense", dense(qk_norm="head")),
    Family("hunyuan_vl_text", _hunyuan_vl_text),
    Family("mistral", dense(qkv_bias=False, windows=c.window_everywhere)),
    # Voxtral Realtime's language model: Mistral's decoder with a time-conditioned
    # ada_rms_norm per layer (_VOXTRAL_REALTIME_TEXT)
    Family("voxtral_realtime_text", _VOXTRAL_REALTIME_TEXT),
    Family("ministral", dense(qkv_bias=False, windows=c.window_everywhere)),
    Family("ministral3", dense(qkv_bias=False, windows=c.window_everywhere)),
    Family("phi3", dense(qkv_bias=False, windows=c.window_everywhere)),
    # Phi-4-multimodal: Phi-3's decoder; the image and audio encoders are not counted
    Family("phi4_multimodal", _phi4_multimodal),
    Family("qwen2", dense(qkv_bias=True, o_bias=False, windows=c.qwen_window)),
    Family("qwen3", _QWEN3),
    # Qwen2-VL / Qwen2.5-VL / Qwen3-VL language models (read as text_config)
    Family("qwen2_vl_text", dense(qkv_bias=True, o_bias=False, windows=c.qwen_window)),
    Family("qwen2_5_vl_text", dense(qkv_bias=True, o_bias=False, windows=c.qwen_window)),
    # Qwen2.5-Omni's thinker language model (Qwen2_5OmniThinkerTextModel, read as
    # text_config): Qwen2's layers and sliding-window rule
    Family("qwen2_5_omni_text", _qwen2_5_omni_text),
    Family("qwen3_vl_text", dense(qk_norm="head")),
    # Cosmos3-Edge's language model: Llama attention (all four projections biased by
    # attention_bias), a two-projection relu2 MLP (Nemotron's), M-RoPE, a head never tied
    Family("cosmos3_edge_text", _cosmos3_edge_text),
    # Qwen3-Omni's thinker language model (Qwen3OmniMoeThinkerTextModel): Qwen3-MoE layers,
    # no sliding window (its attention sets sliding_window = None)
    Family(
        "qwen3_omni_moe_text", kind="moe", read=dense(qk_norm="head", moe=_qwen_moe(False, False))
    ),
    # Molmo2's language model: Qwen3 / OLMo-style attention (q/k norms per head or over all
    # heads), extra embedding rows, a head never tied
    Family("molmo2_text", dense(qkv_bias="attention_bias", o_bias=False, extra=_molmo2_extra)),
    # Muse Spark's language model: gated attention with scale-free q/k norms, residual gates,
    # an MoE pooled down to moe_hidden_size around its experts, a head never tied
    Family("muse_spark_text", kind="moe", read=_muse_spark_text),
    # Emu3's language model (Emu3TextModel): Llama layers; Emu3Attention / Emu3MLP read
    # attention_bias, mlp_bias and head_dim from the file (not Emu3TextConfig fields)
    Family("emu3_text_model", _emu3_text),
    # Chameleon (ChameleonModel: the decoder beside a VQ-VAE image tokenizer, not counted):
    # Llama layers with LayerNorms over all q / k heads
    Family("chameleon", _chameleon),
    # Glm4vTextAttention: q/k/v always biased, o_proj never
    Family("glm4v_text", dense(qkv_bias=True, o_bias=False, layer_norms=4)),
    # GLM-OCR's language model: Glm4v's (four RMSNorms a layer, fused gate_up_proj) with
    # q/k/v unbiased (GlmOcrTextAttention)
    Family("glm_ocr_text", dense(qkv_bias=False, layer_norms=4)),
    # ---- norm placements and other widths
    Family("gemma", dense(qkv_bias="attention_bias")),
    Family("gemma2", dense(layer_norms=_GEMMA_NORMS, windows=c.alternate_window("sliding"))),
    Family(
        "gemma3_text",
        dense(
            qk_norm="head",
            layer_norms=_GEMMA_NORMS,
            windows=c.pattern_window("sliding_window_pattern", 6),
        ),
    ),
    # VaultGemma: input and pre-feedforward norms only
    Family("vaultgemma", dense(layer_norms=2, windows=c.alternate_window("sliding"))),
    # OLMo: LayerNorms without parameters; OLMo 2/3: post-norms and a norm over all of q and k
    Family("olmo", dense(layer_norms=0, final_norm=False)),
    # nanochat: weightless RMSNorms (input, post-attention, q/k, before the first layer and
    # final), a ReLU² MLP (fc1/fc2) without bias, q/k/v/o with attention_bias
    Family(
        "nanochat",
        dense(
            qkv_bias="attention_bias",
            layer_norms=0,
            final_norm=False,
            ffn_gated=False,
            extra=_nanochat_extra,
        ),
    ),
    Family("olmo2", dense(qk_norm="full")),
    Family("olmo3", dense(qk_norm="full", windows=c.pattern_window(None, 4))),
    Family("exaone4", dense(qkv_bias=False, qk_norm="head", windows=_exaone4_window)),
    # Cohere: one LayerNorm (weight only) before parallel attention and MLP
    Family("cohere", dense(layer_norms=1, qk_norm="full", qk_norm_flag="use_qk_norm")),
    # Cohere Compass (North-Micro-Vision's language model): Cohere 2's layer, layer_types
    # (default all full), a rotary table (or none: NoPE) per layer type, head_dim as given
    Family("cohere_compass_text", _cohere_compass_text),
    Family(
        "cohere2",
        dense(layer_norms=1, head_dim="derived", windows=c.pattern_window(None, 4)),
    ),
    # Phi-1/2: LayerNorms with bias, biased projections and head, plain MLP, one norm
    Family(
        "phi",
        dense(
            qkv_bias=True,
            mlp_bias=True,
            layer_norms=1,
            norm_bias=True,
            lm_head_bias=True,
            ffn_gated=False,
            qk_norm="head",
            qk_norm_flag="qk_layernorm",
            fixed={"qk_norm_bias": True},
        ),
    ),
    Family(
        "stablelm",
        dense(
            qkv_bias="use_qkv_bias",
            o_bias=False,
            norm_bias=True,
            qk_norm="full",
            qk_norm_flag="qk_layernorm",
            extra=lambda r, f: {
                # use_parallel_residual: one input norm feeds attention and MLP
                "layer_norms": 1 if r.boolean("use_parallel_residual", False) else 2,
                "o_proj_width": f["hidden_size"],
            },
        ),
    ),
    Family(
        "starcoder2",
        dense(
            qkv_bias="use_bias",
            mlp_bias="use_bias",
            norm_bias=True,
            ffn_gated=False,
            windows=c.window_everywhere,
        ),
    ),
    Family(
        "nemotron",
        dense(mlp_bias="mlp_bias", norm_bias=True, ffn_gated=False),
    ),
    Family("arcee", dense(mlp_bias="mlp_bias", ffn_gated=False)),
    # Dory: a looped nGPT (learned scale vectors, weightless L2 norms), one KV cache per loop
    Family("dory", _dory),
    # HRM-Text: L and H stacks of gated-attention layers run in cycles, one KV cache per pass
    Family("hrm_text", _hrm_text),
    # ---- Llama-Nemotron (DeciLM): per-layer GQA and FFN widths, absent or linear sub-blocks
    Family("nemotron-nas", read=_nemotron_nas),
    # ---- 2019-2023 decoders: LayerNorms, learned / rotary / ALiBi positions, fused q/k/v
    Family("gpt2", _gpt2_like("GPT2Block", multi_query=False)),
    # GPT-SW3: transformers maps "gpt-sw3" to GPT2Config and GPT2LMHeadModel (GPT-2's reader)
    Family("gpt-sw3", _gpt2_like("GPT2Block", multi_query=False)),
    # StarCoder 1 / SantaCoder: GPT-2 with multi-query attention
    Family("gpt_bigcode", _gpt2_like("GPTBigCodeBlock", multi_query=True)),
    # OpenAI GPT (GPT-1): GPT-2's block, post-LN (no final norm), the MLP always 4 x n_embd
    Family("openai-gpt", _openai_gpt),
    Family("gpt_neox", _gpt_neox),
    # GPT-NeoX-Japanese: GPT-NeoX's layout without biases but for the last layer's dense_bias
    Family("gpt_neox_japanese", _gpt_neox_japanese),
    # Persimmon: GPT-NeoX's block (fused query_key_value, biased) with per-head q/k LayerNorms
    Family("persimmon", _persimmon),
    # Kyutai STT: Moshi's temporal decoder over one table of text and audio-codebook rows
    # (the head tied to it where tie_word_embeddings); the Mimi codec is not counted
    Family("kyutai_speech_to_text", _kyutai_stt),
    # MoshiForCausalLM: Moshi's temporal decoder (vocab + 1 embedding rows, sliding window on
    # every layer, fc1/fc2 gated FFN of ffn_dim / 2); the depth decoder is not read
    Family("moshi", _moshi),
    Family("gptj", _gptj),
    # CodeGen: GPT-J's block with a fused qkv_proj (in mp_num = 4 blocks)
    Family("codegen", _codegen),
    # GPT-Neo: GPT-2's block with unbiased q/k/v, global layers and local (sliding) ones
    Family("gpt_neo", _gpt_neo),
    Family("falcon", _falcon),
    Family("bloom", _bloom),
    Family("mpt", _mpt),
    # CTRL: pre-LN blocks with q/k/v/o and a ReLU FFN (dff), all biased, sinusoidal positions
    # (a buffer) and a biased head
    Family("ctrl", _ctrl),
    Family("opt", _opt),
    # XGLM: OPT's block with sinusoidal positions (a buffer) and d_model / ffn_dim spellings
    Family("xglm", _xglm),
    # Kosmos-2's language model: biased MHA with an inner LayerNorm, a LayerNorm inside the FFN
    Family("kosmos_2_text_model", _kosmos2_text),
    # Kosmos-2.5's language model: Kosmos-2's without the inner LayerNorm, with segment_emb
    Family("kosmos_2_5_text_model", _kosmos2_5_text),
    Family("cpmant", read=_cpmant),
    Family("modernbert-decoder", read=_modernbert_decoder),
    # BioGPT: OPT's block (biased q/k/v/out_proj, fc1 / fc2), learned positions offset by 2
    Family("biogpt", _biogpt),
    # ProphetNet: n-gram self-attention (relative-position buckets, predicting streams with their
    # own embedding rows), a cross-attention block, post-LN with an embedding norm; tied head
    Family("prophetnet", _prophetnet),
    # TrOCR: BART-style decoder; learned positions, or sinusoidal ones in a plain tensor (no
    # parameter); cross-attention keys and values from cross_attention_hidden_size
    Family("trocr", _trocr),
    # Whisper: max_target_positions learned positions, unbiased k_proj, pre-LN, final norm
    Family(
        "whisper",
        _encdec_decoder(positions_key="max_target_positions", final_norm=True, k_bias=False),
    ),
    # BigBird-Pegasus: learned positions, layernorm_embedding, attention biased by use_bias;
    # BigBirdPegasusForCausalLM never ties its head
    Family(
        "bigbird_pegasus",
        _encdec_decoder(embedding_norm=True, bias="use_bias", extra=_bigbird_pegasus_extra),
    ),
    # MVP: BART's decoder; MvpForCausalLM builds no prompts (use_prompt is not read)
    Family("mvp", _encdec_decoder(offset=2, embedding_norm=True)),
    # PLBART: BART's decoder (learned positions offset by 2, layernorm_embedding)
    Family("plbart", _encdec_decoder(offset=2, embedding_norm=True)),
    # Blenderbot-small: learned positions without offset, layernorm_embedding, post-LN
    Family("blenderbot-small", _encdec_decoder(embedding_norm=True)),
    # Blenderbot: learned positions without offset, pre-LN with a final layer_norm
    Family("blenderbot", _encdec_decoder(final_norm=True)),
    # Pegasus: a sinusoidal position table that is a (frozen) parameter, pre-LN, final norm
    Family("pegasus", _encdec_decoder(final_norm=True)),
    # Marian: a sinusoidal position table that is a (frozen) parameter, no embedding or final
    # norm, decoder_vocab_size rows in the token table
    Family("marian", _encdec_decoder(rows_key="decoder_vocab_size")),
    # mBART: BART's decoder, pre-LN with a final layer_norm
    Family("mbart", _encdec_decoder(offset=2, embedding_norm=True, final_norm=True)),
    # ---- encoder-decoder families: the decoder their ...ForCausalLM builds (self-attention,
    # a cross-attention block over encoder states, fc1 / fc2; LayerNorms with bias)
    # BART: learned positions offset by 2, layernorm_embedding, post-LN (no final norm)
    Family("bart", _encdec_decoder(offset=2, embedding_norm=True)),
    # ---- BERT-family encoders built as causal LMs (*LMHeadModel / *ForCausalLM, is_decoder):
    # learned positions and token types, post-LN biased layers, a dense + LayerNorm head
    Family("bert", _bert_like("BertLMHeadModel")),
    # BlipTextLMHeadModel: a BERT decoder with a cross-attention over image states every layer
    Family("blip_text_model", _blip_text),
    # BlipForConditionalGeneration: its text decoder reads the vision width and caches the image
    Family("blip", _blip, text_config="blip_text_model"),
    # GitForCausalLM: a BERT decoder over image tokens and text (flat config, vision not counted)
    Family("git", _git),
    # BigBird: block-sparse attention (plain q/k/v, full attention with a cache), a pooler
    Family(
        "big_bird",
        _bert_like("BigBirdForCausalLM", qkv_bias="use_bias", fixed={"pooler": True}),
    ),
    # X-MOD: per-language bottleneck adapters after every FFN
    Family("xmod", _bert_like("XmodForCausalLM", extra=_xmod_adapters)),
    # RoFormer: rotary from a frozen sinusoidal table (a parameter), no learned positions
    Family(
        "roformer",
        _bert_like("RoFormerForCausalLM", embed_key="embedding_size", extra=_roformer_positions),
    ),
    # RoC-BERT: pronunciation and shape tables, concatenated and mapped to hidden
    Family("roc_bert", _bert_like("RoCBertForCausalLM", extra=_roc_bert_inputs)),
    # RemBERT: narrow input embeddings mapped to hidden, a wide untied output head
    Family(
        "rembert",
        _bert_like(
            "RemBertForCausalLM",
            embed_key="input_embedding_size",
            head_key="output_embedding_size",
            head_default=1664,
            bias_pair=False,
            extra=_rembert_io,
        ),
    ),
    # MegatronBERT: pre-LN layers, a final LayerNorm, no embedding LayerNorm
    Family(
        "megatron-bert",
        _bert_like("MegatronBertForCausalLM", pre_norm=True, embedding_norm=False),
    ),
    # ERNIE: BERT with a task-type table where use_task_id
    Family("ernie", _bert_like("ErnieForCausalLM", extra=_ernie_task_types)),
    # ELECTRA: embedding_size-wide embeddings projected to hidden, the head back to them
    Family(
        "electra",
        _bert_like("ElectraForCausalLM", embed_key="embedding_size", bias_pair=False),
    ),
    Family("data2vec-text", _bert_like("Data2VecTextForCausalLM")),
    # XLM-RoBERTa-XL: pre-LN layers, a final LayerNorm, no embedding LayerNorm
    Family(
        "xlm-roberta-xl",
        _bert_like("XLMRobertaXLForCausalLM", pre_norm=True, embedding_norm=False),
    ),
    Family("xlm-roberta", _bert_like("XLMRobertaForCausalLM")),
    # XLM: post-LN biased MHA and a 4 · emb_dim FFN, learned (or sinusoidal, still a
    # parameter) positions, a language table where n_langs > 1, a biased head
    Family("xlm", _xlm),
    Family("camembert", _bert_like("CamembertForCausalLM")),
    # RoBERTa-PreLayerNorm: pre-LN layers and a final LayerNorm
    Family("roberta-prelayernorm", _bert_like("RobertaPreLayerNormForCausalLM", pre_norm=True)),
    Family("roberta", _bert_like("RobertaForCausalLM")),
    # BertGenerationDecoder: BERT without token types, its head only the (tied) decoder + bias
    Family(
        "bert-generation",
        _bert_like("BertGenerationDecoder", token_types=False, head_transform=False),
    ),
    # Apertus 1.5's language model: Apertus' layers (xIELU by name), a prunable output head
    Family("apertus1p5_text", dense(qk_norm="head", ffn_gated=False, extra=_apertus1p5_extra)),
    Family(
        "apertus",
        dense(qk_norm="head", ffn_gated=False, fixed={"act_params": 2}),
    ),
    # ---- mixture of experts
    Family(
        "mixtral",
        kind="moe",
        read=dense(
            qkv_bias=False,
            windows=c.window_everywhere,
            moe=_all_moe("num_local_experts", "num_experts_per_tok"),
        ),
    ),
    Family(
        "phimoe",
        kind="moe",
        read=dense(
            qkv_bias="attention_bias",
            norm_bias=True,
            lm_head_bias="lm_head_bias",
            windows=c.window_everywhere,
            moe=_all_moe("num_local_experts", "num_experts_per_tok"),
        ),
    ),
    Family(
        "qwen2_moe",
        kind="moe",
        read=dense(
            qkv_bias="qkv_bias", o_bias=False, windows=_qwen2_moe_window, moe=_qwen_moe(True, True)
        ),
    ),
    Family(
        "qwen3_moe",
        kind="moe",
        read=dense(qk_norm="head", windows=_qwen3_moe_window, moe=_qwen_moe(False, False)),
    ),
    Family(
        "qwen3_vl_moe_text", kind="moe", read=dense(qk_norm="head", moe=_qwen_moe(False, False))
    ),
    Family(
        "olmoe",
        kind="moe",
        read=dense(qk_norm="full", moe=_all_moe("num_experts", "num_experts_per_tok")),
    ),
    Family(
        "flex_olmo",
        kind="moe",
        read=dense(qk_norm="full", moe=_all_moe("num_experts", "num_experts_per_tok")),
    ),
    Family(
        "granitemoe",
        kind="moe",
        read=dense(moe=_all_moe("num_local_experts", "num_experts_per_tok")),
    ),
    Family(
        "granitemoeshared",
        kind="moe",
        read=dense(
            moe=_all_moe(
                "num_local_experts", "num_experts_per_tok", shared_width="shared_intermediate_size"
            )
        ),
    ),
    # GraniteMoeShared with GraniteSWA's attention: sliding windows and per-head sinks
    Family(
        "granitemoe_swa",
        kind="moe",
        read=dense(
            windows=_granite_swa_window,
            moe=_all_moe(
                "num_local_experts", "num_experts_per_tok", shared_width="shared_intermediate_size"
            ),
            extra=_granite_swa_extra,
            fixed={"attention_sinks": True},
        ),
    ),
    Family(
        "minimax_m2",
        kind="moe",
        read=dense(
            qkv_bias=False, qk_norm="full", moe=_all_moe("num_local_experts", "num_experts_per_tok")
        ),
    ),
    Family(
        "hunyuan_v1_moe",
        kind="moe",
        read=dense(qk_norm="head", moe=_hunyuan_moe),
    ),
    Family(
        "ernie4_5_moe",
        kind="moe",
        read=dense(
            qkv_bias="use_bias",
            mlp_bias="use_bias",
            lm_head_bias="use_bias",
            moe=_ernie_moe,
        ),
    ),
    Family(
        "dots1",
        kind="moe",
        read=dense(
            windows=_dots1_window,
            moe=_first_dense(
                "n_routed_experts",
                "num_experts_per_tok",
                "moe_intermediate_size",
                "n_shared_experts",
            ),
        ),
    ),
    Family(
        "exaone_moe",
        kind="moe",
        read=dense(
            qkv_bias=False,
            qk_norm="head",
            windows=_exaone4_window,
            moe=_first_dense(
                "num_experts", "num_experts_per_tok", "moe_intermediate_size", "num_shared_experts"
            ),
        ),
    ),
    Family(
        "glm4_moe",
        kind="moe",
        read=dense(
            o_bias=False,
            qk_norm="head",
            qk_norm_flag="use_qk_norm",
            moe=_first_dense(
                "n_routed_experts",
                "num_experts_per_tok",
                "moe_intermediate_size",
                "n_shared_experts",
            ),
            extra=_mtp,
        ),
    ),
    Family(
        "glm4v_moe_text",
        kind="moe",
        # Glm4vMoeTextAttention builds no q/k norms, whatever use_qk_norm says
        read=dense(
            o_bias=False,
            moe=_first_dense(
                "n_routed_experts",
                "num_experts_per_tok",
                "moe_intermediate_size",
                "n_shared_experts",
            ),
        ),
    ),
    Family(
        "afmoe",
        kind="moe",
        read=dense(
            qk_norm="head",
            layer_norms=4,
            windows=c.pattern_window("global_attn_every_n_layers", 4),
            moe=_first_dense(
                "num_experts",
                "num_experts_per_tok",
                "moe_intermediate_size",
                "num_shared_experts",
                first="num_dense_layers",
                score_bias=True,
            ),
            fixed={"attn_output_gate": "separate"},
        ),
    ),
    Family(
        "cohere2_moe",
        kind="moe",
        read=dense(layer_norms=1, windows=_cohere2_moe_window, moe=_cohere2_moe),
    ),
    # Hunyuan 3: q/k norms, one dense layer, shared experts
    Family("hy_v3", kind="moe", read=dense(qk_norm="head", mlp_bias="mlp_bias", moe=_hy_v3_moe)),
    # Beam: Qwen3-MoE attention with an output gate (a bias per head), four norms a layer,
    # full (NoPE) attention every sixth layer and on the last, grouped-router MoE layers
    Family(
        "beam",
        kind="moe",
        read=dense(
            qk_norm="head",
            layer_norms=4,
            windows=_beam_window,
            moe=_beam_moe,
            extra=_beam_extra,
            fixed={"attn_output_gate": "separate", "attn_gate_bias": True},
        ),
    ),
    Family("solar_open", kind="moe", read=_solar_open),
    # Kolibri-1: EXAONE 4 attention (q/k norms, windows), four norms, shared-expert MoE
    Family("kolibri1", kind="moe", read=_kolibri1),
    Family(
        "sarvam_moe",
        kind="moe",
        read=dense(
            o_bias=False,
            qk_norm="head",
            qk_norm_flag="use_qk_norm",
            moe=_first_dense(
                "n_routed_experts",
                "num_experts_per_tok",
                "moe_intermediate_size",
                "n_shared_experts",
            ),
            extra=_mtp,
        ),
    ),
    Family("sarvam_mla", kind="mla", read=lambda r: _deepseek(r, first_dense=1)),
    Family("llama4_text", kind="moe", read=_llama4),
    Family("dbrx", kind="moe", read=_dbrx),
    # Aria's language model: Llama attention, an MoE on every layer (unbiased router and
    # experts, the shared experts one MLP of intermediate_size x moe_num_shared_experts)
    Family(
        "aria_text",
        kind="moe",
        read=dense(mlp_bias="mlp_bias", moe=_aria_moe, extra=_aria_text_extra),
    ),
    # a mixture of attention heads (routed q/o experts over one K/V) and MoE MLPs
    Family("jetmoe", kind="moe", read=_jetmoe),
    Family(
        "gpt_oss",
        kind="moe",
        read=dense(
            qkv_bias="attention_bias",
            windows=c.alternate_window("sliding"),
            extra=_gpt_oss_extra,
            fixed={"attention_sinks": True},
        ),
    ),
    # ---- multi-head latent attention
    Family("deepseek_v2", kind="mla", read=_deepseek_v2),
    Family("deepseek_v3", kind="mla", read=_deepseek),
    # Kimi K2 ships the DeepSeek-V3 architecture under its own model_type (remote code)
    Family("kimi_k2", kind="mla", read=_deepseek),
    # Glm4MoeLiteConfig: mlp_layer_types = ["dense"] + ["sparse"] * (num_hidden_layers - 1)
    Family("glm4_moe_lite", kind="mla", read=lambda r: _deepseek(r, first_dense=1)),
    # A.X-K1: DeepSeek-V3 MLA (query LoRA always) and MoE with a norm after each MoE block
    Family("axk1", kind="mla", read=_axk1),
    Family("minicpm3", kind="mla", read=_minicpm3),
    Family("youtu", kind="mla", read=_youtu),
    Family("mistral4", kind="mla", read=_mistral4),
    Family("deepseek_v32", kind="mla", read=_deepseek_v32),
    # A.X-K2: DeepSeek-V3.2 with a fused query/output-gate projection and gated norms (its
    # reader uses _axk from the axk1 entry)
    Family("axk2", kind="mla", read=_axk2),
    Family("deepseek_v4", kind="moe", read=_deepseek_v4),
    # SGLang's FP8 exports of DeepSeek-V4 (architectures DeepseekV4ForCausalLM, same keys)
    Family("deepseek_ref", kind="moe", read=_deepseek_v4),
    Family("glm_moe_dsa", kind="mla", read=_glm_moe_dsa),
    # LongCat-Flash: each decoder block as two MLA layers, the shortcut MoE on the first
    Family("longcat_flash", kind="mla", read=_longcat_flash),
    Family("mistral_large4_text", kind="mla", read=_mistral_large4),
    Family("hy_v4", kind="mla", read=_hy_v4),
    # DeepSeek-OCR-2's language model (DeepseekOcr2TextModel, read as text_config): GQA
    # attention with DeepSeek-V2's MoE per mlp_layer_types
    Family("deepseek_ocr2_text", kind="moe", read=_DEEPSEEK_OCR2_TEXT),
    # Muse Glimmer's language model (MuseGlimmerTextModel, read as text_config)
    Family("muse_glimmer_text", _muse_glimmer_text),
    # Hy4-VL's language model (HYV4VLTextModel, read as text_config): Hy4's layers, M-RoPE
    Family("hy_v4_vl_text", kind="mla", read=_hy_v4_vl_text),
    # dots3-note: MLA with the sliding layers' own heads and widths, a DSA indexer elsewhere
    Family("dots3_note_text", kind="mla", read=_dots3_note),
    # ---- hybrids: linear attention and state-space layers
    Family("qwen3_next", kind="hybrid", read=_qwen3_next_like(_qwen_moe(True, True))),
    Family("qwen3_5_text", kind="hybrid", read=_qwen3_next_like(None)),
    Family("qwen3_5_moe_text", kind="hybrid", read=_qwen3_next_like(_qwen_moe(True, True))),
    # Lara 4 Mini: Gated DeltaNet, sliding and NoPE full layers (Qwen3 attention, no output
    # gate) in a period-5 pattern; every layer MoE with an ungated shared expert
    Family("lara_mini", kind="hybrid", read=_lara_mini),
    Family("qwen4_exp_text", kind="hybrid", read=_qwen4_exp),
    Family("glm5_next_text", kind="hybrid", read=_glm5_next),
    Family("olmo_hybrid", kind="hybrid", read=_olmo_hybrid),
    Family("bailing_hybrid", kind="hybrid", read=_bailing_hybrid),
    Family("kimi_linear", kind="hybrid", read=_kimi_linear),
    Family("minimax", kind="hybrid", read=_minimax),
    Family("nemotron_h", kind="hybrid", read=_nemotron_h),
    Family("granitemoehybrid", kind="hybrid", read=_granite_hybrid),
    Family("bamba", kind="hybrid", read=_bamba),
    Family("falcon_h1", kind="hybrid", read=_falcon_h1),
    # Mamba-2 layers; hybrid layers add a shared (tied) attention + MLP block before theirs
    Family("zamba2", kind="hybrid", read=_zamba2),
    # Zamba (v1): multi-head Mamba-1 layers; hybrid layers add the one shared (tied)
    # attention + MLP block before theirs
    Family("zamba", kind="hybrid", read=_zamba),
    Family("jamba", kind="hybrid", read=_jamba),
    Family("mamba", kind="hybrid", read=_pure_mamba(1)),
    Family("falcon_mamba", kind="hybrid", read=_pure_mamba(1)),
    Family("mamba2", kind="hybrid", read=_pure_mamba(2)),
    Family("lfm2", kind="hybrid", read=_lfm2(False)),
    Family("lfm2_moe", kind="hybrid", read=_lfm2(True)),
    Family("lfm3", kind="hybrid", read=_lfm3),
    # ZAYA1: CCA attention (q/k convolutions, a delayed value state), an MLP router, top-1 MoE
    Family("zaya", kind="hybrid", read=_zaya),
    # Inkling 2 Loop: inkling2_text's reader (_inkling2) with its looped middle layers
    Family("inkling2_loop_text", kind="hybrid", read=_inkling2(True)),
    # Inkling 2: Inkling's convolutions and bias, L2-clipped q/k, sinks, attention residuals
    Family("inkling2_text", kind="hybrid", read=_inkling2(False)),
    # Inkling: short convolutions on k, v and the sub-block outputs, a relative position bias
    Family("inkling_text", kind="hybrid", read=_inkling),
    # Griffin: RG-LRU recurrent blocks (linear layers) and local attention, an MLP in each
    Family("recurrent_gemma", kind="hybrid", read=_recurrent_gemma),
    Family("xlstm", kind="hybrid", read=_xlstm),
    Family("rwkv", kind="hybrid", read=_rwkv),
    Family("mimo_v2_flash", kind="moe", read=_mimo_v2),
    # Flint: Qwen3-MoE layers with attention sinks, sliding windows (NoPE full layers) and an
    # ungated shared expert
    Family("flint", kind="moe", read=_flint),
    Family("gemma4_text", _gemma4),
    Family("gemma3n_text", _gemma3n),
    Family("gemma4_unified_text", _gemma4_unified),
    # the Gemma 4 assistant over a gemma4_unified_text model (reader beside _gemma4_assistant)
    Family("gemma4_unified_assistant", _gemma4_unified_assistant),
    # Gemma 4 assistants (MTP drafters): a Gemma 4 text model on the target's KV, its own
    # projections in and out and a centroid head; read from the wrapper config itself
    Family("gemma4_assistant", _gemma4_assistant),
    Family("mllama_text_model", _mllama),
    # EvollaForProteinText2Text: Llama-3 layers, every k-th with a protein aligner after its MLP
    Family("evolla", _evolla),
    # IdeficsForVisionText2Text: a Llama decoder with uncached gated cross-attention layers
    Family("idefics", _idefics),
    Family("step3p5", kind="moe", read=_step3p5),
    Family("laguna", kind="moe", read=_laguna),
    # Mellum: Qwen3-MoE attention (q/k norms, biases) on Laguna's layers; dense or sparse FFNs
    Family(
        "mellum",
        kind="moe",
        read=dense(qk_norm="head", windows=_mellum_window, moe=_mellum_moe, extra=_mellum_extra),
    ),
    Family("minimax_m3_vl_text", kind="moe", read=_minimax_m3),
    # ERNIE-4.5-VL's language model: Ernie 4.5 attention and dense layers, MoE layers with a
    # text and a vision expert set (each with its router), shared experts
    Family(
        "ernie4_5_vl_moe_text",
        kind="moe",
        read=dense(qkv_bias="use_bias", mlp_bias="use_bias", moe=_ernie_vl_moe),
    ),
    # ---- multimodal and wrapper configs, read through their text_config
    Family("gemma4", text_config="gemma4_text"),
    # Gemma3nModel holds the text model as language_model beside a timm MobileNet-V5 vision
    # tower and a Conformer audio tower (neither counted); the head sits in the wrapper
    Family("gemma3n", text_config="gemma3n_text"),
    # Gemma4UnifiedModel holds Gemma4UnifiedTextModel as language_model and no vision or
    # audio tower (encoder-free embed_vision / embed_audio, not counted); the head sits in
    # the wrapper
    Family("gemma4_unified", text_config="gemma4_unified_text"),
    # Exaone4_5 holds an exaone4 language model (its legacy exaone4_5_text renamed) beside a
    # Qwen2.5-VL-style tower with grouped-query attention (not counted)
    Family("exaone4_5", text_config="exaone4"),
    Family("llava", text_config="llama"),
    Family("llava_next", text_config="llama"),
    # VipLlavaModel holds AutoModel.from_config(text_config) (llama by default) as language_model
    # beside a CLIP tower and a LayerNorm + MLP projector (the tower, hf/vision.py); the head sits
    # in the wrapper, tied only by the top-level tie_word_embeddings
    Family("vipllava", text_config="llama"),
    # LlavaNextVideoModel / LlavaOnevisionModel / PaliGemmaModel / AyaVisionModel hold
    # AutoModel.from_config(config.text_config) as language_model; Idefics3Model and
    # SmolVLMModel hold it as text_model; the head sits in the wrapper
    Family("llava_next_video", text_config="llama"),
    # VideoLlavaModel holds AutoModel.from_config(text_config) (llama by default) as
    # language_model beside CLIP image and video towers and a projector (not counted); the
    # head sits in the wrapper, tied only by the top-level tie_word_embeddings
    Family("video_llava", text_config="llama"),
    Family("llava_onevision", text_config="qwen2"),
    # FastVlmModel holds AutoModel.from_config(text_config) (qwen2, FastVLM-7B's sizes, by
    # default) beside a timm FastViT tower and a two-layer projector (not counted); the head
    # sits in the wrapper, tied by the top-level or (forwarded) the text tie_word_embeddings
    Family("fast_vlm", text_config="qwen2"),
    # VideoLlama3Model holds AutoModel.from_config(text_config) (qwen2 by default) beside a
    # SigLIP-style vision model and an MLP projector (not counted); the head sits in the
    # wrapper, tied where the top-level or the text config's tie_word_embeddings says
    Family("video_llama_3", text_config="qwen2"),
    Family("paligemma", text_config="gemma"),
    Family("idefics3", text_config="llama"),
    # Idefics2Model holds AutoModel.from_config(text_config) (mistral by default) as
    # text_model beside a SigLIP-style tower and a perceiver connector (not counted); the
    # head sits in the wrapper, tied only by the top-level tie_word_embeddings
    Family("idefics2", text_config="mistral"),
    Family("smolvlm", text_config="llama"),
    # FuyuModel holds AutoModel.from_config(text_config) (persimmon by default) as
    # language_model beside vision_embed_tokens (one linear patch projection, not counted);
    # the head sits in the wrapper, tied only by the top-level tie_word_embeddings. Released
    # configs are flat (FuyuConfig builds the text config from some top-level keys)
    Family("fuyu", text_config="persimmon"),
    # DeepseekVLModel holds AutoModel.from_config(text_config) (llama by default) as
    # language_model beside a SigLIP tower and a two-layer aligner (not counted); the head
    # sits in the wrapper, tied only by the top-level tie_word_embeddings (default true)
    Family("deepseek_vl", text_config="llama"),
    # DeepseekOcr2Model: language_model beside the SAM + Qwen2 vision encoder, its
    # multi_modal_projector and view_separator (vision side, not counted); lm_head in the
    # wrapper, tied only by the top-level tie_word_embeddings (default false)
    Family("deepseek_ocr2", text_config="deepseek_ocr2_text"),
    Family("aya_vision", text_config="cohere2"),
    # DeepseekVLHybridModel: DeepseekVLModel's language model and head, beside SigLIP and SAM
    # towers, their neck, projection and aligner (not counted)
    Family("deepseek_vl_hybrid", text_config="llama"),
    Family("internvl", text_config="qwen2"),
    # JanusModel holds AutoModel.from_config(text_config) (llama by default) as
    # language_model beside a SigLIP-style tower, a VQ-VAE and its image-generation
    # embeddings, aligners and head (not counted); the head sits in the wrapper, tied by the
    # top-level tie_word_embeddings (JanusConfig: default true)
    Family("janus", text_config="llama"),
    # Ovis2Model holds AutoModel.from_config(text_config) (qwen2 by default) beside an AIMv2
    # tower and a visual embedding table (not counted); the head sits in the wrapper, tied by
    # the top-level tie_word_embeddings (default true), untied sized by the top-level
    # vocab_size and hidden_size (hf._OUTER_HEAD)
    Family("ovis2", text_config="qwen2"),
    # QianfanOCRModel holds AutoModel.from_config(text_config) (qwen3 by default) beside an
    # InternViT-style vision tower and a LayerNorm-MLP projector (not counted); the head sits
    # in the wrapper, tied only by the top-level tie_word_embeddings (default false)
    Family("qianfan_ocr", text_config="qwen3"),
    Family("cohere2_vision", text_config="cohere2"),
    # PerceptionLMModel holds AutoModel.from_config(text_config) (llama by default) as
    # language_model beside a timm vision tower and a projector (not counted); the head sits
    # in the wrapper, tied by the top-level tie_word_embeddings, or the text config's if unset
    Family("perception_lm", text_config="llama"),
    # GotOcr2Model holds AutoModel.from_config(text_config) (qwen2, GOT-OCR-2.0's sizes, by
    # default) beside a SAM-style tower and a convolutional projector (not counted); the head
    # sits in the wrapper, tied only by the top-level tie_word_embeddings (default true)
    Family("got_ocr2", text_config="qwen2"),
    # PPChart2TableConfig: built as GotOcr2ForConditionalGeneration (its auto mapping), with
    # GOT-OCR-2.0's default text config
    Family("pp_chart2table", text_config="qwen2"),
    Family("lfm2_vl", text_config="lfm2"),
    # AriaModel holds AriaTextModel as language_model (AriaConfig builds AriaTextConfig,
    # whatever the text config names) beside an Idefics3 vision tower and a cross-attention
    # projector (not counted); the head sits in the wrapper, tied by the top-level config
    Family("aria", text_config="aria_text"),
    # HyperCLOVAXVisionV2Model holds AutoModel.from_config(text_config) (hyperclovax by
    # default) beside a Qwen2.5-VL vision tower and a biased linear projector (not counted);
    # the head sits in the wrapper, tied only by the top-level tie_word_embeddings (default true)
    Family("hyperclovax_vision_v2", text_config="hyperclovax"),
    # Apertus1p5Model holds Apertus1p5TextModel as language_model beside an IBQ image
    # tokenizer and a WavTokenizer audio encoder (neither counted); the head sits in the wrapper
    Family("apertus1p5", text_config="apertus1p5_text"),
    Family("qwen3_5", text_config="qwen3_5_text"),
    Family("qwen3_5_moe", text_config="qwen3_5_moe_text"),
    # MiniCPMV4_6Model holds AutoModel.from_config(text_config) (qwen3_5_text by default) as
    # language_model beside a SigLIP-style tower and mergers (not counted); the head sits in
    # the wrapper, tied only by the top-level tie_word_embeddings
    Family("minicpmv4_6", text_config="qwen3_5_text"),
    # MiniCPMOcrModel: as MiniCPMV4_7Model (the top-level tie_word_embeddings defaults true)
    Family("minicpm_ocr", text_config="qwen3_5_text"),
    # MiniCPMV4_7Model / MiniCPMOcrModel hold AutoModel.from_config(text_config)
    # (qwen3_5_text by default) beside a SigLIP-style tower and mergers (not counted); the head
    # sits in the wrapper, tied only by the top-level tie_word_embeddings
    Family("minicpmv4_7", text_config="qwen3_5_text"),
    Family("qwen4_exp", text_config="qwen4_exp_text"),
    Family("glm5_next", text_config="glm5_next_text"),
    Family("gemma3", text_config="gemma3_text"),
    # ShieldGemma2Config builds a Gemma3ForConditionalGeneration (AutoModelForImageTextToText);
    # the head is tied where the top-level config or the text config (default true) says so
    Family("shieldgemma2", text_config="gemma3_text"),
    # Llama4ForConditionalGeneration holds a Llama4ForCausalLM: the text config ties
    Family("llama4", text_config="llama4_text", tie_from="text"),
    Family("mistral3", text_config="mistral"),
    # LightOnOcrModel holds AutoModel.from_config(text_config) (qwen3, LightOnOCR-1B's sizes,
    # by default) beside a Pixtral tower and projector (not counted); the head sits in the
    # wrapper, tied only by the top-level tie_word_embeddings (default true)
    Family("lighton_ocr", text_config="qwen3"),
    Family("qwen2_vl", text_config="qwen2_vl_text"),
    Family("qwen2_5_vl", text_config="qwen2_5_vl_text"),
    # PaddleOCRVLModel holds PaddleOCRTextModel as language_model (whatever the text config's
    # model_type) beside a SigLIP-style tower and projector (not counted); released configs
    # keep the text keys at the top level; the head is tied where the top-level config or the
    # text config (default true) says so (PaddleOCRVLConfig.__post_init__)
    Family("paddleocr_vl", text_config="paddleocr_vl_text"),
    Family("qwen3_vl", text_config="qwen3_vl_text"),
    # Cosmos3EdgeModel holds Cosmos3EdgeTextModel as language_model beside a SigLIP-style
    # vision model and a LayerNorm-MLP projector (not counted); the head sits in the wrapper
    Family("cosmos3_edge", text_config="cosmos3_edge_text"),
    Family("qwen3_vl_moe", text_config="qwen3_vl_moe_text"),
    # Cosmos3OmniModel holds AutoModel.from_config(text_config) (qwen3_vl_text by default)
    # beside a Qwen3-VL vision tower; the head sits in the wrapper, tied only by the
    # top-level tie_word_embeddings (default false)
    Family("cosmos3_omni", text_config="qwen3_vl_text"),
    Family("qwen3_omni_moe_thinker", text_config="qwen3_omni_moe_text"),
    # Qwen2_5OmniThinkerModel holds Qwen2_5OmniThinkerTextModel as language_model beside audio and
    # vision towers (the tower, hf/audio.py, hf/vision.py); the head sits in the wrapper, tied only
    # by the top-level tie_word_embeddings (default false)
    Family("qwen2_5_omni_thinker", text_config="qwen2_5_omni_text"),
    # FunAsrNanoModel holds AutoModel.from_config(text_config) (qwen3, Fun-ASR-Nano's sizes, by
    # default) beside a SAN-M audio encoder and a projector with adaptor layers (the tower,
    # hf/audio.py); the head sits in the wrapper, tied by the top-level tie_word_embeddings (default
    # true)
    Family("fun_asr_nano", text_config="qwen3"),
    # Qwen3ASRModel holds AutoModel.from_config(text_config) (qwen3, Qwen3-ASR-1.7B's sizes, by
    # default) beside a Whisper-style audio tower and a two-layer projector (the tower,
    # hf/audio.py); the head sits in the wrapper, tied by the top-level tie_word_embeddings (default
    # true)
    Family("qwen3_asr", text_config="qwen3"),
    # GlmAsrModel holds AutoModel.from_config(text_config) (llama, GLM-ASR-Nano's sizes laid under
    # the given keys: hf._MERGED_TEXT_KWARGS) beside a RoPE Whisper-style audio tower and a
    # two-layer projector (the tower, hf/audio.py); the head sits in the wrapper, tied by the
    # top-level tie_word_embeddings (default true)
    Family("glmasr", text_config="llama"),
    # GraniteSpeechPlusModel: as GraniteSpeechModel (its encoder may concatenate hidden layers
    # for the projector, the tower, hf/audio.py)
    Family("granite_speech_plus", text_config="granite"),
    # GraniteSpeechModel holds AutoModel.from_config(text_config) (granite by default) as
    # language_model beside a Conformer CTC encoder and a Q-Former projector (the tower,
    # hf/audio.py); the head sits in the wrapper, tied by the top-level tie_word_embeddings (default
    # true); the audio LoRA adapter is a peft adapter loaded apart
    Family("granite_speech", text_config="granite"),
    # VoxtralRealtimeModel holds VoxtralRealtimeTextModel as language_model (Voxtral-Mini-4B-
    # Realtime's sizes laid under the given keys: hf._MERGED_TEXT_KWARGS) beside a streaming
    # audio encoder, a projector and a time embedding (the tower, hf/audio.py); the head sits in the
    # wrapper, tied by the top-level tie_word_embeddings (default true)
    Family("voxtral_realtime", text_config="voxtral_realtime_text"),
    # VoxtralModel holds AutoModel.from_config(text_config) (llama, Voxtral-Mini-3B's sizes
    # laid under the given keys: hf._MERGED_TEXT_KWARGS) beside a Whisper-style audio tower and
    # a two-layer projector (the tower, hf/audio.py); the head sits in the wrapper and is never tied
    Family("voxtral", text_config="llama"),
    # Qwen2AudioModel holds AutoModel.from_config(text_config) (qwen2 by default) as language_model
    # beside a Whisper-style audio tower and a linear projector (the tower, hf/audio.py); the head
    # sits in the wrapper and is never tied (hf._NEVER_TIED_WRAPPERS)
    Family("qwen2_audio", text_config="qwen2"),
    # MuseGlimmerModel: language_model beside vision_tower, vision_adapter and
    # vision_projection (vision side, not counted); lm_head in the wrapper, tied only where
    # the top-level config sets tie_word_embeddings (MuseGlimmerConfig has no such field)
    Family("muse_glimmer", text_config="muse_glimmer_text"),
    # HYV4VLModel: language_model beside vision_tower (its patch merger inside, not counted);
    # lm_head in the wrapper, tied only by the top-level tie_word_embeddings (default false)
    Family("hy_v4_vl", text_config="hy_v4_vl_text"),
    # Qwen2_5OmniConfig: read through thinker_config (hf._SUB_MODEL); talker, token2wav not read
    Family("qwen2_5_omni", text_config="qwen2_5_omni_text"),
    # Qwen3OmniMoeConfig: read through thinker_config (hf._SUB_MODEL); talker, code2wav not read
    Family("qwen3_omni_moe", text_config="qwen3_omni_moe_text"),
    # HunyuanOCR: HunYuanVLConfig folds a flat (legacy) layout's text keys into text_config
    Family("hunyuan_vl", text_config="hunyuan_vl_text"),
    Family("glm4v", text_config="glm4v_text"),
    Family("glm4v_moe", text_config="glm4v_moe_text"),
    # GlmOcrModel holds GlmOcrTextModel as language_model beside a Glm4v-style vision tower
    # (not counted); the head sits in the wrapper, tied by the top-level tie_word_embeddings
    # or, as pre-v5 saves wrote it, the text config's
    Family("glm_ocr", text_config="glm_ocr_text"),
    # Glm46VModel holds AutoModel.from_config(text_config) (glm4v_text by default, or the
    # glm4v_moe_text its text config names) beside a Glm4v vision tower (the tower, hf/vision.py);
    # the head sits in the wrapper, tied only by the top-level tie_word_embeddings
    Family("glm46v", text_config="glm4v_text"),
    # GlmgaConfig is Glm46VConfig under another name, built as Glm46VForConditionalGeneration
    # (the auto mappings): glm4v_text by default, the head tied only by the top-level flag
    Family("glmga", text_config="glm4v_text"),
    Family("kimi_k25", text_config="deepseek_v3"),
    # Ernie4_5_VLMoeModel holds Ernie4_5_VLMoeTextModel as language_model (whatever the text
    # config's model_type) beside a vision tower and resampler (not counted); the head sits
    # in the wrapper, tied by the top-level tie_word_embeddings (default true)
    Family("ernie4_5_vl_moe", text_config="ernie4_5_vl_moe_text"),
    # MllamaModel holds MllamaTextModel as language_model; the head sits in the wrapper
    Family("mllama", text_config="mllama_text_model"),
    # Blip2ForConditionalGeneration holds AutoModelForCausalLM.from_config(text_config) (opt by
    # default) beside a ViT, the Q-Former, its query tokens and language_projection (not
    # counted); the head sits in the language model, tied by the text config
    Family("blip-2", text_config="opt", tie_from="text"),
    # InstructBlipForConditionalGeneration / InstructBlipVideoForConditionalGeneration: as
    # BLIP-2 (the instruction-aware Q-Former with its own embeddings is not counted either)
    Family("instructblip", text_config="opt", tie_from="text"),
    Family("instructblipvideo", text_config="opt", tie_from="text"),
    # Kosmos2ForConditionalGeneration holds Kosmos2TextForCausalLM as text_model (whatever the
    # text config's model_type) beside a CLIP-style vision model and a latent-query
    # cross-attention projector (not counted); lm_head tied where either config says so
    Family("kosmos-2", text_config="kosmos_2_text_model"),
    # Kosmos2_5ForConditionalGeneration holds Kosmos2_5TextForCausalLM as text_model beside a
    # Pix2Struct-style vision model and projector (not counted); the text config ties the head
    Family("kosmos-2.5", text_config="kosmos_2_5_text_model", tie_from="text"),
    # Molmo2Model holds Molmo2TextModel as language_model (whatever the text config's
    # model_type) beside a vision tower and adapter (not counted); the head sits in the wrapper
    Family("molmo2", text_config="molmo2_text"),
    # MuseSparkModel holds MuseSparkTextModel as language_model beside a vision tower, its
    # adapter and projection and an audio tower (none counted); the head sits in the wrapper
    Family("muse_spark", text_config="muse_spark_text"),
    # Emu3Model holds Emu3TextModel as text_model beside a VQ-VAE image tokenizer (vqmodel,
    # not counted); the head sits in the wrapper, tied by the top-level tie_word_embeddings
    Family("emu3", text_config="emu3_text_model"),
    # Step3p7Model holds Step3p7TextModel as language_model; the head sits in the wrapper
    Family("step3p7", text_config="step3p5"),
    # MiniMaxM3VLModel holds MiniMaxM3VLTextModel as language_model; the head sits in the
    # wrapper (MiniMaxM3SparseForConditionalGeneration)
    Family("minimax_m3_vl", text_config="minimax_m3_vl_text"),
    # MistralLarge4Model holds MistralLarge4TextModel as language_model; the head sits in the
    # wrapper (MistralLarge4ForConditionalGeneration), tied by the top-level config
    Family("mistral_large4", text_config="mistral_large4_text"),
    # Dots3NoteModel holds Dots3NoteTextModel as language_model beside MoE vision and audio
    # towers (not counted); the head sits in the wrapper. Released configs keep the text keys
    # at the top level (Dots3NoteConfig builds its text_config from them)
    Family("dots3_note", text_config="dots3_note_text"),
    # GraniteDoclingModel holds GraniteDoclingTextModel as text_model (whatever the text
    # config's model_type) beside a vision tower with its connector and an optional density
    # router (not counted); the head sits in the wrapper, tied only by the top-level
    # tie_word_embeddings (default true)
    Family("granite_docling", text_config="granite_docling_text"),
    # Granite4VisionModel holds Granite4VisionTextModel as language_model (whatever the text
    # config's model_type) beside a CLIP tower, QFormer deepstack and spatial projectors and
    # image_newline (not counted); the head sits in the wrapper, tied only by the top-level
    # tie_word_embeddings
    Family("granite4_vision", text_config="granite4_vision_text"),
    # Lfm3VlModel holds AutoModel.from_config(text_config) (lfm3 by default) beside a vision
    # tower and projector (not counted); the head sits in the wrapper, tied only by the
    # top-level tie_word_embeddings (default true)
    Family("lfm3_vl", text_config="lfm3"),
    # NemotronH_Omni_Reasoning_V3 holds AutoModelForCausalLM.from_config(text_config)
    # (nemotron_h; released configs write it as llm_config) beside RADIO vision and Parakeet
    # audio towers and their projectors (not counted): the head sits in the language model,
    # which never ties it
    Family("nemotron_h_omni", text_config="nemotron_h", tie_from="text"),
    # CohereCompassModel holds AutoModel.from_config(text_config), built as
    # CohereCompassTextConfig whatever its model_type, beside a Qwen3-VL-style tower (not
    # counted); the head sits in the wrapper, tied only by the top-level tie_word_embeddings
    Family("cohere_compass", text_config="cohere_compass_text"),
    # Inkling2LoopModel holds Inkling2LoopTextModel as language_model (whatever the text
    # config's model_type) beside an inkling2_vision tower (not counted); the head sits in the
    # wrapper and is never tied
    Family("inkling2_loop", text_config="inkling2_loop_text"),
    # Inkling2Model holds Inkling2TextModel as language_model (whatever the text config's
    # model_type) beside a vision tower with its projector (not counted); the head
    # (unpadded_vocab_size rows) sits in the wrapper and is never tied
    Family("inkling2", text_config="inkling2_text"),
    # InklingModel holds InklingTextModel as language_model (whatever the text config's
    # model_type) beside a vision and an audio tower (not counted); the head sits in the
    # wrapper and is never tied (InklingForConditionalGeneration._tied_weights_keys = {})
    Family("inkling_mm_model", text_config="inkling_text"),
    # OmniASRModel holds AutoModel.from_config(text_config) (llama at omniASR-LLM's sizes by
    # default) beside a wav2vec2-style audio tower and a linear projector (not counted); the
    # head sits in the wrapper and is never tied (no _tied_weights_keys)
    Family("omniasr", text_config="llama"),
    # Nemotron3_5TranscribeModel holds AutoModel.from_config(text_config) (nemotron_h at its
    # own sizes by default) beside the audio tower, its projector and the word-timestamp
    # encoder (not counted); the head sits in the wrapper and is never tied
    Family("nemo_speechlm", text_config="nemotron_h"),
    # MossTranscribeDiarizeModel holds AutoModel.from_config(text_config) (qwen3 at its own
    # sizes by default) beside a Whisper-style audio tower and projector (not counted); the
    # head sits in the wrapper, tied only by the top-level tie_word_embeddings (default true)
    Family("moss_transcribe_diarize", text_config="qwen3"),
    # VibeVoiceAsrModel holds AutoModel.from_config(text_config) (qwen2 by default) beside
    # acoustic and semantic tokenizer encoders and their projector (not counted); the head
    # sits in the wrapper and is never tied (no _tied_weights_keys)
    Family("vibevoice_asr", text_config="qwen2"),
)
