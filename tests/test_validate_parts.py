"""Validation by parts (kg.validate.parts, reach, cache): the same findings as one pyshacl
run over the union, on the sample graph, on the synthetic corpus and on mutations that
cross named graphs; the cache reruns only what changed."""

from __future__ import annotations

import os
import re

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from commands import cyberkg
from graphs import rdflib_graphs
from kg.builder import build
from kg.namespaces import CKG
from kg.validate import load_shapes, validate
from kg.validate.cache import Cache
from kg.validate.reach import split_shapes

ID = "https://w3id.org/cyberkg/id/"
CKS = "https://w3id.org/cyberkg/shapes#"
EG_2019 = URIRef(ID + "graph/doc/UNODC-CCPCJ-EG.4-2019-2")
REFERENCE = URIRef(ID + "graph/reference")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


@pytest.fixture(scope="module")
def built():
    return build()


def both(graphs, shapes, **options):
    whole = validate(graphs, shapes, split=False)
    parts = validate(graphs, shapes, cache=False, **options)
    return whole, parts


def describe(findings) -> list[str]:
    return [f"{f.severity} {f.shape}: {f.focus_label}: {f.message}" for f in findings]


# -- which shapes reach past their focus node --------------------------------------------------


def test_the_bundled_shapes_that_reach_further_are_the_sparql_and_inverse_path_ones(shapes):
    split = split_shapes(shapes)
    assert {str(s).removeprefix(CKS) for s in split.reaching} == {
        "ISOCodeUniqueShape",
        "SignatureBeforeRatificationShape",
        "VoteEventShape",
    }
    assert split.local and not split.local & split.reaching
    # each half carries its shapes' parts: labels, property shapes, prefix declarations
    assert (URIRef(CKS + "VoteEventShape"), RDFS.label, None) in split.reaching_graph
    assert (URIRef(CKS + "PositionShape"), SH.property, None) in split.local_graph
    assert (None, SH.declare, None) in split.reaching_graph


@pytest.mark.parametrize(
    "ttl, local",
    [
        ("ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:class ex:D ] .", True),
        (
            "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:or ( [ sh:class ex:D ] [ sh:datatype xsd:string ] ) ] .",
            True,
        ),
        ("ex:S sh:targetClass ex:C ; sh:closed true ; sh:not [ sh:class ex:D ] .", True),
        ("ex:S sh:targetClass ex:C ; sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:maxCount 1 ] .", False),
        ("ex:S sh:targetClass ex:C ; sh:property [ sh:path ( ex:p ex:q ) ; sh:minCount 1 ] .", False),
        (
            "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:node [ sh:property [ sh:path ex:q ; sh:minCount 1 ] ] ] .",
            False,
        ),
        (
            "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:D ] ; sh:qualifiedMinCount 1 ] .",
            False,
        ),
        ('ex:S sh:targetClass ex:C ; sh:sparql [ sh:select "SELECT $this WHERE { }" ] .', False),
        ("ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:node [ sh:closed true ] ] .", False),
    ],
)
def test_a_shape_is_local_only_when_it_reads_its_focus_node_and_the_classes_of_its_values(ttl, local):
    g = Graph().parse(
        data="@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> ."
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . " + ttl,
        format="turtle",
    )
    split = split_shapes(g)
    assert (URIRef("http://example.org/S") in split.local) == local


# -- the same findings as the union ------------------------------------------------------------


def test_the_sample_graph_gives_the_same_findings_by_parts(built, shapes):
    whole, parts = both(built.graphs, shapes, jobs=1)
    assert parts.findings == whole.findings
    assert parts.conforms and whole.conforms


def test_the_synthetic_corpus_gives_the_same_findings_by_parts_in_parallel(tmp_path, shapes):
    from synthetic import generate

    result = build(generate(6, seed=3, out_dir=tmp_path / "reports"))
    whole, parts = both(result.graphs, shapes, jobs=2)
    assert parts.findings == whole.findings


