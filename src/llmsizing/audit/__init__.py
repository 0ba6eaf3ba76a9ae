"""Auditing a markdown report: find its quantitative statements, draft and check claims.

``llmsizing audit REPORT.md [--review REVIEW.md] [--out DIR]`` (:func:`audit_cli`)
runs the whole workflow with rules and the library's own vocabularies (preset
model names and aliases, catalog instance names, families and devices, claim
quantities), no language model and no network:

1. :mod:`~llmsizing.audit.markdown` splits the report into table rows,
   bullets, sentences and configuration lines, each with its section;
2. :mod:`~llmsizing.audit.entities` finds the models, instances and
   quantities each names;
3. :mod:`~llmsizing.audit.draft` drafts a claim for each checkable one (the
   excerpt as ``text``, the section as ``source``) and gives the others a
   reason they cannot be checked;
4. :mod:`~llmsizing.audit.run` checks them and writes an editable claim file;
5. :mod:`~llmsizing.audit.review` writes a review in the seeds' format and
   marks a given review's items valid, invalid or partly valid;
6. :mod:`~llmsizing.audit.html` renders a static HTML report.

Examples
--------
>>> from llmsizing.audit import audit_text
>>> a = audit_text("## Inf2\\n\\n- inf2.8xlarge: 1 Inferentia2 chip with 32 GB HBM\\n")
>>> [(c.kind, c.fields["quantity"], c.status) for c in a.checked]
[('spec', 'accelerator_count', 'holds'), ('spec', 'accelerator_memory_per_device', 'holds')]
"""

from __future__ import annotations

from .cli import audit_cli, build_parser
from .draft import Draft, Statement, draft_document
from .entities import Vocabulary, quantities
from .grade import Grade, grade, report_claims
from .html import render_html
from .markdown import Block, blocks
from .review import ItemMark, mark_review, marked_review, parse_review, write_review
from .run import Audit, Checked, audit_file, audit_text, claims_yaml

__all__ = [
    "Audit",
    "Block",
    "Checked",
    "Draft",
    "Grade",
    "ItemMark",
    "Statement",
    "Vocabulary",
    "audit_cli",
    "audit_file",
    "audit_text",
    "blocks",
    "build_parser",
    "claims_yaml",
    "draft_document",
    "grade",
    "mark_review",
    "marked_review",
    "parse_review",
    "quantities",
    "render_html",
    "report_claims",
    "write_review",
]
