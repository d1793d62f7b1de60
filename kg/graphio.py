"""Reading and writing RDF files safely.

Parse errors become one line naming the file and, where the parser gives it, the line;
writes go to a temporary file in the same folder and replace the target only when
complete, so an interrupted write never leaves a truncated file behind.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node
from rdflib.compare import to_canonical_graph

from kg.errors import CyberkgError, UsageError
from kg.namespaces import PREFIXES

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
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as error:
        raise CyberkgError(f"{path}: cannot write there ({error.strerror or error})") from None
    kwargs = {"encoding": encoding} if "b" not in mode else {}
    try:
        with os.fdopen(handle, mode, **kwargs) as stream:
            yield stream
        os.chmod(temporary, _file_mode(path))
        try:
            os.replace(temporary, path)
        except OSError as error:
            raise CyberkgError(f"{path}: cannot replace it ({error.strerror or error})") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


OXIGRAPH_FORMATS = {
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "nt": pyoxigraph.RdfFormat.N_TRIPLES,
    "nquads": pyoxigraph.RdfFormat.N_QUADS,
    "trig": pyoxigraph.RdfFormat.TRIG,
    "json-ld": pyoxigraph.RdfFormat.JSON_LD,
    "xml": pyoxigraph.RdfFormat.RDF_XML,
}
_NAMED = ("trig", "nquads")


def _ox(term):
    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(str(term))
    if term.language:
        return pyoxigraph.Literal(str(term), language=term.language)
    if term.datatype is not None:
        return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype)))
    return pyoxigraph.Literal(str(term))


Graphs = Mapping[URIRef | None, Graph]


def named_graphs(data: Dataset | Graph | Graphs) -> dict[URIRef | None, Graph]:
    """{graph name (None for the default graph): graph} for a Dataset, a Graph or a mapping."""
    if isinstance(data, Dataset):
        return {
            None if str(g.identifier).startswith("urn:x-rdflib:") else g.identifier: g
            for g in data.graphs()
            if len(g)
        }
    if isinstance(data, Graph):
        return {None: data}
    return dict(data)


def to_dataset(data: Graphs, namespaces: Graph | None = None) -> Dataset:
    """An rdflib Dataset holding copies of the named graphs (for parsers, SPARQL, SHACL)."""
    dataset = Dataset()
    for prefix, namespace in (namespaces or Graph()).namespaces():
        dataset.bind(prefix, namespace, override=True, replace=True)
    for name, graph in data.items():
        target = dataset.default_graph if name is None else dataset.graph(name)
        target += graph
    return dataset


def stable_blank_nodes(graph: Graph) -> Graph:
    """The graph with blank nodes relabelled from their content and their place, so that
    the same input gives the same labels in every run. Tree-shaped blank nodes (RDF lists,
    OWL class expressions) are labelled cheaply; anything else is canonicalised."""
    blanks = {t for triple in graph for t in triple if isinstance(t, BNode)}
    if not blanks:
        return graph
    parents: dict[BNode, list[tuple[Node, URIRef]]] = {b: [] for b in blanks}
    for s, p, o in graph:
        if isinstance(o, BNode):
            parents[o].append((s, p))
    if any(len(v) > 1 for v in parents.values()):
        return to_canonical_graph(graph)
    memo: dict[BNode, str] = {}

    def content(node: BNode, depth: int = 0) -> str:
        if node in memo:
            return memo[node]
        if depth > 1000:
            raise ValueError("blank node cycle")
        parts = sorted(
            f"{p.n3()} {content(o, depth + 1) if isinstance(o, BNode) else o.n3()}" for p, o in graph.predicate_objects(node)
        )
        memo[node] = "[" + " ; ".join(parts) + "]"
        return memo[node]

    def place(node: BNode) -> str:
        if not parents[node]:
            return ""
        s, p = parents[node][0]
        return (place(s) if isinstance(s, BNode) else s.n3()) + " " + p.n3()

    try:
        keys = {b: hashlib.sha1((place(b) + content(b)).encode()).hexdigest()[:16] for b in blanks}
    except (ValueError, RecursionError):
        return to_canonical_graph(graph)
    if len(set(keys.values())) != len(keys):
        return to_canonical_graph(graph)
    relabel = {b: BNode(f"b{k}") for b, k in keys.items()}
    out = Graph()
    for s, p, o in graph:
        out.add((relabel.get(s, s), p, relabel.get(o, o)))
    return out


class Prepared:
    """Statements converted and sorted once, ready to be written in any format."""

    def __init__(self, data: Dataset | Graph | Graphs):
        self.rows: list[tuple[tuple, tuple]] = []
        self.triples: list[tuple] = []  # the union, as rdflib triples (for JSON-LD)
        seen_quads, seen_triples = set(), set()
        converted: dict = {}  # term -> (its sort key, its pyoxigraph term): terms repeat, convert each once

        def ox(term):
            value = converted.get(term)
            if value is None:
                value = converted[term] = (_sort_key(term), _ox(term))
            return value

        for name, graph in sorted(named_graphs(data).items(), key=lambda item: str(item[0] or "")):
            key_name = "" if name is None else str(name)
            graph_term = pyoxigraph.NamedNode(key_name) if key_name else pyoxigraph.DefaultGraph()
            triples = list(graph)
            if any(isinstance(s, BNode) or isinstance(o, BNode) for s, _, o in triples):
                triples = list(stable_blank_nodes(graph))
            for s, p, o in triples:
                (s_key, s_ox), (p_key, p_ox), (o_key, o_ox) = ox(s), ox(p), ox(o)
                key = (s_key, p != RDF.type, p_key, o_key)
                if (key_name, key) in seen_quads:
                    continue
                seen_quads.add((key_name, key))
                self.rows.append(((key_name, *key), (s_ox, p_ox, o_ox, graph_term)))
                if key not in seen_triples:
                    seen_triples.add(key)
                    self.triples.append((s, p, o))
        self.rows.sort(key=lambda row: row[0])
        union = {}
        for key, terms in self.rows:
            union.setdefault(key[1:], terms)
        self.union = [union[k] for k in sorted(union)]

    def serialize(self, fmt: str, prefixes: dict[str, str] | None = None) -> bytes:
        if fmt in _NAMED:
            statements = [pyoxigraph.Quad(*terms) for _, terms in self.rows]
        else:
            statements = [pyoxigraph.Triple(*terms[:3]) for terms in self.union]
        if prefixes is None:
            prefixes = {p: str(n) for p, n in PREFIXES.items()}
        data_bytes = pyoxigraph.serialize(statements, format=OXIGRAPH_FORMATS[fmt], prefixes=prefixes)
        if fmt in ("nt", "nquads"):  # line formats: sorted line by line
            lines = sorted(line for line in data_bytes.split(b"\n") if line)
            return b"\n".join(lines) + b"\n"
        return _sort_prefix_lines(data_bytes)


def serialize_dataset(data: Dataset | Graph | Graphs, fmt: str, prefixes: dict[str, str] | None = None) -> bytes:
    """Serialise deterministically: the same graph gives the same bytes in every run.

    Statements are written in sorted order (graph, subject, rdf:type first, predicate,
    object) by pyoxigraph, so a diff between two builds shows what changed, not a
    reshuffle; blank nodes get stable labels; TriG and N-Quads keep the named graphs,
    the other formats hold their union."""
    return Prepared(data).serialize(fmt, prefixes)


def _sort_key(term) -> str:
    """A total order on terms: blank nodes, IRIs, then literals by text, datatype, language."""
    if isinstance(term, URIRef):
        return f"1{term}"  # not "1" + term: that calls URIRef.__radd__ and makes a URIRef
    if isinstance(term, BNode):
        return f"0{term}"
    return f"2{term}\x00{term.datatype or ''}\x00{term.language or ''}"


def _sort_prefix_lines(data: bytes) -> bytes:
    """Put the @prefix lines a serialiser writes in alphabetical order."""
    lines = data.split(b"\n")
    head = 0
    while head < len(lines) and lines[head].startswith(b"@prefix"):
        head += 1
    return b"\n".join(sorted(lines[:head]) + lines[head:])


def write_dataset(dataset: Dataset | Graph | Graphs, path: Path, prefixes: dict[str, str] | None = None) -> Path:
    """Write the dataset in the format its extension names, atomically."""
    path = Path(path)
    data = serialize_dataset(dataset, rdf_format(path), prefixes)
    with atomic_write(Path(path), "wb", encoding=None) as stream:
        stream.write(data)
    return Path(path)
