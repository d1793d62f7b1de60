"""Building the graph from the samples: provenance of every extracted statement,
consistency with the vocabulary, stable IRIs and byte-identical output, formats read
back, and bad input refused without a half-written file."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from kg.builder import build
from kg.namespaces import CKG
from kg.ontology import Vocabulary, load_ontology
from kg.rdf import Canonical, Statements

ID = "https://w3id.org/cyberkg/id/"


@pytest.fixture(scope="module")
def result():
    return build()


@pytest.fixture(scope="module")
def union(result) -> Graph:
    graph = Graph()
    for g in result.graphs.values():
        graph += g.rdflib_graph()
    return graph


def test_one_named_graph_per_document_plus_reference_and_vocabulary(result):
    names = sorted(n.value for n in result.graphs)
    assert names == sorted(
        [
            "https://w3id.org/cyberkg/ontology",
            ID + "graph/reference",
            ID + "graph/doc/UNODC-CCPCJ-EG.4-2019-2",
            ID + "graph/doc/expert-group-on-cybercrime-meeting-6-draft-report-addendum",
        ]
    )


def test_graph_is_consistent_with_the_vocabulary(union):
    assert Vocabulary(load_ontology()).check_instances(union) == []


def test_every_extracted_node_names_its_document_and_passages_exist(result, union):
    for name, statements in result.graphs.items():
        if "graph/doc/" not in name.value:
            continue
        graph = statements.rdflib_graph()
        for cls in (
            CKG.Section,
            CKG.Paragraph,
            CKG.Recommendation,
            CKG.RecommendationPart,
            CKG.Sentence,
            CKG.Position,
            CKG.Participation,
            CKG.AnonymousCollective,
            CKG.AttendanceRecord,
        ):
            for node in graph.subjects(RDF.type, cls):
                document = graph.value(node, CKG.inDocument)
                assert document is not None and (document, RDF.type, CKG.Document) in graph, node


def test_every_position_traces_to_an_existing_sentence_of_its_passage(union):
    positions = list(union.subjects(RDF.type, CKG.Position))
    assert len(positions) > 30
    for position in positions:
        sentence = union.value(position, CKG.sourceSentence)
        passage = union.value(position, CKG.sourcePassage)
        assert (sentence, RDF.type, CKG.Sentence) in union
        assert union.value(sentence, URIRef("http://purl.org/dc/terms/isPartOf")) == passage
        assert str(union.value(position, CKG.quote)) == str(union.value(sentence, CKG.text))
        assert str(union.value(sentence, CKG.text)) in str(union.value(passage, CKG.text))
        assert (union.value(position, CKG.target) is None) != (union.value(position, CKG.onTopic) is None)


def test_iris_are_readable_and_built_from_symbols_and_markers(union):
    doc = URIRef(ID + "doc/UNODC-CCPCJ-EG.4-2019-2")
    item = URIRef(ID + "doc/UNODC-CCPCJ-EG.4-2019-2/para/10/item/b")
    assert (item, RDF.type, CKG.Recommendation) in union
    assert union.value(item, CKG.inParagraph) == URIRef(ID + "doc/UNODC-CCPCJ-EG.4-2019-2/para/10")
    assert (URIRef(ID + "doc/UNODC-CCPCJ-EG.4-2019-2/para/11/item/o/xvi"), RDF.type, CKG.RecommendationPart) in union
    assert (
        URIRef(ID + "doc/UNODC-CCPCJ-EG.4-2019-2/collective/other-member-states"),
        RDF.type,
        CKG.AnonymousCollective,
    ) in union
    assert union.value(doc, CKG.meeting) == URIRef(ID + "meeting/expert-group-on-cybercrime/meeting-5")


def test_the_other_member_states_of_10b_oppose_a_new_instrument_with_their_quote(union):
    query = """
    PREFIX ckg: <https://w3id.org/cyberkg/ontology#>
    SELECT ?stance ?target ?quote WHERE {
      ?p a ckg:Position ; ckg:holder <%sdoc/UNODC-CCPCJ-EG.4-2019-2/collective/other-member-states> ;
         ckg:stance ?stance ; ckg:target ?target ; ckg:quote ?quote ;
         ckg:sourcePassage <%sdoc/UNODC-CCPCJ-EG.4-2019-2/para/10/item/b> .
    }""" % (ID, ID)
    rows = {
        (str(r.stance).rsplit("/", 1)[-1], str(r.target).rsplit("/", 1)[-1]): str(r.quote) for r in union.query(query)
    }
    assert set(rows) == {("opposes", "new-global-instrument-on-cybercrime"), ("supports", "budapest-convention")}
    assert rows[("supports", "budapest-convention")].startswith(
        "However, other Member States suggested that it was not necessary"
    )


def run_build(output: Path, *args: str, validate: bool = False) -> subprocess.CompletedProcess:
    checks = [] if validate else ["--no-validate"]  # validation has its own tests (test_shapes.py)
    return subprocess.run(
        [sys.executable, "-m", "kg", "build", "-q", *checks, "-o", str(output), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONHASHSEED": "random"},
    )


def test_two_builds_in_separate_processes_give_identical_bytes(tmp_path):
    digests = []
    for run in ("one", "two"):
        output = tmp_path / run / "graph.trig"
        result = run_build(output)
        assert result.returncode == 0, result.stderr
        digests.append(hashlib.sha256(output.read_bytes()).hexdigest())
    assert digests[0] == digests[1]


@pytest.mark.parametrize(
    "suffix, rdflib_format, ox_format",
    [
        (".ttl", "turtle", pyoxigraph.RdfFormat.TURTLE),
        (".nt", "nt", pyoxigraph.RdfFormat.N_TRIPLES),
        (".nq", "nquads", pyoxigraph.RdfFormat.N_QUADS),
        (".trig", "trig", pyoxigraph.RdfFormat.TRIG),
        (".jsonld", "json-ld", pyoxigraph.RdfFormat.JSON_LD),
    ],
)
def test_every_output_format_reads_back_to_the_same_graph(tmp_path, read_back, union, suffix, rdflib_format, ox_format):
    output = tmp_path / f"graph{suffix}"
    assert run_build(output).returncode == 0
    assert isomorphic(read_back(output, rdflib_format), union)
    store = pyoxigraph.Store()
    store.load(path=str(output), format=ox_format)
    assert len({(q.subject, q.predicate, q.object) for q in store}) == len(union)


def test_build_report_lists_counts_warnings_and_validation(tmp_path):
    output = tmp_path / "graph.trig"
    assert run_build(output, validate=True).returncode == 0
    report = json.loads((tmp_path / "graph.report.json").read_text())
    assert report["graph"] == "graph.trig"  # by name: the same bytes wherever the output folder is
    assert report["validation"]["conforms"] is True and report["validation"]["violations"] == 0
    assert [Path(d["file"]).name for d in report["documents"]] == [
        "000_b95f14e4626b4bb8.txt",
        "002_0b2aa91680a90bc9.txt",
    ]
    assert report["documents"][0]["counts"]["recommendations"] == 49
    assert any("Germany" in w for w in report["reference_warnings"])


def test_the_library_pipeline_writes_what_the_command_writes(tmp_path):
    """kg.pipeline.build_graph_file is the whole job: the CLI only prints what it returns,
    so the command's graph and report are the library's, byte for byte."""
    from kg.pipeline import build_graph_file

    seen = []
    outcome = build_graph_file(None, tmp_path / "lib" / "graph.trig", on_document=lambda p, n: seen.append((p.name, n)))
    assert outcome.written and outcome.validation is not None and outcome.validation.conforms
    assert [n for _, n in seen] == [2, 2] and not outcome.rejected
    assert set(outcome.timings) == {"reference data", "documents", "validation", "writing"}
    assert run_build(tmp_path / "cli" / "graph.trig", validate=True).returncode == 0
    for name in ("graph.trig", "graph.report.json"):
        library, command = (tmp_path / "lib" / name).read_bytes(), (tmp_path / "cli" / name).read_bytes()
        if name.endswith(".json"):  # the report names the file it describes
            library = library.replace(b"/lib/", b"/cli/")
        assert library == command, name


def test_bad_input_leaves_no_file_and_says_why_in_one_line(tmp_path):
    good = tmp_path / "graph.ttl"
    assert run_build(good).returncode == 0
    before = good.read_bytes()
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"%PDF-1.4\x00\x01")
    result = run_build(good, str(binary))
    assert result.returncode == 1
    assert result.stderr.strip().startswith(f"cyberkg: error: {binary}:1: binary file, expected a plain-text report")
    assert len(result.stderr.strip().splitlines()) == 1
    assert good.read_bytes() == before  # the previous graph is untouched
    missing = run_build(tmp_path / "other.ttl", str(tmp_path / "absent"))
    assert missing.returncode == 2 and "absent: no such file or folder" in missing.stderr
    assert not (tmp_path / "other.ttl").exists()
    assert not list(tmp_path.glob(".*.part"))


@pytest.mark.parametrize("kind", ["dangling", "loop"])
def test_a_link_to_nothing_in_a_folder_is_named_not_skipped(root, tmp_path, kind):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_bytes((root / "corpus" / "000_b95f14e4626b4bb8.txt").read_bytes())
    link = folder / "b.txt"
    link.symlink_to(folder / "gone.txt" if kind == "dangling" else link)
    result = run_build(tmp_path / "out.ttl", str(folder))
    assert result.returncode == 2 and not (tmp_path / "out.ttl").exists()
    assert result.stderr.strip() == (
        f"cyberkg: error: {link}: a link to nothing (its target is missing, or it points back at itself); "
        "remove it or point it at a report"
    )


def test_an_unreadable_report_is_one_line(tmp_path, monkeypatch):
    """(chmod 000 does not stop root, who runs CI here: the read itself is made to fail.)"""
    from kg.errors import CyberkgError
    from kg.read import read_text

    report = tmp_path / "r.txt"
    report.write_text("1. Text.\n")

    def refuse(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(CyberkgError) as caught:
        read_text(report)
    assert str(caught.value) == f"{report}: cannot be read (Permission denied)"


def test_random_prose_builds_with_a_warning(tmp_path):
    prose = tmp_path / "prose.txt"
    prose.write_text("The weather was fine and the cats slept all afternoon. Nobody spoke about treaties.\n")
    result = run_build(tmp_path / "prose.ttl", str(prose))
    assert result.returncode == 0
    assert "prose.txt: no numbered paragraphs, list items or text passages found" in result.stderr


def test_extract_reports_a_skipped_list_marker_and_an_unknown_speaker(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(
        "Report on the meeting of the Expert Group to Conduct a Comprehensive Study on Cybercrime held in Vienna from 6 to 8 April 2021\n\n"
        "I. Recommendations\n\n1. Member States suggested the following recommendations:\n\n(a) First.\n\n(b) Second.\n\n(d) Fourth.\n\n"
        "II. Statements\n\n2. Statements were made by experts from the following Member States: Chile, Republic of Freedonia and Peru.\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "kg", "extract", str(report), "--format", "json"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert [r["marker"] for r in found["recommendations"]] == ["a", "b", "d"]
    assert [s["actor"] for s in found["statements"]] == ["CHL", "PER"]
    assert any("r.txt:11: list marker (d) after (b)" in w for w in found["warnings"])
    assert any(
        "r.txt:15: statements list: 'Republic of Freedonia' matches no known State" in w for w in found["warnings"]
    )
    assert found["metadata"]["meeting"].endswith("meeting/expert-group-on-cybercrime/meeting-7")


def test_the_canonical_form_holds_every_statement_once_in_sorted_graphs(result):
    canonical = Canonical(result.graphs)
    assert [name for name, _ in canonical.graphs] == sorted(n.value for n in result.graphs)
    assert sum(len(triples) for _, triples in canonical.graphs) == result.statements
    reordered = {name: Statements(reversed(list(g))) for name, g in reversed(list(result.graphs.items()))}
    assert Canonical(reordered).graphs == canonical.graphs
