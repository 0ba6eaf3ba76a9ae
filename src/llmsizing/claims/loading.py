"""Reading claim files: safe YAML, with the file and line of every claim and field.

A claim file is a YAML mapping::

    llmsizing: claims/1          # optional here; the pytest plugin collects only files with it
    defaults:                    # optional: fields every claim takes unless it sets them
      workload: {kv: bf16}
    claims:
      - id: inf2-memory
        kind: spec
        ...

Loading never executes anything: custom and Python tags, anchors and aliases
are refused, and so are duplicate keys (a second ``claims:`` would silently
drop the first list), an empty claim list, files over
:data:`MAX_CLAIM_FILE_BYTES` and collections nested deeper than
:data:`MAX_DEPTH`. Every error is one line naming the file, the line and the
field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from llmsizing.errors import ClaimError

from .header import FORMAT, HEADER_KEY
from .schema import CLAIM_ADAPTER, CLAIM_TYPES, Claim, error_text, first_error_field

__all__ = [
    "FORMAT",
    "HEADER_KEY",
    "MAX_CLAIM_FILE_BYTES",
    "MAX_DEPTH",
    "load_claims",
]

#: Largest claim file read [bytes].
MAX_CLAIM_FILE_BYTES = 2_000_000
#: Deepest nesting of YAML collections accepted (a claim needs 4).
MAX_DEPTH = 16
#: Most claims in one file.
MAX_CLAIMS = 10_000
_TOP_LEVEL = (HEADER_KEY, "defaults", "claims")
#: libyaml's parser where PyYAML was built with it (20x faster), else the pure-Python one.
_PARSER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# ----------------------------------------------------------------- YAML layer
def _flow_depth(text: str) -> tuple[int, int]:
    """Deepest ``[``/``{`` nesting outside quotes and comments, and its line.

    PyYAML's scanner takes quadratic time on deeply nested flow collections,
    so they are measured (and refused) before PyYAML sees them. A bracket
    opens a collection only where YAML allows one: first on its line, or after
    ``:``, ``-``, ``,`` or another bracket (not inside a plain scalar).
    """
    depth = worst = 0
    line = worst_line = 1
    quote = ""
    comment = False
    prev = "\n"  # the last character that is not a space
    spaced = True  # a space (or the line start) precedes this character
    for ch in text:
        if ch == "\n":
            line += 1
            comment = False
            spaced = True
            if not quote:
                prev = "\n"
            continue
        if comment:
            continue
        if ch in " \t":
            spaced = True
            continue
        if quote:
            if ch == quote:
                quote = ""
        elif ch == "#" and spaced:
            comment = True
        elif ch in "'\"" and prev in "\n[{,:-?":
            quote = ch
        elif ch in "[{" and prev in "\n[{,:-?":
            depth += 1
            if depth > worst:
                worst, worst_line = depth, line
                if worst > MAX_DEPTH:
                    break
        elif ch in "]}" and depth:
            depth -= 1
        prev, spaced = ch, False
    return worst, worst_line


def _events_ok(text: str, where: str) -> None:
    """Refuse aliases, anchors, non-standard tags and deep nesting, from the event stream."""
    depth = 0
    for ev in yaml.parse(text, Loader=_PARSER):
        line = ev.start_mark.line + 1 if ev.start_mark is not None else "?"
        if isinstance(ev, yaml.AliasEvent):
            raise ClaimError(f"{where}:{line}: YAML aliases (*{ev.anchor}) are not allowed")
        anchor = getattr(ev, "anchor", None)
        if anchor:
            raise ClaimError(f"{where}:{line}: YAML anchors (&{anchor}) are not allowed")
        tag = getattr(ev, "tag", None)
        if tag and tag.startswith("!") and not tag.startswith("tag:yaml.org,2002:"):
            raise ClaimError(f"{where}:{line}: YAML tag {tag!r} is not allowed")
        if tag and tag.startswith("tag:yaml.org,2002:python/"):
            shown = "!!" + tag.removeprefix("tag:yaml.org,2002:")
            raise ClaimError(f"{where}:{line}: YAML tag {shown!r} is not allowed")
        if isinstance(ev, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise ClaimError(
                    f"{where}:{line}: YAML nested deeper than {MAX_DEPTH} levels is not allowed"
                )
        elif isinstance(ev, yaml.CollectionEndEvent):
            depth -= 1


def _compose(text: str, where: str) -> yaml.Node:
    worst, at = _flow_depth(text)
    if worst > MAX_DEPTH:
        raise ClaimError(f"{where}:{at}: YAML nested deeper than {MAX_DEPTH} levels is not allowed")
    try:
        _events_ok(text, where)
        root = yaml.compose(text, Loader=_PARSER)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise ClaimError(f"{where}{line}: invalid YAML: {getattr(e, 'problem', e)}") from None
    if root is None:
        raise ClaimError(f"{where}: empty claim file")
    return root


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _no_duplicate_keys(node: yaml.Node, where: str) -> None:
    """Refuse a key given twice in any mapping of the document."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, yaml.MappingNode):
            seen: dict[str, int] = {}
            for k, v in n.value:
                if isinstance(k, yaml.ScalarNode):
                    if k.value in seen:
                        raise ClaimError(
                            f"{where}:{_line(k)}: duplicate key {k.value!r} "
                            f"(first on line {seen[k.value]})"
                        )
                    seen[k.value] = _line(k)
                stack.extend((k, v))
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)


def _construct(loader: yaml.SafeLoader, node: yaml.Node, where: str, what: str) -> Any:
    try:
        return loader.construct_document(node)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = mark.line + 1 if mark is not None else _line(node)
        why = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise ClaimError(f"{where}:{at}: invalid {what}: {why}") from None


def _key_lines(node: yaml.Node) -> dict[str, int]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: _line(k) for k, _ in node.value if isinstance(k, yaml.ScalarNode)}


