"""The interactive network page without a browser: one self-contained file (no resource
fetched from the network), the same bytes for the same network, every network kind
drawn, the rows behind each edge embedded, document text escaped and never rewritten.
What the page does in a browser is tested in test_page_browser.py."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys

import pytest

from kg.draw.networks import KINDS, build_network
from kg.draw.page import render_page
from kg.query.engines import LocalEngine

ID = "https://w3id.org/cyberkg/id/"
HOSTILE = "</script><script>alert(1)</script><img src=x onerror=alert(2)> p1001 123e4567-e89b-12d3-a456-426614174000"


@pytest.fixture(scope="module")
def engine(graph_file) -> LocalEngine:
    return LocalEngine(graph_file)


def document_json(page: str) -> dict:
    """The Bokeh document embedded in the page, decoded as the browser decodes it."""
    match = re.search(r'<script type="application/json" id="[^"]+">(.*?)</script>', page, re.S)
    assert match, "no embedded document"
    return json.loads(html.unescape(match.group(1)))


def column(document: dict, name: str) -> dict:
    """The data of the ColumnDataSource called `name`."""
    found = []

    def walk(value):
        if isinstance(value, dict):
            if value.get("name") == "ColumnDataSource" and value.get("attributes", {}).get("name") == name:
                found.append(value["attributes"]["data"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(document)
    assert found, name
    entries = found[0]["entries"] if isinstance(found[0], dict) and "entries" in found[0] else found[0]
    return dict(entries)


@pytest.mark.parametrize("kind", KINDS)
def test_every_network_gets_a_self_contained_page(engine, kind):
    network = build_network(kind, engine)
    page = render_page(network).decode("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r'<(script|link|img)[^>]+(src|href)=["\']?(https?:)?//', page), (
        "the page loads something from the network"
    )
    assert "Bokeh.embed.embed_items" in page and "cyberkg's interactive network page" in page
    nodes = column(document_json(page), "nodes")
    assert len(nodes["id"]) == network.number_of_nodes()
    assert sorted(nodes["id"]) == sorted(network.nodes)
    assert len(column(document_json(page), "edges")["source"]) == network.number_of_edges()


def test_the_page_is_byte_identical_for_the_same_network(engine):
    network = build_network("positions", engine)
    first, second = render_page(network), render_page(network)  # Bokeh's id counter has moved on in between
    assert first == second


def test_edges_carry_the_rows_behind_them(engine):
    network = build_network("positions", engine)
    document = document_json(render_page(network).decode("utf-8"))
    edges, evidence = column(document, "edges"), column(document, "evidence")
    holder = ID + "doc/UNODC-CCPCJ-EG.4-2019-2/collective/other-member-states"
    e = next(
        i
        for i, (a, b) in enumerate(zip(edges["source"], edges["target"]))
        if {a, b} == {holder, ID + "instrument/budapest-convention"}
    )
    rows = edges["rows"][e]
    assert [evidence["basis"][r] for r in rows] == ["statement"]
    assert "However, other Member States suggested that it was not necessary" in evidence["quote"][rows[0]]
    assert evidence["source"][rows[0]] == ID + "doc/UNODC-CCPCJ-EG.4-2019-2/para/10/item/b"
    assert evidence["occasion"][rows[0]].startswith("Fifth meeting of the Expert Group")
    assert len(evidence["quote"]) == len(network.graph["evidence"])
    assert sum(len(r) for r in edges["rows"]) == len(evidence["quote"])  # every row belongs to exactly one edge


def test_document_text_is_escaped_and_never_rewritten(engine):
    network = build_network("positions", engine)
    network.graph["evidence"][0] = dict(network.graph["evidence"][0], quote=HOSTILE)
    holder = network.graph["evidence"][0]["holder"]
    network.nodes[holder]["label"] = HOSTILE
    page = render_page(network).decode("utf-8")
    body = page.partition("</head>")[2]
    assert "<img src=x" not in body and "<script>alert" not in body
    document = document_json(page)
    assert HOSTILE in column(document, "evidence")["quote"]  # the ids renumbered around it are not touched in text
    assert HOSTILE in column(document, "nodes")["label"]


def test_the_network_command_writes_the_page(graph_file, tmp_path):
    output = tmp_path / "alignment.html"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kg",
            "network",
            "alignment",
            "--graph",
            str(graph_file),
            "--format",
            "html",
            "-o",
            str(output),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    page = output.read_text(encoding="utf-8")
    assert "alignment network" in page and f"wrote {output}" in result.stdout
    assert 'name":"Slider"' in page  # the agreement threshold can be raised on the page
