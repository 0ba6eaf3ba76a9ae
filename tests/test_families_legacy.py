"""GPT-2, StarCoder 1, GPT-NeoX, GPT-J, Falcon, BLOOM, MPT, OPT and DBRX configs.

Expected values come from outside llmsizing:

* parameter counts derived here by hand, term by term, from the transformers 5.24 modeling
  code of each type (``modeling_<type>.py``: which ``nn.Linear`` / ``nn.Embedding`` /
  ``nn.LayerNorm`` each module builds, with or without a bias), for the real ``config.json``
  files in ``tests/data/legacy_configs/`` (where each came from: ``SOURCES.md`` there);
* the totals checkpoints publish, within the rounding the publisher uses (each source is
  named where it is checked);
* KV-cache bytes per token by hand: layers x (K + V) x KV heads x head width x bytes.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from llmsizing import ConfigError, ModelConfig
from llmsizing.hf import FAMILIES, read_hf_config
from llmsizing.memory import kv_cache_bytes_per_token

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "legacy_configs"
NEW_TYPES = ("gpt2", "gpt_bigcode", "gpt_neox", "gptj", "falcon", "bloom", "mpt", "opt", "dbrx")


def cfg(name: str, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    return {**data, **changes}


def total(c: dict[str, Any]) -> int:
    return read_hf_config(c).param_counts().total


def ln(width: int, bias: bool = True) -> int:
    """nn.LayerNorm(width): a weight, and a bias unless built with bias=False."""
    return width * (2 if bias else 1)


def linear(inp: int, out: int, bias: bool) -> int:
    """nn.Linear(inp, out) (or GPT-2's Conv1D(out, inp), the same parameters)."""
    return inp * out + (out if bias else 0)


# ----------------------------------------------------------------- hand derivations
def gpt2_by_hand(c: dict[str, Any]) -> int:
    """GPT2LMHeadModel: wte (V, h) + wpe (n_positions, h); per GPT2Block ln_1, c_attn
    Conv1D(3h, h) with bias, c_proj Conv1D(h, h) with bias, ln_2, c_fc Conv1D(n_inner, h)
    and c_proj Conv1D(h, n_inner) with biases; ln_f; lm_head tied to wte."""
    v, h, n, p = c["vocab_size"], c["n_embd"], c["n_layer"], c["n_positions"]
    inner = c.get("n_inner") or 4 * h
    layer = ln(h) + linear(h, 3 * h, True) + linear(h, h, True)
    layer += ln(h) + linear(h, inner, True) + linear(inner, h, True)
    return v * h + p * h + n * layer + ln(h)


def bigcode_by_hand(c: dict[str, Any]) -> int:
    """GPTBigCodeForCausalLM: as GPT-2, but c_attn is nn.Linear(h, h + 2 * kv_dim) with
    kv_dim = head_dim (multi_query: one K and one V head) or h."""
    v, h, n, p = c["vocab_size"], c["n_embd"], c["n_layer"], c["n_positions"]
    hd = h // c["n_head"]
    kv_dim = hd if c.get("multi_query", True) else h
    inner = c.get("n_inner") or 4 * h
    layer = ln(h) + linear(h, h + 2 * kv_dim, True) + linear(h, h, True)
    layer += ln(h) + linear(h, inner, True) + linear(inner, h, True)
    return v * h + p * h + n * layer + ln(h)


def neox_by_hand(c: dict[str, Any]) -> int:
    """GPTNeoXForCausalLM: embed_in; per layer input_layernorm and post_attention_layernorm
    (both, whatever use_parallel_residual), query_key_value Linear(h, 3h) and dense Linear(h, h)
    with attention_bias (default true), dense_h_to_4h / dense_4h_to_h with biases;
    final_layer_norm; an untied lm_head Linear(h, V, bias=False). Rotary: no parameters."""
    v, h, n, i = c["vocab_size"], c["hidden_size"], c["num_hidden_layers"], c["intermediate_size"]
    b = c.get("attention_bias", True)
    layer = 2 * ln(h) + linear(h, 3 * h, b) + linear(h, h, b)
    layer += linear(h, i, True) + linear(i, h, True)
    head = 0 if c.get("tie_word_embeddings", False) else v * h
    return v * h + n * layer + ln(h) + head


def gptj_by_hand(c: dict[str, Any]) -> int:
    """GPTJForCausalLM: wte; per GPTJBlock ln_1 (one norm: attention and MLP in parallel),
    q/k/v/out_proj Linear(h, h, bias=False), fc_in Linear(h, n_inner or 4h) and fc_out with
    biases; ln_f; lm_head Linear(h, V) with a bias, untied."""
    v, h, n = c["vocab_size"], c["n_embd"], c["n_layer"]
    inner = c.get("n_inner") or 4 * h
    layer = ln(h) + 4 * linear(h, h, False) + linear(h, inner, True) + linear(inner, h, True)
    return v * h + n * layer + ln(h) + linear(h, v, True)


def falcon_by_hand(c: dict[str, Any]) -> int:
    """FalconForCausalLM: word_embeddings; per FalconDecoderLayer query_key_value
    Linear(h, qkv) with ``bias``, qkv = (2 kv + heads) x head_dim with new_decoder_architecture,
    h + 2 head_dim with multi_query, else 3h; dense Linear(h, h); dense_h_to_4h / dense_4h_to_h
    (ffn_hidden_size or 4h); LayerNorms (with bias): ln_attn + ln_mlp (new architecture),
    input_layernorm only (parallel_attn), or input + post_attention; ln_f; lm_head tied."""
    v, h, n, nh = (
        c["vocab_size"],
        c["hidden_size"],
        c["num_hidden_layers"],
        c["num_attention_heads"],
    )
    hd = h // nh
    b = c.get("bias", False)
    new = c.get("new_decoder_architecture", False)
    if new:
        qkv = (2 * c["num_kv_heads"] + nh) * hd
    elif c.get("multi_query", True):
        qkv = h + 2 * hd
    else:
        qkv = 3 * h
    f = c.get("ffn_hidden_size") or 4 * h
    norms = 2 if new or not c.get("parallel_attn", True) else 1
    layer = linear(h, qkv, b) + linear(h, h, b) + linear(h, f, b) + linear(f, h, b)
    layer += norms * ln(h)
    return v * h + n * layer + ln(h)


def bloom_by_hand(c: dict[str, Any]) -> int:
    """BloomForCausalLM: word_embeddings + word_embeddings_layernorm; per BloomBlock
    input_layernorm, query_key_value Linear(h, 3h, bias=True), dense Linear(h, h),
    post_attention_layernorm, dense_h_to_4h / dense_4h_to_h (4h) with biases; ln_f; tied
    head. ALiBi: no position parameters."""
    v, h, n = c["vocab_size"], c.get("n_embed") or c["hidden_size"], c["n_layer"]
    layer = 2 * ln(h) + linear(h, 3 * h, True) + linear(h, h, True)
    layer += linear(h, 4 * h, True) + linear(4 * h, h, True)
    return v * h + ln(h) + n * layer + ln(h)


def mpt_by_hand(c: dict[str, Any]) -> int:
    """MptForCausalLM: wte; per MptBlock norm_1 and norm_2 (LayerNorm, bias set to None),
    Wqkv Linear(h, 3h) and out_proj Linear(h, h) without bias, up_proj / down_proj (4h, no
    bias); norm_f (no bias); tied head. ALiBi: no position parameters."""
    v, h, n = c["vocab_size"], c["d_model"], c["n_layers"]
    layer = 2 * ln(h, bias=False) + linear(h, 3 * h, False) + linear(h, h, False)
    layer += linear(h, 4 * h, False) + linear(4 * h, h, False)
    return v * h + n * layer + ln(h, bias=False)


def opt_by_hand(c: dict[str, Any]) -> int:
    """OPTForCausalLM: embed_tokens (V, word_embed_proj_dim), embed_positions
    (max_position_embeddings + 2, h) (OPTLearnedPositionalEmbedding's offset of 2),
    project_in / project_out Linear(e, h) / Linear(h, e) without bias when e != h; per layer
    q/k/v/out_proj Linear(h, h) and fc1 / fc2 (ffn_dim) with enable_bias, self_attn_layer_norm
    and final_layer_norm; the decoder's final_layer_norm only with do_layer_norm_before;
    lm_head (V, e) tied to embed_tokens."""
    v, h, n, f = c["vocab_size"], c["hidden_size"], c["num_hidden_layers"], c["ffn_dim"]
    e = c.get("word_embed_proj_dim") or h
    b = c.get("enable_bias", True)
    out = v * e + (c["max_position_embeddings"] + 2) * h
    if e != h:
        out += 2 * e * h
    layer = 4 * linear(h, h, b) + linear(h, f, b) + linear(f, h, b) + 2 * ln(h)
    final = ln(h) if c.get("do_layer_norm_before", True) else 0
    return out + n * layer + final


def dbrx_by_hand(c: dict[str, Any]) -> tuple[int, int]:
    """DbrxForCausalLM: wte; per DbrxBlock norm_1 / norm_2 (LayerNorm bias=False), Wqkv
    Linear(h, h + 2 kv_n_heads head_dim, bias=False), out_proj Linear(h, h, bias=False),
    router Linear(h, experts, bias=False), experts w1 / v1 / w2 each (experts x ffn, h);
    norm_f (bias=False); lm_head Linear(h, V, bias=False), untied. Active: top_k of the
    experts' weights."""
    v, h, n, nh = c["vocab_size"], c["d_model"], c["n_layers"], c["n_heads"]
    a, ffn = c["attn_config"], c["ffn_config"]
    hd = h // nh
    e, k, f = ffn["moe_num_experts"], ffn["moe_top_k"], ffn["ffn_hidden_size"]
    shared = 2 * ln(h, bias=False) + (h * (h + 2 * a["kv_n_heads"] * hd)) + h * h + h * e
    experts = 3 * e * f * h
    outside = 2 * v * h + ln(h, bias=False)
    return outside + n * (shared + experts), outside + n * (shared + experts * k // e)


HAND = [
    ("openai-community--gpt2", gpt2_by_hand),
    ("bigcode--starcoder", bigcode_by_hand),
    ("WizardLMTeam--WizardCoder-15B-V1.0", bigcode_by_hand),
    ("bigcode--gpt_bigcode-santacoder", bigcode_by_hand),
    ("togethercomputer--RedPajama-INCITE-Base-3B-v1", neox_by_hand),
    ("EleutherAI--gpt-j-6b", gptj_by_hand),
    ("tiiuae--falcon-7b", falcon_by_hand),
    ("tiiuae--falcon-40b", falcon_by_hand),
    ("bigscience--bloom-560m", bloom_by_hand),
    ("mosaicml--mpt-7b-instruct", mpt_by_hand),
    ("mosaicml--mpt-30b-chat", mpt_by_hand),
    ("facebook--opt-350m", opt_by_hand),
]


@pytest.mark.parametrize(("name", "by_hand"), HAND, ids=[h[0] for h in HAND])
def test_real_configs_match_the_hand_derivation(name: str, by_hand: Any) -> None:
    c = cfg(name)
    assert total(c) == by_hand(c)


def test_dbrx_total_and_active_match_the_hand_derivation() -> None:
    c = cfg("databricks--dbrx-base")
    pc = read_hf_config(c).param_counts()
    assert (pc.total, pc.active) == dbrx_by_hand(c)


@pytest.mark.parametrize(
    ("model_type", "by_hand", "flags"),
    [
        ("falcon", falcon_by_hand, {"multi_query": False, "parallel_attn": False, "bias": True}),
        ("falcon", falcon_by_hand, {"alibi": True, "multi_query": False, "bias": True}),
        ("gpt_bigcode", bigcode_by_hand, {"multi_query": False}),
        ("gpt_neox", neox_by_hand, {"attention_bias": False, "use_parallel_residual": False}),
        ("gpt_neox", neox_by_hand, {"tie_word_embeddings": True}),
        ("opt", opt_by_hand, {"enable_bias": False, "word_embed_proj_dim": 64}),
        ("gpt2", gpt2_by_hand, {"n_inner": 100}),
    ],
)
def test_switches_match_the_hand_derivation(
    model_type: str, by_hand: Any, flags: dict[str, Any]
) -> None:
    # small configs in each family's own spelling, every switch the reader follows
    small = {
        "falcon": {"vocab_size": 97, "hidden_size": 64, "num_hidden_layers": 3,
                   "num_attention_heads": 4, "num_kv_heads": 4},
        "gpt_bigcode": {"vocab_size": 97, "n_embd": 64, "n_layer": 3, "n_head": 4,
                        "n_positions": 32},
        "gpt_neox": {"vocab_size": 97, "hidden_size": 64, "num_hidden_layers": 3,
                     "num_attention_heads": 4, "intermediate_size": 80},
        "opt": {"vocab_size": 97, "hidden_size": 32, "num_hidden_layers": 3,
                "num_attention_heads": 4, "ffn_dim": 80, "max_position_embeddings": 40},
        "gpt2": {"vocab_size": 97, "n_embd": 64, "n_layer": 3, "n_head": 4, "n_positions": 32},
    }[model_type]  # fmt: skip
    c = {"model_type": model_type, **small, **flags}
    assert total(c) == by_hand(c)


# ----------------------------------------------------------------- published totals
@pytest.mark.parametrize(
    ("name", "changes", "published"),
    [
        # transformers' own count, printed (public code index file id 58641530465:
        # "GPT2LMHeadModel<all params:124439808>")
        ("openai-community--gpt2", {}, 124_439_808),
        # gpt2-xl: KerasHub preset "params": 1557611200 (file id 330605117), also quoted as
        # the GPT2LMHeadModel count in file id 37767172240; GPT2Config spelling of its shape
        ("openai-community--gpt2", {"n_embd": 1600, "n_layer": 48, "n_head": 25}, 1_557_611_200),
        # printed model count of a WizardCoder-15B-V1.0 load (file id 6065722564:
        # "# 15,517,462,528 -> 155亿参数"); its vocabulary is StarCoder's plus one token
        ("WizardLMTeam--WizardCoder-15B-V1.0", {}, 15_517_462_528),
        # StarCoder's own vocabulary (49152): 6144 fewer, as tabulated for the StarCoder-15B
        # fine-tune 'multipl-t-starcoder-15b' (file id 69542685706)
        ("bigcode--starcoder", {}, 15_517_456_384),
        # Together's price table, RedPajama-INCITE-Base-3B-v1: 2775864320 (file id 4120541175)
        ("togethercomputer--RedPajama-INCITE-Base-3B-v1", {}, 2_775_864_320),
        # printed "# of params: 6050882784" for gpt-j-6B (file id 37133021827)
        ("EleutherAI--gpt-j-6b", {}, 6_050_882_784),
        # huggingface_hub's test of bloom-560m's safetensors metadata:
        # parameter_count == {"F16": 559214592} (file id 105710915)
        ("bigscience--bloom-560m", {}, 559_214_592),
        # BLOOM-176B (n_embed 14336, 70 layers, 112 heads), listed with bloom-560m's
        # 559214592 and bloom-7b1's 7069016064 in file id 31940280194
        (
            "bigscience--bloom-560m",
            {"hidden_size": 14336, "n_layer": 70, "n_head": 112},
            176_247_271_424,
        ),
        # "The original model has 125239296 parameters" (OPT-125m, file id 5044897445)
        (
            "facebook--opt-350m",
            {
                "hidden_size": 768,
                "num_hidden_layers": 12,
                "num_attention_heads": 12,
                "ffn_dim": 3072,
                "word_embed_proj_dim": 768,
                "do_layer_norm_before": True,
            },
            125_239_296,
        ),
        # "--n_elements 331196416  # OPT-350M" (file id 65900525034)
        ("facebook--opt-350m", {}, 331_196_416),
    ],
)
def test_published_exact_totals(name: str, changes: dict[str, Any], published: int) -> None:
    assert total(cfg(name, **changes)) == published


def test_class_defaults_are_the_reference_checkpoints() -> None:
    # a config of nothing but its model_type takes the transformers class defaults, which
    # are GPT-2 small, GPT-J-6B, GPT-NeoX-20B and Falcon-7B
    assert total({"model_type": "gpt2"}) == 124_439_808
    assert total({"model_type": "gptj"}) == 6_050_882_784
    # GPT-NeoX-20B model card, hyperparameter table: n_parameters 20554567680 (file id
    # 11962735843)
    assert total({"model_type": "gpt_neox"}) == 20_554_567_680
    assert total({"model_type": "falcon"}) == total(cfg("tiiuae--falcon-7b"))


def test_pythia_totals() -> None:
    # EleutherAI's Pythia sizes as GPTNeoXModel counts them (file id 38434618118; also
    # 28582838355): pythia-160m 162322944, pythia-6.9b 6857302016
    base = cfg("togethercomputer--RedPajama-INCITE-Base-3B-v1")
    small = {"vocab_size": 50304, "hidden_size": 768, "num_hidden_layers": 12}
    small |= {"num_attention_heads": 12, "intermediate_size": 3072}
    assert total({**base, **small}) == 162_322_944
    big = {"hidden_size": 4096, "num_attention_heads": 32, "intermediate_size": 16384}
    assert total({**base, **big}) == 6_857_302_016


def test_falcon_7b_against_the_hub_size_label() -> None:
    # Falcon-7B checkpoints in safetensors show "Model size 7.22B params" on the Hub
    # (huggingface.co/jiagaoxiang/falcon-7b-instruct-rlhf-ckpt-350): the safetensors files
    # store the tied head (lm_head.weight) as a tensor of its own, so the label counts it twice
    m = read_hf_config(cfg("tiiuae--falcon-7b"))
    pc = m.param_counts()
    assert pc.total == 6_921_720_704
    assert round((pc.total + m.vocab_size * m.hidden_size) / 1e9, 2) == 7.22


def test_dbrx_against_the_model_card() -> None:
    # transformers docs, model_doc/dbrx (the model card's words): "132B total parameters of
    # which 36B parameters are active on any input"
    pc = read_hf_config(cfg("databricks--dbrx-base")).param_counts()
    assert round(pc.total / 1e9) == 132
    assert round(pc.active / 1e9) == 36


# ----------------------------------------------------------------- structure
def tensors(m: ModelConfig) -> dict[str, tuple[int, ...]]:
    return {t.name: t.shape for t in m.tensors()}


def test_learned_positions_and_projections() -> None:
    gpt2 = read_hf_config(cfg("openai-community--gpt2"))
    assert tensors(gpt2)["embed_positions"] == (1024, 768)
    opt = read_hf_config(cfg("facebook--opt-350m"))
    t = tensors(opt)
    # OPTLearnedPositionalEmbedding(2048 + 2, 1024); project_in/out between 512 and 1024
    assert t["embed_positions"] == (2050, 1024)
    assert t["embed_tokens"] == (50272, 512)
    assert t["project_in"] == (1024, 512) and t["project_out"] == (512, 1024)
    assert "norm" not in t  # do_layer_norm_before false: no final LayerNorm
    assert "lm_head" not in t  # tied to embed_tokens (50272, 512)
    # positions and the token table are lookups; project_in is read by every token
    pc = opt.param_counts()
    assert pc.active_excluding_embedding == pc.total - 2050 * 1024
    bloom = read_hf_config(cfg("bigscience--bloom-560m"))
    assert tensors(bloom)["embed_norm.bias"] == (1024,)
    for m in (bloom, read_hf_config(cfg("mosaicml--mpt-7b-instruct"))):
        assert "embed_positions" not in tensors(m)  # ALiBi


def test_norms_and_biases() -> None:
    mpt = tensors(read_hf_config(cfg("mosaicml--mpt-7b-instruct")))
    dbrx = tensors(read_hf_config(cfg("databricks--dbrx-base")))
    for t in (mpt, dbrx):
        assert "norm" in t and "norm.bias" not in t
        assert "layers.0.self_attn.q_proj.bias" not in t
    gptj = read_hf_config(cfg("EleutherAI--gpt-j-6b"))
    assert gptj.lm_head_bias and gptj.layer_norms == 1 and not gptj.qkv_bias
    assert read_hf_config(cfg("tiiuae--falcon-7b")).layer_norms == 1
    assert read_hf_config(cfg("tiiuae--falcon-40b")).layer_norms == 2


# ----------------------------------------------------------------- KV cache
@pytest.mark.parametrize(
    ("name", "by_hand"),
    [
        # multi_query: one KV head of 64; 32 layers x (K + V) x 1 x 64 x 2 bytes
        ("tiiuae--falcon-7b", 32 * 2 * 1 * 64 * 2),
        # new_decoder_architecture, num_kv_heads 8: 60 x 2 x 8 x 64 x 2
        ("tiiuae--falcon-40b", 60 * 2 * 8 * 64 * 2),
        # StarCoder multi_query: 40 x 2 x 1 x (6144 / 48) x 2
        ("bigcode--starcoder", 40 * 2 * 1 * 128 * 2),
        # DBRX attn_config.kv_n_heads 8: 40 x 2 x 8 x (6144 / 48) x 2
        ("databricks--dbrx-base", 40 * 2 * 8 * 128 * 2),
        # ALiBi models cache keys and values like any other: BLOOM-560m 24 x 2 x 16 x 64 x 2
        ("bigscience--bloom-560m", 24 * 2 * 16 * 64 * 2),
        # MPT-7B: 32 x 2 x 32 x 128 x 2
        ("mosaicml--mpt-7b-instruct", 32 * 2 * 32 * 128 * 2),
        # GPT-J: 28 x 2 x 16 x 256 x 2 (rotary on 64 of the 256 channels changes nothing)
        ("EleutherAI--gpt-j-6b", 28 * 2 * 16 * 256 * 2),
    ],
)
def test_kv_bytes_per_token(name: str, by_hand: int) -> None:
    m = read_hf_config(cfg(name))
    assert kv_cache_bytes_per_token(m, "bf16").to("byte").magnitude == by_hand


# ----------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("config", "words"),
    [
        (cfg("tiiuae--falcon-7b", num_attention_heads=70), ["num_attention_heads (70)", "4544"]),
        (cfg("tiiuae--falcon-40b", num_kv_heads=7), ["num_kv_heads (7)", "divide"]),
        (
            cfg("databricks--dbrx-base", ffn_config={"moe_num_experts": 16, "moe_top_k": 17}),
            ["moe_top_k (17)", "moe_num_experts (16)", "ffn_config"],
        ),
        (cfg("databricks--dbrx-base", tie_word_embeddings=True), ["tie_word_embeddings"]),
        (
            cfg("databricks--dbrx-base", attn_config={"kv_n_heads": 5}),
            ["kv_n_heads (5)", "divide"],
        ),
        (cfg("mosaicml--mpt-7b-instruct", expansion_ratio=2), ["expansion_ratio 2", "MptMLP"]),
        (cfg("mosaicml--mpt-7b-instruct", no_bias=False), ["no_bias"]),
        (
            cfg("mosaicml--mpt-7b-instruct", attn_config={"attn_type": "multiquery_attention"}),
            ["attn_type", "multi-head only"],
        ),
        (cfg("mosaicml--mpt-7b-instruct", attn_config={"alibi": False}), ["alibi", "wpe"]),
        (cfg("openai-community--gpt2", add_cross_attention=True), ["add_cross_attention"]),
        (cfg("openai-community--gpt2", n_head=7), ["num_attention_heads (7)", "768"]),
        (cfg("EleutherAI--gpt-j-6b", rotary_dim=512), ["rotary_dim (512)", "256"]),
        (cfg("facebook--opt-350m", word_embed_proj_dim=0), ["word_embed_proj_dim", "positive"]),
        (cfg("tiiuae--falcon-7b-sharded-bf16-refinedweb-keys"), ["'n_head'", "RefinedWeb"]),
    ],
)
def test_bad_configs_name_the_reason(config: dict[str, Any], words: list[str]) -> None:
    with pytest.raises(ConfigError) as e:
        read_hf_config(config)
    msg = str(e.value)
    assert "\n" not in msg
    for w in words:
        assert w in msg, (w, msg)


def test_defaults_are_recorded() -> None:
    m = read_hf_config(cfg("openai-community--gpt2"))
    assert any(a.startswith("n_inner=None") for a in m.assumed)
    assert any(a.startswith("tie_word_embeddings=True") for a in m.assumed)
    d = read_hf_config({"model_type": "dbrx"})
    assert any("kv_n_heads=1 (DbrxAttentionConfig default)" in a for a in d.assumed)


def test_new_types_are_listed() -> None:
    spec = importlib.util.spec_from_file_location(
        "supported_types_md", REPO / "scripts" / "supported_types_md.py"
    )
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    text = mod.markdown()
    for t in NEW_TYPES:
        assert t in FAMILIES
        assert f"`{t}`" in text
    assert FAMILIES["dbrx"].kind == "moe"
