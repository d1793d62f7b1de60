"""The one seam for RDF: the terms the graph is made of, and every conversion.

From the builder to the writers and the query engines, RDF is pyoxigraph terms (checked and
hashed in Rust; several times cheaper than rdflib's) collected in `Statements`, and named
graphs are {NamedNode | None: Statements}. This module holds what touches that
representation from outside:

- the terms of a namespace made once (`Terms`), literal helpers (`text`, `day`);
- the conversions to and from rdflib, for the three libraries that need rdflib graphs
  (pyshacl, pyLODE, and the reference loaders and ontology checks written on rdflib's
  lookups): `to_rdflib`, `to_oxigraph`, `Statements.from_rdflib`, `Statements.rdflib_graph`;
- the RDF file formats, by extension (`rdf_format`, pyoxigraph's own table);
- the canonical form of a dataset (`Canonical`): graphs in the order of their names,
  statements sorted, each once, blank nodes relabelled by pyoxigraph's canonicalisation,
  which is what every writer writes and what the validation cache hashes.

Query results have their own seam, kg.query.results (pyoxigraph's SPARQL results parsers
and writers).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from functools import cached_property
from itertools import islice
from pathlib import Path

import pyoxigraph
from pyoxigraph import BlankNode, Literal, NamedNode
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RdflibLiteral

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
XSD_DATE = NamedNode("http://www.w3.org/2001/XMLSchema#date")


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while millions of terms are made: each
    collection walks every live container, so building a list of a million terms with
    it running costs two to three times as long (kg.validate.parts, kg.export.description,
    kg.graphio). Reference counting still frees what is dropped."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Terms:
    """The terms of one namespace, each made on first use and kept: `Terms(ns).label`,
    `Terms(ns)["index"]` (for names Python reserves)."""

    def __init__(self, namespace: str):
        self._namespace = str(namespace)
        self._made: dict[str, NamedNode] = {}

    def __getitem__(self, name: str) -> NamedNode:
        term = self._made.get(name)
        if term is None:
            term = self._made[name] = NamedNode(self._namespace + name)
        return term

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        term = self[name]
        setattr(self, name, term)  # later lookups are plain attribute reads
        return term


def text(value: str, lang: str | None = None) -> Literal:
    return Literal(value, language=lang) if lang else Literal(value)


def day(value: date | str) -> Literal:
    return Literal(value.isoformat() if isinstance(value, date) else str(value), datatype=XSD_DATE)


def to_oxigraph(term) -> NamedNode | BlankNode | Literal:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, (NamedNode, BlankNode, Literal)):
        return term
    if isinstance(term, URIRef):
        return NamedNode(str(term))
    if isinstance(term, BNode):
        return BlankNode(str(term))
    if term.language:
        return Literal(str(term), language=term.language)
    if term.datatype is not None:
        return Literal(str(term), datatype=NamedNode(str(term.datatype)))
    return Literal(str(term))


def to_rdflib(term):
    """A pyoxigraph term as rdflib makes it (xsd:string literals without a datatype, as
    rdflib writes plain literals)."""
    if isinstance(term, NamedNode):
        return URIRef(term.value)
    if isinstance(term, BlankNode):
        return BNode(term.value)
    if term.language:
        return RdflibLiteral(term.value, lang=term.language)
    datatype = term.datatype.value
    return RdflibLiteral(term.value) if datatype == XSD_STRING else RdflibLiteral(term.value, datatype=URIRef(datatype))


class ToOxigraph(dict):
    """rdflib term -> pyoxigraph term, each converted once: `convert = ToOxigraph();
    convert[term]` (terms repeat, and a dict lookup is cheaper than a conversion)."""

    def __missing__(self, term):
        value = self[term] = to_oxigraph(term)
        return value


class ToRdflib(dict):
    """pyoxigraph term -> rdflib term, each converted once."""

    def __missing__(self, term):
        value = self[term] = to_rdflib(term)
        return value


class Statements:
    """A set of pyoxigraph triples that keeps the order they were added in: one named
    graph, as the builder makes it and the readers read it. Iterating gives pyoxigraph
    Triples."""

    __slots__ = ("_triples",)

    def __init__(self, triples: Iterable[pyoxigraph.Triple] = ()):
        self._triples: dict[pyoxigraph.Triple, None] = dict.fromkeys(triples)

    @classmethod
    def from_rdflib(cls, graph: Iterable[tuple]) -> Statements:
        """An rdflib graph's (or any rdflib triples') statements, each term converted once;
        blank nodes (rdflib labels them at random in each process) canonically relabelled."""
        convert = ToOxigraph()
        Triple = pyoxigraph.Triple
        triples = [Triple(convert[s], convert[p], convert[o]) for s, p, o in graph]
        if any(isinstance(term, BNode) for term in convert):
            triples = canonical_blank_nodes(triples)
        return cls(triples)

    def add(self, triple: tuple | pyoxigraph.Triple) -> None:
        self._triples[triple if isinstance(triple, pyoxigraph.Triple) else pyoxigraph.Triple(*triple)] = None

    def __contains__(self, triple: tuple | pyoxigraph.Triple) -> bool:
        return (triple if isinstance(triple, pyoxigraph.Triple) else pyoxigraph.Triple(*triple)) in self._triples

    def __iter__(self) -> Iterator[pyoxigraph.Triple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def has_blank_nodes(self) -> bool:
        return any(isinstance(s, BlankNode) or isinstance(o, BlankNode) for s, _, o in self._triples)

    def rdflib_triples(self) -> Iterator[tuple]:
        """The statements as rdflib triples (each term converted once)."""
        convert = ToRdflib()
        return ((convert[s], convert[p], convert[o]) for s, p, o in self._triples)

    def rdflib_graph(self) -> Graph:
        """An rdflib Graph of the statements, for pyshacl and rdflib lookups."""
        graph = Graph()
        graph.addN((s, p, o, graph) for s, p, o in self.rdflib_triples())
        return graph


GraphName = NamedNode | None  # None: the default graph
Graphs = Mapping[GraphName, Statements]


def graph_name(name) -> GraphName:
    """A graph name as the pipeline holds it, from a NamedNode, an rdflib URIRef, an IRI
    string, or None (or "") for the default graph."""
    if name is None or isinstance(name, NamedNode):
        return name
    text = str(name)
    return NamedNode(text) if text else None


def as_graphs(data: Mapping | Graph | Statements) -> dict[GraphName, Statements]:
    """{graph name: Statements} for named graphs given as Statements or rdflib graphs (the
    seam where rdflib graphs, from the reference loaders or a caller, come in), or for one
    graph given alone (the default graph)."""
    if isinstance(data, (Graph, Statements)):
        data = {None: data}
    return {
        graph_name(name): graph if isinstance(graph, Statements) else Statements.from_rdflib(graph)
        for name, graph in data.items()
    }


# -- formats ------------------------------------------------------------------------------

# pyoxigraph's table of extensions (ttl, nt, nq, trig, jsonld, json, rdf, xml, ...), with
# the one common extension it does not know
_ALIASES = {"owl": pyoxigraph.RdfFormat.RDF_XML}


def rdf_format(path: Path | str) -> pyoxigraph.RdfFormat:
    """The RDF format a file's extension names; a UsageError for an unknown one."""
    suffix = Path(path).suffix.lower().lstrip(".")
    found = _ALIASES.get(suffix) or (pyoxigraph.RdfFormat.from_extension(suffix) if suffix else None)
    if found is None or found == pyoxigraph.RdfFormat.N3:
        from kg.errors import UsageError

        raise UsageError(
            f"{path}: unknown RDF file extension {Path(path).suffix!r} (expected one of "
            ".trig, .nq, .ttl, .nt, .jsonld, .json, .rdf, .owl, .xml)"
        )
    return found