@pytest.mark.parametrize("batch", [1, None], ids=["a pass per graph", "small graphs in batches"])
def test_mutations_across_named_graphs_are_found_as_in_the_union(built, shapes, monkeypatch, batch):
    import kg.validate.parts as parts_module

    if batch is not None:
        monkeypatch.setattr(parts_module, "UNIT_BATCH", batch)
    graphs = rdflib_graphs(built)
    doc, reference = graphs[EG_2019], graphs[REFERENCE]
    other_name = sorted(n for n in graphs if n not in (EG_2019, REFERENCE) and "/doc/" in str(n))[0]
    other = graphs[other_name]
    # a person the 2019 report describes is given a second country in another report:
    # neither graph alone breaks the one-country rule, their union does
    person = next(doc.subjects(RDF.type, CKG.Person))
    country = doc.value(person, CKG.country)
    second = next(s for s in reference.subjects(RDF.type, CKG.MemberState) if s != country)
    other.add((person, RDF.type, CKG.Person))
    other.add((person, CKG.country, second))
    # a position's holder that is typed nowhere: sh:class needs the other graphs to know
    position = next(doc.subjects(RDF.type, CKG.Position))
    doc.set((position, CKG.holder, URIRef(ID + "state/XXX")))
    # a position whose target is typed only in another graph (as a Person, not an Instrument)
    other_position = sorted(set(doc.subjects(RDF.type, CKG.Position)) - {position})[0]
    doc.remove((other_position, CKG.onTopic, None))
    doc.set((other_position, CKG.target, person))
    # a State in the reference data that loses its M49 code
    state = next(reference.subjects(RDF.type, CKG.MemberState))
    reference.remove((state, CKG.m49, None))

    whole, parts = both(graphs, shapes, jobs=2)
    assert describe(parts.findings) == describe(whole.findings)
    assert parts.findings == whole.findings
    focus = {f.focus for f in parts.violations}
    assert {str(person), str(position), str(other_position), str(state)} <= focus, describe(parts.violations)


def test_a_single_graph_is_validated_whole(shapes):
    graph = Graph()
    node = URIRef(ID + "position/lonely")
    graph.add((node, RDF.type, CKG.Position))
    report = validate(graph, shapes, cache=False)
    assert not report.conforms
    assert {f.focus for f in report.violations} == {str(node)}


# -- the cache ---------------------------------------------------------------------------------


def test_a_second_run_is_answered_from_the_cache_and_a_change_reruns_only_its_graph(
    built, shapes, tmp_path, monkeypatch
):
    import kg.validate as validation

    ran = []
    real = validation._run_pass
    monkeypatch.setattr(validation, "_run_pass", lambda work: ran.append(work) or real(work))
    cache = Cache(tmp_path / "cache")
    graphs = rdflib_graphs(built)
    first = validate(graphs, shapes, cache=cache, jobs=1)
    passes = len(ran)
    assert passes >= 2  # the reference data alone, the reports (small graphs) in a batch
    ran.clear()
    again = validate(graphs, shapes, cache=cache, jobs=1)
    assert ran == [] and again.findings == first.findings

    paragraph = next(graphs[EG_2019].subjects(RDF.type, CKG.Paragraph))
    graphs[EG_2019].remove((paragraph, CKG.text, None))
    changed = validate(graphs, shapes, cache=cache, jobs=1)
    assert len(ran) == 1  # the batch that holds the 2019 report's graph; nothing it changed is shared
    assert any(f.focus == str(paragraph) and "text" in f.path for f in changed.violations)


def test_the_cache_keys_do_not_depend_on_the_order_of_graphs_or_statements(built, shapes, tmp_path):
    """The graphs as the builder made them, the same graphs in reverse order with their
    statements reversed, and the file the build writes, read back, hit the same cache
    entries (the vocabulary's blank nodes included)."""
    from kg.graphio import read_statements, write_dataset
    from kg.rdf import Statements

    cache = Cache(tmp_path / "cache")
    first = validate(built.graphs, shapes, cache=cache, jobs=1)
    assert first.checked == first.passes > 1
    reordered = {name: Statements(reversed(list(g))) for name, g in reversed(list(built.graphs.items()))}
    again = validate(reordered, shapes, cache=cache, jobs=1)
    assert again.checked == 0 and again.findings == first.findings
    write_dataset(built.graphs, tmp_path / "graph.trig")  # as `cyberkg validate` reads the file
    from_file = validate(read_statements(tmp_path / "graph.trig"), shapes, cache=cache, jobs=1)
    assert from_file.checked == 0 and from_file.findings == first.findings


