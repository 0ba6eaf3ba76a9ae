"""What each layer keeps between decode steps: KV cache per token, recurrent state per sequence.

One spec class per layer kind, after vLLM's per-layer KV-cache specs [1]_ and
the state shapes of its Mamba-style layers [2]_:

* :class:`FullAttentionSpec`: per token ``kv_heads · (head_dim + v_head_dim)``
  elements, every token;
* :class:`SlidingWindowSpec`, :class:`ChunkedLocalSpec`: the same, at most
  ``sliding_window`` / ``attention_chunk_size`` tokens;
* :class:`MLASpec`: per token the latent ``kv_lora_rank + qk_rope_head_dim``
  (one "head", no factor 2), every token or, on a sliding layer, at most
  ``sliding_window``;
* :class:`CompressedKVSpec`: DeepSeek-V4's compressed K=V entries (one per
  ``ratio`` tokens), its indexer key, and per sequence a sliding window of raw
  entries and the compressors' state;
* :class:`CrossAttentionSpec`: Llama 3.2 Vision's cross-attention layers, K and V
  of a fixed number of vision tokens per sequence (no text token) [6]_;
* :class:`IndexerSpec`: DeepSeek-V3.2's indexer key, ``head_dim`` fp8 bytes plus
  one fp32 scale per 128 values (132 bytes per token for head_dim 128) [3]_, or
  MiniMax-M3's, ``head_dim`` elements at the KV dtype [7]_;
* :class:`GatedDeltaNetSpec`, :class:`KDASpec`, :class:`LightningSpec`,
  :class:`RGLRUSpec`, :class:`MambaSpec`, :class:`Mamba2Spec`, :class:`ShortConvSpec`: no per-token
  cache; per sequence a convolution window and a recurrent (SSM / delta-rule /
  linear-attention) state of fixed size;
* :class:`CCAStateSpec`: beside a ZAYA1 attention layer's K and V, its q/k convolution
  window and delayed value half per sequence;
* :class:`InklingConvSpec`: beside an Inkling attention layer's K and V, the windows of
  its key, value, attention-output and MLP-output convolutions per sequence.

A layer with no KV cache has window 0 (it holds no tokens) and 0 elements per
token; its state does not grow with the context and is read and written at
every decode step. Layers that reuse another layer's KV cache (Gemma 3n / 4
``num_kv_shared_layers``) add nothing to it.

References
----------
.. [1] vLLM, ``vllm/v1/kv_cache_interface.py``: ``FullAttentionSpec``
   (``real_page_size_bytes = block_size · num_kv_heads · (head_size +
   head_size_v) · dtype_size``), ``SlidingWindowSpec``,
   ``ChunkedLocalAttentionSpec``, ``MLAAttentionSpec`` (``num_kv_heads · head_size``,
   no factor 2), ``MambaSpec`` (``page_size_bytes = Σ prod(shape) · dtype_size``
   over the state tensors, one page per sequence).
.. [2] vLLM, ``vllm/model_executor/layers/mamba/mamba_utils.py``,
   ``MambaStateShapeCalculator``: ``mamba1_state_shape``, ``mamba2_state_shape``,
   ``gated_delta_net_state_shape``, ``kda_state_shape``,
   ``linear_attention_state_shape``, ``short_conv_state_shape``; dtypes in
   ``MambaStateDtypeCalculator`` (``kda_state_dtype``: the recurrent state in
   float32).
.. [3] vLLM, ``vllm/model_executor/models/deepseek_v2.py``, ``Indexer.__init__``:
   ``DeepseekV32IndexerCache(head_dim=self.head_dim + self.head_dim //
   self.quant_block_size * 4, dtype=torch.uint8)`` with ``quant_block_size = 128``,
   a ``MLAAttentionSpec`` with ``num_kv_heads=1``.
.. [4] DeepSeek-AI, "DeepSeek-V3.2-Exp: Boosting Long-Context Efficiency with
   DeepSeek Sparse Attention", 2025 (the lightning indexer scores every
   preceding token; the query attends to the top-k selected, ``index_topk`` =
   2048), github.com/deepseek-ai/DeepSeek-V3.2-Exp.
.. [5] DeepSeek-AI, DeepSeek-V4 reference ``inference/model.py`` (``Attention``,
   ``Compressor``, ``Indexer``; docs/models/deepseek-v4.md).
.. [6] transformers 5.24, ``models/mllama/modeling_mllama.py``
   (``MllamaTextCrossAttention``: K and V from ``cross_attention_states``, computed
   once per image and kept in the cache; ``MllamaVisionModel``: ``num_patches =
   (image_size // patch_size) ** 2 + 1`` per tile) and vLLM V0,
   ``vllm/model_executor/models/mllama.py`` (``calc_token_per_chunk``: ``(image_size
   // 14) ** 2 + 1`` encoder tokens per tile, at most ``max_num_tiles`` tiles;
   the cross-attention KV lives in the encoder-decoder cross blocks of the sequence).
.. [7] transformers 5.24, ``models/minimax_m3_vl/modeling_minimax_m3_vl.py``
   (``MiniMaxM3VLSparseCacheLayer``: ``idx_keys`` of ``[batch, 1, tokens,
   index_head_dim]`` beside K and V; ``MiniMaxM3VLIndexer``: the top
   ``index_topk_blocks`` blocks of ``index_block_size`` keys per query).

Examples
--------
>>> import llmsizing as ls
>>> specs = layer_specs(ls.load_model("llama-3.1-8b"))
>>> specs[0]
(FullAttentionSpec(num_kv_heads=8, head_dim=128, v_head_dim=128),)
>>> specs[0][0].kv_elements_per_token()
2048
"""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from llmsizing.model import ATTENTION_KINDS, AttentionDims, ModelConfig

