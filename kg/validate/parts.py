"""Validation by parts: cut a graph of many named graphs into passes that pyshacl can
run one at a time, in parallel, and remember by content (kg.validate.cache).

Each named graph (a report, the reference data, the vocabulary) is one *unit*. The
passes, whose findings together are those of validating the union:

- one pass per unit, with the local shapes (kg.validate.reach): the unit's statements,
  the vocabulary, and the context it needs from other units, which is the rdf:type and
  rdfs:label statements made anywhere about the nodes it mentions (sh:class needs the
  class of a State a report names) and the statements elsewhere that make one of its
  own nodes a target (sh:targetObjectsOf). A unit keeps the findings about the nodes
  only it describes, and about nodes no unit describes;
- one pass over the nodes described in more than one unit (a person named in several
  reports, a document described where it is cited): everything every unit says about
  them, with the same context. It keeps the findings about those nodes;
- one pass with the shapes that reach further (SPARQL constraints, inverse paths) over
  the units that hold their possible focus nodes. When that is a single unit, its own
  pass takes those shapes too. Such a shape sees everything those units say, not the
  units it was not targeted in: the bundled ones check reference data, which is one
  unit. `validate(..., split=False)` (`cyberkg validate --whole`) checks the plain union.

Findings are deduplicated; a pass's findings depend only on its data and its shapes, so
they are cached by a hash of both.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from pyoxigraph import NamedNode, RdfFormat, serialize

from kg.namespaces import ONTOLOGY_IRI
from kg.validate.reach import Split

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
RDFS_SUBCLASS = NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
OWL_ONTOLOGY = NamedNode("http://www.w3.org/2002/07/owl#Ontology")
NT = RdfFormat.N_TRIPLES
SHARED = object()  # owner of a node several units describe


@dataclass
class Pass:
    """One pyshacl run: its data (the statements `own` and `extra`; the vocabulary is
    added when it runs), which shapes ('local', 'reaching' or 'all'), and whose findings
    it keeps ('unit': the nodes only `unit` describes, or nobody does; 'shared': nodes in
    `nodes`; 'reaching': the reaching shapes' findings)."""

    name: str
    own: list
    extra: list
    shapes: str
    keeps: str
    unit: object = None
    nodes: frozenset = frozenset()
    key: str = field(default="", compare=False)

    @property
    def size(self) -> int:
        return len(self.own) + len(self.extra)

    def data(self) -> bytes:
        """As N-Triples: the statements in the order they were given, then the context
        sorted (the same input gives the same bytes, hence the same cache key)."""
        extra = sorted(set(self.extra), key=str)
        return serialize(self.own, format=NT) + serialize(extra, format=NT)

    def digest(self, salt: str, data: bytes | None = None) -> str:
        h = hashlib.sha256(f"{salt}\n{self.shapes}\n".encode())
        h.update(data if data is not None else self.data())
        return h.hexdigest()


@dataclass
class Plan:
    passes: list[Pass]
    owner: dict  # node (pyoxigraph term) -> unit name, or SHARED
    vocabulary: list  # pyoxigraph triples


# The nodes several units describe are checked in buckets of about this many statements,
# bucketed by a hash of the node: a new report then changes the few buckets holding the
# nodes it adds to, and the others stay cached. The bucket count only changes when the
# total doubles.
SHARED_BUCKET = 400


def plan(units: Mapping[object, list], split: Split, vocabulary: list | None) -> Plan:
    """The passes for units {name: [pyoxigraph Triple]}; `vocabulary` is the bundled
    vocabulary's statements, used when no unit declares the ontology."""
    owner: dict = {}
    described: dict = defaultdict(list)  # node -> the rdf:type and rdfs:label statements about it
    mentions: dict = {}  # unit -> the nodes its statements name
    vocabulary_unit = None
    objects_of = _object_targets(split)
    trigger_statements = []
    ontology = NamedNode(ONTOLOGY_IRI)
    for name, triples in units.items():
        subjects, objects = set(), set()
        for t in triples:
            s, p, o = t
            subjects.add(s)
            objects.add(o)
            if p == RDF_TYPE or p == RDFS_LABEL:
                described[s].append(t)
                if s == ontology and o == OWL_ONTOLOGY:
                    vocabulary_unit = name
            elif p in objects_of:
                trigger_statements.append((name, t))
        for s in subjects:
            seen = owner.get(s)
            owner[s] = name if seen is None else SHARED
        mentions[name] = subjects | objects
    vocab_triples = list(units[vocabulary_unit]) if vocabulary_unit is not None else list(vocabulary or [])

    def context(nodes, skip=lambda node: False) -> list:
        """What is said anywhere about the classes and labels of `nodes`, but the `skip`ped
        ones (whose statements the pass holds already)."""
        out = []
        for node in nodes:
            if not skip(node):
                out.extend(described.get(node, ()))
        return out

    # statements that make a node the target of a local shape where it is not described
    triggers: dict = defaultdict(list)
    for name, t in trigger_statements:
        target_owner = owner.get(t.object)
        if target_owner is not None and target_owner != name:
            triggers[target_owner].append(t)

    holders = _reaching_holders(units, split)
    single_holder = holders[0] if len(holders) == 1 else None

    passes: list[Pass] = []
    for name, triples in units.items():
        extra = context(mentions[name], lambda node: owner.get(node) == name) + triggers.get(name, [])
        shapes = "all" if name == single_holder else "local"
        passes.append(Pass(f"graph <{name}>" if name is not None else "the default graph", triples, extra, shapes, "unit", name))
    passes += _shared_passes(units, owner, context, triggers)
    if split.reaching and single_holder is None and (holders or _has_node_targets(split)):
        own = [t for name in holders for t in units[name]]
        nodes = set().union(*(mentions[name] for name in holders)) if holders else set()
        extra = context(nodes) + [t for name in holders for t in triggers.get(name, [])]
        passes.append(Pass(f"shapes reaching past a node, on {len(holders)} graph(s)", own, extra, "reaching", "reaching"))
    return Plan(passes, owner, vocab_triples)


def _shared_passes(units: Mapping, owner: dict, context, triggers: dict) -> list[Pass]:
    shared = {node for node, who in owner.items() if who is SHARED}
    if not shared:
        return []
    about: dict = defaultdict(list)
    for triples in units.values():
        for t in triples:
            if t.subject in shared:
                about[t.subject].append(t)
    total = sum(len(v) for v in about.values())
    buckets = 1
    while buckets * SHARED_BUCKET < total:
        buckets *= 2
    grouped: dict = defaultdict(list)
    for node in shared:
        grouped[int.from_bytes(hashlib.sha256(str(node).encode()).digest()[:4], "big") % buckets].append(node)
    grouped_set = {number: set(nodes) for number, nodes in grouped.items()}
    passes = []
    for number in sorted(grouped):
        nodes = sorted(grouped[number], key=str)
        own = [t for node in nodes for t in about[node]]
        mentioned = {t.object for t in own} | set(nodes)
        extra = context(mentioned, set(nodes).__contains__) + [t for t in triggers.get(SHARED, []) if t.object in grouped_set[number]]
        passes.append(Pass(f"{len(nodes)} nodes described in more than one graph (bucket {number + 1} of {buckets})",
                           own, extra, "local", "shared", nodes=frozenset(nodes)))
    return passes


def keeps(p: Pass, focus, owner: dict, shape_kind: str) -> bool:
    """Whether pass `p` keeps a finding on `focus` (a pyoxigraph term) from a shape of
    `shape_kind` ('local' or 'reaching')."""
    if shape_kind == "reaching":
        return p.shapes in ("reaching", "all")
    if p.keeps == "shared":
        return focus in p.nodes
    if p.keeps == "unit":
        who = owner.get(focus)
        return who is None or (who is not SHARED and who == p.unit)
    return False


def _object_targets(split: Split) -> set:
    from rdflib.namespace import SH

    return {NamedNode(str(o)) for o in split.local_graph.objects(None, SH.targetObjectsOf)}


def _has_node_targets(split: Split) -> bool:
    from rdflib.namespace import SH

    return (None, SH.targetNode, None) in split.reaching_graph


def _reaching_holders(units: Mapping, split: Split) -> list:
    """The units holding a possible focus node of a reaching shape, in unit order."""
    if not split.reaching:
        return []
    from rdflib import URIRef
    from rdflib.namespace import SH

    g = split.reaching_graph
    tops = split.reaching
    if any((s, SH.target, None) in g for s in tops):
        return list(units)  # a SPARQL-defined target could be anything
    classes = {NamedNode(str(c)) for s in tops for c in g.objects(s, SH.targetClass)}
    classes |= {NamedNode(str(s)) for s in tops if isinstance(s, URIRef) and (s, SH.targetClass, None) not in g
                and not any((s, p, None) in g for p in (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf))}
    predicates = {NamedNode(str(o)) for s in tops for p in (SH.targetSubjectsOf, SH.targetObjectsOf) for o in g.objects(s, p)}
    nodes = {NamedNode(str(o)) if isinstance(o, URIRef) else o for s in tops for o in g.objects(s, SH.targetNode)}
    # subclasses, from every unit's rdfs:subClassOf statements
    sub: dict = defaultdict(set)
    for triples in units.values():
        for t in triples:
            if t.predicate == RDFS_SUBCLASS:
                sub[t.object].add(t.subject)
    stack = list(classes)
    while stack:
        c = stack.pop()
        for s in sub.get(c, ()):
            if s not in classes:
                classes.add(s)
                stack.append(s)
    held = []
    for name, triples in units.items():
        for t in triples:
            if ((t.predicate == RDF_TYPE and t.object in classes) or t.predicate in predicates
                    or t.subject in nodes or t.object in nodes):
                held.append(name)
                break
    return held
