"""Test support: a build's named graphs as rdflib graphs, for tests that look things up or
change statements with rdflib's API (the pipeline itself holds pyoxigraph Statements)."""

from __future__ import annotations

from rdflib import Graph, URIRef


def rdflib_graphs(result) -> dict[URIRef, Graph]:
    """{graph name: a new rdflib Graph of its statements} for a kg.builder.BuildResult."""
    return {URIRef(name.value): statements.rdflib_graph() for name, statements in result.graphs.items()}
