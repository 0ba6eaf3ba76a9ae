"""The audio encoder (and projector) of a speech language model: a tower engines load beside it.

:func:`audio_tower` reads the encoders whose code the library follows tensor by
tensor, as a :class:`~llmsizing.model.VisionTower` of an audio kind
(:data:`llmsizing.model.AudioKind`); ``include_vision`` switches it on or off as it
does a vision tower:

==========================  ===================================  =====================
``model_type``              encoder and projector                 kind
==========================  ===================================  =====================
``qwen2_audio``             ``Qwen2AudioEncoder``, one linear     ``whisper`` [1]_
``voxtral``                 ``VoxtralEncoder``, two linears       ``whisper`` [2]_
``qwen2_5_omni``            thinker ``audio_tower`` (and          ``qwen2_5_omni_audio``
                            ``visual``, Qwen2.5-VL's code)        [3]_
``qwen3_omni_moe``          thinker ``audio_tower`` (and          ``qwen3_omni_audio``
                            ``visual``, Qwen3-VL's code)          [4]_
``qwen3_asr``               ``Qwen3ASREncoder``, two linears      ``qwen3_asr`` [5]_
``glmasr``                  ``GlmAsrEncoder``, two linears        ``glmasr`` [6]_
``voxtral_realtime``        ``VoxtralRealtimeEncoder``            ``voxtral_realtime``
                                                                  [7]_
``fun_asr_nano``            ``FunAsrNanoEncoder``, adaptor        ``fun_asr_nano`` [8]_
``granite_speech``,         ``GraniteSpeechCTCEncoder``,          ``conformer`` [9]_
``granite_speech_plus``     Q-Former projector
==========================  ===================================  =====================

A key the sub-config omits takes the transformers class's default (recorded in
``assumed``); an absent sub-config is the class's defaults, as the wrapper builds
it. The Omni thinkers' vision encoders are Qwen2.5-VL's and Qwen3-VL's code
(``Qwen2_5OmniVisionEncoder``: q, k and v as three linear layers where Qwen2.5-VL
fuses them, the same parameters): the vision tower is counted with the audio
tower beside it (:attr:`~llmsizing.model.VisionTower.audio_tower`). The other
speech types (``vibevoice_asr``, ``moss_transcribe_diarize``, ``nemo_speechlm``,
``omniasr``) keep ``vision=None`` and say "audio encoder ... not counted".

References
----------
.. [1] transformers ``models/qwen2_audio/modeling_qwen2_audio.py``
   (``Qwen2AudioEncoder``, ``Qwen2AudioMultiModalProjector``).
.. [2] transformers ``models/voxtral/modeling_voxtral.py`` (``VoxtralEncoder``,
   ``VoxtralMultiModalProjector``).
.. [3] transformers ``models/qwen2_5_omni/modeling_qwen2_5_omni.py``
   (``Qwen2_5OmniAudioEncoder``, ``Qwen2_5OmniVisionEncoder``).
.. [4] transformers ``models/qwen3_omni_moe/modeling_qwen3_omni_moe.py``
   (``Qwen3OmniMoeAudioEncoder``, ``Qwen3OmniMoeVisionEncoder``).
.. [5] transformers ``models/qwen3_asr/modeling_qwen3_asr.py`` (``Qwen3ASREncoder``,
   ``Qwen3ASRMultiModalProjector``).
.. [6] transformers ``models/glmasr/modeling_glmasr.py`` (``GlmAsrEncoder``,
   ``GlmAsrMultiModalProjector``).
.. [7] transformers ``models/voxtral_realtime/modeling_voxtral_realtime.py``
   (``VoxtralRealtimeEncoder``, ``VoxtralRealtimeMultiModalProjector``; the time
   embedding is a buffer).
.. [8] transformers ``models/fun_asr_nano/modeling_fun_asr_nano.py``
   (``FunAsrNanoEncoder``, ``FunAsrNanoMultiModalProjector``).
.. [9] transformers ``models/granite_speech/modeling_granite_speech.py``
   (``GraniteSpeechCTCEncoder``, ``GraniteSpeechEncoderProjector``) and
   ``models/blip_2/modeling_blip_2.py`` (``Blip2QFormerModel``).

Examples
--------
>>> import llmsizing as ls
>>> v = ls.read_hf_config({"model_type": "qwen2_audio"}).vision
>>> v.kind, v.depth, v.position_embeddings
('whisper', 32, 1500)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from llmsizing.hf._common import positive
from llmsizing.hf._reader import Reader
from llmsizing.hf.vision import vision_tower
from llmsizing.model import AudioKind, VisionTower

__all__ = ["AUDIO_TYPES", "audio_tower"]

#: Far above any released audio encoder, far below what only a typo produces.
_LIMIT = 10**6
_DEPTH = 10**4

#: The speech wrappers :func:`audio_tower` reads, and those whose encoder it does not follow
_READ = frozenset(
    {
        "qwen2_audio",
        "voxtral",
        "qwen2_5_omni_thinker",
        "qwen3_omni_moe_thinker",
        "qwen3_asr",
        "glmasr",
        "voxtral_realtime",
        "fun_asr_nano",
        "granite_speech",
        "granite_speech_plus",
    }
)
#: Every speech wrapper: its uncounted tower is an "audio encoder", not a "vision tower".
AUDIO_TYPES = _READ | {"vibevoice_asr", "moss_transcribe_diarize", "nemo_speechlm", "omniasr"}

#: ``attribute_map`` of the Whisper-style encoder configs (Qwen2AudioEncoderConfig, ...)
_WHISPER_NAMES = {
    "encoder_layers": "num_hidden_layers",
    "d_model": "hidden_size",
    "encoder_attention_heads": "num_attention_heads",
    "encoder_ffn_dim": "intermediate_size",
}
#: transformers 5.24 defaults of the keys that shape parameters, by encoder config class
_QWEN2_AUDIO = {
    "num_mel_bins": 128,
    "num_hidden_layers": 32,
    "hidden_size": 1280,
    "intermediate_size": 5120,
    "max_source_positions": 1500,
}
_QWEN3_AUDIO = _QWEN2_AUDIO | {"output_dim": 3584, "downsample_hidden_size": 480}
_QWEN3_ASR = _QWEN3_AUDIO | {
    "num_hidden_layers": 24,
    "hidden_size": 1024,
    "intermediate_size": 4096,
}
_GLMASR = {
    "num_mel_bins": 128,
    "num_hidden_layers": 32,
    "hidden_size": 1280,
    "intermediate_size": 5120,
    "num_attention_heads": 20,
}
_VOXTRAL_REALTIME = _GLMASR | {"num_attention_heads": 32, "head_dim": 64}
_FUN_ASR = {
    "num_mel_bins": 80,
    "hidden_size": 512,
    "intermediate_size": 2048,
    "num_hidden_layers": 70,
    "num_stacked_frames": 7,
    "num_timestamp_prediction_layers": 20,
    "fsmn_kernel_size": 11,
}
_FUN_ADAPTOR = {
    "hidden_size": 1024,
    "intermediate_size": 256,
    "num_hidden_layers": 2,
    "projector_hidden_size": 2048,
}
_GRANITE_NAMES = {
    "hidden_size": "hidden_dim",
    "num_hidden_layers": "num_layers",
    "num_attention_heads": "num_heads",
    "num_mel_bins": "input_dim",
}
_GRANITE = {
    "input_dim": 160,
    "num_layers": 10,
    "hidden_dim": 1024,
    "feedforward_mult": 4,
    "num_heads": 8,
    "output_dim": 42,
    "max_pos_emb": 512,
    "conv_kernel_size": 15,
    "conv_expansion_factor": 2,
}
_QFORMER = {
    "hidden_size": 768,
    "num_hidden_layers": 12,
    "num_attention_heads": 12,
    "intermediate_size": 3072,
    "cross_attention_frequency": 2,
    "encoder_hidden_size": 1408,
}
#: Qwen2_5OmniVisionEncoderConfig / Qwen3OmniMoeVisionEncoderConfig (attribute_map:
#: num_hidden_layers -> depth)
_OMNI_VISION: dict[str, tuple[str, dict[str, Any]]] = {
    "qwen2_5_omni_thinker": (
        "qwen2_5_vl",
        {
            "depth": 32,
            "hidden_size": 3584,
            "intermediate_size": 3420,
            "in_channels": 3,
            "patch_size": 14,
            "spatial_merge_size": 2,
            "temporal_patch_size": 2,
            "out_hidden_size": 3584,
        },
    ),
    "qwen3_omni_moe_thinker": (
        "qwen3_vl",
        {
            "depth": 27,
            "hidden_size": 1152,
            "intermediate_size": 4304,
            "in_channels": 3,
            "patch_size": 16,
            "spatial_merge_size": 2,
            "temporal_patch_size": 2,
            "out_hidden_size": 3584,
            "num_position_embeddings": 2304,
            "deepstack_visual_indexes": [8, 16, 24],
        },
    ),
}

#: wrapper -> (sub-config key, the encoder model_type its AutoConfig builds, config class)
_SUB = {
    "qwen2_audio": ("audio_config", "qwen2_audio_encoder", "Qwen2AudioEncoderConfig"),
    "voxtral": ("audio_config", "voxtral_encoder", "VoxtralEncoderConfig"),
    "qwen2_5_omni_thinker": (
        "audio_config",
        "qwen2_5_omni_audio_encoder",
        "Qwen2_5OmniAudioEncoderConfig",
    ),
    "qwen3_omni_moe_thinker": (
        "audio_config",
        "qwen3_omni_moe_audio_encoder",
        "Qwen3OmniMoeAudioEncoderConfig",
    ),
    "qwen3_asr": ("audio_config", "qwen3_asr_encoder", "Qwen3ASREncoderConfig"),
    "glmasr": ("audio_config", "glmasr_encoder", "GlmAsrEncoderConfig"),
    "voxtral_realtime": (
        "audio_config",
        "voxtral_realtime_encoder",
        "VoxtralRealtimeEncoderConfig",
    ),
    "fun_asr_nano": ("audio_config", "fun_asr_nano_encoder", "FunAsrNanoEncoderConfig"),
    # GraniteSpeech(Plus)Config: SubConfigSpec(config_class=GraniteSpeech(Plus)EncoderConfig),
    # whatever model_type the dict names
    "granite_speech": ("encoder_config", "", "GraniteSpeechEncoderConfig"),
    "granite_speech_plus": ("encoder_config", "", "GraniteSpeechPlusEncoderConfig"),
}


class _Sub:
    """A sub-config read with its class's defaults and attribute_map, noting each default."""

    def __init__(
        self,
        data: Mapping[str, Any],
        key: str,
        cls: str,
        defaults: Mapping[str, Any],
        names: Mapping[str, str],
        where: str,
        model_type: str,
    ) -> None:
        raw = data.get(key)
        self.absent = raw is None
        given: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
        # attribute_map: any spelling of a key lands on its canonical name
        canon = {names.get(k, k): v for k, v in given.items() if k not in names}
        canon |= {names[k]: v for k, v in given.items() if k in names and names[k] not in canon}
        self.given = canon
        self.valid = raw is None or isinstance(raw, Mapping)
        self.cls = cls
        self.defaults = defaults
        self.r = Reader(canon, f"{where} › {key}", f"{model_type} audio tower")
        self.key = key

    def size(self, key: str, limit: int = _LIMIT, zero: bool = False) -> int:
        """A positive integer (or ≥ 0 where ``zero``) at most ``limit``."""
        why = f"transformers {self.cls} default"
        value = self.r.integer(key, self.defaults.get(key), why=why)
        if not zero:
            positive(self.r, key, value)
        if value > limit:
            raise self.r.fail(f"field {key!r} is {value:,}, beyond any audio encoder")
        return value

    def notes(self) -> list[str]:
        if self.absent:
            return [f"{self.key} absent: the {self.cls} defaults (as the wrapper builds it)"]
        return [f"{self.key}: {a}" for a in self.r.assumed]