def rdflib_format(fmt: pyoxigraph.RdfFormat) -> str:
    """The name rdflib's parsers know a format by (its media type)."""
    return fmt.media_type


# -- the canonical form ----------------------------------------------------------------------

# Statements are ordered by their N-Triples text, compared byte by byte, with two changes
# to the text compared (never to the text written): rdf:type sorts before every other
# predicate, and ">" (the end of an IRI) before every character, so an IRI comes before the
# longer IRIs it is the start of (a document before its paragraphs). The writer escapes
# control characters, so neither change can make two different statements compare equal.
_TYPE_PREDICATE = b" <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
_TYPE_FIRST = b" <\x01> "
_IRI_END_FIRST = bytes.maketrans(b">", b"\x00")
_NT = pyoxigraph.RdfFormat.N_TRIPLES


def ntriples(statements: Iterable) -> bytes:
    """pyoxigraph triples (or quads, as N-Quads) written by pyoxigraph, one line each, in
    the order given: the text the sort keys, the validation cache keys and the worker
    processes' hand-over are made of."""
    quads = isinstance(statements, list) and statements and isinstance(statements[0], pyoxigraph.Quad)
    data = pyoxigraph.serialize(statements, format=pyoxigraph.RdfFormat.N_QUADS if quads else _NT)
    assert data is not None  # serialize returns the bytes when given no output
    return data


