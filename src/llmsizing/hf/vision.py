"""A multimodal checkpoint's ``vision_config``: the vision tower engines load beside the text model.

:func:`vision_tower` reads the encoders whose code the library follows tensor
by tensor (:func:`llmsizing.model.VisionTower`):

==============================================  ==========================
``model_type``                                  encoder
==============================================  ==========================
``qwen2_vl``                                    Qwen2-VL ViT [1]_
``qwen2_5_vl``                                  Qwen2.5-VL ViT [2]_
``qwen3_vl``, ``qwen3_vl_moe``, ``qwen3_5``,    Qwen3-VL ViT with DeepStack
``qwen3_5_moe``, ``cosmos3_omni``               mergers [3]_
``gemma3`` (``siglip_vision_model``)            SigLIP + Gemma 3 projector [4]_
``llama4`` (``llama4_vision_model``)            Llama 4 ViT, pixel-shuffle adapter [5]_
``gemma4`` (``gemma4_vision``)                  Gemma 4 ViT, multimodal embedder [6]_
``mllama`` (``mllama_vision_model``)            Llama 3.2 Vision ViT, projector [7]_
``llava``, ``llava_next``,                      CLIP, SigLIP (or Pixtral) and the LLaVA
``llava_next_video``                            MLP projector, ``image_newline`` [9]_
``vipllava``                                    CLIP, VipLLaVA's normed projector [9]_
``llava_onevision``                             SigLIP (or CLIP), LLaVA projector [9]_
``paligemma``                                   SigLIP and one linear layer [10]_
``aya_vision``, ``cohere2_vision``              SigLIP, pixel-shuffle SwiGLU adapter [10]_
``idefics3``, ``smolvlm``                       Idefics3 ViT and its connector [11]_
``idefics2``                                    Idefics2 ViT, projection, perceiver [11]_
``internvl``                                    InternViT and its MLP projector [12]_
``paddleocr_vl``                                SigLIP-style ViT, merged-patch MLP [15]_
``minicpmv4_6``, ``minicpmv4_7``,               SigLIP-style ViT, window-attention
``minicpm_ocr``                                 merger, downsample MLPs [17]_
``ernie4_5_vl_moe``                             ERNIE 4.5 VL ViT and resampler [16]_
``glm4v``, ``glm4v_moe``, ``glm46v``,           GLM-4V ViT, downsample conv and gated
``glmga``, ``glm_ocr``                          merger [14]_
``mistral3``, ``mistral_large4``,               Pixtral, RMSNorm, patch merger, MLP
``lighton_ocr``                                 projector [13]_
==============================================  ==========================

The LLaVA family builds every layer of its tower whatever ``vision_feature_layer``
reads (transformers does; vLLM's ports stop the tower at the deepest layer read, so
their logged weights can be a layer or two smaller); the projector reads the
width times the number of feature layers.

:func:`cross_attention_tokens` gives the vision tokens per image that Llama 3.2
Vision's cross-attention layers cache [7]_ [8]_.

Other multimodal types keep ``vision=None``: their vision towers are not
counted (``include_vision`` then adds nothing, and says so in ``assumed``), as
are the towers of the wrappers above whose ``vision_config`` names an encoder
not listed (e.g. ``siglip2_vision_model``).

References
----------
.. [1] transformers ``models/qwen2_vl/modeling_qwen2_vl.py``
   (``Qwen2VisionTransformerPretrainedModel``, ``PatchMerger``, ``VisionMlp``).
.. [2] transformers ``models/qwen2_5_vl/modeling_qwen2_5_vl.py``
   (``Qwen2_5_VisionTransformerPretrainedModel``, ``Qwen2_5_VLMLP``,
   ``Qwen2_5_VLPatchMerger``).
.. [3] transformers ``models/qwen3_vl/modeling_qwen3_vl.py``
   (``Qwen3VLVisionModel``: ``pos_embed``, ``merger``, ``deepstack_merger_list``).
.. [4] transformers ``models/siglip/modeling_siglip.py``
   (``SiglipVisionTransformer``) and ``models/gemma3/modeling_gemma3.py``
   (``Gemma3MultiModalProjector``).
.. [5] transformers ``models/llama4/modeling_llama4.py`` (``Llama4VisionModel``,
   ``Llama4UnfoldConvolution``, ``Llama4VisionMLP2``, ``Llama4MultiModalProjector``).
.. [6] transformers ``models/gemma4/modeling_gemma4.py`` (``Gemma4VisionPatchEmbedder``,
   ``Gemma4VisionEncoderLayer``, ``Gemma4VisionAttention``, ``Gemma4VisionMLP``,
   ``Gemma4MultimodalEmbedder``), as vLLM's and SGLang's ports build it.
.. [7] transformers ``models/mllama/modeling_mllama.py`` (``MllamaVisionModel``,
   ``MllamaPrecomputedPositionEmbedding``, ``MllamaPrecomputedAspectRatioEmbedding``,
   ``MllamaVisionEncoderLayer``, ``MllamaModel.multi_modal_projector``) and
   ``configuration_mllama.py`` (``MllamaVisionConfig``: ``max_aspect_ratio_id =
   len(supported_aspect_ratios)``).
.. [8] vLLM V0 ``vllm/model_executor/models/mllama.py``, ``calc_token_per_chunk``:
   ``(image_size // 14) ** 2 + 1`` tokens per tile, at most ``max_num_tiles`` tiles.
.. [9] transformers ``models/llava/modeling_llava.py`` (``LlavaModel``,
   ``LlavaMultiModalProjector``), ``models/llava_next/modeling_llava_next.py``
   (``LlavaNextModel.image_newline``), ``models/llava_next_video/modeling_llava_next_video.py``
   (``LlavaNextVideoPooler``), ``models/llava_onevision/modeling_llava_onevision.py``,
   ``models/vipllava/modeling_vipllava.py`` (``VipLlavaMultiModalProjector``),
   ``models/clip/modeling_clip.py`` (``CLIPVisionModel``, ``CLIPVisionEmbeddings``)
   and ``models/siglip/modeling_siglip.py`` (``SiglipVisionModel``,
   ``SiglipMultiheadAttentionPoolingHead``).
.. [10] transformers ``models/paligemma/modeling_paligemma.py``
   (``PaliGemmaMultiModalProjector``; ``PaliGemmaConfig.projection_dim``) and
   ``models/aya_vision/modeling_aya_vision.py`` (``AyaVisionMultiModalProjector``).
.. [11] transformers ``models/idefics3/modeling_idefics3.py``
   (``Idefics3VisionTransformer``, ``Idefics3Connector``, ``Idefics3SimpleMLP``) and
   ``models/smolvlm/modeling_smolvlm.py`` (``SmolVLMVisionTransformer``, ``SmolVLMConnector``),
   ``models/idefics2/modeling_idefics2.py`` (``Idefics2Connector``, ``Idefics2PerceiverResampler``).
.. [12] transformers ``models/internvl/modeling_internvl.py`` (``InternVLVisionModel``,
   ``InternVLVisionEmbeddings``, ``InternVLVisionLayer``, ``InternVLMultiModalProjector``).
.. [13] transformers ``models/pixtral/modeling_pixtral.py`` (``PixtralVisionModel``) and
   ``models/mistral3/modeling_mistral3.py`` (``Mistral3MultiModalProjector``,
   ``Mistral3PatchMerger``; ``MistralLarge4MultiModalProjector`` is the same), and
   ``models/lighton_ocr/modeling_lighton_ocr.py`` (``LightOnOcrMultiModalProjector``).
.. [14] transformers ``models/glm4v/modeling_glm4v.py`` (``Glm4vVisionModel``,
   ``Glm4vVisionBlock``, ``Glm4VisionMlp``, ``Glm4vVisionPatchMerger``) and
   ``models/glm_ocr/modeling_glm_ocr.py`` (``GlmOcrVisionModel``).
.. [15] transformers ``models/paddleocr_vl/modeling_paddleocr_vl.py``
   (``PaddleOCRVisionModel``, ``PaddleOCRVisionEmbeddings``, ``PaddleOCRProjector``).
.. [17] transformers ``models/minicpmv4_6/modeling_minicpmv4_6.py``
   (``MiniCPMV4_6VisionModel``, ``MiniCPMV4_6ViTWindowAttentionMerger``,
   ``MiniCPMV4_6Merger``; ``minicpmv4_7`` and ``minicpm_ocr`` copy them).
.. [16] transformers ``models/ernie4_5_vl_moe/modeling_ernie4_5_vl_moe.py``
   (``Ernie4_5_VLMoeVisionTransformerPretrainedModel``,
   ``Ernie4_5_VLMoeVariableResolutionResamplerModel``).

Examples
--------
>>> import llmsizing as ls
>>> v = ls.load_model("gemma-3-27b").vision
>>> v.kind, v.depth, v.position_embeddings
('siglip', 27, 4096)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from llmsizing.hf._common import positive
from llmsizing.hf._reader import ABSENT, Reader
from llmsizing.model import VisionTower

__all__ = ["DEFAULT_TOWERS", "cross_attention_tokens", "vision_tower"]

#: Cosmos3OmniModel.visual is AutoModel.from_config(qwen3_vl_vision): Qwen3VLVisionModel
_QWEN3 = ("qwen3_vl", "qwen3_vl_moe", "qwen3_5", "qwen3_5_moe", "qwen4_exp", "cosmos3_omni")


#: Wrappers whose vision_config builds Glm4vVisionModel (Glm4vMoe's is the same module;
#: Glm46VModel and GLM-GA build AutoModel.from_config(glm4v_vision))
_GLM4V = ("glm4v", "glm4v_moe", "glm46v", "glmga")
_ERNIE_VL_VISION = "ernie4_5_vl_moe_vision"
_GLM4V_VISION = ("glm4v_vision", "glm4v_moe_vision")

#: Far above any released vision tower, far below what only a typo produces.
_LIMIT = 10**6
_DEPTH = 10**4


def _size(r: Reader, key: str, default: int | None = None, limit: int = _LIMIT) -> int:
    """A positive integer of the vision_config, at most ``limit``."""
    value = positive(r, key, r.integer(key, default))
    if value > limit:
        raise r.fail(f"field {key!r} is {value:,}, beyond any vision tower (at most {limit:,})")
    return value


def vision_tower(
    data: Mapping[str, Any],
    model_type: str,
    text_hidden: int,
    where: str = "config",
    assumed: list[str] | None = None,
) -> VisionTower | None:
    """The :class:`~llmsizing.model.VisionTower` of a composite config, or None.

    Parameters
    ----------
    data : mapping
        The whole ``config.json`` (with its ``vision_config``).
    model_type : str
        Its top-level ``model_type``.
    text_hidden : int
        Hidden size of the text model the projector writes [-].

    Raises
    ------
    ConfigError
        For a vision_config of a known encoder missing a size, naming the field.
    """
    if model_type in _PIXTRAL_WRAPPERS:
        return _pixtral(data, model_type, text_hidden, where, assumed)
    if model_type in DEFAULT_TOWERS:
        return _wrapper(data, model_type, text_hidden, where, assumed)
    v = data.get("vision_config")
    if v is None and model_type in ("glm_ocr", "ernie4_5_vl_moe"):
        # GlmOcrConfig / Ernie4_5_VLMoeConfig build their vision config class's defaults
        # where the file has none
        v = {}
    if not isinstance(v, Mapping):
        return None
    # no transformers defaults are filled in: the encoder's sizes are the file's
    r = Reader(v, f"{where} › vision_config", f"{model_type} vision tower")
    tower = _tower(r, v, model_type, text_hidden)
    if assumed is not None:
        assumed += [f"vision_config: {a}" for a in r.assumed]
    return tower


#: PixtralVisionConfig defaults (transformers 5.24), and what each wrapper builds when its
#: config has no vision_config (MistralLarge4Config.sub_configs_defaults init_kwargs)
_PIXTRAL = {
    "hidden_size": 1024,
    "intermediate_size": 4096,
    "num_hidden_layers": 24,
    "patch_size": 16,
    "num_channels": 3,
}
_PIXTRAL_WRAPPERS = {
    # Mistral3Config.sub_configs_defaults: Mistral Small 3.1's tower (Mistral3MultiModalProjector
    # is MistralLarge4MultiModalProjector line for line)
    "mistral3": {
        "hidden_size": 1024,
        "intermediate_size": 4096,
        "num_hidden_layers": 24,
        "patch_size": 14,
        "num_channels": 3,
    },
    "mistral_large4": {
        "hidden_size": 2048,
        "intermediate_size": 6144,
        "num_hidden_layers": 30,
        "patch_size": 14,
        "num_channels": 3,
    },
    # LightOnOcrConfig.sub_configs_defaults; LightOnOcrMultiModalProjector has the same
    # modules over one layer's features, never biased
    "lighton_ocr": {
        "hidden_size": 1024,
        "intermediate_size": 4096,
        "num_hidden_layers": 24,
        "patch_size": 14,
        "num_channels": 3,
    },
}


def _pixtral(
    data: Mapping[str, Any],
    model_type: str,
    text_hidden: int,
    where: str,
    assumed: list[str] | None,
) -> VisionTower | None:
    """A Pixtral tower and its projector (``MistralLarge4MultiModalProjector``, and
    ``Mistral3MultiModalProjector``, the same modules).

    ``vision_config`` absent: the wrapper's default tower; given: PixtralVisionConfig's
    defaults for the keys it omits. The projector reads the top-level
    ``spatial_merge_size`` (2), ``vision_feature_layer`` (-1: one layer's features) and
    ``multimodal_projector_bias`` (false).
    """
    v = data.get("vision_config")
    if v is None:
        v, defaults = {}, _PIXTRAL_WRAPPERS[model_type]
    elif isinstance(v, Mapping) and v.get("model_type", "pixtral") == "pixtral":
        defaults = _PIXTRAL
    else:
        return None
    r = Reader(v, f"{where} › vision_config", f"{model_type} vision tower")
    top = Reader(data, where, f"{model_type} vision tower")
    feats = data.get("vision_feature_layer", -1)
    n_feats = len(feats) if isinstance(feats, list) and model_type != "lighton_ocr" else 1
    biased = model_type != "lighton_ocr" and top.boolean("multimodal_projector_bias", False)
    h = _size(r, "hidden_size", defaults["hidden_size"])
    tower = VisionTower(
        kind="pixtral",
        depth=_size(r, "num_hidden_layers", defaults["num_hidden_layers"], limit=_DEPTH),
        hidden_size=h,
        intermediate_size=_size(r, "intermediate_size", defaults["intermediate_size"]),
        patch_size=_size(r, "patch_size", defaults["patch_size"]),
        in_channels=_size(r, "num_channels", defaults["num_channels"]),
        out_hidden_size=text_hidden,
        spatial_merge_size=_size(top, "spatial_merge_size", 2),
        projector_input_size=h * n_feats,
        projector_bias=biased,
    )
    if assumed is not None:
        assumed += [f"vision_config: {a}" for a in r.assumed + top.assumed]
    return tower


#: The vision config classes' defaults (transformers 5.24): CLIPVisionConfig,
#: SiglipVisionConfig, Idefics3VisionConfig (SmolVLMVisionConfig has the same),
#: InternVLVisionConfig
_ENCODER_DEFAULTS: dict[str, dict[str, Any]] = {
    "clip_vision_model": {
        "hidden_size": 768,
        "intermediate_size": 3072,
        "num_hidden_layers": 12,
        "num_channels": 3,
        "image_size": 224,
        "patch_size": 32,
    },
    "siglip_vision_model": {
        "hidden_size": 768,
        "intermediate_size": 3072,
        "num_hidden_layers": 12,
        "num_channels": 3,
        "image_size": 224,
        "patch_size": 16,
        "vision_use_head": True,
    },
    "idefics3": {
        "hidden_size": 1152,
        "intermediate_size": 3072,
        "num_hidden_layers": 12,
        "num_channels": 3,
        "image_size": 224,
        "patch_size": 32,
    },
    # PaddleOCRVisionConfig (transformers 5.24): a SigLIP-style encoder, no pooling head
    "paddleocr_vl_vision": {
        "hidden_size": 1152,
        "intermediate_size": 4304,
        "num_hidden_layers": 27,
        "num_channels": 3,
        "image_size": 384,
        "patch_size": 14,
        "spatial_merge_size": 2,
    },
    "internvl_vision": {
        "hidden_size": 1024,
        "intermediate_size": 4096,
        "num_hidden_layers": 24,
        "num_attention_heads": 16,
        "num_channels": 3,
        "image_size": [448, 448],
        "patch_size": [14, 14],
        "attention_bias": False,
        "use_qk_norm": False,
        "norm_type": "layer_norm",
        "use_mask_token": False,
        "use_absolute_position_embeddings": True,
        "use_mean_pooling": True,
    },
}
#: Idefics2VisionConfig (transformers 5.24) has CLIPVisionConfig's sizes
_ENCODER_DEFAULTS["idefics2"] = dict(_ENCODER_DEFAULTS["clip_vision_model"])
#: MiniCPMV4_6VisionConfig (MiniCPMV4_7's and MiniCPMOcr's are the same) has
#: SiglipVisionConfig's sizes, no pooling head, and a window-attention merger over 2 x 2
_ENCODER_DEFAULTS["minicpmv_vision"] = {
    **{k: v for k, v in _ENCODER_DEFAULTS["siglip_vision_model"].items() if k != "vision_use_head"},
    "window_kernel_size": (2, 2),
}
_ENCODER_CLASS = {
    "clip_vision_model": "CLIPVisionConfig",
    "siglip_vision_model": "SiglipVisionConfig",
    "idefics2": "Idefics2VisionConfig",
    "idefics3": "Idefics3VisionConfig",
    "internvl_vision": "InternVLVisionConfig",
    "paddleocr_vl_vision": "PaddleOCRVisionConfig",
    "minicpmv_vision": "MiniCPMV4_6VisionConfig",
    "pixtral": "PixtralVisionConfig",
}
_CLIP_TOWER = {
    "model_type": "clip_vision_model",
    "intermediate_size": 4096,
    "hidden_size": 1024,
    "patch_size": 14,
    "image_size": 336,
    "num_hidden_layers": 24,
}
#: LlavaOnevisionConfig's and AyaVisionConfig's default tower: SigLIP so400m at 384 px,
#: without its pooling head
_SIGLIP_SO400M_384: dict[str, Any] = {
    "model_type": "siglip_vision_model",
    "hidden_size": 1152,
    "intermediate_size": 4304,
    "patch_size": 14,
    "image_size": 384,
    "num_hidden_layers": 26,
    "vision_use_head": False,
}
#: Each wrapper's projector, the vision config class it builds whatever the file's
#: ``model_type`` ("" when AutoModel.from_config resolves it), and the tower its
#: sub_configs_defaults build when ``vision_config`` is absent or null (transformers 5.24)
_WRAPPERS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "llava": ("llava", "", _CLIP_TOWER),
    "llava_next": ("llava", "", _CLIP_TOWER),
    "llava_next_video": ("llava", "", _CLIP_TOWER),
    "vipllava": ("vipllava", "", _CLIP_TOWER),
    "llava_onevision": (
        "llava",
        "",
        _SIGLIP_SO400M_384,
    ),
    "paligemma": (
        "paligemma",
        "",
        {
            "model_type": "siglip_vision_model",
            "intermediate_size": 4096,
            "hidden_size": 1152,
            "patch_size": 14,
            "image_size": 224,
            "num_hidden_layers": 27,
            "vision_use_head": False,
        },
    ),
    "aya_vision": (
        "aya_vision",
        "",
        _SIGLIP_SO400M_384,
    ),
    # Cohere2VisionConfig.sub_configs_defaults: SigLIP at 512 px, 27 layers of 1152 (FFN 3072)
    "cohere2_vision": (
        "cohere2_vision",
        "",
        {
            "model_type": "siglip_vision_model",
            "hidden_size": 1152,
            "intermediate_size": 3072,
            "image_size": 512,
            "num_hidden_layers": 27,
            "num_attention_heads": 12,
        },
    ),
    # Idefics2Config / Idefics3Config / SmolVLMConfig / InternVLConfig: a fixed vision
    # config class
    "idefics2": ("idefics2", "idefics2", {}),
    "idefics3": ("idefics3", "idefics3", {}),
    "smolvlm": ("idefics3", "idefics3", {}),
    "internvl": ("internvl", "internvl_vision", {}),
    # PaddleOCRVLModel: visual (PaddleOCRVisionModel) and projector (PaddleOCRProjector)
    "paddleocr_vl": ("paddleocr", "paddleocr_vl_vision", {}),
    # MiniCPMV4_6Model / MiniCPMV4_7Model / MiniCPMOcrModel: vision_tower (with its
    # vit_merger) and merger
    "minicpmv4_6": ("minicpmv", "minicpmv_vision", {}),
    "minicpmv4_7": ("minicpmv", "minicpmv_vision", {}),
    "minicpm_ocr": ("minicpmv", "minicpmv_vision", {}),
}
#: Composite types whose class builds a vision tower even where ``vision_config`` is absent
DEFAULT_TOWERS = frozenset(_WRAPPERS) | frozenset(_PIXTRAL_WRAPPERS)


def _feature_layers(top: Reader) -> int:
    """How many layers' features the projector concatenates (``vision_feature_layer``)."""
    layers = top.raw("vision_feature_layer")
    if layers is None or layers is ABSENT:
        layers = top.default("vision_feature_layer")
    if isinstance(layers, list | tuple):
        if not layers:
            raise top.fail("field 'vision_feature_layer' is an empty list")
        return len(layers)
    return 1


def _square(r: Reader, key: str, default: Any, why: str) -> tuple[int, int]:
    """An image or patch size that may be written ``[height, width]`` (InternVLVisionConfig)."""
    value = r.raw(key)
    if value is ABSENT or value is None:
        value = default
        r.note(f"{key}={value!r} ({why})")
    if isinstance(value, list | tuple):
        if len(value) != 2:
            raise r.fail(f"field {key!r} must be one size or [height, width], got {value!r}")
        sub = Reader({key: value[0], key + "_width": value[1]}, r.where, r.model_type)
        return _size(sub, key), _size(sub, key + "_width")
    sub = Reader({key: value}, r.where, r.model_type)
    side = _size(sub, key)
    return side, side


def _wrapper(
    data: Mapping[str, Any],
    model_type: str,
    text_hidden: int,
    where: str,
    assumed: list[str] | None,
) -> VisionTower | None:
    """The tower and projector of a LLaVA-style wrapper (:data:`_WRAPPERS`) [9]_ - [12]_.

    Keys the ``vision_config`` omits take its config class's defaults; an absent or
    null ``vision_config`` is the one the wrapper's class builds. The projector reads the
    wrapper's own keys (``vision_feature_layer``, ``multimodal_projector_bias``,
    ``projection_dim``, ``downsample_factor``, ``alignment_intermediate_size``,
    ``scale_factor``, ``downsample_ratio``, ``spatial_pool_mode``), their transformers
    defaults where the file omits them.
    """
    projector, fixed, default_tower = _WRAPPERS[model_type]
    v = data.get("vision_config")
    notes: list[str] = []
    if v is None:
        v = default_tower
        notes.append(f"vision_config: absent, {model_type} builds its default vision tower")
    elif not isinstance(v, Mapping):
        return None
    encoder = fixed or str(v.get("model_type", default_tower.get("model_type", "")))
    if encoder not in _ENCODER_CLASS:
        return None  # an encoder the library does not follow
    cls = "SmolVLMVisionConfig" if model_type == "smolvlm" else _ENCODER_CLASS[encoder]
    r = Reader(v, f"{where} › vision_config", f"{model_type} vision tower")
    top = Reader(data, where, model_type)
    tower = _wrapper_tower(r, top, encoder, projector, text_hidden, f"{cls} default")
    if assumed is not None:
        notes += [f"vision_config: {a}" for a in r.assumed]
        notes += [f"vision projector: {a}" for a in top.assumed]
        assumed += [a for a in notes if a not in assumed]
    return tower


def _window(r: Reader, default: Any, why: str) -> int:
    """Patches in one window of ``window_kernel_size`` (``[height, width]``) [-]."""
    value = r.raw("window_kernel_size")
    if value is ABSENT or value is None:
        value = default
        r.note(f"window_kernel_size={list(value)!r} ({why})")
    if not (isinstance(value, list | tuple) and len(value) == 2):
        raise r.fail(f"field 'window_kernel_size' must be [height, width], got {value!r}")
    sub = Reader({"window_height": value[0], "window_width": value[1]}, r.where, r.model_type)
    return _size(sub, "window_height") * _size(sub, "window_width")


def _wrapper_tower(
    r: Reader, top: Reader, encoder: str, projector: str, text_hidden: int, why: str
) -> VisionTower | None:
    """The VisionTower of one wrapper's encoder; None for one the library does not model."""
    if encoder == "pixtral":
        if projector != "llava":
            return None
        d: Mapping[str, Any] = _PIXTRAL
    else:
        d = _ENCODER_DEFAULTS[encoder]

    def size(key: str, limit: int = _LIMIT) -> int:
        value = positive(r, key, r.integer(key, d[key], why=why))
        if value > limit:
            raise r.fail(f"field {key!r} is {value:,}, beyond any vision tower (at most {limit:,})")
        return value

    h = size("hidden_size")
    common: dict[str, Any] = {
        "depth": size("num_hidden_layers", limit=_DEPTH),
        "hidden_size": h,
        "intermediate_size": size("intermediate_size"),
        "in_channels": size("num_channels"),
        "out_hidden_size": text_hidden,
        "projector_input_size": h,
    }
    if encoder == "pixtral":
        common["patch_size"] = size("patch_size")
    elif encoder == "internvl_vision":
        image = _square(r, "image_size", d["image_size"], why)
        patch = _square(r, "patch_size", d["patch_size"], why)
        if patch[0] != patch[1]:
            return None  # a non-square patch kernel: not modelled
        heads = positive(r, "num_attention_heads", r.integer("num_attention_heads", 16, why=why))
        if h % heads:
            raise r.fail(f"hidden_size {h} is not a multiple of num_attention_heads {heads}")
        common["patch_size"] = patch[0]
        norm = r.string("norm_type")
        if norm is None:
            norm = "layer_norm"
            r.note(f"norm_type='layer_norm' ({why})")
        if norm not in ("layer_norm", "rms_norm"):
            raise r.fail(f"field 'norm_type' must be 'layer_norm' or 'rms_norm', got {norm!r}")
        absolute = r.boolean("use_absolute_position_embeddings", True, why=why)
        patches = (image[0] // patch[0]) * (image[1] // patch[1])
        common |= {
            "rms_norm": norm == "rms_norm",
            "qkv_bias": r.boolean("attention_bias", False, why=why),
            "qk_norm": r.boolean("use_qk_norm", False, why=why),
            "mask_token": r.boolean("use_mask_token", False, why=why),
            "final_norm": not r.boolean("use_mean_pooling", True, why=why),
            "position_embeddings": patches + 1 if absolute else 0,
        }
    else:
        common["patch_size"] = kernel = size("patch_size")
        side = size("image_size") // kernel
        clip = encoder == "clip_vision_model"
        common["position_embeddings"] = side * side + (1 if clip else 0)
        if encoder == "siglip_vision_model":
            common["pooling_head"] = r.boolean("vision_use_head", True, why=why)
        if encoder == "paddleocr_vl_vision":
            # PaddleOCRProjector: vision hidden_size * spatial_merge_size ** 2 wide
            common["projector_input_size"] = h * size("spatial_merge_size") ** 2
        if encoder == "minicpmv_vision":
            # MiniCPMV4_6ViTWindowAttentionMerger: window_hidden_size and
            # window_intermediate_size are the widths times the window's patches
            window = _window(r, d["window_kernel_size"], why)
            common["projector_hidden_size"] = h * window
            common["projector_intermediate_size"] = common["intermediate_size"] * window
    kind = {
        "clip_vision_model": "clip",
        "siglip_vision_model": "siglip",
        "paddleocr_vl_vision": "siglip",
        "minicpmv_vision": "idefics3",  # MiniCPMV4_6VisionModel: Idefics3's encoder modules
        "idefics2": "idefics3",  # Idefics2VisionTransformer: Idefics3's modules
        "idefics3": "idefics3",
        "internvl_vision": "internvl",
        "pixtral": "pixtral",
    }[encoder]
    fields = common | _projector(top, h, projector, text_hidden)
    return VisionTower(kind=kind, projector=projector, **fields)


def _projector(top: Reader, h: int, projector: str, text_hidden: int) -> dict[str, Any]:
    """The projector fields of a wrapper's VisionTower, from the wrapper's own keys."""
    model_type = top.model_type
    if projector in ("llava", "vipllava"):
        fields: dict[str, Any] = {
            "projector_input_size": h * _feature_layers(top),
            # VipLlavaMultiModalProjector: bias=True, whatever multimodal_projector_bias
            "projector_bias": projector == "vipllava"
            or top.boolean("multimodal_projector_bias", True),
            "image_newline": model_type in ("llava_next", "llava_next_video", "llava_onevision"),
        }
        if model_type == "llava_next_video" and top.string("spatial_pool_mode") == "conv":
            # LlavaNextVideoPooler: getattr(config, "spatial_pool_out_channels", h)
            fields["pool_stride"] = _size(top, "spatial_pool_stride", 2)
            fields["pool_channels"] = _size(top, "spatial_pool_out_channels", h)
        return fields
    if projector == "paligemma":
        # PaliGemmaConfig: vision_config.projection_dim = projection_dim
        return {"projector_input_size": h, "projector_output_size": _size(top, "projection_dim")}
    if projector in ("aya_vision", "cohere2_vision"):
        s = _size(top, "downsample_factor", 2)
        # getattr(config, "alignment_intermediate_size", config.text_config.hidden_size)
        mid = _size(top, "alignment_intermediate_size", text_hidden)
        if mid < 2:
            raise top.fail("field 'alignment_intermediate_size' must be at least 2 (SwiGLU halves)")
        return {"projector_input_size": h * s * s, "projector_output_size": mid}
    if projector == "idefics3":
        s = _size(top, "scale_factor", 2)
        return {"projector_input_size": h * s * s}
    if projector == "paddleocr":
        return {}  # the merge is the vision config's spatial_merge_size (_wrapper_tower)
    if projector == "idefics2":
        return _idefics2_connector(top, text_hidden)
    if projector == "minicpmv":
        # MiniCPMV4_6Merger: merger_times DownsampleMLPs (MiniCPMV4_6Config: 1)
        return {"projector_depth": _size(top, "merger_times", 1)}
    ratio = top.number("downsample_ratio", 0.5)
    if not 0 < ratio <= 1:
        raise top.fail(f"field 'downsample_ratio' must be in (0, 1], got {ratio!r}")
    # InternVLMultiModalProjector: hidden_size * int(1 / downsample_ratio) ** 2
    return {"projector_input_size": h * int(1 / ratio) ** 2}


#: Idefics2PerceiverConfig defaults (transformers 5.24) and MistralConfig's FFN width
_PERCEIVER = {
    "resampler_n_latents": 64,
    "resampler_depth": 3,
    "resampler_n_heads": 16,
    "resampler_head_dim": 96,
    "num_key_value_heads": 4,
}
_MISTRAL_INTERMEDIATE = 14336


def _idefics2_connector(top: Reader, text_hidden: int) -> dict[str, Any]:
    """Idefics2Connector's fields: the modality projection's width and the perceiver's.

    ``modality_projection`` is a gated MLP from the tower's width through the text
    model's ``intermediate_size`` (MistralConfig's 14,336 where ``text_config`` omits it)
    to its width; the perceiver resampler (``perceiver_config``, whose width
    Idefics2Config sets to the text model's) has ``resampler_n_latents`` latents and
    ``resampler_depth`` layers of ``resampler_n_heads`` query and ``num_key_value_heads``
    key/value heads of ``resampler_head_dim``.
    """
    raw = top.raw("perceiver_config")
    given = raw if isinstance(raw, Mapping) else {}
    r = Reader(given, f"{top.where} › perceiver_config", f"{top.model_type} perceiver")
    text = top.raw("text_config")
    tr = Reader(text if isinstance(text, Mapping) else {}, top.where, "mistral")
    heads = _size(r, "resampler_n_heads", _PERCEIVER["resampler_n_heads"])
    kv = _size(r, "num_key_value_heads", _PERCEIVER["num_key_value_heads"])
    if heads % kv:
        raise r.fail(f"resampler_n_heads {heads} is not a multiple of num_key_value_heads {kv}")
    return {
        "projector_intermediate_size": _size(tr, "intermediate_size", _MISTRAL_INTERMEDIATE),
        "num_queries": _size(r, "resampler_n_latents", _PERCEIVER["resampler_n_latents"]),
        "projector_depth": _size(r, "resampler_depth", _PERCEIVER["resampler_depth"]),
        "num_heads": heads,
        "num_kv_heads": kv,
        "head_dim": _size(r, "resampler_head_dim", _PERCEIVER["resampler_head_dim"]),
    }


#: MllamaVisionConfig defaults (transformers 5.24)
_MLLAMA_IMAGE, _MLLAMA_PATCH, _MLLAMA_TILES, _MLLAMA_RATIOS = 448, 14, 4, 8


def _mllama_patches(r: Reader) -> tuple[int, int]:
    """(patch size, patches per tile with the class token) of a Mllama vision config."""
    patch = _size(r, "patch_size", _MLLAMA_PATCH)
    image = _size(r, "image_size", _MLLAMA_IMAGE)
    if image % patch:
        raise r.fail(f"field 'image_size' ({image}) is not a multiple of patch_size ({patch})")
    # MllamaVisionModel: num_patches = (image_size // patch_size) ** 2 + 1
    return patch, (image // patch) ** 2 + 1


def cross_attention_tokens(
    data: Mapping[str, Any], where: str = "config", assumed: list[str] | None = None
) -> int:
    """Vision tokens of one image that each Mllama cross-attention layer caches [tokens].

    .. math:: N = t_{max} \\left( (s / p)^2 + 1 \\right)

    ``max_num_tiles`` tiles of ``(image_size / patch_size)²`` patches and a class
    token (4 · 1025 = 4100 for Llama 3.2 11B Vision at 448 px, 4 · 1601 = 6404 for
    its -Instruct release at 560 px) [7]_ [8]_. Keys the ``vision_config`` omits take
    MllamaVisionConfig's defaults, recorded in ``assumed``.
    """
    v = data.get("vision_config")
    r = Reader(v if isinstance(v, Mapping) else {}, f"{where} › vision_config", "mllama vision")
    _, patches = _mllama_patches(r)
    tiles = _size(r, "max_num_tiles", _MLLAMA_TILES)
    if assumed is not None:
        notes = [f"vision_config: {a}" for a in r.assumed]
        assumed += [a for a in notes if a not in assumed]
    return tiles * patches


def _mllama(r: Reader, v: Mapping[str, Any], text_hidden: int) -> VisionTower | None:
    h = _size(r, "hidden_size")
    # MllamaVisionConfig.attribute_map: num_attention_heads -> attention_heads
    key = "num_attention_heads" if "attention_heads" not in v and "num_attention_heads" in v else ""
    heads = _size(r, key or "attention_heads", 16)
    if h % heads:
        return None  # q/k/v narrower than the width (h // heads per head): not modelled
    patch, patches = _mllama_patches(r)
    ratios = r.sequence("supported_aspect_ratios")
    return VisionTower(
        kind="mllama",
        depth=_size(r, "num_hidden_layers", limit=_DEPTH),
        global_depth=_size(r, "num_global_layers", limit=_DEPTH),
        hidden_size=h,
        intermediate_size=_size(r, "intermediate_size"),
        patch_size=patch,
        in_channels=_size(r, "num_channels", 3),
        out_hidden_size=text_hidden,
        position_embeddings=patches,
        projector_input_size=_size(r, "vision_output_dim"),
        max_num_tiles=_size(r, "max_num_tiles", _MLLAMA_TILES),
        # MllamaVisionConfig: 8 aspect ratios when the list is absent
        aspect_ratios=len(ratios) if ratios else _MLLAMA_RATIOS,
    )


def _tower(
    r: Reader, v: Mapping[str, Any], model_type: str, text_hidden: int
) -> VisionTower | None:
    if model_type == "mllama" and v.get("model_type", "mllama_vision_model") == (
        "mllama_vision_model"
    ):
        return _mllama(r, v, text_hidden)
    if model_type == "qwen2_vl":
        width = _size(r, "embed_dim")
        # VisionMlp(dim, hidden_dim=dim * mlp_ratio)
        inter = int(width * r.number("mlp_ratio", 4))
        if not 0 < inter <= _LIMIT:
            raise r.fail(f"field 'mlp_ratio' gives an MLP width of {inter:,}")
        return VisionTower(
            kind="qwen2_vl",
            depth=_size(r, "depth", limit=_DEPTH),
            hidden_size=width,
            intermediate_size=inter,
            patch_size=_size(r, "patch_size", 14),
            temporal_patch_size=_size(r, "temporal_patch_size", 2),
            in_channels=_size(r, "in_channels", v.get("in_chans", 3)),
            spatial_merge_size=_size(r, "spatial_merge_size", 2),
            # Qwen2VLVisionConfig.hidden_size is the merger's output (the text width)
            out_hidden_size=_size(r, "hidden_size", text_hidden),
        )
    if model_type == "ernie4_5_vl_moe" and v.get("model_type", _ERNIE_VL_VISION) == (
        _ERNIE_VL_VISION
    ):
        # Ernie4_5_VLMoeVisionConfig's defaults where the file omits a key
        width = _size(r, "hidden_size", 1280)
        return VisionTower(
            kind="ernie4_5_vl",
            depth=_size(r, "depth", 32, limit=_DEPTH),
            hidden_size=width,
            intermediate_size=_size(r, "intermediate_size", 4 * width),
            patch_size=_size(r, "patch_size", 14),
            temporal_patch_size=_size(r, "temporal_merge_size", 2),
            in_channels=_size(r, "in_channels", 3),
            spatial_merge_size=_size(r, "spatial_merge_size", 2),
            out_hidden_size=text_hidden,
        )
    if model_type == "glm_ocr" and v.get("model_type", "glm_ocr_vision") == "glm_ocr_vision":
        # GlmOcrVisionConfig's defaults where the file omits a key
        width = _size(r, "hidden_size", 1024)
        heads = _size(r, "num_heads", 16)
        if width % heads:
            raise r.fail(f"hidden_size {width} is not a multiple of num_heads {heads}")
        return VisionTower(
            kind="glm_ocr",
            depth=_size(r, "depth", 24, limit=_DEPTH),
            hidden_size=width,
            intermediate_size=_size(r, "intermediate_size", 4096),
            patch_size=_size(r, "patch_size", 14),
            temporal_patch_size=_size(r, "temporal_patch_size", 2),
            in_channels=_size(r, "in_channels", 3),
            spatial_merge_size=_size(r, "spatial_merge_size", 2),
            out_hidden_size=_size(r, "out_hidden_size", 1536),
            head_dim=width // heads,
            qkv_bias=r.boolean("attention_bias", True),
        )
    if model_type in _GLM4V and v.get("model_type", "glm4v_vision") in _GLM4V_VISION:
        # Glm4vVisionConfig's defaults where the file omits a key (GLM-4.1V-9B's tower)
        patch = _size(r, "patch_size", 14)
        side = _size(r, "image_size", 336) // patch
        return VisionTower(
            kind="glm4v",
            depth=_size(r, "depth", 24, limit=_DEPTH),
            hidden_size=_size(r, "hidden_size", 1536),
            intermediate_size=_size(r, "intermediate_size", 13696),
            patch_size=patch,
            temporal_patch_size=_size(r, "temporal_patch_size", 2),
            in_channels=_size(r, "in_channels", 3),
            spatial_merge_size=_size(r, "spatial_merge_size", 2),
            out_hidden_size=_size(r, "out_hidden_size", 4096),
            position_embeddings=side * side,
            qkv_bias=r.boolean("attention_bias", False),
        )
    if model_type == "qwen2_5_vl" or model_type in _QWEN3:
        qwen3 = model_type in _QWEN3
        return VisionTower(
            kind="qwen3_vl" if qwen3 else "qwen2_5_vl",
            depth=_size(r, "depth", limit=_DEPTH),
            hidden_size=_size(r, "hidden_size"),
            intermediate_size=_size(r, "intermediate_size"),
            patch_size=_size(r, "patch_size", 16 if qwen3 else 14),
            temporal_patch_size=_size(r, "temporal_patch_size", 2),
            in_channels=_size(r, "in_channels", v.get("in_chans", 3)),
            spatial_merge_size=_size(r, "spatial_merge_size", 2),
            out_hidden_size=_size(r, "out_hidden_size", text_hidden),
            position_embeddings=_size(r, "num_position_embeddings", 2304) if qwen3 else 0,
            deepstack_mergers=len(r.layer_indices("deepstack_visual_indexes") or [])
            if qwen3
            else 0,
        )
    if model_type == "llama4" and v.get("model_type", "llama4_vision_model") == (
        "llama4_vision_model"
    ):
        patch = _size(r, "patch_size")
        side = _size(r, "image_size") // patch
        if r.boolean("multi_modal_projector_bias", False):
            return None  # a biased adapter the released checkpoints do not have
        return VisionTower(
            kind="llama4",
            depth=_size(r, "num_hidden_layers", limit=_DEPTH),
            hidden_size=_size(r, "hidden_size"),
            intermediate_size=_size(r, "intermediate_size"),
            patch_size=patch,
            in_channels=_size(r, "num_channels", 3),
            out_hidden_size=text_hidden,
            position_embeddings=side * side + 1,  # the patches and the class token
            projector_input_size=_size(r, "projector_input_dim"),
            projector_output_size=_size(r, "projector_output_dim"),
        )
    if model_type == "gemma4" and v.get("model_type", "gemma4_vision") == "gemma4_vision":
        h = _size(r, "hidden_size")
        heads, kv, hd = (
            _size(r, "num_attention_heads"),
            _size(r, "num_key_value_heads"),
            _size(r, "head_dim"),
        )
        if heads * hd != h or kv != heads:
            return None  # attention narrower than the width, or grouped: not modelled
        return VisionTower(
            kind="gemma4",
            depth=_size(r, "num_hidden_layers", limit=_DEPTH),
            hidden_size=h,
            intermediate_size=_size(r, "intermediate_size"),
            patch_size=_size(r, "patch_size"),
            out_hidden_size=text_hidden,
            position_embeddings=_size(r, "position_embedding_size"),
            head_dim=hd,
            standardize=r.boolean("standardize", False),
        )
    # ShieldGemma2Config builds a Gemma3ForConditionalGeneration (AutoModelForImageTextToText)
    if (
        model_type in ("gemma3", "shieldgemma2")
        and v.get("model_type", "siglip_vision_model") == "siglip_vision_model"
    ):
        if r.boolean("vision_use_head", True):
            return None  # a pooling head Gemma 3 does not build; not modelled
        patch = _size(r, "patch_size")
        side = _size(r, "image_size") // patch
        return VisionTower(
            kind="siglip",
            depth=_size(r, "num_hidden_layers", limit=_DEPTH),
            hidden_size=_size(r, "hidden_size"),
            intermediate_size=_size(r, "intermediate_size"),
            patch_size=patch,
            in_channels=_size(r, "num_channels", 3),
            out_hidden_size=text_hidden,
            position_embeddings=side * side,
        )
    return None
