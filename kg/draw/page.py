"""The interactive network page: one self-contained HTML file an analyst opens offline.

Drawn with Bokeh, whose JavaScript (BokehJS) is inlined into the page, so it needs no
CDN and no server: zoom and pan, a search box that outlines matching nodes and centres
and zooms on them, filters by stance, basis (statement, vote, treaty action: a positions
network shows its statements first, votes and treaty actions are a layer to turn on) and
meeting or vote,
node colours by kind, community, regional group or net stance, tooltips, and a side
panel that says what the page's network shows and, for a tapped edge, the quotes and
source passages behind it (for a tapped node, its links). The behaviour lives in `page.js`. Every text from documents
is escaped: Bokeh escapes tooltip fields and the page's script escapes what it writes
into the panel.

The layout is the seeded one of the pictures (`kg.draw.pictures.layout`), and model ids
are renumbered in order of appearance, so the same network gives the same bytes.
"""

from __future__ import annotations

import html
import math
import re
from collections import Counter
from importlib.resources import files

import networkx as nx

from kg.draw.labels import node_captions
from kg.draw.networks import counted_votes, default_layers, layer_view
from kg.draw.pictures import (
    COMMUNITY_COLOURS,
    KIND_COLOURS,
    OTHER,
    SIGN_COLOURS,
    _plural,
    layout,
    most_connected,
)

LABELLED = 40
MARKERS = {
    "state": "circle",
    "group": "square",
    "organization": "diamond",
    "person": "triangle",
    "collective": "circle_dot",
    "instrument": "hex",
    "document": "square",
    "resolution": "diamond",
}
GROUP_COLOURS = ("#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#ccb974")


def page_help(graph: nx.Graph, kind: str) -> str:
    """What the page's own network shows and how to read it, as HTML (all text escaped)."""
    if kind == "positions":
        layers = default_layers(graph)
        hidden = [b for b in ("vote", "treaty action") if b not in layers and b in _bases(graph)]
        text = [
            "Each edge links an actor to an instrument it took a stance on, green for support, red for "
            "opposition, grey for mixed or neutral; hollow circles are anonymous collectives "
            '("some speakers"), never named States.',
        ]
        if hidden:
            text.append(
                f"Shown first: statements. The {' and '.join(b + 's' for b in hidden)} are a layer: add them "
                "under Basis."
            )
        text.append(
            "Tap an edge to see the statements, votes and treaty actions behind it; tap a node to see its links."
        )
    elif kind == "alignment":
        few = int(graph.graph.get("votes", 0)) <= 3
        text = [
            "Each node is a State; an edge links two States whose agreement index (the share of the recorded "
            "votes both cast in which they chose the same option) is at least "
            f"{graph.graph.get('threshold', 0):g}. The index rests on {counted_votes(graph)}"
            + (": with so few votes, many pairs agree fully and the index takes few values." if few else "."),
            f"The slider starts at {first_threshold(graph):g}, which keeps the strongest links (about three per "
            "State); move it left to see every link, right for only the closest agreement. Tap a State to see "
            "its links.",
        ]
    elif kind == "citations":
        text = [
            "Each edge links a document to a document, resolution or instrument it cites or mentions; tap a "
            "node to see its links."
        ]
    else:
        text = [
            "Each edge links two actors named in the same document's lists of speakers, weighted by the "
            "number of documents; tap a node to see its links."
        ]
    text.append("Search centres and zooms on the actors or instruments whose name holds the text.")
    return "".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in text)


def first_threshold(graph: nx.Graph, per_node: int = 3) -> float:
    """Where an alignment page's slider starts: the least agreement index that keeps about
    `per_node` links per State (the strongest), so the first view is not every pair above
    the network's threshold; the reader moves it left for more."""
    weights = sorted((d["weight"] for _, _, d in graph.edges(data=True)), reverse=True)
    if not weights:
        return 0.0
    kept = weights[min(len(weights), per_node * graph.number_of_nodes()) - 1]
    return math.floor(kept * 100) / 100  # on the slider's 0.01 steps, below the value so it is kept


def _bases(graph: nx.Graph) -> set[str]:
    return {row["basis"] for row in graph.graph.get("evidence", [])}


