"""Reading Hugging Face ``config.json`` files into :class:`~llmsizing.model.ModelConfig`.

:func:`read_hf_config` looks the file's ``model_type`` up in the family table
(:data:`~llmsizing.hf.families.FAMILIES`) and applies that family's reader.
Each reader follows the transformers configuration and modeling code of its
family [1]_: which keys it reads, which layers are sliding, chunked, linear,
state-space or mixture-of-experts. A key the file omits takes the default of
that family's transformers configuration class (generated from transformers
into ``_defaults.py``) and is recorded in ``ModelConfig.assumed``; an ill-typed
key, an impossible architecture or an unknown ``model_type`` raise
:class:`~llmsizing.errors.ConfigError` naming it.

Multimodal and wrapper configs (``gemma3``, ``llama4``, ``mistral3``,
``qwen3_vl``, ``kimi_k25``, ``paligemma``, ``smolvlm`` ...) are read through their
``text_config``.

References
----------
.. [1] Hugging Face transformers 5.24, ``src/transformers/models/<family>/
   configuration_<family>.py`` and ``modeling_<family>.py``.

Examples
--------
>>> from llmsizing.hf import read_hf_config
>>> m = read_hf_config({"model_type": "qwen3", "vocab_size": 151936, "hidden_size": 4096,
...                     "intermediate_size": 12288, "num_hidden_layers": 36,
...                     "num_attention_heads": 32, "num_key_value_heads": 8, "head_dim": 128,
...                     "tie_word_embeddings": False}, name="qwen3-8b")
>>> m.param_counts().total
8190735360
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from llmsizing.errors import ConfigError
from llmsizing.hf._defaults import ALIASES, DEFAULTS, NEVER_TIED, TEXT_CONFIGS
from llmsizing.hf._reader import Reader, load
from llmsizing.hf.audio import AUDIO_TYPES, audio_tower
from llmsizing.hf.families import FAMILIES, Family
from llmsizing.hf.quantization import checkpoint_quantization
from llmsizing.hf.vision import DEFAULT_TOWERS, cross_attention_tokens, vision_tower
from llmsizing.model import ModelConfig

__all__ = ["FAMILIES", "SUPPORTED_MODEL_TYPES", "Family", "read_hf_config", "supported_types"]

_TIE = "tie_word_embeddings"
#: composite configs whose class ties the head when the text config says so (LlavaConfig,
#: LlavaNextVideoConfig, LlavaOnevisionConfig: "forward-pass the attr from text config")
_TIE_FROM_TEXT = frozenset(
    {
        "glm4v",
        "glm4v_moe",
        "qwen2_vl",
        "qwen2_5_vl",
        "llava",
        "llava_next_video",
        "llava_onevision",
        "minimax_m3_vl",
        # GlmOcrConfig: "BC: pre-v5 saves placed tie_word_embeddings inside text_config"
        "glm_ocr",
        "fast_vlm",
    }
)

#: Every ``model_type`` :func:`read_hf_config` reads, sorted.
SUPPORTED_MODEL_TYPES: tuple[str, ...] = tuple(sorted(FAMILIES))


def supported_types() -> tuple[str, ...]:
    """The supported ``model_type`` values (:data:`SUPPORTED_MODEL_TYPES`)."""
    return SUPPORTED_MODEL_TYPES


def _unsupported(where: str, model_type: str) -> ConfigError:
    return ConfigError(
        f"{where}: model_type {model_type!r} is not supported "
        f"(supported: {', '.join(SUPPORTED_MODEL_TYPES)})"
    )


#: Composite types whose config may keep the text model's keys at the top level
#: (Dots3NoteConfig: "Published checkpoints store the text configuration at the top level").
_TOP_LEVEL_TEXT = frozenset(
    {"qwen2_vl", "qwen2_5_vl", "glm5_next", "dots3_note", "hunyuan_vl", "paddleocr_vl"}
)
#: Composite types that tie the head where the top-level config or the text config does,
#: the text class's default applying where the text config is silent (HunYuanVLConfig:
#: "if not self.tie_word_embeddings and getattr(self.text_config, 'tie_word_embeddings'...").
#: VideoLlama3Config: "if not self.tie_word_embeddings and self.text_config.
#: tie_word_embeddings" (the text class's default where the text config is silent).
#: Kosmos2ForConditionalGeneration ties text_model.lm_head where either config's
#: tie_word_embeddings is true (both default true): untied only where both are false.
_TIE_EITHER = frozenset({"hunyuan_vl", "video_llama_3", "paddleocr_vl", "shieldgemma2", "kosmos-2"})
#: Composite types whose class builds a missing text_config from the text class's defaults,
#: reading none of the top-level keys (Step3p7Config: ``text_config: ... = None``, then
#: ``sub_configs_defaults``), and whose head is tied only where the top-level config sets
#: tie_word_embeddings (Step3p7Config has no such field).
_DEFAULT_TEXT = frozenset(
    {
        # AriaConfig (AriaTextConfig), JanusConfig, VipLlavaConfig, VideoLlavaConfig,
        # PerceptionLMConfig (LlamaConfig), Idefics2Config (MistralConfig)
        "aria",
        "janus",
        "vipllava",
        "video_llava",
        "perception_lm",
        "idefics2",
        # Cosmos3OmniConfig, GlmgaConfig, HyperCLOVAXVisionV2Config, VideoLlama3Config,
        # QianfanOCRConfig, Cosmos3EdgeConfig, GlmOcrConfig: text_config None builds
        # the text class's defaults (sub_configs_defaults)
        "cosmos3_omni",
        "glmga",
        "hyperclovax_vision_v2",
        "video_llama_3",
        "qianfan_ocr",
        "cosmos3_edge",
        "glm_ocr",
        "step3p7",
        "mistral_large4",
        "gemma3n",
        "gemma4",
        "gemma4_unified",
        "exaone4_5",
        "glm46v",
        "minicpmv4_6",
        "molmo2",
        "ernie4_5_vl_moe",
        # MuseSparkConfig: text_config None builds MuseSparkTextConfig() (sub_configs_defaults)
        "muse_spark",
        "apertus1p5",
        "qwen3_omni_moe_thinker",
        # MuseGlimmerConfig: text_config None builds MuseGlimmerTextConfig(); the class has
        # no tie_word_embeddings field, the head is tied only where the file sets it
        "muse_glimmer",
        # Emu3Config: text_config None builds Emu3TextConfig() (sub_configs_defaults)
        "emu3",
        # InklingConfig / Inkling2Config / Inkling2LoopConfig / CohereCompassConfig /
        # GraniteDoclingConfig / Granite4VisionConfig: sub_configs_defaults classes;
        # NemotronH_Omni_Reasoning_V3_Config / Lfm3VlConfig / MiniCPMV4_7Config /
        # MiniCPMOcrConfig: SubConfigSpec(AutoConfig, model_type=...)
        "inkling_mm_model",
        "inkling2",
        "inkling2_loop",
        "cohere_compass",
        "nemotron_h_omni",
        "lfm3_vl",
        "granite4_vision",
        "granite_docling",
        "minicpmv4_7",
        "minicpm_ocr",
        # DeepseekVL(Hybrid)Config, Ovis2Config, FastVlmConfig, LightOnOcrConfig, GotOcr2Config,
        # ShieldGemma2Config, Qwen2_5OmniThinkerConfig: text_config None builds the
        # sub_configs_defaults text config (_DEFAULT_TEXT_KWARGS where it has init_kwargs)
        "deepseek_vl",
        "deepseek_vl_hybrid",
        "ovis2",
        "fast_vlm",
        "lighton_ocr",
        "shieldgemma2",
        "qwen2_5_omni_thinker",
        "got_ocr2",
        "pp_chart2table",
        # HYV4VLConfig: text_config None builds HYV4VLTextConfig() (sub_configs_defaults)
        "hy_v4_vl",
        # VibeVoiceAsrConfig, MossTranscribeDiarizeConfig, Nemotron3_5TranscribeConfig,
        # OmniASRConfig: SubConfigSpec(AutoConfig, model_type=...) (with init_kwargs but for
        # VibeVoice ASR); the audio towers and projectors are not counted
        "vibevoice_asr",
        "moss_transcribe_diarize",
        "nemo_speechlm",
        "omniasr",
        # Qwen2AudioConfig, VoxtralConfig, VoxtralRealtimeConfig, GraniteSpeechConfig,
        # GraniteSpeechPlusConfig, GlmAsrConfig, Qwen3ASRConfig, FunAsrNanoConfig: text_config
        # None builds the sub_configs_defaults text config (with its init_kwargs)
        "qwen2_audio",
        "voxtral",
        "voxtral_realtime",
        "granite_speech",
        "granite_speech_plus",
        "glmasr",
        "qwen3_asr",
        "fun_asr_nano",
        # Blip2Config / InstructBlipConfig / InstructBlipVideoConfig: SubConfigSpec(AutoConfig,
        # model_type="opt"); Kosmos2Config / Kosmos2_5Config: their text config classes
        "blip-2",
        "instructblip",
        "instructblipvideo",
        "kosmos-2",
        "kosmos-2.5",
    }
)

#: Composite types whose language model is the causal LM of whatever type the text config
#: names (Blip2ForConditionalGeneration, InstructBlip(Video)ForConditionalGeneration:
#: ``AutoModelForCausalLM`` where that type has a causal-LM class, else
#: ``AutoModelForSeq2SeqLM``): a named type llmsizing does not read is refused, not read as
#: the default one
_NAMED_TEXT = frozenset({"blip-2", "instructblip", "instructblipvideo"})
#: text types those wrappers build as an encoder-decoder (Flan-T5: BLIP-2 / InstructBLIP
#: flan-t5 checkpoints), named in the refusal
_SEQ2SEQ_TEXT = frozenset({"t5", "mt5", "umt5"})


#: The text config a composite type builds when its config has none, where that is not the
#: text class's defaults (``sub_configs_defaults["text_config"].init_kwargs``; only the keys
#: that shape parameters or caches)
_DEFAULT_TEXT_KWARGS: dict[str, dict[str, Any]] = {
    # Idefics2Config: MistralConfig(max_position_embeddings=4096 * 8)
    "idefics2": {"max_position_embeddings": 4096 * 8},
    # FastVlmConfig: Qwen2Config(hidden_size=3584, ...), FastVLM-7B's language model
    "fast_vlm": {
        "hidden_size": 3584,
        "vocab_size": 152128,
        "intermediate_size": 18944,
        "num_attention_heads": 28,
        "num_key_value_heads": 4,
        "num_hidden_layers": 28,
    },
    # LightOnOcrConfig: Qwen3Config(...), LightOnOCR-1B's language model
    "lighton_ocr": {
        "head_dim": 128,
        "hidden_size": 1024,
        "intermediate_size": 3072,
        "max_position_embeddings": 40960,
        "num_attention_heads": 16,
        "num_hidden_layers": 28,
        "num_key_value_heads": 8,
        "rope_theta": 1000000,
        "sliding_window": None,
        "vocab_size": 151936,
    },
    # GotOcr2Config: Qwen2Config(...), GOT-OCR-2.0's language model
    "got_ocr2": {
        "vocab_size": 151860,
        "hidden_size": 1024,
        "intermediate_size": 2816,
        "num_hidden_layers": 24,
        "num_attention_heads": 16,
        "num_key_value_heads": 16,
        "max_position_embeddings": 32768,
        "tie_word_embeddings": True,
        "rope_theta": 1000000.0,
        "use_sliding_window": False,
        "sliding_window": 4096,
        "max_window_layers": 21,
    },
    # VoxtralConfig: LlamaConfig(...), Voxtral-Mini-3B's language model
    "voxtral": {
        "vocab_size": 131072,
        "hidden_size": 3072,
        "intermediate_size": 8192,
        "num_hidden_layers": 30,
        "num_key_value_heads": 8,
        "max_position_embeddings": 131072,
        "rope_theta": 100000000.0,
        "head_dim": 128,
    },
    # VoxtralRealtimeConfig: VoxtralRealtimeTextConfig(...), Voxtral-Mini-4B-Realtime's
    "voxtral_realtime": {
        "vocab_size": 131072,
        "hidden_size": 3072,
        "intermediate_size": 9216,
        "num_hidden_layers": 26,
        "num_attention_heads": 32,
        "num_key_value_heads": 8,
        "max_position_embeddings": 131072,
        "rope_theta": 1000000.0,
        "head_dim": 128,
        "tie_word_embeddings": True,
        "sliding_window": 8192,
    },
    # GlmAsrConfig: LlamaConfig(...), GLM-ASR-Nano-2512's language model
    "glmasr": {
        "vocab_size": 59264,
        "hidden_size": 2048,
        "intermediate_size": 6144,
        "num_hidden_layers": 28,
        "num_attention_heads": 16,
        "num_key_value_heads": 4,
        "max_position_embeddings": 8192,
        "rope_parameters": {"rope_theta": 10000.0, "rope_type": "default"},
    },
    # Qwen3ASRConfig: Qwen3Config(...), Qwen3-ASR-1.7B's language model
    "qwen3_asr": {
        "hidden_size": 2048,
        "intermediate_size": 6144,
        "num_hidden_layers": 28,
        "num_attention_heads": 16,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "max_position_embeddings": 65536,
        "tie_word_embeddings": True,
    },
    # FunAsrNanoConfig: Qwen3Config(...), Fun-ASR-Nano's language model
    "fun_asr_nano": {
        "hidden_size": 1024,
        "intermediate_size": 3072,
        "num_hidden_layers": 28,
        "num_attention_heads": 16,
        "num_key_value_heads": 8,
        "max_position_embeddings": 40960,
        "tie_word_embeddings": True,
    },
    # MossTranscribeDiarizeConfig: Qwen3 at MOSS-Transcribe-Diarize's sizes
    "moss_transcribe_diarize": {
        "hidden_size": 1024,
        "intermediate_size": 3072,
        "num_hidden_layers": 28,
        "num_attention_heads": 16,
        "num_key_value_heads": 8,
        "max_position_embeddings": 131_072,
    },
    # Nemotron3_5TranscribeConfig: Nemotron-H at Nemotron 3.5 Transcribe's sizes
    "nemo_speechlm": {
        "hidden_size": 2688,
        "intermediate_size": 1856,
        "hybrid_override_pattern": "MEMEM*EMEMEM*EMEMEM*EMEMEM*EMEMEM*EMEMEMEM*EMEMEMEME",
        "mamba_num_heads": 64,
        "max_position_embeddings": 262144,
        "moe_intermediate_size": 1856,
        "moe_shared_expert_intermediate_size": 3712,
        "n_routed_experts": 128,
        "num_experts_per_tok": 6,
        "num_key_value_heads": 2,
    },
    # OmniASRConfig: Llama at omniASR-LLM's sizes
    "omniasr": {
        "vocab_size": 11984,
        "hidden_size": 4096,
        "intermediate_size": 2816,
        "max_position_embeddings": 8192,
        "num_hidden_layers": 12,
        "num_attention_heads": 8,
        "num_key_value_heads": 8,
    },
}
# PPChart2TableConfig: the same Qwen2Config(...) init_kwargs as GotOcr2Config
_DEFAULT_TEXT_KWARGS["pp_chart2table"] = _DEFAULT_TEXT_KWARGS["got_ocr2"]
#: Composite types that lay a given text_config over those defaults (VoxtralConfig,
#: VoxtralRealtimeConfig, GlmAsrConfig.__post_init__: "text_config = {**sub_configs_defaults
#: ['text_config'].init_kwargs, **self.text_config}"): a key the text config omits takes the
#: wrapper's default, not the text class's
_MERGED_TEXT_KWARGS = frozenset({"voxtral", "voxtral_realtime", "glmasr"})
#: Composite types whose head is never tied, whatever tie_word_embeddings says
#: (Qwen2AudioForConditionalGeneration, VoxtralForConditionalGeneration: no
#: _tied_weights_keys, the lm_head stays its own; VibeVoiceAsrForConditionalGeneration,
#: OmniASRForConditionalGeneration and Nemotron3_5TranscribeForConditionalGeneration too)
_NEVER_TIED_WRAPPERS = frozenset(
    {"qwen2_audio", "voxtral", "vibevoice_asr", "omniasr", "nemo_speechlm"}
)
#: Composite types whose tie_word_embeddings left unset (None) takes the text config's
#: (PerceptionLMConfig: "if self.tie_word_embeddings is None: ... self.text_config")
_TIE_UNSET_FROM_TEXT = frozenset({"perception_lm"})
#: Composite types that build a missing text_config from these top-level keys alone, with
#: partial_rotary_factor 0.5 (FuyuConfig.__post_init__: the init_kwargs keys of its text
#: sub-config, rope_scaling and rope_theta; none of them: the text class's defaults)
_TOP_LEVEL_TEXT_KEYS: dict[str, tuple[str, ...]] = {
    "fuyu": (
        "vocab_size",
        "max_position_embeddings",
        "hidden_size",
        "intermediate_size",
        "num_hidden_layers",
        "num_attention_heads",
        "hidden_act",
        "initializer_range",
        "layer_norm_eps",
        "use_cache",
        "qk_layernorm",
        "hidden_dropout",
        "attention_dropout",
        "eos_token_id",
        "rope_scaling",
        "rope_theta",
    )
}

#: Composite types whose untied lm_head the wrapper sizes by its own top-level vocab_size and
#: hidden_size, not the text config's (Ovis2ForConditionalGeneration: ``nn.Linear(
#: config.hidden_size, config.vocab_size)``); a tied head is the text model's embedding
_OUTER_HEAD = frozenset({"ovis2"})

#: Composite types whose language model is a sub-model's: the sub-config key and the
#: ``model_type`` it is read as (Qwen3OmniMoeConfig, Qwen2_5OmniConfig: the thinker's
#: ``text_config``; the talker and code2wav / token2wav speech models are not read)
_SUB_MODEL = {
    "qwen3_omni_moe": ("thinker_config", "qwen3_omni_moe_thinker"),
    "qwen2_5_omni": ("thinker_config", "qwen2_5_omni_thinker"),
}

#: Composite types whose config keeps its text config under a legacy key where
#: ``text_config`` is absent (NemotronH_Omni_Reasoning_V3_Config._legacy_field_names:
#: ``"llm_config": "text_config"``, the key the released checkpoints write)
_LEGACY_TEXT = {"nemotron_h_omni": "llm_config"}


def _text_config(
    data: Mapping[str, Any], where: str, family: Family
) -> tuple[dict[str, Any], str, str]:
    """The text config of a wrapper, the ``model_type`` to read it as, and its location."""
    text = data.get("text_config")
    if text is None and family.model_type in _LEGACY_TEXT:
        text = data.get(_LEGACY_TEXT[family.model_type])
    if text is None and family.model_type in _TOP_LEVEL_TEXT:
        # Qwen2VLConfig / Qwen2_5_VLConfig: "text_config is None" builds the text config
        # from the top-level keys (the layout of the checkpoints released before it)
        text = {k: v for k, v in data.items() if k not in ("vision_config", "model_type")}
    if text is None and family.model_type in _TOP_LEVEL_TEXT_KEYS:
        keys = _TOP_LEVEL_TEXT_KEYS[family.model_type]
        text = {k: data[k] for k in keys if k in data}
        if text:
            text["partial_rotary_factor"] = 0.5
    if text is None and family.model_type in _DEFAULT_TEXT:
        text = dict(_DEFAULT_TEXT_KWARGS.get(family.model_type, {}))
    elif isinstance(text, Mapping) and family.model_type in _MERGED_TEXT_KWARGS:
        text = {**_DEFAULT_TEXT_KWARGS[family.model_type], **text}
    if not isinstance(text, Mapping):
        raise ConfigError(
            f"{where} (model_type {family.model_type!r}): missing required field 'text_config'"
        )
    inner = text.get("model_type")
    named = isinstance(inner, str) and inner in FAMILIES and FAMILIES[inner].read is not None
    if family.model_type in _NAMED_TEXT and isinstance(inner, str) and not named:
        if inner in _SEQ2SEQ_TEXT or text.get("is_encoder_decoder") is True:
            raise ConfigError(
                f"{where} › text_config: model_type {inner!r} is an encoder-decoder language "
                f"model ({family.model_type} builds it as AutoModelForSeq2SeqLM): not supported"
            )
        raise _unsupported(f"{where} › text_config", inner)
    if not isinstance(inner, str) or inner not in FAMILIES or FAMILIES[inner].read is None:
        inner = family.text_config or TEXT_CONFIGS.get(family.model_type, "")
    out = dict(text)
    # transformers ties a composite model's head by the top-level config's
    # tie_word_embeddings (its class default when absent), not by the text config's
    tie = data.get(_TIE, DEFAULTS.get(family.model_type, {}).get(_TIE))
    if family.model_type in _DEFAULT_TEXT and tie is None:
        tie = None if family.model_type in _TIE_UNSET_FROM_TEXT else False
    if family.model_type in _TIE_EITHER:
        # a flat layout's text config is built from the top-level keys other than the
        # wrapper's own fields, tie_word_embeddings among them: it keeps the text default
        nested = data.get("text_config")
        own = nested.get(_TIE) if isinstance(nested, Mapping) else None
        text_tie = DEFAULTS.get(inner, {}).get(_TIE) if own is None else own
        tie = tie is True or text_tie is True
    if family.tie_from == "text":
        tie = None
    if family.model_type in _TIE_FROM_TEXT and text.get(_TIE) is True:
        # Glm4vConfig, Qwen2VLConfig ...: "pre-v5 saves placed tie_word_embeddings inside
        # text_config. Forward it to the outer"
        tie = True
    if isinstance(tie, bool):
        out[_TIE] = tie
    if "quantization_config" not in out and "quantization_config" in data:
        out["quantization_config"] = data["quantization_config"]
    return out, inner, f"{where} › text_config"


def _default_text_note(data: Mapping[str, Any], model_type: str, inner: str) -> str:
    """What a composite config without text_config is read as, and the keys left unread."""
    aliases = ALIASES.get(inner, {})
    known = set(DEFAULTS.get(inner, {})) | set(aliases) | set(aliases.values())
    d = DEFAULTS.get(inner, {})
    unread = sorted(k for k in data if k in known and data[k] != d.get(k))
    tail = f"; top-level keys differing from them, not read: {', '.join(unread)}" if unread else ""
    kwargs = " and its own text sizes" if model_type in _DEFAULT_TEXT_KWARGS else ""
    return f"no text_config: {model_type} builds its text model from {inner} defaults{kwargs}{tail}"


def _outer_head(
    data: Mapping[str, Any], where: str, model_type: str, f: Mapping[str, Any], assumed: list[str]
) -> dict[str, Any]:
    """The head fields of an :data:`_OUTER_HEAD` type's untied ``lm_head``.

    ``Ovis2ForConditionalGeneration.lm_head`` maps the top-level ``hidden_size`` to the
    top-level ``vocab_size`` (Ovis2Config defaults 1536 and 151643); the text model's
    ``embed_tokens`` keeps its own rows (``embedding_rows``). A head reading another width
    than the text model's cannot run; one with more rows than the embedding is not modelled.
    """
    top = Reader(data, where, model_type)
    hidden, vocab = f["hidden_size"], f["vocab_size"]
    head_in, head_out = top.integer("hidden_size"), top.integer("vocab_size")
    assumed += [a for a in top.assumed if a not in assumed]
    if head_in != hidden:
        raise top.fail(
            f"hidden_size ({head_in}) is the untied lm_head's input, but the text model's "
            f"hidden states are {hidden} wide: the head cannot read them"
        )
    if head_out > vocab:
        raise top.fail(
            f"vocab_size ({head_out}) gives the untied lm_head more rows than the text "
            f"model's embedding ({vocab}): not modelled"
        )
    return {"vocab_size": head_out, "embedding_rows": vocab if head_out != vocab else None}


def _windowless(r: Reader, f: dict[str, Any]) -> dict[str, Any]:
    """Sliding or chunked layers with no window or chunk size attend to every token."""
    types = f.get("layer_types", ())
    for kind, key in (("sliding", "sliding_window"), ("chunked", "attention_chunk_size")):
        if kind in types and not f.get(key):
            types = tuple("full" if t == kind else t for t in types)
            r.note(f"{kind} layers attend fully ({key} is null)")
    return f | {"layer_types": types} if types else f


#: Keys that say a config's attention uses rotary position embeddings.
_ROPE_KEYS = ("rope_theta", "rope_scaling", "rope_parameters", "rotary_dim", "rotary_pct")


def _rope_dim(data: Mapping[str, Any], f: Mapping[str, Any]) -> int:
    """Dimensions of a head that RoPE rotates; 0 without a RoPE key (learned, ALiBi).

    MLA rotates ``qk_rope_head_dim``; GPT-J / Phi-2 state ``rotary_dim``; GPT-NeoX
    ``rotary_pct`` and others ``partial_rotary_factor`` (top level or in a
    ``rope_parameters`` entry) a fraction of ``head_dim``.
    """
    if not any(k in data for k in _ROPE_KEYS):
        return 0
    mla = f.get("mla")
    if mla is not None:
        return int(mla.qk_rope_head_dim)
    compressed = f.get("compressed_attention")
    if compressed is not None:
        return int(compressed.rope_dim)
    head = int(f.get("head_dim") or 0)
    if isinstance(data.get("rotary_dim"), int) and data["rotary_dim"] > 0:
        return int(data["rotary_dim"])
    frac = data.get("partial_rotary_factor", data.get("rotary_pct"))
    params = data.get("rope_parameters")
    if frac is None and isinstance(params, Mapping):
        inner = [v for v in params.values() if isinstance(v, Mapping)] or [params]
        fracs = [v.get("partial_rotary_factor") for v in inner]
        frac = max((x for x in fracs if isinstance(x, int | float)), default=None)
    if isinstance(frac, int | float) and 0 < frac <= 1:
        return int(head * frac)
    return head


#: The sliding layers' own RoPE base under a legacy key, and the config class default
#: where a type's class sets one (Gemma3TextConfig: ``rope_local_base_freq`` 10,000
#: against ``rope_theta`` 1,000,000; MiMo-V2-Flash: ``swa_rope_theta``)
_LOCAL_BASE_KEYS = ("rope_local_base_freq", "swa_rope_theta")
_LOCAL_BASE_DEFAULT = {"gemma3_text": (10000.0, 1000000.0)}
#: Rope types whose vLLM table holds ``max_position × factor`` rows
#: (``LinearScalingRotaryEmbedding``, ``DynamicNTKScalingRotaryEmbedding``)
_SCALED_ROWS = ("linear", "dynamic")


def _rope_rows(p: Mapping[str, Any], positions: int) -> float:
    """Rows of one RoPE configuration's cos/sin table per ``max_position_embeddings`` [-].

    vLLM builds ``max_position · factor`` rows for linear and dynamic-NTK scaling, and
    ``original_max_position_embeddings · factor`` for YaRN (``yarn_scaling_rope.py``).
    """
    kind = p.get("rope_type", p.get("type"))
    factor = p.get("factor")
    if not isinstance(factor, int | float) or factor <= 0:
        return 1.0
    if kind in _SCALED_ROWS:
        return float(factor)
    original = p.get("original_max_position_embeddings")
    if kind == "yarn" and isinstance(original, int) and original > 0 and positions > 0:
        return float(original * factor / positions)
    return 1.0


def _rope_tables(
    data: Mapping[str, Any], f: Mapping[str, Any], model_type: str
) -> tuple[tuple[int, float], ...]:
    """(width, rows per max position) of each cos/sin table an engine builds; () for one.

    vLLM's ``get_rope`` builds one table per distinct (head size, rotary dim, base,
    scaling) and shares it between the layers that use it, so a model whose sliding and
    full layers rotate with different bases or widths holds two: Gemma 3 (its sliding
    layers' ``rope_local_base_freq`` and the full layers' linear scaling), Gemma 4
    (per-layer-type ``rope_parameters``; ``proportional`` RoPE builds a table as wide as
    the head, ``Gemma4RotaryEmbedding``) and MiMo-V2-Flash (``swa_rope_theta``).
    """
    width = int(f.get("rope_dim") or 0)
    positions = int(f.get("max_position_embeddings") or 0)
    if not width:
        return ()
    kinds = set(f.get("layer_types") or ())
    params = data.get("rope_parameters")
    scaling = data.get("rope_scaling")
    if {"full", "sliding"} <= kinds and isinstance(params, Mapping):
        nested = [params.get(k) for k in ("full_attention", "sliding_attention")]
        if all(isinstance(x, Mapping) for x in nested):
            head = int(f.get("head_dim") or 0)
            tables: dict[str, tuple[int, float]] = {}
            for key, x in zip(("full", "sliding"), nested, strict=True):
                assert isinstance(x, Mapping)
                dims = f.get(f"{key}_attention")
                h = int(getattr(dims, "head_dim", 0) or head)
                frac = x.get("partial_rotary_factor", 1.0)
                frac = frac if isinstance(frac, int | float) and 0 < frac <= 1 else 1.0
                w = h if x.get("rope_type") == "proportional" else int(h * frac)
                tables[repr(sorted(x.items()))] = (w, _rope_rows(x, positions))
            return tuple(tables.values())
    flat = (
        scaling if isinstance(scaling, Mapping) else params if isinstance(params, Mapping) else {}
    )
    full = (width, _rope_rows(flat, positions))
    local = next((data[k] for k in _LOCAL_BASE_KEYS if k in data), None)
    base = data.get("rope_theta")
    if local is None and model_type in _LOCAL_BASE_DEFAULT and {"full", "sliding"} <= kinds:
        local, default_base = _LOCAL_BASE_DEFAULT[model_type]
        base = default_base if base is None else base
    if local is not None and {"full", "sliding"} <= kinds and (local != base or full[1] != 1):
        # the sliding layers rotate with their own base and no scaling (vLLM gemma3.py,
        # mimo_v2_flash.py)
        return (full, (width, 1.0))
    return () if full[1] == 1 else (full,)


#: Families whose transformers rotary embedding applies M-RoPE with default sections
#: where a config states none (``config.rope_parameters.get("mrope_section", [...])``,
#: transformers 5.24); their checkpoints state the sections.
_MROPE_FAMILIES = (
    "cohere_compass cosmos3_edge ernie4_5_vl_moe glm4v glm4v_moe glm_image glm_ocr hy_v4_vl "
    "paddleocr_vl qwen2_5_omni qwen2_5_vl qwen2_vl qwen3_5 qwen3_5_moe qwen3_omni_moe qwen3_vl "
    "qwen3_vl_moe qwen4_exp"
).split()
_MROPE_TYPES = frozenset(f + tail for f in _MROPE_FAMILIES for tail in ("", "_text", "_thinker"))


def _uses_mrope(*configs: Any) -> bool:
    """Whether a rope configuration states M-RoPE sections (vLLM ``uses_mrope``).

    vLLM (``transformers_utils/config.py``) looks for ``mrope_section`` in the
    ``rope_scaling`` (later ``rope_parameters``) of the config and of its text config.
    """
    for c in configs:
        if not isinstance(c, Mapping):
            continue
        for key in ("rope_scaling", "rope_parameters"):
            rope = c.get(key)
            if isinstance(rope, Mapping) and (
                "mrope_section" in rope
                or any(isinstance(v, Mapping) and "mrope_section" in v for v in rope.values())
            ):
                return True
    return False


def read_hf_config(config: str | Path | Mapping[str, Any], name: str | None = None) -> ModelConfig:
    """Read a Hugging Face ``config.json`` (a path or an already-parsed dict).

    Raises
    ------
    ConfigError
        Unknown ``model_type`` (one line naming it), an ill-typed field (named
        in the message), or an impossible architecture (with the reason).
    """
    data, where = load(config)
    model_type = data.get("model_type")
    if not isinstance(model_type, str):
        raise ConfigError(f"{where}: missing required field 'model_type'")
    family = FAMILIES.get(model_type)
    if family is None:
        raise _unsupported(where, model_type)
    outer = model_type
    if model_type in _SUB_MODEL:
        key, model_type = _SUB_MODEL[model_type]
        sub = data.get(key)
        if not isinstance(sub, Mapping | None):
            raise ConfigError(f"{where}: field {key!r} must be an object")
        # Qwen3OmniMoeConfig / Qwen2_5OmniConfig: a missing thinker_config is the thinker
        # class's defaults (sub_configs_defaults)
        data, where = {**(sub or {}), "model_type": model_type}, f"{where} › {key}"
        family = FAMILIES[model_type]
    inner_data, inner, inner_where = data, model_type, where
    if family.read is None:
        inner_data, inner, inner_where = _text_config(data, where, family)
        family = FAMILIES.get(inner, family)
        if family.read is None:
            raise _unsupported(inner_where, inner or model_type)
    r = Reader(inner_data, inner_where, inner, nested=inner_data is not data)
    legacy = data.get(_LEGACY_TEXT.get(model_type, ""))
    if model_type in _DEFAULT_TEXT and data.get("text_config") is None and legacy is None:
        r.note(_default_text_note(data, model_type, inner))
    given = data.get("text_config")
    if model_type in _MERGED_TEXT_KWARGS and isinstance(given, Mapping):
        filled = sorted(k for k in _DEFAULT_TEXT_KWARGS[model_type] if k not in given)
        if filled:
            r.note(f"text_config keys from {model_type}'s own text defaults: {', '.join(filled)}")
    if outer != model_type:
        # Qwen3OmniMoeForConditionalGeneration / Qwen2_5OmniForConditionalGeneration: thinker
        # (audio_tower, visual, language_model), talker and code2wav / token2wav
        r.note(f"{outer}: only its thinker's language model is read (no audio, talker, vocoder)")
    try:
        assert family.read is not None
        fields = _windowless(r, family.read(r))
        fields.setdefault("rope_dim", _rope_dim(inner_data, fields))
        tables = _rope_tables(inner_data, fields, inner)
        if tables:
            fields["rope_tables"] = tables
        if fields["rope_dim"] and (_uses_mrope(inner_data, data) or {outer, inner} & _MROPE_TYPES):
            fields["mrope"] = True
        quant = inner_data.get("quantization_config", data.get("quantization_config"))
        if quant is not None:
            fields["checkpoint_quantization"] = checkpoint_quantization(quant)
        cq = fields.get("checkpoint_quantization")
        if cq is not None and cq.experts is None and inner_data.get("expert_dtype") == "fp4":
            # DeepSeek-V4: routed experts in FP4 with a ue8m0 scale per 32 values beside the
            # FP8 blocks (vLLM _DEEPSEEK_V4_EXPERT_DTYPES, loaded by Mxfp4MoEMethod)
            fields["checkpoint_quantization"] = cq.model_copy(update={"experts": "mxfp4"})
        if "cross" in fields.get("layer_types", ()) and "cross_attention_tokens" not in fields:
            # Mllama: each cross layer caches K and V of one image's vision tokens
            fields["cross_attention_tokens"] = cross_attention_tokens(data, where, r.assumed)
        if inner_data is not data and (
            "vision_config" in data or model_type in _DEFAULT_TEXT or model_type in DEFAULT_TOWERS
        ):
            # a speech wrapper's tower is its audio encoder (the Omni thinkers': both)
            audio = model_type in AUDIO_TYPES
            read = audio_tower if audio else vision_tower
            tower = read(data, model_type, fields["hidden_size"], where, r.assumed)
            if tower is None:
                what = "audio encoder" if audio else "vision tower"
                r.note(f"{what} of {model_type!r} not counted (include_vision adds nothing)")
            fields["vision"] = tower
        if model_type in _OUTER_HEAD and not fields.get(_TIE):
            fields |= _outer_head(data, where, model_type, fields, r.assumed)
        never = inner if inner in NEVER_TIED else model_type
        if fields.get(_TIE) and (inner in NEVER_TIED or model_type in _NEVER_TIED_WRAPPERS):
            # e.g. NemotronHForCausalLM: _tied_weights_keys is empty, the head stays its own
            fields[_TIE] = False
            r.note(f"tie_word_embeddings ignored ({never} never ties its head)")
        if name is None:
            name = str(data.get("_name_or_path") or model_type)
        return ModelConfig(name=name, model_type=outer, assumed=tuple(r.assumed), **fields)
    except ValidationError as e:
        msgs = "; ".join(
            f"{'.'.join(str(x) for x in err['loc']) or 'config'}: {err['msg']}"
            for err in e.errors()
        )
        raise ConfigError(f"{inner_where} (model_type {model_type!r}): {msgs}") from None
    except RecursionError:
        raise ConfigError(f"{inner_where}: config nested too deeply") from None
