"""Static pictures of a network (PNG and SVG) with a legend, drawn with matplotlib.

The layout is networkx's spring layout with a fixed seed, and SVG ids are salted with a
constant, so the same network gives the same picture. Colours say what a reader needs
first: in `positions`, the kind of actor (anonymous collectives hollow, so they never
pass for named States) and the sign of each edge; in `citations`, the kind of node; in
`alignment` and `speakers`, the Louvain community. Only the most connected nodes are
labelled, so the picture stays legible on a large graph.
"""

from __future__ import annotations

import io

import networkx as nx

SEED = 42
LABELLED = 30

KIND_COLOURS = {
    "state": "#4c72b0",
    "group": "#dd8452",
    "organization": "#8172b3",
    "person": "#937860",
    "collective": "#7f7f7f",
    "instrument": "#c44e52",
    "document": "#55a868",
    "resolution": "#da8bc3",
}
SIGN_COLOURS = {1: ("#1a9850", "support"), -1: ("#d73027", "opposition"), 0: ("#a0a0a0", "mixed or neutral")}
COMMUNITY_COLOURS = (
    "#4c72b0",
    "#dd8452",
    "#55a868",
    "#c44e52",
    "#8172b3",
    "#937860",
    "#da8bc3",
    "#8c8c8c",
    "#ccb974",
    "#64b5cd",
)
OTHER = "#d9d9d9"


def render(graph: nx.Graph, fmt: str) -> bytes:
    """The picture of `graph` as PNG or SVG bytes."""
    if fmt not in ("png", "svg"):
        raise ValueError(fmt)
    import matplotlib
    from matplotlib.figure import Figure  # a Figure of its own: no pyplot state, the caller's backend untouched
    from matplotlib.lines import Line2D

    kind = graph.graph.get("kind", "network")
    position = layout(graph)

    figure = Figure(figsize=(12, 9), dpi=100)
    axes = figure.add_subplot()
    axes.set_axis_off()
    legend = []

    node_colour, hollow, categories = _node_colours(graph, kind)
    filled = [n for n in graph if n not in hollow]
    weights = [graph.nodes[n].get("weightedDegree", 1.0) for n in graph]
    largest = max(weights) or 1.0

    biggest = min(400.0, 20000.0 / graph.number_of_nodes())

    def sizes(nodes):
        return [biggest * (0.2 + 0.8 * (graph.nodes[n].get("weightedDegree", 1.0) / largest) ** 0.5) for n in nodes]

    if kind == "positions":
        for sign, (colour, label) in SIGN_COLOURS.items():
            edges = [(a, b) for a, b, d in graph.edges(data=True) if d.get("sign", 0) == sign]
            if edges:
                nx.draw_networkx_edges(
                    graph,
                    position,
                    edgelist=edges,
                    ax=axes,
                    edge_color=colour,
                    alpha=0.45,
                    width=[0.6 + 0.4 * min(graph.edges[e].get("weight", 1), 5) for e in edges],
                )
                legend.append(Line2D([], [], color=colour, linewidth=2, label=f"{label} ({len(edges)})"))
    else:
        top = max((d.get("weight", 1) for _, _, d in graph.edges(data=True)), default=1) or 1
        # types-networkx overloads `arrows` as None, Literal[True] or Literal[False], with none for a bool
        nx.draw_networkx_edges(  # type: ignore[call-overload]
            graph,
            position,
            ax=axes,
            edge_color="#9a9a9a",
            alpha=0.35,
            arrows=graph.is_directed(),
            width=[0.3 + 2.0 * d.get("weight", 1) / top for _, _, d in graph.edges(data=True)],
        )
    nx.draw_networkx_nodes(
        graph,
        position,
        nodelist=filled,
        ax=axes,
        node_size=sizes(filled),
        node_color=[node_colour[n] for n in filled],
        edgecolors="white",
        linewidths=0.5,
    )
    if hollow:
        nx.draw_networkx_nodes(
            graph,
            position,
            nodelist=sorted(hollow),
            ax=axes,
            node_size=sizes(sorted(hollow)),
            node_color="white",
            edgecolors=KIND_COLOURS["collective"],
            linewidths=1.5,
        )
    for label, colour, count, is_hollow in categories:
        legend.append(
            Line2D(
                [],
                [],
                linestyle="",
                marker="o",
                markersize=8,
                label=f"{label} ({count})",
                markerfacecolor="white" if is_hollow else colour,
                markeredgecolor=colour,
            )
        )

    names = {n: _short(graph.nodes[n].get("label", n)) for n in _most_connected(graph, LABELLED)}
    if kind == "positions":
        names.update({n: _short(d.get("label", n)) for n, d in graph.nodes(data=True) if d.get("mode") == "instrument"})
    nx.draw_networkx_labels(graph, position, labels=names, ax=axes, font_size=7)

    axes.legend(
        handles=legend,
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=8,
        frameon=False,
        title=_legend_title(kind),
        title_fontsize=9,
    )
    axes.set_title(_title(graph, kind), fontsize=11)
    figure.tight_layout()
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "cyberkg", "svg.fonttype": "none"}):
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        figure.savefig(buffer, format=fmt, metadata=metadata)
    return buffer.getvalue()


