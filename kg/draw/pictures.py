"""Static pictures of a network (PNG and SVG) with a legend, drawn with matplotlib.

The layout is networkx's spring layout with a fixed seed, and SVG ids are salted with a
constant, so the same network gives the same picture. Colours say what a reader needs
first: in `positions`, the kind of actor (anonymous collectives hollow, so they never
pass for named States) and the sign of each edge; in `citations`, the kind of node; in
`alignment` and `speakers`, the Louvain community. Only the key nodes (most connected,
then most between, in each community) are labelled, with names wrapped and never cut
mid-word (`kg.draw.labels`), so the picture stays legible on a large graph.

A positions network that holds statements beside votes or treaty actions is drawn from
its statements, with the votes and treaty actions as blocs: one square per instrument,
basis and option ("79 voted yes", "43 signed") linked to the instrument, sized by the
actors in it. `--basis vote` draws each State's vote instead.
"""

from __future__ import annotations

import io
import textwrap

import networkx as nx

from kg.draw.labels import node_captions
from kg.draw.networks import counted_votes, default_layers, held_layers, layer_view

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
    full = graph
    graph = drawn_network(graph)
    position = layout(graph)

    figure = Figure(figsize=(12, 9), dpi=100)
    axes = figure.add_subplot()
    axes.set_axis_off()
    legend = []

    node_colour, hollow, categories = _node_colours(graph, kind)
    blocs = sorted(n for n, d in graph.nodes(data=True) if d.get("mode") == "bloc")
    filled = [n for n in graph if n not in hollow and n not in blocs]
    # as drawn: a State's votes do not swell it when they are blocs; a bloc is as big as its actors
    # (in an alignment network, a node is as big as the States it stands for)
    weight_of = {
        n: graph.nodes[n].get("actors") or (1 if kind == "alignment" else w) for n, w in graph.degree(weight="weight")
    }
    largest = max(weight_of.values(), default=1.0) or 1.0

    biggest = min(400.0, 20000.0 / graph.number_of_nodes())

    def sizes(nodes):
        return [biggest * (0.2 + 0.8 * (weight_of[n] / largest) ** 0.5) for n in nodes]

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
    if blocs:
        nx.draw_networkx_nodes(
            graph,
            position,
            nodelist=blocs,
            ax=axes,
            node_shape="s",
            node_size=sizes(blocs),
            node_color=[
                node_colour[n] if kind == "alignment" else SIGN_COLOURS[_bloc_sign(graph, n)][0] for n in blocs
            ],
            alpha=0.55,
            edgecolors="#555555",
            linewidths=0.8,
        )
        legend.append(
            Line2D(
                [],
                [],
                linestyle="",
                marker="s",
                markersize=8,
                markerfacecolor="#cccccc",
                markeredgecolor="#555555",
                label=(
                    f"voting blocs: States with the same record ({len(blocs)})"
                    if kind == "alignment"
                    else f"blocs: votes and treaty actions ({len(blocs)})"
                ),
            )
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

    labelled = most_connected(graph, LABELLED)
    always = ("instrument", "bloc") if kind == "positions" else ("bloc",)
    labelled += [n for n, d in graph.nodes(data=True) if d.get("mode") in always and n not in labelled]
    names = {n: caption.replace("$", r"\$") for n, caption in node_captions(graph, labelled).items()}
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
    title = _title(full, kind, len(blocs))
    axes.set_title("\n".join(textwrap.fill(line, 100) for line in title.split("\n")), fontsize=10)
    figure.tight_layout()
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "cyberkg", "svg.fonttype": "none"}):
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        figure.savefig(buffer, format=fmt, metadata=metadata)
    return buffer.getvalue()


