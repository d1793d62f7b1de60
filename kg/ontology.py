"""The cyberkg vocabulary: load it, check it is well formed, and check instance data
against its domains, ranges, datatypes and disjointness without a reasoner.

The checks are plain set operations over the class hierarchy, so they are fast and
explain themselves: each problem names the node or term, and what was expected.

A literal's datatype is the one the SHACL shapes require of its property
(shape_datatypes), or else the property's rdfs:range: the date properties have the range
rdfs:Literal, since xsd:date and xsd:gYear are not in the OWL 2 datatype map (see the
comment on dates in ontology/cyberkg.ttl), and their datatype is in the shapes only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeGuard

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS, XSD
from rdflib.term import Identifier, Node

from kg import resources
from kg.errors import CyberkgError
from kg.graphio import parse_into
from kg.namespaces import CKG, ONTOLOGY_IRI, SCHEME_BASE, bind_prefixes

RDF_DATATYPES = {RDF.langString, RDF.HTML, RDF.XMLLiteral, RDFS.Literal}
TERM_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
HEADER_PROPERTIES = (
    OWL.versionIRI,
    OWL.versionInfo,
    DCTERMS.title,
    DCTERMS.description,
    DCTERMS.license,
    DCTERMS.creator,
    DCTERMS.created,
    DCTERMS.modified,
)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong, about one term or node."""

    subject: str
    message: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.message}"


def load_ontology(paths: Iterable[Path] | None = None) -> Graph:
    """Parse the vocabulary files (by default the installed ontology/*.ttl) into one graph."""
    graph = bind_prefixes(Graph())
    for path in paths if paths is not None else resources.ontology_files():
        parse_into(graph, path)
    return graph


def in_namespace(term: Node, namespace: str = str(CKG)) -> TypeGuard[URIRef]:
    return isinstance(term, URIRef) and str(term).startswith(namespace)


DECLARATION_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDFS.Datatype)


def without_external_declarations(graph: Graph) -> Graph:
    """The graph without its declarations of other vocabularies' terms (OWL 2 DL asks for
    them; documentation and a test of what they are for do not want them), in place."""
    for kind in DECLARATION_KINDS:
        for term in list(graph.subjects(RDF.type, kind)):
            if not in_namespace(term):
                graph.remove((term, RDF.type, kind))
    return graph


def load_shapes(folder: Path | None = None) -> Graph:
    """All SHACL shapes of a folder (by default the bundled shapes/): what validation
    checks, and where the datatype of a date lives (shape_datatypes)."""
    folder = Path(folder) if folder else resources.resource_dir("shapes")
    files = sorted(folder.glob("*.ttl"))
    if not files:
        raise CyberkgError(f"{folder}: no shapes (*.ttl) found", exit_code=2)
    graph = Graph()
    for path in files:
        parse_into(graph, path)
    return graph


def shape_datatypes(shapes: Graph | None = None) -> dict[URIRef, URIRef]:
    """The datatype the SHACL shapes require of each ckg property: the sh:datatype of the
    property shapes whose sh:path is that property (by default those of shapes/*.ttl).
    Shapes that require two datatypes of one property are an error."""
    shapes = load_shapes() if shapes is None else shapes
    found: dict[URIRef, set[URIRef]] = defaultdict(set)
    for shape, prop in shapes.subject_objects(SH.path):
        if in_namespace(prop):
            found[prop].update(d for d in shapes.objects(shape, SH.datatype) if isinstance(d, URIRef))
    datatypes: dict[URIRef, URIRef] = {}
    for prop, kinds in sorted(found.items()):
        if len(kinds) > 1:
            raise CyberkgError(
                f"the SHACL shapes require {len(kinds)} datatypes of {prop}: " + ", ".join(sorted(kinds))
            )
        if kinds:
            datatypes[prop] = kinds.pop()
    return datatypes


