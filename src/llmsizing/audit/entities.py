"""Recognising models, instances and quantities in report text, from the library's vocabularies.

Nothing here is a list of the report's phrases: model mentions come from the
preset names and aliases (:func:`llmsizing.list_models`) and their parameter
counts, instance mentions from the catalog's names, families and devices
(:func:`llmsizing.load_catalog`), and quantities from unit patterns.

* A model is named exactly (``DeepSeek-V3``, ``Llama 3.1 70B``), by family and
  size (``Llama 405B``), by family alone (``Qwen3``: every preset of it), or
  by size (``235B MoE (22B active)``: the MoE preset nearest in total and
  active parameters).
* An instance is named exactly (``inf2.8xlarge``, ``ml.p5e.48xlarge``), by
  family (``P5e instances``: the family's largest single-node instance;
  ``Trn2 UltraServers``: its largest multi-node one), by family stem (``P6``:
  one of each P6 family) or by device (``H200``).

Examples
--------
>>> v = Vocabulary.default()
>>> sorted(v.models("Llama 405B and DeepSeek-V3"))
['deepseek-v3', 'llama-3.1-405b']
>>> v.instances("235B MoE → inf2.8xlarge").names
('inf2.8xlarge',)
>>> v.instances("Trn2 UltraServers with 64 chips").names
('u-trn2x64',)
>>> [(q.kind, q.value, q.unit) for q in quantities("32 GB HBM per chip, 9.8 TB/s")]
[('memory', 32.0, 'GB'), ('bandwidth', 9.8, 'TB/s')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from llmsizing.catalog import Catalog, Instance, load_catalog
from llmsizing.presets import ALIASES, list_models, load_model

__all__ = [
    "InstanceMention",
    "ModelInfo",
    "Quantity",
    "Vocabulary",
    "number",
    "quantities",
]

NUM = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_DASH = r"\s*[-–—]\s*"


def number(s: str) -> float:
    """``"3,200"`` -> 3200.0.

    Examples
    --------
    >>> number("1,440"), number("2.25")
    (1440.0, 2.25)
    """
    return float(s.replace(",", ""))


@dataclass(frozen=True)
class ModelInfo:
    """What the audit needs to know of a preset: size and architecture traits."""

    name: str
    total: float
    active: float
    moe: bool
    mla: bool
    gqa: bool
    windowed: bool


@dataclass(frozen=True)
class InstanceMention:
    """The instances a text names, and whether it asks for the multi-node form."""

    names: tuple[str, ...] = ()
    plural: bool = False
    unknown: tuple[str, ...] = ()
    via_device: bool = False
    exact: tuple[str, ...] = ()
    positions: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Quantity:
    """A number with its unit as a report writes it.

    ``kind`` is one of ``memory``, ``bandwidth``, ``flops``, ``percent``,
    ``factor``, ``usd``, ``params``, ``count``, ``tokens``, ``ratio``;
    ``hi`` is the upper end of a range (``25-40%``), ``noun`` the counted
    thing of a count (``chips``, ``NeuronCores``).
    """

    kind: str
    value: float
    unit: str
    start: int
    end: int
    text: str
    hi: float | None = None
    noun: str = ""
    plus: bool = False


_MEMORY_UNITS = {"tib": "TiB", "gib": "GiB", "tb": "TB", "gb": "GB", "pb": "PB", "mb": "MB"}
_BW_UNITS = {
    "tb/s": "TB/s",
    "tb/second": "TB/s",
    "tb per second": "TB/s",
    "gb/s": "GB/s",
    "gbps": "Gbps",
    "tbps": "Tbps",
}
_FLOP_UNITS = {
    "petaflops": "PFLOPS",
    "pflops": "PFLOPS",
    "pf": "PFLOPS",
    "exaflops": "EFLOPS",
    "eflops": "EFLOPS",
    "tflops": "TFLOPS",
    "teraflops": "TFLOPS",
}
_COUNT_NOUNS = r"GPUs?|chips?|NeuronCores?|vCPUs?|accelerators?|experts?|devices?|nodes?|instances?"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("usd", re.compile(rf"\${NUM}(?:{_DASH}\$?{NUM})?")),
    (
        "bandwidth",
        re.compile(
            rf"{NUM}(?:{_DASH}{NUM})?\s*(TB/s(?:econd)?|TB per second|GB/s|Gbps|Tbps|GBPS)\b",
            re.I,
        ),
    ),
    (
        "flops",
        re.compile(
            rf"{NUM}(?:{_DASH}{NUM})?\s*(?:peak\s+)?"
            r"(petaflops|pflops|PF|exaflops|eflops|tflops|teraflops)\b",
            re.I,
        ),
    ),
    ("memory", re.compile(rf"{NUM}(?:{_DASH}{NUM})?\s*(TiB|GiB|TB|GB|PB|MB)\b(?!/|\s*per s)")),
    ("percent", re.compile(rf"{NUM}(?:{_DASH}{NUM})?\s*%")),
    ("ratio", re.compile(r"(?<![\d.])(\d+):(\d+)(?![\d:])")),
    ("tokens", re.compile(rf"{NUM}[-\s]token")),
    (
        "params",
        re.compile(
            rf"{NUM}(?:{_DASH}{NUM})?\s*(B|billion|T|trillion)\b(\+)?(?!\s*(?:/|per)\s*s)",
        ),
    ),
    ("params_word", re.compile(r"\b(trillion)[-\s]param", re.I)),
    (
        "count",
        re.compile(
            rf"(?<![\w.$,])(\d{{1,3}}(?:,\d{{3}})+|\d+)(?![.\d])(?:\s*[x×])?\s+"
            r"(?:(?!(?:than|vs|versus|better|more|higher|faster|lower|over)\b)[A-Za-z][\w-]*\s+)"
            rf"{{0,3}}?({_COUNT_NOUNS})\b"
            r"(?!\s+(?i:tflops|flops|memory|compute|hours|failures?))"
        ),
    ),
    ("factor", re.compile(rf"{NUM}\s*(?:[x×]|\s+times\b)(?![\w])")),
    ("count", re.compile(r"(?<![\w.$,])(\d+)-(chip|GPU|core|NeuronCore)s?\b")),
]


def quantities(text: str) -> list[Quantity]:
    """Every number-with-unit of ``text``, left to right, without overlaps.

    Examples
    --------
    >>> [(q.kind, q.value, q.hi) for q in quantities("25-40% and 3,200 Gbps and $8.75")]
    [('percent', 25.0, 40.0), ('bandwidth', 3200.0, None), ('usd', 8.75, None)]
    >>> [(q.kind, q.value, q.noun) for q in quantities("16 Trainium2 chips, 192 vCPUs")]
    [('count', 16.0, 'chips'), ('count', 192.0, 'vCPUs')]
    """
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for kind, pat in _PATTERNS:
        for m in pat.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            q = _quantity(kind, m)
            if q is None:
                continue
            found.append(q)
            taken.append((s, e))
    return sorted(found, key=lambda q: q.start)


def _quantity(kind: str, m: re.Match[str]) -> Quantity | None:
    g = m.groups()
    s, e = m.span()
    text = m.group(0)
    if kind == "params_word":
        return Quantity("params", 1e12, "", s, e, text)
    if kind == "ratio":
        a, b = float(g[0]), float(g[1])
        if b == 0:
            return None
        return Quantity("ratio", a, "", s, e, text, hi=b)
    lo = number(g[0])
    hi = number(g[1]) if len(g) > 1 and g[1] and re.match(r"[\d,.]+$", g[1]) else None
    if kind == "memory":
        return Quantity(kind, lo, _MEMORY_UNITS[g[2].lower()], s, e, text, hi)
    if kind == "bandwidth":
        unit = g[2].lower()
        if unit == "gbps" and g[2] == "GBPS":
            return Quantity(kind, lo, "GB/s", s, e, text, hi)  # "GBPS": gigabytes per second
        return Quantity(kind, lo, _BW_UNITS.get(unit, g[2]), s, e, text, hi)
    if kind == "flops":
        return Quantity(kind, lo, _FLOP_UNITS[g[2].lower()], s, e, text, hi)
    if kind == "params":
        scale = 1e12 if g[2] in ("T", "trillion") else 1e9
        return Quantity(
            kind, lo * scale, "", s, e, text, None if hi is None else hi * scale, plus=bool(g[3])
        )
    if kind == "count":
        return Quantity(kind, lo, "", s, e, text, noun=g[1])
    if kind == "usd":
        return Quantity(kind, lo, "USD", s, e, text, hi)
    return Quantity(kind, lo, "", s, e, text, hi)


# ----------------------------------------------------------------- vocabulary
def _name_regex(parts: list[str]) -> str:
    return r"[-\s]?".join(re.escape(p) for p in parts)


_SIZE = re.compile(r"^(?:a?\d+(?:\.\d+)?b|\d+x\d+b|\d+m)$")


@dataclass
class Vocabulary:
    """Model and instance names, families and devices, from the presets and the catalog."""

    catalog: Catalog
    models_info: dict[str, ModelInfo]
    _model_patterns: list[tuple[re.Pattern[str], tuple[str, ...]]] = field(default_factory=list)
    _instance_pattern: re.Pattern[str] | None = None
    _family_pattern: re.Pattern[str] | None = None
    _device_patterns: list[tuple[re.Pattern[str], str]] = field(default_factory=list)

    @classmethod
    @cache
    def default(cls) -> Vocabulary:
        """The shipped presets and catalog (built once)."""
        return cls.build(load_catalog())

    @classmethod
    def build(cls, catalog: Catalog) -> Vocabulary:
        """The vocabulary of ``catalog`` and the shipped model presets."""
        info: dict[str, ModelInfo] = {}
        for name in list_models(aliases=False):
            m = load_model(name)
            pc = m.param_counts()
            info[name] = ModelInfo(
                name,
                pc.total / 1e9,
                pc.active / 1e9,
                bool(m.moe is not None and m.is_moe),
                m.mla is not None,
                m.mla is None and m.num_kv_heads < m.num_heads,
                any(k == "sliding" for k in m.layer_types),
            )
        v = cls(catalog, info)
        v._compile()
        return v

    # ------------------------------------------------------------ patterns
    def _compile(self) -> None:
        pats: list[tuple[str, tuple[str, ...]]] = []
        families: dict[str, set[str]] = {}
        for name in self.models_info:
            parts = name.split("-")
            pats.append((_name_regex(parts), (name,)))
            core = [p for p in parts if not _SIZE.match(p)]
            sizes = [p for p in parts if _SIZE.match(p)]
            if sizes and len(core) >= 1:
                # family + size without the version: "Llama 405B", "GPT-OSS 120 billion"
                size = re.sub(r"^(\d+(?:\.\d+)?)b$", r"\1\\s*(?:b|billion)", sizes[0])
                for head in dict.fromkeys([_name_regex(core[:1]), _name_regex(core)]):
                    pats.append((head + r"[-\s]?(?:[\d.]+[-\s]?)?" + size, (name,)))
            if len(core) >= 2 or re.search(r"\d", core[0]):
                fam = "-".join(core[:2]) if len(core) >= 2 else core[0]
                families.setdefault(fam, set()).add(name)
        for alias, target in ALIASES.items():
            pats.append((_name_regex(alias.split("-")), (target,)))
        for fam, members in families.items():
            pats.append((_name_regex(fam.split("-")), tuple(sorted(members))))
        # longest patterns first, so "deepseek-v3" wins over a family
        pats.sort(key=lambda p: -len(p[0]))
        self._model_patterns = [
            (re.compile(rf"(?<![\w.-]){p}(?![\w]|\.\d)", re.I), names) for p, names in pats
        ]
        names = sorted(self.catalog.names(), key=len, reverse=True)
        self._instance_pattern = re.compile(
            r"(?<![\w-])(?:ml\.)?(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])",
            re.I,
        )
        fams = {i.family for i in self._all()} | {_stem(i.family) for i in self._all()}
        self._family_pattern = re.compile(
            r"(?<![\w.-])("
            + "|".join(re.escape(f) for f in sorted(fams, key=len, reverse=True))
            + r")(?![\w.]|-[a-z]*\d)(\s+(?:standard\s+)?(?:instances|UltraServers|Ultra Servers|"
            r"clusters|UltraClusters))?",
            re.I,
        )
        devices: dict[str, str] = {}
        for i in self._all():
            token = re.split(r"[-\s(]", i.device or "")[0]
            if token and re.search(r"\d", token):
                devices.setdefault(token.lower(), i.family)
        self._device_patterns = [
            (re.compile(rf"(?<![\w-]){re.escape(d)}(?![\w])", re.I), fam)
            for d, fam in sorted(devices.items(), key=lambda x: -len(x[0]))
        ]

    def _all(self) -> list[Instance]:
        return [self.catalog.get(n) for n in self.catalog.names()]

    # ---------------------------------------------------------------- models
    def models(self, text: str) -> list[str]:
        """Presets ``text`` names, in order of first mention (families expand to members)."""
        out: dict[str, int] = {}
        taken: list[tuple[int, int]] = []
        for pat, names in self._model_patterns:
            for m in pat.finditer(text):
                s, e = m.span()
                if any(s < te and ts < e for ts, te in taken):
                    continue
                taken.append((s, e))
                for n in names:
                    out.setdefault(n, s)
        for s, name in self._sized_models(text):
            if not any(ts <= s < te for ts, te in taken):
                out.setdefault(name, s)
        return sorted(out, key=lambda n: out[n])

    def unknown_models(self, text: str) -> list[str]:
        """Model-like names (``Gemma 2``) that no preset matches."""
        out = []
        for m in re.finditer(
            r"\b(Gemma|Llama|LLaMA|Qwen|DeepSeek|OLMo|Mistral|Mixtral|GPT)"
            r"[-\s]?(\d[\w.]*)\b",
            text,
        ):
            if not self.models(m.group(0)):
                out.append(m.group(0))
        return out

    def _sized_models(self, text: str) -> list[tuple[int, str]]:
        """``235B MoE (22B active)``: the MoE preset nearest in total and active size."""
        out = []
        pat = re.compile(rf"{NUM}\s*B\s+MoE\s*\(\s*{NUM}\s*B\s+active\s*\)", re.I)
        for m in pat.finditer(text):
            total, active = number(m.group(1)), number(m.group(2))
            best = self.nearest(total, active)
            if best:
                out.append((m.start(), best))
        return out

    def nearest(self, total: float, active: float | None = None, tol: float = 0.05) -> str | None:
        """The preset nearest to ``total`` (and ``active``) billion parameters, within ``tol``."""
        best: tuple[float, str] | None = None
        for mi in self.models_info.values():
            if active is not None and not mi.moe:
                continue
            err = abs(mi.total - total) / total
            if err > tol:
                continue
            if active is not None:
                a_err = abs(mi.active - active) / active
                if a_err > 0.25:
                    continue
                err += a_err
            if best is None or err < best[0]:
                best = (err, mi.name)
        return best[1] if best else None

    def in_size_range(self, lo: float, hi: float | None) -> list[str]:
        """Presets with ``lo <= total <= hi`` billion parameters, smallest first."""
        out = [
            m
            for m in self.models_info.values()
            if m.total >= lo * 0.98 and (hi is None or m.total <= hi * 1.02)
        ]
        return [m.name for m in sorted(out, key=lambda m: m.total)]

    # ------------------------------------------------------------- instances
    def instances(self, text: str, ultra: bool | None = None) -> InstanceMention:
        """The instances ``text`` names: exact names, then families, then devices."""
        assert self._instance_pattern and self._family_pattern
        names: list[str] = []
        taken: list[tuple[int, int]] = []
        pos: list[tuple[str, int]] = []
        for m in self._instance_pattern.finditer(text):
            names.append(self.catalog.get(m.group(1).lower()).name)
            taken.append(m.span())
            pos.append((names[-1], m.start()))
        # "inf2.24xlarge/48xlarge": the sizes after a slash share the family
        for m in re.finditer(
            r"(?<![\w-])(?:ml\.)?([a-z][\w-]*)\.\w+xlarge((?:/\d*x?large)+)", text, re.I
        ):
            for size in m.group(2).split("/")[1:]:
                cand = f"{m.group(1).lower()}.{size.lower()}"
                if cand in self.catalog.names() and cand not in names:
                    names.append(cand)
        plural = False
        wants_ultra = bool(re.search(r"ultra\s?servers?", text, re.I)) if ultra is None else ultra
        per_instance = bool(re.search(r"per instance", text, re.I))
        for m in self._family_pattern.finditer(text):
            s = m.start()
            if any(ts <= s < te for ts, te in taken):
                continue
            fam = m.group(1).lower()
            tail = (m.group(2) or "").lower()
            plural = plural or tail.strip().endswith(("instances", "clusters"))
            ultra_here = ("ultra" in tail or wants_ultra) and not per_instance
            for n in self.representatives(fam, ultra_here):
                if n not in names:
                    names.append(n)
                    pos.append((n, s))
        via_device = False
        if not names:
            hits: list[tuple[int, int, str]] = []
            for pat, fam in self._device_patterns:
                for dm in pat.finditer(text):
                    if not any(hs <= dm.start() < he for hs, he, _ in hits):
                        hits.append((dm.start(), dm.end(), fam))
            for hs, _, fam in sorted(hits):
                for n in self.representatives(fam, wants_ultra and not per_instance):
                    if n not in names:
                        names.append(n)
                        pos.append((n, hs))
                via_device = True
        unknown = tuple(
            m.group(1)
            for m in re.finditer(r"\b([A-Z]\d+[a-z]*(?:-[a-z]+)?)\s+(?:Spot\s+)?instances?\b", text)
            if not self._family_pattern.fullmatch(m.group(1))
        )
        exact = tuple(n for n in names if n.lower() in text.lower())
        return InstanceMention(tuple(names), plural, unknown, via_device, exact, tuple(pos))

    def representatives(self, family: str, ultra: bool) -> list[str]:
        """The instance a family mention means: its largest single-node or multi-node one.

        A stem that is no family of its own (``p6``) means every family with
        that stem, each with its largest single-node and multi-node instance.

        Examples
        --------
        >>> v = Vocabulary.default()
        >>> v.representatives("p5e", False), v.representatives("trn2", True)
        (['p5e.48xlarge'], ['u-trn2x64'])
        """
        insts = self._all()
        fams = {i.family for i in insts}
        if family in fams:
            members = [i for i in insts if i.family == family]
            if ultra:
                multi = [i for i in members if i.nodes > 1] or [
                    i for i in insts if i.family == family + "u" and i.nodes > 1
                ]
                if multi:
                    return [_largest(multi)]
            single = [i for i in members if i.nodes == 1] or members
            return [_largest(single)]
        out: list[str] = []
        for f in sorted({i.family for i in insts if _stem(i.family) == family}):
            members = [i for i in insts if i.family == f]
            single = [i for i in members if i.nodes == 1]
            multi = [i for i in members if i.nodes > 1]
            for group in (single, multi):
                if group and _largest(group) not in out:
                    out.append(_largest(group))
        return out

    def instance(self, name: str) -> Instance:
        """The catalog row of ``name``."""
        return self.catalog.get(name)


def _stem(family: str) -> str:
    """``p6e-gb200`` -> ``p6``; ``trn2u`` -> ``trn2``; ``inf2`` -> ``inf2``."""
    m = re.match(r"[a-z]+\d+", family)
    return m.group(0) if m else family


def _largest(group: list[Instance]) -> str:
    best = group[0]
    for i in group[1:]:
        if i.accelerator_count > best.accelerator_count:
            best = i
    return best.name
