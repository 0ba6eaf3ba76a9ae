"""Named models: the shipped presets (the models' own ``config.json`` files) and config paths.

This module sits above :mod:`llmsizing.model` and the config readers: it reads
files and returns :class:`~llmsizing.model.ModelConfig` records, which know no
file format. Preset sources are listed in ``data/models/SOURCES.md``.

Examples
--------
>>> from llmsizing.presets import load_model
>>> load_model("DeepSeek-R1").name           # an alias of deepseek-v3
'deepseek-v3'
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from importlib.resources import files
from typing import Any

from llmsizing.errors import UnknownNameError, suggest
from llmsizing.hf import read_hf_config as parse
from llmsizing.model import ModelConfig

__all__ = ["ALIASES", "as_model", "list_models", "load_model", "read_hf_config"]

#: Other names of presets (the same architecture and weights shape).
ALIASES = {"deepseek-r1": "deepseek-v3"}


def _preset_dir() -> Any:
    return files("llmsizing") / "data" / "models"


def list_models(aliases: bool = True) -> list[str]:
    """Names of the shipped presets, and with ``aliases`` their other names (``deepseek-r1``).

    Examples
    --------
    >>> "deepseek-v3" in list_models()
    True
    >>> "deepseek-r1" in list_models(aliases=False)
    False
    """
    names = [p.name[:-5] for p in _preset_dir().iterdir() if p.name.endswith(".json")]
    return sorted([*names, *ALIASES]) if aliases else sorted(names)


_cache: dict[str, ModelConfig] = {}


def load_model(name: str | os.PathLike[str]) -> ModelConfig:
    """Load a preset by name (case-insensitive), or a config.json by path.

    Raises
    ------
    UnknownNameError
        For an unknown preset, with the nearest names.
    ConfigError
        For a config file that cannot be read, naming the file and field.

    Examples
    --------
    >>> load_model("qwen3-235b-a22b").moe.n_routed_experts
    128
    """
    if isinstance(name, os.PathLike):
        return parse(os.fspath(name), None)
    if not isinstance(name, str):
        raise UnknownNameError(f"a model is a preset name or a config.json path, got {name!r}")
    if name.endswith(".json"):  # a path; a missing file is a ConfigError naming it
        return parse(name, None)
    key = ALIASES.get(name.lower(), name.lower())
    if key not in _cache:
        path = _preset_dir() / f"{key}.json"
        if not path.is_file():
            raise UnknownNameError(
                f"unknown model {name!r}: {suggest(name, list_models())} "
                "(or pass the path of a config.json)"
            )
        data = json.loads(path.read_text(encoding="utf-8"))
        _cache[key] = parse(data, key).model_copy(
            update={"source": f"preset {key}.json (see data/models/SOURCES.md)"}
        )
    return _cache[key]


def read_hf_config(
    config: str | os.PathLike[str] | Mapping[str, Any], name: str | None = None
) -> ModelConfig:
    """Read a Hugging Face ``config.json`` (a path or an already-parsed dict).

    Raises
    ------
    ConfigError
        Unknown ``model_type``, a missing or ill-typed field (named in the
        message), or an impossible architecture.

    Examples
    --------
    >>> m = read_hf_config({"model_type": "llama", "vocab_size": 32000,
    ...     "hidden_size": 4096, "intermediate_size": 11008, "num_hidden_layers": 32,
    ...     "num_attention_heads": 32, "num_key_value_heads": 32}, name="llama-2-7b")
    >>> m.param_counts().total
    6738415616
    """
    if isinstance(config, os.PathLike):
        config = os.fspath(config)
    return parse(config, name)


def as_model(model: ModelConfig | str | os.PathLike[str]) -> ModelConfig:
    """``model`` itself, or the preset (or config.json path) it names.

    Examples
    --------
    >>> as_model("llama-3.1-8b") is as_model(as_model("llama-3.1-8b"))
    True
    """
    return model if isinstance(model, ModelConfig) else load_model(model)
