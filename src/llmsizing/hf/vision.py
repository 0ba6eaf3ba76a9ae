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
==============================================  ==========================

:func:`cross_attention_tokens` gives the vision tokens per image that Llama 3.2
Vision's cross-attention layers cache [7]_ [8]_.

Other multimodal types keep ``vision=None``: their vision towers are not
counted (``include_vision`` then adds nothing, and says so in ``assumed``).
That includes the SigLIP towers of ``paligemma``, ``llava_onevision`` and
``aya_vision``, whose projectors are not Gemma 3's (PaliGemma's one biased
linear layer, LLaVA-OneVision's two-layer GELU MLP and ``image_newline``, Aya
Vision's pixel-shuffle SwiGLU adapter), the towers of ``llava``,
``llava_next`` and ``llava_next_video`` (CLIP by default), and the
variable-resolution SigLIP variants of ``idefics3`` and ``smolvlm``.

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
from llmsizing.hf._reader import Reader
from llmsizing.model import VisionTower

__all__ = ["cross_attention_tokens", "vision_tower"]

#: Cosmos3OmniModel.visual is AutoModel.from_config(qwen3_vl_vision): Qwen3VLVisionModel
_QWEN3 = ("qwen3_vl", "qwen3_vl_moe", "qwen3_5", "qwen3_5_moe", "qwen4_exp", "cosmos3_omni")


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
    v = data.get("vision_config")
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
    "mistral_large4": {
        "hidden_size": 2048,
        "intermediate_size": 6144,
        "num_hidden_layers": 30,
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
    """A Pixtral tower and its projector (``MistralLarge4MultiModalProjector``).

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
    n_feats = len(feats) if isinstance(feats, list) else 1
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
        projector_bias=top.boolean("multimodal_projector_bias", False),
    )
    if assumed is not None:
        assumed += [f"vision_config: {a}" for a in r.assumed + top.assumed]
    return tower


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
