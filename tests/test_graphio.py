"""The statements layer: pyoxigraph terms in Statements sets, their rdflib views, the
sorted deterministic writer, and reading files with pyoxigraph."""

from __future__ import annotations

import pyoxigraph
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, XSD

from commands import cyberkg
from kg.errors import CyberkgError
from kg.graphio import parse_into, read_statements, serialize_dataset
from kg.query.engines import LocalEngine
from kg.rdf import BLANK_GROUP_LIMIT, Canonical, Statements, Terms, to_oxigraph, to_rdflib

TURTLE, NT, TRIG, NQ = (
    pyoxigraph.RdfFormat.TURTLE,
    pyoxigraph.RdfFormat.N_TRIPLES,
    pyoxigraph.RdfFormat.TRIG,
    pyoxigraph.RdfFormat.N_QUADS,
)

EX = "http://example.org/"


def node(name: str) -> pyoxigraph.NamedNode:
    return pyoxigraph.NamedNode(EX + name)


def test_terms_round_trip_between_rdflib_and_pyoxigraph():
    terms = [
        URIRef(EX + "a"),
        Literal("plain"),
        Literal("mot", lang="fr"),
        Literal(3),
        Literal("2020-01-02", datatype=XSD.date),
        Literal("x", datatype=URIRef(EX + "custom")),
    ]
    for term in terms:
        back = to_rdflib(to_oxigraph(term))
        assert back == term and type(back) is type(term), term
    assert to_rdflib(pyoxigraph.Literal("plain")).datatype is None  # xsd:string written as rdflib writes plain literals
    assert isinstance(to_rdflib(pyoxigraph.BlankNode("b1")), BNode)


def test_terms_are_made_once_and_reserved_names_work():
    ns = Terms(EX)
    assert ns.label is ns.label and ns["index"] == node("index")


def test_statements_is_a_set_in_insertion_order_with_an_rdflib_view():
    statements = Statements()
    statements.add((node("b"), node("p"), pyoxigraph.Literal("1")))
    statements.add(pyoxigraph.Triple(node("a"), node("p"), pyoxigraph.Literal("x", language="en")))
    statements.add((node("b"), node("p"), pyoxigraph.Literal("1")))  # again
    assert len(statements) == 2
    assert (node("a"), node("p"), pyoxigraph.Literal("x", language="en")) in statements
    assert [t.subject for t in statements] == [node("b"), node("a")]
    expected = Graph()
    expected.add((URIRef(EX + "b"), URIRef(EX + "p"), Literal("1")))
    expected.add((URIRef(EX + "a"), URIRef(EX + "p"), Literal("x", lang="en")))
    assert isomorphic(statements.rdflib_graph(), expected)
    assert not statements.has_blank_nodes()
    statements.add((pyoxigraph.BlankNode("z"), node("p"), node("a")))
    assert statements.has_blank_nodes()


def test_writer_order_type_first_prefix_first_duplicates_once():
    statements = Statements(
        [
            pyoxigraph.Triple(node("doc/para/1"), node("label"), pyoxigraph.Literal("one")),
            pyoxigraph.Triple(node("doc"), node("label"), pyoxigraph.Literal("the document")),
            pyoxigraph.Triple(node("doc"), pyoxigraph.NamedNode(str(RDF.type)), node("Document")),
            pyoxigraph.Triple(node("doc"), node("aardvark"), pyoxigraph.Literal("a")),
        ]
    )
    text = serialize_dataset({None: statements}, TURTLE).decode()
    body = [line.strip() for line in text.splitlines() if line and not line.startswith("@prefix")]
    # the document before its paragraph (an IRI before the longer IRIs it starts), rdf:type first
    assert body[0].startswith("<http://example.org/doc> a <http://example.org/Document>"), body
    assert body[1].startswith("<http://example.org/aardvark>"), body
    assert any(line.startswith("<http://example.org/doc/para/1>") for line in body[3:]), body
    # the same statements given in another order, or twice over two graphs, give the same bytes
    again = Statements(reversed(list(statements)))
    assert serialize_dataset({None: again}, TURTLE) == text.encode()
    union = Canonical({URIRef(EX + "g1"): statements, URIRef(EX + "g2"): again}).union
    assert len(union) == 4


def test_rdflib_graphs_and_statements_write_the_same_bytes():
    graph = Graph()
    graph.add((URIRef(EX + "s"), RDFS.label, Literal('é "quoted"\nnew line', lang="fr")))
    graph.add((URIRef(EX + "s"), URIRef(EX + "n"), Literal(7)))
    statements = Statements(pyoxigraph.Triple(*(to_oxigraph(t) for t in triple)) for triple in graph)
    for fmt in (TURTLE, NT, TRIG, NQ):
        assert serialize_dataset({URIRef(EX + "g"): graph}, fmt) == serialize_dataset(
            {URIRef(EX + "g"): statements}, fmt
        ), fmt


def test_read_statements_keeps_named_graphs_and_resolves_relative_iris(tmp_path):
    path = tmp_path / "data.trig"
    path.write_text(
        '<http://example.org/g> { <http://example.org/s> <http://example.org/p> "o" . }\n<rel> <http://example.org/p> 1 .\n'
    )
    graphs = read_statements(path)
    assert set(graphs) == {node("g"), None}
    assert len(graphs[node("g")]) == 1
    ((subject, _, _),) = list(graphs[None])
    assert subject.value == (tmp_path / "rel").resolve().as_uri()