__all__ = [
    "CCAStateSpec",
    "ChunkedLocalSpec",
    "CompressedKVSpec",
    "CrossAttentionSpec",
    "FullAttentionSpec",
    "GatedDeltaNetSpec",
    "IndexerSpec",
    "InklingConvSpec",
    "KDASpec",
    "LayerSpec",
    "LightningSpec",
    "MLAForm",
    "MLASpec",
    "MLSTMSpec",
    "Mamba2Spec",
    "MambaSpec",
    "RGLRUSpec",
    "RWKVSpec",
    "ShortConvSpec",
    "SlidingWindowSpec",
    "StateTensor",
    "as_full_attention",
    "as_mha",
    "attended_tokens",
    "attended_tokens_limit",
    "indexed_tokens",
    "kv_bytes_per_layer_token",
    "kv_cache_elements_per_token",
    "kv_fixed_bytes_per_token",
    "kv_tokens_held",
    "layer_specs",
    "layer_windows",
    "state_tensors",
]

#: How MLA's cache is counted: the compressed latent engines keep (vLLM, SGLang,
#: FlashMLA), or the per-head K and V it expands to.
MLAForm = Literal["latent", "expanded"]


def _divide(n: int, tp: int) -> int:
    """``n / tp`` for a dimension engines shard (vLLM ``divide``: must divide evenly)."""
    if n % tp:
        raise ValueError(f"{n} is not divisible by the tensor-parallel degree {tp}")
    return n // tp


@dataclass(frozen=True)
class StateTensor:
    """One tensor of a layer's recurrent state per sequence: its shape and whether it is fp32."""

    name: str
    shape: tuple[int, ...]
    fp32: bool = False

    @property
    def numel(self) -> int:
        """Number of elements [-]."""
        return math.prod(self.shape)


@dataclass(frozen=True)
class LayerSpec:
    """Base of the per-layer specs: no KV cache, no state."""

    @property
    def window(self) -> float:
        """Tokens the layer's KV cache holds at most [tokens] (inf: all; 0: it has none)."""
        return 0.0

    def kv_elements_per_token(self, mla: MLAForm = "latent") -> int:
        """KV-cache elements one token adds to this layer, in the KV dtype [-]."""
        return 0

    def kv_fixed_bytes_per_token(self) -> int:
        """KV-cache bytes per token stored in a fixed format, whatever the KV dtype [bytes]."""
        return 0

    def kv_bytes_per_token(self, bits: float, mla: MLAForm = "latent") -> float:
        """KV-cache bytes one token adds to this layer at ``bits`` per element [bytes]."""
        return self.kv_elements_per_token(mla) * bits / 8 + self.kv_fixed_bytes_per_token()

    @property
    def kv_heads(self) -> int:
        """Heads the cache or state splits into under tensor parallelism (1: replicated)."""
        return 1

    def state(self, tp: int = 1) -> tuple[StateTensor, ...]:
        """The recurrent state this layer keeps per sequence, on one of ``tp`` ranks."""
        return ()


@dataclass(frozen=True)
class FullAttentionSpec(LayerSpec):
    """Softmax attention over every token: K and V per KV head (vLLM ``FullAttentionSpec``)."""

    num_kv_heads: int
    head_dim: int
    v_head_dim: int

    @property
    def window(self) -> float:
        return math.inf

    @property
    def kv_heads(self) -> int:
        return self.num_kv_heads

    def kv_elements_per_token(self, mla: MLAForm = "latent") -> int:
        return self.num_kv_heads * (self.head_dim + self.v_head_dim)


@dataclass(frozen=True)
class SlidingWindowSpec(FullAttentionSpec):
    """Attention over the last ``sliding_window`` tokens (vLLM ``SlidingWindowSpec``)."""

    sliding_window: int = 0

    @property
    def window(self) -> float:
        return float(self.sliding_window)


@dataclass(frozen=True)
class ChunkedLocalSpec(FullAttentionSpec):
    """Attention within chunks of ``attention_chunk_size`` tokens (``ChunkedLocalAttentionSpec``).

    At a chunk's end the layer holds a whole chunk: the worst case is the chunk size.
    """

    attention_chunk_size: int = 0

    @property
    def window(self) -> float:
        return float(self.attention_chunk_size)


@dataclass(frozen=True)
class SharedKVSpec(LayerSpec):
    """An attention layer that reads another layer's KV cache (vLLM KV sharing): adds none."""

    source_layer: int
    attends: float = math.inf

    @property
    def window(self) -> float:
        return self.attends