def render_page(graph: nx.Graph) -> bytes:
    """The interactive page of `graph` as UTF-8 HTML bytes."""
    from bokeh.document import Document
    from bokeh.embed import file_html
    from bokeh.layouts import column, row
    from bokeh.models import CDSView, ColumnDataSource, CustomJS, HoverTool, IndexFilter, Range1d, TapTool

    # the widgets from the modules that define them: bokeh.models re-exports them through a
    # computed __all__ that type checkers cannot read (the same classes)
    from bokeh.models.widgets.inputs import MultiChoice, Select, TextInput
    from bokeh.models.widgets.markups import Div
    from bokeh.models.widgets.sliders import Slider
    from bokeh.plotting import figure
    from bokeh.resources import INLINE

    kind = graph.graph.get("kind", "network")
    position = layout(graph)
    order = sorted(graph.nodes)
    index = {node: i for i, node in enumerate(order)}
    evidence_rows = graph.graph.get("evidence", [])

    help_text = page_help(graph, kind)
    node_data = _node_columns(graph, order, position)
    edge_list = sorted(
        (_oriented(graph, a, b, index) + (data,) for a, b, data in graph.edges(data=True)),
        key=lambda e: (index[e[0]], index[e[1]]),
    )
    rows_of: dict[tuple[str, str], list[int]] = {}
    for r, row_ in enumerate(evidence_rows):
        rows_of.setdefault((row_["holder"], row_["instrument"]), []).append(r)
    edge_data = _edge_columns(graph, edge_list, position, rows_of)
    modes = _colour_modes(kind, bool(evidence_rows), node_data)
    node_data["fill"] = list(node_data[f"colour_{modes[0]}"])
    evidence_data = {
        key: [row_[key] for row_ in evidence_rows]
        for key in (
            "holder",
            "basis",
            "act",
            "stance",
            "polarity",
            "date",
            "occasion",
            "source",
            "sourceLabel",
            "quote",
        )
    }
    # names let a script (or the browser test) find the models: Bokeh.documents[0].get_model_by_name('nodes')
    nodes = ColumnDataSource(node_data, name="nodes")
    edges = ColumnDataSource(edge_data, name="edges")
    evidence = ColumnDataSource(evidence_data, name="evidence")
    node_filter = IndexFilter(indices=list(range(len(order))), name="node-filter")
    edge_filter = IndexFilter(indices=list(range(len(edge_list))), name="edge-filter")

    # fixed ranges the page's script sets: to the nodes shown, or to a search's matches
    # (Bokeh's data ranges refit themselves and would undo a zoom on a match)
    plot = figure(
        title=None,
        tools="pan,wheel_zoom,box_zoom,reset,save",
        active_scroll="wheel_zoom",
        sizing_mode="stretch_both",
        x_range=Range1d(start=-1.1, end=1.1, name="x-range"),
        y_range=Range1d(start=-1.1, end=1.1, name="y-range"),
        toolbar_location="above",
    )
    plot.axis.visible = False
    plot.grid.visible = False
    plot.outline_line_color = None
    edge_renderer = plot.multi_line(
        "xs",
        "ys",
        source=edges,
        view=CDSView(filter=edge_filter),
        line_color="colour",
        line_width="width",
        line_alpha=0.55,
        hover_line_alpha=1.0,
        hover_line_color="colour",
        selection_line_alpha=1.0,
        nonselection_line_alpha=0.15,
    )
    node_renderer = plot.scatter(
        "x",
        "y",
        source=nodes,
        view=CDSView(filter=node_filter),
        marker="marker",
        size="size",
        fill_color="fill",
        line_color="line_colour",
        line_width="line_width",
        fill_alpha=0.9,
        nonselection_fill_alpha=0.25,
        nonselection_line_alpha=0.3,
    )
    plot.text(
        "x",
        "y",
        text="caption",
        source=nodes,
        view=CDSView(filter=node_filter),
        text_font_size="8pt",
        text_color="#333333",
        x_offset=7,
        y_offset=-4,
        text_baseline="middle",
    )
    plot.add_tools(
        HoverTool(renderers=[node_renderer], tooltips=[("", "@label"), ("", "@summary")]),
        HoverTool(
            renderers=[edge_renderer],
            line_policy="interp",
            tooltips=[("", "@source_label \u2014 @target_label"), ("", "@summary")],
        ),
        TapTool(renderers=[node_renderer, edge_renderer]),
    )

    controls: dict = {
        "search": TextInput(
            name="search",
            title="Search for an actor or instrument",
            placeholder="e.g. Brazil",
            sizing_mode="stretch_width",
        )
    }
    if evidence_rows:
        stances = sorted({r["stance"] for r in evidence_rows})
        bases = sorted({r["basis"] for r in evidence_rows})
        occasions = sorted({r["occasion"] for r in evidence_rows if r["occasion"]})
        controls["stance"] = MultiChoice(
            name="stance", title="Stance", options=stances, value=stances, sizing_mode="stretch_width"
        )
        shown_first = sorted(default_layers(graph) & set(bases)) or bases
        controls["basis"] = MultiChoice(
            name="basis", title="Basis", options=bases, value=shown_first, sizing_mode="stretch_width"
        )
        # Select's options are typed as a list of values or (value, label) pairs; list is invariant
        occasion_options: list[str | tuple[str, str]] = [("", "all meetings, votes and treaty actions")]
        occasion_options += [(o, o) for o in occasions]
        controls["occasion"] = Select(
            name="occasion",
            title="Meeting or vote",
            value="",
            sizing_mode="stretch_width",
            options=occasion_options,
        )
    if kind == "alignment" and graph.number_of_edges():
        least = min(d["weight"] for _, _, d in graph.edges(data=True))
        controls["threshold"] = Slider(
            name="threshold",
            title="Least agreement index",
            start=round(least, 2),
            end=1.0,
            step=0.01,
            value=first_threshold(graph),
            sizing_mode="stretch_width",
        )
    colour_options: list[str | tuple[str, str]] = list(modes)  # (as Select's options are typed)
    controls["colour"] = Select(
        name="colour", title="Colour nodes by", value=modes[0], options=colour_options, sizing_mode="stretch_width"
    )
    legends = {mode: _legend(mode, node_data, kind) for mode in modes}

    # the status line is written by the page's script once the document is ready, with the
    # filters applied (in a positions network, statements first)
    status = Div(name="status", text="<p>Loading\u2026</p>", sizing_mode="stretch_width")
    key = Div(name="key", text=legends[modes[0]], sizing_mode="stretch_width")
    panel = Div(name="panel", text=help_text, sizing_mode="stretch_width", styles={"overflow-wrap": "anywhere"})
    code = files("kg.draw").joinpath("page.js").read_text(encoding="utf-8")
    args = dict(
        nodes=nodes,
        edges=edges,
        evidence=evidence,
        node_filter=node_filter,
        edge_filter=edge_filter,
        controls=controls,
        status=status,
        key=key,
        panel=panel,
        plot=plot,
        legends=legends,
        help=help_text,
        stanceColours={str(sign): colour for sign, (colour, _) in SIGN_COLOURS.items()},
    )
    update = CustomJS(args=dict(args, action="update"), code=code)
    for name, control in controls.items():
        control.js_on_change("value_input" if name == "search" else "value", update)
    show_panel = CustomJS(args=dict(args, action="panel"), code=code)
    nodes.selected.js_on_change("indices", show_panel)
    edges.selected.js_on_change("indices", show_panel)

    heading = Div(text=f"<h2>{html.escape(_heading(graph, kind))}</h2>", sizing_mode="stretch_width")
    sidebar = column(
        heading,
        *controls.values(),
        status,
        key,
        panel,
        width=360,
        sizing_mode="stretch_height",
        styles={"overflow-y": "auto", "padding-right": "8px"},
    )
    document = Document()
    document.add_root(row(sidebar, plot, sizing_mode="stretch_both"))
    document.js_on_event("document_ready", update)
    page = file_html(document, INLINE, title=f"cyberkg: {kind} network")
    return _stable_ids(page).encode("utf-8")


