"""Networks for analysts, built with networkx from the results of canned queries, so
they come out the same from a local graph or a remote endpoint.

- positions: two-mode and signed: actors (States, groups, organizations, persons and,
  marked `collective`, anonymous collectives) and instruments; an edge per actor and
  instrument carries the net sign, how many statements, votes and treaty actions lie
  behind it, and their sources; the rows behind the edges (with quote, occasion and
  source passage) are kept as the graph attribute `evidence` for the interactive page.
- alignment: one-mode, States only: two States are linked by their agreement index,
  the share of the recorded votes both cast (yes, no or abstain) in which they chose the
  same option, over at least `min_votes` shared votes; links below `threshold` are left
  out.
- citations: documents and what they cite (documents, resolutions, instruments).
- speakers: actors linked by speaking in the same document's statements lists.

Every network gets the measures analysts expect: degree, weighted degree, betweenness,
communities (networkx's Louvain, seeded, so the same graph gives the same communities)
and, for States, their UN regional group. Betweenness is exact up to BETWEENNESS_PIVOTS
nodes; above that it is estimated from that many source nodes drawn with the fixed seed
(networkx's `k`), since the exact measure grows with nodes times edges: over three
minutes for the positions network of a thousand reports, against seconds estimated.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

import networkx as nx

from kg.errors import UsageError
from kg.query.catalogue import canned_rows

KINDS = ("positions", "alignment", "citations", "speakers")
SEED = 42
BETWEENNESS_PIVOTS = 500


def _rows(engine, name: str) -> list[dict[str, str]]:
    return canned_rows(engine, name)


def _node(graph: nx.Graph, key: str, **attributes) -> None:
    if key not in graph:
        graph.add_node(key, **attributes)


def positions(engine, basis: str | None = None, stance: str | None = None) -> nx.Graph:
    graph: nx.Graph = nx.Graph(kind="positions")
    edges: dict[tuple[str, str], dict] = {}
    evidence = []
    for row in _rows(engine, "network-positions"):
        kind = {"statement": "statement", "vote": "vote"}.get(row["basis"], "treaty action")
        if basis and basis != kind or stance and stance != row["stance"]:
            continue
        evidence.append(
            {
                "holder": row["holder"],
                "instrument": row["instrument"],
                "basis": kind,
                "act": row["basis"],
                "stance": row["stance"],
                "polarity": int(row["polarity"] or 0),
                "date": row["date"],
                "occasion": row["occasionLabel"],
                "source": row["source"],
                "sourceLabel": row["sourceLabel"],
                "quote": row["quote"],
            }
        )
        _node(graph, row["holder"], label=row["holderLabel"], mode="actor", actorKind=row["holderKind"])
        _node(
            graph,
            row["instrument"],
            label=row["instrumentLabel"],
            shortLabel=row["instrumentShortLabel"],
            mode="instrument",
            actorKind="",
        )
        edge = edges.setdefault(
            (row["holder"], row["instrument"]),
            {
                "sign": 0,
                "statements": 0,
                "votes": 0,
                "treatyActions": 0,
                "stances": set(),
                "sources": set(),
                "quotes": [],
            },
        )
        edge["sign"] += int(row["polarity"] or 0)
        kind = {"statement": "statements", "vote": "votes"}.get(row["basis"], "treatyActions")
        edge[kind] += 1
        edge["stances"].add(row["stance"])
        edge["sources"].add(row["source"])
        if row["quote"]:
            edge["quotes"].append(row["quote"])
    for (holder, instrument), edge in sorted(edges.items()):
        weight = edge["statements"] + edge["votes"] + edge["treatyActions"]
        sign = (edge["sign"] > 0) - (edge["sign"] < 0)
        graph.add_edge(
            holder,
            instrument,
            weight=weight,
            sign=sign,
            stance={1: "support", -1: "opposition", 0: "mixed or neutral"}[sign],
            stances=" | ".join(sorted(edge["stances"])),
            statements=edge["statements"],
            votes=edge["votes"],
            treatyActions=edge["treatyActions"],
            sources=" | ".join(sorted(edge["sources"])),
            quotes=" | ".join(edge["quotes"]),
        )
    graph.graph["evidence"] = evidence  # one row per statement, vote or act, for the interactive page
    return graph


def alignment(engine, threshold: float = 0.5, min_votes: int = 1) -> nx.Graph:
    votes: dict[str, dict[str, str]] = defaultdict(dict)
    labels = {}
    events = {}
    for row in _rows(engine, "network-votes"):  # one option per State and vote event
        votes[row["state"]][row["event"]] = row["option"]
        labels[row["state"]] = row["stateLabel"]
        events[row["event"]] = (row["date"], row["eventLabel"] or row["event"])
    graph: nx.Graph = nx.Graph(
        kind="alignment",
        measure="agreement index: share of shared recorded votes with the same option",
        threshold=threshold,
        votes=len(events),  # how many recorded votes the index rests on, and which
        voteEvents=" | ".join(label for _, label in sorted(events.values())),  # in the order of each record
    )
    order = sorted(events, key=lambda event: events[event])  # by date
    for state in sorted(votes):
        # the State's options in the order of the votes ("yes | no | absent"): equal records vote as one bloc
        record = " | ".join(votes[state].get(event, "absent") for event in order)
        _node(graph, state, label=labels[state], mode="actor", actorKind="state", record=record)
    for a, b in combinations(sorted(votes), 2):
        shared = sorted(set(votes[a]) & set(votes[b]))
        if len(shared) < min_votes:
            continue
        same = sum(votes[a][event] == votes[b][event] for event in shared)
        agreement = same / len(shared)
        if agreement >= threshold:
            graph.add_edge(a, b, weight=round(agreement, 4), sharedVotes=len(shared), sameVotes=same)
    return graph


LAYERS = {"statement": "statements", "vote": "votes", "treaty action": "treatyActions"}  # basis: edge count


def edge_layers(data: dict) -> set[str]:
    """The bases (statement, vote, treaty action) behind a positions edge."""
    return {basis for basis, count in LAYERS.items() if data.get(count)}


def held_layers(graph: nx.Graph) -> set[str]:
    """The bases behind any edge of a positions network."""
    return set().union(*(edge_layers(d) for _, _, d in graph.edges(data=True)))


def default_layers(graph: nx.Graph) -> set[str]:
    """What a picture or page of a positions network shows first: the statements, when
    the network holds them beside votes or treaty actions (those are a layer the reader
    turns on, or blocs in a picture); otherwise whatever it holds."""
    held = held_layers(graph)
    return {"statement"} if "statement" in held and len(held) > 1 else held


def layer_view(graph: nx.Graph, layers: set[str]) -> nx.Graph:
    """The part of a positions network drawn from `layers`: their edges and the nodes they
    touch, in the network's order (networkx's edge_subgraph iterates a set, whose order
    changes from one run to the next, and the layout follows the order)."""
    kept = [(a, b, d) for a, b, d in graph.edges(data=True) if edge_layers(d) & layers]
    touched = {node for a, b, _ in kept for node in (a, b)}
    part = graph.__class__()
    part.graph.update(graph.graph)
    part.add_nodes_from((node, data) for node, data in graph.nodes(data=True) if node in touched)
    part.add_edges_from(kept)
    return part


def counted_votes(graph: nx.Graph) -> str:
    """What an alignment index rests on, the votes in date order (the order of each
    State's record): "2 recorded votes (A/RES/73/187, A/RES/74/247)"."""
    votes = int(graph.graph.get("votes", 0))
    events = [
        e.removeprefix("Recorded vote on ").replace("General Assembly resolution ", "A/RES/")
        for e in str(graph.graph.get("voteEvents", "")).split(" | ")
        if e
    ]
    shown = ", ".join(events[:6]) + (f" and {len(events) - 6} more" if len(events) > 6 else "")
    return f"{votes} recorded vote{'' if votes == 1 else 's'}" + (f" ({shown})" if shown else "")


def citations(engine) -> nx.DiGraph:
    graph: nx.DiGraph = nx.DiGraph(kind="citations")
    for row in _rows(engine, "cited-documents"):
        _node(graph, row["document"], label=row["document"].rsplit("/", 1)[-1], mode="document")
        _node(graph, row["symbol"], label=row["symbol"], mode="document")
        graph.add_edge(row["document"], row["symbol"], weight=1, relation="cites document")
    for row in _rows(engine, "cited-resolutions"):
        _node(graph, row["document"], label=row["document"].rsplit("/", 1)[-1], mode="document")
        _node(graph, row["resolution"], label=f"resolution {row['number']}", mode="resolution")
        graph.add_edge(row["document"], row["resolution"], weight=1, relation="cites resolution")
    for row in _rows(engine, "instrument-mentions"):
        _node(graph, row["document"], label=row["document"].rsplit("/", 1)[-1], mode="document")
        _node(graph, row["instrument"], label=row["instrumentLabel"], mode="instrument")
        graph.add_edge(row["document"], row["instrument"], weight=int(row["mentions"]), relation="mentions instrument")
    return graph


def speakers(engine) -> nx.Graph:
    by_document: dict[str, set[str]] = defaultdict(set)
    graph: nx.Graph = nx.Graph(kind="speakers")
    for row in _rows(engine, "speakers"):
        _node(graph, row["actor"], label=row["actorLabel"], mode="actor", actorKind=row["actorKind"])
        by_document[row["document"]].add(row["actor"])
    for document, actors in sorted(by_document.items()):
        for a, b in combinations(sorted(actors), 2):
            if graph.has_edge(a, b):
                graph[a][b]["weight"] += 1
            else:
                graph.add_edge(a, b, weight=1)
    return graph


def build_network(
    kind: str, engine, threshold: float = 0.5, basis: str | None = None, stance: str | None = None
) -> nx.Graph:
    if kind not in KINDS:
        raise UsageError(f"unknown network {kind!r}; expected one of {', '.join(KINDS)}")
    if (basis or stance) and kind != "positions":
        raise UsageError("--basis and --stance filter the positions network only")
    if kind == "positions":
        network = positions(engine, basis, stance)
    elif kind == "alignment":
        network = alignment(engine, threshold)
    else:
        network = {"citations": citations, "speakers": speakers}[kind](engine)
    if network.number_of_nodes() == 0:
        filters = " with these filters" if basis or stance else ""
        raise UsageError(f"the {kind} network is empty{filters}: the graph holds nothing to draw it from")
    add_measures(network, engine)
    return network


def add_measures(graph: nx.Graph, engine) -> None:
    """Degree, weighted degree, betweenness, seeded Louvain communities, regional group."""
    undirected = graph.to_undirected() if graph.is_directed() else graph
    pivots = BETWEENNESS_PIVOTS if undirected.number_of_nodes() > BETWEENNESS_PIVOTS else None
    betweenness = nx.betweenness_centrality(undirected, k=pivots, seed=SEED)
    graph.graph["betweenness"] = f"estimated from {pivots} source nodes" if pivots else "exact"
    communities = (
        nx.community.louvain_communities(undirected, weight="weight", seed=SEED) if undirected.number_of_edges() else []
    )
    community_of = {}
    for index, members in enumerate(sorted(communities, key=lambda c: (-len(c), sorted(c)))):
        for member in members:
            community_of[member] = index
    groups: dict[str, list[str]] = defaultdict(list)
    for row in _rows(engine, "regional-groups"):
        groups[row["state"]].append(row["groupLabel"])
    for node, data in graph.nodes(data=True):
        data["degree"] = undirected.degree(node)
        data["weightedDegree"] = float(undirected.degree(node, weight="weight"))
        data["betweenness"] = round(betweenness.get(node, 0.0), 6)
        data["community"] = community_of.get(node, -1)
        data["regionalGroup"] = " | ".join(sorted(groups.get(node, [])))
    graph.graph["communities"] = len(communities)