@dataclass(frozen=True)
class MLASpec(LayerSpec):
    """Multi-head latent attention (vLLM ``MLAAttentionSpec``): one latent "head" per token.

    ``latent``: ``kv_lora_rank + qk_rope_head_dim`` elements (DeepSeek-V2 eq. 9-19);
    ``expanded``: the per-head K and V it expands to,
    ``heads · (qk_nope + qk_rope + v_head_dim)``.
    """

    kv_lora_rank: int
    qk_rope_head_dim: int
    num_heads: int
    qk_nope_head_dim: int
    v_head_dim: int
    #: DeepSeek Sparse Attention reads this layer (an indexer beside it)
    sparse: bool = False
    #: tokens a sliding-window MLA layer keeps (dots3-note's SWA layers); 0: every token
    sliding_window: int = 0

    @property
    def window(self) -> float:
        return float(self.sliding_window) if self.sliding_window else math.inf

    def kv_elements_per_token(self, mla: MLAForm = "latent") -> int:
        if mla == "latent":
            return self.kv_lora_rank + self.qk_rope_head_dim
        return self.num_heads * (self.qk_nope_head_dim + self.qk_rope_head_dim + self.v_head_dim)

    def kv_bytes_per_token(self, bits: float, mla: MLAForm = "latent") -> float:
        """The latent's bytes; an 8-bit sparse latent in FlashMLA's sparse FP8 format.

        The sparse FlashMLA kernels read FP8 only as DeepSeek's ``fp8_ds_mla``
        entry, which vLLM (``FlashMLASparseBackend``, which converts any FP8 KV
        dtype to ``fp8_ds_mla``) and SGLang (``NSATokenToKVPool``,
        ``override_kv_cache_dim``) store for an FP8 KV cache: the
        ``kv_lora_rank`` values in FP8, one fp32 scale per 128 of them and the
        RoPE part in bf16, ``r + 4 r / 128 + 2 d_rope`` (656 bytes for
        DeepSeek-V3.2's 512 + 64).
        """
        if self.sparse and bits == 8 and mla == "latent":
            r = self.kv_lora_rank
            return r + 4 * (r // FP8_DS_MLA_SCALE_BLOCK) + 2 * self.qk_rope_head_dim
        return super().kv_bytes_per_token(bits, mla)


#: fp8_ds_mla: one fp32 scale per 128 latent values (FlashMLA README; vLLM
#: ``FlashMLASparseBackend.get_kv_cache_shape``: 656 bytes per token)
FP8_DS_MLA_SCALE_BLOCK = 128


#: vLLM Indexer: ``self.quant_block_size = 128`` (fp8 values, one fp32 scale per block)
INDEXER_QUANT_BLOCK = 128


@dataclass(frozen=True)
class IndexerSpec(LayerSpec):
    """A lightning indexer's key cache: one ``head_dim`` key per token.

    DeepSeek Sparse Attention (vLLM ``DeepseekV32IndexerCache``, ``fixed``):
    ``head_dim`` fp8 bytes plus a 4-byte scale per 128 values per token, in
    uint8 whatever the KV dtype: ``head_dim + head_dim // 128 · 4`` bytes
    (132 for DeepSeek-V3.2's 128). MiniMax-M3 (not ``fixed``): ``head_dim``
    elements at the KV dtype (transformers' ``MiniMaxM3VLSparseCacheLayer``
    keeps ``idx_keys`` beside K and V in their dtype). ``topk``: tokens each
    query then attends to.
    """

    head_dim: int
    topk: int
    fixed: bool = True

    @property
    def window(self) -> float:
        return math.inf

    def kv_elements_per_token(self, mla: MLAForm = "latent") -> int:
        return 0 if self.fixed else self.head_dim

    def kv_fixed_bytes_per_token(self) -> int:
        if not self.fixed:
            return 0
        return self.head_dim + self.head_dim // INDEXER_QUANT_BLOCK * 4


@dataclass(frozen=True)
class CrossAttentionSpec(LayerSpec):
    """Cross-attention over vision tokens (Llama 3.2 Vision): K and V of a fixed token count.

    The layer's queries are text tokens, its keys and values the ``tokens`` vision
    tokens of the sequence's image, projected once and kept while the sequence
    runs [6]_: per sequence ``2 · kv_heads · head_dim · tokens`` elements, whatever
    the text context; no text token is cached (window 0, 0 elements per token).
    Held as per-sequence state (:meth:`state`), split over TP by whole KV heads
    (replicated beyond their count, as vLLM's ``QKVParallelLinear`` does).
    """

    num_kv_heads: int
    head_dim: int
    tokens: int
    #: False: the K and V are re-projected at every step, not kept (IDEFICS): no state
    cached: bool = True

    @property
    def kv_heads(self) -> int:
        return self.num_kv_heads

    def state(self, tp: int = 1) -> tuple[StateTensor, ...]:
        if not self.cached:
            return ()
        # whole KV heads per rank; one head on every rank once tp exceeds their count
        heads = _divide(self.num_kv_heads, tp) if tp <= self.num_kv_heads else 1
        # K and V: 2 · kv_heads · head_dim · tokens elements per sequence
        return (StateTensor("cross_kv", (2, heads, self.tokens, self.head_dim)),)


#: vLLM DeepSeek-V4 cache entry in FP8 (``flashmla_sparse``): the non-RoPE values in fp8,
#: the RoPE part in bf16 and 8 bytes of ue8m0 scales (448 + 128 + 8 = 584 bytes for 512 / 64)
DSV4_FP8_SCALE_BYTES = 8


@dataclass(frozen=True)
class CompressedKVSpec(LayerSpec):
    """DeepSeek-V4 attention: compressed K=V entries, an indexer key, a sliding window.

    One ``head_dim`` entry (K and V shared) per ``ratio`` tokens of context (none at
    ratio 0), plus on ratio-4 layers an indexer key of ``index_head_dim`` fp8 values and
    a 4-byte scale per 128 of them per 4 tokens (vLLM ``DeepseekV4IndexerCache``); per
    sequence a fixed state: the raw entries of the last ``window`` tokens and the
    compressors' fp32 ``kv_state`` and ``score_state`` (``coff · ratio`` rows of
    ``coff · head_dim``, ``coff = 2`` for the overlapping ratio 4; DeepSeek's
    ``Compressor``). At 8 bits an entry is stored as vLLM's ``fp8_ds_mla`` layout:
    ``head_dim − rope_dim`` fp8 values, ``rope_dim`` bf16 values and 8 scale bytes.
    """

    head_dim: int
    rope_dim: int
    ratio: int
    sliding_window: int = 0
    index_head_dim: int = 0
    #: compressed entries the indexer selects for a query on a ratio-4 layer (0: all)
    index_topk: int = 0

    @property
    def window(self) -> float:
        # the compressed entries cover the whole context (a ratio-0 layer keeps none)
        return math.inf if self.ratio else 0.0

    @property
    def kv_heads(self) -> int:
        return 1

    def entry_bytes(self, bits: float) -> float:
        """Bytes of one compressed entry at ``bits`` per value (``fp8_ds_mla`` at 8) [bytes]."""
        if bits == 8:
            return self.head_dim - self.rope_dim + 2 * self.rope_dim + DSV4_FP8_SCALE_BYTES
        return self.head_dim * bits / 8

    def kv_bytes_per_token(self, bits: float, mla: MLAForm = "latent") -> float:
        if not self.ratio:
            return 0.0
        return self.entry_bytes(bits) / self.ratio + self.kv_fixed_bytes_per_token()

    def kv_elements_per_token(self, mla: MLAForm = "latent") -> int:
        return self.head_dim // self.ratio if self.ratio else 0

    def kv_fixed_bytes_per_token(self) -> int:
        if self.ratio != 4 or not self.index_head_dim:
            return 0
        key = self.index_head_dim + self.index_head_dim // INDEXER_QUANT_BLOCK * 4
        return key // 4

    def state(self, tp: int = 1) -> tuple[StateTensor, ...]:
        out = [StateTensor("window_kv", (self.sliding_window, self.head_dim))]
        if self.ratio:
            c = 2 if self.ratio == 4 else 1
            rows, width = c * self.ratio, c * self.head_dim
            out += [StateTensor(n, (rows, width), fp32=True) for n in ("kv_state", "score_state")]
        if self.ratio == 4 and self.index_head_dim:
            rows, width = 2 * 4, 2 * self.index_head_dim
            out += [
                StateTensor(n, (rows, width), fp32=True)
                for n in ("index_kv_state", "index_score_state")
            ]
        return tuple(out)


@dataclass(frozen=True)
class GatedDeltaNetSpec(LayerSpec):
    """Gated DeltaNet (Qwen3-Next, Qwen3.5): a conv window and a delta-rule state per value head.

    vLLM ``gated_delta_net_state_shape``: conv ``(K − 1, 2 · nk · dk + nv · dv)``,
    state ``(nv, dv, dk)``, both split over TP; the state in fp32 where the config's
    ``mamba_ssm_dtype`` says so.
    """

    num_k_heads: int
    num_v_heads: int
    head_k_dim: int
    head_v_dim: int
    conv_kernel: int
    ssm_fp32: bool = False

    @property
    def kv_heads(self) -> int:
        return self.num_v_heads

    def state(self, tp: int = 1) -> tuple[StateTensor, ...]:
        conv_dim = self.head_k_dim * self.num_k_heads * 2 + self.head_v_dim * self.num_v_heads
        return (
            StateTensor("conv", (self.conv_kernel - 1, _divide(conv_dim, tp))),
            StateTensor(
                "ssm",
                (_divide(self.num_v_heads, tp), self.head_v_dim, self.head_k_dim),
                fp32=self.ssm_fp32,
            ),
        )


@dataclass(frozen=True)
class KDASpec(LayerSpec):
    """Kimi Delta Attention (Kimi Linear): convs over q, k, v and a per-head state kept in fp32.

    vLLM ``kda_state_shape``: conv ``(K − 1, heads · d + 2 · k_heads · d_k)``,
    state ``(heads, d, d)``; ``kda_state_dtype`` keeps the state in float32.
    """

    num_heads: int
    head_dim: int
    conv_kernel: int

    @property
    def kv_heads(self) -> int:
        return self.num_heads

    def state(self, tp: int = 1) -> tuple[StateTensor, ...]:
        conv_dim = 3 * self.num_heads * self.head_dim
        out = []
        if self.conv_kernel:
            out.append(StateTensor("conv", (self.conv_kernel - 1, _divide(conv_dim, tp))))
        heads = _divide(self.num_heads, tp)
        out.append(StateTensor("ssm", (heads, self.head_dim, self.head_dim), fp32=True))
        return tuple(out)


@dataclass(frozen=True)
class LightningSpec(LayerSpec):
    """Lightning attention (MiniMax-01): one ``head_dim × head_dim`` state per head.

    vLLM ``linear_attention_state_shape``: ``(heads / tp, head_dim, head_dim)``.
    """

    num_heads: int
    head_dim: int

    @property
    def kv_heads(self) -> int:
        return self.num_heads

    def state(self, tp: int = 1) -> tuple[StateTensor, ...]:
        return (StateTensor("ssm", (_divide(self.num_heads, tp), self.head_dim, self.head_dim)),)


@dataclass(frozen=True)
class RGLRUSpec(LayerSpec):
    """Griffin / RecurrentGemma's recurrent block: a conv window and one value per channel.

    transformers ``RecurrentGemmaRecurrentBlock``: ``conv1d_state`` ``(width, K − 1)`` and
    ``rg_lru.recurrent_states`` ``(width,)``, "always computed in full precision" (fp32);
    here conv ``(K − 1, width / tp)`` and state ``(width / tp,)``, split over TP by channel.
    """

    width: int
    conv_kernel: int

    @property
    def kv_heads(self) -> int:
        return self.width

    def state(self, tp: int = 1) -> tuple[StateTensor, ...]:
        w = _divide(self.width, tp)
        return (
            StateTensor("conv", (self.conv_kernel - 1, w)),
            StateTensor("ssm", (w,), fp32=True),
        )


@dataclass(frozen=True)
class RWKVSpec(LayerSpec):
    """RWKV-4's time and channel mix: two token-shift inputs and the WKV state per channel.

    transformers ``RwkvModel.forward`` keeps five ``(batch, hidden, layers)`` tensors: the
    channel mix's and the time mix's last input (``state[0]``, ``state[1]``, at the model
    dtype) and the WKV numerator, denominator and running maximum (``state[2:5]``, fp32);
    here per layer ``shift`` ``(2, width)`` and ``wkv`` ``(3, width / tp)``. The shifted
    inputs feed every projection (replicated over TP); the WKV state splits by channel.
    """

    width: int

    @property
    def kv_heads(self) -> int:
        return self.width

    def state(self, tp: int = 1) -> tuple[StateTensor, ...]:
        return (
            StateTensor("shift", (2, self.width)),
            StateTensor("wkv", (3, _divide(self.width, tp)), fp32=True),
        )


@dataclass(frozen=True)
class MLSTMSpec(LayerSpec):
    """xLSTM's mLSTM layer: a matrix memory, a normaliser and a stabiliser per head.

    transformers ``xLSTMCache.rnn_state[layer]``: C ``(heads, qk_head_dim, v_head_dim)``,
    n ``(heads, qk_head_dim)``, m ``(heads, 1)``, at the model dtype (``xLSTMModel.forward``
    builds the cache with ``inputs_embeds.dtype``); split over TP by heads.
    """

    num_heads: int
    head_k_dim: int
    head_v_dim: int

    @property
    def kv_heads(self) -> int:
        return self.num_heads

    def state(self, tp: int = 1) -> tuple[StateTensor, ...]:
        heads = _divide(self.num_heads, tp)
        return (
            StateTensor("C", (heads, self.head_k_dim, self.head_v_dim)),
            StateTensor("n", (heads, self.head_k_dim)),
            StateTensor("m", (heads, 1)),
        )


@dataclass(frozen=True)
class MambaSpec(LayerSpec):
    """Mamba-1 (Jamba, Falcon-Mamba): per channel a conv window and a ``d_state`` state.

    vLLM ``mamba1_state_shape``: conv ``(K − 1, d_inner / tp)``, SSM ``(d_inner / tp, N)``.
    """

    d_inner: int
    d_state: int
    d_conv: int
    ssm_fp32: bool = False

    @property
    def kv_heads(self) -> int:
        return self.d_inner

    def state(self, tp: int = 1) -> tuple[StateTensor, ...]:
        di = _divide(self.d_inner, tp)
        return (
            StateTensor("conv", (self.d_conv - 1, di)),
            StateTensor("ssm", (di, self.d_state), fp32=self.ssm_fp32),
        )


@dataclass(frozen=True)
class Mamba2Spec(LayerSpec):
    """Mamba-2 (Nemotron-H, Bamba, Granite 4, Falcon-H1): conv over x, B, C and a state per head.

    vLLM ``mamba2_state_shape``: groups are padded to a multiple of TP when they
    do not divide it (``extra_groups_for_head_shards``), conv
    ``(K − 1, (d_inner + 2 · G · N) / tp)``, SSM ``(heads / tp, head_dim, N)``.
    """

    d_inner: int
    n_groups: int
    n_heads: int
    head_dim: int
    d_state: int
    d_conv: int
    ssm_fp32: bool = False

    @property
    def kv_heads(self) -> int:
        return self.n_heads

    def state(self, tp: int = 1) -> tuple[StateTensor, ...]:
        groups = self.n_groups + (0 if self.n_groups % tp == 0 else tp - self.n_groups)
        conv_dim = self.d_inner + 2 * groups * self.d_state
        ssm = (_divide(self.n_heads, tp), self.head_dim, self.d_state)
        return (
            StateTensor("conv", (self.d_conv - 1, _divide(conv_dim, tp))),
            StateTensor("ssm", ssm, fp32=self.ssm_fp32),
        )


@dataclass(frozen=True)
class ShortConvSpec(LayerSpec):
    """LFM2's gated short convolution: its last ``kernel − 1`` inputs (vLLM ``short_conv``)."""

    hidden_size: int
    kernel: int

    @property
    def kv_heads(self) -> int:
        return self.hidden_size

    def state(self, tp: int = 1) -> tuple[StateTensor, ...]:
        return (StateTensor("conv", (self.kernel - 1, _divide(self.hidden_size, tp))),)


@dataclass(frozen=True)
class CCAStateSpec(LayerSpec):
    """ZAYA1's Compressed Convolutional Attention state beside the layer's K and V.

    transformers ``LinearAttentionAndFullAttentionLayer``: ``conv_states``
    ``(channels, conv_window)`` (the last q/k projections the convolutions read,
    ``channels = (heads + kv heads) · head_dim``) and ``recurrent_states``
    ``(value_half,)`` (the last token's delayed value projection); at the model dtype.
    Split over TP by channel.
    """

    channels: int
    conv_window: int
    value_half: int

    @property
    def kv_heads(self) -> int:
        return self.value_half

    def state(self, tp: int = 1) -> tuple[StateTensor, ...]:
        return (
            StateTensor("conv", (self.conv_window, _divide(self.channels, tp))),
            StateTensor("ssm", (_divide(self.value_half, tp),)),
        )


@dataclass(frozen=True)
class InklingConvSpec(LayerSpec):
    """Inkling's four short convolutions beside an attention layer's K and V.

    transformers ``InklingShortConvolution`` / ``Inkling2ShortConvolution`` /
    ``Inkling2DynamicShortConvolution`` (``number_of_conv_states = 4``): the key and value
    convolutions (``num_kv_heads · head_dim`` channels each) and the attention-output and
    MLP-output ones (``hidden_size`` each) keep their last inputs; ``kernel − 1`` of them
    are needed (transformers keeps ``kernel``), in float32 (the modules cast their input to
    it). The key and value states split with the KV heads (replicated beyond their count);
    the output convolutions read the whole hidden state on every rank.
    """

    num_kv_heads: int
    head_dim: int
    hidden_size: int
    kernel: int

    @property
    def kv_heads(self) -> int:
        return self.num_kv_heads

    def state(self, tp: int = 1) -> tuple[StateTensor, ...]:
        heads = _divide(self.num_kv_heads, tp) if tp <= self.num_kv_heads else 1
        kv = (self.kernel - 1, heads * self.head_dim)
        out = (self.kernel - 1, self.hidden_size)
        return (
            StateTensor("conv_k", kv, fp32=True),
            StateTensor("conv_v", kv, fp32=True),
            StateTensor("conv_attn_out", out, fp32=True),
            StateTensor("conv_mlp_out", out, fp32=True),
        )


# --------------------------------------------------------------------- per model
def _attention_spec(m: ModelConfig, i: int) -> LayerSpec:
    kind = m.layer_types[i]
    a = m.mla_dims(i)
    if a is not None:
        # a NoPE layer (Mistral Large 4) caches no rope key; its key is all "nope"
        rope = a.rope_width(i)
        nope = a.qk_nope_head_dim + a.qk_rope_head_dim - rope
        heads = m.attention_dims(i).num_heads
        window = (m.sliding_window or 0) if kind == "sliding" else 0
        return MLASpec(a.kv_lora_rank, rope, heads, nope, a.v_head_dim, sliding_window=window)
    d: AttentionDims = m.attention_dims(i)
    # values that reuse the key projection are still cached (vLLM keeps K and V)
    args = (d.num_kv_heads, d.head_dim, d.value_head_dim)
    if kind == "sliding":
        return SlidingWindowSpec(*args, sliding_window=m.sliding_window or 0)
    if kind == "chunked":
        return ChunkedLocalSpec(*args, attention_chunk_size=m.attention_chunk_size or 0)
    return FullAttentionSpec(*args)


def _mixer_spec(m: ModelConfig) -> LayerSpec:
    s = m.mamba
    assert s is not None
    if s.version == 1:
        return MambaSpec(s.d_inner, s.d_state, s.d_conv, s.ssm_fp32)
    return Mamba2Spec(s.d_inner, s.n_groups, s.n_heads, s.head_dim, s.d_state, s.d_conv, s.ssm_fp32)


def _linear_spec(m: ModelConfig) -> LayerSpec:
    la = m.linear_attention
    assert la is not None
    if la.kind == "gated_deltanet":
        return GatedDeltaNetSpec(
            la.k_heads, la.num_heads, la.k_dim, la.head_dim, la.conv_kernel, la.ssm_fp32
        )
    if la.kind == "kda":
        return KDASpec(la.num_heads, la.head_dim, la.conv_kernel)
    if la.kind == "rglru":
        return RGLRUSpec(la.num_heads * la.head_dim, la.conv_kernel)
    if la.kind == "rwkv":
        return RWKVSpec(la.num_heads * la.head_dim)
    if la.kind == "mlstm":
        return MLSTMSpec(la.num_heads, la.k_dim, la.head_dim)
    return LightningSpec(la.num_heads, la.head_dim)


@functools.lru_cache(maxsize=256)
def layer_specs(model: ModelConfig) -> tuple[tuple[LayerSpec, ...], ...]:
    """The cache/state specs of each decoder layer, one tuple per layer.

    An attention layer has its attention spec (and a lightning indexer's key
    beside it: DeepSeek-V3.2's beside MLA, MiniMax-M3's beside GQA); a Falcon-H1
    layer has attention and a Mamba-2 spec; a linear-attention, Mamba or
    short-conv layer its state spec; an FFN-only layer none; an Inkling attention layer
    its convolutions' windows beside its KV spec.
    A layer that keeps several caches (``layer_kv_copies``, Dory) repeats its specs once
    per cache.
    """
    out: list[tuple[LayerSpec, ...]] = []
    for i, kind in enumerate(model.layer_types):
        specs: list[LayerSpec] = []
        if kind in ATTENTION_KINDS:
            own = _attention_spec(model, i)
            src = model.kv_source_layer(i)
            if src != i:
                specs.append(SharedKVSpec(src, own.window))
                if model.indexer is not None and model.indexer.on(i):
                    # a layer reading another's latent but running its own indexer still
                    # caches its indexer keys (Mistral Large 4's "reuse_but_indexer")
                    x = model.indexer
                    specs.append(IndexerSpec(x.head_dim, x.topk, fixed=x.kind == "dsa"))
            else:
                if model.indexer is not None and model.indexer.on(i):
                    if isinstance(own, MLASpec):
                        own = dataclasses.replace(own, sparse=True)
                    x = model.indexer
                    specs += [own, IndexerSpec(x.head_dim, x.topk, fixed=x.kind == "dsa")]
                else:
                    specs.append(own)
            if model.encoder_attention_width and model.cross_attention_tokens:
                # BLIP: the layer's cross-attention keeps K and V of the image's tokens
                heads, tokens = model.num_kv_heads, model.cross_attention_tokens
                specs.append(CrossAttentionSpec(heads, model.head_dim, tokens))
            if model.parallel_ssm:
                specs.append(_mixer_spec(model))
            if model.cca is not None:
                d = model.attention_dims(i)
                channels = (d.num_heads + d.num_kv_heads) * d.head_dim
                half = d.num_kv_heads * d.value_head_dim // 2
                specs.append(CCAStateSpec(channels, model.cca.conv_window, half))
            if model.inkling is not None:
                d = model.attention_dims(i)
                kernel = model.inkling.conv_kernel
                spec = InklingConvSpec(d.num_kv_heads, d.head_dim, model.hidden_size, kernel)
                specs.append(spec)
        elif kind == "compressed":
            a = model.compressed_attention
            assert a is not None
            specs.append(
                CompressedKVSpec(
                    a.head_dim,
                    a.rope_dim,
                    a.ratios[i],
                    a.window,
                    a.index_head_dim,
                    a.index_topk,
                )
            )
        elif kind == "cross":
            tokens, cached = model.cross_attention_tokens, model.cross_kv_cached
            specs.append(CrossAttentionSpec(model.num_kv_heads, model.head_dim, tokens, cached))
        elif kind == "linear":
            specs.append(_linear_spec(model))
        elif kind == "mamba":
            specs.append(_mixer_spec(model))
        elif kind == "conv":
            assert model.short_conv is not None
            specs.append(ShortConvSpec(model.hidden_size, model.short_conv.kernel))
        # Dory's per-loop caches: a layer run once per loop keeps one cache of each pass
        out.append(tuple(specs) * (model.layer_kv_copies[i] if model.layer_kv_copies else 1))
    return tuple(out)


def kv_cache_elements_per_token(model: ModelConfig, mla: MLAForm = "latent") -> np.ndarray:
    """KV elements one token adds to each layer's cache [-], one entry per layer.

    Full, sliding and chunked layers: ``2 · kv_heads · head_dim`` (K and V;
    ``kv_heads · (head_dim + v_head_dim)`` when V is narrower).
    MLA (``mla="latent"``, as vLLM, SGLang and FlashMLA cache it):
    ``kv_lora_rank + qk_rope_head_dim``. MLA ``"expanded"``: the per-head K
    and V that the latent expands to, ``heads · (qk_nope + qk_rope + v_head_dim)``.
    Layers without a KV cache of their own (linear attention, Mamba, short
    convolutions, FFN-only layers, layers sharing another's cache): 0. The
    DeepSeek-V3.2 indexer key is in :func:`kv_fixed_bytes_per_token`; MiniMax-M3's
    (``index_head_dim`` elements at the KV dtype) is counted here.

    Examples
    --------
    >>> import llmsizing as ls
    >>> int(kv_cache_elements_per_token(ls.load_model("deepseek-v3"))[0])
    576
    """
    return np.array(
        [sum(s.kv_elements_per_token(mla) for s in layer) for layer in layer_specs(model)],
        dtype=np.int64,
    )


def kv_bytes_per_layer_token(
    model: ModelConfig, bits: float, mla: MLAForm = "latent"
) -> np.ndarray:
    """KV-cache bytes one token adds to each layer at ``bits`` per element [bytes].

    ``e_l · b / 8 + f_l``: the layer's elements (:func:`kv_cache_elements_per_token`)
    at b bits plus what it stores in a fixed format
    (:func:`kv_fixed_bytes_per_token`), except a DeepSeek Sparse Attention latent
    at 8 bits, which is stored as ``fp8_ds_mla`` (:meth:`MLASpec.kv_bytes_per_token`).

    Examples
    --------
    >>> import llmsizing as ls
    >>> m = ls.load_model("deepseek-v3.2")
    >>> float(kv_bytes_per_layer_token(m, 16)[0]), float(kv_bytes_per_layer_token(m, 8)[0])
    (1284.0, 788.0)
    """
    return np.array(
        [sum(s.kv_bytes_per_token(bits, mla) for s in layer) for layer in layer_specs(model)],
        dtype=float,
    )


def kv_fixed_bytes_per_token(model: ModelConfig) -> np.ndarray:
    """KV-cache bytes per token in a fixed format, one entry per layer [bytes].

    Only DeepSeek Sparse Attention's indexer key (132 bytes per token and layer
    for DeepSeek-V3.2) so far; 0 elsewhere.
    """
    return np.array(
        [sum(s.kv_fixed_bytes_per_token() for s in layer) for layer in layer_specs(model)],
        dtype=np.int64,
    )


def layer_windows(model: ModelConfig) -> np.ndarray:
    """Tokens each layer's KV cache holds at most [tokens]; ``inf`` for full attention.

    Sliding layers: ``sliding_window``; chunked layers: ``attention_chunk_size``;
    layers without softmax attention (linear attention, Mamba, short
    convolutions, FFN-only layers) and cross-attention layers, which hold no
    text token (their vision tokens' K and V are per-sequence state): 0.
    """
    w = np.zeros(model.num_layers)
    for i, layer in enumerate(layer_specs(model)):
        spans = [s.window for s in layer if not isinstance(s, IndexerSpec)]
        if spans:
            w[i] = max(spans)
    return w


def attended_tokens_limit(model: ModelConfig) -> np.ndarray:
    """Key positions one query attends to at most, per layer [tokens].

    The layer's window, or DeepSeek Sparse Attention's ``index_topk`` where an
    indexer selects the tokens: its own, or the previous indexing layer's on a
    layer that shares its selection (GLM-5's ``shared`` layers). The indexer
    itself scores every held token.
    """
    w = layer_windows(model)
    if model.indexer is None:
        return w
    for i, layer in enumerate(layer_specs(model)):
        if any(isinstance(s, MLASpec | IndexerSpec) for s in layer):
            w[i] = min(w[i], model.indexer.topk)
    return w


def attended_tokens(model: ModelConfig, context_len: Any) -> np.ndarray:
    """Key positions the query at position ``T`` attends to, per layer [tokens].

    .. math::

        a_l(T) = \\begin{cases}
            \\min(T, W_l, k) & \\text{attention (} k = \\infty \\text{ without an indexer)} \\\\
            \\min(T, W) + \\min(T / 4, k) & \\text{DeepSeek-V4, ratio 4} \\\\
            \\min(T, W) + T / r & \\text{DeepSeek-V4, ratio } r \\ne 4
        \\end{cases}

    DeepSeek Sparse Attention attends to the ``k = index_topk`` tokens its
    indexer selects [4]_; DeepSeek-V4 to its last ``W`` raw tokens and the
    compressed entries, the top ``k`` of them on ratio-4 layers (DeepSeek's
    ``Attention.forward``: ``topk_idxs`` from the ``Indexer`` on ratio-4 layers,
    every compressed entry on ratio-128 layers). Layers without softmax
    attention, and cross-attention layers (their keys are the image's vision
    tokens, no text position): 0. ``context_len`` may be an array: the result
    has a trailing layer axis.

    Examples
    --------
    >>> import llmsizing as ls
    >>> float(attended_tokens(ls.load_model("deepseek-v3.2"), 131072)[0])
    2048.0
    """
    ctx = np.asarray(context_len, dtype=float)[..., None]
    out: np.ndarray = np.minimum(ctx, attended_tokens_limit(model)) + np.zeros(model.num_layers)
    for i, layer in enumerate(layer_specs(model)):
        for s in layer:
            if isinstance(s, CompressedKVSpec):
                entries = ctx[..., 0] / s.ratio if s.ratio else 0.0 * ctx[..., 0]
                if s.ratio == 4 and s.index_topk:
                    entries = np.minimum(entries, s.index_topk)
                out[..., i] = np.minimum(ctx[..., 0], s.sliding_window) + entries
    return out


def indexed_tokens(model: ModelConfig, context_len: Any) -> np.ndarray:
    """Keys an indexer scores for the query at position ``T``, per layer [tokens].

    Every held token on a DeepSeek Sparse Attention layer (the lightning indexer
    scores all preceding tokens [4]_), ``T / 4`` compressed entries on a
    DeepSeek-V4 ratio-4 layer, 0 elsewhere.

    Examples
    --------
    >>> import llmsizing as ls
    >>> float(indexed_tokens(ls.load_model("deepseek-v3.2"), 131072)[0])
    131072.0
    """
    ctx = np.asarray(context_len, dtype=float)[..., None]
    out = np.zeros((*ctx.shape[:-1], model.num_layers))
    windows = layer_windows(model)
    for i, layer in enumerate(layer_specs(model)):
        for s in layer:
            if isinstance(s, IndexerSpec):
                out[..., i] = np.minimum(ctx[..., 0], windows[i])
            elif isinstance(s, CompressedKVSpec) and s.ratio == 4 and s.index_head_dim:
                out[..., i] = ctx[..., 0] / 4
    return out


def kv_tokens_held(context_len: Any, window: Any) -> Any:
    """Tokens a layer keeps in its cache: ``min(context_len, window)`` [tokens].

    A sliding-window layer keeps the last W tokens; a chunked layer at most one
    chunk of C tokens (the worst case, at a chunk's end), as vLLM sizes
    ``SlidingWindowSpec`` and ``ChunkedLocalAttentionSpec``.
    """
    return np.minimum(context_len, window)


def state_tensors(model: ModelConfig, tp: int = 1) -> tuple[tuple[StateTensor, ...], ...]:
    """The recurrent state tensors of each layer for one sequence on one of ``tp`` ranks.

    Empty for layers with only a KV cache. Raises ``ValueError`` where a state
    dimension does not split over ``tp`` (vLLM refuses such a degree).
    """
    return tuple(tuple(t for s in layer for t in s.state(tp)) for layer in layer_specs(model))


# -------------------------------------------------------------- comparisons
def as_mha(model: ModelConfig) -> ModelConfig:
    """The same model recomputed as plain multi-head attention.

    Every attention layer full attention, one KV head per query head (the
    cross-attention layers' too), no KV sharing and no indexer; an MLA model
    keeps its per-head K width (qk_nope + qk_rope) and V width (v_head_dim),
    DeepSeek-V4 its ``head_dim`` for both.
    Linear-attention, Mamba and FFN-only layers stay as they are. This is the
    baseline of "MLA/GQA/SWA saves X%" statements.

    Examples
    --------
    >>> import llmsizing as ls
    >>> from llmsizing.memory import kv_cache_bytes_per_token
    >>> kv_cache_bytes_per_token(as_mha(ls.load_model("llama-3.1-70b")), "bf16")
    <Quantity(2621440, 'byte')>
    """

    def mha(d: AttentionDims | None) -> AttentionDims | None:
        return None if d is None else d.model_copy(update={"num_kv_heads": d.num_heads})

    update: dict[str, Any] = {
        "name": f"{model.name} as MHA",
        "num_kv_heads": model.num_heads,
        "layer_types": tuple(
            "full" if k in ATTENTION_KINDS or k == "compressed" else k for k in model.layer_types
        ),
        "full_attention": mha(model.full_attention),
        "sliding_attention": mha(model.sliding_attention),
        "kv_shared_layers": 0,
        "external_kv": False,
        "indexer": None,
        # DeepSeek-V4: every head its own K and V of head_dim, over every token
        "compressed_attention": None,
    }
    if model.mla is not None:
        update |= {
            "mla": None,
            "sliding_mla": None,
            "head_dim": model.mla.qk_nope_head_dim + model.mla.qk_rope_head_dim,
            "v_head_dim": model.mla.v_head_dim,
        }
    return model.model_copy(update=update)


def as_full_attention(model: ModelConfig) -> ModelConfig:
    """The same model with every sliding-window or chunked layer made full attention.

    Linear-attention, Mamba and FFN-only layers stay as they are.
    """
    return model.model_copy(
        update={
            "name": f"{model.name} (all full attention)",
            "layer_types": tuple("full" if k in ATTENTION_KINDS else k for k in model.layer_types),
        }
    )