def _oriented(graph: nx.Graph, a: str, b: str, index: dict[str, int]) -> tuple[str, str]:
    """An edge as (source, target): as drawn for a directed network; an actor before an
    instrument; otherwise in node order."""
    if graph.is_directed():
        return a, b
    if graph.nodes[a].get("mode") != "actor" and graph.nodes[b].get("mode") == "actor":
        return b, a
    if graph.nodes[a].get("mode") == graph.nodes[b].get("mode") and index[b] < index[a]:
        return b, a
    return a, b


def _node_columns(graph: nx.Graph, order: list[str], position: dict) -> dict[str, list]:
    weights = [graph.nodes[n].get("weightedDegree", 1.0) for n in order]
    largest = max(weights, default=1.0) or 1.0
    first = layer_view(graph, default_layers(graph)) if graph.graph.get("kind") == "positions" else graph
    key_nodes = most_connected(first if first.number_of_nodes() else graph, LABELLED)
    captions = node_captions(graph, [*key_nodes, *(n for n in order if graph.nodes[n].get("mode") == "instrument")])
    groups = sorted({g for n in order for g in graph.nodes[n].get("regionalGroup", "").split(" | ") if g})
    columns: dict[str, list] = {
        key: []
        for key in (
            "id",
            "label",
            "mode",
            "category",
            "summary",
            "x",
            "y",
            "size",
            "marker",
            "caption",
            "degree",
            "community",
            "group",
            "colour_kind",
            "colour_community",
            "colour_group",
            "base_line_colour",
            "base_line_width",
            "line_colour",
            "line_width",
        )
    }
    for n, weight in zip(order, weights):
        data = graph.nodes[n]
        category = (
            "instrument"
            if data.get("mode") == "instrument"
            else data.get("actorKind") or data.get("mode") or "document"
        )
        community = data.get("community", -1)
        group = data.get("regionalGroup", "").split(" | ")[0]
        hollow = category == "collective"
        columns["id"].append(n)
        columns["label"].append(data.get("label", n))
        columns["mode"].append(data.get("mode", ""))
        columns["category"].append(category)
        columns["summary"].append(_node_summary(data, category))
        columns["x"].append(round(float(position[n][0]), 6))
        columns["y"].append(round(float(position[n][1]), 6))
        columns["size"].append(round(7 + 17 * math.sqrt(weight / largest), 3))
        columns["marker"].append(MARKERS.get(category, "circle"))
        columns["caption"].append(captions.get(n, ""))
        columns["degree"].append(int(data.get("degree", 0)))
        columns["community"].append(community)
        columns["group"].append(group)
        columns["colour_kind"].append("#ffffff" if hollow else KIND_COLOURS.get(category, OTHER))
        columns["colour_community"].append(
            COMMUNITY_COLOURS[community] if 0 <= community < len(COMMUNITY_COLOURS) else OTHER
        )
        columns["colour_group"].append(GROUP_COLOURS[groups.index(group) % len(GROUP_COLOURS)] if group else OTHER)
        columns["base_line_colour"].append(KIND_COLOURS["collective"] if hollow else "#ffffff")
        columns["base_line_width"].append(1.5 if hollow else 0.5)
    columns["line_colour"] = list(columns["base_line_colour"])
    columns["line_width"] = list(columns["base_line_width"])
    return columns


