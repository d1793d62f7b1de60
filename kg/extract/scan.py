"""Finding known names in running text: every alias of every known node, longest first,
whole words only. The names come from the data (labels and aliases in the reference
graph), so a new variant is one line of data."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kg.namespaces import as_iri
from kg.reference.names import LABELS
from kg.text import normalise_name

_ACRONYM = re.compile(r"^[A-Z0-9-]{2,8}$")


def _units(alias: str) -> list[str]:
    """An alias as a list of regex pieces, one per character: any run of white space
    matches any run (a name broken over a line), and any apostrophe or dash any other."""
    pieces: list[str] = []
    for char in alias:
        if char.isspace():
            if not pieces or pieces[-1] != r"\s+":
                pieces.append(r"\s+")
        elif char in "'’":
            pieces.append("['’]")
        elif char in "-–—":
            pieces.append("[-–—]")
        else:
            pieces.append(re.escape(char))
    return pieces


def _trie(aliases: set[str]) -> str:
    """One regex for many names, with their common beginnings written once ('Republic
    of (?:Korea|Moldova)'): Python's engine then tries a few branches at each position of
    the text instead of every name, three times faster for the actors. Where one name
    begins another, the longer is tried first, so a match is the longest name there, as
    an alternation sorted by length would give."""
    root: dict = {}
    for alias in aliases:
        node = root
        for piece in _units(alias):
            node = node.setdefault(piece, {})
        node[""] = {}  # a name ends here

    def render(node: dict) -> str:
        branches = [piece + render(child) for piece, child in sorted(node.items()) if piece]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and "" not in node else "(?:" + "|".join(branches) + ")"
        return body + "?" if "" in node else body

    return render(root)


class Scanner:
    """Non-overlapping occurrences of known names in a text, mapped to their nodes."""

    def __init__(self, names: Iterable[tuple[str, URIRef]], case_sensitive: bool = True):
        self._nodes: dict[str, set[URIRef]] = {}
        self._parts: list[Scanner] = []  # scanners merged into this one
        exact: set[str] = set()
        folded: set[str] = set()
        for name, node in names:
            alias = re.sub(r"^(?i:the)\s+", "", name.strip())
            if not alias:
                continue
            self._nodes.setdefault(normalise_name(alias), set()).add(node)
            # proper names ("Convention on Cybercrime") match as written, so that a common
            # noun phrase ("a universal convention on cybercrime") is not taken for them; a
            # long title is itself in any capitalisation ("Open-ended Working Group on
            # security of ..." and "... on Security of ...")
            proper = alias[0].isupper() and len(alias.split()) < 5
            (exact if case_sensitive or _ACRONYM.match(alias) or proper else folded).add(alias)
        self._exact = self._compile(exact, 0)
        self._folded = self._compile(folded, re.IGNORECASE)

    @staticmethod
    def _compile(aliases: set[str], flags: int) -> re.Pattern | None:
        if not aliases:
            return None
        return re.compile(r"(?<![\w])(?:" + _trie(aliases) + r")(?![\w])", flags)

    @classmethod
    def from_graph(cls, graph: Graph, classes: Iterable[URIRef], case_sensitive: bool = True) -> Scanner:
        names = [
            (str(name), node)
            for cls_ in classes
            for node in sorted(as_iri(s) for s in graph.subjects(RDF.type, cls_))
            for predicate in LABELS
            for name in graph.objects(node, predicate)
        ]
        return cls(names, case_sensitive)

    def merged(self, other: Scanner) -> Scanner:
        """A scanner that finds the names of both (a document's own organizations beside the
        reference data's actors), without recompiling the large one."""
        combined = Scanner(())
        combined._parts = [self, other]
        return combined

    def find(self, text: str) -> list[tuple[int, int, URIRef]]:
        """(start, end, node) of each occurrence, in order; ambiguous names are skipped."""
        spans: list[tuple[int, int, URIRef]] = []
        for part in self._parts:
            spans += part.find(text)
        for pattern in (self._exact, self._folded):
            if pattern is None:
                continue
            for match in pattern.finditer(text):
                nodes = self._nodes.get(normalise_name(match.group()), set())
                if len(nodes) == 1:
                    spans.append((match.start(), match.end(), next(iter(nodes))))
        spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        kept: list[tuple[int, int, URIRef]] = []
        for span in spans:  # the longest match wins where two overlap
            if kept and span[0] < kept[-1][1]:
                if span[1] - span[0] > kept[-1][1] - kept[-1][0]:
                    kept[-1] = span
                continue
            kept.append(span)
        return kept