def test_read_statements_errors_are_one_line_with_file_and_line(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n<http://example.org/s> <http://example.org/p> .\n"
    )
    with pytest.raises(CyberkgError) as caught:
        read_statements(bad)
    message = str(caught.value)
    assert message.startswith(f"{bad}:2: not valid Turtle: ") and "\n" not in message
    with pytest.raises(CyberkgError, match="no such file"):
        read_statements(tmp_path / "absent.ttl")


def test_blank_nodes_are_labelled_canonically_whatever_labels_they_came_with():
    """The same graph with other blank node labels (and in another order) writes the same
    bytes: an OWL union class and an RDF list, as the vocabulary has them."""

    def union_of(first: str, rest: str, expression: str) -> Statements:
        b = pyoxigraph.BlankNode
        rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
        return Statements(
            [
                pyoxigraph.Triple(node("p"), node("domain"), b(expression)),
                pyoxigraph.Triple(b(expression), node("unionOf"), b(first)),
                pyoxigraph.Triple(b(first), pyoxigraph.NamedNode(rdf + "first"), node("A")),
                pyoxigraph.Triple(b(first), pyoxigraph.NamedNode(rdf + "rest"), b(rest)),
                pyoxigraph.Triple(b(rest), pyoxigraph.NamedNode(rdf + "first"), node("B")),
                pyoxigraph.Triple(b(rest), pyoxigraph.NamedNode(rdf + "rest"), pyoxigraph.NamedNode(rdf + "nil")),
            ]
        )

    one, other = union_of("l1", "l2", "u"), union_of("zz", "yy", "xx")
    other = Statements(reversed(list(other)))
    for fmt in (TURTLE, NT, TRIG):
        assert serialize_dataset({None: one}, fmt) == serialize_dataset({None: other}, fmt)
    labels = {t.subject.value for t in Canonical(one).union if isinstance(t.subject, pyoxigraph.BlankNode)}
    assert labels and not labels & {"l1", "l2", "u"}


RDF_NEXT = pyoxigraph.NamedNode("http://example.org/next")

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
 <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
 <rdf:Description rdf:about="http://example.org/s"><ex:p>&i;</ex:p></rdf:Description>
</rdf:RDF>
"""


@pytest.mark.parametrize(
    "declaration, kind",
    [
        ('<!ENTITY b "&a;&a;">', "an entity made of other entities"),
        ('<!ENTITY x SYSTEM "file:///etc/passwd">', "an external entity"),
        ('<!ENTITY % p "x">', "a parameter entity"),
    ],
)
def test_rdfxml_entities_that_can_expand_without_bound_are_refused(tmp_path, declaration, kind):
    path = tmp_path / "bad.rdf"
    path.write_text(
        LAUGHS
        if "&a;&a;" in declaration
        else LAUGHS.replace('<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">', declaration)
    )
    for read in (read_statements, lambda p: parse_into(Graph(), p), LocalEngine):
        with pytest.raises(CyberkgError) as caught:
            read(path)
        assert str(caught.value).startswith(f"{path}:") and kind in str(caught.value)


def test_rdfxml_with_plain_entities_for_namespaces_is_read(tmp_path):
    path = tmp_path / "owl.rdf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n <!ENTITY ex "http://example.org/" >\n]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
        ' <rdf:Description rdf:about="&ex;s"><ex:p>v</ex:p></rdf:Description>\n</rdf:RDF>\n'
    )
    [(_, statements)] = read_statements(path).items()
    assert [str(t.subject) for t in statements] == ["<http://example.org/s>"]


def test_a_graph_of_many_linked_blank_nodes_is_exported_at_once_and_the_same_twice(tmp_path):
    """Canonical labelling grows steeply with linked blank nodes (a cycle of 300 took over
    a minute): past BLANK_GROUP_LIMIT of them, labels follow their first appearance, so the
    export still ends at once with the same bytes for the same input."""
    cycle = tmp_path / "cycle.ttl"
    cycle.write_text("".join(f"_:n{i} <http://example.org/next> _:n{(i + 1) % 1000} .\n" for i in range(1000)))
    outputs = []
    for run in ("a", "b"):
        out = tmp_path / run / "cycle.nt"
        done = cyberkg("export", "--graph", str(cycle), "-o", str(out), timeout=60)
        assert done.returncode == 0, done.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] and outputs[0].count(b"\n") >= 1000
    # a small group is still labelled canonically: other labels, other order, same lines
    small = [(f"_:x{i}", f"_:x{i + 1}") for i in range(BLANK_GROUP_LIMIT - 1)]
    first = Statements(
        pyoxigraph.Triple(pyoxigraph.BlankNode(a[2:]), RDF_NEXT, pyoxigraph.BlankNode(b[2:])) for a, b in small
    )
    second = Statements(
        pyoxigraph.Triple(pyoxigraph.BlankNode("y" + a[3:]), RDF_NEXT, pyoxigraph.BlankNode("y" + b[3:]))
        for a, b in reversed(small)
    )
    assert Canonical(first).graphs == Canonical(second).graphs
