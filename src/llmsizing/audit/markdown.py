"""Splitting a markdown report into the pieces a claim can be drafted from.

A report states its numbers in table rows, bullets, sentences and the lines of
configuration blocks. :func:`blocks` walks the markdown once and returns one
:class:`Block` per such piece, with the section it sits in (headings, and the
bold lead-in lines such as ``**P5 Instance Family (NVIDIA H100):**`` that act
as sub-headings) and its line number.

Examples
--------
>>> doc = "# Title\\n\\n## Chips\\n\\n- **Memory:** 32 GB HBM per chip\\n"
>>> [(b.kind, b.text, b.section) for b in blocks(doc)]
[('bullet', 'Memory: 32 GB HBM per chip', ('Title', 'Chips'))]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

__all__ = ["Block", "blocks", "plain", "sentences"]

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(\s*)(?:[-*+]|\d+[.)])\s+(.*)$")
_BOLD_TITLE = re.compile(r"^\*\*([^*]+?)\*\*:?\s*$")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z*\"“(])")


def plain(text: str) -> str:
    """Markdown emphasis, code marks and links removed; spaces collapsed.

    Examples
    --------
    >>> plain("**Compute:** 20.8 *peak* petaflops [docs](http://x)")
    'Compute: 20.8 peak petaflops docs'
    """
    t = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    t = re.sub(r"\[(\d+)\]\[\d+\]|\[[^\]]*\]\[\d+\]", "", t)
    t = t.replace("**", "").replace("__", "").replace("`", "")
    t = re.sub(r"(?<![\w*])\*(?!\s)([^*]+?)(?<!\s)\*(?![\w*])", r"\1", t)
    t = re.sub(r"&#x[0-9a-fA-F]+;|&nbsp;", " ", t)
    return re.sub(r"\s+", " ", t).strip()


def sentences(text: str) -> list[str]:
    """A paragraph split into sentences (a full stop followed by a capital).

    Examples
    --------
    >>> sentences("It has 8 GPUs. Each has 80 GB.")
    ['It has 8 GPUs.', 'Each has 80 GB.']
    """
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


@dataclass(frozen=True)
class Block:
    """One piece of a report a claim can be drafted from.

    Attributes
    ----------
    kind : {"row", "bullet", "sentence", "config"}
        A table row, a list item, a sentence of a paragraph, or a group of
        lines of a code block (``key: value`` configuration).
    text : str
        The excerpt as it reads, with markdown emphasis removed.
    section : tuple of str
        The headings (and bold sub-headings) it sits under, outermost first.
    line : int
        1-based line of the report the excerpt starts on.
    cells : tuple of str
        For a table row: its cells; ``header`` holds the column names.
    header : tuple of str
        For a table row: the table's column names.
    """

    kind: str
    text: str
    section: tuple[str, ...]
    line: int
    cells: tuple[str, ...] = ()
    header: tuple[str, ...] = ()
    context: tuple[str, ...] = field(default=())

    @property
    def source(self) -> str:
        """``report › Section › Sub-section`` (the heading path)."""
        return " › ".join(self.section)


def _cells(line: str) -> tuple[str, ...]:
    s = line.strip()
    s = s.removeprefix("|").removesuffix("|")
    return tuple(plain(c) for c in s.split("|"))


def _config_groups(lines: list[tuple[int, str]]) -> Iterator[tuple[int, str, tuple[str, ...]]]:
    """Group configuration lines: a key with children becomes one group with them.

    Yields ``(line, text, path)``: a leaf group such as
    ``training: instance_type: ml.p5e.48xlarge, instance_count: 8-16`` or a
    single ``key: value`` line, with the keys above it as ``path``.
    """
    entries = []
    for no, raw in lines:
        if not raw.strip() or raw.strip().startswith("#"):
            continue
        indent = len(raw) - len(raw.lstrip())
        entries.append((no, indent, raw.strip()))
    stack: list[tuple[int, str]] = []
    i = 0
    while i < len(entries):
        no, indent, text = entries[i]
        while stack and stack[-1][0] >= indent:
            stack.pop()
        key, _, value = text.partition(":")
        nxt = entries[i + 1][1] if i + 1 < len(entries) else -1
        if not value.strip() and nxt > indent:
            # a parent key: gather its leaf children into one group
            children = []
            j = i + 1
            while j < len(entries) and entries[j][1] > indent:
                children.append(entries[j])
                j += 1
            if all(not c[2].endswith(":") for c in children):
                path = tuple(k for _, k in stack)
                yield no, f"{key}: " + ", ".join(c[2] for c in children), path
                i = j
                continue
            stack.append((indent, key))
            i += 1
            continue
        yield no, text, tuple(k for _, k in stack)
        i += 1


def blocks(text: str) -> list[Block]:
    """The table rows, bullets, sentences and configuration lines of a markdown text."""
    out: list[Block] = []
    headings: list[tuple[int, str]] = []
    sub: str | None = None
    lines = text.splitlines()
    i = 0
    para: list[tuple[int, str]] = []
    parent = ""

    def section() -> tuple[str, ...]:
        return tuple(h for _, h in headings) + ((sub,) if sub else ())

    def flush() -> None:
        if not para:
            return
        joined = plain(" ".join(t for _, t in para))
        start = para[0][0]
        for s in sentences(joined):
            out.append(Block("sentence", s, section(), start))
        para.clear()

    while i < len(lines):
        raw = lines[i]
        no = i + 1
        stripped = raw.strip()
        if _FENCE.match(raw):
            flush()
            body: list[tuple[int, str]] = []
            i += 1
            while i < len(lines) and not _FENCE.match(lines[i]):
                body.append((i + 1, lines[i]))
                i += 1
            i += 1
            title = ""
            if body and body[0][1].strip().endswith(":") and ":" not in body[0][1].strip()[:-1]:
                title = body[0][1].strip()[:-1]
            for gno, gtext, path in _config_groups(body):
                if ":" not in gtext or gtext.endswith(":"):
                    continue
                ctx = tuple(p for p in (title, *path) if p)
                out.append(Block("config", plain(gtext), section(), gno, context=ctx))
            continue
        m = _HEADING.match(raw)
        if m:
            flush()
            level = len(m.group(1))
            headings = [(lv, h) for lv, h in headings if lv < level]
            headings.append((level, plain(m.group(2))))
            sub = None
            parent = ""
            i += 1
            continue
        if not stripped:
            flush()
            i += 1
            continue
        m = _BOLD_TITLE.match(stripped)
        if m:
            flush()
            sub = plain(m.group(1)).rstrip(":")
            i += 1
            continue
        if stripped.startswith("|") and i + 1 < len(lines) and _TABLE_SEP.match(lines[i + 1]):
            flush()
            header = _cells(stripped)
            i += 2
            while i < len(lines) and lines[i].strip().startswith("|"):
                cells = _cells(lines[i])
                out.append(
                    Block("row", " | ".join(cells), section(), i + 1, cells=cells, header=header)
                )
                i += 1
            continue
        m = _BULLET.match(raw)
        if m:
            flush()
            item = [m.group(2)]
            i += 1
            # continuation lines of the same item (indented, not a new item)
            while (
                i < len(lines)
                and lines[i].strip()
                and not _BULLET.match(lines[i])
                and lines[i].startswith((" ", "\t"))
            ):
                item.append(lines[i].strip())
                i += 1
            text_ = plain(" ".join(item))
            if m.group(1):
                out.append(Block("bullet", text_, section(), no, context=(parent,)))
            else:
                parent = text_
                out.append(Block("bullet", text_, section(), no))
            continue
        if stripped.startswith(">"):
            flush()
            i += 1
            continue
        if stripped == "---":
            flush()
            i += 1
            continue
        para.append((no, stripped))
        i += 1
    flush()
    return out
