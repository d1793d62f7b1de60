"""Reading and writing RDF files safely.

Parse errors become one line naming the file and, where the parser gives it, the line;
writes go to a temporary file in the same folder and replace the target only when
complete, so an interrupted write never leaves a truncated file behind.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pyoxigraph
from rdflib import Graph

from kg.errors import CyberkgError
from kg.namespaces import PREFIXES
from kg.rdf import Canonical, GraphName, Statements, collector_paused, rdf_format, rdflib_format


def _parse_error(error: Exception) -> tuple[int | None, str]:
    """The (1-based) line a parser error points at, when it gives one, and its reason."""
    if isinstance(error, SyntaxError) and error.lineno:  # pyoxigraph's
        match = re.match(r"Parser error (?:at|between) (line.*?): (.*)", error.msg or "", re.S)
        return error.lineno, f"{match.group(2)} ({match.group(1).replace(' and line', ' to line')})" if match else str(
            error.msg
        )
    why = getattr(error, "_why", None)  # rdflib's Turtle/TriG/N3 BadSyntax
    lines = getattr(error, "lines", None)
    if why is not None and isinstance(lines, int):
        return lines + 1, str(why)
    text = " ".join((str(error).strip() or type(error).__name__).split())
    match = re.search(r"\bline:? (\d+)", text)
    return (int(match.group(1)) if match else None), text[:300]


_DOCTYPE = re.compile(rb"<!DOCTYPE[^\[>]*\[(.*?)\]\s*>", re.S)
_ENTITY = re.compile(rb"<!ENTITY\s+(%\s*)?(\S+)\s+(SYSTEM|PUBLIC|\"([^\"]*)\"|'([^']*)')")
PROLOG_LIMIT = 1 << 20  # bytes read for an RDF/XML file's DOCTYPE


def refuse_entity_expansion(path: Path) -> None:
    """Refuse an RDF/XML file whose DOCTYPE declares entities that expand without bound:
    an entity made of other entities ("billion laughs": a 1 kB file that the parsers
    expand to gigabytes), a parameter entity, or an external one (a file or URL the parser
    would read). Plain entities, as OWL tools write for namespaces
    (<!ENTITY owl "http://www.w3.org/2002/07/owl#">), are read as usual."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(PROLOG_LIMIT)
    except OSError as error:
        raise CyberkgError(f"{path}: cannot be read ({error.strerror or error})", exit_code=2) from None
    start = head.find(b"<!DOCTYPE")
    if start < 0:
        return
    subset = _DOCTYPE.search(head, start)
    if subset is None:
        if b"[" in head[start : head.find(b">", start) + 1 or None]:
            raise CyberkgError(f"{path}: the RDF/XML DOCTYPE is not closed within its first 1 MB; refused", exit_code=2)
        return
    for match in _ENTITY.finditer(subset.group(1)):
        value = match.group(4) if match.group(4) is not None else match.group(5)
        if match.group(1) or value is None or b"&" in value or b"%" in value:
            line = head[: subset.start(1) + match.start()].count(b"\n") + 1
            name = match.group(2).decode("utf-8", "replace")
            kind = (
                "a parameter entity"
                if match.group(1)
                else "an external entity"
                if value is None
                else "an entity made of other entities"
            )
            raise CyberkgError(
                f"{path}:{line}: the RDF/XML declares {kind} ({name}), which can expand without bound; refused "
                '(expected plain entities such as <!ENTITY owl "http://www.w3.org/2002/07/owl#">)',
                exit_code=2,
            )


def parse_into(graph: Graph, path: Path, base: str | None = None) -> Graph:
    """Parse one RDF file into an rdflib `graph` (for the reference loaders and the
    ontology checks), resolving relative IRIs against `base` when given; a missing file
    or a syntax error is a one-line CyberkgError."""
    path = Path(path)
    if not path.is_file():
        raise CyberkgError(f"{path}: no such file", exit_code=2)
    fmt = rdf_format(path)
    if fmt == pyoxigraph.RdfFormat.RDF_XML:
        refuse_entity_expansion(path)
    try:
        graph.parse(path, format=rdflib_format(fmt), publicID=base)
    except Exception as error:  # rdflib raises many unrelated types for bad syntax
        line, reason = _parse_error(error)
        where = f"{path}:{line}" if line else f"{path}"
        raise CyberkgError(f"{where}: not valid {fmt.name}: {reason}", exit_code=2) from None
    return graph