def audio_tower(
    data: Mapping[str, Any],
    model_type: str,
    text_hidden: int,
    where: str = "config",
    assumed: list[str] | None = None,
) -> VisionTower | None:
    """The audio :class:`~llmsizing.model.VisionTower` of a speech wrapper's config, or None.

    For the Omni thinkers the vision tower is returned with the audio tower beside it
    (:attr:`~llmsizing.model.VisionTower.audio_tower`), or either alone.

    Parameters
    ----------
    data : mapping
        The wrapper's ``config.json`` (the Omni thinker's ``thinker_config``).
    model_type : str
        Its ``model_type`` (``qwen2_5_omni_thinker`` for a Qwen2.5-Omni checkpoint).
    text_hidden : int
        Hidden size of the text model the projector writes [-].

    Raises
    ------
    ConfigError
        For an encoder config with an ill-typed or impossible size, naming the field.
    """
    if model_type not in _READ:
        return None
    notes: list[str] = []
    key, encoder, cls = _SUB[model_type]
    defaults, names = _ENCODER_DEFAULTS[model_type]
    s = _Sub(data, key, cls, defaults, names, where, model_type)
    given_type = s.given.get("model_type", encoder)
    if not s.valid or (encoder and given_type != encoder):
        tower = None  # another encoder than the wrapper's own: not modelled
    else:
        tower = _READERS[model_type](s, data, text_hidden, where, notes)
        if tower is not None:
            notes[:0] = s.notes()
    if model_type in _OMNI_VISION:
        visual = _omni_vision(data, model_type, where, notes)
        if visual is None:
            notes.append(f"vision tower of {model_type!r} not counted")
        elif tower is None:
            notes.append(f"audio encoder of {model_type!r} not counted")
            tower = visual
        else:
            tower = visual.model_copy(update={"audio_tower": tower})
    if assumed is not None:
        assumed += [n for n in notes if n not in assumed]
    return tower


