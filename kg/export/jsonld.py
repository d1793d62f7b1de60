"""JSON-LD for portals: compact, readable and stable, and readable offline.

The context (ontology/context.jsonld) is generated from the vocabulary: every ckg
property is a short key (holder, stance, quote, iso3...), object properties are coerced
to IRIs, dates and integers to their datatypes, and the common terms of the vocabularies
we reuse get short keys too (label, altLabel, sameAs, ...). A document then reads:

    {"@context": [{"id": "@id", "type": "@type", "scheme": "https://w3id.org/cyberkg/scheme/", ...},
                  {"@base": "https://w3id.org/cyberkg/id/"}],
     "@graph": [{"id": "state/VNM", "type": "MemberState", "label": {"@value": "Viet Nam", "@language": "en"},
                 "iso3": "VNM", "sameAs": "wd:Q881"}, ...]}

By default the context is embedded, as above, so that any JSON-LD processor (rdflib,
pyld, jsonld.js) reads the file with no network: the address CONTEXT_URL is where the
vocabulary would publish it, but nothing serves it there yet. With `context_url`
(`cyberkg export --context-url URL`) the document names the context by its URL instead,
["URL", {"@base": ...}], for a portal that serves ontology/context.jsonld at URL.

The writer is ours rather than a general compaction algorithm: it is fast, and its
output is sorted, so the same graph always gives the same bytes.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from urllib.parse import urlsplit

from pyoxigraph import BlankNode, NamedNode
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from kg.errors import UsageError
from kg.namespaces import CKG, PREFIXES, SCHEME_BASE
from kg.ontology import shape_datatypes

CONTEXT_URL = "https://w3id.org/cyberkg/ontology/context.jsonld"
EXTRA_TERMS = {
    "label": (str(RDFS.label), None),
    "comment": (str(RDFS.comment), None),
    "prefLabel": (str(SKOS.prefLabel), None),
    "altLabel": (str(SKOS.altLabel), None),
    "notation": (str(SKOS.notation), None),
    "inScheme": (str(SKOS.inScheme), "@id"),
    "sameAs": (str(OWL.sameAs), "@id"),
    "title": ("http://purl.org/dc/terms/title", None),
    "date": ("http://purl.org/dc/terms/date", str(XSD.date)),
    "isPartOf": ("http://purl.org/dc/terms/isPartOf", "@id"),
    "identifier": ("http://purl.org/dc/terms/identifier", None),
    "wasDerivedFrom": ("http://www.w3.org/ns/prov#wasDerivedFrom", "@id"),
    "member": ("http://www.w3.org/ns/org#member", "@id"),
    "organization": ("http://www.w3.org/ns/org#organization", "@id"),
    "memberOf": ("http://www.w3.org/ns/org#memberOf", "@id"),
}


def check_context_url(url: str, origin: str = "--context-url") -> str:
    """Return `url` if a JSON-LD document can name its context by it, else raise a
    one-line UsageError: an absolute http(s) URL, as portals serve contexts."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(ch in url for ch in ' <>"{}|\\^`'):
        raise UsageError(
            f"{origin}: {url!r} is not an absolute http(s) URL (expected e.g. https://example.org/ontology/context.jsonld)"
        )
    return url


def build_context(vocabulary: Graph, datatypes: Mapping[URIRef, URIRef] | None = None) -> dict:
    """The @context for our data, from the vocabulary: prefixes, classes, properties.

    A datatype property's values are coerced to xsd:date or xsd:integer where that is
    their datatype: the one `datatypes` gives (by default the one the SHACL shapes require,
    kg.ontology.shape_datatypes: the date properties have the OWL range rdfs:Literal),
    else the property's rdfs:range."""
    if datatypes is None:
        datatypes = shape_datatypes()
    context: dict = {"id": "@id", "type": "@type", "scheme": SCHEME_BASE}
    for prefix, namespace in sorted(PREFIXES.items()):
        if not str(namespace).startswith(SCHEME_BASE):  # concepts read "scheme:stance/supports"
            context[prefix] = str(namespace)
    for cls in sorted(vocabulary.subjects(RDF.type, OWL.Class), key=str):
        if isinstance(cls, URIRef) and str(cls).startswith(str(CKG)):
            context[str(cls)[len(str(CKG)) :]] = f"ckg:{str(cls)[len(str(CKG)) :]}"
    for kind, coercion in ((OWL.ObjectProperty, "@id"), (OWL.DatatypeProperty, None)):
        for prop in sorted(vocabulary.subjects(RDF.type, kind), key=str):
            if not (isinstance(prop, URIRef) and str(prop).startswith(str(CKG))):
                continue
            name = str(prop)[len(str(CKG)) :]
            entry: dict = {"@id": f"ckg:{name}"}
            datatype = datatypes.get(prop) or vocabulary.value(prop, RDFS.range)
            if coercion:
                entry["@type"] = "@id"
            elif datatype in (XSD.date, XSD.integer):
                entry["@type"] = f"xsd:{str(datatype)[len(str(XSD)) :]}"
            context[name] = entry
    for name, (iri, coercion) in EXTRA_TERMS.items():
        context[name] = {"@id": iri, **({"@type": coercion} if coercion else {})}
    return {"@context": context}


class Compactor:
    def __init__(self, context: dict, base: str):
        self.base = base
        self.terms: dict[str, tuple[str, str | None]] = {}  # property IRI -> (key, coercion)
        self.classes: dict[str, str] = {}
        self.prefixes: list[tuple[str, str]] = []
        body = context["@context"]
        for key, value in body.items():
            if isinstance(value, str) and value.endswith(("#", "/")):
                self.prefixes.append((key, value))
        self.prefixes.sort(key=lambda p: -len(p[1]))
        for key, value in body.items():
            if isinstance(value, dict):
                self.terms[self.expand(value["@id"])] = (key, value.get("@type"))
            elif isinstance(value, str) and not value.endswith(("#", "/")) and key not in ("id", "type"):
                self.classes[self.expand(value)] = key

    def expand(self, text: str) -> str:
        prefix, sep, local = text.partition(":")
        for key, namespace in self.prefixes:
            if sep and key == prefix:
                return namespace + local
        return text

    def iri(self, term: NamedNode) -> str:
        text = term.value
        if text.startswith(self.base):
            return text[len(self.base) :]
        for key, namespace in self.prefixes:
            if text.startswith(namespace) and len(text) > len(namespace):
                local = text[len(namespace) :]
                if "#" not in local and not local.startswith("/"):
                    return f"{key}:{local}"
        return text

    def value(self, term, coercion: str | None):
        if isinstance(term, BlankNode):
            return {"@id": f"_:{term.value}"}
        if isinstance(term, NamedNode):
            return self.iri(term) if coercion == "@id" else {"@id": self.iri(term)}
        if term.language:
            return {"@value": term.value, "@language": term.language}
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return term.value
        if coercion and self.expand(coercion) == datatype:
            return term.value
        return {"@value": term.value, "@type": self.iri(term.datatype)}


XSD_STRING, RDF_LANG_STRING = str(XSD.string), str(RDF.langString)
RDF_TYPE = NamedNode(str(RDF.type))


def _value_order(term) -> tuple:
    """Blank nodes, then literals, then IRIs, each by value; literals then by datatype
    (none for plain and language-tagged ones) and language."""
    if isinstance(term, BlankNode):
        return (0, term.value, "", "")
    if isinstance(term, NamedNode):
        return (2, term.value, "", "")
    datatype = term.datatype.value
    return (1, term.value, "" if datatype in (XSD_STRING, RDF_LANG_STRING) else datatype, term.language or "")


def to_jsonld(triples, context: dict, base: str, context_url: str | None = None) -> str:
    """pyoxigraph triples as compact JSON-LD, sorted: with `context` embedded, or, given
    `context_url`, naming the context published there (which must be `context`)."""
    compact = Compactor(context, base)
    nodes: dict = defaultdict(lambda: defaultdict(list))
    for s, p, o in triples:
        nodes[s][p].append(o)
    out = []
    for subject in sorted(nodes, key=lambda n: (isinstance(n, BlankNode), n.value)):
        entry: dict = {"id": f"_:{subject.value}" if isinstance(subject, BlankNode) else compact.iri(subject)}
        properties = nodes[subject]
        types = sorted(properties.pop(RDF_TYPE, []), key=_value_order)
        if types:
            names = [compact.classes.get(t.value, compact.iri(t)) for t in types]
            entry["type"] = names[0] if len(names) == 1 else names
        for prop in sorted(properties, key=lambda p: p.value):
            key, coercion = compact.terms.get(prop.value, (compact.iri(prop), None))
            values = [compact.value(v, coercion) for v in sorted(properties[prop], key=_value_order)]
            entry[key] = values[0] if len(values) == 1 else values
        out.append(entry)
    reference = context_url if context_url is not None else context["@context"]
    document = {"@context": [reference, {"@base": base}], "@graph": out}
    return json.dumps(document, indent=1, ensure_ascii=False, sort_keys=False) + "\n"
