"""The networks on the sample graph: sizes checked against SPARQL counts, the edges
carry their quotes and sources, the alignment network separates the two camps of the
74/247 vote, communities are reproducible, and every file format reads back."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from commands import cyberkg
from kg.draw.files import write_network
from kg.draw.networks import build_network
from kg.errors import UsageError
from kg.query.engines import LocalEngine

ID = "https://w3id.org/cyberkg/id/"


@pytest.fixture(scope="module")
def engine(graph_file) -> LocalEngine:
    return LocalEngine(graph_file)


def count(engine, query: str) -> int:
    return int(engine.select(query).rows[0]["n"].value)


def test_positions_network_size_matches_sparql(engine):
    network = build_network("positions", engine)
    pairs = count(
        engine,
        """
        PREFIX ckg: <https://w3id.org/cyberkg/ontology#>
        SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?h ?i WHERE {
          { ?p ckg:holder ?h ; ckg:target ?i }
          UNION { ?a ckg:actor ?h ; ckg:treaty ?i }
          UNION { ?v ckg:voter ?h ; ckg:voteOption/ckg:polarity ?sign ; ckg:voteEvent/ckg:onResolution ?r .
                  ?r (^ckg:adoptedByResolution|ckg:decidedToElaborate)? ?i } } }""",
    )  # absences have no sign
    assert network.number_of_edges() == pairs
    nodes = {n for edge in network.edges for n in edge}
    assert nodes == set(network.nodes)


def test_the_other_member_states_edge_carries_the_10b_quote(engine):
    network = build_network("positions", engine)
    holder = ID + "doc/UNODC-CCPCJ-EG.4-2019-2/collective/other-member-states"
    edge = network.edges[holder, ID + "instrument/budapest-convention"]
    assert network.nodes[holder]["actorKind"] == "collective"
    assert edge["sign"] == 1 and edge["statements"] == 1
    assert "However, other Member States suggested that it was not necessary" in edge["quotes"]
    assert ID + "doc/UNODC-CCPCJ-EG.4-2019-2/para/10/item/b" in edge["sources"]
    against = network.edges[holder, ID + "instrument/new-global-instrument-on-cybercrime"]
    assert against["sign"] == -1 and against["stance"] == "opposition"


def test_alignment_puts_the_two_camps_of_74_247_apart(engine):
    network = build_network("alignment", engine, threshold=0.5)
    community = nx.get_node_attributes(network, "community")
    russia, china, usa, uk = (ID + f"state/{c}" for c in ("RUS", "CHN", "USA", "GBR"))
    assert community[russia] == community[china]
    assert community[usa] == community[uk] != community[russia]
    assert network.edges[russia, china]["weight"] == 1.0 and not network.has_edge(russia, usa)
    assert network.nodes[russia]["regionalGroup"] == "Group of Eastern European States"


def test_communities_are_the_same_across_runs(engine):
    first = nx.get_node_attributes(build_network("alignment", engine), "community")
    second = nx.get_node_attributes(build_network("alignment", engine), "community")
    assert first == second


def test_betweenness_is_exact_on_small_networks_and_estimated_reproducibly_on_large(engine, monkeypatch):
    from kg.draw import networks

    exact = build_network("alignment", engine)
    assert exact.graph["betweenness"] == "exact"
    pivots = exact.number_of_nodes() // 4
    monkeypatch.setattr(networks, "BETWEENNESS_PIVOTS", pivots)
    first, second = build_network("alignment", engine), build_network("alignment", engine)
    assert first.graph["betweenness"] == f"estimated from {pivots} source nodes"
    estimated = nx.get_node_attributes(first, "betweenness")
    assert estimated == nx.get_node_attributes(second, "betweenness")  # seeded: the same every run
    assert estimated != nx.get_node_attributes(exact, "betweenness")


def test_measures_are_on_every_node(engine):
    network = build_network("speakers", engine)
    for _, data in network.nodes(data=True):
        assert {"degree", "weightedDegree", "betweenness", "community", "regionalGroup"} <= set(data)
    assert network.number_of_nodes() == 49 + 19 - len(
        {"DZA", "ARG", "ARM", "BRA", "CAN", "CHL", "COL", "ECU", "IND", "MEX", "NLD", "NOR", "RUS", "USA"}
    )


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "cyjs", "csv"])
def test_every_file_format_reads_back(engine, tmp_path, fmt):
    network = build_network("positions", engine)
    paths = write_network(network, fmt, tmp_path / f"positions.{fmt}")
    if fmt == "graphml":
        back = nx.read_graphml(paths[0])
    elif fmt == "gexf":
        back = nx.read_gexf(paths[0])
    elif fmt == "cyjs":
        data = json.loads(paths[0].read_text())
        assert set(data["elements"]) == {"nodes", "edges"}
        assert all("id" in n["data"] for n in data["elements"]["nodes"])
        assert all({"source", "target"} <= set(e["data"]) for e in data["elements"]["edges"])
        ids = [e["data"]["id"] for e in data["elements"]["edges"]]  # cytoscape.js cy.json() needs them
        assert len(set(ids)) == len(ids) == network.number_of_edges()
        assert not set(ids) & {n["data"]["id"] for n in data["elements"]["nodes"]}
        back = nx.cytoscape_graph(data)
    else:
        nodes = list(csv.DictReader(paths[0].open()))
        edges = list(csv.DictReader(paths[1].open()))
        assert len(nodes) == network.number_of_nodes() and len(edges) == network.number_of_edges()
        assert {"id", "label", "community", "betweenness"} <= set(nodes[0])
        return
    assert back.number_of_nodes() == network.number_of_nodes() and back.number_of_edges() == network.number_of_edges()


GEXF_SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "schemas" / "gexf" / "1.2draft" / "gexf.xsd"


@pytest.mark.parametrize("kind", ["positions", "alignment", "citations", "speakers"])
def test_every_gexf_file_is_valid_against_the_gexf_schema_and_undated(engine, tmp_path, kind):
    if not GEXF_SCHEMA.exists():
        pytest.skip(f"the GEXF 1.2draft schema is not at {GEXF_SCHEMA} (../shared/schemas/gexf)")
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(GEXF_SCHEMA)))
    [path] = write_network(build_network(kind, engine), "gexf", tmp_path / f"{kind}.gexf")
    document = etree.parse(str(path))
    assert schema.validate(document), schema.error_log.last_error
    assert b"lastmodifieddate" not in path.read_bytes()  # the day of writing: new bytes every day


def test_bad_input_is_one_line(engine, graph_file, tmp_path):
    with pytest.raises(UsageError, match="empty with these filters"):
        build_network("positions", engine, stance="applauds")
    result = cyberkg("network", "friendships", "--graph", str(graph_file))
    assert result.returncode == 2 and "friendships" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    empty = tmp_path / "empty.ttl"
    empty.write_text("<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n")
    result = cyberkg("network", "positions", "--graph", str(empty), "-o", str(tmp_path / "x.gexf"))
    assert result.returncode == 2 and "network is empty" in result.stderr
    assert not (tmp_path / "x.gexf").exists()


def svg_texts(data: bytes) -> list[str]:
    """Every text the SVG shows (matplotlib writes text as <text> with svg.fonttype none)."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(data)
    return ["".join(element.itertext()) for element in root.iter("{http://www.w3.org/2000/svg}text")]


