"""The namespaces of the cyberkg vocabulary and the vocabularies it reuses, with the
prefixes every serialisation binds (so Turtle output reads the same everywhere)."""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SKOS,
    TIME,
    VOID,
    XSD,
    DefinedNamespace,
)
from rdflib.term import Node

from kg.errors import CyberkgError

CKG = Namespace("https://w3id.org/cyberkg/ontology#")
ONTOLOGY_IRI = "https://w3id.org/cyberkg/ontology"
SCHEME_BASE = "https://w3id.org/cyberkg/scheme/"

STANCE = Namespace(SCHEME_BASE + "stance/")
QUANTIFIER = Namespace(SCHEME_BASE + "quantifier/")
SPEAKER_KIND = Namespace(SCHEME_BASE + "speaker-kind/")
VOTE_OPTION = Namespace(SCHEME_BASE + "vote-option/")
TREATY_ACTION = Namespace(SCHEME_BASE + "treaty-action/")
DOCUMENT_TYPE = Namespace(SCHEME_BASE + "document-type/")
MEETING_ROLE = Namespace(SCHEME_BASE + "meeting-role/")
COVERAGE = Namespace(SCHEME_BASE + "coverage/")
TOPIC = Namespace(SCHEME_BASE + "topic/")

ELI = Namespace("http://data.europa.eu/eli/ontology#")
OPENGOV = Namespace("http://www.w3.org/ns/opengov#")
SCHEMA = Namespace("https://schema.org/")
VANN = Namespace("http://purl.org/vocab/vann/")
WD = Namespace("http://www.wikidata.org/entity/")

# rdflib's own vocabularies (RDF, OWL, ...) are DefinedNamespace classes, not Namespace
# instances; str() gives the namespace IRI of either
PREFIXES: dict[str, Namespace | type[DefinedNamespace]] = {
    "ckg": CKG,
    "stance": STANCE,
    "quantifier": QUANTIFIER,
    "speakerkind": SPEAKER_KIND,
    "voteoption": VOTE_OPTION,
    "treatyaction": TREATY_ACTION,
    "documenttype": DOCUMENT_TYPE,
    "meetingrole": MEETING_ROLE,
    "coverage": COVERAGE,
    "topic": TOPIC,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "org": ORG,
    "time": TIME,
    "foaf": FOAF,
    "dcat": DCAT,
    "void": VOID,
    "eli": ELI,
    "opengov": OPENGOV,
    "schema": SCHEMA,
    "vann": VANN,
    "wd": WD,
}


def as_iri(node: Node | None) -> URIRef:
    """A node read from a graph that names it by IRI (the reference data and the vocabulary
    have no blank nodes), typed as one: rdflib types every node it reads as any Node."""
    if not isinstance(node, URIRef):
        what = "nothing" if node is None else f"{type(node).__name__} {node}"
        raise CyberkgError(f"the reference data or vocabulary names {what} where an IRI is expected")
    return node


def bind_prefixes(graph: Graph, data_base: str | None = None) -> Graph:
    """Bind the project's prefixes (and `id:` for the data base IRI) on a graph."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    if data_base:
        graph.bind("id", Namespace(data_base), override=True, replace=True)
    return graph
