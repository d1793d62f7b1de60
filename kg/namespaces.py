"""The namespaces of the cyberkg vocabulary and the vocabularies it reuses, with the
prefixes every serialisation binds (so Turtle output reads the same everywhere)."""

from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, TIME, VOID, XSD

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

PREFIXES: dict[str, Namespace] = {
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


def bind_prefixes(graph: Graph, data_base: str | None = None) -> Graph:
    """Bind the project's prefixes (and `id:` for the data base IRI) on a graph."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    if data_base:
        graph.bind("id", Namespace(data_base), override=True, replace=True)
    return graph
