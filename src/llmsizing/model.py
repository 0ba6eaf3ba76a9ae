"""Model configuration and parameter counts.

A :class:`ModelConfig` describes a decoder-only language model completely
enough to count every parameter its reference implementation instantiates and
every byte of KV cache and recurrent state it keeps: per-layer mixer kind
(full, sliding-window or chunked softmax attention, linear attention, Mamba
state-space layers, short convolutions, cross-attention over vision tokens, or
none), multi-head latent attention
(MLA) and its sparse-attention indexer, gated or plain FFNs, mixture-of-experts
layers (routed, shared, dense-first), biases, norms, tied embeddings, per-layer
input embeddings and the extra modules a checkpoint carries (DeepSeek-V3's
multi-token-prediction layer).

Parameters are enumerated as named tensors (:meth:`ModelConfig.tensors`) with
the shapes the model's own code gives them [1]_ [2]_ [3]_; the counts and the
weight memory in :mod:`llmsizing.memory` are sums over those tensors, so the
block-scale overhead of quantised formats is computed per matrix. The cache
and state each layer keeps are in :mod:`llmsizing.attention`.

This module reads no file format: the config readers (``read_hf_config``)
turn ``config.json`` files into these records, and the presets module loads
them by name.

References
----------
.. [1] Hugging Face transformers 5.24, ``models/<family>/modeling_<family>.py``.
.. [2] DeepSeek-AI, "DeepSeek-V2: A Strong, Economical, and Efficient
   Mixture-of-Experts Language Model", arXiv:2405.04434, 2024 (MLA, section 2.1).
.. [3] DeepSeek-AI, "DeepSeek-V3 Technical Report", arXiv:2412.19437, 2024
   (multi-token prediction, section 2.2).

Examples
--------
>>> import llmsizing as ls
>>> m = ls.load_model("llama-3.1-8b")
>>> m.param_counts().total
8030261248
"""

from __future__ import annotations

import functools
import math
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ATTENTION_KINDS",
    "COMPONENTS",
    "LAYER_KINDS",
    "AttentionDims",
    "CCAConfig",
    "CheckpointQuantization",
    "CompressedAttentionConfig",
    "IndexerConfig",
    "InklingLayers",
    "LinearAttentionConfig",
    "MLAConfig",
    "MambaConfig",
    "MoEConfig",
    "ModelConfig",
    "ParamCounts",
    "SharedBlocks",
    "ShortConvConfig",
    "Tensor",
    "VisionTower",
    "weight_reuses",
]

#: What mixes tokens in a decoder layer. ``full``, ``sliding`` and ``chunked`` are softmax
#: attention with a KV cache (MLA when the model has ``mla``); ``linear`` is a recurrent
#: linear-attention layer (Gated DeltaNet, Kimi Delta Attention, Lightning attention) and
#: ``mamba`` a state-space layer, both with a fixed-size state per sequence; ``conv`` is a
#: gated short convolution (LFM2); ``compressed`` DeepSeek-V4's attention over a sliding
#: window and compressed KV entries; ``cross`` a cross-attention layer over a fixed number of
#: vision tokens per sequence (Llama 3.2 Vision), which caches no text token; ``none`` a layer
#: with only an FFN (Nemotron-H).
LayerKind = Literal[
    "full", "sliding", "chunked", "linear", "mamba", "conv", "compressed", "cross", "none"
]
#: Former name of :data:`LayerKind`.
AttentionKind = LayerKind
LAYER_KINDS: tuple[LayerKind, ...] = get_args(LayerKind)
#: Layer kinds that keep a per-token KV cache.
ATTENTION_KINDS: frozenset[str] = frozenset({"full", "sliding", "chunked"})
Component = Literal[
    "embedding",
    "lm_head",
    "attention",
    "dense_ffn",
    "routed_experts",
    "shared_experts",
    "router",
    "norms",
    "extra",
    "vision",
]
#: The components, in the order the breakdowns list them.
COMPONENTS: tuple[Component, ...] = get_args(Component)
#: ``matrix``: a linear layer's weight; ``embedding``: a lookup table; ``vector``: any other
#: parameter (norms, biases, convolution kernels, state-space parameters such as ``A_log``).
TensorKind = Literal["matrix", "embedding", "vector"]
#: What a tensor does in its module; sharding, precision and stage rules read it.
Role = Literal[
    "embedding",  # input token embedding (and per-layer input embeddings)
    "lm_head",  # output projection over the vocabulary
    "q",  # query projection (q_proj, or MLA's q_b_proj / full q_proj)
    "k",  # key projection (and its bias)
    "v",  # value projection (and its bias)
    "o",  # attention output projection
    "q_a",  # MLA query down-projection (replicated in engines)
    "kv_a",  # MLA joint KV down-projection with the rope key (replicated)
    "kv_b",  # MLA KV up-projection
    "sink",  # per-head attention-sink logits
    "attn_gate",  # sigmoid output gate of gated attention (Qwen3-Next, AFMoE)
    "indexer",  # DeepSeek sparse-attention indexer (wq_b, wk, k_norm, weights_proj)
    "compressor",  # DeepSeek-V4 KV compressor (16-bit in its checkpoint, replicated)
    "linear_in",  # linear-attention input projections (q/k/v/z, beta, gates)
    "linear_out",  # linear-attention output projection
    "ssm_in",  # Mamba in_proj (and x_proj, dt_proj of Mamba-1)
    "ssm_out",  # Mamba out_proj
    "ssm_param",  # A_log, D, dt_bias: per-head or per-channel state-space parameters
    "ssm_norm",  # gated RMSNorm over a mixer's inner width (sharded with it)
    "conv",  # depthwise causal convolution kernel (and its bias)
    "gate",  # FFN gate projection
    "up",  # FFN up projection
    "down",  # FFN down projection
    "router",  # MoE router (its bias, routing-score correction bias and scales)
    "shared_gate",  # sigmoid gate on a shared expert's output
    "norm",  # any norm vector
    "ple",  # per-layer-input gate and projections (Gemma 3n / Gemma 4)
    "mtp_proj",  # multi-token-prediction input projection
    "vision",  # vision encoder and its projector into the text model
    "other",
]

# Sanity limits: far above any published model, far below values that only a
# typo produces (10**15 layers). Exceeding one is a ConfigError, not a number.
SANITY_LIMITS = {
    "vocab_size": 10**8,
    "hidden_size": 10**6,
    "num_layers": 10**4,
    "num_heads": 10**5,
    "head_dim": 10**5,
    "intermediate_size": 10**7,
    "n_routed_experts": 10**5,
}


class Tensor(NamedTuple):
    """One parameter tensor as the model's code instantiates it.

    ``shape`` of a matrix is ``(..., out_features, in_features)``; leading
    dimensions stack identical matrices (e.g. the routed experts of a layer).
    """

    name: str
    component: Component
    kind: TensorKind
    shape: tuple[int, ...]
    role: Role = "other"
    #: decoder layer index (of the main stack, or of the MTP module's layer); None outside layers
    layer: int | None = None
    #: True for tensors of a multi-token-prediction module
    mtp: bool = False
    #: routed experts stacked in the leading dimension (0: not a routed-expert tensor)
    experts: int = 0

    @property
    def numel(self) -> int:
        """Number of elements [-]."""
        return math.prod(self.shape)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MLAConfig(_Frozen):
    """Multi-head latent attention dimensions (DeepSeek-V2 section 2.1 [2]_).

    ``bias``: the two down-projections (``q_a_proj``, ``kv_a_proj_with_mqa``)
    carry a bias (Kimi Linear with ``attention_bias``).
    """

    q_lora_rank: int | None
    kv_lora_rank: int
    qk_nope_head_dim: int
    qk_rope_head_dim: int
    v_head_dim: int
    bias: bool = False
    #: True where a layer applies no RoPE (Mistral Large 4's ``no_rope_layers`` = 0): its
    #: key is all "nope", ``qk_nope + qk_rope`` wide out of ``kv_b_proj``, and
    #: ``kv_a_proj_with_mqa`` and the cached latent carry no rope slice; empty: RoPE everywhere
    nope_layers: tuple[bool, ...] = ()
    #: a learned per-head query scale and bias on every layer (2 · heads parameters;
    #: Mistral Large 4's ``MistralLarge4TextSoftmaxScaling``)
    softmax_scaling: bool = False
    #: the query up-projection reads the q-LoRA latent after and before ``q_a_layernorm``,
    #: concatenated: ``2 · q_lora_rank`` inputs (A.X-K2's ``AXK2Attention.q_gate_proj``)
    q_residual: bool = False
    #: an RMSNorm over the rope key before RoPE, ``qk_rope_head_dim`` weights a layer
    #: (dots3-note's ``Dots3NoteTextAttention.k_rope_only_layernorm``)
    rope_norm: bool = False

    def rope_width(self, layer: int) -> int:
        """Width of the rope key layer ``layer`` computes and caches [-] (0 on a NoPE layer)."""
        return 0 if self.nope_layers and self.nope_layers[layer] else self.qk_rope_head_dim


class IndexerConfig(_Frozen):
    """A lightning indexer: DeepSeek Sparse Attention's (``dsa``) or MiniMax-M3's (``block``).

    ``dsa`` (DeepSeek-V3.2, GLM-5), per layer: ``wq_b`` (q_lora_rank → n_heads ·
    head_dim), ``wk`` (hidden → head_dim), a LayerNorm on the key, and
    ``weights_proj`` (hidden → n_heads); one ``head_dim`` key per token is cached
    (in fp8 with scales) besides the MLA latent and each query attends to the
    ``topk`` tokens it selects.

    ``block`` (MiniMax-M3's ``MiniMaxM3VLIndexer``), beside grouped-query attention:
    ``q_proj`` (hidden → n_heads · head_dim), ``k_proj`` (hidden → head_dim) and an
    RMSNorm (weight only) on each; one ``head_dim`` key per token is cached at the KV
    dtype, and each query attends to the key blocks of ``block_size`` tokens it
    selects, ``topk = index_topk_blocks · block_size`` tokens at most.
    """

    n_heads: int
    head_dim: int
    topk: int
    kind: Literal["dsa", "block"] = "dsa"
    #: keys per scored block of a ``block`` indexer [tokens] (0 for ``dsa``)
    block_size: int = 0
    #: which layers run an indexer of their own (empty: every layer); the others reuse the
    #: previous indexing layer's selection and keep no indexer parameters or keys (GLM-5)
    layers: tuple[bool, ...] = ()
    #: what a ``dsa`` indexer's ``wq_b`` reads: MLA's q-LoRA latent (DeepSeek-V3.2), or the
    #: hidden state through a LayerNorm of its own, ``q_input_norm`` (Mistral Large 4)
    query: Literal["q_lora", "hidden"] = "q_lora"
    #: a learned per-head query scale and bias (2 · n_heads parameters; Mistral Large 4)
    softmax_scaling: bool = False
    #: keys per scored pool of a ``dsa`` indexer (GLM-5.3's ``index_kpool``: a pool
    #: compressor of ``kpool × head_dim`` and ``head_dim × hidden``); 0: keys one by one
    kpool: int = 0

    def on(self, layer: int) -> bool:
        """True if decoder layer ``layer`` has its own indexer."""
        return not self.layers or self.layers[layer]


class CompressedAttentionConfig(_Frozen):
    """DeepSeek-V4's attention: one shared K=V head over a sliding window and compressed entries.

    Per layer (DeepSeek's ``inference/model.py``, ``Attention``): queries through a
    low-rank ``wq_a`` (hidden → ``q_lora_rank``) and ``wq_b`` (→ heads · ``head_dim``),
    one ``head_dim`` K=V entry per token (``wkv``), a grouped low-rank output
    (``wo_a``: ``o_groups`` blocks to ``o_lora_rank`` each, ``wo_b`` back to hidden) and
    a sink logit per head. ``ratios`` gives each decoder layer's compression: 4 (an
    overlapping compressor and an indexer), 128 (a compressor), 0 (the window only);
    ``mtp_ratio`` the MTP block's. ``hc_mult`` residual streams are mixed by
    hyper-connections around every attention and FFN.
    """

    head_dim: int
    q_lora_rank: int
    o_groups: int
    o_lora_rank: int
    rope_dim: int
    window: int
    ratios: tuple[int, ...]
    index_n_heads: int
    index_head_dim: int
    index_topk: int
    hc_mult: int
    mtp_ratio: int = 0

    @property
    def hc_mix(self) -> int:
        """Mixing weights one hyper-connection computes: ``(2 + hc) · hc`` [-]."""
        return (2 + self.hc_mult) * self.hc_mult


class AttentionDims(_Frozen):
    """Head counts and widths of one kind of attention layer, where they differ from the model's.

    ``k_eq_v``: the values reuse the key projection (no ``v_proj``; Gemma 4's
    global layers with ``attention_k_eq_v``). ``sinks``: per-head attention
    sinks on this kind of layer (None: as the model's ``attention_sinks``).
    """

    num_heads: int
    num_kv_heads: int
    head_dim: int
    v_head_dim: int | None = None
    k_eq_v: bool = False
    sinks: bool | None = None

    @property
    def value_head_dim(self) -> int:
        """Width of one value head [-]."""
        return self.v_head_dim or self.head_dim


class LinearAttentionConfig(_Frozen):
    """A recurrent linear-attention mixer and the state it keeps per sequence.

    kind
        ``gated_deltanet`` (Qwen3-Next, Qwen3.5: ``num_k_heads`` query/key heads
        of ``head_k_dim``, ``num_heads`` value heads of ``head_dim``),
        ``kda`` (Kimi Delta Attention: ``num_heads`` heads of ``head_dim`` for
        q, k and v, a low-rank forget gate and output gate of rank ``head_dim``, or
        full-rank ones with ``full_rank_gates``),
        ``lightning`` (MiniMax-01: ``num_heads`` heads of ``head_dim``, fused
        qkv, output gate, no convolution),
        ``rglru`` (Griffin / RecurrentGemma's recurrent block,
        ``RecurrentGemmaRecurrentBlock``: an RG-LRU of width ``num_heads · head_dim``
        whose input and recurrence gates are block-diagonal, ``num_heads`` blocks of
        ``head_dim``; a GeLU branch, a convolution over the other, every linear biased;
        per sequence the convolution window and one fp32 value per channel),
        ``rwkv`` (RWKV-4's time mix, ``RwkvSelfAttention``: ``key``, ``value``,
        ``receptance`` (hidden → ``num_heads · head_dim``, one head of the whole width),
        ``output`` back, ``time_decay`` and ``time_first`` per channel, three token-shift
        mixes of hidden; its layer's channel mix, ``RwkvFeedForward``, adds ``receptance``
        (hidden → hidden) and two token-shift mixes to the plain FFN; per sequence the two
        shifted inputs and the WKV numerator, denominator and maximum per channel, fp32),
        ``mlstm`` (xLSTM's ``xLSTMLayer``: ``num_heads`` heads, queries and keys of
        ``head_k_dim``, values of ``head_dim``; q, k, v and an output gate from hidden,
        scalar input and forget gates per head (biased), a per-head LayerNorm over the
        values, ``out_proj``; per sequence the matrix memory C, the normaliser n and the
        stabiliser m of every head, ``xLSTMCache``).
    conv_kernel
        Width of the depthwise causal convolution over q, k and v (0: none).
    """

    kind: Literal["gated_deltanet", "kda", "lightning", "rglru", "rwkv", "mlstm"]
    num_heads: int
    head_dim: int
    num_k_heads: int | None = None
    head_k_dim: int | None = None
    conv_kernel: int = 0
    #: the delta-rule state is kept in fp32 whatever the cache dtype (Qwen3.5's
    #: ``mamba_ssm_dtype``, which vLLM takes as ``mamba_ssm_cache_dtype``)
    ssm_fp32: bool = False
    #: ``kda`` only: the forget gate and the output gate are full-rank projections
    #: (``f_proj``, ``g_proj``: hidden → heads · head_dim) in place of Kimi's low-rank pairs
    #: (BailingHybrid / Ling 3's ``BailingHybridDeltaAttention``, ``no_kda_lora``)
    full_rank_gates: bool = False
    #: ``mlstm`` only: q, k, v, the output gate, ``out_proj`` and the per-head norm carry
    #: biases (xLSTM's ``use_bias``; the input and forget gates always do)
    proj_bias: bool = False

    @property
    def k_heads(self) -> int:
        """Query/key heads [-] (``num_k_heads``, else ``num_heads``)."""
        return self.num_k_heads or self.num_heads

    @property
    def k_dim(self) -> int:
        """Width of one query/key head [-] (``head_k_dim``, else ``head_dim``)."""
        return self.head_k_dim or self.head_dim


class MambaConfig(_Frozen):
    """A Mamba (selective state-space) mixer.

    version 1 (Mamba, Falcon-Mamba, Jamba): ``d_inner`` channels, each with a
    ``d_state`` state; ``dt_rank`` the rank of the step-size projection.
    version 2 (Mamba-2, Nemotron-H, Bamba, Granite 4, Falcon-H1): ``n_heads``
    heads of ``head_dim`` channels (``n_heads · head_dim = d_inner``), B and C
    shared within ``n_groups`` groups of ``d_state``.
    """

    version: Literal[1, 2]
    d_inner: int
    d_state: int
    d_conv: int
    n_heads: int = 0
    head_dim: int = 0
    n_groups: int = 1
    dt_rank: int = 0
    conv_bias: bool = True
    proj_bias: bool = False
    gated_norm: bool = True
    inner_norms: bool = False
    #: the SSM state is kept in fp32 whatever the cache dtype (Nemotron-H's mamba_ssm_cache_dtype)
    ssm_fp32: bool = False


class ShortConvConfig(_Frozen):
    """LFM2's gated short convolution: in_proj (h → 3h), a depthwise conv, out_proj."""

    kernel: int
    bias: bool = False


class CCAConfig(_Frozen):
    """Compressed Convolutional Attention's q/k/v path (ZAYA1's ``ZayaCCAProjection``,
    arXiv:2510.04476), on every attention layer.

    The values come from two half-width projections, ``v_proj_current`` (this token)
    and ``v_proj_delayed`` (the previous token's, carried as a state); the queries and
    keys, C = (heads + kv heads) · head_dim channels, pass a depthwise convolution
    (``conv_qk_depthwise``: C × 1 × ``depthwise_kernel``) and a grouped one, one group
    per head (``conv_qk_grouped``: C × head_dim × ``grouped_kernel``), both biased;
    ``ZayaQKNorm`` L2-normalises q and k and learns a scale per KV head (``temp``).
    Per sequence a layer keeps its last (``depthwise_kernel`` − 1) + (``grouped_kernel``
    − 1) convolution inputs and the delayed value half (kv heads · head_dim / 2).
    """

    depthwise_kernel: int
    grouped_kernel: int

    @property
    def conv_window(self) -> int:
        """Past q/k inputs the two convolutions read [tokens]."""
        return self.depthwise_kernel - 1 + self.grouped_kernel - 1


class HyperConnections(_Frozen):
    """Gated low-rank hyper-connections (Qwen4-Exp's ``Qwen4ExpTextGatedResidual``).

    The residual stream is ``streams`` copies of the hidden state (width
    :math:`w = s h`). Around each sub-block (attention, MoE) a grouped RMSNorm over
    :math:`w` (``hc_norm``), a mixer down to ``rank`` and back up
    (``input_mix_weight_down`` :math:`r \\times w`, ``input_mix_weight_up``
    :math:`w \\times r`) and ``block_inject_weight`` (:math:`s \\times w`); after the
    layers ``hyper_connection_mixer`` (the same without the inject weight) folds the
    streams back to :math:`h`. They replace the layer norms and the final norm.
    """

    streams: int
    rank: int = 0
    #: ``gated``: Qwen4-Exp's low-rank gated residual (above); ``mhc``: DeepSeek-V4's and
    #: GLM-5.3's dynamic mix, around each sub-block ``fn`` ((2 + s) s × s h), ``base``
    #: ((2 + s) s) and ``scale`` (3: pre, post, comb); ``independent``: Hy4's, without the
    #: comb: 2 s rows and 2 scales
    kind: Literal["gated", "mhc", "independent"] = "gated"
    #: a learned closing collapse of the streams before the final norm (``hc_head``:
    #: ``hc_fn`` s × s h, ``hc_base`` s, ``hc_scale`` 1); False: a mean or the gated mixer
    head: bool = False

    @property
    def rows(self) -> int:
        """Mixing weights one dynamic hyper-connection computes [-]."""
        s = self.streams
        return (2 + s) * s if self.kind == "mhc" else 2 * s

    @property
    def scales(self) -> int:
        """Learned scales of one dynamic hyper-connection [-]."""
        return 3 if self.kind == "mhc" else 2


class SharedBlocks(_Frozen):
    """Transformer blocks shared by the attention layers (Zamba2's ``Zamba2AttentionDecoderLayer``).

    ``count`` sets of weights (``num_mem_blocks``) serve the attention layers in turn: the
    k-th attention layer runs block ``k % count``, whose weights are counted once, at its first
    use (``Zamba2Model.get_layers`` ties the later uses to it). A block reads
    ``input_width`` features (Zamba2: the layer's hidden state concatenated with the token
    embeddings, 2 · hidden): an RMSNorm of that width, q/k/v from it, o back to hidden, an
    RMSNorm of hidden and the model's gated MLP (``gate_up_proj``, ``down_proj``). Per use it
    keeps a rank-``adapter_rank`` LoRA pair on the MLP input (hidden → r → the gate and up
    widths) and, where ``attention_adapters``, on each of q, k and v (``input_width`` → r →
    ``input_width``). The layer adds ``linear`` (hidden → hidden, no bias) after the block;
    its Mamba mixer (``parallel_ssm``) reads the sum. ``tied`` False: every use holds a
    copy of its block (transformers 5.24 ties the blocks only where ``tie_word_embeddings``).
    """

    count: int
    input_width: int
    adapter_rank: int = 0
    attention_adapters: bool = False
    tied: bool = True


class NGramEmbeddings(_Frozen):
    """Hashed n-gram embeddings on some layers (Qwen4-Exp's ``Qwen4ExpTextPLELayer``).

    On each of ``layers`` (0-indexed): a table ``ngram_embedding`` of ``rows[j]``
    rows and ``dim / heads`` columns (``heads`` hashed n-gram heads, each looked up
    once a token), ``key_proj`` (dim → s·h), ``value_proj`` (dim → h), three RMSNorms
    of s·h and a depthwise ``conv1d`` of ``conv_kernel`` (dilation ``ngram_size``),
    with s the hyper-connection streams. The rows are the reader's (a prime per head
    from ``ngram_vocab_size_base``, padded).
    """

    layers: tuple[int, ...]
    rows: tuple[int, ...]
    dim: int
    heads: int
    ngram_size: int
    conv_kernel: int


class InklingLayers(_Frozen):
    """Thinking Machines' Inkling decoder layers (transformers ``models/inkling``,
    ``models/inkling2``, ``models/inkling2_loop``), on grouped-query attention layers of kind
    ``full`` or ``sliding`` (heads and widths per kind: ``full_attention`` /
    ``sliding_attention``).

    Every layer: the keys and the values pass a depthwise causal convolution of
    ``conv_kernel`` taps (``kv_heads · head_dim`` channels each), and so do the attention
    output and the MLP output (``hidden`` channels each: ``InklingDecoderLayer.attn_sconv``
    / ``mlp_sconv``, Inkling 2's ``post_attention_convolution`` / ``post_mlp_convolution``);
    a relative position bias (``InklingRelativeLogits``, ``Inkling2RelativePositionBias``)
    projects ``rel_dim`` relative states per query head (hidden → heads · ``rel_dim``) that
    mix a bank of bias profiles (``rel_dim × extent``: ``sliding_window`` on sliding layers,
    ``rel_extent`` on full ones). Per sequence a layer keeps the last ``conv_kernel − 1``
    inputs of its four convolutions, in fp32 (the modules run in float32).

    ``version`` 1 (``InklingDecoderLayer``): per-head q/k RMSNorms (``qk_norm="head"``) and a
    learned scalar ``global_scale`` on each dense MLP (``InklingMLP``) and each router
    (``InklingTopkRouter``). ``version`` 2 (``Inkling2SlidingDecoderLayer``,
    ``Inkling2FullDecoderLayer``): the queries and the relative states are L2-clipped after a
    learned scale (heads × head_dim, heads × ``rel_dim``), the keys and values normalised
    without weights; ``sink_proj`` (hidden → heads) gives each token a sink logit per head;
    on full layers the key and value convolutions are dynamic
    (``Inkling2DynamicShortConvolution``: ``static_weight`` of ``conv_kernel`` × channels and
    ``weight_proj``, hidden → kv_heads · ``conv_kernel``) and the keys and values read
    RMSNorms of their own (two beside the ``layer_norms``); block attention residuals
    (``Inkling2BlockAttentionResidual``) learn a query (hidden) before each MLP, before each
    attention but the first layer's (three on full layers: q, k, v) and after the layers
    (``final_input``). ``loop_layers`` (Inkling 2 Loop, ``Inkling2LoopTextModel``): the layers
    that run several passes per token, each with four message gates
    (``Inkling2LoopMessageGate``: ``down_proj`` 2 · hidden → ``loop_gate_rank``,
    ``forget_gate_proj`` and ``message_gate_proj`` ``loop_gate_rank`` → hidden) and four
    learned queries (hidden) in the model's ``message_input``; their caches of the later
    passes are ``ModelConfig.layer_kv_copies``. Empty: no loop.
    """

    version: Literal[1, 2]
    conv_kernel: int
    rel_dim: int
    rel_extent: int
    loop_layers: tuple[bool, ...] = ()
    loop_gate_rank: int = 0


