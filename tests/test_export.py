"""Exports for portals: every format reads back to the same graph with two parsers, the
JSON-LD expands with the shipped context, output is byte-identical across processes,
and the dataset description's counts match the graph."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys

import pyoxigraph
import pytest
from pyld import jsonld
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, VOID

from kg.builder import build
from kg.export import context, generated_context, with_description
from kg.export.description import describe_dataset
from kg.graphio import read_statements, write_dataset
from kg.namespaces import CKG, PREFIXES

ID = "https://w3id.org/cyberkg/id/"
KNOWN = tuple(str(n) for n in PREFIXES.values()) + (
    ID,
    "https://w3id.org/cyberkg/",
    "http://www.wikidata.org/",
    "https://creativecommons.org/",
    "http://www.w3.org/",
    "http://purl.org/dc/",
)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    graph = folder / "cyberkg.trig"
    write_dataset(build().graphs, graph)
    files = {}
    for fmt, suffix in (
        ("ttl", ".ttl"),
        ("nt", ".nt"),
        ("nq", ".nq"),
        ("trig", ".trig"),
        ("jsonld", ".jsonld"),
        ("rdfxml", ".rdf"),
    ):
        out = folder / f"export{suffix}"
        result = subprocess.run(
            [sys.executable, "-m", "kg", "export", "--graph", str(graph), "-o", str(out)],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        files[fmt] = out
    return graph, files


@pytest.fixture(scope="module")
def expected(exported) -> Graph:
    """The built graph plus its description: what every export must hold."""
    graphs = read_statements(exported[0])
    union = Graph()
    for g in with_description(graphs, describe_dataset(graphs, ID, None, ["x"]), ID).values():
        union += g.rdflib_graph()
    return union


def _without_distribution_names(graph: Graph) -> Graph:
    out = Graph()
    for s, p, o in graph:
        if "/dataset/distribution/" not in str(s) and "/dataset/distribution/" not in str(o):
            out.add((s, p, o))
    return out


@pytest.mark.parametrize(
    "fmt, parser", [("ttl", "turtle"), ("nt", "nt"), ("nq", "nquads"), ("trig", "trig"), ("rdfxml", "xml")]
)
def test_each_format_reads_back_to_the_same_graph(exported, expected, read_back, fmt, parser):
    back = read_back(exported[1][fmt], parser)
    assert isomorphic(_without_distribution_names(back), _without_distribution_names(expected))


@pytest.mark.parametrize(
    "fmt, ox_format", [("ttl", pyoxigraph.RdfFormat.TURTLE), ("nt", pyoxigraph.RdfFormat.N_TRIPLES)]
)
def test_a_second_parser_reads_the_same_number_of_statements(exported, fmt, ox_format):
    store = pyoxigraph.Store()
    store.load(path=str(exported[1][fmt]), format=ox_format)
    assert len(store) == len(Graph().parse(exported[1][fmt]))


def test_trig_keeps_one_named_graph_per_source_and_for_reference_vocabulary_and_description(exported):
    dataset = Dataset()
    dataset.parse(exported[1]["trig"], format="trig")
    names = sorted(str(g.identifier) for g in dataset.graphs() if len(g))
    assert names == sorted(
        [
            ID + "graph/doc/UNODC-CCPCJ-EG.4-2019-2",
            ID + "graph/doc/expert-group-on-cybercrime-meeting-6-draft-report-addendum",
            ID + "graph/reference",
            ID + "graph/description",
            "https://w3id.org/cyberkg/ontology",
        ]
    )


def test_nt_and_nq_are_sorted(exported):
    for fmt in ("nt", "nq"):
        lines = exported[1][fmt].read_text(encoding="utf-8").splitlines()
        assert lines == sorted(lines) and len(lines) > 10000


def test_jsonld_expands_with_its_embedded_context_to_the_same_triples(exported, expected):
    def loader(url, options=None):
        raise AssertionError(f"fetched {url}")  # the context is in the file: nothing is fetched

    document = json.loads(exported[1]["jsonld"].read_text(encoding="utf-8"))
    assert document["@context"][0] == context()["@context"]
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": loader})
    back = Graph().parse(data=nquads, format="nt")
    assert isomorphic(_without_distribution_names(back), _without_distribution_names(expected))


def test_jsonld_uses_short_keys_for_the_main_terms(exported):
    document = json.loads(exported[1]["jsonld"].read_text(encoding="utf-8"))
    position = next(n for n in document["@graph"] if n.get("type") == "Position")
    assert {"holder", "stance", "quote", "sourcePassage", "sourceSentence", "inDocument"} <= set(position)
    assert position["stance"].startswith("scheme:stance/")
    viet_nam = next(n for n in document["@graph"] if n["id"] == "state/VNM")
    assert viet_nam["iso3"] == "VNM" and viet_nam["sameAs"] == "wd:Q881"


def test_the_shipped_context_is_the_one_the_vocabulary_defines():
    assert context() == generated_context()


def test_two_exports_in_separate_processes_are_identical(exported, tmp_path):
    graph, files = exported
    for fmt in ("ttl", "jsonld", "nq", "rdfxml"):
        again = tmp_path / fmt / files[fmt].name
        env = {**os.environ, "PYTHONHASHSEED": "12345"}
        subprocess.run(
            [sys.executable, "-m", "kg", "export", "--graph", str(graph), "-o", str(again)],
            check=True,
            env=env,
            capture_output=True,
        )
        assert hashlib.sha256(again.read_bytes()).hexdigest() == hashlib.sha256(files[fmt].read_bytes()).hexdigest(), (
            fmt
        )


def test_void_counts_are_those_of_the_graph(exported):
    void = Graph().parse(exported[1]["ttl"].with_name("export.void.ttl"))
    store = pyoxigraph.Store()
    store.load(path=str(exported[1]["nq"]), format=pyoxigraph.RdfFormat.N_QUADS)
    described = int(void.value(URIRef(ID + "dataset"), VOID.triples))
    counted = next(
        iter(
            store.query(
                "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
                "FILTER (?g != <%sgraph/description>) } }" % ID
            )
        )
    )["n"]
    assert described == int(counted.value)
    for partition in void.objects(URIRef(ID + "dataset"), VOID.classPartition):
        cls = void.value(partition, VOID["class"])
        entities = int(void.value(partition, VOID.entities))
        answer = next(
            iter(
                store.query(
                    f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a <{cls}> }} FILTER (?g != <{ID}graph/description>) }}"
                )
            )
        )
        assert entities == int(answer["n"].value), cls
    linkset = URIRef(ID + "dataset/linkset/wikidata")
    assert int(void.value(linkset, VOID.triples)) == 195 + 1  # the States and the Budapest Convention
    assert str(void.value(URIRef(ID + "source/budapest-convention-ets185"), CKG.coverage)).endswith("/partial")


def test_every_iri_is_absolute_and_known_and_wikidata_links_are_entities(exported):
    graph = Graph().parse(exported[1]["nt"])
    for term in {t for triple in graph for t in triple if isinstance(t, URIRef)}:
        text = str(term)
        assert re.match(r"^[a-z][a-z0-9+.-]*:", text), text
        assert text.startswith(KNOWN) or text.startswith(("https://www.", "http://www.", "https://", "http://")), text
    data_nodes = {
        str(s)
        for s in graph.subjects()
        if isinstance(s, URIRef) and not str(s).startswith(tuple(str(n) for n in PREFIXES.values()))
    }
    assert all(s.startswith((ID, "https://w3id.org/cyberkg/", "http://www.wikidata.org/")) for s in data_nodes), sorted(
        s for s in data_nodes if not s.startswith(ID)
    )[:5]
    links = [str(o) for o in graph.objects(None, OWL.sameAs)]
    assert links and all(re.fullmatch(r"http://www\.wikidata\.org/entity/Q[1-9]\d*", link) for link in links)


def test_export_refuses_a_missing_graph_in_one_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "kg", "export", "--graph", str(tmp_path / "none.trig"), "-o", str(tmp_path / "x.ttl")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.ttl").exists()


def test_vocabulary_dir_holds_what_a_portal_serves(exported, tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kg",
            "export",
            "--graph",
            str(exported[0]),
            "-o",
            str(tmp_path / "g.ttl"),
            "--vocabulary-dir",
            str(tmp_path / "ontology"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    names = {p.relative_to(tmp_path / "ontology").as_posix() for p in (tmp_path / "ontology").rglob("*") if p.is_file()}
    assert {"cyberkg.ttl", "schemes.ttl", "topics.ttl", "context.jsonld", "shapes/positions.ttl"} <= names


def test_format_all_writes_every_format_from_one_conversion(exported, tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kg",
            "export",
            "--graph",
            str(exported[0]),
            "--format",
            "all",
            "-o",
            str(tmp_path / "site"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "site").iterdir())
    assert names == sorted(
        ["cyberkg.ttl", "cyberkg.nt", "cyberkg.nq", "cyberkg.trig", "cyberkg.jsonld", "cyberkg.rdf", "cyberkg.void.ttl"]
    )
    # the single-format export of the same graph gives the same Turtle, but for the distribution list
    single = Graph().parse(exported[1]["ttl"])
    together = Graph().parse(tmp_path / "site" / "cyberkg.ttl")
    assert isomorphic(_without_distribution_names(single), _without_distribution_names(together))


def test_example_resources_are_found_in_the_data_not_named_in_advance():
    from rdflib.namespace import RDF, RDFS

    from kg.export.description import EXAMPLE_CLASSES

    base = "https://example.org/id/"
    bare, full = URIRef(base + "doc/A-1"), URIRef(base + "doc/Z-9")
    graph = Graph()
    graph.add((bare, RDF.type, CKG.Document))
    graph.add((full, RDF.type, CKG.Document))
    graph.add((full, RDFS.label, Literal("a report of another committee")))
    void = describe_dataset({URIRef(base + "graph/doc/Z-9"): graph}, base).rdflib_graph()
    assert set(void.objects(None, VOID.exampleResource)) == {full}  # the fuller one, and no class without instances

    sample = build()
    union = Graph()
    for g in sample.graphs.values():
        union += g.rdflib_graph()
    examples = set(describe_dataset(sample.graphs, sample.base).rdflib_graph().objects(None, VOID.exampleResource))
    assert len(examples) == len(EXAMPLE_CLASSES)
    assert all(any((e, RDF.type, cls) in union for e in examples) for cls in EXAMPLE_CLASSES)
