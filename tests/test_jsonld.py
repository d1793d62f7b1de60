"""JSON-LD reads offline: the export embeds its context, so rdflib and pyld parse it with
no network (any attempt to fetch is an error here) to the triples of the Turtle export of
the same graph; --context-url writes the form that names a published context instead;
the same graph gives the same bytes."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest
from pyld import jsonld
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.plugins.shared.jsonld import context as rdflib_context

from commands import cyberkg
from kg import resources
from kg.export import context
from kg.export.jsonld import CONTEXT_URL, to_jsonld
from kg.graphio import read_statements

ID = "https://w3id.org/cyberkg/id/"
PUBLISHED = "https://example.org/vocab/context.jsonld"
# beside the example graph, what the compaction must also get right: blank nodes, a
# datatype the context does not coerce, language tags, IRIs under no prefix and a '#' name
EXTRA = """
@prefix ckg: <https://w3id.org/cyberkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/cyberkg/id/state/VNM> rdfs:comment "Việt Nam"@vi, "Viet Nam"@en, "a plain string" ;
    rdfs:seeAlso <https://example.org/a#b>, [ rdfs:label "a blank node" ; rdfs:seeAlso [ rdfs:label "nested" ] ] .
<https://example.org/thing> rdfs:label "3.5"^^xsd:decimal, "2019-04-03"^^xsd:date, "7"^^xsd:integer .
"""


def _offline_loader(url, options=None):
    raise AssertionError(f"the JSON-LD processor tried to fetch {url}")


@pytest.fixture
def no_network(monkeypatch):
    """rdflib's context loader and every socket raise: nothing may be fetched."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access: {args[:2]}")

    monkeypatch.setattr(rdflib_context, "source_to_json", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("jsonld-source")
    path = folder / "graph.ttl"
    example = (resources.resource_dir("ontology") / "examples" / "example.ttl").read_text(encoding="utf-8")
    path.write_text(example + EXTRA, encoding="utf-8")
    return path


def _export(source: Path, folder: Path, *options: str, base: str = ID, env: dict | None = None) -> Path:
    """`cyberkg --base BASE export --format all` of `source` into `folder`, with `options`."""
    args = ["--base", base, "export", "--graph", str(source), "--format", "all", "-o", str(folder), *options]
    result = cyberkg(*args, env=env)
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture(scope="module")
def exported(source, tmp_path_factory) -> Path:
    """Every format of one export of the source graph, in one folder (one description)."""
    return _export(source, tmp_path_factory.mktemp("export"))


@pytest.fixture(scope="module")
def turtle(exported) -> Graph:
    return Graph().parse(exported / "cyberkg.ttl", format="turtle")


def _document(folder: Path) -> dict:
    return json.loads((folder / "cyberkg.jsonld").read_text(encoding="utf-8"))


def test_the_default_export_embeds_the_generated_context(exported):
    document = _document(exported)
    assert document["@context"] == [context()["@context"], {"@base": ID}]
    assert CONTEXT_URL not in (exported / "cyberkg.jsonld").read_text(encoding="utf-8")


def test_rdflib_reads_it_offline_to_the_triples_of_the_turtle_export(exported, turtle, no_network):
    back = Graph().parse(exported / "cyberkg.jsonld", format="json-ld")
    assert len(back) == len(turtle) > 300
    assert isomorphic(back, turtle)


def test_pyld_reads_it_offline_to_the_triples_of_the_turtle_export(exported, turtle, no_network):
    nquads = jsonld.to_rdf(_document(exported), {"format": "application/n-quads", "documentLoader": _offline_loader})
    back = Graph().parse(data=nquads, format="nt")
    assert isomorphic(back, turtle)


def test_another_base_changes_the_compaction_not_the_triples(source, tmp_path, no_network):
    folder = _export(source, tmp_path, base="https://example.org/kg/")
    document = _document(folder)
    assert document["@context"][1] == {"@base": "https://example.org/kg/"}
    assert any(node["id"] == ID + "state/VNM" for node in document["@graph"])  # not under the base: written whole
    back = Graph().parse(folder / "cyberkg.jsonld", format="json-ld")
    assert isomorphic(back, Graph().parse(folder / "cyberkg.ttl", format="turtle"))


def test_the_published_context_form_names_the_url_and_reads_with_it(source, exported, tmp_path):
    folder = _export(source, tmp_path, "--context-url", PUBLISHED)
    document = _document(folder)
    assert document["@context"] == [PUBLISHED, {"@base": ID}]
    assert document["@graph"] == _document(exported)["@graph"]
    shipped = json.loads((resources.resource_dir("ontology") / "context.jsonld").read_text(encoding="utf-8"))

    def serve(url, options=None):
        assert url == PUBLISHED, url
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": shipped}

    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": serve})
    assert isomorphic(Graph().parse(data=nquads, format="nt"), Graph().parse(folder / "cyberkg.ttl"))
    asked = []

    def offline(url, options=None):
        asked.append(url)
        raise OSError("offline")

    with pytest.raises(jsonld.JsonLdError):  # this form needs the context from the network
        jsonld.to_rdf(document, {"documentLoader": offline})
    assert asked == [PUBLISHED]


def test_to_jsonld_embeds_or_names_the_context():
    graphs = read_statements(resources.resource_dir("ontology") / "examples" / "example.ttl")
    triples = [(q.subject, q.predicate, q.object) for statements in graphs.values() for q in statements]
    embedded = json.loads(to_jsonld(triples, context(), ID))
    named = json.loads(to_jsonld(triples, context(), ID, context_url=CONTEXT_URL))
    assert embedded["@context"] == [context()["@context"], {"@base": ID}]
    assert named["@context"] == [CONTEXT_URL, {"@base": ID}]
    assert embedded["@graph"] == named["@graph"]


def test_the_same_graph_gives_the_same_bytes_in_another_process(source, exported, tmp_path):
    again = _export(source, tmp_path / "again", env={**os.environ, "PYTHONHASHSEED": "4242"})
    assert (again / "cyberkg.jsonld").read_bytes() == (exported / "cyberkg.jsonld").read_bytes()
    first, second = (
        _export(source, tmp_path / seed, "--context-url", PUBLISHED, env={**os.environ, "PYTHONHASHSEED": seed})
        for seed in ("1", "2")
    )
    assert (first / "cyberkg.jsonld").read_bytes() == (second / "cyberkg.jsonld").read_bytes()


@pytest.mark.parametrize(
    "options, message",
    [
        (["--context-url", "context.jsonld", "--format", "jsonld"], "not an absolute http(s) URL"),
        (["--context-url", PUBLISHED, "--format", "ttl"], "only the JSON-LD export has a context"),
    ],
)
def test_a_bad_context_url_is_a_usage_error(source, tmp_path, options, message):
    result = cyberkg("export", "--graph", str(source), "-o", str(tmp_path / "out"), *options)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