def _node_summary(data: dict, category: str) -> str:
    parts = [
        _plural(category).rstrip("s") if category != "collective" else "anonymous collective",
        f"degree {data.get('degree', 0)}",
        f"weighted degree {data.get('weightedDegree', 0):g}",
        f"betweenness {data.get('betweenness', 0):.3f}",
    ]
    if data.get("community", -1) >= 0:
        parts.append(f"community {data['community'] + 1}")
    if data.get("regionalGroup"):
        parts.append(data["regionalGroup"])
    return "; ".join(parts)


def _edge_columns(graph: nx.Graph, edge_list: list, position: dict, rows_of: dict) -> dict[str, list]:
    kind = graph.graph.get("kind")
    top = max((d.get("weight", 1) for _, _, d in edge_list), default=1) or 1
    columns: dict[str, list] = {
        key: []
        for key in (
            "source",
            "target",
            "source_label",
            "target_label",
            "summary",
            "xs",
            "ys",
            "colour",
            "width",
            "weight",
            "rows",
        )
    }
    for a, b, data in edge_list:
        columns["source"].append(a)
        columns["target"].append(b)
        columns["source_label"].append(graph.nodes[a].get("label", a))
        columns["target_label"].append(graph.nodes[b].get("label", b))
        columns["xs"].append([round(float(position[a][0]), 6), round(float(position[b][0]), 6)])
        columns["ys"].append([round(float(position[a][1]), 6), round(float(position[b][1]), 6)])
        weight = data.get("weight", 1)
        columns["weight"].append(weight)
        if kind == "positions":
            columns["colour"].append(SIGN_COLOURS[data.get("sign", 0)][0])
            columns["width"].append(round(1.0 + 0.7 * min(weight, 6), 2))
            counts = [
                _counted(data[key], word)
                for key, word in (("statements", "statement"), ("votes", "vote"), ("treatyActions", "treaty action"))
                if data[key]
            ]
            columns["summary"].append(f"{data['stance']}: {', '.join(counts)} ({data['stances']})")
        else:
            columns["colour"].append("#8a8a8a")
            columns["width"].append(round(0.6 + 3.0 * weight / top, 2))
            if kind == "alignment":
                columns["summary"].append(
                    f"agreement index {weight:g}: the same option in {data['sameVotes']} of "
                    f"{data['sharedVotes']} shared recorded votes"
                )
            else:
                columns["summary"].append(data.get("relation", f"weight {weight:g}"))
        columns["rows"].append(rows_of.get((a, b), []))
    return columns


