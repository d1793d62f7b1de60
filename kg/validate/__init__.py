"""Validation: check a graph against the SHACL shapes in shapes/ with pyshacl, and say
what is wrong in words, grouped by shape, naming each node by its label and, where
there is one, the paragraph it came from.

The data graph is validated as the union of its named graphs, with the vocabulary added
when it is missing (sh:class needs the class hierarchy). Warnings do not make a graph
fail; violations do.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from kg import resources
from kg.errors import CyberkgError
from kg.graphio import Graphs, named_graphs, parse_into
from kg.terms import Statements
from kg.namespaces import CKG, ONTOLOGY_IRI, bind_prefixes
from kg.ontology import load_ontology

DCTERMS_PART = URIRef("http://purl.org/dc/terms/isPartOf")


def load_shapes(folder: Path | None = None) -> Graph:
    """All SHACL shapes of a folder (by default the bundled shapes/)."""
    folder = Path(folder) if folder else resources.resource_dir("shapes")
    files = sorted(folder.glob("*.ttl"))
    if not files:
        raise CyberkgError(f"{folder}: no shapes (*.ttl) found", exit_code=2)
    graph = Graph()
    for path in files:
        parse_into(graph, path, format="turtle")
    return graph


@dataclass(frozen=True, order=True)
class Finding:
    severity: str  # "Violation" | "Warning" | "Info"
    shape: str  # the shape's label
    focus: str
    focus_label: str
    source: str  # label of the paragraph the node came from, or ""
    path: str  # the property at fault, or ""
    value: str  # the offending value, or ""
    message: str

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass
class Report:
    conforms: bool
    findings: list[Finding]
    graph: Graph = field(repr=False)
    focus_count: int = 0

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Warning"]

    def by_shape(self) -> dict[tuple[str, str], list[Finding]]:
        groups: dict[tuple[str, str], list[Finding]] = defaultdict(list)
        for finding in self.findings:
            groups[(finding.severity, finding.shape)].append(finding)
        return dict(sorted(groups.items(), key=lambda item: (item[0][0] != "Violation", item[0][1])))


def union_of(data: Graph | Graphs) -> Graph:
    """One graph holding every statement of the data, plus the vocabulary if absent."""
    graphs = named_graphs(data)
    union = bind_prefixes(Graph())
    for graph in graphs.values():
        triples = graph.rdflib_triples() if isinstance(graph, Statements) else graph
        union.addN((s, p, o, union) for s, p, o in triples)
    if (URIRef(ONTOLOGY_IRI), RDF.type, URIRef("http://www.w3.org/2002/07/owl#Ontology")) not in union:
        union += load_ontology()
    return union


def validate(data: Graph | Graphs, shapes: Graph | None = None) -> Report:
    graph = union_of(data)
    shapes = shapes if shapes is not None else load_shapes()
    conforms, results, _ = shacl_validate(
        graph, shacl_graph=shapes, inference="none", allow_warnings=True, allow_infos=True
    )
    findings = sorted(_finding(graph, shapes, results, r) for r in results.subjects(RDF.type, SH.ValidationResult))
    return Report(bool(conforms), findings, results)


def _label(graph: Graph, node) -> str:
    if node is None:
        return ""
    label = graph.value(node, RDFS.label)
    if label is not None:
        return str(label)
    if (node, RDF.type, CKG.Position) in graph:
        holder, target = graph.value(node, CKG.holder), graph.value(node, CKG.target) or graph.value(node, CKG.onTopic)
        return f"position of {_label(graph, holder) or 'no holder'} on {_label(graph, target) or 'no target'}"
    if isinstance(node, Literal):
        return str(node)
    text = str(node)
    return text.rsplit("/", 1)[-1] if "/" in text else text


def _source(graph: Graph, node) -> str | None:
    """The paragraph a node came from, when the graph says."""
    for predicate in (CKG.sourcePassage, DCTERMS_PART):
        passage = graph.value(node, predicate)
        if passage is not None and graph.value(passage, CKG.text) is not None:
            return _label(graph, passage)
    if graph.value(node, CKG.text) is not None and graph.value(node, CKG.inDocument) is not None:
        return _label(graph, node)
    return None


def _finding(graph: Graph, shapes: Graph, results: Graph, result) -> Finding:
    focus = results.value(result, SH.focusNode)
    shape = results.value(result, SH.sourceShape)
    owner = shape
    while owner is not None and (owner, RDF.type, SH.NodeShape) not in shapes:
        owner = shapes.value(predicate=SH.property, object=owner)
    shape_label = str(shapes.value(owner, RDFS.label) or shapes.value(shape, RDFS.label) or "shape")
    path = results.value(result, SH.resultPath)
    value = results.value(result, SH.value)
    message = results.value(result, SH.resultMessage)
    severity = str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
    path_text = graph.namespace_manager.normalizeUri(path) if isinstance(path, URIRef) else None
    return Finding(
        severity, shape_label, str(focus), _label(graph, focus), _source(graph, focus) or "", path_text or "",
        "" if value is None else _label(graph, value), str(message) if message else "constraint not met",
    )
