"""Validation: check a graph against the SHACL shapes in shapes/ with pyshacl, and say
what is wrong in words, grouped by shape, naming each node by its label and, where
there is one, the paragraph it came from.

The findings are those of validating the union of the named graphs, with the vocabulary
added when it is missing (sh:class needs the class hierarchy). A graph of several named
graphs is validated by parts (kg.validate.parts): one pyshacl run per named graph, run in
parallel and cached by content (kg.validate.cache), so a corpus that gains a report is
revalidated in seconds; `split=False` runs pyshacl once over the whole union. Warnings do
not make a graph fail; violations do.
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from functools import cached_property
from multiprocessing import get_all_start_methods, get_context

import pyoxigraph
from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from kg.namespaces import CKG, ONTOLOGY_IRI, bind_prefixes
from kg.ontology import load_ontology, load_shapes
from kg.rdf import Canonical, Statements, ToRdflib, as_graphs, ntriples
from kg.validate.cache import Cache
from kg.validate.parts import Pass, focus_node, keeps, plan, sorted_lines
from kg.validate.reach import closure, split_shapes

DCTERMS_PART = URIRef("http://purl.org/dc/terms/isPartOf")


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
    results: list[str] = field(default_factory=list, repr=False)  # each finding's sh:ValidationResult, as N-Triples
    passes: int = 1  # pyshacl runs the validation was cut into
    checked: int = 1  # of which were run (the others came from the cache)

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

    @cached_property
    def graph(self) -> Graph:
        """The W3C SHACL validation report: one sh:ValidationReport with its results."""
        graph = bind_prefixes(Graph())
        graph.bind("sh", SH)
        report = BNode()
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, Literal(self.conforms)))
        for text in self.results:
            part = Graph().parse(data=text, format="nt")  # fresh blank nodes per result
            result = next(part.subjects(RDF.type, SH.ValidationResult))
            graph += part
            graph.add((report, SH.result, result))
        return graph


def validate(
    data: Canonical | Mapping | Statements | Graph,
    shapes: Graph | None = None,
    *,
    split: bool = True,
    cache: Cache | None | bool = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Validate `data` (a dataset in canonical form, {graph name: Statements or rdflib
    graph}, or one graph) against `shapes`
    (by default the bundled ones). `split` validates by parts; `cache` is a Cache, None
    for the default one, or False for none; `jobs` is the number of processes for the
    passes not in the cache (default: one per core); `progress(done, total)` is called
    as passes finish."""
    shapes = shapes if shapes is not None else load_shapes()
    units = _units(data)
    if not split or len(units) < 2:
        return _whole(units, shapes)
    halves = split_shapes(shapes)
    the_plan = plan(units, halves, _bundled_vocabulary)
    graphs = {"local": halves.local_graph, "reaching": halves.reaching_graph}
    store = None if cache is False else (cache if isinstance(cache, Cache) else Cache())
    if store:
        store.prune()
    salt = _salt(graphs)
    passes = the_plan.passes
    outcomes: dict[int, list] = {}
    missing = []
    for i, p in enumerate(passes):
        p.key = p.digest(salt)
        hit = store.get(p.key) if store else None
        if hit is None:
            missing.append(i)
        else:
            outcomes[i] = hit
    done = len(outcomes)
    if progress:
        progress(done, len(passes))
    if missing:
        jobs = max(1, min(jobs or os.cpu_count() or 1, len(missing)))
        vocabulary = ntriples(the_plan.vocabulary)
        for i, found in _run_passes([passes[i] for i in missing], missing, jobs, vocabulary, graphs):
            outcomes[i] = found
            if store:
                store.put(passes[i].key, found)
            done += 1
            if progress:
                progress(done, len(passes))
    kept: dict[Finding, str] = {}
    for i, p in enumerate(passes):
        for finding, focus, kind, result in outcomes[i]:
            node = focus_node(focus)
            if (kind in ("local", "both") and keeps(p, node, the_plan.described, "local")) or (
                kind in ("reaching", "both") and keeps(p, node, the_plan.described, "reaching")
            ):
                kept.setdefault(Finding(**finding), result)
    findings = sorted(kept)
    conforms = not any(f.severity == "Violation" for f in findings)
    return Report(conforms, findings, [kept[f] for f in findings], len(passes), len(missing))


def _run_passes(todo: list[Pass], indices: list[int], jobs: int, vocabulary: bytes, graphs: dict):
    """(index, findings) for each pass, run here or in `jobs` worker processes; each
    pass's data is made when it is sent, so only a few are in memory at once."""
    if jobs == 1:
        _start_worker(None, vocabulary, parsed=graphs)
        for i, p in zip(indices, todo):
            yield i, _run_pass((p.data(), p.shapes, p.drop()))
        return
    with ProcessPoolExecutor(
        jobs, mp_context=_context(), initializer=_start_worker, initargs=(_nt(graphs), vocabulary)
    ) as pool:
        pending: dict = {}
        queue = iter(zip(indices, todo))
        try:
            while True:
                for i, p in queue:
                    pending[pool.submit(_run_pass, (p.data(), p.shapes, p.drop()))] = i
                    if len(pending) >= 2 * jobs:
                        break
                if not pending:
                    return
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    yield pending.pop(future), future.result()
        finally:
            for future in pending:
                future.cancel()