def read_statements(path: Path, base: str | None = None) -> dict[GraphName, Statements]:
    """An RDF file as {graph name (None for the default graph): its statements}, parsed by
    pyoxigraph (about 25 times faster than rdflib, and a third of the memory); a missing
    file or a syntax error is the same one-line CyberkgError as parse_into's."""
    path = Path(path)
    if not path.is_file():
        raise CyberkgError(f"{path}: no such file", exit_code=2)
    fmt = rdf_format(path)
    if fmt == pyoxigraph.RdfFormat.RDF_XML:
        refuse_entity_expansion(path)
    by_name: dict = {}
    try:
        # relative IRIs resolve against the file, as rdflib resolves them
        quads = pyoxigraph.parse(path=str(path), format=fmt, base_iri=base or path.resolve().as_uri())
        with collector_paused():
            for quad in quads:
                statements = by_name.get(quad.graph_name)
                if statements is None:
                    statements = by_name[quad.graph_name] = Statements()
                statements.add(quad.triple)
    except (SyntaxError, ValueError, OSError) as error:
        line, reason = _parse_error(error)
        where = f"{path}:{line}" if line else f"{path}"
        raise CyberkgError(f"{where}: not valid {fmt.name}: {reason}", exit_code=2) from None
    return {None if isinstance(name, pyoxigraph.DefaultGraph) else name: g for name, g in by_name.items()}


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
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as error:
        raise CyberkgError(f"{path}: cannot write there ({error.strerror or error})") from None
    try:
        with os.fdopen(handle, mode, encoding=encoding if "b" not in mode else None) as stream:
            yield stream
        os.chmod(temporary, _file_mode(path))
        try:
            os.replace(temporary, path)
        except OSError as error:
            raise CyberkgError(f"{path}: cannot replace it ({error.strerror or error})") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write(data: Canonical, fmt: pyoxigraph.RdfFormat, stream: BinaryIO, prefixes: dict[str, str] | None = None) -> None:
    """Write a dataset in canonical form to a binary stream. pyoxigraph writes as it goes (no
    copy of the whole output is held) and declares the prefixes in an order of its own that
    does not change from run to run; N-Triples and N-Quads are written sorted line by line
    instead, for sort, comm and join. Formats that keep named graphs (TriG, N-Quads, JSON-LD
    datasets) keep them, the others hold their union."""
    if fmt.supports_datasets and fmt != pyoxigraph.RdfFormat.JSON_LD:
        # quads made as the writer takes them: a list of them all would double the memory
        Quad, NamedNode = pyoxigraph.Quad, pyoxigraph.NamedNode
        statements: Iterable = (
            Quad(t.subject, t.predicate, t.object, graph)
            for name, triples in data.graphs
            for graph in (NamedNode(name) if name else pyoxigraph.DefaultGraph(),)
            for t in triples
        )
    else:
        statements = data.union
    if prefixes is None:
        prefixes = {p: str(n) for p, n in PREFIXES.items()}
    if fmt not in (pyoxigraph.RdfFormat.N_TRIPLES, pyoxigraph.RdfFormat.N_QUADS):
        pyoxigraph.serialize(statements, stream, format=fmt, prefixes=prefixes)
        return
    lines = (pyoxigraph.serialize(statements, format=fmt) or b"").split(b"\n")
    lines.pop()  # the empty string after the last line
    lines.sort()
    if lines:
        stream.write(b"\n".join(lines) + b"\n")


def serialize_dataset(
    data: Canonical | Mapping | Statements, fmt: pyoxigraph.RdfFormat, prefixes: dict[str, str] | None = None
) -> bytes:
    """Serialise deterministically: the same graph gives the same bytes in every run.

    Statements are written in canonical order (graph, then subject, rdf:type first,
    predicate, object; see kg.rdf.Canonical) by pyoxigraph, so a diff between two builds
    shows what changed, not a reshuffle; blank nodes get canonical labels."""
    buffer = io.BytesIO()
    write(data if isinstance(data, Canonical) else Canonical(data), fmt, buffer, prefixes)
    return buffer.getvalue()


def write_dataset(data: Canonical | Mapping | Statements, path: Path, prefixes: dict[str, str] | None = None) -> Path:
    """Write the dataset in the format its extension names, atomically."""
    path = Path(path)
    fmt = rdf_format(path)
    canonical = data if isinstance(data, Canonical) else Canonical(data)
    with atomic_write(path, "wb", encoding=None) as stream:
        write(canonical, fmt, stream, prefixes)
    return path
