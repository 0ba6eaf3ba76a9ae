"""A multimodal checkpoint's ``vision_config``: the vision tower engines load beside the text model.

:func:`vision_tower` reads the encoders whose code the library follows tensor
by tensor (:func:`llmsizing.model.VisionTower`):

==============================================  ==========================
``model_type``                                  encoder
==============================================  ==========================
``qwen2_vl``                                    Qwen2-VL ViT [1]_
``qwen2_5_vl``                                  Qwen2.5-VL ViT [2]_
``qwen3_vl``, ``qwen3_vl_moe``, ``qwen3_5``,    Qwen3-VL ViT with DeepStack
``qwen3_5_moe``                                 mergers [3]_
``gemma3`` (``siglip_vision_model``)            SigLIP + Gemma 3 projector [4]_
``llama4`` (``llama4_vision_model``)            Llama 4 ViT, pixel-shuffle adapter [5]_
==============================================  ==========================

Other multimodal types keep ``vision=None``: their vision towers are not
counted (``include_vision`` then adds nothing, and says so in ``assumed``).

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

from llmsizing.errors import ConfigError
from llmsizing.model import VisionTower

__all__ = ["vision_tower"]

_QWEN3 = ("qwen3_vl", "qwen3_vl_moe", "qwen3_5", "qwen3_5_moe")


#: Far above any released vision tower, far below what only a typo produces.
_LIMIT = 10**6
_DEPTH = 10**4


def _int(
    v: Mapping[str, Any], key: str, where: str, default: int | None = None, limit: int = _LIMIT
) -> int:
    x = v.get(key, default)
    if isinstance(x, bool) or not isinstance(x, int) or not 0 < x <= limit:
        if x is None:
            raise ConfigError(f"{where} › vision_config: missing required field {key!r}")
        raise ConfigError(
            f"{where} › vision_config: {key} must be an integer in 1..{limit:,}, got {x!r}"
        )
    return x


def _indexes(v: Mapping[str, Any], key: str, where: str) -> int:
    x = v.get(key) or ()
    if not isinstance(x, list | tuple) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in x
    ):
        raise ConfigError(f"{where} › vision_config: {key} must be a list of layer indexes")
    return len(x)


def _ratio(v: Mapping[str, Any], key: str, where: str, default: float) -> float:
    x = v.get(key, default)
    if isinstance(x, bool) or not isinstance(x, int | float) or not 0 < x < 1e4:
        raise ConfigError(f"{where} › vision_config: {key} must be a positive number, got {x!r}")
    return float(x)


def vision_tower(
    data: Mapping[str, Any], model_type: str, text_hidden: int, where: str = "config"
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
    v = data.get("vision_config")
    if not isinstance(v, Mapping):
        return None
    if model_type == "qwen2_vl":
        width = _int(v, "embed_dim", where)
        return VisionTower(
            kind="qwen2_vl",
            depth=_int(v, "depth", where, limit=_DEPTH),
            hidden_size=width,
            # VisionMlp(dim, hidden_dim=dim * mlp_ratio)
            intermediate_size=int(width * _ratio(v, "mlp_ratio", where, 4)),
            patch_size=_int(v, "patch_size", where, 14),
            temporal_patch_size=_int(v, "temporal_patch_size", where, 2),
            in_channels=_int(v, "in_channels", where, v.get("in_chans", 3)),
            spatial_merge_size=_int(v, "spatial_merge_size", where, 2),
            # Qwen2VLVisionConfig.hidden_size is the merger's output (the text width)
            out_hidden_size=_int(v, "hidden_size", where, text_hidden),
        )
    if model_type == "qwen2_5_vl" or model_type in _QWEN3:
        qwen3 = model_type in _QWEN3
        return VisionTower(
            kind="qwen3_vl" if qwen3 else "qwen2_5_vl",
            depth=_int(v, "depth", where, limit=_DEPTH),
            hidden_size=_int(v, "hidden_size", where),
            intermediate_size=_int(v, "intermediate_size", where),
            patch_size=_int(v, "patch_size", where, 16 if qwen3 else 14),
            temporal_patch_size=_int(v, "temporal_patch_size", where, 2),
            in_channels=_int(v, "in_channels", where, v.get("in_chans", 3)),
            spatial_merge_size=_int(v, "spatial_merge_size", where, 2),
            out_hidden_size=_int(v, "out_hidden_size", where, text_hidden),
            position_embeddings=_int(v, "num_position_embeddings", where, 2304) if qwen3 else 0,
            deepstack_mergers=_indexes(v, "deepstack_visual_indexes", where) if qwen3 else 0,
        )
    if model_type == "llama4" and v.get("model_type", "llama4_vision_model") == (
        "llama4_vision_model"
    ):
        patch = _int(v, "patch_size", where)
        side = _int(v, "image_size", where) // patch
        if v.get("multi_modal_projector_bias") not in (None, False):
            return None  # a biased adapter the released checkpoints do not have
        return VisionTower(
            kind="llama4",
            depth=_int(v, "num_hidden_layers", where, limit=_DEPTH),
            hidden_size=_int(v, "hidden_size", where),
            intermediate_size=_int(v, "intermediate_size", where),
            patch_size=patch,
            in_channels=_int(v, "num_channels", where, 3),
            out_hidden_size=text_hidden,
            position_embeddings=side * side + 1,  # the patches and the class token
            projector_input_size=_int(v, "projector_input_dim", where),
            projector_output_size=_int(v, "projector_output_dim", where),
        )
    if (
        model_type == "gemma3"
        and v.get("model_type", "siglip_vision_model") == "siglip_vision_model"
    ):
        if v.get("vision_use_head", True) is not False:
            return None  # a pooling head Gemma 3 does not build; not modelled
        patch = _int(v, "patch_size", where)
        side = _int(v, "image_size", where) // patch
        return VisionTower(
            kind="siglip",
            depth=_int(v, "num_hidden_layers", where, limit=_DEPTH),
            hidden_size=_int(v, "hidden_size", where),
            intermediate_size=_int(v, "intermediate_size", where),
            patch_size=patch,
            in_channels=_int(v, "num_channels", where, 3),
            out_hidden_size=text_hidden,
            position_embeddings=side * side,
        )
    return None
