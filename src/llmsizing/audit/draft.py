"""Drafting claims from the quantitative statements of a report, by rules.

For every :class:`~llmsizing.audit.markdown.Block` with a number, a model or
an instance, :func:`draft_document` links what it names (its own mentions
first, then those of its sub-heading, parent bullet and headings) and applies
the rules below. Each rule that applies drafts one claim, carrying the exact
excerpt as ``text`` and the heading path as ``source``; a statement that no
rule settles is listed with the reason it cannot be checked.

==============================  ======================================================
what the statement says         claim drafted
==============================  ======================================================
memory / bandwidth / FLOPs /    ``spec`` of the instance it names (per device with
chips, cores, vCPUs             "per chip", "each"; sparse with "sparse"; an
                                unnamed precision or per-device/total reading is
                                read both ways and the nearer one kept, noted)
"single node"                   ``spec`` nodes = 1
N x ... vs INSTANCE             ``ratio`` of a spec quantity between two instances
N% parameter reduction (MoE)    ``ratio`` parameter_reduction, for each MoE model
N% KV cache savings (SWA/MLA)   ``ratio`` kv_cache_reduction against full attention
                                (sliding windows) or MHA (MLA), per model
N% attention compute (GQA)      ``ratio`` attention_flops_reduction against MHA
N total / M active parameters   ``architecture`` total/active and ``ratio``
                                active_parameter_fraction (±half a unit of the
                                rounded figures)
experts, N:1 windows, windows,  ``architecture`` facts of the model named
attention type, QK-Norm
N x increase from M params      ``ratio`` parameter_ratio between two presets
model (or class) + instance     ``fit``; with "concurrent users" a batch range;
                                with "$ per 1M tokens" a ``cost``; in a training
                                context ``training`` (a parameter count or model)
model + Lambda                  ``service_limit`` fits_model
==============================  ======================================================

A class of models ("10-100B parameters", "20B+ active") is read as its
smallest and largest presets; a technique without a model ("MoE") as the
report's own models with that trait, or every preset with it where the report
names none (each figure read with the technique written nearest before it, as
a flowchart node or a table row names several); a configuration group without a model as
every model the report names. "P5en instances" (a plural) is a range of
:data:`PLURAL_INSTANCES`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .entities import InstanceMention, Quantity, Vocabulary, number, quantities
from .markdown import Block, blocks

__all__ = ["PLURAL_INSTANCES", "Draft", "Statement", "draft_document"]

#: Instance counts a plural ("Inf2 instances", "a cluster of P5en") is read over.
PLURAL_INSTANCES = (1, 16)
#: Relative tolerance of a figure unless its rounding is coarser.
DEFAULT_TOLERANCE = 0.05

_PERF = re.compile(
    r"throughput|latency|faster|speed|performance(?!\s*/)|cost|price|cheaper|savings?|"
    r"time to train|training time|efficien|power|utili[sz]ation|accuracy|improvement in",
    re.I,
)
_COMPARE = re.compile(r"\b(vs\.?|versus|compared (?:to|with)|over|than)\s", re.I)
_TIME = re.compile(
    r"\d\s*(?:-\s*\d+\s*)?(?:minutes?|hours?|days?|weeks?|months?|years?|steps?"
    r"|nanometer|ms\b|GHz)",
    re.I,
)


_SERVICE = re.compile(r"\bLambda\b")


@dataclass
class Draft:
    """One claim drafted from a statement: its fields and how it was read."""

    fields: dict[str, Any]
    note: str = ""


@dataclass
class Statement:
    """A quantitative statement of the report, what it names, and what was drafted."""

    block: Block
    models: list[str]
    instances: list[str]
    quantities: list[Quantity]
    drafts: list[Draft] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    positions: tuple[tuple[str, int], ...] = ()

    @property
    def checkable(self) -> bool:
        """True when at least one claim was drafted."""
        return bool(self.drafts)


# --------------------------------------------------------------- document scan
@dataclass
class _Doc:
    vocab: Vocabulary
    models: list[str]
    aliases: dict[str, list[str]]
    config_instances: dict[tuple[tuple[str, ...], str], list[str]]
    baselines: dict[tuple[str, ...], list[str]] = field(default_factory=dict)
    triggers: str = ""


def _bare_sizes(vocab: Vocabulary, text: str) -> list[str]:
    """Presets named by a bare parameter count: "70B parameters", "8B models"."""
    out = []
    for m in re.finditer(
        r"(\d+(?:\.\d+)?)\s*(?:B|billion)\b(?!\s*MoE)(?=[\s-]*(?:parameter|model))", text
    ):
        hit = vocab.nearest(float(m.group(1)), tol=0.03)
        if hit:
            out.append(hit)
    return out


def _scan(vocab: Vocabulary, bs: Sequence[Block]) -> _Doc:
    models: list[str] = []
    aliases: dict[str, list[str]] = {}
    config: dict[tuple[tuple[str, ...], str], list[str]] = {}
    seen_titles = set()
    for b in bs:
        for n in [*vocab.models(b.text), *_bare_sizes(vocab, b.text)]:
            if n not in models:
                models.append(n)
        if b.kind == "config" and b.context:
            key = (b.section, b.context[0])
            found = list(vocab.instances(b.text).names)
            config.setdefault(key, [])
            for n in found:
                if n not in config[key]:
                    config[key].append(n)
            title = b.context[0]
            word = title.split()[0] if title.split() else ""
            if found and word and (title not in seen_titles or re.search("train", b.text, re.I)):
                if title not in seen_titles or re.search(r"\btrain", b.text, re.I):
                    aliases[word] = found
                seen_titles.add(title)
    for s in {h for b in bs for h in b.section}:
        models.extend(n for n in vocab.models(s) if n not in models)
    return _Doc(vocab, models, aliases, config)


# ------------------------------------------------------------- entity linking
def _own_instances(doc: _Doc, text: str) -> InstanceMention:
    return doc.vocab.instances(text)


def _context_instances(doc: _Doc, b: Block) -> tuple[list[str], bool]:
    """Instances of the nearest enclosing heading, parent bullet or configuration that names any."""
    if b.kind == "config" and b.context:
        group = doc.config_instances.get((b.section, b.context[0]), [])
        if group:
            return group, False
    where = " ".join([*b.context, *b.section])
    ultra = True if re.search(r"ultra\s?servers?", where, re.I) else None
    for title in [*reversed(b.context), *reversed(b.section)]:
        mention = doc.vocab.instances(title, ultra=ultra)
        if mention.names:
            return list(mention.names), mention.plural
        for word, names in doc.aliases.items():
            if re.search(rf"\b{re.escape(word)}\b", title):
                return list(names), False
    return [], False


def _context_models(doc: _Doc, b: Block) -> list[str]:
    for title in [*reversed(b.context), *reversed(b.section)]:
        found = doc.vocab.models(title)
        if found:
            return found
    return []


def _unknown_instances(text: str, vocab: Vocabulary) -> list[str]:
    out = []
    for m in re.finditer(
        r"(?<![\w-])([A-Z]\d+[a-z]*(?:dn)?)"
        r"(?=(?:[\w\s,/-]{0,20}?\b(?:instances?|Instance Family)\b)|\s*/|\s*,\s*[A-Z]\d)",
        text,
    ):
        tok = m.group(1)
        if not vocab.instances(tok).names and tok not in out:
            out.append(tok)
    for m in re.finditer(r"\b(?:EC2|vs\.?)\s+([A-Z]\d+[a-z]*(?:dn)?)\b", text):
        tok = m.group(1)
        if not vocab.instances(tok).names and tok not in out:
            out.append(tok)
    return out


# ------------------------------------------------------------- small utilities
def _fmt(x: float) -> str:
    return f"{x:g}"


def _window(text: str, q: Quantity, before: int = 40, after: int = 40) -> str:
    return text[max(0, q.start - before) : q.end + after].lower()


def _after(text: str, q: Quantity, n: int = 40) -> str:
    return text[q.end : q.end + n].lower()


def _before(text: str, q: Quantity, n: int = 40) -> str:
    return text[max(0, q.start - n) : q.start].lower()


def _rounding(value: float) -> float:
    """Relative half-unit of a figure written without decimals: 3 -> 0.167."""
    if value == int(value) and value > 0:
        return 0.5 / value
    return 0.0


def _tol(*values: float) -> str | None:
    t = sum(_rounding(v) for v in values)
    if t <= DEFAULT_TOLERANCE:
        return None
    return f"{100 * t:.0f}%"


def _unit(q: Quantity) -> str:
    return f"{_fmt(q.value)} {q.unit}"


def _spec_value(vocab: Vocabulary, instance: str, quantity: str) -> float | None:
    from llmsizing.claims import spec_value

    try:
        v = spec_value(vocab.instance(instance), quantity)
    except Exception:
        return None
    if v is None:
        return None
    return float(v.to_base_units().magnitude) if hasattr(v, "to_base_units") else float(v)


def _claimed_base(q: Quantity) -> float | None:
    from llmsizing.units import ureg

    unit = {"PFLOPS": "PFLOPS", "EFLOPS": "EFLOPS", "TFLOPS": "TFLOPS"}.get(q.unit, q.unit)
    try:
        return float(ureg.Quantity(q.value, unit).to_base_units().magnitude)
    except Exception:
        return None


def _nearest(vocab: Vocabulary, instance: str, q: Quantity, options: Sequence[str]) -> str:
    """The reading of ``options`` whose catalog figure is nearest the claimed one."""
    claimed = _claimed_base(q)
    best = options[0]
    best_err = float("inf")
    for opt in options:
        v = _spec_value(vocab, instance, opt)
        if v is None or claimed is None or v <= 0 or claimed <= 0:
            continue
        import math

        err = abs(math.log(claimed / v))
        if err < best_err:
            best, best_err = opt, err
    return best


# --------------------------------------------------------------------- rules
def _spec_quantity(text: str, q: Quantity) -> tuple[list[str], str] | None:
    """Candidate spec quantities for ``q`` (more than one: read both ways), and a note."""
    w = _window(text, q)
    a = _after(text, q, 45)
    b = _before(text, q, 30)
    per = bool(
        re.search(
            r"^\W*(?:[\w-]+\s+){0,4}?(?:per (?:chip|gpu|device|accelerator|h\d+)|each)"
            r"|memory each",
            a,
        )
    )
    if q.kind == "memory":
        device_before = re.search(r"(?<![\w-])(?:h|b)\d00\s+with\s*$", b)
        if (
            re.match(r"\s*(?:of\s+)?(?:hbm|gpu memory|accelerator memory|high[- ]bandwidth)", a)
            or device_before
        ):
            if per or device_before:
                return ["accelerator_memory_per_device"], ""
            if re.search(r"total|shared", a[:30]):
                return ["accelerator_memory_total"], ""
            return (
                ["accelerator_memory_per_device", "accelerator_memory_total"],
                "per device or in total is not stated: read the nearer way",
            )
        if re.search(r"nvme|ssd|storage", a[:40]):
            return ["local_nvme"], ""
        if re.search(r"system memory|host memory", a[:30]):
            return ["host_memory"], ""
        if (
            re.search(r"hbm|gpu memory|accelerator memory|high-bandwidth|memory each|gpu", a[:45])
            or per
            or re.search(r"hbm", b)
        ):
            if per:
                return ["accelerator_memory_per_device"], ""
            if re.search(r"total|shared", a[:30]):
                return ["accelerator_memory_total"], ""
            return (
                ["accelerator_memory_per_device", "accelerator_memory_total"],
                "per device or in total is not stated: read the nearer way",
            )
        if re.search(r"^\s*memory", a) and re.search(r"vcpu", text, re.I):
            return ["host_memory"], "memory listed with the vCPUs: host memory"
        return None
    if q.kind == "bandwidth":
        if re.search(r"efa|network", w):
            return ["network_bandwidth"], ""
        if re.search(r"nvlink|neuronlink|interconnect", w):
            if per:
                return ["interconnect_bandwidth_per_device"], ""
            return ["interconnect_bandwidth_total"], ""
        if q.unit in ("TB/s", "GB/s") and re.search(r"hbm|memory|bandwidth", w):
            return (["memory_bandwidth_per_device"] if per else ["memory_bandwidth_total"]), ""
        return None
    if q.kind == "flops":
        sparse = "sparse" in w and "dense" not in w
        scope = "per_device" if re.search(r"per (?:chip|gpu|device)", a) else "total"
        kind = "sparse" if sparse else "dense"
        if "fp8" in w:
            dtypes = ["fp8"]
        elif re.search(r"fp16|bf16", w):
            dtypes = ["bf16"]
        elif "fp4" in w:
            dtypes = ["fp4"]
        else:
            dtypes = ["bf16", "fp8"]
        names = [f"{kind}_flops_{d}_{scope}" for d in dtypes]
        from llmsizing.claims import SPEC_QUANTITIES

        names = [n for n in names if n in SPEC_QUANTITIES]
        if not names:
            return None
        note = "" if len(names) == 1 else "precision not stated: read at the nearer of FP8 and BF16"
        return names, note
    if q.kind == "count":
        noun = q.noun.lower()
        nxt = a.split()[:1]
        if nxt and nxt[0].strip(",.;)") in ("failure", "failures", "per", "hours"):
            return None
        if noun.startswith(("gpu", "chip", "accelerator", "device")):
            return ["accelerator_count"], ""
        if noun.startswith("neuroncore"):
            return ["neuron_cores"], ""
        if noun.startswith("vcpu"):
            return ["vcpus"], ""
        return None
    return None


def _clause_instances(st: Statement, q: Quantity, insts: list[str]) -> list[str]:
    """Of several instances, those named in the clause of ``q`` (else all)."""
    if len(insts) < 2 or not st.positions:
        return insts
    text = st.block.text
    cut = max(text.rfind(c, 0, q.start) for c in ",;|(")
    here = [n for n, p in st.positions if cut < p < q.start and n in insts]
    return list(dict.fromkeys(here)) or insts


def _nearest_member(doc: _Doc, inst: str, q: Quantity, options: Sequence[str]) -> tuple[str, str]:
    """A family named without a size: its single-node or multi-node member, the nearer one."""
    i = doc.vocab.instance(inst)
    pair = [*doc.vocab.representatives(i.family, False), *doc.vocab.representatives(i.family, True)]
    pair = list(dict.fromkeys(pair))
    if len(pair) < 2 or q.kind == "count":
        return inst, ""
    import math

    claimed = _claimed_base(q)
    best, best_err = inst, float("inf")
    for cand in pair:
        v = _spec_value(doc.vocab, cand, options[0])
        if v is None or claimed is None or v <= 0 or claimed <= 0:
            continue
        err = abs(math.log(claimed / v))
        if err < best_err:
            best, best_err = cand, err
    if best == inst:
        return inst, ""
    return best, f"family named without a size: read as {best}, the nearer member"


def _spec_drafts(
    doc: _Doc, st: Statement, insts: list[str], used: set[int], exact: Sequence[str] = ()
) -> None:
    text = st.block.text
    for idx, q in enumerate(st.quantities):
        if idx in used:
            continue
        read = _spec_quantity(text, q)
        if read is None:
            continue
        options, note = read
        if not insts:
            continue
        if _COMPARE.search(text[q.end : q.end + 40].split("|")[0].split(",")[0]) and q.kind in (
            "memory",
            "flops",
        ):
            continue  # "N ... vs X" is a ratio, handled there
        used.add(idx)
        for inst0 in _clause_instances(st, q, insts):
            inst, fam_note = inst0, ""
            if inst0 not in exact:
                inst, fam_note = _nearest_member(doc, inst0, q, options)
            qty = options[0] if len(options) == 1 else _nearest(doc.vocab, inst, q, options)
            if fam_note:
                note = "; ".join(x for x in (note, fam_note) if x)
            if q.kind == "count":
                value: Any = int(q.value)
            else:
                value = _unit(q)
            f: dict[str, Any] = {
                "kind": "spec",
                "instance": inst,
                "quantity": qty,
                "value": value,
            }
            st.drafts.append(Draft(f, note))
    if re.search(r"\bsingle[- ]node\b", text, re.I) and insts:
        for inst in insts:
            if doc.vocab.instance(inst).nodes >= 1:
                st.drafts.append(
                    Draft(
                        {"kind": "spec", "instance": inst, "quantity": "nodes", "value": 1},
                        "'single node' read as one node",
                    )
                )


_RATIO_QTY = [
    # a bare "bandwidth" of an accelerator system is its memory bandwidth, as the vendors'
    # headline figures ("3.9 times more bandwidth") give it
    (re.compile(r"(?:memory |hbm )?bandwidth", re.I), "memory_bandwidth_total"),
    (
        re.compile(
            r"(?:(?:raw|peak|total|aggregate)\s+)?(?:gpu\s+)?(?:tflops|flops|compute)", re.I
        ),
        "dense_flops_fp8_total",
    ),
    (re.compile(r"gpu memory|hbm|memory", re.I), "accelerator_memory_total"),
]
#: A comparison with the generation before the subject's: "than last year's Trainium UltraServer".
_PREVIOUS = re.compile(
    r"^\W*(?:the\s+)?(?:last year's|previous(?: generation)?|prior(?: generation)?|predecessor)\b",
    re.I,
)


def _previous_generation(doc: _Doc, subject: str) -> str | None:
    """The instance of the generation before ``subject``'s (trn3 -> trn2), at its node scale.

    Examples
    --------
    >>> from llmsizing.audit.entities import Vocabulary
    >>> d = _Doc(Vocabulary.default(), [], {}, {})
    >>> _previous_generation(d, "trn3-ultraserver-gen2"), _previous_generation(d, "p5.48xlarge")
    ('u-trn2x64', 'p4d.24xlarge')
    """
    inst = doc.vocab.instance(subject)
    m = re.fullmatch(r"([a-z]+)(\d+)([a-z]*)", inst.family)
    if not m or int(m.group(2)) < 2:
        return None
    stem = f"{m.group(1)}{int(m.group(2)) - 1}"
    for fam in dict.fromkeys([stem + m.group(3), stem]):
        reps = doc.vocab.representatives(fam, inst.nodes > 1)
        if reps:
            return reps[0]
    return None


def _instance_ratio_drafts(doc: _Doc, st: Statement, subjects: list[str], used: set[int]) -> None:
    text = st.block.text
    cmp_ = _COMPARE.search(text)
    baseline: list[str] = []
    device_level = False
    if cmp_:
        after = text[cmp_.end() :]
        mention = doc.vocab.instances(after)
        baseline = list(mention.names)
        if not baseline and subjects and _PREVIOUS.match(after):
            prev = _previous_generation(doc, subjects[0])
            baseline = [prev] if prev else []
        device_level = (
            bool(baseline)
            and not re.search(r"\b(?:[a-z]+\d+[a-z]*)\s+instances?|\.\d*xlarge", after, re.I)
            and bool(re.search(r"trainium|inferentia|h\d00|b\d00", after, re.I))
            and not re.search(r"ultra\s?servers?|servers?|instances?", after, re.I)
        )
        if baseline:
            doc.baselines[st.block.section] = baseline
            before = doc.vocab.instances(text[: cmp_.start()])
            if before.names:
                subjects = [n for n in before.names if n not in baseline]
    if not baseline:
        baseline = doc.baselines.get(st.block.section, [])
    if not baseline or not subjects:
        return
    for idx, q in enumerate(st.quantities):
        if idx in used or q.kind not in ("factor", "percent"):
            continue
        a = _after(text, q, 30)
        b = _before(text, q, 12)
        if q.kind == "percent" and not re.match(r"\s*(higher|more|greater)", a):
            continue
        head = re.sub(r"^\W*(?:higher|more|greater|better)\s+", "", a).strip()
        qty = None
        for pat, name in _RATIO_QTY:
            if pat.match(head):
                qty = name
                break
        if qty is None:
            continue
        if device_level and qty.endswith("_total") and qty.startswith("dense"):
            qty = qty.replace("_total", "_per_device")
        value = q.value if q.kind == "factor" else 1 + q.value / 100
        relation = "at_least" if re.search(r"over|more than|>|at least", b) else "approx"
        used.add(idx)
        for s in subjects:
            f: dict[str, Any] = {
                "kind": "ratio",
                "quantity": qty,
                "instance": s,
                "baseline_instance": baseline[0],
                "value": f"{_fmt(round(value, 4))}x",
            }
            if relation != "approx":
                f["relation"] = relation
            st.drafts.append(Draft(f, "against " + baseline[0]))


#: The techniques' names in notes.
_TECHNIQUE_NAMES = {
    "swa": "sliding-window attention",
    "mla": "multi-head latent attention",
    "gqa": "grouped-query attention",
    "moe": "mixture-of-experts layers",
}
#: How a statement names each technique the ratio rules read.
_TECHNIQUES = (
    ("swa", re.compile(r"sliding window|\bswa\b|local attention")),
    ("mla", re.compile(r"latent attention|\bmla\b")),
    ("gqa", re.compile(r"grouped-query|grouped query|\bgqa\b")),
    ("moe", re.compile(r"mixture-of-experts|\bmoe\b|sparsity|sparse model")),
)


def _technique(text: str) -> str | None:
    t = text.lower()
    for name, pat in _TECHNIQUES:
        if pat.search(t):
            return name
    return None


def _technique_before(text: str, q: Quantity) -> str | None:
    """The technique named nearest before ``q`` in the same statement, if any.

    A flowchart or table row can name several ("MoE ... 85%", "GQA ... 25-40%"):
    each figure belongs to the technique written just before it.
    """
    head = text[: q.start].lower()
    best, where = None, -1
    for name, pat in _TECHNIQUES:
        for m in pat.finditer(head):
            if m.start() > where:
                best, where = name, m.start()
    return best


def _trait_models(doc: _Doc, technique: str, named: list[str]) -> tuple[list[str], bool]:
    """Models with the technique: those named, else the report's, else every preset's.

    The flag is True when the report names none and the presets with the
    trait stand in for "a model using it".
    """
    pool = named or doc.models
    info = doc.vocab.models_info
    trait: Callable[[str], bool] = {
        "swa": lambda n: info[n].windowed,
        "mla": lambda n: info[n].mla,
        "gqa": lambda n: info[n].gqa,
        "moe": lambda n: info[n].moe,
    }[technique]
    hits = [n for n in pool if n in info and trait(n)]
    if not hits and named:
        hits = [n for n in doc.models if n in info and trait(n)]
    if not hits and not any(n in info and trait(n) for n in doc.models):
        return [n for n in info if trait(n)], True
    return hits, False


def _percent_value(q: Quantity) -> tuple[str, str | None]:
    if q.hi is not None:
        mid = (q.value + q.hi) / 2
        return f"{_fmt(mid)}%", f"{_fmt((q.hi - q.value) / 2)}%"
    return f"{_fmt(q.value)}%", None


def _model_ratio_drafts(doc: _Doc, st: Statement, models: list[str], used: set[int]) -> None:
    text = st.block.text
    context_text = " ".join([*st.block.context, *st.block.section[-1:]])
    for idx, q in enumerate(st.quantities):
        if idx in used or q.kind != "percent":
            continue
        tech = _technique_before(text, q) or _technique(text) or _technique(context_text)
        w = _window(text, q, 10, 60)
        a = _after(text, q, 60)
        quantity = baseline = None
        if (
            re.search(r"parameter", a)
            and re.search(r"reduc|fewer|less|saving", a)
            and tech in ("moe", None)
        ):
            quantity, tech_ = "parameter_reduction", "moe"
        elif (
            re.search(r"kv[- ](?:cache|reduction)|memory (?:cost|saving|reduction)|memory costs", w)
            and re.search(r"reduc|saving|less|smaller|lower", w)
            and tech in ("swa", "mla", "gqa")
        ):
            quantity, tech_ = "kv_cache_reduction", tech
            baseline = "full" if tech == "swa" else "mha"
        elif tech == "gqa" and (
            re.search(r"^\W*(?:attention\s+)?(?:comput|flops)", a)
            or re.search(r"attention (?:comput\w*|flops)(?: by| of)?\s*$", _before(text, q, 40))
        ):
            # "25-40% (attention) computation reduction", "reduces attention computation by 25-40%"
            quantity, tech_, baseline = "attention_flops_reduction", "gqa", "mha"
        if quantity is None:
            continue
        targets, stand_in = _trait_models(doc, tech_, models)
        if not targets:
            continue
        used.add(idx)
        value, tol = _percent_value(q)
        for m in targets:
            f: dict[str, Any] = {"kind": "ratio", "quantity": quantity, "model": m}
            if baseline:
                f["baseline"] = baseline
            f["value"] = value
            if tol:
                f["tolerance"] = tol
            notes = ["range read as its midpoint ± half its width"] if tol else []
            if stand_in:
                notes.append(
                    f"the report names no model with {_TECHNIQUE_NAMES[tech_]}: "
                    "every preset with it"
                )
            st.drafts.append(Draft(f, "; ".join(notes)))


def _param_drafts(doc: _Doc, st: Statement, models: list[str], used: set[int]) -> None:
    """Total / active parameter counts and the active fraction, of the model named."""
    text = st.block.text
    total = active = None
    for idx, q in enumerate(st.quantities):
        if (
            q.kind != "params"
            or q.plus
            or q.hi is not None
            or ">" in text[max(0, q.start - 2) : q.start]
        ):
            continue
        a = _after(text, q, 25)
        b = _before(text, q, 25)
        if re.match(r"\W*(?:total|moe)", a):
            total = (idx, q)
        elif re.match(r"\W*(?:active|activated)", a) or "active" in b[-12:]:
            active = (idx, q)
        elif total is None and re.match(r"\W*parameter", a) and "increase" not in text:
            total = (idx, q)
    if not models or (total is None and active is None):
        return
    model = models[0]
    for found, name in ((total, "total_params"), (active, "active_params")):
        if found is None:
            continue
        idx, q = found
        used.add(idx)
        f: dict[str, Any] = {
            "kind": "architecture",
            "model": model,
            "quantity": name,
            "value": f"{_fmt(q.value / 1e9)}B",
        }
        tol = _tol(q.value / 1e9)
        if tol:
            f["tolerance"] = tol
        st.drafts.append(Draft(f, "rounded figure: ± half a unit" if tol else ""))
    if total and active:
        t, a_ = total[1].value / 1e9, active[1].value / 1e9
        f = {
            "kind": "ratio",
            "quantity": "active_parameter_fraction",
            "model": model,
            "value": f"{100 * a_ / t:.4g}%",
        }
        tol = _tol(a_, t)
        if tol:
            f["tolerance"] = tol
        st.drafts.append(Draft(f, f"{_fmt(a_)}B / {_fmt(t)}B"))


def _architecture_drafts(doc: _Doc, st: Statement, models: list[str], used: set[int]) -> None:
    text = st.block.text
    low = text.lower()
    if not models:
        return
    arch_section = any(re.search(r"architecture", s, re.I) for s in st.block.section[-1:])
    model: Any = models[0] if len(models) == 1 else tuple(models)
    for idx, q in enumerate(st.quantities):
        if idx in used:
            continue
        a = _after(text, q, 30)
        if q.kind == "count" and q.noun.lower().startswith("expert"):
            if re.search(r"activat\w*(?:\s+only)?\s*$", _before(text, q, 25)) or re.match(
                r"\s*experts? per token", a
            ):
                name = "active_experts"
            else:
                name = "routed_experts"
            used.add(idx)
            st.drafts.append(
                Draft(
                    {
                        "kind": "architecture",
                        "model": model,
                        "quantity": name,
                        "value": int(q.value),
                    }
                )
            )
        elif q.kind == "ratio" and re.search(r"sliding|local", low) and "global" in low:
            used.add(idx)
            st.drafts.append(
                Draft(
                    {
                        "kind": "architecture",
                        "model": model,
                        "quantity": "window_ratio",
                        "value": f"{_fmt(q.value)}:{_fmt(q.hi or 1)}",
                    }
                )
            )
        elif q.kind == "tokens" and re.search(r"sliding window|window", a):
            used.add(idx)
            st.drafts.append(
                Draft(
                    {
                        "kind": "architecture",
                        "model": model,
                        "quantity": "sliding_window",
                        "value": int(q.value),
                    }
                )
            )
    if not arch_section:
        return
    if re.search(r"shared expert(?!s)", low):
        st.drafts.append(
            Draft(
                {"kind": "architecture", "model": model, "quantity": "shared_experts", "value": 1},
                "'shared expert' (singular) read as one",
            )
        )
    att = None
    if re.search(r"latent attention|\bmla\b", low):
        att = "MLA"
    elif re.search(r"grouped[- ]query|\bgqa\b", low):
        att = "GQA"
    elif re.search(r"multi-head attention|\bmha\b", low):
        att = "MHA"
    if att:
        st.drafts.append(
            Draft({"kind": "architecture", "model": model, "quantity": "attention", "value": att})
        )
    if re.search(r"qk-norm|qk norm", low):
        st.drafts.append(
            Draft({"kind": "architecture", "model": model, "quantity": "qk_norm", "value": "yes"})
        )


def _weight_memory_drafts(st: Statement, used: set[int]) -> None:
    """ "20B params at bfloat16 (≈40 GB just for weights)": the weight memory of a count."""
    text = st.block.text
    params = [q for q in st.quantities if q.kind == "params" and q.hi is None]
    weights = _weights(text)
    if not params or not weights:
        return
    for idx, q in enumerate(st.quantities):
        if q.kind == "memory" and re.match(
            r"\W*(?:just\s+|only\s+)?(?:for|of)?\s*(?:the\s+)?weights", _after(text, q, 30)
        ):
            used.add(idx)
            st.drafts.append(
                Draft(
                    {
                        "kind": "memory",
                        "quantity": "weights",
                        "params": f"{_fmt(params[0].value / 1e9)}B",
                        "value": _unit(q),
                        "workload": {"weights": weights},
                    }
                )
            )


def _param_ratio_drafts(doc: _Doc, st: Statement, used: set[int]) -> None:
    text = st.block.text
    m = re.search(
        r"(\d+(?:\.\d+)?)\s*x\s+(?:increase|larger|bigger|more parameters)\s+from\s+"
        r"(\d+(?:\.\d+)?)\s*B",
        text,
    )
    if not m:
        return
    params = [q for q in st.quantities if q.kind == "params"]
    if not params:
        return
    big = doc.vocab.nearest(params[0].value / 1e9, tol=0.03)
    small = doc.vocab.nearest(float(m.group(2)), tol=0.03)
    if not big or not small or big == small:
        return
    for idx, q in enumerate(st.quantities):
        if q.kind in ("factor", "params"):
            used.add(idx)
    st.drafts.append(
        Draft(
            {
                "kind": "ratio",
                "quantity": "parameter_ratio",
                "model": big,
                "baseline": small,
                "value": f"{m.group(1)}x",
            },
            f"{big} and {small}: the presets of those sizes",
        )
    )


def _class_models(doc: _Doc, text: str) -> tuple[list[str], str] | None:
    """Presets for a class of models: "(10-100B parameters)", "20B+ active parameters"."""
    vocab = doc.vocab
    m = re.search(r"(\d+(?:\.\d+)?)\s*[-–]\s*(\d+(?:\.\d+)?)\s*B\s+param", text)
    if m:
        lo, hi = float(m.group(1)), float(m.group(2))
        found = vocab.in_size_range(lo, hi)
        if found:
            picks = list(dict.fromkeys([found[0], found[-1]]))
            return picks, f"the smallest and largest presets of {_fmt(lo)}-{_fmt(hi)}B"
    m = re.search(r"(?:>\s*)?(\d+(?:\.\d+)?)\s*B\+?\s*(active\s+)?param", text)
    if m and not (">" in m.group(0) or "+" in m.group(0)):
        m = None
    if m:
        lo = float(m.group(1))
        info = vocab.models_info
        if m.group(2):
            found = sorted(
                (n for n in info if info[n].active >= lo * 0.98), key=lambda n: info[n].total
            )
            what = f"{_fmt(lo)}B+ active"
        else:
            found = vocab.in_size_range(lo, None)
            what = f"{_fmt(lo)}B+"
        if found:
            picks = list(dict.fromkeys([found[0], found[-1]]))
            return picks, f"the smallest and largest presets with {what} parameters"
    return None


def _class_members(doc: _Doc, text: str) -> set[str]:
    """Every preset of the class ``text`` names (see :func:`_class_models`)."""
    info = doc.vocab.models_info
    m = re.search(r"(\d+(?:\.\d+)?)\s*[-–]\s*(\d+(?:\.\d+)?)\s*B\s+param", text)
    if m:
        return set(doc.vocab.in_size_range(float(m.group(1)), float(m.group(2))))
    m = re.search(r"(?:>\s*)?(\d+(?:\.\d+)?)\s*B\+?\s*(active\s+)?param", text)
    if m:
        lo = float(m.group(1))
        if m.group(2):
            return {n for n in info if info[n].active >= lo * 0.98}
        return set(doc.vocab.in_size_range(lo, None))
    return set()


def _weights(text: str) -> str | None:
    """The weight format a sentence states ("at bfloat16", "in fp8")."""
    m = re.search(r"\b(?:in|at)\s+(bf16|bfloat16|fp16|fp8|int8|int4)\b", text, re.I)
    if not m:
        return None
    w = m.group(1).lower()
    return "bf16" if w == "bfloat16" else w


def _range(text: str) -> tuple[int, int] | None:
    m = re.search(r"instance_count:\s*(\d+)\s*[-–]\s*(\d+)", text)
    if m:
        return int(m.group(1)), int(m.group(2))
    m = re.search(r"instance_count:\s*(\d+)\b", text)
    if m:
        n = int(m.group(1))
        return n, n
    return None


def _deploy_drafts(
    doc: _Doc,
    st: Statement,
    models: list[str],
    insts: list[str],
    plural: bool,
    used: set[int],
    own_models: bool,
) -> None:
    b = st.block
    text = b.text
    low = text.lower()
    sec = " ".join(b.section).lower() + " " + " ".join(b.context).lower()
    training = bool(re.search(r"\btrain(?!ium)", low)) or (
        b.kind == "config" and bool(re.search(r"\btrain(?!ium)", " ".join(b.context), re.I))
    )
    if b.kind == "row" and b.cells:
        training = bool(re.search(r"\btrain(?!ium)", b.cells[0], re.I))
    params_1t = [q for q in st.quantities if q.kind == "params" and q.value >= 1e12]
    if params_1t and not own_models and b.kind != "row":
        training = True  # a bare parameter count: its training state is what can be checked
    instance_column = any(re.search("instance", h, re.I) for h in b.header)
    deploy = (
        "→" in text
        or (b.kind == "row" and instance_column)
        or (b.kind == "config" and "instance_type" in low)
        or bool(
            re.search(
                rf"\b(serving|inference|deploy\w*|powers|runs|running|hosts{doc.triggers})\b", low
            )
        )
        or training
    )
    if not deploy or not insts:
        return
    note = ""
    picks = models
    cls = _class_models(doc, text)
    if cls and not own_models:
        in_class = [n for n in models if n in _class_members(doc, text)]
        picks, note = (
            (in_class, "the model of the section, in the class named") if in_class else cls
        )
    elif not own_models and params_1t and training:
        picks = []
    elif not own_models:
        tech = _technique(text)
        if tech == "moe" and b.kind == "row":
            found, stand_in = _trait_models(doc, "moe", [])
            picks = [] if stand_in else found
            note = "the report's MoE models"
        elif b.kind == "config" and "instance_type" in low:
            picks = list(doc.models)
            note = "no model named: each model the report names"
        elif not models:
            return
        if not (
            "serving" in low
            or "inference" in low
            or training
            or b.kind == "config"
            or (doc.triggers and re.search(doc.triggers.strip("|"), low))
        ):
            return
    count: Any = 1
    rng = _range(text)
    if rng:
        count = list(rng) if rng[0] != rng[1] else rng[0]
    elif plural:
        count = list(PLURAL_INSTANCES)
        note = (note + "; " if note else "") + (
            f"plural: {PLURAL_INSTANCES[0]}-{PLURAL_INSTANCES[1]} instances"
        )
    inst_list = insts[:1] if b.kind == "row" else insts
    if b.kind == "config":
        m = re.search(r"instance_type:\s*(?:ml\.)?([\w.-]+)", text)
        if m and m.group(1).lower() in doc.vocab.catalog.names():
            inst_list = [m.group(1).lower()]
    if training:
        if params_1t and not own_models:
            for inst in inst_list:
                f: dict[str, Any] = {
                    "kind": "training",
                    "params": "1T",
                    "instance": inst,
                    "instances": count,
                }
                st.drafts.append(Draft(f, "trillion-parameter: 1T parameters"))
            for idx, q in enumerate(st.quantities):
                if q.kind == "params":
                    used.add(idx)
            return
        if (
            not re.search(r"\btrain(?!ium)", sec)
            and b.kind not in ("row", "config")
            and not own_models
        ):
            return
        for m_ in picks:
            for inst in inst_list:
                st.drafts.append(
                    Draft(
                        {"kind": "training", "model": m_, "instance": inst, "instances": count},
                        note,
                    )
                )
        return
    users: list[int] | int | None = None
    cost = None
    if b.kind == "row":
        for h, c in zip(b.header, b.cells, strict=False):
            if re.search(r"users|concurren|batch", h, re.I):
                m = re.search(r"(\d+)\s*[-–]\s*(\d+)", c)
                if m:
                    users = [int(m.group(1)), int(m.group(2))]
                elif re.fullmatch(r"\d+", c.strip()):
                    users = int(c)
            if re.search(r"per 1M tokens|per million tokens", h, re.I):
                m = re.search(r"\$(\d+(?:\.\d+)?)", c)
                if m:
                    cost = float(m.group(1))
    weights = _weights(text)
    for m_ in picks:
        for inst in inst_list:
            base: dict[str, Any] = {"kind": "fit", "model": m_, "instance": inst}
            if count != 1:
                base["instances"] = count
            if weights:
                base["workload"] = {"weights": weights}
            st.drafts.append(Draft(dict(base), note))
            if users is not None:
                st.drafts.append(
                    Draft(
                        {**base, "workload": {**base.get("workload", {}), "batch": users}},
                        "concurrent users read as concurrent sequences",
                    )
                )
            if cost is not None:
                c_ = {**base, "kind": "cost", "usd_per_million_tokens": cost}
                st.drafts.append(Draft(c_, "USD per 1M output tokens"))
    for idx, q in enumerate(st.quantities):
        if q.kind in ("usd", "params") and st.drafts:
            used.add(idx)


def _service_drafts(doc: _Doc, st: Statement, models: list[str]) -> None:
    low = st.block.text.lower()
    if "lambda" in low and models and re.search(r"inference|serving", low):
        for m in models:
            st.drafts.append(
                Draft(
                    {
                        "kind": "service_limit",
                        "service": "lambda",
                        "quantity": "fits_model",
                        "model": m,
                    },
                    "a model served from Lambda must fit its memory limit",
                )
            )


# ------------------------------------------------------------------ drafting
def _reasons(
    st: Statement, used: set[int], unknown_i: list[str], unknown_m: list[str], has_entities: bool
) -> list[str]:
    text = st.block.text
    out = []
    if unknown_i:
        out.append(f"names {', '.join(unknown_i)}, which the instance catalog does not list")
    if unknown_m:
        out.append(f"names {', '.join(unknown_m)}, which is no preset model")
    rest = [
        q
        for i, q in enumerate(st.quantities)
        if i not in used and not (q.kind == "params" and st.drafts)
    ]
    for q in rest:
        a = _after(text, q, 40)
        b = _before(text, q, 30)
        if q.kind in ("percent", "factor") and (_PERF.search(a) or _PERF.search(b)):
            out.append(
                f"'{q.text}' is a measured performance or cost figure; the library "
                "computes sizes and rooflines, not benchmark results"
            )
        elif q.kind in ("percent", "factor", "usd"):
            out.append(f"'{q.text}' names no model, instance or sizing quantity to compute")
        elif q.kind in ("memory", "bandwidth", "flops", "count") and not has_entities:
            out.append(f"'{q.text}' belongs to no instance in the catalog")
        elif q.kind == "params":
            out.append(f"'{q.text}' names no preset model of that size in a checkable context")
        else:
            out.append(f"'{q.text}' has no rule that computes it")
    if not rest and not out and _TIME.search(text):
        out.append("a duration, date or schedule, not a sizing quantity")
    return list(dict.fromkeys(out))


def _statement(doc: _Doc, b: Block) -> Statement | None:
    vocab = doc.vocab
    text = b.text
    qs = quantities(text)
    own_m = vocab.models(text)
    own_m += [n for n in _sized_only(doc, text) if n not in own_m]
    cmp_ = _COMPARE.search(text)
    own_i = _own_instances(doc, text[: cmp_.start()] if cmp_ else text)
    unknown_i = _unknown_instances(text, vocab)
    unknown_m = vocab.unknown_models(text)
    timed = bool(_TIME.search(text))
    if not qs and not own_m and not own_i.names and not timed:
        # no number and no name: quantitative only in a model's architecture section
        ctx_m = _context_models(doc, b)
        arch = any(re.search("architecture", s, re.I) for s in b.section[-1:])
        service = bool(_SERVICE.search(text))
        if not (ctx_m and (arch or service)):
            return None
    models = own_m or _context_models(doc, b)
    ctx_i, ctx_plural = _context_instances(doc, b)
    same_device = (
        bool(ctx_i)
        and own_i.via_device
        and {vocab.instance(n).device for n in own_i.names}
        <= {vocab.instance(n).device for n in ctx_i}
    )
    if own_i.names and not same_device:
        insts, plural = list(own_i.names), own_i.plural
    elif unknown_i and not own_i.names:
        insts, plural = [], False
    else:
        insts, plural = ctx_i, ctx_plural
    if re.search(r"per instance", text, re.I):
        insts = _single_node(doc, insts)
    exact_i = [*own_i.exact, *_ultra_named(doc, b, insts)]
    if not insts and not unknown_i:
        for title in [*reversed(b.context), *reversed(b.section)]:
            unknown_i = _unknown_instances(title, vocab)
            if unknown_i or vocab.instances(title).names:
                break
    st = Statement(b, models, insts, qs)
    if own_i.names and insts == list(own_i.names):
        st.positions = own_i.positions
    used: set[int] = set()
    _param_ratio_drafts(doc, st, used)
    _weight_memory_drafts(st, used)
    _param_drafts(doc, st, models, used)
    _model_ratio_drafts(doc, st, own_m, used)
    _architecture_drafts(doc, st, models, used)
    _instance_ratio_drafts(doc, st, insts, used)
    _spec_drafts(doc, st, insts, used, exact_i)
    _deploy_drafts(doc, st, models, insts, plural, used, bool(own_m))
    _service_drafts(doc, st, models)
    st.reasons = _reasons(st, used, unknown_i, unknown_m, bool(insts or models))
    if not st.drafts and not st.reasons:
        if not qs and not timed:
            return None
        st.reasons = ["no rule of the audit reads a checkable quantity from it"]
    for d in st.drafts:
        d.fields = _dedupe_none(d.fields)
    st.drafts = _unique(st.drafts)
    return st


def _ultra_named(doc: _Doc, b: Block, insts: list[str]) -> list[str]:
    """Instances that the statement or its headings name as UltraServers (no other reading)."""
    where = " ".join([b.text, *b.section, *b.context])
    if re.search(r"ultra\s?servers?", where, re.I):
        return [n for n in insts if doc.vocab.instance(n).nodes > 1]
    if re.search(r"per instance", b.text, re.I):
        return list(insts)
    return []


def _single_node(doc: _Doc, insts: list[str]) -> list[str]:
    """Multi-node instances replaced by their family's largest single-node instance."""
    out = []
    for n in insts:
        i = doc.vocab.instance(n)
        if i.nodes > 1:
            n = doc.vocab.representatives(i.family, False)[0]
        if n not in out:
            out.append(n)
    return out


