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
from typing import BinaryIO, cast
from xml.parsers import expat

import pyoxigraph
from rdflib import Graph

from kg.errors import CyberkgError
from kg.namespaces import PREFIXES
from kg.rdf import Canonical, GraphName, Statements, collector_paused, rdf_format, rdflib_format


def _parse_error(error: Exception) -> tuple[int | None, str]:
    """The (1-based) line a parser error points at, when it gives one, and its reason."""
    if isinstance(error, MemoryError):  # pyoxigraph's lexers hold one token in a bounded buffer
        return None, (
            f"a literal or IRI longer than the {TOKEN_LIMIT >> 20} MiB the RDF parser reads ({error}); "
            "refused (RDF/XML has no such limit)"
        )
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


# pyoxigraph's Turtle, TriG, N-Triples, N-Quads and JSON-LD parsers hold each token (a
# literal, an IRI) in a buffer of at most this many bytes and raise MemoryError past it
TOKEN_LIMIT = 16 << 20


def parse_error(path: Path, fmt: pyoxigraph.RdfFormat, error: Exception) -> CyberkgError:
    """The one-line error for a parser's `error` on `path`: file, line where the parser
    (or, for RDF/XML, expat) knows it, and the reason."""
    line, reason = _parse_error(error)
    if line is None and fmt == pyoxigraph.RdfFormat.RDF_XML:
        line = _xml_line(path, reason)
    where = f"{path}:{line}" if line else f"{path}"
    return CyberkgError(f"{where}: not valid {fmt.name}: {reason}", exit_code=2)


def _xml_line(path: Path, reason: str) -> int | None:
    """The line of an RDF/XML error pyoxigraph gives no place for (its RDF/XML errors carry
    none): the line the text it quotes ('IRI', `tag`) is first on."""
    quoted = re.search(r"'([^'\n]{1,200})'|`([^`\n]{1,200})`", reason)
    if quoted is None:
        return None
    needle = (quoted.group(1) or quoted.group(2)).encode("utf-8")
    try:
        with open(path, "rb") as stream:
            for number, line in enumerate(stream, start=1):
                if needle in line:
                    return number
    except OSError:
        return None
    return None


def check_well_formed(path: Path) -> None:
    """Refuse an RDF/XML file that is not well-formed XML (pyoxigraph reads a truncated file,
    or one holding control characters, without a word), naming the line, read by expat as
    it streams."""
    parser = expat.ParserCreate()
    try:
        with open(path, "rb") as stream:
            parser.ParseFile(stream)
    except expat.ExpatError as error:
        raise CyberkgError(
            f"{path}:{error.lineno}: not valid RDF/XML: not well-formed XML: "
            f"{expat.ErrorString(error.code)} (column {error.offset + 1})",
            exit_code=2,
        ) from None
    except OSError as error:
        raise CyberkgError(f"{path}: cannot be read ({error.strerror or error})", exit_code=2) from None


_DOCTYPE = re.compile(rb"<!DOCTYPE[^\[>]*\[(.*?)\]\s*>", re.S)
_ENTITY = re.compile(rb"<!ENTITY\s+(%\s*)?(\S+)\s+(SYSTEM|PUBLIC|\"([^\"]*)\"|'([^']*)')")
PROLOG_LIMIT = 1 << 20  # bytes read for an RDF/XML file's DOCTYPE