def _omni_vision(
    data: Mapping[str, Any], model_type: str, where: str, notes: list[str]
) -> VisionTower | None:
    """The Omni thinker's ``visual``: its class's defaults under the given keys."""
    reads_as, defaults = _OMNI_VISION[model_type]
    given = data.get("vision_config")
    if given is not None and not isinstance(given, Mapping):
        return None
    given = dict(given or {})
    expected = model_type.removesuffix("_thinker") + "_vision_encoder"
    if given.get("model_type", expected) != expected:
        return None
    if "num_hidden_layers" in given and "depth" not in given:
        given["depth"] = given.pop("num_hidden_layers")
    filled = sorted(k for k in defaults if given.get(k) is None)
    if filled:
        notes.append(f"vision_config keys from the class defaults: {', '.join(filled)}")
    merged = {**defaults, **{k: v for k, v in given.items() if v is not None}}
    return vision_tower({"vision_config": merged}, reads_as, 0, f"{where}", notes)


def _whisper(
    s: _Sub, data: Mapping[str, Any], text_hidden: int, where: str, notes: list[str]
) -> VisionTower:
    """Qwen2AudioEncoder + one biased linear; VoxtralEncoder + two unbiased linears."""
    h, inter = s.size("hidden_size"), s.size("intermediate_size")
    voxtral = s.cls == "VoxtralEncoderConfig"
    return VisionTower(
        kind="whisper",
        depth=s.size("num_hidden_layers", _DEPTH),
        hidden_size=h,
        intermediate_size=inter,
        patch_size=0,
        in_channels=s.size("num_mel_bins"),
        position_embeddings=s.size("max_source_positions"),
        out_hidden_size=text_hidden,
        # VoxtralMultiModalProjector: linear_1 reads audio_config.intermediate_size features
        projector_input_size=inter if voxtral else h,
        projector_hidden_size=text_hidden if voxtral else 0,
        projector_bias=not voxtral,
    )


