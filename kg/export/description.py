"""A VoID and DCAT description of the graph, computed from the graph itself: title,
licence, publisher, version, dates, sources (the reports by symbol, the reference tables
with their sources, coverage and as-of dates), statement and entity counts per class,
vocabularies used, example resources, the SPARQL endpoint when one is given, and the
linkset to Wikidata. Its dates come from the data (the newest document or table date),
so describing the same graph twice gives the same description."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import date
from urllib.parse import quote

import pyoxigraph
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, RDFS, VOID, XSD

from kg import __version__
from kg.namespaces import CKG, PREFIXES, bind_prefixes
from kg.rdf import Statements, ToOxigraph, as_graphs, collector_paused

WIKIDATA = "http://www.wikidata.org/entity/"
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
EXAMPLE_CLASSES = (CKG.Document, CKG.Position, CKG.Treaty, CKG.MemberState)  # one example resource of each


def describe_dataset(
    graphs: Mapping, base: str, endpoint: str | None = None, files: list[str] | None = None
) -> Statements:
    """The VoID and DCAT description of the graphs ({graph name: Statements}): sources,
    counts, class partitions, vocabularies, example resources, the Wikidata linkset and the
    distributions `files`. (Made as a small rdflib graph, for its lookups and namespace
    bindings, and handed on as Statements.)"""
    with collector_paused():
        return Statements.from_rdflib(_description(graphs, base, endpoint, files))


def _description(graphs: Mapping, base: str, endpoint: str | None, files: list[str] | None) -> Graph:
    # Every statement once, in a list in the order of the graphs: passes over a set of a
    # million triples run two to four times slower, the set's order scattering them over memory.
    ox = ToOxigraph()
    statements = list(dict.fromkeys(t for graph in as_graphs(graphs).values() for t in graph))
    # One pass over them, in pyoxigraph terms: the classes and their instances counted, and
    # the few statements the description looks things up in (sources, dates, coverage,
    # links, and the types and labels of the nodes those describe) kept as a small rdflib graph.
    type_, label = ox[RDF.type], ox[RDFS.label]
    looked_up_predicates = {
        ox[p]
        for p in (
            DCTERMS.source,
            DCTERMS.date,
            CKG.symbol,
            CKG.coverage,
            CKG.coverageNote,
            CKG.asOf,
            DCTERMS.identifier,
            OWL.sameAs,
        )
    }
    example_classes = {ox[c]: c for c in EXAMPLE_CLASSES}
    picked = looked_up_predicates | {type_, label}
    looked_up, types_and_labels = [], []
    counted: Counter = Counter()
    instances: dict[URIRef, list] = {c: [] for c in EXAMPLE_CLASSES}
    # (comprehensions first: a Python loop over a million statements costs seconds)
    for t in [t for t in statements if t.predicate in picked]:
        p = t.predicate
        if p == type_:
            types_and_labels.append(t)
            if isinstance(t.object, pyoxigraph.NamedNode):
                counted[t.object] += 1
                if t.object in example_classes and isinstance(t.subject, pyoxigraph.NamedNode):
                    instances[example_classes[t.object]].append(t.subject)
        elif p == label:
            types_and_labels.append(t)
        else:
            looked_up.append(t)
    named = {t.subject for t in looked_up}
    union = Statements(looked_up + [t for t in types_and_labels if t.subject in named]).rdflib_graph()
    classes = Counter({URIRef(c.value): n for c, n in counted.items()})
    candidates = {s for found in instances.values() for s in found}
    all_subjects = [t.subject for t in statements]
    described = Counter(filter(candidates.__contains__, all_subjects))
    g = bind_prefixes(Graph(), base)
    g.bind("void", VOID)
    ds = URIRef(base + "dataset")
    add = g.add
    add((ds, RDF.type, VOID.Dataset))
    add((ds, RDF.type, DCAT.Dataset))
    add((ds, DCTERMS.title, Literal("cyberkg: a knowledge graph of UN cybercrime diplomacy", lang="en")))
    add(
        (
            ds,
            DCTERMS.description,
            Literal(
                "Positions, recommendations, participants and citations extracted from UN meeting reports on cybercrime "
                "(Expert Group on Cybercrime, Ad Hoc Committee), every statement traced to its paragraph and, for positions, "
                "its sentence; with reference data on States, groups, instruments, treaty actions and recorded votes, each "
                "fact with its source. Speakers the reports do not name are anonymous collectives, never named States.",
                lang="en",
            ),
        )
    )
    add((ds, DCTERMS.license, LICENCE))
    add((ds, DCTERMS.publisher, Literal("cyberkg project")))
    add((ds, DCTERMS.hasVersion, Literal(__version__)))
    add((ds, OWL.versionInfo, Literal(__version__)))
    newest = max(
        (
            v.toPython()
            for v in union.objects(None, DCTERMS.date)
            if isinstance(v, Literal) and isinstance(v.toPython(), date)
        ),
        default=None,
    )
    as_of = max(
        (
            v.toPython()
            for v in union.objects(None, CKG.asOf)
            if isinstance(v, Literal) and isinstance(v.toPython(), date)
        ),
        default=None,
    )
    stamp = max(d for d in (newest, as_of) if d is not None) if (newest or as_of) else None
    if stamp:
        add((ds, DCTERMS.created, Literal(stamp, datatype=XSD.date)))
        add((ds, DCTERMS.modified, Literal(stamp, datatype=XSD.date)))
    add((ds, VOID.uriSpace, Literal(base)))
    add((ds, DCTERMS.conformsTo, URIRef("https://w3id.org/cyberkg/ontology")))
    if endpoint:
        add((ds, VOID.sparqlEndpoint, URIRef(endpoint)))

    # sources: the reports read, and the reference tables with their coverage
    for document in sorted(union.subjects(DCTERMS.source, None), key=str):
        if (document, RDF.type, CKG.Document) in union:
            add((ds, DCTERMS.source, document))
            for prop in (RDFS.label, CKG.symbol):
                for o in union.objects(document, prop):
                    add((document, prop, o))
    for table in sorted(union.subjects(RDF.type, CKG.SourceTable), key=str):
        add((ds, DCTERMS.source, table))
        for prop in (RDFS.label, CKG.coverage, CKG.coverageNote, CKG.asOf, DCTERMS.identifier):
            for o in union.objects(table, prop):
                add((table, prop, o))
    partial = sorted(
        str(union.value(t, RDFS.label))
        for t in union.subjects(CKG.coverage, URIRef(str(PREFIXES["coverage"]) + "partial"))
    )
    if partial:
        add(
            (
                ds,
                DCTERMS.description,
                Literal(
                    "Partial reference tables (a missing row means 'not known here'): " + "; ".join(partial) + ".",
                    lang="en",
                ),
            )
        )

    # counts, computed from the graph
    add((ds, VOID.triples, Literal(len(statements))))
    subjects = set(all_subjects)
    add((ds, VOID.entities, Literal(sum(isinstance(s, pyoxigraph.NamedNode) for s in subjects))))
    add((ds, VOID.distinctSubjects, Literal(len(subjects))))
    predicates = {URIRef(p.value) for p in {t.predicate for t in statements}}
    add((ds, VOID.properties, Literal(len(predicates))))
    add((ds, VOID.classes, Literal(len(classes))))
    for cls in sorted(classes):
        if not str(cls).startswith(str(CKG)):
            continue
        partition = URIRef(f"{base}dataset/class/{str(cls)[len(str(CKG)) :]}")
        add((ds, VOID.classPartition, partition))
        add((partition, VOID["class"], cls))
        add((partition, VOID.entities, Literal(classes[cls])))

    # vocabularies used, example resources
    namespaces = {str(n) for n in PREFIXES.values() if not str(n).startswith("https://w3id.org/cyberkg/scheme/")}
    used = {_namespace(p) for p in predicates} | {_namespace(c) for c in classes}
    for namespace in sorted(used & namespaces):
        add((ds, VOID.vocabulary, URIRef(namespace)))
    # of each class, the instance described most fully (then the first by IRI): any corpus gets
    # examples, the same ones every time, and never a bare cited symbol
    for cls in EXAMPLE_CLASSES:
        if instances[cls]:
            example = min(instances[cls], key=lambda s: (-described[s], s.value))
            add((ds, VOID.exampleResource, URIRef(example.value)))

    # the linkset to Wikidata
    links = [(s, o) for s, o in union.subject_objects(OWL.sameAs) if str(o).startswith(WIKIDATA)]
    if links:
        linkset = URIRef(base + "dataset/linkset/wikidata")
        wikidata = URIRef("http://www.wikidata.org/")
        add((linkset, RDF.type, VOID.Linkset))
        add((linkset, VOID.subjectsTarget, ds))
        add((linkset, VOID.objectsTarget, wikidata))
        add((linkset, VOID.target, ds))
        add((linkset, VOID.target, wikidata))
        add((linkset, VOID.linkPredicate, OWL.sameAs))
        add((linkset, VOID.triples, Literal(len(links))))
        add((ds, VOID.subset, linkset))
        add((wikidata, RDF.type, VOID.Dataset))
        add((wikidata, DCTERMS.title, Literal("Wikidata", lang="en")))

    for name in files or []:
        distribution = URIRef(distribution_iri(base, name))
        add((ds, DCAT.distribution, distribution))
        add((distribution, RDF.type, DCAT.Distribution))
        add((distribution, DCTERMS.identifier, Literal(name)))
        add(
            (
                distribution,
                DCAT.mediaType,
                Literal(MEDIA_TYPES.get(name.rsplit(".", 1)[-1], "application/octet-stream")),
            )
        )
        add((distribution, DCTERMS.license, LICENCE))
    return g


def distribution_iri(base: str, name: str) -> str:
    """The IRI of the distribution that is the file `name`: the name percent-encoded (a space
    or a '%' in a file name is no IRI character; the name itself is its dct:identifier)."""
    return f"{base}dataset/distribution/{quote(name, safe=_IRI_SAFE)}"


# what a path segment of an IRI may hold unencoded (RFC 3987 isegment's ASCII part)
_IRI_SAFE = "!$&'()*+,;=:@-._~"

MEDIA_TYPES = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "nq": "application/n-quads",
    "trig": "application/trig",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
}


def _namespace(term) -> str:
    text = str(term)
    cut = max(text.rfind("#"), text.rfind("/"))
    return text[: cut + 1]
