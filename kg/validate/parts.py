"""Validation by parts: cut a graph of many named graphs into passes that pyshacl can
run one at a time, in parallel, and remember by content (kg.validate.cache).

Each named graph (a report, the reference data, the vocabulary) is one *unit*. The
passes, whose findings together are those of validating the union:

- one pass per unit (small units, such as the speeches of a corpus, in batches of
  several: UNIT_BATCH), with the local shapes (kg.validate.reach): the unit's statements,
  the vocabulary, and the context it needs from other units, which is the rdf:type and
  rdfs:label statements made anywhere about the nodes it mentions (sh:class needs the
  class of a State a report names) and the statements elsewhere that make one of its
  own nodes a target (sh:targetObjectsOf). A unit keeps the findings about the nodes
  only it describes, and about nodes no unit describes;
- passes over the nodes described in more than one unit (a person named in several
  reports, a document described where it is cited), in buckets by a hash of the node:
  everything every unit says about them, with the same context. Each keeps the findings
  about its nodes;
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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from kg.namespaces import ONTOLOGY_IRI
from kg.rdf import collector_paused, ntriples
from kg.validate.reach import Split

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
RDFS_SUBCLASS = NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
OWL_ONTOLOGY = NamedNode("http://www.w3.org/2002/07/owl#Ontology")
TYPE_OR_LABEL = frozenset({RDF_TYPE, RDFS_LABEL})
SHARED = object()  # the owner of a node several units describe


@dataclass
class Pass:
    """One pyshacl run: its data (the statements `own` and the context `extra`; the
    vocabulary is added when it runs), which shapes ('local', 'reaching' or 'all'), and
    whose findings it keeps ('unit': the nodes in `owned`, or that no unit describes;
    'shared': the nodes in `nodes`; 'reaching': the reaching shapes' findings)."""

    name: str
    own: list
    extra: list
    shapes: str
    keeps: str
    owned: frozenset | set = frozenset()
    key: str = field(default="", compare=False)

    def data(self) -> bytes:
        """As N-Triples: the statements, a comment line, then the context (each statement
        once), each part's lines sorted, so that the same statements in any order give the
        same bytes, hence the same cache key (sorted as bytes, in C: no Python per statement)."""
        return sorted_lines(ntriples(self.own)) + b"# context\n" + sorted_lines(ntriples(list(set(self.extra))))

    def drop(self) -> frozenset:
        """The focus nodes whose local findings this pass never keeps: the nodes it holds
        only context about (a function of its data, so cached findings can leave them out)."""
        own = self.owned if self.keeps == "shared" else {t.subject for t in self.own}
        return frozenset(focus_name(node) for node in {t.subject for t in self.extra} - own)

    def digest(self, salt: str, data: bytes | None = None) -> str:
        h = hashlib.sha256(f"{salt}\n{self.shapes}\n".encode())
        h.update(data if data is not None else self.data())
        return h.hexdigest()


def sorted_lines(text: bytes) -> bytes:
    """N-Triples text with its lines sorted as bytes: the same statements in any order give
    the same text."""
    lines = text.split(b"\n")
    lines.pop()  # the empty string after the last line
    lines.sort()
    return b"\n".join(lines) + b"\n" if lines else b""


@dataclass
class Plan:
    passes: list[Pass]
    described: set  # every node some unit has statements about
    vocabulary: list  # pyoxigraph triples


# The nodes several units describe are checked in buckets of about this many statements,
# bucketed by a hash of the node: a new report then changes the few buckets holding the
# nodes it adds to, and the others stay cached. The bucket count only changes when the
# total doubles.
SHARED_BUCKET = 5_000


def plan(units: Mapping[object, list], split: Split, vocabulary: Callable[[], list] | None = None) -> Plan:
    """The passes for units {name: [pyoxigraph Triple]}; `vocabulary()` gives the bundled
    vocabulary's statements, used when no unit declares the ontology.

    Every pass over all the statements is a comprehension or a set operation (a Python
    loop over a million triples costs seconds), with the cyclic garbage collector paused:
    the index holds millions of objects, and each collection would walk them all."""
    with collector_paused():
        return _plan(units, split, vocabulary)


def _plan(units: Mapping[object, list], split: Split, vocabulary: Callable[[], list] | None) -> Plan:
    described: dict = defaultdict(list)  # node -> the rdf:type and rdfs:label statements about it
    subjects_of: dict = {}  # unit -> the nodes it has statements about
    objects_of_unit: dict = {}  # unit -> the nodes and values its statements point to
    classes: dict = {}  # unit -> the classes it types nodes with
    all_subjects: set = set()
    shared: set = set()
    vocabulary_unit = None
    target_predicates = _object_targets(split)
    trigger_statements = []
    declaration = Triple(NamedNode(ONTOLOGY_IRI), RDF_TYPE, OWL_ONTOLOGY)
    subclass_statements = []
    wanted = TYPE_OR_LABEL | {RDFS_SUBCLASS} | target_predicates
    for name, triples in units.items():
        subjects = {t.subject for t in triples}
        types = set()
        for t in [t for t in triples if t.predicate in wanted]:
            p = t.predicate
            if p in TYPE_OR_LABEL:
                described[t.subject].append(t)
                if p == RDF_TYPE:
                    types.add(t.object)
                    if t == declaration:
                        vocabulary_unit = name
            elif p == RDFS_SUBCLASS:
                subclass_statements.append(t)
            if p in target_predicates:
                trigger_statements.append((name, t))
        classes[name] = types
        shared |= subjects & all_subjects
        all_subjects |= subjects
        subjects_of[name] = subjects
        # (literals left out: they are never described, and hashing their text is half the cost)
        objects_of_unit[name] = {o for t in triples if type(o := t.object) is not Literal}
    vocab_triples = (
        list(units[vocabulary_unit]) if vocabulary_unit is not None else list(vocabulary() if vocabulary else [])
    )
    known = described.keys()

    def context(nodes: set, holding: set, also: set | frozenset = frozenset()) -> list:
        """What is said anywhere about the classes and labels of `nodes` and `also`, but
        those of the nodes whose statements the pass holds in full (`holding`)."""
        out = []
        for node in ((nodes & known) - holding) | (also & known):
            out.extend(described[node])
        return out

    # statements that make a node the target of a local shape where it is not described
    triggers: dict = defaultdict(list)
    if trigger_statements:
        targeted = {t.object for _, t in trigger_statements} & all_subjects
        owner = {
            node: SHARED if node in shared else name
            for name, subjects in subjects_of.items()
            for node in targeted & subjects
        }
        for name, t in trigger_statements:
            target_owner = owner.get(t.object)
            if target_owner is not None and target_owner != name:
                triggers[target_owner].append(t)

    holders = _reaching_holders(units, split, classes, subjects_of, objects_of_unit, subclass_statements)
    single_holder = holders[0] if len(holders) == 1 else None

    passes: list[Pass] = []
    alone = [name for name, triples in units.items() if name == single_holder or len(triples) >= UNIT_BATCH]
    for name in alone:
        owned = subjects_of[name] - shared
        extra = context(objects_of_unit[name], owned, subjects_of[name] & shared) + triggers.get(name, [])
        passes.append(
            Pass(
                f"graph <{name}>" if name is not None else "the default graph",
                units[name],
                extra,
                "all" if name == single_holder else "local",
                "unit",
                owned,
            )
        )
    small = [name for name in units if name not in set(alone)]
    for number, names in _batches(small, sum(len(units[n]) for n in small)):
        owned = set().union(*(subjects_of[n] for n in names)) - shared
        pointed = set().union(*(objects_of_unit[n] for n in names))
        extra = context(pointed, owned, set().union(*(subjects_of[n] & shared for n in names)))
        extra += [t for n in names for t in triggers.get(n, [])]
        passes.append(
            Pass(
                f"{len(names)} graph(s) (batch {number})",
                [t for n in names for t in units[n]],
                extra,
                "local",
                "unit",
                owned,
            )
        )
    passes += _shared_passes(units, shared, context, triggers)
    if split.reaching and single_holder is None and (holders or _has_node_targets(split)):
        own = [t for name in holders for t in units[name]]
        nodes = set().union(*(subjects_of[name] | objects_of_unit[name] for name in holders)) if holders else set()
        extra = context(nodes, set()) + [t for name in holders for t in triggers.get(name, [])]
        passes.append(
            Pass(f"shapes reaching past a node, on {len(holders)} graph(s)", own, extra, "reaching", "reaching")
        )
    return Plan(passes, all_subjects, vocab_triples)


# Named graphs smaller than this (a report, a speech) are checked together in batches of
# about this many statements: each pyshacl run costs some 50 ms before it reads a statement,
# which for a corpus of thousands of speeches is most of the time. A graph goes to the batch
# a hash of its name picks, so a new graph changes one batch and the others stay cached;
# the batch count only changes when the total doubles.
UNIT_BATCH = 20_000


def _batches(names: list, total: int) -> list[tuple[str, list]]:
    """(label, the names in it, in their order) for each batch of small units."""
    if not names:
        return []
    count = 1
    while count * UNIT_BATCH < total:
        count *= 2
    grouped: dict = defaultdict(list)
    for name in names:
        grouped[int.from_bytes(hashlib.sha256(str(name).encode()).digest()[:4], "big") % count].append(name)
    return [(f"{number + 1} of {count}", grouped[number]) for number in sorted(grouped)]


def _shared_passes(units: Mapping, shared: set, context, triggers: dict) -> list[Pass]:
    if not shared:
        return []
    about: dict = defaultdict(list)
    for triples in units.values():
        for t in [t for t in triples if t.subject in shared]:
            about[t.subject].append(t)
    total = sum(len(v) for v in about.values())
    buckets = 1
    while buckets * SHARED_BUCKET < total:
        buckets *= 2
    grouped: dict = defaultdict(list)
    for node in shared:
        grouped[int.from_bytes(hashlib.sha256(str(node).encode()).digest()[:4], "big") % buckets].append(node)
    triggered: dict = defaultdict(list)
    for t in triggers.get(SHARED, []):
        triggered[t.object].append(t)
    passes = []
    for number in sorted(grouped):
        nodes = sorted(grouped[number], key=str)
        bucket = set(nodes)
        own = [t for node in nodes for t in about[node]]
        extra = context({o for t in own if type(o := t.object) is not Literal} | bucket, bucket)
        extra += [t for node in nodes for t in triggered.get(node, ())]
        passes.append(
            Pass(
                f"{len(nodes)} nodes described in more than one graph (bucket {number + 1} of {buckets})",
                own,
                extra,
                "local",
                "shared",
                frozenset(bucket),
            )
        )
    return passes


def focus_name(node) -> str:
    """A node as kg.validate names focus nodes: an IRI, or _:label for a blank node."""
    return node.value if isinstance(node, NamedNode) else f"_:{node.value}"


def focus_node(name: str):
    """The node a focus name (focus_name) stands for."""
    return BlankNode(name[2:]) if name.startswith("_:") else NamedNode(name)


def keeps(p: Pass, focus, described: set, shape_kind: str) -> bool:
    """Whether pass `p` keeps a finding on `focus` (a pyoxigraph term) from a shape of
    `shape_kind` ('local' or 'reaching'); `described` holds every node some unit has
    statements about."""
    if shape_kind == "reaching":
        return p.shapes in ("reaching", "all")
    if p.keeps == "shared":
        return focus in p.owned
    if p.keeps == "unit":
        return focus in p.owned or focus not in described
    return False


def _object_targets(split: Split) -> set:
    from rdflib.namespace import SH

    return {NamedNode(str(o)) for o in split.local_graph.objects(None, SH.targetObjectsOf)}


def _has_node_targets(split: Split) -> bool:
    from rdflib.namespace import SH

    return (None, SH.targetNode, None) in split.reaching_graph


def _reaching_holders(
    units: Mapping, split: Split, classes: dict, subjects_of: dict, objects_of: dict, subclass_statements: list
) -> list:
    """The units holding a possible focus node of a reaching shape, in unit order."""
    if not split.reaching:
        return []
    from rdflib import URIRef
    from rdflib.namespace import SH

    g = split.reaching_graph
    tops = split.reaching
    if any((s, SH.target, None) in g for s in tops):
        return list(units)  # a SPARQL-defined target could be anything
    wanted = {NamedNode(str(c)) for s in tops for c in g.objects(s, SH.targetClass)}
    wanted |= {
        NamedNode(str(s))
        for s in tops
        if isinstance(s, URIRef)
        and (s, SH.targetClass, None) not in g
        and not any((s, p, None) in g for p in (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf))
    }
    predicates = {
        NamedNode(str(o)) for s in tops for p in (SH.targetSubjectsOf, SH.targetObjectsOf) for o in g.objects(s, p)
    }
    nodes = {NamedNode(str(o)) if isinstance(o, URIRef) else o for s in tops for o in g.objects(s, SH.targetNode)}
    # and their subclasses, from every unit's rdfs:subClassOf statements
    sub: dict = defaultdict(set)
    for t in subclass_statements:
        sub[t.object].add(t.subject)
    stack = list(wanted)
    while stack:
        for subclass in sub.get(stack.pop(), ()):
            if subclass not in wanted:
                wanted.add(subclass)
                stack.append(subclass)
    held = []
    for name, triples in units.items():
        if (
            classes[name] & wanted
            or (nodes and (subjects_of[name] & nodes or objects_of[name] & nodes))
            or (predicates and any(t.predicate in predicates for t in triples))
        ):
            held.append(name)
    return held
