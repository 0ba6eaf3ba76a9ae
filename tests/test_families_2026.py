"""LFM3, Granite SWA, Jais-2, CWM, Youtu, nanochat and Laguna at their class defaults, by hand.

Each expected value is worked from transformers 5.24 (``models/lfm3/modeling_lfm3.py``:
``Lfm3Attention`` with per-head q/k norms and the ``g_proj`` output gate, ``Lfm3ShortConv``,
``Lfm3MLP``, sandwich norms; ``models/granite_swa``: Granite with sliding layers and one sink
logit per query head; ``models/jais2``: Llama attention with biases, NemotronMLP, LayerNorms
with bias). Randomised configs are checked against transformers itself in
``tests/test_families.py``.
"""

from __future__ import annotations

import pytest

from llmsizing import ConfigError
from llmsizing.hf import read_hf_config
from llmsizing.memory import kv_cache_memory


def test_lfm3_class_default_is_lfm3_1_7b() -> None:
    v, h, i, hd = 128000, 2048, 7680, 128
    attn = h * 16 * hd + 2 * h * 4 * hd + 16 * hd * h + 2 * hd + h * 16  # q, k, v, o, norms, gate
    conv = h * 3 * h + h * 7 + h * h  # in_proj, depthwise conv (L_cache 7), out_proj
    per_layer = 3 * h * i + 4 * h  # w1, w3, w2 and four norms (sandwich)
    # default pattern: full at i % 4 == 2 (6 layers), sliding at i % 4 == 0, i > 0 (5), conv (13)
    total = v * h + 11 * attn + 13 * conv + 24 * per_layer + h  # tied head, embedding_norm
    m = read_hf_config({"model_type": "lfm3"})
    assert m.param_counts().total == total == 1_728_801_536
    assert m.layer_types.count("full") == 6 and m.layer_types.count("sliding") == 5
    # past the 256-token window only the six full layers grow: K and V of 4 heads x 128
    grow = kv_cache_memory(m, 20_000, 1, "bf16") - kv_cache_memory(m, 10_000, 1, "bf16")
    assert float(grow.to("B").m) == 10_000 * 6 * 2 * 4 * hd * 2


def test_granite_swa_keeps_a_sink_per_head_and_slides_three_layers_in_four() -> None:
    v, h, i, heads, kv, hd = 100352, 2560, 8192, 20, 4, 128
    attn = h * heads * hd + 2 * h * kv * hd + heads * hd * h + heads  # q, k, v, o, sinks
    total = v * h + 24 * (attn + 3 * h * i + 2 * h) + h  # tied head
    m = read_hf_config({"model_type": "granite_swa"})
    assert m.param_counts().total == total
    assert m.layer_types[:4] == ("full", "sliding", "sliding", "sliding")
    assert m.sliding_window == 128


def test_granite_swa_null_kv_heads_means_one_per_query_head() -> None:
    m = read_hf_config({"model_type": "granite_swa", "num_key_value_heads": None})
    assert m.num_kv_heads == m.num_heads == 20


def test_jais2_class_default() -> None:
    v, h, i = 150272, 3328, 26624
    layer = 4 * (h * h + h) + 2 * h * i + i + h + 4 * h  # biased q/k/v/o, up/down, 2 LayerNorms
    m = read_hf_config({"model_type": "jais2"})
    assert m.param_counts().total == 2 * v * h + 32 * layer + 2 * h == 8_090_401_280


def test_jais2_heads_must_divide_the_width_whatever_head_dim_says() -> None:
    with pytest.raises(ConfigError, match="does not divide hidden_size"):
        read_hf_config({"model_type": "jais2", "num_attention_heads": 25, "head_dim": 128})


def test_cwm_class_default_is_cwm_32b() -> None:
    v, h, i, hd = 128256, 6144, 21504, 128
    layer = 2 * h * 48 * hd + 2 * h * 8 * hd + 3 * h * i + 2 * h  # q, o, k, v, MLP, norms
    m = read_hf_config({"model_type": "cwm"})
    assert m.param_counts().total == 2 * v * h + 64 * layer + h == 32_581_097_472
    # CwmConfig: full attention on layers 0, 4, 8 ..., a window of 8,192 elsewhere
    assert m.layer_types[:5] == ("full", "sliding", "sliding", "sliding", "full")
    assert m.sliding_window == 8192


def test_cwm_requires_a_window() -> None:
    with pytest.raises(ConfigError, match="sliding_window"):
        read_hf_config({"model_type": "cwm", "sliding_window": None})


def test_youtu_is_dense_mla_caching_the_latent() -> None:
    v, h, i = 128256, 2048, 6144
    attn = h * 1536 + 1536 + 1536 * 16 * 192 + h * 576 + 512 + 512 * 16 * 256 + 16 * 128 * h
    m = read_hf_config({"model_type": "youtu"})
    assert m.param_counts().total == v * h + 32 * (attn + 3 * h * i + 2 * h) + h
    assert m.moe is None
    # kv_lora_rank 512 + qk_rope_head_dim 64 per layer and token
    grow = kv_cache_memory(m, 2000, 1, "bf16") - kv_cache_memory(m, 1000, 1, "bf16")
    assert float(grow.to("B").m) == 1000 * 32 * 576 * 2


def test_youtu_keys_for_experts_do_not_make_it_moe() -> None:
    m = read_hf_config({"model_type": "youtu", "n_routed_experts": 64, "num_experts_per_tok": 4})
    assert m.moe is None
    assert any("not read" in a for a in m.assumed)


def test_nanochat_norms_carry_no_weights() -> None:
    v, h, i = 50304, 768, 8192
    m = read_hf_config({"model_type": "nanochat"})
    assert m.param_counts().total == 2 * v * h + 12 * (4 * h * h + 2 * h * i)
    with pytest.raises(ConfigError, match="native spelling"):
        read_hf_config({"model_type": "nanochat", "n_layer": 32, "n_embd": 2048})


def test_laguna_counts_its_router_score_bias_and_per_head_gates() -> None:
    v, h, i, hd, e, k, i_e = 100352, 2048, 8192, 128, 256, 8, 512
    attn = h * 48 * hd + 2 * h * 8 * hd + 48 * hd * h + h * 48 + 2 * hd  # q, k, v, o, g, norms
    moe = e * 3 * h * i_e + 3 * h * i_e + e * h + e  # experts, shared, router weight and bias
    total = 2 * v * h + 40 * attn + 3 * h * i + 39 * moe + 40 * 2 * h + h  # layer 0 dense
    pc = read_hf_config({"model_type": "laguna"}).param_counts()
    assert pc.total == total
    assert pc.active == total - 39 * e * 3 * h * i_e + 39 * k * 3 * h * i_e


def test_gemma4_unified_bidirectional_all_halves_the_window() -> None:
    # Gemma4UnifiedTextConfig.__post_init__: sliding_window // 2 + 1 with "all"
    m = read_hf_config({"model_type": "gemma4_unified_text", "use_bidirectional_attention": "all"})
    assert m.sliding_window == 1024 // 2 + 1


def test_gemma4_unified_reads_no_per_layer_inputs_or_experts() -> None:
    base = read_hf_config({"model_type": "gemma4_unified_text"}).param_counts().total
    moe = {"enable_moe_block": True, "num_experts": 8, "hidden_size_per_layer_input": 256}
    m = read_hf_config({"model_type": "gemma4_unified_text", **moe})
    assert m.param_counts().total == base
    assert any("not read" in a for a in m.assumed)


def test_exaone4_5_reads_its_language_model_as_exaone4() -> None:
    inner = read_hf_config({"model_type": "exaone4"}).param_counts().total
    outer = read_hf_config({"model_type": "exaone4_5", "text_config": {}}).param_counts().total
    assert outer == inner  # neither ties its head by default


def test_gemma4_refuses_sharing_that_leaves_a_kind_without_a_cache() -> None:
    # 7 layers: full on layer 5 and (forced) 6; sharing the last two leaves no full layer
    # to read (Gemma4TextConfig.kv_sharing_modes refuses it too)
    with pytest.raises(ConfigError, match="no earlier non-sharing full"):
        read_hf_config(
            {"model_type": "gemma4_text", "num_hidden_layers": 7, "num_kv_shared_layers": 2}
        )
    with pytest.raises(ConfigError, match="no layer computes K and V"):
        read_hf_config(
            {"model_type": "gemma4_text", "num_hidden_layers": 3, "num_kv_shared_layers": 3}
        )


def _hc(s: int, h: int, layers: int) -> int:
    """Hy4's hyper-connections: two comb-less mixes a layer (fn 2s x sh, base 2s, scale 2)
    and the closing head (hc_fn s x sh, hc_base s, hc_scale 1)."""
    return layers * 2 * (2 * s * s * h + 2 * s + 2) + (s * s * h + s + 1)


def test_hy_v4_counts_its_hyper_connections_gates_and_sinks() -> None:
    h, layers, heads, vd = 2816, 34, 32, 256  # HYV4Config defaults
    four = read_hf_config({"model_type": "hy_v4"}).param_counts().total
    two = read_hf_config({"model_type": "hy_v4", "hc_mult": 2}).param_counts().total
    assert four - two == _hc(4, h, layers) - _hc(2, h, layers)
    # HYV4Attention's gate_proj (h -> heads x v_head_dim) and one sink per head, every layer
    m = read_hf_config({"model_type": "hy_v4"})
    gates = [
        t for t in m.tensors() if t.name.endswith(("gate_proj", "sinks")) and "mlp" not in t.name
    ]
    assert sum(t.numel for t in gates) == layers * (heads * vd * h + heads)


def test_hy_v4_needs_a_full_indexer_on_the_first_layer() -> None:
    with pytest.raises(ConfigError, match="indexer_types"):
        read_hf_config(
            {"model_type": "hy_v4", "num_hidden_layers": 2, "indexer_types": ["shared", "full"]}
        )


def test_glm5_next_mhc_hyper_connections_and_kpool_compressor() -> None:
    h, layers, s = 4096, 45, 4  # Glm5NextTextConfig defaults

    def mhc(streams: int) -> int:
        rows = (2 + streams) * streams  # DeepSeek-V4's mHC: fn, base, 3 scales, no head
        return layers * 2 * (rows * streams * h + rows + 3)

    base = read_hf_config({"model_type": "glm5_next_text"}).param_counts().total
    two = read_hf_config({"model_type": "glm5_next_text", "hc_mult": 2}).param_counts().total
    assert base - two == mhc(s) - mhc(2)
    # 11 indexers (every 4th layer), each with a pool compressor: kpool x 128 and 128 x h
    eight = read_hf_config({"model_type": "glm5_next_text", "index_kpool": 8}).param_counts()
    assert base - eight.total == 11 * (16 - 8) * 128


def test_glm5_next_caches_a_latent_without_rope_and_an_indexer_key() -> None:
    m = read_hf_config({"model_type": "glm5_next"})
    grow = kv_cache_memory(m, 20_000, 1, "bf16") - kv_cache_memory(m, 10_000, 1, "bf16")
    # 11 MLA layers: the 512-wide latent (no rope slice) and the fp8 indexer key (128 + 4)
    assert float(grow.to("B").m) == 10_000 * 11 * (512 * 2 + 132)


def test_olmo_hybrid_derives_its_delta_net_widths_and_runs_nope() -> None:
    m = read_hf_config({"model_type": "olmo_hybrid"})
    la, h, nh = m.linear_attention, m.hidden_size, m.num_heads
    assert la is not None
    # OlmoHybridConfig: key heads = value heads = attention heads, dk = int(0.75 h / nk)
    assert la.num_k_heads == la.num_heads == nh
    assert la.head_k_dim == int(0.75 * h / nh) and la.head_dim == 2 * la.head_k_dim
    assert m.layer_types[:4] == ("linear", "linear", "linear", "full")
    nope = read_hf_config({"model_type": "olmo_hybrid", "rope_parameters": {"rope_theta": None}})
    assert nope.rope_dim == 0


def test_olmo_hybrid_needs_both_kinds_of_layer() -> None:
    with pytest.raises(ConfigError, match="linear_attention"):
        read_hf_config(
            {
                "model_type": "olmo_hybrid",
                "num_hidden_layers": 2,
                "layer_types": ["full_attention"] * 2,
            }
        )


def test_bailing_hybrid_full_rank_kda_gates_and_per_head_mla_gates() -> None:
    m = read_hf_config({"model_type": "bailing_hybrid"})
    la = m.linear_attention
    assert la is not None and la.full_rank_gates
    h, qkv = m.hidden_size, la.num_heads * la.head_dim
    names = {t.name.rsplit(".", 1)[-1]: t for t in m.tensors() if t.layer == 0}
    # BailingHybridDeltaAttention: f_proj and g_proj, h -> heads x head_dim each
    assert names["f_proj"].shape == (qkv, h) and names["g_proj"].shape == (qkv, h)
    full = m.layer_types.index("full")
    gate = [t for t in m.tensors() if t.layer == full and t.name.endswith("self_attn.g_proj")]
    assert [t.shape for t in gate] == [(m.num_heads, h)]  # one sigmoid gate per MLA head
    assert not m.tie_word_embeddings  # BailingHybridForCausalLM never ties


def test_jetmoe_class_default_routes_attention_and_mlp_experts() -> None:
    # JetMoeConfig defaults: 12 layers, hidden 2048, 16 KV heads of 128, 8 experts, top-2
    v, h, n, kv, hd, e, k, i = 32000, 2048, 12, 16, 128, 8, 2, 5632
    moa = e * 2 * h * kv * hd  # JetMoeMoA: per expert q (h -> 16 x 128) and o (back)
    moe = e * (2 * i * h + h * i)  # JetMoeMoE: per expert input_linear (h -> 2i), output
    # two routers, two output biases, kv_proj (h -> K, V), two norms
    per_layer = moa + moe + 2 * e * h + 2 * h + 2 * kv * hd * h + 2 * h
    m = read_hf_config({"model_type": "jetmoe"})
    pc = m.param_counts()
    assert pc.total == v * h + n * per_layer + h == 4_293_888_000  # tied head
    # a token runs 2 of the 8 attention experts and 2 of the 8 MLP experts
    assert pc.active == pc.total - n * (moa + moe) * (e - k) // e == 1_198_491_648
    # query heads: 16 per routed expert, 2 experts; K and V: 16 heads of 128, every layer
    assert (m.num_heads, m.num_kv_heads) == (kv * k, kv)
    grow = kv_cache_memory(m, 2000, 1, "bf16") - kv_cache_memory(m, 1000, 1, "bf16")
    assert float(grow.to("B").m) == 1000 * n * 2 * kv * hd * 2


def _jetmoe_small(**extra: object) -> dict[str, object]:
    return {
        "model_type": "jetmoe",
        "vocab_size": 100,
        "hidden_size": 32,
        "num_hidden_layers": 2,
        "num_key_value_heads": 2,
        "kv_channels": 8,
        "intermediate_size": 48,
        "num_local_experts": 4,
        "num_experts_per_tok": 2,
        **extra,
    }


def test_jetmoe_query_heads_follow_top_k_not_the_file() -> None:
    # JetMoeConfig.__post_init__ overwrites num_attention_heads with kv heads x top-k
    m = read_hf_config(_jetmoe_small(num_attention_heads=7, num_experts_per_tok=1))
    assert (m.num_heads, m.num_kv_heads, m.head_dim) == (2, 2, 8)
    # experts of one layer: attention 4 x 2 x 32 x 16, MLP 4 x (2 x 48 x 32 + 32 x 48)
    experts = 4 * 2 * 32 * 16 + 4 * 3 * 48 * 32
    top1 = m.param_counts()
    top2 = read_hf_config(_jetmoe_small()).param_counts()
    assert top1.total == top2.total
    assert top2.active - top1.active == 2 * experts // 4


def test_jetmoe_refuses_more_picks_than_experts() -> None:
    with pytest.raises(ConfigError, match="exceeds num_local_experts"):
        read_hf_config(_jetmoe_small(num_experts_per_tok=5))


def test_zamba2_class_default_counts_the_shared_block_once() -> None:
    # Zamba2Config defaults: 54 layers, 9 of them hybrid (one shared block, num_mem_blocks 1),
    # hidden 2560, MLP 4 x 2560, 32 heads of 2 x 2560 / 32 = 160 over a 5120-wide input
    v, h, i, hd, n, hybrid, r = 32000, 2560, 10240, 160, 54, 9, 128
    d_inner, mheads, groups, state, kernel = 2 * h, 8, 1, 64, 4
    conv = d_inner + 2 * groups * state
    # Zamba2MambaMixer: in_proj (z, x, B, C, dt), conv1d with bias, dt_bias / A_log / D,
    # the gated norm, out_proj; Zamba2MambaDecoderLayer's input_layernorm
    mamba = (d_inner + conv + mheads) * h + conv * kernel + conv + 3 * mheads + d_inner
    mamba += h * d_inner + h
    # Zamba2AttentionDecoderLayer: norm of 2h, q/k/v (2h -> 32 x 160), o, norm of h,
    # gate_up / down, and one gate_up LoRA pair (h -> 128 -> 2i) per hybrid layer it serves
    block = 2 * h + 3 * (2 * h) * (32 * hd) + (32 * hd) * h + h + 2 * i * h + h * i
    block += hybrid * (r * h + 2 * i * r)
    total = v * h + n * mamba + hybrid * h * h + block + h  # tied head; linear per hybrid
    m = read_hf_config({"model_type": "zamba2"})
    assert m.param_counts().total == total == 2_481_848_336
    # only the 9 hybrid layers grow a cache: K and V of 32 heads x 160 per token
    grow = kv_cache_memory(m, 2000, 1, "bf16") - kv_cache_memory(m, 1000, 1, "bf16")
    assert float(grow.to("B").m) == 1000 * hybrid * 2 * 32 * hd * 2


def _zamba2_small(**extra: object) -> dict[str, object]:
    return {
        "model_type": "zamba2",
        "vocab_size": 100,
        "hidden_size": 16,
        "num_hidden_layers": 3,
        "layers_block_type": ["mamba", "hybrid", "hybrid"],
        "num_attention_heads": 2,
        "mamba_expand": 2,
        "n_mamba_heads": 2,
        "mamba_d_state": 4,
        "mamba_d_conv": 2,
        "adapter_rank": 2,
        **extra,
    }


def test_zamba2_untied_model_copies_the_block_per_use() -> None:
    # mamba layer: in_proj 74 x 16, conv 40 x 2 + 40, 3 x 2, norm 32, out_proj 16 x 32, norm 16
    mamba = 74 * 16 + 40 * 2 + 40 + 6 + 32 + 16 * 32 + 16
    # block: norm 32, q/k/v 32 x 32, o 16 x 32, norm 16, gate_up 128 x 16, down 16 x 64,
    # two uses of a gate_up LoRA (16 -> 2 -> 128)
    block = 32 + 3 * 32 * 32 + 16 * 32 + 16 + 128 * 16 + 16 * 64 + 2 * (2 * 16 + 128 * 2)
    tied = 100 * 16 + 3 * mamba + 2 * 16 * 16 + block + 16
    assert read_hf_config(_zamba2_small()).param_counts().total == tied == 15018
    # transformers 5.24 ties the blocks (and the head) only with tie_word_embeddings
    untied = read_hf_config(_zamba2_small(tie_word_embeddings=False)).param_counts().total
    assert untied == tied + 100 * 16 + block
    # q/k/v LoRA pairs (32 -> 2 -> 32) for each of the two uses
    adapters = read_hf_config(_zamba2_small(use_shared_attention_adapter=True))
    assert adapters.param_counts().total == tied + 2 * 3 * (2 * 32 + 32 * 2)


def test_zamba2_refuses_what_its_code_cannot_run() -> None:
    with pytest.raises(ConfigError, match="use_shared_attention_adapter needs"):
        read_hf_config(_zamba2_small(use_shared_attention_adapter=True, num_key_value_heads=1))
    with pytest.raises(ConfigError, match="is not supported"):
        read_hf_config(_zamba2_small(layers_block_type=["mamba", "attention", "hybrid"]))
    with pytest.raises(ConfigError, match="54 entries for 3 layers"):
        read_hf_config({"model_type": "zamba2", "num_hidden_layers": 3})


def test_recurrent_gemma_class_default_is_recurrentgemma_2b() -> None:
    # RecurrentGemmaConfig defaults: 26 layers of (recurrent, recurrent, attention), hidden
    # and RG-LRU width 2560, 10 heads of 256, MLP branches of 7680 // 2, window 2048
    v, h, n, heads, hd, i, k = 256000, 2560, 26, 10, 256, 7680 // 2, 4
    bw = h // heads  # RG-LRU gate blocks
    recurrent = 3 * (h * h + h) + h * k + h  # linear_y, linear_x, linear_out; conv_1d
    recurrent += h + 2 * (heads * bw * bw + heads * bw)  # decay, input and recurrence gates
    attention = 4 * h * heads * hd + h  # q, k, v, o and o_proj's bias
    mlp = 3 * h * i + 2 * i + h  # gate, up, down with biases
    layers = ["attention" if j % 3 == 2 else "recurrent" for j in range(n)]
    total = v * h + 18 * recurrent + 8 * attention + n * (mlp + 2 * h) + h  # tied head
    m = read_hf_config({"model_type": "recurrent_gemma"})
    assert m.param_counts().total == total == 2_010_263_040
    assert [t == "sliding" for t in m.layer_types] == [t == "attention" for t in layers]
    la = m.linear_attention
    assert la is not None and (la.kind, la.num_heads * la.head_dim, la.conv_kernel) == (
        "rglru",
        h,
        k,
    )
    # 8 local-attention layers: K and V of 10 heads x 256 per token, at most 2048 tokens
    kv = kv_cache_memory(m, 1000, 1, "bf16")
    assert float(kv.to("B").m) == 1000 * 8 * 2 * heads * hd * 2
    assert kv_cache_memory(m, 20_000, 1, "bf16") == kv_cache_memory(m, 2048, 1, "bf16")


def _recurrent_gemma_small(**extra: object) -> dict[str, object]:
    return {
        "model_type": "recurrent_gemma",
        "vocab_size": 100,
        "hidden_size": 16,
        "intermediate_size": 21,
        "num_hidden_layers": 3,
        "block_types": ["recurrent", "attention"],
        "num_attention_heads": 2,
        "num_key_value_heads": 1,
        "lru_width": 8,
        "conv1d_width": 2,
        "attention_window_size": 4,
        **extra,
    }


def test_recurrent_gemma_narrow_rg_lru_and_halved_mlp() -> None:
    # layers R, A, R; RG-LRU width 8 in 2 gate blocks of 4; MLP branches of 21 // 2 = 10
    recurrent = 2 * (8 * 16 + 8) + (16 * 8 + 16) + 8 * 2 + 8 + 8 + 2 * (2 * 4 * 4 + 2 * 4)
    attention = 16 * 16 + 2 * 8 * 16 + 16 * 16 + 16  # q (2 x 8), k and v (1 x 8), o + bias
    mlp = 3 * 16 * 10 + 10 + 10 + 16
    total = 100 * 16 + 2 * recurrent + attention + 3 * (mlp + 2 * 16) + 16
    m = read_hf_config(_recurrent_gemma_small())
    assert m.param_counts().total == total == 5100
    assert m.layer_types == ("linear", "sliding", "linear")
    biased = read_hf_config(_recurrent_gemma_small(attention_bias=True)).param_counts().total
    assert biased == total + 16 + 8 + 8  # q, k and v biases
    # RoPE over half of each 8-wide head (partial_rotary_factor 0.5 by default)
    assert m.rope_dim == 4


def test_recurrent_gemma_refuses_gates_that_do_not_split() -> None:
    with pytest.raises(ConfigError, match="must divide lru_width"):
        read_hf_config(_recurrent_gemma_small(lru_width=9))
    with pytest.raises(ConfigError, match="is not supported"):
        read_hf_config(_recurrent_gemma_small(block_types=["recurrent", "mlp"]))


def _gpt_neo_by_hand(vocab: int, h: int, layers: int, positions: int) -> int:
    """GPTNeoForCausalLM, term by term: wte (V x h) and wpe (positions x h); per GPTNeoBlock
    ln_1 and ln_2 (LayerNorms: weight and bias), q/k/v_proj (h x h, no bias), out_proj (h x h
    with bias), c_fc (h -> 4h) and c_proj (4h -> h) with biases; ln_f; the head tied to wte."""
    attn = 4 * h * h + h
    mlp = h * 4 * h + 4 * h + 4 * h * h + h
    return vocab * h + positions * h + layers * (attn + mlp + 2 * 2 * h) + 2 * h


def test_gpt_neo_class_default_is_gpt_neo_1_3b() -> None:
    # GPTNeoConfig's defaults are GPT-Neo 1.3B; its count printed by a model summary:
    # "GPTNeoForCausalLM<all params:1315575808>" (public code index, file id 58887566530)
    m = read_hf_config({"model_type": "gpt_neo"})
    assert m.param_counts().total == _gpt_neo_by_hand(50257, 2048, 24, 2048) == 1_315_575_808
    # attention_types [[["global", "local"], 12]]: global on even layers, a 256-token
    # window on odd ones
    assert m.layer_types[:3] == ("full", "sliding", "full")
    assert m.layer_types.count("sliding") == 12 and m.sliding_window == 256


def test_gpt_neo_125m_and_2_7b_published_counts() -> None:
    # EleutherAI/gpt-neo-125M: "Parameters: 125,198,592" (file id 4719043918);
    # EleutherAI/gpt-neo-2.7B: "Number of parameters: 2651307520" (file id 26211555743)
    small = {"hidden_size": 768, "num_layers": 12, "num_heads": 12}
    small["attention_types"] = [[["global", "local"], 6]]
    big = {"hidden_size": 2560, "num_layers": 32, "num_heads": 20}
    big["attention_types"] = [[["global", "local"], 16]]
    for shape, published, h, n in ((small, 125_198_592, 768, 12), (big, 2_651_307_520, 2560, 32)):
        total = read_hf_config({"model_type": "gpt_neo", **shape}).param_counts().total
        assert total == _gpt_neo_by_hand(50257, h, n, 2048) == published


def test_gpt_neo_local_layers_keep_only_their_window() -> None:
    m = read_hf_config({"model_type": "gpt_neo"})

    def grow(a: int, b: int) -> float:
        return float(
            (kv_cache_memory(m, b, 1, "bf16") - kv_cache_memory(m, a, 1, "bf16")).to("B").m
        )

    # within the 256-token window every layer grows: 24 layers x (K + V) x 2048 x 2 bytes
    assert grow(100, 200) == 100 * 24 * 2 * 2048 * 2
    # past it only the 12 global layers do
    assert grow(1000, 2000) == 1000 * 12 * 2 * 2048 * 2


def test_gpt_neo_attention_layers_win_and_other_kinds_are_refused() -> None:
    # an attention_layers list is set after GPTNeoConfig expands attention_types, and wins
    m = read_hf_config({"model_type": "gpt_neo", "attention_layers": ["global"] * 24})
    assert m.layer_types == ("full",) * 24
    with pytest.raises(ConfigError, match="12 layers for num_layers = 24"):
        read_hf_config({"model_type": "gpt_neo", "attention_types": [[["global", "local"], 6]]})
    with pytest.raises(ConfigError, match="'sparse': GPTNeoAttention builds"):
        read_hf_config({"model_type": "gpt_neo", "attention_types": [[["global", "sparse"], 12]]})


def _codegen_by_hand(vocab: int, h: int, layers: int, tied: bool = False) -> int:
    """CodeGenForCausalLM, term by term: wte (V x h); per CodeGenBlock ln_1 (weight and bias),
    qkv_proj (h -> 3h) and out_proj (h -> h) without bias, fc_in (h -> 4h) and fc_out
    (4h -> h) with biases; ln_f; lm_head (h -> V) with a bias, its weight wte when tied."""
    layer = 2 * h + 3 * h * h + h * h + (h * 4 * h + 4 * h) + (4 * h * h + h)
    head = (0 if tied else vocab * h) + vocab
    return vocab * h + layers * layer + 2 * h + head


def test_codegen_class_default_has_gpt_j_6b_shape() -> None:
    # CodeGenConfig's defaults (vocab 50400, n_embd 4096, 28 layers, 16 heads, rotary_dim 64)
    # are GPT-J-6B's shape, printed as "# of params: 6050882784" (file id 37133021827)
    m = read_hf_config({"model_type": "codegen"})
    assert m.param_counts().total == _codegen_by_hand(50400, 4096, 28) == 6_050_882_784
    assert m.rope_dim == 64 and m.layer_norms == 1 and m.lm_head_bias


def test_codegen_350m_mono_by_hand_tied_keeps_the_head_bias() -> None:
    # Salesforce/codegen-350M-mono's shape: vocab 51200, n_embd 1024, 20 layers, 16 heads
    c = {"model_type": "codegen", "vocab_size": 51200, "n_embd": 1024, "n_layer": 20}
    c |= {"n_head": 16, "rotary_dim": 32}
    assert read_hf_config(c).param_counts().total == _codegen_by_hand(51200, 1024, 20)
    tied = read_hf_config({**c, "tie_word_embeddings": True}).param_counts().total
    assert tied == _codegen_by_hand(51200, 1024, 20, tied=True) == 356_712_448 - 51200 * 1024
    # K and V of 16 heads x 64 on each of the 20 layers, 2 bytes each
    m = read_hf_config(c)
    grow = kv_cache_memory(m, 2000, 1, "bf16") - kv_cache_memory(m, 1000, 1, "bf16")
    assert float(grow.to("B").m) == 1000 * 20 * 2 * 16 * 64 * 2


def test_codegen_refuses_what_its_attention_cannot_run() -> None:
    small = {"model_type": "codegen", "n_embd": 64, "n_head": 4, "n_layer": 1}
    with pytest.raises(ConfigError, match=r"rotary_dim \(15\) must be even"):
        read_hf_config({**small, "rotary_dim": 15})
    with pytest.raises(ConfigError, match=r"rotary_dim \(32\) exceeds the head width \(16\)"):
        read_hf_config({**small, "rotary_dim": 32})  # heads of 16
    with pytest.raises(ConfigError, match="'rotary_dim' is null"):
        read_hf_config({**small, "rotary_dim": None})
    # 18 // 4 = 4 does not divide 18: qkv_proj cannot be split in mp_num = 4 blocks
    with pytest.raises(ConfigError, match="mp_num = 4"):
        read_hf_config({**small, "n_embd": 18, "n_head": 2, "rotary_dim": 8})


