"""Measure llmsizing's config readers against the transformers ground truth in tests/data.

    python scripts/measure_families.py [FILE ...]

Default files: the held-out synthetic set (``tests/data/family_configs_heldout.json``) and the
held-out real configs (``set: heldout`` in ``tests/data/hf_param_counts_real.json``); give
``tests/data/family_configs.json`` for the development set. Each config is one of:

* **exact**: total within 0.1 % and active within 0.5 % of transformers' meta-device count;
* **wrong**: read without error, but a count outside those bounds;
* **refused**: a one-line ``ConfigError`` (an unsupported ``model_type`` or an impossible
  config);
* **crash**: any other exception;
* **no ground truth**: a ``model_type`` transformers itself cannot build (llmsizing must refuse
  it in one line; counted separately).

Needs only llmsizing (no transformers).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from llmsizing.errors import ConfigError  # noqa: E402
from llmsizing.hf import read_hf_config  # noqa: E402

DATA = ROOT / "tests" / "data"


def entries(path: Path, only_set: str | None) -> dict[str, Any]:
    models: dict[str, Any] = json.loads(path.read_text())["models"]
    if only_set:
        models = {k: v for k, v in models.items() if v.get("set") == only_set}
    return models


def verdict(entry: dict[str, Any]) -> str:
    cfg = entry.get("config") or json.loads((ROOT / entry["source"]).read_text())
    try:
        pc = read_hf_config(cfg).param_counts()
    except ConfigError as e:
        if "error" in entry:
            return "no ground truth (refused)" if "\n" not in str(e) else "crash"
        return "refused"
    except Exception:  # a crash is what is being measured
        return "crash"
    if "error" in entry:
        return "no ground truth (read)"
    ok = abs(pc.total - entry["total"]) <= 1e-3 * entry["total"]
    if "active" in entry:
        ok = ok and abs(pc.active - entry["active"]) <= 5e-3 * entry["active"]
    return "exact" if ok else "wrong"


def report(name: str, models: dict[str, Any]) -> Counter[str]:
    counts: Counter[str] = Counter()
    types: set[str] = set()
    for key, entry in models.items():
        v = verdict(entry)
        counts[v] += 1
        types.add(str(entry.get("model_type")))
        if v not in ("exact", "no ground truth (refused)"):
            print(f"  {v}: {key} ({entry.get('model_type')})")
    judged = sum(n for k, n in counts.items() if not k.startswith("no ground truth"))
    exact = counts["exact"]
    print(
        f"{name}: {len(models)} configs, {len(types)} model_types; "
        + ", ".join(f"{k} {n}" for k, n in sorted(counts.items()))
        + f"; exact {exact}/{judged} = {100 * exact / max(judged, 1):.1f} %"
    )
    return counts


def main(argv: list[str]) -> int:
    total: Counter[str] = Counter()
    if argv:
        for p in argv:
            total += report(p, entries(Path(p), None))
    else:
        total += report("synthetic held-out", entries(DATA / "family_configs_heldout.json", None))
        total += report("real held-out", entries(DATA / "hf_param_counts_real.json", "heldout"))
    judged = sum(n for k, n in total.items() if not k.startswith("no ground truth"))
    print(
        f"all: exact {total['exact']}/{judged} = {100 * total['exact'] / max(judged, 1):.1f} %,"
        f" wrong {total['wrong']}, crash {total['crash']}, refused {total['refused']}"
    )
    return 0 if total["wrong"] == 0 and total["crash"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
