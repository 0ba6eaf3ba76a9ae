"""Reading the keys of one ``config.json``: types, aliases, defaults, and errors that name the key.

A key the file omits takes the default of the transformers configuration
class of its ``model_type`` (``_defaults.DEFAULTS``, generated from
transformers), and the use is recorded, so that no default is applied
silently. A key may be spelled by any of its names in that class's
``attribute_map`` (``num_local_experts`` / ``num_experts``).
"""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from llmsizing.errors import ConfigError
from llmsizing.hf._defaults import ALIASES, DEFAULTS

#: what :meth:`Reader.raw` and :meth:`Reader.default` return for a key that is not there
ABSENT: Any = object()
_ABSENT = ABSENT
_READER_DEFAULT = "the family reader's default"


class Reader:
    """Reads keys of one config dict, naming the file and key in every error."""

    def __init__(
        self, data: Mapping[str, Any], where: str, model_type: str, nested: bool = False
    ) -> None:
        self.data = data
        #: the text_config of a composite config, which writes only non-default keys
        self.nested = nested
        self.where = where
        self.model_type = model_type
        self.assumed: list[str] = []
        self.defaults: Mapping[str, Any] = DEFAULTS.get(model_type, {})
        aliases = ALIASES.get(model_type, {})
        # every spelling of a key: itself, the name it maps to, the names that map to it
        self._names: dict[str, tuple[str, ...]] = {}
        for a, b in aliases.items():
            for k in (a, b):
                group = {a, b} | set(self._names.get(k, ()))
                for g in group:
                    self._names[g] = tuple(sorted(group | set(self._names.get(g, ()))))

    # ------------------------------------------------------------------ raw
    def names(self, key: str) -> tuple[str, ...]:
        """``key`` and its aliases, ``key`` first."""
        return (key, *(n for n in self._names.get(key, ()) if n != key))

    def raw(self, key: str) -> Any:
        """The value as written (any alias), or ``_ABSENT``."""
        for n in self.names(key):
            if n in self.data:
                return self.data[n]
        return _ABSENT

    def has(self, key: str) -> bool:
        """True if the file gives ``key`` (or an alias) a non-null value."""
        v = self.raw(key)
        return v is not _ABSENT and v is not None

    def default(self, key: str) -> Any:
        """The transformers default of ``key`` (``_ABSENT`` if the class has none)."""
        for n in self.names(key):
            if n in self.defaults:
                return self.defaults[n]
        return _ABSENT

    def has_default(self, key: str) -> bool:
        """True if the transformers class gives ``key`` a non-null default."""
        d = self.default(key)
        return d is not _ABSENT and d is not None

    def fail(self, msg: str) -> ConfigError:
        return ConfigError(f"{self.where} (model_type {self.model_type!r}): {msg}")

    def note(self, text: str) -> None:
        """Record an assumption the reader made."""
        if text not in self.assumed:
            self.assumed.append(text)

    def _misspelled(self, key: str) -> None:
        """Refuse to default ``key`` when the file has a near spelling of it (a typo)."""
        known = set(self.defaults) | {key}
        for k in self.data:
            if k in known or not isinstance(k, str) or abs(len(k) - len(key)) > 2:
                continue
            if difflib.SequenceMatcher(None, k, key).ratio() >= 0.9:
                raise self.fail(f"missing required field {key!r} (the file has {k!r}: a typo?)")

    def _fill(self, key: str, fallback: Any, why: str) -> Any:
        """The value for an absent (or null) key: the transformers default, else ``fallback``."""
        if self.raw(key) is _ABSENT:
            self._misspelled(key)
        d = self.default(key)
        if d is not _ABSENT and d is not None:
            self.note(f"{key}={d!r} (transformers {self.model_type} default)")
            return d
        if fallback is not None:
            self.note(f"{key}={fallback!r} ({why or _READER_DEFAULT})")
            return fallback
        return _ABSENT

    # ---------------------------------------------------------------- typed
    def _int(self, key: str, v: Any) -> int:
        if isinstance(v, int) and not isinstance(v, bool) and abs(v) > 10**18:
            # too long even to print (Python refuses str() of > 4,300 digits)
            digits = int(v.bit_length() * 0.30103) + 1
            raise self.fail(f"field {key!r} is a {digits}-digit number, far beyond any model")
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise self.fail(f"field {key!r} must be an integer, got {v!r}")
        if isinstance(v, float) and (not math.isfinite(v) or v != int(v)):
            raise self.fail(f"field {key!r} must be an integer, got {v!r}")
        if v < 0:
            raise self.fail(f"field {key!r} must not be negative, got {v!r}")
        return int(v)

    def integer(self, key: str, default: int | None = None, *, why: str = "") -> int:
        """A required integer ≥ 0: the file's, else the transformers default, else ``default``."""
        v = self.raw(key)
        if v is _ABSENT or v is None:
            v = self._fill(key, default, why)
            if v is _ABSENT:
                raise self.fail(f"missing required field {key!r}")
        return self._int(key, v)

    def opt_integer(self, key: str, default: int | None = None, *, why: str = "") -> int | None:
        """An optional integer: None when null; the class default (or ``default``) when absent."""
        v = self.raw(key)
        if v is None:
            return None
        if v is _ABSENT:
            v = self._fill(key, default, why)
            if v is _ABSENT or v is None:
                return None
        return self._int(key, v)

    def number(self, key: str, default: float | None = None, *, why: str = "") -> float:
        """A required finite number ≥ 0."""
        v = self.raw(key)
        if v is _ABSENT or v is None:
            v = self._fill(key, default, why)
            if v is _ABSENT:
                raise self.fail(f"missing required field {key!r}")
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or v < 0:
            raise self.fail(f"field {key!r} must be a non-negative number, got {v!r}")
        return float(v)

    def boolean(self, key: str, default: bool = False, *, why: str = "") -> bool:
        """A flag: the file's, else the transformers default, else ``default``."""
        v = self.raw(key)
        if v is _ABSENT or v is None:
            d = self.default(key)
            if d is not _ABSENT and d is not None:
                self.note(f"{key}={d!r} (transformers {self.model_type} default)")
                return bool(d)
            if why:
                self.note(f"{key}={default!r} ({why})")
            return default
        if not isinstance(v, bool):
            raise self.fail(f"field {key!r} must be true or false, got {v!r}")
        return v

    def string(self, key: str) -> str | None:
        """An optional string (the transformers default when absent)."""
        v = self.raw(key)
        if v is _ABSENT:
            d = self.default(key)
            return d if isinstance(d, str) else None
        if v is None:
            return None
        if not isinstance(v, str):
            raise self.fail(f"field {key!r} must be a string, got {v!r}")
        return v

    def sequence(self, key: str) -> list[Any] | None:
        """An optional list (the transformers default when absent; None when null)."""
        v = self.raw(key)
        if v is _ABSENT:
            d = self.default(key)
            return list(d) if isinstance(d, list) else None
        if v is None:
            return None
        if not isinstance(v, list):
            raise self.fail(f"field {key!r} must be a list, got {v!r}")
        return v

    def layer_indices(self, key: str) -> list[int] | None:
        """An optional list of layer indices (integers ≥ 0)."""
        v = self.sequence(key)
        for x in v or []:
            if isinstance(x, bool) or not isinstance(x, int) or x < 0:
                raise self.fail(f"field {key!r} must list layer indices, got entry {x!r}")
        return v

    def mapping(self, key: str) -> Mapping[str, Any]:
        """An optional nested object ({} when absent or null)."""
        v = self.raw(key)
        if v is _ABSENT or v is None:
            return {}
        if not isinstance(v, Mapping):
            raise self.fail(f"field {key!r} must be an object, got {v!r}")
        return v


def load(config: str | Path | Mapping[str, Any]) -> tuple[dict[str, Any], str]:
    """The config as a dict, and a name for it in messages (its path, or ``config``)."""
    if isinstance(config, Mapping):
        return dict(config), "config"
    path = Path(config)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except UnicodeDecodeError as e:
        raise ConfigError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    except OSError as e:
        raise ConfigError(f"{path}: cannot read ({e.strerror})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ConfigError(
            f"{path}: invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}"
        ) from None
    except ValueError as e:  # e.g. an integer of more digits than Python converts
        raise ConfigError(f"{path}: {str(e).split(';')[0]}") from None
    except RecursionError:
        raise ConfigError(f"{path}: JSON nested too deeply") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a JSON object, got {type(data).__name__}")
    return data, str(path)
