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
``gemma4`` (``gemma4_vision``)                  Gemma 4 ViT, multimodal embedder [6]_
==============================================  ==========================

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

__all__ = ["vision_tower"]

_QWEN3 = ("qwen3_vl", "qwen3_vl_moe", "qwen3_5", "qwen3_5_moe")


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
    v = data.get("vision_config")
    if not isinstance(v, Mapping):
        return None
    # no transformers defaults are filled in: the encoder's sizes are the file's
    r = Reader(v, f"{where} › vision_config", f"{model_type} vision tower")
    tower = _tower(r, v, model_type, text_hidden)
    if assumed is not None:
        assumed += [f"vision_config: {a}" for a in r.assumed]
    return tower


def _tower(
    r: Reader, v: Mapping[str, Any], model_type: str, text_hidden: int
) -> VisionTower | None:
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
    if (
        model_type == "gemma3"
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
