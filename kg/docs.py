"""HTML documentation of the ontology, generated with pyLODE (an optional extra).

The page is built from the vocabulary files, never written by hand: run
`cyberkg ontology docs -o PATH` or `make docs`. The same ontology gives the same bytes:
pyLODE writes its union and intersection lists in a different order in each process, and
canonical_set_lists puts them in one (see below).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from kg import resources
from kg.errors import CyberkgError
from kg.graphio import atomic_write
from kg.ontology import load_ontology, without_external_declarations


def write_ontology_html(destination: Path) -> Path:
    """Render the classes and properties of the ontology to one HTML page.

    Only ontology/cyberkg.ttl is rendered: pyLODE's OntPub profile merges every
    skos:ConceptScheme it sees into the page title, and its VocPub profile shows no
    concepts for our schemes, so the coded values are read in schemes.ttl and topics.ttl.
    """
    logging.disable(logging.INFO)  # pyLODE logs at INFO and DEBUG on the root logger
    try:
        html = _render(resources.resource_dir("ontology") / "cyberkg.ttl")
    finally:
        logging.disable(logging.NOTSET)
    with atomic_write(Path(destination)) as stream:
        stream.write(html)
    return Path(destination)


def _render(path: Path) -> str:
    try:
        from pylode import OntPub
    except ImportError:
        raise CyberkgError("pyLODE is not installed: install the docs extra, pip install 'cyberkg[docs]'") from None
    except Exception as error:  # some pyLODE releases fail at import time (3.4.1 on Python 3.11)
        raise CyberkgError(
            f"pyLODE could not be loaded ({error}); install the tested version: pip install 'cyberkg[docs]'"
        ) from None
    # other vocabularies' terms are not ours to document: pyLODE would give each a section,
    # and shift our anchors (#Vote1)
    ontology = without_external_declarations(load_ontology([path]))
    html = OntPub(ontology=ontology, sort_subjects=True).make_html()
    try:
        return canonical_set_lists(html)
    except ValueError as error:  # a pyLODE release that writes other markup than 3.3.4
        raise CyberkgError(
            f"pyLODE's page could not be put in a stable order ({error}); install the tested version: "
            "pip install 'cyberkg[docs]'"
        ) from None


# -- pyLODE's union and intersection lists, in one order ----------------------------------------
#
# pyLODE 3.3.4 renders an owl:unionOf / owl:intersectionOf class ("passage or section or
# sentence") by putting the rendered members in a Python set of dominate elements
# (utils.py, _setclass_html). Those hash by id(), so the members come out in a different
# order from one process to the next, whatever PYTHONHASHSEED or the blank-node labels.
# Nothing else on the page varies (cyberkg.ttl rendered in 12 processes: 12 different pages
# from pyLODE, one after this). canonical_set_lists puts the members of each such list
# in one order, the words shown, then their markup (a link's target), and changes nothing
# else: each member's markup is moved whole, byte for byte, so the page lists the same
# members with the same links, only in a fixed order.
#
# A list is recognised in the page as pyLODE writes it: among the children of one element,
# two or more members, each an element, separated by <span class="cardinality">or</span>
# (or "and", or ",", pyLODE's joining words), with nothing but white space between them.
# The cardinality spans of restrictions ("min", "some", "only", ...) are not joining words.

JOINING_WORDS = frozenset({"or", "and", ","})
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)


class _Opaque(str):
    """A comment or declaration among the parts: not text, and no list runs across it."""


@dataclass
class _Element:
    tag: str
    classes: tuple[str, ...]
    start: int  # offset of "<" of the start tag in the page
    end: int = -1  # offset just after the ">" of the end tag
    parts: list[_Element | str] = field(default_factory=list)  # children and text, in order

    def text(self) -> str:
        return "".join(p.text() if isinstance(p, _Element) else "" if isinstance(p, _Opaque) else p for p in self.parts)

    def joining_word(self) -> str | None:
        word = " ".join(self.text().split())
        return word if self.tag == "span" and "cardinality" in self.classes and word in JOINING_WORDS else None


class _Tree(HTMLParser):
    """The elements of a page with their offsets in it (html.parser reports line and column)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.html = html
        self.line_starts = [0]
        for line in html.split("\n")[:-1]:  # html.parser counts lines by "\n" alone
            self.line_starts.append(self.line_starts[-1] + len(line) + 1)
        self.root = _Element("", (), 0, len(html))
        self.stack = [self.root]
        self.feed(html)
        self.close()
        if len(self.stack) != 1:
            raise ValueError(f"unclosed <{self.stack[-1].tag}> in the page")

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        classes = tuple(" ".join(value or "" for name, value in attrs if name == "class").split())
        element = _Element(tag, classes, self._offset())
        self.stack[-1].parts.append(element)
        if tag in VOID_ELEMENTS:
            element.end = element.start + len(self.get_starttag_text() or "")
        else:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.stack.pop().end = self._offset() + len(self.get_starttag_text() or "")

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            return
        if self.stack[-1].tag != tag:
            raise ValueError(f"</{tag}> closes <{self.stack[-1].tag}> at offset {self._offset()}")
        self.stack.pop().end = self.html.index(">", self._offset()) + 1

    def handle_data(self, data):
        self.stack[-1].parts.append(data)

    def handle_comment(self, data):
        self.stack[-1].parts.append(_Opaque(data))

    def handle_decl(self, decl):
        self.stack[-1].parts.append(_Opaque(decl))

    def handle_pi(self, data):
        self.stack[-1].parts.append(_Opaque(data))


def canonical_set_lists(html: str) -> str:
    """The page with the members of each of pyLODE's union and intersection lists in one
    order (see above); everything else byte for byte as it was."""
    tree = _Tree(html)
    return _canonical(tree.root, html)


def _canonical(element: _Element, html: str) -> str:
    children = [p for p in element.parts if isinstance(p, _Element)]
    texts = {id(c): _canonical(c, html) for c in children}
    placed = dict(texts)
    for run in _lists(element.parts):
        members = sorted(run, key=lambda m: (" ".join(m.text().split()).casefold(), texts[id(m)]))
        for slot, member in zip(run, members, strict=True):
            placed[id(slot)] = texts[id(member)]
    out, cursor = [], element.start
    for child in children:
        out += [html[cursor : child.start], placed[id(child)]]
        cursor = child.end
    out.append(html[cursor : element.end])
    return "".join(out)


def _lists(parts: list[_Element | str]) -> list[list[_Element]]:
    """The members of each list among `parts`: elements joined by one joining word."""
    significant = [p for p in parts if isinstance(p, (_Element, _Opaque)) or p.strip()]
    runs: list[list[_Element]] = []
    i = 0
    while i < len(significant):
        first = significant[i]
        if not isinstance(first, _Element) or first.joining_word():
            i += 1
            continue
        run, word, j = [first], None, i + 1
        while j + 1 < len(significant):
            separator, member = significant[j], significant[j + 1]
            if not isinstance(separator, _Element) or not isinstance(member, _Element) or member.joining_word():
                break
            joined = separator.joining_word()
            if joined is None or (word is not None and joined != word):
                break
            word = joined
            run.append(member)
            j += 2
        if len(run) > 1:
            runs.append(run)
        i = j if len(run) > 1 else i + 1
    return runs