def vote_records(root) -> dict[str, list[str]]:
    """Each State's options in the recorded votes, in the order of the votes, read here
    from the reference vote tables (States not in the table of States are not loaded)."""
    with open(root / "reference" / "un_member_and_observer_states.csv", encoding="utf-8") as table:
        states = {r["iso3"] for r in csv.DictReader(line for line in table if not line.startswith("#"))}
    options: dict[str, dict[str, str]] = {}
    for path in sorted((root / "reference").glob("unga_*votes*.csv")):
        with open(path, encoding="utf-8") as table:
            for record in csv.DictReader(line for line in table if not line.startswith("#")):
                for column, option in record.items():
                    if column.startswith("vote_") and record["iso3"] in states:
                        options.setdefault(record["iso3"], {})[column] = option
    events = sorted({c for o in options.values() for c in o}, key=lambda c: (c.rsplit("_", 1)[-1], c))
    word = {"yes": "yes", "no": "no", "abstain": "abstain"}
    return {
        state: [word.get(chosen.get(event, "").lower(), "absent") for event in events]
        for state, chosen in options.items()
    }


def test_positions_picture_draws_statements_with_votes_and_acts_as_blocs(engine, root, tmp_path):
    network = build_network("positions", engine)
    [path] = write_network(network, "svg", tmp_path / "positions.svg")
    texts = svg_texts(path.read_bytes())
    shown = " ".join(texts)  # a wrapped name is one text per line
    rows = network.graph["evidence"]
    said = {(r["holder"], r["instrument"]) for r in rows if r["basis"] == "statement"}
    collectives = {h for h, _ in said if network.nodes[h]["actorKind"] == "collective"}
    blocs = {
        (r["instrument"], r["basis"], r["stance"] if r["basis"] == "vote" else r["act"])
        for r in rows
        if r["basis"] != "statement"
    }
    assert collectives and len(blocs) >= 5
    assert f"anonymous collectives ({len(collectives)})" in texts
    assert f"blocs: votes and treaty actions ({len(blocs)})" in texts
    assert "drawn from statements, votes and treaty actions as blocs" in shown
    # the yes bloc of 74/247 on the instrument it decided to elaborate, counted from the vote table here
    with open(root / "reference" / "unga_recorded_votes.csv", encoding="utf-8") as table:
        yes = sum(
            r["vote_A_RES_74_247_2019-12-27"] == "Yes"
            for r in csv.DictReader(line for line in table if not line.startswith("#"))
        )
    assert f"{yes} voted yes" in shown
    # States that only voted are in the blocs, not drawn one by one
    assert "Russian Federation" not in shown and "Albania" not in shown
    instruments = [d for _, d in network.nodes(data=True) if d["mode"] == "instrument"]
    assert all(
        (d.get("shortLabel") or d["label"]).split()[0] in shown for d in instruments
    )  # every instrument is named