class MoEConfig(_Frozen):
    """Mixture-of-experts layout of the MoE layers.

    ``shared_expert_intermediate_size`` is the intermediate width of the one
    MLP that holds all shared experts (DeepSeek builds it as
    ``moe_intermediate_size * n_shared_experts``). ``shared_expert_gate``: a
    sigmoid gate (hidden → 1) on the shared experts' output, built even when
    their width is 0 (Qwen2-MoE). ``score_bias``: a learned per-expert
    routing-score correction bias (a parameter; DeepSeek-V3 keeps it as a buffer).
    ``zero_experts``: experts that return their input (no parameters; LongCat).
    ``latent_size``: the routed experts work in a narrower latent space, entered
    and left through two projections (Nemotron 3 Super's latent MoE).
    ``latent_norms``: norms of ``latent_size`` width in the latent path, each a weight
    vector (Muse Spark: ``MuseSparkMoE.pre_expert_norm`` after the entry projection and
    ``MuseSparkExperts.post_expert_norm`` on each expert's output, one for all experts: 2).
    ``router_scale``: the router learns an input scale (hidden) and a scale per
    expert (Gemma 4). ``extra_norms``: hidden-size norms an MoE layer adds.
    ``router_mlp``: the router is ZAYA1's MLP of that width (``ZayaRouter``): ``down_proj``
    (hidden → width, biased), on every layer but the first ``router_states_scale`` (width;
    the previous layer's router state is added), an RMSNorm, ``fc1`` and ``fc2`` (width →
    width, biased) and ``out_proj`` (width → experts + 1: a skip class that runs no
    expert); 0: one linear router.
    ``output_bias``: a learned bias (hidden) added to the MoE layer's output (JetMoE's
    ``JetMoeMoE.bias``). ``attention_experts``: every attention layer is a mixture of
    attention heads over the same experts and top-k (JetMoE's ``JetMoeMoA``): per expert a
    query projection (hidden → kv_heads · head_dim) and an output projection back (routed
    experts), a router (experts × hidden), an output bias (hidden) and one K/V projection
    for all; a token's top-k experts give ``num_heads = k · num_kv_heads`` query heads.
    ``vision_expert_intermediate_size``: the width of a second set of
    ``n_routed_experts`` experts, with a router (and score bias) of its own, that image
    and video tokens take instead of the text experts (ERNIE-4.5-VL's
    ``Ernie4_5_VLMoeMoeBlock``: ``text_moe`` and ``vision_moe``); 0: no such set. Both
    sets count as routed experts (a token uses ``experts_per_token`` of each set's
    ``n_routed_experts`` by the active-parameter rule).
    ``router_scores_shared``: the router scores the shared experts too, a row each after
    the routed ones (Inkling's ``InklingTopkRouter``: ``n_routed_experts +
    n_shared_experts`` rows; the shared experts' weights come out of the same softmax as
    the routed picks).
    """

    n_routed_experts: int
    experts_per_token: int
    expert_intermediate_size: int
    n_shared_experts: int = 0
    shared_expert_intermediate_size: int = 0
    router_bias: bool = False
    expert_bias: bool = False
    shared_expert_gate: bool = False
    score_bias: bool = False
    zero_experts: int = 0
    latent_size: int = 0
    latent_norms: int = 0
    router_scale: bool = False
    extra_norms: int = 0
    output_bias: bool = False
    attention_experts: bool = False
    router_mlp: int = 0
    vision_expert_intermediate_size: int = 0
    router_scores_shared: bool = False

    @property
    def real_experts_per_token(self) -> float:
        """Routed experts with weights a token passes through, on average [-].

        .. math:: k_{real} = k \\, \\frac{E}{E + Z}

        The router picks ``experts_per_token`` :math:`k` of the :math:`E` routed and
        :math:`Z` zero experts (LongCat-Flash's identity experts, no weights); under
        uniform routing a pick is a real expert with probability :math:`E / (E + Z)`
        (LongCat-Flash: 12 picks of 768, 8 real experts, "about 27B active") [1]_.
        :math:`k` where there are no zero experts.

        References
        ----------
        .. [1] Meituan LongCat Team, "LongCat-Flash Technical Report",
           arXiv:2509.01322 (2025), Sec. 2 (zero-computation experts).
        """
        return (
            self.experts_per_token
            * self.n_routed_experts
            / (self.n_routed_experts + self.zero_experts)
        )


#: Audio encoder kinds of :class:`VisionTower`, one per encoder code family.
AudioKind = Literal[
    "whisper",
    "qwen2_5_omni_audio",
    "qwen3_omni_audio",
    "qwen3_asr",
    "glmasr",
    "voxtral_realtime",
    "fun_asr_nano",
    "conformer",
]


class VisionTower(_Frozen):
    """A multimodal checkpoint's vision encoder and its projector into the text model.

    ``kind`` names the encoder code the tensors follow: ``qwen2_vl``
    (Qwen2VisionTransformerPretrainedModel), ``qwen2_5_vl`` (gated SiLU MLP,
    RMSNorm), ``qwen3_vl`` (Qwen3-VL / Qwen3.5: learned position table,
    DeepStack mergers), ``siglip`` (SigLIP with Gemma 3's projector),
    ``llama4`` (Llama4VisionModel, its pixel-shuffle adapter and projector),
    ``gemma4`` (Gemma4VisionModel and its multimodal embedder) and ``mllama``
    (MllamaVisionModel: a local and a gated global encoder, tile position
    tables, and ``multi_modal_projector``). Sizes are the ``vision_config``'s;
    ``out_hidden_size`` is the text model's hidden size the projector writes;
    ``head_dim`` the width of Gemma 4's per-head q/k norms; ``standardize`` its
    learned output bias and scale; ``global_depth``, ``max_num_tiles`` and
    ``aspect_ratios`` Mllama's global layers, tiles per image and supported
    aspect ratios (``position_embeddings`` its patches per tile with the class
    token, ``projector_input_size`` its ``vision_output_dim``).

    ``clip`` is CLIPVisionModel (a class token, a biasless Conv2d patch embedding, pre
    and post LayerNorms), ``idefics3`` Idefics3VisionTransformer / SmolVLMVisionTransformer
    (SigLIP's layers without a pooling head) and ``internvl`` InternVLVisionModel. A
    ``clip``, ``siglip``, ``idefics3``, ``internvl`` or ``pixtral`` encoder feeds the
    projector ``projector`` names (its fields below); ``""`` keeps the kind's own
    (Gemma 3's for ``siglip``, MistralLarge4's for ``pixtral``, none for the others).

    The tower may instead be a speech model's audio encoder (an :data:`AudioKind`), and
    ``include_vision`` switches every non-text encoder tower on or off: serving engines
    load it beside the text model as they do a vision tower. ``whisper``: Whisper's conv
    stem, learned position table and layers (``Qwen2AudioEncoder``, ``VoxtralEncoder``);
    ``qwen2_5_omni_audio`` (``Qwen2_5OmniAudioEncoder``), ``qwen3_omni_audio``
    (``Qwen3OmniMoeAudioEncoder``) and ``qwen3_asr`` (``Qwen3ASREncoder`` and
    ``Qwen3ASRMultiModalProjector``); ``glmasr`` (``GlmAsrEncoder``); ``voxtral_realtime``
    (``VoxtralRealtimeEncoder``); ``fun_asr_nano`` (``FunAsrNanoEncoder``, SAN-M); and
    ``conformer`` (``GraniteSpeechCTCEncoder`` with its Q-Former projector). For these,
    ``depth``, ``hidden_size`` and ``intermediate_size`` are the encoder's layers, width
    and FFN width (Granite: ``hidden_dim · feedforward_mult``), ``in_channels`` its input
    features per frame (``num_mel_bins``; Fun-ASR: ``num_mel_bins · num_stacked_frames``;
    Granite: ``input_dim``), ``patch_size`` 0, ``position_embeddings`` the rows of a
    learned position table (Whisper's ``max_source_positions``; Granite: the
    ``2 · max_pos_emb + 1`` rows of each layer's ``rel_pos_emb``; 0: sinusoids, a
    buffer), ``out_hidden_size`` the width the tower hands the text model (the text
    hidden size, or the encoder's ``output_dim``), ``head_dim`` the width of an
    attention head where the attention is not ``hidden_size`` wide; the projector into
    the text model reads ``projector_input_size`` features (0: the encoder projects by
    itself), through a hidden layer of ``projector_hidden_size`` (0: one linear layer),
    with biases where ``projector_bias``.
    """

    kind: (
        Literal[
            "qwen2_vl",
            "qwen2_5_vl",
            "qwen3_vl",
            "siglip",
            "llama4",
            "gemma4",
            "mllama",
            "pixtral",
            "clip",
            "idefics3",
            "internvl",
            "glm4v",
            "glm_ocr",
            "ernie4_5_vl",
        ]
        | AudioKind
    )
    depth: int
    hidden_size: int
    intermediate_size: int
    patch_size: int
    out_hidden_size: int
    temporal_patch_size: int = 1
    in_channels: int = 3
    spatial_merge_size: int = 1
    position_embeddings: int = 0
    deepstack_mergers: int = 0
    projector_input_size: int = 0
    projector_output_size: int = 0
    head_dim: int = 0
    standardize: bool = False
    #: query heads and key/value heads of an audio encoder's attention where it is not
    #: ``hidden_size`` wide (``GlmAsrEncoderConfig.num_key_value_heads``,
    #: ``VoxtralRealtimeEncoderConfig.head_dim``, Granite's ``num_heads · dim_head``); 0: none
    num_heads: int = 0
    num_kv_heads: int = 0
    #: channels of the Conv2d stem (``Qwen3OmniMoeAudioEncoderConfig.downsample_hidden_size``)
    downsample_hidden_size: int = 0
    #: the hidden width of a two-layer projector (linear_1, linear_2); Granite's Q-Former width
    projector_hidden_size: int = 0
    #: transformer layers in the projector and their FFN width: Fun-ASR-Nano's adaptor layers
    #: (``FunAsrNanoMultiModalProjector.layers``), Granite's Q-Former (``Blip2QFormerModel``)
    projector_depth: int = 0
    projector_intermediate_size: int = 0
    #: a depthwise convolution's kernel (Fun-ASR's ``fsmn_kernel_size``, Granite's
    #: ``conv_kernel_size``) and the width it runs at (Granite: ``hidden_dim ·
    #: conv_expansion_factor``)
    conv_kernel_size: int = 0
    conv_hidden_size: int = 0
    #: Granite's CTC vocabulary (``GraniteSpeechEncoderConfig.output_dim``: ``out``, ``out_mid``)
    ctc_output_dim: int = 0
    #: Fun-ASR's ``num_timestamp_prediction_layers`` (which layers end in a LayerNorm)
    timestamp_layers: int = 0
    #: Granite's Q-Former: a cross-attention every ``cross_attention_frequency`` layers,
    #: ``window_size // downsample_rate`` learned queries, ``use_qformer_text_input``
    cross_attention_frequency: int = 0
    num_queries: int = 0
    qformer_text_input: bool = False
    #: an audio encoder the checkpoint loads beside this vision tower, counted with it (the
    #: Qwen2.5-Omni / Qwen3-Omni thinker's ``audio_tower`` beside its ``visual``)
    audio_tower: VisionTower | None = None
    global_depth: int = 0
    max_num_tiles: int = 0
    aspect_ratios: int = 0
    #: the projector's linear layers carry biases (Pixtral wrappers' multimodal_projector_bias)
    projector_bias: bool = False
    #: the wrapper's projector: ``llava`` (LlavaMultiModalProjector and its LLaVA-NeXT,
    #: -NeXT-Video and -OneVision copies: ``linear_1`` from ``projector_input_size``, GELU,
    #: ``linear_2``, biased where ``projector_bias``), ``vipllava``
    #: (VipLlavaMultiModalProjector: a LayerNorm first, always biased), ``paligemma``
    #: (PaliGemmaMultiModalProjector: one biased ``h -> projector_output_size`` linear),
    #: ``aya_vision`` (AyaVisionMultiModalProjector: LayerNorm, ``linear_1`` to
    #: ``projector_output_size``, SwiGLU, ``linear_2`` from half of it), ``cohere2_vision``
    #: (Cohere2VisionMultiModalProjector: Aya Vision's without the LayerNorm), ``idefics3``
    #: (Idefics3Connector / SmolVLMConnector: one biasless ``modality_projection.proj``) or
    #: ``internvl`` (InternVLMultiModalProjector: LayerNorm, ``linear_1``, ``linear_2``) or
    #: ``paddleocr`` (PaddleOCRProjector: a LayerNorm over ``hidden_size``, then biased
    #: ``linear_1`` and ``linear_2`` over the merged patches);
    #: ``projector_input_size`` includes the feature layers or the pixel-shuffled patches
    projector: Literal[
        "",
        "llava",
        "vipllava",
        "paligemma",
        "aya_vision",
        "cohere2_vision",
        "idefics3",
        "internvl",
        "paddleocr",
        "idefics2",
        "minicpmv",
    ] = ""
    #: SigLIP's SiglipMultiheadAttentionPoolingHead (``vision_use_head``)
    pooling_head: bool = False
    #: LLaVA-NeXT / -OneVision's learned ``image_newline`` row, ``out_hidden_size`` wide
    image_newline: bool = False
    #: LlavaNextVideoPooler with ``spatial_pool_mode="conv"``: a biased Conv2d of this
    #: stride from ``hidden_size`` to ``pool_channels`` (0: average or max pooling, no weights)
    pool_stride: int = 0
    pool_channels: int = 0
    #: InternVLVisionModel: RMSNorm layers (``norm_type="rms_norm"``), biased q/k/v
    #: (``attention_bias``; GLM-4V's fused ``attn.qkv`` likewise), RMSNorms over q and k
    #: (``use_qk_norm``), a ``mask_token`` (``use_mask_token``) and a final LayerNorm
    #: (``use_mean_pooling`` false)
    rms_norm: bool = False
    qkv_bias: bool = True
    qk_norm: bool = False
    mask_token: bool = False
    final_norm: bool = False


class CheckpointQuantization(_Frozen):
    """How a checkpoint stores its weights, as its ``quantization_config`` states.

    The formats are :data:`llmsizing.dtypes.DTYPES` names (or grouped integers
    such as ``int4-g32``); :func:`llmsizing.memory.resolve_weight_policy` turns
    the record into the policy ``weight_dtype="native"`` sizes with.

    Attributes
    ----------
    method : str
        ``quant_method`` as written (``"fp8"``, ``"compressed-tensors"`` ...).
    linear : str or None
        Format of the quantised linear layers; None when the method is not
        modelled (``"native"`` then refuses, naming it).
    experts : str or None
        Routed-expert format where it differs (gpt-oss: experts only).
    modules : tuple of (str, str)
        ``(module pattern, format)`` pairs that take precedence, first match
        wins: the checkpoint's unquantised modules (``modules_to_not_convert``,
        ``ignore``, ``exclude_modules``) as ``"bf16"`` and per-module formats
        of mixed-precision checkpoints.
    kv_cache : str or None
        The KV-cache format the checkpoint's quantization states (``kv_cache_scheme``
        of 8-bit floats, ModelOpt's ``kv_cache_quant_algo: "FP8"``): ``"fp8"``, or None.
    """

    method: str
    linear: str | None
    experts: str | None = None
    modules: tuple[tuple[str, str], ...] = ()
    kv_cache: str | None = None