def layout(graph: nx.Graph) -> dict:
    """Node positions from networkx's spring layout with a fixed seed, so the same network
    gets the same layout every time. Each connected part is laid out on its own and the
    parts are packed in rows, largest first, in a box as big as their nodes: left to one
    layout, separate parts fly apart and squeeze the main one into a corner. A positions
    network shown statements first is laid out from its statements, and the nodes only
    votes or treaty actions reach are then placed around them, so the first view is not
    bent by a layer it does not show."""
    undirected = graph.to_undirected() if graph.is_directed() else graph
    rank = {node: index for index, node in enumerate(graph)}
    parts = sorted(
        (sorted(part, key=rank.__getitem__) for part in nx.connected_components(undirected)),
        key=lambda part: (-len(part), rank[part[0]]),
    )
    if len(parts) <= 1:
        return _part_layout(undirected)
    sides = [len(part) ** 0.7 for part in parts]  # a bigger part gets more room per node: its labels crowd
    width = max(sides[0], 1.2 * sum(side * side for side in sides) ** 0.5)
    gap = 0.15 * sides[-1] + 0.3
    placed: dict = {}
    x = y = row = 0.0
    for part, side in zip(parts, sides):
        if x > 0 and x + side > width:
            x, y, row = 0.0, y - row - gap, 0.0
        for node, point in _fitted(
            _part_layout(_induced(undirected, part)), side, (x + side / 2, y - side / 2)
        ).items():
            placed[node] = point
        x, row = x + side + gap, max(row, side)
    return placed


def _induced(graph: nx.Graph, nodes: list) -> nx.Graph:
    """The part of `graph` on `nodes`, in that order (layouts follow node order)."""
    part = graph.__class__()
    part.graph.update(graph.graph)
    part.add_nodes_from((node, graph.nodes[node]) for node in nodes)
    keep = set(nodes)
    part.add_edges_from((a, b, d) for a, b, d in graph.edges(nodes, data=True) if a in keep and b in keep)
    return part


def _part_layout(graph: nx.Graph) -> dict:
    if graph.number_of_nodes() == 1:
        return {next(iter(graph)): (0.0, 0.0)}
    if graph.graph.get("kind") == "positions":
        first = layer_view(graph, default_layers(graph))
        if 1 < first.number_of_nodes() < graph.number_of_nodes():
            start = nx.spring_layout(first, seed=SEED, weight="weight", k=_spacing(first))
            return nx.spring_layout(graph, pos=start, fixed=list(start), seed=SEED, weight="weight", k=_spacing(graph))
    return nx.spring_layout(graph, seed=SEED, weight="weight", k=_spacing(graph))


def _fitted(points: dict, side: float, centre: tuple[float, float]) -> dict:
    """`points` scaled to fit a square of `side` (keeping their shape) around `centre`."""
    xs = [float(p[0]) for p in points.values()]
    ys = [float(p[1]) for p in points.values()]
    mid_x, mid_y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    extent = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = 0.9 * side / extent
    return {
        node: (centre[0] + (float(p[0]) - mid_x) * scale, centre[1] + (float(p[1]) - mid_y) * scale)
        for node, p in points.items()
    }


def _spacing(graph: nx.Graph) -> float:
    return 1.6 / max(1, graph.number_of_nodes()) ** 0.5


def drawn_network(graph: nx.Graph) -> nx.Graph:
    """The network a picture draws: a positions network's default layer (its statements,
    `kg.draw.networks.default_layers`) with its other rows as blocs; any other network as
    it is."""
    if graph.graph.get("kind") == "alignment":
        return _voting_blocs(graph)
    if graph.graph.get("kind") != "positions":
        return graph
    layers = default_layers(graph)
    if layers == held_layers(graph):
        return graph
    drawn = layer_view(graph, layers)
    members: dict[tuple[str, str, str], set[str]] = {}
    signs: dict[tuple[str, str, str], int] = {}
    for row in graph.graph.get("evidence", []):
        if row["basis"] in layers:
            continue
        what = row["stance"] if row["basis"] == "vote" else row["act"]
        key = (row["instrument"], row["basis"], what)
        members.setdefault(key, set()).add(row["holder"])
        signs[key] = (row["polarity"] > 0) - (row["polarity"] < 0)
    for (instrument, basis, what), holders in sorted(members.items()):
        if instrument not in drawn:
            drawn.add_node(instrument, **graph.nodes[instrument])
        bloc = f"bloc:{basis}:{what}:{instrument}"
        drawn.add_node(
            bloc,
            label=f"{len(holders)} {BLOC_VERBS.get(what, what)}",
            mode="bloc",
            actorKind="",
            sign=signs[(instrument, basis, what)],
            members=" | ".join(sorted(graph.nodes[h].get("label", h) for h in holders)),
            actors=len(holders),
        )
        # weight 1, as a statement: a heavy edge would pull the bloc onto its instrument
        drawn.add_edge(bloc, instrument, weight=1, actors=len(holders), sign=signs[(instrument, basis, what)])
    return drawn


