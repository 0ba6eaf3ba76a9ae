"""Former home of the config readers, kept importable: see :mod:`llmsizing.hf`.

``parse`` is :func:`llmsizing.hf.read_hf_config`; ``SUPPORTED_MODEL_TYPES``
is :data:`llmsizing.hf.SUPPORTED_MODEL_TYPES`.

Examples
--------
>>> from llmsizing.hf_config import parse
>>> parse({"model_type": "llama", "vocab_size": 1000, "hidden_size": 64,
...        "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4,
...        "num_key_value_heads": 2}).param_counts().total
202048
"""

from __future__ import annotations

from llmsizing.hf import FAMILIES, SUPPORTED_MODEL_TYPES, read_hf_config
from llmsizing.hf._reader import Reader as _Reader
from llmsizing.hf._reader import load as _load

__all__ = ["FAMILIES", "SUPPORTED_MODEL_TYPES", "parse"]

parse = read_hf_config
_ = (_Reader, _load)