def _counted(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _colour_modes(kind: str, has_evidence: bool, node_data: dict) -> list[str]:
    modes = ["community", "group"] if kind in ("alignment", "speakers") else ["kind", "community"]
    if has_evidence:
        modes.append("stance")
    if kind not in ("alignment", "speakers") and any(c != OTHER for c in node_data["colour_group"]):
        modes.append("group")
    return modes


def _legend(mode: str, node_data: dict, kind: str) -> str:
    """The key for one colour mode, as HTML (all text escaped)."""
    if mode == "stance":
        entries = [(colour, f"net {label}") for colour, label in SIGN_COLOURS.values()]
        entries.append((KIND_COLOURS["instrument"], "instruments"))
    else:
        counts = Counter(
            zip(node_data[f"colour_{mode}"], node_data["category"] if mode == "kind" else _mode_labels(mode, node_data))
        )
        entries = [
            (colour, f"{_plural(label) if mode == 'kind' else label} ({count})")
            for (colour, label), count in sorted(counts.items(), key=lambda x: (x[0][1] == "none", x[0][1]))
        ]
    items = "".join(
        f'<li><span class="swatch" style="background:{html.escape(colour)};border:1px solid #888;'
        f'display:inline-block;width:10px;height:10px;margin-right:6px"></span>{html.escape(label)}</li>'
        for colour, label in entries
    )
    shapes = "; ".join(
        f"{_plural(c)}: {MARKERS[c].replace('_', ' ')}" for c in sorted(set(node_data["category"])) if c in MARKERS
    )
    edges = "; edges: green support, red opposition, grey mixed or neutral" if kind == "positions" else ""
    return (
        f'<div class="key"><ul style="list-style:none;padding-left:0;margin:4px 0">{items}</ul>'
        f"<small>Shapes: {html.escape(shapes)}{edges}</small></div>"
    )


def _mode_labels(mode: str, node_data: dict) -> list[str]:
    if mode == "community":
        return [
            f"community {c + 1}" if 0 <= c < len(COMMUNITY_COLOURS) else "other communities"
            for c in node_data["community"]
        ]
    return [group or "none" for group in node_data["group"]]


def _heading(graph: nx.Graph, kind: str) -> str:
    text = f"{kind} network: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges"
    if kind == "alignment":
        votes = int(graph.graph.get("votes", 0))
        text += f", agreement index \u2265 {graph.graph.get('threshold', 0):g} on {votes} recorded vote{'' if votes == 1 else 's'}"
    return text


UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def _stable_ids(page: str) -> str:
    """Bokeh numbers its models from a process-wide counter and gives the document and
    its root element random UUIDs: renumber both in order of appearance, so equal
    networks give equal bytes. Only identifiers are touched: in the document's JSON,
    model ids in their `"id":` slots and the document key; in the markup and the embed
    script around it, the tokens found there. Text from the graph is never rewritten.
    The inlined BokehJS in the head is left alone."""
    head, _, body = page.partition("</head>")
    start = body.index(">", body.index('<script type="application/json"')) + 1
    end = body.index("</script>", start)
    before, document_json, after = body[:start], body[start:end], body[end:]
    mapping: dict[str, str] = {}
    for token in re.findall(UUID, before + after):
        mapping.setdefault(token, f"u{1000 + len(mapping)}")
    for token in re.findall(r'"id":"(p\d+)"', document_json):
        mapping.setdefault(token, f"p{1000 + len(mapping)}")

    def rename(match: re.Match) -> str:
        return mapping.get(match.group(0), match.group(0))

    outside = re.compile(rf"\b(?:{UUID}|p\d+)\b")
    document_json = re.sub(r'(?<="id":")p\d+(?=")', rename, document_json)
    document_json = re.sub(
        rf'^(\s*\{{"){UUID}',
        lambda m: m.group(1) + mapping.get(m.group(0)[len(m.group(1)) :], ""),
        document_json,
        count=1,
    )
    return head + "</head>" + outside.sub(rename, before) + document_json + outside.sub(rename, after)
