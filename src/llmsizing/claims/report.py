"""Verdicts as a text table, a review-style markdown table, JSON, or a DataFrame."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .verdict import MARK, Verdict

__all__ = ["format_verdicts", "verdict_frame"]


def verdict_frame(verdicts: Sequence[Verdict]) -> Any:
    """One row per verdict: id, claim text, verdict mark, expected, match, numbers, explanation.

    Returns
    -------
    pandas.DataFrame
    """
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "id": v.claim.id,
                "claim": v.claim.text or "",
                "verdict": f"{MARK[v.status]} {v.status}",
                "expect": v.claim.expect or "",
                "matches": v.matches,
                "numbers": v.numbers_text(),
                "explanation": v.explanation,
            }
            for v in verdicts
        ]
    )


def _markdown(verdicts: Sequence[Verdict]) -> str:
    lines = ["| # | Claim | Verdict | Key numbers | Explanation |", "|---|---|---|---|---|"]
    for i, v in enumerate(verdicts, 1):
        cells = [
            str(i),
            f"**{v.claim.id}**: {v.claim.text or ''}"
            + (f" ({v.claim.source})" if v.claim.source else ""),
            f"{MARK[v.status]} {v.status}" + ("" if v.matches else f" (expected {v.claim.expect})"),
            v.numbers_text(),
            v.explanation + (f" Note: {v.claim.why}" if v.claim.why else ""),
        ]
        lines.append(
            "| " + " | ".join(x.replace("|", "\\|").replace("\n", " ") for x in cells) + " |"
        )
    return "\n".join(lines)


def _table(verdicts: Sequence[Verdict]) -> str:
    rows = []
    for v in verdicts:
        flag = "" if v.matches else f"  <-- expected {v.claim.expect}"
        rows.append(f"{MARK[v.status]} {v.claim.id:<36} {v.status:<8}{flag}")
    n_bad = sum(not v.matches for v in verdicts)
    rows.append(f"{len(verdicts)} claims, {len(verdicts) - n_bad} as expected, {n_bad} not")
    return "\n".join(rows)


def format_verdicts(verdicts: Sequence[Verdict], fmt: str = "table") -> str:
    """Render verdicts as a text ``table``, a review-style ``markdown`` table, or ``json``.

    Examples
    --------
    >>> format_verdicts([])
    '0 claims, 0 as expected, 0 not'
    """
    if fmt == "json":
        return json.dumps([v.to_dict() for v in verdicts], indent=2, ensure_ascii=False)
    if fmt == "markdown":
        return _markdown(verdicts)
    return _table(verdicts)
