"""A static HTML report of an audit: verdict table with filters, numbers, and two inline SVG charts.

The page is one self-contained file (no network, no external script or
style): a summary, a chart of verdicts per claim kind, a chart of computed ÷
claimed for every figure the checker compared, the verdict table (filter by
verdict, kind and text), the statements that could not be checked and, when a
review was given, its items with their marks. ``report.html#status=fails&kind=spec``
opens the page with those filters set.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence
from typing import Any

from .review import ItemMark
from .run import Audit, Checked

__all__ = ["chart_points", "render_html"]

COLORS = {"holds": "#2e7d32", "fails": "#c62828", "depends": "#f9a825", "error": "#757575"}
MARKS = {"holds": "[+]", "fails": "[-]", "depends": "[/]", "error": "[?]"}


def _e(x: Any) -> str:
    return html.escape(str(x), quote=True)


def _num(x: Any) -> float | None:
    """A verdict number as a float in a common unit (Quantity, '94.40%', '11.81x')."""
    if hasattr(x, "to_base_units"):
        try:
            return float(x.to_base_units().magnitude)
        except Exception:
            return None
    if isinstance(x, int | float):
        return float(x)
    m = re.match(r"\s*([-+]?\d[\d,]*\.?\d*)\s*(%|x|×)?\s*$", str(x))
    if not m:
        return None
    return float(m.group(1).replace(",", ""))


def chart_points(audit: Audit) -> list[tuple[str, float, str]]:
    """``(claim id, computed ÷ claimed, status)`` for each claim with both figures."""
    out = []
    for c in audit.checked:
        v = c.verdict
        if v is None:
            continue
        nums = v.numbers
        claimed = nums.get("claimed, read as the vendor means it", nums.get("claimed"))
        computed = nums.get("computed", nums.get("ratio"))
        if computed is None:
            q = c.fields.get("quantity")
            computed = nums.get(q) if isinstance(q, str) else None
        a, b = _num(computed), _num(claimed)
        if a is None or b is None or a <= 0 or b <= 0:
            continue
        out.append((c.claim_id, a / b, c.status))
    return out


def _kind_chart(audit: Audit) -> str:
    kinds: dict[str, dict[str, int]] = {}
    for c in audit.checked:
        kinds.setdefault(c.kind, {}).setdefault(c.status, 0)
        kinds[c.kind][c.status] += 1
    if not kinds:
        return "<p>No claims.</p>"
    width, row, left = 560, 26, 110
    top = max(sum(d.values()) for d in kinds.values())
    scale = (width - left - 60) / top
    h = row * len(kinds) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h}" '
        f'role="img" aria-label="Verdicts per claim kind">'
    ]
    for i, (kind, d) in enumerate(sorted(kinds.items())):
        y = 10 + i * row
        parts.append(
            f'<text x="{left - 8}" y="{y + 15}" text-anchor="end" font-size="13">{_e(kind)}</text>'
        )
        x = float(left)
        for st in ("holds", "depends", "fails", "error"):
            n = d.get(st, 0)
            if not n:
                continue
            w = n * scale
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row - 6}" '
                f'fill="{COLORS[st]}"><title>{_e(kind)}: {n} {st}</title></rect>'
            )
            x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 15}" font-size="12">{sum(d.values())}</text>')
    ly = h - 14
    for j, st in enumerate(("holds", "depends", "fails", "error")):
        lx = left + j * 100
        parts.append(
            f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{COLORS[st]}"/>'
            f'<text x="{lx + 16}" y="{ly}" font-size="12">{st}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _ratio_chart(points: Sequence[tuple[str, float, str]]) -> str:
    if not points:
        return "<p>No figure to compare.</p>"
    width, height, pad = 560, 240, 40
    logs = [math.log10(r) for _, r, _ in points]
    lo, hi = min([*logs, -0.5]), max([*logs, 0.5])

    def x(v: float) -> float:
        return pad + (v - lo) / (hi - lo) * (width - 2 * pad)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="Computed over claimed">'
    ]
    band_l, band_r = x(math.log10(0.95)), x(math.log10(1.05))
    parts.append(
        f'<rect x="{band_l:.1f}" y="10" width="{band_r - band_l:.1f}" '
        f'height="{height - 50}" fill="#e3f2fd"/>'
    )
    for tick in range(math.floor(lo), math.ceil(hi) + 1):
        tx = x(tick)
        parts.append(
            f'<line x1="{tx:.1f}" y1="10" x2="{tx:.1f}" y2="{height - 40}" '
            f'stroke="#bbb"/><text x="{tx:.1f}" y="{height - 24}" font-size="11" '
            f'text-anchor="middle">{10.0**tick:g}×</text>'
        )
    n = len(points)
    for i, (cid, r, st) in enumerate(points):
        cy = 20 + (i % 12) * ((height - 70) / 12)
        parts.append(
            f'<circle cx="{x(math.log10(r)):.1f}" cy="{cy:.1f}" r="5" '
            f'fill="{COLORS[st]}" fill-opacity="0.8"><title>{_e(cid)}: '
            f"{r:.3g}× ({st})</title></circle>"
        )
    parts.append(
        f'<text x="{width / 2}" y="{height - 6}" font-size="12" text-anchor="middle">'
        f"computed ÷ claimed ({n} figures, log scale; shaded: ±5%)</text></svg>"
    )
    return "".join(parts)


def _claimed(c: Checked) -> str:
    f = c.fields
    if "value" in f:
        return str(f["value"])
    if "usd_per_million_tokens" in f:
        return f"${f['usd_per_million_tokens']}/1M tokens"
    what = {"fit": "runs", "training": "trains", "service_limit": "fits"}.get(c.kind, c.kind)
    n = f.get("instances", 1)
    out = f"{what} on {n} instance{'s' if n != 1 else ''}"
    load = f.get("workload") or {}
    extra = ", ".join(f"{k} {v}" for k, v in load.items())
    return f"{out} ({extra})" if extra else out


def _row(i: int, c: Checked) -> str:
    st = c.statement
    v = c.verdict
    numbers = v.numbers_text() if v is not None else ""
    expl = v.explanation if v is not None else (c.error or "")
    q = c.fields.get("quantity", "")
    note = f"<br><small>read as: {_e(c.draft.note)}</small>" if c.draft.note else ""
    return (
        f'<tr data-status="{_e(c.status)}" data-kind="{_e(c.kind)}">'
        f"<td>{i}</td><td>{_e(' › '.join(st.block.section[-2:]))}<br>"
        f"<small>line {st.block.line}</small></td>"
        f"<td>{_e(st.block.text)}</td>"
        f"<td><b>{_e(c.kind)}</b> {_e(q)}<br>{_e(c.entity)}<br>"
        f"claimed: {_e(_claimed(c))}{note}</td>"
        f'<td class="v {_e(c.status)}">{MARKS[c.status]} {_e(c.status)}</td>'
        f"<td class=num>{_e(numbers)}</td>"
        f"<td><details><summary>why</summary>{_e(expl)}</details></td></tr>"
    )


_SCRIPT = """
function applyFilters() {
  var s = document.getElementById('f-status').value;
  var k = document.getElementById('f-kind').value;
  var t = document.getElementById('f-text').value.toLowerCase();
  var rows = document.querySelectorAll('#verdicts tbody tr');
  var shown = 0;
  rows.forEach(function (r) {
    var ok = (!s || r.dataset.status === s) && (!k || r.dataset.kind === k) &&
             (!t || r.textContent.toLowerCase().indexOf(t) >= 0);
    r.style.display = ok ? '' : 'none';
    if (ok) { shown += 1; }
  });
  document.getElementById('shown').textContent = shown + ' of ' + rows.length + ' claims shown';
}
document.addEventListener('DOMContentLoaded', function () {
  // report.html#status=fails&kind=spec opens with those filters set
  new URLSearchParams(location.hash.slice(1)).forEach(function (v, k) {
    var el = document.getElementById('f-' + k);
    if (el) { el.value = v; }
  });
  ['f-status', 'f-kind', 'f-text'].forEach(function (id) {
    document.getElementById(id).addEventListener('input', applyFilters);
  });
  applyFilters();
});
"""

_STYLE = """
body { font-family: sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 4px 6px; vertical-align: top; text-align: left; }
th { background: #eee; position: sticky; top: 0; }
td.v { font-weight: bold; white-space: nowrap; }
td.holds { color: #2e7d32; } td.fails { color: #c62828; } td.depends { color: #b28704; }
td.num { font-family: monospace; font-size: 12px; max-width: 28em; }
.charts { display: flex; flex-wrap: wrap; gap: 2em; }
.summary span { display: inline-block; margin-right: 1.5em; font-size: 15px; }
.filters { margin: 1em 0; } .filters label { margin-right: 1em; }
"""


def render_html(audit: Audit, marks: Sequence[ItemMark] | None = None) -> str:
    """The audit as one static, self-contained HTML page."""
    counts = audit.counts()
    kinds = sorted({c.kind for c in audit.checked})
    rows = "\n".join(_row(i, c) for i, c in enumerate(audit.checked, 1))
    summary = (
        f"<span><b>{counts['statements']}</b> quantitative statements</span>"
        f"<span><b>{counts['checkable']}</b> checkable</span>"
        f"<span><b>{counts['claims']}</b> claims drafted</span>"
        + "".join(
            f'<span style="color:{COLORS[s]}"><b>{counts[s]}</b> {s}</span>'
            for s in ("holds", "fails", "depends")
        )
    )
    opts_kind = "".join(f'<option value="{_e(k)}">{_e(k)}</option>' for k in kinds)
    rest = "".join(
        f"<tr><td>{st.block.line}</td><td>{_e(' › '.join(st.block.section[-2:]))}</td>"
        f"<td>{_e(st.block.text)}</td><td>not checkable: {_e('; '.join(st.reasons))}</td></tr>"
        for st in audit.not_checkable
    )
    review = ""
    if marks:
        items = []
        for m in marks:
            body = m.verdict or "not settled by numbers"
            nums = "".join(
                f"<li>{_e(c.verdict.explanation.split(' Source:')[0])}</li>"
                for a in m.assertions
                for c in a.checked
                if c.verdict is not None
            )
            rev = f"<p><b>Revision:</b> {_e(m.revision)}</p>" if m.revision else ""
            items.append(
                f"<li><b>{_e(m.mark)} {_e(body)}</b>: <i>{_e(m.item.section)}</i>, "
                f"excerpt {_e(m.item.excerpt)}{rev}"
                + (f"<details><summary>numbers</summary><ul>{nums}</ul></details>" if nums else "")
                + "</li>"
            )
        review = "<h2>Review items</h2><ol>" + "".join(items) + "</ol>"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>llmsizing audit: {_e(audit.name)}</title>
<style>{_STYLE}</style></head>
<body>
<h1>Audit of {_e(audit.name)}</h1>
<p class="summary">{summary}</p>
<div class="charts">
<figure><figcaption>Verdicts per claim kind</figcaption>{_kind_chart(audit)}</figure>
<figure><figcaption>Computed ÷ claimed, per figure</figcaption>
{_ratio_chart(chart_points(audit))}</figure>
</div>
<h2>Verdicts</h2>
<div class="filters">
<label>Verdict <select id="f-status"><option value="">all</option>
<option value="holds">holds</option><option value="fails">fails</option>
<option value="depends">depends</option><option value="error">error</option></select></label>
<label>Kind <select id="f-kind"><option value="">all</option>{opts_kind}</select></label>
<label>Text <input id="f-text" type="search" placeholder="model, instance, words"></label>
<span id="shown"></span>
</div>
<table id="verdicts"><thead><tr><th>#</th><th>Section</th><th>Excerpt</th><th>Claim</th>
<th>Verdict</th><th>Numbers</th><th>Explanation</th></tr></thead>
<tbody>
{rows}
</tbody></table>
<h2>Not checkable</h2>
<table id="unchecked"><thead><tr><th>Line</th><th>Section</th><th>Statement</th><th>Why</th></tr>
</thead><tbody>{rest}</tbody></table>
{review}
<script>{_SCRIPT}</script>
</body></html>
"""