def _sorted_unique(statements: list, text: bytes | None = None) -> list:
    """pyoxigraph triples in the order above, each once. The sort keys are made by
    pyoxigraph's N-Triples writer in one call (or given, as `text`), so no Python code runs
    per term."""
    if not statements:
        return []
    if text is None:
        text = ntriples(statements)
    keys = text.replace(_TYPE_PREDICATE, _TYPE_FIRST).translate(_IRI_END_FIRST).split(b"\n")
    keys.pop()  # the empty string after the last line
    if len(keys) != len(statements):  # one line per statement is what N-Triples is
        raise AssertionError(f"{len(statements)} statements written as {len(keys)} N-Triples lines")
    if all(map(bytes.__lt__, keys, islice(keys, 1, None))):
        return statements  # in order and each once already (as read from a file cyberkg wrote)
    out, last = [], None
    for index in sorted(range(len(keys)), key=keys.__getitem__):
        if keys[index] != last:
            out.append(statements[index])
            last = keys[index]
    return out


BLANK_GROUP_LIMIT = 64  # blank nodes linked to one another, past which labels are not canonical


def canonical_blank_nodes(triples: list) -> list:
    """The triples with their blank nodes relabelled by pyoxigraph's canonicalisation, so
    that the same graph gives the same labels whatever labels it was read or made with
    (the vocabulary's OWL expressions and lists, a user's data).

    Canonicalisation grows steeply with the blank nodes linked to one another (a chain of
    200 takes a second, a cycle of 300 over a minute), while the ones cyberkg writes come
    in small groups (an OWL expression, a list). A graph with a group of more than
    BLANK_GROUP_LIMIT linked blank nodes gets labels in the order the blank nodes first
    appear instead: the same input still gives the same bytes, but the same graph read
    with other labels or in another order may not."""
    if _largest_blank_group(triples) > BLANK_GROUP_LIMIT:
        labels: dict = {}
        relabel = lambda t: labels.setdefault(t, BlankNode(f"b{len(labels)}")) if isinstance(t, BlankNode) else t  # noqa: E731
        return [pyoxigraph.Triple(relabel(s), p, relabel(o)) for s, p, o in triples]
    dataset = pyoxigraph.Dataset(pyoxigraph.Quad(s, p, o) for s, p, o in triples)
    dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.UNSTABLE)
    return [quad.triple for quad in dataset]


def _largest_blank_group(triples: list) -> int:
    """The size of the largest group of blank nodes linked by statements (union-find)."""
    parent: dict = {}

    def root(node):
        parent.setdefault(node, node)
        while parent[node] != node:  # equality: pyoxigraph gives a new object for each access
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for s, _, o in triples:
        if isinstance(s, BlankNode):
            top = root(s)
            if isinstance(o, BlankNode):
                other = root(o)
                if other != top:
                    parent[other] = top
        elif isinstance(o, BlankNode):
            root(o)
    sizes: dict = {}
    for node in parent:
        top = root(node)
        sizes[top] = sizes.get(top, 0) + 1
    return max(sizes.values(), default=0)


class Canonical:
    """A dataset in canonical form, ready to be written in any format or hashed: named
    graphs in the order of their names, statements sorted (see _sorted_unique) and each
    once, blank nodes canonically labelled. Each graph is sorted when it is first asked
    for, and the union when a format that merges the graphs asks for it."""

    def __init__(self, data: Mapping | Graph | Statements):
        # (graph name, "" for the default graph; its triples; their N-Triples text)
        self._unsorted: list[tuple[str, list, bytes]] = []
        for name, graph in sorted(as_graphs(data).items(), key=lambda item: item[0].value if item[0] else ""):
            triples = list(graph)
            # the text is the sort key later; here it shows at once that most graphs have no
            # blank node ("_:" appears nowhere), which a pass in Python over every term
            # would take seconds to tell
            text = ntriples(triples)
            if b"_:" in text and graph.has_blank_nodes():
                triples = canonical_blank_nodes(triples)
                text = ntriples(triples)
            self._unsorted.append(("" if name is None else name.value, triples, text))

    @cached_property
    def graphs(self) -> list[tuple[str, list]]:
        """(graph name, "" for the default graph; its triples sorted, each once), empty graphs left out."""
        with collector_paused():
            return [(name, _sorted_unique(triples, text)) for name, triples, text in self._unsorted if triples]

    @cached_property
    def union(self) -> list:
        """The union of the graphs as pyoxigraph triples, sorted, each once."""
        text = b"".join(text for _, _, text in self._unsorted)
        with collector_paused():
            return _sorted_unique([t for _, triples, _ in self._unsorted for t in triples], text)