def _qwen_omni(
    s: _Sub, data: Mapping[str, Any], text_hidden: int, where: str, notes: list[str]
) -> VisionTower:
    """Qwen2_5OmniAudioEncoder, Qwen3OmniMoeAudioEncoder, Qwen3ASREncoder (+ its projector)."""
    h = s.size("hidden_size")
    kind = _QWEN_KINDS[s.cls]
    asr, omni25 = kind == "qwen3_asr", kind == "qwen2_5_omni_audio"
    return VisionTower(
        kind=kind,
        depth=s.size("num_hidden_layers", _DEPTH),
        hidden_size=h,
        intermediate_size=s.size("intermediate_size"),
        patch_size=0,
        in_channels=s.size("num_mel_bins"),
        out_hidden_size=s.size("output_dim"),
        downsample_hidden_size=0 if omni25 else s.size("downsample_hidden_size"),
        # Qwen3ASRMultiModalProjector: Linear(d_model, d_model), Linear(d_model, output_dim)
        projector_input_size=h if asr else 0,
        projector_hidden_size=h if asr else 0,
        projector_bias=asr,
    )


def _glmasr(
    s: _Sub, data: Mapping[str, Any], text_hidden: int, where: str, notes: list[str]
) -> VisionTower | None:
    """GlmAsrEncoder + GlmAsrMultiModalProjector (intermediate_size → 2 · text → text)."""
    h, inter = s.size("hidden_size"), s.size("intermediate_size")
    heads = s.size("num_attention_heads")
    kv = s.given.get("num_key_value_heads")
    # GlmAsrEncoderConfig: num_key_value_heads None is num_attention_heads
    kv = heads if kv is None else s.size("num_key_value_heads")
    # GlmAsrAttention: getattr(config, "head_dim", hidden_size // num_attention_heads)
    hd = s.size("head_dim") if s.given.get("head_dim") is not None else h // heads
    if not hd:
        return None  # heads wider than the encoder: zero-width projections, not modelled
    return VisionTower(
        kind="glmasr",
        depth=s.size("num_hidden_layers", _DEPTH),
        hidden_size=h,
        intermediate_size=inter,
        patch_size=0,
        in_channels=s.size("num_mel_bins"),
        out_hidden_size=text_hidden,
        num_heads=heads,
        num_kv_heads=kv,
        head_dim=hd,
        projector_input_size=inter,
        projector_hidden_size=2 * text_hidden,
        projector_bias=True,
    )


