"""RDF terms as pyoxigraph makes them: the statements the builder writes and the commands
read (kg.graphio.read_statements).

The builder makes over a thousand statements per report. Making them as pyoxigraph
terms (checked and hashed in Rust) and collecting them in a `Statements` set is several
times cheaper than rdflib terms in an rdflib Graph, and the writer (kg.graphio) takes
them without conversion. Here are the namespaces whose terms are made once (`Terms`),
literal helpers, the conversions to and from the rdflib terms the rest of kg uses
(`to_oxigraph`, `to_rdflib`), and the collector (`Statements`).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date

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
    """An rdflib term (from extraction or reference data) as a pyoxigraph term."""
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


class Statements:
    """A set of pyoxigraph triples that keeps the order they were added in: what the
    builder collects for one report. `graph()` makes an rdflib Graph of them when one is
    needed (SHACL, lookups in tests); iterating gives pyoxigraph Triples."""

    __slots__ = ("_triples",)

    def __init__(self, triples: Iterable[pyoxigraph.Triple] = ()):
        self._triples: dict[pyoxigraph.Triple, None] = dict.fromkeys(triples)

    def add(self, triple: tuple | pyoxigraph.Triple) -> None:
        self._triples[triple if isinstance(triple, pyoxigraph.Triple) else pyoxigraph.Triple(*triple)] = None

    def __contains__(self, triple: tuple) -> bool:
        return pyoxigraph.Triple(*triple) in self._triples

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

    def graph(self) -> Graph:
        graph = Graph()
        graph.addN((s, p, o, graph) for s, p, o in self.rdflib_triples())
        return graph