class ModelConfig(BaseModel):
    """A decoder-only language model, described completely enough to size it.

    Build one with ``ls.read_hf_config`` or ``ls.load_model``;
    the fields are the architecture, independent of any checkpoint format.

    Attributes
    ----------
    layer_types : tuple of LayerKind
        Mixer of each layer; sliding layers see ``sliding_window`` tokens,
        chunked layers ``attention_chunk_size`` tokens; ``linear`` layers use
        ``linear_attention``, ``mamba`` layers ``mamba``, ``conv`` layers
        ``short_conv``.
    sliding_attention, full_attention : AttentionDims or None
        Heads and widths of sliding (resp. full and chunked) layers where they
        differ from ``num_heads`` / ``num_kv_heads`` / ``head_dim`` (MiMo-V2,
        Gemma 4; with MLA, the query heads of that kind of layer).
    sliding_mla : MLAConfig or None
        MLA dimensions of the sliding-window layers where they differ from
        ``mla``, which then describes the other layers (dots3-note:
        ``Dots3NoteTextAttention`` reads ``config.per_layer_config[i]``, whose SWA
        layers have their own heads, ranks and head widths); a sliding MLA layer
        caches its latent for ``sliding_window`` tokens.
    moe_layers : tuple of bool
        True where the layer's FFN is a mixture of experts.
    ffn_layers : tuple of bool
        False where a layer has no FFN (Nemotron-H's mixer-only layers);
        empty: every layer has one.
    layer_kv_heads : tuple of int
        KV heads of each layer where they vary layer by layer (DeciLM /
        Llama-Nemotron: ``num_attention_heads / n_heads_in_group``), 0 on layers
        without attention; empty: ``num_kv_heads`` (or the per-kind dims) everywhere.
        ``num_kv_heads`` is then the largest entry.
    layer_intermediate_sizes : tuple of int
        Dense FFN width of each layer where it varies layer by layer (DeciLM's
        ``ffn_mult``), 0 on layers without an FFN; empty: ``intermediate_size``
        everywhere, which is then the largest entry.
    attention_replaced_layers, ffn_replaced_layers : tuple of bool
        True where the attention (resp. FFN) sub-block is a single bias-free
        ``hidden → hidden`` linear layer (DeciLM's ``replace_with_linear``:
        ``self_attn.linear_attn``, ``mlp.linear_mlp``); such a layer is of kind
        ``none`` (resp. has no FFN in ``ffn_layers``) and keeps no KV cache.
    sub_block_norms : bool
        Each layer has a norm before each sub-block it has, in place of
        ``layer_norms`` norms: ``input_layernorm`` where it attends (or has the
        linear replacement), ``post_attention_layernorm`` where it has an FFN (or
        its replacement) (DeciLM).
    parallel_ssm : bool
        Every attention layer also has a Mamba mixer beside it (Falcon-H1).
    cca : CCAConfig or None
        Every attention layer projects q, k and v through Compressed Convolutional
        Attention (ZAYA1) and keeps its convolution window and delayed value as a state.
    residual_scales : bool
        A learned scale and bias on each sub-block's output and on the residual it is added
        to (4 · hidden after the attention and after the FFN of every layer), and on the
        embeddings (2 · hidden) (ZAYA1's ``ZayaResidualScaling``, ``input_hidden_states_*``).
    qk_norm : {None, "head", "full"}
        RMSNorm on queries and keys, per head (Qwen3, Gemma 3) or over the
        whole projection (OLMo 2); with a bias too where ``qk_norm_bias``.
    attn_output_gate : {None, "fused", "separate", "head"}
        Sigmoid gate on the attention output: one per query channel, folded into
        ``q_proj`` (Qwen3-Next, ``fused``; with MLA one per value channel in the query
        up-projection, A.X-K2's ``q_gate_proj``) or its own ``gate_proj`` (AFMoE,
        ``separate``), or one per query head (Step-3.5 / 3.7's ``g_proj``, ``head``).
    o_proj_width : int or None
        Input width of the attention output projection where it is not
        ``heads · v_head_dim`` (Helium, StableLM: ``hidden_size``).
    act_params : int
        Learned parameters of the FFN activation (Apertus' xIELU: 2).
    ffn_sub_norm : bool
        A norm over each dense FFN's intermediate activation, before its down
        projection: ``ffn_width`` weights (a bias too where ``norm_bias``) per layer
        (BitNet b1.58's ``BitNetMLP.ffn_sub_norm``, an RMSNorm).
    layer_norms : int
        Hidden-size norms per decoder layer (2, or 4 for Gemma 3); each has a
        bias too where ``norm_bias``.
    kv_shared_layers : int
        The last layers reuse an earlier layer's KV cache (Gemma 4): they have
        no K/V projections and add no KV cache; their FFN is
        ``kv_shared_ffn_factor`` times as wide.
    moe_with_dense : bool
        MoE layers keep their dense MLP beside the experts (Gemma 4).
    per_layer_input_size : int
        Width of Gemma 3n / 4 per-layer input embeddings (0: none).
    position_embeddings : int
        Rows of a learned absolute position table added to the token embeddings
        (GPT-2, StarCoder 1: ``n_positions``; OPT: ``max_position_embeddings + 2``);
        0: none (rotary or ALiBi positions).
    rope_dim : int
        Dimensions of each head that rotary embeddings rotate (0: no RoPE); engines
        precompute a cos/sin table of ``max_position_embeddings`` rows of this width.
    rope_tables : tuple of (int, float)
        (width, rows per ``max_position_embeddings``) of each cos/sin table an engine
        builds where a model's layer kinds rotate with different RoPE configurations or
        its scaling widens the table (Gemma 3's sliding base and 8x linear scaling, Gemma
        4's 512-wide proportional table); empty: one table of ``rope_dim``.
    mrope : bool
        The rotary embedding is multimodal (M-RoPE: ``mrope_section`` in the rope
        configuration, Qwen2-VL and its successors), whose table vLLM builds four
        times as long (:func:`llmsizing.memory.rope_cache_bytes`).
    embedding_norm : bool
        A norm over the token embeddings before the first layer (BLOOM's
        ``word_embeddings_layernorm``), with a bias where ``norm_bias``.
    embedding_size : int or None
        Width of the token embedding and the output head where it differs from
        ``hidden_size``; ``project_in`` (embedding → hidden) and ``project_out``
        (hidden → embedding) matrices without bias join them (OPT-350m's
        ``word_embed_proj_dim``).
    input_embedding_size : int or None
        Width of the token embedding, the learned position table and the
        embedding norm where they differ from ``hidden_size`` and a biased linear
        (``input_projection``) maps their sum to it, with no projection back
        before the head (ELECTRA's ``embedding_size``, RemBERT's
        ``input_embedding_size``, RoFormer's ``embedding_size``); excludes
        ``embedding_size``.
    input_tables : tuple of (int, int)
        Further learned tables looked up per token beside the token and position
        embeddings, ``(rows, width)`` each: BERT's ``token_type_embeddings``
        (``type_vocab_size`` rows), ERNIE's ``task_type_embeddings``, RoC-BERT's
        ``pronunciation_embed`` and ``shape_embed``, RoFormer's frozen sinusoidal
        position table (``RoFormerEncoder.embed_positions``, ``head_dim`` wide).
    head_transform_size : int or None
        Output width of ``head_transform`` (its dense layer and norm), and so the
        input width of the output head, where it differs from ``hidden_size``
        (ELECTRA's ``ElectraGeneratorPredictions`` and RoFormer's
        ``RoFormerPredictionHeadTransform``: ``embedding_size``; RemBERT's
        ``RemBertLMPredictionHead``: ``output_embedding_size``).
    mtp_layers : int
        Multi-token-prediction modules the checkpoint carries but inference
        need not load (DeepSeek-V3: 1), counted as ``extra``.
    compressed_attention : CompressedAttentionConfig or None
        DeepSeek-V4's attention of ``compressed`` layers (sliding window,
        compressed entries, indexer, hyper-connections).
    cross_attention_tokens : int
        Vision tokens whose K and V each ``cross`` layer caches per sequence
        [tokens] (Llama 3.2 Vision: one image of ``max_num_tiles`` tiles of
        ``(image_size / patch_size)² + 1`` patches), or, with
        ``encoder_attention_width``, that each attention layer's cross-attention
        block caches (BLIP: ``BlipTextSelfAttention`` keeps the image's K and V in
        ``EncoderDecoderCache.cross_attention_cache``); 0 without either.
    embedding_rows : int or None
        Rows of the input token embedding where it differs from ``vocab_size``
        (``MllamaTextModel``: ``vocab_size + 8``); the output head keeps
        ``vocab_size`` rows.
    shared_blocks : SharedBlocks or None
        The attention layers run shared transformer blocks (attention and MLP) in
        place of their own attention (Zamba2); those layers' own FFN is absent.
    assumed : tuple of str
        Fields the config file omitted and that took the architecture's
        documented default, so no default is applied silently.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    model_type: str
    vocab_size: int
    hidden_size: int
    num_layers: int
    num_heads: int
    num_kv_heads: int
    head_dim: int
    v_head_dim: int | None = None
    intermediate_size: int
    ffn_gated: bool = True
    layer_types: tuple[LayerKind, ...]
    sliding_window: int | None = None
    attention_chunk_size: int | None = None
    max_position_embeddings: int | None = None
    rope_dim: int = Field(default=0, ge=0)
    rope_tables: tuple[tuple[int, float], ...] = ()
    mrope: bool = False
    sliding_attention: AttentionDims | None = None
    full_attention: AttentionDims | None = None
    mla: MLAConfig | None = None
    sliding_mla: MLAConfig | None = None
    indexer: IndexerConfig | None = None
    compressed_attention: CompressedAttentionConfig | None = None
    linear_attention: LinearAttentionConfig | None = None
    mamba: MambaConfig | None = None
    short_conv: ShortConvConfig | None = None
    cca: CCAConfig | None = None
    residual_scales: bool = False
    #: learned hidden-wide starting states of a recurrent module, outside every layer
    #: (HRM-Text's ``HrmTextModel.z_L_init``, the low-level stack's initial state: 1)
    initial_states: int = 0
    hyper_connections: HyperConnections | None = None
    ngram_embeddings: NGramEmbeddings | None = None
    shared_blocks: SharedBlocks | None = None
    parallel_ssm: bool = False
    moe: MoEConfig | None = None
    moe_layers: tuple[bool, ...] = ()
    moe_with_dense: bool = False
    kv_shared_ffn_factor: int = 1
    ffn_layers: tuple[bool, ...] = ()
    layer_kv_heads: tuple[int, ...] = ()
    layer_intermediate_sizes: tuple[int, ...] = ()
    attention_replaced_layers: tuple[bool, ...] = ()
    ffn_replaced_layers: tuple[bool, ...] = ()
    sub_block_norms: bool = False
    qkv_bias: bool = False
    #: the key projections' bias where it differs from ``qkv_bias`` (Whisper's
    #: ``WhisperAttention`` builds ``k_proj`` with ``bias=False`` beside biased q, v and
    #: out_proj, in the self- and the cross-attention); None: as ``qkv_bias``
    k_bias: bool | None = None
    #: width of the encoder states read by a cross-attention block inside every attention
    #: layer, after its self-attention (the encoder-decoder families' ``encoder_attn``:
    #: ``BartDecoderLayer``, ``MarianDecoderLayer``, ``WhisperDecoderLayer``; TrOCR's
    #: ``TrOCRDecoderLayer`` with ``kdim = vdim = cross_attention_hidden_size``): q_proj
    #: (hidden → heads · head_dim), k_proj and v_proj from this width, out_proj back to
    #: hidden, biased as the self-attention (``qkv_bias``, ``k_bias``, ``o_bias``); its norm
    #: (``encoder_attn_layer_norm``) is one of ``layer_norms``. It caches no token: its keys
    #: and values come from the encoder output, which a causal-LM decoder is not given
    #: (``BartForCausalLM`` keeps the self-attention's K and V only), unless
    #: ``cross_attention_tokens`` says how many encoder tokens it keeps K and V of per
    #: sequence (BLIP's ``BlipTextLMHeadModel`` run on the image embeddings); 0: no such block
    encoder_attention_width: int = Field(default=0, ge=0)
    o_bias: bool = False
    #: True where a layer's attention output projection has a bias, in place of ``o_bias``
    #: (GPT-NeoX-Japanese: ``GPTNeoXJapaneseAttention.dense_bias``, hidden-wide, in the last
    #: layer only); empty: ``o_bias`` on every layer
    o_bias_layers: tuple[bool, ...] = ()
    mlp_bias: bool = False
    act_params: int = 0
    #: nGPT's learned scale vectors (Dory, ``DoryForCausalLM``): ``sqk`` and ``s_gate``
    #: (heads · head_dim) in each ``DoryAttention``, ``suv_gate`` and ``suv_up`` (FFN width)
    #: in each ``DoryMLP``, the residual rates ``lambda_1`` and ``lambda_2`` (hidden) in each
    #: ``DoryDecoderLayer`` and ``DoryLMHead.logit_scale`` (vocab, kept when the head is tied)
    ngpt_scales: bool = False
    #: Doge's dynamic mask (``DogeAttention``): ``A`` (one per KV head) and ``dt_proj``
    #: (KV heads · head_dim -> KV heads, biased where ``qkv_bias``) in every attention layer
    dynamic_mask: bool = False
    #: Doge's learned residual scales (``DogeDecoderLayer.input_residual`` and
    #: ``post_attention_residual``): two hidden-wide vectors a layer
    residual_vectors: bool = False
    ffn_sub_norm: bool = False
    qk_norm: Literal["head", "full"] | None = None
    qk_norm_bias: bool = False
    attn_output_gate: Literal["fused", "separate", "head"] | None = None
    #: the output gate adds a learned bias per query head, broadcast over the head's
    #: channels (Beam's ``BeamAttention.gate_bias``: ``heads`` parameters a layer)
    attn_gate_bias: bool = False
    o_proj_width: int | None = None
    attention_sinks: bool = False
    #: differential attention's re-parametrised lambda (DiffLlama, ``DiffLlamaAttention``):
    #: ``lambda_q1``, ``lambda_k1``, ``lambda_q2`` and ``lambda_k2``, ``head_dim`` each, in
    #: every attention layer (its ``groupnorm`` has no affine weights)
    diff_attn_lambdas: bool = False
    layer_norms: int = 2
    #: hidden-size norms of each decoder layer where they differ from ``layer_norms``
    #: (ModernBERT-decoder's ``ModernBertDecoderLayer`` builds no ``attn_norm`` on layer 0:
    #: 1, 2, 2, ...; RWKV's ``RwkvBlock`` adds ``pre_ln`` on block 0: 3, 2, 2, ...); empty:
    #: ``layer_norms`` on every layer
    layer_norm_counts: tuple[int, ...] = ()
    norm_bias: bool = False
    final_norm: bool = True
    #: the final norm's bias where it differs from ``norm_bias`` (xLSTM's ``out_norm`` has
    #: none whatever ``use_bias``); None: as ``norm_bias``
    final_norm_bias: bool | None = None
    #: a transform before the output head (ModernBERT-decoder's
    #: ``ModernBertDecoderPredictionHead``: ``dense``, hidden → hidden, then a norm)
    head_transform: bool = False
    #: ``head_transform``'s dense layer carries a bias (ModernBERT's ``classifier_bias``)
    head_transform_bias: bool = False
    #: rows of a learned relative-position bias table shared by every layer, one column per
    #: head (CPM-Ant's ``CpmAntSegmentPositionEmbedding.relative_attention_bias``:
    #: ``segment_types² + position_bias_num_buckets`` rows); 0: none
    position_bias_rows: int = 0
    lm_head_bias: bool = False
    tie_word_embeddings: bool = False
    kv_shared_layers: int = 0
    #: every attention layer attends to K and V that another model computes and caches (the
    #: Gemma 4 assistants: ``Gemma4AssistantForCausalLM`` passes the target's
    #: ``shared_kv_states`` and runs its text model with every layer ``"reuse"``): no layer has
    #: K/V projections or a KV cache of its own (``kv_source_layer`` is -1)
    external_kv: bool = False
    #: the layer whose KV cache each layer reads (Mistral Large 4's ``kv_source_layers``):
    #: a layer reading another's has no KV down-projection and caches nothing of its own;
    #: empty: ``kv_shared_layers``' rule
    kv_sources: tuple[int, ...] = ()
    #: KV caches each layer keeps where it runs several times per token and caches every pass
    #: (Dory's recurrent section with ``recurrent_kv_cache_mode="per_loop"``: ``DoryModel.forward``
    #: appends ``n_recurrent_loops - 1`` copies of those layers' cache layers); empty: one each
    layer_kv_copies: tuple[int, ...] = ()
    #: times each layer runs per token (Dory's recurrent section ``n_recurrent_loops``,
    #: HRM-Text's cycles, Inkling 2 Loop's passes): a looped layer multiplies by its weights
    #: and attends at every pass (:func:`weight_reuses`); empty: once each
    layer_passes: tuple[int, ...] = ()
    #: Thinking Machines' Inkling layers (``InklingDecoderLayer``; Inkling 2's
    #: ``Inkling2SlidingDecoderLayer`` / ``Inkling2FullDecoderLayer`` and their loop
    #: variants): short convolutions, a relative position bias and the version's extras
    #: on every attention layer (:class:`InklingLayers`); None: none
    inkling: InklingLayers | None = None
    #: a learned scale per rotary frequency, ``ceil(rope_dim / 2)`` parameters
    #: (Mistral Large 4's ``MistralLarge4TextRotaryEmbedding.alpha``)
    learned_rope_scale: bool = False
    #: rank of the low-rank sigmoid gate behind a layer's first ``norm_gates[i]`` norms
    #: (A.X-K2's ``AXK2GatedRMSNorm``: ``y = norm(x)``, ``y · σ(fc2(silu(fc1(y))))``, with
    #: ``fc1`` h → r and ``fc2`` r → h, unbiased); 0: none
    norm_gate_rank: int = 0
    #: gated norms of each layer, the first of its ``layer_norms`` (A.X-K2: the input norm of
    #: every layer and the post-attention norm of MoE layers, 1 or 2); empty: none
    norm_gates: tuple[int, ...] = ()
    per_layer_input_size: int = 0
    per_layer_vocab_size: int | None = None
    #: Gemma 3n's AltUp streams (``altup_num_inputs``; 0: none): per layer a
    #: ``correct_output_scale`` (h), ``correction_coefs`` (n × n), ``prediction_coefs``
    #: (n² × n) and ``modality_router`` (n × h); per model n − 1 ``altup_projections`` and
    #: n − 1 ``altup_unembed_projections`` (h × h each)
    altup_inputs: int = 0
    #: Gemma 3n's LAuReL rank (0: none): per layer ``linear_left`` (r × h) and
    #: ``linear_right`` (h × r)
    laurel_rank: int = 0
    position_embeddings: int = 0
    #: ProphetNet's predicting streams (``ProphetNetDecoder.ngram_embeddings``: a learned
    #: table of one row per stream, added to the stream's input, a lookup): the streams run
    #: through every layer beside the main one and cache nothing (``ProphetNetNgramSelfAttention``
    #: keeps the main stream's K and V only); 0: none
    prediction_streams: int = Field(default=0, ge=0)
    #: relative-position buckets every attention layer scores per head from the hidden state
    #: with a biased linear (``ProphetNetNgramSelfAttention.relative_pos_embeddings``: hidden →
    #: buckets · heads); 0: none
    relative_position_buckets: int = Field(default=0, ge=0)
    embedding_norm: bool = False
    embedding_size: int | None = None
    input_embedding_size: int | None = None
    input_tables: tuple[tuple[int, int], ...] = ()
    #: in-features of a biased linear to ``hidden_size`` between the embeddings and the first
    #: layer (``ElectraModel.embeddings_project`` and ``RoFormerModel.embeddings_project``: the
    #: input embedding width, where it is not hidden; RemBERT's
    #: ``RemBertEncoder.embedding_hidden_mapping_in``; RoC-BERT's
    #: ``RoCBertEmbeddings.map_inputs_layer`` over the concatenated token, pronunciation and
    #: shape embeddings); 0: none
    input_projection: int = 0
    head_transform_size: int | None = None
    #: the head keeps a second vocabulary-wide bias where it is not tied: BERT's
    #: ``BertLMPredictionHead.bias`` and RoBERTa's ``RobertaLMHead.bias``, which
    #: ``_tied_weights_keys`` ties to ``decoder.bias`` only with ``tie_word_embeddings``
    #: (transformers 5.24); needs ``lm_head_bias``
    untied_head_bias: bool = False
    #: a biased hidden → hidden linear over the first token after the last layer, which a
    #: causal LM builds but never reads (BigBird's ``BigBirdModel.pooler``, kept by
    #: ``BigBirdForCausalLM``)
    pooler: bool = False
    #: bottleneck adapters after each layer's FFN, one per language, of which a token runs its
    #: language's (X-MOD's ``XmodOutput.adapter_modules``: ``dense1``, hidden →
    #: ``adapter_size``, and ``dense2`` back, both biased); counted whole, as dense FFN
    adapters: int = 0
    #: bottleneck width of each adapter (``XmodAdapter``: hidden // adapter_reduction_factor)
    adapter_size: int = 0
    #: layers carrying a gated cross-attention adapter after their FFN (Evolla's
    #: ``EvollaDecoderLayer.adapter``, ``EvollaSequenceAlignerCrossAttention``: ``query``,
    #: ``key_protein`` and ``value_protein``, hidden → hidden and biased, an RMSNorm
    #: ``attention_norm``, ``out_proj`` hidden → hidden biased where ``aligner_out_bias``, the
    #: ``EvollaFeedForward`` ``ff``: a LayerNorm with bias, ``fc1`` hidden → ``aligner_ffn_size``
    #: and ``fc2`` back, unbiased, and two one-element gates). Its keys and values are
    #: re-projected from the encoder states at every step: no cache; empty: none
    aligner_layers: tuple[bool, ...] = ()
    #: inner width of each aligner's feed-forward (Evolla: ``hidden · aligner_ffn_mult``)
    aligner_ffn_size: int = Field(default=0, ge=0)
    #: the aligner's ``out_proj`` has a bias (Evolla's ``aligner_enable_bias``)
    aligner_out_bias: bool = False
    mtp_layers: int = 0
    #: width of the target model a draft model reads and writes (the Gemma 4 assistants:
    #: ``pre_projection``, 2 · backbone → hidden over the target's token embedding and last
    #: hidden state, and ``post_projection``, hidden → backbone, both unbiased); 0: none
    backbone_hidden_size: int = 0
    #: rows of a centroid scorer before the output head, which then scores only the tokens of
    #: the top centroids (``Gemma4AssistantMaskedEmbedder.centroids``: centroids × hidden,
    #: unbiased; ``use_ordered_embeddings``); 0: none
    head_centroids: int = 0
    cross_attention_tokens: int = 0
    #: input width of the K and V projections of ``cross`` layers where it is not
    #: ``hidden_size`` (IDEFICS: ``IdeficsAttention(is_cross_attention=True)`` projects the
    #: vision states of ``vision_config.embed_dim``); 0: hidden (Mllama)
    cross_kv_width: int = Field(default=0, ge=0)
    #: ``cross`` layers carry per-head q and k norms (``MllamaTextCrossAttention``; IDEFICS
    #: only with ``qk_layer_norms``)
    cross_qk_norm: bool = True
    #: width of each of a ``cross`` layer's two gates (Mllama's ``cross_attn_attn_gate`` and
    #: ``cross_attn_mlp_gate``: 1; IDEFICS' ``alpha_cross_attn`` / ``alpha_dense`` with
    #: ``alpha_type="vector"``: hidden_size)
    cross_gate_width: int = Field(default=1, ge=1)
    #: ``cross`` layers keep their vision tokens' K and V per sequence (Mllama); False: they
    #: re-project them at every step and cache nothing (IDEFICS' gated cross-attention
    #: layers run with ``cache=None``); they still attend ``cross_attention_tokens`` tokens
    cross_kv_cached: bool = True
    embedding_rows: int | None = None
    checkpoint_quantization: CheckpointQuantization | None = None
    vision: VisionTower | None = None
    source: str | None = None
    assumed: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> ModelConfig:
        problems = _problems(self)
        if problems:
            raise ValueError(f"model {self.name!r}: " + "; ".join(problems))
        return self

    # ------------------------------------------------------------------ build
    @classmethod
    def from_hf_config(
        cls, config: str | Path | Mapping[str, Any], name: str | None = None
    ) -> ModelConfig:
        """Read a Hugging Face ``config.json`` (a path or an already-parsed dict).

        Deprecated spelling of ``ls.read_hf_config``, whose documentation lists
        the supported ``model_type`` values.
        Multimodal configs are read through their ``text_config``.

        Raises
        ------
        ConfigError
            Unknown ``model_type``, an ill-typed field (named in the message),
            or an impossible architecture.

        Examples
        --------
        >>> import warnings
        >>> warnings.simplefilter("ignore", DeprecationWarning)
        >>> m = ModelConfig.from_hf_config({"model_type": "llama", "vocab_size": 32000,
        ...     "hidden_size": 4096, "intermediate_size": 11008, "num_hidden_layers": 32,
        ...     "num_attention_heads": 32, "num_key_value_heads": 32}, name="llama-2-7b")
        >>> m.param_counts().total
        6738415616
        """
        # deprecated: the readers sit above this module (they build ModelConfig), so the
        # old spelling looks them up at call time
        import warnings

        warnings.warn(
            "ModelConfig.from_hf_config is deprecated; use llmsizing.read_hf_config",
            DeprecationWarning,
            stacklevel=2,
        )

        reader = _public("read_hf_config")
        return reader(config, name)  # type: ignore[no-any-return]

    def __hash__(self) -> int:
        # the planners' caches are keyed on configs: a hash of a few identifying fields
        # (equal configs have equal ones) avoids hashing every per-layer tuple each time
        return hash(
            (
                self.name,
                self.model_type,
                self.num_layers,
                self.hidden_size,
                self.vocab_size,
                self.intermediate_size,
                self.num_heads,
            )
        )

    # ---------------------------------------------------------------- derived
    @property
    def native_weight_format(self) -> str | None:
        """Format of the checkpoint's quantised layers (routed experts first), None if 16-bit."""
        q = self.checkpoint_quantization
        return None if q is None else (q.experts or q.linear)

    @property
    def is_moe(self) -> bool:
        """True if any layer is a mixture of experts."""
        return self.moe is not None and any(self.moe_layers)

    @property
    def n_moe_layers(self) -> int:
        """Number of MoE layers [-]."""
        return sum(self.moe_layers) if self.moe is not None else 0

    @property
    def value_head_dim(self) -> int:
        """Width of one value head [-] (``v_head_dim``, else ``head_dim``)."""
        return self.v_head_dim or self.head_dim

    @property
    def is_hybrid(self) -> bool:
        """True if some layers keep a fixed-size recurrent state instead of (or beside) KV."""
        return (
            self.parallel_ssm
            or self.cca is not None
            or self.inkling is not None
            or any(k in ("linear", "mamba", "conv") for k in self.layer_types)
        )

    def attention_dims(self, layer: int) -> AttentionDims:
        """Heads and widths of attention layer ``layer`` [-] (the per-kind override, if any)."""
        kind = self.layer_types[layer]
        override = self.sliding_attention if kind == "sliding" else self.full_attention
        kv = self.layer_kv_heads[layer] if self.layer_kv_heads else 0
        if override is not None:
            return override.model_copy(update={"num_kv_heads": kv}) if kv else override
        return AttentionDims(
            num_heads=self.num_heads,
            num_kv_heads=kv or self.num_kv_heads,
            head_dim=self.head_dim,
            v_head_dim=self.v_head_dim,
        )

    def mla_dims(self, layer: int) -> MLAConfig | None:
        """MLA dimensions of layer ``layer`` (``sliding_mla`` on a sliding layer, if given)."""
        if self.sliding_mla is not None and self.layer_types[layer] == "sliding":
            return self.sliding_mla
        return self.mla

    def ffn_width(self, layer: int) -> int:
        """Intermediate width of layer ``layer``'s dense FFN [-] (the per-layer width, if any)."""
        if self.layer_intermediate_sizes and self.layer_intermediate_sizes[layer]:
            return self.layer_intermediate_sizes[layer]
        return self.intermediate_size

    def has_o_bias(self, layer: int) -> bool:
        """True if layer ``layer``'s attention output projection has a bias."""
        return self.o_bias_layers[layer] if self.o_bias_layers else self.o_bias

    def norms_of(self, layer: int) -> int:
        """Hidden-size norms of decoder layer ``layer`` [-] (``layer_norm_counts``, if given)."""
        return self.layer_norm_counts[layer] if self.layer_norm_counts else self.layer_norms

    def has_ffn(self, layer: int) -> bool:
        """True if decoder layer ``layer`` has an FFN (dense or MoE)."""
        return not self.ffn_layers or self.ffn_layers[layer]

    def kv_source_layer(self, layer: int) -> int:
        """The layer whose KV cache attention layer ``layer`` reads [-] (itself unless shared;
        -1: another model's, ``external_kv``)."""
        if self.external_kv:
            # Gemma 4 assistants: every layer reads the target model's cache
            return -1
        if self.kv_sources:
            return self.kv_sources[layer]
        first_shared = self.num_layers - self.kv_shared_layers
        if not self.kv_shared_layers or layer < first_shared:
            return layer
        kind = self.layer_types[layer]
        # Gemma 3n / 4: a sharing layer reads the last earlier non-sharing layer of its kind
        for j in range(first_shared - 1, -1, -1):
            if self.layer_types[j] == kind:
                return j
        return layer

    def tensors(self, include_extra: bool = True, include_vision: bool = False) -> Iterator[Tensor]:
        """Every parameter tensor, in the order the reference code builds them.

        Tied input/output embeddings appear once (as ``embedding``).
        ``include_vision`` adds a multimodal checkpoint's vision tower or audio
        encoder (component ``vision``).
        """
        h = self.hidden_size
        e = self.embedding_size or h
        # BERT-style factorised embeddings (ELECTRA, RemBERT): tables and norm this wide
        ein = self.input_embedding_size or h
        rows = self.embedding_rows or self.vocab_size
        yield Tensor(
            "embed_tokens",
            "embedding",
            "embedding",
            (rows, self.input_embedding_size or e),
            "embedding",
        )
        if self.position_embeddings:
            # GPT-2 wpe, OPT embed_positions: a lookup by position, added to the token embedding
            yield Tensor(
                "embed_positions",
                "embedding",
                "embedding",
                (self.position_embeddings, ein),
                "embedding",
            )
        if self.prediction_streams:
            # ProphetNetDecoder.ngram_embeddings: one row per predicting stream
            yield Tensor(
                "ngram_embeddings",
                "embedding",
                "embedding",
                (self.prediction_streams, h),
                "embedding",
            )
        if e != h:
            # OPTDecoder: project_in (word_embed_proj_dim -> hidden), no bias
            yield Tensor("project_in", "embedding", "matrix", (h, e), "embedding")
        for j, (n, width) in enumerate(self.input_tables):
            # BertEmbeddings.token_type_embeddings and the like: lookups beside the token's
            yield Tensor(f"input_tables.{j}", "embedding", "embedding", (n, width), "embedding")
        if self.embedding_norm:
            yield from _norm(self, "embed_norm", ein)
        if self.input_projection:
            # ElectraModel.embeddings_project, RemBertEncoder.embedding_hidden_mapping_in
            yield Tensor("input_projection", "embedding", "matrix", (h, self.input_projection))
            yield Tensor("input_projection.bias", "embedding", "vector", (h,))
        if self.residual_scales:
            # ZayaModel: input_hidden_states_scale and _bias on the embeddings
            for nm in ("input_hidden_states_scale", "input_hidden_states_bias"):
                yield Tensor(nm, "norms", "vector", (h,), "norm")
        if self.per_layer_input_size:
            yield from _ple_model_tensors(self)
        # Gemma3nTextModel: the AltUp streams' projections in and out of the hidden state
        for which in ("altup_projections", "altup_unembed_projections"):
            for j in range(max(self.altup_inputs - 1, 0)):
                yield Tensor(f"{which}.{j}", "dense_ffn", "matrix", (h, h), "other")
        if self.position_bias_rows:
            # CpmAntSegmentPositionEmbedding: one bias per head for each bucket, every layer
            yield Tensor(
                "position_bias", "attention", "vector", (self.position_bias_rows, self.num_heads)
            )
        for i in range(self.num_layers):
            yield from _layer_tensors(self, i, f"layers.{i}.")
        if self.final_norm:
            yield Tensor("norm", "norms", "vector", (h,), "norm")
            bias = self.norm_bias if self.final_norm_bias is None else self.final_norm_bias
            if bias:
                yield Tensor("norm.bias", "norms", "vector", (h,), "norm")
        if self.inkling is not None:
            yield from _inkling_model_tensors(self)
        for j in range(self.initial_states):
            # HrmTextModel.z_L_init: the L-module's starting state, a replicated vector
            yield Tensor(f"initial_states.{j}", "norms", "vector", (h,), "other")
        if self.hyper_connections is not None:
            # Qwen4ExpTextModel.hyper_connection_mixer: the streams folded back to h
            yield from _hyper_connection_tensors(
                self, "hyper_connection_mixer.", "dense_ffn", False
            )
        if self.learned_rope_scale:
            width = (self.rope_dim + 1) // 2
            yield Tensor("rotary_emb.alpha", "attention", "vector", (width,), "other")
        if self.compressed_attention is not None:
            yield from _hc_head_tensors(self, "")
        if e != h:
            # OPTDecoder: project_out (hidden -> word_embed_proj_dim) before the head
            yield Tensor("project_out", "lm_head", "matrix", (e, h), "lm_head")
        if self.pooler:
            # BigBirdModel.pooler: Linear(h, h) over the first token, then tanh
            yield Tensor("pooler", "dense_ffn", "matrix", (h, h))
            yield Tensor("pooler.bias", "dense_ffn", "vector", (h,))
        if self.head_transform:
            # ModernBertDecoderPredictionHead: dense (h -> h), activation, norm; BERT's
            # BertPredictionHeadTransform; ELECTRA / RemBERT / RoFormer: h -> head_transform_size
            ht = self.head_transform_size or h
            yield Tensor("head_transform.dense", "lm_head", "matrix", (ht, h), "other")
            if self.head_transform_bias:
                yield Tensor("head_transform.dense.bias", "lm_head", "vector", (ht,), "other")
            yield from _norm(self, "head_transform.norm", ht)
        if not self.tie_word_embeddings:
            width = self.head_transform_size or e
            yield Tensor("lm_head", "lm_head", "matrix", (self.vocab_size, width), "lm_head")
        if self.lm_head_bias:
            yield Tensor("lm_head.bias", "lm_head", "vector", (self.vocab_size,), "lm_head")
        if self.untied_head_bias and not self.tie_word_embeddings:
            # BertLMPredictionHead: decoder.bias and its own bias, two parameters when untied
            yield Tensor("lm_head.bias_untied", "lm_head", "vector", (self.vocab_size,), "lm_head")
        if self.ngpt_scales:
            # DoryLMHead: a learned scale per logit, its own parameter even when the head is tied
            yield Tensor("lm_head.logit_scale", "lm_head", "vector", (self.vocab_size,), "lm_head")
        if self.backbone_hidden_size:
            # Gemma4AssistantForCausalLM: pre_projection reads [target embedding; target hidden
            # state], post_projection hands the draft's hidden state back to the target width
            b = self.backbone_hidden_size
            yield Tensor("pre_projection", "dense_ffn", "matrix", (h, 2 * b), "mtp_proj")
            yield Tensor("post_projection", "dense_ffn", "matrix", (b, h), "mtp_proj")
        if self.head_centroids:
            # Gemma4AssistantMaskedEmbedder: centroid logits pick the vocabulary slices the
            # (tied) head scores
            yield Tensor(
                "masked_embedding.centroids",
                "lm_head",
                "matrix",
                (self.head_centroids, h),
                "lm_head",
            )
        if include_extra:
            for j in range(self.mtp_layers):
                yield from _mtp_tensors(self, j)
        if include_vision and self.vision is not None:
            yield from _vision_tensors(self.vision)

    def param_counts(self) -> ParamCounts:
        """Count parameters: total, active per token, and by component.

        total
            What the reference implementation instantiates (tied weights once;
            ``extra`` modules such as DeepSeek-V3's MTP layer not included).
        active
            total minus the routed experts a token does not use: each MoE layer
            contributes ``experts_per_token / n_routed_experts`` of its routed
            experts (``experts_per_token / (n_routed_experts + zero_experts)``
            with zero experts, :attr:`MoEConfig.real_experts_per_token`).
        active_excluding_embedding
            active minus the input embedding (a lookup reads one row), the
            convention DeepSeek and OpenAI publish; tied embeddings stay in,
            since the output head reads the whole matrix.

        Examples
        --------
        >>> import llmsizing as ls
        >>> pc = ls.load_model("mixtral-8x7b").param_counts()
        >>> round(pc.total / 1e9, 1), round(pc.active / 1e9, 1)
        (46.7, 12.9)
        """
        return _param_counts(self)