# ---------------------------------------------------------------- file layout
def _top_level(root: yaml.Node, where: str) -> dict[str, yaml.Node]:
    if not isinstance(root, yaml.MappingNode):
        raise ClaimError(f"{where}:{_line(root)}: expected a mapping with a 'claims' list")
    top: dict[str, yaml.Node] = {}
    for k, v in root.value:
        if not isinstance(k, yaml.ScalarNode):
            raise ClaimError(f"{where}:{_line(k)}: top-level keys must be plain names")
        top[k.value] = v
    if extra := sorted(set(top) - set(_TOP_LEVEL)):
        raise ClaimError(
            f"{where}: unknown top-level field(s) {extra} (expected "
            f"{', '.join(repr(k) for k in _TOP_LEVEL)})"
        )
    header = top.get(HEADER_KEY)
    if header is not None and not (isinstance(header, yaml.ScalarNode) and header.value == FORMAT):
        shown = header.value if isinstance(header, yaml.ScalarNode) else "a collection"
        raise ClaimError(
            f"{where}:{_line(header)}: {HEADER_KEY}: {shown!r} is not a claim-file format this "
            f"llmsizing reads (it reads {FORMAT!r})"
        )
    seq = top.get("claims")
    if not isinstance(seq, yaml.SequenceNode):
        raise ClaimError(f"{where}: missing 'claims' list")
    if not seq.value:
        raise ClaimError(f"{where}:{_line(seq)}: the 'claims' list is empty")
    if len(seq.value) > MAX_CLAIMS:
        raise ClaimError(f"{where}: {len(seq.value):,} claims; at most {MAX_CLAIMS:,} per file")
    return top


def _defaults(
    node: yaml.Node | None, loader: yaml.SafeLoader, where: str
) -> tuple[dict[str, Any], dict[str, int]]:
    """The ``defaults:`` mapping and the line of each of its keys."""
    if node is None:
        return {}, {}
    if not isinstance(node, yaml.MappingNode):
        raise ClaimError(f"{where}:{_line(node)}: 'defaults' must be a mapping of claim fields")
    data = _construct(loader, node, where, "defaults")
    lines = _key_lines(node)
    fields = {f for t in CLAIM_TYPES.values() for f in t.model_fields}
    for k in data:
        if not isinstance(k, str) or k not in fields or k in Claim.RESERVED | {"id"}:
            raise ClaimError(
                f"{where}:{lines.get(str(k), _line(node))}: defaults: {k!r} is not a field a "
                "claim can take a default for"
            )
    return data, lines


