"""Network files analysts open: GraphML and GEXF (Gephi), cytoscape.js JSON, node and
edge CSV (Gephi, R, spreadsheets), PNG and SVG pictures (drawn by
`kg.draw.pictures`) and the interactive HTML page (`kg.draw.page`). Attributes are scalars only, as GraphML and GEXF readers expect;
lists are joined with ' | ' when the network is built."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx

from kg.graphio import atomic_write

FORMATS = ("graphml", "gexf", "cyjs", "csv", "png", "svg", "html")


def _scalar_graph(graph: nx.Graph) -> nx.Graph:
    copy = graph.copy()
    copy.graph = {k: v for k, v in graph.graph.items() if isinstance(v, (str, int, float, bool))}
    return copy


def write_network(graph: nx.Graph, fmt: str, path: Path) -> list[Path]:
    path = Path(path)
    if fmt == "graphml":
        buffer = io.BytesIO()
        nx.write_graphml(_scalar_graph(graph), buffer)
        return [_write(path, buffer.getvalue())]
    if fmt == "gexf":
        return [_write(path, _gexf(graph))]
    if fmt == "cyjs":
        data = nx.cytoscape_data(_scalar_graph(graph))
        for number, edge in enumerate(data["elements"]["edges"]):  # cy.json() drops edges without an id
            edge["data"].setdefault("id", f"e{number}")
        return [_write(path, (json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))]
    if fmt == "csv":
        nodes = path.with_name(path.stem + ".nodes.csv")
        edges = path.with_name(path.stem + ".edges.csv")
        node_keys = sorted({k for _, data in graph.nodes(data=True) for k in data})
        edge_keys = sorted({k for _, _, data in graph.edges(data=True) for k in data})
        return [
            _write(
                nodes,
                _table(
                    ["id", *node_keys],
                    ([n, *(d.get(k, "") for k in node_keys)] for n, d in sorted(graph.nodes(data=True))),
                ),
            ),
            _write(
                edges,
                _table(
                    ["source", "target", *edge_keys],
                    ([a, b, *(d.get(k, "") for k in edge_keys)] for a, b, d in sorted(graph.edges(data=True))),
                ),
            ),
        ]
    if fmt in ("png", "svg"):
        from kg.draw.pictures import render

        return [_write(path, render(graph, fmt))]
    if fmt == "html":
        from kg.draw.page import render_page

        return [_write(path, render_page(graph))]
    raise ValueError(fmt)


def _gexf(graph: nx.Graph) -> bytes:
    """GEXF 1.2 as networkx writes it, less what breaks the schema or the bytes: the empty
    graph name the 1.2draft schema refuses, and the meta element's lastmodifieddate, which
    is the day of writing (the same network would give new bytes every day)."""
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(version="1.2draft")
    writer.add_graph(_scalar_graph(graph))
    for meta in writer.xml.iter("meta"):
        meta.attrib.pop("lastmodifieddate", None)
    for element in writer.xml.iter("graph"):
        if not element.get("name"):
            element.attrib.pop("name", None)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _table(header: list[str], rows) -> bytes:
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return stream.getvalue().encode("utf-8")


def _write(path: Path, data: bytes) -> Path:
    with atomic_write(path, "wb", encoding=None) as stream:
        stream.write(data)
    return path