@functools.lru_cache(maxsize=256)
def _param_counts(m: ModelConfig) -> ParamCounts:
    """Cached body of :meth:`ModelConfig.param_counts` (configs are immutable)."""
    by: dict[str, int] = dict.fromkeys(COMPONENTS, 0)
    lookups = tokens = 0
    for t in m.tensors(include_vision=True):
        by[t.component] += t.numel
        if t.component == "embedding" and t.kind == "embedding":
            # tables read one row a token: the token embedding, per-layer inputs, positions
            lookups += t.numel
            if t.name == "embed_tokens":
                tokens = t.numel
    total = sum(v for k, v in by.items() if k not in ("extra", "vision"))
    routed_active = 0
    if m.moe is not None and by["routed_experts"]:
        # fraction of routed experts a token passes through, per MoE layer
        # zero experts take a token's picks without weights (MoEConfig.real_experts_per_token)
        routed_active = (
            by["routed_experts"]
            * m.moe.experts_per_token
            // (m.moe.n_routed_experts + m.moe.zero_experts)
        )
    active = total - by["routed_experts"] + routed_active
    # a tied table is read whole by the output head; per-layer input and position tables
    # are lookups (OPT's project_in is a matrix every token passes through)
    looked_up = lookups - (tokens if m.tie_word_embeddings else 0)
    return ParamCounts(
        model=m.name,
        total=total,
        active=active,
        active_excluding_embedding=active - looked_up,
        routed_experts_active=routed_active,
        **by,
    )


class ParamCounts(BaseModel):
    """Parameter counts of a model [-], by component.

    ``total`` is the language model: it excludes ``extra`` (modules inference
    does not load) and ``vision`` (a multimodal checkpoint's vision tower);
    ``total_with_extra`` and ``total_with_vision`` add them back.
    """

    model_config = ConfigDict(frozen=True)

    model: str
    total: int
    active: int
    active_excluding_embedding: int
    embedding: int
    lm_head: int
    attention: int
    dense_ffn: int
    routed_experts: int
    routed_experts_active: int
    shared_experts: int
    router: int
    norms: int
    extra: int
    vision: int = 0

    @property
    def total_with_extra(self) -> int:
        """Parameters including extra modules (e.g. DeepSeek-V3's MTP layer) [-]."""
        return self.total + self.extra

    @property
    def total_with_vision(self) -> int:
        """Parameters including the vision tower (what a multimodal checkpoint publishes) [-]."""
        return self.total + self.vision

    @property
    def active_fraction(self) -> float:
        """active / total [-]."""
        return self.active / self.total

    def to_frame(self) -> pd.DataFrame:
        """The counts as a one-column DataFrame (rows: quantities, values in billions)."""
        rows = {k: v for k, v in self.model_dump().items() if k != "model"}
        rows["total_with_extra"] = self.total_with_extra
        rows["total_with_vision"] = self.total_with_vision
        import pandas as pd

        return pd.DataFrame({"params_B": {k: v / 1e9 for k, v in rows.items()}})

    def _repr_html_(self) -> str:
        return f"<b>{self.model}</b>" + str(self.to_frame().to_html(float_format="{:,.3f}".format))


# ---------------------------------------------------------------------- tensors
def _mat(name: str, out: int, inp: int, role: Role, component: Component = "attention") -> Tensor:
    return Tensor(name, component, "matrix", (out, inp), role)


def _vec(
    name: str, shape: tuple[int, ...], role: Role, component: Component = "attention"
) -> Tensor:
    return Tensor(name, component, "vector", shape, role)


def _norm(m: ModelConfig, name: str, width: int) -> Iterator[Tensor]:
    """A hidden-size norm: a weight, and a bias where the model's norms are LayerNorms with bias."""
    yield Tensor(name, "norms", "vector", (width,), "norm")
    if m.norm_bias:
        yield Tensor(name + ".bias", "norms", "vector", (width,), "norm")


def _mla_tensors(m: ModelConfig, p: str, layer: int) -> Iterator[Tensor]:
    # MLA projections per DeepSeek-V2 eq. 9-19 and transformers' DeepseekV3Attention
    h = m.hidden_size
    # the layer's own dimensions and heads (dots3-note's sliding layers have theirs)
    a = m.mla_dims(layer)
    assert a is not None
    nh = m.attention_dims(layer).num_heads
    q_head = a.qk_nope_head_dim + a.qk_rope_head_dim
    # a sigmoid gate per value channel folded into the query projection (A.X-K2's
    # q_gate_proj: heads x (q_head + v_head_dim) outputs)
    gate = nh * a.v_head_dim if m.attn_output_gate == "fused" else 0
    if a.q_lora_rank is None:
        yield _mat(p + "q_proj", nh * q_head + gate, h, "q")
    else:
        yield _mat(p + "q_a_proj", a.q_lora_rank, h, "q_a")
        if a.bias:
            yield _vec(p + "q_a_proj.bias", (a.q_lora_rank,), "q_a")
        yield Tensor(p + "q_a_layernorm", "norms", "vector", (a.q_lora_rank,), "norm")
        q_latent = 2 * a.q_lora_rank if a.q_residual else a.q_lora_rank
        name = "q_gate_proj" if gate else "q_b_proj"
        yield _mat(p + name, nh * q_head + gate, q_latent, "q")
    rope = a.rope_width(layer)
    # a layer reading another layer's latent has no down-projection (Mistral Large 4)
    if m.kv_source_layer(layer) == layer:
        latent = a.kv_lora_rank + rope
        yield _mat(p + "kv_a_proj_with_mqa", latent, h, "kv_a")
        if a.bias:
            yield _vec(p + "kv_a_proj_with_mqa.bias", (latent,), "kv_a")
        yield Tensor(p + "kv_a_layernorm", "norms", "vector", (a.kv_lora_rank,), "norm")
        if a.rope_norm and rope:
            yield Tensor(p + "k_rope_layernorm", "norms", "vector", (rope,), "norm")
    # a NoPE layer's key is all "nope": qk_nope + qk_rope wide
    nope = a.qk_nope_head_dim + a.qk_rope_head_dim - rope
    kv_b = nh * (nope + a.v_head_dim)
    yield _mat(p + "kv_b_proj", kv_b, a.kv_lora_rank, "kv_b")
    yield _mat(p + "o_proj", h, nh * a.v_head_dim, "o")
    if m.has_o_bias(layer):
        yield _vec(p + "o_proj.bias", (h,), "o")
    x = m.indexer
    if x is not None and x.kind == "dsa" and x.on(layer):
        # DeepSeek-V3.2 Indexer: wq_b (from the q-LoRA latent), wk, k_norm (LayerNorm with
        # bias), weights_proj; MistralLarge4TextIndexer: wq_b from the hidden state after its
        # q_input_norm (LayerNorm with bias), and a per-head softmax scaling
        if x.query == "hidden":
            yield Tensor(p + "indexer.q_input_norm", "norms", "vector", (h,), "norm")
            yield Tensor(p + "indexer.q_input_norm.bias", "norms", "vector", (h,), "norm")
        q_in = h if x.query == "hidden" else a.q_lora_rank
        if q_in is not None:
            yield _mat(p + "indexer.wq_b", x.n_heads * x.head_dim, q_in, "indexer")
            yield _mat(p + "indexer.wk", x.head_dim, h, "indexer")
            yield _vec(p + "indexer.k_norm", (x.head_dim,), "indexer")
            yield _vec(p + "indexer.k_norm.bias", (x.head_dim,), "indexer")
            yield _mat(p + "indexer.weights_proj", x.n_heads, h, "indexer")
            if x.softmax_scaling:
                for nm in ("scale", "bias"):
                    yield _vec(p + "indexer.softmax_scaling." + nm, (x.n_heads,), "indexer")
            if x.kpool:
                # Glm5NextTextIndexer: the compressor of its key pools
                yield _vec(p + "indexer.index_kpool_compress_ape", (x.kpool, x.head_dim), "indexer")
                yield _mat(p + "indexer.index_kpool_compress_gate", x.head_dim, h, "indexer")
    if m.attn_output_gate == "separate":
        # HYV4Attention.gate_proj: a sigmoid gate as wide as the attention output, no bias
        yield _mat(p + "gate_proj", nh * a.v_head_dim, h, "attn_gate")
    elif m.attn_output_gate == "head":
        # BailingHybridAttention (Ling 3): g_proj, one unbiased sigmoid gate per head
        yield _mat(p + "g_proj", nh, h, "attn_gate")
    if m.attention_sinks:
        yield _vec(p + "sinks", (nh,), "sink")
    if a.softmax_scaling:
        for nm in ("scale", "bias"):
            yield _vec(p + "softmax_scaling." + nm, (nh,), "other")


