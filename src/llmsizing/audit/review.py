"""Reviews in the seeds' format: writing one from an audit, and marking a given one.

A review is a numbered list of items, each with **Section**, **Excerpt**,
**Issue** and **Correction**. :func:`write_review` turns an audit's verdicts
into such items, marked ``[+]`` (the excerpt holds), ``[-]`` (it fails) or
``[/]`` (it holds only under some readings), with the numbers.

:func:`mark_review` reads a reviewer's items and settles the ones numbers can
settle. For each item it drafts claims from the excerpt (in the item's
section, with the report's models), from each sentence of the issue and from
each sentence of the correction, and checks them. A sentence that calls a
placement infeasible ("insufficient", "not viable", "speculative", "depends
on") asserts that its fit or training claims fail; one that calls a figure
unsourced or wrong ("no public source", "mis-state") asserts that its figures
fail; any other sentence asserts that what it states holds. A sentence that
reports what a source cites ("citing", "reports") is shown but not held
against the reviewer. The item is then

* **valid** ``[+]``: the excerpt fails (or depends) and every assertion of the
  reviewer is borne out;
* **invalid** ``[-]``: the excerpt holds and the reviewer's assertions are not
  borne out;
* **partly valid** ``[/]``: anything between, with a **Revision** naming what
  holds and what does not, with the numbers;
* **not settled by numbers**: no claim could be drafted from it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .draft import Statement, draft_document
from .markdown import plain, sentences
from .run import Audit, Checked

__all__ = ["Assertion", "ItemMark", "ReviewItem", "mark_review", "parse_review", "write_review"]

MARKS = {"holds": "[+]", "fails": "[-]", "depends": "[/]", "error": "[?]"}
VERDICT_MARKS = {"valid": "[+]", "invalid": "[-]", "partly valid": "[/]"}

_FEASIBILITY = re.compile(
    r"insufficient|not viable|cannot|can't|can not|does not fit|doesn't fit|too small|"
    r"not enough|speculative|depends on|not (?:feasible|possible)",
    re.I,
)
_SOURCING = re.compile(
    r"no (?:public )?(?:aws )?source|not published|aren't sourced|not sourced|mis-?state|"
    r"under-? or|overstate|understate|incorrect|wrong|not supported",
    re.I,
)
_CITING = re.compile(r"\bcit(?:es|ing|ed)\b|\breports?\b|according to|^sources?:", re.I)
_REMOVE = re.compile(r"^\s*(?:remove|delete|drop)\b", re.I)
_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "six": 6,
    "eight": 8,
    "twelve": 12,
    "sixteen": 16,
}


@dataclass
class ReviewItem:
    """One numbered item of a review."""

    number: int
    section: str
    excerpt: str
    issue: str
    correction: str
    line: int = 0


@dataclass
class Assertion:
    """Claims drafted from one clause of a review item, and what the reviewer asserts of each."""

    part: str  # "excerpt", "issue" or "correction"
    sentence: str
    checked: list[Checked]
    asserts: list[str]  # per claim: "holds", "fails" or "cites"

    def right(self, i: int) -> bool | None:
        """Whether claim ``i`` came out as asserted (None for a cited figure or no verdict)."""
        c, a = self.checked[i], self.asserts[i]
        if a == "cites" or c.verdict is None:
            return None
        return c.status == a

    @property
    def outcome(self) -> str:
        """``right``, ``partly`` or ``wrong`` (``cited`` for a source's figure)."""
        if all(a == "cites" for a in self.asserts):
            return "cited"
        got = [self.right(i) for i in range(len(self.checked))]
        got_ = [g for g in got if g is not None]
        if not got_:
            return "unsettled"
        if all(got_):
            return "right"
        partial = any(self.checked[i].status == "depends" for i, g in enumerate(got) if g is False)
        return "partly" if any(got_) or partial else "wrong"


@dataclass
class ItemMark:
    """A review item with its verdict (valid, invalid, partly valid) and the numbers."""

    item: ReviewItem
    verdict: str | None
    assertions: list[Assertion] = field(default_factory=list)
    revision: str = ""

    @property
    def mark(self) -> str:
        """``[+]``, ``[-]``, ``[/]``, or empty when numbers do not settle the item."""
        return VERDICT_MARKS.get(self.verdict or "", "")


# ---------------------------------------------------------------- parsing
_FIELD = re.compile(r"\*\*(Section|Excerpt|Issue|Correction)[^*]*?:\*\*", re.I)


def parse_review(text: str) -> list[ReviewItem]:
    """The numbered items of a review in the seeds' format.

    Examples
    --------
    >>> doc = '''1. **Section:** *P5*
    ...    **Excerpt:** "8 GPUs"
    ...    **Issue:** It has 8 GPUs.
    ...    **Correction:** None.'''
    >>> [(i.number, i.section, i.excerpt) for i in parse_review(doc)]
    [(1, 'P5', '"8 GPUs"')]
    """
    items: list[ReviewItem] = []
    lines = text.splitlines()
    starts = [
        (i, int(m.group(1)))
        for i, line in enumerate(lines)
        if (m := re.match(r"^\s*(\d+)\.\s+(?:\[[+/-]\]\s*)?\*\*Section", line))
    ]
    for k, (i, num) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        body = "\n".join(lines[i:end])
        body = re.split(r"\n\s*---\s*\n|\n\[\d+\]:", body)[0]
        parts: dict[str, str] = {}
        found = list(_FIELD.finditer(body))
        for j, m in enumerate(found):
            stop = found[j + 1].start() if j + 1 < len(found) else len(body)
            parts[m.group(1).lower()] = plain(body[m.end() : stop])
        items.append(
            ReviewItem(
                num,
                parts.get("section", "").strip("* "),
                parts.get("excerpt", ""),
                parts.get("issue", ""),
                parts.get("correction", ""),
                i + 1,
            )
        )
    return items


# ---------------------------------------------------------------- marking
def _digits(text: str) -> str:
    """Number words before a counted noun as digits: "one Inferentia2 accelerator" -> "1 ..."."""
    pat = re.compile(
        r"\b(" + "|".join(_WORDS) + r")\b(?=\s+(?:[\w-]+\s+){0,2}?"
        r"(?:accelerators?|chips?|GPUs?|devices?)\b)",
        re.I,
    )
    return pat.sub(lambda m: str(_WORDS[m.group(1).lower()]), text)


def _clean(text: str) -> str:
    t = re.sub(r"\(\[[^)]*\)\s*$", "", text.strip())  # trailing citation list
    t = re.sub(r"\[[^\]]*\]\[\d+\]", "", t)
    t = t.replace("“", "").replace("”", "").replace("‘", "'").replace("’", "'")
    return _digits(re.sub(r"\s+", " ", t)).strip()


def _check(statements: Sequence[Statement], part: str) -> list[Checked]:
    from llmsizing.claims import Claim, Context, check

    ctx = Context()
    out = []
    for i, st in enumerate(statements):
        for j, d in enumerate(st.drafts):
            c = Checked(st, d, f"review-{part}-{i}-{j}", dict(d.fields))
            try:
                c.verdict = check(Claim(id=c.claim_id, text=st.block.text, **c.fields), context=ctx)
            except Exception as e:  # a draft the checker refuses is shown, not fatal
                c.error = str(e).splitlines()[0]
            out.append(c)
    return out


def _draft(section: str, context: str, sentence: str, models: Sequence[str]) -> list[Statement]:
    heading = f"## {section}\n\n" + (f"### {context}\n\n" if context else "")
    doc = heading + "- " + sentence.replace("\n", " ") + "\n"
    return draft_document(doc, models=models, triggers=("use", "replace", "viable", "insufficient"))


def _asserts(clause: str, checked: Sequence[Checked]) -> list[str]:
    """What the reviewer asserts of each claim drafted from ``clause``."""
    if _CITING.search(clause):
        return ["cites"] * len(checked)
    feasible_no = bool(_FEASIBILITY.search(clause))
    figure_no = bool(_SOURCING.search(clause) or _REMOVE.search(clause))
    out = []
    for c in checked:
        if c.kind in ("fit", "training", "cost"):
            out.append("fails" if feasible_no or figure_no else "holds")
        else:
            out.append("fails" if figure_no else "holds")
    return out


def _clauses(text: str) -> list[str]:
    return [c.strip() for s in sentences(_clean(text)) for c in s.split(";") if c.strip()]


def _assertions(item: ReviewItem, models: Sequence[str]) -> list[Assertion]:
    out = []
    excerpt = _clean(item.excerpt)
    section = _clean(item.section)
    for piece in re.split(r"\s+…\s+|\.\.\.", excerpt):
        piece = piece.strip(" .;")
        if not piece:
            continue
        checked = _check(_draft(section, excerpt, piece, models), "excerpt")
        if checked:
            out.append(Assertion("excerpt", piece, checked, ["holds"] * len(checked)))
    for part, text in (("issue", item.issue), ("correction", item.correction)):
        for clause in _clauses(text):
            checked = _check(_draft(section, excerpt, clause, models), part)
            if not checked:
                continue
            asserts = _asserts(clause, checked)
            negated = "fails" in asserts
            keep = [
                i
                for i, c in enumerate(checked)
                if not (
                    c.kind in ("fit", "training", "cost")
                    and asserts[i] == "holds"
                    and part == "issue"
                )
                # "claiming a single node supports ..." restates the premise it doubts
                and not (negated and c.fields.get("quantity") == "nodes")
            ]
            if not keep:
                continue
            out.append(
                Assertion(part, clause, [checked[i] for i in keep], [asserts[i] for i in keep])
            )
    return out


_PART_KINDS = {
    "issue": {"fit", "training", "cost", "spec", "ratio", "memory", "architecture"},
    "correction": {"fit", "training", "cost", "spec", "ratio", "memory", "architecture"},
}


def _verdict_line(c: Checked) -> str:
    if c.verdict is None:
        return f"[?] {c.kind} {c.entity}: not checked ({c.error})"
    return str(c.verdict.explanation).split(" Source:")[0].strip()


def _judge(mark: ItemMark) -> None:
    ex = [a for a in mark.assertions if a.part == "excerpt"]
    rv = [a for a in mark.assertions if a.part != "excerpt"]
    ex_status = [c.status for a in ex for c in a.checked if c.verdict is not None]
    rv_out = [a.outcome for a in rv if a.outcome not in ("unsettled", "cited")]
    if not ex_status and not rv_out:
        mark.verdict = None
        return
    objection = (not ex_status) or any(s in ("fails", "depends") for s in ex_status)
    refuted = bool(ex_status) and all(s == "holds" for s in ex_status)
    if objection and all(o == "right" for o in rv_out):
        mark.verdict = "valid"
    elif refuted and all(o == "wrong" for o in rv_out):
        mark.verdict = "invalid"
    else:
        mark.verdict = "partly valid"
        mark.revision = _revision(mark)


def _revision(mark: ItemMark) -> str:
    keep, drop = [], []
    for a in mark.assertions:
        if a.part == "excerpt":
            held = [c for c in a.checked if c.status == "holds"]
            for c in held:
                keep.append(f"the excerpt's {c.kind} for {c.entity} holds ({_short(c)})")
            continue
        for i, c in enumerate(a.checked):
            if a.right(i) is False:
                drop.append(
                    f"the {a.part}'s '{a.sentence[:70]}' for {c.entity}: "
                    f"{c.status}, not {a.asserts[i]} ({_short(c)})"
                )
    parts = []
    if drop:
        parts.append("Not borne out: " + "; ".join(dict.fromkeys(drop)) + ".")
    if keep:
        parts.append("Stands: " + "; ".join(dict.fromkeys(keep)) + ".")
    return " ".join(parts)


def _names(cs: Sequence[Checked]) -> str:
    return ", ".join(dict.fromkeys(f"{c.kind} {c.entity}" for c in cs))


def _short(c: Checked) -> str:
    if c.verdict is None:
        return c.error or ""
    nums = c.verdict.numbers
    if "holds under" in nums:
        return f"holds with {nums['holds under']}"
    pick = [
        k
        for k in (
            "computed",
            "claimed",
            "ratio",
            "required per rank",
            "available per rank",
            "instances needed",
        )
        if k in nums
    ]
    if not pick:
        pick = list(nums)[:3]
    return "; ".join(f"{k} {fmt_v(nums[k])}" for k in pick)


def mark_review(review_text: str, audit: Audit | None = None) -> list[ItemMark]:
    """Each item of a review, settled by numbers where it can be (see the module text)."""
    models: list[str] = []
    if audit is not None:
        for st in audit.statements:
            for c in st.drafts:
                m = c.fields.get("model")
                if isinstance(m, str) and m not in models:
                    models.append(m)
    out = []
    for item in parse_review(review_text):
        mark = ItemMark(item, None, _assertions(item, models))
        _judge(mark)
        out.append(mark)
    return out


# ----------------------------------------------------------------- writing
def _status_of(cs: Sequence[Checked]) -> str:
    st = {c.status for c in cs if c.verdict is not None}
    if not st:
        return "error"
    if st == {"holds"}:
        return "holds"
    if st == {"fails"}:
        return "fails"
    return "depends"


def _correction(cs: Sequence[Checked]) -> str:
    fixes = []
    for c in cs:
        v = c.verdict
        if v is None or c.status == "holds":
            continue
        nums: dict[str, Any] = v.numbers
        if "holds under" in nums:
            fixes.append(f"state the condition for {c.entity}: it holds with {nums['holds under']}")
        elif c.kind == "spec" and "computed" in nums:
            from llmsizing.claims.verdict import fmt

            fixes.append(f"{c.entity}: state {fmt(nums['computed'])}")
        elif c.kind == "ratio":
            fixes.append(f"{c.entity}: state {_computed_ratio(nums)}")
        else:
            fixes.append(f"{c.entity}: not as stated ({c.status})")
    return "; ".join(dict.fromkeys(fixes)) or "None needed."


def _computed_ratio(nums: dict[str, Any]) -> str:
    """The computed figure of a ratio verdict; over contexts, its range."""
    by_context = [(k, x) for k, x in nums.items() if " @ " in k]
    if by_context:
        lo, hi = by_context[0], by_context[-1]
        if fmt_v(lo[1]) == fmt_v(hi[1]):
            return f"{fmt_v(lo[1])} (every context)"
        return (
            f"{fmt_v(lo[1])} at {lo[0].split(' @ ')[1]} to {fmt_v(hi[1])} at "
            f"{hi[0].split(' @ ')[1]} tokens"
        )
    for k, x in nums.items():
        if k != "claimed":
            return fmt_v(x)
    return ""


def fmt_v(x: Any) -> str:
    """A verdict number as text."""
    from llmsizing.claims.verdict import fmt

    return fmt(x)


def write_review(audit: Audit) -> str:
    """A review of the audited report in the seeds' format, one item per checked statement."""
    lines = [
        f"# Review of {audit.name} (drafted by `llmsizing audit`)",
        "",
        "Marks: [+] the excerpt holds, [-] it fails, [/] it holds only under some readings "
        "(named in the item).",
        "",
        "## Review",
        "",
    ]
    by_stmt: dict[int, list[Checked]] = {}
    order: list[Statement] = []
    for c in audit.checked:
        key = id(c.statement)
        if key not in by_stmt:
            by_stmt[key] = []
            order.append(c.statement)
        by_stmt[key].append(c)
    for n, st in enumerate(order, 1):
        cs = by_stmt[id(st)]
        status = _status_of(cs)
        section = " › ".join(st.block.section[-2:])
        issue = " ".join(_verdict_line(c) for c in cs)
        lines += [
            f"{n}. {MARKS[status]} **Section:** *{section}* (line {st.block.line})",
            f"   **Excerpt:** “{st.block.text}”",
            f"   **Issue:** {issue}",
            f"   **Correction:** {_correction(cs)}",
            "",
        ]
    rest = audit.not_checkable
    if rest:
        lines += ["## Not checkable", ""]
        for st in rest:
            lines.append(
                f"- line {st.block.line}, *{' › '.join(st.block.section[-1:])}*: "
                f"“{st.block.text}”: not checkable: {'; '.join(st.reasons)}"
            )
    return "\n".join(lines) + "\n"


def marked_review(marks: Sequence[ItemMark]) -> str:
    """The reviewer's items, each marked valid / invalid / partly valid, with the numbers."""
    lines = [
        "# Review items, marked by the numbers",
        "",
        "[+] valid, [-] invalid, [/] partly valid (with a Revision); items the numbers "
        "cannot settle are left unmarked.",
        "",
    ]
    for m in marks:
        it = m.item
        head = f"{it.number}. {m.mark + ' ' if m.mark else ''}**Section:** *{it.section}*"
        lines += [
            head,
            f"   **Excerpt:** {it.excerpt}",
            f"   **Issue:** {it.issue}",
            f"   **Correction:** {it.correction}",
        ]
        if m.verdict is None:
            lines.append(
                "   **Verdict:** not settled by numbers (no model, instance or sizing "
                "quantity to check)."
            )
        else:
            lines.append(f"   **Verdict:** {m.verdict}.")
            for a in m.assertions:
                tag = {
                    "right": "borne out",
                    "partly": "partly borne out",
                    "wrong": "not borne out",
                    "cited": "a source's figure (shown, not held against the reviewer)",
                    "unsettled": "not settled",
                }[a.outcome]
                lines.append(f"   - {a.part}: “{a.sentence}”: {tag}.")
                for i, c in enumerate(a.checked):
                    said = "" if a.part == "excerpt" else f"(reviewer: {a.asserts[i]}) "
                    lines.append(f"     - {said}{_verdict_line(c)}")
            if m.revision:
                lines.append(f"   **Revision:** {m.revision}")
        lines.append("")
    return "\n".join(lines) + "\n"


__all__ += ["fmt_v", "marked_review"]