def test_alignment_picture_draws_states_with_one_record_as_one_bloc(engine, root, tmp_path):
    """On a handful of votes most States share their record with others: the picture draws
    each such group once, with its size and its record, checked against the vote tables."""
    network = build_network("alignment", engine)
    [path] = write_network(network, "svg", tmp_path / "alignment.svg")
    shown = " ".join(svg_texts(path.read_bytes()))
    records = vote_records(root)
    assert len(records) > 180
    groups = Counter(tuple(options) for options in records.values())
    letters = {"yes": "Y", "no": "N", "abstain": "A", "absent": "\u2013"}
    for options, size in groups.items():
        if size > 1 and any(option != "absent" for option in options):
            said = ", ".join(options) if len(options) <= 3 else " ".join(letters[o] for o in options)
            assert f"{size} States: {said}" in shown
    blocs = sum(1 for options, size in groups.items() if size > 1 and any(o != "absent" for o in options))
    assert f"States with the same record drawn as {blocs} blocs" in shown
    assert f"on {network.graph['votes']} recorded votes" in shown


def test_pictures_are_deterministic_and_png_is_a_png(engine, tmp_path):
    network = build_network("citations", engine)
    first = write_network(network, "svg", tmp_path / "a.svg")[0].read_bytes()
    second = write_network(build_network("citations", engine), "svg", tmp_path / "b.svg")[0].read_bytes()
    assert first == second
    png = write_network(network, "png", tmp_path / "a.png")[0].read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1200, 900)
    assert png == write_network(network, "png", tmp_path / "b.png")[0].read_bytes()


def test_pictures_and_pages_are_the_same_bytes_whatever_the_hash_seed(graph_file, tmp_path):
    """Two processes with different string hashing (set order) draw the same bytes: a
    layout that followed a set's order once moved every node from one run to the next."""
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed / "positions"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = cyberkg(
            "network",
            "positions",
            "--graph",
            str(graph_file),
            "-o",
            str(out),
            "--format",
            "svg",
            "--format",
            "html",
            env=env,
        )
        assert result.returncode == 0, result.stderr
        outputs.append([(out.parent / f"positions.{ext}").read_bytes() for ext in ("svg", "html")])
    assert outputs[0] == outputs[1]


def test_document_text_in_labels_is_escaped_not_interpreted(tmp_path):
    network = nx.Graph(kind="speakers")
    network.add_node("a", label='<b>"x"</b> & $\\alpha$', weightedDegree=1.0, community=0)
    network.add_node("b", label="plain", weightedDegree=1.0, community=0)
    network.add_edge("a", "b", weight=1)
    [path] = write_network(network, "svg", tmp_path / "s.svg")
    data = path.read_bytes()
    assert b"<b>" not in data
    assert '<b>"x"</b> & $\\alpha$' in svg_texts(data)  # shown as typed, not as mathtext


def test_network_command_draws_a_picture(graph_file, tmp_path):
    output = tmp_path / "alignment.svg"
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
            "svg",
            "-o",
            str(output),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert f"wrote {output}" in result.stdout
    assert any(text.startswith("alignment: ") for text in svg_texts(output.read_bytes()))


def test_several_formats_come_from_one_build_beside_each_other(graph_file, tmp_path):
    stem = tmp_path / "speakers"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kg",
            "network",
            "speakers",
            "--graph",
            str(graph_file),
            "--format",
            "gexf",
            "--format",
            "csv",
            "--format",
            "svg",
            "-o",
            str(stem),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("speakers: ") == 1  # built once
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["speakers.edges.csv", "speakers.gexf", "speakers.nodes.csv", "speakers.svg"]
    assert (
        nx.read_gexf(tmp_path / "speakers.gexf").number_of_edges()
        == sum(1 for _ in open(tmp_path / "speakers.edges.csv")) - 1
    )
