"""Building the graph: reference data, vocabulary and every report, one named graph each.

`build(sources)` reads the reference data once, extracts each report (showing progress
for long builds), turns each extraction into its own named graph, and returns the
dataset with a report of what was found and every warning. A corpus of many documents is
read by one worker process per core (forked, so the reference data and rules are loaded
once), and the graphs come back in the order of the files, so the result does not depend
on the number of processes. Nothing is written here; the
CLI writes the dataset atomically (kg.graphio.write_dataset).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph
from pyoxigraph import NamedNode
from rdflib import Graph, URIRef

from kg import namespaces, resources
from kg.builder.document import DocumentBuilder
from kg.config import DEFAULT_BASE
from kg.diagnostics import Diagnostic
from kg.errors import CyberkgError
from kg.extract import Extraction, Extractor
from kg.extract.rules import load_rules
from kg.iris import Iris
from kg.namespaces import ONTOLOGY_IRI
from kg.ontology import load_ontology
from kg.reference import load_reference
from kg.terms import Statements

if TYPE_CHECKING:
    from kg.validate import Finding

REPORT_SUFFIXES = (".txt", ".md", ".markdown", ".text")


def collect_sources(sources: Iterable[Path]) -> list[Path]:
    """The report files named, with folders expanded to the reports they hold (sorted)."""
    files: list[Path] = []
    for source in sources:
        source = Path(source)
        if source.is_dir():
            found = sorted(
                p
                for p in source.rglob("*")
                if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES and p.name.lower() != "readme.md"
            )
            if not found:
                raise CyberkgError(
                    f"{source}: folder holds no report files ({', '.join(REPORT_SUFFIXES)})", exit_code=2
                )
            files.extend(found)
        elif source.is_file():
            files.append(source)
        else:
            raise CyberkgError(f"{source}: no such file or folder", exit_code=2)
    names = Counter(p.resolve() for p in files)
    return [p for p in dict.fromkeys(p.resolve() for p in files) if names[p]]


def default_sources() -> list[Path]:
    return collect_sources([resources.resource_dir("corpus")])


@dataclass
class DocumentReport:
    path: Path
    document: URIRef
    graph: URIRef
    counts: dict[str, int]
    warnings: list[Diagnostic]


@dataclass
class BuildResult:
    triples: dict[URIRef, Graph | Statements]  # named graph -> its statements, as built (what is written)
    base: str
    documents: list[DocumentReport] = field(default_factory=list)
    reference_warnings: list[Diagnostic] = field(default_factory=list)

    @cached_property
    def graphs(self) -> dict[URIRef, Graph]:
        """Named graph -> an rdflib Graph of its statements (made on first use: for SHACL and lookups)."""
        return {name: g if isinstance(g, Graph) else g.graph() for name, g in self.triples.items()}

    @property
    def statements(self) -> int:
        return sum(len(g) for g in self.triples.values())

    @property
    def warnings(self) -> list[Diagnostic]:
        return self.reference_warnings + [w for d in self.documents for w in d.warnings]


def counts(extraction: Extraction) -> dict[str, int]:
    passages = extraction.passages
    positions = extraction.positions
    return {
        "sections": len(extraction.sections),
        "paragraphs": sum(p.kind == "paragraph" and p.number is not None for p in passages),
        "recommendations": len(extraction.recommendations()),
        "sub-items": sum(p.kind == "subitem" and p.recommendation for p in passages),
        "agenda items": len(extraction.agenda),
        "speakers": sum(p.role == "speaker" for p in extraction.participations),
        "panellists": sum(p.role == "panellist" for p in extraction.participations),
        "chairs": sum(p.role == "chair" for p in extraction.participations),
        "attendance figures": len(extraction.attendance),
        "instrument mentions": sum(m.kind == "instrument" for m in extraction.mentions),
        "actor mentions": sum(m.kind == "actor" for m in extraction.mentions),
        "cited resolutions": len({(r.body, r.number) for r in extraction.resolutions}),
        "cited documents": len({s for s, _ in extraction.symbols}),
        "positions (named holder)": sum(p.holder.named for p in positions),
        "positions (anonymous holder)": sum(not p.holder.named for p in positions),
        "warnings": len(extraction.diagnostics),
    }


def build(
    sources: list[Path] | None = None,
    base: str = DEFAULT_BASE,
    rules_folder: Path | None = None,
    progress: Callable[[Path], None] | None = None,
    jobs: int | None = None,
) -> BuildResult:
    """Build the dataset from report files (default: the bundled sample corpus); `jobs` is
    the number of processes that read them (default: one per core, one for a few files)."""
    files = collect_sources(sources) if sources else default_sources()
    iris = Iris(base)
    reference = load_reference(base)
    extractor = Extractor(reference, load_rules(rules_folder), base)
    builder = DocumentBuilder(reference, iris)

    result = BuildResult({}, base, reference_warnings=list(reference.diagnostics))
    result.triples[URIRef(ONTOLOGY_IRI)] = load_ontology()
    result.triples[iris("graph/reference")] = reference.graph
    seen: dict[URIRef, Path] = {}
    for path, document, graph, found, diagnostics in _documents(files, extractor, builder, jobs):
        if document in seen:
            raise CyberkgError(
                f"{path}: describes the same document ({document}) as {seen[document]}; build them separately"
            )
        seen[document] = path
        name = iris(f"graph/{iris.path(document)}")
        result.triples[name] = graph
        result.documents.append(DocumentReport(path, document, name, found, diagnostics))
        if progress is not None:
            progress(path)
    return result


# Fewer files than this are read in the calling process: starting workers costs more.
PARALLEL_FROM = 16
_WORKER: dict = {}


def _documents(files: list[Path], extractor: Extractor, builder: DocumentBuilder, jobs: int | None):
    """(path, document, graph, counts, diagnostics) for each file, in the order of `files`."""
    jobs = min(jobs or os.cpu_count() or 1, len(files))
    if jobs < 2 or len(files) < PARALLEL_FROM or "fork" not in get_all_start_methods():
        for path in files:
            yield (path, *_one(extractor, builder, path))
        return
    _WORKER.update(extractor=extractor, builder=builder)
    try:
        with ProcessPoolExecutor(jobs, mp_context=get_context("fork")) as pool:
            for path, (document, data, found, diagnostics) in zip(files, pool.map(_in_worker, files, chunksize=8)):
                graph = Statements(
                    t.triple for t in pyoxigraph.parse(input=data, format=pyoxigraph.RdfFormat.N_TRIPLES)
                )
                yield path, document, graph, found, diagnostics
    finally:
        _WORKER.clear()


def _one(extractor: Extractor, builder: DocumentBuilder, path: Path) -> tuple:
    extraction = extractor(path)
    document, graph = builder.build(extraction)
    return document, graph, counts(extraction), list(extraction.diagnostics)


def _in_worker(path: Path) -> tuple:
    """One file in a worker: the graph travels as N-Triples (in the order it was built)."""
    document, graph, found, diagnostics = _one(_WORKER["extractor"], _WORKER["builder"], path)
    return document, pyoxigraph.serialize(graph, format=pyoxigraph.RdfFormat.N_TRIPLES), found, diagnostics


@dataclass
class Rejected:
    """A report left out of a build because its graph breaks the shapes: each violation with
    the line of the report the node came from, when the graph says."""

    document: DocumentReport
    violations: list[tuple[Finding, int | None]]  # each violation and the report's line, when known


def reject_failing(result: BuildResult, violations: list[Finding]) -> list[Rejected] | None:
    """Take the reports whose nodes carry the violations out of `result` and return them; None
    when a violation is on a node no report alone describes (reference data, vocabulary, a
    node two reports share), so that leaving reports out cannot help."""
    subjects: dict[str, list[DocumentReport]] = {}
    lines: dict[str, int] = {}
    line = NamedNode(str(namespaces.CKG.line))
    parts = (NamedNode(str(namespaces.CKG.sourcePassage)), NamedNode("http://purl.org/dc/terms/isPartOf"))
    held = NamedNode(str(namespaces.CKG.holder))
    wanted = {v.focus for v in violations}
    for document in result.documents:
        triples = result.triples[document.graph]
        own_lines: dict[str, int] = {}
        links: dict[str, str] = {}  # node -> the passage it came from
        users: dict[str, str] = {}  # a collective -> a position it holds
        for s, p, o in triples:
            key = getattr(s, "value", str(s))
            if key in wanted:
                holders = subjects.setdefault(key, [])
                if not holders or holders[-1] is not document:
                    holders.append(document)
            if p == line:
                own_lines[key] = int(o.value)
            elif p in parts:
                links.setdefault(key, getattr(o, "value", str(o)))
            elif p == held:
                users.setdefault(getattr(o, "value", str(o)), key)
        for key in wanted:  # the node's own line, its passage's, or that of a position it holds
            for node in (key, links.get(key), links.get(users.get(key, ""))):
                if node in own_lines:
                    lines.setdefault(key, own_lines[node])
                    break
    rejected: dict[URIRef, Rejected] = {}
    for violation in violations:
        holders = subjects.get(violation.focus, [])
        if len(holders) != 1:
            return None
        entry = rejected.setdefault(holders[0].graph, Rejected(holders[0], []))
        entry.violations.append((violation, lines.get(violation.focus)))
    for name in rejected:
        del result.triples[name]
    result.documents = [d for d in result.documents if d.graph not in rejected]
    return list(rejected.values())
