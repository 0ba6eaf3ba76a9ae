"""``llmsizing audit REPORT.md [--review REVIEW.md] [--out DIR]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["audit_cli", "build_parser"]


def build_parser(prog: str = "llmsizing audit") -> argparse.ArgumentParser:
    """The argument parser of ``llmsizing audit``."""
    p = argparse.ArgumentParser(
        prog=prog,
        description=(
            "Find the quantitative statements of a markdown report, draft a claim for each "
            "checkable one, check them, and write a claim file, a review and an HTML report."
        ),
    )
    p.add_argument("report", metavar="REPORT.md", help="the markdown report to audit")
    p.add_argument(
        "--review",
        metavar="REVIEW.md",
        help="a review of the report (numbered items with Section, Excerpt, Issue, Correction): "
        "mark each item valid, invalid or partly valid",
    )
    p.add_argument(
        "--out",
        metavar="DIR",
        help="directory to write into (default: ./<REPORT>-audit)",
    )
    return p


def audit_cli(argv: list[str]) -> int:
    """Run ``llmsizing audit`` with ``argv`` (the arguments after ``audit``); the exit status.

    Writes ``claims.yaml`` (re-runs with ``llmsizing check``), ``review.md``,
    ``review-marked.md`` (with ``--review``) and ``report.html`` into the output
    directory, and prints a summary. Exit status 0 on success, 2 for a
    missing or unreadable input, 1 when no checkable claim was found.
    """
    from .html import render_html
    from .review import mark_review, marked_review, write_review
    from .run import audit_file, claims_yaml

    try:
        args = build_parser().parse_args(argv)
    except SystemExit as e:  # --help, or a usage error (argparse has printed it)
        return int(e.code or 0)
    report = Path(args.report)
    try:
        audit = audit_file(report)
        review_text = Path(args.review).read_text(encoding="utf-8") if args.review else None
    except (OSError, UnicodeDecodeError) as e:
        print(f"llmsizing audit: {e}", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else Path(f"{report.stem}-audit")
    out.mkdir(parents=True, exist_ok=True)
    marks = mark_review(review_text, audit) if review_text is not None else None
    try:
        (out / "claims.yaml").write_text(claims_yaml(audit), encoding="utf-8")
    except ValueError as e:
        print(f"llmsizing audit: {e}", file=sys.stderr)
        return 1
    (out / "review.md").write_text(write_review(audit), encoding="utf-8")
    if marks is not None:
        (out / "review-marked.md").write_text(marked_review(marks), encoding="utf-8")
    (out / "report.html").write_text(render_html(audit, marks), encoding="utf-8")
    n = audit.counts()
    print(
        f"{report.name}: {n['statements']} quantitative statements, {n['checkable']} checkable; "
        f"{n['claims']} claims: {n['holds']} hold, {n['fails']} fail, {n['depends']} depend"
        + (f", {n['error']} not checkable as drafted" if n["error"] else "")
    )
    if marks is not None:
        settled = [m for m in marks if m.verdict]
        print(
            f"{Path(args.review).name}: {len(marks)} items, {len(settled)} settled by numbers: "
            + ", ".join(f"{m.item.number} {m.mark} {m.verdict}" for m in settled)
        )
    print(
        f"wrote {out}/claims.yaml, review.md"
        + (", review-marked.md" if marks is not None else "")
        + ", report.html"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(audit_cli(sys.argv[1:]))
