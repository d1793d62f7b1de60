"""Reading the reference CSV tables: their '# key: value' header lines (sources,
retrieval notes) and their rows, each with the line number it came from."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import CyberkgError
from kg.text import read_utf8


@dataclass
class Table:
    path: Path
    header: dict[str, list[str]] = field(default_factory=dict)
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        return iter(self.rows)


def read_table(path: Path, required: Iterable[str] = ()) -> Table:
    """Read a CSV file whose first lines may be '# key: value' comments.

    A missing file, a missing column or a row with too many or too few fields is a
    one-line CyberkgError naming the file and line."""
    if not path.is_file():
        raise CyberkgError(f"{path}: reference table not found")
    lines = read_utf8(path).splitlines(keepends=True)
    table = Table(path)
    skipped = 0
    while skipped < len(lines) and lines[skipped].startswith("#"):
        key, _, value = lines[skipped][1:].strip().partition(":")
        table.header.setdefault(key.strip().lower(), []).append(value.strip())
        skipped += 1
    reader = csv.reader(io.StringIO("".join(lines[skipped:])))
    try:
        table.columns = [c.strip() for c in next(reader)]
    except StopIteration:
        raise CyberkgError(f"{path}: no header row after the comment lines") from None
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise CyberkgError(
            f"{path}:{skipped + 1}: missing column(s) {', '.join(missing)} (found: {', '.join(table.columns)})"
        )
    for record in reader:
        line = skipped + reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(table.columns):
            raise CyberkgError(
                f"{path}:{line}: {len(record)} fields, expected {len(table.columns)} ({', '.join(table.columns)})"
            )
        table.rows.append((line, {c: v.strip() for c, v in zip(table.columns, record)}))
    return table