def test_an_unreadable_cache_entry_counts_as_missing(tmp_path):
    cache = Cache(tmp_path)
    cache.put("ab" * 32, [["x"]])
    assert cache.get("ab" * 32) == [["x"]]
    path = tmp_path / "ab" / f"{'ab' * 32}.json"
    path.write_text("{not json", encoding="utf-8")
    assert cache.get("ab" * 32) is None
    assert cache.get("cd" * 32) is None


def test_the_cache_deletes_entries_unused_for_a_month_once_a_day(tmp_path):
    cache = Cache(tmp_path)
    day = 86400
    for key in ("ab" * 32, "cd" * 32, "ef" * 32):
        cache.put(key, [["x"]])
    now = os.path.getmtime(tmp_path / "ab" / f"{'ab' * 32}.json")
    old = now - 40 * day
    for key in ("cd" * 32, "ef" * 32):
        os.utime(tmp_path / key[:2] / f"{key}.json", (old, old))
    assert cache.get("ef" * 32) == [["x"]]  # read: used now, so kept
    assert cache.prune(now=now + 1) == 1
    assert cache.get("cd" * 32) is None and cache.get("ab" * 32) == cache.get("ef" * 32) == [["x"]]
    os.utime(tmp_path / "ab" / f"{'ab' * 32}.json", (old, old))
    assert cache.prune(now=now + 2) == 0  # pruned less than a day ago: not again
    assert cache.prune(now=now + 2 + day) == 1
    assert Cache(tmp_path / "absent").prune() == 0


def test_the_report_graph_holds_one_result_per_finding(built, shapes):
    graphs = rdflib_graphs(built)
    state = next(graphs[REFERENCE].subjects(RDF.type, CKG.MemberState))
    graphs[REFERENCE].remove((state, CKG.iso3, None))
    report = validate(graphs, shapes, cache=False, jobs=1)
    g = report.graph
    (node,) = g.subjects(RDF.type, SH.ValidationReport)
    assert g.value(node, SH.conforms) == Literal(False)
    results = list(g.objects(node, SH.result))
    assert len(results) == len(report.findings)
    assert all(isinstance(r, BNode) and (r, SH.focusNode, None) in g for r in results)
    assert URIRef(str(state)) in set(g.objects(None, SH.focusNode))


def test_a_rebuilt_graph_is_answered_from_the_cache_in_a_new_process(tmp_path):
    """The builder's vocabulary graph has blank nodes, labelled at random in each process:
    the cache keys must not depend on them (or `cyberkg build` would revalidate it all)."""
    import os
    import subprocess
    import sys

    script = (
        "from kg.builder import build; from kg.validate import validate; from kg.validate.cache import Cache; "
        "import sys; r = validate(build().graphs, cache=Cache(sys.argv[1]), jobs=1); print(r.checked, r.passes)"
    )
    env = dict(os.environ, PYTHONHASHSEED="random")
    runs = [
        subprocess.run(
            [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, env=env, check=True
        ).stdout.split()
        for _ in range(2)
    ]
    (first_checked, passes), (second_checked, again) = runs
    assert first_checked == passes == again and int(passes) > 2
    assert second_checked == "0"


def test_validating_the_file_a_build_wrote_is_answered_from_the_build_s_cache(tmp_path):
    env = dict(os.environ, CYBERKG_CACHE_DIR=str(tmp_path / "cache"))
    graph = tmp_path / "g.trig"
    assert cyberkg("build", "-o", str(graph), "-q", env=env).returncode == 0
    checked = cyberkg("validate", str(graph), env=env)
    assert checked.returncode == 0, checked.stderr
    parts, cached = map(
        int, re.search(r"checked in (\d+) parts, (\d+) of them from the cache", checked.stdout).groups()
    )
    assert parts == cached > 2
