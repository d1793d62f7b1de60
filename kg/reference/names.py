"""The name matcher: resolve a name as a report or a table prints it to one node.

It is built from the labels and aliases in the data (rdfs:label, skos:prefLabel,
skos:altLabel), so a new variant is one line of data, never code. Matching is on whole
names after normalisation (case, diacritics, apostrophes, dashes, a leading 'the'); a
name that fits no node, or more than one, is reported and never guessed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.namespaces import as_iri
from kg.text import normalise_name

LABELS = (RDFS.label, SKOS.prefLabel, SKOS.altLabel)


class NameIndex:
    """Names -> nodes, refusing to guess."""

    def __init__(self) -> None:
        self._nodes: dict[str, set[URIRef]] = defaultdict(set)
        self._names: dict[str, set[str]] = defaultdict(set)

    @classmethod
    def from_graph(cls, graph: Graph, classes: Iterable[URIRef]) -> NameIndex:
        """An index of every label and alias of the nodes typed with one of `classes`."""
        index = cls()
        for cls_ in classes:
            for node in graph.subjects(RDF.type, cls_):
                for predicate in LABELS:
                    for name in graph.objects(node, predicate):
                        index.add(str(name), as_iri(node))
        return index

    def add(self, name: str, node: URIRef) -> None:
        key = normalise_name(name)
        if key:
            self._nodes[key].add(node)
            self._names[key].add(name)

    def candidates(self, name: str) -> set[URIRef]:
        """Every node the name could mean (empty when unknown)."""
        return set(self._nodes.get(normalise_name(name), ()))

    def lookup(self, name: str) -> URIRef | None:
        """The one node the name means, or None when it means none or several."""
        found = self._nodes.get(normalise_name(name), ())
        return next(iter(found)) if len(found) == 1 else None

    def ambiguous(self) -> dict[str, set[URIRef]]:
        """Names (as printed) that point to more than one node: a data error."""
        return {" / ".join(sorted(self._names[k])): nodes for k, nodes in self._nodes.items() if len(nodes) > 1}

    def __contains__(self, name: str) -> bool:
        return self.lookup(name) is not None

    def __len__(self) -> int:
        return len(self._nodes)