def _attention_tensors(m: ModelConfig, i: int, p: str) -> Iterator[Tensor]:
    if m.mla is not None:
        yield from _mla_tensors(m, p, i)
        return
    h = m.hidden_size
    d = m.attention_dims(i)
    dk, dv = d.head_dim, d.value_head_dim
    q, k, v = d.num_heads * dk, d.num_kv_heads * dk, d.num_kv_heads * dv
    if m.moe is not None and m.moe.attention_experts:
        yield from _attention_expert_tensors(m, p, k, v)
        return
    # a layer reading another layer's KV cache has no K/V projections (Gemma 4)
    own_kv = m.kv_source_layer(i) == i
    roles: list[tuple[str, int, Role]] = [("q_proj", q, "q")]
    if own_kv:
        roles.append(("k_proj", k, "k"))
        if m.cca is not None:
            # ZayaCCAProjection: the values as a current and a delayed half
            roles += [("v_proj_current", v // 2, "v"), ("v_proj_delayed", v // 2, "v")]
        elif not d.k_eq_v:
            roles.append(("v_proj", v, "v"))
    for nm, out, role in roles:
        yield _mat(p + nm, out, h, role)
        if _proj_bias(m, role):
            yield _vec(p + nm + ".bias", (out,), role)
    if m.attn_output_gate == "head":
        # Step3p7Attention: g_proj, one unbiased sigmoid gate per query head
        yield _mat(p + "g_proj", d.num_heads, h, "attn_gate")
    elif m.attn_output_gate is not None:
        # gated attention: a sigmoid gate per query channel; Qwen3-Next folds it into q_proj
        # (and its bias), AFMoE keeps a separate unbiased gate_proj
        yield _mat(p + "gate_proj", q, h, "attn_gate")
        if m.attn_output_gate == "fused" and m.qkv_bias:
            yield _vec(p + "gate_proj.bias", (q,), "attn_gate")
        if m.attn_gate_bias:
            # BeamAttention.gate_bias: one bias per head, added to its gate channels
            yield _vec(p + "gate_bias", (d.num_heads,), "attn_gate")
    # Helium and StableLM build o_proj as hidden -> hidden whatever the head widths
    yield _mat(p + "o_proj", h, m.o_proj_width or d.num_heads * dv, "o")
    if m.has_o_bias(i):
        yield _vec(p + "o_proj.bias", (h,), "o")
    if m.relative_position_buckets:
        # ProphetNetNgramSelfAttention.relative_pos_embeddings: bucket logits per head, biased
        width = m.relative_position_buckets * d.num_heads
        yield _mat(p + "relative_pos_embeddings", width, h, "other")
        yield _vec(p + "relative_pos_embeddings.bias", (width,), "other")
    if m.diff_attn_lambdas:
        # DiffLlamaAttention: lambda_full = exp(q1 . k1) - exp(q2 . k2) + lambda_init
        for nm in ("lambda_q1", "lambda_k1", "lambda_q2", "lambda_k2"):
            yield _vec(p + nm, (dk,), "q")
    if m.ngpt_scales:
        # DoryAttention: sqk scales the rotated queries, s_gate the output gate, per channel
        yield _vec(p + "sqk", (q,), "q")
        yield _vec(p + "s_gate", (q,), "attn_gate")
    if m.dynamic_mask:
        # DogeAttention: dt_proj reads the values, A scales its softplus per KV head
        yield _vec(p + "A", (d.num_kv_heads,), "v")
        yield _mat(p + "dt_proj", d.num_kv_heads, v, "v")
        if m.qkv_bias:
            yield _vec(p + "dt_proj.bias", (d.num_kv_heads,), "v")
    if m.qk_norm is not None:
        qn, kn = (dk, dk) if m.qk_norm == "head" else (q, k)
        norms = (("q_norm", qn), ("k_norm", kn)) if own_kv else (("q_norm", qn),)
        for nm, width in norms:
            yield Tensor(p + nm, "norms", "vector", (width,), "norm")
            if m.qk_norm_bias:
                yield Tensor(p + nm + ".bias", "norms", "vector", (width,), "norm")
    if m.cca is not None:
        # ZayaCCAProjection's convolutions over q and k, ZayaQKNorm's scale per KV head
        ch = q + k
        for nm, shape in (
            ("conv_qk_depthwise", (ch, 1, m.cca.depthwise_kernel)),
            ("conv_qk_grouped", (ch, dk, m.cca.grouped_kernel)),
        ):
            yield _vec(p + nm, shape, "conv")
            yield _vec(p + nm + ".bias", (ch,), "conv")
        yield Tensor(p + "qk_norm.temp", "norms", "vector", (d.num_kv_heads,), "norm")
    sinks = m.attention_sinks if d.sinks is None else d.sinks
    if sinks:
        # gpt-oss, MiMo-V2: one learned attention-sink logit per head
        yield _vec(p + "sinks", (d.num_heads,), "sink")
    x = m.indexer
    if x is not None and x.kind == "block" and x.on(i):
        # MiniMaxM3VLIndexer: q_proj (h -> heads x head_dim), k_proj (h -> head_dim), unbiased;
        # q_norm and k_norm, Gemma-style RMSNorms of head_dim (weight only)
        yield _mat(p + "indexer.q_proj", x.n_heads * x.head_dim, h, "indexer")
        yield _mat(p + "indexer.k_proj", x.head_dim, h, "indexer")
        for nm in ("q_norm", "k_norm"):
            yield Tensor(p + "indexer." + nm, "norms", "vector", (x.head_dim,), "norm")


def _proj_bias(m: ModelConfig, role: Role) -> bool:
    """True if a q, k or v projection (``role``) has a bias: ``k_bias`` for keys, if set."""
    return m.k_bias if role == "k" and m.k_bias is not None else m.qkv_bias


def _encoder_attention_tensors(m: ModelConfig, i: int, p: str) -> Iterator[Tensor]:
    """Layer ``i``'s cross-attention over encoder states (``BartDecoderLayer.encoder_attn``).

    ``BartAttention`` / ``TrOCRAttention`` as cross-attention: q_proj (hidden → heads ·
    head_dim), k_proj and v_proj (``encoder_attention_width`` → heads · head_dim: TrOCR's
    ``kdim`` / ``vdim``), out_proj back to hidden, biased as the layer's self-attention.
    """
    h, w = m.hidden_size, m.encoder_attention_width
    d = m.attention_dims(i)
    q, k = d.num_heads * d.head_dim, d.num_kv_heads * d.head_dim
    v = d.num_kv_heads * d.value_head_dim
    projections: tuple[tuple[str, int, int, Role], ...] = (
        ("q_proj", q, h, "q"),
        ("k_proj", k, w, "k"),
        ("v_proj", v, w, "v"),
    )
    for nm, out, inp, role in projections:
        yield _mat(p + nm, out, inp, role)
        if _proj_bias(m, role):
            yield _vec(p + nm + ".bias", (out,), role)
    yield _mat(p + "o_proj", h, d.num_heads * d.value_head_dim, "o")
    if m.has_o_bias(i):
        yield _vec(p + "o_proj.bias", (h,), "o")


def _attention_expert_tensors(m: ModelConfig, p: str, k: int, v: int) -> Iterator[Tensor]:
    """JetMoE's ``JetMoeAttention``: a mixture of attention heads and one K/V projection.

    ``JetMoeMoA``: a router (``JetMoeTopKGating``: experts × h), per expert a query
    projection ``input_linear`` (h → kv_heads · head_dim) and an output projection
    ``output_linear`` (back to h), filed as routed experts, and an output bias (h);
    ``kv_proj`` (h → K and V, no bias).
    """
    e = m.moe
    assert e is not None
    h, n, width = m.hidden_size, e.n_routed_experts, k
    yield Tensor(p + "experts.router", "router", "matrix", (n, h), "router")
    experts: tuple[tuple[str, tuple[int, int], Role], ...] = (
        ("input_linear", (width, h), "q"),
        ("output_linear", (h, width), "o"),
    )
    for nm, shape, role in experts:
        yield Tensor(p + "experts." + nm, "routed_experts", "matrix", (n, *shape), role, experts=n)
    yield _vec(p + "experts.bias", (h,), "o")
    yield _mat(p + "k_proj", k, h, "k")
    yield _mat(p + "v_proj", v, h, "v")


def _linear_attention_tensors(m: ModelConfig, p: str) -> Iterator[Tensor]:
    la = m.linear_attention
    assert la is not None
    h = m.hidden_size
    nv, dv, nk, dk = la.num_heads, la.head_dim, la.k_heads, la.k_dim
    value, key = nv * dv, nk * dk
    if la.kind == "gated_deltanet":
        # Qwen3NextGatedDeltaNet: in_proj_qkvz (2 key + 2 value widths), in_proj_ba (2 per
        # value head), conv over q, k, v, dt_bias and A_log per value head, a gated RMSNorm
        # over one value head, out_proj (Qwen3.5 splits the same projections in four)
        yield _mat(p + "in_proj_qkvz", 2 * key + 2 * value, h, "linear_in")
        yield _mat(p + "in_proj_ba", 2 * nv, h, "linear_in")
        yield _vec(p + "conv1d", (2 * key + value, 1, la.conv_kernel), "conv")
        yield _vec(p + "dt_bias", (nv,), "ssm_param")
        yield _vec(p + "A_log", (nv,), "ssm_param")
        yield Tensor(p + "norm", "norms", "vector", (dv,), "norm")
        yield _mat(p + "out_proj", h, value, "linear_out")
    elif la.kind == "kda":
        # KimiLinearDeltaAttention: q, k, v (h -> heads x head_dim), a conv over the three,
        # a low-rank forget gate (f_a: h -> head_dim, f_b: head_dim -> qkv) with dt_bias and
        # A_log, beta (b_proj: h -> heads), a low-rank output gate, a gated RMSNorm, o_proj
        qkv = nv * dv
        for nm in ("q_proj", "k_proj", "v_proj"):
            yield _mat(p + nm, qkv, h, "linear_in")
        if la.conv_kernel:
            yield _vec(p + "conv1d", (3 * qkv, 1, la.conv_kernel), "conv")
        if la.full_rank_gates:
            # BailingHybridDeltaAttention: forget_gate.f_proj and g_proj, h -> qkv
            yield _mat(p + "forget_gate.f_proj", qkv, h, "linear_in")
        else:
            yield _mat(p + "f_a_proj", dv, h, "linear_in")
            yield _mat(p + "f_b_proj", qkv, dv, "linear_in")
        yield _vec(p + "dt_bias", (qkv,), "ssm_param")
        yield _vec(p + "A_log", (nv,), "ssm_param")
        yield _mat(p + "b_proj", nv, h, "linear_in")
        if la.full_rank_gates:
            yield _mat(p + "g_proj", qkv, h, "linear_in")
        else:
            yield _mat(p + "g_a_proj", dv, h, "linear_in")
            yield _mat(p + "g_b_proj", qkv, dv, "linear_in")
        yield Tensor(p + "o_norm", "norms", "vector", (dv,), "norm")
        yield _mat(p + "o_proj", h, qkv, "linear_out")
    elif la.kind == "rglru":
        # RecurrentGemmaRecurrentBlock: linear_y (GeLU branch) and linear_x (h -> w), a
        # depthwise conv over x, the RG-LRU (a decay per channel, block-diagonal input and
        # recurrence gates with biases), linear_out (w -> h); every linear and the conv biased
        w = nv * dv
        for nm in ("linear_y", "linear_x"):
            yield _mat(p + nm, w, h, "linear_in")
            yield _vec(p + nm + ".bias", (w,), "linear_in")
        yield _vec(p + "conv_1d", (w, 1, la.conv_kernel), "conv")
        yield _vec(p + "conv_1d.bias", (w,), "conv")
        yield _vec(p + "rg_lru.recurrent_param", (w,), "ssm_param")
        for gate in ("input_gate", "recurrent_gate"):
            yield Tensor(
                p + f"rg_lru.{gate}_weight", "attention", "matrix", (nv, dv, dv), "linear_in"
            )
            yield _vec(p + f"rg_lru.{gate}_bias", (nv, dv), "linear_in")
        yield _mat(p + "linear_out", h, w, "linear_out")
        yield _vec(p + "linear_out.bias", (h,), "linear_out")
    elif la.kind == "rwkv":
        # RwkvSelfAttention: time_decay and time_first per channel, three token-shift mixes,
        # key / value / receptance (h -> w) and output (w -> h), no biases
        w = nv * dv
        for nm in ("time_decay", "time_first"):
            yield _vec(p + nm, (w,), "ssm_param")
        for nm in ("time_mix_key", "time_mix_value", "time_mix_receptance"):
            yield _vec(p + nm, (h,), "other")
        for nm in ("key", "value", "receptance"):
            yield _mat(p + nm, w, h, "linear_in")
        yield _mat(p + "output", h, w, "linear_out")
    elif la.kind == "mlstm":
        # xLSTMLayer: q, k (h -> heads x head_k_dim), v and ogate_preact (h -> heads x
        # head_dim), igate_preact and fgate_preact (h -> heads, always biased), the per-head
        # LayerNorm over the values (multihead_norm), out_proj
        b = la.proj_bias
        for nm, out in (("q", key), ("k", key), ("v", value), ("ogate_preact", value)):
            yield _mat(p + nm, out, h, "linear_in")
            if b:
                yield _vec(p + nm + ".bias", (out,), "linear_in")
        for nm in ("igate_preact", "fgate_preact"):
            yield _mat(p + nm, nv, h, "linear_in")
            yield _vec(p + nm + ".bias", (nv,), "linear_in")
        yield _vec(p + "multihead_norm", (value,), "ssm_norm")
        if b:
            yield _vec(p + "multihead_norm.bias", (value,), "ssm_norm")
        yield _mat(p + "out_proj", h, value, "linear_out")
        if b:
            yield _vec(p + "out_proj.bias", (h,), "linear_out")
    else:
        # MiniMaxLightningAttention: fused qkv, an RMSNorm over all heads, output gate, out_proj
        qkv = nv * dv
        yield _mat(p + "qkv_proj", 3 * qkv, h, "linear_in")
        yield _vec(p + "norm", (qkv,), "ssm_norm")
        yield _mat(p + "out_proj", h, qkv, "linear_out")
        yield _mat(p + "output_gate", qkv, h, "linear_in")


def _mamba_tensors(m: ModelConfig, p: str) -> Iterator[Tensor]:
    s = m.mamba
    assert s is not None
    h, di, n = m.hidden_size, s.d_inner, s.d_state
    if s.version == 1:
        # MambaMixer: in_proj (h -> 2 d_inner), conv over d_inner, x_proj (d_inner ->
        # dt_rank + 2N), dt_proj (dt_rank -> d_inner, biased), A_log (d_inner, N), D, out_proj
        yield _mat(p + "in_proj", 2 * di, h, "ssm_in")
        if s.proj_bias:
            yield _vec(p + "in_proj.bias", (2 * di,), "ssm_in")
        yield _vec(p + "conv1d", (di, 1, s.d_conv), "conv")
        if s.conv_bias:
            yield _vec(p + "conv1d.bias", (di,), "conv")
        yield _mat(p + "x_proj", s.dt_rank + 2 * n, di, "ssm_in")
        yield _mat(p + "dt_proj", di, s.dt_rank, "ssm_in")
        yield _vec(p + "dt_proj.bias", (di,), "ssm_in")
        yield _vec(p + "A_log", (di, n), "ssm_param")
        yield _vec(p + "D", (di,), "ssm_param")
        yield _mat(p + "out_proj", h, di, "ssm_out")
        if s.proj_bias:
            yield _vec(p + "out_proj.bias", (h,), "ssm_out")
        if s.inner_norms:
            # Jamba: RMSNorms on dt, B and C
            yield Tensor(p + "dt_layernorm", "norms", "vector", (s.dt_rank,), "norm")
            yield Tensor(p + "b_layernorm", "norms", "vector", (n,), "norm")
            yield Tensor(p + "c_layernorm", "norms", "vector", (n,), "norm")
        return
    # Mamba2Mixer: in_proj (h -> z, x, B, C, dt = 2 d_inner + 2 G N + H), conv over x, B, C,
    # dt_bias, A_log and D per head, a gated RMSNorm over d_inner, out_proj
    conv = di + 2 * s.n_groups * n
    in_proj = di + conv + s.n_heads
    yield _mat(p + "in_proj", in_proj, h, "ssm_in")
    if s.proj_bias:
        yield _vec(p + "in_proj.bias", (in_proj,), "ssm_in")
    yield _vec(p + "conv1d", (conv, 1, s.d_conv), "conv")
    if s.conv_bias:
        yield _vec(p + "conv1d.bias", (conv,), "conv")
    for nm in ("dt_bias", "A_log", "D"):
        yield _vec(p + nm, (s.n_heads,), "ssm_param")
    if s.gated_norm:
        yield _vec(p + "norm", (di,), "ssm_norm")
    yield _mat(p + "out_proj", h, di, "ssm_out")
    if s.proj_bias:
        yield _vec(p + "out_proj.bias", (h,), "ssm_out")


def _short_conv_tensors(m: ModelConfig, p: str) -> Iterator[Tensor]:
    c = m.short_conv
    assert c is not None
    h = m.hidden_size
    # Lfm2ShortConv: in_proj (h -> B, C, x), depthwise conv over h, out_proj
    yield _mat(p + "in_proj", 3 * h, h, "linear_in")
    if c.bias:
        yield _vec(p + "in_proj.bias", (3 * h,), "linear_in")
    yield _vec(p + "conv", (h, 1, c.kernel), "conv")
    if c.bias:
        yield _vec(p + "conv.bias", (h,), "conv")
    yield _mat(p + "out_proj", h, h, "linear_out")
    if c.bias:
        yield _vec(p + "out_proj.bias", (h,), "linear_out")


def _mlp_tensors(
    m: ModelConfig,
    p: str,
    inter: int,
    component: Component,
    experts: int = 0,
    bias: bool = False,
    width: int = 0,
) -> Iterator[Tensor]:
    """Gated (gate, up, down) or plain (up, down) MLP; ``experts`` > 0 stacks them.

    ``width``: the model width it reads and writes (default ``hidden_size``).
    """
    h = width or m.hidden_size
    lead = (experts,) if experts else ()
    names: tuple[tuple[str, Role], ...] = (
        (("gate_proj", "gate"), ("up_proj", "up")) if m.ffn_gated else (("up_proj", "up"),)
    )
    for nm, role in names:
        yield Tensor(p + nm, component, "matrix", (*lead, inter, h), role, experts=experts)
        if bias:
            yield Tensor(
                p + nm + ".bias", component, "vector", (*lead, inter), role, experts=experts
            )
    yield Tensor(p + "down_proj", component, "matrix", (*lead, h, inter), "down", experts=experts)
    if bias:
        yield Tensor(p + "down_proj.bias", component, "vector", (*lead, h), "down", experts=experts)


def _ffn_tensors(m: ModelConfig, i: int, p: str) -> Iterator[Tensor]:
    moe_layer = m.moe is not None and m.moe_layers[i]
    if not moe_layer or m.moe_with_dense:
        inter = m.ffn_width(i)
        if m.kv_shared_ffn_factor > 1 and m.kv_source_layer(i) != i:
            inter *= m.kv_shared_ffn_factor
        yield from _mlp_tensors(m, p + "mlp.", inter, "dense_ffn", bias=m.mlp_bias)
        if m.ngpt_scales:
            # DoryMLP: suv_gate and suv_up scale the gate and up outputs per channel
            yield Tensor(p + "mlp.suv_gate", "dense_ffn", "vector", (inter,), "gate")
            yield Tensor(p + "mlp.suv_up", "dense_ffn", "vector", (inter,), "up")
        if m.ffn_sub_norm:
            # BitNetMLP: ffn_sub_norm normalises act(gate_proj(x)) * up_proj(x) before down_proj
            yield from _norm(m, p + "mlp.ffn_sub_norm", inter)
    if not moe_layer:
        if m.act_params:
            # learned activation parameters (Apertus' xIELU: alpha_p, alpha_n)
            yield Tensor(p + "mlp.act_fn", "dense_ffn", "vector", (m.act_params,), "other")
        return
    e = m.moe
    assert e is not None
    routed = e.n_routed_experts
    # the router scores the zero-compute experts too (LongCat-Flash)
    scored = routed + e.zero_experts
    if e.router_scores_shared:
        # InklingTopkRouter: a row per shared expert after the routed ones
        scored += e.n_shared_experts
    # beside a dense MLP the experts and their router are modules of the layer itself
    # (Gemma4TextDecoderLayer: self.router, self.experts), else of the MLP block
    q = p if m.moe_with_dense else p + "mlp."
    # Ernie4_5_VLMoeMoeBlock: the text experts and their router are mlp.text_moe
    t = q + "text_moe." if e.vision_expert_intermediate_size else q
    g = t + ("router" if m.moe_with_dense else "gate")
    if e.router_mlp:
        yield from _router_mlp_tensors(m, i, g)
    else:
        yield Tensor(g, "router", "matrix", (scored, m.hidden_size), "router")
    if e.router_bias:
        yield Tensor(g + ".bias", "router", "vector", (scored,), "router")
    if e.score_bias:
        yield Tensor(g + ".score_bias", "router", "vector", (scored,), "router")
    if e.router_scale:
        # Gemma4TextRouter: scale (hidden) and per_expert_scale (experts)
        yield Tensor(g + ".scale", "router", "vector", (m.hidden_size,), "router")
        yield Tensor(g + ".per_expert_scale", "router", "vector", (scored,), "router")
    for j in range(e.extra_norms):
        yield Tensor(f"{q}norm{j}", "norms", "vector", (m.hidden_size,), "norm")
    if e.latent_size:
        # NemotronHMoE: fc1_latent_proj (h -> latent) before, fc2_latent_proj after the experts
        for nm, out, inp in (
            ("fc1_latent_proj", e.latent_size, m.hidden_size),
            ("fc2_latent_proj", m.hidden_size, e.latent_size),
        ):
            yield Tensor(p + "mlp." + nm, "dense_ffn", "matrix", (out, inp), "up")
            if m.mlp_bias:
                yield Tensor(p + "mlp." + nm + ".bias", "dense_ffn", "vector", (out,), "up")
        for j in range(e.latent_norms):
            # MuseSparkMoE.pre_expert_norm, MuseSparkExperts.post_expert_norm
            yield Tensor(f"{p}mlp.latent_norm{j}", "norms", "vector", (e.latent_size,), "norm")
    yield from _mlp_tensors(
        m,
        t + "experts.",
        e.expert_intermediate_size,
        "routed_experts",
        experts=routed,
        bias=e.expert_bias,
        width=e.latent_size,
    )
    if e.vision_expert_intermediate_size:
        # Ernie4_5_VLMoeMoeBlock.vision_moe: a router and experts of its own width
        v = q + "vision_moe."
        yield Tensor(v + "gate", "router", "matrix", (routed, m.hidden_size), "router")
        if e.router_bias:
            yield Tensor(v + "gate.bias", "router", "vector", (routed,), "router")
        if e.score_bias:
            yield Tensor(v + "gate.score_bias", "router", "vector", (routed,), "router")
        yield from _mlp_tensors(
            m,
            v + "experts.",
            e.vision_expert_intermediate_size,
            "routed_experts",
            experts=routed,
            bias=e.expert_bias,
        )
    if e.shared_expert_intermediate_size:
        yield from _mlp_tensors(
            m,
            q + "shared_experts.",
            e.shared_expert_intermediate_size,
            "shared_experts",
            bias=m.mlp_bias,
        )
    if e.output_bias:
        # JetMoeMoE.bias: added to the experts' weighted sum
        yield Tensor(p + "mlp.bias", "dense_ffn", "vector", (m.hidden_size,), "down")
    if e.shared_expert_gate:
        # Qwen2-MoE / Qwen3-Next: sigmoid gate on the shared expert's output
        yield Tensor(
            q + "shared_expert_gate",
            "shared_experts",
            "matrix",
            (1, m.hidden_size),
            "shared_gate",
        )


def _router_mlp_tensors(m: ModelConfig, i: int, g: str) -> Iterator[Tensor]:
    """ZAYA1's ``ZayaRouter`` (:attr:`MoEConfig.router_mlp`), on decoder layer ``i``."""
    e = m.moe
    assert e is not None
    w = e.router_mlp
    yield Tensor(g + ".down_proj", "router", "matrix", (w, m.hidden_size), "router")
    yield Tensor(g + ".down_proj.bias", "router", "vector", (w,), "router")
    if i:
        # use_eda: every layer but the first adds the previous layer's router state
        yield Tensor(g + ".router_states_scale", "router", "vector", (w,), "router")
    yield Tensor(g + ".router_mlp.norm", "norms", "vector", (w,), "norm")
    for nm in ("fc1", "fc2"):
        yield Tensor(g + f".router_mlp.{nm}", "router", "matrix", (w, w), "router")
        yield Tensor(g + f".router_mlp.{nm}.bias", "router", "vector", (w,), "router")
    # the experts and the skip class
    rows = e.n_routed_experts + e.zero_experts + 1
    yield Tensor(g + ".router_mlp.out_proj", "router", "matrix", (rows, w), "router")


def _ernie_vl_vision_tensors(
    v: VisionTower,
    lin: Callable[..., Iterator[Tensor]],
    norm: Callable[[str, int, bool], Iterator[Tensor]],
) -> Iterator[Tensor]:
    """Ernie4_5_VLMoeVisionTransformerPretrainedModel and its resampler (ERNIE 4.5 VL).

    A patch linear without bias over ``channels × patch²`` pixels, ``depth`` blocks of
    two LayerNorms, a biased fused ``qkv`` and ``proj`` and biased ``fc1``/``fc2``, a
    final LayerNorm ``ln``; Ernie4_5_VLMoeVariableResolutionResamplerModel over ``d_s =
    h · s²`` merged patches (``s`` the spatial merge): ``spatial_linear`` (``d_s → d_s →
    d_s`` and a LayerNorm), ``temporal_linear`` (``d_s · t → d_s → d_s`` and a LayerNorm,
    ``t`` the temporal merge, ``temporal_patch_size`` here), a biased ``mlp`` into the
    text width and an RMSNorm ``after_norm``."""
    h, inter, c = v.hidden_size, v.intermediate_size, v.in_channels
    patch = (h, c * v.patch_size**2)
    yield Tensor("vision.patch_embed.proj", "vision", "matrix", patch, "vision")
    for i in range(v.depth):
        p = f"blocks.{i}."
        yield from norm(p + "norm1", h, True)
        yield from norm(p + "norm2", h, True)
        yield from lin(p + "attn.qkv", 3 * h, h)
        yield from lin(p + "attn.proj", h, h)
        yield from lin(p + "mlp.fc1", inter, h)
        yield from lin(p + "mlp.fc2", h, inter)
    yield from norm("ln", h, True)
    spatial = h * v.spatial_merge_size**2
    for name, width in (
        ("spatial_linear", spatial),
        ("temporal_linear", spatial * v.temporal_patch_size),
    ):
        yield from lin(f"resampler_model.{name}.fc1", spatial, width)
        yield from lin(f"resampler_model.{name}.fc2", spatial, spatial)
        yield from norm(f"resampler_model.{name}.ln", spatial, True)
    yield from lin("resampler_model.mlp", v.out_hidden_size, spatial)
    yield from norm("resampler_model.after_norm", v.out_hidden_size, False)


def _glm4v_vision_tensors(
    v: VisionTower,
    lin: Callable[..., Iterator[Tensor]],
    norm: Callable[[str, int, bool], Iterator[Tensor]],
) -> Iterator[Tensor]:
    """Glm4vVisionModel (GLM-4.1V / 4.5V / 4.6V): a learned position table of
    ``(image_size / patch_size)²`` rows, a biased Conv3d patch embedding over
    ``temporal × patch × patch`` pixels, ``depth`` blocks of two RMSNorms, fused ``qkv``
    (biased where ``qkv_bias``: the config's ``attention_bias``) and an unbiased ``proj``,
    and a gated SiLU MLP of width ``out_hidden_size`` without biases;
    ``post_conv_layernorm``, a biased Conv2d ``downsample`` over ``spatial_merge_size²``
    patches to ``out_hidden_size``, ``post_layernorm``, and the merger: an unbiased
    ``proj``, a biased LayerNorm and a gated MLP of width ``intermediate_size``, all at
    ``out_hidden_size``.

    GlmOcrVisionModel (``glm_ocr``) differs in five places: no position table, RMSNorms
    over each head's q and k, ``proj`` and the MLP biased like ``qkv``, the MLP
    ``intermediate_size`` wide, no ``post_conv_layernorm``, and a merger MLP of width
    ``out_hidden_size · in_channels``."""
    h, o, inter, s = v.hidden_size, v.out_hidden_size, v.intermediate_size, v.spatial_merge_size
    ocr = v.kind == "glm_ocr"
    if v.position_embeddings:
        pos = (v.position_embeddings, h)
        yield Tensor("vision.embeddings.position_embedding", "vision", "embedding", pos, "vision")
    patch = (h, v.in_channels, v.temporal_patch_size, v.patch_size, v.patch_size)
    yield Tensor("vision.patch_embed.proj", "vision", "matrix", patch, "vision")
    yield Tensor("vision.patch_embed.proj.bias", "vision", "vector", (h,), "vision")
    mlp, biased = (inter, v.qkv_bias) if ocr else (o, False)
    for i in range(v.depth):
        p = f"blocks.{i}."
        yield from norm(p + "norm1", h, False)
        yield from norm(p + "norm2", h, False)
        yield from lin(p + "attn.qkv", 3 * h, h, bias=v.qkv_bias)
        yield from lin(p + "attn.proj", h, h, bias=biased)
        if ocr:
            yield from norm(p + "attn.q_norm", v.head_dim, False)
            yield from norm(p + "attn.k_norm", v.head_dim, False)
        yield from lin(p + "mlp.gate_proj", mlp, h, bias=biased)
        yield from lin(p + "mlp.up_proj", mlp, h, bias=biased)
        yield from lin(p + "mlp.down_proj", h, mlp, bias=biased)
    if not ocr:
        yield from norm("post_conv_layernorm", h, False)
    yield Tensor("vision.downsample", "vision", "matrix", (o, h, s, s), "vision")
    yield Tensor("vision.downsample.bias", "vision", "vector", (o,), "vision")
    yield from norm("post_layernorm", h, False)
    context = o * v.in_channels if ocr else inter
    yield from lin("merger.proj", o, o, bias=False)
    yield from norm("merger.post_projection_norm", o, True)
    yield from lin("merger.gate_proj", context, o, bias=False)
    yield from lin("merger.up_proj", context, o, bias=False)
    yield from lin("merger.down_proj", o, context, bias=False)


def _vision_tensors(v: VisionTower) -> Iterator[Tensor]:
    """The vision tower's parameters as the model code builds them (component ``vision``).

    Qwen2-VL / Qwen2.5-VL / Qwen3-VL: a Conv3d patch embedding over
    ``temporal × patch × patch`` pixels (bias in Qwen3-VL only), ``depth`` blocks
    of fused-qkv attention and an MLP (GELU fc1/fc2 in Qwen2-VL and Qwen3-VL,
    gated SiLU gate/up/down in Qwen2.5-VL), every linear layer with a bias, two
    norms per block (LayerNorm with bias, RMSNorm in Qwen2.5-VL), and a patch
    merger: norm, ``Linear(4c, 4c)``, GELU, ``Linear(4c, out)`` over
    ``spatial_merge_size²`` patches (Qwen3-VL adds a learned position table and
    one DeepStack merger, normed after the shuffle, per listed layer). SigLIP
    (Gemma 3): a Conv2d patch embedding with bias, a learned position table, q/k/v/o
    and fc1/fc2 with biases, two LayerNorms per layer and a post-LayerNorm, then
    Gemma 3's projector (an RMSNorm and an ``h × out`` matrix). Idefics3 / SmolVLM:
    SigLIP's encoder without a pooling head. CLIP (CLIPVisionModel): a class token, a
    Conv2d patch embedding without bias, a position row per patch and the class token,
    pre and post LayerNorms, SigLIP's layers. InternVL (InternVLVisionModel): a class
    token, a biased Conv2d patch embedding, ``depth`` layers of q/k/v, a biased
    ``projection_layer``, fc1/fc2, two norms and two layer scales ``lambda_1`` /
    ``lambda_2``. A named ``projector`` follows any of these
    (:func:`_vision_projector_tensors`).
    """
    if v.audio_tower is not None:
        yield from _vision_tensors(v.audio_tower)
    if v.kind in get_args(AudioKind):
        yield from _audio_tensors(v)
        return
    h, inter, c = v.hidden_size, v.intermediate_size, v.in_channels

    def lin(name: str, out: int, inp: int, bias: bool = True) -> Iterator[Tensor]:
        yield Tensor("vision." + name, "vision", "matrix", (out, inp), "vision")
        if bias:
            yield Tensor("vision." + name + ".bias", "vision", "vector", (out,), "vision")

    def norm(name: str, width: int, bias: bool) -> Iterator[Tensor]:
        yield Tensor("vision." + name, "vision", "vector", (width,), "vision")
        if bias:
            yield Tensor("vision." + name + ".bias", "vision", "vector", (width,), "vision")

    if v.kind == "llama4":
        # Llama4VisionModel: an unfolded patch linear, class token, position table, pre
        # and post LayerNorms, encoder layers with biased q/k/v/o and fc1/fc2; the
        # pixel-shuffle adapter (Llama4VisionMLP2, no bias) and Llama4MultiModalProjector
        yield Tensor(
            "vision.patch_embedding.linear", "vision", "matrix", (h, c * v.patch_size**2), "vision"
        )
        yield Tensor("vision.class_embedding", "vision", "vector", (h,), "vision")
        yield Tensor(
            "vision.positional_embedding_vlm",
            "vision",
            "embedding",
            (v.position_embeddings, h),
            "vision",
        )
        yield from norm("layernorm_pre", h, True)
        yield from norm("layernorm_post", h, True)
        for i in range(v.depth):
            p = f"layers.{i}."
            for x in ("q_proj", "k_proj", "v_proj", "o_proj"):
                yield from lin(p + "self_attn." + x, h, h)
            yield from lin(p + "mlp.fc1", inter, h)
            yield from lin(p + "mlp.fc2", h, inter)
            yield from norm(p + "input_layernorm", h, True)
            yield from norm(p + "post_attention_layernorm", h, True)
        pin, pout = v.projector_input_size, v.projector_output_size
        yield from lin("vision_adapter.mlp.fc1", pin, inter, bias=False)
        yield from lin("vision_adapter.mlp.fc2", pout, pout, bias=False)
        yield from lin("multi_modal_projector.linear_1", v.out_hidden_size, pout, bias=False)
        return
    if v.kind == "mllama":
        yield from _mllama_vision_tensors(v, lin, norm)
        return
    if v.kind == "ernie4_5_vl":
        yield from _ernie_vl_vision_tensors(v, lin, norm)
        return
    if v.kind in ("glm4v", "glm_ocr"):
        yield from _glm4v_vision_tensors(v, lin, norm)
        return
    if v.kind == "pixtral":
        # PixtralVisionModel: a Conv2d patch embedding without bias, ln_pre, layers of
        # attention_norm / ffn_norm (RMSNorms), q/k/v/o and a gated SiLU MLP without biases;
        # MistralLarge4MultiModalProjector: an RMSNorm, patch_merger (s^2 patches -> h),
        # linear_1 (h x feature layers -> text h) and linear_2 (text h -> text h)
        yield Tensor(
            "vision.patch_conv", "vision", "vector", (h, c, v.patch_size, v.patch_size), "vision"
        )
        yield from norm("ln_pre", h, False)
        for i in range(v.depth):
            p = f"transformer.layers.{i}."
            yield from norm(p + "attention_norm", h, False)
            for x in ("q_proj", "k_proj", "v_proj", "o_proj"):
                yield from lin(p + "attention." + x, h, h, bias=False)
            yield from lin(p + "feed_forward.gate_proj", inter, h, bias=False)
            yield from lin(p + "feed_forward.up_proj", inter, h, bias=False)
            yield from lin(p + "feed_forward.down_proj", h, inter, bias=False)
            yield from norm(p + "ffn_norm", h, False)
        out, b = v.out_hidden_size, v.projector_bias
        if v.projector:
            yield from _vision_projector_tensors(v, lin, norm)  # LlavaForConditionalGeneration
            return
        yield from norm("multi_modal_projector.norm", h, False)
        merged = h * v.spatial_merge_size**2
        yield from lin("multi_modal_projector.patch_merger.merging_layer", h, merged, bias=False)
        yield from lin("multi_modal_projector.linear_1", out, v.projector_input_size, bias=b)
        yield from lin("multi_modal_projector.linear_2", out, out, bias=b)
        return
    if v.kind == "gemma4":
        # Gemma4VisionPatchEmbedder (a patch linear without bias, a 2 x P x h table of
        # x and y positions), encoder layers of q/k/v/o and gate/up/down without bias,
        # per-head q and k norms (v's has no scale), four norms per layer; the pooler has
        # no weights; an optional output bias and scale; Gemma4MultimodalEmbedder: a
        # weightless norm and an h x out projection
        patch = c * v.patch_size**2
        yield Tensor("vision.patch_embedder.input_proj", "vision", "matrix", (h, patch), "vision")
        yield Tensor(
            "vision.patch_embedder.position_embedding_table",
            "vision",
            "embedding",
            (2, v.position_embeddings, h),
            "vision",
        )
        for i in range(v.depth):
            p = f"encoder.layers.{i}."
            for x in ("q_proj", "k_proj", "v_proj", "o_proj"):
                yield from lin(p + "self_attn." + x, h, h, bias=False)
            yield from norm(p + "self_attn.q_norm", v.head_dim, False)
            yield from norm(p + "self_attn.k_norm", v.head_dim, False)
            for x, shape in (("gate_proj", (inter, h)), ("up_proj", (inter, h))):
                yield from lin(p + "mlp." + x, *shape, bias=False)
            yield from lin(p + "mlp.down_proj", h, inter, bias=False)
            for x in ("input", "post_attention", "pre_feedforward", "post_feedforward"):
                yield from norm(p + x + "_layernorm", h, False)
        if v.standardize:
            yield from norm("std_bias", h, False)
            yield from norm("std_scale", h, False)
        yield from lin("embed_vision.embedding_projection", v.out_hidden_size, h, bias=False)
        return
    if v.kind == "internvl":
        yield from _internvl_vision_tensors(v, lin, norm)
        yield from _vision_projector_tensors(v, lin, norm)
        return
    if v.kind in ("siglip", "idefics3", "clip"):
        # SiglipVisionEmbeddings / SiglipEncoderLayer / Gemma3MultiModalProjector;
        # Idefics3VisionEmbeddings / Idefics3EncoderLayer; CLIPVisionEmbeddings (a class
        # token, no patch bias), pre_layrnorm and CLIPEncoderLayer
        clip = v.kind == "clip"
        conv2d = (h, c, v.patch_size, v.patch_size)
        if clip:
            yield Tensor("vision.class_embedding", "vision", "vector", (h,), "vision")
        yield Tensor("vision.patch_embedding", "vision", "vector", conv2d, "vision")
        if not clip:
            yield Tensor("vision.patch_embedding.bias", "vision", "vector", (h,), "vision")
        yield Tensor(
            "vision.position_embedding", "vision", "embedding", (v.position_embeddings, h), "vision"
        )
        if clip:
            yield from norm("pre_layrnorm", h, True)
        for i in range(v.depth):
            p = f"layers.{i}."
            yield from norm(p + "layer_norm1", h, True)
            for x in ("q_proj", "k_proj", "v_proj", "out_proj"):
                yield from lin(p + "self_attn." + x, h, h)
            yield from norm(p + "layer_norm2", h, True)
            yield from lin(p + "mlp.fc1", inter, h)
            yield from lin(p + "mlp.fc2", h, inter)
        yield from norm("post_layernorm", h, True)
        if v.pooling_head:
            # SiglipMultiheadAttentionPoolingHead: a probe, nn.MultiheadAttention (packed
            # in_proj, out_proj), a LayerNorm and a SiglipMLP
            yield Tensor("vision.head.probe", "vision", "vector", (h,), "vision")
            yield from lin("head.attention.in_proj", 3 * h, h)
            yield from lin("head.attention.out_proj", h, h)
            yield from norm("head.layernorm", h, True)
            yield from lin("head.mlp.fc1", inter, h)
            yield from lin("head.mlp.fc2", h, inter)
        if v.kind != "siglip" or v.projector:
            yield from _vision_projector_tensors(v, lin, norm)
            return
        yield from norm("mm_soft_emb_norm", h, False)
        yield Tensor(
            "vision.mm_input_projection_weight",
            "vision",
            "matrix",
            (h, v.out_hidden_size),
            "vision",
        )
        return
    rms = v.kind == "qwen2_5_vl"
    kernel = (h, c, v.temporal_patch_size, v.patch_size, v.patch_size)
    yield Tensor("vision.patch_embed.proj", "vision", "vector", kernel, "vision")
    if v.kind == "qwen3_vl":
        yield Tensor("vision.patch_embed.proj.bias", "vision", "vector", (h,), "vision")
        yield Tensor(
            "vision.pos_embed", "vision", "embedding", (v.position_embeddings, h), "vision"
        )
    for i in range(v.depth):
        p = f"blocks.{i}."
        yield from norm(p + "norm1", h, not rms)
        yield from norm(p + "norm2", h, not rms)
        yield from lin(p + "attn.qkv", 3 * h, h)
        yield from lin(p + "attn.proj", h, h)
        if rms:
            yield from lin(p + "mlp.gate_proj", inter, h)
            yield from lin(p + "mlp.up_proj", inter, h)
            yield from lin(p + "mlp.down_proj", h, inter)
        else:
            yield from lin(p + "mlp.fc1", inter, h)
            yield from lin(p + "mlp.fc2", h, inter)
    merged = h * v.spatial_merge_size**2
    mergers = [("merger.", h)] + [
        (f"deepstack_merger_list.{j}.", merged) for j in range(v.deepstack_mergers)
    ]
    for p, normed in mergers:
        yield from norm(p + "norm", normed, not rms)
        yield from lin(p + "fc1", merged, merged)
        yield from lin(p + "fc2", v.out_hidden_size, merged)


def _audio_tensors(v: VisionTower) -> Iterator[Tensor]:
    """An audio encoder's parameters and its projector's (component ``vision``).

    Every linear layer is ``(out, in)``, every norm a LayerNorm with bias unless said;
    buffers (sinusoidal positions, rotary tables, BatchNorm statistics) are not parameters.

    ``whisper`` (``Qwen2AudioEncoder``, ``VoxtralEncoder``): ``conv1`` (mel → h, kernel 3)
    and ``conv2`` (h → h, kernel 3) with biases, a learned ``embed_positions`` table, layers
    of q/k/v/out_proj (k without bias), ``fc1``/``fc2``, two norms, and a final
    ``layer_norm``. ``qwen2_5_omni_audio``: the same stem and layers without the table,
    ``audio_bos_eos_token`` (2 × out), ``ln_post`` and ``proj`` (h → out).
    ``qwen3_omni_audio`` / ``qwen3_asr``: three stride-2 Conv2d (1 → c, c → c, c → c,
    3 × 3) and ``conv_out`` (c · ⌈⌈⌈mel/2⌉/2⌉/2⌉ → h, no bias), layers with every q/k/v/o
    biased, ``ln_post``; Qwen3-Omni then ``proj1`` (h → h) and ``proj2`` (h → out),
    Qwen3-ASR the same shapes in its projector. ``glmasr``: the conv stem, RoPE layers of
    q (H·d), k, v (K·d; k without bias), o, ``mlp.fc1``/``fc2``, two norms, a final
    ``norm``. ``voxtral_realtime``: the conv stem (``embedder``), RMSNorms, the same
    attention, a SiLU-gated MLP with a bias on ``down_proj`` only. ``fun_asr_nano``
    (SAN-M): layers of q/k/v (the first layer reads ``in_channels`` features), o, a
    depthwise FSMN kernel without bias, ``fc1``/``fc2``, two norms, a LayerNorm after the
    last transcription and the last timestamp layer. ``conformer``
    (``GraniteSpeechCTCEncoder``): ``input_linear``, Macaron blocks (two feed-forward
    modules, attention with ``to_q``/``to_kv`` without bias and a relative position table,
    a convolution module with a GLU pointwise conv, depthwise conv, BatchNorm and
    pointwise conv, ``post_norm``), the CTC ``out``/``out_mid``.

    Projectors: one linear layer, or ``linear_1``/``linear_2`` through
    ``projector_hidden_size``; Fun-ASR's adaptor layers after them; Granite's
    ``GraniteSpeechEncoderProjector``: the learned ``query``, a ``Blip2QFormerModel``
    (a LayerNorm; per layer self-attention, a cross-attention over the encoder every
    ``cross_attention_frequency`` layers, the query FFN) and ``linear`` into the text.
    """
    h, inter, c, k = v.hidden_size, v.intermediate_size, v.in_channels, v.kind

    def t(name: str, kind: TensorKind, *shape: int) -> Tensor:
        return Tensor("audio." + name, "vision", kind, shape, "vision")

    def lin(name: str, out: int, inp: int, bias: bool = True) -> Iterator[Tensor]:
        yield t(name, "matrix", out, inp)
        if bias:
            yield t(name + ".bias", "vector", out)

    def norm(name: str, width: int, bias: bool = True) -> Iterator[Tensor]:
        yield t(name, "vector", width)
        if bias:
            yield t(name + ".bias", "vector", width)

    def conv(name: str, *shape: int) -> Iterator[Tensor]:
        yield t(name, "vector", *shape)
        yield t(name + ".bias", "vector", shape[0])

    if k == "conformer":
        yield from _conformer_tensors(v, lin, norm, t)
        return
    out = v.out_hidden_size
    q_width = v.num_heads * v.head_dim or h
    kv_width = v.num_kv_heads * v.head_dim or q_width
    if k in ("qwen3_omni_audio", "qwen3_asr"):
        ds = v.downsample_hidden_size
        yield from conv("conv2d1", ds, 1, 3, 3)
        yield from conv("conv2d2", ds, ds, 3, 3)
        yield from conv("conv2d3", ds, ds, 3, 3)
        # three stride-2 convolutions over the mel bins: ((((mel + 1) // 2 + 1) // 2 + 1) // 2)
        yield from lin("conv_out", h, ds * ((((c + 1) // 2 + 1) // 2 + 1) // 2), bias=False)
    elif k != "fun_asr_nano":
        stem = "embedder." if k == "voxtral_realtime" else ""
        yield from conv(stem + "conv1", h, c, 3)
        yield from conv(stem + "conv2", h, h, 3)
    if k == "whisper":
        yield t("embed_positions", "embedding", v.position_embeddings, h)
    if k == "qwen2_5_omni_audio":
        yield t("audio_bos_eos_token", "embedding", 2, out)
    rms = k == "voxtral_realtime"
    ends = {v.depth - v.timestamp_layers - 1, v.depth - 1}
    for i in range(v.depth):
        p = f"layers.{i}."
        inp = c if k == "fun_asr_nano" and i == 0 else h
        if k in ("glmasr", "voxtral_realtime", "fun_asr_nano"):
            a, o = p + "self_attn.", "o_proj"
        else:
            a, o = p + "self_attn.", "out_proj"
        k_bias = k in ("qwen3_omni_audio", "qwen3_asr", "fun_asr_nano")
        yield from lin(a + "q_proj", q_width, inp)
        yield from lin(a + "k_proj", kv_width, inp, bias=k_bias)
        yield from lin(a + "v_proj", kv_width, inp)
        yield from lin(a + o, h, q_width)
        if k == "fun_asr_nano":
            yield t(a + "fsmn.conv", "vector", h, 1, v.conv_kernel_size)
        if k == "voxtral_realtime":
            yield from lin(p + "mlp.gate_proj", inter, h, bias=False)
            yield from lin(p + "mlp.up_proj", inter, h, bias=False)
            yield from lin(p + "mlp.down_proj", h, inter)
        else:
            f = p + "mlp." if k in ("glmasr", "fun_asr_nano") else p
            yield from lin(f + "fc1", inter, h)
            yield from lin(f + "fc2", h, inter)
        if k in ("glmasr", "fun_asr_nano"):
            yield from norm(p + "input_layernorm", inp)
            yield from norm(p + "post_attention_layernorm", h)
        else:
            yield from norm(p + "self_attn_layer_norm", h, not rms)
            yield from norm(p + "final_layer_norm", h, not rms)
        if k == "fun_asr_nano" and i in ends:
            yield from norm(p + "final_layernorm", h)
    if k == "whisper":
        yield from norm("layer_norm", h)
    elif k in ("glmasr", "voxtral_realtime"):
        yield from norm("norm", h, not rms)
    elif k != "fun_asr_nano":
        yield from norm("ln_post", h)
    if k == "qwen2_5_omni_audio":
        yield from lin("proj", out, h)
    elif k == "qwen3_omni_audio":
        yield from lin("proj1", h, h)
        yield from lin("proj2", out, h)
    pin, mid, b = v.projector_input_size, v.projector_hidden_size, v.projector_bias
    if pin and mid:
        yield from lin("multi_modal_projector.linear_1", mid, pin, bias=b)
        yield from lin("multi_modal_projector.linear_2", out, mid, bias=b)
    elif pin:
        yield from lin("multi_modal_projector.linear", out, pin, bias=b)
    a_inter = v.projector_intermediate_size
    for i in range(v.projector_depth):
        # FunAsrNanoEncoderLayer(adaptor_config, use_fsmn=False), out wide
        p = f"multi_modal_projector.layers.{i}."
        for x in ("q_proj", "k_proj", "v_proj", "o_proj"):
            yield from lin(p + "self_attn." + x, out, out)
        yield from lin(p + "mlp.fc1", a_inter, out)
        yield from lin(p + "mlp.fc2", out, a_inter)
        yield from norm(p + "input_layernorm", out)
        yield from norm(p + "post_attention_layernorm", out)


def _conformer_tensors(
    v: VisionTower,
    lin: Callable[..., Iterator[Tensor]],
    norm: Callable[..., Iterator[Tensor]],
    t: Callable[..., Tensor],
) -> Iterator[Tensor]:
    """Granite Speech's ``GraniteSpeechCTCEncoder`` and ``GraniteSpeechEncoderProjector``."""
    h, ff, ci = v.hidden_size, v.intermediate_size, v.conv_hidden_size
    inner = v.num_heads * v.head_dim
    yield from lin("encoder.input_linear", h, v.in_channels)
    for i in range(v.depth):
        p = f"encoder.layers.{i}."
        for f in ("ff1", "ff2"):
            yield from norm(p + f + ".pre_norm", h)
            yield from lin(p + f + ".up_proj", ff, h)
            yield from lin(p + f + ".down_proj", h, ff)
        yield from norm(p + "attn.pre_norm", h)
        yield from lin(p + "attn.to_q", inner, h, bias=False)
        yield from lin(p + "attn.to_kv", 2 * inner, h, bias=False)
        yield from lin(p + "attn.to_out", h, inner)
        yield t(p + "attn.rel_pos_emb", "embedding", v.position_embeddings, v.head_dim)
        yield from norm(p + "conv.norm", h)
        # pointwise Conv1d into a GLU, depthwise Conv1d without bias, BatchNorm1d, pointwise
        yield t(p + "conv.up_conv", "vector", 2 * ci, h, 1)
        yield t(p + "conv.up_conv.bias", "vector", 2 * ci)
        yield t(p + "conv.depth_conv.conv", "vector", ci, 1, v.conv_kernel_size)
        yield from norm(p + "conv.batch_norm", ci)
        yield t(p + "conv.down_conv", "vector", h, ci, 1)
        yield t(p + "conv.down_conv.bias", "vector", h)
        yield from norm(p + "post_norm", h)
    yield from lin("encoder.out", v.ctc_output_dim, h)
    yield from lin("encoder.out_mid", h, v.ctc_output_dim)
    q, qi, enc = v.projector_hidden_size, v.projector_intermediate_size, v.projector_input_size
    yield t("projector.query", "vector", 1, v.num_queries, q)
    yield from norm("projector.qformer.layernorm", q)
    ffns: tuple[str, ...] = ("intermediate_query", "output_query")
    if v.qformer_text_input:
        ffns = ("intermediate", "output", *ffns)
    for i in range(v.projector_depth):
        p = f"projector.qformer.encoder.layer.{i}."
        cross = v.cross_attention_frequency and i % v.cross_attention_frequency == 0
        for a, kv in (("attention.", q), ("crossattention.", enc)):
            if a == "crossattention." and not cross:
                continue
            yield from lin(p + a + "attention.query", q, q)
            yield from lin(p + a + "attention.key", q, kv)
            yield from lin(p + a + "attention.value", q, kv)
            yield from lin(p + a + "output.dense", q, q)
            yield from norm(p + a + "output.LayerNorm", q)
        for f in ffns:
            if f.startswith("intermediate"):
                yield from lin(p + f + ".dense", qi, q)
            else:
                yield from lin(p + f + ".dense", q, qi)
                yield from norm(p + f + ".LayerNorm", q)
    yield from lin("projector.linear", v.out_hidden_size, q)


def _internvl_vision_tensors(
    v: VisionTower,
    lin: Callable[..., Iterator[Tensor]],
    norm: Callable[[str, int, bool], Iterator[Tensor]],
) -> Iterator[Tensor]:
    """``InternVLVisionModel``, in the order transformers builds it.

    InternVLVisionEmbeddings: ``cls_token``, an optional ``mask_token``, a biased Conv2d
    ``patch_embeddings.projection`` and, with ``use_absolute_position_embeddings``, a
    ``position_embeddings`` row per patch and the class token (``position_embeddings``
    rows, 0 without). InternVLVisionLayer: q/k/v (biased where ``qkv_bias``), a biased
    ``projection_layer``, InternVLVisionRMSNorm ``q_norm`` / ``k_norm`` over the whole
    width where ``qk_norm``, fc1/fc2 with biases, ``layernorm_before`` / ``layernorm_after``
    (LayerNorm, or RMSNorm where ``rms_norm``) and ``lambda_1`` / ``lambda_2``; a final
    LayerNorm only where ``final_norm`` (``use_mean_pooling`` false).
    """
    h, inter, c = v.hidden_size, v.intermediate_size, v.in_channels
    yield Tensor("vision.embeddings.cls_token", "vision", "vector", (h,), "vision")
    if v.mask_token:
        yield Tensor("vision.embeddings.mask_token", "vision", "vector", (h,), "vision")
    kernel = (h, c, v.patch_size, v.patch_size)
    yield Tensor(
        "vision.embeddings.patch_embeddings.projection", "vision", "vector", kernel, "vision"
    )
    yield Tensor(
        "vision.embeddings.patch_embeddings.projection.bias", "vision", "vector", (h,), "vision"
    )
    if v.position_embeddings:
        rows = (v.position_embeddings, h)
        yield Tensor("vision.embeddings.position_embeddings", "vision", "embedding", rows, "vision")
    for i in range(v.depth):
        p = f"encoder.layer.{i}."
        for x in ("q_proj", "k_proj", "v_proj"):
            yield from lin(p + "attention." + x, h, h, bias=v.qkv_bias)
        yield from lin(p + "attention.projection_layer", h, h)
        if v.qk_norm:
            yield from norm(p + "attention.q_norm", h, False)
            yield from norm(p + "attention.k_norm", h, False)
        yield from lin(p + "mlp.fc1", inter, h)
        yield from lin(p + "mlp.fc2", h, inter)
        yield from norm(p + "layernorm_before", h, not v.rms_norm)
        yield from norm(p + "layernorm_after", h, not v.rms_norm)
        yield from norm(p + "lambda_1", h, False)
        yield from norm(p + "lambda_2", h, False)
    if v.final_norm:
        yield from norm("layernorm", h, True)


def _vision_projector_tensors(
    v: VisionTower,
    lin: Callable[..., Iterator[Tensor]],
    norm: Callable[[str, int, bool], Iterator[Tensor]],
) -> Iterator[Tensor]:
    """The wrapper's projector of a :class:`VisionTower` (``projector``) and its extras.

    ``llava``: LlavaMultiModalProjector (and LlavaNext-, LlavaNextVideo- and
    LlavaOnevisionMultiModalProjector), ``linear_1`` from ``projector_input_size`` (the
    width times the feature layers) to the text width and ``linear_2``, biased where
    ``projector_bias``; ``vipllava``: VipLlavaMultiModalProjector, the same after a
    ``projector_layernorm``; ``paligemma``: PaliGemmaMultiModalProjector, one biased
    ``linear`` to ``projector_output_size`` (``projection_dim``); ``aya_vision``:
    AyaVisionMultiModalProjector, a LayerNorm, ``linear_1`` to ``projector_output_size``
    (``alignment_intermediate_size``) and ``linear_2`` from half of it (SwiGLU), biased
    (``cohere2_vision``: Cohere2VisionMultiModalProjector, the same without the LayerNorm);
    ``idefics3``: Idefics3Connector / SmolVLMConnector, ``modality_projection.proj``
    without bias; ``internvl``: InternVLMultiModalProjector, a LayerNorm, ``linear_1``
    and ``linear_2``, biased. Then LLaVA-NeXT's ``image_newline`` and LlavaNextVideoPooler's
    convolution where the tower has them.
    """
    pin, mid, out = v.projector_input_size, v.projector_output_size, v.out_hidden_size
    p = "multi_modal_projector."
    if v.projector in ("llava", "vipllava"):
        if v.projector == "vipllava":
            yield from norm(p + "projector_layernorm", pin, True)
        yield from lin(p + "linear_1", out, pin, bias=v.projector_bias)
        yield from lin(p + "linear_2", out, out, bias=v.projector_bias)
    elif v.projector == "paligemma":
        yield from lin(p + "linear", mid, pin)
    elif v.projector in ("aya_vision", "cohere2_vision"):
        if v.projector == "aya_vision":
            yield from norm(p + "layernorm", pin, True)
        yield from lin(p + "linear_1", mid, pin)
        yield from lin(p + "linear_2", out, mid // 2)
    elif v.projector == "idefics3":
        yield from lin("connector.modality_projection.proj", out, pin, bias=False)
    elif v.projector == "internvl":
        yield from norm(p + "layer_norm", pin, True)
        yield from lin(p + "linear_1", out, pin)
        yield from lin(p + "linear_2", out, out)
    elif v.projector == "minicpmv":
        # MiniCPMV4_6ViTWindowAttentionMerger: one attention block over each window, then
        # the window's patches through an MLP back to the width; MiniCPMV4_6Merger:
        # DownsampleMLPs over 4 patches (the last into the text width)
        h, wh, wi = v.hidden_size, v.projector_hidden_size, v.projector_intermediate_size
        for x in ("q_proj", "k_proj", "v_proj", "out_proj"):
            yield from lin("vit_merger.self_attn." + x, h, h)
        yield from norm("vit_merger.layer_norm1", h, True)
        yield from norm("vit_merger.pre_norm", wh, True)
        yield from lin("vit_merger.linear_1", wi, wh)
        yield from lin("vit_merger.linear_2", h, wi)
        for i in range(v.projector_depth):
            width = out if i == v.projector_depth - 1 else h
            yield from norm(f"merger.mlp.{i}.pre_norm", 4 * h, True)
            yield from lin(f"merger.mlp.{i}.linear_1", 4 * h, 4 * h)
            yield from lin(f"merger.mlp.{i}.linear_2", width, 4 * h)
    elif v.projector == "idefics2":
        yield from _idefics2_connector_tensors(v, lin, norm)
    elif v.projector == "paddleocr":
        # PaddleOCRProjector: pre_norm over each patch, then the merged patches' MLP
        yield from norm("projector.pre_norm", v.hidden_size, True)
        yield from lin("projector.linear_1", pin, pin)
        yield from lin("projector.linear_2", out, pin)
    if v.image_newline:
        yield Tensor("vision.image_newline", "vision", "vector", (out,), "vision")
    if v.pool_stride:
        kernel = (v.pool_channels, v.hidden_size, v.pool_stride, v.pool_stride)
        yield Tensor("vision.vision_resampler.pool", "vision", "vector", kernel, "vision")
        yield from norm("vision_resampler.pool.bias", v.pool_channels, False)


def _idefics2_connector_tensors(
    v: VisionTower,
    lin: Callable[..., Iterator[Tensor]],
    norm: Callable[[str, int, bool], Iterator[Tensor]],
) -> Iterator[Tensor]:
    """Idefics2Connector: a gated MLP from the tower's width through
    ``projector_intermediate_size`` to the text width ``H``, then the perceiver resampler:
    ``num_queries`` latents of ``H``, ``projector_depth`` layers of three RMSNorms, q/k/v/o
    (``num_heads`` query and ``num_kv_heads`` key/value heads of ``head_dim``) and a gated
    MLP of ``4 H``, without biases, and a final RMSNorm."""
    h, out, inter = v.hidden_size, v.out_hidden_size, v.projector_intermediate_size
    p = "connector.modality_projection."
    yield from lin(p + "gate_proj", inter, h, bias=False)
    yield from lin(p + "up_proj", inter, h, bias=False)
    yield from lin(p + "down_proj", out, inter, bias=False)
    p = "connector.perceiver_resampler."
    yield Tensor("vision." + p + "latents", "vision", "vector", (v.num_queries, out), "vision")
    q, kv = v.num_heads * v.head_dim, v.num_kv_heads * v.head_dim
    for i in range(v.projector_depth):
        x = f"{p}layers.{i}."
        for n in ("input_latents_norm", "input_context_norm", "post_attention_layernorm"):
            yield from norm(x + n, out, False)
        yield from lin(x + "self_attn.q_proj", q, out, bias=False)
        yield from lin(x + "self_attn.k_proj", kv, out, bias=False)
        yield from lin(x + "self_attn.v_proj", kv, out, bias=False)
        yield from lin(x + "self_attn.o_proj", out, q, bias=False)
        yield from lin(x + "mlp.gate_proj", 4 * out, out, bias=False)
        yield from lin(x + "mlp.up_proj", 4 * out, out, bias=False)
        yield from lin(x + "mlp.down_proj", out, 4 * out, bias=False)
    yield from norm(p + "norm", out, False)


def _mllama_vision_tensors(
    v: VisionTower,
    lin: Callable[..., Iterator[Tensor]],
    norm: Callable[[str, int, bool], Iterator[Tensor]],
) -> Iterator[Tensor]:
    """``MllamaVisionModel`` and ``multi_modal_projector``, in the order transformers builds them.

    A Conv2d patch embedding without bias, a class embedding; the gated position
    embedding (a gate, a ``patches × h`` table, a tile table of ``(R + 1)`` rows of
    ``tiles · patches · h``) and the pre- and post-tile embeddings (``(R + 1)`` rows of
    ``tiles · h`` and a gate each), R the supported aspect ratios; pre and post
    LayerNorms; ``depth`` local and ``global_depth`` global encoder layers (q/k/v/o
    without bias, fc1/fc2 with bias, two LayerNorms; a global layer adds the scalar
    gates ``gate_attn`` and ``gate_ffn``); the projector ``Linear(vision_output_dim, h_text)``
    with bias.
    """
    h, inter, c, n = v.hidden_size, v.intermediate_size, v.in_channels, v.position_embeddings
    rows = v.aspect_ratios + 1  # MllamaPrecomputed*Embedding: max_aspect_ratio_id + 1 rows

    def vec(name: str, shape: tuple[int, ...], kind: TensorKind = "vector") -> Tensor:
        return Tensor("vision." + name, "vision", kind, shape, "vision")

    yield vec("patch_embedding", (h, c, v.patch_size, v.patch_size))
    yield vec("class_embedding", (h,))
    yield vec("gated_positional_embedding.gate", (1,))
    yield vec("gated_positional_embedding.embedding", (n, h), "embedding")
    tiles = (rows, v.max_num_tiles * n * h)
    yield vec("gated_positional_embedding.tile_embedding", tiles, "embedding")
    for site in ("pre", "post"):
        p = f"{site}_tile_positional_embedding."
        yield vec(p + "embedding", (rows, v.max_num_tiles * h), "embedding")
        yield vec(p + "gate", (1,))
    yield from norm("layernorm_pre", h, True)
    yield from norm("layernorm_post", h, True)
    for stack, depth in (("transformer", v.depth), ("global_transformer", v.global_depth)):
        for i in range(depth):
            p = f"{stack}.layers.{i}."
            for x in ("q_proj", "k_proj", "v_proj", "o_proj"):
                yield from lin(p + "self_attn." + x, h, h, bias=False)
            yield from lin(p + "mlp.fc1", inter, h)
            yield from lin(p + "mlp.fc2", h, inter)
            yield from norm(p + "input_layernorm", h, True)
            yield from norm(p + "post_attention_layernorm", h, True)
            if stack == "global_transformer":
                yield vec(p + "gate_attn", (1,))
                yield vec(p + "gate_ffn", (1,))
    yield from lin("multi_modal_projector", v.out_hidden_size, v.projector_input_size)


def _ple_model_tensors(m: ModelConfig) -> Iterator[Tensor]:
    """Gemma 3n / 4 per-layer inputs: one packed embedding table and its projection from h."""
    d = m.per_layer_input_size
    packed = m.num_layers * d
    vocab = m.per_layer_vocab_size or m.vocab_size
    yield Tensor("embed_tokens_per_layer", "embedding", "embedding", (vocab, packed), "embedding")
    yield _mat("per_layer_model_projection", packed, m.hidden_size, "ple", "dense_ffn")
    yield Tensor("per_layer_projection_norm", "norms", "vector", (d,), "norm")


def _compressed_attention_tensors(m: ModelConfig, ratio: int, p: str) -> Iterator[Tensor]:
    """DeepSeek-V4 ``Attention`` (its ``inference/model.py``), in the order it builds them.

    A sink per head; ``wq_a`` (h → q_lora), its RMSNorm, ``wq_b`` (q_lora → heads ·
    head_dim); ``wkv`` (h → head_dim: one K=V entry) and its RMSNorm; ``wo_a`` (per output
    group, heads · head_dim / groups → o_lora) and ``wo_b`` (groups · o_lora → h). A layer
    of ratio r > 0 adds a ``Compressor`` (``ape`` (r, c · d), ``wkv`` and ``wgate``
    (h → c · d), a norm over d; c = 2 for the overlapping ratio 4, else 1); ratio 4 adds an
    ``Indexer``: ``wq_b`` (q_lora → index heads · index dim), ``weights_proj`` (h → index
    heads) and its own compressor over the index dim with c = 2.
    """
    a = m.compressed_attention
    assert a is not None
    h, nh, d = m.hidden_size, m.num_heads, a.head_dim
    p += "attn."
    yield _vec(p + "attn_sink", (nh,), "sink")
    yield _mat(p + "wq_a", a.q_lora_rank, h, "q_a")
    yield Tensor(p + "q_norm", "norms", "vector", (a.q_lora_rank,), "norm")
    yield _mat(p + "wq_b", nh * d, a.q_lora_rank, "q")
    yield _mat(p + "wkv", d, h, "kv_a")
    yield Tensor(p + "kv_norm", "norms", "vector", (d,), "norm")
    yield Tensor(
        p + "wo_a", "attention", "matrix", (a.o_groups * a.o_lora_rank, nh * d // a.o_groups), "o"
    )
    yield _mat(p + "wo_b", h, a.o_groups * a.o_lora_rank, "o")
    if ratio:
        yield from _compressor_tensors(m, p + "compressor.", ratio, d, overlap=ratio == 4)
    if ratio == 4:
        x = a.index_n_heads * a.index_head_dim
        yield _mat(p + "indexer.wq_b", x, a.q_lora_rank, "indexer")
        yield _mat(p + "indexer.weights_proj", a.index_n_heads, h, "indexer")
        yield from _compressor_tensors(m, p + "indexer.compressor.", 4, a.index_head_dim, True)


def _compressor_tensors(
    m: ModelConfig, p: str, ratio: int, d: int, overlap: bool
) -> Iterator[Tensor]:
    """DeepSeek-V4 ``Compressor``: a position bias per slot, KV and gate projections, a norm."""
    c = 2 if overlap else 1
    yield _vec(p + "ape", (ratio, c * d), "compressor")
    yield _mat(p + "wkv", c * d, m.hidden_size, "compressor")
    yield _mat(p + "wgate", c * d, m.hidden_size, "compressor")
    yield Tensor(p + "norm", "norms", "vector", (d,), "norm")


def _cross_attention_tensors(m: ModelConfig, p: str) -> Iterator[Tensor]:
    """``MllamaCrossAttentionDecoderLayer``'s attention: q/k/v/o, per-head q/k norms, two gates.

    ``MllamaTextCrossAttention``: q (h → heads · d), k and v (h → kv_heads · d: the
    projected vision states are h wide), o, no biases, RMSNorms of one head on q and k;
    the layer's ``cross_attn_attn_gate`` and ``cross_attn_mlp_gate`` are one tanh-gate
    scalar each (replicated, as norms are).
    """
    h, nh, kv, d = m.hidden_size, m.num_heads, m.num_kv_heads, m.head_dim
    w = m.cross_kv_width or h
    q = p + "cross_attn."
    yield _mat(q + "q_proj", nh * d, h, "q")
    yield _mat(q + "k_proj", kv * d, w, "k")
    yield _mat(q + "v_proj", kv * d, w, "v")
    yield _mat(q + "o_proj", h, nh * d, "o")
    if m.cross_qk_norm:
        yield Tensor(q + "q_norm", "norms", "vector", (d,), "norm")
        yield Tensor(q + "k_norm", "norms", "vector", (d,), "norm")
    for gate in ("cross_attn_attn_gate", "cross_attn_mlp_gate"):
        yield Tensor(p + gate, "norms", "vector", (m.cross_gate_width,), "other")


def _hc_layer_tensors(m: ModelConfig, p: str) -> Iterator[Tensor]:
    """DeepSeek-V4 ``Block`` hyper-connections: for attention and FFN a mixing map
    (hc · h → (2 + hc) · hc), its base and 3 scales."""
    a = m.compressed_attention
    assert a is not None
    for site in ("attn", "ffn"):
        yield Tensor(
            p + f"hc_{site}_fn", "norms", "vector", (a.hc_mix, a.hc_mult * m.hidden_size), "norm"
        )
        yield Tensor(p + f"hc_{site}_base", "norms", "vector", (a.hc_mix,), "norm")
        yield Tensor(p + f"hc_{site}_scale", "norms", "vector", (3,), "norm")


def _hc_head_tensors(m: ModelConfig, p: str) -> Iterator[Tensor]:
    """DeepSeek-V4's closing hyper-connection (``Transformer`` and ``MTPBlock``): a map
    (hc · h → hc), its base and one scale."""
    a = m.compressed_attention
    assert a is not None
    hc = a.hc_mult
    yield Tensor(p + "hc_head_fn", "norms", "vector", (hc, hc * m.hidden_size), "norm")
    yield Tensor(p + "hc_head_base", "norms", "vector", (hc,), "norm")
    yield Tensor(p + "hc_head_scale", "norms", "vector", (1,), "norm")


def _inkling_layer_tensors(m: ModelConfig, i: int, p: str) -> Iterator[Tensor]:
    """Inkling attention layer ``i``'s convolutions, relative position bias and extras.

    :class:`InklingLayers`; q/k/v/o (and Inkling 2's output ``gate_proj``), the q/k norms,
    the MLP or MoE block and the two layer norms are the model's usual tensors.
    """
    x = m.inkling
    assert x is not None
    h, d, k = m.hidden_size, m.attention_dims(i), x.conv_kernel
    full = m.layer_types[i] != "sliding"
    a, nh, kv = p + "self_attn.", d.num_heads, d.num_kv_heads
    ch = kv * d.head_dim
    extent = x.rel_extent if full else m.sliding_window or 0
    # InklingAttention.r_proj and rel_logits_proj.proj (Inkling2: relative_position_bias.*)
    yield _mat(a + "r_proj", nh * x.rel_dim, h, "other")
    yield _vec(a + "rel_logits_proj.proj", (x.rel_dim, extent), "other")
    for nm in ("k", "v"):
        if x.version == 2 and full:
            # Inkling2DynamicShortConvolution: static taps plus taps projected per KV head
            yield _vec(f"{a}{nm}_proj.sconv.static_weight", (k, ch), "conv")
            yield _mat(f"{a}{nm}_proj.sconv.weight_proj", kv * k, h, "conv")
        else:
            yield _vec(f"{a}{nm}_sconv.conv1d", (ch, 1, k), "conv")
    yield _vec(p + "attn_sconv.conv1d", (h, 1, k), "conv")
    yield _vec(p + "mlp_sconv.conv1d", (h, 1, k), "conv", "dense_ffn")
    if x.version == 1:
        # InklingTopkRouter.global_scale on MoE layers, InklingMLP.global_scale elsewhere
        if m.moe is not None and m.moe_layers[i]:
            yield Tensor(p + "mlp.gate.global_scale", "router", "vector", (1,), "router")
        else:
            yield Tensor(p + "mlp.global_scale", "dense_ffn", "vector", (1,), "other")
        return
    # Inkling2ScaledL2Clip / Inkling2LogScaledL2Clip scales; sink_proj, a logit per head a token
    yield Tensor(a + "q_proj.norm.scale", "norms", "vector", (nh, d.head_dim), "norm")
    rel = a + "relative_position_bias.norm.scale"
    yield Tensor(rel, "norms", "vector", (nh, x.rel_dim), "norm")
    yield _mat(a + "sink_proj", nh, h, "sink")
    if full:
        # Inkling2FullDecoderLayer: k_input_layernorm and v_input_layernorm
        for nm in ("k_input_layernorm", "v_input_layernorm"):
            yield from _norm(m, p + nm, h)
    if i:
        # Inkling2BlockAttentionResidual: one query (three on a full layer: q, k and v)
        shape = (3, h) if full else (h,)
        yield Tensor(p + "attention_input.query", "norms", "vector", shape, "norm")
    yield Tensor(p + "mlp_input.query", "norms", "vector", (h,), "norm")
    if x.loop_layers and x.loop_layers[i]:
        r = x.loop_gate_rank
        for g in ("q", "k", "v", "mlp"):
            # Inkling2LoopMessageGate: down_proj (2h -> r), forget_gate_proj, message_gate_proj
            q = f"{p}{g}_message_gate."
            yield _mat(q + "down_proj", r, 2 * h, "other", "dense_ffn")
            yield _mat(q + "forget_gate_proj", h, r, "other", "dense_ffn")
            yield _mat(q + "message_gate_proj", h, r, "other", "dense_ffn")


def _inkling_model_tensors(m: ModelConfig) -> Iterator[Tensor]:
    """Inkling 2's ``final_input`` query and Inkling 2 Loop's ``message_input`` queries."""
    x = m.inkling
    assert x is not None
    if x.version == 2:
        yield Tensor("final_input.query", "norms", "vector", (m.hidden_size,), "norm")
    loops = sum(x.loop_layers)
    if loops:
        # Inkling2LoopMessageAttentionResidual: q, k, v and MLP queries per loop layer
        yield Tensor("message_input.query", "norms", "vector", (loops, 4, m.hidden_size), "norm")


def _aligner_tensors(m: ModelConfig, p: str) -> Iterator[Tensor]:
    """Evolla's ``EvollaSequenceAlignerCrossAttention`` after a layer's FFN (``aligner_layers``).

    ``query``, ``key_protein``, ``value_protein`` (hidden → hidden, biased), ``attention_norm``
    (an RMSNorm), ``out_proj`` (biased where ``aligner_out_bias``), ``ff`` (``EvollaFeedForward``:
    a LayerNorm with bias, ``fc1`` and ``fc2`` of ``aligner_ffn_size``, unbiased), and the
    ``gate_attention`` and ``gate_ffw`` scalars.
    """
    h, f = m.hidden_size, m.aligner_ffn_size
    projections: tuple[tuple[str, Role], ...] = (
        ("query", "q"),
        ("key_protein", "k"),
        ("value_protein", "v"),
    )
    for nm, role in projections:
        yield _mat(p + nm, h, h, role)
        yield _vec(p + nm + ".bias", (h,), role)
    yield Tensor(p + "attention_norm", "norms", "vector", (h,), "norm")
    yield _mat(p + "out_proj", h, h, "o")
    if m.aligner_out_bias:
        yield _vec(p + "out_proj.bias", (h,), "o")
    for nm in ("ff.norm", "ff.norm.bias"):
        yield Tensor(p + nm, "norms", "vector", (h,), "norm")
    yield _mat(p + "ff.fc1", f, h, "up", "dense_ffn")
    yield _mat(p + "ff.fc2", h, f, "down", "dense_ffn")
    for gate in ("gate_attention", "gate_ffw"):
        yield Tensor(p + gate, "norms", "vector", (1,), "other")


def _layer_tensors(m: ModelConfig, i: int, p: str, ratio: int | None = None) -> Iterator[Tensor]:
    """The tensors of decoder layer ``i``, each carrying ``layer=i``.

    ``ratio``: a DeepSeek-V4 block's compression where it is not layer ``i``'s (MTP).
    """
    kind = m.layer_types[i]
    mixers: list[Iterator[Tensor]] = []
    if kind == "compressed":
        a = m.compressed_attention
        assert a is not None
        mixers.append(_compressed_attention_tensors(m, a.ratios[i] if ratio is None else ratio, p))
    elif kind == "cross":
        mixers.append(_cross_attention_tensors(m, p))
    elif kind in ATTENTION_KINDS:
        if m.shared_blocks is not None:
            mixers.append(_shared_block_tensors(m, i, p))
        else:
            mixers.append(_attention_tensors(m, i, p + "self_attn."))
        if m.encoder_attention_width:
            mixers.append(_encoder_attention_tensors(m, i, p + "encoder_attn."))
        if m.parallel_ssm:
            mixers.append(_mamba_tensors(m, p + "mamba."))
    elif kind == "linear":
        mixers.append(_linear_attention_tensors(m, p + "linear_attn."))
    elif kind == "mamba":
        mixers.append(_mamba_tensors(m, p + "mamba."))
    elif kind == "conv":
        mixers.append(_short_conv_tensors(m, p + "conv."))
    elif m.attention_replaced_layers and m.attention_replaced_layers[i]:
        # DeciLMLinearAttention: self_attn.linear_attn, Linear(h, h, bias=False)
        h = m.hidden_size
        mixers.append(iter((_mat(p + "self_attn.linear_attn", h, h, "other"),)))
    ffn_replaced = bool(m.ffn_replaced_layers) and m.ffn_replaced_layers[i]
    if m.sub_block_norms:
        # DeciLMDecoderLayer: input_layernorm only where the attention sub-block exists,
        # post_attention_layernorm only where the FFN sub-block exists
        if mixers:
            mixers.insert(0, _norm(m, p + "input_layernorm", m.hidden_size))
    for mixer in mixers:
        for t in mixer:
            yield t._replace(layer=i)
    if m.inkling is not None and kind in ATTENTION_KINDS:
        for t in _inkling_layer_tensors(m, i, p):
            yield t._replace(layer=i)
    if m.sub_block_norms and (m.has_ffn(i) or ffn_replaced):
        for t in _norm(m, p + "post_attention_layernorm", m.hidden_size):
            yield t._replace(layer=i)
    if m.has_ffn(i):
        for t in _ffn_tensors(m, i, p):
            yield t._replace(layer=i)
        if m.adapters:
            # XmodOutput.adapter_modules: per language XmodAdapter (dense1 h -> a, dense2 a -> h)
            n, aw, h, ap = m.adapters, m.adapter_size, m.hidden_size, p + "mlp.adapters."
            yield Tensor(ap + "dense1", "dense_ffn", "matrix", (n, aw, h), "other", i)
            yield Tensor(ap + "dense1.bias", "dense_ffn", "vector", (n, aw), "other", i)
            yield Tensor(ap + "dense2", "dense_ffn", "matrix", (n, h, aw), "other", i)
            yield Tensor(ap + "dense2.bias", "dense_ffn", "vector", (n, h), "other", i)
        la = m.linear_attention
        if kind == "linear" and la is not None and la.kind == "rwkv":
            # RwkvFeedForward: token-shift mixes of key and receptance, and the receptance gate
            h = m.hidden_size
            for nm in ("time_mix_key", "time_mix_receptance"):
                yield _vec(p + "mlp." + nm, (h,), "other", "dense_ffn")._replace(layer=i)
            yield _mat(p + "mlp.receptance", h, h, "other", "dense_ffn")._replace(layer=i)
    elif ffn_replaced:
        # DeciLMLinearMLP: mlp.linear_mlp, Linear(h, h, bias=False)
        h = m.hidden_size
        yield _mat(p + "mlp.linear_mlp", h, h, "other", "dense_ffn")._replace(layer=i)
    for j in range(0 if m.sub_block_norms else m.norms_of(i)):
        for t in _norm(m, f"{p}norm{j}", m.hidden_size):
            yield t._replace(layer=i)
    if m.aligner_layers and m.aligner_layers[i]:
        for t in _aligner_tensors(m, p + "adapter."):
            yield t._replace(layer=i)
    if m.residual_scales:
        # ZayaDecoderLayer: post_attention_residual_scale and post_mlp_residual_scale
        names = ("hidden_states_scale", "hidden_states_bias", "residual_scale", "residual_bias")
        for site in ("post_attention", "post_mlp"):
            for nm in names:
                name = f"{p}{site}_residual_scale.{nm}"
                yield Tensor(name, "norms", "vector", (m.hidden_size,), "norm", i)
    if m.residual_vectors:
        # DogeDecoderLayer: input_residual and post_attention_residual, per channel
        for nm in ("input_residual", "post_attention_residual"):
            yield Tensor(p + nm, "norms", "vector", (m.hidden_size,), "norm", i)
    if m.ngpt_scales:
        # DoryDecoderLayer: the residual interpolation rates of attention and MLP, per channel
        for nm in ("lambda_1", "lambda_2"):
            yield Tensor(p + nm, "norms", "vector", (m.hidden_size,), "norm", i)
    for j in range(m.norm_gates[i] if m.norm_gates else 0):
        # AXK2GatedRMSNorm: the gate MLP behind the norm (mlp.fc1, mlp.fc2), replicated
        r, h = m.norm_gate_rank, m.hidden_size
        yield Tensor(f"{p}norm{j}.gate.fc1", "norms", "matrix", (r, h), "norm", i)
        yield Tensor(f"{p}norm{j}.gate.fc2", "norms", "matrix", (h, r), "norm", i)
    if m.compressed_attention is not None:
        for t in _hc_layer_tensors(m, p):
            yield t._replace(layer=i)
    if m.hyper_connections is not None:
        residuals: tuple[tuple[str, Component], ...] = (
            ("attn_hyper_connection.", "attention"),
            ("mlp_hyper_connection.", "dense_ffn"),
        )
        for name, comp in residuals:
            for t in _hyper_connection_tensors(m, p + name, comp, True):
                yield t._replace(layer=i)
    g = m.ngram_embeddings
    if g is not None and i in g.layers:
        # Qwen4ExpTextPLELayer: a hashed n-gram table (heads lookups a token) and its mixers
        w = m.hidden_size * (m.hyper_connections.streams if m.hyper_connections else 1)
        rows = g.rows[g.layers.index(i)]
        q = p + "ple."
        yield Tensor(
            q + "ngram_embedding",
            "embedding",
            "embedding",
            (rows, g.dim // g.heads),
            "embedding",
            i,
        )
        yield Tensor(q + "key_proj", "dense_ffn", "matrix", (w, g.dim), "ple", i)
        yield Tensor(q + "value_proj", "dense_ffn", "matrix", (m.hidden_size, g.dim), "ple", i)
        for nm in ("norm_key", "norm_query", "norm_conv"):
            yield Tensor(q + nm, "norms", "vector", (w,), "norm", i)
        yield Tensor(q + "conv1d", "dense_ffn", "vector", (w, 1, g.conv_kernel), "ple", i)
    if m.altup_inputs:
        # Gemma3nTextAltUp (its router_norm is one of the layer_norms)
        n, h = m.altup_inputs, m.hidden_size
        yield Tensor(p + "altup.correct_output_scale", "norms", "vector", (h,), "norm", i)
        yield Tensor(p + "altup.correction_coefs", "dense_ffn", "matrix", (n, n), "other", i)
        yield Tensor(p + "altup.prediction_coefs", "dense_ffn", "matrix", (n * n, n), "other", i)
        yield Tensor(p + "altup.modality_router", "dense_ffn", "matrix", (n, h), "other", i)
    if m.laurel_rank:
        # Gemma3nTextLaurelBlock: a rank-r residual (its post_laurel_norm is a layer_norm)
        r, h = m.laurel_rank, m.hidden_size
        yield Tensor(p + "laurel.linear_left", "dense_ffn", "matrix", (r, h), "other", i)
        yield Tensor(p + "laurel.linear_right", "dense_ffn", "matrix", (h, r), "other", i)
    if m.per_layer_input_size:
        d = m.per_layer_input_size
        yield Tensor(
            p + "per_layer_input_gate", "dense_ffn", "matrix", (d, m.hidden_size), "ple", i
        )
        yield Tensor(
            p + "per_layer_projection", "dense_ffn", "matrix", (m.hidden_size, d), "ple", i
        )
        yield Tensor(
            p + "post_per_layer_input_norm", "norms", "vector", (m.hidden_size,), "norm", i
        )


def _shared_block_tensors(m: ModelConfig, i: int, p: str) -> Iterator[Tensor]:
    """Attention layer ``i``'s ``linear`` and, at the first use of its shared block, the block.

    ``Zamba2HybridLayer``: ``linear`` (h → h); ``Zamba2AttentionDecoderLayer``: an RMSNorm of
    the input width, ``Zamba2Attention`` (q/k/v from the input width, o to h, LoRA adapters on
    q/k/v per use where ``attention_adapters``), an RMSNorm of h, ``Zamba2MLP`` (the gated MLP
    and a LoRA adapter on its gate/up input per use).
    """
    s = m.shared_blocks
    assert s is not None
    h, w, r = m.hidden_size, s.input_width, s.adapter_rank
    yield _mat(p + "linear", h, h, "other")
    users = [j for j, kind in enumerate(m.layer_types) if kind in ATTENTION_KINDS]
    k = users.index(i)
    if s.tied and k >= s.count:
        return  # the weights of block k % count were counted at its first use
    uses = len(range(k % s.count, len(users), s.count))
    q = p + "shared_transformer."
    d = m.attention_dims(i)
    projections: tuple[tuple[str, int, Role], ...] = (
        ("q", d.num_heads * d.head_dim, "q"),
        ("k", d.num_kv_heads * d.head_dim, "k"),
        ("v", d.num_kv_heads * d.value_head_dim, "v"),
    )
    yield Tensor(q + "input_layernorm", "norms", "vector", (w,), "norm")
    for nm, out, role in projections:
        yield _mat(f"{q}self_attn.{nm}_proj", out, w, role)
        if m.qkv_bias:
            yield _vec(f"{q}self_attn.{nm}_proj.bias", (out,), role)
    yield _mat(q + "self_attn.o_proj", h, d.num_heads * d.value_head_dim, "o")
    if m.o_bias:
        yield _vec(q + "self_attn.o_proj.bias", (h,), "o")
    for j in range(uses if s.attention_adapters else 0):
        for role in ("q", "k", "v"):
            a = f"{q}self_attn.linear_{role}_adapter_list.{j}."
            yield _mat(a + "0", r, w, "other")
            yield _mat(a + "1", w, r, "other")
    yield Tensor(q + "pre_ff_layernorm", "norms", "vector", (h,), "norm")
    inter = m.ffn_width(i)
    yield from _mlp_tensors(m, q + "feed_forward.", inter, "dense_ffn", bias=m.mlp_bias)
    gate_up = (2 if m.ffn_gated else 1) * inter
    for j in range(uses):
        a = f"{q}feed_forward.gate_up_proj_adapter_list.{j}."
        yield _mat(a + "0", r, h, "other", "dense_ffn")
        yield _mat(a + "1", gate_up, r, "other", "dense_ffn")


def weight_reuses(model: ModelConfig) -> tuple[tuple[Tensor, int], ...]:
    """Weights a token multiplies by more than once, each with its extra uses [-].

    A tied shared block's weights are held once (:class:`SharedBlocks`) but every attention
    layer that uses it multiplies by them: block ``b`` of ``count`` serves the users
    ``b, b + count, ...``, so a token runs its weights ``uses - 1`` more times than the
    parameter count says. The per-use LoRA adapters and each layer's ``linear`` are
    held per use already and are not repeated. A layer that runs ``p`` passes per token
    (``ModelConfig.layer_passes``: Dory's recurrent loops, HRM-Text's cycles, Inkling 2
    Loop) runs each of its weights ``p - 1`` more times.

    Examples
    --------
    >>> from llmsizing.hf import read_hf_config
    >>> m = read_hf_config({"model_type": "zamba2"})  # one block serving 9 hybrid layers
    >>> sum(t.numel * extra for t, extra in weight_reuses(m))  # 8 more uses of 170.4M
    1363210240
    """
    s = model.shared_blocks
    passes = model.layer_passes
    if (s is None or not s.tied) and not passes:
        return ()
    users = [j for j, kind in enumerate(model.layer_types) if kind in ATTENTION_KINDS]
    out = []
    for t in model.tensors():
        uses = 1
        if (
            s is not None
            and s.tied
            and t.layer in users
            and ".shared_transformer." in f".{t.name}"
            and "adapter" not in t.name
        ):
            b = users.index(t.layer)
            uses = len(range(b, len(users), s.count))
        if passes and not t.mtp and t.layer is not None and 0 <= t.layer < len(passes):
            uses *= passes[t.layer]
        if uses > 1:
            out.append((t, uses - 1))
    return tuple(out)


def _hyper_connection_tensors(
    m: ModelConfig, p: str, component: Component, inject: bool
) -> Iterator[Tensor]:
    """One hyper-connection over ``s · h`` streams: around a sub-block (``inject``) or
    the closing one after the layers.

    ``gated``: ``Qwen4ExpTextGatedResidual`` (the closing ``hyper_connection_mixer``
    without the inject weight). ``mhc`` / ``independent``: the dynamic mix
    (``Glm5NextTextHyperConnection``, ``HYV4HyperConnection``: ``fn``, ``base``,
    ``scale``), and where ``head`` the closing ``hc_head``; filed under ``norms``, as
    DeepSeek-V4's hyper-connection maps are.
    """
    x = m.hyper_connections
    assert x is not None
    w = x.streams * m.hidden_size
    if x.kind != "gated":
        if inject:
            yield Tensor(p + "fn", "norms", "vector", (x.rows, w), "norm")
            yield Tensor(p + "base", "norms", "vector", (x.rows,), "norm")
            yield Tensor(p + "scale", "norms", "vector", (x.scales,), "norm")
        elif x.head:
            yield Tensor("hc_head.hc_fn", "norms", "vector", (x.streams, w), "norm")
            yield Tensor("hc_head.hc_base", "norms", "vector", (x.streams,), "norm")
            yield Tensor("hc_head.hc_scale", "norms", "vector", (1,), "norm")
        return
    yield Tensor(p + "hc_norm", "norms", "vector", (w,), "norm")
    yield Tensor(p + "input_mix_weight_down", component, "matrix", (x.rank, w), "other")
    yield Tensor(p + "input_mix_weight_up", component, "matrix", (w, x.rank), "other")
    if inject:
        yield Tensor(p + "block_inject_weight", component, "matrix", (x.streams, w), "other")


def _mtp_tensors(m: ModelConfig, j: int) -> Iterator[Tensor]:
    """DeepSeek-V3 multi-token prediction module (tech report section 2.2 [3]_).

    Unique parameters only: enorm, hnorm, the projection of [h; emb] (2h -> h)
    and one full decoder layer; the embedding and output head are shared with
    the main model (the checkpoint stores copies of them). Every tensor has
    ``component="extra"`` and ``mtp=True``; its ``role`` is what it does.
    """
    h = m.hidden_size
    p = f"mtp.{j}."
    last = m.num_layers - 1
    a = m.compressed_attention
    # DeepSeek-V4's MTPBlock: e_proj and h_proj (h -> h each) in place of eh_proj (2h -> h)
    projections = (
        (
            Tensor(p + "e_proj", "extra", "matrix", (h, h), "mtp_proj"),
            Tensor(p + "h_proj", "extra", "matrix", (h, h), "mtp_proj"),
        )
        if a is not None
        else (Tensor(p + "eh_proj", "extra", "matrix", (h, 2 * h), "mtp_proj"),)
    )
    for t in (
        Tensor(p + "enorm", "extra", "vector", (h,), "norm"),
        Tensor(p + "hnorm", "extra", "vector", (h,), "norm"),
        *projections,
        Tensor(p + "shared_head.norm", "extra", "vector", (h,), "norm"),
    ):
        yield t._replace(mtp=True)
    if a is not None:
        for t in _hc_head_tensors(m, p):
            yield t._replace(component="extra", mtp=True)
    # the MTP block is the same kind of layer as the model's last layer (DeepSeek-V4: at the
    # compression its compress_ratios entry gives)
    ratio = a.mtp_ratio if a is not None else None
    for t in _layer_tensors(m, last, p, ratio):
        yield t._replace(component="extra", mtp=True)


# ------------------------------------------------------------------- validation
def _positive(out: list[str], prefix: str, record: BaseModel, keys: tuple[str, ...]) -> None:
    for k in keys:
        v = getattr(record, k)
        if v is not None and v <= 0:
            out.append(f"{prefix}.{k} must be positive, got {v}")


def _mixer_problems(m: ModelConfig, out: list[str]) -> None:
    """The config each layer kind needs, and that its sizes fit together."""
    kinds = set(m.layer_types)
    needs = {
        "linear": ("linear_attention", m.linear_attention),
        "mamba": ("mamba", m.mamba),
        "conv": ("short_conv", m.short_conv),
    }
    for kind, (field, record) in needs.items():
        if kind in kinds and record is None:
            out.append(f"{kind} layers need a {field} section")
    if m.parallel_ssm and m.mamba is None:
        out.append("parallel_ssm needs a mamba section")
    la_ = m.linear_attention
    if la_ is not None and la_.full_rank_gates and la_.kind != "kda":
        out.append("linear_attention.full_rank_gates applies to kda only")
    if la_ is not None and la_.proj_bias and la_.kind != "mlstm":
        out.append("linear_attention.proj_bias applies to mlstm only")
    if la_ is not None and la_.kind == "rglru" and la_.conv_kernel <= 0:
        out.append("linear_attention.conv_kernel must be positive for an rglru block")
    if m.linear_attention is not None:
        la = m.linear_attention
        _positive(out, "linear_attention", la, ("num_heads", "head_dim", "num_k_heads"))
        _positive(out, "linear_attention", la, ("head_k_dim",))
        if la.conv_kernel < 0:
            out.append("linear_attention.conv_kernel must not be negative")
        if la.kind == "gated_deltanet" and la.num_heads % la.k_heads:
            out.append(
                f"linear value heads ({la.num_heads}) must be a multiple of the key heads "
                f"({la.k_heads})"
            )
    if m.mamba is not None:
        s = m.mamba
        _positive(out, "mamba", s, ("d_inner", "d_state", "d_conv"))
        if s.version == 2:
            _positive(out, "mamba", s, ("n_heads", "head_dim", "n_groups"))
            if s.n_heads > 0 and s.n_groups > 0 and s.n_heads % s.n_groups:
                out.append(
                    f"mamba.n_heads ({s.n_heads}) must be a multiple of mamba.n_groups "
                    f"({s.n_groups})"
                )
        elif s.dt_rank <= 0:
            out.append(f"mamba.dt_rank must be positive, got {s.dt_rank}")
    if m.cca is not None:
        if m.cca.depthwise_kernel <= 0 or m.cca.grouped_kernel <= 0:
            out.append("cca convolution kernels must be positive")
        if (m.num_kv_heads * m.head_dim) % 2:
            out.append("cca splits the values in two halves: kv heads x head_dim must be even")
    x = m.inkling
    if x is not None:
        _positive(out, "inkling", x, ("conv_kernel", "rel_dim", "rel_extent"))
        if m.mla is not None or set(m.layer_types) - {"full", "sliding"}:
            out.append("inkling layers are grouped-query attention layers, full or sliding")
        if x.loop_layers and (x.version != 2 or len(x.loop_layers) != m.num_layers):
            out.append("inkling.loop_layers: Inkling 2 only, one entry per layer")
        if not 0 <= x.loop_gate_rank <= SANITY_LIMITS["hidden_size"]:
            out.append(f"inkling.loop_gate_rank must be in 0..{SANITY_LIMITS['hidden_size']}")
        if max(x.conv_kernel, x.rel_dim) > SANITY_LIMITS["head_dim"] or x.rel_extent > 10**12:
            out.append("inkling.conv_kernel, rel_dim or rel_extent exceeds its sanity limit")
    if m.moe is not None and m.moe.router_mlp < 0:
        out.append(f"moe.router_mlp must not be negative, got {m.moe.router_mlp}")
    if m.short_conv is not None and m.short_conv.kernel <= 0:
        out.append(f"short_conv.kernel must be positive, got {m.short_conv.kernel}")
    for nm, dims in (
        ("sliding_attention", m.sliding_attention),
        ("full_attention", m.full_attention),
    ):
        if dims is None:
            continue
        _positive(out, nm, dims, ("num_heads", "num_kv_heads", "head_dim", "v_head_dim"))
        if dims.num_kv_heads > 0 and dims.num_heads % dims.num_kv_heads:
            out.append(
                f"{nm}.num_heads ({dims.num_heads}) must be a multiple of "
                f"{nm}.num_kv_heads ({dims.num_kv_heads})"
            )
    if m.indexer is not None:
        _positive(out, "indexer", m.indexer, ("n_heads", "head_dim", "topk"))
        if m.indexer.kind == "block":
            if m.mla is not None:
                out.append("a block indexer (MiniMax-M3) works beside grouped-query attention")
            _positive(out, "indexer", m.indexer, ("block_size",))
        elif m.mla is None or (m.mla.q_lora_rank is None and m.indexer.query == "q_lora"):
            out.append("the sparse-attention indexer needs MLA with a q_lora_rank")
        if m.indexer.layers and len(m.indexer.layers) != m.num_layers:
            out.append(
                f"indexer.layers has {len(m.indexer.layers)} entries for {m.num_layers} layers"
            )


def _per_layer_problems(m: ModelConfig, out: list[str]) -> None:
    """Per-layer KV heads, FFN widths and linear replacements fit the layers they describe."""
    per_layer: dict[str, tuple[int | bool, ...]] = {
        "layer_kv_heads": m.layer_kv_heads,
        "layer_intermediate_sizes": m.layer_intermediate_sizes,
        "attention_replaced_layers": m.attention_replaced_layers,
        "ffn_replaced_layers": m.ffn_replaced_layers,
        "layer_kv_copies": m.layer_kv_copies,
        "layer_passes": m.layer_passes,
        "o_bias_layers": m.o_bias_layers,
        "layer_norm_counts": m.layer_norm_counts,
        "aligner_layers": m.aligner_layers,
    }
    for nm, values in per_layer.items():
        if values and len(values) != m.num_layers:
            out.append(f"{nm} has {len(values)} entries for {m.num_layers} layers")
            return
    for i, kv in enumerate(m.layer_kv_heads):
        if m.layer_types[i] in ATTENTION_KINDS and (kv <= 0 or m.num_heads % kv):
            out.append(f"layer_kv_heads[{i}] ({kv}) must divide num_heads ({m.num_heads})")
        if kv > m.num_kv_heads:
            out.append(f"layer_kv_heads[{i}] ({kv}) exceeds num_kv_heads ({m.num_kv_heads})")
    limit = SANITY_LIMITS["intermediate_size"]
    for i, w in enumerate(m.layer_intermediate_sizes):
        if m.has_ffn(i) and not 0 < w <= limit:
            out.append(f"layer_intermediate_sizes[{i}] must be in 1..{limit}, got {w}")
    for i, replaced in enumerate(m.attention_replaced_layers):
        if replaced and m.layer_types[i] != "none":
            out.append(f"attention_replaced_layers[{i}]: a replaced layer must be of kind none")
    if m.layer_kv_copies and (
        min(m.layer_kv_copies) < 1 or sum(m.layer_kv_copies) > SANITY_LIMITS["num_layers"]
    ):
        out.append(
            "layer_kv_copies must be at least 1 per layer, in all at most "
            f"{SANITY_LIMITS['num_layers']} cache layers"
        )
    if m.layer_passes and (
        min(m.layer_passes) < 1 or sum(m.layer_passes) > SANITY_LIMITS["num_layers"]
    ):
        out.append(
            "layer_passes must be at least 1 per layer, in all at most "
            f"{SANITY_LIMITS['num_layers']} layer runs"
        )
    elif m.layer_passes and m.layer_kv_copies:
        for i, (copies, passes) in enumerate(zip(m.layer_kv_copies, m.layer_passes, strict=True)):
            if copies > passes:
                out.append(
                    f"layer_kv_copies[{i}] ({copies}) exceeds layer_passes[{i}] ({passes}): "
                    "a pass writes at most one cache"
                )
                break
    if m.o_bias_layers and m.o_bias:
        out.append("give o_bias or o_bias_layers, not both")
    if m.ngpt_scales and m.mla is not None:
        out.append("ngpt_scales (Dory's nGPT scales) apply to grouped-query attention, not MLA")
    for i, replaced in enumerate(m.ffn_replaced_layers):
        if replaced and m.has_ffn(i):
            out.append(f"ffn_replaced_layers[{i}]: a replaced FFN must be absent from ffn_layers")


def _sharing_problems(m: ModelConfig, out: list[str]) -> None:
    """KV sources point at earlier layers that own their cache; NoPE flags cover the layers."""
    if m.mla is not None and m.mla.nope_layers and len(m.mla.nope_layers) != m.num_layers:
        out.append(
            f"mla.nope_layers has {len(m.mla.nope_layers)} entries for {m.num_layers} layers"
        )
    if m.external_kv and (m.kv_shared_layers or m.kv_sources):
        out.append(
            "external_kv (every layer reads another model's cache) excludes "
            "kv_shared_layers and kv_sources"
        )
    if not m.kv_sources:
        return
    if len(m.kv_sources) != m.num_layers:
        out.append(f"kv_sources has {len(m.kv_sources)} entries for {m.num_layers} layers")
        return
    if m.kv_shared_layers:
        out.append("give kv_sources or kv_shared_layers, not both")
    for i, s in enumerate(m.kv_sources):
        if not 0 <= s <= i or m.kv_sources[s] != s:
            out.append(f"kv_sources[{i}] = {s} is not an earlier layer that owns its cache")


def _embedding_block_problems(m: ModelConfig, out: list[str]) -> None:
    """BERT-style embedding blocks, heads and adapters (ELECTRA, RemBERT, X-MOD)."""
    ein, ht = m.input_embedding_size, m.head_transform_size
    if ein is not None and (ein <= 0 or m.embedding_size is not None or not m.input_projection):
        out.append(
            "input_embedding_size must be positive, without embedding_size, and mapped "
            "to hidden by input_projection"
        )
    if ht is not None and (ht <= 0 or not m.head_transform):
        out.append("head_transform_size must be positive and needs head_transform")
    width_limit = SANITY_LIMITS["hidden_size"]
    if m.input_projection < 0 or not all(
        0 < n <= 10**12 and 0 < w <= width_limit for n, w in m.input_tables
    ):
        out.append(
            "input_projection must not be negative, input_tables rows and widths positive "
            "(and within the sanity limits)"
        )
    if m.adapters < 0 or m.adapter_size < 0 or (m.adapters > 0) != (m.adapter_size > 0):
        out.append("adapters and adapter_size must both be positive, or both 0")
    if any(m.aligner_layers) != (m.aligner_ffn_size > 0) or m.aligner_ffn_size > 4 * 10**6:
        out.append("aligner_layers need a positive aligner_ffn_size (at most 4e6), and only they")
    tokens_width = ein or m.embedding_size or m.hidden_size
    head_width = ht or m.embedding_size or m.hidden_size
    if m.tie_word_embeddings and tokens_width != head_width:
        out.append(
            f"a tied head must be as wide as the token embedding ({head_width} != {tokens_width})"
        )


def _problems(m: ModelConfig) -> list[str]:
    out: list[str] = []
    ints = {
        "vocab_size": m.vocab_size,
        "hidden_size": m.hidden_size,
        "num_layers": m.num_layers,
        "num_heads": m.num_heads,
        "num_kv_heads": m.num_kv_heads,
        "head_dim": m.head_dim,
        "intermediate_size": m.intermediate_size,
    }
    for k, v in ints.items():
        if v <= 0:
            out.append(f"{k} must be positive, got {v}")
        elif v > SANITY_LIMITS.get(k, SANITY_LIMITS["num_heads"]):
            limit = SANITY_LIMITS.get(k, SANITY_LIMITS["num_heads"])
            out.append(f"{k}={v} exceeds the sanity limit {limit}")
    if out:
        return out
    if m.num_heads % m.num_kv_heads:
        out.append(
            f"num_heads ({m.num_heads}) must be a multiple of num_kv_heads ({m.num_kv_heads})"
        )
    if len(m.layer_types) != m.num_layers:
        out.append(f"layer_types has {len(m.layer_types)} entries for {m.num_layers} layers")
    if "sliding" in m.layer_types and not (m.sliding_window and m.sliding_window > 0):
        out.append("sliding layers need a positive sliding_window")
    if "chunked" in m.layer_types and not (m.attention_chunk_size and m.attention_chunk_size > 0):
        out.append("chunked layers need a positive attention_chunk_size")
    _mixer_problems(m, out)
    g = m.ngram_embeddings
    if g is not None:
        if len(g.rows) != len(g.layers) or not all(0 <= i < m.num_layers for i in g.layers):
            out.append("ngram_embeddings: one row count per layer, each layer in the model")
        if g.heads <= 0 or g.dim <= 0 or g.dim % g.heads:
            out.append("ngram_embeddings: dim must be a positive multiple of heads")
    for k, v in (("altup_inputs", m.altup_inputs), ("laurel_rank", m.laurel_rank)):
        if not 0 <= v <= SANITY_LIMITS["num_heads"]:
            out.append(f"{k} must be between 0 and {SANITY_LIMITS['num_heads']}, got {v}")
    if m.ffn_sub_norm and m.moe is not None and any(m.moe_layers):
        out.append("ffn_sub_norm is a norm of dense FFNs (BitNet): MoE layers cannot have it")
    if m.ffn_layers and len(m.ffn_layers) != m.num_layers:
        out.append(f"ffn_layers has {len(m.ffn_layers)} entries for {m.num_layers} layers")
    _per_layer_problems(m, out)
    _sharing_problems(m, out)
    sb = m.shared_blocks
    if sb is not None:
        _positive(out, "shared_blocks", sb, ("count", "input_width"))
        if sb.adapter_rank < 0:
            out.append(f"shared_blocks.adapter_rank must not be negative, got {sb.adapter_rank}")
        d = m.attention_dims(0)
        widths = {
            d.num_heads * d.head_dim,
            d.num_kv_heads * d.head_dim,
            d.num_kv_heads * d.value_head_dim,
        }
        if sb.attention_adapters and widths != {sb.input_width}:
            # Zamba2Attention adds the adapters' input_width outputs to q, k and v
            out.append("shared_blocks.attention_adapters need q, k and v as wide as input_width")
    if m.diff_attn_lambdas and m.mla is not None:
        out.append("diff_attn_lambdas needs non-MLA attention (DiffLlamaAttention)")
    if m.attn_gate_bias and (m.mla is not None or m.attn_output_gate not in ("fused", "separate")):
        out.append("attn_gate_bias needs a fused or separate output gate on non-MLA attention")
    if "cross" in m.layer_types and m.cross_attention_tokens <= 0:
        out.append("cross layers need a positive cross_attention_tokens")
    if m.cross_attention_tokens > 0 and "cross" not in m.layer_types:
        if not m.encoder_attention_width:
            out.append("cross_attention_tokens needs cross layers or encoder_attention_width")
        elif m.num_kv_heads != m.num_heads or m.layer_kv_heads or m.v_head_dim is not None:
            # BlipTextSelfAttention: K and V of every head, head_dim wide
            out.append("cached encoder attention needs one KV head per head of head_dim")
    if m.dynamic_mask and m.mla is not None:
        out.append("dynamic_mask needs non-MLA attention (DogeAttention)")
    attention_experts = m.moe is not None and m.moe.attention_experts
    if m.encoder_attention_width and (
        m.mla is not None or m.shared_blocks is not None or m.cca is not None or attention_experts
    ):
        out.append(
            "encoder_attention_width needs plain q/k/v attention layers (no MLA, shared blocks, "
            "CCA or attention experts)"
        )
    if m.relative_position_buckets and (m.mla is not None or attention_experts):
        out.append("relative_position_buckets needs plain attention (no MLA or attention experts)")
    if m.k_bias is not None and (
        m.mla is not None or m.shared_blocks is not None or attention_experts
    ):
        out.append("k_bias applies to k_proj of plain attention (no MLA, shared blocks or experts)")
    width_limit = SANITY_LIMITS["hidden_size"]
    for nm, v in (
        ("backbone_hidden_size", m.backbone_hidden_size),
        ("head_centroids", m.head_centroids),
        ("encoder_attention_width", m.encoder_attention_width),
        ("prediction_streams", m.prediction_streams),
        ("relative_position_buckets", m.relative_position_buckets),
    ):
        if not 0 <= v <= width_limit:
            out.append(f"{nm} must be in 0..{width_limit}, got {v}")
    cross_defaults = (m.cross_kv_width, m.cross_qk_norm, m.cross_gate_width, m.cross_kv_cached)
    if "cross" not in m.layer_types and cross_defaults != (0, True, 1, True):
        out.append(
            "cross_kv_width, cross_qk_norm, cross_gate_width, cross_kv_cached need cross layers"
        )
    if not m.cross_kv_width <= width_limit or m.cross_gate_width not in (1, m.hidden_size):
        out.append("cross_kv_width must be at most the width limit, cross_gate_width 1 or hidden")
    if m.head_centroids > 0 and m.vocab_size % m.head_centroids:
        # Gemma4AssistantMaskedEmbedder views the vocabulary as centroids x (vocab / centroids)
        out.append(f"head_centroids ({m.head_centroids}) must divide vocab_size ({m.vocab_size})")
    if m.cross_attention_tokens < 0:
        out.append(f"cross_attention_tokens must not be negative, got {m.cross_attention_tokens}")
    if m.embedding_rows is not None and m.embedding_rows < m.vocab_size:
        out.append(
            f"embedding_rows ({m.embedding_rows}) must be at least vocab_size ({m.vocab_size})"
        )
    if "compressed" in m.layer_types:
        ca = m.compressed_attention
        if ca is None:
            out.append("compressed layers need compressed_attention")
        else:
            _positive(out, "compressed_attention", ca, ("head_dim", "q_lora_rank", "o_groups"))
            _positive(out, "compressed_attention", ca, ("o_lora_rank", "window", "hc_mult"))
            if len(ca.ratios) != m.num_layers:
                out.append(
                    f"compressed_attention.ratios has {len(ca.ratios)} entries "
                    f"for {m.num_layers} layers"
                )
            if ca.o_groups > 0 and (m.num_heads * ca.head_dim) % ca.o_groups:
                out.append("compressed_attention.o_groups must divide heads x head_dim")
    if m.sliding_mla is not None and m.mla is None:
        out.append("sliding_mla needs mla (the dimensions of the other layers)")
    for nm, a in (("mla", m.mla), ("sliding_mla", m.sliding_mla)):
        if a is None:
            continue
        for k in ("kv_lora_rank", "qk_nope_head_dim", "v_head_dim"):
            if getattr(a, k) <= 0:
                out.append(f"{nm}.{k} must be positive, got {getattr(a, k)}")
        if a.qk_rope_head_dim < 0:
            # 0: no rotary slice (GLM-5.3's MLA)
            out.append(f"{nm}.qk_rope_head_dim must be 0 or more, got {a.qk_rope_head_dim}")
        if a.q_lora_rank is not None and a.q_lora_rank <= 0:
            out.append(f"{nm}.q_lora_rank must be positive or absent, got {a.q_lora_rank}")
        if a.q_residual and a.q_lora_rank is None:
            out.append("mla.q_residual needs a q_lora_rank")
    if m.moe is not None:
        e = m.moe
        if not 0 < e.n_routed_experts <= SANITY_LIMITS["n_routed_experts"]:
            out.append(f"n_routed_experts must be in 1..{SANITY_LIMITS['n_routed_experts']}")
        if not 0 < e.experts_per_token <= e.n_routed_experts + e.zero_experts:
            out.append(
                f"experts_per_token ({e.experts_per_token}) must be between 1 and "
                f"n_routed_experts ({e.n_routed_experts})"
            )
        if e.expert_intermediate_size <= 0:
            out.append("expert_intermediate_size must be positive")
        if e.n_shared_experts < 0 or e.shared_expert_intermediate_size < 0 or e.zero_experts < 0:
            out.append("shared and zero-compute experts must not be negative")
        if e.latent_norms < 0 or (e.latent_norms and not e.latent_size):
            out.append("latent_norms must not be negative and need a latent MoE (latent_size)")
        if e.vision_expert_intermediate_size < 0:
            out.append("vision_expert_intermediate_size must not be negative")
        elif e.vision_expert_intermediate_size and (
            e.zero_experts
            or e.latent_size
            or e.router_scale
            or e.attention_experts
            or m.moe_with_dense
        ):
            out.append(
                "vision experts (vision_expert_intermediate_size) do not combine with zero "
                "experts, a latent MoE, a scaled router, attention experts or an MoE "
                "beside a dense MLP"
            )
        if len(m.moe_layers) != m.num_layers:
            out.append(f"moe_layers has {len(m.moe_layers)} entries for {m.num_layers} layers")
        if e.attention_experts and (
            m.mla is not None or m.num_heads != e.experts_per_token * m.num_kv_heads
        ):
            # JetMoeAttention: each of a token's k experts gives kv_heads query heads
            out.append("attention_experts need num_heads = experts_per_token x num_kv_heads")
    elif any(m.moe_layers):
        out.append("moe_layers marks MoE layers but no moe section is given")
    if m.norm_gates and (
        len(m.norm_gates) != m.num_layers or not all(0 <= g <= m.layer_norms for g in m.norm_gates)
    ):
        out.append("norm_gates: one entry per layer, each between 0 and layer_norms")
    rank_limit = SANITY_LIMITS["hidden_size"]
    if not 0 <= m.norm_gate_rank <= rank_limit or (any(m.norm_gates) and not m.norm_gate_rank):
        out.append(f"norm_gate_rank must be in 0..{rank_limit}, and positive where norms are gated")
    if m.position_bias_rows < 0:
        out.append(f"position_bias_rows must not be negative, got {m.position_bias_rows}")
    if m.mtp_layers < 0 or m.layer_norms < 0 or m.kv_shared_layers < 0:
        out.append("mtp_layers, layer_norms and kv_shared_layers must not be negative")
    if m.kv_shared_layers > m.num_layers or m.per_layer_input_size < 0:
        out.append("kv_shared_layers must not exceed num_layers")
    if not all(0 <= k <= SANITY_LIMITS["num_layers"] for k in m.layer_norm_counts):
        out.append(f"layer_norm_counts must be in 0..{SANITY_LIMITS['num_layers']}")
    if m.head_transform_bias and not m.head_transform:
        out.append("head_transform_bias needs head_transform")
    if m.untied_head_bias and not m.lm_head_bias:
        out.append("untied_head_bias needs lm_head_bias")
    if m.position_embeddings < 0:
        out.append(f"position_embeddings must not be negative, got {m.position_embeddings}")
    if not 0 <= m.initial_states <= SANITY_LIMITS["num_layers"]:
        out.append(
            f"initial_states must be in 0..{SANITY_LIMITS['num_layers']}, got {m.initial_states}"
        )
    if m.embedding_size is not None and m.embedding_size <= 0:
        out.append(f"embedding_size must be positive or absent, got {m.embedding_size}")
    _embedding_block_problems(m, out)
    if m.max_position_embeddings is not None and m.max_position_embeddings <= 0:
        # a model that takes no token at all: a typo, not a context limit
        out.append(f"max_position_embeddings must be positive, got {m.max_position_embeddings}")
    # the remaining sizes get the limit of the size they play the role of, so
    # that a typo is an error and every byte count stays a finite float
    tokens = 10**12
    others: dict[str, tuple[int | None, int]] = {
        "sliding_window": (m.sliding_window, tokens),
        "attention_chunk_size": (m.attention_chunk_size, tokens),
        "max_position_embeddings": (m.max_position_embeddings, tokens),
        "v_head_dim": (m.v_head_dim, SANITY_LIMITS["head_dim"]),
        "mtp_layers": (m.mtp_layers, SANITY_LIMITS["num_layers"]),
        "layer_norms": (m.layer_norms, SANITY_LIMITS["num_layers"]),
        "per_layer_input_size": (m.per_layer_input_size, SANITY_LIMITS["hidden_size"]),
        "per_layer_vocab_size": (m.per_layer_vocab_size, SANITY_LIMITS["vocab_size"]),
        "position_embeddings": (m.position_embeddings, tokens),
        "position_bias_rows": (m.position_bias_rows, SANITY_LIMITS["vocab_size"]),
        "embedding_size": (m.embedding_size, SANITY_LIMITS["hidden_size"]),
        "input_embedding_size": (m.input_embedding_size, SANITY_LIMITS["hidden_size"]),
        "input_projection": (m.input_projection, 4 * SANITY_LIMITS["hidden_size"]),
        "head_transform_size": (m.head_transform_size, SANITY_LIMITS["hidden_size"]),
        "adapters": (m.adapters, SANITY_LIMITS["n_routed_experts"]),
        "adapter_size": (m.adapter_size, SANITY_LIMITS["hidden_size"]),
        "cross_attention_tokens": (m.cross_attention_tokens, tokens),
        "embedding_rows": (m.embedding_rows, SANITY_LIMITS["vocab_size"]),
        "shared_blocks.input_width": (
            m.shared_blocks.input_width if m.shared_blocks else None,
            SANITY_LIMITS["hidden_size"],
        ),
        "shared_blocks.adapter_rank": (
            m.shared_blocks.adapter_rank if m.shared_blocks else None,
            SANITY_LIMITS["hidden_size"],
        ),
    }
    for nm, a in (("mla", m.mla), ("sliding_mla", m.sliding_mla)):
        if a is None:
            continue
        for k in ("kv_lora_rank", "q_lora_rank"):
            others[f"{nm}.{k}"] = (getattr(a, k), SANITY_LIMITS["hidden_size"])
        for k in ("qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim"):
            others[f"{nm}.{k}"] = (getattr(a, k), SANITY_LIMITS["head_dim"])
    if m.moe is not None:
        for k in (
            "expert_intermediate_size",
            "shared_expert_intermediate_size",
            "vision_expert_intermediate_size",
        ):
            others[f"moe.{k}"] = (getattr(m.moe, k), SANITY_LIMITS["intermediate_size"])
        others["moe.n_shared_experts"] = (m.moe.n_shared_experts, SANITY_LIMITS["n_routed_experts"])
        others["moe.zero_experts"] = (m.moe.zero_experts, SANITY_LIMITS["n_routed_experts"])
    if m.linear_attention is not None:
        la = m.linear_attention
        others["linear_attention.num_heads"] = (la.num_heads, SANITY_LIMITS["num_heads"])
        others["linear_attention.num_k_heads"] = (la.num_k_heads, SANITY_LIMITS["num_heads"])
        others["linear_attention.head_dim"] = (la.head_dim, SANITY_LIMITS["head_dim"])
        others["linear_attention.head_k_dim"] = (la.head_k_dim, SANITY_LIMITS["head_dim"])
        others["linear_attention.conv_kernel"] = (la.conv_kernel, SANITY_LIMITS["head_dim"])
    if m.mamba is not None:
        s = m.mamba
        others["mamba.d_inner"] = (s.d_inner, SANITY_LIMITS["intermediate_size"])
        for k in ("d_state", "d_conv", "head_dim", "dt_rank"):
            others[f"mamba.{k}"] = (getattr(s, k), SANITY_LIMITS["head_dim"])
        for k in ("n_heads", "n_groups"):
            others[f"mamba.{k}"] = (getattr(s, k), SANITY_LIMITS["num_heads"])
    if m.short_conv is not None:
        others["short_conv.kernel"] = (m.short_conv.kernel, SANITY_LIMITS["head_dim"])
    if m.indexer is not None:
        others["indexer.n_heads"] = (m.indexer.n_heads, SANITY_LIMITS["num_heads"])
        others["indexer.head_dim"] = (m.indexer.head_dim, SANITY_LIMITS["head_dim"])
        others["indexer.topk"] = (m.indexer.topk, tokens)
    for nm, dims in (
        ("sliding_attention", m.sliding_attention),
        ("full_attention", m.full_attention),
    ):
        if dims is not None:
            others[f"{nm}.num_heads"] = (dims.num_heads, SANITY_LIMITS["num_heads"])
            others[f"{nm}.head_dim"] = (dims.head_dim, SANITY_LIMITS["head_dim"])
    for name, (size, limit) in others.items():
        if size is not None and size > limit:
            out.append(f"{name}={size} exceeds the sanity limit {limit}")
    return out


def _public(name: str) -> Any:
    """A public name of the package, looked up through its facade (loaded before this module).

    The deprecated spellings below reach the readers and presets, which sit above this
    module, only when they are called: this module imports nothing above it.
    """
    return getattr(sys.modules[__name__.rpartition(".")[0]], name)


def __getattr__(name: str) -> Any:
    # load_model and list_models moved up to the presets (which read files); the old
    # spelling ``llmsizing.model.load_model`` still works
    if name in ("load_model", "list_models"):
        return _public(name)
    raise AttributeError(f"module 'llmsizing.model' has no attribute {name!r}")