def _whole(units: dict, shapes: Graph) -> Report:
    graph = bind_prefixes(Graph())
    for triples in units.values():
        convert = ToRdflib()
        graph.addN((convert[s], convert[p], convert[o], graph) for s, p, o in triples)
    if (URIRef(ONTOLOGY_IRI), RDF.type, URIRef("http://www.w3.org/2002/07/owl#Ontology")) not in graph:
        graph += load_ontology()
    found = _check(graph, shapes, "both")
    kept: dict[Finding, str] = {}
    for finding, _focus, _kind, result in found:
        kept.setdefault(Finding(**finding), result)
    findings = sorted(kept)
    return Report(not any(f.severity == "Violation" for f in findings), findings, [kept[f] for f in findings])


def _units(data: Canonical | Mapping | Statements | Graph) -> dict:
    """{graph name: [pyoxigraph Triple]}, empty graphs left out. The cache keys do not depend
    on the order of the graphs or of their statements (each pass sorts its N-Triples lines,
    kg.validate.parts.Pass.data), nor on blank node labels where cyberkg made them: rdflib
    graphs are canonically relabelled as they are converted (kg.rdf.Statements.from_rdflib),
    and the files cyberkg writes hold canonical labels. (Anonymous blank nodes in a file of
    another origin get new labels at each read, which costs cache hits, not findings.)"""
    if isinstance(data, Canonical):
        return {name or None: triples for name, triples in data.graphs}
    graphs = as_graphs(data).items()
    return {(name.value if name else None): triples for name, graph in graphs if (triples := list(graph))}


def _bundled_vocabulary() -> list:
    return list(Statements.from_rdflib(load_ontology()))


def _nt(graphs: dict) -> dict:
    return {kind: graph.serialize(format="nt", encoding="utf-8") for kind, graph in graphs.items()}


def _salt(graphs: dict) -> str:
    """What a cached finding depends on besides its data: the shapes and the software."""
    from importlib.metadata import version

    h = hashlib.sha256(f"cyberkg {version('cyberkg')} pyshacl {version('pyshacl')} rdflib {version('rdflib')}".encode())
    for kind in sorted(graphs):  # each half of the shapes, blank nodes canonically labelled, lines sorted
        h.update(f"{kind}\n".encode())
        h.update(sorted_lines(ntriples(list(Statements.from_rdflib(graphs[kind])))))
    return h.hexdigest()


# -- one pass, in this process or a worker --------------------------------------------------


def _context():
    """Forked workers where the platform has fork: they start at once, share the parent's
    memory, and need no `if __name__ == "__main__"` guard in the caller's script."""
    return get_context("fork") if "fork" in get_all_start_methods() else get_context()


_WORKER: dict = {}


def _start_worker(shapes_nt: dict | None, vocabulary_nt: bytes, parsed: dict | None = None) -> None:
    _WORKER["shapes"] = parsed or {
        kind: Graph().parse(data=text, format="nt") for kind, text in (shapes_nt or {}).items()
    }
    _WORKER["vocabulary"] = _rdflib_triples(vocabulary_nt)


def _rdflib_triples(data: bytes) -> list:
    convert = ToRdflib()
    return [
        (convert[t.subject], convert[t.predicate], convert[t.object])
        for t in pyoxigraph.parse(input=data, format=pyoxigraph.RdfFormat.N_TRIPLES)
    ]


def _run_pass(work: tuple[bytes, str, frozenset]) -> list:
    data, kind, drop = work
    graph = bind_prefixes(Graph())
    graph.addN((s, p, o, graph) for s, p, o in _WORKER["vocabulary"])
    graph.addN((s, p, o, graph) for s, p, o in _rdflib_triples(data))
    found = []
    for k in ("local", "reaching") if kind == "all" else (kind,):
        found += _check(graph, _WORKER["shapes"][k], k, drop if k == "local" else frozenset())
    return found


def _check(graph: Graph, shapes: Graph, kind: str, drop: frozenset = frozenset()) -> list:
    """pyshacl on one graph: [(finding as a dict, focus node, `kind`, result as N-Triples)],
    leaving out the results on the nodes in `drop`."""
    _, results, _ = shacl_validate(graph, shacl_graph=shapes, inference="none", allow_warnings=True, allow_infos=True)
    out = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(r, SH.focusNode)
        name = focus.n3() if isinstance(focus, BNode) else str(focus)
        if name in drop:
            continue
        finding = _finding(graph, shapes, results, r)
        out.append((finding.as_dict(), name, kind, _result_ntriples(results, r)))
    return out


def _result_ntriples(results: Graph, node) -> str:
    """The result node and the blank nodes under it, as N-Triples."""
    return closure(results, [node], lambda o: isinstance(o, BNode)).serialize(format="nt")


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
        severity,
        shape_label,
        str(focus),
        _label(graph, focus),
        _source(graph, focus) or "",
        path_text or "",
        "" if value is None else _label(graph, value),
        str(message) if message else "constraint not met",
    )