def layout(graph: nx.Graph) -> dict:
    """Node positions from networkx's spring layout with a fixed seed: the same network
    gets the same layout in the picture and on the interactive page."""
    undirected = graph.to_undirected() if graph.is_directed() else graph
    return nx.spring_layout(undirected, seed=SEED, weight="weight", k=1.6 / max(1, graph.number_of_nodes()) ** 0.5)


def _most_connected(graph: nx.Graph, count: int) -> list[str]:
    """The `count` nodes to label: the most connected of each community in turn, so every
    community gets names and not only the densest one."""
    by_community: dict[int, list[str]] = {}
    for node, data in sorted(
        graph.nodes(data=True), key=lambda item: (-item[1].get("weightedDegree", 0.0), item[1].get("label", item[0]))
    ):
        by_community.setdefault(data.get("community", -1), []).append(node)
    queues = [by_community[c] for c in sorted(by_community)]
    chosen: list[str] = []
    while len(chosen) < count and any(queues):
        for queue in queues:
            if queue and len(chosen) < count:
                chosen.append(queue.pop(0))
    return chosen


def _node_colours(graph: nx.Graph, kind: str) -> tuple[dict[str, str], set[str], list[tuple[str, str, int, bool]]]:
    """Each node's colour, the nodes drawn hollow, and the legend entries (label, colour, count, hollow)."""
    colour: dict[str, str] = {}
    hollow: set[str] = set()
    counts: dict[str, int] = {}
    if kind in ("positions", "citations"):
        for node, data in graph.nodes(data=True):
            category = data.get("actorKind") or data.get("mode") or "document"
            if data.get("mode") == "instrument":
                category = "instrument"
            colour[node] = KIND_COLOURS.get(category, OTHER)
            counts[category] = counts.get(category, 0) + 1
            if category == "collective":
                hollow.add(node)
        entries = [(_plural(c), KIND_COLOURS.get(c, OTHER), n, c == "collective") for c, n in sorted(counts.items())]
        return colour, hollow, entries
    for node, data in graph.nodes(data=True):
        community = data.get("community", -1)
        colour[node] = COMMUNITY_COLOURS[community] if 0 <= community < len(COMMUNITY_COLOURS) else OTHER
        key = f"community {community + 1}" if 0 <= community < len(COMMUNITY_COLOURS) else "other communities"
        counts[key] = counts.get(key, 0) + 1
    ordered = sorted(
        counts.items(),
        key=lambda item: (item[0] == "other communities", int(item[0].split()[-1]) if item[0][-1].isdigit() else 0),
    )
    entries = [
        (name, COMMUNITY_COLOURS[int(name.split()[-1]) - 1] if name[-1].isdigit() else OTHER, n, False)
        for name, n in ordered
    ]
    return colour, hollow, entries


def _plural(category: str) -> str:
    return {
        "collective": "anonymous collectives",
        "person": "persons",
        "state": "States",
        "group": "groups",
        "organization": "organizations",
        "instrument": "instruments",
        "document": "documents",
        "resolution": "resolutions",
    }.get(category, category)


def _legend_title(kind: str) -> str:
    return {
        "positions": "actors, instruments and stances",
        "citations": "nodes",
        "alignment": "voting communities (Louvain)",
        "speakers": "co-speaking communities (Louvain)",
    }.get(kind, "")


def _title(graph: nx.Graph, kind: str) -> str:
    title = f"{kind}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges"
    if kind == "alignment":
        title += f", agreement index \u2265 {graph.graph.get('threshold', 0):g}"
    return title


def _short(text: str, limit: int = 32) -> str:
    """A label cut to `limit` characters, with '$' escaped so matplotlib never reads it as mathtext."""
    text = text if len(text) <= limit else text[: limit - 1] + "\u2026"
    return text.replace("$", r"\$")