def _persimmon_by_hand(vocab: int, h: int, inter: int, layers: int, heads: int, qk: bool) -> int:
    """PersimmonForCausalLM, term by term: embed_tokens (V x h); per PersimmonDecoderLayer
    query_key_value (h -> 3h) and dense (h -> h) with biases, with qk_layernorm two LayerNorms
    (weight and bias) of h / heads, dense_h_to_4h / dense_4h_to_h (h <-> inter) with biases,
    input and post-attention LayerNorms (weight and bias); final_layernorm; an untied lm_head
    (h -> V, no bias)."""
    attn = 3 * h * h + 3 * h + h * h + h + (2 * 2 * (h // heads) if qk else 0)
    mlp = h * inter + inter + inter * h + h
    return vocab * h + layers * (attn + mlp + 2 * 2 * h) + 2 * h + vocab * h


def test_persimmon_class_default_is_persimmon_8b() -> None:
    m = read_hf_config({"model_type": "persimmon"})
    total = _persimmon_by_hand(262144, 4096, 16384, 36, 64, qk=True)
    assert m.param_counts().total == total == 9_397_175_296
    # PersimmonConfig.__post_init__: partial_rotary_factor 0.5 of 64-wide heads
    assert m.rope_dim == 32 and m.qk_norm == "head" and m.qk_norm_bias


def test_persimmon_has_one_kv_head_per_query_head_and_optional_qk_norms() -> None:
    base = read_hf_config({"model_type": "persimmon"})
    off = read_hf_config({"model_type": "persimmon", "qk_layernorm": False})
    # q_layernorm and k_layernorm: weight and bias of 64 each, on 36 layers
    assert base.param_counts().total - off.param_counts().total == 36 * 2 * 2 * 64
    # PersimmonConfig has no KV-head key: one in the file changes nothing
    gqa = read_hf_config({"model_type": "persimmon", "num_key_value_heads": 8})
    assert gqa.param_counts() == base.param_counts()
    grow = kv_cache_memory(gqa, 2000, 1, "bf16") - kv_cache_memory(gqa, 1000, 1, "bf16")
    assert float(grow.to("B").m) == 1000 * 36 * 2 * 64 * 64 * 2


def test_persimmon_rotary_fraction_and_what_it_cannot_rotate() -> None:
    # rope_parameters' own factor wins over the top-level key, which wins over 0.5
    rope = {"rope_type": "default", "rope_theta": 25000.0, "partial_rotary_factor": 0.25}
    both = {"model_type": "persimmon", "rope_parameters": rope, "partial_rotary_factor": 1.0}
    assert read_hf_config(both).rope_dim == 16
    assert read_hf_config({"model_type": "persimmon", "partial_rotary_factor": 1.0}).rope_dim == 64
    with pytest.raises(ConfigError, match=r"partial_rotary_factor 1\.5 must be between 0 and 1"):
        read_hf_config({"model_type": "persimmon", "partial_rotary_factor": 1.5})
    # a head_dim key sizes the rotary table only: 128 x 0.5 channels for heads rotating 32
    with pytest.raises(ConfigError, match="table of 64 channels for heads of 64 rotating 32"):
        read_hf_config({"model_type": "persimmon", "head_dim": 128})


def _bitnet_by_hand(vocab: int, h: int, inter: int, layers: int, heads: int, kv: int) -> int:
    """BitNetForCausalLM, term by term (no biases): embed_tokens (V x h); per layer q/o_proj
    (h x h), k/v_proj (h -> kv x h / heads), attn_sub_norm (h), gate/up/down_proj (h <-> inter),
    ffn_sub_norm (inter), input and post-attention RMSNorms (h each); the final norm (h)."""
    attn = 2 * h * h + 2 * h * (kv * h // heads) + h
    mlp = 3 * h * inter + inter
    return vocab * h + layers * (attn + mlp + 2 * h) + h


def test_bitnet_b1_58_2b_4t_published_count() -> None:
    # microsoft/bitnet-b1.58-2B-4T: its model card's "Parameters: 2,412,820,480", tied head
    # (config.json tie_word_embeddings true), and its per-tensor listing (file id 26107464915)
    released = {"model_type": "bitnet", "tie_word_embeddings": True}
    released |= {"max_position_embeddings": 4096, "rope_theta": 500000.0}
    total = read_hf_config(released).param_counts().total
    assert total == _bitnet_by_hand(128256, 2560, 6912, 30, 20, 5) == 2_412_820_480
    # BitNetConfig's class default leaves the head untied: one more V x h matrix
    default = read_hf_config({"model_type": "bitnet"}).param_counts().total
    assert default == total + 128256 * 2560


def test_bitnet_sub_norms_are_all_it_adds_to_llama() -> None:
    shape = {"vocab_size": 128256, "hidden_size": 2560, "intermediate_size": 6912}
    shape |= {"num_hidden_layers": 30, "num_attention_heads": 20, "num_key_value_heads": 5}
    bitnet = read_hf_config({"model_type": "bitnet", **shape}).param_counts()
    llama = read_hf_config({"model_type": "llama", **shape}).param_counts()
    # attn_sub_norm (2560) and ffn_sub_norm (6912) on each of the 30 layers
    assert bitnet.total - llama.total == bitnet.norms - llama.norms == 30 * (2560 + 6912)


def test_bitnet_kv_heads_and_cache() -> None:
    m = read_hf_config({"model_type": "bitnet"})
    # 5 KV heads of 128 on 30 layers, K and V, 2 bytes each
    grow = kv_cache_memory(m, 2000, 1, "bf16") - kv_cache_memory(m, 1000, 1, "bf16")
    assert float(grow.to("B").m) == 1000 * 30 * 2 * 5 * 128 * 2
    # BitNetConfig.__post_init__: null means one KV head per query head (absent means 5)
    mha = read_hf_config({"model_type": "bitnet", "num_key_value_heads": None})
    assert mha.num_kv_heads == 20
    assert mha.param_counts().total == _bitnet_by_hand(128256, 2560, 6912, 30, 20, 20) + (
        128256 * 2560
    )


def test_bitnet_refuses_heads_its_sub_norm_cannot_take() -> None:
    # attn_sub_norm is an RMSNorm of hidden_size over the heads x head_dim attention output
    with pytest.raises(ConfigError, match=r"\(20 x 64\) must equal hidden_size \(2560\)"):
        read_hf_config({"model_type": "bitnet", "head_dim": 64})
    with pytest.raises(ConfigError, match="'head_dim' is null"):
        read_hf_config({"model_type": "bitnet", "head_dim": None})


def test_axk1_class_default_is_a_x_k1_519b_a33b() -> None:
    # AXK1Config defaults: 61 layers (layer 0 dense: first_k_dense_replace 1), 192 experts
    # of 2048 and one shared, top-8, MLA with q_lora_rank 1536 and kv_lora_rank 512
    v, h, i, mi, e, k = 163840, 7168, 18432, 2048, 192, 8
    attn = h * 1536 + 1536 + 1536 * 64 * 192  # q_a_proj, q_a_layernorm, q_b_proj
    attn += h * (512 + 64) + 512 + 512 * 64 * (128 + 128) + 64 * 128 * h  # kv_a, kv_b, o_proj
    moe = e * h + e * 3 * h * mi + 3 * h * mi + h  # gate, experts, shared, post_mlp_layernorm
    total = 2 * v * h + h + 61 * (attn + 2 * h) + 3 * h * i + 60 * moe
    m = read_hf_config({"model_type": "axk1"})
    pc = m.param_counts()
    assert pc.total == total == 518_983_052_288
    assert pc.active == total - 60 * (e - k) * 3 * h * mi == 32_779_332_608
    # the latent and the rope key per token and layer (DeepSeek-V3's MLA cache)
    grow = kv_cache_memory(m, 2_000, 1, "bf16") - kv_cache_memory(m, 1_000, 1, "bf16")
    assert float(grow.to("B").m) == 1_000 * 61 * (512 + 64) * 2


def test_axk1_post_mlp_norm_only_on_moe_layers() -> None:
    # AXK1MoE builds post_mlp_layernorm; AXK1MLP (the dense layers) does not
    base = read_hf_config({"model_type": "axk1"}).param_counts().norms
    fewer = read_hf_config({"model_type": "axk1", "first_k_dense_replace": 3}).param_counts()
    assert base - fewer.norms == 2 * 7168


def test_axk1_reads_no_mtp_layers() -> None:
    m = read_hf_config({"model_type": "axk1", "num_nextn_predict_layers": 1})
    assert m.mtp_layers == 0 and m.param_counts().extra == 0


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"q_lora_rank": None}, "q_lora_rank"),
        ({"num_key_value_heads": 8}, "must equal num_attention_heads"),
        ({"n_group": 5}, "must divide"),
    ],
)
def test_axk1_refuses_what_it_cannot_build_or_run(change: dict[str, object], match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        read_hf_config({"model_type": "axk1", **change})


def _axk2_attention(h: int, heads: int, q: int, kv: int, nope: int, rope: int, v: int) -> int:
    """AXK2Attention without its indexer: q_a_proj, q_a_layernorm, q_gate_proj (2q inputs,
    query and gate outputs), kv_a_proj_with_mqa, kv_a_layernorm, kv_b_proj, o_proj."""
    out = h * q + q + 2 * q * heads * (nope + rope + v)
    return out + h * (kv + rope) + kv + kv * heads * (nope + v) + heads * v * h


def test_axk2_class_default_by_hand() -> None:
    # AXK2Config defaults (A.X-K2-Light): 48 layers, layer 0 dense, 128 experts of 512 and
    # one shared, top-8, DSA indexer of 16 heads x 128, gated norms of rank 16
    v, h, i, mi, e, k = 163840, 2048, 5120, 512, 128, 8
    attn = _axk2_attention(h, 32, 384, 128, 64, 32, 64)
    index = 384 * 16 * 128 + h * 128 + 2 * 128 + h * 16  # wq_b, wk, k_norm (+bias), weights
    gate = 2 * h * 16  # one AXK2GatedRMSNorm gate: mlp.fc1, mlp.fc2
    moe = e * h + e * 3 * h * mi + 3 * h * mi  # router, experts, shared expert
    # input norm gated on every layer, post-attention norm gated on the 47 MoE layers
    total = 2 * v * h + h + 48 * (attn + index + 2 * h + gate) + 3 * h * i + 47 * (moe + gate)
    m = read_hf_config({"model_type": "axk2"})
    pc = m.param_counts()
    assert pc.total == total == 20_314_494_976
    assert pc.active == total - 47 * (e - k) * 3 * h * mi == 2_572_589_056
    assert m.layer_types == ("full",) * 48 and m.indexer is not None


def test_axk2_gate_rank_difference_is_the_gated_norms() -> None:
    # 48 input-norm gates and 47 post-attention gates of 2 x h x rank each
    a = read_hf_config({"model_type": "axk2", "gated_norm_rank": 16}).param_counts().total
    b = read_hf_config({"model_type": "axk2", "gated_norm_rank": 8}).param_counts().total
    assert a - b == 95 * 2 * 2048 * (16 - 8)


def test_axk2_caches_the_latent_and_an_indexer_key() -> None:
    m = read_hf_config({"model_type": "axk2"})
    # per token and layer: 128 latent + 32 rope values in the KV dtype, and the indexer's
    # 128-value key in vLLM's fp8 format (128 bytes and one fp32 scale)
    grow = kv_cache_memory(m, 2_000, 1, "bf16") - kv_cache_memory(m, 1_000, 1, "bf16")
    assert float(grow.to("B").m) == 1_000 * 48 * ((128 + 32) * 2 + 128 + 4)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"layer_types": ["full_attention"] * 48}, "indexed_attention"),
        ({"index_head_dim": 16, "qk_rope_head_dim": 32}, "index_head_dim"),
        ({"n_group": 4}, "set together"),
        ({"q_lora_rank": None}, "q_lora_rank"),
    ],
)
def test_axk2_refuses_what_it_cannot_build_or_run(change: dict[str, object], match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        read_hf_config({"model_type": "axk2", **change})


def test_beam_class_default_is_beam_501b_a23b() -> None:
    # BeamConfig defaults: 52 layers (three dense), 256 experts of 2560, top-8, no shared
    # expert; 48 query heads and 8 KV heads of 128; four RMSNorms a layer
    v, h, i, mi, e, k, hd = 151936, 5120, 20480, 2560, 256, 8, 128
    attn = 2 * h * 48 * hd + 2 * h * 8 * hd + 2 * hd  # q, o, k, v, q_norm, k_norm
    attn += h * 48 * hd + 48  # gate_proj and gate_bias (one per head)
    moe = e * h + e * 3 * h * mi  # router and experts
    total = 2 * v * h + h + 52 * (attn + 4 * h) + 3 * 3 * h * i + 49 * moe
    m = read_hf_config({"model_type": "beam"})
    pc = m.param_counts()
    assert pc.total == total == 501_267_599_808
    assert pc.active == total - 49 * (e - k) * 3 * h * mi == 23_431_516_608


def test_beam_full_every_sixth_layer_and_the_last() -> None:
    m = read_hf_config({"model_type": "beam"})
    full = [i for i, t in enumerate(m.layer_types) if t == "full"]
    assert full == [5, 11, 17, 23, 29, 35, 41, 47, 51] and m.sliding_window == 512
    # past the 512-token window only the nine full layers grow: K and V of 8 heads x 128
    grow = kv_cache_memory(m, 20_000, 1, "bf16") - kv_cache_memory(m, 10_000, 1, "bf16")
    assert float(grow.to("B").m) == 10_000 * 9 * 2 * 8 * 128 * 2


def test_beam_gate_bias_is_one_per_head() -> None:
    # BeamAttention.gate_bias: num_attention_heads parameters, whatever head_dim is
    a = read_hf_config({"model_type": "beam", "num_attention_heads": 48}).param_counts()
    b = read_hf_config({"model_type": "beam", "num_attention_heads": 40}).param_counts()
    # q_proj, o_proj and gate_proj lose 8 heads x 128 x 5120 each, gate_bias 8 entries
    assert a.attention - b.attention == 52 * (3 * 8 * 128 * 5120 + 8)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"sliding_window": None}, "sliding_window"),
        ({"n_group": None}, "n_group"),
        ({"rope_parameters": {"rope_type": "default", "rope_theta": 1e6}}, "rope_parameters"),
        ({"n_group": 3}, "must divide"),
    ],
)
def test_beam_refuses_what_it_cannot_build_or_run(change: dict[str, object], match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        read_hf_config({"model_type": "beam", **change})


def test_glm46v_without_text_config_builds_glm4v_text_defaults() -> None:
    # Glm46VConfig: text_config None -> Glm4vTextConfig() (SubConfigSpec, glm4v_text)
    v, h, i, heads, kv, hd, n = 151552, 4096, 13696, 32, 2, 128, 40
    # Glm4vTextAttention: q/k/v biased, o_proj not; Glm4MLP: fused gate_up_proj, down_proj
    attn = h * heads * hd + heads * hd + 2 * (h * kv * hd + kv * hd) + heads * hd * h
    layer = attn + 3 * h * i + 4 * h  # four RMSNorms (input, post-attn, post-self-attn, post-mlp)
    m = read_hf_config({"model_type": "glm46v"})
    # Glm46VConfig.tie_word_embeddings defaults to False: lm_head is its own
    assert m.param_counts().total == 2 * v * h + n * layer + h == 9_400_279_040
    assert m.vision is None


def test_glm46v_ties_only_by_the_top_level_flag() -> None:
    text = {"model_type": "glm4v_text", "vocab_size": 1000, "hidden_size": 64}
    text |= {"intermediate_size": 96, "num_hidden_layers": 2, "num_attention_heads": 4}
    base = {"model_type": "glm46v", "text_config": text | {"num_key_value_heads": 2}}
    untied = read_hf_config(base).param_counts().total
    # Glm46VConfig has no __post_init__ forwarding text_config.tie_word_embeddings
    # (Glm4vConfig does): tying there leaves the head untied
    inner = base | {"text_config": base["text_config"] | {"tie_word_embeddings": True}}
    assert read_hf_config(inner).param_counts().total == untied
    tied = read_hf_config(base | {"tie_word_embeddings": True}).param_counts().total
    assert untied - tied == 1000 * 64


def test_glm46v_reads_a_glm4v_moe_text_config_as_named() -> None:
    v, h, n, e, w, k = 500, 64, 3, 4, 32, 2
    text = {"model_type": "glm4v_moe_text", "vocab_size": v, "hidden_size": h}
    text |= {"intermediate_size": 96, "num_hidden_layers": n, "num_attention_heads": 4}
    text |= {"num_key_value_heads": 2, "head_dim": 16, "n_routed_experts": e}
    text |= {"num_experts_per_tok": k, "moe_intermediate_size": w, "n_shared_experts": 1}
    text |= {"first_k_dense_replace": 1}
    m = read_hf_config({"model_type": "glm46v", "text_config": text})
    pc = m.param_counts()
    # Glm4vMoeTextMoE on layers 1 and 2: e gated experts of width w, one shared, a router
    assert pc.routed_experts == 2 * e * 3 * h * w
    assert pc.shared_experts == 2 * 3 * h * w
    assert pc.router == 2 * e * h
    assert pc.total - pc.active == 2 * (e - k) * 3 * h * w
    # K and V of 2 heads x 16 on each of the 3 layers
    assert float(kv_cache_memory(m, 100, 1, "bf16").to("B").m) == 100 * n * 2 * 2 * 16 * 2


def _minicpmv4_6_released_text() -> dict[str, object]:
    """openbmb/MiniCPM-V-4.6's text_config: Qwen3.5-0.8B's shape."""
    return {
        "model_type": "qwen3_5_text",
        "vocab_size": 248094,
        "hidden_size": 1024,
        "intermediate_size": 3584,
        "num_hidden_layers": 24,
        "num_attention_heads": 8,
        "num_key_value_heads": 2,
        "head_dim": 256,
        "full_attention_interval": 4,
        "linear_conv_kernel_dim": 4,
        "linear_key_head_dim": 128,
        "linear_value_head_dim": 128,
        "linear_num_key_heads": 16,
        "linear_num_value_heads": 16,
        "partial_rotary_factor": 0.25,
        "tie_word_embeddings": True,
    }


def test_minicpmv4_6_without_text_config_builds_qwen3_5_text_defaults() -> None:
    # MiniCPMV4_6Config: text_config None -> Qwen3_5TextConfig() (SubConfigSpec qwen3_5_text)
    v, h, i, heads, kv, hd = 248320, 4096, 12288, 16, 4, 256
    nk, nv, dk, dv, k = 16, 32, 128, 128, 4
    # Qwen3_5Attention: q_proj doubled (output gate), k/v, o_proj, q/k norms
    full = h * 2 * heads * hd + 2 * h * kv * hd + heads * hd * h + 2 * hd
    # Qwen3_5GatedDeltaNet: in_proj_qkv, in_proj_z, in_proj_b, in_proj_a, conv1d, dt_bias,
    # A_log, norm, out_proj
    conv = 2 * nk * dk + nv * dv
    linear = conv * h + nv * dv * h + 2 * nv * h + conv * k + 2 * nv + dv + h * nv * dv
    layer = 3 * h * i + 2 * h
    # 8 full layers (every 4th), 24 linear ones; MiniCPMV4_6Config ties by default: no
    total = 2 * v * h + 8 * full + 24 * linear + 32 * layer + h
    m = read_hf_config({"model_type": "minicpmv4_6"})
    assert m.param_counts().total == total == 8_953_803_264
    assert m.layer_types.count("full") == 8 and m.layer_types.count("linear") == 24


def test_minicpmv4_6_ties_only_by_the_top_level_flag() -> None:
    text = _minicpmv4_6_released_text()
    released = {"model_type": "minicpmv4_6", "tie_word_embeddings": True, "text_config": text}
    tied = read_hf_config(released).param_counts().total
    # text_config.tie_word_embeddings alone does not tie (no forwarding in MiniCPMV4_6Config)
    untied = read_hf_config(released | {"tie_word_embeddings": False}).param_counts().total
    assert untied - tied == 248094 * 1024
    # 6 full layers: q_proj h -> 2 x 8 x 256, k/v h -> 2 x 256, o_proj, q/k norms
    h = 1024
    full = h * 4096 + 2 * h * 512 + 2048 * h + 2 * 256
    # 18 Gated DeltaNet layers: 16 key and 16 value heads of 128, kernel 4
    conv = 2 * 16 * 128 + 16 * 128
    linear = conv * h + 2048 * h + 2 * 16 * h + conv * 4 + 32 + 128 + h * 2048
    assert tied == 248094 * h + 6 * full + 18 * linear + 24 * (3 * h * 3584 + 2 * h) + h


def test_minicpmv4_6_kv_cache_grows_on_the_full_layers_only() -> None:
    text = _minicpmv4_6_released_text()
    m = read_hf_config({"model_type": "minicpmv4_6", "text_config": text})
    grow = kv_cache_memory(m, 20_000, 1, "bf16") - kv_cache_memory(m, 10_000, 1, "bf16")
    # K and V of 2 KV heads x 256 on the 6 full-attention layers
    assert float(grow.to("B").m) == 10_000 * 6 * 2 * 2 * 256 * 2


def test_molmo2_class_default_is_molmo2_8b() -> None:
    v, extra, h, i, n, heads, kv, hd = 151936, 128, 4096, 12288, 36, 32, 8, 128
    # Molmo2Attention: unbiased q/k/v/o, per-head q/k norms (qk_norm_type "qwen3")
    attn = 2 * h * heads * hd + 2 * h * kv * hd + 2 * hd
    layer = attn + 3 * h * i + 2 * h
    # Molmo2TextModel.embed_tokens: vocab_size + additional_vocab_size rows; lm_head vocab_size
    m = read_hf_config({"model_type": "molmo2"})
    assert m.param_counts().total == (v + extra) * h + v * h + n * layer + h == 8_191_259_648
    # K and V of 8 heads x 128 on each of the 36 layers
    assert float(kv_cache_memory(m, 1000, 1, "bf16").to("B").m) == 1000 * n * 2 * kv * hd * 2


def _molmo2_small(**text: object) -> dict[str, object]:
    base = {"vocab_size": 500, "additional_vocab_size": 12, "hidden_size": 64}
    base |= {"intermediate_size": 96, "num_hidden_layers": 2, "num_attention_heads": 4}
    base |= {"num_key_value_heads": 2, "head_dim": 16}
    return {"model_type": "molmo2", "text_config": base | text}


def test_molmo2_olmo_norms_span_all_heads_and_the_head_is_never_tied() -> None:
    qwen3 = read_hf_config(_molmo2_small()).param_counts()
    olmo = read_hf_config(_molmo2_small(qk_norm_type="olmo")).param_counts()
    # q_norm over 4 x 16, k_norm over 2 x 16 instead of one head each, on both layers
    assert olmo.norms - qwen3.norms == 2 * ((4 + 2) * 16 - 2 * 16)
    # Molmo2ForConditionalGeneration has no _tied_weights_keys: tying keeps both tables
    tied = read_hf_config(_molmo2_small() | {"tie_word_embeddings": True}).param_counts()
    assert tied.total == qwen3.total
    assert (tied.embedding, tied.lm_head) == ((500 + 12) * 64, 500 * 64)


def test_molmo2_refuses_an_unknown_qk_norm_type() -> None:
    with pytest.raises(ConfigError, match="qk_norm_type"):
        read_hf_config(_molmo2_small(qk_norm_type="gemma"))


def test_ernie4_5_vl_moe_class_default_is_28b_a3b_with_two_expert_sets() -> None:
    v, h, i, n, heads, kv, hd = 103424, 2560, 12288, 28, 20, 4, 128
    e, k, text, vision, shared = 64, 6, 1536, 512, 2
    attn = 2 * h * heads * hd + 2 * h * kv * hd  # q, o and k, v (use_bias false)
    # Ernie4_5_VLMoeMoeBlock: text_moe and vision_moe, each a router (weight and the
    # moe_statics score bias) over e fused gated experts, and one shared MLP
    experts = e * 3 * h * (text + vision)
    moe = experts + 2 * (e * h + e) + 3 * h * text * shared
    # layer 0 dense (mlp_layer_types default), 27 MoE layers, two norms a layer, tied head
    total = v * h + n * attn + 3 * h * i + (n - 1) * moe + (2 * n + 1) * h
    pc = read_hf_config({"model_type": "ernie4_5_vl_moe"}).param_counts()
    assert pc.total == total == 28_624_635_776
    assert pc.router == (n - 1) * 2 * (e * h + e)
    # active: k of the e experts of each set (the rule for every routed expert tensor)
    assert pc.active == total - (n - 1) * (e - k) * 3 * h * (text + vision)


def test_ernie4_5_vl_moe_ties_by_the_top_level_flag_default_true() -> None:
    text = {"vocab_size": 700, "hidden_size": 64, "num_hidden_layers": 2}
    text |= {"num_attention_heads": 4, "num_key_value_heads": 2, "intermediate_size": 96}
    text |= {"moe_num_experts": 4, "moe_k": 2, "moe_intermediate_size": [32, 16]}
    base = {"model_type": "ernie4_5_vl_moe", "text_config": text}
    tied = read_hf_config(base).param_counts().total
    # Ernie4_5_VLMoeConfig.tie_word_embeddings (default True) decides, not the text config's
    inner = base | {"text_config": text | {"tie_word_embeddings": False}}
    assert read_hf_config(inner).param_counts().total == tied
    untied = read_hf_config(base | {"tie_word_embeddings": False}).param_counts().total
    assert untied - tied == 700 * 64


def test_ernie4_5_vl_moe_dense_layers_follow_mlp_layer_types() -> None:
    h, i, n = 64, 96, 3
    text = {"vocab_size": 500, "hidden_size": h, "num_hidden_layers": n, "intermediate_size": i}
    text |= {"num_attention_heads": 4, "num_key_value_heads": 2, "use_bias": True}
    text |= {"mlp_layer_types": ["dense"] * n}
    m = read_hf_config({"model_type": "ernie4_5_vl_moe", "text_config": text})
    pc = m.param_counts()
    assert m.moe is None and pc.active == pc.total
    # Ernie4_5_VLMoeMLP with use_bias: gate, up (i + bias) and down (h + bias)
    assert pc.dense_ffn == n * (3 * h * i + 2 * i + h)
    # K and V of 2 heads x 16 on every layer
    assert float(kv_cache_memory(m, 50, 1, "bf16").to("B").m) == 50 * n * 2 * 2 * 16 * 2


def test_ernie4_5_vl_moe_needs_both_expert_widths() -> None:
    text = {"moe_intermediate_size": 1536}
    with pytest.raises(ConfigError, match="moe_intermediate_size"):
        read_hf_config({"model_type": "ernie4_5_vl_moe", "text_config": text})
    text = {"moe_intermediate_size": [1536]}
    with pytest.raises(ConfigError, match="two positive widths"):
        read_hf_config({"model_type": "ernie4_5_vl_moe", "text_config": text})


def test_glm4v_moe_text_builds_no_qk_norms_whatever_use_qk_norm_says() -> None:
    # transformers' Glm4vMoeTextAttention has no q_norm / k_norm (Glm4MoeAttention does)
    text = {"model_type": "glm4v_moe_text", "num_hidden_layers": 2, "head_dim": 128}
    on = read_hf_config({"model_type": "glm4v_moe", "text_config": text | {"use_qk_norm": True}})
    off = read_hf_config({"model_type": "glm4v_moe", "text_config": text | {"use_qk_norm": False}})
    assert on.param_counts().total == off.param_counts().total


def test_kolibri1_class_default_counts_shared_expert_moe_on_every_layer() -> None:
    # Kolibri1Config: vocab 128000, h 2560, 50 layers, 48 heads / 4 KV heads of 128,
    # 384 experts of 512 (top 6), one shared expert of 512, no dense FFN
    v, h, n, heads, kv, hd, e, k, w = 128000, 2560, 50, 48, 4, 128, 384, 6, 512
    attn = 2 * h * heads * hd + 2 * h * kv * hd + 2 * hd  # q, o, k, v, per-head q/k norms
    experts = e * 3 * h * w  # fused gate_up_proj and down_proj
    layer = attn + e * h + experts + 3 * h * w + 4 * h  # router, experts, shared, four norms
    m = read_hf_config({"model_type": "kolibri1"})
    pc = m.param_counts()
    assert pc.total == 2 * v * h + n * layer + h == 78_103_055_360
    assert pc.active == pc.total - n * experts + n * experts * k // e == 3_785_231_360


def test_kolibri1_slides_four_layers_in_five_with_a_513_token_window() -> None:
    m = read_hf_config({"model_type": "kolibri1"})
    assert m.layer_types[:5] == ("sliding",) * 4 + ("full",) and m.sliding_window == 513
    # past the window only the 10 full layers grow: K and V of 4 heads of 128, bf16
    grow = kv_cache_memory(m, 20_000, 1, "bf16") - kv_cache_memory(m, 10_000, 1, "bf16")
    assert float(grow.to("B").m) == 10_000 * 10 * 2 * 4 * 128 * 2


def test_kolibri1_ignores_the_qwen3_moe_keys_its_config_deletes() -> None:
    # Kolibri1Config sets intermediate_size, attention_bias, mlp_only_layers ... to
    # AttributeError(): no bias, no dense layer, whatever the file says
    extra = {"attention_bias": True, "mlp_only_layers": [0, 1], "intermediate_size": 9728}
    m = read_hf_config({"model_type": "kolibri1", **extra})
    assert m.param_counts().total == 78_103_055_360 and all(m.moe_layers)


def test_kolibri1_refuses_sliding_layers_without_a_window() -> None:
    with pytest.raises(ConfigError, match="positive sliding_window"):
        read_hf_config({"model_type": "kolibri1", "sliding_window": None})


def test_hyperclovax_class_default_is_llama_2_7b_with_peri_layer_norms() -> None:
    # HyperCLOVAXConfig: vocab 32000, h 4096, FFN 11008, 32 layers, 32 heads, KV heads null
    v, h, i, n = 32000, 4096, 11008, 32
    layer = 4 * h * h + 3 * h * i + 4 * h  # q/k/v/o, gate/up/down; input, post-attention,
    # post_norm1 and post_norm2 RMSNorms (use_post_norm, default true)
    m = read_hf_config({"model_type": "hyperclovax"})
    assert m.param_counts().total == 2 * v * h + n * layer + h == 6_738_677_760
    plain = read_hf_config({"model_type": "hyperclovax", "use_post_norm": False})
    assert m.param_counts().total - plain.param_counts().total == n * 2 * h


def test_hyperclovax_head_dim_sets_the_head_width_but_heads_must_divide_the_width() -> None:
    v, h, i, n, heads, kv, hd = 1000, 256, 512, 2, 4, 2, 128
    cfg = {
        "model_type": "hyperclovax",
        "vocab_size": v,
        "hidden_size": h,
        "intermediate_size": i,
        "num_hidden_layers": n,
        "num_attention_heads": heads,
        "num_key_value_heads": kv,
        "head_dim": hd,  # wider than hidden / heads = 64
        "attention_bias": True,
    }
    q, k = heads * hd, kv * hd
    attn = h * q + q + 2 * (h * k + k) + q * h + h  # biased q, k, v, o
    layer = attn + 3 * h * i + 4 * h
    assert read_hf_config(cfg).param_counts().total == 2 * v * h + n * layer + h
    with pytest.raises(ConfigError, match="does not divide hidden_size"):
        read_hf_config(cfg | {"num_attention_heads": 3, "num_key_value_heads": 3})


def test_dory_class_default_counts_its_ngpt_scales() -> None:
    # DoryConfig defaults: vocab 131072, h 2560, FFN 7168, 36 layers, 16 heads / 4 KV heads of 256
    v, h, i, heads, kv, hd = 131072, 2560, 7168, 16, 4, 256
    q = heads * hd
    # q, k, v, o, the output gate_proj, sqk and s_gate (DoryAttention; its norms have no weight)
    attn = h * q + 2 * h * kv * hd + q * h + h * q + 2 * q
    mlp = 3 * h * i + 2 * i  # gate, up, down and suv_gate / suv_up (DoryMLP)
    layer = attn + mlp + 2 * h  # lambda_1, lambda_2; the four DoryL2Norm have no weight
    head = v * h + v  # DoryLMHead: lm_head and logit_scale
    m = read_hf_config({"model_type": "dory"})
    assert m.param_counts().total == v * h + 36 * layer + head == 3_975_229_440
    # a tied head drops lm_head's matrix, not logit_scale
    tied = read_hf_config({"model_type": "dory", "tie_word_embeddings": True})
    assert tied.param_counts().total == 36 * layer + v * h + v


def test_dory_per_loop_caches_the_recurrent_layers_once_per_loop() -> None:
    # 8 input, 20 recurrent (run twice), 8 output layers; full attention where (i + 1) % 4 == 0:
    # 9 full layers, 5 of them (11, 15, 19, 23, 27) recurrent
    per_token = 2 * 4 * 256 * 2  # K and V of 4 heads of 256, bf16 bytes
    m = read_hf_config({"model_type": "dory"})
    assert float(kv_cache_memory(m, 1000, 1, "bf16").to("B").m) == 1000 * (36 + 20) * per_token
    # past the 1,024-token window only the full layers' caches grow: 9 + 5 copies
    grow = kv_cache_memory(m, 20_000, 1, "bf16") - kv_cache_memory(m, 10_000, 1, "bf16")
    assert float(grow.to("B").m) == 10_000 * (9 + 5) * per_token
    last = read_hf_config({"model_type": "dory", "recurrent_kv_cache_mode": "last_loop"})
    grow = kv_cache_memory(last, 20_000, 1, "bf16") - kv_cache_memory(last, 10_000, 1, "bf16")
    assert float(grow.to("B").m) == 10_000 * 9 * per_token


def test_dory_reads_the_released_attention_mlp_block_layout() -> None:
    # DoryConfig.to_dict writes each layer as an attention and an mlp block, the counts doubled
    kinds = ["full_attention" if (i + 1) % 4 == 0 else "sliding_attention" for i in range(36)]
    released = {
        "model_type": "dory",
        "num_hidden_layers": 72,
        "n_input_layers": 16,
        "n_recurrent_layers": 40,
        "n_output_layers": 16,
        "layer_types": [b for k in kinds for b in (k, "mlp")],
    }
    m = read_hf_config(released)
    default = read_hf_config({"model_type": "dory"})
    assert m.num_layers == 36 and m.layer_types == default.layer_types
    assert m.param_counts().total == default.param_counts().total
    assert m.layer_kv_copies == (1,) * 8 + (2,) * 20 + (1,) * 8


def test_dory_refuses_overlapping_sections_and_a_null_window() -> None:
    # 8 + 8 default input and output layers leave -10 recurrent layers of 6
    with pytest.raises(ConfigError, match="exceed the 6 layers"):
        read_hf_config({"model_type": "dory", "num_hidden_layers": 6})
    with pytest.raises(ConfigError, match="sliding_window"):
        read_hf_config({"model_type": "dory", "sliding_window": None})


def test_apertus1p5_class_default_and_its_wrapper() -> None:
    # Apertus1p5TextConfig: vocab 266752, h 4096, FFN 14336, 32 layers, 32 heads of 128 and
    # num_key_value_heads null (one KV head per query head)
    v, h, i, n, hd = 266752, 4096, 14336, 32, 128
    attn = 4 * h * h + 2 * hd  # q, k, v, o and the per-head q/k norms
    layer = attn + 2 * h * i + 2 + 2 * h  # up/down, xIELU's alpha_p and alpha_n, two norms
    total = 2 * v * h + n * layer + h
    assert read_hf_config({"model_type": "apertus1p5_text"}).param_counts().total == total
    # Apertus1p5Config builds the text model from its defaults when text_config is absent
    wrapper = read_hf_config({"model_type": "apertus1p5"})
    assert wrapper.param_counts().total == total == 8_091_086_912


def test_apertus1p5_pruned_head_keeps_the_whole_input_embedding() -> None:
    v, h, rows = 266752, 4096, 131072
    full = read_hf_config({"model_type": "apertus1p5_text"}).param_counts()
    pruned = read_hf_config(
        {"model_type": "apertus1p5", "text_config": {"output_vocab_size": rows}}
    ).param_counts()
    assert pruned.embedding == v * h and pruned.lm_head == rows * h
    assert full.total - pruned.total == (v - rows) * h
    # a tied head is embed_tokens itself: the pruning is void
    tied = read_hf_config(
        {"model_type": "apertus1p5_text", "output_vocab_size": rows, "tie_word_embeddings": True}
    )
    assert tied.param_counts().total == full.total - v * h


def test_apertus1p5_xielu_parameters_only_with_xielu() -> None:
    xielu = read_hf_config({"model_type": "apertus1p5_text"}).param_counts().total
    gelu = read_hf_config({"model_type": "apertus1p5_text", "hidden_act": "gelu"})
    assert xielu - gelu.param_counts().total == 32 * 2  # alpha_p, alpha_n per layer


def test_apertus1p5_refuses_a_head_wider_than_the_vocabulary() -> None:
    with pytest.raises(ConfigError, match="output_vocab_size"):
        read_hf_config({"model_type": "apertus1p5_text", "output_vocab_size": 300_000})


def test_mellum_class_default_is_mellum2_12b_a2_5b() -> None:
    v, h, heads, kv, hd, experts, inter = 98304, 2304, 32, 4, 128, 64, 896
    attn = h * heads * hd + 2 * h * kv * hd + heads * hd * h + 2 * hd  # q, k, v, o, q/k norms
    moe = experts * h + experts * 3 * h * inter  # router, fused gate_up / down experts
    total = 2 * v * h + 28 * (attn + moe + 2 * h) + h  # untied head, every layer sparse
    m = read_hf_config({"model_type": "mellum"})
    assert m.param_counts().total == total == 12_149_923_072
    assert m.param_counts().active == total - 28 * (experts - 8) * 3 * h * inter
    assert m.layer_types == ("full",) * 28 and m.rope_dim == hd


def test_mellum_dense_layers_and_sliding_windows_by_hand() -> None:
    h, experts, inter, dense = 2304, 64, 896, 7168
    kinds = ["sliding_attention", "sliding_attention", "full_attention", "sliding_attention"] * 7
    cfg = {
        "model_type": "mellum",
        "layer_types": kinds,
        "mlp_layer_types": ["dense"] * 2 + ["sparse"] * 26,
    }
    base = read_hf_config({"model_type": "mellum"}).param_counts().total
    m = read_hf_config(cfg)
    # two MellumMLP(intermediate_size) in place of two sparse blocks
    assert m.param_counts().total == base + 2 * (
        3 * h * dense - experts * h - experts * 3 * h * inter
    )
    # past the 1024-token window only the 7 full layers grow: K and V of 4 heads x 128 in bf16
    grow = kv_cache_memory(m, 20_000, 1, "bf16") - kv_cache_memory(m, 10_000, 1, "bf16")
    assert float(grow.to("B").m) == 10_000 * 7 * 2 * 4 * 128 * 2


def test_mellum_refuses_a_partial_rotary_factor_it_cannot_apply() -> None:
    rope = {"rope_type": "default", "rope_theta": 5e5, "partial_rotary_factor": 0.5}
    with pytest.raises(ConfigError, match="rotates the whole head"):
        read_hf_config({"model_type": "mellum", "rope_parameters": {"full_attention": rope}})
    with pytest.raises(ConfigError, match="need a positive window"):
        read_hf_config(
            {
                "model_type": "mellum",
                "sliding_window": None,
                "layer_types": ["sliding_attention"] * 28,
            }
        )


def _dots3_note_attention(heads: int, q: int, kv: int, nope: int, rope: int, idx: bool) -> int:
    """Dots3NoteTextAttention's parameters (v_head_dim 128, hidden 5120) by hand."""
    h, v = 5120, 128
    a = h * q + q + q * heads * (nope + rope)  # q_a_proj, q_a_layernorm, q_b_proj
    a += h * (kv + rope) + kv + rope  # kv_a_proj_with_mqa, kv_a_layernorm, k_rope_only_layernorm
    a += kv * heads * (nope + v) + heads * v * h + heads * h  # kv_b_proj, o_proj, g_proj
    if idx:  # Dots3NoteTextIndexer: wq_b, wk, k_norm (LayerNorm with bias), weights_proj
        a += q * 64 * 128 + h * 128 + 2 * 128 + h * 64
    return a


def test_dots3_note_class_default_by_hand() -> None:
    v, h, inter, moe_inter, experts = 152064, 5120, 13824, 1536, 256
    indexed = _dots3_note_attention(128, 1024, 512, 128, 64, True)
    sliding = _dots3_note_attention(64, 1024, 1024, 192, 64, False)
    moe = experts * h + experts * 3 * h * moe_inter + 3 * h * 1536  # router, experts, shared
    # indexed on layers 0, 1 and i % 4 == 1 (13 of 46), sliding elsewhere; layer 0 dense
    total = 2 * v * h + 13 * indexed + 33 * sliding + 3 * h * inter + 45 * moe + 46 * 2 * h + h
    m = read_hf_config({"model_type": "dots3_note"})
    assert m.param_counts().total == total == 279_551_718_016
    assert m.param_counts().active == total - 45 * (experts - 8) * 3 * h * moe_inter
    assert m.layer_types.count("sliding") == 33 and m.sliding_window == 512
    text = read_hf_config({"model_type": "dots3_note_text"})
    assert text.param_counts() == m.param_counts().model_copy(update={"model": text.name})


def test_dots3_note_sliding_layers_cache_their_own_latent_for_512_tokens() -> None:
    m = read_hf_config({"model_type": "dots3_note_text"})
    # 13 indexed layers: the 512 + 64 latent in bf16 and the indexer key (128 fp8 + a scale)
    indexed, sliding = 13 * ((512 + 64) * 2 + 128 + 4), 33 * (1024 + 64) * 2
    short = kv_cache_memory(m, 256, 1, "bf16")
    assert float(short.to("B").m) == 256 * (indexed + sliding)
    grow = kv_cache_memory(m, 20_000, 1, "bf16") - kv_cache_memory(m, 10_000, 1, "bf16")
    assert float(grow.to("B").m) == 10_000 * indexed


def test_dots3_note_without_dsa_the_full_layers_lose_their_indexers() -> None:
    with_dsa = read_hf_config({"model_type": "dots3_note_text"}).param_counts().total
    without = read_hf_config({"model_type": "dots3_note_text", "use_dsa": False})
    h = 5120
    assert with_dsa - without.param_counts().total == 13 * (
        1024 * 64 * 128 + h * 128 + 2 * 128 + h * 64
    )
    assert without.indexer is None


def test_dots3_note_refuses_kv_heads_other_than_the_heads() -> None:
    with pytest.raises(ConfigError, match="must equal the 8 heads"):
        read_hf_config({"model_type": "dots3_note_text", "num_attention_heads": 8})


def test_zaya_class_default_is_zaya1_8b_by_hand() -> None:
    v, h, layers, heads, kv, hd, experts, inter, rh = 262272, 2048, 40, 8, 2, 128, 16, 2048, 256
    ch = (heads + kv) * hd  # the q and k channels the CCA convolutions mix
    attn = h * heads * hd + 2 * h * kv * hd + heads * hd * h  # q, k, v halves, o
    attn += ch * 1 * 2 + ch + ch * hd * 2 + ch + kv  # depthwise, grouped conv (2 taps), temp
    router = rh * h + rh + rh + 2 * (rh * rh + rh) + (experts + 1) * rh  # down, norm, fc1/2, out
    layer = attn + router + experts * 3 * h * inter + 2 * h + 8 * h  # norms, residual scales
    # tied head; router_states_scale on layers 1..39; input scale and bias; final norm
    total = v * h + layers * layer + (layers - 1) * rh + 2 * h + h
    m = read_hf_config({"model_type": "zaya"})
    assert m.param_counts().total == total == 8_840_488_784
    # top-1 of 16 experts (the script's rule): 760M active besides the embedding
    assert m.param_counts().active == total - layers * (experts - 1) * 3 * h * inter
    assert m.rope_dim == hd // 2 and m.tie_word_embeddings


def test_zaya_caches_grouped_kv_and_a_two_token_conv_window() -> None:
    kinds = ["hybrid", "hybrid_sliding"] * 20
    m = read_hf_config({"model_type": "zaya", "layer_types": kinds, "sliding_window": 512})
    # K and V of 2 heads x 128 a token in bf16; the 20 hybrid_sliding layers stop at 512
    grow = kv_cache_memory(m, 1000, 1, "bf16")
    assert float(grow.to("B").m) == (20 * 1000 + 20 * 512) * 2 * 2 * 128 * 2
    # per sequence the convolutions keep (cca_time0 - 1) + (cca_time1 - 1) q/k inputs
    assert m.cca is not None and m.cca.conv_window == 2
    # ZayaConfig's sliding_window is null: sliding layers need one
    with pytest.raises(ConfigError, match="need a positive window"):
        read_hf_config({"model_type": "zaya", "layer_types": kinds})


def test_zaya_refuses_routing_other_than_top_1() -> None:
    with pytest.raises(ConfigError, match="top-1 routing only"):
        read_hf_config({"model_type": "zaya", "num_experts_per_tok": 2})


def _xglm_small(**kw: object) -> dict[str, object]:
    return {"model_type": "xglm", "vocab_size": 1000, "d_model": 64, "num_layers": 2,
            "attention_heads": 4, "ffn_dim": 256, "max_position_embeddings": 128, **kw}  # fmt: skip


def test_xglm_small_count_by_hand() -> None:
    # XGLMDecoderLayer: q/k/v/out_proj 4 x (64*64 + 64), fc1 64*256 + 256, fc2 256*64 + 64,
    # two LayerNorms 2 x 128; embed_tokens 1000*64 (tied head); final layer_norm 128;
    # the sinusoidal positions are a buffer
    layer = 4 * (64 * 64 + 64) + (64 * 256 + 256) + (256 * 64 + 64) + 2 * 128
    m = read_hf_config(_xglm_small())
    assert m.param_counts().total == 2 * layer + 1000 * 64 + 128


def test_xglm_untied_head_and_positions() -> None:
    # an untied lm_head is vocab x d_model without bias; max_position_embeddings adds nothing
    tied = read_hf_config(_xglm_small()).param_counts().total
    untied = read_hf_config(_xglm_small(tie_word_embeddings=False)).param_counts().total
    assert untied == tied + 1000 * 64
    assert read_hf_config(_xglm_small(max_position_embeddings=4096)).param_counts().total == tied


def test_xglm_refusals() -> None:
    with pytest.raises(ConfigError, match=r"num_attention_heads \(3\)"):
        read_hf_config(_xglm_small(attention_heads=3))
    with pytest.raises(ConfigError, match="add_cross_attention"):
        read_hf_config(_xglm_small(add_cross_attention=True))


def _diffllama_small(**kw: object) -> dict[str, object]:
    return {"model_type": "diffllama", "vocab_size": 1000, "hidden_size": 64,
            "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4,
            "num_key_value_heads": 2, **kw}  # fmt: skip


def test_diffllama_small_count_by_hand() -> None:
    # DiffLlamaAttention (head_dim 16): q 64*64, k and v 64*32 each, o 64*64, and the four
    # lambda vectors of 16; DiffLlamaMLP 3 x 64*128; two RMSNorms of 64 (groupnorm has no
    # weight); embed_tokens and an untied lm_head 1000*64 each; the final norm 64
    layer = 2 * 64 * 64 + 2 * 64 * 32 + 4 * 16 + 3 * 64 * 128 + 2 * 64
    m = read_hf_config(_diffllama_small())
    assert m.param_counts().total == 2 * layer + 2 * 1000 * 64 + 64


def test_diffllama_lambdas_follow_head_dim() -> None:
    # head_dim 32 instead of 16: q / o and k / v widen, the lambdas add 4 x 16 per layer
    small = read_hf_config(_diffllama_small()).param_counts().total
    wide = read_hf_config(_diffllama_small(head_dim=32)).param_counts().total
    per_layer = 2 * 64 * (128 - 64) + 2 * 64 * (64 - 32) + 4 * 16
    assert wide - small == 2 * per_layer


def test_diffllama_refusals() -> None:
    with pytest.raises(ConfigError, match=r"num_key_value_heads \(1\)"):
        read_hf_config(_diffllama_small(num_key_value_heads=1))
    with pytest.raises(ConfigError, match="attention_dropout"):
        read_hf_config(_diffllama_small(attention_dropout=0.1))


def _doge_small(**kw: object) -> dict[str, object]:
    return {"model_type": "doge", "vocab_size": 1000, "hidden_size": 64,
            "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4,
            "num_key_value_heads": 2, **kw}  # fmt: skip


def test_doge_small_count_by_hand() -> None:
    # DogeAttention (head_dim 16): q 64*64, k and v 64*32, o 64*64, A (2), dt_proj 32*2,
    # q_norm / k_norm 16 each; DogeMLP 3 x 64*128; two RMSNorms and the two residual vectors
    # of 64; embed_tokens and an untied lm_head 1000*64 each; the final norm 64
    attn = 2 * 64 * 64 + 2 * 64 * 32 + 2 + 32 * 2 + 2 * 16
    layer = attn + 3 * 64 * 128 + 4 * 64
    m = read_hf_config(_doge_small())
    assert m.param_counts().total == 2 * layer + 2 * 1000 * 64 + 64


def test_doge_attention_bias_adds_dt_proj_bias() -> None:
    # attention_bias: q (64), k and v (32 each), o (64) and dt_proj (2) biases per layer
    plain = read_hf_config(_doge_small()).param_counts().total
    biased = read_hf_config(_doge_small(attention_bias=True)).param_counts().total
    assert biased - plain == 2 * (64 + 32 + 32 + 64 + 2)


def test_doge_refuses_cdmoe() -> None:
    with pytest.raises(ConfigError, match="is_moe"):
        read_hf_config(_doge_small(is_moe=True, num_experts=64, num_experts_per_tok=4))


def _hunyuan_vl_small(**text):
    # 2 layers, width 64, 4 heads of 16, 2 KV heads, MLP 96, vocab 500
    return {
        "vocab_size": 500,
        "hidden_size": 64,
        "intermediate_size": 96,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "head_dim": 16,
        **text,
    }


# embedding 500*64 = 32000; a layer: q/o 2*64*64 + k/v 2*64*32 = 12288, query/key_layernorm
# 2*16, MLP 3*64*96 = 18432, two norms 128: 30880; final norm 64
_HUNYUAN_VL_TIED = 32000 + 2 * 30880 + 64


def test_hunyuan_vl_flat_layout_ties_whatever_the_top_level_says():
    # HunYuanVLConfig folds the flat text keys into text_config; tie_word_embeddings is the
    # wrapper's own field, so the text config keeps its default True and the head is tied
    m = read_hf_config(
        {"model_type": "hunyuan_vl", **_hunyuan_vl_small(), "tie_word_embeddings": False}
    )
    assert m.tie_word_embeddings is True
    assert m.param_counts().total == _HUNYUAN_VL_TIED


def test_hunyuan_vl_untied_only_where_both_configs_say_false():
    text = _hunyuan_vl_small(attention_bias=True, tie_word_embeddings=False)
    both = {"model_type": "hunyuan_vl", "tie_word_embeddings": False, "text_config": text}
    outer_only = {
        "model_type": "hunyuan_vl",
        "tie_word_embeddings": False,
        "text_config": _hunyuan_vl_small(attention_bias=True),
    }
    # attention_bias: q 64 + k 32 + v 32 + o 64 per layer
    tied = _HUNYUAN_VL_TIED + 2 * 192
    assert read_hf_config(outer_only).param_counts().total == tied
    assert read_hf_config(both).param_counts().total == tied + 500 * 64


def test_hunyuan_vl_refuses_missing_head_dim():
    text = {k: v for k, v in _hunyuan_vl_small().items() if k != "head_dim"}
    with pytest.raises(ConfigError, match="head_dim"):
        read_hf_config({"model_type": "hunyuan_vl", "text_config": text})


def _qwen3_omni_moe_text(**kw):
    # 3 layers of width 64, 4 heads of 32, 2 KV heads, 4 experts of 32 (2 per token), layer 1
    # dense with an MLP of 96, vocabulary 500
    return {
        "vocab_size": 500,
        "hidden_size": 64,
        "intermediate_size": 96,
        "num_hidden_layers": 3,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "head_dim": 32,
        "num_experts": 4,
        "num_experts_per_tok": 2,
        "moe_intermediate_size": 32,
        "mlp_only_layers": [1],
        **kw,
    }


# a layer: q/o 2*64*128 + k/v 2*64*64 = 24576, q_norm/k_norm 2*32, two norms 128; a MoE layer:
# router 4*64 + experts 4*3*64*32 = 24832; the dense layer 3*64*96 = 18432; final norm 64
_QWEN3_OMNI_BODY = 3 * (24576 + 64 + 128) + 2 * 24832 + 18432 + 64


def test_qwen3_omni_moe_reads_the_thinker_language_model():
    m = read_hf_config(
        {"model_type": "qwen3_omni_moe", "thinker_config": {"text_config": _qwen3_omni_moe_text()}}
    )
    assert m.model_type == "qwen3_omni_moe"
    pc = m.param_counts()
    # Qwen3OmniMoeThinkerConfig.tie_word_embeddings defaults to False: embedding and lm_head
    assert pc.total == _QWEN3_OMNI_BODY + 2 * 500 * 64
    # each MoE layer runs 2 of its 4 experts: half of 4*6144 idle in 2 layers
    assert pc.active == pc.total - 2 * 2 * 6144


def test_qwen3_omni_moe_ties_by_the_thinker_config_only():
    text_says = {"text_config": _qwen3_omni_moe_text(tie_word_embeddings=True)}
    thinker_says = {"text_config": _qwen3_omni_moe_text(), "tie_word_embeddings": True}
    outer_says = {"model_type": "qwen3_omni_moe", "tie_word_embeddings": True}
    untied = _QWEN3_OMNI_BODY + 2 * 500 * 64
    m = read_hf_config({**outer_says, "thinker_config": text_says})
    assert m.param_counts().total == untied
    m = read_hf_config({"model_type": "qwen3_omni_moe", "thinker_config": thinker_says})
    assert m.param_counts().total == untied - 500 * 64


def test_qwen3_omni_moe_refuses_a_thinker_config_that_is_no_object():
    with pytest.raises(ConfigError, match="thinker_config"):
        read_hf_config({"model_type": "qwen3_omni_moe", "thinker_config": [1]})


def test_zamba2_shared_block_multiplies_at_every_use() -> None:
    # Zamba2Config defaults: one tied block (norm of 2h, q/k/v 2h -> 5120, o, norm of h,
    # gate/up/down of 4h) serves the 9 hybrid layers: a token runs it 8 more times than
    # its weights are counted, so prefill FLOPs grow by 2 x 8 x 170,401,280 per token
    from llmsizing import perf

    h, i = 2560, 10240
    block = 2 * h + 3 * (2 * h) * (2 * h) + (2 * h) * h + h + 3 * h * i
    assert block == 170_401_280
    m = read_hf_config({"model_type": "zamba2"})
    untied = read_hf_config({"model_type": "zamba2", "tie_word_embeddings": False})
    once = 2 * m.param_counts().active_excluding_embedding
    attn = perf.attention_flops_prefill(m, 1000)
    dense = float((perf.prefill_flops(m, 1000) - attn).magnitude)
    assert dense == pytest.approx(1000 * (once + 2 * 8 * block))
    # an untied model holds a copy per use: nothing is run twice
    assert perf.prefill_flops(untied, 1000).magnitude == pytest.approx(
        1000 * 2 * untied.param_counts().active_excluding_embedding
        + perf.attention_flops_prefill(untied, 1000).magnitude
    )


def _gpt_neox_japanese_small(**kw: object) -> dict[str, object]:
    return {"model_type": "gpt_neox_japanese", "vocab_size": 1000, "hidden_size": 64,
            "num_hidden_layers": 3, "num_attention_heads": 4, "intermediate_multiple_size": 2,
            "max_position_embeddings": 128, **kw}  # fmt: skip


def test_gpt_neox_japanese_small_count_by_hand() -> None:
    # GPTNeoXJapaneseLayer: two LayerNorms 2 x 128, query_key_value 64 x 192 and dense 64 x 64
    # (no biases), dense_h_to_4h 64 x 128 and dense_4h_to_h 128 x 64 (2 x 64 wide, no biases);
    # the last layer's attention adds dense_bias (64); embed_in 1000 x 64 (tied embed_out),
    # final_layer_norm 128
    layer = 2 * 128 + 64 * 192 + 64 * 64 + 2 * 64 * 128
    m = read_hf_config(_gpt_neox_japanese_small())
    assert m.param_counts().total == 3 * layer + 64 + 1000 * 64 + 128
    # one layer more: one more layer's weights, and still one dense_bias (now layer 3)
    deeper = read_hf_config(_gpt_neox_japanese_small(num_hidden_layers=4))
    assert deeper.param_counts().total - m.param_counts().total == layer


def test_gpt_neox_japanese_class_default_is_2_7b() -> None:
    # GPTNeoXJapaneseConfig: V 32000, 2560 x 32 layers, 32 heads, FFN 4 x 2560; per layer
    # 3h² + h² + 2 · 4h² + 4h, one dense_bias h, embed_in (tied), final LayerNorm 2h
    h = 2560
    total = 32 * (12 * h * h + 4 * h) + h + 32000 * h + 2 * h
    m = read_hf_config({"model_type": "gpt_neox_japanese"})
    assert m.param_counts().total == total == 2_598_837_760
    # rotary_pct / partial_rotary_factor 1.0: RoPE on the whole 80-channel head
    assert m.rope_dim == 80


def test_gpt_neox_japanese_partial_rotary_and_refusals() -> None:
    # rotary_ndims = int(16 x 0.25) = 4 (rotary_pct, moved into rope_parameters)
    m = read_hf_config(_gpt_neox_japanese_small(rotary_pct=0.25))
    assert m.rope_dim == 4
    with pytest.raises(ConfigError, match=r"num_attention_heads \(3\)"):
        read_hf_config(_gpt_neox_japanese_small(num_attention_heads=3))
    with pytest.raises(ConfigError, match="intermediate_multiple_size"):
        read_hf_config(_gpt_neox_japanese_small(intermediate_multiple_size=0))
    with pytest.raises(ConfigError, match="partial_rotary_factor"):
        read_hf_config(_gpt_neox_japanese_small(rotary_pct=1.5))


def _openai_gpt_small(**kw: object) -> dict[str, object]:
    return {"model_type": "openai-gpt", "vocab_size": 1000, "n_embd": 64, "n_layer": 2,
            "n_head": 4, "n_positions": 128, **kw}  # fmt: skip


def test_openai_gpt_small_count_by_hand() -> None:
    # Block: c_attn 64 x 192 + 192, c_proj 64 x 64 + 64, ln_1 / ln_2 2 x 128, MLP(4 * 64):
    # c_fc 64 x 256 + 256, c_proj 256 x 64 + 64; tokens_embed 1000 x 64 (tied head),
    # positions_embed 128 x 64; post-LN, so no final norm
    layer = (64 * 192 + 192) + (64 * 64 + 64) + 2 * 128 + (64 * 256 + 256) + (256 * 64 + 64)
    m = read_hf_config(_openai_gpt_small())
    assert m.param_counts().total == 2 * layer + 1000 * 64 + 128 * 64
    # the MLP is 4 x n_embd whatever an n_inner key says
    assert read_hf_config(_openai_gpt_small(n_inner=100)).param_counts().total == (
        m.param_counts().total
    )


def test_openai_gpt_class_default_is_openai_gpt() -> None:
    # OpenAIGPTConfig: V 40478, 512 positions, 768 x 12 layers, 12 heads; per layer
    # 3h² + 3h (c_attn) + h² + h (c_proj) + 8h² + 5h (MLP) + 4h (two LayerNorms)
    h = 768
    total = 12 * (12 * h * h + 13 * h) + 40478 * h + 512 * h
    assert read_hf_config({"model_type": "openai-gpt"}).param_counts().total == total
    assert total == 116_534_784


def test_openai_gpt_refusals() -> None:
    with pytest.raises(ConfigError, match=r"num_attention_heads \(3\)"):
        read_hf_config(_openai_gpt_small(n_head=3))
    with pytest.raises(ConfigError, match="ACT_FNS"):
        read_hf_config(_openai_gpt_small(afn="gelu_new"))


def _ctrl_small(**kw: object) -> dict[str, object]:
    return {"model_type": "ctrl", "vocab_size": 1000, "n_embd": 64, "n_layer": 2, "n_head": 4,
            "dff": 256, "n_positions": 128, **kw}  # fmt: skip


def test_ctrl_small_count_by_hand() -> None:
    # EncoderLayer: Wq / Wk / Wv / dense 4 x (64 x 64 + 64), ffn 64 x 256 + 256 and
    # 256 x 64 + 64, layernorm1 / layernorm2 2 x 128; w 1000 x 64 (the tied head's weight),
    # the head's own bias 1000, the final layernorm 128; pos_encoding is a buffer
    layer = 4 * (64 * 64 + 64) + (64 * 256 + 256) + (256 * 64 + 64) + 2 * 128
    m = read_hf_config(_ctrl_small())
    assert m.param_counts().total == 2 * layer + 1000 * 64 + 1000 + 128
    # an untied head adds its weight only; n_positions sizes a buffer, not parameters
    untied = read_hf_config(_ctrl_small(tie_word_embeddings=False)).param_counts().total
    assert untied - m.param_counts().total == 1000 * 64
    longer = read_hf_config(_ctrl_small(n_positions=4096)).param_counts().total
    assert longer == m.param_counts().total


def test_ctrl_class_default_is_salesforce_ctrl() -> None:
    # CTRLConfig: V 246534, 1280 x 48 layers, 16 heads, dff 8192; per layer
    # 4 (h² + h) + (2 h dff + dff + h) + 4h
    h, v, dff = 1280, 246534, 8192
    layer = 4 * (h * h + h) + (2 * h * dff + dff + h) + 4 * h
    total = 48 * layer + v * h + v + 2 * h
    assert read_hf_config({"model_type": "ctrl"}).param_counts().total == total
    assert total == 1_637_964_550


def test_ctrl_kv_cache_and_refusal() -> None:
    # DynamicCache: K and V of 4 heads x 16 channels per layer, 2 layers
    m = read_hf_config(_ctrl_small())
    assert float(kv_cache_memory(m, 1000, 1, "bf16").to("B").m) == 1000 * 2 * 2 * 64 * 2
    with pytest.raises(ConfigError, match=r"num_attention_heads \(3\)"):
        read_hf_config(_ctrl_small(n_head=3))


def _biogpt_small(**kw: object) -> dict[str, object]:
    return {"model_type": "biogpt", "vocab_size": 1000, "hidden_size": 64,
            "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 256,
            "max_position_embeddings": 128, **kw}  # fmt: skip


def test_biogpt_small_count_by_hand() -> None:
    # BioGptDecoderLayer: q/k/v/out_proj 4 x (64 x 64 + 64), fc1 64 x 256 + 256,
    # fc2 256 x 64 + 64, two LayerNorms 2 x 128; embed_tokens 1000 x 64 (tied head),
    # embed_positions (128 + 2) x 64, the final layer_norm 128
    layer = 4 * (64 * 64 + 64) + (64 * 256 + 256) + (256 * 64 + 64) + 2 * 128
    m = read_hf_config(_biogpt_small())
    assert m.param_counts().total == 2 * layer + 1000 * 64 + 130 * 64 + 128
    # num_key_value_heads is not a BioGPT key: the attention stays multi-head
    gqa = read_hf_config(_biogpt_small(num_key_value_heads=1))
    assert gqa.param_counts().total == m.param_counts().total


def test_biogpt_class_default_is_microsoft_biogpt() -> None:
    # BioGptConfig: V 42384, 1024 x 24 layers, 16 heads, FFN 4096, 1024 (+ 2) positions;
    # per layer 4 (h² + h) + (2 h i + i + h) + 4h, the final LayerNorm 2h
    h, v, i = 1024, 42384, 4096
    layer = 4 * (h * h + h) + (2 * h * i + i + h) + 4 * h
    total = 24 * layer + v * h + 1026 * h + 2 * h
    assert read_hf_config({"model_type": "biogpt"}).param_counts().total == total
    assert total == 346_763_264


def test_biogpt_refusal() -> None:
    with pytest.raises(ConfigError, match=r"num_attention_heads \(3\)"):
        read_hf_config(_biogpt_small(num_attention_heads=3))


def _gpt_sw3_small(**kw: object) -> dict[str, object]:
    return {"model_type": "gpt-sw3", "vocab_size": 1000, "n_embd": 64, "n_layer": 2,
            "n_head": 4, "n_positions": 128, **kw}  # fmt: skip


def test_gpt_sw3_is_gpt2_by_hand() -> None:
    # GPT2Block: ln_1 and ln_2 (weight + bias), c_attn 64 x 192 + 192, c_proj 64 x 64 + 64,
    # c_fc 64 x 256 + 256 (n_inner null: 4 x n_embd), mlp.c_proj 256 x 64 + 64;
    # wte 1000 x 64 (tied head), wpe 128 x 64, ln_f 2 x 64
    layer = 4 * 64 + (64 * 192 + 192) + (64 * 64 + 64) + (64 * 256 + 256) + (256 * 64 + 64)
    m = read_hf_config(_gpt_sw3_small())
    assert m.param_counts().total == 2 * layer + 1000 * 64 + 128 * 64 + 2 * 64
    # GPT2Config's class default: the 124M GPT-2 shape (V 50257, 1024 positions, 768 x 12)
    h, v = 768, 50257
    layer = 4 * h + (3 * h * h + 3 * h) + (h * h + h) + (4 * h * h + 4 * h) + (4 * h * h + h)
    total = 12 * layer + v * h + 1024 * h + 2 * h
    assert read_hf_config({"model_type": "gpt-sw3"}).param_counts().total == total == 124_439_808


def test_gpt_sw3_ffn_width_and_untied_head() -> None:
    base = read_hf_config(_gpt_sw3_small()).param_counts().total
    # n_inner 100 in place of 256: c_fc and c_proj shrink by 156 x 64 each, c_fc's bias by 156
    narrow = read_hf_config(_gpt_sw3_small(n_inner=100)).param_counts().total
    assert base - narrow == 2 * (2 * 156 * 64 + 156)
    untied = read_hf_config(_gpt_sw3_small(tie_word_embeddings=False)).param_counts().total
    assert untied - base == 1000 * 64


def test_gpt_sw3_refusals() -> None:
    with pytest.raises(ConfigError, match=r"num_attention_heads \(5\)"):
        read_hf_config(_gpt_sw3_small(n_head=5))
    with pytest.raises(ConfigError, match="add_cross_attention"):
        read_hf_config(_gpt_sw3_small(add_cross_attention=True))


def test_aria_text_class_default_counts_experts_and_shared_mlp() -> None:
    # AriaTextConfig defaults: 32 layers of 4096, 32 heads of 128 (KV heads default to the
    # heads), 8 experts of 4096 (top-2), 2 shared experts as one MLP of 2 x 4096, untied head
    v, h, i, n, e, k = 32000, 4096, 4096, 32, 8, 2
    attn = 4 * h * h  # q, k, v, o (unbiased)
    experts = e * 3 * h * i  # AriaExperts.gate_up_proj (E, h, 2i) and down_proj (E, i, h)
    shared = 3 * h * (2 * i)  # AriaSharedExpertsMLP: gate, up, down of 2 x intermediate
    layer = attn + experts + shared + e * h + 2 * h  # router weight (E x h), two RMSNorms
    total = 2 * v * h + n * layer + h
    pc = read_hf_config({"model_type": "aria_text"}).param_counts()
    assert pc.total == total == 18_517_069_824
    # a token runs k of the E routed experts; the shared MLP always
    assert pc.active == total - n * experts * (e - k) // e == 8_853_393_408


def _aria_text_small(**extra: object) -> dict[str, object]:
    return {
        "model_type": "aria_text",
        "vocab_size": 100,
        "hidden_size": 16,
        "intermediate_size": 8,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "num_key_value_heads": 1,
        "moe_num_experts": 4,
        "moe_topk": 2,
        "moe_num_shared_experts": 2,
        **extra,
    }


def test_aria_text_biases_reach_the_shared_mlp_not_the_routed_experts() -> None:
    base = read_hf_config(_aria_text_small()).param_counts()
    # q (16) and o (16) of two heads of 8, k and v (8 each) of one KV head
    attn = read_hf_config(_aria_text_small(attention_bias=True)).param_counts()
    assert attn.total - base.total == 2 * (16 + 8 + 8 + 16)
    # mlp_bias: the shared MLP's gate and up (2 x 8 each) and down (16); AriaExperts and
    # AriaTextTopKRouter have no bias
    mlp = read_hf_config(_aria_text_small(mlp_bias=True)).param_counts()
    assert mlp.total - base.total == 2 * (16 + 16 + 16)
    assert mlp.routed_experts == base.routed_experts == 2 * 4 * 3 * 16 * 8


def test_aria_text_kv_cache_is_full_attention_on_every_layer() -> None:
    m = read_hf_config(_aria_text_small(head_dim=12))
    # every layer caches K and V of one KV head of head_dim 12 (the file's head_dim)
    grow = kv_cache_memory(m, 2000, 1, "bf16") - kv_cache_memory(m, 1000, 1, "bf16")
    assert float(grow.to("B").m) == 1000 * 2 * 2 * 1 * 12 * 2


def test_aria_text_refuses_what_its_code_cannot_build() -> None:
    with pytest.raises(ConfigError, match=r"moe_topk \(5\) must be between 1"):
        read_hf_config(_aria_text_small(moe_topk=5))
    with pytest.raises(ConfigError, match=r"AriaTextConfig\.validate_architecture"):
        read_hf_config(_aria_text_small(hidden_size=17, head_dim=8))
    with pytest.raises(ConfigError, match="lone down_proj bias"):
        read_hf_config(_aria_text_small(moe_num_shared_experts=0, mlp_bias=True))


def test_zamba_class_default_is_zamba_7b_with_one_shared_block() -> None:
    # ZambaConfig defaults (Zamba-7B-v1): 76 Mamba layers of 3712, 13 of them hybrid (2, then
    # 3 + i for i % 6 == 4), one shared block over 2 x 3712 inputs, tied head
    v, h, i, n, hybrid = 32000, 3712, 14848, 76, 13
    w, heads, hd = 2 * h, 16, 2 * h // 16  # attention_hidden_size, 16 (KV) heads of 464
    d_inner, state, kernel, rank = 2 * h, 16, 4, -(-h // 16)  # dt_rank "auto": ceil(h / 16)
    # ZambaMambaMixer (its two heads split the same counts): in_proj, conv1d with bias,
    # x_proj (dt_rank + 2N per channel), dt_proj with bias, A_log, D, out_proj; one RMSNorm
    mamba = 2 * d_inner * h + d_inner * (kernel + 1) + (rank + 2 * state) * d_inner
    mamba += d_inner * (rank + 1) + d_inner * state + d_inner + h * d_inner + h
    # ZambaAttentionDecoderLayer: RMSNorm(2h), q/k/v (2h -> 16 x 464), o, RMSNorm(h), MLP
    block = w + 3 * w * heads * hd + heads * hd * h + h + 3 * h * i
    total = v * h + n * mamba + hybrid * h * h + block + h  # linear (h x h) per hybrid layer
    m = read_hf_config({"model_type": "zamba"})
    assert m.param_counts().total == total == 7_232_490_496
    assert m.layer_types.count("full") == hybrid and m.rope_dim == 0
    # only the hybrid layers grow a cache: K and V of 16 heads x 464 per token
    grow = kv_cache_memory(m, 2000, 1, "bf16") - kv_cache_memory(m, 1000, 1, "bf16")
    assert float(grow.to("B").m) == 1000 * hybrid * 2 * heads * hd * 2
    # untied (transformers 5.24 ties nothing then): a head and a block copy per hybrid layer
    untied = read_hf_config({"model_type": "zamba", "tie_word_embeddings": False})
    assert untied.param_counts().total == total + v * h + (hybrid - 1) * block


def _zamba_small(**extra: object) -> dict[str, object]:
    return {
        "model_type": "zamba",
        "vocab_size": 100,
        "hidden_size": 16,
        "intermediate_size": 24,
        "num_hidden_layers": 3,
        "layers_block_type": ["mamba", "hybrid", "hybrid"],
        "num_attention_heads": 2,
        "num_key_value_heads": 1,
        "n_mamba_heads": 2,
        "mamba_expand": 2,
        "mamba_d_state": 4,
        "mamba_d_conv": 2,
        "mamba_dt_rank": 2,
        **extra,
    }


def test_zamba_small_counts_and_key_spellings() -> None:
    # Mamba layer (d_inner 32): in_proj 64 x 16, conv 32 x 2 + 32, x_proj (2 + 8) x 32,
    # dt_proj 32 x 2 + 32, A_log 32 x 4, D 32, out_proj 16 x 32, RMSNorm 16
    mamba = 64 * 16 + 32 * 3 + 10 * 32 + 32 * 3 + 32 * 4 + 32 + 16 * 32 + 16
    # block: RMSNorm 32, q (2 x 16 from 32), k and v (16 from 32), o (16 from 32), RMSNorm
    # 16, gate / up / down of 24
    block = 32 + 32 * 32 + 2 * 16 * 32 + 16 * 32 + 16 + 3 * 16 * 24
    tied = 100 * 16 + 3 * mamba + 2 * 16 * 16 + block + 16
    assert read_hf_config(_zamba_small()).param_counts().total == tied
    # head_dim is attention_head_dim's other spelling; layer_types layers_block_type's
    alias = _zamba_small(head_dim=8, layer_types=["linear_attention", "hybrid", "hybrid"])
    del alias["layers_block_type"]
    narrow = read_hf_config(alias).param_counts().total
    assert narrow == tied - (32 * 16 + 2 * 32 * 8 + 16 * 16)


def test_zamba_refuses_what_its_code_cannot_run() -> None:
    with pytest.raises(ConfigError, match="must be 2 x hidden_size"):
        read_hf_config(_zamba_small(attention_hidden_size=48))
    with pytest.raises(ConfigError, match="3 entries for 2 layers"):
        read_hf_config({"model_type": "zamba", "num_hidden_layers": 2})
    with pytest.raises(ConfigError, match="is not supported"):
        read_hf_config(_zamba_small(layers_block_type=["mamba", "attention", "hybrid"]))


def test_emu3_class_default_is_the_8b_text_model() -> None:
    # Emu3TextConfig defaults (Emu3-Chat / Emu3-Gen): 32 layers of 4096, 32 heads of 128,
    # 8 KV heads, SwiGLU MLP of 14336, vocabulary 184622, untied head
    v, h, i, n, heads, kv, hd = 184622, 4096, 14336, 32, 32, 8, 128
    attn = 2 * h * heads * hd + 2 * h * kv * hd  # q and o, k and v (unbiased)
    layer = attn + 3 * h * i + 2 * h
    total = 2 * v * h + n * layer + h
    # Emu3Config without text_config builds Emu3TextConfig(); the VQ-VAE is not counted
    m = read_hf_config({"model_type": "emu3"})
    assert m.param_counts().total == total == 8_492_011_520
    grow = kv_cache_memory(m, 2000, 1, "bf16") - kv_cache_memory(m, 1000, 1, "bf16")
    assert float(grow.to("B").m) == 1000 * n * 2 * kv * hd * 2


def _emu3_small(top: dict[str, object] | None = None, **text: object) -> dict[str, object]:
    inner = {
        "model_type": "emu3_text_model",
        "vocab_size": 100,
        "hidden_size": 16,
        "intermediate_size": 24,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "num_key_value_heads": 1,
        "pad_token_id": 0,
        **text,
    }
    return {"model_type": "emu3", "text_config": inner, **(top or {})}


def test_emu3_head_ties_by_the_top_level_config_only() -> None:
    base = read_hf_config(_emu3_small()).param_counts().total
    # Emu3ForConditionalGeneration ties lm_head by Emu3Config.tie_word_embeddings
    tied = read_hf_config(_emu3_small({"tie_word_embeddings": True}))
    assert tied.tie_word_embeddings and tied.param_counts().total == base - 100 * 16
    assert read_hf_config(_emu3_small(tie_word_embeddings=True)).param_counts().total == base


def test_emu3_reads_biases_and_head_dim_its_config_class_lacks() -> None:
    base = read_hf_config(_emu3_small()).param_counts().total
    # Emu3Attention: q (2 x 8), k and v (8 each), o (16) biases per layer
    assert read_hf_config(_emu3_small(attention_bias=True)).param_counts().total == base + 2 * (
        16 + 8 + 8 + 16
    )
    # Emu3MLP: gate and up (24 each), down (16)
    assert read_hf_config(_emu3_small(mlp_bias=True)).param_counts().total == base + 2 * (
        24 + 24 + 16
    )
    # head_dim 12: q 16 -> 24, k and v 16 -> 12 each, o 24 -> 16, in each of 2 layers
    wide = read_hf_config(_emu3_small(head_dim=12)).param_counts().total
    assert wide == base + 2 * (16 * (24 - 16) + 2 * 16 * (12 - 8) + 16 * (24 - 16))
    with pytest.raises(ConfigError, match="num_key_value_heads is null"):
        read_hf_config(_emu3_small(num_key_value_heads=None))


def test_iquestcoder_class_default_is_iquest_coder_v1_40b() -> None:
    # IQuestCoderConfig defaults, built by LlamaForCausalLM: q/k/v/o (40 heads, 8 KV heads of
    # head_dim 128, no bias), gated MLP, two RMSNorms a layer, untied head
    v, h, i, heads, kv, hd = 76800, 5120, 27648, 40, 8, 128
    attn = h * heads * hd + 2 * h * kv * hd + heads * hd * h
    total = 2 * v * h + 80 * (attn + 3 * h * i + 2 * h) + h
    m = read_hf_config({"model_type": "iquestcoder"})
    assert m.param_counts().total == total == 39_794_283_520
    # every layer full attention: K and V of 8 heads x 128 per token in each of 80 layers
    assert float(kv_cache_memory(m, 1000, 1, "bf16").to("B").m) == 1000 * 80 * 2 * kv * hd * 2


def _iquestcoder_small(**kw: object) -> dict[str, object]:
    return {
        "model_type": "iquestcoder",
        "vocab_size": 500,
        "hidden_size": 64,
        "intermediate_size": 96,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        **kw,
    }


def test_iquestcoder_null_head_dim_and_kv_heads_follow_the_heads() -> None:
    # IQuestCoderConfig.__post_init__: a null head_dim is 64 // 4 = 16 (absent: the class's
    # 128); a null num_key_value_heads is the 4 query heads (absent: the class's 8)
    def total(hd: int, kv: int) -> int:
        attn = 64 * 4 * hd + 2 * 64 * kv * hd + 4 * hd * 64
        return 2 * 500 * 64 + 2 * (attn + 3 * 64 * 96 + 2 * 64) + 64

    m = read_hf_config(_iquestcoder_small(head_dim=None))
    assert m.head_dim == 16 and m.param_counts().total == total(16, 2) == 125_760
    m = read_hf_config(_iquestcoder_small())
    assert m.head_dim == 128 and m.param_counts().total == total(128, 2)
    m = read_hf_config(_iquestcoder_small(head_dim=None, num_key_value_heads=None))
    assert m.num_kv_heads == 4 and m.param_counts().total == total(16, 4)


def test_iquestcoder_refusals() -> None:
    # IQuestCoderConfig.validate_architecture
    with pytest.raises(ConfigError, match="does not divide hidden_size"):
        read_hf_config(_iquestcoder_small(hidden_size=72, num_attention_heads=5, head_dim=16))
    with pytest.raises(ConfigError, match="clip_qkv"):
        read_hf_config(_iquestcoder_small(clip_qkv=8.0))
    with pytest.raises(ConfigError, match="use_sliding_window"):
        read_hf_config(_iquestcoder_small(use_sliding_window=True, sliding_window=16))


def _cohere_compass_text_north_micro() -> dict[str, object]:
    """North-Micro-Vision-Instruct's text_config (its ports' reading of the checkpoint)."""
    return {
        "model_type": "cohere_compass_text",
        "vocab_size": 262144,
        "hidden_size": 2048,
        "intermediate_size": 6144,
        "num_hidden_layers": 28,
        "num_attention_heads": 16,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "tie_word_embeddings": True,
        "sliding_window": 4096,
        "layer_types": (["sliding_attention"] * 3 + ["full_attention"]) * 7,
        "rope_parameters": {
            "sliding_attention": {
                "mrope_interleaved": True,
                "mrope_section": [24, 20, 20],
                "rope_type": "default",
                "rope_theta": 50000,
            },
            "full_attention": None,
            "rope_theta": 10000.0,
            "rope_type": "default",
        },
    }


def test_cohere_compass_text_north_micro_by_hand() -> None:
    # Cohere2DecoderLayer: one weight-only LayerNorm before parallel attention and gated MLP;
    # q/k/v/o without bias; tied head
    v, h, i, heads, kv, hd = 262144, 2048, 6144, 16, 8, 128
    attn = h * heads * hd + 2 * h * kv * hd + heads * hd * h
    total = v * h + 28 * (attn + 3 * h * i + h) + h
    m = read_hf_config(_cohere_compass_text_north_micro())
    assert m.param_counts().total == total == 1_946_216_448
    assert m.layer_types.count("sliding") == 21 and m.sliding_window == 4096
    # past the 4096-token window only the 7 full (NoPE) layers grow: K and V of 8 x 128
    grow = kv_cache_memory(m, 20_000, 1, "bf16") - kv_cache_memory(m, 10_000, 1, "bf16")
    assert float(grow.to("B").m) == 10_000 * 7 * 2 * kv * hd * 2


def _cohere_compass_text_small(**kw: object) -> dict[str, object]:
    rope = {"rope_type": "default", "rope_theta": 10000.0}
    return {
        "model_type": "cohere_compass_text",
        "vocab_size": 500,
        "hidden_size": 64,
        "intermediate_size": 96,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "rope_parameters": {"full_attention": rope},
        **kw,
    }


def test_cohere_compass_text_given_head_dim_wins_over_hidden_by_heads() -> None:
    # CohereCompassTextConfig.__post_init__ sets head_dim = 64 // 4 = 16, then
    # PreTrainedConfig applies the file's head_dim (8): q/o 64 x 32, k/v 64 x 16
    def total(hd: int) -> int:
        attn = 64 * 4 * hd + 2 * 64 * 2 * hd + 4 * hd * 64
        return 500 * 64 + 2 * (attn + 3 * 64 * 96 + 64) + 64  # tied by default

    assert read_hf_config(_cohere_compass_text_small()).param_counts().total == total(16)
    m = read_hf_config(_cohere_compass_text_small(head_dim=8))
    assert m.head_dim == 8 and m.param_counts().total == total(8) == 81_344
    # no default pattern: every layer full unless layer_types says otherwise
    assert m.layer_types == ("full", "full")


def test_cohere_compass_text_refusals() -> None:
    # CohereCompassRotaryEmbedding reads rope_parameters[layer_type]: the class default
    # (rope_parameters None) cannot be built
    with pytest.raises(ConfigError, match="no entry for 'full_attention'"):
        read_hf_config({"model_type": "cohere_compass_text"})
    with pytest.raises(ConfigError, match="no entry for 'sliding_attention'"):
        read_hf_config(_cohere_compass_text_small(layer_types=["sliding_attention"] * 2))
    # CohereCompassTextModel builds the sliding-window mask on every forward
    with pytest.raises(ConfigError, match="sliding_window"):
        read_hf_config(_cohere_compass_text_small(sliding_window=None))
    with pytest.raises(ConfigError, match="'attention' is not supported"):
        read_hf_config(_cohere_compass_text_small(layer_types=["attention"] * 2))


def test_lara_mini_class_default_is_lara_4_mini_by_hand() -> None:
    # LaraMiniConfig defaults: layer_types linear, sliding, linear, full, sliding repeated
    # (14 Gated DeltaNet, 13 sliding, 7 full layers of 34); every layer a LaraMiniSparseMoeBlock
    v, h, heads, kv, hd = 151936, 1024, 16, 4, 128
    attn = h * heads * hd + 2 * h * kv * hd + heads * hd * h + 2 * hd  # q, k, v, o, q/k norms
    key, value, nv, conv = 8 * 128, 16 * 128, 16, 4
    # in_proj_qkv, in_proj_z, in_proj_b / a, depthwise conv, dt_bias / A_log, norm, out_proj
    gdn = h * (2 * key + value) + h * value + 2 * h * nv + (2 * key + value) * conv
    gdn += 2 * nv + 128 + value * h
    experts = 128 * 3 * h * 512
    moe = experts + 128 * h + 3 * h * 512  # routed experts, router, ungated shared expert
    total = v * h + 20 * attn + 14 * gdn + 34 * (moe + 2 * h) + h  # tied head
    m = read_hf_config({"model_type": "lara_mini"})
    pc = m.param_counts()
    assert pc.total == total == 7_281_684_672
    # 4 of 128 experts run per token
    assert pc.active == total - 34 * experts * 124 // 128 == 650_490_048
    kinds = ("linear", "sliding", "full")
    assert tuple(m.layer_types.count(k) for k in kinds) == (14, 13, 7)
    # no shared expert: its 3 x 1024 x 512 leave each of the 34 layers
    no_shared = read_hf_config({"model_type": "lara_mini", "shared_expert_intermediate_size": 0})
    assert no_shared.param_counts().total == total - 34 * 3 * h * 512


def test_lara_mini_kv_grows_on_the_full_layers_and_the_gdn_state_is_fixed() -> None:
    from llmsizing.memory import state_bytes_per_sequence

    m = read_hf_config({"model_type": "lara_mini"})
    # past the 512-token window only the 7 full layers grow: K and V of 4 heads x 128
    grow = kv_cache_memory(m, 20_000, 1, "bf16") - kv_cache_memory(m, 10_000, 1, "bf16")
    assert float(grow.to("B").m) == 10_000 * 7 * 2 * 4 * 128 * 2
    # within the window the 20 attention layers hold every token
    assert float(kv_cache_memory(m, 500, 1, "bf16").to("B").m) == 500 * 20 * 2 * 4 * 128 * 2
    # each Gated DeltaNet layer: conv window (4 - 1) x (2 x 1024 + 2048), state 16 x 128 x 128
    state = 14 * (3 * 4096 + 16 * 128 * 128) * 2
    assert float(state_bytes_per_sequence(m, "bf16").to("B").m) == state


def test_lara_mini_refusals() -> None:
    # LaraMiniConfig types sliding_window and head_dim as int
    with pytest.raises(ConfigError, match="sliding_window"):
        read_hf_config({"model_type": "lara_mini", "sliding_window": None})
    with pytest.raises(ConfigError, match="head_dim"):
        read_hf_config({"model_type": "lara_mini", "head_dim": None})
    # LaraMiniModel has no mask for other layer kinds
    with pytest.raises(ConfigError, match="chunked_attention"):
        read_hf_config(
            {
                "model_type": "lara_mini",
                "num_hidden_layers": 2,
                "layer_types": ["chunked_attention"] * 2,
            }
        )
    with pytest.raises(ConfigError, match="experts_per_token"):
        read_hf_config({"model_type": "lara_mini", "num_experts_per_tok": 129})


def _flint_layer_kinds(n: int) -> list[bool]:
    """FlintConfig's default pattern: True (full) on layers 0, 1, i % 4 == 1 and the last."""
    return [i < 2 or i % 4 == 1 or i == n - 1 for i in range(n)]


def test_flint_class_default_counts_sinks_and_shared_experts() -> None:
    # FlintConfig: vocab 150144, h 2048, FFN 6144, 49 layers, 32 heads / 4 KV heads of 128,
    # 256 experts (top 6) of 512, an ungated shared expert of 1024, mlp_only_layers [0, 1]
    v, h, i, n, heads, kv, hd = 150144, 2048, 6144, 49, 32, 4, 128
    e, k, mi, si = 256, 6, 512, 1024
    attn = h * heads * hd + 2 * h * kv * hd + heads * hd * h + 2 * hd + heads  # + norms, sinks
    experts = e * 3 * h * mi
    moe = e * h + experts + 3 * h * si  # router, experts, shared expert (no gate)
    total = 2 * v * h + n * (attn + 2 * h) + 2 * 3 * h * i + (n - 2) * moe + h
    pc = read_hf_config({"model_type": "flint"}).param_counts()
    assert pc.total == total == 39_785_287_456
    assert pc.active == total - (n - 2) * (experts - experts * k // e) == 2_822_983_456


def test_flint_sliding_layers_hold_the_window_full_layers_every_token() -> None:
    full = sum(_flint_layer_kinds(49))  # 14 full layers, 35 sliding (window 513)
    per_token = 2 * 4 * 128 * 2  # K and V of 4 heads of 128, bf16 bytes
    m = read_hf_config({"model_type": "flint"})
    assert [t == "full" for t in m.layer_types] == _flint_layer_kinds(49)
    assert m.attention_sinks and m.sliding_window == 513
    grow = kv_cache_memory(m, 20_000, 1, "bf16") - kv_cache_memory(m, 10_000, 1, "bf16")
    assert float(grow.to("B").m) == 10_000 * full * per_token == 10_000 * 14 * per_token


def test_flint_without_experts_is_dense_and_a_null_window_is_refused() -> None:
    h, i, e, mi, si = 2048, 6144, 256, 512, 1024
    moe = read_hf_config({"model_type": "flint"}).param_counts().total
    dense = read_hf_config({"model_type": "flint", "num_experts": 0}).param_counts()
    # FlintDecoderLayer: num_experts 0 builds a dense FlintMLP on all 47 sparse layers
    assert moe - dense.total == 47 * (e * h + e * 3 * h * mi + 3 * h * si - 3 * h * i)
    assert dense.active == dense.total
    with pytest.raises(ConfigError, match="sliding_window"):
        read_hf_config({"model_type": "flint", "sliding_window": None})


def test_hrm_text_class_default_counts_both_stacks_and_z_l_init() -> None:
    # HrmTextConfig defaults: vocab 151808, h 1536, FFN 4096, 16 layers per stack, 12 heads of 128
    v, h, i, per, q = 151808, 1536, 4096, 16, 12 * 128
    attn = 4 * h * q + q * h  # q, k, v (one K/V head per head), gate_proj, o (no biases)
    layer = attn + 3 * h * i  # gated MLP; HrmTextRMSNorm has no weight
    m = read_hf_config({"model_type": "hrm_text"})
    # L_module and H_module, an untied head, z_L_init (hidden)
    assert m.param_counts().total == 2 * v * h + 2 * per * layer + h == 1_447_822_848
    tied = read_hf_config({"model_type": "hrm_text", "tie_word_embeddings": True})
    assert m.param_counts().total - tied.param_counts().total == v * h


def test_hrm_text_caches_every_pass_of_each_stack() -> None:
    # H_cycles 2, L_cycles 3: an L-module layer runs 6 times a token, an H-module layer 2 times,
    # each pass writing its own slot: 16 x 2 x (3 + 1) = 128 slots of K and V, 12 heads of 128
    per_slot = 2 * 12 * 128 * 2  # bf16 bytes per token
    m = read_hf_config({"model_type": "hrm_text"})
    assert m.layer_kv_copies == (6,) * 16 + (2,) * 16
    assert float(kv_cache_memory(m, 1000, 1, "bf16").to("B").m) == 1000 * 128 * per_slot
    # the layout HrmTextConfig.to_dict saves: the per-stack count and the inflated slots
    saved = read_hf_config(
        {"model_type": "hrm_text", "num_layers_per_stack": 16, "num_hidden_layers": 128}
    )
    assert saved.param_counts().total == m.param_counts().total
    assert saved.layer_kv_copies == m.layer_kv_copies
    one = read_hf_config({"model_type": "hrm_text", "H_cycles": 1, "L_cycles": 1})
    assert float(kv_cache_memory(one, 1000, 1, "bf16").to("B").m) == 1000 * 32 * per_slot


def test_hrm_text_runs_each_stack_at_every_cycle() -> None:
    # HrmTextModel.forward: the L-module runs H_cycles x L_cycles = 6 times a token, the
    # H-module 2 times; every pass multiplies by its layer's weights and attends
    from llmsizing import perf

    h, i, per, q = 1536, 4096, 16, 12 * 128
    layer = 4 * h * q + q * h + 3 * h * i
    m = read_hf_config({"model_type": "hrm_text"})
    assert m.layer_passes == (6,) * 16 + (2,) * 16
    head = 151808 * h
    # (z_L_init's h parameters sit in the active count the FLOPs start from)
    assert perf._flop_params(m) == head + h + 6 * per * layer + 2 * per * layer
    # decode attention at 1000 positions: QK and AV of 12 heads of 128 on every pass
    attn = (6 + 2) * per * 2 * 12 * (128 + 128) * 1000
    assert perf.decode_flops_per_token(m, 1000).magnitude == pytest.approx(
        2 * (head + h + 8 * per * layer) + attn
    )
    one = read_hf_config({"model_type": "hrm_text", "H_cycles": 1, "L_cycles": 1})
    assert perf._flop_params(one) == one.param_counts().active_excluding_embedding


def test_looped_moe_layers_rerun_only_their_active_experts() -> None:
    # Inkling 2 Loop: the loop layers' routed experts run k of E per pass, not all E
    from llmsizing import perf
    from llmsizing.model import weight_reuses

    once = read_hf_config({"model_type": "inkling2_loop_text", "loop_num_passes": 1})
    m = read_hf_config({"model_type": "inkling2_loop_text"})
    e = m.moe
    assert e is not None and max(m.layer_passes) > 1
    extra = 0.0
    for t, n in weight_reuses(m):
        extra += t.numel * n * (e.real_experts_per_token / t.experts if t.experts else 1)
    assert perf._flop_params(m) == pytest.approx(perf._flop_params(once) + extra, abs=1)
    # a pass over all experts would add far more than the active share
    full = sum(t.numel * n for t, n in weight_reuses(m))
    assert perf._flop_params(m) < perf._flop_params(once) + full


def test_layer_passes_are_validated() -> None:
    m = read_hf_config({"model_type": "hrm_text"})
    with pytest.raises(ValueError, match="layer_passes must be at least 1"):
        type(m).model_validate({**m.model_dump(), "layer_passes": (0,) * 32})
    with pytest.raises(ValueError, match=r"layer_kv_copies\[0\] \(6\) exceeds layer_passes"):
        type(m).model_validate({**m.model_dump(), "layer_passes": (1,) * 32})


def test_hrm_text_refuses_missing_cache_slots_and_idle_stacks() -> None:
    # 16 per stack need 128 slots; DynamicCache(config) would hold 100
    with pytest.raises(ConfigError, match="fewer than the 128 cache slots"):
        read_hf_config(
            {"model_type": "hrm_text", "num_layers_per_stack": 16, "num_hidden_layers": 100}
        )
    with pytest.raises(ConfigError, match="at least 1"):
        read_hf_config({"model_type": "hrm_text", "L_cycles": 0})
    with pytest.raises(ConfigError, match="must divide hidden_size"):
        read_hf_config({"model_type": "hrm_text", "num_attention_heads": 7})


def _gemma4_assistant_e2b(text: dict | None = None, **top: object) -> dict:
    """google/gemma-4-E2B-it-assistant's config.json (its shape fields), ``text`` merged into
    its text_config."""
    return {
        "model_type": "gemma4_assistant",
        "backbone_hidden_size": 1536,
        "use_ordered_embeddings": True,
        "num_centroids": 2048,
        "centroid_intermediate_top_k": 32,
        "text_config": {
            "model_type": "gemma4_text",
            "vocab_size": 262144,
            "hidden_size": 256,
            "intermediate_size": 2048,
            "num_hidden_layers": 4,
            "num_attention_heads": 4,
            "num_key_value_heads": 1,
            "head_dim": 256,
            "global_head_dim": 512,
            "sliding_window": 512,
            "layer_types": ["sliding_attention"] * 3 + ["full_attention"],
            "num_kv_shared_layers": 4,
            "hidden_size_per_layer_input": 0,
            "vocab_size_per_layer_input": 0,
        }
        | (text or {}),
    } | top


def test_gemma4_assistant_e2b_has_no_kv_weights_and_no_cache() -> None:
    v, h, i, heads, b = 262144, 256, 2048, 4, 1536
    # every layer reads the target's KV: q_proj, q_norm, o_proj only; gated MLP; 4 norms
    sliding = 2 * h * heads * 256 + 256 + 3 * h * i + 4 * h
    full = 2 * h * heads * 512 + 512 + 3 * h * i + 4 * h
    # tied head, final norm, pre_projection (2b -> h), post_projection (h -> b), centroids
    total = v * h + 3 * sliding + full + h + 2 * b * h + b * h + 2048 * h
    m = read_hf_config(_gemma4_assistant_e2b())
    assert m.param_counts().total == total == 77_731_328
    assert float(kv_cache_memory(m, 4096, 8, "bf16").to("B").m) == 0
    # without the centroid head (use_ordered_embeddings false, the 26B / 31B drafters)
    plain = read_hf_config(_gemma4_assistant_e2b(use_ordered_embeddings=False))
    assert m.param_counts().total - plain.param_counts().total == 2048 * h


def test_gemma4_assistant_head_tying_follows_the_wrapper() -> None:
    v, h = 262144, 256
    tied = read_hf_config(_gemma4_assistant_e2b()).param_counts().total
    untied = read_hf_config(_gemma4_assistant_e2b(tie_word_embeddings=False))
    assert untied.param_counts().total - tied == v * h


def test_gemma4_assistant_refuses_per_layer_inputs_and_own_kv_layers() -> None:
    # the class default's text model is gemma4_text's, with per-layer inputs of 256
    with pytest.raises(ConfigError, match="hidden_size_per_layer_input must be 0"):
        read_hf_config({"model_type": "gemma4_assistant"})
    with pytest.raises(ConfigError, match="must be 0 or num_hidden_layers"):
        read_hf_config(_gemma4_assistant_e2b({"num_kv_shared_layers": 2}))


def test_gemma4_unified_assistant_class_default_reads_the_target_kv() -> None:
    # Gemma4UnifiedTextConfig defaults: vocab 262144, h 2304, FFN 9216, 30 layers (full at
    # (i + 1) % 6 == 0: 5), 8 heads of 256 (512 on full layers); backbone 3840
    v, h, i, b = 262144, 2304, 9216, 3840
    sliding = 2 * h * 8 * 256 + 256 + 3 * h * i + 4 * h  # q_proj, o_proj, q_norm, MLP, norms
    full = 2 * h * 8 * 512 + 512 + 3 * h * i + 4 * h
    total = v * h + 25 * sliding + 5 * full + h + 3 * b * h  # tied head, pre/post projection
    m = read_hf_config({"model_type": "gemma4_unified_assistant"})
    assert m.param_counts().total == total == 2_872_140_800
    assert float(kv_cache_memory(m, 4096, 1, "bf16").to("B").m) == 0


def test_gemma4_unified_assistant_double_wide_mlp_on_every_layer() -> None:
    h, i = 2304, 9216
    base = read_hf_config({"model_type": "gemma4_unified_assistant"}).param_counts().total
    wide = read_hf_config(
        {"model_type": "gemma4_unified_assistant", "text_config": {"use_double_wide_mlp": True}}
    )
    # every layer is "reuse" (kv_sharing_modes), so every Gemma4TextMLP is twice as wide
    assert wide.param_counts().total - base == 30 * 3 * h * i


def _inkling_text_layer(h: int, heads: int, kv: int, hd: int, extent: int) -> int:
    """One InklingDecoderLayer's attention and convolutions (d_rel 16, kernel 4) and norms."""
    q, kvw = heads * hd, kv * hd
    attn = 2 * h * q + 2 * h * kvw + heads * 16 * h  # q/o, k/v (no biases) and r_proj
    attn += 2 * kvw * 4 + 2 * hd + 16 * extent  # k_sconv / v_sconv, q/k norms, rel bank
    return attn + 2 * h * 4 + 2 * h  # attn_sconv / mlp_sconv and the two layer norms


def test_inkling_text_class_default_counts_convolutions_bias_and_shared_router_rows() -> None:
    # InklingTextConfig: vocab 201024, h 6144, 66 layers, full every 6th (11) with 64 / 8 heads
    # of 128 and rel_extent 1024, sliding (55) with 64 / 16 heads and a 512 window; every layer
    # an InklingMoE of 256 experts of 3072 (top 6) and 2 shared experts
    v, h, e, w = 201024, 6144, 256, 3072
    full = _inkling_text_layer(h, 64, 8, 128, 1024)
    sliding = _inkling_text_layer(h, 64, 16, 128, 512)
    # the router scores the shared experts too (258 rows) and learns a global_scale
    moe = (e + 2) * h + 1 + e * 3 * w * h + 2 * 3 * w * h
    total = 2 * v * h + 2 * h + 11 * full + 55 * sliding + 66 * moe  # + embed_norm, norm
    m = read_hf_config({"model_type": "inkling_text"})
    pc = m.param_counts()
    assert pc.total == total == 975_340_270_146
    assert pc.active == total - 66 * (e - 6) * 3 * w * h
    assert not m.tie_word_embeddings and m.rope_dim == 0


def test_inkling_text_dense_intermediate_size_makes_intermediate_size_the_experts() -> None:
    # InklingTextConfig.__post_init__: with dense_intermediate_size, intermediate_size is the
    # experts' width; dense_mlp_idx=1 makes layer 0 an InklingMLP (gate, up, down, global_scale)
    h, e = 6144, 256
    moe_layer = (e + 2) * h + 1 + (e + 2) * 3 * 3072 * h
    dense_layer = 3 * 24576 * h + 1
    base = read_hf_config({"model_type": "inkling_text"})
    ckpt = read_hf_config(
        {
            "model_type": "inkling_text",
            "intermediate_size": 3072,
            "dense_intermediate_size": 24576,
            "dense_mlp_idx": 1,
        }
    )
    assert ckpt.moe_layers == (False,) + (True,) * 65
    assert ckpt.param_counts().total - base.param_counts().total == dense_layer - moe_layer


def test_inkling_text_keeps_four_fp32_convolution_windows_beside_kv() -> None:
    from llmsizing.memory import state_bytes_per_sequence

    m = read_hf_config({"model_type": "inkling_text"})
    # k, v (kv heads x 128 channels each), attention and MLP outputs (6144 each): 3 of the 4
    # taps' inputs kept per sequence in float32 (the convolutions run in fp32)
    full, sliding = 3 * (2 * 8 * 128 + 2 * 6144) * 4, 3 * (2 * 16 * 128 + 2 * 6144) * 4
    assert state_bytes_per_sequence(m, "bf16").to("B").m == 11 * full + 55 * sliding
    # K and V in bf16: 10,000 tokens on the 11 full layers, the 512-token window on 55
    kv = 11 * 10_000 * 2 * 8 * 128 * 2 + 55 * 512 * 2 * 16 * 128 * 2
    assert float(kv_cache_memory(m, 10_000, 1, "bf16").to("B").m) == kv


def test_inkling_text_refuses_top_k_beyond_experts_and_unknown_layer_kinds() -> None:
    with pytest.raises(ConfigError, match="between 1 and n_routed_experts"):
        read_hf_config({"model_type": "inkling_text", "n_routed_experts": 4})
    kinds = ["hybrid"] * 65 + ["full_attention"]
    with pytest.raises(ConfigError, match="not supported"):
        read_hf_config({"model_type": "inkling_text", "layer_types": kinds})


def _inkling2_text_total(h: int, layers: int, heads: int, e: int, w: int, head: int) -> int:
    """Inkling2TextConfig's shape by hand: full every 6th layer, the rest sliding, kv 8 heads of
    128, d_rel 16, kernel 4, window = rel_extent = 1024, an Inkling2SparseMoeBlock everywhere."""
    q, kvw, full = heads * 128, 8 * 128, layers // 6
    layer = 2 * h * q + 2 * h * kvw + h * q  # q, o, k, v; the output gate_proj
    layer += heads * h + heads * 16 * h + 16 * 1024  # sink_proj, relative states, bias bank
    layer += heads * 128 + heads * 16  # the L2 clips' learned scales of q and the states
    layer += 2 * h * 4 + 2 * h + h  # output convolutions, two norms, mlp_input query
    layer += e * h + e * 3 * w * h  # router and experts
    sliding_kv = 2 * kvw * 4  # static k and v convolutions
    full_kv = 2 * (4 * kvw + 8 * 4 * h) + 2 * h  # dynamic: static_weight, weight_proj; k/v norms
    # attention_input from layer 1: one query on sliding layers, three (q, k, v) on full ones
    queries = (layers - full - 1) * h + full * 3 * h
    model = 201024 * h + 3 * h + head * h  # embedding, embed_norm, norm, final_input, lm_head
    return model + layers * layer + (layers - full) * sliding_kv + full * full_kv + queries


def test_inkling2_text_class_default_is_counted_by_hand() -> None:
    # Inkling2TextConfig: h 4608, 48 layers (8 full), 48 heads, 384 experts of 2304 (top 8),
    # embedding of 201024 rows, lm_head of unpadded_vocab_size 200058 rows, never tied
    total = _inkling2_text_total(4608, 48, 48, 384, 2304, 200058)
    m = read_hf_config({"model_type": "inkling2_text"})
    pc = m.param_counts()
    assert pc.total == total == 593_718_478_848
    assert pc.active == total - 48 * (384 - 8) * 3 * 2304 * 4608
    assert m.vocab_size == 200058 and m.embedding_rows == 201024


def test_inkling2_text_head_rows_follow_unpadded_vocab_size() -> None:
    base = read_hf_config({"model_type": "inkling2_text"}).param_counts().total
    padded = read_hf_config({"model_type": "inkling2_text", "unpadded_vocab_size": 201024})
    assert padded.param_counts().total - base == (201024 - 200058) * 4608
    assert padded.embedding_rows is None
    with pytest.raises(ConfigError, match="between 1 and vocab_size"):
        read_hf_config({"model_type": "inkling2_text", "unpadded_vocab_size": 201025})


def test_inkling2_text_only_full_layers_grow_past_the_window() -> None:
    m = read_hf_config({"model_type": "inkling2_text"})
    grow = kv_cache_memory(m, 20_000, 1, "bf16") - kv_cache_memory(m, 10_000, 1, "bf16")
    # 8 full layers, K and V of 8 heads x 128 in bf16
    assert float(grow.to("B").m) == 10_000 * 8 * 2 * 8 * 128 * 2


#: Inkling2LoopTextConfig's sizes, given to both types so that only the loop differs
_INKLING2_LOOP_SIZES = {
    "hidden_size": 2304,
    "num_hidden_layers": 24,
    "num_attention_heads": 24,
    "swa_num_attention_heads": 24,
    "moe_intermediate_size": 1152,
    "n_routed_experts": 128,
}


def test_inkling2_loop_text_adds_message_gates_and_queries_to_inkling2() -> None:
    # loop layers 6..17 (12): four Inkling2LoopMessageGate each (down_proj 2h -> 64,
    # forget_gate_proj and message_gate_proj 64 -> h) and message_input's 4 queries of h
    h, r = 2304, 64
    loop = read_hf_config({"model_type": "inkling2_loop_text", **_INKLING2_LOOP_SIZES})
    flat = read_hf_config({"model_type": "inkling2_text", **_INKLING2_LOOP_SIZES})
    extra = 12 * 4 * (2 * h * r + 2 * h * r) + 12 * 4 * h
    assert loop.param_counts().total - flat.param_counts().total == extra


def test_inkling2_loop_text_caches_the_loop_layers_once_per_pass() -> None:
    from llmsizing.memory import state_bytes_per_sequence

    m = read_hf_config({"model_type": "inkling2_loop_text"})
    # 3 passes over layers 6..17: 24 + 2 x 12 cache layers; full layers 5, 11, 17, 23 of which
    # 11 and 17 loop: 2 + 2 x 3 = 8 full caches, the other 40 hold the 1024-token window
    per_token = 2 * 8 * 128 * 2  # K and V of 8 heads x 128, bf16
    kv = 8 * 100_000 * per_token + 40 * 1024 * per_token
    assert float(kv_cache_memory(m, 100_000, 1, "bf16").to("B").m) == kv
    # each cache layer's four convolution windows: 3 inputs of k, v (1024 each), 2 x 2304, fp32
    assert state_bytes_per_sequence(m, "bf16").to("B").m == 48 * 3 * (2 * 1024 + 2 * 2304) * 4


def test_inkling2_loop_text_reads_loop_config_and_refuses_a_loop_off_the_blocks() -> None:
    cfg = {"core_start": 6, "core_end": 12, "num_passes": 2, "gate_rank": 32}
    m = read_hf_config({"model_type": "inkling2_loop_text", "loop_config": cfg})
    assert m.layer_kv_copies == (1,) * 6 + (2,) * 6 + (1,) * 12
    assert m.inkling is not None and m.inkling.loop_gate_rank == 32
    with pytest.raises(ConfigError, match="multiples of n_layers_per_attn_res_block"):
        read_hf_config({"model_type": "inkling2_loop_text", "loop_layer_index_end": 16})


def test_cosmos3_omni_without_text_config_builds_qwen3_vl_text_defaults() -> None:
    # Cosmos3OmniConfig: text_config None -> Qwen3VLTextConfig() (SubConfigSpec)
    v, h, i, n, hd = 151936, 4096, 22016, 32, 128
    # Qwen3VLTextAttention: 32 query and 32 KV heads of 128, no biases, q_norm / k_norm of 128
    layer = 4 * h * h + 2 * hd + 3 * h * i + 2 * h
    m = read_hf_config({"model_type": "cosmos3_omni"})
    # Cosmos3OmniConfig.tie_word_embeddings defaults to False: lm_head is its own
    assert m.param_counts().total == 2 * v * h + n * layer + h == 12_049_461_248


def test_cosmos3_omni_counts_its_qwen3_vl_vision_tower() -> None:
    vision = {"model_type": "qwen3_vl_vision", "depth": 2, "hidden_size": 32, "num_heads": 2}
    vision |= {"intermediate_size": 48, "out_hidden_size": 64, "num_position_embeddings": 16}
    vision |= {"deepstack_visual_indexes": [0]}
    m = read_hf_config({"model_type": "cosmos3_omni", "vision_config": vision})
    # Cosmos3OmniModel.visual is AutoModel.from_config(qwen3_vl_vision): Qwen3VLVisionModel
    assert m.vision is not None
    assert (m.vision.kind, m.vision.depth, m.vision.deepstack_mergers) == ("qwen3_vl", 2, 1)


def test_glmga_is_glm46v_under_another_name() -> None:
    # GlmgaConfig(Glm46VConfig): text_config None -> Glm4vTextConfig(); built as
    # Glm46VForConditionalGeneration
    v, h, i, heads, kv, hd, n = 151552, 4096, 13696, 32, 2, 128, 40
    # Glm4vTextAttention: q/k/v biased, o_proj not; Glm4MLP fused gate_up_proj; 4 RMSNorms
    attn = h * heads * hd + heads * hd + 2 * (h * kv * hd + kv * hd) + heads * hd * h
    layer = attn + 3 * h * i + 4 * h
    m = read_hf_config({"model_type": "glmga"})
    assert m.param_counts().total == 2 * v * h + n * layer + h == 9_400_279_040


def test_hyperclovax_vision_v2_without_text_config_is_tied_hyperclovax() -> None:
    # HyperCLOVAXVisionV2Config: text_config None -> HyperCLOVAXConfig(); the wrapper's
    # tie_word_embeddings defaults to True
    v, h, i, n = 32000, 4096, 11008, 32
    # MHA (num_key_value_heads null), no biases; use_post_norm: four RMSNorms a layer
    layer = 4 * h * h + 3 * h * i + 4 * h
    m = read_hf_config({"model_type": "hyperclovax_vision_v2"})
    assert m.param_counts().total == v * h + n * layer + h == 6_607_605_760


def test_hyperclovax_vision_v2_untied_by_the_top_level_flag_only() -> None:
    text = {"model_type": "hyperclovax", "vocab_size": 1000, "hidden_size": 64}
    text |= {"intermediate_size": 96, "num_hidden_layers": 2, "num_attention_heads": 4}
    base = {"model_type": "hyperclovax_vision_v2", "text_config": text}
    tied = read_hf_config(base).param_counts().total
    # the text config's tie_word_embeddings (HyperCLOVAXConfig default False) plays no part
    inner = base | {"text_config": text | {"tie_word_embeddings": False}}
    assert read_hf_config(inner).param_counts().total == tied
    untied = read_hf_config(base | {"tie_word_embeddings": False}).param_counts().total
    assert untied - tied == 1000 * 64


def test_video_llama_3_without_text_config_builds_qwen2_defaults() -> None:
    # VideoLlama3Config: text_config None -> Qwen2Config() (SubConfigSpec, qwen2)
    v, h, i, n = 151936, 4096, 22016, 32
    # Qwen2Attention: 32 heads of 128 (MHA), q/k/v biased, o_proj not
    layer = 4 * h * h + 3 * h + 3 * h * i + 2 * h
    m = read_hf_config({"model_type": "video_llama_3"})
    assert m.param_counts().total == 2 * v * h + n * layer + h == 12_049_846_272


def test_qianfan_ocr_without_text_config_builds_qwen3_defaults() -> None:
    # QianfanOCRConfig: text_config None -> Qwen3Config() (SubConfigSpec, qwen3)
    v, h, i, n, hd = 151936, 4096, 22016, 32, 128
    # Qwen3Attention: 32 query / 32 KV heads of 128, no biases, q_norm / k_norm of 128
    layer = 4 * h * h + 2 * hd + 3 * h * i + 2 * h
    m = read_hf_config({"model_type": "qianfan_ocr"})
    assert m.param_counts().total == 2 * v * h + n * layer + h == 12_049_461_248


def test_cosmos3_edge_without_text_config_builds_its_text_defaults() -> None:
    # Cosmos3EdgeConfig: text_config None -> Cosmos3EdgeTextConfig()
    v, h, i, n, heads, kv, hd = 131072, 2048, 9216, 28, 16, 8, 128
    # Cosmos3EdgeTextAttention: no biases (attention_bias false); fc1 / fc2 relu2 MLP
    layer = 2 * h * heads * hd + 2 * h * kv * hd + 2 * h * i + 2 * h
    m = read_hf_config({"model_type": "cosmos3_edge"})
    # _tied_weights_keys = {}: the head is its own
    assert m.param_counts().total == 2 * v * h + n * layer + h == 1_946_273_792
    # K and V of 8 heads x 128 on each of the 28 layers
    assert float(kv_cache_memory(m, 10, 1, "bf16").to("B").m) == 10 * n * 2 * kv * hd * 2


def test_cosmos3_edge_never_ties_and_biases_all_projections() -> None:
    text = {"vocab_size": 1000, "hidden_size": 64, "intermediate_size": 96, "head_dim": 16}
    text |= {"num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2}
    text |= {"rope_parameters": {"rope_type": "default", "mrope_section": [4, 2, 2]}}
    base = {"model_type": "cosmos3_edge", "text_config": text}
    plain = read_hf_config(base).param_counts().total
    tied = base | {"tie_word_embeddings": True, "text_config": text | {"tie_word_embeddings": True}}
    assert read_hf_config(tied).param_counts().total == plain
    biased = base | {"text_config": text | {"attention_bias": True, "mlp_bias": True}}
    # q (64) + k (32) + v (32) + o (64) biases, fc1 (96) + fc2 (64) biases, on 2 layers
    assert read_hf_config(biased).param_counts().total - plain == 2 * (64 + 32 + 32 + 64 + 96 + 64)


def test_cosmos3_edge_refuses_heads_not_dividing_the_width() -> None:
    text = {"hidden_size": 66, "num_attention_heads": 4, "num_key_value_heads": 2}
    with pytest.raises(ConfigError, match="does not divide hidden_size"):
        read_hf_config({"model_type": "cosmos3_edge", "text_config": text | {"head_dim": 16}})


def test_glm_ocr_without_text_config_builds_its_text_defaults() -> None:
    # GlmOcrConfig: text_config None -> GlmOcrTextConfig()
    v, h, i, n, heads, kv = 59392, 1024, 4096, 16, 16, 8
    hd = h // heads
    # GlmOcrTextAttention: q/k/v/o unbiased; fused gate_up_proj; four RMSNorms a layer
    layer = 2 * h * heads * hd + 2 * h * kv * hd + 3 * h * i + 4 * h
    m = read_hf_config({"model_type": "glm_ocr"})
    assert m.param_counts().total == 2 * v * h + n * layer + h == 373_359_616


def test_rwkv_class_default_time_and_channel_mix() -> None:
    # RwkvConfig defaults: 32 blocks of width 4096, FFN 4 x 4096, vocabulary 50277, untied
    v, h, n = 50277, 4096, 32
    time_mix = 4 * h * h + 2 * h + 3 * h  # key, value, receptance, output; decay, first; mixes
    channel_mix = 2 * h * 4 * h + h * h + 2 * h  # key, value; receptance; two mixes
    norms = 2 * 2 * h  # ln1, ln2 (LayerNorms with bias)
    total = 2 * v * h + n * (time_mix + channel_mix + norms) + 2 * h + 2 * h  # pre_ln, ln_out
    m = read_hf_config({"model_type": "rwkv"})
    assert m.param_counts().total == total == 7_392_649_216
    assert set(m.layer_types) == {"linear"}
    # no KV cache: the state does not grow with the context
    assert kv_cache_memory(m, 100_000, 1, "bf16") == kv_cache_memory(m, 10, 1, "bf16")


def test_rwkv_state_is_two_shifts_and_three_fp32_wkv_vectors() -> None:
    from llmsizing.memory import state_bytes_per_sequence

    # RWKV-4 169M (RWKV/rwkv-4-169m-pile): 12 blocks of 768; RwkvModel keeps per block the two
    # shifted inputs at the model dtype and the WKV numerator, denominator and maximum in fp32
    m = read_hf_config(
        {"model_type": "rwkv", "vocab_size": 50277, "hidden_size": 768, "num_hidden_layers": 12}
    )
    assert m.param_counts().total == 169_342_464
    per_layer = 2 * 768 * 2 + 3 * 768 * 4
    assert float(state_bytes_per_sequence(m, "bf16").to("B").m) == 12 * per_layer


def test_rwkv_refuses_a_narrower_attention_and_one_block() -> None:
    small = {"model_type": "rwkv", "vocab_size": 100, "hidden_size": 16, "num_hidden_layers": 2}
    with pytest.raises(ConfigError, match="must equal hidden_size"):
        read_hf_config(small | {"attention_hidden_size": 8})
    with pytest.raises(ConfigError, match="must be 2 or more"):
        read_hf_config(small | {"num_hidden_layers": 1})


def test_xlstm_class_default_is_xlstm_7b() -> None:
    # xLSTMConfig defaults (NX-AI/xLSTM-7b): 32 blocks of 4096, 8 heads, q/k 2048 wide, v 4096,
    # FFN round_up(4096 x 2.667, 64) = 10944, no biases but the gates', head untied
    v, h, n, nh, qk, vd, ffn = 50304, 4096, 32, 8, 2048, 4096, 10944
    # q and k; v and the output gate; input and forget gates (biased); multihead_norm; out_proj
    mlstm = 2 * qk * h + 2 * vd * h + 2 * (nh * h + nh) + vd + h * vd
    block = mlstm + 3 * h * ffn + 2 * h  # gated FFN, norm_mlstm and norm_ffn
    total = 2 * v * h + n * block + h  # out_norm
    m = read_hf_config({"model_type": "xlstm"})
    assert m.param_counts().total == total == 6_865_424_896
    # the config.json spelling: embedding_dim and num_blocks
    m2 = read_hf_config({"model_type": "xlstm", "embedding_dim": 4096, "num_blocks": 32})
    assert m2.param_counts().total == total


def test_xlstm_state_is_c_n_m_per_head_at_the_model_dtype() -> None:
    from llmsizing.memory import state_bytes_per_sequence

    # xLSTMCache: C (8, 256, 512), n (8, 256), m (8, 1) per layer, in the model's dtype
    m = read_hf_config({"model_type": "xlstm"})
    per_layer = 8 * 256 * 512 + 8 * 256 + 8
    assert float(state_bytes_per_sequence(m, "bf16").to("B").m) == 32 * per_layer * 2
    assert kv_cache_memory(m, 100_000, 1, "bf16") == kv_cache_memory(m, 10, 1, "bf16")


def test_xlstm_bias_skips_the_out_norm_and_refuses_unrounded_widths() -> None:
    small = {
        "model_type": "xlstm",
        "vocab_size": 100,
        "hidden_size": 128,
        "num_hidden_layers": 1,
        "num_heads": 2,
    }
    plain = read_hf_config(small).param_counts().total
    biased = read_hf_config(small | {"use_bias": True}).param_counts().total
    # q, k (64 each), v, ogate (128 each), multihead_norm (128), out_proj (128); the FFN:
    # round_up(128 x 2.667, 64) = 384 twice and 128; norm_mlstm, norm_ffn (128 each), not out_norm
    assert biased - plain == 2 * 64 + 2 * 128 + 128 + 128 + 2 * 384 + 128 + 2 * 128
    with pytest.raises(ConfigError, match="positive multiple of 64"):
        read_hf_config(small | {"hidden_size": 96})
    with pytest.raises(ConfigError, match="must equal hidden_size"):
        read_hf_config(small | {"embedding_dim": 64})


def test_modernbert_decoder_class_default() -> None:
    # ModernBertDecoderConfig defaults: 22 layers of 768, 12 heads, GLU of 1152, LayerNorms
    # without bias, no attention or MLP biases; the tied decoder keeps its bias (decoder_bias)
    v, h, i, n = 50368, 768, 1152, 22
    layer = 4 * h * h + 3 * h * i + 2 * h  # q, k, v, Wo; Wi (2 x 1152) and Wo; two norms
    head = h * h + h + v  # prediction head dense and norm, decoder bias
    total = v * h + h + n * layer - h + h + head  # embeddings.norm; no attn_norm on layer 0
    m = read_hf_config({"model_type": "modernbert-decoder"})
    assert m.param_counts().total == total == 149_655_232
    # every third layer global (0, 3, ..., 21), the others slide over 128 // 2 tokens
    assert m.layer_types.count("full") == 8 and m.sliding_window == 64
    # past the window only the 8 global layers grow: K and V of 768 per token
    grow = kv_cache_memory(m, 20_000, 1, "bf16") - kv_cache_memory(m, 10_000, 1, "bf16")
    assert float(grow.to("B").m) == 10_000 * 8 * 2 * h * 2


def _modernbert_decoder_small(**extra: object) -> dict[str, object]:
    return {
        "model_type": "modernbert-decoder",
        "vocab_size": 100,
        "hidden_size": 16,
        "intermediate_size": 24,
        "num_hidden_layers": 3,
        "num_attention_heads": 2,
        "pad_token_id": 0,
        **extra,
    }


def test_modernbert_decoder_biases_and_layer_pattern() -> None:
    plain = read_hf_config(_modernbert_decoder_small(decoder_bias=False)).param_counts().total
    m = read_hf_config(
        _modernbert_decoder_small(
            norm_bias=True, classifier_bias=True, global_attn_every_n_layers=2
        )
    )
    # decoder bias (100), head dense bias (16), and a bias on each of the 1 + (1 + 2 + 2) + 1 + 1
    # LayerNorms (embedding, layers, final, head)
    assert m.param_counts().total - plain == 100 + 16 + 8 * 16
    assert m.layer_types == ("full", "sliding", "full")


def test_modernbert_decoder_refuses_sliding_layers_without_a_window() -> None:
    with pytest.raises(ConfigError, match="must be 2 or more where layers slide"):
        read_hf_config(_modernbert_decoder_small(local_attention=None))
    # with no sliding layer the window is not needed
    full = ["full_attention"] * 3
    m = read_hf_config(_modernbert_decoder_small(local_attention=None, layer_types=full))
    assert set(m.layer_types) == {"full"}


def test_cpmant_class_default_is_cpm_ant_10b() -> None:
    # CpmAntConfig defaults (openbmb/cpm-ant-10b): 48 layers of 4096, 32 heads of 128, gated
    # GELU FFN of 10240, no biases; 32 x 32 prompt rows after the vocabulary, 32 segments,
    # 32 x 32 + 512 relative-bias rows per head; the head is never tied
    v, h, n, nh, d, ff = 30720, 4096, 48, 32, 128, 10240
    layer = 4 * h * nh * d + 3 * h * ff + 2 * h
    embeddings = (v + 32 * 32) * h + 32 * h  # input_embedding, segment_embedding
    total = embeddings + (32 * 32 + 512) * nh + n * layer + h + v * h  # bias table, norm, head
    m = read_hf_config({"model_type": "cpmant"})
    assert m.param_counts().total == total == 9_517_453_312
    assert not m.tie_word_embeddings
    # every layer caches K and V of 32 heads x 128 per token
    kv = kv_cache_memory(m, 1000, 1, "bf16")
    assert float(kv.to("B").m) == 1000 * n * 2 * nh * d * 2


def test_cpmant_prompt_rows_and_refusals() -> None:
    small = {
        "model_type": "cpmant",
        "vocab_size": 100,
        "hidden_size": 16,
        "num_attention_heads": 2,
        "dim_head": 8,
        "dim_ff": 24,
        "num_hidden_layers": 1,
        "prompt_types": 4,
        "prompt_length": 2,
        "segment_types": 3,
        "position_bias_num_buckets": 8,
    }
    base = read_hf_config(small).param_counts().total
    more = read_hf_config(small | {"prompt_length": 5}).param_counts().total
    assert more - base == 4 * 3 * 16  # 4 prompt types x 3 more positions, rows of 16
    wider = read_hf_config(small | {"segment_types": 4}).param_counts().total
    assert wider - base == 16 + (16 - 9) * 2  # a segment row; 7 more bias rows x 2 heads
    with pytest.raises(ConfigError, match="must be 3 or more"):
        read_hf_config(small | {"prompt_types": 2})
    with pytest.raises(ConfigError, match="must be 3 or more"):
        read_hf_config(small | {"segment_types": 2})


def test_inkling_mm_model_without_text_config_is_the_inkling_text_default() -> None:
    # InklingConfig: text_config None -> InklingTextConfig() (975B total, 41B active, as the
    # inkling_text class default); vision and audio towers not counted
    m = read_hf_config({"model_type": "inkling_mm_model"})
    pc = m.param_counts()
    assert (pc.total, pc.active) == (975_340_270_146, 41_059_054_146)


def test_inkling_mm_model_head_is_never_tied() -> None:
    # InklingForConditionalGeneration._tied_weights_keys = {}: a tie asked for at either level
    # leaves the head its own (vocab x hidden)
    tied = {"model_type": "inkling_mm_model", "tie_word_embeddings": True}
    tied["text_config"] = {"tie_word_embeddings": True}
    m = read_hf_config(tied)
    assert not m.tie_word_embeddings
    assert m.param_counts().lm_head == 201_024 * 6144


def test_inkling2_without_text_config_is_the_inkling2_text_default() -> None:
    # Inkling2Config: text_config None -> Inkling2TextConfig() ("Inkling-2-Small")
    pc = read_hf_config({"model_type": "inkling2"}).param_counts()
    assert (pc.total, pc.active) == (593_718_478_848, 18_880_727_040)


def test_inkling2_head_has_the_unpadded_rows_and_is_never_tied() -> None:
    # Inkling2ForConditionalGeneration: lm_head hidden -> unpadded_vocab_size, no tied keys
    m = read_hf_config({"model_type": "inkling2", "tie_word_embeddings": True})
    assert not m.tie_word_embeddings
    assert m.param_counts().lm_head == 200_058 * 4608
    assert m.param_counts().embedding == 201_024 * 4608


def test_inkling2_loop_without_text_config_is_the_inkling2_loop_text_default() -> None:
    # Inkling2LoopConfig: text_config None -> Inkling2LoopTextConfig()
    pc = read_hf_config({"model_type": "inkling2_loop"}).param_counts()
    assert (pc.total, pc.active) == (26_068_156_416, 3_135_799_296)


def test_inkling2_loop_head_is_never_tied() -> None:
    m = read_hf_config({"model_type": "inkling2_loop", "tie_word_embeddings": True})
    assert not m.tie_word_embeddings
    # lm_head: hidden 2304 -> unpadded_vocab_size 200,058
    assert m.param_counts().lm_head == 200_058 * 2304


def _cohere_compass_text() -> dict[str, object]:
    return {
        "model_type": "cohere_compass_text",
        "vocab_size": 1000,
        "hidden_size": 64,
        "intermediate_size": 128,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "rope_parameters": {"full_attention": {"rope_type": "default", "rope_theta": 10000.0}},
        "tie_word_embeddings": True,
    }


def test_cohere_compass_ties_only_by_the_top_level_flag() -> None:
    text = _cohere_compass_text()
    # CohereCompassConfig.tie_word_embeddings defaults to False: the text config's true is
    # not forwarded, the head (1000 x 64) is its own
    untied = read_hf_config({"model_type": "cohere_compass", "text_config": text})
    # one weight-only LayerNorm, q/o 64 x 64, k/v 64 x 32 (no bias), gate/up/down 64 x 128
    layer = 64 + 2 * 64 * 64 + 2 * 64 * 32 + 3 * 64 * 128
    assert untied.param_counts().total == 2 * 1000 * 64 + 2 * layer + 64
    tied = read_hf_config(
        {"model_type": "cohere_compass", "tie_word_embeddings": True, "text_config": text}
    )
    assert untied.param_counts().total - tied.param_counts().total == 1000 * 64


def test_cohere_compass_without_text_config_is_refused() -> None:
    # CohereCompassTextConfig() has no full_attention rope table: transformers' rotary
    # embedding raises KeyError('full_attention')
    with pytest.raises(ConfigError):
        read_hf_config({"model_type": "cohere_compass"}).param_counts()


def _nemotron_h_omni_text() -> dict[str, object]:
    return {
        "model_type": "nemotron_h",
        "vocab_size": 1000,
        "hidden_size": 64,
        "intermediate_size": 128,
        "hybrid_override_pattern": "*-",
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "head_dim": 16,
    }


def test_nemotron_h_omni_reads_the_legacy_llm_config() -> None:
    # NemotronH_Omni_Reasoning_V3_Config._legacy_field_names: llm_config -> text_config
    text = _nemotron_h_omni_text()
    m = read_hf_config({"model_type": "nemotron_h_omni", "llm_config": text})
    # attention layer: q/o 64 x 64, k/v 64 x 32; MLP layer (relu2): up/down 64 x 128;
    # one norm a block, a final norm, embedding and head 1000 x 64 (NemotronH never ties)
    attn = 2 * 64 * 64 + 2 * 64 * 32
    assert m.param_counts().total == attn + 2 * 64 * 128 + 2 * 64 + 64 + 2 * 1000 * 64
    assert not any("no text_config" in a for a in m.assumed)
    same = read_hf_config({"model_type": "nemotron_h_omni", "text_config": text})
    assert same.param_counts() == m.param_counts()


def test_nemotron_h_omni_head_stays_untied() -> None:
    # the head sits in NemotronHForCausalLM, whose _tied_weights_keys is empty
    text = _nemotron_h_omni_text() | {"tie_word_embeddings": True}
    m = read_hf_config(
        {"model_type": "nemotron_h_omni", "tie_word_embeddings": True, "text_config": text}
    )
    assert not m.tie_word_embeddings
    assert m.param_counts().lm_head == 1000 * 64


def test_lfm3_vl_ties_by_the_top_level_flag_default_true() -> None:
    # Lfm3VlConfig: text_config None -> Lfm3Config(); tie_word_embeddings defaults to True
    tied = read_hf_config({"model_type": "lfm3_vl"})
    assert tied.tie_word_embeddings
    untied = read_hf_config({"model_type": "lfm3_vl", "tie_word_embeddings": False})
    # a text config's own tie_word_embeddings is not forwarded
    text_says = read_hf_config(
        {
            "model_type": "lfm3_vl",
            "tie_word_embeddings": False,
            "text_config": {"model_type": "lfm3", "tie_word_embeddings": True},
        }
    )
    diff = untied.param_counts().total - tied.param_counts().total
    assert diff == 128_000 * 2048
    assert text_says.param_counts().total == untied.param_counts().total


def test_granite4_vision_without_text_config_builds_the_text_class_defaults() -> None:
    # Granite4VisionTextConfig(): 32 layers of width 4096, 32 heads (MHA), FFN 11008,
    # vocabulary 32000; Granite4VisionConfig.tie_word_embeddings defaults to False
    h, i, v = 4096, 11008, 32000
    layer = 4 * h * h + 3 * h * i + 2 * h
    m = read_hf_config({"model_type": "granite4_vision"})
    assert m.param_counts().total == 2 * v * h + 32 * layer + h == 6_738_415_616


def test_granite4_vision_ties_only_by_the_top_level_flag() -> None:
    text = {
        "model_type": "granite4_vision_text",
        "vocab_size": 500,
        "hidden_size": 64,
        "intermediate_size": 96,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "tie_word_embeddings": True,
    }
    untied = read_hf_config({"model_type": "granite4_vision", "text_config": text})
    tied = read_hf_config(
        {"model_type": "granite4_vision", "tie_word_embeddings": True, "text_config": text}
    )
    assert untied.param_counts().total - tied.param_counts().total == 500 * 64
    # q/o 64 x 64, k/v 64 x 32, gate/up/down 64 x 96, two norms
    layer = 2 * 64 * 64 + 2 * 64 * 32 + 3 * 64 * 96 + 2 * 64
    assert tied.param_counts().total == 500 * 64 + 2 * layer + 64


def test_granite_docling_without_text_config_builds_the_text_class_defaults() -> None:
    # GraniteDoclingTextConfig(): vocabulary 133800, width 1024, 28 layers, 16 heads of 64,
    # 4 KV heads, FFN 2048; GraniteDoclingConfig.tie_word_embeddings defaults to True
    h, kv = 1024, 4 * 64
    layer = 2 * h * h + 2 * h * kv + 3 * h * 2048 + 2 * h
    m = read_hf_config({"model_type": "granite_docling"})
    assert m.tie_word_embeddings
    assert m.param_counts().total == 133_800 * h + 28 * layer + h == 386_630_656


def test_granite_docling_kv_cache_and_top_level_untying() -> None:
    m = read_hf_config({"model_type": "granite_docling", "tie_word_embeddings": False})
    assert m.param_counts().lm_head == 133_800 * 1024
    grow = kv_cache_memory(m, 2000, 1, "bf16") - kv_cache_memory(m, 1000, 1, "bf16")
    # K and V of 4 heads of 64 on each of the 28 full-attention layers, 2 bytes each
    assert float(grow.to("B").m) == 1000 * 28 * 2 * 4 * 64 * 2


def test_minicpmv4_7_without_text_config_builds_qwen3_5_text_defaults() -> None:
    # MiniCPMV4_7Config: text_config None -> Qwen3_5TextConfig(); untied by default
    v, h, i, heads, kv, hd = 248320, 4096, 12288, 16, 4, 256
    nk, nv, dk, dv, k = 16, 32, 128, 128, 4
    full = h * 2 * heads * hd + 2 * h * kv * hd + heads * hd * h + 2 * hd
    conv = 2 * nk * dk + nv * dv
    linear = conv * h + nv * dv * h + 2 * nv * h + conv * k + 2 * nv + dv + h * nv * dv
    layer = 3 * h * i + 2 * h
    m = read_hf_config({"model_type": "minicpmv4_7"})
    assert m.param_counts().total == 2 * v * h + 8 * full + 24 * linear + 32 * layer + h


def test_minicpmv4_7_text_tie_is_not_forwarded() -> None:
    text = {"model_type": "qwen3_5_text", "tie_word_embeddings": True}
    untied = read_hf_config({"model_type": "minicpmv4_7", "text_config": text})
    tied = read_hf_config(
        {"model_type": "minicpmv4_7", "tie_word_embeddings": True, "text_config": text}
    )
    assert untied.param_counts().total - tied.param_counts().total == 248320 * 4096


def test_minicpm_ocr_without_text_config_is_tied_qwen3_5_text() -> None:
    # MiniCPMOcrConfig: text_config None -> Qwen3_5TextConfig(); tie_word_embeddings True
    m = read_hf_config({"model_type": "minicpm_ocr"})
    assert m.tie_word_embeddings
    untied = read_hf_config({"model_type": "minicpm_ocr", "tie_word_embeddings": False})
    assert untied.param_counts().total - m.param_counts().total == 248320 * 4096


def test_minicpm_ocr_kv_cache_grows_on_the_full_layers_only() -> None:
    m = read_hf_config({"model_type": "minicpm_ocr"})
    grow = kv_cache_memory(m, 2000, 1, "bf16") - kv_cache_memory(m, 1000, 1, "bf16")
    # Qwen3_5TextConfig: a full-attention layer every 4th of 32 (8), 4 KV heads of 256
    assert float(grow.to("B").m) == 1000 * 8 * 2 * 4 * 256 * 2


def test_deepseek_vl_without_text_config_builds_llama_defaults() -> None:
    # DeepseekVLConfig: text_config None -> LlamaConfig() (SubConfigSpec, llama)
    v, h, i, n = 32000, 4096, 11008, 32
    layer = 4 * h * h + 3 * h * i + 2 * h  # MHA q/k/v/o, gated MLP, two RMSNorms
    m = read_hf_config({"model_type": "deepseek_vl"})
    # DeepseekVLConfig.tie_word_embeddings defaults to True: lm_head is embed_tokens
    assert m.param_counts().total == v * h + n * layer + h == 6_607_343_616
    assert m.vision is None


def test_deepseek_vl_ties_only_by_the_top_level_flag() -> None:
    text = {"model_type": "llama", "vocab_size": 1000, "hidden_size": 64}
    text |= {"intermediate_size": 96, "num_hidden_layers": 2, "num_attention_heads": 4}
    base = {"model_type": "deepseek_vl", "text_config": text}
    tied = read_hf_config(base).param_counts().total
    untied = read_hf_config(base | {"tie_word_embeddings": False}).param_counts().total
    assert untied - tied == 1000 * 64
    # DeepseekVLConfig has no __post_init__ forwarding text_config.tie_word_embeddings
    inner = base | {"text_config": text | {"tie_word_embeddings": True}}
    assert read_hf_config(inner | {"tie_word_embeddings": False}).param_counts().total == untied


def test_deepseek_vl_hybrid_without_text_config_builds_llama_defaults() -> None:
    # DeepseekVLHybridConfig: text_config None -> LlamaConfig(); the SAM and SigLIP towers,
    # their neck, projection and aligner are not counted
    v, h, i, n = 32000, 4096, 11008, 32
    layer = 4 * h * h + 3 * h * i + 2 * h
    m = read_hf_config({"model_type": "deepseek_vl_hybrid"})
    assert m.param_counts().total == v * h + n * layer + h
    assert m.tie_word_embeddings  # DeepseekVLHybridConfig.tie_word_embeddings: True


def test_deepseek_vl_hybrid_reads_the_named_text_type() -> None:
    text = {"model_type": "qwen2", "vocab_size": 500, "hidden_size": 64}
    text |= {"intermediate_size": 96, "num_hidden_layers": 2, "num_attention_heads": 4}
    text |= {"num_key_value_heads": 2}
    m = read_hf_config({"model_type": "deepseek_vl_hybrid", "text_config": text})
    pc = m.param_counts()
    # Qwen2Attention: q/k/v biased (64 + 32 + 32), o_proj not
    assert pc.attention == 2 * (64 * 64 + 2 * 64 * 32 + 64 * 64 + 64 + 32 + 32)
    # K and V of 2 heads x 16 on each of the 2 layers, bf16
    assert float(kv_cache_memory(m, 100, 1, "bf16").to("B").m) == 100 * 2 * 2 * 2 * 16 * 2


def _ovis2_text(**kw: object) -> dict:
    text = {"model_type": "qwen2", "vocab_size": 300, "hidden_size": 64}
    text |= {"intermediate_size": 96, "num_hidden_layers": 2, "num_attention_heads": 4}
    text |= {"num_key_value_heads": 2}
    return text | kw


def test_ovis2_without_text_config_builds_qwen2_defaults_tied() -> None:
    # Ovis2Config: text_config None -> Qwen2Config(); tie_word_embeddings True: the head is
    # embed_tokens whatever the top-level hidden_size (1536) and vocab_size (151643) say
    v, h, i, n = 151936, 4096, 22016, 32
    layer = 4 * h * h + 3 * h + 3 * h * i + 2 * h  # q/k/v biased, o_proj not
    m = read_hf_config({"model_type": "ovis2"})
    assert m.param_counts().total == v * h + n * layer + h == 11_427_516_416


def test_ovis2_untied_head_takes_the_top_level_vocab() -> None:
    base = {"model_type": "ovis2", "text_config": _ovis2_text(), "hidden_size": 64}
    tied = read_hf_config(base | {"vocab_size": 300}).param_counts()
    # Ovis2ForConditionalGeneration.lm_head = nn.Linear(config.hidden_size, config.vocab_size)
    pc = read_hf_config(base | {"vocab_size": 250, "tie_word_embeddings": False}).param_counts()
    assert pc.embedding == 300 * 64
    assert pc.lm_head == 250 * 64
    assert pc.total - tied.total == 250 * 64


def test_ovis2_refuses_an_untied_head_of_another_width() -> None:
    raw = {"model_type": "ovis2", "text_config": _ovis2_text(), "tie_word_embeddings": False}
    # the top-level hidden_size defaults to 1536: the head cannot read 64-wide hidden states
    with pytest.raises(ConfigError, match="cannot read them"):
        read_hf_config(raw | {"vocab_size": 300})
    with pytest.raises(ConfigError, match="more rows than the text"):
        read_hf_config(raw | {"vocab_size": 301, "hidden_size": 64})


def _paddleocr_vl_flat(**kw: object) -> dict:
    raw = {"model_type": "paddleocr_vl", "vocab_size": 1000, "hidden_size": 64}
    raw |= {"intermediate_size": 96, "num_hidden_layers": 2, "num_attention_heads": 4}
    return raw | {"num_key_value_heads": 2, "head_dim": 24} | kw


def test_paddleocr_vl_without_text_config_builds_its_text_defaults() -> None:
    # PaddleOCRTextConfig(): ERNIE-4.5-0.3B's shape, head_dim 128, unbiased, tied
    v, h, i, n, heads, kv, hd = 103424, 1024, 3072, 18, 16, 2, 128
    attn = 2 * h * heads * hd + 2 * h * kv * hd
    m = read_hf_config({"model_type": "paddleocr_vl"})
    assert m.param_counts().total == v * h + n * (attn + 3 * h * i + 2 * h) + h == 360_748_032
    # K and V of 2 heads x 128 on each of the 18 layers, bf16
    assert float(kv_cache_memory(m, 10, 1, "bf16").to("B").m) == 10 * n * 2 * kv * hd * 2


def test_paddleocr_vl_flat_layout_ties_by_the_text_default() -> None:
    # PaddleOCRVLConfig builds the text config from the top-level keys other than its own
    # fields (tie_word_embeddings among them), then ties when either config does: the text
    # default (true) wins over a top-level false
    tied = read_hf_config(_paddleocr_vl_flat()).param_counts().total
    assert read_hf_config(_paddleocr_vl_flat(tie_word_embeddings=False)).param_counts().total == (
        tied
    )
    text = {k: v for k, v in _paddleocr_vl_flat().items() if k != "model_type"}
    nested = {"model_type": "paddleocr_vl", "tie_word_embeddings": False}
    untied = read_hf_config(nested | {"text_config": text | {"tie_word_embeddings": False}})
    assert untied.param_counts().total - tied == 1000 * 64


def test_paddleocr_vl_null_head_dim_is_derived() -> None:
    # PaddleOCRTextConfig.__post_init__: head_dim None -> hidden_size // num_attention_heads
    a = read_hf_config(_paddleocr_vl_flat(head_dim=None)).param_counts().attention
    b = read_hf_config(_paddleocr_vl_flat(head_dim=24)).param_counts().attention
    # q/o: 64 x (4 * w); k/v: 64 x (2 * w), two layers: w = 16 against w = 24
    assert b - a == 2 * (2 * 64 * 4 * 8 + 2 * 64 * 2 * 8)


def test_fast_vlm_without_text_config_builds_fastvlm_7b_sizes() -> None:
    # FastVlmConfig: text_config None -> Qwen2Config(hidden_size=3584, vocab_size=152128,
    # intermediate_size=18944, 28 heads, 4 KV heads, 28 layers) (init_kwargs), untied
    v, h, i, n, kv = 152128, 3584, 18944, 28, 4
    hd = h // 28
    attn = 2 * h * h + 2 * h * kv * hd + h + 2 * kv * hd  # q/k/v biased, o_proj not
    m = read_hf_config({"model_type": "fast_vlm"})
    assert m.param_counts().total == 2 * v * h + n * (attn + 3 * h * i + 2 * h) + h
    assert m.param_counts().total == 7_616_075_264


def test_fast_vlm_forwards_the_text_tie() -> None:
    text = {"model_type": "qwen2", "vocab_size": 700, "hidden_size": 64}
    text |= {"intermediate_size": 96, "num_hidden_layers": 2, "num_attention_heads": 4}
    text |= {"num_key_value_heads": 2}
    untied = read_hf_config({"model_type": "fast_vlm", "text_config": text}).param_counts()
    # FastVlmConfig.__post_init__: a false top-level flag takes text_config's true
    inner = {"model_type": "fast_vlm", "text_config": text | {"tie_word_embeddings": True}}
    assert untied.total - read_hf_config(inner).param_counts().total == 700 * 64


def test_lighton_ocr_without_text_config_builds_lightonocr_1b_sizes() -> None:
    # LightOnOcrConfig: text_config None -> Qwen3Config(hidden_size=1024, head_dim=128, 16
    # heads, 8 KV heads, 28 layers, intermediate_size=3072, vocab_size=151936), tied
    v, h, i, n, heads, kv, hd = 151936, 1024, 3072, 28, 16, 8, 128
    attn = 2 * h * heads * hd + 2 * h * kv * hd + 2 * hd  # Qwen3Attention q_norm, k_norm
    m = read_hf_config({"model_type": "lighton_ocr"})
    assert m.param_counts().total == v * h + n * (attn + 3 * h * i + 2 * h) + h == 596_049_920


def test_lighton_ocr_ties_only_by_the_top_level_flag() -> None:
    text = {"model_type": "qwen3", "vocab_size": 800, "hidden_size": 64, "head_dim": 16}
    text |= {"intermediate_size": 96, "num_hidden_layers": 2, "num_attention_heads": 4}
    text |= {"num_key_value_heads": 2}
    base = {"model_type": "lighton_ocr", "text_config": text | {"tie_word_embeddings": False}}
    # LightOnOcrConfig.tie_word_embeddings (default true) alone decides
    tied = read_hf_config(base).param_counts().total
    untied = read_hf_config(base | {"tie_word_embeddings": False}).param_counts().total
    assert untied - tied == 800 * 64


def _shieldgemma2_text(**kw: object) -> dict:
    text = {"model_type": "gemma3_text", "vocab_size": 600, "hidden_size": 64, "head_dim": 16}
    text |= {"intermediate_size": 96, "num_hidden_layers": 2, "num_attention_heads": 4}
    return text | kw


def test_shieldgemma2_without_text_config_builds_gemma3_text_defaults() -> None:
    # ShieldGemma2Config: text_config None -> Gemma3TextConfig() (Gemma 3 4B's text model)
    v, h, i, n, heads, kv, hd = 262208, 2304, 9216, 26, 8, 4, 256
    attn = 2 * h * heads * hd + 2 * h * kv * hd + 2 * hd  # q_norm, k_norm
    layer = attn + 3 * h * i + 4 * h  # four RMSNorms
    m = read_hf_config({"model_type": "shieldgemma2"})
    # tie_word_embeddings False at the top, but the text config's (default true) wins
    assert m.param_counts().total == v * h + n * layer + h == 2_628_658_432


def test_shieldgemma2_ties_where_either_config_does() -> None:
    base = {"model_type": "shieldgemma2"}
    tied = read_hf_config(base | {"text_config": _shieldgemma2_text()}).param_counts().total
    off = base | {"text_config": _shieldgemma2_text(tie_word_embeddings=False)}
    assert read_hf_config(off).param_counts().total - tied == 600 * 64
    assert read_hf_config(off | {"tie_word_embeddings": True}).param_counts().total == tied


def test_shieldgemma2_counts_the_gemma3_vision_tower() -> None:
    # AutoModelForImageTextToText builds ShieldGemma2Config as Gemma3ForConditionalGeneration
    vision = {"model_type": "siglip_vision_model", "hidden_size": 32, "intermediate_size": 48}
    vision |= {"num_hidden_layers": 1, "num_attention_heads": 2, "image_size": 32}
    vision |= {"patch_size": 8, "vision_use_head": False}
    raw = {"text_config": _shieldgemma2_text(), "vision_config": vision}
    m = read_hf_config(raw | {"model_type": "shieldgemma2"})
    g = read_hf_config(raw | {"model_type": "gemma3"})
    assert m.vision is not None and m.vision.kind == "siglip"
    assert m.param_counts().vision == g.param_counts().vision > 0


def _qwen2_5_omni_text(**kw: object) -> dict:
    text = {"model_type": "qwen2_5_omni_text", "vocab_size": 500, "hidden_size": 64}
    text |= {"intermediate_size": 96, "num_hidden_layers": 3, "num_attention_heads": 4}
    return text | {"num_key_value_heads": 2} | kw


def test_qwen2_5_omni_thinker_without_text_config_builds_its_text_defaults() -> None:
    # Qwen2_5OmniThinkerConfig: text_config None -> Qwen2_5OmniTextConfig() (Qwen2.5-Omni-7B)
    v, h, i, n, kv, hd = 152064, 3584, 18944, 28, 4, 128
    attn = 2 * h * h + 2 * h * kv * hd + h + 2 * kv * hd  # q/k/v biased, o_proj not
    m = read_hf_config({"model_type": "qwen2_5_omni_thinker"})
    # the thinker's tie_word_embeddings (default false) decides, not the text config's (true)
    assert m.param_counts().total == 2 * v * h + n * (attn + 3 * h * i + 2 * h) + h
    assert m.param_counts().total == 7_615_616_512


def test_qwen2_5_omni_thinker_slides_from_max_window_layers() -> None:
    text = _qwen2_5_omni_text(use_sliding_window=True, sliding_window=32, max_window_layers=1)
    m = read_hf_config({"model_type": "qwen2_5_omni_thinker", "text_config": text})
    # Qwen2_5OmniTextConfig.__post_init__: sliding where i >= max_window_layers
    assert m.layer_types == ("full", "sliding", "sliding")
    assert m.sliding_window == 32
    off = read_hf_config(
        {"model_type": "qwen2_5_omni_thinker", "text_config": _qwen2_5_omni_text()}
    )
    assert off.layer_types == ("full",) * 3


def test_qwen2_5_omni_thinker_refuses_a_null_head_dim() -> None:
    raw = {"model_type": "qwen2_5_omni_thinker", "text_config": _qwen2_5_omni_text(head_dim=None)}
    with pytest.raises(ConfigError, match="head_dim' is null"):
        read_hf_config(raw)


def test_got_ocr2_without_text_config_builds_got_ocr_2_sizes() -> None:
    # GotOcr2Config: text_config None -> Qwen2Config(vocab_size=151860, hidden_size=1024,
    # intermediate_size=2816, 24 layers, 16 heads and KV heads) (init_kwargs), tied
    v, h, i, n = 151860, 1024, 2816, 24
    layer = 4 * h * h + 3 * h + 3 * h * i + 2 * h  # q/k/v biased, o_proj not
    m = read_hf_config({"model_type": "got_ocr2"})
    assert m.param_counts().total == v * h + n * layer + h == 463_909_888
    assert m.layer_types == ("full",) * n  # use_sliding_window False


def test_pp_chart2table_is_got_ocr_2_by_another_name() -> None:
    # PPChart2TableConfig: built as GotOcr2ForConditionalGeneration, with GotOcr2Config's
    # Qwen2Config(...) init_kwargs: the count worked above for GOT-OCR 2
    v, h, i, n = 151860, 1024, 2816, 24
    layer = 4 * h * h + 3 * h + 3 * h * i + 2 * h
    m = read_hf_config({"model_type": "pp_chart2table"})
    assert m.param_counts().total == v * h + n * layer + h
    assert m.tie_word_embeddings


def test_got_ocr2_ties_only_by_the_top_level_flag() -> None:
    text = {"model_type": "qwen2", "vocab_size": 900, "hidden_size": 64}
    text |= {"intermediate_size": 96, "num_hidden_layers": 2, "num_attention_heads": 4}
    text |= {"num_key_value_heads": 2}
    base = {"model_type": "got_ocr2", "text_config": text | {"tie_word_embeddings": False}}
    tied = read_hf_config(base).param_counts().total
    untied = read_hf_config(base | {"tie_word_embeddings": False}).param_counts().total
    assert untied - tied == 900 * 64


def test_aria_without_text_config_builds_aria_text_defaults() -> None:
    # AriaConfig: text_config None -> AriaTextConfig(): 32 layers of 4096, 32 heads of 128
    # (MHA), 8 experts of 4096 (top 2), 2 shared (one MLP of 8192), vocab 32000, untied
    v, h, i, n, e = 32000, 4096, 4096, 32, 8
    layer = 4 * h * h + e * h + e * 3 * h * i + 3 * h * 2 * i + 2 * h
    m = read_hf_config({"model_type": "aria"})
    pc = m.param_counts()
    assert pc.total == 2 * v * h + n * layer + h == 18_517_069_824
    assert pc.total - pc.active == n * (e - 2) * 3 * h * i
    assert m.vision is None


def test_vipllava_without_text_config_builds_llama_defaults() -> None:
    v, h, i, n = 32000, 4096, 11008, 32  # LlamaConfig(): 32 heads of 128, MHA
    m = read_hf_config({"model_type": "vipllava"})
    assert m.param_counts().total == 2 * v * h + n * (4 * h * h + 3 * h * i + 2 * h) + h
    # VipLlavaConfig has no __post_init__ forwarding text_config.tie_word_embeddings
    tied_inner = {"model_type": "vipllava", "text_config": {"tie_word_embeddings": True}}
    assert read_hf_config(tied_inner).param_counts().total == m.param_counts().total
    tied = read_hf_config({"model_type": "vipllava", "tie_word_embeddings": True})
    assert m.param_counts().total - tied.param_counts().total == v * h


def test_video_llava_reads_its_text_config_as_llama() -> None:
    text = {"vocab_size": 500, "hidden_size": 64, "intermediate_size": 96}
    text |= {"num_hidden_layers": 3, "num_attention_heads": 4, "num_key_value_heads": 2}
    m = read_hf_config({"model_type": "video_llava", "text_config": text})
    # LlamaModel as language_model: q/o 64 x 64, k/v 64 x 32, gated MLP, two RMSNorms
    layer = 2 * 64 * 64 + 2 * 64 * 32 + 3 * 64 * 96 + 2 * 64
    assert m.param_counts().total == 2 * 500 * 64 + 3 * layer + 64
    # VideoLlavaConfig ties only by its own tie_word_embeddings (default false)
    inner = {"model_type": "video_llava", "text_config": text | {"tie_word_embeddings": True}}
    assert read_hf_config(inner).param_counts().total == m.param_counts().total
    assert float(kv_cache_memory(m, 10, 1, "bf16").to("B").m) == 10 * 3 * 2 * 2 * 16 * 2


def _perception_lm_cfg(text_tie: bool | None, top: object = "absent") -> dict[str, object]:
    text = {"model_type": "llama", "vocab_size": 1000, "hidden_size": 64}
    text |= {"intermediate_size": 96, "num_hidden_layers": 2, "num_attention_heads": 4}
    if text_tie is not None:
        text["tie_word_embeddings"] = text_tie
    cfg: dict[str, object] = {"model_type": "perception_lm", "text_config": text}
    if top != "absent":
        cfg["tie_word_embeddings"] = top
    return cfg


def test_perception_lm_unset_tie_takes_the_text_configs() -> None:
    untied = read_hf_config(_perception_lm_cfg(None)).param_counts().total
    # PerceptionLMConfig: tie_word_embeddings None -> text_config.tie_word_embeddings
    for top in ("absent", None):
        tied = read_hf_config(_perception_lm_cfg(True, top)).param_counts().total
        assert untied - tied == 1000 * 64
    # a top-level false wins over the text config's true
    assert read_hf_config(_perception_lm_cfg(True, False)).param_counts().total == untied


def test_perception_lm_without_text_config_builds_llama_defaults() -> None:
    v, h, i, n = 32000, 4096, 11008, 32  # LlamaConfig(): 32 heads of 128, MHA
    m = read_hf_config({"model_type": "perception_lm"})
    assert m.param_counts().total == 2 * v * h + n * (4 * h * h + 3 * h * i + 2 * h) + h
    assert m.vision is None


def test_idefics2_without_text_config_builds_mistral_with_its_kwargs() -> None:
    # Idefics2Config: text_config None -> MistralConfig(max_position_embeddings=32768, ...):
    # 32 layers of 4096, 32 heads and 8 KV heads of 128, FFN 14336, vocab 32000, untied
    v, h, i, n, kv = 32000, 4096, 14336, 32, 8
    attn = 2 * h * h + 2 * h * kv * 128
    m = read_hf_config({"model_type": "idefics2"})
    assert m.param_counts().total == 2 * v * h + n * (attn + 3 * h * i + 2 * h) + h
    assert m.max_position_embeddings == 32768
    # MistralConfig: sliding_window 4096 on every layer
    assert set(m.layer_types) == {"sliding"}
    assert m.sliding_window == 4096


def test_janus_ties_its_head_by_default() -> None:
    # JanusConfig: text_config None -> LlamaConfig(); tie_word_embeddings defaults to true
    # (the top-level flag: JanusForConditionalGeneration._tied_weights_keys)
    v, h, i, n = 32000, 4096, 11008, 32
    m = read_hf_config({"model_type": "janus"})
    assert m.tie_word_embeddings
    assert m.param_counts().total == v * h + n * (4 * h * h + 3 * h * i + 2 * h) + h
    untied = read_hf_config({"model_type": "janus", "tie_word_embeddings": False})
    assert untied.param_counts().total - m.param_counts().total == v * h


def test_janus_ignores_a_text_config_tie() -> None:
    text = {"model_type": "llama", "vocab_size": 500, "hidden_size": 64}
    text |= {"intermediate_size": 96, "num_hidden_layers": 2, "num_attention_heads": 4}
    tied = read_hf_config({"model_type": "janus", "text_config": text}).param_counts().total
    inner = {"model_type": "janus", "text_config": text | {"tie_word_embeddings": False}}
    assert read_hf_config(inner).param_counts().total == tied


def _fuyu_flat(**kw: object) -> dict[str, object]:
    cfg = {"model_type": "fuyu", "vocab_size": 300, "hidden_size": 64}
    return cfg | {"intermediate_size": 96, "num_hidden_layers": 2, "num_attention_heads": 4} | kw


def test_fuyu_flat_config_is_a_persimmon_decoder() -> None:
    v, h, i, n, hd = 300, 64, 96, 2, 16
    # PersimmonDecoderLayer: query_key_value and dense biased, q/k LayerNorms of one head
    # (weight and bias), dense_h_to_4h / dense_4h_to_h biased, two biased LayerNorms
    layer = (3 * h * h + 3 * h) + (h * h + h) + 4 * hd + (2 * h * i + i + h) + 4 * h
    m = read_hf_config(_fuyu_flat())
    # FuyuForCausalLM: lm_head untied (FuyuConfig default), final LayerNorm with bias
    assert m.param_counts().total == 2 * v * h + n * layer + 2 * h
    tied = read_hf_config(_fuyu_flat(tie_word_embeddings=True)).param_counts().total
    assert m.param_counts().total - tied == v * h


def test_fuyu_without_text_keys_builds_fuyu_8b() -> None:
    # FuyuConfig: no text key -> PersimmonConfig(**init_kwargs): 36 layers of 4096, 64 heads,
    # FFN 16384, vocab 262144, qk_layernorm
    v, h, i, n, hd = 262144, 4096, 16384, 36, 64
    layer = (3 * h * h + 3 * h) + (h * h + h) + 4 * hd + (2 * h * i + i + h) + 4 * h
    m = read_hf_config({"model_type": "fuyu"})
    assert m.param_counts().total == 2 * v * h + n * layer + 2 * h == 9_397_175_296


def test_fuyu_flat_layout_keeps_half_rotary() -> None:
    # FuyuConfig.__post_init__ pops only its text keys and sets partial_rotary_factor 0.5:
    # a top-level partial_rotary_factor does not reach PersimmonConfig
    m = read_hf_config(_fuyu_flat(partial_rotary_factor=0.25))
    assert m.rope_dim == 8
    nested = {"model_type": "fuyu", "text_config": _fuyu_flat(partial_rotary_factor=0.25)}
    nested["text_config"] |= {"model_type": "persimmon"}
    assert read_hf_config(nested).rope_dim == 4


def test_chameleon_class_default_counts_qk_layernorms_with_bias() -> None:
    # ChameleonConfig: 32 layers of 4096, 32 heads and 32 KV heads of 128, FFN 11008,
    # vocab 65536, head untied
    v, h, i, n = 65536, 4096, 11008, 32
    # ChameleonAttention: q/k/v/o unbiased; q_norm / k_norm ChameleonLayerNorm((32, 128)):
    # a weight and a bias of 32 x 128 each
    attn = 4 * h * h + 2 * h + 2 * h
    layer = attn + 3 * h * i + 2 * h  # ChameleonMLP, two RMSNorms
    m = read_hf_config({"model_type": "chameleon"})
    assert m.param_counts().total == 2 * v * h + n * layer + h == 7_013_666_816
    # every layer full attention: K and V of 32 x 128
    assert float(kv_cache_memory(m, 10, 1, "bf16").to("B").m) == 10 * n * 2 * h * 2


def _chameleon_cfg(**kw: object) -> dict[str, object]:
    cfg = {"model_type": "chameleon", "vocab_size": 500, "hidden_size": 64}
    cfg |= {"intermediate_size": 96, "num_hidden_layers": 2, "num_attention_heads": 4}
    return cfg | {"num_key_value_heads": 4} | kw


def test_chameleon_key_norm_follows_the_kv_heads() -> None:
    mha = read_hf_config(_chameleon_cfg()).param_counts()
    gqa = read_hf_config(_chameleon_cfg(num_key_value_heads=1)).param_counts()
    # heads of 16: k_proj and v_proj lose 3 heads (64 x 48 each), k_norm 3 heads of weight
    # and bias, on each of the 2 layers
    assert mha.total - gqa.total == 2 * (2 * 64 * 48 + 2 * 48)
    # attention_bias biases q, k, v and o; mlp_bias gate, up and down
    biased = read_hf_config(_chameleon_cfg(attention_bias=True, mlp_bias=True)).param_counts()
    assert biased.total - mha.total == 2 * (4 * 64 + 2 * 96 + 64)


def test_chameleon_refuses_heads_not_dividing_the_width() -> None:
    # ChameleonAttention: "hidden_size must be divisible by num_heads"
    with pytest.raises(ConfigError, match="does not divide"):
        read_hf_config(_chameleon_cfg(hidden_size=66))


def test_muse_spark_class_default_is_820b_a46b() -> None:
    v, h, n, heads, kv, hd = 202048, 8192, 62, 128, 16, 64
    e, k, inter, pool = 256, 8, 4096, 4096
    # MuseSparkTextAttention: q, o and the gate_proj output gate (hidden x heads x hd), k, v
    attn = 3 * h * heads * hd + 2 * h * kv * hd
    # MuseSparkMoE: router, pre/post_expert_proj (h <-> moe_hidden_size), pre_expert_norm and
    # the experts' one post_expert_norm, e gated experts at moe_hidden_size
    moe = e * h + 2 * h * pool + 2 * pool + e * 3 * pool * inter
    # three weighted norms and two MuseSparkResidualGate vectors a layer; untied head
    total = 2 * v * h + n * (attn + 5 * h + moe) + h
    m = read_hf_config({"model_type": "muse_spark"})
    pc = m.param_counts()
    assert pc.total == total == 819_990_536_192
    assert pc.active == total - n * (e - k) * 3 * pool * inter == 46_091_116_544
    # full attention on every 4th layer counted back from the last (16), sliding elsewhere
    assert m.layer_types.count("full") == 16 and m.sliding_window == 2048
    # past the window only the 16 full layers grow: K and V of 16 heads x 64
    grow = kv_cache_memory(m, 20_000, 1, "bf16") - kv_cache_memory(m, 10_000, 1, "bf16")
    assert float(grow.to("B").m) == 10_000 * 16 * 2 * kv * hd * 2


def _muse_spark_small(**text: object) -> dict[str, object]:
    base = {"vocab_size": 300, "hidden_size": 64, "intermediate_size": 96}
    base |= {"num_hidden_layers": 4, "num_attention_heads": 4, "num_key_value_heads": 2}
    base |= {"head_dim": 16, "num_local_experts": 4, "num_experts_per_tok": 2}
    base |= {"moe_intermediate_size": 32, "moe_hidden_size": 48}
    base |= {"mlp_layer_types": ["dense", "sparse", "sparse", "dense"]}
    return {"model_type": "muse_spark", "text_config": base | text}


def test_muse_spark_experts_run_at_moe_hidden_size_and_the_head_is_never_tied() -> None:
    narrow = read_hf_config(_muse_spark_small()).param_counts()
    wide = read_hf_config(_muse_spark_small(moe_hidden_size=80)).param_counts()
    # per sparse layer: pre/post_expert_proj (2 x 64 x 32 more), 4 experts' gate, up and down
    # (3 x 32 x 32 more each) and the two latent-width norms (2 x 32 more)
    assert wide.total - narrow.total == 2 * (2 * 64 * 32 + 4 * 3 * 32 * 32 + 2 * 32)
    assert wide.routed_experts - narrow.routed_experts == 2 * 4 * 3 * 32 * 32
    # MuseSparkForConditionalGeneration has no _tied_weights_keys
    for cfg in (_muse_spark_small(tie_word_embeddings=True), _muse_spark_small()):
        cfg["tie_word_embeddings"] = True
        assert read_hf_config(cfg).param_counts().lm_head == 300 * 64


def test_muse_spark_refuses_heads_not_dividing_hidden_unknown_mlp_kinds_and_no_window() -> None:
    with pytest.raises(ConfigError, match="does not divide"):
        read_hf_config(_muse_spark_small(num_attention_heads=3, num_key_value_heads=1))
    with pytest.raises(ConfigError, match="mlp_layer_types"):
        read_hf_config(_muse_spark_small(mlp_layer_types=["moe"] * 4))
    # MuseSparkTextModel.forward always builds a sliding-window mask
    with pytest.raises(ConfigError, match="sliding_window"):
        read_hf_config(_muse_spark_small(sliding_window=None))


def test_qwen2_5_omni_reads_the_thinker_language_model() -> None:
    # Qwen2_5OmniConfig: thinker_config None -> Qwen2_5OmniThinkerConfig(), whose text_config
    # None -> Qwen2_5OmniTextConfig() (Qwen2.5-Omni-7B's thinker: 28 layers of 3584, 28 heads,
    # 4 KV heads of 128, q/k/v biased, untied head of 152064)
    v, h, i, n, kv, hd = 152064, 3584, 18944, 28, 4, 128
    attn = 2 * h * h + 2 * h * kv * hd + h + 2 * kv * hd
    m = read_hf_config({"model_type": "qwen2_5_omni"})
    assert m.model_type == "qwen2_5_omni"
    assert m.param_counts().total == 2 * v * h + n * (attn + 3 * h * i + 2 * h) + h
    # the talker and token2wav (enable_audio_output) are not counted
    assert any("only its thinker" in a for a in m.assumed)


def test_qwen2_5_omni_ties_by_the_thinker_config_only() -> None:
    text = {"vocab_size": 500, "hidden_size": 64, "intermediate_size": 96}
    text |= {"num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2}
    # Qwen2_5OmniThinkerForConditionalGeneration._tied_weights_keys: lm_head to embed_tokens,
    # by the thinker config's tie_word_embeddings (default false)
    untied = read_hf_config(
        {
            "model_type": "qwen2_5_omni",
            "tie_word_embeddings": True,
            "thinker_config": {"text_config": text | {"tie_word_embeddings": True}},
        }
    )
    tied = read_hf_config(
        {
            "model_type": "qwen2_5_omni",
            "thinker_config": {"text_config": text, "tie_word_embeddings": True},
        }
    )
    assert untied.param_counts().total - tied.param_counts().total == 500 * 64


def test_qwen2_5_omni_refuses_a_thinker_config_that_is_no_object() -> None:
    with pytest.raises(ConfigError, match="thinker_config"):
        read_hf_config({"model_type": "qwen2_5_omni", "thinker_config": []})


def _hy_v4_vl_text(**kw: object) -> dict:
    text = {"model_type": "hy_v4_vl_text", "vocab_size": 512, "pad_token_id": 0}
    text |= {"hidden_size": 64, "intermediate_size": 96, "moe_intermediate_size": 32}
    text |= {"num_hidden_layers": 3, "num_attention_heads": 4, "q_lora_rank": 32}
    text |= {"kv_lora_rank": 16, "qk_nope_head_dim": 8, "qk_rope_head_dim": 8, "v_head_dim": 12}
    text |= {"n_routed_experts": 4, "num_experts_per_tok": 2, "index_n_heads": 2}
    text |= {"index_head_dim": 16, "index_topk": 8, "hc_mult": 2}
    # HYV4VLTextConfig.validate_architecture: sum(mrope_section) == qk_rope_head_dim // 2
    text["rope_parameters"] = {"rope_type": "default", "mrope_section": [2, 1, 1]}
    return text | kw


def test_hy_v4_vl_reads_hy_v4_layers_and_ties_by_the_top_level_config() -> None:
    text = _hy_v4_vl_text()
    hy_v4 = {k: v for k, v in text.items() if k != "rope_parameters"} | {"model_type": "hy_v4"}
    vl = read_hf_config({"model_type": "hy_v4_vl", "text_config": text})
    # HYV4VLTextModel is HYV4Model; HYV4VLConfig.tie_word_embeddings defaults to false
    assert vl.param_counts().total == read_hf_config(hy_v4).param_counts().total
    # the head sits in HYV4VLForConditionalGeneration: only the top-level flag ties it
    inner = read_hf_config(
        {"model_type": "hy_v4_vl", "text_config": _hy_v4_vl_text(tie_word_embeddings=True)}
    )
    tied = read_hf_config(
        {"model_type": "hy_v4_vl", "text_config": text, "tie_word_embeddings": True}
    )
    assert inner.param_counts().total == vl.param_counts().total
    assert vl.param_counts().total - tied.param_counts().total == 512 * 64


def test_hy_v4_vl_without_text_config_builds_its_text_defaults() -> None:
    # HYV4VLConfig: text_config None -> HYV4VLTextConfig() (6144 wide, 78 layers, 64 heads)
    m = read_hf_config({"model_type": "hy_v4_vl"})
    assert (m.hidden_size, m.num_layers, m.num_heads) == (6144, 78, 64)
    assert m.tie_word_embeddings is False


def test_hy_v4_vl_refuses_an_mrope_section_that_does_not_fit_the_rope_width() -> None:
    # the default [12, 10, 10] sums to 32 = 64 // 2, not qk_rope_head_dim 8 // 2
    text = _hy_v4_vl_text()
    del text["rope_parameters"]
    with pytest.raises(ConfigError, match="mrope_section"):
        read_hf_config({"model_type": "hy_v4_vl", "text_config": text})


def _muse_glimmer_text(**kw: object) -> dict:
    text = {"vocab_size": 500, "hidden_size": 64, "intermediate_size": 96}
    text |= {"num_hidden_layers": 5, "num_attention_heads": 4, "num_key_value_heads": 2}
    return text | {"head_dim": 16, "sliding_window": 8} | kw


def test_muse_glimmer_counts_the_gate_and_four_norms() -> None:
    # MuseGlimmerTextAttention: q 64x64, k/v 32x64 each, o 64x64 and gate_proj 64x64 (the
    # qk_norm is weightless); gated MLP of 96; four centered RMSNorms a layer; the embedding's
    # norm is weightless, the final norm weighted; the head untied
    v, h, n = 500, 64, 5
    attn = 3 * h * 64 + 2 * h * 32
    m = read_hf_config({"model_type": "muse_glimmer", "text_config": _muse_glimmer_text()})
    assert m.param_counts().total == 2 * v * h + n * (attn + 3 * h * 96 + 4 * h) + h
    # MuseGlimmerTextConfig.__post_init__: full where (n - 1 - i) % 4 == 0
    assert m.layer_types == ("full", "sliding", "sliding", "sliding", "full")


def test_muse_glimmer_ties_only_where_the_top_level_config_says_so() -> None:
    # MuseGlimmerConfig has no tie_word_embeddings field; the text config's flag is ignored
    inner = read_hf_config(
        {"model_type": "muse_glimmer", "text_config": _muse_glimmer_text(tie_word_embeddings=True)}
    )
    tied = read_hf_config(
        {
            "model_type": "muse_glimmer",
            "text_config": _muse_glimmer_text(),
            "tie_word_embeddings": True,
        }
    )
    assert inner.tie_word_embeddings is False
    assert inner.param_counts().total - tied.param_counts().total == 500 * 64


def test_muse_glimmer_refuses_heads_that_do_not_divide_the_width() -> None:
    # MuseGlimmerTextConfig.validate_architecture, although head_dim is given
    text = _muse_glimmer_text(num_attention_heads=3, num_key_value_heads=1)
    with pytest.raises(ConfigError, match="does not divide"):
        read_hf_config({"model_type": "muse_glimmer", "text_config": text})


def _deepseek_ocr2_text(**kw: object) -> dict:
    text = {"vocab_size": 500, "hidden_size": 64, "intermediate_size": 96}
    text |= {"num_hidden_layers": 3, "num_attention_heads": 4, "moe_intermediate_size": 32}
    text |= {"n_routed_experts": 4, "num_experts_per_tok": 2}
    text["mlp_layer_types"] = ["dense", "sparse", "sparse"]
    return text | kw


def test_deepseek_ocr2_counts_gqa_layers_and_deepseek_v2_moe() -> None:
    # DeepseekOcr2TextAttention (LlamaAttention): MHA of 4 x 16, unbiased; layer 0 a gated
    # MLP of 96; layers 1-2 DeepseekOcr2TextMoe: 4 experts of 32, the 2 default shared
    # experts as one MLP of 64, a 4 x 64 router; untied head (DeepseekOcr2Config default)
    v, h, n = 500, 64, 3
    attn, dense = 4 * h * h, 3 * h * 96
    routed, shared, router = 4 * 3 * h * 32, 3 * h * 64, 4 * h
    total = 2 * v * h + n * attn + dense + 2 * (routed + shared + router) + n * 2 * h + h
    m = read_hf_config({"model_type": "deepseek_ocr2", "text_config": _deepseek_ocr2_text()})
    assert m.param_counts().total == total
    # top-2 of 4: two experts of 3 x 64 x 32 idle on each MoE layer
    assert m.param_counts().active == total - 2 * 2 * 3 * h * 32
    # DeepseekOcr2TextConfig.__post_init__: head_dim = hidden_size // heads, the key ignored
    other = read_hf_config(
        {"model_type": "deepseek_ocr2", "text_config": _deepseek_ocr2_text(head_dim=8)}
    )
    assert other.param_counts().total == total


def test_deepseek_ocr2_refuses_a_missing_top_k() -> None:
    # DeepseekOcr2TextConfig.num_experts_per_tok defaults to None: torch.topk cannot run
    text = _deepseek_ocr2_text()
    del text["num_experts_per_tok"]
    with pytest.raises(ConfigError, match="num_experts_per_tok"):
        read_hf_config({"model_type": "deepseek_ocr2", "text_config": text})
    # all dense: no router, so no top-k needed
    text["mlp_layer_types"] = ["dense"] * 3
    assert read_hf_config({"model_type": "deepseek_ocr2", "text_config": text}).moe is None


def test_deepseek_ocr2_refuses_a_missing_mlp_layer_types() -> None:
    # DeepseekOcr2TextConfig fills no default list; the decoder layer indexes it
    text = _deepseek_ocr2_text()
    del text["mlp_layer_types"]
    with pytest.raises(ConfigError, match="mlp_layer_types"):
        read_hf_config({"model_type": "deepseek_ocr2", "text_config": text})


# Wrappers whose head ties by the top-level flag only, or also where the text config ties
# (VideoLlama3Config / GlmOcrConfig ``__post_init__`` forward text_config's flag; the
# others' configs have no such forwarding): (wrapper, text model_type, extra text keys)
_TIE_BY_TOP_LEVEL = (
    ("cosmos3_omni", "qwen3_vl_text", {"num_key_value_heads": 2}),
    ("glmga", "glm4v_text", {}),
    ("qianfan_ocr", "qwen3", {"head_dim": 16, "num_key_value_heads": 2}),
    ("aria", "aria_text", {"intermediate_size": 32}),
    ("idefics2", "mistral", {"num_key_value_heads": 2}),
)
_TIE_BY_EITHER = (
    ("video_llama_3", "qwen2", {"num_key_value_heads": 2}),
    ("glm_ocr", "glm_ocr_text", {"num_key_value_heads": 2}),
)


@pytest.mark.parametrize(
    ("wrapper", "text_type", "extra", "either"),
    [(*t, False) for t in _TIE_BY_TOP_LEVEL] + [(*t, True) for t in _TIE_BY_EITHER],
    ids=[t[0] for t in _TIE_BY_TOP_LEVEL + _TIE_BY_EITHER],
)
def test_wrapper_head_ties_by_its_config_rule(
    wrapper: str, text_type: str, extra: dict, either: bool
) -> None:
    # a 1000 x 64 head: tying it removes exactly one copy
    text = {"model_type": text_type, "vocab_size": 1000, "hidden_size": 64}
    text |= {"intermediate_size": 96, "num_hidden_layers": 2, "num_attention_heads": 4}
    base = {"model_type": wrapper, "text_config": text | extra}
    untied = read_hf_config(base).param_counts().total
    inner = base | {"text_config": base["text_config"] | {"tie_word_embeddings": True}}
    by_text = untied - read_hf_config(inner).param_counts().total
    assert by_text == (1000 * 64 if either else 0)
    tied = read_hf_config(base | {"tie_word_embeddings": True}).param_counts().total
    assert untied - tied == 1000 * 64


def test_qwen2_audio_class_default_is_qwen2_7b_with_its_own_head() -> None:
    # Qwen2AudioConfig: text_config None -> Qwen2Config() (q/k/v biased, o_proj not, MHA)
    v, h, i, n = 151936, 4096, 22016, 32
    attn = 4 * h * h + 3 * h
    m = read_hf_config({"model_type": "qwen2_audio"})
    # Qwen2AudioForConditionalGeneration.lm_head: its own v x h matrix
    assert m.param_counts().total == 2 * v * h + n * (attn + 3 * h * i + 2 * h) + h
    assert m.param_counts().total == 12_049_846_272
    # every layer full attention: K and V of 32 heads x 128 per token per layer
    grow = kv_cache_memory(m, 2000, 1, "bf16") - kv_cache_memory(m, 1000, 1, "bf16")
    assert grow.magnitude == 1000 * n * 2 * 32 * 128 * 2


def test_qwen2_audio_never_ties_its_head() -> None:
    text = {"model_type": "qwen2", "vocab_size": 500, "hidden_size": 64, "num_hidden_layers": 2}
    text |= {"intermediate_size": 96, "num_attention_heads": 4, "num_key_value_heads": 2}
    base = read_hf_config({"model_type": "qwen2_audio", "text_config": text})
    # no _tied_weights_keys: tie_word_embeddings at either level leaves the head its own
    for raw in (
        {"text_config": text | {"tie_word_embeddings": True}},
        {"text_config": text, "tie_word_embeddings": True},
    ):
        m = read_hf_config({"model_type": "qwen2_audio", **raw})
        assert not m.tie_word_embeddings
        assert m.param_counts().total == base.param_counts().total
    assert base.param_counts().lm_head == 500 * 64


def test_voxtral_class_default_is_voxtral_mini_3b() -> None:
    # VoxtralConfig: LlamaConfig(vocab 131072, hidden 3072, 30 layers, 8 KV heads, head_dim
    # 128, intermediate 8192) and LlamaConfig's 32 query heads: q is 4096 wide
    v, h, i, n, q, kv = 131072, 3072, 8192, 30, 32 * 128, 8 * 128
    attn = 2 * h * q + 2 * h * kv
    m = read_hf_config({"model_type": "voxtral"})
    # VoxtralForConditionalGeneration.lm_head: untied (no _tied_weights_keys)
    assert m.param_counts().total == 2 * v * h + n * (attn + 3 * h * i + 2 * h) + h
    assert m.param_counts().total == 4_014_136_320


def test_voxtral_lays_a_sparse_text_config_over_its_own_sizes() -> None:
    # VoxtralConfig.__post_init__: {**init_kwargs, **text_config}: only the layer count differs
    m = read_hf_config({"model_type": "voxtral", "text_config": {"num_hidden_layers": 2}})
    full = read_hf_config({"model_type": "voxtral"})
    per_layer = 2 * 3072 * 4096 + 2 * 3072 * 1024 + 3 * 3072 * 8192 + 2 * 3072
    assert full.param_counts().total - m.param_counts().total == 28 * per_layer
    assert (m.vocab_size, m.hidden_size, m.head_dim) == (131072, 3072, 128)
    # a top-level tie_word_embeddings does not tie the head either
    tied = read_hf_config(
        {
            "model_type": "voxtral",
            "text_config": {"num_hidden_layers": 2},
            "tie_word_embeddings": True,
        }
    )
    assert tied.param_counts().total == m.param_counts().total


def test_voxtral_realtime_class_default_is_voxtral_mini_4b_realtime() -> None:
    # VoxtralRealtimeConfig's text defaults: vocab 131072, hidden 3072, 26 layers, 32 heads of
    # 128, 8 KV heads, intermediate 9216, window 8192 on every layer, head tied (top level)
    v, h, i, n = 131072, 3072, 9216, 26
    attn = 2 * h * 32 * 128 + 2 * h * 8 * 128
    ada = 2 * 32 * h  # VoxtralRealtimeTextAdaRmsNorm: linear1 h -> 32, linear2 32 -> h
    m = read_hf_config({"model_type": "voxtral_realtime"})
    assert m.param_counts().total == v * h + n * (attn + 3 * h * i + 2 * h + ada) + h
    assert m.param_counts().total == 3_434_118_144
    assert m.layer_types == ("sliding",) * n and m.sliding_window == 8192
    # past the window no layer grows
    assert kv_cache_memory(m, 20_000, 1, "bf16") == kv_cache_memory(m, 10_000, 1, "bf16")


def test_voxtral_realtime_ada_norm_is_64_hidden_per_layer() -> None:
    text = {"vocab_size": 500, "hidden_size": 64, "intermediate_size": 96, "head_dim": 16}
    text |= {"num_attention_heads": 4, "num_key_value_heads": 2, "sliding_window": None}
    small = {"model_type": "voxtral_realtime", "text_config": text | {"num_hidden_layers": 2}}
    big = {"model_type": "voxtral_realtime", "text_config": text | {"num_hidden_layers": 3}}
    per_layer = 2 * 64 * 64 + 2 * 64 * 32 + 3 * 64 * 96 + 2 * 64 + 2 * 32 * 64
    diff = read_hf_config(big).param_counts().total - read_hf_config(small).param_counts().total
    assert diff == per_layer
    # sliding_window null: every layer attends fully
    assert read_hf_config(small).layer_types == ("full", "full")


def test_granite_speech_class_default_is_granite_config_tied() -> None:
    # GraniteSpeechConfig: text_config None -> GraniteConfig() (MHA, unbiased); the head is
    # tied by the top-level tie_word_embeddings (default true), not GraniteConfig's (false)
    v, h, i, n = 32000, 4096, 11008, 32
    m = read_hf_config({"model_type": "granite_speech"})
    assert m.param_counts().total == v * h + n * (4 * h * h + 3 * h * i + 2 * h) + h
    assert m.param_counts().total == 6_607_343_616


def test_granite_speech_ties_by_the_top_level_flag_only() -> None:
    text = {"model_type": "granite", "vocab_size": 500, "hidden_size": 64, "num_hidden_layers": 2}
    text |= {"intermediate_size": 96, "num_attention_heads": 4, "num_key_value_heads": 2}
    tied = read_hf_config({"model_type": "granite_speech", "text_config": text})
    untied = read_hf_config(
        {
            "model_type": "granite_speech",
            "text_config": text | {"tie_word_embeddings": True},
            "tie_word_embeddings": False,
        }
    )
    assert untied.param_counts().total - tied.param_counts().total == 500 * 64


def test_granite_speech_plus_class_default_is_granite_config_tied() -> None:
    # GraniteSpeechPlusConfig: GraniteSpeechConfig's text side (GraniteConfig(), tied)
    v, h, i, n = 32000, 4096, 11008, 32
    m = read_hf_config({"model_type": "granite_speech_plus"})
    assert m.param_counts().total == v * h + n * (4 * h * h + 3 * h * i + 2 * h) + h
    untied = read_hf_config({"model_type": "granite_speech_plus", "tie_word_embeddings": False})
    assert untied.param_counts().total - m.param_counts().total == v * h


def test_glmasr_class_default_is_glm_asr_nano() -> None:
    # GlmAsrConfig: LlamaConfig(vocab 59264, hidden 2048, 28 layers, 16 heads, 4 KV heads,
    # intermediate 6144), head tied by the top-level tie_word_embeddings (default true)
    v, h, i, n, kv = 59264, 2048, 6144, 28, 4 * 128
    m = read_hf_config({"model_type": "glmasr"})
    assert m.param_counts().total == v * h + n * (2 * h * h + 2 * h * kv + 3 * h * i + 2 * h) + h
    assert m.param_counts().total == 1_472_055_296
    grow = kv_cache_memory(m, 2000, 1, "bf16") - kv_cache_memory(m, 1000, 1, "bf16")
    assert grow.magnitude == 1000 * n * 2 * kv * 2


def test_glmasr_lays_a_sparse_text_config_over_its_own_sizes() -> None:
    # GlmAsrConfig.__post_init__ merges the init_kwargs under the given keys
    m = read_hf_config({"model_type": "glmasr", "text_config": {"num_key_value_heads": 16}})
    assert (m.vocab_size, m.hidden_size, m.num_layers, m.num_kv_heads) == (59264, 2048, 28, 16)
    with pytest.raises(ConfigError, match="must divide"):
        read_hf_config({"model_type": "glmasr", "text_config": {"num_key_value_heads": 3}})


def test_qwen3_asr_class_default_is_qwen3_asr_1_7b() -> None:
    # Qwen3ASRConfig: Qwen3Config(hidden 2048, 28 layers, 16 heads of 128, 8 KV heads,
    # intermediate 6144), Qwen3's vocabulary (151936), q/k norms, head tied (top level)
    v, h, i, n, hd = 151936, 2048, 6144, 28, 128
    attn = 2 * h * 16 * hd + 2 * h * 8 * hd + 2 * hd
    m = read_hf_config({"model_type": "qwen3_asr"})
    assert m.param_counts().total == v * h + n * (attn + 3 * h * i + 2 * h) + h
    assert m.param_counts().total == 1_720_574_976


def test_qwen3_asr_given_text_config_takes_qwen3_defaults() -> None:
    # no merge: a given text_config is Qwen3Config(**text_config); the top level ties
    m = read_hf_config({"model_type": "qwen3_asr", "text_config": {"num_hidden_layers": 1}})
    assert (m.hidden_size, m.intermediate_size, m.num_kv_heads) == (4096, 22016, 32)
    assert m.tie_word_embeddings


def test_fun_asr_nano_class_default_is_fun_asr_nano() -> None:
    # FunAsrNanoConfig: Qwen3Config(hidden 1024, 28 layers, 16 heads, 8 KV heads, intermediate
    # 3072) with Qwen3Config's head_dim 128 (q is 2048 wide) and vocabulary, head tied
    v, h, i, n, hd = 151936, 1024, 3072, 28, 128
    attn = 2 * h * 16 * hd + 2 * h * 8 * hd + 2 * hd
    m = read_hf_config({"model_type": "fun_asr_nano"})
    assert m.param_counts().total == v * h + n * (attn + 3 * h * i + 2 * h) + h
    assert m.param_counts().total == 596_049_920
    grow = kv_cache_memory(m, 2000, 1, "bf16") - kv_cache_memory(m, 1000, 1, "bf16")
    assert grow.magnitude == 1000 * n * 2 * 8 * hd * 2


def test_blip_2_without_text_config_builds_opt_125m() -> None:
    # OPTConfig(): 12 layers of 768, fc 3072, 2048 + 2 learned positions, biased, tied head
    v, h, ffn, n, pos = 50272, 768, 3072, 12, 2048 + 2
    layer = 4 * (h * h + h) + (h * ffn + ffn) + (ffn * h + h) + 2 * 2 * h
    m = read_hf_config({"model_type": "blip-2"})
    assert m.param_counts().total == v * h + pos * h + n * layer + 2 * h == 125_239_296
    # the ViT, the Q-Former, its query tokens and language_projection are not counted
    assert m.vision is None
    # K and V of 12 heads of 64 in every layer, nothing else
    grow = kv_cache_memory(m, 2000, 1, "bf16") - kv_cache_memory(m, 1000, 1, "bf16")
    assert float(grow.to("B").m) == 1000 * n * 2 * h * 2


def test_blip_2_head_is_tied_by_its_text_config() -> None:
    v, h = 50272, 768
    base = read_hf_config({"model_type": "blip-2"}).param_counts().total
    # AutoModelForCausalLM(text_config) ties its own head: the top-level flag is not read
    top = read_hf_config({"model_type": "blip-2", "tie_word_embeddings": False})
    assert top.param_counts().total == base
    untied = {"model_type": "blip-2", "text_config": {"tie_word_embeddings": False}}
    assert read_hf_config(untied).param_counts().total - base == v * h


def test_blip_2_refuses_a_flan_t5_language_model() -> None:
    # Salesforce/blip2-flan-t5-xl: an AutoModelForSeq2SeqLM, not a causal language model
    cfg = {"model_type": "blip-2", "text_config": {"model_type": "t5", "d_model": 2048}}
    with pytest.raises(ConfigError, match="encoder-decoder"):
        read_hf_config(cfg)


def test_instructblip_reads_a_vicuna_text_config_as_llama() -> None:
    # Salesforce/instructblip-vicuna-7b's language model: LlamaForCausalLM, head untied
    v, h, i, n = 32001, 4096, 11008, 32
    text = {"model_type": "llama", "vocab_size": v, "hidden_size": h, "intermediate_size": i,
            "num_hidden_layers": n, "num_attention_heads": 32}  # fmt: skip
    m = read_hf_config({"model_type": "instructblip", "text_config": text})
    assert m.param_counts().total == 2 * v * h + n * (4 * h * h + 3 * h * i + 2 * h) + h
    with pytest.raises(ConfigError, match="encoder-decoder"):
        read_hf_config({"model_type": "instructblip", "text_config": {"model_type": "t5"}})


def test_instructblipvideo_counts_only_its_language_model() -> None:
    # as InstructBLIP: the OPT-125m defaults, with a tied head
    v, h, ffn, n, pos = 50272, 768, 3072, 12, 2048 + 2
    layer = 4 * (h * h + h) + (h * ffn + ffn) + (ffn * h + h) + 2 * 2 * h
    m = read_hf_config({"model_type": "instructblipvideo"})
    assert m.param_counts().total == v * h + pos * h + n * layer + 2 * h
    with pytest.raises(ConfigError, match="not supported"):
        read_hf_config({"model_type": "instructblipvideo", "text_config": {"model_type": "t5"}})


def test_kosmos_2_class_default_counts_its_inner_and_ffn_layernorms() -> None:
    v, h, ffn, n = 65037, 2048, 8192, 24  # Kosmos2TextConfig(): 32 heads of 64
    attn = 4 * (h * h + h) + 2 * h  # q, k, v, out_proj (biased) and inner_attn_ln
    mlp = (h * ffn + ffn) + (ffn * h + h) + 2 * ffn  # fc1, fc2 and ffn_layernorm
    m = read_hf_config({"model_type": "kosmos-2"})
    assert m.param_counts().total == v * h + n * (attn + mlp + 2 * 2 * h) + 2 * h
    grow = kv_cache_memory(m, 2000, 1, "bf16") - kv_cache_memory(m, 1000, 1, "bf16")
    assert float(grow.to("B").m) == 1000 * n * 2 * h * 2


def test_kosmos_2_unties_its_head_only_where_both_configs_do() -> None:
    v, h = 65037, 2048
    base = read_hf_config({"model_type": "kosmos-2"}).param_counts().total
    one = {"model_type": "kosmos-2", "tie_word_embeddings": False}
    assert read_hf_config(one).param_counts().total == base
    both = one | {"text_config": {"tie_word_embeddings": False}}
    assert read_hf_config(both).param_counts().total - base == v * h
    with pytest.raises(ConfigError, match="add_cross_attention"):
        read_hf_config({"model_type": "kosmos-2", "text_config": {"add_cross_attention": True}})


def test_kosmos_2_5_class_default_counts_its_segment_embedding() -> None:
    v, h, ffn, n = 108481, 1536, 6144, 24  # Kosmos2_5TextConfig(): 16 heads of 96
    layer = 4 * (h * h + h) + (h * ffn + ffn) + (ffn * h + h) + 2 * ffn + 2 * 2 * h
    m = read_hf_config({"model_type": "kosmos-2.5"})
    # embed_tokens, segment_emb (2 rows), the layers, the final LayerNorm; tied head
    assert m.param_counts().total == v * h + 2 * h + n * layer + 2 * h


def test_kosmos_2_5_head_is_tied_by_its_text_config() -> None:
    v, h = 108481, 1536
    base = read_hf_config({"model_type": "kosmos-2.5"}).param_counts().total
    top = read_hf_config({"model_type": "kosmos-2.5", "tie_word_embeddings": False})
    assert top.param_counts().total == base
    untied = {"model_type": "kosmos-2.5", "text_config": {"tie_word_embeddings": False}}
    assert read_hf_config(untied).param_counts().total - base == v * h


def test_phi4_multimodal_class_default_is_phi_4_mini_without_encoders() -> None:
    # Phi4MultimodalConfig(): 32 layers of 3072, 32 heads of 96, 8 KV heads
    v, h, i, n, heads, kv, hd = 200064, 3072, 8192, 32, 32, 8, 96
    attn = h * (heads + 2 * kv) * hd + heads * hd * h  # qkv_proj, o_proj
    layer = attn + h * 2 * i + i * h + 2 * h  # gate_up_proj, down_proj, two RMSNorms
    m = read_hf_config({"model_type": "phi4_multimodal"})
    assert m.param_counts().total == 2 * v * h + n * layer + h  # untied head
    assert any("embed_tokens_extend" in a for a in m.assumed)
    grow = kv_cache_memory(m, 2000, 1, "bf16") - kv_cache_memory(m, 1000, 1, "bf16")
    assert float(grow.to("B").m) == 1000 * n * 2 * kv * hd * 2


def test_moshi_class_default_is_the_temporal_decoder() -> None:
    # MoshiConfig defaults: 32 layers of 4096, 32 heads (MHA, head_dim 128), ffn_dim 22528
    # (fc1 4096 -> 22528, fc2 11264 -> 4096), embed_tokens of 32000 + 1 rows, untied head
    v, h, n, ffn = 32000, 4096, 32, 22528
    layer = 4 * h * h + h * ffn + (ffn // 2) * h + 2 * h
    m = read_hf_config({"model_type": "moshi"})
    assert m.param_counts().total == (v + 1) * h + n * layer + h + v * h == 6_839_083_008
    assert not m.tie_word_embeddings
    # DynamicCache keeps a sliding layer of 3000 tokens on every layer: no growth past it
    grow = kv_cache_memory(m, 5000, 1, "bf16") - kv_cache_memory(m, 4000, 1, "bf16")
    assert float(grow.to("B").m) == 0


def _moshi_small(**extra: object) -> dict[str, object]:
    return {
        "model_type": "moshi",
        "vocab_size": 100,
        "hidden_size": 64,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "ffn_dim": 96,
        "sliding_window": 16,
        **extra,
    }


def test_moshi_never_ties_and_derives_a_zero_head_dim() -> None:
    base = read_hf_config(_moshi_small()).param_counts().total
    # MoshiForCausalLM has no _tied_weights_keys: tie_word_embeddings changes nothing
    assert read_hf_config(_moshi_small(tie_word_embeddings=True)).param_counts().total == base
    # MoshiConfig: head_dim = head_dim or hidden // heads
    assert read_hf_config(_moshi_small(head_dim=0)).param_counts().total == base
    # a head width of 32 over 4 heads: q and o grow by 2 x 64 x (128 - 64), k and v by
    # 2 x 64 x (64 - 32) per layer
    wide = read_hf_config(_moshi_small(head_dim=32)).param_counts().total
    assert wide - base == 2 * (2 * 64 * 64 + 2 * 64 * 32)


def test_moshi_refuses_heads_not_dividing_hidden_and_odd_ffn() -> None:
    with pytest.raises(ConfigError, match="must divide hidden_size"):
        read_hf_config(_moshi_small(num_attention_heads=3, num_key_value_heads=1, head_dim=16))
    with pytest.raises(ConfigError, match="must be even"):
        read_hf_config(_moshi_small(ffn_dim=95))


def test_kyutai_speech_to_text_class_default_counts_the_joint_table() -> None:
    # KyutaiSpeechToTextConfig defaults: 48 layers of 2048, 32 heads (MHA, head_dim 64),
    # ffn_dim 11264 (a gated FFN of 5632); one embedding of 4001 + 32 x 2049 + 1 rows for the
    # text and codebook tokens; an untied head of 4001; the Mimi codec is not counted
    v, h, n, ffn = 4001, 2048, 48, 11264
    rows = v + 32 * 2049 + 1
    layer = 4 * h * h + 3 * h * (ffn // 2) + 2 * h
    m = read_hf_config({"model_type": "kyutai_speech_to_text"})
    assert m.param_counts().total == rows * h + n * layer + h + v * h == 2_617_122_816


def _kyutai_small(**extra: object) -> dict[str, object]:
    return {
        "model_type": "kyutai_speech_to_text",
        "vocab_size": 300,
        "num_codebooks": 2,
        "codebook_vocab_size": 40,
        "audio_pad_token_id": 380,
        "hidden_size": 64,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "ffn_dim": 96,
        "sliding_window": 8,
        **extra,
    }


def test_kyutai_speech_to_text_ties_the_head_to_the_joint_table() -> None:
    untied = read_hf_config(_kyutai_small()).param_counts().total
    tied = read_hf_config(_kyutai_small(tie_word_embeddings=True)).param_counts().total
    # _tied_weights_keys: lm_head (300 rows) becomes the 381-row embedding, counted once
    assert untied - tied == 300 * 64


def test_kyutai_speech_to_text_refuses_a_padding_row_outside_the_table() -> None:
    # the class default audio_pad_token_id (69569) is outside a 300 + 2 x 40 + 1 row table
    cfg = _kyutai_small()
    del cfg["audio_pad_token_id"]
    with pytest.raises(ConfigError, match="outside the 381-row"):
        read_hf_config(cfg)


def test_vibevoice_asr_without_text_config_builds_qwen2_defaults() -> None:
    # VibeVoiceAsrConfig: text_config None -> Qwen2Config() (SubConfigSpec, no init_kwargs):
    # 32 layers of 4096, 32 heads, 32 KV heads, q/k/v biased, MLP 22016, vocab 151936
    v, h, i, n = 151936, 4096, 22016, 32
    layer = 4 * h * h + 3 * h + 3 * h * i + 2 * h
    m = read_hf_config({"model_type": "vibevoice_asr"})
    # the head sits in the wrapper and is never tied
    assert m.param_counts().total == v * h + n * layer + h + v * h == 12_049_846_272
    assert m.vision is None


def test_vibevoice_asr_never_ties_its_head() -> None:
    text = {"model_type": "qwen2", "vocab_size": 500, "hidden_size": 64}
    text |= {"intermediate_size": 96, "num_hidden_layers": 2, "num_attention_heads": 4}
    text |= {"num_key_value_heads": 2}
    base = {"model_type": "vibevoice_asr", "text_config": text}
    untied = read_hf_config(base).param_counts().total
    m = read_hf_config(base | {"tie_word_embeddings": True})
    assert not m.tie_word_embeddings and m.param_counts().total == untied


def test_moss_transcribe_diarize_without_text_config_builds_its_qwen3() -> None:
    # MossTranscribeDiarizeConfig: text_config None -> Qwen3Config(hidden 1024, MLP 3072,
    # 28 layers, 16 heads, 8 KV heads) with Qwen3's head_dim 128 and vocab 151936; per-head
    # q/k RMSNorms; the head is tied (top-level tie_word_embeddings defaults true)
    v, h, i, n, hd = 151936, 1024, 3072, 28, 128
    layer = h * 16 * hd * 2 + 2 * h * 8 * hd + 3 * h * i + 2 * h + 2 * hd
    m = read_hf_config({"model_type": "moss_transcribe_diarize"})
    assert m.param_counts().total == v * h + n * layer + h == 596_049_920


def test_moss_transcribe_diarize_ties_only_by_the_top_level_flag() -> None:
    text = {"model_type": "qwen3", "vocab_size": 500, "hidden_size": 64, "head_dim": 16}
    text |= {"intermediate_size": 96, "num_hidden_layers": 2, "num_attention_heads": 4}
    text |= {"num_key_value_heads": 2}
    base = {"model_type": "moss_transcribe_diarize", "text_config": text}
    tied = read_hf_config(base).param_counts().total
    untied = read_hf_config(base | {"tie_word_embeddings": False}).param_counts().total
    assert untied - tied == 500 * 64
    inner = base | {"text_config": text | {"tie_word_embeddings": True}}
    assert read_hf_config(inner | {"tie_word_embeddings": False}).param_counts().total == untied


def test_nemo_speechlm_without_text_config_builds_its_nemotron_h() -> None:
    # Nemotron3_5TranscribeConfig: text_config None -> NemotronHConfig(init_kwargs): the
    # 52-layer pattern MEMEM*E... of Mamba-2, MoE (128 experts, top 6) and attention layers
    m = read_hf_config({"model_type": "nemo_speechlm"})
    pattern = "MEMEM*EMEMEM*EMEMEM*EMEMEM*EMEMEM*EMEMEMEM*EMEMEMEME"
    assert m.num_layers == len(pattern) == 52
    assert m.layer_types.count("full") == pattern.count("*") == 6
    assert m.hidden_size == 2688 and m.moe is not None and m.moe.n_routed_experts == 128


def test_nemo_speechlm_never_ties_its_head() -> None:
    # Nemotron3_5TranscribeForConditionalGeneration._tied_weights_keys = None, whatever
    # text model it holds
    text = {"model_type": "qwen3", "vocab_size": 500, "hidden_size": 64, "head_dim": 16}
    text |= {"intermediate_size": 96, "num_hidden_layers": 2, "num_attention_heads": 4}
    text |= {"num_key_value_heads": 2}
    base = {"model_type": "nemo_speechlm", "text_config": text}
    untied = read_hf_config(base).param_counts().total
    m = read_hf_config(base | {"tie_word_embeddings": True})
    assert not m.tie_word_embeddings and m.param_counts().total == untied


def test_omniasr_without_text_config_builds_its_llama() -> None:
    # OmniASRConfig: text_config None -> LlamaConfig(vocab 11984, hidden 4096, MLP 2816,
    # 12 layers, 8 heads, 8 KV heads); the head sits in the wrapper, never tied
    v, h, i, n = 11984, 4096, 2816, 12
    layer = 4 * h * h + 3 * h * i + 2 * h
    m = read_hf_config({"model_type": "omniasr"})
    assert m.param_counts().total == 2 * v * h + n * layer + h == 1_318_817_792
    assert not m.tie_word_embeddings


def test_omniasr_never_ties_its_head() -> None:
    text = {"model_type": "llama", "vocab_size": 500, "hidden_size": 64}
    text |= {"intermediate_size": 96, "num_hidden_layers": 2, "num_attention_heads": 4}
    base = {"model_type": "omniasr", "text_config": text}
    untied = read_hf_config(base).param_counts().total
    assert read_hf_config(base | {"tie_word_embeddings": True}).param_counts().total == untied


def _bert_layer(h: int, i: int) -> int:
    """BertLayer by hand: query/key/value/output.dense (biased), intermediate and output dense
    (biased), two LayerNorms with bias."""
    return 4 * (h * h + h) + (h * i + i) + (i * h + h) + 4 * h


def test_bert_class_default_is_bert_base() -> None:
    v, h, i, p, t = 30522, 768, 3072, 512, 2
    embeddings = v * h + p * h + t * h + 2 * h  # word, position, token type, LayerNorm
    head = (h * h + h) + 2 * h + v  # transform dense + LayerNorm, cls.predictions.bias (tied)
    m = read_hf_config({"model_type": "bert"})
    assert m.param_counts().total == embeddings + 12 * _bert_layer(h, i) + head == 109_514_298
    # is_decoder=True: every layer caches K and V of its 12 heads of 64
    grow = kv_cache_memory(m, 2000, 1, "bf16") - kv_cache_memory(m, 1000, 1, "bf16")
    assert float(grow.to("B").m) == 1000 * 12 * 2 * 768 * 2


def test_bert_untied_head_keeps_two_biases() -> None:
    # BertLMPredictionHead: decoder.bias and bias are tied only with tie_word_embeddings
    base = {
        "model_type": "bert",
        "vocab_size": 500,
        "hidden_size": 64,
        "num_attention_heads": 4,
        "intermediate_size": 96,
        "num_hidden_layers": 2,
    }
    tied = read_hf_config(base).param_counts().total
    untied = read_hf_config(base | {"tie_word_embeddings": False}).param_counts().total
    assert untied - tied == 500 * 64 + 500


def test_bert_refuses_cross_attention_and_uneven_heads() -> None:
    with pytest.raises(ConfigError, match="add_cross_attention"):
        read_hf_config({"model_type": "bert", "is_decoder": True, "add_cross_attention": True})
    with pytest.raises(ConfigError, match="does not divide hidden_size"):
        read_hf_config({"model_type": "bert", "hidden_size": 100, "num_attention_heads": 3})


def test_bert_generation_class_default() -> None:
    v, h, i, p = 50358, 1024, 4096, 512
    # BertGenerationEmbeddings: word, position, LayerNorm (no token types); the head is the
    # tied decoder and lm_head.bias alone
    total = v * h + p * h + 2 * h + 24 * _bert_layer(h, i) + v
    assert read_hf_config({"model_type": "bert-generation"}).param_counts().total == total


def test_bert_generation_untied_adds_decoder_and_its_bias() -> None:
    base = {
        "model_type": "bert-generation",
        "vocab_size": 300,
        "hidden_size": 32,
        "num_attention_heads": 2,
        "intermediate_size": 64,
        "num_hidden_layers": 1,
    }
    tied = read_hf_config(base).param_counts().total
    untied = read_hf_config(base | {"tie_word_embeddings": False}).param_counts().total
    assert untied - tied == 300 * 32 + 300


@pytest.mark.parametrize(
    ("model_type", "v", "h", "i", "p", "t", "n", "embedding_norm", "final_norm"),
    [
        # RobertaEmbeddings (word, position, token type, LayerNorm), RobertaLMHead
        ("roberta", 50265, 768, 3072, 512, 2, 12, True, False),
        # pre-LN: the same LayerNorms and a final one (encoder.LayerNorm)
        ("roberta-prelayernorm", 50265, 768, 3072, 512, 2, 12, True, True),
        # CamembertForCausalLM, XLMRobertaForCausalLM, Data2VecTextForCausalLM: RoBERTa's
        # modules at their configs' defaults
        ("camembert", 30522, 768, 3072, 512, 2, 12, True, False),
        ("xlm-roberta", 30522, 768, 3072, 512, 2, 12, True, False),
        ("data2vec-text", 30522, 768, 3072, 512, 2, 12, True, False),
        # XLMRobertaXLEmbeddings and MegatronBertEmbeddings: no LayerNorm; pre-LN, a final one
        ("xlm-roberta-xl", 250880, 2560, 10240, 514, 1, 36, False, True),
        ("megatron-bert", 29056, 1024, 4096, 512, 2, 24, False, True),
    ],
)
def test_roberta_shaped_class_defaults(
    model_type: str,
    v: int,
    h: int,
    i: int,
    p: int,
    t: int,
    n: int,
    embedding_norm: bool,
    final_norm: bool,
) -> None:
    embeddings = v * h + p * h + t * h + (2 * h if embedding_norm else 0)
    head = (h * h + h) + 2 * h + v  # dense + layer_norm, the (tied) decoder's bias
    total = embeddings + n * _bert_layer(h, i) + (2 * h if final_norm else 0) + head
    assert read_hf_config({"model_type": model_type}).param_counts().total == total


@pytest.mark.parametrize(
    "model_type",
    [
        "roberta",
        "roberta-prelayernorm",
        "camembert",
        "xlm-roberta",
        "xlm-roberta-xl",
        "data2vec-text",
        "megatron-bert",
    ],
)
def test_roberta_shaped_decoders_refuse_cross_attention(model_type: str) -> None:
    with pytest.raises(ConfigError, match="add_cross_attention"):
        read_hf_config({"model_type": model_type, "is_decoder": True, "add_cross_attention": True})


def test_electra_class_default_factorised_embeddings() -> None:
    v, e, h, i, p, t = 30522, 128, 256, 1024, 512, 2
    # ElectraEmbeddings (embedding_size wide, LayerNorm), embeddings_project (e -> h, biased)
    embeddings = v * e + p * e + t * e + 2 * e + (e * h + h)
    # ElectraGeneratorPredictions: dense (h -> e, biased), LayerNorm(e); generator_lm_head tied
    # to the word embeddings, its bias its own
    head = (h * e + e) + 2 * e + v
    total = embeddings + 12 * _bert_layer(h, i) + head
    assert read_hf_config({"model_type": "electra"}).param_counts().total == total


def test_electra_equal_widths_have_no_projection() -> None:
    base = {
        "model_type": "electra",
        "vocab_size": 300,
        "hidden_size": 64,
        "num_attention_heads": 2,
        "intermediate_size": 64,
        "num_hidden_layers": 1,
    }
    m = read_hf_config(base | {"embedding_size": 64})
    assert m.param_counts().embedding == 300 * 64 + 512 * 64 + 2 * 64


def test_ernie_class_default_is_bert_base_shaped() -> None:
    v, h, i, p, t = 30522, 768, 3072, 512, 2
    total = v * h + p * h + t * h + 2 * h + 12 * _bert_layer(h, i) + (h * h + h) + 2 * h + v
    assert read_hf_config({"model_type": "ernie"}).param_counts().total == total


def test_ernie_task_ids_add_a_table() -> None:
    # ErnieEmbeddings.task_type_embeddings: task_type_vocab_size (ErnieConfig: 3) x hidden
    a = read_hf_config({"model_type": "ernie"}).param_counts().total
    b = read_hf_config({"model_type": "ernie", "use_task_id": True}).param_counts().total
    assert b - a == 3 * 768


def test_rembert_class_default() -> None:
    v, h, i, p, t, ein, out = 250300, 1152, 4608, 512, 2, 256, 1664
    # RemBertEmbeddings (input_embedding_size wide) and embedding_hidden_mapping_in (biased)
    embeddings = v * ein + p * ein + t * ein + 2 * ein + (ein * h + h)
    # RemBertLMPredictionHead: dense (h -> out), LayerNorm(out), decoder (biased), never tied
    head = (h * out + out) + 2 * out + (v * out + v)
    total = embeddings + 32 * _bert_layer(h, i) + head
    assert read_hf_config({"model_type": "rembert"}).param_counts().total == total


def test_rembert_never_ties() -> None:
    m = read_hf_config({"model_type": "rembert", "tie_word_embeddings": True})
    assert not m.tie_word_embeddings


def test_roc_bert_class_default() -> None:
    v, h, i, p, t = 30522, 768, 3072, 512, 2
    pron, shape = 910 * 768, 24858 * 512  # pronunciation_embed, shape_embed
    mapping = (768 + 768 + 512) * h + h  # map_inputs_layer over the concatenation
    embeddings = v * h + pron + shape + p * h + t * h + mapping + 2 * h
    total = embeddings + 12 * _bert_layer(h, i) + (h * h + h) + 2 * h + v
    assert read_hf_config({"model_type": "roc_bert"}).param_counts().total == total


def test_roc_bert_without_concat_has_no_mapping() -> None:
    a = read_hf_config({"model_type": "roc_bert"}).param_counts().total
    b = read_hf_config({"model_type": "roc_bert", "concat_input": False}).param_counts().total
    assert a - b == (768 + 768 + 512) * 768 + 768


def test_roformer_class_default() -> None:
    v, h, i, p, t = 50000, 768, 3072, 1536, 2
    # RoFormerEmbeddings: word, token type, LayerNorm; RoFormerEncoder.embed_positions: a
    # frozen sinusoidal nn.Embedding of max_position_embeddings x head_dim (64), a parameter
    embeddings = v * h + t * h + 2 * h + p * 64
    total = embeddings + 12 * _bert_layer(h, i) + (h * h + h) + 2 * h + v
    m = read_hf_config({"model_type": "roformer"})
    assert m.param_counts().total == total
    assert m.rope_dim == 64


def test_roformer_embedding_size_projects() -> None:
    base = {
        "model_type": "roformer",
        "vocab_size": 300,
        "hidden_size": 64,
        "num_attention_heads": 2,
        "intermediate_size": 64,
        "num_hidden_layers": 1,
        "max_position_embeddings": 10,
    }
    a = read_hf_config(base).param_counts().total
    b = read_hf_config(base | {"embedding_size": 32}).param_counts().total
    # word/type tables and LayerNorm 32 wide, embeddings_project (32 -> 64), the head transform
    # (64 -> 32) and its LayerNorm 32 wide
    shrink = (300 + 2) * 32 + 2 * 32 + (64 * 32 + 32) + 2 * 32
    assert a - b == shrink - (32 * 64 + 64)


def test_xmod_class_default_one_adapter() -> None:
    v, h, i, p, t = 30522, 768, 3072, 512, 2
    adapter = (h * 384 + 384) + (384 * h + h)  # XmodAdapter: dense1, dense2 (en_XX)
    total = v * h + p * h + t * h + 2 * h + 12 * (_bert_layer(h, i) + adapter)
    total += (h * h + h) + 2 * h + v
    assert read_hf_config({"model_type": "xmod"}).param_counts().total == total


def test_xmod_languages_and_adapter_norm() -> None:
    base = {
        "model_type": "xmod",
        "vocab_size": 300,
        "hidden_size": 64,
        "num_attention_heads": 2,
        "intermediate_size": 64,
        "num_hidden_layers": 2,
    }
    a = read_hf_config(base).param_counts().total
    # three distinct languages (a repeat collapses in the ModuleDict), a shared LayerNorm
    more = base | {"languages": ["en_XX", "de_DE", "fr_XX", "de_DE"], "adapter_layer_norm": True}
    b = read_hf_config(more).param_counts().total
    assert b - a == 2 * (2 * ((64 * 32 + 32) + (32 * 64 + 64)) + 2 * 64)
    with pytest.raises(ConfigError, match="adapter_reduction_factor"):
        read_hf_config(base | {"adapter_reduction_factor": 128})


def test_big_bird_class_default_keeps_its_pooler() -> None:
    v, h, i, p, t = 50358, 768, 3072, 4096, 2
    # BigBirdForCausalLM builds BigBirdModel with its pooler (Linear(h, h)); q/k/v biased
    # (use_bias), the block-sparse attention has the same projections
    total = v * h + p * h + t * h + 2 * h + 12 * _bert_layer(h, i) + (h * h + h)
    total += (h * h + h) + 2 * h + v  # BigBirdPredictionHeadTransform, cls.predictions.bias
    assert read_hf_config({"model_type": "big_bird"}).param_counts().total == total


def test_big_bird_use_bias_false_drops_qkv_biases() -> None:
    base = {
        "model_type": "big_bird",
        "vocab_size": 300,
        "hidden_size": 32,
        "num_attention_heads": 2,
        "intermediate_size": 64,
        "num_hidden_layers": 3,
    }
    a = read_hf_config(base).param_counts().total
    b = read_hf_config(base | {"use_bias": False}).param_counts().total
    assert a - b == 3 * 3 * 32


def _bart_layer(h: int, f: int, w: int | None = None) -> int:
    """One BartDecoderLayer by hand: self_attn q/k/v/out_proj (h x h + h each), encoder_attn
    (q and out_proj h x h + h, k and v w x h + h), fc1 / fc2 (h x f + f, f x h + h) and three
    LayerNorms (2h each)."""
    w = h if w is None else w
    return 4 * (h * h + h) + 2 * (h * h + h) + 2 * (w * h + h) + (2 * h * f + f + h) + 6 * h


def test_bart_class_default_is_bart_large_decoder() -> None:
    # BartConfig: V 50265, d_model 1024, 12 decoder layers, FFN 4096, 1024 (+ 2) positions;
    # BartForCausalLM: the decoder, layernorm_embedding (2h), the head tied; no encoder and
    # no final_logits_bias (a buffer of BartForConditionalGeneration only)
    h, v = 1024, 50265
    total = 12 * _bart_layer(h, 4096) + v * h + 1026 * h + 2 * h
    m = read_hf_config({"model_type": "bart"})
    assert m.param_counts().total == total == 254_084_096


def test_bart_cross_attention_counts_but_caches_nothing() -> None:
    small = {"model_type": "bart", "vocab_size": 100, "d_model": 64, "decoder_layers": 3,
             "decoder_attention_heads": 4, "decoder_ffn_dim": 128, "encoder_layers": 5,
             "encoder_attention_heads": 2, "max_position_embeddings": 30,
             "pad_token_id": 1}  # fmt: skip
    m = read_hf_config(small)
    # attention: 3 layers x (self 4 (h² + h) + cross 4 (h² + h)); the encoder keys are not read
    assert m.param_counts().attention == 3 * 8 * (64 * 64 + 64)
    assert m.num_layers == 3 and m.num_heads == 4
    # DynamicCache of a forward with input_ids: the self-attention's K and V, 3 layers x 2 x 64
    grow = kv_cache_memory(m, 20, 1, "bf16") - kv_cache_memory(m, 10, 1, "bf16")
    assert float(grow.to("B").m) == 10 * 3 * 2 * 64 * 2


def test_bart_refuses_heads_that_do_not_divide_d_model() -> None:
    bad = {"model_type": "bart", "d_model": 64, "decoder_attention_heads": 3, "pad_token_id": 1}
    with pytest.raises(ConfigError, match=r"decoder_attention_heads \(3\) does not divide"):
        read_hf_config(bad)


def test_mbart_class_default_adds_a_final_layer_norm_to_bart() -> None:
    # MBartDecoder is BART's decoder (learned positions + 2, layernorm_embedding) with a final
    # layer_norm (pre-LN): 2 x 1024 more than BART's 254,084,096
    bart = read_hf_config({"model_type": "bart"}).param_counts().total
    mbart = read_hf_config({"model_type": "mbart"}).param_counts().total
    assert mbart - bart == 2 * 1024
    assert mbart == 254_086_144


def test_mbart_large_cc25_by_hand() -> None:
    # mbart-large-cc25: V 250027, h 1024, 12 decoder layers, FFN 4096; per layer self and
    # cross attention 8 (h² + h), fc1 / fc2 2 h f + f + h, three LayerNorms 6h
    h, f, v = 1024, 4096, 250027
    layer = 8 * (h * h + h) + 2 * h * f + f + h + 6 * h
    cfg = {"model_type": "mbart", "vocab_size": v, "decoder_layers": 12}
    total = 12 * layer + v * h + 1026 * h + 2 * h + 2 * h
    assert read_hf_config(cfg).param_counts().total == total


def _marian_small(**kw: object) -> dict[str, object]:
    return {"model_type": "marian", "vocab_size": 100, "d_model": 64, "decoder_layers": 1,
            "decoder_attention_heads": 4, "decoder_ffn_dim": 128, "max_position_embeddings": 32,
            "pad_token_id": 1, **kw}  # fmt: skip


def test_marian_class_default_counts_the_sinusoidal_table() -> None:
    # MarianSinusoidalPositionalEmbedding is a frozen nn.Embedding: 1024 x 1024 parameters;
    # no layernorm_embedding, no final norm; per layer 8 (h² + h) + 2 h f + f + h + 6h
    h, f, v = 1024, 4096, 58101
    layer = 8 * (h * h + h) + 2 * h * f + f + h + 6 * h
    total = 12 * layer + v * h + 1024 * h
    assert read_hf_config({"model_type": "marian"}).param_counts().total == total
    assert total == 262_104_064


def test_marian_decoder_vocab_size_sizes_the_token_table() -> None:
    base = read_hf_config(_marian_small()).param_counts()
    # tied: the head is the decoder_vocab_size-row table (50 rows more)
    tied = read_hf_config(_marian_small(decoder_vocab_size=150)).param_counts()
    assert tied.total - base.total == 50 * 64
    # untied: the table has decoder_vocab_size rows, MarianForCausalLM's lm_head vocab_size
    untied = read_hf_config(_marian_small(decoder_vocab_size=150, tie_word_embeddings=False))
    pc = untied.param_counts()
    assert (pc.embedding, pc.lm_head) == (150 * 64 + 32 * 64, 100 * 64)
    with pytest.raises(ConfigError, match=r"decoder_vocab_size \(70\) below vocab_size"):
        read_hf_config(_marian_small(decoder_vocab_size=70, tie_word_embeddings=False))


def test_pegasus_class_default_by_hand() -> None:
    # PegasusDecoder: a sinusoidal table that is a frozen nn.Embedding (1024 x 1024), no
    # layernorm_embedding, a final layer_norm; 12 layers of 8 (h² + h) + 2 h f + f + h + 6h
    h, f, v = 1024, 4096, 50265
    layer = 8 * (h * h + h) + 2 * h * f + f + h + 6 * h
    total = 12 * layer + v * h + 1024 * h + 2 * h
    assert read_hf_config({"model_type": "pegasus"}).param_counts().total == total
    assert total == 254_082_048


def test_pegasus_untied_head_adds_a_vocab_matrix() -> None:
    tied = read_hf_config({"model_type": "pegasus"}).param_counts()
    untied = read_hf_config({"model_type": "pegasus", "tie_word_embeddings": False})
    assert untied.param_counts().total - tied.total == 50265 * 1024
    assert untied.param_counts().lm_head == 50265 * 1024


def test_blenderbot_class_default_is_the_3b_decoder() -> None:
    # BlenderbotConfig: h 2560, 24 decoder layers, FFN 10240, V 8008, 128 learned positions (no
    # offset), a final layer_norm; per layer 8 (h² + h) + 2 h f + f + h + 6h
    h, f, v = 2560, 10240, 8008
    layer = 8 * (h * h + h) + 2 * h * f + f + h + 6 * h
    total = 24 * layer + v * h + 128 * h + 2 * h
    assert read_hf_config({"model_type": "blenderbot"}).param_counts().total == total
    assert total == 2_538_583_040


def test_blenderbot_encoder_keys_are_not_read() -> None:
    # BlenderbotConfig's default encoder has 2 layers: the causal LM builds the decoder's 24
    m = read_hf_config({"model_type": "blenderbot", "encoder_layers": 7, "encoder_ffn_dim": 8})
    assert m.num_layers == 24 and m.intermediate_size == 10240


def test_blenderbot_small_class_default_by_hand() -> None:
    # BlenderbotSmallDecoder: 512 learned positions (no offset), layernorm_embedding, post-LN
    # (no final norm); 8 layers of 8 (h² + h) + 2 h f + f + h + 6h
    h, f, v = 512, 2048, 50265
    layer = 8 * (h * h + h) + 2 * h * f + f + h + 6 * h
    total = 8 * layer + v * h + 512 * h + 2 * h
    assert read_hf_config({"model_type": "blenderbot-small"}).param_counts().total == total
    assert total == 59_631_104


def test_blenderbot_small_positions_follow_max_position_embeddings() -> None:
    a = read_hf_config({"model_type": "blenderbot-small", "max_position_embeddings": 512})
    b = read_hf_config({"model_type": "blenderbot-small", "max_position_embeddings": 1024})
    assert b.param_counts().embedding - a.param_counts().embedding == 512 * 512


def test_plbart_class_default_by_hand() -> None:
    # PLBartConfig: h 768, 6 decoder layers, FFN 3072, V 50005, 1024 (+ 2) positions,
    # layernorm_embedding; per layer 8 (h² + h) + 2 h f + f + h + 6h
    h, f, v = 768, 3072, 50005
    layer = 8 * (h * h + h) + 2 * h * f + f + h + 6 * h
    total = 6 * layer + v * h + 1026 * h + 2 * h
    assert read_hf_config({"model_type": "plbart"}).param_counts().total == total
    assert total == 95_904_000


def test_plbart_untied() -> None:
    m = read_hf_config({"model_type": "plbart", "tie_word_embeddings": False})
    assert m.param_counts().lm_head == 50005 * 768


def test_mvp_class_default_by_hand() -> None:
    # MvpDecoder: BART's decoder (1024 + 2 positions, layernorm_embedding), V 50267
    h, f, v = 1024, 4096, 50267
    layer = 8 * (h * h + h) + 2 * h * f + f + h + 6 * h
    total = 12 * layer + v * h + 1026 * h + 2 * h
    assert read_hf_config({"model_type": "mvp"}).param_counts().total == total
    assert total == 254_086_144


def test_mvp_prompts_are_not_built_by_the_causal_lm() -> None:
    # MvpDecoderWrapper builds MvpDecoder(config) with use_prompt left False: no MvpPrompt
    plain = read_hf_config({"model_type": "mvp"}).param_counts().total
    cfg = {"model_type": "mvp", "use_prompt": True, "prompt_length": 100, "prompt_mid_dim": 800}
    assert read_hf_config(cfg).param_counts().total == plain


def test_bigbird_pegasus_class_default_by_hand() -> None:
    # BigBirdPegasusDecoderLayer: attention projections without bias (use_bias False), fc1 /
    # fc2 biased, three LayerNorms; 4096 learned positions, layernorm_embedding; and
    # BigBirdPegasusForCausalLM has no _tied_weights_keys: its lm_head is its own
    h, f, v = 1024, 4096, 96103
    layer = 8 * h * h + 2 * h * f + f + h + 6 * h
    total = 16 * layer + 2 * v * h + 4096 * h + 2 * h
    m = read_hf_config({"model_type": "bigbird_pegasus"})
    assert m.param_counts().total == total == 469_630_976
    assert not m.tie_word_embeddings


def test_bigbird_pegasus_use_bias_biases_both_attentions() -> None:
    a = read_hf_config({"model_type": "bigbird_pegasus"}).param_counts().attention
    b = read_hf_config({"model_type": "bigbird_pegasus", "use_bias": True}).param_counts()
    # 16 layers x (self + cross) x (q, k, v, out_proj) biases of 1024
    assert b.attention - a == 16 * 2 * 4 * 1024


def test_whisper_class_default_is_whisper_tiny_decoder() -> None:
    # WhisperAttention: k_proj without bias, q / v / out_proj biased, in self_attn and
    # encoder_attn; 448 learned positions (max_target_positions), a final layer_norm
    h, f, v = 384, 1536, 51865
    layer = 2 * (4 * h * h + 3 * h) + 2 * h * f + f + h + 6 * h
    total = 4 * layer + v * h + 448 * h + 2 * h
    m = read_hf_config({"model_type": "whisper"})
    assert m.param_counts().total == total == 29_552_256
    assert m.num_layers == 4 and m.max_position_embeddings == 448


def test_whisper_kv_cache_is_the_self_attention_only() -> None:
    m = read_hf_config({"model_type": "whisper"})
    # 4 decoder layers, K and V of 6 heads x 64; the cross-attention's K/V over the audio
    # encoder's 1500 frames are not in a causal-LM launch's cache
    grow = kv_cache_memory(m, 400, 1, "bf16") - kv_cache_memory(m, 200, 1, "bf16")
    assert float(grow.to("B").m) == 200 * 4 * 2 * 384 * 2


def test_trocr_class_default_by_hand() -> None:
    # TrOCRDecoder: 512 + 2 learned positions, layernorm_embedding, no final norm; encoder_attn
    # built (TrOCRForCausalLM sets is_decoder), k / v from d_model (no cross width given)
    h, f, v = 1024, 4096, 50265
    layer = 8 * (h * h + h) + 2 * h * f + f + h + 6 * h
    total = 12 * layer + v * h + 514 * h + 2 * h
    assert read_hf_config({"model_type": "trocr"}).param_counts().total == total
    assert total == 253_559_808


def test_trocr_cross_width_and_sinusoidal_positions() -> None:
    base = {"model_type": "trocr", "vocab_size": 100, "d_model": 64, "decoder_layers": 2,
            "decoder_attention_heads": 4, "decoder_ffn_dim": 128,
            "max_position_embeddings": 32}  # fmt: skip
    a = read_hf_config(base).param_counts().total
    # k_proj and v_proj read 48-wide encoder states: 2 layers x 2 x (48 - 64) x 64 fewer
    b = read_hf_config({**base, "cross_attention_hidden_size": 48}).param_counts().total
    assert b - a == 2 * 2 * (48 - 64) * 64
    # TrOCRSinusoidalPositionalEmbedding keeps a plain tensor: (32 + 2) x 64 fewer parameters
    c = read_hf_config({**base, "use_learned_position_embeddings": False}).param_counts().total
    assert a - c == 34 * 64


def _prophetnet_layer(h: int, f: int, heads: int, buckets: int, cross: bool = True) -> int:
    """One ProphetNetDecoderLayer by hand: the n-gram self-attention's query/key/value/out_proj
    (h x h + h each) and relative_pos_embeddings (h x buckets·heads + buckets·heads), the
    cross-attention's four projections, feed_forward (h x f + f, f x h + h) and the
    LayerNorms (2h each: two, or three with the cross-attention)."""
    rel = buckets * heads * h + buckets * heads
    attn = 4 * (h * h + h) + rel + (4 * (h * h + h) if cross else 0)
    return attn + 2 * h * f + f + h + (6 if cross else 4) * h


def test_prophetnet_class_default_by_hand() -> None:
    # ProphetNetConfig: V 30522, h 1024, 12 decoder layers of 16 heads, FFN 4096, 512
    # positions, ngram 2, 32 buckets; the decoder's embeddings_layer_norm, no final norm,
    # the head tied to the word embeddings
    h, v = 1024, 30522
    total = 12 * _prophetnet_layer(h, 4096, 16, 32) + v * h + 512 * h + 2 * h + 2 * h
    m = read_hf_config({"model_type": "prophetnet"})
    assert m.param_counts().total == total == 239_640_576
    # the predicting streams cache nothing: K and V of the main stream, 12 layers x 2 x 1024
    grow = kv_cache_memory(m, 400, 1, "bf16") - kv_cache_memory(m, 200, 1, "bf16")
    assert float(grow.to("B").m) == 200 * 12 * 2 * h * 2


def test_prophetnet_without_cross_attention_and_more_streams() -> None:
    base = {"model_type": "prophetnet", "vocab_size": 100, "hidden_size": 64,
            "num_decoder_layers": 2, "num_decoder_attention_heads": 4, "decoder_ffn_dim": 128,
            "max_position_embeddings": 32, "num_buckets": 8, "ngram": 2}  # fmt: skip
    a = read_hf_config(base).param_counts().total
    b = read_hf_config({**base, "add_cross_attention": False, "ngram": 3}).param_counts().total
    # no cross_attn (4 (h² + h)) nor cross_attn_layer_norm (2h) in 2 layers; one more stream row
    assert a - b == 2 * (4 * (64 * 64 + 64) + 2 * 64) - 64
    assert a == 2 * _prophetnet_layer(64, 128, 4, 8) + 100 * 64 + 32 * 64 + 2 * 64 + 2 * 64


def test_prophetnet_refuses_an_untied_head() -> None:
    with pytest.raises(ConfigError, match="second, unused table"):
        read_hf_config({"model_type": "prophetnet", "tie_word_embeddings": False})


def _xlm_layer(h: int) -> int:
    # MultiHeadAttention q/k/v/out_lin (biased), TransformerFFN lin1/lin2 (4h, biased),
    # layer_norm1 and layer_norm2 (weight and bias)
    return 4 * (h * h + h) + (h * 4 * h + 4 * h) + (4 * h * h + h) + 2 * 2 * h


def test_xlm_class_default_is_xlm_mlm_en_2048() -> None:
    v, h, p = 30145, 2048, 512
    # embeddings and position_embeddings (n_langs 1: no lang_embeddings), layer_norm_emb,
    # 12 post-LN layers, XLMPredLayer.proj: tied weight, its own bias
    total = v * h + p * h + 2 * h + 12 * _xlm_layer(h) + v
    m = read_hf_config({"model_type": "xlm"})
    assert m.param_counts().total == total == 667_119_041
    # the self-attention cache keeps K and V of 16 heads of 128 per layer
    grow = kv_cache_memory(m, 2000, 1, "bf16") - kv_cache_memory(m, 1000, 1, "bf16")
    assert float(grow.to("B").m) == 1000 * 12 * 2 * 2048 * 2


def test_xlm_language_table_and_untied_head() -> None:
    base = {"model_type": "xlm", "vocab_size": 300, "emb_dim": 64, "n_heads": 4, "n_layers": 2}
    one = read_hf_config(base).param_counts().total
    # XLMModel.lang_embeddings: n_langs rows, built only where n_langs > 1 and use_lang_emb
    assert read_hf_config(base | {"n_langs": 5}).param_counts().total - one == 5 * 64
    no_table = base | {"n_langs": 5, "use_lang_emb": False}
    assert read_hf_config(no_table).param_counts().total == one
    # an untied proj adds its weight only (the bias is there either way)
    untied = read_hf_config(base | {"tie_word_embeddings": False}).param_counts().total
    assert untied - one == 300 * 64


def test_xlm_refuses_asm_decoder_and_uneven_heads() -> None:
    base = {"model_type": "xlm", "emb_dim": 64, "n_heads": 4}
    with pytest.raises(ConfigError, match="asm"):
        read_hf_config(base | {"asm": True})
    with pytest.raises(ConfigError, match="only be used as an encoder"):
        read_hf_config(base | {"is_encoder": False})
    with pytest.raises(ConfigError, match="does not divide hidden_size"):
        read_hf_config(base | {"n_heads": 3})


def _git_layer(h: int, i: int) -> int:
    # GitLayer: query/key/value and the output dense, biased; two biased FFN linears; two
    # LayerNorms with bias
    return 4 * (h * h + h) + (h * i + i) + (i * h + h) + 4 * h


def test_git_class_default() -> None:
    v, h, i, p, n = 30522, 768, 3072, 1024, 6
    # GitEmbeddings: word, position, LayerNorm (no token types); GitForCausalLM.output: an
    # untied biased linear (GitConfig.tie_word_embeddings is false); the image side uncounted
    total = v * h + p * h + 2 * h + n * _git_layer(h, i) + (h * v + v)
    assert read_hf_config({"model_type": "git"}).param_counts().total == total


def test_git_tied_head_keeps_its_bias() -> None:
    base = {
        "model_type": "git",
        "vocab_size": 300,
        "hidden_size": 32,
        "num_attention_heads": 2,
        "intermediate_size": 64,
        "num_hidden_layers": 1,
    }
    untied = read_hf_config(base).param_counts().total
    tied = read_hf_config(base | {"tie_word_embeddings": True}).param_counts().total
    # _tied_weights_keys ties output.weight only: output.bias stays
    assert untied - tied == 300 * 32


def test_git_kv_cache_every_head_every_token() -> None:
    m = read_hf_config({"model_type": "git"})
    grow = kv_cache_memory(m, 2000, 1, "bf16") - kv_cache_memory(m, 1000, 1, "bf16")
    # 6 layers, K and V of 12 heads x 64 per token (image tokens are tokens of the sequence)
    assert int(grow.magnitude) == 1000 * 6 * 2 * 768 * 2


def test_git_heads_must_divide_hidden() -> None:
    with pytest.raises(ConfigError, match="does not divide"):
        read_hf_config({"model_type": "git", "hidden_size": 100, "num_attention_heads": 3})


def _idefics_cross_layer(h: int, i: int, w: int) -> int:
    # IdeficsGatedCrossAttentionLayer: q_proj and o_proj (h x h), k_proj and v_proj (w -> h),
    # unbiased; IdeficsMLP (gate, up, down); two RMSNorms; two float gates
    return 2 * h * h + 2 * w * h + 3 * h * i + 2 * h + 2


def test_idefics_class_default() -> None:
    v, h, i, n = 32000, 4096, 11008, 32
    # IdeficsConfig: 32 LLaMA layers (4 h² attention, 3 h·i MLP, 2 norms), a gated cross layer
    # before each (cross_layer_interval 1) reading 768-wide vision states, final norm, untied
    decoder = 4 * h * h + 3 * h * i + 2 * h
    total = v * h + n * (decoder + _idefics_cross_layer(h, i, 768)) + h + v * h
    assert read_hf_config({"model_type": "idefics"}).param_counts().total == total


def test_idefics_vector_gates_and_qk_norms() -> None:
    base = {
        "model_type": "idefics",
        "vocab_size": 300,
        "hidden_size": 32,
        "num_attention_heads": 2,
        "intermediate_size": 64,
        "num_hidden_layers": 4,
        "cross_layer_interval": 2,
    }
    plain = read_hf_config(base).param_counts().total
    rich = read_hf_config(base | {"alpha_type": "vector", "qk_layer_norms": True})
    # two cross layers: gates of (1, 1, 32) for (1,), q/k RMSNorms of head_dim 16
    assert rich.param_counts().total - plain == 2 * (2 * (32 - 1) + 2 * 16)
    assert rich.layer_types.count("cross") == 2 and rich.num_layers == 6


def test_idefics_cross_layers_cache_nothing() -> None:
    from llmsizing.memory import state_bytes_per_sequence

    m = read_hf_config({"model_type": "idefics"})
    grow = kv_cache_memory(m, 2000, 1, "bf16") - kv_cache_memory(m, 1000, 1, "bf16")
    # the 32 self-attention layers: K and V of 4096 per token; cross layers use cache=None
    assert int(grow.magnitude) == 1000 * 32 * 2 * 4096 * 2
    assert int(state_bytes_per_sequence(m, "bf16").magnitude) == 0


def test_idefics_layers_must_fill_the_interval() -> None:
    with pytest.raises(ConfigError, match="no multiple of cross_layer_interval"):
        read_hf_config({"model_type": "idefics", "num_hidden_layers": 5, "cross_layer_interval": 2})


def test_evolla_class_default() -> None:
    v, h, i, n, kv, d = 128256, 4096, 14336, 32, 8, 128
    # EvollaDecoderLayer: GQA q/o (h x h), k/v (h -> 8 x 128), gated MLP, two RMSNorms
    layer = 2 * h * h + 2 * h * kv * d + 3 * h * i + 2 * h
    # EvollaSequenceAlignerCrossAttention on layers 4, 8, ... 32 (32 // 8 = 4): query,
    # key_protein, value_protein and out_proj biased (aligner_enable_bias), attention_norm,
    # ff (LayerNorm with bias, fc1 h -> 4h, fc2 back), two scalar gates
    adapter = 4 * (h * h + h) + h + 2 * h + 2 * 4 * h * h + 2
    # embed_tokens, final norm, untied lm_head; protein_encoder not counted
    total = v * h + n * layer + 8 * adapter + h + v * h
    assert read_hf_config({"model_type": "evolla"}).param_counts().total == total


def test_evolla_adapter_every_kth_layer() -> None:
    base = {
        "model_type": "evolla",
        "vocab_size": 300,
        "hidden_size": 32,
        "num_attention_heads": 2,
        "num_key_value_heads": 2,
        "intermediate_size": 64,
        "num_hidden_layers": 6,
        "aligner_ffn_mult": 2,
    }
    one = read_hf_config(base | {"aligner_num_add_layers": 1}).param_counts().total
    three = read_hf_config(base | {"aligner_num_add_layers": 3}).param_counts().total
    # (i + 1) % max(6 // k, 1) == 0: layer 5 only for k = 1; layers 1, 3, 5 for k = 3
    adapter = 4 * (32 * 32 + 32) + 32 + 2 * 32 + 2 * 2 * 32 * 32 + 2
    assert three - one == 2 * adapter


def test_evolla_adapters_cache_nothing() -> None:
    m = read_hf_config({"model_type": "evolla"})
    grow = kv_cache_memory(m, 2000, 1, "bf16") - kv_cache_memory(m, 1000, 1, "bf16")
    # the self-attention's K and V only: 32 layers x 2 x 8 KV heads x 128
    assert int(grow.magnitude) == 1000 * 32 * 2 * 8 * 128 * 2


def test_evolla_refuses_zero_adapter_count() -> None:
    with pytest.raises(ConfigError, match="aligner_num_add_layers is 0"):
        read_hf_config({"model_type": "evolla", "aligner_num_add_layers": 0})


def _blip_layer(h: int, i: int, w: int) -> int:
    # BlipTextLayer: self-attention (query/key/value/output dense, biased), crossattention
    # (query and output dense from hidden, key and value from the vision width w, biased),
    # two biased FFN linears, three LayerNorms with bias
    return 4 * (h * h + h) + 2 * (h * h + h) + 2 * (w * h + h) + (h * i + i) + (i * h + h) + 6 * h


def test_blip_class_default() -> None:
    v, h, i, p, n = 30524, 768, 3072, 512, 12
    # BlipTextEmbeddings (word, position, LayerNorm), the head transform (dense, LayerNorm)
    # and the tied decoder's one bias; vision_model (ViT) not counted
    total = v * h + p * h + 2 * h + n * _blip_layer(h, i, 768) + (h * h + h) + 2 * h + v
    assert read_hf_config({"model_type": "blip"}).param_counts().total == total


def test_blip_cross_attention_reads_the_vision_width() -> None:
    text = {
        "vocab_size": 300,
        "hidden_size": 32,
        "num_attention_heads": 2,
        "intermediate_size": 64,
        "num_hidden_layers": 2,
        "encoder_hidden_size": 999,
    }
    base = {"model_type": "blip", "text_config": text}
    wide = read_hf_config(base | {"vision_config": {"hidden_size": 1024}}).param_counts().total
    # BlipConfig.__post_init__: encoder_hidden_size = vision_config.hidden_size (default 768)
    narrow = read_hf_config(base).param_counts().total
    assert wide - narrow == 2 * 2 * (1024 - 768) * 32


def test_blip_caches_image_tokens_per_layer() -> None:
    from llmsizing.memory import state_bytes_per_sequence

    m = read_hf_config({"model_type": "blip"})
    grow = kv_cache_memory(m, 2000, 1, "bf16") - kv_cache_memory(m, 1000, 1, "bf16")
    assert int(grow.magnitude) == 1000 * 12 * 2 * 768 * 2
    # cross_attention_cache: K and V of (384 // 16)² + 1 = 577 vision tokens in 12 layers
    assert int(state_bytes_per_sequence(m, "bf16").magnitude) == 12 * 2 * 768 * 577 * 2


def test_blip_untied_needs_both_ties_false() -> None:
    text = {
        "vocab_size": 300,
        "hidden_size": 32,
        "num_attention_heads": 2,
        "intermediate_size": 64,
        "num_hidden_layers": 1,
    }
    one = {"model_type": "blip", "tie_word_embeddings": False, "text_config": text}
    both = one | {"text_config": text | {"tie_word_embeddings": False}}
    tied = read_hf_config(one).param_counts().total
    # the decoder's weight and its own bias beside cls.predictions.bias
    assert read_hf_config(both).param_counts().total - tied == 300 * 32 + 300