def refuse_entity_expansion(path: Path) -> None:
    """Refuse an RDF/XML file whose DOCTYPE declares entities that expand without bound:
    an entity made of other entities ("billion laughs": a 1 kB file that the parsers
    expand to gigabytes), a parameter entity, or an external one (a file or URL the parser
    would read). Plain entities, as OWL tools write for namespaces
    (<!ENTITY owl "http://www.w3.org/2002/07/owl#">), are read as usual. Then refuse a file
    that is not well-formed XML (check_well_formed): these are the checks every reader runs
    before it parses RDF/XML."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(PROLOG_LIMIT)
    except OSError as error:
        raise CyberkgError(f"{path}: cannot be read ({error.strerror or error})", exit_code=2) from None
    start = head.find(b"<!DOCTYPE")
    if start < 0:
        check_well_formed(path)
        return
    subset = _DOCTYPE.search(head, start)
    if subset is None:
        if b"[" in head[start : head.find(b">", start) + 1 or None]:
            raise CyberkgError(f"{path}: the RDF/XML DOCTYPE is not closed within its first 1 MB; refused", exit_code=2)
        check_well_formed(path)
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
    check_well_formed(path)


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
        raise parse_error(path, fmt, error) from None
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
    except (SyntaxError, ValueError, OSError, MemoryError) as error:
        raise parse_error(path, fmt, error) from None
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


# What pyoxigraph's RDF/XML writer writes as it is given, making the file not well-formed:
# a character XML 1.0 cannot hold, not even as a reference (C0 controls but tab, line feed
# and carriage return; U+FFFE, U+FFFF), and the element it makes of a predicate whose IRI
# does not end in an XML name ('<oxprefix:' for http://example.org/123)
_NOT_XML = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]|<oxprefix:[\s/>]")
_NOT_XML_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class _WellFormedXml:
    """A binary stream that refuses, before they reach the file, the bytes that would make
    RDF/XML not well-formed (_NOT_XML); a match across two writes is caught too."""

    def __init__(self, stream: BinaryIO, data: Canonical, where: str):
        self.stream, self.data, self.where = stream, data, where
        self.tail = b""

    def write(self, chunk: bytes) -> int:
        window = self.tail + chunk
        found = _NOT_XML.search(window)
        if found is not None:
            raise CyberkgError(f"{self.where}: cannot be written as RDF/XML: {self._culprit(found, window)}")
        self.tail = window[-11:]
        return self.stream.write(chunk)

    def flush(self) -> None:
        self.stream.flush()

    def _culprit(self, found: re.Match, window: bytes) -> str:
        if found.group().startswith(b"<oxprefix:"):
            iri = re.search(rb'xmlns:oxprefix="([^"]*)"', window[found.start() :])
            name = f"<{iri.group(1).decode('utf-8', 'replace')}>" if iri else "a predicate"
            return (
                f"the predicate {name} does not end in a name XML allows, so it cannot be an element; "
                "write Turtle, N-Triples, TriG or JSON-LD instead"
            )
        for s, p, o in self.data.union:
            bad = _NOT_XML_TEXT.search(o.value) if isinstance(o, pyoxigraph.Literal) else None
            if bad is not None:
                return (
                    f"the literal of {s} {p} holds U+{ord(bad.group()):04X}, a control character XML 1.0 "
                    "cannot hold; remove it from the graph, or write Turtle, N-Triples, TriG or JSON-LD instead"
                )
        return "a character XML 1.0 cannot hold; write Turtle, N-Triples, TriG or JSON-LD instead"


def check_writable(paths: Iterable[Path]) -> None:
    """Refuse, before any work is done or any file written, a target that is a folder or
    whose folder cannot be made or written to."""
    for path in map(Path, paths):
        if path.is_dir():
            raise CyberkgError(f"{path}: is a folder; expected a file name to write", exit_code=2)
        folder = path.parent
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        if not folder.is_dir():
            raise CyberkgError(f"{path}: cannot write there ({folder} is not a folder)", exit_code=2)
        if not os.access(folder, os.W_OK | os.X_OK):
            raise CyberkgError(f"{path}: cannot write there ({folder} is not writable)", exit_code=2)


@contextmanager
def atomic_files(paths: list[Path]) -> Iterator[list[Path]]:
    """A temporary file beside each of `paths` for the caller to write. When all are written
    (the block ends without error), each replaces its target, in the order given, so the
    last one (a description, a report) is never newer than what it describes; on any error
    every temporary file is removed and no target is touched. (A process killed between two
    renames leaves the earlier targets new and the later ones old: what the last one
    records of the others, such as an export's digest, tells.)"""
    paths = [Path(p) for p in paths]
    check_writable(paths)
    temporaries: list[Path] = []
    try:
        for path in paths:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
            except OSError as error:
                raise CyberkgError(f"{path}: cannot write there ({error.strerror or error})") from None
            os.close(handle)
            temporaries.append(Path(name))
        yield temporaries
        for path, temporary in zip(paths, temporaries):
            os.chmod(temporary, _file_mode(path))
        check_writable(paths)  # nothing took a target's place meanwhile
        for path, temporary in zip(paths, temporaries):
            try:
                os.replace(temporary, path)
            except OSError as error:
                raise CyberkgError(f"{path}: cannot replace it ({error.strerror or error})") from None
    finally:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)


def write(
    data: Canonical,
    fmt: pyoxigraph.RdfFormat,
    stream: BinaryIO,
    prefixes: dict[str, str] | None = None,
    where: str = "the graph",
) -> None:
    """Write a dataset in canonical form to a binary stream. pyoxigraph writes as it goes (no
    copy of the whole output is held) and declares the prefixes in an order of its own that
    does not change from run to run; N-Triples and N-Quads are written sorted line by line
    instead, for sort, comm and join. Formats that keep named graphs (TriG, N-Quads, JSON-LD
    datasets) keep them, the others hold their union. RDF/XML that would not be well-formed
    is refused with a one-line error naming `where` (the file) and the statement."""
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
    if fmt == pyoxigraph.RdfFormat.RDF_XML:
        stream = cast(BinaryIO, _WellFormedXml(stream, data, where))
    if fmt not in (pyoxigraph.RdfFormat.N_TRIPLES, pyoxigraph.RdfFormat.N_QUADS):
        pyoxigraph.serialize(statements, stream, format=fmt, prefixes=prefixes)
        return
    lines = (pyoxigraph.serialize(statements, format=fmt) or b"").split(b"\n")
    lines.pop()  # the empty string after the last line
    lines.sort()
    if lines:
        stream.write(b"\n".join(lines) + b"\n")


def serialize_dataset(
    data: Canonical | Mapping | Statements,
    fmt: pyoxigraph.RdfFormat,
    prefixes: dict[str, str] | None = None,
    where: str = "the graph",
) -> bytes:
    """Serialise deterministically: the same graph gives the same bytes in every run.

    Statements are written in canonical order (graph, then subject, rdf:type first,
    predicate, object; see kg.rdf.Canonical) by pyoxigraph, so a diff between two builds
    shows what changed, not a reshuffle; blank nodes get canonical labels."""
    buffer = io.BytesIO()
    write(data if isinstance(data, Canonical) else Canonical(data), fmt, buffer, prefixes, where)
    return buffer.getvalue()


def write_dataset(data: Canonical | Mapping | Statements, path: Path, prefixes: dict[str, str] | None = None) -> Path:
    """Write the dataset in the format its extension names, atomically."""
    path = Path(path)
    fmt = rdf_format(path)
    canonical = data if isinstance(data, Canonical) else Canonical(data)
    with atomic_write(path, "wb", encoding=None) as stream:
        write(canonical, fmt, stream, prefixes, str(path))
    return path
