"""The SHACL shapes: the sample graph conforms, every shape has a negative test that
breaks exactly its constraint (and passes again once repaired), mutations of the real
graph are caught, and `cyberkg validate` reports like a tool should."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

from commands import cyberkg
from graphs import rdflib_graphs
from kg import resources
from kg.builder import build
from kg.graphio import write_dataset
from kg.namespaces import CKG, SCHEME_BASE, STANCE, TREATY_ACTION
from kg.ontology import load_ontology, shape_datatypes
from kg.validate import load_shapes, validate

ID = "https://w3id.org/cyberkg/id/"
DOC = URIRef(ID + "doc/UNODC-CCPCJ-EG.4-2019-2")
POSITION = URIRef(ID + "doc/UNODC-CCPCJ-EG.4-2019-2/para/10/b/s1/position/1")
ITEM = URIRef(ID + "doc/UNODC-CCPCJ-EG.4-2019-2/para/10/b")
SENTENCE = URIRef(ID + "doc/UNODC-CCPCJ-EG.4-2019-2/para/10/b/s1")
SECTION = URIRef(ID + "doc/UNODC-CCPCJ-EG.4-2019-2/section/II")
PARA13 = URIRef(ID + "doc/UNODC-CCPCJ-EG.4-2019-2/para/13")
COLLECTIVE = URIRef(ID + "doc/UNODC-CCPCJ-EG.4-2019-2/collective/other-member-states")
PARTICIPATION = URIRef(ID + "doc/UNODC-CCPCJ-EG.4-2019-2/participation/panellist/ioana-albani")
ATTENDANCE = URIRef(ID + "doc/UNODC-CCPCJ-EG.4-2019-2/attendance/member-states")
RUS, ROU, ALB = (URIRef(ID + f"state/{c}") for c in ("RUS", "ROU", "ALB"))
COE = URIRef(ID + "org/council-of-europe")
PERSON = URIRef(ID + "person/ioana-albani")
MEMBERSHIP = URIRef(ID + "membership/council-of-europe/ROU")
MEETING = URIRef(ID + "meeting/expert-group-on-cybercrime/meeting-5")
AGENDA = URIRef(ID + "meeting/expert-group-on-cybercrime/meeting-5/agenda/2")
BUDAPEST = URIRef(ID + "instrument/budapest-convention")
CONVENTION = URIRef(ID + "instrument/un-convention-against-cybercrime")
RESOLUTION = URIRef(ID + "resolution/ga-79-243")
DRAFT = URIRef(ID + "instrument/draft-un-convention-2017")
NEW = URIRef(ID + "instrument/new-global-instrument")
ACTION = URIRef(ID + "treaty-action/budapest-convention/ALB/signature")
EVENT = URIRef(ID + "vote-event/example-1-1")
VOTE = URIRef(ID + "vote-event/example-1-1/RUS")
TABLE = URIRef(ID + "source/budapest-convention-ets185")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


def example() -> Graph:
    return Graph().parse(resources.example_graph())


def swap(g: Graph, s, p, new) -> Callable[[Graph], None]:
    """A mutation replacing the value of (s, p) and the repair that puts it back."""
    old = g.value(s, p)

    def undo(graph: Graph) -> None:
        graph.set((s, p, old))

    g.set((s, p, new))
    return undo


def remove(g: Graph, s, p) -> Callable[[Graph], None]:
    removed = list(g.triples((s, p, None)))
    for triple in removed:
        g.remove(triple)

    def undo(graph: Graph) -> None:
        for triple in removed:
            graph.add(triple)

    return undo


def add(g: Graph, s, p, o) -> Callable[[Graph], None]:
    g.add((s, p, o))
    return lambda graph: graph.remove((s, p, o))


# One case per shape: (shape, mutation, words the message must contain, severity).
CASES: list[tuple[str, Callable[[Graph], Callable[[Graph], None]], str, str]] = [
    ("PositionShape", lambda g: remove(g, POSITION, CKG.holder), "exactly one holder", "Violation"),
    ("PositionShape", lambda g: add(g, POSITION, CKG.stance, STANCE.supports), "exactly one stance", "Violation"),
    (
        "PositionAboutShape",
        lambda g: add(g, POSITION, CKG.onTopic, URIRef(SCHEME_BASE + "topic/prevention")),
        "either one instrument",
        "Violation",
    ),
    ("PositionShape", lambda g: add(g, POSITION, CKG.confidence, Literal(0.5)), "closed", "Violation"),
    (
        "AnonymousCollectiveShape",
        lambda g: swap(g, COLLECTIVE, CKG.quantifier, URIRef(SCHEME_BASE + "quantifier/dozens")),
        "one quantifier",
        "Violation",
    ),
    ("CollectiveIsNotNamedShape", lambda g: add(g, COLLECTIVE, RDF.type, CKG.MemberState), "never turn", "Violation"),
    (
        "DocumentShape",
        lambda g: swap(g, DOC, CKG.symbol, Literal("UNODC CCPCJ EG.4 2019 2")),
        "look like a UN symbol",
        "Violation",
    ),
    ("SectionShape", lambda g: remove(g, SECTION, CKG.inDocument), "exactly one document", "Violation"),
    ("PassageShape", lambda g: remove(g, ITEM, CKG.inDocument), "sits in exactly one document", "Violation"),
    ("RecommendationShape", lambda g: remove(g, ITEM, CKG.marker), "keep its marker", "Violation"),
    ("RecommendationPartShape", lambda g: _subitem(g), "part of its recommendation", "Violation"),
    ("SentenceShape", lambda g: swap(g, SENTENCE, DCTERMS.isPartOf, DOC), "part of exactly one paragraph", "Violation"),
    (
        "ParticipationShape",
        lambda g: swap(g, PARTICIPATION, CKG.role, URIRef(SCHEME_BASE + "meeting-role/heckler")),
        "one role",
        "Violation",
    ),
    ("PanellistCountryShape", lambda g: remove(g, PERSON, CKG.country), "has no country", "Warning"),
    (
        "AttendanceRecordShape",
        lambda g: swap(g, ATTENDANCE, CKG["count"], Literal(-3)),
        "whole number from 0",
        "Violation",
    ),
    ("StateShape", lambda g: swap(g, ALB, CKG.iso3, Literal("AL")), "three capital letters", "Violation"),
    ("StateWikidataShape", lambda g: remove(g, ALB, OWL.sameAs), "no Wikidata link", "Warning"),
    ("ISOCodeUniqueShape", lambda g: swap(g, ROU, CKG.iso3, Literal("ALB")), "share an ISO", "Violation"),
    ("NamedOrganizationShape", lambda g: remove(g, COE, RDFS.label), "exactly one label", "Violation"),
    ("PersonShape", lambda g: swap(g, PERSON, CKG.country, URIRef(ID + "state/XXX")), "State that exists", "Violation"),
    (
        "NonStateOrganizationShape",
        lambda g: add(g, URIRef(ID + "org/stakeholder/unnamed"), RDF.type, CKG.NonStateOrganization),
        "exactly one label",
        "Violation",
    ),
    ("MembershipShape", lambda g: remove(g, MEMBERSHIP, org_member()), "exactly one member State", "Violation"),
    ("InstantShape", lambda g: _instant(g), "one date, year-month or year", "Violation"),
    (
        "MeetingShape",
        lambda g: swap(g, MEETING, CKG.endDate, Literal("2019-03-26", datatype=XSD.date)),
        "not after its end date",
        "Violation",
    ),
    ("AgendaItemShape", lambda g: remove(g, AGENDA, CKG.agendaOf), "exactly one meeting", "Violation"),
    ("InstrumentShape", lambda g: remove(g, BUDAPEST, PROV.wasDerivedFrom), "where it comes from", "Violation"),
    (
        "TreatyShape",
        lambda g: swap(g, BUDAPEST, CKG.entryIntoForceDate, Literal("2000-01-01", datatype=XSD.date)),
        "not after its entry into force",
        "Violation",
    ),
    ("ProtocolShape", lambda g: add(g, NEW, RDF.type, CKG.Protocol), "supplements exactly one treaty", "Violation"),
    (
        "ResolutionShape",
        lambda g: swap(g, RESOLUTION, CKG.resolutionNumber, Literal("79-243")),
        "session/number",
        "Violation",
    ),
    ("ResolutionBodyShape", lambda g: remove(g, RESOLUTION, CKG.adoptingBody), "without the body", "Warning"),
    (
        "ResolutionElaborationShape",
        lambda g: add(g, RESOLUTION, CKG.decidedToElaborate, URIRef(ID + "instrument/nothing")),
        "exists in the graph",
        "Violation",
    ),
    (
        "DraftShape",
        lambda g: swap(g, DRAFT, CKG.draftOf, URIRef(ID + "instrument/no-such-thing")),
        "must exist in the graph",
        "Violation",
    ),
    ("ProposedInstrumentShape", lambda g: swap(g, NEW, CKG.realisedAs, COE), "must exist in the graph", "Violation"),
    (
        "TreatyActionShape",
        lambda g: swap(g, ACTION, CKG.actionType, URIRef(SCHEME_BASE + "treaty-action/wish")),
        "one type from the scheme",
        "Violation",
    ),
    ("TreatyActionDayShape", lambda g: _undated(g), "does not give this treaty action's day", "Warning"),
    ("TreatyActionDateShape", lambda g: remove(g, ACTION, CKG.actionDate), "must have a date", "Violation"),
    (
        "SignatureBeforeRatificationShape",
        lambda g: _early_ratification(g),
        "ratifying this treaty before it signed it",
        "Violation",
    ),
    (
        "VoteEventShape",
        lambda g: swap(g, EVENT, CKG.yesCount, Literal(2)),
        "do not add up to the announced number",
        "Violation",
    ),
    (
        "VoteShape",
        lambda g: swap(g, VOTE, CKG.voteOption, URIRef(SCHEME_BASE + "vote-option/maybe")),
        "yes, no, abstain or absent",
        "Violation",
    ),
    ("SourceTableShape", lambda g: remove(g, TABLE, CKG.asOf), "one date its facts hold as of", "Violation"),
    ("PartialTableShape", lambda g: remove(g, TABLE, CKG.coverageNote), "say in words what it covers", "Violation"),
    ("FactSourceShape", lambda g: remove(g, ALB, PROV.wasDerivedFrom), "which reference table", "Violation"),
]


def org_member() -> URIRef:
    return ORG.member


def _subitem(g: Graph) -> Callable[[Graph], None]:
    part = URIRef(f"{ITEM}/i")
    triples = [
        (part, RDF.type, CKG.RecommendationPart),
        (part, CKG.marker, Literal("i")),
        (part, CKG.text, Literal("A sub-item.")),
        (part, CKG["index"], Literal(1)),
        (part, CKG.line, Literal(42)),
        (part, CKG.inDocument, DOC),
        (part, DCTERMS.isPartOf, SECTION),
    ]
    for t in triples:
        g.add(t)

    def undo(graph: Graph) -> None:
        graph.remove((part, DCTERMS.isPartOf, SECTION))
        graph.add((part, DCTERMS.isPartOf, ITEM))

    return undo


def _instant(g: Graph) -> Callable[[Graph], None]:
    instant = next(g.subjects(URIRef("http://www.w3.org/2006/time#inXSDDate"), None))
    return swap(g, instant, URIRef("http://www.w3.org/2006/time#inXSDDate"), Literal("7 October 1993"))


def _undated(g: Graph) -> Callable[[Graph], None]:
    undo_date = remove(g, ACTION, CKG.actionDate)
    g.add((ACTION, CKG.dateAsGiven, Literal("late 2001")))

    def undo(graph: Graph) -> None:
        graph.remove((ACTION, CKG.dateAsGiven, None))
        undo_date(graph)

    return undo


def _early_ratification(g: Graph) -> Callable[[Graph], None]:
    ratification = URIRef(ID + "treaty-action/budapest-convention/ALB/ratification")
    triples = [
        (ratification, RDF.type, CKG.TreatyAction),
        (ratification, CKG.actor, ALB),
        (ratification, CKG.treaty, BUDAPEST),
        (ratification, CKG.actionType, TREATY_ACTION.ratification),
        (ratification, PROV.wasDerivedFrom, TABLE),
        (ratification, CKG.actionDate, Literal("2001-01-01", datatype=XSD.date)),
    ]
    for t in triples:
        g.add(t)
    return lambda graph: graph.set((ratification, CKG.actionDate, Literal("2002-06-20", datatype=XSD.date)))


def test_example_graph_conforms(shapes):
    report = validate(example(), shapes)
    assert report.conforms and report.findings == []


def test_every_shape_has_a_negative_test(shapes):
    named = {str(s).rsplit("#", 1)[-1] for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}
    assert named == {name for name, *_ in CASES}


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_breaking_a_constraint_is_caught_and_repairing_it_passes(shapes, case):
    name, mutate, words, severity = case
    graph = example()
    repair = mutate(graph)
    report = validate(graph, shapes)
    label = shapes.value(URIRef("https://w3id.org/cyberkg/shapes#" + name), RDFS.label)
    found = [f for f in report.findings if f.shape == str(label)]
    assert found, [f"{f.shape}: {f.message}" for f in report.findings]
    assert any(words in f.message for f in found), [f.message for f in found]
    assert {f.severity for f in found} == {severity}
    assert report.conforms == (severity != "Violation")
    repair(graph)
    repaired = validate(graph, shapes)
    assert repaired.conforms and not [f for f in repaired.findings if f.shape == str(label)], repaired.findings


def test_coded_value_lists_match_the_concept_schemes(shapes):
    schemes = Graph()
    for name in ("schemes.ttl",):
        schemes.parse(resources.resource_dir("ontology") / name)
    for node in shapes.objects(None, SH["in"]):
        members = set(Collection(shapes, node))
        scheme_iris = {schemes.value(m, SKOS.inScheme) for m in members}
        assert len(scheme_iris) == 1 and None not in scheme_iris, members
        assert members == set(schemes.subjects(SKOS.inScheme, scheme_iris.pop()))


# -- the real graph ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built():
    return build()


def test_the_sample_graph_conforms(built, shapes):
    report = validate(built.graphs, shapes)
    assert report.conforms, [f"{f.shape}: {f.focus_label}: {f.message}" for f in report.violations]
    assert {f.shape for f in report.warnings} <= {"Treaty action without an exact day"}


def test_mutations_of_the_real_graph_are_each_caught(built, shapes):
    graphs = rdflib_graphs(built)
    doc_graph = graphs[URIRef(ID + "graph/doc/UNODC-CCPCJ-EG.4-2019-2")]
    reference = graphs[URIRef(ID + "graph/reference")]
    position = next(doc_graph.subjects(RDF.type, CKG.Position))
    other = sorted(set(doc_graph.subjects(RDF.type, CKG.Position)) - {position})[0]
    recommendation = URIRef(ID + "doc/UNODC-CCPCJ-EG.4-2019-2/para/11/item/c")
    doc_graph.remove((position, CKG.holder, None))
    doc_graph.add((other, CKG.stance, STANCE.criticises))
    doc_graph.remove((recommendation, CKG.inDocument, None))
    cited = URIRef(ID + "doc/A-C.3-72-12")
    doc_graph.set((cited, CKG.symbol, Literal("A/C.3 72-12")))
    vote = next(reference.subjects(RDF.type, CKG.Vote))
    reference.set((vote, CKG.voteOption, URIRef(SCHEME_BASE + "vote-option/present")))
    ratification = URIRef(ID + "treaty-action/budapest-convention/ALB/ratification")
    reference.set((ratification, CKG.actionDate, Literal("2001-01-01", datatype=XSD.date)))
    dangling = URIRef(ID + "doc/UNODC-CCPCJ-EG.4-2019-2/para/12")
    doc_graph.set((dangling, CKG.agendaItem, URIRef(ID + "meeting/nowhere/agenda/9")))

    report = validate(graphs, shapes)
    assert not report.conforms
    expect = [
        (position, "A position must have exactly one holder"),
        (other, "A position must have exactly one stance"),
        (recommendation, "Every paragraph, recommendation and list item sits in exactly one document"),
        (cited, "A document symbol must look like a UN symbol"),
        (vote, "A vote's option must be yes, no, abstain or absent"),
        (
            URIRef(ID + "instrument/budapest-convention"),
            "Albania is recorded as ratifying this treaty before it signed it.",
        ),
        (dangling, "A passage falls under one agenda item at most."),
    ]
    messages = {f.focus: [g.message for g in report.violations if g.focus == f.focus] for f in report.violations}
    for focus, start in expect:
        assert any(m.startswith(start) for m in messages.get(str(focus), [])), (focus, messages.get(str(focus)))


# -- the command ------------------------------------------------------------------------------


def test_validate_command_exit_codes_and_formats(tmp_path, built):
    good = tmp_path / "good.trig"
    write_dataset(built.graphs, good)
    ok = cyberkg("validate", str(good))
    assert ok.returncode == 0 and "conforms: 0 violation(s)" in ok.stdout
    broken = rdflib_graphs(built)
    doc_graph = broken[URIRef(ID + "graph/doc/UNODC-CCPCJ-EG.4-2019-2")]
    position = next(doc_graph.subjects(CKG.sourcePassage, URIRef(ID + "doc/UNODC-CCPCJ-EG.4-2019-2/para/10/item/a")))
    doc_graph.remove((position, CKG.holder, None))
    bad = tmp_path / "bad.ttl"
    write_dataset(broken, bad)
    text = cyberkg("validate", str(bad))
    assert text.returncode == 1
    assert "Violation Position: 1" in text.stdout
    assert "(from UNODC/CCPCJ/EG.4/2019/2, para. 10 (a))" in text.stdout
    as_json = json.loads(cyberkg("validate", str(bad), "--format", "json").stdout)
    assert as_json["conforms"] is False and as_json["violations"] == 1
    (finding,) = [f for f in as_json["findings"] if f["severity"] == "Violation"]
    assert finding["path"] == "ckg:holder" and finding["source"].startswith("UNODC/CCPCJ/EG.4/2019/2, para.")
    report = Graph().parse(data=cyberkg("validate", str(bad), "--format", "ttl").stdout, format="turtle")
    assert (None, SH.conforms, Literal(False)) in report


def test_malformed_graph_file_is_one_line_with_file_and_line(tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix ckg: <https://w3id.org/cyberkg/ontology#> .\n<a> ckg:holder <b> ;\n  ckg:stance .\n")
    result = cyberkg("validate", str(bad))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"cyberkg: error: {bad}:3: not valid Turtle: . is not a valid RDF object (line 3 column 14)"
    ]
    missing = cyberkg("validate", str(tmp_path / "none.trig"))
    assert missing.returncode == 2 and "no such graph file" in missing.stderr


def test_build_refuses_to_write_a_graph_with_violations(tmp_path, monkeypatch, capsys):
    from kg import cli
    from kg import validate as validation

    strict = load_shapes()
    strict.parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ckg: <https://w3id.org/cyberkg/ontology#> .
        <urn:test:NoPositions> a sh:NodeShape ; sh:targetClass ckg:Position ;
            sh:property [ sh:path ckg:holder ; sh:maxCount 0 ; sh:message "positions are forbidden in this test" ] .
    """,
        format="turtle",
    )
    monkeypatch.setattr(validation, "load_shapes", lambda folder=None: strict)
    output = tmp_path / "graph.trig"
    with pytest.raises(SystemExit) as exit_:
        cli.main(["build", "-q", "-o", str(output)])
    assert exit_.value.code == 1
    assert not output.exists()
    assert "SHACL violation(s)" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        cli.main(["build", "-q", "--no-validate", "-o", str(output)])
    assert exit_.value.code == 0 and output.exists()


def test_the_shapes_require_the_datatype_the_ontology_leaves_to_them(shapes):
    """The date properties have the OWL range rdfs:Literal (xsd:date and xsd:gYear are not
    in the OWL 2 datatype map): their datatype is the shapes' to enforce, and they do."""
    vocabulary = load_ontology()
    dated = sorted(vocabulary.subjects(RDFS.range, RDFS.Literal))
    assert len(dated) == 9
    assert set(shape_datatypes(shapes)) >= set(dated)
    graph = example()
    graph.add((MEETING, CKG.year, Literal("2019", datatype=XSD.gYear)))  # the only one the example lacks
    for prop in dated:
        values = list(graph.subject_objects(prop))
        assert values, prop
        for node, value in values:
            graph.set((node, prop, Literal(f"{value} (untyped)")))
    report = validate(graph, shapes)
    caught = {f.path for f in report.violations if f.value.endswith(" (untyped)")}
    assert caught == {"ckg:" + str(p).rsplit("#", 1)[1] for p in dated}
