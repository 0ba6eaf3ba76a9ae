"""Strict reading of the catalog's CSV tables.

Every problem becomes one :class:`~llmsizing.errors.CatalogError` line naming the
file, the line and, where there is one, the column: an empty file, a duplicate or
unknown header column, a row with more fields than the header, an over-long cell,
too many rows, a file too large, or a value that does not parse in the unit its
column names. The catalog module (:mod:`llmsizing.catalog`) turns the checked rows
into records; nothing here knows what an instance is.

Examples
--------
>>> rows = read_rows("a,b\\n1,x\\n", "t.csv", required=("a",), optional=("b",))
>>> number(rows[0], "a"), rows[0].raw("b")
(1.0, 'x')
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

from llmsizing.errors import CatalogError, suggest
from llmsizing.units import ureg

__all__ = [
    "MAX_CELL_CHARS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "Row",
    "check_unique",
    "choice",
    "count",
    "date",
    "flag",
    "number",
    "quantity",
    "read_file",
    "read_rows",
    "text",
]

StrPath = str | PathLike[str]

#: Largest table file read [bytes]; the shipped tables are under 100 kB each.
MAX_FILE_BYTES = 5_000_000
#: Longest cell [characters]; the longest shipped cell (a notes field) is under 1,000.
MAX_CELL_CHARS = 10_000
#: Most data rows in one table; the shipped tables have fewer than 200.
MAX_ROWS = 100_000

# Sanity limits: far above any instance or UltraServer, far below what only a typo
# gives (10**15 devices), and small enough to enumerate parallel layouts over.
# No figure in a column's own unit (GB, TB/s, TFLOPS, USD/hour, ...) is above
# 1e9 or, unless zero, below 1e-6.
_MAX_VALUE = 1e9
_MIN_VALUE = 1e-6
_COUNT_LIMITS: dict[str, int] = {
    "accelerator_count": 4096,
    "neuron_cores_per_device": 64,
    "nodes": 4096,
}


def _shown(value: str, limit: int = 60) -> str:
    """``repr`` of a cell, cut to ``limit`` characters so errors stay one short line."""
    return (
        repr(value) if len(value) <= limit else repr(value[:limit]) + f" ... ({len(value):,} chars)"
    )


@dataclass(frozen=True)
class Row:
    """One CSV data row with where it came from, for error messages.

    Attributes
    ----------
    source : str
        File name (or a description such as ``"user price table"``).
    line : int
        Line of the row in the file (the header is line 1), or its position.
    values : dict of str to str
        Cell text by column.
    unit : str
        What ``line`` counts in messages: ``"line"`` of a file, ``"row"`` of a
        DataFrame (0-based), ``"entry"`` of a mapping.
    """

    source: str
    line: int
    values: dict[str, str]
    unit: str = "line"

    def raw(self, column: str) -> str:
        """The stripped cell text, ``""`` for a blank cell or a missing column."""
        return self.values.get(column, "").strip()

    def has(self, column: str) -> bool:
        """True when the cell is not blank."""
        return bool(self.raw(column))

    def error(self, column: str, problem: str) -> CatalogError:
        """A one-line error naming the file, line and column of this row."""
        return CatalogError(
            f"{self.source}, {self.unit} {self.line}, column {column!r}: {problem} "
            f"(got {_shown(self.raw(column))})"
        )


def read_file(path: StrPath) -> str:
    """Text of a user table file, checking its size and encoding.

    Raises
    ------
    CatalogError
        If the file is missing, unreadable, larger than :data:`MAX_FILE_BYTES`
        or not UTF-8.
    """
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CatalogError(
                f"{path}: file is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit"
            )
        return p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read file ({exc.strerror or exc})") from exc


def _header(reader: Any, source: str) -> list[str]:
    try:
        first = next(reader)
    except StopIteration:
        raise CatalogError(
            f"{source}: file is empty (expected a header row and data rows)"
        ) from None
    header = [h.strip() for h in first]
    seen: dict[str, int] = {}
    for i, name in enumerate(header, start=1):
        if len(name) > MAX_CELL_CHARS:
            raise CatalogError(
                f"{source}, line 1, column {i}: header cell is longer than "
                f"{MAX_CELL_CHARS:,} characters"
            )
        if name in seen:
            raise CatalogError(
                f"{source}, line 1, column {name!r}: duplicate column "
                f"(columns {seen[name]} and {i})"
            )
        seen[name] = i
    return header


def read_rows(
    text: str,
    source: str,
    required: Sequence[str],
    optional: Collection[str] = (),
) -> list[Row]:
    """Split CSV text into rows, checking the header, field counts and sizes.

    Parameters
    ----------
    text : str
        The whole file.
    source : str
        Name used in error messages.
    required : sequence of str
        Columns the header must have.
    optional : collection of str
        Further columns the header may have.

    Returns
    -------
    list of Row
        The data rows, at least one.

    Raises
    ------
    CatalogError
        For an empty file, a duplicate, missing or unknown column, a row with
        more fields than the header, a cell over :data:`MAX_CELL_CHARS`, more
        than :data:`MAX_ROWS` rows, or text the CSV reader rejects.
    """
    if not text.strip():
        raise CatalogError(f"{source}: file is empty (expected a header row and data rows)")
    if len(text) > MAX_FILE_BYTES:
        raise CatalogError(
            f"{source}: table is {len(text):,} characters, over the {MAX_FILE_BYTES:,} limit"
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = _header(reader, source)
        known = (*required, *optional)
        missing = [c for c in required if c not in header]
        if missing:
            raise CatalogError(f"{source}: missing required column(s) {', '.join(missing)}")
        for column in header:
            if column not in known:
                raise CatalogError(f"{source}: unknown column {column!r}: {suggest(column, known)}")
        rows: list[Row] = []
        for cells in reader:
            line = reader.line_num
            if not cells:
                continue  # blank line
            if len(cells) > len(header):
                raise CatalogError(
                    f"{source}, line {line}: row has more fields than the header "
                    f"({len(header)} columns)"
                )
            values = dict(zip(header, cells, strict=False))
            row = Row(source, line, values)
            for column, cell in values.items():
                if len(cell) > MAX_CELL_CHARS:
                    raise row.error(column, f"is longer than {MAX_CELL_CHARS:,} characters")
                if "\x00" in cell:
                    raise row.error(column, "contains a NUL byte (not a text file?)")
            rows.append(row)
            if len(rows) > MAX_ROWS:
                raise CatalogError(f"{source}, line {line}: more than {MAX_ROWS:,} data rows")
    except csv.Error as exc:
        # the csv module's own limit (131,072 characters per field) or a NUL byte
        raise CatalogError(
            f"{source}, line {reader.line_num}: not readable as CSV ({exc})"
        ) from None
    if not rows:
        raise CatalogError(f"{source}: has a header but no data rows")
    return rows


def check_unique(rows: Iterable[tuple[Row, Any]], what: str, column: str) -> None:
    """Raise on the second row whose key was already seen."""
    first_line: dict[Any, int] = {}
    for row, key in rows:
        if key in first_line:
            raise row.error(column, f"duplicate {what} (first on line {first_line[key]})")
        first_line[key] = row.line


# --------------------------------------------------------------------- fields
def text(row: Row, column: str, required: bool = True) -> str:
    """A text cell; blank is an error when ``required``."""
    value = row.raw(column)
    if required and not value:
        raise row.error(column, "is required")
    return value


def number(row: Row, column: str, required: bool = True, allow_zero: bool = False) -> float | None:
    """A finite, non-negative number within the sanity limits, or None for a blank cell."""
    raw = row.raw(column)
    if not raw:
        if required:
            raise row.error(column, "is required")
        return None
    try:
        value = float(raw)
    except ValueError:
        raise row.error(column, "is not a number") from None
    if math.isnan(value):
        raise row.error(column, "is NaN")
    if math.isinf(value):
        raise row.error(column, "is not finite")
    if value < 0:
        raise row.error(column, "must not be negative")
    if value == 0 and not allow_zero:
        raise row.error(column, "must be greater than zero")
    if value > _MAX_VALUE:
        raise row.error(column, f"exceeds the sanity limit {_MAX_VALUE:g}")
    if 0 < value < _MIN_VALUE:
        raise row.error(column, f"is below the sanity limit {_MIN_VALUE:g}")
    return value


def count(row: Row, column: str, required: bool = True, allow_zero: bool = False) -> int | None:
    """A whole number within the column's count limit, or None for a blank cell."""
    value = number(row, column, required, allow_zero)
    if value is None:
        return None
    if not value.is_integer():
        raise row.error(column, "must be a whole number")
    limit = _COUNT_LIMITS.get(column)
    if limit is not None and value > limit:
        raise row.error(column, f"exceeds the sanity limit {limit}")
    return int(value)


def quantity(
    row: Row, column: str, unit: str, required: bool = True, allow_zero: bool = False
) -> Any:
    """A number cell as a Quantity in ``unit``, or None for a blank cell."""
    value = number(row, column, required, allow_zero)
    return None if value is None else ureg.Quantity(value, unit)


def flag(row: Row, column: str) -> bool:
    """A true/false cell (``true``/``yes``/``1`` or ``false``/``no``/``0``)."""
    raw = row.raw(column).lower()
    if raw in ("true", "yes", "1"):
        return True
    if raw in ("false", "no", "0"):
        return False
    raise row.error(column, "must be true or false")


def date(row: Row, column: str) -> dt.date:
    """An ISO date cell (YYYY-MM-DD)."""
    raw = text(row, column)
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise row.error(column, "must be an ISO date (YYYY-MM-DD)") from None


def choice(row: Row, column: str, choices: Sequence[str]) -> str:
    """A cell that must be one of ``choices`` (exact match)."""
    value = text(row, column)
    if value not in choices:
        if len(choices) <= 12:
            raise row.error(column, f"must be one of {', '.join(choices)}")
        raise row.error(
            column, f"is not one of the {len(choices)} known values: {suggest(value, choices)}"
        )
    return value
