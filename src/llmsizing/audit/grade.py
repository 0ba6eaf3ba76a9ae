"""Measuring an audit against a hand-written claim file with expected verdicts.

A key claim is *found* when the audit drafted a claim of the same kind about
the same entities (model, baseline, instance, baseline instance and, where the
key names one, the same quantity) from an excerpt that shares a number with
the key's excerpt (or, for an excerpt without numbers, most of its words).
Of the found claims, *agreement* counts those whose drafted verdict equals the
key's ``expect``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .run import Audit, Checked

__all__ = ["Grade", "grade", "report_claims"]


def _numbers(text: str) -> set[str]:
    out = set()
    for m in re.findall(r"\d[\d,.]*", text):
        s = m.replace(",", "").rstrip(".")
        try:
            out.add(f"{float(s):g}")
        except ValueError:
            continue
    return out


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{4,}", text.lower())}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, tuple | list) or isinstance(b, tuple | list):
        ta = tuple(a) if isinstance(a, tuple | list) else (a,)
        tb = tuple(b) if isinstance(b, tuple | list) else (b,)
        return set(ta) == set(tb)
    return bool(a == b)


def _matches(key: Any, c: Checked) -> bool:
    f = c.fields
    if key.kind != f["kind"]:
        return False
    for name in ("model", "baseline", "instance", "baseline_instance", "quantity", "service"):
        kv = getattr(key, name, None)
        if kv is not None and not _same(kv, f.get(name)):
            return False
    if getattr(key, "params", None) is not None and f.get("params") is None:
        return False
    kt = key.text or ""
    ct = c.statement.block.text
    kn, cn = _numbers(kt), _numbers(ct)
    if kn & cn:
        return True
    kw, cw = _words(kt), _words(ct)
    return len(kw & cw) >= max(2, min(len(kw), len(cw)) // 2)


@dataclass
class Grade:
    """Coverage and agreement of an audit against a key."""

    key: int
    found: int
    agree: int
    misses: list[str] = field(default_factory=list)
    disagreements: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def coverage(self) -> float:
        """Share of key claims found."""
        return self.found / self.key if self.key else 0.0

    @property
    def agreement(self) -> float:
        """Share of found claims whose verdict equals the key's."""
        return self.agree / self.found if self.found else 0.0

    def summary(self) -> str:
        """One line: found / key (coverage), agreeing / found (agreement)."""
        return (
            f"found {self.found}/{self.key} key claims ({100 * self.coverage:.1f}%), "
            f"verdict agrees on {self.agree}/{self.found} ({100 * self.agreement:.1f}%)"
        )


def report_claims(claims: Sequence[Any], document: str = "report.md") -> list[Any]:
    """The key claims about ``document`` itself (not those drawn from a review or keynote)."""
    return [
        c
        for c in claims
        if c.expect is not None
        and (c.source or "").startswith(document)
        and not c.id.startswith(("review-", "keynote-"))
    ]


def grade(audit: Audit, key: Sequence[Any], select: Callable[[Any], bool] | None = None) -> Grade:
    """Grade ``audit`` against key claims (each with ``expect``)."""
    chosen = [k for k in key if select is None or select(k)]
    g = Grade(len(chosen), 0, 0)
    for k in chosen:
        hits = [c for c in audit.checked if c.verdict is not None and _matches(k, c)]
        if not hits:
            g.misses.append(k.id)
            continue
        g.found += 1
        # several drafts of one excerpt: the one whose excerpt shares most numbers
        kn = _numbers(k.text or "")
        best = max(hits, key=lambda c: len(kn & _numbers(c.statement.block.text)))
        if best.status == k.expect:
            g.agree += 1
        else:
            g.disagreements.append((k.id, str(k.expect), best.status))
    return g