def _voxtral_realtime(
    s: _Sub, data: Mapping[str, Any], text_hidden: int, where: str, notes: list[str]
) -> VisionTower | None:
    """VoxtralRealtimeEncoder + its projector (hidden · downsample_factor → text → text)."""
    h = s.size("hidden_size")
    heads = s.size("num_attention_heads")
    if s.given.get("num_key_value_heads", heads) != heads:
        return None  # attribute_map sends num_key_value_heads to num_attention_heads
    # VoxtralRealtimeEncoderConfig: head_dim None is hidden_size // num_attention_heads
    null = "head_dim" in s.given and s.given["head_dim"] is None
    hd = h // heads if null else s.size("head_dim")
    if not hd:
        return None  # heads wider than the encoder: zero-width projections, not modelled
    top = Reader(data, where, "voxtral_realtime audio tower")
    why = "transformers VoxtralRealtimeConfig default"
    factor = positive(top, "downsample_factor", top.integer("downsample_factor", 4, why=why))
    notes += top.assumed
    return VisionTower(
        kind="voxtral_realtime",
        depth=s.size("num_hidden_layers", _DEPTH),
        hidden_size=h,
        intermediate_size=s.size("intermediate_size"),
        patch_size=0,
        in_channels=s.size("num_mel_bins"),
        out_hidden_size=text_hidden,
        num_heads=heads,
        num_kv_heads=heads,
        head_dim=hd,
        projector_input_size=h * factor,
        projector_hidden_size=text_hidden,
    )


def _fun_asr(
    s: _Sub, data: Mapping[str, Any], text_hidden: int, where: str, notes: list[str]
) -> VisionTower | None:
    """FunAsrNanoEncoder + FunAsrNanoMultiModalProjector (two linears, adaptor layers)."""
    a = _Sub(data, "adaptor_config", "FunAsrNanoAdaptorConfig", _FUN_ADAPTOR, {}, where, "fun_asr")
    if not a.valid:
        return None
    adaptor = a.size("hidden_size")
    tower = VisionTower(
        kind="fun_asr_nano",
        depth=s.size("num_hidden_layers", _DEPTH),
        hidden_size=s.size("hidden_size"),
        intermediate_size=s.size("intermediate_size"),
        patch_size=0,
        # FunAsrNanoEncoderConfig.input_size: the first layer reads stacked mel frames
        in_channels=s.size("num_mel_bins") * s.size("num_stacked_frames"),
        out_hidden_size=adaptor,
        conv_kernel_size=s.size("fsmn_kernel_size"),
        timestamp_layers=s.size("num_timestamp_prediction_layers", _DEPTH, zero=True),
        projector_input_size=s.size("hidden_size"),
        projector_hidden_size=a.size("projector_hidden_size"),
        projector_bias=True,
        projector_depth=a.size("num_hidden_layers", _DEPTH, zero=True),
        projector_intermediate_size=a.size("intermediate_size"),
    )
    notes += a.notes()
    return tower


