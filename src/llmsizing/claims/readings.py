"""Open choices: the candidate readings a checker tries, and how a "depends" is worded.

Where a claim leaves the weight format, the KV format, the context, the batch
or the instance count open, a checker does not pick one: it tries every
candidate below and the verdict is

* **holds** if the claim holds under every reading,
* **fails** if it holds under none,
* **depends** otherwise, naming the readings (and the context, batch or
  instance thresholds) under which it holds.

Candidate sets (data, one place):

* Weight formats, :data:`WEIGHT_CANDIDATES`: the formats serving engines load
  on each accelerator kind. vLLM serves bf16, FP8 (W8A8, Hopper and newer),
  INT8 (W8A8) and 4-bit AWQ/GPTQ weights on GPUs [1]_; the Neuron SDK serves
  bf16 and quantises weights to INT8 or FP8 [2]_, and 4-bit weights are stored
  (and dequantised) the same way; on Inferentia2/Trainium1 FP8 is a storage
  format, the memory is the same.
* KV formats, :data:`KV_CANDIDATES`: bf16 and FP8 (vLLM ``--kv-cache-dtype
  fp8`` [1]_; Neuron KV-cache quantisation [2]_).
* Contexts: from :data:`MIN_CONTEXT` tokens up to the model's
  ``max_position_embeddings``; a "depends" names the longest context that holds.
* Batch ("users"): 1 unless the claim gives a number or a range ``[lo, hi]``.
* Instances: 1 unless the claim gives a number or a range ``[lo, hi]``
  (a plural such as "Inf2 instances" is written as a range).

References
----------
.. [1] vLLM documentation, "Quantization" (supported hardware table: FP8
   W8A8, INT8 W8A8, AWQ, GPTQ) and "Quantized KV Cache".
.. [2] AWS Neuron documentation, NxD Inference "Quantization" (weight INT8/FP8)
   and "KV cache quantization".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .schema import Status

__all__ = [
    "KV_CANDIDATES",
    "MIN_CONTEXT",
    "WEIGHT_CANDIDATES",
    "Outcome",
    "combine",
    "describe",
    "kv_label",
]

#: Weight formats tried when a claim leaves them open, by accelerator kind.
WEIGHT_CANDIDATES: dict[str, tuple[str, ...]] = {
    "gpu": ("bf16", "fp8", "int8", "int4"),
    "neuron": ("bf16", "fp8", "int8", "int4"),
}
#: KV-cache formats tried when a claim leaves them open.
KV_CANDIDATES: tuple[str, ...] = ("bf16", "fp8")
#: Shortest context tried when a claim leaves the context open [tokens].
MIN_CONTEXT = 512


def kv_label(kv: str | float) -> str:
    """``"fp8"`` as is; a bit width as ``"8-bit"``.

    Examples
    --------
    >>> kv_label("bf16"), kv_label(6.0)
    ('bf16', '6-bit')
    """
    return kv if isinstance(kv, str) else f"{kv:g}-bit"


@dataclass(frozen=True)
class Outcome:
    """The verdict under one reading of the open choices.

    Attributes
    ----------
    weights, kv : str
        The weight and KV formats of the reading ("" where not a choice).
    status : {"holds", "fails", "depends"}
    condition : str
        Where it holds when it depends (``"up to 1,300-token contexts"``).
    """

    weights: str
    kv: str
    status: Status
    condition: str = ""


def combine(outcomes: Sequence[Outcome]) -> Status:
    """holds if every reading holds, fails if none does (not even in part), else depends.

    Examples
    --------
    >>> combine([Outcome("bf16", "bf16", "holds"), Outcome("int4", "bf16", "fails")])
    'depends'
    """
    statuses = {o.status for o in outcomes}
    if statuses == {"holds"}:
        return "holds"
    if statuses == {"fails"}:
        return "fails"
    return "depends"


def _labels(group: Sequence[Outcome], all_outcomes: Sequence[Outcome], noun: str) -> str:
    """ "``int4 weights``, ``fp8 or int8 weights``, ``int4 weights, or fp8 weights with fp8 KV``."""
    kvs_of = {o.weights: {x.kv for x in all_outcomes if x.weights == o.weights} for o in group}
    mine: dict[str, frozenset[str]] = {}
    for o in group:
        mine[o.weights] = mine.get(o.weights, frozenset()) | {o.kv}
    by_kv: dict[frozenset[str], list[str]] = {}
    for w, kvs in mine.items():
        key = frozenset() if kvs == kvs_of[w] else kvs
        by_kv.setdefault(key, []).append(w)
    parts = []
    for kvs, ws in sorted(by_kv.items(), key=lambda kv_ws: len(kv_ws[0])):
        kv = f" with {_or(sorted(kvs))} KV" if kvs else ""
        parts.append(f"{_or(ws)} {noun}{kv}")
    return ", or ".join(parts)


def _or(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def describe(outcomes: Sequence[Outcome], noun: str = "weights") -> str:
    """Name the readings under which a claim holds, in part or not at all.

    Examples
    --------
    >>> describe([Outcome("bf16", "bf16", "fails"), Outcome("int4", "bf16", "holds"),
    ...           Outcome("fp8", "bf16", "depends", "up to 1,300-token contexts")])
    'It holds with int4 weights; with fp8 weights up to 1,300-token contexts; it fails with ...'
    """
    if len({(o.weights, o.kv) for o in outcomes}) <= 1:
        o = outcomes[0]
        return f"It holds {o.condition}." if o.status == "depends" and o.condition else ""
    groups: dict[tuple[str, str], list[Outcome]] = {}
    for o in outcomes:
        groups.setdefault((o.status, o.condition), []).append(o)
    parts: list[str] = []
    for (status, cond), g in groups.items():
        if status == "holds":
            parts.insert(0, f"with {_labels(g, outcomes, noun)}")
        elif status == "depends":
            parts.append(f"with {_labels(g, outcomes, noun)} {cond or 'for part of the range'}")
    text = "It holds " + "; ".join(parts) if parts else ""
    fails = [g for (status, _), g in groups.items() if status == "fails"]
    if fails:
        text += ("; it" if text else "It") + f" fails with {_labels(fails[0], outcomes, noun)}"
    return text + "."
