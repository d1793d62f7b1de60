"""The ontology's HTML documentation: the same ontology gives the same bytes in every
process, and putting pyLODE's union and intersection lists in one order changes nothing
else on the page."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest
from rdflib.namespace import OWL, RDF, RDFS

from kg import resources
from kg.docs import _Element, _lists, _Tree, canonical_set_lists
from kg.ontology import load_ontology

pytest.importorskip("pylode", reason="the docs extra is not installed: pip install 'cyberkg[docs]'")


def _render_in_process(output, seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run([sys.executable, "-m", "kg", "ontology", "docs", "-o", str(output)], check=True, env=env)
    return output.read_bytes()


def _lists_of(html: str) -> list[list[str]]:
    """The members of every union or intersection list on the page, as words, in page order."""
    found: list[list[str]] = []

    def walk(element: _Element) -> None:
        found.extend([" ".join(m.text().split()) for m in run] for run in _lists(element.parts))
        for part in element.parts:
            if isinstance(part, _Element):
                walk(part)

    walk(_Tree(html).root)
    return found


@pytest.fixture(scope="module")
def pages() -> tuple[str, str]:
    """The page as pyLODE writes it, and as cyberkg writes it."""
    from pylode import OntPub

    logging.disable(logging.INFO)
    try:
        ontology = load_ontology([resources.resource_dir("ontology") / "cyberkg.ttl"])
        raw = OntPub(ontology=ontology, sort_subjects=True).make_html()
    finally:
        logging.disable(logging.NOTSET)
    return raw, canonical_set_lists(raw)


def test_renders_in_processes_with_different_hash_seeds_are_identical(tmp_path):
    # pyLODE 3.3.4 alone gave a different page in every process (12 of 12)
    first = _render_in_process(tmp_path / "first.html", "1")
    second = _render_in_process(tmp_path / "second.html", "2")
    assert first == second


def test_the_canonical_order_moves_list_members_and_nothing_else(pages):
    raw, fixed = pages
    assert len(raw) == len(fixed)
    assert sorted(raw.splitlines()) == sorted(fixed.splitlines())  # each member moved whole, nothing else
    before, after = _lists_of(raw), _lists_of(fixed)
    assert len(before) == len(after)
    for old, new in zip(before, after, strict=True):
        assert sorted(old) == sorted(new) == new  # the same members, in order of the words shown


def test_every_union_in_the_ontology_is_a_list_on_the_page_in_order(pages):
    ontology = load_ontology([resources.resource_dir("ontology") / "cyberkg.ttl"])
    unions = {
        tuple(sorted(f"{ontology.value(member, RDFS.label)} c" for member in ontology.items(members)))
        for node, members in ontology.subject_objects(OWL.unionOf)
        if (node, RDF.type, OWL.Class) in ontology
    }
    shown = [tuple(run) for run in _lists_of(pages[1])]
    assert unions and set(shown) == unions  # "c" is pyLODE's mark for a class
    assert canonical_set_lists(pages[1]) == pages[1]


def test_lists_are_ordered_within_their_element_and_nested_ones_too():
    html = (
        "<!DOCTYPE html>\n<td>\n  <span><a href='#b'>b</a></span>\n  <span class=\"cardinality\">or</span>\n"
        "  <span><a href='#a'>a</a></span>\n  <span class=\"cardinality\">or</span>\n"
        '  <span><span><i>z</i><span class="cardinality">and</span><i>y</i></span></span>\n</td>\n'
    )
    assert canonical_set_lists(html) == (
        "<!DOCTYPE html>\n<td>\n  <span><a href='#a'>a</a></span>\n  <span class=\"cardinality\">or</span>\n"
        "  <span><a href='#b'>b</a></span>\n  <span class=\"cardinality\">or</span>\n"
        '  <span><span><i>y</i><span class="cardinality">and</span><i>z</i></span></span>\n</td>\n'
    )


@pytest.mark.parametrize(
    "html",
    [
        # a restriction's words are not joining words
        '<span><span class="cardinality">some</span><a>b</a><span class="cardinality">min</span><a>a</a></span>',
        # text or a comment between members ends a list
        '<td><b>b</b> text <span class="cardinality">or</span><b>a</b></td>',
        '<td><b>b</b><!-- c --><span class="cardinality">or</span><b>a</b></td>',
        # members of different elements are not one list
        '<td><i><b>b</b><span class="cardinality">or</span></i><b>a</b></td>',
    ],
)
def test_what_is_not_one_list_is_left_as_it_is(html):
    assert canonical_set_lists(html) == html


def test_a_list_has_one_joining_word():
    html = '<td><b>c</b><span class="cardinality">or</span><b>b</b><span class="cardinality">and</span><b>a</b></td>'
    assert canonical_set_lists(html) == html.replace("<b>c</b>", "<b>#</b>").replace("<b>b</b>", "<b>c</b>").replace(
        "<b>#</b>", "<b>b</b>"
    )