def _granite(
    s: _Sub, data: Mapping[str, Any], text_hidden: int, where: str, notes: list[str]
) -> VisionTower | None:
    """GraniteSpeechCTCEncoder + GraniteSpeechEncoderProjector (a Q-Former and a linear)."""
    q = _Sub(data, "projector_config", "Blip2QFormerConfig", _QFORMER, {}, where, "granite")
    if not q.valid or q.given.get("model_type", "blip_2_qformer") != "blip_2_qformer":
        return None
    qh, qheads = q.size("hidden_size"), q.size("num_attention_heads")
    if qh % qheads:
        return None  # Blip2QFormerMultiHeadAttention refuses a width not a multiple of heads
    text_input = q.r.boolean("use_qformer_text_input", False)
    h, heads = s.size("hidden_dim"), s.size("num_heads")
    # GraniteSpeechEncoderConfig: dim_head None is hidden_dim // num_heads
    hd = s.size("dim_head") if s.given.get("dim_head") is not None else h // heads
    if not hd:
        return None  # heads wider than the encoder: zero-width projections, not modelled
    top = Reader(data, where, "granite_speech audio tower")
    why = "transformers GraniteSpeechConfig default"
    window = positive(top, "window_size", top.integer("window_size", 15, why=why))
    rate = positive(top, "downsample_rate", top.integer("downsample_rate", 5, why=why))
    tower = VisionTower(
        kind="conformer",
        depth=s.size("num_layers", _DEPTH),
        hidden_size=h,
        intermediate_size=h * s.size("feedforward_mult"),
        patch_size=0,
        in_channels=s.size("input_dim"),
        out_hidden_size=text_hidden,
        num_heads=heads,
        num_kv_heads=heads,
        head_dim=hd,
        position_embeddings=2 * s.size("max_pos_emb") + 1,
        conv_kernel_size=s.size("conv_kernel_size"),
        conv_hidden_size=h * s.size("conv_expansion_factor"),
        ctc_output_dim=s.size("output_dim"),
        projector_input_size=q.size("encoder_hidden_size"),
        projector_hidden_size=qh,
        projector_bias=True,
        projector_depth=q.size("num_hidden_layers", _DEPTH),
        projector_intermediate_size=q.size("intermediate_size"),
        cross_attention_frequency=q.size("cross_attention_frequency"),
        num_queries=window // rate,
        qformer_text_input=text_input,
    )
    if tower.num_queries == 0:
        raise top.fail(f"window_size ({window}) // downsample_rate ({rate}) gives no queries")
    notes += q.notes() + top.assumed
    return tower


_ENCODER_DEFAULTS: dict[str, tuple[Mapping[str, Any], Mapping[str, str]]] = {
    "qwen2_audio": (_QWEN2_AUDIO, _WHISPER_NAMES),
    "voxtral": (_QWEN2_AUDIO, _WHISPER_NAMES),
    "qwen2_5_omni_thinker": (_QWEN3_AUDIO, _WHISPER_NAMES),
    "qwen3_omni_moe_thinker": (_QWEN3_AUDIO, _WHISPER_NAMES),
    "qwen3_asr": (_QWEN3_ASR, _WHISPER_NAMES),
    "glmasr": (_GLMASR, {}),
    "voxtral_realtime": (_VOXTRAL_REALTIME, _WHISPER_NAMES),
    "fun_asr_nano": (_FUN_ASR, {}),
    "granite_speech": (_GRANITE, _GRANITE_NAMES),
    "granite_speech_plus": (_GRANITE, _GRANITE_NAMES),
}
_QWEN_KINDS: dict[str, AudioKind] = {
    "Qwen2_5OmniAudioEncoderConfig": "qwen2_5_omni_audio",
    "Qwen3OmniMoeAudioEncoderConfig": "qwen3_omni_audio",
    "Qwen3ASREncoderConfig": "qwen3_asr",
}
_Read = Callable[[_Sub, Mapping[str, Any], int, str, list[str]], VisionTower | None]
_READERS: dict[str, _Read] = {
    "qwen2_audio": _whisper,
    "voxtral": _whisper,
    "qwen2_5_omni_thinker": _qwen_omni,
    "qwen3_omni_moe_thinker": _qwen_omni,
    "qwen3_asr": _qwen_omni,
    "glmasr": _glmasr,
    "voxtral_realtime": _voxtral_realtime,
    "fun_asr_nano": _fun_asr,
    "granite_speech": _granite,
    "granite_speech_plus": _granite,
}
