"""The names pictures and pages print: wrapped between words, shortened only in the
middle, distinct for distinct nodes, and an instrument's short label where the data
gives one that no other node shares."""

from __future__ import annotations

import networkx as nx
import pytest

from kg.draw.labels import display_names, node_captions, wrapped

LONG = (
    "one speaker (Expert Group to Conduct a Comprehensive Study on Cybercrime. Vienna, 27-29 July 2020. Draft report)"
)


@pytest.mark.parametrize(
    "text",
    [
        "General Assembly resolution 74/247",
        "United Nations Convention against Cybercrime",
        LONG,
        "other Member States (UNODC/CCPCJ/EG.4/2019/2)",
    ],
)
def test_a_name_is_wrapped_between_words_and_never_cut_inside_one(text):
    caption = wrapped(text)
    words = caption.replace("\u2026", " ").split()
    assert all(word in text.split() for word in words)
    if "\u2026" not in caption:
        assert caption.replace("\n", " ") == text  # the whole name, only wrapped
    assert caption.split("\n")[-1] == wrapped(text, lines=None).split("\n")[-1]  # the end is always kept


def test_a_name_too_long_keeps_its_head_and_its_tail():
    caption = wrapped(LONG)
    lines = caption.split("\n")
    assert len(lines) == 4 and lines[0].startswith("one speaker") and lines[0].endswith("\u2026")
    assert "July 2020" in caption and caption.replace("\n", " ").endswith("Draft report)")  # which meeting survives


def graph_of(*nodes: tuple[str, dict]) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    return graph


def test_an_instrument_prints_its_short_label_unless_another_node_has_it():
    graph = graph_of(
        ("a", {"label": "Council of Europe Convention on Cybercrime", "shortLabel": "Budapest Convention"}),
        ("b", {"label": "General Assembly resolution 74/247", "shortLabel": "A/RES/74/247"}),
        ("c", {"label": "A second resolution", "shortLabel": "A/RES/74/247"}),
        ("d", {"label": "Brazil"}),
    )
    assert display_names(graph) == {
        "a": "Budapest Convention",
        "b": "General Assembly resolution 74/247",
        "c": "A second resolution",
        "d": "Brazil",
    }


def test_names_an_ellipsis_would_make_alike_are_printed_in_full():
    first = (
        "some speakers (Expert Group on Cybercrime, fifth meeting, held in Vienna over three days in the spring "
        "of the year 2020 at the United Nations)"
    )
    second = first.replace("fifth", "sixth")
    assert wrapped(first) == wrapped(second)  # the difference falls in the part left out
    captions = node_captions(graph_of(("x", {"label": first}), ("y", {"label": second})), ["x", "y"])
    assert captions["x"].replace("\n", " ") == first and captions["y"].replace("\n", " ") == second


def test_one_line_keeps_whole_words_from_both_ends():
    title = (
        "recorded vote: 79 yes, 60 no, 33 abstentions. \u201cCountering the use of information and "
        "communications technologies for criminal purposes\u201d"
    )
    line = wrapped(title, 100, lines=1)
    assert "\n" not in line and len(line) <= 100
    assert line.startswith("recorded vote: 79 yes, 60 no, 33 abstentions.") and line.endswith(
        "for criminal purposes\u201d"
    )
    assert all(word in title.split() for word in line.replace("\u2026", " ").split())
    assert wrapped("short enough", 100, lines=1) == "short enough"
