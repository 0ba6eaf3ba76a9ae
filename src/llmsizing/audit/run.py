"""Running an audit: draft the claims of a report, check them, and write them as a claim file.

Examples
--------
>>> doc = "## P5\\n\\n**P5 Instance Family:**\\n- 8 NVIDIA H100 GPUs (80 GB memory each)\\n"
>>> a = audit_text(doc, "r.md")
>>> [(c.claim_id, c.status) for c in a.checked]  # doctest: +NORMALIZE_WHITESPACE
[('r-p5-48xlarge-accelerator-count-1', 'holds'),
 ('r-p5-48xlarge-accelerator-memory-per-device-1', 'holds')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from llmsizing.errors import LlmsizingError

from .draft import Draft, Statement, draft_document
from .entities import Vocabulary

__all__ = ["Audit", "Checked", "audit_file", "audit_text", "claims_yaml"]


@dataclass
class Checked:
    """A drafted claim, checked: its id, fields, verdict (or why it could not be checked)."""

    statement: Statement
    draft: Draft
    claim_id: str
    fields: dict[str, Any]
    verdict: Any = None
    error: str | None = None

    @property
    def status(self) -> str:
        """``holds``, ``fails``, ``depends``, or ``error`` when the checker refused it."""
        return str(self.verdict.status) if self.verdict is not None else "error"

    @property
    def kind(self) -> str:
        """The claim kind."""
        return str(self.fields["kind"])

    @property
    def entity(self) -> str:
        """The model and/or instance the claim is about."""
        parts = []
        for k in ("model", "params", "instance", "service"):
            v = self.fields.get(k)
            if v is not None:
                parts.append(", ".join(v) if isinstance(v, tuple | list) else str(v))
        out = " on ".join(parts)
        base = self.fields.get("baseline_instance") or self.fields.get("baseline")
        return f"{out} vs {base}" if base else out


@dataclass
class Audit:
    """Every quantitative statement of a report, and every claim drafted from them, checked."""

    name: str
    statements: list[Statement]
    checked: list[Checked] = field(default_factory=list)

    @property
    def not_checkable(self) -> list[Statement]:
        """Statements no claim was drafted for (each with its reasons)."""
        return [s for s in self.statements if not s.drafts]

    def counts(self) -> dict[str, int]:
        """Statements, checkable statements, claims and verdicts by status."""
        out = {
            "statements": len(self.statements),
            "checkable": sum(bool(s.drafts) for s in self.statements),
            "claims": len(self.checked),
        }
        for st in ("holds", "fails", "depends", "error"):
            out[st] = sum(c.status == st for c in self.checked)
        return out


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


def _claim_id(prefix: str, f: dict[str, Any], seen: dict[str, int]) -> str:
    what = f.get("model") or f.get("params") or f.get("instance") or f.get("service") or ""
    if isinstance(what, tuple | list):
        what = "-".join(what)
    detail = f.get("quantity") or f["kind"]
    base = "-".join(p for p in (_slug(prefix), _slug(str(what)), _slug(str(detail))) if p)
    seen[base] = seen.get(base, 0) + 1
    return f"{base}-{seen[base]}"


def audit_text(text: str, name: str = "report.md", vocab: Vocabulary | None = None) -> Audit:
    """Draft and check the claims of a markdown report (``name`` is used in ids and sources)."""
    from llmsizing.claims import Claim, Context, check

    statements = draft_document(text, vocab)
    audit = Audit(name, statements)
    firsts = {st.block.section[:1] for st in statements}
    drop = 1 if len(firsts) == 1 and all(len(st.block.section) > 1 for st in statements) else 0
    ctx = Context()
    seen: dict[str, int] = {}
    prefix = Path(name).stem
    for st in statements:
        for d in st.drafts:
            fields = dict(d.fields)
            cid = _claim_id(prefix, fields, seen)
            c = Checked(st, d, cid, fields)
            try:
                claim = Claim(
                    id=cid,
                    text=st.block.text,
                    source=_source(name, st, drop),
                    **fields,
                )
                c.verdict = check(claim, context=ctx)
            except (LlmsizingError, ValidationError, ValueError) as e:
                c.error = str(e).splitlines()[0]
            audit.checked.append(c)
    return audit


def _source(name: str, st: Statement, drop: int) -> str:
    path = " › ".join(st.block.section[drop:])
    return f"{name} › {path} (line {st.block.line})" if path else f"{name} (line {st.block.line})"


def audit_file(path: str | Path) -> Audit:
    """:func:`audit_text` of a markdown file."""
    p = Path(path)
    return audit_text(p.read_text(encoding="utf-8"), p.name)


# ------------------------------------------------------------------ YAML out
def _plain(v: Any) -> Any:
    if isinstance(v, tuple):
        return [_plain(x) for x in v]
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


def _comment(text: str, width: int = 96) -> list[str]:
    words = text.split()
    lines: list[str] = []
    cur = ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    if cur:
        lines.append(cur)
    return [f"  # {line}" for line in lines]


def claims_yaml(audit: Audit) -> str:
    """The drafted claims as an editable claim file (``llmsizing check`` re-runs it).

    Each claim carries the excerpt as ``text`` and the section as ``source``;
    the verdict found is a comment above it (edit a claim, re-run, compare).
    Claims the checker refused are written commented out, with the reason;
    statements no rule could read are listed at the end.
    """
    out = [
        f"# Claims drafted by `llmsizing audit` from {audit.name}.",
        "# Each claim: the excerpt as `text`, its section as `source`; the verdict",
        "# found when drafted is the comment above it. Edit freely and re-run",
        "# `llmsizing check` on this file.",
        "",
        "llmsizing: claims/1",
        "",
        "claims:",
    ]
    written = 0
    for c in audit.checked:
        entry: dict[str, Any] = {
            "id": c.claim_id,
            "source": c.verdict.claim.source
            if c.verdict is not None
            else _source(audit.name, c.statement, 0),
            "text": c.statement.block.text,
            **_plain(c.fields),
        }
        if c.draft.note:
            entry["why"] = f"drafted reading: {c.draft.note}"
        body = yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, width=100)
        lines = ["  " + line if line else line for line in body.rstrip("\n").splitlines()]
        out.append("")
        if c.verdict is not None:
            out.extend(_comment(f"verdict: {c.status}. {c.verdict.explanation[:400]}"))
            out.extend(lines)
            written += 1
        else:
            out.extend(_comment(f"not checkable as drafted: {c.error}"))
            out.extend("  # " + line.strip() if line.strip() else line for line in lines)
    if not written:
        raise ValueError(f"{audit.name}: no checkable claims drafted, so no claim file to write")
    rest = audit.not_checkable
    if rest:
        out += ["", "# Not checkable (statement: why):"]
        for st in rest:
            out.append(f"#   line {st.block.line}: {st.block.text[:90]}")
            for r in st.reasons:
                out.append(f"#     - {r}")
    return "\n".join(out) + "\n"
