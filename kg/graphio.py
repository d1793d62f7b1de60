"""Reading and writing RDF files safely.

Parse errors become one line naming the file and, where the parser gives it, the line;
writes go to a temporary file in the same folder and replace the target only when
complete, so an interrupted write never leaves a truncated file behind.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import Graph

from kg.errors import CyberkgError, UsageError

FORMAT_BY_SUFFIX = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
}


def rdf_format(path: Path) -> str:
    """The rdflib format name for a file, from its extension."""
    try:
        return FORMAT_BY_SUFFIX[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMAT_BY_SUFFIX))
        raise UsageError(f"{path}: unknown RDF file extension {path.suffix!r} (expected one of {known})") from None


def _describe(error: Exception) -> tuple[int | None, str]:
    """The (1-based) line a parser error points at, when it gives one, and its reason."""
    why = getattr(error, "_why", None)  # rdflib's Turtle/TriG/N3 BadSyntax
    lines = getattr(error, "lines", None)
    if why is not None and isinstance(lines, int):
        return lines + 1, str(why)
    text = " ".join((str(error).strip() or type(error).__name__).split())
    match = re.search(r"\bline:? (\d+)", text)
    return (int(match.group(1)) if match else None), text[:300]


def parse_into(graph: Graph, path: Path, format: str | None = None, base: str | None = None) -> Graph:
    """Parse one RDF file into `graph`, resolving relative IRIs against `base` when given;
    a missing file or a syntax error is a one-line CyberkgError."""
    path = Path(path)
    if not path.is_file():
        raise CyberkgError(f"{path}: no such file", exit_code=2)
    fmt = format or rdf_format(path)
    try:
        graph.parse(path, format=fmt, publicID=base)
    except Exception as error:  # rdflib raises many unrelated types for bad syntax
        line, reason = _describe(error)
        where = f"{path}:{line}" if line else f"{path}"
        raise CyberkgError(f"{where}: not valid {fmt}: {reason}", exit_code=2) from None
    return graph


def _file_mode(path: Path) -> int:
    """The mode a new file would get here (or the mode of the file being replaced)."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def atomic_write(path: Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator:
    """Open a temporary file beside `path`; on success it replaces `path`, on error it is removed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    kwargs = {"encoding": encoding} if "b" not in mode else {}
    try:
        with os.fdopen(handle, mode, **kwargs) as stream:
            yield stream
        os.chmod(temporary, _file_mode(path))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
