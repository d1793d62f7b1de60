"""Exports for linked-data portals: the graph in every standard format, deterministic,
with a VoID and DCAT description of itself (kg.export.description) and JSON-LD against
a published context (kg.export.jsonld)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef

from kg import resources
from kg.export.jsonld import build_context, to_jsonld
from kg.graphio import Graphs, Prepared, named_graphs
from kg.ontology import load_ontology

FORMATS = {"ttl": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig", "jsonld": "json-ld", "rdfxml": "xml"}
SUFFIXES = {"ttl": ".ttl", "nt": ".nt", "nq": ".nq", "trig": ".trig", "jsonld": ".jsonld", "rdfxml": ".rdf"}


@cache
def context() -> dict:
    """The published JSON-LD context (ontology/context.jsonld)."""
    return json.loads((resources.resource_dir("ontology") / "context.jsonld").read_text(encoding="utf-8"))


def generated_context() -> dict:
    """The context as the vocabulary defines it (the shipped file must equal this)."""
    return build_context(load_ontology())


def serialize(graphs: Graphs | Prepared, fmt: str, base: str) -> bytes:
    """The graphs in one of FORMATS' keys, byte-identical for the same input. Pass a
    Prepared to write several formats from one conversion."""
    prepared = graphs if isinstance(graphs, Prepared) else Prepared(graphs)
    if fmt == "jsonld":
        return to_jsonld(prepared.triples, context(), base).encode("utf-8")
    return prepared.serialize(FORMATS[fmt], prefixes=_prefixes(base))


def _prefixes(base: str) -> dict[str, str]:
    from kg.namespaces import PREFIXES

    return {p: str(n) for p, n in PREFIXES.items()} | {"id": base}


def with_description(graphs: Graphs, description: Graph, base: str) -> dict[URIRef | None, Graph]:
    out = dict(named_graphs(graphs))
    out[URIRef(base + "graph/description")] = description
    return out


def format_of(path: Path) -> str:
    for key, suffix in SUFFIXES.items():
        if Path(path).suffix.lower() == suffix:
            return key
    return "ttl"