def _with_defaults(
    data: dict[str, Any], defaults: dict[str, Any]
) -> tuple[dict[str, Any], set[str]]:
    """Fill in the defaults the claim's kind has a field for; ``workload`` merges key by key."""
    kind = data.get("kind", defaults.get("kind"))
    fields = CLAIM_TYPES[kind].model_fields if isinstance(kind, str) and kind in CLAIM_TYPES else {}
    out = dict(data)
    used: set[str] = set()
    for k, v in defaults.items():
        if k not in fields:
            continue
        if k not in out:
            out[k] = v
            used.add(k)
        elif k == "workload" and isinstance(v, dict) and isinstance(out[k], dict):
            out[k] = {**v, **out[k]}
    return out, used


def _claim_rows(
    seq: yaml.SequenceNode, loader: yaml.SafeLoader, where: str
) -> list[tuple[yaml.Node, int, dict[str, Any]]]:
    """``(node, line, data)`` per claim; duplicate ids are refused before any validation."""
    seen: dict[str, int] = {}
    rows = []
    for node in seq.value:
        line = _line(node)
        data = _construct(loader, node, where, "claim")
        if not isinstance(data, dict):
            raise ClaimError(f"{where}:{line}: each claim must be a mapping")
        cid = data.get("id")
        if isinstance(cid, str):
            if cid in seen:
                raise ClaimError(
                    f"{where}:{line}: duplicate claim id {cid!r} (first on line {seen[cid]})"
                )
            seen[cid] = line
        rows.append((node, line, data))
    return rows


def load_claims(path: str | Path) -> list[Claim]:
    """Load a YAML claim file (any file of this layout, with or without the header).

    Returns
    -------
    list of Claim
        Each claim of its kind's schema, with ``file`` and ``line`` set.

    Raises
    ------
    ClaimError
        One line naming the file, the line and the field: unreadable or
        oversized file, unsafe or invalid YAML, duplicate keys or ids, an
        empty list, unknown kinds or fields, ill-typed values.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "claims.yaml"
    >>> _ = p.write_text("llmsizing: claims/1\\nclaims:\\n  - id: a\\n    kind: spec\\n"
    ...     "    instance: inf2.xlarge\\n    quantity: accelerator_count\\n    value: 1\\n")
    >>> [(c.id, c.line) for c in load_claims(p)]
    [('a', 3)]
    """
    where = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as e:
        raise ClaimError(f"{where}: cannot read ({e.strerror})") from None
    if len(raw) > MAX_CLAIM_FILE_BYTES:
        raise ClaimError(
            f"{where}: {len(raw):,} bytes is larger than the {MAX_CLAIM_FILE_BYTES:,}-byte limit"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ClaimError(f"{where}: not UTF-8 text (byte {e.start})") from None
    root = _compose(text, where)
    _no_duplicate_keys(root, where)
    top = _top_level(root, where)
    loader = yaml.SafeLoader("")
    defaults, default_lines = _defaults(top.get("defaults"), loader, where)
    seq = top["claims"]
    assert isinstance(seq, yaml.SequenceNode)
    out: list[Claim] = []
    for node, line, data in _claim_rows(seq, loader, where):
        lines = _key_lines(node)
        if bad := sorted(Claim.RESERVED & set(data)):
            raise ClaimError(
                f"{where}:{lines.get(bad[0], line)}: {bad[0]!r} is set by the loader, not the file"
            )
        full, used = _with_defaults(data, defaults)
        lines |= {k: default_lines[k] for k in used}
        try:
            claim = CLAIM_ADAPTER.validate_python({**full, "file": where, "line": line})
        except ValidationError as e:
            field = first_error_field(e)
            raise ClaimError(
                f"{where}:{lines.get(field, line)}: claim {data.get('id', '?')!r}, {error_text(e)}"
            ) from None
        claim._lines = lines
        out.append(claim)
    return out
