"""What every reference-table loader works with: the graph being filled, the IRI
minter, the warnings, the source node of the table being read, and name lookups."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from kg import resources
from kg.diagnostics import Diagnostics
from kg.errors import CyberkgError
from kg.graphio import parse_into
from kg.iris import Iris
from kg.namespaces import CKG, as_iri
from kg.reference.names import NameIndex

ACTOR_CLASSES = (
    CKG.MemberState,
    CKG.ObserverState,
    CKG.GroupOfStates,
    CKG.RegionalGroup,
    CKG.IntergovernmentalOrganization,
    CKG.UNBody,
    CKG.UNOffice,
)
INSTRUMENT_CLASSES = (
    CKG.Treaty,
    CKG.Protocol,
    CKG.Resolution,
    CKG.Declaration,
    CKG.CodeOfConduct,
    CKG.GuideOrTool,
    CKG.DraftInstrument,
    CKG.ProposedInstrument,
    CKG.Process,
)


@dataclass
class Context:
    graph: Graph
    iris: Iris
    folder: Path
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    _concepts: dict[str, NameIndex] = field(default_factory=dict, repr=False)

    @cached_property
    def schemes(self) -> Graph:
        """The coded values (concept schemes) of the vocabulary."""
        return parse_into(Graph(), resources.resource_dir("ontology") / "schemes.ttl")

    def concept(self, scheme_namespace: str, value: str) -> URIRef | None:
        """The concept of a scheme whose notation or label matches `value`, if one does."""
        if scheme_namespace not in self._concepts:
            index = NameIndex()
            for concept in self.schemes.subjects(SKOS.inScheme, URIRef(scheme_namespace.rstrip("/"))):
                for predicate in (SKOS.notation, SKOS.prefLabel, SKOS.altLabel):
                    for name in self.schemes.objects(concept, predicate):
                        index.add(str(name), as_iri(concept))
            self._concepts[scheme_namespace] = index
        return self._concepts[scheme_namespace].lookup(value)

    def concept_label(self, concept: URIRef) -> str:
        return str(self.schemes.value(concept, SKOS.prefLabel) or str(concept).rsplit("/", 1)[-1])

    def actors(self) -> NameIndex:
        """Names of States, groups, organizations and bodies loaded so far."""
        return NameIndex.from_graph(self.graph, ACTOR_CLASSES)

    def organization(self, key: str, where: str) -> URIRef:
        """The organization or group whose dcterms:identifier is `key` (the tables' keys)."""
        found = [
            s
            for s in self.graph.subjects(DCTERMS.identifier, Literal(key))
            if (s, RDF.type, CKG.SourceTable) not in self.graph
        ]
        if len(found) != 1:
            raise CyberkgError(f"{where}: no organization has the key {key!r} in organizations.ttl")
        return as_iri(found[0])

    def state(self, iso3: str) -> URIRef | None:
        """The State with this ISO code, or None when the table of States lacks it."""
        iri = self.iris.state(iso3)
        if (iri, CKG.iso3, None) in self.graph:
            return iri
        return None