class Vocabulary:
    """An index over the ontology graph: declared terms, the class hierarchy, domains,
    ranges, disjointness and the concept schemes, and the datatype of each datatype
    property's values: `datatypes`, by default those the bundled shapes require
    (shape_datatypes), else the property's range."""

    def __init__(self, graph: Graph, datatypes: dict[URIRef, URIRef] | None = None):
        self.graph = graph
        self.required_datatypes = shape_datatypes() if datatypes is None else datatypes
        self.kinds: dict[URIRef, set[URIRef]] = defaultdict(set)
        for kind in TERM_KINDS:
            for term in graph.subjects(RDF.type, kind):
                if in_namespace(term):
                    self.kinds[term].add(kind)
        self.classes = {t for t, k in self.kinds.items() if OWL.Class in k}
        self.object_properties = {t for t, k in self.kinds.items() if OWL.ObjectProperty in k}
        self.datatype_properties = {t for t, k in self.kinds.items() if OWL.DatatypeProperty in k}
        self.functional = {t for t in graph.subjects(RDF.type, OWL.FunctionalProperty) if in_namespace(t)}
        self.schemes = {s for s in graph.subjects(RDF.type, SKOS.ConceptScheme) if in_namespace(s, SCHEME_BASE)}
        self.concepts = {c for c in graph.subjects(RDF.type, SKOS.Concept) if in_namespace(c, SCHEME_BASE)}
        self._supers: dict[Node, set[Node]] = {}
        self.domains = {p: self._class_options(graph.value(p, RDFS.domain)) for p in self.kinds}
        self.ranges = {p: self._class_options(graph.value(p, RDFS.range)) for p in self.kinds}
        self.literal_types = {
            p: frozenset({self.required_datatypes[p]}) if p in self.required_datatypes else self.ranges.get(p)
            for p in self.datatype_properties
        }
        self.disjoint = self._disjoint_pairs()

    # -- hierarchy -------------------------------------------------------------

    def superclasses(self, cls: Node) -> set[Node]:
        """`cls` and everything it is a subclass of, transitively (cycles tolerated)."""
        if cls not in self._supers:
            seen: set[Node] = set()
            stack = [cls]
            while stack:
                current = stack.pop()
                if current in seen:
                    continue
                seen.add(current)
                stack.extend(self.graph.objects(current, RDFS.subClassOf))
            self._supers[cls] = seen
        return self._supers[cls]

    def _class_options(self, expression: Node | None) -> frozenset[Node] | None:
        """A class expression as the set of classes any one of which satisfies it."""
        if expression is None:
            return None
        union = self.graph.value(expression, OWL.unionOf) if isinstance(expression, BNode) else None
        if union is not None:
            return frozenset(Collection(self.graph, union))
        return frozenset({expression})

    def _disjoint_pairs(self) -> set[frozenset[Node]]:
        pairs: set[frozenset[Node]] = set()
        for a, b in self.graph.subject_objects(OWL.disjointWith):
            pairs.add(frozenset({a, b}))
        for group in self.graph.subjects(RDF.type, OWL.AllDisjointClasses):
            head = self.graph.value(group, OWL.members)
            # no owl:members: no members (rdflib would read a fresh blank node, an empty list)
            members = list(Collection(self.graph, head)) if head is not None else []
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    pairs.add(frozenset({a, b}))
        return pairs

    def label(self, term: Node) -> str:
        for predicate in (RDFS.label, SKOS.prefLabel):
            value = self.graph.value(term, predicate)
            if value is not None:
                return str(value)
        return self.curie(term)

    def curie(self, term: Node) -> str:
        if isinstance(term, Identifier):  # every term a graph holds: URIRef, BNode, Literal
            try:
                return self.graph.namespace_manager.curie(term, generate=False)
            except (ValueError, KeyError, TypeError):
                pass
        return str(term)

    # -- checks on the vocabulary itself ----------------------------------------

    def check(self) -> list[Problem]:
        """Everything that makes the vocabulary ill-formed, sorted; empty when it is well formed."""
        problems = self._check_header()
        problems += self._check_declared_terms()
        problems += self._check_undeclared_uses()
        problems += self._check_domains_ranges()
        problems += self._check_hierarchy()
        problems += self._check_schemes()
        return sorted(set(problems))

    def _check_header(self) -> list[Problem]:
        ontology = URIRef(ONTOLOGY_IRI)
        if (ontology, RDF.type, OWL.Ontology) not in self.graph:
            return [Problem(ONTOLOGY_IRI, "no owl:Ontology header with this IRI")]
        return [
            Problem(ONTOLOGY_IRI, f"ontology header lacks {self.curie(p)}")
            for p in HEADER_PROPERTIES
            if self.graph.value(ontology, p) is None
        ]

    def _check_declared_terms(self) -> list[Problem]:
        problems = []
        for term, kinds in self.kinds.items():
            name = self.curie(term)
            if len(kinds) > 1:
                problems.append(
                    Problem(name, "declared as more than one kind: " + ", ".join(sorted(map(self.curie, kinds))))
                )
            if not _has_english(self.graph, term, RDFS.label):
                problems.append(Problem(name, "has no English rdfs:label"))
            if not _has_english(self.graph, term, SKOS.definition):
                problems.append(Problem(name, "has no English skos:definition"))
            if self.graph.value(term, RDFS.isDefinedBy) != URIRef(ONTOLOGY_IRI):
                problems.append(Problem(name, "rdfs:isDefinedBy does not point to the ontology"))
        return problems

    def _check_undeclared_uses(self) -> list[Problem]:
        used = {t for triple in self.graph for t in triple if in_namespace(t)}
        return [Problem(self.curie(t), "used but not declared") for t in used - set(self.kinds)]

    def _check_domains_ranges(self) -> list[Problem]:
        problems = []
        for prop in self.object_properties | self.datatype_properties:
            name = self.curie(prop)
            domain, range_ = self.domains.get(prop), self.ranges.get(prop)
            if domain is None:
                problems.append(Problem(name, "has no rdfs:domain"))
            if range_ is None:
                problems.append(Problem(name, "has no rdfs:range"))
                continue
            if prop in self.datatype_properties:
                for r in range_:
                    if not (str(r).startswith(str(XSD)) or r in RDF_DATATYPES):
                        problems.append(Problem(name, f"datatype property with non-datatype range {self.curie(r)}"))
                problems += self._check_shape_datatype(prop, range_)
            else:
                for r in range_:
                    if str(r).startswith(str(XSD)) or r in RDF_DATATYPES:
                        problems.append(Problem(name, f"object property with datatype range {self.curie(r)}"))
            for cls in (domain or frozenset()) | range_:
                if in_namespace(cls) and cls not in self.classes:
                    problems.append(Problem(name, f"domain or range {self.curie(cls)} is not a declared class"))
        return problems

    def _check_shape_datatype(self, prop: URIRef, range_: frozenset[Node]) -> list[Problem]:
        """The range and the datatype the shapes require agree; a range of rdfs:Literal (a
        date's) leaves the datatype to the shapes, which must then give it."""
        name, required = self.curie(prop), self.required_datatypes.get(prop)
        if RDFS.Literal in range_:
            if required is None:
                return [Problem(name, "has the range rdfs:Literal but no SHACL shape gives its sh:datatype")]
            return []
        if required is not None and required not in range_:
            ranges = " or ".join(sorted(self.curie(r) for r in range_))
            return [Problem(name, f"the SHACL shapes require {self.curie(required)}, the range is {ranges}")]
        return []

    def _check_hierarchy(self) -> list[Problem]:
        problems = []
        for cls in self.classes:
            for parent in self.graph.objects(cls, RDFS.subClassOf):
                if parent != cls and cls in self.superclasses(parent):
                    problems.append(Problem(self.curie(cls), f"subclass cycle through {self.curie(parent)}"))
        for prop in self.kinds:
            for parent in self.graph.objects(prop, RDFS.subPropertyOf):
                if prop in self.classes:
                    problems.append(Problem(self.curie(prop), "a class cannot have rdfs:subPropertyOf"))
        return problems

    def _check_schemes(self) -> list[Problem]:
        problems = []
        for scheme in self.schemes:
            for prop in (SKOS.prefLabel, SKOS.definition):
                if not _has_english(self.graph, scheme, prop):
                    problems.append(Problem(str(scheme), f"concept scheme has no English {self.curie(prop)}"))
        notations: dict[tuple[Node, str], list[Node]] = defaultdict(list)
        for concept in self.concepts:
            name = self.curie(concept)
            schemes = set(self.graph.objects(concept, SKOS.inScheme))
            if len(schemes) != 1 or not schemes <= self.schemes:
                problems.append(Problem(name, "must be in exactly one declared concept scheme"))
            for prop in (SKOS.prefLabel, SKOS.definition):
                if not _has_english(self.graph, concept, prop):
                    problems.append(Problem(name, f"concept has no English {self.curie(prop)}"))
            notation = self.graph.value(concept, SKOS.notation)
            if notation is None:
                problems.append(Problem(name, "concept has no skos:notation"))
            for in_scheme in schemes:
                notations[(in_scheme, str(notation))].append(concept)
        for (in_scheme, notation_text), concepts in notations.items():
            if len(concepts) > 1:
                problems.append(Problem(str(in_scheme), f"notation {notation_text!r} used by {len(concepts)} concepts"))
        return problems

    # -- checks on instance data ---------------------------------------------------

    def check_instances(self, data: Graph) -> list[Problem]:
        """Check a data graph against the vocabulary: declared terms, domains, ranges,
        literal datatypes, functional properties and disjoint classes. The vocabulary's
        own nodes (concepts) count as known, so coded values need not be repeated."""
        problems: list[Problem] = []
        types: dict[Node, set[Node]] = defaultdict(set)
        for source in (self.graph, data):
            for node, cls in source.subject_objects(RDF.type):
                types[node].add(cls)
        closed: dict[Node, set[Node]] = {}

        def closure(node: Node) -> set[Node]:
            if node not in closed:
                closed[node] = (
                    set().union(*(self.superclasses(c) for c in types.get(node, ()))) if types.get(node) else set()
                )
            return closed[node]

        def show(node: Node) -> str:
            return self.curie(node) if isinstance(node, URIRef) else f"_:{node}"

        for node, cls in data.subject_objects(RDF.type):
            if in_namespace(cls) and cls not in self.classes:
                problems.append(Problem(show(node), f"typed with undeclared class {self.curie(cls)}"))

        values: dict[tuple[Node, Node], int] = defaultdict(int)
        for s, p, o in data:
            if not in_namespace(p):
                continue
            if p not in self.kinds or p in self.classes:
                problems.append(Problem(show(s), f"uses undeclared property {self.curie(p)}"))
                continue
            values[(s, p)] += 1
            domain = self.domains.get(p)
            if domain and not closure(s) & domain:
                expected = " or ".join(sorted(self.curie(c) for c in domain))
                problems.append(Problem(show(s), f"uses {self.curie(p)} but is not a {expected}"))
            range_ = self.ranges.get(p)
            if p in self.datatype_properties:
                problems += self._check_literal(show(s), p, o, self.literal_types.get(p))
            elif p in self.object_properties:
                if isinstance(o, Literal):
                    problems.append(Problem(show(s), f"{self.curie(p)} must point to a node, not the literal {o!r}"))
                elif range_ and not closure(o) & range_:
                    expected = " or ".join(sorted(self.curie(c) for c in range_))
                    problems.append(Problem(show(s), f"{self.curie(p)} points to {show(o)}, which is not a {expected}"))
        for (s, p), count in values.items():
            if p in self.functional and count > 1:
                problems.append(Problem(show(s), f"has {count} values for functional property {self.curie(p)}"))
        for node in {n for n in types if (n, None, None) in data}:
            classes = closure(node)
            for pair in self.disjoint:
                if pair <= classes:
                    a, b = sorted(self.curie(c) for c in pair)
                    problems.append(Problem(show(node), f"is both {a} and {b}, which are disjoint"))
        return sorted(set(problems))

    def _check_literal(self, subject: str, prop: URIRef, value: Node, range_: frozenset[Node] | None) -> list[Problem]:
        """`range_`: the datatypes the value may have (rdfs:Literal: any)."""
        name = self.curie(prop)
        if not isinstance(value, Literal):
            return [Problem(subject, f"{name} must be a literal, not the node {value}")]
        if not range_:
            return []
        datatype = value.datatype or (RDF.langString if value.language else XSD.string)
        if datatype not in range_ and RDFS.Literal not in range_:
            expected = " or ".join(sorted(self.curie(r) for r in range_))
            return [Problem(subject, f"{name} value {str(value)!r} is {self.curie(datatype)}, expected {expected}")]
        if getattr(value, "ill_typed", False):
            return [Problem(subject, f"{name} value {str(value)!r} is not a valid {self.curie(datatype)}")]
        return []

    # -- a summary for people ----------------------------------------------------------

    def summary(self) -> dict[str, int]:
        aligned = {
            o
            for p in (RDFS.subClassOf, RDFS.subPropertyOf)
            for s, o in self.graph.subject_objects(p)
            if in_namespace(s) and isinstance(o, URIRef) and not in_namespace(o)
        }
        return {
            "classes": len(self.classes),
            "object properties": len(self.object_properties),
            "datatype properties": len(self.datatype_properties),
            "concept schemes": len(self.schemes),
            "concepts": len(self.concepts),
            "external terms aligned to": len(aligned),
            "triples": len(self.graph),
        }


def _has_english(graph: Graph, term: Node, predicate: URIRef) -> bool:
    return any(isinstance(v, Literal) and v.language == "en" and str(v).strip() for v in graph.objects(term, predicate))
