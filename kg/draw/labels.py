"""The names pictures and pages print on nodes: short, distinct, and never cut so that
they change meaning.

An instrument prints its short label (`ckg:shortLabel`, "Budapest Convention") where the
data gives one and no other node shown has it, and its full label otherwise. A name is
wrapped on word boundaries rather than cut; only past `LINES` lines is its middle left
out, with an ellipsis (the head says who, the tail which one), and two names that would
then read alike are printed in full. The full label stays in the tooltip of the page and
in the network files.
"""

from __future__ import annotations

import textwrap
from collections import Counter

import networkx as nx

WIDTH = 22  # characters per line
LINES = 4


def display_names(graph: nx.Graph) -> dict[str, str]:
    """Each node's name, before wrapping: its short label if the data gives one that no
    other node of `graph` shares, else its label."""
    shorts = Counter(data.get("shortLabel") for _, data in graph.nodes(data=True) if data.get("shortLabel"))
    names = {}
    for node, data in graph.nodes(data=True):
        short = data.get("shortLabel")
        names[node] = short if short and shorts[short] == 1 else str(data.get("label", node))
    return names


def wrapped(text: str, width: int = WIDTH, lines: int | None = LINES) -> str:
    """`text` on lines of about `width` characters, broken between words only; past
    `lines` lines, the first line, an ellipsis and the last lines (on one line: words
    from the start and the end around the ellipsis)."""
    if lines == 1:
        return _one_line(text, width)
    parts = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [text]
    if lines is not None and len(parts) > lines:
        # the head says who or what, the tail which one ("... 27-29 July 2020. Addendum)",
        # "... resolution 74/247"): the ellipsis goes in the middle
        parts = [parts[0] + " \u2026", *parts[len(parts) - lines + 1 :]]
    return "\n".join(parts)


def node_captions(graph: nx.Graph, nodes) -> dict[str, str]:
    """The wrapped captions of `nodes`, each distinct: names that an ellipsis would make
    read alike are printed in full."""
    names = display_names(graph)
    captions = {node: wrapped(names[node]) for node in nodes}
    alike = Counter(captions.values())
    return {
        node: caption
        if alike[caption] == 1 or names[node] == caption.replace("\n", " ")
        else wrapped(names[node], lines=None)
        for node, caption in captions.items()
    }


def _one_line(text: str, width: int) -> str:
    """`text` in about `width` characters on one line: whole words from its start and its
    end around an ellipsis, the start given the larger share."""
    if len(text) <= width:
        return text
    words = text.split()
    head: list[str] = []
    tail: list[str] = []
    for word in words:  # the head: up to three fifths of the room
        if len(" ".join([*head, word])) > 0.6 * width - 2:
            break
        head.append(word)
    for word in reversed(words[len(head) :]):  # the tail: the rest of the room
        if len(" ".join([*head, "\u2026", word, *tail])) > width:
            break
        tail.insert(0, word)
    return " ".join([*(head or [words[0]]), "\u2026", *tail])
