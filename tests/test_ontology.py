"""The vocabulary is well formed, complete for what the project uses, aligned to terms
that really exist, and its reasoner-free consistency check catches what it should."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from kg import resources
from kg.errors import CyberkgError
from kg.export.jsonld import build_context
from kg.namespaces import CKG, ONTOLOGY_IRI, PREFIXES, SCHEME_BASE
from kg.ontology import Vocabulary, load_ontology, shape_datatypes

ROOT = Path(__file__).resolve().parent.parent
VOCABULARIES = ROOT / "tests" / "data" / "vocabularies"
ID = "https://w3id.org/cyberkg/id/"


# -- parsing ------------------------------------------------------------------------


@pytest.mark.parametrize("path", resources.ontology_files() + [resources.example_graph()], ids=lambda p: p.name)
def test_ontology_files_parse_with_two_independent_parsers(path: Path):
    graph = Graph().parse(path, format="turtle")
    store = pyoxigraph.Store()
    store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(graph) > 0
    assert len(store) == len(graph)


def test_header_carries_the_metadata_a_portal_needs(vocabulary: Vocabulary):
    ontology = URIRef(ONTOLOGY_IRI)
    g = vocabulary.graph
    assert (ontology, RDF.type, OWL.Ontology) in g
    assert str(g.value(ontology, OWL.versionIRI)).startswith(ONTOLOGY_IRI + "/")
    assert g.value(ontology, OWL.versionInfo) is not None
    for term in ("title", "description", "license", "creator", "created", "modified"):
        assert g.value(ontology, URIRef("http://purl.org/dc/terms/" + term)) is not None, term


def test_vocabulary_is_well_formed(vocabulary: Vocabulary):
    assert vocabulary.check() == []


def test_vocabulary_covers_the_model_the_product_needs(vocabulary: Vocabulary):
    needed = [
        "Treaty",
        "Protocol",
        "Resolution",
        "Declaration",
        "DraftInstrument",
        "ProposedInstrument",
        "GuideOrTool",
        "MemberState",
        "ObserverState",
        "GroupOfStates",
        "RegionalGroup",
        "IntergovernmentalOrganization",
        "UNBody",
        "UNOffice",
        "Person",
        "AnonymousCollective",
        "Meeting",
        "Session",
        "AgendaItem",
        "Document",
        "Section",
        "Paragraph",
        "Recommendation",
        "RecommendationPart",
        "Sentence",
        "Position",
        "TreatyAction",
        "VoteEvent",
        "Vote",
        "Participation",
        "SourceTable",
    ]
    assert {CKG[n] for n in needed} <= vocabulary.classes
    for prop in (
        "protocolTo",
        "draftOf",
        "adoptedByResolution",
        "realisedAs",
        "holder",
        "stance",
        "target",
        "quantifier",
        "sourcePassage",
        "sourceSentence",
        "onBehalfOf",
        "voteOption",
        "actionType",
    ):
        assert CKG[prop] in vocabulary.object_properties, prop


def test_every_term_has_a_label_and_definition_in_english(vocabulary: Vocabulary):
    g = vocabulary.graph
    terms = [t for t in set(g.subjects()) if isinstance(t, URIRef) and str(t).startswith((str(CKG), SCHEME_BASE))]
    assert len(terms) > 100
    for term in terms:
        labels = [
            v for p in (RDFS.label, SKOS.prefLabel) for v in g.objects(term, p) if getattr(v, "language", None) == "en"
        ]
        definitions = [v for v in g.objects(term, SKOS.definition) if v.language == "en"]
        assert labels, f"{term} has no English label"
        assert definitions, f"{term} has no English definition"


def test_anonymous_collectives_can_never_be_named_actors(vocabulary: Vocabulary):
    assert frozenset({CKG.NamedActor, CKG.AnonymousCollective}) in vocabulary.disjoint
    assert CKG.Actor in vocabulary.superclasses(CKG.AnonymousCollective)
    assert CKG.NamedActor not in vocabulary.superclasses(CKG.AnonymousCollective)


# -- every term the project uses is declared ---------------------------------------------

SCHEME_PREFIXES = {p: str(ns) for p, ns in PREFIXES.items() if str(ns).startswith(SCHEME_BASE)}
PYTHON_NAMES = {"CKG": str(CKG)} | {
    name: str(ns)
    for name, ns in (
        ("STANCE", PREFIXES["stance"]),
        ("QUANTIFIER", PREFIXES["quantifier"]),
        ("SPEAKER_KIND", PREFIXES["speakerkind"]),
        ("VOTE_OPTION", PREFIXES["voteoption"]),
        ("TREATY_ACTION", PREFIXES["treatyaction"]),
        ("DOCUMENT_TYPE", PREFIXES["documenttype"]),
        ("MEETING_ROLE", PREFIXES["meetingrole"]),
        ("COVERAGE", PREFIXES["coverage"]),
        ("TOPIC", PREFIXES["topic"]),
    )
}


def project_files() -> list[Path]:
    """Everything that ships or documents the product: code, vocabulary, shapes, queries, docs."""
    files = [p for p in (ROOT / "kg").rglob("*.py")]
    for folder in ("ontology", "shapes", "queries"):
        files += [p for p in (ROOT / folder).rglob("*") if p.suffix in {".ttl", ".rq", ".md"}]
    return files + [ROOT / "README.md"]


def used_terms(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    found = {str(CKG) + m for m in re.findall(r"(?<![\w/])ckg:([A-Za-z_][\w-]*)", text)}
    found |= {str(CKG) + m for m in re.findall(re.escape(str(CKG)) + r"([A-Za-z_][\w-]*)", text)}
    for prefix, namespace in SCHEME_PREFIXES.items():
        found |= {namespace + m for m in re.findall(rf"(?<![\w/]){prefix}:([A-Za-z_][\w-]*)", text)}
    if path.suffix == ".py":
        for name, namespace in PYTHON_NAMES.items():
            found |= {namespace + m for m in re.findall(rf"\b{name}\.([A-Za-z_]\w*)", text)}
            found |= {namespace + m for m in re.findall(rf"\b{name}\[[\"']([\w-]+)[\"']\]", text)}
    return found


def test_every_ckg_term_used_anywhere_in_the_project_is_declared(vocabulary: Vocabulary):
    declared = {str(t) for t in vocabulary.kinds} | {str(c) for c in vocabulary.concepts}
    used = {(term, path.relative_to(ROOT).as_posix()) for path in project_files() for term in used_terms(path)}
    assert len(used) > 100  # the scan really found the project's uses
    missing = sorted(f"{where}: {term}" for term, where in used if term not in declared)
    assert missing == []


def test_the_term_scan_would_notice_an_undeclared_term(tmp_path: Path):
    code = tmp_path / "probe.py"
    code.write_text('x = CKG.holder\ny = CKG["inDocument"]\nq = "SELECT * { ?p ckg:nonsuch stance:maybe }"\n')
    assert used_terms(code) == {
        str(CKG.holder),
        str(CKG.inDocument),
        str(CKG) + "nonsuch",
        SCHEME_BASE + "stance/maybe",
    }


# -- alignments point to real terms ------------------------------------------------------------


def external_terms() -> dict[str, set[str]]:
    """IRI -> kinds ('class', 'property', 'datatype') from the offline vocabulary copies."""
    kinds = {RDFS.Class: "class", RDF.Property: "property", RDFS.Datatype: "datatype"}
    terms: dict[str, set[str]] = {}
    for path in VOCABULARIES.glob("*.ttl"):
        for term, kind in Graph().parse(path).subject_objects(RDF.type):
            terms.setdefault(str(term), set()).add(kinds[kind])
    return terms


EXTERNAL = external_terms()
KNOWN_NAMESPACES = sorted({re.match(r"^(.*[#/])", iri).group(1) for iri in EXTERNAL}, key=len, reverse=True)


def is_ours(term: URIRef) -> bool:
    return str(term).startswith((str(CKG), SCHEME_BASE, ID, ONTOLOGY_IRI))


def expectations(graph: Graph) -> list[tuple[str, str, str]]:
    """(external IRI, kind it must have, why) for every vocabulary term the graph relies on."""
    wanted = []
    for s, p, o in graph:
        if not is_ours(p):
            wanted.append((str(p), "property", "used as a predicate"))
        if p == RDF.type and isinstance(o, URIRef) and not is_ours(o):
            wanted.append((str(o), "class", f"type of {s}"))
        if p == RDFS.subClassOf and isinstance(o, URIRef) and not is_ours(o):
            wanted.append((str(o), "class", f"superclass of {s}"))
        if p == RDFS.subPropertyOf and isinstance(o, URIRef) and not is_ours(o):
            wanted.append((str(o), "property", f"superproperty of {s}"))
        if p in (RDFS.domain, RDFS.range) and isinstance(o, URIRef) and not is_ours(o):
            datatype = str(o).startswith(str(XSD)) or o in (RDF.langString, RDF.HTML, RDF.XMLLiteral)
            wanted.append((str(o), "datatype" if datatype else "class", f"{p} of {s}"))
    return wanted


@pytest.mark.parametrize("graph_name", ["ontology", "example"])
def test_every_external_term_exists_in_its_vocabulary_with_the_right_kind(graph_name: str):
    graph = load_ontology() if graph_name == "ontology" else Graph().parse(resources.example_graph())
    wanted = expectations(graph)
    assert len(wanted) > 20
    problems = []
    for iri, kind, why in wanted:
        if not any(iri.startswith(ns) for ns in KNOWN_NAMESPACES):
            problems.append(f"{iri} ({why}): no offline copy of its vocabulary in tests/data/vocabularies")
        elif kind not in EXTERNAL.get(iri, set()):
            problems.append(f"{iri} ({why}): not a {kind} of its vocabulary")
    assert sorted(set(problems)) == []


def test_the_alignment_check_rejects_invented_terms():
    graph = Graph()
    graph.add((CKG.Treaty, RDFS.subClassOf, URIRef("http://data.europa.eu/eli/ontology#Treaty")))  # no such ELI class
    graph.add((CKG.holder, RDFS.subPropertyOf, URIRef("http://www.w3.org/ns/opengov#voter")))  # no such opengov term
    graph.add((CKG.Vote, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")))  # property, not class
    missing = [iri for iri, kind, _ in expectations(graph) if kind not in EXTERNAL.get(iri, set())]
    assert sorted(missing) == sorted(
        [
            "http://data.europa.eu/eli/ontology#Treaty",
            "http://www.w3.org/ns/opengov#voter",
            "http://www.w3.org/ns/prov#wasDerivedFrom",
        ]
    )


DECLARED_KINDS = {
    OWL.Class: "class",
    OWL.ObjectProperty: "property",
    OWL.DatatypeProperty: "property",
    OWL.AnnotationProperty: "property",
    RDFS.Datatype: "datatype",
}
RESERVED = (str(RDF), str(RDFS), str(OWL))  # OWL 2's built-in vocabulary, never declared


def test_every_external_term_is_declared_once_as_a_term_of_its_kind(vocabulary: Vocabulary):
    """What OWL 2 DL asks of the vocabulary, checked without Java (tests/test_owl_profile.py
    runs OWLAPI's full check): each external class, property and datatype it uses is declared,
    with one kind, and the declaration names a term its vocabulary has, of that kind."""
    g = vocabulary.graph
    declared: dict[str, set[URIRef]] = {}
    for kind in DECLARED_KINDS:
        for term in g.subjects(RDF.type, kind):
            if isinstance(term, URIRef) and not is_ours(term):
                declared.setdefault(str(term), set()).add(kind)
    problems = [f"{t}: declared as {len(k)} kinds" for t, k in declared.items() if len(k) > 1]
    problems += [
        f"{t}: declared as {DECLARED_KINDS[k]}, not a {DECLARED_KINDS[k]} of its vocabulary"
        for t, kinds in declared.items()
        for k in kinds
        if DECLARED_KINDS[k] not in EXTERNAL.get(t, set())
    ]
    owl2_datatypes = {str(XSD.string), str(XSD.integer)}  # those of the OWL 2 datatype map the vocabulary uses
    for iri, kind, why in expectations(g):
        if iri.startswith(RESERVED) or iri in owl2_datatypes or kind == "property" and why == "used as a predicate":
            continue  # predicates: their kind is fixed by the kind of their subjects, see below
        if iri not in declared:
            problems.append(f"{iri} ({why}): used as a {kind} but not declared")
    for s, p, _ in g:
        if not is_ours(p) and not str(p).startswith(RESERVED) and str(p) not in declared:
            problems.append(f"{p}: used as a predicate but not declared")
    assert len(declared) > 40
    assert sorted(set(problems)) == []


def test_alignments_reach_the_established_vocabularies(vocabulary: Vocabulary):
    targets = {str(o) for p in (RDFS.subClassOf, RDFS.subPropertyOf) for o in vocabulary.graph.objects(None, p)}
    for namespace in (
        "http://www.w3.org/ns/org#",
        "http://www.w3.org/ns/prov#",
        "http://purl.org/dc/terms/",
        "http://data.europa.eu/eli/ontology#",
        "https://schema.org/",
        "http://www.w3.org/ns/opengov#",
        "http://xmlns.com/foaf/0.1/",
        "http://www.w3.org/ns/dcat#",
    ):
        assert any(t.startswith(namespace) for t in targets), namespace


# -- reasoner-free consistency of instance data ---------------------------------------------


def test_example_graph_is_consistent(vocabulary: Vocabulary, example: Graph):
    assert vocabulary.check_instances(example) == []


N = URIRef(ID + "doc/UNODC-CCPCJ-EG.4-2019-2/para/10/b/s1/position/1")
STATE = URIRef(ID + "state/RUS")
DOC = URIRef(ID + "doc/UNODC-CCPCJ-EG.4-2019-2")
MEETING = URIRef(ID + "meeting/expert-group-on-cybercrime/meeting-5")


def _stance(name: str) -> URIRef:
    return URIRef(SCHEME_BASE + "stance/" + name)


MUTATIONS = {
    "domain": (lambda g: g.add((STATE, CKG.quote, Literal("a quote"))), "uses ckg:quote but is not a ckg:Position"),
    "range": (lambda g: g.set((N, CKG.holder, DOC)), "ckg:holder points to"),
    "datatype": (
        lambda g: g.set((MEETING, CKG.startDate, Literal("27 March 2019"))),
        "is xsd:string, expected xsd:date",
    ),
    "ill-typed": (
        lambda g: g.set((MEETING, CKG.startDate, Literal("2019-02-30", datatype=XSD.date))),
        "is not a valid xsd:date",
    ),
    "functional": (
        lambda g: g.add((N, CKG.stance, _stance("supports"))),
        "2 values for functional property ckg:stance",
    ),
    "disjoint": (lambda g: g.add((STATE, RDF.type, CKG.AnonymousCollective)), "which are disjoint"),
    "undeclared-property": (lambda g: g.add((N, CKG.confidence, Literal(0.9))), "undeclared property"),
    "undeclared-class": (lambda g: g.add((N, RDF.type, CKG.Opinion)), "undeclared class"),
    "literal-for-node": (lambda g: g.set((N, CKG.target, Literal("Budapest Convention"))), "must point to a node"),
    "node-for-literal": (lambda g: g.set((N, CKG.quote, BNode())), "must be a literal"),
}


@pytest.mark.parametrize("kind", sorted(MUTATIONS))
def test_consistency_check_catches_each_kind_of_mistake(vocabulary: Vocabulary, example: Graph, kind: str):
    mutate, expected = MUTATIONS[kind]
    mutate(example)
    problems = [str(p) for p in vocabulary.check_instances(example)]
    assert any(expected in p for p in problems), problems


def test_vocabulary_check_catches_a_missing_definition_and_an_undeclared_term():
    graph = load_ontology()
    graph.remove((CKG.Treaty, SKOS.definition, None))
    graph.add((CKG.Position, RDFS.subClassOf, CKG.Claim))
    problems = [str(p) for p in Vocabulary(graph).check()]
    assert "ckg:Treaty: has no English skos:definition" in problems
    assert "ckg:Claim: used but not declared" in problems


# -- datatypes: OWL 2 ranges, and the SHACL shapes for dates ---------------------------------

DATED = {
    "adoptionDate": XSD.date,
    "openedForSignatureDate": XSD.date,
    "entryIntoForceDate": XSD.date,
    "startDate": XSD.date,
    "endDate": XSD.date,
    "year": XSD.gYear,
    "actionDate": XSD.date,
    "voteDate": XSD.date,
    "asOf": XSD.date,
}


def test_dates_have_the_range_rdfs_literal_and_their_datatype_in_the_shapes(vocabulary: Vocabulary):
    """No range outside the OWL 2 datatype map: a date's is rdfs:Literal, its scope note
    names its datatype, and the shapes require it."""
    g = vocabulary.graph
    ranges = {p: g.value(p, RDFS.range) for p in vocabulary.datatype_properties}
    assert set(ranges.values()) <= {XSD.string, XSD.integer, RDF.langString, RDFS.Literal}
    assert {p for p, r in ranges.items() if r == RDFS.Literal} == {CKG[name] for name in DATED}
    for name, datatype in DATED.items():
        assert vocabulary.required_datatypes[CKG[name]] == datatype, name
        note = str(g.value(CKG[name], SKOS.scopeNote))
        assert f"typed {vocabulary.curie(datatype)} " in note and "SHACL shapes" in note, name
    assert not [d for d in (XSD.date, XSD.gYear) if (d, None, None) in g]  # nor declared


def test_vocabulary_check_wants_the_shapes_and_the_ranges_to_agree():
    problems = [str(p) for p in Vocabulary(load_ontology(), datatypes={}).check()]
    assert problems == sorted(
        f"ckg:{name}: has the range rdfs:Literal but no SHACL shape gives its sh:datatype" for name in DATED
    )
    problems = [str(p) for p in Vocabulary(load_ontology(), shape_datatypes() | {CKG.ordinal: XSD.string}).check()]
    assert problems == ["ckg:ordinal: the SHACL shapes require xsd:string, the range is xsd:integer"]


def test_the_literal_check_takes_a_date_s_datatype_from_the_shapes(example: Graph):
    example.set((MEETING, CKG.startDate, Literal("27 March 2019")))
    example.set((MEETING, CKG.endDate, Literal("2019", datatype=XSD.gYear)))
    problems = [str(p) for p in Vocabulary(load_ontology()).check_instances(example)]
    assert any("ckg:startDate value '27 March 2019' is xsd:string, expected xsd:date" in p for p in problems), problems
    assert any("ckg:endDate value '2019' is xsd:gYear, expected xsd:date" in p for p in problems), problems
    assert Vocabulary(load_ontology(), datatypes={}).check_instances(example) == []  # rdfs:Literal: any literal


SHAPES = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ckg: <https://w3id.org/cyberkg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

[] sh:property [ sh:path ckg:startDate ; sh:datatype xsd:date ] ,
    [ sh:path dcterms:date ; sh:datatype xsd:dateTime ] ,
    [ sh:path ( ckg:holder ckg:iso3 ) ; sh:datatype xsd:integer ] ,
    [ sh:path ckg:quote ; sh:minCount 1 ] .
[] sh:property [ sh:path ckg:startDate ; sh:datatype xsd:date ] .
"""


def test_shape_datatypes_reads_the_property_shapes_of_ckg_properties():
    shapes = Graph().parse(data=SHAPES, format="turtle")
    assert shape_datatypes(shapes) == {CKG.startDate: XSD.date}
    shapes.parse(data=SHAPES.replace("xsd:date ] .", "xsd:gYear ] ."), format="turtle")
    with pytest.raises(CyberkgError, match=r"require 2 datatypes of https://w3id.org/cyberkg/ontology#startDate"):
        shape_datatypes(shapes)


def test_the_json_ld_context_takes_a_date_s_datatype_from_the_shapes():
    context = build_context(load_ontology())["@context"]
    assert context["startDate"] == {"@id": "ckg:startDate", "@type": "xsd:date"}
    assert context["polarity"] == {"@id": "ckg:polarity", "@type": "xsd:integer"}  # no shape: its range
    assert build_context(load_ontology(), datatypes={})["@context"]["startDate"] == {"@id": "ckg:startDate"}
