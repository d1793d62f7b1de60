"""How far each shape looks: the split that lets a graph be validated one named graph
at a time (kg.validate.parts).

A shape is *local* when everything it checks about a focus node can be read from that
node's own statements and the classes of the nodes they point to: property shapes with
a plain predicate path, cardinalities, datatypes, patterns, value lists, sh:class on the
values, sh:closed, and sh:and / sh:or / sh:xone / sh:not / sh:node made of such checks.
Anything else *reaches* further: SPARQL constraints, inverse and multi-step paths,
qualified value shapes, and shapes nested on the values that read the values' own
properties. Unknown parameters count as reaching, so a shape this module does not
understand is checked the slow, safe way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)

# Parameters that do not constrain anything, or that belong to the enclosing shape's
# own definition.
NEUTRAL = {
    RDF.type,
    RDFS.label,
    RDFS.comment,
    SH.message,
    SH.severity,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.deactivated,
    SH.ignoredProperties,
    SH.closed,
    SH.defaultValue,
    *TARGETS,
}
# Constraints on a value node that read only the value itself and its classes.
VALUE_CHECKS = {
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH["in"],
    SH.hasValue,
    SH.pattern,
    SH.flags,
    SH.minLength,
    SH.maxLength,
    SH.languageIn,
    SH.minInclusive,
    SH.maxInclusive,
    SH.minExclusive,
    SH.maxExclusive,
}
# Constraints of a property shape that compare the focus node's own values.
PROPERTY_CHECKS = {SH.minCount, SH.maxCount, SH.uniqueLang, SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals}
LOGICAL_LISTS = (SH["and"], SH["or"], SH.xone)


@dataclass(frozen=True)
class Split:
    """The top-level (targeted) shapes of a shapes graph, by reach, with a shapes graph
    for each half."""

    local: frozenset
    reaching: frozenset
    local_graph: Graph
    reaching_graph: Graph


def top_level_shapes(shapes: Graph) -> set:
    tops = {s for p in TARGETS for s in shapes.subjects(p, None)}
    for kind in (RDFS.Class, OWL.Class):  # implicit class targets
        tops |= {s for s in shapes.subjects(RDF.type, kind) if (s, RDF.type, SH.NodeShape) in shapes}
    return tops


def split_shapes(shapes: Graph) -> Split:
    tops = top_level_shapes(shapes)
    reach = _Reach(shapes)
    local = frozenset(s for s in tops if reach.top_is_local(s))
    reaching = frozenset(tops - local)
    return Split(local, reaching, closure(shapes, local), closure(shapes, reaching))


def closure(graph: Graph, roots, follow: Callable[[object], bool] | None = None) -> Graph:
    """The statements of `graph` reachable from `roots`, with its prefixes. By default
    every object that has statements of its own is followed (for a shapes graph: the
    blank-node parts, lists, the shapes named and the prefix declarations); `follow`
    picks the objects to follow instead."""
    if follow is None:

        def follow(o) -> bool:
            return isinstance(o, (BNode, URIRef)) and (o, None, None) in graph

    out = Graph(namespace_manager=graph.namespace_manager)
    seen: set = set()
    stack = sorted(roots)
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in graph.predicate_objects(node):
            out.add((node, p, o))
            if o not in seen and follow(o):
                stack.append(o)
    return out


class _Reach:
    def __init__(self, shapes: Graph):
        self.g = shapes
        self.memo: dict = {}

    def _list(self, node) -> list:
        return list(Collection(self.g, node))

    def top_is_local(self, shape) -> bool:
        if (shape, SH.path, None) in self.g:
            return self.property_local(shape)
        return self.focus_local(shape)

    def focus_local(self, shape, depth: int = 0) -> bool:
        """Applied to the focus node itself: reads only its own statements."""
        key = ("focus", shape)
        if key in self.memo:
            return self.memo[key]
        self.memo[key] = False  # a cycle of shapes counts as reaching
        if depth > 50:
            return False
        ok = True
        if (shape, SH.path, None) in self.g:
            ok = self.property_local(shape)
        else:
            for p, o in self.g.predicate_objects(shape):
                if p in NEUTRAL or p in VALUE_CHECKS:
                    continue
                if p == SH.property:
                    ok = self.property_local(o)
                elif p in LOGICAL_LISTS:
                    ok = all(self.focus_local(m, depth + 1) for m in self._list(o))
                elif p in (SH["not"], SH.node):
                    ok = self.focus_local(o, depth + 1)
                else:
                    ok = False
                if not ok:
                    break
        self.memo[key] = ok
        return ok

    def property_local(self, shape) -> bool:
        if not isinstance(self.g.value(shape, SH.path), URIRef):
            return False  # inverse, sequence, alternative and repeated paths reach other nodes
        for p, o in self.g.predicate_objects(shape):
            if p in NEUTRAL or p in VALUE_CHECKS or p in PROPERTY_CHECKS or p == SH.path:
                continue
            if p in LOGICAL_LISTS:
                ok = all(self.value_local(m) for m in self._list(o))
            elif p in (SH["not"], SH.node):
                ok = self.value_local(o)
            else:
                ok = False
            if not ok:
                return False
        return True

    def value_local(self, shape, depth: int = 0) -> bool:
        """Applied to a value node: reads only the value and its classes."""
        if depth > 50:
            return False
        for p, o in self.g.predicate_objects(shape):
            if p == SH.closed and isinstance(o, Literal) and o.toPython() is True:
                return False  # closing a value reads all its statements
            if p in NEUTRAL or p in VALUE_CHECKS:
                continue
            if p in LOGICAL_LISTS:
                ok = all(self.value_local(m, depth + 1) for m in self._list(o))
            elif p in (SH["not"], SH.node):
                ok = self.value_local(o, depth + 1)
            else:
                return False  # sh:property, sh:path, sh:sparql ... on a value reads its statements
            if not ok:
                return False
        return True