def _voting_blocs(graph: nx.Graph) -> nx.Graph:
    """An alignment network with the States that cast the same options in every vote drawn
    as one bloc ("79 States: yes, yes"): within a bloc every pair agrees fully, and on a
    handful of votes those cliques are most of the edges (7,573 on two votes). Blocs are
    linked by their agreement index; a State alone in its record stays itself."""
    members: dict[str, list[str]] = {}
    for node, data in graph.nodes(data=True):
        members.setdefault(data.get("record", node), []).append(node)
    votes = int(graph.graph.get("votes", 0))
    drawn: nx.Graph = nx.Graph()
    drawn.graph.update(graph.graph)
    node_of = {}
    for record, group in sorted(members.items(), key=lambda item: (-len(item[1]), item[0])):
        if len(group) == 1:
            node_of[group[0]] = group[0]
            drawn.add_node(group[0], **graph.nodes[group[0]])
            continue
        bloc = f"bloc:{record}"
        options = record.split(" | ")
        said = ", ".join(options) if votes <= 3 else " ".join(BLOC_LETTERS.get(o, o) for o in options)
        names = sorted(graph.nodes[n].get("label", n) for n in group)
        drawn.add_node(
            bloc,
            label=f"{len(group)} States: {said}",
            mode="bloc",
            actors=len(group),
            record=record,
            members=" | ".join(names),
            community=graph.nodes[group[0]].get("community", -1),
        )
        for node in group:
            node_of[node] = bloc
    links: dict[tuple[str, str], float] = {}
    for a, b, data in graph.edges(data=True):
        x, y = sorted((node_of[a], node_of[b]))
        if x != y:
            links[(x, y)] = data["weight"]
    # each bloc or State drawn with its closest links only (its NEAREST strongest, ties
    # included): every link above the threshold would tie almost every bloc to every other
    nearest: set[tuple[str, str]] = set()
    for node in drawn:
        mine = sorted(((w, pair) for pair, w in links.items() if node in pair), key=lambda item: -item[0])
        if mine:
            cut = mine[min(NEAREST, len(mine)) - 1][0]
            nearest.update(pair for w, pair in mine if w >= cut)
    for x, y in sorted(nearest):
        drawn.add_edge(x, y, weight=links[(x, y)])
    drawn.graph["nearest"] = NEAREST
    return drawn


NEAREST = 3


BLOC_LETTERS = {"yes": "Y", "no": "N", "abstain": "A", "absent": "\u2013"}

BLOC_VERBS = {
    "yes": "voted yes",
    "no": "voted no",
    "abstain": "abstained",
    "signature": "signed",
    "ratification": "ratified",
    "accession": "acceded",
    "acceptance": "accepted",
    "approval": "approved",
    "succession": "succeeded",
    "entry-into-force": "in force",
}


def _bloc_sign(graph: nx.Graph, node: str) -> int:
    return int(graph.nodes[node].get("sign", 0))


def most_connected(graph: nx.Graph, count: int) -> list[str]:
    """The `count` nodes to label: the key nodes of each community in turn, ranked by
    weighted degree in `graph` as drawn, then by betweenness, so every community gets
    names and ties do not fall to the alphabet."""
    by_community: dict[int, list[str]] = {}
    weight_of = dict(graph.degree(weight="weight"))
    for node, data in sorted(
        graph.nodes(data=True),
        key=lambda item: (-weight_of[item[0]], -item[1].get("betweenness", 0.0), item[1].get("label", item[0])),
    ):
        if data.get("mode") == "bloc":
            continue
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
            if data.get("mode") == "bloc":
                continue
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
        counts[key] = counts.get(key, 0) + data.get("actors", 1)  # a voting bloc counts its States
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


def _title(graph: nx.Graph, kind: str, blocs: int = 0) -> str:
    title = f"{kind}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges"
    if kind == "alignment" and graph.number_of_nodes():
        title += f"; States with the same record drawn as {blocs} blocs, each node with its {NEAREST} closest links"
    elif blocs:
        title += "; drawn from statements, votes and treaty actions as blocs"
    if kind == "alignment":
        title += f", agreement index \u2265 {graph.graph.get('threshold', 0):g}"
        title += f"\non {counted_votes(graph)}"
        if blocs and int(graph.graph.get("votes", 0)) > 3:
            title += ", in the order of the records (Y yes, N no, A abstain, \u2013 absent)"
    return title