def _sized_only(doc: _Doc, text: str) -> list[str]:
    return [n for n in _bare_sizes(doc.vocab, text) if "increase" not in text]


def _dedupe_none(f: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in f.items() if v is not None}


def _unique(ds: Iterable[Draft]) -> list[Draft]:
    seen = set()
    out = []
    for d in ds:
        key = repr(sorted(d.fields.items()))
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def draft_document(
    text: str,
    vocab: Vocabulary | None = None,
    models: Sequence[str] = (),
    triggers: Sequence[str] = (),
) -> list[Statement]:
    """The quantitative statements of a markdown report, with the claims drafted for each.

    ``models`` adds models to those the text names (read where a statement
    names a technique or a configuration but no model); ``triggers`` adds
    words that mark a statement about where a model runs ("use", "replace").

    Examples
    --------
    >>> doc = "## Inf2\\n\\n**Inf2 Instance Family:**\\n- **Chips:** 190 TFLOPS FP16 per chip\\n"
    >>> st = draft_document(doc)[0]
    >>> st.drafts[0].fields
    {'kind': 'spec', 'instance': 'inf2.48xlarge', 'quantity': 'dense_flops_bf16_per_device', \
'value': '190 TFLOPS'}
    """
    vocab = vocab or Vocabulary.default()
    bs = blocks(text)
    doc = _scan(vocab, bs)
    doc.models.extend(m for m in models if m not in doc.models)
    doc.triggers = "".join("|" + re.escape(t) for t in triggers)
    out = []
    for b in bs:
        st = _statement(doc, b)
        if st is not None:
            out.append(st)
    return out


def excerpt_numbers(text: str) -> set[str]:
    """The numbers of an excerpt, for matching excerpts: ``"3,200 Gbps"`` -> {"3200"}."""
    return {m.replace(",", "").rstrip(".") for m in re.findall(r"\d[\d,.]*", text)}


__all__ += ["excerpt_numbers", "number"]
